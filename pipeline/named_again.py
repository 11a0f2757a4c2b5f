"""One unit, several names in one article.

A district or commune the article names once with its level word ("huyện Bình Chánh",
"xã Đồng Tâm") and elsewhere bare ("… vi phạm đất đai ở Bình Chánh", a title): the bare
mentions are the same unit.  units.annotate adds them to doc.units, so the title's most
specific unit and a sentence's nearest unit see them.  A bare name is only read where the
article has already vouched for it, never from the gazetteer alone (bare names are
ambiguous across provinces and with people's names); data/not_place_before.tsv lists the
words that make a name after them something else (a school, a street, a person).  And a
bloc named short and in full ("Khối các cơ quan tỉnh", "… tỉnh Hòa Bình") is one bloc."""
from __future__ import annotations

from bisect import insort
from dataclasses import replace
from functools import lru_cache

from .doc import Doc, Unit
from .tables import rows
from .textnorm import fold_phrase

_LOCAL = ("district", "commune")
# a name this short ("Yên", "An") is a word of too many other names to be read bare
_MIN_NAME = 4


@lru_cache(maxsize=1)
def _not_before() -> frozenset:
    return frozenset(fold_phrase(r[0]) for r in rows("not_place_before"))


@lru_cache(maxsize=1)
def _stop_reach() -> int:
    """How far before a name its stop word of data/not_place_before.tsv may start."""
    return max(len(w) for w in _not_before()) + 2


def _inside_name(text: str, s: int) -> bool:
    """The word before ``s`` is capitalised and does not open a sentence: the name at ``s``
    ends a longer proper name (a person's, a school's), not the place alone."""
    before = text[max(0, s - 30):s].rstrip(" ")
    if len(before) == len(text[max(0, s - 30):s]) or not before:
        return False  # (no space before the name: a bracket, a quote, a line's start)
    word = before.split()[-1]
    if not word[:1].isupper():
        return False
    ahead = before[:len(before) - len(word)].rstrip(" ")
    return bool(ahead) and ahead[-1] not in ".!?:\n\"“(-–"


def add_bare_mentions(doc: Doc) -> None:
    """Add to doc.units every bare, capitalised mention of a district or commune name that
    the article also names with its level word (the name's first such unit stands for it);
    a name two such units share is left out (which one is meant is unknown)."""
    named: dict[str, Unit | None] = {}
    for u in doc.units:
        if u.level in _LOCAL and u.code and len(u.name) >= _MIN_NAME and not u.name[:1].isdigit() \
                and doc.folded[u.start:u.end] != fold_phrase(u.name):
            known = named.get(u.name, u)
            named[u.name] = u if known is not None and known.code == u.code else None
    names = {n: u for n, u in named.items() if u is not None}
    if not names:
        return
    taken = [(u.start, u.end) for u in doc.units]
    stops = _not_before()
    text = doc.text
    found: list[Unit] = []
    # (str.find over the few names, not a pattern built per article: compiling one for
    # every article with a local unit cost the units stage 40%)
    for name in sorted(names, key=len, reverse=True):  # ("Vĩnh Lộc A" before "Vĩnh Lộc")
        unit = names[name]
        at = text.find(name)
        while at >= 0:
            s, e = at, at + len(name)
            at = text.find(name, e)
            if (s and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
                continue  # inside a longer word
            if _inside_name(text, s):
                continue  # the end of a longer name: "Phạm Kim Sơn", "Trường THCS Quang Trung"
            if any(a < e and s < b for a, b in taken):
                continue
            before = doc.folded[max(0, s - _stop_reach()):s].split()
            if before and (before[-1] in stops or " ".join(before[-2:]) in stops):
                continue
            found.append(replace(unit, start=s, end=e, surface=name, party=False))
            taken.append((s, e))
    for u in found:
        insort(doc.units, u, key=lambda x: x.start)


def fullest_bloc_names(found: list[Unit]) -> None:
    """One bloc, one name per article: "Khối các cơ quan tỉnh" where the article also
    writes "Khối các cơ quan tỉnh Hòa Bình" is that bloc (the fullest name written)."""
    blocs = {u.name for u in found if u.level == "bloc"}
    if len(blocs) < 2:
        return
    for u in found:
        if u.level == "bloc":
            longer = [b for b in blocs if b != u.name and b.startswith(u.name + " ")]
            if len(longer) == 1:
                u.name = longer[0]

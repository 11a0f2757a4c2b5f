"""A district or commune the article names once with its level word ("huyện Bình Chánh",
"xã Đồng Tâm") and elsewhere bare ("… vi phạm đất đai ở Bình Chánh", a title): the bare
mentions are the same unit.  units.annotate adds them to doc.units, so the title's most
specific unit and a sentence's nearest unit see them.  A bare name is only read where the
article has already vouched for it, never from the gazetteer alone (bare names are
ambiguous across provinces and with people's names); data/not_place_before.tsv lists the
words that make a name after them something else (a school, a street, a person)."""
from __future__ import annotations

from bisect import insort
from dataclasses import replace
from functools import lru_cache

from .doc import Doc, Unit
from .tables import rows
from .textnorm import fold_phrase

_LOCAL = ("district", "commune")


@lru_cache(maxsize=1)
def _not_before() -> frozenset:
    return frozenset(fold_phrase(r[0]) for r in rows("not_place_before"))


def add_bare_mentions(doc: Doc) -> None:
    """Add to doc.units every bare, capitalised mention of a district or commune name that
    the article also names with its level word (the name's first such unit stands for it);
    a name two such units share is left out (which one is meant is unknown)."""
    named: dict[str, Unit | None] = {}
    for u in doc.units:
        if u.level in _LOCAL and u.code and len(u.name) > 3 and not u.name[:1].isdigit() \
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
            if s and (text[s - 1].isalnum()) or e < len(text) and text[e].isalnum():
                continue  # inside a longer word or name
            if any(a < e and s < b for a, b in taken):
                continue
            before = doc.folded[max(0, s - 12):s].split()
            if before and (before[-1] in stops or " ".join(before[-2:]) in stops):
                continue
            found.append(replace(unit, start=s, end=e, surface=name, party=False))
            taken.append((s, e))
    for u in found:
        insort(doc.units, u, key=lambda x: x.start)

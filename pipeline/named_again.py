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

import regex

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
    pattern = regex.compile(r"(?<![\p{L}\d])(?:" + "|".join(regex.escape(n) for n in
                            sorted(names, key=len, reverse=True)) + r")(?![\p{L}\d])")
    stops = _not_before()
    for m in pattern.finditer(doc.text):
        s, e = m.span()
        if any(a < e and s < b for a, b in taken):
            continue
        before = doc.folded[max(0, s - 12):s].split()
        if before and (before[-1] in stops or " ".join(before[-2:]) in stops):
            continue
        insort(doc.units, replace(names[m.group()], start=s, end=e, surface=m.group(), party=False),
               key=lambda u: u.start)

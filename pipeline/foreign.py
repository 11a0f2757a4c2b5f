"""Foreign countries and parties (spec §2, subject level ``foreign``).

A figure about China's party or an American poll is not a statistic of a Vietnamese
unit. Foreign names (data/foreign.tsv) become units of level ``foreign`` beside the
gazetteer's, so the nearest-unit rule of attribute.py gives such figures a foreign
subject; the metric views never take them. A Vietnamese place that shares its name with
a foreign one (Trùng Khánh, Cao Bằng / Chongqing) is dropped as a unit when the article
speaks of that country and never of the place's own province.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .doc import Doc, Unit
from .tables import rows


@lru_cache(maxsize=1)
def _table():
    names = {r[0]: (r[1], r[2]) for r in rows("foreign")}
    alts = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    # a whole name, not the first word of a longer proper name ("Lào Cai", "Mỹ Tho")
    pat = regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?:{alts})(?![\p{{L}}\p{{M}}])(?!\s+\p{{Lu}})")
    return names, pat


def mentions(text: str) -> list[Unit]:
    names, pat = _table()
    out = []
    for m in pat.finditer(text):
        canonical, kind = names[m.group()]
        if kind != "homonym":
            out.append(Unit(m.start(), m.end(), m.group(), "foreign", canonical, party=kind == "party"))
    return out


def annotate(doc: Doc) -> None:
    """Add foreign mentions to ``doc.units``; drop homonymous Vietnamese places."""
    found = mentions(doc.text)
    if not found:
        return
    names, _ = _table()
    homonyms = {n: c for n, (c, kind) in names.items() if kind == "homonym"}
    countries = {u.name for u in found}
    provinces_named = {u.name for u in doc.units if u.level == "province"}
    kept = [u for u in doc.units
            if not (u.name in homonyms and homonyms[u.name] in countries
                    and u.province not in provinces_named)]
    doc.units = sorted(kept + found, key=lambda u: u.start)

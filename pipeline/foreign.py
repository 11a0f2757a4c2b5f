"""Foreign countries and parties (spec §2, subject level ``foreign``).

A figure about China's party or an American poll is not a statistic of a Vietnamese
unit. Foreign names (data/foreign.tsv) become units of level ``foreign`` beside the
gazetteer's, so the nearest-unit rule of subjects.py gives such figures a foreign
subject; the metric views never take them. A Vietnamese place that shares its name with
a foreign one (Trùng Khánh, Cao Bằng / Chongqing) is dropped as a unit when the article
speaks of that country and never of the place's own province.
"""
from __future__ import annotations

from functools import lru_cache

import re

from .doc import Doc, Unit
from .tables import rows, word_alternation


@lru_cache(maxsize=1)
def _table():
    names = {r[0]: (r[1], r[2]) for r in rows("foreign")}
    # a trie of the names on stdlib `re` (case-sensitive, whole words): a scan of every
    # article at regex speed; whether a capitalised word follows is checked per match
    pat = re.compile(rf"{_trie(names)}(?![^\W\d_])")
    # the words before a name that make it a past war's enemy (data/foreign_not_before.tsv)
    war_words = re.compile(rf"{word_alternation([r[0] for r in rows('foreign_not_before')])}\s+$", re.IGNORECASE)
    return names, pat, war_words


def _trie(names) -> str:
    r"""The names as a trie whose first characters each carry the word-start check
    ("T(?<![^\W\d_].)(?:rung Quốc|…)"): a pattern opening on a look-behind is tried at
    every position, one opening on a character only where that character is (4x faster;
    see tables.word_alternation)."""
    trie: dict = {}
    for n in names:
        node = trie
        for ch in n:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    first = [re.escape(ch) + r"(?<![^\W\d_].)" + pattern(trie[ch]) for ch in sorted(k for k in trie if k)]
    return "(?:" + "|".join(first) + ")"


# the next word on the same line ("Trung Quốc\n\nNhiều …": a title ends there)
_NEXT_WORD = re.compile(r"[ \t\xa0]+(\w)")
# the word before a name, and what stands before that word (a capitalised word not opening
# its sentence makes the name part of a person's: "Nguyễn Thị Hà Lan"; a title word before
# it is data/foreign_not_before.tsv's)
_PREV_WORD = re.compile(r"(\S*\s)?(\w+)[ \t\xa0]+$")


@lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    return tuple(_table()[0])


def mentions(text: str, spans=None) -> list[Unit]:
    """Foreign names in ``text`` (or only within ``spans``, (start, end) pairs)."""
    names, pat, war_words = _table()
    out = []
    if spans is None and not any(n in text for n in _names()):
        return out  # most articles name no foreign country: a substring check each, in C
    # (within spans, the pattern's own scan of those few sentences is cheaper than the
    # substring checks of every name over the whole text)
    for m in (pat.finditer(text) if spans is None else _in_spans(pat, text, spans)):
        nxt = _NEXT_WORD.match(text, m.end())
        if nxt and nxt.group(1).isupper():
            continue  # the first word of a longer proper name: "Lào Cai", "Mỹ Tho", "Nga Sơn"
        prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
        if prev and prev.group(2)[:1].isupper() and prev.group(1) \
                and not prev.group(1).rstrip().endswith((".", ":", "!", "?")):
            continue  # inside a person's name: "bà Nguyễn Thị Hà Lan"
        if war_words.search(text, max(0, m.start() - 20), m.start()):
            continue  # "kháng chiến chống thực dân Pháp": history; "ông Hà Lan": a person
        canonical, kind = names[m.group()]
        if kind not in ("homonym", "home", "word"):
            out.append(Unit(m.start(), m.end(), m.group(), "foreign", canonical, party=kind == "party"))
    return out


def _in_spans(pat, text: str, spans):
    for s, e in spans:
        yield from pat.finditer(text, s, e)


# how many sentences open an article (title and lead: what it is about)
_LEAD = 3


def _figure_spans(doc: Doc) -> list[tuple[int, int]]:
    """Where a foreign name can decide whose a figure is: the title and lead, and each
    sentence holding a figure with the one before it (a name carried on, "Trung Quốc …
    Trong đó, …")."""
    idx = set(range(min(_LEAD, len(doc.sentences))))
    for fig in doc.figures:
        idx.update((fig.sent_idx - 1, fig.sent_idx))
    spans: list[tuple[int, int]] = []
    for i in sorted(i for i in idx if 0 <= i < len(doc.sentences)):
        s, e = doc.sentences[i]
        if spans and s <= spans[-1][1] + 2:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def annotate(doc: Doc) -> None:
    """Add foreign mentions to ``doc.units``; drop homonymous Vietnamese places. Only
    articles with figures need them (they decide whose a figure is)."""
    if not doc.figures:
        return
    found = mentions(doc.text, _figure_spans(doc))
    if not found:
        return
    # a name inside a Vietnamese unit's is part of that name: "huyện Chương Mỹ" is no "Mỹ"
    local = [(u.start, u.end) for u in doc.units if u.level != "foreign"]
    found = [f for f in found if not any(s <= f.start and f.end <= e for s, e in local)]
    if not found:
        return
    names = _table()[0]
    homonyms = {n: c for n, (c, kind) in names.items() if kind == "homonym"}
    countries = {u.name for u in found}
    provinces_named = {u.name for u in doc.units if u.level == "province"}
    kept = [u for u in doc.units
            if not (u.name in homonyms and homonyms[u.name] in countries
                    and u.province not in provinces_named)]
    doc.units = sorted(_abroad(doc, kept, found, names) + found, key=lambda u: u.start)


# an article about one foreign country: at least this many mentions of it, and this many
# times the national bodies it names ("Bộ Chính trị", "Đại hội toàn quốc")
_ABROAD_MENTIONS = 3
_ABROAD_RATIO = 2


def _abroad(doc: Doc, units: list[Unit], found: list[Unit], names) -> list[Unit]:
    """In an article about a foreign country (it speaks mostly of that country, never
    writes Việt Nam's own name, data/foreign.tsv kind home, and names no Vietnamese
    province, district or commune), the national bodies it names are that country's:
    the CPC's Politburo, an American poll "toàn quốc"."""
    national = [u for u in units if u.level == "national"]
    if not national or any(u.level in ("province", "district", "commune") for u in units):
        return units
    by_country: dict[str, int] = {}
    for u in found:
        by_country[u.name] = by_country.get(u.name, 0) + 1
    if not by_country:
        return units
    country, n = max(by_country.items(), key=lambda kv: kv[1])
    if n < _ABROAD_MENTIONS or n < _ABROAD_RATIO * len(national) \
            or any(kind == "home" and name in doc.text for name, (_, kind) in names.items()):
        return units
    return [Unit(u.start, u.end, u.surface, "foreign", country, party=u.party) if u.level == "national" else u
            for u in units]

"""Unit mentions in an article, and the ``units`` table rows.

One scan of the folded text over a trie of every phrase that can start a
mention: level words (``data/unit_levels.tsv``: "huyện", "Huyện ủy", "Đảng ủy xã",
"Đảng bộ Khối", "TP.", "P."), national bodies (``data/national_bodies.tsv``),
aliases and province names.  A level word takes the longest gazetteer name after
it ("huyện Lập Thạch"), a number ("quận 7" -> "Quận 7") or, for communes and
villages, a capitalised name; without a name it is an anaphor ("toàn huyện").  A
parent named right after a unit locates it and joins its span ("quận Hải Châu, TP.
Đà Nẵng").  ``data/unit_blocks.tsv`` holds the guards ("xã hội", "văn bản").

The gazetteer is ``gazetteer.py``; the article's province and main unit are
``article_unit.py``; ``annotate`` runs all three over a doc.  The names other modules and
tests import from here (``lookup``, ``province_2025``, ``lead_end`` ...) are re-exported.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from itertools import islice

from . import agencies, foreign, url_units
from .article_unit import (LEAD_PARAGRAPHS, NATIONAL, infer_province, lead_end,  # noqa: F401
                           main_unit, national_score)
from .doc import Doc, Unit
from .gazetteer import (LEVEL_ORDER, Place, aliases, gazetteer, lookup,  # noqa: F401
                        lookup_key, province_2025)
from .named_again import add_bare_mentions, fullest_bloc_names
from .tables import phrase_alternation, rows
from .wordscan import Hits
from .textnorm import fold, fold_phrase

__all__ = ["annotate", "find_units", "unit_rows", "UNIT_COLUMNS", "rows",
           # re-exported: gazetteer.py and article_unit.py
           "LEVEL_ORDER", "Place", "aliases", "gazetteer", "lookup", "lookup_key", "province_2025",
           "LEAD_PARAGRAPHS", "NATIONAL", "infer_province", "lead_end", "main_unit", "national_score"]


# ---------------------------------------------------------------- vocabularies

_LEVELS: dict[str, tuple[str, str, str]] = {
    fold_phrase(w): (lvl, kind, "" if typ == "-" else typ) for w, lvl, kind, typ, *_ in rows("unit_levels")}


@lru_cache(maxsize=1)
def _blocks():
    before: dict[str, set] = defaultdict(set)
    after: dict[str, set] = defaultdict(set)
    named, names, surnames, middles = set(), set(), set(), set()
    titles: dict[str, set] = defaultdict(set)
    for kind, word, lw, *_ in rows("unit_blocks"):
        w = fold_phrase(word)
        if kind == "before":
            before[fold_phrase(lw)].add(w)
        elif kind == "after":
            after[fold_phrase(lw)].add(w)
        elif kind == "named":
            named.add(w)
        elif kind == "name":
            names.add(w)
        elif kind == "surname":
            surnames.add(w)
        elif kind == "middle":
            middles.add(w)
        elif kind == "title":
            titles[fold_phrase(lw)].add(w)
    return before, after, named, names, surnames, middles, titles


@lru_cache(maxsize=1)
def _scanner():
    """One regex over every phrase that can start a mention, and its category:
    L level word, N national body, A alias, P province name."""
    cats: dict[str, str] = {}
    for w in _LEVELS:
        cats.setdefault(w, "L")
    for cue, body, *_ in rows("national_bodies"):
        cats.setdefault(" ".join(fold_phrase(cue).split()), "N" if body == "party" else "S")
    for a in aliases():
        cats.setdefault(" ".join(a.split()), "A")
    for p in gazetteer()["province"]:
        cats.setdefault(p, "P")
    # stdlib `re` on a trie of literals, each opening on a letter (_find tries them where
    # words start only: wordscan.py).  The left word boundary is checked in Python on each
    # hit.  Right boundary: no letter after the phrase, unless it ends with "." (an
    # abbreviation touching its name: "TP.Huế", "Q.Sơn Trà").
    assert all(k[:1].isalpha() for k in cats)
    return re.compile(rf"(?:{phrase_alternation(cats)})(?:(?<=\.)|(?![^\W\d_]))"), cats


_NUMBER = re.compile(r"\d+[a-zđ]?(?![^\W_])(?![.,]\d)")
_WORD = re.compile(r"[^\W_]+")
_TOKEN = agencies.TOKEN
_BREAK_RE = re.compile(r"[\n,;:()]")
_ANAPHOR_BLOCK = re.compile(r"(?:các|những|mỗi|từng|số|nhiều|cấp|cùng)\s*$")
_PARTY_BEFORE = re.compile(r"(?:đảng bộ|đảng ủy|ban thường vụ|btv|chi bộ)[ \t]*$")
_LOCATOR_GAP = re.compile(r"[ \t]*[,(-]?[ \t]*")
# "Đảng bộ Khối các cơ quan tỉnh", "Đảng ủy Khối Doanh nghiệp", "... Khối các cơ quan Trung ương"
_BLOC_TAIL = re.compile(
    r"(?:[ \t]*(?:,|-|và)?[ \t]*(?:các[ \t]+)?"
    r"(?:cơ quan|doanh nghiệp|dân[ \t]*-?[ \t]*chính[ \t]*-?[ \t]*đảng|kinh tế))+"
    r"(?:[ \t]+(?P<lv>trung ương|tỉnh|thành phố|tp\.?|huyện|quận|thị xã)(?![^\W\d_]))?")
_LEVEL_ADMIN = {"province": ("province",), "district": ("district",), "commune": ("commune",)}
# the types whose units may be numbered ("Quận 7", "Phường 15", "Khu phố 6", "Thôn 3")
_NUMBERED_TYPES = frozenset({"Quận", "Phường", "Thôn", "Ấp", "Bản", "Xóm", "Khu phố", "Tổ dân phố", "Làng", "Buôn"})


# ---------------------------------------------------------------- mentions


def _resolve_city(key: str, province: str | None) -> Place | None:
    """"TP X" / "Thành ủy X": a centrally-run city is a province (TP. Đà Nẵng), any
    other city a district (TP Bắc Giang, the provincial city)."""
    p = lookup_key(key, ("province",))
    if p is not None and p.level == "province" and p.kind == "Thành phố":
        return p
    d = lookup_key(key, ("district",), province, "Thành phố")
    if d is not None and d.level == "district" and d.kind in ("Thành phố", "Thị xã"):
        return d
    return p or d


def _gazetteer_name(doc: Doc, p: int, level: str, typ: str) -> tuple[int, Place] | None:
    """Longest gazetteer name (up to four words, within the clause) starting at p."""
    f = doc.folded
    levels = _LEVEL_ADMIN.get(level)
    if levels is None and level != "city":
        return None  # villages are not in the gazetteer
    lim = min(len(f), p + 60)
    b = _BREAK_RE.search(f, p, lim)
    if b:
        lim = b.start()
    ends = [m.end() for m in islice(_WORD.finditer(f, p, lim), 4)]
    for end in reversed(ends):
        key = " ".join(f[p:end].split())
        if level == "city":
            place = _resolve_city(key, doc.province)
        else:
            place = lookup_key(key, levels, doc.province, typ or None)
        if place is not None:
            return end, place
    return None


def _capitalised_name(doc: Doc, p: int) -> tuple[str, int] | None:
    """A run of capitalised words at p ("Đồng Lạc"), cut before a person's name."""
    f, t = doc.folded, doc.text
    _, _, _, stops, surnames, middles, _ = _blocks()
    words: list[tuple[int, int]] = []
    pos = p
    while len(words) < 4:
        m = _TOKEN.match(f, pos)
        if not m or (not words and m.start(1) != p):
            break
        c = t[m.start(1)]
        tok = t[m.start(1):m.end(1)]
        if not c.isupper() and not (words and tok.isdigit()):
            break
        if len(tok) > 1 and (tok.isupper() or any(ch.isdigit() for ch in tok) and not tok.isdigit()):
            break  # an acronym or a model number ("Mercedes-AMG E63"): not a place name
        words.append((m.start(1), m.end(1)))
        pos = m.end()
    if not words:
        return None
    low = [f[a:b] for a, b in words]
    for i, w in enumerate(low[:-1]):
        if w in surnames and low[i + 1] in middles:  # a person from here on
            words, low = words[:i], low[:i]
            break
    if not words or low[0] in stops or " ".join(low) in stops:
        return None
    end = words[-1][1]
    return " ".join(t[p:end].split()), end


def _resolve_bloc(doc: Doc, p: int) -> tuple[str, int, Place | None] | None:
    """"Khối các cơ quan tỉnh Hòa Bình", "Khối Doanh nghiệp", "Khối các cơ quan Trung ương"."""
    f = doc.folded
    m = _BLOC_TAIL.match(f, p)
    if not m or m.end() <= p:
        return None  # "Đảng bộ Khối" alone: an anaphor
    tail = " ".join(f[p:m.end()].split()).replace("trung ương", "Trung ương")
    end, place = m.end(), None
    lv = m["lv"]
    if lv and lv != "trung ương":
        q = end
        while q < len(f) and f[q] in " \t":
            q += 1
        level, _, typ = _LEVELS.get(lv, ("province", "admin", ""))
        if q < len(f) and doc.text[q].isupper():
            hit = _gazetteer_name(doc, q, level, typ)
            if hit:
                end, place = hit
                tail = f"{tail} {place.name}"
    return f"Khối {tail}", end, place


def _resolve_after(doc: Doc, pos: int, word: str, level: str, kind: str, typ: str):
    """(name, end, Place | None) of the unit a level word at ``pos`` introduces."""
    f, t = doc.folded, doc.text
    n = len(f)
    p = pos
    while p < n and f[p] in " \t":
        p += 1
    if p >= n:
        return None
    if level == "bloc":
        if typ == "Khối":
            return _resolve_bloc(doc, p)
        if typ == "Cơ quan":
            return agencies.resolve_agency(doc, p)
        return agencies.resolve_typed(doc, p, typ)  # "Đảng ủy Công ty PSI", "Đảng bộ Công an TP. HCM"
    c = t[p]
    if c.isdigit():
        m = _NUMBER.match(f, p)
        if not m or typ not in _NUMBERED_TYPES:
            return None
        name = f"{typ} {t[p:m.end()].upper()}"
        if level in ("district", "commune", "city"):
            place = lookup_key(fold(name), ("district",) if level == "city" else (level,),
                                doc.province, typ)
            if place is not None:
                return place.name, m.end(), place
            if level != "commune":
                return None  # not a known district ("quận 13")
        return name, m.end(), None
    if kind == "party" and not c.isupper():
        # "Quận ủy quận 6", "Huyện ủy huyện Lập Thạch": the committee, then its unit
        rx, cats = _scanner()
        m = rx.match(f, p)
        if m and cats.get(" ".join(m.group().split())) == "L":
            w2 = " ".join(m.group().split())
            lvl2, kind2, typ2 = _LEVELS[w2]
            if kind2 == "admin" and lvl2 == level:
                return _resolve_after(doc, m.end(), w2, lvl2, kind2, typ2)
        return None
    if not c.isupper():
        return None
    hit = _gazetteer_name(doc, p, level, typ)
    if hit:
        end, place = hit
        if kind == "abbr" and " " not in f[p:end].strip():
            return None  # "P. Thảo", "Q.Huy": a byline's initial, not a ward
        return place.name, end, place
    if kind == "abbr":
        return None
    if level not in ("commune", "village"):
        return None  # provinces and districts must be in the gazetteer ("Tỉnh ủy Hồ Thị ..." is a person)
    r = _capitalised_name(doc, p)
    if r is None:
        return None
    return r[0], r[1], None


def _unit(doc: Doc, s: int, e: int, level: str, name: str, place: Place | None, party: bool) -> Unit:
    if place is not None:
        prov = place.province if place.level != "province" else place.name
        return Unit(s, e, doc.text[s:e], level, name, prov, place.code, party,
                    place.province_2025, place.code_2025)
    return Unit(s, e, doc.text[s:e], level, name, None, None, party)


def _word_before(f: str, s: int) -> str:
    ws = f[max(0, s - 16):s].split()
    return ws[-1] if ws else ""


def _blocked_before(f: str, s: int, words: set) -> bool:
    """The word (or two) right before position s is one of ``words`` (data/unit_blocks.tsv
    before): the level or scope word at s belongs to it ("văn bản", "nhất cả nước")."""
    ws = f[max(0, s - 16):s].split()
    return bool(ws) and (ws[-1] in words or " ".join(ws[-2:]) in words)


def _find(doc: Doc):
    f, t = doc.folded, doc.text
    rx, cats = _scanner()
    before, after, named, _, surnames, middles, titles = _blocks()
    units: list[Unit] = []
    anaphors: list[tuple[int, str]] = []
    covered = 0
    n = len(f)
    search = Hits(rx, f, doc.odd_starts).next  # (where words start: half the engine's tries)
    m = search(0)
    while m:
        s, e, key = m
        if not key.isalpha():
            key = " ".join(key.split())
        cat = cats.get(key)
        prev = f[s - 1] if s else " "
        nxt = f[e] if e < n else " "
        if (cat is None or prev.isalpha() or (nxt.isalpha() and key[-1].isalpha())
                or (cat == "L" and prev == ".") or (cat in ("N", "S") and (prev.isdigit() or nxt.isdigit()))):
            m = search(s + 1)
            continue
        if s < covered:  # inside a unit already read ("Thành ủy TP. HCM")
            m = search(e)
            continue
        if cat == "L":
            level, kind, typ = _LEVELS[key]
            if key in before and f[s - 1:s] in (" ", "\t") and _blocked_before(f, s, before[key]):
                m = search(e)
                continue
            if key in after:
                wm = _WORD.match(f, e + 1) if nxt == " " else None
                if wm and wm.group() in after[key]:
                    m = search(wm.end())
                    continue
            if kind == "abbr" and prev == "(":
                m = search(e)  # "(P.1)": part one of a series, not a ward
                continue
            r = _resolve_after(doc, e, key, level, kind, typ)
            if r is None:
                if kind != "abbr" and key not in named and not _ANAPHOR_BLOCK.search(f, max(0, s - 8), s) \
                        and not (key in titles and _word_before(f, s) in titles[key]):
                    anaphors.append((s, "province" if level == "city" else level))
                m = search(e)
                continue
            name, end, place = r
            party = kind == "party" or bool(_PARTY_BEFORE.search(f, max(0, s - 16), s))
            if level == "bloc":
                u = _unit(doc, s, end, "bloc", name, place, True)
                u.code = u.code_2025 = None  # a party bloc has no official code
            else:
                if level == "city":
                    level = place.level if place else "district"
                u = _unit(doc, s, end, level, name, place, party)
            units.append(u)
            covered = end
            m = search(end)
            continue
        if cat in ("N", "S"):
            if key in before and _blocked_before(f, s, before[key]):
                # "lớn nhất cả nước": the scope of a comparison, not the country's figure
                m = search(e)
                continue
            if f.startswith(" bộ", e):
                # "toàn Đảng bộ" is the article's own committee, not the whole Party
                m = search(s + 1)
                continue
            # (a ministry or central state body, S, is no party body: subjects.py)
            units.append(Unit(s, e, t[s:e], "national", "Việt Nam", party=cat == "N"))
        elif cat == "A":
            place = lookup_key(key, ("province",))
            party = bool(_PARTY_BEFORE.search(f, max(0, s - 16), s))
            units.append(_unit(doc, s, e, place.level, place.name, place, party))
        else:  # bare province name ("Bắc Giang: ...", "ở Hà Tĩnh")
            if not t[s].isupper() or key == "hồ chí minh" and not f.startswith(" city", e):
                # "Hồ Chí Minh" alone is the person (tư tưởng, Chủ tịch Hồ Chí Minh);
                # the city is written "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"
                m = search(e)
                continue
            ws = f[max(0, s - 12):s].split()
            if ws and s and f[s - 1] == " " and (ws[-1] in surnames or ws[-1] in middles) \
                    and t[s - len(ws[-1]) - 1].isupper():
                m = search(e)  # a person: "Nguyễn Hòa Bình", "Trương Hòa Bình"
                continue
            place = gazetteer()["province"][key][0]
            party = bool(_PARTY_BEFORE.search(f, max(0, s - 16), s))
            units.append(_unit(doc, s, e, "province", place.name, place, party))
        covered = e
        m = search(e)
    units = agencies.merge_places(doc, units)  # "Công an" + "TP. HCM": one body, not the city
    located = _locate(doc, units)
    return units, anaphors, located


def _parent_place(child: Unit, parent: Unit) -> tuple[bool, Place | None]:
    """Is ``parent`` (named right after ``child``) the unit ``child`` lies in?  Returns
    (yes, the child's gazetteer entry inside the parent, if it has one)."""
    if parent.party or child.level == "national" or parent.level == "national":
        return False, None
    if LEVEL_ORDER.get(parent.level, 0) <= LEVEL_ORDER.get(child.level, 0) or child.level == "bloc":
        return False, None
    if child.code is None:  # a village or an unlisted name: any parent locates it
        return parent.level != "bloc", None
    g = gazetteer()
    cands = g[child.level].get(fold(child.name), []) if child.level in g else []
    if parent.level == "province":
        hit = [c for c in cands if c.province == parent.name]
    elif parent.level == "district" and child.level == "commune":
        hit = [c for c in cands if c.district == parent.name and
               (parent.province is None or c.province == parent.province)]
    else:
        return False, None
    return (True, hit[0]) if hit else (False, None)


def _locate(doc: Doc, units: list[Unit]) -> set[int]:
    """"phường Minh Khai, quận Hai Bà Trưng, Hà Nội", "Đảng ủy xã Tứ Cường, Hải Dương":
    a unit followed by the units it lies in.  Each keeps its own span (the address is
    several mentions; subjects.py decides that the first one is the subject); the
    parents fix the province and code of the units they locate ("huyện Châu Thành,
    tỉnh Bến Tre" is not the Châu Thành of Tiền Giang).  Returns the ids of the
    located units."""
    located: set[int] = set()
    f = doc.folded
    i, n = 0, len(units)
    while i < n:
        j = i
        while (j + 1 < n and units[j].level not in ("national", "bloc")
               and units[j + 1].level not in ("national", "bloc") and not units[j + 1].party
               and LEVEL_ORDER[units[j + 1].level] > LEVEL_ORDER[units[j].level]
               and _LOCATOR_GAP.fullmatch(f, units[j].end, units[j + 1].start)):
            j += 1
        for k in range(j - 1, i - 1, -1):  # from the top of the address down
            child, parent = units[k], units[k + 1]
            ok, place = _parent_place(child, parent)
            if not ok:
                continue
            if place is not None:
                child.province, child.code = place.province, place.code
                child.province_2025, child.code_2025 = place.province_2025, place.code_2025
            else:
                child.province = parent.name if parent.level == "province" else parent.province
                child.province_2025 = parent.province_2025
            located.add(id(child))
        i = j + 1
    return located


def find_units(doc: Doc) -> tuple[list[Unit], list[tuple[int, str]]]:
    """Named unit mentions, and anaphoric level words ("toàn huyện", "Đảng bộ tỉnh")."""
    units, anaphors, _ = _find(doc)
    return units, anaphors


def annotate(doc: Doc, title_end: int) -> list[tuple[int, str]]:
    """Find the doc's unit mentions, its province and main unit; returns the anaphors."""
    doc.units, anaphors, located = _find(doc)
    fullest_bloc_names(doc.units)
    add_bare_mentions(doc)  # "ở Bình Chánh" where "huyện Bình Chánh" is named too
    foreign.annotate(doc)  # before the province is inferred: "Trùng Khánh" may be Chongqing
    if doc.article.url:
        reading = url_units.read(doc.article.url, title_empty=not doc.article.title)
        doc.url_units, doc.url_period = reading.units, reading.period
    doc.province = infer_province(doc, title_end, located)
    prov = doc.province
    for u in doc.units:
        if u.level in ("district", "commune") and prov and u.code and u.province != prov \
                and id(u) not in located:
            # re-resolve ambiguous names now that the province is known
            p = lookup_key(fold(u.name), (u.level,), prov)
            if p is not None and p.province == prov:
                u.province, u.code, u.province_2025, u.code_2025 = p.province, p.code, p.province_2025, p.code_2025
        elif u.province is None and prov and (u.level == "village" or
                                              (u.level == "commune" and u.code is None) or
                                              (u.level == "bloc" and not u.name.endswith("Trung ương"))):
            u.province = prov  # an unlisted village or commune, a provincial bloc: the article's province
            end = _BARE_LEVEL_END.search(u.name)
            if u.level == "bloc" and end and end.group(1).lower() == _province_kind(prov):
                u.name = f"{u.name} {prov}"  # "Khối các cơ quan tỉnh" is that province's bloc
        if u.province_2025 is None and u.province:
            u.province_2025 = province_2025(u.province)
    doc.main_unit = main_unit(doc, title_end, anaphors)
    return anaphors


# a bloc's name ending on a bare level word: its province is the article's
_BARE_LEVEL_END = re.compile(r"\s(tỉnh|thành phố)$", re.IGNORECASE)


def _province_kind(name: str) -> str | None:
    """"tỉnh" or "thành phố" (a centrally-run city): the level word its blocs are named with."""
    p = lookup(name, ("province",))
    return p.kind.lower() if p is not None and p.kind else None


# ---------------------------------------------------------------- the units table

UNIT_COLUMNS = ["article_id", "span_start", "span_end", "surface", "level", "name", "province",
                "province_2025", "code", "code_2025", "is_party"]


def unit_rows(article_id: str, doc: Doc) -> list[dict]:
    """One row per unit mention of an annotated doc (the ``units`` table), then one per
    unit its URL names (no span: the surface is the host label or slug words)."""
    out = []
    for u, in_text in [(u, True) for u in doc.units] + [(u, False) for u in doc.url_units]:
        prov = u.province if u.level != "national" else None
        out.append({
            "article_id": article_id, "span_start": u.start if in_text else None,
            "span_end": u.end if in_text else None,
            "surface": u.surface, "level": u.level, "name": u.name, "province": prov,
            "province_2025": u.province_2025 or province_2025(prov),
            "code": u.code, "code_2025": u.code_2025, "is_party": bool(u.party),
        })
    return out

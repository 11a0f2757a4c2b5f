"""Named units: the admin-unit gazetteer and unit mentions in an article.

The gazetteer is read from the ``vietnamadminunits`` package (63 provinces, 696
districts, 10k communes, with official codes) plus data/former_districts.tsv for
districts merged away before the package's snapshot and data/unit_aliases.tsv.
"""
from __future__ import annotations

import importlib.util
import re
import sqlite3
from pathlib import Path
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import regex

from .doc import Doc, Unit
from .tables import phrase_alternation, rows
from .textnorm import fold, fold_phrase
from .vocab import vocab


@dataclass(frozen=True)
class Place:
    level: str      # province, district, commune
    name: str
    province: str
    code: str | None
    kind: str = ""  # Huyện, Quận, Thành phố, Xã, ...


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, dict[str, list[Place]]]:
    """{level: {folded name: [Place, ...]}}."""
    # locate the package's data without importing it (its __init__ pulls in pandas/shapely)
    spec = importlib.util.find_spec("vietnamadminunits")
    db = Path(spec.submodule_search_locations[0]) / "data" / "dataset.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out: dict[str, dict[str, list[Place]]] = {"province": defaultdict(list),
                                              "district": defaultdict(list),
                                              "commune": defaultdict(list)}
    seen = set()
    q = ("select distinct provinceShort, provinceCode, districtShort, districtType, districtCode, "
         "wardShort, wardType, wardCode from admin_units_legacy")
    for p, pc, d, dt_, dc, w, wt, wc in con.execute(q):
        for level, name, code, kind in (("province", p, pc, ""), ("district", d, dc, dt_),
                                        ("commune", w, wc, wt)):
            if not name or (level, name, code) in seen:
                continue
            seen.add((level, name, code))
            out[level][fold(name)].append(Place(level, name, p, code, kind or ""))
    con.close()
    for d, p, *_ in rows("former_districts"):
        if not out["district"].get(fold(d)):
            out["district"][fold(d)].append(Place("district", d, p, None, "Huyện"))
    return out


@lru_cache(maxsize=1)
def aliases() -> dict[str, tuple[str, str]]:
    return {fold_phrase(a): (lvl, name) for a, lvl, name, *_ in rows("unit_aliases")}


def lookup(name: str, levels=("province", "district", "commune"), province: str | None = None) -> Place | None:
    g = gazetteer()
    key = fold(" ".join(name.split()))
    if key in aliases():
        lvl, nm = aliases()[key]
        return Place(lvl, nm, nm if lvl == "province" else "", None)
    for level in levels:
        cands = g[level].get(key)
        if not cands:
            continue
        if province:
            inprov = [c for c in cands if c.province == province]
            if inprov:
                return inprov[0]
        if len(cands) == 1 or level == "province":
            return cands[0]
        if not province:
            return cands[0]
    return None


_LEVELS = {fold_phrase(w): (lvl, kind) for w, lvl, kind, *_ in rows("unit_levels")}
# Whole-document scans over tries of literal phrases: stdlib `re` ([^\W\d_] = a letter),
# several times faster than `regex` here and safe from backtracking.
_LEVEL_RE = re.compile(rf"(?<![^\W\d_])(?<!\.)(?P<w>{phrase_alternation(_LEVELS)})(?![^\W\d_])")
_NAME = regex.compile(r"\s*(?P<n>(?:\p{Lu}[\p{L}\p{M}]*|\d+\p{L}?)(?:[\s-]+(?:\p{Lu}[\p{L}\p{M}]*|\d+))*)")
_ANAPHOR_BLOCK = regex.compile(r"(?:các|những|mỗi|từng|số|nhiều|cấp|cùng)\s*$")
_PARTY_BEFORE = regex.compile(r"(?:đảng bộ|đảng ủy|ban thường vụ|btv|chi bộ)\s*$")
_TITLE_PREFIX = regex.compile(r"^\s*(?P<n>[^:\n]{2,40}):")
_OUTLET = regex.compile(r"^\s*\(?\s*(?P<o>[\p{L}.]{2,12})\s*\)?\s*[-–]")
_BLANK = regex.compile(r"[ \t]*")
_WORD = regex.compile(r"[\p{L}\p{M}\d]+")
_BREAK = regex.compile(r"[\n,;:()]")
_LEVEL_ADMIN = {"province": ("province",), "city": ("province", "district"),
                "district": ("district",), "commune": ("commune",)}


def _resolve_after(doc: Doc, pos: int, level: str) -> tuple[str, int, Place | None] | None:
    """Name after a level word at pos: longest gazetteer match, else a capitalised run."""
    f, t = doc.folded, doc.text
    m = _BLANK.match(f, pos)
    p = m.end() if m else pos
    words = list(_WORD.finditer(f[p:p + 60]))[:4]
    levels = _LEVEL_ADMIN.get(level)
    if levels and words and words[0].start() == 0:
        for n in range(len(words), 0, -1):
            end = p + words[n - 1].end()
            cand = t[p:end]
            if _BREAK.search(cand):
                continue
            place = lookup(cand, levels, doc.province)
            if place:
                return place.name, end, place
    if level not in ("commune", "village"):
        return None  # provinces and districts must be in the gazetteer ("Tỉnh ủy Hồ Thị ..." is a person)
    mn = _NAME.match(t, p)
    if mn and mn.start("n") == p and "\n" not in mn["n"]:
        return mn["n"], mn.end("n"), None
    return None


def find_units(doc: Doc) -> tuple[list[Unit], list[tuple[int, str]]]:
    """Named unit mentions, and anaphoric level words ("toàn huyện", "Đảng bộ tỉnh")."""
    f, t = doc.folded, doc.text
    units: list[Unit] = []
    anaphors: list[tuple[int, str]] = []
    for m in _LEVEL_RE.finditer(f):
        w = " ".join(m["w"].split())
        level, kind = _LEVELS[w]
        r = _resolve_after(doc, m.end(), level)
        party = kind == "party" or bool(_PARTY_BEFORE.search(f[max(0, m.start() - 12):m.start()]))
        if r is None:
            if not _ANAPHOR_BLOCK.search(f[max(0, m.start() - 8):m.start()]):
                anaphors.append((m.start(), "province" if level == "city" else level))
            continue
        name, end, place = r
        if level == "city":
            level = place.level if place else "district"
        if name[:1].isdigit():
            name = f"{t[m.start():m.end()].rstrip('.').title()} {name}"
        units.append(Unit(m.start(), end, t[m.start():end], level, name,
                          province=(place.province if place else None),
                          code=(place.code if place else None), party=party))
    for m in vocab().national_re.finditer(f):
        if f.startswith(" bộ", m.end()):
            continue  # "toàn Đảng bộ" is the article's own committee, not the whole Party
        units.append(Unit(m.start(), m.end(), t[m.start():m.end()], "national", "Việt Nam", party=True))
    for m in _alias_re().finditer(f):
        lvl, name = aliases()[" ".join(m.group().split())]
        if not any(u.start <= m.start() < u.end for u in units):
            units.append(Unit(m.start(), m.end(), t[m.start():m.end()], lvl, name, province=name))
    # bare province names ("Bắc Giang: ...", "ở Hà Tĩnh")
    g = gazetteer()["province"]
    for m in _province_re().finditer(f):
        if any(u.start <= m.start() < u.end for u in units):
            continue
        if not t[m.start()].isupper():
            continue
        p = g[" ".join(m.group().split())][0]
        units.append(Unit(m.start(), m.end(), t[m.start():m.end()], "province", p.name, province=p.name, code=p.code))
    units.sort(key=lambda u: u.start)
    return units, anaphors


@lru_cache(maxsize=1)
def _alias_re():
    return re.compile(rf"(?<![^\W\d_])(?:{phrase_alternation(aliases())})(?![^\W\d_])")


@lru_cache(maxsize=1)
def _province_re():
    return re.compile(rf"(?<![^\W\d_])(?:{phrase_alternation(gazetteer()['province'])})(?![^\W\d_])")


def infer_province(doc: Doc) -> str | None:
    votes: Counter = Counter()
    head = doc.folded[:400]
    for line in head.split("\n")[:8]:
        m = _OUTLET.match(line)
        if m:
            for o, prov, *_ in rows("outlets"):
                if fold_phrase(o) == m["o"].strip("().") and prov != "-":
                    votes[prov] += 5
    for u in doc.units:
        if u.level == "province":
            votes[u.name] += 2
        elif u.province:
            votes[u.province] += 1
    if doc.article.title:
        m = _TITLE_PREFIX.match(doc.article.title)
        if m:
            p = lookup(m["n"].strip())
            if p:
                votes[p.province or p.name] += 3
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def main_unit(doc: Doc, title_end: int) -> Unit | None:
    """The unit an article is about: a unit named in the title, else the most named body."""
    cands = [u for u in doc.units if u.level != "national"]
    title_units = [u for u in cands if u.start < title_end + 60 and u.level in ("province", "district", "commune")]
    if doc.article.title:
        m = _TITLE_PREFIX.match(doc.article.title)
        if m:
            p = lookup(m["n"].strip(), province=doc.province)
            if p:
                return Unit(0, 0, m["n"], p.level, p.name, p.province, p.code)
    body = Counter((u.level, u.name) for u in cands if u.level in ("province", "district", "commune") and u.party)
    if title_units:
        # the most specific unit in the title
        order = {"commune": 0, "district": 1, "province": 2}
        u = sorted(title_units, key=lambda u: (order[u.level], u.start))[0]
        return u
    if body:
        (lvl, name), _ = body.most_common(1)[0]
        return next(u for u in cands if (u.level, u.name) == (lvl, name))
    if doc.province:
        return Unit(0, 0, doc.province, "province", doc.province, doc.province)
    return None


def annotate(doc: Doc, title_end: int) -> list[tuple[int, str]]:
    doc.units, anaphors = find_units(doc)
    doc.province = infer_province(doc)
    # re-resolve ambiguous district names now that the province is known
    for u in doc.units:
        if u.level in ("district", "commune") and doc.province and u.province and u.province != doc.province:
            p = lookup(u.name, (u.level,), doc.province)
            if p and p.province == doc.province:
                u.province, u.code = p.province, p.code
    doc.main_unit = main_unit(doc, title_end)
    return anaphors

"""Named units: the admin-unit gazetteer and unit mentions in an article.

Gazetteer, old and new.  Read once per process from the files of the
``vietnamadminunits`` package, without importing it (its ``__init__`` pulls in
pandas and shapely, 2.4 s):

- ``dataset.db`` table ``admin_units_legacy``: the 63 provinces, 696 districts and
  10k communes before the 2025 reform, with their official (GSO) codes;
- ``dataset.db`` table ``admin_units``: the 34 provinces and 3,321 communes of 2025;
- ``converter_2025.json``: which old province and commune became which new one.

Every ``Place`` carries its old name, province and code and its 2025 successor:
the new province for every level, the new commune (name and code) for a commune.
Districts were abolished in 2025, so a district only has its new province.
``data/former_districts.tsv`` adds districts merged away before the package's
snapshot (Đạ Tẻh, Yên Dũng, Quận 2 ...); ``data/unit_aliases.tsv`` spellings the
package lacks (TP HCM, Thừa Thiên Huế).

Mentions.  One scan of the folded text over a trie of every phrase that can start a
mention: level words (``data/unit_levels.tsv``: "huyện", "Huyện ủy", "Đảng ủy xã",
"Đảng bộ Khối", "TP.", "P."), national bodies (``data/national_bodies.tsv``),
aliases and province names.  A level word takes the longest gazetteer name after
it ("huyện Lập Thạch"), a number ("quận 7" -> "Quận 7") or, for communes and
villages, a capitalised name; without a name it is an anaphor ("toàn huyện").  A
parent named right after a unit locates it and joins its span ("quận Hải Châu, TP.
Đà Nẵng").  ``data/unit_blocks.tsv`` holds the guards ("xã hội", "văn bản").
"""
from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from . import foreign
from .doc import Doc, Unit
from .tables import phrase_alternation, rows
from .textnorm import fold, fold_phrase


@dataclass(frozen=True)
class Place:
    level: str                      # province, district, commune
    name: str                       # short name: "Lập Thạch", "Quận 7", "Phường 15"
    province: str | None            # pre-2025 province (63-province scheme)
    code: str | None                # official code, old scheme (province/district/commune)
    kind: str = ""                  # Tỉnh, Thành phố, Huyện, Quận, Thị xã, Xã, Phường, Thị trấn
    province_2025: str | None = None  # the province after the 2025 merger (34 provinces)
    code_2025: str | None = None    # new province code; for a commune the new commune's code
    name_2025: str | None = None    # new province; for a commune the new commune it joined
    district: str | None = None     # for a commune: its pre-2025 district


LEVEL_ORDER = {"village": 0, "commune": 1, "district": 2, "bloc": 3, "province": 4, "national": 5}


# ---------------------------------------------------------------- gazetteer


def _package_data() -> Path:
    # locate the package's data without importing it (its __init__ pulls in pandas/shapely)
    spec = importlib.util.find_spec("vietnamadminunits")
    return Path(spec.submodule_search_locations[0]) / "data"


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, dict[str, list[Place]]]:
    """{level: {folded name: [Place, ...]}}; levels province, district, commune and
    commune_2025 (the communes of 2025, a fallback for names the old list lacks)."""
    data = _package_data()
    con = sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True)
    conv = json.loads((data / "converter_2025.json").read_text("utf-8"))

    new_prov: dict[str, tuple[str, str]] = {}                # key -> (name, code)
    new_ward: dict[tuple[str, str], tuple[str, str, str]] = {}  # (prov key, ward key) -> (name, type, code)
    for pk, ps, pc, wk, ws, wt, wc in con.execute(
            "select provinceKey, provinceShort, provinceCode, wardKey, wardShort, wardType, wardCode "
            "from admin_units"):
        new_prov[pk] = (ps, pc)
        new_ward[(pk, wk)] = (ws, wt, wc)
    prov_succ = {old: new for new, olds in conv["DICT_PROVINCE"].items() for old in olds}
    # "oldprovince_olddistrict_oldward" -> (new province key, new ward key)
    ward_succ: dict[str, tuple[str, str]] = {}
    for npk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for nwk, olds in wards.items():
            for ok in olds:
                ward_succ[ok] = (npk, nwk)
    for npk, divided in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for ok, news in divided.items():
            if news:  # a commune split in 2025: the package's default successor
                best = next((w for w in news if w.get("isDefaultNewWard")), news[0])
                ward_succ.setdefault(ok, (npk, best["newWardKey"]))

    out: dict[str, dict[str, list[Place]]] = {lvl: defaultdict(list) for lvl in
                                              ("province", "district", "commune", "commune_2025")}
    seen = set()
    old_prov_of_new_ward: dict[tuple[str, str], set] = defaultdict(set)
    q = ("select provinceShort, province, provinceCode, provinceKey, districtShort, districtType, "
         "districtCode, districtKey, wardShort, wardType, wardCode, wardKey from admin_units_legacy")
    for p, pfull, pc, pk, d, dt_, dc, dk, w, wt, wc, wk in con.execute(q):
        np_name, np_code = new_prov.get(prov_succ.get(pk), (None, None))
        if ("province", pc) not in seen:
            seen.add(("province", pc))
            kind = pfull[: len(pfull) - len(p)].strip() if pfull and pfull.endswith(p) else ""
            out["province"][fold(p)].append(Place("province", p, p, pc, kind, np_name, np_code, np_name))
        if d and ("district", dc) not in seen:
            seen.add(("district", dc))
            # island districts became special zones (đặc khu), the converter's "prov_dist_" key
            zk = ward_succ.get(f"{pk}_{dk}_")
            zone = new_ward.get(zk) if zk else None
            out["district"][fold(d)].append(Place(
                "district", d, p, dc, dt_ or "", np_name,
                zone[2] if zone else None, zone[0] if zone else None))
        if w and ("commune", wc) not in seen:
            seen.add(("commune", wc))
            nk = ward_succ.get(f"{pk}_{dk}_{wk}")
            nw = new_ward.get(nk) if nk else None
            if nk:
                old_prov_of_new_ward[nk].add(p)
            out["commune"][fold(w)].append(Place(
                "commune", w, p, wc, wt or "",
                new_prov[nk[0]][0] if nk and nk[0] in new_prov else np_name,
                nw[2] if nw else None, nw[0] if nw else None, d))
    for (pk, wk), (ws, wt, wc) in new_ward.items():
        olds = old_prov_of_new_ward.get((pk, wk), set())
        out["commune_2025"][fold(ws)].append(Place(
            "commune", ws, next(iter(olds)) if len(olds) == 1 else None, None, wt or "",
            new_prov[pk][0], wc, ws))
    con.close()

    for d, kind, p, succ, *_ in rows("former_districts"):
        if any(c.province == p for c in out["district"].get(fold(d), [])):
            continue  # the package lists it after all
        heir = next((c for c in out["district"].get(fold(succ), []) if c.province == p), None)
        prov = out["province"][fold(p)][0]
        out["district"][fold(d)].append(Place(
            "district", d, p, None, kind, heir.province_2025 if heir else prov.province_2025))
    return out


@lru_cache(maxsize=1)
def aliases() -> dict[str, tuple[str, str]]:
    """{folded alias: (level, gazetteer name)}"""
    return {fold_phrase(a): (lvl, name) for a, lvl, name, *_ in rows("unit_aliases")}


def _pick(cands: list[Place], province: str | None, kind: str | None) -> Place:
    if len(cands) == 1:
        return cands[0]
    best = cands
    if province:
        inprov = [c for c in best if c.province == province]
        if inprov:
            best = inprov
    if kind:
        same = [c for c in best if c.kind == kind]
        if same:
            best = same
    return best[0]


@lru_cache(maxsize=1 << 16)
def _lookup_key(key: str, levels: tuple[str, ...], province: str | None = None,
                kind: str | None = None) -> Place | None:
    """``key``: a folded name with single spaces."""
    al = aliases().get(key)
    if al is not None:
        lvl, nm = al
        cands = gazetteer()[lvl].get(fold(nm))
        if cands:
            return _pick(cands, province, None)
        return Place(lvl, nm, nm if lvl == "province" else None, None)
    g = gazetteer()
    for level in levels:
        cands = g[level].get(key)
        if level == "commune" and province and not any(c.province == province for c in cands or ()):
            # a commune of 2025 ("phường Ba Đình", Hà Nội) in an article about its province
            new = [c for c in g["commune_2025"].get(key, ()) if province in (c.province, c.province_2025)]
            cands = new or cands
        elif not cands and level == "commune":
            cands = g["commune_2025"].get(key)
        if cands:
            return _pick(cands, province, kind)
    return None


def lookup(name: str, levels=("province", "district", "commune"), province: str | None = None,
           kind: str | None = None) -> Place | None:
    """The gazetteer unit called ``name`` (any spelling, case, tone placement), trying
    ``levels`` in order; among namesakes the one in ``province``, then of ``kind``."""
    return _lookup_key(fold(" ".join(name.split())), tuple(levels), province, kind)


@lru_cache(maxsize=None)
def province_2025(name_pre2025: str | None) -> str | None:
    """The 2025 province (34-province scheme) a pre-2025 province became part of:
    "Vĩnh Phúc" -> "Phú Thọ", "Bắc Giang" -> "Bắc Ninh"; a 2025 name maps to itself."""
    if not name_pre2025:
        return None
    p = lookup(name_pre2025, ("province",))
    return p.province_2025 if p is not None and p.level == "province" else None


# ---------------------------------------------------------------- vocabularies

_LEVELS: dict[str, tuple[str, str, str]] = {
    fold_phrase(w): (lvl, kind, "" if typ == "-" else typ) for w, lvl, kind, typ, *_ in rows("unit_levels")}


@lru_cache(maxsize=1)
def _blocks():
    before: dict[str, set] = defaultdict(set)
    after: dict[str, set] = defaultdict(set)
    named, names, surnames, middles = set(), set(), set(), set()
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
    return before, after, named, names, surnames, middles


@lru_cache(maxsize=1)
def _scanner():
    """One regex over every phrase that can start a mention, and its category:
    L level word, N national body, A alias, P province name."""
    cats: dict[str, str] = {}
    for w in _LEVELS:
        cats.setdefault(w, "L")
    for cue, *_ in rows("national_bodies"):
        cats.setdefault(" ".join(fold_phrase(cue).split()), "N")
    for a in aliases():
        cats.setdefault(" ".join(a.split()), "A")
    for p in gazetteer()["province"]:
        cats.setdefault(p, "P")
    # stdlib `re` on a trie of literals.  The left word boundary is checked in Python
    # on each hit: a lookbehind tried at every position costs a third of the scan.
    # Right boundary: no letter after the phrase, unless it ends with "." (an
    # abbreviation touching its name: "TP.Huế", "Q.Sơn Trà").
    return re.compile(rf"(?:{phrase_alternation(cats)})(?:(?<=\.)|(?![^\W\d_]))"), cats


@lru_cache(maxsize=1)
def _outlets():
    tags, sites = {}, {}
    for o, prov, *_ in rows("outlets"):
        key = fold_phrase(o)
        tags[key] = None if prov == "-" else prov
        if key.startswith("bao") and prov != "-":
            sites[key] = prov
    return tags, sites


_NUMBER = re.compile(r"\d+[a-zđ]?(?![^\W_])(?![.,]\d)")
_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r"[ \t]*(?:-[ \t]*)?([^\W_]+)")
_BREAK_RE = re.compile(r"[\n,;:()]")
_ANAPHOR_BLOCK = re.compile(r"(?:các|những|mỗi|từng|số|nhiều|cấp|cùng)\s*$")
_PARTY_BEFORE = re.compile(r"(?:đảng bộ|đảng ủy|ban thường vụ|btv|chi bộ)[ \t]*$")
_TITLE_PREFIX = re.compile(r"^\s*(?P<n>[^:\n]{2,40}):")
_OUTLET = re.compile(r"^\s*\(?\s*(?P<o>(?:[^\W\d_]|\.){2,12})\s*\)?\s*-")
_LOCATOR_GAP = re.compile(r"[ \t]*[,(-]?[ \t]*")
_TW_DOC = re.compile(r"(?:nghị quyết|hội nghị|nq)\s+(?:số\s+)?(?:\d+\s+)?(?:của\s+)?(?:ban chấp hành\s+)?trung ương")
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
    p = _lookup_key(key, ("province",))
    if p is not None and p.level == "province" and p.kind == "Thành phố":
        return p
    d = _lookup_key(key, ("district",), province, "Thành phố")
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
            place = _lookup_key(key, levels, doc.province, typ or None)
        if place is not None:
            return end, place
    return None


def _capitalised_name(doc: Doc, p: int) -> tuple[str, int] | None:
    """A run of capitalised words at p ("Đồng Lạc"), cut before a person's name."""
    f, t = doc.folded, doc.text
    _, _, _, stops, surnames, middles = _blocks()
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
        return _resolve_bloc(doc, p)
    c = t[p]
    if c.isdigit():
        m = _NUMBER.match(f, p)
        if not m or typ not in _NUMBERED_TYPES:
            return None
        name = f"{typ} {t[p:m.end()].upper()}"
        if level in ("district", "commune", "city"):
            place = _lookup_key(fold(name), ("district",) if level == "city" else (level,),
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


def _find(doc: Doc):
    f, t = doc.folded, doc.text
    rx, cats = _scanner()
    before, after, named, _, surnames, middles = _blocks()
    units: list[Unit] = []
    anaphors: list[tuple[int, str]] = []
    covered = 0
    n = len(f)
    search = rx.search
    m = search(f)
    while m:
        s, e = m.span()
        key = m.group()
        if not key.isalpha():
            key = " ".join(key.split())
        cat = cats.get(key)
        prev = f[s - 1] if s else " "
        nxt = f[e] if e < n else " "
        if (cat is None or prev.isalpha() or (nxt.isalpha() and key[-1].isalpha())
                or (cat == "L" and prev == ".") or (cat == "N" and (prev.isdigit() or nxt.isdigit()))):
            m = search(f, s + 1)
            continue
        if s < covered:  # inside a unit already read ("Thành ủy TP. HCM")
            m = search(f, e)
            continue
        if cat == "L":
            level, kind, typ = _LEVELS[key]
            head = f[max(0, s - 16):s]
            if head.endswith((" ", "\t")) and key in before:
                ws = head.split()
                if ws and (ws[-1] in before[key] or " ".join(ws[-2:]) in before[key]):
                    m = search(f, e)
                    continue
            if key in after:
                wm = _WORD.match(f, e + 1) if nxt == " " else None
                if wm and wm.group() in after[key]:
                    m = search(f, wm.end())
                    continue
            if kind == "abbr" and prev == "(":
                m = search(f, e)  # "(P.1)": part one of a series, not a ward
                continue
            r = _resolve_after(doc, e, key, level, kind, typ)
            if r is None:
                if kind != "abbr" and key not in named and not _ANAPHOR_BLOCK.search(f, max(0, s - 8), s):
                    anaphors.append((s, "province" if level == "city" else level))
                m = search(f, e)
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
            m = search(f, end)
            continue
        if cat == "N":
            if f.startswith(" bộ", e):
                # "toàn Đảng bộ" is the article's own committee, not the whole Party
                m = search(f, s + 1)
                continue
            units.append(Unit(s, e, t[s:e], "national", "Việt Nam", party=True))
        elif cat == "A":
            place = _lookup_key(key, ("province",))
            party = bool(_PARTY_BEFORE.search(f, max(0, s - 16), s))
            units.append(_unit(doc, s, e, place.level, place.name, place, party))
        else:  # bare province name ("Bắc Giang: ...", "ở Hà Tĩnh")
            if not t[s].isupper() or key == "hồ chí minh" and not f.startswith(" city", e):
                # "Hồ Chí Minh" alone is the person (tư tưởng, Chủ tịch Hồ Chí Minh);
                # the city is written "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"
                m = search(f, e)
                continue
            ws = f[max(0, s - 12):s].split()
            if ws and s and f[s - 1] == " " and (ws[-1] in surnames or ws[-1] in middles) \
                    and t[s - len(ws[-1]) - 1].isupper():
                m = search(f, e)  # a person: "Nguyễn Hòa Bình", "Trương Hòa Bình"
                continue
            place = gazetteer()["province"][key][0]
            party = bool(_PARTY_BEFORE.search(f, max(0, s - 16), s))
            units.append(_unit(doc, s, e, "province", place.name, place, party))
        covered = e
        m = search(f, e)
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
    several mentions; attribute.py decides that the first one is the subject); the
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


# ---------------------------------------------------------------- article level


def _title_prefix(doc: Doc) -> tuple[str, int] | None:
    """"Bắc Giang: ...", "Đảng ủy xã Tứ Cường, Hải Dương: ..." -> (the prefix, its end
    in doc.text, or -1 when the title is not at the start of the text)."""
    title = doc.article.title
    if not title:
        return None
    m = _TITLE_PREFIX.match(title)
    if not m:
        return None
    at = m.end("n") if doc.text.startswith(title) else -1
    return m["n"].strip(), at


_PREFIX_PART = re.compile(r"[^,;\-]+")


def _prefix_place(doc: Doc) -> tuple[Place | Unit, str] | None:
    """The unit a title prefix names: the most specific unit read inside it, or a
    bare district or commune name the scan does not read ("Đoàn Tùng, Hải Dương: ...",
    "Ðạ Tẻh: ...")."""
    tp = _title_prefix(doc)
    if tp is None:
        return None
    text, end = tp
    if end < 0:
        p = lookup(text, province=doc.province)
        return (p, text) if p else None
    inside = [u for u in doc.units if u.end <= end and u.level in ("province", "district", "commune")]
    best: Place | Unit | None = min(inside, key=lambda u: (LEVEL_ORDER[u.level], u.start)) if inside else None
    prov = None if best is None else (best.name if best.level == "province" else best.province)
    for m in _PREFIX_PART.finditer(doc.text, 0, end):
        s, e = m.start(), m.end()
        while s < e and doc.text[s].isspace():
            s += 1
        while e > s and doc.text[e - 1].isspace():
            e -= 1
        if s == e or not doc.text[s].isupper() or any(u.start < e and s < u.end for u in inside):
            continue
        part = doc.text[s:e]
        p = lookup(part, ("province", "district", "commune") if best is None else ("district", "commune"),
                   province=prov or doc.province)
        if p is None or (prov and p.province != prov):
            continue
        if best is None or LEVEL_ORDER[p.level] < LEVEL_ORDER[best.level]:
            best = p
    return (best, text) if best is not None else None


def national_score(doc: Doc) -> float:
    """How much the article speaks of the whole Party: national bodies named, plus
    half of each "Trung ương" that is not a resolution's name ("Nghị quyết Trung ương 4")."""
    nat = sum(1 for u in doc.units if u.level == "national")
    f = doc.folded
    tw = f.count("trung ương")
    if tw:
        tw -= len(_TW_DOC.findall(f))
    return nat + 0.5 * max(tw, 0)


@lru_cache(maxsize=1 << 14)
def _ambiguous(level: str, name: str) -> bool:
    """Several units of this level share the name ("Phường 1", "Tân Lập")."""
    g = gazetteer()
    return level in g and len(g[level].get(fold(name), ())) > 1


def infer_province(doc: Doc, title_end: int = 0, located: set[int] | None = None) -> str | None:
    """The province (pre-2025 name) an article is about, or None for a national or
    multi-province article.  Votes: an outlet tag or site 5, a title prefix 3, the
    first unit of the title 3, a province named 2, a unit in a province 1 (none when
    its name is shared by units of several provinces, unless a parent named after it
    placed it: ``located``, ids of such units)."""
    located = located or set()
    votes: Counter = Counter()
    tags, sites = _outlets()
    outlet = False
    for line in doc.folded[:400].split("\n")[:8]:
        m = _OUTLET.match(line)
        if m:
            prov = tags.get(m["o"].strip("()."))
            if prov:
                votes[prov] += 5
                outlet = True
    url = (doc.article.url or "").lower()
    if url:
        for site, prov in sites.items():
            if site in url:
                votes[prov] += 5
                outlet = True
    first_title = None
    for u in doc.units:
        if u.level == "national":
            continue
        prov = u.name if u.level == "province" else u.province
        if not prov:
            continue
        if first_title is None and u.start < title_end:
            first_title = prov
        if u.level == "province":
            votes[prov] += 2
        elif id(u) in located or u.code is None or not _ambiguous(u.level, u.name):
            votes[prov] += 1
    pp = _prefix_place(doc)
    if pp is not None:
        p = pp[0]
        votes[p.province or p.name] += 3
    elif first_title:
        votes[first_title] += 3
    if not votes:
        return None
    (top, n), = votes.most_common(1)
    if not outlet:
        if national_score(doc) > n:
            return None  # the Party's central bodies outweigh any one province
        total = sum(votes.values())
        if len(votes) >= 5 and n < 0.3 * total:
            return None  # a round-up of many provinces
    return top


def _as_unit(p: Place | Unit, surface: str) -> Unit:
    if isinstance(p, Unit):
        return p
    prov = p.province if p.level != "province" else p.name
    return Unit(0, 0, surface, p.level, p.name, prov, p.code, False, p.province_2025, p.code_2025)


LEAD_PARAGRAPHS = 3  # the title and the first paragraphs say what an article is about
NATIONAL = Unit(0, 0, "Việt Nam", "national", "Việt Nam", party=True)


def main_unit(doc: Doc, title_end: int, anaphors=()) -> Unit | None:
    """The unit an article is about (see ``_named_main``), the whole Party for a report
    whose lead opens with a national body, and the district a province's lead opens with."""
    if _national_lead(doc, title_end):
        return NATIONAL
    main = _named_main(doc, title_end, anaphors)
    if main is not None and main.level == "province":
        return _opening_unit_within(doc, main, title_end) or main
    return main


def lead_end(doc: Doc) -> int:
    """End of the lead: the title and the first LEAD_PARAGRAPHS paragraphs."""
    return doc.paragraphs[min(LEAD_PARAGRAPHS, len(doc.paragraphs)) - 1][1] if doc.paragraphs else 0


def _national_lead(doc: Doc, title_end: int) -> bool:
    """A report on the whole Party ("68 Đảng bộ trực thuộc Trung ương đã tổ chức đại hội",
    "Ủy ban Kiểm tra Trung ương kỷ luật 7 cán bộ"): no title prefix, no local unit in the
    title, and the first body the lead names is a national one (data/national_bodies.tsv)."""
    if doc.article.title and _TITLE_PREFIX.match(doc.article.title):
        return False  # "Đà Nẵng: ..." names its unit up front
    end = lead_end(doc)
    for u in doc.units:
        if u.start >= end:
            break
        if u.level == "national":
            return True
        if u.start < title_end or u.party:
            return False  # a local unit in the title, or a local party body first
    return False


def _opening_unit_within(doc: Doc, main: Unit, title_end: int) -> Unit | None:
    """"Đà Nẵng: Một quận thi hành kỷ luật" + lead "Quận Sơn Trà, TP. Đà Nẵng đã ...":
    the district or commune the first paragraph opens with, inside the main province."""
    first = next(((ps, pe) for ps, pe in doc.paragraphs if ps >= title_end), None)
    if first is None or len(doc.paragraphs) < 2:
        return None
    ps, pe = first
    for u in doc.units:
        if u.start < ps:
            continue
        if u.start - ps > 40 or u.start >= pe:
            return None
        if u.level in ("district", "commune") and u.province == main.name:
            return u
        return None
    return None


def _named_main(doc: Doc, title_end: int, anaphors=()) -> Unit | None:
    """The unit of a title prefix ("Bắc Giang: ..."), else the most specific unit in the
    title, else the most named party body, else the province, else the whole Party for
    a national article."""
    cands = [u for u in doc.units if u.level != "national"]
    pp = _prefix_place(doc)
    if pp is not None:
        main = _as_unit(*pp)
        # "Đà Nẵng: Một quận thi hành kỷ luật ...": the title points below its prefix;
        # the lead names the unit ("Quận Sơn Trà, TP. Đà Nẵng đã ...")
        order = LEVEL_ORDER.get(main.level, 9)
        for pos, lvl in anaphors:
            if pos >= title_end or LEVEL_ORDER.get(lvl, 9) >= order \
                    or not doc.folded.endswith("một ", 0, pos):
                continue
            prov = main.name if main.level == "province" else main.province
            lead = [u for u in cands if title_end <= u.start < title_end + 300 and u.level == lvl
                    and (u.province is None or u.province == prov)]
            if lead:
                return lead[0]
        return main
    title_units = [u for u in cands if u.start < title_end + 60 and u.level in ("province", "district", "commune")]
    if title_units:
        # the most specific unit in the title
        return sorted(title_units, key=lambda u: (LEVEL_ORDER[u.level], u.start))[0]
    national = [u for u in doc.units if u.level == "national"]
    # a party article with no province of its own speaks for the whole Party (or a
    # central bloc); general news that says "cả nước" once is not thereby national
    if doc.province is None and national and doc.folded.count("đảng") >= 3:
        blocs = Counter(u.name for u in cands if u.level == "bloc")
        if blocs:
            name, _ = blocs.most_common(1)[0]
            return next(u for u in cands if u.name == name and u.level == "bloc")
        return Unit(0, 0, national[0].surface, "national", "Việt Nam", party=True)
    body = Counter((u.level, u.name) for u in cands
                   if u.level in ("province", "district", "commune", "bloc") and u.party)
    if body:
        (lvl, name), _ = body.most_common(1)[0]
        return next(u for u in cands if (u.level, u.name) == (lvl, name))
    if doc.province:
        return Unit(0, 0, doc.province, "province", doc.province, doc.province,
                    province_2025=province_2025(doc.province))
    return None


def annotate(doc: Doc, title_end: int) -> list[tuple[int, str]]:
    doc.units, anaphors, located = _find(doc)
    foreign.annotate(doc)  # before the province is inferred: "Trùng Khánh" may be Chongqing
    doc.province = infer_province(doc, title_end, located)
    prov = doc.province
    for u in doc.units:
        if u.level in ("district", "commune") and prov and u.code and u.province != prov \
                and id(u) not in located:
            # re-resolve ambiguous names now that the province is known
            p = _lookup_key(fold(u.name), (u.level,), prov)
            if p is not None and p.province == prov:
                u.province, u.code, u.province_2025, u.code_2025 = p.province, p.code, p.province_2025, p.code_2025
        elif u.province is None and prov and (u.level == "village" or
                                              (u.level == "commune" and u.code is None) or
                                              (u.level == "bloc" and not u.name.endswith("Trung ương"))):
            u.province = prov  # an unlisted village or commune, a provincial bloc: the article's province
        if u.province_2025 is None and u.province:
            u.province_2025 = province_2025(u.province)
    doc.main_unit = main_unit(doc, title_end, anaphors)
    return anaphors


# ---------------------------------------------------------------- the units table

UNIT_COLUMNS = ["article_id", "span_start", "span_end", "surface", "level", "name", "province",
                "province_2025", "code", "code_2025", "is_party"]


def unit_rows(article_id: str, doc: Doc) -> list[dict]:
    """One row per unit mention of an annotated doc (the ``units`` table)."""
    out = []
    for u in doc.units:
        prov = u.province if u.level != "national" else None
        out.append({
            "article_id": article_id, "span_start": u.start, "span_end": u.end,
            "surface": u.surface, "level": u.level, "name": u.name, "province": prov,
            "province_2025": u.province_2025 or province_2025(prov),
            "code": u.code, "code_2025": u.code_2025, "is_party": bool(u.party),
        })
    return out

"""The admin-unit gazetteer, old and new.

Read once per process from the files of the ``vietnamadminunits`` package, without
importing it (its ``__init__`` pulls in pandas and shapely, 2.4 s):

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
"""
from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .tables import rows
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
def lookup_key(key: str, levels: tuple[str, ...], province: str | None = None,
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
    return lookup_key(fold(" ".join(name.split())), tuple(levels), province, kind)


def commune_district(name: str, code: str | None) -> str | None:
    """The pre-2025 district of the commune ``name`` with official ``code``, or None."""
    for p in gazetteer()["commune"].get(fold(" ".join(name.split())), []):
        if p.code == code:
            return p.district
    return None


@lru_cache(maxsize=None)
def province_2025(name_pre2025: str | None) -> str | None:
    """The 2025 province (34-province scheme) a pre-2025 province became part of:
    "Vĩnh Phúc" -> "Phú Thọ", "Bắc Giang" -> "Bắc Ninh"; a 2025 name maps to itself."""
    if not name_pre2025:
        return None
    p = lookup(name_pre2025, ("province",))
    return p.province_2025 if p is not None and p.level == "province" else None


@lru_cache(maxsize=1 << 14)
def ambiguous(level: str, name: str) -> bool:
    """Several units of this level share the name ("Phường 1", "Tân Lập")."""
    g = gazetteer()
    return level in g and len(g[level].get(fold(name), ())) > 1


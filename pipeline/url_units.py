"""The units an article's URL names: its host and, for a page without a title, its slug.

Party portals and provincial papers say who they are in their host name, and a
scraped page without a title still has its title's words in the URL path.  Both are
read tone-less against the gazetteer ("Phú Thọ" -> ``phutho``), by rule, not by a
list of sites:

- host: the labels left after dropping generic ones (``data/url_labels.tsv``: www,
  dcs, gov, com, vn ...).  The rightmost label that names a province, alone
  (``haiphong``), behind a prefix (``baophutho``: a provincial paper; ``tinhuy...``) or
  as an outlet site of ``data/outlets.tsv`` (``baodongkhoi``), is the province; the
  label right before it is a district of that province (``thanhba.phutho``,
  ``huyenbavi.hanoi``; a commune only behind ``xa``/``phuong``/``thitran``), the one
  before that a commune of the district.  A name two units of the province share
  is nothing.  Without a province label, a prefixed label (``huyenthanhba``) names a
  district only if no other district in the country has that name.
- slug (only when the title is empty): the level words of ``data/unit_levels.tsv``
  followed by a name (``xa-tan-lap-...``: commune Tân Lập, in the host's province or,
  without one, the only one of that name), a bare name opening the slug
  (``phu-tho-ket-nap-...``), and a year (``...-nam-2015``, ``data/url_slug.tsv``).

The URL is the last level of evidence: ``article_unit`` takes its province only when
the text names none, ``attribute`` its units only where the text leaves the unit
implicit.  Every unit it names is a row of the ``units`` table (no span: it is not in
the text).
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from .doc import Unit
from .gazetteer import LEVEL_ORDER, Place, aliases, gazetteer, lookup
from .tables import rows


def key(text: str) -> str:
    """Tone-less, space-less, lower-case ASCII: "Phú Thọ" -> "phutho", "Quận 7" -> "quan7"."""
    s = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("ð", "d"))
    return "".join(c for c in s if c.isascii() and c.isalnum())


@dataclass
class UrlReading:
    units: list[Unit] = field(default_factory=list)  # from the top down: province, district, commune
    period: tuple[int, int] | None = None             # a year the slug names

    def at(self, level: str) -> Unit | None:
        return next((u for u in self.units if u.level == level), None)

    @property
    def most_specific(self) -> Unit | None:
        return self.units[-1] if self.units else None


# ---------------------------------------------------------------- tables


@lru_cache(maxsize=1)
def _labels():
    generic, prefixes, alias = set(), [], {}
    for label, kind, level, name, *_ in rows("url_labels"):
        if kind == "generic":
            generic.add(label)
        elif kind == "prefix":
            prefixes.append((label, level, None if name == "-" else name))
        elif kind == "alias":
            alias[label] = name
    prefixes.sort(key=lambda p: -len(p[0]))  # "huyenuy" before "huyen"
    return frozenset(generic), tuple(prefixes), alias


@lru_cache(maxsize=1)
def _provinces() -> dict[str, Place]:
    """{key: province}: gazetteer names, text aliases, host aliases, outlet sites."""
    g = gazetteer()
    out: dict[str, Place] = {}
    for places in g["province"].values():
        for p in places:
            out[key(p.name)] = p
    for a, (lvl, name) in aliases().items():
        p = lookup(name, ("province",)) if lvl == "province" else None
        if p is not None and p.level == "province":
            out.setdefault(key(a), p)
    for label, name in _labels()[2].items():
        p = lookup(name, ("province",))
        if p is not None and p.level == "province":
            out.setdefault(label, p)
    for o, prov, *_ in rows("outlets"):
        p = lookup(prov, ("province",)) if prov != "-" else None
        if p is not None and key(o).startswith("bao"):
            out.setdefault(key(o), p)  # an outlet site ("baodongkhoi": Bến Tre)
    return out


@lru_cache(maxsize=1)
def _below() -> dict[str, dict[str, dict[str, list[Place]]]]:
    """{level: {province: {key: [Place]}}} for districts and communes, plus the whole
    country under province ``""``."""
    g = gazetteer()
    out: dict = {lvl: defaultdict(lambda: defaultdict(list)) for lvl in ("district", "commune")}
    for lvl in out:
        for places in g[lvl].values():
            for p in places:
                k = key(p.name)
                out[lvl][p.province][k].append(p)
                out[lvl][""][k].append(p)
    for a, (lvl, name) in aliases().items():
        p = lookup(name, ("district",)) if lvl == "district" else None
        if p is not None and p.level == "district" and p not in out[lvl][""][key(a)]:
            out[lvl][p.province][key(a)].append(p)
            out[lvl][""][key(a)].append(p)
    return out


@lru_cache(maxsize=1)
def _slug_rules():
    periods, not_unit = [], set()
    for pattern, kind, a, b, *_ in rows("url_slug"):
        if kind == "period":
            periods.append((re.compile(pattern), int(a), int(b)))
        elif kind == "not_unit":
            not_unit.add(tuple(pattern.split("-")))
    return tuple(periods), frozenset(not_unit)


@lru_cache(maxsize=1)
def _slug_levels():
    """{level word as ASCII words: (level, type)} from data/unit_levels.tsv (the
    admin and party words of provinces, cities, districts and communes), and the
    guards of data/unit_blocks.tsv as ASCII words."""
    words = {}
    for w, level, kind, typ, *_ in rows("unit_levels"):
        if kind == "abbr" or level not in ("province", "city", "district", "commune"):
            continue
        ws = tuple(key(x) for x in re.split(r"[\s.]+", w) if key(x))
        if ws:
            words.setdefault(ws, (level, None if typ == "-" else typ))
    before, after = set(), set()
    for kind, word, lw, *_ in rows("unit_blocks"):
        if kind == "before":
            before.add((tuple(key(x) for x in word.split()), key(lw)))
        elif kind == "after":
            after.add((key(lw), key(word)))
    return words, max(len(w) for w in words), frozenset(before), frozenset(after)


# ---------------------------------------------------------------- resolving names


def _one(cands: list[Place], typ: str | None) -> Place | None:
    """The one candidate, or the one of the prefix's type; several: nothing."""
    if len(cands) > 1 and typ:
        cands = [c for c in cands if c.kind == typ]
    return cands[0] if len(cands) == 1 else None


def _resolve(level: str, k: str, typ: str | None, province: str | None,
             district: str | None = None) -> Place | None:
    """The unit of ``level`` whose key is ``k``: in ``province`` (and ``district``)
    when given, else the only one in the country."""
    if not k:
        return None
    if level in ("province", "city"):
        p = _provinces().get(k)
        if p is not None and (level == "province" or p.kind == "Thành phố"):
            return p if province in (None, p.name) else None
        if level == "province":
            return None
        level = "district"  # a provincial city
    cands = _below()[level][province or ""].get(k, [])
    if district:
        cands = [c for c in cands if c.district == district]
    return _one(cands, typ)


def _label_unit(label: str, level: str, province: str | None, district: str | None = None,
                bare: bool = True) -> Place | None:
    """A host label as a unit of ``level`` (province, district, commune): the name
    alone (when ``bare``) or behind a prefix of that level."""
    if bare:
        p = _resolve(level, label, None, province, district)
        if p is not None:
            return p
    for prefix, plevel, typ in _labels()[1]:
        if not label.startswith(prefix) or len(label) == len(prefix):
            continue
        if plevel == level or (plevel == "city" and level in ("province", "district")):
            p = _resolve(plevel if plevel != "city" else "city", label[len(prefix):], typ,
                         province, district)
            if p is not None and p.level == level:
                return p
    return None


def _as_unit(p: Place, surface: str) -> Unit:
    prov = p.name if p.level == "province" else p.province
    return Unit(0, 0, surface, p.level, p.name, prov, p.code, False, p.province_2025, p.code_2025)


# ---------------------------------------------------------------- host


def host_units(host: str) -> list[Unit]:
    """The units a host name names, from the top down."""
    return [_as_unit(p, label) for p, label in _host_places(host.lower().split(":")[0])]


@lru_cache(maxsize=1 << 12)
def _host_places(host: str) -> tuple[tuple[Place, str], ...]:
    """(place, the label that names it) from the top down; cached: hosts repeat."""
    generic = _labels()[0]
    labels = [key(x) for x in host.split(".")
              if x and x not in generic and not re.fullmatch(r"www\d*|\d+", x)]
    for i in range(len(labels) - 1, -1, -1):
        prov = _label_unit(labels[i], "province", None)
        if prov is None:
            continue
        out = [(prov, labels[i])]
        left = labels[i - 1] if i else ""
        dist = _label_unit(left, "district", prov.name) if left else None
        if dist is not None:
            out.append((dist, left))
            comm = _label_unit(labels[i - 2], "commune", prov.name, dist.name) if i >= 2 else None
            if comm is not None:
                out.append((comm, labels[i - 2]))  # "tanlap.thanhson.phutho"
        elif left:
            comm = _label_unit(left, "commune", prov.name, bare=False)  # "xatanlap.phutho"
            if comm is not None:
                out.append((comm, left))
        return tuple(out)
    # no province: a prefixed district unique in the country ("huyenthanhba.vn")
    for label in reversed(labels):
        dist = _label_unit(label, "district", None, bare=False)
        if dist is not None:
            prov = _provinces().get(key(dist.province or ""))
            return ((prov, label), (dist, label)) if prov else ((dist, label),)
    return ()


# ---------------------------------------------------------------- slug

_EXTENSION = re.compile(r"\.[a-z0-9]{2,5}$")
_ID = re.compile(r"[a-z]{0,4}\d{5,}[a-z]{0,2}")


def slug_words(path: str) -> list[str]:
    """The words of the path segment that reads most like a title: ASCII words, an
    id at its end dropped ("...-dang-vien-moi-20210429195735598.htm")."""
    best: list[str] = []
    for seg in unquote(path).split("/"):
        seg = _EXTENSION.sub("", seg.lower())
        words = [key(w) for w in re.split(r"[-_+\s]+", seg)]
        words = [w for w in words if w]
        while words and _ID.fullmatch(words[-1]):
            words.pop()
        if sum(1 for w in words if not w.isdigit()) >= 3 and len(words) > len(best):
            best = words
    return best


def _name_at(words: list[str], i: int, level: str, typ: str | None, province: str | None,
             district: str | None) -> tuple[Place, int] | None:
    """The longest name (up to four words) at ``words[i]`` that is a unit of ``level``."""
    for n in range(min(4, len(words) - i), 0, -1):
        k = "".join(words[i:i + n])
        p = _resolve(level, k, typ, province, district)
        if p is None and typ and words[i].isdigit() and n == 1:
            p = _resolve(level, key(typ) + k, typ, province, district)  # "quan-7" -> Quận 7
        if p is not None:
            return p, n
    return None


def slug_units(words: list[str], province: str | None = None, district: str | None = None) -> list[Unit]:
    """Units the slug names, most general first; ``province``/``district``: the host's."""
    levels, longest, before, after = _slug_levels()
    found: list[tuple[int, int, str, str | None]] = []  # (level word start, name start, level, type)
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            lv = levels.get(tuple(words[i:i + n]))
            if lv is None:
                continue
            last, nxt = words[i + n - 1], (words[i + n] if i + n < len(words) else "")
            if (last, nxt) in after or any(lw == last and tuple(words[max(0, i + n - 1 - len(b)):i + n - 1]) == b
                                           for b, lw in before):
                break  # "xa-hoi", "hop-tac-xa"
            found.append((i, i + n, lv[0], lv[1]))
            i += n - 1
            break
        i += 1
    out: list[Unit] = []
    prov, dist = province, district
    if not found or found[0][0] > 0:
        out = _bare_start(words, prov)  # "phu-tho-ket-nap-...": the slug opens with a name
        for u in out:
            prov, dist = u.province, (u.name if u.level == "district" else dist)
    rank = {"province": 0, "city": 1, "district": 2, "commune": 3}
    for at, start, level, typ in sorted(found, key=lambda f: (rank[f[2]], f[0])):
        hit = _name_at(words, start, level, typ, prov, dist if level == "commune" else None)
        if hit is None:
            continue
        p, n = hit
        if p.level == "province" and prov in (None, p.name):
            prov = p.name
        elif p.level == "district" and dist in (None, p.name):
            prov, dist = p.province, p.name
        elif p.level != "commune":
            continue
        out.append(_as_unit(p, "-".join(words[at:start + n])))
    return out


def _bare_start(words: list[str], province: str | None) -> list[Unit]:
    """A place name opening the slug, as a title prefix would ("phu-tho-ket-nap-...")."""
    not_unit = _slug_rules()[1]
    for n in range(min(4, len(words)), 0, -1):
        if tuple(words[:n]) in not_unit:
            return []
        k = "".join(words[:n])
        # not a commune: too many are named for a virtue ("Đoàn Kết", "Thống Nhất")
        for level in ("province", "district"):
            if level != "province" and province is None:
                continue
            p = _resolve(level, k, None, None if level == "province" else province)
            if p is not None and (province is None or p.level != "province" or p.name == province):
                return [_as_unit(p, "-".join(words[:n]))]
    return []


def slug_period(words: list[str]) -> tuple[int, int] | None:
    """The first year or term the slug names (data/url_slug.tsv)."""
    text = "-".join(words)
    for rx, a, b in _slug_rules()[0]:
        m = rx.search(text)
        if m:
            y0, y1 = int(m.group(a)), int(m.group(b))
            if 1930 <= y0 <= y1 <= 2100:
                return y0, y1
    return None


# ---------------------------------------------------------------- the article


# "http(s)://host/…" whose host is plain letters, digits, dots and hyphens, as nearly every
# crawled URL is: its host read off directly, what urlsplit(url).hostname gives for it (in
# lower case); any other URL (a port, user info, white space, no scheme) goes to urlsplit,
# a tenth of this module's time per article
_PLAIN_HOST = re.compile(r"https?://([A-Za-z0-9.-]+)(?=[/?#]|\Z)")


def read(url: str | None, title_empty: bool) -> UrlReading:
    """What the URL says: the host's units and, when the title is empty, the slug's
    units (only below or within the host's) and year."""
    if not url or "." not in url:
        return UrlReading()
    plain = _PLAIN_HOST.match(url) if not title_empty else None
    if plain:
        host = plain.group(1).lower()
    else:
        try:
            parts = urlsplit(url if "//" in url else f"//{url}")
            host = parts.hostname or ""
        except ValueError:
            return UrlReading()
    units = host_units(host) if host else []
    period = None
    if title_empty:
        words = slug_words(parts.path)
        if words:
            prov = units[0].province if units else None
            dist = next((u.name for u in units if u.level == "district"), None)
            for u in slug_units(words, prov, dist):
                top = units[-1] if units else None
                if top is None or (LEVEL_ORDER[u.level] < LEVEL_ORDER[top.level]
                                   and u.province == top.province):
                    if top is None and u.level != "province":
                        p = _provinces().get(key(u.province or ""))
                        if p is not None:
                            units.append(_as_unit(p, u.surface))
                    units.append(u)
            period = slug_period(words)
    return UrlReading(units, period)

"""Party bodies of agencies, companies and police forces as units of level ``bloc``.

"Đảng bộ cơ quan Ban Tuyên giáo Trung ương" names the agency after its level word; "Đảng
ủy Công ty Đầu tư tài chính nhà nước TP. HCM", "Đảng bộ Công an tỉnh Nghệ An" name a
company or a force with its type word (data/unit_levels.tsv, level bloc, a type other
than "Khối" and "Cơ quan") and often end on the place they serve: that place only locates
the body, it is not the subject of the body's figures (a company's three members are not
the city's). units.py calls ``resolve_agency`` / ``resolve_typed`` for the name after a
level word and ``merge_places`` over the mentions it found.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .doc import Doc, Unit
from .tables import rows
from .textnorm import fold_phrase
from .vocab import vocab

# one word after another, a hyphen or an ampersand allowed between them ("Bà Rịa - Vũng
# Tàu", "Bộ GD & ĐT")
TOKEN = re.compile(r"[ \t]*(?:[-&][ \t]*)?([^\W_]+)")
# between a body's name and the place that locates it
_GAP = re.compile(r"[ \t.]*")
_PLACE_LEVELS = frozenset(["province", "district", "commune"])


@lru_cache(maxsize=1)
def _place_words() -> frozenset:
    """The first words of the level words that open a place ("… TP. HCM", "… tỉnh Nghệ
    An": data/unit_levels.tsv, a province, city, district or commune named after them): a
    body's name stops there and merge_places joins the place to the body."""
    return frozenset(fold_phrase(w).split()[0].rstrip(".") for w, level, kind, *_ in rows("unit_levels")
                     if kind in ("admin", "abbr") and level in ("province", "city", "district", "commune"))


@lru_cache(maxsize=1)
def _level_starts() -> frozenset:
    """The first words of every level word of data/unit_levels.tsv ("đảng", "huyện", "xã"):
    after "và" one of them starts another unit, not the rest of a name."""
    return frozenset(fold_phrase(w).split()[0].rstrip(".") for w, *_ in rows("unit_levels"))


@lru_cache(maxsize=1)
def _name_stops() -> frozenset:
    """Words after which a company's name has ended (data/unit_blocks.tsv agency_stop)."""
    return frozenset(fold_phrase(r[1]) for r in rows("unit_blocks") if r[0] == "agency_stop")


@lru_cache(maxsize=1)
def typed() -> frozenset:
    """The type words a bloc is named with ("Công ty", "Tập đoàn", "Công an", …)."""
    return frozenset(typ for _, level, _, typ, *_ in rows("unit_levels")
                     if level == "bloc" and typ not in ("Khối", "Cơ quan", "-"))


def _words(doc: Doc, p: int, most: int, stop_at_place: bool) -> list[tuple[int, int]]:
    """Capitalised first, up to punctuation, a word of data/noun_stops.tsv (a verb, a
    function word) or, in lower case, an agency_stop word of data/unit_blocks.tsv ("Tập
    đoàn Dầu khí quốc gia Việt Nam xác định …": not "… xác định"; a name's own syllables
    in lower case stay: "Văn phòng Thành uỷ", "Bộ Lao động"), ``most`` words at most;
    with ``stop_at_place``, also before a number or a place's level word."""
    f = doc.folded
    stops, places = vocab().noun_stops, _place_words()
    words: list[tuple[int, int]] = []
    pos = p
    while len(words) < most:
        m = TOKEN.match(f, pos)
        if not m or (not words and m.start(1) != p):
            break
        w = f[m.start(1):m.end(1)]
        if stop_at_place and (w[0].isdigit() or w in places):
            break  # "Công ty Cấp nước Huế kết nạp 3 …", "Công an tỉnh Nghệ An"
        if w == "và" and words:
            nxt = TOKEN.match(f, m.end())
            if nxt and doc.text[nxt.start(1)].isupper() and f[nxt.start(1):nxt.end(1)] not in _level_starts():
                words.append((m.start(1), m.end(1)))  # "Bộ Tài nguyên và Môi trường", "Công
                pos = m.end()                         # ty Đầu tư và Phát triển"
                continue
        if w in stops or w in _name_stops() and doc.text[m.start(1)].islower():
            break  # (a capitalised "Cấp" is the company's: "Công ty Cấp nước Huế")
        words.append((m.start(1), m.end(1)))
        pos = m.end()
    return words


def resolve_agency(doc: Doc, p: int) -> tuple[str, int, None] | None:
    """The agency a party body belongs to ("Đảng bộ cơ quan Ban Tuyên giáo Trung ương",
    "Đảng ủy cơ quan Văn phòng Chính phủ"): capitalised, eight words at most; a one-word
    name ("Tỉnh ủy") is no agency of its own."""
    t = doc.text
    if p >= len(t) or not t[p].isupper():
        return None
    words = _words(doc, p, 8, stop_at_place=False)
    if len(words) < 2:
        return None
    end = words[-1][1]
    return " ".join(t[p:end].split()), end, None


def resolve_typed(doc: Doc, p: int, typ: str) -> tuple[str, int, None] | None:
    """A company, corporation, bank or police force, named with its type word: "Công ty
    PSI", "Công ty Đầu tư tài chính nhà nước" (the place after it is joined by
    merge_places), or the type word alone when a place follows ("Công an" + "tỉnh Nghệ An")."""
    t, f = doc.text, doc.folded
    words = _words(doc, p, 8, stop_at_place=True) if p < len(t) and t[p].isupper() else []
    if words:
        end = words[-1][1]
        return f"{typ} {' '.join(t[p:end].split())}", end, None
    m = TOKEN.match(f, p)
    if m and f[m.start(1):m.end(1)] in _place_words():
        return typ, p, None  # "Đảng ủy Công an tỉnh Nghệ An": named by its place
    return None


def merge_places(doc: Doc, units: list[Unit]) -> list[Unit]:
    """A place right after a company's or a force's body is part of its name ("Công an"
    + "TP. HCM" = "Công an TP. HCM"): one bloc mention, in that place's province."""
    kinds = typed()
    out: list[Unit] = []
    i = 0
    while i < len(units):
        u = units[i]
        nxt = units[i + 1] if i + 1 < len(units) else None
        if nxt is not None and u.level == "bloc" and _typed_name(u.name, kinds) \
                and nxt.level in _PLACE_LEVELS and not nxt.party and _GAP.fullmatch(doc.folded, u.end, nxt.start):
            u.name = " ".join(f"{u.name} {doc.text[u.end:nxt.end]}".split())
            u.end, u.surface = nxt.end, doc.text[u.start:nxt.end]
            u.province = nxt.name if nxt.level == "province" else nxt.province
            u.province_2025 = nxt.province_2025
            out.append(u)
            i += 2
            continue
        out.append(u)
        i += 1
    return out


def _typed_name(name: str, kinds: frozenset) -> bool:
    return any(name == k or name.startswith(k + " ") for k in kinds)

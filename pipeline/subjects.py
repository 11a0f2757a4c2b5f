"""Subject (whose figure) of each figure: a list item names its own unit; else the
nearest unit named or referred to ("toàn huyện", "xã") before the figure in its
sentence; else the article's main unit; an anaphor the text leaves open, the unit of its
level the URL names.  (Split from attribute.py, which keeps the periods.)
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from functools import lru_cache

import regex

from .doc import Doc, Unit
from .gazetteer import commune_district
from .tables import phrase_alternation, rows
from .textnorm import fold_phrase
from .units import lookup


_LIST_PREFIX = regex.compile(r"^(?:tp\.?\s*|thành phố\s+|huyện\s+|thị xã\s+|quận\s+)", regex.I)


def assign_subjects(doc: Doc, anaphors: list[tuple[int, str]], title_end: int = 0) -> None:
    if not doc.figures:
        return  # (nothing to attribute)
    # which unit the article is about is units.main_unit's decision; here only how a
    # national report treats the provinces it names in passing ("tại Hà Nội"): places,
    # not subjects (party bodies and national bodies still are)
    main = doc.main_unit
    named = list(doc.units)
    passing: list[Unit] = []
    if main is not None and main.level == "national":
        passing = [u for u in named if not (u.party or u.level in ("national", "foreign"))]
        named = [u for u in named if u.party or u.level in ("national", "foreign")]
    elif main is not None and main.level != "foreign":
        # a local unit's story: a ministry or central state body acts on its people ("Bộ
        # Công an khởi tố 8 cán bộ"), it is not their unit (data/national_bodies.tsv body)
        named = [u for u in named if u.party or u.level != "national"]
    # an article whose title speaks of a foreign country and names no Vietnamese unit is
    # about that country: its unattributed figures are foreign too (spec §2)
    in_title = [u for u in named if u.start < title_end]
    if in_title and all(u.level == "foreign" for u in in_title):
        main = in_title[0]
    elif main is None and named and all(u.level == "foreign" for u in named):
        # it names no Vietnamese unit, only foreign countries: the article is about the one
        # it names most ("đại cử tri" of a US election story that names Nga twice, Mỹ ten
        # times), the first named on a tie
        counts = Counter(u.name for u in named)
        top = max(counts.values())
        main = next(u for u in named if counts[u.name] == top)
    foreign_at = [u for u in named if u.level == "foreign"]
    nearest = _Nearest(doc, named, anaphors)
    for fig in doc.figures:
        s, e = doc.sentences[fig.sent_idx]
        unit = _foreign_after(doc, foreign_at, fig, e) if foreign_at else None
        if unit is not None:
            pass  # "89 triệu đảng viên Trung Quốc", "50% đảng viên đảng Cộng hòa"
        elif fig.list_item:
            unit = _list_unit(doc, fig.list_item)
        else:
            # (the cheap anchored test first: the name search tries every position)
            m = _ITEM_END.match(doc.folded, fig.end) and \
                _NAMED_BEFORE.search(doc.text, max(s, fig.start - 40), fig.start)
            if m:
                # "như Bắc Giang 15,09%; Lào Cai 15,69%": each share is its place's
                unit = _list_unit(doc, m["name"])
        if unit is None and fig.item_of is not None:
            head = doc.figures[fig.item_of]  # "TP. HCM đã kỷ luật 1.219 đảng viên, cách chức 44"
            if head.subject_level is not None:
                fig.subject_level, fig.subject_name = head.subject_level, head.subject_name
                fig.subject_code, fig.subject_province = head.subject_code, head.subject_province
                continue
        if unit is None:
            # "15 đảng viên thuộc Đảng uỷ Khối …", "132 đảng viên tròn tuổi Đảng tại quận 10":
            # the unit the counted people belong to, named right after them
            unit = _owner_after(doc, named, fig, e)
        if unit is None and passing:
            unit = _actor_before(doc, passing, fig, s) or _framing_place(doc, passing, s, e, fig.start)
        if unit is None:
            unit = nearest(s, fig.start)
            if (unit is not None and main is not None and fig.start < title_end
                    and unit.level == "province" and main.province == unit.name):
                unit = main  # "Đà Nẵng: Một quận thi hành kỷ luật 48 ...": the lead names the quận
            elif unit is not None and main is not None and _district_agency_of(doc, unit, main, s):
                unit = main  # "Công an huyện Mỹ Đức đã khởi tố 14 bị can" in an Đồng Tâm story
        if unit is None:
            unit = main
            fig.subject_from_article = main is not None
        if unit is not None:
            set_subject(fig, unit)


def set_subject(fig, unit: Unit) -> None:
    """Make ``unit`` the figure's subject (level, name, code and the province it lies in)."""
    fig.subject_level, fig.subject_name = unit.level, unit.name
    fig.subject_code = unit.code
    fig.subject_province = unit.province or (unit.name if unit.level == "province" else None)


def _actor_before(doc: Doc, places: list[Unit], fig, sent_start: int) -> Unit | None:
    """In a national report, a place named right before the verb that governs the figure
    is its subject after all: "Nghệ An kỷ luật 2.103 đảng viên", "TP. HCM đã kỷ luật 1.219";
    also the body or place a clause opens on, told as an example ("Trung tâm Y tế huyện
    Tuyên Hóa (tỉnh Quảng Bình) đã từng báo cáo cấp trên phải chi gần 300 triệu đồng",
    "Văn phòng HĐND tỉnh Gia Lai trong năm 2015 đã sử dụng tới 3,2 tỷ đồng"): a verb phrase
    of lower-case words between them, a bracketed place or a year allowed, no punctuation."""
    for i in range(len(places) - 1, -1, -1):
        u = places[i]
        if u.end <= fig.start:
            if i > 0 and _OPEN_BRACKET.fullmatch(doc.folded, places[i - 1].end, u.start) \
                    and doc.folded.startswith(")", u.end):
                u = places[i - 1]  # "huyện Tuyên Hóa (tỉnh Quảng Bình)": the bracket locates it
            if u.start < sent_start or fig.start - u.end > _ACTOR_REACH:
                return None
            gap = doc.folded[u.end:fig.start]
            if fig.start - u.end <= 30 and _ACTOR_GAP.fullmatch(gap):
                return u
            return u if _CLAUSE_ACTOR_GAP.fullmatch(gap) and _opens_clause(doc, u, sent_start) else None
    return None


# a place framing its sentence: "Tại Hà Tĩnh, 6 tháng qua, ngành Thanh tra đã …"
_FRAME_BEFORE = regex.compile(r"[\s\W]*(?:riêng\s+)?(?:tại|ở)\s+(?:(?:tỉnh|thành\s+phố|tp\.?)\s+)?$")


def _framing_place(doc: Doc, places: list[Unit], sent_start: int, sent_end: int, pos: int) -> Unit | None:
    """In a national report, a place that opens its sentence as its frame, set off by a
    comma ("Tại Hà Tĩnh, 6 tháng qua, ngành Thanh tra đã triển khai 261 cuộc thanh tra"):
    the sentence's figures are that place's; not a venue, where the sentence names a
    national body or scope too ("Tại Hà Nội, có 500 đại biểu dự hội nghị toàn quốc", "Tại
    Hà Nội, Bộ Nội vụ đã tập huấn cho 400 cán bộ"; data/national_bodies.tsv), nor past a ";"."""
    if any(n.level == "national" and sent_start <= n.start < sent_end for n in doc.units):
        return None
    for u in places:
        if u.start >= pos:
            break
        if sent_start <= u.start and _FRAME_BEFORE.fullmatch(doc.folded, sent_start, u.start) \
                and doc.folded.startswith(",", u.end):
            return None if ";" in doc.folded[u.end:pos] else u
    return None


def _opens_clause(doc: Doc, u: Unit, sent_start: int) -> bool:
    """The unit's phrase opens its clause: only a few words ("Ví như", "UBND", "xã") and no
    number between the clause's start (the sentence's, or a ";", ":" or ",": "Tổng bí thư
    lưu ý, Hà Nội là Đảng bộ lớn nhất cả nước với 40 vạn đảng viên") and the unit."""
    f = doc.folded
    lo = max(sent_start, *(f.rfind(mark, sent_start, u.start) + 1 for mark in ";:,"))
    return _CLAUSE_LEAD.fullmatch(f, lo, u.start) is not None


_ACTOR_REACH = 80
_OPEN_BRACKET = regex.compile(r"\s*\(\s*")


# between the acting place and its figure: a verb phrase, no punctuation, no other number
_ACTOR_GAP = regex.compile(r"\s+(?:đã\s+|cũng\s+)?[\p{Ll}\p{M}\s]{2,28}?\s*(?:hơn|gần|trên|khoảng)?\s*")
# the same, further on, for a clause's opening body: a bracketed place or a year may stand
# in it ("(tỉnh Quảng Bình)", "trong năm 2015"), no other punctuation, no other number
_CLAUSE_ACTOR_GAP = regex.compile(
    r"(?:\s*\([^()\d]{2,40}\))?(?:\s+(?:[\p{Ll}\p{M}]+|năm\s+\d{4}))+?\s*")
# what may stand before a clause's opening body: a few words, no number, no punctuation
_CLAUSE_LEAD = regex.compile(r"[\s\p{L}\p{M}]{0,40}")


def _foreign_after(doc: Doc, foreign_at: list[Unit], fig, sent_end: int) -> Unit | None:
    """A foreign country or party named in the counted noun phrase right after the
    number, before any punctuation."""
    lo = fig.end
    for u in foreign_at:
        if lo <= u.start < min(sent_end, lo + 40) and not _PUNCT.search(doc.folded, lo, u.start):
            # "10 người đi Mỹ": where they go, not whose they are (data/foreign_destinations.tsv)
            return None if _DESTINATION.search(doc.folded, lo, u.start) else u
    return None


_DESTINATION = regex.compile(
    rf"(?<![^\W\d_])(?:{phrase_alternation([fold_phrase(r[0]) for r in rows('foreign_destinations')])})\s+$")


_PUNCT = regex.compile(r"[,;:.()]")
# between the counted noun and the unit it belongs to
# (a party body's own word may stand before the place: "6 cán bộ thuộc đảng bộ huyện Mê
# Linh", the unit read as "huyện Mê Linh")
_OWNER_CUE = regex.compile(
    rf"\s(?:{phrase_alternation([fold_phrase(r[0]) for r in rows('owner_words')])})\s+(?:các\s+|những\s+)?"
    r"(?:(?:đảng|chi)\s+(?:bộ|ủy)\s+)?$")


def _owner_after(doc: Doc, named: list[Unit], fig, sent_end: int) -> Unit | None:
    """A unit named after the counted noun, joined by "thuộc / tại / ở / của", before
    any punctuation and within a few words (not a foreign country: _foreign_after)."""
    if fig.kind not in ("count", "ratio", "percent") or fig.noun_end is None:
        return None
    lo, hi = fig.noun_end, min(sent_end, fig.noun_end + 45)
    for u in named:
        if u.start < lo:
            continue
        if u.start >= hi:
            break
        if u.level == "foreign" or _PUNCT.search(doc.folded, lo, u.start):
            return None
        return u if _OWNER_CUE.search(doc.folded, lo - 1, u.start) else None
    return None

# a place name right before a figure that ends a list item
_NAMED_BEFORE = regex.compile(
    r"(?:^|[;,:(]|\s(?:như|là|gồm|và|có))\s*(?P<name>(?:TP\.?\s?|Tp\.?\s?)?\p{Lu}[\p{L}\p{M}]*"
    r"(?:\s+\p{Lu}[\p{L}\p{M}]*){0,3})\s+$")
_ITEM_END = regex.compile(r"\s*(?:[;,.)]|và\s|$)")


def _list_unit(doc: Doc, name: str) -> Unit | None:
    prov = doc.province
    clean = _LIST_PREFIX.sub("", name).strip()
    # a list names units one level below the article's own: provinces in a national
    # report ("Lào Cai 15,69%" is the province, not Lào Cai city)
    main = doc.main_unit.level if doc.main_unit else None
    # (an article that names no unit of its own: a national list too, "Yên Bái 16,2%")
    levels = {"national": ("province", "district", "commune"), None: ("province", "district", "commune"),
              "district": ("commune", "district", "province")}.get(main, ("district", "commune", "province"))
    # an article naming several provinces lists provinces: "Bắc Giang 15,09%; Lào Cai
    # 15,69%" are the provinces even when the first of them frames the article
    provinces = {u.name for u in doc.units if u.level == "province"}
    if len(provinces) >= 2:
        levels = ("province",) + tuple(x for x in levels if x != "province")
    p = lookup(clean, levels, prov)
    if p is None:
        return None
    return Unit(0, 0, name, p.level, p.name, p.province, p.code)


_ISSUER = regex.compile(r"(?:nghị quyết|chỉ thị|quy định|kết luận|hướng dẫn|quyết định|-[\p{L}]+/[\p{L}]+)[^.;]{0,60}của\s*$")


class _Nearest:
    """The unit named or referred to last before a position within a sentence.

    Which mentions can be subjects is decided once per article (not per figure: long
    articles have hundreds of each); each query is then two binary searches.
    """

    def __init__(self, doc: Doc, units: list[Unit], anaphors):
        self.doc, self.units = doc, units
        self.cands: list[Unit] = []
        prev: Unit | None = None
        locator: Unit | None = None  # the last place that only located prev
        for u in units:
            if prev is not None and (_locates(doc, prev, u) or locator is not None and _locates(doc, locator, u)):
                # "quận Hải Châu, TP. Đà Nẵng": the city only locates the quận; "xã Cẩm Dương
                # (Cẩm Xuyên, Hà Tĩnh)": the district locates the xã, the province the district
                locator = u
                continue
            prev, locator = u, None
            self.cands.append(u)
        self.starts = [u.start for u in self.cands]
        # whether a candidate is the issuer of a document, read when a query reaches it
        # (most mentions stand in no figure's sentence)
        self.issuer: dict[int, bool] = {}
        self.anaphors = sorted(anaphors, key=lambda a: a[0])
        self.a_starts = [a[0] for a in self.anaphors]

    def _is_issuer(self, i: int) -> bool:
        """"Chỉ thị 05-CT/TW của Bộ Chính trị": the issuer of a document, not the subject."""
        if i not in self.issuer:
            start = self.starts[i]
            self.issuer[i] = _ISSUER.search(self.doc.folded, max(0, start - 80), start) is not None
        return self.issuer[i]

    def _last_cand(self, s: int, pos: int) -> int:
        """Index of the first candidate that is no issuer at the greatest start in [s, pos)
        such a candidate has, or -1."""
        starts = self.starts
        i = bisect_left(starts, pos) - 1
        while i >= 0 and starts[i] >= s and self._is_issuer(i):
            i -= 1
        if i < 0 or starts[i] < s:
            return -1
        first = i
        while first > 0 and starts[first - 1] == starts[i]:
            first -= 1
            if not self._is_issuer(first):
                i = first
        return i

    @staticmethod
    def _last(starts: list[int], s: int, pos: int) -> int:
        """Index of the first item at the greatest start in [s, pos), or -1."""
        i = bisect_left(starts, pos) - 1
        if i < 0 or starts[i] < s:
            return -1
        return bisect_left(starts, starts[i])

    def __call__(self, s: int, pos: int) -> Unit | None:
        i = self._last_cand(s, pos)
        j = self._last(self.a_starts, s, pos)
        if j >= 0 and (i < 0 or self.a_starts[j] > self.starts[i]):
            a_pos, level = self.anaphors[j]
            # (a place a national report names in passing is still what "toàn tỉnh" after
            # it refers to: "Sở GDĐT tỉnh Khánh Hòa cho hay …, toàn tỉnh có 7.525 thí sinh")
            return _resolve_anaphor(self.doc, self.doc.units, level, a_pos)
        return self.cands[i] if i >= 0 else None


@lru_cache(maxsize=1)
def _agency_before():
    """data/district_agencies.tsv as one pattern ending right before the district's name."""
    return regex.compile(r"(?:" + phrase_alternation([fold_phrase(r[0]) for r in rows("district_agencies")]) + r")\s*$")


def _district_agency_of(doc: Doc, unit: Unit, main: Unit, sent_start: int) -> bool:
    """In a commune's article, ``unit`` is its own district named as the agency that acts on
    or locates the commune's people ("Công an huyện Mỹ Đức đã khởi tố 14 bị can" in an Đồng
    Tâm story, "Uỷ ban kiểm tra Huyện uỷ Cẩm Xuyên … bốn cán bộ tại xã Cẩm Dương"): their
    figure stays the commune's. The district as a subject ("Đảng bộ huyện X kết nạp 300 đảng
    viên", "Huyện X có 27 xã") keeps its own figures."""
    if main.level != "commune" or unit.level != "district" or unit.start < sent_start \
            or unit.province != main.province or commune_district(main.name, main.code) != unit.name:
        return False
    return _agency_before().search(doc.folded, max(sent_start, unit.start - 40), unit.start) is not None


def _locates(doc: Doc, inner: Unit, outer: Unit) -> bool:
    """``outer`` is an apposition placing ``inner`` in its province ("X, TP. Đà Nẵng") or a
    commune in its district ("xã Điển Hải (Đông Hải)")."""
    gap = doc.text[inner.end:outer.start]
    if gap.strip() not in (",", "-", "(") or len(gap) > 3:
        return False
    if outer.level == "province":
        return inner.level in ("district", "commune") and inner.province == outer.name
    return outer.level == "district" and inner.level == "commune" and inner.province == outer.province \
        and commune_district(inner.name, inner.code) == outer.name


def _resolve_anaphor(doc: Doc, units: list[Unit], level: str, pos: int) -> Unit | None:
    """"huyện", "toàn tỉnh", "Đảng bộ xã": the last unit of that level named before, else main."""
    main = doc.main_unit
    if main is not None and main.level == level:
        last_same = [u for u in units if u.level == level and u.start < pos]
        if not last_same:
            return main
    cands = [u for u in units if u.level == level and u.start < pos]
    if cands:
        return cands[-1]
    if main is not None and main.level == level:
        return main
    if level == "province" and doc.province:
        return Unit(0, 0, doc.province, "province", doc.province, doc.province)
    # the last resort: the unit of that level the URL names ("Đảng bộ huyện" on
    # thanhba.phutho.dcs.vn), if it lies in the article's province
    url = next((u for u in doc.url_units if u.level == level
                and (doc.province is None or u.province == doc.province)), None)
    return url or main

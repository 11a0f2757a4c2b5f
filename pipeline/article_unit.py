"""The unit an article is about: its province (``infer_province``), its main unit
(``main_unit``: a title prefix, the most specific unit of the title, the whole Party
for a national report, the most named party body, else the province or the unit below
it that the URL names) and its lead.  Reads the unit mentions ``units.py`` found
(``doc.units``) and the URL's units (``doc.url_units``, url_units.py); knows nothing
of how they were found.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .doc import Doc, Unit
from .gazetteer import LEVEL_ORDER, Place, ambiguous, lookup, province_2025
from .tables import rows
from .textnorm import fold_phrase


@lru_cache(maxsize=1)
def _outlets() -> dict[str, str | None]:
    """{folded outlet tag: its province, None for a national outlet}."""
    return {fold_phrase(o): None if prov == "-" else prov for o, prov, *_ in rows("outlets")}


_TITLE_PREFIX = re.compile(r"^\s*(?P<n>[^:\n]{2,40}):")
_OUTLET = re.compile(r"^\s*\(?\s*(?P<o>(?:[^\W\d_]|\.){2,12})\s*\)?\s*-")
_TW_DOC = re.compile(r"(?:nghị quyết|hội nghị|nq)\s+(?:số\s+)?(?:\d+\s+)?(?:của\s+)?(?:ban chấp hành\s+)?trung ương")


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


def infer_province(doc: Doc, title_end: int = 0, located: set[int] | None = None) -> str | None:
    """The province (pre-2025 name) an article is about, or None for a national or
    multi-province article.  Votes: an outlet tag in the lead 5, a title prefix 3, the
    first unit of the title 3, a province named 2, a unit in a province 1 (none when
    its name is shared by units of several provinces, unless a parent named after it
    placed it: ``located``, ids of such units).  When the text casts no vote, the
    province the URL names (``doc.url_units``: a party portal, a provincial paper),
    unless the article speaks of the Party's central bodies."""
    located = located or set()
    votes: Counter = Counter()
    tags = _outlets()
    outlet = False
    for line in doc.folded[:400].split("\n")[:8]:
        m = _OUTLET.match(line)
        if m:
            prov = tags.get(m["o"].strip("()."))
            if prov:
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
        elif id(u) in located or u.code is None or not ambiguous(u.level, u.name):
            votes[prov] += 1
    pp = _prefix_place(doc)
    if pp is not None:
        p = pp[0]
        votes[p.province or p.name] += 3
    elif first_title:
        votes[first_title] += 3
    if not votes:
        # the text is silent: the URL's province, weighed as one vote against the
        # central bodies the text names
        if doc.url_units and national_score(doc) <= 1:
            return doc.url_units[0].province
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
    whose lead opens with a national body, the district a province's lead opens with;
    else the article's province or, below it, the unit its URL names."""
    if _national_lead(doc, title_end):
        return NATIONAL
    main = _named_main(doc, title_end, anaphors)
    fallback = main is None and doc.province is not None
    if fallback:  # no unit of its own: the article's province
        main = Unit(0, 0, doc.province, "province", doc.province, doc.province,
                    province_2025=province_2025(doc.province))
    if main is not None and main.level == "province":
        opening = _opening_unit_within(doc, main, title_end)
        if opening is not None:
            return opening
        if fallback:
            return _url_unit_within(doc, main.name) or main
    return main


def _url_unit_within(doc: Doc, province: str) -> Unit | None:
    """The most specific unit the URL names below ``province`` ("thanhba.phutho.dcs.vn":
    district Thanh Ba): the last resort of an article whose text names no unit of its own."""
    u = doc.url_units[-1] if doc.url_units else None
    return u if u is not None and u.level != "province" and u.province == province else None


def lead_end(doc: Doc) -> int:
    """End of the lead: the title and the first LEAD_PARAGRAPHS paragraphs."""
    return doc.paragraphs[min(LEAD_PARAGRAPHS, len(doc.paragraphs)) - 1][1] if doc.paragraphs else 0


# a party secretary's title right before a unit's name: the unit's party speaks
_SECRETARY_OF = re.compile(r"bí\s+thư\s+(?:thành\s+ủy\s+|tỉnh\s+ủy\s+|huyện\s+ủy\s+|quận\s+ủy\s+)?$")


def _national_lead(doc: Doc, title_end: int) -> bool:
    """A report on the whole Party ("68 Đảng bộ trực thuộc Trung ương đã tổ chức đại hội",
    "Ủy ban Kiểm tra Trung ương kỷ luật 7 cán bộ"): no title prefix, no local unit in the
    title, and the first body the lead names is a national one (data/national_bodies.tsv)."""
    if doc.article.title and _TITLE_PREFIX.match(doc.article.title):
        return False  # "Đà Nẵng: ..." names its unit up front
    end = lead_end(doc)
    if _title_works_with(doc, title_end):
        return False
    for k, u in enumerate(doc.units):
        if u.start >= end:
            break
        if u.level == "national":
            # (unless it works with a local unit named right after it: "Đoàn công tác Bộ
            # Công an … có buổi làm việc với Công an Hà Tĩnh" is Hà Tĩnh's)
            return _worked_with(doc, k, end) is None
        if u.start < title_end or u.party or _SECRETARY_OF.search(doc.folded, max(0, u.start - 16), u.start) \
                or _opens_paragraph(doc, u):
            # a local unit in the title, or a local party body (or its secretary: "Bí thư
            # TP HCM cho biết …") first, or a place opening the lead as its subject ("Yên
            # Bái đã xử phạt hành chính …")
            return False
    return False


def _worked_with(doc: Doc, k: int, end: int) -> Unit | None:
    """The local unit, next after doc.units[k] in the lead, that a central body works with
    ("… làm việc với Công an Hà Tĩnh", "… làm việc với Ban Thường vụ Tỉnh ủy X"), or None."""
    rest = [u for u in doc.units[k + 1:] if u.level != "national"]
    nxt = rest[0] if rest else None
    if nxt is None or nxt.start >= end or nxt.level not in ("province", "district", "commune") \
            or _WORKS_WITH_BODY.search(doc.folded, doc.units[k].end, nxt.start) is None:
        return None
    # (several places it works with, "làm việc với các tỉnh Đắk Lắk, Gia Lai, Kon Tum": a
    # national body's tour, no one place's article)
    if doc.folded.endswith("các ", 0, nxt.start) or doc.folded.endswith("các tỉnh ", 0, nxt.start) \
            or len(rest) > 1 and _LIST_NEXT.fullmatch(doc.folded, nxt.end, rest[1].start):
        return None
    return nxt


def _lead_worked_with(doc: Doc, title_end: int) -> Unit | None:
    """The local unit the lead's first central body works with, when a central body is the
    first unit the lead names."""
    end = lead_end(doc)
    for k, u in enumerate(doc.units):
        if u.start >= end:
            return None
        if u.start >= title_end:
            return _worked_with(doc, k, end) if u.level == "national" else None
    return None


# between two places of a list: "Đắk Lắk, Gia Lai"
_LIST_NEXT = re.compile(r"\s*(?:,|và)\s*(?:(?:tỉnh|thành\s+phố|tp\.?)\s+)?")
# a central body working with a local one (the verbs _WORKS_WITH reads in a title), words
# between them in one sentence ("có buổi làm việc với Công an", "làm việc với Ban Thường vụ")
_WORKS_WITH_VERB = r"\s(?:làm\s+việc|họp|giao\s+ban|gặp)\s+với\s+"
_WORKS_WITH_BODY = re.compile(_WORKS_WITH_VERB + r"[^.;\n]{0,40}$")


def _opens_paragraph(doc: Doc, u: Unit) -> bool:
    """The unit is the first words of a paragraph after the title, as its subject ("Yên Bái
    đã xử phạt …"), not a dateline ("Hà Nội (TTXVN) - …", "TP.HCM - Sáng 5/1, …")."""
    return any(ps <= u.start <= ps + 2 for ps, _ in doc.paragraphs[1:]) \
        and not _DATELINE_AFTER.match(doc.folded, u.end)


# after a place that opens a news agency's dateline
_DATELINE_AFTER = re.compile(r"\s*(?:\(|,\s*ngày|[-–:])")


# a central body working with a place the title names ("Bộ Chính trị làm việc với Hà Nội
# …"): the article is about that place
_WORKS_WITH = re.compile(r"(?:" + _WORKS_WITH_VERB + r"(?:ban\s+thường\s+vụ\s+)?"
                         r"(?:(?:tỉnh|thành\s+phố|tp\.?|huyện|quận|thị\s+xã|xã|phường)(?:\s+ủy)?\s+)?)$")


def _title_works_with(doc: Doc, title_end: int) -> bool:
    """The title has a central body work with a local place: "… làm việc với Hà Nội"
    (not where an incident happened: "… nhận hối lộ ở Vĩnh Phúc" stays the body's)."""
    return any(u.start < title_end and u.level in ("province", "district", "commune")
               and _WORKS_WITH.search(doc.folded, max(0, u.start - 30), u.start) for u in doc.units)


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
    title, the whole Party for a national article, else the most named party body."""
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
        # "TP.HCM: Kỷ luật nhiều cán bộ chủ chốt Q.Tân Phú", "TP. HCM kỷ luật 30 tập thể …
        # ở Bình Chánh": the one place of the prefix's province the title names after it is
        # what the article is about
        prov = main.name if main.level == "province" else main.province
        below = {(u.level, u.name): u for u in cands
                 if u.start < title_end and u.level in ("district", "commune") and u.province == prov
                 and LEVEL_ORDER.get(u.level, 9) < order}
        if len(below) == 1:
            return next(iter(below.values()))
        return main
    title_units = [u for u in cands if u.start < title_end + 60 and u.level in ("province", "district", "commune")]
    if title_units:
        # the most specific unit in the title
        return sorted(title_units, key=lambda u: (LEVEL_ORDER[u.level], u.start))[0]
    worked = _lead_worked_with(doc, title_end)
    if worked is not None:
        return worked  # "Đoàn công tác Bộ Công an … làm việc với Công an Hà Tĩnh"
    national = [u for u in doc.units if u.level == "national"]
    # a party article with no province of its own speaks for the whole Party (or a
    # central bloc); general news that says "cả nước" once is not thereby national
    if doc.province is None and national and doc.folded.count("đảng") >= 3:
        blocs = Counter(u.name for u in cands if u.level == "bloc")
        if blocs:
            name, _ = blocs.most_common(1)[0]
            return next(u for u in cands if u.name == name and u.level == "bloc")
        return Unit(0, 0, national[0].surface, "national", "Việt Nam", party=True)
    if doc.province is None and not cands and any(u.start < lead_end(doc) and not u.party for u in national):
        # no place and no body of its own, a central state body in the title or lead ("Bộ
        # trưởng Y tế …: Hơn 7.000 cán bộ y tế đã bị kỷ luật"): the country's figures (not a
        # scope word alone, data/national_bodies.tsv marks "cả nước" party: "Cả nước có hơn 1
        # triệu giáo viên; tại trường có 40 giáo viên")
        return Unit(0, 0, national[0].surface, "national", "Việt Nam")
    body = Counter((u.level, u.name) for u in cands
                   if u.level in ("province", "district", "commune", "bloc") and u.party)
    if body:
        (lvl, name), _ = body.most_common(1)[0]
        return next(u for u in cands if (u.level, u.name) == (lvl, name))
    return None  # main_unit falls back on the province


"""The year an article was written (``articles.year``), for the metric views' undated
figures.  Figures keep their own periods (spec §2); figure_metrics flags a period taken
from here (``period_inferred``).

Most records of a crawl carry no publication date, so the year is read from the text,
from the most to the least direct evidence:

1. ``published``: the record's publication date;
2. ``occasion``: an anniversary or a congress the title and lead name as the occasion
   ("Kỷ niệm 127 năm Ngày sinh của Bác" = 2017; data/year_anchors.tsv).  It comes
   before the text's dates: on the bench's party articles, where both exist, the
   occasion was right where the two differed (the latest date was a deadline or a
   prize's closing date a year on);
3. ``dated_text``: the latest full date in the text outside a plan ("ngày 20/1/2016":
   news dates the events it reports; "trước ngày 15/1/2018" is a deadline), unless the
   opening reviews months already gone by of a later year ("trọng tâm là năm 2018 và 3
   tháng đầu năm 2019" over a rule's "25/10/2018": written in 2019, ``lead_year``);
4. ``lead_year``: the latest year the title and lead name ("Năm 2017, …", "tháng 9/2018");
5. ``program``: the latest year of a year's programme or plan the text says is being
   carried out ("thực hiện chương trình kiểm tra, giám sát của Thành uỷ năm 2017": a
   report of that year's work; "kết quả thực hiện kế hoạch năm 2017", a review's, names
   the year reviewed, which is the year ``articles.year`` means), not one still ahead
   ("sẽ thực hiện kế hoạch năm 2019").

Never a plan's horizon ("đến năm 2020", "phấn đấu năm 2025") nor one end of a span
("2015-2020").  The latest year the body names, any year, was tried as a source and left
out: on party articles with full dates it agreed with them one time in four (histories,
biographies and plans name many years).
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .terms import congress_year
from .doc import Doc
from .tables import rows
from .units import lead_end

# a full date: "ngày 20/1/2016", "7-11-2018"
_FULL_DATE = regex.compile(r"(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*((?:19|20)\d\d)(?!\d)")

_LEAD_CHARS = 600
# a year named on its own: "năm 2017", "tháng 9/2018", "quý I-2016"; not the end of a
# horizon ("đến năm 2020") nor either end of a span ("2015-2020", "2015 - 2020")
# (the look-behinds sit after the first character, "[/-](?<!…\s.)": a pattern opening on
# a look-behind is tried at every position; this one only at "n", "/" and "-"; and after
# the whole of "năm", "năm(?<!…\snăm)": "n" opens a word in ten, and the look-behind was
# run at each (same matches, the lead's scan 40% faster))
_NOT_AFTER = r"(?<!đến\s.|tới\s.|\d.|\d\s.)"
_NOT_AFTER_NAM = r"(?<!đến\snăm|tới\snăm|\dnăm|\d\snăm)"
_YEAR = regex.compile(
    rf"(?:năm{_NOT_AFTER_NAM}|[/-]{_NOT_AFTER})\s*((?:19[5-9]|20[0-4])\d)(?![\d\s]*[-–]\s*\d{{4}})(?!\d)")
# a year inside a plan: its target, not the time of writing
_PLAN_BEFORE = regex.compile(
    r"(?:phấn\s+đấu|mục\s+tiêu|triển\s+khai|phương\s+hướng|chỉ\s+tiêu|kế\s+hoạch|tầm\s+nhìn|định\s+hướng|chiến\s+lược|dự\s+kiến|"
    r"sẽ|lộ\s+trình|trước|đến|tới)[^.;\n]{0,40}$")
_PLAN_WINDOW = 50
# a year that starts a span still running, or a life event: "từ năm 2003", "sinh năm 1983"
_PAST_BEFORE = regex.compile(
    r"(?:sinh|từ|kể\s+từ|ra\s+đời|thành\s+lập|vào\s+đảng|kết\s+nạp|nhập\s+ngũ|tốt\s+nghiệp)"
    r"(?:\s+(?:ngày|tháng))?\s*$")
# a date that is a deadline: "trước ngày 15/1/2018", "chậm nhất", "hạn chót" (the end of a
# span is not: "(7/11/1948 - 7/11/2018)" is the anniversary the article marks)
_DEADLINE_BEFORE = regex.compile(
    r"(?:trước|chậm\s+nhất|hạn\s+chót|hạn|hết\s+hạn|dự\s+kiến|sẽ|kế\s+hoạch|đến\s+hết)"
    r"[^.;\n]{0,12}$")

_ANNIV = r"(?:kỷ\s+niệm|chào\s+mừng|mừng|dịp)\s+(?:lần\s+thứ\s+)?(\d{1,3})\s+năm\s+"
# a congress named as the past, not the occasion: "Nghị quyết Đại hội XII", "sau Đại hội"
_PAST_CONGRESS = regex.compile(
    r"(?:nghị\s+quyết|văn\s+kiện|tinh\s+thần|thực\s+hiện|kết\s+luận|sau|từ|kể\s+từ|trước|"
    r"khóa|khoá|nhiệm\s+kỳ|kết\s+quả|theo)\s+(?:của\s+)?$")
# a national congress still ahead ("chuẩn bị nhân sự đại hội các cấp và Đại hội XIII"):
# prepared for years, while a local one is prepared in the months before it
_COMING_CONGRESS = regex.compile(
    r"(?:chuẩn\s+bị|hướng\s+tới|tiến\s+tới|trước\s+thềm)[^.;\n]{0,50}$")


# an anniversary pattern matches only where this does: one scan of the lead rules out
# the sixteen of them in most articles (they were a twentieth of the run)
_ANNIV_RE = regex.compile(_ANNIV)


@lru_cache(maxsize=1)
def _anchors() -> tuple:
    out = []
    for pattern, year, _example in rows("year_anchors"):
        needs_anniv = pattern.startswith("{anniv}")
        out.append((regex.compile(pattern.replace("{anniv}", _ANNIV)), year, needs_anniv))
    return tuple(out)


def _not_occasion(text: str, at: int, how: str) -> bool:
    if "+" in how:
        return False  # an anniversary is always the occasion
    if _PAST_CONGRESS.search(text, max(0, at - 30), at):
        return True
    return how.startswith("congress:") and bool(_COMING_CONGRESS.search(text, max(0, at - 60), at))


def _anchor_year(m, how: str) -> int | None:
    if how.startswith("congress:"):
        return congress_year(m.group(int(how.split(":")[1])))
    if "+" in how:
        base, group = how.split("+")
        # "@2+1": the year in group 2 plus the number in group 1 ("sơ kết 5 năm thực hiện
        # Nghị quyết … giai đoạn 2011-2020" = 2011 + 5)
        start = int(m.group(int(base[1:]))) if base.startswith("@") else int(base)
        return start + int(m.group(int(group)))
    return int(m.group(int(how)))


def occasion_year(text: str) -> int | None:
    """The latest year an anniversary or a congress in ``text`` (folded) dates."""
    years = []
    anniv = _ANNIV_RE.search(text) is not None
    for rx, how, needs_anniv in _anchors():
        if needs_anniv and not anniv:
            continue
        for m in rx.finditer(text):
            if _not_occasion(text, m.start(), how):
                continue
            y = _anchor_year(m, how)
            if y and 1950 <= y <= 2049:
                years.append(y)
    return max(years) if years else None


def named_years(text: str, rx=_YEAR, plan=_PLAN_BEFORE, matches=None) -> list[int]:
    """Years ``text`` (folded) names (``rx``: on their own, or in full dates) outside a
    plan, and not a life event or the start of what goes on ("sinh năm 1983", "từ năm 2003").
    ``matches``: rx.finditer(text), if the caller has found them another way."""
    out = []
    for m in rx.finditer(text) if matches is None else matches:
        if _PAST_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue
        if plan.search(text, max(0, m.start() - _PLAN_WINDOW), m.start()):
            continue
        out.append(int(m.group(1)))
    return out


# a year's programme or plan being carried out ("thực hiện chương trình kiểm tra, giám sát
# của Thành uỷ năm 2017"); not a plan's horizon ("kế hoạch … đến năm 2020") nor a span
_PROGRAM = regex.compile(
    r"thực\s+hiện\s+(?:chương\s+trình|kế\s+hoạch)[^.;\n\d]{0,60}?(?<!đến\s|tới\s)năm\s+((?:19|20)\d\d)"
    r"(?![\d\s]*[-–]\s*\d{4})(?!\d)")
# ... not one looked forward to ("sẽ thực hiện kế hoạch năm 2019", "dự kiến")
_PROGRAM_NOT_BEFORE = regex.compile(r"(?:sẽ|dự\s+kiến|chuẩn\s+bị|xây\s+dựng)\s+(?:\S+\s+){0,2}$")

_OPENING_CHARS = 1000  # (how far the months gone by are looked for: the report's frame)
# months still ahead or only compared with ("phấn đấu 6 tháng đầu năm 2020", "so với 6
# tháng đầu năm 2016"); "đến nay" before them is no plan
_NOT_ELAPSED = regex.compile(
    r"(?:phấn\s+đấu|mục\s+tiêu|kế\s+hoạch|chỉ\s+tiêu|dự\s+kiến|sẽ|so\s+với)[^.;\n]{0,40}$")
# months of a year gone by ("3 tháng đầu năm 2019", "6 tháng năm 2017", "9 tháng qua năm 2018")
_MONTHS_OF = regex.compile(r"(?<![\p{L}\d])(?:\d{1,2}|ba|sáu|chín)\s+tháng\s+(?:đầu\s+|qua\s+)?năm\s+((?:19|20)\d\d)(?!\d)")
# a day and month with no year ("Ngày 16/1", "sáng 7-2", "Trong hai ngày (13 - 14/4)"):
# the date of the event a report tells
_DAY_MONTH = regex.compile(
    r"(?:ngày|sáng|chiều|tối|trưa|\()\s*(?:\d{1,2}\s*(?:-|–|và)\s*)?\d{1,2}\s*[/-]\s*(\d{1,2})"
    r"(?!\s*[/.-]?\s*\d)")
# a report held in these first months of a year reviews the year before
_TURN_MONTHS = 3
# ... when it says it does: "tổng kết công tác … năm 2018", "Năm 2016, quận đã / phát
# triển được …" (news of February naming its own year, "tuyển sinh năm 2017", "trận động
# đất đầu tiên của năm 2017", is the year's news, not its review)
_REVIEWED = regex.compile(
    r"(?:tổng\s+kết|kết\s+quả)[^.;\n]{0,80}?năm\s+(\d{4})(?!\d)"
    r"|(?:^|[.!?]\s+|\n)(?:trong\s+|cả\s+)?năm\s+(\d{4})\s*,[^.;\n]{0,80}?(?<!\w)(?:đã|được)(?!\w)",
    regex.M)


def written_year(doc: Doc, year: int | None, source: str | None) -> int | None:
    """The year the article was written (``articles.written_year``: the metric views date
    an undated stock by it, spec §2 "nothing stated → the publication year").  It is
    ``year`` except for a year read from the lead ("lead_year") that the lead reviews when
    the lead's event date falls in January–March: "Ngày 16/1, tại buổi tổng kết … năm
    2018" was written in 2019, and "có 220.000 đảng viên" there is 2019's stock while the
    year's tallies stay 2018's (spec §2, annual reviews)."""
    if source != "lead_year" or year is None:
        return year
    end = min(lead_end(doc), _LEAD_CHARS)
    m = _DAY_MONTH.search(doc.folded, 0, end)
    if m and 1 <= int(m.group(1)) <= _TURN_MONTHS and any(
            int(r.group(1) or r.group(2)) == year for r in _REVIEWED.finditer(doc.folded, 0, end)):
        return year + 1
    return year


def _full_dates(doc: Doc):
    """``_FULL_DATE.finditer(doc.folded)``, tried only where a digit run starts
    (Doc.digit_runs): every match starts at one (no digit before it) and ends at the end
    of one (no digit after it), so the next match is at the first run start past the
    last match's end where the pattern matches; the search tried every character."""
    f, end = doc.folded, 0
    for p in doc.digit_runs[0]:
        if p < end:
            continue
        m = _FULL_DATE.match(f, p)
        if m:
            end = m.end()
            yield m


def article_year(doc: Doc) -> tuple[int | None, str | None]:
    """(year, source): see the module's docstring for the sources, in order."""
    if doc.pub_year:
        return doc.pub_year, "published"
    lead = doc.folded[:lead_end(doc)][:_LEAD_CHARS]
    year = occasion_year(lead)
    if year:
        return year, "occasion"
    dated = named_years(doc.folded, _FULL_DATE, _DEADLINE_BEFORE, _full_dates(doc))
    # a lead reviewing months already past of a later year than any full date the text
    # gives ("trọng tâm là năm 2018 và 3 tháng đầu năm 2019" over a rule's "25/10/2018")
    # was written that year
    elapsed = named_years(doc.folded[:_OPENING_CHARS], _MONTHS_OF, _NOT_ELAPSED)
    if dated and not (elapsed and max(elapsed) > max(dated)):
        return max(dated), "dated_text"
    if elapsed and not dated:
        elapsed = []  # (with no full date, the lead's years below decide, as before)
    years = elapsed or named_years(lead)
    if years:
        return max(years), "lead_year"
    years = [int(m.group(1)) for m in _PROGRAM.finditer(doc.folded)
             if not _PROGRAM_NOT_BEFORE.search(doc.folded, max(0, m.start() - 40), m.start())]
    return (max(years), "program") if years else (None, None)

"""Period (which years) of each figure: the nearest time phrase in the sentence; else a
period carried from a sentence that opened with one ("Năm 2017, ..."); else the
publication year (none for a target).  Time phrases are data (data/periods.tsv).
Subjects (whose figure) are subjects.py's.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

import regex

from .doc import Doc, Figure
from .tables import GatedPattern, rows
from .terms import back_years, bound as _bound, span_years
from .units import lead_end
from .vocab import vocab


@lru_cache(maxsize=1)
def _period_rules():
    out = []
    for pat, a, b, carry, _example, *more in rows("periods"):
        initial_only = pat.startswith("^")  # "^": only where it opens the sentence
        # (gated on the words the pattern spells out: most sentences that pass the
        # keyword gate below lack one of them, and the pattern is never tried)
        part = more[0] if more and more[0] != "-" else None
        out.append((GatedPattern(regex.compile(pat.lstrip("^")), regex.compile), a, b, carry, initial_only,
                    rule_gate(pat), part))
    return out


class Span(tuple):
    """A period (start_year, end_year) and the part of one year it covers (``part``:
    "H1", "9M", "Q3", "M12", "YTD" …; None for whole years).  A tuple, so every test of
    a period's years reads it as before; the part rides along where the span is carried.
    ``back``: with no publication date, (start, end) in years before the time of writing
    that a phrase counted from it names ("Trong 5 năm qua" (5, 0), "Hai năm trước" (2, 2));
    the years stay None (spec §2) and the views count them back from the year the article
    was written."""

    part: str | None
    back: tuple | None

    def __new__(cls, years, part: str | None = None, back: tuple | None = None):
        self = super().__new__(cls, years)
        self.part = part
        self.back = back
        return self


# a count of months written as a word ("sáu tháng đầu năm", "chín tháng")
_MONTH_WORDS = {w: int(v) for w, v, role, *_ in rows("number_words") if role == "digit"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _count(text: str | None) -> int | None:
    if not text:
        return None
    t = text.strip().lower()
    if t.isdigit():
        return int(t)
    return _ROMAN.get(t) or _MONTH_WORDS.get(t)


def _first_months(n: int | None) -> str | None:
    """The first n months of a year, as analysts write it: Q1, H1, 9M; 12 is the year."""
    if n is None or not 1 <= n < 12:
        return None
    return {3: "Q1", 6: "H1"}.get(n, f"{n}M")


def part_of(spec: str | None, m) -> str | None:
    """The part of a year a time phrase covers, from its periods.tsv ``part`` column:
    "first:N" (the first months, group N counts them), "last:N" (the last months: H2,
    Q4), "quarter:N", "quarters:N" (the first quarters), "month:N" (one month), or a
    literal ("YTD": from the start of the year to the time of writing)."""
    if spec is None:
        return None
    kind, _, group = spec.partition(":")
    if not group:
        return spec
    n = _count(m.group(int(group)))
    if kind == "first":
        return _first_months(n)
    if kind == "last":
        return {3: "Q4", 6: "H2"}.get(n) if n else None
    if kind == "quarter":
        return f"Q{n}" if n and 1 <= n <= 4 else None
    if kind == "quarters":
        return _first_months(3 * n) if n else None
    if kind == "month":
        return f"M{n}" if n and 1 <= n <= 12 else None
    raise ValueError(f"periods.tsv: unknown part {spec!r}")


def rule_gate(pattern: str) -> tuple[frozenset, bool]:
    """What a sentence must hold for this rule to have a chance: one of the gate words
    its pattern spells out, and a four-digit run if the pattern reads a year.  A
    sentence holding none needs no regex at all, which is most sentences (tests check
    every rule's example passes its own gate)."""
    words = frozenset(k for k in PERIOD_KEYWORDS if k in pattern) or frozenset(PERIOD_KEYWORDS)
    return words, r"(\d{4})" in pattern


def sentence_gates(sent: str, digits: tuple[list[int], list[int]] | None = None,
                   at: int = 0) -> tuple[frozenset, bool]:
    """The gate words a folded sentence holds, and whether it holds a four-digit run.
    ``digits``: the digit runs (Doc.digit_runs) of the text the sentence stands in at
    ``at``, when the caller has them (read there, not searched for)."""
    words = frozenset([k for k in PERIOD_KEYWORDS if k in sent])  # (a list: no generator frame)
    if not words:
        return words, False
    if digits is None:
        return words, _FOUR_DIGITS.search(sent) is not None
    return words, _four_digits(digits, at, at + len(sent))


def _four_digits(digits: tuple[list[int], list[int]], s: int, e: int) -> bool:
    """``_FOUR_DIGITS.search(f, s, e)`` found something, read off the digit runs of f
    (wordscan.digit_runs): a run whose part inside [s, e) is four digits or more."""
    starts, ends = digits
    for k in range(bisect_right(ends, s), len(starts)):
        if starts[k] >= e:
            break
        if min(ends[k], e) - max(starts[k], s) >= 4:
            return True
    return False


def passes(gate: tuple[frozenset, bool], present: tuple[frozenset, bool]) -> bool:
    (words, needs_year), (have, has_year) = gate, present
    return not words.isdisjoint(have) and (has_year or not needs_year)


# Every rule in data/periods.tsv contains one of these words (a test checks each
# rule's example): a sentence with none of them needs no regex at all, which is
# most sentences.  Seventeen regex scans per sentence were a fifth of the run.
PERIOD_KEYWORDS = ("năm", "nhiệm", "đoạn", "quý", "hiện", "nay", "đến", "tới", "tháng", "ngày", "sáng", "chiều", "tối",
                   "kỳ thi", "kì thi")
_FOUR_DIGITS = regex.compile(r"\d{4}")  # (`regex` finds a digit run twice as fast as `re`)


@lru_cache(maxsize=1024)
def _rules_passing(present: tuple[frozenset, bool]) -> tuple:
    """The rules (in table order) whose gate a sentence holding ``present`` passes."""
    return tuple(r for r in _period_rules() if passes(r[5], present))


class _Phrase(NamedTuple):
    """A time phrase: where it stands, its span, how it carries ("yes", "no", "reset",
    "own", or "relative": a span of so many years back from an unknown publication year).
    ``part_only``: it names a part of a year and no year ("Trong 9 tháng, …"): its
    figures keep the years otherwise in force."""
    start: int
    end: int
    span: tuple
    carry: str
    years: int | None = None
    part_only: bool = False


def _periods_in(doc: Doc, s: int, e: int):
    """Time phrases in text[s:e] as (start, end, (y0, y1), carry), non-overlapping."""
    f, pub = doc.folded, doc.pub_year
    found = []
    sent = f[s:e]
    present = sentence_gates(sent, doc.digit_runs, s)
    if not present[0]:
        return found
    for rx, a, b, carry, initial_only, _, part in _rules_passing(present):
        for m in rx.finditer(f, s, e, sent):
            if initial_only and not _sentence_initial(doc, s, m.start()):
                continue
            if any(x[0] < m.end() and m.start() < x[1] for x in found):
                continue
            if a == "=":  # a part of the year in force ("Trong 9 tháng, …"), no year of its own
                found.append(_Phrase(m.start(), m.end(), Span((None, None), part_of(part, m)), carry,
                                     part_only=True))
                continue
            y0 = _bound(a, m, pub, doc)
            back = None
            if pub is None:
                b0, b1 = back_years(a, m), back_years(a if b == "-" else b, m)
                back = (b0, b1) if b0 is not None and b1 is not None else None
            if y0 is None and a.startswith("pub-@") and b == "pub":
                # "trong 5 năm qua" with no publication year: the period already in force if
                # it spans about as many years ("nhiệm kỳ 2010-2015 … Trong 5 năm qua, …"),
                # else so many years back from the time of writing ("10 năm qua" in a
                # 2015-2020 term report is not the term)
                found.append(_Phrase(m.start(), m.end(), Span((None, None), back=back), "relative",
                                     span_years(m.group(int(a[5:])))))
                continue
            y1 = y0 if b == "-" else _bound(b, m, pub, doc)
            found.append(_Phrase(m.start(), m.end(), Span((y0, y1), part_of(part, m), back), carry))
    found.sort()
    return [x for x in found if x.carry != "ignore"]


def _dates_only_if_undated(phrase) -> bool:
    """A phrase of data/periods.tsv with carry "fallback" ("so với cùng kỳ năm 2018"): it
    dates a figure of its sentence only when nothing else does."""
    return phrase.carry == "fallback"


def _may_set_period(f: str, s: int, e: int, digits: tuple[list[int], list[int]]) -> bool:
    """f[s:e] holds a four-digit run or one of "nay", "hiện", "năm qua", "năm ngoái",
    "năm trước" (what could set or reset a carried period).  Substring tests in C and a
    look at the text's digit runs (``digits``: Doc.digit_runs): a regex alternation of
    them was tried at every position of every sentence (4% of the run)."""
    t = f[s:e]
    # (the three "năm …" only where "năm " is: most sentences asked hold none of them,
    # and each test runs)
    return ("nay" in t or "hiện" in t
            or ("năm " in t and ("năm qua" in t or "năm ngoái" in t or "năm trước" in t))
            or _four_digits(digits, s, e))


_LEAD_IN = regex.compile(r"[\s\W]*(?:(?:trong|riêng|tính|qua|vào|và|còn|cũng)\s+)*")


def _sentence_initial(doc: Doc, s: int, pos: int) -> bool:
    head = doc.folded[s:pos]
    return bool(_LEAD_IN.fullmatch(head))


LEAD_SENTENCES = 6  # counting the title


def _lead_period(doc: Doc, masked, phrases_of) -> tuple | None:
    """The first time phrase of the title and lead ("... đại hội nhiệm kỳ 2015-2020",
    "Trong 6 tháng đầu năm 2017, ..."): the period of every figure the article does
    not date otherwise.  Reports name their frame once, at the top; a page without a
    title has the year its URL slug names ("...-nam-2015") as a last resort."""
    if not doc.paragraphs:
        return None, 0
    end = lead_end(doc)
    only_part = None  # the first part of a year the lead names with no year ("6 tháng qua")
    # and no deeper than LEAD_SENTENCES: scraped pages run the whole body into one
    # paragraph, and a year deep in it says nothing about the article's frame
    for s, e in doc.sentences[:LEAD_SENTENCES]:
        if s >= end:
            break
        if masked(s, e):
            continue
        phrases = phrases_of(s, e)
        # (the plan cues only where there is a time phrase to set aside: scraped leads
        # are long, and most of their sentences hold none)
        if not phrases or vocab().target_sentence_re.search(doc.folded, s, e) \
                or vocab().target_opening_re.match(doc.folded, s, e):
            continue  # "Năm 2017, UBKT sẽ chủ động kiểm tra …": the plan, not the frame
        part = None
        for p0, p1, span, carry, *_ in phrases:
            if carry == "reset":
                return None, 0  # "hiện có", "đến nay": the article speaks of its own time
            if span == (None, None) and getattr(span, "part", None) and part is None:
                part = span.part  # "sơ kết công tác 6 tháng đầu năm, … 6 tháng cuối năm 2017"
                if only_part is None:
                    only_part = (part, p0)
            elif span != (None, None) and carry != "own":  # a month dates one event, not the frame
                # the first part the sentence names is the frame's, with the year it gives
                return (Span(span, part) if part else span), p0
    if only_part is not None:
        # a lead that names the months it reviews but no year ("Hội nghị sơ kết công tác
        # kiểm tra 6 tháng đầu năm …"): its flows are that part of a year, whatever year
        return Span(doc.url_period or (doc.pub_year, doc.pub_year), only_part[0]), only_part[1]
    return doc.url_period, 0  # a page without a title: the year its URL slug names, if any


def _fronted(doc: Doc, s: int, p0: int, p1: int) -> bool:
    """A time phrase that opens its sentence, or a clause set off by commas after a
    source ("Theo báo cáo của UBKT, trong năm 2016, ..."), or one that opens a sentence a
    scrape glued to a subheading (capitalised right after a lower-case word, and a comma
    after it: "Tín dụng chính sách tăng cả lượng và chất Hai năm trước, …"): it governs
    what follows."""
    if _sentence_initial(doc, s, p0):
        return True
    t = doc.text
    if p0 >= s + 2 and t[p0].isupper() and t[p0 - 1] == " " and t[p0 - 2].islower() \
            and doc.folded[p1:p1 + 2].lstrip().startswith(","):
        return True
    head = doc.folded[s:p0]
    comma = head.rfind(",")
    if comma < 0 or not doc.folded[p1:p1 + 2].lstrip().startswith(","):
        return False
    return bool(_LEAD_IN.fullmatch(head[comma + 1:]))


@lru_cache(maxsize=1)
def _openers():
    """data/period_openers.tsv as one pattern anchored at a sentence's start."""
    return regex.compile(r"[\s\W]*(?:" + "|".join(f"(?:{p})" for p, *_ in rows("period_openers")) + r")(?![\p{L}\d])")


def _went_on(doc: Doc, s: int, e: int) -> bool:
    """The sentence opens on a word that goes on with the sentence before (period_openers)."""
    return _openers().match(doc.folded, s, e) is not None


# a lead's frame that names a party term ("nhiệm kỳ 2015-2020", "khóa XII")
_TERM_FRAME = regex.compile(r"[^.;\n]{0,30}?(?:nhiệm\s+kỳ|khóa|khoá)")
# a congress named by the lead's time phrase: the term it opens frames the article
_CONGRESS = regex.compile(r"(?<![\p{L}])đại\s+hội(?![\p{L}])")


def assign_periods(doc: Doc, masked, title_end: int = 0) -> None:
    if not doc.figures:
        return  # (a fifth of the articles: nothing to date)
    carried = None
    carried_at = -1
    # the span the latest sentence gave its figures from a year phrase of its own that
    # would carry, had it opened its sentence ("Tổng sản phẩm … bình quân 5 năm 2011-2015
    # ước tăng 9,23%"): where it stands, and the span
    recent = None
    last_dated = None  # (sentence index, period) of the last sentence whose figures had one
    memo: dict[tuple[int, int], list] = {}

    def phrases_of(s: int, e: int) -> list:
        if (s, e) not in memo:
            memo[(s, e)] = _periods_in(doc, s, e)
        return [p for p in memo[(s, e)] if not _dates_only_if_undated(p)]

    lead, lead_at = _lead_period(doc, masked, phrases_of)
    by_sent: dict[int, list[Figure]] = {}
    for fig in doc.figures:
        by_sent.setdefault(fig.sent_idx, []).append(fig)
    # (a period carried past the last figure's sentence dates nothing: the sentences after
    # it, a third of all, are not read)
    for idx, (s, e) in enumerate(doc.sentences[:max(by_sent) + 1]):
        if masked(s, e):
            continue
        if idx not in by_sent and not _may_set_period(doc.folded, s, e, doc.digit_runs):
            continue  # no figure and nothing that could set or reset a carried period
        phrases = phrases_of(s, e)
        # the period the sentence before gave its figures, if this one goes on with it
        went_on = last_dated[1] if last_dated and last_dated[0] == idx - 1 and idx in by_sent \
            and _went_on(doc, s, e) else None
        for fig in by_sent.get(idx, []):
            before = [p for p in phrases if p[1] <= fig.start]
            after = [p for p in phrases if p[0] >= fig.end and p[0] - fig.end < 60]
            span = None
            near = before[-1] if before else (after[0] if after else None)
            if after and before and _RIGHT_AFTER.fullmatch(doc.folded, fig.noun_end or fig.end, after[0].start):
                near = after[0]  # "từ 774% năm 1986 xuống 34% năm 1989": the year the figure carries
            part_only = None
            if near is not None and near.part_only:
                # "Trong 9 tháng, …" names the months, not the year: the years in force
                part_only, near = near.span.part, None
            if near is not None and fig.status is None and fig.kind == "count" and _names_review(doc, s, near):
                # "tổng kết công tác … năm 2018, … thành phố có 220.000 đảng viên": a stock
                # told at a review is the time of writing's (spec §2), not the year reviewed
                span = (doc.pub_year, doc.pub_year)
            elif near is not None and near.carry == "relative":
                span = _if_spanning(carried or lead, near.years) or near.span
            elif near is not None:
                span = near.span
                if near.carry == "yes" and not fig.is_target and span != (None, None) \
                        and near.end <= fig.start and not _fronted(doc, s, near.start, near.end):
                    recent = (near.start, span)
            elif went_on and not fig.is_target:
                span = went_on  # "… từ năm 2014 đến nay … Điển hình như Nghệ An …"
            elif carried:
                # (a later sentence's own year phrase, not fronted, told since the frame was
                # set: the figures after it that name no time go on with it)
                span = recent[1] if recent is not None and carried_at < recent[0] else carried
            elif fig.is_target:
                span = None  # a target with no year of its own
            elif fig.start < title_end:
                # a title's figure is dated by its own words only, like its status ("Hoà
                # Bình: Kỷ luật 4 cán bộ có con được nâng điểm" names no year): none, else
                # the publication year (spec §2); the views give it the period of its body's
                # telling of the same figure ('retold')
                span = (doc.pub_year, doc.pub_year)
            elif lead and (fig.start >= lead_at or fig.status is not None):
                # (a stock told before the lead's frame is the article's own time: "Đảng bộ
                # quận có 4.690 đảng viên. Năm 2016, phát triển được 195 đảng viên")
                span = lead
                if fig.status is None and fig.kind == "count" and lead[0] is not None \
                        and lead[1] is not None and lead[1] > lead[0] \
                        and not _TERM_FRAME.match(doc.folded, lead_at):
                    # a stock is told at one time: under a plan's span of several years
                    # ("sơ kết 5 năm thực hiện Nghị quyết … giai đoạn 2011-2020"), the time
                    # of writing (a term's frame stays: an elected body's make-up is the term's)
                    span = (doc.pub_year, doc.pub_year)
                elif fig.status is None and fig.kind == "count" and fig.entity == "party_member" \
                        and lead[0] is not None and lead[1] is not None and lead[1] > lead[0] \
                        and (_CONGRESS.search(doc.folded, s, e)
                             or _CONGRESS.search(doc.folded, max(0, lead_at - 120), lead_at + 120)):
                    # the membership a term's congress is told ("đại hội nhiệm kỳ 2016-2021 …
                    # 1.510 đại biểu, đại diện cho hơn 4,5 triệu đảng viên") is counted when
                    # the term opens, not over the term: its first year (only where the
                    # figure's sentence or the lead's time phrase names the congress: a
                    # mid-term review's stock is not the congress's)
                    span = (lead[0], lead[0])
            else:
                span = (doc.pub_year, doc.pub_year)
            if (not span or span[0] is None and span[1] is None) and not fig.is_target:
                # still no year (a record with no date): a comparison with the same months of
                # a stated year dates the figure the year after ("Từ đầu năm đến nay, … tăng
                # 21 trường hợp so với cùng kỳ năm 2018" is 2019's)
                later = [p for p in memo[(s, e)] if _dates_only_if_undated(p)
                         and (fig.status is not None  # (a stock in another clause is not compared)
                              or ";" not in doc.folded[min(p.start, fig.end):max(p.start, fig.end)])]
                if later:
                    span = Span(later[0].span, getattr(span, "part", None))
            fig.period_part = _figure_part(fig, span, part_only)
            if span and span[0] is None and span[1] is None:
                fig.period_back_start, fig.period_back_end = getattr(span, "back", None) or (None, None)
                span = None
            fig.period_start, fig.period_end = (span if span else (None, None))
            if span and fig.period_part != getattr(span, "part", None):
                span = Span(span, fig.period_part, getattr(span, "back", None))  # (what a next sentence going on takes)
            if span and not fig.is_target:
                last_dated = (idx, span)
        for p0, p1, span, carry, *_ in phrases:
            if carry == "reset" and _sentence_initial(doc, s, p0):
                carried = None
            elif carry == "yes" and _fronted(doc, s, p0, p1):
                if span.part and span == (None, None):
                    # a fronted "Trong 9 tháng," keeps the years in force for what follows
                    base = carried or lead or (doc.pub_year, doc.pub_year)
                    span = Span(base, span.part, getattr(base, "back", None))
                carried = span
                carried_at = p0
    # a compared change is its count's change: the count's time, not the comparison's
    for fig in doc.figures:
        if fig.shares_with is not None and fig.kind == "change":
            anchor = doc.figures[fig.shares_with]
            fig.period_start, fig.period_end = anchor.period_start, anchor.period_end
            fig.period_part = anchor.period_part
            fig.period_back_start, fig.period_back_end = anchor.period_back_start, anchor.period_back_end


def _figure_part(fig: Figure, span, part_only: str | None) -> str | None:
    """The part of a year a figure's count covers: a flow's (a count with an event, a
    change) tallied over "6 tháng đầu năm 2017" is not that year's tally.  A stock is told
    at one time, so it has none; nor has a span of several years."""
    part = part_only if part_only is not None else getattr(span, "part", None)
    if part is None or (fig.status is None and fig.kind != "change"):
        return None
    if span and span[0] is not None and span[1] is not None and span[0] != span[1]:
        return None
    return part


# a year that names a review or a report ("hội nghị tổng kết công tác kiểm tra năm 2018"):
# the year reviewed, not the time of a stock told there (the stock is the time of writing)
_REVIEW_NAME = regex.compile(r"(?:tổng\s+kết|sơ\s+kết|báo\s+cáo)[^.;\d]{0,70}$")


def _names_review(doc: Doc, s: int, phrase) -> bool:
    return _REVIEW_NAME.search(doc.folded, max(s, phrase.start - 70), phrase.start) is not None


# nothing but spaces between a figure (its noun) and the time phrase after it
_RIGHT_AFTER = regex.compile(r"[ \t]*(?:vào[ \t]+|trong[ \t]+)?")


def _if_spanning(span, n: int | None):
    """The period in force, when it spans about the years a relative phrase names."""
    if span and span[0] is not None and span[1] is not None and n is not None \
            and abs((span[1] - span[0]) - n) <= 1:
        return span
    return None

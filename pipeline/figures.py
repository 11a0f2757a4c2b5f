"""Find figures in a sentence: counts, percents, ratios, ranges, money, scores,
ages and changes, and reject what only looks like one (dates, times, years,
document ids, names with numbers, ordinals, badge classes, durations).

Works on the folded view (textnorm) so case, Ð/Đ and tone placement never matter;
offsets are shared with the stored text.  The rules' vocabularies live in data/.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from .doc import Figure
from .figure_patterns import (
    NUM_TOKEN, _GOVERNS, _LIST_GAP, _PREV_WORD, _SKIP, _SKIP_MARKS, _DOC_ID, _NUM_TAIL,
    _PERCENT, _SCALE_AFTER, _MONEY_UNIT, _SCORE, _AGE, _BADGE_AGE, _AGGREGATE_AGE,
    _UNIT_AFTER, _NEXT_WORD, _NEXT_NUMBER, _CHANGE_BEFORE, _CHANGE_ENDS, _FROM_BEFORE,
    _DATE_WORD_BEFORE, _RANGE_DASH_PCT, _RANGE_DASH, _RANGE_TO, _RATIO, _RATIO_WORDS,
    _SLIDE, _LIST_NAME, _LIST_END, _ITEM_END, _LABEL_BEFORE, _LABEL_CHARS, _LABEL_WORDS,
    _ITEM_SEP, _WORD_NUM, _NUMBER_WORD_OPENS, _NOUN_LEAD, _DOT_DECIMAL, _LEADING_ZERO,
    _LETTER, proper_name)
from .numbers import NotANumber, value_of
from .vocab import vocab
from .wordscan import digit_runs, odd_starts, word_starts


def _next_numeral(f: str, pos: int, end: int, digits: tuple[list[int], list[int]]) -> int:
    """Start of the next numeral in f[pos:end], or -1 (``digits``: wordscan.digit_runs of f).

    A numeral starts at a digit not glued to what precedes it: not after a letter,
    digit, ".", ",", "/", ":" ("A3", "1.5", "3/4" read whole elsewhere) nor after
    "letter-" ("F-16").  The next digit run plus a look at the previous characters is
    many times faster than a regex lookbehind tried at every position.
    """
    starts, ends = digits
    k = bisect_right(ends, pos)  # the first run that ends after pos
    while k < len(starts):
        i = max(starts[k], pos)
        if i >= end:
            return -1
        prev = f[i - 1] if i > 0 else " "
        if not (prev.isalpha() or prev.isdigit() or prev in ".,/:"
                or (prev == "-" and i > 1 and f[i - 2].isalpha())):
            return i
        k += 1  # the rest of this digit run is glued too
    return -1


def number_word_starts(folded: str, odd: list[int] | None = None) -> list[int]:
    """The word starts of ``folded`` a number word opens, in order (``odd``: its
    wordscan.odd_starts).  Read once per article: the figure gate and word_numbers only
    try their patterns there, instead of searching every sentence for the letters a number
    word may open on ("m", "h", "b", "t", "n", …: most syllables)."""
    return word_starts(_NUMBER_WORD_OPENS, folded, odd_starts(folded) if odd is None else odd)


def _val(s: str) -> float:
    return value_of(s)


def _is_year(tok: str) -> bool:
    return len(tok) == 4 and tok.isdigit() and 1900 <= int(tok) <= 2099


class SentenceScanner:
    """Scan one sentence of a Doc for figures."""

    def __init__(self, text: str, folded: str, start: int, end: int, sent_idx: int,
                 number_words: list[int] | None = None, digits: tuple[list[int], list[int]] | None = None):
        self.t, self.f, self.s, self.e, self.idx = text, folded, start, end, sent_idx
        self.v = vocab()
        # number_word_starts and wordscan.digit_runs of the text (computed here when the
        # caller has not)
        self.number_words = number_word_starts(folded) if number_words is None else number_words
        self.digits = digit_runs(folded) if digits is None else digits
        self.out: list[Figure] = []

    # -- helpers ---------------------------------------------------------------
    def before(self, i: int, n: int = 40) -> str:
        return self.f[max(self.s, i - n):i]

    def cue_before(self, i: int):
        """``not_before_re.search`` over the 30 characters before ``i``: a cue of
        data/not_figure_before.tsv ending right before the number ("năm 2019", "Điều 5").
        The search runs only when the window ends on one of the cues' last words (three
        numbers in ten): it is a tenth of the figure scan."""
        w = self.before(i, 30)
        if not w.rstrip().endswith(self.v.not_before_ends):
            return None
        return self.v.not_before_re.search(w)

    def change_before(self, i: int):
        """``_CHANGE_BEFORE.search`` over the 30 characters before ``i`` ("tăng 12",
        "giảm hơn 5"), searched only when they end on a word it can end on."""
        w = self.before(i, 30)
        return _CHANGE_BEFORE.search(w) if w.rstrip().endswith(_CHANGE_ENDS) else None

    def fig(self, a: int, b: int, kind: str, value, rule: str, num_start: int, **kw) -> Figure:
        return Figure(start=a, end=b, surface=self.t[a:b], kind=kind, value=value, rule=rule,
                      num_start=num_start, sent_idx=self.idx, **kw)

    def entity_at(self, pos: int):
        """Entity cue starting at pos (after spaces), as a match, or None."""
        m = _NOUN_LEAD.match(self.f, pos, self.e)
        p = m.end() if m else pos
        return self.v.entity_re.match(self.f, p, self.e)

    def skip_to(self, i: int) -> int:
        m = _NUM_TAIL.match(self.f, i, self.e)
        return m.end() if m else i + 1

    # -- main loop -------------------------------------------------------------
    def scan(self) -> list[Figure]:
        pos = self.s
        while pos < self.e:
            i = _next_numeral(self.f, pos, self.e, self.digits)
            if i < 0:
                break
            pos = self.at(i)
        self.word_numbers()
        self.out.sort(key=lambda x: x.start)
        if any(x.rule == "count_words" for x in self.out):
            self.out = [x for k, x in enumerate(self.out) if not self._article_mot(k)]
        return self.out

    def _article_mot(self, k: int) -> bool:
        """``một`` as an article, not a count (spec §1): "là một đảng viên ưu tú", "một
        đồng chí cho biết". It counts when an event verb governs it ("khai trừ một
        người", "kết nạp một đảng viên", the status cues of data/statuses.tsv) or when it
        stands in a list of counts ("một tổ chức đảng, 14 đảng viên")."""
        fig = self.out[k]
        if fig.rule != "count_words" or self.f[fig.start:fig.end] != "một":
            return False
        for m in self.v.status_re.finditer(self.f, max(self.s, fig.start - 40), fig.start):
            cue = " ".join(m.group().split())
            if self.v.status_pos.get(cue) in ("before", "any") and _GOVERNS.fullmatch(self.f, m.end(), fig.start):
                return False
        for j in (k - 1, k + 1):
            if 0 <= j < len(self.out):
                other = self.out[j]
                gap = self.f[other.end:fig.start] if j < k else self.f[fig.end:other.start]
                if len(gap) <= 60 and _LIST_GAP.search(gap):
                    return False
        return True

    def at(self, i: int) -> int:
        """Try every rule at numeral position i; return where scanning resumes."""
        f = self.f
        # a footnote marker glued to a word: "Đảng(3)"
        if i >= 2 and f[i - 1] == "(" and f[i - 2].isalpha():
            return self.skip_to(i)
        m = _SKIP.match(f, i, self.e) if self._may_skip(i) else None
        if m:
            return m.end()
        if "-" in f[i:i + 12] or "/" in f[i:i + 12]:  # (cheap gate: every id has one)
            m = _DOC_ID.match(self.t, i, self.e)
            if m:
                return m.end()
        cue = self.cue_before(i)
        if cue:
            reason = self.v.not_before.get(" ".join(cue.group("cue").split()))
            # "Kết luận 21" names a document; "kết luận 73 tổ chức đảng" counts what was found
            counted = reason == "document_id" and self.entity_at(self.skip_to(i)) is not None
            if reason != "-" and not counted:
                return self.skip_to(i)
        for rule in (self.range_, self.ratio, self.unit_number):
            try:
                r = rule(i)
            except NotANumber:
                # digits that no Vietnamese number convention reads ("0969.082.115"):
                # a phone number or an id, never a figure
                return self.skip_to(i)
            if r is not None:
                return r
        return self.skip_to(i)

    def _may_skip(self, i: int) -> bool:
        """Can _SKIP match at the numeral ``i``?  Every date, time and year span it reads
        has "/", ".", "-", ":" or "h" after the number's digits (white space between): its
        numbers are one or two digits, or a year of four, and what follows them is white
        space or that mark, never a digit, so they are the whole run.  Most numbers have
        none; the loops are cheaper than the eight branches failing one by one.  (A digit and
        white space to ``re`` are what str.isdecimal and str.isspace say; the test is in
        tests/test_scan_gates.py.)"""
        f, e = self.f, self.e
        j = i + 1
        while j < e and f[j].isdecimal():
            j += 1
        while j < e and f[j].isspace():
            j += 1
        return j < e and f[j] in _SKIP_MARKS

    # -- ranges ----------------------------------------------------------------
    def range_(self, i: int):
        f = self.f
        # (each rule is tried only where the sentence still holds the literal it needs
        # after the number, a "-", "/" or "trong": str.find is many times cheaper than a
        # failed match, and most numbers are plain counts)
        dash = f.find("-", i, self.e) >= 0
        m = _RANGE_DASH_PCT.match(f, i, self.e) if dash else None
        if m:
            return self._range(m, "percent", "range_dash_percent", i)
        m = _RANGE_DASH.match(f, i, self.e) if dash else None
        if m and self.entity_at(m.end()) and not (_is_year(m["a"]) or _is_year(m["b"])):
            lo, hi = _val(m["a"]), _val(m["b"])
            if lo < hi:
                return self._range(m, "count", "range_dash_count", i)
        before = self.before(i, 6)
        if before.rstrip().endswith("từ") and _FROM_BEFORE.search(before):  # (it ends on "từ")
            m = _RANGE_TO.match(f, i, self.e)
            if m:
                units = (m["ua"] or "") + (m["ub"] or "")
                if "%" in units or "phần" in units:
                    unit = "percent"
                elif "điểm" in units:
                    unit = "score"
                elif "tuổi" in units:
                    unit = "age"
                elif "đồng" in units:
                    unit = "money"
                elif self.entity_at(m.end()) and not (_is_year(m["a"]) or _is_year(m["b"])):
                    unit = "count"
                else:
                    unit = None
                if unit:
                    return self._range(m, unit, "range_from_to", i)
        return None

    def _range(self, m, unit: str, rule: str, i: int) -> int:
        try:
            lo, hi = _val(m["a"]), _val(m["b"])
        except NotANumber:
            return None
        end = m.end()
        fig = self.fig(i, end, "range", None, rule, i, low=lo, high=hi, unit=unit)
        ent = self.entity_at(end)
        if ent:
            fig.noun_start, fig.noun_end = ent.start(), ent.end()
        self.out.append(fig)
        return end

    # -- ratios ----------------------------------------------------------------
    def ratio(self, i: int):
        f = self.f
        m = _RATIO_WORDS.match(f, i, self.e) if f.find("trong", i, self.e) >= 0 else None
        if m:
            a, b = _val(m["a"]), _val(m["b"])
            if 0 <= a <= b:
                fig = self.fig(i, m.end(), "ratio", a, "ratio_trong_tong_so", i, numerator=a, denominator=b)
                ent = self.entity_at(m.end())
                if ent:
                    fig.noun_start, fig.noun_end = ent.start(), ent.end()
                self.out.append(fig)
                return m.end()
        m = _RATIO.match(f, i, self.e) if f.find("/", i, self.e) >= 0 else None
        if not m:
            return None
        a, b = _val(m["a"]), _val(m["b"])
        ent = self.entity_at(m.end())
        could_be_date = 1 <= a <= 31 and 1 <= b <= 12 and "." not in m.group()
        date_cue = bool(_DATE_WORD_BEFORE.search(self.before(i, 12)))
        if b == 0 or a > b or (could_be_date and (date_cue or not ent)):
            return m.end()  # a date ("26/1") or not a part of a whole
        fig = self.fig(i, m.end(), "ratio", a, "ratio_slash", i, numerator=a, denominator=b)
        if ent:
            fig.noun_start, fig.noun_end = ent.start(), ent.end()
        self.out.append(fig)
        return m.end()

    # -- a numeral with what follows it ----------------------------------------
    def unit_number(self, i: int):
        f = self.f
        tok = NUM_TOKEN.match(f, i, self.e)
        if not tok:
            return None
        ts = tok.group()
        j = tok.end()
        # "21.5" (dot decimal) is only a number before % or a scale word; else a date "30.5"
        dot_decimal = _DOT_DECIMAL.fullmatch(ts) is not None
        try:
            val = _val(ts)
        except NotANumber:
            return None

        m = _PERCENT.match(f, j, self.e)
        if m:
            fig = self.fig(i, m.end(), "percent", val, "percent", i, unit="percent")
            ent = self.entity_at(m.end())
            if ent and " ".join(ent.group().split()) not in self.v.base_nouns:
                fig.noun_start, fig.noun_end = ent.start(), ent.end()
            return self._finish(fig, m.end(), i)
        unit_after = _UNIT_AFTER.match(f, j, self.e) is not None  # (a scale, money, score or age word)
        ms = _SCALE_AFTER.match(f, j, self.e) if unit_after else None
        if ms:
            scale = " ".join(ms["scale"].split())
            v = value_of(ts, scale)
            k = ms.end()
            mu = _MONEY_UNIT.match(f, k, self.e)
            if mu:
                fig = self.fig(i, mu.end(), "money", v, "money_scale", i, unit="money", entity="money")
                return self._finish(fig, mu.end(), i)
            ent = self.entity_at(k)
            if ent or scale in ("nghìn", "ngàn", "vạn"):
                fig = self.fig(i, k, "count", v, "count_scale", i)
                if ent:
                    fig.noun_start, fig.noun_end = ent.start(), ent.end()
                return self._finish(fig, k, i)
            fig = self.fig(i, k, "money", v, "money_scale_bare", i, unit="money", entity="money")
            return self._finish(fig, k, i)
        if dot_decimal:
            return j
        mu = _MONEY_UNIT.match(f, j, self.e) if unit_after else None
        if mu:
            fig = self.fig(i, mu.end(), "money", val, "money", i, unit="money", entity="money")
            return self._finish(fig, mu.end(), i)
        m = _SCORE.match(f, j, self.e) if unit_after else None
        if m:
            fig = self.fig(i, m.end(), "score", val, "score", i, unit="score")
            return self._finish(fig, m.end(), i)
        if unit_after and _BADGE_AGE.match(f, j, self.e):
            return j
        m = _AGE.match(f, j, self.e) if unit_after else None
        if m:
            if _AGGREGATE_AGE.search(self.before(i, 60)):
                fig = self.fig(i, m.end(), "age", val, "age", i, unit="age")
                return self._finish(fig, m.end(), i)
            return m.end()  # one person's age
        na = self.v.not_after_re.match(f, j, self.e)
        if na:
            return na.end()
        if _LEADING_ZERO.fullmatch(ts) or _NEXT_NUMBER.match(f, j, self.e):
            return self.skip_to(i)  # phone numbers, digit sequences (lottery results)
        ent = self.entity_at(j)
        if _is_year(ts) and not ent:
            return j
        if _LETTER.match(f, j, j + 1):
            return self.skip_to(i)  # glued to letters: "3A", "6x36"
        if ent:
            fig = self.fig(i, j, "count", val, "count_noun", i)
            fig.noun_start, fig.noun_end = ent.start(), ent.end()
            return self._finish(fig, j, i)
        nw = _NEXT_WORD.match(f, j, self.e)
        if nw and proper_name(self.t, nw.start("w")):
            # a number before a proper name of two capitalised words or more, none a word the
            # vocabulary counts, is part of a name or an address ("Trung tâm Cấp cứu 115 Hà
            # Nội", "công trình 157 Lê Thánh Tôn", "khu đất 12 Tôn Đản"): no count
            return self.skip_to(i)
        if nw and nw["w"] not in self.v.noun_stops:
            fig = self.fig(i, j, "count", val, "count_other_noun", i)
            fig.noun_start, fig.noun_end = nw.start("w"), nw.end("w")
            return self._finish(fig, j, i)
        # a number with no noun after it
        return self.bare(i, j, val)

    def bare(self, i: int, j: int, val) -> int:
        f, t = self.f, self.t
        if self.change_before(i):
            fig = self.fig(i, j, "count", val, "change_bare", i)
            return self._finish(fig, j, i)
        if _SLIDE.match(f, j, self.e):
            # "từ 23 xuống còn 10 tổ chức": 23 counts the same thing as 10
            fig = self.fig(i, j, "count", val, "count_slide", i)
            fig.inherit_from = -1  # resolved to the next figure by meaning.py
            self.out.append(fig)
            return j
        # (the last item may end the sentence: "…, cách chức 44, khai trừ 126.")
        last_item = _LIST_END.match(f, j, self.e) and any(x.rule == "status_count" for x in self.out)
        if _ITEM_END.match(f, j, self.e) or last_item:
            if self.v.status_end_re.search(self.before(i, 60)):
                # "Hoàn thành tốt nhiệm vụ 49 (…), chiếm 71%": a tier and its count
                fig = self.fig(i, j, "count", val, "status_count", i)
                self.out.append(fig)
                return j
        if _LIST_END.match(f, j, self.e):
            ml = _LIST_NAME.search(t[max(self.s, i - 40):i])
            if ml and not self.cue_before(i):
                fig = self.fig(i, j, "count", val, "list_item", i)
                fig.list_item = ml["name"]
                self.out.append(fig)
                return j
            if _LABEL_BEFORE.search(self.before(i, 8)):
                fig = self.fig(i, j, "count", val, "label_count", i)
                self.out.append(fig)
                return j
            if self._breakdown_label(i):
                # "kết nạp 44.315 đảng viên; trong đó hơn 19.800 nữ; dân tộc 504; người có
                # đạo 1.151": an item of a breakdown, its trait first (meaning.py gives it
                # what the breakdown's total counts)
                fig = self.fig(i, j, "count", val, "breakdown_item", i)
                self.out.append(fig)
                return j
        return j

    def _breakdown_label(self, i: int) -> bool:
        """A short trait label right before ``i`` (after a ";" or ",") in a breakdown that a
        subset cue ("trong đó", check_cues.tsv) opened after a count of this sentence."""
        f = self.f
        cue = None
        for m in self.v.subset_re.finditer(f, self.s, i):
            cue = m
        if cue is None or not any(x.kind in ("count", "ratio") and x.end <= cue.start() and x.noun_start is not None
                                  for x in self.out):
            return False
        if not _ITEM_SEP.match(f, self.skip_to(i), self.e):
            return False  # "Cần Thơ (17)", "nhóm 6,7,8": not an item of the breakdown
        sep = max(f.rfind(";", cue.end(), i), f.rfind(",", cue.end(), i))
        if sep < 0:
            return False  # the first item after the cue has its noun ("trong đó 19.800 nữ")
        label = f[sep + 1:i].strip()
        return 0 < len(label) <= _LABEL_CHARS and _LABEL_WORDS.fullmatch(label) is not None

    def _finish(self, fig: Figure, end: int, i: int) -> int:
        m = self.change_before(i)
        if m and fig.kind in ("count", "percent", "money"):
            sign = -1 if m["dir"] == "giảm" else 1
            fig.unit = fig.unit or "count"
            fig.kind = "change"
            fig.value = sign * fig.value
            fig.rule = "change_" + fig.rule
        self.out.append(fig)
        return end

    # -- number words ----------------------------------------------------------
    def word_numbers(self):
        taken = [(x.start, x.end) for x in self.out]
        f, pos, stop = self.f, self.s, self.e
        # _WORD_NUM.search from pos, tried only where a number word opens a word (a match
        # inside a longer word, "thai", was skipped anyway)
        starts = self.number_words
        for k in range(bisect_left(starts, pos), len(starts)):
            a = starts[k]
            if a >= stop:
                break
            if a < pos:
                continue
            m = _WORD_NUM.match(f, a, stop)
            if m is None or (a > 0 and f[a - 1].isalpha()):
                continue
            b = m.end("w")
            pos = m.end()
            if any(s < b and a < e for s, e in taken):
                continue
            ent = self.entity_at(m.end())
            if not ent:
                continue
            if self.cue_before(a) or self._word_not_count(a, b):
                continue
            try:
                val = value_of(m["w"])
            except NotANumber:
                continue
            fig = self.fig(a, b, "count", val, "count_words", a)
            fig.noun_start, fig.noun_end = ent.start(), ent.end()
            self._finish(fig, b, a)


    def _word_not_count(self, a: int, b: int) -> bool:
        """A number word that is not a count here (data/word_numbers_not.tsv), or one right
        after a numeral ("tròn 50 năm Đảng bộ": the unit of that number)."""
        f, w = self.f, self.f[a:b]
        prev = _PREV_WORD.search(f, max(self.s, a - 20), a)
        if prev and (prev.group(1)[-1].isdigit() or (w, prev.group(1)) in self.v.word_not_before):
            return True
        nxt = _NEXT_WORD.match(f, b, self.e)
        return bool(nxt and (w, nxt.group(1)) in self.v.word_not_after)


def scan_sentence(text: str, folded: str, start: int, end: int, sent_idx: int,
                  number_words: list[int] | None = None,
                  digits: tuple[list[int], list[int]] | None = None) -> list[Figure]:
    return SentenceScanner(text, folded, start, end, sent_idx, number_words, digits).scan()

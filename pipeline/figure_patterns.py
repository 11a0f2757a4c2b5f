"""The patterns figures.py scans a sentence with: what a figure looks like (numerals,
percents, ranges, ratios, money, scores, ages, number words) and what only looks like one
(dates, times, document ids).  Compiled once; figures.SentenceScanner applies them.

Works on the folded view (textnorm).  No regex here takes a timeout: `regex`'s timeout
doubles the cost of every call (~3.5 us, a tenth of the run).  Instead every pattern is
written to run in linear time (no nested quantifiers over the same characters) and
tests/test_hostile.py drives the whole extractor with long runs of digits, dots, slashes
and spaces.
"""
from __future__ import annotations

import re

import regex

from .numbers import NUMERAL as N
from .numbers import NUMBER_WORD, SCALE, WORD_NUMBER

NUM_TOKEN = re.compile(N)
# between an event verb and the "một" it governs: "khai trừ (ra khỏi Đảng đối với) một"
_GOVERNS = regex.compile(r"(?:\s+(?:ra khỏi đảng|đối với|cho|được|thêm))*\s+")
# a list of counts: items joined by a comma, semicolon or "và"
_LIST_GAP = regex.compile(r"[,;]|\svà\s")
# the word before a number word
_PREV_WORD = re.compile(r"(\S+)\s+$")


_SKIP = re.compile(
    r"""(?:
      \d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{2,4}(?!\d)                # 26/01/2018, 30-6-2019
    | \d{1,2}/\d{1,2}\s*-\s*\d{1,2}/\d{1,2}(?:/\d{2,4})?(?!\d)          # 25/1-2/2/2021
    | \d{1,2}\s*-\s*\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d%])               # 11-13/10
    | \d{1,2}\s?[/.-]\s?(?:19|20)\d{2}(?![\d%])                         # 9/2023 (month/year)
    | \d{1,2}\s?(?::|h)\s?\d{2}(?:\s?:\s?\d{2})?(?![\d%])               # 06:59, 9:52:35, 10h30
    | \d{1,2}h(?![^\W_])                                             # 10h
    | (?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}(?!\d)                         # 2015 - 2020
    | (?:19|20)\d{2}\s*-\s*\d{2}(?![\d%/])                              # 2020-21
    )""", re.X)
# what follows the digits of every _SKIP match (SentenceScanner._may_skip)
_SKIP_MARKS = frozenset("/.-:h")
# document ids in the original text: 21-NQ/TW, 09 - NQ/TW, 31-QĐi/TU, 22/2019/NQ-HĐND
_DOC_ID = regex.compile(r"\d+(?:\s*/\s*\d{4})?\s*[-/]\s*\p{Lu}[\p{Lu}i]*(?:\s*[-/]\s*\p{Lu}[\p{L}]*)+")
_NUM_TAIL = re.compile(rf"{N}(?:\s?[/.-]\s?\d+)*[^\W_]*")

_PERCENT = re.compile(r"\s*(?:%|phần trăm(?![^\W\d_]))")
_SCALE_AFTER = re.compile(rf"\s+(?P<scale>{SCALE})(?![^\W\d_])")
# "đồng" is money, but not "đồng chí" (comrade) or "đồng bào"; "đ" is, but not "đ/c" (comrade)
_MONEY_UNIT = re.compile(
    r"\s*(?P<unit>đồng(?!\s+(?:chí|bào|thời|ý|loạt|bộ|hành|nghiệp|đội|tình))|vnđ|vnd|usd|đô la|đ(?!\s*/))(?![^\W\d_])")
_SCORE = re.compile(r"\s+điểm(?![^\W\d_])")
_AGE = re.compile(r"\s+tuổi(?![^\W\d_])(?!\s+đảng)")
_BADGE_AGE = re.compile(r"\s+tuổi\s+đảng")
_AGGREGATE_AGE = re.compile(r"bình quân|trung bình|độ tuổi|tuổi đời")
# any of the five above at a place: one failed try instead of five after most numbers
# (an alternation of the five matches where one of them does)
_UNIT_AFTER = re.compile("|".join(f"(?:{p.pattern})" for p in (_SCALE_AFTER, _MONEY_UNIT, _SCORE, _BADGE_AGE, _AGE)))
_NEXT_WORD = re.compile(r"\s+(?P<w>[^\W\d_]+)")
# two words at most after a number, on the original text (proper_name reads their case)
_TWO_WORDS = re.compile(r"([^\W\d_]+)\s+([^\W\d_]+)")


def proper_name(text: str, pos: int) -> bool:
    """Two capitalised words start at ``pos`` ("Hà Nội", "Lê Thánh Tôn"), the first not all
    capitals (an abbreviation is counted: "7.227 TS", "1 HCB")."""
    m = _TWO_WORDS.match(text, pos)
    if m is None:
        return False
    first, second = m.group(1), m.group(2)
    return first[0].isupper() and not first.isupper() and second[0].isupper()
_NEXT_NUMBER = re.compile(r"\s+\d")
# (these two run over a window before every figure: the word-start check sits after the
# cue's first letter, "t(?<!…)ăng" for "(?<!…)tăng", so the engine tries them only where
# that letter is, not at every position; same matches)
_CHANGE_BEFORE = re.compile(
    r"(?P<dir>t(?<![^\W\d_].)ăng|g(?<![^\W\d_].)iảm)(?:\s+thêm)?(?:\s+(?:hơn|gần|khoảng|trên|được))?\s*$")
# the words a _CHANGE_BEFORE match can end on: a window ending on none of them (white
# space stripped) is not searched (_change_before; most numbers follow none)
_CHANGE_ENDS = ("tăng", "giảm", "thêm", "hơn", "gần", "khoảng", "trên", "được")
_FROM_BEFORE = re.compile(r"t(?<![^\W\d_].)ừ\s*$")
_DATE_WORD_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:từ|đến|tới|hết|trước|sau|dịp|vào|cuối|đầu|nhân dịp|ngày|đợt)\s*$")
_RANGE_DASH_PCT = re.compile(rf"(?P<a>{N})(?:\s*%)?\s*-\s*(?P<b>{N})\s*%")
_RANGE_DASH = re.compile(rf"(?P<a>{N})\s*-\s*(?P<b>{N})(?=\s+[^\W\d_])")
_RANGE_TO = re.compile(
    rf"(?P<a>{N})(?P<ua>\s*%|\s+điểm|\s+tuổi)?\s+(?:đến|tới)\s+(?:(?:dưới|trên|hơn)\s+)?"
    rf"(?P<b>{N})(?P<ub>\s*%|\s+điểm|\s+tuổi|(?:\s+(?:triệu|tỷ|tỉ))?\s+đồng)?")
_RATIO = re.compile(r"(?P<a>\d+(?:\.\d{3})*)\s?/\s?(?P<b>\d+(?:\.\d{3})*)(?![\d/])")
_RATIO_WORDS = re.compile(rf"(?P<a>{N})\s+trong\s+(?:tổng\s+)?số\s+(?P<b>{N})")
_SLIDE = re.compile(rf"\s+(?:xuống|lên)(?:\s+còn)?\s+(?:{N})")
_LIST_NAME = regex.compile(r"(?:^|[;,:(]\s*|\s-\s)(?P<name>(?:TP\.\s?|Tp\.\s?)?\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*){0,3})\s+$")
_LIST_END = re.compile(r"\s*(?:[;,.)]|$)")
# the end of one item of a list of counts: "khiển trách 21, cảnh cáo 9", "… 12 (gồm …)"
_ITEM_END = re.compile(r"\s*(?:[;,)]|\(|và\s)")
_LABEL_BEFORE = re.compile(r"(?::|\blà)\s*$")
# how long a breakdown item's trait label may be ("đoàn viên thanh niên cộng sản hồ chí minh")
_LABEL_CHARS = 60
_LABEL_WORDS = regex.compile(r"\p{L}+(?:\s+\p{L}+)*")
# what ends an item of a breakdown: ";" or "," then more, or the end of the sentence
_ITEM_SEP = re.compile(r"\s*(?:;|,\s*\D|\.?\s*$)")
# number words before a word; the left word boundary is checked in word_numbers()
# (a leading lookbehind would stop `re` from skipping ahead to candidate words)
_WORD_NUM = re.compile(rf"(?P<w>{WORD_NUMBER})\s+(?=[^\W\d_])")
# any number word, with no boundary on either side: where _WORD_NUM (and the figure gate
# of extract.py) can match at all
_NUMBER_WORD_OPENS = re.compile(f"(?:{NUMBER_WORD})")


# what may stand between a number and its counted noun: "lượt cán bộ", "tổng số đảng viên"
_NOUN_LEAD = re.compile(r"\s*(?:(?:lượt|tổng\s+số|số)\s+)?")


_DOT_DECIMAL = re.compile(r"\d+\.\d{1,2}")
_LEADING_ZERO = re.compile(r"0\d{2,}")
_LETTER = re.compile(r"[^\W\d_]")

"""Paragraphs, sentences and clauses as (start, end) spans of the article text.

A regex splitter, not underthesea's sent_tokenize: it runs at scan speed and keeps
exact offsets.  Abbreviations that end in a dot ("TP.", "P. Thảo", "Th.S") do not
end a sentence.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

from .tables import rows

_LINE = regex.compile(r"[^\n]+")
# end of sentence: . ! ? (or an ellipsis) then space(s) then an upper-case letter,
# a digit, a quote or a parenthesis.
# (stdlib re, starting on the punctuation itself so the engine can skip ahead to it;
# the character after the gap is checked in Python: str.isupper covers every Vietnamese capital)
_BOUNDARY = re.compile(r"[.!?…][\"”')\]]*\s+")
_OPENERS = frozenset("\"“'([-")
# abbreviations that end in a dot and end neither a sentence nor a clause ("TP. HCM", "Q. 10",
# "Th.S. Nguyễn"; one upper-case letter, "ông Q.", too)
ABBREVIATIONS = ("TP", "Tp", "T.P", "P", "Q", "TX", "TS", "ThS", "Th.S", "GS", "PGS", "BS", "KS", "CN", "Đ/c", "đ/c",
                 "St", "Mr", "Mrs", "Ms", "Dr", "ông", "bà", "Tr", "tr", "TT", "Ths")
_ABBREVIATION_ALT = "|".join(regex.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
_NO_SPLIT_BEFORE = regex.compile(rf"(?:\b(?:{_ABBREVIATION_ALT})\.|\b\p{{Lu}}\.|\b\p{{Lu}}\.\p{{Lu}}\.)$")


# the last letters of the abbreviations _NO_SPLIT_BEFORE lists that are lower case
_ABBREVIATION_ENDS = frozenset(a[-1] for a in ABBREVIATIONS if a[-1].islower())


def _may_end_abbreviation(c: str) -> bool:
    """Can _NO_SPLIT_BEFORE match with ``c`` right before the final "."?  Its abbreviations
    end on a letter, upper case (any \\p{Lu}) or one of _ABBREVIATION_ENDS: a digit, a
    mark or a space never, nor another lower-case letter ("năm 2019.", "đó.", "chi bộ.":
    three sentence ends in four, no regex)."""
    if not c:
        return False
    if c.islower():
        return c in _ABBREVIATION_ENDS
    return unicodedata.category(c)[0] not in "NPSZ"


def lines(text: str) -> list[tuple[int, int]]:
    """Non-empty lines (our paragraphs), whitespace-trimmed spans."""
    out = []
    for m in _LINE.finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


@lru_cache(maxsize=1)
def _missing_stop():
    """A lower-case letter, a space, then a capitalised sentence opener (data/missing_stops.tsv):
    a full stop the scrape lost ("… ở các cấp Qua kiểm điểm, …")."""
    # (stdlib re on the openers alone, the space and the letter before them checked in
    # Python: a look-behind at every space of the text doubled the segmenter's time)
    alt = "|".join(re.escape(o) for o, *_ in sorted(rows("missing_stops"), key=lambda r: -len(r[0])))
    return re.compile(rf"(?:{alt})(?=[\s,:])")


def _lost_stops(text: str, a: int, b: int) -> list[int]:
    """Where a sentence the scrape ran on into the one before starts, in text[a:b]: the
    opener after a space and a word in lower case (not after a capitalised word: "Mùa Thu
    Đi Qua Phố Cổ" is a title)."""
    out = []
    for m in _missing_stop().finditer(text, a + 2, b):
        q = m.start()
        if text[q - 1] != " " or not text[q - 2].islower():
            continue
        w = max(text.rfind(" ", a, q - 1) + 1, a)  # the word before
        if text[w].islower():
            out.append(q)
    return out


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as absolute spans."""
    out = _sentences(text, start, end)
    at = _lost_stops(text, start, end)
    if not at:
        return out  # (most paragraphs)
    cut = []
    for a, b in out:
        p = a
        for q in at:
            if a < q < b:
                cut.append((p, q - 1))
                p = q
        cut.append((p, b))
    return cut


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in _BOUNDARY.finditer(text, start, end):
        e = m.end()
        if e >= end:
            break
        c = text[e]
        if not (c.isupper() or c.isdigit() or c in _OPENERS):
            continue
        cut = m.start() + 1  # just after the punctuation mark
        # (every abbreviation ends "." after at most three letters: four letters before
        # the mark settle it without the regex, which is most sentence ends; so does the
        # character before the mark, where no abbreviation can end on it; "!", "?" and
        # "…" end a sentence without a look at the words before them)
        if text[cut - 1] == ".":
            head = text[max(s, cut - 12):cut]
            if not (len(head) >= 5 and head[-5:-1].isalpha()) \
                    and _may_end_abbreviation(head[-2:-1]) and _NO_SPLIT_BEFORE.search(head):
                continue
        if cut > s:
            out.append((s, cut))
        s = e
    if s < end:
        out.append((s, end))
    # (no sentence of a paragraph this short can be too long: most paragraphs)
    if end - start > MAX_SENTENCE and any(b - a > MAX_SENTENCE for a, b in out):
        out = [p for a, b in out for p in _cut_long(text, a, b)]
    return out


# A "sentence" longer than this (a scraped run without full stops, or hostile input)
# is cut at a comma, semicolon or space: the work per figure grows with its sentence,
# so an uncut 50,000-character line of figures would take minutes.
MAX_SENTENCE = 2000


def _cut_long(text: str, a: int, b: int):
    while b - a > MAX_SENTENCE:
        lo, hi = a + MAX_SENTENCE // 2, a + MAX_SENTENCE
        cut = max(text.rfind("; ", lo, hi), text.rfind(", ", lo, hi))
        cut = cut + 1 if cut >= 0 else text.rfind(" ", lo, hi)
        if cut <= a:
            cut = hi
        yield a, cut
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if b > a:
        yield a, b


# (on folded text, inside one sentence: a "." before a space ends a clause, unless it ends
# an abbreviation of a place or a title, "TP. HCM", "Q. 10", "Th.S. Nguyễn", or an ellipsis
# that goes on with the clause, "cán bộ, công chức, viên chức... bị kỷ luật": the sentence
# splitter has already cut where a capital follows)
_FOLDED_ABBREVIATIONS = "|".join(regex.escape(a) for a in sorted({a.lower() for a in ABBREVIATIONS}, key=len,
                                                                   reverse=True))
_CLAUSE_END = regex.compile(
    rf"[;]|:\s|(?<!\.)(?<!(?:^|[^\p{{L}}])(?:{_FOLDED_ABBREVIATIONS}|\p{{L}}))\.\s")


def clause_marks(folded: str, sent_start: int, sent_end: int) -> list[tuple[int, int]]:
    """The spans of the marks that end a clause in the sentence (for clause_bounds)."""
    return [m.span() for m in _CLAUSE_END.finditer(folded, sent_start, sent_end)]


def clause_bounds(folded: str, sent_start: int, sent_end: int, pos: int,
                  marks: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    """The clause around ``pos``: between semicolons (or ': ') inside the sentence.
    ``marks``: clause_marks of the sentence, read once for all its figures (a mark is a
    character or two and none can start inside another, so they are the marks either scan
    below finds; the one straddling ``pos`` bounds neither side)."""
    if marks is not None:
        s, e = sent_start, sent_end
        for a, b in marks:
            if b <= pos:
                s = b
            elif a >= pos:
                e = a
                break
        return s, e
    s = sent_start
    for m in _CLAUSE_END.finditer(folded, sent_start, pos):
        s = m.end()
    m = _CLAUSE_END.search(folded, pos, sent_end)
    e = m.start() if m else sent_end
    return s, e

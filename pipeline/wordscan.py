"""Scanning a folded text for phrases that must start a word, trying them only where a
word starts.

A pattern opening on a phrase's first letter ("t", "n", "c", ...) is tried by the
engine wherever that letter stands, and in Vietnamese most of those places are inside
a syllable ("tỉnh", "những", "chính"): each try costs a call into the engine, and the
unit and role-cue scans of whole articles spent most of their time there.  Almost
every word starts after a space, so each such scan is run as two:

* ``" (?:pattern)"``: the engine skips straight from one space to the next, and tries
  the pattern only after one (half as many tries);
* every other place a word may start: the text's first character, and each letter
  after a character that is neither a letter nor a space ("(vụ", "\\nHuyện", "5tỉnh"),
  found once per article by one scan (``odd_starts``, a few dozen places) and shared
  by both scans; the pattern is matched there one place at a time.

The two together try the pattern at every place the old one-pass scan could find a
match after a non-letter, so the hits are the same (the callers' own word-start checks
stay as they were).
"""
from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache

import regex

# the lower-case Latin letters of Vietnamese text (a-z, their accented forms, đ): what
# stands before a space or a letter almost everywhere in a folded text
_LETTERS = "".join(sorted(
    set(string.ascii_lowercase + "đ")
    | {chr(c) for c in range(0xC0, 0x1EFA)
       if chr(c).islower() and chr(c).isalpha() and unicodedata.normalize("NFD", chr(c))[0] in string.ascii_lowercase}))
assert all(c.isalpha() for c in _LETTERS)
# a character that is neither one of those letters nor a space, before a letter.  The
# class lists letters only, never a mark or a digit: a character left out of it (an
# upper-case or a rare letter) only makes a place tried that cannot match, while a
# character wrongly in it would hide one.
_ODD_BEFORE = re.compile(rf"[^ {_LETTERS}](?=[^\W\d_])")


def odd_starts(f: str) -> list[int]:
    """The places a word may start that do not follow a space: 0, and each letter after a
    character that is neither a letter nor a space (among them digits and marks)."""
    return [0] + [m.end() for m in _ODD_BEFORE.finditer(f)]


@lru_cache(maxsize=None)
def after_space(rx: re.Pattern) -> re.Pattern:
    """``rx`` after a space, as group 1: where " " + rx matches at p - 1, rx matches at
    p, with the same span (rx opens on no look-behind reaching past its first letter,
    and one that does reads the same space)."""
    return re.compile(f" ({rx.pattern})", rx.flags)


class Hits:
    """The matches of ``rx`` in ``f`` that start at 0 or after a non-letter, in order,
    overlapping ones too: ``next(pos)`` is the first at or after ``pos`` as (start, end,
    text), what ``rx.search(f, pos)`` would find if it skipped every match that starts
    right after a letter.  ``pos`` may only grow from one call to the next."""

    def __init__(self, rx: re.Pattern, f: str, odd: list[int]):
        self.rx, self.f, self.odd = rx, f, odd
        self.spaced = after_space(rx).search
        self.a: tuple[int, int, str] | None = None  # the last hit after a space
        self.a_from = -1                              # ... looked for from here
        self.i = 0                                    # the next odd start to try
        self.b: tuple[int, int, str] | None = None    # the hit at odd[i - 1], if any

    def next(self, pos: int) -> tuple[int, int, str] | None:
        a = self.a
        if self.a_from < 0 or (a is not None and a[0] < pos):
            m = self.spaced(self.f, max(pos - 1, 0))
            a = self.a = (m.start(1), m.end(1), m.group(1)) if m else None
            self.a_from = pos
        b = self.b
        if b is None or b[0] < pos:
            b = self.b = None
            odd, match, f = self.odd, self.rx.match, self.f
            while self.i < len(odd):
                p = odd[self.i]
                self.i += 1
                if p >= pos:
                    m = match(f, p)
                    if m:
                        b = self.b = (p, m.end(), m.group())
                        break
        if a is None:
            return b
        return a if b is None or a[0] < b[0] else b


@lru_cache(maxsize=None)
def _before_space(rx: re.Pattern) -> re.Pattern:
    """A space that ``rx`` follows (a look-ahead: each match is that one space, so one
    scan finds every place, even where two of them would overlap)."""
    return re.compile(f" (?=(?:{rx.pattern}))", rx.flags)


def word_starts(rx: re.Pattern, f: str, odd: list[int]) -> list[int]:
    """Every place, in order, where ``rx`` matches at 0 or right after a non-letter: after
    a space, or at one of the odd starts (a superset of them when ``rx`` has no word-start
    check of its own).  One scan of the text, then ``rx.match`` at these places only, in
    place of a search over every sentence that tries ``rx`` at each letter it may open on."""
    found = [m.end() for m in _before_space(rx).finditer(f)]
    match = rx.match
    extra = [p for p in odd if match(f, p)]
    return sorted(found + extra) if extra else found


def literal_starts(words: tuple[str, ...], f: str, odd: list[int]) -> list[int]:
    """Every place, in order, where one of a few literal ``words`` opens a word: after a
    space (str.find of " " + word, a literal search several times faster than a pattern
    tried at each space), or at one of the odd starts."""
    found = []
    for w in words:
        needle = " " + w
        i = f.find(needle)
        while i >= 0:
            found.append(i + 1)
            i = f.find(needle, i + 1)
    found.extend(p for p in odd if f.startswith(words, p))
    found.sort()
    return found


def word_matches(rx: re.Pattern, f: str, odd: list[int]) -> list[tuple[int, int, str]]:
    """``rx.finditer(f)`` as (start, end, text), for a pattern that matches only at 0 or
    after a non-letter (its own word-start check).  The scan after spaces and the odd
    starts each find such matches; when none of them overlaps another, they are the
    ones ``finditer`` finds, left to right and non-overlapping (each is the leftmost
    match at or after the end of the one before it); else, rarely, ``finditer`` itself."""
    hits = [(m.start(1), m.end(1), m.group(1)) for m in after_space(rx).finditer(f)]
    match = rx.match
    for p in odd:
        m = match(f, p)
        if m:
            hits.append((p, m.end(), m.group()))
    if len(hits) > 1:
        hits.sort()
        if any(hits[k][1] > hits[k + 1][0] for k in range(len(hits) - 1)):
            return [(m.start(), m.end(), m.group()) for m in rx.finditer(f)]
    return hits


# (`regex` scans for a digit twice as fast as `re`)
_DIGIT_RUN = regex.compile(r"\d+")


def digit_runs(f: str) -> tuple[list[int], list[int]]:
    """The starts and the ends of the maximal runs of digits of ``f``, in order.  Searching
    a text for its next digit runs through every character before it (~12 ns each, a
    Unicode class test): the figure gate, the figure scan and the dating of full dates
    each did, over the same text; one scan per article, then a binary search of its
    twenty-odd runs, replaces them."""
    starts, ends = [], []
    for m in _DIGIT_RUN.finditer(f):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends

"""Vietnamese number expressions -> values.

Conventions (patterns.md §1): ``8.000`` is 8000 (dot groups thousands), ``42,85``
is 42.85 (comma is the decimal mark), ``06`` is 6, ``3,2 nghìn`` is 3200, number
words ``hai mươi lăm`` is 25.  A dot followed by one or two digits (``21.5%``) is
an English-style decimal, accepted only where the caller has a unit after it.
Patterns here work on the folded view (see textnorm).
"""
from __future__ import annotations

import re

from .tables import phrase_alternation, rows

# A numeral as written.  Thousands groups first so that "8.000" is one token.
NUMERAL = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d{1,2}(?![\d.])|\d+)"

_WORDS = {r[0]: (int(r[1]), r[2]) for r in rows("number_words")}
_SCALES = {r[0]: int(r[1]) for r in rows("scales")}

# Number words: a run of known words, longest-first so "mươi" is not read as "mười".
NUMBER_WORD = phrase_alternation(_WORDS)
WORD_NUMBER = rf"(?:(?:{NUMBER_WORD})(?:\s+(?:{NUMBER_WORD}))*)"
SCALE = phrase_alternation(_SCALES)



class NotANumber(ValueError):
    """Raised when a string is not a number expression this module understands."""


_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")   # 8.000 / 1.234,5
_COMMA_DECIMAL = re.compile(r"\d+,\d+")                 # 42,85
_DOT_DECIMAL = re.compile(r"\d+\.\d{1,2}")              # 21.5 (not a thousands group)


def parse_numeral(s: str) -> float:
    """``"8.000"`` -> 8000, ``"42,85"`` -> 42.85, ``"06"`` -> 6, ``"21.5"`` -> 21.5."""
    s = s.strip()
    if s.isdecimal():  # the common case, first: digits only (what \d+ matches)
        return _num(s)
    if _GROUPED.fullmatch(s):
        return _num(s.replace(".", "").replace(",", "."))
    if _COMMA_DECIMAL.fullmatch(s):
        return _num(s.replace(",", "."))
    if _DOT_DECIMAL.fullmatch(s):
        return _num(s)
    raise NotANumber(s)


def _num(s: str) -> float:
    v = float(s)
    if v != v or v in (float("inf"), float("-inf")):
        raise NotANumber(s)  # more digits than a double holds: never a figure
    return int(v) if v.is_integer() else v


def parse_words(s: str) -> int:
    """``"hai mươi lăm"`` -> 25, ``"một trăm linh năm"`` -> 105, ``"mười tám"`` -> 18."""
    toks = s.split()
    if not toks:
        raise NotANumber(s)
    total = 0       # completed hundreds
    current = 0     # value below a hundred being built
    last = None
    for t in toks:
        if t not in _WORDS:
            raise NotANumber(s)
        v, role = _WORDS[t]
        if role == "digit":
            if last == "digit":
                raise NotANumber(s)  # "hai ba" is two numbers, not 23
            current += v
        elif role == "ten":
            if current:
                raise NotANumber(s)
            current = 10
        elif role == "tens":
            if not (1 <= current <= 9) or last != "digit":
                raise NotANumber(s)
            current *= 10
        elif role == "hundred":
            if not (1 <= current <= 9):
                raise NotANumber(s)
            total += current * 100
            current = 0
        elif role == "zero":
            if last != "hundred":
                raise NotANumber(s)
        last = role
    return total + current


def scale_of(word: str) -> int:
    """Multiplier of a scale word (``"triệu"`` -> 1e6); ``NotANumber`` otherwise."""
    w = " ".join(word.split())
    if w not in _SCALES:
        raise NotANumber(word)
    return _SCALES[w]


def value_of(numeral: str, scale: str | None = None) -> float:
    """A digit numeral or number words, times an optional scale word."""
    numeral = numeral.strip()
    try:
        v = parse_numeral(numeral)
    except NotANumber:
        v = parse_words(numeral)
    if scale:
        v = v * scale_of(scale)
        if abs(v) > 1e300:
            raise NotANumber(f"{numeral} {scale}")
        if isinstance(v, float):
            v = round(v, 6)
            if v.is_integer():
                v = int(v)
    return v


# How far an exact value may lie from a rounded one that restates it ("hơn 200" for 201,
# "gần 600" for 556), by the rounded one's qualifier: roles.py (a restatement is no share
# of its total) and views.py (the exact figure stands for both) read the same bands.
ROUNDED_BANDS = {"more_than": (1.0, 1.2), "nearly": (0.8, 1.0), "approx": (0.9, 1.1)}

"""NFC text plus a folded view of the same length.

Offsets stored in DuckDB index the NFC text (spec §6).  Matching, however, must not
care about case, Ð (U+00D0) versus Đ, non-breaking spaces, typographic dashes or
old versus new tone-mark placement (``hoà``/``hòa``, ``uỷ``/``ủy``).  ``fold`` maps
every character to exactly one character, so an offset found in the folded view
is an offset in the stored text: no offset map is needed.
"""
from __future__ import annotations

import re
import unicodedata


# Tone moved from the second to the first vowel of an open syllable: both spellings
# are current in the press.  Canonical form here: tone on the first vowel ("hòa").
_NEW_TO_OLD = {
    # second char with tone -> (first char with tone, second char plain)
    ("o", "à"): "òa", ("o", "á"): "óa", ("o", "ả"): "ỏa", ("o", "ã"): "õa", ("o", "ạ"): "ọa",
    ("o", "è"): "òe", ("o", "é"): "óe", ("o", "ẻ"): "ỏe", ("o", "ẽ"): "õe", ("o", "ẹ"): "ọe",
    ("u", "ỳ"): "ùy", ("u", "ý"): "úy", ("u", "ỷ"): "ủy", ("u", "ỹ"): "ũy", ("u", "ỵ"): "ụy",
}

_CHAR_MAP = {
    "ð": "đ",  # lower-case of Ð (U+00D0, Icelandic eth) typed for Đ
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ",
    "\u2002": " ", "\u2003": " ", "\t": " ", "\ufeff": " ",
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
    "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
    "\u2026": ".",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold_char(c: str) -> str:
    m = _CHAR_MAP.get(c)
    if m is not None:
        return m
    low = c.lower()
    if len(low) != 1:  # e.g. U+0130 lowercases to two code points: keep length
        return c
    return _CHAR_MAP.get(low, low)


# str.translate with a dict is slow on non-Latin-1 text (a dict lookup per character);
# these characters are rare, so replacing each one that occurs is ~20x faster.
_REPLACE = tuple(_CHAR_MAP.items())
# an open syllable ending in a toned second vowel: "hoà", "thuỷ" (not "quý", not "hoàn")
# (stdlib re: several times faster than `regex` on this simple scan; [^\W\d_] = a letter)
# The "not after q" check sits after the vowel ("o(?<!qo)" = "(?<!q)o"): a pattern opening
# on a look-behind is tried at every position of the text, one opening on "o"/"u" only
# there (same matches; the scan of every article's text runs 2.5x faster).
_OLD_TONE = re.compile(r"(?:o(?<!qo)[àáảãạèéẻẽẹ]|u(?<!qu)[ỳýỷỹỵ])(?![^\W\d_])")


def _retone(m) -> str:
    return _NEW_TO_OLD[(m.group()[0], m.group()[1])]


def fold(text: str) -> str:
    """Lower-case, canonical view of ``text`` with ``len(fold(t)) == len(t)``."""
    low = text.lower()
    if len(low) == len(text):
        out = low
        for c, r in _REPLACE:
            if c in out:
                out = out.replace(c, r)
        return _OLD_TONE.sub(_retone, out)
    return _fold_slow(text)


def _fold_slow(text: str) -> str:
    chars = [_fold_char(c) for c in text]
    n = len(chars)
    for i in range(n - 1):
        pair = _NEW_TO_OLD.get((chars[i], chars[i + 1]))
        if pair is None:
            continue
        # only open syllables vary ("hoà"/"hòa"); "hoàn" is always "hoàn"
        nxt = chars[i + 2] if i + 2 < n else " "
        if nxt.isalpha():
            continue
        # "quý": the u belongs to the onset "qu", its tone never moves
        if chars[i] == "u" and i > 0 and chars[i - 1] == "q":
            continue
        chars[i], chars[i + 1] = pair[0], pair[1]
    out = "".join(chars)
    assert len(out) == len(text)
    return out


def fold_phrase(phrase: str) -> str:
    """Fold a vocabulary entry the same way as article text (NFC first)."""
    return fold(nfc(phrase)).strip()

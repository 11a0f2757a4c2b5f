"""Page furniture and duplicated blocks: spans whose numbers must not become figures.

Rules live in data/furniture.tsv (one regex per line over the folded line).  On top
of them, two structural rules no single line can express (patterns.md F-03/F-04):
a line repeated from just before it (duplicated lead, caption shown twice, a
caption wrapped over two lines and then repeated whole), and the caption line that
follows an image widget.
"""
from __future__ import annotations

import re
from bisect import bisect_left

import regex

from .segment import lines, sentences
from .tables import one_alternative, rows

# stdlib re: on these plain patterns it is 2-3x faster than `regex` (see the table's header)
_RULES = [(re.compile(p), scope, reason) for p, scope, reason in rows("furniture")]
# Most lines match no rule, and trying the twenty one by one was mostly the cost of the
# calls: the rules anchored at the line's start ("^…") are tried as one alternation
# first, and the few others (literal openings the engine skips to) alone.  A line that
# matches none of them is furniture-free; one that matches some is given to the rules
# in table order as before (the first rule that matches decides).


def _anchored(pattern: str) -> bool:
    return pattern.startswith("^") and one_alternative(pattern)  # ("^a|b": b is not)


_ANCHORED = re.compile("^(?:" + "|".join(rx.pattern[1:] for rx, _, _ in _RULES if _anchored(rx.pattern)) + ")")
_UNANCHORED = [rx for rx, _, _ in _RULES if not _anchored(rx.pattern)]


def _norm(s: str) -> str:
    # a printable line holds no white space but " " (str.isprintable is false for tabs,
    # newlines, no-break and other Unicode spaces): with no double space there is
    # nothing to collapse, and splitting every line into words was 4% of the run
    if "  " not in s and s.isprintable():
        return s.strip(" .")
    return " ".join(s.split()).strip(" .")


def _first_rule(fl: str) -> tuple[str, str] | None:
    """(scope, reason) of the first rule, in table order, that matches the folded line."""
    if _ANCHORED.match(fl) is None and not any(rx.search(fl) for rx in _UNANCHORED):
        return None
    for rx, scope, reason in _RULES:
        if rx.search(fl):
            return scope, reason
    return None


def find(text: str, folded: str, title_end: int = 0,
         paragraphs: list[tuple[int, int]] | None = None,
         paragraph_sentences: list[list[tuple[int, int]]] | None = None) -> list[tuple[int, int, str]]:
    """Spans (start, end, reason) to ignore.  The title line (up to ``title_end``) is kept.
    ``paragraphs``: segment.lines(text), when the caller has it already, and
    ``paragraph_sentences`` the sentences of each (a caption in a long paragraph masks
    only its own sentences: the pages that run a whole article into one line are a
    good part of the text, and segmenting them twice was 1% of the run)."""
    spans: list[tuple[int, int, str]] = []
    ls = lines(text) if paragraphs is None else paragraphs
    normed = [_norm(folded[s:e]) for s, e in ls]
    seen: set[str] = set()
    after_widget = False
    for i, (s, e) in enumerate(ls):
        if i:
            seen.add(normed[i - 1])
        if s < title_end:
            continue
        fl = folded[s:e]
        if after_widget:
            after_widget = False
            spans.append((s, e, "photo caption"))
            continue
        hit = _first_rule(fl)
        if hit:
            scope, reason = hit
            if scope == "rest":
                spans.append((s, len(text), reason))
                break
            if reason == "photo caption" and e - s > 300:
                # a caption run into a long scraped paragraph ("... kết nạp. Ảnh: M.H ..."):
                # mask only the caption sentence and its credit, not the paragraph
                sents = paragraph_sentences[i] if paragraph_sentences is not None else sentences(text, s, e)
                spans.extend(_caption_in_paragraph(fl, s, sents))
                continue
            spans.append((s, e, reason))
            if reason == "image widget":
                after_widget = True
            continue
        n = normed[i]
        if len(n) < 20:
            continue
        # repeated: the line is contained in the three lines before it (or earlier lines)
        window = " ".join(normed[max(0, i - 3):i])
        if n in window or n in seen:
            spans.append((s, e, "duplicated text"))
            continue
        # a lead cut short and then given in full on the next line
        if i + 1 < len(ls) and len(n) >= 30 and normed[i + 1].startswith(n) and normed[i + 1] != n:
            spans.append((s, e, "duplicated text"))
    return spans


_CREDIT = regex.compile(r"(?:^|\s)\(?ảnh\s*:")


def _caption_in_paragraph(fl: str, s: int, sents: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The caption sentences of the paragraph at ``s`` (folded ``fl``, its sentences ``sents``)."""
    out = []
    for m in _CREDIT.finditer(fl):
        pos = s + m.end()
        for k, (a, b) in enumerate(sents):
            if a <= pos <= b:
                start = sents[k - 1][0] if k > 0 else a
                out.append((start, b, "photo caption"))
    return out


def covered(spans: list[tuple[int, int, str]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e, _ in spans)


def covered_sentences(spans: list[tuple[int, int, str]], sents: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The sentences (in text order, as segment gives them) that some span covers: each
    span's own run of them, found by binary search, not every sentence tested against
    every span (``covered``)."""
    starts = [s for s, _ in sents]
    out = set()
    for a, b, _ in spans:
        for k in range(bisect_left(starts, a), len(sents)):
            if sents[k][1] > b:
                break  # (ends grow with starts: no later sentence ends inside the span)
            out.add(sents[k])
    return out

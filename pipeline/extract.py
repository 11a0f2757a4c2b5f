"""Run the stages over one article: the pipeline in one place."""
from __future__ import annotations

import hashlib
import time
from bisect import bisect_left, bisect_right

from . import attribute, furniture, incident_place, meaning, roles, subjects, units
from .tables import rows, word_alternation
from .doc import Article, Doc
from .figures import number_word_starts, scan_sentence
from .ingest import title_end
from .segment import lines, sentences

import re

# the gate before the figure rules: a digit (Doc.digit_runs), or a number word standing
# alone (the number words on `re`, twice as fast as `regex` on that alternation)
# a number word that can start a figure: the digits and "mười" of data/number_words.tsv
_NUMBER_WORD = re.compile(
    word_alternation([w for w, _v, role, *_ in rows("number_words") if role in ("digit", "ten")], r"[^\W\d_]")
    + r"(?![^\W\d_])")


def _has_number_word(f: str, s: int, e: int, starts: list[int]) -> bool:
    """``_NUMBER_WORD.search(f, s, e)`` found something: tried only at the word starts a
    number word opens (``starts``: figures.number_word_starts), read once per article."""
    for k in range(bisect_left(starts, s), len(starts)):
        if starts[k] >= e:
            break
        if _NUMBER_WORD.match(f, starts[k], e):
            return True
    return False


STAGES = ("normalise", "segment", "find", "units", "meaning", "attribute")


def process(article: Article, timings: dict[str, float] | None = None, nlp: bool = False) -> Doc:
    """All stages over one article.  ``timings``, if given, accumulates seconds per stage.
    ``nlp`` (``extract --nlp``): underthesea settles what the rules leave open (nlp.py);
    off, it is not even imported."""
    clock = _Clock(timings)
    doc = Doc.from_article(article)
    clock.lap("normalise")
    t_end = title_end(article)
    paragraphs = lines(doc.text)
    para_sents = [sentences(doc.text, ls, le) for ls, le in paragraphs]
    doc.furniture = furniture.find(doc.text, doc.folded, t_end, paragraphs, para_sents)
    for (ls, le), sents in zip(paragraphs, para_sents):
        doc.paragraphs.append((ls, le))
        doc.sentences.extend(sents)
    # sentences inside furniture, decided once (most articles have no furniture at all)
    hidden = furniture.covered_sentences(doc.furniture, doc.sentences) if doc.furniture else set()

    def masked(s: int, e: int) -> bool:
        return (s, e) in hidden

    clock.lap("segment")
    figs = []
    number_words = number_word_starts(doc.folded, doc.odd_starts)
    digits = doc.digit_runs
    digit_starts, digit_ends = digits
    for idx, (s, e) in enumerate(doc.sentences):
        if (s, e) in hidden:
            continue
        # cheap gate: most sentences hold no number at all (a digit: the first run that
        # ends after s starts before e)
        k = bisect_right(digit_ends, s)
        if not (k < len(digit_starts) and digit_starts[k] < e or _has_number_word(doc.folded, s, e, number_words)):
            continue
        figs.extend(scan_sentence(doc.text, doc.folded, s, e, idx, number_words, digits))
    doc.figures = figs
    clock.lap("find")
    anaphors = units.annotate(doc, t_end)
    clock.lap("units")
    if nlp:
        from . import nlp as nlp_
        nlp_.find_bodies(doc, anaphors, t_end)
        clock.lap("nlp")
    meaning.annotate(doc)
    clock.lap("meaning")
    if nlp:
        nlp_.refine_figures(doc)  # before subjects and roles, which read the entity
        clock.lap("nlp")
    attribute.assign_periods(doc, masked, t_end)
    subjects.assign_subjects(doc, anaphors, t_end)
    roles.annotate(doc, t_end)
    incident_place.annotate(doc, t_end)  # (reads the roles)
    # one string per sentence, shared by its figures: a worker's rows pickle it once per
    # batch, and the main process reads and stores it once (a third of the figures repeat the one before)
    sentence_text: dict[int, str] = {}
    for fig in doc.figures:
        text = sentence_text.get(fig.sent_idx)
        if text is None:
            s, e = doc.sentences[fig.sent_idx]
            text = sentence_text[fig.sent_idx] = doc.text[s:e]
        fig.sentence = text
    clock.lap("attribute")
    return doc


class _Clock:
    """Per-stage stopwatch; does nothing when no timings dict is given."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.t = time.perf_counter() if timings is not None else 0.0

    def lap(self, stage: str) -> None:
        if self.timings is None:
            return
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.t
        self.t = now


def figure_id(article_id: str, fig) -> str:
    key = f"{article_id}\x1f{fig.start}\x1f{fig.end}\x1f{fig.kind}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

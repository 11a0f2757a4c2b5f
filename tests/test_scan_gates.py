"""The cheap checks in front of some scans let through every place the scan can match.

Each gate is a necessary condition of its pattern: where it says no, the pattern finds
nothing (what the figures, number words and named persons read is the same either way).
"""
import itertools
import re

import pytest

from pipeline import extract, figures
from pipeline.doc import Article, Doc
from pipeline.role_context import _PERSON_NAME, _count_names
from pipeline.vocab import vocab
from pipeline.wordscan import literal_starts, odd_starts, word_starts

TEXTS = [
    "Huyện có hai mươi lăm đảng viên, ba chi bộ; (năm 2019) mười người.",
    "thai bao năm\nhai\tba,bốn(năm)5sáu mườii Một HAI ông Nguyễn Văn An, bà Lê Thị Bé",
    "ông  Nguyễn Văn\u00a0An và (bà Trần Thị Cúc), Ông Hải, bàông Lê Văn Tư; ôngbà",
    "", "một", " hai ", "Bà Rịa – ông",
]
WS = [" ", "  ", "\n", "\u00a0", "\t", "", " \n "]


@pytest.mark.parametrize("text", TEXTS)
def test_number_word_starts_hold_every_search_hit(text):
    f = Doc.from_article(Article("t", "t", text)).folded
    starts = figures.number_word_starts(f)
    hits = [m.start() for m in figures._NUMBER_WORD_OPENS.finditer(f)
            if not (m.start() and f[m.start() - 1].isalpha())]
    assert set(hits) <= set(starts)
    for s, e in itertools.combinations(range(len(f) + 1), 2):
        assert extract._has_number_word(f, s, e, starts) == bool(
            extract._NUMBER_WORD.search(f, s, e)), (f, s, e)


@pytest.mark.parametrize("text", TEXTS)
def test_literal_starts_are_the_word_starts_of_the_words(text):
    f = Doc.from_article(Article("t", "t", text)).folded
    odd = odd_starts(f)
    assert literal_starts(("ông", "bà"), f, odd) == word_starts(re.compile("ông|bà"), f, odd)


@pytest.mark.parametrize("text", TEXTS)
def test_named_persons_counted_as_finditer_counts(text):
    doc = Doc.from_article(Article("t", "t", text))
    for enough in (-1, 1, 2, 100):
        n = 0
        for _ in _PERSON_NAME.finditer(doc.text):
            n += 1
            if n >= enough:
                break
        assert _count_names(doc, enough) == n


def _windows(words):
    for a, b, c in itertools.product(words, repeat=3):
        for w1, w2, w3 in itertools.product(WS[:4], repeat=3):
            yield f"{a}{w1}{b}{w2}{c}{w3}"


def test_cue_before_gate_passes_every_cue():
    v = vocab()
    words = sorted(v.not_before)[:12] + ["x", "1", "(", "nămm", "snăm"]
    for w in _windows(words):
        w = w[-30:]
        if v.not_before_re.search(w):
            assert w.rstrip().endswith(v.not_before_ends), w
    for cue in v.not_before:  # every cue, as a window's end
        assert ("abc " + cue + " ").rstrip().endswith(v.not_before_ends), cue


def test_change_gate_passes_every_change():
    words = ["tăng", "giảm", "thêm", "hơn", "gần", "khoảng", "trên", "được", "x", "ttăng"]
    for w in _windows(words):
        if figures._CHANGE_BEFORE.search(w):
            assert w.rstrip().endswith(figures._CHANGE_ENDS), w


def test_qualifier_gate_passes_every_qualifier():
    v = vocab()
    quals = sorted(v.qual_before)
    words = quals[:6] + quals[-4:] + ["có", "là", "được", "tỷ lệ", "x", "1"]
    for w in _windows(words):
        if v.qual_before_re.search(w):
            assert w.rstrip().endswith(v.qual_before_ends), w
    for q in quals:
        assert ("abc " + q + " ").rstrip().endswith(v.qual_before_ends), q


def _skip_texts(n=400, seed=11):
    import random
    rng = random.Random(seed)
    alphabet = "0123456789//..--::hh  \u00a0\nabx٣"
    for _ in range(n):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))


@pytest.mark.parametrize("text", ["26/01/2018, 30-6-2019, 25/1-2/2/2021, 11-13/10, 9/2023, 06:59, 10h30, 10h, "
                                  "2015 - 2020, 2020-21, 12 / 3 / 2019, 7 giờ, 123/4/2019"] + list(_skip_texts()))
def test_skip_is_tried_wherever_it_can_match(text):
    f = Doc.from_article(Article("t", "t", text)).folded
    for e in range(len(f) + 1):
        sc = figures.SentenceScanner(f, f, 0, e, 0)
        for i in range(e):
            if f[i].isdecimal() and figures._SKIP.match(f, i, e):
                assert sc._may_skip(i), (f, i, e)

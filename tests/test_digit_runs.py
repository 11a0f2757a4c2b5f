"""The digit runs read once per article (wordscan.digit_runs) answer what the digit
searches they replace found: the figure gate's next digit, the figure scan's next
numeral, the periods' four-digit run and dating's full dates."""
import itertools
import random
import re

import pytest

from pipeline import attribute, dating, figures
from pipeline.doc import Article, Doc
from pipeline.wordscan import digit_runs

TEXTS = [
    "Ngày 20/1/2016, huyện có 1.234 đảng viên; 12-3-2019 và 7 - 11 - 2018 (A3, F-16, 3/4).",
    "năm2019 12345 1/2/20199 01/01/1999/2000 9:30 0969.082.115 ٣/٤/٢٠١٩ 12/3/２０１９",
    "", "1", "a", "2018", "12/12/2012", " 1 ",
]


def _random_texts(n=300, seed=7):
    rng = random.Random(seed)
    alphabet = "0123456789//..--  ab:,(٣"
    for _ in range(n):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))


def _old_next_numeral(f, pos, end):
    """figures._next_numeral as it searched for digits."""
    while True:
        m = re.compile(r"\d").search(f, pos, end)
        if not m:
            return -1
        i = m.start()
        prev = f[i - 1] if i > 0 else " "
        if not (prev.isalpha() or prev.isdigit() or prev in ".,/:"
                or (prev == "-" and i > 1 and f[i - 2].isalpha())):
            return i
        pos = re.compile(r"\d+").match(f, i, end).end()


@pytest.mark.parametrize("text", TEXTS + list(_random_texts()))
def test_digit_runs_answer_the_searches(text):
    doc = Doc.from_article(Article("t", "t", text))
    f, runs = doc.folded, digit_runs(doc.folded)
    assert runs == doc.digit_runs
    for s, e in itertools.combinations(range(len(f) + 1), 2):
        assert figures._next_numeral(f, s, e, runs) == _old_next_numeral(f, s, e), (f, s, e)
        assert attribute._four_digits(runs, s, e) == bool(attribute._FOUR_DIGITS.search(f, s, e)), (f, s, e)
        assert attribute.sentence_gates(f[s:e], runs, s) == attribute.sentence_gates(f[s:e])
    assert [m.span() for m in dating._full_dates(doc)] == [m.span() for m in dating._FULL_DATE.finditer(f)]

"""wordscan: looking only where words start finds what the one-pass scans found."""
import pytest

from pipeline import units
from pipeline.role_context import cues
from pipeline.textnorm import fold
from pipeline.wordscan import Hits, odd_starts, word_matches

TEXTS = [
    "Huyện ủy huyện Lập Thạch kỷ luật vì vi phạm tại xã, toàn tỉnh có 5 vụ án.",
    "(Huyện) \"tỉnh\" 5tỉnh _huyện xhuyện\nhuyện\tnăm qua,trong năm;tổng số.",
    "huyện đầu văn bản; TP.Huế, Q.Sơn Trà, toàn Đảng bộ và tỉnh Hà Tĩnh",
    "xem xét, kỷ luật vì sai phạm tại; xem xét,\tkỷ luật vì",
    "", "t", "năm qua",
]


def _old_hits(rx, f):
    """The old loop's view: every match, overlapping ones too, not right after a letter."""
    out, m = [], rx.search(f)
    while m:
        s = m.start()
        if not (s and f[s - 1].isalpha()):
            out.append((s, m.end(), m.group()))
        m = rx.search(f, s + 1)
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_unit_hits_are_the_search_loops(text):
    rx, _ = units._scanner()
    f = fold(text)
    hits, got, m = Hits(rx, f, odd_starts(f)), [], None
    m = hits.next(0)
    while m:
        got.append(m)
        m = hits.next(m[0] + 1)
    assert got == _old_hits(rx, f)


@pytest.mark.parametrize("text", TEXTS)
def test_cue_matches_are_finditers(text):
    rx = cues().article_re
    f = fold(text)
    assert word_matches(rx, f, odd_starts(f)) == [(m.start(), m.end(), m.group()) for m in rx.finditer(f)]


def test_odd_starts():
    f = fold("A (b) 5c d_e\nf")
    assert odd_starts(f) == [0, 3, 7, 11, 13]

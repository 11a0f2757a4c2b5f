"""segment: the cheap test before the abbreviation regex never skips one it would find;
furniture: the sentences a span covers."""
import pytest

from pipeline import segment
from pipeline.segment import sentences
from pipeline.tables import rows


def test_abbreviation_precheck_skips_no_abbreviation():
    for cp in range(0x20, 0x2000):  # Latin, Greek, Cyrillic, Vietnamese, punctuation
        c = chr(cp)
        if segment._may_end_abbreviation(c):
            continue
        for head in (c + ".", "a" + c + ".", " " + c + ".", "T" + c + ".", "Th." + c + ".", "đ/" + c + ".", "P." + c + "."):
            assert not segment._NO_SPLIT_BEFORE.search(head), head


def test_abbreviations_still_hold_sentences_together():
    # (an initial, "A.", holds too: "Văn A. Ông B" is one sentence)
    text = "Theo TP. Hồ Chí Minh, ông Nguyễn Văn A. Ông B nói. Năm 2019. Đó là Th.S. Lê Cường. Hết rồi."
    got = [text[s:e] for s, e in segment.sentences(text, 0, len(text))]
    assert got == ["Theo TP. Hồ Chí Minh, ông Nguyễn Văn A. Ông B nói.", "Năm 2019.", "Đó là Th.S. Lê Cường.", "Hết rồi."]


def test_covered_sentences_are_the_covered_ones():
    from pipeline import furniture
    text = "Một câu. Hai câu! Ba câu?\nẢnh: Bốn câu. Năm câu.\nSáu câu. Bảy câu."
    sents = [p for s, e in segment.lines(text) for p in segment.sentences(text, s, e)]
    for spans in ([], [(0, 8, "x")], [(9, 40, "x"), (0, 3, "y")], [(26, len(text), "rest")], [(5, 30, "x")]):
        assert furniture.covered_sentences(spans, sents) == {p for p in sents if furniture.covered(spans, *p)}


def test_an_abbreviation_ends_neither_a_sentence_nor_a_clause():
    """One list (segment.ABBREVIATIONS) for both splitters: "TX. Sơn Tây" holds its
    sentence together, and inside a sentence "TP. HCM" or an ellipsis going on does not
    end a clause, where a "." before a lower-case word does."""
    text = "Thị ủy TX. Sơn Tây kỷ luật 5 đảng viên. Hết."
    got = [text[s:e] for s, e in segment.sentences(text, 0, len(text))]
    assert got == ["Thị ủy TX. Sơn Tây kỷ luật 5 đảng viên.", "Hết."]
    folded = "300 cán bộ tại tp. hcm bị kỷ luật; 1.500 công chức, viên chức... bị kỷ luật. sau đó"
    end = folded.index("luật. sau") + len("luật")
    assert segment.clause_marks(folded, 0, len(folded)) == [(folded.index(";"), folded.index(";") + 1), (end, end + 2)]


@pytest.mark.parametrize("opener,example", [r[:2] for r in rows("missing_stops")])
def test_missing_stop_examples(opener, example):
    """A capitalised sentence opener right after a lower-case word starts a sentence: the
    scrape lost the full stop (data/missing_stops.tsv)."""
    at = example.index(" " + opener) + 1
    starts = [a for a, _ in sentences(example, 0, len(example))]
    assert at in starts, (starts, at)


def test_missing_stop_needs_the_capital():
    """Lower case, the same words go on with their sentence ("đi qua kiểm điểm")."""
    text = "Các đồng chí đã đi qua kiểm điểm, có 6 tập thể vi phạm."
    assert sentences(text, 0, len(text)) == [(0, len(text))]


def test_missing_stop_not_inside_a_title():
    """After a capitalised word the opener belongs to a title or a name."""
    text = 'Chương trình ca nhạc "Mùa Thu Đi Qua Phố Cổ" thu hút 3.000 khán giả.'
    assert sentences(text, 0, len(text)) == [(0, len(text))]

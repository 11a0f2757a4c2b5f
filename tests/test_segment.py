"""segment: the cheap test before the abbreviation regex never skips one it would find."""
from pipeline import segment


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

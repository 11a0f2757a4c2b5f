"""tables.required_literals / GatedPattern: the literal gate never hides a match."""
import pytest
import regex

from pipeline.tables import GatedPattern, required_literals, rows
from pipeline.textnorm import fold


@pytest.mark.parametrize("pattern,example", [(r[0], r[4]) for r in rows("periods")])
def test_period_gate_keeps_the_example(pattern, example):
    rx = regex.compile(pattern.lstrip("^"))
    folded = fold(example)
    gated = GatedPattern(rx, regex.compile)
    plain = [(m.span(), m.groups()) for m in rx.finditer(folded, 0, len(folded))]
    assert plain, (pattern, example)
    assert [(m.span(), m.groups()) for m in gated.finditer(folded, 0, len(folded))] == plain


@pytest.mark.parametrize("pattern,needs", [
    ("ab?c", ((("a",), ("c",)),)),
    (r"ab\.cd|ef", ((("ab.cd",),), (("ef",),))),
    ("(?:ab|cd)?x", ((("x",),),)),
    ("(?:ab|(?:c|d)e)f", ((("ab", "e"), ("f",)),)),
    ("(?=abc)d", ((("d",),),)),
    ("x(?:a|)y", ((("x",), ("y",)),)),
    ("a(?i)bc", None),          # flags: no claim
    (r"a\x41c", None),          # escapes not read
    ("ab|c*", None),            # an alternative with nothing required
])
def test_required_literals(pattern, needs):
    assert required_literals(pattern) == needs


def test_narrowed_alternatives_match_the_same():
    rx = regex.compile(r"hiện\s+(?:nay|có)|(?:đến|tới)\s+nay")
    gated = GatedPattern(rx, regex.compile)
    for text in ["hiện có 5", "đến nay", "thực hiện đến nay, hiện nay", "không có gì"]:
        assert [m.span() for m in gated.finditer(text, 0, len(text))] == [m.span() for m in rx.finditer(text)]

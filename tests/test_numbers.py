import pytest
from conftest import table

from pipeline.numbers import NotANumber, parse_numeral, value_of


@pytest.mark.parametrize("text,value", table("numbers"))
def test_number_examples(text, value):
    assert value_of(text) == pytest.approx(float(value))


@pytest.mark.parametrize("bad", ["", "abc", "hai ba", "mươi", "1,2,3"])
def test_not_numbers(bad):
    with pytest.raises(NotANumber):
        value_of(bad)


def test_thousands_dot_is_never_decimal():
    assert parse_numeral("1.225") == 1225
    assert parse_numeral("12.407") == 12407

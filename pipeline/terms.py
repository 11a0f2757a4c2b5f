"""The years a period rule's bounds name (data/periods.tsv start/end: a group, "pub",
"pub-@N", "term", "congress:N", "next:N", …): national congresses and party terms.
Split from attribute.py, which applies the rules."""
from __future__ import annotations

from functools import lru_cache

import regex

from .doc import Doc
from .tables import rows


@lru_cache(maxsize=1)
def _congress_years() -> dict[str, int]:
    out = {}
    for number, roman, year in rows("national_congresses"):
        out[number] = out[roman.lower()] = int(year)
    return out


def congress_year(numeral: str) -> int | None:
    """The year the national Party congress numbered ``numeral`` ("XII", "12") opened its
    term (data/national_congresses.tsv)."""
    return _congress_years().get(numeral.strip().lower())


@lru_cache(maxsize=1)
def _years_words() -> dict[str, int]:
    """One-word numbers (data/number_words.tsv: the digits, and "mười")."""
    return {w: int(v) for w, v, role, *_ in rows("number_words") if role in ("digit", "ten")}


def span_years(n: str) -> int | None:
    """The number of years a word or digits gives ("5", "năm" -> 5), or None."""
    return int(n) if n.isdigit() else _years_words().get(n)


def back_years(spec: str, m) -> int | None:
    """How many years before the time of writing a bound "pub" or "pub-@N" lies (0, N);
    None for any other bound: with no publication date, the views count it back from the
    year the article was written (figures.period_back_*). ("pub-1", "năm qua", is left to
    the year the article reviews, as before: a year-end report's "năm qua" is its year.)"""
    if spec == "pub":
        return 0
    if spec.startswith("pub-@"):
        return span_years(m.group(int(spec[5:])))
    return None


def bound(spec: str, m, pub: int | None, doc: Doc | None = None) -> int | None:
    """One bound of a period rule's span for match ``m`` (publication year ``pub``)."""
    if "+" in spec:  # "congress:2+1": the year of group 2's congress plus group 1's years
        base, add = spec.rsplit("+", 1)
        y, n = bound(base, m, pub, doc), span_years(m.group(int(add)))
        return y + n if y is not None and n is not None else None
    if spec == "pub":
        return pub
    if spec == "pub-1":
        return pub - 1 if pub else None
    if spec.startswith("pub-@"):  # "trong 5 năm qua": the publication year minus group N's years
        n = span_years(m.group(int(spec[5:])))
        return pub - n if pub and n is not None else None
    if spec == "term":
        if pub:
            return pub - (pub % 5)
        return _latest_term(doc) if doc is not None else None
    if spec.startswith("congress:"):
        return congress_year(m.group(int(spec.split(":")[1])))
    if spec.startswith("next:"):  # "năm 2015 và 5 tháng đầu năm nay": the months are 2016's
        y = bound(spec[5:], m, pub, doc)
        return y + 1 if y is not None else None
    try:
        return int(m.group(int(spec)))
    except (ValueError, IndexError, TypeError):
        return None


# "từ đầu nhiệm kỳ đến nay" with no publication date: the term is the latest one the
# article names ("nhiệm kỳ 2015-2020", "Đại hội XII", "khóa XII"); none -> unknown.
_TERM_NAMED = regex.compile(
    r"nhiệm\s+kỳ\s+(\d{4})\s*-\s*\d{4}|(?:đại\s+hội|khóa|khoá)\s+(?:đảng\s+)?(?:toàn\s+quốc\s+)?"
    r"(?:lần\s+thứ\s+)?([xvi]+)(?![\p{L}\d])")


def _latest_term(doc: Doc) -> int | None:
    return _latest_term_in(doc.folded)


@lru_cache(maxsize=4)
def _latest_term_in(folded: str) -> int | None:
    """(per article text, not per time phrase: each "từ đầu nhiệm kỳ" rescanned it all)"""
    years = []
    for m in _TERM_NAMED.finditer(folded):
        y = int(m.group(1)) if m.group(1) else congress_year(m.group(2))
        if y:
            years.append(y)
    return max(years) if years else None

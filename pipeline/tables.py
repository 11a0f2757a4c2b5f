"""Load the rule tables in ``pipeline/data``: tab-separated, ``#`` comments.

Every table is data the next person can extend without reading the engine; the
engine compiles them into regexes once per process.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .textnorm import fold_phrase


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of ``data/<name>.tsv`` as tuples of stripped fields."""
    text = resources.files("pipeline.data").joinpath(f"{name}.tsv").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(tuple(f.strip() for f in line.split("\t")))
    return tuple(out)


def phrase_alternation(phrases) -> str:
    """Regex alternation of folded phrases, longest first, escaped."""
    import regex

    uniq = sorted({fold_phrase(p) for p in phrases if p}, key=lambda s: (-len(s), s))
    return "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in uniq)

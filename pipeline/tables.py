"""Load the rule tables in ``pipeline/data``: tab-separated, ``#`` comments.

Every table is data the next person can extend without reading the engine; the
engine compiles them into regexes once per process.
"""
from __future__ import annotations

import re
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
    r"""Regex matching any of the folded phrases (the longest one where several match).

    Built as a character trie ("huyện(?:\s+ủy)?" rather than "huyện\s+ủy|huyện"):
    a flat alternation of hundreds of phrases makes the engine try every phrase at
    every position, the trie tries one branch per character; 2-4x faster on the
    big vocabularies.  A space in a phrase matches any run of white space.
    """
    trie: dict = {}
    for p in {fold_phrase(p) for p in phrases if p}:
        node = trie
        for ch in " ".join(p.split()):
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here
    return _trie_pattern(trie)


def word_alternation(phrases, not_before: str = r"[^\W_]") -> str:
    r"""``phrase_alternation`` that matches only where no ``not_before`` character comes
    just before the phrase (whole words: "(?<![^\W_])(?:…)" means the same).

    The check sits after each phrase's first character ("k(?<![^\W_].)(?:ỷ luật|…)"),
    not in front: a pattern that opens on a look-behind makes the engine run it at
    every position of the text, one that opens on a character is tried only where
    that character is (20-45% faster over whole articles).
    """
    trie: dict = {}
    for p in {fold_phrase(p) for p in phrases if p}:
        node = trie
        for ch in " ".join(p.split()):
            node = node.setdefault(ch, {})
        node[""] = {}
    branches = []
    for ch in sorted(k for k in trie if k):
        rest = _trie_pattern(trie[ch])
        branches.append(re.escape(ch) + rf"(?<!{not_before}.)" + rest)
    return "(?:" + "|".join(branches) + ")" if branches else "(?!)"


def _trie_pattern(node: dict) -> str:
    branches = []
    for ch in sorted(k for k in node if k):
        step = r"\s+" if ch == " " else re.escape(ch)
        branches.append(step + _trie_pattern(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # greedy "?": the longer phrase is tried first, the shorter one is the fallback
    return f"(?:{body})?" if "" in node else body


def required_literals(pattern: str) -> tuple[tuple[str, ...], ...] | None:
    r"""What any match of ``pattern`` must contain, read off its text: one tuple per
    top-level alternative, of the literal runs that alternative spells out outside any
    group, class, escape or quantifier ("hiện(?<!…)\s+(?:nay|có)|(?:đến|tới)\s+nay" ->
    (("hiện",), ("nay",))).  A text holding none of the tuples whole cannot match, so
    a caller may skip the regex; None when some alternative has no such run (or the
    pattern sets flags), which gates nothing.  Conservative: whatever is not a plain
    character at the top level only ends a run."""
    if re.search(r"\(\?[a-zA-Z]", pattern):
        return None  # inline flags ("(?i)") change what a letter matches: no claim
    found = _split_literals(pattern)
    return found[0] if found else None


def _split_literals(pattern: str) -> tuple[tuple, tuple[str, ...]] | None:
    """required_literals, and the text of each top-level alternative."""
    if re.search(r"\(\?[a-zA-Z]", pattern):
        return None  # inline flags ("(?i)") change what a letter matches: no claim
    try:
        return _required_literals(pattern)
    except (ValueError, IndexError):
        return None  # a pattern this reading does not follow: no claim


class GatedPattern:
    """A compiled pattern that first checks ``required_literals`` against the text it is
    to search, with str's ``in`` (C, far cheaper than the engine trying the pattern at
    every position): none of the alternatives possible, no search at all; some of them
    only, a pattern of those alternatives alone, which matches exactly where the whole
    does (an alternative that cannot match anywhere in the text never wins), and may
    open on a literal the engine searches for fast.  That narrower pattern is used only
    when the alternatives left out hold no capturing group, so group numbers stay."""

    def __init__(self, compiled, compile_):
        self.rx = compiled
        self.pattern = compiled.pattern
        found = _split_literals(compiled.pattern)
        self.needs, self.branches = found if found else (None, ())
        self._compile = compile_
        self._narrow: dict[tuple[int, ...], object] = {}

    def finditer(self, string: str, pos: int, endpos: int, region: str | None = None):
        """``compiled.finditer(string, pos, endpos)``; ``region``, if given, is
        string[pos:endpos] (the caller's slice, not made again)."""
        needs = self.needs
        if needs is None:
            return self.rx.finditer(string, pos, endpos)
        if region is None:
            region = string[pos:endpos]
        if len(needs) == 1:  # (most patterns: one alternative)
            for w in needs[0]:
                if w not in region:
                    return iter(())
            return self.rx.finditer(string, pos, endpos)
        alive = []
        for k, words in enumerate(needs):
            for w in words:
                if w not in region:
                    break
            else:
                alive.append(k)
        if not alive:
            return iter(())
        if len(alive) == len(needs):
            return self.rx.finditer(string, pos, endpos)
        return self._narrowed(tuple(alive)).finditer(string, pos, endpos)

    def _narrowed(self, alive: tuple[int, ...]):
        rx = self._narrow.get(alive)
        if rx is None:
            rx = self.rx
            dropped = [b for k, b in enumerate(self.branches) if k not in alive]
            try:
                if all(self._compile(b).groups == 0 for b in dropped):
                    rx = self._compile("|".join(self.branches[k] for k in alive))
            except Exception:  # an alternative that does not compile alone: keep the whole
                rx = self.rx
            self._narrow[alive] = rx
        return rx


def _required_literals(pattern: str) -> tuple[tuple[str, ...], ...] | None:
    branches: list[list[str]] = [[]]
    cuts: list[int] = []  # where the top-level "|" are
    runs = branches[0]
    run = ""
    i, n = 0, len(pattern)

    def skip_class(j: int) -> int:  # pattern[j] == "[": index after the closing "]"
        j += 1
        if j < n and pattern[j] == "^":
            j += 1
        if j < n and pattern[j] == "]":
            j += 1
        while j < n and pattern[j] != "]":
            j += 2 if pattern[j] == "\\" else 1
        return j + 1

    def skip_group(j: int) -> int:  # pattern[j] == "(": index after its ")"
        depth = 0
        while j < n:
            c = pattern[j]
            if c == "\\":
                j += 2
                continue
            if c == "[":
                j = skip_class(j)
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        raise ValueError(f"unbalanced group in {pattern!r}")

    def quantified(j: int) -> bool:
        return j < n and pattern[j] in "?*+{"

    while i < n:
        c = pattern[i]
        if c == "|":
            if run:
                runs.append(run)
            run = ""
            runs = []
            branches.append(runs)
            cuts.append(i)
            i += 1
            continue
        if c == "\\":
            e = pattern[i + 1]
            if e.isalnum() and e not in "sSdDwWbBpP":
                raise ValueError(f"escape \\{e}")  # \x41, \u1234, \1 …: not read here
            j = i + 2
            if e in "pP" and pattern[j:j + 1] == "{":
                j = pattern.index("}", j) + 1
            literal = False
        elif c == "[":
            j, literal = skip_class(i), False
        elif c == "(":
            j, literal = skip_group(i), False
        elif c in ".^$":
            j, literal = i + 1, False
        elif c in "?*+{":
            # a quantifier ends the run (its atom was already judged optional below)
            j = pattern.index("}", i) + 1 if c == "{" else i + 1
            literal = False
        else:
            j, literal = i + 1, True
        if literal and not quantified(j):
            run += c
        else:
            if run:
                runs.append(run)
            run = ""
        i = j
    if run:
        runs.append(run)
    out = tuple(tuple(r for r in b if len(r) >= 2) for b in branches)
    if any(not b for b in out):
        return None
    edges = [-1] + cuts + [n]
    return out, tuple(pattern[a + 1:b] for a, b in zip(edges, edges[1:]))

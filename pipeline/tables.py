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
    branches = _word_branches(phrases, not_before)
    return "(?:" + "|".join(branches) + ")" if branches else "(?!)"


def _word_branches(phrases, not_before: str) -> list[str]:
    """The top-level branches of ``word_alternation``, one per first character."""
    trie: dict = {}
    for p in {fold_phrase(p) for p in phrases if p}:
        node = trie
        for ch in " ".join(p.split()):
            node = node.setdefault(ch, {})
        node[""] = {}
    branches = []
    look, look2 = rf"(?<!{not_before}.)", rf"(?<!{not_before}..)"
    for ch in sorted(k for k in trie if k):
        # The check goes one character further where it can ("t(?:o(?<!…..)àn|r(?<!…..)ong)"):
        # most positions where a phrase's first letter stands fail on the second, and
        # the look-behind, dearer than a letter, is then never run (same matches: it
        # still reads the character before the first; ~15% faster scans).  Before a
        # space (\s+ has no fixed width) or for a one-letter phrase, after the first.
        node = trie[ch]
        subs = [re.escape(c2) + look2 + _trie_pattern(node[c2]) if c2 != " " else look + _trie_pattern({" ": node[c2]})
                for c2 in sorted(k for k in node if k)]
        if "" in node:
            subs.append(look)  # the phrase of one letter, tried last as before
        branches.append(re.escape(ch) + (subs[0] if len(subs) == 1 else "(?:" + "|".join(subs) + ")"))
    return branches


def word_or_mark(phrases, marks: str = "", after: str = r"(?![^\W_])") -> str:
    r"""Whole-word ``phrases`` (``word_alternation``, then ``after``) or any one of the
    characters ``marks`` ("(", punctuation), marks tried first.

    One flat alternation, each branch opening on its character, the word-end check
    ``after`` copied into every phrase branch ("[,;]|(?:ở|tại)(?!…)" is written
    ",|;|ở(?!…)|tại(?!…)": the same tries in the same order): the engine then knows the
    characters a match can open on and tries the pattern only where one stands; a
    bracket class or a group as an alternative hides them, and the pattern is run at
    every position (stop and opener cues: 25-45% faster scans).
    """
    branches = [re.escape(m) for m in marks] + [b + after for b in _word_branches(phrases, r"[^\W_]")]
    return "|".join(branches) if branches else "(?!)"


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


def required_literals(pattern: str):
    r"""What any match of ``pattern`` must contain, read off its text: per top-level
    alternative, a tuple of clauses, each a tuple of strings one of which the match
    holds ("hiện(?<!…)\s+(?:nay|có)|(?:đến|tới)\s+nay" -> ((("hiện",), ("nay", "có")),
    (("đến", "tới"), ("nay",))).  Clauses come from literal runs and from groups whose
    every alternative holds one; whatever is optional (a quantifier), looks around, or
    is not a plain character only ends a run.  A text that satisfies no alternative's
    clauses cannot match, so a caller may skip the regex.  None when some alternative
    yields no clause (or the pattern sets flags or uses escapes not read here): no claim."""
    found = _split_literals(pattern)
    return found[0] if found else None


def one_alternative(pattern: str) -> bool:
    """``pattern`` has no "|" at its top level ("^a(b|c)" yes, "^a|b" no): what it opens
    on (a "^") governs all of it.  False for a pattern this reading does not follow."""
    try:
        _branches, cuts, end = _alternatives(pattern, 0)
    except (ValueError, IndexError):
        return False
    return end == len(pattern) and not cuts


def _split_literals(pattern: str):
    """required_literals, and the text of each top-level alternative."""
    if re.search(r"\(\?[a-zA-Z]", pattern):
        return None  # inline flags ("(?i)") change what a letter matches: no claim
    try:
        branches, cuts, end = _alternatives(pattern, 0)
    except (ValueError, IndexError):
        return None  # a pattern this reading does not follow: no claim
    if end != len(pattern) or any(not b for b in branches):
        return None
    edges = [-1] + cuts + [len(pattern)]
    return tuple(tuple(b) for b in branches), tuple(pattern[a + 1:b] for a, b in zip(edges, edges[1:]))


def _skip_class(p: str, j: int) -> int:
    """p[j] == "[": the index after its closing "]"."""
    j += 1
    if p[j] == "^":
        j += 1
    if p[j] == "]":
        j += 1
    while p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    return j + 1


def _alternatives(p: str, i: int):
    """Read p from i up to an unmatched ")" or the end: (clauses of each alternative,
    the positions of this level's "|", where it stopped)."""
    branches: list[list[tuple[str, ...]]] = [[]]
    cuts: list[int] = []
    run = ""
    n = len(p)

    def close_run():
        nonlocal run
        if run:
            branches[-1].append((run,))
        run = ""

    while i < n:
        c = p[i]
        if c == ")":
            break
        if c == "|":
            close_run()
            branches.append([])
            cuts.append(i)
            i += 1
            continue
        clause = None
        literal = None
        if c == "\\":
            e = p[i + 1]
            if e.isalnum():
                if e not in "sSdDwWbBpP":
                    raise ValueError(f"escape \\{e}")  # \x41, \u1234, \1 …: not read here
                j = i + 2
                if e in "pP" and p[j:j + 1] == "{":
                    j = p.index("}", j) + 1
            else:
                literal, j = e, i + 2  # "\.", "\(": the character itself
        elif c == "[":
            j = _skip_class(p, i)
        elif c == "(":
            if p.startswith("(?:", i):
                inner, _, k = _alternatives(p, i + 3)
            elif not p.startswith("(?", i):
                inner, _, k = _alternatives(p, i + 1)  # a capturing group
            else:  # a look-around or any other construct: skipped whole, no claim
                inner, _, k = None, None, _skip_group(p, i) - 1
            if p[k] != ")":
                raise ValueError("unbalanced group")
            j = k + 1
            if inner and all(inner):
                # each alternative holds its narrowest clause: one of them all is held
                picks = [min(b, key=lambda cl: (len(cl), -min(map(len, cl)))) for b in inner]
                clause = tuple(sorted({w for cl in picks for w in cl}))
        elif c in ".^$":
            j = i + 1
        elif c in "?*+{":
            j = p.index("}", i) + 1 if c == "{" else i + 1
        else:
            literal, j = c, i + 1
        optional = j < n and p[j] in "?*+{"
        if literal is not None and not optional:
            run += literal
        else:
            close_run()
            if clause and not optional:
                branches[-1].append(clause)
        i = j
    close_run()
    return branches, cuts, i


def _skip_group(p: str, j: int) -> int:
    """p[j] == "(": the index after its ")"."""
    depth = 0
    while True:
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _skip_class(p, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1


def _holds(region: str, clauses) -> bool:
    for clause in clauses:
        for w in clause:
            if w in region:
                break
        else:
            return False
    return True


_NONE = ()  # (an empty iterable: no match)


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
        if len(needs) == 1:  # (most patterns: one alternative; the loops inline, a call
            for clause in needs[0]:  # per rule and sentence costs as much as the test)
                for w in clause:
                    if w in region:
                        break
                else:
                    return _NONE
            return self.rx.finditer(string, pos, endpos)
        alive = []
        for k, clauses in enumerate(needs):
            if _holds(region, clauses):
                alive.append(k)
        if not alive:
            return _NONE
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

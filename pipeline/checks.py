"""Consistency checks between the figures of one article, stored in the ``checks`` table.

Articles state the same facts twice ("27/63 TCCSĐ …, chiếm 42,85%") or a total and its
parts ("686 TCCSĐ (287 đảng bộ cơ sở và 399 chi bộ cơ sở)"). When the two disagree,
either the article or the extractor is wrong; a reviewer should look. Checks flag,
they never correct a figure.

Rules (tolerances in ``data/check_rules.tsv``, cue words in ``data/check_cues.tsv``,
which entities can be parts of which in ``data/part_whole.tsv``, rating tiers in
``data/rating_tiers.tsv``):

- part_whole / part_subset  a total and the parts listed after it
- ratio_percent             a ratio and the percent next to it
- rating_shares / rating_counts  one unit's rating distribution
- plan_percent              actual / target = stated attainment
- target_met                an actual against its target in the same sentence
- plausible                 a metric figure within the real-world bounds of its unit (bounds.py)

``refresh_checks(con)`` rebuilds the table in one pass over the figures, ordered by
article and offset; the text between neighbouring figures is cut from their sentences,
so article texts never leave DuckDB (about 4 s for the 226k figures of the bench).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import attrgetter

import duckdb
import pandas as pd

from .tables import rows

# The text between a figure and the next one; longer gaps do not link two figures.
MAX_GAP = 300
# After a cue, the first part must follow within this many characters.
CUE_REACH = 40
# A ratio and a percent, or an actual and its attainment percent, are "next to" each other.
NEAR = 60

# Only figures that share their sentence with another figure can meet a rule, plus the
# last figure before a sentence that opens with a cue ("… 40/170 chi bộ. Trong đó, …").
# The sentence string travels once per run of figures in it: the gaps between figures
# are cut from it in Python, because substr() on the article text counts characters from
# the start of the article for every figure (seconds on the 40k-article bench).
FIGURES_SQL = """
WITH x AS (
    SELECT article_id, figure_id, span_start, span_end, surface, kind, value, numerator, denominator,
           qualifier, entity, status, is_target, period_start, period_end, {part} AS period_part, sentence,
           lag(sentence) OVER w AS prev_sentence, lead(sentence) OVER w AS next_sentence,
           span_start - lag(span_end) OVER w AS prev_gap, lead(span_start) OVER w - span_end AS next_gap
    FROM figures
    WINDOW w AS (PARTITION BY article_id ORDER BY span_start, span_end)
)
SELECT article_id, figure_id, span_start, span_end, surface, kind, value, numerator, denominator,
       qualifier, entity, status, is_target, period_start, period_end, period_part,
       -- figures of one sentence are neighbours, so this marks the first of each run
       CASE WHEN sentence IS DISTINCT FROM prev_sentence THEN sentence END AS sentence
FROM x
WHERE sentence = prev_sentence OR sentence = next_sentence
   OR (next_gap <= {gap} AND regexp_matches(lower(left(next_sentence, 30)), '{opener}'))
   OR (prev_gap <= {gap} AND regexp_matches(lower(left(sentence, 30)), '{opener}'))
ORDER BY article_id, span_start, span_end
"""

COLUMNS = ["check_id", "article_id", "rule", "figure_ids", "expected", "found", "relation",
           "tolerance", "ok", "detail"]

SCHEMA = """
CREATE OR REPLACE TABLE checks (
    check_id VARCHAR PRIMARY KEY, article_id VARCHAR, rule VARCHAR, figure_ids VARCHAR[],
    expected DOUBLE, found DOUBLE, relation VARCHAR, tolerance DOUBLE, ok BOOLEAN, detail VARCHAR
)
"""


@dataclass(slots=True)
class Fig:
    article_id: str
    figure_id: str
    start: int
    end: int
    surface: str
    kind: str
    value: float | None
    numerator: float | None
    denominator: float | None
    qualifier: str | None
    entity: str | None
    status: str | None
    is_target: bool
    period_start: int | None = None
    period_end: int | None = None
    period_part: str | None = None  # "H1", "9M", …: a part of the year (attribute.py)
    sentence: int = 0  # a number per run of figures in one sentence
    gap: str = ""      # text up to the next figure: lower case, spaces collapsed
    far: bool = True   # no next figure within MAX_GAP characters (or its gap is unknown)
    head: str = ""     # when the next figure is in the next sentence: that sentence up to it

    @property
    def amount(self) -> float | None:
        """What a count-like figure counts (a ratio counts its numerator)."""
        return self.numerator if self.kind == "ratio" else self.value


# ---------------------------------------------------------------- data tables

@lru_cache(maxsize=None)
def tolerances() -> dict[str, tuple[float, float, float]]:
    return {r[0]: (float(r[1]), float(r[2]), float(r[3])) for r in rows("check_rules")}


@lru_cache(maxsize=None)
def cues(role_prefix: str) -> list[tuple[str, str]]:
    """(cue, role) pairs whose role starts with ``role_prefix``, longest cue first."""
    out = [(r[0].lower(), r[1]) for r in rows("check_cues") if r[1].startswith(role_prefix)]
    return sorted(out, key=lambda c: -len(c[0]))


@lru_cache(maxsize=None)
def part_rules() -> tuple[tuple[str, ...], ...]:
    return tuple(r[:4] for r in rows("part_whole"))


@lru_cache(maxsize=None)
def tiers() -> dict[str, int]:
    return {r[0]: int(r[1]) for r in rows("rating_tiers")}


def _status_matches(pattern: str, status: str | None, own: str | None) -> bool:
    if pattern == "*":
        return True
    if pattern == "=":
        return status == own
    return status == (None if pattern == "-" else pattern)


def can_be_part(total: Fig, part: Fig) -> bool:
    for te, ts, pe, ps in part_rules():
        if te not in ("*", total.entity) or not _status_matches(ts, total.status, total.status):
            continue
        if (part.entity == total.entity if pe == "=" else part.entity == pe) and \
                _status_matches(ps, part.status, total.status):
            return True
    return False


# ---------------------------------------------------------------- helpers

def decimals(surface: str) -> int:
    """Digits printed after the decimal comma of the last number: "42,85%" -> 2."""
    m = re.search(r"(\d+)(?:[,.](\d+))?\D*$", surface)
    if not m or not m.group(2) or len(m.group(2)) == 3 and "," not in surface:
        return 0  # "8.000" is a thousands separator, not decimals
    return len(m.group(2))


def tolerance(rule: str, expected: float, printed: str | None = None) -> float:
    abs_tol, rel_tol, digit_tol = tolerances()[rule]
    digit = digit_tol * 10 ** -decimals(printed) if printed and digit_tol else 0.0
    return max(abs_tol, rel_tol * abs(expected), digit)


def check_id(rule: str, figure_ids: list[str]) -> str:
    return hashlib.blake2b(f"{rule}|{','.join(sorted(figure_ids))}".encode(), digest_size=8).hexdigest()


def result(rule, figs, expected, found, relation, tol, detail) -> dict:
    if relation == "=":
        ok = abs(expected - found) <= tol
    elif relation == "≤":
        ok = found <= expected + tol
    else:  # "≥"
        ok = found >= expected - tol
    ids = [f.figure_id for f in figs]
    return {"check_id": check_id(rule, ids), "article_id": figs[0].article_id, "rule": rule,
            "figure_ids": ids, "expected": round(expected, 4), "found": round(found, 4),
            "relation": relation, "tolerance": tol, "ok": bool(ok), "detail": detail}


def _find_cue(gap: str, prefix: str) -> tuple[str, str, str, str] | None:
    """The last cue in ``gap`` with a role starting with ``prefix``:
    (cue, role, text before it, text after it)."""
    best = None
    for cue, role in cues(prefix):
        at = gap.rfind(cue)
        if at >= 0 and (best is None or at > best[0]):
            best = (at, cue, role)
    if best is None:
        return None
    at, cue, role = best
    return cue, role, gap[:at], gap[at + len(cue):]


def _has_word(text: str, role: str) -> bool:
    """Does ``text`` hold a cue of ``role`` as whole words?"""
    return any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", text) for c, _ in cues(role))


# Entities that say nothing about what two figures count: no pairing on them alone.
UNKNOWN = (None, "other")


def _same_period(a: Fig, b: Fig) -> bool:
    """Same years and part of the year, or one of them has none (a target without a year)."""
    return a.period_end is None or b.period_end is None or \
        (a.period_start, a.period_end, a.period_part) == (b.period_start, b.period_end, b.period_part)


def _exact(f: Fig) -> bool:
    return f.qualifier in (None, "exact")


# ---------------------------------------------------------------- rules

def part_whole(figs: list[Fig]) -> list[dict]:
    """A count, a cue ("(", "gồm", "trong đó") and the parts listed after it.

    The cue must sit right after the total's noun and right before the first part
    ("22 người thiệt mạng, trong đó có cả trẻ em, và 64 người bị thương" is no breakdown);
    parts stop at a closing bracket, at a "với" that moves on to another thing, or at a
    figure that cannot be a part (data/part_whole.tsv). "còn lại" after the parts means
    the list is not complete, so the parts only have to stay within the total.
    """
    out = []
    for i, total in enumerate(figs[:-1]):
        if total.kind not in ("count", "ratio") or total.is_target or total.far or not total.amount \
                or total.amount <= 1:
            continue
        hit = _find_cue(total.gap, "breakdown")
        if not hit:
            continue
        cue, role, before, after = hit
        rest = after.lstrip(" ,:-–")
        if len(rest) > CUE_REACH or any(ch in rest for ch in ",;()"):
            continue
        crosses = figs[i + 1].sentence != total.sentence
        if crosses:  # only "Trong đó, …" opening the next sentence reaches back
            if role != "breakdown_subset" or not re.match(r"[\W_]*" + re.escape(cue), total.head):
                continue
        elif len(before) > NEAR:
            continue
        paren = cue.startswith("(")
        parts, closed = [], False
        for p in figs[i + 1:]:
            if parts and p.sentence != parts[0].sentence:
                break
            if p.kind != "count" or p.is_target or p.value is None or not can_be_part(total, p):
                if paren:
                    parts = []  # something else inside the brackets: not a clean breakdown
                break
            parts.append(p)
            if ")" in p.gap:
                closed = True
                break
            if p.far or _has_word(p.gap, "parts_end"):
                break
        if paren and not closed and parts and parts[-1] is not figs[-1]:
            continue  # the bracket did not close after the parts
        subset = role == "breakdown_subset" or (parts and _has_word(parts[-1].gap, "remainder"))
        if len(parts) < (1 if subset else 2):
            continue
        found = sum(p.value for p in parts)
        rule = "part_subset" if subset else "part_whole"
        exact = _exact(total) and all(_exact(p) for p in parts)
        tol = tolerance(rule, total.amount) if not exact or subset else 0.0
        relation = "≤" if subset else "="
        listed = " + ".join(p.surface for p in parts)
        out.append(result(rule, [total, *parts], total.amount, found, relation, tol,
                          f"{total.surface} {'⊇' if subset else '='} {listed} (cue “{cue}”)"))
    return out


def ratio_percent(figs: list[Fig]) -> list[dict]:
    """A ratio and its percent: "27/63 TCCSĐ …, chiếm 42,85%", "42,85% (27/63)", "27/63 (42,85%)".

    Bracketed pairs are taken first, so in a run like "66% (51/77) … 62% (43/69)" a ratio
    is never compared with the percent of its neighbour. A loose pair (words between
    them, no bracket, no ";") must share entity and status, as the spec says it does.
    """
    pairs, used = [], set()
    neighbours = [(a, b) for a, b in zip(figs, figs[1:])
                  if {a.kind, b.kind} == {"ratio", "percent"} and a.sentence == b.sentence]
    for a, b in neighbours:
        if a.gap == "(":
            pairs.append((a, b))
            used.update((a.figure_id, b.figure_id))
    for a, b in neighbours:
        if a.figure_id in used or b.figure_id in used or len(a.gap) > NEAR:
            continue
        if any(ch in a.gap for ch in ";()") or (a.entity, a.status) != (b.entity, b.status) \
                or a.entity in UNKNOWN:
            continue
        pairs.append((a, b))
        used.update((a.figure_id, b.figure_id))
    out = []
    for a, b in pairs:
        ratio, pct = (a, b) if a.kind == "ratio" else (b, a)
        if pct.is_target or ratio.is_target or not ratio.denominator or pct.value is None:
            continue
        expected = 100.0 * ratio.numerator / ratio.denominator
        tol = tolerance("ratio_percent", expected, pct.surface)
        out.append(result("ratio_percent", [ratio, pct], expected, pct.value, "=", tol,
                          f"{ratio.surface} = {expected:.2f}% vs {pct.surface}"))
    return out


def rating_distribution(figs: list[Fig]) -> list[dict]:
    """Shares (or counts over one denominator) of the rating tiers given in one sentence.

    Grouped by sentence, not by entity: in "20% đảng viên hoàn thành xuất sắc, 70% hoàn
    thành tốt, …" the bare shares may get another entity, yet they are one distribution.
    Two distributions in one sentence show up as a tier given twice, which is skipped.
    """
    rank = tiers()
    groups: dict[tuple, list[Fig]] = {}
    for f in figs:
        if f.status in rank and not f.is_target and f.kind in ("percent", "ratio"):
            key = (f.kind, f.sentence, f.denominator if f.kind == "ratio" else None)
            groups.setdefault(key, []).append(f)
    out = []
    for key, members in groups.items():
        by_tier: dict[int, list[Fig]] = {}
        for f in members:
            by_tier.setdefault(rank[f.status], []).append(f)
        if len(by_tier) < 2:
            continue
        # the same tier twice (TSVM and "xuất sắc" side by side, or one share repeated):
        # which one belongs to the distribution is a guess, so no check
        if any(len({(f.status, f.value) for f in fs}) > 1 for fs in by_tier.values()):
            continue
        chosen = [fs[0] for _, fs in sorted(by_tier.items())]
        complete = max(by_tier) == max(rank.values())
        if key[0] == "percent":
            rule, expected, found = "rating_shares", 100.0, sum(f.value for f in chosen)
        else:
            rule, expected, found = "rating_counts", key[-1], sum(f.numerator for f in chosen)
        relation = "=" if complete else "≤"
        listed = " + ".join(f.surface for f in chosen)
        out.append(result(rule, chosen, expected, found, relation, tolerance(rule, expected),
                          f"{listed} = {found:g} {relation} {expected:g}"
                          + ("" if complete else " (lowest tier not given)")))
    return out


def plan_percent(figs: list[Fig]) -> list[dict]:
    """kết nạp 72 đảng viên đạt 107,46% kế hoạch (NQ … 67 đảng viên): 72 / 67 = 107,46%."""
    out = []
    for i, pct in enumerate(figs):
        if pct.kind != "percent" or pct.is_target or i == 0 or not pct.value:
            continue
        if not any(pct.gap.lstrip(" ,").startswith(c) for c, _ in cues("plan")):
            continue
        actual = figs[i - 1]
        if actual.kind != "count" or actual.is_target or actual.sentence != pct.sentence \
                or len(actual.gap) > NEAR or not actual.value or actual.entity in UNKNOWN:
            continue
        targets = [t for t in figs if t.is_target and t.kind == "count" and t.sentence == pct.sentence
                   and t.entity == actual.entity and t.status == actual.status and t.value]
        if not targets:
            continue
        target = min(targets, key=lambda t: abs(t.start - pct.start))
        expected = 100.0 * actual.value / target.value
        tol = tolerance("plan_percent", expected, pct.surface)
        out.append(result("plan_percent", [actual, pct, target], expected, pct.value, "=", tol,
                          f"{actual.surface} / {target.surface} = {expected:.2f}% vs {pct.surface}"))
    return out


def target_met(figs: list[Fig]) -> list[dict]:
    """Each target against the nearest actual of the same kind, entity and status in its sentence."""
    out = []
    for i, t in enumerate(figs):
        if not t.is_target or t.kind not in ("count", "percent") or t.value is None:
            continue
        if t.entity in UNKNOWN:
            continue  # "mục tiêu" of a missile, "tiêu chí" of a building: not a plan
        same = [a for a in figs if not a.is_target and a.sentence == t.sentence and a.kind == t.kind
                and a.entity == t.entity and a.status == t.status and a.value is not None
                and _same_period(a, t)]
        if not same:
            continue
        # an actual before the target ("100% … (NQ 90%)") wins over one after it
        before = [a for a in same if a.start < t.start]
        actual = before[-1] if before else same[0]
        at_most = t.qualifier in ("at_most", "less_than")
        relation = "≤" if at_most else "≥"
        res = result("target_met", [actual, t], t.value, actual.value, relation,
                     tolerance("target_met", t.value),
                     f"actual {actual.surface} vs target {t.surface}")
        res["detail"] += "" if res["ok"] else " (target missed)"
        out.append(res)
    return out


RULES = [part_whole, ratio_percent, rating_distribution, plan_percent, target_met]


def check_article(figs: list[Fig]) -> list[dict]:
    out = []
    for rule in RULES:
        out.extend(rule(figs))
    return out


def _opener_regex() -> str:
    """RE2 pattern: a sentence opening with a cue that may reach back into the last one."""
    words = [c for c, role in cues("breakdown_subset") if c[0].isalpha()]
    return r"^[\s\pP]*(" + "|".join(re.escape(w) for w in words) + ")" if words else "$^"


def _clean(gap: str) -> str:
    return " ".join(gap.lower().split())


def _place(figs: list[Fig], sentences: list[str | None]) -> None:
    """Give each figure its sentence run and its gap, cut from the sentence strings.

    A run starts where the query sent the sentence string; inside it a figure sits at
    its article offset minus the run's base. A figure that does not sit where its
    surface is (a sentence repeated verbatim next to itself) starts a new run.
    """
    run, base, text = 0, 0, ""
    where: list[tuple[str, int]] = []  # (sentence text, local start) per figure
    for f, sent in zip(figs, sentences):
        local = f.start - base
        if sent is not None or text[local:local + len(f.surface)] != f.surface:
            text = sent if sent is not None else text
            at = text.find(f.surface)
            run += 1
            base, local = f.start - max(at, 0), max(at, 0)
        f.sentence = run
        where.append((text, local))
    for i, f in enumerate(figs):
        text, local = where[i]
        tail_from = local + (f.end - f.start)
        if i + 1 < len(figs) and figs[i + 1].sentence == f.sentence:
            f.gap = _clean(text[tail_from:tail_from + figs[i + 1].start - f.end])
            f.far = figs[i + 1].start - f.end > MAX_GAP
        elif i + 1 < len(figs) and 0 <= figs[i + 1].start - f.end <= MAX_GAP:
            ntext, nlocal = where[i + 1]  # next sentence: our tail, then its head
            f.head = _clean(ntext[:nlocal])
            f.gap = _clean(text[tail_from:]) + " " + f.head
            f.far = False
        else:
            f.gap = _clean(text[tail_from:tail_from + MAX_GAP])  # rest of the sentence
            f.far = True


def _figures_by_article(con: duckdb.DuckDBPyConnection):
    """Yield each article's figures in text order, with sentences and gaps placed."""
    # (a database written before figures had period_part: none)
    part = "period_part" if "period_part" in {r[0] for r in con.execute("DESCRIBE figures").fetchall()} \
        else "NULL::VARCHAR"
    sql = FIGURES_SQL.format(gap=MAX_GAP, opener=_opener_regex().replace("'", "''"), part=part)
    # column-wise fetch (NULL -> None) is several times faster than row tuples
    cols = {k: v.tolist() for k, v in con.execute(sql).fetchnumpy().items()}
    fields = ["article_id", "figure_id", "span_start", "span_end", "surface", "kind", "value",
              "numerator", "denominator", "qualifier", "entity", "status", "is_target",
              "period_start", "period_end", "period_part"]
    figs = [Fig(*row) for row in zip(*(cols[c] for c in fields))]
    sentences = cols["sentence"]
    i = 0
    for _, group in groupby(figs, key=attrgetter("article_id")):
        group = list(group)
        _place(group, sentences[i:i + len(group)])
        i += len(group)
        yield group


def compute_checks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    out = []
    for figs in _figures_by_article(con):
        if len(figs) > 1:
            out.extend(check_article(figs))
    df = pd.DataFrame(out, columns=COLUMNS)
    # the same figures can meet the same rule twice (two cues): keep one row
    return df.drop_duplicates("check_id")


def refresh_checks(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild the ``checks`` table from all figures (and the `plausible` bounds of the
    metric figures, bounds.py); returns the number of checks."""
    from .bounds import plausible_checks

    df = compute_checks(con)
    bounds = pd.DataFrame(plausible_checks(con), columns=COLUMNS)
    df = pd.concat([df, bounds], ignore_index=True) if len(bounds) else df
    con.execute(SCHEMA)
    if len(df):
        con.register("_checks_df", df)
        con.execute(f"INSERT INTO checks SELECT {', '.join(COLUMNS)} FROM _checks_df")
        con.unregister("_checks_df")
    return len(df)

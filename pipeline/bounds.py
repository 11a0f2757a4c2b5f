"""Plausibility: real-world bounds of a unit's metric (data/plausible.tsv), and of a flow
against the unit's own stock told beside it (data/plausible_shares.tsv).

A district with 89 million party members, or a commune admitting 600 million, is a
misread sentence, not a fact. The bounds are facts about Việt Nam (see each row's
reason), not tuned to any output. views.py marks each metric figure `plausible` and keeps
the others out of `unit_metrics` (view `implausible_metrics` lists them); here they
also become rows of the `checks` table (rule `plausible`), which the review page shows.
"""
from __future__ import annotations

import hashlib

import duckdb
import pandas as pd

from .tables import rows

BOUND_COLUMNS = ["metric", "level", "min_value", "max_value", "per_year", "reason"]


def plausible_bounds() -> pd.DataFrame:
    """One row per (metric, level); level '*' bounds every level (shares)."""
    out, levels = [], {}
    known = {r[0] for r in rows("metrics")}
    for metric, level, lo, hi, per, why, *_ in rows("plausible"):
        if metric not in known:
            raise ValueError(f"plausible.tsv: unknown metric {metric!r} (not in metrics.tsv)")
        levels.setdefault(metric, set()).add(level)
        if "*" in levels[metric] and len(levels[metric]) > 1:
            raise ValueError(f"plausible.tsv: {metric} has both '*' and per-level rows")
        if float(lo) > float(hi):
            raise ValueError(f"plausible.tsv: {metric}/{level}: min {lo} > max {hi}")
        out.append([metric, level, float(lo), float(hi), per == "1", why])
    return pd.DataFrame(out, columns=BOUND_COLUMNS)


SHARE_COLUMNS = ["metric", "stock_metric", "max_share", "reason"]


def plausible_shares() -> pd.DataFrame:
    """data/plausible_shares.tsv: a flow's bound as a share of the unit's stock per year."""
    known = {r[0] for r in rows("metrics")}
    out = []
    for metric, stock, share, why, *_ in rows("plausible_shares"):
        for m in (metric, stock):
            if m not in known:
                raise ValueError(f"plausible_shares.tsv: unknown metric {m!r} (not in metrics.tsv)")
        if not 0 < float(share) <= 1:
            raise ValueError(f"plausible_shares.tsv: {metric}: share {share} not in (0, 1]")
        out.append([metric, stock, float(share), why])
    return pd.DataFrame(out, columns=SHARE_COLUMNS)


# one check per metric figure that has bounds: ok when within them
_CHECKS = """
SELECT m.article_id, m.figure_id, m.value, m.bound_min, m.bound_max, m.plausible,
       m.metric, m.subject_level, m.bound_reason
FROM figure_metrics_all m
WHERE m.bound_max IS NOT NULL AND m.value IS NOT NULL
ORDER BY m.article_id, m.figure_id, m.metric
"""


def plausible_checks(con: duckdb.DuckDBPyConnection) -> list[dict]:
    out, seen = [], set()
    for aid, fid, value, lo, hi, ok, metric, level, why in con.execute(_CHECKS).fetchall():
        cid = hashlib.blake2b(f"plausible|{fid}".encode(), digest_size=8).hexdigest()
        if cid in seen:  # one figure can measure two metrics: one check is enough
            continue
        seen.add(cid)
        low = value < lo
        out.append({"check_id": cid, "article_id": aid, "rule": "plausible", "figure_ids": [fid],
                    "expected": lo if low else hi, "found": value, "relation": "≥" if low else "≤",
                    "tolerance": 0.0, "ok": bool(ok),
                    "detail": f"{metric} of a {level}: {lo:,.0f}–{hi:,.0f} ({why})"})
    return out

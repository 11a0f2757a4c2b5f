"""Score a figures database against gold JSONL exactly as spec §5 says.

Match: same article, overlapping spans, numbers within 0.5% (value, or low/high for
a range); each gold figure matches at most one prediction.  Precision leaves out
predictions that match an optional gold figure; recall counts required gold only;
attribute accuracy is over matched required pairs.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb

from .textnorm import fold

ATTRS = ["kind", "qualifier", "entity", "status", "subject", "period", "is_target", "role"]
# a fact: a required gold figure found with every attribute an analyst queries by right
# (role too where the gold gives it); the share of them is the number an analyst feels
FACT_ATTRS = ["kind", "entity", "status", "subject", "period", "is_target", "role"]
# statuses spec v2 added: gold written before them says "other" (spec §3)
V2_STATUSES = frozenset(["reviewed", "exempted", "transferred", "trained", "commended",
                         "violated", "prosecuted"])


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    if a == b:
        return True
    return abs(a - b) <= 0.005 * max(abs(a), abs(b))


def numbers_agree(g: dict, p: dict) -> bool:
    if g.get("kind") == "range" or (g.get("value") is None and g.get("low") is not None):
        return _close(g.get("low"), p.get("low")) and _close(g.get("high"), p.get("high"))
    return _close(g.get("value"), p.get("value"))


def _subject_key(level, name):
    if level is None and name is None:
        return None
    return (level or "", fold(" ".join(str(name or "").split())))


def attr_equal(attr: str, g: dict, p: dict) -> bool:
    if attr == "subject":
        gs = g.get("subject") or {}
        return _subject_key(gs.get("level"), gs.get("name")) == _subject_key(p.get("subject_level"), p.get("subject_name"))
    if attr == "period":
        gp = g.get("period")
        pp = [p.get("period_start"), p.get("period_end")]
        if pp == [None, None]:
            pp = None
        return (list(gp) if gp else None) == pp
    if attr == "is_target":
        return bool(g.get("is_target")) == bool(p.get("is_target"))
    if attr == "status" and g.get("status") == "other" and p.get("status") in V2_STATUSES:
        return True
    return g.get(attr) == p.get(attr)


def scored(attr: str, g: dict) -> bool:
    """Role is scored only where the gold gives it (spec §4)."""
    return attr != "role" or g.get("role") is not None


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    required: int = 0
    matched_required: int = 0
    attr_right: dict = field(default_factory=lambda: {a: 0 for a in ATTRS})
    attr_scored: dict = field(default_factory=lambda: {a: 0 for a in ATTRS})
    facts: int = 0
    misses: list = field(default_factory=list)
    false_positives: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    articles_missing: list = field(default_factory=list)

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self):
        return self.matched_required / self.required if self.required else 0.0

    @property
    def f1(self):
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, attr):
        n = self.attr_scored[attr]
        return self.attr_right[attr] / n if n else float("nan")

    @property
    def fact_share(self):
        return self.facts / self.required if self.required else 0.0


def load_gold(paths) -> list[dict]:
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    out.append(json.loads(line))
    return out


def score(con: duckdb.DuckDBPyConnection, gold: list[dict]) -> Score:
    sc = Score()
    cols = [c[0] for c in con.execute("SELECT * FROM figures LIMIT 0").description]
    known = {r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()}
    for art in gold:
        aid = art["article"]
        if aid not in known:
            sc.articles_missing.append(aid)
        rows = con.execute("SELECT * FROM figures WHERE article_id = ? ORDER BY span_start", [aid]).fetchall()
        preds = [dict(zip(cols, r)) for r in rows]
        used = set()
        golds = sorted(art["figures"], key=lambda g: (g.get("optional", False), g["start"]))
        matched_opt = set()
        for g in golds:
            best, best_ov = None, 0
            for i, p in enumerate(preds):
                if i in used:
                    continue
                ov = min(g["end"], p["span_end"]) - max(g["start"], p["span_start"])
                if ov > 0 and numbers_agree(g, p) and ov > best_ov:
                    best, best_ov = i, ov
            if not g.get("optional"):
                sc.required += 1
            if best is None:
                if not g.get("optional"):
                    sc.misses.append((aid, g))
                continue
            used.add(best)
            p = preds[best]
            if g.get("optional"):
                matched_opt.add(best)
                continue
            sc.tp += 1
            sc.matched_required += 1
            all_right = True
            for a in ATTRS:
                if not scored(a, g):
                    continue
                sc.attr_scored[a] += 1
                if attr_equal(a, g, p):
                    sc.attr_right[a] += 1
                else:
                    sc.wrong.append((aid, a, g, p))
                    all_right = all_right and a not in FACT_ATTRS
            sc.facts += all_right
        for i, p in enumerate(preds):
            if i not in used:
                sc.fp += 1
                sc.false_positives.append((aid, p))
    return sc


def report(sc: Score, name: str, verbose: bool = True, wrong: bool = False) -> str:
    lines = [f"== {name}: P {sc.precision:.3f}  R {sc.recall:.3f}  F1 {sc.f1:.3f}"
             f"  (matched {sc.matched_required}/{sc.required} required, {sc.fp} false positives)"]
    lines.append("   " + "  ".join(f"{a} {sc.accuracy(a):.3f}" for a in ATTRS if sc.attr_scored[a])
                 + f"  facts {sc.fact_share:.3f} ({sc.facts}/{sc.required})")
    if sc.articles_missing:
        lines.append(f"   articles not in the database: {len(sc.articles_missing)} ({', '.join(sc.articles_missing[:5])})")
    if verbose:
        for aid, g in sc.misses:
            lines.append(f"   MISS {aid} {g['start']}:{g['end']} {g['surface']!r} {g.get('kind')} {g.get('entity')}")
        for aid, p in sc.false_positives:
            lines.append(f"   FP   {aid} {p['span_start']}:{p['span_end']} {p['surface']!r} {p['kind']} {p['entity']} [{p['rule']}]")
        for aid, a, g, p in (sc.wrong if wrong else []):
            gv = g.get("subject") if a == "subject" else g.get("period") if a == "period" else g.get(a)
            pv = (p["subject_level"], p["subject_name"]) if a == "subject" else \
                (p["period_start"], p["period_end"]) if a == "period" else p.get(a)
            lines.append(f"   WRONG {a:9s} {aid} {g['surface']!r}@{g['start']}: gold {gv} / got {pv}")
    return "\n".join(lines)

"""The extraction run: read inputs, process each article, write DuckDB, summarise."""
from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

from . import store
from .doc import Article
from .extract import figure_id, process
from .ingest import Failure, expand, read_jsonl, read_txt


def iter_inputs(paths, only_ids: set[str] | None = None):
    for path in expand(paths):
        if not path.exists():
            yield Failure(str(path), "no such file or folder")
            continue
        try:
            if path.name.endswith((".jsonl", ".jsonl.gz")):
                yield from read_jsonl(path, only_ids)
            elif only_ids is None or path.name in only_ids:
                yield read_txt(path)
        except Exception as exc:  # an unreadable file is a failure, not the end of the run
            yield Failure(str(path), f"{type(exc).__name__}: {exc}")


def rows_for(article: Article, doc) -> tuple[dict, list[dict]]:
    figs = []
    for f in doc.figures:
        figs.append({
            "figure_id": figure_id(article.article_id, f), "article_id": article.article_id,
            "span_start": f.start, "span_end": f.end, "surface": f.surface, "kind": f.kind,
            "value": f.value, "numerator": f.numerator, "denominator": f.denominator,
            "low": f.low, "high": f.high, "unit": f.unit, "qualifier": f.qualifier,
            "entity": f.entity, "status": f.status, "measure_text": f.measure_text,
            "subject_level": f.subject_level, "subject_name": f.subject_name,
            "period_start": f.period_start, "period_end": f.period_end,
            "is_target": bool(f.is_target), "sentence": f.sentence, "rule": f.rule,
        })
    art = {
        "article_id": article.article_id, "source": article.source, "url": article.url,
        "title": article.title, "published": article.published, "province": doc.province,
        "text": doc.text, "content_hash": article.content_hash,
        "main_unit_level": doc.main_unit.level if doc.main_unit else None,
        "main_unit_name": doc.main_unit.name if doc.main_unit else None,
        "n_figures": len(figs),
    }
    return art, figs


def extract(paths, db: str, quiet: bool = False, only_ids: set[str] | None = None,
            limit: int | None = None) -> dict:
    """Extract every article under ``paths`` into ``db``; ``limit`` stops after N articles."""
    t0 = time.time()
    con = store.connect(db)
    w = store.Writer(con)
    n_art = n_fig = n_fail = n_bytes = 0
    for item in iter_inputs(paths, only_ids):
        if isinstance(item, Failure):
            w.fail(item.source, item.reason, item.article_id)
            n_fail += 1
            continue
        try:
            doc = process(item)
        except Exception as exc:  # a rule that raised: record it, keep the run going
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            w.fail(item.source, f"{type(exc).__name__} in {Path(tb.filename).name}:{tb.lineno}: {exc}",
                   item.article_id)
            n_fail += 1
            continue
        art, figs = rows_for(item, doc)
        w.add(art, figs)
        n_art += 1
        n_fig += len(figs)
        n_bytes += len(item.text.encode("utf-8"))
        if limit and n_art >= limit:
            break
    w.flush()
    con.close()
    summary = {"articles": n_art, "figures": n_fig, "failures": n_fail, "bytes": n_bytes,
               "seconds": time.time() - t0, "db": db}
    if not quiet:
        print(f"extracted {n_art} articles, {n_fig} figures, {n_fail} failures "
              f"in {summary['seconds']:.1f}s -> {db}", file=sys.stderr)
    return summary

"""Throughput benchmark: ``python -m pipeline.bench PATH [--limit N]``.

Runs the full extraction (read, process, write) into a scratch database and prints
articles/s, MB/s of text, figures found and peak RSS.  A script, not a timed test:
speed goals are checked here.  (Per-stage timings and scaling slices: issue 5.)
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from .extract import process
from .run import iter_inputs, rows_for
from . import store


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.bench")
    ap.add_argument("path", nargs="?", default="../shared/bench/news.jsonl.gz")
    ap.add_argument("--limit", type=int, default=None, help="stop after N articles")
    args = ap.parse_args(argv)
    if not Path(args.path).exists():
        print(f"error: {args.path} not found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        con = store.connect(Path(tmp) / "bench.duckdb")
        w = store.Writer(con)
        t0 = time.time()
        n_art = n_fig = n_bytes = n_fail = 0
        for item in iter_inputs([args.path]):
            if not hasattr(item, "text"):
                n_fail += 1
                continue
            try:
                doc = process(item)
            except Exception as exc:  # counted as a failure, as in a real run
                print(f"failure {item.article_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
                n_fail += 1
                continue
            art, figs = rows_for(item, doc)
            w.add(art, figs)
            n_art += 1
            n_fig += len(figs)
            n_bytes += len(item.text.encode("utf-8"))
            if args.limit and n_art >= args.limit:
                break
        w.flush()
        dt = time.time() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles {n_art}  failures {n_fail}  figures {n_fig}")
    print(f"time {dt:.1f}s  {n_art / dt:.0f} articles/s  {n_bytes / dt / 1e6:.2f} MB/s of text (one process)")
    print(f"peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

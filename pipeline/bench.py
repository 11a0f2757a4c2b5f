"""Throughput benchmark: ``python -m pipeline.bench PATH [--limit N]``.

Runs the real extraction (run.extract: read, process, write) into a scratch database
and prints articles/s, MB/s of text, figures found and peak RSS.  A script, not a
timed test: speed goals are checked here.  (Per-stage timings and slices: issue 5.)
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

from .run import extract


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.bench")
    ap.add_argument("path", nargs="?", default="../shared/bench/news.jsonl.gz")
    ap.add_argument("--limit", type=int, default=None, help="stop after N articles")
    args = ap.parse_args(argv)
    if not Path(args.path).exists():
        print(f"error: {args.path} not found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        s = extract([args.path], str(Path(tmp) / "bench.duckdb"), quiet=True, limit=args.limit)
    dt = s["seconds"]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles {s['articles']}  failures {s['failures']}  figures {s['figures']}")
    print(f"time {dt:.1f}s  {s['articles'] / dt:.0f} articles/s  "
          f"{s['bytes'] / dt / 1e6:.2f} MB/s of text (one process)")
    print(f"peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput benchmark: ``python -m pipeline.bench [PATH] [--slices 10000,20000] [--workers N]``.

A script, not a timed test: the speed goals of issue 5 are checked here.  For each
slice (the first N articles) and then the whole input it runs the real extraction
(run.extract: read, extract in parallel, write, swap) in a fresh subprocess, so
every peak RSS is that run's own, and prints articles/s, MB/s of text (total and
per core), figures, peak memory and the per-article cost as the corpus grows.
For the whole input it then prints the time per stage and re-runs it unchanged
(the incremental path).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .run import default_workers, extract


def _one(path: str, db: str, limit: int | None, workers: int) -> dict:
    """One run in this process; prints its summary as JSON."""
    s = extract([path], db, quiet=True, limit=limit, workers=workers, hooks=())
    s["rss_main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    s["rss_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    t = time.perf_counter()
    again = extract([path], db, quiet=True, limit=limit, workers=workers, hooks=())
    s["rerun_seconds"] = time.perf_counter() - t
    s["rerun_changed"] = again["changed"]
    return s


def _spawn(path: str, limit: int | None, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pipeline.bench", path, "--one", "--db", str(Path(tmp) / "b.duckdb"),
               "--workers", str(workers)] + (["--limit", str(limit)] if limit else [])
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"bench run failed:\n{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.bench")
    ap.add_argument("path", nargs="?", default="../shared/bench/news.jsonl.gz")
    ap.add_argument("--slices", default="10000,20000",
                    help="comma-separated article counts to run before the whole input ('' for none)")
    ap.add_argument("--limit", type=int, default=None, help="treat the first N articles as the whole input")
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not Path(args.path).exists():
        print(f"error: {args.path} not found", file=sys.stderr)
        return 2
    if args.one:
        print(json.dumps(_one(args.path, args.db, args.limit, args.workers), default=str))
        return 0

    sizes = [int(x) for x in args.slices.split(",") if x.strip()]
    if args.limit:
        sizes = [n for n in sizes if n < args.limit]
    runs = [(n, _spawn(args.path, n, args.workers)) for n in sizes]
    runs.append(("all", _spawn(args.path, args.limit, args.workers)))

    w = args.workers
    print(f"input {args.path}; {w} worker processes\n")
    print(f"{'slice':>7} {'articles':>9} {'MB':>7} {'wall s':>7} {'art/s':>6} {'MB/s':>6} "
          f"{'MB/s/core':>9} {'ms/art':>7} {'figures':>8} {'RSS main':>9} {'RSS worker':>10}")
    base = None
    for name, s in runs:
        mb = s["bytes"] / 1e6
        per_art = s["seconds"] / max(1, s["articles"]) * 1000
        base = base or per_art
        print(f"{name:>7} {s['articles']:>9} {mb:>7.1f} {s['seconds']:>7.1f} "
              f"{s['articles'] / s['seconds']:>6.0f} {mb / s['seconds']:>6.2f} {mb / s['seconds'] / w:>9.2f} "
              f"{per_art:>7.2f} {s['figures']:>8} {s['rss_main_mb']:>7.0f}MB {s['rss_worker_mb']:>8.0f}MB")
    if len(runs) > 1:
        costs = [s["seconds"] / max(1, s["articles"]) for _, s in runs]
        spread = (max(costs) - min(costs)) / min(costs)
        print(f"\nper-article cost across slices varies by {spread:.0%} (linear scaling: within 15%)")
    full = runs[-1][1]
    print(f"failures {full['failures']}")
    print("\ntime per stage, whole input (read and write in the main process; the rest summed over workers):")
    total = sum(full["stage_seconds"].values())
    for k, v in sorted(full["stage_seconds"].items(), key=lambda kv: -kv[1]):
        print(f"  {k:<10} {v:7.1f}s  {v / total:5.1%}")
    print(f"\nno-change re-run of the whole input: {full['rerun_seconds']:.1f}s "
          f"({'database untouched' if not full['rerun_changed'] else 'CHANGED: incremental path broken'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

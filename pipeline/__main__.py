"""Command line: ``python -m pipeline extract PATH... --db FILE`` and ``eval GOLD... --db FILE``."""
from __future__ import annotations

import argparse
import json
import sys


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)

    ex = sub.add_parser("extract", help="extract figures from files/folders into DuckDB")
    ex.add_argument("paths", nargs="+", help=".txt, .jsonl, .jsonl.gz files or folders")
    ex.add_argument("--db", default="extracted/figures.duckdb")
    ex.add_argument("--quiet", action="store_true")
    ex.add_argument("--only-ids-from", metavar="GOLD", nargs="+",
                    help="only the articles named in these gold JSONL files")
    ex.add_argument("--workers", type=int, default=None,
                    help="worker processes (default: all cores); results are identical for any N")
    ex.add_argument("--prune", action="store_true",
                    help="remove articles of earlier runs that are no longer in the input")
    ex.add_argument("--strict", action="store_true",
                    help="exit with status 1 when any article failed (default: failures are recorded, exit 0)")
    ex.add_argument("--max-mb", type=float, default=50,
                    help="largest file, JSONL line or record accepted, in MB (default 50)")
    ex.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="local processes (default) or a Dask cluster")
    ex.add_argument("--scheduler", metavar="ADDRESS", default=None,
                    help="with --engine dask: a running scheduler (default: a local cluster)")
    ex.add_argument("--parquet-dir", metavar="DIR", default=None,
                    help="with --engine dask: keep the Parquet partitions here (on a filesystem every "
                         "worker shares when the cluster spans machines)")
    ex.add_argument("--nlp", action="store_true",
                    help="underthesea settles what the rules leave open: the counted noun of a figure "
                         "with no known entity, party bodies the gazetteer does not know (slower; "
                         "local engine only; see README, 'underthesea, measured')")

    ev = sub.add_parser("eval", help="score a database against gold JSONL (spec §5)")
    ev.add_argument("gold", nargs="+")
    ev.add_argument("--db", default="extracted/figures.duckdb")
    ev.add_argument("--brief", action="store_true", help="scores only, no misses / false positives")
    ev.add_argument("--wrong", action="store_true", help="also list matched figures with a wrong attribute")

    rv = sub.add_parser("review", help="static HTML review pages (index + one page per article)")
    rv.add_argument("--db", default="extracted/figures.duckdb")
    rv.add_argument("--out", default="extracted/review", help="folder for index.html and a/*.html")
    rv.add_argument("--limit", type=int, default=None, help="only the N articles with most failed checks")

    au = sub.add_parser("audit", help="a random sample of metric rows to judge: audit.html + audit.tsv")
    au.add_argument("--db", default="extracted/figures.duckdb")
    au.add_argument("--sample", type=int, default=60, help="rows to draw (default 60)")
    au.add_argument("--seed", type=int, default=0, help="the same seed draws the same rows")
    au.add_argument("--out", default="extracted/audit", help="folder for audit.html and audit.tsv")
    au.add_argument("--with-implausible", action="store_true",
                    help="draw from figure_metrics_all: the figures set aside as implausible too")
    au.add_argument("--score", metavar="TSV", default=None,
                    help="instead of drawing: the precision of a judged audit TSV")

    xp = sub.add_parser("export", help="figures joined with article metadata, as Parquet or CSV")
    xp.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    xp.add_argument("--db", default="extracted/figures.duckdb")
    xp.add_argument("--out", default=None, help="default extracted/figures.<format>")

    args = ap.parse_args(argv)
    if args.cmd == "extract":
        from .run import extract
        only = None
        if args.only_ids_from:
            only = set()
            for g in args.only_ids_from:
                with open(g, encoding="utf-8") as fh:
                    only.update(json.loads(l)["article"] for l in fh if l.strip())
        from .store import StoreError
        if args.nlp and args.engine == "dask":
            print("error: --nlp runs with the local engine only", file=sys.stderr)
            return 2
        try:
            if args.engine == "dask":
                from .dask_engine import extract_dask
                summary = extract_dask(args.paths, args.db, scheduler=args.scheduler, quiet=args.quiet,
                                       parquet_dir=args.parquet_dir,
                                       only_ids=only, workers=args.workers, prune=args.prune,
                                       max_bytes=int(args.max_mb * 1024 * 1024))
            else:
                summary = extract(args.paths, args.db, quiet=args.quiet, only_ids=only,
                                  workers=args.workers, prune=args.prune,
                                  max_bytes=int(args.max_mb * 1024 * 1024), nlp=args.nlp)
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except RuntimeError as exc:
            if type(exc).__name__ != "NLPUnavailable":  # not imported unless --nlp was given
                raise
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if args.strict and summary["failures"]:
            print(f"--strict: {summary['failures']} articles failed (see the failures table)", file=sys.stderr)
            return 1
        return 0
    if args.cmd == "eval":
        import os

        import duckdb

        from .evaluate import load_gold, report, score
        if not os.path.exists(args.db):
            print(f"error: no database at {args.db}; run `make extract` first", file=sys.stderr)
            return 2
        con = duckdb.connect(args.db, read_only=True)
        summary = []
        for g in args.gold:
            if not os.path.exists(g):
                print(f"(skipping {g}: not found)")
                continue
            sc = score(con, load_gold([g]))
            print(report(sc, g, verbose=not args.brief, wrong=args.wrong))
            summary.append(report(sc, g, verbose=False))
        if len(summary) > 1 or not args.brief:
            print("\n-- summary --")
            print("\n".join(summary))
        return 0
    if args.cmd == "audit":
        import os

        from . import audit
        if args.score:
            res = audit.summarise(args.score)
            if not res["judged"]:
                print(f"error: no row of {args.score} is judged right or wrong", file=sys.stderr)
                return 2
            print(f"audit: {res['right']}/{res['judged']} right ({100 * res['precision']:.1f}%)")
            for reason, k in res["reasons"][:10]:
                print(f"  {k:3d} wrong: {reason}")
            return 0
        if not os.path.exists(args.db):
            print(f"error: no database at {args.db}; run `make extract` first", file=sys.stderr)
            return 2
        if args.sample < 1:
            print("error: --sample must be at least 1", file=sys.stderr)
            return 2
        rows = audit.sample(args.db, args.sample, args.seed, args.with_implausible)
        done = audit.write(rows, args.out, args.db, args.seed)
        print(f"audit: {done['rows']} rows -> {done['html']} and {done['tsv']}", file=sys.stderr)
        return 0
    if args.cmd in ("review", "export"):
        import os
        if not os.path.exists(args.db):
            print(f"error: no database at {args.db}; run `make extract` first", file=sys.stderr)
            return 2
        if args.cmd == "review":
            from .review import build
            done = build(args.db, args.out, limit=args.limit)
            print(f"review: {done['articles']} articles, {done['figures']} figures, "
                  f"{done['failed checks']} failed checks -> {done['out']}", file=sys.stderr)
        else:
            from .export import export
            done = export(args.db, args.format, args.out)
            print(f"export: {done['rows']} figures -> {done['out']}", file=sys.stderr)
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())

"""The extraction run: read inputs, extract changed articles (in parallel), write DuckDB.

Incremental: an article whose text (content hash) and rules (``RULES_VERSION``) are
unchanged since the last run is not extracted again; its rows are carried over.  A
run where nothing changed leaves the database file untouched.  Every other run
writes a new file and swaps it in (see store.py), so it is atomic.
"""
from __future__ import annotations

import collections
import errno
import hashlib
import multiprocessing as mp
import operator
import os
import sys
import threading
import time
import traceback
from functools import lru_cache, partial
from pathlib import Path

import duckdb

from . import dating, store, units
from .doc import Article
from .extract import STAGES, figure_id, process
from .ingest import DEFAULT_MAX_BYTES, JSONL_SUFFIXES, Failure, expand, read_paths


@lru_cache(maxsize=1)
def rules_version() -> str:
    """A hash of the code and the rule tables: change a rule and every article is redone."""
    h = hashlib.sha1()
    root = Path(__file__).parent
    for p in sorted(list(root.glob("*.py")) + list((root / "data").glob("*"))):
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


# A figure row is a tuple in store.FIGURE_COLUMNS order: the bulk of what workers send
# back (226k rows on the bench), and a tuple pickles, loads and becomes a DataFrame a
# third faster than a dict.  Every column but the first two is a Figure field of the
# same name, or one renamed here.
_FIGURE_FIELD = {"span_start": "start", "span_end": "end"}
_figure_fields = operator.attrgetter(*(_FIGURE_FIELD.get(c, c) for c in store.FIGURE_COLUMNS[2:]))
assert store.FIGURE_COLUMNS[:2] == ["figure_id", "article_id"], store.FIGURE_COLUMNS


def figure_row(article_id: str, f) -> tuple:
    return (figure_id(article_id, f), article_id) + _figure_fields(f)


def version_of(nlp: bool = False) -> str:
    """The rules an article was extracted with: with --nlp, underthesea's answers are
    part of them (a database built one way is redone when run the other way)."""
    return rules_version() + ("+nlp" if nlp else "")


def rows_for(article: Article, doc, nlp: bool = False) -> tuple[dict, list[tuple], list[dict]]:
    """The article's row, its figure rows (tuples, see figure_row) and its unit-mention rows."""
    figs = [figure_row(article.article_id, f) for f in doc.figures]
    art = {
        "article_id": article.article_id, "source": article.source, "url": article.url,
        "title": article.title, "published": article.published, "province": doc.province,
        "text": doc.text, "content_hash": article.content_hash,
        "main_unit_level": doc.main_unit.level if doc.main_unit else None,
        "main_unit_name": doc.main_unit.name if doc.main_unit else None,
        "n_figures": len(figs), "rules_version": version_of(nlp),
        "extracted_at": None, "province_2025": units.province_2025(doc.province),
    }
    art["year"], art["year_source"] = dating.article_year(doc)
    art["written_year"] = dating.written_year(doc, art["year"], art["year_source"])
    return art, figs, units.unit_rows(article.article_id, doc)


def _work(article: Article, nlp: bool = False):
    """One article in a worker: rows, or the reason a rule raised."""
    timings: dict[str, float] = {}
    try:
        doc = process(article, timings, nlp=nlp)
    except Exception as exc:  # a rule that raised: record it, keep the run going
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        return article, None, f"{type(exc).__name__} in {Path(tb.filename).name}:{tb.lineno}: {exc}", timings
    return article, rows_for(article, doc, nlp), None, timings


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class _Timed:
    """Wraps the input iterator, adding up the time spent reading."""

    def __init__(self, it):
        self.it, self.seconds = it, 0.0

    def __iter__(self):
        return self

    def __next__(self):
        t = time.perf_counter()
        try:
            return next(self.it)
        finally:
            self.seconds += time.perf_counter() - t


IN_FLIGHT_PER_WORKER = 512


def _results(todo, workers: int, nlp: bool = False):
    """(article, rows, error, timings) for each article of ``todo``, in order.

    With several workers a bounded number of articles is in flight, so memory does
    not grow with the corpus however fast the input is read.
    """
    if workers <= 1:
        for a in todo:
            yield _work(a, nlp)
        return
    # enough in flight that the workers keep going while the main process writes a batch
    # (a flush of 2,000 articles takes ~0.7 s; with 64 per worker they sat idle through it)
    slots = threading.BoundedSemaphore(workers * IN_FLIGHT_PER_WORKER)

    def feed():
        for a in todo:
            slots.acquire()
            yield a

    process(Article("warm-up", "", "Huyện có 63 tổ chức cơ sở đảng."))  # load tables before forking
    in_flight: collections.deque = collections.deque()

    def feed_and_remember():
        for a in feed():
            in_flight.append(a)
            yield a

    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        work = partial(_work_lean, nlp=nlp) if nlp else _work_lean
        for _, rows, error, timings in pool.imap(work, feed_and_remember(), chunksize=32):
            slots.release()
            article = in_flight.popleft()  # imap keeps the order
            if rows is not None and rows[0]["text"] is None:
                rows[0]["text"] = article.text
            yield article, rows, error, timings


def _work_lean(article: Article, nlp: bool = False):
    """``_work`` for a pool worker: the article and its text, which the main process
    already holds, are not sent back (half the bytes a worker would return)."""
    _, rows, error, timings = _work(article, nlp)
    if rows is not None and rows[0]["text"] == article.text:
        rows[0]["text"] = None
    return None, rows, error, timings


def _progress(paths, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return tqdm(total=_count_inputs(paths), unit=" articles", file=sys.stderr, smoothing=0.1)


def _count_inputs(paths) -> int | None:
    """Number of records to read, for the progress bar's ETA (JSONL: a quick line count)."""
    import gzip
    n = 0
    for f in expand(paths):  # the files the reader will open, chosen the same way
        if not f.is_file():
            continue
        if f.name.endswith(JSONL_SUFFIXES):
            opener = gzip.open if f.name.endswith(".gz") else open
            try:
                with opener(f, "rb") as fh:
                    n += sum(1 for _ in fh)
            except (OSError, EOFError):
                pass
        else:
            n += 1
    return n or None


def _input_prefixes(paths) -> list[str]:
    return [str(Path(p)) for p in paths]


def extract(paths, db: str, quiet: bool = False, only_ids: set[str] | None = None,
            limit: int | None = None, workers: int | None = None, prune: bool = False,
            max_bytes: int = DEFAULT_MAX_BYTES, hooks=None, engine=None, nlp: bool = False) -> dict:
    """Extract every article under ``paths`` into ``db``; return a summary dict.

    ``limit`` stops after N articles; ``workers`` defaults to all cores; ``prune``
    removes articles (and failures) of earlier runs that this run's input no longer
    holds.  ``engine`` maps an iterator of articles to an iterator of
    ``_work`` results in the same order (default: a local process pool; see
    dask_engine.py for a cluster).  ``nlp``: underthesea settles what the rules leave
    open (nlp.py; the local pool only).  Raises ``store.StoreError`` only when the run
    itself cannot proceed.
    """
    if nlp and engine is not None:
        raise ValueError("nlp=True runs on the local process pool only, not with a custom engine")
    t0 = time.perf_counter()
    if nlp:
        from . import nlp as nlp_
        nlp_.warm()  # fails now, not in every article, when underthesea is missing; and its
        # models load once, here, shared by the workers forked later
    db_path = Path(db)
    workers = workers or default_workers()
    paths = [str(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    if hooks is None:
        hooks = _default_hooks()
    with store.locked(db_path):
        old = store.OldState(db_path)
        if engine is None:
            def engine(articles):
                return _results(articles, workers, nlp)
        try:
            summary = _run(paths, db_path, old, quiet, only_ids, limit, engine, prune, max_bytes, hooks,
                           version_of(nlp))
        except (OSError, duckdb.IOException) as exc:
            # a full disk, a quota, a read-only or failing device: the run cannot go on (the
            # half-built file is gone, the previous database untouched); one clear line,
            # exit 2, not a traceback. Other OSErrors are bugs and stay tracebacks.
            if isinstance(exc, OSError) and exc.errno not in _WRITE_ERRNOS:
                raise
            raise store.StoreError(f"cannot write {db_path} ({_one_line(exc)}); "
                                   "the previous database is unchanged") from exc
    summary["seconds"] = time.perf_counter() - t0
    summary["db"] = str(db)
    if not quiet:
        print(_describe(summary), file=sys.stderr)
    return summary


_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG}


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _default_hooks():
    from .checks import refresh_checks
    from .views import create_views
    return (create_views, refresh_checks)


def _run(paths, db_path, old, quiet, only_ids, limit, engine, prune, max_bytes, hooks, version) -> dict:
    n = {"articles": 0, "extracted": 0, "unchanged": 0, "duplicates": 0, "failures": 0,
         "figures_new": 0, "bytes": 0, "pruned": 0, "kept_not_in_input": 0}
    stage_s = {s: 0.0 for s in STAGES}
    seen: set[str] = set()
    by_hash: dict[str, str] = {}            # content hash -> the id it is stored under
    unchanged_sources: list[dict] = []
    unchanged_ids: set[str] = set()
    failures: list[tuple[str, str, str | None]] = []
    builder: store.Builder | None = None
    bar = _progress(paths, quiet)
    reader = _Timed(read_paths(paths, only_ids=only_ids, max_bytes=max_bytes))

    def builder_():
        nonlocal builder
        if builder is None:
            builder = store.Builder(db_path)
        return builder

    def todo():
        """Articles that need extracting; the rest is settled here, in the main process."""
        for item in reader:
            if bar is not None:
                bar.update(1)
            if isinstance(item, Failure):
                failures.append((item.source, item.reason, item.article_id))
                continue
            if limit and n["articles"] >= limit:
                return
            h = item.content_hash
            src_row = {"article_id": item.article_id, "source": item.source, "source_id": item.article_id}
            if item.article_id in seen:
                failures.append((item.source, f"duplicate id {item.article_id!r}: an article with this id "
                                 "was already read in this run; this one is skipped", item.article_id))
                continue
            if h in by_hash and by_hash[h] != item.article_id:
                # same text under another id or file: stored once, both sources listed
                src_row["article_id"] = by_hash[h]
                unchanged_sources.append(src_row)
                n["duplicates"] += 1
                continue
            seen.add(item.article_id)
            by_hash[h] = item.article_id
            n["articles"] += 1
            n["bytes"] += item.utf8_size  # (measured when it was hashed)
            if old.articles.get(item.article_id) == (h, version):
                n["unchanged"] += 1
                unchanged_ids.add(item.article_id)
                unchanged_sources.append(src_row)
                continue
            yield item

    try:
        for article, rows, error, timings in engine(todo()):
            for k, v in timings.items():
                stage_s[k] = stage_s.get(k, 0.0) + v
            if error:
                failures.append((article.source, error, article.article_id))
                continue
            t = time.perf_counter()
            art, figs, unit_rows = rows
            art["extracted_at"] = _now()
            builder_().add(art, figs, unit_rows, [{"article_id": article.article_id,
                                                   "source": article.source, "source_id": article.article_id}])
            stage_s["write"] = stage_s.get("write", 0.0) + time.perf_counter() - t
            n["extracted"] += 1
            n["figures_new"] += len(figs)
        if bar is not None:
            bar.close()
        n["failures"] = len(failures)

        not_in_input = set(old.articles) - seen
        n["pruned"] = len(not_in_input) if prune else 0
        n["kept_not_in_input"] = 0 if prune else len(not_in_input)
        prefixes = _input_prefixes(paths)

        def keep_failure(source: str) -> bool:
            # an old failure from a file this run read again is settled by this run
            return not prune and not any(source == p or source.startswith(p.rstrip("/") + "/")
                                         or source.startswith(p + ":") for p in prefixes)

        old_fail = {(s, r) for s, r in old.failures if not keep_failure(s)}
        new_fail = {(s, r) for s, r, _ in failures}
        if builder is None and not n["pruned"] and old_fail == new_fail and old.exists \
                and _same_sources(old, unchanged_sources):
            n["changed"] = False  # nothing to do: the database file is left as it was
            n["stage_seconds"] = {**stage_s, "read": reader.seconds}
            n["figures"] = _count_figures(db_path)
            return n

        t = time.perf_counter()
        b = builder_()
        b.add_sources(unchanged_sources)
        for source, reason, aid in failures:
            b.fail(source, reason, aid)
        keep = set(unchanged_ids)
        if not prune:
            keep |= not_in_input
        b.copy_from_old(old, keep, keep_failure)
        b.finish({"schema_version": store.SCHEMA_VERSION, "rules_version": version,
                  "finished_at": _now().isoformat()}, hooks)
        n["hook_errors"] = b.hook_errors
        n["failures"] += len(b.hook_errors)
        builder = None
        stage_s["write"] = stage_s.get("write", 0.0) + time.perf_counter() - t
    except BaseException:
        if builder is not None:
            builder.abandon()
        raise
    n["changed"] = True
    n["stage_seconds"] = {**stage_s, "read": reader.seconds}
    n["figures"] = _count_figures(db_path)
    return n


def _same_sources(old: store.OldState, rows: list[dict]) -> bool:
    """True when the old file already lists exactly these (article, source) pairs
    for the articles they name (a duplicate or a moved file changes them)."""
    if "article_sources" not in old.columns:
        return False
    import duckdb
    con = duckdb.connect(str(old.db), read_only=True)
    try:
        ids = sorted({r["article_id"] for r in rows})
        if not ids:
            return True
        have = set(con.execute("SELECT article_id, source, source_id FROM article_sources "
                               "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall())
    finally:
        con.close()
    return have == {(r["article_id"], r["source"], r["source_id"]) for r in rows}


def _count_figures(db_path: Path) -> int:
    import duckdb
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM figures").fetchone()[0]
    finally:
        con.close()


def _now():
    import datetime as dt
    return dt.datetime.now().replace(microsecond=0)


def _describe(s: dict) -> str:
    line = f"{s['articles']} articles ({s['extracted']} extracted, {s['unchanged']} unchanged"
    if s["duplicates"]:
        line += f", {s['duplicates']} duplicate texts stored once"
    line += f"), {s['failures']} failures, {s['figures']} figures in the database"
    if s["pruned"]:
        line += f", {s['pruned']} earlier articles pruned"
    if s["kept_not_in_input"]:
        line += f"; {s['kept_not_in_input']} earlier articles not in this input kept (--prune removes them)"
    if not s["changed"]:
        line += " [nothing changed: database untouched]"
    return f"extract: {line}; {s['seconds']:.1f}s -> {s['db']}"

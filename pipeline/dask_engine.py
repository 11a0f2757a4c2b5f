"""Extraction on a Dask cluster: ``extract_dask(paths, db, scheduler=ADDRESS)``.

The run itself (reading, incremental skipping, duplicates, failures, the atomic
swap of the database file) stays in ``run.extract``; this module only supplies its
``engine``: articles in, ``run._work`` results out, in the same order.

How a batch travels::

    main process                         worker (a Dask task)
    ------------                         --------------------
    read articles, group into batches -> run._work on each article
    (at most ``in_flight`` batches out)  write articles/part-NNNNN.parquet
                                         and   figures/part-NNNNN.parquet
                                      <- return small metadata: ids, errors,
                                         timings, the worker's rules version
    read the two partitions back, in batch order, and yield the rows

Rows go through Parquet (written and read with DuckDB, typed by ``store.TABLES``),
not back through the scheduler, so the scheduler only ever carries small
messages.  The round trip keeps every value as ``_work`` made it: None stays None
(never NaN), ints stay ints, dates stay ``datetime.date``, booleans stay bool.

The run directory is a temporary folder next to the database (deleted partition by
partition as they are read, and at the end), or ``parquet_dir`` to keep the
partitions.  With a scheduler on other machines, ``parquet_dir`` must be a folder
every worker and this process see at the same path (a shared filesystem), and the
workers must run the same ``pipeline`` code (checked: a worker whose rules version
differs from this process's stops the run).

Without ``scheduler`` (or ``client``) a ``LocalCluster`` is started on this machine:
``workers`` processes (default: all cores), one thread each, no dashboard, bound
to 127.0.0.1, closed at the end.  It is only started once the first article that
needs extracting arrives, so a run where nothing changed starts no cluster.
"""
from __future__ import annotations

import collections
import contextlib
import itertools
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

from . import store
from .ingest import DEFAULT_MAX_BYTES

BATCH_SIZE = 200                 # articles per task
BATCH_BYTES = 4 * 1024 * 1024    # ... and at most this much text per task
IN_FLIGHT_PER_THREAD = 2         # batches submitted ahead per worker thread


# ---------------------------------------------------------------- the typed tables

def _write_part(con, table: str, keys: list[tuple[str, str]], key_rows: list[tuple], rows: list[dict],
                path: Path) -> None:
    """Write ``rows`` (dicts keyed by the table's columns, or tuples in their order) with
    their ordering keys to ``path`` as Parquet, through a typed DuckDB table so every
    type is the store's."""
    cols = keys + store.column_types(table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE part ({', '.join(f'{c} {t}' for c, t in cols)})")
    if rows:
        values = [list(v) for v in zip(*key_rows, strict=True)] if keys else []
        if isinstance(rows[0], tuple):
            values += [list(col) for col in zip(*rows, strict=True)]
        else:
            values += [[r.get(c) for r in rows] for c, _ in store.column_types(table)]
        # one column per parameter: a list per column, zipped back by unnest
        select = ", ".join(f"unnest(?::{t}[])" for _, t in cols)
        con.execute(f"INSERT INTO part SELECT {select}", values)
    order = ", ".join(c for c, _ in keys)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    con.execute(f"COPY (SELECT * FROM part ORDER BY {order}) TO '{_sql_str(tmp)}' (FORMAT parquet)")
    os.replace(tmp, path)  # a retried task never leaves half a file under the final name


def _read_part(con, path: Path, keys: list[str], as_tuples: bool = False) -> list[tuple]:
    """(keys..., row) of a partition, in key order; a row is a dict, or with
    ``as_tuples`` a tuple in the table's column order."""
    cur = con.execute(f"SELECT * FROM read_parquet('{_sql_str(path)}') ORDER BY {', '.join(keys)}")
    names = [d[0] for d in cur.description]
    k = len(keys)
    if as_tuples:
        return [tuple(t[:k]) + (tuple(t[k:]),) for t in cur.fetchall()]
    return [tuple(t[:k]) + (dict(zip(names[k:], t[k:], strict=True)),) for t in cur.fetchall()]


def _sql_str(p) -> str:
    return str(p).replace("'", "''")


CHILD_TABLES = ("figures", "units")  # rows per article, besides its own row
TUPLE_TABLES = ("figures",)          # whose rows run._work gives as tuples (run.figure_row)


def part_paths(run_dir: Path, part: int) -> dict[str, Path]:
    name = f"part-{part:05d}.parquet"
    return {t: run_dir / t / name for t in ("articles",) + CHILD_TABLES}


# ---------------------------------------------------------------- on the worker

def extract_batch(articles: list, run_dir: str, part: int) -> dict:
    """A Dask task: ``run._work`` over ``articles``; rows to Parquet; small metadata back."""
    import duckdb

    from .run import _work, rules_version
    arts: list[dict] = []
    art_keys: list[tuple] = []
    child: dict[str, list[dict]] = {t: [] for t in CHILD_TABLES}
    child_keys: dict[str, list[tuple]] = {t: [] for t in CHILD_TABLES}
    ids, errors, timings = [], [], []
    for i, article in enumerate(articles):
        _, rows, error, t = _work(article)
        ids.append(article.article_id)
        errors.append(error)
        timings.append(t)
        if rows is None:
            continue
        art, *children = rows
        arts.append(art)
        art_keys.append((i,))
        for table, table_rows in zip(CHILD_TABLES, children, strict=True):
            for j, r in enumerate(table_rows):
                child[table].append(r)
                child_keys[table].append((i, j))
    paths = part_paths(Path(run_dir), part)
    con = duckdb.connect()
    try:
        _write_part(con, "articles", [("_i", "INTEGER")], art_keys, arts, paths["articles"])
        for table in CHILD_TABLES:
            _write_part(con, table, [("_i", "INTEGER"), ("_j", "INTEGER")], child_keys[table],
                        child[table], paths[table])
    finally:
        con.close()
    return {"part": part, "ids": ids, "errors": errors, "timings": timings,
            "rules_version": rules_version(), "host": os.uname().nodename, "pid": os.getpid()}


def _worker_rules_version() -> str:
    from .run import rules_version
    return rules_version()


def _check_versions(found: dict, version: str) -> None:
    """Workers must run the rules this process checks content hashes against, or the
    rows would be stored under a rules version that did not make them."""
    other = {w: v for w, v in found.items() if v != version}
    if other:
        w, v = next(iter(other.items()))
        raise RuntimeError(f"worker {w} runs pipeline rules {v}, this process {version} (the pipeline code "
                           "or its data tables differ, or changed during the run): run the same pipeline "
                           "code on every worker")


# ---------------------------------------------------------------- in the main process

class DaskEngine:
    """``engine(articles)`` for ``run.extract``: ordered ``_work`` results from a cluster.

    ``close()`` stops what this engine started (cluster, client, temp folder); the
    generator also does so when it ends.
    """

    def __init__(self, run_dir: str | Path, keep: bool = False, client=None, scheduler: str | None = None,
                 workers: int | None = None, batch_size: int = BATCH_SIZE, batch_bytes: int = BATCH_BYTES,
                 in_flight: int | None = None, quiet: bool = False):
        self.run_dir, self.keep = Path(run_dir), keep
        self.client, self.scheduler, self.workers = client, scheduler, workers
        self.batch_size, self.batch_bytes = max(1, batch_size), batch_bytes
        self.in_flight, self.quiet = in_flight, quiet
        self._own_client = self._cluster = None
        self._futures: collections.deque = collections.deque()
        self.stats = {"batches": 0, "workers": 0, "address": None}

    # -- cluster
    def _connect(self):
        if self.client is not None:
            return self.client
        from distributed import Client
        if self.scheduler:
            self._own_client = Client(self.scheduler, set_as_default=False)
        else:
            from distributed import LocalCluster

            from .run import default_workers
            self._cluster = LocalCluster(n_workers=self.workers or default_workers(), threads_per_worker=1,
                                         processes=True, host="127.0.0.1", dashboard_address=None,
                                         worker_dashboard_address=None, silence_logs=40)
            self._own_client = Client(self._cluster, set_as_default=False)
        self.client = self._own_client
        return self.client

    def _threads(self, client) -> int:
        try:
            info = client.scheduler_info(n_workers=-1)
        except TypeError:  # older distributed: no n_workers argument
            info = client.scheduler_info()
        return sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()) or 1

    def close(self) -> None:
        if self._futures and self.client is not None:
            with contextlib.suppress(Exception):  # best effort while closing
                self.client.cancel([f for f, _ in self._futures])
        self._futures.clear()
        if self._own_client is not None:
            self._own_client.close()
            self._own_client = None
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if not self.keep:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    # -- batches
    def _batches(self, articles):
        batch, size = [], 0
        for a in articles:
            batch.append(a)
            size += len(a.text or "")
            if len(batch) >= self.batch_size or size >= self.batch_bytes:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def __call__(self, articles):
        import duckdb

        from .run import rules_version
        version = rules_version()
        batches = self._batches(articles)
        first = next(batches, None)
        if first is None:  # nothing to extract: no cluster
            self.close()
            return
        try:
            client = self._connect()
            threads = self._threads(client)
            in_flight = self.in_flight or max(2, IN_FLIGHT_PER_THREAD * threads)
            self.stats.update(workers=threads, address=client.scheduler.address)
            _check_versions(client.run(_worker_rules_version), version)
            if not self.quiet:
                print(f"dask: {threads} worker threads at {client.scheduler.address}; "
                      f"batches of {self.batch_size}, {in_flight} in flight", file=sys.stderr)
            for sub in ("articles",) + CHILD_TABLES:
                d = self.run_dir / sub
                d.mkdir(parents=True, exist_ok=True)
                for stale in d.glob("part-*.parquet"):
                    stale.unlink()
            token = uuid.uuid4().hex[:8]
            parts = itertools.count()
            pending = itertools.chain([first], batches)

            def submit(batch):
                part = next(parts)
                fut = client.submit(extract_batch, batch, str(self.run_dir), part,
                                    key=f"partystats-batch-{token}-{part:05d}", pure=False)
                self._futures.append((fut, batch))

            con = duckdb.connect()
            try:
                for batch in itertools.islice(pending, in_flight):
                    submit(batch)
                while self._futures:
                    fut, batch = self._futures[0]
                    meta = fut.result()
                    self._futures.popleft()
                    nxt = next(pending, None)
                    if nxt is not None:
                        submit(nxt)  # keep the workers busy while this batch is read back
                    del fut
                    _check_versions({f"{meta['host']}:{meta['pid']}": meta["rules_version"]}, version)
                    yield from self._read_back(con, meta, batch)
                    self.stats["batches"] += 1
            finally:
                con.close()
        finally:
            self.close()

    def _read_back(self, con, meta: dict, batch: list):
        if meta["ids"] != [a.article_id for a in batch]:
            raise RuntimeError(f"batch {meta['part']}: the worker returned other articles than were sent")
        paths = part_paths(self.run_dir, meta["part"])
        if not all(p.exists() for p in paths.values()):
            raise RuntimeError(f"batch {meta['part']}: the worker ({meta['host']}) wrote {self.run_dir}, "
                               "which this process cannot see; pass parquet_dir on a filesystem shared "
                               "by every worker and this machine")
        arts = {i: row for i, row in _read_part(con, paths["articles"], ["_i"])}
        child: dict[str, dict[int, list[dict]]] = {t: collections.defaultdict(list) for t in CHILD_TABLES}
        for table in CHILD_TABLES:
            for i, _j, row in _read_part(con, paths[table], ["_i", "_j"], as_tuples=table in TUPLE_TABLES):
                child[table][i].append(row)
        if not self.keep:
            for p in paths.values():
                p.unlink(missing_ok=True)
        for i, article in enumerate(batch):
            error, timings = meta["errors"][i], meta["timings"][i]
            if error is not None or i not in arts:
                yield article, None, error or "worker returned no rows", timings
            else:
                yield article, (arts[i], *(child[t].pop(i, []) for t in CHILD_TABLES)), None, timings


def extract_dask(paths, db: str, scheduler: str | None = None, quiet: bool = False,
                 only_ids: set[str] | None = None, workers: int | None = None, prune: bool = False,
                 max_bytes: int = DEFAULT_MAX_BYTES, limit: int | None = None, client=None,
                 parquet_dir: str | Path | None = None, batch_size: int = BATCH_SIZE,
                 in_flight: int | None = None, hooks=None) -> dict:
    """``run.extract`` with the articles extracted on a Dask cluster; same summary dict
    (plus ``engine``, ``dask_workers``, ``dask_batches``, and ``parquet_dir`` when kept).

    ``client``: an existing ``distributed.Client`` (left open); else ``scheduler``: the
    address of a running scheduler; else a ``LocalCluster`` of ``workers`` processes.
    ``parquet_dir``: keep the partitions there (default: a temporary folder next to
    ``db``, removed at the end).
    """
    from .run import extract
    db_path = Path(db)
    if parquet_dir is not None:
        run_dir, keep = Path(parquet_dir), True
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        run_dir, keep = Path(tempfile.mkdtemp(prefix=f".{db_path.name}.parquet-", dir=db_path.parent)), False
    engine = DaskEngine(run_dir, keep=keep, client=client, scheduler=scheduler, workers=workers,
                        batch_size=batch_size, in_flight=in_flight, quiet=quiet)
    try:
        summary = extract(paths, db, quiet=quiet, only_ids=only_ids, limit=limit, workers=workers,
                          prune=prune, max_bytes=max_bytes, hooks=hooks, engine=engine)
    finally:
        engine.close()
    summary.update(engine="dask", dask_workers=engine.stats["workers"], dask_batches=engine.stats["batches"])
    if keep:
        summary["parquet_dir"] = str(run_dir)
    return summary

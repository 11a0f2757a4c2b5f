"""The DuckDB database: tables, and how a run replaces it without ever half-writing it.

A run never edits the database in place.  It builds a new file next to it
(``.<name>.building``), copies in the rows it did not have to recompute from the old
file (attached read-only), and swaps the new file in with one ``os.replace``.  So:

* a run killed at any moment leaves the old database untouched (the next run
  deletes the half-built file and starts over);
* an analyst holding the old file open read-only keeps reading the old snapshot,
  and sees the new one on reconnecting; they never see half a run;
* two runs on the same database cannot interleave (a lock file, released by the OS
  even when a run is killed).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from pathlib import Path

import duckdb

SCHEMA_VERSION = "9"
MEMORY_LIMIT = "192MB"  # DuckDB's buffer pool while a run writes the new file
# The storage format the file is written in. duckdb 2.x writes its newest format by
# default, which DuckDB 1.x clients (the CLI on PyPI, R, DBeaver, older Python installs)
# refuse ("version number 69 ... can only read versions between 64 and 68"); v1.4.0
# files open in all of them. tests/test_sql_cli.py opens a fresh database with the CLI.
STORAGE_VERSION = "v1.4.0"

TABLES = {
    # No PRIMARY KEY constraints: DuckDB keeps their indexes in memory, which would make
    # a run's memory grow with the corpus.  Keys are unique by construction instead
    # (article ids are deduplicated by the run, figure ids hash article, span and kind)
    # and tests check it.
    "meta": """(key VARCHAR, value VARCHAR)""",
    "articles": """(
        article_id VARCHAR,
        source VARCHAR, url VARCHAR, title VARCHAR, published DATE,
        province VARCHAR, text VARCHAR, content_hash VARCHAR,
        main_unit_level VARCHAR, main_unit_name VARCHAR, n_figures INTEGER,
        rules_version VARCHAR, extracted_at TIMESTAMP, province_2025 VARCHAR,
        year INTEGER, year_source VARCHAR, written_year INTEGER)""",
    "figures": """(
        figure_id VARCHAR, article_id VARCHAR,
        span_start INTEGER, span_end INTEGER, surface VARCHAR, kind VARCHAR,
        value DOUBLE, numerator DOUBLE, denominator DOUBLE, low DOUBLE, high DOUBLE, unit VARCHAR,
        qualifier VARCHAR, entity VARCHAR, status VARCHAR, measure_text VARCHAR,
        subject_level VARCHAR, subject_name VARCHAR, period_start INTEGER, period_end INTEGER,
        is_target BOOLEAN, sentence VARCHAR, rule VARCHAR,
        subject_code VARCHAR, subject_province VARCHAR, role VARCHAR, actor VARCHAR,
        status_cue VARCHAR, period_part VARCHAR, period_back_start INTEGER, period_back_end INTEGER)""",
    # every administrative or party unit an article names, with codes old and new
    "units": """(
        article_id VARCHAR, span_start INTEGER, span_end INTEGER, surface VARCHAR,
        level VARCHAR, name VARCHAR, province VARCHAR, province_2025 VARCHAR,
        code VARCHAR, code_2025 VARCHAR, is_party BOOLEAN)""",
    # every place an article was read from: a text found under two ids or files is
    # extracted once (under the first id) and listed here under both
    "article_sources": """(article_id VARCHAR, source VARCHAR, source_id VARCHAR)""",
    "failures": """(source VARCHAR, article_id VARCHAR, reason VARCHAR, failed_at TIMESTAMP)""",
}


def column_types(table: str) -> list[tuple[str, str]]:
    """(column, SQL type) of ``TABLES[table]``, in table order."""
    out = []
    for part in TABLES[table].strip()[1:-1].split(","):
        words = part.split()
        if words:
            out.append((words[0], words[1]))
    return out


def columns(table: str) -> list[str]:
    return [c for c, _ in column_types(table)]


ARTICLE_COLUMNS = columns("articles")
UNIT_COLUMNS = columns("units")
FIGURE_COLUMNS = columns("figures")
SOURCE_COLUMNS = columns("article_sources")
FAILURE_COLUMNS = columns("failures")


class StoreError(RuntimeError):
    """The run itself cannot go on (locked, unreadable or unwritable database)."""


def building_path(db: Path) -> Path:
    return db.with_name(f".{db.name}.building")


@contextlib.contextmanager
def locked(db: Path):
    """Only one run writes a given database at a time."""
    lock = db.with_name(f".{db.name}.lock")
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        fh = open(lock, "w")
    except OSError as exc:
        raise StoreError(f"cannot write next to {db}: {exc}") from exc
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise StoreError(f"another extraction is writing {db} (lock {lock}); wait for it to finish")
    try:
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


class OldState:
    """What the current database holds, read once, read-only."""

    def __init__(self, db: Path):
        self.db = db
        self.exists = db.exists()
        self.articles: dict[str, tuple[str | None, str | None]] = {}  # id -> (content_hash, rules)
        self.failures: list[tuple] = []
        self.columns: dict[str, list[str]] = {}
        if not self.exists:
            return
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the existing database {db} read-only ({exc}); "
                             "if another program has it open for writing, close it; if it is "
                             "not a DuckDB file, move it away or pass another --db") from exc
        try:
            tables = {r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_type = 'BASE TABLE'").fetchall()}
            for t in TABLES:
                if t in tables:
                    self.columns[t] = [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()]
            acols = self.columns.get("articles", [])
            if "article_id" in acols:
                h = "content_hash" if "content_hash" in acols else "NULL"
                r = "rules_version" if "rules_version" in acols else "NULL"
                for aid, ch, rv in con.execute(f"SELECT article_id, {h}, {r} FROM articles").fetchall():
                    self.articles[aid] = (ch, rv)
            if "failures" in self.columns:
                self.failures = con.execute("SELECT source, reason FROM failures").fetchall()
        finally:
            con.close()


class Builder:
    """Writes the new database file; ``finish`` swaps it in."""

    def __init__(self, db: Path, batch: int = 2000):
        self.db, self.path, self.batch = db, building_path(db), batch
        for stale in (self.path, Path(f"{self.path}.wal")):
            stale.unlink(missing_ok=True)  # left by a killed run
        try:
            self.con = duckdb.connect(str(self.path),
                                      config={"storage_compatibility_version": STORAGE_VERSION})
        except duckdb.Error as exc:
            raise StoreError(f"cannot create {self.path}: {exc}") from exc
        # a bounded buffer pool: written pages are evicted to the file, so memory stays
        # flat however large the corpus (the bench: see `make bench`)
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        # one DuckDB thread while rows stream in: the worker processes own the cores, and
        # batch inserts cost a third more CPU spread over threads (finish() lifts it)
        self.con.execute("SET threads = 1")
        for name, body in TABLES.items():
            self.con.execute(f"CREATE TABLE {name} {body}")
        self.pending: dict[str, list[dict]] = {"articles": [], "figures": [], "units": [],
                                               "article_sources": [], "failures": []}
        self.ids: set[str] = set()
        self.hook_errors: list[str] = []

    def add(self, article_row: dict, figure_rows: list[tuple], unit_rows: list[dict],
            source_rows: list[dict]) -> None:
        """Rows are dicts keyed by column, except figure rows: tuples in FIGURE_COLUMNS order."""
        self.ids.add(article_row["article_id"])
        self.pending["articles"].append(article_row)
        self.pending["figures"].extend(figure_rows)
        self.pending["units"].extend(unit_rows)
        self.pending["article_sources"].extend(source_rows)
        if len(self.pending["articles"]) >= self.batch:
            self.flush()

    def add_sources(self, source_rows: list[dict]) -> None:
        self.pending["article_sources"].extend(source_rows)

    def fail(self, source: str, reason: str, article_id: str | None = None) -> None:
        self.pending["failures"].append({"source": source, "article_id": article_id,
                                         "reason": reason, "failed_at": dt.datetime.now()})

    def flush(self) -> None:
        for table, rows in self.pending.items():
            if not rows:
                continue
            import pandas as pd  # here, not at the top: a run's workers start 0.7 s sooner

            df = pd.DataFrame(rows, columns=columns(table))
            self.con.register("batch_rows", df)
            self.con.execute(f"INSERT INTO {table} SELECT * FROM batch_rows")
            self.con.unregister("batch_rows")
            rows.clear()

    def copy_from_old(self, old: OldState, keep_ids: set[str], keep_failure_sources) -> None:
        """Carry over, from the old file, the articles in ``keep_ids`` with their figures
        and sources, and the old failures ``keep_failure_sources(source)`` accepts."""
        self.flush()
        if not old.exists or not (keep_ids or old.failures):
            return
        con = self.con
        con.execute(f"ATTACH '{_sql_path(old.db)}' AS old (READ_ONLY)")
        try:
            # a typed temp table (an empty DataFrame column would be DOUBLE, not VARCHAR)
            con.execute("CREATE TEMP TABLE keep_ids (article_id VARCHAR)")
            con.execute("INSERT INTO keep_ids SELECT unnest(?::VARCHAR[])", [sorted(keep_ids - self.ids)])
            for table in ("articles", "figures", "units", "article_sources"):
                common = [c for c in columns(table) if c in old.columns.get(table, [])]
                if "article_id" not in common:
                    continue
                cols = ", ".join(common)
                con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM old.{table} "
                            "WHERE article_id IN (SELECT article_id FROM keep_ids)")
            con.execute("DROP TABLE keep_ids")
            kept = sorted({s for s, _ in old.failures if keep_failure_sources(s)})
            if kept and "failures" in old.columns:
                con.execute("INSERT INTO failures SELECT * FROM old.failures "
                            "WHERE source IN (SELECT unnest(?::VARCHAR[]))", [kept])
        finally:
            con.execute("DETACH old")

    def finish(self, meta: dict[str, str], hooks=()) -> None:
        """Write meta, run the hooks (views, checks) on the finished data, swap the file in."""
        self.flush()
        con = self.con
        con.execute("RESET threads")  # the extraction is done: views and checks may use every core
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        for hook in hooks:
            # views and checks are derived from the rows: a bug in one must not throw the
            # run's extraction away, so it is recorded as a failure of the run instead
            try:
                con.execute("BEGIN")
                hook(con)
                con.execute("COMMIT")
            except Exception as exc:  # noqa: BLE001
                con.execute("ROLLBACK")
                con.execute("INSERT INTO failures VALUES (?, NULL, ?, ?)",
                            [f"(post-processing: {getattr(hook, '__name__', hook)})",
                             f"{type(exc).__name__}: {exc}"[:2000], dt.datetime.now()])
                self.hook_errors.append(f"{getattr(hook, '__name__', hook)}: {type(exc).__name__}: {exc}")
        con.execute("CHECKPOINT")
        con.close()
        wal = Path(f"{self.path}.wal")
        if wal.exists():
            raise StoreError(f"{wal} still exists after checkpoint; not swapping a half-written file in")
        os.replace(self.path, self.db)  # atomic on POSIX: readers see the old or the new file
        _fsync_dir(self.db.parent)

    def abandon(self) -> None:
        with contextlib.suppress(Exception):
            self.con.close()
        for p in (self.path, Path(f"{self.path}.wal")):
            p.unlink(missing_ok=True)


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


def _fsync_dir(d: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

"""Every engine gives the same database: one process, a local pool, a Dask cluster."""
import datetime as dt
import math
import os

import distributed
import duckdb
import pytest
from conftest import BENCH, ROOT

from pipeline import dask_engine
from pipeline.dask_engine import extract_dask
from pipeline.doc import Article
from pipeline.run import _work, extract, rules_version

CORPUS = str(ROOT / "corpus")


@pytest.fixture(scope="module")
def client():
    """One LocalCluster (2 worker processes) for the whole module: startup costs seconds."""
    rules_version.cache_clear()  # workers hash the files now; so does this process
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, worker_dashboard_address=None,
                                       silence_logs=40)
    c = distributed.Client(cluster, set_as_default=False)
    yield c
    c.close()
    cluster.close()


def _norm(rows):
    """NaN compares unequal to itself; make it a marker distinct from None."""
    return [tuple("<NaN>" if isinstance(v, float) and math.isnan(v) else v for v in r) for r in rows]


def _tables(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "figures": _norm(con.execute("SELECT * FROM figures ORDER BY figure_id").fetchall()),
            "articles": _norm(con.execute(
                "SELECT * EXCLUDE (extracted_at) FROM articles ORDER BY article_id").fetchall()),
            "units": con.execute("SELECT * FROM units ORDER BY ALL").fetchall(),
            "article_sources": con.execute("SELECT * FROM article_sources ORDER BY ALL").fetchall(),
            "failures": con.execute("SELECT source, article_id, reason FROM failures ORDER BY ALL").fetchall(),
        }
    finally:
        con.close()


def _compare_engines(paths, tmp_path, client, **kw):
    dbs = {}
    for name, workers in (("one", 1), ("pool", 2)):
        dbs[name] = tmp_path / f"{name}.duckdb"
        s = extract(paths, str(dbs[name]), quiet=True, workers=workers, **kw)
        assert s["changed"]
    dbs["dask"] = tmp_path / "dask.duckdb"
    s = extract_dask(paths, str(dbs["dask"]), client=client, quiet=True, batch_size=64, **kw)
    assert s["changed"] and s["engine"] == "dask" and s["dask_batches"] >= 1
    tables = {name: _tables(db) for name, db in dbs.items()}
    assert tables["one"]["figures"], "no figures extracted"
    for name in ("pool", "dask"):
        for t in tables["one"]:
            assert tables[name][t] == tables["one"][t], f"{name}: {t} differs from the one-process run"
    # no temporary partitions left next to the database
    assert not [p for p in os.listdir(tmp_path) if ".parquet-" in p]
    return dbs, s


def test_engines_identical_on_corpus(tmp_path, client):
    _, s = _compare_engines([CORPUS], tmp_path, client)
    assert s["articles"] == 5 and s["extracted"] == 5


@pytest.mark.skipif(not BENCH.exists(), reason="../shared/bench not present")
def test_engines_identical_on_bench_slice(tmp_path, client):
    _, s = _compare_engines([str(BENCH)], tmp_path, client, limit=300)
    assert s["extracted"] == 300 and s["dask_batches"] >= 5


def test_dask_rerun_changes_nothing(tmp_path, client):
    db = tmp_path / "dask.duckdb"
    assert extract_dask([CORPUS], str(db), client=client, quiet=True)["changed"]
    before = (db.stat().st_mtime_ns, db.stat().st_ino)
    again = extract_dask([CORPUS], str(db), client=client, quiet=True)
    assert again["changed"] is False and again["extracted"] == 0 and again["unchanged"] == 5
    assert again["dask_batches"] == 0  # nothing was sent to the cluster
    assert (db.stat().st_mtime_ns, db.stat().st_ino) == before


def test_kept_partitions_hold_the_rows(tmp_path, client):
    db, parts = tmp_path / "dask.duckdb", tmp_path / "parts"
    s = extract_dask([CORPUS], str(db), client=client, quiet=True, parquet_dir=parts, batch_size=2)
    assert s["parquet_dir"] == str(parts) and s["dask_batches"] == 3
    con = duckdb.connect()
    n_parts = len(list((parts / "figures").glob("part-*.parquet")))
    got = con.execute(f"SELECT count(*) FROM read_parquet('{parts}/figures/part-*.parquet')").fetchone()[0]
    assert n_parts == 3 and got == s["figures"]


def test_parquet_round_trip_keeps_python_values(tmp_path):
    """None stays None (not NaN), ints stay ints, dates stay dates, bools stay bools."""
    fig = {c: None for c in dask_engine.store.FIGURE_COLUMNS}
    rows = [
        {**fig, "figure_id": "a", "article_id": "x", "span_start": 0, "span_end": 2, "value": 63.0,
         "numerator": None, "denominator": None, "period_start": None, "is_target": False, "surface": "63"},
        {**fig, "figure_id": "b", "article_id": "x", "span_start": 5, "span_end": 9, "value": 42.85,
         "numerator": 27.0, "denominator": 63.0, "period_start": 2024, "period_end": 2025, "is_target": True,
         "surface": "27/63 – Đảng ủy", "sentence": "Hòa\u00a0bình 👍"},
    ]
    art = {c: None for c in dask_engine.store.ARTICLE_COLUMNS}
    arts = [{**art, "article_id": "x", "published": dt.date(2024, 2, 29), "n_figures": 2, "text": "t"},
            {**art, "article_id": "y", "published": None, "n_figures": 0, "text": ""}]
    con = duckdb.connect()
    dask_engine._write_part(con, "figures", [("_i", "INTEGER"), ("_j", "INTEGER")], [(0, 0), (0, 1)], rows,
                            tmp_path / "f.parquet")
    dask_engine._write_part(con, "articles", [("_i", "INTEGER")], [(0,), (1,)], arts, tmp_path / "a.parquet")
    dask_engine._write_part(con, "figures", [("_i", "INTEGER"), ("_j", "INTEGER")], [], [], tmp_path / "e.parquet")
    back = [r for *_, r in dask_engine._read_part(con, tmp_path / "f.parquet", ["_i", "_j"])]
    assert back == rows
    assert [type(v) for v in back[1].values()] == [type(v) for v in rows[1].values()]
    # figure rows as run._work gives them: tuples in column order, both ways
    as_tuples = [tuple(r[c] for c in dask_engine.store.FIGURE_COLUMNS) for r in rows]
    dask_engine._write_part(con, "figures", [("_i", "INTEGER"), ("_j", "INTEGER")], [(0, 0), (0, 1)],
                            as_tuples, tmp_path / "t.parquet")
    back = [r for *_, r in dask_engine._read_part(con, tmp_path / "t.parquet", ["_i", "_j"], as_tuples=True)]
    assert back == as_tuples
    assert [type(v) for v in back[1]] == [type(v) for v in as_tuples[1]]
    assert [r for *_, r in dask_engine._read_part(con, tmp_path / "a.parquet", ["_i"])] == arts
    assert dask_engine._read_part(con, tmp_path / "e.parquet", ["_i", "_j"]) == []


def test_batch_results_equal_work(tmp_path):
    """A batch run in-process (as a worker would) reads back as exactly ``_work``'s results,
    in order, errors included."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))[:2]]
    batch = [Article(f"a{i}", f"src{i}", t, title=t.splitlines()[0], published=dt.date(2024, 1, i + 1))
             for i, t in enumerate(texts)]
    batch.insert(1, Article("bad", "src-bad", None))  # a rule raising on it is recorded, not fatal
    for sub in ("articles",) + dask_engine.CHILD_TABLES:
        (tmp_path / sub).mkdir()
    meta = dask_engine.extract_batch(batch, str(tmp_path), 0)
    engine = dask_engine.DaskEngine(tmp_path, keep=True)
    got = list(engine._read_back(duckdb.connect(), meta, batch))
    want = [_work(a) for a in batch]
    assert [g[0] for g in got] == batch
    assert got[1][1] is None and got[1][2] == want[1][2] and got[1][2]
    for g, w in zip(got, want, strict=True):
        assert g[1] == w[1] and g[2] == w[2]

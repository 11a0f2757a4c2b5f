"""`make sql`: the DuckDB command line an analyst has (duckdb-cli 1.5.x, a DuckDB 1.x
build) opens a freshly built database, tables and views, read-only."""
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


CLI = Path(sys.executable).with_name("duckdb")


@pytest.fixture(scope="module")
def db(corpus_db):
    return corpus_db


def _cli(db, sql):
    return subprocess.run([str(CLI), "-readonly", "-csv", str(db), "-c", sql],
                          capture_output=True, text=True, timeout=120)


def test_cli_is_a_duckdb_1x_client():
    out = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("v1."), out.stdout + out.stderr


def test_cli_reads_tables_and_views(db):
    out = _cli(db, "SELECT count(*) FROM figures; "
                   "SELECT count(*) FROM unit_metrics; SELECT count(*) FROM district_metrics; "
                   "SELECT count(*) FROM checks")
    assert out.returncode == 0, out.stderr
    counts = [int(x) for x in out.stdout.split() if x.isdigit()]
    assert len(counts) == 4 and counts[0] > 50 and counts[1] > 0 and counts[2] > 0, out.stdout


def test_make_sql_runs_a_query(db):
    out = subprocess.run(["make", "-s", "sql", f"DB={db}", "SQL=SELECT count(*) AS n FROM articles"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "5" in out.stdout


def test_make_sql_without_a_database_says_so(tmp_path):
    out = subprocess.run(["make", "-s", "sql", f"DB={tmp_path / 'none.duckdb'}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode != 0 and "make extract" in out.stderr

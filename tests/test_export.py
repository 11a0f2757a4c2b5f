"""python -m pipeline export: figures with article metadata, Parquet and CSV."""
import duckdb
import pytest

from pipeline.__main__ import main

ARTICLE_COLS = ["article_title", "article_url", "article_published", "article_province", "article_source"]


@pytest.fixture(scope="module")
def db(corpus_db):
    return corpus_db


def _n_figures(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM figures").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_every_figure_with_its_article(db, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--format", fmt, "--db", str(db), "--out", str(out)]) == 0
    reader = "read_parquet" if fmt == "parquet" else "read_csv_auto"
    rel = duckdb.sql(f"SELECT * FROM {reader}('{out}')")
    assert set(ARTICLE_COLS) <= set(rel.columns)
    assert {"figure_id", "surface", "value", "entity", "status", "subject_name"} <= set(rel.columns)
    assert len(rel.fetchall()) == _n_figures(db)
    row = duckdb.sql(f"""SELECT article_title, article_province, CAST(article_published AS VARCHAR), value
        FROM {reader}('{out}') WHERE article_id LIKE '001_%' AND surface = '686'""").fetchall()
    assert row == [("Những chuyển biến tích cực về công tác xây dựng Đảng", "Bến Tre", "2019-07-22", 686.0)]


def test_export_default_path(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--db", str(db)]) == 0
    assert (tmp_path / "extracted" / "figures.parquet").stat().st_size > 0


def test_export_without_database(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "make extract" in capsys.readouterr().err

"""DuckDB tables ``articles``, ``figures``, ``failures`` (spec §6 columns first).

A re-run replaces an article's rows instead of adding to them, so the same input
always gives the same rows; figure ids are a hash of article, span and kind.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY,
    source VARCHAR, url VARCHAR, title VARCHAR, published DATE,
    province VARCHAR, text VARCHAR, content_hash VARCHAR,
    main_unit_level VARCHAR, main_unit_name VARCHAR, n_figures INTEGER
);
CREATE TABLE IF NOT EXISTS figures (
    figure_id VARCHAR PRIMARY KEY, article_id VARCHAR,
    span_start INTEGER, span_end INTEGER, surface VARCHAR, kind VARCHAR,
    value DOUBLE, numerator DOUBLE, denominator DOUBLE, low DOUBLE, high DOUBLE, unit VARCHAR,
    qualifier VARCHAR, entity VARCHAR, status VARCHAR, measure_text VARCHAR,
    subject_level VARCHAR, subject_name VARCHAR, period_start INTEGER, period_end INTEGER,
    is_target BOOLEAN, sentence VARCHAR, rule VARCHAR
);
CREATE TABLE IF NOT EXISTS failures (
    source VARCHAR, article_id VARCHAR, reason VARCHAR, failed_at TIMESTAMP
);
"""

FIGURE_COLUMNS = ["figure_id", "article_id", "span_start", "span_end", "surface", "kind", "value",
                  "numerator", "denominator", "low", "high", "unit", "qualifier", "entity", "status",
                  "measure_text", "subject_level", "subject_name", "period_start", "period_end",
                  "is_target", "sentence", "rule"]
ARTICLE_COLUMNS = ["article_id", "source", "url", "title", "published", "province", "text",
                   "content_hash", "main_unit_level", "main_unit_name", "n_figures"]


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(SCHEMA)
    return con


class Writer:
    """Buffers rows and writes them in batches, one transaction per batch."""

    def __init__(self, con: duckdb.DuckDBPyConnection, batch: int = 2000):
        self.con, self.batch = con, batch
        # keyed by article id: an id seen twice in one run keeps its last version
        self.articles: dict[str, dict] = {}
        self.figures: dict[str, list[dict]] = {}
        self.failures: list[dict] = []

    def add(self, article_row: dict, figure_rows: list[dict]) -> None:
        self.articles[article_row["article_id"]] = article_row
        self.figures[article_row["article_id"]] = figure_rows
        if len(self.articles) >= self.batch:
            self.flush()

    def fail(self, source: str, reason: str, article_id: str | None = None) -> None:
        self.failures.append({"source": source, "article_id": article_id, "reason": reason,
                              "failed_at": dt.datetime.now()})

    def flush(self) -> None:
        con = self.con
        con.execute("BEGIN")
        try:
            if self.articles:
                adf = pd.DataFrame(list(self.articles.values()), columns=ARTICLE_COLUMNS)
                fdf = pd.DataFrame([r for rs in self.figures.values() for r in rs], columns=FIGURE_COLUMNS)
                con.register("new_articles", adf)
                con.register("new_figures", fdf)
                con.execute("DELETE FROM figures WHERE article_id IN (SELECT article_id FROM new_articles)")
                con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM new_articles)")
                con.execute("INSERT INTO articles SELECT * FROM new_articles")
                con.execute("INSERT INTO figures SELECT * FROM new_figures")
                con.unregister("new_articles")
                con.unregister("new_figures")
            if self.failures:
                fl = pd.DataFrame(self.failures, columns=["source", "article_id", "reason", "failed_at"])
                con.register("new_failures", fl)
                con.execute("DELETE FROM failures WHERE source IN (SELECT source FROM new_failures)")
                con.execute("INSERT INTO failures SELECT * FROM new_failures")
                con.unregister("new_failures")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        self.articles, self.figures, self.failures = {}, {}, []

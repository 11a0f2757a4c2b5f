"""``python -m pipeline export --format parquet|csv [--db FILE] [--out PATH]``.

Writes every figure with its article's metadata (title, url, published, province,
source) in one flat file, for tools that do not read DuckDB. DuckDB's COPY does the
writing (Parquet needs no pyarrow); the database is only read.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

FORMATS = {"parquet": "(FORMAT parquet, COMPRESSION zstd)", "csv": "(FORMAT csv, HEADER true)"}

# figures.* keeps any column added later; the article columns are named so a later
# article column cannot collide with a figure column.
QUERY = """
SELECT f.*,
       a.title AS article_title, a.url AS article_url, a.published AS article_published,
       a.province AS article_province, a.source AS article_source
FROM figures f JOIN articles a USING (article_id)
ORDER BY f.article_id, f.span_start, f.span_end
"""


def default_out(fmt: str) -> Path:
    return Path("extracted") / f"figures.{fmt}"


def export(db: str | Path, fmt: str = "parquet", out: str | Path | None = None) -> dict:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {sorted(FORMATS)}, not {fmt!r}")
    out = Path(out) if out else default_out(fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        target = str(out).replace("'", "''")
        con.execute(f"COPY ({QUERY}) TO '{target}' {FORMATS[fmt]}")
        (n,) = con.execute("SELECT count(*) FROM figures").fetchone()
    finally:
        con.close()
    return {"rows": n, "out": str(out), "format": fmt}

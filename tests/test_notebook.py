"""notebooks/compare_districts: the .ipynb matches its jupytext source, and the notebook
runs headless (nbclient, the venv's ipykernel) on the sample corpus and on a database
with no figures at all."""
import os
import sys
from pathlib import Path

import duckdb
import jupytext
import nbclient
import pytest
from conftest import BENCH, ROOT

from pipeline.run import extract

SOURCE = ROOT / "notebooks" / "compare_districts.py"
PAIRED = ROOT / "notebooks" / "compare_districts.ipynb"


def _cells(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_ipynb_is_generated_from_the_py():
    assert _cells(jupytext.read(PAIRED)) == _cells(jupytext.read(SOURCE)), \
        "run: jupytext --to ipynb notebooks/compare_districts.py"


def run_notebook(db: Path, monkeypatch, tmp_path):
    monkeypatch.setenv("FIGURES_DB", str(db))
    monkeypatch.setenv("REVIEW_BASE", "../extracted/review")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # the kernel is this interpreter's ipykernel, with no venv activation and nothing
    # registered globally: put the venv first on PATH for the "python3" kernelspec
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    nb = jupytext.read(SOURCE)
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=300,
                                     resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.execute()  # raises CellExecutionError on any failing cell
    return nb


def _outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if kind in o.get("data", {}) or o.get("output_type") == kind]


def test_notebook_runs_on_the_sample_corpus(tmp_path, monkeypatch):
    db = tmp_path / "figures.duckdb"
    extract([str(ROOT / "corpus")], str(db), quiet=True)
    nb = run_notebook(db, monkeypatch, tmp_path)
    assert len(_outputs(nb, "image/png")) >= 3  # district bars, members vs orgs, ratings
    text = "".join(o.get("text", "") for o in _outputs(nb, "stream"))
    assert "3 districts with at least one main metric" in text
    html = "".join(o["data"]["text/html"] for o in _outputs(nb, "text/html"))
    con = duckdb.connect(str(db), read_only=True)
    (fid,) = con.execute("""SELECT figure_id FROM figures
        WHERE article_id LIKE '000_%' AND surface = '8.000'""").fetchone()
    con.close()
    assert f"a/000_95e0e24651da9e40.txt.html#fig-{fid}" in html  # Lập Thạch's members, on the review page


def test_notebook_survives_an_empty_database(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "none.txt").write_text("Tin không có số liệu\nHội nghị đã diễn ra thành công tốt đẹp.\n",
                                     encoding="utf-8")
    db = tmp_path / "empty.duckdb"
    extract([str(corpus)], str(db), quiet=True)
    nb = run_notebook(db, monkeypatch, tmp_path)
    text = "".join(o.get("text", "") for o in _outputs(nb, "stream"))
    assert "0 districts" in text and "nothing to plot" in text


@pytest.mark.skipif(not BENCH.exists(), reason="needs ../shared/bench (the real crawl)")
def test_notebook_on_the_bench_charts_only_plausible_values(tmp_path, monkeypatch):
    """On a real, mixed crawl (the whole bench: district figures are rare in it), every
    value the notebook draws lies within the real-world bounds of data/plausible.tsv
    (issue 12)."""
    import json

    import nbformat

    from pipeline.bounds import plausible_bounds

    db = tmp_path / "bench.duckdb"
    extract([str(BENCH)], str(db), quiet=True)
    nb = jupytext.read(SOURCE)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json; print('CHARTED=' + json.dumps(CHARTED, ensure_ascii=False))"))
    monkeypatch.setenv("FIGURES_DB", str(db))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    line = next(o["text"] for o in nb.cells[-1].outputs if "CHARTED=" in o.get("text", ""))
    charted = json.loads(line.split("CHARTED=", 1)[1])
    assert len(charted) >= 5, charted  # the crawl does chart something
    bounds = plausible_bounds()
    checked = 0
    for chart, level, unit, metric, value, start, end in charted:
        rows = bounds[(bounds.metric == metric) & bounds.level.isin([level, "*"])]
        if rows.empty:
            continue
        b = rows.iloc[0]
        years = end - start + 1 if b.per_year and start is not None and end is not None and end >= start else 1
        assert b.min_value <= value <= b.max_value * years, (chart, level, unit, metric, value, start, end)
        checked += 1
    assert checked >= 5

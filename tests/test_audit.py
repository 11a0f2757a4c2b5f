"""`python -m pipeline audit`: a reproducible random sample of metric rows to judge."""
import csv

import pytest

from pipeline import audit
from pipeline.__main__ import main


@pytest.fixture(scope="module")
def db(corpus_db):
    return corpus_db


def test_sample_is_reproducible_and_one_row_per_figure(db):
    a = audit.sample(db, 8, seed=3)
    b = audit.sample(db, 8, seed=3)
    c = audit.sample(db, 8, seed=4)
    assert [r["figure_id"] for r in a] == [r["figure_id"] for r in b]
    assert [r["figure_id"] for r in a] != [r["figure_id"] for r in c]
    assert len(a) == 8 and len({r["figure_id"] for r in a}) == 8
    for r in a:
        assert r["surface"] in r["sentence"] and r["metric"] and r["subject_name"]


def test_page_and_tsv(db, tmp_path):
    assert main(["audit", "--db", str(db), "--sample", "5", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "audit.html").read_text(encoding="utf-8")
    assert page.count("<mark>") == 5 and page.count('value="wrong"') == 5
    with open(tmp_path / "audit.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 5 and list(rows[0]) == audit.COLUMNS


def test_hostile_sentence_is_escaped():
    out = audit._marked('<script>alert(1)</script> có 63 TCCSĐ', "63", None)
    assert "<script>" not in out and "<mark>63</mark>" in out


def test_score_of_a_judged_tsv(tmp_path, capsys):
    tsv = tmp_path / "judged.tsv"
    with open(tsv, "w", encoding="utf-8") as fh:
        fh.write("\t".join(audit.COLUMNS) + "\n")
        for j, why in [("right", ""), ("right", ""), ("wrong", "wrong unit"), ("", "")]:
            row = {c: "" for c in audit.COLUMNS} | {"judgment": j, "reason": why}
            fh.write("\t".join(row[c] for c in audit.COLUMNS) + "\n")
    assert main(["audit", "--score", str(tsv)]) == 0
    out = capsys.readouterr().out
    assert "2/3 right (66.7%)" in out and "wrong unit" in out


def test_missing_database_is_a_clear_error(tmp_path, capsys):
    assert main(["audit", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "make extract" in capsys.readouterr().err

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


def test_a_period_from_another_article_shows_that_articles_sentence(tmp_path):
    """A row dated by another article's telling of the same figure (period_source
    'agreement') carries that article and sentence (TSV `period_from`,
    `period_from_sentence`; shown under the period on the page), so an auditor reads
    the text the period comes from."""
    import json
    from pipeline.run import extract
    src = tmp_path / "r.jsonl"
    recs = [{"id": "r1", "title": "Hội nghị", "url": None, "published": None,
             "text": "Hội nghị cho biết, cả nước đã thi hành kỷ luật 6.098 đảng viên."},
            {"id": "r2", "title": "Kết quả kiểm tra năm 2017", "url": None, "published": None,
             "text": "Năm 2017, cả nước đã thi hành kỷ luật 6.098 đảng viên."}]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    db = tmp_path / "r.duckdb"
    extract([str(src)], str(db), quiet=True)
    rows = {r["article_id"]: r for r in audit.sample(db, 10, seed=1)}
    assert rows["r1"]["period_source"] == "agreement" and rows["r1"]["period_from"] == "r2"
    assert rows["r1"]["period_from_sentence"].startswith("Năm 2017")
    assert rows["r2"]["period_from"] is None
    audit.write(list(rows.values()), tmp_path / "out", str(db), 1)
    assert "from r2: Năm 2017" in (tmp_path / "out" / "audit.html").read_text(encoding="utf-8")

"""Units an article's URL names (pipeline/url_units.py), the last level of evidence:
tests/examples/url_units.tsv (one test per row), precedence, and a whole run."""
import json

import duckdb
import pytest
from conftest import table

from pipeline import url_units
from pipeline.doc import Article
from pipeline.extract import process
from pipeline.run import extract
from pipeline.tables import rows


def _dash(v: str):
    return None if v == "-" else v


@pytest.mark.parametrize("url,title_empty,province,level,name,period", table("url_units"))
def test_url_unit_examples(url, title_empty, province, level, name, period):
    r = url_units.read(url, title_empty == "yes")
    u = r.most_specific
    assert (r.units[0].province if r.units else None) == _dash(province)
    assert ((u.level, u.name) if u else (None, None)) == (_dash(level), _dash(name))
    want = None if period == "-" else tuple(int(y) for y in period.split("-"))
    assert r.period == want
    # from the top down, each unit inside the one before it
    for outer, inner in zip(r.units, r.units[1:]):
        assert inner.province == (outer.name if outer.level == "province" else outer.province)


@pytest.mark.parametrize("label,kind,level,name,example", [r[:5] for r in rows("url_labels")])
def test_url_label_table(label, kind, level, name, example):
    """Every prefix and alias of data/url_labels.tsv reads its own example host."""
    if kind == "generic":
        return
    host = example.split()[0].split(",")[0]
    assert url_units.host_units(host), host


def _doc(text, url, title=None):
    body = f"{title}\n\n{text}" if title else text
    return process(Article(article_id="t", source="test", text=body, title=title, url=url))


PORTAL = "http://thanhba.phutho.dcs.vn/tin-tuc/hoi-nghi-so-ket.html"


def test_the_text_wins_over_the_url():
    # the text names its province: the portal's province is only a units row
    doc = _doc("Tỉnh ủy Bắc Ninh có 150 đảng viên mới.", PORTAL,
               title="Tỉnh ủy Bắc Ninh kết nạp đảng viên")
    assert doc.province == "Bắc Ninh"
    assert [(f.subject_level, f.subject_name) for f in doc.figures] == [("province", "Bắc Ninh")]
    # the text names a district of the URL's province: that district, not the portal's
    doc = _doc("Đảng bộ huyện Cẩm Khê có 900 đảng viên.", PORTAL)
    assert (doc.province, doc.main_unit.name) == ("Phú Thọ", "Cẩm Khê")
    assert doc.figures[0].subject_name == "Cẩm Khê"
    # a lead opening with the Party's central bodies stays national
    doc = _doc("Ban Chấp hành Trung ương Đảng đã họp. Bộ Chính trị yêu cầu các cấp ủy "
               "kiểm điểm; Ban Bí thư kỷ luật 5 đảng viên.", PORTAL)
    assert doc.province is None


def test_url_province_when_the_text_is_silent():
    doc = _doc("Năm 2017, toàn tỉnh kết nạp 4.220 đảng viên.", "https://baophutho.vn/chinh-tri/a-1.html",
               title="Kết nạp đảng viên")
    assert doc.province == "Phú Thọ"
    assert (doc.figures[0].subject_level, doc.figures[0].subject_name) == ("province", "Phú Thọ")


def test_slug_year_only_when_the_lead_names_none():
    url = "https://baophutho.vn/xa-tan-lap-tong-ket-cong-tac-dang-nam-2015-123456.htm"
    doc = _doc("Đảng bộ xã có 320 đảng viên.", url)
    f = doc.figures[0]
    assert (f.subject_level, f.subject_name, f.period_start, f.period_end) == ("commune", "Tân Lập", 2015, 2015)
    doc = _doc("Năm 2016, Đảng bộ xã có 320 đảng viên.", url)
    assert doc.figures[0].period_start == 2016


def test_end_to_end_portal_without_title(tmp_path):
    """A record with an empty title whose body never names its unit: the URL's district."""
    src = tmp_path / "portal.jsonl"
    src.write_text(json.dumps({
        "id": "p1", "title": "", "url": PORTAL + "?id=7", "published": "2018-01-15",
        "text": "Sáng nay, hội nghị sơ kết công tác xây dựng Đảng đã diễn ra.\n\n"
                "Đảng bộ huyện có 1.200 đảng viên, sinh hoạt tại 60 chi bộ.",
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "f.duckdb"
    extract([str(src)], str(db), quiet=True, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT province, main_unit_level, main_unit_name FROM articles").fetchall() == [
        ("Phú Thọ", "district", "Thanh Ba")]
    assert con.execute("SELECT subject_level, subject_name, subject_province FROM figures "
                       "WHERE surface = '1.200'").fetchall() == [("district", "Thanh Ba", "Phú Thọ")]
    # the URL's units are rows of `units`, without a span (they are not in the text)
    assert con.execute("SELECT surface, level, name, span_start FROM units ORDER BY level DESC").fetchall() == [
        ("phutho", "province", "Phú Thọ", None), ("thanhba", "district", "Thanh Ba", None)]

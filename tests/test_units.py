"""Unit mentions, the gazetteer (old and 2025 codes), the units table rows and the
article province (pipeline/gazetteer.py, units.py, article_unit.py).
tests/examples/units.tsv: one test per row."""
from pathlib import Path

import pytest
from conftest import table

from pipeline import units
from pipeline.doc import Article, Doc
from pipeline.extract import process
from pipeline.ingest import read_paths, title_end

ROOT = Path(__file__).resolve().parent.parent


def _annotate(text: str, title: str | None = None) -> Doc:
    art = Article(article_id="t", source="test", text=text, title=title)
    doc = Doc.from_article(art)
    units.annotate(doc, title_end(art))
    return doc


def _dash(v: str):
    return None if v == "-" else v


@pytest.mark.parametrize("text,surface,level,name,province,province_2025,party", table("units"))
def test_unit_examples(text, surface, level, name, province, province_2025, party):
    doc = _annotate(text)
    at = text.index(surface)
    end = at + len(surface)
    if level == "-":
        hits = [(u.surface, u.level) for u in doc.units if u.start < end and at < u.end]
        assert not hits, f"{surface!r} became a unit: {hits}"
        return
    hits = [u for u in doc.units if u.start == at and u.end == end]
    assert hits, f"no unit {surface!r}; got {[(u.surface, u.level, u.name) for u in doc.units]}"
    u = hits[0]
    row = units.unit_rows("t", doc)[doc.units.index(u)]
    assert (u.level, u.name) == (level, name)
    assert (row["province"], row["province_2025"]) == (_dash(province), _dash(province_2025))
    assert row["is_party"] == (party == "yes")


def test_unit_rows_columns_and_spans():
    doc = _annotate("Đảng ủy xã Tử Du, huyện Lập Thạch, tỉnh Vĩnh Phúc có 30 đảng viên; "
                    "Ủy ban Kiểm tra Trung ương kỷ luật 2 đảng viên.")
    rows = units.unit_rows("a1", doc)
    assert [list(r) for r in rows] == [units.UNIT_COLUMNS] * len(rows)
    for r in rows:
        assert doc.text[r["span_start"]:r["span_end"]] == r["surface"]
        assert r["article_id"] == "a1"
    by = {r["surface"]: r for r in rows}
    # official codes, old scheme and 2025 (vietnamadminunits data)
    assert (by["Đảng ủy xã Tử Du"]["code"], by["Đảng ủy xã Tử Du"]["code_2025"]) == ("08815", "08761")
    assert (by["huyện Lập Thạch"]["code"], by["huyện Lập Thạch"]["code_2025"]) == ("246", None)
    assert (by["tỉnh Vĩnh Phúc"]["code"], by["tỉnh Vĩnh Phúc"]["code_2025"]) == ("26", "25")
    nat = by["Ủy ban Kiểm tra Trung ương"]
    assert (nat["level"], nat["province"], nat["code"], nat["is_party"]) == ("national", None, None, True)


@pytest.mark.parametrize("old,new", [("Vĩnh Phúc", "Phú Thọ"), ("Hòa Bình", "Phú Thọ"),
                                     ("Hoà Bình", "Phú Thọ"), ("Bắc Giang", "Bắc Ninh"),
                                     ("Lâm Đồng", "Lâm Đồng"), ("Bến Tre", "Vĩnh Long"),
                                     ("Hồ Chí Minh", "Hồ Chí Minh"), ("Bình Dương", "Hồ Chí Minh"),
                                     ("Thừa Thiên Huế", "Huế"), ("Hải Dương", "Hải Phòng"),
                                     (None, None), ("Atlantis", None)])
def test_province_2025(old, new):
    assert units.province_2025(old) == new


def test_gazetteer_places_carry_old_and_new():
    p = units.lookup("Lập Thạch", ("district",))
    assert (p.level, p.name, p.province, p.code, p.province_2025) == ("district", "Lập Thạch", "Vĩnh Phúc", "246", "Phú Thọ")
    # merged away before the package's snapshot: data/former_districts.tsv
    for name, prov, new in [("Đạ Tẻh", "Lâm Đồng", "Lâm Đồng"), ("Ðạ Tẻh", "Lâm Đồng", "Lâm Đồng"),
                            ("Yên Dũng", "Bắc Giang", "Bắc Ninh"), ("Quận 2", "Hồ Chí Minh", "Hồ Chí Minh")]:
        p = units.lookup(name, ("district",))
        assert (p.province, p.province_2025, p.code) == (prov, new, None), name
    # a commune and the 2025 commune it became part of
    c = units.lookup("Tử Du", ("commune",))
    assert (c.code, c.district, c.code_2025, c.province_2025) == ("08815", "Lập Thạch", "08761", "Phú Thọ")
    assert c.name_2025
    # among namesakes: the one in the given province, then the given type
    assert units.lookup("Châu Thành", ("district",), province="Bến Tre").province == "Bến Tre"
    assert units.lookup("Hòa Bình", ("district",), kind="Thành phố").province == "Hòa Bình"


CORPUS_PROVINCES = {
    "000_95e0e24651da9e40.txt": ("Vĩnh Phúc", ("district", "Lập Thạch")),
    "001_46a7292ef098acaa.txt": ("Bến Tre", ("province", "Bến Tre")),
    "002_415606746d4b7b3f.txt": ("Bắc Giang", ("province", "Bắc Giang")),
    "003_f7b0d7ec67d0c555.txt": ("Lâm Đồng", ("district", "Đạ Tẻh")),
    "004_f039bd8f5548b628.txt": ("Hòa Bình", ("district", "Cao Phong")),
}


def test_corpus_article_province():
    seen = {}
    for art in read_paths([str(ROOT / "corpus")]):
        if not isinstance(art, Article):
            continue
        doc = process(art)
        seen[art.article_id] = (doc.province, (doc.main_unit.level, doc.main_unit.name) if doc.main_unit else None)
    assert {k: v for k, v in seen.items() if k in CORPUS_PROVINCES} == CORPUS_PROVINCES


@pytest.mark.parametrize("title,text,want", [
    # a national report: the Party's central bodies, a province only in passing
    ("Ủy ban Kiểm tra Trung ương kỷ luật 7 cán bộ",
     "Ủy ban Kiểm tra Trung ương đã thi hành kỷ luật 7 cán bộ. Bộ Chính trị và Ban Bí thư "
     "quyết định kỷ luật nguyên Chủ tịch UBND tỉnh Hà Tĩnh. Ban Chấp hành Trung ương ...", None),
    # a round-up of many provinces
    ("12 dự án thua lỗ", "Các dự án ở Thái Nguyên, Lào Cai, Ninh Bình, Hải Phòng, Phú Thọ, "
     "Bình Phước, Quảng Ngãi và Hà Tĩnh.", None),
    # outlet tag
    ("Những chuyển biến tích cực", "BDK - Đảng bộ tỉnh hiện có 13 đảng bộ trực thuộc.", "Bến Tre"),
    # title prefix with a bare commune name
    ("Đoàn Tùng, Hải Dương: Những điểm nhấn", "Đoàn Tùng là một xã của huyện Thanh Miện.", "Hải Dương"),
    # the city, not the person
    ("Nam Đàn", "Nam Đàn là quê hương của Chủ tịch Hồ Chí Minh, thuộc tỉnh Nghệ An.", "Nghệ An"),
])
def test_infer_province(title, text, want):
    doc = _annotate(f"{title}\n\n{text}", title=title)
    assert doc.province == want


def test_main_unit_from_title_and_lead():
    title = "Đà Nẵng: Một quận thi hành kỷ luật 48 đảng viên"
    doc = _annotate(f"{title}\n\nQuận Sơn Trà, TP. Đà Nẵng đã thi hành kỷ luật 48 đảng viên.", title=title)
    assert (doc.main_unit.level, doc.main_unit.name) == ("district", "Sơn Trà")
    title = "Đoàn Tùng, Hải Dương: Những điểm nhấn"
    doc = _annotate(f"{title}\n\nĐoàn Tùng là một xã nằm giữa huyện Thanh Miện.", title=title)
    assert (doc.main_unit.level, doc.main_unit.name) == ("commune", "Đoàn Tùng")


def test_anaphors():
    doc = _annotate("Toàn huyện có 50 chi bộ. Đảng bộ xã có 300 đảng viên; kinh tế - xã hội phát triển.")
    f = doc.folded
    _, anaphors = units.find_units(doc)
    assert [(f[p:p + 5], lvl) for p, lvl in anaphors] == [("huyện", "district"), ("xã có", "commune")]


@pytest.mark.parametrize("word,level,kind,typ,example", [r[:5] for r in units.rows("unit_levels")])
def test_unit_level_table_examples(word, level, kind, typ, example):
    """Each level word of data/unit_levels.tsv reads its own example as a unit of its level."""
    doc = _annotate(example)
    want = ("province", "district") if level == "city" else (level,)
    assert any(u.level in want for u in doc.units), [(u.surface, u.level) for u in doc.units]


@pytest.mark.parametrize("word,example", [(r[1], r[3]) for r in units.rows("unit_blocks") if r[0] == "agency_stop"])
def test_agency_stop_examples(word, example):
    """A company's or an agency's name ends before each agency_stop word of
    data/unit_blocks.tsv written in lower case (agencies.py)."""
    doc = _annotate(example)
    blocs = [u for u in doc.units if u.level == "bloc"]
    assert blocs and all(word not in u.name.lower().split() for u in blocs), [(u.name, u.surface) for u in blocs]


@pytest.mark.parametrize("cue,body,example", [r[:3] for r in units.rows("national_bodies")])
def test_national_body_examples(cue, body, example):
    """Each phrase of data/national_bodies.tsv is a national unit in its own example, a
    party one unless the table says it is a state body."""
    doc = _annotate(example)
    found = [u for u in doc.units if u.level == "national"]
    assert found and found[0].party == (body == "party"), [(u.surface, u.level, u.party) for u in doc.units]


@pytest.mark.parametrize("word,example", [(r[1], r[3]) for r in units.rows("unit_blocks")
                                          if r[0] == "before" and r[2] == "việt nam"])
def test_viet_nam_in_a_name_is_no_national_scope(word, example):
    """"Việt Nam" ending an organisation's name ("Mặt trận Tổ quốc Việt Nam", "Hợp tác xã
    Việt Nam") is no national unit (data/unit_blocks.tsv before-guards); on its own it is
    (data/national_bodies.tsv: "Việt Nam có hơn 5 triệu đảng viên")."""
    doc = _annotate(example)
    assert not any(u.level == "national" and u.surface.lower() == "việt nam" for u in doc.units), \
        [(u.surface, u.level) for u in doc.units]


def test_named_again_bare_mentions():
    """A district named once with its level word is the unit where the article names it
    bare (named_again.py): the title's "ở Bình Chánh" too; a bare name the article never
    names with its level word stays unread."""
    doc = _annotate("TP. HCM kỷ luật 30 cán bộ vi phạm đất đai ở Bình Chánh\n\n"
                    "Ủy ban kiểm tra Thành ủy vừa kỷ luật 30 cán bộ của huyện Bình Chánh.")
    bare = [u for u in doc.units if u.surface == "Bình Chánh"]
    assert len(bare) == 1 and bare[0].level == "district" and bare[0].province == "Hồ Chí Minh"
    doc = _annotate("TP. HCM kỷ luật 30 cán bộ vi phạm đất đai ở Bình Chánh")
    assert not any(u.surface == "Bình Chánh" for u in doc.units)


@pytest.mark.parametrize("word,name,example", [r[:3] for r in units.rows("not_place_before")])
def test_not_place_before_examples(word, name, example):
    """After a word of data/not_place_before.tsv, a bare name the article also gives with
    its level word is something named after the place, not the unit."""
    doc = _annotate(example)
    at = doc.folded.find(f"{word} {name.lower()}".lower())
    assert at >= 0 and any(u.name == name for u in doc.units), [(u.surface, u.level) for u in doc.units]
    start = at + len(word) + 1
    assert not any(u.start == start for u in doc.units), [(u.surface, u.start) for u in doc.units]

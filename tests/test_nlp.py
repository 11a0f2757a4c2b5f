"""``extract --nlp`` (pipeline/nlp.py): underthesea where the rules leave a question
open.  Without the flag nothing changes and underthesea is never imported."""
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT

from pipeline.doc import Article
from pipeline.extract import process


def _fig(doc, surface):
    return next(f for f in doc.figures if f.surface == surface)


def _run(text, nlp):
    import datetime as dt
    return process(Article(article_id="t", source="test", text=text, published=dt.date(2024, 1, 1)), nlp=nlp)


# (a) the counted noun behind a word the entity table does not know:
# sentence, figure, entity by the rules alone, entity with --nlp, measure text with --nlp
COUNTED = [
    ("Năm 2023, huyện kết nạp 72 tân đảng viên.", "72", "other", "party_member", "tân đảng viên"),
    ("Xã có 12 em học sinh được khen thưởng.", "12", "person", "person", "em học sinh"),
    ("Huyện có 40 nữ đảng viên (chiếm 12%).", "12%", "other", "party_member", "nữ đảng viên"),
    ("Trong tháng, 100% các cơ quan đã treo cờ Tổ quốc.", "100%", "other", "organization", "cơ quan"),
    # a one-syllable cue after another noun is a modifier: "đơn" is no petition here
    ("Đội tuyển thắng 2 trận đơn.", "2", "other", "other", "trận đơn"),
]

# (b) party bodies of enterprises and schools the gazetteer does not know:
# sentence, figure, subject name with --nlp (level bloc), or "-" for none
BODIES = [
    ("Đảng ủy Công ty Cổ phần Than Hà Tu có 350 đảng viên.", "350", "Công ty Cổ phần Than Hà Tu"),
    ("Năm 2023, Chi bộ Trường THPT Nguyễn Du kết nạp 5 đảng viên.", "5", "Trường THPT Nguyễn Du"),
    ("Đảng ủy Công ty Dịch vụ công ích Q. 8 nhiệm kỳ 2015 - 2020 có 120 đảng viên.", "120",
     "Công ty Dịch vụ công ích Q. 8"),
    ("Đảng uỷ PSI kết nạp 3 đảng viên.", "3", "PSI"),
    # a place (the gazetteer's), a common noun alone, a rating's abbreviation: no bloc
    ("Đảng bộ Thạnh Phú có 686 tổ chức cơ sở đảng.", "686", "-"),
    ("Đảng ủy Sở nhiệm kỳ 2015 - 2020 có 120 đảng viên.", "120", "-"),
    ("Năm 2020, Đảng bộ TSVM có 30 đảng viên.", "30", "-"),
]


@pytest.mark.parametrize("text,surface,rules,_e,_m", COUNTED)
def test_counted_noun_without_nlp_is_the_rules(text, surface, rules, _e, _m):
    assert _fig(_run(text, False), surface).entity == rules


@pytest.mark.parametrize("text,surface,_r,entity,measure", COUNTED)
def test_counted_noun_with_nlp(text, surface, _r, entity, measure):
    pytest.importorskip("underthesea")
    fig = _fig(_run(text, True), surface)
    assert (fig.entity, fig.measure_text) == (entity, measure)


@pytest.mark.parametrize("text,surface,name", BODIES)
def test_party_bodies_without_nlp(text, surface, name):
    """Without --nlp only a body named with a type word of data/unit_levels.tsv ("Công ty",
    "Tập đoàn", "Công an": agencies.py) is a bloc; the others are left to the tagger."""
    from pipeline.agencies import typed
    doc = _run(text, False)
    if any(name.startswith(kind + " ") for kind in typed()):
        assert _fig(doc, surface).subject_name == name
        return
    assert not any(u.level == "bloc" for u in doc.units)
    assert _fig(doc, surface).subject_level != "bloc"


@pytest.mark.parametrize("text,surface,name", BODIES)
def test_party_bodies_with_nlp(text, surface, name):
    pytest.importorskip("underthesea")
    doc = _run(text, True)
    fig = _fig(doc, surface)
    blocs = [u for u in doc.units if u.level == "bloc"]
    if name == "-":
        assert blocs == [] and fig.subject_level != "bloc"
    else:
        assert [(u.name, u.party, u.code) for u in blocs] == [(name, True, None)]
        assert (fig.subject_level, fig.subject_name) == ("bloc", name)
        u = blocs[0]  # its span holds "Đảng ủy/Chi bộ" and the name
        assert doc.text[u.start:u.end] == u.surface and u.surface.endswith(name)


def test_nlp_off_never_imports_underthesea(tmp_path):
    """A whole run without --nlp (two forked workers, views and checks) with underthesea
    made unimportable: no article fails, and nothing tried to import it."""
    code = f"""
import sys
sys.modules["underthesea"] = None  # any import of it now raises ImportError
from pipeline.run import extract
s = extract([{str(ROOT / 'corpus')!r}], {str(tmp_path / 'f.duckdb')!r}, quiet=True, workers=2)
assert s["failures"] == 0 and s["figures"] > 50, s
assert sys.modules["underthesea"] is None
assert "pipeline.nlp" not in sys.modules
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_nlp_without_underthesea_is_one_clear_error(tmp_path):
    code = f"""
import sys
sys.modules["underthesea"] = None
from pipeline.__main__ import main
sys.exit(main(["extract", {str(ROOT / 'corpus')!r}, "--db", {str(tmp_path / 'f.duckdb')!r}, "--nlp", "--quiet"]))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.startswith("error: --nlp needs the underthesea package"), out.stderr
    assert not (tmp_path / "f.duckdb").exists()


def test_nlp_is_part_of_the_rules_version(tmp_path):
    """A database built without --nlp is redone with it (and back): the flag changes rows."""
    pytest.importorskip("underthesea")
    from pipeline.run import extract
    db = tmp_path / "f.duckdb"
    first = extract([str(ROOT / "corpus")], str(db), quiet=True, workers=1, hooks=())
    again = extract([str(ROOT / "corpus")], str(db), quiet=True, workers=2, hooks=(), nlp=True)
    assert first["extracted"] == again["extracted"] == 5 and again["unchanged"] == 0
    con = duckdb.connect(str(db), read_only=True)
    versions = {v for v, in con.execute("SELECT DISTINCT rules_version FROM articles").fetchall()}
    con.close()
    assert len(versions) == 1 and versions.pop().endswith("+nlp")
    same = extract([str(ROOT / "corpus")], str(db), quiet=True, workers=1, hooks=(), nlp=True)
    assert same["unchanged"] == 5 and not same["changed"]


def test_nlp_refuses_the_dask_engine(tmp_path):
    from pipeline.__main__ import main
    assert main(["extract", str(ROOT / "corpus"), "--db", str(tmp_path / "f.duckdb"),
                 "--nlp", "--engine", "dask", "--quiet"]) == 2

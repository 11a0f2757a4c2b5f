"""Metric views and consistency checks: the sample corpus and the example table."""
import duckdb
import pytest
from conftest import ROOT, table

from pipeline.checks import refresh_checks
from pipeline.run import extract
from pipeline.views import create_views, metric_defs


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    db = tmp_path_factory.mktemp("vc") / "figures.duckdb"
    extract([str(ROOT / "corpus")], str(db), quiet=True)
    c = duckdb.connect(str(db))
    # twice: both must be idempotent (the run calls them after every extraction)
    for _ in range(2):
        create_views(c)
        refresh_checks(c)
    yield c
    c.close()


def test_metric_table_is_well_formed():
    defs = metric_defs()
    assert set(defs.value_from) <= {"value", "ratio_pct"}
    assert set(defs.kind) <= {"count", "percent", "ratio", "range", "change", "score", "money", "age"}
    assert not defs.duplicated(["entity", "status", "actor", "kind", "value_from"]).any()
    assert set(defs.actor.dropna()) <= {"commissions", "commission", "standing", "committee"}
    assert {"party_members", "grassroots_orgs", "party_cells", "admissions",
            "orgs_clean_strong_pct", "orgs_good_pct"} <= set(defs.metric)


def test_unit_metrics_one_row_per_unit_metric_period(con):
    dup = con.execute("""SELECT metric, subject_level, subject_name, province, period_start, period_end, count(*)
        FROM unit_metrics GROUP BY ALL HAVING count(*) > 1""").fetchall()
    assert dup == []
    row = con.execute("""SELECT value, article_ids, figure_ids FROM unit_metrics
        WHERE metric = 'grassroots_orgs' AND subject_name = 'Bến Tre'""").fetchone()
    assert row[0] == 686 and row[1] == ["001_46a7292ef098acaa.txt"] and len(row[2]) == 1


def test_targets_kept_apart(con):
    value, target = con.execute("""SELECT value, target_value FROM unit_metrics
        WHERE metric = 'admissions' AND subject_name = 'Đạ Tẻh'""").fetchone()
    assert (value, target) == (72, 67)


def test_stated_percent_beats_ratio(con):
    (v,) = con.execute("""SELECT value FROM latest_metrics
        WHERE metric = 'orgs_clean_strong_pct' AND subject_name = 'Lập Thạch'""").fetchone()
    assert v == pytest.approx(42.85)


def test_latest_is_the_latest_period(con):
    rows = con.execute("""SELECT metric, subject_name, period_end FROM latest_metrics l
        WHERE period_end < (SELECT max(period_end) FROM unit_metrics u WHERE u.metric = l.metric
              AND u.subject_name = l.subject_name AND u.subject_level = l.subject_level
              AND u.province IS NOT DISTINCT FROM l.province AND u.value IS NOT NULL)""").fetchall()
    assert rows == []


def test_district_table(con):
    df = con.execute("SELECT * FROM district_metrics").df()
    assert not df.duplicated(["province", "district"]).any()
    lt = df[df.district == "Lập Thạch"].iloc[0]
    assert lt.province == "Vĩnh Phúc" and lt.party_members == 8000 and lt.grassroots_orgs == 63
    assert lt.admissions == 215 and lt.orgs_clean_strong_pct == pytest.approx(42.85)
    assert set(df.district) >= {"Lập Thạch", "Đạ Tẻh", "Cao Phong"}
    prov = con.execute("SELECT party_members FROM province_metrics WHERE province_name = 'Bến Tre'").fetchone()
    assert prov == (55610,)


def test_done_when_sample_checks(con):
    """Issue #4: Bến Tre 686 = 287 + 399 and the Lập Thạch ratio/percent pairs are ok."""
    bt = con.execute("""SELECT ok FROM checks WHERE rule = 'part_whole' AND expected = 686 AND found = 686
        AND article_id LIKE '001_%'""").fetchall()
    assert bt == [(True,)]
    lt = con.execute("""SELECT expected, found, ok FROM checks WHERE rule = 'ratio_percent'
        AND article_id LIKE '000_%' ORDER BY found DESC""").fetchall()
    assert [(round(e, 2), f) for e, f, _ in lt] == [(44.44, 44.0), (42.86, 42.85), (12.70, 12.7)]
    assert all(ok for *_, ok in lt)
    # nothing in the sample corpus is inconsistent
    assert con.execute("SELECT count(*) FROM checks WHERE NOT ok").fetchone()[0] == 0
    ids = con.execute("SELECT count(*), count(DISTINCT check_id) FROM checks").fetchone()
    assert ids[0] == ids[1]


def test_check_figure_ids_exist(con):
    missing = con.execute("""SELECT c.check_id FROM checks c, unnest(c.figure_ids) AS u(fid)
        WHERE fid NOT IN (SELECT figure_id FROM figures)""").fetchall()
    assert missing == []


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory):
    """All example texts, one article each, in one database (one extraction run)."""
    d = tmp_path_factory.mktemp("checks_examples")
    rows = table("checks")
    for i, (text, *_) in enumerate(rows):
        # a title of its own: the ingest may drop an article whose text repeats another's
        (d / f"ex{i:03d}.txt").write_text(f"Tin số {i}\n" + text + "\n", encoding="utf-8")
    db = d / "ex.duckdb"
    extract([str(d)], str(db), quiet=True)
    c = duckdb.connect(str(db))
    refresh_checks(c)
    yield c
    c.close()


@pytest.mark.parametrize("i,row", list(enumerate(table("checks"))))
def test_check_examples(examples_db, i, row):
    text, rule, expected, found, ok = row
    got = examples_db.execute("SELECT expected, found, ok, detail FROM checks WHERE article_id = ? AND rule = ?",
                              [f"ex{i:03d}.txt", rule]).fetchall()
    if expected == "-":
        assert got == [], f"{rule} fired on {text!r}: {got}"
        return
    assert got, f"no {rule} check on {text!r}"
    want = (pytest.approx(float(expected), abs=1e-3), pytest.approx(float(found), abs=1e-3), ok == "true")
    assert any((e, f, k) == want for e, f, k, _ in got), f"{text!r}: got {got}"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """A tiny mixed crawl: totals that agree and disagree, an impossible figure, a group,
    a part and a foreign party (issue 12)."""
    d = tmp_path_factory.mktemp("crawl")
    docs = {
        "a1.jsonl": ("Đảng bộ huyện Lập Thạch tổng kết năm",
                     "Năm 2017, Đảng bộ huyện Lập Thạch (Vĩnh Phúc) có 8.000 đảng viên, trong đó 2.100 đảng viên nữ.",
                     "2018-01-10"),
        "a2.jsonl": ("Lập Thạch: nhìn lại một năm",
                     "Năm 2017, toàn Đảng bộ huyện Lập Thạch, tỉnh Vĩnh Phúc có 8.000 đảng viên.", "2018-02-01"),
        "a3.jsonl": ("Lập Thạch đón năm mới",
                     "Năm 2017, huyện Lập Thạch (Vĩnh Phúc) có 8.400 đảng viên.", "2018-03-01"),
        "a4.jsonl": ("Huyện Lập Thạch",
                     "Năm 2017, Đảng bộ huyện Lập Thạch (Vĩnh Phúc) có 89 triệu đảng viên.", "2018-04-01"),
        "a5.jsonl": ("Kỷ luật cán bộ huyện Lập Thạch",
                     "Năm 2017, hai đảng viên này của huyện Lập Thạch (Vĩnh Phúc) đã bị khai trừ.", "2018-05-01"),
        "a6.jsonl": ("Đại hội Đảng Cộng sản Trung Quốc",
                     "Đảng Cộng sản Trung Quốc hiện có hơn 89 triệu đảng viên.", "2018-06-01"),
    }
    import json
    for name, (title, text, pub) in docs.items():
        (d / name).write_text(json.dumps({"id": name[:2], "title": title, "text": text, "published": pub},
                                         ensure_ascii=False) + "\n", encoding="utf-8")
    db = d / "crawl.duckdb"
    extract([str(d)], str(db), quiet=True)
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def test_unit_metrics_take_the_value_most_articles_agree_on(crawl):
    row = crawl.execute("""SELECT value, n_agree, n_figures, min_value, max_value, disagreement
        FROM unit_metrics WHERE metric = 'party_members' AND subject_name = 'Lập Thạch'""").fetchone()
    # 8.000 twice against a later 8.400: agreement wins over recency; the conflict stays visible
    assert row == (8000, 2, 3, 8000, 8400, True)


def test_implausible_figures_are_set_aside_with_a_failed_check(crawl):
    (fid,) = crawl.execute("SELECT figure_id FROM figures WHERE article_id = 'a4'").fetchone()
    assert crawl.execute("SELECT count(*) FROM figure_metrics WHERE figure_id = ?", [fid]).fetchone()[0] == 0
    row = crawl.execute("""SELECT metric, value, bound_max FROM implausible_metrics
        WHERE figure_id = ?""", [fid]).fetchone()
    assert row == ("party_members", 89_000_000, 60000)
    ok, detail = crawl.execute("SELECT ok, detail FROM checks WHERE rule = 'plausible' AND list_contains(figure_ids, ?)",
                               [fid]).fetchone()
    assert ok is False and "district" in detail
    bad = crawl.execute("""SELECT count(*) FROM unit_metrics u JOIN plausible_bounds b
        ON b.metric = u.metric AND b.level IN (u.subject_level, '*')
        WHERE u.value < b.min_value OR u.value > b.max_value""").fetchone()[0]
    assert bad == 0


def test_only_totals_of_vietnamese_units_measure_a_metric(crawl):
    roles = dict(crawl.execute("SELECT surface, role FROM figures WHERE article_id IN ('a1', 'a5')").fetchall())
    assert roles == {"8.000": "total", "2.100": "part", "hai": "group"}
    (level, name) = crawl.execute("SELECT subject_level, subject_name FROM figures WHERE article_id = 'a6'").fetchone()
    assert (level, name) == ("foreign", "Trung Quốc")
    ids = {r[0] for r in crawl.execute("SELECT article_id FROM figure_metrics_all").fetchall()}
    assert ids == {"a1", "a2", "a3", "a4"}


def _extract_text(tmp_path, text: str):
    """One .txt article extracted into a fresh database; its connection."""
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "f.duckdb"
    extract([str(tmp_path / "a.txt")], str(db), quiet=True)
    return duckdb.connect(str(db))


def test_one_acting_body_has_metrics_of_its_own(tmp_path):
    """The inspection commissions' tally is a part of the unit's (spec §2, GUIDE.md): it
    stays out of members_inspected and fills commission_members_inspected."""
    c = _extract_text(tmp_path, "Đà Nẵng: kết quả kiểm tra năm 2017\n\nNăm 2017, Ủy ban Kiểm tra các "
                      "cấp của thành phố Đà Nẵng đã kiểm tra 381 đảng viên. Toàn Đảng bộ thành phố "
                      "kỷ luật 111 đảng viên.\n")
    got = dict(c.execute("SELECT metric, value FROM figure_metrics").fetchall())
    assert got.get("commission_members_inspected") == 381 and "members_inspected" not in got
    assert got.get("members_disciplined") == 111
    assert c.execute("SELECT role, actor FROM figures WHERE surface = '381'").fetchone() == ("part", "commissions")


def _extract_record(tmp_path, title: str, text: str, *more: tuple[str, str]):
    """Undated JSONL records (title, text; ids r1, r2, …) extracted into a fresh
    database; its connection."""
    import json
    src = tmp_path / "r.jsonl"
    recs = [{"id": f"r{i}", "title": t, "text": x, "url": None, "published": None}
            for i, (t, x) in enumerate(((title, text),) + more, 1)]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    db = tmp_path / "r.duckdb"
    extract([str(src)], str(db), quiet=True)
    return duckdb.connect(str(db))


def test_undated_flow_takes_the_period_another_article_states_for_it(tmp_path):
    """An undated record's count takes the period another record of the corpus states
    for the same unit, metric and value (flagged period_inferred, period_source
    'agreement'); a stock is not dated this way, its value carries over from year to year."""
    c = _extract_record(
        tmp_path, "Hội nghị tổng kết",
        "Hội nghị cho biết, cả nước đã thi hành kỷ luật 6.098 đảng viên. "
        "Đảng bộ tỉnh Nghệ An có 150.000 đảng viên.",
        ("Kết quả kiểm tra năm 2017",
         "Năm 2017, cả nước đã thi hành kỷ luật 6.098 đảng viên. Năm 2017, Đảng bộ tỉnh Nghệ An "
         "có 150.000 đảng viên."))
    got = c.execute("SELECT period_start, period_end, period_inferred, period_source FROM figure_metrics "
                    "WHERE article_id = 'r1' AND metric = 'members_disciplined'").fetchone()
    assert got == (2017, 2017, True, "agreement")
    got = c.execute("SELECT period_start, period_source FROM figure_metrics "
                    "WHERE article_id = 'r1' AND metric = 'party_members'").fetchone()
    assert got == (None, None)


def test_agreement_needs_one_period_and_a_count_not_small(tmp_path):
    """Two articles stating the same count for different periods date nothing; nor does a
    small count, which can match by chance."""
    c = _extract_record(
        tmp_path, "Hội nghị tổng kết",
        "Cả nước đã thi hành kỷ luật 6.098 đảng viên. Tỉnh Nghệ An đã thi hành kỷ luật 12 đảng viên.",
        ("Kết quả năm 2016", "Năm 2016, cả nước đã thi hành kỷ luật 6.098 đảng viên."),
        ("Kết quả năm 2017", "Năm 2017, cả nước đã thi hành kỷ luật 6.098 đảng viên. Năm 2017, tỉnh "
                             "Nghệ An đã thi hành kỷ luật 12 đảng viên."))
    got = dict(c.execute("SELECT value, period_start FROM figure_metrics WHERE article_id = 'r1'").fetchall())
    assert got == {6098: None, 12: None}


def test_undated_figure_takes_its_articles_year_in_the_views_only(tmp_path):
    """A record with no publication date: a figure with no year of its own keeps a null
    period (spec §2), and the metric views give it the year of the article's latest full
    date, flagged period_inferred."""
    c = _extract_record(tmp_path, "Huyện ủy Lập Thạch tổng kết công tác đảng",
                        "Ngày 20/1/2016, Huyện ủy Lập Thạch tổ chức hội nghị. Đảng bộ huyện Lập Thạch "
                        "hiện có 6.300 đảng viên.")
    assert c.execute("SELECT year, year_source FROM articles").fetchone() == (2016, "dated_text")
    assert c.execute("SELECT period_start FROM figures WHERE surface = '6.300'").fetchone() == (None,)
    got = c.execute("SELECT period_start, period_end, period_inferred FROM figure_metrics "
                    "WHERE metric = 'party_members'").fetchone()
    assert got == (2016, 2016, True)


def test_open_span_ends_in_its_articles_year_in_the_views(tmp_path):
    """'Từ năm 2014 đến nay' in a record with no publication date: the figure keeps its
    open end (spec §2), the metric views end it in the article's year, flagged."""
    c = _extract_record(tmp_path, "Hà Nội kỷ luật đảng viên",
                        "Ngày 20/6/2018, Thành ủy tổng kết. Từ năm 2014 đến nay, Đảng bộ thành phố "
                        "đã kỷ luật 2.000 đảng viên.")
    assert c.execute("SELECT period_start, period_end FROM figures WHERE surface = '2.000'").fetchone() == (2014, None)
    got = c.execute("SELECT period_start, period_end, period_inferred FROM figure_metrics "
                    "WHERE metric = 'members_disciplined'").fetchone()
    assert got == (2014, 2018, True)


def _article_year_examples():
    from pathlib import Path
    out = []
    for line in (Path(__file__).parent / "examples" / "article_years.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            title, text, year, source, *written = line.split("\t")
            year = None if year == "-" else int(year)
            out.append((title, text.replace("\\n", "\n"), year, None if source == "-" else source,
                        int(written[0]) if written else year))
    return out


@pytest.mark.parametrize("title,text,year,source,written", _article_year_examples())
def test_article_year(title, text, year, source, written):
    """articles.year of an undated record (tests/examples/article_years.tsv): an occasion
    its lead names, else its latest full date, else the latest year its title and lead
    name; never a plan's horizon, a deadline, a birth year nor one end of a span. And
    articles.written_year: a year's review held in its first months was written the
    year after."""
    from pipeline.dating import article_year, written_year
    from pipeline.doc import Article
    from pipeline.extract import process
    doc = process(Article(article_id="t", source="t", text=f"{title}\n\n{text}", title=title))
    assert article_year(doc) == (year, source)
    assert written_year(doc, year, source) == written


def test_inspections_and_supervisions_are_two_metrics(tmp_path):
    """Spec §3 lumps kiểm tra and giám sát into `inspected`; the views keep them apart
    (data/status_refinements.tsv), so a unit's two tallies are not rival values of one."""
    c = _extract_text(tmp_path, "Đà Nẵng: công tác kiểm tra năm 2016\n\nNăm 2016, Ủy ban Kiểm tra các "
                      "cấp của thành phố Đà Nẵng kiểm tra 14 đảng viên; giám sát 198 tổ chức đảng, "
                      "138 đảng viên.\n")
    got = dict(c.execute("SELECT metric, value FROM figure_metrics").fetchall())
    assert got.get("commission_members_inspected") == 14
    assert got.get("commission_members_supervised") == 138
    assert got.get("commission_orgs_supervised") == 198
    assert c.execute("SELECT DISTINCT status FROM figures WHERE surface IN ('14', '138')").fetchall() == [("inspected",)]


def test_a_combined_inspection_and_supervision_tally_is_no_metric(tmp_path):
    """"kiểm tra, giám sát đối với 1.337 đảng viên" is one tally of both programmes: the
    figure keeps the spec's `inspected`, but it is neither inspections nor supervisions in
    the metric views (data/status_refinements.tsv, the longest cue wins)."""
    c = _extract_text(tmp_path, "Hà Tĩnh: công tác kiểm tra năm 2016\n\nNăm 2016, cấp uỷ các cấp trên "
                      "địa bàn tỉnh Hà Tĩnh đã kiểm tra, giám sát đối với 1.337 đảng viên. Ủy ban Kiểm "
                      "tra các cấp giám sát 198 tổ chức đảng.\n")
    metrics = dict(c.execute("SELECT figure_id, metric FROM figure_metrics").fetchall())
    statuses = dict(c.execute("SELECT surface, status FROM figures").fetchall())
    assert statuses["1.337"] == "inspected"
    assert "commission_orgs_supervised" in metrics.values()
    assert not any(m.startswith(("members_", "committee_members")) for m in metrics.values()), metrics


@pytest.mark.parametrize("sentence", [
    "Năm 2017, qua kiểm điểm, tự phê bình và phê bình, thành phố Cần Thơ có 6 tập thể và 32 cá "
    "nhân có biểu hiện suy thoái.",
    "Năm 2017, qua thực hiện Nghị quyết Trung ương 4, Cần Thơ phát hiện 6 tập thể, 32 cá nhân có "
    "biểu hiện suy thoái về tư tưởng chính trị."])
def test_signs_of_degradation_are_no_violations_metric(tmp_path, sentence):
    """People showing signs of degradation in a self-criticism review keep the spec's
    `violated`, but they are not the unit's members found in violation in the metric views
    (data/status_refinements.tsv; after "phát hiện" the status cue is the violation named
    after the number)."""
    c = _extract_text(tmp_path, f"Cần Thơ: kết quả kiểm điểm năm 2017\n\n{sentence} "
                      "Ủy ban Kiểm tra Thành ủy Cần Thơ kết luận 15 đảng viên có vi phạm.\n")
    assert dict(c.execute("SELECT surface, status FROM figures").fetchall())["32"] == "violated"
    metrics = [r[0] for r in c.execute("SELECT metric FROM figure_metrics WHERE value = 32").fetchall()]
    assert metrics == [], metrics


@pytest.mark.parametrize("sentence", [
    "Năm 2017, qua kiểm tra, cấp ủy các cấp phải thi hành kỷ luật 1.801 tổ chức đảng và 45.607 đảng viên.",
    "Năm 2017, toàn tỉnh có hơn 1.700 cán bộ, đảng viên phải xử lý kỷ luật Đảng."])
def test_warranted_discipline_is_no_discipline_metric(tmp_path, sentence):
    """Discipline found warranted keeps the spec's `disciplined`, but it is not discipline
    done in the metric views (data/status_refinements.tsv); discipline done still is."""
    c = _extract_text(tmp_path, f"Hà Tĩnh: công tác kỷ luật năm 2017\n\n{sentence} "
                      "Năm 2017, tỉnh Hà Tĩnh đã thi hành kỷ luật 556 đảng viên.\n")
    statuses = dict(c.execute("SELECT surface, status FROM figures").fetchall())
    assert statuses.get("45.607", statuses.get("1.700")) == "disciplined", statuses
    values = [r[0] for r in c.execute("SELECT value FROM figure_metrics WHERE metric LIKE '%disciplined'").fetchall()]
    assert 556 in values and 45607 not in values and 1700 not in values, values


@pytest.mark.parametrize("sentence", [
    "Năm 2017, thanh tra toàn tỉnh kiến nghị kỷ luật hành chính với 20 tập thể, 155 cá nhân.",
    "Năm 2017, qua thanh tra, tỉnh đã kiến nghị xử lý kỷ luật 155 cán bộ, công chức.",
    "Năm 2017, Thanh tra Sở đã thực hiện 21 cuộc thanh tra; xử lý hành chính 3 tập thể và 155 cá nhân."])
def test_recommended_discipline_is_no_discipline_metric(tmp_path, sentence):
    """Discipline an inspectorate recommends, and its administrative sanctions, keep the
    spec's `disciplined`, but they are not discipline done in the metric views
    (data/status_refinements.tsv "kiến nghị", "xử lý hành chính")."""
    c = _extract_text(tmp_path, f"Hà Tĩnh: công tác thanh tra năm 2017\n\n{sentence} "
                      "Năm 2017, tỉnh Hà Tĩnh đã kỷ luật 142 cán bộ, công chức.\n")
    statuses = dict(c.execute("SELECT surface, status FROM figures").fetchall())
    assert statuses.get("155") == "disciplined", statuses
    values = [r[0] for r in c.execute("SELECT value FROM figure_metrics WHERE metric LIKE '%disciplined'").fetchall()]
    assert 142 in values and 155 not in values, values


def test_stock_of_an_early_year_review_takes_the_year_it_was_written(tmp_path):
    """'Ngày 7-2, …' and 'Năm 2016, …' in an undated record: the year's tallies are 2016's,
    the members the district has, told before the year's frame, are 2017's (spec §2: a
    stock with nothing stated is of the publication year)."""
    c = _extract_record(tmp_path, "Làm việc với Quận ủy quận 2",
                        "Ngày 7-2, đoàn công tác của Thành ủy làm việc với Quận ủy quận 2. Đảng bộ "
                        "quận có 4.690 đảng viên. Năm 2016, quận phát triển được 195 đảng viên.")
    got = dict(c.execute("SELECT metric, period_start FROM figure_metrics").fetchall())
    assert got == {"party_members": 2017, "admissions": 2016}


def test_an_articles_exact_figure_stands_for_its_rounded_restatement(tmp_path):
    """"Hơn 200 đảng viên" in the title and 201 in the body of one article are one figure:
    figure_metrics keeps the exact one (numbers.ROUNDED_BANDS); a rounded figure with no
    exact twin, or one too far from it, stays."""
    c = _extract_text(tmp_path, "Hơn 200 đảng viên ở TP HCM bị kỷ luật\n\nNăm 2017, Thành ủy TP HCM cho "
                      "biết toàn thành phố có tổng cộng 201 đảng viên bị thi hành kỷ luật. Năm 2017, "
                      "Đảng bộ tỉnh Nghệ An đã kỷ luật hơn 300 đảng viên.\n")
    got = sorted(c.execute("SELECT subject_name, value, qualifier FROM figure_metrics "
                           "WHERE metric = 'members_disciplined'").fetchall())
    assert got == [("Hồ Chí Minh", 201.0, "exact"), ("Nghệ An", 300.0, "more_than")], got
    assert c.execute("SELECT count(*) FROM figure_metrics_all WHERE metric = 'members_disciplined' "
                     "AND value = 200").fetchone()[0] == 1


def test_a_half_years_tally_is_another_period_than_its_years(tmp_path):
    """unit_metrics keeps a tally of "6 tháng đầu năm 2017" apart from the year's (column
    period_part), instead of choosing between the two as if they disagreed."""
    c = _extract_record(
        tmp_path, "Kết quả công tác kiểm tra",
        "Trong 6 tháng đầu năm 2017, Đảng bộ tỉnh Nghệ An đã thi hành kỷ luật 94 đảng viên.",
        ("Tổng kết năm 2017", "Năm 2017, Đảng bộ tỉnh Nghệ An đã thi hành kỷ luật 230 đảng viên."))
    got = sorted(c.execute("SELECT period_start, period_part, value, n_figures FROM unit_metrics "
                           "WHERE metric = 'members_disciplined'").fetchall(), key=str)
    assert got == [(2017, "H1", 94.0, 1), (2017, None, 230.0, 1)], got
    latest = c.execute("SELECT value, period_part FROM latest_metrics WHERE metric = 'members_disciplined'").fetchone()
    assert latest == (230.0, None)  # a whole year before a part of it


def test_a_restated_or_agreeing_figure_takes_the_part_of_the_year_it_is_told_with(tmp_path):
    """The title's "111 đảng viên" is the body's "Trong 9 tháng, … 111 đảng viên": one
    nine-month figure; an undated record agreeing with "6 tháng đầu năm 2017" elsewhere is
    2017's first half, not its year."""
    c = _extract_record(
        tmp_path, "Đà Nẵng thi hành kỷ luật 111 đảng viên",
        "Trong 9 tháng, Đảng bộ thành phố Đà Nẵng đã thi hành kỷ luật 111 đảng viên.",
        ("Hội nghị sơ kết", "Cả nước đã thi hành kỷ luật 6.098 đảng viên."),
        ("Kết quả 6 tháng", "Trong 6 tháng đầu năm 2017, cả nước đã thi hành kỷ luật 6.098 đảng viên."))
    got = sorted(c.execute("SELECT article_id, period_start, period_part FROM figure_metrics "
                           "WHERE metric = 'members_disciplined'").fetchall(), key=str)
    assert got == [("r1", None, "9M"), ("r1", None, "9M"), ("r2", 2017, "H1"), ("r3", 2017, "H1")], got
    assert c.execute("SELECT count(*) FROM unit_metrics WHERE metric = 'members_disciplined' "
                     "AND subject_name = 'Đà Nẵng'").fetchone()[0] == 1


def test_years_counted_back_from_an_unknown_time_of_writing(tmp_path):
    """An undated record: "Trong 5 năm qua" and "Hai năm trước" name years counted back from
    the time of writing (figures keep period null, spec §2, and period_back_*); the views
    count them back from the year the article was written, not give them that year."""
    c = _extract_record(
        tmp_path, "Hội nghị tổng kết",
        "Ngày 12/12/2017, huyện Lập Thạch tổng kết công tác xây dựng Đảng. "
        "Trong 5 năm qua, Đảng bộ huyện Lập Thạch đã kết nạp 900 đảng viên. "
        "Hai năm trước, Đảng bộ huyện Lập Thạch có 5.000 đảng viên.")
    got = c.execute("SELECT surface, period_start, period_end, period_back_start, period_back_end FROM figures "
                    "ORDER BY span_start").fetchall()
    assert got == [("900", None, None, 5, 0), ("5.000", None, None, 2, 2)], got
    got = sorted(c.execute("SELECT metric, period_start, period_end, period_source FROM figure_metrics").fetchall())
    assert got == [("admissions", 2012, 2017, "article"), ("party_members", 2015, 2015, "article")], got


def test_a_flow_beyond_its_share_of_the_units_members_is_implausible(tmp_path):
    """A term's admissions read as one year's (the period comes from the article's year
    alone) are a fifth of the province's members told beside them: no province admits that
    many in a year (data/plausible_shares.tsv), so the figure fails `plausible` and leaves
    unit_metrics; stated over the term's years, the same number is plausible, and a stock of
    another time measures nothing."""
    c = _extract_record(
        tmp_path, "Kiên Giang tổng kết",
        "Năm 2019, tỉnh Kiên Giang đạt nhiều kết quả.\n"
        "Đảng bộ tỉnh Kiên Giang đã phát triển được 11.507 đảng viên, nâng toàn Đảng bộ có 59.147 đảng viên.",
        ("Kiên Giang nhiệm kỳ", "Từ năm 2015 đến năm 2019, Đảng bộ tỉnh Kiên Giang đã kết nạp "
         "11.507 đảng viên, nâng toàn Đảng bộ có 59.147 đảng viên."),
        ("Kiên Giang xưa và nay", "Năm 1960, Đảng bộ tỉnh Kiên Giang có 5.000 đảng viên. Năm 2019, "
         "Đảng bộ tỉnh Kiên Giang kết nạp 1.200 đảng viên."))
    got = sorted(c.execute("SELECT article_id, period_start, period_end, plausible, bound_max FROM figure_metrics_all "
                           "WHERE metric = 'admissions'").fetchall(), key=str)
    assert got == [("r1", 2019, 2019, False, 0.10 * 59147), ("r2", 2015, 2019, True, 20000.0 * 5),
                   ("r3", 2019, 2019, True, 20000.0)], got  # (a stock of 1960 measures no flow of 2019)
    why = c.execute("SELECT bound_reason FROM implausible_metrics WHERE metric = 'admissions'").fetchone()[0]
    assert "tenth of its members" in why
    assert c.execute("SELECT value FROM unit_metrics WHERE metric = 'admissions' AND period_start = 2019 "
                     "AND period_end = 2019").fetchall() == [(1200.0,)]
    ok = c.execute("SELECT ok FROM checks WHERE rule = 'plausible' AND article_id = 'r1' "
                   "AND figure_ids[1] IN (SELECT figure_id FROM figures WHERE surface = '11.507')").fetchall()
    assert ok == [(False,)], ok


def test_a_title_figure_keeps_the_part_of_the_year_when_the_year_is_inferred(tmp_path):
    """An undated record whose year comes from its text (articles.year, source 'program'):
    the title's "111 đảng viên" and the body's "Trong 9 tháng, … 111 đảng viên" both take
    that year, and the title the body's part: one nine-month row, not a whole year's too."""
    filler = ("Hội nghị đánh giá tình hình thực hiện nhiệm vụ chính trị, kinh tế - xã hội, quốc "
              "phòng - an ninh và công tác xây dựng Đảng của thành phố trong thời gian qua. ") * 6
    c = _extract_record(
        tmp_path, "Đà Nẵng thi hành kỷ luật 111 đảng viên",
        filler + "Thực hiện chương trình kiểm tra, giám sát của Thành uỷ năm 2017, Ban Thường vụ "
        "đã lập 5 đoàn kiểm tra.\nTrong 9 tháng, Đảng bộ thành phố Đà Nẵng đã thi hành kỷ luật 111 đảng viên.")
    got = sorted(c.execute("SELECT period_start, period_part, period_source FROM figure_metrics "
                           "WHERE metric = 'members_disciplined'").fetchall(), key=str)
    assert got == [(2017, "9M", "article"), (2017, "9M", "article")], got
    assert c.execute("SELECT count(*) FROM unit_metrics WHERE metric = 'members_disciplined'").fetchone() == (1,)


def test_a_title_figure_takes_the_period_its_article_tells_it_with(tmp_path):
    """A title's figure is dated by its own words only (no year: period null, like the gold),
    but the views give it the period of the body's telling of the same unit, metric and
    value (period_source 'retold'), so title and body are one row of unit_metrics."""
    c = _extract_record(
        tmp_path, "Đà Nẵng kỷ luật 512 đảng viên",
        "Nhiệm kỳ 2010-2015, Đảng bộ thành phố Đà Nẵng đã thi hành kỷ luật 512 đảng viên. "
        "Ngày 12/3/2016, Thành ủy tổng kết công tác kiểm tra.")
    assert c.execute("SELECT period_start, period_end FROM figures WHERE span_start < 40").fetchone() == (None, None)
    got = sorted(c.execute("SELECT period_start, period_end, period_source FROM figure_metrics "
                           "WHERE metric = 'members_disciplined'").fetchall(), key=str)
    assert got == [(2010, 2015, "figure"), (2010, 2015, "retold")], got
    assert c.execute("SELECT count(*), max(n_figures) FROM unit_metrics "
                     "WHERE metric = 'members_disciplined'").fetchone() == (1, 2)


def test_a_title_figure_dated_by_its_own_words_keeps_its_period(tmp_path):
    """A title that dates its figure itself ("Năm 2017, …") is not the body's figure told
    with no time: the views keep its own year beside the body's term."""
    c = _extract_record(
        tmp_path, "Năm 2017, Đà Nẵng kỷ luật 512 đảng viên",
        "Nhiệm kỳ 2010-2015, Đảng bộ thành phố Đà Nẵng đã thi hành kỷ luật 512 đảng viên.")
    got = sorted(c.execute("SELECT period_start, period_end, period_source FROM figure_metrics "
                           "WHERE metric = 'members_disciplined'").fetchall(), key=str)
    assert got == [(2010, 2015, "figure"), (2017, 2017, "figure")], got


def test_a_dated_title_figure_takes_its_body_period_in_the_views(tmp_path):
    """In a dated record the title's figure has the publication year (spec §2: nothing
    stated), but it is the body's figure told again: the views give it the body's period
    ('retold'), so no false row of the publication year appears in unit_metrics."""
    import json
    src = tmp_path / "d.jsonl"
    rec = {"id": "d1", "title": "Đà Nẵng kỷ luật 512 đảng viên", "url": None, "published": "2016-03-20",
           "text": "Nhiệm kỳ 2010-2015, Đảng bộ thành phố Đà Nẵng đã thi hành kỷ luật 512 đảng viên."}
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "d.duckdb"
    extract([str(src)], str(db), quiet=True)
    c = duckdb.connect(str(db))
    assert c.execute("SELECT period_start, period_end FROM figures WHERE span_start < 30").fetchone() == (2016, 2016)
    got = sorted(c.execute("SELECT period_start, period_end, period_source FROM figure_metrics "
                           "WHERE metric = 'members_disciplined'").fetchall(), key=str)
    assert got == [(2010, 2015, "figure"), (2010, 2015, "retold")], got
    assert c.execute("SELECT count(*) FROM unit_metrics WHERE metric = 'members_disciplined'").fetchone() == (1,)

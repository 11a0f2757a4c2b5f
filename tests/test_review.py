"""Review pages: built from the sample corpus plus a hostile article, checked as HTML and
in a real headless browser (Debian's chromium; .ci/run installs it, locally the browser
tests skip when it is missing)."""
import re
import shutil
import subprocess

import duckdb
import pytest
from conftest import ROOT

from pipeline.review import build, page_name
from pipeline.run import extract

# Markup in an article must stay text: none of this may become an element or run.
HOSTILE = (
    "<script>document.title='pwned'</script> Tin <img src=x onerror=\"document.title='pwned'\"> & \"q\"\n"
    "Đảng bộ huyện Đạ Tẻh có 36 tổ chức cơ sở đảng (13 đảng bộ cơ sở và 20 chi bộ cơ sở) "
    "</mark><script>document.title='pwned'</script><a href=\"javascript:alert(1)\">x</a> "
    "với 2.257 đảng viên.\n")
HOSTILE_ID = "zz_hostile.txt"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    d = tmp_path_factory.mktemp("review")
    corpus = d / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / HOSTILE_ID).write_text(HOSTILE, encoding="utf-8")
    db = d / "figures.duckdb"
    extract([str(corpus)], str(db), quiet=True)
    out = d / "site"
    summary = build(db, out)
    con = duckdb.connect(str(db), read_only=True)
    n_figs = dict(con.execute("SELECT article_id, count(*) FROM figures GROUP BY 1").fetchall())
    con.close()
    return {"out": out, "summary": summary, "n_figs": n_figs, "db": db}


def _marks(html: str) -> list[str]:
    return re.findall(r'<mark class="entity fig[^"]*" id="fig-([0-9a-f]+)"', html)


def test_index_lists_every_article(site):
    index = (site["out"] / "index.html").read_text("utf-8")
    for article_id in site["n_figs"]:
        assert f'href="a/{page_name(article_id)}"' in index
        assert (site["out"] / "a" / page_name(article_id)).exists()
    assert "Lập Thạch" in index and "Vĩnh Phúc" in index
    assert site["summary"]["failed checks"] >= 1  # the hostile article's 36 ≠ 13 + 20


def test_one_mark_per_figure(site):
    for article_id, n in site["n_figs"].items():
        html = (site["out"] / "a" / page_name(article_id)).read_text("utf-8")
        assert len(_marks(html)) == n, article_id


def test_hostile_text_is_escaped(site):
    html = (site["out"] / "a" / page_name(HOSTILE_ID)).read_text("utf-8")
    assert "<img" not in html and 'href="javascript' not in html
    assert html.count("<script") == 2  # the panel's JSON block and our own script
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in html or \
        "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html
    index = (site["out"] / "index.html").read_text("utf-8")
    assert "<img" not in index and "<script>document" not in index


def test_failed_check_is_shown(site):
    html = (site["out"] / "a" / page_name(HOSTILE_ID)).read_text("utf-8")
    assert "1 failed" in html and "FAILED" in html
    assert 'class="entity fig bad"' in html


# ---------------------------------------------------------------- real browser

def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


CHROMIUM = _chromium()
needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium; .ci/run does this)")


def _browser(tmp_path, *args, url):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000",
           *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@needs_browser
def test_browser_dom_has_marks_and_panel(site, tmp_path):
    article_id = "000_95e0e24651da9e40.txt"
    url = (site["out"] / "a" / page_name(article_id)).as_uri()
    dom = _browser(tmp_path, "--dump-dom", url=url).stdout
    assert len(_marks(dom)) == site["n_figs"][article_id]
    # the script ran (CSP lets our hashed script through): the panel lists the first figure
    panel = dom[dom.index('id="panel-body"'):]
    assert "<dt>figure_id</dt>" in panel and "<dt>entity</dt>" in panel


@needs_browser
def test_browser_hostile_page_stays_inert(site, tmp_path):
    url = (site["out"] / "a" / page_name(HOSTILE_ID)).as_uri()
    dom = _browser(tmp_path, "--dump-dom", url=url).stdout
    assert "<title>" in dom and "pwned</title>" not in dom
    assert "<img" not in dom
    assert len(_marks(dom)) == site["n_figs"][HOSTILE_ID]


@needs_browser
def test_browser_screenshot_is_not_blank(site, tmp_path):
    import matplotlib.image

    shot = tmp_path / "review.png"
    url = (site["out"] / "a" / page_name("000_95e0e24651da9e40.txt")).as_uri()
    _browser(tmp_path, f"--screenshot={shot}", "--window-size=1280,1400", url=url)
    assert shot.exists() and shot.stat().st_size > 10_000
    img = matplotlib.image.imread(str(shot))
    assert img.std() > 0.05  # text, marks and tables, not an empty page
    colours = {tuple(px) for px in img[::7, ::7, :3].reshape(-1, 3).round(2).tolist()}
    assert len(colours) > 20  # the highlight colours are there

"""Whole runs: incremental re-runs, pruning, duplicates, atomic swap under SIGKILL,
readers holding the database open, the lock, exit codes (issues 5 and 6)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from conftest import ROOT

from pipeline import store
from pipeline.run import extract

CORPUS = ROOT / "corpus"


def _rows(db, q="SELECT * EXCLUDE (extracted_at) FROM articles ORDER BY article_id"):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(q).fetchall()
    finally:
        con.close()


def _figures(db):
    return _rows(db, "SELECT * FROM figures ORDER BY figure_id")


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "corpus"
    shutil.copytree(CORPUS, d)
    return d


def test_nothing_changed_leaves_the_file_alone(corpus, tmp_path):
    db = tmp_path / "f.duckdb"
    first = extract([str(corpus)], str(db), quiet=True, workers=1)
    assert first["changed"] and first["extracted"] == 5
    stat = db.stat()
    again = extract([str(corpus)], str(db), quiet=True, workers=1)
    assert again["changed"] is False and again["extracted"] == 0 and again["unchanged"] == 5
    assert db.stat().st_mtime_ns == stat.st_mtime_ns and db.stat().st_ino == stat.st_ino


def test_changed_article_is_redone_and_removed_one_pruned(corpus, tmp_path):
    db = tmp_path / "f.duckdb"
    extract([str(corpus)], str(db), quiet=True, workers=1)
    before = _figures(db)
    victim = corpus / "001_46a7292ef098acaa.txt"  # Bến Tre: "686 tổ chức cơ sở đảng"
    text = victim.read_text(encoding="utf-8")
    assert "686 tổ chức cơ sở đảng" in text
    victim.write_text(text.replace("686 tổ chức cơ sở đảng", "700 tổ chức cơ sở đảng"), encoding="utf-8")
    s = extract([str(corpus)], str(db), quiet=True, workers=1)
    assert s["extracted"] == 1 and s["unchanged"] == 4
    after = _figures(db)
    surfaces = {r[4] for r in after if r[1] == victim.name}
    assert "700" in surfaces and "686" not in surfaces
    # the other articles' rows are carried over exactly
    assert [r for r in before if r[1] != victim.name] == [r for r in after if r[1] != victim.name]

    gone = sorted(corpus.glob("*.txt"))[-1]
    gone.unlink()
    kept = extract([str(corpus)], str(db), quiet=True, workers=1)
    assert kept["kept_not_in_input"] == 1
    assert len(_rows(db)) == 5
    pruned = extract([str(corpus)], str(db), quiet=True, workers=1, prune=True)
    assert pruned["pruned"] == 1
    assert gone.name not in {r[0] for r in _rows(db)}
    assert not [r for r in _figures(db) if r[1] == gone.name]


def test_rules_version_change_redoes_everything(corpus, tmp_path, monkeypatch):
    db = tmp_path / "f.duckdb"
    other = tmp_path / "other"
    other.mkdir()
    (other / "empty.txt").write_text("", encoding="utf-8")  # an old failure from elsewhere, kept
    extract([str(other)], str(db), quiet=True, workers=1)
    extract([str(corpus)], str(db), quiet=True, workers=1)
    import pipeline.run as run
    monkeypatch.setattr(run, "rules_version", lambda: "different")
    s = extract([str(corpus)], str(db), quiet=True, workers=1)
    assert s["extracted"] == 5 and s["changed"]
    assert [os.path.basename(r[0]) for r in _rows(db, "SELECT source FROM failures")] == ["empty.txt"]


def test_duplicate_texts_stored_once_with_both_sources(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    src = sorted(CORPUS.glob("*.txt"))[1]
    shutil.copy(src, d / "a.txt")
    shutil.copy(src, d / "b.txt")
    rec = {"id": "rec-1", "title": "", "text": src.read_text(encoding="utf-8")}
    (d / "more.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "f.duckdb"
    s = extract([str(d)], str(db), quiet=True, workers=1)
    assert s["articles"] == 1 and s["duplicates"] == 2
    assert [r[0] for r in _rows(db)] == ["a.txt"]
    sources = _rows(db, "SELECT article_id, source_id FROM article_sources ORDER BY source_id")
    assert sources == [("a.txt", "a.txt"), ("a.txt", "b.txt"), ("a.txt", "rec-1")]


def test_reader_holding_the_database_does_not_stop_a_run(corpus, tmp_path):
    db = tmp_path / "f.duckdb"
    extract([str(corpus)], str(db), quiet=True, workers=1)
    reader = duckdb.connect(str(db), read_only=True)
    n_before = reader.execute("SELECT count(*) FROM figures").fetchone()[0]
    victim = sorted(corpus.glob("*.txt"))[2]
    title, rest = victim.read_text(encoding="utf-8").split("\n", 1)
    victim.write_text(f"{title}\n\nToàn huyện kết nạp thêm 12 đảng viên.\n{rest}", encoding="utf-8")
    s = extract([str(corpus)], str(db), quiet=True, workers=1)
    assert s["changed"] and s["extracted"] == 1
    # the open reader keeps its snapshot: never half a run
    assert reader.execute("SELECT count(*) FROM figures").fetchone()[0] == n_before
    reader.close()
    assert _rows(db, "SELECT count(*) FROM figures")[0][0] == n_before + 1


def test_second_writer_is_refused_clearly(corpus, tmp_path):
    db = tmp_path / "f.duckdb"
    with store.locked(db):
        with pytest.raises(store.StoreError, match="another extraction"):
            extract([str(corpus)], str(db), quiet=True, workers=1)


def _big_jsonl(path, n):
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            t = texts[i % len(texts)] + f"\n\nBản tin số {i}: huyện kết nạp {i + 1} đảng viên."
            fh.write(json.dumps({"id": f"a{i:05d}", "title": f"Bài {i}", "text": t}, ensure_ascii=False) + "\n")


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True,
                          text=True, **kw)


def test_sigkill_mid_run_leaves_the_old_database(tmp_path):
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    _big_jsonl(small, 5)
    _big_jsonl(big, 1500)
    db = tmp_path / "f.duckdb"
    assert _cli("extract", str(small), "--db", str(db), "--quiet", "--workers", "1").returncode == 0
    before = _figures(db)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(big), "--db", str(db),
                             "--quiet", "--workers", "2"], cwd=ROOT)
    building = store.building_path(db)
    deadline = time.time() + 60
    while not building.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)  # well into writing the new file
    assert proc.poll() is None, "the run finished before it could be killed; make the input bigger"
    proc.send_signal(signal.SIGKILL)  # the main process; its pool workers die with it
    proc.wait()
    # the database is exactly the one before the run, and opens cleanly
    assert _figures(db) == before
    # the next run cleans up and completes
    r = _cli("extract", str(big), "--db", str(db), "--quiet", "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert not building.exists()
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 1500  # the small file is its first 5


def test_bad_corpus_exit_codes(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(sorted(CORPUS.glob("*.txt"))[0], d / "good.txt")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (d / "empty.txt").write_bytes(b"")
    (d / "big.txt").write_text("Huyện có 5 chi bộ. " * 200_000, encoding="utf-8")  # ~4 MB
    (d / "lines.jsonl").write_text('{"id": "ok", "title": "T", "text": "Xã có 12 chi bộ."}\n{oops\n',
                                   encoding="utf-8")
    db = tmp_path / "f.duckdb"
    r = _cli("extract", str(d), "--db", str(db), "--max-mb", "1")
    assert r.returncode == 0, r.stderr
    reasons = dict(_rows(db, "SELECT source, reason FROM failures"))
    assert set(map(os.path.basename, reasons)) >= {"binary.txt", "empty.txt", "big.txt"}
    assert any("lines.jsonl:2" in s for s in reasons)
    assert {r[0] for r in _rows(db)} == {"good.txt", "ok"}
    strict = _cli("extract", str(d), "--db", str(db), "--max-mb", "1", "--strict")
    assert strict.returncode == 1
    assert "failed" in strict.stderr


def test_unreadable_existing_database_is_a_clear_error(tmp_path, corpus):
    db = tmp_path / "f.duckdb"
    db.write_bytes(b"this is not a duckdb file at all" * 100)
    r = _cli("extract", str(corpus), "--db", str(db))
    assert r.returncode == 2
    assert "cannot open the existing database" in r.stderr
    assert db.read_bytes().startswith(b"this is not")  # the user's file is not touched


def test_every_bad_and_odd_input_in_one_run(tmp_path):
    """Issue 6's corpus: the sample article in every encoding, as an HTML page, under a
    second name, beside binary, empty, oversized, malformed and truncated files.  One
    run: exit 0, every bad file in `failures`, every good one stored (identical texts once)."""
    import gzip

    from test_ingest import ENCODED, expected

    src = CORPUS / "000_95e0e24651da9e40.txt"
    original = src.read_text(encoding="utf-8")
    d = tmp_path / "in"
    d.mkdir()
    for kind, enc in ENCODED.items():
        (d / f"enc-{kind}.txt").write_bytes(enc(original))
    title, body = original.split("\n", 1)
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
    (d / "page.html").write_text(f"<html><head><title>{title}</title><script>var x = 99;</script></head>"
                                 f"<body><nav>Trang chủ 1 2 3</nav><article><h1>{title}</h1>{paras}"
                                 f"</article><footer>Hotline 0969.082.115</footer></body></html>",
                                 encoding="utf-8")
    shutil.copy(src, d / "copy-of-sample.txt")
    bad = {"binary.txt": bytes(range(256)) * 20, "empty.txt": b"", "blank.txt": b" \n\n \t\n",
           "big.txt": ("Huyện có 5 chi bộ. " * 70_000).encode("utf-8")}
    for name, raw in bad.items():
        (d / name).write_bytes(raw)
    good = json.dumps({"id": "rec-ok", "title": "T", "text": "Xã có 12 chi bộ trực thuộc."}, ensure_ascii=False)
    (d / "lines.jsonl").write_text(good + "\n{not json\n" + '{"id": "no-text"}\n', encoding="utf-8")
    blob = gzip.compress((good.replace("rec-ok", "gz-ok") + "\n" + good.replace("rec-ok", "gz-2") + "\n").encode())
    (d / "cut.jsonl.gz").write_bytes(blob[:-12])  # truncated mid-stream

    db = tmp_path / "f.duckdb"
    r = _cli("extract", str(d), "--db", str(db), "--max-mb", "1", "--workers", "2")
    assert r.returncode == 0, r.stderr
    fails = _rows(db, "SELECT source, reason FROM failures")
    failed = {os.path.basename(s.split(":")[0]) for s, _ in fails}
    assert set(bad) <= failed
    assert {"lines.jsonl", "cut.jsonl.gz"} <= failed
    assert all(reason for _, reason in fails)
    # every good file is stored, as an article or as a further source of an identical one
    sources = dict(_rows(db, "SELECT source_id, article_id FROM article_sources"))
    for kind in ENCODED:
        assert f"enc-{kind}.txt" in sources, kind
        if expected(kind, original) == original:  # decoded to the very same text: stored once
            assert sources[f"enc-{kind}.txt"] == sources["copy-of-sample.txt"], kind
    assert {"page.html", "copy-of-sample.txt", "rec-ok"} <= set(sources)
    n_sample = _rows(db, f"SELECT n_figures FROM articles WHERE article_id = '{sources['copy-of-sample.txt']}'")
    assert n_sample[0][0] >= 15
    # the HTML page keeps the article's figures and none of the page furniture's
    html_surfaces = {s for (s,) in _rows(db, "SELECT surface FROM figures WHERE article_id = 'page.html'")}
    assert {"63", "8.000", "27/63", "42,85%"} <= html_surfaces
    assert not {"99", "0969.082.115"} & html_surfaces
    assert _rows(db, "SELECT count(*) FROM figures f JOIN articles a USING (article_id) "
                     "WHERE substr(a.text, f.span_start + 1, f.span_end - f.span_start) <> f.surface")[0][0] == 0

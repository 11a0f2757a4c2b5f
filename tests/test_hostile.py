"""Hostile text (issue #6): nothing in the pipeline may hang, crash or break the span
invariant, whatever the input.

(a) long runs of digits, separators, spaces, names and unpunctuated lines finish fast:
    a regex driven into catastrophic backtracking, or work that grows with the square of
    a sentence, would blow the (generous) time bound;
(b) property tests: random text through the number parser and the whole extractor;
(c) property tests: random Vietnamese text round-trips through every encoding decode reads.
"""
import math
import re
import time
import unicodedata

import pytest
from conftest import ROOT, run
from test_ingest import cp1258, tcvn3_view  # the encoders the ingest tests define
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import decode as dec
from pipeline import numbers
from pipeline.ingest import read_paths

BOUND = 5.0  # seconds; exponential or quadratic behaviour on these inputs takes minutes
DENSE_BOUND = 10.0  # figure-dense runs: about 2 s when linear, 40 s and more when quadratic

N = 50_000
HOSTILE = {
    "digits": "1" * N,
    "dots": "." * N,
    "commas": "," * N,
    "slashes": "/" * N,
    "spaces": " " * N,
    "newlines": "\n" * N,
    "dotted_ones": "1." * (N // 2),
    "slashed_ones": "1/" * (N // 2),
    "comma_ones": "1," * (N // 2),
    "dashed_ones": "1-" * (N // 2),
    "nbsp_ones": "1\u00a0" * (N // 2),
    "thousands_run": "8.000." * (N // 6),
    "dotted_millions": "1.000.000" * (N // 9),
    "decimal_commas": "1,5 " * (N // 4),
    "mixed_separators": "12 , 3 . 4 / " * (N // 13),
    "spaced_dashes": "1 - 2 - " * (N // 8),
    "parens": "(" * (N // 2) + "5" + ")" * (N // 2),
    "names": "Nguyễn Văn An " * (N // 14),
    "names_with_numbers": "Nguyễn Văn An 5 Trần Thị Bình 12 " * (N // 33),
    "capitalised_run": "Đảng Bộ Huyện Lập Thạch Tỉnh Vĩnh Phúc " * (N // 40),
    "capitals": "ĐẢNG BỘ HUYỆN 63 TCCSĐ " * (N // 23),
    "number_words": "hai mươi lăm " * (N // 13),
    "unpunctuated": "đảng viên mới được kết nạp trong năm qua tăng 12 người so với cùng kỳ " * (N // 72),
    "one_long_line": ("Huyện có 63 tổ chức cơ sở đảng và 8.000 đảng viên đạt 42,85% " * (N // 61)),
    "dates": "ngày 12/3/2024 " * (N // 15),
    "ids": "Quyết định số 123/QĐ-UBND " * (N // 26),
    "phone_numbers": "0969.082.115 " * (N // 13),
    "nine_hundred_digits": "9" * 900 + " đảng viên",
}
# Figure-dense runs (a figure every few characters in one sentence) cost more per
# character than anything real: 20,000 characters of them.
M = 20_000
DENSE = {
    "percents": "1% " * (M // 3),
    "ratios": "27/63 " * (M // 6),
    "open_parens": "(1% " * (M // 4),
    "close_parens": "1%) " * (M // 4),
    "list_items": "Thạnh Phú 10; " * (M // 14),
    "targets": "(kế hoạch 100 đảng viên) " * (M // 25),
}
HOSTILE.update(DENSE)


def _check(doc):
    for f in doc.figures:
        assert doc.text[f.start:f.end] == f.surface
        for v in (f.value, f.numerator, f.denominator, f.low, f.high):
            assert v is None or math.isfinite(v), (f.surface, v)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_finishes_fast(name):
    text = HOSTILE[name]
    t0 = time.perf_counter()
    doc = run(text)
    took = time.perf_counter() - t0
    bound = DENSE_BOUND if name in DENSE else BOUND
    assert took < bound, f"{name}: {took:.1f}s for {len(text):,} characters"
    _check(doc)


def test_hostile_file_through_read_paths(tmp_path):
    (tmp_path / "a.txt").write_text("Tiêu đề\n\n" + HOSTILE["mixed_separators"], encoding="utf-8")
    (tmp_path / "b.html").write_text("<div>" * 5000 + "x", encoding="utf-8")
    t0 = time.perf_counter()
    items = list(read_paths([str(tmp_path)]))
    assert time.perf_counter() - t0 < BOUND
    assert [type(x).__name__ for x in items] == ["Article", "Failure"]
    assert "nested too deeply" in items[1].reason


# -- (b) properties -------------------------------------------------------------------

NUMBERISH = st.text(alphabet="0123456789.,/% -", min_size=0, max_size=40)
WORDS = st.lists(st.sampled_from(["một", "hai", "ba", "mươi", "mười", "trăm", "linh", "lẻ", "nghìn",
                                  "triệu", "tỷ", "năm", "không", "tư", "lăm", "mốt", "x"]),
                 max_size=8).map(" ".join)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _number_or_refusal(fn, *args):
    try:
        v = fn(*args)
    except numbers.NotANumber:  # the documented refusal
        return None
    assert isinstance(v, (int, float)) and not isinstance(v, bool)
    assert math.isfinite(v), (args, v)
    return v


@FAST
@given(st.one_of(NUMBERISH, st.text(max_size=40), WORDS))
def test_parse_numeral_and_value_of_only_refuse(s):
    _number_or_refusal(numbers.parse_numeral, s)
    _number_or_refusal(numbers.value_of, s)


@FAST
@given(st.one_of(NUMBERISH, WORDS), st.sampled_from(["nghìn", "ngàn", "vạn", "triệu", "tỷ", "xyz", " triệu "]))
def test_value_of_with_scale_only_refuses(s, scale):
    _number_or_refusal(numbers.value_of, s, scale)


def test_value_of_huge_numerals_are_refused_not_infinite():
    assert _number_or_refusal(numbers.parse_numeral, "9" * 400) is None
    assert _number_or_refusal(numbers.value_of, "9" * 300, "tỷ") is None


VIET_CHARS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIET_TEXT = st.text(alphabet=VIET_CHARS + VIET_CHARS.upper() + "0123456789 .,;:%/()-\n\u00a0\u0301\u0323",
                    max_size=300)
SENTENCE_PARTS = st.lists(st.sampled_from([
    "Huyện", "có", "63", "tổ chức cơ sở đảng", "8.000", "đảng viên", "42,85%", "27/63", "TCCSĐ",
    "đạt", "trong sạch, vững mạnh", "kết nạp", "hơn", "gần", "(", ")", ";", ".", ",", "\n", "năm 2024",
    "12/3/2024", "hai mươi lăm", "3,2 nghìn", "tỷ lệ", "chiếm", "so với", "kế hoạch", "1.000.000 đồng",
    "Nguyễn Văn An", "Đảng bộ xã", "chi bộ", "Ð", "hoà", "uỷ", "\u00a0", "–", "…", "“", "”"]), max_size=60).map(" ".join)


@FAST
@given(st.one_of(st.text(max_size=400), VIET_TEXT, SENTENCE_PARTS))
def test_extractor_never_raises_and_spans_hold(text):
    _check(run(text))


@FAST
@given(SENTENCE_PARTS, st.sampled_from([None, "2024-01-01", "1999-12-31"]))
def test_extractor_without_or_with_date(text, published):
    _check(run(text, published))


# -- (c) decode round trips -----------------------------------------------------------

CORPUS_SENTENCES = sorted({s.strip() for f in sorted((ROOT / "corpus").glob("*.txt"))
                           for s in re.split(r"(?<=[.!?])\s+|\n+", f.read_text(encoding="utf-8"))
                           if len(s.split()) >= 8})
VIET_LOWER_TEXT = st.text(alphabet=VIET_CHARS + " .,;:%/()-\n0123456789", min_size=1, max_size=300)
VIET_WORDS = st.lists(st.sampled_from(
    ["đảng", "viên", "huyện", "ủy", "tổ", "chức", "cơ", "sở", "kết", "nạp", "mới", "được", "người",
     "chi", "bộ", "trong", "sạch", "vững", "mạnh", "năm", "qua", "Đảng", "Huyện", "Xã", "Ủy", "Ban",
     "thường", "vụ", "nghị", "quyết", "tăng", "giảm", "chiếm", "tỷ", "lệ", "đạt", "hơn", "63", "8.000",
     "42,85%", "Lập", "Thạch", "Nguyễn", "Việt", "Phương", "khuya", "quyết", "giữ", "gìn", "ngoằn"]),
    min_size=6, max_size=80).map(" ".join)


# Vietnamese-ish text: a few real sentences, shuffled, with random words between them.
# (A handful of words can be ambiguous: "vụ" in TCVN3 is "vô" in Windows-1258, and both
# are words; a sentence is not.)
VIET_ISH = st.lists(st.one_of(st.sampled_from(CORPUS_SENTENCES), VIET_WORDS), min_size=1, max_size=4).map(
    " ".join).filter(lambda s: len(s.split()) >= 8)


@FAST
@given(VIET_ISH)
def test_decode_round_trips_every_encoding(s):
    s = unicodedata.normalize("NFC", s).replace("\u00d0", "\u0110")  # Ð: not in the legacy sets
    assert dec.decode(s.encode("utf-8")).text == s
    assert dec.decode(s.encode("utf-8-sig")).text == s
    assert dec.decode(s.encode("utf-16")).text == s
    assert dec.decode(s.encode("utf-16-le")).text == s
    assert dec.decode(s.encode("utf-16-be")).text == s
    assert dec.decode(unicodedata.normalize("NFD", s).encode("utf-8")).text == s
    assert dec.decode(cp1258(s)).text == s
    assert dec.decode(dec.encode_legacy(s, "vni")).text == s
    assert dec.decode(dec.encode_legacy(s, "tcvn3")).text == tcvn3_view(s)
    # UTF-8 read as Windows-1252 and saved again
    assert dec.decode(dec.cp1252_image(s.encode("utf-8")).encode("utf-8")).text == s


@FAST
@given(VIET_LOWER_TEXT)
def test_legacy_tables_are_inverse_of_each_other(s):
    """Character level: any Vietnamese text survives encode -> decode_legacy."""
    s = unicodedata.normalize("NFC", s)
    for name in ("vni", "tcvn3"):
        assert dec.decode_legacy(dec.encode_legacy(s, name), name) == s


@FAST
@given(st.binary(max_size=2000))
def test_decode_of_any_bytes_returns_text_or_a_reason(raw):
    try:
        d = dec.decode(raw)
    except dec.DecodeError as exc:
        assert exc.reason
        return
    assert unicodedata.is_normalized("NFC", d.text)
    assert d.encoding


def test_file_name_that_is_not_utf8_is_read_stored_and_reported(tmp_path):
    """Linux file names are bytes: one that is not UTF-8 must not abort the run."""
    import os

    import duckdb

    from pipeline.run import extract

    folder = tmp_path / "in"
    folder.mkdir()
    good = (ROOT / "corpus" / "000_95e0e24651da9e40.txt").read_bytes()
    other = (ROOT / "corpus" / "001_46a7292ef098acaa.txt").read_bytes()
    (folder / "000.txt").write_bytes(good)
    with open(os.path.join(os.fsencode(folder), b"b\xe0i-\xff.txt"), "wb") as fh:
        fh.write(other)
    with open(os.path.join(os.fsencode(folder), b"empty-\xfe.txt"), "wb"):
        pass  # a failure whose source is such a name is stored too
    db = tmp_path / "f.duckdb"
    summary = extract([str(folder)], str(db), quiet=True)
    assert summary["articles"] == 2 and summary["failures"] == 1
    con = duckdb.connect(str(db), read_only=True)
    ids = sorted(r[0] for r in con.execute("SELECT article_id FROM articles").fetchall())
    assert ids == ["000.txt", "b\\xe0i-\\xff.txt"]
    assert con.execute("SELECT count(*) FROM figures WHERE article_id = 'b\\xe0i-\\xff.txt'").fetchone()[0] > 10
    (source, reason), = con.execute("SELECT source, reason FROM failures").fetchall()
    assert source.endswith("empty-\\xfe.txt") and "empty" in reason


def test_full_disk_is_one_clear_line_and_exit_2(tmp_path, monkeypatch, capsys):
    """A write that fails for lack of space: the previous database survives, the user
    gets one line and exit status 2 (README), not a traceback."""
    import duckdb

    from pipeline import store
    from pipeline.__main__ import main

    db = tmp_path / "f.duckdb"
    assert main(["extract", str(ROOT / "corpus"), "--db", str(db), "--quiet"]) == 0
    before = db.read_bytes()

    def no_space(self, *a, **k):
        raise duckdb.IOException('Could not write file "x.building": No space left on device')

    monkeypatch.setattr(store.Builder, "finish", no_space)
    capsys.readouterr()
    # a changed input forces a rebuild
    extra = tmp_path / "extra.txt"
    extra.write_text("Huyện A\n\nĐảng bộ huyện có 63 tổ chức cơ sở đảng.", encoding="utf-8")
    assert main(["extract", str(ROOT / "corpus"), str(extra), "--db", str(db), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "unchanged" in err, err
    assert "Traceback" not in err
    assert db.read_bytes() == before
    assert not store.building_path(db).exists()

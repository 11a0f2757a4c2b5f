"""Bad input (issue #6): every case is built in tmp_path and must become either an
Article with the right text or a Failure with a clear reason; read_paths never raises."""
import gzip
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, table

from pipeline import decode as dec
from pipeline.doc import Article
from pipeline.extract import process
from pipeline.ingest import (DEFAULT_MAX_BYTES, Failure, expand, parse_date, read_jsonl, read_paths,
                             read_txt, record_to_article, title_end)

TITLE = "Huyện ủy Lập Thạch kết nạp 120 đảng viên"
BODY = ("Năm 2023, Đảng bộ huyện kết nạp 120 đảng viên, đạt 109% kế hoạch. Toàn huyện có "
        "63 tổ chức cơ sở đảng, trong đó 27/63 TCCSĐ đạt trong sạch, vững mạnh.")
ARTICLE = f"{TITLE}\n\n10:01 | 26/01/2018\n\n{BODY}\n"
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))


def one(path, **kw):
    items = list(read_paths([str(path)], **kw))
    assert len(items) == 1, items
    return items[0]


def article(path, **kw):
    item = one(path, **kw)
    assert isinstance(item, Article), item
    return item


def failure(path, **kw):
    item = one(path, **kw)
    assert isinstance(item, Failure), item
    return item


def cp1258(s: str) -> bytes:
    """Windows-1258 as Windows writes it: base letters precomposed, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", s.replace("\u00d0", "\u0110")):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out.append(base.encode("cp1258") + tones.encode("cp1258"))
    return b"".join(out)


def tcvn3_view(s: str) -> str:
    """``s`` as TCVN3 can hold it: toned capitals it lacks become lower case, Ð is Đ."""
    inv = dec.LEGACY["tcvn3"].inverse
    s = unicodedata.normalize("NFC", s.replace("\u00d0", "\u0110"))
    return "".join(c if c in inv or c.isascii() or c.lower() not in inv else c.lower() for c in s)


# -- encodings ------------------------------------------------------------------------

ENCODED = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8-bom": lambda s: s.encode("utf-8-sig"),
    "utf-16-bom": lambda s: s.encode("utf-16"),
    "utf-16-le-bom": lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
    "utf-16-be-bom": lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
    "utf-16-le-no-bom": lambda s: s.encode("utf-16-le"),
    "utf-16-be-no-bom": lambda s: s.encode("utf-16-be"),
    "utf-32-bom": lambda s: s.encode("utf-32"),
    "nfd": lambda s: unicodedata.normalize("NFD", s).encode("utf-8"),
    "cp1258": cp1258,
    "tcvn3": lambda s: dec.encode_legacy(s, "tcvn3"),
    "vni": lambda s: dec.encode_legacy(s, "vni"),
    "mojibake": lambda s: dec.cp1252_image(s.encode("utf-8")).encode("utf-8"),
    "double-mojibake": lambda s: dec.cp1252_image(dec.cp1252_image(s.encode()).encode()).encode(),
    "vni-in-unicode": lambda s: dec.cp1252_image(dec.encode_legacy(s, "vni")).encode("utf-8"),
    "tcvn3-in-unicode": lambda s: dec.cp1252_image(dec.encode_legacy(s, "tcvn3")).encode("utf-8"),
}


def expected(kind: str, s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    if "tcvn3" in kind:
        return tcvn3_view(s)
    if kind in ("cp1258", "vni") or kind.startswith("vni"):
        return s.replace("\u00d0", "\u0110")  # neither has Ð (U+00D0): written as Đ
    return s


@pytest.mark.parametrize("kind", sorted(ENCODED))
def test_txt_in_every_encoding_reads_as_the_utf8_original(tmp_path, kind):
    p = tmp_path / "a.txt"
    p.write_bytes(ENCODED[kind](ARTICLE))
    a = article(p)
    assert a.text == expected(kind, ARTICLE)
    assert a.title == expected(kind, TITLE)
    assert str(a.published) == "2018-01-26"
    assert a.article_id == "a.txt"


@pytest.mark.parametrize("kind", ["cp1258", "tcvn3", "vni", "utf-16-le-no-bom", "mojibake", "nfd"])
@pytest.mark.parametrize("src", CORPUS, ids=lambda p: p.name[:3])
def test_sample_corpus_round_trips(tmp_path, kind, src):
    """Each sample article, written in the encoding, reads back as the original (spans too)."""
    original = unicodedata.normalize("NFC", src.read_text(encoding="utf-8"))
    p = tmp_path / src.name
    p.write_bytes(ENCODED[kind](original))
    a = article(p)
    assert a.text == expected(kind, original)
    doc = process(a)
    assert all(doc.text[f.start:f.end] == f.surface for f in doc.figures)
    if kind in ("vni", "mojibake", "nfd", "utf-16-le-no-bom"):
        ref = process(article(src))
        assert [(f.surface, f.kind, f.value) for f in doc.figures] == \
               [(f.surface, f.kind, f.value) for f in ref.figures]


@pytest.mark.parametrize("row", table("encodings"), ids=lambda r: f"{r[1]}:{r[3][:20]}")
def test_encoding_examples(row):
    how, encoding, shown, want = row
    raw = dec.image_bytes(shown) if how == "bytes" else shown.encode("utf-8")
    d = dec.decode(raw)
    assert (d.text, d.encoding) == (want, encoding)


def test_decode_reports_the_encoding():
    assert dec.decode("Đảng".encode("utf-8-sig")).encoding == "utf-8-sig"
    assert dec.decode("Đảng viên".encode("utf-16-le")).encoding == "utf-16-le"
    assert dec.decode(b"plain ascii").encoding == "utf-8"


# -- unreadable bytes -----------------------------------------------------------------

@pytest.mark.parametrize("raw,reason", [
    (b"", "empty file"),
    (b" \n\t\r\n  \n", "empty file"),
    ("\ufeff".encode("utf-8") + b"  \n", "empty file"),
    (b"\x00\x01\x02\x03binary\xff\xfe\x00\x10" * 20, "binary data"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary data (PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "binary data (ZIP"),
    (gzip.compress(ARTICLE.encode()), "binary data (gzip"),
    (b"Ti\xeau \x01\x02\x03\x04\x05\x06\x07\x08 \x0e\x0f\x10\x11\x12\x13\x14" * 5, "binary data"),
    ("Tiêu đề\n\x01\x02\x03\x04\x05\x06 có 5 chi bộ".encode(), "binary data (6 control"),
    (b"Huy\xean c\xf3 5 \xf0", "not UTF-8"),
    (bytes(range(0x80, 0x100)) * 3, "not UTF-8"),
    (b"\xff\xfe" + b"\x00\xd8" + b"a\x00", "invalid utf-16-le"),
    ("Ä? Ä?ng viÃªn bá»? Ä?ang á»\ufffd mojibake Ä?".encode(), "mojibake"),
])
def test_unreadable_files_are_failures_with_a_reason(tmp_path, raw, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(raw)
    f = failure(p)
    assert reason in f.reason, f.reason
    assert f.article_id == "bad.txt" and f.source == str(p)


def test_a_few_odd_bytes_do_not_make_text_binary(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(f"{TITLE}\n\x0c\n{BODY}\x1a".encode())  # form feed, DOS end-of-file mark
    assert article(p).title == TITLE


def test_legacy_looking_real_text_is_left_alone(tmp_path):
    """Unicode text with a few Latin-1 symbols (°, ½, ×, Ð) is not mistaken for TCVN3/VNI."""
    text = f"{TITLE}\n\nNhiệt độ 30°C, ½ số đảng viên, 3×4, ÐẢNG BỘ XÃ Ð có 12 chi bộ «mới» ©2024."
    p = tmp_path / "a.txt"
    p.write_text(text, encoding="utf-8")
    assert article(p).text == text


# -- size limits ----------------------------------------------------------------------

def test_file_over_the_limit_is_a_failure_naming_it(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(ARTICLE * 10, encoding="utf-8")
    f = failure(p, max_bytes=1000)
    assert "1,000-byte limit" in f.reason and "max_bytes" in f.reason
    assert article(p, max_bytes=10_000).title == TITLE
    assert DEFAULT_MAX_BYTES >= 10 * 1024 * 1024


def test_limit_is_inclusive(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(ARTICLE.encode())
    assert isinstance(one(p, max_bytes=len(ARTICLE.encode())), Article)
    assert isinstance(one(p, max_bytes=len(ARTICLE.encode()) - 1), Failure)


def test_html_over_the_limit(tmp_path):
    p = tmp_path / "big.html"
    p.write_text("<p>" + BODY * 50 + "</p>", encoding="utf-8")
    assert "limit" in failure(p, max_bytes=2000).reason


def test_jsonl_line_over_the_limit_among_good_ones(tmp_path):
    p = tmp_path / "r.jsonl"
    good = json.dumps({"id": "a", "title": "T", "text": BODY}, ensure_ascii=False)
    big = json.dumps({"id": "b", "title": "T", "text": BODY * 40}, ensure_ascii=False)
    third = json.dumps({"id": "c", "title": "T", "text": BODY}, ensure_ascii=False)
    p.write_text(f"{good}\n{big}\n{third}\n", encoding="utf-8")
    items = list(read_paths([str(p)], max_bytes=2000))
    assert [type(x).__name__ for x in items] == ["Article", "Failure", "Article"]
    assert [x.article_id for x in items if isinstance(x, Article)] == ["a", "c"]
    assert "JSONL line" in items[1].reason and "2,000-byte limit" in items[1].reason
    assert items[1].source == f"{p}:2"


def test_jsonl_huge_line_without_newline_at_end(tmp_path):
    p = tmp_path / "r.jsonl"
    good = json.dumps({"id": "a", "text": BODY}, ensure_ascii=False)
    p.write_text(good + "\n" + '{"id": "b", "text": "' + "x" * 50_000 + '"}', encoding="utf-8")
    items = list(read_paths([str(p)], max_bytes=1000))
    assert [type(x).__name__ for x in items] == ["Article", "Failure"]


# -- JSONL ----------------------------------------------------------------------------

def _rec(rid, text=BODY, title=TITLE, **kw):
    return json.dumps({"id": rid, "title": title, "text": text, **kw}, ensure_ascii=False)


def test_jsonl_bad_lines_among_good_ones(tmp_path):
    p = tmp_path / "recs.jsonl"
    lines = [
        _rec("a", url="https://x.vn/a", published="2024-05-01T08:00:00+07:00"),
        "not json at all",
        '{"id": "t", "text": "unterminated',
        _rec("b"),
        json.dumps({"id": "c", "title": "T"}),                  # no text
        json.dumps({"id": "d", "text": "   \n "}),              # blank text
        json.dumps({"title": "T", "text": "có 5 chi bộ"}),       # no id
        json.dumps(["a", "list"]),                              # not an object
        "[" * 100_000 + "]" * 100_000,                          # nested too deeply
        '{"id": "e", "text": ' + "9" * 5000 + "}",              # int too long to convert
        "",
        "   ",
        _rec("f", text=unicodedata.normalize("NFD", BODY)),      # NFD
        _rec("g", text=dec.cp1252_image(BODY.encode()), title=dec.cp1252_image(TITLE.encode())),  # mojibake
        _rec("h", text=dec.cp1252_image(dec.encode_legacy(BODY, "vni"))),  # VNI read as cp1252
        _rec("i", text=BODY, title=""),                         # no title: text only
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_paths([str(p)]))
    got = [(type(x).__name__, x.article_id, getattr(x, "reason", None)) for x in items]
    arts = {x.article_id: x for x in items if isinstance(x, Article)}
    fails = [x for x in items if isinstance(x, Failure)]
    assert sorted(arts) == ["a", "b", "f", "g", "h", "i"], got
    assert len(fails) == 8, got
    reasons = " | ".join(f.reason for f in fails)
    for r in ("malformed JSON line", "record has no text", "record has no id", "not an object",
              "nested too deeply"):
        assert r in reasons, reasons
    assert all(f.source.startswith(f"{p}:") for f in fails)
    a = arts["a"]
    assert a.text == f"{TITLE}\n\n{BODY}" and a.title == TITLE
    assert a.url == "https://x.vn/a" and str(a.published) == "2024-05-01"
    assert title_end(a) == len(TITLE)
    assert arts["f"].text == f"{TITLE}\n\n{BODY}"
    assert (arts["g"].text, arts["g"].title) == (f"{TITLE}\n\n{BODY}", TITLE)
    assert arts["h"].text == f"{TITLE}\n\n{BODY}"
    assert arts["i"].text == BODY and arts["i"].title is None


def test_jsonl_line_in_a_legacy_encoding(tmp_path):
    p = tmp_path / "r.jsonl"
    p.write_bytes(_rec("a").encode("utf-8") + b"\n" + cp1258(_rec("b")) + b"\n")
    items = list(read_paths([str(p)]))
    assert [x.text for x in items] == [f"{TITLE}\n\n{BODY}"] * 2


def test_record_with_irreparable_mojibake(tmp_path):
    f = record_to_article({"id": "x", "text": "Ä? Ä?ng viÃªn bá»? á»\ufffd Ä?ang"}, "src:1")
    assert isinstance(f, Failure) and "mojibake" in f.reason and f.article_id == "x"


def test_title_with_blank_lines_keeps_offsets(tmp_path):
    a = record_to_article({"id": "x", "title": "A\n\nB", "text": dec.cp1252_image(BODY.encode())}, "s")
    assert a.text == f"A\n\nB\n\n{BODY}" and a.title == "A\n\nB"


def _gz_lines(n):
    return "".join(_rec(f"r{i}") + "\n" for i in range(n)).encode("utf-8")


def test_truncated_gzip_keeps_the_records_read(tmp_path):
    p = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(_gz_lines(400))
    p.write_bytes(data[: len(data) * 2 // 3])
    items = list(read_paths([str(p)]))
    arts = [x for x in items if isinstance(x, Article)]
    fails = [x for x in items if isinstance(x, Failure)]
    assert len(fails) == 1 and isinstance(items[-1], Failure)
    assert "truncated or corrupt gzip" in fails[0].reason
    assert 50 < len(arts) < 400
    assert [a.article_id for a in arts] == [f"r{i}" for i in range(len(arts))]


def test_corrupt_gzip_middle(tmp_path):
    p = tmp_path / "bad.jsonl.gz"
    data = bytearray(gzip.compress(_gz_lines(400)))
    for i in range(len(data) // 2, len(data) // 2 + 40):
        data[i] ^= 0x5A
    p.write_bytes(bytes(data))
    items = list(read_paths([str(p)]))
    # lines decompressed before the CRC check fails may be garbage: failures of their own
    assert isinstance(items[-1], Failure) and "truncated or corrupt gzip" in items[-1].reason
    arts = [int(x.article_id[1:]) for x in items if isinstance(x, Article)]
    assert 50 < len(arts) < 400 and arts == sorted(arts) and arts[:50] == list(range(50))


def test_not_gzip_at_all(tmp_path):
    p = tmp_path / "plain.jsonl.gz"
    p.write_bytes(_gz_lines(3))
    items = list(read_paths([str(p)]))
    assert len(items) == 1 and "gzip" in items[0].reason


def test_gzip_jsonl_reads_like_plain(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(_gz_lines(5))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(_gz_lines(5)))
    a = [x.text for x in read_paths([str(tmp_path / "a.jsonl")])]
    b = [x.text for x in read_paths([str(tmp_path / "b.jsonl.gz")])]
    assert a == b and len(a) == 5


def test_only_ids_prefilter(tmp_path):
    (tmp_path / "r.jsonl").write_bytes(_gz_lines(10))
    (tmp_path / "keep.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "drop.txt").write_text(ARTICLE, encoding="utf-8")
    got = [x.article_id for x in read_paths([str(tmp_path)], only_ids={"r3", "r7", "keep.txt", "r1"})]
    assert got == ["keep.txt", "r1", "r3", "r7"]
    # "r1" is a substring of "r10"... the pre-filter is cheap, the id check exact
    assert [x.article_id for x in read_jsonl(tmp_path / "r.jsonl", {"r1"})] == ["r1"]
    assert list(read_paths([str(tmp_path)], only_ids=set())) == []


# -- HTML -----------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="vi"><head>
<meta charset="{charset}">
<title>{title} | Báo Vĩnh Phúc</title>
<meta property="og:title" content="{title}">
<meta property="og:url" content="https://baovinhphuc.vn/a-123.html">
<meta property="article:published_time" content="2024-05-01T08:30:00+07:00">
<style>.x {{ color: red }}</style>
<script>var tracking = "99 đảng viên 77%"; if (a < b && c > d) {{}}</script>
</head><body>
<header><div class="logo">Báo Vĩnh Phúc</div><nav><a href="/">Trang chủ</a> <a>Chính trị 2024</a></nav></header>
<div class="breadcrumb">Chính trị &gt; Xây dựng Đảng</div>
<div class="container">
 <article class="detail">
  <h1>{title}</h1>
  <p class="sapo"><b>Năm 2023</b>, Đảng bộ huyện kết nạp 120 đảng viên,
     đạt 109% kế hoạch.</p>
  <p>Toàn huyện có 63&nbsp;tổ chức cơ sở đảng;<br>trong đó 27/63 TCCSĐ đạt trong sạch, vững mạnh.</p>
  <!-- a comment with 55 đảng viên -->
  <table><tr><th>Xã</th><th>Đảng viên</th></tr><tr><td>Xuân Hòa</td><td>250</td></tr></table>
  <div class="share-buttons">Chia sẻ Facebook 12</div>
  <div class="tin-lien-quan"><p>Tin liên quan: 50 năm ngày giải phóng với 1.000 người tham dự</p></div>
  <noscript>Bật JavaScript để xem 44 bình luận</noscript>
 </article>
 <aside><p>Quảng cáo: gọi 0969.082.115 để nhận ưu đãi 30% trong tháng này</p></aside>
</div>
<div id="comments"><p>Bình luận của bạn đọc với 300 lượt thích và rất nhiều chữ nữa</p></div>
<footer>© 2024 Báo Vĩnh Phúc. Giấy phép số 123/GP-BTTTT</footer>
<script>document.write("88 chi bộ")</script>
</body></html>"""
PAGE_TEXT = (f"{TITLE}\n\nNăm 2023, Đảng bộ huyện kết nạp 120 đảng viên, đạt 109% kế hoạch.\n\n"
             "Toàn huyện có 63\u00a0tổ chức cơ sở đảng;\ntrong đó 27/63 TCCSĐ đạt trong sạch, vững mạnh.\n\n"
             "Xã; Đảng viên\n\nXuân Hòa; 250")


def test_html_page_main_content_only(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(PAGE.format(charset="utf-8", title=TITLE), encoding="utf-8")
    a = article(p)
    assert a.text == PAGE_TEXT
    assert a.title == TITLE and title_end(a) == len(TITLE)
    assert str(a.published) == "2024-05-01"
    assert a.url == "https://baovinhphuc.vn/a-123.html"
    assert a.article_id == "page.html"
    for junk in ("Trang chủ", "tracking", "Chia sẻ", "Tin liên quan", "Quảng cáo", "Bình luận",
                 "Giấy phép", "88 chi bộ", "55 đảng viên", "color", "JavaScript"):
        assert junk not in a.text
    doc = process(a)
    surfaces = [f.surface for f in doc.figures]
    assert "27/63" in surfaces and "109%" in surfaces
    assert all(doc.text[f.start:f.end] == f.surface for f in doc.figures)


@pytest.mark.parametrize("kind,charset", [("cp1258", "windows-1258"), ("vni", "windows-1252"),
                                          ("tcvn3", "iso-8859-1"), ("utf-16-bom", "utf-16"),
                                          ("mojibake", "utf-8"), ("utf-8", "utf-8")])
def test_html_in_legacy_encodings(tmp_path, kind, charset):
    p = tmp_path / "page.htm"
    html = PAGE.format(charset=charset, title=TITLE)
    if kind in ("tcvn3", "vni", "cp1258"):
        html = html.replace("©", "(c)").replace("&nbsp;", " ")
    p.write_bytes(ENCODED[kind](html))
    a = article(p)
    want = PAGE_TEXT if kind not in ("tcvn3", "vni", "cp1258") else PAGE_TEXT.replace("\u00a0", " ")
    assert a.text == expected(kind, want)


def test_html_title_and_date_fallbacks(tmp_path):
    p = tmp_path / "a.html"
    p.write_text("<html><head><title>Tiêu đề trang</title></head><body>"
                 "<div><h1>Tiêu đề bài</h1><time datetime='2023-12-31T10:00'>31/12</time>"
                 "<p>Đảng bộ có 63 chi bộ, hơn 8.000 đảng viên trong toàn huyện.</p></div></body></html>",
                 encoding="utf-8")
    a = article(p)
    assert a.title == "Tiêu đề bài" and str(a.published) == "2023-12-31"
    assert a.text == "Tiêu đề bài\n\n31/12\n\nĐảng bộ có 63 chi bộ, hơn 8.000 đảng viên trong toàn huyện."
    p.write_text("<title>Chỉ có tiêu đề</title><p>Có 5 chi bộ.</p>", encoding="utf-8")
    a = article(p)
    assert (a.title, a.published, a.text) == ("Chỉ có tiêu đề", None, "Chỉ có tiêu đề\n\nCó 5 chi bộ.")
    p.write_text('<script type="application/ld+json">{"@graph": [{"datePublished": "2022-02-03"}]}</script>'
                 "<article><p>Có 5 chi bộ.</p></article>", encoding="utf-8")
    a = article(p)
    assert (a.title, str(a.published), a.text) == (None, "2022-02-03", "Có 5 chi bộ.")


def test_html_main_content_without_article_tag(tmp_path):
    p = tmp_path / "a.html"
    side = "".join(f"<li><a>Tin {i}: kết nạp {i} đảng viên</a></li>" for i in range(30))
    p.write_text(f"<body><div class='menu'><ul>{side}</ul></div><div class='main'><div class='content'>"
                 f"<p>{BODY}</p><p>Đoạn thứ hai với 12 chi bộ trực thuộc và nhiều chữ.</p></div></div>"
                 f"<div class='other'><p>Ngắn.</p></div></body>", encoding="utf-8")
    a = article(p)
    assert a.text == f"{BODY}\n\nĐoạn thứ hai với 12 chi bộ trực thuộc và nhiều chữ."


@pytest.mark.parametrize("html,reason", [
    ("<html><head><title>T</title></head><body><nav>menu</nav><script>1</script></body></html>",
     "no article text"),
    ("", "empty file"),
    ("<div>" * 5000 + "x", "nested too deeply"),
    ("<b><i>" * 3000 + "x", "nested too deeply"),
])
def test_html_failures(tmp_path, html, reason):
    p = tmp_path / "a.html"
    p.write_text(html, encoding="utf-8")
    assert reason in failure(p).reason


def test_html_binary_is_a_failure(tmp_path):
    p = tmp_path / "a.html"
    p.write_bytes(b"\x00\x01\x02\x03" * 100)
    assert "binary data" in failure(p).reason


# -- read_paths -----------------------------------------------------------------------

def test_read_paths_dispatch_and_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b" / "c.html").write_text(PAGE.format(charset="utf-8", title=TITLE), encoding="utf-8")
    (tmp_path / "b" / "deep" / "d.jsonl").write_text(_rec("j1") + "\n" + _rec("j2") + "\n", encoding="utf-8")
    (tmp_path / "b" / "e.HTM").write_text("<p>Có 5 chi bộ.</p>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not an article", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    items = list(read_paths([str(tmp_path)]))
    assert [x.article_id for x in items] == ["a.txt", "c.html", "j1", "j2", "e.HTM"]
    assert all(isinstance(x, Article) for x in items)
    assert [p.name for p in expand([str(tmp_path)])] == ["a.txt", "c.html", "d.jsonl", "e.HTM"]


def test_named_paths(tmp_path):
    p = tmp_path / "article"  # no suffix: named directly, read as text
    p.write_text(ARTICLE, encoding="utf-8")
    missing = tmp_path / "nope.txt"
    items = list(read_paths([str(p), str(missing), str(tmp_path / "nope_dir")]))
    assert isinstance(items[0], Article) and items[0].title == TITLE
    assert [(x.source, x.reason) for x in items[1:]] == [
        (str(missing), "no such file or folder"), (str(tmp_path / "nope_dir"), "no such file or folder")]
    # a single path as a string works too
    assert [x.article_id for x in read_paths(str(p))] == ["article"]


def test_read_paths_never_raises(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    import pipeline.decode

    real = pipeline.decode.decode

    def boom(raw):
        if raw.startswith(TITLE.encode()) and boom.calls == 0:
            boom.calls += 1
            raise RuntimeError("unexpected")
        return real(raw)
    boom.calls = 0
    monkeypatch.setattr(pipeline.decode, "decode", boom)
    items = list(read_paths([str(tmp_path)]))
    assert isinstance(items[0], Failure) and "RuntimeError: unexpected" in items[0].reason
    assert isinstance(items[1], Article)
    assert list(read_paths([])) == []
    assert isinstance(next(read_paths(None)), Failure)


def test_directory_named_like_an_article(tmp_path):
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "x.txt" / "inner.txt").write_text(ARTICLE, encoding="utf-8")
    assert [x.article_id for x in read_paths([str(tmp_path)])] == ["inner.txt"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_devices_are_not_read():
    assert failure("/dev/zero", max_bytes=10_000).reason == "not a regular file"


def test_old_entry_points_still_work(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    assert read_txt(p).title == TITLE
    assert parse_date("ngày 24 tháng 11 năm 2020").isoformat() == "2020-11-24"
    q = tmp_path / "r.jsonl"
    q.write_text(_rec("a") + "\n", encoding="utf-8")
    assert [x.article_id for x in read_jsonl(q)] == ["a"]


def test_samples_read_as_before():
    for src in CORPUS:
        a = article(src)
        assert a.text == unicodedata.normalize("NFC", src.read_text(encoding="utf-8"))


# -- the legacy tables ----------------------------------------------------------------

def test_legacy_tables_are_complete():
    vowels = "aăâeêioôơuưy"
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels
               for t in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")} | {"đ"}
    letters -= set("aeiouy")
    assert len(letters) == 67
    for name in ("tcvn3", "vni"):
        inv = dec.LEGACY[name].inverse
        assert letters <= set(inv), (name, sorted(letters - set(inv)))
    assert {c.upper() for c in letters} <= set(dec.LEGACY["vni"].inverse)
    assert set("ĂÂÊÔƠƯĐ") <= set(dec.LEGACY["tcvn3"].inverse)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="no iconv")
def test_tcvn3_table_matches_glibc():
    raw = bytes(range(0xA1, 0x100))
    r = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=raw, capture_output=True)
    if r.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    assert unicodedata.normalize("NFC", dec.LEGACY["tcvn3"].to_unicode(dec.cp1252_image(raw))) == \
        unicodedata.normalize("NFC", r.stdout.decode("utf-8"))


def test_vni_mixed_case_marks():
    # converters mix the case of letter and mark: the letter decides
    assert dec.decode_legacy(dec.image_bytes("Ñaûng Aùnh aÙnh"), "vni") == "Đảng Ánh ánh"

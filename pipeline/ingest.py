"""Read articles from files and folders: .txt, .html/.htm, .jsonl, .jsonl.gz.

``read_paths`` is the one entry point: it yields ``Article`` objects, or ``Failure``
records for input that cannot be read, and never raises; a bad file or line never
stops the run (the caller stores failures).

- Bytes become text through ``decode`` (UTF-8 with or without BOM, UTF-16/32,
  Windows-1258, TCVN3, VNI; mojibake repaired or refused); the text is NFC.
- ``.html``/``.htm`` pages go through ``html_input`` (main content, title, date).
- Every file, JSONL line and record is held to ``max_bytes``; a bigger one is a
  Failure naming the limit, and it is never read whole into memory.
- A truncated or corrupt ``.jsonl.gz`` keeps the records read before the damage and
  adds one Failure.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import zlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import regex

from . import decode as dec
from .doc import Article

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Failure:
    source: str
    reason: str
    article_id: str | None = None


# Header dates (patterns.md §11): d/m/yyyy, d-m-yyyy, d.m.yyyy, yyyy-mm-dd,
# "ngày 24 tháng 11 năm 2020", "15 Tháng 9, 2025", "24 Tháng 8 2015".
_DMY = regex.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})(?!\d)")
_YMD = regex.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
_WORDY = regex.compile(r"(?i)(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2}),?\s+(?:năm\s+)?((?:19|20)\d{2})")


def parse_date(s: str) -> dt.date | None:
    for rx, order in ((_YMD, "ymd"), (_DMY, "dmy"), (_WORDY, "dmy")):
        m = rx.search(s)
        if not m:
            continue
        a, b, c = (int(x) for x in m.groups())
        y, mo, d = (a, b, c) if order == "ymd" else (c, b, a)
        try:
            return dt.date(y, mo, d)
        except ValueError:
            continue
    return None


def shown(path: Path) -> str:
    """A path as text that can be stored and printed. Linux file names are bytes: a name
    that is not UTF-8 reaches Python with surrogate escapes, which UTF-8 output (DuckDB,
    the terminal) refuses; its undecodable bytes are written as \\xNN instead. The file
    itself is still opened by its real name."""
    s = str(path)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return os.fsencode(s).decode("utf-8", "backslashreplace")


def shown_name(path: Path) -> str:
    return shown(Path(path.name))


def _suffix_ok(name: str) -> bool:
    return name.lower().endswith(SUFFIXES) and not name.startswith(".")


def expand(paths: Iterable[str]) -> Iterator[Path]:
    """Files named, and the article files inside folders named (sorted, recursive)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and _suffix_ok(f.name):
                    yield f
        else:
            yield path


def _limit_reason(size: int, max_bytes: int, what: str = "file") -> str:
    return f"{what} is larger than the {max_bytes:,}-byte limit (max_bytes){f': {size:,} bytes' if size > max_bytes + 1 else ''}"


def read_paths(paths: Iterable[str] | str, only_ids: set[str] | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Failure]:
    """Every article under ``paths`` (files or folders), in order; never raises.

    Folders are walked recursively in sorted order; files with other suffixes and
    hidden files inside them are skipped.  A file named directly is read whatever its
    suffix (as text unless .html/.htm/.jsonl/.jsonl.gz).  ``only_ids``: read only the
    records with these ids (a .txt/.html file's id is its name).  ``max_bytes``: the
    largest file, JSONL line or record accepted.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    try:
        paths = list(paths)
    except Exception as exc:  # a bad argument is still a failure, not a crash
        yield Failure(repr(paths)[:200], f"cannot list inputs: {type(exc).__name__}: {exc}")
        return
    for p in paths:
        path = Path(p)
        try:
            if path.is_dir():
                files = sorted(f for f in path.rglob("*") if _suffix_ok(f.name) and f.is_file())
            elif path.exists():
                files = [path]
            else:
                yield Failure(shown(path), "no such file or folder")
                continue
        except (OSError, RuntimeError) as exc:
            yield Failure(shown(path), f"cannot list folder: {type(exc).__name__}: {exc}")
            continue
        for f in files:
            yield from _read_one(f, only_ids, max_bytes)


def _read_one(path: Path, only_ids, max_bytes: int) -> Iterator[Article | Failure]:
    try:
        name = path.name.lower()
        if not path.is_file():  # a FIFO would block, a device never end
            yield Failure(shown(path), "not a regular file", shown_name(path))
        elif name.endswith(JSONL_SUFFIXES):
            yield from read_jsonl(path, only_ids, max_bytes)
        elif only_ids is None or shown_name(path) in only_ids:
            yield read_txt(path, max_bytes)
    except Exception as exc:  # unreadable file: record it, keep going
        aid = None if path.name.lower().endswith(JSONL_SUFFIXES) else shown_name(path)
        yield Failure(shown(path), f"{type(exc).__name__}: {exc}", aid)


def _read_bytes(path: Path, max_bytes: int) -> bytes | Failure:
    """The file's bytes, or a Failure when it is over ``max_bytes`` (never reads more)."""
    if not path.is_file():  # a FIFO would block, a device never end
        return Failure(shown(path), "not a regular file", shown_name(path))
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size > max_bytes:
        return Failure(shown(path), _limit_reason(size, max_bytes), shown_name(path))
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)  # the file may be growing, or not a regular file
    if len(raw) > max_bytes:
        return Failure(shown(path), _limit_reason(len(raw), max_bytes), shown_name(path))
    return raw


def read_txt(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Article | Failure:
    """One article file: title on the first line, maybe a date line.  An .html/.htm
    file is read as a saved page (``read_html``)."""
    path = Path(path)
    if path.name.lower().endswith(HTML_SUFFIXES):
        return read_html(path, max_bytes)
    raw = _read_bytes(path, max_bytes)
    if isinstance(raw, Failure):
        return raw
    if not raw:
        return Failure(shown(path), "empty file", shown_name(path))
    try:
        text = dec.decode(raw).text
    except dec.DecodeError as exc:
        return Failure(shown(path), exc.reason, shown_name(path))
    if not text.strip():
        return Failure(shown(path), "empty file (only white space)", shown_name(path))
    first = text.split("\n", 1)[0].strip()
    published = None
    for line in text.split("\n")[1:8]:
        if line.strip() and len(line) < 120:
            published = parse_date(line)
            if published:
                break
    return Article(article_id=shown_name(path), source=shown(path), text=text,
                   title=first or None, published=published)


def read_html(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Article | Failure:
    """A saved article page: text = title, a blank line, the paragraphs of the main
    content separated by blank lines (the record convention, spec §6)."""
    from .html_input import read_html as parse

    path = Path(path)
    raw = _read_bytes(path, max_bytes)
    if isinstance(raw, Failure):
        return raw
    if not raw.strip():
        return Failure(shown(path), "empty file", shown_name(path))
    try:
        page = parse(raw)
    except dec.DecodeError as exc:
        return Failure(shown(path), exc.reason, shown_name(path))
    body = "\n\n".join(page.paragraphs)
    if not body.strip():
        return Failure(shown(path), "no article text in the page", shown_name(path))
    art = _compose(page.title or "", body, shown(path), shown_name(path))
    if isinstance(art, Failure):
        return art
    art.url = page.url
    art.published = parse_date(page.published) if page.published else None
    return art


def _compose(title: str, body: str, src: str, aid: str) -> Article | Failure:
    """Article text = title, blank line, body (only the body when there is no title),
    repaired (mojibake, legacy text in Unicode) and NFC.  Repairs never touch a line
    break, so the title is found again after them."""
    text = f"{title}\n\n{body}" if title.strip() else body
    try:
        text = dec.repair_text(text).text
    except dec.DecodeError as exc:
        return Failure(src, exc.reason, aid)
    new_title = None
    if title.strip():
        cut = -2
        for _ in range(title.count("\n\n") + 1):
            cut = text.find("\n\n", cut + 2)
        new_title = text[:cut].strip() if cut >= 0 else title.strip()
    return Article(article_id=aid, source=src, text=text, title=new_title or None)


def _open_binary(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def read_jsonl(path: Path, only_ids: set[str] | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Failure]:
    """Records of a .jsonl / .jsonl.gz file, one Article or Failure per line."""
    path = Path(path)
    ids = [i.encode("utf-8") for i in only_ids] if only_ids is not None else None
    lineno = 0
    with _open_binary(path) as fh:
        try:
            while True:
                line = fh.readline(max_bytes + 1)
                if not line:
                    break
                lineno += 1
                src = f"{shown(path)}:{lineno}"
                if len(line) > max_bytes and not (line.endswith(b"\n") and len(line) == max_bytes + 1):
                    while line and not line.endswith(b"\n"):  # skip the rest, a chunk at a time
                        line = fh.readline(1 << 20)
                    yield Failure(src, _limit_reason(0, max_bytes, "JSONL line"))
                    continue
                if not line.strip():
                    continue
                if ids is not None:
                    # cheap pre-filter before parsing 140 MB of JSON
                    if not any(i in line for i in ids):
                        continue
                item = _parse_line(line, src)
                if only_ids is not None and isinstance(item, Article) and item.article_id not in only_ids:
                    continue
                yield item
        except (EOFError, OSError, zlib.error) as exc:
            what = "truncated or corrupt gzip" if path.name.lower().endswith(".gz") else "read error"
            yield Failure(f"{shown(path)}:{lineno + 1}", f"{what} after {lineno} lines: {type(exc).__name__}: {exc}")


def _parse_line(line: bytes, src: str) -> Article | Failure:
    try:
        rec = json.loads(line)
    except UnicodeDecodeError:
        # not UTF-8: JSON in a legacy Vietnamese encoding is still readable
        try:
            rec = json.loads(dec.decode(line).text)
        except dec.DecodeError as exc:
            return Failure(src, f"JSON line: {exc.reason}")
        except (ValueError, RecursionError) as exc:
            return Failure(src, f"malformed JSON line: {getattr(exc, 'msg', exc)}")
    except RecursionError:
        return Failure(src, "malformed JSON line: nested too deeply")
    except ValueError as exc:  # JSONDecodeError, and ints too long to convert
        return Failure(src, f"malformed JSON line: {getattr(exc, 'msg', exc)}")
    return record_to_article(rec, src)


def record_to_article(rec: dict, src: str) -> Article | Failure:
    if not isinstance(rec, dict):
        return Failure(src, "JSON line is not an object")
    rid = rec.get("id")
    if rid is None or str(rid).strip() == "":
        return Failure(src, "record has no id")
    rid = str(rid)
    body = rec.get("text")
    if not isinstance(body, str) or not body.strip():
        return Failure(src, "record has no text", rid)
    title = rec.get("title") if isinstance(rec.get("title"), str) else ""
    # spec §6: title, a blank line, then the text (the title as given: offsets depend on it)
    art = _compose(title, body, src, rid)
    if isinstance(art, Failure):
        return art
    art.url = rec.get("url") if isinstance(rec.get("url"), str) else None
    if isinstance(rec.get("published"), str):
        art.published = parse_date(rec["published"])
    return art


def title_end(article: Article) -> int:
    """End offset of the title line in the article text (0 if none)."""
    if not article.title:
        return 0
    i = article.text.find("\n")
    return len(article.text) if i < 0 else i

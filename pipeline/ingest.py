"""Read articles from files and folders: .txt, .jsonl, .jsonl.gz.

Yields ``Article`` objects, or ``Failure`` records for input that cannot be read;
a bad file or line never stops the run (the caller stores failures).
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import regex

from .doc import Article
from .textnorm import nfc

SUFFIXES = (".txt", ".jsonl", ".jsonl.gz")


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


def expand(paths: Iterable[str]) -> Iterator[Path]:
    """Files named, and the article files inside folders named (sorted, recursive)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.name.endswith(SUFFIXES) and not f.name.startswith("."):
                    yield f
        else:
            yield path


def read_paths(paths: Iterable[str]) -> Iterator[Article | Failure]:
    for path in expand(paths):
        if not path.exists():
            yield Failure(str(path), "no such file or folder")
            continue
        name = path.name
        try:
            if name.endswith(".jsonl") or name.endswith(".jsonl.gz"):
                yield from read_jsonl(path)
            else:
                yield read_txt(path)
        except Exception as exc:  # unreadable file: record it, keep going
            yield Failure(str(path), f"{type(exc).__name__}: {exc}")


def read_txt(path: Path) -> Article | Failure:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Failure(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})", path.name)
    text = nfc(text)
    if not text.strip():
        return Failure(str(path), "empty file", path.name)
    first = text.split("\n", 1)[0].strip()
    published = None
    for line in text.split("\n")[1:8]:
        if line.strip() and len(line) < 120:
            published = parse_date(line)
            if published:
                break
    return Article(article_id=path.name, source=str(path), text=text,
                   title=first or None, published=published)


def _open(path: Path):
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, "r", encoding="utf-8")


def read_jsonl(path: Path, only_ids: set[str] | None = None) -> Iterator[Article | Failure]:
    with _open(path) as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            src = f"{path}:{lineno}"
            if only_ids is not None:
                # cheap pre-filter before parsing 140 MB of JSON
                if not any(i in line for i in only_ids):
                    continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Failure(src, f"malformed JSON line: {exc.msg}")
                continue
            art = record_to_article(rec, src)
            if only_ids is not None and isinstance(art, Article) and art.article_id not in only_ids:
                continue
            yield art


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
    text = nfc(f"{title}\n\n{body}" if title.strip() else body)
    title = title.strip()
    published = None
    if isinstance(rec.get("published"), str):
        published = parse_date(rec["published"])
    return Article(article_id=rid, source=src, text=text, title=title or None,
                   url=rec.get("url") if isinstance(rec.get("url"), str) else None,
                   published=published)


def title_end(article: Article) -> int:
    """End offset of the title line in the article text (0 if none)."""
    if not article.title:
        return 0
    i = article.text.find("\n")
    return len(article.text) if i < 0 else i

"""Saved article pages (.html/.htm) -> title, date, url and the paragraphs of the article.

The page is parsed with a real HTML parser (selectolax / lexbor, HTML5 error recovery).
Page furniture is dropped first (script, style, nav, header, footer, aside, forms,
comment/share/related widgets), then the main content is chosen: the element marked
``itemprop="articleBody"``, else the ``<article>`` with most paragraph text, else the
element whose ``<p>`` children hold most text (readability's rule), else ``<body>``.
Block elements become paragraphs (joined with a blank line by the caller), ``<br>`` a
line break, table cells are separated by "; " so numbers in neighbouring cells never
run together.

Title: ``og:title``, else the ``<h1>`` (in the article, then anywhere), else ``<title>``.
Date: ``article:published_time``, ``itemprop=datePublished``, other publication-date
metas, JSON-LD ``datePublished``, ``<time datetime>``; else None.  The caller parses it.
This module knows nothing of Article: ingest builds it (title, blank line, body).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from . import decode as dec

DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
             "form", "iframe", "svg", "button", "select", "textarea", "canvas", "object",
             "embed", "audio", "video", "map", "dialog", "menu")
DROP_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search", "dialog")
# class/id words of widgets around the article (whole words of the attribute)
_JUNK_WORD = re.compile(r"(?i)(?:^|[\s_-])(?:comments?|binh-?luan|share|sharing|social|related|"
                        r"tin-?lien-?quan|breadcrumbs?|sidebar|banner|advert\w*|ads|quang-?cao|"
                        r"popup|cookie|newsletter|subscribe|tags?)(?:$|[\s_-])")
# ... unless they also name the article itself ("main-content comments-open")
_KEEP_WORD = re.compile(r"(?i)article|content|main|body|detail|post|entry|story|noi-?dung|chi-?tiet")
BLOCK_TAGS = frozenset(("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5",
                        "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table",
                        "thead", "tbody", "tfoot", "tr", "caption", "figure", "figcaption",
                        "address", "center", "hr", "body", "html", "summary", "details",
                        "fieldset", "legend"))
_CELL = frozenset(("td", "th"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_DATE_SELECTORS = (
    ('meta[property="article:published_time"]', "content"),
    ('meta[name="article:published_time"]', "content"),
    ('meta[itemprop="datePublished"]', "content"),
    ('[itemprop="datePublished"]', "datetime"),
    ('[itemprop="datePublished"]', "content"),
    ('meta[name="pubdate"]', "content"),
    ('meta[name="publishdate"]', "content"),
    ('meta[name="date"]', "content"),
    ('meta[name="dc.date"]', "content"),
    ('meta[name="DC.date.issued"]', "content"),
    ('meta[property="og:published_time"]', "content"),
)


# HTML5 tree building costs time in proportion to the depth of open elements, so a
# hostile page of 200,000 nested <div>s (or unclosed <b>s) would take minutes.  No
# article page comes near this depth; deeper input is refused before parsing.
MAX_DEPTH = 2000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_RAW_TEXT = re.compile(r"(?is)<!--.*?(?:-->|$)|<(script|style|textarea|title|xmp)\b.*?(?:</\1\s*>|$)")
_NO_DEPTH = frozenset((  # void elements and elements whose end tag may be left out
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr",
    "td", "th", "thead", "tbody", "tfoot", "rb", "rt", "rtc", "rp", "colgroup"))


def nesting_depth(html: str) -> int:
    """Deepest nesting of elements that need an end tag (a cheap scan, no parsing)."""
    depth = best = 0
    for m in _TAG.finditer(_RAW_TEXT.sub(" ", html)):
        name = m.group(2).lower()
        if name in _NO_DEPTH:
            continue
        if m.group(1):
            depth = depth - 1 if depth else 0
        else:
            depth += 1
            if depth > best:
                best = depth
    return best


@dataclass
class Page:
    title: str | None
    paragraphs: list[str] = field(default_factory=list)
    published: str | None = None     # the raw date string found, for ingest.parse_date
    url: str | None = None
    encoding: str = "utf-8"


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def html_text(raw: bytes) -> tuple[str, str]:
    """Bytes of a page -> (text, encoding).  A declared charset other than the Western
    ones is used as declared; otherwise (and when the declaration is wrong) decode.decode
    guesses, so TCVN3/VNI/cp1258 pages saved as "windows-1252" still come out right."""
    m = _META_CHARSET.search(raw[:8192])
    if m and not raw.startswith(_BOMS):
        name = m.group(1).decode("ascii", "replace").lower()
        # (a page that says UTF-16 in a <meta> is ASCII-compatible, so not UTF-16: HTML5)
        if name not in ("utf-8", "utf8", "windows-1252", "cp1252", "iso-8859-1", "latin-1",
                        "latin1", "us-ascii", "ascii", "windows-1258", "cp1258") \
                and not name.startswith(("utf-16", "utf-32", "utf16", "utf32")):
            try:
                text = raw.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                return dec.repair_text(text, name).text, name
    d = dec.decode(raw)
    return d.text, d.encoding


_WS_TO_SPACE = str.maketrans("\t\r\n\f\v", "     ")


def _clean(s: str) -> str:
    """ASCII white space runs -> one space, trimmed (a no-break space stays)."""
    return " ".join(filter(None, s.translate(_WS_TO_SPACE).split(" ")))


def _attr(node, name: str) -> str | None:
    try:
        v = node.attributes.get(name)
    except Exception:
        return None
    return v.strip() if isinstance(v, str) and v.strip() else None


def _junk(node) -> bool:
    attrs = node.attributes
    if attrs.get("role") in DROP_ROLES or "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    words = " ".join(v for v in (attrs.get("class"), attrs.get("id")) if v)
    return bool(words and _JUNK_WORD.search(words) and not _KEEP_WORD.search(words))


def _strip_junk(tree) -> None:
    for tag in DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    body = tree.body
    if body is None:
        return
    for node in body.css("[class], [id], [role], [hidden], [aria-hidden], [style]"):
        if node.tag in ("body", "html", "article", "main") or node.attributes.get("itemprop") == "articleBody":
            continue
        if _junk(node):
            node.decompose()


def _paragraphs(root) -> list[str]:
    """Block-structured text of ``root``: one string per paragraph, "\\n" for <br>."""
    out: list[str] = []
    cur: list[str] = []
    cell_open = False

    def flush():
        nonlocal cell_open
        cell_open = False
        if not cur:
            return
        lines = [_clean(x) for x in "".join(cur).split("\n")]
        text = "\n".join(x for x in lines if x)
        if text:
            out.append(text)
        cur.clear()

    # iterative walk: deeply nested pages must not hit the recursion limit
    stack = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag in BLOCK_TAGS:
                flush()
            continue
        if tag == "-text":
            cur.append((node.text_content or "").translate(_WS_TO_SPACE))
            continue
        if tag in ("-comment", "-doctype") or tag in DROP_TAGS:
            continue
        if tag == "br":
            cur.append("\n")
            continue
        if tag in BLOCK_TAGS:
            flush()
        elif tag in _CELL:
            if cell_open and "".join(cur).strip():
                cur.append("; ")
            cell_open = True
        stack.append((node, True))
        children = list(node.iter(include_text=True))
        for child in reversed(children):
            stack.append((child, False))
    flush()
    return out


def _text_len(node) -> int:
    return len(node.text(deep=True, strip=True))


def _main(tree):
    body = tree.body
    if body is None:
        return tree.root
    marked = body.css_first('[itemprop="articleBody"]')
    if marked is not None and _text_len(marked) > 0:
        return marked
    articles = body.css("article")
    if articles:
        best = max(articles, key=lambda a: (sum(_text_len(p) for p in a.css("p")), _text_len(a)))
        if _text_len(best) > 0:
            return best
    scores: dict[int, tuple[float, object]] = {}
    for p in body.css("p"):
        n = _text_len(p)
        if n < 20:
            continue
        parent = p.parent
        if parent is None:
            continue
        key = parent.mem_id
        scores[key] = (scores.get(key, (0.0, parent))[0] + n, parent)
        grand = parent.parent
        if grand is not None:
            key = grand.mem_id
            scores[key] = (scores.get(key, (0.0, grand))[0] + n / 2, grand)
    if scores:
        return max(scores.values(), key=lambda t: t[0])[1]
    return body


def _first_meta(tree, selectors) -> str | None:
    for sel, attr in selectors:
        for node in tree.css(sel):
            v = _attr(node, attr)
            if v:
                return v
    return None


def _json_ld_date(tree) -> str | None:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(deep=True) or "null")
        except (ValueError, RecursionError):
            continue
        todo = [data]
        seen = 0
        while todo and seen < 1000:
            seen += 1
            x = todo.pop()
            if isinstance(x, dict):
                v = x.get("datePublished")
                if isinstance(v, str) and v.strip():
                    return v.strip()
                todo.extend(x.values())
            elif isinstance(x, list):
                todo.extend(x)
    return None


def parse_page(html: str) -> Page:
    """Title, article paragraphs, raw date and url of a page (already decoded).
    Raises decode.DecodeError for a page nested deeper than MAX_DEPTH."""
    depth = nesting_depth(html)
    if depth > MAX_DEPTH:
        raise dec.DecodeError(f"HTML nested too deeply ({depth:,} levels, limit {MAX_DEPTH:,})")
    tree = LexborHTMLParser(html)
    og_title = _first_meta(tree, (('meta[property="og:title"]', "content"),
                                  ('meta[name="og:title"]', "content"),
                                  ('meta[name="twitter:title"]', "content")))
    head_title = tree.css_first("title")
    head_title = _clean(head_title.text(deep=True)) if head_title is not None else None
    url = _first_meta(tree, (('meta[property="og:url"]', "content"), ('link[rel="canonical"]', "href")))
    # dates: the JSON-LD scripts go with the junk, so read them first
    published = (_first_meta(tree, _DATE_SELECTORS) or _json_ld_date(tree))
    if published is None:
        for node in tree.css("time[datetime]"):
            published = _attr(node, "datetime")
            if published:
                break
    _strip_junk(tree)
    main = _main(tree)
    title = _clean(og_title) if og_title else None
    if not title:
        h1 = main.css_first("h1") if main is not None else None
        if h1 is None and tree.body is not None:
            h1 = tree.body.css_first("h1")
        if h1 is not None:
            title = _clean(h1.text(deep=True)) or None
    if not title:
        title = head_title or None
    paras = _paragraphs(main) if main is not None else []
    h1 = main.css_first("h1") if main is not None else None
    dup = {t.casefold() for t in (title, _clean(h1.text(deep=True)) if h1 is not None else None) if t}
    if paras and paras[0].casefold() in dup:
        paras = paras[1:]
    return Page(title=title, paragraphs=paras, published=published, url=url)


def read_html(raw: bytes) -> Page:
    """Bytes of a saved page -> Page.  Raises decode.DecodeError when unreadable."""
    text, enc = html_text(raw)
    page = parse_page(text)
    page.encoding = enc
    return page

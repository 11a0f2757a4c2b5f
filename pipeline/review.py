"""Static review pages: ``python -m pipeline review [--db FILE] [--out DIR]``.

``index.html`` lists the articles (title, province, main unit, figures, failed checks);
``a/<article>.html`` shows one article's text with every figure highlighted by spaCy's
displaCy (manual "ent" mode), a side panel with the figure's fields on hover, the
article's checks and a table of its figures. Figure ``F`` of article ``A`` is at
``a/<page_name(A)>#fig-<F>``, the link the notebook uses.

Article text is untrusted: displaCy escapes the text, every other value is escaped
here, data for the panel travels as JSON that the script writes with textContent,
links are http(s) only, and a Content-Security-Policy allows no script but our own
(by hash), so markup in an article cannot run or load anything.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
from importlib import resources
from pathlib import Path

from .views import open_db

# displaCy template for one figure; every {param} is escaped by figure_span().
MARK = ('<mark class="entity fig {cls}" id="fig-{fid}" data-fid="{fid}" tabindex="0" '
        'title="{tip}" style="background: {bg}">{text}<span class="lbl">{label}</span></mark>')

COLORS = {  # by entity; anything else is grey
    "party_member": "#ffd6a5", "grassroots_party_org": "#caffbf", "grassroots_party_committee": "#b9fbc0",
    "grassroots_party_cell": "#a0f0c8", "party_cell": "#9bf6ff", "party_committee": "#a0c4ff",
    "party_unit": "#bdb2ff", "party_org": "#d0bfff", "cadre": "#ffc6ff", "organization": "#fdffb6",
    "person": "#ffe5b4", "household": "#f1e0c5", "money": "#e2ece9", "income_per_capita": "#e2ece9",
}
GREY = "#e5e7eb"

FIG_FIELDS = ["figure_id", "span_start", "span_end", "surface", "kind", "value", "numerator",
              "denominator", "low", "high", "unit", "qualifier", "entity", "status", "measure_text",
              "subject_level", "subject_name", "period_start", "period_end", "is_target", "rule"]


def esc(v) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def page_name(article_id: str) -> str:
    """A safe file name for an article page; a hash keeps sanitised names apart."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", article_id)[:80]
    if safe != article_id or safe.startswith("."):
        safe += "-" + hashlib.blake2b(article_id.encode(), digest_size=4).hexdigest()
    return safe + ".html"


def safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url, re.I) else None


def asset(name: str) -> str:
    return resources.files("pipeline.review_assets").joinpath(name).read_text("utf-8")


def _num(v) -> str:
    if v is None:
        return ""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _value(f: dict) -> str:
    if f["kind"] == "range":
        return f"{_num(f['low'])}–{_num(f['high'])}" + (f" {f['unit']}" if f["unit"] else "")
    if f["kind"] == "ratio":
        return f"{_num(f['numerator'])}/{_num(f['denominator'])}"
    return _num(f["value"]) + ("%" if f["kind"] == "percent" else "")


def _subject(f: dict) -> str | None:
    return f"{f['subject_level']}: {f['subject_name']}" if f["subject_name"] else None


def _period(f: dict) -> str | None:
    a, b, part = f["period_start"], f["period_end"], f.get("period_part")
    span = None if a is None else (str(a) if a == b else f"{a}–{b}")
    return f"{span or '?'} {part}" if part else span  # "2017 H1": a part of the year


def figure_span(f: dict, checks: list[dict]) -> dict:
    failed = [c for c in checks if not c["ok"]]
    cls = ("target " if f["is_target"] else "") + ("bad" if failed else "")
    label = f["entity"] or "?"
    if f["status"]:
        label += f"·{f['status']}"
    tip = f"{f['kind']} {_value(f)} · {label} · {_subject(f) or '-'} · {_period(f) or '-'}"
    return {"start": f["span_start"], "end": f["span_end"], "label": esc(label),
            "params": {"fid": esc(f["figure_id"]), "cls": esc(cls.strip()), "tip": esc(tip),
                       "bg": COLORS.get(f["entity"], GREY)}}


def panel_data(f: dict, checks: list[dict]) -> dict:
    return {"surface": f["surface"], "value": _value(f), "kind": f["kind"], "qualifier": f["qualifier"],
            "entity": f["entity"], "status": f["status"], "measure_text": f["measure_text"],
            "subject": _subject(f), "period": _period(f), "is_target": bool(f["is_target"]),
            "rule": f["rule"], "figure_id": f["figure_id"],
            "checks": "; ".join(f"{c['rule']}: {'ok' if c['ok'] else 'FAILED'} ({c['detail']})"
                                for c in checks) or None,
            "failed": any(not c["ok"] for c in checks)}


def json_for_script(obj) -> str:
    """JSON that cannot close its <script> element."""
    s = json.dumps(obj, ensure_ascii=False)
    return s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
            "img-src 'none'; base-uri 'none'; form-action 'none'")


def head(title: str, script: str) -> str:
    return (f'<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp(script))}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{asset('review.css')}</style></head>\n")


def render_text(text: str, figs: list[dict], checks_of: dict) -> tuple[str, int]:
    """displaCy markup of the text; overlapping figures (rare) keep the first one."""
    from spacy import displacy

    spans, last_end = [], -1
    for f in sorted(figs, key=lambda f: (f["span_start"], -f["span_end"])):
        if f["span_start"] >= last_end and f["span_end"] <= len(text):
            spans.append(figure_span(f, checks_of.get(f["figure_id"], [])))
            last_end = f["span_end"]
    markup = displacy.render({"text": text, "ents": spans, "title": None}, style="ent", manual=True,
                             jupyter=False, options={"template": MARK})
    return markup, len(spans)


def checks_section(checks: list[dict], fig_surface: dict) -> str:
    if not checks:
        return '<section class="checks"><h2>Checks</h2><p>No consistency check applies to this article.</p></section>'
    failed = [c for c in checks if not c["ok"]]
    rows = []
    for c in sorted(checks, key=lambda c: (c["ok"], c["rule"])):
        links = " ".join(f'<a href="#fig-{esc(fid)}">{esc(fig_surface.get(fid, fid))}</a>' for fid in c["figure_ids"])
        rows.append(f'<tr class="{"" if c["ok"] else "bad-row"}"><td class="{"okc" if c["ok"] else "failc"}">'
                    f'{"ok" if c["ok"] else "FAILED"}</td><td>{esc(c["rule"])}</td><td>{links}</td>'
                    f'<td class="num">{esc(_num(c["expected"]))}</td><td>{esc(c["relation"])}</td>'
                    f'<td class="num">{esc(_num(c["found"]))}</td><td>{esc(c["detail"])}</td></tr>')
    title = (f'<span class="warn">{len(failed)} failed</span> of {len(checks)}' if failed
             else f'all {len(checks)} ok')
    return (f'<section class="checks" id="checks"><h2>Checks: {title}</h2><table><tr><th>result</th><th>rule</th>'
            f'<th>figures</th><th>expected</th><th></th><th>found</th><th>detail</th></tr>{"".join(rows)}'
            f"</table></section>")


def figures_table(figs: list[dict], checks_of: dict) -> str:
    rows = []
    for f in sorted(figs, key=lambda f: f["span_start"]):
        bad = any(not c["ok"] for c in checks_of.get(f["figure_id"], []))
        rows.append(f'<tr id="row-{esc(f["figure_id"])}" class="{"bad-row" if bad else ""}">'
                    f'<td><a href="#fig-{esc(f["figure_id"])}">{esc(f["surface"])}</a></td>'
                    f'<td>{esc(f["kind"])}</td><td class="num">{esc(_value(f))}</td><td>{esc(f["qualifier"])}</td>'
                    f'<td>{esc(f["entity"])}</td><td>{esc(f["status"])}</td><td>{esc(_subject(f))}</td>'
                    f'<td>{esc(_period(f))}</td><td>{"target" if f["is_target"] else ""}</td>'
                    f'<td>{esc(f["rule"])}</td><td><code>{esc(f["figure_id"])}</code></td></tr>')
    return ('<section class="figtable"><h2>Figures</h2><table><tr><th>surface</th><th>kind</th><th>value</th>'
            '<th>qualifier</th><th>entity</th><th>status</th><th>subject</th><th>period</th><th>target</th>'
            f'<th>rule</th><th>figure id</th></tr>{"".join(rows)}</table></section>')


def article_page(a: dict, figs: list[dict], checks: list[dict]) -> tuple[str, int]:
    checks_of: dict[str, list[dict]] = {}
    for c in checks:
        for fid in c["figure_ids"]:
            checks_of.setdefault(fid, []).append(c)
    markup, n_marks = render_text(a["text"] or "", figs, checks_of)
    data = {f["figure_id"]: panel_data(f, checks_of.get(f["figure_id"], [])) for f in figs}
    script = asset("review.js")
    url = safe_url(a.get("url"))
    meta = " · ".join(esc(x) for x in [a.get("published"), a.get("province"),
                                         a.get("main_unit_name") and f"main unit: {a.get('main_unit_level')} {a.get('main_unit_name')}",
                                         f"{len(figs)} figures", a.get("article_id")] if x)
    link = f' · <a href="{esc(url)}" rel="noopener noreferrer">source</a>' if url else ""
    page = (head(a.get("title") or a["article_id"], script)
            + '<body><header><a href="../index.html">← all articles</a>'
            + f'<h1>{esc(a.get("title") or a["article_id"])}</h1><p class="meta">{meta}{link}</p></header><main>'
            + checks_section(checks, {f["figure_id"]: f["surface"] for f in figs})
            + f'<article class="text">{markup}</article>'
            + figures_table(figs, checks_of) + "</main>"
            + '<aside id="panel"><h2>Figure</h2><dl id="panel-body"><dd class="hint">Hover a highlighted number.'
            + '</dd></dl></aside>'
            + f'<script type="application/json" id="figdata">{json_for_script(data)}</script>'
            + f"<script>{script}</script></body></html>\n")
    return page, n_marks


def index_page(arts: list[dict], totals: dict) -> str:
    rows = []
    for a in arts:
        warn = f'<span class="warn">{a["n_failed"]}</span>' if a["n_failed"] else "0"
        unit = f"{a.get('main_unit_level') or ''} {a.get('main_unit_name') or ''}".strip()
        rows.append(f'<tr><td><a href="a/{esc(page_name(a["article_id"]))}">{esc(a.get("title") or a["article_id"])}</a></td>'
                    f'<td>{esc(a.get("published"))}</td><td>{esc(a.get("province"))}</td><td>{esc(unit)}</td>'
                    f'<td class="num">{a["n_figs"]}</td><td class="num">{a["n_checks"]}</td><td class="num">{warn}</td></tr>')
    summary = "".join(f"<span>{esc(k)}: <b>{esc(v)}</b></span>" for k, v in totals.items())
    return (head("Figures review", "")
            + '<body class="wide"><header><h1>Figures review</h1>'
            + f'<p class="meta summary">{summary}</p></header><main><section>'
            + '<table id="articles"><tr><th>title</th><th>published</th><th>province</th><th>main unit</th>'
            + '<th>figures</th><th>checks</th><th>warnings</th></tr>'
            + "".join(rows) + "</table></section></main></body></html>\n")


def _dicts(cur) -> list[dict]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def build(db: str | Path, out: str | Path, limit: int | None = None) -> dict:
    """Write the review site for ``db`` into ``out``; returns counts."""
    out = Path(out)
    con = open_db(db)
    arts = _dicts(con.execute("""
        SELECT a.* EXCLUDE (text),
               (SELECT count(*) FROM figures f WHERE f.article_id = a.article_id) AS n_figs,
               coalesce(c.n, 0) AS n_checks, coalesce(c.n_failed, 0) AS n_failed
        FROM articles a
        LEFT JOIN (SELECT article_id, count(*) AS n, count(*) FILTER (WHERE NOT ok) AS n_failed
                   FROM checks GROUP BY article_id) c USING (article_id)
        ORDER BY n_failed DESC, a.published DESC NULLS LAST, a.article_id"""))
    if limit:
        arts = arts[:limit]
    if (out / "a").exists():
        shutil.rmtree(out / "a")  # pages of articles no longer in the database go too
    (out / "a").mkdir(parents=True, exist_ok=True)
    figs_of: dict[str, list[dict]] = {}
    # (period_part: a database written before it existed has none)
    have = {r[0] for r in con.execute("DESCRIBE figures").fetchall()}
    fields = FIG_FIELDS + (["period_part"] if "period_part" in have else [])
    for f in _dicts(con.execute(f"SELECT article_id, {', '.join(fields)} FROM figures")):
        figs_of.setdefault(f["article_id"], []).append(f)
    checks_of: dict[str, list[dict]] = {}
    for c in _dicts(con.execute("SELECT * FROM checks")):
        checks_of.setdefault(c["article_id"], []).append(c)
    # one streaming pass over the texts (a lookup per article is a scan per article)
    chosen = {a["article_id"]: a for a in arts}
    n_marks = 0
    cur = con.execute("SELECT article_id, text FROM articles")
    while batch := cur.fetchmany(500):
        for article_id, text in batch:
            if article_id not in chosen:
                continue
            page, n = article_page({**chosen[article_id], "text": text}, figs_of.get(article_id, []),
                                   checks_of.get(article_id, []))
            (out / "a" / page_name(article_id)).write_text(page, encoding="utf-8")
            n_marks += n
    totals = {"articles": len(arts), "figures": sum(a["n_figs"] for a in arts),
              "checks": sum(a["n_checks"] for a in arts), "failed checks": sum(a["n_failed"] for a in arts)}
    (out / "index.html").write_text(index_page(arts, totals), encoding="utf-8")
    con.close()
    return {**totals, "marks": n_marks, "out": str(out / "index.html")}

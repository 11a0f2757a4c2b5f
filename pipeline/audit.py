"""An audit of what analysts read: a random sample of metric rows (view
``figure_metrics``) on one self-contained HTML page and a TSV, each row with its unit,
period and value, the sentence with the number highlighted, the article's title and
lead, and a place to mark it right or wrong with a reason.

Auditors (people, or helpers) fill the TSV's ``judgment`` (right/wrong) and ``reason``
columns, or use the page's buttons and its "download TSV" link; ``summarise`` reads a
filled TSV back and gives the precision.
"""
from __future__ import annotations

import csv
import html
import json
from pathlib import Path

from .views import open_db

COLUMNS = ["n", "figure_id", "article_id", "metric", "label", "subject_level", "subject_name",
           "province", "period_start", "period_end", "period_part", "period_inferred", "period_source", "is_target", "value", "plausible", "surface",
           "sentence", "title", "lead", "period_from", "period_from_sentence", "judgment", "reason"]
LEAD_CHARS = 400

_QUERY = """
WITH m AS (
    SELECT DISTINCT ON (figure_id) * FROM {view} ORDER BY figure_id, priority
)
SELECT m.figure_id, m.article_id, m.metric, d.label, m.subject_level, m.subject_name, m.province,
       m.period_start, m.period_end, m.period_part, m.period_inferred, m.period_source, m.is_target, m.value, m.plausible, f.surface, f.sentence,
       f.span_start - coalesce(strpos(a.text, f.sentence) - 1, 0) AS at_in_sentence,
       a.title, left(a.text, {lead}) AS lead,
       -- the telling that gave the period (another article's, or the same article's)
       p.article_id AS period_from, p.sentence AS period_from_sentence
FROM m
JOIN figures f USING (figure_id)
JOIN articles a ON a.article_id = m.article_id
LEFT JOIN figures p ON p.figure_id = m.period_from
JOIN (SELECT DISTINCT metric, first(label) AS label FROM metric_defs GROUP BY metric) d USING (metric)
ORDER BY hash(m.figure_id || ?), m.figure_id
LIMIT ?
"""


def sample(db: str | Path, n: int = 60, seed: int = 0, with_implausible: bool = False) -> list[dict]:
    """``n`` rows of ``figure_metrics`` (what the metric views and the notebook use) drawn
    at random, reproducibly for a ``seed``: one row per figure. ``with_implausible``: from
    ``figure_metrics_all``, the figures set aside as implausible too."""
    con = open_db(db)
    view = "figure_metrics_all" if with_implausible else "figure_metrics"
    cur = con.execute(_QUERY.format(view=view, lead=LEAD_CHARS), [str(seed), n])
    names = [d[0] for d in cur.description]
    out = []
    for i, row in enumerate(cur.fetchall(), 1):
        r = dict(zip(names, row))
        r["n"] = i
        r["judgment"], r["reason"] = "", ""
        out.append(r)
    return out


def _marked(sentence: str, surface: str, at: int | None) -> str:
    """The sentence, escaped, with the figure's surface in <mark> (at its offset when known)."""
    sentence = sentence or ""
    i = at if at is not None and 0 <= at and sentence[at:at + len(surface)] == surface \
        else sentence.find(surface)
    if i < 0:
        return html.escape(sentence)
    j = i + len(surface)
    return f"{html.escape(sentence[:i])}<mark>{html.escape(sentence[i:j])}</mark>{html.escape(sentence[j:])}"


def _period(r: dict) -> str:
    a, b = r["period_start"], r["period_end"]
    if a is None and b is None:
        return f"— {r['period_part']}" if r.get("period_part") else "—"
    span = str(a) if a == b else f"{a if a is not None else '?'}–{b if b is not None else '?'}"
    if r.get("period_part"):  # a part of the year: "2017 H1"
        span = f"{span} {r['period_part']}"
    # a year not stated for the figure: the article's own dates, or another article
    # stating the same figure with its period
    if r.get("period_source") == "agreement":
        return f"{span} (another article's)"
    return f"{span} (article's year)" if r.get("period_inferred") else span


_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>Audit: {n} metric rows of {db}</title>
<style>
body{{font:14px/1.4 system-ui,sans-serif;margin:1.5em;max-width:1200px}}
table{{border-collapse:collapse;width:100%}} td,th{{border:1px solid #ccc;padding:.4em;vertical-align:top}}
mark{{background:#ffe066;font-weight:bold}} .lead{{color:#555;font-size:12px}} .bad td{{background:#fde2e2}}
.ok td{{background:#e3f6e3}} .flag{{color:#b00;font-weight:bold}}
</style></head><body>
<h1>Audit of {n} random metric rows</h1>
<p>Database <code>{db}</code>, seed {seed}. For each row: is the <b>value</b> the <b>metric</b> of this
<b>unit</b> for this <b>period</b>, as the sentence states it? Mark it, give a reason when wrong,
then <a id="dl" href="#">download the judgments as TSV</a>. <span id="score"></span></p>
<table><thead><tr><th>#</th><th>metric</th><th>unit</th><th>period</th><th>value</th>
<th>sentence (the number highlighted) · article</th><th>judgment</th></tr></thead><tbody>
{rows}
</tbody></table>
<script type="application/json" id="data">{data}</script>
<script>
const rows = JSON.parse(document.getElementById('data').textContent);
function score() {{
  let right = 0, done = 0;
  rows.forEach((r, i) => {{
    const v = (document.querySelector('input[name="j' + i + '"]:checked') || {{}}).value || '';
    r.judgment = v; r.reason = document.getElementById('r' + i).value;
    document.getElementById('row' + i).className = v === 'right' ? 'ok' : v === 'wrong' ? 'bad' : '';
    if (v) {{ done++; if (v === 'right') right++; }}
  }});
  document.getElementById('score').textContent = done ? `${{right}}/${{done}} right (${{(100 * right / done).toFixed(1)}}%)` : '';
}}
document.addEventListener('change', score); document.addEventListener('input', score);
document.getElementById('dl').addEventListener('click', e => {{
  score();
  const cols = {cols};
  const esc = v => String(v === null || v === undefined ? '' : v).replace(/[\\t\\n\\r]/g, ' ');
  const tsv = [cols.join('\\t')].concat(rows.map(r => cols.map(c => esc(r[c])).join('\\t'))).join('\\n');
  e.target.href = URL.createObjectURL(new Blob([tsv], {{type: 'text/tab-separated-values'}}));
  e.target.download = 'audit_judged.tsv';
}});
</script></body></html>
"""


def write(rows: list[dict], out: str | Path, db: str, seed: int) -> dict:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "audit.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in COLUMNS])
    body = []
    for i, r in enumerate(rows):
        unit = f"{html.escape(str(r['subject_name']))} <small>({html.escape(str(r['subject_level']))}" \
               f"{', ' + html.escape(str(r['province'])) if r['province'] and r['province'] != r['subject_name'] else ''})</small>"
        flag = "" if r["plausible"] else ' <span class="flag" title="outside data/plausible.tsv">implausible</span>'
        target = " <small>(target)</small>" if r["is_target"] else ""
        # where an inferred period came from: the sentence that states it
        source = f'<div class="lead">from {html.escape(r["period_from"])}: ' \
                 f'{html.escape(r["period_from_sentence"] or "")}</div>' if r.get("period_from") else ""
        body.append(
            f'<tr id="row{i}"><td>{r["n"]}</td><td>{html.escape(str(r["label"]))}<br><small>{html.escape(r["metric"])}</small></td>'
            f"<td>{unit}</td><td>{_period(r)}{source}</td><td>{r['value']:,.6g}{target}{flag}</td>"
            f"<td>{_marked(r['sentence'], r['surface'], r.get('at_in_sentence'))}"
            f'<div class="lead"><b>{html.escape(r["title"] or "(no title)")}</b> · {html.escape(r["article_id"])}<br>'
            f"{html.escape((r['lead'] or '')[:LEAD_CHARS])}…</div></td>"
            f'<td><label><input type="radio" name="j{i}" value="right"> right</label><br>'
            f'<label><input type="radio" name="j{i}" value="wrong"> wrong</label><br>'
            f'<input id="r{i}" placeholder="reason" size="18"></td></tr>')
    data = json.dumps([{c: _cell(r.get(c)) for c in COLUMNS} for r in rows], ensure_ascii=False)
    page = _PAGE.format(n=len(rows), db=html.escape(str(db)), seed=seed, rows="\n".join(body),
                        data=data.replace("</", "<\\/"), cols=json.dumps(COLUMNS))
    (out / "audit.html").write_text(page, encoding="utf-8")
    return {"rows": len(rows), "html": str(out / "audit.html"), "tsv": str(out / "audit.tsv")}


def _cell(v):
    if v is None:
        return ""
    return " ".join(str(v).split()) if isinstance(v, str) else v


def summarise(tsv: str | Path) -> dict:
    """Precision of a judged audit TSV, and its commonest reasons for 'wrong'."""
    right = wrong = 0
    reasons: dict[str, int] = {}
    with open(tsv, encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            j = (r.get("judgment") or "").strip().lower()
            if j == "right":
                right += 1
            elif j == "wrong":
                wrong += 1
                key = (r.get("reason") or "").strip().lower() or "(no reason)"
                reasons[key] = reasons.get(key, 0) + 1
    judged = right + wrong
    return {"judged": judged, "right": right, "precision": right / judged if judged else None,
            "reasons": sorted(reasons.items(), key=lambda kv: -kv[1])}

# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Comparing districts and provinces
#
# The main metrics (party members, grassroots party organisations, party cells,
# admissions, share of grassroots organisations rated clean and strong / completing
# their tasks well) per district and per province, as the extracted figures state them.
#
# * Data: the DuckDB file in `FIGURES_DB` (default `extracted/figures.duckdb`, made by
#   `make extract`); point it at the bench database to compare many districts.
# * Each value is the latest one the articles give for that unit (`latest_metrics`), so
#   two districts may be compared across different years: the year is shown with it, and
#   a tally of part of a year with its part ("2017 H1": the first half; `period_part`),
#   which the latest value is only when no whole year's is as recent.
# * Every number links back to the sentence it came from on the review page
#   (`make review`), `REVIEW_BASE` (default `../extracted/review`).
# * Only a unit's own totals count (a part such as "trong đó 44 nữ", or a group such as
#   "4 đảng viên liên quan vụ án", is not the unit's figure), never a foreign subject, and
#   never a value outside the real-world bounds of `pipeline/data/plausible.tsv`: those
#   are listed at the end, with their sentences, instead of being charted.
#
# This file is the source of truth (jupytext percent format); `compare_districts.ipynb`
# is generated from it: `jupytext --to ipynb notebooks/compare_districts.py`.

# %%
import html
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display

from pipeline.review import page_name
from pipeline.views import metric_defs, open_db


def find_db() -> Path:
    """FIGURES_DB, or the default; a relative path from the repository root also works
    when the notebook runs in notebooks/."""
    p = Path(os.environ.get("FIGURES_DB", "extracted/figures.duckdb"))
    return p if p.is_absolute() or p.exists() else Path("..") / p


DB = find_db()
REVIEW_BASE = os.environ.get("REVIEW_BASE", "../extracted/review")
con = open_db(DB)  # read-only; views and checks are rebuilt in memory if the file lacks them
defs = metric_defs().drop_duplicates("metric").set_index("metric")
LABEL = defs["label"].to_dict()
MAIN = [m for m in dict.fromkeys(defs.index[defs.wide])]
CHARTED = []  # every value drawn on a chart: (chart, level, unit, metric, value, from, to)


def _year(y):
    return None if y is None or pd.isna(y) else int(y)
print(f"{DB}: {con.execute('SELECT count(*) FROM articles').fetchone()[0]} articles, "
      f"{con.execute('SELECT count(*) FROM figures').fetchone()[0]} figures")

# %% [markdown]
# ## Districts: one row each, latest value of each main metric

# %%
districts = con.execute("SELECT * EXCLUDE (article_ids) FROM district_metrics").df()
present = [m for m in MAIN if m in districts and districts[m].notna().any()]
print(f"{len(districts)} districts with at least one main metric; metrics present: {present or 'none'}")
districts

# %%
def unit_label(row, name_col, province_col=None) -> str:
    prov = row.get(province_col) if province_col else None
    return f"{row[name_col]} ({prov})" if prov and prov != row[name_col] else str(row[name_col])


def bar_panels(df: pd.DataFrame, name_col: str, province_col: str | None, title: str, level: str,
               top: int = 25):
    """One horizontal bar chart per main metric that has values; the year next to each bar."""
    metrics = [m for m in MAIN if m in df and df[m].notna().any()]
    if df.empty or not metrics:
        print(f"{title}: nothing to plot (no unit has a main metric)")
        return
    cols = min(3, len(metrics))
    rows = -(-len(metrics) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.5 * cols, 0.35 * min(top, len(df)) * rows + 2.5),
                             squeeze=False)
    for ax, m in zip(axes.flat, metrics):
        part = df[df[m].notna()].nlargest(top, m).iloc[::-1]
        labels = [unit_label(r, name_col, province_col) for _, r in part.iterrows()]
        bars = ax.barh(labels, part[m], color="#4c78a8")
        starts = part.get(f"{m}_from", pd.Series([None] * len(part), index=part.index))
        ends = part.get(f"{m}_year", pd.Series([None] * len(part), index=part.index))
        CHARTED.extend((title, level, lab, m, float(v), _year(a), _year(b))
                       for lab, v, a, b in zip(labels, part[m], starts, ends))
        years = part.get(f"{m}_year")
        parts = part.get(f"{m}_part", pd.Series([None] * len(part), index=part.index))
        if years is not None:
            for bar, y, p in zip(bars, years, parts):
                # a part of the year ("2017 H1": the first half's tally) is said at the bar
                text = ("" if pd.isna(y) else str(int(y))) + ("" if p is None or pd.isna(p) else f" {p}")
                ax.annotate(text, (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                            xytext=(3, 0), textcoords="offset points", va="center", fontsize=8, color="#555")
        ax.set_title(LABEL.get(m, m), fontsize=10)
        ax.margins(x=0.15)
        if m.endswith("_pct"):
            ax.set_xlim(0, max(100, part[m].max() * 1.1))
        elif len(part) > 2 and part[m].min() > 0 and part[m].max() > 50 * part[m].median():
            ax.set_xscale("log")  # one misread figure (1.4 million members) would flatten the rest
            ax.set_title(LABEL.get(m, m) + " (log scale)", fontsize=10)
    for ax in list(axes.flat)[len(metrics):]:
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    plt.show()


bar_panels(districts, "district", "province", "Districts: latest value of each main metric (year at the bar)",
           "district")

# %% [markdown]
# ## Size and shares
#
# Members per grassroots organisation, and the share of grassroots organisations rated
# clean and strong or completing their tasks well, where the articles give them.

# %%
both = districts.dropna(subset=[c for c in ("party_members", "grassroots_orgs") if c in districts])
if {"party_members", "grassroots_orgs"} <= set(districts) and len(both):
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.scatter(both["grassroots_orgs"], both["party_members"], color="#f58518")
    for _, r in both.iterrows():
        for m in ("party_members", "grassroots_orgs"):
            CHARTED.append(("members vs organisations", "district", r["district"], m, float(r[m]),
                            _year(r.get(f"{m}_from")), _year(r.get(f"{m}_year"))))
    for _, r in both.iterrows():
        ax.annotate(r["district"], (r["grassroots_orgs"], r["party_members"]), xytext=(4, 4),
                    textcoords="offset points", fontsize=8)
    ax.set_xlabel(LABEL["grassroots_orgs"])
    ax.set_ylabel(LABEL["party_members"])
    ax.set_title("Party members against grassroots organisations, per district")
    plt.show()
    display((both["party_members"] / both["grassroots_orgs"]).rename("members per grassroots org")
            .to_frame().assign(district=both["district"]).set_index("district").round(1))
else:
    print("no district has both party members and grassroots organisations")

shares = [m for m in ("orgs_clean_strong_pct", "orgs_good_pct", "orgs_good_or_above_pct")
          if m in districts and districts[m].notna().any()]
if shares:
    part = districts.set_index("district")[shares].dropna(how="all")
    CHARTED.extend(("ratings", "district", d, m, float(v), None, None) for d, r in part.iterrows()
                   for m, v in r.items() if pd.notna(v))
    ax = part.rename(columns=LABEL).plot.barh(figsize=(8, 0.5 * len(part) + 2), xlim=(0, 100))
    ax.set_xlabel("% of grassroots party organisations")
    ax.set_title("Ratings of grassroots organisations, per district (latest year)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    plt.show()
else:
    print("no district has rating shares")

# %% [markdown]
# ## Provinces
#
# Figures stated for a whole province, and the districts of each province that the
# articles give figures for.

# %%
provinces = con.execute("SELECT * EXCLUDE (article_ids) FROM province_metrics").df()
bar_panels(provinces, "province_name", None, "Provinces: latest value of each main metric (year at the bar)",
           "province")
per_province = (districts.groupby("province", dropna=False)
                .agg(districts=("district", "count"),
                     **{f"{m} (districts with it)": (m, "count") for m in present})
                if len(districts) else pd.DataFrame())
per_province

# %% [markdown]
# ## The figures behind the numbers
#
# Each row links to the figure on the review page (run `make review` first), where the
# sentence is highlighted and the figure's fields and checks are shown.

# %%
rows = con.execute("""
    SELECT fm.province, fm.subject_name AS district, fm.metric, fm.value, fm.period_end AS year,
           fm.is_target, f.surface, f.sentence, f.figure_id, f.article_id
    FROM figure_metrics fm JOIN figures f USING (figure_id)
    WHERE fm.subject_level = 'district'
      AND fm.metric IN (SELECT metric FROM metric_defs WHERE wide)
    ORDER BY fm.province, fm.subject_name, fm.metric, fm.period_end DESC
    LIMIT 300""").df()


def figures_table(df: pd.DataFrame) -> HTML:
    """An HTML table; every value is escaped (article text is untrusted)."""
    if df.empty:
        return HTML("<p>No district figures for the main metrics.</p>")
    e = html.escape
    out = ["<table><tr><th>province</th><th>district</th><th>metric</th><th>value</th><th>year</th>"
           "<th>figure</th><th>sentence</th></tr>"]
    for _, r in df.iterrows():
        link = f"{REVIEW_BASE}/a/{page_name(r['article_id'])}#fig-{r['figure_id']}"
        sentence = r["sentence"] if len(r["sentence"]) <= 160 else r["sentence"][:157] + "…"
        value = f"{r['value']:g}" + (" (target)" if r["is_target"] else "")
        out.append(f"<tr><td>{e(str(r['province']))}</td><td>{e(str(r['district']))}</td>"
                   f"<td>{e(LABEL.get(r['metric'], r['metric']))}</td><td>{e(value)}</td>"
                   f"<td>{'' if pd.isna(r['year']) else int(r['year'])}</td>"
                   f"<td><a href=\"{e(link)}\">{e(r['surface'])}</a></td><td>{e(sentence)}</td></tr>")
    out.append("</table>")
    return HTML("".join(out))


figures_table(rows)

# %% [markdown]
# ## Consistency checks that failed
#
# Totals that do not match their parts, ratios that disagree with their percent,
# targets missed (see `pipeline/checks.py`). They flag figures to look at; nothing
# above was corrected.

# %%
failed = con.execute("""
    SELECT c.rule, c.expected, c.relation, c.found, c.detail, a.title, c.article_id
    FROM checks c JOIN articles a USING (article_id) WHERE NOT c.ok
    ORDER BY c.rule, c.article_id""").df()
print(f"{len(failed)} failed of {con.execute('SELECT count(*) FROM checks').fetchone()[0]} checks")
failed.head(50)

# %% [markdown]
# ## Figures set aside as implausible
#
# Metric figures outside the bounds of `pipeline/data/plausible.tsv` (a district with
# millions of members, a share over 100%): misread sentences, not facts. They are in
# no chart above; here they are with the sentence each came from.

# %%
implausible = con.execute("""
    SELECT metric, subject_level, subject_name, value, bound_min, bound_max, surface,
           left(sentence, 160) AS sentence, article_id
    FROM implausible_metrics ORDER BY metric, value DESC""").df()
print(f"{len(implausible)} implausible metric figures set aside; "
      f"{len(CHARTED)} values charted above")
implausible.head(30)

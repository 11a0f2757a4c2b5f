"""DuckDB views that turn figures into metrics per unit and period.

A *metric* is an (entity, status, kind) combination named in ``data/metrics.tsv``
("party_members" = party_member / no status / count). The table is loaded into
the database as ``metric_defs`` so the views stay plain SQL and a new metric is a
line of data. ``create_views(con)`` is idempotent and runs after every extraction.

Views (see README "Views"):

- ``figure_metrics``   one row per figure that measures a metric (its unit's total,
  within the bounds of data/plausible.tsv); ``figure_metrics_all`` with the others too
  (column ``plausible``), ``implausible_metrics`` the others with their sentences
- ``unit_metrics``     one row per (unit, metric, period, part of the year: "H1", "9M" …):
  chosen value, sources, target
- ``latest_metrics``   the latest actual value per unit and metric
- ``unit_metrics_wide``/``district_metrics``/``province_metrics``  one row per unit,
  one column per main metric (``wide`` = 1 in metrics.tsv) plus its year
"""
from __future__ import annotations

import duckdb
import pandas as pd

from .bounds import plausible_bounds, plausible_shares
from .numbers import ROUNDED_BANDS
from .tables import rows

DEF_COLUMNS = ["metric", "entity", "status", "actor", "kind", "value_from", "priority", "wide", "label"]


def metric_defs() -> pd.DataFrame:
    """metrics.tsv as one row per (metric, entity, status, kind)."""
    out = []
    for metric, entity, status, actor, kinds, value_from, priority, wide, label, *_ in rows("metrics"):
        for kind in kinds.split(","):
            out.append([metric, entity, None if status == "-" else status, None if actor == "-" else actor,
                        kind.strip(), value_from, int(priority), wide == "1", label])
    return pd.DataFrame(out, columns=DEF_COLUMNS)


# the smallest count the views date by another article's agreeing figure (FIGURE_METRICS,
# `agreed`): a small count can match by chance
MIN_AGREE = 20
# two tellings are the same figure when their values differ by at most this share (a
# rounded "6.098" against "6.100"; FIGURE_METRICS `agreed` and `retold`)
SAME_VALUE = 0.005

# The unit a figure belongs to: level + name, and the province it lies in. A district
# name alone is ambiguous (Châu Thành exists in several provinces), so the province is
# part of the key: the article's province, or the subject itself at province level.
# Only totals measure a unit (spec §2 role: a part or a group is not the unit's figure),
# and never a foreign subject; a metric of one acting body (metric_defs.actor, e.g. the
# inspection commissions' tally) takes the parts that body's tally made (figures.actor).
# `plausible`: within the bounds of data/plausible.tsv (a flow's upper bound times the
# years its period spans; no bounds -> plausible), and a flow within its share of the
# unit's own members told in the same article for the same time (data/plausible_shares.tsv).
FIGURE_METRICS = """
CREATE OR REPLACE VIEW figure_metrics_all AS
WITH fm0 AS (
    SELECT m.metric, f.subject_level, f.subject_name,
           CASE WHEN f.subject_level = 'province' THEN f.subject_name
                WHEN f.subject_level = 'national' THEN NULL
                ELSE a.province END AS province,
           -- an undated figure (a record with no publication date and no year in its
           -- sentence) takes the year of its article (articles.year: the year a report
           -- reviews; a stock the year it was written, articles.written_year), flagged
           -- (one whose text counts years back from an unknown time of writing, "Trong 5
           -- năm qua", "Hai năm trước" (figures.period_back_*), counts them back from the
           -- year the article was written)
           CASE WHEN f.period_start IS NULL AND f.period_end IS NULL AND NOT f.is_target
                THEN CASE WHEN {back_start} > 0 THEN {written} - {back_start} ELSE {year} END
                ELSE f.period_start END AS period_start,
           -- and a span "from … to now" with no end of its own ("từ năm 2014 đến nay"
           -- in an undated record) ends that year, flagged too
           CASE WHEN f.period_end IS NULL AND NOT f.is_target
                 AND (f.period_start IS NULL OR {year} >= f.period_start)
                THEN CASE WHEN f.period_start IS NULL AND {back_end} > 0 THEN {written} - {back_end}
                          ELSE {year} END
                ELSE f.period_end END AS period_end,
           (f.period_end IS NULL AND NOT f.is_target AND {year} IS NOT NULL
            AND (f.period_start IS NULL OR {year} >= f.period_start)) AS period_inferred,
           -- told with no time of its own: no period, or a title's figure dated only by the
           -- publication date (a title is dated by its own words, else by the publication
           -- date: spec §2; "Năm 2017, Đà Nẵng kỷ luật 512 đảng viên" keeps its 2017)
           (NOT f.is_target AND (f.period_start IS NULL AND f.period_end IS NULL
            OR f.span_end <= length(coalesce(a.title, ''))
               AND f.period_start = year(a.published) AND f.period_end = year(a.published))) AS undated,
           -- the part of the year a flow covers ("H1", "9M", …; NULL: whole years): a
           -- half-year tally is another period than its year's
           {part} AS period_part,
           f.is_target,
           CASE WHEN m.value_from = 'ratio_pct' THEN 100.0 * f.numerator / nullif(f.denominator, 0)
                ELSE f.value END AS value,
           f.qualifier, f.kind, m.priority, f.figure_id, f.article_id, a.published, f.span_start,
           m.status IS NOT NULL AS is_flow
    FROM figures f
    JOIN articles a USING (article_id)
    JOIN metric_defs m
      ON m.entity = f.entity AND m.kind = f.kind
     AND m.status IS NOT DISTINCT FROM coalesce(
           (SELECT r.metric_status FROM status_refinements r
            WHERE r.status = f.status AND {cue} LIKE '%' || r.cue || '%'
            ORDER BY length(r.cue) DESC LIMIT 1), f.status)
    WHERE f.subject_level IS NOT NULL AND f.subject_name IS NOT NULL
      AND f.subject_level <> 'foreign'
      AND (({role} = 'total' AND m.actor IS NULL) OR ({role} = 'part' AND m.actor = {actor}))
), agreed AS (
    -- a flow still undated or open-ended takes the period another article of the corpus
    -- states for the same figure (same unit, metric and value, within rounding), when
    -- all such articles agree on it ("87 tổ chức đảng" of an undated mid-year report,
    -- "năm 2017" in another); a stock's value carries over from year to year, and a
    -- small count can match by chance, so neither is dated this way
    SELECT u.figure_id, min(d.period_start) AS period_start, min(d.period_end) AS period_end,
           min(d.period_part) AS period_part, min(d.figure_id) AS period_from
    FROM fm0 u JOIN fm0 d
      ON d.metric = u.metric AND d.subject_level = u.subject_level
     AND d.subject_name = u.subject_name AND d.province IS NOT DISTINCT FROM u.province
     AND d.article_id <> u.article_id AND NOT d.is_target AND NOT d.period_inferred
     AND d.period_start IS NOT NULL AND d.period_end IS NOT NULL
     AND abs(d.value - u.value) <= {same_value} * abs(d.value)
     AND (u.period_start IS NULL OR u.period_start = d.period_start)
     -- (and its part of the year: "87 tổ chức đảng" of "6 tháng đầu năm 2017" elsewhere)
     AND (u.period_part IS NULL OR u.period_part IS NOT DISTINCT FROM d.period_part)
    WHERE u.is_flow AND NOT u.is_target AND u.value >= {min_agree}
      AND (u.period_start IS NULL OR u.period_end IS NULL)
    GROUP BY u.figure_id
    HAVING count(DISTINCT (d.period_start, d.period_end, d.period_part)) = 1
), retold AS (
    -- the same figure told again in its article (same unit, metric and value, each telling
    -- with its own time): a telling with no time of its own, or a title's (dated, like its
    -- status, by its own words only, else by the publication date: "Đà Nẵng kỷ luật 500 đảng
    -- viên" over "Nhiệm kỳ 2010-2015, … kỷ luật 500 đảng viên"), takes the other's period
    -- and keeps its own part of the year ("Từ đầu năm đến nay, …"); a telling with the same
    -- years but no part takes the part the other gives (the body's "Trong 9 tháng, … 111
    -- đảng viên" under the title's "Đà Nẵng thi hành kỷ luật 111 đảng viên"); when all such
    -- tellings agree
    SELECT u.figure_id, min(d.period_start) AS period_start, min(d.period_end) AS period_end,
           min(d.period_part) AS period_part, min(d.figure_id) AS period_from,
           -- (it takes the other's years: it had none of its own, the other has some)
           -- (years the other telling only has from the article, as this one does, are no
           -- years of its own: then only its part is taken)
           any_value(u.undated) AND NOT bool_or(d.period_inferred)
           AND (min(d.period_start) IS NOT NULL OR min(d.period_end) IS NOT NULL) AS years
    FROM fm0 u JOIN fm0 d
      ON d.article_id = u.article_id AND d.figure_id <> u.figure_id AND d.metric = u.metric
     AND d.subject_level = u.subject_level AND d.subject_name = u.subject_name
     AND d.province IS NOT DISTINCT FROM u.province AND d.is_target = u.is_target
     AND (NOT d.period_inferred OR d.period_part IS NOT NULL)
     AND (NOT d.undated OR d.period_part IS NOT NULL)
     AND abs(d.value - u.value) <= {same_value} * abs(d.value)
    WHERE u.undated AND (u.period_part IS NULL OR u.period_part IS NOT DISTINCT FROM d.period_part)
       OR NOT u.undated AND u.period_part IS NULL AND d.period_part IS NOT NULL
          AND d.period_start IS NOT DISTINCT FROM u.period_start
          AND d.period_end IS NOT DISTINCT FROM u.period_end
    GROUP BY u.figure_id
    HAVING count(DISTINCT (d.period_start, d.period_end, d.period_part)) = 1
), fm AS (
    SELECT fm0.* EXCLUDE (is_flow, undated) REPLACE (
               coalesce(CASE WHEN t.years THEN t.period_start END, g.period_start, fm0.period_start) AS period_start,
               coalesce(CASE WHEN t.years THEN t.period_end END, g.period_end, fm0.period_end) AS period_end,
               CASE WHEN t.years THEN t.period_part
                    WHEN g.figure_id IS NOT NULL THEN g.period_part
                    ELSE coalesce(fm0.period_part, t.period_part) END AS period_part,
               (fm0.period_inferred OR g.figure_id IS NOT NULL) AND NOT coalesce(t.years, false) AS period_inferred),
           CASE WHEN t.years THEN 'retold'
                WHEN g.figure_id IS NOT NULL THEN 'agreement'
                WHEN fm0.period_inferred THEN 'article'
                WHEN fm0.period_start IS NULL AND fm0.period_end IS NULL THEN NULL
                ELSE 'figure' END AS period_source,
           -- the figure whose telling gave the period ('retold', 'agreement'): an analyst, or
           -- an auditor, reads its sentence
           CASE WHEN t.years THEN t.period_from WHEN g.figure_id IS NOT NULL THEN g.period_from
                END AS period_from
    FROM fm0 LEFT JOIN agreed g USING (figure_id) LEFT JOIN retold t USING (figure_id)
), years AS (
    -- the years a figure's period spans (a flow's per-year bound grows with them)
    SELECT fm.*, CASE WHEN fm.period_end >= fm.period_start
                      THEN fm.period_end - fm.period_start + 1 ELSE 1 END AS n_years
    FROM fm
), bounded AS (
SELECT y.*, b.min_value AS bound_min,
       b.max_value * CASE WHEN b.per_year THEN y.n_years ELSE 1 END AS bound_max,
       b.reason AS bound_reason,
       coalesce(y.value BETWEEN b.min_value AND b.max_value * CASE WHEN b.per_year THEN y.n_years ELSE 1 END,
                y.value IS NOT NULL OR b.metric IS NULL) AS plausible
FROM years y
LEFT JOIN plausible_bounds b
  ON b.metric = y.metric AND (b.level = y.subject_level OR b.level = '*')
), shares AS (
    -- a flow against the unit's own stock told in the same article (plausible_shares.tsv)
    SELECT u.figure_id, min(r.max_share * s.value) AS share_max,
           arg_min(r.reason, r.max_share * s.value) AS share_reason
    FROM fm u JOIN plausible_shares r ON r.metric = u.metric
    -- (a stock within its own bounds: "năm 2017 là 9.800" misread as the country's members
    -- measures nothing)
    JOIN bounded s ON s.article_id = u.article_id AND s.metric = r.stock_metric AND s.plausible
     AND s.subject_level = u.subject_level AND s.subject_name = u.subject_name
     AND s.province IS NOT DISTINCT FROM u.province AND NOT s.is_target AND s.value > 0
     -- (a stock of the flow's time, a year either side: "năm 1945 … có 5.000 đảng viên"
     -- is no measure of the expulsions of 2011-2017 in the same article)
     AND (s.period_start IS NULL OR u.period_start IS NULL
          OR coalesce(s.period_end, s.period_start) >= u.period_start - 1
             AND s.period_start <= coalesce(u.period_end, u.period_start) + 1)
    WHERE NOT u.is_target
    GROUP BY u.figure_id
)
SELECT x.* EXCLUDE (n_years, bound_min, bound_max, bound_reason, plausible, share_max, share_reason, over_share),
       CASE WHEN x.over_share THEN coalesce(x.bound_min, 0) ELSE x.bound_min END AS bound_min,
       CASE WHEN x.over_share THEN x.share_max * x.n_years ELSE x.bound_max END AS bound_max,
       CASE WHEN x.over_share THEN x.share_reason ELSE x.bound_reason END AS bound_reason,
       x.plausible AND NOT x.over_share AS plausible
FROM (SELECT bounded.*, sh.share_max, sh.share_reason,
             coalesce(bounded.value > sh.share_max * bounded.n_years, false) AS over_share
      FROM bounded LEFT JOIN shares sh USING (figure_id)) x
"""

# figure_metrics: the figures that measure a metric of their unit (within bounds);
# implausible_metrics: those that cannot be true of their unit, with their sentence, kept
# out of every metric view (and failed `plausible` checks).
# A rounded figure of an article ("hơn 200 đảng viên bị kỷ luật" in its title) that the same
# article also gives exactly for the same unit, metric and period (201 in its body) is
# that figure told loosely: the exact one stands for both (bands: ROUNDED_BANDS).
PLAUSIBLE_METRICS = """
CREATE OR REPLACE VIEW figure_metrics AS
WITH bands(qualifier, lo, hi) AS (VALUES {bands})
SELECT m.* FROM figure_metrics_all m
WHERE m.plausible AND NOT EXISTS (
    SELECT 1 FROM figure_metrics_all x JOIN bands b ON b.qualifier = m.qualifier
    WHERE x.article_id = m.article_id AND x.metric = m.metric AND x.figure_id <> m.figure_id
      AND x.subject_level = m.subject_level AND x.subject_name = m.subject_name
      AND x.is_target = m.is_target AND x.plausible AND x.qualifier = 'exact'
      AND x.period_start IS NOT DISTINCT FROM m.period_start
      AND x.period_end IS NOT DISTINCT FROM m.period_end
      -- (a loose figure with no part of the year, the title's "hơn 90", is the exact one of
      -- the same article told for "6 tháng đầu năm" too)
      AND (m.period_part IS NULL OR x.period_part IS NOT DISTINCT FROM m.period_part)
      AND x.value <> m.value AND x.value BETWEEN b.lo * m.value AND b.hi * m.value)
"""

IMPLAUSIBLE_METRICS = """
CREATE OR REPLACE VIEW implausible_metrics AS
SELECT m.metric, m.subject_level, m.subject_name, m.province, m.period_start, m.period_end,
       m.period_part, m.is_target, m.value, m.bound_min, m.bound_max, m.bound_reason, f.surface, f.sentence,
       m.figure_id, m.article_id
FROM figure_metrics_all m JOIN figures f USING (figure_id)
WHERE NOT m.plausible
"""

# One value per (unit, metric, period, actual/target): lowest priority (a stated percent
# before one computed from a ratio), then the value most articles agree on, then the
# most recently published article. min/max/n_figures and `disagreement` keep conflicts
# in sight. Implausible figures take no part.
UNIT_METRICS = """
CREATE OR REPLACE VIEW unit_metrics AS
WITH ok AS (
    SELECT * FROM figure_metrics
), agreed AS (
    SELECT *, count(DISTINCT article_id) OVER (
        PARTITION BY metric, subject_level, subject_name, province, period_start, period_end,
                     period_part, is_target, priority, round(value, 2)) AS n_agree
    FROM ok
), ranked AS (
    SELECT *, row_number() OVER (
        PARTITION BY metric, subject_level, subject_name, province, period_start, period_end,
                     period_part, is_target
        ORDER BY priority, n_agree DESC, published DESC NULLS LAST, figure_id) AS rn
    FROM agreed
)
SELECT metric, subject_level, subject_name, province, period_start, period_end, period_part,
       max(value) FILTER (WHERE NOT is_target AND rn = 1)          AS value,
       max(qualifier) FILTER (WHERE NOT is_target AND rn = 1)      AS qualifier,
       max(figure_id) FILTER (WHERE NOT is_target AND rn = 1)      AS figure_id,
       max(n_agree) FILTER (WHERE NOT is_target AND rn = 1)        AS n_agree,
       count(*) FILTER (WHERE NOT is_target)                       AS n_figures,
       min(value) FILTER (WHERE NOT is_target)                     AS min_value,
       max(value) FILTER (WHERE NOT is_target)                     AS max_value,
       coalesce(max(value) FILTER (WHERE NOT is_target)
                > 1.005 * min(value) FILTER (WHERE NOT is_target), false) AS disagreement,
       max(published) FILTER (WHERE NOT is_target)                 AS published,
       list(DISTINCT article_id ORDER BY article_id) FILTER (WHERE NOT is_target) AS article_ids,
       list(figure_id ORDER BY figure_id) FILTER (WHERE NOT is_target)            AS figure_ids,
       max(value) FILTER (WHERE is_target AND rn = 1)              AS target_value,
       list(figure_id ORDER BY figure_id) FILTER (WHERE is_target) AS target_figure_ids
FROM ranked
GROUP BY ALL
"""

# Latest = greatest period_end (a figure with no period comes last), a whole year before a
# part of it (a year's tally, not its first half), then latest published.
LATEST_METRICS = """
CREATE OR REPLACE VIEW latest_metrics AS
SELECT * FROM unit_metrics
WHERE value IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY metric, subject_level, subject_name, province
    ORDER BY period_end DESC NULLS LAST, period_part IS NULL DESC, published DESC NULLS LAST,
             period_start DESC NULLS LAST) = 1
"""


def _wide_sql(metrics: list[str]) -> str:
    cols = []
    for m in metrics:
        cols.append(f"max(value) FILTER (WHERE metric = '{m}') AS {m}")
        cols.append(f"max(period_end) FILTER (WHERE metric = '{m}') AS {m}_year")
        cols.append(f"max(period_start) FILTER (WHERE metric = '{m}') AS {m}_from")
        cols.append(f"max(period_part) FILTER (WHERE metric = '{m}') AS {m}_part")
    select = ",\n       ".join(cols) if cols else "NULL AS no_metrics"
    return f"""
CREATE OR REPLACE VIEW unit_metrics_wide AS
SELECT subject_level, subject_name, province,
       {select},
       list_distinct(flatten(list(article_ids))) AS article_ids
FROM latest_metrics
WHERE metric IN ({", ".join(f"'{m}'" for m in metrics) or "NULL"})
GROUP BY ALL
ORDER BY province NULLS LAST, subject_name
"""


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create ``metric_defs`` and the metric views; safe to call after every run."""
    defs = metric_defs()
    con.register("_metric_defs_df", defs)
    con.execute("CREATE OR REPLACE TABLE metric_defs AS SELECT * FROM _metric_defs_df")
    con.unregister("_metric_defs_df")
    bounds = plausible_bounds()
    con.register("_bounds_df", bounds)
    con.execute("CREATE OR REPLACE TABLE plausible_bounds AS SELECT * FROM _bounds_df")
    con.unregister("_bounds_df")
    con.register("_shares_df", plausible_shares())
    con.execute("CREATE OR REPLACE TABLE plausible_shares AS SELECT * FROM _shares_df")
    con.unregister("_shares_df")
    refinements = pd.DataFrame([r[:3] for r in rows("status_refinements")],
                               columns=["status", "cue", "metric_status"])
    con.register("_refine_df", refinements)
    con.execute("CREATE OR REPLACE TABLE status_refinements AS SELECT * FROM _refine_df")
    con.unregister("_refine_df")
    # a database written before figures had a role: every figure counts as a total
    cols = {r[0] for r in con.execute("DESCRIBE figures").fetchall()}
    role = "f.role" if "role" in cols else "'total'"
    actor = "f.actor" if "actor" in cols else "NULL"
    cue = "f.status_cue" if "status_cue" in cols else "NULL"
    part = "f.period_part" if "period_part" in cols else "NULL::VARCHAR"
    art_cols = {r[0] for r in con.execute("DESCRIBE articles").fetchall()}
    year = "a.year" if "year" in art_cols else "NULL::INTEGER"
    # a stock (a metric with no status) is of the time of writing, a flow of the year its
    # report reviews (dating.written_year)
    if "written_year" in art_cols:
        year = f"(CASE WHEN m.status IS NULL THEN a.written_year ELSE {year} END)"
    written = "coalesce(a.written_year, a.year)" if "written_year" in art_cols else year
    back_start, back_end = ("f.period_back_start", "f.period_back_end") if "period_back_start" in cols \
        else ("NULL::INTEGER", "NULL::INTEGER")
    for sql in (FIGURE_METRICS.format(role=role, actor=actor, year=year, cue=cue, part=part, min_agree=MIN_AGREE,
                                      same_value=SAME_VALUE,
                                      written=written, back_start=back_start, back_end=back_end),
                PLAUSIBLE_METRICS.format(bands=", ".join(f"('{q}', {lo}, {hi})" for q, (lo, hi) in ROUNDED_BANDS.items())),
                IMPLAUSIBLE_METRICS,
                UNIT_METRICS, LATEST_METRICS):
        con.execute(sql)
    # metric names become column names: keep to identifiers, in the table's order
    wide = [m for m in dict.fromkeys(defs.loc[defs.wide, "metric"]) if m.isidentifier()]
    con.execute(_wide_sql(wide))
    con.execute("""CREATE OR REPLACE VIEW district_metrics AS
        SELECT province, subject_name AS district, * EXCLUDE (subject_level, subject_name, province)
        FROM unit_metrics_wide WHERE subject_level = 'district'""")
    con.execute("""CREATE OR REPLACE VIEW province_metrics AS
        SELECT subject_name AS province_name, * EXCLUDE (subject_level, subject_name, province)
        FROM unit_metrics_wide WHERE subject_level = 'province'""")


def open_db(path) -> duckdb.DuckDBPyConnection:
    """A read-only look at a figures database, with the views and checks available.

    The file is attached read-only to an in-memory database; the views (and the checks,
    when the run did not store them) are built in memory. So the review page, the
    notebook and the export never write to the extraction's file, and they work on a
    database made before the run created views.
    """
    from .checks import refresh_checks

    con = duckdb.connect()
    con.execute(f"ATTACH {_sql_str(str(path))} AS src (READ_ONLY)")
    have = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()}
    for t in ("articles", "figures", "failures", "checks"):
        if t in have:
            con.execute(f"CREATE VIEW {t} AS SELECT * FROM src.main.{t}")
    create_views(con)
    if "checks" not in have:
        refresh_checks(con)
    return con


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"

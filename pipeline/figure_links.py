"""Passes over an article's figures that tie a figure to another told before it (run by
meaning.annotate after each figure's own entity and status): a change compared with an
earlier time is its count's change, and a count told again keeps the event of its first
telling. Split from meaning.py."""
from __future__ import annotations

from functools import lru_cache

import regex

from .breakdowns import BRACKETED
from .doc import Doc
from .tables import rows


@lru_cache(maxsize=1)
def _comparison_re():
    """data/comparisons.tsv as one pattern: what makes a change a comparison."""
    return regex.compile(r"(?<![\p{L}])(?:" + "|".join(f"(?:{p})" for p, *_ in rows("comparisons")) + r")")


# how far a compared change may sit from the count it compares, and its comparison from it
_COMPARED_GAP = 150
_COMPARISON_WITHIN = 60


def compared_changes(doc: Doc) -> None:
    """A change compared with an earlier time, right after a count of its sentence ("kỷ
    luật 111 đảng viên vi phạm (khiển trách 91, …), tăng 15,6% so cùng kỳ"; "255 trường
    hợp (tăng 93 trường hợp so với 2014)"), is that count's change: it takes its event
    (and, with no noun of its own, its entity), and roles.py and attribute.py its role and
    period (shares_with). The count is the
    nearest one before it outside any bracket closed in between (not the breakdown's
    last item), in the same clause run (no ";")."""
    f, figs = doc.folded, doc.figures
    for k, fig in enumerate(figs):
        if fig.kind != "change" or fig.shares_with is not None:
            continue
        se = doc.sentences[fig.sent_idx][1]
        after = fig.noun_end or fig.end
        if not _comparison_re().search(f, after, min(se, after + _COMPARISON_WITHIN)):
            continue
        for j in range(k - 1, -1, -1):
            g = figs[j]
            if g.sent_idx != fig.sent_idx or fig.num_start - g.end > _COMPARED_GAP:
                break
            between = f[g.end:fig.num_start]
            if ";" in between:
                break
            if ")" in BRACKETED.sub("", between) or g.kind == "change":
                continue  # inside a breakdown that closed before the change
            if g.kind in _COMPARED_KINDS:
                fig.status, fig.status_cue = g.status, g.status_cue
                fig.shares_with = j
                if fig.entity == "other" and fig.noun_start is None:
                    # with no noun of its own, it changes what the count counts: "ước thực
                    # hiện 17.198 tỷ đồng, tăng 22,4% so với cùng kỳ" is a sum's change
                    fig.entity = g.entity
            break


_COMPARED_KINDS = frozenset(["count", "percent", "ratio", "money"])

# the smallest count a restatement is recognised by: a small number recurs by chance
_RESTATED_MIN = 10


def restated_events(doc: Doc) -> None:
    """A count told again later with no event of its own ("Tổng Bí thư tặng hoa chúc mừng
    392 đảng viên trẻ tiêu biểu …", then "392 đảng viên trẻ có mặt trong buổi gặp mặt"): the
    same people, what befell them is what the first telling said. Only a count whose own
    status is the generic `other` (a stock, "Huyện hiện có 12 chi bộ", stays one), with the
    same value (at least _RESTATED_MIN) and entity as an earlier count, and only when the
    article gives that value one event alone."""
    told: dict[tuple, list] = {}
    for fig in doc.figures:  # (in text order: the first telling's cue is the one kept)
        if fig.kind == "count" and fig.value is not None and fig.value >= _RESTATED_MIN \
                and fig.status not in (None, "other"):
            told.setdefault((fig.value, fig.entity), []).append(fig)
    if not told:
        return
    for fig in doc.figures:
        if fig.kind != "count" or fig.status != "other" or fig.value is None:
            continue
        tellings = told.get((fig.value, fig.entity), [])
        earlier = [g for g in tellings if g.start < fig.start]
        if earlier and len({g.status for g in tellings}) == 1:
            fig.status, fig.status_cue = earlier[0].status, earlier[0].status_cue

"""The role of each figure (spec §2): the unit's own ``total``, a ``part`` of a total
picked out by a further trait, or a ``group`` counted because of an incident or a
description. Metric views take totals only, so "2 đảng viên này" or "15 đảng viên có con
được nâng điểm" never stand in a district's column of party members or of discipline.

Cues are data (data/roles.tsv), read on the folded text; order of precedence:
1. a cue right after the counted noun ("4 đảng viên này" group, "32 đảng viên nữ" part);
2. a subset cue just before the number, after another figure ("…, trong đó 44 nữ"),
   or the next item of such a list; a bracketed target takes its actual's role;
3. an incident in the sentence (or in the title, for events of discipline and the like)
   makes a count of people or cases a group, unless the sentence speaks of a unit's
   whole ("toàn tỉnh", "các cấp", "trong năm", "nhiệm kỳ");
4. otherwise total.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .doc import Doc, Figure
from .tables import rows
from .textnorm import fold_phrase
from .vocab import _cue_regex

# who can be a group: people, and the cases standing for them
_GROUPABLE = frozenset(["party_member", "cadre", "person", "case", "party_org", "other"])
# the events whose counts an incident in the title makes groups (a report titled
# "Kỷ luật 15 đảng viên có con được nâng điểm" is about one incident, not a tally)
_INCIDENT_STATUSES = frozenset(["disciplined", "expelled", "removed", "violated", "prosecuted",
                                "reviewed", "inspected", None])
_STOP = re.compile(r"[,;:.()\[\]\"“”]")
# between a subset cue and its number: "trong đó, có từ 25%"
_BEFORE_GAP = re.compile(r"(?:\s*[,:]?\s*(?:có|là|gồm|từ|hơn|trên|gần|khoảng|chỉ)){0,3}\s*$")
_AFTER_WINDOW = 28
_NAMED = re.compile(r" (?:[A-ZĐ][a-zà-ỹ]+)(?: [A-ZĐ][a-zà-ỹ]+)* (?:và|,)")
# the next item of a list of parts: "9 đảng bộ huyện, thành phố và 4 …"
_COORD = re.compile(r"[^;.()]{0,40}?(?:,|\svà)\s*")


class _Cues:
    def __init__(self):
        by = {}
        for cue, role, scope, *_ in rows("roles"):
            by.setdefault(scope, {})[fold_phrase(cue)] = role
        self.after = by.get("after", {})
        self.after_re = _cue_regex(self.after)
        self.before_re = re.compile(rf"{_cue_regex(by.get('before', {})).pattern}{_BEFORE_GAP.pattern}")
        self.before_same_re = re.compile(
            rf"{_cue_regex(by.get('before_same', {})).pattern}{_BEFORE_GAP.pattern}")
        self.incident_re = _cue_regex(by.get("incident", {}))
        self.within_re = _cue_regex(by.get("within", {}))
        self.aggregate_re = _cue_regex(by.get("aggregate", {}))


@lru_cache(maxsize=1)
def cues() -> _Cues:
    return _Cues()


def annotate(doc: Doc, title_end: int) -> None:
    c, f = cues(), doc.folded
    title_incident = title_end > 0 and bool(c.incident_re.search(f, 0, title_end))
    incident: dict[int, bool] = {}
    for k, fig in enumerate(doc.figures):
        fig.role = _role(doc, k, fig, c, f, title_incident, incident)


def _role(doc: Doc, k: int, fig: Figure, c: _Cues, f: str, title_incident: bool,
          incident: dict[int, bool]) -> str:
    ss, se = doc.sentences[fig.sent_idx]
    # 1. right after the counted noun (or the number), up to the next punctuation
    lo = fig.end
    hi = min(se, (fig.noun_end or fig.end) + _AFTER_WINDOW)
    stop = _STOP.search(f, lo, hi)
    if stop:
        hi = stop.start()
    m = c.after_re.search(f, lo, hi)
    if m:
        role = c.after[" ".join(m.group().split())]
        if role == "part" and fig.noun_start is not None and m.start() < fig.noun_end:
            pass  # the cue is the counted noun itself ("chi bộ cơ quan" as an entity phrase)
        else:
            return role
    # a count of named things is a description, not a tally ("2 đảng bộ Thạnh Phú và Mỏ
    # Cày Bắc", "3 đảng viên Nguyễn Văn A, ...")
    if fig.kind == "count" and fig.noun_end is not None and _NAMED.match(doc.text, fig.noun_end, se):
        return "group"
    # 2. "…, trong đó 44 nữ": a subset of the figure before it; "13 đảng bộ, gồm 9 đảng bộ
    # huyện và 4 …" too when both count the same thing (a breakdown into other entities,
    # "686 TCCSĐ (gồm 287 đảng bộ cơ sở …)", gives those entities' own totals)
    prev = doc.figures[k - 1] if k > 0 and doc.figures[k - 1].sent_idx == fig.sent_idx else None
    if prev is not None:
        gap_lo = max(prev.end, fig.num_start - 20)
        if c.before_re.search(f, gap_lo, fig.num_start):
            return "part"
        same = prev.entity == fig.entity and prev.status == fig.status
        if same and c.before_same_re.search(f, gap_lo, fig.num_start):
            return "part"
        if same and prev.role == "part" and _COORD.fullmatch(f, prev.noun_end or prev.end, fig.num_start):
            return "part"
        # "(NQ 25%)": a target in brackets after a figure is that figure's target
        if fig.is_target and "+target_paren" in fig.rule and not prev.is_target:
            return prev.role
    # "ở các chi bộ cơ quan … đạt trên 98%": a share of a kind of cell, not of them all
    lo = max(ss, fig.num_start - 100, prev.end if prev is not None else ss)
    if c.within_re.search(f, lo, fig.num_start):
        return "part"
    # 3. an incident, not a tally
    if fig.kind == "count" and fig.entity in _GROUPABLE:
        if fig.sent_idx not in incident:
            incident[fig.sent_idx] = _incident_sentence(c, f, ss, se)
        if incident[fig.sent_idx] is True:
            return "group"
        if title_incident and incident[fig.sent_idx] is None and fig.status in _INCIDENT_STATUSES:
            return "group"
    return "total"


def _incident_sentence(c: _Cues, f: str, ss: int, se: int) -> bool | None:
    """True: an incident sentence; False: it speaks of a unit's whole; None: neither."""
    if c.aggregate_re.search(f, ss, se):
        return False
    return True if c.incident_re.search(f, ss, se) else None

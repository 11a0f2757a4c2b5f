"""Who tallied (GUIDE.md, "One acting body's tally"). A party unit's tallies of discipline,
inspection and violation are made by several of its bodies; a figure an inspection
commission, a standing committee or the party committees made alone is a ``part`` of the
unit's whole, and so is each body's tally when the article gives the same tally for more
than one body."""
from __future__ import annotations

import re
from functools import lru_cache

from .doc import Doc, Figure
from .role_context import Article, Cues, opened
from .tables import rows

# how far before a number its acting body may stand, and how far apart two actor cues
# of one acting phrase ("cấp uỷ, uỷ ban kiểm tra các cấp", "Ban Thường vụ Thành ủy và
# cấp ủy các cấp") may be
_ACTOR_WINDOW = 300
# an acting phrase of one of these alone makes a part
_ONE_BODY = frozenset(["commissions", "commission", "standing", "authorities"])
# the party committees, alone or with a standing committee ("Ban Thường vụ Thành ủy và cấp
# ủy các cấp đã kiểm tra …"), tally beside the inspection commissions, which inspect,
# supervise and discipline too: their figure is their own share, a part (GUIDE.md, "The
# committees' own tally", settled in the fifteenth session from the bench audits), never
# the unit's whole, whether or not the article gives the commissions' share
_COMMITTEE_BODIES = frozenset(["committee", "standing"])
# (the statuses the commissions tally too; supervisions are `inspected` refined by their
# cue, data/status_refinements.tsv)
_COMMITTEE_SHARE_STATUSES = frozenset(["disciplined", "expelled", "inspected", "violated"])
_ACTOR_JOIN = 25
# the party committees and the inspection commissions of all levels together ("cấp uỷ, uỷ
# ban kiểm tra các cấp"): every body that tallies, the unit's whole whatever else is told
_WHOLE = frozenset(["committee", "commissions"])
# the statuses reported once per acting body (party committees, inspection commissions)
_TALLY_STATUSES = frozenset(["disciplined", "expelled", "inspected", "violated", "reviewed"])


def split_by_actor(art: Article) -> None:
    """The acting phrase is the last run of actor cues before the number in its sentence
    ("cấp uỷ, uỷ ban kiểm tra các cấp" is one run: both bodies together, the unit's
    whole). An inspection commission, a standing committee or the party committees acting
    alone give a part of the unit's (maybe unstated) total; when the article gives the
    same tally for several bodies, each is a part."""
    doc, c = art.doc, art.c
    kinds: dict[tuple, set] = {}
    kind_shares: dict[tuple, list[Figure]] = {}
    acted = []
    for fig in doc.figures:
        if fig.role == "group" or fig.status not in _TALLY_STATUSES or fig.kind not in ("count", "ratio"):
            continue
        run, anchor = _actor_run(doc, c, fig)
        if not run:
            continue
        key = (fig.status, fig.entity, fig.subject_level, fig.subject_name)
        # a part already, by one body alone (one kind of inspection: "UBKT các cấp kiểm tra
        # khi có dấu hiệu vi phạm 5 đảng viên"), still shows that another body tallied too
        if fig.role != "total":
            if _one_body(run, fig):
                kinds.setdefault(key, set()).add(frozenset(run))
                kind_shares.setdefault((key, frozenset(run)), []).append(fig)
            continue
        kinds.setdefault(key, set()).add(frozenset(run))
        acted.append((key, fig, run, anchor))
        body = _one_body(run, fig)
        if body == "committee" and _whole_between(art, anchor, fig):
            body = None
        if body:
            fig.role, fig.part_by = "part", "actor"
            # a body's figure inside the breakdown of a larger one ("kiểm tra 1.658 tổ
            # chức đảng; trong đó, …, UBKT các cấp kết luận 1.506"): not its whole tally
            fig.actor = None if _inside_breakdown(art, fig) else body
    split = set()
    for key, fig, run, anchor in acted:
        if len(kinds[key]) > 1 and not _WHOLE <= run:
            fig.role, fig.part_by = "part", "actor"
            fig.actor = next(iter(run)) if len(run) == 1 else None
            split.add((anchor, fig.status))
    # a body's tally told beside a kind of the same body's tally told apart ("UBKT các cấp
    # … kiểm tra 4 đảng viên" and, later, "UBKT các cấp kiểm tra 5 đảng viên khi có dấu
    # hiệu vi phạm"): the body's whole is more than either, so neither is its metric
    for key, fig, run, anchor in acted:
        if fig.actor is None:
            continue
        for other in kind_shares.get((key, frozenset(run)), ()):
            if other.sent_idx != fig.sent_idx and other.value != fig.value and same_tally(other, fig) \
                    and (other.period_start, other.period_end) == (fig.period_start, fig.period_end) \
                    and not (other.value is not None and fig.value is not None
                             and other.value < fig.value and opened(art, fig, other)):
                fig.actor = None
                break
    # one acting phrase, one share: its other counts of the same event are that body's too
    # ("Cấp ủy các cấp thi hành kỷ luật một tổ chức đảng và 120 đảng viên; UBKT các cấp
    # thi hành kỷ luật 13 đảng viên": the one organisation is the committees' share)
    for key, fig, run, anchor in acted:
        if fig.role == "total" and (anchor, fig.status) in split:
            fig.role, fig.part_by = "part", "actor"
            fig.actor = next(iter(run)) if len(run) == 1 else None


def _one_body(run: set[str], fig: Figure) -> str | None:
    """The one kind of body whose own share the acting phrase ``run`` tallies, or None
    when it is the unit's whole (both the committees and the commissions) or no one body."""
    if len(run) == 1 and run & _ONE_BODY:
        return next(iter(run))
    if "committee" in run and run <= _COMMITTEE_BODIES and fig.status in _COMMITTEE_SHARE_STATUSES:
        return "committee"
    return None


def _whole_between(art: Article, end: int, fig: Figure) -> bool:
    """A cue of the unit's whole ("toàn tỉnh", "cả nước") between the acting phrase and the
    number: "theo chỉ đạo của cấp ủy, toàn tỉnh kỷ luật 350 đảng viên" is the unit's."""
    return end >= 0 and art.c.aggregate_re.search(art.f, end, fig.num_start) is not None


def same_tally(a: Figure, b: Figure) -> bool:
    """Both counted under one metric status: the views file an `inspected` figure under
    its cue's refinement (inspections, supervisions, or both told together, "kiểm tra,
    giám sát": data/status_refinements.tsv), so only figures of one refinement are kinds
    of one tally."""
    return _metric_status(a) == _metric_status(b)


def _metric_status(fig: Figure) -> str | None:
    """The status the metric views count ``fig`` under: the longest refinement cue its
    status cue contains (the views' rule), else its own status."""
    cue = fig.status_cue or ""
    found = [(len(c), m) for st, c, m in _refinements() if st == fig.status and c in cue]
    return max(found)[1] if found else fig.status


@lru_cache(maxsize=1)
def _refinements() -> tuple:
    return tuple(tuple(r[:3]) for r in rows("status_refinements"))


def _inside_breakdown(art: Article, fig: Figure) -> bool:
    """A larger count of the same entity and status earlier in the sentence, with a subset
    opener ("trong đó", "(") between them that still governs ``fig``."""
    return any(h.start < fig.start and h.entity == fig.entity and h.status == fig.status
               and h.kind == "count" and h.value is not None and fig.value is not None
               and h.value > fig.value and opened(art, h, fig)
               for h in art.in_sentence(fig.sent_idx))


def _actor_run(doc: Doc, c: Cues, fig: Figure) -> tuple[set[str], int]:
    """The kinds of body in the last run of actor cues before the figure in its sentence
    (cues at most _ACTOR_JOIN characters apart belong to one run), and where the run ends
    (the figures after one acting phrase share it). A sentence that opens on a tally verb
    with no actor of its own ("Kiểm tra 468 tổ chức đảng …; giám sát …") continues the
    actor of the sentence before it."""
    ss = doc.sentences[fig.sent_idx][0]
    run, end = _last_run(doc, c, max(ss, fig.num_start - _ACTOR_WINDOW), fig.num_start)
    if not run and fig.sent_idx > 0 and c.carry_re.match(doc.folded, ss):
        ps, pe = doc.sentences[fig.sent_idx - 1]
        run, end = _last_run(doc, c, ps, pe)
    return run, end


# a number right before an actor cue: the cue is a counted noun ("kiểm tra 20 cấp ủy và 300
# đảng viên"), not who acted (a year is no count: "Năm 2016 Ban Thường vụ …", "2010-2015 Ban …";
# digits only, not role_context.is_counted: "các cấp ủy đảng đã kiểm tra" is the committees acting)
_COUNTED_BEFORE = re.compile(r"(?<!năm\s)(?<![\d.,-])\d[\d.]*(?:,\d+)?\s+$")


def _last_run(doc: Doc, c: Cues, lo: int, hi: int) -> tuple[set[str], int]:
    matches = [m for m in c.actor_re.finditer(doc.folded, lo, hi)
               if not _COUNTED_BEFORE.search(doc.folded, max(0, m.start() - 12), m.start())]
    if not matches:
        return set(), -1
    run = {c.actor[" ".join(matches[-1].group().split())]}
    for prev, nxt in zip(reversed(matches[:-1]), reversed(matches[1:])):
        if nxt.start() - prev.end() > _ACTOR_JOIN:
            break
        run.add(c.actor[" ".join(prev.group().split())])
    return run, matches[-1].end()

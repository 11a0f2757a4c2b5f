"""The role of each figure (spec §2): the unit's own ``total``, a ``part`` of a total
picked out by a further trait, or a ``group`` counted because of an incident or a
description. Metric views take totals only, so "2 đảng viên này" or "15 đảng viên có con
được nâng điểm" never stand in a district's column of party members or of discipline.

Cues are data (data/roles.tsv), read on the folded text. Order of precedence:
1. a cue right after the counted noun ("4 đảng viên này" group, "32 đảng viên nữ" part),
   or named people or units right after it ("2 đảng bộ Thạnh Phú và Mỏ Cày Bắc": group);
2. a breakdown: a subset cue ("trong đó", "cụ thể", "(") between the figure and an
   earlier, larger figure of the same status within two sentences, or a form of
   discipline ("khiển trách 36") under a discipline total; the next item of such a list;
   a share or target right after a figure takes that figure's role; what one channel,
   one body's staff ("Sở … có tám phó giám đốc") or one day of an event ("ngày thi thứ
   2") counts is a part;
3. an incident: a count of people or cases in a sentence naming one (an accident or a
   disaster too; or, in an article about one incident, in any sentence that does not
   speak of a unit's whole) is a group, and so is one project's money;
4. otherwise total, except for one paper of an exam ("Môn Toán có 858.555 thí sinh") and
   cases and defendants at a stage of criminal proceedings (status prosecuted): parts.
Then, over the whole article: who tallied (actors.py), a kind shared by coordinated
counts, groups told again, and title figures that repeat the body's.
"""
from __future__ import annotations

import re

from . import role_passes as passes
from .actors import split_by_actor
from .breakdowns import in_bracket
from .doc import Doc, Figure
from .role_context import Article, Cues, approx_before, cues, form_governed, held, is_counted, opened
from .role_passes import _COORD, _DISCIPLINE, _PEOPLE, _PERSONS
from .vocab import family

# who can be a group: people, bodies and the cases standing for them
_GROUPABLE = frozenset(["party_member", "cadre", "person", "case", "party_org", "organization",
                        "other", "money", "household", "party_committee", "party_cell",
                        "grassroots_party_org", "grassroots_party_committee", "grassroots_party_cell",
                        "party_unit"])
# the events an incident article reports on its people (a tally of these needs an
# aggregate cue: "toàn tỉnh", "trong năm", "các cấp")
_INCIDENT_STATUSES = frozenset(["disciplined", "expelled", "removed", "violated", "prosecuted",
                                "reviewed", "inspected", "other", None])
_AFTER_WINDOW = 28
# how far after a sentence's opening "Trong đó" its first count may stand ("Trong đó, có
# hơn 15 người")
_OPENS_REACH = 25
_NAMED = re.compile(r"\s*:?\s*(?:(?:ông|bà|đồng chí|đ/c|các ông|các bà)\s+)?"
                    r"(?:[A-ZĐ][a-zà-ỹ]+)(?: [A-ZĐ][a-zà-ỹ]+)+")
# the next item of a labelled list: "Môn Vật lí: 412.054 thí sinh; môn Hóa học: 414.671"
# (its first item: Cues.list_head_re)
_ITEM = re.compile(rf"\s*;\s*[^;.():\d]{{1,40}}:\s*{approx_before()}")
# named people after the counted noun: "2 cán bộ của Trạm … là Hồ Trường Sơn, …"
# a few words after the counted noun, then what opens the list of its members
_LIST_OPENS = r"[^;.]{0,60}?\s(?:là|gồm|trong đó có)\s*:?\s*"
_NAMED_LATER = re.compile(_LIST_OPENS + r"(?:các\s+)?(?:ông|bà|đồng chí|đ/c)?\s*[A-ZĐ][a-zà-ỹ]+\s+[A-ZĐ]")
_ORGS = family("party_body") | family("agency")
_PARTY_BODIES = family("party_body")

# the named bodies a count lists after it: "5 tổ chức Đảng, gồm: Đảng uỷ phường Linh Đông; …"
_LISTED = re.compile(_LIST_OPENS)


def _units_listed(doc: Doc, fig: Figure, se: int) -> bool:
    """Bodies named one by one right after a count of what befell them ("phê bình 5 tổ chức
    Đảng, gồm: Đảng uỷ phường Linh Đông, …"): the count is of that named set, a group (a
    stock listing its bodies, "có 3 đảng bộ trực thuộc gồm: …", stays the unit's total)."""
    if fig.entity not in _ORGS or fig.status is None:
        return False
    m = _LISTED.match(doc.folded, fig.noun_end, se)
    return m is not None and any(m.end() <= u.start <= m.end() + 2 for u in doc.units)


# the statuses of a stage of criminal proceedings: a part of the cases handled, not a total
_STAGE_STATUSES = frozenset(["prosecuted"])
# a small count of people under discipline, told with no sign of a tally, is one case's
SMALL_GROUP = 10
# how far back (in sentences) a breakdown looks for its total
_BACK = 2


def annotate(doc: Doc, title_end: int) -> None:
    if not doc.figures:
        return
    c = cues()
    art = Article(doc, c, title_end)
    for k, fig in enumerate(doc.figures):
        fig.role = _role(art, k, fig)
        # in an article about one incident, a subset of its people is still that group
        if fig.role == "part" and art.incident_article and fig.entity in _GROUPABLE \
                and art.sentence_incident(fig.sent_idx) is not False and not _under_total(doc, k, fig) \
                and not (fig.status in _STAGE_STATUSES and _results_list(art, fig)):
            fig.role = "group"
    split_by_actor(art)
    passes.warranted_and_decided(doc, c)
    passes.changes_follow(doc)
    passes.shared_kind(doc, c)
    passes.repeated_groups(doc)
    passes.parallel_groups(doc)
    passes.title_repeats(doc, title_end)
    passes.below_a_total(doc, c)
    passes.beside_intermediate(doc, c)
    passes.event_story(doc, art)
    # a share, target or compared change keeps the role its figure ended with
    for fig in doc.figures:
        if fig.shares_with is not None:
            fig.role = doc.figures[fig.shares_with].role


def _under_total(doc: Doc, k: int, fig: Figure) -> bool:
    """An earlier, larger total of the same people and status ("Năm 2014, Đà Nẵng đã kỷ
    luật 51 đảng viên. Theo đó, … có 21 trường hợp bị xử lý kỷ luật"): a part of a unit's
    tally, though the article goes on to tell its cases."""
    return any(h.role == "total" and h.kind == "count" and h.status == fig.status and h.value is not None
               and fig.value is not None and h.value > fig.value
               and (_same_people(h, fig) or {h.entity, fig.entity} <= _PEOPLE | {"case"})
               for h in doc.figures[:k])


def _role(art: Article, k: int, fig: Figure) -> str:
    doc, c, f = art.doc, art.c, art.f
    ss, se = doc.sentences[fig.sent_idx]
    figs = doc.figures
    prev = figs[k - 1] if k > 0 and figs[k - 1].sent_idx == fig.sent_idx else None
    # a share or a bracketed target of the figure before it ("44 nữ (chiếm 7,2%)", "(NQ
    # 25%)"): meaning.py decided it shares that figure's counted thing; it shares its role
    if fig.shares_with is not None:
        return figs[fig.shares_with].role
    # a breakdown of a group figure meaning.py found ("trong đó 14 nữ; dân tộc 19"): a
    # part of a total, or still the incident's people
    if fig.group_head is not None:
        return "group" if figs[fig.group_head].role == "group" else "part"
    # an item of a list breaking down a discipline tally, whatever its form ("kỷ luật 111
    # đảng viên (khiển trách 91, cảnh cáo 16, cách chức 3, khai trừ 1)"); an item with a
    # status of its own (the 1 expelled) is that status's total (GUIDE), unless the tally
    # is one case's group
    if fig.item_of is not None and fig.status in _DISCIPLINE and figs[fig.item_of].status in _DISCIPLINE \
            and (fig.status == figs[fig.item_of].status or figs[fig.item_of].role == "group") \
            and in_bracket(f, figs[fig.item_of].end, fig.start):
        return "group" if figs[fig.item_of].role == "group" else "part"
    # the first count inside brackets after a count of the same people ("19 cá nhân có sai
    # phạm (8 người bị khai trừ, 6 người bị cảnh cáo …)"): a part of it, or its group still
    if prev is not None and fig.kind == "count" and prev.kind == "count" and fig.value is not None \
            and prev.value is not None and fig.value < prev.value and _same_people(prev, fig) \
            and _BRACKET_OPEN.fullmatch(f, prev.noun_end or prev.end, fig.num_start):
        return "group" if prev.role == "group" else "part"
    # a share in a series, with no noun of its own, continues the one before it
    # ("tỷ lệ cán bộ nữ cao hơn 15% như Bắc Giang 15,09%; Lào Cai 15,69%")
    if prev is not None and fig.kind == "percent" and prev.kind == "percent" \
            and fig.noun_start is None and fig.entity == prev.entity and fig.status == prev.status:
        return prev.role
    # 1. right after the counted noun (or the number), up to punctuation or a preposition
    role = _after_cue(doc, c, f, fig, se)
    if role:
        if role == "part":
            fig.part_by = "trait"  # the title keeps it over a body twin that omits the trait
        return role
    if fig.kind == "count" and fig.noun_end is not None and _NAMED.match(doc.text, fig.noun_end, se):
        return "group"  # "2 đảng bộ Thạnh Phú và Mỏ Cày Bắc", "gồm 3 đồng chí: Trung tá …"
    # a sentence opening on "Trong đó" / "Trong số này" speaks of people or bodies the text
    # named before, with or without their number ("… công bố quyết định kỷ luật một loạt
    # cán bộ. Trong đó có 15 người …"): its first count is a part of them (roles.tsv
    # subset_opens)
    # (only when the sentence before counts nothing: after a count, "Trong đó, …" may break
    # it down into other things' totals or into units, "Trong đó, Thạnh Phú 10; …", which
    # the rules below settle)
    if prev is None and fig.kind in ("count", "ratio") and fig.list_item is None:
        m = c.subset_opens_re.match(f, ss)
        if m is not None and fig.num_start - m.end() <= _OPENS_REACH \
                and not any(ch.isdigit() for ch in f[ss:fig.num_start]) \
                and not any(g.sent_idx == fig.sent_idx - 1 and g.kind in ("count", "ratio") for g in figs[:k]):
            return "part"
    # 2. a breakdown of an earlier total
    if prev is not None:
        gap_lo = max(prev.end, fig.num_start - 20)
        same = prev.entity == fig.entity and prev.status == fig.status
        if prev.entity == fig.entity and c.before_re.search(f, gap_lo, fig.num_start):
            return "part"  # "90 triệu dân, trong đó 5 triệu đảng viên": not a part of them
        if same and c.before_same_re.search(f, gap_lo, fig.num_start):
            return "part"
        if _same_people(prev, fig) and c.list_head_re.search(f, prev.end, fig.num_start) \
                and (prev.subject_level, prev.subject_name) == (fig.subject_level, fig.subject_name):
            # "… 418.521 thí sinh …, trong đó: Môn Vật lí: 412.054 thí sinh" (an item naming a
            # unit of its own gives that unit's total)
            return "part"
        if prev.role == "part" and (_COORD.fullmatch(f, prev.noun_end or prev.end, fig.num_start)
                                    or _ITEM.fullmatch(f, prev.noun_end or prev.end, fig.num_start)) and (
                prev.status == fig.status
                # the items after "trong đó" split the same people by what became of them
                # ("56 người đứng đầu bị xử lý, trong đó 05 người bị xử lý hình sự, 45 người
                # đã bị xử lý kỷ luật")
                or _same_persons(prev, fig) and c.before_re.search(f, max(ss, prev.num_start - 25), prev.num_start)):
            return "part"
    if _breakdown(art, k, fig):
        return "part"
    # "ở các chi bộ cơ quan … đạt trên 98%": a share of a kind of cell, not of them all
    lo = max(ss, fig.num_start - 100, prev.end if prev is not None else ss)
    if any(not c.within_not_re.match(f, m.start()) for m in c.within_re.finditer(f, lo, fig.num_start)):
        return "part"
    # a sentence opening on one channel of the work ("Qua giải quyết khiếu nại, tố cáo, các cơ
    # quan phát hiện 30 vụ"): what came through it, not the unit's whole
    if fig.kind in ("count", "ratio", "money") and (
            c.channel_re.match(f, ss, fig.num_start)
            or fig.sent_idx > 0 and c.findings_carry_re.match(f, ss, fig.num_start)
            and c.channel_re.match(f, doc.sentences[fig.sent_idx - 1][0], ss)):
        return "part"
    # discipline told right after a count of the public's reports (roles.tsv reported):
    # what that channel yielded, not the unit's whole tally
    if fig.kind in ("count", "ratio") and fig.status in _DISCIPLINE and not fig.is_target \
            and art.c.reported_re.search(f, doc.sentences[fig.sent_idx - 1][0] if fig.sent_idx else ss,
                                         fig.num_start):
        return "part"
    # the staff one body of a unit has ("Sở NN&PTNT tỉnh Thanh Hóa có tám phó giám đốc",
    # "đài hiện có … 719 người"): a part of the unit's officials, picked out by the body
    # they work in, as a sector is (GUIDE); roles.tsv holder, right before "có" or "với"
    if fig.status is None and fig.entity in ("cadre", "person") and fig.kind in ("count", "ratio", "percent") \
            and _one_body_holds(art, fig, ss):
        return "part"
    # a sentence about one day or one session of an event of several ("ngày thi thứ 2",
    # "buổi thi đầu", "ngày đầu tiên diễn ra"): what it counts is that day's, a part of the event's
    # whole, even when no other day is told (GUIDE, fourteenth session; roles.tsv session)
    if fig.kind in ("count", "ratio", "percent", "score") \
            and any(not held(c, "session", f, m.start()) for m in c.session_re.finditer(f, ss, se)):
        return "part"
    # 3. an incident, not a tally
    if fig.entity in _GROUPABLE and fig.kind in ("count", "money", "ratio"):
        inc = art.sentence_incident(fig.sent_idx)
        if inc is True:
            return "group"
        if inc is None and art.incident_article and fig.status in _INCIDENT_STATUSES \
                and not _results_list(art, fig):
            return "part" if fig.status is not None and _under_total(doc, k, fig) else "group"
        if fig.entity in _PEOPLE | _ORGS and fig.kind == "count" and fig.noun_end is not None \
                and (_NAMED_LATER.match(doc.text, fig.noun_end, se) or _units_listed(doc, fig, se)):
            return "group"
        if fig.kind == "count" and c.before_group_re.search(f, max(ss, fig.num_start - 40), fig.num_start):
            return "group"  # the cue right before the number (the pattern ends at it)
        if art.person_acts(fig):
            return "group"  # "ông Hải … sang nhượng đất cho 7 hộ dân": one person's story
        if fig.kind == "count" and fig.value == 1 and fig.entity in _PEOPLE and fig.status in _DISCIPLINE \
                and not any(o is not fig and o.status in _DISCIPLINE for o in art.in_sentence(fig.sent_idx)):
            return "group"  # "kỷ luật đối với một uỷ viên": one person's case, not a tally
        if inc is None and fig.kind == "count" and fig.status in _DISCIPLINE \
                and fig.value is not None and fig.value <= SMALL_GROUP and not art.tally_article \
                and (len(art.in_sentence(fig.sent_idx)) < 3 or form_governed(art, fig)):
            return "group"
    # money in a sentence about one project or contract ("dự án … với tổng vốn hơn 3.800 tỷ
    # đồng", "MCC đã được tạm ứng trên 35 triệu USD"): that project's, a described thing,
    # not a unit's statistic, unless the project word is counted or plural ("30 dự án",
    # "các dự án": role_context.is_counted) or the sentence speaks of an area or the unit's
    # whole (roles.tsv project_not, aggregate); the project word stands before the money
    if fig.entity == "money" and fig.kind in ("money", "percent", "change") \
            and "aggregate" not in art.scopes(fig.sent_idx) and not c.project_not_re.search(f, ss, se) \
            and any(not is_counted(c, f, m.start()) for m in c.project_re.finditer(f, ss, fig.num_start)):
        return "group"
    # one paper or subject of an exam right before the number ("Môn Toán có 858.555 thí sinh",
    # "bài thi: KHTN 418.521"; roles.tsv exam_part, within the clause before the number), or
    # a school subject labelling it in a sentence about an exam ("Vật lý: 409.980"; roles.tsv
    # exam_subject, exam_context): that paper's candidates, a part of the exam's
    if fig.kind in ("count", "ratio", "percent") and fig.entity in ("person", "other"):
        m = c.exam_part_re.search(f, max(ss, fig.num_start - 45), fig.num_start)
        if m is not None and not held(c, "exam_part", f, m.start()):
            return "part"
        if c.exam_subject_re.search(f, max(ss, fig.num_start - 25), fig.num_start) \
                and c.exam_context_re.search(f, ss, se):
            return "part"
    # officials of one rank ("giảm 26 trưởng phòng, 116 phó trưởng phòng", "25 cục trưởng,
    # vụ trưởng"): a subset of the unit's officials picked out by their post (roles.tsv rank),
    # unless a rule above made them a group or a breakdown
    if fig.kind in ("count", "ratio", "percent", "change") and fig.entity in ("cadre", "person") \
            and c.rank_re.match(f, fig.end):
        return "part"
    # the bodies of one kind a unit has one of ("kiểm tra 10 Ban Thường vụ Tỉnh ủy"): some
    # units' bodies, a part of all such bodies (roles.tsv body_kind)
    if fig.kind in ("count", "ratio", "percent") and c.body_kind_re.match(f, fig.end):
        return "part"
    # cases and defendants at one stage of criminal proceedings ("truy tố 15 vụ với 239 bị
    # can", "xét xử sơ thẩm 20 vụ"): a subset of the cases handled picked out by their stage
    # (GUIDE, spec v2 statuses); never a unit's own statistic (metrics.tsv)
    if fig.status in _STAGE_STATUSES and fig.kind in ("count", "ratio"):
        return "part"
    # (and cases or people a stage's verb counts right before the number, whatever status
    # the verb gave them: "kết thúc điều tra 21 vụ án", "đang điều tra 17 vụ"; roles.tsv stage)
    if fig.kind in ("count", "ratio") and fig.entity in ("case", "person") \
            and c.stage_re.search(f, max(ss, fig.num_start - 40), fig.num_start):
        return "part"
    # nothing above made it a unit's own whole, in a sentence opening on "Trong đó" / "Trong
    # số này" (roles.tsv subset_opens): whatever it counts is some of what the text told
    # before, not a unit's total; but a unit it names acts for itself ("Trong đó, Đảng bộ
    # huyện Nam Đàn kết nạp 72", a list "Thạnh Phú 10; …"), and the party's bodies of one
    # kind are that kind's total ("Trong đó, có 686 tổ chức cơ sở đảng")
    if fig.kind in ("count", "ratio", "percent", "money") and fig.list_item is None \
            and fig.entity not in _PARTY_BODIES:
        m = c.subset_opens_re.match(f, ss)
        # (nor a split by what befell them, each event its own total: "Trong đó, sáp nhập
        # từ 23 xuống còn 10 tổ chức …; giải thể 60 tổ chức …; giữ lại 82 tổ chức …")
        events = {g.status for g in art.in_sentence(fig.sent_idx)} - {None, "other"}
        if m is not None and len(events) < 2 \
                and not any(m.end() <= u.start < fig.num_start for u in doc.units):
            return "part"
    return "total"


# how far before the number the body that has the staff may stand
_HOLDER_REACH = 90


def _one_body_holds(art: Article, fig: Figure, ss: int) -> bool:
    """One body of the unit right before "có"/"với" and the number (roles.tsv holder), not
    a word holding the cue ("cơ sở", "môi trường"; holder_not), not many bodies ("150 đơn
    vị", "các cơ quan"), and not in a sentence about the unit's whole ("toàn tỉnh")."""
    c, f = art.c, art.f
    start = max(ss, fig.num_start - _HOLDER_REACH)
    if c.holder_re.search(f, start, fig.num_start) is None or "aggregate" in art.scopes(fig.sent_idx):
        return False  # (one search first: most stocks have no holder before them)
    for lo in range(start, fig.num_start):
        m = c.holder_re.match(f, lo, fig.num_start)
        if m is None:
            continue
        if is_counted(c, f, lo) or held(c, "holder", f, lo):
            continue
        return True
    return False


# from the counted noun of one count to the next number: an open bracket, with at most a
# few words of description before it ("19 cá nhân có sai phạm (8 …")
_BRACKET_OPEN = re.compile(r"[^().;:\d]{0,40}\(\s*(?:trong\s+đó\s*,?\s*|gồm\s*:?\s*|có\s+)?")


# a sentence listing this many counts of at least two different events is a body's
# results (one report's tally), not one incident's people
_RESULTS_COUNTS = 4


def _results_list(art: Article, fig: Figure) -> bool:
    """The figure's sentence lists results of the work: at least _RESULTS_COUNTS counts,
    of two events or more ("kết thúc xác minh 24 vụ việc; khởi tố mới 5 vụ án, … truy tố 6
    vụ án / 27 bị can; xét xử sơ thẩm 9 vụ án")."""
    counts = [g for g in art.in_sentence(fig.sent_idx) if g.kind == "count" and g.status is not None]
    return len(counts) >= _RESULTS_COUNTS and len({g.status for g in counts}) >= 2


def _same_persons(a: Figure, b: Figure) -> bool:
    """Counts of persons both ("người", "cán bộ", "đảng viên"), not of cases ("vụ"), unless
    both are."""
    return a.entity == b.entity or (a.entity in _PERSONS and b.entity in _PERSONS)


def _same_people(a: Figure, b: Figure) -> bool:
    return a.entity == b.entity or (a.entity in _PEOPLE and b.entity in _PEOPLE)


def _after_cue(doc: Doc, c: Cues, f: str, fig: Figure, se: int) -> str | None:
    lo = fig.end
    hi = min(se, (fig.noun_end or fig.end) + _AFTER_WINDOW)
    stop = c.stop_re.search(f, fig.noun_end or lo, hi)
    if stop:
        hi = stop.start()
    m = c.after_re.search(f, lo, hi)
    if not m:
        return None
    role = c.after[" ".join(m.group().split())]
    if role == "-":
        return None  # a cue that only cancels a shorter one (roles.tsv "đảng cấp dưới")
    if role == "part" and fig.noun_start is not None and m.start() < fig.noun_end:
        return None  # the cue is the counted noun itself ("chi bộ cơ quan" as an entity phrase)
    return role


def _breakdown(art: Article, k: int, fig: Figure) -> bool:
    """Part of an earlier, larger figure of the same status (two sentences back at most):
    after a subset cue between them ("kỷ luật 73 đảng viên (54 người bị khiển trách …)",
    "2.405 đảng viên được trao huy hiệu. Trong đó, có 64 …"), or as a form of discipline
    under a discipline total ("kỷ luật 48 đảng viên … Khiển trách 36 trường hợp")."""
    if fig.kind not in ("count", "ratio") or fig.value is None:
        return False
    doc, c, f = art.doc, art.c, art.f
    ss = doc.sentences[fig.sent_idx][0]
    # one acting body's share ("UBKT Trung ương kiểm tra 9 tổ chức đảng", "Bộ Chính trị, Ban
    # Bí thư đã kiểm tra 165") of a larger tally of the same status in the article
    if fig.status is not None and not art.incident_article \
            and c.body_re.search(f, max(ss, fig.num_start - 60), fig.num_start) \
            and _larger_elsewhere(art, k, fig):
        return True
    form = fig.status == "disciplined" and form_governed(art, fig)
    inc = art.sentence_incident(fig.sent_idx)
    if form and _sibling_forms(art, fig) and (art.tally_article or inc is False or (
            inc is None and not art.incident_article and fig.value > SMALL_GROUP)):
        # (a few, in a sentence of no tally, are one case's people: see _role)
        return True  # "khiển trách 15 cá nhân, cảnh cáo 5 cá nhân, cách chức 1": forms of one tally
    for j in range(k - 1, -1, -1):
        h = doc.figures[j]
        if h.sent_idx < fig.sent_idx - _BACK:
            break
        if h.status != fig.status or h.kind not in ("count", "ratio") or h.value is None \
                or h.role == "group" or h.is_target != fig.is_target:
            continue
        if not _same_people(h, fig):
            continue
        if h.value <= fig.value or (h.subject_level, h.subject_name) != (fig.subject_level, fig.subject_name):
            continue  # a list of units ("Thạnh Phú 10; Châu Thành 10") gives each its total
        if h.period_start is not None and fig.period_start is not None \
                and (h.period_start, h.period_end) != (fig.period_start, fig.period_end):
            continue
        if fig.status is None and h.status is None and h.entity != fig.entity:
            continue  # stocks: a breakdown into other entities gives their own totals
        if form and not c.form_re.search(f, max(0, h.num_start - 30), h.num_start):
            return True  # a form of discipline under a total of any form
        if opened(art, h, fig):
            return True
    return False


def _larger_elsewhere(art: Article, k: int, fig: Figure) -> bool:
    """A larger figure of the same status, entity and subject anywhere in the article."""
    for j, h in enumerate(art.doc.figures):
        if j != k and h.status == fig.status and h.entity == fig.entity and h.kind in ("count", "ratio") \
                and h.value is not None and h.value > fig.value and h.is_target == fig.is_target \
                and (h.subject_level, h.subject_name) == (fig.subject_level, fig.subject_name):
            return True
    return False


def _sibling_forms(art: Article, fig: Figure) -> bool:
    """Another figure of the same sentence is a different form of discipline of the same
    entity ("khiển trách 15 …, cảnh cáo 5 …"): the forms break down one tally."""
    for other in art.in_sentence(fig.sent_idx):
        if other is fig or other.status != "disciplined":
            continue
        if _same_people(other, fig) and form_governed(art, other):
            return True
    return False



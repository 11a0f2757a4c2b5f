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
   a share or target right after a figure takes that figure's role;
3. an incident: a count of people or cases in a sentence naming one (or, in an article
   about one incident, in any sentence that does not speak of a unit's whole) is a group;
4. otherwise total.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from .doc import Doc, Figure
from .tables import rows
from .textnorm import fold_phrase
from .vocab import _cue_regex, family

# who can be a group: people, bodies and the cases standing for them
_GROUPABLE = frozenset(["party_member", "cadre", "person", "case", "party_org", "organization",
                        "other", "money", "household", "party_committee", "party_cell",
                        "grassroots_party_org", "grassroots_party_committee", "grassroots_party_cell",
                        "party_unit"])
_PEOPLE = family("people")
# the events an incident article reports on its people (a tally of these needs an
# aggregate cue: "toàn tỉnh", "trong năm", "các cấp")
_INCIDENT_STATUSES = frozenset(["disciplined", "expelled", "removed", "violated", "prosecuted",
                                "reviewed", "inspected", "other", None])
# the window after the number: up to punctuation or a preposition ("556 đảng viên ở tỉnh
# này": the "này" points at the province, not the members)
_PUNCT = r"[,;:.()\[\]\"“”]"
# between a subset cue and its number: "trong đó, có từ 25%"
_BEFORE_GAP = re.compile(r"(?:\s*[,:]?\s*(?:có|là|gồm|từ|hơn|trên|gần|khoảng|chỉ)){0,3}\s*$")
_AFTER_WINDOW = 28
# "kỷ luật 32 đảng viên: khiển trách 21": a form after a colon breaks the tally down
_CLAUSE_MARK = re.compile(r"[:;(,]")
_NAMED = re.compile(r"\s*:?\s*(?:(?:ông|bà|đồng chí|đ/c|các ông|các bà)\s+)?"
                    r"(?:[A-ZĐ][a-zà-ỹ]+)(?: [A-ZĐ][a-zà-ỹ]+)+")
# the next item of a list of parts: "9 đảng bộ huyện, thành phố và 4 …"
_COORD = re.compile(r"[^;.()]{0,40}?(?:,|\svà)\s*(?:(?:hơn|gần|khoảng|trên|dưới|ước|xấp\s+xỉ|chừng)\s+)?")
# a share or count right after a figure, about the same things: "44 nữ (chiếm 7,2%)"
_COUNT_BEFORE = re.compile(r"[\d]\s*$")
_YEAR = re.compile(r"(?<!\d)(?:19[4-9]\d|20[0-4]\d)(?!\d)")
# named people after the counted noun: "2 cán bộ của Trạm … là Hồ Trường Sơn, …"
_NAMED_LATER = re.compile(r"[^;.]{0,60}?\s(?:là|gồm|trong đó có)\s*:?\s*(?:các\s+)?(?:ông|bà|đồng chí|đ/c)?\s*"
                          r"[A-ZĐ][a-zà-ỹ]+\s+[A-ZĐ]")
_ORGS = family("party_body") | family("agency")

# a small count of people under discipline, told with no sign of a tally, is one case's
SMALL_GROUP = 10
_DISCIPLINE = frozenset(["disciplined", "expelled", "reviewed", "violated", "prosecuted", "removed"])
# (the word check after the first letter: see tables.word_alternation)
_PERSON_NAME = re.compile(r"(?:ô(?<![^\W\d_].)ng|b(?<![^\W\d_].)à)\s+[A-ZĐ][a-zà-ỹ]+(?:\s+[A-ZĐ][a-zà-ỹ]+)+")
# how far back (in sentences) a breakdown looks for its total
_BACK = 2


class _Cues:
    def __init__(self):
        by = {}
        for cue, role, scope, *_ in rows("roles"):
            by.setdefault(scope, {})[fold_phrase(cue)] = role
        self.after = by.get("after", {})
        self.after_re = _cue_regex(self.after)
        gap = _BEFORE_GAP.pattern
        self.before_re = re.compile(rf"{_cue_regex(by.get('before', {})).pattern}{gap}")
        self.before_same_re = re.compile(rf"{_cue_regex(by.get('before_same', {})).pattern}{gap}")
        openers = by.get("opener", {})
        words = [o for o in openers if o[:1].isalnum()]
        marks = "".join(re.escape(o) for o in openers if not o[:1].isalnum())  # "(" and the like
        self.opener_re = re.compile(_cue_regex(words).pattern + (f"|[{marks}]" if marks else ""))
        self.form_re = _cue_regex(by.get("form", {}))
        self.form_stop_re = _cue_regex(by.get("form_stop", {}))
        self.body_re = _cue_regex(by.get("body", {}))
        self.actor = {cue: scope.split("_", 1)[1]
                      for scope in ("actor_committee", "actor_commissions", "actor_commission", "actor_standing",
                                    "actor_authorities")
                      for cue in by.get(scope, {})}
        self.actor_re = _cue_regex(self.actor)
        # a sentence opening on one of these verbs has no actor of its own
        self.carry_re = re.compile(r"[\s\W]*(?:" + _cue_regex(by.get("actor_carry", {})).pattern + ")")
        self.within_re = _cue_regex(by.get("within", {}))
        self.within_not_re = _cue_regex(by.get("within_not", {}))
        # where the window after the noun ends: punctuation, or a preposition ("556 đảng viên
        # ở tỉnh này": the "này" points at the province, not the members)
        self.stop_re = re.compile(rf"{_PUNCT}|{_cue_regex(by.get('stop', {})).pattern}")
        self.after_shared_re = _cue_regex(by.get("after_shared", {}))
        self.findings_of_re = _cue_regex(by.get("findings_of", {}))
        # right before the number: "là một trong 5 cá nhân bị …", the one among a few
        self.before_group_re = re.compile(rf"{_cue_regex(by.get('before_group', {})).pattern}\s*$")
        # the three article-level cue kinds in one scan (roles._Article)
        self.article_scope = {}
        for scope in ("period", "aggregate", "incident"):  # a phrase in two kinds: the last wins
            for cue in by.get(scope, {}):
                self.article_scope[" ".join(cue.split())] = scope
        self.article_re = _cue_regex(self.article_scope)


@lru_cache(maxsize=1)
def cues() -> _Cues:
    return _Cues()


def _count_names(text: str, enough: int) -> int:
    """Named persons ("ông Nguyễn Văn A") in ``text``, counted up to ``enough``: past it
    the article's kind is settled (the rest of a long text need not be scanned)."""
    n = 0
    for _ in _PERSON_NAME.finditer(text):
        n += 1
        if n >= enough:
            break
    return n


class _Article:
    """What the roles of one article's figures depend on beyond their own sentence."""

    def __init__(self, doc: Doc, c: _Cues, title_end: int):
        self.doc, self.c, self.f = doc, c, doc.folded
        self.incident: dict[int, bool | None] = {}
        f = doc.folded
        n = {"incident": 0, "aggregate": 0, "period": 0}
        title_incident = False
        # one scan for the three kinds of cue; sentence_incident reads its sentence's share
        self.cue_at: list[int] = []
        self.cue_scope: list[str] = []
        for m in c.article_re.finditer(f):
            scope = c.article_scope[" ".join(m.group().split())]
            if scope == "incident":
                if _is_counted_noun(f, m.start()):
                    continue
                title_incident = title_incident or m.start() < title_end
            n[scope] += 1
            self.cue_at.append(m.start())
            self.cue_scope.append(scope)
        n_incident, n_aggregate = n["incident"], n["aggregate"]
        n_names = _count_names(doc.text, max(3, 3 * n_aggregate) - n_incident) if n_incident else 0
        # about one incident: its people and cases, not a unit's tally
        self.incident_article = (title_incident or (n_incident >= 1 and n_incident + n_names >= 3)) \
            and n_aggregate <= (n_incident + n_names) // 3
        # a report of a unit's tallies (cues of the whole or of a reporting period)
        n_period = n["period"]
        self.tally_article = n_aggregate + n_period >= 2 and not self.incident_article
        self.by_sentence: dict[int, list[Figure]] = {}
        for fig in doc.figures:
            self.by_sentence.setdefault(fig.sent_idx, []).append(fig)

    def in_sentence(self, idx: int) -> list[Figure]:
        return self.by_sentence.get(idx, [])

    def form_governed(self, fig: Figure) -> bool:
        return _form_governed(self, fig)

    def sentence_incident(self, idx: int) -> bool | None:
        """True: an incident sentence; False: it speaks of a unit's whole; None: neither.
        An incident cue beats a time phrase ("kỷ luật 19 đảng viên có con được nâng điểm
        thi năm 2018"), not a cue of the whole ("toàn tỉnh", "các cấp", "tổng số")."""
        if idx not in self.incident:
            ss, se = self.doc.sentences[idx]
            scopes = set(self.cue_scope[bisect_left(self.cue_at, ss):bisect_left(self.cue_at, se)])
            if "aggregate" in scopes:
                self.incident[idx] = False
            elif "incident" in scopes:
                self.incident[idx] = True
            elif "period" in scopes or _YEAR.search(self.f, ss, se):
                self.incident[idx] = False
            else:
                self.incident[idx] = None
        return self.incident[idx]


def _form_governed(art: _Article, fig: Figure) -> bool:
    """Governed by a form of discipline ("khiển trách 3 đảng viên", "8 người bị cảnh cáo")."""
    c, doc, f = art.c, art.doc, art.f
    ss, se = doc.sentences[fig.sent_idx]
    after_end = min(se, (fig.noun_end or fig.end) + 25)
    stop = _CLAUSE_MARK.search(f, fig.noun_end or fig.end, after_end)
    # before it, no further back than the figure before it ("cảnh cáo 14) và 2.435 đảng
    # viên": the form is the 14's); after it, not past a clause mark or a comma
    lo = max([ss, fig.num_start - 30] + [g.end for g in art.in_sentence(fig.sent_idx)
                                         if g.end <= fig.num_start])
    # nor past a word of the whole ("81 trường hợp bị cắt chức trong tổng số 2.400 đảng
    # viên"; roles.tsv form_stop)
    for m in c.form_stop_re.finditer(f, lo, fig.num_start):
        lo = m.end()
    return bool(c.form_re.search(f, lo, fig.num_start)
                or c.form_re.search(f, fig.end, stop.start() if stop else after_end))


def _is_counted_noun(f: str, pos: int) -> bool:
    """"21 vụ án": the cue is what a number counts, not an incident being told."""
    return bool(_COUNT_BEFORE.search(f, max(0, pos - 4), pos))


def annotate(doc: Doc, title_end: int) -> None:
    if not doc.figures:
        return
    c = cues()
    art = _Article(doc, c, title_end)
    for k, fig in enumerate(doc.figures):
        fig.role = _role(art, k, fig)
        # in an article about one incident, a subset of its people is still that group
        if fig.role == "part" and art.incident_article and fig.entity in _GROUPABLE \
                and art.sentence_incident(fig.sent_idx) is not False:
            fig.role = "group"
    _split_by_actor(art)
    _shared_kind(doc, c)
    _repeated_groups(doc)
    _title_repeats(doc, title_end)


# how far before a number its acting body may stand, and how far apart two actor cues
# of one acting phrase ("cấp uỷ, uỷ ban kiểm tra các cấp", "Ban Thường vụ Thành ủy và
# cấp ủy các cấp") may be
_ACTOR_WINDOW = 300
# an acting phrase of one of these alone makes a part (a committee alone is the unit)
_ONE_BODY = frozenset(["commissions", "commission", "standing", "authorities"])
_ACTOR_JOIN = 25

# the statuses reported once per acting body (party committees, inspection commissions)
_TALLY_STATUSES = frozenset(["disciplined", "expelled", "inspected", "violated", "reviewed"])
# what an inspection finds or decides
_FINDINGS = frozenset(["disciplined", "expelled", "violated", "reviewed"])


_SUBJECT_ATTRS = ("subject_level", "subject_name", "subject_code", "subject_province")


def _title_repeats(doc: Doc, title_end: int) -> None:
    """A title figure repeats one of the body ("Đà Nẵng: Thi hành kỷ luật 13 đảng viên"
    over "… UBKT các cấp thi hành kỷ luật 13 đảng viên"): it is what the body says it is."""
    if title_end <= 0:
        return
    body = {}
    for f in doc.figures:
        if f.start >= title_end and f.value is not None:
            body.setdefault((f.value, f.entity, f.status, f.kind), f)
    for f in doc.figures:
        if f.start < title_end and (f.value, f.entity, f.status, f.kind) in body:
            twin = body[(f.value, f.entity, f.status, f.kind)]
            f.role, f.actor = twin.role, twin.actor
            # and whose it is: the body names the unit the title abbreviates ("Hoà Bình:
            # … 15 đảng viên" over "UBKT Đảng uỷ khối các cơ quan tỉnh Hoà Bình … 15 đảng viên")
            if twin.subject_level is not None:
                for attr in _SUBJECT_ATTRS:
                    setattr(f, attr, getattr(twin, attr))


# how far after the last coordinated noun a shared kind may end ("… vi phạm pháp luật về
# tham nhũng")
_SHARED_WINDOW = 60


def _shared_kind(doc: Doc, c: _Cues) -> None:
    """A kind named after the last of coordinated counts is every one's ("kiểm tra 33.892
    tổ chức đảng và 121.725 đảng viên khi có dấu hiệu vi phạm"; roles.tsv after_shared):
    one kind of a tally, a part, and not an acting body's whole tally either."""
    figs = doc.figures
    for k, fig in enumerate(figs):
        if fig.noun_end is None or fig.role == "group":
            continue
        se = doc.sentences[fig.sent_idx][1]
        hi = min(se, fig.noun_end + _SHARED_WINDOW)
        stop = c.stop_re.search(doc.folded, fig.noun_end, hi)
        if not c.after_shared_re.search(doc.folded, fig.noun_end, stop.start() if stop else hi):
            continue
        j = k
        while True:
            figs[j].role, figs[j].actor = "part", None
            if j == 0:
                break
            prev = figs[j - 1]
            if prev.sent_idx != fig.sent_idx or prev.status != fig.status or prev.role == "group" \
                    or not _COORD.fullmatch(doc.folded, prev.noun_end or prev.end, figs[j].num_start):
                break
            j -= 1
    # what one kind of inspection found ("UBKT các cấp kiểm tra 14 đảng viên khi có dấu
    # hiệu vi phạm, kết luận 11 đảng viên vi phạm, phải thi hành kỷ luật chín đảng viên"):
    # the violations and discipline of that inspection, a part (roles.tsv findings_of)
    for fig in figs:
        if fig.status in _FINDINGS and fig.role != "group" \
                and c.findings_of_re.search(doc.folded, doc.sentences[fig.sent_idx][0], fig.num_start):
            fig.role, fig.actor = "part", None


def _repeated_groups(doc: Doc) -> None:
    """The same described few told again ("kỷ luật 15 đảng viên có con được nâng điểm …
    các cấp uỷ đã thực hiện quy trình kỷ luật 15 đảng viên"): once a group, always."""
    groups = {(f.value, f.status, f.entity in _PEOPLE) for f in doc.figures
              if f.role == "group" and f.kind == "count" and f.value is not None}
    if not groups:
        return
    for fig in doc.figures:
        if fig.role == "total" and fig.kind == "count" and (fig.value, fig.status, fig.entity in _PEOPLE) in groups:
            fig.role = "group"


def _split_by_actor(art: _Article) -> None:
    """Who tallied (GUIDE.md, "One acting body's tally"). The acting phrase is the last
    run of actor cues before the number in its sentence ("cấp uỷ, uỷ ban kiểm tra các
    cấp" is one run: both bodies together, the unit's whole). An inspection commission or
    a standing committee acting alone gives a part of the unit's (maybe unstated) total;
    the party committees alone are the unit itself, unless the article gives the same
    tally for another body too: then each is a part."""
    doc, c = art.doc, art.c
    kinds: dict[tuple, set] = {}
    acted = []
    for fig in doc.figures:
        if fig.role == "group" or fig.status not in _TALLY_STATUSES or fig.kind not in ("count", "ratio"):
            continue
        run = _actor_run(doc, c, fig)
        if not run:
            continue
        key = (fig.status, fig.entity, fig.subject_level, fig.subject_name)
        # a part already, by one body alone (one kind of inspection: "UBKT các cấp kiểm tra
        # khi có dấu hiệu vi phạm 5 đảng viên"), still shows that another body tallied too
        if fig.role != "total":
            if len(run) == 1 and run & _ONE_BODY:
                kinds.setdefault(key, set()).add(frozenset(run))
            continue
        kinds.setdefault(key, set()).add(frozenset(run))
        acted.append((key, fig, run))
        if len(run) == 1 and run & _ONE_BODY:
            fig.role = "part"
            # a body's figure inside the breakdown of a larger one ("kiểm tra 1.658 tổ
            # chức đảng; trong đó, …, UBKT các cấp kết luận 1.506"): not its whole tally
            fig.actor = None if _inside_breakdown(art, fig) else next(iter(run))
    for key, fig, run in acted:
        if len(kinds[key]) > 1:
            fig.role = "part"
            fig.actor = next(iter(run)) if len(run) == 1 else None


def _inside_breakdown(art: _Article, fig: Figure) -> bool:
    """A larger count of the same entity and status earlier in the sentence, with a subset
    opener ("trong đó", "(") between them that still governs ``fig``."""
    return any(h.start < fig.start and h.entity == fig.entity and h.status == fig.status
               and h.kind == "count" and h.value is not None and fig.value is not None
               and h.value > fig.value and _opened(art, h, fig)
               for h in art.in_sentence(fig.sent_idx))


def _actor_run(doc: Doc, c: _Cues, fig: Figure) -> set[str]:
    """The kinds of body in the last run of actor cues before the figure in its sentence
    (cues at most _ACTOR_JOIN characters apart belong to one run). A sentence that opens
    on a tally verb with no actor of its own ("Kiểm tra 468 tổ chức đảng …; giám sát …")
    continues the actor of the sentence before it."""
    ss = doc.sentences[fig.sent_idx][0]
    run = _last_run(doc, c, max(ss, fig.num_start - _ACTOR_WINDOW), fig.num_start)
    if not run and fig.sent_idx > 0 and c.carry_re.match(doc.folded, ss):
        ps, pe = doc.sentences[fig.sent_idx - 1]
        run = _last_run(doc, c, ps, pe)
    return run


def _last_run(doc: Doc, c: _Cues, lo: int, hi: int) -> set[str]:
    matches = list(c.actor_re.finditer(doc.folded, lo, hi))
    if not matches:
        return set()
    run = {c.actor[" ".join(matches[-1].group().split())]}
    for prev, nxt in zip(reversed(matches[:-1]), reversed(matches[1:])):
        if nxt.start() - prev.end() > _ACTOR_JOIN:
            break
        run.add(c.actor[" ".join(prev.group().split())])
    return run


def _role(art: _Article, k: int, fig: Figure) -> str:
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
    # đảng viên (khiển trách 91, cảnh cáo 16, cách chức 3, khai trừ 1)")
    if fig.item_of is not None and fig.status in _DISCIPLINE and figs[fig.item_of].status in _DISCIPLINE \
            and f.count("(", figs[fig.item_of].end, fig.start) > f.count(")", figs[fig.item_of].end, fig.start):
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
        return role
    if fig.kind == "count" and fig.noun_end is not None and _NAMED.match(doc.text, fig.noun_end, se):
        return "group"  # "2 đảng bộ Thạnh Phú và Mỏ Cày Bắc", "gồm 3 đồng chí: Trung tá …"
    # 2. a breakdown of an earlier total
    if prev is not None:
        gap_lo = max(prev.end, fig.num_start - 20)
        same = prev.entity == fig.entity and prev.status == fig.status
        if prev.entity == fig.entity and c.before_re.search(f, gap_lo, fig.num_start):
            return "part"  # "90 triệu dân, trong đó 5 triệu đảng viên": not a part of them
        if same and c.before_same_re.search(f, gap_lo, fig.num_start):
            return "part"
        if prev.status == fig.status and prev.role == "part" \
                and _COORD.fullmatch(f, prev.noun_end or prev.end, fig.num_start):
            return "part"
    if _breakdown(art, k, fig):
        return "part"
    # "ở các chi bộ cơ quan … đạt trên 98%": a share of a kind of cell, not of them all
    lo = max(ss, fig.num_start - 100, prev.end if prev is not None else ss)
    if any(not c.within_not_re.match(f, m.start()) for m in c.within_re.finditer(f, lo, fig.num_start)):
        return "part"
    # 3. an incident, not a tally
    if fig.entity in _GROUPABLE and fig.kind in ("count", "money", "ratio"):
        inc = art.sentence_incident(fig.sent_idx)
        if inc is True:
            return "group"
        if inc is None and art.incident_article and fig.status in _INCIDENT_STATUSES:
            return "group"
        if fig.entity in _PEOPLE | _ORGS and fig.kind == "count" and fig.noun_end is not None \
                and _NAMED_LATER.match(doc.text, fig.noun_end, se):
            return "group"
        if fig.kind == "count" and c.before_group_re.search(f, max(ss, fig.num_start - 40), fig.num_start):
            return "group"  # the cue right before the number (the pattern ends at it)
        if fig.kind == "count" and fig.value == 1 and fig.entity in _PEOPLE and fig.status in _DISCIPLINE \
                and not any(o is not fig and o.status in _DISCIPLINE for o in art.in_sentence(fig.sent_idx)):
            return "group"  # "kỷ luật đối với một uỷ viên": one person's case, not a tally
        if inc is None and fig.kind == "count" and fig.status in _DISCIPLINE \
                and fig.value is not None and fig.value <= SMALL_GROUP and not art.tally_article \
                and (len(art.in_sentence(fig.sent_idx)) < 3 or _form_governed(art, fig)):
            return "group"
    return "total"


# from the counted noun of one count to the next number: an open bracket, with at most a
# few words of description before it ("19 cá nhân có sai phạm (8 …")
_BRACKET_OPEN = re.compile(r"[^().;:\d]{0,40}\(\s*(?:trong\s+đó\s*,?\s*|gồm\s*:?\s*|có\s+)?")


def _same_people(a: Figure, b: Figure) -> bool:
    return a.entity == b.entity or (a.entity in _PEOPLE and b.entity in _PEOPLE)


def _after_cue(doc: Doc, c: _Cues, f: str, fig: Figure, se: int) -> str | None:
    lo = fig.end
    hi = min(se, (fig.noun_end or fig.end) + _AFTER_WINDOW)
    stop = c.stop_re.search(f, fig.noun_end or lo, hi)
    if stop:
        hi = stop.start()
    m = c.after_re.search(f, lo, hi)
    if not m:
        return None
    role = c.after[" ".join(m.group().split())]
    if role == "part" and fig.noun_start is not None and m.start() < fig.noun_end:
        return None  # the cue is the counted noun itself ("chi bộ cơ quan" as an entity phrase)
    return role


def _breakdown(art: _Article, k: int, fig: Figure) -> bool:
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
    form = fig.status == "disciplined" and _form_governed(art, fig)
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
        if _opened(art, h, fig):
            return True
    return False


def _larger_elsewhere(art: _Article, k: int, fig: Figure) -> bool:
    """A larger figure of the same status, entity and subject anywhere in the article."""
    for j, h in enumerate(art.doc.figures):
        if j != k and h.status == fig.status and h.entity == fig.entity and h.kind in ("count", "ratio") \
                and h.value is not None and h.value > fig.value and h.is_target == fig.is_target \
                and (h.subject_level, h.subject_name) == (fig.subject_level, fig.subject_name):
            return True
    return False


def _sibling_forms(art: _Article, fig: Figure) -> bool:
    """Another figure of the same sentence is a different form of discipline of the same
    entity ("khiển trách 15 …, cảnh cáo 5 …"): the forms break down one tally."""
    for other in art.in_sentence(fig.sent_idx):
        if other is fig or other.status != "disciplined":
            continue
        if _same_people(other, fig) and _form_governed(art, other):
            return True
    return False


def _opened(art: _Article, h: Figure, fig: Figure) -> bool:
    """A subset opener between ``h`` and ``fig`` that still governs ``fig``: in its
    sentence (or opening it), with no ";" in between; a "(" still open at ``fig``."""
    f = art.f
    lo = max(h.end, art.doc.sentences[fig.sent_idx][0])
    last = None
    for m in art.c.opener_re.finditer(f, lo, fig.num_start):
        last = m
    if last is None:
        return False
    if last.group() == "(":
        return ")" not in f[last.end():fig.num_start]
    return ";" not in f[last.end():fig.num_start]

"""What each figure means: qualifier, entity, status, target flag, measure text.

Rules read the clause around the figure (segment.clause_bounds) on the folded
view; vocabularies come from data/*.tsv through vocab.py.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .breakdowns import (BRACKETED, bracket_head, breakdown_group, colon_head, in_bracket, index_of,
                         list_head, next_item_group, same_family, subgroup_of)
from .doc import Doc, Figure
from .figure_links import compared_changes, restated_events
from .people import (COPULA_NOUNS, delegates, foreign_clause, label_before, number_of, official_body,
                     official_clause, party_clause, said_to_be, state_discipline)
from .segment import clause_bounds, clause_marks
from .status import status_of
from .tables import phrase_alternation
from .vocab import vocab

_CHIEM = regex.compile(r"(?<![\p{L}])(?:chiếm|bằng|tương đương)(?:\s+tỷ\s+lệ)?(?:\s+\S+)?\s*$")


# "đạt tỷ lệ" right after a count, nothing else between: that count's share ("Vật lí:
# 409.980 em, đạt tỷ lệ 99,49%"; not "…, số đảng viên dự sinh hoạt đạt tỷ lệ 92%")
# (at most two words between, a measure's: "262 ha đất (đạt tỷ lệ 28%)"); so is a bracket
# opening on "tỷ lệ", four words of the count's noun before it ("6/70 phiếu tín nhiệm cao
# (tỉ lệ 8,45%)"; "(tỷ lệ gần 55%)": one word, a qualifier's, may stand before the number)
@lru_cache(maxsize=1)
def _dat_ty_le():
    """The pattern the comment above describes; only a qualifier (data/qualifiers.tsv
    before) may stand between "tỷ lệ" and the number ("(tỷ lệ nữ 45%)" is another share)."""
    quals = phrase_alternation(vocab().qual_before)
    return regex.compile(r"(?:(?:\s+\p{Ll}+){0,2}[\s,(]*đạt\s+t[ỷỉ]\s+lệ|(?:\s+\p{Ll}+){0,4}\s*\(\s*t[ỷỉ]\s+lệ)"
                         rf"(?:\s+(?:{quals}))?\s*")


_OF_PLAN_AFTER = regex.compile(r"\s*(?:kế hoạch|chỉ tiêu|so với|nghị quyết|mục tiêu)")
_INCOME = regex.compile(r"thu nhập bình quân đầu người|thu nhập bình quân")
_POOR = regex.compile(r"hộ nghèo")
_GRASSROOTS_SPLIT = regex.compile(r"chi bộ cơ sở")
_COMMITTEE_MODIFIER = regex.compile(
    r"\s+(?:trực thuộc|huyện|tỉnh|xã|phường|thành phố|thị xã|quận|bộ phận|tương đương|cấp|khối)")
_LOWER_WORD = regex.compile(r"\s+(?P<w>[\p{Ll}\p{M}]+)")
_PARTY_STATUSES = frozenset(["disciplined", "expelled", "removed", "admitted", "made_official",
                             "badge_awarded", "card_issued"])
_RATE = regex.compile(r"(?<![\p{L}])t[ỷỉ] lệ\s+")  # (both spellings: "tỷ lệ", "tỉ lệ")
# "15 người bị khai trừ", "9 cá nhân bị khiển trách": under party discipline, party members;
# "cá nhân" (not "người": "20 người" of a gang) also when found in violation or reviewed
_FINDINGS = frozenset(["violated", "reviewed"])
# people a breakdown's bare "người" may stand for (not "trường hợp": cases, not persons)
_COUNTED_PEOPLE = frozenset(["party_member", "cadre"])
# what befalls party members only, whatever noun counts them ("7 bị can", "51.000 người")
_PARTY_ONLY = frozenset(["expelled", "removed", "made_official"])
# people are appointed to a body, never established ("kiện toàn 5 thành uỷ viên")
_ESTABLISHED_NOT = frozenset(["party_member", "cadre", "person"])
# what happens to people or bodies only, never to a sum of money
_OF_PEOPLE = frozenset(["admitted", "made_official", "badge_awarded", "card_issued", "disciplined", "expelled",
                        "removed", "reviewed", "appointed", "rotated", "trained", "commended", "transferred",
                        "exempted", "attended_meeting", "inspected"])
# the tallies of party work whose bare "tổ chức" are party organisations
_ORG_TALLY_STATUSES = frozenset(["disciplined", "expelled", "inspected", "violated", "reviewed"])
# "tổ chức" with nothing of its own after it ("2 tổ chức và 4 đảng viên"), not "20 tổ chức
# kinh doanh xăng dầu"
_BARE_AFTER = regex.compile(r"\s*(?:[^\p{L}\s]|$|(?:và|với|trong|thuộc|về|có|vi|liên|bị|được|đã|cấp)(?!\p{L}))")


_JUST_BETWEEN = regex.compile(r"[\s,(]*(?:đạt\s*)?")  # "27/63, (đạt) 42,85%"


def annotate(doc: Doc) -> None:
    figs = doc.figures
    elected: dict[int, bool] = {}
    marks: dict[int, list] = {}  # (a sentence's clause marks, read once for its figures)
    for k, fig in enumerate(figs):
        ss, se = doc.sentences[fig.sent_idx]
        if fig.sent_idx not in marks:
            marks[fig.sent_idx] = clause_marks(doc.folded, ss, se)
        cs, ce = clause_bounds(doc.folded, ss, se, fig.num_start, marks[fig.sent_idx])
        _qualifier(doc, fig, cs)
        _target(doc, fig, ss, cs)
        _entity_status(doc, figs, k, ss, cs, ce)
        if fig.status in (None, "appointed") and fig.entity in _MEMBER_ENTITIES and fig.kind in _MEMBER_KINDS:
            if fig.sent_idx not in elected:
                elected[fig.sent_idx] = _about_elected_body(doc.folded, ss, se)
            if elected[fig.sent_idx]:
                _elected_body(fig)
        _measure(doc, fig)
    compared_changes(doc)
    restated_events(doc)


# Who sits on an elected body (data/elected_bodies.tsv): head counts of people, and their
# shares and ages, in a sentence about a committee being elected.
_MEMBER_ENTITIES = frozenset(["cadre", "person"])
_MEMBER_KINDS = frozenset(["count", "percent", "ratio", "age"])


def _about_elected_body(f: str, ss: int, se: int) -> bool:
    v = vocab()
    if v.elected_member_re.search(f, ss, se):
        return True
    return bool(v.elected_vote_re.search(f, ss, se) and v.elected_body_re.search(f, ss, se))


def _elected_body(fig: Figure) -> None:
    fig.entity, fig.status = "cadre", "appointed"
    fig.rule += "+elected_body"


def _qualifier(doc: Doc, fig: Figure, cs: int) -> None:
    v, f = vocab(), doc.folded
    if fig.kind == "range":
        return
    head = f[max(cs, fig.num_start - 40):fig.num_start]
    m = v.qual_before_re.search(head) if head.rstrip().endswith(v.qual_before_ends) else None
    if m:
        fig.qualifier = v.qual_before[" ".join(m["q"].split())]
    for pos in (fig.end, fig.noun_end):
        if pos is None:
            continue
        m = v.qual_after_re.match(f, pos, min(len(f), pos + 20))
        if m:
            fig.qualifier = v.qual_after[" ".join(m["q"].split())]
            break


def _open_paren(f: str, ss: int, pos: int) -> int | None:
    """The unclosed "(" before ``pos`` in the sentence (str.rfind hops: scan speed)."""
    depth = 0
    i = pos
    while True:
        o = f.rfind("(", ss, i)
        if o < 0:
            return None
        c = f.rfind(")", o + 1, i)
        if c >= 0:  # a ")" nearer to pos closes a "(" further back
            depth += 1
            i = c
        elif depth == 0:
            return o
        else:
            depth -= 1
            i = o


def _target(doc: Doc, fig: Figure, ss: int, cs: int) -> None:
    v, f = vocab(), doc.folded
    p = _open_paren(f, ss, fig.num_start)
    if p is not None and v.target_paren_re.match(f, p, fig.num_start):
        fig.is_target = True
        fig.rule += "+target_paren"
        return
    start = max(cs, p + 1) if p is not None else cs
    m = None
    for m in v.target_clause_re.finditer(f, start, fig.num_start):
        pass
    if m is not None and not _past_other_figure(doc, fig, m.end()):
        fig.is_target = True
        fig.rule += "+target_clause"
    elif v.target_sentence_re.search(f, ss, fig.num_start) or v.target_opening_re.match(f, ss, fig.num_start):
        fig.is_target = True
        fig.rule += "+target_sentence"


def _past_other_figure(doc: Doc, fig: Figure, cue_end: int) -> bool:
    """The plan cue governs an earlier figure, and this one follows after a comma with a
    phrase of its own ("dự kiến tăng 5 người so đại hội XI, đại diện cho hơn 4,5 triệu
    đảng viên"), not as the next item of a list of targets ("phấn đấu kết nạp 50 đảng
    viên, 10 tổ chức")."""
    between = [g for g in doc.figures if cue_end <= g.start and g.end <= fig.num_start]
    if not between:
        return False
    gap = doc.folded[between[-1].noun_end or between[-1].end:fig.num_start]
    comma = gap.rfind(",")
    return comma >= 0 and len(gap[comma + 1:].split()) >= 2


def _entity_of_noun(doc: Doc, fig: Figure) -> str | None:
    if fig.noun_start is None:
        return None
    v = vocab()
    noun = " ".join(doc.folded[fig.noun_start:fig.noun_end].split())
    return v.entity.get(noun, "other")


def _prev_in_sentence(figs: list[Figure], k: int) -> Figure | None:
    if k > 0 and figs[k - 1].sent_idx == figs[k].sent_idx:
        return figs[k - 1]
    return None


def _entity_status(doc: Doc, figs: list[Figure], k: int, ss: int, cs: int, ce: int) -> None:
    fig, f, v = figs[k], doc.folded, vocab()
    prev = _prev_in_sentence(figs, k)
    between = f[prev.end if prev else ss:fig.num_start]

    if fig.rule == "status_count":
        _status_count(doc, figs, k, ss)
        return
    if fig.rule in ("breakdown_item", "label_count"):
        # "trong đó hơn 19.800 nữ; dân tộc 504; …": the trait labels an item of the
        # breakdown; the item counts what the breakdown's total counts
        group = breakdown_group(figs, k)
        if group is not None:
            fig.entity, fig.status, fig.status_cue = group.entity, group.status, group.status_cue
            fig.measure_text = group.measure_text
            fig.group_head = index_of(figs, group)
            return
    # a share after a bracketed breakdown is the share of what the breakdown splits
    # ("hoàn thành xuất sắc 12 (gồm 02 đảng bộ và 10 chi bộ), chiếm 17,4%")
    if prev is not None and ")" in between and fig.kind == "percent":
        opened = f.rfind("(", ss, prev.start)
        before = [g for g in figs[:k] if g.sent_idx == fig.sent_idx and g.end <= opened] if opened >= 0 else []
        if before and before[-1].kind in ("count", "ratio"):
            prev = before[-1]
            between = BRACKETED.sub("", f[prev.end:fig.num_start])
    # shares the counted thing of the figure before it
    inherit = None
    if fig.list_item is not None:
        inherit = list_head(figs, k)
    elif fig.inherit_from == -1:
        nxt = figs[k + 1] if k + 1 < len(figs) else None
        if nxt is not None:
            fig.entity = _entity_of_noun(doc, nxt)
            fig.noun_start, fig.noun_end = nxt.noun_start, nxt.noun_end
    elif prev is not None and fig.kind == "percent" and fig.noun_start is None and (
            _CHIEM.search(between) or _JUST_BETWEEN.fullmatch(between)
            and _OF_PLAN_AFTER.match(f, fig.end)):
        inherit = prev
    elif prev is not None and fig.is_target and fig.noun_start is None and between.strip().startswith(("(", ")")):
        inherit = prev
    elif prev is not None and fig.kind == "percent" and _CHIEM.search(between):
        inherit = prev
    elif prev is not None and fig.kind == "percent" and fig.noun_start is None \
            and _dat_ty_le().fullmatch(f, prev.noun_end or prev.end, fig.num_start):
        inherit = prev  # (after the count's own noun: "409.980 em, đạt tỷ lệ 99,49%")
    elif fig.is_target and "+target_paren" in fig.rule and fig.noun_start is None and prev is not None:
        inherit = prev
    if inherit is not None:
        if inherit is prev:
            fig.shares_with = index_of(figs, prev)  # "44 nữ (chiếm 7,2%)", "(NQ 90%)": roles.py gives it prev's role
        fig.entity = fig.entity if fig.entity == "money" else inherit.entity
        fig.status, fig.status_cue = inherit.status, inherit.status_cue
        if fig.measure_text is None:
            fig.measure_text = inherit.measure_text
        return

    if fig.entity is None:
        fig.entity = _entity_of_noun(doc, fig)
    # a bare "đảng bộ" beside "chi bộ cơ sở" is the grassroots committee ("14 đảng bộ và 35 chi bộ cơ sở")
    if fig.entity == "party_committee" and fig.noun_end is not None:
        noun = " ".join(f[fig.noun_start:fig.noun_end].split())
        if noun == "đảng bộ" and not _COMMITTEE_MODIFIER.match(f, fig.noun_end) \
                and _GRASSROOTS_SPLIT.search(f, fig.noun_end, ce):
            fig.entity = "grassroots_party_committee"
    if fig.entity == "money" and _INCOME.search(f, cs, fig.num_start):
        fig.entity = "income_per_capita"

    back_entity = None
    if fig.entity is None:
        # no noun after: the nearest counted noun before it in the clause ("tỷ lệ đảng viên ... đạt 84%")
        last = None
        rate = _RATE.search(f, cs, fig.num_start)
        if rate:
            # "tỷ lệ đảng viên dự sinh hoạt chi bộ đạt 84%": the noun right after "tỷ lệ"
            last = v.entity_re.match(f, rate.end(), fig.num_start)
        if last is None:
            for m in v.entity_re.finditer(f, cs, fig.num_start):
                last = m
        if last is None and cs > ss:
            # a list under a head that names the counted thing before a colon ("Tổng số thí
            # sinh đến dự thi: Bài thi Vật lí: 409.980; Bài thi Hóa học: 412.470"): the head's
            last = colon_head(f, ss, cs, v)
        if last is not None:
            back_entity = last
            fig.entity = v.entity[" ".join(last.group().split())]
            fig.measure_text = doc.text[last.start():last.end()]
        elif prev is not None and fig.kind == "percent" and prev.kind == "percent":
            # a series of shares, one clause each ("nữ cao hơn 15% như Bắc Giang 15,09%;
            # Lào Cai 15,69%"): with no noun of its own a share continues the one before
            fig.entity, fig.measure_text = prev.entity, prev.measure_text
            fig.status = status_of(doc, figs, k, cs, ce, None) or prev.status
            return
        else:
            fig.entity = "other" if fig.kind not in ("money",) else "money"

    group = subgroup_of(doc, figs, k, ss) if fig.entity in ("other", "person") else None
    if group is None and fig.entity == "other" and fig.rule == "count_other_noun":
        # "13 người (6 nam và 7 cô gái)", "kết nạp 120 đảng viên (44 nữ)": an item of a
        # bracketed breakdown named by a trait counts what its head counts
        head = bracket_head(doc, figs, k)
        if head is not None and head.entity not in (None, "other", "money"):
            group = head
    if group is None and fig.entity in ("other", "person"):
        group = next_item_group(figs, prev, fig, between)  # the next item of the breakdown: "…; dân tộc 504"
    if group is not None:
        # "bổ nhiệm 611 cán bộ, trong đó 44 nữ": a part of a group counts what the group counts
        fig.entity, fig.status, fig.status_cue = group.entity, group.status, group.status_cue
        fig.group_head = index_of(figs, group)
        # unless a cue of its own says what befell this part ("56 người … bị xử lý, trong đó
        # 05 người bị xử lý hình sự")
        own = status_of(doc, figs, k, cs, ce, None)
        if own not in (None, "other"):
            fig.status = own
        return
    fig.status = status_of(doc, figs, k, cs, ce, back_entity)
    if fig.status == "violated" and fig.kind in ("count", "ratio", "percent"):
        # "kỷ luật 58.120 đảng viên vi phạm, trong đó 2.720 đảng viên vi phạm về tham nhũng":
        # a part of a discipline tally named by its cause is still disciplined
        head = subgroup_of(doc, figs, k, ss, any_entity=True)
        if head is not None and head.status in ("disciplined", "expelled") and same_family(head.entity, fig.entity):
            fig.status, fig.status_cue = head.status, head.status_cue
    if fig.status in (None, "other") and fig.noun_start is not None:
        # "167 bị cáo": the noun says what befell them, where no cue names another event
        fig.status = v.noun_status_of(f, fig.noun_start) or fig.status
    if fig.status == "established" and fig.entity in _ESTABLISHED_NOT:
        # "kiện toàn 5 thành uỷ viên": people are appointed, bodies established (GUIDE)
        fig.status = "appointed"
    if fig.kind == "money" and fig.status in _OF_PEOPLE:
        # "kỷ luật … vụ chiếm đoạt 7 tỷ đồng": a sum is not what was disciplined or admitted
        fig.status = "other"
    if fig.status is None and fig.kind in ("count", "ratio", "percent"):
        # a breakdown inherits the event of its group ("kỷ luật 429 trường hợp …, trong đó
        # có 98 trường hợp là người đứng đầu"; "… 50 cán bộ. Trong đó, 9 cán bộ là …")
        head = subgroup_of(doc, figs, k, ss, any_entity=True)
        if head is None:
            # the next item of the breakdown, after ";" ("Trong đó, 11 tập thể … kinh tế; 8
            # tập thể … văn hóa")
            head = next_item_group(figs, prev, fig, between, own_kind=True)
        if head is not None and head.status is not None and same_family(head.entity, fig.entity):
            fig.status, fig.status_cue = head.status, head.status_cue
            fig.group_head = index_of(figs, head)
    if fig.entity == "household" and (_POOR.search(f, cs, ce)):
        fig.status = "poor"
    # "15 người bị khai trừ": people under party discipline or admission are party members
    noun = " ".join(f[fig.noun_start:fig.noun_end].split()) if fig.noun_start is not None else None
    if fig.entity == "person" and noun == "người" and fig.group_head is None:
        # "56 người đứng đầu bị xử lý …, trong đó 05 người bị xử lý hình sự": people of a
        # breakdown are the people of its group, whatever befell each
        head = subgroup_of(doc, figs, k, ss, any_entity=True, from_noun=True)
        if head is None and prev is not None and ";" not in between and prev.noun_start is not None \
                and " ".join(f[prev.noun_start:prev.noun_end].split()) == "người":
            head = prev  # the next item: "…, 45 người đã bị xử lý kỷ luật"
        if head is not None and head.entity in _COUNTED_PEOPLE:
            fig.entity = head.entity
    if fig.entity == "person" and delegates(doc, fig, noun):
        fig.entity = "party_member"  # "497 đại biểu, đại diện cho 390.000 đảng viên"
        # who attend a congress, not the unit's membership (GUIDE; the members they stand
        # for are the stock: "đại diện cho 390.000 đảng viên")
        fig.status = fig.status or "other"
    if fig.entity == "person" and noun is not None:
        # "trong số 7 trường hợp thì có 3 người là đảng viên": the predicate says who they are
        said = said_to_be(f, fig.noun_end, v, noun)
        if said is not None:
            fig.entity = said
    if fig.entity == "person" and (noun in COPULA_NOUNS or fig.kind in ("percent", "ratio") and noun is None) \
            and (official_clause(doc, fig) or official_body(doc, fig)):
        # "44 người được xác minh tài sản", "số người đã kê khai tài sản … đạt 99,8%": only
        # officials declare assets
        fig.entity = "cadre"
    if fig.entity in ("person", "organization") and noun in ("cá nhân", "tổ chức") \
            and not state_discipline(doc, fig) and party_clause(doc, fig):
        # "UBKT Trung ương đã giải quyết tố cáo 01 tổ chức và 02 cá nhân": a party
        # commission's work is with party organisations and members
        fig.entity = "party_member" if noun == "cá nhân" else "party_org"
    if fig.entity == "person" and noun == "người":
        fig.entity = number_of(f, cs, fig.num_start) or label_before(f, ss, fig.num_start) or fig.entity
        if fig.entity == "person" and fig.status == "appointed":
            fig.entity = "cadre"  # "bầu 75 người vào Ban chấp hành": people given posts
    if fig.entity == "person" and fig.status in _PARTY_ONLY:
        fig.entity = "party_member"  # "khai trừ Đảng 7 bị can": only members leave the party
    if fig.entity == "person" and (fig.status in _PARTY_STATUSES and noun == "người"
                                   or fig.status in _PARTY_STATUSES | _FINDINGS and noun == "cá nhân"):
        # the state's discipline of its staff ("về mặt chính quyền … khiển trách 60 người");
        # a foreign state's or party's people stay people
        if not foreign_clause(doc, fig):
            fig.entity = "cadre" if state_discipline(doc, fig) else "party_member"
    elif fig.entity == "party_org" and noun == "tập thể" and fig.status == "disciplined" and state_discipline(doc, fig):
        fig.entity = "organization"  # "kỷ luật hành chính đối với 724 tập thể": agencies, not party bodies
    elif fig.entity == "organization" and noun == "tổ chức" and fig.status in _ORG_TALLY_STATUSES \
            and _BARE_AFTER.match(f, fig.noun_end) and not state_discipline(doc, fig):
        # "kỷ luật 2 tổ chức và 4 đảng viên", "kiểm tra 9 tổ chức và 15 đảng viên": a party
        # tally counts party organisations, however briefly named
        fig.entity = "party_org"


def _status_count(doc: Doc, figs: list[Figure], k: int, ss: int) -> None:
    """A count right after its rating tier, in a list of tiers ("Hoàn thành tốt nhiệm vụ
    49 (…), chiếm 71%; Không hoàn thành nhiệm vụ 02"): the tier of its own item is its
    status; what is rated is what the tier before it rated, or the counted noun the
    sentence names before the list ("xếp loại tổ chức cơ sở đảng: …")."""
    fig, f, v = figs[k], doc.folded, vocab()
    m = v.status_end_re.search(f, max(ss, fig.num_start - 60), fig.num_start)
    fig.status_cue = " ".join(m["cue"].split()) if m else None
    fig.status = v.status.get(fig.status_cue) if m else None
    same = [g for g in figs[:k] if g.sent_idx == fig.sent_idx]
    earlier = [g for g in same if g.rule == "status_count"]
    # the count the list breaks down ("… và 2.435 đảng viên (khai trừ 282, cách chức 81"),
    # unless it only stands inside an earlier item's brackets
    heads = [g for g in same if g.rule != "status_count" and g.kind in ("count", "ratio")
             and g.entity not in (None, "other") and not in_bracket(f, ss, g.start)]
    head = heads[-1] if heads and (not earlier or heads[-1].start > earlier[-1].start) else \
        (earlier[-1] if earlier else None)
    if head is not None:
        fig.entity, fig.measure_text = head.entity, head.measure_text
        # the count the whole list breaks down, not the item before
        fig.item_of = head.item_of if head.rule == "status_count" and head.item_of is not None \
            else index_of(figs, head)
        return
    # the noun the list's later item names comes first: a noun before the list is more often
    # the acting body's ("Đảng bộ huyện khiển trách 21, cảnh cáo 9, cách chức 2 trường hợp")
    last = _shared_noun_after(doc, figs, k)
    if last is None:
        for e in v.entity_re.finditer(f, ss, m.start() if m else fig.num_start):
            last = e
    if last is not None:
        fig.entity = v.entity[" ".join(last.group().split())]
        fig.measure_text = doc.text[last.start():last.end()]
    else:
        fig.entity = "other"


# how far a list of forms may run to its last item
_SHARED_NOUN_REACH = 80
_LIST_BREAK = regex.compile(r"[.;:()]")


def _shared_noun_after(doc: Doc, figs: list[Figure], k: int):
    """The noun the list's last item names (it comes before a noun ahead of the list): forms
    listed before one shared noun ("khiển trách 17, cảnh cáo 4, cách chức 1, khai trừ 2
    trường hợp": all four are cases)."""
    fig, f, v = figs[k], doc.folded, vocab()
    for g in figs[k + 1:]:
        if g.sent_idx != fig.sent_idx or g.start - fig.end > _SHARED_NOUN_REACH \
                or _LIST_BREAK.search(f, fig.end, g.start):
            return None
        if g.rule != "status_count":
            # (the list's last item: a form right before its number, not another verb's object:
            # "khiển trách 21, cảnh cáo 9, đồng thời kiểm tra 5 tổ chức đảng")
            forms = [v.status.get(" ".join(m.group().split()))
                     for m in v.status_re.finditer(f, max(fig.end, g.num_start - 40), g.num_start)]
            if g.noun_start is None or not forms or forms[-1] not in v.list_statuses | {fig.status}:
                return None
            return v.entity_re.match(f, g.noun_start)
    return None


def _measure(doc: Doc, fig: Figure) -> None:
    if fig.measure_text is not None or fig.noun_start is None:
        return
    # the cue plus up to three lower-case modifier words ("chi bộ quân sự"), stopping at
    # a function word or verb from data/noun_stops.tsv
    end = fig.noun_end
    stops = vocab().noun_stops
    # (each word must follow the one before: matched there, not searched for further on)
    for _ in range(3):  # 3 words at most
        w = _LOWER_WORD.match(doc.text, end, fig.noun_end + 300)
        if w is None or w["w"].lower() in stops:
            break
        end = w.end()
    fig.measure_text = doc.text[fig.noun_start:end].strip() or None

"""Article-wide passes over the roles roles.py gave each figure one at a time: what only
the article's other figures settle (a smaller second total is a share of the larger; a
change, a share or a title figure takes its figure's role; one case's people told again
or on two sides stay that group; discipline found warranted beside discipline decided;
the bodies directly under a unit listed beside its intermediate committees; general news,
whose counts are one event's group).
roles.annotate runs them in order after the per-figure roles."""
from __future__ import annotations

import re
from functools import lru_cache

from .actors import same_tally
from .doc import Doc, Figure
from .numbers import ROUNDED_BANDS
from .role_context import Cues, approx_before
from .tables import rows
from .textnorm import fold_phrase
from .vocab import family

_PEOPLE = family("people")
_PERSONS = _PEOPLE - {"case"}  # "trường hợp" and "vụ" are both cases: not always persons
_DISCIPLINE = frozenset(["disciplined", "expelled", "reviewed", "violated", "prosecuted", "removed"])
# the next item of a list of parts: "9 đảng bộ huyện, thành phố và 4 …"
_COORD = re.compile(rf"[^;.()]{{0,40}}?(?:,|\svà)\s*{approx_before()}")


# what an inspection finds or decides
_FINDINGS = frozenset(["disciplined", "expelled", "violated", "reviewed"])


_SUBJECT_ATTRS = ("subject_level", "subject_name", "subject_code", "subject_province")


def below_a_total(doc: Doc, c: Cues) -> None:
    """A unit has one whole figure for an entity, status and period: when an article gives
    it two different totals, the smaller is a share of the larger, whatever trait picks it
    out ("kỷ luật 412 đảng viên" … "kỷ luật 97 đảng viên" through one channel); inspections
    and supervisions are two tallies (actors.same_tally). A rounded
    restatement ("hơn 2.400" beside 2.435) is the same figure, not a share."""
    totals = [f for f in doc.figures if f.role == "total" and f.kind == "count" and f.value is not None]
    # (discipline found warranted, "phải thi hành kỷ luật 45.607 đảng viên", is not the
    # discipline done that a smaller count may be)
    wholes = [f for f in totals if not _warranted(doc, c, f)]
    for fig in totals:
        if fig.status is None:
            continue  # stocks: a breakdown into kinds gives their own totals
        for g in wholes:
            if g.value > fig.value and g.entity == fig.entity and g.status == fig.status \
                    and same_tally(g, fig) \
                    and g.is_target == fig.is_target \
                    and (g.subject_level, g.subject_name) == (fig.subject_level, fig.subject_name) \
                    and (g.period_start, g.period_end) == (fig.period_start, fig.period_end) \
                    and not _restates(g, fig):
                fig.role = "part"
                break



def _restates(a: Figure, b: Figure) -> bool:
    """One of two values rounds the other (by its qualifier's band)."""
    for x, y in ((a, b), (b, a)):
        band = _ROUNDED.get(x.qualifier)
        if band and band[0] * x.value <= y.value <= band[1] * x.value:
            return True
    return False


def changes_follow(doc: Doc) -> None:
    """A change told right after counts of its clause ("thi hành kỷ luật 87 tổ chức đảng và
    hơn 6.000 đảng viên, tăng 61% tổ chức và 16% số đảng viên so với cùng kỳ") changes
    those counts: it shares the role of the count of its entity (one body's share stays
    that body's)."""
    figs = doc.figures
    for k, fig in enumerate(figs):
        if not (fig.kind == "change" or fig.kind == "percent" and k > 0 and figs[k - 1].kind == "change"):
            continue
        for j in range(k - 1, -1, -1):
            g = figs[j]
            if g.sent_idx != fig.sent_idx or ";" in doc.folded[g.end:fig.num_start]:
                break
            if g.kind == "count" and g.entity == fig.entity and g.status == fig.status:
                fig.role = g.role
                break


def _warranted(doc: Doc, c: Cues, fig: Figure, before_only: bool = False) -> bool:
    """Discipline found warranted, not done ("phải thi hành kỷ luật 45.607 đảng viên"; with
    ``before_only`` only a cue before the number counts, not "… viên phải xử lý kỷ luật")."""
    if fig.status != "disciplined":
        return False
    if c.warranted_re.search(doc.folded, doc.sentences[fig.sent_idx][0], fig.num_start):
        return True
    return not before_only and bool(fig.status_cue and c.warranted_re.match(fig.status_cue))


def warranted_and_decided(doc: Doc, c: Cues) -> None:
    """Discipline found warranted beside discipline decided ("phải thi hành kỷ luật 1.801
    tổ chức đảng và 45.607 đảng viên (đã thi hành kỷ luật 1.522 tổ chức đảng và 34.959
    đảng viên)"): the decided count is the unit's discipline, the warranted one is not."""
    for fig in doc.figures:
        if not _warranted(doc, c, fig, before_only=True):
            continue
        for g in doc.figures:
            if g.sent_idx == fig.sent_idx and g.start > fig.start and g.entity == fig.entity \
                    and g.status == "disciplined" and g.value is not None and fig.value is not None \
                    and g.value < fig.value and c.decided_re.search(doc.folded, fig.end, g.num_start):
                g.role = fig.role if fig.role != "part" else g.role
                g.actor = g.actor or fig.actor  # the decided tally is the body's, if one made it
                fig.role, fig.actor = "part", None
                break




def title_repeats(doc: Doc, title_end: int) -> None:
    """A title figure repeats one of the body ("Đà Nẵng: Thi hành kỷ luật 13 đảng viên"
    over "… UBKT các cấp thi hành kỷ luật 13 đảng viên"), maybe rounded ("hơn 50" over
    51): it is what the body says it is."""
    lead = _lead_paragraph(doc, title_end)
    if lead is not None:
        # a sapo restating what one body or one inspection found ("Hà Nội đã kết luận … 348
        # đảng viên có vi phạm" over "UBKT các cấp … kiểm tra khi có dấu hiệu vi phạm … Qua
        # đó đã kết luận … 348"): that body's part, as in the body
        body = _body_figures(doc, lead[1])
        for f in doc.figures:
            twin = (body.get((f.value, f.entity, f.status, f.kind)) or _rounded_twin(doc, f, lead[1])) \
                if lead[0] <= f.start < lead[1] else None
            if twin is not None and twin.role == "part" and twin.part_by in ("actor", "findings"):
                f.role, f.actor, f.part_by = twin.role, twin.actor, twin.part_by
    if title_end <= 0:
        return
    body = _body_figures(doc, title_end)
    for f in doc.figures:
        twin = None
        if f.start < title_end:
            twin = body.get((f.value, f.entity, f.status, f.kind)) or _rounded_twin(doc, f, title_end)
        if twin is not None:
            # unless the title names a trait the body may leave out ("335 cán bộ thuế bị kỷ
            # luật" over "… đã xử lý hành chính 335 người"): the title's figure stays that part
            # (the body's keeps its own role: "12 đảng viên nữ" over "kết nạp 12 đảng viên")
            if not (f.role == "part" and f.part_by == "trait"):
                f.role, f.actor = twin.role, twin.actor
            # and whose it is: the body names the unit the title abbreviates ("Hoà Bình:
            # … 15 đảng viên" over "UBKT Đảng uỷ khối các cơ quan tỉnh Hoà Bình … 15 đảng viên")
            if twin.subject_level is not None:
                for attr in _SUBJECT_ATTRS:
                    setattr(f, attr, getattr(twin, attr))


def _body_figures(doc: Doc, after: int) -> dict:
    body = {}
    for f in doc.figures:
        if f.start >= after and f.value is not None:
            body.setdefault((f.value, f.entity, f.status, f.kind), f)
    return body


# a sapo longer than this is a page's whole text run together, not a lead
_LEAD_MAX = 600


def _lead_paragraph(doc: Doc, title_end: int) -> tuple[int, int] | None:
    """The first paragraph after the title, when it is a sapo (short, with text after it)."""
    for s, e in doc.paragraphs:
        if s >= title_end and doc.text[s:e].strip():
            return (s, e) if e - s <= _LEAD_MAX and e < len(doc.text.rstrip()) else None
    return None


# a title rounds the body's figure ("hơn 50 đảng viên" over "kỷ luật 51 đảng viên"):
# how far the body's value may lie from the title's, by the title's qualifier
# (how far an exact value may lie from a rounded one it restates: the views use the same)
_ROUNDED = ROUNDED_BANDS


def _rounded_twin(doc: Doc, f: Figure, title_end: int) -> Figure | None:
    band = _ROUNDED.get(f.qualifier)
    if band is None or f.value is None or f.kind != "count":
        return None
    lo, hi = band[0] * f.value, band[1] * f.value
    for g in doc.figures:
        if g.start >= title_end and g.kind == f.kind and g.entity == f.entity and g.status == f.status \
                and g.value is not None and lo <= g.value <= hi and g.value != f.value:
            return g
    return None


# how far after the last coordinated noun a shared kind may end ("… vi phạm pháp luật về
# tham nhũng")
_SHARED_WINDOW = 60


def shared_kind(doc: Doc, c: Cues) -> None:
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
    # ("… kiểm tra khi có dấu hiệu vi phạm với 119 tổ chức đảng. Qua đó đã kết luận 73 …":
    # a sentence opening on "qua đó" reports what the sentence before it did; roles.tsv
    # findings_carry; what a sentence opening on "Việc giám sát …" found is that channel's,
    # roles.tsv findings_in)
    for fig in figs:
        if fig.status not in _FINDINGS or fig.role == "group":
            continue
        own = ss = doc.sentences[fig.sent_idx][0]
        if fig.sent_idx > 0 and c.findings_carry_re.match(doc.folded, ss):
            ss = doc.sentences[fig.sent_idx - 1][0]
        if c.findings_of_re.search(doc.folded, ss, fig.num_start) \
                or c.findings_in_re.match(doc.folded, own, fig.num_start):
            fig.role, fig.actor, fig.part_by = "part", None, "findings"


def repeated_groups(doc: Doc) -> None:
    """The same described few told again ("kỷ luật 15 đảng viên có con được nâng điểm …
    các cấp uỷ đã thực hiện quy trình kỷ luật 15 đảng viên"): once a group, always."""
    groups = {(f.value, f.status, f.entity in _PEOPLE) for f in doc.figures
              if f.role == "group" and f.kind == "count" and f.value is not None}
    if not groups:
        return
    for fig in doc.figures:
        # (whoever tallied them: a body's share of a tally is still those few)
        if (fig.role == "total" or fig.part_by == "actor") and fig.kind == "count" \
                and (fig.value, fig.status, fig.entity in _PEOPLE) in groups:
            fig.role, fig.actor, fig.part_by = "group", None, None


def parallel_groups(doc: Doc) -> None:
    """One case's people disciplined on two sides ("kỷ luật về Đảng đối với 19 cá nhân có
    sai phạm (…); kỷ luật về chính quyền 14 người (cảnh cáo 12 người, …)"): a discipline
    count told after a group's, beyond a ";" of the same sentence, is that case's people
    too, and so are its bracketed items."""
    figs = doc.figures
    for k, fig in enumerate(figs):
        if fig.role != "total" or fig.kind != "count" or fig.status not in _DISCIPLINE or fig.entity not in _PERSONS:
            continue
        before = [g for g in figs[:k] if g.sent_idx == fig.sent_idx]
        if any(g.role == "group" and g.kind == "count" and g.status in _DISCIPLINE and g.entity in _PERSONS
               and ";" in doc.folded[g.end:fig.num_start] for g in before):
            fig.role = "group"
            for item in figs[k + 1:]:  # its breakdown, up to the next ";"
                if item.sent_idx != fig.sent_idx or ";" in doc.folded[fig.end:item.num_start]:
                    break
                if item.role == "part" and item.status in _DISCIPLINE:
                    item.role = "group"


# lower bodies that intermediate committees (roles.tsv intermediate) also hold
_LOWER_BODIES = frozenset(["grassroots_party_committee", "grassroots_party_cell", "party_cell",
                           "grassroots_party_org"])


def beside_intermediate(doc: Doc, c: Cues) -> None:
    """A unit's direct subordinates listed by kind beside its intermediate committees
    ("64 đảng bộ, chi bộ trực thuộc, trong đó có 34 đảng bộ cấp trên cơ sở, 29 đảng bộ cơ
    sở, 1 chi bộ cơ sở"; "02 đảng bộ bộ phận, 18 chi bộ trực thuộc"): the grassroots
    bodies and cells counted there are only those directly under the unit, the others sit
    under the intermediate committees, so they are a part of its whole, not its total
    (roles.tsv intermediate).  A count after "với" ("…, với 5.469 chi bộ") is not in the list."""
    figs, f = doc.figures, doc.folded
    for k, fig in enumerate(figs):
        if fig.kind != "count" or not c.intermediate_re.match(f, fig.end):
            continue
        for step in (-1, 1):  # the list's items on either side, while they follow on
            j = k
            while 0 <= j + step < len(figs):
                a, b = (figs[j + step], figs[j]) if step < 0 else (figs[j], figs[j + step])
                if b.sent_idx != a.sent_idx or not _COORD.fullmatch(f, a.noun_end or a.end, b.num_start):
                    break
                j += step
                item = figs[j]
                if item.kind == "count" and item.entity in _LOWER_BODIES and item.role == "total":
                    item.role = "part"


# the length from which an article without a word of party building is general news (a
# sentence or two says nothing of its genre)
GENERAL_NEWS_MIN_CHARS = 600


@lru_cache(maxsize=1)
def _party_words() -> tuple[str, ...]:
    return tuple(fold_phrase(r[0]) for r in rows("party_words"))


def general_news(doc: Doc) -> bool:
    """An article of some length that names no word of party building (data/party_words.tsv)."""
    f = doc.folded
    return len(f) >= GENERAL_NEWS_MIN_CHARS and not any(w in f for w in _party_words())


def event_story(doc: Doc, art) -> None:
    """General news tells one event, a project, a cluster of cases, one office's exam: its
    counts are that event's group, not a unit's tally or a part of one, unless their
    sentence speaks of a unit's whole (roles.tsv aggregate: "toàn tỉnh có 7.068 thí sinh",
    "cả nước") or, with no incident cue, names a year or a period ("Năm 2020, tỉnh ghi nhận
    12 ca": a tally of its time; RoleContext.sentence_incident)."""
    if not general_news(doc):
        return
    for fig in doc.figures:
        if fig.role in ("total", "part") and art.sentence_incident(fig.sent_idx) is not False:
            fig.role = "group"

"""Who counted people are, read from the words around them: the clause's "số <noun>"
("Số đảng viên vi phạm … là 191 người"), a copula after the noun ("3 người là đảng viên"),
the state's discipline of its staff, what only officials do (declaring assets).  Split
from meaning.py; meaning._entity_status asks these."""
from __future__ import annotations

import regex

from .doc import Doc, Figure
from .status import colon_label, counted_noun
from .vocab import entity_families, vocab


def number_of(f: str, cs: int, pos: int) -> str | None:
    """The people a clause counts when it names "số <noun>" and gives their number as
    so many "người" ("Số đảng viên vi phạm … là 191 người"): that noun's entity."""
    e = counted_noun(f, cs, pos)
    entity = vocab().entity[" ".join(e.group().split())] if e else None
    return entity if entity != "person" and entity_families().get(entity) == "people" else None


def label_before(f: str, ss: int, pos: int) -> str | None:
    """The people entity (not "person") that a "số <noun> …:" label right before the
    number names, or None."""
    label = colon_label(f, ss, pos)
    return number_of(f, *label) if label else None


def state_discipline(doc: Doc, fig: Figure) -> bool:
    """The figure's part of its sentence speaks of the state's discipline of its staff
    (data/state_discipline.tsv)."""
    return _part_names(doc, fig, vocab().state_discipline_re)


# bare nouns of people that a copula may name ("3 người là đảng viên"; cases stay cases:
# "98 trường hợp là người đứng đầu" counts cases, GUIDE)
_COPULA = regex.compile(r"\s+(?:đều\s+|cũng\s+)?là\s+(?:các\s+|những\s+)?")
# what a copula may make of them: members or officials (not "là người dân tộc thiểu số")
_SAID_TO_BE = frozenset(["party_member", "cadre"])


# after another noun of people, only a bare copula naming members or officials ("10 tân
# binh là đảng viên"), not a description ("1.750 hội viên là các đồng chí cán bộ … nghỉ hưu")
_COPULA_STRICT = regex.compile(r"\s+(?:đều\s+|cũng\s+)?là\s+(?=đảng\s+viên|cán\s+bộ)")
# the bare nouns of people ("người", "cá nhân") whose copula or clause says who they are
COPULA_NOUNS = frozenset(["người", "cá nhân"])


def said_to_be(f: str, noun_end: int, v, noun: str = "người") -> str | None:
    """The people entity a copula right after the counted noun names ("3 người là đảng
    viên", "2 cá nhân là cán bộ"; after another noun only "là đảng viên" / "là cán bộ"),
    or None."""
    m = (_COPULA if noun in COPULA_NOUNS else _COPULA_STRICT).match(f, noun_end)
    if m is None:
        return None
    e = v.entity_re.match(f, m.end())
    ent = v.entity.get(" ".join(e.group().split())) if e else None
    return ent if ent in _SAID_TO_BE else None


def official_clause(doc: Doc, fig: Figure) -> bool:
    """The figure's part of its sentence names something only officials do or undergo
    (data/official_contexts.tsv: declaring assets, being received into the civil service)."""
    rx, f = vocab().official_re, doc.folded
    lo, hi = _part_start(doc, fig), _part_end(doc, fig)
    return (rx["any"].search(f, lo, hi) is not None
            or rx["before"].search(f, lo, fig.num_start) is not None
            or rx["after"].search(f, fig.end, hi) is not None)


def _part_start(doc: Doc, fig: Figure) -> int:
    """Where the figure's part of its sentence starts: after the last ";" before it."""
    ss, _ = doc.sentences[fig.sent_idx]
    return doc.folded.rfind(";", ss, fig.num_start) + 1 or ss


def _part_end(doc: Doc, fig: Figure) -> int:
    """Where the figure's part of its sentence ends: at the first ";" after it."""
    _, se = doc.sentences[fig.sent_idx]
    hi = doc.folded.find(";", fig.end, se)
    return hi if hi >= 0 else se


def _part_names(doc: Doc, fig: Figure, rx) -> bool:
    """``rx`` matches in the figure's part of its sentence, between semicolons."""
    return bool(rx.search(doc.folded, _part_start(doc, fig), _part_end(doc, fig)))


def party_clause(doc: Doc, fig: Figure) -> bool:
    """A party inspection commission acts in the figure's part of its sentence, before
    the figure (data/party_contexts.tsv): the bare "cá nhân" and "tổ chức" it counts are
    party members and organisations ("UBKT Trung ương đã giải quyết tố cáo 01 tổ chức và 02
    cá nhân")."""
    return vocab().party_context_re.search(doc.folded, _part_start(doc, fig), fig.num_start) is not None


_BODY_REACH = 70


def official_body(doc: Doc, fig: Figure) -> bool:
    """The figure tells the size of a body of officials ("đoàn thanh tra … gồm 6 người",
    "Thường vụ Thành uỷ có 15 người"; data/official_bodies.tsv)."""
    lo = max(_part_start(doc, fig), fig.num_start - _BODY_REACH)
    return vocab().official_body_re.search(doc.folded, lo, fig.num_start) is not None


def delegates(doc: Doc, fig: Figure, noun: str | None) -> bool:
    """The figure counts a party congress's delegates (data/party_delegates.tsv): a
    delegate noun, in a sentence that speaks of a party congress or of the members the
    delegates stand for, and names no foreign country or party."""
    if noun is None or not noun.startswith(vocab().delegate_nouns):
        return False
    ss, se = doc.sentences[fig.sent_idx]
    return vocab().delegate_context_re.search(doc.folded, ss, se) is not None and not foreign_clause(doc, fig)


def foreign_clause(doc: Doc, fig: Figure) -> bool:
    """A foreign country or party is named in the figure's sentence before it ("Thổ Nhĩ Kỳ
    đã sa thải và đình chỉ công tác hơn 125.000 người"): the people its state or party
    acts on are not Việt Nam's party members, whatever befell them."""
    ss, _ = doc.sentences[fig.sent_idx]
    return any(u.level == "foreign" and ss <= u.start < fig.num_start for u in doc.units)

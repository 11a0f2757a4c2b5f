"""What the role rules read besides a figure itself: the cue tables of data/roles.tsv
(``Cues``, folded once) and one article's context (``Article``: its kind, each sentence's
figures, whether a sentence tells an incident), with the two span tests the role rules and
the acting-body split share (``form_governed``, ``opened``)."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

import regex

from .doc import Doc, Figure
from .tables import phrase_alternation, rows, word_or_mark
from .textnorm import fold_phrase
from .vocab import _cue_regex
from .wordscan import literal_starts, word_matches



# the window after the number: up to punctuation or a preposition ("556 đảng viên ở tỉnh
# này": the "này" points at the province, not the members)
_PUNCT = ",;:.()[]\"“”"
# between a subset cue and its number: "trong đó, có từ 25%"
_BEFORE_GAP = re.compile(r"(?:\s*[,:]?\s*(?:có|là|gồm|từ|hơn|trên|gần|khoảng|chỉ)){0,3}\s*$")
# "kỷ luật 32 đảng viên: khiển trách 21": a form after a colon breaks the tally down
_CLAUSE_MARK = re.compile(r"[:;(,]")
# (the digit check after the first digit: a pattern opening on a look-behind is tried at
# every position, one opening on a character only where it stands; same matches)
_YEAR = re.compile(r"(?:1(?<!\d.)9[4-9]\d|2(?<!\d.)0[0-4]\d)(?!\d)")
# (the word check after the first letter: see tables.word_alternation)
_PERSON_NAME = re.compile(r"(?:ô(?<![^\W\d_].)ng|b(?<![^\W\d_].)à)\s+[A-ZĐ][a-zà-ỹ]+(?:\s+[A-ZĐ][a-zà-ỹ]+)+")


# an optional approximation before a list item's number ("hơn", "gần", "xấp xỉ"), with the
# space after it: the approximating words of data/qualifiers.tsv, not its verbs ("vượt 37%
# kế hoạch" is no item of a list)
_APPROX_WORDS = ("hơn", "gần", "khoảng", "trên", "dưới", "ước", "xấp xỉ", "chừng")


def _alternation(words, cap: bool = False) -> str:
    """A regex alternation of literal words, longest first (capitalised: as they open a
    sentence), or one that never matches."""
    words = sorted(words, key=len, reverse=True)
    return "|".join(regex.escape(w[:1].upper() + w[1:] if cap else w) for w in words) or "(?!)"


@lru_cache(maxsize=1)
def approx_before() -> str:
    return rf"(?:(?:{phrase_alternation(_APPROX_WORDS)})\s+)?"


class Cues:
    def __init__(self):
        by = {}
        for cue, role, scope, *_ in rows("roles"):
            by.setdefault(scope, {})[fold_phrase(cue)] = role
        self.after = by.get("after", {})
        self.after_re = _cue_regex(self.after)
        gap = _BEFORE_GAP.pattern
        self.before_re = re.compile(rf"{_cue_regex(by.get('before', {})).pattern}{gap}")
        self.before_same_re = re.compile(rf"{_cue_regex(by.get('before_same', {})).pattern}{gap}")
        # the first item of a labelled list after a subset cue ("trong đó: Môn Vật lí: 412.054")
        subset = {**by.get("before", {}), **by.get("before_same", {})}
        self.list_head_re = re.compile(rf"{_cue_regex(subset).pattern}\s*:\s*[^;.():\d]{{1,40}}:\s*{approx_before()}$")
        openers = by.get("opener", {})
        words = [o for o in openers if o[:1].isalnum()]
        marks = [o for o in openers if not o[:1].isalnum()]  # "(" and the like
        # (a word and a mark never open at one place: trying the marks first changes nothing)
        self.opener_re = re.compile(word_or_mark(words, marks))
        self.form_re = _cue_regex(by.get("form", {}))
        self.form_stop_re = _cue_regex(by.get("form_stop", {}))
        self.body_re = _cue_regex(by.get("body", {}))
        self.actor = {cue: scope.split("_", 1)[1]
                      for scope in ("actor_committee", "actor_commissions", "actor_commission", "actor_standing",
                                    "actor_authorities")
                      for cue in by.get(scope, {})}
        # (a member of the body is no act of it: "có 7 cấp ủy viên", "Thành ủy viên")
        self.actor_re = re.compile(_cue_regex(self.actor).pattern + r"(?!\s+viên\b)")
        # a sentence opening on one of these verbs has no actor of its own
        self.carry_re = re.compile(r"[\s\W]*(?:" + _cue_regex(by.get("actor_carry", {})).pattern + ")")
        self.within_re = _cue_regex(by.get("within", {}))
        # a sentence opening on one channel of the work ("Qua giải quyết khiếu nại, tố cáo, …")
        # ("thông qua …" the same)
        self.channel_re = re.compile(r"[\s\W]*(?:thông\s+)?(?:" + _cue_regex(by.get("channel", {})).pattern + ")")
        # a count of reports the public sent in ("3.700 tin báo", "846 tin phản ánh")
        self.reported_re = re.compile(r"\d[\d.,]*\s+(?:" + _cue_regex(by.get("reported", {})).pattern + ")")
        # one body of a unit holding a stock of staff, up to its "có"/"với" right before the
        # number (roles.py): not after a party body's name ("Đảng bộ cơ quan … có 292")
        holders = by.get("holder", {})
        self.holder_re = re.compile(
            r"(?<!đảng bộ )(?<!đảng ủy )" + _cue_regex(holders).pattern
            + r"[^.;:\n]{0,70}?\s(?:hiện\s+)?(?:có|với)\s+(?:tổng\s+số\s+|số\s+\S+\s+)?"
            r"(?:hơn|gần|khoảng|trên|tới|đến|chỉ)?\s*$")
        # a rank of officials opening the counted noun ("giảm 26 trưởng phòng", "9 cán bộ
        # cấp trưởng phòng"; roles.tsv rank)
        self.rank_re = re.compile(r"\s*(?:cán\s+bộ\s+|người\s+)?(?:"
                                  + _cue_regex(by.get("rank", {})).pattern + ")")
        # a kind of body a unit has one of, opening the counted noun ("10 Ban Thường vụ Tỉnh
        # ủy"; roles.tsv body_kind)
        self.body_kind_re = re.compile(r"\s*(?:" + _cue_regex(by.get("body_kind", {})).pattern + ")")
        # one paper of an exam before the number in its clause (roles.py); a colon may follow
        # the paper ("dự thi bài thi: KHTN 418.521 thí sinh")
        self.exam_part_re = re.compile(_cue_regex(by.get("exam_part", {})).pattern + r"[\s:]+[^\d;.]{0,40}$")
        # a school subject as a label right before the number ("Vật lí: 409.980"), a paper only
        # in a sentence about an exam (roles.tsv exam_subject, exam_context): "Khoa Sinh học
        # có 25 giảng viên" is a faculty
        self.exam_subject_re = re.compile(_cue_regex(by.get("exam_subject", {})).pattern + r"\s*:\s*$")
        self.exam_context_re = _cue_regex(by.get("exam_context", {}))
        # a stage of criminal proceedings right before the number (roles.py)
        self.stage_re = re.compile(_cue_regex(by.get("stage", {})).pattern + r"(?:\s+(?:và\s+)?[^\d;.]{0,12})?\s*$")
        # one day or session of an event of several (roles.py)
        self.session_re = _cue_regex(by.get("session", {}))
        # longer words that hold a cue of these scopes without being it ("cơ sở" holds the
        # holder "sở", "chuyên môn" the exam paper "môn", "ngày thi hành" the session "ngày
        # thi"): roles.tsv <scope>_not, one table per scope (Cues.held)
        self.held_by = {scope: tuple(by.get(scope + "_not", {})) for scope in ("holder", "exam_part", "session")}
        # one project's or contract's money (roles.py), unless many or a whole area
        self.project_re = _cue_regex(by.get("project", {}))
        self.project_not_re = _cue_regex(by.get("project_not", {}))
        self.within_not_re = _cue_regex(by.get("within_not", {}))
        # a cue of the unit's whole (roles.tsv aggregate: "toàn tỉnh", "cả nước")
        self.aggregate_re = _cue_regex(by.get("aggregate", {}))
        # where the window after the noun ends: punctuation, or a preposition ("556 đảng viên
        # ở tỉnh này": the "này" points at the province, not the members)
        self.stop_re = re.compile(word_or_mark(by.get("stop", {}), _PUNCT))
        self.after_shared_re = _cue_regex(by.get("after_shared", {}))
        self.findings_of_re = _cue_regex(by.get("findings_of", {}))
        # (opening the sentence: "nhờ làm tốt việc giám sát, toàn tỉnh đã kỷ luật …" is no
        # supervision's finding)
        self.findings_in_re = re.compile(r"[\s\W]*(?:" + _cue_regex(by.get("findings_in", {})).pattern + ")")
        self.findings_carry_re = re.compile(r"[\s\W]*(?:" + _cue_regex(by.get("findings_carry", {})).pattern + ")")
        # a sentence opening on a subject that points back ("Cơ quan này …"): it goes on
        # with the sentence before, an incident's sentence or a whole's (sentence_incident)
        self.goes_on_re = re.compile(r"[\s\W]*(?:" + _cue_regex(by.get("goes_on", {})).pattern + ")")
        # discipline found warranted, and decided (role_passes.warranted_and_decided)
        self.intermediate_re = re.compile(r"\s*(?:" + _cue_regex(by.get("intermediate", {})).pattern + ")")
        self.subset_opens_re = re.compile(r"[\s\W]*(?:" + _cue_regex(by.get("subset_opens", {})).pattern + r")\b")
        self.warranted_re = _cue_regex(by.get("warranted", {}))
        self.decided_re = _cue_regex(by.get("decided", {}))
        # right before an incident word: a number ("21 vụ án") or a plural ("các vụ án")
        # makes it what is counted or a kind of thing, not one incident told
        self.not_incident_re = re.compile(rf"(?:\d|{_cue_regex(by.get('generic', {})).pattern})\s*$")
        # right before the number: "là một trong 5 cá nhân bị …", the one among a few
        # (a word of approximation may stand between: "lên tiếng vụ hơn 300 xác thai nhi")
        self.before_group_re = re.compile(rf"{_cue_regex(by.get('before_group', {})).pattern}\s*{approx_before()}$")
        # a named person in the figure's clause (roles.tsv person_actor): the title word in
        # lower case anywhere ("ông Hải"), capitalised only where a sentence opens ("Ông
        # Nguyễn Văn Hải", "Ông Quang": mid-sentence, "Cầu Ông Lãnh" is a ward); speech
        # makes the person a source, not an actor
        titles = by.get("person_actor", {})
        alt = _alternation(titles)
        # titles that also address or describe ("anh", "chị": "học tập anh Bộ đội Cụ Hồ") name
        # a person only before a full name of two or more words ("anh Hoàng Minh Đức"), and
        # not in the plural ("các chị Hội Phụ nữ", "anh chị Đoàn Thanh niên"; roles.tsv
        # person_actor_full)
        full = _alternation(by.get("person_actor_full", {}))
        plural = "".join(rf"(?<!{regex.escape(w)}\s)" for w in by.get("person_plural", {}))
        self.person_re = regex.compile(rf"(?<!\w)(?:(?:{alt})\s+\p{{Lu}}\p{{Ll}}*|(?i:{plural})(?:{full})"
                                       rf"\s+\p{{Lu}}\p{{Ll}}*(?:\s+\p{{Lu}}\p{{Ll}}*)+)")
        # (opening a sentence, one name will do after a person_one_name title only; a place of
        # several names, "Bà Rịa Vũng Tàu" unhyphenated, still reads as a person unless the
        # gazetteer finds it)
        self.person_opening_re = regex.compile(
            rf"[\s\W]*(?:(?:{_alternation(titles, cap=True)})\s+\p{{Lu}}\p{{Ll}}*(?:\s+\p{{Lu}}\p{{Ll}}*)+"
            rf"|(?:{_alternation(by.get('person_one_name', {}), cap=True)})\s+\p{{Lu}}\p{{Ll}}*)")
        self.speech_re = _cue_regex(by.get("speech", {}))
        self.not_actor_re = re.compile(rf"{_cue_regex(by.get('person_not_actor', {})).pattern}\s*$")
        # the three article-level cue kinds in one scan (roles.Article)
        self.article_scope = {}
        # (mishap: an accident's or a disaster's words make an incident sentence, but not an
        # incident article: a report may tell the year's accidents among its tallies)
        for scope in ("period", "aggregate", "incident", "mishap"):  # a phrase in two kinds: the last wins
            for cue in by.get(scope, {}):
                self.article_scope[" ".join(cue.split())] = scope
        self.article_re = _cue_regex(self.article_scope)
        assert all(p[:1].isalpha() for p in self.article_scope)  # (wordscan.word_matches)


@lru_cache(maxsize=1)
def cues() -> Cues:
    return Cues()


# an article naming this many persons ("ông/bà" + a name) tells their stories
NAMED_STORY = 5


# where a named person's title may stand: "ông" or "bà" opening a word of the folded text
# (the folded text has the original's offsets, and what precedes a title is no letter
# in either)
_TITLE_WORDS = ("ông", "bà")


def _count_names(doc: Doc, enough: int) -> int:
    """Named persons ("ông Nguyễn Văn A") in the text, counted up to ``enough``: past it
    the article's kind is settled (the rest of a long text need not be read).  The
    pattern is tried only where a title opens a word (wordscan.literal_starts), not at
    every "b" and "ô" of the text; the same matches as its finditer."""
    n, end = 0, 0
    text = doc.text
    for p in literal_starts(_TITLE_WORDS, doc.folded, doc.odd_starts):
        if p < end:
            continue  # inside the name before
        m = _PERSON_NAME.match(text, p)
        if m is None:
            continue
        n, end = n + 1, m.end()
        if n >= enough:
            break
    return n


class Article:
    """What the roles of one article's figures depend on beyond their own sentence."""

    def __init__(self, doc: Doc, c: Cues, title_end: int):
        self.doc, self.c, self.f = doc, c, doc.folded
        self.incident: dict[int, bool | None] = {}
        f = doc.folded
        n = {"incident": 0, "aggregate": 0, "period": 0}
        title_incident = False
        # one scan for the three kinds of cue; sentence_incident reads its sentence's share
        self.cue_at: list[int] = []
        self.cue_scope: list[str] = []
        # (looked for where words start only: wordscan.py; the same matches as finditer)
        for start, _, cue in word_matches(c.article_re, f, doc.odd_starts):
            scope = c.article_scope[" ".join(cue.split())]
            if scope == "mishap":
                if is_counted(c, f, start):
                    continue  # "xảy ra 120 vụ tai nạn": a tally of accidents, not one
                self.cue_at.append(start)
                self.cue_scope.append(scope)
                continue
            if scope == "incident":
                if is_counted(c, f, start):
                    continue
                title_incident = title_incident or start < title_end
            n[scope] += 1
            self.cue_at.append(start)
            self.cue_scope.append(scope)
        n_incident, n_aggregate = n["incident"], n["aggregate"]
        n_names = _count_names(doc, max(NAMED_STORY, 3 * n_aggregate) - n_incident)
        # about one incident (or a few named people's stories: "ông Nguyễn Văn A", "bà …"
        # five times or more, with few cues of a unit's whole): its people and cases, not a
        # unit's tally
        self.incident_article = (title_incident or (n_incident >= 1 and n_incident + n_names >= 3)
                                 or n_names >= NAMED_STORY) \
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
        return form_governed(self, fig)

    def person_acts(self, fig: Figure) -> bool:
        """A named person earlier in the figure's clause does what the figure counts ("ông
        Hải tự ý sang nhượng đất cho 7 hộ dân"): not told by the person ("ông Tư cho biết,
        …"; roles.tsv speech), not its source or object ("theo ông …", "đối với ông …";
        person_not_actor), not a place that opens on a title word ("Bà Rịa"), and in a
        sentence that does not speak of a unit's whole (roles.tsv aggregate)."""
        doc, c = self.doc, self.c
        ss, _ = doc.sentences[fig.sent_idx]
        lo = max(ss, fig.num_start - 150, doc.text.rfind(";", ss, fig.num_start) + 1)
        found = None
        for m in c.person_re.finditer(doc.text, lo, fig.num_start):
            found = m
        if found is None and lo == ss:
            found = c.person_opening_re.match(doc.text, ss, fig.num_start)
        if found is None or any(u.start < found.end() and found.start() < u.end for u in doc.units):
            return False
        if c.speech_re.search(self.f, found.end(), fig.num_start) \
                or c.not_actor_re.search(self.f, max(ss, found.start() - 12), found.start()):
            return False
        return "aggregate" not in self.scopes(fig.sent_idx)

    def scopes(self, idx: int) -> set[str]:
        """The kinds of article cue (roles.tsv period / aggregate / incident / mishap) in
        sentence idx."""
        ss, se = self.doc.sentences[idx]
        return set(self.cue_scope[bisect_left(self.cue_at, ss):bisect_left(self.cue_at, se)])

    def sentence_incident(self, idx: int) -> bool | None:
        """True: an incident sentence; False: it speaks of a unit's whole; None: neither.
        An incident cue beats a time phrase ("kỷ luật 19 đảng viên có con được nâng điểm
        thi năm 2018"), not a cue of the whole ("toàn tỉnh", "các cấp", "tổng số")."""
        if idx not in self.incident:
            ss, se = self.doc.sentences[idx]
            scopes = self.scopes(idx)
            if "aggregate" in scopes:
                self.incident[idx] = False
            elif "incident" in scopes or "mishap" in scopes:
                # (a mishap cue counted, "xảy ra 120 vụ tai nạn", is a tally's, no cue)
                self.incident[idx] = True
            elif idx > 0 and self.c.goes_on_re.match(self.f, ss) and self.sentence_incident(idx - 1):
                # "Cơ quan này … kỷ luật 14 đảng viên" after an incident's sentence: the same
                # incident, whatever year the sentence names (a body's "nhiệm kỳ 2015 – 2020")
                self.incident[idx] = True
            elif "period" in scopes or _YEAR.search(self.f, ss, se):
                self.incident[idx] = False
            elif idx > 0 and self.c.goes_on_re.match(self.f, ss):
                self.incident[idx] = self.sentence_incident(idx - 1)
            else:
                self.incident[idx] = None
        return self.incident[idx]


def form_governed(art: Article, fig: Figure) -> bool:
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


def held(c: Cues, scope: str, f: str, pos: int) -> bool:
    """A longer word of roles.tsv ``<scope>_not`` holds the cue found at ``pos`` ("chuyên
    môn", "tổ hợp tác", "cơ sở")."""
    return any(f.startswith(p, q) for p in c.held_by[scope]
               for q in range(max(0, pos - len(p) + 1), pos + 1))


def is_counted(c: Cues, f: str, pos: int) -> bool:
    """A number or a plural ("các", "những"; roles.tsv generic) right before ``pos``: the
    word there is what is counted, many of a kind, not one told ("21 vụ án", "các cơ quan",
    "30 dự án")."""
    return bool(c.not_incident_re.search(f, max(0, pos - 10), pos))


def opened(art: Article, h: Figure, fig: Figure) -> bool:
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

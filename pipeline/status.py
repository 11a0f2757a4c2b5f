"""The status of a figure (spec §3): what happened to the counted things, read from the
status cues of data/statuses.tsv around the number (a predicate after the counted noun, the
verb that governs the number, the predicate coordinated counts share) and, where no cue
names the event, from event words (data/event_words.tsv, data/stock_words.tsv): a count
with an event is never a plain stock. meaning.py sets entity first, then asks this."""
from __future__ import annotations

from functools import lru_cache

import regex

from .breakdowns import in_bracket
from .doc import Doc, Figure
from .tables import phrase_alternation
from .vocab import family, vocab

_WORDLIKE = regex.compile(r"[\p{L}]{2,}")
_COORD_END = regex.compile(r"(?:,|\svà)\s*$")
# a bracket closing on a new verb phrase of the sentence's subject: ") và nhận …", "), nhận …"
_CLOSES_ON_CLAUSE = regex.compile(r"\s*(?:,\s*|và\s+)(?!\d)")
# between a verb and the number it governs: "phải thi hành kỷ luật (đối với) 8 …"
_GOVERNS_NEXT = regex.compile(r"\s*(?:đối\s+với|với|cho)?\s*(?:(?:hơn|gần|khoảng|trên|dưới)\s+)?")
# "Số đảng viên … là 648 người": the clause names the number of some people
_NUMBER_OF = regex.compile(r"(?<!\w)số\s+(?:lượng\s+)?")
# the copula that gives the number of a "số <noun> …" phrase: "… là 355 người"
_TOLD_AS = regex.compile(r"(?<!\w)(?:là|với)\s+(?:\w+\s+)?$")
_PEOPLE = family("people")
# "mà" right after the counted noun opens a relative clause on it
_RELATIVE = regex.compile(r"\s+mà\s")
# how far before a sum an event verb of its clause still governs it
_SUM_WINDOW = 60


def status_of(doc: Doc, figs: list[Figure], k: int, cs: int, ce: int, back_entity) -> str | None:
    """The status of figure k (spec §3): the cue of its own noun phrase, its governing verb,
    an event verb or marker, or the predicate it shares with the counts beside it."""
    fig, f, v = figs[k], doc.folded, vocab()
    nxt = figs[k + 1] if k + 1 < len(figs) and figs[k + 1].sent_idx == fig.sent_idx else None
    # from the counted noun on: "20 đảng viên mới" carries its status in the noun phrase
    after_start = fig.noun_start if fig.noun_start is not None else fig.end
    after_end = min(ce, nxt.num_start) if nxt else ce
    # a figure inside brackets whose bracket closes on a new verb phrase ("nhận tiền trong 120
    # vụ (của 135 tổ chức, cá nhân) và nhận hối lộ từ …"): what follows is the sentence's own
    # subject's, not the bracket's ("15 đảng viên (trong đó 3 cán bộ) bị kỷ luật" still is)
    if in_bracket(f, cs, fig.num_start):
        close = f.find(")", fig.end, after_end)
        if close >= 0 and _CLOSES_ON_CLAUSE.match(f, close + 1):
            after_end = close
    # 1. a predicate of the counted noun after it ("27/63 TCCSĐ đạt TSVM"); the cues after
    # it are read once, for step 3b too
    after_found = [(" ".join(m.group().split()), m.end())
                   for m in v.status_re.finditer(f, after_start, max(after_start, after_end))]
    after_cues = [cue for cue, _ in after_found]
    if not after_cues and nxt is not None and fig.noun_end is not None \
            and _coord_only().fullmatch(f, fig.noun_end, nxt.num_start) \
            and not any(v.status_pos.get(" ".join(m.group().split())) in ("before", "any", "before_violation")
                        and not f[m.end():fig.num_start].lstrip().startswith(",")  # "Qua kiểm điểm, …"
                        for m in v.status_re.finditer(f, max(cs, fig.num_start - 70), fig.num_start)):
        # coordinated with the next count, with no verb of its own before it, the predicate
        # after the next is both's: "6 tập thể và 32 cá nhân có biểu hiện suy thoái", "83 tập
        # thể, 17 cá nhân được phong tặng danh hiệu"
        after_found = [(cue, end) for cue, end in _cues_after(f, figs, k + 1, ce, v)
                       if v.status_pos.get(cue) in ("after", "after_weak", "any")]
        after_cues = [cue for cue, _ in after_found]
    # a relative clause on the counted noun ("4 tổ chức mà Ban thường vụ quyết định thi
    # hành kỷ luật"): its verb acted on the counted things, whatever side it stands
    rel = _RELATIVE.match(f, fig.noun_end) if fig.noun_end is not None else None
    if rel is not None:
        for cue, cue_end in after_found:
            if cue_end > rel.end() and v.status_pos.get(cue) in ("before", "any"):
                fig.status_cue = cue
                return v.status[cue]
    for cue, cue_end in after_found:
        pos = v.status_pos.get(cue)
        # (only a cue between this count and the next can be the next one's verb; one after
        # the next, the coordinated case above, is both counts')
        if pos == "any" and nxt is not None and cue_end <= nxt.num_start \
                and _GOVERNS_NEXT.fullmatch(f, cue_end, nxt.num_start):
            continue  # "348 đảng viên vi phạm, phải thi hành kỷ luật 8 tổ chức": the 8's verb
        if pos in ("after", "any"):
            fig.status_cue = cue
            return v.status[cue]
    # 2. for a share whose noun stands before it, any cue between noun and number
    if back_entity is not None:
        found = None
        for m in v.status_re.finditer(f, back_entity.end(), fig.num_start):
            fig.status_cue = " ".join(m.group().split())
            found = None if v.status_pos.get(fig.status_cue) == "reset" else v.status[fig.status_cue]
        if found:
            return found
    # 2b. "số <noun> <cue> … là N" names what befell the counted things ("Số đảng viên bị
    # kỷ luật là 50 người"): with the copula right before the number, or a label ending in a
    # colon ("Tổng số cán bộ vi phạm kỷ luật: 2 người"), before any verb of the description
    # that follows the noun ("Số cán bộ thuế vi phạm phát hiện qua kiểm tra là 355 người":
    # violators, not the inspected); without either, only when no verb governs (step 3c)
    label = colon_label(f, doc.sentences[fig.sent_idx][0], fig.num_start) if fig.kind == "count" else None
    if label or fig.kind == "count" and _TOLD_AS.search(f, max(cs, fig.num_start - 12), fig.num_start):
        told = _number_of_cue(f, *(label or (cs, fig.num_start)), v)
        if told is not None:
            fig.status_cue = told
            return v.status[told]
    # 3. the nearest governing verb before it in the clause ("kết nạp 72 đảng viên")
    found, found_end = None, fig.num_start
    for m in v.status_re.finditer(f, max(cs, fig.num_start - 70), fig.num_start):
        cue = " ".join(m.group().split())
        pos = v.status_pos.get(cue)
        if v.status.get(cue) == "remaining" and k > 0 and figs[k - 1].sent_idx == fig.sent_idx \
                and figs[k - 1].start > m.end():
            # "còn" names what is left in the figure right after it, not a later one ("xuống
            # còn 208 đơn vị, giảm 121 đơn vị"; "tháng 3 giảm còn 20% nhưng tháng 4 … 240
            # người"; a subset of the 12 communes left, "trong đó có 3 xã biên giới", is told as
            # what they are, not as what was left)
            continue
        violation = _violation_after(f, fig.end, ce, v) if pos == "before_violation" else None
        if pos in ("before", "any") or violation:
            # ("phát hiện 6 tập thể, 32 cá nhân có biểu hiện suy thoái": the cue that says what
            # the violation is, for the views' refinements, is the one after the number)
            found, fig.status_cue, found_end = v.status[cue], violation or cue, m.end()
        elif pos == "before_violation" and cue in v.status_otherwise and not f[m.end():fig.num_start].strip():
            # right before the number, no violation after: "kết luận 4.735 đảng viên" concludes
            # inspections ("Theo kết luận điều tra, có 63 thí sinh" does not)
            found, fig.status_cue, found_end = v.status_otherwise[cue], cue, m.end()
        elif pos == "reset":
            # "kết nạp 120 đảng viên, nâng tổng số đảng viên lên 5.000": the total after it
            # is what the unit has, not what the verb before did
            found, fig.status_cue, found_end = None, None, fig.num_start
    # 3b. a weak predicate after the noun ("699 đảng viên có vi phạm"), when no verb governs
    # or the verb closes a phrase of its own, a comma right after it: "Qua kiểm điểm, tự phê
    # bình và phê bình, có 32 cá nhân có biểu hiện suy thoái" (the review is how they were
    # found, not what they did; "kiểm tra một tổ chức, 14 đảng viên" is a list)
    weak = next((cue for cue in after_cues if v.status_pos.get(cue) == "after_weak"), None)
    if weak is not None and (not found or f[found_end:fig.num_start].lstrip().startswith(",")):
        fig.status_cue = weak
        return v.status[weak]
    if found:
        return found
    # coordinated with the figure before it: "giải thể 19/20 chi bộ quân sự, 20/20 chi bộ cơ quan và 1 ..."
    prev = figs[k - 1] if k > 0 and figs[k - 1].sent_idx == fig.sent_idx else None
    if prev is not None and prev.status and prev.end >= cs:
        between = f[prev.end:fig.num_start]
        if len(between) < 45 and _COORD_END.search(between):
            fig.status_cue = prev.status_cue
            return prev.status
    # 3c. "số <noun> <cue> …" with no copula or label (2b), when no verb governs the number
    told = _number_of_cue(f, cs, fig.num_start, v) if fig.kind == "count" and not label else None
    if told is not None:
        fig.status_cue = told
        return v.status[told]
    # 4b. governed by a verb the status table does not know: an event, not a stock (a sum
    # or a share only by a listed event verb: "thu hồi 237 tỷ đồng", not "ngân sách 500 tỷ")
    if fig.kind in ("count", "ratio") and _unknown_verb_before(f, cs, fig.num_start, v) \
            or fig.kind in ("money", "percent") and _event_verb_before(f, cs, fig.num_start, v):
        return "other"
    # a sum a few words after an event verb of its clause ("kiến nghị thu hồi về ngân sách
    # nhà nước 19.521 tỷ đồng", "số tiền mà bị can nhận hối lộ … gần 400 triệu đồng")
    if fig.kind == "money":
        prev = figs[k - 1] if k > 0 and figs[k - 1].sent_idx == fig.sent_idx else None
        lo = max(cs, fig.num_start - _SUM_WINDOW, prev.end if prev is not None else cs)
        # (not past a comma that opens a clause of its own, a stock word in it: "Nhờ thanh
        # toán không dùng tiền mặt, doanh thu đạt 500 tỷ đồng" is revenue; "kê biên, thu giữ
        # số tiền, tài sản trị giá hơn 1.400 tỷ đồng" is still what was seized)
        comma = f.rfind(",", lo, fig.num_start)
        if comma >= 0 and any(w in v.stock_predicates for w in f[comma + 1:fig.num_start].split()):
            lo = comma + 1
        if v.event_before_re.search(f, lo, fig.num_start):
            return "other"
    # 4c. the counted things do something: a verb phrase after the noun, opened by an
    # aspect marker ("68 Đảng bộ … đã tổ chức đại hội", "3 cấp uỷ chưa tiến hành kiểm tra"),
    # or, for a share whose noun stands before it, after that noun ("số người đã kê khai
    # đạt 100%")
    if fig.kind in ("count", "ratio") and fig.noun_end is not None \
            and v.event_after_re.match(f, fig.noun_end, max(fig.noun_end, after_end)):
        return "other"
    if fig.kind in ("percent", "ratio") and back_entity is not None \
            and v.event_after_re.match(f, back_entity.end(), fig.num_start):
        return "other"
    # a count given as "số <noun> <aspect> … là N": "số đảng viên bị tố cáo phải giải quyết
    # là 255 trường hợp" counts the ones something happened to
    if fig.kind == "count":
        e = counted_noun(f, cs, fig.num_start)
        if e is not None and v.event_after_re.match(f, e.end(), fig.num_start):
            return "other"
    # a sentence opening on a group by what befell it ("Trong những người bị kỷ luật, có hai
    # cán bộ …"): its counts are of that group
    if fig.kind in ("count", "ratio", "percent"):
        ss = doc.sentences[fig.sent_idx][0]
        g = v.group_opener_re.match(f, ss, fig.num_start)  # (check_cues.tsv total_opener)
        if g is not None:
            cues = [" ".join(m.group().split()) for m in v.status_re.finditer(f, g.start(1), g.end(1))]
            cues = [c for c in cues if v.status_pos.get(c) in ("after", "any", "noun")]
            if cues:
                fig.status_cue = cues[-1]
                return v.status[cues[-1]]
    # the people of an event the sentence tells (data/event_words.tsv position sentence:
    # "Kết quả khám tuyển cho thấy, 3.641 thanh niên đủ sức khoẻ"): the event's, not a stock
    if fig.kind in ("count", "ratio", "percent") and fig.entity in _PEOPLE:
        ss, se = doc.sentences[fig.sent_idx]
        if v.event_sentence_re.search(f, ss, se):
            return "other"
    # 4. a share with some other predicate ("100% cấp ủy ... đăng ký mô hình")
    if fig.kind in ("percent", "ratio") and fig.noun_end is not None:
        rest = f[fig.noun_end:after_end]
        if _WORDLIKE.search(rest) and not v.base_re.match(rest):
            return "other"
    return None


# a label that names the counted things and ends in a colon right before their number:
# "Tổng số cán bộ vi phạm kỷ luật: 2 người"
_COLON_BEFORE = regex.compile(r":\s*$")


def colon_label(f: str, ss: int, pos: int) -> tuple[int, int] | None:
    """(start, end) of the label a colon right before the number at ``pos`` closes: back to
    the punctuation before it ("Số cán bộ được kiểm tra: 45 người, số bị kỷ luật: 5 người":
    the 5's label is "số bị kỷ luật"), or None (people.label_before reads its entity)."""
    if not _COLON_BEFORE.search(f, max(ss, pos - 8), pos):
        return None
    colon = f.rfind(":", ss, pos)
    lo = max([ss] + [f.rfind(c, ss, colon) + 1 for c in (";", ",", ":", ". ")])
    return lo, colon


def counted_noun(f: str, cs: int, pos: int):
    """The counted noun a clause names as "số <noun>" before the number at ``pos`` ("Số
    đảng viên vi phạm … là 191 người"): its match in data/entities.tsv, or None."""
    m = _NUMBER_OF.search(f, cs, pos)
    return vocab().entity_re.match(f, m.end(), pos) if m else None


def _number_of_cue(f: str, cs: int, pos: int, v) -> str | None:
    """The status cue after the noun of "số <noun> … là/với N" (a cue that follows its noun:
    statuses.tsv position after, after_weak or any), or None."""
    e = counted_noun(f, cs, pos)
    if e is None:
        return None
    for c in v.status_re.finditer(f, e.end(), pos):
        cue = " ".join(c.group().split())
        if v.status_pos.get(cue) in ("after", "after_weak", "any"):
            return cue
    return None


@lru_cache(maxsize=1)
def _coord_only():
    """Nothing but a conjunction between two counts, and the second's qualifier
    (data/qualifiers.tsv: "6 tập thể và hơn 32 cá nhân")."""
    return regex.compile(r"\s*(?:,|và)\s*(?:(?:" + phrase_alternation(vocab().qual_before) + r")\s+)?")


def _cues_after(f: str, figs: list[Figure], j: int, ce: int, v) -> list[tuple[str, int]]:
    """The status cues after figure j's counted noun, up to the next figure or the clause end."""
    fig = figs[j]
    start = fig.noun_start if fig.noun_start is not None else fig.end
    nxt = figs[j + 1] if j + 1 < len(figs) and figs[j + 1].sent_idx == fig.sent_idx else None
    end = min(ce, nxt.num_start) if nxt else ce
    return [(" ".join(m.group().split()), m.end()) for m in v.status_re.finditer(f, start, max(start, end))]


def _violation_after(f: str, start: int, end: int, v) -> str | None:
    """The violation the clause names after the number (a `violated` cue of statuses.tsv)."""
    for m in v.status_re.finditer(f, start, end):
        cue = " ".join(m.group().split())
        if v.status.get(cue) == "violated":
            return cue
    return None


def _words_before(f: str, cs: int, pos: int, v) -> tuple[str, str, str] | None:
    """The last one, two and three words right before the number (its qualifier skipped),
    or None when punctuation or a digit stands there."""
    head = f[max(cs, pos - 40):pos]
    q = v.qual_before_re.search(head) if head.rstrip().endswith(v.qual_before_ends) else None
    if q:
        head = head[:q.start()]
    words = head.split()  # folded text: every letter is lower case already
    if not words or not words[-1].isalpha() or head[-1:].isalpha():
        return None  # punctuation or a digit before the number, or no space after the word
    last = words[-1]
    two = f"{words[-2]} {last}" if len(words) > 1 and words[-2].isalpha() else last
    three = f"{words[-3]} {two}" if len(words) > 2 and words[-3].isalpha() else two
    return last, two, three


def _unknown_verb_before(f: str, cs: int, pos: int, v) -> bool:
    """The words right before the number are a lower-case word that data/stock_words.tsv
    does not list: "giải quyết tố cáo 2 đảng viên"."""
    words = _words_before(f, cs, pos, v)
    if words is None:
        return False
    last, two, three = words
    if two in v.event_before or three in v.event_before:
        return True  # "làm việc với 16 đảng bộ": though "với" alone states a stock
    return last not in v.stock_words and two not in v.stock_words and three not in v.stock_words


def _event_verb_before(f: str, cs: int, pos: int, v) -> bool:
    """The words right before the number are an event verb of data/event_words.tsv
    ("thu hồi 237 tỷ đồng", "nhận hối lộ hơn 4 tỉ đồng")."""
    words = _words_before(f, cs, pos, v)
    return words is not None and any(w in v.event_before for w in words)

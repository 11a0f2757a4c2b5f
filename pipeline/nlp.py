"""underthesea where the rules leave a question open (opt-in: ``extract --nlp``).

Two questions, each asked only of the few spans the rules could not settle, because
underthesea costs milliseconds per call where the rules cost microseconds:

(a) What a figure counts, when meaning.py left its entity open ("other") or found no
    measure text: "72 tân đảng viên", "12 em học sinh", "40 nữ đảng viên" put a word
    before the noun the entity table knows.  The clause right after the number is
    POS-tagged; past one-syllable classifiers and modifiers, the head noun of its noun
    phrase is looked up in data/entities.tsv (the vocabulary meaning.py uses, through
    vocab.py) for the entity; with no cue there, the head is at least the measure text.
(b) Which party body a text names, when the gazetteer knows no unit there: "Đảng ủy
    Công ty Cổ phần Than Hà Tu", "Chi bộ Trường THPT Nguyễn Du", "Đảng ủy PSI".  The
    words after "Đảng bộ/Chi bộ/Đảng ủy" are tagged (CRF NER, with POS and chunks);
    the organisation name becomes a unit of level ``bloc`` (spec §2: a party body of
    agencies or enterprises), as units.py makes "Đảng bộ Khối ...".

Nothing here is imported unless --nlp is given (a test checks it), and nothing is
cached on disk: underthesea's bundled CRF models load once per process, before the
worker pool forks (``warm``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import takewhile

from .doc import Doc, Figure, Unit
from .tables import rows
from .textnorm import fold, fold_phrase
from .units import lookup, main_unit, province_2025
from .vocab import vocab

_tagger = None


class NLPUnavailable(RuntimeError):
    """underthesea cannot be imported: --nlp cannot run."""


def _underthesea():
    """The underthesea module, imported on first use with a clear message when missing."""
    global _tagger
    if _tagger is None:
        try:
            import underthesea
        except ImportError as exc:  # one clear line, not a traceback in every worker
            raise NLPUnavailable("--nlp needs the underthesea package (pip install underthesea==9.5.0, "
                                 f"pinned in pyproject.toml): {exc}") from exc
        _tagger = underthesea
    return _tagger


def warm() -> None:
    """Import underthesea and load its POS and NER models (~1 s) in the main process,
    so forked workers share them instead of each loading its own."""
    u = _underthesea()
    u.pos_tag("Đảng bộ có 72 đảng viên")
    u.ner("Đảng ủy Công ty Than Hà Tu")


# ---------------------------------------------------------------- tokens with offsets

def _tokens(doc: Doc, s: int, e: int, rich: bool = False) -> list[tuple]:
    """underthesea's words of doc.text[s:e] as (start, end, tag[, ner tag]), offsets into
    doc.text.  underthesea normalises what it reads ("uỷ" -> "ủy"), so its words are
    found again in the folded view (same length as the text, normalised the same way),
    syllable by syllable; at the first word that cannot be placed the list stops."""
    u = _underthesea()
    text = doc.text[s:e]
    tagged = u.ner(text) if rich else u.pos_tag(text)
    out, cur = [], s
    for item in tagged:
        word = item[0]
        start = end = None
        for syl in word.split():
            key = fold(syl)
            i = doc.folded.find(key, cur, e)
            if i < 0:
                return out
            start = i if start is None else start
            end = cur = i + len(key)
        if start is None:
            return out
        out.append((start, end, item[1], item[3]) if rich else (start, end, item[1]))
    return out


# ---------------------------------------------------------------- (a) counted noun

# open questions: meaning.py's "other" is its "no entity cue found"
_OPEN = (None, "other")
_COUNTED_KINDS = frozenset(["count", "percent", "ratio", "range"])
# tags that may stand in a noun phrase before or at its head: nouns (N, classifier Nc,
# unit Nu, proper Np, abbreviation Ny, borrowed Nb), adjectives ("tân"), numerals,
# determiners ("các", "những"); a verb, preposition or conjunction ends the phrase
_NP_TAGS = frozenset(["N", "Nc", "Nu", "Np", "Ny", "Nb", "A", "M", "L"])
_NOUN_TAGS = frozenset(["N", "Np", "Ny", "Nb"])
_HEAD_WITHIN = 3  # the head is among the first three words ("các em học sinh")
# the clause after the number: up to the next punctuation, at most _WINDOW characters
# (the tagger's cost grows with every word, and the head is among the first three)
_WINDOW = 40
_PUNCT = re.compile(r"[,;:.!?()\[\]\"“”\n]")
_LETTER = re.compile(r"[^\W\d_]")
_SYLLABLES = re.compile(r"(?<=\s)\S")
_WORD = re.compile(r"[^\W\d_]+")


def _open(fig: Figure) -> bool:
    return fig.kind in _COUNTED_KINDS and (fig.entity in _OPEN or fig.measure_text is None)


def refine_figures(doc: Doc) -> int:
    """(a) over every figure meaning.py left open; returns how many changed."""
    figs, v = doc.figures, vocab()
    changed = 0
    for fig in figs:
        if not _open(fig):
            continue
        # a share or target that states another figure's ("44 nữ (chiếm 7,2%)") takes
        # that figure's entity, as meaning.py would have if it had known it
        if fig.shares_with is not None and fig.entity in _OPEN:
            src = figs[fig.shares_with]
            if src.entity not in _OPEN:
                fig.entity = src.entity
                fig.measure_text = fig.measure_text or src.measure_text
                changed += 1
                continue
        if _counted_noun(doc, fig, v):
            changed += 1
    return changed


def _counted_noun(doc: Doc, fig: Figure, v) -> bool:
    f = doc.folded
    _, se = doc.sentences[fig.sent_idx]
    e = min(se, fig.end + _WINDOW)
    p = _PUNCT.search(f, fig.end, e)
    if p:
        e = p.start()
    elif e < se:
        e = max(fig.end, f.rfind(" ", fig.end, e))  # whole words only
    if not _LETTER.search(f, fig.end, e):
        return False
    # "đạt 107% kế hoạch": the base of a percent, not what it counts (data/base_nouns.tsv)
    if fig.kind == "percent" and v.base_re.match(f, fig.end, e):
        return False
    # the tagger costs ~1 ms a call: only where it can pay.  "so với", "của" after the
    # number: no noun phrase there.  With a measure text already, only an entity cue can
    # change anything, so one must start among the first syllables (the rules looked
    # right after the number only); most open figures ("15 ha rừng") have none
    syllables = [w.start() for w in _SYLLABLES.finditer(f, fig.end, e)][:_HEAD_WITHIN]
    first = _WORD.match(f, syllables[0]) if syllables else None
    if first is None or first.group() in v.noun_stops:
        return False
    if fig.measure_text is not None and not any(v.entity_re.match(f, i, e) for i in syllables):
        return False
    toks = _tokens(doc, fig.end, e)
    ends = {t[1] for t in toks}
    head, after_noun = None, False
    for start, end, tag in toks[:_HEAD_WITHIN]:
        if tag not in _NP_TAGS or f[start:end] in v.noun_stops:
            break
        if tag in _NOUN_TAGS:
            head = (start, end)
            # a cue that starts at a noun and ends with a word: "đơn" is no "đơn" (a
            # letter) in "đơn giản", "người" no person in "người nhà"; after another
            # noun, a cue of one syllable is a modifier ("cánh đơn", "trận đơn")
            m = v.entity_re.match(f, start, e)
            cue = " ".join(m.group().split()) if m else None
            if cue in v.entity and m.end() in ends and not (after_noun and " " not in cue):
                if fig.entity in _OPEN:
                    fig.entity = v.entity[cue]
                if fig.measure_text is None:
                    fig.measure_text = doc.text[start:m.end()]
                fig.rule += "+nlp_noun"
                return True
        if " " in f[start:end]:
            break  # a word of two syllables is the head: "Chi đoàn Thanh niên" counts chi đoàn
        after_noun = after_noun or tag in _NOUN_TAGS
        # one syllable before it is a classifier or modifier: "em học sinh", "tân đảng
        # viên", "nữ đảng viên", "các cơ quan", "nhà lãnh đạo"
    if fig.measure_text is None and head is not None:
        fig.measure_text = doc.text[head[0]:head[1]]
        fig.rule += "+nlp_head"
        return True
    return False


# ---------------------------------------------------------------- (b) party bodies

# the left word boundary is checked in Python: a lookbehind tried at every position
# of every article costs more than the rest of find_bodies
_BODY = re.compile(r"(?:đảng bộ|chi bộ|đảng ủy)[ \t]+(?=[^\W\d_])")
_NAME_END = re.compile(r"[,;:()\[\]\"“”\n]")
_NAME_TAGS = frozenset(["N", "Nc", "Nu", "Np", "Ny", "Nb", "M"])
_PROPER = frozenset(["Np", "Ny"])


def find_bodies(doc: Doc, anaphors, title_end: int) -> int:
    """(b): a ``bloc`` unit for each party body named after "Đảng bộ/Chi bộ/Đảng ủy"
    where units.py found no unit; the units it reads inside the name ("Q. 8" of "Công
    ty Dịch vụ công ích Q. 8") give way to it.  The main unit is chosen again when any
    was found (an article about one company's party committee).  Returns how many."""
    f, t = doc.folded, doc.text
    taken = {a[0] for a in anaphors}
    starts = [s for s, _ in doc.sentences]
    found = []
    for m in _BODY.finditer(f):
        s, p = m.start(), m.end()
        if not t[p].isupper() or (s and f[s - 1].isalnum()) or p in taken or s in taken:
            continue  # "Đảng bộ tỉnh", "Đảng bộ Khối" (an anaphor of units.py)
        if any(u.start <= s < u.end or u.start == p for u in doc.units):
            continue  # inside a unit already read, or the gazetteer names one here
        i = bisect_right(starts, p) - 1
        e = min(doc.sentences[i][1] if i >= 0 else len(t), p + 80)
        b = _NAME_END.search(f, p, e)
        if b:
            e = b.start()
        name_end = _name_end(doc, p, e)
        if name_end is None or lookup(doc.text[p:name_end], province=doc.province) is not None:
            continue  # no name, or a place of the gazetteer ("Đảng bộ Lập Thạch")
        found.append((s, name_end, " ".join(t[p:name_end].split())))
    if not found:
        return 0
    for s, e, name in found:
        prov = None if name.endswith("Trung ương") else doc.province
        doc.units = [u for u in doc.units if not (s <= u.start and u.end <= e)]
        doc.units.append(Unit(s, e, t[s:e], "bloc", name, prov, None, True, province_2025(prov)))
    doc.units.sort(key=lambda u: u.start)
    doc.main_unit = main_unit(doc, title_end, anaphors)
    return len(found)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset:
    return frozenset(fold_phrase(r[0]) for r in rows("abbreviations"))


def _name_end(doc: Doc, p: int, e: int) -> int | None:
    """End of the organisation name starting at ``p`` (before ``e``), or None when there
    is none.  An ORG the NER tags there is taken whole (the CRF model rarely tags one);
    else the run of nouns, capitalised words ("Bộ Xây dựng") and words the NER puts in
    some name ("chức năng Sầm Sơn") from ``p``, less the lower-case tail ("Đảng ủy Sở
    nhiệm kỳ 2015-2020").  One common noun alone ("Đảng ủy Sở") is no name."""
    toks = _tokens(doc, p, e, rich=True)
    if not toks or toks[0][0] != p:
        return None
    if toks[0][3] == "B-ORG":
        run = [toks[0], *takewhile(lambda x: x[3] == "I-ORG", toks[1:])]
        return run[-1][1]
    stops = vocab().noun_stops
    run, i = [], 0
    while i < len(toks):
        tok = toks[i]
        if doc.folded[tok[0]:tok[1]] in stops or tok[2] == "CH":
            break
        if tok[2] in _NAME_TAGS or doc.text[tok[0]].isupper() or tok[3] != "O":
            run.append(tok)
            i += 1
            continue
        # the tagger calls words of a name verbs ("Dịch vụ công ích Q. 8", "Trung tâm
        # điều dưỡng phục hồi chức năng"): lower-case verbs and adjectives stay in the
        # name when a lower-case noun or an abbreviation follows them, never when a
        # capitalised word does ("Bộ Xây dựng tặng Huân chương ...")
        j = i
        while j < len(toks) and toks[j][2] in ("V", "A") and not doc.text[toks[j][0]].isupper() \
                and doc.folded[toks[j][0]:toks[j][1]] not in stops:
            j += 1
        if j == i or j == len(toks):
            break
        nxt = toks[j]
        if not (nxt[2] in ("Ny", "M") or (nxt[2] == "N" or nxt[3] != "O") and not doc.text[nxt[0]].isupper()):
            break
        run.extend(toks[i:j])
        i = j
    # drop the lower-case tail; a number stays after a capitalised word ("Q. 8")
    while run and not doc.text[run[-1][0]].isupper() and not (
            doc.text[run[-1][0]].isdigit() and len(run) > 1 and doc.text[run[-2][0]].isupper()):
        run.pop()
    if not run or (len(run) == 1 and (run[0][2] not in _PROPER or doc.folded[run[0][0]:run[0][1]]
                                      in _abbreviations())):
        return None  # "Đảng bộ TSVM": a rating (data/abbreviations.tsv), not a name
    # an organisation's name opens with a common noun ("Công ty", "Trường", "Ngân hàng")
    # or is one acronym ("PSI"); a proper name of several syllables ("đảng bộ Thạnh Phú")
    # is a place the scan of units.py does not read bare, and that is no bloc
    if run[0][2] == "Np" and (len(run) > 1 or " " in doc.text[run[0][0]:run[0][1]]):
        return None
    return run[-1][1]


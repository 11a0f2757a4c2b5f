"""Vocabularies compiled from the data tables (entities, statuses, qualifiers, ...).

Matching is on folded text.  Each table gains its abbreviations automatically: a
cue whose words contain an expansion in abbreviations.tsv is also matched with the
abbreviation in their place ("tổ chức cơ sở đảng" -> "TCCSĐ").
"""
from __future__ import annotations

from functools import lru_cache

import re

from .tables import phrase_alternation, rows, word_alternation, word_or_mark
from .textnorm import fold_phrase


def _with_abbreviations(cues: dict[str, str]) -> dict[str, str]:
    out = dict(cues)
    for abbr, expansion, *_ in rows("abbreviations"):
        exp = fold_phrase(expansion)
        for cue, label in cues.items():
            if exp in cue:
                out.setdefault(cue.replace(exp, fold_phrase(abbr)), label)
    return out


def _label_table(name: str) -> dict[str, str]:
    return _with_abbreviations({fold_phrase(r[0]): r[1] for r in rows(name)})


# The vocabulary regexes are tries of literal phrases (tables.phrase_alternation),
# which stdlib `re` runs 2-4x faster than `regex` and which cannot backtrack
# badly, so they need no timeout.  [^\W_] is a letter or digit, [^\W\d_] a letter.
def _cue_regex(phrases) -> re.Pattern:
    # whole words only: not inside a longer word on either side
    return re.compile(rf"{word_alternation(phrases)}(?![^\W_])")


_LETTER = r"[^\W\d_]"


class Vocab:
    def __init__(self):
        self.entity = _label_table("entities")
        self.entity_re = _cue_regex(self.entity)

        st = {}
        self.status_pos: dict[str, str] = {}
        # "violated/inspected" (before_violation): the second status where no violation follows
        self.status_otherwise: dict[str, str] = {}
        # counted nouns that say what befell them ("bị cáo"): meaning.py reads them, not the cue scan
        self.noun_status: dict[str, str] = {}
        for cue, status, pos, *_ in rows("statuses"):
            if pos == "noun":
                self.noun_status[fold_phrase(cue)] = status
                continue
            status, _, otherwise = status.partition("/")
            st[fold_phrase(cue)] = status
            self.status_pos[fold_phrase(cue)] = pos
            if otherwise:
                self.status_otherwise[fold_phrase(cue)] = otherwise
        # the text at a counted noun opening on one of them ("167 bị cáo", "3.847 cuộc thanh
        # tra hành chính": the noun span is only "cuộc", the cue reads on past it)
        self.noun_status_re = _cue_regex(self.noun_status)
        self.status = _with_abbreviations(st)
        for cue in self.status:
            if cue not in self.status_pos:
                # an abbreviation inherits the position of the cue it abbreviates
                for full, pos in list(self.status_pos.items()):
                    if st.get(full) == self.status[cue]:
                        self.status_pos[cue] = pos
                        break
        self.status_re = _cue_regex(self.status)

        self.qual_before = {fold_phrase(r[0]): r[1] for r in rows("qualifiers") if r[2] == "before"}
        self.qual_after = {fold_phrase(r[0]): r[1] for r in rows("qualifiers") if r[2] == "after"}
        fillers = [r[0] for r in rows("fillers")]
        # qualifier, then any number of fillers, then the number (anchored at the end)
        # (these end-anchored patterns run over a window before every number: the
        # word-start check inside word_alternation, after the first letters, spares the
        # engine a look-behind at every position of the window; same matches)
        self.qual_before_re = re.compile(
            rf"(?P<q>{word_alternation(self.qual_before, _LETTER)})"
            rf"(?:\s+(?:{phrase_alternation(fillers)}))*\s*$")
        # the words a qual_before_re match ends on: a window ending on none of them (white
        # space stripped) holds no match and is not searched (most numbers have no qualifier)
        self.qual_before_ends = tuple(sorted({p.split()[-1] for p in self.qual_before}
                                             | {fold_phrase(p).split()[-1] for p in fillers}))
        self.qual_after_re = re.compile(rf"\s*(?P<q>{phrase_alternation(self.qual_after)})(?![^\W\d_])")

        self.target_clause = [fold_phrase(r[0]) for r in rows("targets") if r[1] == "clause"]
        self.target_paren = [fold_phrase(r[0]) for r in rows("targets") if r[1] == "paren"]
        self.target_clause_re = _cue_regex(self.target_clause)
        self.target_sentence_re = _cue_regex([fold_phrase(r[0]) for r in rows("targets") if r[1] == "sentence"])
        # an opening cue counts only where it starts the sentence (matched at its start)
        self.target_opening_re = re.compile(
            r"[\s\W]*(?:" + _cue_regex([fold_phrase(r[0]) for r in rows("targets") if r[1] == "opening"]).pattern + ")")
        self.target_paren_re = re.compile(
            rf"\(\s*(?:{phrase_alternation(self.target_paren)})(?![^\W\d_])")

        nb = {fold_phrase(r[0]): r[1] for r in rows("not_figure_before")}
        self.not_before = nb
        self.not_before_re = re.compile(
            rf"(?P<cue>{word_alternation(nb)})\s*$")
        # the last words of those cues: a match ends on one, so a window whose last word
        # (white space stripped) ends on none of them holds no cue (figures.cue_before)
        self.not_before_ends = tuple(sorted({p.split()[-1] for p in nb}))
        # number words that are not counts in a context ("một số": some; "là năm": the year)
        self.word_not_before = {(fold_phrase(w), fold_phrase(c)) for w, side, c, *_ in rows("word_numbers_not")
                                if side == "before"}
        self.word_not_after = {(fold_phrase(w), fold_phrase(c)) for w, side, c, *_ in rows("word_numbers_not")
                               if side == "after"}
        na = {fold_phrase(r[0]): r[1] for r in rows("not_figure_after")}
        self.not_after = na
        self.not_after_re = re.compile(rf"\s*(?P<cue>{phrase_alternation(na)})(?![^\W\d_])")

        # nouns after a percent that name its base ("đạt 107% kế hoạch"), not what is counted
        self.base_nouns = frozenset(fold_phrase(r[0]) for r in rows("base_nouns"))
        self.base_re = re.compile(rf"\s*(?:{phrase_alternation(self.base_nouns)})(?![^\W\d_])")
        # words that cannot start or continue a counted noun phrase
        self.noun_stops = frozenset(fold_phrase(r[0]) for r in rows("noun_stops"))
        self.national_re = _cue_regex([r[0] for r in rows("national_bodies")])
        # the words after which a number is a plain stock (status null; status.py)
        self.stock_words = frozenset(fold_phrase(r[0]) for r in rows("stock_words"))
        self.stock_predicates = frozenset(fold_phrase(r[0]) for r in rows("stock_words") if r[2:3] == ("predicate",))
        self.state_discipline_re = _cue_regex([fold_phrase(r[0]) for r in rows("state_discipline")])
        # (by the side of the number they must stand on: any, before, after)
        self.official_re = {side: _cue_regex([fold_phrase(r[0]) for r in rows("official_contexts")
                                              if (r[2] if len(r) > 2 else "any") == side])
                            for side in ("any", "before", "after")}
        self.party_context_re = _cue_regex([fold_phrase(r[0]) for r in rows("party_contexts")])
        # "<body> … gồm/có N người": the size of a body of officials (people.official_body)
        bodies = [fold_phrase(r[0]) for r in rows("official_bodies")]
        self.official_body_re = re.compile(
            rf"(?<![^\W_])(?:{phrase_alternation(bodies)})(?![^\W_])[^,;:.()]{{0,50}}?\s(?:gồm|có)\s+(?:khoảng\s+|hơn\s+|trên\s+)?$")
        # congress delegates counted as members (data/party_delegates.tsv; people.delegates)
        self.delegate_nouns = tuple(fold_phrase(r[1]) for r in rows("party_delegates") if r[0] == "noun")
        self.delegate_context_re = _cue_regex([fold_phrase(r[1]) for r in rows("party_delegates") if r[0] == "context"])
        events = [(fold_phrase(r[0]), r[1]) for r in rows("event_words")]
        self.event_before = frozenset(p for p, pos in events if pos == "before")
        self.event_before_re = _cue_regex(self.event_before)  # anywhere before a sum (status.py)
        # a sentence about an event its people take part in (a military call-up)
        self.event_sentence_re = _cue_regex([p for p, pos in events if pos == "sentence"])
        # an aspect marker right after the counted noun phrase, before any punctuation
        self.event_after_re = re.compile(
            rf"[^,;:.()\[\]\"“”]{{0,60}}?(?<![^\W_])(?:{phrase_alternation([p for p, pos in events if pos == 'after'])})(?![^\W\d_])")
        # a sentence about who sits on an elected party body (meaning._elected_body)
        elected = {kind: [fold_phrase(r[0]) for r in rows("elected_bodies") if r[1] == kind]
                   for kind in ("member", "vote", "body")}
        self.elected_member_re = _cue_regex(elected["member"])
        self.elected_vote_re = _cue_regex(elected["vote"])
        self.elected_body_re = _cue_regex(elected["body"])
        # "611 cán bộ, trong đó 44 nữ": the cues that open some of a total's parts, shared
        # with the consistency checks (check_cues.tsv, role breakdown_subset)
        self.subset_re = _cue_regex({fold_phrase(r[0]).lstrip("(").strip()
                                     for r in rows("check_cues") if r[1] == "breakdown_subset"})
        # a cue before a total whose parts follow "có" in the clause ("Trong 15 đảng viên bị
        # khiển trách có 3 trưởng phòng"): the cue ends right before the total's number
        lead = [fold_phrase(r[0]) for r in rows("check_cues") if r[1] == "total_opener"]
        self.total_opener_re = re.compile(rf"(?<![^\W_])(?:{phrase_alternation(lead)})\s*$")
        # the same cue opening a sentence on a group told without its number, named by what
        # befell it, before a comma ("Trong những người bị kỷ luật, có hai cán bộ …"; status.py)
        self.group_opener_re = re.compile(
            rf"[\s\W]*(?:{phrase_alternation(lead)})\s+(?:những|các)\s+([^,;:\d]{{2,60}}?)\s*,")
        # any cue opening a breakdown ("trong đó", "gồm", "(") for the event a part inherits
        words = {fold_phrase(r[0]).lstrip("(").strip() for r in rows("check_cues")
                 if r[1] in ("breakdown_subset", "breakdown_equal")} - {""}
        # (one flat alternation: the engine tries it only where a cue's letter or "(" stands)
        self.breakdown_re = re.compile(word_or_mark(words, "("))
        # a rating tier right before a number with no noun of its own: "hoàn thành tốt
        # nhiệm vụ 49 (…)" in a list of tiers (figures.py, status_count)
        # (or an event verb: "kỷ luật 32 đảng viên: khiển trách 21, cảnh cáo 9, cách chức 2")
        tiers = {r[0] for r in rows("rating_tiers")} | {"rated_good_or_above"}
        # the events a list gives item by item (data/list_statuses.tsv)
        self.list_statuses = frozenset(r[0] for r in rows("list_statuses"))
        listed = tiers | self.list_statuses
        before = [c for c, st in self.status.items()
                  if st in tiers or st in listed and self.status_pos.get(c) in ("before", "any")]
        self.status_end_re = re.compile(rf"(?P<cue>{word_alternation(before)})\s*:?\s*$")

    def noun_status_of(self, f: str, start: int) -> str | None:
        """The status a counted noun says of itself (statuses.tsv position ``noun``), read
        at ``start``, where the noun opens."""
        m = self.noun_status_re.match(f, start)
        return self.noun_status[" ".join(m.group().split())] if m else None


@lru_cache(maxsize=1)
def entity_families() -> dict[str, str]:
    """data/entity_families.tsv: entity -> family (people, party_body, agency)."""
    return {e: fam for e, fam, *_ in rows("entity_families")}


def family(name: str) -> frozenset:
    return frozenset(e for e, fam in entity_families().items() if fam == name)


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    return Vocab()

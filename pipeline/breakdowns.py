"""Breakdowns: which figure a part or a list item belongs to ("bổ nhiệm 611 cán bộ,
trong đó 44 nữ"; "… 50 cán bộ. Trong đó, 9 cán bộ …"), and whether two counts count the
same kind of thing.  Split from meaning.py; meaning._entity_status and _status_count ask
these."""
from __future__ import annotations

from functools import lru_cache

import regex

from .doc import Doc, Figure
from .tables import rows
from .textnorm import fold_phrase
from .vocab import entity_families, vocab


def breakdown_group(figs: list[Figure], k: int) -> Figure | None:
    """The total an item of a breakdown belongs to: that of the items before it in its
    sentence."""
    fig = figs[k]
    for j in range(k - 1, -1, -1):
        g = figs[j]
        if g.sent_idx != fig.sent_idx:
            return None
        if g.group_head is not None:
            return figs[g.group_head]
    return None


# counts that name no kind of their own: they take the nearest count as their group
_UNNAMED = (None, "other", "person", "money")


def subgroup_of(doc: Doc, figs: list[Figure], k: int, ss: int, any_entity: bool = False,
                 from_noun: bool = False) -> Figure | None:
    """The group figure a "trong đó" part refers to (the subset cues of check_cues.tsv):
    the nearest figure before the cue in the sentence, when it counts something named (or,
    when the cue opens the part's sentence, "… 50 cán bộ. Trong đó, 9 cán bộ …", the
    sentence before's count of the part's own kind, however far back in it); with ``any_entity``, and no such cue, the total a cue before
    it opens ("Trong 15 đảng viên bị khiển trách có 3 …", lead_group)."""
    fig = figs[k]
    # the cue right before the part, the group right before the cue
    lo = max(ss, fig.num_start - 30)
    cue = None
    for m in (vocab().breakdown_re if any_entity else vocab().subset_re).finditer(doc.folded, lo, fig.num_start):
        cue = m
    if cue is None:
        return lead_group(doc, figs, k) if any_entity else None
    opens = any_entity and not doc.folded[ss:cue.start()].strip(" \t\n-–—•*+")
    for j in range(k - 1, -1, -1):
        g = figs[j]
        if g.sent_idx != fig.sent_idx and not (opens and g.sent_idx == fig.sent_idx - 1):
            return None
        if g.end <= cue.start():
            if g.kind not in ("count", "ratio"):
                continue  # "kết nạp 44.315 đảng viên (tăng 11,34% …); trong đó …": the count
            if opens and g.sent_idx != fig.sent_idx and fig.entity not in _UNNAMED:
                # "Tỉnh khen thưởng 52 tập thể, cá nhân, … từ 184 hồ sơ của 15 sở. Trong đó, 11
                # tập thể, cá nhân …": a sentence the cue opens breaks down the sentence
                # before's count of its own kind, however far back in it, not that
                # sentence's last count
                if same_family(g.entity, fig.entity):
                    return g
                continue
            # (from_noun: the group's own noun phrase is not part of the gap)
            gap = BRACKETED.sub("", doc.folded[(g.noun_end or g.end) if from_noun else g.end:cue.start()])
            ok = g.entity not in _UNNAMED and (len(gap) <= 40 or any_entity and len(gap) <= 100 and ";" not in gap)
            return g if ok else None
    return None


# between a total opened by a total_opener cue and its part: the rest of the total's
# clause, then "có" ("Trong 15 đảng viên bị khiển trách có 3 trưởng phòng", "Trong số 7
# trường hợp thì có 3 người là đảng viên")
_LEAD_GAP = 80
_LEAD_TO_PART = regex.compile(r"[^;:.()]*?(?:,\s*|\s)(?:thì\s+|đã\s+)?có\s*$")


def lead_group(doc: Doc, figs: list[Figure], k: int) -> Figure | None:
    """The total a total_opener cue (check_cues.tsv) opens right before it, when the
    part at ``k`` follows "có" in the total's clause, or None."""
    fig, f = figs[k], doc.folded
    prev = figs[k - 1] if k > 0 else None
    if prev is None or prev.sent_idx != fig.sent_idx or prev.kind not in ("count", "ratio") \
            or fig.num_start - prev.end > _LEAD_GAP:
        return None
    if not vocab().total_opener_re.search(f, max(0, prev.num_start - 20), prev.num_start):
        return None
    return prev if _LEAD_TO_PART.match(f, prev.end, fig.num_start) else None


def same_family(a: str | None, b: str | None) -> bool:
    """Counts of the same kind of thing (data/entity_families.tsv)."""
    fam = entity_families()
    return a == b or (a in fam and fam.get(a) == fam.get(b))


# from one item of a breakdown to the next: "trong đó hơn 19.800 nữ; dân tộc 504" (the
# next item named by its trait); an item that counts its own kind, after the rest of the
# item before and ";" ("… trong lĩnh vực kinh tế; 8 tập thể")
_NEXT_BY_TRAIT = regex.compile(r"[^.;:()]{0,25}[;,]\s*[^\d.;:()]{0,40}")
_NEXT_OF_ITS_KIND = regex.compile(r"[^.;:()\d]{0,100};\s*")


def next_item_group(figs: list[Figure], prev: Figure | None, fig: Figure, between: str,
                    own_kind: bool = False) -> Figure | None:
    """The group of the breakdown ``prev`` (the figure before ``fig`` in its sentence) is an
    item of, when ``fig`` is that breakdown's next item (``between``: the text from ``prev``
    to ``fig``); ``own_kind``: an item that names its own counted thing, which must also be
    smaller than the group ("…, trong đó 5 nữ; toàn xã có 300 đảng viên" is no item)."""
    if prev is None or prev.group_head is None:
        return None
    if not (_NEXT_OF_ITS_KIND if own_kind else _NEXT_BY_TRAIT).fullmatch(between):
        return None
    head = figs[prev.group_head]
    if own_kind and (fig.value is None or head.value is None or fig.value >= head.value):
        return None
    return head


BRACKETED = regex.compile(r"\([^()]*\)")


def index_of(figs: list[Figure], g: Figure) -> int:
    return next(j for j, x in enumerate(figs) if x is g)


def list_head(figs: list[Figure], k: int) -> Figure | None:
    for j in range(k - 1, -1, -1):
        if figs[j].list_item is None:
            return figs[j]
    return None


# between a count's noun phrase and the bracket of its breakdown: nothing, or a comma
_OPENS_RIGHT_AFTER = regex.compile(r"\s*,?\s*\(\s*")
# what stands before an item of the bracket: its opening, or the item before and a separator
_ITEM_BEFORE = regex.compile(r"(?:\(|,|;|\bvà)\s*$")


@lru_cache(maxsize=1)
def _traits() -> frozenset:
    """data/breakdown_traits.tsv: the words an item of a bracketed breakdown is named by."""
    return frozenset(fold_phrase(r[0]) for r in rows("breakdown_traits"))


def bracket_head(doc: Doc, figs: list[Figure], k: int) -> Figure | None:
    """The count whose bracket the count at ``k`` is an item of, named by a trait of
    data/breakdown_traits.tsv ("13 người (6 nam và 7 cô gái)", "kết nạp 120 đảng viên (44
    nữ)"): the bracket opens right after that count's noun phrase, the item opens the bracket
    or follows a separator, and no bracket closes between; or None ("bắt 13 đối tượng (thu
    giữ 2 xe máy)": not a breakdown)."""
    fig, f = figs[k], doc.folded
    if fig.noun_start is None or f[fig.noun_start:fig.noun_end] not in _traits() \
            or not _ITEM_BEFORE.search(f, max(0, fig.num_start - 6), fig.num_start):
        return None
    for j in range(k - 1, -1, -1):
        g = figs[j]
        if g.sent_idx != fig.sent_idx:
            return None
        if g.kind in ("count", "ratio") and g.noun_end is not None and g.end <= fig.num_start:
            m = _OPENS_RIGHT_AFTER.match(f, g.noun_end)
            if m is not None and f[m.end() - 1] == "(" and ")" not in f[m.end():fig.num_start]:
                return g
            if f.find("(", g.end, fig.num_start) < 0:
                return None  # a count outside the bracket stands between
    return None


def in_bracket(f: str, s: int, pos: int) -> bool:
    """f[s:pos] opens more brackets than it closes: pos stands inside one."""
    return f.count("(", s, pos) > f.count(")", s, pos)


# the head of a list told after a colon: "tổng số <noun> …:", "số lượng <noun> …:"
_COLON_HEAD = regex.compile(r"(?<![^\W\d_])(?:tổng\s+số|số\s+lượng)\s+")


def colon_head(f: str, ss: int, cs: int, v):
    """The counted noun of the last list head of the sentence before ``cs`` ("Tổng số thí
    sinh đến dự thi:"), when a colon closes its phrase; None otherwise."""
    last = None
    for m in _COLON_HEAD.finditer(f, ss, cs):
        last = m
    if last is None:
        return None
    noun = v.entity_re.match(f, last.end(), cs)
    if noun is None:
        return None
    colon = f.find(":", noun.end(), cs)
    # (no other number between the noun and the colon, a year aside: "… năm 2018:")
    return noun if colon >= 0 and not any(ch.isdigit() for ch in _YEAR_IN_HEAD.sub("", f[noun.end():colon])) \
        else None


_YEAR_IN_HEAD = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

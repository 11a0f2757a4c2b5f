"""The place of an incident story (spec §2 `group`; GUIDE: "incident figures take the
narrowest unit the text names").

A province's paper tells what happened in one of its districts or communes under the
province's name ("Cà Mau: Kiểm điểm nhiều cán bộ …", then "Huyện uỷ Thới Bình …, xã Biển
Bạch …"). The people and sums of that incident (role `group`) that name no unit of their
own are the place's, not the province's: an analyst looking for the district finds them
there, and the province's metrics never held them (groups measure no unit). The place is
the one unit of the province below it that the lead names and the article names most, at
least MIN_MENTIONS times and more often than any other unit below the province (a commune
and the district it lies in are one place; that district named MIN_MENTIONS times stands
for both). Runs after roles (it reads `role`), before the rows are stored.
"""
from __future__ import annotations

from collections import Counter

from .doc import Doc, Unit
from .gazetteer import LEVEL_ORDER, commune_district
from .subjects import set_subject
from .units import lead_end

_BELOW_PROVINCE = ("district", "commune", "village")
MIN_MENTIONS = 3


def incident_place(doc: Doc) -> Unit | None:
    """The unit below the article's province that the article is about, or None."""
    main = doc.main_unit
    if main is None or main.level != "province":
        return None
    # (a city named as its province is, "TP Kon Tum", is no telling of a place apart)
    inside = [u for u in doc.units if u.level in _BELOW_PROVINCE and u.name != main.name
              and u.province == main.name]
    if not inside:
        return None
    counts = Counter((u.level, u.name) for u in inside)
    first = {}
    for u in inside:
        first.setdefault((u.level, u.name), u)
    # (on a tie, the narrower unit: LEVEL_ORDER counts up from the village)
    ranked = sorted(counts, key=lambda k: (-counts[k], LEVEL_ORDER[k[0]], first[k].start))
    top = ranked[0]
    if counts[top] < MIN_MENTIONS:
        return None
    unit = first[top]
    if unit.start >= lead_end(doc):
        return None  # the lead does not name it: a place the story passes through
    # a commune and the district it lies in are one place: they do not compete; the
    # district told often too makes the story the district's (its people from the district
    # and the commune both: "Năm cán bộ huyện, xã …"), named in the lead or not
    home = commune_district(unit.name, unit.code) if unit.level == "commune" else None
    one_place = {top, ("district", home)}
    if home is not None and counts[("district", home)] >= MIN_MENTIONS:
        top = ("district", home)
        unit = first[top]
    rivals = [k for k in ranked if k not in one_place]
    if rivals and counts[rivals[0]] >= counts[top]:
        return None  # two places told as often: a report on several, not one incident
    return unit


def annotate(doc: Doc, title_end: int = 0) -> None:
    """Move the incident's groups from the article's province to the incident's place (not
    a title's: a title that names the province speaks of it, "Bình Thuận: 12 cán bộ …")."""
    if not any(f.role == "group" and f.subject_from_article for f in doc.figures):
        return
    place = incident_place(doc)
    if place is None:
        return
    for fig in doc.figures:
        if fig.role == "group" and fig.subject_from_article and fig.subject_level == "province" \
                and fig.start >= title_end:
            set_subject(fig, place)

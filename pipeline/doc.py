"""The document object every stage reads and annotates (spaCy-style: one object,
spans carry offsets into ``text``)."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from .textnorm import fold, nfc
from .wordscan import digit_runs, odd_starts


@dataclass
class Article:
    article_id: str
    source: str
    text: str                       # NFC; every offset indexes this string
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        # Kept with the very text it hashes: the main process hashes every article it
        # reads, and the worker needs the same hash for the article's row (the pair
        # travels with the pickled article, the text stored once).  Another text object
        # (Doc.from_article's NFC of a text that was not NFC) is hashed again.
        return self._hashed()[1]

    @property
    def utf8_size(self) -> int:
        """The text's size in UTF-8 bytes (the run's totals), taken with the hash: encoding
        a text is the dearer half of hashing it, and the main process did both for every
        article it read."""
        return self._hashed()[2]

    def _hashed(self) -> tuple[str, str, int]:
        cached = self.__dict__.get("_hash")
        if cached is not None and cached[0] is self.text and len(cached) == 3:
            return cached
        data = self.text.encode("utf-8")
        cached = self.__dict__["_hash"] = (self.text, hashlib.sha1(data).hexdigest(), len(data))
        return cached


@dataclass(slots=True)
class Figure:
    start: int
    end: int
    surface: str
    kind: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str = "exact"
    entity: str | None = None
    status: str | None = None
    status_cue: str | None = None   # the words that set the status ("giám sát": of the
                                    # spec's `inspected`, a supervision; views.py)
    measure_text: str | None = None
    subject_level: str | None = None
    subject_name: str | None = None
    subject_code: str | None = None      # official code of the subject unit (pre-2025 scheme)
    subject_province: str | None = None  # the province the subject unit lies in
    period_start: int | None = None
    period_end: int | None = None
    period_part: str | None = None  # the part of the year a flow covers: "H1", "9M", "Q3",
                                    # "M12", "YTD"; None for whole years (attribute.py)
    # with no publication date: the years before the time of writing its period starts and
    # ends ("Trong 5 năm qua": 5, 0; "Hai năm trước": 2, 2), its years staying None
    period_back_start: int | None = None
    period_back_end: int | None = None
    is_target: bool = False
    role: str = "total"             # total, part or group (spec §2; roles.py)
    actor: str | None = None        # the one body whose tally it is ("commissions": UBKT
                                    # các cấp, "commission": one level's, "standing": a
                                    # standing committee), when that alone
                                    # makes it a part of the unit's total (roles.py)
    sentence: str = ""
    rule: str = ""
    # working fields, not stored
    num_start: int = 0              # where the first numeral starts
    part_by: str | None = None      # "actor" or "findings": a part because one body or one
                                    # inspection made it, though the sentence sounds whole;
                                    # "trait": by a trait after its noun ("cán bộ thuế")
    noun_start: int | None = None   # counted noun right after the number, if any
    noun_end: int | None = None
    sent_idx: int = -1
    inherit_from: int | None = None  # index of the figure whose entity/status it shares
    shares_with: int | None = None   # the figure before it whose share or target it states
    item_of: int | None = None       # the count a list of items breaks down ("kỷ luật 1.219
                                     # đảng viên, cách chức 44"): whose figure it is too
    group_head: int | None = None    # the figure whose breakdown it is ("… 86 đảng viên,
                                     # trong đó 14 nữ; dân tộc 19"): same event, a part
    list_item: str | None = None     # "Thạnh Phú 10;" -> "Thạnh Phú" (its own subject)
    subject_from_article: bool = False  # its subject is the article's unit, none nearer named


@dataclass(slots=True)
class Unit:
    start: int
    end: int
    surface: str
    level: str          # national, province, district, commune, village, bloc
    name: str
    province: str | None = None
    code: str | None = None
    party: bool = False  # a party body ("Huyện ủy X"), not just a place
    province_2025: str | None = None  # the province after the 2025 merger (34 provinces)
    code_2025: str | None = None      # 2025 official code: new commune, or new province


@dataclass
class Doc:
    article: Article
    text: str = ""
    folded: str = ""
    furniture: list[tuple[int, int, str]] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    province: str | None = None
    main_unit: Unit | None = None
    # what the article's URL names (url_units.py): units from the top down (no span in
    # the text) and, for a page without a title, a year in its slug; the last resort
    url_units: list[Unit] = field(default_factory=list)
    url_period: tuple[int, int] | None = None

    @classmethod
    def from_article(cls, article: Article) -> "Doc":
        text = nfc(article.text)
        article.text = text
        return cls(article=article, text=text, folded=fold(text))

    @cached_property
    def odd_starts(self) -> list[int]:
        """Where a word of the folded text may start other than after a space (read once,
        by the unit and role-cue scans: wordscan.py)."""
        return odd_starts(self.folded)

    @cached_property
    def digit_runs(self) -> tuple[list[int], list[int]]:
        """Where the folded text's digit runs start and end (wordscan.digit_runs; read once,
        by the figure gate and scan and by dating's full dates)."""
        return digit_runs(self.folded)

    @property
    def pub_year(self) -> int | None:
        return self.article.published.year if self.article.published else None

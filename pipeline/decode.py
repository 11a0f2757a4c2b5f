"""Bytes of unknown encoding -> NFC Unicode text, or a clear reason why not.

Vietnamese articles reach us in more encodings than UTF-8:

- UTF-8 with or without a byte-order mark; UTF-16/32 with a BOM, and UTF-16 without
  one (found by its NUL pattern: ASCII and Vietnamese both put a NUL or 0x1E in every
  other byte);
- Windows-1258 (cp1258), which writes most tones as combining marks: NFC afterwards;
- the legacy font encodings TCVN3 (ABC, ".VnTime") and VNI Windows ("VNI-Times"):
  Windows-1252 bytes that show as Vietnamese only with their fonts.  Their mapping
  tables are data (``data/legacy_tcvn3.tsv``, ``data/legacy_vni.tsv``);
- mojibake: UTF-8 that was read as Windows-1252 and saved again ("Ä‘áº£ng" for
  "đảng"), which is valid UTF-8 and needs repairing, not decoding;
- legacy text that was converted to Unicode as if it were Windows-1252 ("Ñaûng" for
  "Đảng"), also valid UTF-8.

When more than one reading is possible the one that looks most Vietnamese wins:
``vietnamese_score`` is the share of words with non-ASCII letters that are valid
Vietnamese syllables (onset + rhyme + at most one tone, stop endings only with sắc
or nặng).  ASCII words read the same in every candidate, so they carry no vote.

``decode(raw)`` returns ``Decoded(text, encoding)`` or raises ``DecodeError`` whose
``reason`` says what is wrong ("binary data (NUL bytes)", "mojibake ...", ...).
``repair_text(s)`` applies the Unicode-level repairs to text that arrived as ``str``
(JSONL fields, HTML).  NFC is applied last; nothing else (Ð vs Đ, quotes, spaces) is
changed: textnorm.fold handles those without touching the stored text.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Decoded", "DecodeError", "decode", "repair_text", "vietnamese_score",
           "is_syllable", "encode_legacy", "decode_legacy", "LEGACY"]


class DecodeError(ValueError):
    """The bytes are not text we can read; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    text: str        # NFC
    encoding: str    # "utf-8", "utf-16-le", "cp1258", "tcvn3", "vni", "utf-8+mojibake-repaired", ...


# --------------------------------------------------------------------------------------
# Windows-1252 "image" of bytes: how a byte string looks read as Windows-1252.  The five
# bytes Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) read as the C1 control
# of the same number, as Windows itself does; the inverse also takes C1 controls back
# (text that went through Latin-1 instead of Windows-1252).

def _cp1252_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)


_IMAGE = [_cp1252_char(b) for b in range(256)]
_IMAGE_TABLE = "".join(_IMAGE)
_IMAGE_ENCODE = {ord(c): b for b, c in enumerate(_IMAGE)}
for _b in range(0x80, 0xA0):
    _IMAGE_ENCODE.setdefault(_b, _b)


def cp1252_image(raw: bytes) -> str:
    """``raw`` read as Windows-1252, never failing."""
    return codecs.charmap_decode(raw, "strict", _IMAGE_TABLE)[0]


def image_bytes(s: str) -> bytes | None:
    """The bytes whose Windows-1252 image is ``s`` (None when ``s`` has other characters)."""
    try:
        return codecs.charmap_encode(s, "strict", _IMAGE_ENCODE)[0]
    except UnicodeEncodeError:
        return None


# --------------------------------------------------------------------------------------
# Legacy font encodings, from the data tables.

@dataclass
class Legacy:
    name: str
    table: dict[str, str]          # Windows-1252 image of a legacy sequence -> Unicode
    pattern: re.Pattern            # any legacy sequence, longest first
    inverse: dict[str, str]        # Unicode character -> image (canonical sequence)
    byte_table: str | None = None  # 256 characters when every sequence is one byte (TCVN3)

    def to_unicode(self, image: str) -> str:
        """The Windows-1252 image of legacy bytes -> Unicode (not yet NFC)."""
        if self.byte_table is not None:
            raw = image_bytes(image)
            if raw is not None:
                return self.decode_bytes(raw)
        return self.pattern.sub(lambda m: self.table[m.group()], image)

    def decode_bytes(self, raw: bytes) -> str:
        if self.byte_table is not None:  # one byte, one character: a C charmap
            return codecs.charmap_decode(raw, "strict", self.byte_table)[0]
        return self.pattern.sub(lambda m: self.table[m.group()], cp1252_image(raw))


def _load_legacy(name: str) -> Legacy:
    text = resources.files("pipeline.data").joinpath(f"legacy_{name}.tsv").read_text("utf-8")
    table: dict[str, str] = {}
    inverse: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        hexes, shown, uni = line.split("\t")[:3]
        image = cp1252_image(bytes(int(h, 16) for h in hexes.split()))
        if image != shown:
            raise ValueError(f"legacy_{name}.tsv: {hexes} reads {image!r}, table says {shown!r}")
        table[image] = uni
        inverse.setdefault(unicodedata.normalize("NFC", uni), image)
    if name == "vni":
        # Converters and hand typing mix the case of a base letter and its mark byte
        # ("Aù" for "AÙ"): read those too, the base letter deciding the case.
        for image, uni in list(table.items()):
            if len(image) == 2:
                swapped = image[0] + image[1].swapcase()
                if swapped not in table and swapped[1] != image[1]:
                    table[swapped] = uni
    alts = sorted(table, key=lambda k: (-len(k), k))
    pattern = re.compile("|".join(re.escape(k) for k in alts))
    byte_table = None
    if all(len(k) == 1 for k in table) and all(len(v) == 1 for v in table.values()):
        byte_table = "".join(table.get(c, c) for c in _IMAGE)
    return Legacy(name, table, pattern, inverse, byte_table)


LEGACY: dict[str, Legacy] = {n: _load_legacy(n) for n in ("tcvn3", "vni")}


def decode_legacy(raw: bytes, name: str) -> str:
    """Bytes in a legacy font encoding (``"tcvn3"`` or ``"vni"``) -> NFC Unicode."""
    return unicodedata.normalize("NFC", LEGACY[name].decode_bytes(raw))


def encode_legacy(text: str, name: str) -> bytes:
    """Unicode -> legacy bytes (tests and tools).  A character the encoding lacks is
    written as its lower-case form when that exists (TCVN3 has few toned capitals, as
    with the ABC fonts), else as ``?``; Ð (U+00D0) is written as Đ."""
    leg = LEGACY[name]
    out = []
    for ch in unicodedata.normalize("NFC", text.replace("\u00d0", "\u0110")):
        img = leg.inverse.get(ch)
        if img is None and ch.lower() in leg.inverse and not ch.isascii():
            img = leg.inverse[ch.lower()]
        if img is None:
            b = image_bytes(ch)
            # a Windows-1252 character whose byte the legacy table uses would read back
            # as a Vietnamese letter: replace it
            img = ch if (b is not None and (ch.isascii() or not _uses_byte(leg, b))) else "?"
        out.append(img)
    return image_bytes("".join(out))


@lru_cache(maxsize=None)
def _legacy_bytes(name: str) -> frozenset[int]:
    return frozenset(b for k in LEGACY[name].table for b in image_bytes(k) if b >= 0x80)


def _uses_byte(leg: Legacy, b: bytes) -> bool:
    return any(x in _legacy_bytes(leg.name) for x in b)


# --------------------------------------------------------------------------------------
# How Vietnamese does a text look?

_TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang"}
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_RHYMES = frozenset("""
a ai ao au ay ac ach am an ang anh ap at
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên êng ênh êp êt êu êc
i ia ich im in inh ip it iu
iêc iêm iên iêng iêp iêt iêu
yêm yên yêng yêt yêu
y ych ynh yt yu yn
o oc oi om on ong op ot ooc oong
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut
uôc uôi uôm uôn uông uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu
ươc ươi ươm ươn ương ươp ươt ươu
oa oac oach oai oam oan oang oanh oao oap oat oay
oăc oăm oăn oăng oăt
oe oem oen oeo oet
uân uâng uât uây
uê uêch uênh
uy uya uych uyn uynh uyp uyt uyu
uyên uyêt
uơ
""".split())
_STOPS = ("c", "ch", "p", "t")


@lru_cache(maxsize=100_000)
def is_syllable(word: str) -> bool:
    """A Vietnamese syllable (either tone placement: "hoà" and "hòa" both pass)."""
    d = unicodedata.normalize("NFD", word.lower().replace("ð", "đ"))
    tones = [c for c in d if c in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
    tone = _TONES[tones[0]] if tones else None
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset):]
        if rhyme not in _RHYMES:
            continue
        if rhyme.endswith(_STOPS) and tone not in (None, "sac", "nang"):
            continue
        return True
    return False


# words: split on spaces and ordinary punctuation; a word with digits is not judged
_SPLIT = re.compile(r"[\s\-‐‑–—/.,;:!?()\[\]{}\"'“”‘’«»…*+=%&|<>#@~^_`\\]+")
_DIGIT = re.compile(r"\d")
SAMPLE = 200_000


def vietnamese_score(text: str, sample: int = SAMPLE) -> tuple[float, int] | None:
    """(share of valid syllables, number judged) over the words that have a non-ASCII
    character, in the first ``sample`` characters; None when there is none."""
    n = ok = 0
    for w in _SPLIT.split(text[:sample]):
        if not w or w.isascii() or _DIGIT.search(w):
            continue
        n += 1
        if w.isalpha() and is_syllable(w):
            ok += 1
    return (ok / n, n) if n else None


def _score(text: str) -> float:
    s = vietnamese_score(text)
    return -1.0 if s is None else s[0]


# --------------------------------------------------------------------------------------
# Mojibake: UTF-8 bytes read as Windows-1252 (or Latin-1), saved again as UTF-8.

_CONT = "".join(sorted({_IMAGE[b] for b in range(0x80, 0xC0)} | {chr(b) for b in range(0x80, 0xC0)}))
_C = "[" + re.escape(_CONT) + "]"
_MOJI = re.compile(f"[\u00c2-\u00df]{_C}|[\u00e0-\u00ef]{_C}{{2}}|[\u00f0-\u00f4]{_C}{{3}}")
_VIET = set("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ")
_VIET |= {c.upper() for c in _VIET}


_IMAGE_CHARS = frozenset(_IMAGE[0x80:])


def _plausible(ch: str) -> bool:
    """A character mojibake repair may produce: Vietnamese, Latin-1, common punctuation,
    or a Windows-1252 character (one layer of doubly encoded mojibake)."""
    o = ord(ch)
    return (ch in _VIET or 0xA0 <= o <= 0xFF or 0x2010 <= o <= 0x203A or ch in _IMAGE_CHARS
            or ch in "€™№" or o in (0x300, 0x301, 0x303, 0x309, 0x323))


def _unmojibake(text: str) -> tuple[str, int]:
    n = 0

    def fix(m):
        nonlocal n
        raw = image_bytes(m.group())
        try:
            ch = raw.decode("utf-8")
        except (UnicodeDecodeError, AttributeError):
            return m.group()
        if not all(_plausible(c) for c in ch):
            return m.group()
        n += 1
        return ch

    return _MOJI.sub(fix, text), n


# what mojibake that cannot be repaired leaves behind ("Ä?" once held Đ, "á»\ufffd" ...)
_MOJI_TRACE = re.compile(f"Ä(?:[\ufffd?]|{_C})|á[º»](?:[\ufffd?]|{_C})|Æ[°¡¯]|â€{_C}|Ã[\u00a0-\u00bf]")
# Latin-1 characters that Vietnamese does not use but TCVN3 / VNI images are full of
_LEGACY_HINT = re.compile("[" + re.escape("".join(
    c for c in map(chr, range(0xA1, 0x100)) if c not in _VIET and c not in "«»°·×÷©®")) + "]")


# One cheap scan decides whether a text needs a closer look: mojibake always holds a
# character of these (the image of a UTF-8 continuation byte, or Ä Å Æ), and legacy
# text always holds Latin-1 letters Vietnamese does not use.
_SUSPECT = re.compile("[\u0080-\u009f\u00a1-\u00bf" + re.escape("".join(
    c for c in map(chr, range(0xC0, 0x100)) if c not in _VIET) + "€‚ƒ„†‡ˆ‰Š‹ŒŽ˜™š›œžŸ\ufffd") + "]")


def repair_text(text: str, encoding: str = "unicode") -> Decoded:
    """Unicode-level repairs of text that decoded cleanly: mojibake and legacy text
    mis-converted to Unicode; then NFC.  Raises DecodeError("mojibake ...") when the text
    is mojibake that cannot be repaired reliably."""
    if not _SUSPECT.search(text):
        return Decoded(unicodedata.normalize("NFC", text), encoding)
    how = encoding
    if _MOJI.search(text):
        fixed, n = text, 0
        for _ in range(3):  # double-encoded mojibake needs two rounds
            nxt, k = _unmojibake(fixed)
            if not k:
                break
            fixed, n = nxt, n + k
        if n >= 2 and _score(fixed) >= _score(text):
            text, how = fixed, f"{encoding}+mojibake-repaired"
    traces = _MOJI_TRACE.findall(text, 0, SAMPLE)
    if len(traces) >= 3:
        raise DecodeError(f"mojibake: text is UTF-8 read with a Western code page and cannot be "
                          f"repaired reliably (e.g. {''.join(traces[:3])!r})")
    if len(_LEGACY_HINT.findall(text, 0, SAMPLE)) >= 3:
        text, how = _legacy_in_unicode(text, how)
    return Decoded(unicodedata.normalize("NFC", text), how)


def _legacy_in_unicode(text: str, how: str) -> tuple[str, str]:
    """TCVN3/VNI text that went through a Windows-1252 -> Unicode conversion.  Lines with
    characters Windows-1252 lacks (a title in real Unicode) are left as they are; the
    others are judged together and converted when one legacy reading is clearly
    more Vietnamese."""
    lines = text.split("\n")
    raws = [image_bytes(line) if _LEGACY_HINT.search(line) else None for line in lines]
    picked = [i for i, r in enumerate(raws) if r is not None]
    if not picked:
        return text, how
    joined = "\n".join(lines[i] for i in picked)
    raw = b"\n".join(raws[i] for i in picked)
    here = vietnamese_score(joined)
    best = None
    for name in LEGACY:
        s = vietnamese_score(decode_legacy(raw[:SAMPLE], name))
        if s and s[1] >= 3 and s[0] >= 0.8 and (here is None or s[0] >= here[0] + 0.2):
            if best is None or s[0] > best[0]:
                best = (s[0], name)
    if best is None:
        return text, how
    for i in picked:
        lines[i] = decode_legacy(raws[i], best[1])
    return "\n".join(lines), f"{how}+{best[1]}-in-unicode"


# --------------------------------------------------------------------------------------
# Bytes.

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF", "PDF"), (b"PK\x03\x04", "ZIP/Office"), (b"\x1f\x8b", "gzip"), (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"\xd0\xcf\x11\xe0", "OLE/Word 97"),
    (b"\x7fELF", "ELF"), (b"BZh", "bzip2"), (b"\xfd7zXZ", "xz"), (b"7z\xbc\xaf", "7z"),
)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_NOT_CONTROL = bytes(b for b in range(256) if not (b <= 0x08 or 0x0E <= b <= 0x1F or b == 0x7F))
MIN_SCORE = 0.8


def _utf16_without_bom(raw: bytes) -> str | None:
    head = raw[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if z_odd > 0.3 and z_even < 0.02:
        return "utf-16-le"
    if z_even > 0.3 and z_odd < 0.02:
        return "utf-16-be"
    return None


def _finish(text: str, encoding: str) -> Decoded:
    bad = len(_CONTROL.findall(text, 0, SAMPLE))
    if bad > max(2, min(len(text), SAMPLE) // 1000):
        raise DecodeError(f"binary data ({bad} control characters)")
    return Decoded(unicodedata.normalize("NFC", text), encoding)


def _single_byte(raw: bytes, name: str) -> str:
    if name == "cp1258":
        return unicodedata.normalize("NFC", raw.decode("cp1258"))
    return decode_legacy(raw, name)


def decode(raw: bytes) -> Decoded:
    """Bytes of an article -> ``Decoded(text, encoding)``; DecodeError when unreadable."""
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {enc} after its byte-order mark ({exc.reason} at byte "
                                  f"{exc.start + len(bom)})") from None
            return _finish(repair_text(text, enc).text, enc)
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise DecodeError(f"binary data ({what} file)")
    bad = len(raw[:SAMPLE].translate(None, _NOT_CONTROL))
    if bad > max(2, min(len(raw), SAMPLE) // 1000) and b"\x00" not in raw:
        raise DecodeError(f"binary data ({bad} control bytes)")
    if b"\x00" in raw:
        enc = _utf16_without_bom(raw)
        if enc is None:
            raise DecodeError("binary data (NUL bytes)")
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"binary data (NUL bytes; not {enc}: {exc.reason} at byte {exc.start})") from None
        return _finish(repair_text(text, enc).text, enc)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
    else:
        d = repair_text(text, "utf-8")
        return _finish(d.text, d.encoding)
    # Not UTF-8: a single-byte Vietnamese encoding?  The most Vietnamese reading of a
    # sample wins; then the whole file is read that way.
    head = raw[:SAMPLE]
    scored, seen = [], set()
    for name in ("cp1258", *LEGACY):  # on a tie: cp1258, then TCVN3, then VNI
        try:
            text = _single_byte(head, name)
        except UnicodeDecodeError:
            continue
        s = vietnamese_score(text)
        if s and text not in seen:  # readings that give the same text count once
            seen.add(text)
            scored.append((s[0], s[1], name))
    scored.sort(key=lambda t: -t[0])  # stable
    if scored:
        share, n, name = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        # a long text needs most of its words right; a few words must all be right, and
        # no other reading may be as good
        if (n >= 3 and share >= MIN_SCORE) or (share == 1.0 and runner_up < 1.0):
            try:
                return _finish(_single_byte(raw, name), name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"not UTF-8 ({utf8_error}) and not {name} either ({exc.reason} "
                                  f"at byte {exc.start})") from None
    tried = ", ".join(f"{name} {share:.0%}" for share, _, name in scored) or "none"
    raise DecodeError(f"not UTF-8 ({utf8_error}) and no Vietnamese encoding reads it as Vietnamese "
                      f"(valid syllables: {tried})")

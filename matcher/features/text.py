"""Text repair shared by every input (vacancies and CVs).

The seed notices carry UTF-8 that was decoded as Windows-874 (Thai) with cp1252 fall-backs:
``OSCEโ€™s`` for ``OSCE’s``; sometimes the undefined bytes were dropped on the way
(``โPrevention ... chainsโ``). ftfy knows cp1252/latin-1 mojibake but not this codec, so we
undo it here first, then let ftfy fix the rest, then NFKC-fold the "mathematical bold" letters
scraped job boards use for banners.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import ftfy

__all__ = ["repair_text", "repair_mojibake", "decode_bytes", "strip_invisible", "fold_homoglyphs"]


@lru_cache(maxsize=1)
def _char_to_byte() -> dict[str, int]:
    """Every character that a byte 0x80-0xFF turns into under cp874 or cp1252."""
    table: dict[str, int] = {}
    for codec in ("cp1252", "cp874"):  # cp874 wins where both define a byte
        for b in range(0x80, 0x100):
            try:
                table[bytes([b]).decode(codec)] = b
            except UnicodeDecodeError:
                continue
    return table


def _utf8_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


_LOST_QUOTE_LEAD = "\u0e42"  # 'โ' = byte 0xE2, the lead of every general-punctuation character


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-874/cp1252, including sequences whose tail bytes were lost."""
    table = _char_to_byte()
    out: list[str] = []
    quote_open = False  # a lost opening quote is waiting for its closing one
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        lead = table.get(ch)
        need = _utf8_length(lead) if lead is not None else 0
        if need:
            raw = bytearray([lead])  # type: ignore[list-item]
            j = i + 1
            while j < n and len(raw) < need:
                b = table.get(text[j])
                if b is None or not 0x80 <= b <= 0xBF:
                    break
                raw.append(b)
                j += 1
            if len(raw) == need:
                try:
                    out.append(raw.decode("utf-8"))
                    i = j
                    continue
                except UnicodeDecodeError:
                    pass
            if lead == 0xE2 and len(raw) <= 2 and _looks_like_lost_punctuation(text, i, j):
                guess = _guess_lost_quote(text, i, j, quote_open=quote_open)
                if guess == "\u201c":
                    quote_open = True
                elif guess == "\u201d":
                    quote_open = False
                out.append(guess)
                i = j
                continue
            if len(raw) < need and (len(raw) > 1 or (lead or 0) >= 0xF0):
                # a multi-byte character (an emoji, a bold letter) whose middle bytes were dropped:
                # it cannot be recovered, and leaving it would put mojibake in a parsed field
                i = j
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _looks_like_lost_punctuation(text: str, start: int, end: int) -> bool:
    """A lone 'โ' outside Thai words is a punctuation mark whose tail bytes were dropped."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not _is_thai(before) and not _is_thai(after)


def _guess_lost_quote(text: str, start: int, end: int, *, quote_open: bool = False) -> str:
    """The punctuation mark a lone 'โ' stood for, from its neighbours.

    Between letters it is an apostrophe (``OSCEโs``); after a space, an opening quote; after a
    word and before a space, a closing quote only when a quote is open, else the apostrophe of a
    plural possessive (``the executive structuresโ CTHB Action Plans``).
    """
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() and after.isalpha():
        return "\u2019"  # OSCEโs -> OSCE’s
    if before.isspace() or before in "([{":
        return "\u201c" if after.isalnum() else "\u2013"
    if before.isalpha() and not quote_open and (after.isspace() or after in ",;"):
        return "\u2019"
    return "\u201d"


#: 'โ' (0xE2) or '๐' (0xF0) next to a cp1252 special or a Latin letter: never real Thai
_MOJIBAKE_SIGN = re.compile(
    "[\u0e42\u0e50][\u20ac\u0178\u2014\u2122\u0152\u0161A-Za-z]|\u0e42\u20ac"
)

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")


_ZERO_WIDTH = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def strip_invisible(text: str) -> str:
    """Drop zero-width and bidirectional control characters (a common hiding trick)."""
    return _INVISIBLE.sub("", text)


@lru_cache(maxsize=1)
def _ftfy_config() -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(explain=False, normalization="NFC", uncurl_quotes=False)


def _fix_lines(text: str) -> str:
    """ftfy line by line, skipping plain-ASCII lines and repeated lines.

    ftfy costs tens of microseconds per line whatever its length; a plain ASCII line without
    HTML entities or escape codes has nothing for it to fix, and a repeated line needs fixing
    once. This keeps adversarial inputs (a million short lines) from taking minutes.
    """
    config = _ftfy_config()
    cache: dict[str, str] = {}
    out: list[str] = []
    for line in text.split("\n"):
        if line.isascii() and "&" not in line and "\x1b" not in line:
            out.append(line)
            continue
        fixed = cache.get(line)
        if fixed is None:
            fixed = ftfy.fix_text(line, config)
            if len(cache) < 50_000:
                cache[line] = fixed
        out.append(fixed)
    return "\n".join(out)


#: Cyrillic and Greek letters that look like Latin ones (Unicode confusables)
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһԛԝАВЕКМНОРСТУХІЈЅαονρΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhqwABEKMHOPCTYXIJSaovpABEZHIKMNOPTYX",
)
_NON_LATIN = re.compile("[\u0370-\u03ff\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")
_CONFUSABLE = frozenset("аеорсухіјѕԁһԛԝАВЕКМНОРСТУХІЈЅαονρΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")
_TOKEN = re.compile(r"\w+")


def fold_homoglyphs(text: str) -> str:
    """Cyrillic/Greek look-alikes in Latin text made Latin.

    "Proсurement" with a Cyrillic "с" is a trick to slip copied text past filters (and to pass an
    English CV off as Russian). A word that mixes scripts is folded, and so is a word made only of
    look-alikes ("а") next to a Latin word; words of a real Cyrillic or Greek text are left alone.
    """
    if not _NON_LATIN.search(text) or not _LATIN.search(text):
        return text
    tokens = list(_TOKEN.finditer(text))
    out: list[str] = []
    last = 0
    for i, m in enumerate(tokens):
        word = m.group(0)
        if _NON_LATIN.search(word):
            mixed = _LATIN.search(word) is not None
            lookalike = all(c in _CONFUSABLE for c in word if not c.isdigit() and c != "_")
            beside_latin = any(
                0 <= k < len(tokens) and _LATIN.search(tokens[k].group(0)) is not None
                for k in (i - 1, i + 1)
            )
            if mixed or (lookalike and beside_latin):
                out.append(text[last : m.start()])
                out.append(word.translate(_CONFUSABLES))
                last = m.end()
    out.append(text[last:])
    return "".join(out)


def repair_text(text: str) -> str:
    """Repair mojibake, fold compatibility letters, drop invisible controls, normalise newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # zero-width and bidi controls first: stuffed inside a mojibake sequence they defeat its repair
    # (the soft hyphen stays: it is byte 0xAD of real mojibake such as "Ã\xad" for "í")
    text = _ZERO_WIDTH.sub("", text)
    if _MOJIBAKE_SIGN.search(text):
        text = repair_mojibake(text)
    text = _fix_lines(text)
    text = unicodedata.normalize("NFKC", text)
    text = fold_homoglyphs(text)
    text = strip_invisible(text)
    text = text.replace("\xa0", " ")
    return text


def decode_bytes(data: bytes) -> str:
    """Decode bytes as UTF-8 (with BOM), else cp1252, never failing; the caller repairs after."""
    for codec in ("utf-8-sig", "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""):
        if not codec:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to at most ``limit`` characters at a word boundary with an
    ellipsis: a quote shown to a panel never ends mid-word ("University of Leicester, 2...")."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space >= limit // 2:  # keep whole words unless that would lose most of the quote
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013") + "\u2026"

"""Scraped-page debris that must never reach a parsed section.

Notices copied from job boards carry the board's own furniture: "5 Steps to get a job in the
United Nations", "Recommended for you", "Tags: ..." lines, emoji banners whose letters were lost
in a broken encoding, markdown links and emphasis. These helpers remove it line by line, with
plain (linear-time) regular expressions, so they are safe on any input size.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["strip_debris", "strip_markdown", "is_debris_line", "remove_footnotes"]

#: whole lines that are job-board furniture, never part of a notice
_DEBRIS_LINE = re.compile(
    r"""^\s*(?:[-•*]\s*)?(?:
        \d+\s+steps?\s+to\s+get\s+a\s+job\b.*
      | recommended\s+for\s+you\b.*
      | tags?\s*:.*
      | added\s+date\s*:.*
      | posted\s+(?:on\s*:?.*|\d+\s+(?:days?|hours?|weeks?)\s+ago.*)
      | share\s+(?:this\s+(?:job|vacancy|post)|on\s+\w+)\b.*
      | (?:similar|related|latest|more)\s+(?:jobs|vacancies)\b.{0,40}
      | (?:follow|subscribe\s+to|join)\s+(?:us|our)\b.{0,60}
        (?:telegram|whatsapp|linkedin|facebook|channel|group|newsletter).*
      | report\s+(?:this\s+)?(?:job|vacancy)\b.{0,20}
      | back\s+to\s+(?:jobs|search|top)\b.{0,20}
      | (?:save|bookmark)\s+(?:this\s+)?job\b.{0,20}
      | page\s+\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?
      | -\s*\d{1,3}\s*-
      | \d{1,3}\s*/\s*\d{1,3}
      | .{0,200}\b(?:recruitment\s+guide|job\s+alerts?|test\s+samples
        |get\s+a\s+job\s+(?:in|at|with)\s+the\s+(?:UN|United\s+Nations))\b.{0,300}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: a "Step 1: ..." line that belongs to the "N Steps to get a job" block
_STEP_LINE = re.compile(r"^\s*(?:step\s*\d+\b|\d+[.)]\s+\S).{0,120}$", re.IGNORECASE)
_STEPS_HEAD = re.compile(r"^\s*\d+\s+steps?\s+to\s+get\s+a\s+job\b", re.IGNORECASE)

_KEEP_SYMBOLS = set("©®™°§¶•·")
_BULLET_ONLY = set("-•*–—·▪")


@lru_cache(maxsize=4096)
def _is_pictograph(ch: str) -> bool:
    """Emoji blocks plus Unicode "Symbol, other", except the symbols kept in text (© ® ° ...)."""
    code = ord(ch)
    return ch not in _KEEP_SYMBOLS and (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or unicodedata.category(ch) == "So"
    )


def _has_pictograph(text: str) -> bool:
    return not text.isascii() and any(_is_pictograph(ch) for ch in text if ch > "\x7f")


def _starts_with_pictograph(text: str) -> bool:
    return text[:1] > "\x7f" and _is_pictograph(text[0])


def _without_pictographs(text: str) -> str:
    if text.isascii():
        return text
    return "".join(ch for ch in text if ch <= "\x7f" or not _is_pictograph(ch))


_ALNUM = re.compile(r"[^\W_]")


def is_debris_line(line: str) -> bool:
    """True for a line of job-board furniture or an emoji banner (a line that carries no text)."""
    stripped = line.strip()
    if not stripped:
        return False
    if len(stripped) < 400 and _DEBRIS_LINE.match(stripped):
        return True
    if stripped in _BULLET_ONLY:
        return False  # a bullet whose text is on the next line; the section parser joins them
    if _ALNUM.search(stripped) is None:
        return stripped != "---"  # punctuation only ("|", ", , , !"); keep separators
    if _has_pictograph(stripped):
        letters = len(_ALNUM.findall(stripped))
        visible = len(stripped) - stripped.count(" ")
        words = re.findall(r"[^\W\d_]{2,}", stripped)
        # an emoji banner: mostly symbols and punctuation, a shout ("🔥 Apply now!"),
        # or a line that opens with a pictograph and exclaims
        return (
            letters / visible < 0.6
            or len(words) <= 1
            or (len(words) <= 3 and "!" in stripped)
            or (_starts_with_pictograph(stripped) and "!" in stripped)
        )
    return False


def strip_debris(text: str) -> tuple[str, tuple[str, ...]]:
    """Drop debris lines; returns the cleaned text and the dropped lines (for logging)."""
    kept: list[str] = []
    dropped: list[str] = []
    in_steps = False
    for line in text.split("\n"):
        if in_steps:
            if line.strip() and len(line) < 140 and _STEP_LINE.match(line):
                dropped.append(line)
                continue
            in_steps = False
        if len(line) < 400 and _STEPS_HEAD.match(line):
            in_steps = True
        if is_debris_line(line):
            dropped.append(line)
            continue
        if _has_pictograph(line):
            # a pictograph opening the line is a bullet ("✔ Excellent drafting skills")
            stripped = line.lstrip()
            if _starts_with_pictograph(stripped):
                rest = _without_pictographs(stripped).lstrip(" \ufe0f")
                line = line[: len(line) - len(stripped)] + "- " + rest
            else:
                line = _without_pictographs(line)
        kept.append(line)
    return "\n".join(kept), tuple(dropped)


_MD_LINK = re.compile(r"\[([^\]\n]{0,400})\]\(([^()\s\n]{0,400})\)")
_MD_AUTOLINK = re.compile(r"<(https?://[^<>\s]{1,400})>")
_MD_ESCAPE = re.compile(r"\\([\\()\[\]*_#`>|.-])")
_MD_STRONG = re.compile(r"\*\*|__(?=\S)|(?<=\S)__")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,400}?)(?<=[^\s*])\*(?![\w*])")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)


def strip_markdown(text: str) -> str:
    """Remove markdown furniture (``**``, ``[text](#)``, ``\\(`` escapes, ``#`` headings)."""
    if "[" in text:
        text = _MD_LINK.sub(lambda m: m.group(1) if m.group(2) in ("", "#") else m.group(1), text)
    if "<http" in text:
        text = _MD_AUTOLINK.sub(r"\1", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    if "*" in text or "__" in text:
        text = _MD_STRONG.sub("", text)
        text = _MD_EMPHASIS.sub(r"\1", text)
    if "#" in text:
        text = _MD_HEADING.sub("", text)
    return text


_FOOTNOTE = re.compile(r"^[ \t]*(\d{1,2})[ \t]+(?=[A-Z])([^\n]{30,})$", re.MULTILINE)


def remove_footnotes(text: str) -> tuple[str, tuple[str, ...]]:
    """Drop page footnotes ("1 All references to Kosovo ...") and their markers ("Kosovo1").

    A line "N Text" counts as a footnote only when the text also carries its marker: a word
    directly followed by the same number ("Kosovo1,"), so numbered lists are never touched.
    """
    notes: list[str] = []
    searched_from: dict[str, int] = {}  # one marker per footnote
    for match in list(_FOOTNOTE.finditer(text))[:20]:
        number = match.group(1)
        marker = re.compile(rf"(?<=[a-z\)]){number}(?=[\s.,;:)])")
        if not marker.search(text, searched_from.get(number, 0), match.start()):
            continue
        searched_from[number] = match.end()
        notes.append(match.group(0).strip())
    for note in notes:
        number = note.split(None, 1)[0]
        text = re.sub(rf"^[ \t]*{re.escape(note)}[ \t]*$", "", text, count=1, flags=re.MULTILINE)
        text = re.sub(rf"(?<=[a-z\)]){number}(?=[\s.,;:)])", "", text)
    return text, tuple(notes)

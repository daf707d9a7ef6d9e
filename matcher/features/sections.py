"""Layout-independent pieces of notice parsing: headings, lists, run-on duties, footers, dates.

Everything here works line by line or with bounded regular expressions, so the cost stays linear
in the input size (a 10 MB single line parses in well under a second per step).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from matcher.features.dates import MONTHS

__all__ = [
    "Section",
    "ListSplit",
    "match_heading",
    "split_sections",
    "rejoin_page_breaks",
    "split_list",
    "split_run_on",
    "cut_boilerplate",
    "cut_more_information",
    "parse_key_values",
    "parse_date",
    "seconded_blocks",
    "is_lead_in",
    "clean_item",
    "paragraphs",
    "SECONDED_BLOCKS",
]

# --------------------------------------------------------------------------- headings

#: heading text (lower case, no trailing colon) -> (section kind, canonical name)
_ALIASES: dict[str, tuple[str, str]] = {}


def _alias(kind: str, canonical: str, *names: str) -> None:
    for name in (canonical, *names):
        _ALIASES[name.lower()] = (kind, canonical)


_alias("background", "Background", "organizational setting", "organisational setting", "context",
       "about the position", "about the role", "the position", "position background",
       "org. setting and reporting", "organizational setting and reporting",
       "organisational setting and reporting", "job summary", "summary", "purpose of the position",
       "purpose of the post", "introduction", "about the job", "organizational context",
       "organisational context", "background information", "job purpose")
_alias("duties", "Tasks and Responsibilities", "duties and responsibilities", "main tasks",
       "main duties", "key responsibilities", "main responsibilities", "responsibilities",
       "duties", "tasks", "your tasks", "your responsibilities", "the job",
       "summary of duties", "functions", "main functions", "key duties and responsibilities",
       "tasks & responsibilities", "duties & responsibilities", "main duties and responsibilities",
       "key duties", "what you will do", "your role", "accountabilities", "key accountabilities",
       "functional responsibilities", "specific duties", "description of duties",
       "duties and responsibilities of the position", "key tasks")
_alias("qualifications", "Necessary Qualifications", "required qualifications", "qualifications",
       "requirements", "qualifications and experience", "minimum requirements",
       "required qualifications and experience", "qualification requirements",
       "education and experience", "the person we are looking for should have",
       "necessary qualifications and experience", "your profile",
       "candidate profile", "desired qualifications", "minimum qualifications",
       "required skills and experience", "qualifications/special skills",
       "qualifications and skills", "skills and experience", "requirements and qualifications",
       "essential requirements", "essential qualifications")
# further qualification headings that name their block ("Education", "Languages", ...)
for _name in ("Education", "Work Experience", "Experience", "Languages", "Language Skills",
              "Language Requirements", "Skills", "Competencies", "Required Competencies",
              "Desirable Qualifications", "Desirable", "Other Skills", "Computer Skills",
              "Professional Experience", "Skills and Competencies", "Key Competencies",
              "Technical Competencies", "Desirable Skills", "Essential Criteria",
              "Desirable Criteria", "Language",
              "Assets", "Additional Requirements"):
    _alias("qualifications", _name)
_alias("seconded", "General Minimum Requirements")
_alias("seconded", "Field of Expertise Requirements")
_alias("seconded", "Level of Professional Competence Requirements")
_alias("seconded", "Mission Specific Requirements")
_alias("footer", "Additional Information")
_alias("application", "How to Apply", "application procedure", "how to apply?",
       "application instructions", "to apply")
# sections that are neither background, duties nor qualifications: kept in ``text`` only
_alias("other", "Remuneration Package", "remuneration", "salary", "salary and benefits",
       "conditions of employment", "conditions of service", "benefits", "what we offer",
       "assessment", "special notice", "united nations considerations", "no fee",
       "disclaimer", "equal opportunity", "contract duration", "remuneration and benefits")

# the same headings in French, German and Russian (notices of the OSCE's field operations
# and of partner organisations are sometimes published in these languages)
_alias("background", "Background", "contexte", "contexte général", "hintergrund",
       "общая информация", "контекст")
_alias("duties", "Tasks and Responsibilities", "tâches et responsabilités",
       "fonctions et responsabilités", "principales tâches", "aufgaben",
       "aufgaben und verantwortlichkeiten", "ihre aufgaben", "обязанности",
       "задачи и обязанности", "функциональные обязанности", "основные обязанности")
_alias("qualifications", "Necessary Qualifications", "qualifications requises",
       "qualifications nécessaires", "profil requis", "anforderungen", "qualifikationen",
       "ihr profil", "требования", "квалификационные требования", "требования к кандидату")

#: canonical names that introduce the whole qualifications section (not one block of it)
MAIN_QUALIFICATION_HEADINGS = frozenset({"Necessary Qualifications"})

SECONDED_BLOCKS: tuple[str, ...] = (
    "General Minimum Requirements",
    "Field of Expertise Requirements",
    "Level of Professional Competence Requirements",
    "Education",
    "Experience",
    "Mission Specific Requirements",
    "Mandatory",
    "Desirable",
)

_HEADING_TRIM = " \t#*|:.…-–—_"
_ENUMERATOR_STARTS = frozenset("0123456789ivxabcdefgh")
_ENUMERATOR = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*|[ivx]{1,4}|[a-h])[.)]?\s+")
_INLINE_HEADING = re.compile(r"^[ \t#*|]*([A-Za-z][A-Za-z &/]{2,60}?)[ \t]*:[ \t]*(\S.*)$")


def _normalise_heading(line: str) -> str:
    return " ".join(line.strip().strip(_HEADING_TRIM).split()).lower()


def match_heading(line: str, *, in_qualifications: bool = False) -> tuple[str, str, str] | None:
    """``(kind, canonical name, inline rest)`` when ``line`` is a section heading, else None.

    ``"Tasks and Responsibilities:"``, ``"## Background"``, ``"2. Duties"`` and
    ``"Background: The post ..."`` (inline text after the colon) all match. A block heading
    with inline text ("Education: Master's degree ...") counts only ``in_qualifications``: in a
    header it is a ``Key: value`` pair.
    """
    if not line.strip():
        return None
    if len(line) <= 120:
        key = _normalise_heading(line)
        hit = _ALIASES.get(key)
        if hit is None and key[:1] in _ENUMERATOR_STARTS:
            hit = _ALIASES.get(_ENUMERATOR.sub("", key, count=1))
        if hit:
            return hit[0], hit[1], ""
    if ":" not in line[:200]:
        return None
    m = _INLINE_HEADING.match(line[:200])
    if m:
        hit = _ALIASES.get(" ".join(m.group(1).split()).lower())
        if hit and (
            hit[0] in ("background", "duties")
            or hit[1] in MAIN_QUALIFICATION_HEADINGS
            or (hit[0] == "qualifications" and in_qualifications)
        ):
            return hit[0], hit[1], line[m.start(2):].strip()
    return None


@dataclass
class Section:
    kind: str
    name: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


_FOOTER_INLINE = re.compile(r"^(.*?[.!?])[ \t]+Additional Information[ \t]*:?[ \t]*$")


def split_sections(lines: Sequence[str]) -> tuple[list[str], list[Section]]:
    """Split lines at headings: ``(preamble lines, [Section...])`` in source order.

    "Additional Information" glued to the end of a paragraph (as scraped from the OSCE site)
    also opens the footer.
    """
    preamble: list[str] = []
    sections: list[Section] = []
    for line in lines:
        inside = bool(sections) and sections[-1].kind in ("qualifications", "seconded")
        head = match_heading(line, in_qualifications=inside)
        if head is None and "Additional Information" in line:
            m = _FOOTER_INLINE.match(line)
            if m:
                (sections[-1].lines if sections else preamble).append(m.group(1))
                sections.append(Section("footer", "Additional Information"))
                continue
        if head is not None:
            kind, name, rest = head
            sections.append(Section(kind, name, [rest] if rest else []))
            continue
        (sections[-1].lines if sections else preamble).append(line)
    return preamble, sections


# --------------------------------------------------------------------------- paragraphs & lists

_NUM = re.compile(r"^([ \t]*)\(?(\d{1,2})[.)](?:[ \t]+|(?=[A-Z]))(\S.*)$")
_LETTER = re.compile(r"^([ \t]*)\(?([a-h]|i{1,3}|iv|v|vi{1,3})[.)][ \t]+(\S.*)$")
_BULLET = re.compile(
    "^([ \\t]*)([-*•·▪‣◦●■□➢➤►✓✔–—]|o(?=[ \\t])|\uf0b7|\uf0a7|\uf076|\uf0d8|\uf0fc)[ \\t]+(\\S.*)$"
)
_BULLET_ALONE = re.compile("^[ \\t]*([-*•·▪‣◦●■□➢➤►✓✔–—]|\uf0b7|\uf0a7)[ \\t]*$")


def _classify(line: str) -> tuple[str, int, str, str]:
    """(kind, indent, marker, content) with kind in num/letter/bullet/text."""
    m = _NUM.match(line)
    if m:
        return "num", len(m.group(1).expandtabs(4)), m.group(2), m.group(3).strip()
    m = _BULLET.match(line)
    if m:
        return "bullet", len(m.group(1).expandtabs(4)), m.group(2), m.group(3).strip()
    m = _LETTER.match(line)
    if m:
        return "letter", len(m.group(1).expandtabs(4)), m.group(2), m.group(3).strip()
    return "text", len(line) - len(line.lstrip()), "", line.strip()


def merge_lone_bullets(lines: Sequence[str]) -> list[str]:
    """Join a bullet marker alone on its line with the text on the next line; drop empty ones."""
    out: list[str] = []
    pending: str | None = None
    for line in lines:
        if _BULLET_ALONE.match(line):
            pending = line.strip()
            continue
        if pending is not None:
            if line.strip() and _classify(line)[0] == "text" and match_heading(line) is None:
                out.append(f"{pending} {line.strip()}")
                pending = None
                continue
            if not line.strip():
                continue  # wait for the text
            pending = None
        out.append(line)
    return out


_TERMINAL = tuple(".;:!?)\"”’]")
_FUNCTION_WORDS = frozenset(
    "a an the to of in on at by for from with and or as that which who whose between into "
    "onto their its his her our your this these those such including than both either".split()
)


def _ends_open(text: str) -> bool:
    """True when a paragraph stops mid-sentence (a page break, not an end)."""
    text = text.rstrip()
    if not text or text.endswith(_TERMINAL):
        return False
    return True


def _continues(prev: str, nxt: str) -> bool:
    if not _ends_open(prev) or match_heading(prev) is not None:
        return False
    first = nxt.lstrip()
    if not first or _classify(nxt)[0] != "text" or match_heading(nxt) is not None:
        return False
    last_word = prev.rstrip().rsplit(None, 1)[-1].lower()
    return first[0].islower() or last_word in _FUNCTION_WORDS


def rejoin_page_breaks(lines: Sequence[str]) -> list[str]:
    """Join a paragraph that stops mid-sentence with the next one across blank lines.

    Brochures converted from PDF break "... vulnerabilities that lead" / "" / "to child
    trafficking ..." at page ends; the continuation starts in lower case or follows a function
    word ("... to contribute to" / "Desk's analysis").
    """
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        out.append(line)
        i += 1
        if not line.strip():
            continue
        j = i
        while j < n and not lines[j].strip():
            j += 1
        if j > i and j < n and _continues(line, lines[j]):
            out[-1] = line.rstrip() + " " + lines[j].strip()
            i = j + 1
            # the joined line may itself continue
            while i < n:
                k = i
                while k < n and not lines[k].strip():
                    k += 1
                if k > i and k < n and _continues(out[-1], lines[k]):
                    out[-1] = out[-1].rstrip() + " " + lines[k].strip()
                    i = k + 1
                else:
                    break
    return out


def paragraphs(lines: Iterable[str]) -> list[str]:
    """Paragraphs, each joined into one line.

    Blank lines separate paragraphs; so does a line break after a finished sentence when every
    line of the group ends one (scraped pages put one paragraph per line, without blank lines),
    while hard-wrapped text (lines that stop mid-sentence) is joined back.
    """
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if not current:
            return
        if len(current) > 1 and all(not _ends_open(line) for line in current[:-1]):
            out.extend(current)
        else:
            out.append(" ".join(current))
        current.clear()

    for line in lines:
        if line.strip():
            current.append(line.strip())
        else:
            flush()
    flush()
    return out


@dataclass
class ListSplit:
    """A section split into the text before its list, the list items and the text after it."""

    intro: list[str]
    items: list[str]
    outro: list[str]


def split_list(lines: Sequence[str]) -> ListSplit:
    """Find the list in ``lines``: numbered items win, bullets are then their sub-items.

    Sub-bullets stay with their parent item (joined as ``"\\n- sub"``); a text line right under
    an item continues it; a paragraph between two items belongs to the earlier one; the first
    paragraph after the last item closes the list.
    """
    entries: list[tuple[str, int, str, str, bool, str]] = []
    blank = True
    for raw in lines:
        if not raw.strip():
            blank = True
            continue
        kind, indent, marker, content = _classify(raw)
        entries.append((kind, indent, marker, content, blank, raw))
        blank = False
    numbered = any(e[0] == "num" for e in entries)
    bullets = [e for e in entries if e[0] == "bullet"]
    top_indent = min((e[1] for e in bullets), default=0)
    top_marker = bullets[0][2] if bullets else ""

    def is_top(e: tuple[str, int, str, str, bool, str]) -> bool:
        if numbered:
            return e[0] == "num" and e[1] <= 4
        return e[0] == "bullet" and e[1] <= top_indent + 1 and (
            e[2] == top_marker or top_marker in "-–—" and e[2] in "-–—"
        )

    tops = [i for i, e in enumerate(entries) if is_top(e)]
    if not tops:
        return ListSplit(list(lines), [], [])
    first, last = tops[0], tops[-1]
    intro = [e[5] for e in entries[:first]]
    items: list[list[str]] = []
    outro: list[str] = []
    closed = False
    for i in range(first, len(entries)):
        kind, _indent, _marker, content, after_blank, raw = entries[i]
        if closed:
            outro.append(raw)
            continue
        if is_top(entries[i]):
            items.append([content])
            continue
        if kind != "text":
            items[-1].append(f"- {content}")
            continue
        if not after_blank or _continues(items[-1][-1], raw):
            items[-1][-1] = f"{items[-1][-1]} {content}"
            continue
        if i < last:
            items[-1].append(content)
            continue
        closed = True
        outro.append(raw)
    return ListSplit(intro, ["\n".join(clean_item(p) for p in parts) for parts in items], outro)


_TRAILING_WORDS = ("and", "or")


def clean_item(text: str) -> str:
    """Trim one duty: no trailing ``;``/``,``/``; and``, single spaces.

    Written as a loop, not a regular expression: a pattern like ``(?:[\\s;,]+(?:and)?)+$``
    backtracks exponentially on a long run of "; ; ; " inside the text.
    """
    text = " ".join(text.split())
    while True:
        stripped = text.rstrip(" ;,")
        words = stripped.rsplit(" ", 1)
        if len(words) == 2 and words[1] in _TRAILING_WORDS and words[0].endswith((";", ",")):
            stripped = words[0].rstrip(" ;,")  # "...; and" closing a list item
        if stripped == text:
            return text.strip()
        text = stripped


_RUN_ON_MARKS = re.compile(r"[()\[\]{};]")


def split_run_on(paragraph: str) -> list[str]:
    """Split "Leading ...; Overseeing ...; ensuring ..." at ``;`` before a capital letter.

    A ``;`` inside brackets, or one followed by a lower-case word, does not start a new duty.
    """
    parts: list[str] = []
    depth = 0
    start = 0
    n = len(paragraph)
    for m in _RUN_ON_MARKS.finditer(paragraph):
        ch = m.group()
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0:
            j = m.end()
            while j < n and paragraph[j] in " \t":
                j += 1
            if j < n and paragraph[j].isupper():
                parts.append(paragraph[start:m.start()])
                start = j
    parts.append(paragraph[start:])
    return [p for p in (clean_item(p) for p in parts) if p]


_LEAD_IN = re.compile(
    r"(?:\bfollowing\s+(?:main\s+|key\s+)?(?:duties|tasks|responsibilities|functions)\b"
    r"|\btasked\s+with\s+the\s+following\b"
    r"|\b(?:duties|tasks|responsibilities)\s+(?:will\s+|shall\s+)?include\b"
    r"|\bwill\s+(?:perform|execute|carry\s+out|be\s+responsible\s+for)\s+the\s+following\b)",
    re.IGNORECASE,
)


def is_lead_in(paragraph: str) -> bool:
    """"Under the supervision of ..., you will perform the following duties:" and the like."""
    text = paragraph.strip()
    if len(text) > 600:
        return False
    return bool(_LEAD_IN.search(text)) or text.endswith(":")


_LEAD_IN_PREFIX = re.compile(
    r"^(.{0,400}?\bfollowing\s+(?:duties|tasks|responsibilities)\b[^:\n]{0,120}:)\s*(\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


def split_leading_lead_in(item: str) -> tuple[str, str]:
    """First item that starts with its lead-in ("Under ...: Monitoring ...") -> (lead-in, item)."""
    m = _LEAD_IN_PREFIX.match(item)
    if not m:
        return "", item
    return m.group(1).strip(), m.group(2).strip()


# --------------------------------------------------------------------------- boilerplate

_BOILERPLATE = re.compile(
    r"(?:^|(?<=[.!?:])[ \t]+)(?:"
    r"If you wish to apply\b|The OSCE retains the discretion\b|"
    r"Only (?:shortlisted|short-listed|those) (?:applicants|candidates)\b|"
    r"Please note that vacancies in the\b|The OSCE is committed to diversity\b|"
    r"Please be aware that (?:the OSCE|OSCE)\b|Please apply to your relevant authorities\b|"
    r"You can apply here\b|This (?:project|position) is funded by\s*:|"
    r"Candidates should be aware that OSCE officials\b|"
    r"The OSCE is a non-career organi[sz]ation\b|"
    r"Applications? (?:must|should) be (?:submitted|sent|received)\b|"
    r"Interested (?:candidates|applicants) (?:should|are (?:invited|requested))\b|"
    r"How to apply\b|To apply,? (?:please|visit|go)\b"
    r")",
    re.MULTILINE,
)


def cut_boilerplate(text: str) -> tuple[str, str]:
    """``(content, application boilerplate)``: the "If you wish to apply..." tail is not content."""
    m = _BOILERPLATE.search(text)
    if not m:
        return text.strip(), ""
    return text[: m.start()].strip(), text[m.start():].strip()


_MORE_INFO = re.compile(
    r"For (?:more|further) (?:detailed )?information (?:on|about) (?:the )?(?:structure|work)\b",
    re.IGNORECASE,
)


def cut_more_information(text: str) -> tuple[str, str]:
    """Cut "For more detailed information on the structure and work of ..." (and what follows)."""
    m = _MORE_INFO.search(text)
    if not m:
        return text, ""
    return text[: m.start()].rstrip(), text[m.start():].strip()


# --------------------------------------------------------------------------- key: value metadata

#: footer keys of the OSCE vacancy pages (and a few common elsewhere)
FOOTER_KEYS: tuple[str, ...] = (
    "Issued by", "Requisition ID", "Contract Type", "Grade", "Job Level", "Job Type",
    "Number of posts", "Location", "Issue Date", "Closing Date", "Employee Status", "Schedule",
    "Education Level", "Target Start Date", "Field of Expertise", "Vacancy Number",
    "Vacancy Type", "Duty Station", "Type of Appointment", "Date of Entry on Duty",
    "Deadline for application", "Deadline for Applications", "Application Deadline",
    "Vacancy Notice Number", "Reference Number", "Posting Date", "Expected Start Date",
    "Duration of Assignment", "Duration", "Salary", "Remuneration", "Post Level", "Org. Setting",
    "Country(s) that the job is based in", "Functional Level", "Job Field", "Type of Employment",
    "Seconding Organization", "Contract Duration", "Minimum Education",
    "Language Requirements", "Job Category", "Job Family", "Date of Issue", "Start Date",
)
_FOOTER_RE = re.compile(
    r"(?<![\w])("
    + "|".join(re.escape(k) for k in sorted(FOOTER_KEYS, key=len, reverse=True))
    + r")[ \t]*:",
    re.IGNORECASE,
)
_CANONICAL_KEY = {k.lower(): k for k in FOOTER_KEYS}
_KEY_LINE = re.compile(
    r"^[ \t]*(?:"
    + "|".join(re.escape(k) for k in sorted(FOOTER_KEYS, key=len, reverse=True))
    + r")[ \t]*:[ \t]*\S",
    re.IGNORECASE,
)


def is_key_line(line: str) -> bool:
    """A line that starts with a known footer key ("Closing Date: Aug 20, 2025")."""
    return len(line) < 300 and _KEY_LINE.match(line) is not None


def parse_key_values(text: str) -> dict[str, str]:
    """Known ``Key: value`` pairs, inline ("Grade: S Job Type: Seconded") or one per line."""
    out: dict[str, str] = {}
    matches = list(_FOOTER_RE.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = " ".join(text[m.end(): end].split()).strip(" ;,|")
        key = _CANONICAL_KEY[m.group(1).lower()]
        if value and key not in out:
            out[key] = value
    return out


_HEADER_KV = re.compile(r"^[ \t]*([A-Z][A-Za-z()'’/ .-]{1,60}?)[ \t]*:[ \t]*(.*)$")


def parse_header_key_values(lines: Sequence[str]) -> tuple[dict[str, str], set[int]]:
    """``Key: value`` lines of a preamble, the value possibly on the next line.

    Returns the pairs and the indices of the lines they used.
    """
    out: dict[str, str] = {}
    used: set[int] = set()
    for i, line in enumerate(lines):
        if len(line) > 200:
            continue
        m = _HEADER_KV.match(line)
        if not m or len(m.group(1).split()) > 8:
            continue
        key, value = m.group(1).strip(), m.group(2).strip()
        if not value and i + 1 < len(lines):
            nxt = lines[i + 1].strip()
            if nxt and len(nxt) <= 80 and not nxt.endswith((".", ":")) and ":" not in nxt:
                value = nxt
                used.add(i + 1)
        used.add(i)
        if value:
            out.setdefault(key, value)
    return out, used


_WEEKDAY = re.compile(
    r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE
)
_D_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_D_NUM = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_D_MDY = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_D_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4})\b")


def parse_date(value: str) -> date | None:
    """Parse the dates of vacancy notices ("Jul 23, 2025", "21 Jan 2019", ISO, 21.01.2019)."""
    s = _WEEKDAY.sub("", value.strip())
    try:
        if m := _D_ISO.match(s):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _D_NUM.match(s):  # European order: day first
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if (m := _D_MDY.match(s)) and m.group(1).lower() in MONTHS:
            return date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
        if (m := _D_DMY.match(s)) and m.group(2).lower() in MONTHS:
            return date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None
    return None


# --------------------------------------------------------------------------- seconded-post blocks

_SECONDED_HEAD = re.compile(
    r"^[ \t|]*(General Minimum Requirements|Field of Expertise Requirements"
    r"|Level of Professional Competence Requirements|Mission Specific Requirements)"
    r"[ \t]*[:|]?[ \t]*(?:\||$)?",
    re.IGNORECASE | re.MULTILINE,
)
_SUB_HEAD = re.compile(
    r"(?:^[ \t]*(Education|Experience|Mandatory|Desirable)[ \t]*:?[ \t]*$"
    r"|(?<![^\s:|])(Education|Experience|Mandatory|Desirable)[ \t]*:)",
    re.MULTILINE,
)
_BLOCK_LEAD_IN = re.compile(
    r"^[ \t]*(?:The|Furthermore|Additionally|In addition)\b[^:\n]{0,400}:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
_LEAD_IN_WORDS = re.compile(r"\b(?:requirements?|requires?|following)\b", re.IGNORECASE)


def _drop_lead_in(m: re.Match[str]) -> str:
    """"The general minimum requirements ... are:" goes; "The OSCE: ..." (no such word) stays."""
    return "" if _LEAD_IN_WORDS.search(m.group(0)) else m.group(0)


_CANON_BLOCK = {name.lower(): name for name in SECONDED_BLOCKS}


def _clean_block(text: str) -> str:
    text = _BLOCK_LEAD_IN.sub(_drop_lead_in, text)
    lines = [ln.rstrip(" \t|") for ln in text.split("\n")]
    lines = merge_lone_bullets([ln for ln in lines if ln.strip(" \t|")])
    return "\n".join(ln.strip() for ln in lines).strip()


def seconded_blocks(text: str) -> dict[str, str]:
    """The OSCE seconded-post requirement blocks, in source order, lead-in sentences removed.

    Keys come from :data:`SECONDED_BLOCKS`; a block with no text of its own (only its lead-in,
    e.g. "Furthermore, this level of responsibility requires the following:") is left out.
    """
    marks: list[tuple[int, int, str]] = []
    for m in _SECONDED_HEAD.finditer(text):
        marks.append((m.start(), m.end(), _CANON_BLOCK[" ".join(m.group(1).split()).lower()]))
    for m in _SUB_HEAD.finditer(text):
        name = m.group(1) or m.group(2)
        marks.append((m.start(), m.end(), name))
    marks.sort()
    blocks: dict[str, str] = {}
    for i, (_start, end, name) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        body = _clean_block(text[end:stop])
        if body:
            blocks[name] = f"{blocks[name]}\n{body}" if name in blocks else body
    return blocks


def has_seconded_layout(text: str) -> bool:
    return len({m.group(1).lower() for m in _SECONDED_HEAD.finditer(text)}) >= 2 or bool(
        re.search(r"General Minimum Requirements|Mission Specific Requirements", text)
    )

"""Segmentation: a qualifications text into blocks ("Mandatory:", "Desirable:", the seconded-post
headings) and items, and the markers every part shares: "an asset", "desirable", "preferred" mark
an item as not required, and an evidence span is cut exactly from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.types import Evidence

__all__ = [
    "PREF",
    "PREF_RE",
    "ASSET_LEAD_RE",
    "SENTENCE_END_RE",
    "LEADIN_RE",
    "Item",
    "split_items",
    "qualification_start",
    "qualification_end",
    "clause_end",
    "exact_evidence",
]

PREF = (
    r"\b(?:(?:would|will)\s+be\s+(?:an?\s+)?(?:definite\s+|distinct\s+|strong\s+)?(?:asset|advantage|plus)"
    r"|(?:an?\s+)?(?:definite\s+|distinct\s+|added\s+|strong\s+)?(?:asset|advantage)\b"
    r"|advantageous|desirable|desired|(?:strongly\s+)?preferred"
    r"|an?\s+plus|nice\s+to\s+have|added\s+value|beneficial|optional)"
)
PREF_RE = re.compile(PREF, re.IGNORECASE)
ASSET_LEAD_RE = re.compile(
    r"^\W*(?:desirable|preferred|preferabl[ey]|assets?|advantage|optional|nice to have|ideally)\b",
    re.IGNORECASE,
)


SENTENCE_END_RE = re.compile(r"[;]|\.(?=\s|$)")


def clause_end(text: str, pos: int, end: int) -> int:
    m = re.compile(r"[;,.](?=\s|$)|\n").search(text, pos, end)
    return m.start() if m else end


def exact_evidence(text: str, start: int, end: int, source: str) -> Evidence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return Evidence(text[start:end], start, end, source)


# --------------------------------------------------------------------------- segmentation

_HEADER_NAMES: tuple[tuple[str, str, str], ...] = (
    # (regex, kind, name); kind "major" resets the sub-block
    (r"general\s+minimum\s+requirements", "major", "general"),
    (r"field\s+of\s+expertise\s+requirements", "major", "field"),
    (r"level\s+of\s+professional\s+competence\s+requirements", "major", "level"),
    (r"mission\s+specific\s+requirements", "major", "mission"),
    (
        r"(?:preferred|desired|desirable|additional|optional)\s+(?:qualifications|requirements|skills)",
        "major",
        "preferred",
    ),
    (
        r"(?:necessary|required|minimum|basic|essential|key|general)\s+(?:qualifications|requirements)"
        r"(?:\s+and\s+\w+)?|qualifications(?:\s+and\s+(?:experience|skills|competencies))?|requirements",
        "major",
        "qualifications",
    ),
    (r"education(?:al\s+background)?|academic\s+qualifications", "minor", "education"),
    (r"(?:work\s+|professional\s+)?experience", "minor", "experience"),
    (r"languages?(?:\s+skills|\s+requirements?)?", "minor", "languages"),
    (r"mandatory|required", "minor", "mandatory"),
    (r"desirable|optional|assets?|preferred|advantageous", "minor", "desirable"),
    (r"competencies|skills", "minor", "competencies"),
)
_HEADER_ALTS = "|".join(f"(?P<h{i}>{p})" for i, (p, _, _) in enumerate(_HEADER_NAMES))
_OWNLINE_HEADER_RE = re.compile(
    rf"(?im)^[ \t]*(?:[#*•|-]+[ \t]*)?(?:{_HEADER_ALTS})[ \t]*[:|]?[ \t|]*$"
)
_INLINE_HEADER_RE = re.compile(
    r"(?<![\w-])(?P<h>Education|EDUCATION|Experience|EXPERIENCE|Mandatory|MANDATORY|Desirable"
    r"|DESIRABLE|Languages?|LANGUAGES?|Optional|Assets?)[ \t]*:"
    r"|(?P<major>General Minimum Requirements|Field [Oo]f Expertise Requirements"
    r"|Level [Oo]f Professional Competence Requirements|Mission Specific Requirements)\b[ \t:|]*"
    # "... in English and German..Preferred Qualifications": a heading glued to the last item
    r"|(?<=[.)])(?P<pref>Preferred|PREFERRED|Desired|DESIRED)[ \t]+"
    r"(?:Qualifications|QUALIFICATIONS)\b[ \t:]*"
)
_QUAL_START_RE = re.compile(
    r"(?im)^[ \t]*(?:general\s+minimum\s+requirements"
    r"|(?:necessary|required|minimum|basic|essential)\s+qualifications"
    r"|qualifications(?:\s+and\s+experience)?[ \t]*:?[ \t]*$|requirements[ \t]*:?[ \t]*$"
    r"|the\s+person\s+we\s+are\s+looking\s+for|(?:candidates?|applicants?)\s+(?:should|must)\s+have)"
)

_CUT_RE = re.compile(
    r"\n[ \t]*\n"
    r"|[;|]"
    r"|(?m:^[ \t]*(?:[-–•·▪◦*●○■□➢►✓]|\d{1,2}[.)](?!\d)|[a-h][)])[ \t]*)"
    r"|[ \t]+[•·▪●■►➢][ \t]*"
    r"|(?<=[a-z),])[ \t]+[-–][ \t]+(?=[A-Z])"
    r"|(?<=[.!?])[ \t]+(?=[A-Z0-9(\"“])"
    r"|\n"
    r"|(?<=[a-z]{3})(?=[A-Z][a-z])"
    r"|(?<=[a-z)\]])(?<!\ba)(?<!\ban)(?<!\bthe)(?<!\bof)(?<!\bin)(?<!\bfrom)(?<!\bat)(?<!\bwith)(?<!\band)"
    r"(?<!\bor)(?<!\bto)(?<!\bfor)(?<!\bby)(?<!\bon)(?<!\bas)(?<!\baccredited)(?<!\brecognized)(?<!\brecognised)"
    r"(?<!\brelevant)(?<!\bany)(?<!\bother)[ \t]+"
    r"(?=(?:Ability|Able|Possession|Excellent|Knowledge|Experience|Diplomatic"
    r"|Demonstrable|Demonstrated|Good|Very\s+good|Proven|Strong|Some|Minimum|Fluency|Fluent|Previous"
    r"|Prior|Significant|Willingness|Digital|University|Advanced|Work\s+experience|Sound|Solid|Thorough"
    r"|In-depth|Familiarity|Understanding|Commitment|Capacity|Regional|Extensive|Graduation"
    r"|Second-level|First-level|Proficiency|Proficient|Outstanding|Sensitivity|Awareness|Flexibility"
    r"|Readiness|Certified|Negotiating|Consistent|Comfortable|Interest)\b)"
)
_ABBREV_END_RE = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|incl|approx|cf|vs|Mr|Ms|Mrs|Dr|No|St|Prof)\.|\b[A-Z]\.)$"
)
_CONTINUE_END_RE = re.compile(
    r"(?:\b(?:or|and|of|in|the|a|an|with|for|to|on|at|by|including|as)|[,(/&])[ \t]*$",
    re.IGNORECASE,
)
LEADIN_RE = re.compile(
    r":\s*$|\brequirements\s+(?:for|are|include)|\brequires\s+the\s+following\b|\bspecific\s+requirements\b"
    r"|\blooking\s+for\s+should\s+have\b|\bshould\s+have\W*$|\bthe\s+following\W*$",
    re.IGNORECASE,
)
_MAX_ITEM = 1200
_STRIP_CHARS = " \t\r\n-–—•·▪◦*●○■□➢►✓|;,"


@dataclass(slots=True)
class Item:
    start: int
    end: int
    block: str  # sub-block name or major name
    major: str
    required: bool
    segment: int = 0


def _segments(text: str, lo: int, hi: int) -> list[tuple[int, int, str, str, bool]]:
    """(start, end, minor, major, required) text runs between headers."""
    headers: list[tuple[int, int, str, str]] = []  # start, end, kind, name
    for m in _OWNLINE_HEADER_RE.finditer(text, lo, hi):
        for i, (_, kind, name) in enumerate(_HEADER_NAMES):
            if m.group(f"h{i}") is not None:
                headers.append((m.start(), m.end(), kind, name))
                break
    for m in _INLINE_HEADER_RE.finditer(text, lo, hi):
        if any(s <= m.start() < e for s, e, _, _ in headers):
            continue
        if m.group("pref"):
            headers.append((m.start(), m.end(), "major", "preferred"))
            continue
        if m.group("major"):
            low = m.group("major").lower()
            major_name = next(
                n
                for key, n in (
                    ("general", "general"),
                    ("field", "field"),
                    ("level", "level"),
                    ("mission", "mission"),
                )
                if low.startswith(key)
            )
            headers.append((m.start(), m.end(), "major", major_name))
            continue
        word = (m.group("h") or "").lower()
        if word.startswith("educ"):
            name = "education"
        elif word.startswith("exper"):
            name = "experience"
        elif word.startswith("lang"):
            name = "languages"
        elif word == "mandatory":
            name = "mandatory"
        else:
            name = "desirable"
        if any(s <= m.start() < e for s, e, _, _ in headers):
            continue
        headers.append((m.start(), m.end(), "minor", name))
    headers.sort()
    out: list[tuple[int, int, str, str, bool]] = []
    major, minor = "", ""
    pos = lo
    for s, e, kind, name in headers:
        if s > pos:
            out.append((pos, s, minor, major, major != "preferred" and minor != "desirable"))
        if kind == "major":
            major, minor = name, ""
        else:
            minor = name
        pos = max(pos, e)
    if pos < hi:
        out.append((pos, hi, minor, major, major != "preferred" and minor != "desirable"))
    return out


def split_items(text: str, lo: int, hi: int) -> list[Item]:
    items: list[Item] = []
    for seg_no, (s, e, minor, major, required) in enumerate(_segments(text, lo, hi)):
        cuts = [s]
        for m in _CUT_RE.finditer(text, s, e):
            tok = m.group(0)
            if tok == "":
                # "conditionPossession": two items glued; "PowerPoint", "eLearning" stay whole
                k = m.start()
                while k > s and text[k - 1].isalpha():
                    k -= 1
                if not text[k : m.start()].islower():
                    continue
            elif tok == "\n":
                before = text[max(cuts[-1], m.start() - 40) : m.start()]
                after = text[m.end() : m.end() + 2]
                if _CONTINUE_END_RE.search(before) or (after[:1].islower()):
                    continue
            elif tok.strip() == "" and text[m.start() - 1 : m.start()] in ".!?":
                if _ABBREV_END_RE.search(text[max(s, m.start() - 8) : m.start()]):
                    continue
            cuts.append(m.start())
            cuts.append(m.end())
        cuts.append(e)
        for a, b in zip(cuts[0::2], cuts[1::2], strict=False):
            while a < b and text[a] in _STRIP_CHARS:
                a += 1
            while b > a and text[b - 1] in _STRIP_CHARS:
                b -= 1
            if b - a < 3 or not any(ch.isalpha() for ch in text[a:b]):
                continue
            while b - a > _MAX_ITEM:  # no real requirement is this long: cut at a space
                cut = text.rfind(" ", a + _MAX_ITEM // 2, a + _MAX_ITEM)
                cut = cut if cut != -1 else a + _MAX_ITEM
                items.append(Item(a, cut, minor or major, major, required, seg_no))
                a = cut + 1
            items.append(Item(a, b, minor or major, major, required, seg_no))
    return items


_QUAL_END_RE = re.compile(
    r"(?im)^[ \t]*(?:if\s+you\s+wish\s+to\s+apply|how\s+to\s+apply"
    r"|the\s+osce\s+retains\s+the\s+discretion"
    r"|only\s+(?:those\s+)?(?:candidates|shortlisted\s+applicants)|remuneration\s+package|additional\s+information"
    r"|please\s+apply\s+to\s+your\s+relevant|tasks\s+and\s+responsibilities|duties\s+and\s+responsibilities"
    r"|closing\s+date|deadline\s+for\s+application|you\s+can\s+apply\s+here)"
)


def qualification_end(text: str, lo: int) -> int:
    """Where application boilerplate starts after the qualifications of a whole notice; else len."""
    m = _QUAL_END_RE.search(text, lo)
    if m and text[lo : m.start()].strip():
        return m.start()
    return len(text)


def qualification_start(text: str) -> int:
    """Where the qualifications begin when a whole notice (duties first) is passed; else 0."""
    m = _QUAL_START_RE.search(text)
    if m and text[: m.start()].strip():
        return m.start()
    return 0

"""Parse vacancy notices into :class:`~matcher.types.Vacancy` records.

Three layouts occur in OSCE material and all go through the same steps (repair the text, drop
job-board debris, find the sections, split the duties, read the footer):

* the 2025 vacancy pages: ``Background:`` / ``Tasks and Responsibilities:`` /
  ``Necessary Qualifications:`` and an ``Additional Information`` footer of ``Key: value`` pairs,
  duties run together in one paragraph separated by ``;``;
* older notices: headings without colons, ``•`` bullet duties, ``Deadline for application:``;
* the seconded-post requirement layout (General Minimum Requirements, Field of Expertise
  Requirements, Level of Professional Competence Requirements with Education:/Experience:,
  Mission Specific Requirements with Mandatory:/Desirable:), whose blocks are kept apart in
  ``Vacancy.qualification_blocks``;

plus the JPO programme brochure, one document with many openings: :func:`parse_jpo_openings`.

    >>> v = parse_vacancy("Background:\\nThe OSCE ...\\nTasks and Responsibilities:\\n"
    ...                   "You will do the following:\\nDrafting reports; Organizing events")
    >>> v.duties
    ('Drafting reports', 'Organizing events')

Missing or empty sections give warnings on the record, never invented content.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any

from matcher.errors import (
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MatcherError,
    UnsupportedFormatError,
)
from matcher.features.debris import remove_footnotes, strip_debris, strip_markdown
from matcher.features.documents import read_document
from matcher.features.requirements import extract_requirements
from matcher.features.sections import (
    MAIN_QUALIFICATION_HEADINGS,
    Section,
    cut_boilerplate,
    cut_more_information,
    has_seconded_layout,
    is_key_line,
    is_lead_in,
    merge_lone_bullets,
    paragraphs,
    parse_date,
    parse_header_key_values,
    parse_key_values,
    rejoin_page_breaks,
    seconded_blocks,
    split_leading_lead_in,
    split_list,
    split_run_on,
    split_sections,
)
from matcher.features.text import repair_text
from matcher.types import Requirements, Vacancy

__all__ = [
    "parse_vacancy",
    "load_vacancy",
    "load_vacancies",
    "parse_jpo_openings",
    "is_jpo_brochure",
    "plausible_closing_date",
    "MAX_CHARS",
    "MAX_BYTES",
]

logger = logging.getLogger(__name__)

#: inputs above these bounds raise InputTooLargeError (a notice is a few pages; a brochure ~80 kB)
MAX_CHARS = 5_000_000
MAX_BYTES = 5 * 1024 * 1024

_TEXT_SUFFIXES = {"", ".txt", ".text", ".md", ".markdown", ".rst"}
_DOC_SUFFIXES = {".pdf", ".docx"}


# --------------------------------------------------------------------------- preparation


@dataclass
class _Prepared:
    text: str
    lines: list[str]
    header: dict[str, str] = field(default_factory=dict)
    dropped: tuple[str, ...] = ()


_SOURCE_HEADER_KEY = re.compile(r"^([A-Z][A-Z_ ]{1,30}):[ \t]*(.*)$")


def _split_source_header(text: str) -> tuple[dict[str, str], str]:
    """A ``KEY: value`` block closed by ``---`` at the very top (SOURCE_URL, TITLE, DATE ...)."""
    head = text[:4000]
    end = re.search(r"^---[ \t]*$", head, re.MULTILINE)
    if not end:
        return {}, text
    header: dict[str, str] = {}
    for line in head[: end.start()].split("\n"):
        if not line.strip():
            continue
        m = _SOURCE_HEADER_KEY.match(line.strip())
        if not m:
            return {}, text  # not a pure header: leave the text alone
        header[m.group(1).strip().upper()] = m.group(2).strip()
    if not header:
        return {}, text
    return header, text[end.end():].lstrip("\n")


def _check_size(text: str, max_chars: int, path: str | None) -> None:
    if len(text) > max_chars:
        raise InputTooLargeError(
            f"text of {len(text):,} characters is over the limit of {max_chars:,}", path=path
        )


def _prepare(text: str, *, max_chars: int, path: str | None) -> _Prepared:
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}", path=path)
    _check_size(text, max_chars, path)
    if not text.strip():
        raise EmptyInputError("the vacancy text is empty", path=path)
    text = repair_text(text)
    header, text = _split_source_header(text)
    text = strip_markdown(text)
    text, dropped = strip_debris(text)
    text, _notes = remove_footnotes(text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    lines = merge_lone_bullets(text.split("\n"))
    lines = rejoin_page_breaks(lines)
    clean = "\n".join(lines).strip()
    clean = re.sub(r"\n{3,}", "\n\n", clean)
    return _Prepared(clean, clean.split("\n"), header, dropped)


# --------------------------------------------------------------------------- helpers


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:80]


def _join_paragraphs(lines: Iterable[str]) -> str:
    return "\n\n".join(paragraphs(lines))


def _norm_space(text: str) -> str:
    return " ".join(text.split())


_ORGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("OSCE", re.compile(r"\bOSCE\b|Organi[sz]ation for Security and Co-?operation in Europe")),
    ("OECD", re.compile(r"\bOECD\b")),
    ("UNHCR", re.compile(r"\bUNHCR\b")),
    ("UNDP", re.compile(r"\bUNDP\b")),
    ("UNICEF", re.compile(r"\bUNICEF\b")),
    ("IOM", re.compile(r"\bIOM\b|International Organization for Migration")),
    ("UNOPS", re.compile(r"\bUNOPS\b")),
    ("Council of Europe", re.compile(r"\bCouncil of Europe\b")),
    ("United Nations", re.compile(r"\bUnited Nations\b")),
)


def _organisation(text: str, metadata: Mapping[str, str], header: Mapping[str, str]) -> str:
    if header.get("ORGANISATION"):
        return header["ORGANISATION"]
    issued = metadata.get("Issued by", "")
    for label, pattern in _ORGS:
        if issued and pattern.search(issued):
            return label
    counts = {label: len(pattern.findall(text[:200_000])) for label, pattern in _ORGS}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 2 else ""


# departments and units ------------------------------------------------------

_KNOWN_DEPARTMENTS = frozenset(
    "OSG CPC TNTD OCEEA DMF DHR OIO ODIHR HCNM RFoM SR/CTHB OSR/CTHB PA".split()
)
_UNIT_WORDS = re.compile(
    r"\b(?:Unit|Section|Division|Service|Desk|Cell|Team|Branch|Room)\s*$", re.IGNORECASE
)
_DEPT_WORDS = re.compile(
    r"\b(?:Department|Office|Centre|Center|Secretariat|Co-?ordinator|Special Representative|"
    r"High Commissioner|Representative|Mission|Presence|Institution)\b"
)
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,9}(?:/[A-Z][A-Za-z]{1,9})?)\)")
_CONNECTORS = frozenset("of for and the on in to & at against".split())
_PAIR = re.compile(r"(?<![\w/])([A-Z][A-Za-z]{1,9})/([A-Z][A-Za-z]{1,9})(?![\w/])")
_LOCATED_UNIT = re.compile(
    r"\b(?:located in|part of|placed in|within) the ((?:[A-Z][\w-]*[ \t]+){1,6})"
    r"((?i:unit|section|division|service|desk|cell|team))\b"
)


def _name_before(text: str, pos: int) -> str:
    words = text[max(0, pos - 200): pos].split()
    taken: list[str] = []
    for word in reversed(words):
        bare = word.strip(",;:.\"'“”’")
        if bare != word and taken:
            break
        if bare[:1].isupper() or bare.lower() in _CONNECTORS or "/" in bare:
            taken.append(bare)
            continue
        break
    while taken and taken[-1].lower() in _CONNECTORS:
        taken.pop()
    return " ".join(reversed(taken))


_PERSON_TITLE = re.compile(
    r"^(?:Head|Deputy|Chief|Director|Senior|Officer|Assistant|Adviser|Advisor|Manager|Secretary)\b"
)


def _level(name: str) -> str:
    if not name or _PERSON_TITLE.match(name):
        return ""  # "Deputy Head of Office (DHoM)" names a post, not an office
    if _UNIT_WORDS.search(name):
        return "unit"
    if _DEPT_WORDS.search(name):
        return "department"
    return ""


def _department_unit(text: str) -> tuple[str, str]:
    """The department and unit acronyms a notice names ("TNTD", "SPMU"), else ("", "")."""
    text = text[:200_000]
    levels: dict[str, str] = {}
    order: list[str] = []
    for m in _ACRONYM.finditer(text):
        acronym = m.group(1)
        if acronym in ("OSCE", "UN", "EU"):
            continue
        name = _name_before(text, m.start())
        if "/" in acronym and "/" in name and name.count("/") == acronym.count("/"):
            for part_acr, part_name in zip(acronym.split("/"), name.split("/"), strict=True):
                levels.setdefault(part_acr, _level(part_name))
                order.append(part_acr)
            continue
        levels.setdefault(acronym, _level(name))
        order.append(acronym)
    for known in _KNOWN_DEPARTMENTS:
        levels.setdefault(known, "department")

    pairs: Counter[tuple[str, str]] = Counter()
    for m in _PAIR.finditer(text):
        a, b = m.group(1), m.group(2)
        if f"{a}/{b}" in levels and "/" in f"{a}/{b}" and levels[f"{a}/{b}"]:
            continue  # one office with a slash in its name (SR/CTHB), not department/unit
        if levels.get(a) == "department" and levels.get(b) == "unit":
            pairs[(a, b)] += 1
        elif levels.get(a) == "unit" and levels.get(b) == "department":
            pairs[(b, a)] += 1
    if pairs:
        (dept, unit), _count = pairs.most_common(1)[0]
        return dept, unit
    dept = next((a for a in order if levels.get(a) == "department"), "")
    unit = ""
    located = _LOCATED_UNIT.search(text)
    if located:
        unit = f"{_norm_space(located.group(1))} {located.group(2).title()}"
    return dept, unit


# requirements -------------------------------------------------------------


def _requirements(qualifications: str, metadata: Mapping[str, str]) -> tuple[
    Requirements | None, tuple[str, ...]
]:
    """Run the requirement extractor; a failure there must not lose the parsed notice."""
    try:
        return extract_requirements(qualifications, metadata=metadata), ()
    except MatcherError as exc:
        return None, (f"requirement extraction failed: {exc}",)
    except Exception as exc:  # noqa: BLE001 - a bug there must not lose the parsed notice
        logger.exception("requirement extraction failed")
        return None, (f"requirement extraction failed ({type(exc).__name__})",)


#: Requirement warnings a reader of the vacancy must see (the others restate vacancy warnings).
_FOR_A_PERSON = ("requirement not read", "implausible")


# metadata -------------------------------------------------------------------

_DATE_KEY = re.compile(r"date|deadline", re.IGNORECASE)
_MUST_BE_DATE = re.compile(r"closing|issue|deadline|posting", re.IGNORECASE)


#: Dates a notice can carry: issued within these years, closing within this many days of issue.
DATE_YEARS = (1990, 2100)
CLOSING_DAYS_AFTER_ISSUE = 366
CLOSING_DAYS_BEFORE_ISSUE = 7  # a notice re-issued with its old closing date


def plausible_closing_date(closing: date, issued: date | None = None) -> bool:
    """Whether a closing date can be meant: within a year after the issue date (a week before it
    for re-issued notices), or within :data:`DATE_YEARS` when the notice has no issue date."""
    if not DATE_YEARS[0] <= closing.year <= DATE_YEARS[1]:
        return False
    if issued is None or not DATE_YEARS[0] <= issued.year <= DATE_YEARS[1]:
        return True
    days = (closing - issued).days
    return -CLOSING_DAYS_BEFORE_ISSUE <= days <= CLOSING_DAYS_AFTER_ISSUE


def _normalise_metadata(raw: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    out: dict[str, str] = {}
    warnings: list[str] = []
    parsed_dates: dict[str, date] = {}
    for key, value in raw.items():
        value = _norm_space(value)
        if _DATE_KEY.search(key):
            parsed = parse_date(value)
            if parsed is not None:
                parsed_dates[key] = parsed
                value = parsed.isoformat()
            elif _MUST_BE_DATE.search(key):
                warnings.append(f"could not read the date of {key!r}: {value[:40]!r}")
        out[key] = value
    # an absurd date is kept as written, never clamped, and a person is told; the ranking counts
    # experience to a plausible closing date only (see plausible_closing_date)
    issued = next((d for k, d in parsed_dates.items() if re.search(r"issue|posting", k, re.I)),
                  None)
    for key, d in parsed_dates.items():
        closing = re.search(r"closing|deadline", key, re.I)
        if closing and not plausible_closing_date(d, issued):
            when = f"issued {issued.isoformat()}" if issued else "no issue date"
            warnings.append(
                f"implausible {key} {d.isoformat()} ({when}): not used as the day experience is "
                "counted to, for a person to check"
            )
            out[key] = _norm_space(raw[key])
        elif not closing and not DATE_YEARS[0] <= d.year <= DATE_YEARS[1]:
            warnings.append(f"implausible {key} {d.isoformat()}: for a person to check")
            out[key] = _norm_space(raw[key])
    return out, warnings


# --------------------------------------------------------------------------- duties


def _duties_from(lines: list[str]) -> tuple[str, tuple[str, ...], str]:
    """(introduction, duties, text after the list) of a Tasks and Responsibilities section."""
    body, _more = cut_more_information("\n".join(lines))
    body, _tail = cut_boilerplate(body)
    listed = split_list(body.split("\n"))
    if listed.items:
        items = list(listed.items)
        intro = list(listed.intro)
        lead, first = split_leading_lead_in(items[0])
        if lead:
            intro.append(lead)
            items[0] = first
        return _join_paragraphs(intro), tuple(i for i in items if i), _join_paragraphs(
            listed.outro
        )
    paras = paragraphs(body.split("\n"))
    lead_at: int | None = None
    for i, para in enumerate(paras):
        if is_lead_in(para):
            lead_at = i
    if lead_at is not None:
        intro, rest = paras[: lead_at + 1], paras[lead_at + 1 :]
    else:
        # no lead-in: a first descriptive paragraph ("The Head ... leads ...") is introduction
        intro, rest = [], paras
        if len(paras) > 1 and not re.search(r";\s+[A-Z]", paras[0]):
            intro, rest = paras[:1], paras[1:]
    duties: list[str] = []
    for para in rest:
        duties.extend(split_run_on(para))
    return "\n\n".join(intro), tuple(duties), ""


# --------------------------------------------------------------------------- notices


_NOTICE_KEY = re.compile(
    r"requisition|closing|deadline|vacancy|job opening|grade|contract type|posting|issue date",
    re.IGNORECASE,
)


def _looks_like_notice(sections: list[Section], metadata: Mapping[str, str]) -> bool:
    """Two signs of a notice, or one strong one; a CV's "Education", "Summary" or "Duties"
    headings alone do not make it a vacancy."""
    kinds = {s.kind for s in sections}
    strong = (
        bool(kinds & {"seconded", "footer"})
        or any(s.name in MAIN_QUALIFICATION_HEADINGS for s in sections)
        or any(_NOTICE_KEY.search(k) for k in metadata)
    )
    signs = len(kinds & {"background", "duties"}) + strong
    return strong or signs >= 2


def _add_blocks(blocks: dict[str, str], new: Mapping[str, str]) -> None:
    for name, text in new.items():
        blocks[name] = f"{blocks[name]}\n{text}" if name in blocks else text


#: metadata keys that hold the notice's own number ("Vacancy Notice No", "Job Opening Number")
_ID_KEY = re.compile(
    r"(?:requisition|vacancy(?:\s+notice)?|job(?:\s+opening)?|reference|post|position)"
    r"\s*(?:no\.?|number|id|code|ref\.?|#)",
    re.IGNORECASE,
)
_TITLE_NOISE = re.compile(
    r"^(?:job description|vacancy|vacancy notice|vacancy announcement|job|details|full[- ]time"
    r"|part[- ]time|apply now|job details|position details|overview"
    r"|(?:the\s+)?organi[sz]ation for security and co-?operation in europe(?:\s*\(OSCE\))?"
    r"|OSCE|United Nations|[\d\s./-]+|(?:mon|tues|wednes|thurs|fri|satur|sun)day,?.*\d{4})$",
    re.IGNORECASE,
)


def _take_key_lines(sections: list[Section]) -> dict[str, str]:
    """Footer pairs written one per line inside a section ("Closing Date: ..." after the
    qualifications, with no "Additional Information" heading): moved out into metadata when
    there are at least two of them, so they never read as requirements."""
    found = [
        (s, i) for s in sections if s.kind not in ("footer",)
        for i, line in enumerate(s.lines) if is_key_line(line)
    ]
    if len(found) < 2:
        return {}
    out: dict[str, str] = {}
    for s, i in found:
        for key, value in parse_key_values(s.lines[i]).items():
            out.setdefault(key, value)
    for s, i in reversed(found):
        del s.lines[i]
    return out


def _title_and_preamble(preamble: list[str]) -> tuple[str, dict[str, str], list[str]]:
    kv, used = parse_header_key_values(preamble)
    rest = [line for i, line in enumerate(preamble) if i not in used]
    title = ""
    for key in ("Job Title", "Title", "Position Title", "Post Title", "Posting Title",
                "Vacancy Title", "Position", "Vacancy", "Post", "Job"):
        if kv.get(key):
            title = kv.pop(key)
            break
    if not title:
        for i, line in enumerate(rest[:12]):
            text = line.strip()
            if not text or _TITLE_NOISE.match(text):
                continue  # job-board labels above the title ("Full-time", "OSCE")
            if (
                len(text) <= 150
                and not text.endswith((".", ":", ";", ","))
                and any(ch.isalpha() for ch in text)
                and len(text.split()) <= 20
            ):
                title = text
                rest = rest[:i] + rest[i + 1:]
            break
    return title, kv, rest


def _notice(prep: _Prepared, *, vacancy_id: str | None, fallback_id: str | None,
            source: str) -> Vacancy:
    warnings: list[str] = []
    preamble, sections = split_sections(prep.lines)
    stray_meta = _take_key_lines(sections)
    title, header_kv, preamble_rest = _title_and_preamble(preamble)
    if prep.header.get("TITLE"):
        if _norm_space(title).lower() != _norm_space(prep.header["TITLE"]).lower() and title:
            preamble_rest.insert(0, title)
        title = prep.header["TITLE"]

    kinds = [s.kind for s in sections]
    background_parts: list[str] = []
    for s in sections:
        if s.kind == "background":
            text, _tail = cut_boilerplate(s.text)
            background_parts.append(_join_paragraphs(text.split("\n")))
    if "background" not in kinds:
        # the paragraphs before the first heading, without labels ("Full-time", "Job Description")
        pre = "\n\n".join(
            p for p in paragraphs(preamble_rest)
            if len(p.split()) >= 8 and re.search(r"[.!?](?:\s|$)", p)
        )
        pre, _tail = cut_boilerplate(pre)
        if pre:
            background_parts.append(pre)

    # duties
    duty_sections = [s for s in sections if s.kind == "duties"]
    duties: tuple[str, ...] = ()
    outro = ""
    if duty_sections:
        intro, duties, outro = _duties_from([ln for s in duty_sections for ln in s.lines + [""]])
        if intro:
            background_parts.append(intro)
        if not duties:
            warnings.append(
                f"'{duty_sections[0].name}' lists no duties (only an introduction)"
            )
    else:
        warnings.append("no duties section found")

    # qualifications
    qual_sections = [s for s in sections if s.kind in ("qualifications", "seconded")]
    qualifications = ""
    blocks: dict[str, str] = {}
    if qual_sections:
        parts: list[str] = []
        has_body = False
        for s in qual_sections:
            body = "\n".join(line.strip(" \t|") for line in s.lines)
            body = "\n".join(merge_lone_bullets([ln for ln in body.split("\n") if ln.strip()]))
            body, _tail = cut_boilerplate(body)  # "If you wish to apply ..." is not a requirement
            has_body = has_body or bool(body)
            if s.name in MAIN_QUALIFICATION_HEADINGS:
                parts.append(body)
                if has_seconded_layout(body):
                    _add_blocks(blocks, seconded_blocks(body))
                continue
            # keep the block heading in the text: "Education", "Mandatory" carry meaning
            parts.append(f"{s.name}\n{body}" if body else s.name)
            if s.kind == "seconded":
                _add_blocks(blocks, seconded_blocks(f"{s.name}\n{body}"))
            elif body:
                _add_blocks(blocks, {s.name: body})
        qualifications = "\n".join(p for p in parts if p.strip()).strip() if has_body else ""
        if len(blocks) == 1 and len(qual_sections) == 1:
            blocks = {}  # one block is just the whole text again
        if not qualifications:
            warnings.append(
                f"'{qual_sections[0].name}' is empty (it holds only application boilerplate)"
            )
    else:
        warnings.append("no qualifications section found")

    # footer and metadata
    raw_meta: dict[str, str] = dict(header_kv)
    for key, value in stray_meta.items():
        raw_meta.setdefault(key, value)
    for s in sections:
        if s.kind == "footer":
            raw_meta.update(parse_key_values(s.text))
    if prep.header.get("DATE") and parse_date(prep.header["DATE"]):
        raw_meta.setdefault("Date", prep.header["DATE"])
    if prep.header.get("SOURCE_URL"):
        raw_meta.setdefault("Source URL", prep.header["SOURCE_URL"])
    metadata, meta_warnings = _normalise_metadata(raw_meta)
    warnings.extend(meta_warnings)

    background = "\n\n".join(p for p in background_parts if p)
    if not title:
        warnings.append("no title found in the text")
    if not background:
        warnings.append("no background section found")
    if not _looks_like_notice(sections, metadata):
        warnings.append("the text does not look like a vacancy notice (no section headings found)")

    vid = (
        vacancy_id
        or metadata.get("Requisition ID")
        or next((v for k, v in metadata.items() if _ID_KEY.fullmatch(k) and v.strip()), "")
        or fallback_id
        or _slug(title)
        or "vacancy"
    )
    organisation = _organisation(prep.text, metadata, prep.header)
    department, unit = _department_unit(prep.text)
    requirements, req_warnings = _requirements(qualifications, metadata)
    warnings.extend(req_warnings)
    if requirements is not None:
        # a statement the extractor could not read, or a value it refused, needs a person
        warnings.extend(w for w in requirements.warnings if w.startswith(_FOR_A_PERSON))
    del outro  # text after the duty list stays in ``text`` only
    return Vacancy(
        id=vid,
        title=_norm_space(title),
        organisation=organisation,
        department=department,
        unit=unit,
        background=background,
        duties=duties,
        qualifications=qualifications,
        qualification_blocks=blocks,
        metadata=metadata,
        requirements=requirements,
        source=source,
        text=prep.text,
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- JPO brochure

_OPENING = re.compile(
    r"^[ \t]*(?:Opening|Position|Posting)[ \t]+(?:No\.?[ \t]*)?(\d{1,3})[ \t]*[:.–—-][ \t]*"
    r"(\S.{0,200})$"
)
_SECTION_HEAD = re.compile(
    r"^[ \t]*([A-Z][^\n]{3,180}?)\(([A-Z][A-Za-z]{1,9}(?:/[A-Z][A-Za-z]{1,9})?)\)[^.;:,\n]{0,100}$"
)
_UNIT_SPLIT = re.compile(
    r"^([A-Z][A-Za-z]{1,9}(?:/[A-Z][A-Za-z]{1,9})?)[ \t]*[-–—:][ \t]*(\S.*)$"
)
_JPO_FUNCTION = re.compile(
    r"Junior Professional Officer[ \t]*[-–—][ \t]*([^()\n]{2,80}?)[ \t]*\(JPO\)"
)


def is_jpo_brochure(text: str) -> bool:
    """True for a JPO programme brochure: several "Opening N:" headings and JPO wording."""
    head = text[:MAX_CHARS]
    if "Junior Professional Officer" not in head and "JUNIOR PROFESSIONAL OFFICER" not in head:
        return False
    count = 0
    for line in head.split("\n"):
        if _OPENING.match(line):
            count += 1
            if count >= 2:
                return True
    return False


def _is_section_heading(line: str) -> re.Match[str] | None:
    stripped = line.strip()
    if not stripped or stripped[0] in "-•*" or stripped.endswith((".", ";", ":", ",")):
        return None
    if len(stripped) > 200 or _OPENING.match(line):
        return None
    return _SECTION_HEAD.match(stripped)


def parse_jpo_openings(text: str, *, max_chars: int = MAX_CHARS, source: str = "") -> tuple[
    Vacancy, ...
]:
    """Every opening of a JPO programme brochure, in order (``JPO-01``, ``JPO-02`` ...).

    Each opening gets the department of the brochure section it sits in (the acronym of
    "Conflict Prevention Centre (CPC)"), the unit from its heading, its introduction as
    background and its numbered duties with their sub-bullets. The brochure states no
    per-opening qualifications, so ``qualifications`` is empty (with a warning).
    """
    prep = _prepare(text, max_chars=max_chars, path=source or None)
    return _openings(prep, source=source)


_TOC_OR_COUNT = re.compile(
    r"^[ \t]*[-•*][ \t]*Opening[ \t]+\d"
    r"|\b(?:postings?|positions?|openings?|vacancies)\b[^.\n]{0,40}\b(?:open|available)\b",
    re.IGNORECASE,
)


def _department_headings(lines: list[str]) -> dict[int, re.Match[str]]:
    """Lines that open a department section of the brochure.

    A line "Name (ACR)" is a department heading only when its section lists openings (a table
    of contents "- Opening 13: ..." or "there are two JPO postings open") before the next opening
    starts, or when it repeats the current department (a sub-section such as "Conflict
    Prevention Centre (CPC) - Policy Support Service (PSS)"); a stray line ending in an acronym
    inside an opening's text does not cut the opening short.
    """
    out: dict[int, re.Match[str]] = {}
    current = ""
    n = len(lines)
    for i, line in enumerate(lines):
        head = _is_section_heading(line)
        if not head:
            continue
        accepted = head.group(2) == current
        j = i + 1
        while not accepted and j < n and j < i + 200 and not _OPENING.match(lines[j]):
            if _TOC_OR_COUNT.search(lines[j]):
                accepted = True
            j += 1
        if accepted or not current:
            out[i] = head
            current = head.group(2)
    return out


def _openings(prep: _Prepared, *, source: str) -> tuple[Vacancy, ...]:
    lines = prep.lines
    programme = " ".join(
        _norm_space(line) for line in [ln for ln in lines if ln.strip()][:2]
    ).strip()
    department, department_name = "", ""
    current: dict[str, Any] | None = None
    chunks: list[dict[str, Any]] = []
    section_starts = _department_headings(lines)
    for i, line in enumerate(lines):
        m = _OPENING.match(line)
        if m:
            current = {
                "number": int(m.group(1)),
                "heading": _norm_space(m.group(2)),
                "department": department,
                "department_name": department_name,
                "lines": [],
            }
            chunks.append(current)
            continue
        head = section_starts.get(i)
        if head:
            department = head.group(2)
            department_name = _norm_space(f"{head.group(1)}({head.group(2)})")
            current = None  # a new brochure section ends the opening
            continue
        if current is not None:
            current["lines"].append(line)
    if not chunks:
        return ()
    width = max(2, len(str(max(int(c["number"]) for c in chunks))))
    openings: list[Vacancy] = []
    for chunk in chunks:
        openings.append(_opening(chunk, width=width, programme=programme, source=source))
    return tuple(openings)


def _opening(chunk: Mapping[str, object], *, width: int, programme: str, source: str) -> Vacancy:
    number = int(chunk["number"])  # type: ignore[call-overload]
    heading = str(chunk["heading"])
    lines = list(chunk["lines"])  # type: ignore[call-overload]
    department = str(chunk["department"])
    warnings: list[str] = []
    m = _UNIT_SPLIT.match(heading)
    prefix, unit = (m.group(1), m.group(2)) if m else ("", heading)
    unit = re.sub(r"^The\s+", "", unit).strip()
    if not department:
        department = prefix
    unit_name = unit
    if prefix and prefix != department:
        unit = f"{prefix} - {unit}"  # a sub-office of the department (PSS of the CPC)
    listed = split_list(lines)
    items = list(listed.items)
    intro = list(listed.intro)
    if items:
        lead, first = split_leading_lead_in(items[0])
        if lead:
            intro.append(lead)
            items[0] = first
    background = _join_paragraphs(intro)
    duties = tuple(i for i in items if i)
    if not duties:
        warnings.append(f"opening {number} lists no duties")
    if not background:
        warnings.append(f"opening {number} has no introduction")
    warnings.append(
        "the brochure states no qualifications per opening (programme-wide requirements apply)"
    )
    metadata: dict[str, str] = {"Opening": str(number)}
    if chunk.get("department_name"):
        metadata["Department"] = str(chunk["department_name"])
    if programme:
        metadata["Programme"] = programme
    fn = _JPO_FUNCTION.search("\n".join(lines))
    if fn:
        metadata["JPO function"] = _norm_space(fn.group(1))
    text = "\n".join([f"Opening {number}: {heading}", *lines]).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    requirements, req_warnings = _requirements("", metadata)
    warnings.extend(req_warnings)
    return Vacancy(
        id=f"JPO-{number:0{width}d}",
        title=f"Junior Professional Officer – {unit_name}",
        organisation="OSCE",
        department=department,
        unit=unit,
        background=background,
        duties=duties,
        qualifications="",
        qualification_blocks={},
        metadata=metadata,
        requirements=requirements,
        source=source,
        text=text,
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- public API


def parse_vacancy(text: str, *, vacancy_id: str | None = None, max_chars: int = MAX_CHARS,
                  source: str = "") -> Vacancy:
    """Parse one vacancy notice from its text.

    The text is repaired first (mojibake, compatibility letters, invisible characters) and
    cleaned of job-board debris. ``vacancy_id`` wins over the Requisition ID of the footer.
    A JPO brochure given here yields the programme as one record with a warning pointing to
    :func:`parse_jpo_openings`.

    Raises EmptyInputError for an empty text and InputTooLargeError above ``max_chars``.
    """
    prep = _prepare(text, max_chars=max_chars, path=source or None)
    vacancy = _notice(prep, vacancy_id=vacancy_id, fallback_id=None, source=source)
    if is_jpo_brochure(prep.text):
        count = sum(1 for line in prep.lines if _OPENING.match(line))
        vacancy = replace(
            vacancy,
            warnings=(
                f"this is a JPO programme brochure with {count} openings: "
                "use parse_jpo_openings() (or load_vacancies()) for one record per opening",
                *vacancy.warnings,
            ),
        )
    return vacancy


def _read_text(path: Path, *, max_bytes: int) -> tuple[str, tuple[str, ...]]:
    """The raw text of a notice file (text in any encoding, PDF, DOCX) and reader warnings."""
    if path.is_dir():
        raise InputError("is a directory, not a vacancy file (use load_vacancies)", path=path)
    if path.exists() and not path.is_file():
        # a FIFO would block and /dev/zero never ends (its size reads as 0): never open them
        raise UnsupportedFormatError("not a regular file (a device or a pipe)", path=path)
    document = read_document(path, max_bytes=max_bytes)
    return document.text, document.warnings


_REQ_ID = re.compile(r"^[A-Z]{2,}\d{3,}$")


def _title_from_stem(stem: str, organisation: str) -> str:
    words = [w for w in re.split(r"[-_\s]+", stem) if w]
    if words and organisation and words[0].lower() == organisation.lower():
        words = words[1:]
    words = [w for w in words if not _REQ_ID.match(w.upper()) or not any(c.isdigit() for c in w)]
    words = [w for w in words if not re.fullmatch(r"\d{4}", w)]
    if not words:
        return ""
    small = {"of", "and", "for", "in", "on", "the", "to"}
    return " ".join(w if w.lower() in small and i else w.capitalize() for i, w in enumerate(words))


def load_vacancy(path: str | PathLike[str], *, vacancy_id: str | None = None,
                 max_bytes: int = MAX_BYTES,
                 requirements: Requirements | str | PathLike[str] | None = None) -> Vacancy:
    """Read and parse one notice file (text in any encoding, PDF or DOCX).

    The id is ``vacancy_id``, else the Requisition ID, else a slug of the file name. A notice
    that states no title gets one from the file name, with a warning saying so.
    ``requirements``: a reviewed requirements file (see :mod:`matcher.features.review`) or a
    :class:`Requirements`, used instead of the extracted ones.
    """
    p = Path(path)
    text, read_warnings = _read_text(p, max_bytes=max_bytes)
    prep = _prepare(text, max_chars=max(MAX_CHARS, max_bytes), path=str(p))
    vacancy = _file_vacancy(prep, p, read_warnings=read_warnings, vacancy_id=vacancy_id)
    if requirements is not None:
        from matcher.features.review import apply_requirements

        vacancy = apply_requirements(vacancy, requirements)
    return vacancy


def _file_vacancy(prep: _Prepared, p: Path, *, read_warnings: tuple[str, ...],
                  vacancy_id: str | None) -> Vacancy:
    vacancy = _notice(prep, vacancy_id=vacancy_id, fallback_id=_slug(p.stem), source=str(p))
    if read_warnings:
        vacancy = replace(vacancy, warnings=(*vacancy.warnings, *read_warnings))
    if is_jpo_brochure(prep.text):
        count = sum(1 for line in prep.lines if _OPENING.match(line))
        vacancy = replace(
            vacancy,
            warnings=(
                f"this is a JPO programme brochure with {count} openings: "
                "use load_vacancies() for one record per opening",
                *vacancy.warnings,
            ),
        )
    elif not vacancy.title:
        title = _title_from_stem(p.stem, vacancy.organisation)
        if title:
            warnings = tuple(
                w for w in vacancy.warnings if w != "no title found in the text"
            ) + ("no title found in the text; title taken from the file name",)
            vacancy = replace(vacancy, title=title, warnings=warnings)
    return vacancy


def load_vacancies(path: str | PathLike[str], *, max_bytes: int = MAX_BYTES) -> tuple[
    Vacancy, ...
]:
    """Every vacancy in a file or a directory (sorted by name); a JPO brochure gives its openings.

    In a directory, files that cannot be read are skipped with a logged warning; a single file
    raises its error.
    """
    p = Path(path)
    if p.is_dir():
        out: list[Vacancy] = []
        for child in sorted(p.iterdir()):
            if child.name.startswith(".") or not child.is_file():
                continue
            if child.stem.upper() in ("README", "LICENSE", "NOTICE", "CHANGELOG"):
                continue  # documentation next to the notices
            if child.suffix.lower() not in _TEXT_SUFFIXES | _DOC_SUFFIXES:
                continue
            try:
                out.extend(load_vacancies(child, max_bytes=max_bytes))
            except MatcherError as exc:
                logger.warning("skipped %s", exc)
        return tuple(out)
    text, read_warnings = _read_text(p, max_bytes=max_bytes)
    prep = _prepare(text, max_chars=max(MAX_CHARS, max_bytes), path=str(p))
    if is_jpo_brochure(prep.text):
        return _openings(prep, source=str(p))
    return (_file_vacancy(prep, p, read_warnings=read_warnings, vacancy_id=None),)

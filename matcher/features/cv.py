"""CV parsing: a file, text or bytes into a :class:`~matcher.types.CandidateProfile`.

The parse is a pipeline of small, testable steps:

1. read the document within bounds (:mod:`matcher.features.documents`) and repair the text;
2. split it into sections by headings in English, French, German and Russian (a CV without
   headings is read as one region, and each dated block is classed as study or job);
3. degrees via the one mapping table (:mod:`matcher.features.degrees`);
4. dated positions (:mod:`matcher.features.dates`) and months of experience as the union of the
   intervals, open ends at ``reference_date``, part-time pro rata (:class:`ExperiencePolicy`);
5. languages with CEFR levels, including the Europass self-assessment grid;
6. personal data kept apart, and ``blind_text`` for scoring (:mod:`matcher.features.pii`).

Nothing is invented: a CV with undated jobs gets positions without dates, ``experience_months`` 0
and a warning starting with ``"experience unknown"`` so eligibility can say "unknown", not "fail".

    >>> p = parse_cv("EXPERIENCE\\nAnalyst, Acme Ltd, Jan 2019 - Dec 2020\\n"
    ...              "Officer, Beta Org, 2020 - 2021\\nEDUCATION\\nMSc Risk Management, 2018",
    ...              reference_date=date(2025, 1, 1))
    >>> p.highest_level, p.experience_months
    (7, 36)
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatch
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from matcher.errors import (
    ConfigError,
    EmptyInputError,
    InputError,
    MatcherError,
    UnsupportedFormatError,
)
from matcher.features import budget
from matcher.features.dates import (
    DateRange,
    ExperiencePolicy,
    as_date,
    find_date_ranges,
    position_months,
)
from matcher.features.degrees import degree_level, find_degrees, highest_completed_level
from matcher.features.documents import (
    MAX_BYTES,
    SUPPORTED_SUFFIXES,
    DocumentText,
    read_bytes,
    read_document,
    read_file_bytes,
)
from matcher.features.languages import (
    CEFR_CODE,
    cefr_from_words,
    cefr_rank,
    find_languages,
    level_cue_pattern,
    native_pattern,
    p11_level,
    p11_pattern,
)
from matcher.features.pii import PersonalSpan, blind_text, detect_personal
from matcher.features.sentences import scorable_of
from matcher.features.text import repair_text
from matcher.types import CandidateProfile, Degree, Evidence, LanguageSkill, Position

if TYPE_CHECKING:  # pragma: no cover
    from matcher.features.store import ProfileStore

__all__ = [
    "parse_cv",
    "load_cvs",
    "LoadedCVs",
    "CVFailure",
    "Section",
    "split_sections",
    "is_heading",
    "find_languages_in_cv",
    "clean_text",
]

log = logging.getLogger(__name__)

#: Characters of cleaned text parsed; a real CV is far shorter (the livecareer median is 5,600),
#: and the bound keeps one pathological file from stalling a batch.
MAX_CHARS = 200_000
#: Dated entries read as positions in one section; real CVs have a few dozen at most (the most in
#: 2,484 livecareer resumes is 22), and the bound keeps a file of nothing but dates linear.
MAX_DATED_ENTRIES = 200

# --------------------------------------------------------------------------- sections

_HEADINGS: dict[str, tuple[str, ...]] = {
    "education": (
        "education", "education and training", "education & training", "educational background",
        "academic background", "academic qualifications", "academic record", "academic history",
        "academic education", "higher education", "university education", "education details",
        "educational qualifications", "educational qualification", "academic profile",
        "educational details", "degrees", "qualifications and education", "education history",
        "formation", "formation académique", "formation academique", "formation universitaire",
        "études", "etudes", "diplômes", "diplomes", "études et diplômes", "cursus",
        "ausbildung", "akademische ausbildung", "bildungsweg", "studium", "schulbildung",
        "hochschulbildung", "bildung", "ausbildung und studium",
        "образование", "высшее образование", "сведения об образовании",
        "istruzione", "istruzione e formazione", "formación", "formación académica",
        "education and qualifications", "schooling",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment history",
        "employment record", "employment", "work history", "career history", "career",
        "professional background", "relevant experience", "relevant work experience",
        "professional history", "experience summary", "working experience", "work record",
        "positions held", "career summary", "professional employment", "company details",
        "experience details", "internships", "internship", "volunteer experience",
        "expérience", "expériences", "expérience professionnelle", "experience professionnelle",
        "expériences professionnelles", "experiences professionnelles", "parcours professionnel",
        "emplois", "berufserfahrung", "beruflicher werdegang", "berufspraxis", "werdegang",
        "praktische erfahrung", "berufliche erfahrung", "berufliche tätigkeit",
        "опыт работы", "трудовая деятельность", "профессиональный опыт", "опыт",
        "трудовой стаж", "места работы",
        "esperienza", "esperienza professionale", "esperienze professionali", "experiencia",
        "experiencia profesional", "work experience and employment",
    ),
    "languages": (
        "languages", "language", "language skills", "language proficiency", "foreign languages",
        "language knowledge", "linguistic skills", "languages spoken",
        "langues", "compétences linguistiques", "competences linguistiques", "langues étrangères",
        "sprachen", "sprachkenntnisse", "fremdsprachen", "языки", "знание языков",
        "владение языками", "иностранные языки", "языковые навыки", "lingue",
        "conoscenze linguistiche", "idiomas",
    ),
    "skills": (
        "skills", "key skills", "technical skills", "computer skills", "it skills",
        "competencies", "core competencies", "core qualifications", "highlights", "skill set",
        "skill highlights", "areas of expertise", "expertise", "personal skills",
        "professional skills", "software", "tools", "technical proficiencies", "skill details",
        "compétences", "competences", "compétences informatiques", "savoir-faire",
        "kenntnisse", "fähigkeiten", "edv-kenntnisse", "it-kenntnisse", "kompetenzen",
        "навыки", "ключевые навыки", "профессиональные навыки", "компьютерные навыки",
        "competenze", "habilidades",
    ),
    "personal": (
        "personal information", "personal details", "personal data", "personal profile data",
        "contact", "contact information", "contact details", "informations personnelles",
        "état civil", "etat civil", "coordonnées", "persönliche daten", "angaben zur person",
        "kontakt", "личные данные", "личная информация", "контактная информация", "контакты",
        "dati personali", "datos personales",
    ),
    "summary": (
        "summary", "profile", "professional summary", "professional profile", "objective",
        "career objective", "about me", "executive summary", "summary of qualifications",
        "profil", "profil professionnel", "kurzprofil", "profil personnel", "о себе",
        "цель", "профиль", "profilo",
    ),
    "other": (
        "training", "trainings", "certifications", "certificates", "certification",
        "courses", "additional training", "professional development", "publications",
        "awards", "honors", "honours", "references", "interests", "hobbies", "accomplishments",
        "achievements", "projects", "affiliations", "memberships", "additional information",
        "activities", "volunteer", "volunteering", "formations complémentaires",
        "certificats", "distinctions", "centres d'intérêt", "loisirs", "références",
        "weiterbildung", "fortbildungen", "zertifikate", "hobbys", "interessen", "referenzen",
        "курсы", "повышение квалификации", "сертификаты", "дополнительная информация",
        "награды", "публикации", "рекомендации", "хобби", "preferences", "jpo preferences",
        "preferred assignments", "motivation", "préférences", "préférences jpo", "präferenzen",
        "предпочтения", "предпочтения jpo",
    ),
}
_HEADING_KIND = {h: kind for kind, hs in _HEADINGS.items() for h in hs}
_HEADING_PREFIX = re.compile(r"^(?:\d{1,2}[.)]\s*|[ivx]{1,4}[.)]\s+|[#*•\-–=]+\s*)", re.I)


@dataclass(frozen=True, slots=True)
class Section:
    """A region of the CV text: ``kind`` is education, experience, languages, skills, personal,
    summary, other, or ``"header"`` for what precedes the first heading."""

    kind: str
    heading: str
    start: int
    end: int


def _heading_kind(line: str) -> tuple[str, str] | None:
    """(kind, rest) when ``line`` is a section heading; ``rest`` is content after "Heading:"."""
    raw = line.strip()
    if not raw or len(raw) > 70:
        return None
    core = _HEADING_PREFIX.sub("", raw).strip()
    rest = ""
    m = re.match(r"^([^:|]{2,45})\s*[:|]\s*(.*)$", core)
    if m:
        core, rest = m.group(1), m.group(2).strip()
    if core.endswith(".") or core[:1].islower():
        return None  # "projects." is the end of a wrapped sentence, not a heading
    key = re.sub(r"\s+", " ", core.strip(" *_#:.-–").lower())
    key = key.replace("’", "'")
    kind = _HEADING_KIND.get(key)
    if kind is None:
        # "PROFESSIONAL EXPERIENCE (selected)", "Languages (CEFR)"
        key2 = re.sub(r"\s*\(.*\)\s*$", "", key)
        kind = _HEADING_KIND.get(key2)
    if kind is None:
        # "Education and Certifications", "Education & Licenses": education joined to one more
        # heading word is still the education section
        m2 = re.fullmatch(r"(education|academic background)\s*(?:and|&|,)\s*([a-z]+(?: [a-z]+)?)",
                          key)
        if m2 and _HEADING_KIND.get(m2.group(2)) in ("other", "education"):
            kind = "education"
    if kind is None:
        return None
    if rest and kind in ("experience", "education", "summary", "other", "personal"):
        # "Experience: 5 years in ..." is a sentence, not a heading
        return None
    return kind, rest


def is_heading(line: str) -> bool:
    """True when ``line`` is a CV section heading ("SKILLS", "Work History", "Образование")."""
    return _heading_kind(line) is not None


def split_sections(text: str) -> list[Section]:
    """Sections in order; text before the first heading is a ``"header"`` section."""
    sections: list[Section] = []
    pos = 0
    current_kind, current_heading, current_start = "header", "", 0
    for line in text.split("\n"):
        hk = _heading_kind(line)
        if hk is not None:
            kind, rest = hk
            if pos > current_start or current_kind != "header":
                sections.append(Section(current_kind, current_heading, current_start, pos))
            content_start = pos + (line.find(rest) if rest else len(line) + 1)
            current_kind, current_heading, current_start = kind, line.strip(), min(
                content_start, len(text)
            )
        pos += len(line) + 1
    sections.append(Section(current_kind, current_heading, current_start, len(text)))
    return [s for s in sections if s.end > s.start or s.kind != "header"]


# --------------------------------------------------------------------------- positions

_ORG_WORDS = re.compile(
    r"\b(?:OSCE|UN|UNDP|UNHCR|UNICEF|UNODC|OHCHR|IOM|NATO|EU|EULEX|EUMM|ICRC|Ministry|Ministère|"
    r"Ministerium|Министерств\w*|Company|Inc|Ltd|LLC|GmbH|AG|SA|S\.A\.|plc|Corp\w*|Bank|"
    r"University|Université|Universität|Mission|Office|Agency|Organi[sz]ation|Police|Polizei|"
    r"полици\w*|NGO|Embassy|Council|Foundation|Institute|Group|Services|Secretariat|Department|"
    r"Directorate|Bureau|Centre|Center|Commission|Authority|Court|Gericht|Tribunal|Army|Forces|"
    r"Bundes\w+|ООО|ОАО|АО|ЗАО|Фонд|Управлени\w*|Агентств\w*|Association|Verein|Red Cross|"
    r"Consulting|Consultancy|Consultants|Partners|Solutions|Hospital|School|Academy)\b"
)
_LABEL_PREFIX = re.compile(
    r"^\s*(?:dates?|period|from\s*/\s*to|occupation or position held|position held|position|"
    r"job title|title|name (?:and address )?of employer|employer|période|periode|poste|"
    r"employeur|zeitraum|position|arbeitgeber|funktion|период|должность|работодатель|"
    r"организация)\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[•●▪◦‣∙·*\-–—o]\s+|\d+[.)]\s+)")
_SPLIT_TITLE = re.compile(r"\s+(?:at|@|chez|bei|в)\s+|\s*[|,;]\s*|\s+[–—-]\s+|\t+")
_EDU_HINT = re.compile(
    r"\b(?:student|studied|studying|studies|studium|studiert|études|étudiant\w*|thesis|"
    r"dissertation|coursework|graduated|graduation|diploma|diplôme|обучени\w*|учёб\w*|учеб\w*|"
    r"студент\w*|окончил\w*)\b",
    re.IGNORECASE,
)
_NOT_A_JOB = re.compile(
    r"\b(?:career\s+break|gap\s+year|parental\s+leave|maternity\s+leave|sabbatical|"
    r"unemployed|job\s+search|elternzeit|congé\s+parental|декрет\w*|отпуск\s+по\s+уходу)\b",
    re.IGNORECASE,
)


def _context(region: str, a: DateRange) -> str:
    """The clause around a date: from the previous sentence end or line start to the next."""
    ls, le = _line_span(region, a.pos)
    ls, le = max(ls, a.pos - 200), min(le, a.endpos + 200)  # bounded: long lines stay linear
    before = region[ls:a.pos]
    cut = max(before.rfind(". "), before.rfind("; "))
    start = ls + cut + 2 if cut >= 0 else ls
    after = region[a.endpos:le]
    m = re.search(r"[.;](?:\s|$)", after)
    end = a.endpos + (m.start() if m else len(after))
    return region[start:end]

_PART_TIME_PCT = re.compile(
    r"(?:part[- ]time|teilzeit|temps\s+partiel|неполн\w*\s+(?:рабоч\w*\s+)?(?:день|занятост\w*)|"
    r"FTE|employment|position|of\s+full[- ]time|Beschäftigungsgrad|taux\s+d['’]activité|"
    r"ставк\w*)\D{0,25}?(\d{1,3}(?:[.,]\d+)?)\s?%|"
    r"(\d{1,3}(?:[.,]\d+)?)\s?%\s*(?:part[- ]time|FTE|time|employment|position|of\s+full[- ]time|"
    r"teilzeit|stelle|temps|ставк\w*|занятост\w*)",
    re.IGNORECASE,
)
_PART_TIME_FTE = re.compile(r"\b([01](?:[.,]\d{1,2})?)\s*FTE\b", re.IGNORECASE)
_PART_TIME_HOURS = re.compile(
    r"\b(\d{1,2})\s*(?:hours|hrs|h|stunden|std\.?|heures|часов|час\.)\s*(?:/|per|a|pro|par|в)\s*"
    r"(?:week|wk|woche|semaine|неделю)\b",
    re.IGNORECASE,
)
_HALF_TIME = re.compile(
    r"\b(?:half[- ]time|mi-temps|mi-\s?temps|halbtags|полставки|0[.,]5\s+ставки)\b", re.IGNORECASE
)
_PART_TIME_WORD = re.compile(
    r"\b(?:part[- ]time|teilzeit|temps\s+partiel|неполн\w*\s+рабоч\w*)\b", re.IGNORECASE
)


def _part_time(text: str) -> tuple[float, str]:
    """(fraction, note) from a position's header and description."""
    m = _PART_TIME_PCT.search(text)
    if m:
        value = float((m.group(1) or m.group(2)).replace(",", "."))
        if 0 < value < 100:
            return value / 100, m.group(0)
    m = _PART_TIME_FTE.search(text)
    if m:
        value = float(m.group(1).replace(",", "."))
        if 0 < value < 1:
            return value, m.group(0)
    m = _PART_TIME_HOURS.search(text)
    if m and (_PART_TIME_WORD.search(text) or int(m.group(1)) < 35):
        hours = int(m.group(1))
        if 0 < hours < 40:
            return hours / 40, m.group(0)
    m = _HALF_TIME.search(text)
    if m:
        return 0.5, m.group(0)
    m = _PART_TIME_WORD.search(text)
    if m:
        return 1.0, m.group(0)
    return 1.0, ""


def _line_span(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, len(text) if e == -1 else e


def _clean_title(s: str) -> str:
    s = _LABEL_PREFIX.sub("", s)
    s = re.sub(r"\(\s*\)|\[\s*\]", "", s)
    return s.strip(" \t|,;:-–—()•*#_").strip()


def _header_for(text: str, anchor: DateRange, region_start: int) -> tuple[str, int, int]:
    """The header text of the job anchored at a date range, and the span it occupies."""
    ls, le = _line_span(text, anchor.pos)
    if "\n" in anchor.text:
        # a range broken over lines ("January 2011 / to / Current") ends on its last line
        le = max(le, _line_span(text, anchor.endpos - 1)[1])
    # within a window, so a pathological one-line CV with thousands of dates stays linear
    ws, we = max(ls, anchor.pos - 150), min(le, anchor.endpos + 150)
    line_rest = _clean_title(text[ws:anchor.pos] + " " + text[anchor.endpos:we])
    line_rest = re.sub(r"\s{2,}", " ", line_rest)
    if len(line_rest) >= 3 and re.search(r"[A-Za-zÀ-ÿА-Яа-я]{3}", line_rest):
        return line_rest, ls, le
    # the date stands alone: the title is on the line before ("Title / dates / description") or
    # after ("dates / Title / description"); a line that ends a sentence is description
    ns, ne = _line_span(text, min(le + 1, len(text)))
    nxt = text[ns:ne] if le < len(text) else ""
    prev, ps = "", ls
    if ls > region_start:
        ps, pe = _line_span(text, ls - 1)
        prev = text[ps:pe]
    prev_ok = _title_like(prev) and not _continues_sentence(prev)
    next_ok = _title_like(nxt)
    if prev_ok:
        before = text[region_start:ps].rstrip(" \t")
        block_start = not before.strip() or before.endswith("\n")
        if block_start or not next_ok or (len(nxt) > 100 and len(prev) <= 100):
            return _clean_title(prev), ps, le
    if next_ok:
        return _clean_title(nxt), ls, ne
    return "", ls, le


def _title_like(line: str) -> bool:
    s = line.strip()
    return (
        bool(s)
        and len(s) < 140
        and not _BULLET.match(line)
        and not s.endswith(".")
        and not find_date_ranges(s)
        and _heading_kind(s) is None
    )


def _continues_sentence(line: str) -> bool:
    """A wrapped line of prose ("coverage to clinics and inpatient areas to ..."): it starts in
    lower case and runs on, so it is the end of a description, never a job title."""
    s = line.strip()
    return s[:1].islower() and len(s.split()) > 5


def _employer_line(line: str) -> str:
    """The employer named on a line of its own under a job's title and dates ("Company Name –
    City , State", "UNDP, Kabul"), or "" when the line is something else."""
    s = line.strip()
    if re.fullmatch(r"\W*City\W*State\W*", s):
        return ""  # the location placeholders of anonymised resumes name no employer
    if (
        not _title_like(s) or len(s) > 100 or _continues_sentence(s) or len(s.split()) > 12
        or not (_ORG_WORDS.search(s) or re.search(r"\bCity\b.{0,4}\bState\b", s))
    ):
        return ""
    title, org = _split_title_org(_clean_title(s))
    return org or title


def _split_title_org(header: str) -> tuple[str, str]:
    parts = [p.strip(" *_#") for p in _SPLIT_TITLE.split(header) if p and p.strip(" *_#")]
    if not parts:
        return "", ""
    # "City", "State": the location placeholders of anonymised resumes are never a title
    parts = [
        p[6:] if p.startswith("State ") and i and parts[i - 1].endswith("City") else p
        for i, p in enumerate(parts)
    ]
    parts = [p for p in parts if p not in ("City", "State", "Country")] or parts
    for i, p in enumerate(parts):
        # "Company Name" is the placeholder public resume datasets put for the employer
        m = re.search(r"\bCompany Name\b", p)
        if m:
            before = p[: m.start()].strip(" ,-–")
            # "Company Name HR Manager"; "Company Name City" names only a place
            after = re.sub(r"^(?:\W*\b(?:City|State|Country)\b)+", "", p[m.end():])
            after = after.strip(" ,-–")
            after = after if re.search(r"[^\W\d_]{2}", after) else ""
            title = before or after or next((q for j, q in enumerate(parts) if j != i), "")
            return title[:120], "Company Name"
    org_idx = next((i for i, p in enumerate(parts) if _ORG_WORDS.search(p)), None)
    if len(parts) == 1 and org_idx is None:
        return parts[0][:120], ""
    if org_idx is None:
        return parts[0][:120], parts[1][:120]
    org = parts[org_idx]
    others = [p for i, p in enumerate(parts) if i != org_idx]
    m = _ORG_WORDS.search(org)
    lead = org[: m.start()].split() if m else []
    # "Senior Buyer Acme Ltd, City, State": the title runs into the organisation's name
    if len(lead) >= 2 and all(len(p.split()) <= 1 for p in others):
        cut = _lead_title_end(lead)
        if cut:
            return " ".join(lead[:cut])[:120], " ".join(org.split()[cut:])[:120]
    return (others[0] if others else "")[:120], org[:120]


def _lead_title_end(words: list[str]) -> int:
    """How many leading words are a job title, when a title and an organisation share a part:
    all but the last capitalised word before the organisation keyword (which names it)."""
    if len(words) < 2:
        return 0
    return len(words) - 1 if words[-1][:1].isupper() else len(words)


def _anchors(region: str, problems: list[str] | None = None) -> list[DateRange]:
    """Date ranges that can anchor a job: every range, and lone dates on short header-like lines."""
    found = []
    for r in find_date_ranges(region, singles=True, problems=problems):
        if r.single:
            ls, le = _line_span(region, r.pos)
            line = region[ls:le]
            rest = (region[ls:r.pos] + region[r.endpos:le]).strip()
            if len(rest) > 70 or len(find_date_ranges(line, singles=True)) > 1:
                continue
            before = region[ls:r.pos].rstrip()
            if re.search(r"\b(?:in|on|by|until|since|from|of|during|en|im|am|в|до|le)$", before,
                         re.IGNORECASE) or re.match(r"[a-zа-яё]", rest) or rest.endswith("."):
                continue  # "was published in May 2012." is prose, not a job
            if r.precision == "year" and len(rest) > 50:
                continue
        found.append(r)
    return found


def _positions_in(
    text: str,
    start: int,
    end: int,
    *,
    classify: bool,
    warnings: list[str],
) -> list[Position]:
    """Positions anchored at the date ranges of ``text[start:end]``.

    With ``classify`` (a CV without an experience heading) a block that reads like study (a degree
    or a university on its header) is skipped.
    """
    region = text[start:end]
    anchors = _anchors(region, warnings)
    if len(anchors) > MAX_DATED_ENTRIES:
        warnings.append(
            f"{len(anchors)} dated entries in one section; only the first {MAX_DATED_ENTRIES} "
            "were read as positions"
        )
        anchors = anchors[:MAX_DATED_ENTRIES]
    if not classify and len(anchors) > 1:
        # "increased sales by 12% from 2003 to 2005" inside a description is not a job
        anchors = [a for a in anchors if not _inside_sentence(region, a)] or anchors
        if sum(a.precision in ("month", "day") for a in anchors) >= 2:
            # where jobs carry months, a year-only range in prose is a version or a period the
            # text talks about ("Windows 2008/2012 servers", "each year from 2003-2006")
            anchors = [a for a in anchors if a.precision != "year" or not _prose_clause(region, a)]
    headers = [_header_for(region, a, 0) for a in anchors]
    positions: list[Position] = []
    lone: list[bool] = []  # parallel to positions: anchored at a lone date
    for i, a in enumerate(anchors):
        budget.check("reading dated positions")
        header, hs, he = headers[i]
        # the description runs to the next job's header (which may sit above its dates)
        next_hs = len(region)
        if i + 1 < len(anchors):
            next_hs = min(headers[i + 1][1], _line_span(region, anchors[i + 1].pos)[0])
        desc_start = min(he + 1, len(region))
        description = region[desc_start:max(desc_start, next_hs)].strip()
        context = _context(region, a)
        if _NOT_A_JOB.search(context) or _NOT_A_JOB.search(header):
            continue
        if classify:
            block = region[hs:he] if he - hs < 200 else context
            block = block[:400]
            if degree_level(block)[0] is not None or _EDU_HINT.search(block):
                continue
        title, org = _split_title_org(header)
        if not title:
            # "Company Name, City, State" with the title on the line above (across one blank
            # line) or below
            ps, pe = _line_span(region, max(hs - 1, 0))
            prev = region[ps:pe] if hs > 0 else ""
            if not prev.strip() and ps > 0:
                ps, pe = _line_span(region, ps - 1)
                prev = region[ps:pe]
            ns, ne = _line_span(region, min(he + 1, len(region)))
            nxt = region[ns:ne] if he < len(region) else ""
            for cand in (prev, nxt):
                if re.fullmatch(r"\W*City\W*(?:State\W*)?", cand):
                    continue  # the location placeholder line of the job above is no title
                if _title_like(cand) and len(cand.strip()) < 80 and "Company Name" not in cand:
                    title = _clean_title(cand)[:120]
                    break
        if not (title and org) and he + 1 < next_hs:
            # "Title , 10/2016 to Current" then "Company Name – City , State" on the next line;
            # the header's only part was then the title, even with an organisation word in it
            # ("Financial Services Representative", "Office Coordinator")
            ns, ne = _line_span(region, he + 1)
            employer = _employer_line(region[ns:ne])[:120]
            if employer:
                title, org = (title or org), employer
        elif he + 1 < next_hs and not re.search(r"\bCompany Name\b", header):
            # "Manager, Finance Dec 2007 to Current" / "Director of Career Services Jul 2002 to
            # Oct 2005" over "Company Name – City , State": with the employer on the next line,
            # the whole header is the title, commas and organisation-like words included
            ns, ne = _line_span(region, he + 1)
            employer = _employer_line(region[ns:ne])[:120]
            parts = [q for q in _SPLIT_TITLE.split(header) if q and q.strip()]
            if employer and (len(parts) == 1 or not any(_ORG_WORDS.search(q) for q in parts)):
                # a remark in brackets ("(Company is being dissolved ...)") is not the title
                whole = re.sub(r"\s*\((?:[^()]*\s){3,}[^()]*(?:\)|$)", "", header)
                title, org = _clean_title(whole)[:120], employer
        head = region[max(hs, a.pos - 300):min(he, a.endpos + 300)]
        fraction, pt_note = _part_time(head + "\n" + description[:600])
        if pt_note and fraction == 1.0:
            warnings.append(
                f"position '{title[:40]}' is part-time with no stated fraction: counted in full"
            )
        if a.precision == "year":
            warnings.append(
                f"position '{title[:40]}' has year-only dates ({a.text.strip()}): counted "
                "January to December, imprecise"
            )
        positions.append(
            Position(
                title=title,
                organisation=org,
                start=a.start,
                end=a.end,
                ongoing=a.ongoing,
                description=description[:4000],
                part_time_fraction=round(fraction, 3),
                date_precision=a.precision,
                evidence=Evidence(
                    text=a.text.strip(), start=start + a.pos, end=start + a.endpos, source="text"
                ),
            )
        )
        lone.append(a.single)
    return _latest_lone_date_ongoing(positions, lone, warnings)


def _latest_lone_date_ongoing(
    positions: list[Position], lone: list[bool], warnings: list[str]
) -> list[Position]:
    """The first job of a section dated by a lone month ("February 2014") that starts when or
    after every later-listed job ended is the current one: resume builders print "Month Year"
    alone when the end is left blank, as the other jobs' "Month Year to Month Year" show. It
    runs to the reference date, and a warning says so. Not when the other jobs are lone dates
    too (summer jobs listed by month)."""
    if len(positions) < 2 or not lone[0] or positions[0].date_precision != "month":
        return positions
    first, rest = positions[0], [p for p in positions[1:] if p.start is not None]
    if not rest or first.start is None or any(p.end is None for p in rest):
        return positions
    pairs = zip(lone[1:], positions[1:], strict=True)
    if all(single for single, p in pairs if p.start is not None):
        return positions
    latest = max((p.end.year, p.end.month) for p in rest if p.end is not None)
    if (first.start.year, first.start.month) < latest:
        return positions
    said = first.evidence.text if first.evidence else ""
    warnings.append(
        f"position '{first.title[:40]}' gives only its start ({said}) and is the latest job: "
        "read as ongoing"
    )
    return [replace(first, end=None, ongoing=True), *positions[1:]]


def _inside_sentence(region: str, a: DateRange) -> bool:
    """A date range inside prose: in the middle of a long line, or after a clause of lower-case
    words ("increased sales by 12% by improving merchandise from 2003 to 2005")."""
    ls, le = _line_span(region, a.pos)
    if le - ls > 100 and a.pos - ls > 30 and le - a.endpos > 30:
        return True
    words = region[ls:a.pos].lower().split()
    return sum(1 for w in words if w in _FUNCTION_WORDS) >= 2


_DATE_WORDS = frozenset(
    "to till until present current date now from since and of the at in".split()
)


def _prose_clause(region: str, a: DateRange) -> bool:
    """The clause around a date range has a lower-case word other than the words of a date
    ("servers", "budget"): a job's header names a title, an employer and a place, capitalised."""
    clause = _context(region, a).replace(a.text, " ")
    return any(w not in _DATE_WORDS for w in re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", clause))


_FUNCTION_WORDS = frozenset(
    # not "of", "for", "the", "in", "at": organisation names are full of them
    "by with to from during was were has have had while after before between through into than "
    "which that".split()
)


def _dedupe(positions: list[Position]) -> list[Position]:
    """Drop exact repeats (same dates and title), which PDF extraction sometimes produces, and a
    year-only range that restates a job dated to the month ("2008 to present." under "August 2008
    to Current"): same start year and same end (year, or both ongoing)."""
    seen: set[tuple[object, ...]] = set()
    precise = {
        (p.start.year, p.end.year if p.end else None)
        for p in positions if p.start is not None and p.date_precision in ("month", "day")
    }
    out = []
    for p in positions:
        key = (p.start, p.end, p.ongoing, p.title.lower())
        if p.start is not None and key in seen:
            continue
        if p.start is not None and p.date_precision == "year" and (
            p.start.year, p.end.year if p.end else None
        ) in precise:
            continue
        seen.add(key)
        out.append(p)
    return out


def _undated_positions(text: str, start: int, end: int) -> list[Position]:
    """Jobs listed without any date: one per block of lines (title line first)."""
    region = text[start:end]
    positions = []
    pos = 0
    for block in re.split(r"\n\s*\n", region):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        offset = region.find(block, pos)
        pos = max(pos, offset + len(block))
        if not lines:
            continue
        header = lines[0]
        if _BULLET.match(header) or len(header.strip()) > 140:
            continue
        title, org = _split_title_org(_clean_title(header))
        if not title:
            continue
        if len(lines) > 1 and not org and not _BULLET.match(lines[1]) and len(lines[1]) < 100:
            org = _clean_title(lines[1])
        description = "\n".join(lines[1:])
        hs = start + offset + block.find(header)
        positions.append(
            Position(
                title=title[:120],
                organisation=org[:120],
                description=description[:4000],
                evidence=Evidence(text=header.strip()[:160], start=hs, end=hs + len(header),
                                  source="text"),
            )
        )
    return positions


# --------------------------------------------------------------------------- languages

_NATIVE = native_pattern()
_P11 = p11_pattern()
_CONNECTOR = re.compile(r"^[\s,/&+]*(?:and|et|und|и|e|y)?[\s,/&+]*$", re.IGNORECASE)
# a line that says it is about languages: a level phrase that tells so alone, or the word itself
_LANG_LINE_HINT = re.compile(
    rf"{level_cue_pattern().pattern}|language|langue|sprache|язык", re.IGNORECASE
)


def _language_line(line: str, offset: int) -> list[LanguageSkill]:
    """Languages on one line with their levels (see :func:`find_languages_in_cv`).

    A native language gets ``native=True`` and level C2, so a level comparison never fails it.
    """
    hits = [(c, s, e) for c, s, e in find_languages(line) if c]
    if not hits:
        return []
    codes_in_line = CEFR_CODE.findall(line)
    out: list[LanguageSkill] = []
    # Europass grid row: one language and three or more CEFR codes
    if len(hits) == 1 and len(codes_in_line) >= 3:
        code, s, e = hits[0]
        levels = [c.upper() for c in codes_in_line]
        productive = levels[2:] if len(levels) >= 5 else levels[-2:]
        lowest = min(productive, key=cefr_rank)
        understanding = max(levels[:2], key=cefr_rank) if len(levels) >= 4 else levels[0]
        note = (
            "Europass grid: lowest productive skill (speaking/writing) "
            f"{lowest} of {'/'.join(levels)}; understanding up to {understanding}"
        )
        return [LanguageSkill(code, lowest, False, note,
                              Evidence(line.strip(), offset, offset + len(line), "text"))]
    # UN P11 grid row: Read / Write / Speak / Understand, each "Easily" or "Not easily"
    p11 = _P11.findall(line)
    if len(hits) == 1 and len(p11) >= 3:
        code, s, e = hits[0]
        levels = [p11_level(w) for w in p11]
        productive = levels[1:3] if len(levels) >= 4 else levels
        lowest = min(productive, key=cefr_rank)
        native = bool(_NATIVE.search(line))
        note = (
            "P11 grid (read/write/speak/understand: easily = C1, not easily = B1): lowest of "
            f"write and speak {lowest}"
        )
        return [LanguageSkill(code, "C2" if native else lowest, native, note,
                              Evidence(line.strip(), offset, offset + len(line), "text"))]
    # "Mother tongue(s): Russian, Ukrainian" / "Native: Russian; Fluent: English"
    clauses = re.split(r"\s*[;|]\s*", line)
    cpos = 0
    for clause in clauses:
        cstart = line.find(clause, cpos)
        cpos = cstart + len(clause)
        chits = [
            (c, s - cstart, e - cstart) for c, s, e in hits if cstart <= s < cstart + len(clause)
        ]
        if not chits:
            continue
        lead = clause[: chits[0][1]]
        lead_native = bool(_NATIVE.search(lead))
        lead_level = None if lead_native else _level_of(lead)
        segments = []
        for j, (code, s, _e) in enumerate(chits):
            seg_end = chits[j + 1][1] if j + 1 < len(chits) else len(clause)
            segments.append((code, s, clause[s:seg_end]))
        resolved: list[tuple[str, int, str, str | None, bool]] = []
        for code, s, seg in segments:
            # the level belongs to this language up to the next comma ("Hindi, Java, Visual
            # Basic" must not make Hindi "basic")
            own = re.split(r"[,;]", seg, maxsplit=1)[0]
            native = bool(_NATIVE.search(own)) or lead_native
            level = "C2" if native else _level_of(own) or lead_level
            resolved.append((code, s, seg, level, native))
        # "English and French: fluent" - a bare language inherits the next one's level
        for j in range(len(resolved) - 2, -1, -1):
            code, s, seg, level, native = resolved[j]
            between = seg[len(_lang_name(seg)):] if level is None else ""
            if level is None and _CONNECTOR.match(between) and not native:
                nxt = resolved[j + 1]
                resolved[j] = (code, s, seg, nxt[3], nxt[4])
        for code, s, seg, level, native in resolved:
            note = seg.strip(" ,;")[:80]
            start = offset + cstart + s
            out.append(
                LanguageSkill(code, level, native, note,
                              Evidence(seg.strip()[:120], start, start + len(seg.rstrip()), "text"))
            )
    return out


def _lang_name(seg: str) -> str:
    m = re.match(r"\s*[\w\-ёЁ]+", seg)
    return m.group(0) if m else ""


def _level_of(segment: str) -> str | None:
    m = CEFR_CODE.search(segment)
    if m:
        return m.group(1).upper()
    m = _P11.search(segment)
    if m:
        return p11_level(m.group(0))
    return cefr_from_words(segment)


def find_languages_in_cv(
    text: str, sections: list[Section]
) -> list[LanguageSkill]:
    """Languages with CEFR levels.

    Inside a languages section every line is read; elsewhere only short lines that pair a language
    with a level or say "mother tongue", so "translated from French" in a job description is not
    taken as a skill. The Europass grid gives the lowest productive skill (speaking, writing) and
    says so in ``note``. A language named twice keeps the first level found; native wins.
    """
    found: list[LanguageSkill] = []
    lang_spans = [(s.start, s.end) for s in sections if s.kind == "languages"]
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        # a line inside the section, or a heading with the languages on it ("Languages: A, B")
        in_section = any(a < start + len(line) and start < b for a, b in lang_spans)
        if in_section:
            found.extend(_language_line(line, start))
            continue
        # elsewhere, a short line (or a short sentence of a long one, as PDF layouts run
        # sentences together) that pairs a language with a level; a language named in a
        # skills list alone is no claim ("French" there may come from "French fine dining")
        at = 0
        for part in (re.split(r"(?<=[.!?])\s+", line) if len(line) > 120 else [line]):
            offset = start + line.find(part, at)
            at = offset - start + len(part)
            if len(part) > 120 or not find_languages(part):
                continue
            if not (_LANG_LINE_HINT.search(part) or CEFR_CODE.search(part) or
                    _level_near_language(part)):
                continue
            found.extend(s for s in _language_line(part, offset) if s.level or s.native)
    merged: dict[str, LanguageSkill] = {}
    for s in found:
        prev = merged.get(s.language)
        if prev is None:
            merged[s.language] = s
        elif s.native and not prev.native:
            merged[s.language] = s
        elif prev.level is None and s.level is not None and not prev.native:
            merged[s.language] = s
    return list(merged.values())


def _level_near_language(line: str) -> bool:
    for _code, s, e in find_languages(line):
        tail = line[e:e + 30]
        if re.match(r"\s*[:(\-–—,]", tail) and (CEFR_CODE.search(tail) or cefr_from_words(tail)):
            return True
        # "Excellent Mandarin Chinese writing and speaking skills", "good French speaking": a
        # level word just before the language, and the skill it is about just after
        if re.match(r"(?:\s+\w+)?\s+(?:speaking|writing|reading|spoken|written|oral|verbal)\b",
                    tail) and cefr_from_words(" ".join(line[max(0, s - 20):s].split()[-2:])):
            return True
    return False


# --------------------------------------------------------------------------- skills


def _skills(text: str, sections: list[Section]) -> tuple[str, ...]:
    items: list[str] = []
    seen: set[str] = set()
    for s in sections:
        if s.kind != "skills":
            continue
        for raw in re.split(r"[\n,;•●▪|]+", text[s.start:s.end]):
            item = _BULLET.sub("", raw).strip(" .:-–*\t")
            if CEFR_CODE.search(item) or _NATIVE.search(item) or _LANG_LINE_HINT.search(item) or (
                re.search(r"\b(?:listening|spoken|understanding)\b", item, re.I)
            ):
                continue  # the language grid of a Europass "personal skills" block
            if 2 <= len(item) <= 60 and len(item.split()) <= 6 and item.lower() not in seen:
                seen.add(item.lower())
                items.append(item)
    return tuple(items[:100])


# --------------------------------------------------------------------------- text


@lru_cache(maxsize=1)
def _glued_heading() -> re.Pattern[str]:
    multi = sorted((h for h in _HEADING_KIND if " " in h), key=len, reverse=True)
    alternatives = "|".join(re.escape(h) for h in multi)
    # after a sentence end, or stuck to the previous word ("96 monthsCompany Details")
    return re.compile(
        rf"([.!?;]|[a-z0-9](?=[A-Z]))[ \t]*((?i:{alternatives}))[ \t]*$", re.MULTILINE
    )


def clean_text(raw: str) -> str:
    """Repair (mojibake, ftfy, NFKC, invisible characters) and tidy whitespace."""
    # a fullwidth comma whose last UTF-8 byte was lost ("ï¼" + junk) before ftfy sees it
    raw = re.sub("ï¼[\u200b\x80-\x9f]", "\uff0c", raw)
    text = repair_text(raw)
    text = text.replace("\t", "    ").replace("\f", "\n")
    # "... SQL Server.Education Details": a heading glued to the end of the previous sentence
    text = _glued_heading().sub(lambda m: m.group(1) + "\n" + m.group(2), text)
    text = re.sub(r"(?<![ \u3000])[ \u3000]+\n", "\n", text)  # from a run's start: linear
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --------------------------------------------------------------------------- parse


def _read_path(path: str, store: ProfileStore | None) -> DocumentText:
    """One file's text: read, or from ``store`` when it holds the text of the same bytes."""
    if store is None:
        return read_document(path)
    suffix = Path(path).suffix.lower()
    return store.read_document(read_file_bytes(path), name=path, suffix=suffix)


def _read_source(
    source: str | bytes | os.PathLike[str], store: ProfileStore | None = None
) -> tuple[DocumentText, str | None]:
    """(document, path or None) for a path, raw bytes or CV text."""
    if isinstance(source, os.PathLike):
        return _read_path(os.fspath(source), store), os.fspath(source)
    if isinstance(source, (bytes, bytearray)):
        if store is not None:
            return store.read_document(bytes(source), name="<bytes>"), None
        return read_bytes(bytes(source), name="<bytes>"), None
    if isinstance(source, str):
        looks_like_path = (
            "\n" not in source
            and len(source) < 1024
            and (os.path.exists(source) or Path(source).suffix.lower() in SUPPORTED_SUFFIXES)
        )
        if looks_like_path:
            return _read_path(source, store), source
        if len(source.encode("utf-8", "ignore")) > MAX_BYTES:
            from matcher.errors import InputTooLargeError

            raise InputTooLargeError("CV text is over the size limit", path="<text>")
        if not source.strip():
            raise EmptyInputError("CV text is empty", path="<text>")
        return DocumentText(text=source, format="text"), None
    raise InputError(f"cannot read a CV from {type(source).__name__}")


def parse_cv(
    source: str | bytes | os.PathLike[str],
    *,
    candidate_id: str | None = None,
    reference_date: date | str | None = None,
    policy: ExperiencePolicy | None = None,
    store: ProfileStore | None = None,
) -> CandidateProfile:
    """Parse one CV (a path to .txt/.md/.pdf/.docx, the text itself, or the bytes of a file).

    ``reference_date`` (a date or an ISO string "2025-07-31") ends open ranges ("to date") and is
    the day experience is counted to (default today; ranking passes the vacancy's closing date).
    ``policy`` sets the counting rules. Raises a :class:`~matcher.errors.MatcherError` subclass
    naming the file for unreadable input, and :class:`~matcher.errors.ConfigError` for a bad date;
    a parse that runs past the per-file time or memory budget (:mod:`matcher.features.budget`)
    raises :class:`~matcher.features.budget.BudgetExceededError` naming the limit.
    ``store``: a :class:`~matcher.features.store.ProfileStore` that keeps the text extracted from
    a PDF or DOCX, so the same file is not read again (whatever the reference date).
    """
    with budget.file_budget(name=_source_name(source)):
        return _parse_cv(
            source, candidate_id=candidate_id, reference_date=reference_date, policy=policy,
            store=store,
        )  # fmt: skip


def _source_name(source: object) -> str:
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    if isinstance(source, str) and len(source) < 1024 and "\n" not in source:
        return source
    return "<bytes>" if isinstance(source, (bytes, bytearray)) else "<text>"


def _parse_cv(
    source: str | bytes | os.PathLike[str],
    *,
    candidate_id: str | None,
    reference_date: date | str | None,
    policy: ExperiencePolicy | None,
    store: ProfileStore | None = None,
) -> CandidateProfile:
    ref = as_date(reference_date) or date.today()
    policy = policy or ExperiencePolicy()
    doc, path = _read_source(source, store)
    # repair and tidying cost time on every character: only what can survive the cut below
    text = clean_text(doc.text[: 4 * MAX_CHARS])
    if not text:
        raise EmptyInputError("CV has no text", path=path or "<text>")
    warnings: list[str] = list(doc.warnings)
    if len(text) > MAX_CHARS or len(doc.text) > 4 * MAX_CHARS:
        size = max(len(text), len(doc.text))
        warnings.append(f"CV text is {size} characters; only the first {MAX_CHARS} were read")
        text = text[:MAX_CHARS]
    if candidate_id is None:
        candidate_id = (
            Path(path).stem if path else "cv-" + hashlib.sha1(text.encode()).hexdigest()[:10]
        )

    budget.check("reading the document")
    sections = split_sections(text)
    kinds = {s.kind for s in sections}

    # degrees
    degrees: list[Degree] = []
    for s in sections:
        if s.kind == "education":
            found, w = find_degrees(text[s.start:s.end], in_education=True, offset=s.start,
                                    reference_date=ref)
            degrees.extend(found)
            warnings.extend(w)
    if not degrees:
        found, w = _degrees_outside(text, sections, ref)
        degrees.extend(found)
        warnings.extend(w)
    if not degrees:
        warnings.append("no degree found")

    # positions, read with birth dates blanked (same length, so offsets hold): a date of birth is
    # never a job's start
    personal, spans = detect_personal(text)
    dated = _blanked(text, spans, "DATE_OF_BIRTH")
    positions: list[Position] = []
    if "experience" in kinds:
        for s in sections:
            if s.kind == "experience":
                positions.extend(_positions_in(dated, s.start, s.end, classify=False,
                                               warnings=warnings))
    else:
        for s in sections:
            if s.kind in ("header", "summary", "other", "personal"):
                positions.extend(_positions_in(dated, s.start, s.end, classify=True,
                                               warnings=warnings))
    if not any(p.start for p in positions):
        undated: list[Position] = []
        for s in sections:
            if s.kind == "experience":
                undated.extend(_undated_positions(dated, s.start, s.end))
        if undated or "experience" in kinds:
            positions = undated
            warnings.append(
                "experience unknown: positions are listed without dates, so months of "
                "experience cannot be counted"
            )
        else:
            warnings.append("experience unknown: no dated position found")
    positions = _dedupe(positions)
    future = [p for p in positions if p.start and p.start > ref]
    if future:
        warnings.append(f"{len(future)} position(s) start after the reference date: not counted")
    months = position_months(positions, reference_date=ref, policy=policy)

    budget.check("reading dated positions")
    languages = find_languages_in_cv(text, sections)
    skills = _skills(text, sections)
    blind = blind_text(text, spans)
    hidden = tuple(clean_text(h) for h in doc.hidden_text if clean_text(h))

    profile = CandidateProfile(
        id=candidate_id,
        education=tuple(degrees),
        highest_level=highest_completed_level(degrees),
        positions=tuple(positions),
        experience_months=months,
        languages=tuple(languages),
        skills=skills,
        text=text,
        blind_text=blind,
        personal=personal,
        source=path or "",
        warnings=tuple(dict.fromkeys(warnings)),
        hidden_text=hidden,
        education_text="\n".join(
            text[s.start:s.end].strip() for s in sections if s.kind == "education"
        ).strip(),
    )
    budget.check("finding personal data")
    scorable_of(profile)  # split it once, here, not in every ranking call
    return profile


def _blanked(text: str, spans: list[PersonalSpan], kind: str) -> str:
    """``text`` with the spans of one kind replaced by spaces of the same length."""
    for s in spans:
        if s.kind == kind:
            text = text[: s.start] + " " * (s.end - s.start) + text[s.end:]
    return text


_REQUIREMENT_PROSE = re.compile(
    r"\b(?:required|requirement|or equivalent|in lieu|will be accepted|minimum of|candidates?|"
    r"applicants?|preferred|desirable|is an asset)\b",
    re.IGNORECASE,
)


def _degrees_outside(
    text: str, sections: list[Section], ref: date
) -> tuple[list[Degree], list[str]]:
    """Degrees in a CV without an education section: lines outside the experience section that
    name a degree, skipping vacancy-like prose ("a master's degree is required")."""
    degrees: list[Degree] = []
    warnings: list[str] = []
    has_edu = any(s.kind == "education" for s in sections)
    for s in sections:
        if s.kind in ("experience", "languages", "skills") or (has_edu and s.kind == "education"):
            continue
        found, w = find_degrees(text[s.start:s.end], in_education=not has_edu and
                                s.kind in ("header", "other"), offset=s.start,
                                reference_date=ref)
        for d in found:
            line = d.title
            if _REQUIREMENT_PROSE.search(line) or len(line) > 150:
                continue
            degrees.append(d)
        warnings.extend(w)
    return degrees, warnings


# --------------------------------------------------------------------------- many CVs


@dataclass(frozen=True, slots=True)
class CVFailure:
    """A file that could not be parsed: ``error`` is the MatcherError class name."""

    path: str
    error: str
    message: str


@dataclass(frozen=True, slots=True)
class LoadedCVs:
    """Profiles parsed from many files, and every file that failed (none is dropped silently).

    Iterating yields the profiles; ``len`` counts them.
    """

    profiles: tuple[CandidateProfile, ...] = ()
    failures: tuple[CVFailure, ...] = ()

    def __iter__(self) -> Iterator[CandidateProfile]:
        return iter(self.profiles)

    def __len__(self) -> int:
        return len(self.profiles)

    def __getitem__(self, index: int) -> CandidateProfile:
        return self.profiles[index]

    def by_id(self) -> dict[str, CandidateProfile]:
        return {p.id: p for p in self.profiles}


def _load_one(
    path: Path,
    *,
    reference_date: date,
    policy: ExperiencePolicy | None,
    store: ProfileStore | None = None,
) -> CandidateProfile | CVFailure:
    """One file of :func:`load_cvs`: its profile (from ``store`` when it has it), or the failure
    that names it."""
    try:
        if path.is_symlink() and not path.exists():
            raise InputError("symbolic link to a missing file, or a link loop", path=path)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES and path.suffix and not path.is_dir():
            raise UnsupportedFormatError(
                f"unsupported format {path.suffix!r}; use .txt, .md, .pdf or .docx", path=path
            )
        key = None
        if store is not None:
            try:
                if path.is_file() and path.stat().st_size <= MAX_BYTES:  # never a FIFO
                    key = store.key_for(
                        path.read_bytes(), str(path), reference_date=reference_date, policy=policy
                    )
            except OSError:
                key = None  # parse_cv names the problem
            if key is not None and (hit := store.get(key)) is not None:
                return hit
        profile = parse_cv(path, reference_date=reference_date, policy=policy, store=store)
        if store is not None and key is not None:
            store.put(key, profile)
        return profile
    except MatcherError as exc:
        return CVFailure(str(path), type(exc).__name__, str(exc))


#: Files in a folder that are not CVs (the sample folder's README and generator script).
IGNORED_IN_FOLDERS: tuple[str, ...] = (
    "README*", "readme*", "*.py", "*.json", "*.csv", ".*", "~$*",
)


def cv_files(
    folder_or_paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> list[Path]:
    """The files :func:`load_cvs` would read: a folder's entries (sorted, the non-CV files of
    :data:`IGNORED_IN_FOLDERS` skipped), or the paths given.

    Every other entry of a folder is listed, whatever it is (a subfolder, a dangling symbolic
    link, a link loop, a FIFO): :func:`load_cvs` makes it a failure row, so nothing is dropped
    without a word."""
    if isinstance(folder_or_paths, (str, os.PathLike)):
        root = Path(folder_or_paths)
        if root.is_dir():
            return sorted(
                p for p in root.iterdir()
                if not any(fnmatch(p.name, pat) for pat in IGNORED_IN_FOLDERS)
            )
        return [root]
    return [Path(p) for p in folder_or_paths]


def load_cvs(
    folder_or_paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    reference_date: date | str | None = None,
    policy: ExperiencePolicy | None = None,
    workers: int = 1,
    store: ProfileStore | None = None,
) -> LoadedCVs:
    """Parse every CV in a folder (or a list of paths); bad files are reported, not fatal.

    A ``.csv`` or ``.xlsx`` path is an export with one candidate per row (an id and the CV text
    or a file path; see :func:`matcher.features.tabular.load_cv_table`).

    In a folder, README files, ``*.py``, ``*.json`` and hidden files are skipped; any other file
    with an unsupported format is reported as a failure. ``reference_date``: a date or an ISO
    string, as for :func:`parse_cv`. ``workers`` > 1 parses in that many
    processes (PDF-heavy pools parse at a few CVs per second per core); the result is the same,
    in the same order. ``store``: a :class:`~matcher.features.store.ProfileStore`; a file parsed
    before with the same bytes, options and parser version is read from it, not parsed again, and
    a PDF or DOCX read before (whatever the reference date) is parsed from its stored text.
    """
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}")
    reference = as_date(reference_date) or date.today()  # a bad date fails before any file
    paths = cv_files(folder_or_paths)
    tables = [p for p in paths if p.suffix.lower() in (".csv", ".xlsx") and p.is_file()]
    if tables:  # spreadsheet exports: one candidate per row (matcher.features.tabular)
        from matcher.features.tabular import load_cv_table

        parts = [load_cv_table(t, reference_date=reference, policy=policy, store=store)
                 for t in tables]  # fmt: skip
        rest = [p for p in paths if p not in tables]
        if rest:
            parts.append(load_cvs(rest, reference_date=reference, policy=policy,
                                  workers=workers, store=store))  # fmt: skip
        return LoadedCVs(
            tuple(p for part in parts for p in part.profiles),
            tuple(f for part in parts for f in part.failures),
        )
    parse = partial(_load_one, reference_date=reference, policy=policy, store=store)
    if workers > 1 and len(paths) >= 4 * workers:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the caller may hold threads (a loaded model) that fork would copy
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            outcomes = list(pool.map(parse, paths, chunksize=max(1, len(paths) // (8 * workers))))
    else:
        outcomes = [parse(path) for path in paths]
    profiles: list[CandidateProfile] = []
    failures: list[CVFailure] = []
    ids: set[str] = set()
    # "cand.txt" and "cand.pdf" both get their suffix, whatever the order or which one fails
    stems = Counter(p.stem for p in paths)
    for path, outcome in zip(paths, outcomes, strict=True):
        if isinstance(outcome, CVFailure):
            failures.append(outcome)
            log.warning("skipped %s: %s", path, outcome.error)
            continue
        profile = outcome
        if stems[path.stem] > 1 and profile.id == path.stem:
            profile = replace(profile, id=path.name)
        if profile.id in ids:  # the same file name in two folders
            profile = replace(profile, id=str(path))
        ids.add(profile.id)
        profiles.append(profile)
    return LoadedCVs(tuple(profiles), tuple(failures))

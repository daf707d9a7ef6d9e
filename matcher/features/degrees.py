"""Degrees across national systems, mapped to ISCED 2011 levels with ONE table.

The table ``matcher/resources/degrees.csv`` has one row per pattern: ``id``, ``pattern`` (a regular
expression), ``level`` (ISCED), ``case`` (``sensitive`` for abbreviations such as "MA" or "BSc"),
``scope`` (``education``: only read inside an education section or a line already known to be a
degree, for words that are ambiguous elsewhere such as "high school" or "Diplom"), ``applies``
(``cv``: a degree a CV holds; ``notice``: a degree a notice asks for, read by requirement
extraction; ``both``; ``prefix``: a degree's name at the front of its field, "Bachelor of Science
in", which says nothing of the field and is dropped before fields are compared), ``system``
(country or system) and ``note``. The row that matched is recorded in ``Degree.matched_rule`` so an
explanation can show why "Laurea magistrale" counted as a second-level degree.

    >>> degree_level("Laurea magistrale in Relazioni Internazionali")
    (7, 'master_word')
    >>> degree_level("Бакалавр юриспруденции")
    (6, 'bachelor_ru')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from matcher.errors import ConfigError
from matcher.features.dates import MONTH_NAME, YEAR
from matcher.features.fields import GENERIC_SUBJECT, field_codes
from matcher.features.tables import read_table
from matcher.types import Degree, Evidence

__all__ = [
    "DegreeRule",
    "degree_rules",
    "degree_rules_for",
    "degree_level",
    "find_degrees",
    "describe_rule",
    "highest_completed_level",
]


@dataclass(frozen=True, slots=True)
class DegreeRule:
    """One row of the degree table."""

    id: str
    pattern: re.Pattern[str]
    level: int
    scope: str
    system: str
    note: str
    applies: str = "cv"  # cv, notice, both or prefix
    case_sensitive: bool = False


_APPLIES = ("cv", "notice", "both", "prefix")


@lru_cache(maxsize=1)
def degree_rules() -> tuple[DegreeRule, ...]:
    """The degree table, in file order (most specific first)."""
    rules = []
    columns = ("id", "pattern", "level", "case", "scope", "applies", "system", "note")
    for n, row in enumerate(read_table("degrees.csv", columns)):
        if row["applies"] not in _APPLIES:
            raise ConfigError(
                f"degrees.csv: row {n + 2}: applies must be one of {', '.join(_APPLIES)}"
            )
        sensitive = row["case"] == "sensitive"
        flags = re.MULTILINE | (0 if sensitive else re.IGNORECASE)
        rules.append(
            DegreeRule(
                id=row["id"],
                pattern=re.compile(row["pattern"], flags),
                level=int(row["level"]),
                scope=row["scope"],
                system=row["system"],
                note=row["note"],
                applies=row["applies"],
                case_sensitive=sensitive,
            )
        )
    return tuple(rules)


def degree_rules_for(use: str) -> tuple[DegreeRule, ...]:
    """The rows that apply to ``use`` ("cv", "notice" or "prefix"), in file order."""
    return tuple(r for r in degree_rules() if r.applies in (use, "both"))


def describe_rule(rule_id: str) -> str:
    """Human-readable description of a table row: "master_word (international / Bologna): ..."."""
    for rule in degree_rules():
        if rule.id == rule_id:
            return f"{rule.id} -> ISCED {rule.level} ({rule.system}): {rule.note}"
    return rule_id


def degree_level(title: str, *, in_education: bool = True) -> tuple[int | None, str]:
    """Highest ISCED level named in ``title`` and the id of the table row that gave it."""
    best: tuple[int | None, str] = (None, "")
    for rule in degree_rules_for("cv"):
        if rule.scope == "education" and not in_education:
            continue
        if rule.pattern.search(title) and (best[0] is None or rule.level > best[0]):
            best = (rule.level, rule.id)
    return best


_IN_PROGRESS = re.compile(
    r"\b(?:candidate|student|ongoing|in progress|expected|anticipated|pursuing|currently|"
    r"en cours|laufend|angestrebt|candidat|étudiant|в процессе|студент\w*|аспирант\w*|"
    r"to be completed|not completed|incomplete|unfinished|coursework(?! completed))\b",
    re.IGNORECASE,
)
#: said on the line under a degree, these mark that degree as not finished ("Health Care
#: Administration, still in progress will graduate June 2016"); weaker words such as "currently"
#: or "pursuing" there may start another entry
_IN_PROGRESS_BELOW = re.compile(
    r"\b(?:in progress|expected|anticipated|will graduate|to be completed|not completed|"
    r"incomplete|unfinished)\b",
    re.IGNORECASE,
)
#: words that say the degree named *after* them was studied for, not earned ("Attended X
#: College, 78 semester hours toward Bachelors degree"); read only before the degree on its line,
#: so "High School Diploma, 1997 ... attended a college" keeps the diploma
_NOT_EARNED_BEFORE = re.compile(
    r"\b(?:attended|towards?|(?:semester|credit|quarter)\s+(?:hours|credits|units))\b",
    re.IGNORECASE,
)
_INSTITUTION_WORD = re.compile(
    r"\b(?:university|universit[éeà]|universität|universitat|universidad|hochschule|"
    r"fachhochschule|institute|institut|college|école|ecole|school|academy|académie|akademie|"
    r"polytechnic|politecnico|sciences po|университет\w*|институт\w*|академи\w*|"
    r"училищ\w*|колледж\w*|вуз)\b",
    re.IGNORECASE,
)
_SEGMENT_ENDS = ",;|\n()"


class _Segment(str):
    def group(self, index: int = 0) -> str:
        return str(self)


class _InstitutionFinder:
    """The separator-delimited segment around the first institution word.

    Same result as ``re.search(r"[^,;|\n()]*\b(?:university|...)\b[^,;|\n()]*")``, in linear
    time: that pattern re-scans the line from every start position (quadratic on long lines).
    """

    def search(self, text: str) -> _Segment | None:
        m = _INSTITUTION_WORD.search(text)
        if m is None:
            return None
        start = max(text.rfind(c, 0, m.start()) for c in _SEGMENT_ENDS) + 1
        ends = [i for i in (text.find(c, m.end()) for c in _SEGMENT_ENDS) if i >= 0]
        return _Segment(text[start : min(ends) if ends else len(text)])


_INSTITUTION = _InstitutionFinder()
_YEAR = re.compile(rf"(?<!\d)({YEAR})(?!\d)")
_FIELD = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:degree\s+)?(?:(?:in the field of|in|of|en|de)\b|d['’]|:|–|-|,)\s*"
    r"(?P<field>[^,;|\n(]{3,200})",
    re.IGNORECASE,
)


_SUBJECT = re.compile(r"\s*(?P<subject>[A-Z][\w'’&.-]*(?:[ \t]+(?:and|&|of|[A-Z][\w'’&.-]*))*)")
_MONTH = re.compile(rf"\b(?:{MONTH_NAME})\b\.?\s*(?=\d|$)", re.IGNORECASE)
_NAME_BEFORE_SCHOOL = frozenset(
    "business law medical graduate state national technical city community public".split()
)
_COLUMN_GAP = re.compile(r"\s{3,}|\t")


def _clean_field(raw: str) -> str:
    """A field as written, cut at a year, a month, a column gap, and before an institution name
    ("Public Management Baruch College" -> "Public Management")."""
    field = _COLUMN_GAP.split(raw)[0]
    field = _YEAR.split(field)[0]
    # "Organizational Leadership Columbia University City , State": the anonymised location
    field = re.sub(r"\s+City\s*$", "", field)
    month = _MONTH.search(field)
    if month:
        field = field[: month.start()]
    inst = _INSTITUTION_WORD.search(field)
    if inst:
        words = field[: inst.start()].split()
        while words and words[-1].lower() in _NAME_BEFORE_SCHOOL:
            words.pop()  # "Warwick Business School", "Fordham Law School", "Kent State University"
        dropped = 0  # the institution's own name before "College" / "University" (at most 3)
        while (words and dropped < 3 and words[-1][:1].isupper() and not field_codes(words[-1])
               and not _ends_a_field_term(words)):
            words.pop()
            dropped += 1
        while words and words[-1].lower() in ("of", "the", "at", "-", "–", "and"):
            words.pop()
        field = " ".join(words)
    return field.strip(" -–,:;.")


def _ends_a_field_term(words: list[str]) -> bool:
    """The last word finishes a two-word field term ("Fine Art" before "University of X"): the
    pair is a field and the word before alone is not."""
    return len(words) >= 2 and bool(field_codes(" ".join(words[-2:]))) and not field_codes(
        words[-2]
    )


def _degree_field(matched: str, rest: str) -> tuple[str, int]:
    """The field of study written after a degree, and how far the degree's own name runs on
    into ``rest`` (its subject: "Master of | Public Administration").

    "Master of | Public Administration : Public Management" -> "Public Administration: Public
    Management"; "Bachelor of | Arts : Criminal Justice" -> "Criminal Justice" ("Arts" names no
    field); "J.D. | : Law May 2005" -> "Law"; "Diplom (Univ.) | Politikwissenschaft" ->
    "Politikwissenschaft" (without a connector, only a word the field table knows)."""
    subject = ""
    name_end = 0
    if re.search(r"\b(?:of|in)\s*$", matched, re.IGNORECASE):
        sm = _SUBJECT.match(rest)
        if sm:
            subject = _clean_field(sm.group("subject"))
            if subject:
                name_end = sm.start("subject") + len(subject)
                rest = rest[name_end:]
            if subject and GENERIC_SUBJECT.fullmatch(subject):
                subject = ""
    fm = _FIELD.match(rest)
    field = _clean_field(fm.group("field")) if fm else ""
    if not fm and not subject and re.search(r"(?:\b(?:en|de|of|in)|d['’])\s*$", matched, re.I):
        # "Licence en | droit public", "Master of | arts": lower-case words the table knows
        low = re.match(r"\s*(?P<field>[a-zà-ÿа-я][^,;|\n(]{2,60})", rest)
        if low:
            candidate = _clean_field(" ".join(low.group("field").split()[:5]))
            generic = GENERIC_SUBJECT.fullmatch(candidate)
            field = candidate if field_codes(candidate) and not generic else ""
    if not fm and not subject and not field:
        bare = re.match(r"\s*(?:\([^)]*\)\s*)?(?P<field>[A-ZÀ-ÞА-Я][^,;|\n(]{2,80})", rest)
        if bare:
            candidate = _clean_field(bare.group("field"))
            field = candidate if field_codes(candidate) else ""
    if subject and field and field.lower() != subject.lower():
        return _words_within(f"{subject}: {field}", 80), name_end
    return _words_within(subject or field, 80), name_end


def _field_below(line: str) -> str:
    """A field written on its own short line under the degree ("Master of Arts 2008 School X" /
    "Writing for Stage and Broadcast Media London, United Kingdom"): only words the field table
    knows, never another degree."""
    head = re.split(r"[,;|(]", line, maxsplit=1)[0].strip()
    if not head or len(head.split()) > 8 or not head[:1].isupper() or degree_level(head)[0]:
        return ""
    below = _clean_field(head)
    return _words_within(below, 80) if below and field_codes(below) else ""


def _words_within(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary."""
    if len(text) <= limit:
        return text
    return text[: limit + 1].rsplit(" ", 1)[0].rstrip(" -–,:;")


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def find_degrees(
    text: str,
    *,
    in_education: bool = True,
    offset: int = 0,
    reference_date: date | None = None,
) -> tuple[list[Degree], list[str]]:
    """Degrees in ``text`` (an education section, or a whole CV with ``in_education=False``).

    Returns (degrees, warnings). One degree per line and level; a degree marked as in progress
    (or ending after ``reference_date``) keeps its level but is flagged in ``matched_rule`` with
    "in progress" and is not counted by :func:`highest_completed_level`. ``offset`` is added to
    evidence positions so they point into the full CV text.
    """
    ref_year = (reference_date or date.today()).year
    degrees: list[Degree] = []
    warnings: list[str] = []
    seen: set[tuple[int, int]] = set()
    for rule in degree_rules_for("cv"):
        if rule.scope == "education" and not in_education:
            continue
        for m in rule.pattern.finditer(text):
            ls, le = _line_bounds(text, m.start())
            key = (ls, rule.level)
            if key in seen:
                continue
            context = text[ls:le]
            above = text[max(0, ls - 80):ls].rstrip().rsplit("\n", 1)[-1]
            if above.strip() and degree_level(above)[0] is None:
                context = above + "\n" + context  # "Advance Diploma" / "X High School" (PDF)
            if _names_a_school(text[ls:m.start()], m.group(0), context):
                continue
            seen.add(key)
            line = text[ls:le].strip(" \t•*-–·")
            nxt_s, nxt_e = _line_bounds(text, min(le + 1, len(text)))
            next_line = text[nxt_s:nxt_e] if le < len(text) else ""
            prev_line = text[_line_bounds(text, max(ls - 1, 0))[0]:max(ls - 1, 0)] if ls else ""
            years = [int(y) for y in _YEAR.findall(line)] or _year_below(text, le)
            end_year = max(years) if years else None
            in_progress = bool(_IN_PROGRESS.search(line)) or bool(
                _NOT_EARNED_BEFORE.search(text[ls : m.start()])
            ) or bool(
                end_year and end_year > ref_year
            ) or bool(re.search(r"present|current|to date|heute|настоящее", line, re.I)) or bool(
                next_line.strip() and degree_level(next_line)[0] is None
                and _IN_PROGRESS_BELOW.search(next_line)
            )
            inst = _INSTITUTION.search(line) or _INSTITUTION.search(next_line) or (
                _INSTITUTION.search(prev_line)
            )
            field, name_end = _degree_field(m.group(0), text[m.end() : le])
            if not field:
                field = _field_below(next_line)
            rule_label = rule.id + (" (in progress)" if in_progress else "")
            degrees.append(
                Degree(
                    level=rule.level,
                    title=line[:160],
                    field=field[:80],
                    institution=(inst.group(0).strip(" -–:") if inst else "")[:120],
                    end_year=end_year,
                    matched_rule=rule_label,
                    evidence=Evidence(
                        text=text[m.start() : m.end() + name_end].strip(),
                        start=offset + m.start(),
                        end=offset + m.end() + name_end,
                        source="text",
                    ),
                )
            )
            if in_progress:
                warnings.append(
                    f"degree '{m.group(0).strip()}' looks in progress: not counted as held"
                )
    degrees.sort(key=lambda d: d.evidence.start if d.evidence and d.evidence.start else 0)
    return _merge_repeats(degrees), warnings


_SCHOOL_WORD = re.compile(r"(?:high|secondary|grammar|senior|middle)\s+school|college|школ", re.I)


def _names_a_school(before: str, match: str, line: str) -> bool:
    """"Pilgrim High School" names a school, it is not a diploma: a school word preceded by a
    capitalised name, on a line that says nothing of a diploma."""
    if not _SCHOOL_WORD.fullmatch(match.strip()):
        return False
    words = before.split()
    return bool(words) and words[-1][:1].isupper() and not re.search(
        r"diploma|graduat|degree|certificate|abschluss|аттестат|diplôme", line, re.I
    )


def _year_below(text: str, pos: int) -> list[int]:
    """Years on the short lines just below a degree line (PDF layouts put "2016" or
    "University X, 2016" there), stopping at the next degree."""
    lines = [ln.strip() for ln in text[pos:pos + 600].split("\n")[1:] if ln.strip()]
    for line in lines[:8]:
        if len(line) > 60 or degree_level(line)[0] is not None:
            return []
        years = [int(y) for y in _YEAR.findall(line)]
        if years:
            return years
    return []


def _merge_repeats(degrees: list[Degree]) -> list[Degree]:
    """One degree written twice in a row (a heading line and a fuller line, as PDF layouts and
    resume builders do) is kept once: same level and row, no conflicting year, adjacent."""
    out: list[Degree] = []
    for d in degrees:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.level == d.level
            and prev.matched_rule == d.matched_rule
            and _same_words(prev.evidence, d.evidence)
            and (prev.end_year is None or d.end_year is None or prev.end_year == d.end_year)
            and not (prev.field and d.field and prev.field.lower() != d.field.lower())
        ):
            if prev.end_year is None and d.end_year is not None:
                out[-1] = Degree(prev.level, prev.title, prev.field or d.field,
                                 prev.institution or d.institution, d.end_year,
                                 prev.matched_rule, prev.evidence)
            continue
        out.append(d)
    return out


def _same_words(a: Evidence | None, b: Evidence | None) -> bool:
    if a is None or b is None:
        return False
    return " ".join(a.text.lower().split()) == " ".join(b.text.lower().split())


def highest_completed_level(degrees: list[Degree] | tuple[Degree, ...]) -> int | None:
    """Highest ISCED level among degrees not flagged as in progress."""
    levels = [
        d.level for d in degrees if d.level is not None and "in progress" not in d.matched_rule
    ]
    return max(levels) if levels else None

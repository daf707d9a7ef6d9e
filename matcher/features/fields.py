"""Fields of study as ISCED-F 2013 codes (UNESCO fields of education and training), read from ONE
table, ``matcher/resources/isced_f.csv``.

Each row is a field at one of three levels: broad (2 digits, "04 Business, administration and
law"), narrow (3 digits, "042 Law") or detailed (4 digits, "0421 Law"), with the words that name
it in English, French, German, Russian and Spanish and the degree titles that imply it ("LLB",
"Juris Doctor", "MPA"). A degree's field and a notice's field are both read into codes; two codes
relate when they share the narrow field (the same subject) or only the broad one (a neighbour).

    >>> field_codes("Bachelor of Laws (LLB)")
    ('0421',)
    >>> field_codes("Diplom (Univ.) Politikwissenschaft")
    ('0312',)
    >>> field_relation(field_codes("LLB"), field_codes("law"))
    ('same', '0421', '0421')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matcher.errors import ConfigError
from matcher.features.tables import fold as _fold
from matcher.features.tables import read_table
from matcher.features.tables import term_pattern as _term_pattern
from matcher.types import Degree

__all__ = [
    "FieldOfStudy",
    "FieldFit",
    "GENERIC_SUBJECT",
    "isced_fields",
    "field_codes",
    "field_relation",
    "field_name",
    "degree_field_text",
    "degree_name",
    "occupation_codes",
    "title_field_codes",
]

_TABLE = "isced_f.csv"
_LANG_COLUMNS = ("terms_en", "terms_fr", "terms_de", "terms_ru", "terms_es")


@dataclass(frozen=True, slots=True)
class FieldOfStudy:
    """One row of the ISCED-F table."""

    code: str
    level: str  # "broad", "narrow" or "detailed"
    name: str


@dataclass(frozen=True, slots=True)
class FieldFit:
    """How one degree's field relates to the fields a notice names.

    ``relation`` is "same", "narrow" or "broad" (see :func:`field_relation`), or "" when the
    taxonomy cannot tell;
    ``similarity`` is the fuzzy / encoder relatedness in [0, 1] that decides when it cannot.
    """

    cand_field: str
    req_field: str
    similarity: float
    relation: str = ""
    cand_code: str = ""
    req_code: str = ""
    #: every ISCED-F code the degree's field text was read as (empty: the table cannot place it)
    cand_codes: tuple[str, ...] = ()


#: the first one or two characters of each word (a start of a word character after none)
_WORD_STARTS = re.compile(r"(?<!\w)\w.?", re.DOTALL)
_WORD_CHAR = re.compile(r"\w")
#: how the patterns of terms and titles begin: nothing of a word just before
_AT_WORD_START = (r"(?<!\w)", r"(?<![\w-])")


class _Alternation:
    """Terms tried longest first at every position, as one regex alternation of them all would.

    A term cannot match where its first literal word is absent, so only the terms whose literal
    start occurs in the text are tried. Each term is compiled once on its own and the
    alternation's scan is followed step by step: from the current position, the leftmost start
    where any present term matches wins, and among terms matching there the first in order
    (longest first); the scan goes on from that match's end. A term's own regex finds at a start
    what the same alternative inside the alternation finds there (the alternatives share no
    groups), so the result is the full alternation's. One alternation of hundreds of
    look-behind terms costs tens of milliseconds on a long text, and compiling one for each
    text's own subset of terms costs about a millisecond per distinct text.
    """

    def __init__(self, patterns: dict[str, list[str]], prefix: str, keys: dict[str, str]) -> None:
        ordered = sorted(patterns, key=lambda p: (-len(p), p))
        self.names = [f"{prefix}{k}" for k in range(len(ordered))]
        self.sources = ordered
        self.keys = [keys[p] for p in ordered]
        self.groups = {
            name: tuple(dict.fromkeys(patterns[p]))
            for name, p in zip(self.names, ordered, strict=True)
        }
        self._codes = [self.groups[name] for name in self.names]
        self._regexes: list[re.Pattern[str] | None] = [None] * len(ordered)
        # a term starting with a word character can only match at the start of a word (its
        # pattern looks behind for a non-word character), so it is looked up by the first two
        # characters of the text's words; other terms are always tried
        self._by_start: dict[str, list[int]] = {}
        self._anywhere: list[int] = []
        for k, (key, source) in enumerate(zip(self.keys, self.sources, strict=True)):
            if _WORD_CHAR.match(key) and source.startswith(_AT_WORD_START):
                self._by_start.setdefault(key[:2], []).append(k)
            else:
                self._anywhere.append(k)

    def __bool__(self) -> bool:
        return bool(self.sources)

    def _regex(self, k: int) -> re.Pattern[str]:
        regex = self._regexes[k]
        if regex is None:
            regex = self._regexes[k] = re.compile(self.sources[k])
        return regex

    def finditer(self, text: str) -> list[tuple[str, ...]]:
        """The codes of each match in ``text``, in order."""
        present = [k for k in self._candidates(text) if self.keys[k] in text]
        if not present:
            return []
        # the next match of each present term at or after the scan position (None: no more)
        upcoming = {k: self._regex(k).search(text) for k in present}
        found: list[tuple[str, ...]] = []
        pos = 0
        while True:
            best: re.Match[str] | None = None
            best_k = -1
            for k, match in upcoming.items():
                if match is not None and (
                    best is None or match.start() < best.start()
                    or (match.start() == best.start() and k < best_k)
                ):
                    best, best_k = match, k
            if best is None:
                return found
            found.append(self._codes[best_k])
            # an empty match moves the scan on by one, as finditer does
            pos = best.end() if best.end() > best.start() else best.start() + 1
            for k, match in upcoming.items():
                if match is not None and match.start() < pos:
                    upcoming[k] = self._regex(k).search(text, pos) if pos <= len(text) else None

    def _candidates(self, text: str) -> list[int]:
        """The terms whose key could start at one of the text's word starts (a superset)."""
        starts = set(_WORD_STARTS.findall(text))
        starts.update([s[:1] for s in starts])  # one-character keys
        found = list(self._anywhere)
        for start in starts:
            found.extend(self._by_start.get(start, ()))
        return sorted(found)

    def finditer_plain(self, text: str) -> list[tuple[str, ...]]:
        """The same as :meth:`finditer` from one regex alternation of every term (the reference)."""
        return [self.groups[m.lastgroup or ""] for m in self._everything().finditer(text)]

    @lru_cache(maxsize=1)  # noqa: B019 - one instance per table, kept for the process
    def _everything(self) -> re.Pattern[str]:
        return re.compile(
            "|".join(
                f"(?P<{name}>{source})"
                for name, source in zip(self.names, self.sources, strict=True)
            )
        )


@dataclass(frozen=True, slots=True)
class _Table:
    fields: dict[str, FieldOfStudy]
    #: every distinct term, longest first (group name -> the codes it names)
    terms: _Alternation
    titles: _Alternation
    occupations: _Alternation


@lru_cache(maxsize=1)
def _table() -> _Table:
    fields: dict[str, FieldOfStudy] = {}
    terms: dict[str, list[str]] = {}
    titles: dict[str, list[str]] = {}
    jobs: dict[str, list[str]] = {}
    keys: dict[str, str] = {}  # pattern -> the literal text any match of it contains
    columns = ("code", "level", "name_en", *_LANG_COLUMNS, "degree_titles", "occupations")
    for n, row in enumerate(read_table(_TABLE, columns)):
        code, level = row["code"], row["level"]
        if not code.isdigit() or len(code) != {"broad": 2, "narrow": 3, "detailed": 4}.get(level):
            raise ConfigError(f"{_TABLE}: row {n + 2}: bad code {code!r} for level {level!r}")
        fields[code] = FieldOfStudy(code, level, row["name_en"])
        for col in _LANG_COLUMNS:
            for term in row[col].split("|"):
                if term.strip():
                    folded = _fold(term.strip())
                    pattern = _term_pattern(folded)
                    keys[pattern] = folded.split()[0].rstrip("*")
                    terms.setdefault(pattern, []).append(code)
        for title in row["degree_titles"].split("|"):
            if title.strip():
                pattern = rf"(?<![\w-]){re.escape(title.strip())}(?![\w-])"
                keys[pattern] = title.strip()
                titles.setdefault(pattern, []).append(code)
        for job in row["occupations"].split("|"):
            if job.strip():
                folded = _fold(job.strip())
                pattern = _term_pattern(folded)
                keys[pattern] = folded.split()[0].rstrip("*")
                jobs.setdefault(pattern, []).append(code)
    return _Table(
        fields=fields,
        terms=_Alternation(terms, "t", keys),
        titles=_Alternation(titles, "d", keys),
        occupations=_Alternation(jobs, "o", keys),
    )


def term_matches(text: str, *, plain: bool = False) -> list[tuple[str, ...]]:
    """The codes of each field term, degree title and job title matched in ``text``; ``plain``
    runs the full alternation, the reference the pre-filtered one is tested against."""
    table = _table()
    out: list[tuple[str, ...]] = []
    for alternation, prepared in (
        (table.terms, _fold(text)),
        (table.titles, _DOT.sub("", text)),
        (table.occupations, _fold(text)),
    ):
        find = alternation.finditer_plain if plain else alternation.finditer
        out.extend(find(prepared))
    return out


def isced_fields() -> dict[str, FieldOfStudy]:
    """Every field of the table by code."""
    return dict(_table().fields)


def field_name(code: str) -> str:
    """"0421" -> "Law"; the code itself when it is not in the table."""
    found = _table().fields.get(code)
    return found.name if found is not None else code


_DOT = re.compile(r"(?<=\w)\.")


@lru_cache(maxsize=8192)
def field_codes(text: str) -> tuple[str, ...]:
    """The ISCED-F codes a field of study or degree title names, most specific first.

    Terms are tried longest first, so "law" inside "law enforcement" does not count on its own;
    a code whose more specific child also matched is dropped.
    """
    if not text or not text.strip():
        return ()
    table = _table()
    text = _GENERIC_DEGREE.sub(" ", text)
    found: list[str] = []
    for codes_found in table.terms.finditer(_fold(text)):
        found.extend(codes_found)
    found.extend(title_field_codes(text))
    codes = dict.fromkeys(found)
    specific = [c for c in codes if not any(o != c and o.startswith(c) for o in codes)]
    return tuple(sorted(specific, key=lambda c: (-len(c), c)))


@lru_cache(maxsize=65536)
def occupation_codes(text: str) -> tuple[str, ...]:
    """The ISCED-F codes of the job titles named in ``text`` ("Associate Attorney" -> 0421)."""
    table = _table()
    if not text or not table.occupations:
        return ()
    found: list[str] = []
    for codes_found in table.occupations.finditer(_fold(text)):
        found.extend(codes_found)
    return tuple(dict.fromkeys(found))


_RANK = {"same": 0, "narrow": 1, "broad": 2}


def field_relation(
    cand_codes: Sequence[str], req_codes: Sequence[str]
) -> tuple[str, str, str] | None:
    """The closest relation between a degree's codes and a notice field's codes.

    "same": the same detailed field, or one side names a whole narrow or broad field the other
    lies in ("Sociology" in "social sciences", "Business" for "business administration");
    "narrow": two detailed fields of one narrow field ("Psychology" and "Economics" are both
    031 Social and behavioural sciences); "broad": the same broad field only. Returns (relation,
    degree code, notice code), or None when nothing relates.
    """
    best: tuple[str, str, str] | None = None
    for a in cand_codes:
        for b in req_codes:
            if a.startswith(b) or b.startswith(a):
                return ("same", a, b)
            if a[:3] == b[:3]:
                found = ("narrow", a, b)
            elif a[:2] == b[:2]:
                found = ("broad", a, b)
            else:
                continue
            if best is None or _RANK[found[0]] < _RANK[best[0]]:
                best = found
    return best


#: the subject of a degree's name that names no field ("Arts" in "Bachelor of Arts", "Philosophy"
#: in "Doctor of Philosophy", "Professional Studies"): the one place these words are written
GENERIC_SUBJECT = re.compile(
    r"(?:(?:applied|liberal|general)\s+)?(?:professional\s+)?"
    r"(?:arts?|sciences?|philosophy|studies)",
    re.IGNORECASE,
)
# leading degree words that name no field ("Bachelor of Arts", "Doctor of Philosophy")
_GENERIC_DEGREE = re.compile(
    r"\b(?:bachelor|master|doctor|associate)(?:'|’)?s?\s+(?:degree\s+)?(?:of|in)\s+"
    rf"(?:{GENERIC_SUBJECT.pattern})\b(?!\s+(?:and|&)\b)",
    re.IGNORECASE,
)


def degree_name(degree: Degree) -> str:
    """The degree as a screener quotes it: "Master of Public Administration, Public
    Management", "J.D., Law", "MBA"."""
    name = (degree.evidence.text if degree.evidence is not None else "").strip()
    if not name:
        return (degree.title or "").strip()[:60]
    spec = degree.field.split(": ", 1)[-1].strip() if degree.field else ""
    if spec and spec.lower() not in name.lower():
        return f"{name}, {spec}"[:90]
    return name[:90]


def title_field_codes(text: str) -> tuple[str, ...]:
    """The ISCED-F codes the degree titles in ``text`` imply ("MBA" -> 0413, "J.D." -> 0421)."""
    if not text:
        return ()
    found: list[str] = []
    for codes_found in _table().titles.finditer(_DOT.sub("", text)):
        found.extend(codes_found)
    return tuple(dict.fromkeys(found))


def degree_field_text(degree: Degree) -> str:
    """The text that says a degree's field, compared with a notice's fields by the taxonomy and
    by the encoder: its field, else the degree's own name ("LLB", "MBA"), else its line.

    A degree whose name itself implies a field ("MBA" is business administration whatever its
    concentration) keeps that name beside the field: "MBA, Finance" is read as both, as a
    screener reads it.
    """
    name = degree.evidence.text.strip() if degree.evidence is not None else ""
    if degree.field:
        field = degree.field.strip()
        implied = title_field_codes(name)
        if implied and not set(implied) <= set(field_codes(field)) and len(name) <= 60:
            return f"{field} ({name})"
        return field
    if degree.evidence is not None and degree.evidence.text.strip():
        return degree.evidence.text.strip()
    return (degree.title or "").strip()

"""Assembly: the parts read item by item into one :class:`Requirements`, guarded against input that
is not a qualifications text (empty, a CV, noise, too long), and the programme-wide statement.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from matcher.features.numbers import find_durations
from matcher.features.pii import EMAIL
from matcher.features.requirements.education import (
    INLIEU_RE,
    RouteGroup,
    choose_education,
    degree_mentions,
    education_routes,
    inlieu_routes,
    metadata_education,
)
from matcher.features.requirements.experience import (
    MAX_YEARS,
    experience_minimums,
    implausible_durations,
    merge_paired,
)
from matcher.features.requirements.languages import language_requirements, merge_languages
from matcher.features.requirements.other import (
    COMPETENCY_CUE_RE,
    NARRATIVE_RE,
    competency_category,
    other_categories,
)
from matcher.features.requirements.segments import (
    LEADIN_RE,
    PREF_RE,
    Item,
    exact_evidence,
    qualification_end,
    qualification_start,
    split_items,
)
from matcher.types import (
    ExperienceRequirement,
    LanguageChoice,
    LanguageRequirement,
    RequirementItem,
    Requirements,
    Vacancy,
)

__all__ = [
    "extract_requirements",
    "ProgrammeRequirements",
    "MAX_CHARS",
]

log = logging.getLogger(__name__)


#: Longer inputs are not a qualifications section: refused with a warning, without scanning.
MAX_CHARS = 100_000


_CV_DATE_RANGE_RE = re.compile(
    r"\b(?:19|20)\d\d\s*(?:-|–|—|to)\s*(?:(?:19|20)\d\d|present|current|now|today|date)\b", re.I
)
_CV_CUE_RE = re.compile(
    r"curriculum\s+vitae|\bresume\b|\bdate\s+of\s+birth\b|\bpersonal\s+(?:information|details|data)\b"
    r"|\bmarital\s+status\b|\b(?:work|professional)\s+experience\s*:?\s*\n|\bemployment\s+history\b"
    r"|\breferences\s+(?:available|upon)",
    re.I,
)


# --------------------------------------------------------------------------- guards


def _looks_like_cv(text: str) -> bool:
    head = text[:50_000]
    ranges = len(_CV_DATE_RANGE_RE.findall(head))
    cues = len(_CV_CUE_RE.findall(head))
    email = bool(EMAIL.search(head))
    return (ranges >= 2 and (cues >= 1 or email)) or (cues >= 2 and email) or ranges >= 4


def _looks_like_noise(text: str) -> bool:
    tokens = text[:50_000].split()
    if not tokens:
        return True
    wordlike = sum(1 for t in tokens if t.strip(".,;:()'\"-–•").isalpha() and len(t) <= 30)
    return wordlike / len(tokens) < 0.5


def extract_requirements(text: str, *, metadata: Mapping[str, str] | None = None) -> Requirements:
    """Structured requirements of a qualifications text, each item with its exact evidence span.

    ``metadata`` is the notice footer (``{"Education Level": "Master's Degree (...)"}``); it is read
    only when the text states no education, and a warning says so (that option's evidence has
    ``source="metadata:Education Level"`` and offsets into the metadata value). Never raises on bad
    input: empty text, a CV, noise or more than :data:`MAX_CHARS` characters give empty
    requirements with a warning.
    """
    return _extract(text, metadata=metadata, source="qualifications")


def _extract(text: object, *, metadata: Mapping[str, str] | None, source: str) -> Requirements:
    if text is None:
        text = ""
    if not isinstance(text, str):
        return Requirements(warnings=(f"requirements: expected text, got {type(text).__name__}",))
    fallback = metadata_education(metadata)
    if not text.strip():
        if fallback:
            return Requirements(
                education=fallback,
                warnings=(
                    "qualifications text is empty: education taken from the notice's "
                    "Education Level "
                    f"({fallback[0].evidence.text if fallback[0].evidence else ''})",
                ),
            )
        return Requirements(warnings=("qualifications text is empty: no requirements extracted",))
    if len(text) > MAX_CHARS:
        return Requirements(
            warnings=(
                f"qualifications text is {len(text):,} characters (limit {MAX_CHARS:,}): not read",
            )
        )
    if _looks_like_noise(text):
        return Requirements(
            warnings=("qualifications text does not look like prose: no requirements extracted",)
        )
    if _looks_like_cv(text):
        return Requirements(
            warnings=(
                "text looks like a CV, not a qualifications section: no requirements extracted",
            )
        )
    try:
        req = _extract_checked(text, source)
    except Exception:  # pragma: no cover - the extractor must never take a pipeline down
        log.exception("requirement extraction failed")
        return Requirements(
            warnings=("requirement extraction failed on this text: no requirements extracted",)
        )
    warnings = list(req.warnings)
    if not req.education and not req.education_preferred and fallback:
        req = replace(req, education=fallback)
        warnings.append(
            "no education requirement in the qualifications text: taken from the notice's "
            f"Education Level ({fallback[0].evidence.text if fallback[0].evidence else ''})"
        )
    if req.is_empty():
        warnings.append("no requirements found in the qualifications text")
    return replace(req, warnings=tuple(warnings))


def _extract_checked(text: str, source: str) -> Requirements:
    lo = qualification_start(text)
    items = split_items(text, lo, qualification_end(text, lo))
    groups: list[RouteGroup] = []
    experience_found: list[tuple[ExperienceRequirement, int | None]] = []
    languages: list[LanguageRequirement] = []
    choices: list[LanguageChoice] = []
    competencies: list[RequirementItem] = []
    other: list[RequirementItem] = []
    known_langs: set[str] = set()
    unread: list[str] = []
    last_other: tuple[str, int] | None = None
    for idx, item in enumerate(items):
        t = text[item.start : item.end]
        if (
            LEADIN_RE.search(t)
            and len(t) < 200
            and not find_durations(t)
            and not (degree_mentions(text, item.start, item.end))
        ):
            continue
        used = False
        cats = other_categories(t)
        has_degree = bool(degree_mentions(text, item.start, item.end))
        if cats:
            for cat in cats:
                if cat == "nationality" and last_other == ("nationality", idx - 1):
                    # the nationality paragraph runs over several sentences: one item
                    j = max(i for i, o in enumerate(other) if o.category == "nationality")
                    prev = other[j]
                    start = prev.evidence.start if prev.evidence else item.start
                    ev = exact_evidence(text, start or 0, item.end, source)
                    other[j] = replace(prev, text=ev.text, evidence=ev)
                else:
                    ev = exact_evidence(text, item.start, item.end, source)
                    required = item.required and not PREF_RE.search(t)
                    other.append(RequirementItem(ev.text, required, cat, ev))
            last_other = ("nationality" if "nationality" in cats else cats[0], idx)
            if not has_degree:
                continue
            # "A full clean driving licence, HNC or above in ...": the degree is read as well
        inlieu = INLIEU_RE.search(t)
        absurd = implausible_durations(t)
        if absurd:
            # "999999 years (four years with ...)" must not become 4: nothing of the item's
            # years is read, and a person is told
            quote = " ".join(t.split())
            unread.append(
                f"implausible value {absurd[0]!r} (years must be 0-{MAX_YEARS:.0f}): no minimum "
                f"read from '{quote[:160]}{'...' if len(quote) > 160 else ''}', for a person "
                "to check"
            )
        exp, consumed = ([], []) if inlieu or absurd else experience_minimums(text, item, source)
        if exp:
            experience_found.extend(exp)
            used = True
        if inlieu:
            routes = inlieu_routes(text, item, item.start + inlieu.start(), groups)
            if routes:
                used = True
        else:
            routes = education_routes(text, item, consumed)
            if routes:
                last = groups[-1] if groups else None
                if last is not None and (
                    (item.block == "education" and last.block == "education"
                     and last.segment == item.segment)
                    or (last.order == idx - 1 and re.match(r"\W*or\b", t, re.I))
                ):
                    # statements of one "Education:" block are alternatives of each other, and
                    # so is a statement after "; or" / "OR" with the one before it
                    last.routes.extend(routes)
                    if item.block != "education":
                        last.order = idx  # the next "; or" joins this group too
                else:
                    groups.append(RouteGroup(routes, item.required, item.block, idx, item.segment))
                used = True
        reqs, chs = language_requirements(text, item, source, known_langs)
        if reqs or chs:
            languages.extend(reqs)
            choices.extend(chs)
            used = True
        if not used:
            if item.required and not absurd and _looks_like_unread_requirement(text, item, t):
                quote = " ".join(t.split())
                unread.append(
                    "requirement not read, for a person to check: "
                    f"'{quote[:160]}{'...' if len(quote) > 160 else ''}'"
                )
            if not COMPETENCY_CUE_RE.search(t) or len(t.split()) < 3 or NARRATIVE_RE.match(t):
                continue  # headings, page furniture, prose that states no requirement
            ev = exact_evidence(text, item.start, item.end, source)
            required = item.required and not PREF_RE.search(t)
            competencies.append(RequirementItem(ev.text, required, competency_category(t), ev))
    education, education_preferred = choose_education(groups, text, source)
    experience = merge_paired(experience_found)
    return Requirements(
        education=education,
        education_preferred=education_preferred,
        experience=_dedupe(e for e in experience if e.mandatory),
        experience_preferred=_dedupe(e for e in experience if not e.mandatory),
        languages=merge_languages(languages),
        language_choices=_dedupe(choices),
        competencies=tuple(competencies),
        other=tuple(other),
        warnings=tuple(unread),
    )


_UNREAD_CUE_RE = re.compile(
    r"\b(?:degree|diploma|graduat\w*|certificat\w*|licen[cs]e|qualifications?)\b",
    re.IGNORECASE,
)
_MUST_RE = re.compile(
    r"\b(?:must|required|requirement|mandatory|minimum|at\s+least|necessary|essential)\b", re.I
)


def _looks_like_unread_requirement(text: str, item: Item, t: str) -> bool:
    """A required statement that names a degree, a diploma, a licence or years but gave no
    requirement: a shape the rules do not know, which a person must read."""
    if len(t.split()) < 3 or NARRATIVE_RE.match(t) or LEADIN_RE.search(t):
        return False
    if not (_UNREAD_CUE_RE.search(t) or find_durations(t)):
        return False
    return item.block in ("education", "experience", "mandatory") or bool(_MUST_RE.search(t)) \
        or bool(degree_mentions(text, item.start, item.end)) or bool(find_durations(t))


def _dedupe(values: Iterable[Any]) -> tuple[Any, ...]:
    seen: set[Any] = set()
    out = []
    for v in values:
        key = tuple(
            (k, tuple(sorted(x.items())) if isinstance(x, Mapping) else x)
            for k, x in ((f, getattr(v, f)) for f in v.__slots__ if f != "evidence")
        )
        if key not in seen:
            seen.add(key)
            out.append(v)
    return tuple(out)


# --------------------------------------------------------------------------- programme-wide


@dataclass(frozen=True, slots=True)
class ProgrammeRequirements:
    """Requirements stated once for a whole programme (JPO openings carry none), applied to each.

        >>> prog = ProgrammeRequirements.from_text("Advanced university degree; fluent English.")
        >>> prog.requirements.education[0].min_level
        7

    ``apply`` fills every opening whose requirements are missing or empty (``overwrite=True``: all).
    """

    requirements: Requirements = field(default_factory=Requirements)
    label: str = "programme"

    @classmethod
    def from_text(
        cls, text: str, *, metadata: Mapping[str, str] | None = None, label: str = "programme"
    ) -> ProgrammeRequirements:
        return cls(_extract(text, metadata=metadata, source=label), label)

    def apply(self, openings: Iterable[Vacancy], *, overwrite: bool = False) -> tuple[Vacancy, ...]:
        out = []
        for v in openings:
            if overwrite or v.requirements is None or v.requirements.is_empty():
                note = f"requirements taken from the {self.label}-wide statement"
                out.append(
                    replace(
                        v,
                        requirements=replace(
                            self.requirements, warnings=(*self.requirements.warnings, note)
                        ),
                    )
                )
            else:
                out.append(v)
        return tuple(out)

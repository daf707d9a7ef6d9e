"""The soft-fit components, each a pure function of the facts it reads.

A component turns a few facts of one (vacancy, CV) pair into a value in [0, 1] (None when it does
not apply to the vacancy) and the words the explanation shows. The facts are small frozen records
(:class:`EducationFacts`, :class:`FieldFacts`, :class:`ExperienceFacts`, :class:`LanguageFacts`)
and each component is memoised by its record itself (:func:`functools.lru_cache`): what a value
depends on is what its record holds, so no memo key can leave a fact out. Duties and
competencies are means of calibrated similarities; their rules take the similarity arrays of a
whole chunk of CVs (:func:`duties_component`, :func:`competencies_component`).

The nationality condition is a check, never a score: its pure rule is
:func:`~matcher.scoring.eligibility.nationality_verdict` of a
:class:`~matcher.scoring.eligibility.NationalityFacts` record, beside the other checks.

One pair (:meth:`Matcher.score <matcher.scoring.matcher.Matcher.score>`) and a pool
(:mod:`matcher.scoring.kernel`) build the same records and call the same functions here; the
ranking-row evidence (:func:`best_evidence`, :func:`evidence_text`) is also written once, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from matcher.features.fields import FieldFit
from matcher.features.text import shorten
from matcher.scoring.eligibility import EducationRoute, language_status, level_label
from matcher.scoring.fit import calibrate, field_fit_value
from matcher.types import CandidateProfile, LanguageSkill, Requirements

__all__ = [
    "EducationFacts", "FieldFacts", "Minimum", "ExperienceFacts", "LanguageFacts",
    "education_facts", "education_value", "field_value", "experience_value", "language_assets",
    "language_skills", "languages_value", "competency_weight", "weighted_mean",
    "duties_component", "duties_words", "competencies_component", "competencies_words",
    "round_half_even", "best_evidence", "evidence_text",
]  # fmt: skip

#: distinct facts records kept per component (a pool has a few thousand distinct degree / language
#: situations; experience records carry months, so more)
_CACHE = 1 << 14


def round_half_even(values: np.ndarray, decimals: int) -> np.ndarray:
    """``round(x, decimals)`` of every element, with the bits Python's ``round`` gives.

    ``np.round`` scales, rounds and scales back; the scaled product can be off by an ulp, which
    matters only within a hair of a half, where the exact decimal value decides: those few go
    through Python's ``round``. Everything else is one array operation, not a call per number.
    """
    values = np.asarray(values, dtype=np.float64)
    scale = 10.0**decimals
    scaled = values * scale
    out = np.rint(scaled) / scale
    finite = np.isfinite(scaled)
    if finite.all():
        near = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    else:
        near = ~finite
        near[finite] = np.abs(scaled[finite] - np.floor(scaled[finite]) - 0.5) < 1e-6
    if near.any():
        out[near] = [round(v, decimals) for v in values[near].tolist()]
    return np.asarray(out)


# --------------------------------------------------------------------------- education


@dataclass(frozen=True, slots=True)
class EducationFacts:
    """What the education component reads of a pair."""

    #: the lowest level among the notice's preferred degrees (None: it prefers none)
    preferred: int | None
    #: whether the notice states a degree requirement at all
    required: bool
    #: the CV's highest degree level
    level: int | None
    #: the route the education check accepted: None (none), True (main), False (substitution)
    main_route: bool | None


def education_facts(
    requirements: Requirements, profile: CandidateProfile, route: EducationRoute | None
) -> EducationFacts:
    """The :class:`EducationFacts` of a pair (``route``: the education check's
    :class:`~matcher.scoring.eligibility.EducationRoute`, None when none was accepted)."""
    levels = [o.min_level for o in requirements.education_preferred if o.min_level is not None]
    main = None if route is None else route.main
    return EducationFacts(
        min(levels) if levels else None, bool(requirements.education), profile.highest_level, main
    )


@lru_cache(maxsize=_CACHE)
def education_value(facts: EducationFacts) -> tuple[float | None, str]:
    """1 for the preferred degree or the main route, 0.5 for a substitution route, else 0."""
    level = facts.level
    if facts.preferred is not None:
        target = facts.preferred
        if level is None:
            return 0.0, "degree level unknown"
        if level >= target:
            return 1.0, f"holds the preferred {level_label(target)}"
        return 0.0, f"the preferred {level_label(target)} is not held"
    if not facts.required:
        return None, "the notice states no degree"
    if facts.main_route is None:
        return 0.0, "no accepted degree found"
    if facts.main_route:
        return 1.0, f"meets the main degree requirement ({level_label(level)})"
    return 0.5, "meets the degree requirement through the substitution route"


# --------------------------------------------------------------------------- field of study


@dataclass(frozen=True, slots=True)
class FieldFacts:
    """How the CV's degree fields relate to the notice's (None: the notice names no field)."""

    fits: tuple[FieldFit, ...] | None
    #: whether the CV names a field of study at all
    has_fields: bool


@lru_cache(maxsize=_CACHE)
def field_value(facts: FieldFacts) -> tuple[float | None, str]:
    """The relatedness of the CV's closest degree field to a field the notice names."""
    if facts.fits is None:
        return None, "the notice names no field of study"
    if not facts.has_fields:
        return 0.0, "no field of study found in the CV"
    best = max(facts.fits, key=field_fit_value, default=None)
    if best is None or field_fit_value(best) <= 0.0:
        return 0.0, "no degree field related to the fields named"
    return field_fit_value(best), f"'{shorten(best.cand_field, 60)}' vs '{best.req_field}'"


# --------------------------------------------------------------------------- experience


@dataclass(frozen=True, slots=True)
class Minimum:
    """One mandatory experience minimum as it applies to a CV."""

    kind: str | None
    #: years required of this CV (its education route may add years)
    need: float
    #: months of relevant experience counted (None: the check could not count them)
    months: float | None


@dataclass(frozen=True, slots=True)
class ExperienceFacts:
    """What the experience component reads of a pair."""

    #: the notice's mandatory minimums (empty: it states none)
    minimums: tuple[Minimum, ...]
    #: whether the CV has positions
    has_positions: bool
    #: whether the notice has duties or a title to judge relevance by (without a minimum)
    judged: bool
    #: months of relevant experience when the notice states no minimum
    months: float
    cap_years: float


@lru_cache(maxsize=_CACHE * 4)
def experience_value(facts: ExperienceFacts) -> tuple[float | None, str]:
    """Years beyond each minimum (the mean over minimums), or relevant years when none is set;
    ``cap_years`` of either is full marks."""
    cap = facts.cap_years
    if facts.minimums:
        terms: list[float] = []
        words: list[str] = []
        for m in facts.minimums:
            if m.months is None:
                terms.append(0.0)
                words.append(f"{m.kind or 'relevant'}: years unknown")
                continue
            extra = m.months / 12.0 - m.need
            terms.append(min(max(extra / cap, 0.0), 1.0))
            words.append(
                f"{extra:.1f} years beyond the {m.need:g}-year minimum" if extra >= 0
                else f"{-extra:.1f} years short of the {m.need:g}-year minimum"
            )  # fmt: skip
        return float(np.mean(terms)), "; ".join(words)
    if not facts.has_positions:
        return 0.0, "no positions found in the CV"
    if not facts.judged:
        return None, "the notice states no experience minimum and no duties"
    months = facts.months
    value = min(months / 12.0 / cap, 1.0)
    return value, f"{months / 12.0:.1f} years of relevant experience (no minimum stated)"


# --------------------------------------------------------------------------- languages

#: asset languages of a notice: per asset (one requirement or one choice, by its text), the
#: (language, level) pairs any of which meets it
Assets = tuple[tuple[tuple[str, str | None], ...], ...]


#: the languages a CV states as the language rules read them: (language, CEFR level, native)
Skills = tuple[tuple[str, str | None, bool], ...]


@dataclass(frozen=True, slots=True)
class LanguageFacts:
    """The notice's asset languages and the languages the CV states (without their evidence)."""

    assets: Assets
    skills: Skills


def language_assets(requirements: Requirements) -> Assets:
    """The asset (not required) languages of a notice, one group per requirement text, in the
    order of the texts."""
    groups: dict[str, list[tuple[str, str | None]]] = {}
    for r in requirements.languages:
        if not r.required:
            key = r.evidence.text if r.evidence is not None else r.language
            groups.setdefault(key, []).append((r.language, r.level))
    for c in requirements.language_choices:
        if not c.required:
            key = c.evidence.text if c.evidence is not None else ",".join(c.languages)
            groups.setdefault(key, []).extend((code, c.level) for code in c.languages)
    return tuple(tuple(langs) for _, langs in sorted(groups.items()))


def language_skills(profile: CandidateProfile) -> Skills:
    """The CV's languages as the language rules read them (level and native, no evidence)."""
    return tuple((s.language, s.level, s.native) for s in profile.languages)


@lru_cache(maxsize=_CACHE)
def languages_value(facts: LanguageFacts) -> tuple[float | None, str]:
    """The share of asset languages met (one listed without a level counts half)."""
    if not facts.assets:
        return None, "the notice names no asset language"
    profile = CandidateProfile("", languages=tuple(LanguageSkill(*s) for s in facts.skills))
    scores = []
    met_codes: list[str] = []
    for langs in facts.assets:
        best = 0.0
        for code, level in langs:
            status, _ = language_status(profile, code, level)
            if status == "pass":
                best = 1.0
                met_codes.append(code)
            elif status == "unknown" and any(s[0] == code for s in facts.skills):
                best = max(best, 0.5)  # listed without a level
        scores.append(best)
    detail = (
        f"asset language(s) met: {', '.join(sorted(set(met_codes)))}"
        if met_codes
        else "no asset language met"
    )
    return float(np.mean(scores)), detail


# --------------------------------------------------------------------------- duties, competencies


def competency_weight(required: bool) -> float:
    """A required competency weighs twice one that is only named."""
    return 1.0 if required else 0.5


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per column, the mean of the rows weighted by ``weights``, added row by row: the same bits
    for a CV whatever the chunk (numpy's own reductions sum in a shape-dependent order)."""
    n = values.shape[1] if values.ndim == 2 else 0
    if not len(weights):
        return np.zeros(n)
    total = np.zeros(n)
    for k in range(len(weights)):
        total = total + values[k] * weights[k]
    return np.asarray(total / float(np.sum(weights)))


def duties_component(
    weighted: np.ndarray, *, floor: float, ceiling: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per CV (column): the mean calibrated similarity of each duty's best evidence (rows) and
    how many duties are clearly evidenced (calibrated 0.5 or more)."""
    per_duty = calibrate(weighted, floor, ceiling)
    return weighted_mean(per_duty, np.ones(len(per_duty))), (per_duty >= 0.5).sum(axis=0)


def duties_words(covered: int, duties: int) -> str:
    return f"{covered} of {duties} duties clearly evidenced"


def competencies_component(
    weighted: np.ndarray,
    found: np.ndarray,
    weights: np.ndarray,
    *,
    floor: float,
    ceiling: float,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Per CV (column): the weighted mean calibrated similarity of each competency's best
    evidence (rows; ``weights`` by :func:`competency_weight`) and how many are clearly evidenced
    (a sentence found, ``threshold`` or more)."""
    per_item = calibrate(weighted, floor, ceiling)
    return weighted_mean(per_item, weights), (found & (weighted >= threshold)).sum(axis=0)


def competencies_words(shown: int, competencies: int) -> str:
    return f"{shown} of {competencies} competencies clearly evidenced"


# --------------------------------------------------------------------------- ranking evidence


def best_evidence(duties: Sequence[str], rounded: np.ndarray, shown: np.ndarray) -> np.ndarray:
    """Per CV (column), the rows of its two best duty matches a ranking row shows: by rounded
    similarity, then duty text (the first duty on a tie); only ``shown`` matches (a sentence
    found that does not copy the notice) count. Shape (2, CVs); read ``shown`` at each pick."""
    rank = {d: r for r, d in enumerate(sorted(set(duties)))}
    by_text = np.broadcast_to(np.array([rank[d] for d in duties])[:, None], rounded.shape)
    order: np.ndarray = np.lexsort((by_text, np.where(shown, -rounded, np.inf)), axis=0)
    return order[:2]


def evidence_text(matches: Iterable[tuple[float, str]]) -> str:
    """A ranking row's evidence: each (similarity, CV sentence) as "0.83 sentence", joined."""
    return " | ".join(f"{sim:.2f} {_quote(sentence)}" for sim, sentence in matches)


@lru_cache(maxsize=_CACHE * 4)
def _quote(sentence: str) -> str:
    # a CV's best sentence is often the same for many posts of a pool
    return shorten(sentence, 160)

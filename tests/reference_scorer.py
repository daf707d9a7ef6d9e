"""A reference scorer for one (vacancy, CV) pair, written for reading: plain loops, no memo tables,
no arrays over a chunk of CVs, no shared similarity matrix.

It asks the rules themselves (the eligibility checks of :mod:`matcher.scoring.eligibility`, the
component values ``field_value`` / ``education_value`` / ``languages_value`` of
:mod:`matcher.scoring.components`, given the facts records it builds itself, the explanation's
``build_parts``, the copy detector) for every decision, so a change to a rule reaches it at once.
What it pins down is the orchestration around them: which texts are compared with which, best
matches (the first on a tie), weighted means, rounding, which facts a decision reads. The kernel
(:mod:`matcher.scoring.kernel`) does the same work with memo tables and vectorised over chunks;
``tests/test_differential.py`` asserts that both give the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from matcher.features.fields import FieldFit
from matcher.features.text import shorten
from matcher.scoring.components import (
    FieldFacts,
    LanguageFacts,
    education_facts,
    education_value,
    field_value,
    language_assets,
    language_skills,
    languages_value,
)
from matcher.scoring.config import COMPONENTS, ScoringConfig
from matcher.scoring.eligibility import (
    GENERIC_EXPERIENCE,
    education_check,
    experience_check,
    language_checks,
    nationality_check,
    other_check,
    overall_eligibility,
    relevant_months,
    relevant_positions,
    required_years,
)
from matcher.scoring.explanation import build_parts, render_explanation
from matcher.scoring.fit import calibrate, field_fits, prepare_candidate, prepare_vacancy
from matcher.types import CandidateProfile, Check, DutyMatch, Evidence, MatchResult, Vacancy


class Vectors:
    """``text -> float64 unit vector``, each text encoded on its own when first asked for."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        self.seen: dict[str, np.ndarray] = {}

    def __call__(self, text: str) -> np.ndarray:
        if text not in self.seen:
            vec = np.asarray(self.encoder.encode([text]), dtype=np.float32)[0]
            self.seen[text] = vec.astype(np.float64)
        return self.seen[text]

    def sim(self, a: str, b: str) -> float:
        return float(np.dot(self(a), self(b)))


def _calibrated(value: float, cfg: ScoringConfig) -> float:
    return float(calibrate(value, cfg.similarity_floor, cfg.similarity_ceiling))


def _best(
    query: str, sentences: Sequence[str], factors: Sequence[float], vec: Vectors
) -> tuple[int, float, float]:
    """(index of the best CV sentence by weighted similarity, the first on a tie, or -1; its
    weighted similarity; its raw similarity)."""
    best_j, best_weighted, best_raw = -1, 0.0, 0.0
    for j, sentence in enumerate(sentences):
        raw = vec.sim(query, sentence)
        weighted = raw * factors[j]
        if best_j < 0 or weighted > best_weighted:
            best_j, best_weighted, best_raw = j, weighted, raw
    return best_j, best_weighted, best_raw


def reference_score(
    vacancy: Vacancy,
    profile: CandidateProfile,
    encoder: Any,
    config: ScoringConfig | None = None,
    *,
    multilingual: bool = False,
) -> MatchResult:
    """What :meth:`matcher.Matcher.score` must return for this pair."""
    cfg = config or ScoringConfig()
    vec = Vectors(encoder)
    prep = prepare_vacancy(vacancy, config=cfg)
    cand = prepare_candidate(profile)
    req = prep.requirements
    sentences = list(cand.sentences)
    hidden = list(cand.hidden) or [False] * len(sentences)

    # keyword stuffing: a sentence that copies the notice is discounted
    copied = [prep.copy_detector.is_copy(s) for s in sentences]
    factors = []
    for j in range(len(sentences)):
        base = 0.0 if hidden[j] else (1.0 if cand.in_position[j] else cfg.other_text_factor)
        factors.append(base * ((1.0 - cfg.stuffing_discount) if copied[j] else 1.0))

    # ---- eligibility
    checks: list[Check] = []
    field_match: tuple[FieldFit, ...] | None = None
    if prep.fields:
        if not cand.fields:
            field_match = ()
        else:
            field_match = field_fits(
                list(cand.fields), list(prep.fields),
                np.array([vec(f) for f in cand.fields]), np.array([vec(f) for f in prep.fields]),
                floor=cfg.similarity_floor, ceiling=cfg.similarity_ceiling, decimals=cfg.decimals,
            )  # fmt: skip
    route = None
    if req.education:
        edu, route = education_check(
            req.education, profile, field_fits=field_match,
            field_threshold=cfg.field_related_threshold,
        )  # fmt: skip
        checks.append(edu)

    unreliable = None
    if cand.language not in (None, "en") and not multilingual:
        unreliable = (
            f"the CV appears to be in '{cand.language}', which the English-only model "
            "cannot compare with the notice (use the multilingual encoder)"
        )

    def position_sims(queries: Sequence[str]) -> list[float]:
        """Per position: the best similarity of its texts to any query, rounded."""
        out = []
        for texts in cand.position_texts:
            pairs = [vec.sim(q, t) for q in queries for t in texts]
            out.append(round(max(pairs), cfg.decimals) if pairs else 0.0)
        return out

    months_by_req: list[float | None] = []
    for k, exp in enumerate(prep.experience):
        check, months = experience_check(
            exp, profile, route, position_sims(prep.experience_queries[k]),
            threshold=cfg.relevance_threshold, reference=prep.reference,
            relevance_unreliable=unreliable, domain=prep.domain,
        )  # fmt: skip
        if k >= len(req.experience):  # a preferred minimum: reported, never blocking
            check = Check(
                check.requirement, "experience (preferred)", check.status, check.reason, False,
                check.vacancy_evidence, check.cv_evidence,
            )  # fmt: skip
        checks.append(check)
        months_by_req.append(months)
    checks.extend(language_checks(req.languages, req.language_choices, profile))
    nat = nationality_check(prep.vacancy, profile, require_stated=cfg.require_stated_nationality)
    if nat is not None:
        checks.append(nat)
    for item in prep.other_items:
        j, _, raw = _best(item.text, sentences, factors, vec)
        best = sentences[j] if j >= 0 else None
        checks.append(other_check(item, best, raw, threshold=cfg.competency_threshold))

    # ---- soft fit
    values: dict[str, float | None] = dict.fromkeys(COMPONENTS)
    details: dict[str, str] = {}
    duty_matches: list[DutyMatch] = []
    if prep.duties:
        calibrated = []
        for duty in prep.duties:
            j, weighted, _ = _best(duty, sentences, factors, vec)
            calibrated.append(_calibrated(weighted, cfg))
            if j < 0:
                duty_matches.append(DutyMatch(duty, "", 0.0))
            else:
                sim = round(weighted, cfg.decimals)
                duty_matches.append(DutyMatch(duty, sentences[j], sim, cand.sources[j], copied[j]))
        values["duties"] = sum(calibrated) / len(calibrated)
        covered = sum(1 for c in calibrated if c >= 0.5)
        details["duties"] = f"{covered} of {len(prep.duties)} duties clearly evidenced"
    else:
        details["duties"] = "the notice lists no duties"

    if prep.title:
        own = set(sentences)
        best_text, best_sim = None, 0.0
        for text in cand.title_texts:
            if text in own and prep.copy_detector.is_copy(text):
                continue  # a copied headline is no title held
            sim = vec.sim(prep.title, text)
            if best_text is None or sim > best_sim:
                best_text, best_sim = text, sim
        if best_text is None:
            values["title"] = 0.0
            details["title"] = "no position title or headline found in the CV"
        else:
            values["title"] = float(calibrate(best_sim, cfg.title_floor, cfg.title_ceiling))
            details["title"] = (
                f"closest current or last post, or headline: '{shorten(best_text, 60)}' "
                f"({best_sim:.2f})"
            )
    else:
        details["title"] = "the notice has no title"

    # the CV as a whole: its position sentences summed (all its text when no counted sentence is
    # in a position; hidden and copied sentences weigh what their factor says), against the post
    # as one text
    if prep.profile_query:
        query = vec(prep.profile_query)
        in_positions = [j for j in range(len(sentences)) if cand.in_position[j] and not hidden[j]]
        total = np.zeros_like(query)
        for j in range(len(sentences)):
            if (cand.in_position[j] or not in_positions) and not hidden[j]:
                total = total + vec(sentences[j]) * factors[j]
        norm = float(np.sqrt((total * total).sum())) * float(np.sqrt((query * query).sum()))
        sim = float(np.dot(total, query)) / norm if norm > 0 else 0.0
        values["profile"] = float(calibrate(sim, cfg.profile_floor, cfg.profile_ceiling))
        details["profile"] = (
            f"the CV as a whole against the post's title and duties ({sim:.2f})"
            if sentences
            else "no scorable text in the CV"
        )
    else:
        details["profile"] = "the notice has no title and no duties"

    if prep.competencies:
        total = weight_sum = 0.0
        shown = 0
        for item in prep.competencies:
            weight = 1.0 if item.required else 0.5
            j, weighted, _ = _best(item.text, sentences, factors, vec)
            total += _calibrated(weighted, cfg) * weight
            weight_sum += weight
            ok = j >= 0 and weighted >= cfg.competency_threshold
            shown += ok
            checks.append(
                Check(
                    item.text, "competency", "pass" if ok else "unknown",
                    f"evidenced in the CV (similarity {weighted:.2f})" if ok
                    else "no sentence of the CV clearly shows it; assessed in the fit score",
                    False, item.evidence,
                    (Evidence(sentences[j], source="text"),) if ok else (),
                )
            )  # fmt: skip
        values["competencies"] = total / weight_sum
        details["competencies"] = (
            f"{shown} of {len(prep.competencies)} competencies clearly evidenced"
        )
    else:
        details["competencies"] = "the notice lists no further competencies"

    if req.experience:  # years beyond each minimum
        terms = []
        for exp, months in zip(req.experience, months_by_req, strict=False):
            if months is None:
                terms.append(0.0)
                continue
            extra = months / 12.0 - required_years(exp, route)
            terms.append(min(max(extra / cfg.experience_cap_years, 0.0), 1.0))
        values["experience"] = float(np.mean(terms))
    elif not cand.position_texts:
        values["experience"] = 0.0
    else:  # relevant years, judged against the duties (or the title when there are none)
        queries = list(prep.duties) or ([vacancy.title] if vacancy.title else [])
        if queries:
            relevant = relevant_positions(
                GENERIC_EXPERIENCE, profile.positions, position_sims(queries),
                threshold=cfg.relevance_threshold, domain=prep.domain,
            )  # fmt: skip
            months, _ = relevant_months(profile.positions, relevant, reference=prep.reference)
            values["experience"] = min(months / 12.0 / cfg.experience_cap_years, 1.0)
    values["field"], details["field"] = field_value(FieldFacts(field_match, bool(cand.fields)))
    values["education"], details["education"] = education_value(
        education_facts(req, profile, route)
    )
    values["languages"], details["languages"] = languages_value(
        LanguageFacts(language_assets(req), language_skills(profile))
    )

    parts, score = build_parts(values, cfg.weights(), details, decimals=cfg.decimals)
    warnings = list(cand.warnings)
    n_copied = sum(copied)
    if n_copied:
        warnings.append(
            f"keyword stuffing: {n_copied} sentence(s) copy the vacancy's text and were discounted"
        )
    if unreliable:
        warnings.append(unreliable)
    if not any(c.mandatory for c in checks):
        warnings.append("no mandatory requirement could be checked: eligibility is unknown")
    result = MatchResult(
        candidate_id=profile.id,
        vacancy_id=vacancy.id,
        eligibility=overall_eligibility(checks),
        score=score,
        checks=tuple(checks),
        duty_matches=tuple(duty_matches),
        parts=parts,
        warnings=tuple(warnings),
    )
    copies = [s for s, c in zip(sentences, copied, strict=True) if c]
    return MatchResult(
        candidate_id=result.candidate_id,
        vacancy_id=result.vacancy_id,
        eligibility=result.eligibility,
        score=result.score,
        checks=result.checks,
        duty_matches=result.duty_matches,
        parts=result.parts,
        explanation=render_explanation(result, copied=copies),
        warnings=result.warnings,
    )

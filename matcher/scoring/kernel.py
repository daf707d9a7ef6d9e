"""Pair scoring as array work over a chunk of CVs: one implementation for one pair and for a pool.

Scoring pair by pair in Python cost milliseconds a pair (a 10,000 x 23 pool: ten minutes after
encoding). Almost all of that was per-pair repetition of per-vacancy or per-CV work: stacking the
same sentence vectors, re-reading every sentence for copies of the notice, recounting the months of
the same positions. Here:

* a :class:`VacancyKernel` holds one vacancy's texts as a float64 matrix, its copy detector and
  memo tables for the decisions that depend on few facts (a degree level, a language list);
* a :class:`CandidateChunk` holds a chunk of prepared CVs: their distinct texts as one matrix and,
  per CV, index arrays (sentences, headline, positions) padded into rectangles;
* :func:`score_chunk` does one matrix product per (vacancy, chunk) and takes every best match and
  every position relevance from it with array operations, then makes each pair's decision with
  the same check functions as always (:mod:`matcher.scoring.eligibility`);
* :func:`find_copies` finds the CV sentences that copy a notice (keyword stuffing) in one lexical
  pass over all the distinct sentences of a pool.

:meth:`Matcher.score_prepared <matcher.scoring.matcher.Matcher.score_prepared>` is a chunk of one
CV with ``full=True`` (checks with their evidence, duty matches, the explanation); pool ranking asks
for rows only. Both run the same code on the same numbers, so a pool's rows equal ``Matcher.score``
for every pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.scoring.config import COMPONENTS, ScoringConfig
from matcher.scoring.eligibility import (
    education_check,
    experience_check,
    language_checks,
    language_status,
    level_label,
    nationality_check,
    other_check,
    overall_eligibility,
    relevant_months,
    required_years,
)
from matcher.scoring.explanation import build_parts, render_explanation, weighted_terms
from matcher.scoring.fit import (
    PreparedCandidate,
    PreparedVacancy,
    calibrate,
    field_relatedness,
)
from matcher.scoring.stuffing import CopyDetector
from matcher.types import CandidateProfile, Check, DutyMatch, Evidence, MatchResult

__all__ = ["VacancyKernel", "CandidateChunk", "score_chunk", "similarity", "find_copies"]

_WORD = re.compile(r"\w+", re.UNICODE)
_NEG = -np.inf


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of unit rows in float64 (so the shape of a batch never shows in a
    rounded score: float32 products differ in the last bit between matrix shapes)."""
    return np.asarray(a, dtype=np.float64) @ np.asarray(b, dtype=np.float64).T


def _matrix(
    texts: Sequence[str], lookup: Callable[[str], np.ndarray | None], dim: int
) -> np.ndarray:
    out = np.zeros((len(texts), dim), dtype=np.float64)
    for i, text in enumerate(texts):
        vec = lookup(text)
        if vec is not None:
            out[i] = vec
    return out


def _lookup(vectors: Mapping[str, np.ndarray]) -> Callable[[str], np.ndarray | None]:
    return vectors.get


class VacancyKernel:
    """One prepared vacancy as rows of a matrix, plus memo tables shared by all its pairs."""

    def __init__(
        self,
        prep: PreparedVacancy,
        config: ScoringConfig,
        lookup: Callable[[str], np.ndarray | None],
        dim: int,
        copies: frozenset[str] | None = None,
    ) -> None:
        self.prep = prep
        self.cfg = config
        texts = prep.texts()
        self.texts = texts
        row = {t: i for i, t in enumerate(texts)}
        self.matrix = _matrix(texts, lookup, dim)
        self.dim = dim

        def rows(items: Sequence[str]) -> np.ndarray:
            return np.array([row.get(t, -1) for t in items], dtype=np.int64)

        self.duty_rows = rows(prep.duties)
        self.comp_rows = rows([c.text for c in prep.competencies])
        self.comp_weights = np.array(
            [1.0 if c.required else 0.5 for c in prep.competencies], dtype=np.float64
        )
        self.other_rows = rows([o.text for o in prep.other_items])
        self.title_row = row.get(prep.title, -1) if prep.title else -1
        self.exp_rows = [rows(list(q)) for q in prep.experience_queries]
        nomin = list(prep.duties) or ([prep.vacancy.title] if prep.vacancy.title else [])
        self.nomin_rows = rows(nomin)
        self.field_rows = rows(list(prep.fields))
        #: the texts that copy this vacancy, when found for the whole pool (else per chunk)
        self.copies = copies
        self.weights = config.weights()
        self.memo: dict[Any, Any] = {}

    def _rows_matrix(self, rows: np.ndarray) -> np.ndarray:
        """Rows of the matrix (a zero row for a text that has none: no similarity at all)."""
        out = np.zeros((len(rows), self.dim), dtype=np.float64)
        ok = rows >= 0
        out[ok] = self.matrix[rows[ok]]
        return out


class CandidateChunk:
    """Prepared CVs with their distinct texts as one matrix and per-CV index rectangles."""

    def __init__(
        self,
        candidates: Sequence[PreparedCandidate],
        lookup: Callable[[str], np.ndarray | None],
        dim: int,
        config: ScoringConfig,
    ) -> None:
        self.candidates = list(candidates)
        index: dict[str, int] = {}

        def ids(items: Sequence[str]) -> np.ndarray:
            return np.array([index.setdefault(t, len(index)) for t in items], dtype=np.int64)

        n = len(self.candidates)
        sents = [ids(c.sentences) for c in self.candidates]
        titles = [ids(c.title_texts) for c in self.candidates]
        positions = [[ids(list(t)) for t in c.position_texts] for c in self.candidates]
        for c in self.candidates:
            ids(c.fields)
        self.texts = list(index)
        self.index = index
        self.matrix = _matrix(self.texts, lookup, dim)
        self.sents = sents

        # sentences: index rectangle, base weight (positions 1, other text a factor, hidden 0)
        width = max((len(s) for s in sents), default=0)
        self.sent_pad = np.zeros((n, width), dtype=np.int64)
        self.sent_ok = np.zeros((n, width), dtype=bool)
        self.base = np.zeros((n, width), dtype=np.float64)
        for i, (c, s) in enumerate(zip(self.candidates, sents, strict=True)):
            k = len(s)
            self.sent_pad[i, :k] = s
            self.sent_ok[i, :k] = True
            hidden = c.hidden or (False,) * k
            self.base[i, :k] = [
                0.0 if h else (1.0 if pos else config.other_text_factor)
                for pos, h in zip(c.in_position, hidden, strict=True)
            ]
        self.has_sentences = self.sent_ok.any(axis=1) if width else np.zeros(n, dtype=bool)

        # headline / titles held: a title that is also a sentence of the CV drops out if copied
        twidth = max((len(t) for t in titles), default=0)
        self.title_pad = np.zeros((n, twidth), dtype=np.int64)
        self.title_ok = np.zeros((n, twidth), dtype=bool)
        self.title_is_sentence = np.zeros((n, twidth), dtype=bool)
        for i, (t, s) in enumerate(zip(titles, sents, strict=True)):
            k = len(t)
            self.title_pad[i, :k] = t
            self.title_ok[i, :k] = True
            own = set(s.tolist())
            self.title_is_sentence[i, :k] = [j in own for j in t.tolist()]
        self.titles = [c.title_texts for c in self.candidates]

        # positions: concatenated text indices, one segment per position
        self.n_positions = [len(p) for p in positions]
        flat = [p for per_cv in positions for p in per_cv]
        lengths = np.array([len(p) for p in flat], dtype=np.int64)
        self.pos_lengths = lengths
        self.pos_concat = np.concatenate(flat) if flat else np.zeros(0, dtype=np.int64)
        self.pos_starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if flat else lengths
        self.pos_offsets = np.concatenate([[0], np.cumsum(self.n_positions)]).astype(np.int64)

        self.sentence_texts = sorted({int(j) for s in sents for j in s.tolist()})
        self.months: list[dict[tuple[Any, ...], tuple[float, int]]] = [{} for _ in range(n)]

    def __len__(self) -> int:
        return len(self.candidates)

    def months_of(
        self, i: int, kernel: VacancyKernel
    ) -> Callable[[Sequence[bool]], tuple[float, int]]:
        """:func:`relevant_months` of CV ``i``'s positions, memoised by (mask, closing date)."""
        profile = self.candidates[i].profile
        memo = self.months[i]
        reference = kernel.prep.reference

        def months(mask: Sequence[bool]) -> tuple[float, int]:
            key = (tuple(mask), reference)
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = relevant_months(profile.positions, mask, reference=reference)
            return hit

        return months


@dataclass(frozen=True, slots=True)
class _Best:
    """Best sentence per (query, CV): index into the CV's sentences (-1: none), weighted and raw
    similarity."""

    index: np.ndarray
    weighted: np.ndarray
    raw: np.ndarray


def find_copies(detectors: Sequence[CopyDetector], texts: Sequence[str]) -> list[frozenset[str]]:
    """For each detector (one per vacancy), the texts that copy its vacancy.

    Exactly ``detector.is_copy(text)`` for every text with a word, decided for all texts and
    vacancies at once (:func:`matcher.scoring.stuffing.find_pool_copies`): a pool pays for its
    distinct sentences once, not once per chunk.
    """
    from matcher.scoring.stuffing import find_pool_copies

    return find_pool_copies(detectors, texts)


def _copied(kernel: VacancyKernel, chunk: CandidateChunk) -> np.ndarray:
    """Per chunk text: does it copy the vacancy? (``kernel.copies`` when the pool found them.)"""
    copies = kernel.copies
    if copies is None:
        sentence_texts = [chunk.texts[j] for j in chunk.sentence_texts]
        copies = find_copies([kernel.prep.copy_detector], sentence_texts)[0]
    out = np.zeros(len(chunk.texts), dtype=bool)
    for text in copies:
        j = chunk.index.get(text)
        if j is not None:
            out[j] = True
    return out


def _best(sims: np.ndarray, rows: np.ndarray, chunk: CandidateChunk, factor: np.ndarray) -> _Best:
    n = len(chunk)
    q = len(rows)
    if q == 0 or chunk.sent_pad.shape[1] == 0:
        return _Best(np.full((q, n), -1, np.int64), np.zeros((q, n)), np.zeros((q, n)))
    block = np.zeros((q, sims.shape[1]), dtype=np.float64)
    ok = rows >= 0
    block[ok] = sims[rows[ok]]
    raw = block[:, chunk.sent_pad]  # (q, n, width)
    weighted = raw * factor[None, :, :]
    weighted[:, ~chunk.sent_ok] = _NEG
    best = np.argmax(weighted, axis=2)
    w = np.take_along_axis(weighted, best[:, :, None], axis=2)[:, :, 0]
    r = np.take_along_axis(raw, best[:, :, None], axis=2)[:, :, 0]
    none = ~chunk.has_sentences
    best[:, none] = -1
    w[:, none] = 0.0
    r[:, none] = 0.0
    return _Best(best, w, r)


def _position_sims(
    sims: np.ndarray, rows: np.ndarray, chunk: CandidateChunk, decimals: int
) -> list[list[float]]:
    """Per CV, per position: best similarity of its texts to any of ``rows``, rounded."""
    n_pos = len(chunk.pos_lengths)
    if len(rows) == 0 or n_pos == 0:
        return [[0.0] * k for k in chunk.n_positions]
    block = np.zeros((len(rows), sims.shape[1]), dtype=np.float64)
    ok = rows >= 0
    block[ok] = sims[rows[ok]]
    per_text = block.max(axis=0)
    per_pos = np.zeros(n_pos, dtype=np.float64)
    nonempty = chunk.pos_lengths > 0
    if nonempty.any():
        values = per_text[chunk.pos_concat]
        per_pos[nonempty] = np.maximum.reduceat(values, chunk.pos_starts[nonempty])
    rounded = [
        round(float(x), decimals) if e else 0.0
        for x, e in zip(per_pos, nonempty.tolist(), strict=True)
    ]
    off = chunk.pos_offsets.tolist()
    return [rounded[off[i] : off[i + 1]] for i in range(len(chunk))]


@dataclass(slots=True)
class _Numbers:
    """Everything one (vacancy, chunk) needs from the vectors, as arrays."""

    sims: np.ndarray
    copied: np.ndarray
    factor: np.ndarray
    duties: _Best
    comps: _Best
    others: _Best
    title_j: np.ndarray
    title_sim: np.ndarray
    exp_sims: list[list[list[float]]]
    nomin_sims: list[list[float]] | None
    duty_value: list[float]
    duty_covered: list[int]
    comp_value: list[float]
    comp_shown: list[int]
    title_value: list[float]
    copied_pad: np.ndarray
    n_copied: list[int]


def _numbers(kernel: VacancyKernel, chunk: CandidateChunk) -> _Numbers:
    cfg = kernel.cfg
    sims = (
        similarity(kernel.matrix, chunk.matrix)
        if len(chunk.texts)
        else np.zeros((len(kernel.texts), 0))
    )
    copied = _copied(kernel, chunk)
    cpad = copied[chunk.sent_pad] & chunk.sent_ok
    factor = chunk.base * np.where(cpad, 1.0 - cfg.stuffing_discount, 1.0)
    duties = _best(sims, kernel.duty_rows, chunk, factor)
    comps = _best(sims, kernel.comp_rows, chunk, factor)
    others = _best(sims, kernel.other_rows, chunk, factor)

    n = len(chunk)
    title_j = np.full(n, -1, dtype=np.int64)
    title_sim = np.zeros(n, dtype=np.float64)
    if kernel.title_row >= 0 and chunk.title_pad.shape[1]:
        held = chunk.title_ok & ~(chunk.title_is_sentence & copied[chunk.title_pad])
        values = np.where(held, sims[kernel.title_row][chunk.title_pad], _NEG)
        j = np.argmax(values, axis=1)
        any_held = held.any(axis=1)
        title_j = np.where(any_held, j, -1)
        title_sim = np.where(any_held, values[np.arange(n), j], 0.0)
    elif chunk.title_pad.shape[1]:  # a title with no vector: similarity 0 to every title held
        held = chunk.title_ok & ~(chunk.title_is_sentence & copied[chunk.title_pad])
        any_held = held.any(axis=1)
        title_j = np.where(any_held, np.argmax(held, axis=1), -1)

    exp_sims = [_position_sims(sims, rows, chunk, cfg.decimals) for rows in kernel.exp_rows]
    nomin = None
    if not kernel.prep.requirements.experience:
        nomin = _position_sims(sims, kernel.nomin_rows, chunk, cfg.decimals)

    floor, ceiling = cfg.similarity_floor, cfg.similarity_ceiling
    per_duty = calibrate(duties.weighted, floor, ceiling)
    duty_value = _mean_rows(per_duty, np.ones(len(per_duty)))
    covered = (per_duty >= 0.5).sum(axis=0)
    per_comp = calibrate(comps.weighted, floor, ceiling)
    comp_value = _mean_rows(per_comp, kernel.comp_weights)
    shown = ((comps.index >= 0) & (comps.weighted >= cfg.competency_threshold)).sum(axis=0)
    return _Numbers(
        sims, copied, factor, duties, comps, others, title_j, title_sim, exp_sims, nomin,
        duty_value.tolist(), covered.tolist(), comp_value.tolist(), shown.tolist(),
        calibrate(title_sim, floor, ceiling).tolist(), cpad, cpad.sum(axis=1).tolist(),
    )  # fmt: skip


def _mean_rows(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over rows, added row by row: the same bits for a CV whatever the chunk
    (numpy's own reductions sum in a shape-dependent order)."""
    n = values.shape[1] if values.ndim == 2 else 0
    if not len(weights):
        return np.zeros(n)
    total = np.zeros(n)
    for k in range(len(weights)):
        total = total + values[k] * weights[k]
    return total / float(np.sum(weights))


# --------------------------------------------------------------------------- decisions


def _language_key(profile: Any) -> tuple[Any, ...]:
    return tuple((s.language, s.level, s.native) for s in profile.languages)


def _field_match(
    kernel: VacancyKernel, chunk: CandidateChunk, i: int
) -> tuple[float, str, str] | None:
    """Best (relatedness, CV field, notice field); None when the notice names no field."""
    prep = kernel.prep
    if not prep.fields:
        return None
    cand = chunk.candidates[i]
    if not cand.fields:
        return (0.0, "", "")
    key = ("field", cand.fields)
    hit = kernel.memo.get(key)
    if hit is None:
        cfg = kernel.cfg
        cand_vecs = chunk.matrix[[chunk.index[f] for f in cand.fields]]
        value, cf, rf = field_relatedness(
            list(cand.fields), list(prep.fields), cand_vecs, kernel._rows_matrix(kernel.field_rows),
            floor=cfg.similarity_floor, ceiling=cfg.similarity_ceiling,
        )  # fmt: skip
        hit = kernel.memo[key] = (round(float(value), cfg.decimals), cf, rf)
    return hit


def _memo(kernel: VacancyKernel, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    hit = kernel.memo.get(key)
    if hit is None:
        hit = kernel.memo[key] = make()
    return hit


def _check_words(checks: Sequence[Check], status: str) -> str:
    return "; ".join(f"{c.kind}: {c.reason}" for c in checks if c.status == status and c.mandatory)


def _pair(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    nums: _Numbers,
    i: int,
    *,
    full: bool,
    multilingual: bool,
) -> MatchResult | dict[str, Any]:
    """One pair's decision: a full :class:`MatchResult` or, for pools, its ranking row."""
    cfg = kernel.cfg
    prep = kernel.prep
    cand = chunk.candidates[i]
    profile = cand.profile
    req = prep.requirements
    sentences = cand.sentences
    copied_flags = nums.copied_pad[i]  # by sentence of this CV (then padding, never copied)
    n_copied = nums.n_copied[i]
    warnings: list[str] = list(cand.warnings) if full else []
    if n_copied and full:
        warnings.append(
            f"keyword stuffing: {n_copied} sentence(s) copy the vacancy's text and were discounted"
        )

    # ---- eligibility
    checks: list[Check] = []
    route = None
    field_match = _field_match(kernel, chunk, i)
    if req.education:
        if full:
            edu, route = education_check(
                req.education, profile, field_match=field_match,
                field_threshold=cfg.field_related_threshold,
            )  # fmt: skip
        else:
            key = ("edu", profile.highest_level, bool(profile.education), field_match)
            edu, route = _memo(kernel, key, lambda: education_check(
                req.education, profile, field_match=field_match,
                field_threshold=cfg.field_related_threshold,
            ))  # fmt: skip
        checks.append(edu)
    unreliable = None
    if cand.language not in (None, "en") and not multilingual:
        unreliable = (
            f"the CV appears to be in '{cand.language}', which the English-only model "
            "cannot compare with the notice (use the multilingual encoder)"
        )
        warnings.append(unreliable)
    months_of = chunk.months_of(i, kernel)
    months_by_req: list[float | None] = []
    n_mandatory_exp = len(req.experience)
    for k, exp in enumerate(prep.experience):
        check, months = experience_check(
            exp, profile, route, nums.exp_sims[k][i], threshold=cfg.relevance_threshold,
            reference=prep.reference, relevance_unreliable=unreliable, months_of=months_of,
        )  # fmt: skip
        if k >= n_mandatory_exp:  # a preferred minimum: reported, never blocking
            check = Check(
                check.requirement, "experience (preferred)", check.status, check.reason,
                False, check.vacancy_evidence, check.cv_evidence,
            )  # fmt: skip
        checks.append(check)
        months_by_req.append(months)
    lang_key = ("lang", _language_key(profile))
    if full:
        checks.extend(language_checks(req.languages, req.language_choices, profile))
    else:
        checks.extend(
            _memo(
                kernel,
                lang_key,
                lambda: language_checks(req.languages, req.language_choices, profile),
            )  # fmt: skip
        )
    nat_key = ("nat", tuple(profile.personal.nationality))
    nat = (
        nationality_check(prep.vacancy, profile, require_stated=cfg.require_stated_nationality)
        if full
        else _memo(
            kernel,
            nat_key,
            lambda: (
                nationality_check(
                    prep.vacancy, profile, require_stated=cfg.require_stated_nationality
                ),
            ),
        )[0]  # fmt: skip
    )
    if nat is not None:
        checks.append(nat)
    for k, item in enumerate(prep.other_items):
        j = int(nums.others.index[k, i])
        sim = float(nums.others.raw[k, i])
        checks.append(
            other_check(
                item, sentences[j] if j >= 0 else None, sim, threshold=cfg.competency_threshold
            )  # fmt: skip
        )

    # ---- soft fit
    values: dict[str, float | None] = dict.fromkeys(COMPONENTS)
    details: dict[str, str] = {}
    duty_matches: list[DutyMatch] = []
    evidence: list[tuple[float, str, str]] = []
    if prep.duties:
        weighted = nums.duties.weighted[:, i].tolist()
        index = nums.duties.index[:, i].tolist()
        for duty, j, w in zip(prep.duties, index, weighted, strict=True):
            if j < 0:
                if full:
                    duty_matches.append(DutyMatch(duty, "", 0.0))
                continue
            sim = round(w, cfg.decimals)
            discounted = bool(copied_flags[j])
            if full:
                duty_matches.append(DutyMatch(duty, sentences[j], sim, cand.sources[j], discounted))
            if not discounted:
                evidence.append((sim, duty, sentences[j]))
        values["duties"] = nums.duty_value[i]
        details["duties"] = f"{nums.duty_covered[i]} of {len(prep.duties)} duties clearly evidenced"
    else:
        details["duties"] = "the notice lists no duties"

    if prep.title:
        j = int(nums.title_j[i])
        if j >= 0:
            values["title"] = nums.title_value[i]
            held = chunk.titles[i][j]
            details["title"] = (
                f"closest post held or headline: '{held[:60]}' ({float(nums.title_sim[i]):.2f})"
            )
        else:
            values["title"] = 0.0
            details["title"] = "no position title or headline found in the CV"
    else:
        details["title"] = "the notice has no title"

    if prep.competencies:
        values["competencies"] = nums.comp_value[i]
        if full:
            weighted = nums.comps.weighted[:, i].tolist()
            index = nums.comps.index[:, i].tolist()
            for item, j, sim in zip(prep.competencies, index, weighted, strict=True):
                ok = j >= 0 and sim >= cfg.competency_threshold
                ev = (Evidence(sentences[j], source="text"),) if ok else ()
                checks.append(
                    Check(
                        item.text, "competency", "pass" if ok else "unknown",
                        f"evidenced in the CV (similarity {sim:.2f})" if ok
                        else "no sentence of the CV clearly shows it; assessed in the fit score",
                        False, item.evidence, ev,
                    )
                )  # fmt: skip
        details["competencies"] = (
            f"{nums.comp_shown[i]} of {len(prep.competencies)} competencies clearly evidenced"
        )
    else:
        details["competencies"] = "the notice lists no further competencies"

    values["experience"], details["experience"] = _experience_value(
        kernel, chunk, nums, i, route, months_by_req, months_of
    )
    values["field"], details["field"] = field_value(prep, cand, field_match)
    if full:
        values["education"], details["education"] = education_value(req, profile, route)
        values["languages"], details["languages"] = languages_value(req, profile)
    else:
        values["education"], details["education"] = _memo(
            kernel, ("edu_value", profile.highest_level, route),
            lambda: education_value(req, profile, route),
        )  # fmt: skip
        values["languages"], details["languages"] = _memo(
            kernel, ("lang_value", lang_key), lambda: languages_value(req, profile)
        )

    eligibility = overall_eligibility(checks)
    if not full:
        terms, score = weighted_terms(values, kernel.weights, decimals=cfg.decimals)
        evidence.sort(key=lambda e: (-e[0], e[1]))
        return {
            "candidate_id": profile.id,
            "eligibility": eligibility,
            "score": score,
            **{
                name: (v if applies and w > 0 else float("nan")) for name, applies, w, v, _ in terms
            },
            "failed_checks": _check_words(checks, "fail"),
            "unknown_checks": _check_words(checks, "unknown"),
            "top_evidence": " | ".join(f"{s:.2f} {text[:160]}" for s, _, text in evidence[:2]),
            "stuffing": bool(n_copied),
            "source": profile.source,
            "error": "",
        }
    parts, score = build_parts(values, kernel.weights, details, decimals=cfg.decimals)
    if not checks or not any(c.mandatory for c in checks):
        warnings.append("no mandatory requirement could be checked: eligibility is unknown")
    copied = [s for s, c in zip(sentences, copied_flags.tolist(), strict=False) if c]
    result = MatchResult(
        candidate_id=profile.id,
        vacancy_id=prep.vacancy.id,
        eligibility=eligibility,
        score=score,
        checks=tuple(checks),
        duty_matches=tuple(duty_matches),
        parts=parts,
        explanation="",
        warnings=tuple(warnings),
    )
    return MatchResult(
        candidate_id=result.candidate_id,
        vacancy_id=result.vacancy_id,
        eligibility=result.eligibility,
        score=result.score,
        checks=result.checks,
        duty_matches=result.duty_matches,
        parts=result.parts,
        explanation=render_explanation(result, copied=copied),
        warnings=result.warnings,
    )


def _experience_value(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    nums: _Numbers,
    i: int,
    route: Any,
    months_by_req: Sequence[float | None],
    months_of: Callable[[Sequence[bool]], tuple[float, int]],
) -> tuple[float | None, str]:
    """The experience component: years beyond each minimum, or relevant years when none is set."""
    cfg = kernel.cfg
    prep = kernel.prep
    mandatory = prep.requirements.experience
    if mandatory:
        terms: list[float] = []
        words: list[str] = []
        for exp, months in zip(mandatory, months_by_req, strict=False):
            need = required_years(exp, route)
            if months is None:
                terms.append(0.0)
                words.append(f"{exp.kind or 'relevant'}: years unknown")
                continue
            extra = months / 12.0 - need
            terms.append(min(max(extra / cfg.experience_cap_years, 0.0), 1.0))
            words.append(f"{extra:+.1f} years beyond the {need:g}-year minimum")
        return float(np.mean(terms)), "; ".join(words)
    cand = chunk.candidates[i]
    if not cand.position_texts:
        return 0.0, "no positions found in the CV"
    if len(kernel.nomin_rows) == 0:
        return None, "the notice states no experience minimum and no duties"
    assert nums.nomin_sims is not None
    sims = nums.nomin_sims[i]
    months, _ = months_of(tuple(s >= cfg.relevance_threshold for s in sims))
    value = min(months / 12.0 / cfg.experience_cap_years, 1.0)
    return value, f"{months / 12.0:.1f} years of relevant experience (no minimum stated)"


# --------------------------------------------------------------------------- fit components


def field_value(
    vacancy: PreparedVacancy,
    candidate: PreparedCandidate,
    field_match: tuple[float, str, str] | None,
) -> tuple[float | None, str]:
    if field_match is None:
        return None, "the notice names no field of study"
    value, cf, rf = field_match
    if not candidate.fields:
        return 0.0, "no field of study found in the CV"
    if not cf:
        return 0.0, "no degree field related to the fields named"
    return value, f"'{cf[:60]}' vs '{rf}'"


def education_value(req: Any, profile: CandidateProfile, route: Any) -> tuple[float | None, str]:
    preferred = [o for o in req.education_preferred if o.min_level is not None]
    level = profile.highest_level
    if preferred:
        target = min(o.min_level for o in preferred)
        if level is None:
            return 0.0, "degree level unknown"
        if level >= target:
            return 1.0, f"holds the preferred {level_label(target)}"
        return 0.0, f"the preferred {level_label(target)} is not held"
    if not req.education:
        return None, "the notice states no degree"
    if route is None:
        return 0.0, "no accepted degree found"
    if route.main:
        return 1.0, f"meets the main degree requirement ({level_label(level)})"
    return 0.5, "meets the degree requirement through the substitution route"


def languages_value(req: Any, profile: CandidateProfile) -> tuple[float | None, str]:

    groups: dict[str, list[tuple[str, str | None]]] = {}
    for r in req.languages:
        if not r.required:
            key = r.evidence.text if r.evidence is not None else r.language
            groups.setdefault(key, []).append((r.language, r.level))
    for c in req.language_choices:
        if not c.required:
            key = c.evidence.text if c.evidence is not None else ",".join(c.languages)
            groups.setdefault(key, []).extend((code, c.level) for code in c.languages)
    if not groups:
        return None, "the notice names no asset language"
    scores = []
    met_codes: list[str] = []
    for _, langs in sorted(groups.items()):
        best = 0.0
        for code, level in langs:
            status, _ = language_status(profile, code, level)
            if status == "pass":
                best = 1.0
                met_codes.append(code)
            elif status == "unknown" and any(s.language == code for s in profile.languages):
                best = max(best, 0.5)  # listed without a level
        scores.append(best)
    detail = (
        f"asset language(s) met: {', '.join(sorted(set(met_codes)))}"
        if met_codes
        else "no asset language met"
    )
    return float(np.mean(scores)), detail


def score_chunk(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    *,
    full: bool = False,
    multilingual: bool = False,
    only: Sequence[int] | None = None,
    on_error: Callable[[PreparedCandidate, Exception], Any] | None = None,
) -> list[Any]:
    """CVs of ``chunk`` (all, or the indices in ``only``) against one vacancy: their ranking rows,
    or :class:`MatchResult` with ``full``.

    A pair that raises is passed to ``on_error`` (its return value takes the pair's place); without
    ``on_error`` the exception propagates.
    """
    nums = _numbers(kernel, chunk)
    out: list[Any] = []
    for i in range(len(chunk)) if only is None else only:
        try:
            out.append(_pair(kernel, chunk, nums, i, full=full, multilingual=multilingual))
        except Exception as exc:
            if on_error is None:
                raise
            out.append(on_error(chunk.candidates[i], exc))
    return out

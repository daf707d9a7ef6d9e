"""The entry point of scoring: eligibility checks, soft fit, explanation and ranking.

    >>> import matcher
    >>> path = "data/vacancies/osce-associate-security-project-officer-SEC000821.txt"
    >>> vacancy = matcher.load_vacancy(path)                               # doctest: +SKIP
    >>> m = matcher.Matcher()                                              # doctest: +SKIP
    >>> m.rank(vacancy, matcher.load_cvs("data/cvs")).head()               # doctest: +SKIP

Scoring one pair is three steps, exposed separately so pool-scale code (``matcher.batch``) can
encode every distinct text once and reuse the rest unchanged:

1. ``prep_v = m.prepare_vacancy(vacancy)``, ``prep_c = m.prepare_candidate(profile)``;
2. ``vectors = m.embed(prep_v.texts() + prep_c.texts())`` (any ``{text: unit vector}`` mapping);
3. ``m.score_prepared(prep_v, prep_c, vectors)`` -> :class:`~matcher.types.MatchResult`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.errors import ConfigError, MatcherError
from matcher.scoring.config import COMPONENTS, ScoringConfig
from matcher.scoring.eligibility import (
    education_check,
    experience_check,
    language_checks,
    level_label,
    nationality_check,
    other_check,
    overall_eligibility,
    required_years,
)
from matcher.scoring.explanation import build_parts, check_line, render_explanation
from matcher.scoring.fit import (
    PreparedCandidate,
    PreparedVacancy,
    best_matches,
    calibrate,
    field_relatedness,
    prepare_candidate,
    prepare_vacancy,
    stack,
)
from matcher.types import CandidateProfile, Check, DutyMatch, MatchResult, Vacancy

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from matcher.audit import AuditLog
    from matcher.scoring.encoders import Encoder

__all__ = ["Matcher", "RANK_COLUMNS", "result_row", "sort_rows"]

log = logging.getLogger(__name__)

_ELIGIBILITY_ORDER = {"eligible": 0, "unknown": 1, "ineligible": 2, "error": 3}

#: Columns of :meth:`Matcher.rank`, in order.
RANK_COLUMNS: tuple[str, ...] = (
    "candidate_id",
    "rank",
    "eligibility",
    "score",
    *COMPONENTS,
    "failed_checks",
    "unknown_checks",
    "top_evidence",
    "stuffing",
    "source",
    "error",
)


def _check_words(checks: Iterable[Check], status: str) -> str:
    return "; ".join(f"{c.kind}: {c.reason}" for c in checks if c.status == status and c.mandatory)


def result_row(result: MatchResult, *, source: str = "") -> dict[str, Any]:
    """One ranking row for a result (without ``rank``): what :meth:`Matcher.rank` tabulates."""
    values = {p.name: (p.value if p.weight > 0 else float("nan")) for p in result.parts}
    best = sorted(
        (m for m in result.duty_matches if m.cv_sentence and not m.discounted),
        key=lambda m: (-m.similarity, m.duty),
    )[:2]
    evidence = " | ".join(f"{m.similarity:.2f} {m.cv_sentence[:160]}" for m in best)
    stuffing = sum(1 for w in result.warnings if w.startswith("keyword stuffing"))
    return {
        "candidate_id": result.candidate_id,
        "eligibility": result.eligibility,
        "score": result.score,
        **{name: values.get(name, float("nan")) for name in COMPONENTS},
        "failed_checks": _check_words(result.checks, "fail"),
        "unknown_checks": _check_words(result.checks, "unknown"),
        "top_evidence": evidence,
        "stuffing": bool(stuffing),
        "source": source,
        "error": "",
    }


def error_row(candidate_id: str, error: str, *, source: str = "") -> dict[str, Any]:
    """A ranking row for a CV that could not be read or scored."""
    return {
        "candidate_id": candidate_id,
        "eligibility": "error",
        "score": float("nan"),
        **{name: float("nan") for name in COMPONENTS},
        "failed_checks": "",
        "unknown_checks": "",
        "top_evidence": "",
        "stuffing": False,
        "source": source,
        "error": error,
    }


def sort_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Eligible, unknown, ineligible, then errors; score descending; ties by candidate id."""

    def key(row: dict[str, Any]) -> tuple[int, float, str]:
        score = row["score"]
        score = -1.0 if score is None or score != score else float(score)
        return (_ELIGIBILITY_ORDER.get(row["eligibility"], 9), -score, str(row["candidate_id"]))

    ordered = sorted(rows, key=key)
    for i, row in enumerate(ordered, 1):
        row["rank"] = i
    return ordered


def _progress(iterable: Iterable[Any], *, total: int, desc: str, enabled: bool | None) -> Any:
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False)


class Matcher:
    """Eligibility, fit score and explanation of CVs against vacancies.

    ``encoder`` is any :class:`~matcher.scoring.encoders.Encoder` (default: the packaged MiniLM,
    loaded on first use); ``config`` a :class:`ScoringConfig` (default: calibrated for the encoder).
    Results are deterministic: the same inputs give the same scores in any order.
    """

    def __init__(self, encoder: Encoder | None = None, config: ScoringConfig | None = None) -> None:
        if config is not None and not isinstance(config, ScoringConfig):
            raise ConfigError("config must be a ScoringConfig (use ScoringConfig.from_dict)")
        if encoder is not None and not callable(getattr(encoder, "encode", None)):
            raise ConfigError("encoder must have an encode(texts) method")
        self._encoder = encoder
        self._config = config

    def __repr__(self) -> str:
        enc = getattr(self._encoder, "model_id", "default")
        return f"Matcher(encoder={enc!r})"

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from matcher.scoring.encoders import SentenceTransformerEncoder

            self._encoder = SentenceTransformerEncoder()
        return self._encoder

    @property
    def config(self) -> ScoringConfig:
        if self._config is None:
            if self._encoder is None:
                self._config = ScoringConfig()
            else:
                self._config = ScoringConfig.for_encoder(self._encoder)
        return self._config

    # ------------------------------------------------------------------ preparation

    def prepare_vacancy(self, vacancy: Vacancy | str | os.PathLike[str]) -> PreparedVacancy:
        """The vacancy's scorable texts (accepts a parsed :class:`Vacancy` or a path)."""
        return prepare_vacancy(_as_vacancy(vacancy), config=self.config)

    def prepare_candidate(self, profile: CandidateProfile) -> PreparedCandidate:
        """The CV's scorable texts (blind text and positions only)."""
        return prepare_candidate(profile)

    def prepare_candidates(
        self, profiles: Iterable[CandidateProfile]
    ) -> tuple[list[PreparedCandidate], list[dict[str, Any]]]:
        """Every CV prepared once; one that cannot be becomes an error row, never an exception."""
        prepared: list[PreparedCandidate] = []
        errors: list[dict[str, Any]] = []
        for profile in profiles:
            try:
                prepared.append(self.prepare_candidate(profile))
            except Exception as exc:  # noqa: BLE001 - one bad CV never stops the batch
                log.warning("could not prepare CV %s: %s", profile.id, type(exc).__name__)
                errors.append(
                    error_row(profile.id, f"{type(exc).__name__}: {exc}", source=profile.source)
                )
        return prepared, errors

    def embed(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """``{text: unit vector}`` for the distinct non-empty texts, encoded in one call."""
        distinct = sorted({t for t in texts if t and t.strip()}, key=lambda t: (len(t), t))
        if not distinct:
            return {}
        vecs = np.asarray(self.encoder.encode(distinct), dtype=np.float32)
        return {t: vecs[i] for i, t in enumerate(distinct)}

    # ------------------------------------------------------------------ scoring

    def score(
        self,
        vacancy: Vacancy | str | os.PathLike[str],
        cv: CandidateProfile | str | os.PathLike[str],
    ) -> MatchResult:
        """Eligibility, fit score, checks, duty matches and explanation of one CV."""
        prep_v = self.prepare_vacancy(vacancy)
        profile = _as_profile(cv, prep_v)
        prep_c = self.prepare_candidate(profile)
        vectors = self.embed(prep_v.texts() + prep_c.texts())
        return self.score_prepared(prep_v, prep_c, vectors)

    def explain(
        self,
        vacancy: Vacancy | str | os.PathLike[str],
        cv: CandidateProfile | str | os.PathLike[str],
    ) -> str:
        """The readable per-check and per-duty explanation of :meth:`score`."""
        return self.score(vacancy, cv).explanation

    def score_prepared(
        self,
        vacancy: PreparedVacancy,
        candidate: PreparedCandidate,
        vectors: Mapping[str, np.ndarray],
    ) -> MatchResult:
        """Score one prepared pair from precomputed vectors (``{text: unit vector}``).

        Every text of ``vacancy.texts()`` and ``candidate.texts()`` should be in ``vectors``; a
        missing one counts as no similarity at all.
        """
        cfg = self.config
        dim = _dim(vectors)
        profile = candidate.profile
        req = vacancy.requirements
        warnings: list[str] = list(candidate.warnings)

        # sentences, their weights (positions first, copies of the vacancy discounted)
        sentences = list(candidate.sentences)
        sent_vecs = stack(sentences, vectors, dim)
        hits = vacancy.copy_detector.detect(sentences)
        copied = [s for s, h in zip(sentences, hits, strict=True) if h.copied]
        hidden = candidate.hidden or (False,) * len(sentences)
        factors = np.array(
            [
                0.0
                if invisible
                else (1.0 if pos else cfg.other_text_factor)
                * ((1.0 - cfg.stuffing_discount) if h.copied else 1.0)
                for pos, h, invisible in zip(candidate.in_position, hits, hidden, strict=True)
            ],
            dtype=np.float64,
        )
        if copied:
            warnings.append(
                f"keyword stuffing: {len(copied)} sentence(s) copy the vacancy's text and were "
                "discounted"
            )

        # ---- eligibility
        checks: list[Check] = []
        route = None
        field_match = self._field_match(vacancy, candidate, vectors, dim)
        if req.education:
            edu_check, route = education_check(
                req.education,
                profile,
                field_match=field_match,
                field_threshold=cfg.field_related_threshold,
            )
            checks.append(edu_check)
        months_by_req: list[float | None] = []
        unreliable = None
        if candidate.language not in (None, "en") and not getattr(
            self.encoder, "multilingual", False
        ):
            unreliable = (
                f"the CV appears to be in '{candidate.language}', which the English-only model "
                "cannot compare with the notice (use the multilingual encoder)"
            )
            warnings.append(unreliable)
        n_mandatory_exp = len(req.experience)
        for i, (exp, queries) in enumerate(
            zip(vacancy.experience, vacancy.experience_queries, strict=True)
        ):
            sims = self._position_similarity(candidate, queries, vectors, dim)
            check, months = experience_check(
                exp,
                profile,
                route,
                sims,
                threshold=cfg.relevance_threshold,
                reference=vacancy.reference,
                relevance_unreliable=unreliable,
            )
            if i >= n_mandatory_exp:  # a preferred minimum: reported, never blocking
                check = Check(
                    check.requirement, "experience (preferred)", check.status, check.reason,
                    False, check.vacancy_evidence, check.cv_evidence,
                )  # fmt: skip
            checks.append(check)
            months_by_req.append(months)
        checks.extend(language_checks(req.languages, req.language_choices, profile))
        nat = nationality_check(
            vacancy.vacancy, profile, require_stated=cfg.require_stated_nationality
        )
        if nat is not None:
            checks.append(nat)
        if vacancy.other_items:
            other_vecs = stack([o.text for o in vacancy.other_items], vectors, dim)
            idx, _, raw = best_matches(other_vecs, sent_vecs, factors)
            for item, j, sim in zip(vacancy.other_items, idx, raw, strict=True):
                best = sentences[j] if j >= 0 else None
                checks.append(
                    other_check(item, best, float(sim), threshold=cfg.competency_threshold)
                )

        # ---- soft fit
        values: dict[str, float | None] = dict.fromkeys(COMPONENTS)
        details: dict[str, str] = {}
        duty_matches: list[DutyMatch] = []
        floor, ceiling = cfg.similarity_floor, cfg.similarity_ceiling

        if vacancy.duties:
            duty_vecs = stack(list(vacancy.duties), vectors, dim)
            idx, weighted, _ = best_matches(duty_vecs, sent_vecs, factors)
            per_duty = calibrate(weighted, floor, ceiling)
            for duty, j, sim in zip(vacancy.duties, idx, weighted, strict=True):
                if j < 0:
                    duty_matches.append(DutyMatch(duty, "", 0.0))
                    continue
                duty_matches.append(
                    DutyMatch(
                        duty,
                        sentences[j],
                        round(float(sim), cfg.decimals),
                        candidate.sources[j],
                        bool(hits[j].copied),
                    )
                )
            values["duties"] = float(np.mean(per_duty)) if len(per_duty) else 0.0
            covered = int(np.sum(per_duty >= 0.5))
            details["duties"] = f"{covered} of {len(per_duty)} duties clearly evidenced"
        else:
            details["duties"] = "the notice lists no duties"

        copied_set = set(copied)
        held = [t for t in candidate.title_texts if t not in copied_set]
        if vacancy.title and held:
            title_vec = stack([vacancy.title], vectors, dim)
            sims = (stack(held, vectors, dim) @ title_vec.T)[:, 0]
            j = int(np.argmax(sims))
            values["title"] = float(calibrate(float(sims[j]), floor, ceiling))
            details["title"] = f"closest post held or headline: '{held[j][:60]}' ({sims[j]:.2f})"
        elif vacancy.title:
            values["title"] = 0.0
            details["title"] = "no position title or headline found in the CV"
        else:
            details["title"] = "the notice has no title"

        if vacancy.competencies:
            comp_vecs = stack([c.text for c in vacancy.competencies], vectors, dim)
            idx, weighted, _ = best_matches(comp_vecs, sent_vecs, factors)
            per = calibrate(weighted, floor, ceiling)
            w = np.array([1.0 if c.required else 0.5 for c in vacancy.competencies])
            values["competencies"] = float(np.sum(per * w) / np.sum(w))
            shown = 0
            for item, j, sim in zip(vacancy.competencies, idx, weighted, strict=True):
                ok = j >= 0 and sim >= cfg.competency_threshold
                shown += int(ok)
                ev = ()
                if j >= 0 and ok:
                    from matcher.types import Evidence

                    ev = (Evidence(sentences[j], source="text"),)
                checks.append(
                    Check(
                        item.text,
                        "competency",
                        "pass" if ok else "unknown",
                        f"evidenced in the CV (similarity {sim:.2f})"
                        if ok
                        else "no sentence of the CV clearly shows it; assessed in the fit score",
                        False,
                        item.evidence,
                        ev,
                    )
                )
            details["competencies"] = (
                f"{shown} of {len(vacancy.competencies)} competencies clearly evidenced"
            )
        else:
            details["competencies"] = "the notice lists no further competencies"

        values["experience"], details["experience"] = self._experience_value(
            vacancy, candidate, route, months_by_req, vectors, dim
        )
        values["field"], details["field"] = self._field_value(vacancy, candidate, field_match)
        values["education"], details["education"] = self._education_value(req, profile, route)
        values["languages"], details["languages"] = self._languages_value(req, profile)

        parts, score = build_parts(values, cfg.weights(), details, decimals=cfg.decimals)
        eligibility = overall_eligibility(checks)
        if not checks or not any(c.mandatory for c in checks):
            warnings.append("no mandatory requirement could be checked: eligibility is unknown")
        result = MatchResult(
            candidate_id=profile.id,
            vacancy_id=vacancy.vacancy.id,
            eligibility=eligibility,
            score=score,
            checks=tuple(checks),
            duty_matches=tuple(duty_matches),
            parts=parts,
            explanation="",
            warnings=tuple(warnings),
        )
        text = render_explanation(result, copied=copied)
        return MatchResult(
            candidate_id=result.candidate_id,
            vacancy_id=result.vacancy_id,
            eligibility=result.eligibility,
            score=result.score,
            checks=result.checks,
            duty_matches=result.duty_matches,
            parts=result.parts,
            explanation=text,
            warnings=result.warnings,
        )

    # ------------------------------------------------------------------ components

    def _position_similarity(
        self,
        candidate: PreparedCandidate,
        queries: Sequence[str],
        vectors: Mapping[str, np.ndarray],
        dim: int,
    ) -> list[float]:
        """For each position, its best similarity to any query of one experience requirement."""
        if not queries:
            return [0.0] * len(candidate.position_texts)
        q = stack(list(queries), vectors, dim)
        out: list[float] = []
        for texts in candidate.position_texts:
            if not texts:
                out.append(0.0)
                continue
            sims = stack(list(texts), vectors, dim) @ q.T
            out.append(round(float(np.max(sims)), self.config.decimals))
        return out

    def _experience_value(
        self,
        vacancy: PreparedVacancy,
        candidate: PreparedCandidate,
        route: Any,
        months_by_req: Sequence[float | None],
        vectors: Mapping[str, np.ndarray],
        dim: int,
    ) -> tuple[float | None, str]:
        cfg = self.config
        mandatory = vacancy.requirements.experience
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
        if not candidate.position_texts:
            return 0.0, "no positions found in the CV"
        from matcher.scoring.eligibility import relevant_months

        queries = list(vacancy.duties) or ([vacancy.vacancy.title] if vacancy.vacancy.title else [])
        if not queries:
            return None, "the notice states no experience minimum and no duties"
        sims = self._position_similarity(candidate, queries, vectors, dim)
        months, _ = relevant_months(
            candidate.profile.positions,
            [s >= cfg.relevance_threshold for s in sims],
            reference=vacancy.reference,
        )
        value = min(months / 12.0 / cfg.experience_cap_years, 1.0)
        return value, f"{months / 12.0:.1f} years of relevant experience (no minimum stated)"

    def _field_match(
        self,
        vacancy: PreparedVacancy,
        candidate: PreparedCandidate,
        vectors: Mapping[str, np.ndarray],
        dim: int,
    ) -> tuple[float, str, str] | None:
        """Best (relatedness, CV field, notice field); None when the notice names no field."""
        if not vacancy.fields:
            return None
        if not candidate.fields:
            return (0.0, "", "")
        cfg = self.config
        value, cf, rf = field_relatedness(
            list(candidate.fields),
            list(vacancy.fields),
            stack(list(candidate.fields), vectors, dim),
            stack(list(vacancy.fields), vectors, dim),
            floor=cfg.similarity_floor,
            ceiling=cfg.similarity_ceiling,
        )
        return (round(float(value), cfg.decimals), cf, rf)

    @staticmethod
    def _field_value(
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

    @staticmethod
    def _education_value(
        req: Any, profile: CandidateProfile, route: Any
    ) -> tuple[float | None, str]:
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

    @staticmethod
    def _languages_value(req: Any, profile: CandidateProfile) -> tuple[float | None, str]:
        from matcher.scoring.eligibility import _language_status

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
                status, _ = _language_status(profile, code, level)
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

    # ------------------------------------------------------------------ ranking

    def rank(
        self,
        vacancy: Vacancy | str | os.PathLike[str],
        cvs: Any,
        *,
        progress: bool | None = None,
        audit: AuditLog | None = None,
    ) -> pd.DataFrame:
        """One row per candidate, best first: eligible, unknown, ineligible, then errors.

        ``cvs`` is a :class:`~matcher.features.cv.LoadedCVs`, a folder, or a sequence of
        :class:`CandidateProfile` and/or paths. A CV that cannot be read becomes a row with its
        error, never an exception. Ties in score are broken by candidate id. ``audit``: an
        :class:`~matcher.audit.AuditLog` that records the run (no CV text, no personal data).
        """
        return self.rank_detailed(vacancy, cvs, progress=progress, audit=audit)[0]

    def report(
        self,
        vacancy: Vacancy | str | os.PathLike[str],
        cvs: Any,
        *,
        out: str | os.PathLike[str] | None = None,
        audit: AuditLog | None = None,
        **options: Any,
    ) -> str:
        """The HTML shortlist of this pool (see :func:`matcher.report.render_report`).

        Scores once, as :meth:`rank`; writes the page to ``out`` when given; returns the HTML.
        """
        from matcher.report import render_report, write_report

        vacancy = _as_vacancy(vacancy)
        frame, results, profiles = self.rank_detailed(vacancy, cvs, audit=audit)
        options.setdefault("profiles", {p.id: p for p in profiles})
        if out is None:
            return render_report(vacancy, results, ranking=frame, **options)
        path = write_report(out, vacancy, results, ranking=frame, **options)
        return path.read_text(encoding="utf-8")

    def rank_detailed(
        self,
        vacancy: Vacancy | str | os.PathLike[str],
        cvs: Any,
        *,
        progress: bool | None = None,
        audit: AuditLog | None = None,
    ) -> tuple[pd.DataFrame, list[MatchResult], list[CandidateProfile]]:
        """:meth:`rank`, plus the :class:`MatchResult` behind each scored row and the profiles
        (what a report or an explanation needs), from the same single scoring pass."""
        import pandas as pd

        prep_v = self.prepare_vacancy(vacancy)
        profiles, rows = _collect_profiles(cvs, prep_v)
        prepared, errors = self.prepare_candidates(profiles)
        rows.extend(errors)
        texts: list[str] = prep_v.texts()
        for p in prepared:
            texts.extend(p.texts())
        vectors = self.embed(texts)
        results: list[MatchResult] = []
        for p in _progress(prepared, total=len(prepared), desc="scoring", enabled=progress):
            try:
                result = self.score_prepared(prep_v, p, vectors)
                results.append(result)
                rows.append(result_row(result, source=p.profile.source))
            except Exception as exc:  # noqa: BLE001 - one bad CV never stops the batch
                log.warning("could not score CV %s: %s", p.profile.id, type(exc).__name__)
                rows.append(
                    error_row(p.profile.id, f"{type(exc).__name__}: {exc}", source=p.profile.source)
                )
        ordered = sort_rows(rows)
        frame = pd.DataFrame(ordered, columns=list(RANK_COLUMNS))
        frame = frame.reset_index(drop=True)
        if audit is not None:
            audit.record_matcher_run(
                "rank", matcher=self, frame=frame, results=results,
                vacancies=[prep_v.vacancy], profiles=profiles,
            )  # fmt: skip
        return frame, results, profiles

    def rank_pool(
        self, vacancies: Any, cvs: Any, *, engine: str = "local", **kwargs: Any
    ) -> pd.DataFrame:
        """Rank many CVs against many vacancies; see :func:`matcher.batch.rank_pool`."""
        from matcher.batch import rank_pool

        return rank_pool(self, vacancies, cvs, engine=engine, **kwargs)


# --------------------------------------------------------------------------- helpers


def _dim(vectors: Mapping[str, np.ndarray]) -> int:
    for vec in vectors.values():
        return int(np.asarray(vec).shape[-1])
    return 1


def _as_vacancy(vacancy: Vacancy | str | os.PathLike[str]) -> Vacancy:
    if isinstance(vacancy, Vacancy):
        return vacancy
    if isinstance(vacancy, (str, os.PathLike)):
        from matcher.features.vacancy import load_vacancy

        return load_vacancy(vacancy)
    raise ConfigError(f"vacancy must be a Vacancy or a path, not {type(vacancy).__name__}")


def _as_profile(cv: Any, prep_v: PreparedVacancy) -> CandidateProfile:
    if isinstance(cv, CandidateProfile):
        return cv
    if isinstance(cv, (str, os.PathLike)):
        from matcher.features.cv import parse_cv

        return parse_cv(Path(cv), reference_date=prep_v.reference)
    raise ConfigError(f"cv must be a CandidateProfile or a path, not {type(cv).__name__}")


def _failure_row(failure: Any) -> dict[str, Any]:
    """A row for one entry of ``LoadedCVs.failures`` (whatever shape it has)."""
    path = getattr(failure, "path", None) or getattr(failure, "source", None)
    error = getattr(failure, "message", None) or getattr(failure, "error", None)
    if isinstance(failure, tuple) and len(failure) == 2:
        path, error = failure
    if path is None:
        path = str(failure)
    cid = Path(str(path)).stem
    return error_row(cid, str(error or "could not be read"), source=str(path))


def _collect_profiles(
    cvs: Any, prep_v: PreparedVacancy
) -> tuple[list[CandidateProfile], list[dict[str, Any]]]:
    """Profiles to score and error rows for CVs that could not be read."""
    rows: list[dict[str, Any]] = []
    if hasattr(cvs, "profiles") and hasattr(cvs, "failures"):
        rows.extend(_failure_row(f) for f in cvs.failures)
        return list(cvs.profiles), rows
    if isinstance(cvs, (str, os.PathLike)):
        from matcher.features.cv import load_cvs

        loaded = load_cvs(cvs, reference_date=prep_v.reference)
        return _collect_profiles(loaded, prep_v)
    if isinstance(cvs, CandidateProfile):
        cvs = [cvs]
    profiles: list[CandidateProfile] = []
    for item in cvs:
        if isinstance(item, CandidateProfile):
            profiles.append(item)
            continue
        try:
            profiles.append(_as_profile(item, prep_v))
        except MatcherError as exc:
            rows.append(error_row(Path(str(item)).stem, str(exc), source=str(item)))
        except Exception as exc:  # noqa: BLE001 - one bad CV never stops the batch
            rows.append(
                error_row(Path(str(item)).stem, f"{type(exc).__name__}: {exc}", source=str(item))
            )
    ids = [p.id for p in profiles]
    if len(set(ids)) != len(ids):
        log.warning("duplicate candidate ids in the pool; ties are broken by id, then by input")
    return profiles, rows


def explain_lines(result: MatchResult) -> list[str]:
    """The checks of a result as one line each (for logs and the CLI)."""
    return [check_line(c) for c in result.checks]

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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

from matcher.errors import ConfigError, MatcherError
from matcher.scoring.components import best_evidence, evidence_text
from matcher.scoring.config import COMPONENTS, ScoringConfig
from matcher.scoring.declarations import Answers, load_answers, settle_result, to_confirm
from matcher.scoring.eligibility import check_words
from matcher.scoring.fit import (
    PreparedCandidate,
    PreparedVacancy,
    prepare_candidate,
    prepare_vacancy,
)
from matcher.scoring.ranking import rank_key, rests_on_missing_data
from matcher.types import CandidateProfile, MatchResult, Vacancy

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from matcher.scoring.encoders import Encoder
    from matcher.scoring.kernel import RowTable

__all__ = [
    "Matcher", "RANK_COLUMNS", "RunLog", "result_row", "error_row", "sort_rows", "collect_profiles",
]  # fmt: skip

log = logging.getLogger(__name__)

#: CVs scored together in one matrix product (bounded memory: a chunk's texts and rectangles)
_SCORE_CHUNK = 256

#: Columns of :meth:`Matcher.rank`, in order.
RANK_COLUMNS: tuple[str, ...] = (
    "candidate_id",
    "rank",
    "eligibility",
    "score",
    *COMPONENTS,
    "failed_checks",
    "unknown_checks",
    "to_confirm",
    "missing_data",
    "top_evidence",
    "stuffing",
    "source",
    "error",
)


class RunLog(Protocol):
    """What a ranking run is recorded into: :class:`matcher.audit.AuditLog` (named here by its
    shape, since scoring sits below the audit layer)."""

    def record_matcher_run(
        self,
        kind: Literal["rank", "rank_pool", "allocate"],
        *,
        matcher: Any,
        frame: Any,
        results: Iterable[Any] = (),
        vacancies: Iterable[Any] = (),
        profiles: Iterable[Any] = (),
        inputs: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> str: ...


def result_row(result: MatchResult, *, source: str = "") -> dict[str, Any]:
    """One ranking row for a result (without ``rank``): what :meth:`Matcher.rank` tabulates."""
    values = {p.name: (p.value if p.weight > 0 else float("nan")) for p in result.parts}
    matches = result.duty_matches
    evidence = ""
    if matches:
        shown = np.array([[bool(m.cv_sentence) and not m.discounted] for m in matches])
        rounded = np.array([[m.similarity] for m in matches], dtype=np.float64)
        picks = best_evidence([m.duty for m in matches], rounded, shown)[:, 0].tolist()
        evidence = evidence_text(
            (matches[k].similarity, matches[k].cv_sentence) for k in picks if shown[k, 0]
        )
    stuffing = sum(1 for w in result.warnings if w.startswith("keyword stuffing"))
    return {
        "candidate_id": result.candidate_id,
        "eligibility": result.eligibility,
        "score": result.score,
        **{name: values.get(name, float("nan")) for name in COMPONENTS},
        "failed_checks": check_words(result.checks, "fail"),
        "unknown_checks": check_words(result.checks, "unknown"),
        "to_confirm": to_confirm(result.checks),
        "missing_data": rests_on_missing_data(result.checks),
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
        "to_confirm": "",
        "missing_data": False,
        "top_evidence": "",
        "stuffing": False,
        "source": source,
        "error": error,
    }


def sort_rows(
    rows: list[dict[str, Any]], config: ScoringConfig | None = None
) -> list[dict[str, Any]]:
    """Rows in ranking order (:func:`~matcher.scoring.ranking.rank_key`), numbered from 1."""
    ordered = sorted(
        rows,
        key=lambda r: rank_key(
            r["eligibility"], r["score"], r["candidate_id"], config,
            missing_data=bool(r.get("missing_data", False)),
        ),  # fmt: skip
    )
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
    ``rerank_encoder``: the stronger model of ``config.rerank_model`` (default: built from its name
    on first use; pass one to share an embedding cache). Results are deterministic: the same
    inputs give the same scores in any order.
    """

    def __init__(
        self,
        encoder: Encoder | None = None,
        config: ScoringConfig | None = None,
        *,
        rerank_encoder: Encoder | None = None,
    ) -> None:
        if config is not None and not isinstance(config, ScoringConfig):
            raise ConfigError("config must be a ScoringConfig (use ScoringConfig.from_dict)")
        if encoder is not None and not callable(getattr(encoder, "encode", None)):
            raise ConfigError("encoder must have an encode(texts) method")
        self._encoder = encoder
        self._config = config
        self._reranker = rerank_encoder

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

    @property
    def reranker(self) -> Encoder | None:
        """The encoder of ``config.rerank_model`` (None when the config names none)."""
        if not self.config.rerank_model:
            return None
        if self._reranker is None:
            from matcher.scoring.rerank import rerank_encoder

            self._reranker = rerank_encoder(self.config.rerank_model)
        return self._reranker

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
        missing one counts as no similarity at all. The work is that of a pool of one
        (:mod:`matcher.scoring.kernel`), so a pool's rows equal this for every pair.
        """
        return self.score_many(vacancy, [candidate], vectors)[0]

    def score_many(
        self,
        vacancy: PreparedVacancy,
        candidates: Sequence[PreparedCandidate],
        vectors: Mapping[str, np.ndarray],
        *,
        on_error: Any = None,
    ) -> list[Any]:
        """:meth:`score_prepared` for many CVs against one vacancy, a chunk at a time."""
        from matcher.scoring.kernel import CandidateChunk, VacancyKernel, score_chunk

        cfg = self.config
        dim = _dim(vectors)
        kernel = VacancyKernel(vacancy, cfg, vectors, dim)
        multilingual = bool(getattr(self.encoder, "multilingual", False))
        out: list[Any] = []
        for start in range(0, len(candidates), _SCORE_CHUNK):
            chunk = CandidateChunk(candidates[start : start + _SCORE_CHUNK], vectors, dim, cfg)
            out.extend(
                score_chunk(kernel, chunk, multilingual=multilingual, on_error=on_error)
            )
        return out

    def score_rows(
        self,
        vacancies: Sequence[PreparedVacancy],
        candidates: Sequence[PreparedCandidate],
        vectors: Mapping[str, np.ndarray],
        *,
        wanted: Mapping[int, Sequence[int]] | None = None,
        on_error: Any = None,
        copies: Sequence[frozenset[str]] | None = None,
    ) -> list[dict[str, Any]]:
        """Ranking rows (no explanation objects: what pools need) of ``candidates`` against each
        vacancy, or only of ``wanted[vacancy index]``; each row has its ``vacancy_id``.

        The texts of a chunk of CVs are gathered once for all vacancies and multiplied with all
        vacancies' texts at once. Rows come chunk by chunk, vacancy by vacancy within a chunk.
        ``on_error(candidate, exception)`` returns the row of a pair that raised (None drops it).
        ``copies``: per vacancy, the CV sentences that copy it, when the caller found them for a
        whole pool (:func:`matcher.scoring.kernel.find_copies`); else found here.
        """
        rows: list[dict[str, Any]] = []
        for vacancy_id, block in self._score_blocks(
            vacancies, candidates, vectors, wanted=wanted, on_error=on_error, copies=copies
        ):
            for row in block.rows():
                row["vacancy_id"] = vacancy_id
                rows.append(row)
        return rows

    def score_table(
        self,
        vacancies: Sequence[PreparedVacancy],
        candidates: Sequence[PreparedCandidate],
        vectors: Mapping[str, np.ndarray],
        *,
        columns: Sequence[str],
        wanted: Mapping[int, Sequence[int]] | None = None,
        on_error: Any = None,
        copies: Sequence[frozenset[str]] | None = None,
    ) -> pd.DataFrame:
        """:meth:`score_rows` as one DataFrame with ``columns``, made column by column (a pool
        never holds a dict per row). Rows of pairs that raised come last."""
        import pandas as pd

        table: dict[str, list[Any]] = {name: [] for name in columns}
        failed: list[dict[str, Any]] = []
        for vacancy_id, block in self._score_blocks(
            vacancies, candidates, vectors, wanted=wanted, on_error=on_error, copies=copies
        ):
            scored = block.columns
            if scored is not None:
                n = len(scored["candidate_id"])
                for name, values in table.items():
                    values.extend([vacancy_id] * n if name == "vacancy_id" else scored[name])
            failed += [{**row, "vacancy_id": vacancy_id} for _, row in block.errors]
        frame = pd.DataFrame(table, columns=list(columns))
        if failed:
            frame = pd.concat(
                [frame, pd.DataFrame.from_records(failed, columns=list(columns))],
                ignore_index=True,
            )
        return frame

    def _score_blocks(
        self,
        vacancies: Sequence[PreparedVacancy],
        candidates: Sequence[PreparedCandidate],
        vectors: Mapping[str, np.ndarray],
        *,
        wanted: Mapping[int, Sequence[int]] | None,
        on_error: Any,
        copies: Sequence[frozenset[str]] | None,
    ) -> Iterator[tuple[str, RowTable]]:
        """(vacancy id, its :class:`~matcher.scoring.kernel.RowTable`) per (chunk, vacancy)."""
        from matcher.scoring.kernel import (
            CandidateChunk,
            VacancyKernel,
            VacancySet,
            score_chunk_rows,
        )

        cfg = self.config
        dim = _dim(vectors)
        multilingual = bool(getattr(self.encoder, "multilingual", False))
        kernels = [
            VacancyKernel(p, cfg, vectors, dim, copies=None if copies is None else copies[vi])
            for vi, p in enumerate(vacancies)
        ]
        together = VacancySet(kernels)
        for start in range(0, len(candidates), _SCORE_CHUNK):
            stop = min(start + _SCORE_CHUNK, len(candidates))
            chunk = CandidateChunk(candidates[start:stop], vectors, dim, cfg)
            sims = together.sims(chunk)
            for vi, kernel in enumerate(kernels):
                only = None
                if wanted is not None:
                    only = [i - start for i in wanted.get(vi, ()) if start <= i < stop]
                    if not only:
                        continue
                yield kernel.prep.vacancy.id, score_chunk_rows(
                    kernel, chunk, multilingual=multilingual, only=only, on_error=on_error,
                    shared=(sims, together.rows[vi]),
                )  # fmt: skip

    # ------------------------------------------------------------------ ranking

    def rank(
        self,
        vacancy: Vacancy | str | os.PathLike[str],
        cvs: Any,
        *,
        progress: bool | None = None,
        audit: RunLog | None = None,
        answers: Answers | str | os.PathLike[str] | None = None,
    ) -> pd.DataFrame:
        """One row per candidate, best first: eligible, unknown, ineligible, then errors.

        ``cvs`` is a :class:`~matcher.features.cv.LoadedCVs`, a folder, or a sequence of
        :class:`CandidateProfile` and/or paths. A CV that cannot be read becomes a row with its
        error, never an exception. Ties in score are broken by candidate id. ``audit``: an
        :class:`~matcher.audit.AuditLog` that records the run (no CV text, no personal data).
        ``answers``: the candidates' answers to declaration items (driving licence, fitness ...;
        a file or :class:`~matcher.scoring.declarations.Answers`, see
        :func:`~matcher.scoring.declarations.load_answers`); a "no" makes a candidate ineligible.
        """
        return self.rank_detailed(
            vacancy, cvs, progress=progress, audit=audit, answers=answers
        )[0]

    def rank_detailed(
        self,
        vacancy: Vacancy | str | os.PathLike[str],
        cvs: Any,
        *,
        progress: bool | None = None,
        audit: RunLog | None = None,
        answers: Answers | str | os.PathLike[str] | None = None,
    ) -> tuple[pd.DataFrame, list[MatchResult], list[CandidateProfile]]:
        """:meth:`rank`, plus the :class:`MatchResult` behind each scored row and the profiles
        (what a report or an explanation needs), from the same single scoring pass."""
        import pandas as pd

        settled = None if answers is None else load_answers(answers)

        prep_v = self.prepare_vacancy(vacancy)
        profiles, rows = collect_profiles(cvs, prep_v)
        prepared, errors = self.prepare_candidates(profiles)
        rows.extend(errors)
        texts: list[str] = prep_v.texts()
        for p in prepared:
            texts.extend(p.texts())
        vectors = self.embed(texts)
        results: list[MatchResult] = []

        def failed(p: PreparedCandidate, exc: Exception) -> None:
            log.warning("could not score CV %s: %s", p.profile.id, type(exc).__name__)
            rows.append(
                error_row(p.profile.id, f"{type(exc).__name__}: {exc}", source=p.profile.source)
            )

        blocks = [prepared[i : i + _SCORE_CHUNK] for i in range(0, len(prepared), _SCORE_CHUNK)]
        for block in _progress(blocks, total=len(blocks), desc="scoring", enabled=progress):
            for p, result in zip(
                block, self.score_many(prep_v, block, vectors, on_error=failed), strict=True
            ):
                if result is not None:
                    result = settle_result(result, settled)
                    results.append(result)
                    rows.append(result_row(result, source=p.profile.source))
        ordered = sort_rows(rows, self.config)
        if self.reranker is not None:
            ordered, results = self._rerank(prep_v, prepared, ordered, results)
        frame = pd.DataFrame(ordered, columns=list(RANK_COLUMNS))
        frame = frame.reset_index(drop=True)
        if audit is not None:
            audit.record_matcher_run(
                "rank", matcher=self, frame=frame, results=results,
                vacancies=[prep_v.vacancy], profiles=profiles,
            )  # fmt: skip
        return frame, results, profiles

    def _rerank(
        self,
        prep_v: PreparedVacancy,
        prepared: Sequence[PreparedCandidate],
        ordered: list[dict[str, Any]],
        results: list[MatchResult],
    ) -> tuple[list[dict[str, Any]], list[MatchResult]]:
        """The ``rerank_k`` best rows re-scored by :attr:`reranker` and ordered again among
        themselves (:mod:`matcher.scoring.rerank`); the rows below them keep their places."""
        from matcher.scoring.rerank import (
            copied_sentences,
            rerank_values,
            rescore_result,
            top_rows,
        )

        cfg, encoder = self.config, self.reranker
        assert encoder is not None
        by_result = {r.candidate_id: r for r in results}
        by_prep = {p.profile.id: p for p in prepared}
        top = top_rows(
            [int(r["rank"]) for r in ordered], [bool(r["error"]) for r in ordered], cfg.rerank_k
        )
        top = [i for i in top if ordered[i]["candidate_id"] in by_result]
        if not top:
            return ordered, results
        ids = [ordered[i]["candidate_id"] for i in top]
        cands = [by_prep[c] for c in ids]
        new = {
            c: rescore_result(
                by_result[c], values, cfg, encoder.model_id,
                copied=copied_sentences(cand, prep_v),
            )
            for c, cand, values in zip(
                ids, cands, rerank_values(prep_v, cands, encoder, cfg), strict=True
            )
        }  # fmt: skip
        head = sort_rows(
            [result_row(new[ordered[i]["candidate_id"]], source=ordered[i]["source"]) for i in top],
            cfg,
        )
        rest = [row for i, row in enumerate(ordered) if i not in set(top)]
        out = head + rest
        for rank, row in enumerate(out, 1):
            row["rank"] = rank
        return out, [new.get(r.candidate_id, r) for r in results]


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


def collect_profiles(
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
        return collect_profiles(loaded, prep_v)
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

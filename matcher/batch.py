"""Rank a pool: many CVs against many vacancies, each distinct text encoded once.

Encoding is the floor (MiniLM: about 157 sentences/s on two cores), so :func:`rank_pool` works in
two phases:

1. **encode**: every vacancy and CV is prepared once (:meth:`Matcher.prepare_vacancy`,
   :meth:`Matcher.prepare_candidate`), the distinct texts of the whole pool are collected, sorted
   canonically and encoded in fixed blocks. A CV sentence shared by 23 vacancies, or a duty shared
   by 10,000 candidates, is encoded once. Wrap the encoder in a
   :class:`~matcher.scoring.cache.CachedEncoder` and a re-run encodes nothing.
2. **score**: the CV sentences that copy a vacancy (keyword stuffing) are found once for the pool;
   then CVs are cut into chunks and each chunk is scored against every vacancy by
   :meth:`Matcher.score_rows`: one matrix product per (vacancy, chunk), decisions from the same
   code as :meth:`Matcher.score` (:mod:`matcher.scoring.kernel`), rows without explanation
   objects. Each chunk carries the vectors of its own texts only, so memory stays bounded by the
   chunk size.

``engine="dask"`` runs the same blocks and the same chunks as tasks on a ``dask.distributed``
cluster (a local one by default), so the result is identical to the last digit. An optional first
tier (:mod:`matcher.scoring.prefilter`) keeps only the ``prefilter_k`` most promising CVs per
vacancy for the full scorer.

    >>> import matcher
    >>> m = matcher.Matcher()                                                   # doctest: +SKIP
    >>> df = matcher.rank_pool(m, openings, matcher.load_cvs("data/cvs"))       # doctest: +SKIP
    >>> list(df.columns[:5])                                                    # doctest: +SKIP
    ['vacancy_id', 'candidate_id', 'rank', 'eligibility', 'score']
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np

from matcher.errors import ConfigError, MissingDependencyError
from matcher.types import CandidateProfile, Vacancy

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from matcher.audit import AuditLog
    from matcher.scoring.fit import PreparedCandidate, PreparedVacancy
    from matcher.scoring.matcher import Matcher
    from matcher.scoring.prefilter import PrefilterMethod

__all__ = [
    "rank_pool", "pool_columns", "apply_overrides", "check_columns", "Engine", "PoolStats",
    "TextVectors",
]  # fmt: skip

log = logging.getLogger(__name__)

Engine = Literal["local", "dask"]
_ENGINES: tuple[str, ...] = get_args(Engine)

#: encode blocks hold this many texts (a multiple of the encoders' batch of 64, so cutting the
#: canonical order into blocks gives the same batches as one call)
ENCODE_BLOCK = 4096

#: a pool with at least this many distinct CV sentences looks for copies of the notices in a
#: worker process while this one reads the embedding cache (below it, starting the worker would
#: cost more than the search)
BACKGROUND_COPIES = 20_000


#: columns :func:`apply_overrides` adds to a ranking
OVERRIDE_COLUMNS: tuple[str, ...] = (
    "computed_eligibility", "decision", "decided_by", "decision_reason",
)  # fmt: skip


def apply_overrides(frame: pd.DataFrame, overrides: Iterable[Any]) -> pd.DataFrame:
    """The ranking with the panel's decisions applied: ``eligibility`` becomes the decided one,
    ``computed_eligibility`` keeps the tool's, ``decision`` / ``decided_by`` /
    ``decision_reason`` say what was decided, by whom and why, and the rows are ranked again in
    the usual order. ``overrides`` are :class:`matcher.audit.Override` records (see
    :func:`matcher.audit.read_overrides`); one that names a candidate absent from the ranking is
    an error, never silently ignored.
    """
    import pandas as pd

    from matcher.errors import InputError
    from matcher.scoring.matcher import sort_rows

    overrides = list(overrides)
    out = frame.copy()
    known = set(out["candidate_id"].astype(str))
    absent = [o for o in overrides if o.candidate_id not in known]
    if absent:
        o = absent[0]
        where = f"{o.where}: " if o.where else ""
        sample = ", ".join(sorted(known)[:5]) + (" ..." if len(known) > 5 else "")
        raise InputError(
            f"{where}the decision about {o.candidate_id!r} names no candidate of this run "
            f"({len(known)} candidates: {sample}); correct the id"
            + (f" ({len(absent)} such decisions)" if len(absent) > 1 else "")
        )
    by_id = {o.candidate_id: o for o in overrides}
    if "computed_eligibility" not in out.columns:
        out["computed_eligibility"] = out["eligibility"]
    for col in OVERRIDE_COLUMNS[1:]:
        if col not in out.columns:
            out[col] = ""
    for i, cid in enumerate(out["candidate_id"].astype(str)):
        o = by_id.get(cid)
        if o is None or out.at[out.index[i], "eligibility"] == "error":
            continue
        idx = out.index[i]
        out.at[idx, "eligibility"] = o.eligibility
        out.at[idx, "decision"] = o.decision
        out.at[idx, "decided_by"] = o.actor or "not named"
        out.at[idx, "decision_reason"] = o.reason
    group = [c for c in ("vacancy_id",) if c in out.columns]
    parts = []
    for _, block in out.groupby(group, sort=False) if group else [(None, out)]:
        rows = sort_rows(block.to_dict("records"))
        parts.append(pd.DataFrame(rows, columns=list(out.columns)))
    ranked = pd.concat(parts, ignore_index=True) if parts else out
    ranked.attrs.update(frame.attrs)
    return ranked


#: the unknown_checks of a row whose notice states no requirement that can be checked
NO_REQUIREMENTS = (
    "no requirements stated: the notice gives no degree, experience or language requirement to "
    "check (for JPO openings, state the programme's with --programme FILE)"
)


def no_requirements_stated(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that are "unknown" with no check to show (a notice with no checkable requirement)
    say so in ``unknown_checks`` instead of leaving it empty: what the CLI writes and prints
    (the library's frames keep the scorer's own columns, equal between rank and rank_pool)."""
    if frame.empty or "unknown_checks" not in frame.columns:
        return frame
    bare = (
        (frame["eligibility"] == "unknown")
        & (frame["unknown_checks"].fillna("") == "")
        & (frame["failed_checks"].fillna("") == "")
    )
    if bare.any():
        frame = frame.copy()
        frame.loc[bare, "unknown_checks"] = NO_REQUIREMENTS
    return frame


def check_columns(frame: pd.DataFrame, results: Iterable[Any]) -> pd.DataFrame:
    """The ranking with one column per requirement check ("check: <kind>: <requirement>"),
    holding pass / fail / unknown (empty for a CV that could not be scored): the shortlist a
    panel filters in a spreadsheet."""
    columns: dict[str, dict[str, str]] = {}
    for r in results:
        for c in r.checks:
            name = f"check: {c.kind}: {c.requirement}" + ("" if c.mandatory else " (asset)")
            columns.setdefault(name, {})[str(r.candidate_id)] = c.status
    out = frame.copy()
    ids = out["candidate_id"].astype(str)
    for name, by_id in columns.items():
        out[name] = [by_id.get(cid, "") for cid in ids]
    return out


def pool_columns() -> tuple[str, ...]:
    """Columns of :func:`rank_pool`: ``vacancy_id`` then those of :meth:`Matcher.rank`."""
    from matcher.scoring.matcher import RANK_COLUMNS

    return ("vacancy_id", *RANK_COLUMNS)


@dataclass(frozen=True, slots=True)
class PoolStats:
    """What one :func:`rank_pool` call did; ``DataFrame.attrs["pool"]`` holds it as a plain dict
    (so the frame still saves to Parquet / JSON)."""

    vacancies: int
    candidates: int
    pairs: int
    distinct_texts: int
    chunks: int
    engine: str
    prefilter_k: int | None
    #: wall seconds per phase (prepare, first_tier, encode, copies, score, assemble, and rerank
    #: when a re-ranker is set): where a run's time went; not part of the results (two identical
    #: runs differ here only)
    seconds: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- inputs


def _as_vacancies(matcher: Matcher, vacancies: Any) -> list[PreparedVacancy]:
    if isinstance(vacancies, (Vacancy, str, os.PathLike)):
        vacancies = [vacancies]
    prepared = [matcher.prepare_vacancy(v) for v in vacancies]
    ids = [p.vacancy.id for p in prepared]
    if len(set(ids)) != len(ids):
        raise ConfigError("vacancy ids must be unique within a pool")
    return prepared


def _as_profiles(
    cvs: Any, prep_v: PreparedVacancy
) -> tuple[list[CandidateProfile], list[dict[str, Any]]]:
    """Profiles and error rows (without vacancy) for CVs that could not be read."""
    from matcher.scoring.matcher import collect_profiles

    return collect_profiles(cvs, prep_v)


def _progress(iterable: Iterable[Any], *, total: int, desc: str, enabled: bool | None) -> Any:
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False, file=sys.stderr)


class TextVectors(Mapping[str, np.ndarray]):
    """``{text: vector}`` over one matrix: what a chunk task needs, pickled as one array (a dict
    of thousands of small arrays costs far more to send to a worker)."""

    def __init__(
        self, texts: Sequence[str], matrix: np.ndarray, *, index: dict[str, int] | None = None
    ) -> None:
        self.texts = list(texts)
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        #: ``{text: row}`` when the caller has it already
        self._index: dict[str, int] | None = index

    def __getstate__(self) -> tuple[list[str], np.ndarray]:
        return self.texts, self.matrix

    def __setstate__(self, state: tuple[list[str], np.ndarray]) -> None:
        self.texts, self.matrix = state
        self._index = None

    def _rows(self) -> dict[str, int]:
        if self._index is None:
            self._index = {t: i for i, t in enumerate(self.texts)}
        return self._index

    def __getitem__(self, text: str) -> np.ndarray:
        return self.matrix[self._rows()[text]]

    def rows_of(self, texts: Sequence[str]) -> np.ndarray:
        """Row of each text in ``matrix`` (-1 when absent)."""
        rows = self._rows()
        return np.fromiter(map(rows.get, texts, repeat(-1)), np.int64, count=len(texts))

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)

    def __len__(self) -> int:
        return len(self.texts)


def _release_freed_memory() -> None:
    """Hand memory the process has freed back to the OS (glibc keeps it otherwise).

    A transformer's activations on a batch of long texts take hundreds of MB; once freed, glibc
    keeps them in its arenas, so a pool's resident memory would carry them through scoring.
    Best effort: a no-op where ``malloc_trim`` does not exist (macOS, Windows, musl). No garbage
    collection: activations hold no cycles, and a full collection over a pool's objects would
    cost more than it frees.
    """
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):
        pass


def _read_spans(
    cache: Any, model_id: str, texts: Sequence[str], table: np.ndarray, spans: Sequence[range]
) -> np.ndarray:
    """Stored vectors of ``texts`` in ``spans`` into their rows of ``table``, span by span (the
    rows read stay a block at a time in memory); the mask of the rows found."""
    found = np.zeros(len(texts), dtype=bool)
    for span in spans:
        found[span.start : span.stop] = cache.get_into(
            model_id, texts[span.start : span.stop], table[span.start : span.stop]
        )
    return found


def _read_cached(
    encoder: Any, texts: Sequence[str], table: np.ndarray, spans: Sequence[range]
) -> np.ndarray | None:
    """Read what the encoder's embedding cache holds for ``texts`` into ``table``: the mask of
    rows found, or None when the encoder has no cache."""
    from matcher.scoring.cache import CachedEncoder

    if not isinstance(encoder, CachedEncoder) or not texts:
        return None
    return _read_spans(encoder.cache, encoder.model_id, texts, table, spans)


class _Clock:
    """Wall seconds per phase of a pool run, for ``PoolStats.seconds``."""

    def __init__(self) -> None:
        self._last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def lap(self, phase: str) -> dict[str, float]:
        now = time.perf_counter()
        self.seconds[phase] = round(now - self._last, 3)
        self._last = now
        return self.seconds


def _chunks(n: int, size: int) -> list[range]:
    return [range(i, min(i + size, n)) for i in range(0, n, size)]


# --------------------------------------------------------------------------- tasks


def _encode_block(encoder: Any, texts: Sequence[str]) -> np.ndarray:
    """One encode task: the same block gives the same vectors on any engine."""
    return np.ascontiguousarray(encoder.encode(list(texts)), dtype=np.float32)


def _score_chunk(
    matcher: Matcher,
    vacancies: Sequence[PreparedVacancy],
    candidates: Sequence[PreparedCandidate],
    pairs: Sequence[tuple[int, int]] | None,
    vectors: Mapping[str, np.ndarray],
    copies: Sequence[frozenset[str]] | None = None,
) -> pd.DataFrame:
    """Rows of one chunk: ``pairs`` are (vacancy index, candidate index within the chunk), None
    for every pair.

    The only place pool ranking scores pairs: :meth:`Matcher.score_table` (the code behind
    :meth:`Matcher.score`, rows only, column by column) over the chunk's CVs wanted by each
    vacancy.
    """
    from matcher.scoring.matcher import error_row

    def failed(prep_c: PreparedCandidate, exc: Exception) -> dict[str, Any]:
        profile = prep_c.profile
        log.warning("could not score CV %s: %s", profile.id, type(exc).__name__)
        return error_row(profile.id, f"{type(exc).__name__}: {exc}", source=profile.source)

    wanted: dict[int, list[int]] | None = None
    if pairs is not None:
        wanted = {}
        for vi, ci in pairs:
            wanted.setdefault(vi, []).append(ci)
        if len(wanted) == len(vacancies) and all(
            len(c) == len(candidates) for c in wanted.values()
        ):
            wanted = None
    return matcher.score_table(
        vacancies,
        candidates,
        vectors,
        columns=[c for c in pool_columns() if c != "rank"],
        wanted=wanted,
        on_error=failed,
        copies=copies,
    )


@dataclass(frozen=True, slots=True)
class _Context:
    """What every scoring task shares: sent to each worker once."""

    matcher: Any
    vacancies: tuple[Any, ...]
    copies: tuple[frozenset[str], ...] | None = None


@dataclass(frozen=True, slots=True)
class _Chunk:
    """One chunk's data, scattered to the cluster as one object (not through the task graph)."""

    candidates: Any
    pairs: Any
    vectors: Any


def _score_task(context: _Context, chunk: _Chunk) -> pd.DataFrame:
    return _score_chunk(
        context.matcher,
        context.vacancies,
        chunk.candidates,
        chunk.pairs,
        chunk.vectors,
        context.copies,
    )


def _copies_task(detectors: Sequence[Any], sentences: set[str]) -> list[frozenset[str]]:
    from matcher.scoring.kernel import find_copies

    return find_copies(detectors, sorted(sentences))


def _pool_copies(
    vacancies: Sequence[PreparedVacancy],
    candidates: Sequence[PreparedCandidate],
    runner: _Local | _Dask,
) -> Callable[[], tuple[frozenset[str], ...]]:
    """Per vacancy, the pool's CV sentences that copy it: started now (in a worker process for a
    large pool, see :data:`BACKGROUND_COPIES`), the result from the returned function."""
    sentences = {s for pc in candidates for s in pc.sentences}  # sorted where they are searched
    detectors = [pv.copy_detector for pv in vacancies]
    if len(sentences) >= BACKGROUND_COPIES:
        later = runner.start(_copies_task, detectors, sentences)
        if later is not None:
            return lambda: tuple(later())
    found = tuple(_copies_task(detectors, sentences))
    return lambda: found


class _Local:
    """Runs tasks on this machine, in order: in this process, or the scoring chunks in
    ``workers`` processes (joblib's loky pool), each sent its chunk's CVs and vectors."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        #: whether tasks run in this process (and may read the whole pool's vectors)
        self.local = workers == 1

    def _parallel(self, n_jobs: int) -> Any:
        from joblib import Parallel

        # results in task order whatever finishes first; one BLAS thread per worker (the
        # workers are the parallelism); the same arguments every time, so joblib keeps one
        # pool of worker processes for all the calls of a process
        return Parallel(
            n_jobs=n_jobs, backend="loky", return_as="generator", inner_max_num_threads=1
        )

    def start(self, fn: Any, *args: Any) -> Callable[[], Any] | None:
        """``fn(*args)`` in a worker process while this one goes on (two workers when scoring
        runs here, so the pool is the one scoring with two workers uses); the returned function
        waits for the result. None when no worker can run it (then call ``fn`` here)."""
        from joblib import delayed

        try:
            results = self._parallel(max(self.workers, 2))([delayed(fn)(*args)])
        except Exception as exc:  # noqa: BLE001 - no worker: the same call in this process
            log.info("no worker process (%s): running %s here", exc, fn.__name__)
            return None

        def result() -> Any:
            return list(results)[0]

        return result

    def map_encode(self, encoder: Any, blocks: list[list[str]]) -> Iterator[np.ndarray]:
        for block in blocks:
            yield _encode_block(encoder, block)

    def map_score(
        self, matcher: Matcher, vacancies: Any, jobs: Iterable[tuple[Any, Any, Any]], copies: Any
    ) -> Iterator[pd.DataFrame]:
        if self.local:
            for candidates, pairs, vectors in jobs:
                yield _score_chunk(matcher, vacancies, candidates, pairs, vectors, copies)
            return
        from joblib import delayed

        context = _Context(matcher, tuple(vacancies), copies)
        yield from self._parallel(self.workers)(
            delayed(_score_task)(context, _Chunk(candidates, pairs, vectors))
            for candidates, pairs, vectors in jobs
        )

    def close(self) -> None:
        pass


class _Dask:
    """Runs the same tasks on a ``dask.distributed`` client, results gathered in task order."""

    local = False

    def __init__(self, client: Any) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependencyError("dask.distributed", "dask") from exc
        self._own: list[Any] = []
        if client is None:
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True)
            client = Client(cluster)
            self._own = [client, cluster]
        self.client = client

    def _ordered(self, futures: list[Any]) -> Iterator[Any]:
        for future in futures:  # in submission order, so results never depend on timing
            yield future.result()
            future.release()

    def start(self, fn: Any, *args: Any) -> Callable[[], Any] | None:
        """None: a background call runs in this process (see :meth:`_Local.start`)."""
        return None

    def map_encode(self, encoder: Any, blocks: list[list[str]]) -> Iterator[np.ndarray]:
        if not blocks:
            return iter(())
        enc = self.client.scatter(encoder, broadcast=True)
        futures = [self.client.submit(_encode_block, enc, block, pure=False) for block in blocks]
        return self._ordered(futures)

    def map_score(
        self, matcher: Matcher, vacancies: Any, jobs: Iterable[tuple[Any, Any, Any]], copies: Any
    ) -> Iterator[pd.DataFrame]:
        context = self.client.scatter(_Context(matcher, tuple(vacancies), copies), broadcast=True)
        workers = len(self.client.scheduler_info().get("workers", {})) or 1
        window = 2 * workers  # chunks in flight: bounded memory on client and workers
        pending: list[Any] = []
        for candidates, pairs, vectors in jobs:
            pending.append(
                self.client.submit(
                    _score_task,
                    context,
                    self.client.scatter(_Chunk(candidates, pairs, vectors)),
                    pure=False,
                )
            )
            if len(pending) >= window:
                first = pending.pop(0)
                yield first.result()
                first.release()
        for future in pending:  # in submission order, so results never depend on timing
            yield future.result()
            future.release()

    def close(self) -> None:
        for obj in self._own:
            obj.close()


# --------------------------------------------------------------------------- the pool


def rank_pool(
    matcher: Matcher,
    vacancies: Any,
    cvs: Any,
    *,
    engine: Engine = "local",
    prefilter_k: int | None = None,
    prefilter_method: PrefilterMethod = "bm25",
    progress: bool | None = True,
    client: Any = None,
    chunk_size: int = 256,
    audit: AuditLog | None = None,
    workers: int = 1,
    answers: Any = None,
) -> pd.DataFrame:
    """Rank every CV against every vacancy; one DataFrame, one row per (vacancy, candidate).

    Columns: ``vacancy_id``, then the columns of :meth:`Matcher.rank` (``candidate_id``, ``rank``
    within the vacancy, ``eligibility``, ``score``, the components, failed / unknown checks in
    words, top evidence, ...). Rows come vacancy by vacancy in input order, each in rank order.
    Scores equal ``matcher.score(vacancy, cv)`` for every pair given the same vectors (use a
    :class:`~matcher.scoring.cache.CachedEncoder` to share them between calls).

    ``vacancies`` is a sequence of :class:`Vacancy` (or paths); ``cvs`` anything
    :meth:`Matcher.rank` takes (a folder, :class:`LoadedCVs`, profiles or paths). With
    ``prefilter_k``, only the first tier's ``prefilter_k`` best CVs per vacancy are scored (the
    others get no row). ``engine="dask"`` uses ``client`` or starts a two-worker local cluster;
    results are identical to ``engine="local"``. ``workers`` > 1 (local engine): the chunks are
    scored in that many processes (joblib's loky pool), again with identical results.
    ``progress`` shows bars (None: only on a terminal; always quiet when stderr is not a
    terminal). ``audit``: an :class:`~matcher.audit.AuditLog` that records the run (no CV text,
    no personal data).
    ``answers``: the candidates' answers to declaration items (a file or
    :class:`~matcher.scoring.declarations.Answers`), applied as :meth:`Matcher.rank` applies them.
    """
    import pandas as pd

    from matcher.scoring.declarations import load_answers

    settled = None if answers is None else load_answers(answers)

    if engine not in _ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; valid: {', '.join(_ENGINES)}")
    if chunk_size < 1:
        raise ConfigError(f"chunk_size must be at least 1, got {chunk_size}")
    if prefilter_k is not None and prefilter_k < 1:
        raise ConfigError(f"prefilter_k must be at least 1, got {prefilter_k}")
    if progress and not sys.stderr.isatty():
        progress = False
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}")
    runner: _Local | _Dask = _Dask(client) if engine == "dask" else _Local(workers)
    try:
        frame = _rank_pool(
            matcher, vacancies, cvs, runner,
            engine=engine, prefilter_k=prefilter_k, prefilter_method=prefilter_method,
            progress=progress, chunk_size=chunk_size, pd=pd, answers=settled,
        )  # fmt: skip
    finally:
        runner.close()
    if audit is not None:
        is_path = isinstance(cvs, (str, os.PathLike))
        audit.record_matcher_run(
            "rank_pool", matcher=matcher, frame=frame,
            vacancies=vacancies if isinstance(vacancies, (list, tuple)) else [vacancies],
            profiles=() if is_path else cvs, inputs={"cvs": cvs} if is_path else None,
            extra={"engine": engine, "prefilter_k": prefilter_k, "workers": workers},
        )  # fmt: skip
    return frame


def _rank_pool(
    matcher: Matcher,
    vacancies: Any,
    cvs: Any,
    runner: _Local | _Dask,
    *,
    engine: str,
    prefilter_k: int | None,
    prefilter_method: PrefilterMethod,
    progress: bool | None,
    chunk_size: int,
    pd: Any,
    answers: Any = None,
) -> pd.DataFrame:
    columns = list(pool_columns())
    matcher.config  # noqa: B018 - resolve the config here, not on every worker
    prep_vs = _as_vacancies(matcher, vacancies)
    if not prep_vs:
        return pd.DataFrame(columns=columns)
    clock = _Clock()
    profiles, failures = _as_profiles(cvs, prep_vs[0])

    # prepare every CV once; a CV that cannot be prepared is an error row for every vacancy
    prep_cs, errors = matcher.prepare_candidates(profiles)
    failures.extend(errors)
    clock.lap("prepare")

    # which pairs to score: all, or the first tier's top-k per vacancy
    if prefilter_k is not None and prep_cs:
        from matcher.scoring.prefilter import prefilter_scores, select_top_k

        first = prefilter_scores(
            [p.vacancy for p in prep_vs], [p.profile for p in prep_cs], method=prefilter_method
        )
        top = select_top_k(first, prefilter_k)
        keep = sorted({int(c) for c in top.ravel()})
        wanted = [set(row.tolist()) for row in top]
        remap = {old: new for new, old in enumerate(keep)}
        prep_cs = [prep_cs[c] for c in keep]
        selected = [{remap[c] for c in s} for s in wanted]
    else:
        selected = None
    clock.lap("first_tier")

    # the CV sentences that copy each vacancy (keyword stuffing), found once for the pool: in a
    # worker process while this one reads the embedding cache, for a large pool
    copies_of = _pool_copies(prep_vs, prep_cs, runner)

    # phase 1: encode each distinct text of the pool once, in canonical order and fixed blocks
    texts: set[str] = set()
    for pv in prep_vs:
        texts.update(pv.texts())
    for pc in prep_cs:
        for group in pc.text_groups():
            texts.update(group)
    # canonical order (length, then text): a stable sort by length of the sorted texts, which
    # builds no key tuples
    distinct = sorted(sorted(t for t in texts if t and t.strip()), key=len)
    del texts
    index = {t: i for i, t in enumerate(distinct)}
    dim = int(matcher.encoder.dim) if distinct else 1
    spans = _chunks(len(distinct), ENCODE_BLOCK)[::-1]
    shape = (len(distinct), dim)
    table = np.zeros(shape, dtype=np.float32)
    # what the embedding cache holds is read first, into place; only blocks with a text missing
    # from it go to the encoder
    found = _read_cached(matcher.encoder, distinct, table, spans)
    if found is not None:
        spans = [span for span in spans if not found[span.start : span.stop].all()]
    # the blocks are canonical (same texts, same vectors on any engine); they are encoded longest
    # first, so the largest activations come while the least memory is spoken for, and the memory
    # each block frees goes back to the OS before the next (fragments otherwise add up to the peak)
    blocks = [distinct[r.start : r.stop] for r in spans]
    for span, vecs in zip(spans, _progress(
        runner.map_encode(matcher.encoder, blocks),
        total=len(blocks), desc="encoding", enabled=progress,
    ), strict=True):  # fmt: skip
        if vecs.shape != (len(span), dim):
            raise ConfigError(f"encoder returned vectors of shape {vecs.shape}, expected dim {dim}")
        table[span.start : span.stop] = vecs
        del vecs
        _release_freed_memory()  # the block's activations: freed, but held by the allocator
    del blocks
    clock.lap("encode")

    # phase 2: score chunks of CVs against the vacancies, each with the vectors it needs
    vac_texts = sorted({t for pv in prep_vs for t in pv.texts() if t in index})

    copies = copies_of()
    clock.lap("copies")  # what was left to wait for

    # in this process every chunk reads the pool's table; a chunk sent to a worker carries only
    # the vectors of its own texts
    everything = TextVectors(distinct, table, index=index)

    def jobs() -> Iterator[tuple[Any, Any, Any]]:
        for chunk in _chunks(len(prep_cs), chunk_size):
            cands = prep_cs[chunk.start : chunk.stop]
            if runner.local:
                vectors = everything
            else:
                rows = dict.fromkeys(index[t] for t in vac_texts)
                for pc in cands:
                    rows.update(
                        dict.fromkeys(r for t in pc.texts() if (r := index.get(t)) is not None)
                    )
                order = list(rows)
                vectors = TextVectors([distinct[r] for r in order], table[order])
            pairs = None  # every pair
            if selected is not None:
                pairs = [
                    (vi, ci)
                    for vi in range(len(prep_vs))
                    for ci in range(len(cands))
                    if (chunk.start + ci) in selected[vi]
                ]
            yield cands, pairs, vectors

    n_chunks = len(_chunks(len(prep_cs), chunk_size))
    unranked = [c for c in columns if c != "rank"]
    parts: list[Any] = []  # one small frame per chunk: a pool never holds all its rows as dicts
    n_pairs = 0
    for part in _progress(
        runner.map_score(matcher, prep_vs, jobs(), copies),
        total=n_chunks, desc="scoring", enabled=progress,
    ):  # fmt: skip
        if len(part):
            parts.append(part)
        n_pairs += len(part)
    n_distinct = len(distinct)
    # the re-ranker reads the scored CVs again (only when the config names one)
    kept = {pc.profile.id: pc for pc in prep_cs} if matcher.config.rerank_model else {}
    # the vectors are done with: free them before assembly (jobs() has run out)
    table = index = distinct = prep_cs = everything = None  # type: ignore[assignment]
    clock.lap("score")

    if failures:
        parts += [
            pd.DataFrame.from_records(
                [{**f, "vacancy_id": pv.vacancy.id} for f in failures], columns=unranked
            )
            for pv in prep_vs
        ]
    frame = pd.concat(parts, ignore_index=True) if parts else None
    if answers is not None:
        from matcher.scoring.declarations import settle_frame

        frame = settle_frame(frame, answers)
    frame = _ranked(frame, prep_vs, columns, pd, matcher.config)
    if kept and matcher.reranker is not None:
        from matcher.scoring.rerank import rerank_frame

        frame = rerank_frame(frame, prep_vs, kept, matcher.reranker, matcher.config)
        clock.lap("rerank")
    frame.attrs["pool"] = asdict(PoolStats(
        vacancies=len(prep_vs),
        candidates=len(profiles),
        pairs=n_pairs,
        distinct_texts=n_distinct,
        chunks=n_chunks,
        engine=engine,
        prefilter_k=prefilter_k,
        seconds=clock.lap("assemble"),
    ))  # fmt: skip
    return frame


def _ranked(
    frame: Any, prep_vs: Sequence[PreparedVacancy], columns: list[str], pd: Any, config: Any
) -> Any:
    """Rows vacancy by vacancy (input order), each in ranking order
    (:func:`~matcher.scoring.ranking.rank_order`), then input order (a stable sort)."""
    from matcher.scoring.ranking import rank_order

    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns)
    position = {pv.vacancy.id: i for i, pv in enumerate(prep_vs)}
    rows, values = pd.factorize(frame["vacancy_id"])  # per distinct value, not per row
    group = np.array([position[v] for v in values] + [len(position)], dtype=np.int64)[rows]
    order = rank_order(
        frame["eligibility"], frame["score"], frame["candidate_id"], config, group=group,
        missing_data=frame["missing_data"] if "missing_data" in frame.columns else None,
    )  # fmt: skip
    frame = frame.iloc[order].reset_index(drop=True)
    ranks = frame.groupby("vacancy_id", sort=False).cumcount() + 1
    frame.insert(columns.index("rank"), "rank", ranks)
    return frame[columns]

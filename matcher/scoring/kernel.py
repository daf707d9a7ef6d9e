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
  the same check functions as always (:mod:`matcher.scoring.eligibility`) and each soft-fit value
  with the components of :mod:`matcher.scoring.components`, from the facts records built here
  (the components are memoised by those records; the kernel keeps no key of its own for them);
* :func:`find_copies` finds the CV sentences that copy a notice (keyword stuffing) in one lexical
  pass over all the distinct sentences of a pool.

:meth:`Matcher.score_prepared <matcher.scoring.matcher.Matcher.score_prepared>` is a chunk of one
CV with ``full=True`` (checks with their evidence, duty matches, the explanation); pool ranking asks
for rows only. Both run the same code on the same numbers, so a pool's rows equal ``Matcher.score``
for every pair.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from matcher.features.fields import FieldFit
from matcher.features.roles import RoleFacts, facts_in_domain, role_facts
from matcher.features.text import shorten
from matcher.scoring.components import (
    ExperienceFacts,
    FieldFacts,
    LanguageFacts,
    Minimum,
    Skills,
    best_evidence,
    competencies_component,
    competencies_words,
    competency_weight,
    duties_component,
    duties_words,
    education_facts,
    education_value,
    evidence_text,
    experience_value,
    field_value,
    language_assets,
    language_skills,
    languages_value,
    round_half_even,
)
from matcher.scoring.config import COMPONENTS, ScoringConfig
from matcher.scoring.declarations import to_confirm
from matcher.scoring.eligibility import (
    GENERIC_EXPERIENCE,
    check_words,
    education_check,
    education_key,
    experience_check,
    language_checks,
    nationality_check,
    nationality_facts,
    other_check,
    overall_eligibility,
    relevant_months,
    required_years,
    role_codes,
)
from matcher.scoring.explanation import build_parts, explained, weighted_columns
from matcher.scoring.fit import (
    PreparedCandidate,
    PreparedVacancy,
    calibrate,
    field_fits,
)
from matcher.scoring.ranking import rests_on_missing_data
from matcher.scoring.stuffing import CopyDetector
from matcher.types import Check, DutyMatch, Evidence, MatchResult

__all__ = [
    "VacancyKernel", "VacancySet", "CandidateChunk", "RowTable", "score_chunk", "score_chunk_rows",
    "similarity", "find_copies", "round_half_even",
]  # fmt: skip

_WORD = re.compile(r"\w+", re.UNICODE)
_NEG = -np.inf


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of unit rows in float64 (so the shape of a batch never shows in a
    rounded score: float32 products differ in the last bit between matrix shapes)."""
    return np.asarray(a, dtype=np.float64) @ np.asarray(b, dtype=np.float64).T


def sequential_sums(
    matrix: np.ndarray,
    rows: np.ndarray,
    weights: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
) -> np.ndarray:
    """Per segment, the weighted sum of its rows of ``matrix``, added in order: segment ``i``
    is ``sum(weights[j] * matrix[rows[j]])`` for ``j`` in ``starts[i] .. starts[i] +
    lengths[i]``, the first row first (the order a plain loop adds them in, so the sums are the
    same to the last bit). One vectorised step per position in a segment, across all segments,
    instead of ``np.add.reduceat`` along rows, which is slow on wide matrices."""
    out = np.zeros((len(lengths), matrix.shape[1]), dtype=np.float64)
    for k in range(int(lengths.max(initial=0))):
        seg = np.flatnonzero(lengths > k)
        at = starts[seg] + k
        out[seg] += matrix[rows[at]] * weights[at][:, None]
    return out


def _matrix(texts: Sequence[str], vectors: Mapping[str, np.ndarray], dim: int) -> np.ndarray:
    """The texts' vectors as float64 rows (a zero row for a text without one).

    A mapping with ``rows_of`` (:class:`matcher.batch.TextVectors`) hands over row numbers of its
    own matrix: one gather instead of a lookup per text (a chunk has tens of thousands)."""
    rows_of = getattr(vectors, "rows_of", None)
    if rows_of is not None:
        rows = rows_of(texts)
        source = vectors.matrix  # type: ignore[attr-defined]
        if not len(rows) or rows.min() >= 0:
            return source[rows].astype(np.float64).reshape(len(rows), dim)
        out = np.zeros((len(texts), dim), dtype=np.float64)
        ok = rows >= 0
        out[ok] = source[rows[ok]]
        return out
    out = np.zeros((len(texts), dim), dtype=np.float64)
    for i, text in enumerate(texts):
        vec = vectors.get(text)
        if vec is not None:
            out[i] = vec
    return out


class VacancyKernel:
    """One prepared vacancy as rows of a matrix, plus memo tables shared by all its pairs."""

    def __init__(
        self,
        prep: PreparedVacancy,
        config: ScoringConfig,
        vectors: Mapping[str, np.ndarray],
        dim: int,
        copies: frozenset[str] | None = None,
    ) -> None:
        self.prep = prep
        self.cfg = config
        texts = prep.texts()
        self.texts = texts
        row = {t: i for i, t in enumerate(texts)}
        self.matrix = _matrix(texts, vectors, dim)
        self.dim = dim

        def rows(items: Sequence[str]) -> np.ndarray:
            return np.array([row.get(t, -1) for t in items], dtype=np.int64)

        self.duty_rows = rows(prep.duties)
        self.comp_rows = rows([c.text for c in prep.competencies])
        self.comp_weights = np.array(
            [competency_weight(c.required) for c in prep.competencies], dtype=np.float64
        )
        self.other_rows = rows([o.text for o in prep.other_items])
        self.title_row = row.get(prep.title, -1) if prep.title else -1
        self.exp_rows = [rows(list(q)) for q in prep.experience_queries]
        nomin = list(prep.duties) or ([prep.vacancy.title] if prep.vacancy.title else [])
        self.nomin_rows = rows(nomin)
        self.field_rows = rows(list(prep.fields))
        #: the post as a whole (title and duties in one text), compared with the CV as a whole
        self.profile_rows = rows([prep.profile_query] if prep.profile_query else [])
        #: the texts that copy this vacancy, when found for the whole pool (else per chunk)
        self.copies = copies
        self.weights = config.weights()
        #: the notice's asset languages (the languages component's notice side)
        self.assets = language_assets(prep.requirements)
        self.memo: dict[Any, Any] = {}
        #: whether a CV's languages can change a decision here (the row memo key omits them when
        #: not: a vacancy without language requirements decides the same for every list)
        req = prep.requirements
        self.reads_languages = bool(req.languages or req.language_choices)

    def _rows_matrix(self, rows: np.ndarray) -> np.ndarray:
        """Rows of the matrix (a zero row for a text that has none: no similarity at all)."""
        out = np.zeros((len(rows), self.dim), dtype=np.float64)
        ok = rows >= 0
        out[ok] = self.matrix[rows[ok]]
        return out


class VacancySet:
    """Many vacancies' texts as one matrix: a chunk of CVs is multiplied once for all of them.

    A chunk's matrix is tens of MB; a product per vacancy would read it once per vacancy for a
    handful of rows each time.
    """

    def __init__(self, kernels: Sequence[VacancyKernel]) -> None:
        index: dict[str, int] = {}
        self.rows = [
            np.array([index.setdefault(t, len(index)) for t in k.texts], dtype=np.int64)
            for k in kernels
        ]
        dim = kernels[0].dim if kernels else 1
        self.matrix = np.zeros((len(index), dim), dtype=np.float64)
        for k, rows in zip(kernels, self.rows, strict=True):
            self.matrix[rows] = k.matrix

    def sims(self, chunk: CandidateChunk) -> np.ndarray:
        """Similarities of every vacancy text (rows; vacancy ``v``'s texts are rows
        ``self.rows[v]``) to the chunk's texts: what :func:`score_chunk` would compute alone."""
        if not len(chunk.texts):
            return np.zeros((len(self.matrix), 0))
        return similarity(self.matrix, chunk.matrix)


class _PositionFacts:
    """What scoring reads of one CV's positions, the same for every vacancy and every run: their
    :func:`~matcher.features.roles.role_facts` and the months :func:`relevant_months` counts, by
    mask of positions counted and closing date. Kept for the positions tuple itself, which the
    record holds (so its ``id`` cannot pass to another object while the record is kept)."""

    __slots__ = ("positions", "roles", "months")

    def __init__(self, positions: tuple[Any, ...]) -> None:
        self.positions = positions
        self.roles: tuple[RoleFacts, ...] | None = None
        self.months: dict[tuple[Any, ...], tuple[float, int]] = {}


#: :class:`_PositionFacts` by ``id`` of the positions tuple, least recently used first: a pool
#: ranked again reads its CVs' facts instead of recounting them
_KEPT: OrderedDict[int, _PositionFacts] = OrderedDict()
_KEPT_LOCK = threading.Lock()
#: CVs whose facts are kept, and (mask, closing date) entries kept per CV
_KEPT_CVS = 1 << 14
_KEPT_MONTHS = 256


def _position_facts(positions: tuple[Any, ...]) -> _PositionFacts:
    key = id(positions)
    with _KEPT_LOCK:
        kept = _KEPT.get(key)
        if kept is not None and kept.positions is positions:
            _KEPT.move_to_end(key)
            return kept
        kept = _KEPT[key] = _PositionFacts(positions)
        _KEPT.move_to_end(key)
        if len(_KEPT) > _KEPT_CVS:
            _KEPT.popitem(last=False)
        return kept


class CandidateChunk:
    """Prepared CVs with their distinct texts as one matrix and per-CV index rectangles."""

    def __init__(
        self,
        candidates: Sequence[PreparedCandidate],
        vectors: Mapping[str, np.ndarray],
        dim: int,
        config: ScoringConfig,
    ) -> None:
        self.candidates = cands = list(candidates)
        n = len(cands)
        index: dict[str, int] = {}

        def ids(items: list[str]) -> np.ndarray:  # each new text gets the next number
            fresh = [t for t in dict.fromkeys(items) if t not in index]  # first appearance
            index.update(zip(fresh, range(len(index), len(index) + len(fresh)), strict=True))
            return np.fromiter(map(index.__getitem__, items), np.int64, count=len(items))

        def starts(lengths: np.ndarray) -> np.ndarray:
            return (np.cumsum(lengths) - lengths).astype(np.int64)

        # sentences, end to end, one segment per CV; base weight: positions 1, other text a
        # factor, hidden text 0
        self.sent_lengths = np.fromiter((len(c.sentences) for c in cands), np.int64, count=n)
        self.sent_starts = starts(self.sent_lengths)
        self.sent_flat = ids([t for c in cands for t in c.sentences])
        self.has_sentences = self.sent_lengths > 0
        in_position = np.fromiter(
            (p for c in cands for p in c.in_position), bool, count=len(self.sent_flat)
        )
        hidden = np.fromiter(
            (h for c in cands for h in (c.hidden or (False,) * len(c.sentences))), bool,
            count=len(self.sent_flat),
        )  # fmt: skip
        self.base_flat = np.where(
            hidden, 0.0, np.where(in_position, 1.0, float(config.other_text_factor))
        )

        # headline / titles held: a title that is also a sentence of the CV drops out if copied
        title_ids = ids([t for c in cands for t in c.title_texts])
        twidth = max((len(c.title_texts) for c in cands), default=0)
        self.title_pad = np.zeros((n, twidth), dtype=np.int64)
        self.title_ok = np.zeros((n, twidth), dtype=bool)
        self.title_is_sentence = np.zeros((n, twidth), dtype=bool)
        at = 0
        for i, c in enumerate(cands):
            k = len(c.title_texts)
            if k:
                self.title_pad[i, :k] = title_ids[at : at + k]
                self.title_ok[i, :k] = True
                own = set(c.sentences)
                self.title_is_sentence[i, :k] = [t in own for t in c.title_texts]
                at += k
        self.titles = [c.title_texts for c in cands]

        # positions: concatenated text indices, one segment per position
        self.n_positions = [len(c.position_texts) for c in cands]
        self.pos_lengths = np.fromiter(
            (len(p) for c in cands for p in c.position_texts), np.int64, count=sum(self.n_positions)
        )
        self.pos_concat = ids([t for c in cands for p in c.position_texts for t in p])
        self.pos_starts = starts(self.pos_lengths)
        self.pos_offsets = np.concatenate([[0], np.cumsum(self.n_positions)]).astype(np.int64)

        ids([t for c in cands for t in c.fields])
        self.texts = list(index)
        self.index = index
        self.matrix = _matrix(self.texts, vectors, dim)
        self.sentence_texts = np.unique(self.sent_flat).tolist()
        # the CV as a whole: the sum of the vectors of its experience (the sentences of its dated
        # positions; all its text when the parser found none), hidden text excluded. The same for
        # every vacancy; a vacancy whose text the CV copies takes the copies out (_profile_sims)
        live = self.has_sentences
        counted = self.base_flat > 0
        with_positions = np.zeros(n, dtype=bool)
        if len(self.sent_flat) and live.any():
            with_positions[live] = np.logical_or.reduceat(
                in_position & counted, self.sent_starts[live]
            )
        owner_has = np.repeat(with_positions, self.sent_lengths)
        self.profile_flat = np.where(in_position | ~owner_has, self.base_flat, 0.0)
        self.profile_sum = sequential_sums(
            self.matrix, self.sent_flat, self.profile_flat, self.sent_starts, self.sent_lengths
        )
        self.profile_norm = np.sqrt((self.profile_sum * self.profile_sum).sum(axis=1))
        self._facts = [_position_facts(c.profile.positions) for c in cands]
        self._language_keys: list[tuple[Any, ...] | None] = [None] * n
        self._education_keys: list[tuple[Any, ...] | None] = [None] * n
        self._skills: list[Any] = [None] * n
        self._role_table: tuple[np.ndarray, list[RoleFacts]] | None = None

    def __len__(self) -> int:
        return len(self.candidates)

    def language_key(self, i: int) -> tuple[Any, ...]:
        """What language checks read of CV ``i``: the languages it states (as the languages
        component reads them) and the one it is written in; a memo key shared by all vacancies."""
        key = self._language_keys[i]
        if key is None:
            key = self._language_keys[i] = (self.skills(i), self.candidates[i].language)
        return key

    def skills(self, i: int) -> Skills:
        """:func:`~matcher.scoring.components.language_skills` of CV ``i``, made once."""
        skills = self._skills[i]
        if skills is None:
            skills = self._skills[i] = language_skills(self.candidates[i].profile)
        return skills

    def education_key(self, i: int) -> tuple[Any, ...]:
        """What the education check reads of CV ``i`` (:func:`education_key`), made once."""
        key = self._education_keys[i]
        if key is None:
            key = self._education_keys[i] = education_key(self.candidates[i].profile)
        return key

    def role_table(self) -> tuple[np.ndarray, list[RoleFacts]]:
        """The chunk's distinct :class:`~matcher.features.roles.RoleFacts` and, per position
        end to end, the index of its own among them."""
        if self._role_table is None:
            distinct: dict[RoleFacts, int] = {}
            ids = [
                distinct.setdefault(f, len(distinct))
                for i in range(len(self)) for f in self.roles(i)
            ]  # fmt: skip
            self._role_table = (np.asarray(ids, dtype=np.int64), list(distinct))
        return self._role_table

    def roles(self, i: int) -> tuple[RoleFacts, ...]:
        """:func:`~matcher.features.roles.role_facts` of CV ``i``'s positions, read once for
        every vacancy."""
        facts = self._facts[i]
        roles = facts.roles
        if roles is None:
            roles = facts.roles = tuple(role_facts(p) for p in facts.positions)
        return roles

    def language_facts(self, i: int, kernel: VacancyKernel) -> LanguageFacts:
        """The languages component's facts of CV ``i`` against ``kernel``'s vacancy."""
        return LanguageFacts(kernel.assets, self.skills(i))

    def relevant_months(self, i: int, mask: Sequence[bool], reference: Any) -> tuple[float, int]:
        """:func:`relevant_months` of CV ``i``'s positions, memoised by its arguments (the mask
        of positions counted and the closing date): the same mask recurs across vacancies, and
        across runs (see :class:`_PositionFacts`)."""
        key = (tuple(mask), reference)
        facts = self._facts[i]
        memo = facts.months
        hit = memo.get(key)
        if hit is None:
            if len(memo) >= _KEPT_MONTHS:
                memo.clear()
            hit = memo[key] = relevant_months(facts.positions, key[0], reference=reference)
        return hit

    def months_of(
        self, i: int, kernel: VacancyKernel
    ) -> Callable[[Sequence[bool]], tuple[float, int]]:
        """:meth:`relevant_months` of CV ``i`` at ``kernel``'s closing date, as a function of
        the mask (what :func:`experience_check` asks for)."""
        return partial(self.relevant_months, i, reference=kernel.prep.reference)


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


def _best(
    sims: np.ndarray, rows: np.ndarray, chunk: CandidateChunk, factor: np.ndarray
) -> _Best:
    """Per query row and CV: its best sentence by weighted similarity (the first on a tie).

    Works on the chunk's sentences laid end to end (``factor`` is per sentence in that order), a
    segment per CV: padding every CV to the longest one would triple the work.
    """
    n = len(chunk)
    q = len(rows)
    flat = chunk.sent_flat
    if q == 0 or not len(flat):
        return _Best(np.full((q, n), -1, np.int64), np.zeros((q, n)), np.zeros((q, n)))
    block = np.zeros((q, sims.shape[1]), dtype=np.float64)
    ok = rows >= 0
    block[ok] = sims[rows[ok]]
    raw = block[:, flat]  # (q, sentences of the chunk)
    weighted = raw * factor
    live = chunk.has_sentences
    starts = chunk.sent_starts[live]
    top = np.maximum.reduceat(weighted, starts, axis=1)
    at_top = weighted == np.repeat(top, chunk.sent_lengths[live], axis=1)
    first = np.minimum.reduceat(np.where(at_top, np.arange(len(flat)), len(flat)), starts, axis=1)
    best = np.full((q, n), -1, dtype=np.int64)
    best[:, live] = first - starts
    w = np.zeros((q, n))
    w[:, live] = top
    r = np.zeros((q, n))
    r[:, live] = np.take_along_axis(raw, first, axis=1)
    return _Best(best, w, r)


def _position_sims(
    sims: np.ndarray, rows: np.ndarray, chunk: CandidateChunk, decimals: int
) -> list[list[float]]:
    """Per CV, per position: best similarity of its texts to any of ``rows``, rounded."""
    return _per_cv(_position_flat(sims, rows, chunk, decimals).tolist(), chunk)


def _per_cv(values: list[Any], chunk: CandidateChunk) -> list[list[Any]]:
    """Values of the chunk's positions end to end, cut into one list per CV."""
    off = chunk.pos_offsets.tolist()
    return [values[off[i] : off[i + 1]] for i in range(len(chunk))]


def _position_flat(
    sims: np.ndarray, rows: np.ndarray, chunk: CandidateChunk, decimals: int
) -> np.ndarray:
    """:func:`_position_sims` of all the chunk's positions end to end."""
    n_pos = len(chunk.pos_lengths)
    if len(rows) == 0 or n_pos == 0:
        return np.zeros(n_pos, dtype=np.float64)
    block = np.zeros((len(rows), sims.shape[1]), dtype=np.float64)
    ok = rows >= 0
    block[ok] = sims[rows[ok]]
    per_text = block.max(axis=0)
    per_pos = np.zeros(n_pos, dtype=np.float64)
    nonempty = chunk.pos_lengths > 0
    if nonempty.any():
        values = per_text[chunk.pos_concat]
        per_pos[nonempty] = np.maximum.reduceat(values, chunk.pos_starts[nonempty])
    rounded: np.ndarray = np.where(nonempty, round_half_even(per_pos, decimals), 0.0)
    return rounded


def _generic_relevant(
    kernel: VacancyKernel, chunk: CandidateChunk, flat: np.ndarray
) -> list[tuple[bool, ...]]:
    """Per CV, :func:`relevant_positions` of :data:`GENERIC_EXPERIENCE` (``flat``: the
    positions' similarities, :func:`_position_flat`), for all the chunk's CVs at once: each
    distinct :class:`~matcher.features.roles.RoleFacts` of the chunk is tested against the
    post's fields once. ``tests/test_differential.py`` holds it to the per-CV rule."""
    prep = kernel.prep
    # a generic kind of experience: the fields of the post itself (never None, which only a
    # management minimum gives)
    codes = role_codes(GENERIC_EXPERIENCE, prep.domain) or ()
    if codes:
        ids, distinct = chunk.role_table()
        in_field = np.fromiter(
            (facts_in_domain(f, codes) for f in distinct), bool, count=len(distinct)
        )
        by_role = in_field[ids]
    else:
        by_role = np.zeros(len(flat), dtype=bool)
    relevant = ((flat >= kernel.cfg.relevance_threshold) | by_role).tolist()
    return [tuple(part) for part in _per_cv(relevant, chunk)]


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
    #: cosine of the CV's profile (its counted sentences summed) and the post's (title and duties)
    profile_sim: np.ndarray
    profile_value: list[float]
    #: per sentence of the chunk, end to end: does it copy the vacancy?
    copied_flat: np.ndarray
    n_copied: list[int]
    #: per CV, when the notice states no experience minimum: the positions relevant to its
    #: duties (:func:`_generic_relevant`)
    nomin_relevant: list[tuple[bool, ...]] | None


def _numbers(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    shared: tuple[np.ndarray, np.ndarray] | None = None,
) -> _Numbers:
    """``shared``: (similarities of many vacancies' texts to the chunk's, the rows of this
    vacancy's texts in it), from :meth:`VacancySet.sims`; else computed here."""
    cfg = kernel.cfg
    if shared is None:
        sims = (
            similarity(kernel.matrix, chunk.matrix)
            if len(chunk.texts)
            else np.zeros((len(kernel.texts), 0))
        )
        own = None
    else:
        sims, own = shared

    def rows(of: np.ndarray) -> np.ndarray:  # the rows of sims that hold these texts
        return of if own is None else np.where(of >= 0, own[np.maximum(of, 0)], -1)

    copied = _copied(kernel, chunk)
    copied_flat = copied[chunk.sent_flat]
    factor = chunk.base_flat * np.where(copied_flat, 1.0 - cfg.stuffing_discount, 1.0)
    duties = _best(sims, rows(kernel.duty_rows), chunk, factor)
    comps = _best(sims, rows(kernel.comp_rows), chunk, factor)
    others = _best(sims, rows(kernel.other_rows), chunk, factor)

    n = len(chunk)
    title_j = np.full(n, -1, dtype=np.int64)
    title_sim = np.zeros(n, dtype=np.float64)
    if kernel.title_row >= 0 and chunk.title_pad.shape[1]:
        held = chunk.title_ok & ~(chunk.title_is_sentence & copied[chunk.title_pad])
        title_row = kernel.title_row if own is None else int(own[kernel.title_row])
        values = np.where(held, sims[title_row][chunk.title_pad], _NEG)
        j = np.argmax(values, axis=1)
        any_held = held.any(axis=1)
        title_j = np.where(any_held, j, -1)
        title_sim = np.where(any_held, values[np.arange(n), j], 0.0)
    elif chunk.title_pad.shape[1]:  # a title with no vector: similarity 0 to every title held
        held = chunk.title_ok & ~(chunk.title_is_sentence & copied[chunk.title_pad])
        any_held = held.any(axis=1)
        title_j = np.where(any_held, np.argmax(held, axis=1), -1)

    exp_sims = [_position_sims(sims, rows(q), chunk, cfg.decimals) for q in kernel.exp_rows]
    nomin = nomin_relevant = None
    if not kernel.prep.requirements.experience:
        flat = _position_flat(sims, rows(kernel.nomin_rows), chunk, cfg.decimals)
        nomin = _per_cv(flat.tolist(), chunk)
        nomin_relevant = _generic_relevant(kernel, chunk, flat)

    running = np.concatenate([[0], np.cumsum(copied_flat)])
    ends = chunk.sent_starts + chunk.sent_lengths
    n_copied = (running[ends] - running[chunk.sent_starts]).tolist()
    profile_sim = _profile_sims(kernel, chunk, sims, rows(kernel.profile_rows), factor, n_copied)
    floor, ceiling = cfg.similarity_floor, cfg.similarity_ceiling
    duty_value, covered = duties_component(duties.weighted, floor=floor, ceiling=ceiling)
    comp_value, shown = competencies_component(
        comps.weighted, comps.index >= 0, kernel.comp_weights, floor=floor, ceiling=ceiling,
        threshold=cfg.competency_threshold,
    )  # fmt: skip
    return _Numbers(
        sims, copied, factor, duties, comps, others, title_j, title_sim, exp_sims, nomin,
        duty_value.tolist(), covered.tolist(), comp_value.tolist(), shown.tolist(),
        np.where(
            title_j >= 0, calibrate(title_sim, cfg.title_floor, cfg.title_ceiling), 0.0
        ).tolist(), profile_sim,
        calibrate(profile_sim, cfg.profile_floor, cfg.profile_ceiling).tolist(), copied_flat,
        n_copied, nomin_relevant,
    )  # fmt: skip


def _profile_sims(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    sims: np.ndarray,
    rows: np.ndarray,
    factor: np.ndarray,
    n_copied: Sequence[int],
) -> np.ndarray:
    """Per CV: cosine of the sum of its profile sentence vectors (see :class:`CandidateChunk`;
    weighted as duty evidence is: hidden and copied sentences count nothing) and the vector of the
    post's :attr:`~matcher.scoring.fit.PreparedVacancy.profile_query`.

    Dot products come from ``sims`` (no new matrix product); the CV's own norm is the chunk's,
    recomputed only for a CV that copies this vacancy.
    """
    n = len(chunk)
    out = np.zeros(n, dtype=np.float64)
    ok = rows[rows >= 0]
    if not len(ok) or not len(chunk.sent_flat):
        return out
    query = kernel.matrix[kernel.profile_rows[kernel.profile_rows >= 0]].sum(axis=0)
    q_norm = float(np.sqrt((query * query).sum()))
    if q_norm <= 0:
        return out
    per_text = np.zeros(sims.shape[1], dtype=np.float64)
    for r in ok.tolist():  # row by row: the same bits whatever the chunk
        per_text = per_text + sims[r]
    live = chunk.has_sentences
    dots = np.zeros(n, dtype=np.float64)
    weight = np.where(chunk.profile_flat > 0, factor, 0.0)  # copies out, as for duty evidence
    dots[live] = np.add.reduceat(per_text[chunk.sent_flat] * weight, chunk.sent_starts[live])
    norms = chunk.profile_norm.copy()
    for i in np.flatnonzero(np.asarray(n_copied) > 0).tolist():
        start, stop = int(chunk.sent_starts[i]), int(chunk.sent_starts[i] + chunk.sent_lengths[i])
        own = chunk.matrix[chunk.sent_flat[start:stop]] * weight[start:stop, None]
        total = np.add.reduceat(own, [0], axis=0)[0]
        norms[i] = np.sqrt((total * total).sum())
    has = norms > 0
    out[has] = dots[has] / (norms[has] * q_norm)
    return out


# --------------------------------------------------------------------------- decisions


def _field_facts(kernel: VacancyKernel, chunk: CandidateChunk, i: int) -> FieldFacts:
    """How each degree field of CV ``i`` relates to the notice's fields (:func:`field_fits`; None
    when the notice names no field), memoised by the argument that varies: the CV's fields."""
    return _field(kernel, chunk, i)[0]


def _field(
    kernel: VacancyKernel, chunk: CandidateChunk, i: int
) -> tuple[FieldFacts, float | None]:
    """:func:`_field_facts` of CV ``i`` and the field component's value of them, made once per
    distinct list of fields."""
    cand = chunk.candidates[i]
    key = ("field", cand.fields)
    hit: tuple[FieldFacts, float | None] | None = kernel.memo.get(key)
    if hit is None:
        prep = kernel.prep
        fits: tuple[FieldFit, ...] | None = None
        if prep.fields and not cand.fields:
            fits = ()
        elif prep.fields:
            cfg = kernel.cfg
            cand_vecs = chunk.matrix[[chunk.index[f] for f in cand.fields]]
            fits = field_fits(
                list(cand.fields), list(prep.fields), cand_vecs,
                kernel._rows_matrix(kernel.field_rows), floor=cfg.similarity_floor,
                ceiling=cfg.similarity_ceiling, decimals=cfg.decimals,
            )  # fmt: skip
        facts = FieldFacts(fits, bool(cand.fields))
        hit = kernel.memo[key] = (facts, field_value(facts)[0])
    return hit


def _experience_facts(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    nums: _Numbers,
    i: int,
    route: Any,
    months_by_req: Sequence[float | None],
) -> ExperienceFacts:
    """The experience component's facts of CV ``i``: each mandatory minimum with the months its
    check counted, or, when the notice states none, the months of the positions relevant to its
    duties (:func:`relevant_positions` of :data:`GENERIC_EXPERIENCE`, the rule of a minimum)."""
    cfg = kernel.cfg
    prep = kernel.prep
    cand = chunk.candidates[i]
    has_positions = bool(cand.position_texts)
    judged = len(kernel.nomin_rows) > 0
    mandatory = prep.requirements.experience
    if mandatory:
        minimums = tuple(
            Minimum(exp.kind, required_years(exp, route), months)
            for exp, months in zip(mandatory, months_by_req, strict=False)
        )
        return ExperienceFacts(minimums, has_positions, judged, 0.0, cfg.experience_cap_years)
    months = _months_without_minimum(kernel, chunk, nums, i)
    return ExperienceFacts((), has_positions, judged, months, cfg.experience_cap_years)


def _months_without_minimum(
    kernel: VacancyKernel, chunk: CandidateChunk, nums: _Numbers, i: int
) -> float:
    """When the notice states no experience minimum: the months of CV ``i``'s positions relevant
    to its duties (0 without positions, or without duties or a title to judge them by)."""
    if chunk.n_positions[i] and len(kernel.nomin_rows):
        assert nums.nomin_relevant is not None
        return chunk.relevant_months(i, nums.nomin_relevant[i], kernel.prep.reference)[0]
    return 0.0


def _memo(kernel: VacancyKernel, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    hit = kernel.memo.get(key)
    if hit is None:
        hit = kernel.memo[key] = make()
    return hit


@dataclass(slots=True)
class _Decision:
    """A pair's checks and what the fit components need from them."""

    checks: list[Check]
    route: Any
    field: FieldFacts
    months_by_req: list[float | None]
    unreliable: str | None


def _decide(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    nums: _Numbers,
    i: int,
    *,
    full: bool,
    multilingual: bool,
) -> _Decision:
    """One pair's eligibility checks; with ``full`` every check is made afresh (its evidence is
    the pair's own), else checks that depend on few facts come from the vacancy's memo tables."""
    cfg = kernel.cfg
    prep = kernel.prep
    cand = chunk.candidates[i]
    profile = cand.profile
    req = prep.requirements
    checks: list[Check] = []
    route = None
    field = _field_facts(kernel, chunk, i)
    field_match = field.fits
    if req.education:
        if full:
            edu, route = education_check(
                req.education, profile, field_fits=field_match,
                field_threshold=cfg.field_related_threshold,
            )  # fmt: skip
        else:
            key = ("edu", chunk.education_key(i), field_match)
            edu, route = _memo(kernel, key, lambda: education_check(
                req.education, profile, field_fits=field_match,
                field_threshold=cfg.field_related_threshold,
            ))  # fmt: skip
        checks.append(edu)
    unreliable = None
    if cand.language not in (None, "en") and not multilingual:
        unreliable = (
            f"the CV appears to be in '{cand.language}', which the English-only model "
            "cannot compare with the notice (use the multilingual encoder)"
        )
    months_of = chunk.months_of(i, kernel)
    months_by_req: list[float | None] = []
    n_mandatory_exp = len(req.experience)
    for k, exp in enumerate(prep.experience):
        check, months = experience_check(
            exp, profile, route, nums.exp_sims[k][i], threshold=cfg.relevance_threshold,
            reference=prep.reference, relevance_unreliable=unreliable, months_of=months_of,
            domain=prep.domain, roles=chunk.roles(i),
        )  # fmt: skip
        if k >= n_mandatory_exp:  # a preferred minimum: reported, never blocking
            check = Check(
                check.requirement, "experience (preferred)", check.status, check.reason,
                False, check.vacancy_evidence, check.cv_evidence,
            )  # fmt: skip
        checks.append(check)
        months_by_req.append(months)
    if full:
        checks.extend(
            language_checks(
                req.languages, req.language_choices, profile,
                infer_written=cfg.infer_language_from_cv,
            )
        )  # fmt: skip
    else:
        checks.extend(
            _memo(
                kernel,
                ("lang", chunk.language_key(i)),
                lambda: language_checks(
                    req.languages, req.language_choices, profile,
                    infer_written=cfg.infer_language_from_cv,
                ),
            )  # fmt: skip
        )
    # memoised by its facts (eligibility.nationality_verdict): the same call for one pair and a pool
    nat = nationality_check(prep.vacancy, profile, require_stated=cfg.require_stated_nationality)
    if nat is not None:
        checks.append(nat)
    for k, item in enumerate(prep.other_items):
        j = int(nums.others.index[k, i])
        sim = float(nums.others.raw[k, i])
        checks.append(
            other_check(
                item, cand.sentences[j] if j >= 0 else None, sim,
                threshold=cfg.competency_threshold,
            )  # fmt: skip
        )
    return _Decision(checks, route, field, months_by_req, unreliable)


def _pair(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    nums: _Numbers,
    i: int,
    *,
    multilingual: bool,
) -> MatchResult:
    """One pair's full :class:`MatchResult`: checks with their evidence, duty matches and the
    explanation."""
    cfg = kernel.cfg
    prep = kernel.prep
    cand = chunk.candidates[i]
    profile = cand.profile
    req = prep.requirements
    sentences = cand.sentences
    start = int(chunk.sent_starts[i])
    copied_flags = nums.copied_flat[start : start + len(sentences)]  # by sentence of this CV
    n_copied = nums.n_copied[i]
    warnings: list[str] = list(cand.warnings)
    if n_copied:
        warnings.append(
            f"keyword stuffing: {n_copied} sentence(s) copy the vacancy's text and were discounted"
        )
    decision = _decide(kernel, chunk, nums, i, full=True, multilingual=multilingual)
    checks = decision.checks
    if decision.unreliable:
        warnings.append(decision.unreliable)

    # ---- soft fit
    values: dict[str, float | None] = dict.fromkeys(COMPONENTS)
    details: dict[str, str] = {}
    duty_matches: list[DutyMatch] = []
    if prep.duties:
        weighted = nums.duties.weighted[:, i].tolist()
        index = nums.duties.index[:, i].tolist()
        for duty, j, w in zip(prep.duties, index, weighted, strict=True):
            if j < 0:
                duty_matches.append(DutyMatch(duty, "", 0.0))
                continue
            sim = round(w, cfg.decimals)
            discounted = bool(copied_flags[j])
            duty_matches.append(DutyMatch(duty, sentences[j], sim, cand.sources[j], discounted))
        values["duties"] = nums.duty_value[i]
        details["duties"] = duties_words(nums.duty_covered[i], len(prep.duties))
    else:
        details["duties"] = "the notice lists no duties"

    if prep.title:
        j = int(nums.title_j[i])
        values["title"] = nums.title_value[i]
        if j >= 0:
            held = chunk.titles[i][j]
            details["title"] = (
                f"closest current or last post, or headline: '{shorten(held, 60)}' "
                f"({float(nums.title_sim[i]):.2f})"
            )
        else:
            details["title"] = "no position title or headline found in the CV"
    else:
        details["title"] = "the notice has no title"

    if len(kernel.profile_rows):
        values["profile"] = nums.profile_value[i]
        details["profile"] = (
            f"the CV as a whole against the post's title and duties ({nums.profile_sim[i]:.2f})"
            if len(cand.sentences)
            else "no scorable text in the CV"
        )
    else:
        details["profile"] = "the notice has no title and no duties"

    if prep.competencies:
        values["competencies"] = nums.comp_value[i]
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
        details["competencies"] = competencies_words(nums.comp_shown[i], len(prep.competencies))
    else:
        details["competencies"] = "the notice lists no further competencies"

    values["experience"], details["experience"] = experience_value(
        _experience_facts(kernel, chunk, nums, i, decision.route, decision.months_by_req)
    )
    values["field"], details["field"] = field_value(decision.field)
    values["education"], details["education"] = education_value(
        education_facts(req, profile, decision.route)
    )
    values["languages"], details["languages"] = languages_value(chunk.language_facts(i, kernel))

    eligibility = overall_eligibility(checks)
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
    return explained(result, copied=copied)


def _rows(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    nums: _Numbers,
    members: Sequence[int],
    *,
    multilingual: bool,
    on_error: Callable[[PreparedCandidate, Exception], Any] | None,
) -> RowTable:
    """Ranking rows of the chunk's CVs ``members``: the numbers of :func:`_pair`, computed a
    column at a time, so a pool never makes a dict per row.

    Per pair only the decisions stay in Python (most come from memo tables); the fit arithmetic
    of :func:`~matcher.scoring.explanation.weighted_terms` and the top evidence are array work
    over the chunk, with Python's own ``round`` so every number has the bits of :func:`_pair`.
    """
    cfg = kernel.cfg
    prep = kernel.prep
    req = prep.requirements
    out: list[Any] = [None] * len(members)
    kept: list[int] = []  # slots of pairs that did not raise
    eligibility: list[str] = []
    failed: list[str] = []
    unknown: list[str] = []
    confirming: list[str] = []
    weak: list[bool] = []
    own: dict[str, list[float | None]] = {
        "experience": [], "field": [], "education": [], "languages": [],
    }  # fmt: skip
    # without experience minimums or other items, every check comes from a memo table: so does
    # the whole decision, keyed by the facts those tables read (the field facts are the very
    # record the decision and the field component are made from)
    by_facts = not prep.experience and not prep.other_items
    # there is then no minimum either (``prep.experience`` holds every minimum), so the
    # experience component reads two facts that vary by CV: whether it has positions and the
    # months relevant to the duties (the rest is the vacancy's)
    by_months: dict[tuple[bool, float], float | None] = {}
    for slot, i in enumerate(members):
        cand = chunk.candidates[i]
        profile = cand.profile
        try:
            if by_facts:
                field_facts, field = _field(kernel, chunk, i)
                # without a degree requirement only the highest level is read (by the
                # education component)
                education = (
                    chunk.education_key(i) if req.education else profile.highest_level
                )
                key = (
                    "row", education, field_facts,
                    chunk.language_key(i) if kernel.reads_languages else None,
                    nationality_facts(
                        prep.vacancy, profile, require_stated=cfg.require_stated_nationality
                    ),
                )  # fmt: skip
                hit = kernel.memo.get(key)
                if hit is None:
                    d = _decide(kernel, chunk, nums, i, full=False, multilingual=multilingual)
                    hit = kernel.memo[key] = (
                        overall_eligibility(d.checks),
                        check_words(d.checks, "fail"), check_words(d.checks, "unknown"),
                        to_confirm(d.checks),
                        rests_on_missing_data(d.checks),
                        education_value(education_facts(req, profile, d.route))[0],
                        languages_value(chunk.language_facts(i, kernel))[0],
                    )  # fmt: skip
                verdict, fails, unknowns, confirm, missing, edu, lang = hit
                facts_key = (
                    bool(chunk.n_positions[i]), _months_without_minimum(kernel, chunk, nums, i)
                )  # fmt: skip
                if facts_key in by_months:
                    exp_value = by_months[facts_key]
                else:
                    exp_value = by_months[facts_key] = experience_value(
                        _experience_facts(kernel, chunk, nums, i, None, ())
                    )[0]
            else:
                d = _decide(kernel, chunk, nums, i, full=False, multilingual=multilingual)
                verdict = overall_eligibility(d.checks)
                fails = check_words(d.checks, "fail")
                unknowns = check_words(d.checks, "unknown")
                confirm = to_confirm(d.checks)
                missing = rests_on_missing_data(d.checks)
                exp_value = experience_value(
                    _experience_facts(kernel, chunk, nums, i, d.route, d.months_by_req)
                )[0]
                field = _field(kernel, chunk, i)[1]
                edu = education_value(education_facts(req, profile, d.route))[0]
                lang = languages_value(chunk.language_facts(i, kernel))[0]
        except Exception as exc:
            if on_error is None:
                raise
            out[slot] = on_error(cand, exc)
            continue
        kept.append(slot)
        eligibility.append(verdict)
        failed.append(fails)
        unknown.append(unknowns)
        confirming.append(confirm)
        weak.append(missing)
        own["experience"].append(exp_value)
        own["field"].append(field)
        own["education"].append(edu)
        own["languages"].append(lang)
    errors = [(slot, row) for slot, row in enumerate(out) if row is not None]
    if not kept:
        return RowTable(None, kept, errors)
    sel = np.asarray([members[s] for s in kept], dtype=np.int64)
    n = len(sel)
    values: dict[str, list[float | None]] = {name: [None] * n for name in COMPONENTS}
    if prep.duties:
        values["duties"] = np.asarray(nums.duty_value)[sel].tolist()
    if prep.title:
        values["title"] = np.asarray(nums.title_value)[sel].tolist()
    if len(kernel.profile_rows):
        values["profile"] = np.asarray(nums.profile_value)[sel].tolist()
    if prep.competencies:
        values["competencies"] = np.asarray(nums.comp_value)[sel].tolist()
    values.update(own)
    weighted = weighted_columns(values, kernel.weights, decimals=cfg.decimals)
    columns, scores = weighted.value, weighted.score
    evidence = _top_evidence(kernel, chunk, nums, sel)
    stuffing = (np.asarray(nums.n_copied)[sel] > 0).tolist()
    profiles = [chunk.candidates[i].profile for i in sel.tolist()]
    table = {
        "candidate_id": [p.id for p in profiles],
        "eligibility": eligibility,
        "score": scores,
        **columns,
        "failed_checks": failed,
        "unknown_checks": unknown,
        "to_confirm": confirming,
        "missing_data": weak,
        "top_evidence": evidence,
        "stuffing": stuffing,
        "source": [p.source for p in profiles],
        "error": [""] * n,
    }
    return RowTable(table, kept, errors)


def _top_evidence(
    kernel: VacancyKernel, chunk: CandidateChunk, nums: _Numbers, sel: np.ndarray
) -> list[str]:
    """Per CV, its two best-matched duty sentences that do not copy the notice, as ranking rows
    show them (:func:`~matcher.scoring.components.best_evidence`)."""
    duties = kernel.prep.duties
    if not duties or not len(sel):
        return [""] * len(sel)
    index = nums.duties.index[:, sel]
    found = index >= 0
    cols = np.broadcast_to(sel, index.shape)
    shown = found.copy()
    shown[found] = ~nums.copied_flat[chunk.sent_starts[cols[found]] + index[found]]
    rounded = round_half_even(nums.duties.weighted[:, sel], kernel.cfg.decimals)
    order = best_evidence(duties, rounded, shown)
    at = np.arange(len(sel))
    picks = [
        (shown[k, at].tolist(), rounded[k, at].tolist(), index[k, at].tolist()) for k in order
    ]
    out: list[str] = []
    for col, i in enumerate(sel.tolist()):
        sentences = chunk.candidates[i].sentences
        out.append(
            evidence_text((sims[col], sentences[js[col]]) for ok, sims, js in picks if ok[col])
        )
    return out


@dataclass(frozen=True, slots=True)
class RowTable:
    """Ranking rows of some of a chunk's pairs with one vacancy, column by column."""

    #: column -> one value per pair scored, in the order asked for; None when none was
    columns: dict[str, list[Any]] | None
    #: per pair scored: its position among the pairs asked for
    slots: list[int]
    #: (position, ``on_error``'s row) of each pair that raised (rows ``on_error`` dropped: none)
    errors: list[tuple[int, Any]]

    def rows(self) -> list[Any]:
        """Every row as a dict (an error row as ``on_error`` made it), in the order asked for."""
        out: list[tuple[int, Any]] = list(self.errors)
        if self.columns is not None:
            names = list(self.columns)
            out += [
                (slot, {name: self.columns[name][r] for name in names})
                for r, slot in enumerate(self.slots)
            ]
        return [row for _, row in sorted(out, key=lambda item: item[0])]


def score_chunk_rows(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    *,
    multilingual: bool = False,
    only: Sequence[int] | None = None,
    on_error: Callable[[PreparedCandidate, Exception], Any] | None = None,
    shared: tuple[np.ndarray, np.ndarray] | None = None,
) -> RowTable:
    """Ranking rows of the CVs of ``chunk`` (all, or the indices in ``only``) against one vacancy.

    A pair that raises is passed to ``on_error`` (its return value is the pair's row; None drops
    it); without ``on_error`` the exception propagates. ``shared``: the similarities of many
    vacancies' texts to the chunk's and the rows of this vacancy's (see :class:`VacancySet`), when
    the caller computed them once for all.
    """
    nums = _numbers(kernel, chunk, shared)
    members = range(len(chunk)) if only is None else only
    return _rows(kernel, chunk, nums, members, multilingual=multilingual, on_error=on_error)


def score_chunk(
    kernel: VacancyKernel,
    chunk: CandidateChunk,
    *,
    multilingual: bool = False,
    only: Sequence[int] | None = None,
    on_error: Callable[[PreparedCandidate, Exception], Any] | None = None,
) -> list[Any]:
    """The :class:`MatchResult` of each CV of ``chunk`` (all, or the indices in ``only``) against
    one vacancy: checks with their evidence, duty matches, the explanation. A pair that raises is
    passed to ``on_error``, whose return value takes its place; without ``on_error`` the
    exception propagates."""
    nums = _numbers(kernel, chunk)
    members = range(len(chunk)) if only is None else only
    out: list[Any] = []
    for i in members:
        try:
            out.append(_pair(kernel, chunk, nums, i, multilingual=multilingual))
        except Exception as exc:
            if on_error is None:
                raise
            out.append(on_error(chunk.candidates[i], exc))
    return out

"""The ranking order, written once: eligible, unknown, ineligible, then errors; within each, score
descending; ties by candidate id.

Missing data is not rewarded: by default (``ScoringConfig.unknown_order = "supported_first"``) an
"unknown" candidate whose verdict rests on data the CV lacks (no dated positions at all, no degree
that can be read: see :func:`rests_on_missing_data`) ranks after every unknown the CV gives
something to judge by, whatever its score; ``"score"`` orders all unknowns by score alone.

:func:`rank_key` orders one candidate; :func:`rank_order` orders columns of many (a pool) with the
same key, a column at a time. Every ranking of the package uses them: :meth:`Matcher.rank
<matcher.scoring.matcher.Matcher.rank>`, pool ranking (:mod:`matcher.batch`), the report, the
fairness reports and the selection before an allocation.

    >>> sorted([("unknown", 0.9, "b"), ("eligible", 0.2, "c"), ("eligible", 0.2, "a")],
    ...        key=lambda r: rank_key(*r))
    [('eligible', 0.2, 'a'), ('eligible', 0.2, 'c'), ('unknown', 0.9, 'b')]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from matcher.scoring.config import ScoringConfig
from matcher.types import Check

__all__ = [
    "ELIGIBILITY_ORDER", "UNKNOWN_ORDERS", "eligibility_rank", "rank_key", "rank_order",
    "rests_on_missing_data", "result_key",
]  # fmt: skip

#: choices of ``ScoringConfig.unknown_order``
UNKNOWN_ORDERS: tuple[str, ...] = ("supported_first", "score")

#: verdicts in ranking order; anything else (a verdict this order does not know) ranks last
ELIGIBILITY_ORDER: Mapping[str, int] = {"eligible": 0, "unknown": 1, "ineligible": 2, "error": 3}
_LAST = 9


def eligibility_rank(eligibility: str, config: ScoringConfig | None = None) -> int:
    """Where a verdict stands in the ranking order (lower first)."""
    return ELIGIBILITY_ORDER.get(eligibility, _LAST)


def _rank_score(score: float | None) -> float:
    """A missing score (an error row) ranks as -1, below every real score."""
    return -1.0 if score is None or score != score else float(score)


def rests_on_missing_data(checks: Sequence[Check]) -> bool:
    """Whether an open (unknown) mandatory check rests on data the CV lacks: what makes an
    "unknown" verdict weakly supported."""
    return any(c.mandatory and c.status == "unknown" and c.basis == "missing" for c in checks)


def _weak(eligibility: str, missing_data: Any, config: ScoringConfig | None) -> int:
    order = (config or _DEFAULT).unknown_order
    return int(order == "supported_first" and eligibility == "unknown" and bool(missing_data))


_DEFAULT = ScoringConfig()


def rank_key(
    eligibility: str,
    score: float | None,
    candidate_id: Any,
    config: ScoringConfig | None = None,
    *,
    missing_data: bool = False,
) -> tuple[int, int, float, str]:
    """The sort key of one candidate: verdict, then (for an unknown, by default) whether it rests
    on missing data, then score descending, then candidate id. ``missing_data``: the row's
    ``missing_data`` column, or :func:`rests_on_missing_data` of its checks."""
    return (
        eligibility_rank(eligibility, config),
        _weak(eligibility, missing_data, config),
        -_rank_score(score),
        str(candidate_id),
    )


def result_key(result: Any, config: ScoringConfig | None = None) -> tuple[int, int, float, str]:
    """:func:`rank_key` of a :class:`~matcher.types.MatchResult`."""
    return rank_key(
        result.eligibility, result.score, result.candidate_id, config,
        missing_data=rests_on_missing_data(result.checks),
    )  # fmt: skip


def rank_order(
    eligibility: Sequence[str],
    score: Sequence[float | None],
    candidate_id: Sequence[Any],
    config: ScoringConfig | None = None,
    *,
    group: Sequence[int] | np.ndarray | None = None,
    missing_data: Sequence[bool] | None = None,
) -> np.ndarray:
    """Positions of many candidates in :func:`rank_key` order (stable: equal keys keep input
    order), computed per distinct value and column rather than a tuple per row. ``group``: an
    integer per row ordered before everything else (e.g. a vacancy's input position in a pool);
    ``missing_data``: the rows' ``missing_data`` column."""
    import pandas as pd

    n = len(eligibility)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    codes, verdicts = pd.factorize(pd.Series(list(eligibility), dtype=object))
    verdict = np.array([eligibility_rank(str(v), config) for v in verdicts] + [_LAST])[codes]
    scores = pd.to_numeric(pd.Series(list(score), dtype=object), errors="coerce")
    ids = pd.factorize(pd.Series(list(candidate_id), dtype=object).astype(str), sort=True)[0]
    weak = np.zeros(n, dtype=np.int64)
    if missing_data is not None and (config or _DEFAULT).unknown_order == "supported_first":
        flags = pd.Series(list(missing_data), dtype=object).fillna(False).astype(bool).to_numpy()
        weak = ((verdict == ELIGIBILITY_ORDER["unknown"]) & flags).astype(np.int64)
    keys = [np.arange(n), ids, -scores.fillna(-1.0).to_numpy(dtype=np.float64), weak, verdict]
    if group is not None:
        keys.append(np.asarray(group, dtype=np.int64))
    return np.lexsort(keys)

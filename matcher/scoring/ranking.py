"""The ranking order, written once: eligible, unknown, ineligible, then errors; within each, score
descending; ties by candidate id.

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

__all__ = ["ELIGIBILITY_ORDER", "eligibility_rank", "rank_key", "rank_order"]

#: verdicts in ranking order; anything else (a verdict this order does not know) ranks last
ELIGIBILITY_ORDER: Mapping[str, int] = {"eligible": 0, "unknown": 1, "ineligible": 2, "error": 3}
_LAST = 9


def eligibility_rank(eligibility: str, config: ScoringConfig | None = None) -> int:
    """Where a verdict stands in the ranking order (lower first)."""
    return ELIGIBILITY_ORDER.get(eligibility, _LAST)


def _rank_score(score: float | None) -> float:
    """A missing score (an error row) ranks as -1, below every real score."""
    return -1.0 if score is None or score != score else float(score)


def rank_key(
    eligibility: str, score: float | None, candidate_id: Any, config: ScoringConfig | None = None
) -> tuple[int, float, str]:
    """The sort key of one candidate: verdict, then score descending, then candidate id."""
    return (eligibility_rank(eligibility, config), -_rank_score(score), str(candidate_id))


def rank_order(
    eligibility: Sequence[str],
    score: Sequence[float | None],
    candidate_id: Sequence[Any],
    config: ScoringConfig | None = None,
    *,
    group: Sequence[int] | np.ndarray | None = None,
) -> np.ndarray:
    """Positions of many candidates in :func:`rank_key` order (stable: equal keys keep input
    order), computed per distinct value and column rather than a tuple per row. ``group``: an
    integer per row ordered before everything else (e.g. a vacancy's input position in a pool)."""
    import pandas as pd

    n = len(eligibility)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    codes, verdicts = pd.factorize(pd.Series(list(eligibility), dtype=object))
    verdict = np.array([eligibility_rank(str(v), config) for v in verdicts] + [_LAST])[codes]
    scores = pd.to_numeric(pd.Series(list(score), dtype=object), errors="coerce")
    ids = pd.factorize(pd.Series(list(candidate_id), dtype=object).astype(str), sort=True)[0]
    keys = [np.arange(n), ids, -scores.fillna(-1.0).to_numpy(dtype=np.float64), verdict]
    if group is not None:
        keys.append(np.asarray(group, dtype=np.int64))
    return np.lexsort(keys)

"""A learned combiner for organisations that have past shortlisting decisions.

The fixed weights of :class:`~matcher.scoring.config.ScoringConfig` are a sensible default; an
organisation with a history of "shortlisted / not shortlisted" decisions can instead learn how much
each component (duties, competencies, experience, field, education, languages, eligibility) counts.
:class:`LearnedCombiner` is a small scikit-learn classifier (a regularised logistic regression on
standardised features) with non-negative coefficients optional, so its weights stay readable.

    >>> import numpy as np
    >>> X = np.array([[0.9, 0.8], [0.2, 0.1], [0.8, 0.9], [0.1, 0.3]])
    >>> y = np.array([1, 0, 1, 0])
    >>> LearnedCombiner().fit(X, y).predict(X).tolist()
    [1, 0, 1, 0]

:func:`features_from_results` turns :class:`~matcher.types.MatchResult` objects into the feature
matrix (one column per :data:`FEATURE_NAMES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from matcher.scoring.config import COMPONENTS
from matcher.types import MatchResult

__all__ = [
    "LearnedCombiner", "FEATURE_NAMES", "features_from_results", "ranking_pairs", "learn_weights",
]

#: Columns of :func:`features_from_results`: the component values, then eligibility indicators.
FEATURE_NAMES: tuple[str, ...] = (*COMPONENTS, "eligible", "eligibility_unknown")


def features_from_results(results: Sequence[MatchResult]) -> np.ndarray:
    """Feature matrix (n_results, len(FEATURE_NAMES)); a component that does not apply is 0."""
    rows = []
    for r in results:
        values = {p.name: (p.value if p.weight > 0 else 0.0) for p in r.parts}
        row = [float(values.get(name, 0.0)) for name in COMPONENTS]
        row += [float(r.eligibility == "eligible"), float(r.eligibility == "unknown")]
        rows.append(row)
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))


class LearnedCombiner(ClassifierMixin, BaseEstimator):
    """Logistic regression on standardised score components, learned from past decisions.

    Parameters
    ----------
    C : inverse regularisation strength (as in scikit-learn).
    class_weight : None or "balanced" (shortlists are usually a small minority).
    max_iter : iterations of the L-BFGS solver.

    Learned attributes: ``classes_``, ``n_features_in_``, ``n_iter_``, ``mean_``, ``scale_``,
    ``model_`` (the
    fitted :class:`~sklearn.linear_model.LogisticRegression`) and ``coef_`` / ``intercept_``
    expressed on the original (unstandardised) features.
    """

    def __init__(
        self,
        C: float = 1.0,
        class_weight: str | dict[Any, float] | None = None,
        max_iter: int = 1000,
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter

    def fit(  # noqa: N803 - scikit-learn naming
        self, X: Any, y: Any, sample_weight: ArrayLike | None = None
    ) -> LearnedCombiner:
        """Learn from features ``X`` (n, d) and past decisions ``y`` (any two or more labels)."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("LearnedCombiner needs decisions of at least two classes; got 1 class")
        sw = None
        if sample_weight is not None:
            sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
            if not np.any(sw > 0):
                raise ValueError("Sample weights must contain at least one non-zero number.")
        self.mean_ = np.average(X, axis=0, weights=sw)
        scale = np.sqrt(np.average((X - self.mean_) ** 2, axis=0, weights=sw))
        scale[scale == 0] = 1.0
        self.scale_ = scale
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
        model.fit((X - self.mean_) / self.scale_, y, sample_weight=sample_weight)
        self.model_ = model
        self.n_iter_ = model.n_iter_
        self.coef_ = model.coef_ / self.scale_
        self.intercept_ = model.intercept_ - (model.coef_ * (self.mean_ / self.scale_)).sum(axis=1)
        return self

    def _transform(self, X: ArrayLike) -> np.ndarray:  # noqa: N803
        check_is_fitted(self, "model_")
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return (X - self.mean_) / self.scale_

    def decision_function(self, X: ArrayLike) -> np.ndarray:  # noqa: N803
        """Signed distance to the decision boundary (log-odds for two classes)."""
        Z = self._transform(X)
        return self.model_.decision_function(Z)

    def predict_proba(self, X: ArrayLike) -> np.ndarray:  # noqa: N803
        """Probability of each class, columns in ``classes_`` order."""
        Z = self._transform(X)
        return self.model_.predict_proba(Z)

    def predict(self, X: ArrayLike) -> np.ndarray:  # noqa: N803
        """The most probable class."""
        Z = self._transform(X)
        return self.model_.predict(Z)

    def feature_weights(self, names: Sequence[str] = FEATURE_NAMES) -> dict[str, float]:
        """Coefficient of each named feature for the positive class (two-class problems)."""
        check_is_fitted(self, "model_")
        coef = self.coef_[0] if self.coef_.shape[0] == 1 else self.coef_[-1]
        if len(names) != len(coef):
            names = [f"x{i}" for i in range(len(coef))]
        return {str(n): float(c) for n, c in zip(names, coef, strict=True)}


def ranking_pairs(
    X: np.ndarray,  # noqa: N803 - scikit-learn naming
    gains: Sequence[float],
    groups: Sequence[object],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairwise differences within each group (one vacancy's judged CVs): for every two CVs with
    different relevance, ``x_better - x_worse`` labelled 1 and its negation labelled 0.

    Each group's pairs together weigh 1 (the third array: sample weights), so a vacancy with many
    judged CVs does not outvote one with a few. A linear classifier on these ranks CVs within a
    vacancy, which is what a score is for; an intercept is meaningless here and comes out near 0.
    """
    X = np.asarray(X, dtype=np.float64)
    gain_of = np.asarray(gains, dtype=np.float64)
    group_of = np.asarray(groups, dtype=object)
    diffs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for g in sorted(set(group_of.tolist()), key=str):
        rows = np.flatnonzero(group_of == g)
        gain = gain_of[rows]
        better, worse = np.nonzero(gain[:, None] > gain[None, :])
        if not len(better):
            continue
        diffs.append(X[rows[better]] - X[rows[worse]])
        weights.append(np.full(len(better), 1.0 / len(better)))
    if not diffs:
        raise ValueError("no group has two CVs of different relevance")
    d = np.vstack(diffs)
    w = np.concatenate(weights)
    return (
        np.vstack([d, -d]),
        np.concatenate([np.ones(len(d)), np.zeros(len(d))]),
        np.concatenate([w, w]),
    )


def learn_weights(
    X: np.ndarray,  # noqa: N803
    gains: Sequence[float],
    groups: Sequence[object],
    names: Sequence[str],
    *,
    C: float = 1.0,  # noqa: N803
) -> dict[str, float]:
    """Non-negative weights, summing to 1, of the columns ``names`` of ``X`` that rank the CVs of
    each group (vacancy) best by their relevance ``gains``: a :class:`LearnedCombiner` on
    :func:`ranking_pairs`.

    A column whose coefficient comes out negative gets weight 0 and the rest are fitted again
    (a score that rewards less evidence could not be explained as parts that add up). A column
    that never varies within a group gets 0.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.shape[1] != len(names):
        raise ValueError(f"X has {X.shape[1]} columns for {len(names)} names")
    pairs, labels, weights = ranking_pairs(X, gains, groups)
    active = [k for k in range(X.shape[1]) if np.any(pairs[:, k] != 0)]
    coef = np.zeros(0)
    while active:
        model = LearnedCombiner(C=C).fit(pairs[:, active], labels, sample_weight=weights)
        coef = model.coef_[0]
        if (coef >= 0).all():
            break
        active = [k for k, c in zip(active, coef, strict=True) if c > 0]
    out = dict.fromkeys((str(n) for n in names), 0.0)
    total = float(np.sum(coef)) if active else 0.0
    if total <= 0:
        raise ValueError("no column ranks the groups' CVs by their relevance")
    for k, c in zip(active, coef, strict=True):
        out[str(names[k])] = float(c) / total
    return out

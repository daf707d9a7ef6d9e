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

__all__ = ["LearnedCombiner", "FEATURE_NAMES", "features_from_results"]

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

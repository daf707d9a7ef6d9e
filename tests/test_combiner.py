import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from matcher import LearnedCombiner
from matcher.scoring.combiner import FEATURE_NAMES, features_from_results
from matcher.types import MatchResult, ScorePart


@parametrize_with_checks([LearnedCombiner()])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_learns_which_component_matters():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(400, len(FEATURE_NAMES)))
    # past shortlists followed duty fit (column 0) and ignored languages (column 5)
    y = (X[:, 0] + 0.1 * rng.normal(size=400) > 0.5).astype(int)
    model = LearnedCombiner().fit(X, y)
    weights = model.feature_weights()
    assert weights["duties"] > 5 * abs(weights["languages"])
    assert model.score(X, y) > 0.85
    proba = model.predict_proba(X)
    assert proba.shape == (400, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_coefficients_on_original_scale_reproduce_decisions():
    rng = np.random.default_rng(1)
    X = rng.uniform(size=(200, 3)) * np.array([1.0, 10.0, 0.1])
    y = (X[:, 1] > 5).astype(int)
    model = LearnedCombiner().fit(X, y)
    manual = X @ model.coef_[0] + model.intercept_[0]
    np.testing.assert_allclose(manual, model.decision_function(X), rtol=1e-6, atol=1e-8)


def test_single_class_is_refused():
    with pytest.raises(ValueError, match="two classes"):
        LearnedCombiner().fit(np.ones((4, 2)), np.ones(4))


def test_features_from_results():
    parts = (ScorePart("duties", 0.5, 0.8, 0.4), ScorePart("languages", 0.0, 0.0, 0.0))
    r = MatchResult("c1", "v1", "eligible", 0.4, parts=parts)
    X = features_from_results([r])
    assert X.shape == (1, len(FEATURE_NAMES))
    assert X[0, FEATURE_NAMES.index("duties")] == 0.8
    assert X[0, FEATURE_NAMES.index("eligible")] == 1.0


def test_learned_ranking_weights_follow_the_judgements_within_each_vacancy():
    """Relevance follows column 0 within every vacancy; column 1 is noise and column 2 moves
    against relevance: the weights rank by column 0 and give the contrary column nothing."""
    from matcher.scoring.combiner import learn_weights, ranking_pairs

    rng = np.random.default_rng(3)
    rows, gains, groups = [], [], []
    for q in range(12):
        x = rng.uniform(size=(15, 3))
        x[:, 0] += q  # a per-vacancy offset: only differences within a vacancy may matter
        gain = np.round(3 * (x[:, 0] - q) + 0.2 * rng.normal(size=15))
        x[:, 2] = 1.0 - (x[:, 0] - q) + 0.05 * rng.normal(size=15)
        rows.append(x)
        gains += gain.tolist()
        groups += [f"q{q}"] * 15
    X = np.vstack(rows)
    pairs, labels, weights = ranking_pairs(X, gains, groups)
    assert len(pairs) == len(labels) == len(weights) and set(labels.tolist()) == {0.0, 1.0}
    assert weights.sum() == pytest.approx(2 * 12)  # each vacancy's pairs weigh 1, both signs
    w = learn_weights(X, gains, groups, ["fit", "noise", "contrary"])
    assert sum(w.values()) == pytest.approx(1.0)
    assert w["contrary"] == 0.0
    assert w["fit"] > 0.8


def test_learned_weights_refuse_judgements_that_rank_nothing():
    from matcher.scoring.combiner import learn_weights

    with pytest.raises(ValueError, match="different relevance"):
        learn_weights(np.ones((4, 2)), [1, 1, 2, 2], ["a", "a", "b", "b"], ["x", "y"])

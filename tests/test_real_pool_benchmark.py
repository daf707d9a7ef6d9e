"""Smoke run of benchmarks/real_pool.py: a few real PDFs against the DEV notices."""

from __future__ import annotations

import math
import sys

import pytest
from conftest import ROOT

from tests.toy_encoder import ToyEncoder


@pytest.mark.slow
def test_real_pool_benchmark_smoke(eval_dir):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import real_pool

    out = real_pool.evaluate(("dev",), encoder=ToyEncoder(), limit=6)
    dev = out["dev"]
    assert dev["pairs"] == 6 * len(dev["notices"]) and len(dev["notices"]) >= 3
    assert 0.0 <= dev["balanced_accuracy"] <= 1.0
    assert set(dev["ndcg@10"]) == {"matcher", "bm25", "cosine"}
    for entry in out["notices"].values():
        assert entry["split"] == "dev"
        assert entry["pool_differs_from_score"] == []  # pool rows equal Matcher.score
        assert not math.isnan(entry["agreement"])
    assert "holdout" not in out  # holdout notices only run for the report
    text = real_pool.markdown(out)
    assert "| DEV |" in text and "| HOLDOUT |" not in text


def test_verdict_metrics_balanced_accuracy():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import real_pool

    pairs = [("ineligible", "ineligible")] * 8 + [
        ("cannot_tell", "eligible"),
        ("eligible", "eligible"),
    ]
    m = real_pool.verdict_metrics(pairs)
    assert m["agreement"] == 0.9
    assert m["balanced_accuracy"] == pytest.approx((1.0 + 0.5) / 2)
    assert m["eligible_recall"] == 0.5 and m["false_eligibles"] == 0
    assert m["unknown_share"] == 0.1 and m["cannot_tell_share"] == 0.0

"""The CV parser against the blind held-out gold (tests/gold/cvs_heldout.json) on real resumes.

Only the DEV half is asserted: it is the half whose errors may be read to fix the parser. The
floors are the figures measured on DEV (benchmarks/results/cv_parsing.md) minus a small margin,
so a change that loses DEV accuracy fails here; HOLDOUT is only measured by the benchmark.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

import matcher

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "tests" / "gold" / "cvs_heldout.json").read_text("utf-8"))

#: measured DEV figures minus about one CV's worth (3 points on 33 CVs; one of 12 languages)
DEV_FLOORS = {
    "highest_level": 0.93,
    "field": 0.80,
    "positions_precision": 0.97,
    "positions_recall": 0.97,
    "titles": 0.95,
    "months_within_3": 0.96,
    "months_within_12": 0.96,
    "languages_precision": 0.91,
    "languages_recall": 0.83,
}


def _bench():
    path = ROOT / "benchmarks" / "cv_parsing.py"
    spec = importlib.util.spec_from_file_location("cv_parsing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gold_is_the_documented_sample():
    cvs = GOLD["cvs"]
    assert len(cvs) == 65
    assert GOLD["sample"]["livecareer"] + GOLD["sample"]["updated"] == list(cvs)
    assert sum(g["split"] == "dev" for g in cvs.values()) == 33
    for rid, g in cvs.items():
        limit = 25 if g["corpus"] == "livecareer" else 8
        assert (g["split"] == "dev") == (g["sample_index"] < limit), rid
        assert g["highest_level"] in (None, 3, 4, 5, 6, 7, 8)
        for p in g["positions"]:
            assert p["start"] <= p["end"] or p["end"] == "open", (rid, p)


@pytest.fixture(scope="module")
def dev_profiles(eval_dir) -> dict[str, matcher.CandidateProfile]:
    bench = _bench()
    rows = bench.heldout_rows(eval_dir / "resumes", GOLD)
    assert len(rows) == 65, "every gold CV is found in the corpora"
    ref = date.fromisoformat(GOLD["reference_date"])
    return {rid: matcher.parse_cv(text, candidate_id=rid, reference_date=ref)
            for _corpus, rid, text in rows if GOLD["cvs"][rid]["split"] == "dev"}


@pytest.mark.parametrize("figure", list(DEV_FLOORS))
def test_dev_accuracy_does_not_fall(dev_profiles, figure):
    got = _bench().score_heldout(dev_profiles, GOLD)["dev"]
    assert got[figure] >= DEV_FLOORS[figure], (figure, got[figure], got["errors"])


def test_scoring_counts_a_wrong_parse_as_wrong(dev_profiles):
    """The scorer is not blind to errors: dropping every position and degree loses them."""
    import dataclasses

    emptied = {rid: dataclasses.replace(p, positions=(), education=(), highest_level=None,
                                   experience_months=0)
               for rid, p in dev_profiles.items()}
    got = _bench().score_heldout(emptied, GOLD)["dev"]
    assert got["positions_recall"] == 0.0
    assert got["highest_level"] < 0.2  # right only where the gold accepts "no degree"
    assert got["months_within_12"] < 0.3

"""Structure of the screener's gold file for the real applicant pool (tests/gold/real_pool.json).

The benchmark trusts this file blindly, so a missing CV, a misspelt verdict or a dangling notice
path must fail here rather than silently shrink the measured pool.
"""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "real_pool.json"
VERDICTS = {"eligible", "ineligible", "cannot_tell"}
NOTICES = {
    "SEC000821": "dev",
    "ion23": "dev",
    "ion17": "dev",
    "ion11": "holdout",
    "ion04": "holdout",
    "SEC000847": "holdout",
    "ion15": "holdout",
    "ion14": "holdout",
    "ion21": "fresh",
    "ion09": "fresh",
    "ion20": "fresh",
}


@pytest.fixture(scope="module")
def gold() -> dict:
    with GOLD.open(encoding="utf-8") as f:
        return json.load(f)


def test_top_level_keys_and_reference_date(gold):
    assert {"reading_policy", "reference_date", "notices", "cvs", "judgements"} <= set(gold)
    assert gold["reference_date"] == "2025-07-31"
    # the policy is what makes the verdicts reproducible; it must say how the hard cases were read
    policy = gold["reading_policy"].lower()
    for topic in ("relevant years", "english", "declarations", "cannot_tell", "field"):
        assert topic in policy, topic


def test_notices_have_split_requirements_and_existing_text(gold):
    assert {nid: n["split"] for nid, n in gold["notices"].items()} == NOTICES
    for nid, notice in gold["notices"].items():
        assert notice["requirements"].strip(), nid
        path = (ROOT / notice["path"]).resolve()
        if notice["path"].startswith("../") and not path.parent.exists():
            pytest.skip(f"shared notices not found at {path.parent}")
        assert path.is_file(), f"{nid}: {notice['path']} does not exist"


def test_every_pdf_is_judged_for_every_notice(gold, eval_dir):
    pdfs = {p.name for p in (eval_dir / "resumes" / "pdf").glob("*.pdf")}
    assert len(pdfs) == 72
    assert set(gold["cvs"]) == pdfs
    assert set(gold["judgements"]) == set(NOTICES)
    for nid, per_cv in gold["judgements"].items():
        assert set(per_cv) == pdfs, nid


def test_judgements_are_well_formed(gold):
    for nid, per_cv in gold["judgements"].items():
        for cv, j in per_cv.items():
            assert j["verdict"] in VERDICTS, (nid, cv)
            grade = j["relevance"]
            assert isinstance(grade, int) and not isinstance(grade, bool), (nid, cv)
            assert 0 <= grade <= 3, (nid, cv)
            assert j["reason"].strip() and j["reason"].rstrip().endswith("."), (nid, cv)


def test_fact_sheets_name_the_highest_degree(gold):
    for cv, entry in gold["cvs"].items():
        facts = entry["facts"]
        assert facts["highest_degree"].strip(), cv
        assert facts["level"].strip(), cv


def test_cannot_tell_stays_rare(gold):
    # cannot_tell is reserved for resumes that truly do not let a screener decide; keep it rare
    for nid, per_cv in gold["judgements"].items():
        share = sum(j["verdict"] == "cannot_tell" for j in per_cv.values()) / len(per_cv)
        assert share <= 0.10, (nid, share)


def test_holdout_split_can_measure_eligible_recall(gold):
    # eligible recall on held-out notices is only measurable if some held-out pair is eligible
    holdout = [nid for nid, n in gold["notices"].items() if n["split"] == "holdout"]
    eligible = sum(
        j["verdict"] == "eligible" for nid in holdout for j in gold["judgements"][nid].values()
    )
    assert eligible >= 10, eligible

"""An unknown verdict that rests on missing data (no dated positions) does not outrank
candidates the CV gives something to judge by; ``ScoringConfig.unknown_order`` chooses."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from matcher.batch import rank_pool
from matcher.features.cv import parse_cv
from matcher.features.vacancy import load_vacancy
from matcher.scoring.config import ScoringConfig
from matcher.scoring.matcher import Matcher
from tests.toy_encoder import ToyEncoder

SEC821 = "vacancies/osce-associate-security-project-officer-SEC000821.txt"
PDFS = (
    "ARTS_25926667", "CONSULTANT_31016926", "CONSULTANT_56792999", "SALES_32140087",
    "INFORMATION-TECHNOLOGY_10247517", "HEALTHCARE_26695839", "FINANCE_15011085",
    "CONSULTANT_10984392",  # a BA whose field is not stated: unknown, supported
)  # fmt: skip


@pytest.fixture(scope="module")
def pool(eval_dir: Path, data_dir: Path):
    profiles = [parse_cv(eval_dir / "resumes" / "pdf" / f"{n}.pdf") for n in PDFS]
    undated = parse_cv(data_dir / "cvs" / "sec821_undated.txt")
    # each real CV once more without its dates: the same text and score, nothing to count
    stripped = [
        replace(
            p, id=f"{p.id}-undated",
            positions=tuple(replace(q, start=None, end=None, ongoing=False) for q in p.positions),
        )
        for p in profiles
        if p.positions
    ]  # fmt: skip
    return [*profiles, undated, *stripped]


def _ranked(config: ScoringConfig, vacancy, pool):
    return Matcher(ToyEncoder(), config).rank(vacancy, pool)


def test_missing_data_does_not_outrank_supported_unknowns(data_dir, pool):
    vacancy = load_vacancy(data_dir / SEC821)
    frame = _ranked(ScoringConfig(), vacancy, pool)
    unknown = frame[frame["eligibility"] == "unknown"]
    weak = unknown["missing_data"].tolist()
    assert any(weak) and not all(weak)
    assert weak == sorted(weak)  # every supported unknown first
    # the undated sample is still unknown, for the missing dates
    row = frame.set_index("candidate_id").loc["sec821_undated"]
    assert row["eligibility"] == "unknown" and row["missing_data"]
    assert "none of the" in row["unknown_checks"] and "has dates" in row["unknown_checks"]
    # a CV without dates would have outranked some supported unknowns by score alone
    supported_min = unknown[~unknown["missing_data"]]["score"].min()
    assert (unknown[unknown["missing_data"]]["score"] > supported_min).any()
    # the "score" choice orders unknowns by score only, as before; pool ranking agrees
    by_score = _ranked(ScoringConfig(unknown_order="score"), vacancy, pool)
    scores = by_score[by_score["eligibility"] == "unknown"]["score"].tolist()
    assert scores == sorted(scores, reverse=True)
    m = Matcher(ToyEncoder())
    pooled = rank_pool(m, [vacancy], pool, progress=False)
    assert pooled["candidate_id"].tolist() == frame["candidate_id"].tolist()


def test_unknown_order_is_validated():
    from matcher.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown_order"):
        ScoringConfig(unknown_order="random")

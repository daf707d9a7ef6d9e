"""Pool ranking: same results as Matcher.rank and .score, each text encoded once, Dask = local."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from toy_encoder import ToyEncoder

import matcher
from matcher import batch
from matcher.batch import pool_columns, rank_pool
from matcher.errors import ConfigError, MissingDependencyError
from matcher.scoring.cache import CachedEncoder, EmbeddingCache
from matcher.scoring.prefilter import prefilter_scores, select_top_k

ROOT = Path(__file__).resolve().parents[1]
VACANCIES = ROOT / "data" / "vacancies"
SEEDS = [
    "osce-associate-procurement-officer-SEC000847.txt",
    "osce-associate-security-project-officer-SEC000821.txt",
    "osce-head-strategic-police-matters-unit.txt",
]


@pytest.fixture(scope="module")
def vacancies() -> list[matcher.Vacancy]:
    seeds = [matcher.load_vacancy(VACANCIES / name) for name in SEEDS]
    jpo = VACANCIES / "osce-jpo-2024-2026-secretariat-openings.txt"
    openings = matcher.parse_jpo_openings(jpo.read_text(encoding="utf-8"), source=str(jpo))
    return seeds + list(openings[:2])


@pytest.fixture(scope="module")
def cvs() -> matcher.LoadedCVs:
    return matcher.load_cvs(ROOT / "data" / "cvs")


def toy_matcher(cache: EmbeddingCache | None = None) -> tuple[matcher.Matcher, ToyEncoder]:
    toy = ToyEncoder(dim=96)
    enc = CachedEncoder(toy, cache if cache is not None else EmbeddingCache(":memory:"))
    return matcher.Matcher(encoder=enc), toy


@pytest.fixture(scope="module")
def pooled(vacancies, cvs) -> tuple[matcher.Matcher, ToyEncoder, pd.DataFrame]:
    m, toy = toy_matcher()
    return m, toy, rank_pool(m, vacancies, cvs, progress=False, chunk_size=7)


def test_one_row_per_pair_ranked_within_each_vacancy(pooled, vacancies, cvs) -> None:
    _, _, df = pooled
    assert list(df.columns) == list(pool_columns())
    assert len(df) == len(vacancies) * len(cvs)
    assert df["vacancy_id"].unique().tolist() == [v.id for v in vacancies]  # input order
    order = {"eligible": 0, "unknown": 1, "ineligible": 2, "error": 3}
    for _, group in df.groupby("vacancy_id", sort=False):
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
        assert sorted(group["candidate_id"]) == sorted(p.id for p in cvs)
        # an unknown resting on missing data ranks after the other unknowns (the default)
        weak = (group["eligibility"] == "unknown") & group["missing_data"].astype(bool)
        keys = list(zip(group["eligibility"].map(order), weak, -group["score"], strict=True))
        assert keys == sorted(keys)
    assert df["score"].between(0, 1).all()
    assert df.attrs["pool"]["pairs"] == len(df)
    phases = df.attrs["pool"]["seconds"]  # where the time went, phase by phase
    assert list(phases) == ["prepare", "first_tier", "encode", "copies", "score", "assemble"]
    assert all(s >= 0 for s in phases.values())
    df.head().to_parquet(io.BytesIO())  # attrs stay serialisable: the frame saves


def test_identical_to_matcher_rank_and_score_per_pair(pooled, vacancies, cvs) -> None:
    m, _, df = pooled
    for vacancy in vacancies:
        mine = df[df["vacancy_id"] == vacancy.id].drop(columns="vacancy_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, m.rank(vacancy, cvs, progress=False), check_exact=True)
    by_id = {p.id: p for p in cvs}
    sample = df.iloc[:: max(1, len(df) // 25)]
    for row in sample.itertuples():
        vacancy = next(v for v in vacancies if v.id == row.vacancy_id)
        result = m.score(vacancy, by_id[row.candidate_id])
        assert (result.score, result.eligibility) == (row.score, row.eligibility)


def test_each_distinct_text_encoded_once_and_warm_rerun_encodes_nothing(
    pooled, vacancies, cvs, tmp_path
) -> None:
    _, toy, df = pooled
    stats = df.attrs["pool"]
    assert toy.encoded == stats["distinct_texts"]  # every text once, despite 5 vacancies x 34 CVs
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    m1, toy1 = toy_matcher(cache)
    cold = rank_pool(m1, vacancies, cvs, progress=False)
    m2, toy2 = toy_matcher(EmbeddingCache(tmp_path / "emb.sqlite"))
    warm = rank_pool(m2, vacancies, cvs, progress=False)
    assert toy1.encoded == stats["distinct_texts"] and toy2.encoded == 0
    pd.testing.assert_frame_equal(cold, warm, check_exact=True)


def test_encodes_the_canonical_blocks_longest_first_into_the_right_rows(
    pooled, vacancies, cvs, monkeypatch
) -> None:
    import matcher.batch as batch

    _, _, df = pooled
    seen: list[list[str]] = []

    class Recording(ToyEncoder):
        def encode(self, texts, **kw):
            seen.append(list(texts))
            return super().encode(texts, **kw)

    monkeypatch.setattr(batch, "ENCODE_BLOCK", 64)
    m = matcher.Matcher(encoder=Recording(dim=96))
    again = rank_pool(m, vacancies, cvs, progress=False, chunk_size=7)
    assert len(seen) > 3  # several blocks, all full but the shortest-texts one
    assert [len(b) for b in seen[1:]] == [64] * (len(seen) - 1)
    flat = [t for block in reversed(seen) for t in block]
    assert flat == sorted(set(flat), key=lambda t: (len(t), t))  # canonical order, each text once
    assert min(map(len, seen[0])) >= max(map(len, seen[1]))  # the longest texts go first
    pd.testing.assert_frame_equal(df, again, check_exact=True)  # each vector landed on its row


def test_results_do_not_depend_on_chunking_or_input_order(pooled, vacancies, cvs) -> None:
    m, _, df = pooled
    shuffled = list(cvs)[::-1]
    again = rank_pool(m, vacancies, shuffled, progress=False, chunk_size=1000)
    pd.testing.assert_frame_equal(df, again, check_exact=True)


def test_prefilter_keeps_top_k_per_vacancy_with_unchanged_scores(pooled, vacancies, cvs) -> None:
    m, _, df = pooled
    k = 5
    small = rank_pool(m, vacancies, cvs, progress=False, prefilter_k=k, prefilter_method="bm25")
    assert small.groupby("vacancy_id", sort=False).size().tolist() == [k] * len(vacancies)
    first = prefilter_scores(vacancies, list(cvs), method="bm25")
    top = select_top_k(first, k)
    ids = [p.id for p in cvs]
    for i, vacancy in enumerate(vacancies):
        kept = small[small["vacancy_id"] == vacancy.id]
        assert set(kept["candidate_id"]) == {ids[j] for j in top[i]}
        full = df[df["vacancy_id"] == vacancy.id].set_index("candidate_id")["score"]
        np.testing.assert_array_equal(kept["score"].to_numpy(), full[kept["candidate_id"]].values)
        assert kept["rank"].tolist() == list(range(1, k + 1))


def test_unreadable_cv_is_an_error_row_for_every_vacancy(vacancies, tmp_path) -> None:
    good = ROOT / "data" / "cvs" / "sec847_procurement_strong.md"
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not a pdf")
    m, _ = toy_matcher()
    df = rank_pool(m, vacancies[:2], [good, bad], progress=False)
    errors = df[df["eligibility"] == "error"]
    assert len(df) == 4 and len(errors) == 2
    assert set(errors["candidate_id"]) == {"broken"} and errors["error"].str.len().min() > 0
    assert (errors["rank"] == 2).all()  # errors rank last


def test_worker_processes_give_identical_results(pooled, vacancies, cvs) -> None:
    m, _, expected = pooled
    got = rank_pool(m, vacancies, cvs, progress=False, chunk_size=7, workers=2)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs["pool"]["chunks"] == expected.attrs["pool"]["chunks"] > 2


def test_copies_found_in_a_worker_process_give_identical_results(
    pooled, vacancies, cvs, monkeypatch
) -> None:
    # a large pool looks for copies of the notices in a worker while this process reads the cache
    m, _, expected = pooled
    monkeypatch.setattr(batch, "BACKGROUND_COPIES", 1)
    got = rank_pool(m, vacancies, cvs, progress=False, chunk_size=7)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert expected["stuffing"].any()  # the sample pool has a CV that copies a notice


def test_a_partly_warm_cache_fills_every_row_and_encodes_only_the_misses(
    pooled, vacancies, cvs, tmp_path, monkeypatch
) -> None:
    """The cache is read block by block into the pool's table: a partly warm pool gets every
    stored vector in its row and encodes just the texts the cache lacks (scored by workers)."""
    import sqlite3

    import matcher.batch as batch

    _, _, expected = pooled
    monkeypatch.setattr(batch, "ENCODE_BLOCK", 100)  # many spans, most of them whole in the cache
    path = tmp_path / "emb.sqlite"
    rank_pool(toy_matcher(EmbeddingCache(path))[0], vacancies, cvs, progress=False)
    with sqlite3.connect(path) as db:  # forget a few vectors: most blocks stay whole in the cache
        db.execute("DELETE FROM embeddings WHERE id % 7 = 0 AND id < 150")
        lost = db.total_changes
    m, toy = toy_matcher(EmbeddingCache(path))
    got = rank_pool(m, vacancies, cvs, progress=False, chunk_size=7, workers=2)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert toy.encoded == lost > 0


def test_a_pair_that_raises_is_an_error_row_and_the_rest_are_scored(
    pooled, vacancies, cvs, monkeypatch
) -> None:
    """A bug met by one (vacancy, CV) pair costs that pair only, and says so in its row."""
    from matcher.scoring import kernel

    m, _, expected = pooled
    victim, vacancy = cvs.profiles[3].id, vacancies[1].id
    minimums = vacancies[1].requirements.experience
    assert minimums  # the pair's experience check is where it fails
    real = kernel.experience_check

    def flaky(req, profile, *args, **kwargs):
        if profile.id == victim and any(req is r for r in minimums):
            raise ValueError("synthetic failure")
        return real(req, profile, *args, **kwargs)

    monkeypatch.setattr(kernel, "experience_check", flaky)
    df = rank_pool(m, vacancies, cvs, progress=False, chunk_size=7)
    errors = df[df["eligibility"] == "error"]
    assert list(zip(errors["vacancy_id"], errors["candidate_id"], strict=True)) == [
        (vacancy, victim)
    ]
    assert errors["error"].iloc[0] == "ValueError: synthetic failure"
    ok = ["vacancy_id", "candidate_id", "eligibility", "score"]
    rest = df[df["eligibility"] != "error"][ok].reset_index(drop=True)
    want = expected[~((expected["vacancy_id"] == vacancy) & (expected["candidate_id"] == victim))]
    pd.testing.assert_frame_equal(rest, want[ok].reset_index(drop=True))


def test_options_are_validated(vacancies, cvs, monkeypatch) -> None:
    m, _ = toy_matcher()
    with pytest.raises(ConfigError, match="local, dask"):
        rank_pool(m, vacancies, cvs, engine="spark")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        rank_pool(m, vacancies, cvs, prefilter_k=0)
    with pytest.raises(ConfigError, match="workers"):
        rank_pool(m, vacancies, cvs, workers=0)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    with pytest.raises(MissingDependencyError, match=r"\[dask\]"):
        rank_pool(m, vacancies, cvs, engine="dask")
    assert rank_pool(m, [], cvs, progress=False).empty


def test_dask_two_worker_cluster_gives_identical_results(pooled, vacancies, cvs) -> None:
    distributed = pytest.importorskip("distributed")
    _, _, local = pooled
    m, toy = toy_matcher()  # fresh cache: the workers encode
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = rank_pool(
            m, vacancies, cvs, engine="dask", client=client, progress=False, chunk_size=7
        )
    pd.testing.assert_frame_equal(local, remote, check_exact=True)
    assert remote.attrs["pool"]["engine"] == "dask"


def test_scale_benchmark_smoke(tmp_path) -> None:
    out = tmp_path / "scale.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "scale.py"), "smoke", "--out", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    smoke = json.loads(out.read_text())["smoke"]
    assert smoke["status"] == "measured" and smoke["pairs"] == smoke["cvs"] * smoke["vacancies"]
    assert smoke["warm"]["encoded"] == 0 and smoke["cold"]["encoded"] > 0
    assert smoke["identical_warm_cold"] and smoke["identical_dask_local"] is not False


@pytest.mark.model
def test_cli_pool_ranks_every_pair_caches_and_audits(tmp_path, monkeypatch, capsys) -> None:
    """``matcher pool``: seed + JPO openings x CVs in one table; the re-run reads the cache."""
    from matcher.audit import verify_audit_log
    from matcher.cli import main

    monkeypatch.setenv("MATCHER_CACHE_DIR", str(tmp_path / "cache"))
    cvs = ROOT / "data" / "cvs"
    picked = [cvs / f"{n}.txt" for n in ("sec821_master_qualified", "jpo_hr_talent")]
    missing = tmp_path / "gone.txt"
    out, log = tmp_path / "pool.parquet", tmp_path / "audit.jsonl"
    args = [
        "pool", *map(str, picked), str(missing), "--vacancy", str(VACANCIES / SEEDS[1]),
        "--jpo", str(VACANCIES / "osce-jpo-2024-2026-secretariat-openings.txt"),
        "--out", str(out), "--audit", str(log), "--top", "1",
    ]  # fmt: skip
    assert main(args) == 0
    printed = capsys.readouterr().out
    first = pd.read_parquet(out)
    assert len(first) == 24 * 3  # 1 seed + 23 openings, 2 CVs + the unreadable one
    assert (first[first["candidate_id"] == "gone"]["eligibility"] == "error").all()
    seed = first[first["vacancy_id"] == "SEC000821"]
    assert seed["candidate_id"].iloc[0] == "sec821_master_qualified"
    talent = first[first["vacancy_id"] == "JPO-20"]
    assert talent["candidate_id"].iloc[0] == "jpo_hr_talent"  # the HR CV leads Talent Acquisition
    assert "SEC000821" in printed and "JPO-20" in printed
    assert (tmp_path / "cache" / "embeddings.sqlite").exists()
    assert (tmp_path / "cache" / "profiles.sqlite").exists()
    assert main(args) == 0  # re-run: vectors from the cache, the same table
    pd.testing.assert_frame_equal(first, pd.read_parquet(out), check_exact=True)
    assert verify_audit_log(log).ok


@pytest.mark.model
def test_cli_pool_first_tier_parses_only_the_survivors(tmp_path, monkeypatch, capsys) -> None:
    """With --prefilter-k the raw texts are ranked first; only CVs in some top k are parsed."""
    from matcher.cli import main

    monkeypatch.setenv("MATCHER_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 not a pdf")
    out = tmp_path / "pool.csv"
    args = [
        "pool", str(ROOT / "data" / "cvs"), str(tmp_path / "bad.pdf"),
        "--vacancy", str(VACANCIES / SEEDS[0]), "--vacancy", str(VACANCIES / SEEDS[1]),
        "--prefilter-k", "3", "--out", str(out),
    ]  # fmt: skip
    assert main(args) == 0
    frame = pd.read_csv(out)
    printed = capsys.readouterr().out
    scored = frame[frame["eligibility"] != "error"]
    assert scored.groupby("vacancy_id").size().tolist() == [3, 3]
    assert set(frame[frame["eligibility"] == "error"]["candidate_id"]) == {"bad"}
    assert "below every vacancy's first-tier top 3" in printed
    procurement = scored[scored["vacancy_id"] == "SEC000847"]["candidate_id"].tolist()
    assert "sec847_procurement_strong" in procurement

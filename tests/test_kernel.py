"""The scoring kernel: pool rows equal one-pair scoring for every pair, copies found exactly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from toy_encoder import ToyEncoder

import matcher
from matcher.batch import rank_pool
from matcher.scoring.kernel import find_copies, round_half_even
from matcher.scoring.matcher import result_row

ROOT = Path(__file__).resolve().parents[1]
VACANCIES = ROOT / "data" / "vacancies"


@pytest.fixture(scope="module")
def setting() -> tuple[matcher.Matcher, list[matcher.Vacancy], matcher.LoadedCVs]:
    seeds = [
        matcher.load_vacancy(p) for p in sorted(VACANCIES.glob("osce-*.txt")) if "jpo" not in p.name
    ]
    jpo = VACANCIES / "osce-jpo-2024-2026-secretariat-openings.txt"
    openings = matcher.parse_jpo_openings(jpo.read_text(encoding="utf-8"), source=str(jpo))
    # the same notices without years or other items: every check then comes from memo tables
    # keyed by the facts they read (degree, languages, nationality)
    memo_only = [
        dataclasses.replace(
            v, id=f"{v.id}-no-years",
            requirements=dataclasses.replace(
                v.requirements, experience=(), experience_preferred=(), other=()
            ),
        )  # fmt: skip
        for v in seeds
        if v.requirements is not None
    ]
    assert any(v.requirements.languages for v in memo_only)
    assert any(v.requirements.education for v in memo_only)
    vacancies = seeds + memo_only + [openings[0], openings[12]]
    return (
        matcher.Matcher(encoder=ToyEncoder(dim=96)),
        vacancies,
        matcher.load_cvs(ROOT / "data" / "cvs"),
    )


def test_every_pool_row_equals_the_row_of_its_full_result(setting) -> None:
    """Rows come from the fast path (no explanation objects); ``score`` builds everything. Same
    numbers and words in every column, for every pair, not a sample."""
    m, vacancies, cvs = setting
    pool = rank_pool(m, vacancies, cvs, progress=False, chunk_size=5)
    assert len(pool) == len(vacancies) * len(cvs)
    for vacancy in vacancies:
        prep_v = m.prepare_vacancy(vacancy)
        prepared, _ = m.prepare_candidates(list(cvs))
        vectors = m.embed(prep_v.texts() + [t for p in prepared for t in p.texts()])
        expected = [result_row(r, source=r_p.profile.source) for r, r_p in zip(
            (m.score_prepared(prep_v, p, vectors) for p in prepared), prepared, strict=True
        )]  # fmt: skip
        got = pool[pool["vacancy_id"] == vacancy.id].drop(columns=["vacancy_id", "rank"])
        want = pd.DataFrame(expected, columns=list(got.columns))
        key = "candidate_id"
        pd.testing.assert_frame_equal(
            got.sort_values(key).reset_index(drop=True),
            want.sort_values(key).reset_index(drop=True),
            check_exact=True,
        )


def test_find_copies_agrees_with_the_detector_on_every_sentence(setting) -> None:
    m, vacancies, cvs = setting
    prepared, _ = m.prepare_candidates(list(cvs))
    sentences = sorted({s for p in prepared for s in p.sentences})
    detectors = [m.prepare_vacancy(v).copy_detector for v in vacancies]
    found = find_copies(detectors, sentences)
    total = 0
    for detector, copies in zip(detectors, found, strict=True):
        expected = {s for s in sentences if detector.detect_one(s).copied}
        assert copies == expected
        assert all(detector.is_copy(s) == (s in expected) for s in sentences)
        total += len(expected)
    assert total > 0  # the stuffed sample CVs do copy notices: the check is not vacuous


def test_a_notice_without_duties_judges_positions_against_its_title(setting) -> None:
    """With no duties and no minimum, relevant years come from the title as written: that text
    must be among those encoded, or every position would look irrelevant."""
    from dataclasses import replace

    m, vacancies, cvs = setting
    seed = next(v for v in vacancies if v.id == "SEC000847")
    bare = replace(
        seed, duties=(), requirements=replace(seed.requirements, experience=(),
                                              experience_preferred=()),
    )  # fmt: skip
    prep = m.prepare_vacancy(bare)
    assert bare.title in prep.texts()
    strong = next(p for p in cvs if p.id == "sec847_procurement_strong")
    part = next(p for p in m.score(bare, strong).parts if p.name == "experience")
    assert part.value > 0 and "relevant experience (no minimum stated)" in part.detail


@pytest.mark.parametrize("decimals", [2, 4, 6])
def test_round_half_even_has_the_bits_of_pythons_round(decimals) -> None:
    """Halves, near-halves, negatives, signed zeros and infinities included."""
    rng = np.random.default_rng(decimals)
    step = 10.0**-decimals
    halves = (np.arange(-20_000, 20_000) + 0.5) * step
    values = np.concatenate([
        rng.random(200_000) * 2 - 1, halves, np.nextafter(halves, 2), np.nextafter(halves, -2),
        [0.0, -0.0, 1.0, -1.0, 1e-300, np.inf, -np.inf],
    ])  # fmt: skip
    ours = round_half_even(values, decimals)
    python = np.array([round(v, decimals) for v in values.tolist()])
    assert np.array_equal(ours.view(np.int64), python.view(np.int64))

"""Soft fit, explanations, stuffing defence and ranking.

Fast tests use a tiny deterministic bag-of-words encoder; tests marked ``model`` use the real
packaged MiniLM on the seed vacancy (one shared instance).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import CandidateProfile, Matcher, ScoringConfig
from matcher.errors import ConfigError
from matcher.scoring.config import COMPONENTS
from matcher.scoring.encoders import Encoder, l2_normalise, split_sentences
from matcher.scoring.explanation import build_parts
from matcher.scoring.stuffing import CopyDetector
from matcher.types import (
    Degree,
    EducationOption,
    ExperienceRequirement,
    LanguageRequirement,
    LanguageSkill,
    Position,
    RequirementItem,
    Requirements,
    Vacancy,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"


class BagOfWords:
    """A deterministic toy encoder: hashed word counts, L2-normalised."""

    model_id = "test-bag-of-words"
    dim = 256

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                if len(word) > 2:
                    h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                    out[i, h % self.dim] += 1.0
        return l2_normalise(out)


DUTIES = (
    "Coordinate security risk assessments for field offices and draft security plans.",
    "Manage project budgets, monitor expenditures and prepare financial reports.",
    "Design and deliver security training for staff in field operations.",
)
TOY_VACANCY = Vacancy(
    id="TOY1",
    title="Security Project Officer",
    duties=DUTIES,
    requirements=Requirements(
        education=(EducationOption(7, ("security studies",)), EducationOption(6, extra_years=2)),
        experience=(ExperienceRequirement(2.0, {6: 4.0}),),
        languages=(
            LanguageRequirement("en", "C1"),
            LanguageRequirement("ru", "B2", required=False),
        ),
        competencies=(RequirementItem("Knowledge of security management systems."),),
    ),
    metadata={"Closing Date": "2025-07-31"},
)


def toy_cv(cid, level, lines, start=date(2018, 1, 1), end=None, extra=""):
    desc = "\n".join(lines)
    text = f"Security Officer, UNDSS\n{desc}\n{extra}"
    return CandidateProfile(
        id=cid,
        education=(Degree(level, "MA Security Studies", "security studies"),),
        highest_level=level,
        positions=(Position("Security Officer", "UNDSS", start, end, end is None, desc),),
        languages=(LanguageSkill("en", "C2"), LanguageSkill("ru", "B2")),
        text=text,
        blind_text=text,
    )


GOOD = toy_cv(
    "good",
    7,
    [
        "Coordinated security risk assessments for twelve field offices and drafted plans.",
        "Managed the project budget and monitored expenditures monthly.",
        "Organised security drills and briefings for personnel of regional offices.",
    ],
)
WEAK = toy_cv("weak", 7, ["Cooked meals for the staff canteen."])
STUFFED = toy_cv("stuffed", 7, ["Cooked meals for the staff canteen."], extra="\n".join(DUTIES))


@pytest.fixture(scope="module")
def toy_matcher():
    return Matcher(BagOfWords())


# --------------------------------------------------------------------------- pieces


def test_encoder_protocol():
    assert isinstance(BagOfWords(), Encoder)


@given(st.lists(st.text(alphabet="ab .;\n•-", max_size=40), max_size=6))
def test_split_sentences_drops_no_word(chunks):
    text = " ".join(chunks)
    pieces = split_sentences(text, max_words=3, min_chars=1)
    words_in = re.findall(r"[ab]+", text)
    words_out = [w for p in pieces for w in re.findall(r"[ab]+", p)]
    assert words_out == words_in
    assert all(len(p.split()) <= 3 for p in pieces)


def test_config_round_trip_and_validation():
    cfg = dataclasses.replace(ScoringConfig(), weight_duties=0.7, relevance_threshold=0.4)
    assert ScoringConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ConfigError, match="weight_field"):
        ScoringConfig(weight_field=-1)
    with pytest.raises(ConfigError, match="valid keys"):
        ScoringConfig.from_dict({"weight_dutys": 1.0})
    with pytest.raises(ConfigError, match="ceiling"):
        ScoringConfig(similarity_floor=0.5, similarity_ceiling=0.4)


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.sampled_from(
            ["duties", "competencies", "experience", "field", "education", "languages"]
        ),
        st.one_of(st.none(), st.floats(-0.5, 1.5, allow_nan=False)),
    ),
    st.lists(st.floats(0, 10, allow_nan=False), min_size=len(COMPONENTS), max_size=len(COMPONENTS)),
)
def test_parts_add_up_exactly_to_score(values, raw_weights):
    weights = dict(zip(COMPONENTS, raw_weights, strict=True))
    parts, score = build_parts(values, weights, {})
    assert sum(p.contribution for p in parts) == score
    assert 0.0 <= score <= 1.0
    for p in parts:
        assert 0.0 <= p.value <= 1.0 and p.contribution == pytest.approx(p.weight * p.value)


def test_copy_detector_flags_pasted_and_lightly_edited_duties_only():
    det = CopyDetector(DUTIES)
    hits = det.detect(
        [
            DUTIES[0],
            "coordinate security risk assessment for field offices and drafted security plans",
            "Coordinated security assessments in two regions.",
            "Managed the project budget and monitored expenditures monthly.",
        ]
    )
    assert [h.copied for h in hits] == [True, True, False, False]


# --------------------------------------------------------------------------- matcher, toy encoder


def test_score_parts_sum_and_explanation(toy_matcher):
    r = toy_matcher.score(TOY_VACANCY, GOOD)
    assert sum(p.contribution for p in r.parts) == r.score
    assert 0 < r.score <= 1
    assert r.eligibility == "eligible"
    assert "Eligibility: ELIGIBLE" in r.explanation
    assert all(m.cv_sentence for m in r.duty_matches)


_WORDS = st.sampled_from(
    "security risk project budget training staff field offices report draft plan cook sell "
    "teach audit manage coordinate design monitor".split()
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(_WORDS, min_size=1, max_size=12).map(" ".join), max_size=8),
    st.one_of(st.none(), st.integers(5, 8)),
    st.integers(0, 120),
)
def test_any_cv_score_in_unit_interval_and_parts_sum(toy_matcher, lines, level, months):
    start = date(2025, 7, 1)
    start = date(start.year - months // 12, (start.month - months % 12 - 1) % 12 + 1, 1)
    text = "\n".join(lines)
    cv = CandidateProfile(
        id="h",
        education=(Degree(level, "degree", "security studies"),) if level else (),
        highest_level=level,
        positions=(Position("Officer", "Org", start, None, True, text),) if lines else (),
        text=text,
        blind_text=text,
    )
    r = toy_matcher.score(TOY_VACANCY, cv)
    assert sum(p.contribution for p in r.parts) == r.score
    assert 0.0 <= r.score <= 1.0
    assert r.eligibility in ("eligible", "unknown", "ineligible")


def test_stuffed_cv_is_discounted_and_explained(toy_matcher):
    stuffed = toy_matcher.score(TOY_VACANCY, STUFFED)
    weak = toy_matcher.score(TOY_VACANCY, WEAK)
    good = toy_matcher.score(TOY_VACANCY, GOOD)
    assert stuffed.score == pytest.approx(weak.score, abs=1e-6)
    assert stuffed.score < good.score
    assert "Keyword stuffing: 3 sentence(s)" in stuffed.explanation
    # without the defence, the copies would have counted as duty evidence
    naive = Matcher(BagOfWords(), ScoringConfig(stuffing_discount=0.0)).score(TOY_VACANCY, STUFFED)
    defended = next(p.value for p in stuffed.parts if p.name == "duties")
    assert next(p.value for p in naive.parts if p.name == "duties") > defended + 0.1
    assert naive.score > stuffed.score + 0.03


def test_hidden_text_never_counts(toy_matcher):
    hidden = dataclasses.replace(
        WEAK,
        id="hidden",
        hidden_text=("Organised security drills and briefings for personnel of regional offices.",),
    )
    visible = dataclasses.replace(
        WEAK,
        id="visible",
        text=WEAK.text
        + "\nOrganised security drills and briefings for personnel of regional offices.",
        blind_text=WEAK.blind_text
        + "\nOrganised security drills and briefings for personnel of regional offices.",
    )
    hidden = dataclasses.replace(hidden, text=visible.text, blind_text=visible.blind_text)
    r_hidden = toy_matcher.score(TOY_VACANCY, hidden)
    assert r_hidden.score == pytest.approx(toy_matcher.score(TOY_VACANCY, WEAK).score, abs=1e-6)
    assert toy_matcher.score(TOY_VACANCY, visible).score > r_hidden.score
    assert any("hidden text" in w for w in r_hidden.warnings)


def test_rank_order_errors_and_input_order(toy_matcher, tmp_path):
    short = dataclasses.replace(GOOD, id="short", positions=(
        dataclasses.replace(GOOD.positions[0], start=date(2025, 1, 1)),
    ))  # fmt: skip
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    pool = [STUFFED, GOOD, short, WEAK, bad]
    frame = toy_matcher.rank(TOY_VACANCY, pool)
    assert list(frame["rank"]) == [1, 2, 3, 4, 5]
    assert frame.iloc[0]["candidate_id"] == "good"
    order = {"eligible": 0, "unknown": 1, "ineligible": 2, "error": 3}
    keys = [order[e] for e in frame["eligibility"]]
    assert keys == sorted(keys)
    assert frame.iloc[-1]["candidate_id"] == "broken" and frame.iloc[-1]["error"]
    assert "short of" in frame.set_index("candidate_id").loc["short", "failed_checks"]
    again = toy_matcher.rank(TOY_VACANCY, list(reversed(pool)))
    assert again["candidate_id"].tolist() == frame["candidate_id"].tolist()
    assert again["score"].tolist()[:-1] == frame["score"].tolist()[:-1]


def test_ties_broken_by_id(toy_matcher):
    twins = [dataclasses.replace(WEAK, id=i) for i in ("b", "c", "a")]
    frame = toy_matcher.rank(TOY_VACANCY, twins)
    assert frame["candidate_id"].tolist() == ["a", "b", "c"]


def test_no_requirements_means_unknown(toy_matcher):
    bare = Vacancy("BARE", duties=DUTIES)
    r = toy_matcher.score(bare, GOOD)
    assert r.eligibility == "unknown"
    assert any("eligibility is unknown" in w for w in r.warnings)


def test_protected_attributes_do_not_change_the_score(toy_matcher):
    from matcher.types import PersonalData

    other = dataclasses.replace(
        GOOD, personal=PersonalData(name="X Y", gender="female", date_of_birth="1960-01-01")
    )
    assert toy_matcher.score(TOY_VACANCY, other).score == toy_matcher.score(TOY_VACANCY, GOOD).score


# --------------------------------------------------------------------------- real model


@pytest.fixture(scope="session")
def real_matcher():
    return Matcher()


@pytest.fixture(scope="session")
def seed_vacancy():
    from matcher import load_vacancy

    return load_vacancy(SEED)


def _seed_cv(cid, level, start, end, lines, field="Security Studies", extra=""):
    desc = "\n".join(lines)
    text = f"Project Officer (Security), UN Department of Safety and Security\n{desc}\n{extra}"
    return CandidateProfile(
        id=cid,
        education=(Degree(level, f"Degree in {field}", field),),
        highest_level=level,
        positions=(Position("Project Officer (Security)", "UNDSS", start, end, end is None, desc),),
        languages=(LanguageSkill("en", "C1"),),
        text=text,
        blind_text=text,
    )


SEC_LINES = [
    "Led the implementation of a travel security tracking system across country offices.",
    "Drafted standard operating procedures, security advisories and emergency response plans.",
    "Prepared project proposals, budgets and progress reports for donors.",
    "Designed and delivered security training modules for administrators and end users.",
]


@pytest.mark.model
def test_seed_substitution_route_short_and_undated(real_matcher, seed_vacancy):
    route = _seed_cv("route", 6, date(2020, 6, 1), date(2025, 5, 31), SEC_LINES)
    short = _seed_cv("short", 6, date(2022, 6, 1), date(2025, 5, 31), SEC_LINES)
    undated = dataclasses.replace(
        route,
        id="undated",
        positions=(dataclasses.replace(route.positions[0], start=None, end=None),),
    )
    r_route = real_matcher.score(seed_vacancy, route)
    r_short = real_matcher.score(seed_vacancy, short)
    r_undated = real_matcher.score(seed_vacancy, undated)
    exp = {r.candidate_id: [c for c in r.checks if c.kind == "experience"][0]
           for r in (r_route, r_short, r_undated)}  # fmt: skip
    assert exp["route"].status == "pass"
    assert (
        exp["short"].status == "fail" and "1.0 years short of the 4 required" in exp["short"].reason
    )
    assert exp["undated"].status == "unknown"
    assert r_short.eligibility == "ineligible"
    assert r_undated.eligibility in ("unknown", "ineligible")
    assert r_undated.eligibility != "eligible"
    for r in (r_route, r_short, r_undated):
        assert sum(p.contribution for p in r.parts) == r.score


@pytest.mark.model
def test_seed_stuffed_ranks_below_genuine_and_is_deterministic(real_matcher, seed_vacancy):
    genuine = _seed_cv("genuine", 7, date(2019, 1, 1), None, SEC_LINES)
    filler = ["Managed the restaurant kitchen and ordered food supplies."]
    stuffed = _seed_cv(
        "stuffed", 7, date(2019, 1, 1), None, filler, extra="\n".join(seed_vacancy.duties)
    )
    frame = real_matcher.rank(seed_vacancy, [stuffed, genuine])
    assert frame["candidate_id"].tolist() == ["genuine", "stuffed"]
    assert frame.set_index("candidate_id").loc["stuffed", "stuffing"]
    again = real_matcher.rank(seed_vacancy, [genuine, stuffed])
    assert again["score"].tolist() == frame["score"].tolist()


# --------------------------------------------------------------------------- sample CVs, real model

SAMPLES = ROOT / "data" / "cvs"


@pytest.fixture(scope="session")
def sec821_pool(real_matcher, seed_vacancy):
    from matcher import load_cvs

    paths = sorted(SAMPLES.glob("sec821_*"))
    if len(paths) < 5:
        pytest.skip("sample CVs for SEC000821 not found in data/cvs")
    prepared = real_matcher.prepare_vacancy(seed_vacancy)
    loaded = load_cvs(paths, reference_date=prepared.reference)
    frame = real_matcher.rank(seed_vacancy, loaded)
    return loaded, frame.set_index("candidate_id")


@pytest.mark.model
def test_sample_cvs_eligibility(sec821_pool):
    _, frame = sec821_pool
    assert frame.loc["sec821_master_qualified", "eligibility"] == "eligible"
    assert frame.loc["sec821_bachelor_substitution", "eligibility"] == "eligible"
    assert frame.loc["sec821_bachelor_short", "eligibility"] == "ineligible"
    assert (
        "1.0 years short of the 4 required" in frame.loc["sec821_bachelor_short", "failed_checks"]
    )
    assert frame.loc["sec821_undated", "eligibility"] == "unknown"
    assert "dates" in frame.loc["sec821_undated", "unknown_checks"]


@pytest.mark.model
def test_sample_stuffed_and_hidden_cvs_rank_below_genuine(sec821_pool):
    _, frame = sec821_pool
    for cheat in ("sec821_keyword_stuffing", "sec821_hidden_white_text"):
        assert frame.loc[cheat, "rank"] > frame.loc["sec821_master_qualified", "rank"]
        assert frame.loc[cheat, "rank"] > frame.loc["sec821_bachelor_substitution", "rank"]
        assert frame.loc[cheat, "score"] < frame.loc["sec821_bachelor_substitution", "score"]
    assert frame.loc["sec821_keyword_stuffing", "stuffing"]


@pytest.mark.model
def test_sample_ranking_identical_across_runs_and_order(real_matcher, seed_vacancy, sec821_pool):
    loaded, frame = sec821_pool
    again = real_matcher.rank(seed_vacancy, list(reversed(loaded.profiles))).set_index(
        "candidate_id"
    )
    assert again.index.tolist() == frame.index.tolist()
    assert again["score"].tolist() == frame["score"].tolist()
    for profile in loaded.profiles[:3]:
        r = real_matcher.score(seed_vacancy, profile)
        assert sum(p.contribution for p in r.parts) == r.score


# --------------------------------------------------------------------------- benchmark smoke


def test_ranking_quality_benchmark_smoke(tmp_path, eval_dir):
    import importlib.util
    import json

    path = ROOT / "benchmarks" / "ranking_quality.py"
    spec = importlib.util.spec_from_file_location("ranking_quality_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--smoke", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "ranking_quality.json").read_text())
    for section in ("ferr", "pool"):
        assert set(results[section]["methods"]) >= set(bench.METHODS)
        for figures in results[section]["methods"].values():
            assert all(0.0 <= v <= 1.0 for v in figures.values())
    assert set(results["pool"]["stuffing_attack"]) == set(bench.METHODS)
    assert "Keyword-stuffing" in (tmp_path / "ranking_quality.md").read_text()


def test_ndcg_reference_values():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "ranking_quality_bench2", ROOT / "benchmarks" / "ranking_quality.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.ndcg_at([3, 2, 1], [1, 2, 3], 3) == pytest.approx(1.0)
    worst = bench.ndcg_at([0, 0, 1], [1, 0, 0], 3)
    assert worst == pytest.approx(0.5)  # 1/log2(4) over 1/log2(2)
    assert bench.order_by([0.5, 0.9, 0.5], ["b", "c", "a"]) == [1, 2, 0]


# --------------------------------------------------------------------------- encoders and CLI


@pytest.mark.model
def test_multilingual_encoder_matches_across_languages():
    from matcher import MultilingualEncoder

    enc = MultilingualEncoder()
    v = enc.encode(["Project management", "Управление проектами", "", "Cooking pasta"])
    assert v.shape == (4, 512) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v[[0, 1, 3]], axis=1), 1.0, atol=1e-5)
    assert not v[2].any()
    assert v[0] @ v[1] > 0.7 > v[0] @ v[3]
    cfg = ScoringConfig.for_encoder(enc)
    assert cfg.relevance_threshold != ScoringConfig().relevance_threshold


@pytest.mark.model
def test_default_encoder_does_not_truncate_long_text(real_matcher):
    enc = real_matcher.encoder
    long_text = "Managed security projects. " * 200  # far beyond 256 word pieces
    v = enc.encode([long_text, long_text + " Cooked dinner for the team every evening."])
    assert v.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(v[0], v[1])  # the tail past the window still counts


def test_write_frame_formats(tmp_path):
    import pandas as pd

    from matcher.commands.common import write_frame
    from matcher.errors import UnsupportedFormatError

    frame = pd.DataFrame({"candidate_id": ["a", "=cmd|' /C calc'!A0"], "score": [0.5, 0.25]})
    for suffix in (".csv", ".json", ".xlsx", ".parquet"):
        write_frame(frame, str(tmp_path / f"r{suffix}"))
        assert (tmp_path / f"r{suffix}").stat().st_size > 0
    assert pd.read_parquet(tmp_path / "r.parquet")["score"].tolist() == [0.5, 0.25]
    # a CV file named like a formula never runs in a spreadsheet
    assert pd.read_csv(tmp_path / "r.csv")["candidate_id"].iloc[1].startswith("'=")
    with pytest.raises(UnsupportedFormatError, match=".csv"):
        write_frame(frame, str(tmp_path / "r.txt"))


@pytest.mark.model
def test_cli_rank_and_explain(tmp_path, capsys):
    import pandas as pd

    from matcher.cli import main

    cvs = [SAMPLES / f"sec821_{n}.txt" for n in ("master_qualified", "bachelor_short", "undated")]
    if not all(p.exists() for p in cvs):
        pytest.skip("sample CVs not found")
    missing = tmp_path / "nope.txt"
    out = tmp_path / "ranking.csv"
    assert main(["rank", str(SEED), *map(str, cvs), str(missing), "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    assert frame["candidate_id"].tolist()[0] == "sec821_master_qualified"
    assert frame["eligibility"].tolist() == ["eligible", "unknown", "ineligible", "error"]
    assert "SEC000821" in capsys.readouterr().out
    assert main(["explain", str(SEED), str(cvs[1])]) == 0
    text = capsys.readouterr().out
    assert "[FAIL] experience" in text and "total" in text


@pytest.mark.slow
@pytest.mark.model
def test_ranking_quality_benchmark_real(tmp_path, eval_dir):
    """The real run (cached embeddings make re-runs fast); matcher must beat every baseline on
    the stuffing attack and not fall below whole-document embeddings on graded relevance."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location(
        "ranking_quality_bench3", ROOT / "benchmarks" / "ranking_quality.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--pool-per-category", "20", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "ranking_quality.json").read_text())
    ferr = results["ferr"]["methods"]
    assert ferr["matcher"]["ndcg@10"] >= ferr["embed_doc"]["ndcg@10"] - 0.01
    attack = results["pool"]["stuffing_attack"]
    for method in ("tfidf", "bm25", "embed_doc"):
        assert attack["matcher"]["median_rank"] > attack[method]["median_rank"]

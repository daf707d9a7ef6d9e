"""Adverse-impact report: biased rankings are flagged, fair ones are not, small groups and unknowns
are reported as such, and the same report works on allocations."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from matcher import impact_report
from matcher.errors import ConfigError


def _ranking(order: list[str]) -> pd.DataFrame:
    """A ranking in the given order, with strictly decreasing scores."""
    n = len(order)
    return pd.DataFrame(
        {
            "candidate_id": order,
            "rank": range(1, n + 1),
            "score": [1 - i / n for i in range(n)],
            "eligibility": ["eligible"] * (n // 2) + ["ineligible"] * (n - n // 2),
        }
    )


def _pool(n_per_group: int = 50) -> tuple[list[str], list[str], pd.DataFrame]:
    women = [f"f{i:03d}" for i in range(n_per_group)]
    men = [f"m{i:03d}" for i in range(n_per_group)]
    groups = pd.DataFrame(
        {"candidate_id": women + men, "gender": ["female"] * n_per_group + ["male"] * n_per_group}
    )
    return women, men, groups


def _row(report: pd.DataFrame, attribute: str, group: str) -> pd.Series:
    hit = report[(report.attribute == attribute) & (report.group == group)]
    assert len(hit) == 1, (attribute, group)
    return hit.iloc[0]


def test_biased_ranking_is_flagged() -> None:
    women, men, groups = _pool()
    # the top 20: 16 men, 4 women; the rest interleaved
    order = (
        men[:16] + women[:4] + [x for pair in zip(women[4:], men[16:], strict=False) for x in pair]
    )
    order += women[4 + len(men[16:]) :]
    report = impact_report(_ranking(order), groups, selected=20)
    f, m = _row(report, "gender", "female"), _row(report, "gender", "male")
    assert (f.n, f.selected, m.n, m.selected) == (50, 4, 50, 16)
    assert f.selection_rate == pytest.approx(4 / 50) and m.selection_rate == pytest.approx(16 / 50)
    assert f.impact_ratio == pytest.approx(0.25) and m.impact_ratio == pytest.approx(1.0)
    assert f.four_fifths_flag and not m.four_fifths_flag
    assert m.reference and not f.reference
    assert f.significant and f.p_value < 0.01
    # women sit in the lower half of the scores too
    assert f.scoring_rate < m.scoring_rate and f.scoring_flag
    assert report.attrs["selection_rule"] == "top 20" and report.attrs["n_selected"] == 20


def test_fair_ranking_is_not_flagged() -> None:
    women, men, groups = _pool()
    order = [x for pair in zip(women, men, strict=True) for x in pair]
    report = impact_report(_ranking(order), groups, selected=20)
    assert not report.four_fifths_flag.any() and not report.scoring_flag.any()
    assert not report.significant.any()
    assert set(report.impact_ratio) == {1.0}


def test_intersectional_bias_invisible_on_single_attributes() -> None:
    ids = [f"c{i:03d}" for i in range(80)]
    gender = ["female", "male"] * 40
    region = (["east"] * 2 + ["west"] * 2) * 20
    groups = pd.DataFrame({"candidate_id": ids, "gender": gender, "region": region})
    # select exactly the female-east and male-west candidates
    chosen = [
        i
        for i, g, r in zip(ids, gender, region, strict=True)
        if (g, r) in {("female", "east"), ("male", "west")}
    ]
    report = impact_report(_ranking(ids), groups, selected=chosen)
    singles = report[report.attribute.isin(["gender", "region"])]
    assert not singles.four_fifths_flag.any()
    inter = report[report.attribute == "gender × region"]
    assert set(inter.group) == {"female × east", "female × west", "male × east", "male × west"}
    assert _row(report, "gender × region", "female × west").four_fifths_flag
    assert _row(report, "gender × region", "male × east").selection_rate == 0
    assert report.attrs["attribute_tests"]["gender × region"]["p_value"] < 1e-6


def test_small_groups_and_unknowns() -> None:
    women, men, groups = _pool(60)
    groups = groups[groups.candidate_id != "m000"].copy()  # m000 missing from the groups table
    groups.loc[groups.candidate_id == "m001", "gender"] = None  # and one blank
    groups.loc[groups.candidate_id == "f000", "gender"] = "nonbinary"  # 1 of 120: under 2 %
    order = ["f000"] + [x for pair in zip(women[1:], men, strict=False) for x in pair] + men[59:]
    report = impact_report(_ranking(order), groups, selected=30)
    unknown = _row(report, "gender", "unknown")
    assert unknown.n == 2 and "not recorded" in unknown.note
    small = _row(report, "gender", "nonbinary")
    assert small.small_group and small.selected == 1 and small.selection_rate == 1.0
    assert not small.four_fifths_flag and not small.reference and "under 2%" in small.note
    # the reference is the best of the groups that count, not the one-person group
    assert _row(report, "gender", "female").impact_ratio <= 1.0
    assert report.attrs["n_unknown"] == {"gender": 2}
    assert report.n[report.attribute == "gender"].sum() == 120


def test_small_sample_uses_fisher() -> None:
    ids = [f"c{i}" for i in range(12)]
    groups = {cid: ("a" if i < 6 else "b") for i, cid in enumerate(ids)}
    report = impact_report(_ranking(ids), groups, selected=5)  # 5 of group a, 0 of group b
    a, b = _row(report, "group", "a"), _row(report, "group", "b")
    assert a.test == "fisher"
    assert a.p_value == pytest.approx(stats.fisher_exact([[5, 1], [0, 6]]).pvalue)
    assert b.impact_ratio == 0.0 and b.four_fifths_flag


def test_selection_rules() -> None:
    women, men, groups = _pool(10)
    frame = _ranking(women + men)  # first 10 eligible: all women
    by_eligibility = impact_report(frame, groups, selected="eligible")
    assert _row(by_eligibility, "gender", "male").selected == 0
    assert by_eligibility.attrs["selection_rule"] == "eligible"
    frame["shortlisted"] = frame.candidate_id.isin(men[:5] + women[:5])
    by_column = impact_report(frame, groups, selected="shortlisted")
    assert set(by_column.impact_ratio[by_column.attribute == "gender"]) == {1.0}
    # without 'rank', top k follows the score, ties broken by id
    no_rank = frame.drop(columns=["rank"]).sample(frac=1, random_state=0)
    top = impact_report(no_rank, groups, selected=3)
    assert _row(top, "gender", "female").selected == 3
    with pytest.raises(ConfigError, match="placed_in_preferences"):
        impact_report(frame, groups, selected="hired")
    with pytest.raises(ConfigError, match="not in the ranking"):
        impact_report(frame, groups, selected=["nobody"])


def test_allocations_placed_and_within_preferences() -> None:
    women, men, groups = _pool(5)
    alloc = pd.DataFrame(
        {
            "candidate_id": women + men,
            "opening": ["JPO-01", "JPO-02", "JPO-03", "JPO-04", None]
            + ["JPO-05", "JPO-06", "JPO-07", "JPO-08", "JPO-09"],
            "choice_rank": [None, None, 3, None, None] + [1, 1, 2, 1, 3],
            "fit": [0.4, 0.5, 0.3, 0.2, 0.1, 0.9, 0.8, 0.7, 0.85, 0.6],
        }
    )

    class FakeAllocation:  # anything with to_frame(), as matcher.Allocation has
        def to_frame(self) -> pd.DataFrame:
            return alloc

    placed = impact_report(FakeAllocation(), groups, score_column="fit")
    assert placed.attrs["selection_rule"] == "placed"
    assert _row(placed, "gender", "female").selected == 4
    assert not _row(placed, "gender", "female").four_fifths_flag  # 4/5 vs 5/5 = 0.8
    within = impact_report(alloc, groups, selected="placed_in_preferences", score_column="fit")
    f = _row(within, "gender", "female")
    assert (f.selected, f.impact_ratio, f.four_fifths_flag) == (1, 0.2, True)
    assert f.scoring_rate == 0.0  # every woman's fit is at or below the median


def test_bad_inputs_raise_config_errors() -> None:
    women, men, groups = _pool(3)
    frame = _ranking(women + men)
    with pytest.raises(ConfigError, match="duplicate"):
        impact_report(pd.concat([frame, frame]), groups, selected=2)
    with pytest.raises(ConfigError, match="empty"):
        impact_report(frame.iloc[:0], groups, selected=2)
    with pytest.raises(ConfigError):
        impact_report(frame, groups, selected=True)
    with pytest.raises(ConfigError, match="no 'cid' column"):
        impact_report(frame, groups, selected=2, id_column="cid")


def test_cli_impact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from matcher.cli import main

    women, men, groups = _pool(25)
    order = men[:10] + women[:2] + men[10:] + women[2:]
    _ranking(order).to_csv(tmp_path / "ranking.csv", index=False)
    groups.to_csv(tmp_path / "groups.csv", index=False)
    out = tmp_path / "impact.csv"
    code = main(
        [
            "impact",
            str(tmp_path / "ranking.csv"),
            "--groups",
            str(tmp_path / "groups.csv"),
            "--selected-top",
            "12",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "gender = female: impact ratio 0.20" in printed
    written = pd.read_csv(out)
    assert list(written.group) == ["female", "male"]
    assert main(["impact", str(tmp_path / "ranking.csv"), "--groups", "missing.csv"]) == 1
    assert (
        main(
            [
                "impact",
                str(tmp_path / "ranking.csv"),
                "--groups",
                str(tmp_path / "groups.csv"),
                "--selected",
                "eligible",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["selection_rule"] == "eligible"


# --------------------------------------------------------------------------- sensitivity


@pytest.fixture(scope="module")
def toy_pool():
    import dataclasses
    import sys
    from datetime import date

    sys.path.insert(0, str(Path(__file__).parent))
    from toy_encoder import ToyEncoder

    import matcher

    root = Path(__file__).resolve().parents[1]
    vacancy = matcher.load_vacancy(
        root / "data" / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"
    )
    cvs = matcher.load_cvs(root / "data" / "cvs", reference_date=date(2025, 7, 31))
    if len(cvs.profiles) < 20:
        pytest.skip("sample CVs not found")
    encoder = ToyEncoder()
    config = dataclasses.replace(matcher.ScoringConfig(), weight_languages=0.0)
    return matcher.Matcher(encoder=encoder, config=config), vacancy, cvs


def test_sensitivity_agrees_with_independent_rankings(toy_pool) -> None:
    import dataclasses

    from matcher import Matcher, sensitivity_report

    m, vacancy, cvs = toy_pool
    k = 5
    report = sensitivity_report(m, vacancy, cvs, k=k)
    weights = [f"weight_{n}" for n in m.config.weights()]
    assert list(report.parameter) == [p for p in [*weights, "relevance_threshold"] for _ in "+-"]
    base = m.rank(vacancy, cvs).set_index("candidate_id")
    assert report.attrs["top_k"] == tuple(base.index[:k])
    for row in report.itertuples():
        if row.old_value == 0:
            assert row.topk_changed == 0 and "weight is 0" in row.note
            continue
        cfg = dataclasses.replace(m.config, **{row.parameter: row.new_value})
        other = Matcher(encoder=m.encoder, config=cfg).rank(vacancy, cvs).set_index("candidate_id")
        top = list(other.index[:k])
        assert set(row.entered) == set(top) - set(base.index[:k]), row.parameter
        assert set(row.left) == set(base.index[:k]) - set(top), row.parameter
        assert row.topk_changed == len(row.left)
        flipped = {
            cid for cid in base.index if base.at[cid, "eligibility"] != other.at[cid, "eligibility"]
        }
        assert {f.split(":")[0] for f in row.eligibility_flips} == flipped, row.parameter
    # a lower relevance bar lets more positions count: someone must become eligible through it
    lower = report[(report.parameter == "relevance_threshold") & (report.direction == "-20%")]
    assert any("experience: fail -> pass" in f for f in lower.eligibility_flips.iloc[0])


def test_sensitivity_bad_options(toy_pool) -> None:
    from matcher import sensitivity_report

    m, vacancy, cvs = toy_pool
    with pytest.raises(ConfigError):
        sensitivity_report(m, vacancy, cvs, k=0)
    with pytest.raises(ConfigError):
        sensitivity_report(m, vacancy, cvs, delta=1.5)
    with pytest.raises(ConfigError, match="no readable CV"):
        sensitivity_report(m, vacancy, [])


def test_real_allocation_object() -> None:
    """matcher.allocate's Allocation goes in as it is: placement is the selection, fit the score."""
    from matcher import allocate

    ids = [f"c{i}" for i in range(8)]
    openings = ["JPO-01", "JPO-02", "JPO-03", "JPO-04"]
    # group a fits every opening better; everyone wants JPO-01 first
    fit = pd.DataFrame(
        [[0.9 - 0.01 * j] * 4 if i < 4 else [0.3 - 0.01 * j] * 4 for i, j in enumerate(range(8))],
        index=ids,
        columns=openings,
    )
    prefs = {c: ["JPO-01", "JPO-02", "JPO-03"] for c in ids}
    allocation = allocate(prefs, fit)
    groups = {c: ("a" if i < 4 else "b") for i, c in enumerate(ids)}
    report = impact_report(allocation, groups)
    assert report.attrs["selection_rule"] == "placed"
    assert report.attrs["score_column"] == "fit"
    a, b = _row(report, "group", "a"), _row(report, "group", "b")
    assert (a.n, b.n) == (4, 4)
    assert a.selected + b.selected == len(openings)
    assert a.selected == 4 and b.selected == 0 and b.four_fifths_flag
    within = impact_report(allocation, groups, selected="placed_in_preferences")
    assert _row(within, "group", "a").selected == sum(
        allocation.choice_rank[c] is not None for c in ids[:4]
    )


def test_cli_impact_output_cannot_inject_formulas(tmp_path: Path) -> None:
    from matcher.cli import main

    ranking = pd.DataFrame({"candidate_id": ["a", "b"], "score": [0.9, 0.1], "rank": [1, 2]})
    ranking.to_csv(tmp_path / "r.csv", index=False)
    groups = pd.DataFrame({"candidate_id": ["a", "b"], "team": ['=HYPERLINK("http://x")', "+1"]})
    groups.to_csv(tmp_path / "g.csv", index=False)
    out = tmp_path / "impact.csv"
    args = ["impact", str(tmp_path / "r.csv"), "--groups", str(tmp_path / "g.csv")]
    assert main([*args, "--selected-top", "1", "--out", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in written and "'+1" in written
    assert "\n=" not in written and ",=" not in written

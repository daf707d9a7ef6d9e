"""Declarations (licence, fitness, hardship, nationality ...) never make a CV verdict unknown;
an answers file settles them. On a real notice (ion17) and real PDF resumes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.batch import rank_pool
from matcher.errors import InputError, UnsupportedFormatError
from matcher.features.cv import parse_cv
from matcher.features.requirements import OTHER_CATEGORIES
from matcher.features.vacancy import load_vacancy
from matcher.scoring.declarations import (
    declaration_item,
    declaration_items,
    load_answers,
    settle_frame,
)
from matcher.scoring.matcher import Matcher, result_row
from tests.toy_encoder import ToyEncoder

ION17 = "vacancies/io_notices/ion17_osce_chief-communication-and-media-relations-unit-s3.txt"
PDFS = ("CONSULTANT_31016926", "PUBLIC-RELATIONS_10070224", "ACCOUNTANT_10554236")


@pytest.fixture(scope="module")
def ion17(eval_dir: Path):
    return load_vacancy(eval_dir / ION17)


@pytest.fixture(scope="module")
def profiles(eval_dir: Path):
    return [parse_cv(eval_dir / "resumes" / "pdf" / f"{name}.pdf") for name in PDFS]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ToyEncoder())


def test_every_condition_category_is_classified():
    # the extractor's categories of hard conditions: each is CV-checkable or a declaration
    for category in OTHER_CATEGORIES:
        if category == "experience limit":
            assert declaration_item(category) is None  # a CV's dates show it
        else:
            assert declaration_item(category) in declaration_items(), category
    assert declaration_item("Driving_License") == "driving licence"
    assert declaration_item("degree") is None


def test_a_declaration_never_makes_a_cv_unknown(ion17, profiles, matcher):
    kinds = {o.category for o in ion17.requirements.other}
    assert {"driving licence", "hardship", "physical condition"} <= kinds
    for profile in profiles:
        result = matcher.score(ion17, profile)
        declared = [c for c in result.checks if c.basis == "declaration"]
        assert {c.kind for c in declared} >= {"driving licence", "hardship", "physical condition"}
        assert all(not c.mandatory and c.status == "unknown" for c in declared)
        row = result_row(result)
        assert "licen" not in row["unknown_checks"] and "hardship" not in row["unknown_checks"]
        assert row["to_confirm"].split("; ")[:3] == [
            "physical condition", "driving licence", "hardship",
        ]  # fmt: skip
        # the verdict is what the CV-checkable checks say
        cv_checks = [c for c in result.checks if c.mandatory]
        if all(c.status == "pass" for c in cv_checks):
            assert result.eligibility == "eligible"


def test_an_answers_file_settles_declarations(ion17, profiles, matcher, tmp_path):
    a, b, c = (p.id for p in profiles)
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "candidate_id,item,answer\n"
        f"{a},driving licence,no\n"
        f"{b},driving_licence,yes\n{b},Hardship,YES\n{b},physical condition,y\n",
        encoding="utf-8",
    )
    plain = matcher.rank(ion17, profiles)
    frame, results, _ = matcher.rank_detailed(ion17, profiles, answers=answers)
    by_id = {r.candidate_id: r for r in results}
    row = frame.set_index("candidate_id")
    # "no" fails the candidate, with that reason first in words a panel reads
    assert by_id[a].eligibility == "ineligible"
    assert row.loc[a, "failed_checks"].endswith(
        "driving licence: answered no on the application form"
    )
    assert "driving licence" not in row.loc[a, "to_confirm"]
    failed = [x for x in by_id[a].checks if x.status == "fail" and x.basis == "answer"]
    assert [x.kind for x in failed] == ["driving licence"]
    assert (
        "answered no" in by_id[a].explanation and "Eligibility: INELIGIBLE" in by_id[a].explanation
    )
    # "yes" confirms: nothing left to confirm, the CV verdict stands
    assert row.loc[b, "to_confirm"] == ""
    assert row.loc[b, "eligibility"] == plain.set_index("candidate_id").loc[b, "eligibility"]
    # no answers: unchanged
    before = plain.set_index("candidate_id")
    for col in ("eligibility", "failed_checks", "unknown_checks", "to_confirm", "score"):
        assert row.loc[c, col] == before.loc[c, col], col
    # the rows of a frame settled afterwards are those of the settled results
    settled = settle_frame(plain, load_answers(answers), vacancy_id=ion17.id).set_index(
        "candidate_id"
    )
    for r in results:
        expect = result_row(r)
        for col in ("eligibility", "failed_checks", "unknown_checks", "to_confirm"):
            assert settled.loc[r.candidate_id, col] == expect[col], col


def test_pool_applies_answers_as_rank_does(ion17, profiles, matcher, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps([{"candidate_id": profiles[0].id, "item": "hardship", "answer": "no",
                     "vacancy_id": ion17.id},
                    {"candidate_id": profiles[1].id, "item": "hardship", "answer": "no",
                     "vacancy_id": "another-post"}]),
        encoding="utf-8",
    )  # fmt: skip
    ranked = matcher.rank(ion17, profiles, answers=answers)
    pool = rank_pool(matcher, [ion17], profiles, answers=answers, progress=False)
    cols = ["candidate_id", "rank", "eligibility", "failed_checks", "to_confirm"]
    assert pool[cols].reset_index(drop=True).equals(ranked[cols].reset_index(drop=True))
    rows = ranked.set_index("candidate_id")
    assert rows.loc[profiles[0].id, "eligibility"] == "ineligible"
    assert "hardship" in rows.loc[profiles[1].id, "to_confirm"]  # answered for another post


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("candidate_id,item,answer\nX,driving licence,maybe\n", "line 2: answer 'maybe'"),
        (
            "candidate_id,item,answer\nX,driving licence,yes\nX,degree,yes\n",
            "line 3: item 'degree'",
        ),
        ("candidate_id,answer\nX,yes\n", "line 1: the header must name"),
        ("candidate_id,item,answer\n,hardship,no\n", "line 2: candidate_id is empty"),
        ("candidate_id,item,answer\nX,age,no\nX,age limit,yes\n", "line 3: contradicts line 2"),
    ],
)
def test_answers_file_errors_name_file_line_and_allowed_values(tmp_path, text, message):
    path = tmp_path / "answers.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_answers(path)
    assert str(path) in str(info.value) and message in str(info.value)
    if "maybe" in text:
        assert "yes, no" in str(info.value)
    if "degree" in text:
        assert "driving licence" in str(info.value)  # the allowed items are listed


def test_answers_file_format_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_answers(tmp_path / "missing.csv")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match=r"\.csv or \.json"):
        load_answers(tmp_path / "a.txt")
    (tmp_path / "a.json").write_text('{"x": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="list of objects"):
        load_answers(tmp_path / "a.json")
    (tmp_path / "b.json").write_text('[{"candidate_id": "X", "item": "age", "answer": "?"}]')
    with pytest.raises(InputError, match="entry 1: answer"):
        load_answers(tmp_path / "b.json")

"""The panel's command line: config keys, spreadsheet outputs."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
from conftest import DATA
from toy_encoder import ToyEncoder

import matcher
from matcher.batch import check_columns
from matcher.cli import main
from matcher.commands.common import write_frame
from matcher.scoring.config import ScoringConfig


def test_config_show_lists_every_key_with_default_and_meaning(capsys):
    assert main(["config", "--show"]) == 0
    out = capsys.readouterr().out
    for f in dataclasses.fields(ScoringConfig):
        line = f"{f.name} = {json.dumps(getattr(ScoringConfig(), f.name))}"
        assert line in out, f.name
    assert "a position counts towards an experience minimum" in out  # relevance_threshold
    assert main(["config", "--json"]) == 0
    assert ScoringConfig.from_dict(json.loads(capsys.readouterr().out)) == ScoringConfig()


def test_csv_scores_are_rounded(tmp_path):
    frame = pd.DataFrame({"candidate_id": ["a"], "score": [0.8108591999999999], "rank": [1]})
    path = write_frame(frame, tmp_path / "r.csv")
    assert "0.8109" in path.read_text() and "0.81085" not in path.read_text()


def test_excel_shortlist_has_one_column_per_check(tmp_path):
    pytest.importorskip("openpyxl")
    vacancy = matcher.load_vacancy(
        DATA / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"
    )
    frame, results, _ = matcher.Matcher(encoder=ToyEncoder()).rank_detailed(
        vacancy, matcher.load_cvs(DATA / "cvs")
    )
    table = check_columns(frame, results)
    checks = [c for c in table.columns if c.startswith("check: ")]
    kinds = {c.kind for r in results for c in r.checks}
    assert {c.split(":")[1].strip() for c in checks} == kinds
    assert set(table[checks].to_numpy().ravel()) <= {"pass", "fail", "unknown", ""}
    # the columns agree with the verdict: an ineligible row fails a mandatory check
    for _, row in table[table.eligibility == "ineligible"].iterrows():
        assert any(row[c] == "fail" for c in checks if not c.endswith("(asset)"))
    back = pd.read_excel(write_frame(table, tmp_path / "shortlist.xlsx"))
    assert list(back.columns) == list(table.columns)

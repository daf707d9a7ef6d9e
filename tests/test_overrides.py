"""Overrides that count: checked against the run, applied to the ranking, shown in the report."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import DATA
from toy_encoder import ToyEncoder

import matcher
import matcher.audit
from matcher.audit import AuditLog, read_overrides
from matcher.batch import apply_overrides
from matcher.cli import main
from matcher.errors import AuditError, ConfigError, InputError

NOTICE = DATA / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    vacancy = matcher.load_vacancy(NOTICE)
    m = matcher.Matcher(encoder=ToyEncoder())
    frame, results, profiles = m.rank_detailed(vacancy, matcher.load_cvs(DATA / "cvs"),
                                               audit=AuditLog(log_path))  # fmt: skip
    return vacancy, frame, results, log_path


def test_override_of_unknown_candidate_is_refused(run, capsys):
    _, _, _, log_path = run
    with pytest.raises(AuditError, match="'NOBODY_XYZ' is not in run"):
        AuditLog(log_path).record_override("NOBODY_XYZ", "reject", "not a candidate")
    assert main(["audit", "override", str(log_path), "NOBODY_XYZ", "--decision", "reject",
                 "--reason", "typo"]) == 1  # fmt: skip
    assert "NOBODY_XYZ" in capsys.readouterr().err
    assert read_overrides(log_path) == ()


def test_unknown_decision_is_refused(run):
    _, frame, _, log_path = run
    with pytest.raises(ConfigError, match="write one of: shortlist"):
        AuditLog(log_path).record_override(frame.candidate_id.iloc[0], "maybe", "unsure")


def test_applied_override_moves_the_candidate_and_shows_who_and_why(run, tmp_path):
    vacancy, frame, results, log_path = run
    log = tmp_path / "log.jsonl"
    log.write_bytes(log_path.read_bytes())
    (tmp_path / "log.jsonl.head").write_bytes(log_path.with_name("audit.jsonl.head").read_bytes())
    top = frame.candidate_id.iloc[0]
    last_ineligible = frame[frame.eligibility == "ineligible"].candidate_id.iloc[-1]
    assert main(["audit", "override", str(log), top, "--decision", "reject", "--reason",
                 "degree not recognised by the panel", "--actor", "panel-chair"]) == 0  # fmt: skip
    AuditLog(log).record_override(last_ineligible, "shortlist", "equivalent field experience",
                                  actor="hr-2")  # fmt: skip
    decided = apply_overrides(frame, read_overrides(log, vacancy_id=vacancy.id))
    row = decided.set_index("candidate_id")
    assert row.loc[top, "eligibility"] == "ineligible"
    assert row.loc[top, "computed_eligibility"] == "eligible"
    assert row.loc[top, "decided_by"] == "panel-chair"
    assert row.loc[last_ineligible, "eligibility"] == "eligible"
    assert row.loc[last_ineligible, "decision"] == "shortlist"
    # the ranking applies them: the rejected top candidate falls below every eligible one
    assert row.loc[top, "rank"] > (decided.eligibility == "eligible").sum()
    untouched = decided[decided.decision == ""]
    assert list(untouched.eligibility) == list(untouched.computed_eligibility)
    page = matcher.render_report(vacancy, results, ranking=decided)
    assert "Panel decision: reject" in page and "degree not recognised by the panel" in page
    assert "panel-chair" in page and "2 panel decision(s)" in page


def test_overrides_table_is_checked_with_its_line(run, tmp_path):
    vacancy, frame, _, _ = run
    table = tmp_path / "decisions.csv"
    table.write_text(
        "candidate_id,decision,reason,actor\n"
        f"{frame.candidate_id.iloc[1]},interview,strong field work,hr-2\n"
        "NOBODY_XYZ,reject,no such person,hr-2\n"
    )
    with pytest.raises(InputError, match="line 3: the decision about 'NOBODY_XYZ' names no"):
        apply_overrides(frame, read_overrides(table))
    table.write_text(
        "candidate_id,decision,reason\n" f"{frame.candidate_id.iloc[1]},promote,because\n"
    )
    with pytest.raises(ConfigError, match="line 2: decision 'promote' is not allowed"):
        read_overrides(table)


def test_impact_report_runs_on_the_final_decisions(run):
    vacancy, frame, _, _ = run
    eligible = list(frame[frame.eligibility == "eligible"].candidate_id)
    assert eligible
    decisions = [
        matcher.audit.Override(cid, "reject", "panel review") for cid in eligible
    ]
    decided = apply_overrides(frame, decisions)
    groups = pd.DataFrame({"candidate_id": frame.candidate_id,
                           "group": ["a" if i % 2 else "b" for i in range(len(frame))]})
    before = matcher.impact_report(frame, groups, selected="eligible")
    after = matcher.impact_report(decided, groups, selected="eligible")
    assert before["selected"].sum() > 0
    assert after["selected"].sum() == 0  # every selection was overridden

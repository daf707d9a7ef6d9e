"""``matcher demo`` end to end, as ``make demo`` runs it: run once, check what it wrote and said.

The run uses the real model (one pass over the 34 sample CVs) with an embedding cache in a
temporary folder, so the test never touches the user's cache and always encodes from scratch.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
from fnmatch import fnmatch
from pathlib import Path

import pytest

from matcher.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CVS = DATA / "cvs"
VACANCY_ID = "SEC000821"
NOT_CVS = ("README*", "*.py", "*.csv", ".*")  # the sample folder's documentation and generator


def _run(argv: list[str], cache: Path) -> tuple[int, str, str]:
    """``matcher`` with ``argv``: (exit code, stdout, stderr), the embedding cache in ``cache``."""
    out, err = io.StringIO(), io.StringIO()
    old = os.environ.get("MATCHER_CACHE_DIR")
    os.environ["MATCHER_CACHE_DIR"] = str(cache)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        if old is None:
            os.environ.pop("MATCHER_CACHE_DIR", None)
        else:
            os.environ["MATCHER_CACHE_DIR"] = old
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """One run of the demo into a temporary --out: (exit code, stdout, out dir)."""
    out = tmp_path_factory.mktemp("demo_out")
    code, stdout, _ = _run(["demo", "--out", str(out)], tmp_path_factory.mktemp("demo_cache"))
    return code, stdout, out


def _ranking(out: Path) -> list[dict[str, str]]:
    with open(out / f"ranking_{VACANCY_ID}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _sample_cv_files() -> list[Path]:
    return [
        p
        for p in sorted(CVS.iterdir())
        if p.is_file() and not any(fnmatch(p.name, g) for g in NOT_CVS)
    ]


@pytest.mark.model
def test_demo_writes_every_output(demo):
    code, stdout, out = demo
    assert code == 0
    for name in (
        f"ranking_{VACANCY_ID}.csv",
        f"shortlist_{VACANCY_ID}.html",
        "audit.jsonl",
        "allocation.csv",
    ):
        path = out / name
        assert path.is_file() and path.stat().st_size > 0, name
        assert str(path) in stdout, f"{name} missing from the list of files written"
    report = (out / f"shortlist_{VACANCY_ID}.html").resolve()
    assert f"Open the report in a browser: {report.as_uri()}" in stdout.splitlines()[-1]


@pytest.mark.model
def test_demo_ranks_every_sample_cv_file(demo):
    _, stdout, out = demo
    rows = _ranking(out)
    files = _sample_cv_files()
    assert len(files) >= 30  # the shipped sample
    assert len(rows) == len(files)
    assert sorted(r["candidate_id"] for r in rows) == sorted(p.stem for p in files)
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    # the counts printed are the counts of the file
    counts = {k: sum(r["eligibility"] == k for r in rows) for k in ("eligible", "unknown")}
    assert f"{counts['eligible']} eligible \u00b7 {counts['unknown']} unknown" in stdout


@pytest.mark.model
def test_demo_shows_the_top_candidates_in_ranking_order(demo):
    _, stdout, out = demo
    rows = _ranking(out)
    top = rows[0]["candidate_id"]
    # the qualified master's holder written for this notice leads the sample pool
    assert top == "sec821_master_qualified"
    ranked = re.findall(r"(?m)^ +\d+  (\S+) +(?:eligible|unknown|ineligible|error) ", stdout)
    assert ranked[:5] == [r["candidate_id"] for r in rows[:5]]
    assert top in (out / f"shortlist_{VACANCY_ID}.html").read_text(encoding="utf-8")
    # the reasons: duty evidence for the top, the failed check of the best ineligible candidate
    assert "best duty evidence" in stdout
    ineligible = next(r for r in rows if r["eligibility"] == "ineligible")
    assert f"failed: {ineligible['failed_checks'][:40]}" in stdout
    # keyword stuffing is called out
    stuffed = [r["candidate_id"] for r in rows if r["stuffing"] == "True"]
    assert "sec821_keyword_stuffing" in stuffed
    assert all(c in stdout for c in stuffed)


@pytest.mark.model
def test_demo_audit_log_verifies_and_a_one_byte_edit_does_not(demo, tmp_path):
    import matcher

    _, stdout, out = demo
    check = matcher.verify_audit_log(out / "audit.jsonl")
    assert check.ok, check.problems
    assert check.runs == 3  # the ranking, the JPO sample allocation, the sample CVs' allocation
    assert "verified, chain intact" in stdout
    log = (out / "audit.jsonl").read_bytes()
    # no CV text in the log: the top (genuine, not copied) CV's best evidence is absent
    top = _ranking(out)[0]["top_evidence"]
    sentence = top.split(" | ")[0].split(" ", 1)[1][:60]
    assert len(sentence) > 30 and sentence.encode("utf-8") not in log
    copy = tmp_path / "audit.jsonl"
    shutil.copy(out / "audit.jsonl.head", tmp_path / "audit.jsonl.head")
    i = log.index(b'"eligible"') + 2
    copy.write_bytes(log[:i] + bytes([log[i] ^ 1]) + log[i + 1 :])
    assert not matcher.verify_audit_log(copy).ok


@pytest.mark.model
def test_demo_allocation_places_every_candidate(demo):
    _, stdout, out = demo
    with open(out / "allocation.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(DATA / "jpo" / "preferences.csv", encoding="utf-8", newline="") as fh:
        candidates = {r["candidate_id"] for r in csv.DictReader(fh)}
    assert {r["candidate_id"] for r in rows} == candidates
    assert all(r["opening_id"] for r in rows)
    assert len({r["opening_id"] for r in rows}) == len(rows)  # one seat per opening
    firsts = sum(r["choice_rank"] == "1" for r in rows)
    assert f"1st {firsts} \u00b7" in stdout and "unplaced 0" in stdout


def test_demo_allocates_the_sample_cvs_by_their_shipped_preferences(demo):
    _, stdout, out = demo
    with open(DATA / "cvs" / "jpo_preferences.csv", encoding="utf-8", newline="") as fh:
        prefs = {r["candidate_id"]: r for r in csv.DictReader(fh)}
    with open(out / "allocation_sample_cvs.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["candidate_id"] for r in rows} == set(prefs)
    for r in rows:  # placed in a stated choice, or the rank says it is outside them
        chosen = [prefs[r["candidate_id"]][f"choice_{k}"] for k in (1, 2, 3)]
        if r["choice_rank"]:
            assert r["opening_id"] == chosen[int(r["choice_rank"]) - 1]
    assert f"{23 - len(rows)} of 23 openings vacant" in stdout


@pytest.mark.model
def test_demo_lists_unreadable_cvs_with_their_error(tmp_path):
    cvs = tmp_path / "cvs"
    cvs.mkdir()
    for name in ("sec821_master_qualified.txt", "sec821_bachelor_short.txt"):
        shutil.copy(CVS / name, cvs / name)
    (cvs / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not a PDF body\n")
    out = tmp_path / "out"
    code, stdout, _ = _run(
        ["demo", "--cvs", str(cvs), "--out", str(out), "--top", "1"], tmp_path / "cache"
    )
    assert code == 0
    rows = _ranking(out)
    assert len(rows) == 3
    broken = next(r for r in rows if r["candidate_id"] == "broken")
    assert broken["eligibility"] == "error" and broken["error"]
    assert "could not be read" in stdout and "broken.pdf" in stdout
    assert "broken" in (out / f"shortlist_{VACANCY_ID}.html").read_text(encoding="utf-8")


def test_demo_summarises_every_notice_before_ranking(tmp_path):
    """A bad --vacancy stops the demo with an error after the notices, before any model work."""
    brochure = DATA / "vacancies" / "osce-jpo-2024-2026-secretariat-openings.txt"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["demo", "--vacancy", str(brochure), "--out", str(tmp_path / "out")])
    assert code == 1
    assert "one notice" in err.getvalue() and brochure.name in err.getvalue()
    text = out.getvalue()
    assert "JPO brochure, 23 openings" in text
    assert "27 vacancies parsed from 5 files." in text
    # the SEC000821 requirements: degree routes with the substitution, years by level, languages
    line = next(i for i, s in enumerate(text.splitlines()) if s.strip().startswith("SEC000821"))
    reqs = " ".join(text.splitlines()[line + 1 : line + 3])
    assert "bachelor's +2y" in reqs and "4y with bachelor's" in reqs and "EN C1" in reqs
    assert not (tmp_path / "out").exists()  # nothing written before the ranking

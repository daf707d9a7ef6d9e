"""Requirements as a reviewed document: written, edited by a person, read back and checked."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import DATA
from toy_encoder import ToyEncoder

import matcher
from matcher.cli import main
from matcher.features.review import RequirementsFileError, load_requirements, write_requirements

NOTICE = DATA / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"


@pytest.fixture(scope="module")
def vacancy():
    return matcher.load_vacancy(NOTICE)


def _reviewed(tmp_path, vacancy, edit=lambda t: t, name="req.yaml"):
    path = write_requirements(vacancy, tmp_path / name)
    text = path.read_text(encoding="utf-8").replace("reviewed_by: ''", "reviewed_by: hr-officer-2")
    path.write_text(edit(text), encoding="utf-8")
    return path


def _bare(items):
    return [dataclasses.replace(i, evidence=None) for i in items]


def test_unedited_file_reads_back_as_the_extraction(tmp_path, vacancy):
    req = load_requirements(_reviewed(tmp_path, vacancy), vacancy)
    for name in ("education", "experience", "languages", "language_choices", "other",
                 "competencies"):  # fmt: skip
        assert _bare(getattr(req, name)) == _bare(getattr(vacancy.requirements, name)), name
    assert req.review.reviewed_by == "hr-officer-2"
    assert req.review.changes == ()


def test_json_file_reads_back_too(tmp_path, vacancy):
    path = _reviewed(tmp_path, vacancy, name="req.json")
    path.write_text(path.read_text().replace('"reviewed_by": ""', '"reviewed_by": "hr-9"'))
    assert load_requirements(path, vacancy).review.reviewed_by == "hr-9"


def test_edited_requirement_changes_its_verdicts_and_nothing_else(tmp_path, vacancy):
    # the panel adds a mandatory language the extraction did not have: Russian at B2
    def add_russian(text: str) -> str:
        return text.replace(
            "languages:\n",
            "languages:\n- {language: ru, level: B2, required: true, evidence: panel}\n",
            1,
        )

    path = _reviewed(tmp_path, vacancy, add_russian)
    edited = matcher.load_vacancy(NOTICE, requirements=path)
    assert edited.requirements.review.changes == ("added language: ru B2",)
    m = matcher.Matcher(encoder=ToyEncoder())
    cvs = matcher.load_cvs(DATA / "cvs")
    before = {r.candidate_id: r for r in m.rank_detailed(vacancy, cvs)[1]}
    after = {r.candidate_id: r for r in m.rank_detailed(edited, cvs)[1]}
    assert before.keys() == after.keys()
    changed = 0
    for cid, old in before.items():
        new = after[cid]
        assert new.score == old.score  # a hard requirement never moves the fit score
        other_old = [c for c in old.checks if c.kind != "language"]
        other_new = [c for c in new.checks if c.kind != "language"]
        assert [(c.requirement, c.status) for c in other_old] == [
            (c.requirement, c.status) for c in other_new
        ]
        russian = [c for c in new.checks if c.kind == "language" and c not in old.checks]
        assert russian, new.checks
        if new.eligibility != old.eligibility:
            changed += 1
            assert old.eligibility == "eligible"
            assert any(c.status != "pass" for c in russian)
    assert changed > 0  # some eligible candidates have no Russian


@pytest.mark.parametrize(
    ("edit", "line_word", "message"),
    [
        (lambda t: t.replace("- level: master", "- level: masters", 1), "education[1].level",
         "write one of: none, secondary"),
        (lambda t: t.replace("level: C1", "level: fluent", 1), "languages[1].level", "C1"),
        (lambda t: t.replace("  kind: ", "  knd: ", 1), "experience[1].knd", "unknown field"),
        (lambda t: t.replace("reviewed_by: hr-officer-2", "reviewed_by: ''"), "reviewed_by",
         "who reviewed"),
        (lambda t: t.replace("education:\n", "education:\n  - [broken\n", 1), "", "not valid YAML"),
    ],
)  # fmt: skip
def test_invalid_file_is_refused_with_its_line(tmp_path, vacancy, edit, line_word, message):
    path = _reviewed(tmp_path, vacancy, edit)
    with pytest.raises(RequirementsFileError) as err:
        load_requirements(path, vacancy)
    text = str(err.value)
    assert str(path) in text and "line " in text and line_word in text and message in text
    line = int(text.split("line ")[1].split(":")[0])
    assert 1 <= line <= len(path.read_text().splitlines())


def test_changes_are_listed_field_by_field(tmp_path, vacancy):
    def edit(text: str) -> str:
        text = text.replace("- level: master", "- level: doctorate", 1)
        return text.replace("competencies:\n", "competencies:\n- {text: Fluent in Pashto}\n", 1)

    changes = load_requirements(_reviewed(tmp_path, vacancy, edit), vacancy).review.changes
    assert any(c.startswith("changed education option 1") and "level master -> doctorate" in c
               for c in changes)  # fmt: skip
    assert "added competency: Fluent in Pashto" in changes
    assert len(changes) == 2  # nothing else moved


def test_file_for_another_notice_is_refused(tmp_path, vacancy):
    path = _reviewed(tmp_path, vacancy)
    other = matcher.load_vacancy(
        DATA / "vacancies" / "osce-associate-procurement-officer-SEC000847.txt"
    )
    with pytest.raises(RequirementsFileError, match="not for the notice"):
        load_requirements(path, other)


def test_cli_writes_and_uses_the_reviewed_file(tmp_path, capsys):
    out = tmp_path / "req.yaml"
    assert main(["requirements", str(NOTICE), "--out", str(out)]) == 0
    assert "reviewed_by" in out.read_text()
    # not reviewed yet: refused
    assert main(["rank", str(NOTICE), str(DATA / "cvs" / "jpo_phd_candidate.txt"),
                 "--requirements", str(out), "--no-cache"]) == 1  # fmt: skip
    assert "reviewed_by" in capsys.readouterr().err


def test_report_and_audit_log_say_who_reviewed_and_what_changed(tmp_path, vacancy):
    path = _reviewed(
        tmp_path, vacancy, lambda t: t.replace("- level: master", "- level: doctorate", 1)
    )
    edited = matcher.load_vacancy(NOTICE, requirements=path)
    m = matcher.Matcher(encoder=ToyEncoder())
    log = matcher.AuditLog(tmp_path / "audit.jsonl")
    frame, results, _ = m.rank_detailed(edited, matcher.load_cvs(DATA / "cvs"), audit=log)
    page = matcher.render_report(edited, results, ranking=frame)
    assert "Requirements reviewed by <strong>hr-officer-2</strong>" in page
    assert "level master -&gt; doctorate" in page
    records = [json.loads(line) for line in log.path.read_text().splitlines()]
    run = next(r for r in records if r["type"] == "run")
    review = run["extra"]["requirements_review"][edited.id]
    assert review["reviewed_by"] == "hr-officer-2" and len(review["changes"]) == 1

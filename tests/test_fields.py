"""Fields of study as ISCED-F 2013 codes, read from the one table in matcher/resources."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from matcher.features.degrees import find_degrees
from matcher.features.fields import field_codes, field_relation, isced_fields

ROOT = Path(__file__).resolve().parents[1]


def _relation(cv_field: str, notice_field: str) -> str | None:
    found = field_relation(field_codes(cv_field), field_codes(notice_field))
    return found[0] if found else None


@pytest.mark.parametrize(
    ("cv_field", "notice_field"),
    [
        ("Bachelor of Laws (LLB)", "law"),
        ("LL.B.", "international law"),
        ("Juris Doctor", "public law"),
        ("Diplom (Univ.) Politikwissenschaft", "political science"),
        ("Licence en droit", "law"),
        ("Бакалавр юриспруденции", "law"),
        ("Licenciatura en Ciencias Políticas", "political sciences"),
        ("Master of Public Administration", "public administration"),
        ("Volkswirtschaftslehre", "economics"),
        ("Relations internationales", "international relations"),
        ("Sociology", "social sciences"),  # inside the broad field the notice names
    ],
)
def test_same_field_across_languages_and_degree_titles(cv_field: str, notice_field: str) -> None:
    assert _relation(cv_field, notice_field) == "same"


def test_neighbouring_and_unrelated_fields() -> None:
    assert _relation("Psychology", "economics") == "narrow"  # both 031 Social and behavioural
    assert _relation("Journalism", "economics") == "broad"  # both 03 Social sciences
    assert _relation("MBA", "law") == "broad"  # both 04 Business, administration and law
    assert _relation("Chemistry", "law") is None
    # a generic degree name says nothing of the field; "law" inside "law enforcement" is not law
    assert field_codes("Bachelor of Arts") == ()
    assert field_codes("law enforcement") == ("1032",)


def test_table_has_every_level_and_named_codes() -> None:
    table = isced_fields()
    assert table["0421"].name == "Law"
    assert table["0312"].name == "Political sciences and civics"
    assert table["0311"].name == "Economics"
    assert table["0413"].name == "Management and administration"
    assert {f.level for f in table.values()} == {"broad", "narrow", "detailed"}
    for code in table:  # every narrow and detailed code sits under a broad one
        assert code[:2] in table


def test_degree_parser_reads_the_field_written_after_the_degree(eval_dir) -> None:
    """Real resume text rows: the field follows "Degree :" and precedes the school's name."""
    path = eval_dir / "resumes" / "livecareer_resumes_2484.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = {r["ID"]: r["Resume_str"] for r in csv.DictReader(fh)}
    degrees, _ = find_degrees(rows["10332998"])
    fields = {d.evidence.text: d.field for d in degrees if d.evidence is not None}
    assert fields["J.D."] == "Law"
    assert "Criminal Justice" in fields.values()
    degrees, _ = find_degrees(rows["25926667"])
    top = max(degrees, key=lambda d: d.level or 0)
    assert top.field.startswith("Public Administration")
    assert "Baruch" not in top.field
    assert field_codes(top.field) == ("0413",)


def _judge(cv_text: str, option):
    """The education check of a CV text against one option, fields read by the taxonomy only
    (zero vectors: no encoder similarity at all)."""
    import numpy as np

    from matcher.features.cv import parse_cv
    from matcher.features.sentences import scorable_of
    from matcher.scoring.eligibility import education_check
    from matcher.scoring.fit import field_fits

    profile = parse_cv(cv_text, candidate_id="c")
    cand = scorable_of(profile).fields
    fits = field_fits(
        cand, option.fields, np.zeros((len(cand), 4)), np.zeros((len(option.fields), 4)),
        floor=0.15, ceiling=0.7,
    )  # fmt: skip
    return education_check((option,), profile, field_fits=fits)[0]


def test_llb_fits_law_and_a_german_diplom_fits_political_science() -> None:
    from matcher.types import EducationOption

    law = EducationOption(6, ("law", "international relations"), related_fields=True)
    cv = "Jane Doe\n\nEDUCATION\nBachelor of Laws (LLB), University of Leeds, 2010\n"
    check = _judge(cv, law)
    assert check.status == "pass", check.reason
    assert "Law, named in the notice" in check.reason
    politics = EducationOption(7, ("political science",), related_fields=False)
    check = _judge("Max Muster\n\nAUSBILDUNG\n2004 Diplom (Univ.) Politikwissenschaft\n", politics)
    assert check.status == "pass", check.reason
    # a neighbour is left to the similarity (none here): economics and political science share
    # a narrow field, business and law a broad one, and neither pair fits by the taxonomy alone;
    # both sides placed by the table and not similar is a finding, not a question
    cv = "A. N. Other\n\nEDUCATION\nMaster of Arts in Economics, 2011\n"
    related = EducationOption(7, ("political science",), related_fields=True)
    check = _judge(cv, related)
    assert check.status == "fail", check.reason
    assert check.reason.startswith("field 'Economics' (Economics) is not one of the fields named")
    social = EducationOption(7, ("social sciences",), related_fields=True)
    assert _judge(cv, social).status == "pass"  # economics is a social science
    media = "A. N. Other\n\nEDUCATION\nMaster of Arts in Journalism, 2011\n"
    assert _judge(media, social).status == "fail"  # journalism is not
    business = "A. N. Other\n\nEDUCATION\nMaster of Business Administration, 2011\n"
    check = _judge(business, EducationOption(7, ("law",), related_fields=True))
    assert check.status == "fail" and "not one of the fields named (law)" in check.reason
    # a field the table cannot place is left for a person to verify
    general = "A. N. Other\n\nEDUCATION\nMaster of Arts in General Studies, 2011\n"
    check = _judge(general, related)
    assert check.status == "unknown" and "to verify" in check.reason


def test_the_degree_judged_is_the_degree_quoted(eval_dir) -> None:
    """A real PDF against a real notice: the master's is judged and quoted, not the bachelor."""
    from toy_encoder import ToyEncoder

    from matcher import Matcher

    notice = next((eval_dir / "vacancies" / "io_notices").glob("ion23_*.txt"))
    result = Matcher(ToyEncoder()).score(notice, eval_dir / "resumes/pdf/ARTS_25926667.pdf")
    edu = next(c for c in result.checks if c.kind == "education")
    assert "Master of Public Administration" in edu.reason
    assert "Professional Studies" not in edu.reason
    assert [e.text for e in edu.cv_evidence] == ["Master of Public Administration"]


def test_prefiltered_term_matching_equals_the_full_alternation() -> None:
    """Only terms whose literal start occurs in a text are put in its regex; that must find what
    the alternation of every term finds, on real resume lines and whole resumes."""
    import pandas as pd

    from matcher.features import fields

    texts = [
        "Bachelor of Laws (LLB)", "Diplom (Univ.) Politikwissenschaft", "J.D., law enforcement",
        "Master of Public Administration", "MBA, Finance", "Associate Attorney", "",
    ]
    csv_path = ROOT.parent / "shared" / "eval" / "resumes" / "livecareer_resumes_2484.csv"
    if csv_path.exists():
        frame = pd.read_csv(csv_path).dropna(subset=["Resume_str"]).head(6)
        for resume in frame.Resume_str:
            texts.append(resume[:2500])
            texts.extend(line for line in resume.splitlines()[:30] if line.strip())
    for text in texts:
        assert fields.term_matches(text) == fields.term_matches(text, plain=True), text

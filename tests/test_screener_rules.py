"""Screening rules read off real resumes the way a screener reads them (issue 19).

Each test runs a real PDF (``../shared/eval/resumes/pdf/``) or a resume line through the parser
and the check it is about; the notices are real (``data/vacancies``) or one sentence long.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matcher.features.cv import parse_cv
from matcher.features.degrees import find_degrees, highest_completed_level
from matcher.features.requirements import extract_requirements
from matcher.features.roles import in_domain
from matcher.features.sentences import scorable_of
from matcher.scoring.eligibility import education_check
from matcher.scoring.fit import field_fits
from matcher.types import Position

ROOT = Path(__file__).resolve().parents[1]
SEC821 = ROOT / "data" / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"


def _education(profile, options):
    """The education check with fields read by the taxonomy only (zero vectors: no encoder)."""
    cand = scorable_of(profile).fields
    names = tuple(dict.fromkeys(f for o in options for f in o.fields))
    fits = field_fits(
        cand, names, np.zeros((len(cand), 4)), np.zeros((len(names), 4)), floor=0.15, ceiling=0.7
    ) if names else ()  # fmt: skip
    return education_check(tuple(options), profile, field_fits=fits)


@pytest.fixture(scope="module")
def sec821_options():
    from matcher.features.vacancy import load_vacancy

    return load_vacancy(SEC821).requirements.education


def _pdf(eval_dir: Path, name: str):
    path = eval_dir / "resumes" / "pdf" / name
    if not path.exists():
        pytest.skip(f"real resume not found: {path}")
    return parse_cv(path, reference_date="2025-07-31")


def test_a_field_placed_outside_the_notice_fields_fails(eval_dir, sec821_options) -> None:
    """B.S. Computer Information Systems against security / social science / law: the taxonomy
    places both sides, they do not meet, so the finding is a fail, not 'to verify'."""
    check, _ = _education(_pdf(eval_dir, "BANKING_10329506.pdf"), sec821_options)
    assert check.status == "fail", check.reason
    assert check.reason.startswith("field 'Computer Information Systems'"), check.reason
    assert "not one of the fields named" in check.reason


def test_a_field_the_table_cannot_place_stays_to_verify(sec821_options) -> None:
    cv = "A. N. Other\n\nEDUCATION\nBachelor of Arts in Xyzzology, 2011\n"
    check, _ = _education(parse_cv(cv, candidate_id="c"), sec821_options)
    assert check.status == "unknown" and "to verify" in check.reason


def test_an_mba_is_business_administration_whatever_its_concentration(
    eval_dir, sec821_options
) -> None:
    """'MBA, Finance' fits 'public administration ... or related field' as business
    administration (the same ISCED-F detailed field), as the screener reads it."""
    check, _ = _education(_pdf(eval_dir, "FINANCE_15011085.pdf"), sec821_options)
    assert check.status == "pass", check.reason
    assert "MBA" in check.reason
    # the finance bachelor alone does not
    finance = "A. N. Other\n\nEDUCATION\nBachelor of Science : Finance , 2004\n"
    check, _ = _education(parse_cv(finance, candidate_id="c"), sec821_options)
    assert check.status == "fail", check.reason


def test_credits_toward_a_degree_are_not_a_degree() -> None:
    line = "Attended Husson College, major Accounting 78 semester hours toward Bachelors degree."
    degrees, warnings = find_degrees(line, in_education=True)
    assert degrees and highest_completed_level(degrees) is None
    assert any("in progress" in w for w in warnings)
    held, _ = find_degrees("Bachelor of Arts : Economics , 2005", in_education=True)
    assert highest_completed_level(held) == 6
    # the words mark the degree named after them, not one earned before them on the line
    both = "Associates Degree with 2yrs credit towards Bachelors Degree"
    assert highest_completed_level(find_degrees(both, in_education=True)[0]) == 5
    diploma = "High School Diploma, 1997 Ocean Lakes High School. Attended Tidewater College"
    assert highest_completed_level(find_degrees(diploma, in_education=True)[0]) == 3


def test_an_education_section_without_a_degree_is_a_finding(eval_dir, sec821_options) -> None:
    """Trade-school coursework only: the CV lists its education and it holds no degree."""
    profile = _pdf(eval_dir, "ENGINEERING_44624796.pdf")
    assert profile.education_text and profile.highest_level is None
    check, _ = _education(profile, sec821_options)
    assert check.status == "fail", check.reason
    assert check.reason.startswith("no university degree")
    # a CV with no education section at all is missing data, not a finding
    bare = parse_cv("A. N. Other\n\nEXPERIENCE\nClerk, 2001 - 2005\n", candidate_id="c")
    check, _ = _education(bare, sec821_options)
    assert check.status == "unknown" and check.basis == "missing"


def test_equivalent_experience_route_counts_the_years_of_the_missing_degree() -> None:
    """'An advanced degree in law ... or equivalent professional experience': a relevant
    bachelor's stands in with two more years, no relevant degree with six."""
    from matcher.scoring.eligibility import required_years

    req = extract_requirements(
        "Requirements:\nAdvanced university degree in law, political science or international "
        "relations or equivalent professional experience.\nMinimum of 8 years of relevant "
        "professional experience.\n"
    )
    assert any(o.min_level is None and o.route == "experience" for o in req.education)
    law_ba = parse_cv("A\n\nEDUCATION\nBachelor of Laws (LLB), 2005\n", candidate_id="a")
    check, route = _education(law_ba, req.education)
    assert check.status == "pass", check.reason
    assert required_years(req.experience[0], route) == 10
    chem_ma = parse_cv("B\n\nEDUCATION\nMaster of Science in Chemistry, 2005\n", candidate_id="b")
    check, route = _education(chem_ma, req.education)
    assert check.status == "pass", check.reason
    assert required_years(req.experience[0], route) == 14
    law_ma = parse_cv("C\n\nEDUCATION\nMaster of Laws (LLM), 2005\n", candidate_id="c")
    check, route = _education(law_ma, req.education)
    assert check.status == "pass" and required_years(req.experience[0], route) == 8


def test_duties_that_name_the_field_place_a_position_in_it() -> None:
    comms = ("0321",)
    consultant = Position(
        "Consultant", "Company Name",
        description=(
            "Led the corporate communications workstream.\n"
            "Executed strategic communications activities for a merger.\n"
            "Built the project plan and budget.\nManaged a team of 4 analysts.\n"
        ),
    )  # fmt: skip
    assert in_domain(consultant, comms)
    in_passing = Position(
        "Account Manager", "Company Name",
        description=(
            "Managed 40 client accounts.\nPrepared monthly sales reports.\n"
            "Trained new staff on the ordering system.\nResolved billing disputes.\n"
            "Negotiated renewals with key clients.\nUsed effective communication with clients.\n"
            "Tracked orders in the ERP system.\nOrganised the annual sales meeting.\n"
            "Reduced overdue invoices by 20 percent.\nMentored two junior account managers.\n"
        ),
    )  # fmt: skip
    assert not in_domain(in_passing, comms)  # one sentence of ten says "communication"
    # a wider field of the position ("business") is not the narrower one the post names
    business = Position("Business Development Manager", "Company Name")
    assert not in_domain(business, ("0414",))
    assert in_domain(Position("Marketing Manager", "Company Name"), ("0414",))


def test_a_post_asking_for_management_degrees_counts_management_work() -> None:
    """A notice that accepts degrees in business administration or human resources works in
    management itself: a programme manager's years are in its field. A communications post's
    are not, and 'management' alone never places work in a field."""
    from matcher.features.roles import MANAGEMENT_FIELD, post_domain

    generalist = post_domain(
        "Head of Programme Co-ordination",
        ["international relations", "law", "business administration", "human resources"],
    )
    assert MANAGEMENT_FIELD in generalist
    assert in_domain(Position("Program Manager", "Company Name"), generalist)
    comms = post_domain("Chief, Communication and Media Relations Unit", ["journalism"])
    assert MANAGEMENT_FIELD not in comms
    assert not in_domain(Position("Program Manager", "Company Name"), comms)
    assert in_domain(Position("Public Relations Manager", "Company Name"), comms)


def test_a_training_route_is_shown_by_the_education_listed_or_fails() -> None:
    """'Graduation from a recognized police training school' with no degree asked: a CV whose
    education names a police academy leaves it to verify; one that shows none fails on it."""
    req = extract_requirements(
        "Education:\nGraduation from a recognized police training school.\n"
        "Experience:\nMinimum 10 years of diversified police experience.\n"
    )
    assert req.education and all(o.min_level is None for o in req.education)
    academy = parse_cv(
        "A\n\nEDUCATION\nState Police Academy, Basic Police Training, 1998\n", candidate_id="a"
    )
    assert _education(academy, req.education)[0].status == "unknown"
    clerk = parse_cv("B\n\nEDUCATION\nBachelor of Arts : English , 2001\n", candidate_id="b")
    check, _ = _education(clerk, req.education)
    assert check.status == "fail", check.reason
    assert check.reason.startswith("the CV does not show 'Graduation from a recognized police")


def test_a_lower_degree_in_lieu_keeps_the_fields_of_the_degree_it_replaces() -> None:
    req = extract_requirements(
        "Education:\nSecond-level university degree in political sciences, public or "
        "international law, international relations or another related field. A first-level "
        "university degree in combination with two years of additional qualifying experience "
        "may be accepted in lieu of the second-level university degree.\n"
    )
    lower = [o for o in req.education if o.min_level == 6]
    assert lower and lower[0].fields == req.education[0].fields
    biology = parse_cv("C\n\nEDUCATION\nBachelor of Science : Biology , 2001\n", candidate_id="c")
    assert _education(biology, req.education)[0].status == "fail"


def test_duty_sentences_do_not_depend_on_the_script_of_a_name() -> None:
    """A sentence naming a person splits the same whether the name is in Latin, Chinese or
    Arabic letters, so the share of sentences naming a field cannot move with it."""
    from matcher.features.roles import duty_sentences

    base = "Led the corporate communications workstream. {} drafted the unit's templates."
    counts = {
        len(duty_sentences(Position("Consultant", "", description=base.format(name))))
        for name in ("Elena", "李伟", "محمد", "elena")
    }
    assert counts == {2}

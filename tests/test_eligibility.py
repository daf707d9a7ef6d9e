"""Eligibility rules on hand-built records (no model: similarities are given)."""

from datetime import date
from pathlib import Path

import pytest

from matcher.features.fields import FieldFit
from matcher.scoring.eligibility import (
    canonical_country,
    education_check,
    experience_check,
    language_checks,
    nationality_check,
    overall_eligibility,
    reference_date,
    required_years,
)
from matcher.types import (
    CandidateProfile,
    Check,
    Degree,
    EducationOption,
    Evidence,
    ExperienceRequirement,
    LanguageChoice,
    LanguageRequirement,
    LanguageSkill,
    PersonalData,
    Position,
    Vacancy,
)

MASTER = EducationOption(7, ("security studies",), evidence=Evidence("Second-level degree"))
BACHELOR_IN_LIEU = EducationOption(6, ("security studies",), extra_years=2.0)
OPTIONS = (MASTER, BACHELOR_IN_LIEU)
TWO_OR_FOUR = ExperienceRequirement(2.0, {6: 4.0}, kind="relevant professional")
REF = date(2025, 7, 31)


def person(level, positions=(), languages=(), nationality=()):
    degrees = (Degree(level, "degree"),) if level else ()
    return CandidateProfile(
        id="c",
        education=degrees,
        highest_level=level,
        positions=tuple(positions),
        languages=tuple(languages),
        personal=PersonalData(nationality=tuple(nationality)),
    )


def job(start, end, fraction=1.0, title="Security Officer"):
    return Position(title, "UN", start, end, end is None, "", fraction, "month")


def exp(profile, req=TWO_OR_FOUR, options=OPTIONS, sims=None):
    _, route = education_check(options, profile)
    sims = [0.9] * len(profile.positions) if sims is None else sims
    return experience_check(req, profile, route, sims, threshold=0.35, reference=REF)


def test_master_meets_main_route():
    check, route = education_check(OPTIONS, person(7))
    assert check.status == "pass" and route.main
    assert required_years(TWO_OR_FOUR, route) == 2.0


def test_bachelor_takes_substitution_route_with_by_degree_years():
    check, route = education_check(OPTIONS, person(6))
    assert check.status == "pass" and not route.main
    assert "in lieu" in check.reason
    # "two years (four years with a first-level degree)" already includes the substitution years
    assert required_years(TWO_OR_FOUR, route) == 4.0
    # without a by-degree minimum the route adds its extra years
    assert required_years(ExperienceRequirement(3.0), route) == 5.0


def test_substitution_route_without_extra_years_still_not_main():
    options = (MASTER, EducationOption(6))
    check, route = education_check(options, person(6))
    assert check.status == "pass" and not route.main
    assert required_years(TWO_OR_FOUR, route) == 4.0


def test_below_every_option_fails_and_no_degree_is_unknown():
    assert education_check(OPTIONS, person(5))[0].status == "fail"
    assert education_check(OPTIONS, person(None))[0].status == "unknown"
    non_degree = OPTIONS + (EducationOption(None),)
    assert education_check(non_degree, person(5))[0].status == "unknown"


def test_bachelor_with_four_years_passes_and_one_year_short_fails_with_reason():
    ok = person(6, [job(date(2021, 1, 1), date(2024, 12, 31))])
    check, months = exp(ok)
    assert check.status == "pass" and months == 48
    short = person(6, [job(date(2022, 1, 1), date(2024, 12, 31))])
    check, months = exp(short)
    assert check.status == "fail"
    assert "1.0 years short of the 4 required" in check.reason


def test_overlaps_count_once_and_part_time_pro_rata():
    overlapping = person(
        7, [job(date(2020, 1, 1), date(2021, 12, 31)), job(date(2021, 1, 1), date(2021, 12, 31))]
    )
    assert exp(overlapping)[1] == 24
    part_time = person(7, [job(date(2020, 1, 1), date(2021, 12, 31), fraction=0.5)])
    check, months = exp(part_time)
    assert months == 12 and check.status == "fail"


def test_ongoing_job_counts_to_reference_date():
    check, months = exp(person(7, [job(date(2023, 8, 1), None)]))
    assert months == 24 and check.status == "pass"


def test_irrelevant_positions_do_not_count():
    p = person(7, [job(date(2015, 1, 1), date(2024, 12, 31), title="Chef")])
    check, months = exp(p, sims=[0.1])
    assert check.status == "fail" and months == 0


def test_no_dates_or_no_positions_is_unknown_never_pass():
    undated = person(7, [Position("Security Officer", "UN")])
    assert exp(undated)[0].status == "unknown"
    assert exp(person(7))[0].status == "unknown"
    # a dated position that already meets the minimum passes despite an undated one
    mixed = person(7, [job(date(2020, 1, 1), date(2024, 12, 31)), Position("Officer")])
    assert exp(mixed)[0].status == "pass"
    # short of the minimum with an undated relevant position: unknown, not fail
    mixed_short = person(7, [job(date(2024, 1, 1), date(2024, 12, 31)), Position("Officer")])
    assert exp(mixed_short)[0].status == "unknown"


def test_languages_by_cefr():
    reqs = (LanguageRequirement("en", "C1"), LanguageRequirement("ru", "B2", required=False))
    fluent = person(7, languages=[LanguageSkill("en", "C2")])
    assert [c.status for c in language_checks(reqs, (), fluent)] == ["pass"]
    weak = person(7, languages=[LanguageSkill("en", "B1")])
    assert language_checks(reqs, (), weak)[0].status == "fail"
    native = person(7, languages=[LanguageSkill("en", None, native=True)])
    assert language_checks(reqs, (), native)[0].status == "pass"
    no_level = person(7, languages=[LanguageSkill("en")])
    assert language_checks(reqs, (), no_level)[0].status == "unknown"
    assert language_checks(reqs, (), person(7))[0].status == "unknown"


def test_language_choice_k_of_n():
    choice = (LanguageChoice(1, ("en", "fr"), "C1"),)
    french = person(7, languages=[LanguageSkill("fr", "C1")])
    assert language_checks((), choice, french)[0].status == "pass"
    both_weak = person(7, languages=[LanguageSkill("fr", "A2"), LanguageSkill("en", "B1")])
    assert language_checks((), choice, both_weak)[0].status == "fail"


PS_TEXT = "Vacancies are open only amongst nationals of participating States."
DS_TEXT = "Nationals of the country of the duty station are not eligible to apply."


@pytest.mark.parametrize(
    ("text", "nationality", "status"),
    [
        (PS_TEXT, ("Austrian",), "pass"),
        (PS_TEXT, ("Brazilian",), "fail"),
        (PS_TEXT, ("Atlantis",), "unknown"),  # a country we cannot name: never a silent fail
        (PS_TEXT, (), "unknown"),
        (DS_TEXT, ("Serbian",), "fail"),
        (DS_TEXT, ("Serbian", "Austrian"), "pass"),
        (DS_TEXT, ("Czech Republic",), "pass"),
    ],
)
def test_nationality(text, nationality, status):
    v = Vacancy("v", text=text, metadata={"Location": "OSCE Mission to Serbia, Belgrade"})
    check = nationality_check(v, person(7, nationality=nationality))
    assert check is not None and check.status == status
    if status == "unknown" and not nationality:
        assert not check.mandatory  # stated on the application form, not blocking by default
        strict = nationality_check(v, person(7), require_stated=True)
        assert strict.mandatory


def test_nationality_outside_participating_states_fails():
    v = Vacancy("v", text=PS_TEXT)
    assert canonical_country("Japanese") == "Japan"
    assert nationality_check(v, person(7, nationality=("Japanese",))).status == "fail"
    assert nationality_check(v, person(7, nationality=("Japanese", "Russian"))).status == "pass"


def test_no_nationality_rule_no_check():
    assert nationality_check(Vacancy("v", text="Duties: draft reports."), person(7)) is None


def test_overall_verdict():
    def c(status, mandatory=True):
        return Check("r", "k", status, "why", mandatory)

    assert overall_eligibility([c("pass"), c("pass")]) == "eligible"
    assert overall_eligibility([c("pass"), c("unknown")]) == "unknown"
    assert overall_eligibility([c("fail"), c("unknown")]) == "ineligible"
    assert overall_eligibility([c("pass"), c("fail", mandatory=False)]) == "eligible"
    assert overall_eligibility([]) == "unknown"
    assert overall_eligibility([c("pass", mandatory=False)]) == "unknown"


def test_reference_date_from_closing_date():
    v = Vacancy("v", metadata={"Closing Date": "2025-07-31"})
    assert reference_date(v) == REF
    v2 = Vacancy("v", text="Issue Date: Jul 3, 2025 Closing Date: Jul 31, 2025 Employee")
    assert reference_date(v2) == REF
    assert reference_date(Vacancy("v"), default=date(2020, 1, 1)) == date(2020, 1, 1)


def test_degree_in_an_unrelated_field_is_not_a_silent_pass():
    fine_arts = (FieldFit("degree", "security studies", 0.31),)
    check, route = education_check(OPTIONS, person(6), field_fits=fine_arts)
    assert check.status == "unknown" and "not clearly one of the fields" in check.reason
    assert route is not None  # the route still sets the years required
    related = (FieldFit("degree", "security studies", 0.89),)
    assert education_check(OPTIONS, person(7), field_fits=related)[0].status == "pass"
    assert education_check(OPTIONS, person(7), field_fits=())[0].status == "unknown"
    # options that name no field: the level decides
    plain = (EducationOption(7),)
    assert education_check(plain, person(7), field_fits=fine_arts)[0].status == "pass"


def test_undated_positions_none_relevant_fail_not_unknown():
    # no dates, but nothing relevant either: dates could add no relevant years
    undated = person(7, [Position("Chef", "Hotel"), Position("Cook", "Diner")])
    check, _ = exp(undated, sims=[0.1, 0.1])
    assert check.status == "fail" and check.reason.startswith("0 years of relevant experience")
    # a relevant one without dates leaves the years open
    check, _ = exp(undated, sims=[0.9, 0.1])
    assert check.status == "unknown" and check.basis == "missing"


NOTICES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "vacancies"


def _notice_requirements(prefix: str):
    from matcher.features.requirements import extract_requirements

    found = sorted((NOTICES / "io_notices").glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"real notices not found at {NOTICES}")
    raw = found[0].read_text(encoding="utf-8")
    return extract_requirements(raw.split("\n---\n", 1)[1] if "\n---\n" in raw[:2000] else raw)


def test_equivalent_experience_route_accepts_the_degree_other_statements_require():
    """ion21: "Advanced university degree ... or equivalent professional experience" under
    Mandatory, and "University education in ..." as the field's minimum: a master passes as the
    main route, a bachelor through the experience route, no degree fails."""
    req = _notice_requirements("ion21")
    assert [(o.min_level, o.route) for o in req.education] == [(7, "degree"), (6, "experience")]
    master, route = education_check(req.education, person(7))
    assert master.status == "pass" and route.main
    bachelor, route = education_check(req.education, person(6))
    assert bachelor.status == "pass" and not route.main
    assert "equivalent professional experience" in bachelor.reason
    assert education_check(req.education, person(3))[0].status == "fail"


def test_training_route_leaves_a_lower_degree_to_verify():
    """ion06: "Advanced education/certified training course in relevant field" on top of the
    field's "University education": a master passes; a bachelor needs the training, which the
    degree does not show."""
    req = _notice_requirements("ion06")
    assert [(o.min_level, o.route) for o in req.education] == [(7, "degree"), (6, "training")]
    assert education_check(req.education, person(7))[0].status == "pass"
    bachelor, _ = education_check(req.education, person(6))
    assert bachelor.status == "unknown" and "certified training course" in bachelor.reason
    assert education_check(req.education, person(3))[0].status == "fail"
    trained = EducationOption(6, route="training", evidence=Evidence("Police academy"))
    check, _ = education_check((trained,), person(6))
    assert "with the training the notice names" in check.requirement

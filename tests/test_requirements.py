"""Requirement extraction: exact results on the hand-annotated gold set, the shapes the issue
names (substitution routes, degree-dependent years, several minimums, blocks, language
alternatives), exact evidence spans, and bad input that must never raise."""

from __future__ import annotations

import importlib.util
import json
import random
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matcher
from matcher import (
    EducationOption,
    ProgrammeRequirements,
    Requirements,
    Vacancy,
    extract_requirements,
)

ROOT = Path(__file__).resolve().parents[1]
EVAL_VACANCIES = ROOT.parent / "shared" / "eval" / "vacancies"


def _bench():
    spec = importlib.util.spec_from_file_location(
        "requirements_accuracy", ROOT / "benchmarks" / "requirements_accuracy.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
GOLD = BENCH.load_gold()
SEED_DOCS = [d for d in GOLD if d["path"].startswith("data/")]
EVAL_DOCS = [d for d in GOLD if not d["path"].startswith("data/")]


def _all_items(req: Requirements):
    for name in (
        "education",
        "education_preferred",
        "experience",
        "experience_preferred",
        "languages",
        "language_choices",
        "competencies",
        "other",
    ):
        yield from getattr(req, name)


def assert_exact_evidence(req: Requirements, text: str) -> None:
    for item in _all_items(req):
        ev = item.evidence
        assert ev is not None, item
        if ev.source.startswith("metadata"):
            continue
        assert ev.source == "qualifications"
        assert text[ev.start : ev.end] == ev.text, (item, text[ev.start : ev.end])
        assert ev.text.strip() == ev.text and ev.text


def check_against_gold(doc: dict, text: str) -> None:
    req = extract_requirements(text)
    got = BENCH.comparable(BENCH.normalise_requirements(req))
    want = BENCH.comparable(BENCH.normalise_gold(doc))
    for key in want:
        assert got[key] == want[key], (doc["id"], key)
    assert_exact_evidence(req, text)
    # the short evidence snippets of the gold lie inside the extracted evidence
    for name in ("education", "education_preferred", "experience", "experience_preferred"):
        extracted = " || ".join(x.evidence.text for x in getattr(req, name))
        for g in doc[name]:
            assert g["evidence"] in extracted, (doc["id"], name, g["evidence"])
    assert len(req.competencies) >= doc["min_competencies"], doc["id"]
    assert not req.warnings, req.warnings


# --------------------------------------------------------------------------- gold set


def test_gold_file_is_structured_not_copied():
    data = json.loads((ROOT / "tests" / "gold" / "requirements.json").read_text())
    assert len(data["documents"]) == 16
    for doc in data["documents"]:
        for name in ("education", "education_preferred", "experience", "experience_preferred"):
            for item in doc[name]:
                assert len(item["evidence"]) <= 60  # short snippets only


@pytest.mark.parametrize("doc", SEED_DOCS, ids=[d["id"] for d in SEED_DOCS])
def test_seed_notices_match_gold(doc):
    check_against_gold(doc, BENCH.document_text(doc))


@pytest.mark.parametrize("doc", EVAL_DOCS, ids=[d["id"] for d in EVAL_DOCS])
def test_io_notices_match_gold(doc, eval_dir):
    check_against_gold(doc, BENCH.document_text(doc, eval_dir / "vacancies"))


def test_every_io_notice_is_in_the_gold_set(eval_dir):
    files = sorted(p.name for p in (eval_dir / "vacancies" / "io_notices").glob("*.txt"))
    annotated = sorted(Path(d["path"]).name for d in EVAL_DOCS)
    assert files == annotated


@pytest.mark.parametrize("doc", SEED_DOCS, ids=[d["id"] for d in SEED_DOCS])
def test_parse_vacancy_fills_requirements(doc):
    """The wiring: ``load_vacancy`` runs the extractor on the qualifications it found."""
    vacancy = matcher.load_vacancy(ROOT / doc["path"])
    assert vacancy.requirements is not None
    got = BENCH.comparable(BENCH.normalise_requirements(vacancy.requirements))
    want = BENCH.comparable(BENCH.normalise_gold(doc))
    assert got["education"] == want["education"]
    assert got["experience"] == want["experience"]
    assert got["languages"] == want["languages"]
    assert_exact_evidence(vacancy.requirements, vacancy.qualifications)


def test_empty_qualifications_fall_back_to_education_level():
    vacancy = matcher.load_vacancy(
        ROOT / "data/vacancies/osce-associate-procurement-officer-SEC000847.txt"
    )
    req = vacancy.requirements
    assert [o.min_level for o in req.education] == [7]
    assert req.education[0].evidence.source.startswith("metadata")
    assert any("Education Level" in w for w in req.warnings)


def test_general_requirement_pages_and_amazon_keep_exact_evidence(eval_dir):
    import csv

    for path in sorted((eval_dir / "vacancies" / "io_general_requirements").glob("*.txt")):
        text = path.read_text().split("\n---\n", 1)[1]
        assert_exact_evidence(extract_requirements(text), text)
    with open(
        eval_dir / "vacancies" / "amazon_jobs_basic_qualifications_232.csv", newline=""
    ) as fh:
        rows = list(csv.DictReader(fh))
    with_degree = 0
    for row in rows[::4]:
        text = row["qualifications_text"]
        req = extract_requirements(text)
        assert_exact_evidence(req, text)
        with_degree += bool(req.education or req.education_preferred)
    assert with_degree >= 0.8 * len(rows[::4])


def test_general_requirement_pages_read_languages(eval_dir):
    base = eval_dir / "vacancies" / "io_general_requirements"
    unhcr = extract_requirements(next(base.glob("iog01_*")).read_text().split("\n---\n", 1)[1])
    assert [(x.language, x.level, x.required) for x in unhcr.languages] == [("en", "C1", True)]
    assert [(c.k, set(c.languages), c.level) for c in unhcr.language_choices] == [
        (1, {"ar", "zh", "fr", "ru", "es"}, "B2")
    ]
    assert [(x.min_years, x.kind) for x in unhcr.experience] == [(3.0, "international")]
    un = extract_requirements(next(base.glob("iog04_*")).read_text().split("\n---\n", 1)[1])
    assert [(c.k, c.languages, c.level, c.required) for c in un.language_choices] == [
        (1, ("en", "fr"), "C1", True)
    ]
    assert {x.language for x in un.languages} == {"ar", "zh", "ru", "es"}
    assert not any(x.required for x in un.languages)


# ----------------------------------------------------------------------- the shapes of the issue


def test_substitution_route_in_lieu():
    text = (
        "Second-level university degree in law or related field; a first-level university "
        "degree in combination with two additional years of qualifying experience may be "
        "accepted in lieu of the "
        "second-level university degree."
    )
    req = extract_requirements(text)
    assert [(o.min_level, o.fields, o.related_fields, o.extra_years) for o in req.education] == [
        (7, ("law",), True, 0.0),
        (6, ("law",), True, 2.0),  # in lieu of the law degree: in law too
    ]
    assert req.experience == ()  # the two additional years are part of the route, not a minimum
    assert_exact_evidence(req, text)


def test_degree_dependent_years():
    text = (
        "Minimum of two years (four years with a relevant first-level degree) "
        "of professional experience."
    )
    (exp,) = extract_requirements(text).experience
    assert (exp.min_years, dict(exp.min_years_by_level), exp.kind) == (
        2.0,
        {6: 4.0},
        "relevant professional",
    )
    assert exp.evidence.text.startswith("Minimum of two years")


def test_several_minimums_with_kinds():
    text = (
        "Minimum of eight years of progressively responsible professional experience in the "
        "criminal justice system; Minimum five years of experience in project management; "
        "at least five years "
        "at the management level; not less than 3 years of international experience."
    )
    req = extract_requirements(text)
    assert [(x.min_years, x.kind) for x in req.experience] == [
        (8.0, "criminal justice system"),
        (5.0, "project management"),
        (5.0, "management"),
        (3.0, "international"),
    ]


@pytest.mark.parametrize(
    ("phrase", "years"),
    [
        ("Minimum 10 years of relevant experience", 10.0),
        ("At least seven (7) years of relevant experience", 7.0),
        ("3+ years of professional experience", 3.0),
        ("Not less than twelve years of professional experience", 12.0),
        ("A minimum of eighteen months of relevant work experience", 1.5),
        ("Fifteen years of relevant experience", 15.0),
        ("At least 4 (four) years of relevant experience", 4.0),
        ("5-7 years of relevant experience", 5.0),
    ],
)
def test_numbers_in_words_and_digits(phrase, years):
    (exp,) = extract_requirements(phrase).experience
    assert exp.min_years == years


def test_mandatory_and_desirable_blocks():
    text = (
        "Mandatory:\n- Advanced university degree in economics\n"
        "- Minimum 5 years of relevant experience\n"
        "- Professional fluency in English\nDesirable:\n- Doctorate in economics\n"
        "- Minimum 2 years of experience in a field mission\n- Working knowledge of Russian\n"
        "- Knowledge of statistics software"
    )
    req = extract_requirements(text)
    assert [(o.min_level, o.fields) for o in req.education] == [(7, ("economics",))]
    assert [(o.min_level, o.fields) for o in req.education_preferred] == [(8, ("economics",))]
    assert [x.min_years for x in req.experience] == [5.0]
    assert [x.min_years for x in req.experience_preferred] == [2.0]
    assert [(x.language, x.level, x.required) for x in req.languages] == [
        ("en", "C1", True),
        ("ru", "B2", False),
    ]
    assert [c.required for c in req.competencies] == [False]


@pytest.mark.parametrize(
    "marker",
    [
        "would be an asset",
        "is desirable",
        "is an advantage",
        "is preferred",
        "is strongly preferred",
    ],
)
def test_preference_markers(marker):
    text = f"University degree in law. A master's degree in international law {marker}."
    req = extract_requirements(text)
    assert [o.min_level for o in req.education] == [6]
    assert [(o.min_level, o.fields) for o in req.education_preferred] == [
        (7, ("international law",))
    ]


@pytest.mark.parametrize(
    ("phrase", "level"),
    [
        ("Professional fluency in English", "C1"),
        ("Fluency in English", "C1"),
        ("Excellent command of English", "C1"),
        ("Working knowledge of English", "B2"),
        ("Basic knowledge of English", "A2"),
        ("English at C2 level", "C2"),
    ],
)
def test_language_levels(phrase, level):
    (lang,) = extract_requirements(phrase + ".").languages
    assert (lang.language, lang.level, lang.required) == ("en", level, True)


def test_other_osce_languages_expand_and_are_not_required():
    req = extract_requirements(
        "Professional fluency in English; knowledge of other official OSCE languages "
        "would be an asset."
    )
    assert [(x.language, x.required) for x in req.languages if x.required] == [("en", True)]
    assert {x.language for x in req.languages if not x.required} == {"de", "es", "fr", "it", "ru"}


def test_language_alternatives_are_choices_never_requirements():
    req = extract_requirements("Fluency in English or French is required.")
    assert req.languages == ()
    assert [(c.k, c.languages, c.level, c.required) for c in req.language_choices] == [
        (1, ("en", "fr"), "C1", True)
    ]
    req = extract_requirements(
        "Proficient in at least two of the official languages: English, Spanish, "
        "French and Portuguese."
    )
    assert req.languages == ()
    assert [(c.k, set(c.languages)) for c in req.language_choices] == [
        (2, {"en", "es", "fr", "pt"})
    ]


def test_non_degree_route():
    req = extract_requirements(
        "Second-level university degree in law or political science or significant "
        "experience in the practice of criminal law, e.g. judges, prosecutors."
    )
    assert [(o.min_level, o.fields) for o in req.education] == [
        (7, ("law", "political science")),
        (None, ()),
    ]


def test_bachelor_style_and_plus_years():
    req = extract_requirements(
        "Bachelor's degree in Computer Science, Engineering, or related field\n"
        "3+ years of experience in software development"
    )
    assert [(o.min_level, o.fields, o.related_fields) for o in req.education] == [
        (6, ("computer science", "engineering"), True)
    ]
    assert [(x.min_years, x.kind) for x in req.experience] == [(3.0, "software development")]


def test_other_conditions():
    req = extract_requirements(
        "Excellent physical condition\nPossession of a valid driving licence\n"
        "Nationals of the duty station are not eligible for this position."
    )
    assert [o.category for o in req.other] == [
        "physical condition",
        "driving licence",
        "nationality",
    ]
    assert all(o.required for o in req.other)


def test_metadata_fallback_when_empty():
    meta = {"Education Level": "Master's Degree (Second-level university degree or equivalent)"}
    req = extract_requirements("", metadata=meta)
    assert [o.min_level for o in req.education] == [7]
    assert req.education[0].evidence.text == meta["Education Level"]
    assert any("empty" in w and "Education Level" in w for w in req.warnings)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad", ["", "   \n\t", None, 42, b"bytes"])
def test_bad_values_give_empty_with_warning(bad):
    req = extract_requirements(bad)
    assert req.is_empty() and req.warnings


def test_cv_passed_by_mistake():
    cv = (
        "Curriculum Vitae\nJane Doe\njane.doe@example.org\n+43 1 234 5678\n"
        "Work experience\n2015 - present  Programme Officer, OSCE Mission, Skopje\n"
        "2010 - 2015  Analyst, Ministry of Foreign Affairs\nEducation\n"
        "2008 - 2010 Master's degree in international relations\n"
        "Languages: English (fluent), French (B2)\n"
    )
    req = extract_requirements(cv)
    assert req.is_empty()
    assert any("CV" in w for w in req.warnings)


def test_megabyte_of_noise_is_fast():
    rng = random.Random(0)
    noise = "".join(rng.choice(string.printable) for _ in range(1_000_000))
    t0 = time.perf_counter()
    req = extract_requirements(noise)
    assert time.perf_counter() - t0 < 2.0
    assert req.is_empty() and req.warnings


def test_long_wordy_text_is_linear():
    """Word-like but adversarial text (near-miss degree and duration phrases) stays fast."""
    chunk = ("minimum of of years years degree in in in or or related " * 20 + "\n") * 100
    t0 = time.perf_counter()
    req = extract_requirements(chunk[:50_000])
    assert time.perf_counter() - t0 < 5.0
    assert isinstance(req, Requirements)
    too_long = extract_requirements("degree " * 20_000)
    assert too_long.is_empty() and "limit" in too_long.warnings[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "Second-level university degree in law",
                "; ",
                ". ",
                "\n",
                "- ",
                "Minimum",
                "five",
                "(",
                ")",
                "years",
                "of experience",
                "with a first-level degree",
                "in lieu of",
                "Fluency in English",
                " or ",
                "French",
                "Desirable:",
                "Mandatory:",
                "an asset",
                "Education:",
                "related field",
                "12 months",
                ",",
            ]
        ),
        max_size=40,
    ),
    st.text(max_size=30),
)
def test_never_raises_and_evidence_is_exact(parts, noise):
    text = " ".join(parts) + noise
    req = extract_requirements(text)
    assert isinstance(req, Requirements)
    assert_exact_evidence(req, text)


# --------------------------------------------------------------------------- programme-wide


def test_programme_requirements_apply_to_jpo_openings():
    openings = matcher.parse_jpo_openings(
        (ROOT / "data/vacancies/osce-jpo-2024-2026-secretariat-openings.txt").read_text(
            errors="replace"
        )
    )
    assert len(openings) > 1
    prog = ProgrammeRequirements.from_text(
        "Advanced university degree; maximum two years of professional experience; "
        "fluency in English."
    )
    applied = prog.apply(openings)
    assert len(applied) == len(openings)
    for before, after in zip(openings, applied, strict=True):
        assert after.id == before.id
        assert [o.min_level for o in after.requirements.education] == [7]
        assert [x.language for x in after.requirements.languages] == ["en"]
        assert any("programme" in w for w in after.requirements.warnings)
    # an opening with its own requirements keeps them unless told otherwise
    own = Vacancy(id="x", requirements=Requirements(education=(EducationOption(6),)))
    assert prog.apply([own])[0].requirements.education[0].min_level == 6
    assert prog.apply([own], overwrite=True)[0].requirements.education[0].min_level == 7


def test_programme_requirements_from_object():
    req = Requirements(education=(EducationOption(7),))
    (v,) = ProgrammeRequirements(req).apply([Vacancy(id="a")])
    assert v.requirements.education == req.education


# --------------------------------------------------------------------------- CLI and benchmark


def test_cli_requirements_json(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "matcher",
            "requirements",
            str(ROOT / "data/vacancies/osce-adviser-combating-trafficking-2019.txt"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    assert [o["min_level"] for o in data["requirements"]["education"]] == [7, None]
    q = tmp_path / "q.txt"
    q.write_text(
        "Advanced university degree in economics. Minimum 7 years of relevant experience.\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "matcher", "requirements", str(q)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "7 years (relevant professional)" in out.stdout
    assert "economics" in out.stdout


def test_benchmark_smoke(tmp_path):
    assert BENCH.main(["--out", str(tmp_path)]) == 0
    result = json.loads((tmp_path / "requirements_accuracy.json").read_text())
    assert set(result["fields"]) == set(BENCH.FIELDS)
    assert result["documents"] >= len(SEED_DOCS)
    assert (
        (tmp_path / "requirements_accuracy.md").read_text().startswith("# Requirement extraction")
    )


def test_minimums_stated_per_degree_level_merge_into_by_level_years():
    text = (
        "Experience:\n6 years (including 3 years in management) with second-level degree.\n"
        "8 years (including 3 years in management) with first-level degree.\n"
    )
    req = extract_requirements(text)
    assert [(x.min_years, dict(x.min_years_by_level), x.kind) for x in req.experience] == [
        (6.0, {6: 8.0}, "relevant professional"),
        (3.0, {}, "management"),
    ]
    assert req.education == ()  # "with second-level degree" qualifies the years, it is no route
    paired = extract_requirements(
        "Master's degree and two years of relevant experience, or Bachelor's degree and four "
        "years of relevant experience."
    )
    assert [(x.min_years, dict(x.min_years_by_level)) for x in paired.experience] == [
        (2.0, {6: 4.0})
    ]
    assert [o.min_level for o in paired.education] == [7, 6]


def test_substitution_attaches_to_the_required_degree_not_to_an_asset():
    text = (
        "Education: Second-level university degree in a relevant field. Advanced university degree "
        "in a management discipline is an asset. A first-level university degree in combination "
        "with two years of additional qualifying experience may be accepted in lieu of the "
        "second-level university degree."
    )
    req = extract_requirements(text)
    assert [(o.min_level, o.extra_years) for o in req.education] == [(7, 0.0), (6, 2.0)]
    assert [(o.min_level, o.fields) for o in req.education_preferred] == [(7, ("management",))]


def test_run_on_items_and_training_routes():
    req = extract_requirements(
        "Excellent physical conditionPossession of a valid automobile driving license\n"
        "Officer / Warrant Officer training and/or university degree in a relevant technical field"
    )
    assert [o.category for o in req.other] == ["physical condition", "driving licence"]
    assert [o.min_level for o in req.education] == [None, 6]


def test_other_categories_match_the_declared_vocabulary():
    from matcher.features.requirements import OTHER_CATEGORIES

    req = extract_requirements(
        "Maximum two years of relevant professional experience\nUnder 32 years of age\n"
        "Willingness to travel frequently; security clearance required"
    )
    cats = [o.category for o in req.other]
    assert cats == ["experience limit", "age", "travel", "clearance"]
    assert set(cats) <= set(OTHER_CATEGORIES)
    assert req.experience == ()  # a maximum is no minimum


def test_statements_of_one_education_block_are_alternatives():
    text = (
        "Level of Professional Competence Requirements\nEducation:\n"
        "First-level university degree in criminology, law or other relevant degree. "
        "Graduation from a recognized police academy or other relevant degree\n"
        "Experience:\nMinimum 8 years of experience in police work, including a minimum of 3 "
        "years in management.\nMission Specific Requirements\nMandatory:\n- Fluency in English"
    )
    req = extract_requirements(text)
    assert [(o.min_level, o.fields, o.related_fields) for o in req.education] == [
        (6, ("criminology", "law"), True),
        (None, (), False),
    ]
    assert [(x.min_years, x.kind) for x in req.experience] == [
        (8.0, "police work"),
        (3.0, "management"),
    ]


def test_inline_headings_on_one_line():
    text = (
        "Furthermore, this level of responsibility requires the following: Education: "
        "First-level university degree in law or economics/finance; a university degree in "
        "another subject may be accepted Experience: Minimum 6 years of relevant professional "
        "experience Mission Specific Requirements Additionally: Mandatory: Fluency in English"
    )
    req = extract_requirements(text)
    assert [(o.min_level, o.fields) for o in req.education] == [
        (6, ("law", "economics", "finance")),
        (6, ()),
    ]
    assert [x.min_years for x in req.experience] == [6.0]
    assert [(x.language, x.required) for x in req.languages] == [("en", True)]


def test_graduate_of_an_academy_is_a_non_degree_route():
    req = extract_requirements(
        "First-level university degree in civil engineering or geodesy or graduate of a national "
        "military academy at officer level"
    )
    assert [(o.min_level, o.fields) for o in req.education] == [
        (6, ("civil engineering", "geodesy")),
        (None, ()),
    ]


@pytest.mark.parametrize("doc", EVAL_DOCS, ids=[d["id"] for d in EVAL_DOCS])
def test_full_pipeline_matches_gold_on_io_notices(doc, eval_dir):
    """``load_vacancy`` (section finding + this extractor) gives the annotated requirements."""
    vacancy = matcher.load_vacancy(BENCH.document_path(doc, eval_dir / "vacancies"))
    got = BENCH.comparable(BENCH.normalise_requirements(vacancy.requirements))
    want = BENCH.comparable(BENCH.normalise_gold(doc))
    assert got == want
    assert_exact_evidence(vacancy.requirements, vacancy.qualifications)


# --------------------------------------------------------------------------- alternatives


@pytest.mark.parametrize(
    "text",
    [
        "A first-level university degree and seven years of relevant experience OR an advanced "
        "university degree and five years of relevant experience OR a doctorate and three years "
        "of relevant experience.",
        "First-level university degree and 7 years of experience in public administration; or "
        "second-level university degree and 5 years of experience in public administration; or "
        "a doctorate and 3 years of experience in public administration.",
    ],
)
def test_or_alternatives_with_years_per_degree(text):
    r = extract_requirements(text)
    assert [(o.min_level, o.route) for o in r.education] == [
        (6, "degree"), (7, "degree"), (8, "degree")
    ]
    assert len(r.experience) == 1
    assert (r.experience[0].min_years, dict(r.experience[0].min_years_by_level)) == (
        3.0, {6: 7.0, 7: 5.0}
    )


def test_alternative_without_a_field_shares_the_field_of_the_others():
    r = extract_requirements(
        "Bachelor's degree and 5 years of professional experience in economics, or Master's "
        "degree and 3 years of professional experience in economics, or PhD and 1 year."
    )
    (x,) = r.experience
    assert (x.min_years, dict(x.min_years_by_level), x.kind) == (1.0, {6: 5.0, 7: 3.0}, "economics")


def test_equivalent_experience_route_takes_the_degree_the_field_requires():
    r = extract_requirements(
        "Field of Expertise Requirements\n- University education in law or political science\n"
        "Mission Specific Requirements\nMandatory:\n- Advanced university degree in human rights "
        "or law or equivalent professional experience;\n"
    )
    assert [(o.min_level, o.route, o.fields) for o in r.education] == [
        (7, "degree", ("human rights", "law")),
        (6, "experience", ("law", "political science")),
    ]


def test_training_only_statement_is_kept_beside_the_others():
    r = extract_requirements(
        "Field of Expertise Requirements\n- Graduation from a recognized police training school\n"
        "Level of Professional Competence Requirements\nEducation:\nPolice administrative "
        "courses in relevant field\n"
    )
    assert sorted(o.evidence.text for o in r.education) == [
        "Graduation from a recognized police training school",
        "Police administrative courses in relevant field",
    ]
    assert {o.route for o in r.education} == {"training"}
    r = extract_requirements(
        "- Graduation from a recognized police training school\n"
        "Education:\nFirst-level university degree in law\n"
    )
    assert [(o.min_level, o.route) for o in r.education] == [(6, "training")]
    assert r.education[0].evidence.text == "Graduation from a recognized police training school"


def test_language_alternatives_in_a_desirable_list():
    r = extract_requirements(
        "Professional fluency in English. Desirable:\n- working knowledge of French or Russian"
    )
    assert [(x.language, x.required) for x in r.languages] == [("en", True)]
    assert [(c.k, c.languages, c.required) for c in r.language_choices] == [
        (1, ("fr", "ru"), False)
    ]


def test_mandatory_sentence_that_yields_nothing_is_a_warning_quoting_it():
    r = extract_requirements(
        "Mandatory:\n- Valid professional licence as a certified auditor (CPA or ACCA)\n"
        "- Excellent drafting skills in English\n"
    )
    assert any("not read" in w and "certified auditor (CPA or ACCA)" in w for w in r.warnings)
    assert not any("drafting" in w for w in r.warnings)

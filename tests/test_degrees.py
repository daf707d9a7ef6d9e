"""Degrees across national systems -> ISCED, with the one mapping table."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from matcher.features.degrees import (
    degree_level,
    degree_rules,
    describe_rule,
    find_degrees,
    highest_completed_level,
)
from matcher.types import ISCED_LABELS


@pytest.mark.parametrize(
    ("title", "level"),
    [
        # first level (ISCED 6)
        ("Bachelor of Science : Accounting , 2009", 6),
        ("BA in Political Science, 2012", 6),
        ("BSc (Hons) Emergency Management", 6),
        ("B.S. in Foreign Service", 6),
        ("LLB (Bachelor of Laws)", 6),
        ("Licence en droit, Université de Lyon", 6),
        ("Laurea triennale in Economia", 6),
        ("Бакалавр юриспруденции", 6),
        ("Diplom (FH) Betriebswirtschaft", 6),
        ("Dipl.-Ing. (FH) Maschinenbau", 6),
        ("B.Tech in Computer Science", 6),
        # second level (ISCED 7)
        ("Master of Arts in Security Studies", 7),
        ("Master's degree in Public Administration", 7),
        ("MA in International Relations", 7),
        ("MSc Risk Management", 7),
        ("MBA, Warwick Business School", 7),
        ("LLM in International Criminal Law", 7),
        ("Magister der Philosophie", 7),
        ("Mag. iur.", 7),
        ("Diplom (Univ.) Politikwissenschaft", 7),
        ("Dipl.-Ing. Maschinenbau", 7),
        ("Laurea magistrale in Scienze Politiche", 7),
        ("Магистр международных отношений", 7),
        ("юриспруденция (диплом специалиста)", 7),
        ("Specialist degree (5-year diploma) in International Relations", 7),
        ("Master 2 Achats internationaux", 7),
        ("Maîtrise de droit public", 7),
        ("DESS Gestion des risques", 7),
        ("Diplôme d'ingénieur, École Centrale", 7),
        # doctorate (ISCED 8)
        ("PhD in Criminology", 8),
        ("Ph.D., Political Science", 8),
        ("Doctorate in Law", 8),
        ("Dr. phil.", 8),
        ("Doktor der Rechtswissenschaften", 8),
        ("Кандидат юридических наук", 8),
        ("доктор экономических наук", 8),
        # secondary and short-cycle
        ("High School Diploma, 2019", 3),
        ("Abitur, Gymnasium Musterstadt", 3),
        ("Baccalauréat série ES", 3),
        ("Associate of Applied Science in Paralegal Studies", 5),
        ("BTS Commerce international", 5),
    ],
)
def test_degree_levels(title, level):
    got, rule = degree_level(title)
    assert got == level, (title, rule)
    assert rule in {r.id for r in degree_rules()}


@pytest.mark.parametrize(
    "text",
    [
        "Certified Scrum Master",
        "Advanced MS Office and MS Excel",
        "Clean driving licence",
        "Associate Security Project Officer",
        "Специалист по закупкам",
        "Master data management",
        "Worked in Boston, MA for a year",
    ],
)
def test_no_false_degrees(text):
    assert degree_level(text)[0] is None, degree_level(text)


def test_table_is_one_valid_file():
    text = resources.files("matcher.resources").joinpath("degrees.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(degree_rules()) >= 15
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    for row in rows:
        assert int(row["level"]) in ISCED_LABELS
        assert row["case"] in ("sensitive", "ignore")
        assert row["scope"] in ("any", "education")
        assert row["system"] and row["note"]
    assert "ISCED 7" in describe_rule("master_word")


def test_education_scope_rules_only_in_education():
    assert degree_level("High School Diploma", in_education=False)[0] is None
    assert degree_level("High School Diploma", in_education=True)[0] == 3


def test_find_degrees_records_rule_year_institution_and_evidence():
    section = (
        "MSc Security and Risk Management, University of Leicester, 2016\n"
        "BA Political Science, Leiden University, 2014\n"
    )
    degrees, warnings = find_degrees(section, offset=100)
    assert [d.level for d in degrees] == [7, 6]
    msc = degrees[0]
    assert msc.matched_rule == "master_abbr"
    assert msc.end_year == 2016
    assert "University of Leicester" in msc.institution
    assert msc.evidence.start == 100 and msc.evidence.text == "MSc"
    assert not warnings


def test_degree_in_progress_not_held():
    section = (
        "PhD candidate in Political Science, Central European University (expected 2026)\n"
        "MA in International Relations, 2021\n"
    )
    degrees, warnings = find_degrees(section)
    assert {d.level for d in degrees} == {8, 7}
    assert highest_completed_level(degrees) == 7
    assert any("in progress" in w for w in warnings)

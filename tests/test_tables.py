"""The vocabulary tables under matcher/resources/ are what the code reads: a row changes behaviour.

Language levels (CVs and notices), countries and nationality words (the nationality check) and
degree words (CVs, notices, field comparison) each come from one table.
"""

from __future__ import annotations

import pytest

import matcher
from matcher.errors import ConfigError
from matcher.features.countries import (
    OSCE_PARTICIPATING_STATES,
    canonical_country,
    countries,
    duty_station_country,
)
from matcher.features.degrees import degree_level, degree_rules, degree_rules_for
from matcher.features.fields import GENERIC_SUBJECT, field_codes
from matcher.features.languages import (
    CEFR_CODE,
    cefr_from_words,
    level_phrases,
    native_pattern,
    p11_level,
)
from matcher.features.pii import detect_personal
from matcher.features.tables import read_table

# --------------------------------------------------------------------------- language levels


def _example(phrase: str) -> str:
    """A word the phrase matches: "fluen*" -> "fluent"."""
    return " ".join(w[:-1] + "t" if w.endswith("*") else w for w in phrase.split())


def test_every_level_phrase_gives_its_level_or_a_higher_one():
    # a phrase may contain a stronger one ("perfect command" holds no other), never a weaker one
    rank = {lvl: k for k, lvl in enumerate(("A1", "A2", "B1", "B2", "C1", "C2"))}
    for row in level_phrases():
        if row.scope != "any":
            continue
        got = cefr_from_words(f"English ({_example(row.phrase)})")
        assert got is not None and rank[got] >= rank[row.cefr], (row.phrase, got)


def test_native_phrases_state_c2_and_a_cv_reads_each_as_a_first_language():
    native = [r for r in level_phrases() if r.native]
    assert {r.language for r in native} >= {"en", "fr", "de", "ru", "it", "es"}
    for row in native:
        assert row.cefr == "C2" and row.cue
        cv = f"LANGUAGES\n{_example(row.phrase).capitalize()}: Georgian\nEnglish - fluent\n"
        profile = matcher.parse_cv(cv, reference_date="2025-01-01")
        skills = {s.language: s for s in profile.languages}
        assert skills["ka"].native and skills["ka"].level == "C2", row.phrase
        assert skills["en"].level == "C1" and not skills["en"].native


def test_phrases_match_whole_words_only():
    assert cefr_from_words("influence in Russia") is None  # not "fluen*"
    assert not native_pattern().search("Alternative Dispute Resolution")
    assert cefr_from_words("Englisch: Muttersprache") == "C2"
    assert cefr_from_words("Mother  tongues") == "C2"
    # text from a PDF glues words; the capital shows the seam
    assert cefr_from_words("team working experienceBilingual English & Chinese") == "C2"
    assert cefr_from_words("B2 (good)") == "B2"  # a CEFR code as written wins


def test_p11_answers_come_from_the_table():
    assert p11_level("Not  easily") == "B1" and p11_level("easily") == "C1"
    cv = "LANGUAGES\nFrench Easily Not easily Not easily Easily\n"
    (skill,) = matcher.parse_cv(cv, reference_date="2025-01-01").languages
    assert skill.language == "fr" and skill.level == "B1"


def test_notice_language_levels_use_the_same_table():
    r = matcher.extract_requirements("Languages: mother tongue Russian; bilingual English.")
    assert {(x.language, x.level) for x in r.languages} == {("ru", "C2"), ("en", "C2")}


# --------------------------------------------------------------------------- countries


def test_the_57_participating_states_with_their_iso_codes():
    assert len(OSCE_PARTICIPATING_STATES) == len(set(OSCE_PARTICIPATING_STATES)) == 57
    codes = [c.iso2 for c in countries()]
    assert len(codes) == len(set(codes)) and all(len(c) == 2 and c.isupper() for c in codes)
    assert {"Mongolia", "Holy See", "Türkiye", "United States"} <= set(OSCE_PARTICIPATING_STATES)
    assert "Japan" not in OSCE_PARTICIPATING_STATES


def test_every_name_and_nationality_word_resolves_to_its_country():
    for c in countries():
        for word in (c.name, *c.names):
            assert canonical_country(word.title()) == c.name, word
    assert canonical_country("  TURKIYE. ") == "Türkiye"
    assert canonical_country("Atlantean") is None


def test_duty_stations_come_from_the_table():
    assert duty_station_country(["OSCE Programme Office in Dushanbe"]) == "Tajikistan"
    assert duty_station_country(["", "Mission to Montenegro"]) == "Montenegro"
    assert duty_station_country(["Remote"]) is None


# --------------------------------------------------------------------------- degrees


def test_degree_rows_say_who_reads_them():
    uses = {r.applies for r in degree_rules()}
    assert uses <= {"cv", "notice", "both", "prefix"} and {"cv", "notice", "prefix"} <= uses
    assert all(r.applies in ("notice", "both") for r in degree_rules_for("notice"))


def test_notice_degree_words_are_read_in_notices_not_in_cvs():
    r = matcher.extract_requirements("Advanced university degree in law or a related field.")
    assert r.education[0].min_level == 7
    # the notice row for "advanced degree" does not make a CV line a degree: a CV names its degree
    assert degree_level("Advanced university degree in law")[0] is None


def test_the_degree_table_names_the_letters_after_a_name():
    # every case-sensitive degree abbreviation of the table, not a second list, ends a name
    for line in ("Anna Petrova, MSc", "Anna Petrova, M.A", "Anna Petrova, Ph.D., MBA",
                 "Anna Petrova, M.Ed.", "Anna Petrova, Dipl.-Ing.", "Anna Petrova, Prof."):
        personal, _ = detect_personal(f"{line}\nanna.petrova@example.org\n")
        assert personal.name == "Anna Petrova", line


def test_a_degree_subject_that_names_no_field_is_one_rule_for_both_readers():
    assert GENERIC_SUBJECT.fullmatch("Liberal Arts") and GENERIC_SUBJECT.fullmatch("Studies")
    assert not GENERIC_SUBJECT.fullmatch("Law")
    # field_codes drops the degree's name, find_degrees does not take it for the field
    assert field_codes("Bachelor of Arts") == ()
    assert field_codes("Bachelor of Arts in Economics") == field_codes("Economics") != ()
    cv = matcher.parse_cv("Education\nBachelor of Arts : Criminal Justice, 2004\n")
    assert [d.field for d in cv.education] == ["Criminal Justice"]


def test_cefr_codes_are_read_as_written_in_a_cv_and_in_any_case_in_a_notice():
    assert CEFR_CODE.findall("English C1, French b2, B2B sales") == ["C1"]
    assert cefr_from_words("french b2") == "B2"


def test_month_names_are_one_vocabulary_for_cv_dates_and_notice_dates():
    from datetime import date

    from matcher.features.sections import parse_date

    # a notice's closing date reads the month names CV date ranges read, in every language
    assert parse_date("Jul 23, 2025") == date(2025, 7, 23)
    assert parse_date("23 Juli 2025") == date(2025, 7, 23)
    assert parse_date("3 sept. 2024") == date(2024, 9, 3)


# --------------------------------------------------------------------------- the reader


def test_a_table_without_a_needed_column_names_the_file():
    with pytest.raises(ConfigError, match="countries.csv: missing column"):
        read_table("countries.csv", ("country", "no such column"))

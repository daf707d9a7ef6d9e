"""A CV written in fluent English meets a professional-English requirement; the language is
detected from the CV's text (never assumed), and a stated level still counts first."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from matcher.batch import rank_pool
from matcher.features.cv import parse_cv
from matcher.features.sentences import text_language
from matcher.features.vacancy import load_vacancy
from matcher.scoring.config import ScoringConfig
from matcher.scoring.eligibility import language_checks
from matcher.scoring.matcher import Matcher
from matcher.types import LanguageRequirement, LanguageSkill
from tests.toy_encoder import ToyEncoder

SEC821 = "vacancies/osce-associate-security-project-officer-SEC000821.txt"
PROFESSIONAL_EN = (LanguageRequirement("en", "C1"),)


@pytest.fixture(scope="module")
def english_pdf(eval_dir: Path):
    return parse_cv(eval_dir / "resumes" / "pdf" / "CONSULTANT_31016926.pdf")


@pytest.fixture(scope="module")
def french_cv(data_dir: Path):
    return parse_cv(data_dir / "cvs" / "jpo_gender_fr.txt")


def test_the_language_a_cv_is_written_in_is_detected(english_pdf, french_cv, data_dir):
    assert text_language(english_pdf.blind_text) == "en"
    assert text_language(french_cv.blind_text) == "fr"
    assert text_language(parse_cv(data_dir / "cvs" / "jpo_audit_ru.txt").blind_text) == "ru"
    assert text_language(parse_cv(data_dir / "cvs" / "sec821_de_diplom_security.txt").text) == "de"
    # a keyword list is no language: nothing is assumed
    assert text_language("Excel Word PowerPoint SAP budgeting forecasting " * 5) is None


def test_english_inferred_from_an_english_cv(english_pdf):
    assert not any(s.language == "en" for s in english_pdf.languages)  # the CV does not say
    (check,) = language_checks(PROFESSIONAL_EN, (), english_pdf)
    assert check.status == "pass" and check.basis == "inferred"
    assert check.reason.startswith("en C1 inferred from the language the CV is written in")
    # off by configuration: the CV is silent, so it stays open
    (off,) = language_checks(PROFESSIONAL_EN, (), english_pdf, infer_written=False)
    assert off.status == "unknown" and off.basis == "cv"
    # a native speaker's level is not shown by writing a CV
    (c2,) = language_checks((LanguageRequirement("en", "C2"),), (), english_pdf)
    assert c2.status == "unknown"
    # a level the CV states counts first, even a lower one
    stated = replace(english_pdf, languages=(LanguageSkill("en", "B1"),))
    assert language_checks(PROFESSIONAL_EN, (), stated)[0].status == "fail"


def test_english_not_inferred_from_a_french_cv(french_cv):
    silent = replace(french_cv, languages=())  # the French CV with its languages section removed
    (en,) = language_checks(PROFESSIONAL_EN, (), silent)
    assert en.status == "unknown" and "inferred" not in en.reason
    (fr,) = language_checks((LanguageRequirement("fr", "C1"),), (), silent)
    assert fr.status == "pass" and fr.basis == "inferred"
    # other required languages stay unknown when the CV is silent
    (ru,) = language_checks((LanguageRequirement("ru", "B2"),), (), silent)
    assert ru.status == "unknown"


def test_scoring_reads_the_written_language_and_the_switch(english_pdf, data_dir):
    vacancy = load_vacancy(data_dir / SEC821)
    on = Matcher(ToyEncoder()).score(vacancy, english_pdf)
    off = Matcher(ToyEncoder(), replace(ScoringConfig(), infer_language_from_cv=False)).score(
        vacancy, english_pdf
    )
    lang_on = [c for c in on.checks if c.kind == "language" and c.mandatory]
    lang_off = [c for c in off.checks if c.kind == "language" and c.mandatory]
    assert [c.status for c in lang_on] == ["pass"] and [c.status for c in lang_off] == ["unknown"]
    # the pool path keys its memo on the written language too: same rows as score
    m = Matcher(ToyEncoder())
    french = parse_cv(data_dir / "cvs" / "jpo_gender_fr.txt")
    silent_fr = replace(french, id="fr-silent", languages=())
    silent_en = replace(english_pdf, id="en-silent", languages=())
    frame = rank_pool(m, [vacancy], [silent_en, silent_fr], progress=False)
    frame = frame.set_index("candidate_id")
    assert "en not stated" not in frame.loc["en-silent", "unknown_checks"]
    assert "en not stated in the CV" in frame.loc["fr-silent", "unknown_checks"]

"""A CV's scorable sentences are made once, with the profile, and are never stale."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

import matcher
from matcher.features.sentences import scorable_of, scorable_text
from matcher.features.store import profile_from_json, profile_to_json
from matcher.scoring.fit import prepare_candidate

CVS = Path(__file__).resolve().parents[1] / "data" / "cvs"


@pytest.fixture(scope="module")
def profiles() -> list[matcher.CandidateProfile]:
    return list(matcher.load_cvs(CVS).profiles)


def test_the_parser_splits_each_cv_once(profiles) -> None:
    assert profiles
    for profile in profiles:
        made = profile.cached_scorable
        assert made is not None, profile.id  # made by the parser, not on first use
        assert made == scorable_text(profile)
        assert scorable_of(profile) is made  # and kept
        prepared = prepare_candidate(profile)
        assert prepared.sentences == made.sentences and prepared.hidden == made.hidden
    # headings, contact and date lines are no sentences: a short sample CV keeps about ten
    assert sum(len(scorable_of(p).sentences) for p in profiles) > 8 * len(profiles)


def test_a_replaced_text_is_split_again(profiles) -> None:
    profile = profiles[0]
    changed = dataclasses.replace(
        profile, blind_text="Drafted weekly security reports. Led a team of four analysts."
    )
    assert changed.cached_scorable is None
    assert "Drafted weekly security reports." in scorable_of(changed).sentences
    assert "Drafted weekly security reports." not in scorable_of(profile).sentences
    assert changed == dataclasses.replace(changed)  # equality ignores the cached split


def test_pickles_and_the_profile_store_keep_the_split(profiles) -> None:
    for profile in profiles[:5]:
        again = pickle.loads(pickle.dumps(profile))
        assert again.cached_scorable == profile.cached_scorable
        stored = profile_from_json(profile_to_json(profile))
        assert stored == profile
        assert stored.cached_scorable == profile.cached_scorable


def test_a_heading_is_never_evidence(profiles) -> None:
    """Headings, contact lines, bare title lines and date lines are never shown as evidence;
    the items of a skills list are (one item, one sentence)."""
    from matcher.features.sentences import is_evidence

    for line in ("Skills", "SKILLS", "Studies", "Work History", "PROFESSIONAL EXPERIENCE",
                 "E-Mail: [EMAIL]", "Vienna, Austria | [PHONE] | [EMAIL]", "March 2019 – present",
                 "09/2015 to Current", "Образование"):  # fmt: skip
        assert not is_evidence(line), line
    assert is_evidence("[PRONOUN] led a team of six analysts.")
    assert is_evidence("Drafted security advisories.")
    master = next(p for p in profiles if p.id == "sec821_master_qualified")
    sentences = scorable_of(master).sentences
    assert "Microsoft Office" in sentences  # listed under SKILLS
    titles = {p.title for p in master.positions}
    for s in sentences:
        assert is_evidence(s) or s in master.skills, s
        assert s not in titles and not any(s.startswith(f"{t},") for t in titles), s

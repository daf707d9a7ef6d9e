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
    assert sum(len(scorable_of(p).sentences) for p in profiles) > 20 * len(profiles)


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

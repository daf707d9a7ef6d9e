"""The profile component: the CV as a whole against the post as a whole, with the defences the
duty evidence has (copies of the notice and hidden text count nothing), in one pair and a pool."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from toy_encoder import ToyEncoder

import matcher
from matcher.batch import rank_pool
from matcher.types import CandidateProfile, Vacancy

DUTIES = (
    "Prepare monthly financial statements and reconcile the general ledger accounts.",
    "Process supplier invoices and payments and support the external audit.",
)
VACANCY = Vacancy(id="ACC", title="Accountant", duties=DUTIES)


def cv(cid: str, text: str, hidden: tuple[str, ...] = ()) -> CandidateProfile:
    return CandidateProfile(id=cid, text=text, blind_text=text, hidden_text=hidden)


ACCOUNTANT = cv(
    "acc",
    "Senior Accountant\nReconciled ledger accounts and closed the books every month.\n"
    "Prepared financial statements and supported auditors.\nProcessed invoices and payments.",
)
CHEF = cv(
    "chef",
    "Head Chef\nPlanned menus and cooked for two hundred guests.\n"
    "Supervised kitchen staff and ordered food supplies.\nKept the kitchen clean and safe.",
)


@pytest.fixture(scope="module")
def m() -> matcher.Matcher:
    return matcher.Matcher(encoder=ToyEncoder(dim=128))


def _part(result: matcher.MatchResult, name: str) -> matcher.ScorePart:
    return next(p for p in result.parts if p.name == name)


def test_profile_prefers_the_cv_whose_whole_text_is_about_the_post(m) -> None:
    acc = _part(m.score(VACANCY, ACCOUNTANT), "profile")
    chef = _part(m.score(VACANCY, CHEF), "profile")
    assert acc.weight > 0 and acc.value > chef.value
    assert "the CV as a whole" in acc.detail


def test_pasted_duties_and_hidden_text_add_nothing_to_the_profile(m) -> None:
    """A chef who pastes the duties, or hides them in white text, keeps the chef's profile."""
    base = _part(m.score(VACANCY, CHEF), "profile").value
    pasted = cv("pasted", "\n".join(DUTIES) + "\n" + CHEF.text)
    hidden = cv("hidden", "\n".join(DUTIES) + "\n" + CHEF.text, hidden=DUTIES)
    for stuffed in (pasted, hidden):
        result = m.score(VACANCY, stuffed)
        assert _part(result, "profile").value == pytest.approx(base, abs=1e-6)
    # without the defences the paste would have counted
    loose = dataclasses.replace(m.config, stuffing_discount=0.0)
    bare = matcher.Matcher(encoder=m.encoder, config=loose)
    assert _part(bare.score(VACANCY, pasted), "profile").value > base + 0.05


def test_a_pool_gives_every_cv_the_profile_value_of_its_single_score(m) -> None:
    pool = [ACCOUNTANT, CHEF, cv("pasted", "\n".join(DUTIES) + "\n" + CHEF.text)]
    pool += [cv(f"c{i}", f"Clerk number {i}\nFiled invoices {i} times a week.") for i in range(7)]
    frame = rank_pool(m, [VACANCY], pool, progress=False, chunk_size=3)
    for profile in pool:
        single = _part(m.score(VACANCY, profile), "profile").value
        row = frame[frame["candidate_id"] == profile.id].iloc[0]
        assert row["profile"] == single
        assert row["score"] == m.score(VACANCY, profile).score


def test_a_notice_without_title_or_duties_has_no_profile_part(m) -> None:
    bare = Vacancy(id="BARE", title="", duties=())
    part = _part(m.score(bare, ACCOUNTANT), "profile")
    assert part.weight == 0.0 and "no title" in part.detail
    assert np.isfinite(m.score(bare, ACCOUNTANT).score)

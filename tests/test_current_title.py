"""The title component reads what the CV says the candidate is now: the current or last post and
the headline, not every title ever held."""

from __future__ import annotations

from datetime import date

import matcher
from matcher.features.sentences import current_positions, scorable_text
from matcher.types import Position

CV = """Jane Roe
Senior Accountant

EXPERIENCE
Senior Accountant, Brightline Ltd  03/2016 - Present
Prepared month-end closing entries and reconciled the general ledger.

Sales Associate, Corner Store  01/2009 - 12/2011
Sold electronics to walk-in customers and met monthly sales targets.
"""


def test_the_current_post_and_not_a_post_left_years_ago_is_the_title() -> None:
    profile = matcher.parse_cv(CV, candidate_id="c1")
    titles = scorable_text(profile).title_texts
    assert any("Accountant" in t for t in titles)
    assert not any(t.startswith("Sales Associate") for t in titles)


def test_current_positions_ongoing_else_latest_end_else_first_listed() -> None:
    old = Position(title="Clerk", start=date(2001, 1, 1), end=date(2004, 1, 1))
    late = Position(title="Analyst", start=date(2005, 1, 1), end=date(2010, 6, 1))
    now = Position(title="Manager", start=date(2011, 1, 1), ongoing=True)
    undated = Position(title="Volunteer")
    assert [p.title for p in current_positions([old, late])] == ["Analyst"]
    assert [p.title for p in current_positions([old, now, late])] == ["Manager"]
    assert [p.title for p in current_positions([undated, old])] == ["Clerk"]
    assert [p.title for p in current_positions([undated, Position(title="Cook")])] == ["Volunteer"]
    assert current_positions([]) == []


def test_the_title_component_ranks_the_current_accountant_above_the_former_one() -> None:
    """A toy encoder is enough: identical titles are what the component must tell apart."""
    from toy_encoder import ToyEncoder

    former = CV.replace("Senior Accountant, Brightline Ltd  03/2016 - Present",
                        "Sales Associate, Brightline Ltd  03/2016 - Present").replace(
        "Sales Associate, Corner Store  01/2009 - 12/2011",
        "Senior Accountant, Corner Store  01/2009 - 12/2011").replace(
        "Senior Accountant\n\nEXPERIENCE", "Sales Associate\n\nEXPERIENCE")  # fmt: skip
    m = matcher.Matcher(ToyEncoder())
    vacancy = matcher.Vacancy(id="v", title="Senior Accountant", duties=("Close the books.",))
    now = m.score(vacancy, matcher.parse_cv(CV, candidate_id="now"))
    then = m.score(vacancy, matcher.parse_cv(former, candidate_id="then"))
    title = {r.candidate_id: next(p.value for p in r.parts if p.name == "title")
             for r in (now, then)}  # fmt: skip
    assert title["now"] > title["then"]

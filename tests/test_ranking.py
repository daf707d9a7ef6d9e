"""One ranking order: rank_key for one candidate, rank_order for columns, the same order."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.scoring.ranking import eligibility_rank, rank_key, rank_order

rows = st.lists(
    st.tuples(
        st.sampled_from(["eligible", "unknown", "ineligible", "error", "odd"]),
        st.one_of(st.none(), st.just(math.nan), st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0])),
        st.sampled_from(["a", "b", "c10", "c2", 3]),
    ),
    max_size=30,
)


@settings(deadline=None)
@given(rows)
def test_columns_are_ordered_as_the_key_orders_rows(items) -> None:
    want = sorted(range(len(items)), key=lambda k: rank_key(*items[k]))  # stable, as lexsort
    got = rank_order([e for e, _, _ in items], [s for _, s, _ in items], [c for _, _, c in items])
    assert got.tolist() == want


@settings(deadline=None)
@given(rows, st.lists(st.integers(0, 3), min_size=30, max_size=30))
def test_a_group_comes_first(items, groups) -> None:
    group = groups[: len(items)]
    want = sorted(range(len(items)), key=lambda k: (group[k], rank_key(*items[k])))
    got = rank_order(*zip(*items, strict=True), group=group) if items else rank_order([], [], [])
    assert got.tolist() == want


def test_verdicts_rank_eligible_unknown_ineligible_error_then_anything_else() -> None:
    order = ["eligible", "unknown", "ineligible", "error", "something else"]
    assert [eligibility_rank(v) for v in order] == sorted(eligibility_rank(v) for v in order)
    assert len({eligibility_rank(v) for v in order}) == len(order)
    # a missing score ranks below every real one
    assert rank_key("eligible", 0.0, "a") < rank_key("eligible", None, "a")
    assert rank_key("eligible", math.nan, "a") == rank_key("eligible", None, "a")

"""Allocation: exact optimum against brute force, validity, stability, order invariance, errors."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matcher
from matcher import (
    Allocation,
    Balance,
    InfeasibleError,
    PreferenceError,
    allocate,
    select_and_allocate,
)
from matcher.allocation import assignment_duals
from matcher.errors import ConfigError

POINTS = {1: 3, 2: 2, 3: 1, 0: 0}
JPO = Path(__file__).resolve().parents[1] / "data" / "jpo"


# ---------------------------------------------------------------------------------------------
# instances and the brute force
# ---------------------------------------------------------------------------------------------


@st.composite
def instances(draw, max_n: int = 7, max_seats: int = 7, areas: bool = True):
    """Up to 7 candidates and 7 seats (some openings without a seat); fit on a coarse grid (ties)
    or free floats; some areas."""
    n = draw(st.integers(1, max_n))
    m = draw(st.integers(1, max_seats))
    cands = [f"C-{i:02d}" for i in range(n)]
    opens = [f"JPO-{j:02d}" for j in range(1, m + 1)]
    caps = {o: 1 for o in opens}
    spare = max_seats - m
    for o in opens:
        if spare and draw(st.booleans()):
            extra = draw(st.integers(0, min(2, spare)))
            caps[o] += extra
            spare -= extra
    for o in opens:
        if draw(st.integers(0, 9)) == 0:
            caps[o] = 0  # an opening not funded this round
    grid = draw(st.booleans())
    value = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]) if grid else st.floats(0, 1)
    fit = pd.DataFrame([[draw(value) for _ in opens] for _ in cands], index=cands, columns=opens)
    elig = np.array([[draw(st.booleans()) or draw(st.booleans()) for _ in opens] for _ in cands])
    area_of = {}
    if areas and m >= 2 and draw(st.booleans()):
        for o in opens:
            if draw(st.booleans()):
                area_of[o] = draw(st.sampled_from(["AREA-A", "AREA-B"]))
    names = opens + sorted(set(area_of.values()))
    prefs = {}
    for c in cands:
        k = draw(st.integers(0, min(3, len(names))))
        picked = draw(st.permutations(names))[:k]
        # drop a choice fully covered by an earlier one (allocate rejects those)
        kept, covered = [], set()
        for x in picked:
            members = {o for o, a in area_of.items() if a == x} or {x}
            if not members <= covered:
                kept.append(x)
                covered |= members
        prefs[c] = kept
    return prefs, fit, elig, area_of, caps


def rank_table(prefs, fit, area_of):
    rank = {}
    for c, listed in prefs.items():
        for k, x in enumerate(listed, start=1):
            members = [o for o, a in area_of.items() if a == x] or [x]
            for o in members:
                rank.setdefault((c, o), k)
    return rank


def brute_force(prefs, fit, elig, area_of, caps, strategy):
    """Best objective vector over every allocation, by dynamic programming over seat subsets."""
    cands, opens = list(fit.index), list(fit.columns)
    seats = [o for o in opens for _ in range(caps[o])]
    rank = rank_table(prefs, fit, area_of)

    def gain(c, o):
        r = rank.get((c, o), 0)
        f = float(fit.loc[c, o])
        if strategy == "rank-maximal":
            return (1, int(r == 1), int(r == 2), int(r == 3), f)
        return (1, POINTS[r] + f)

    zero = (0, 0, 0, 0, 0.0) if strategy == "rank-maximal" else (0, 0.0)
    best = {0: zero}
    for c in cands:
        i = cands.index(c)
        nxt = dict(best)
        for mask, val in best.items():
            for s, o in enumerate(seats):
                if mask >> s & 1 or not elig[i, opens.index(o)]:
                    continue
                # seats of one opening are interchangeable: take the first free one only
                if any(seats[t] == o and not mask >> t & 1 for t in range(s)):
                    continue
                cand = tuple(a + b for a, b in zip(val, gain(c, o), strict=True))
                key = mask | 1 << s
                if key not in nxt or _better(cand, nxt[key]):
                    nxt[key] = cand
        best = nxt
    return max(best.values(), key=_cmp_key)


def _cmp_key(v):
    return tuple(round(x, 7) if isinstance(x, float) else x for x in v)


def _better(a, b):
    return _cmp_key(a) > _cmp_key(b)


def objective(a: Allocation, strategy: str):
    placed = [c for c, o in a.assignments.items() if o]
    if strategy == "rank-maximal":
        p = a.profile
        return (len(placed), p["1st"], p["2nd"], p["3rd"], a.total_fit)
    pts = sum(POINTS[a.choice_rank[c] or 0] for c in placed)
    return (len(placed), pts + a.total_fit)


def same_objective(x, y) -> bool:
    return all(
        math.isclose(a, b, abs_tol=1e-7) if isinstance(a, float) else a == b
        for a, b in zip(x, y, strict=True)
    )


FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------------------------
# optimality, validity, stability, invariance
# ---------------------------------------------------------------------------------------------


@FAST
@given(instances())
def test_rank_maximal_equals_brute_force(inst):
    prefs, fit, elig, area_of, caps = inst
    a = allocate(prefs, fit, areas=area_of, capacities=caps, eligible=elig)
    assert a.check_validity() == ()
    best = brute_force(prefs, fit, elig, area_of, caps, "rank-maximal")
    assert same_objective(objective(a, "rank-maximal"), best), (objective(a, "rank-maximal"), best)


@settings(max_examples=40, deadline=None)
@given(instances())
def test_rank_maximal_with_one_stage_per_choice_equals_brute_force(inst):
    """The path used past a few thousand seats: 1st, 2nd and 3rd choices as separate stages."""
    from unittest import mock

    prefs, fit, elig, area_of, caps = inst
    with mock.patch("matcher.allocation._MERGE_RANKS_UP_TO", 0):
        a = allocate(prefs, fit, areas=area_of, capacities=caps, eligible=elig)
    assert a.check_validity() == ()
    best = brute_force(prefs, fit, elig, area_of, caps, "rank-maximal")
    assert same_objective(objective(a, "rank-maximal"), best)


@FAST
@given(instances())
def test_welfare_equals_brute_force(inst):
    prefs, fit, elig, area_of, caps = inst
    a = allocate(prefs, fit, areas=area_of, capacities=caps, eligible=elig, strategy="welfare")
    assert a.check_validity() == ()
    best = brute_force(prefs, fit, elig, area_of, caps, "welfare")
    assert same_objective(objective(a, "welfare"), best)


@FAST
@given(instances())
def test_stable_has_no_blocking_pair_and_is_valid(inst):
    prefs, fit, elig, area_of, caps = inst
    a = allocate(prefs, fit, areas=area_of, capacities=caps, eligible=elig, strategy="stable")
    assert a.check_validity() == ()
    assert a.blocking_pairs() == ()
    # with full eligibility everyone is placed when capacity allows (JPOs accept any assignment)
    full = allocate(prefs, fit, areas=area_of, capacities=caps, strategy="stable")
    placed = sum(o is not None for o in full.assignments.values())
    assert placed == min(len(fit.index), sum(caps.values()))


@FAST
@given(instances(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_allocation(inst, rnd):
    prefs, fit, elig, area_of, caps = inst
    rows = list(range(len(fit.index)))
    cols = list(range(len(fit.columns)))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    fit2 = fit.iloc[rows, cols]
    elig2 = pd.DataFrame(elig, index=fit.index, columns=fit.columns).iloc[rows, cols]
    prefs2 = dict(rnd.sample(list(prefs.items()), len(prefs)))
    area2 = dict(rnd.sample(list(area_of.items()), len(area_of)))
    caps2 = dict(rnd.sample(list(caps.items()), len(caps)))
    for strategy in ("rank-maximal", "welfare", "stable"):
        a = allocate(prefs, fit, areas=area_of, capacities=caps, eligible=elig, strategy=strategy)
        b = allocate(prefs2, fit2, areas=area2, capacities=caps2, eligible=elig2, strategy=strategy)
        assert a.assignments == b.assignments
        assert list(a.assignments) == sorted(a.assignments)


def test_rank_maximal_prefers_first_choices_over_fit():
    fit = pd.DataFrame(
        {"JPO-01": [0.9, 0.1], "JPO-02": [0.1, 0.95]}, index=["ana", "ben"], dtype=float
    )
    prefs = {"ana": ["JPO-02"], "ben": ["JPO-01"]}
    a = allocate(prefs, fit)
    assert a.assignments == {"ana": "JPO-02", "ben": "JPO-01"}
    assert a.profile == {"1st": 2, "2nd": 0, "3rd": 0, "outside": 0, "unplaced": 0}
    assert a.total_fit == pytest.approx(0.2)
    # welfare trades the two first choices (6 points + 0.2) for fit (0 points + 1.85)? No: 6.2 wins
    assert allocate(prefs, fit, strategy="welfare").assignments == a.assignments
    # stable: openings rank by fit, so each opening blocks with the candidate who fits it best
    s = allocate(prefs, fit, strategy="stable")
    assert s.assignments == a.assignments
    assert s.blocking_pairs() == ()


def test_welfare_gives_up_a_choice_only_when_fit_gained_exceeds_the_points():
    fit = pd.DataFrame({"JPO-01": [0.0, 1.0], "JPO-02": [0.5, 0.0]}, index=["a", "b"])
    prefs = {"a": ["JPO-01", "JPO-02"], "b": []}
    rm = allocate(prefs, fit)
    wf = allocate(prefs, fit, strategy="welfare")
    assert rm.assignments == {"a": "JPO-01", "b": "JPO-02"}  # a keeps her 1st choice
    # welfare: 3 points + 0 fit (rank-maximal) < 2 points + 0.5 + 1.0 (a takes her 2nd choice)
    assert wf.assignments == {"a": "JPO-02", "b": "JPO-01"}
    assert objective(wf, "welfare")[1] == pytest.approx(3.5)
    # with 3 points a step down the list, not 1, the fit gain no longer pays
    steep = allocate(prefs, fit, strategy="welfare", welfare_points=(3, 0, 0))
    assert steep.assignments == rm.assignments


def test_areas_count_as_one_choice():
    opens = ["JPO-07", "JPO-08", "JPO-15"]
    areas = {"JPO-07": "CPC", "JPO-08": "CPC", "JPO-15": "OCEEA"}
    fit = pd.DataFrame([[0.5, 0.6, 0.9], [0.7, 0.4, 0.2]], index=["x", "y"], columns=opens)
    a = allocate({"x": ["CPC", "OCEEA"], "y": ["cpc"]}, fit, areas=areas)
    assert a.choice_rank == {"x": 1, "y": 1}
    assert {a.assignments["x"], a.assignments["y"]} == {"JPO-07", "JPO-08"}
    assert a.assignments == {"x": "JPO-08", "y": "JPO-07"}  # then fit: 0.6 + 0.7 > 0.5 + 0.4


def test_ineligible_pairs_are_never_assigned_and_unplaced_when_needed():
    fit = pd.DataFrame([[0.9], [0.8]], index=["a", "b"], columns=["JPO-01"])
    elig = pd.DataFrame([[False], [True]], index=["a", "b"], columns=["JPO-01"])
    for strategy in ("rank-maximal", "welfare", "stable"):
        a = allocate({"a": ["JPO-01"], "b": []}, fit, eligible=elig, strategy=strategy)
        assert a.assignments == {"a": None, "b": "JPO-01"}
        assert a.choice_rank == {"a": None, "b": None}
        assert a.profile["outside"] == 1 and a.profile["unplaced"] == 1


def test_max_cardinality_beats_first_choices():
    # giving ana her 1st choice would leave ben unplaced: placing both comes first
    fit = pd.DataFrame({"JPO-01": [0.5, 0.5], "JPO-02": [0.5, 0.0]}, index=["ana", "ben"])
    elig = np.array([[True, True], [False, True]])
    a = allocate({"ana": ["JPO-02"], "ben": []}, fit, eligible=elig)
    assert a.assignments == {"ana": "JPO-01", "ben": "JPO-02"}


# ---------------------------------------------------------------------------------------------
# certificates can fail
# ---------------------------------------------------------------------------------------------


def test_check_validity_reports_broken_allocations():
    fit = pd.DataFrame([[0.9, 0.3], [0.2, 0.8]], index=["a", "b"], columns=["JPO-01", "JPO-02"])
    elig = np.array([[True, False], [True, True]])
    a = allocate({"a": ["JPO-01"], "b": ["JPO-02"]}, fit, eligible=elig)
    assert a.check_validity() == ()
    both = dataclasses.replace(a, assignments={"a": "JPO-01", "b": "JPO-01"})
    problems = " ".join(both.check_validity())
    assert "capacity" in problems and "choice rank" in problems and "total_fit" in problems
    inelig = dataclasses.replace(a, assignments={"a": "JPO-02", "b": "JPO-01"})
    assert any("not eligible" in p for p in inelig.check_validity())
    idle = dataclasses.replace(
        a,
        assignments={"a": "JPO-01", "b": None},
        choice_rank={"a": 1, "b": None},
        profile={"1st": 1, "2nd": 0, "3rd": 0, "outside": 0, "unplaced": 1},
        total_fit=0.9,
    )
    assert any("free seat" in p for p in idle.check_validity())


def test_blocking_pairs_found_in_an_unstable_allocation():
    fit = pd.DataFrame({"JPO-01": [0.9, 0.2], "JPO-02": [0.5, 0.5]}, index=["a", "b"])
    prefs = {"a": ["JPO-01"], "b": ["JPO-01", "JPO-02"]}
    rm = allocate(prefs, fit)
    assert rm.assignments == {"a": "JPO-01", "b": "JPO-02"}
    unstable = dataclasses.replace(
        rm, assignments={"a": "JPO-02", "b": "JPO-01"}, choice_rank={"a": None, "b": 1}
    )
    assert unstable.blocking_pairs() == (("a", "JPO-01"),)


def test_dual_certificate_rejects_a_suboptimal_assignment():
    w = np.array([[5, 1], [1, 5], [0, 0]], dtype=np.int64)
    allowed = np.ones(w.shape, dtype=bool)
    u, v, tight = assignment_duals(w, allowed, np.array([0, 1]))
    assert (u[:, None] + v[None, :] >= w).all() and u.sum() + v.sum() == 10
    assert tight[0, 0] and tight[1, 1] and not tight[0, 1]
    with pytest.raises(RuntimeError):
        assignment_duals(w, allowed, np.array([1, 0]))  # value 2 < 10: no certificate exists
    with pytest.raises(RuntimeError):
        assignment_duals(w, allowed, np.array([2, 1]))  # leaves row 0 (weight 5) out for weight 0


# ---------------------------------------------------------------------------------------------
# errors: every problem at once
# ---------------------------------------------------------------------------------------------


def test_preference_errors_are_listed_together():
    fit = pd.DataFrame(
        [[0.5, 1.2], [np.nan, 0.3]], index=["C-01", "C-02"], columns=["JPO-01", "JPO-02"]
    )
    prefs = {
        "C-01": ["JPO-01", "JPO-02", "OSG", "JPO-01"],
        "C-02": ["JPO-99", "JPO-02", "JPO-02"],
        "C-77": ["JPO-01"],
    }
    with pytest.raises(PreferenceError) as info:
        allocate(prefs, fit, areas={"JPO-02": "OSG", "JPO-44": "CPC"})
    problems = info.value.problems
    text = "\n".join(problems)
    for expected in (
        "outside [0, 1]",
        "C-01 x JPO-02 = 1.2",
        "missing value",
        "C-01: 4 choices given, at most 3",
        "'OSG' (choice 3) is already covered by choice 2",
        "C-02: unknown id 'JPO-99'",
        "C-02: 'JPO-02' listed more than once",
        "C-77 has preferences but no row in fit",
        "unknown opening 'JPO-44'",
    ):
        assert expected in text, expected
    assert str(len(problems)) in str(info.value)
    assert isinstance(info.value, matcher.MatcherError) and isinstance(info.value, ValueError)


def test_shape_and_capacity_errors():
    fit = pd.DataFrame([[0.5, 0.2]], index=["a"], columns=["JPO-01", "JPO-02"])
    with pytest.raises(PreferenceError) as info:
        allocate(
            {"a": []},
            fit,
            eligible=np.ones((2, 2), dtype=bool),
            capacities={"JPO-01": -1, "JPO-03": 1, "JPO-02": 1.5},
        )
    text = "\n".join(info.value.problems)
    assert "eligible has shape (2, 2) but fit has (1, 2)" in text
    assert "capacity of JPO-01" in text and "capacity of JPO-02" in text
    assert "unknown opening 'JPO-03'" in text
    dup = pd.DataFrame([[0.5], [0.4]], index=["a", "a"], columns=["JPO-01"])
    with pytest.raises(PreferenceError, match="candidate ids more than once: a"):
        allocate({}, dup)
    with pytest.raises(ConfigError, match="rank-maximal, welfare, stable"):
        allocate({}, fit, strategy="greedy")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# balance, selection, explanation
# ---------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(instances(max_n=5, max_seats=5, areas=False), st.integers(0, 2))
def test_balance_matches_brute_force(inst, limit):
    prefs, fit, elig, _, caps = inst
    groups = {c: "G" + str(i % 2) for i, c in enumerate(fit.index)}
    cands, opens = list(fit.index), list(fit.columns)
    rank = rank_table(prefs, fit, {})
    best = None
    for combo in itertools.product(*[[None, *opens] for _ in cands]):
        if any(o and not elig[i, opens.index(o)] for i, o in enumerate(combo)):
            continue
        if any(combo.count(o) > caps[o] for o in opens):
            continue
        per_group = {}
        for c, o in zip(cands, combo, strict=True):
            if o:
                per_group[groups[c]] = per_group.get(groups[c], 0) + 1
        if any(k > limit for k in per_group.values()):
            continue
        placed = [(c, o) for c, o in zip(cands, combo, strict=True) if o]
        key = (
            len(placed),
            *[sum(rank.get(p, 0) == k for p in placed) for k in (1, 2, 3)],
            sum(float(fit.loc[c, o]) for c, o in placed),
        )
        if best is None or _better(key, best):
            best = key
    plain = allocate(prefs, fit, capacities=caps, eligible=elig)
    unconstrained = len([o for o in plain.assignments.values() if o])
    if best[0] < unconstrained:
        with pytest.raises(InfeasibleError):
            allocate(prefs, fit, capacities=caps, eligible=elig, balance=Balance(groups, limit))
        return
    a = allocate(prefs, fit, capacities=caps, eligible=elig, balance=Balance(groups, limit))
    assert a.check_validity() == ()
    assert same_objective(objective(a, "rank-maximal"), best)


def test_balance_per_area_and_infeasible_report():
    opens = ["JPO-01", "JPO-02", "JPO-03", "JPO-04"]
    areas = {"JPO-01": "OSG", "JPO-02": "OSG", "JPO-03": "CPC", "JPO-04": "CPC"}
    cands = ["a1", "a2", "b1", "b2"]
    fit = pd.DataFrame(0.5, index=cands, columns=opens)
    prefs = {c: ["OSG"] for c in cands}
    groups = {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}
    a = allocate(prefs, fit, areas=areas, balance=Balance(groups, 1, within="area"))
    osg = [c for c, o in a.assignments.items() if areas.get(o) == "OSG"]
    assert sorted(groups[c] for c in osg) == ["A", "B"]
    assert a.check_validity() == ()
    with pytest.raises(InfeasibleError, match="group A: 2 candidates, at most 1"):
        allocate(prefs, fit, areas=areas, balance=Balance(groups, 1))
    with pytest.raises(ConfigError):
        Balance(groups, 1, within="desk")  # type: ignore[arg-type]


def test_select_and_allocate_rule():
    ranking = pd.DataFrame(
        {
            "candidate_id": ["p", "q", "r", "s", "t"],
            "score": [0.9, 0.95, 0.8, 0.99, 0.7],
            "eligibility": ["eligible", "unknown", "eligible", "ineligible", "eligible"],
        }
    )
    prefs = {"p": ["JPO-02"], "q": ["JPO-01"], "r": ["JPO-01"], "s": ["JPO-01"], "t": []}
    a = select_and_allocate(ranking, prefs, openings=["JPO-01", "JPO-02"])
    # eligible first by score (p, r), never the ineligible s, unknown q only after them
    assert set(a.assignments) == {"p", "r"}
    assert a.assignments == {"p": "JPO-02", "r": "JPO-01"}
    assert "selected 2 of 5" in a.warnings[0]
    b = select_and_allocate(
        ranking, prefs, openings=["JPO-01", "JPO-02"], n_openings=3, capacities={"JPO-01": 2}
    )
    assert set(b.assignments) == {"p", "r", "t"}
    # fit table: best eligible fit; skip who cannot be placed with those already selected
    fit = pd.DataFrame(
        {"JPO-01": [0.9, 0.8, 0.1], "JPO-02": [0.0, 0.0, 0.2]}, index=["x", "y", "z"]
    )
    elig = np.array([[True, False], [True, False], [True, True]])
    c = select_and_allocate(fit, {}, eligible=elig)
    assert c.assignments == {"x": "JPO-01", "z": "JPO-02"}  # y fits better than z but cannot fit in
    groups = {"p": "A", "r": "A", "t": "B", "q": "B"}
    d = select_and_allocate(
        ranking, prefs, openings=["JPO-01", "JPO-02"], balance=Balance(groups, 1)
    )
    assert set(d.assignments) == {"p", "t"}
    # a group limit that leaves a seat empty is reported, not hidden
    e = select_and_allocate(
        ranking,
        prefs,
        openings=["JPO-01", "JPO-02"],
        balance=Balance({"p": "A", "r": "A", "t": "A", "q": "A"}, 1),
    )
    assert set(e.assignments) == {"p"}
    assert "balance constraints leave 1 seat(s) empty: 2 could be filled" in e.warnings[1]


def test_explain_names_who_took_the_better_choice():
    opens = ["JPO-07", "JPO-08", "JPO-12"]
    areas = {"JPO-07": "CPC", "JPO-08": "CPC", "JPO-12": "PESU"}
    fit = pd.DataFrame(
        [[0.6, 0.5, 0.71], [0.9, 0.1, 0.2], [0.1, 0.8, 0.3]],
        index=["C-03", "C-07", "C-09"],
        columns=opens,
    )
    prefs = {"C-03": ["CPC", "JPO-12"], "C-07": ["JPO-07"], "C-09": ["CPC"]}
    a = allocate(prefs, fit, areas=areas)
    text = a.explain("C-03")
    assert text.startswith("C-03: placed in JPO-12 (PESU), 2nd choice, fit 0.71.")
    assert "1st choice CPC" in text and "was taken by candidates with higher fit" in text
    assert "JPO-07 went to C-07 (fit 0.90, their 1st choice)" in text
    assert "JPO-08 went to C-09 (fit 0.80, their 1st choice)" in text
    # C-03 in CPC (1st) pushes C-09 outside: still two 1st choices, but no 2nd choice any more
    assert text.splitlines()[-1] == (
        "Proof: the best allocation that puts C-03 in JPO-08 (1st choice) has the same placed "
        "candidates (3), 1st choices (2) but 0 2nd choices instead of 1."
    )
    with pytest.raises(KeyError):
        a.explain("nobody")


@settings(max_examples=40, deadline=None)
@given(instances(max_n=6, max_seats=6), st.sampled_from(["rank-maximal", "welfare"]))
def test_no_candidate_can_be_moved_up_without_a_worse_objective(inst, strategy):
    prefs, fit, elig, area_of, caps = inst
    a = allocate(prefs, fit, areas=area_of, capacities=caps, eligible=elig, strategy=strategy)
    for i, c in enumerate(a.candidates):
        alt = a._forced(i)
        if alt is None:
            continue
        rank = alt.choice_rank[c]
        assert rank is not None and rank < (a.choice_rank[c] or 4)
        assert alt.check_validity() == ()
        # the forced optimum lies in a subset of the allocations: never better (lexicographic)
        for x, y in zip(a.objective(), alt.objective(), strict=True):
            if math.isclose(x, y, abs_tol=1e-7):
                continue
            assert y < x
            break
        assert "Proof:" in a.explain(c) or "equally good" in a.explain(c)


def test_to_frame_and_profile_text():
    fit = pd.DataFrame([[0.5, 0.25]], index=["a"], columns=["JPO-01", "JPO-02"])
    a = allocate({"a": ["JPO-02"]}, fit)
    frame = a.to_frame()
    assert frame.to_dict("records")[0] == {
        "candidate_id": "a",
        "opening_id": "JPO-02",
        "area": None,
        "choice_rank": 1,
        "fit": 0.25,
        "choices": "JPO-02",
    }
    assert a.profile_text().startswith("1st 1 · 2nd 0 · 3rd 0 · outside 0 · unplaced 0")
    data = json.loads(json.dumps(a.to_dict()))
    assert data["assignments"] == {"a": "JPO-02"} and data["profile"]["1st"] == 1


# ---------------------------------------------------------------------------------------------
# the shipped sample and the CLI
# ---------------------------------------------------------------------------------------------


def test_sample_data_allocates_everyone(capsys, tmp_path):
    from matcher.cli import main

    out = tmp_path / "allocation.csv"
    code = main(
        [
            "allocate",
            "--preferences", str(JPO / "preferences.csv"),
            "--fit", str(JPO / "fit.csv"),
            "--areas", str(JPO / "areas.csv"),
            "--compare",
            "--explain", "JPO-C05",
            "--out", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "rank-maximal: 1st" in printed and "stable: 1st" in printed
    assert "JPO-C05: placed in JPO-" in printed
    frame = pd.read_csv(out)
    assert len(frame) == 23 and frame["opening_id"].notna().all()
    assert sorted(frame["opening_id"]) == [f"JPO-{k:02d}" for k in range(1, 24)]


def test_cli_reports_bad_input(tmp_path, capsys):
    from matcher.cli import main

    prefs = tmp_path / "prefs.csv"
    prefs.write_text("candidate_id,choice_1,choice_2,choice_3,choice_4\nX,JPO-01,JPO-02,A,B\n")
    fit = tmp_path / "fit.csv"
    fit.write_text("candidate_id,JPO-01,JPO-02\nX,0.5,1.5\n")
    assert main(["allocate", "--preferences", str(prefs), "--fit", str(fit)]) == 1
    err = capsys.readouterr().err
    assert "4 choices given" in err and "outside [0, 1]" in err and "unknown id 'A'" in err
    assert main(["allocate", "--preferences", str(tmp_path / "no.csv"), "--fit", str(fit)]) == 1
    assert "no such preferences file" in capsys.readouterr().err


def test_benchmark_smoke(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_allocation", Path(__file__).resolve().parents[1] / "benchmarks" / "allocation.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--sizes", "23x23", "40x9", "--in-process", "--out", str(tmp_path)]) == 0
    rows = json.loads((tmp_path / "allocation.json").read_text())
    assert [(r["size"], r["strategy"]) for r in rows][:3] == [
        ("23x23", "rank-maximal"),
        ("23x23", "welfare"),
        ("23x23", "stable"),
    ]
    assert all(r["valid"] for r in rows) and rows[2]["blocking_pairs"] == 0
    assert rows[0]["profile"]["unplaced"] == 0  # the JPO sample: everyone placed
    assert "| 40 x 9 (9) | stable |" in (tmp_path / "allocation.md").read_text()


@pytest.mark.parametrize(
    "call",
    [
        lambda f: allocate({"a": ["O1"]}, np.array([[0.5]])),
        lambda f: allocate([("a", ["O1"])], f),
        lambda f: allocate({"a": 5}, f),
        lambda f: allocate({}, pd.DataFrame([["x", 0.3]], index=["a"], columns=["O1", "O2"])),
        lambda f: allocate({}, pd.DataFrame()),
        lambda f: allocate({}, f, eligible=np.array([[True, np.nan], [True, True]])),
        lambda f: allocate({}, f, capacities={"O1": None}),
        lambda f: allocate({}, f, strategy=None),
        lambda f: allocate({}, f, welfare_points=(3.5, 2, 1)),
        lambda f: allocate({}, f, balance={"groups": {"zz": "A"}, "max_per_group": -1}),
        lambda f: allocate({}, f, balance=[5]),
        lambda f: allocate({}, f, strategy="stable", balance=Balance({"a": "A"}, 1)),
        lambda f: select_and_allocate({"a": 1}, {}),
        lambda f: select_and_allocate(pd.DataFrame({"candidate_id": ["a"], "score": [0.5]}), {}),
        lambda f: select_and_allocate(f, {}, n_openings=-1),
        lambda f: allocate({}, pd.DataFrame([[np.inf]], index=["a"], columns=["O1"])),
    ],
)
def test_hostile_input_raises_a_matcher_error(call):
    fit = pd.DataFrame([[0.5, 0.2], [0.1, 0.9]], index=["a", "b"], columns=["O1", "O2"])
    with pytest.raises(matcher.MatcherError):
        call(fit)


def test_too_large_is_refused_up_front(monkeypatch):
    monkeypatch.setattr("matcher.allocation.MAX_CELLS", 3)
    fit = pd.DataFrame([[0.5, 0.2], [0.1, 0.9]], index=["a", "b"], columns=["O1", "O2"])
    with pytest.raises(matcher.InputTooLargeError, match="2 candidates x 2 seats"):
        allocate({}, fit)


def test_select_nobody_is_an_empty_allocation():
    fit = pd.DataFrame([[0.5, 0.2], [0.1, 0.9]], index=["a", "b"], columns=["O1", "O2"])
    a = select_and_allocate(fit, {}, n_openings=0)
    assert a.assignments == {} and a.check_validity() == ()
    assert a.warnings == ("selected 0 of 2 candidates to fill 0 of 2 seats",)


@pytest.mark.parametrize("seed", range(12))
def test_matches_an_independent_milp_beyond_brute_force_sizes(seed):
    """5-40 candidates x 3-20 openings (capacities 0-2, areas): same optimum as HiGHS MILP (the
    solver of balance constraints, here given one that binds nobody: each candidate a group of
    its own, at most one placed per group)."""

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(5, 40)), int(rng.integers(3, 20))
    cands, opens = [f"c{i:02d}" for i in range(n)], [f"o{j:02d}" for j in range(m)]
    values = rng.integers(0, 5, (n, m)) / 4 if seed % 2 else rng.random((n, m))
    fit = pd.DataFrame(values, index=cands, columns=opens)
    elig = rng.random((n, m)) < rng.uniform(0.2, 1)
    caps = {o: int(rng.integers(0, 3)) for o in opens}
    areas = {o: f"A{j % 4}" for j, o in enumerate(opens)} if seed % 3 else {}
    names = opens + sorted(set(areas.values()))
    prefs = {}
    for c in cands:
        picked, covered = [], set()
        for x in rng.permutation(names)[: int(rng.integers(0, 6))]:
            members = {o for o, a in areas.items() if a == x} or {str(x)}
            if not members <= covered and len(picked) < 3:
                picked.append(str(x))
                covered |= members
        prefs[c] = picked
    for strategy in ("rank-maximal", "welfare"):
        a = allocate(prefs, fit, areas=areas, capacities=caps, eligible=elig, strategy=strategy)
        alone = Balance({c: c for c in cands}, 1)
        b = allocate(
            prefs, fit, areas=areas, capacities=caps, eligible=elig, strategy=strategy,
            balance=alone,
        )  # fmt: skip
        assert a.check_validity() == () and b.check_validity() == ()
        assert same_objective(a.objective(), b.objective()), (a.objective(), b.objective())


def test_cli_balance_and_selection(capsys):
    from matcher.cli import main

    base = ["allocate", "--preferences", str(JPO / "preferences.csv"),
            "--fit", str(JPO / "fit.csv"), "--areas", str(JPO / "areas.csv")]  # fmt: skip
    assert main([*base, "--groups", str(JPO / "groups.csv"), "--max-per-group", "2"]) == 0
    assert "unplaced 0" in capsys.readouterr().out
    # one per group and area cannot place all 23: reported, not silently dropped
    assert main([*base, "--groups", str(JPO / "groups.csv"), "--max-per-group", "1"]) == 1
    assert "balance constraints cannot be met" in capsys.readouterr().err
    assert main([*base, "--json", "--compare", "--explain", "JPO-C01"]) == 0
    data = json.loads(capsys.readouterr().out)  # JSON only
    assert data["strategy"] == "rank-maximal" and len(data["assignments"]) == 23
    assert set(data["compare"]) == {"rank-maximal", "welfare", "stable"}
    assert data["explanations"]["JPO-C01"].startswith("JPO-C01: placed in")
    groups = ["--groups", str(JPO / "groups.csv"), "--max-per-group", "2"]
    assert main([*base, *groups, "--compare", "--strategy", "welfare"]) == 0
    assert "stable: (balance constraints are not supported" in capsys.readouterr().out
    assert main([*base, *groups, "--strategy", "stable"]) == 1
    assert "not supported with strategy='stable'" in capsys.readouterr().err
    assert main([*base, "--select", "15"]) == 0
    out = capsys.readouterr().out
    assert "selected 15 of 23 candidates to fill 15 of 23 seats" in out
    assert main([*base, "--groups", str(JPO / "groups.csv")]) == 1
    assert "go together" in capsys.readouterr().err

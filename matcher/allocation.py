"""JPO allocation: place candidates in openings, honouring up to three preferences, provably.

The JPO brochure asks each candidate for "a maximum of three thematic areas of interest in order of
preference"; the organisation "attempts to place selected JPOs in one of their three top areas of
interest" and JPOs commit to accept any assignment. :func:`allocate` turns that into an exact
optimisation over a fit table (candidates x openings, values in [0, 1]) that may come from
:class:`matcher.Matcher` or from anywhere else: this module knows nothing of how fit was made.

    >>> import pandas as pd, matcher
    >>> fit = pd.DataFrame([[0.9, 0.2], [0.8, 0.7]], index=["ana", "ben"],
    ...                    columns=["JPO-01", "JPO-02"])
    >>> a = matcher.allocate({"ana": ["JPO-01"], "ben": ["JPO-01", "JPO-02"]}, fit)
    >>> a.assignments, a.profile["1st"], round(a.total_fit, 2)
    ({'ana': 'JPO-01', 'ben': 'JPO-02'}, 1, 1.6)

Strategies (objectives in this order, exactly):

``rank-maximal``
    1. place as many candidates as possible (never in an ineligible pair);
    2. then maximise the number of 1st choices, then of 2nd, then of 3rd choices;
    3. then maximise total fit.
``welfare``
    1. place as many candidates as possible;
    2. then maximise the sum over placed candidates of ``points[choice] + fit``, with
       ``points = (3, 2, 1)`` for a 1st/2nd/3rd choice and 0 outside the preferences. One step
       down a candidate's list costs one point, the whole range of one candidate's fit: welfare
       gives up a higher choice only when the fit gained elsewhere adds up to more than that.
``stable``
    candidate-proposing deferred acceptance (Gale-Shapley) where each opening ranks candidates by
    fit (ties by id) and a candidate ranks the openings of one area choice by fit; then the
    candidates left unplaced take the remaining seats, as many as possible and then by maximum
    total fit. The result has no blocking pair (:meth:`Allocation.blocking_pairs` is empty). The
    deferred-acceptance placements are kept as they are, so with partial eligibility ``stable``
    can place fewer candidates than the other two; with full eligibility everyone is placed
    when there are enough seats.

How the lexicographic objectives are solved exactly
---------------------------------------------------
Capacities are expanded into seats and each objective becomes one *stage* of an assignment
problem solved by :func:`scipy.optimize.linear_sum_assignment` on the candidates x seats matrix
(the smaller side, ``c = min(candidates, seats)``, is matched completely; an ineligible pair
weighs 0 in every stage and stands for "left out", so it is dropped from the result; as the first
stage counts eligible pairs only, this changes no optimum). Weights are integers: 0/1
indicators for "placed", "1st choice", "2nd", "3rd" (the three choice counts share one stage with
weights ``(c+1)**2, c+1, 1`` while that stays exact, i.e. up to a few thousand seats: each count is
at most ``c``, so the sum orders them lexicographically), and ``round(fit * F)`` for fit, with
``F = 2**30`` (smaller only past ~1,000 seats, see below). After each stage we compute an optimal
dual ``(u, v)`` ourselves, in int64, from the solver's assignment (a longest-path computation over
the seats) and check it: ``u + v >= w`` on every allowed pair, equality on assigned pairs, ``u = 0``
on unassigned rows. By LP duality that *proves* the stage optimal, whatever the solver did. By
complementary slackness the optimal solutions of the stage are exactly the assignments that use
only tight pairs (``u + v == w``) and leave no row with ``u > 0`` unassigned; the next stage is
therefore solved over the tight pairs only, with a bonus ``B = c * max(w) + 1`` on rows that
must stay assigned: one unit of ``B`` outweighs the largest possible sum of the stage's own
weights, so every optimum of the next stage is an optimum of all earlier ones.

Why the arithmetic is exact: the solver works in float64, which represents every integer below
``2**53`` exactly. Each stage's weights are at most ``B + max(w) <= (c + 2) * max(w)`` and every sum
the solver forms is at most ``c`` of them, so we choose ``F`` such that ``c * (c + 2) * max(w)``
stays below ``2**52``: for up to 1,000 seats ``F = 2**30`` (fit resolved to ~1e-9). The optimum is
exact for the fit rounded to multiples of ``1/F``; it differs from the optimum for the unrounded
fit by less than ``c / (2 F)`` in total fit. The certificate is checked in int64 on the same
integers, so a floating-point slip in the solver could not pass unnoticed. This is also why we do
not fold all objectives into one weighted sum: "one unit of a higher objective outweighs the sum of
all lower ones" needs weights near ``c**5 * F``, beyond float64 already at 200 seats.

Ties are broken deterministically: candidates and openings are sorted by id before the matrices
are built, so the result depends only on the ids and the values, never on input order.

:meth:`Allocation.explain` backs each placement with an exact counterfactual: the best allocation
that forces the candidate into a better choice (a first stage "this candidate is placed" ahead of
the strategy's own stages), and which objective it loses.

Balance constraints (e.g. at most ``k`` candidates of one group per department) are solved with
:func:`scipy.optimize.milp` over the same stages, each stage's optimum fixed as a constraint for
the next. They are hard constraints that must not cost a placement: when they would leave a
candidate unplaced whom capacity and eligibility could place,
:class:`~matcher.errors.InfeasibleError` says so.
Groups never enter a score.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from matcher.errors import ConfigError, InfeasibleError, PreferenceError
from matcher.scoring.ranking import eligibility_rank, rank_key

if TYPE_CHECKING:
    import pandas as pd

    from matcher.audit import AuditLog

log = logging.getLogger(__name__)

Strategy = Literal["rank-maximal", "welfare", "stable"]
STRATEGIES: tuple[str, ...] = ("rank-maximal", "welfare", "stable")
MAX_CHOICES = 3
WELFARE_POINTS: tuple[int, int, int] = (3, 2, 1)
PROFILE_KEYS: tuple[str, ...] = ("1st", "2nd", "3rd", "outside", "unplaced")
_ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}
_MAX_FIT_SCALE = 2**30
_EXACT_LIMIT = 2**52
_MAX_LISTED = 5  # examples listed per kind of numeric problem in a table
#: candidate x seat pairs one allocate() call accepts (10,000 x 1,000 peaks near 350 MB)
MAX_CELLS = 30_000_000


# --------------------------------------------------------------------------------------------
# balance constraints
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Balance:
    """At most ``max_per_group`` placed candidates of one group, across the programme or per area.

    ``groups`` maps candidate id -> group label (e.g. nationality); candidates absent from it
    belong to no group. ``max_per_group`` is one limit for every group or a mapping group -> limit
    (groups not in the mapping are unlimited). ``within`` is ``"programme"`` (all openings),
    ``"area"`` (each area of ``areas`` separately) or ``"opening"`` (each opening separately).
    Groups constrain the allocation; they never enter a score.

        >>> Balance({"ana": "A", "ben": "A"}, 1, within="area").within
        'area'
    """

    groups: Mapping[str, str]
    max_per_group: int | Mapping[str, int]
    within: Literal["programme", "area", "opening"] = "programme"

    def __post_init__(self) -> None:
        if self.within not in ("programme", "area", "opening"):
            raise ConfigError(
                f"unknown Balance within={self.within!r}; valid: 'programme', 'area', 'opening'"
            )

    def limit(self, group: str) -> int | None:
        if isinstance(self.max_per_group, Mapping):
            value = self.max_per_group.get(group)
            return None if value is None else int(value)
        return int(self.max_per_group)


# --------------------------------------------------------------------------------------------
# the result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Allocation:
    """Who goes where, why, and the certificates that it is right.

    ``assignments``: candidate id -> opening id, or None when unplaced (ordered by candidate id).
    ``choice_rank``: candidate id -> 1, 2, 3, or None (placed outside the preferences, or unplaced).
    ``profile``: counts of ``1st``, ``2nd``, ``3rd``, ``outside`` and ``unplaced``.
    ``total_fit``: sum of the fit of the assigned pairs.
    """

    assignments: dict[str, str | None]
    choice_rank: dict[str, int | None]
    profile: dict[str, int]
    total_fit: float
    strategy: str
    fit_resolution: float = 0.0
    warnings: tuple[str, ...] = ()
    # the normalised problem, kept for explain / check_validity / blocking_pairs
    candidates: tuple[str, ...] = field(default=(), repr=False)
    openings: tuple[str, ...] = field(default=(), repr=False)
    areas: dict[str, str] = field(default_factory=dict, repr=False)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    capacities: dict[str, int] = field(default_factory=dict, repr=False)
    _fit: Any = field(default=None, repr=False, compare=False)
    _eligible: Any = field(default=None, repr=False, compare=False)
    _rank: Any = field(default=None, repr=False, compare=False)
    _balance: tuple[Balance, ...] = field(default=(), repr=False, compare=False)
    _points: tuple[int, int, int] = field(default=WELFARE_POINTS, repr=False, compare=False)

    # ---- views -----------------------------------------------------------------------------

    def fit_of(self, candidate_id: str, opening_id: str) -> float:
        """Fit of one pair, from the table the allocation was made with."""
        return float(
            self._fit[self.candidates.index(candidate_id), self.openings.index(opening_id)]
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate: candidate_id, opening_id, area, choice_rank, fit, choices."""
        import pandas as pd

        rows = []
        col = {o: j for j, o in enumerate(self.openings)}
        for i, c in enumerate(self.candidates):
            o = self.assignments[c]
            rows.append(
                {
                    "candidate_id": c,
                    "opening_id": o,
                    "area": self.areas.get(o) if o else None,
                    "choice_rank": self.choice_rank[c],
                    "fit": float(self._fit[i, col[o]]) if o else None,
                    "choices": "; ".join(self.choices.get(c, ())),
                }
            )
        frame = pd.DataFrame(
            rows, columns=["candidate_id", "opening_id", "area", "choice_rank", "fit", "choices"]
        )
        frame["choice_rank"] = frame["choice_rank"].astype("Int64")
        return frame

    @property
    def vacant(self) -> dict[str, int]:
        """Opening id -> seats left empty, for every opening not filled to capacity."""
        taken: dict[str, int] = {}
        for o in self.assignments.values():
            if o is not None:
                taken[o] = taken.get(o, 0) + 1
        out = {}
        for o in self.openings:
            free = self.capacities.get(o, 1) - taken.get(o, 0)
            if free > 0:
                out[o] = free
        return out

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data (no fit table, no preferences)."""
        return {
            "strategy": self.strategy,
            "profile": dict(self.profile),
            "total_fit": self.total_fit,
            "assignments": dict(self.assignments),
            "choice_rank": dict(self.choice_rank),
            "vacant": self.vacant,
            "fit_resolution": self.fit_resolution,
            "warnings": list(self.warnings),
        }

    def profile_text(self) -> str:
        """The profile on one line, e.g. ``1st 15 · 2nd 5 · 3rd 2 · outside 1 · unplaced 0``."""
        return " · ".join(f"{k} {self.profile[k]}" for k in PROFILE_KEYS) + (
            f" · total fit {self.total_fit:.3f}"
        )

    # ---- certificates ----------------------------------------------------------------------

    def check_validity(self) -> tuple[str, ...]:
        """Problems with this allocation; an empty tuple means it is valid.

        Valid: every assignment is an eligible pair of known ids; no opening over capacity;
        ``choice_rank``, ``profile`` and ``total_fit`` agree with the assignments; no unplaced
        candidate could take a free seat they are eligible for; balance limits are met.
        """
        problems: list[str] = []
        row = {c: i for i, c in enumerate(self.candidates)}
        col = {o: j for j, o in enumerate(self.openings)}
        load: dict[str, int] = dict.fromkeys(self.openings, 0)
        total = 0.0
        counts = dict.fromkeys(PROFILE_KEYS, 0)
        if set(self.assignments) != set(self.candidates):
            problems.append("assignments do not cover exactly the candidates")
        for c, o in self.assignments.items():
            if c not in row:
                problems.append(f"unknown candidate {c}")
                continue
            rank = self.choice_rank.get(c)
            if o is None:
                counts["unplaced"] += 1
                if rank is not None:
                    problems.append(f"{c} is unplaced but has choice rank {rank}")
                continue
            if o not in col:
                problems.append(f"{c} assigned to unknown opening {o}")
                continue
            i, j = row[c], col[o]
            if not self._eligible[i, j]:
                problems.append(f"{c} assigned to {o} but is not eligible for it")
            load[o] += 1
            total += float(self._fit[i, j])
            expected = int(self._rank[i, j]) or None
            if rank != expected:
                problems.append(f"{c} in {o}: choice rank {rank}, expected {expected}")
            counts[_ORDINAL.get(expected or 0, "outside")] += 1
        for o, n in load.items():
            if n > self.capacities.get(o, 1):
                problems.append(f"{o} holds {n} candidates, capacity {self.capacities.get(o, 1)}")
        if counts != dict(self.profile):
            problems.append(f"profile {dict(self.profile)} does not match assignments {counts}")
        if not math.isclose(total, self.total_fit, rel_tol=1e-9, abs_tol=1e-9):
            problems.append(f"total_fit {self.total_fit} does not match assignments ({total})")
        free = [o for o in self.openings if load[o] < self.capacities.get(o, 1)]
        for c, o in self.assignments.items():
            if o is None and c in row:
                open_for_c = [f for f in free if self._eligible[row[c], col[f]]]
                if open_for_c and not self._balance:
                    problems.append(f"{c} is unplaced although {open_for_c[0]} has a free seat")
        for b in self._balance:
            problems.extend(_balance_violations(b, self.assignments, self.areas))
        return tuple(problems)

    def blocking_pairs(self) -> tuple[tuple[str, str], ...]:
        """Pairs (candidate, opening) that would both rather be together; empty = stable.

        A candidate prefers opening ``o`` to their placement when ``o`` belongs to a strictly
        better choice (openings of one area choice count as equally good; being unplaced or placed
        outside the preferences is worse than any choice). Opening ``o`` prefers the candidate when
        it has a free seat or holds someone with lower fit for it (equal fit: larger id). Only
        eligible pairs count.
        """
        row = {c: i for i, c in enumerate(self.candidates)}
        col = {o: j for j, o in enumerate(self.openings)}
        holders: dict[str, list[str]] = {o: [] for o in self.openings}
        for c, o in self.assignments.items():
            if o is not None:
                holders[o].append(c)
        worst: dict[str, tuple[float, str] | None] = {}
        closed = {o for o in self.openings if self.capacities.get(o, 1) == 0}
        for o, held in holders.items():
            if o in closed:
                continue  # no seat: cannot block
            if len(held) < self.capacities.get(o, 1):
                worst[o] = None  # free seat
            else:
                j = col[o]
                worst[o] = max((-float(self._fit[row[c], j]), c) for c in held)
        pairs = []
        for c in self.candidates:
            i = row[c]
            current = self.choice_rank[c] or MAX_CHOICES + 1
            for j in np.flatnonzero((self._rank[i] > 0) & (self._rank[i] < current)).tolist():
                if not self._eligible[i, j]:
                    continue
                o = self.openings[j]
                if o in closed:
                    continue
                w = worst[o]
                if w is None or (-float(self._fit[i, j]), c) < w:
                    pairs.append((c, o))
        return tuple(pairs)

    def explain(self, candidate_id: str) -> str:
        """Why this candidate is where they are, in words, naming who holds their better choices.

        e.g. ``"C-03: placed in JPO-12 (CPC), 2nd choice, fit 0.71. 1st choice OSG: JPO-01 went to
        C-07 (fit 0.88, their 1st choice) ..."``
        """
        if candidate_id not in self.assignments:
            raise KeyError(f"unknown candidate {candidate_id!r}")
        row = {c: i for i, c in enumerate(self.candidates)}
        col = {o: j for j, o in enumerate(self.openings)}
        i = row[candidate_id]
        o = self.assignments[candidate_id]
        rank = self.choice_rank[candidate_id]
        holders: dict[str, list[str]] = {}
        for c, oo in self.assignments.items():
            if oo is not None:
                holders.setdefault(oo, []).append(c)

        def area_of(op: str) -> str:
            return f" ({self.areas[op]})" if op in self.areas else ""

        if o is None:
            head = f"{candidate_id}: not placed"
        else:
            where = f"{_ORDINAL[rank]} choice" if rank else "outside the preferences"
            head = (
                f"{candidate_id}: placed in {o}{area_of(o)}, {where}, "
                f"fit {self._fit[i, col[o]]:.2f}"
            )
        lines = [head + "."]
        choices = self.choices.get(candidate_id, ())
        if not choices:
            lines.append("No preferences were given, so any opening counts the same.")
        better = choices if rank is None else choices[: rank - 1]
        lower_fit_seen = False
        for k, choice in enumerate(better, start=1):
            members = [op for op in self.openings if self._rank[i, col[op]] == k]
            parts = []
            for op in members:
                j = col[op]
                if not self._eligible[i, j]:
                    parts.append(f"{op}: not eligible")
                    continue
                held = sorted(holders.get(op, []))
                if not held:
                    no_seat = self.capacities.get(op, 1) == 0
                    parts.append(f"{op}: no seat (capacity 0)" if no_seat else f"{op}: left empty")
                    continue
                mine = self._fit[i, j]
                who = []
                for h in held:
                    hf = self._fit[row[h], j]
                    hr = self.choice_rank[h]
                    their = f"their {_ORDINAL[hr]} choice" if hr else "outside their preferences"
                    flag = "" if hf > mine else "; equal fit" if hf == mine else "; lower fit"
                    lower_fit_seen |= hf <= mine
                    who.append(f"{h} (fit {hf:.2f}, {their}{flag})")
                parts.append(f"{op} went to " + ", ".join(who))
            label = f"{_ORDINAL[k]} choice {choice}"
            if not parts:
                lines.append(f"{label}: no opening.")
                continue
            label += f" (fit here: {self._fit_text(i, members)})"
            if all("lower fit" not in q and "equal fit" not in q and "went to" in q for q in parts):
                lines.append(
                    f"{label} was taken by candidates with higher fit: " + "; ".join(parts)
                )
            else:
                lines.append(f"{label}: " + "; ".join(parts))
            lines[-1] += "."
        if o is None:
            free = [
                op
                for op in self.openings
                if len(holders.get(op, [])) < self.capacities.get(op, 1)
                and self._eligible[i, col[op]]
            ]
            lines.append(
                "Every opening this candidate is eligible for is full."
                if not free
                else "Balance constraints kept this candidate out of " + ", ".join(free) + "."
            )
        if lower_fit_seen:
            lines.append(_STRATEGY_REASON[self.strategy])
        if better and self.strategy != "stable" and not self._balance:
            lines.append(self._counterfactual(i, rank))
        return "\n".join(lines)

    def _problem(self, eligible: np.ndarray | None = None) -> _Problem:
        return _Problem(
            candidates=self.candidates,
            openings=self.openings,
            fit=self._fit,
            eligible=self._eligible if eligible is None else eligible,
            capacities=np.array([self.capacities[o] for o in self.openings], dtype=np.int64),
            areas=self.areas,
            choices=self.choices,
            rank=self._rank,
        )

    def objective(self) -> tuple[float, ...]:
        """The strategy's objective, compared lexicographically (higher is better).

        rank-maximal: (placed, 1st, 2nd, 3rd, total fit); welfare: (placed, points + fit);
        stable: (placed, 1st, 2nd, 3rd, total fit), for reference only.
        """
        placed = sum(o is not None for o in self.assignments.values())
        p = self.profile
        if self.strategy == "welfare":
            pts = sum(self._points[r - 1] for r in self.choice_rank.values() if r)
            return (placed, pts + self.total_fit)
        return (placed, p["1st"], p["2nd"], p["3rd"], self.total_fit)

    def _fit_text(self, i: int, members: Sequence[str]) -> str:
        col = {o: j for j, o in enumerate(self.openings)}
        return ", ".join(f"{op} {self._fit[i, col[op]]:.2f}" for op in members)

    def _forced(self, i: int) -> Allocation | None:
        """The best allocation (same strategy) that puts candidate ``i`` in a better choice.

        Exact: a first stage "this candidate is placed" is put before the strategy's own stages,
        with the candidate's eligible openings cut to their better choices. None when no seat of
        a better choice is open to them at all.
        """
        current = self.choice_rank[self.candidates[i]] or MAX_CHOICES + 1
        caps = np.array([self.capacities[o] for o in self.openings])
        better = (self._rank[i] > 0) & (self._rank[i] < current) & self._eligible[i] & (caps > 0)
        if not better.any():
            return None
        elig = self._eligible.copy()
        elig[i] = better
        p = self._problem(elig)
        stages, _ = _stages(p, self.strategy, self._points)
        forced = np.zeros(elig.shape, dtype=bool)
        forced[i] = better
        result = _lexicographic([lambda: forced, *stages], elig, p.capacities)
        alt = _make_allocation(
            p, result, self.strategy, self.fit_resolution, (), points=self._points
        )
        return alt if alt.assignments[self.candidates[i]] is not None else None

    def _counterfactual(self, i: int, rank: int | None) -> str:
        """One sentence: what the best allocation giving this candidate a better choice costs."""
        cand = self.candidates[i]
        if self._fit.size > _COUNTERFACTUAL_CELLS:
            return ""
        alt = self._forced(i)
        if alt is None:
            return "No better choice is open to this candidate (not eligible or no seat)."
        where = f"{alt.assignments[cand]} ({_ORDINAL[alt.choice_rank[cand] or 0]} choice)"
        names = (
            ("placed candidates", "welfare (points + fit)")
            if self.strategy == "welfare"
            else ("placed candidates", "1st choices", "2nd choices", "3rd choices", "total fit")
        )
        same: list[str] = []
        for name, x, y in zip(names, self.objective(), alt.objective(), strict=True):
            if isinstance(x, float):
                if math.isclose(x, y, abs_tol=1e-9):
                    continue
                change = f"{name} {y:.3f} instead of {x:.3f}"
            elif x == y:
                same.append(f"{name} ({x})")
                continue
            else:
                change = f"{y} {name} instead of {x}"
            kept = f"the same {', '.join(same)} but " if same else ""
            return f"Proof: the best allocation that puts {cand} in {where} has {kept}{change}."
        return (
            f"An equally good allocation puts {cand} in {where}; the tie was broken by id "
            "(candidates and openings sorted)."
        )


_COUNTERFACTUAL_CELLS = 2_000_000  # explain() re-solves up to this many candidate x opening pairs

_STRATEGY_REASON = {
    "rank-maximal": (
        "Candidates with lower or equal fit keep a seat when it is their higher choice: "
        "rank-maximal places as many candidates as possible, then maximises 1st choices, then "
        "2nd, then 3rd, and only then fit."
    ),
    "welfare": (
        "Candidates with lower or equal fit keep a seat when the sum of preference points and fit "
        "over everyone is higher that way."
    ),
    "stable": (
        "Each opening keeps the candidates with the highest fit among those who asked for it "
        "(equal fit: the smaller id first)."
    ),
}


# --------------------------------------------------------------------------------------------
# input normalisation, with every problem listed at once
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Problem:
    candidates: tuple[str, ...]
    openings: tuple[str, ...]
    fit: np.ndarray  # (n, m) float64 in [0, 1]
    eligible: np.ndarray  # (n, m) bool
    capacities: np.ndarray  # (m,) int64
    areas: dict[str, str]
    choices: dict[str, tuple[str, ...]]
    rank: np.ndarray  # (n, m) int8: 0 no preference, else 1..3 (first listing wins)


def _label(x: Any) -> str:
    return str(x).strip()


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    if isinstance(x, float) and math.isnan(x):
        return True
    return isinstance(x, str) and not x.strip()


def _preference_rows(preferences: Any, problems: list[str]) -> list[tuple[str, list[str]]]:
    """(candidate, [choices]) from a mapping or a DataFrame (first column or index = candidate)."""
    rows: list[tuple[str, list[str]]] = []
    if hasattr(preferences, "itertuples") and hasattr(preferences, "columns"):
        frame = preferences
        id_col = next(
            (c for c in frame.columns if str(c).strip().lower() in ("candidate_id", "candidate")),
            None,
        )
        for record in frame.itertuples(index=True, name=None):
            idx, values = record[0], list(record[1:])
            if id_col is not None:
                k = list(frame.columns).index(id_col)
                cand = values.pop(k)
            else:
                cand = idx
            if _is_missing(cand):
                problems.append("a preferences row has no candidate id")
                continue
            rows.append((_label(cand), [_label(v) for v in values if not _is_missing(v)]))
        return rows
    if not isinstance(preferences, Mapping):
        raise PreferenceError(
            [f"preferences must be a mapping or a DataFrame, not {type(preferences).__name__}"]
        )
    for cand, values in preferences.items():
        if values is None:
            values = []
        elif isinstance(values, str):
            values = [values]
        elif not isinstance(values, (Sequence, np.ndarray)) or isinstance(values, bytes):
            problems.append(f"candidate {_label(cand)}: choices must be a list of ids")
            continue
        rows.append((_label(cand), [_label(v) for v in values if not _is_missing(v)]))
    return rows


def _to_frame(table: Any, name: str, problems: list[str]) -> pd.DataFrame | None:
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        return table
    if isinstance(table, Mapping):
        try:
            return pd.DataFrame.from_dict(dict(table), orient="index")
        except (TypeError, ValueError) as exc:
            problems.append(f"{name} cannot be read as a table ({type(exc).__name__})")
            return None
    problems.append(f"{name} must be a pandas DataFrame (candidates x openings)")
    return None


def _examples(
    mask: np.ndarray, cands: Sequence[str], opens: Sequence[str], values: np.ndarray | None = None
) -> str:
    idx = np.argwhere(mask)[:_MAX_LISTED]
    out = []
    for i, j in idx:
        v = "" if values is None else f" = {float(values[i, j]):g}"
        out.append(f"{cands[i]} x {opens[j]}{v}")
    more = int(mask.sum()) - len(idx)
    return ", ".join(out) + (f" and {more} more" if more > 0 else "")


#: the table a problem of :func:`_build_problem` is about, by the problem's first word
_PROBLEM_TABLES: Mapping[str, str] = {
    "fit": "fit", "areas": "areas", "area": "areas", "capacities": "capacities",
    "capacity": "capacities", "eligible": "eligible",
}  # fmt: skip


def problem_table(problem: str) -> str:
    """Which input a problem is about: fit, areas, capacities, eligible or preferences."""
    return _PROBLEM_TABLES.get(problem.split(" ", 1)[0], "preferences")


def problem_heading(problems: Sequence[str]) -> str:
    """"fit", "preferences", "fit and preferences" ...: the inputs the problems are about."""
    tables = list(dict.fromkeys(problem_table(p) for p in problems))
    return " and ".join(tables) if len(tables) < 3 else ", ".join(tables)


def _unknown_hint(choice: str, openings: Sequence[str], have_areas: bool) -> str:
    """How to fix a choice that names neither an opening nor an area."""
    if choice.replace(".0", "").isdigit():
        example = openings[0] if openings else "the opening id"
        return f"; write opening ids as in the fit table's columns (e.g. {example}), not numbers"
    if not have_areas:
        return (
            "; if it is an area, pass the areas table (matcher allocate --areas areas.csv, "
            "columns opening_id, area; Python: areas={opening: area})"
        )
    return ""


def _build_problem(
    preferences: Any,
    fit: Any,
    *,
    areas: Mapping[str, str] | None,
    capacities: Mapping[str, int] | None,
    eligible: Any,
) -> _Problem:
    problems: list[str] = []
    frame = _to_frame(fit, "fit", problems)
    cands: list[str] = []
    opens: list[str] = []
    values = np.zeros((0, 0))
    if frame is not None:
        cands = [_label(c) for c in frame.index]
        opens = [_label(o) for o in frame.columns]
        for kind, labels in (("candidate", cands), ("opening", opens)):
            seen: set[str] = set()
            dups = sorted({x for x in labels if x in seen or seen.add(x)})  # type: ignore[func-returns-value]
            if dups:
                problems.append(f"fit lists {kind} ids more than once: {', '.join(dups)}")
        if not cands:
            problems.append("fit has no candidates (no rows)")
        if not opens:
            problems.append("fit has no openings (no columns)")
        try:
            values = frame.to_numpy(dtype=np.float64, copy=True)
        except (TypeError, ValueError):
            problems.append("fit holds values that are not numbers")
            values = np.zeros((len(cands), len(opens)))
        if values.size:
            nan = np.isnan(values)
            if nan.any():
                problems.append(
                    f"fit has {int(nan.sum())} missing value(s): {_examples(nan, cands, opens)}"
                )
            bad = ~nan & ((values < 0) | (values > 1))
            if bad.any():
                problems.append(
                    f"fit has {int(bad.sum())} value(s) outside [0, 1]: "
                    f"{_examples(bad, cands, opens, values)}"
                )
    open_set = set(opens)
    cand_set = set(cands)

    # areas: opening id -> area
    area_of: dict[str, str] = {}
    for o, a in (areas or {}).items():
        o, a = _label(o), _label(a)
        if o not in open_set:
            problems.append(f"areas names unknown opening {o!r}")
        elif a in open_set:
            problems.append(f"area {a!r} has the same name as an opening")
        else:
            area_of[o] = a
    area_members: dict[str, list[str]] = {}
    for o in sorted(area_of):
        area_members.setdefault(area_of[o], []).append(o)

    # capacities
    cap = {o: 1 for o in opens}
    for o, k in (capacities or {}).items():
        o = _label(o)
        if o not in open_set:
            problems.append(f"capacities names unknown opening {o!r}")
            continue
        try:
            kk = int(k)
            if kk != k or kk < 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"capacity of {o} must be a whole number >= 0, not {k!r}")
            continue
        cap[o] = kk

    # eligibility
    elig = np.ones(values.shape, dtype=bool)
    if eligible is not None and frame is not None:
        if hasattr(eligible, "columns"):
            e_c = [_label(c) for c in eligible.index]
            e_o = [_label(o) for o in eligible.columns]
            if (
                set(e_c) != cand_set
                or set(e_o) != open_set
                or len(e_c) != len(cands)
                or len(e_o) != len(opens)
            ):
                problems.append(
                    f"eligible has shape {eligible.shape} with other labels than fit {values.shape}"
                    " (same candidate ids as rows and opening ids as columns needed)"
                )
            else:
                ev = eligible.copy()
                ev.index, ev.columns = e_c, e_o
                ev = ev.loc[cands, opens]
                elig = _bool_values(ev.to_numpy(), problems)
        else:
            arr = np.asarray(eligible)
            if arr.shape != values.shape:
                problems.append(f"eligible has shape {arr.shape} but fit has {values.shape}")
            else:
                elig = _bool_values(arr, problems)

    # preferences
    rows = _preference_rows(preferences, problems)
    lower_ids: dict[str, str | None] = {}
    for x in list(opens) + list(area_members):
        lower_ids[x.lower()] = None if x.lower() in lower_ids else x
    choices: dict[str, tuple[str, ...]] = {}
    seen_c: set[str] = set()
    for cand, listed in rows:
        if cand in seen_c:
            problems.append(f"candidate {cand} appears more than once in preferences")
            continue
        seen_c.add(cand)
        if cand not in cand_set and frame is not None:
            problems.append(f"candidate {cand} has preferences but no row in fit")
        if len(listed) > MAX_CHOICES:
            problems.append(
                f"candidate {cand}: {len(listed)} choices given, at most {MAX_CHOICES} allowed"
            )
        norm: list[str] = []
        covered: dict[str, int] = {}  # opening -> choice number that first covers it
        for k, x in enumerate(listed, start=1):
            if x not in open_set and x not in area_members:
                canon = lower_ids.get(x.lower())
                if canon is None and frame is None:
                    continue  # the fit table is unusable: its problem is already listed
                if canon is None:
                    problems.append(f"candidate {cand}: unknown id {x!r} (not an opening or area)"
                                    + _unknown_hint(x, opens, bool(area_members)))  # fmt: skip
                    continue
                x = canon
            if x in norm:
                problems.append(f"candidate {cand}: {x!r} listed more than once")
                continue
            members = area_members.get(x, [x])
            if all(m in covered for m in members):
                problems.append(
                    f"candidate {cand}: {x!r} (choice {k}) is already covered by choice "
                    f"{covered[members[0]]}"
                )
                continue
            for m in members:
                covered.setdefault(m, k)
            norm.append(x)
        choices[cand] = tuple(norm)

    if problems:
        raise PreferenceError(problems, heading=problem_heading(problems))

    # sort by id: the result depends on ids and values only, never on input order
    ci = sorted(range(len(cands)), key=lambda k: cands[k])
    oi = sorted(range(len(opens)), key=lambda k: opens[k])
    cands_s = tuple(cands[k] for k in ci)
    opens_s = tuple(opens[k] for k in oi)
    if ci != sorted(ci) or oi != sorted(oi):  # reorder only when needed (a copy of n x m)
        values = values[np.ix_(ci, oi)]
        elig = elig[np.ix_(ci, oi)]
    col = {o: j for j, o in enumerate(opens_s)}
    rank = np.zeros(values.shape, dtype=np.int8)
    for i, c in enumerate(cands_s):
        for k, x in enumerate(choices.get(c, ()), start=1):
            for m in area_members.get(x, [x]):
                j = col[m]
                if rank[i, j] == 0:
                    rank[i, j] = k
    return _Problem(
        candidates=cands_s,
        openings=opens_s,
        fit=values,
        eligible=elig,
        capacities=np.array([cap[o] for o in opens_s], dtype=np.int64),
        areas={o: area_of[o] for o in opens_s if o in area_of},
        choices={c: choices.get(c, ()) for c in cands_s},
        rank=rank,
    )


def _bool_values(arr: np.ndarray, problems: list[str]) -> np.ndarray:
    if arr.dtype == bool:
        return arr.astype(bool, copy=True)
    try:
        num = arr.astype(np.float64)
    except (TypeError, ValueError):
        problems.append("eligible holds values that are not True/False")
        return np.ones(arr.shape, dtype=bool)
    if np.isnan(num).any() or not np.isin(num, (0.0, 1.0)).all():
        problems.append("eligible holds values other than True/False (or missing values)")
        return np.ones(arr.shape, dtype=bool)
    return num.astype(bool)


# --------------------------------------------------------------------------------------------
# the exact lexicographic assignment solver
# --------------------------------------------------------------------------------------------


_MERGE_RANKS_UP_TO = 5_000  # seats up to which the three choice counts share one stage


def _fit_scale(c: int, points_max: int) -> int:
    """Largest F <= 2**30 with c * (c + 2) * (points_max + 1) * F < 2**52 (see module doc)."""
    c = max(c, 1)
    return max(1, min(_MAX_FIT_SCALE, _EXACT_LIMIT // (c * (c + 2) * (points_max + 1))))


def assignment_duals(
    w: np.ndarray, allowed: np.ndarray, col_row: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An optimal dual (u, v) for the column-perfect max-weight assignment ``col_row``, checked.

    Rows ``r >= c`` columns; every column is assigned (``col_row[j]`` is its row), rows may be
    free. Dual: minimise sum(u) + sum(v) subject to ``u_i + v_j >= w_ij`` on allowed pairs and
    ``u >= 0``. Complementary slackness fixes ``u_row(j) = w_row(j),j - v_j`` and ``u = 0`` on free
    rows, leaving difference constraints on ``v`` only: ``v_j >= v_k + w_row(k),j - w_row(k),k`` and
    ``v_j >= w_ij`` for free rows i. Their least solution is a longest path (no positive cycle
    exists exactly when the assignment is optimal), found by Bellman-Ford in int64. Columns no
    free row reaches start from ``-big``, low enough to keep ``u >= 0``. Returns ``(u, v, tight)``
    with ``tight`` the allowed pairs where ``u + v == w``. Raises RuntimeError if the certificate
    does not hold, which would mean the solver was wrong.
    """
    r, c = w.shape
    neg = np.int64(-(2**62))
    wmax = int(np.max(w, where=allowed, initial=0))
    wmin = int(np.min(w, where=allowed, initial=0))
    big = np.int64((c + 2) * (wmax - wmin + 1) + abs(wmax) + abs(wmin))
    free = np.ones(r, dtype=bool)
    free[col_row] = False
    a = np.full(c, -big, dtype=np.int64)
    if free.any():
        a = np.maximum(a, np.max(w, axis=0, where=allowed & free[:, None], initial=-big))
    diag = w[col_row, np.arange(c)]
    d = np.where(allowed[col_row], w[col_row] - diag[:, None], neg)  # (c, c): edge k -> j
    v = a
    block = max(1, 4_000_000 // max(c, 1))
    for _ in range(c + 2):
        best = np.full(c, neg, dtype=np.int64)
        for s in range(0, c, block):
            best = np.maximum(best, (v[s : s + block, None] + d[s : s + block]).max(axis=0))
        new = np.maximum(v, best)
        if np.array_equal(new, v):
            break
        v = new
    else:
        raise RuntimeError("assignment is not optimal: positive cycle (no dual certificate)")
    del d
    u = np.zeros(r, dtype=np.int64)
    u[col_row] = diag - v
    if (u < 0).any():
        raise RuntimeError("assignment is not optimal: negative dual (no certificate)")
    tight = np.empty((r, c), dtype=bool)
    block = max(1, 2_000_000 // max(c, 1))
    for s in range(0, r, block):
        red = u[s : s + block, None] + v[None, :] - w[s : s + block]
        ok = allowed[s : s + block]
        if np.any((red < 0) & ok):
            raise RuntimeError("dual certificate infeasible")
        np.logical_and(ok, red == 0, out=tight[s : s + block])
    return u, v, tight


StageFn = Callable[[], np.ndarray]


def _lexicographic(
    stages: Sequence[StageFn], eligible: np.ndarray, capacities: np.ndarray
) -> np.ndarray:
    """Assignment (opening index per candidate, -1 = unplaced) optimal for the stages in order.

    ``stages[0]`` must give the eligibility indicator (place as many as possible); every stage is a
    function returning a non-negative integer (or bool) (n, m) matrix, zero on ineligible pairs,
    built only when needed to keep memory flat. See the module docstring for the argument that
    each stage keeps the optima of all earlier ones and that the arithmetic is exact.
    """
    from scipy.optimize import linear_sum_assignment

    n, m = eligible.shape
    # no opening can use more seats than there are candidates
    seat_opening = np.repeat(np.arange(m), np.minimum(capacities, n))
    s = len(seat_opening)
    result = np.full(n, -1, dtype=np.int64)
    if n == 0 or s == 0:
        return result
    transposed = n < s
    unit = bool((np.minimum(capacities, n) == 1).all())  # seats are the openings: no expansion

    def orient(mat: np.ndarray) -> np.ndarray:
        x = mat if unit else mat[:, seat_opening]
        return np.ascontiguousarray(x.T) if transposed else x

    r, c = (s, n) if transposed else (n, s)
    allowed = np.ones((r, c), dtype=bool)
    must = np.zeros(r, dtype=bool)
    col_row = np.arange(c)
    for stage in stages:
        g = orient(stage())
        gmax = int(g.max()) if g.size else 0
        bonus = np.where(must, c * gmax + 1, 0).astype(np.int64)
        w = np.add(bonus[:, None], g, dtype=np.int64)
        del g
        wmax = int(np.max(w, where=allowed, initial=0))
        if c * wmax >= 2**53:
            raise RuntimeError("stage weights exceed exact float64 range")  # _fit_scale prevents
        cost = np.negative(w, dtype=np.float64)
        cost[~allowed] = np.inf
        rows, cols = linear_sum_assignment(cost)
        del cost
        col_row = np.empty(c, dtype=np.int64)
        col_row[cols] = rows
        u, _v, allowed = assignment_duals(w, allowed, col_row)
        must |= u > 0
        del w
    if transposed:  # columns are candidates, col_row their seat
        cand, opening = np.arange(c), seat_opening[col_row]
    else:  # columns are seats, col_row their candidate
        cand, opening = col_row, seat_opening
    real = eligible[cand, opening]
    result[cand[real]] = opening[real]
    return result


# --------------------------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------------------------


def _fit_int(p: _Problem, scale: int) -> np.ndarray:
    out = np.multiply(p.fit, scale)
    np.rint(out, out=out)
    out[~p.eligible] = 0
    return out.astype(np.int64)


def _stages(
    p: _Problem, strategy: str, points: tuple[int, int, int]
) -> tuple[list[StageFn], int]:
    elig = p.eligible
    c = min(len(p.candidates), int(p.capacities.sum()))

    def indicator(k: int) -> StageFn:
        return lambda: elig & (p.rank == k)

    if strategy == "rank-maximal":
        scale = _fit_scale(c, 0)
        stages: list[StageFn] = [lambda: elig]
        base = c + 1
        if c * (c + 2) * base**2 < _EXACT_LIMIT and c <= _MERGE_RANKS_UP_TO:
            # one stage for (#1st, #2nd, #3rd): each count is <= c < base, so the weighted sum
            # base**2 * n1 + base * n2 + n3 orders them exactly lexicographically
            table = np.array([0, base**2, base, 1], dtype=np.int64)
            stages.append(lambda: np.where(elig, table[p.rank], 0))
        else:
            stages += [indicator(k) for k in (1, 2, 3)]
        stages.append(lambda: _fit_int(p, scale))
        return stages, scale
    scale = _fit_scale(c, max(points))

    def welfare() -> np.ndarray:
        table = np.array([0, *points], dtype=np.int64) * scale
        out = _fit_int(p, scale)
        out += np.where(elig, table[p.rank], 0)
        return out

    return [lambda: elig, welfare], scale


def _proposal_lists(p: _Problem) -> list[list[int]]:
    """Each candidate's openings in the order they propose: choice order, area members by fit."""
    col = {o: j for j, o in enumerate(p.openings)}
    members: dict[str, list[int]] = {}
    for o, a in p.areas.items():
        members.setdefault(a, []).append(col[o])
    lists = []
    for i, cand in enumerate(p.candidates):
        order: list[int] = []
        for x in p.choices[cand]:
            js = [col[x]] if x in col else members[x]
            js = sorted(js, key=lambda j: (-p.fit[i, j], p.openings[j]))
            order.extend(j for j in js if p.eligible[i, j] and j not in order)
        lists.append(order)
    return lists


def _deferred_acceptance(p: _Problem) -> np.ndarray:
    """Candidate-proposing deferred acceptance; openings keep the best ``capacity`` by fit."""
    import heapq

    n, m = p.fit.shape
    lists = _proposal_lists(p)
    nxt = [0] * n
    held: list[list[tuple[float, _neg_key, int]]] = [[] for _ in range(m)]  # min-heaps
    result = np.full(n, -1, dtype=np.int64)
    # heap key (fit, _neg_key(id)): the worst held candidate (lowest fit, then largest id) on top
    free = list(range(n - 1, -1, -1))
    while free:
        i = free.pop()
        while nxt[i] < len(lists[i]):
            j = lists[i][nxt[i]]
            nxt[i] += 1
            cap = int(p.capacities[j])
            if cap == 0:
                continue
            key = (float(p.fit[i, j]), _neg_key(p.candidates[i]), i)
            if len(held[j]) < cap:
                heapq.heappush(held[j], key)
                result[i] = j
                break
            if key > held[j][0]:
                out = heapq.heapreplace(held[j], key)
                result[i] = j
                result[out[2]] = -1
                free.append(out[2])
                break
    return result


class _neg_key:
    """Orders ids in reverse, so a min-heap on (fit, _neg_key(id)) pops lowest fit, largest id."""

    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s

    def __lt__(self, other: _neg_key) -> bool:
        return self.s > other.s

    def __gt__(self, other: _neg_key) -> bool:
        return self.s < other.s

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _neg_key) and self.s == other.s

    def __hash__(self) -> int:
        return hash(self.s)


def _stable(p: _Problem) -> tuple[np.ndarray, int]:
    result = _deferred_acceptance(p)
    n, m = p.fit.shape
    load = np.bincount(result[result >= 0], minlength=m)
    remaining = p.capacities - load
    unplaced = np.flatnonzero(result < 0)
    scale = _fit_scale(min(len(unplaced), int(remaining.sum())), 0)
    if len(unplaced) and remaining.sum():
        sub_elig = p.eligible[unplaced]
        sub_fit = np.where(sub_elig, np.rint(p.fit[unplaced] * scale), 0).astype(np.int64)
        fill = _lexicographic([lambda: sub_elig, lambda: sub_fit], sub_elig, remaining)
        result[unplaced] = fill
    return result, scale


# --------------------------------------------------------------------------------------------
# balance constraints through scipy.optimize.milp
# --------------------------------------------------------------------------------------------


def _normalise_balance(
    balance: Balance | Sequence[Balance] | Mapping[str, Any] | None, p: _Problem
) -> tuple[Balance, ...]:
    if balance is None:
        return ()
    if isinstance(balance, Balance):
        items: list[Any] = [balance]
    elif isinstance(balance, Mapping):
        items = [balance]
    else:
        items = list(balance)
    out: list[Balance] = []
    problems: list[str] = []
    cset = set(p.candidates)
    for b in items:
        if isinstance(b, Mapping):
            try:
                b = Balance(**b)
            except TypeError as exc:
                raise ConfigError(
                    "balance needs keys 'groups', 'max_per_group' and optionally 'within'"
                ) from exc
        if not isinstance(b, Balance):
            raise ConfigError(f"balance must be a Balance or a mapping, not {type(b).__name__}")
        unknown = sorted(_label(c) for c in b.groups if _label(c) not in cset)
        if unknown:
            problems.append(f"balance groups name unknown candidates: {', '.join(unknown[:10])}")
        limits = (
            b.max_per_group.values() if isinstance(b.max_per_group, Mapping) else [b.max_per_group]
        )
        for k in limits:
            if not isinstance(k, (int, np.integer)) or k < 0:
                problems.append(f"balance limit must be a whole number >= 0, not {k!r}")
        if b.within == "area" and not p.areas:
            problems.append("balance within='area' needs areas")
        out.append(
            Balance({_label(c): _label(g) for c, g in b.groups.items()}, b.max_per_group, b.within)
        )
    if problems:
        raise PreferenceError(problems)
    return tuple(out)


def _balance_units(
    b: Balance, openings: Sequence[str], areas: Mapping[str, str]
) -> dict[str, set[str]]:
    if b.within == "programme":
        return {"programme": set(openings)}
    if b.within == "opening":
        return {o: {o} for o in openings}
    units: dict[str, set[str]] = {}
    for o in openings:
        if o in areas:
            units.setdefault(areas[o], set()).add(o)
    return units


def _balance_violations(
    b: Balance, assignments: Mapping[str, str | None], areas: Mapping[str, str]
) -> list[str]:
    opens = sorted({o for o in assignments.values() if o})
    out = []
    for unit, members in _balance_units(b, opens, areas).items():
        counts: dict[str, int] = {}
        for c, o in assignments.items():
            if o in members and c in b.groups:
                counts[b.groups[c]] = counts.get(b.groups[c], 0) + 1
        for g, k in counts.items():
            lim = b.limit(g)
            if lim is not None and k > lim:
                out.append(f"balance: {k} candidates of group {g} in {unit}, at most {lim}")
    return out


def _milp_allocate(
    p: _Problem, stages: Sequence[StageFn], balance: tuple[Balance, ...], scale: int
) -> np.ndarray:
    """Lexicographic stages as successive MILPs over eligible pairs, each optimum then fixed.

    The count stages are integers, so fixing "objective >= optimum - 0.5" keeps exactly their
    optima; the last (fit) stage is divided by the fit scale to keep HiGHS well conditioned.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n, m = p.fit.shape
    ii, jj = np.nonzero(p.eligible)
    nv = len(ii)
    result = np.full(n, -1, dtype=np.int64)
    if nv == 0:
        return result
    var = np.arange(nv)
    rows = [coo_matrix((np.ones(nv), (ii, var)), shape=(n, nv))]
    ub = [np.ones(n)]
    rows.append(coo_matrix((np.ones(nv), (jj, var)), shape=(m, nv)))
    ub.append(p.capacities.astype(float))
    for b in balance:
        for members in _balance_units(b, p.openings, p.areas).values():
            in_unit = np.array([p.openings[j] in members for j in jj])
            groups: dict[str, list[int]] = {}
            for k in np.flatnonzero(in_unit):
                g = b.groups.get(p.candidates[ii[k]])
                if g is not None and b.limit(g) is not None:
                    groups.setdefault(g, []).append(int(k))
            for g, ks in groups.items():
                rows.append(coo_matrix((np.ones(len(ks)), ([0] * len(ks), ks)), shape=(1, nv)))
                ub.append(np.array([float(b.limit(g) or 0)]))  # groups kept have a limit
    from scipy.sparse import vstack

    constraints = [LinearConstraint(vstack(rows).tocsr(), -np.inf, np.concatenate(ub))]
    x = None
    for stage_no, stage in enumerate(stages):
        obj = -np.asarray(stage(), dtype=np.float64)[ii, jj]
        if stage_no == len(stages) - 1:
            obj /= scale
        res = milp(
            obj,
            constraints=constraints,
            integrality=np.ones(nv),
            bounds=Bounds(0, 1),
            options={"mip_rel_gap": 0.0},
        )
        if res.status != 0 or res.x is None:
            raise InfeasibleError(f"balance constraints: solver stopped ({res.message})")
        x = res.x
        if stage_no < len(stages) - 1:
            best = float(-res.fun)
            constraints.append(LinearConstraint(-obj[None, :], best - 0.5, np.inf))
    assert x is not None
    for k in np.flatnonzero(x > 0.5):
        result[ii[k]] = jj[k]
    return result


# --------------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------------


def allocate(
    preferences: Mapping[str, Sequence[str]] | pd.DataFrame,
    fit: pd.DataFrame,
    *,
    areas: Mapping[str, str] | None = None,
    strategy: Strategy = "rank-maximal",
    capacities: Mapping[str, int] | None = None,
    eligible: pd.DataFrame | np.ndarray | None = None,
    balance: Balance | Sequence[Balance] | None = None,
    welfare_points: tuple[int, int, int] = WELFARE_POINTS,
    audit: AuditLog | None = None,
) -> Allocation:
    """Place candidates in openings: as many as possible, then by ``strategy`` (see module doc).

    ``preferences``: candidate id -> up to three ids in order, each an opening id (``JPO-07``) or an
    area (``CPC``: any opening of that department, through ``areas``: opening id -> area); or a
    DataFrame with a ``candidate_id`` column (else the index) and one column per choice.
    ``fit``: DataFrame, candidate ids x opening ids, values in [0, 1]. Candidates without
    preferences are placed by fit. ``eligible``: same labels, bool; ineligible pairs are never
    assigned. ``capacities``: opening id -> seats (default 1). ``balance``: see :class:`Balance`.

    Raises :class:`~matcher.errors.PreferenceError` listing every problem in the input at once,
    :class:`~matcher.errors.ConfigError` for an unknown strategy, and
    :class:`~matcher.errors.InfeasibleError` when balance constraints would cost a placement.

        >>> import pandas as pd
        >>> fit = pd.DataFrame({"JPO-01": [0.9, 0.6], "JPO-02": [0.5, 0.4]}, index=["a", "b"])
        >>> allocate({"a": ["JPO-02"], "b": ["JPO-02"]}, fit).assignments  # fit decides who
        {'a': 'JPO-01', 'b': 'JPO-02'}
    """
    if strategy not in STRATEGIES:
        raise ConfigError(f"unknown strategy {strategy!r}; valid: {', '.join(STRATEGIES)}")
    points = _check_points(welfare_points)
    p = _build_problem(preferences, fit, areas=areas, capacities=capacities, eligible=eligible)
    bal = _normalise_balance(balance, p)
    n = len(p.candidates)
    cells = n * int(np.minimum(p.capacities, n).sum())
    if cells > MAX_CELLS:
        from matcher.errors import InputTooLargeError

        raise InputTooLargeError(
            f"{n:,} candidates x {cells // max(n, 1):,} seats is over the {MAX_CELLS:,} pairs one "
            "exact allocation handles in memory; select candidates first (select_and_allocate)"
        )
    warnings: list[str] = []
    if strategy == "stable":
        if bal:
            raise ConfigError("balance constraints are not supported with strategy='stable'")
        result, scale = _stable(p)
    else:
        stages, scale = _stages(p, strategy, points)
        if bal:
            plain = int((_lexicographic(stages[:1], p.eligible, p.capacities) >= 0).sum())
            result = _milp_allocate(p, stages, bal, scale)
            placed = int((result >= 0).sum())
            if placed < plain:
                raise InfeasibleError(
                    f"balance constraints cannot be met while placing every candidate capacity "
                    f"and eligibility allow: {placed} placed instead of {plain}. "
                    + "; ".join(_over_limit(p, bal))
                )
        else:
            result = _lexicographic(stages, p.eligible, p.capacities)
    if scale < _MAX_FIT_SCALE:
        warnings.append(f"fit resolved to 1/{scale} to keep the solver exact at this size")
    allocation = _make_allocation(p, result, strategy, 1.0 / scale, tuple(warnings), bal, points)
    if audit is not None:  # ``audit``: an AuditLog that records the run (matcher.audit)
        audit.record_allocation(
            allocation, preferences=preferences, fit=fit, strategy=strategy,
            capacities=capacities, balance=balance, welfare_points=welfare_points,
        )  # fmt: skip
    return allocation


def _check_points(points: Any) -> tuple[int, int, int]:
    try:
        pts = tuple(int(x) for x in points)
    except (TypeError, ValueError) as exc:
        raise ConfigError("welfare_points must be three whole numbers, e.g. (3, 2, 1)") from exc
    if len(pts) != 3 or any(x < 0 for x in pts) or any(int(x) != x for x in points):
        raise ConfigError("welfare_points must be three whole numbers >= 0, e.g. (3, 2, 1)")
    return pts[0], pts[1], pts[2]


def _over_limit(p: _Problem, bal: tuple[Balance, ...]) -> list[str]:
    out = []
    for b in bal:
        sizes: dict[str, int] = {}
        for c in p.candidates:
            g = b.groups.get(c)
            if g is not None:
                sizes[g] = sizes.get(g, 0) + 1
        units = len(_balance_units(b, p.openings, p.areas))
        where = {
            "programme": "in the programme",
            "area": f"in each of the {units} areas",
            "opening": f"in each of the {units} openings",
        }[b.within]
        for g, k in sorted(sizes.items()):
            lim = b.limit(g)
            if lim is not None and k > lim * units:
                out.append(f"group {g}: {k} candidates, at most {lim} {where}")
    return out or ["the limits cannot be met together with capacities and eligibility"]


def _make_allocation(
    p: _Problem,
    result: np.ndarray,
    strategy: str,
    resolution: float,
    warnings: tuple[str, ...],
    bal: tuple[Balance, ...] = (),
    points: tuple[int, int, int] = WELFARE_POINTS,
) -> Allocation:
    assignments: dict[str, str | None] = {}
    ranks: dict[str, int | None] = {}
    profile = dict.fromkeys(PROFILE_KEYS, 0)
    total = 0.0
    for i, c in enumerate(p.candidates):
        j = int(result[i])
        if j < 0:
            assignments[c], ranks[c] = None, None
            profile["unplaced"] += 1
            continue
        assignments[c] = p.openings[j]
        r = int(p.rank[i, j]) or None
        ranks[c] = r
        profile[_ORDINAL.get(r, "outside")] += 1  # type: ignore[arg-type]
        total += float(p.fit[i, j])
    return Allocation(
        assignments=assignments,
        choice_rank=ranks,
        profile=profile,
        total_fit=total,
        strategy=strategy,
        fit_resolution=resolution,
        warnings=warnings,
        candidates=p.candidates,
        openings=p.openings,
        areas=dict(p.areas),
        choices=dict(p.choices),
        capacities={o: int(k) for o, k in zip(p.openings, p.capacities, strict=True)},
        _fit=p.fit,
        _eligible=p.eligible,
        _rank=p.rank,
        _balance=bal,
        _points=points,
    )


#: how a ranking's eligibility column may say "eligible"
_ELIGIBLE_WORDS = frozenset({"eligible", "pass", "true"})


def select_and_allocate(
    ranking_or_fit: pd.DataFrame,
    preferences: Mapping[str, Sequence[str]] | pd.DataFrame,
    *,
    n_openings: int | None = None,
    fit: pd.DataFrame | None = None,
    openings: Sequence[str] | None = None,
    areas: Mapping[str, str] | None = None,
    strategy: Strategy = "rank-maximal",
    capacities: Mapping[str, int] | None = None,
    eligible: pd.DataFrame | np.ndarray | None = None,
    balance: Balance | Sequence[Balance] | None = None,
    welfare_points: tuple[int, int, int] = WELFARE_POINTS,
    audit: AuditLog | None = None,
) -> Allocation:
    """Select who joins the programme from a larger pool, then :func:`allocate` them.

    ``ranking_or_fit`` is either a ranking (a DataFrame with ``candidate_id`` and ``score`` columns
    and optionally ``eligibility``, as :meth:`matcher.Matcher.rank` returns) or a fit table
    (candidate ids x opening ids). The rule, in order:

    1. ineligible candidates (``eligibility`` "ineligible", or no eligible opening) are never
       selected; "eligible" come before "unknown";
    2. then by score, highest first: the ranking's ``score``, or for a fit table the candidate's
       best fit over the openings they are eligible for that have a seat; ties by candidate id;
    3. candidates are taken in that order until ``n_openings`` are selected (default: the total
       capacity), skipping anyone who cannot be placed together with those already selected
       (eligibility and capacities, checked by augmenting paths) or whose group is full under a
       ``Balance(within="programme")`` constraint (seats this leaves empty are reported in
       :attr:`Allocation.warnings`; other balance constraints go to :func:`allocate`).

    The allocation needs a fit table: ``fit`` if given, else the fit table itself, else the ranking
    score repeated for every opening of ``openings`` (or of ``capacities`` / ``areas``), so that
    preferences alone decide. :attr:`Allocation.warnings` states how many were selected.
    """
    import pandas as pd

    problems: list[str] = []
    frame = ranking_or_fit
    if not isinstance(frame, pd.DataFrame):
        raise PreferenceError(["ranking_or_fit must be a pandas DataFrame"])
    cols = {str(c).strip().lower(): c for c in frame.columns}
    is_ranking = "candidate_id" in cols and "score" in cols
    if is_ranking:
        ids = [_label(x) for x in frame[cols["candidate_id"]]]
        scores = pd.to_numeric(frame[cols["score"]], errors="coerce").to_numpy(dtype=float)
        if "eligibility" in cols:
            verdicts = [str(x).strip().lower() for x in frame[cols["eligibility"]]]
            verdicts = ["eligible" if v in _ELIGIBLE_WORDS else v for v in verdicts]
        else:
            verdicts = ["eligible"] * len(ids)
        if np.isnan(scores).any():
            problems.append(f"ranking has {int(np.isnan(scores).sum())} missing score(s)")
        if fit is None:
            opens = list(openings or capacities or areas or [])
            if not opens:
                problems.append("a ranking without fit needs openings (or capacities / areas)")
            fit_table = pd.DataFrame(
                np.repeat(np.nan_to_num(scores)[:, None], len(opens), axis=1),
                index=ids,
                columns=[_label(o) for o in opens],
            )
            fit_table = fit_table[~fit_table.index.duplicated()]
        else:
            fit_table = fit
    else:
        fit_table = frame if fit is None else fit
        ids = [_label(x) for x in frame.index]
        scores = np.zeros(len(ids))
        verdicts = ["eligible"] * len(ids)
    if problems:
        raise PreferenceError(problems)
    if is_ranking:
        pool = set(ids)
        missing = sorted(_label(x) for x in fit_table.index if _label(x) not in pool)
        if missing:
            log.info(
                "%d candidates in fit are not in the ranking and are not selected", len(missing)
            )
    p = _build_problem(
        _restrict_prefs(preferences, {_label(x) for x in fit_table.index}),
        fit_table,
        areas=areas,
        capacities=capacities,
        eligible=eligible,
    )
    row = {c: i for i, c in enumerate(p.candidates)}
    if not is_ranking:
        open_seat = p.eligible & (p.capacities > 0)[None, :]
        best = np.where(open_seat, p.fit, -np.inf).max(axis=1) if p.fit.size else np.array([])
        scores = np.array([best[row[c]] for c in ids])
        verdicts = ["eligible" if np.isfinite(s) else "ineligible" for s in scores]
    bal = _normalise_balance(balance, p)
    programme = [b for b in bal if b.within == "programme"]
    if n_openings is not None and (
        not isinstance(n_openings, (int, np.integer))
        or isinstance(n_openings, bool)
        or n_openings < 0
    ):
        raise ConfigError(f"n_openings must be a whole number >= 0, not {n_openings!r}")
    limit = int(p.capacities.sum()) if n_openings is None else int(n_openings)
    # the ranking order; only eligible and unknown candidates can be selected
    selectable = eligibility_rank("unknown")
    order = sorted(
        (k for k, v in enumerate(verdicts) if eligibility_rank(v) <= selectable and ids[k] in row),
        key=lambda k: rank_key(verdicts[k], scores[k], ids[k]),
    )
    matcher_ = _Augmenter(p)
    taken: dict[int, dict[str, int]] = {k: {} for k in range(len(programme))}
    selected: list[str] = []
    seen: set[str] = set()
    for k in order:
        c = ids[k]
        if len(selected) >= limit:
            break
        if c in seen:
            continue
        seen.add(c)
        full = False
        for t, b in enumerate(programme):
            g = b.groups.get(c)
            lim = None if g is None else b.limit(g)
            if lim is not None and taken[t].get(g, 0) >= lim:  # type: ignore[arg-type]
                full = True
        if full or not matcher_.add(row[c]):
            continue
        for t, b in enumerate(programme):
            g = b.groups.get(c)
            if g is not None:
                taken[t][g] = taken[t].get(g, 0) + 1
        selected.append(c)
    seats = int(p.capacities.sum())
    notes = [
        f"selected {len(selected)} of {len(set(ids))} candidates to fill {limit} of {seats} seats"
    ]
    if len(selected) < limit and programme:
        unconstrained = _count_selectable(p, order, ids, row, limit)
        if unconstrained > len(selected):
            notes.append(
                f"balance constraints leave {limit - len(selected)} seat(s) empty: "
                f"{unconstrained} could be filled from this pool without them"
            )
    if not selected:
        empty = _Problem(
            candidates=(),
            openings=p.openings,
            fit=np.zeros((0, len(p.openings))),
            eligible=np.zeros((0, len(p.openings)), dtype=bool),
            capacities=p.capacities,
            areas=p.areas,
            choices={},
            rank=np.zeros((0, len(p.openings)), dtype=np.int8),
        )
        return _make_allocation(empty, np.zeros(0, dtype=np.int64), strategy, 0.0, tuple(notes))
    sub_fit = fit_table.copy()
    sub_fit.index = [_label(x) for x in sub_fit.index]
    sub_fit.columns = [_label(x) for x in sub_fit.columns]
    sub_fit = sub_fit.loc[sorted(selected)]
    sub_elig = None
    if eligible is not None:
        e = pd.DataFrame(p.eligible, index=p.candidates, columns=p.openings)
        sub_elig = e.loc[sorted(selected), [_label(x) for x in sub_fit.columns]]
    rest = tuple(b for b in bal if b.within != "programme")
    if programme:
        rest += tuple(
            Balance({c: g for c, g in b.groups.items() if c in set(selected)}, b.max_per_group)
            for b in programme
        )
    alloc = allocate(
        _restrict_prefs(preferences, set(selected)),
        sub_fit,
        areas=areas,
        strategy=strategy,
        capacities=capacities,
        eligible=sub_elig,
        balance=rest or None,
        welfare_points=welfare_points,
    )
    final = _replace_warnings(alloc, (*notes, *alloc.warnings))
    if audit is not None:  # ``audit``: an AuditLog that records the run (matcher.audit)
        audit.record_allocation(
            final, preferences=preferences, fit=ranking_or_fit, strategy=strategy,
            capacities=capacities, balance=balance, welfare_points=welfare_points,
            config={"n_openings": n_openings, "selected": len(selected)},
        )  # fmt: skip
    return final


def _replace_warnings(a: Allocation, warnings: tuple[str, ...]) -> Allocation:
    from dataclasses import replace

    return replace(a, warnings=warnings)


def _restrict_prefs(preferences: Any, keep: set[str]) -> dict[str, list[str]]:
    problems: list[str] = []
    rows = _preference_rows(preferences, problems)
    if problems:
        raise PreferenceError(problems)
    return {c: v for c, v in rows if c in keep}


def _count_selectable(
    p: _Problem, order: Sequence[int], ids: Sequence[str], row: Mapping[str, int], limit: int
) -> int:
    aug = _Augmenter(p)
    n = 0
    for k in order:
        if n >= limit:
            break
        if aug.add(row[ids[k]]):
            n += 1
    return n


class _Augmenter:
    """Incremental bipartite matching with capacities (Kuhn's augmenting paths), for selection.

    ``add(i)`` places candidate ``i`` if it can be placed together with everyone added before
    (possibly moving them to other seats), and leaves the matching unchanged otherwise.
    """

    def __init__(self, p: _Problem) -> None:
        self.elig = p.eligible & (p.capacities > 0)[None, :]
        self.cap = p.capacities
        self.load = np.zeros(len(p.openings), dtype=np.int64)
        self.holders: list[list[int]] = [[] for _ in p.openings]
        self.where: dict[int, int] = {}

    def _set(self, i: int, j: int) -> None:
        old = self.where.get(i)
        if old is not None:
            self.holders[old].remove(i)
            self.load[old] -= 1
        self.where[i] = j
        self.holders[j].append(i)
        self.load[j] += 1

    def add(self, i: int) -> bool:
        if i in self.where:
            return True
        visited: set[int] = set()
        # frame: [candidate, openings, next opening index, holders of current opening, next holder]
        stack: list[list[Any]] = [[i, np.flatnonzero(self.elig[i]).tolist(), 0, None, 0]]
        while stack:
            f = stack[-1]
            if f[3] is not None and f[4] < len(f[3]):
                h = f[3][f[4]]
                f[4] += 1
                stack.append([h, np.flatnonzero(self.elig[h]).tolist(), 0, None, 0])
                continue
            f[3] = None
            while f[2] < len(f[1]):
                j = f[1][f[2]]
                f[2] += 1
                if j in visited:
                    continue
                visited.add(j)
                if self.load[j] < self.cap[j]:
                    self._set(f[0], j)
                    stack.pop()
                    while stack:  # each parent takes the seat its child just vacated
                        parent = stack.pop()
                        self._set(parent[0], parent[1][parent[2] - 1])
                    return True
                f[3], f[4] = list(self.holders[j]), 0
                break
            else:
                stack.pop()
        return False

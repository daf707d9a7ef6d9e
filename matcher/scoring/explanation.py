"""Readable explanations and score parts that add up exactly to the score.

:func:`build_parts` turns component values and weights into :class:`~matcher.types.ScorePart` rows
whose contributions sum (left to right, as ``sum`` does) to the score returned with them;
:func:`render_explanation` writes the per-check and per-duty text a recruiter reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from matcher.features.text import shorten
from matcher.scoring.components import round_half_even
from matcher.types import Check, DutyMatch, MatchResult, ScorePart

__all__ = [
    "build_parts", "weighted_terms", "weighted_columns", "WeightedColumns", "render_explanation",
    "check_line", "explained",
]  # fmt: skip

_MARK = {"pass": "PASS", "fail": "FAIL", "unknown": "????"}


def build_parts(
    values: Mapping[str, float | None],
    weights: Mapping[str, float],
    details: Mapping[str, str],
    *,
    decimals: int = 6,
) -> tuple[tuple[ScorePart, ...], float]:
    """Score parts and the score; a component whose value is None does not apply (weight 0).

    Applicable weights are rescaled to sum to 1, values are rounded to ``decimals`` and clipped to
    [0, 1], each contribution is ``weight * value``, and the score is ``sum(contributions)``, so
    the parts add up to the score exactly, by construction.
    """
    terms, score = weighted_terms(values, weights, decimals=decimals)
    parts = tuple(
        ScorePart(name, w, v, c, details.get(name, ""))
        if applies
        else ScorePart(name, 0.0, 0.0, 0.0, details.get(name) or "does not apply to this vacancy")
        for name, applies, w, v, c in terms
    )
    return tuple(parts), score


@dataclass(frozen=True, slots=True)
class WeightedColumns:
    """The weighted sum of many pairs' components, component by component (lists by pair)."""

    #: per component: the rescaled weight (0.0 where it does not apply)
    weight: dict[str, list[float]]
    #: per component: the value shown, rounded and clipped (NaN where it does not apply)
    value: dict[str, list[float]]
    #: per component: weight x value (0.0 where it does not apply)
    contribution: dict[str, list[float]]
    #: per pair: the score, the sum of its contributions
    score: list[float]


def weighted_columns(
    values: Mapping[str, Sequence[float | None]],
    weights: Mapping[str, float],
    *,
    decimals: int = 6,
) -> WeightedColumns:
    """The fit arithmetic for many pairs at once (``values``: per component, one value per pair;
    None where it does not apply).

    A pair's applicable weights are rescaled to sum to 1, its values rounded to ``decimals`` and
    clipped to [0, 1], each contribution is ``weight * value`` and the score their sum in
    component order. Pairs are grouped by which components apply; within a group each term is
    one array operation, with Python's own rounding (:func:`round_half_even`), so a pool's score
    has the bits of one pair's.
    """
    names = list(weights)
    n = len(next(iter(values.values()))) if values else 0
    nan = float("nan")
    arrays: dict[str, np.ndarray] = {}
    present = np.zeros((n, len(names)), dtype=bool)
    for k, name in enumerate(names):
        col = values.get(name) or [None] * n
        present[:, k] = np.fromiter((v is not None for v in col), bool, count=n)
        arrays[name] = np.array([nan if v is None else v for v in col], dtype=np.float64)
    shown = {name: np.full(n, nan) for name in names}
    weight = {name: np.zeros(n) for name in names}
    contribution = {name: np.zeros(n) for name in names}
    scores = np.zeros(n)
    codes = present.astype(np.int64) @ (1 << np.arange(len(names), dtype=np.int64))
    for code in np.unique(codes).tolist():
        rows = np.flatnonzero(codes == code)
        pattern = [bool(code >> k & 1) for k in range(len(names))]
        applicable = {
            k: w
            for k, w, here in zip(names, weights.values(), pattern, strict=True)
            if here and w > 0
        }
        total = sum(applicable.values())
        score = np.zeros(len(rows))
        for name in names:
            if name not in applicable or total <= 0:
                continue  # its term is 0.0: adding it changes no bit
            v = round_half_even(np.clip(arrays[name][rows], 0.0, 1.0), decimals)
            w = weights[name] / total
            term = w * v
            score = score + term
            shown[name][rows] = v
            weight[name][rows] = w
            contribution[name][rows] = term
        scores[rows] = score
    out = {name: col.tolist() for name, col in contribution.items()}
    score_list = scores.tolist()
    for r in np.flatnonzero(scores > 1.0).tolist():  # rescaled weights rounded up
        row, score_list[r] = _take_excess([out[name][r] for name in names])
        for name, c in zip(names, row, strict=True):
            out[name][r] = c
    return WeightedColumns(
        {name: col.tolist() for name, col in weight.items()},
        {name: col.tolist() for name, col in shown.items()},
        out,
        score_list,
    )


def _take_excess(contributions: list[float]) -> tuple[list[float], float]:
    """Contributions whose sum exceeds 1 by float rounding of the rescaled weights: the excess
    comes off the largest part, so parts still add up to a score of at most 1."""
    score = sum(contributions)
    for _ in range(4):
        if score <= 1.0:
            break
        i = max(range(len(contributions)), key=lambda k: contributions[k])
        contributions[i] = contributions[i] - (score - 1.0)
        score = sum(contributions)
    return contributions, score


def weighted_terms(
    values: Mapping[str, float | None], weights: Mapping[str, float], *, decimals: int = 6
) -> tuple[list[tuple[str, bool, float, float, float]], float]:
    """(name, applies, weight, value, contribution) per component and their sum for one pair:
    :func:`weighted_columns` of a pool of one."""
    cols = weighted_columns(
        {name: [values.get(name)] for name in weights}, weights, decimals=decimals
    )
    terms: list[tuple[str, bool, float, float, float]] = []
    for name in weights:
        w = cols.weight[name][0]
        if w > 0:
            terms.append((name, True, w, cols.value[name][0], cols.contribution[name][0]))
        else:
            terms.append((name, False, 0.0, 0.0, 0.0))
    return terms, cols.score[0]


def check_line(check: Check) -> str:
    flag = "" if check.mandatory else " (not blocking)"
    mark = _MARK.get(check.status, check.status)
    return f"[{mark}] {check.kind}: {check.requirement}{flag} - {check.reason}"


def _short(text: str, n: int = 110) -> str:
    return shorten(text, n)


def explained(result: MatchResult, *, copied: Sequence[str] = ()) -> MatchResult:
    """``result`` with its explanation written from its own checks, parts and evidence
    (:func:`render_explanation`; ``copied``: the CV's sentences that copy the notice)."""
    return replace(result, explanation=render_explanation(result, copied=copied))


def render_explanation(
    result: MatchResult,
    *,
    max_duties: int | None = None,
    copied: Sequence[str] = (),
) -> str:
    """A plain-text explanation: verdict, every check, the score waterfall, each duty's evidence."""
    lines = [
        f"Candidate {result.candidate_id} for vacancy {result.vacancy_id}",
        f"Eligibility: {result.eligibility.upper()}    Fit score: {result.score:.3f}",
        "",
        "Requirements:",
    ]
    if result.checks:
        lines += ["  " + check_line(c) for c in result.checks]
    else:
        lines.append("  (no requirements could be read from the notice: eligibility is unknown)")
    lines += ["", "Score (parts add up to the fit score):"]
    for part in result.parts:
        if part.weight == 0:
            lines.append(f"  {part.name:<13}      -  ({part.detail})")
            continue
        lines.append(
            f"  {part.name:<13} {part.contribution:6.3f} = {part.weight:.3f} x {part.value:.3f}"
            + (f"  ({part.detail})" if part.detail else "")
        )
    lines.append(f"  {'total':<13} {result.score:6.3f}")
    matches: Sequence[DutyMatch] = result.duty_matches
    if matches:
        lines += ["", "Duties and the best evidence in the CV:"]
        shown = matches if max_duties is None else matches[:max_duties]
        for m in shown:
            lines.append(f"  - {_short(m.duty)}")
            if m.cv_sentence:
                where = f" [{m.source}]" if m.source else ""
                lines.append(f"      {m.similarity:.2f}{where}: {_short(m.cv_sentence)}")
            else:
                lines.append("      no evidence in the CV")
        if max_duties is not None and len(matches) > max_duties:
            lines.append(f"  ... {len(matches) - max_duties} more duties")
    if copied:
        lines += [
            "",
            f"Keyword stuffing: {len(copied)} sentence(s) of the CV copy the vacancy's own text "
            "and were not counted:",
        ]
        lines += [f"  - {_short(s)}" for s in copied[:5]]
        if len(copied) > 5:
            lines.append(f"  ... {len(copied) - 5} more")
    if result.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in result.warnings]
    return "\n".join(lines)

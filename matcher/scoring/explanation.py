"""Readable explanations and score parts that add up exactly to the score.

:func:`build_parts` turns component values and weights into :class:`~matcher.types.ScorePart` rows
whose contributions sum (left to right, as ``sum`` does) to the score returned with them;
:func:`render_explanation` writes the per-check and per-duty text a recruiter reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matcher.features.text import shorten
from matcher.types import Check, DutyMatch, MatchResult, ScorePart

__all__ = ["build_parts", "weighted_terms", "render_explanation", "check_line"]

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


def weighted_terms(
    values: Mapping[str, float | None], weights: Mapping[str, float], *, decimals: int = 6
) -> tuple[list[tuple[str, bool, float, float, float]], float]:
    """(name, applies, weight, value, contribution) per component and their sum: the arithmetic of
    :func:`build_parts` without building records, for pool ranking (same numbers, bit for bit)."""
    applicable = {k: w for k, w in weights.items() if values.get(k) is not None and w > 0}
    total = sum(applicable.values())
    terms: list[tuple[str, bool, float, float, float]] = []
    for name, raw_weight in weights.items():
        value = values.get(name)
        if value is None or name not in applicable or total <= 0:
            terms.append((name, False, 0.0, 0.0, 0.0))
            continue
        v = round(min(max(float(value), 0.0), 1.0), decimals)
        w = raw_weight / total
        terms.append((name, True, w, v, w * v))
    score = sum(t[4] for t in terms)
    for _ in range(4):  # float rounding of rescaled weights: take any excess off the largest part
        if score <= 1.0:
            break
        i = max(range(len(terms)), key=lambda k: terms[k][4])
        name, applies, w, v, c = terms[i]
        terms[i] = (name, applies, w, v, c - (score - 1.0))
        score = sum(t[4] for t in terms)
    return terms, score


def check_line(check: Check) -> str:
    flag = "" if check.mandatory else " (not blocking)"
    mark = _MARK.get(check.status, check.status)
    return f"[{mark}] {check.kind}: {check.requirement}{flag} - {check.reason}"


def _short(text: str, n: int = 110) -> str:
    return shorten(text, n)


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

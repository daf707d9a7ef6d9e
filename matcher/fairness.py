"""Adverse-impact report and sensitivity analysis of a ranking or an allocation.

Ranking people is only defensible when the organisation can show the outcome does not fall harder on
one group than another. :func:`impact_report` computes, per group and per intersection of groups,
what New York City Local Law 144 asks of automated employment decision tools: selection rate,
scoring rate (share scoring above the pool's median), impact ratio against the most favoured group,
and the four-fifths flag; plus a significance test that stays honest on small samples (Fisher's
exact test when an expected cell count is under 5, chi-square otherwise). Groups are never used by
the scorer: they are joined here, after the fact, from a table the organisation holds separately.

:func:`sensitivity_report` asks how fragile a shortlist is: how many of the top k change when each
weight of the scoring config moves by +-20 %, and which borderline checks flip whose eligibility.

    >>> report = impact_report(ranking, groups, selected=10)   # doctest: +SKIP
    >>> report[report.four_fifths_flag]                        # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from matcher.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["impact_report", "sensitivity_report", "UNKNOWN"]

logger = logging.getLogger(__name__)

#: label of the category for candidates whose group is missing
UNKNOWN = "unknown"
#: rules ``selected`` accepts by name
SELECTION_RULES: tuple[str, ...] = ("eligible", "placed", "placed_in_preferences")
_ASSIGNMENT_COLUMNS = ("opening", "assignment", "assigned", "opening_id", "assigned_opening")
_CHOICE_COLUMNS = ("choice_rank", "choice")
_INTERSECTION = " × "

REPORT_COLUMNS: tuple[str, ...] = (
    "attribute",
    "group",
    "n",
    "share",
    "selected",
    "selection_rate",
    "impact_ratio",
    "four_fifths_flag",
    "above_median",
    "scoring_rate",
    "scoring_impact_ratio",
    "scoring_flag",
    "p_value",
    "test",
    "significant",
    "small_group",
    "reference",
    "note",
)


# ----------------------------------------------------------------------------- inputs


def _as_frame(ranking: Any) -> pd.DataFrame:
    import pandas as pd

    if isinstance(ranking, pd.DataFrame):
        return ranking
    to_frame = getattr(ranking, "to_frame", None)
    if callable(to_frame):  # an Allocation
        frame = to_frame()
        if isinstance(frame, pd.DataFrame):
            return frame
    if isinstance(ranking, Mapping):
        return pd.DataFrame(ranking)
    if isinstance(ranking, Sequence) and not isinstance(ranking, str):
        rows = [
            {f.name: getattr(r, f.name) for f in dataclasses.fields(r)}
            if dataclasses.is_dataclass(r)
            else dict(r)
            for r in ranking
        ]
        return pd.DataFrame(rows)
    raise ConfigError(
        f"impact_report: cannot read a ranking of type {type(ranking).__name__}; pass a DataFrame "
        "(Matcher.rank), an Allocation, or a list of records"
    )


def _ids(frame: pd.DataFrame, id_column: str) -> pd.Series:
    if id_column in frame.columns:
        ids = frame[id_column]
    elif frame.index.name == id_column or id_column == "index":
        ids = frame.index.to_series(index=frame.index)
    elif "candidate" in frame.columns:
        ids = frame["candidate"]
    else:
        raise ConfigError(
            f"impact_report: no {id_column!r} column; columns are "
            + ", ".join(map(str, frame.columns))
        )
    ids = ids.astype(str)
    if ids.duplicated().any():
        dupes = sorted(set(ids[ids.duplicated()]))[:5]
        raise ConfigError(f"impact_report: duplicate candidate ids: {', '.join(dupes)}")
    return ids.reset_index(drop=True)


def _groups_frame(groups: Any, ids: pd.Series, id_column: str) -> pd.DataFrame:
    """One row per ranked candidate, one column per group attribute, missing as UNKNOWN."""
    import pandas as pd

    if isinstance(groups, pd.Series):
        table = groups.to_frame(name=str(groups.name) if groups.name is not None else "group")
    elif isinstance(groups, pd.DataFrame):
        table = groups
        if id_column in table.columns:
            table = table.set_index(id_column)
    elif isinstance(groups, Mapping):
        first = next(iter(groups.values()), None)
        if isinstance(first, Mapping):
            table = pd.DataFrame.from_dict(dict(groups), orient="index")
        else:
            table = pd.Series(dict(groups), name="group").to_frame()
    else:
        raise ConfigError(
            f"impact_report: groups of type {type(groups).__name__}; pass a DataFrame with "
            f"{id_column!r} and one column per attribute, a Series, or a mapping id -> group"
        )
    if table.shape[1] == 0:
        raise ConfigError("impact_report: groups has no attribute column")
    table = table.copy()
    table.index = table.index.astype(str)
    if table.index.duplicated().any():
        raise ConfigError("impact_report: groups lists a candidate id more than once")
    out = table.reindex(ids.tolist())
    out.index = range(len(out))
    for col in out.columns:
        values = out[col].astype(object)
        missing = values.isna() | values.map(lambda v: isinstance(v, str) and not v.strip())
        out[col] = values.where(~missing, UNKNOWN).map(str)
    out.columns = [str(c) for c in out.columns]
    return out


def _selected_mask(
    frame: pd.DataFrame, selected: Any, score_column: str, ids: pd.Series
) -> tuple[pd.Series, str]:
    """Boolean Series (positional) of who was selected, and the rule in words."""
    import pandas as pd

    def column(name: str) -> pd.Series:
        return frame[name].reset_index(drop=True)

    if selected is None:
        if "selected" in frame.columns:
            selected = "selected"
        elif any(c in frame.columns for c in _ASSIGNMENT_COLUMNS):
            selected = "placed"
        elif "eligibility" in frame.columns:
            selected = "eligible"
        else:
            raise ConfigError(
                "impact_report: say who was selected: selected=k (top k), a boolean column name, "
                f"one of {', '.join(SELECTION_RULES)}, or a collection of candidate ids"
            )
    if isinstance(selected, bool):
        raise ConfigError("impact_report: selected=True/False is ambiguous; pass k or a rule")
    if isinstance(selected, int):
        if selected < 0:
            raise ConfigError(f"impact_report: selected={selected}: k must be >= 0")
        order = _rank_order(frame, score_column, ids)
        mask = pd.Series(False, index=range(len(frame)))
        mask.iloc[order[:selected]] = True
        return mask, f"top {selected}"
    if isinstance(selected, str):
        if selected == "eligible":
            if "eligibility" not in frame.columns:
                raise ConfigError(
                    "impact_report: selected='eligible' needs an 'eligibility' column"
                )
            return column("eligibility").astype(str).eq("eligible"), "eligible"
        if selected in ("placed", "placed_in_preferences"):
            assign = next((c for c in _ASSIGNMENT_COLUMNS if c in frame.columns), None)
            if assign is None:
                raise ConfigError(
                    f"impact_report: selected={selected!r} needs an allocation (a column among "
                    f"{', '.join(_ASSIGNMENT_COLUMNS)})"
                )
            placed = column(assign).map(_present)
            if selected == "placed":
                return placed, "placed"
            choice = next((c for c in _CHOICE_COLUMNS if c in frame.columns), None)
            if choice is None:
                raise ConfigError(
                    "impact_report: 'placed_in_preferences' needs a choice_rank column"
                )
            return placed & column(choice).map(_present), "placed within preferences"
        if selected in frame.columns:
            values = column(selected)
            if values.dtype != bool:
                bad = values[~values.isin([True, False, 0, 1])]
                if len(bad):
                    raise ConfigError(
                        f"impact_report: column {selected!r} is not boolean (e.g. {bad.iloc[0]!r})"
                    )
            return values.astype(bool), f"column {selected!r}"
        raise ConfigError(
            f"impact_report: unknown selection {selected!r}; valid: an int k, "
            f"{', '.join(SELECTION_RULES)}, or a boolean column of the ranking"
        )
    if isinstance(selected, pd.Series) and selected.dtype == bool:
        if len(selected) != len(frame):
            raise ConfigError("impact_report: boolean selection of the wrong length")
        if selected.index.astype(str).isin(ids).all() and not selected.index.equals(frame.index):
            return selected.reindex(ids.tolist()).fillna(False).reset_index(drop=True), "given"
        return selected.reset_index(drop=True), "given"
    if isinstance(selected, Iterable):
        chosen = {str(x) for x in selected}
        unknown = chosen - set(ids)
        if unknown:
            raise ConfigError(
                f"impact_report: {len(unknown)} selected id(s) not in the ranking, e.g. "
                f"{sorted(unknown)[0]!r}"
            )
        return ids.isin(chosen), f"{len(chosen)} given ids"
    raise ConfigError(f"impact_report: cannot use selected={selected!r}")


def _present(v: Any) -> bool:
    """A real value: not None, NaN, pd.NA or an empty / "none" string."""
    import pandas as pd

    if v is None:
        return False
    try:
        if pd.isna(v):
            return False
    except (TypeError, ValueError):  # array-likes: present
        pass
    return not (isinstance(v, str) and (not v.strip() or v.strip().lower() in ("none", "nan")))


def _rank_order(frame: pd.DataFrame, score_column: str, ids: pd.Series) -> list[int]:
    """Positions in ranked order: by 'rank' when present, else by score (desc), ties by id."""
    import pandas as pd

    work = pd.DataFrame({"id": ids, "pos": range(len(frame))})
    if "rank" in frame.columns:
        work["key"] = pd.to_numeric(frame["rank"].reset_index(drop=True), errors="coerce")
        work = work.sort_values(["key", "id"], na_position="last", kind="mergesort")
    elif score_column in frame.columns:
        work["key"] = pd.to_numeric(frame[score_column].reset_index(drop=True), errors="coerce")
        work = work.sort_values(["key", "id"], ascending=[False, True], na_position="last")
    return work["pos"].tolist()


# ----------------------------------------------------------------------------- statistics


def _two_by_two_test(a: int, b: int, c: int, d: int) -> tuple[float, str]:
    """p-value of independence in [[a, b], [c, d]]: Fisher when an expected count is under 5."""
    from scipy import stats

    n = a + b + c + d
    rows, cols = (a + b, c + d), (a + c, b + d)
    if n == 0 or 0 in rows or 0 in cols:
        return 1.0, "none (no variation)"
    expected = min(r * k / n for r in rows for k in cols)
    if expected < 5:
        return float(stats.fisher_exact([[a, b], [c, d]]).pvalue), "fisher"
    return float(stats.chi2_contingency([[a, b], [c, d]], correction=True).pvalue), "chi2"


def _attribute_test(labels: pd.Series, chosen: pd.Series) -> tuple[float, str]:
    """Overall test that selection is independent of an attribute (all its categories)."""
    import pandas as pd
    from scipy import stats

    table = pd.crosstab(labels, chosen)
    if table.shape[0] < 2 or table.shape[1] < 2:
        return 1.0, "none (no variation)"
    if table.shape == (2, 2):
        (a, b), (c, d) = table.to_numpy().tolist()
        return _two_by_two_test(a, b, c, d)
    result = stats.chi2_contingency(table.to_numpy())
    return float(result.pvalue), "chi2" + (
        " (expected counts under 5: approximate)" if result.expected_freq.min() < 5 else ""
    )


# ----------------------------------------------------------------------------- report


def impact_report(
    ranking: Any,
    groups: Any,
    *,
    selected: Any = None,
    score_column: str = "score",
    id_column: str = "candidate_id",
    min_share: float = 0.02,
    threshold: float = 0.8,
    alpha: float = 0.05,
    intersections: bool = True,
) -> pd.DataFrame:
    """Adverse-impact table, one row per group of each attribute and of each intersection.

    ``ranking``: the DataFrame of :meth:`Matcher.rank` / ``rank_pool``, an Allocation (or its
    ``to_frame()``), or records. ``groups``: the organisation's own table, a DataFrame with
    ``id_column`` and one column per attribute (gender, region, ...), a Series, or a mapping
    id -> group; candidates missing from it, or with an empty value, form the ``"unknown"``
    category. ``selected``: an int k (top k by rank, else by score), ``"eligible"``, ``"placed"``,
    ``"placed_in_preferences"`` (allocations), a boolean column name, or a collection of ids;
    by default a ``selected`` column, else placement, else eligibility.

    Columns: ``n``, ``share`` of the pool, ``selected``, ``selection_rate``, ``impact_ratio`` (rate
    over the highest rate among groups of at least ``min_share`` of the pool, unknown excluded
    from the reference), ``four_fifths_flag`` (ratio under ``threshold``; never raised for groups
    under ``min_share``, which are marked ``small_group`` and described in ``note``),
    ``above_median`` / ``scoring_rate`` (share scoring strictly above the pool's median score) and
    their ratio and flag, and ``p_value`` of the group against the rest of the pool (``test``:
    Fisher's exact test when an expected count is under 5, else chi-square), ``significant`` at
    ``alpha``. ``report.attrs`` holds the pool size, the selection rule, the median score and one
    overall test per attribute.
    """
    import numpy as np
    import pandas as pd

    if not 0 <= min_share < 1:
        raise ConfigError(f"impact_report: min_share={min_share} must be in [0, 1)")
    if not 0 < threshold <= 1:
        raise ConfigError(f"impact_report: threshold={threshold} must be in (0, 1]")
    if not 0 < alpha < 1:
        raise ConfigError(f"impact_report: alpha={alpha} must be in (0, 1)")
    frame = _as_frame(ranking)
    if len(frame) == 0:
        raise ConfigError("impact_report: the ranking is empty")
    ids = _ids(frame, id_column)
    table = _groups_frame(groups, ids, id_column)
    if score_column == "score" and "score" not in frame.columns and "fit" in frame.columns:
        score_column = "fit"  # an allocation: its fit is the score
    chosen, rule = _selected_mask(frame, selected, score_column, ids)
    chosen = chosen.astype(bool).reset_index(drop=True)

    scores = (
        pd.to_numeric(frame[score_column].reset_index(drop=True), errors="coerce")
        if score_column in frame.columns
        else None
    )
    median = float(scores.median()) if scores is not None and scores.notna().any() else math.nan
    above = (
        (scores > median).fillna(False) if scores is not None and not math.isnan(median) else None
    )

    attributes: list[tuple[str, pd.Series]] = [(c, table[c]) for c in table.columns]
    if intersections and len(table.columns) > 1:
        for size in range(2, len(table.columns) + 1):
            for combo in itertools.combinations(table.columns, size):
                label = _INTERSECTION.join(combo)
                values = table[list(combo)].astype(str).agg(_INTERSECTION.join, axis=1)
                attributes.append((label, values))

    n_pool = len(frame)
    rows: list[dict[str, Any]] = []
    overall_tests: dict[str, dict[str, Any]] = {}
    for attribute, labels in attributes:
        overall_p, overall_test = _attribute_test(labels, chosen)
        overall_tests[attribute] = {"p_value": overall_p, "test": overall_test}
        stats_rows = []
        for group in sorted(labels.unique(), key=lambda g: (UNKNOWN in g.split(_INTERSECTION), g)):
            member = labels.eq(group)
            n = int(member.sum())
            sel = int((chosen & member).sum())
            n_above = int((above & member).sum()) if above is not None else None
            rest_n = n_pool - n
            rest_sel = int(chosen.sum()) - sel
            p_value, test = _two_by_two_test(sel, n - sel, rest_sel, rest_n - rest_sel)
            share = n / n_pool
            stats_rows.append(
                {
                    "attribute": attribute,
                    "group": group,
                    "n": n,
                    "share": share,
                    "selected": sel,
                    "selection_rate": sel / n if n else math.nan,
                    "above_median": n_above,
                    "scoring_rate": (n_above / n) if (n_above is not None and n) else math.nan,
                    "p_value": p_value,
                    "test": test,
                    "small_group": share < min_share,
                    "unknown": UNKNOWN in group.split(_INTERSECTION),
                }
            )
        eligible_ref = [r for r in stats_rows if not r["small_group"] and not r["unknown"]]
        ref_pool = eligible_ref or stats_rows
        best_sel = max((r["selection_rate"] for r in ref_pool), default=math.nan)
        best_score = max(
            (r["scoring_rate"] for r in ref_pool if not math.isnan(r["scoring_rate"])),
            default=math.nan,
        )
        for r in stats_rows:
            ratio = r["selection_rate"] / best_sel if best_sel and best_sel > 0 else math.nan
            s_ratio = (
                r["scoring_rate"] / best_score
                if best_score and not math.isnan(best_score) and best_score > 0
                else math.nan
            )
            notes = []
            if r["small_group"]:
                notes.append(
                    f"under {min_share:.0%} of the pool: shown, but neither flagged nor used "
                    "as the reference"
                )
            if r["unknown"]:
                notes.append("group not recorded: counted as its own category")
            if not (best_sel and best_sel > 0):
                notes.append("no one selected in any reference group: ratio undefined")
            flag = bool(ratio < threshold) if not math.isnan(ratio) else False
            s_flag = bool(s_ratio < threshold) if not math.isnan(s_ratio) else False
            if r["small_group"]:
                flag = s_flag = False
            rows.append(
                {
                    **r,
                    "impact_ratio": ratio,
                    "four_fifths_flag": flag,
                    "scoring_impact_ratio": s_ratio,
                    "scoring_flag": s_flag,
                    "significant": bool(r["p_value"] < alpha),
                    "reference": bool(
                        r in ref_pool and not math.isnan(ratio) and math.isclose(ratio, 1.0)
                    ),
                    "note": "; ".join(notes),
                }
            )
    report = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    report["above_median"] = report["above_median"].astype("Int64")
    for col in ("four_fifths_flag", "scoring_flag", "significant", "small_group", "reference"):
        report[col] = report[col].astype(bool)
    report.attrs.update(
        {
            "n_pool": n_pool,
            "n_selected": int(chosen.sum()),
            "selection_rule": rule,
            "overall_selection_rate": float(np.mean(chosen)) if n_pool else math.nan,
            "median_score": median,
            "score_column": score_column if score_column in frame.columns else None,
            "min_share": min_share,
            "threshold": threshold,
            "alpha": alpha,
            "attribute_tests": overall_tests,
            "n_unknown": {c: int(table[c].eq(UNKNOWN).sum()) for c in table.columns},
        }
    )
    return report


# ----------------------------------------------------------------------------- sensitivity

#: config thresholds that decide a mandatory check (eligibility), moved like the weights
ELIGIBILITY_THRESHOLDS: tuple[str, ...] = ("relevance_threshold",)


def _profiles_of(cvs: Any, reference: Any) -> list[Any]:
    """Parsed profiles from what :meth:`Matcher.rank` accepts; unreadable CVs are left out."""
    import os
    from pathlib import Path

    from matcher.errors import MatcherError
    from matcher.features.cv import load_cvs, parse_cv
    from matcher.types import CandidateProfile

    if hasattr(cvs, "profiles"):
        return list(cvs.profiles)
    if isinstance(cvs, (str, os.PathLike)):
        return list(load_cvs(cvs, reference_date=reference).profiles)
    if isinstance(cvs, CandidateProfile):
        return [cvs]
    out = []
    for item in cvs:
        if isinstance(item, CandidateProfile):
            out.append(item)
            continue
        try:
            out.append(parse_cv(Path(item), reference_date=reference))
        except MatcherError as exc:
            logger.warning("sensitivity_report: skipped a CV that cannot be read: %s", exc)
    return out


def _order(results: Sequence[Any], config: Any = None) -> list[str]:
    """Candidate ids in ranking order (:func:`~matcher.scoring.ranking.rank_key`)."""
    from matcher.scoring.ranking import result_key

    return [
        r.candidate_id
        for r in sorted(
            results, key=lambda r: result_key(r, config)
        )
    ]


def sensitivity_report(
    matcher: Any,
    vacancy: Any,
    cvs: Any,
    *,
    k: int = 10,
    delta: float = 0.2,
) -> pd.DataFrame:
    """How fragile the shortlist is: one row per config value moved up and down by ``delta``.

    Every weight of the scoring config (``weight_*``) and every threshold that decides a mandatory
    check (the experience relevance threshold) is multiplied by ``1 + delta`` and ``1 - delta`` in
    turn, the pool is re-scored from the same embeddings (encoding happens once), and the row says
    how many of the top ``k`` changed (``topk_changed``, who ``entered`` and who ``left``), the
    largest rank move, and which candidates' eligibility flipped and through which check
    (``eligibility_flips``: "id: eligible -> ineligible (experience: ...)"). A shortlist whose top
    k moves under a 20 % change of one weight is a close call a panel should know about.

    ``matcher`` is a :class:`matcher.Matcher`; ``vacancy`` and ``cvs`` are what
    :meth:`Matcher.rank` accepts. ``report.attrs`` holds the baseline top k and the settings.
    """
    import dataclasses

    import pandas as pd

    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ConfigError(f"sensitivity_report: k={k!r} must be an integer >= 1")
    if not isinstance(delta, (int, float)) or not 0 < delta < 1:
        raise ConfigError(f"sensitivity_report: delta={delta!r} must be in (0, 1)")
    config = matcher.config
    prep_v = matcher.prepare_vacancy(vacancy)
    profiles = _profiles_of(cvs, getattr(prep_v, "reference", None))
    if not profiles:
        raise ConfigError("sensitivity_report: no readable CV in the pool")
    prepared = [matcher.prepare_candidate(p) for p in profiles]
    texts = list(prep_v.texts())
    for p in prepared:
        texts.extend(p.texts())
    vectors = dict(matcher.embed(texts))

    def run(cfg: Any) -> dict[str, Any]:
        scorer = type(matcher)(encoder=matcher.encoder, config=cfg)
        pv = scorer.prepare_vacancy(prep_v.vacancy)
        missing = [t for t in pv.texts() if t and t.strip() and t not in vectors]
        if missing:
            vectors.update(matcher.embed(missing))
        return {r.candidate_id: r for r in scorer.score_many(pv, prepared, vectors)}

    base = run(config)
    base_order = _order(list(base.values()), config)
    base_top = base_order[:k]
    base_pos = {cid: i for i, cid in enumerate(base_order)}

    moves: list[tuple[str, str, float]] = []
    for name in config.weights():
        moves.append(("weight", f"weight_{name}", float(getattr(config, f"weight_{name}"))))
    for name in ELIGIBILITY_THRESHOLDS:
        if hasattr(config, name):
            moves.append(("threshold", name, float(getattr(config, name))))

    rows: list[dict[str, Any]] = []
    for kind, name, value in moves:
        for sign in (+1, -1):
            new_value = value * (1 + sign * delta)
            row: dict[str, Any] = {
                "kind": kind,
                "parameter": name,
                "direction": f"{'+' if sign > 0 else '-'}{delta:.0%}",
                "old_value": value,
                "new_value": new_value,
            }
            try:
                cfg = dataclasses.replace(config, **{name: new_value})
            except (ConfigError, ValueError, TypeError) as exc:
                rows.append({**row, "note": f"not a valid config: {exc}"})
                continue
            if value == 0:
                rows.append(
                    {
                        **row,
                        "topk_changed": 0,
                        "entered": (),
                        "left": (),
                        "max_rank_shift": 0,
                        "eligibility_flips": (),
                        "n_flips": 0,
                        "note": "weight is 0: moving it by a share changes nothing",
                    }
                )
                continue
            results = run(cfg)
            order = _order(list(results.values()), cfg)
            top = order[:k]
            flips = []
            for cid, before in base.items():
                after = results[cid]
                if after.eligibility == before.eligibility:
                    continue
                changed = [
                    f"{b.kind}: {b.status} -> {a.status}"
                    for b, a in zip(before.checks, after.checks, strict=False)
                    if b.status != a.status and b.mandatory
                ]
                flips.append(
                    f"{cid}: {before.eligibility} -> {after.eligibility}"
                    + (f" ({'; '.join(changed)})" if changed else "")
                )
            rows.append(
                {
                    **row,
                    "topk_changed": len(set(base_top) - set(top)),
                    "entered": tuple(c for c in top if c not in base_top),
                    "left": tuple(c for c in base_top if c not in top),
                    "max_rank_shift": max(
                        (abs(i - base_pos[cid]) for i, cid in enumerate(order)), default=0
                    ),
                    "eligibility_flips": tuple(flips),
                    "n_flips": len(flips),
                    "note": "",
                }
            )
    report = pd.DataFrame(
        rows,
        columns=[
            "kind", "parameter", "direction", "old_value", "new_value", "topk_changed",
            "entered", "left", "max_rank_shift", "n_flips", "eligibility_flips", "note",
        ],
    )  # fmt: skip
    report.attrs.update(
        {"k": k, "delta": delta, "top_k": tuple(base_top), "n_candidates": len(prepared)}
    )
    return report

"""``matcher impact RANKING --groups GROUPS [--selected-top K]``: the adverse-impact table.

Groups come from a separate table the organisation holds (candidate_id plus one column per
attribute); the ranking never sees them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from matcher.commands.common import OUT_FORMATS, write_frame


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "impact",
        help="adverse-impact report (selection and scoring rates, four-fifths rule) by group",
        description=(
            "Selection rate, scoring rate, impact ratio, four-fifths flag and a significance test "
            "per group and intersection of groups, for a ranking or an allocation."
        ),
    )
    parser.add_argument(
        "ranking", help="ranking or allocation table (.csv, .xlsx, .parquet, .json)"
    )
    parser.add_argument(
        "--groups", required=True, help="table with candidate_id and one column per attribute"
    )
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--selected-top", type=int, metavar="K", help="the top K are selected")
    how.add_argument(
        "--selected",
        metavar="RULE",
        help="eligible, placed, placed_in_preferences, or a boolean column of the ranking "
        "(default: a 'selected' column, else placement, else eligibility)",
    )
    parser.add_argument("--id-column", default="candidate_id")
    parser.add_argument("--score-column", default="score")
    parser.add_argument("--min-share", type=float, default=0.02, help="small-group share (0.02)")
    parser.add_argument("--no-intersections", action="store_true", help="single attributes only")
    parser.add_argument("--out", help="write the report (.csv, .xlsx, .parquet, .json)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run, out_formats=OUT_FORMATS)


def read_table(path: str) -> Any:
    """A table by its extension, with a MatcherError naming the file when it cannot be read."""
    import pandas as pd

    from matcher.errors import InputError, UnsupportedFormatError

    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", path=p)
    suffix = p.suffix.lower()
    readers = {
        ".csv": lambda: pd.read_csv(p, dtype={"candidate_id": str}, keep_default_na=True),
        ".tsv": lambda: pd.read_csv(p, sep="\t", dtype={"candidate_id": str}),
        ".xlsx": lambda: pd.read_excel(p, dtype={"candidate_id": str}),
        ".parquet": lambda: pd.read_parquet(p),
        ".json": lambda: pd.read_json(p, dtype={"candidate_id": str}),
    }
    if suffix not in readers:
        raise UnsupportedFormatError(
            f"unsupported table format {suffix or '(none)'}; use {', '.join(readers)}", path=p
        )
    try:
        return readers[suffix]()
    except ImportError as exc:
        from matcher.errors import MissingDependencyError

        raise MissingDependencyError(exc.name or "a table reader", "io") from exc
    except Exception as exc:  # pandas raises many types for malformed tables
        raise InputError(f"cannot read table ({type(exc).__name__})", path=p) from exc


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from matcher.fairness import impact_report

    ranking = read_table(args.ranking)
    groups = read_table(args.groups)
    if args.id_column in groups.columns:
        groups[args.id_column] = groups[args.id_column].astype(str)
    if args.id_column in ranking.columns:
        ranking[args.id_column] = ranking[args.id_column].astype(str)
    selected: Any = args.selected_top if args.selected_top is not None else args.selected
    report = impact_report(
        ranking,
        groups,
        selected=selected,
        score_column=args.score_column,
        id_column=args.id_column,
        min_share=args.min_share,
        intersections=not args.no_intersections,
    )
    if args.out:
        write_frame(report, args.out)
    if args.json:
        print(
            json.dumps(
                {
                    "summary": {
                        k: v for k, v in report.attrs.items() if not isinstance(v, pd.DataFrame)
                    },
                    "groups": json.loads(report.to_json(orient="records", force_ascii=False)),
                },
                indent=2,
                ensure_ascii=False,
                default=str,
            )
        )
        return 0
    attrs = report.attrs
    print(
        f"pool {attrs['n_pool']}, selected {attrs['n_selected']} ({attrs['selection_rule']}), "
        f"median score {attrs['median_score']:.3f}"
    )
    shown = report[
        [
            "attribute",
            "group",
            "n",
            "selected",
            "selection_rate",
            "impact_ratio",
            "four_fifths_flag",
            "scoring_rate",
            "scoring_impact_ratio",
            "p_value",
            "small_group",
        ]
    ]
    with pd.option_context("display.width", 200, "display.max_rows", 500, "display.precision", 3):
        print(shown.to_string(index=False))
    flagged = report[report["four_fifths_flag"] | report["scoring_flag"]]
    if len(flagged):
        print(f"\n{len(flagged)} group(s) below the four-fifths threshold:")
        for row in flagged.itertuples():
            sig = "significant" if row.significant else "not significant"
            print(
                f"- {row.attribute} = {row.group}: impact ratio {row.impact_ratio:.2f}, "
                f"scoring ratio {row.scoring_impact_ratio:.2f} (p = {row.p_value:.3g}, {sig})"
            )
    else:
        print("\nno group below the four-fifths threshold")
    for row in report[report["small_group"]].itertuples():
        print(f"note: {row.attribute} = {row.group} is under the small-group share ({row.n})")
    return 0

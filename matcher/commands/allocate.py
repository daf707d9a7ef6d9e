"""``matcher allocate --preferences P --fit F [--areas A] [--strategy S] --out allocation.csv``.

Tables (.csv, .tsv, .xlsx, .parquet, .json):

- preferences: ``candidate_id`` then up to three choice columns (opening ids or areas), in order;
- fit: ``candidate_id`` then one column per opening id, values in [0, 1];
- areas: ``opening_id, area``; capacities: ``opening_id, capacity``;
- eligible: like fit, with true/false (or 1/0).

Prints the profile (1st / 2nd / 3rd / outside / unplaced, total fit); ``--compare`` prints it for
every strategy, ``--explain ID`` prints why a candidate is where they are. ``--groups`` with
``--max-per-group K`` adds a balance constraint (at most K per group, per ``--within`` unit);
``--select N`` first selects N candidates from a larger pool (:func:`matcher.select_and_allocate`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher.commands.common import OUT_FORMATS, write_frame

if TYPE_CHECKING:  # pragma: no cover
    from matcher.allocation import Strategy

STRATEGIES: tuple[Strategy, ...] = ("rank-maximal", "welfare", "stable")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "allocate",
        help="place selected JPO candidates in openings from their preferences and fit",
        description=(
            "Allocate candidates to openings: as many placed as possible, then by strategy "
            "(rank-maximal: most 1st, then 2nd, then 3rd choices, then fit; welfare: points 3/2/1 "
            "plus fit; stable: deferred acceptance with openings ranking by fit)."
        ),
    )
    parser.add_argument("--preferences", required=True, help="candidate_id + up to 3 choices")
    parser.add_argument("--fit", required=True, help="candidate_id x opening ids, values in [0, 1]")
    parser.add_argument("--areas", help="opening_id, area (lets a choice name a whole area)")
    parser.add_argument("--capacities", help="opening_id, capacity (default 1 each)")
    parser.add_argument("--eligible", help="candidate_id x opening ids, true/false")
    parser.add_argument("--strategy", choices=STRATEGIES, default="rank-maximal")
    parser.add_argument(
        "--groups", help="candidate_id, group: for --max-per-group (never part of a score)"
    )
    parser.add_argument("--max-per-group", type=int, metavar="K", help="balance: at most K")
    parser.add_argument(
        "--within", choices=("programme", "area", "opening"), default="area", help="balance unit"
    )
    parser.add_argument(
        "--select",
        type=int,
        metavar="N",
        help="select N candidates from the pool first (eligible, best fit first), then allocate",
    )
    parser.add_argument("--out", help="write the allocation (.csv, .xlsx, .parquet, .json)")
    parser.add_argument("--compare", action="store_true", help="print every strategy's profile")
    parser.add_argument("--json", action="store_true", help="print the allocation as JSON")
    parser.add_argument(
        "--explain", metavar="CANDIDATE_ID", action="append", default=[], help="explain a placement"
    )
    parser.set_defaults(func=run, out_formats=OUT_FORMATS)


def _read(path: str, *, what: str) -> Any:
    import pandas as pd

    from matcher.errors import EmptyInputError, InputError, UnsupportedFormatError

    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such {what} file", path=p)
    suffix = p.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            frame = pd.read_csv(p, sep="\t" if suffix == ".tsv" else ",", dtype=str)
        elif suffix == ".xlsx":
            frame = pd.read_excel(p, dtype=str)
        elif suffix == ".parquet":
            frame = pd.read_parquet(p)
        elif suffix == ".json":
            frame = pd.read_json(p, dtype=False)
        else:
            raise UnsupportedFormatError(
                f"unsupported {what} format {suffix or '(none)'}; use .csv, .tsv, .xlsx, "
                ".parquet or .json",
                path=p,
            )
    except ImportError as exc:
        from matcher.errors import MissingDependencyError

        raise MissingDependencyError(exc.name or "a table reader", "io") from exc
    except UnsupportedFormatError:
        raise
    except pd.errors.EmptyDataError as exc:
        raise EmptyInputError(f"the {what} file is empty; {_LAYOUT[what]}", path=p) from exc
    except pd.errors.ParserError as exc:
        raise InputError(_parser_problem(str(exc), what), path=p) from exc
    except Exception as exc:  # pandas raises many types for malformed tables
        raise InputError(
            f"cannot read the {what} table ({type(exc).__name__}: {exc}); {_LAYOUT[what]}", path=p
        ) from exc
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise EmptyInputError(f"the {what} table has no rows; {_LAYOUT[what]}", path=p)
    return frame


#: what each table holds, for the messages that say how to fix one
_LAYOUT: dict[str, str] = {
    "preferences": "write a header `candidate_id,choice_1,choice_2,choice_3` and one row per "
    "candidate with 1 to 3 opening ids (JPO-07) or areas (CPC), best first",
    "fit": "write a header `candidate_id,<opening id>,...` and one row per candidate, values in "
    "[0, 1]",
    "areas": "write a header `opening_id,area` and one row per opening",
    "capacities": "write a header `opening_id,capacity` and one row per opening",
    "eligible": "write a header `candidate_id,<opening id>,...` and true/false values",
    "groups": "write a header `candidate_id,group` and one row per candidate",
}


def _parser_problem(message: str, what: str) -> str:
    """pandas' tokenizer message ("Expected 4 fields in line 3, saw 5") in a reader's words."""
    import re

    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if m:
        want, line, got = m.groups()
        return (
            f"line {line} has {got} fields where the header has {want}; remove the extra "
            f"values or commas on that line (quote a value that contains a comma)"
        )
    return f"not a readable {what} table ({message.strip()}); {_LAYOUT[what]}"


def _matrix(path: str, *, what: str) -> Any:
    """A candidates x openings table: first column holds the candidate ids."""
    frame = _read(path, what=what)
    frame = frame.set_index(frame.columns[0])
    frame.index = frame.index.astype(str).str.strip()
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _pairs(path: str, *, what: str) -> dict[str, str]:
    from matcher.errors import InputError

    frame = _read(path, what=what)
    if frame.shape[1] < 2:
        raise InputError(f"{what} table needs two columns", path=path)
    keys, values = frame.iloc[:, 0], frame.iloc[:, 1]
    return {str(k).strip(): str(v).strip() for k, v in zip(keys, values, strict=True)}


def _eligible(path: str) -> Any:
    from matcher.errors import InputError

    frame = _matrix(path, what="eligible")
    truth = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
    try:
        return frame.apply(lambda col: col.map(lambda x: truth[str(x).strip().lower()]))
    except KeyError as exc:
        raise InputError(f"eligible holds a value other than true/false: {exc}", path=path) from exc


def run(args: argparse.Namespace) -> int:
    from matcher.allocation import allocate

    prefs = _read(args.preferences, what="preferences")
    fit = _matrix(args.fit, what="fit")
    options: dict[str, Any] = {
        "areas": _pairs(args.areas, what="areas") if args.areas else None,
        "capacities": (
            {k: _int(v) for k, v in _pairs(args.capacities, what="capacities").items()}
            if args.capacities
            else None
        ),
        "eligible": _eligible(args.eligible) if args.eligible else None,
    }
    if (args.groups is None) != (args.max_per_group is None):
        from matcher.errors import ConfigError

        raise ConfigError("--groups and --max-per-group go together")
    if args.groups:
        from matcher.allocation import Balance

        groups = _pairs(args.groups, what="groups")
        options["balance"] = Balance(groups, args.max_per_group, within=args.within)
    from matcher.errors import ConfigError, InputError

    def solve(strategy: Strategy) -> Any:
        if args.select is not None:
            from matcher.allocation import select_and_allocate

            return select_and_allocate(
                fit, prefs, n_openings=args.select, strategy=strategy, **options
            )
        return allocate(prefs, fit, strategy=strategy, **options)

    from matcher.allocation import problem_table
    from matcher.errors import PreferenceError

    files = {
        "preferences": args.preferences, "fit": args.fit, "areas": args.areas,
        "capacities": args.capacities, "eligible": args.eligible,
    }  # fmt: skip
    try:
        chosen = solve(args.strategy)
    except PreferenceError as exc:  # name the file each problem is in
        named = [f"{files.get(problem_table(p)) or problem_table(p)}: {p}" for p in exc.problems]
        tables = dict.fromkeys(problem_table(p) for p in exc.problems)
        heading = ", ".join(f"{t} ({files.get(t)})" if files.get(t) else t for t in tables)
        raise PreferenceError(named, heading=heading) from None
    for candidate in args.explain:
        if candidate not in chosen.assignments:
            raise InputError(f"unknown candidate {candidate!r}", path=args.preferences)
    results: dict[str, Any] = {args.strategy: chosen}
    if args.compare:
        for strategy in STRATEGIES:
            if strategy not in results:
                try:
                    results[strategy] = solve(strategy)
                except ConfigError as exc:  # stable with balance constraints
                    results[strategy] = exc
    if args.out:
        write_frame(chosen.to_frame(), args.out)
    out = sys.stdout
    if args.json:
        from matcher.commands.common import dump_json

        data = chosen.to_dict()
        if args.compare:
            data["compare"] = {
                s: r.to_dict() if not isinstance(r, Exception) else {"error": str(r)}
                for s, r in results.items()
            }
        data["explanations"] = {c: chosen.explain(c) for c in args.explain}
        print(dump_json(data), file=out)
        return 0
    for strategy in STRATEGIES:
        if strategy in results:
            r = results[strategy]
            text = f"({r})" if isinstance(r, Exception) else r.profile_text()
            print(f"{strategy:>12}: {text}", file=out)
    vacant = chosen.vacant
    if vacant:
        listed = ", ".join(o if n == 1 else f"{o} ({n} seats)" for o, n in vacant.items())
        print(f"vacant: {len(vacant)} of {len(chosen.openings)} openings left empty: {listed}",
              file=out)  # fmt: skip
    else:
        print(f"vacant: none (all {len(chosen.openings)} openings filled)", file=out)
    for warning in chosen.warnings:
        print(f"note: {warning}", file=out)
    for candidate in args.explain:
        print("\n" + chosen.explain(candidate), file=out)
    if args.out:
        print(f"wrote {args.out} ({args.strategy})", file=out)
    return 0


def _int(value: str) -> Any:
    try:
        number = float(value)
    except ValueError:
        return value  # allocate lists it with every other problem
    return int(number) if number.is_integer() else number

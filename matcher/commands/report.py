"""``matcher report VACANCY CVS... --out shortlist.html``: the shortlist a panel reads.

Parses the vacancy and the CVs, scores every CV, ranks them and writes one self-contained HTML
file (see :mod:`matcher.report`). CVs that cannot be read are listed in the report, not dropped.
With ``--groups`` the adverse-impact summary is added; for the JPO brochure, ``--opening`` picks
the opening shown and ``--preferences`` adds the allocation of the whole programme.
"""

from __future__ import annotations

import argparse
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the ranked, explained shortlist as one self-contained HTML file",
        description=(
            "Rank CVs against a vacancy and write an HTML report: requirements with their "
            "evidence, candidates with eligibility checks, duty evidence and the score's parts."
        ),
    )
    parser.add_argument("vacancy", help="vacancy notice (.txt, .pdf, .docx) or the JPO brochure")
    parser.add_argument("cvs", nargs="+", help="CV files or directories of CVs")
    parser.add_argument("--out", required=True, help="HTML file to write (e.g. shortlist.html)")
    parser.add_argument(
        "--groups", help="table with candidate_id and one column per attribute (adverse impact)"
    )
    how = parser.add_mutually_exclusive_group()
    how.add_argument(
        "--selected-top", type=int, metavar="K", help="for the impact summary: the top K selected"
    )
    how.add_argument(
        "--selected",
        metavar="RULE",
        help="for the impact summary: eligible (default), or a boolean column of the ranking",
    )
    parser.add_argument("--opening", help="JPO brochure: the opening id to report on (JPO-07)")
    parser.add_argument(
        "--preferences",
        help="JPO brochure: preferences table (candidate_id, choice_1..3) to add the allocation",
    )
    parser.add_argument(
        "--strategy",
        default="rank-maximal",
        help="allocation strategy with --preferences (rank-maximal, welfare, stable)",
    )
    parser.add_argument("--title", help="title of the report")
    parser.add_argument(
        "--show-names",
        action="store_true",
        help="show candidates' names next to their ids (blind review is the default)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from matcher.report import write_report

    vacancy, openings = _load_vacancy(args.vacancy, args.opening)
    loaded = _load_cvs(args.cvs)
    profiles = loaded["profiles"]
    errors = loaded["errors"]

    from matcher.scoring.matcher import Matcher

    matcher = Matcher()
    results = []
    for profile in profiles:
        try:
            results.append(matcher.score(vacancy, profile))
        except Exception as exc:  # one bad CV must not sink the report
            from matcher.errors import MatcherError

            if not isinstance(exc, MatcherError):
                logger.exception("scoring %s failed", profile.id)
            errors[profile.id] = f"could not be scored ({type(exc).__name__})"
    ranking = _ranking(results, errors)

    impact = None
    if args.groups:
        impact = _impact(ranking, args.groups, args.selected_top, args.selected)

    allocation = None
    if args.preferences:
        allocation = _allocation(
            matcher, openings, profiles, args.preferences, strategy=args.strategy
        )

    by_id = {p.id: p for p in profiles}
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    path = write_report(
        args.out,
        vacancy,
        results,
        ranking=ranking,
        impact=impact,
        allocation=allocation,
        errors=errors,
        profiles=by_id,
        blind=not args.show_names,
        title=args.title,
        generated=stamp,
    )
    counts = {k: sum(r.eligibility == k for r in results) for k in ("eligible", "unknown")}
    print(
        f"{path}: {len(results)} candidates ({counts['eligible']} eligible, "
        f"{counts['unknown']} unknown), {len(errors)} unreadable"
    )
    return 0


# --------------------------------------------------------------------------- steps


def _load_vacancy(path: str, opening: str | None) -> tuple[Any, tuple[Any, ...]]:
    """The vacancy to report on, and every opening when the file is the JPO brochure."""
    from matcher.errors import InputError
    from matcher.features.text import decode_bytes, repair_text
    from matcher.features.vacancy import load_vacancy, parse_jpo_openings

    p = Path(path)
    openings: tuple[Any, ...] = ()
    if p.is_file() and p.suffix.lower() in ("", ".txt", ".md"):
        try:
            openings = tuple(parse_jpo_openings(repair_text(decode_bytes(p.read_bytes()))))
        except Exception:  # not a brochure: read as one notice below
            openings = ()
    if openings:
        if opening is None:
            ids = ", ".join(o.id for o in openings)
            raise InputError(f"this is the JPO brochure: choose an --opening ({ids})", path=p)
        chosen = [o for o in openings if o.id.lower() == opening.lower()]
        if not chosen:
            raise InputError(f"no opening {opening!r}; the openings are JPO-01..", path=p)
        return _with_requirements(chosen[0]), tuple(_with_requirements(o) for o in openings)
    if opening is not None:
        raise InputError("--opening is only for the JPO brochure", path=p)
    return _with_requirements(load_vacancy(p)), ()


def _with_requirements(vacancy: Any) -> Any:
    """Requirements filled in, so the report can show them with their evidence."""
    if vacancy.requirements is not None:
        return vacancy
    import dataclasses

    from matcher.features.requirements import extract_requirements

    return dataclasses.replace(vacancy, requirements=extract_requirements(vacancy))


def _load_cvs(paths: list[str]) -> dict[str, Any]:
    """Profiles and {file or id: problem} for the CVs that could not be read."""
    from matcher.features.cv import load_cvs

    loaded = load_cvs(paths)
    profiles = list(getattr(loaded, "profiles", loaded))
    raw_errors = getattr(loaded, "errors", {}) or {}
    if isinstance(raw_errors, dict):
        errors = {str(k): str(v) for k, v in raw_errors.items()}
    else:  # a sequence of (path, message) pairs or of exceptions
        errors = {}
        for item in raw_errors:
            if isinstance(item, tuple) and len(item) == 2:
                errors[str(item[0])] = str(item[1])
            else:
                errors[str(getattr(item, "path", item))] = str(item)
    return {"profiles": profiles, "errors": errors}


def _ranking(results: list[Any], errors: dict[str, str]) -> Any:
    """The ranking frame: eligible, unknown, ineligible, then score, ties by id."""
    import pandas as pd

    order = {"eligible": 0, "unknown": 1, "ineligible": 2}
    rows = sorted(results, key=lambda r: (order.get(r.eligibility, 1), -r.score, r.candidate_id))
    frame = pd.DataFrame(
        {
            "candidate_id": [r.candidate_id for r in rows],
            "rank": list(range(1, len(rows) + 1)),
            "eligibility": [r.eligibility for r in rows],
            "score": [r.score for r in rows],
        }
    )
    return frame


def _impact(ranking: Any, groups_path: str, top: int | None, rule: str | None) -> Any:
    from matcher.commands.impact import read_table
    from matcher.fairness import impact_report

    groups = read_table(groups_path)
    if "candidate_id" in groups.columns:
        groups["candidate_id"] = groups["candidate_id"].astype(str)
    selected: Any = top if top is not None else (rule or "eligible")
    return impact_report(ranking, groups, selected=selected)


def _allocation(
    matcher: Any, openings: tuple[Any, ...], profiles: list[Any], prefs_path: str, *, strategy: str
) -> Any:
    """Fit of every CV to every opening, then the allocation of the preferences."""
    import pandas as pd

    from matcher.allocation import allocate
    from matcher.commands.impact import read_table
    from matcher.errors import InputError

    if not openings:
        raise InputError("--preferences needs the JPO brochure as VACANCY", path=prefs_path)
    table = read_table(prefs_path)
    if "candidate_id" not in table.columns:
        raise InputError("the preferences table needs a candidate_id column", path=prefs_path)
    choice_cols = [c for c in table.columns if c != "candidate_id"]
    preferences = {
        str(row["candidate_id"]): [
            str(row[c]) for c in choice_cols if isinstance(row[c], str) and row[c].strip()
        ]
        for _, row in table.iterrows()
    }
    fit = {}
    eligible = {}
    for opening in openings:
        scored = [matcher.score(opening, p) for p in profiles]
        fit[opening.id] = {r.candidate_id: r.score for r in scored}
        eligible[opening.id] = {r.candidate_id: r.eligibility != "ineligible" for r in scored}
    fit_frame = pd.DataFrame(fit)
    elig_frame = pd.DataFrame(eligible)
    keep = [c for c in fit_frame.index if c in preferences]
    areas = {o.id: o.department for o in openings if o.department}
    return allocate(
        {c: preferences[c] for c in keep},
        fit_frame.loc[keep],
        areas=areas,
        strategy=strategy,
        eligible=elig_frame.loc[keep],
    )

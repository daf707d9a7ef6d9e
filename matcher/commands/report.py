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
from typing import TYPE_CHECKING, Any

from matcher.commands.rank import add_answers_option

if TYPE_CHECKING:  # pragma: no cover
    from matcher.allocation import Strategy

logger = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    parser.add_argument(
        "--sensitivity",
        action="store_true",
        help="add how close the call is: the top k under +-20%% of each weight and threshold",
    )
    parser.add_argument("--top-k", type=int, metavar="K", help="shortlist size for --sensitivity")
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
    parser.add_argument(
        "--audit",
        metavar="LOG",
        help="append this run (and the allocation) to a hash-chained audit log (JSON Lines)",
    )
    parser.add_argument("--title", help="title of the report")
    add_answers_option(parser)
    parser.add_argument(
        "--show-names",
        action="store_true",
        help="show candidates' names next to their ids (blind review is the default)",
    )
    from matcher.commands.rank import add_model_options, add_overrides_option, add_run_options

    add_run_options(parser)
    add_overrides_option(parser)
    add_model_options(parser)
    parser.set_defaults(func=run, out_formats=())


def run(args: argparse.Namespace) -> int:
    from matcher.commands.rank import cached_matcher, stop_encoding

    # the model loads and the notice is encoded in a worker process while the CVs are read
    matcher = cached_matcher(args, worker=True)
    try:
        return _report(args, matcher)
    finally:
        stop_encoding(matcher)


def _report(args: argparse.Namespace, matcher: Any) -> int:
    from matcher.commands.rank import (
        load_pool,
        overridden,
        profile_store,
        reviewed,
        start_encoding,
        table_columns,
    )
    from matcher.report import write_report

    vacancy, openings = _load_vacancy(args.vacancy, args.opening)
    vacancy = reviewed([vacancy], args.requirements)[0]
    prepared = matcher.prepare_vacancy(vacancy)
    start_encoding(matcher, prepared.texts())
    loaded = load_pool(
        args.cvs, prepared.reference, workers=args.workers,
        store=profile_store(args), columns=table_columns(args),
    )  # fmt: skip
    results, ranking, profiles = score_pool(vacancy, loaded, matcher=matcher, answers=args.answers)
    ranking = overridden(ranking, args, vacancy.id)

    sensitivity = None
    if args.sensitivity and results:
        from matcher.fairness import sensitivity_report
        from matcher.features.cv import LoadedCVs

        k = args.top_k or min(10, len(results))
        sensitivity = sensitivity_report(matcher, vacancy, LoadedCVs(tuple(profiles)), k=k)

    impact = None
    if args.groups:
        impact = _impact(ranking, args.groups, args.selected_top, args.selected)
    allocation = None
    if args.preferences:
        allocation = allocate_openings(
            openings, profiles, args.preferences, strategy=args.strategy, matcher=matcher
        )

    run_id = None
    if args.audit:
        from matcher.audit import AuditLog

        log = AuditLog(args.audit)
        run_id = log.record_matcher_run(
            "rank",
            matcher=matcher,
            frame=ranking,
            results=results,
            vacancies=[vacancy],
            profiles=profiles,
            extra={"command": "report"},
        )
        if allocation is not None:
            log.record_allocation(allocation, config={"strategy": args.strategy})

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    if run_id:
        stamp += f", audit run {run_id}"
    path = write_report(
        args.out,
        vacancy,
        results,
        ranking=ranking,
        impact=impact,
        sensitivity=sensitivity,
        allocation=allocation,
        profiles={p.id: p for p in profiles},
        blind=not args.show_names,
        title=args.title,
        generated=stamp,
    )
    counts = {k: sum(r.eligibility == k for r in results) for k in ("eligible", "unknown")}
    n_errors = int((ranking["eligibility"] == "error").sum())
    print(
        f"{path}: {len(results)} candidates ({counts['eligible']} eligible, "
        f"{counts['unknown']} unknown), {n_errors} could not be read"
    )
    return 0


def score_pool(
    vacancy: Any, cvs: Any, *, matcher: Any = None, answers: Any = None
) -> tuple[list[Any], Any, list[Any]]:
    """Score every CV once: (results, the ranking frame of ``Matcher.rank``, profiles).

    ``cvs`` are paths (files or folders) or a ``LoadedCVs``. CVs that cannot be read or scored are
    rows of the ranking with their error, as in :meth:`Matcher.rank`, never an exception.
    """
    from matcher.commands.rank import load_pool
    from matcher.features.cv import LoadedCVs
    from matcher.scoring.matcher import Matcher

    matcher = matcher or Matcher()
    if isinstance(cvs, LoadedCVs):
        loaded = cvs  # already parsed
    else:
        paths = [cvs] if isinstance(cvs, (str, Path)) else list(cvs)
        reference = matcher.prepare_vacancy(vacancy).reference  # of experience
        loaded = load_pool([str(p) for p in paths], reference)
    ranking, results, _ = matcher.rank_detailed(vacancy, loaded, answers=answers)
    return results, ranking, list(loaded.profiles)


# --------------------------------------------------------------------------- steps


def _load_vacancy(path: str, opening: str | None) -> tuple[Any, tuple[Any, ...]]:
    """The vacancy to report on, and every opening when the file is the JPO brochure."""
    from matcher.errors import InputError
    from matcher.features.vacancy import load_vacancies

    p = Path(path)
    if p.is_dir():
        raise InputError("VACANCY must be one notice file, not a folder", path=p)
    vacancies = load_vacancies(p)
    if len(vacancies) > 1:
        if opening is None:
            ids = ", ".join(v.id for v in vacancies)
            raise InputError(f"this file holds several openings: choose one with --opening ({ids})",
                             path=p)  # fmt: skip
        chosen = [v for v in vacancies if v.id.lower() == opening.lower()]
        if not chosen:
            raise InputError(f"no opening {opening!r} in this file", path=p)
        return chosen[0], tuple(vacancies)
    if opening is not None and vacancies[0].id.lower() != opening.lower():
        raise InputError("--opening is for files with several openings (the JPO brochure)", path=p)
    return vacancies[0], ()


def _impact(ranking: Any, groups_path: str, top: int | None, rule: str | None) -> Any:
    from matcher.commands.impact import read_table
    from matcher.fairness import impact_report

    groups = read_table(groups_path)
    if "candidate_id" in groups.columns:
        groups["candidate_id"] = groups["candidate_id"].astype(str)
    selected: Any = top if top is not None else (rule or "eligible")
    return impact_report(ranking, groups, selected=selected)


def allocate_openings(openings: tuple[Any, ...], profiles: list[Any], prefs_path: str, *,
                strategy: Strategy, matcher: Any = None) -> Any:  # fmt: skip
    """Fit of every CV to every opening, then the allocation of the preferences."""
    import pandas as pd

    from matcher.allocation import allocate
    from matcher.commands.impact import read_table
    from matcher.errors import InputError
    from matcher.scoring.matcher import Matcher

    if not openings:
        raise InputError("--preferences needs the JPO brochure as VACANCY", path=prefs_path)
    table = read_table(prefs_path)
    if "candidate_id" not in table.columns:
        raise InputError("the preferences table needs a candidate_id column", path=prefs_path)
    preferences = _preferences(table, openings)
    matcher = matcher or Matcher()
    # every text of every opening and CV encoded once, then each pair scored from the vectors
    prep_openings = [matcher.prepare_vacancy(o) for o in openings]
    prepared, _ = matcher.prepare_candidates(profiles)  # a CV that cannot be is left out (logged)
    texts = [t for pv in prep_openings for t in pv.texts()]
    texts += [t for pc in prepared for t in pc.texts()]
    vectors = matcher.embed(texts)
    fit: dict[str, dict[str, float]] = {o.id: {} for o in openings}
    eligible: dict[str, dict[str, bool]] = {o.id: {} for o in openings}

    def failed(pc: Any, exc: Exception) -> None:
        logger.warning("could not score %s: %s", pc.profile.id, type(exc).__name__)

    # a pair that cannot be scored is left out (logged)
    for row in matcher.score_rows(prep_openings, prepared, vectors, on_error=failed):
        fit[row["vacancy_id"]][row["candidate_id"]] = row["score"]
        eligible[row["vacancy_id"]][row["candidate_id"]] = row["eligibility"] != "ineligible"
    fit_frame = pd.DataFrame(fit).fillna(0.0)
    elig_frame = pd.DataFrame(eligible).fillna(False).astype(bool)
    keep = sorted(c for c in fit_frame.index if c in preferences)
    missing = sorted(set(preferences) - set(keep))
    if missing:
        logger.warning("%d candidates with preferences have no readable CV", len(missing))
    areas = {o.id: o.department for o in openings if o.department}
    return allocate(
        {c: preferences[c] for c in keep},
        fit_frame.loc[keep],
        areas=areas,
        strategy=strategy,
        eligible=elig_frame.loc[keep],
    )


def _preferences(table: Any, openings: tuple[Any, ...]) -> dict[str, list[str]]:
    """candidate id -> choices; a bare number names the opening of that number ("6" -> JPO-06)."""
    import re

    by_number = {}
    for o in openings:
        m = re.search(r"(\d+)$", o.id)
        if m:
            by_number[int(m.group(1))] = o.id
    out: dict[str, list[str]] = {}
    choice_cols = [c for c in table.columns if c != "candidate_id"]
    for _, row in table.iterrows():
        choices = []
        for c in choice_cols:
            value = row[c]
            if value is None or (isinstance(value, float) and value != value):
                continue
            text = str(value).strip()
            number = re.fullmatch(r"(\d+)(?:\.0)?", text)
            if number and int(number.group(1)) in by_number:
                text = by_number[int(number.group(1))]
            if text:
                choices.append(text)
        out[str(row["candidate_id"]).strip()] = choices
    return out

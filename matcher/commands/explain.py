"""``matcher explain VACANCY CV``: every check and every duty, in words, for one candidate."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="explain one CV's eligibility and score for a vacancy",
        description="Per-check and per-duty explanation of one CV against one vacancy notice.",
    )
    parser.add_argument("vacancy", help="vacancy notice (.txt)")
    parser.add_argument("cv", help="CV file (.txt, .md, .pdf, .docx)")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--multilingual", action="store_true", help="use the multilingual encoder")
    parser.add_argument("--config", metavar="JSON", help="ScoringConfig as a JSON file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from matcher.commands.rank import build_matcher
    from matcher.features.cv import parse_cv
    from matcher.features.vacancy import load_vacancy

    vacancy = load_vacancy(args.vacancy)
    m = build_matcher(args)
    prepared = m.prepare_vacancy(vacancy)
    profile = parse_cv(args.cv, reference_date=prepared.reference)
    result = m.score(vacancy, profile)
    if args.json:
        from matcher.commands.common import dump_json

        print(dump_json(result))
    else:
        print(result.explanation)
    return 0

"""``matcher rank VACANCY CV_PATHS... [--out ranking.csv|.xlsx|.parquet|.json]``.

Ranks CVs (files or folders) for one vacancy: eligible first, then unknown, then ineligible, each by
fit score; CVs that cannot be read are listed with their error at the end, never dropped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from matcher.commands.common import OUT_FORMATS, write_frame


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "rank",
        help="rank CVs for a vacancy, with eligibility and reasons",
        description="Rank CVs (files or folders) for one vacancy notice.",
    )
    parser.add_argument("vacancy", help="vacancy notice (.txt)")
    parser.add_argument("cvs", nargs="+", metavar="CV_PATH", help="CV files or folders of CVs")
    parser.add_argument(
        "--out", metavar="FILE", help="write the full ranking (.csv, .xlsx, .parquet or .json)"
    )
    parser.add_argument("--top", type=int, default=10, help="rows to print (default 10)")
    add_model_options(parser)
    add_answers_option(parser)
    parser.set_defaults(func=run, out_formats=OUT_FORMATS)


def add_answers_option(parser: argparse.ArgumentParser) -> None:
    """--answers: the candidates' answers to declaration items (driving licence, fitness ...)."""
    parser.add_argument(
        "--answers",
        metavar="FILE",
        help="answers to declaration items (CSV or JSON: candidate_id, item, answer yes/no; "
        "optional vacancy_id); a 'no' makes the candidate ineligible",
    )


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """--multilingual and --config, read by :func:`build_matcher`."""
    parser.add_argument(
        "--multilingual",
        action="store_true",
        help="use the multilingual encoder (CVs in Russian, French, German ...)",
    )
    parser.add_argument("--config", metavar="JSON", help="ScoringConfig as a JSON file")


def build_matcher(args: argparse.Namespace):
    """A Matcher from the common --multilingual / --config options."""
    import json

    from matcher.errors import ConfigError
    from matcher.scoring.config import ScoringConfig
    from matcher.scoring.matcher import Matcher

    encoder = None
    if getattr(args, "multilingual", False):
        from matcher.scoring.encoders import MultilingualEncoder

        encoder = MultilingualEncoder()
    config = None
    if getattr(args, "config", None):
        try:
            data = json.loads(Path(args.config).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{args.config}: cannot read the config ({exc})") from exc
        config = ScoringConfig.from_dict(data)
    elif encoder is not None:
        config = ScoringConfig.for_encoder(encoder)
    return Matcher(encoder, config)


def load_pool(paths: list[str], reference, *, workers: int = 1, store=None):
    """Every CV under ``paths`` (files and folders), with the files that failed; ``workers``
    processes parse them, ``store`` (a ProfileStore) keeps them for the next run."""
    from matcher.errors import InputError
    from matcher.features.cv import CVFailure, LoadedCVs, load_cvs

    profiles, failures = [], []
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            loaded = load_cvs(path, reference_date=reference, workers=workers, store=store)
            profiles += loaded.profiles
            failures += loaded.failures
        elif path.exists():
            files.append(path)
        else:
            failures.append(CVFailure(str(path), InputError.__name__, f"{path}: no such file"))
    if files:
        loaded = load_cvs(files, reference_date=reference, workers=workers, store=store)
        profiles += loaded.profiles
        failures += loaded.failures
    return LoadedCVs(tuple(profiles), tuple(failures))


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from matcher.features.vacancy import load_vacancy

    vacancy = load_vacancy(args.vacancy)
    m = build_matcher(args)
    prepared = m.prepare_vacancy(vacancy)
    pool = load_pool(args.cvs, prepared.reference)
    frame = m.rank(vacancy, pool, answers=args.answers)
    if args.out:
        write_frame(frame, args.out)
    counts = frame["eligibility"].value_counts().to_dict()
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("eligible", "unknown", "ineligible"))
    if counts.get("error"):
        summary += f", {counts['error']} unreadable"
    print(f"{vacancy.id} {vacancy.title}: {len(frame)} CVs ({summary})")
    cols = ["rank", "candidate_id", "eligibility", "score", "duties", "failed_checks", "error"]
    shown = frame[cols].head(max(args.top, 0)).copy()
    shown["score"] = shown["score"].map(lambda x: "" if pd.isna(x) else f"{x:.3f}")
    shown["duties"] = shown["duties"].map(lambda x: "" if pd.isna(x) else f"{x:.2f}")
    for col in ("failed_checks", "error"):
        shown[col] = shown[col].map(lambda s: s if len(s) <= 70 else s[:69] + "\u2026")
    print(shown.to_string(index=False))
    if args.out:
        print(f"wrote {len(frame)} rows to {args.out}", file=sys.stderr)
    return 0

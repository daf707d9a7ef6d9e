"""``matcher pool --vacancy V.txt [--jpo BROCHURE.txt] CV_PATHS... --out pool.parquet``.

Ranks a whole applicant pool against many vacancies at once (every distinct sentence encoded once,
vectors and parsed CVs kept on disk so a re-run neither encodes nor parses), locally or on a Dask
cluster, optionally behind a first tier that keeps the most promising CVs per vacancy. One row per
(vacancy, CV); CVs that cannot be read are rows with their error, never dropped.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from matcher.commands.common import OUT_FORMATS, write_frame
from matcher.commands.rank import (
    add_answers_option,
    add_model_options,
    add_run_options,
    cached_matcher,
    load_pool,
    profile_store,
    reviewed,
    table_columns,
)

if TYPE_CHECKING:  # pragma: no cover
    from matcher.types import Vacancy


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "pool",
        help="rank a pool of CVs against many vacancies (cached, local or Dask)",
        description="Rank every CV against every vacancy: one row per pair, ranked per vacancy.",
    )
    parser.add_argument("cvs", nargs="+", metavar="CV_PATH", help="CV files or folders of CVs")
    parser.add_argument(
        "--vacancy", action="append", default=[], metavar="FILE", help="a vacancy notice (repeat)"
    )
    parser.add_argument(
        "--jpo", action="append", default=[], metavar="FILE",
        help="a JPO brochure: each of its openings is a vacancy (repeat)",
    )  # fmt: skip
    parser.add_argument(
        "--programme", metavar="FILE",
        help="requirements stated once for a programme (a text file), applied to every JPO opening",
    )  # fmt: skip
    parser.add_argument(
        "--out", metavar="FILE", help="write the ranking (.csv, .xlsx, .parquet or .json)"
    )
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="dask: a running scheduler (default: local cluster)"
    )
    parser.add_argument(
        "--prefilter-k", type=int, metavar="K",
        help="first tier: fully score only the K most promising CVs per vacancy",
    )  # fmt: skip
    parser.add_argument(
        "--prefilter", choices=["bm25", "static", "hybrid"], default="bm25",
        help="first-tier method (default bm25)",
    )  # fmt: skip
    parser.add_argument("--audit", metavar="LOG", help="append the run to this audit log")
    parser.add_argument("--top", type=int, default=3, help="candidates shown per vacancy")
    add_run_options(parser, several=True)
    add_model_options(parser)
    add_answers_option(parser)
    parser.set_defaults(func=run, out_formats=OUT_FORMATS)


def _vacancies(args: argparse.Namespace) -> list[Vacancy]:
    from matcher.errors import ConfigError
    from matcher.features.vacancy import load_vacancy, parse_jpo_openings

    vacancies = [load_vacancy(path) for path in args.vacancy]
    openings: list[Vacancy] = []
    for raw in args.jpo:
        openings.extend(parse_jpo_openings(_read(raw), source=str(raw)))
    if args.programme:
        from matcher.features.requirements import ProgrammeRequirements

        openings = list(ProgrammeRequirements.from_text(_read(args.programme)).apply(openings))
    vacancies.extend(openings)
    vacancies = reviewed(vacancies, args.requirements)
    if not vacancies:
        raise ConfigError("name at least one vacancy (--vacancy FILE or --jpo BROCHURE)")
    return vacancies


def _first_tier(
    args: argparse.Namespace, vacancies: list[Vacancy]
) -> tuple[list[str], int, list[Any]]:
    """The CV files in some vacancy's first-tier top k (read as raw text, not parsed), how many
    were left out, and the files that could not be read (reported, never dropped)."""
    from pathlib import Path

    from matcher.errors import MatcherError
    from matcher.features.cv import CVFailure, cv_files
    from matcher.features.documents import read_document
    from matcher.scoring.prefilter import prefilter_scores, select_top_k

    files: list[Path] = []
    for raw in args.cvs:
        files.extend(cv_files(raw) if Path(raw).is_dir() else [Path(raw)])
    texts, readable, failures = [], [], []
    for path in files:
        try:
            texts.append(read_document(path).text)
            readable.append(path)
        except MatcherError as exc:
            failures.append(CVFailure(str(path), type(exc).__name__, str(exc)))
    if not readable:
        return [], 0, failures
    scores = prefilter_scores(vacancies, texts, method=args.prefilter)
    keep = sorted({int(i) for i in select_top_k(scores, args.prefilter_k).ravel()})
    return [str(readable[i]) for i in keep], len(readable) - len(keep), failures


def _read(raw: str) -> str:
    from pathlib import Path

    from matcher.errors import InputError
    from matcher.features.text import decode_bytes, repair_text

    path = Path(raw)
    try:
        return repair_text(decode_bytes(path.read_bytes()))
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc})", path=path) from exc


def run(args: argparse.Namespace) -> int:
    from matcher.batch import NO_REQUIREMENTS, no_requirements_stated, rank_pool

    vacancies = _vacancies(args)
    m = cached_matcher(args, progress=False)
    reference = m.prepare_vacancy(vacancies[0]).reference
    paths = args.cvs
    skipped = 0
    if args.prefilter_k:  # first tier on the raw texts: parse only the CVs that can make a top k
        paths, skipped, unreadable = _first_tier(args, vacancies)
    pool = load_pool(paths, reference, workers=args.workers, store=profile_store(args),
                     columns=table_columns(args))  # fmt: skip
    if args.prefilter_k:
        from matcher.features.cv import LoadedCVs

        pool = LoadedCVs(pool.profiles, pool.failures + tuple(unreadable))
    client = None
    if args.engine == "dask" and args.scheduler:
        from distributed import Client

        client = Client(args.scheduler)
    audit = None
    if args.audit:
        from matcher.audit import AuditLog

        audit = AuditLog(args.audit)
    try:
        frame = rank_pool(
            m, vacancies, pool, engine=args.engine, prefilter_k=args.prefilter_k,
            prefilter_method=args.prefilter, client=client, audit=audit, progress=None,
            workers=args.workers if args.engine == "local" else 1, answers=args.answers,
        )  # fmt: skip
    finally:
        if client is not None:
            client.close()
    frame = no_requirements_stated(frame)
    if args.out:
        write_frame(frame, args.out)
    stats = frame.attrs.get("pool", {})
    tier = f"; {skipped} below every vacancy's first-tier top {args.prefilter_k}" if skipped else ""
    print(
        f"{stats.get('candidates', 0)} CVs x {len(vacancies)} vacancies: {stats.get('pairs', 0)} "
        f"pairs scored, {stats.get('distinct_texts', 0)} distinct texts "
        f"({len(pool.failures)} CVs unreadable{tier})"
    )
    for vacancy in vacancies:
        rows = frame[frame["vacancy_id"] == vacancy.id]
        counts = rows["eligibility"].value_counts().to_dict()
        top = rows[rows["eligibility"] != "error"].head(max(args.top, 0))
        best = ", ".join(f"{r.candidate_id} ({r.score:.3f})" for r in top.itertuples())
        stated = not (rows["unknown_checks"] == NO_REQUIREMENTS).any()
        verdicts = (
            f"{counts.get('eligible', 0)} eligible, {counts.get('unknown', 0)} unknown, "
            f"{counts.get('ineligible', 0)} ineligible"
            if stated
            else "no requirements stated, eligibility not checked (--programme FILE)"
        )
        best = f"; best: {best}" if best else ""
        print(f"{vacancy.id} {vacancy.title[:50]}: {verdicts}{best}")
    seconds = stats.get("seconds", {})
    if seconds:
        print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()), file=sys.stderr)
    if args.out:
        print(f"wrote {len(frame)} rows to {args.out}", file=sys.stderr)
    return 0

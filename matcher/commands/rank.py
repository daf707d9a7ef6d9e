"""``matcher rank VACANCY CV_PATHS... [--out ranking.csv|.xlsx|.parquet|.json]``.

Ranks CVs (files or folders) for one vacancy: eligible first, then unknown, then ineligible, each by
fit score; CVs that cannot be read are listed with their error at the end, never dropped.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher.commands.common import OUT_FORMATS, write_frame

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from matcher.features.cv import LoadedCVs
    from matcher.features.store import ProfileStore
    from matcher.scoring.matcher import Matcher
    from matcher.types import Vacancy


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "rank",
        help="rank CVs for a vacancy, with eligibility and reasons",
        description="Rank CVs (files or folders) for one vacancy notice.",
    )
    parser.add_argument("vacancy", help="vacancy notice (.txt)")
    parser.add_argument("cvs", nargs="+", metavar="CV_PATH", help="CV files or folders of CVs")
    parser.add_argument(
        "--out", metavar="FILE",
        help="write the full ranking (.csv, .xlsx, .parquet or .json; .xlsx adds one column per "
        "requirement check)",
    )
    parser.add_argument("--top", type=int, default=10, help="rows to print (default 10)")
    parser.add_argument("--audit", metavar="LOG", help="append the run to this audit log")
    add_run_options(parser)
    add_overrides_option(parser)
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


def build_matcher(args: argparse.Namespace) -> Matcher:
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


def add_run_options(parser: argparse.ArgumentParser, *, several: bool = False) -> None:
    """Options every ranking command shares: reviewed requirements, overrides, the embedding
    cache and the parsed-CV store (on by default), worker processes."""
    parser.add_argument(
        "--requirements", metavar="FILE", action="append" if several else "store",
        default=[] if several else None,
        help="reviewed requirements (from `matcher requirements NOTICE --out FILE`), used instead "
        "of extracting them again" + (" (repeat: one file per notice)" if several else ""),
    )  # fmt: skip
    parser.add_argument(
        "--cache", metavar="FILE",
        help="embedding cache (default: the user cache, ~/.cache/matcher/embeddings.sqlite)",
    )  # fmt: skip
    parser.add_argument(
        "--profiles", metavar="FILE",
        help="parsed-CV store, with the text read from each PDF/DOCX (default: the user cache, "
        "~/.cache/matcher/profiles.sqlite)",
    )  # fmt: skip
    parser.add_argument(
        "--no-cache", action="store_true",
        help="neither read nor write vectors, parsed CVs or their text",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="processes that parse the CVs (default 1)"
    )
    table = parser.add_argument_group(
        "CV tables", "a .csv/.xlsx CV_PATH is an export with one candidate per row"
    )
    table.add_argument(
        "--id-column", metavar="NAME", help="candidate id (default: candidate_id or id)"
    )
    table.add_argument(
        "--text-column", metavar="NAME", help="the CV text (default: text, resume_str, cv ...)"
    )
    table.add_argument(
        "--path-column", metavar="NAME",
        help="a CV file, relative to the table's folder (default: path, file ...)",
    )  # fmt: skip


def table_columns(args: argparse.Namespace) -> dict[str, Any]:
    """The --id-column / --text-column / --path-column options as load_cv_table arguments."""
    return {
        "id_column": getattr(args, "id_column", None),
        "text_column": getattr(args, "text_column", None),
        "path_column": getattr(args, "path_column", None),
    }


def add_overrides_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--overrides", metavar="FILE",
        help="the panel's decisions to apply: an audit log with `matcher audit override` "
        "records, or a table (.csv/.xlsx: candidate_id, decision, reason, actor); each must name "
        "a candidate of this run",
    )  # fmt: skip


def overridden(frame: pd.DataFrame, args: argparse.Namespace, vacancy_id: str) -> pd.DataFrame:
    """``frame`` with the decisions of --overrides applied (unchanged without it); rows of a
    notice with nothing to check say "no requirements stated"."""
    from matcher.batch import no_requirements_stated

    frame = no_requirements_stated(frame)
    if not getattr(args, "overrides", None):
        return frame
    from matcher.audit import read_overrides
    from matcher.batch import apply_overrides

    return apply_overrides(frame, read_overrides(args.overrides, vacancy_id=vacancy_id))


def cached_matcher(
    args: argparse.Namespace, *, progress: bool = True, worker: bool = False
) -> Matcher:
    """:func:`build_matcher` behind the embedding cache (unless --no-cache); with ``progress``,
    encoding shows a bar on a terminal (``rank_pool`` shows its own); with ``worker``, the model
    runs in a worker process (:class:`~matcher.commands.common.WorkerEncoder`: see
    :func:`start_encoding`; close it with :func:`stop_encoding`)."""
    from matcher.commands.common import ProgressEncoder, WorkerEncoder
    from matcher.scoring.matcher import Matcher

    m = build_matcher(args)
    encoder: Any = m.encoder
    if worker:
        encoder = WorkerEncoder(encoder)
        encoder.start()
    encoder = ProgressEncoder(encoder) if progress else encoder
    if not getattr(args, "no_cache", False):
        from matcher.scoring.cache import CachedEncoder, EmbeddingCache

        encoder = CachedEncoder(encoder, EmbeddingCache(getattr(args, "cache", None)))
    return Matcher(encoder, m.config)


def _worker(m: Matcher) -> Any:
    """The :class:`~matcher.commands.common.WorkerEncoder` behind ``m``'s encoder, if any."""
    from matcher.commands.common import WorkerEncoder

    encoder: Any = m.encoder
    while encoder is not None and not isinstance(encoder, WorkerEncoder):
        encoder = getattr(encoder, "__dict__", {}).get("encoder")
    return encoder


def start_encoding(m: Matcher, texts: list[str]) -> None:
    """Start encoding the ``texts`` the embedding cache lacks in ``m``'s encoding worker (a
    matcher from ``cached_matcher(worker=True)``) without waiting: the notice's texts are encoded
    while the CVs are read, and the scoring then finds their vectors ready. When the cache holds
    them all, the worker stops loading the model (CVs with new texts start it again)."""
    import numpy as np

    from matcher.scoring.cache import CachedEncoder

    worker = _worker(m)
    if worker is None:
        return
    texts = [t for t in dict.fromkeys(texts) if t and t.strip()]
    encoder = m.encoder
    if isinstance(encoder, CachedEncoder) and texts:
        found = encoder.cache.get_into(
            encoder.model_id, texts, np.empty((len(texts), encoder.dim), dtype=np.float32)
        )
        texts = [t for t, hit in zip(texts, found.tolist(), strict=True) if not hit]
    if texts:
        worker.prefetch(texts)
    else:
        worker.close()


def stop_encoding(m: Matcher) -> None:
    """Stop ``m``'s encoding worker, if it has one."""
    worker = _worker(m)
    if worker is not None:
        worker.close()


def profile_store(args: argparse.Namespace) -> ProfileStore | None:
    if getattr(args, "no_cache", False):
        return None
    from matcher.features.store import ProfileStore

    return ProfileStore(getattr(args, "profiles", None))


def reviewed(vacancies: list[Vacancy], files: list[str] | str | None) -> list[Vacancy]:
    """``vacancies`` with the reviewed requirements of ``files`` in place (each file names its
    notice's id; a file for a notice that is not among them is an error)."""
    from matcher.errors import InputError
    from matcher.features.review import apply_requirements, reviewed_vacancy_id

    if not files:
        return list(vacancies)
    files = [files] if isinstance(files, str) else list(files)
    out = list(vacancies)
    for f in files:
        vid = reviewed_vacancy_id(f)
        hits = [i for i, v in enumerate(out) if v.id == vid or (not vid and len(out) == 1)]
        if not hits:
            ids = ", ".join(v.id for v in out)
            raise InputError(
                f"requirements for {vid!r}, which is not among the notices of this run ({ids}); "
                "pass the notice it was written from",
                path=f,
            )
        out[hits[0]] = apply_requirements(out[hits[0]], f)
    return out


def load_pool(paths: list[str], reference: date | None, *, workers: int = 1,
              store: ProfileStore | None = None, progress: bool | None = None,
              columns: dict[str, Any] | None = None) -> LoadedCVs:  # fmt: skip
    """Every CV under ``paths`` (files, folders, CSV/XLSX exports), with the files that failed;
    ``workers`` processes parse them, ``store`` (a ProfileStore) keeps them for the next run; a
    progress bar on a terminal (``progress=None``); ``columns``: id_column, text_column,
    path_column of CSV/XLSX exports."""
    import dataclasses
    import sys

    from matcher.errors import InputError
    from matcher.features.cv import CVFailure, LoadedCVs, cv_files, load_cvs
    from matcher.features.tabular import TABLE_SUFFIXES

    columns = {k: v for k, v in (columns or {}).items() if v}
    groups: list[list[Path]] = []  # each folder apart, the single files together
    singles: list[Path] = []
    failures: list[Any] = []
    tables: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            groups.append(cv_files(path))
        elif path.suffix.lower() in TABLE_SUFFIXES and path.is_file():
            tables.append(path)  # an export: one candidate per row
        elif path.exists():
            singles.append(path)
        else:
            failures.append(CVFailure(str(path), InputError.__name__, f"{path}: no such file"))
    if singles:
        groups.insert(0, singles)
    parts = []
    total = sum(len(g) for g in groups)
    if progress is None:
        progress = sys.stderr.isatty()
    bar = None
    if progress and total:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="parsing CVs", unit="CV", leave=False, file=sys.stderr)
    # blocks of the same size with or without a bar, so the ids never depend on the terminal;
    # larger with workers (each block starts its processes)
    step = 32 if workers == 1 else 256 * workers
    try:
        for files in groups:
            for start in range(0, len(files), step):
                block = files[start : start + step]
                parts.append(load_cvs(block, reference_date=reference,
                                      workers=workers, store=store))  # fmt: skip
                if bar is not None:
                    bar.update(len(block))
    finally:
        if bar is not None:
            bar.close()
    for table in tables:
        from matcher.features.tabular import load_cv_table

        parts.append(load_cv_table(table, reference_date=reference, store=store, **columns))
    profiles: list[Any] = []
    seen: set[str] = set()
    for part in parts:
        failures += part.failures
        for profile in part.profiles:
            cid, n = profile.id, 1
            while cid in seen:  # the same file name in two folders
                n += 1
                cid = f"{profile.id}-{n}"
            seen.add(cid)
            profiles.append(profile if cid == profile.id else dataclasses.replace(profile, id=cid))
    return LoadedCVs(tuple(profiles), tuple(failures))


def run(args: argparse.Namespace) -> int:
    from matcher.features.vacancy import load_vacancy

    # the model loads and the notice is encoded in a worker process while the CVs are read
    m = cached_matcher(args, worker=True)
    try:
        vacancy = reviewed([load_vacancy(args.vacancy)], args.requirements)[0]
        prepared = m.prepare_vacancy(vacancy)
        start_encoding(m, prepared.texts())
        pool = load_pool(args.cvs, prepared.reference, workers=args.workers,
                         store=profile_store(args), columns=table_columns(args))  # fmt: skip
        audit = None
        if args.audit:
            from matcher.audit import AuditLog

            audit = AuditLog(args.audit)
        frame, results, _ = m.rank_detailed(vacancy, pool, audit=audit, answers=args.answers)
    finally:
        stop_encoding(m)
    import pandas as pd

    frame = overridden(frame, args, vacancy.id)
    if args.out:
        out = frame
        if Path(args.out).suffix.lower() == ".xlsx":  # a shortlist to filter: a column per check
            from matcher.batch import check_columns

            out = check_columns(frame, results)
        write_frame(out, args.out)
    counts = frame["eligibility"].value_counts().to_dict()
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("eligible", "unknown", "ineligible"))
    if counts.get("error"):
        summary += f", {counts['error']} unreadable"
    review = vacancy.requirements.review if vacancy.requirements is not None else None
    if review is not None:
        summary += f"; requirements reviewed by {review.reviewed_by}, {len(review.changes)} changes"
    print(f"{vacancy.id} {vacancy.title}: {len(frame)} CVs ({summary})")
    cols = ["rank", "candidate_id", "eligibility", "score", "duties", "failed_checks", "error"]
    if "decision" in frame.columns:
        n = int((frame["decision"] != "").sum())
        print(f"{n} panel decision(s) applied from {args.overrides}")
        cols[3:3] = ["computed_eligibility", "decision", "decided_by"]
    shown = frame[cols].head(max(args.top, 0)).copy()
    shown["score"] = shown["score"].map(lambda x: "" if pd.isna(x) else f"{x:.3f}")
    shown["duties"] = shown["duties"].map(lambda x: "" if pd.isna(x) else f"{x:.2f}")
    for col in ("failed_checks", "error"):
        shown[col] = shown[col].map(lambda s: s if len(s) <= 70 else s[:69] + "\u2026")
    print(shown.to_string(index=False))
    if args.out:
        print(f"wrote {len(frame)} rows to {args.out}", file=sys.stderr)
    return 0

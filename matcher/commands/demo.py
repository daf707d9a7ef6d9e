"""``matcher demo``: parse the shipped vacancies and print what was found.

The first stage of the full demo: every notice in ``data/vacancies`` (the JPO brochure gives one
record per opening) summarised on a few lines: title, department, number of duties, whether
qualifications were found, key footer fields and warnings.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matcher.types import Vacancy


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the demo on the shipped data",
        description="Parse the shipped vacancy notices and print a summary of each.",
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="data directory holding vacancies/ (default: ./data, else the repository's data/)",
    )
    parser.set_defaults(func=run)


def find_data_dir(explicit: str | None = None) -> Path:
    """The data directory: the one given, ./data, or the repository's data/ next to the package."""
    from matcher.errors import InputError

    candidates = [Path(explicit)] if explicit else [
        Path.cwd() / "data",
        Path(__file__).resolve().parents[2] / "data",
    ]
    for path in candidates:
        if (path / "vacancies").is_dir():
            return path
    raise InputError("no data directory with a vacancies/ folder found", path=candidates[0])


_KEY_FIELDS = ("Requisition ID", "Grade", "Closing Date", "Deadline for application", "Location")


def summarise(vacancy: Vacancy, *, skip_warnings: frozenset[str] = frozenset()) -> list[str]:
    """A few lines about one parsed vacancy (warnings in ``skip_warnings`` left out)."""
    where = "/".join(x for x in (vacancy.department, vacancy.unit) if x) or "-"
    quals = (
        f"{len(vacancy.qualification_blocks)} blocks" if vacancy.qualification_blocks
        else "yes" if vacancy.qualifications else "none"
    )
    lines = [
        f"{vacancy.id:<40} {vacancy.title[:70]}",
        f"    dept {where} | {len(vacancy.duties)} duties | qualifications: {quals}",
    ]
    meta = [f"{k}: {vacancy.metadata[k]}" for k in _KEY_FIELDS if vacancy.metadata.get(k)]
    if meta:
        lines.append("    " + " | ".join(meta))
    for warning in vacancy.warnings:
        if warning not in skip_warnings:
            lines.append(f"    ! {warning}")
    return lines


def run(args: argparse.Namespace) -> int:
    from matcher.features.vacancy import load_vacancies

    data = find_data_dir(getattr(args, "data", None))
    folder = data / "vacancies"
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    print(f"Vacancies in {folder} ({len(files)} files)")
    total = 0
    for path in files:
        vacancies = load_vacancies(path)
        total += len(vacancies)
        kind = f"JPO brochure, {len(vacancies)} openings" if len(vacancies) > 1 else "notice"
        print()
        print(f"{path.name}  [{kind}]")
        # a warning every record of the file shares is printed once, for the file
        shared = frozenset.intersection(*(frozenset(v.warnings) for v in vacancies)) if len(
            vacancies
        ) > 1 else frozenset()
        for warning in sorted(shared):
            print(f"  ! {warning}")
        for vacancy in vacancies:
            for line in summarise(vacancy, skip_warnings=shared):
                print(f"  {line}")
    print()
    print(f"{total} vacancies parsed from {len(files)} files.")
    return 0

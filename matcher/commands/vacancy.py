"""``matcher vacancy FILE [--json]``: print what the parser found in a notice.

A JPO brochure prints every opening. Warnings (empty sections, missing title ...) are printed
with the record, so a reader sees what the notice did not state.
"""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matcher.types import Vacancy


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "vacancy",
        help="parse a vacancy notice (or a JPO brochure) and print it",
        description="Parse a vacancy notice: title, department, background, duties, "
        "qualifications, footer metadata and warnings.",
    )
    parser.add_argument("file", help="notice file (text in any encoding, PDF or DOCX)")
    parser.add_argument("--json", action="store_true", help="print the parsed record(s) as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from matcher.commands.common import dump_json
    from matcher.features.vacancy import load_vacancies

    vacancies = load_vacancies(args.file)
    if args.json:
        data = [_public(v) for v in vacancies]
        print(dump_json(data[0] if len(data) == 1 else data))
        return 0
    for i, vacancy in enumerate(vacancies):
        if i:
            print()
        print(format_vacancy(vacancy))
    return 0


def _public(vacancy: Vacancy) -> Vacancy:
    """The record without its full source text (long, and already in the file)."""
    from dataclasses import replace

    return replace(vacancy, text="")


def format_vacancy(vacancy: Vacancy, *, width: int = 100) -> str:
    """A readable multi-line rendering of one parsed vacancy."""
    out: list[str] = []
    head = f"{vacancy.id}: {vacancy.title or '(no title)'}"
    out.append(head)
    out.append("=" * min(len(head), width))
    where = " / ".join(x for x in (vacancy.organisation, vacancy.department, vacancy.unit) if x)
    if where:
        out.append(f"Where: {where}")
    for key, value in vacancy.metadata.items():
        out.append(f"{key}: {value}")
    if vacancy.background:
        out.append("")
        out.append("Background:")
        for i, para in enumerate(vacancy.background.split("\n\n")):
            if i:
                out.append("")
            out.append(textwrap.fill(para, width, initial_indent="  ", subsequent_indent="  "))
    out.append("")
    out.append(f"Duties ({len(vacancy.duties)}):")
    for n, duty in enumerate(vacancy.duties, 1):
        first, *subs = duty.split("\n")
        out.append(textwrap.fill(first, width, initial_indent=f"  {n:>2}. ",
                                 subsequent_indent="      "))
        for sub in subs:
            out.append(textwrap.fill(sub, width, initial_indent="        ",
                                     subsequent_indent="          "))
    out.append("")
    if vacancy.qualification_blocks:
        out.append("Qualifications (by block):")
        for name, text in vacancy.qualification_blocks.items():
            out.append(f"  [{name}]")
            for line in text.split("\n"):
                out.append(textwrap.fill(line, width, initial_indent="    ",
                                         subsequent_indent="      "))
    elif vacancy.qualifications:
        out.append("Qualifications:")
        for line in vacancy.qualifications.split("\n"):
            if line.strip():
                out.append(textwrap.fill(line.strip(), width, initial_indent="  ",
                                         subsequent_indent="    "))
    else:
        out.append("Qualifications: (none stated)")
    if vacancy.warnings:
        out.append("")
        out.append("Warnings:")
        for warning in vacancy.warnings:
            out.append(f"  - {warning}")
    return "\n".join(out)

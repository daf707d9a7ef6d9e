"""``matcher requirements FILE [--json]``: the checkable requirements of a notice, with evidence.

A notice file is parsed with :func:`matcher.load_vacancy` and its qualifications section is
read; a plain-text file that is only a qualifications text (no notice around it) is read as is.
A JPO brochure prints every opening (their requirements are empty unless ``--programme FILE``
states programme-wide requirements, applied to each opening).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matcher.types import (
        EducationOption,
        Evidence,
        ExperienceRequirement,
        Requirements,
        Vacancy,
    )


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "requirements",
        help="extract the requirements (degrees, years, languages ...) of a notice",
        description="Extract the checkable requirements of a vacancy notice: degree options and "
        "substitution routes, minimum years, languages with CEFR levels, other hard conditions and "
        "competencies, each with the exact text it came from.",
    )
    parser.add_argument(
        "file",
        help="notice file (text in any encoding, PDF or DOCX) or a "
        "plain-text qualifications section",
    )
    parser.add_argument("--json", action="store_true", help="print the requirements as JSON")
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="write the requirements for review (.yaml or .json): edit it, fill in reviewed_by, "
        "then pass it to rank, pool or report with --requirements FILE",
    )
    parser.add_argument(
        "--programme",
        metavar="FILE",
        help="text file of programme-wide requirements applied to openings that "
        "state none (JPO brochures)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from matcher.commands.common import dump_json
    from matcher.features.requirements import ProgrammeRequirements, extract_requirements
    from matcher.features.text import decode_bytes, repair_text
    from matcher.types import Requirements

    path = Path(args.file)
    vacancies = _load(path)
    if vacancies is None:  # a bare qualifications text
        text = repair_text(decode_bytes(path.read_bytes()))
        items = [(path.stem, extract_requirements(text))]
    else:
        if args.programme:
            ptext = repair_text(decode_bytes(Path(args.programme).read_bytes()))
            vacancies = ProgrammeRequirements.from_text(ptext).apply(vacancies)
        items = [(v.id, v.requirements or Requirements()) for v in vacancies]
    if args.out:
        return _write(vacancies, path, args.out)
    if args.json:
        data = [{"id": vid, "requirements": req} for vid, req in items]
        print(dump_json(data[0] if len(data) == 1 else data))
        return 0
    for i, (vid, req) in enumerate(items):
        if i:
            print()
        print(format_requirements(vid, req))
    return 0


def _write(vacancies: tuple[Vacancy, ...] | None, path: Path, out: str) -> int:
    import sys

    from matcher.errors import InputError
    from matcher.features.review import write_requirements

    if vacancies is None:
        raise InputError(
            "a bare qualifications text has no notice to review against; pass the notice file",
            path=path,
        )
    if len(vacancies) != 1:
        raise InputError(
            f"holds {len(vacancies)} openings; --out writes the requirements of one notice "
            "(use --programme FILE for requirements shared by every JPO opening)",
            path=path,
        )
    written = write_requirements(vacancies[0], out)
    req = vacancies[0].requirements
    for w in req.warnings if req is not None else ():
        print(f"warning: {w}", file=sys.stderr)
    print(
        f"wrote the requirements of {vacancies[0].id} to {written}: review them, write your name "
        "in reviewed_by, then use --requirements " + str(written)
    )
    return 0


def _load(path: Path) -> tuple[Vacancy, ...] | None:
    """The parsed notice(s), or None when the file is a bare qualifications text."""
    from matcher.errors import InputError
    from matcher.features.vacancy import load_vacancies

    if not path.exists():
        raise InputError("file not found", path=path)
    vacancies = load_vacancies(path)
    if path.suffix.lower() in (".txt", ".md", "") and len(vacancies) == 1:
        v = vacancies[0]
        if not v.qualifications.strip() and not v.duties and _looks_like_qualifications(path):
            return None
    return vacancies


def _looks_like_qualifications(path: Path) -> bool:
    from matcher.features.requirements import extract_requirements
    from matcher.features.text import decode_bytes, repair_text

    text = repair_text(decode_bytes(path.read_bytes()))
    req = extract_requirements(text)
    return bool(req.education or req.experience or req.languages or req.language_choices)


def format_requirements(vid: str, req: Requirements, *, width: int = 100) -> str:
    """A readable rendering: one line per requirement, with its evidence quoted."""
    from matcher.types import ISCED_LABELS

    def quote(ev: Evidence | None) -> str:
        if ev is None:
            return ""
        from matcher.features.text import shorten

        return f'  "{shorten(ev.text, width - 7)}"'

    def degree(o: EducationOption) -> str:
        level = (
            ISCED_LABELS.get(o.min_level, f"degree level {o.min_level}")
            if o.min_level
            else "non-degree route"
        )
        s = level
        if o.fields:
            s += " in " + ", ".join(o.fields)
        if o.related_fields:
            s += " (or a related field)"
        if o.extra_years:
            s += f" + {_years(o.extra_years)} of additional experience"
        return s

    out = [f"{vid}: requirements", "=" * min(width, len(vid) + 14)]
    if req is None:
        out.append("(not extracted)")
        return "\n".join(out)
    sections = [
        ("Education (any one)", [degree(o) + "\n" + quote(o.evidence) for o in req.education]),
        (
            "Education preferred",
            [degree(o) + "\n" + quote(o.evidence) for o in req.education_preferred],
        ),
        ("Experience", [_exp(x) + "\n" + quote(x.evidence) for x in req.experience]),
        (
            "Experience preferred",
            [_exp(x) + "\n" + quote(x.evidence) for x in req.experience_preferred],
        ),
        (
            "Languages",
            [
                f"{x.language} {x.level or '(level not stated)'} "
                f"{'required' if x.required else 'asset'}\n" + quote(x.evidence)
                for x in req.languages
            ],
        ),
        (
            "Language choices",
            [
                f"{c.k} of {', '.join(c.languages)} {c.level or ''} "
                f"{'required' if c.required else 'asset'}\n" + quote(c.evidence)
                for c in req.language_choices
            ],
        ),
        (
            "Other conditions",
            [
                f"{o.category}{'' if o.required else ' (asset)'}\n" + quote(o.evidence)
                for o in req.other
            ],
        ),
        (
            "Competencies",
            [
                f"{'[required]' if c.required else '[asset]   '} {c.category}\n" + quote(c.evidence)
                for c in req.competencies
            ],
        ),
    ]
    for title, lines in sections:
        if not lines:
            continue
        out.append("")
        out.append(title + ":")
        for line in lines:
            first, _, second = line.partition("\n")
            out.append(f"- {first}")
            if second.strip():
                out.append(f"   {second.strip()}")
    for w in req.warnings:
        out.append(f"warning: {w}")
    return "\n".join(out)


def _years(n: float) -> str:
    return f"{n:g} year" + ("" if n == 1 else "s")


def _exp(x: ExperienceRequirement) -> str:
    from matcher.types import ISCED_LABELS

    s = f"{_years(x.min_years)} ({x.kind})"
    if x.min_years_by_level:
        s += "; " + ", ".join(
            f"{_years(v)} with a {ISCED_LABELS.get(k, 'degree')}"
            for k, v in sorted(x.min_years_by_level.items())
        )
    return s

"""``matcher cv FILE [--json] [--reference-date/--as-of YYYY-MM-DD] [--show-personal]``.

Shows what the parser read from one CV: degrees with the table row that matched, dated positions,
months of experience, languages and warnings. Personal data is not shown unless asked for, so the
output can be pasted into a ticket.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "cv",
        help="parse one CV (.txt, .md, .pdf, .docx) and show the profile",
        description="Parse a CV into degrees, positions, months of experience and languages.",
    )
    parser.add_argument("file", help="CV file (.txt, .md, .pdf or .docx)")
    parser.add_argument("--json", action="store_true", help="print the profile as JSON")
    parser.add_argument(
        "--reference-date", "--as-of",
        dest="reference_date",
        metavar="YYYY-MM-DD",
        help="count experience up to this day (default today; use the vacancy's closing date)",
    )
    parser.add_argument(
        "--show-personal", action="store_true", help="include personal data in the output"
    )
    parser.add_argument("--text", action="store_true", help="also print the blind text")
    parser.set_defaults(func=run)


def _date(value: str | None) -> date | None:
    from matcher.features.dates import as_date

    return as_date(value or None, what="--reference-date/--as-of")


def run(args: argparse.Namespace) -> int:
    import dataclasses

    from matcher.commands.common import dump_json
    from matcher.features.cv import parse_cv
    from matcher.types import PersonalData

    profile = parse_cv(args.file, reference_date=_date(args.reference_date))
    if not args.show_personal:
        profile = dataclasses.replace(profile, personal=PersonalData(), text="")
    if args.json:
        if not args.text:
            profile = dataclasses.replace(profile, blind_text="")
        print(dump_json(profile))
        return 0
    out = sys.stdout
    print(f"CV {profile.id}  ({profile.source})", file=out)
    print(f"highest level: {profile.highest_level if profile.highest_level else 'none found'}",
          file=out)
    for d in profile.education:
        year = f", {d.end_year}" if d.end_year and str(d.end_year) not in d.title[:70] else ""
        print(f"  degree  ISCED {d.level}  {d.title[:70]}{year}  [{d.matched_rule}]", file=out)
    print(f"experience: {profile.experience_months} months "
          f"({profile.experience_months / 12:.1f} years), union of intervals", file=out)
    for p in profile.positions:
        start = p.start.isoformat()[:7] if p.start else "?"
        end = "present" if p.ongoing else (p.end.isoformat()[:7] if p.end else "?")
        pt = f"  part-time {p.part_time_fraction:.0%}" if p.part_time_fraction < 1 else ""
        prec = f" ({p.date_precision})" if p.date_precision and p.date_precision != "month" else ""
        print(f"  {start} .. {end}{prec}  {p.title[:50]}"
              f"{' @ ' + p.organisation[:40] if p.organisation else ''}{pt}", file=out)
    langs = ", ".join(
        f"{s.language} {'native' if s.native else s.level or '?'}" for s in profile.languages
    )
    print(f"languages: {langs or 'none found'}", file=out)
    if profile.skills:
        print(f"skills: {', '.join(profile.skills[:20])}", file=out)
    if args.show_personal:
        print(f"personal: {profile.personal}", file=out)
    if profile.hidden_text:
        print(f"hidden text: {len(profile.hidden_text)} span(s)", file=out)
    for w in profile.warnings:
        print(f"warning: {w}", file=out)
    if args.text:
        print("\n" + profile.blind_text, file=out)
    return 0

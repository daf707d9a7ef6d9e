"""The ``matcher`` console script.

Each sub-command lives in its own module under ``matcher.commands`` exposing
``add_parser(subparsers)`` (which sets ``func`` on its parser); the heavy imports happen inside the
command, so ``matcher --help`` stays instant.
"""

from __future__ import annotations

import argparse
import logging
import sys
from importlib import import_module

from matcher.errors import MatcherError

COMMANDS: tuple[str, ...] = (
    "demo",
    "vacancy",
    "requirements",
    "cv",
    "rank",
    "pool",
    "explain",
    "allocate",
    "impact",
    "audit",
    "report",
    "config",
    "cache",
)


def build_parser() -> argparse.ArgumentParser:
    from matcher import __version__

    parser = argparse.ArgumentParser(
        prog="matcher",
        description="Match candidates to international-organisation vacancies, with explanations.",
    )
    parser.add_argument("--version", action="version", version=f"matcher {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = import_module(f"matcher.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"matcher.commands.{name}":
                continue  # command not built yet
            raise
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        formats = getattr(args, "out_formats", None)
        if formats is not None and getattr(args, "out", None):
            from matcher.commands.common import check_out

            check_out(args.out, formats)  # before any work, not after the ranking
        return int(args.func(args) or 0)
    except MatcherError as exc:
        print(f"matcher: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0

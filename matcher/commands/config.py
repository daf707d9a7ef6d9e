"""``matcher config --show``: every key of the ``--config`` JSON file, its meaning and default.

The meanings are the comments written beside each field of
:class:`~matcher.scoring.config.ScoringConfig`, read from its source, so they cannot drift apart.
"""

from __future__ import annotations

import argparse
import json


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "config",
        help="list the --config keys (weights and thresholds) with their meaning and default",
        description="The scoring settings a --config JSON file may change. A file holds a JSON "
        "object with any of these keys; the others keep their defaults.",
    )
    parser.add_argument(
        "--show", action="store_true", help="print every key, its default and meaning (default)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the defaults as a JSON file to start from"
    )
    parser.add_argument(
        "--multilingual", action="store_true",
        help="the defaults calibrated for the multilingual encoder",
    )  # fmt: skip
    parser.set_defaults(func=run)


def config_keys(multilingual: bool = False) -> list[tuple[str, object, str]]:
    """(key, default, meaning) of every ScoringConfig field, in declaration order."""
    import dataclasses
    import inspect

    from matcher.scoring.config import ScoringConfig

    cfg = ScoringConfig()
    if multilingual:

        class _Use:
            model_id = "universal-sentence-encoder-multilingual"

        cfg = ScoringConfig.for_encoder(_Use())
    comments: dict[str, str] = {}
    group = ""
    pending: list[str] = []
    try:
        source = inspect.getsource(ScoringConfig)
    except (OSError, TypeError):  # no source shipped: keys and defaults only
        source = ""
    for raw in source.splitlines():
        line = raw.strip()
        if line.startswith("#:"):
            pending.append(line[2:].strip())
        elif line.startswith("#"):
            group = line[1:].strip()
            pending = []
        elif ":" in line and not line.startswith(("def ", "@", "class ", '"', "return")):
            name = line.split(":", 1)[0].strip()
            if name.isidentifier():
                own = " ".join(pending)
                if name.startswith("weight_"):
                    part = f"weight of the {name[len('weight_'):]} part of the fit score"
                    own = f"{part}: {own}" if own else part
                comments[name] = own or group
            pending = []
        elif not line:
            pending = []
    return [
        (f.name, getattr(cfg, f.name), comments.get(f.name, ""))
        for f in dataclasses.fields(ScoringConfig)
    ]


def run(args: argparse.Namespace) -> int:
    import textwrap

    keys = config_keys(args.multilingual)
    if args.json:
        print(json.dumps({k: v for k, v, _ in keys}, indent=2))
        return 0
    print("Keys of a --config JSON file (any subset; the others keep their defaults).")
    print("Weights are relative: a part that does not apply to a notice drops out and the rest")
    print("are rescaled. `matcher config --json > my.json` writes the defaults to start from.\n")
    for key, default, meaning in keys:
        print(f"{key} = {json.dumps(default)}")
        for line in textwrap.wrap(meaning, 92):
            print(f"    {line}")
    return 0

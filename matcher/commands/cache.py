"""``matcher cache clear [--profiles|--embeddings]``: delete what matcher keeps on disk.

The profile store holds parsed CVs and the text read from their files (full text and personal
data); the embedding cache holds vectors of CV and notice sentences. Clearing deletes the files
themselves (database, ``-wal``/``-shm``/``-journal`` companions and the MAC key), not only their
rows, so nothing is left in free pages.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "cache",
        help="clear the parsed-CV store and the embedding cache",
        description="What matcher keeps on disk between runs (see docs/trust.md).",
    )
    sub = parser.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    clear = sub.add_parser("clear", help="delete the stored profiles and/or embeddings")
    which = clear.add_mutually_exclusive_group()
    which.add_argument(
        "--profiles", action="store_true",
        help="only the parsed-CV store (parsed CVs and the text read from their files)",
    )
    which.add_argument("--embeddings", action="store_true", help="only the embedding cache")
    clear.add_argument(
        "--cache-dir", metavar="DIR",
        help="cache folder (default $MATCHER_CACHE_DIR, else ~/.cache/matcher)",
    )  # fmt: skip
    clear.set_defaults(func=run_clear)


def run_clear(args: argparse.Namespace) -> int:
    from matcher.features.store import ProfileStore
    from matcher.scoring.cache import EmbeddingCache
    from matcher.sqlitedb import default_cache_dir, store_files

    folder = Path(args.cache_dir) if args.cache_dir else default_cache_dir()
    kinds = [ProfileStore, EmbeddingCache]
    if args.profiles:
        kinds = [ProfileStore]
    elif args.embeddings:
        kinds = [EmbeddingCache]
    for kind in kinds:
        # the files are removed, never opened: a damaged store is cleared like any other
        removed = [p for p in store_files(folder / kind.DEFAULT_NAME) if _unlink(p)]
        if removed:
            print(f"{kind.KIND}: deleted {len(removed)} file(s) under {folder}")
        else:
            print(f"{kind.KIND}: nothing stored under {folder}")
    return 0


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True

"""One SQLite file as a small, crash-safe, size-capped store shared by several processes.

The embedding cache (:mod:`matcher.scoring.cache`) and the parsed-CV store
(:mod:`matcher.features.store`) both need the same plumbing:

* WAL journal and ``BEGIN IMMEDIATE`` transactions: several processes (Dask workers, parallel
  parsing, parallel CLI runs) may read and write the same file; a crash mid-write rolls back,
  never half-writes. Subclasses checksum their rows so a torn or edited row is never returned;
* a retry on "database is locked" beyond SQLite's own busy handler;
* a size cap: each row carries a last-use time; a write that takes the store over ``max_bytes``
  evicts the least recently used rows down to 90 % of the cap;
* pickling by path, so a worker process reopens the same file (a connection never crosses fork).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from matcher.errors import ConfigError

__all__ = ["SQLiteStore", "default_cache_dir"]

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """The user cache directory for matcher (``$MATCHER_CACHE_DIR``, else XDG, else ~/.cache)."""
    env = os.environ.get("MATCHER_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "matcher"


def max_params(conn: sqlite3.Connection) -> int:
    """Host parameters one statement may bind: 32,766 since SQLite 3.32, 999 before."""
    try:
        return int(conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))  # Python >= 3.11
    except AttributeError:
        return 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999


def now() -> float:
    """Wall-clock seconds for last-use stamps (a seam for tests)."""
    return time.time()


class SQLiteStore:
    """Base of the stores: subclasses set ``SCHEMA``, ``TABLE`` (with ``id`` and ``last_used``
    columns) and ``DEFAULT_NAME`` (the file under :func:`default_cache_dir`)."""

    SCHEMA: ClassVar[str] = ""
    TABLE: ClassVar[str] = ""
    DEFAULT_NAME: ClassVar[str] = ""
    KIND: ClassVar[str] = "store"

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        max_bytes: int = 2 * 1024**3,
        refresh_after: float = 86_400.0,
        timeout: float = 60.0,
    ) -> None:
        if max_bytes <= 0:
            raise ConfigError(f"max_bytes must be positive, got {max_bytes}")
        self.path = (
            ":memory:"
            if path == ":memory:"
            else str(Path(path) if path is not None else default_cache_dir() / self.DEFAULT_NAME)
        )
        self.max_bytes = int(max_bytes)
        self.refresh_after = float(refresh_after)
        self.timeout = float(timeout)
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._lock = threading.RLock()
        self._stats = dict(hits=0, misses=0, writes=0, corrupt=0, evicted=0)

    # -- connection --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # a connection must not cross fork(): reopen in a child process
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        conn.execute("PRAGMA page_size = 16384")  # only takes effect on a new, empty file
        # a 64 MiB page cache (default 2 MiB) holds a key index across the statements of a warm
        # pool read instead of fetching its pages again for every statement; used only as needed
        conn.execute("PRAGMA cache_size = -65536")
        if self.path != ":memory:":
            self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            # WAL + NORMAL: a crash may lose the last commits but never corrupts the store
            conn.execute("PRAGMA synchronous = NORMAL")
        self._retry(lambda: conn.executescript(self.SCHEMA))
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _retry(self, fn: Any) -> Any:
        """Run ``fn``, retrying on 'database is locked' beyond SQLite's own busy handler."""
        deadline = time.monotonic() + self.timeout
        delay = 0.01
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "max_bytes": self.max_bytes,
            "refresh_after": self.refresh_after,
            "timeout": self.timeout,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["path"],
            max_bytes=state["max_bytes"],
            refresh_after=state["refresh_after"],
            timeout=state["timeout"],
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r}, max_bytes={self.max_bytes})"

    # -- writes and housekeeping ------------------------------------------------------------

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        conn = self._connect()

        def tx() -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(sql, rows)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

        self._retry(tx)

    def size_bytes(self) -> int:
        """Bytes used by live pages of the store (free pages excluded)."""
        with self._lock:
            conn = self._connect()
            page = conn.execute("PRAGMA page_size").fetchone()[0]
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        return int(page * (pages - free))

    def _evict_if_needed(self) -> None:
        used = self.size_bytes()
        if used <= self.max_bytes:
            return
        conn = self._connect()
        count = conn.execute(f"SELECT COUNT(*) FROM {self.TABLE}").fetchone()[0]
        if not count:
            return
        per_row = used / count
        n = min(count, int((used - 0.9 * self.max_bytes) / per_row) + 1)

        def tx() -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    f"DELETE FROM {self.TABLE} WHERE id IN "
                    f"(SELECT id FROM {self.TABLE} ORDER BY last_used LIMIT ?)",
                    (n,),
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

        self._retry(tx)
        self._stats["evicted"] += n
        log.info("%s %s: evicted %d least recently used row(s)", self.KIND, self.path, n)

    def __len__(self) -> int:
        with self._lock:
            return int(self._connect().execute(f"SELECT COUNT(*) FROM {self.TABLE}").fetchone()[0])

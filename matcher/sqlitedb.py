"""One SQLite file as a small, crash-safe, size-capped store shared by several processes.

The embedding cache (:mod:`matcher.scoring.cache`) and the parsed-CV store
(:mod:`matcher.features.store`) both need the same plumbing:

* WAL journal and ``BEGIN IMMEDIATE`` transactions: several processes (Dask workers, parallel
  parsing, parallel CLI runs) may read and write the same file; a crash mid-write rolls back,
  never half-writes. Subclasses checksum their rows so a torn or edited row is never returned;
* a retry on "database is locked" beyond SQLite's own busy handler;
* a size cap: each row carries a last-use time; a write that takes the store over ``max_bytes``
  evicts the least recently used rows down to 90 % of the cap;
* pickling by path, so a worker process reopens the same file (a connection never crosses fork);
* private at rest: the file, its ``-wal``/``-shm``/``-journal`` companions and its key are created
  0600, a folder it creates (and the default cache folder) 0700; rows carry a keyed MAC whose
  per-store secret sits beside the file (``<file>.key``, 0600); rows unused for
  ``retention_days`` are deleted when the store is opened;
* never fatal: a file that cannot be opened, read or written (not a database, a damaged page, a
  read-only folder) is reported once, naming the file and the problem, and the store then acts
  as an empty one that keeps nothing, so the run gives the same results as without it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import secrets
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from matcher.errors import ConfigError

__all__ = [
    "SQLiteStore",
    "default_cache_dir",
    "retention_from_env",
    "private_dir",
    "private_file",
    "store_files",
    "guarded",
]

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """The user cache directory for matcher (``$MATCHER_CACHE_DIR``, else XDG, else ~/.cache)."""
    env = os.environ.get("MATCHER_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "matcher"


#: rows unused for longer than this many days are deleted when a store opens (overrides the
#: store's default; "none" or "0" keeps rows until the size cap evicts them)
RETENTION_ENV = "MATCHER_CACHE_RETENTION_DAYS"
_COMPANIONS = ("-wal", "-shm", "-journal")
_T = TypeVar("_T")


def retention_from_env(default: float | None) -> float | None:
    """Days of retention: ``$MATCHER_CACHE_RETENTION_DAYS`` when set, else ``default``."""
    raw = os.environ.get(RETENTION_ENV, "").strip().lower()
    if not raw:
        return default
    if raw in ("none", "0", "off", "never"):
        return None
    try:
        days = float(raw)
    except ValueError:
        raise ConfigError(f"{RETENTION_ENV} must be a number of days, got {raw!r}") from None
    if not days > 0:
        raise ConfigError(f"{RETENTION_ENV} must be positive, got {raw!r}")
    return days


def _owned(path: Path) -> bool:
    try:
        return path.stat().st_uid == os.getuid()
    except (OSError, AttributeError):  # gone, or no uids on this platform
        return False


def _tighten(path: Path, mode: int) -> None:
    """Remove group and other permissions from a path we own (leave anyone else's alone)."""
    try:
        if _owned(path) and stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, mode)
    except OSError:
        pass


def private_dir(folder: Path) -> None:
    """Create ``folder`` 0700 (with its parents); the default cache folder is made 0700 too."""
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    elif folder.resolve() == default_cache_dir().resolve():
        _tighten(folder, 0o700)


def private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 if it does not exist; make an existing one of ours 0600."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        _tighten(path, 0o600)
    else:
        os.close(fd)


def store_files(path: str | os.PathLike[str]) -> list[Path]:
    """The files of the store at ``path`` that exist: database, companions, MAC key."""
    base = os.fspath(path)
    candidates = [base, *(base + s for s in _COMPANIONS), base + ".key"]
    return [Path(p) for p in candidates if os.path.lexists(p)]


def guarded(default: Callable[..., Any]) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """A store method that never fails the run: when the file cannot be opened, read or
    written, the store reports it once and the method returns ``default(self, *args)``."""

    def wrap(method: Callable[..., _T]) -> Callable[..., _T]:
        @functools.wraps(method)
        def inner(self: SQLiteStore, *args: Any, **kwargs: Any) -> _T:
            if self.broken is None:
                try:
                    return method(self, *args, **kwargs)
                except (sqlite3.DatabaseError, OSError) as exc:
                    self._disable(exc)
            return default(self, *args, **kwargs)

        return inner

    return wrap


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
    #: days a row is kept after its last use (None: until the size cap evicts it)
    DEFAULT_RETENTION_DAYS: ClassVar[float | None] = None

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        max_bytes: int = 2 * 1024**3,
        refresh_after: float = 86_400.0,
        timeout: float = 60.0,
        retention_days: float | None | str = "default",
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
        if retention_days == "default":
            retention_days = retention_from_env(self.DEFAULT_RETENTION_DAYS)
        if retention_days is not None and not float(retention_days) > 0:
            raise ConfigError(f"retention_days must be positive or None, got {retention_days}")
        self.retention_days = None if retention_days is None else float(retention_days)
        #: why the store is not used (None while it works): see :func:`guarded`
        self.broken: str | None = None
        self._secret: bytes | None = None
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._lock = threading.RLock()
        self._stats = dict(hits=0, misses=0, writes=0, corrupt=0, evicted=0)

    # -- connection --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # a connection must not cross fork(): reopen in a child process
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if self.broken is not None:
            raise sqlite3.OperationalError(self.broken)
        if self.path != ":memory:":
            path = Path(self.path)
            private_dir(path.parent)
            private_file(path)  # SQLite gives its -wal, -shm and -journal files the same mode
            for suffix in _COMPANIONS:
                _tighten(Path(self.path + suffix), 0o600)
        conn = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn.execute("PRAGMA page_size = 16384")  # only takes effect on a new, empty file
            # a 64 MiB page cache (default 2 MiB) holds a key index across the statements of a
            # warm pool read instead of fetching its pages again for every statement
            conn.execute("PRAGMA cache_size = -65536")
            if self.path != ":memory:":
                self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
                # WAL + NORMAL: a crash may lose the last commits but never corrupts the store
                conn.execute("PRAGMA synchronous = NORMAL")
            self._retry(lambda: conn.executescript(self.SCHEMA))
            if self.retention_days is not None:
                cutoff = int(now() - self.retention_days * 86_400)
                self._retry(
                    lambda: conn.execute(f"DELETE FROM {self.TABLE} WHERE last_used < ?", (cutoff,))
                )
        except BaseException:
            conn.close()
            raise
        self._conn, self._pid = conn, os.getpid()
        return conn

    def secret(self) -> bytes:
        """The store's MAC key: 32 random bytes in ``<file>.key`` (0600), made on first use."""
        if self._secret is None:
            if self.path == ":memory:":
                self._secret = secrets.token_bytes(32)
            else:
                key_path = Path(self.path + ".key")
                private_dir(key_path.parent)
                if not key_path.exists():
                    # written whole under a temporary name, then linked into place: a concurrent
                    # opener sees no key or the whole key, and the first link wins
                    tmp = key_path.with_name(f"{key_path.name}.{secrets.token_hex(8)}")
                    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                    with os.fdopen(fd, "wb") as f:
                        f.write(secrets.token_bytes(32))
                    try:
                        os.link(tmp, key_path)
                    except FileExistsError:
                        pass
                    finally:
                        tmp.unlink()
                _tighten(key_path, 0o600)
                data = key_path.read_bytes()
                if len(data) != 32:  # edited or damaged: no row can be trusted
                    raise OSError(f"MAC key {key_path} is damaged ({len(data)} bytes)")
                self._secret = data
        return self._secret

    def mac(self, digest_size: int = 16) -> Any:
        """A fresh keyed BLAKE2b for one row's MAC."""
        return hashlib.blake2b(key=self.secret(), digest_size=digest_size)

    def _disable(self, exc: BaseException) -> None:
        """Stop using the store for the rest of this object's life; say so once."""
        problem = str(exc) or type(exc).__name__
        self.broken = f"{self.path}: {problem}"
        log.warning(
            "%s %s cannot be used (%s): the run goes on without it", self.KIND, self.path, problem
        )
        try:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
        except sqlite3.Error:
            pass
        self._conn = None

    def files(self) -> list[Path]:
        """The store's files on disk: the database, its companions and its key."""
        return [] if self.path == ":memory:" else store_files(self.path)

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
            "retention_days": self.retention_days,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["path"],
            max_bytes=state["max_bytes"],
            refresh_after=state["refresh_after"],
            timeout=state["timeout"],
            retention_days=state.get("retention_days"),
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

    @guarded(lambda self: 0)
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

    @guarded(lambda self: 0)
    def __len__(self) -> int:
        with self._lock:
            return int(self._connect().execute(f"SELECT COUNT(*) FROM {self.TABLE}").fetchone()[0])

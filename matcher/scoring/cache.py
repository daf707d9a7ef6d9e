"""A persistent embedding cache, so that re-ranking the same pool encodes nothing.

Encoding is the floor of every ranking run (about 157 sentences/s for MiniLM on two cores); a CV
sentence or a duty embedded once never needs the model again. :class:`EmbeddingCache` keeps vectors
in one SQLite file keyed by ``(model id, text hash)``:

* WAL journal and ``BEGIN IMMEDIATE`` transactions: several processes (Dask workers, parallel CLI
  runs) may read and write the same file at once; a crash mid-write rolls back, never half-writes.
* every row stores ``dim`` and a keyed MAC (BLAKE2b with the cache's own secret, see
  :mod:`matcher.sqlitedb`) of the model id, key, dim and vector bytes: a torn, corrupted or edited
  row is detected on read, dropped and re-encoded, never returned; a vector changed together with
  a recomputed checksum fails too, unless whoever changed it also read the 0600 key file.
* a cache file that cannot be opened, read or written is reported once and ignored: the run
  encodes everything, with the same results as without a cache.
* a size cap with LRU-ish eviction: each row carries a last-use time refreshed at most once per
  ``refresh_after`` seconds (so warm runs do not turn every read into a write).

:class:`CachedEncoder` wraps any encoder (``encode(texts) -> float32 (n, dim)``, ``model_id``,
``dim``) and encodes only the misses, once per distinct text.

    >>> import numpy as np
    >>> cache = EmbeddingCache(":memory:")
    >>> cache.put_many("toy", ["a"], np.ones((1, 3), np.float32) / np.sqrt(3))
    >>> cache.get_many("toy", ["a", "b"])["a"].shape
    (3,)
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher import sqlitedb
from matcher.sqlitedb import SQLiteStore, default_cache_dir, guarded

__all__ = ["EmbeddingCache", "CachedEncoder", "CacheStats", "default_cache_dir", "text_key"]

log = logging.getLogger(__name__)

# A rowid table with 16 KiB pages keeps each ~1.6 KB row on one page (a WITHOUT ROWID table
# spills such rows into overflow pages and reads five times slower); the unique index finds rows.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    id        INTEGER PRIMARY KEY,
    model     TEXT    NOT NULL,
    key       BLOB    NOT NULL,
    dim       INTEGER NOT NULL,
    vec       BLOB    NOT NULL,
    checksum  BLOB    NOT NULL,
    last_used INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS embeddings_key ON embeddings (model, key);
CREATE INDEX IF NOT EXISTS embeddings_last_used ON embeddings (last_used);
"""

_MAX_KEYS = 32_765  # keys per statement at most, even where SQLite would bind more


def text_key(text: str) -> bytes:
    """16-byte BLAKE2b digest of the UTF-8 text: the cache key (collisions are negligible)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _seed(mac: Any, model_id: str) -> Any:
    """The row MAC already fed the model id: a warm pool verifies hundreds of thousands of rows,
    and copying the seed is cheaper than hashing the id again."""
    mac.update(model_id.encode("utf-8") + b"\0")
    return mac


def _sealed(seed: Any, key: bytes, dim: int, vec: bytes) -> bytes:
    """The MAC of one row from :func:`_seed`."""
    h = seed.copy()
    h.update(key + dim.to_bytes(4, "little"))
    h.update(vec)
    return h.digest()


def _no_rows(
    self: Any, model_id: str, texts: Sequence[str]
) -> tuple[list[Any], list[Any], list[Any], list[int]]:
    keys = [text_key(t) for t in texts]
    first_of: dict[bytes, int] = {}
    return [], [], [], [first_of.setdefault(k, i) for i, k in enumerate(keys)]


@dataclass(frozen=True, slots=True)
class CacheStats:
    """Counters since this cache object was opened (per process)."""

    hits: int = 0
    misses: int = 0
    writes: int = 0
    corrupt: int = 0
    evicted: int = 0


class EmbeddingCache(SQLiteStore):
    """Embeddings on disk in SQLite, keyed by (model id, text hash); safe for concurrent writers.

    ``path`` is a file (created with its folders) or ``":memory:"``; None means
    ``default_cache_dir() / "embeddings.sqlite"``. ``max_bytes`` caps the live data; when a write
    takes the store over it, the least recently used rows are evicted down to 90 % of the cap.
    The object pickles by path, so Dask workers reopen the same file.
    """

    SCHEMA = _SCHEMA
    TABLE = "embeddings"
    DEFAULT_NAME = "embeddings.sqlite"
    KIND = "embedding cache"

    # -- reads and writes --------------------------------------------------------------------

    def get_many(self, model_id: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors found for ``texts`` (a dict text -> float32 (dim,)); misses are absent.

        Rows whose length or checksum does not match are deleted and reported as misses.
        """
        texts = list(texts)
        where, blobs, _, _ = self._read(model_id, texts)
        return {
            texts[i]: np.frombuffer(vec, dtype="<f4").astype(np.float32, copy=False)
            for i, vec in zip(where, blobs, strict=True)
        }

    def get_into(self, model_id: str, texts: Sequence[str], out: np.ndarray) -> np.ndarray:
        """Write the stored vector of ``texts[i]`` into ``out[i]`` (``out``: (len(texts), dim));
        return the boolean mask of the texts found. Same checks as :meth:`get_many`.

        A warm pool reads a few hundred thousand vectors: one copy of all their bytes into
        ``out`` instead of an array and a dict entry per row.
        """
        if out.ndim != 2 or out.shape[0] != len(texts):
            raise ValueError(f"expected an array of {len(texts)} rows, got shape {out.shape}")
        where, blobs, dims, first = self._read(model_id, texts)
        found = np.zeros(len(texts), dtype=bool)
        if where:
            dim = int(out.shape[1])
            if any(d != dim for d in set(dims)):
                raise ValueError(f"embedding cache {self.path}: stored vectors are not {dim}-d")
            if out.flags.c_contiguous and out.dtype == np.dtype("<f4"):
                # each row's bytes straight into place: half the cost of join-then-scatter
                view, size = out.data.cast("B"), 4 * dim
                for i, vec in zip(where, blobs, strict=True):
                    view[i * size : (i + 1) * size] = vec
            else:
                vectors = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(where), dim)
                out[np.asarray(where, dtype=np.int64)] = vectors
            found[where] = True
        same = np.asarray(first, dtype=np.int64)
        again = np.flatnonzero(same != np.arange(len(texts)))
        if len(again):  # repeated texts: copy from the first occurrence
            found[again] = found[same[again]]
            hit = again[found[again]]
            out[hit] = out[same[hit]]
        return found

    @guarded(_no_rows)
    def _read(
        self, model_id: str, texts: Sequence[str]
    ) -> tuple[list[int], list[bytes], list[int], list[int]]:
        """The verified rows for ``texts``: (index of the first text with the key, vector bytes,
        dim) per row found, and per text the index of its first occurrence.

        Every row's MAC is verified (:func:`_sealed`); corrupt rows are deleted and count as
        misses; rows not used for ``refresh_after`` seconds get a new last-use time. Keys go in
        as few statements as SQLite allows: each ``IN`` list is sorted by SQLite, so larger lists
        walk the key index in fewer passes.
        """
        keys = [text_key(t) for t in texts]
        first_of: dict[bytes, int] = {}
        first = [first_of.setdefault(k, i) for i, k in enumerate(keys)]
        unique = list(first_of)
        where: list[int] = []
        blobs: list[bytes] = []
        dims: list[int] = []
        bad: list[bytes] = []
        stale: list[bytes] = []
        now = int(sqlitedb.now())
        old = now - int(self.refresh_after)
        with self._lock:
            seed = _seed(self.mac(), model_id)
            conn = self._connect()
            step = min(sqlitedb.max_params(conn) - 1, _MAX_KEYS)
            for i in range(0, len(unique), step):
                chunk = unique[i : i + step]
                marks = ",".join("?" * len(chunk))
                rows = self._retry(
                    lambda chunk=chunk, marks=marks: conn.execute(
                        "SELECT key, dim, vec, checksum, last_used FROM embeddings "
                        f"WHERE model = ? AND key IN ({marks})",
                        (model_id, *chunk),
                    ).fetchall()
                )
                for key, dim, vec, checksum, last_used in rows:
                    if len(vec) != 4 * dim or _sealed(seed, key, dim, vec) != checksum:
                        bad.append(key)
                        continue
                    where.append(first_of[key])
                    blobs.append(vec)
                    dims.append(dim)
                    if last_used < old:
                        stale.append(key)
            if bad:
                log.warning("embedding cache %s: dropped %d corrupt row(s)", self.path, len(bad))
                self._write(
                    "DELETE FROM embeddings WHERE model = ? AND key = ?",
                    [(model_id, k) for k in bad],
                )
            if stale:
                self._write(
                    "UPDATE embeddings SET last_used = ? WHERE model = ? AND key = ?",
                    [(now, model_id, k) for k in stale],
                )
            self._stats["hits"] += len(where)
            self._stats["misses"] += len(unique) - len(where)
            self._stats["corrupt"] += len(bad)
        return where, blobs, dims, first

    @guarded(lambda self, *a, **k: None)
    def put_many(self, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store ``vectors[i]`` for ``texts[i]``; the first writer of a key wins."""
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise ValueError(
                f"expected {len(texts)} vectors as a 2-D array, got shape {vectors.shape}"
            )
        vectors = np.ascontiguousarray(vectors, dtype="<f4")
        dim = int(vectors.shape[1])
        now = int(sqlitedb.now())
        rows = []
        seen: set[bytes] = set()
        seed = _seed(self.mac(), model_id)
        for text, vec in zip(texts, vectors, strict=True):
            key = text_key(text)
            if key in seen:
                continue
            seen.add(key)
            blob = vec.tobytes()
            rows.append((model_id, key, dim, blob, _sealed(seed, key, dim, blob), now))
        if not rows:
            return
        with self._lock:
            self._write(
                "INSERT OR IGNORE INTO embeddings (model, key, dim, vec, checksum, last_used) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._stats["writes"] += len(rows)
            self._evict_if_needed()

    # -- housekeeping ------------------------------------------------------------------------

    @guarded(lambda self, model_id: 0)
    def count(self, model_id: str) -> int:
        """Rows stored for one model."""
        with self._lock:
            return int(
                self._connect()
                .execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", (model_id,))
                .fetchone()[0]
            )

    @guarded(lambda self, model_id: None)
    def stored_dim(self, model_id: str) -> int | None:
        """The dimension of one stored row of the model (None when it has none)."""
        with self._lock:
            row = (
                self._connect()
                .execute("SELECT dim FROM embeddings WHERE model = ? LIMIT 1", (model_id,))
                .fetchone()
            )
        return None if row is None else int(row[0])

    @guarded(lambda self, model_id=None: None)
    def clear(self, model_id: str | None = None) -> None:
        """Delete every row (or every row of one model)."""
        with self._lock:
            if model_id is None:
                self._write("DELETE FROM embeddings", [()])
            else:
                self._write("DELETE FROM embeddings WHERE model = ?", [(model_id,)])

    def stats(self) -> CacheStats:
        return CacheStats(**self._stats)


class CachedEncoder:
    """An encoder that asks ``cache`` first and encodes only the misses, each distinct text once.

    Same protocol as the wrapped encoder: ``encode(texts) -> float32 (n, dim)`` L2-normalised,
    ``model_id``, ``dim``. Vectors come back bit-identical whether fresh or cached (both are the
    float32 bytes that were stored), so a warm run scores exactly like the cold one.

        >>> enc = CachedEncoder(my_encoder, EmbeddingCache())   # doctest: +SKIP
        >>> enc.encode(["Draft reports.", "Draft reports."]).shape   # doctest: +SKIP
        (2, 384)
    """

    def __init__(self, encoder: Any, cache: EmbeddingCache | None = None) -> None:
        self.encoder = encoder
        self.cache = cache if cache is not None else EmbeddingCache()
        self.encoded = 0  # texts sent to the wrapped encoder by this object
        self._dim: int | None = None

    @property
    def model_id(self) -> str:
        return str(self.encoder.model_id)

    @property
    def dim(self) -> int:
        """The stored vectors' dimension when the cache holds this model's rows, else the
        encoder's: a warm run then never loads the model just to learn its width."""
        if self._dim is None:
            self._dim = self.cache.stored_dim(self.model_id) or int(self.encoder.dim)
        return self._dim

    def __getattr__(self, name: str) -> Any:
        # anything else (max_seq_length, name, ...) comes from the wrapped encoder
        if name in ("encoder", "cache", "encoded", "_dim"):
            raise AttributeError(name)
        return getattr(self.encoder, name)

    def encode(self, texts: Sequence[str], **kwargs: Any) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        distinct = list(dict.fromkeys(texts))
        model_id = self.model_id
        vectors = np.empty((len(distinct), self.dim), dtype=np.float32)
        have = self.cache.get_into(model_id, distinct, vectors)
        if not have.all():
            rows = np.flatnonzero(~have)
            misses = [distinct[i] for i in rows.tolist()]
            fresh = np.ascontiguousarray(self.encoder.encode(misses, **kwargs), dtype=np.float32)
            if fresh.shape != (len(misses), self.dim):
                raise ValueError(
                    f"encoder {model_id!r} returned shape {fresh.shape} for {len(misses)} texts"
                )
            self.cache.put_many(model_id, misses, fresh)
            self.encoded += len(misses)
            vectors[rows] = fresh
        if len(distinct) == len(texts):
            return vectors
        index = {t: i for i, t in enumerate(distinct)}
        return vectors[[index[t] for t in texts]]

    def __repr__(self) -> str:
        return f"CachedEncoder({self.encoder!r}, {self.cache!r})"

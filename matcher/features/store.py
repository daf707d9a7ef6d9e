"""Parsed CVs on disk, so that re-ranking a pool of files does not parse them again.

After encoding, parsing is the largest cost of a pool run (a PDF takes tens of milliseconds, a
10,000-file roster minutes). :class:`ProfileStore` keeps each :class:`CandidateProfile` in SQLite
(the same crash-safe, multi-process, size-capped store as the embedding cache), keyed by a hash of

* the file's bytes and its path (the profile's id and source come from the path),
* the reference date and the :class:`ExperiencePolicy` (they change the months counted),
* the parser itself: the source of ``matcher.features`` and its resource tables, so a new version
  of the parser never reads an old profile.

A profile depends on the notice (its closing date ends open ranges such as "2019 - present"), but
most of a PDF's or DOCX's parse is reading its text, which depends on the file alone. The same
store therefore also keeps the **extracted text** of each PDF and DOCX
(:class:`~matcher.features.documents.DocumentText`), keyed by the file's bytes, its suffix and the
extractor (:func:`extractor_fingerprint`: the reading code and the PDF/DOCX libraries' versions):
ranking the same files against a notice with another closing date parses them again from their
stored text instead of reading every PDF again. Text cut short by a time budget is never kept.

Rows are stored as JSON (compressed, with a keyed MAC), never pickled: a store file that someone
else could write cannot run code here.

**Personal data at rest.** A stored profile, like a stored text, holds the full CV text and the
personal data found in it (name, contacts, nationality): the file, its companions and its MAC key
are 0600 in a 0700 folder, rows unused for ``retention_days`` (default 30,
``$MATCHER_CACHE_RETENTION_DAYS``) are deleted when the store opens, ``matcher cache clear
--profiles`` deletes them all, and ``matcher pool --no-cache`` (or no ``store`` in
:func:`~matcher.features.cv.load_cvs`) keeps nothing.

    >>> store = ProfileStore(":memory:")
    >>> loaded = load_cvs("data/cvs", store=store)         # doctest: +SKIP
    >>> again = load_cvs("data/cvs", store=store)          # doctest: +SKIP (read from the store)
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import types
import typing
import zlib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from matcher import sqlitedb
from matcher.features import documents
from matcher.features.dates import ExperiencePolicy
from matcher.features.documents import MAX_PAGES, DocumentText
from matcher.sqlitedb import SQLiteStore, guarded
from matcher.types import CandidateProfile

__all__ = [
    "ProfileStore", "profile_to_json", "profile_from_json", "parser_fingerprint",
    "extractor_fingerprint",
]  # fmt: skip

_SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
    id        INTEGER PRIMARY KEY,
    key       BLOB    NOT NULL UNIQUE,
    data      BLOB    NOT NULL,
    checksum  BLOB    NOT NULL,
    last_used INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS profiles_last_used ON profiles (last_used);
"""


@functools.lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """A hash of the parser's code and tables: it changes whenever parsing could."""
    import matcher

    root = Path(matcher.__file__).parent
    h = hashlib.blake2b(digest_size=16)
    h.update(matcher.__version__.encode())
    files = sorted((root / "features").rglob("*.py")) + sorted((root / "resources").rglob("*"))
    files += [root / "types.py", root / "sqlitedb.py"]
    for path in files:
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A hash of what turns a file's bytes into text (the document readers and the PDF and DOCX
    libraries): it changes whenever the extracted text could, and only then."""
    from importlib import metadata

    import matcher

    root = Path(matcher.__file__).parent / "features"
    h = hashlib.blake2b(digest_size=16)
    h.update(matcher.__version__.encode())
    for name in ("documents.py", "text.py"):
        h.update(name.encode() + b"\0" + (root / name).read_bytes())
    for dist in ("pypdf", "python-docx", "lxml"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{dist}={version}\0".encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- JSON codec


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def profile_to_json(profile: CandidateProfile) -> str:
    return json.dumps(_plain(profile), ensure_ascii=False, sort_keys=True)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _decode(tp: Any, value: Any) -> Any:
    """``value`` (parsed JSON) as type ``tp``: the records of :mod:`matcher.types`."""
    if value is None:
        return None
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if tp is date:
        return date.fromisoformat(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        fields = [f for f in dataclasses.fields(tp) if f.name in value]
        obj = tp(**{f.name: _decode(hints[f.name], value[f.name]) for f in fields if f.init})
        for f in fields:  # made, not given (CandidateProfile's sentences): restored as stored
            if not f.init and value[f.name] is not None:
                object.__setattr__(obj, f.name, _decode(hints[f.name], value[f.name]))
        return obj
    if origin is tuple:
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in value)
    if origin in (dict, Mapping, typing.Mapping) or tp in (dict, Mapping):
        item = args[1] if len(args) == 2 else Any
        return {k: _decode(item, v) for k, v in value.items()}
    if tp is float:
        return float(value)
    return value


def profile_from_json(text: str) -> CandidateProfile:
    profile: CandidateProfile = _decode(CandidateProfile, json.loads(text))
    return profile


def _document_from_json(text: str) -> DocumentText:
    doc: DocumentText = _decode(DocumentText, json.loads(text))
    if not isinstance(doc.text, str) or not isinstance(doc.pages, int):
        raise ValueError("not a stored document text")
    return doc


# --------------------------------------------------------------------------- the store

_TEXT_COUNTERS = ("text_hits", "text_misses", "text_writes", "text_corrupt")


class ProfileStore(SQLiteStore):
    """Parsed CVs in one SQLite file (default ``default_cache_dir() / "profiles.sqlite"``).

    Use it through ``load_cvs(..., store=ProfileStore())``. A row whose MAC does not match (a torn
    write, an edit) is deleted and the CV parsed again; nothing corrupt is ever returned. A file
    that cannot be used at all is reported once and the CVs are parsed as without a store.
    """

    SCHEMA = _SCHEMA
    TABLE = "profiles"
    DEFAULT_NAME = "profiles.sqlite"
    KIND = "profile store"
    DEFAULT_RETENTION_DAYS = 30.0

    def _checksum(self, key: bytes, data: bytes) -> bytes:
        mac = self.mac()
        mac.update(key + b"\0")
        mac.update(data)
        return mac.digest()

    @staticmethod
    def key_for(
        data: bytes, path: str, *, reference_date: date, policy: ExperiencePolicy | None
    ) -> bytes:
        """The key of one file's profile under these parsing options."""
        h = hashlib.blake2b(digest_size=16)
        for part in (
            parser_fingerprint(), str(path), reference_date.isoformat(),
            repr(policy or ExperiencePolicy()),
        ):  # fmt: skip
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        h.update(hashlib.blake2b(data, digest_size=32).digest())
        return h.digest()

    @staticmethod
    def text_key(data: bytes, *, suffix: str = "", max_pages: int = MAX_PAGES) -> bytes:
        """The key of one file's extracted text: its bytes, suffix and the extractor only (no
        path, no date), so the same file is read once whatever it is ranked against."""
        h = hashlib.blake2b(digest_size=16)
        for part in ("document text", extractor_fingerprint(), suffix.lower(), str(max_pages)):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        h.update(hashlib.blake2b(data, digest_size=32).digest())
        return h.digest()

    def _count(self, name: str) -> None:
        self._stats[name] = self._stats.get(name, 0) + 1

    def _load(self, key: bytes, decode: Any, kind: str) -> Any:
        """The verified, decoded row of ``key`` (None when absent or corrupt: a corrupt row is
        deleted); ``kind`` prefixes the counters ("" for profiles, "text_" for texts)."""
        with self._lock:
            conn = self._connect()
            row = self._retry(
                lambda: conn.execute(
                    "SELECT data, checksum, last_used FROM profiles WHERE key = ?", (key,)
                ).fetchone()
            )
            if row is None:
                self._count(kind + "misses")
                return None
            data, checksum, last_used = row
            try:
                if self._checksum(key, data) != checksum:
                    raise ValueError("checksum")
                value = decode(zlib.decompress(data).decode("utf-8"))
            except (ValueError, TypeError, KeyError, AttributeError, zlib.error):
                self._count(kind + "corrupt")
                self._write("DELETE FROM profiles WHERE key = ?", [(key,)])
                return None
            now = int(sqlitedb.now())
            if last_used < now - int(self.refresh_after):
                self._write("UPDATE profiles SET last_used = ? WHERE key = ?", [(now, key)])
            self._count(kind + "hits")
            return value

    def _save(self, key: bytes, text: str, kind: str) -> None:
        data = zlib.compress(text.encode("utf-8"), 6)
        with self._lock:
            self._write(
                "INSERT OR REPLACE INTO profiles (key, data, checksum, last_used) "
                "VALUES (?, ?, ?, ?)",
                [(key, data, self._checksum(key, data), int(sqlitedb.now()))],
            )
            self._count(kind + "writes")
            self._evict_if_needed()

    @guarded(lambda self, key: None)
    def get(self, key: bytes) -> CandidateProfile | None:
        profile: CandidateProfile | None = self._load(key, profile_from_json, "")
        return profile

    @guarded(lambda self, key, profile: None)
    def put(self, key: bytes, profile: CandidateProfile) -> None:
        self._save(key, profile_to_json(profile), "")

    @guarded(lambda self, key: None)
    def get_text(self, key: bytes) -> DocumentText | None:
        """A document's stored text (see :meth:`text_key`), None when not stored."""
        doc: DocumentText | None = self._load(key, _document_from_json, "text_")
        return doc

    @guarded(lambda self, key, doc: None)
    def put_text(self, key: bytes, doc: DocumentText) -> None:
        # ASCII JSON: a lone surrogate a PDF's text may hold round-trips as an escape
        self._save(key, json.dumps(_plain(doc), ensure_ascii=True, sort_keys=True), "text_")

    def read_document(
        self, data: bytes, *, name: str | None = None, suffix: str = ""
    ) -> DocumentText:
        """The text of a document given as bytes, as :func:`~matcher.features.documents.read_bytes`
        reads it: from the store when these bytes were read before by this extractor, else read
        and kept (a PDF or DOCX read in full; plain text costs nothing to read again)."""
        key = self.text_key(data, suffix=suffix)
        doc = self.get_text(key)
        if doc is None:
            doc = documents.read_bytes(data, name=name, suffix=suffix)
            if doc.complete and doc.format != "text":
                self.put_text(key, doc)
        return doc

    def stats(self) -> dict[str, int]:
        """Counters since this object was opened (per process): hits, misses, writes, corrupt
        and evicted rows of profiles, and text_hits, text_misses, text_writes, text_corrupt of
        extracted texts."""
        return {**dict.fromkeys(_TEXT_COUNTERS, 0), **self._stats}

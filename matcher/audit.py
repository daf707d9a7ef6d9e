"""A tamper-evident audit trail for ranking and allocation runs.

Screening people for jobs is high-risk work (EU AI Act Annex III): every decision the tool helps
make must be reconstructible afterwards, and every human override must say why. :class:`AuditLog`
writes JSON Lines, one record a line, and chains them: each record carries ``prev``, the SHA-256 of
the previous line's exact bytes, so editing, deleting, reordering or inserting any byte breaks the
chain. A small head file next to the log (``LOG.head``) holds the record count and the hash of the
last line, which is what makes truncation detectable; copy :attr:`AuditLog.head` somewhere else (a
ticket, an e-mail) to anchor the log against someone who rewrites both.

What a run records: library version, model id and hash, the config, SHA-256 of every input, and
per candidate the checks (requirement, status, reason), score parts, rank and allocation. What it
never records: CV text or personal data. CV evidence is kept as offsets plus the SHA-256 of the
quoted span (an auditor holding the CV can check it; the log alone reveals nothing), known personal
values are masked in every string, and e-mail addresses and phone numbers are masked everywhere.

    >>> log = AuditLog("runs.audit.jsonl")                          # doctest: +SKIP
    >>> run_id = log.record_run("rank", config=cfg, model_id="all-MiniLM-L6-v2",
    ...                         inputs={"vacancy": "notice.txt"}, rows=results)  # doctest: +SKIP
    >>> log.record_override("c-07", "shortlist", "field work judged equivalent")  # doctest: +SKIP
    >>> verify_audit_log("runs.audit.jsonl").ok                      # doctest: +SKIP
    True
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import os
import re
import sys
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Literal, get_args

from matcher.errors import AuditError, ConfigError
from matcher.features.pii import ValueMasker, mask_contacts, personal_values

__all__ = [
    "DECISIONS",
    "Override",
    "read_overrides",
    "AuditLog",
    "AuditVerification",
    "verify_audit_log",
    "hash_file",
    "hash_path",
    "hash_bytes",
    "model_fingerprint",
    "GENESIS",
]

logger = logging.getLogger(__name__)

RunKind = Literal["rank", "rank_pool", "allocate"]
RUN_KINDS: tuple[str, ...] = get_args(RunKind)
RECORD_TYPES: tuple[str, ...] = ("open", "run", "row", "run_end", "override", "recovered")
#: ``prev`` of the first record.
GENESIS = "0" * 64
FORMAT_VERSION = 1
_CHUNK = 1 << 20

# ----------------------------------------------------------------------------- hashing


def hash_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def hash_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks (constant memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def hash_path(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, or of a directory tree (a model folder): relative names and file hashes.

    Two folders hash equal exactly when they hold the same files with the same bytes.
    """
    p = Path(path)
    if p.is_file():
        return hash_file(p)
    if not p.is_dir():
        raise AuditError(f"{p}: cannot hash, no such file or directory")
    digest = hashlib.sha256()
    for f in sorted(x for x in p.rglob("*") if x.is_file()):
        digest.update(f.relative_to(p).as_posix().encode("utf-8") + b"\0")
        digest.update(hash_file(f).encode("ascii") + b"\n")
    return digest.hexdigest()


def _hash_input(value: Any) -> dict[str, Any]:
    """A description of one input that identifies it without revealing its content."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        return {"sha256": hash_bytes(data), "bytes": len(data)}
    if isinstance(value, (str, os.PathLike)):
        p = Path(value)
        if p.is_file():
            return {"sha256": hash_file(p), "bytes": p.stat().st_size}
        if p.is_dir():
            return {"sha256": hash_path(p), "kind": "directory"}
        raise AuditError(f"{p}: audit input is not a file or directory")
    text = getattr(value, "text", None)
    if isinstance(text, str):  # a parsed Vacancy or CandidateProfile: hash of its cleaned text
        data = text.encode("utf-8")
        return {"sha256": hash_bytes(data), "bytes": len(data), "kind": "parsed text"}
    if isinstance(value, Mapping) and "sha256" in value:
        return {str(k): _jsonable(v) for k, v in value.items()}
    raise AuditError(
        f"audit input of type {type(value).__name__} cannot be hashed: pass a path, bytes, "
        "a parsed record with .text, or a mapping with 'sha256'"
    )


# ----------------------------------------------------------------------------- masking

_MASK = "[redacted]"


def _mask_patterns(text: str) -> str:
    return mask_contacts(text, _MASK)


#: a quoted span in a reason or warning: the library quotes the CV that way ("holds 'MSc ...'")
_QUOTED = re.compile(
    r"(?<!\w)'[^'\n]{3,}?'(?!\w)|(?<!\w)\"[^\"\n]{3,}?\"(?!\w)|‘[^’\n]+’|“[^”\n]+”|«[^»\n]+»"
)
_QUOTE_MASK = "[CV quote]"


def _mask_quotes(text: str) -> str:
    """Quoted spans replaced: they are CV text (a degree line, a sentence), not the reason."""
    return _QUOTED.sub(_QUOTE_MASK, text)


class _Masker:
    """Masks known personal values (from parsed profiles) and e-mails/phones in strings: the one
    redactor of :mod:`matcher.features.pii`."""

    def __init__(self, profiles: Iterable[Any] | None = None) -> None:
        values: list[str] = []
        for profile in profiles or ():
            personal = getattr(profile, "personal", None)
            if personal is not None:
                values += personal_values(personal)
        self._mask = ValueMasker(values, _MASK)

    def __call__(self, text: str) -> str:
        return self._mask(text)


# ----------------------------------------------------------------------------- serialisation


def _jsonable(obj: Any) -> Any:
    """Plain JSON data from configs, numpy scalars, dates; non-finite floats as None."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        to_dict = getattr(obj, "to_dict", None)
        if callable(to_dict):
            return _jsonable(to_dict())
        return {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in obj]
        return sorted(items, key=repr) if isinstance(obj, (set, frozenset)) else items
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if hasattr(obj, "item") and callable(obj.item):  # numpy / pandas scalars
        try:
            return _jsonable(obj.item())
        except (TypeError, ValueError):
            pass
    if isinstance(obj, (os.PathLike,)):
        return os.fspath(obj)
    return str(obj)


def _canonical(record: Mapping[str, Any]) -> bytes:
    return json.dumps(
        record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _num(v: Any) -> float | int | None:
    """A number for the log, or None when missing."""
    if _is_missing(v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return v if (isinstance(v, int) or math.isfinite(v)) else None
    return None


def _evidence_ref(ev: Any) -> dict[str, Any]:
    """CV evidence without its text: offsets and the hash of the quoted span."""
    text = getattr(ev, "text", "") or ""
    return {
        "start": getattr(ev, "start", None),
        "end": getattr(ev, "end", None),
        "source": getattr(ev, "source", "") or "",
        "sha256": hash_bytes(text.encode("utf-8")),
    }


def _check_record(check: Any, mask: _Masker) -> dict[str, Any]:
    vac = getattr(check, "vacancy_evidence", None)
    return {
        "requirement": _mask_patterns(str(getattr(check, "requirement", ""))),
        "kind": str(getattr(check, "kind", "")),
        "status": str(getattr(check, "status", "")),
        "mandatory": bool(getattr(check, "mandatory", True)),
        "reason": _mask_quotes(mask(str(getattr(check, "reason", "")))),
        # vacancy text is public; the CV side is kept as references only
        "vacancy_evidence": None if vac is None else _mask_patterns(str(getattr(vac, "text", ""))),
        "cv_evidence": [_evidence_ref(e) for e in getattr(check, "cv_evidence", ()) or ()],
    }


def _part_record(part: Any) -> dict[str, Any]:
    return {
        "name": str(getattr(part, "name", "")),
        "weight": _num(getattr(part, "weight", None)),
        "value": _num(getattr(part, "value", None)),
        "contribution": _num(getattr(part, "contribution", None)),
    }


def _duty_record(match: Any, mask: _Masker) -> dict[str, Any]:
    sentence = str(getattr(match, "cv_sentence", "") or "")
    return {
        "duty": _mask_patterns(str(getattr(match, "duty", ""))),
        "similarity": _num(getattr(match, "similarity", None)),
        "discounted": bool(getattr(match, "discounted", False)),
        "cv_sentence_sha256": hash_bytes(sentence.encode("utf-8")),
    }


#: string fields of a row (a dict or a DataFrame record) that are safe to log as they are
_SAFE_STRING_KEYS = frozenset(
    {
        "candidate_id",
        "vacancy_id",
        "opening",
        "opening_id",
        "assignment",
        "assigned",
        "area",
        "eligibility",
        "status",
        "decision",
        "strategy",
        "choices",
    }
)
#: string fields that are kept after masking (reasons written by the library)
_MASKED_STRING_KEYS = frozenset(
    {"failed_checks", "unknown_checks", "checks_failed", "checks_unknown", "error", "reason"}
)


def _row_record(row: Any, mask: _Masker, default_rank: int | None) -> dict[str, Any]:
    """One candidate's outcome with no CV text: checks, parts, rank, allocation."""
    if hasattr(row, "candidate_id") and hasattr(row, "checks") and hasattr(row, "parts"):
        out: dict[str, Any] = {
            "candidate_id": str(row.candidate_id),
            "vacancy_id": str(getattr(row, "vacancy_id", "")),
            "eligibility": str(getattr(row, "eligibility", "")),
            "score": _num(getattr(row, "score", None)),
            "rank": default_rank,
            "checks": [_check_record(c, mask) for c in row.checks],
            "parts": [_part_record(p) for p in row.parts],
            "duty_matches": [_duty_record(d, mask) for d in getattr(row, "duty_matches", ())],
            "warnings": [_mask_quotes(mask(str(w))) for w in getattr(row, "warnings", ())],
        }
        return out
    if not isinstance(row, Mapping):
        raise AuditError(
            f"audit row of type {type(row).__name__}: expected a MatchResult or a mapping"
        )
    out = {}
    for key, value in row.items():
        k = str(key)
        if k == "checks" and isinstance(value, (list, tuple)):
            out[k] = [
                _check_record(c, mask)
                if not isinstance(c, Mapping)
                else _jsonable(
                    {
                        ck: (_mask_quotes(mask(cv)) if isinstance(cv, str) else cv)
                        for ck, cv in c.items()
                        if ck not in ("cv_evidence", "cv_text", "cv_sentence")
                    }
                )
                for c in value
            ]
        elif k == "parts" and isinstance(value, (list, tuple)):
            out[k] = [
                _part_record(p)
                if not isinstance(p, Mapping)
                else _jsonable({pk: pv for pk, pv in p.items() if pk != "detail"})
                for p in value
            ]
        elif k == "result" and hasattr(value, "checks"):
            nested = _row_record(value, mask, None)
            for nk, nv in nested.items():
                out.setdefault(nk, nv)
        elif isinstance(value, str):
            if k in _SAFE_STRING_KEYS:
                out[k] = value
            elif k in _MASKED_STRING_KEYS:
                out[k] = _mask_quotes(mask(value))
            # any other free text (top evidence, explanation, CV quotes) is left out on purpose
        elif isinstance(value, bool) or str(getattr(value, "dtype", "")) == "bool":
            out[k] = bool(value)
        elif _is_missing(value) or isinstance(value, (int, float)) or hasattr(value, "item"):
            out[k] = _num(value)
    if "candidate_id" not in out:
        raise AuditError("audit row without a candidate_id")
    out["candidate_id"] = str(out["candidate_id"])
    if out.get("rank") is None and default_rank is not None:
        out["rank"] = default_rank
    return out


def _rows_iter(rows: Any) -> Iterable[Any]:
    if rows is None:
        return ()
    to_dict = getattr(rows, "to_dict", None)
    if callable(to_dict) and hasattr(rows, "columns"):  # a pandas DataFrame
        frame = rows if "candidate_id" in rows.columns else rows.reset_index()
        return frame.to_dict("records")
    to_frame = getattr(rows, "to_frame", None)
    if callable(to_frame) and not isinstance(rows, Mapping):  # an Allocation
        return _rows_iter(to_frame())
    return rows


def _limits(value: Any) -> Any:
    """A balance limit; per-group limits only as their values (group names stay out)."""
    if isinstance(value, Mapping):
        return {"per_group": sorted(_jsonable(list(value.values())), key=repr)}
    return _jsonable(value)


_FINGERPRINTS: dict[str, str] = {}


def model_fingerprint(encoder: Any) -> str | None:
    """SHA-256 of the encoder's model files (cached per path), or None when they cannot be found.

    Looks for ``model_path`` (the packaged MiniLM when unset on the default encoder) and follows
    wrappers (``inner`` / ``encoder`` / ``base``) such as caches and quantised encoders.
    """
    seen = 0
    while encoder is not None and seen < 5:
        path = getattr(encoder, "model_path", None)
        if path is None and type(encoder).__name__ == "SentenceTransformerEncoder":
            try:
                from matcher.scoring.encoders import default_model_path

                path = default_model_path()
            except Exception:  # noqa: BLE001 - a missing model only means no hash
                path = None
        if path:
            key = os.fspath(path)
            if key not in _FINGERPRINTS:
                try:
                    _FINGERPRINTS[key] = hash_path(key)
                except (OSError, AuditError):
                    return None
            return _FINGERPRINTS[key]
        encoder = next(
            (getattr(encoder, a) for a in ("inner", "encoder", "base") if hasattr(encoder, a)),
            None,
        )
        seen += 1
    return None


def _source_or_text(record: Any) -> Any:
    """A parsed record's source file when it still exists, else the record (hashed by text)."""
    source = getattr(record, "source", "") or ""
    if isinstance(record, (str, os.PathLike, bytes)):
        return record
    if source and Path(source).is_file():
        return Path(source)
    return record


# ----------------------------------------------------------------------------- the log


#: the decisions a panel records, and the eligibility each one gives the candidate in a ranking
DECISIONS: Mapping[str, str] = {
    "shortlist": "eligible",
    "interview": "eligible",
    "eligible": "eligible",
    "reject": "ineligible",
    "ineligible": "ineligible",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Override:
    """A human decision about one candidate, with who took it and why; ``where`` names the file
    and line it was read from (for error messages)."""

    candidate_id: str
    decision: str
    reason: str
    actor: str | None = None
    run_id: str | None = None
    vacancy_id: str | None = None
    where: str = ""

    @property
    def eligibility(self) -> str:
        """The eligibility this decision gives the candidate in a ranking."""
        return DECISIONS[self.decision]


def _decision(decision: str, where: str) -> str:
    key = decision.strip().lower()
    if key not in DECISIONS:
        raise ConfigError(
            f"{where}decision {decision!r} is not allowed; write one of: {', '.join(DECISIONS)}"
        )
    return key


def _log_runs(path: Path) -> dict[str, dict[str, Any]]:
    """run id -> {"candidates": set of ids, "vacancies": set of ids, "order": n} of every run in
    a log (in log order)."""
    runs: dict[str, dict[str, Any]] = {}
    try:
        lines = path.read_bytes().splitlines()
    except OSError:
        return runs
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if not isinstance(rec, dict):
            continue
        kind = rec.get("type")
        if kind == "run":
            runs[str(rec.get("run_id"))] = {
                "candidates": set(), "vacancies": set(), "kind": rec.get("kind"),
            }  # fmt: skip
        elif kind == "row" and str(rec.get("run_id")) in runs:
            run = runs[str(rec.get("run_id"))]
            run["candidates"].add(str(rec.get("candidate_id")))
            if rec.get("vacancy_id"):
                run["vacancies"].add(str(rec.get("vacancy_id")))
    return runs


def read_overrides(
    path: str | os.PathLike[str], *, vacancy_id: str | None = None
) -> tuple[Override, ...]:
    """The human decisions in an audit log (``override`` records) or in a table (.csv, .xlsx:
    candidate_id, decision, reason, optional actor). With ``vacancy_id``, decisions recorded
    against a run of another vacancy are left out. A later decision about the same candidate
    replaces an earlier one. Every row is checked: a missing reason or an unknown decision is an
    error naming the file and the line.
    """
    p = Path(path)
    if not p.is_file():
        raise AuditError(f"{p}: no such overrides file or audit log")
    out: dict[str, Override] = {}
    if p.suffix.lower() in (".csv", ".xlsx"):
        rows = _override_rows(p)
    else:
        runs = _log_runs(p)
        rows = []
        for lineno, line in enumerate(p.read_bytes().splitlines(), 1):
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise AuditError(f"{p}: line {lineno}: not a JSON record; is this an audit log?"
                                 ) from exc  # fmt: skip
            if not isinstance(rec, dict) or rec.get("type") != "override":
                continue
            run = runs.get(str(rec.get("run_id")))
            vacancies = run["vacancies"] if run else set()
            vid = rec.get("vacancy_id") or (next(iter(vacancies)) if len(vacancies) == 1 else None)
            rows.append((lineno, {**rec, "vacancy_id": vid}))
    for lineno, row in rows:
        where = f"{p}: line {lineno}: "
        cid = str(row.get("candidate_id") or "").strip()
        reason = str(row.get("reason") or "").strip()
        if not cid:
            raise ConfigError(f"{where}candidate_id is empty")
        if not reason:
            raise ConfigError(f"{where}the decision about {cid!r} has no reason; write why")
        decision = _decision(str(row.get("decision") or ""), where)
        vid = row.get("vacancy_id") or None
        if vacancy_id is not None and vid is not None and str(vid) != str(vacancy_id):
            continue
        actor = row.get("actor")
        out[cid] = Override(
            cid, decision, reason, actor=str(actor) if actor else None,
            run_id=row.get("run_id") or None, vacancy_id=vid, where=f"{p.name}, line {lineno}",
        )  # fmt: skip
    return tuple(out.values())


def _override_rows(p: Path) -> list[tuple[int, dict[str, Any]]]:
    import pandas as pd

    try:
        if p.suffix.lower() == ".csv":
            table = pd.read_csv(p, dtype=str, keep_default_na=False)
        else:
            table = pd.read_excel(p, dtype=str).fillna("")
    except (ValueError, OSError, ImportError) as exc:
        raise AuditError(f"{p}: cannot read the overrides table ({exc})") from exc
    missing = [c for c in ("candidate_id", "decision", "reason") if c not in table.columns]
    if missing:
        raise AuditError(
            f"{p}: the overrides table needs the columns candidate_id, decision, reason "
            f"(optional: actor); missing: {', '.join(missing)}"
        )
    return [(i + 2, dict(row)) for i, row in enumerate(table.to_dict("records"))]


@dataclasses.dataclass(frozen=True, slots=True)
class AuditVerification:
    """The outcome of :func:`verify_audit_log`. ``ok`` is True only when ``problems`` is empty."""

    ok: bool
    n_records: int
    problems: tuple[str, ...] = ()
    last_hash: str = GENESIS
    runs: int = 0
    overrides: int = 0

    def __bool__(self) -> bool:
        return self.ok


def _head_path(path: Path) -> Path:
    return path.with_name(path.name + ".head")


class _Locked:
    """An exclusive advisory lock on the log while appending (POSIX; a no-op elsewhere)."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh

    def __enter__(self) -> _Locked:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(self.fh.fileno(), fcntl.LOCK_UN)


def _last_line(fh: Any) -> bytes:
    """The last complete line of an open binary file (without its newline), b"" when empty."""
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    if size == 0:
        return b""
    block = 4096
    pos = size
    buf = b""
    while pos > 0:
        step = min(block, pos)
        pos -= step
        fh.seek(pos)
        buf = fh.read(step) + buf
        body = buf[:-1] if buf.endswith(b"\n") else buf
        cut = body.rfind(b"\n")
        if cut >= 0:
            return body[cut + 1 :] if buf.endswith(b"\n") else b""
        block *= 2
    return buf[:-1] if buf.endswith(b"\n") else b""


def _chained(lines: list[bytes], start: int) -> bool:
    """Lines ``start:`` are complete records, each linked to the one before by ``prev``."""
    for i in range(start, len(lines)):
        try:
            rec = json.loads(lines[i])
        except ValueError:
            return False
        if not isinstance(rec, dict) or rec.get("seq") != i:
            return False
        if rec.get("prev") != (hash_bytes(lines[i - 1]) if i else GENESIS):
            return False
    return True


class AuditLog:
    """Append-only, hash-chained JSON Lines log of runs and human overrides.

    ``path`` is created when missing (with an ``open`` record). Appending to an existing log first
    checks that its last line matches the head file, and refuses (:class:`AuditError`) when it does
    not: a tampered log is never silently extended. ``profiles`` (parsed CVs) are optional; their
    personal values are masked in every string that reaches the log.
    """

    def __init__(self, path: str | os.PathLike[str], *, actor: str | None = None) -> None:
        self.path = Path(path)
        self.actor = actor
        if self.path.exists() and not self.path.is_file():
            raise AuditError(f"{self.path}: audit log path is not a file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # create (or check) under the lock: another process may be appending right now
        with open(self.path, "a+b") as fh, _Locked(fh):
            fh.seek(0, os.SEEK_END)
            if fh.tell() == 0:
                self._write_locked(
                    fh, [{"type": "open", "format": FORMAT_VERSION, **self._library()}]
                )
            elif self._tail_locked(fh)[2]:  # an earlier write was interrupted: note it
                self._write_locked(fh, [])

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r})"

    # -- public API ------------------------------------------------------------------------

    @property
    def head(self) -> tuple[int, str]:
        """(records, SHA-256 of the last line): keep a copy elsewhere to anchor the log."""
        n, h = self._read_head()
        return n, h

    def record_run(
        self,
        kind: RunKind,
        *,
        rows: Any = (),
        config: Any = None,
        model_id: str | None = None,
        model_hash: str | None = None,
        inputs: Mapping[str, Any] | None = None,
        profiles: Iterable[Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Log one run and return its id.

        ``rows``: MatchResults (ranked order), mappings (a ranking or allocation row with
        ``candidate_id``; free-text columns other than check reasons are dropped), a DataFrame,
        or an Allocation (anything with ``to_frame()``). ``inputs``: name -> path, bytes, or a
        parsed record; only hashes and sizes are stored. ``extra``: small JSON-able facts
        (strategy, k, engine).
        """
        if kind not in RUN_KINDS:
            raise ConfigError(f"unknown run kind {kind!r}; valid: {', '.join(RUN_KINDS)}")
        # each row is masked with its own candidate's values (and e-mail / phone patterns)
        own = {str(getattr(p, "id", "")): p for p in profiles or ()}
        generic = _Masker(None)
        run_id = uuid.uuid4().hex
        input_hashes = {str(k): _hash_input(v) for k, v in (inputs or {}).items()}
        row_records = []
        for i, row in enumerate(_rows_iter(rows), start=1):
            cid = row.get("candidate_id") if isinstance(row, Mapping) else None
            cid = str(getattr(row, "candidate_id", cid))
            mask = _Masker([own[cid]]) if cid in own else generic
            rec = _row_record(row, mask, i if kind != "allocate" else None)
            rec.update(type="row", run_id=run_id)
            row_records.append(rec)
        rows_digest = hashlib.sha256()
        for rec in row_records:
            rows_digest.update(_canonical(rec) + b"\n")
        header: dict[str, Any] = {
            "type": "run",
            "run_id": run_id,
            "kind": kind,
            **self._library(),
            "model_id": model_id,
            "model_hash": model_hash,
            "config": _jsonable(config),
            "inputs": input_hashes,
            "n_rows": len(row_records),
            "extra": _jsonable(dict(extra or {})),
        }
        end = {
            "type": "run_end",
            "run_id": run_id,
            "n_rows": len(row_records),
            "rows_sha256": rows_digest.hexdigest(),
        }
        self._append([header, *row_records, end])
        logger.info(
            "audit: %s run %s with %d rows -> %s", kind, run_id, len(row_records), self.path
        )
        return run_id

    def record_override(
        self,
        candidate_id: str,
        decision: str,
        reason: str,
        *,
        run_id: str | None = None,
        actor: str | None = None,
    ) -> None:
        """Log a human decision that departs from (or confirms) the tool's; ``reason`` is required.

        ``decision`` is one of :data:`DECISIONS`. The candidate must be in the run the decision
        departs from (``run_id``, else the log's last run), so a mistyped id is refused.

        E-mail addresses and phone numbers in the reason are masked; write reasons about the
        requirements, never about the person.
        """
        for name, value in (
            ("candidate_id", candidate_id),
            ("decision", decision),
            ("reason", reason),
        ):
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"record_override: {name} is required and must be non-empty text")
        decision = _decision(decision, "record_override: ")
        candidate_id = candidate_id.strip()
        runs = _log_runs(self.path)
        vacancy_id = None
        if run_id is not None and run_id not in runs:
            raise AuditError(f"{self.path}: no run {run_id!r} in this log")
        if runs:  # the decision departs from a run: the candidate must be in it
            run_id = run_id or list(runs)[-1]
            run = runs[run_id]
            if candidate_id not in run["candidates"]:
                known = sorted(run["candidates"])
                sample = ", ".join(known[:5]) + (" ..." if len(known) > 5 else "")
                raise AuditError(
                    f"{self.path}: candidate {candidate_id!r} is not in run {run_id} "
                    f"({len(known)} candidates: {sample}); check the id in the ranking"
                )
            if len(run["vacancies"]) == 1:
                vacancy_id = next(iter(run["vacancies"]))
        self._append(
            [
                {
                    "type": "override",
                    "candidate_id": candidate_id,
                    "decision": decision,
                    "reason": _mask_patterns(reason.strip()),
                    "run_id": run_id,
                    "vacancy_id": vacancy_id,
                    "actor": actor if actor is not None else self.actor,
                }
            ]
        )

    def record_matcher_run(
        self,
        kind: RunKind,
        *,
        matcher: Any,
        frame: Any,
        results: Iterable[Any] = (),
        vacancies: Iterable[Any] = (),
        profiles: Iterable[Any] = (),
        inputs: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Log a :meth:`Matcher.rank` / ``rank_pool`` run; the one call the scoring code makes.

        ``frame`` is the ranking DataFrame (its order and ``rank`` are logged); ``results`` the
        MatchResults behind it (their checks and score parts are logged; rows without one, such
        as unreadable CVs, are logged from the frame). ``vacancies`` and ``profiles`` give the
        input hashes (source file when it exists, else the parsed text) and the personal values
        to mask. The model is identified by the encoder's ``model_id`` and a hash of its files.
        """
        profiles = [p for p in profiles if hasattr(p, "text")]
        by_pair: dict[tuple[str, str], Any] = {}
        by_candidate: dict[str, Any] = {}
        for r in results:
            by_pair[(str(r.vacancy_id), str(r.candidate_id))] = r
            by_candidate[str(r.candidate_id)] = r
        rows: list[Any] = []
        for record in _rows_iter(frame):
            cid = str(record.get("candidate_id"))
            vid = record.get("vacancy_id")
            result = by_pair.get((str(vid), cid)) if vid is not None else by_candidate.get(cid)
            rows.append({**record, "result": result} if result is not None else record)
        hashed: dict[str, Any] = dict(inputs or {})
        vacancies = list(vacancies)
        reviews = {}
        for v in vacancies:
            review = getattr(getattr(v, "requirements", None), "review", None)
            if review is not None:  # requirements a person reviewed: who, which file, what changed
                reviews[str(getattr(v, "id", ""))] = {
                    "reviewed_by": review.reviewed_by,
                    "reviewed_on": review.reviewed_on,
                    "file_sha256": review.sha256,
                    "changes": list(review.changes),
                }
        if reviews:
            extra = {**dict(extra or {}), "requirements_review": reviews}
        for i, v in enumerate(vacancies):
            name = getattr(v, "id", "") or (
                Path(v).name if isinstance(v, (str, os.PathLike)) else str(i)
            )
            hashed[f"vacancy:{name}"] = _source_or_text(v)
        for p in profiles:
            hashed[f"cv:{p.id}"] = _source_or_text(p)
        encoder = getattr(matcher, "encoder", None)
        return self.record_run(
            kind,
            rows=rows,
            config=getattr(matcher, "config", None),
            model_id=getattr(encoder, "model_id", None),
            model_hash=model_fingerprint(encoder),
            inputs=hashed,
            profiles=profiles,
            extra=extra,
        )

    def record_allocation(
        self,
        allocation: Any,
        *,
        preferences: Any = None,
        fit: Any = None,
        strategy: str | None = None,
        capacities: Mapping[str, int] | None = None,
        balance: Any = None,
        welfare_points: Any = None,
        config: Mapping[str, Any] | None = None,
    ) -> str:
        """Log an :func:`allocate` / ``select_and_allocate`` run: every placement, its choice
        rank and fit, the profile and total fit.

        ``preferences`` and ``fit`` (a fit table or a ranking) are hashed, never stored. Balance
        constraints are logged by their limits only: their group of each candidate (often a
        nationality) is personal data and stays out of the log.
        """
        inputs: dict[str, Any] = {}
        if preferences is not None:
            prefs = preferences.to_dict() if hasattr(preferences, "to_dict") else preferences
            inputs["preferences"] = _canonical(_jsonable(prefs))
        if fit is not None:
            inputs["fit"] = (
                fit.to_csv().encode("utf-8")
                if hasattr(fit, "to_csv")
                else _canonical(_jsonable(fit))
            )
        balances = []
        if balance is not None:
            for b in balance if isinstance(balance, (list, tuple)) else [balance]:
                groups = getattr(b, "groups", None) or {}
                balances.append(
                    {
                        "max_per_group": _limits(getattr(b, "max_per_group", None)),
                        "within": _jsonable(getattr(b, "within", None)),
                        "n_groups": len(set(map(str, groups.values()))),
                    }
                )
        options = {
            "strategy": strategy,
            "capacities": _jsonable(capacities),
            "welfare_points": _jsonable(welfare_points),
            "balance": balances,
            **dict(config or {}),
        }
        extra = {
            "profile": _jsonable(getattr(allocation, "profile", None)),
            "total_fit": _num(getattr(allocation, "total_fit", None)),
        }
        return self.record_run(
            "allocate", rows=allocation, config=options, inputs=inputs, extra=extra
        )

    def verify(self) -> AuditVerification:
        """:func:`verify_audit_log` on this log."""
        return verify_audit_log(self.path)

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _library() -> dict[str, Any]:
        from matcher import __version__

        return {"library": "matcher", "version": __version__, "python": sys.version.split()[0]}

    def _read_head(self) -> tuple[int, str]:
        head = _head_path(self.path)
        try:
            data = json.loads(head.read_text(encoding="utf-8"))
            return int(data["n_records"]), str(data["last_hash"])
        except FileNotFoundError:
            return 0, GENESIS
        except (ValueError, KeyError, TypeError) as exc:
            raise AuditError(f"{head}: head file is unreadable") from exc

    def _write_head(self, n: int, last: str) -> None:
        head = _head_path(self.path)
        tmp = head.with_name(head.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"n_records": n, "last_hash": last}) + "\n", encoding="utf-8")
        os.replace(tmp, head)

    def _tail_locked(self, fh: Any) -> tuple[int, str, int]:
        """(records, hash of the last line, records recovered) of a non-empty log.

        Refuses (AuditError) a log that ends mid-record, has lost its head file, or whose end is
        not the one the head file names, with one exception: complete records that continue the
        chain after the head's last record are an append whose head update was interrupted (a
        crash between the two writes); they are kept and the next append says so in a
        ``recovered`` record. Anything else means the log was altered: it is never extended.
        """
        last = _last_line(fh)
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) != b"\n":
            raise AuditError(
                f"{self.path}: audit log ends with a partial record; refusing to append"
            )
        n, head_hash = self._read_head()
        if n == 0:
            raise AuditError(
                f"{self.path}: head file missing; verify the log with `matcher audit verify "
                "--expected-head` and start a new one"
            )
        if hash_bytes(last) == head_hash:
            return n, head_hash, 0
        fh.seek(0)
        lines = fh.read().split(b"\n")[:-1]
        # the whole chain is checked here: recovery must never paper over an edit
        if len(lines) > n and hash_bytes(lines[n - 1]) == head_hash and _chained(lines, 0):
            logger.warning("audit: %s: %d record(s) after an interrupted write kept", self.path,
                           len(lines) - n)  # fmt: skip
            return len(lines), hash_bytes(lines[-1]), len(lines) - n
        raise AuditError(
            f"{self.path}: last record does not match the head file; the log was altered "
            "(run `matcher audit verify`)"
        )

    def _append(self, records: list[dict[str, Any]]) -> None:
        with open(self.path, "a+b") as fh, _Locked(fh):
            self._write_locked(fh, records)

    def _write_locked(self, fh: Any, records: list[dict[str, Any]]) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        fh.seek(0, os.SEEK_END)
        n, prev, recovered = (0, GENESIS, 0) if fh.tell() == 0 else self._tail_locked(fh)
        if recovered:
            note = "the head file was not updated after these records (interrupted write)"
            records = [{"type": "recovered", "records": recovered, "note": note}, *records]
        lines = []
        for rec in records:
            body = {"seq": n, "time": now, "prev": prev, **rec}
            try:
                line = _canonical(body)
            except ValueError as exc:  # NaN that slipped through
                raise AuditError(f"audit record not serialisable: {exc}") from exc
            lines.append(line)
            prev = hash_bytes(line)
            n += 1
        fh.seek(0, os.SEEK_END)
        fh.write(b"".join(line + b"\n" for line in lines))
        fh.flush()
        os.fsync(fh.fileno())
        self._write_head(n, prev)


# ----------------------------------------------------------------------------- verification


def verify_audit_log(
    path: str | os.PathLike[str], *, expected_head: str | None = None
) -> AuditVerification:
    """Check that a log is complete and unaltered.

    Detects any changed byte, deleted, inserted or reordered record (hash chain and ``seq``), a
    truncated end (head file, or ``expected_head``: the last-line hash you kept elsewhere), runs
    whose rows are missing, and overrides without a reason. Never raises for a bad log: the
    problems are listed in the result.
    """
    p = Path(path)
    problems: list[str] = []
    try:
        data = p.read_bytes()
    except OSError as exc:
        return AuditVerification(False, 0, (f"{p}: cannot read audit log ({exc.strerror})",))
    if not data:
        return AuditVerification(False, 0, (f"{p}: audit log is empty",))
    complete = data.endswith(b"\n")
    lines = data.split(b"\n")
    if complete:
        lines = lines[:-1]
    else:
        problems.append(f"line {len(lines)}: partial record at the end (log truncated mid-write)")
    prev = GENESIS
    runs: dict[str, dict[str, Any]] = {}
    n_runs = n_overrides = 0
    for i, line in enumerate(lines):
        lineno = i + 1
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise ValueError("not an object")
        except ValueError:
            problems.append(f"line {lineno}: not a JSON record")
            prev = hash_bytes(line)
            continue
        if rec.get("prev") != prev:
            problems.append(
                f"line {lineno}: chain broken (prev hash does not match line {lineno - 1}); "
                "a record before it was edited, deleted, inserted or moved"
            )
        if rec.get("seq") != i:
            problems.append(f"line {lineno}: seq {rec.get('seq')!r} where {i} was expected")
        if _canonical(rec) != line:
            problems.append(f"line {lineno}: not in canonical form (edited by hand?)")
        kind = rec.get("type")
        if kind not in RECORD_TYPES:
            problems.append(f"line {lineno}: unknown record type {kind!r}")
        elif kind == "open" and i != 0:
            problems.append(f"line {lineno}: 'open' record not at the start")
        elif kind == "run":
            n_runs += 1
            runs[str(rec.get("run_id"))] = {
                "line": lineno,
                "n_rows": rec.get("n_rows"),
                "rows": 0,
                "digest": hashlib.sha256(),
                "ended": False,
            }
        elif kind in ("row", "run_end"):
            run = runs.get(str(rec.get("run_id")))
            if run is None:
                problems.append(f"line {lineno}: {kind} of unknown run {rec.get('run_id')!r}")
            elif run["ended"]:
                problems.append(f"line {lineno}: {kind} after the end of its run")
            elif kind == "row":
                run["rows"] += 1
                body = {k: v for k, v in rec.items() if k not in ("seq", "time", "prev")}
                run["digest"].update(_canonical(body) + b"\n")
            else:
                run["ended"] = True
                if run["rows"] != rec.get("n_rows") or run["rows"] != run["n_rows"]:
                    problems.append(
                        f"line {lineno}: run {rec.get('run_id')} has {run['rows']} rows, "
                        f"{run['n_rows']} announced"
                    )
                elif run["digest"].hexdigest() != rec.get("rows_sha256"):
                    problems.append(f"line {lineno}: rows of run {rec.get('run_id')} do not match")
        elif kind == "override":
            n_overrides += 1
            if not str(rec.get("reason") or "").strip():
                problems.append(f"line {lineno}: override without a reason")
        prev = hash_bytes(line)
    if lines:
        try:
            if json.loads(lines[0]).get("type") != "open":
                problems.append("line 1: log does not start with an 'open' record (head cut off?)")
        except (ValueError, AttributeError):
            pass
    for run_id, run in runs.items():
        if not run["ended"]:
            problems.append(f"line {run['line']}: run {run_id} has no end record (log truncated?)")
    head = _head_path(p)
    try:
        head_data = json.loads(head.read_text(encoding="utf-8"))
        if int(head_data["n_records"]) != len(lines) or head_data["last_hash"] != prev:
            problems.append(
                f"{head.name}: head says {head_data['n_records']} records ending in "
                f"{str(head_data['last_hash'])[:12]}..., the log has {len(lines)} ending in "
                f"{prev[:12]}... (records removed or added at the end)"
            )
    except FileNotFoundError:
        if expected_head is None:
            problems.append(
                f"{head.name}: head file missing; truncation at the end cannot be ruled out"
            )
    except (ValueError, KeyError, TypeError):
        problems.append(f"{head.name}: head file unreadable")
    if expected_head is not None and expected_head != prev:
        problems.append(f"last record hash {prev[:12]}... differs from the expected head")
    return AuditVerification(
        ok=not problems,
        n_records=len(lines),
        problems=tuple(problems),
        last_hash=prev,
        runs=n_runs,
        overrides=n_overrides,
    )

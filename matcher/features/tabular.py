"""CVs from a spreadsheet export: one row per candidate, an id and either the CV text or a path.

Applicant-tracking systems export pools as CSV or Excel. :func:`load_cv_table` reads one: the id
column, and a text column (the CV itself) or a path column (a CV file, relative to the table's
folder). Columns are found by their names when not given; a row that cannot be read is a failure
naming the table and its line, never dropped.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher.errors import EmptyInputError, InputError, MatcherError, MissingDependencyError
from matcher.features.cv import CVFailure, LoadedCVs, parse_cv
from matcher.features.dates import ExperiencePolicy

if TYPE_CHECKING:  # pragma: no cover
    from matcher.features.store import ProfileStore

__all__ = ["TABLE_SUFFIXES", "load_cv_table"]

#: CV exports read as one candidate per row
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")

#: column names (lower case, letters and digits only) tried in this order
ID_NAMES: tuple[str, ...] = ("candidateid", "id", "applicantid", "cvid", "resumeid", "name")
TEXT_NAMES: tuple[str, ...] = (
    "text", "cvtext", "resumetext", "resumestr", "cv", "resume", "content", "body",
)  # fmt: skip
PATH_NAMES: tuple[str, ...] = ("path", "file", "cvpath", "filepath", "cvfile", "resumefile")


def _key(name: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def _pick(columns: list[str], wanted: str | None, names: tuple[str, ...], what: str,
          path: Path) -> str | None:  # fmt: skip
    if wanted is not None:
        if wanted not in columns:
            raise InputError(
                f"no column {wanted!r} for the {what}; the columns are: {', '.join(columns)}",
                path=path,
            )
        return wanted
    keyed = {_key(c): c for c in columns}
    for name in names:
        if name in keyed:
            return keyed[name]
    return None


def _read(path: Path) -> Any:
    import pandas as pd

    try:
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        return pd.read_excel(path, dtype=str).fillna("")
    except ImportError as exc:
        raise MissingDependencyError("openpyxl", "io") from exc
    except pd.errors.EmptyDataError as exc:
        raise EmptyInputError("the table is empty (no header row)", path=path) from exc
    except pd.errors.ParserError as exc:
        raise InputError(f"not a readable CSV table ({str(exc).strip()})", path=path) from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the table ({exc})", path=path) from exc


def load_cv_table(
    path: str | os.PathLike[str],
    *,
    id_column: str | None = None,
    text_column: str | None = None,
    path_column: str | None = None,
    reference_date: date | None = None,
    policy: ExperiencePolicy | None = None,
    store: ProfileStore | None = None,
) -> LoadedCVs:
    """Every candidate of a CSV/XLSX export, parsed; rows that fail are failures naming the line.

    ``id_column`` (default: a column named candidate_id, id, ...), and ``text_column`` (the CV
    text: text, resume_str, cv ...) or ``path_column`` (a CV file: path, file ...; relative paths
    start at the table's folder). ``store`` keeps parsed rows for the next run.
    """
    table_path = Path(path)
    if table_path.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(
            f"not a CV table ({table_path.suffix or 'no suffix'}); use .csv or .xlsx",
            path=table_path,
        )
    table = _read(table_path)
    columns = [str(c) for c in table.columns]
    if table.empty:
        raise EmptyInputError("the table has a header but no candidate rows", path=table_path)
    id_col = _pick(columns, id_column, ID_NAMES, "candidate id", table_path)
    text_col = _pick(columns, text_column, TEXT_NAMES, "CV text", table_path)
    path_col = _pick(columns, path_column, PATH_NAMES, "CV file", table_path)
    if text_column is None and path_column is not None:
        text_col = None
    if id_col is None or (text_col is None and path_col is None):
        missing = "an id column (candidate_id or id)" if id_col is None else (
            "a text column (text, resume_str, cv ...) or a path column (path, file ...)"
        )
        raise InputError(
            f"cannot tell which column holds {missing}; the columns are: {', '.join(columns)}. "
            "Name it with --id-column / --text-column / --path-column (Python: id_column=, "
            "text_column=, path_column=)",
            path=table_path,
        )
    ref = reference_date or date.today()
    profiles = []
    failures: list[CVFailure] = []
    first_line: dict[str, int] = {}
    for i, row in enumerate(table.to_dict("records")):
        line = i + 2  # the header is line 1
        cid = str(row.get(id_col, "")).strip()
        where = f"{table_path}, line {line}"
        if not cid:
            failures.append(CVFailure(where, "InputError", f"{where}: the {id_col} is empty"))
            continue
        if cid in first_line:
            failures.append(CVFailure(
                where, "InputError",
                f"{where}: candidate id {cid!r} already used on line {first_line[cid]}",
            ))  # fmt: skip
            continue
        first_line[cid] = line
        try:
            profile = _row_profile(row, cid, text_col, path_col, table_path, where, ref, policy,
                                   store)  # fmt: skip
        except MatcherError as exc:
            failures.append(CVFailure(where, type(exc).__name__, f"{where} ({cid}): {exc}"))
            continue
        profiles.append(profile)
    return LoadedCVs(tuple(profiles), tuple(failures))


def _row_profile(row: dict[str, Any], cid: str, text_col: str | None, path_col: str | None,
                 table_path: Path, where: str, ref: date, policy: ExperiencePolicy | None,
                 store: ProfileStore | None) -> Any:  # fmt: skip
    text = str(row.get(text_col, "") or "") if text_col else ""
    if text.strip():
        data = text.encode("utf-8")
        key = None
        if store is not None:
            key = store.key_for(data, f"{table_path}#{cid}", reference_date=ref, policy=policy)
            hit = store.get(key)
            if hit is not None:
                return hit
        profile = parse_cv(data, candidate_id=cid, reference_date=ref, policy=policy)
        profile = replace(profile, source=where)
        if store is not None and key is not None:
            store.put(key, profile)
        return profile
    file = str(row.get(path_col, "") or "").strip() if path_col else ""
    if not file:
        raise EmptyInputError("no CV: the text and the file columns are empty")
    cv_path = Path(file)
    if not cv_path.is_absolute():
        cv_path = table_path.parent / cv_path
    if not cv_path.is_file():
        raise InputError("no such CV file", path=cv_path)
    profile = parse_cv(cv_path, candidate_id=cid, reference_date=ref, policy=policy, store=store)
    return replace(profile, source=str(cv_path))

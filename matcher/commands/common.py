"""Small helpers shared by the CLI commands."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any


def to_jsonable(obj: Any) -> Any:
    """Frozen records (and what they hold) as JSON-ready data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict) or hasattr(obj, "items"):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    return obj


def dump_json(obj: Any) -> str:
    return json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2)


OUT_FORMATS: tuple[str, ...] = (".csv", ".xlsx", ".parquet", ".json")
#: decimals of the scores in CSV and Excel files
DECIMALS = 4


def check_out(out: str | Path, formats: tuple[str, ...] = OUT_FORMATS) -> Path:
    """``out`` as a file that can be written in one of ``formats`` (any suffix when empty),
    checked before any work: the CLI calls it before a command runs, so a bad ``--out`` costs
    nothing."""
    from matcher.errors import InputError, UnsupportedFormatError

    path = Path(out)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise InputError("is a folder; give a file name (e.g. ranking.csv)", path=path)
    if formats and suffix not in formats:
        raise UnsupportedFormatError(
            f"unsupported output format {suffix or '(none)'}; use {', '.join(formats)}", path=path
        )
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"cannot write under {parent}: it is a file", path=path)
            break
    return path
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: Any) -> Any:
    """A copy whose text cells cannot run as spreadsheet formulas (CSV/formula injection).

    CV text, file names and group labels are hostile input: a cell starting with ``= + - @`` gets a
    leading apostrophe, as OWASP recommends; numbers are left alone.
    """
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for col in out.columns:
        if is_object_dtype(out[col]) or is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return out


def write_frame(frame: Any, out: str | Path) -> Path:
    """Write a DataFrame by the suffix of ``out`` (.csv .xlsx .parquet .json); every CLI uses it."""
    from matcher.errors import MissingDependencyError

    path = check_out(out)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".csv", ".xlsx"):
        frame = neutralise_formulas(frame)
        floats = frame.select_dtypes("float").columns
        if len(floats):  # scores to read, not float noise (0.8108591999999999)
            frame[floats] = frame[floats].round(DECIMALS)
    try:
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        elif suffix == ".xlsx":
            frame.to_excel(path, index=False)
        elif suffix == ".parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_json(path, orient="records", indent=2, force_ascii=False)
    except ImportError as exc:
        raise MissingDependencyError("openpyxl" if suffix == ".xlsx" else "pyarrow", "io") from exc
    return path


class ProgressEncoder:
    """An encoder that encodes in blocks and shows a tqdm bar on a terminal (quiet otherwise);
    everything else comes from the wrapped encoder, so vectors are the same."""

    block = 256

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder

    def __getattr__(self, name: str) -> Any:
        if name == "encoder":
            raise AttributeError(name)
        return getattr(self.encoder, name)

    def encode(self, texts: Any, **kwargs: Any) -> Any:
        import sys

        import numpy as np

        texts = list(texts)
        if len(texts) <= self.block:
            return self.encoder.encode(texts, **kwargs)
        bar = None
        if sys.stderr.isatty():  # the blocks are the same either way: same vectors
            from tqdm.auto import tqdm

            bar = tqdm(total=len(set(texts)), desc="encoding", unit="text", leave=False,
                       file=sys.stderr)  # fmt: skip
        # the encoder's own order (length, then text) cut into blocks: the same batches as one call
        distinct = sorted(set(texts), key=lambda t: (len(t), t))
        out = []
        try:
            for start in range(0, len(distinct), self.block):
                part = distinct[start : start + self.block]
                out.append(np.asarray(self.encoder.encode(part, **kwargs), dtype=np.float32))
                if bar is not None:
                    bar.update(len(part))
        finally:
            if bar is not None:
                bar.close()
        vectors = np.concatenate(out)
        index = {t: i for i, t in enumerate(distinct)}
        return vectors[[index[t] for t in texts]]

    def __repr__(self) -> str:
        return repr(self.encoder)

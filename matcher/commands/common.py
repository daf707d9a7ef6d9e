"""Small helpers shared by the CLI commands."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


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


def _init_worker() -> None:
    """The encoding worker's progress bars take a thread lock, not tqdm's default process lock:
    the worker is stopped by a kill, and a process lock it made would be reported as leaked
    when this process exits."""
    import threading

    from tqdm import tqdm

    tqdm.set_lock(threading.RLock())


def _load_task(encoder: Any) -> None:
    """Load the model of an encoder that loads it lazily (its ``load()``, else its ``model``)."""
    load = getattr(encoder, "load", None)
    if callable(load):
        load()
    else:
        getattr(encoder, "model", None)


#: a call with fewer texts than this runs torch on one thread (see :func:`_encode_task`)
FEW_TEXTS = 256


def _encode_task(encoder: Any, texts: list[str]) -> Any:
    """What the encoding worker runs: the wrapped encoder on ``texts`` (the model loads on the
    first call and stays loaded in the worker).

    A few texts (a notice's, the CVs' new ones) are encoded on one torch thread: on a few short
    texts each operation is too small to share, and waiting for a second thread costs more than
    it saves (far more on a busy machine, where that thread waits for a core). The vectors are
    the same bytes on one thread as on torch's default (``tests/test_worker_encoder.py``).
    """
    import sys

    import numpy as np

    _load_task(encoder)
    torch = sys.modules.get("torch")  # imported by the model's load
    if torch is None or len(texts) >= FEW_TEXTS:
        return np.ascontiguousarray(encoder.encode(texts), dtype=np.float32)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return np.ascontiguousarray(encoder.encode(texts), dtype=np.float32)
    finally:
        torch.set_num_threads(threads)


def _dim_task(encoder: Any) -> int:
    return int(encoder.dim)


class WorkerEncoder:
    """An encoder that runs in one worker process (a loky process pool of one), so that the
    model loads and a notice's texts are encoded while this process reads the CVs.

    :meth:`prefetch` sends texts to the worker without waiting; :meth:`encode` returns what the
    wrapped encoder returns (the same code on the same texts in the other process: the same
    float32 bytes, each text's vector depending on that text alone), taking the prefetched
    vectors and sending only the other texts. This process never imports the model's libraries.
    If the worker process dies, the texts are encoded here instead. :meth:`close` stops the
    worker.
    """

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        self._pool: Any = None
        self._pending: list[tuple[list[str], Any]] = []
        self._ready: dict[str, Any] = {}
        self._dim: int | None = getattr(encoder, "_dim", None)
        self._broken = False

    def __getattr__(self, name: str) -> Any:
        if name in ("encoder", "_pool", "_pending", "_ready", "_dim", "_broken"):
            raise AttributeError(name)
        return getattr(self.encoder, name)

    def __repr__(self) -> str:
        return repr(self.encoder)

    def _submit(self, fn: Any, *args: Any) -> Any:
        """A future of ``fn(*args)`` in the worker (started on first use), None once the worker
        has died: everything then runs here."""
        from joblib.externals.loky import BrokenProcessPool, ProcessPoolExecutor

        if self._broken:
            return None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, initializer=_init_worker)
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool as exc:
            self._stopped(exc)
            return None

    def _stopped(self, exc: BaseException) -> None:
        log.warning("the encoding worker stopped (%s); encoding in this process", exc)
        self._broken = True
        self.close()

    def _call(self, fn: Any, *args: Any) -> Any:
        """``fn(*args)`` in the worker, or here when the worker cannot run."""
        from joblib.externals.loky import BrokenProcessPool

        future = self._submit(fn, *args)
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool as exc:
                self._stopped(exc)
        return fn(*args)

    def start(self) -> None:
        """Start the worker and load the model there now, while this process works (stop it
        with :meth:`close` when nothing turns out to need encoding)."""
        self._submit(_load_task, self.encoder)

    def prefetch(self, texts: Any) -> None:
        """Start encoding ``texts`` in the worker; :meth:`encode` collects the vectors."""
        texts = [t for t in dict.fromkeys(texts) if t not in self._ready]
        future = self._submit(_encode_task, self.encoder, texts) if texts else None
        if future is not None:
            self._pending.append((texts, future))

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._call(_dim_task, self.encoder))
        return self._dim

    def encode(self, texts: Any, **kwargs: Any) -> Any:
        import numpy as np
        from joblib.externals.loky import BrokenProcessPool

        texts = list(texts)
        pending, self._pending = self._pending, []
        for block, future in pending:
            try:
                vectors = future.result()
            except BrokenProcessPool as exc:
                self._stopped(exc)
                continue  # encoded below with the rest
            self._ready.update(zip(block, vectors, strict=True))
        rest = [t for t in dict.fromkeys(texts) if t not in self._ready]
        if rest:
            self._ready.update(zip(rest, self._call(_encode_task, self.encoder, rest), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._ready[t] for t in texts]).astype(np.float32, copy=False)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            # waiting lets the pool's manager unlink its locks before this process exits, so
            # the resource tracker does not report them as leaked
            pool.shutdown(wait=True, kill_workers=True)

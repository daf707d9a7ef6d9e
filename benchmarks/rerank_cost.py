"""What the re-ranker costs: sentences per second of both models, and a cold pool run with it.

1. The same CV sentences (from the first livecareer resumes) encoded by MiniLM (the default) and
   by all-mpnet-base-v2 (``ScoringConfig.rerank_model="mpnet"``), no cache: sentences per wall
   second and per CPU second.
2. ``rank_pool`` of the first CVs of the pool against one category query, no cache, with the
   re-ranker on: the seconds of each phase; ``rerank`` is the re-ranker's own cost (encoding its
   texts with the stronger model and re-scoring the top k), on top of the default's cold cost.

    python benchmarks/rerank_cost.py            # 512 sentences, 60 CVs
    python benchmarks/rerank_cost.py --smoke    # toy encoders, seconds

Results: ``benchmarks/results/rerank_cost.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
RESULTS = ROOT / "benchmarks" / "results"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _timed(encoder: Any, texts: list[str]) -> dict[str, float]:
    encoder.encode(texts[:8])  # load the model outside the measurement
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), 64):
        encoder.encode(texts[i : i + 64])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "sentences": len(texts),
        "seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "sentences_per_second": round(len(texts) / wall, 1),
        "sentences_per_cpu_second": round(len(texts) / cpu, 1),
    }


def main(argv: list[str] | None = None) -> int:
    import ranking_quality as rq

    from matcher.batch import rank_pool
    from matcher.features.cv import parse_cv
    from matcher.scoring.config import ScoringConfig
    from matcher.scoring.encoders import SentenceTransformerEncoder
    from matcher.scoring.fit import prepare_candidate
    from matcher.scoring.matcher import Matcher
    from matcher.scoring.rerank import rerank_encoder

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--sentences", type=int, default=512)
    parser.add_argument("--cvs", type=int, default=60)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    n_sent, n_cvs = (32, 6) if args.smoke else (args.sentences, args.cvs)
    ids, _, texts = rq.load_resumes()
    first = zip(ids[:n_cvs], texts[:n_cvs], strict=True)
    profiles = [parse_cv(t, candidate_id=i) for i, t in first]
    sentences: list[str] = []
    for p in profiles:
        sentences.extend(s for s in prepare_candidate(p).sentences if s not in sentences)
    sentences = sentences[:n_sent]
    if args.smoke:
        default, stronger = rq.ToyEncoder(), rq.ToyEncoder()
    else:
        default, stronger = SentenceTransformerEncoder(), rerank_encoder("mpnet")
    out: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "load_start": round(os.getloadavg()[0], 2),
        "smoke": args.smoke,
        "speed": {f"default: {default.model_id}": _timed(default, sentences)},
    }
    out["speed"][f"re-ranker: {stronger.model_id}"] = _timed(stronger, sentences)
    title, duties = rq.CATEGORY_QUERIES["ACCOUNTANT"]
    config = replace(ScoringConfig(), rerank_model="mpnet")
    fresh = rq.ToyEncoder() if args.smoke else SentenceTransformerEncoder(batch_size=64)
    # without a smoke, the re-ranker is built from the option, as a user gets it (the models are
    # loaded already: the pool's seconds are encoding and scoring)
    m = Matcher(fresh, config, rerank_encoder=rq.ToyEncoder() if args.smoke else None)
    frame = rank_pool(m, [rq.toy_vacancy("ACCOUNTANT", title, duties)], profiles, progress=False)
    seconds = frame.attrs["pool"]["seconds"]
    out["pool"] = {
        "cvs": len(profiles),
        "rerank_k": config.rerank_k,
        "distinct_texts": frame.attrs["pool"]["distinct_texts"],
        "seconds": seconds,
        "default_cold_seconds": round(sum(v for k, v in seconds.items() if k != "rerank"), 1),
        "rerank_seconds": seconds.get("rerank", 0.0),
    }
    out["load_end"] = round(os.getloadavg()[0], 2)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "rerank_cost.json").write_text(json.dumps(out, indent=2) + "\n")
    lines = [
        "# Re-ranker cost (all-mpnet-base-v2 over MiniLM)",
        "",
        f"Run {out['date']} on {out['machine']}, load average {out['load_start']:g} at the "
        f"start, {out['load_end']:g} at the end (a shared machine). Produced by "
        "`benchmarks/rerank_cost.py`.",
        "",
        "| model | sentences | wall s | sentences/s | CPU s | sentences per CPU-second |",
        "|---|---|---|---|---|---|",
    ]
    for model, v in out["speed"].items():
        lines.append(
            f"| {model} | {v['sentences']} | {v['seconds']} | {v['sentences_per_second']} | "
            f"{v['cpu_seconds']} | {v['sentences_per_cpu_second']} |"
        )
    pool = out["pool"]
    lines += [
        "",
        f"Cold `rank_pool` of {pool['cvs']} livecareer CVs against one query (no embedding "
        f"cache), re-ranker on with k = {pool['rerank_k']}: the default's phases took "
        f"{pool['default_cold_seconds']} s in all, the re-ranker {pool['rerank_seconds']} s "
        f"on top. Per phase: "
        + ", ".join(f"{k} {v} s" for k, v in pool["seconds"].items()),
        "",
    ]
    (args.out / "rerank_cost.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Allocation time and peak memory per strategy, from the 23 JPO openings to 10,000 x 1,000.

    python benchmarks/allocation.py                 # -> benchmarks/results/allocation.{json,md}
    python benchmarks/allocation.py --sizes 200x40  # a quick run, printed only

Sizes: ``23x23`` is the shipped JPO sample (``data/jpo``: fit from matcher's ranking of 23
synthetic CVs); the others are synthetic and seeded: ``n`` candidates, ``m`` openings of capacity 1
(``NxMcK``: capacity K, so ``1000x200c5`` has a seat for everyone, the JPO situation) in areas of
five, each candidate listing three choices (70% an opening, 30% an area, popularity
skewed so that some openings are wanted by many), 90% of pairs eligible, and
``fit = 0.5 * quality + 0.5 * uniform`` per pair.

Each (size, strategy) runs in a fresh subprocess: first timed (wall clock, ``time.perf_counter``,
median of repeats for fast cases, after a warm-up that pays the imports) without tracing, then
again under ``tracemalloc`` for the peak of memory allocated by the call
(numpy buffers included; the data handed in is not counted). Every result is checked with
``check_validity()`` and, for ``stable``, ``blocking_pairs()``; the rank-maximal and welfare
results also carry the solver's dual certificate (a failed certificate raises).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
JPO = ROOT / "data" / "jpo"
SIZES = ("23x23", "1000x200", "1000x200c5", "10000x1000")
STRATEGIES = ("rank-maximal", "welfare", "stable")

sys.path.insert(0, str(ROOT))


def problem(size: str, seed: int = 0):
    """(preferences, fit, eligible, areas) for one size; 23x23 is the shipped JPO sample."""
    import numpy as np
    import pandas as pd

    if size == "23x23":
        prefs = pd.read_csv(JPO / "preferences.csv", dtype=str)
        fit = pd.read_csv(JPO / "fit.csv", dtype={"candidate_id": str}).set_index("candidate_id")
        areas = dict(pd.read_csv(JPO / "areas.csv", dtype=str).iloc[:, :2].values)
        return prefs, fit, None, areas, None
    shape, _, cap = size.lower().partition("c")
    n, m = (int(x) for x in shape.split("x"))
    rng = np.random.default_rng(seed)
    cands = [f"C{i:06d}" for i in range(n)]
    opens = [f"JPO-{j:05d}" for j in range(m)]
    areas = {o: f"AREA-{j // 5:04d}" for j, o in enumerate(opens)}
    quality = rng.random(n)
    fit = 0.5 * quality[:, None] + 0.5 * rng.random((n, m))
    popularity = 1.0 / np.arange(1, m + 1) ** 0.8
    popularity /= popularity.sum()
    prefs = {}
    for c in cands:
        picks = rng.choice(m, size=min(3, m), replace=False, p=popularity)
        listed: list[str] = []
        for j in picks:
            x = areas[opens[j]] if rng.random() < 0.3 else opens[j]
            if x not in listed and areas.get(x) not in listed:
                listed.append(x)
        prefs[c] = listed
    eligible = rng.random((n, m)) < 0.9
    capacities = {o: int(cap) for o in opens} if cap else None
    return prefs, pd.DataFrame(fit, index=cands, columns=opens), eligible, areas, capacities


def measure(size: str, strategy: str) -> dict:
    """Time and traced peak memory of one allocate() call, with its checks."""
    import scipy.optimize  # noqa: F401  (imported lazily by allocate; paid once, not timed)

    from matcher.allocation import allocate

    warm = problem("4x3")
    allocate(warm[0], warm[1], areas=warm[3], strategy=strategy)
    prefs, fit, eligible, areas, capacities = problem(size)
    kwargs = {"areas": areas, "eligible": eligible, "strategy": strategy, "capacities": capacities}
    times = []
    while not times or (sum(times) < 1.0 and len(times) < 15):
        start = time.perf_counter()
        result = allocate(prefs, fit, **kwargs)
        times.append(time.perf_counter() - start)
    seconds = sorted(times)[len(times) // 2]  # median of the repeats (one repeat when slow)
    tracemalloc.start()
    tracemalloc.reset_peak()
    allocate(prefs, fit, **kwargs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    problems = result.check_validity()
    blocking = len(result.blocking_pairs()) if strategy == "stable" else None
    n, m = fit.shape
    return {
        "size": size,
        "candidates": n,
        "openings": m,
        "seats": sum(capacities.values()) if capacities else m,
        "strategy": strategy,
        "seconds": round(seconds, 4),
        "peak_mb": round(peak / 2**20, 1),
        "profile": dict(result.profile),
        "total_fit": round(result.total_fit, 3),
        "valid": not problems,
        "blocking_pairs": blocking,
    }


def run_case(size: str, strategy: str, *, subprocess_: bool = True) -> dict:
    if not subprocess_:
        return measure(size, strategy)
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); "
        "from benchmarks.allocation import measure; "
        f"print(json.dumps(measure({size!r}, {strategy!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"{size} {strategy} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def markdown(rows: list[dict]) -> str:
    lines = [
        "# Allocation benchmark",
        "",
        "`python benchmarks/allocation.py` — time and peak traced memory of one `allocate()` call "
        "per strategy (fresh process each; every result passes `check_validity()`; stable ones "
        "have no blocking pair). 23x23 is the shipped JPO sample; larger sizes are synthetic "
        "(see the script's docstring).",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{_cpu_count()} cores, load average {_load()} when run (the machine is shared: "
        "timings vary up to ~2x between runs).",
        "",
        "| candidates x openings (seats) | strategy | seconds | peak MB | 1st | 2nd | 3rd "
        "| outside | unplaced | total fit | valid | blocking pairs |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        p = r["profile"]
        bp = "" if r["blocking_pairs"] is None else str(r["blocking_pairs"])
        lines.append(
            f"| {r['candidates']:,} x {r['openings']:,} ({r['seats']:,}) | {r['strategy']} "
            f"| {r['seconds']:.3f} "
            f"| {r['peak_mb']:.1f} | {p['1st']} | {p['2nd']} | {p['3rd']} | {p['outside']} "
            f"| {p['unplaced']} | {r['total_fit']:.2f} | {'yes' if r['valid'] else 'NO'} | {bp} |"
        )
    return "\n".join(lines) + "\n"


def _load() -> str:
    import os

    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="allocation time and memory per strategy")
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), help="e.g. 23x23 1000x200")
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES))
    parser.add_argument("--out", type=Path, help="results folder (default: benchmarks/results)")
    parser.add_argument("--in-process", action="store_true", help="no subprocess per case")
    args = parser.parse_args(argv)
    rows = []
    for size in args.sizes:
        for strategy in args.strategies:
            row = run_case(size, strategy, subprocess_=not args.in_process)
            rows.append(row)
            print(
                f"{size:>11} {strategy:>12}: {row['seconds']:7.3f} s {row['peak_mb']:8.1f} MB  "
                f"{row['profile']}  valid={row['valid']}",
                flush=True,
            )
    full = args.out is not None or args.sizes == list(SIZES)
    if full:
        out = args.out or RESULTS
        out.mkdir(parents=True, exist_ok=True)
        (out / "allocation.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
        (out / "allocation.md").write_text(markdown(rows), encoding="utf-8")
        print(f"wrote {out / 'allocation.json'} and allocation.md")
    return 0 if all(r["valid"] and not r["blocking_pairs"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""A re-run is cheap: ``matcher rank`` of the same CVs against a second notice.

    python benchmarks/rerun.py                      # -> benchmarks/results/rerun.{json,md}
    python benchmarks/rerun.py --limit 8 --out DIR  # a quick run (the test suite's smoke run)

The 72 real PDF resumes of ``../shared/eval/resumes/pdf`` are ranked with the command an analyst
types, ``matcher rank NOTICE PDF_FOLDER --out ranking.csv``, twice, each in a fresh process
(model load and imports included, as the analyst waits for them): first against one notice with an
empty embedding cache and profile store (a temporary directory), then against another notice with
the same CVs. The second run reads the CVs' vectors from the embedding cache: only the new
notice's texts are encoded, in a worker process that loads the model while the main process reads
the CVs. The two notices close on different days, so the profiles (which count experience up to
the closing date) are parsed again, but from the text the profile store kept for each PDF: no PDF
is read twice. The two rankings are checked: every PDF is a row, and the second
run's rows are compared cell by cell with a third, cache-free run against the same notice
(``--no-cache``): every cell that differs is listed, and eligibility and order must be the same.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PDFS = ROOT.parent / "shared" / "eval" / "resumes" / "pdf"
FIRST = ROOT / "data" / "vacancies" / "osce-associate-procurement-officer-SEC000847.txt"
SECOND = ROOT / "data" / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"


def _rank(notice: Path, cvs: Path, out: Path, cache: Path | None) -> float:
    """Seconds of one ``matcher rank`` in a fresh process."""
    cmd = [sys.executable, "-m", "matcher", "rank", str(notice), str(cvs), "--out", str(out)]
    cmd += ["--no-cache"] if cache is None else [
        "--cache", str(cache / "embeddings.sqlite"), "--profiles", str(cache / "profiles.sqlite"),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"matcher rank failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def run(limit: int | None, out_dir: Path | None, check: bool, pdf_dir: Path = PDFS) -> dict:
    import pandas as pd

    pdfs = sorted(pdf_dir.glob("*.pdf"))
    if not pdfs:
        raise SystemExit(f"no PDF resumes at {pdf_dir}")
    work = Path(tempfile.mkdtemp(prefix="matcher-rerun-"))
    try:
        cvs = work / "cvs"
        cvs.mkdir()
        for p in pdfs[:limit] if limit else pdfs:
            (cvs / p.name).symlink_to(p)
        n = len(list(cvs.iterdir()))
        cache = work / "cache"
        cache.mkdir()
        first = _rank(FIRST, cvs, work / "first.csv", cache)
        second = _rank(SECOND, cvs, work / "second.csv", cache)
        a, b = pd.read_csv(work / "first.csv"), pd.read_csv(work / "second.csv")
        assert len(a) == len(b) == n, (len(a), len(b), n)
        same = None
        if check:
            _rank(SECOND, cvs, work / "fresh.csv", None)
            same = compare(b, pd.read_csv(work / "fresh.csv"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
        "python": platform.python_version(),
        "cvs": n,
        "first_notice": FIRST.name,
        "second_notice": SECOND.name,
        "first_seconds": round(first, 1),
        "second_seconds": round(second, 1),
        "ratio": round(second / first, 3),
        "goal_ratio": 0.10,
        "second_vs_uncached_run": same,
    }
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "rerun.json").write_text(json.dumps(result, indent=2) + "\n")
        (out_dir / "rerun.md").write_text(_markdown(result))
    return result


def compare(cached, fresh) -> dict:  # two ranking frames (pandas)
    """Cell by cell: the cells of ``cached`` that differ from ``fresh`` (rows matched by
    candidate id; NaN equals NaN), whether the order and every eligibility are the same, and
    the largest difference of a numeric cell."""
    import math

    same_ids = sorted(cached["candidate_id"]) == sorted(fresh["candidate_id"])
    order = list(cached["candidate_id"]) == list(fresh["candidate_id"])
    a = cached.set_index("candidate_id")
    b = fresh.set_index("candidate_id").reindex(a.index)
    cells, largest = [], 0.0
    for column in a.columns:
        for cid, x, y in zip(a.index, a[column], b[column], strict=True):
            if (x == y) or (_missing(x) and _missing(y)):
                continue
            cells.append({"candidate_id": cid, "column": column, "cached": x, "uncached": y})
            if isinstance(x, float) and isinstance(y, float) and not math.isnan(x - y):
                largest = max(largest, abs(x - y))
    eligibility = same_ids and not any(c["column"] == "eligibility" for c in cells)
    return {
        "identical": same_ids and not cells,
        "same_order": order,
        "same_eligibility": eligibility,
        "differing_cells": [{k: (v.item() if hasattr(v, "item") else v) for k, v in c.items()}
                            for c in cells],  # fmt: skip
        "largest_numeric_difference": largest,
    }


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and x != x)


def _markdown(r: dict) -> str:
    met = "yes" if r["ratio"] < r["goal_ratio"] else "no"
    check = r["second_vs_uncached_run"]
    if check is None:
        same = "not checked"
    elif check["identical"]:
        same = "yes, every cell."
    else:
        cells = check["differing_cells"]
        same = (
            f"NO: {len(cells)} cell(s) differ (largest numeric difference "
            f"{check['largest_numeric_difference']:.2g}); same order: "
            f"{'yes' if check['same_order'] else 'NO'}, same eligibility: "
            f"{'yes' if check['same_eligibility'] else 'NO'}\n\n"
            + "".join(f"- {c['candidate_id']} `{c['column']}`: {c['cached']!r} cached, "
                      f"{c['uncached']!r} without cache\n" for c in cells[:20])  # fmt: skip
        )
    return (
        "# Re-ranking the same CVs against another notice\n\n"
        f"Measured {r['date']} on {r['machine']}, Python {r['python']}, by "
        "`python benchmarks/rerun.py`. Each run is `matcher rank NOTICE PDF_FOLDER --out "
        "ranking.csv` in a fresh process (imports and model load included), with the embedding "
        "cache and the profile store in a temporary directory that starts empty.\n\n"
        "| run | notice | seconds |\n|---|---|---:|\n"
        f"| first (cold: parse {r['cvs']} PDFs, encode everything) | {r['first_notice']} | "
        f"{r['first_seconds']} |\n"
        f"| second (same CVs: their text and vectors from the cache, parsed again for the "
        f"new closing date) | "
        f"{r['second_notice']} | {r['second_seconds']} |\n\n"
        f"Second / first = **{r['ratio']}** (goal < {r['goal_ratio']}: {met}). The second "
        f"ranking equals a run without any cache: {same}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="rank only the first N PDFs (a quick run)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    parser.add_argument("--no-check", action="store_true", help="skip the cache-free third run")
    parser.add_argument("--pdfs", type=Path, default=PDFS, help="folder of PDF resumes")
    args = parser.parse_args()
    result = run(args.limit, args.out, not args.no_check, args.pdfs)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

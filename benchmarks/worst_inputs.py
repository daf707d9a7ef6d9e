"""Time and peak memory of the worst inputs known for the CV parser: each must finish or be refused
within the per-file budget (15 s, 500 MB).

    python benchmarks/worst_inputs.py       # writes benchmarks/results/worst_inputs.{json,md}

The inputs are generated here (the factories of ``tests/_hostile.py``), never stored. Each is
parsed by ``matcher.parse_cv`` in a fresh child process, so its peak resident memory is its own:
"peak" is the child's maximum resident set, "parse" the part of it above the child's resident set
after ``import matcher`` (the figure the budget bounds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import _hostile as H  # noqa: E402

LIMIT_SECONDS = 15.0
LIMIT_MB = 500.0

_CHILD = r"""
import json, resource, sys, time
import matcher
from matcher.features.budget import resident_memory
matcher.parse_cv("EXPERIENCE\nAnalyst, Acme Ltd, 2019 - 2020")  # every parsing module loaded
import docx, pypdf  # noqa: E401
base = resident_memory() or 0
started = time.perf_counter()
try:
    p = matcher.parse_cv(sys.argv[1] if sys.argv[2] == "file" else open(sys.argv[1]).read())
    outcome = f"parsed: {len(p.positions)} position(s), {len(p.text):,} characters"
    if p.warnings:
        outcome += "; " + p.warnings[-1][:120]
except matcher.MatcherError as exc:
    outcome = f"refused: {type(exc).__name__}: {exc}"
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "base": base, "outcome": outcome}))
"""


def _inputs() -> list[tuple[str, str, bytes]]:
    """(name, how it is passed: "file" or "text", bytes)."""
    return [
        ("one line of 20,000 '01/2019 – '", "text", ("01/2019 – " * 20000).encode()),
        ("10 MB single line", "text", H.single_line(10 * 1024 * 1024, fragments=H.CV_FRAGMENTS)
         .encode()),
        ("DOCX under every byte cap (95 MB of XML)", "file:docx", H.docx_under_caps()),
        ("DOCX just under the XML part cap (19 MB of XML)", "file:docx",
         H.docx_under_caps(19 * 1024 * 1024)),
        ("DOCX zip bomb (1 GiB)", "file:docx", H.docx_zip_bomb()),
        ("DOCX 5,000 parts", "file:docx", H.docx_many_parts()),
        ("DOCX nested tables", "file:docx", H.docx_nested_tables()),
        ("DOCX billion laughs", "file:docx", H.docx_billion_laughs()),
        ("PDF 5,000 pages", "file:pdf", H.pdf_many_pages()),
        ("PDF operator flood", "file:pdf", H.pdf_operator_flood()),
        ("PDF stream bomb (500 MB)", "file:pdf", H.pdf_stream_bomb()),
        ("PDF shared-stream flood", "file:pdf", H.pdf_shared_flood()),
        ("deep nesting", "text", H.deep_nesting().encode()),
    ]


def run() -> list[dict[str, object]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, how, data in _inputs():
            suffix = "." + how.split(":")[1] if ":" in how else ".txt"
            path = Path(tmp) / f"input{suffix}"
            path.write_bytes(data)
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            wall = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path), "file" if ":" in how else "text"],
                capture_output=True, text=True, env=env, timeout=600,
            )  # fmt: skip
            wall = time.perf_counter() - wall
            if out.returncode != 0:
                rows.append({"input": name, "bytes": len(data), "outcome": "crashed: "
                             + out.stderr.strip()[-300:], "seconds": wall, "peak_mb": None,
                             "parse_mb": None, "within_budget": False})
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            parse_mb = max(0, r["peak"] - r["base"]) / 2**20
            rows.append({
                "input": name,
                "bytes": len(data),
                "outcome": r["outcome"],
                "seconds": round(r["seconds"], 2),
                "peak_mb": round(r["peak"] / 2**20, 1),
                "parse_mb": round(parse_mb, 1),
                "within_budget": r["seconds"] <= LIMIT_SECONDS and parse_mb <= LIMIT_MB,
            })  # fmt: skip
            print(f"{name}: {rows[-1]['seconds']} s, {rows[-1]['parse_mb']} MB, "
                  f"{rows[-1]['outcome'][:100]}", flush=True)
    return rows


def write(rows: list[dict[str, object]]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {"limit_seconds": LIMIT_SECONDS, "limit_mb": LIMIT_MB, "cpus": os.cpu_count(),
            "python": sys.version.split()[0]}
    (RESULTS / "worst_inputs.json").write_text(
        json.dumps({"meta": meta, "inputs": rows}, indent=2) + "\n", encoding="utf-8"
    )
    lines = [
        "# Worst inputs: time and peak memory per file",
        "",
        f"Budget: finish or be refused within {LIMIT_SECONDS:g} s and {LIMIT_MB:g} MB of memory "
        "for the parse: \"parse MB\" is the child's peak resident memory minus its resident memory "
        "after loading every parsing module (an upper bound: about 50 MB of that peak is reached "
        "by the imports themselves). "
        f"Generated by `python benchmarks/worst_inputs.py` on {os.cpu_count()} CPU(s), shared.",
        "",
        "| input | size | seconds | parse MB | peak MB | within budget | outcome |",
        "|---|---:|---:|---:|---:|:---:|---|",
    ]
    for r in rows:
        outcome = str(r["outcome"]).replace("|", "/")[:160]
        lines.append(
            f"| {r['input']} | {int(r['bytes']) / 1e6:.1f} MB | {r['seconds']} | {r['parse_mb']} | "
            f"{r['peak_mb']} | {'yes' if r['within_budget'] else '**no**'} | {outcome} |"
        )
    (RESULTS / "worst_inputs.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(run())

"""Vacancy parsing: what is recovered from each notice, and how long parsing takes.

    python benchmarks/vacancy_parsing.py          # -> benchmarks/results/vacancy_parsing.{json,md}
    python benchmarks/vacancy_parsing.py --quick  # the seeds only, printed, nothing written

For the five seed notices (27 records with the JPO openings) and, when present, the seconded-post
excerpts in ``../shared/eval/vacancies/io_notices``: title, duties, qualifications and blocks
found, metadata fields, warnings, and wall-clock parse time (median of 5, after a warm-up).
Then the worst-case inputs the parser is bounded against (a 4 MB single line full of ``;``,
brackets and colons; 320,000 short lines; a long run of ``; ;``), which must stay linear.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SEEDS = ROOT / "data" / "vacancies"
IO_NOTICES = ROOT.parent / "shared" / "eval" / "vacancies" / "io_notices"

sys.path.insert(0, str(ROOT))


def _timed(fn, repeats: int = 5) -> tuple[object, float]:
    fn()  # warm-up: imports, caches
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def seed_rows() -> list[dict[str, object]]:
    from matcher import load_vacancies

    rows = []
    for path in sorted(SEEDS.glob("*.txt")):
        vacancies, seconds = _timed(lambda p=path: load_vacancies(p))
        for v in vacancies:  # type: ignore[union-attr]
            rows.append(
                {
                    "file": path.name,
                    "id": v.id,
                    "title": v.title,
                    "department": v.department,
                    "unit": v.unit,
                    "duties": len(v.duties),
                    "qualifications_chars": len(v.qualifications),
                    "blocks": list(v.qualification_blocks),
                    "metadata_fields": len(v.metadata),
                    "warnings": list(v.warnings),
                    "file_parse_ms": round(seconds * 1000, 2),
                }
            )
    return rows


def io_rows() -> list[dict[str, object]]:
    from matcher import load_vacancy

    rows = []
    for path in sorted(IO_NOTICES.glob("*.txt")):
        v, seconds = _timed(lambda p=path: load_vacancy(p))
        rows.append(
            {
                "file": path.name,
                "title": v.title,  # type: ignore[union-attr]
                "blocks": list(v.qualification_blocks),  # type: ignore[union-attr]
                "qualifications_chars": len(v.qualifications),  # type: ignore[union-attr]
                "parse_ms": round(seconds * 1000, 2),
            }
        )
    return rows


def worst_cases() -> list[dict[str, object]]:
    from matcher import parse_vacancy
    from matcher.features.sections import clean_item

    cases = {
        "4 MB single line (';', '(', ':')": lambda: parse_vacancy(
            "Tasks and Responsibilities: " + "Drafting (reports; Organising: events; " * 100_000
        ),
        "320,000 short lines": lambda: parse_vacancy(
            ("1. Planning the work of\n- sub item\n\nlowercase continuation\n") * 80_000
        ),
        "'; ;' run of 100,000": lambda: clean_item("a" + " ;" * 100_000 + " b; and"),
    }
    out = []
    for name, fn in cases.items():
        _, seconds = _timed(fn, repeats=1)
        out.append({"case": name, "seconds": round(seconds, 3)})
    return out


def to_markdown(result: dict[str, object]) -> str:
    seeds = result["seeds"]
    lines = [
        "# Vacancy parsing",
        "",
        f"{result['machine']}; median of 5 runs after a warm-up.",
        "",
        "## Seed notices",
        "",
        "| record | department / unit | duties | qualifications | blocks | metadata | warnings |"
        " parse ms (file) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in seeds:  # type: ignore[union-attr]
        where = "/".join(x for x in (row["department"], row["unit"]) if x) or "-"
        lines.append(
            f"| {row['id']} | {where} | {row['duties']} | {row['qualifications_chars']} chars | "
            f"{len(row['blocks'])} | {row['metadata_fields']} | {len(row['warnings'])} | "
            f"{row['file_parse_ms']} |"
        )
    if result["io_notices"]:
        lines += ["", "## Seconded-post excerpts (eval corpus)", "",
                  "| file | blocks | parse ms |", "|---|---|---:|"]
        for row in result["io_notices"]:  # type: ignore[union-attr]
            lines.append(f"| {row['file']} | {', '.join(row['blocks'])} | {row['parse_ms']} |")
    lines += ["", "## Worst cases (must stay linear)", "", "| input | seconds |", "|---|---:|"]
    for row in result["worst_cases"]:  # type: ignore[union-attr]
        lines.append(f"| {row['case']} | {row['seconds']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="seeds only, print, write nothing")
    args = parser.parse_args(argv)
    result: dict[str, object] = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "seeds": seed_rows(),
        "io_notices": [] if args.quick or not IO_NOTICES.exists() else io_rows(),
        "worst_cases": [] if args.quick else worst_cases(),
    }
    report = to_markdown(result)
    if args.quick:
        print(report)
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "vacancy_parsing.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    (RESULTS / "vacancy_parsing.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

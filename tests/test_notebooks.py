"""The notebooks execute top to bottom (nbclient), and are stored without outputs.

``jpo_allocation.ipynb`` is tested by the allocation tests.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TIME_LIMIT = 90  # seconds for a whole notebook


def _execute(name: str):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        book,
        timeout=TIME_LIMIT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f"{name} took {elapsed:.0f} s"
    return book


def _outputs(book, kind: str = "text/plain") -> str:
    parts = []
    for cell in book.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif kind in out.get("data", {}):
                parts.append(out["data"][kind])
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["explore_vacancies.ipynb", "rank_pool.ipynb"])
def test_stored_without_outputs(name):
    nbformat = pytest.importorskip("nbformat")
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_explore_vacancies():
    book = _execute("explore_vacancies.ipynb")
    text = _outputs(book)
    assert "27 vacancies from 5 files" in text  # 23 JPO openings + 4 notices
    images = [
        o for c in book.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert images, "the openings-per-area plot is missing"
    m = re.search(r"(\d+) of (\d+) evidence spans found verbatim in their notice", text)
    assert m and m.group(1) == m.group(2) and int(m.group(2)) > 10, m
    assert "Human Beings" in text or "trafficking" in text.lower()


@pytest.mark.model
def test_rank_pool():
    if not any(p.is_file() and p.suffix in {".txt", ".pdf", ".docx", ".md"}
               for p in (ROOT / "data" / "cvs").glob("*")):  # fmt: skip
        pytest.skip("no sample CVs in data/cvs")
    book = _execute("rank_pool.ipynb")
    text = _outputs(book)
    assert "CVs parsed" in text and "shortlist.html" in text
    images = [
        o for c in book.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert len(images) >= 3  # scores, parts, waterfall

"""The README's Python examples are themselves tests: each runs as written, from a folder that
holds the repository's data/ (the examples write to out/)."""

import contextlib
import io
import os
import re

import pytest
from conftest import ROOT


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_python_examples_are_short():
    blocks = _python_blocks()
    assert len(blocks) >= 3
    for block in blocks:
        assert len(block.strip().splitlines()) <= 12, block


def _run(block: str, tmp_path, monkeypatch) -> tuple[str, dict]:
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.setenv("MATCHER_CACHE_DIR", str(tmp_path / "cache"))
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    names: dict = {}
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(block, "README.md", "exec"), names)  # noqa: S102
    finally:
        os.chdir(cwd)
    return out.getvalue(), names


@pytest.mark.model
def test_readme_python_example_runs(tmp_path, monkeypatch):
    printed, _ = _run(_python_blocks()[0], tmp_path, monkeypatch)
    assert "Associate Security Project Officer" in printed
    assert "eligible" in printed
    assert "[PASS]" in printed or "[FAIL]" in printed


@pytest.mark.model
def test_readme_pool_example_runs(tmp_path, monkeypatch):
    block = next(b for b in _python_blocks() if "rank_pool" in b)
    printed, names = _run(block, tmp_path, monkeypatch)
    pool, cvs = names["pool"], names["cvs"]
    assert int(printed.strip()) == len(cvs) * 23 == int((pool.eligibility != "error").sum())
    assert (tmp_path / "cache" / "embeddings.sqlite").exists()  # the vectors are kept


@pytest.mark.model
def test_readme_bring_your_own_example_runs(tmp_path, monkeypatch):
    block = next(b for b in _python_blocks() if "write_requirements" in b)
    printed, names = _run(block, tmp_path, monkeypatch)
    ranking = names["ranking"]
    assert sorted(ranking.candidate_id) == ["c-1", "c-2"]
    assert ranking.candidate_id.iloc[0] == "c-2"  # the strong procurement CV first
    assert "hr-2" in printed
    assert names["vacancy"].requirements.review.changes == ()

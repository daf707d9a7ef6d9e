"""The README's Python example is itself a test: it runs as written, from the repository root."""

import contextlib
import io
import os
import re

import pytest
from conftest import ROOT


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_has_one_short_python_example():
    blocks = _python_blocks()
    assert len(blocks) == 1
    assert len(blocks[0].strip().splitlines()) <= 10


@pytest.mark.model
def test_readme_python_example_runs():
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(_python_blocks()[0], "README.md", "exec"), {})  # noqa: S102
    finally:
        os.chdir(cwd)
    printed = out.getvalue()
    assert "Associate Security Project Officer" in printed
    assert "eligible" in printed
    assert "[PASS]" in printed or "[FAIL]" in printed

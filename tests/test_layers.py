"""Imports run one way, and no module reaches into another's private names.

Every ``import`` in the package and the tests is read with :mod:`ast`, wherever it stands (module
level, inside a function, under ``TYPE_CHECKING``): a lazy import is still a dependency.

Layers, lowest first: ``types`` imports nothing of the package; ``features`` never import
``scoring``; ``scoring`` never imports what is built on it (``batch``, ``report``, ``commands``,
``fairness``, ``audit``, ``allocation``, ``cli``). A private name (a leading underscore, in the
imported name or in a module on its path) may only be used inside the package that owns it; tests
use public paths only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "matcher"

#: importer prefix -> module prefixes it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "matcher.types": ("matcher",),
    "matcher.features": (
        "matcher.scoring", "matcher.batch", "matcher.report", "matcher.commands",
        "matcher.fairness", "matcher.audit", "matcher.allocation", "matcher.cli",
    ),
    "matcher.scoring": (
        "matcher.batch", "matcher.report", "matcher.commands", "matcher.fairness",
        "matcher.audit", "matcher.allocation", "matcher.cli",
    ),
}  # fmt: skip


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def imports(path: Path) -> Iterator[tuple[int, str, str | None]]:
    """(line, imported module, imported name or None) of every import in a file, with relative
    imports resolved, and ``module._name`` attribute reads of imported package modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    me = _module_name(path) if _within(_module_name(path), "matcher") else ""
    package = me if _is_package(path) else me.rpartition(".")[0]
    bound: dict[str, str] = {}  # local name -> package module it refers to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
                if alias.asname:
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield node.lineno, base, alias.name
                if alias.name != "*":
                    bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and _private(node.attr)
            and _within(bound.get(node.value.id, ""), "matcher")
        ):
            yield node.lineno, bound[node.value.id], node.attr


def problems_of(path: Path) -> list[str]:
    """What is wrong with the imports of one file (empty when nothing)."""
    me = _module_name(path)
    out = []
    where = path.relative_to(ROOT)
    for line, module, name in imports(path):
        target = f"{module}.{name}" if name and name != "*" else module
        if not _within(module, "matcher"):
            continue
        for layer, banned in FORBIDDEN.items():
            if _within(me, layer) and any(_within(target, b) for b in banned):
                # the package itself is "matcher": only its own records module may stand there
                out.append(f"{where}:{line}: {me} imports {target} (a layer above it)")
                break
        # a private part of the path is fine only for code inside the package that owns it
        parts = target.split(".")
        for k, part in enumerate(parts):
            if not _private(part):
                continue
            owner = ".".join(parts[:k])
            if k == len(parts) - 1 and name is not None and name != "*":
                # a private name belongs to the module that defines it, a private submodule to
                # its package
                package = (ROOT / module.replace(".", "/") / "__init__.py").exists()
                if me == module or (package and _within(me, module)):
                    continue
                out.append(f"{where}:{line}: {me} imports {name}, private to {module}")
            elif not _within(me, owner):
                out.append(f"{where}:{line}: {me} imports {target}, private to {owner}")
            break
    return out


def _files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "tests").glob("*.py"))


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_one_way_and_stay_public(path: Path) -> None:
    assert problems_of(path) == []


# --------------------------------------------------------------------------- the checker itself


@pytest.mark.parametrize(
    ("where", "source", "wrong"),
    [
        ("matcher/types.py", "from matcher.features.sentences import scorable_text\n", True),
        ("matcher/types.py", "def f():\n    import matcher.errors\n", True),
        ("matcher/types.py", "from dataclasses import dataclass\n", False),
        ("matcher/features/cv.py", "from matcher.scoring.fit import calibrate\n", True),
        ("matcher/features/cv.py", "from ..scoring import fit\n", True),
        ("matcher/features/cv.py", "from matcher.features.text import repair_text\n", False),
        ("matcher/scoring/x.py", "if TYPE_CHECKING:\n    from matcher.audit import AuditLog\n",
         True),
        ("matcher/scoring/x.py", "def f():\n    from matcher.batch import rank_pool\n", True),
        ("matcher/scoring/x.py", "from matcher.features.cv import parse_cv\n", False),
        ("matcher/batch.py", "from matcher.scoring.kernel import score_chunk\n", False),
        ("matcher/batch.py", "from matcher.scoring.matcher import _collect\n", True),
        ("matcher/batch.py", "from matcher.scoring import kernel\nkernel._best(1)\n", True),
        ("matcher/scoring/cache.py", "from matcher._sqlite import connect\n", False),
        ("matcher/scoring/cache.py", "from matcher import _sqlite\n", False),
        ("tests/test_x.py", "from matcher import _sqlite\n", True),
        ("tests/test_x.py", "from matcher._sqlite import connect\n", True),
        ("tests/test_x.py", "from matcher.scoring.kernel import _mean_rows\n", True),
        ("tests/test_x.py", "import matcher.scoring.kernel as k\nk._mean_rows\n", True),
        ("tests/test_x.py", "from matcher.scoring.kernel import score_chunk\n", False),
    ],
)  # fmt: skip
def test_the_checker_finds_what_it_should(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, source: str, wrong: bool
) -> None:
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "matcher").mkdir(exist_ok=True)
    (tmp_path / "matcher" / "__init__.py").touch()
    path.write_text(source, encoding="utf-8")
    assert bool(problems_of(path)) == wrong, problems_of(path)

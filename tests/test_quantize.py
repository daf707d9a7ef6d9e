"""int8 encoding: a separate model id, and ranking drift measured as Spearman per vacancy."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.scoring.quantize import QuantizedEncoder, ranking_drift


def test_ranking_drift_spearman_per_vacancy() -> None:
    rng = np.random.default_rng(1)
    ref = rng.random((4, 30))
    same = ranking_drift(ref, ref * 2 + 1)  # monotone change: same order
    assert same == {"spearman_mean": 1.0, "spearman_min": 1.0}
    flipped = ref.copy()
    flipped[2] = -flipped[2]
    drift = ranking_drift(ref, flipped)
    assert drift["spearman_min"] == pytest.approx(-1.0)
    assert drift["spearman_mean"] == pytest.approx(0.5)
    noisy = ranking_drift(ref, ref + rng.normal(0, 0.05, ref.shape))
    assert 0.8 < noisy["spearman_mean"] < 1.0
    with pytest.raises(ValueError):
        ranking_drift(ref, ref[:, :5])


def test_quantized_encoder_has_its_own_model_id() -> None:
    enc = QuantizedEncoder()
    assert enc.model_id.endswith("+int8-dynamic") and enc.dim == 384
    assert QuantizedEncoder(model_id="x").model_id == "x"


@pytest.mark.model
@pytest.mark.slow
def test_int8_vectors_stay_close_to_fp32() -> None:
    from matcher.scoring.encoders import SentenceTransformerEncoder

    texts = [
        "Managed procurement of goods and services for field missions.",
        "Drafted reports on border security for the Secretariat.",
        "Cooked Italian food in a busy restaurant.",
    ]
    q = QuantizedEncoder().encode(texts)
    f = SentenceTransformerEncoder().encode(texts)
    assert q.shape == f.shape == (3, 384) and q.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, rtol=1e-5)
    assert np.all(np.sum(q * f, axis=1) > 0.8)
    # the same ordering of similarities: procurement is closer to security reporting than cooking
    assert (q[0] @ q[1] > q[0] @ q[2]) == (f[0] @ f[1] > f[0] @ f[2])

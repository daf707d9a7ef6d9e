"""The first tier: top-k selection, fusion, recall against a full scorer, real resumes."""

from __future__ import annotations

import numpy as np
import pytest
from toy_encoder import ToyEncoder

from matcher.errors import ConfigError
from matcher.scoring.prefilter import (
    StaticEncoder,
    cv_prefilter_text,
    prefilter_scores,
    recall_at_k,
    select_top_k,
    vacancy_prefilter_text,
)
from matcher.types import CandidateProfile, Vacancy

VACANCY = Vacancy(
    id="v1",
    title="Associate Procurement Officer",
    duties=("Manage tenders and purchase orders for goods and services.",),
    qualifications="Degree in business administration; procurement experience.",
)
CVS = [
    "Chef. Cooked Italian dishes, managed the kitchen and trained cooks.",
    "Procurement assistant: ran tenders, drafted purchase orders, evaluated bids for services.",
    "Software developer writing Python services and databases.",
]


def test_select_top_k_is_ordered_and_breaks_ties_by_index() -> None:
    scores = np.array([[0.1, 0.9, 0.5, 0.9], [0.0, 0.0, 0.0, 0.0]])
    assert select_top_k(scores, 3).tolist() == [[1, 3, 2], [0, 1, 2]]
    assert select_top_k(scores, 10).shape == (2, 4)
    with pytest.raises(ConfigError):
        select_top_k(scores, 0)


def test_recall_at_k_against_full_scores() -> None:
    rng = np.random.default_rng(0)
    full = rng.random((3, 50))
    assert recall_at_k(full, full, k=10, top=10) == 1.0
    assert recall_at_k(-full, full, k=10, top=10) == 0.0
    assert recall_at_k(-full, full, k=50, top=10) == 1.0  # keeping everything loses nothing
    noisy = full + rng.normal(0, 0.05, full.shape)
    assert 0.0 < recall_at_k(noisy, full, k=10, top=10) <= recall_at_k(noisy, full, k=20, top=10)


def test_texts_read_records_and_never_personal_data() -> None:
    text = vacancy_prefilter_text(VACANCY)
    assert "Procurement Officer" in text and "tenders" in text and "business administration" in text
    cv = CandidateProfile(id="c", text="Jane Roe\nProcurement", blind_text="[NAME]\nProcurement")
    assert cv_prefilter_text(cv) == "[NAME]\nProcurement"
    assert cv_prefilter_text("plain text") == "plain text"


@pytest.mark.parametrize("method", ["bm25", "static", "hybrid"])
def test_each_method_puts_the_procurement_cv_first(method: str) -> None:
    scores = prefilter_scores([VACANCY], CVS, method=method, static_encoder=ToyEncoder(dim=256))
    assert scores.shape == (1, 3) and scores.dtype == np.float32
    assert select_top_k(scores, 1).tolist() == [[1]]


def test_unknown_method_and_empty_inputs() -> None:
    with pytest.raises(ConfigError, match="bm25"):
        prefilter_scores([VACANCY], CVS, method="tfidf")  # type: ignore[arg-type]
    assert prefilter_scores([VACANCY], [], method="bm25").shape == (1, 0)


def test_bm25_tier_finds_the_right_category_in_real_resumes(eval_dir) -> None:
    pd = pytest.importorskip("pandas")
    path = eval_dir / "resumes" / "livecareer_resumes_2484.csv"
    if not path.exists():
        pytest.skip("livecareer resumes not available")
    df = pd.read_csv(path).fillna("")
    query = (
        "Accountant: prepare financial statements, general ledger reconciliations, accounts "
        "payable and receivable, month-end close, audit support; degree in accounting."
    )
    scores = prefilter_scores([query], df["Resume_str"].tolist(), method="bm25")
    top = select_top_k(scores, 20)[0]
    categories = df["Category"].to_numpy()[top]
    share = np.mean(np.isin(categories, ["ACCOUNTANT", "FINANCE", "BANKING"]))
    assert share >= 0.7, categories


@pytest.mark.slow
def test_static_model_distils_once_and_caches(tmp_path) -> None:
    enc = StaticEncoder(cache_dir=tmp_path)
    vecs = enc.encode(["procurement of goods", "purchasing services", "cooking pasta"])
    assert vecs.shape == (3, 256) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]
    assert (tmp_path / "all-MiniLM-L6-v2-m2v-pca256" / "config.json").exists()

"""Ranking quality: matcher against TF-IDF, BM25 and whole-document embeddings, in one run.

Three measurements, every method on the same inputs (see ``../shared/eval/SOURCES.md``):

1. **Graded human relevance** (FERR release): 50 job queries (the JD skill keywords; the JD
   texts are not public), 463 judgements (1-7) of livecareer resumes by HR annotators. Each
   method ranks the 7-10 judged resumes of each query; NDCG@5 and NDCG@10 with gain = score - 1.
2. **Category relevance** on all 2,484 livecareer resumes: one short vacancy-like description
   with duties per category (written for this benchmark, below); a resume is relevant when filed
   under that category. NDCG@10 and precision@10 over the whole pool.
3. **Keyword-stuffing attack**: (a) for each category, an off-category resume with the query's
   duties pasted in is added to the pool: its rank per method; (b) the seed SEC000821 with the
   sample CVs of ``data/cvs``: ranks of the CV that pastes the duties and of the PDF with hidden
   white text.

Methods: ``tfidf`` (scikit-learn, cosine), ``bm25`` (bm25s), ``embed_doc`` (the same MiniLM on
the whole document, truncated at 256 word pieces as sentence-transformers does: what popular
open-source matchers do), ``matcher`` (per-duty best CV sentence, stuffing defence; for the
queries without requirements its score is the fit score).

    python benchmarks/ranking_quality.py             # everything (encoding the pool: long, cached)
    python benchmarks/ranking_quality.py --pool-per-category 40   # the recorded run (938 resumes)
    python benchmarks/ranking_quality.py --skip-pool # FERR + sample attack only (minutes)
    python benchmarks/ranking_quality.py --smoke     # tiny subset, for the test suite
    python benchmarks/ranking_quality.py --notes-only  # the recorded figures, notes refreshed

Embeddings are cached in ``benchmarks/results/.cache/`` (git-ignored), so re-runs encode nothing.
Results: ``benchmarks/results/ranking_quality.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
RESUMES = EVAL / "resumes" / "livecareer_resumes_2484.csv"
QRELS = EVAL / "pairs" / "ferr_qrels_livecareer.csv"
QUERIES = EVAL / "pairs" / "ferr_jd_skill_queries.csv"
SEED = ROOT / "data" / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"
SAMPLES = ROOT / "data" / "cvs"
RESULTS = ROOT / "benchmarks" / "results"
CACHE = RESULTS / ".cache"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

log = logging.getLogger("benchmarks.ranking_quality")

METHODS = ("tfidf", "bm25", "embed_doc", "matcher")
#: the matcher with the stronger encoder re-scoring its top k (``ScoringConfig.rerank_model``)
RERANKED = "matcher+rerank"

# One vacancy-like description per livecareer category: a title and the duties a notice would list.
CATEGORY_QUERIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ACCOUNTANT": (
        "Accountant",
        (
            "Maintain the general ledger, prepare journal entries and account reconciliations.",
            "Prepare financial statements, accruals and month-end and year-end closing.",
            "Process accounts payable and receivable and support external audits and tax filings.",
        ),
    ),
    "ADVOCATE": (
        "Legal Advocate",
        (
            "Represent clients in court hearings and draft legal pleadings, motions and briefs.",
            "Conduct legal research on case law and statutes and advise clients on their rights.",
            "Negotiate settlements and prepare contracts and legal documents.",
        ),
    ),
    "AGRICULTURE": (
        "Agricultural Specialist",
        (
            "Manage crop production, soil testing, irrigation and pest control on the farm.",
            "Advise farmers on agronomy, livestock care and sustainable agricultural practices.",
            "Monitor harvests and operate and maintain agricultural equipment.",
        ),
    ),
    "APPAREL": (
        "Apparel Merchandiser",
        (
            "Develop fashion apparel collections with designers and manage garment production.",
            "Select fabrics and trims, approve fit samples and work with clothing factories.",
            "Plan merchandise assortments and visual merchandising for retail stores.",
        ),
    ),
    "ARTS": (
        "Arts Programme Coordinator",
        (
            "Plan and curate art exhibitions, performances and cultural events.",
            "Teach art classes and run workshops in painting, drawing and visual arts.",
            "Manage the gallery collection and promote artists and arts education programmes.",
        ),
    ),
    "AUTOMOBILE": (
        "Automotive Technician",
        (
            "Diagnose and repair car engines, brakes, transmissions and electrical systems.",
            "Perform scheduled vehicle maintenance and inspections at the dealership.",
            "Advise customers on automotive repairs and order vehicle parts.",
        ),
    ),
    "AVIATION": (
        "Aviation Maintenance Officer",
        (
            "Inspect and maintain aircraft, engines and avionics according to FAA regulations.",
            "Coordinate flight operations, aircraft dispatch and airport ground handling.",
            "Keep aircraft maintenance records and ensure aviation safety compliance.",
        ),
    ),
    "BANKING": (
        "Bank Officer",
        (
            "Open customer accounts, process deposits, withdrawals and loan applications.",
            "Advise banking clients on credit, mortgages and financial products.",
            "Ensure compliance with banking regulations, KYC and anti-money-laundering rules.",
        ),
    ),
    "BPO": (
        "BPO Team Lead",
        (
            "Lead a call centre team handling inbound and outbound customer calls.",
            "Monitor service levels, call quality and average handling time of agents.",
            "Manage business process outsourcing client accounts and process improvements.",
        ),
    ),
    "BUSINESS-DEVELOPMENT": (
        "Business Development Manager",
        (
            "Identify new business opportunities, generate leads and build client partnerships.",
            "Prepare proposals, negotiate contracts and grow revenue in new markets.",
            "Conduct market research and develop business development strategies.",
        ),
    ),
    "CHEF": (
        "Chef",
        (
            "Prepare and cook meals, plan menus and supervise the kitchen staff.",
            "Order food supplies, control food costs and manage kitchen inventory.",
            "Ensure food safety, sanitation and quality of dishes in the restaurant.",
        ),
    ),
    "CONSTRUCTION": (
        "Construction Manager",
        (
            "Manage construction projects on site, schedule subcontractors and monitor progress.",
            "Read blueprints, estimate building costs and order construction materials.",
            "Ensure site safety and compliance with building codes and OSHA standards.",
        ),
    ),
    "CONSULTANT": (
        "Management Consultant",
        (
            "Advise clients on business strategy, operations and process improvement.",
            "Analyse client data, prepare recommendations and present findings to executives.",
            "Manage consulting engagements and implement organisational change.",
        ),
    ),
    "DESIGNER": (
        "Designer",
        (
            "Create graphic designs, layouts and visual concepts for print and digital media.",
            "Design interiors, products or user interfaces using Adobe Creative Suite and CAD.",
            "Present design concepts to clients and revise them from feedback.",
        ),
    ),
    "DIGITAL-MEDIA": (
        "Digital Media Specialist",
        (
            "Manage social media channels, digital campaigns and online content.",
            "Produce video, photography and multimedia content for the web.",
            "Analyse web traffic, SEO and digital marketing performance.",
        ),
    ),
    "ENGINEERING": (
        "Engineer",
        (
            "Design and test mechanical, electrical or civil engineering systems.",
            "Prepare technical drawings and specifications with CAD software.",
            "Troubleshoot equipment and lead engineering projects and quality improvements.",
        ),
    ),
    "FINANCE": (
        "Finance Analyst",
        (
            "Prepare budgets, financial forecasts and variance analysis.",
            "Perform financial analysis and reporting for management decisions.",
            "Manage cash flow, investments and financial planning.",
        ),
    ),
    "FITNESS": (
        "Fitness Trainer",
        (
            "Lead group fitness classes and personal training sessions.",
            "Design exercise and nutrition programmes for clients.",
            "Assess client fitness levels and maintain gym equipment and safety.",
        ),
    ),
    "HEALTHCARE": (
        "Healthcare Professional",
        (
            "Provide patient care, assess patients and administer medication.",
            "Maintain medical records and coordinate with physicians and nurses.",
            "Educate patients and families on treatment and health care plans.",
        ),
    ),
    "HR": (
        "Human Resources Officer",
        (
            "Manage recruitment, interviewing and onboarding of new employees.",
            "Administer payroll, benefits and employee records.",
            "Advise managers on employee relations, performance management and HR policies.",
        ),
    ),
    "INFORMATION-TECHNOLOGY": (
        "IT Specialist",
        (
            "Install, configure and support computer hardware, software and networks.",
            "Administer servers, databases and user accounts and resolve help desk tickets.",
            "Manage IT projects, system upgrades and information security.",
        ),
    ),
    "PUBLIC-RELATIONS": (
        "Public Relations Officer",
        (
            "Write press releases and manage media relations and press coverage.",
            "Plan communication campaigns, events and the organisation's public image.",
            "Prepare speeches, newsletters and crisis communications.",
        ),
    ),
    "SALES": (
        "Sales Representative",
        (
            "Sell products to customers, meet sales targets and grow accounts.",
            "Prospect new clients, make sales calls and close deals.",
            "Provide customer service and product demonstrations in the store.",
        ),
    ),
    "TEACHER": (
        "Teacher",
        (
            "Plan lessons and teach students in the classroom.",
            "Assess student progress, grade assignments and communicate with parents.",
            "Manage classroom behaviour and adapt instruction to student needs.",
        ),
    ),
}


# --------------------------------------------------------------------------- metrics


def dcg(gains: Sequence[float], k: int) -> float:
    return float(sum(g / math.log2(i + 2) for i, g in enumerate(list(gains)[:k])))


def ndcg_at(ranked_gains: Sequence[float], all_gains: Sequence[float], k: int) -> float:
    """NDCG@k of one ranking: ``ranked_gains`` in ranked order, ideal from ``all_gains``."""
    ideal = dcg(sorted(all_gains, reverse=True), k)
    return dcg(ranked_gains, k) / ideal if ideal > 0 else 0.0


def order_by(scores: Sequence[float], ids: Sequence[str]) -> list[int]:
    """Indices by score descending, ties by id (deterministic for every method)."""
    return sorted(range(len(ids)), key=lambda i: (-float(scores[i]), str(ids[i])))


# --------------------------------------------------------------------------- data


def load_resumes(limit: int | None = None) -> tuple[list[str], list[str], list[str]]:
    """(ids, categories, texts); ``limit`` keeps the first ``limit`` resumes of each category."""
    import pandas as pd

    df = pd.read_csv(RESUMES, dtype={"ID": str}).fillna("")
    df = df[df["Resume_str"].str.strip() != ""]
    if limit:
        df = df.sort_values("ID", kind="stable").groupby("Category", group_keys=False).head(limit)
    return df["ID"].tolist(), df["Category"].tolist(), df["Resume_str"].tolist()


def load_ferr() -> tuple[dict[str, list[str]], dict[str, dict[str, int]]]:
    import pandas as pd

    queries = pd.read_csv(QUERIES)
    skills = {
        row.jd_id: [s.strip() for s in str(row.jd_skills).split("|") if s.strip()]
        for row in queries.itertuples()
    }
    qrels: dict[str, dict[str, int]] = {}
    for row in pd.read_csv(QRELS, dtype={"resume_id": str}).itertuples():
        qrels.setdefault(row.jd_id, {})[row.resume_id] = int(row.relevance_score_1to7)
    return skills, qrels


# --------------------------------------------------------------------------- methods


class DocEmbedder:
    """Whole-document embedding: one vector per text, cut at the model's input window (256 word
    pieces for MiniLM, 384 for mpnet) as sentence-transformers does."""

    def __init__(self, sentence_encoder: Any = None) -> None:
        from matcher.scoring.encoders import SentenceTransformerEncoder

        self.sentences = sentence_encoder or SentenceTransformerEncoder()
        self.model_id = f"{self.sentences.model_id}#whole-document-truncated"

    @property
    def dim(self) -> int:
        return int(self.sentences.dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self.sentences.model
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i]))
        vecs = model.encode(
            [texts[i] for i in order],
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        out = np.zeros((len(texts), vecs.shape[1]), dtype=np.float32)
        for row, i in enumerate(order):
            out[i] = vecs[row]
        return out


def cached(encoder: Any, name: str) -> Any:
    from matcher.scoring.cache import CachedEncoder, EmbeddingCache

    CACHE.mkdir(parents=True, exist_ok=True)
    ignore = CACHE / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    return CachedEncoder(encoder, EmbeddingCache(CACHE / f"{name}.sqlite", max_bytes=4 * 1024**3))


def tfidf_scores(query: str, docs: Sequence[str], fitted: Any = None) -> np.ndarray:

    vec, matrix = fitted or _fit_tfidf(docs)
    q = vec.transform([query])
    return (matrix @ q.T).toarray().ravel()


def _fit_tfidf(docs: Sequence[str]) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    return vec, vec.fit_transform(docs)


class BM25Index:
    def __init__(self, docs: Sequence[str]) -> None:
        import bm25s

        self.n = len(docs)
        self.retriever = bm25s.BM25()
        self.retriever.index(
            bm25s.tokenize(list(docs), stopwords="en", show_progress=False), show_progress=False
        )

    def scores(self, query: str) -> np.ndarray:
        import bm25s

        tokens = bm25s.tokenize([query], stopwords="en", show_progress=False, return_ids=False)[0]
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float64)


class MatcherRanker:
    """The matcher on plain texts: parse once, encode each distinct sentence once (cached).
    ``rerank_encoder``: the stronger model that re-scores the first tier's top k
    (``matcher.scoring.rerank``, ``ScoringConfig.rerank_k``)."""

    def __init__(self, encoder: Any, rerank_encoder: Any = None) -> None:
        from matcher.scoring.matcher import Matcher

        self.m = Matcher(encoder)
        self.vectors: dict[str, np.ndarray] = {}
        self.prepared: dict[str, Any] = {}
        self.rerank_encoder = rerank_encoder
        self.rerank_seconds = 0.0

    def add_docs(self, ids: Sequence[str], texts: Sequence[str], progress: bool = True) -> None:
        from matcher.errors import MatcherError
        from matcher.features.cv import parse_cv
        from matcher.types import CandidateProfile

        new: list[str] = []
        for cid, text in zip(ids, texts, strict=True):
            if cid in self.prepared:
                continue
            try:
                profile = parse_cv(text, candidate_id=cid)
            except MatcherError:
                profile = CandidateProfile(id=cid, text=text, blind_text=text)
            prep = self.m.prepare_candidate(profile)
            self.prepared[cid] = prep
            new.extend(prep.texts())
        self._embed(new, progress)

    def _embed(self, texts: Sequence[str], progress: bool = True) -> None:
        missing = [t for t in dict.fromkeys(texts) if t and t.strip() and t not in self.vectors]
        step = 4096
        t0 = time.perf_counter()
        for i in range(0, len(missing), step):
            chunk = missing[i : i + step]
            vecs = self.m.encoder.encode(chunk)
            for t, v in zip(chunk, vecs, strict=True):
                self.vectors[t] = v
            if progress:
                log.info(
                    "matcher: encoded %d/%d texts (%.0f s)",
                    min(i + step, len(missing)),
                    len(missing),
                    time.perf_counter() - t0,
                )

    def scores(self, vacancy: Any, ids: Sequence[str]) -> tuple[np.ndarray, list[Any]]:
        pv = self.m.prepare_vacancy(vacancy)
        self._embed(pv.texts(), progress=False)
        results = self.m.score_many(pv, [self.prepared[i] for i in ids], self.vectors)
        return np.array([r.score for r in results], dtype=np.float64), results

    def reranked(
        self, vacancy: Any, ids: Sequence[str], results: Sequence[Any]
    ) -> tuple[np.ndarray, list[int], dict[str, np.ndarray]]:
        """The order with the first tier's top k re-scored by the re-ranker (as
        ``ScoringConfig.rerank_model`` orders it): a score per CV that puts the top k first in
        their new order, the top k's indices (first-tier order) and their re-scored components."""
        from matcher.scoring.rerank import rerank_values, rescore_result

        cfg = self.m.config
        pv = self.m.prepare_vacancy(vacancy)
        first = np.array([r.score for r in results], dtype=np.float64)
        top = order_by(first, ids)[: cfg.rerank_k]
        t0 = time.perf_counter()
        values = rerank_values(pv, [self.prepared[ids[i]] for i in top], self.rerank_encoder, cfg)
        self.rerank_seconds += time.perf_counter() - t0
        model = self.rerank_encoder.model_id
        new = [rescore_result(results[i], v, cfg, model) for i, v in zip(top, values, strict=True)]
        out = first.copy()
        out[top] = 2.0 + np.array([r.score for r in new])  # the top k stay above the rest
        return out, top, component_values(new)


class ToyEncoder:
    """Hashed bag of words (for the smoke run only: exercises every path in seconds)."""

    model_id = "toy-bag-of-words"
    dim = 256

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import re
        import zlib

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]{3,}", text.lower()):
                out[i, zlib.crc32(word.encode()) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def toy_vacancy(vid: str, title: str, duties: Sequence[str]) -> Any:
    from matcher.types import Vacancy

    return Vacancy(id=vid, title=title, duties=tuple(duties))


# --------------------------------------------------------------------------- components


class Group(NamedTuple):
    """One query's judged CVs: relevance gains, matcher's component values, every method's
    scores (what the ablation and the learned weights are computed from after the run)."""

    query: str
    ids: list[str]
    gains: list[float]
    components: dict[str, np.ndarray]
    scores: dict[str, np.ndarray]
    #: the re-ranker's top k (indices into ids, first-tier order) and their re-scored components
    rerank: tuple[list[int], dict[str, np.ndarray]] | None = None


def component_values(results: Sequence[Any]) -> dict[str, np.ndarray]:
    """Per component of :data:`COMPONENTS`, its value for each result (NaN where it does not
    apply)."""
    from matcher.scoring.config import COMPONENTS

    out = {name: np.full(len(results), np.nan) for name in COMPONENTS}
    for i, r in enumerate(results):
        for p in r.parts:
            if p.weight > 0:
                out[p.name][i] = p.value
    return out


def combine(components: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """The matcher's score from component values and weights: the weighted mean over the
    components that apply (what :func:`matcher.scoring.explanation.weighted_terms` computes)."""
    n = len(next(iter(components.values())))
    num, den = np.zeros(n), np.zeros(n)
    for name, w in weights.items():
        v = components.get(name)
        if v is None or w <= 0:
            continue
        here = ~np.isnan(v)
        num += np.where(here, w * np.nan_to_num(v), 0.0)
        den += np.where(here, w, 0.0)
    return np.divide(num, den, out=np.zeros(n), where=den > 0)


def ndcg_of(group: Group, scores: np.ndarray, k: int) -> float:
    ranked = [group.gains[i] for i in order_by(scores, group.ids)]
    return ndcg_at(ranked, group.gains, k)


def _mean_ndcg(groups: Sequence[Group], score: Any, k: int) -> float:
    return float(np.mean([ndcg_of(g, score(g), k) for g in groups])) if groups else float("nan")


def learned_weights(groups: Sequence[Group], names: Sequence[str]) -> dict[str, float]:
    """:func:`matcher.scoring.combiner.learn_weights` on the groups' component values (a
    component that does not apply counts 0: within a query it is the same for every CV)."""
    from matcher.scoring.combiner import learn_weights

    X = np.vstack(
        [np.column_stack([np.nan_to_num(g.components[n]) for n in names]) for g in groups]
    )
    gains = [x for g in groups for x in g.gains]
    ids = [g.query for g in groups for _ in g.ids]
    return learn_weights(X, gains, ids, names)


def cross_validated(
    groups: Sequence[Group], names: Sequence[str], folds: int = 10
) -> tuple[dict[str, np.ndarray], list[dict[str, float]]]:
    """Scores of every query from weights learned on the other folds' queries only (folds
    grouped by query: a query is never scored by weights that saw it), and each fold's weights."""
    order = sorted(range(len(groups)), key=lambda i: groups[i].query)
    fold_of = {groups[i].query: k % folds for k, i in enumerate(order)}
    scores: dict[str, np.ndarray] = {}
    fitted: list[dict[str, float]] = []
    for f in range(folds):
        held = [g for g in groups if fold_of[g.query] == f]
        if not held:
            continue
        weights = learned_weights([g for g in groups if fold_of[g.query] != f], names)
        fitted.append(weights)
        for g in held:
            scores[g.query] = combine(g.components, weights)
    return scores, fitted


def top_scores(group: Group, values: np.ndarray) -> np.ndarray:
    """Scores that keep the re-ranker's top k above the rest, ordered among themselves by
    ``values`` (one per top-k row), the rest in the first tier's order."""
    assert group.rerank is not None
    out = np.asarray(group.scores["matcher"], dtype=np.float64).copy()
    out[group.rerank[0]] = 2.0 + np.asarray(values, dtype=np.float64)
    return out


def rerank_rows(
    groups: Sequence[Group],
    names: Sequence[str],
    rows: dict[str, dict[str, float]],
    table: Any,
    shipped: dict[str, float],
) -> dict[str, Any]:
    """The re-ranker's rows of the ablation: shipped weights (nothing learned), its title and
    profile alone and left out, and weights learned on its top-k components, cross-validated
    by query (the same folds as the first tier's)."""
    def top_group(g: Group) -> Group:
        assert g.rerank is not None
        top, comps = g.rerank
        return Group(g.query, [g.ids[i] for i in top], [g.gains[i] for i in top], comps, {})

    tops = {g.query: top_group(g) for g in groups}
    rows[f"{RERANKED}, shipped weights"] = table(lambda g: g.scores[RERANKED])
    for n in ("title", "profile"):  # the stronger model for one component, MiniLM for the other

        def one(g: Group, n: str = n) -> np.ndarray:
            assert g.rerank is not None
            top = g.rerank[0]
            mixed = {k: v[top] for k, v in g.components.items()}
            mixed[n] = tops[g.query].components[n]
            return top_scores(g, combine(mixed, shipped))

        rows[f"{RERANKED}, only its {n}, shipped weights"] = table(one)
    for n in ("title", "profile"):
        rows[f"{RERANKED}, {n} alone in the top k"] = table(
            lambda g, n=n: top_scores(g, np.nan_to_num(tops[g.query].components[n]))
        )
    cv_scores, fitted = cross_validated(list(tops.values()), names)
    rows[f"{RERANKED}, learned weights, cross-validated by query"] = table(
        lambda g: top_scores(g, cv_scores[g.query])
    )
    return {
        "rerank_weights_all_queries": {
            k: round(v, 4) for k, v in learned_weights(list(tops.values()), names).items()
        },
        "rerank_weights_per_fold_range": {
            n: [round(min(w[n] for w in fitted), 4), round(max(w[n] for w in fitted), 4)]
            for n in names
        },
    }


def analyse(ferr: Sequence[Group], pool: Sequence[Group]) -> dict[str, Any]:
    """Ablation (each component alone, each left out), learned weights (cross-validated by query
    over both sets) and the queries where the shipped score loses most to the whole document."""
    from matcher.scoring.config import COMPONENTS, ScoringConfig

    shipped = ScoringConfig().weights()
    sets = {"ferr": list(ferr), "category": list(pool)}
    measures = {"ferr": ("ndcg@5", "ndcg@10"), "category": ("ndcg@10",)}
    used = [
        n for n in COMPONENTS
        if any(np.nanstd(g.components[n]) > 0 for gs in sets.values() for g in gs
               if not np.all(np.isnan(g.components[n])))
    ]  # fmt: skip

    def table(score: Any) -> dict[str, float]:
        return {
            f"{name} {m}": round(_mean_ndcg(gs, score, int(m.split("@")[1])), 4)
            for name, gs in sets.items()
            for m in measures[name]
            if gs
        }

    rows: dict[str, dict[str, float]] = {"shipped weights": table(lambda g: g.scores["matcher"])}
    rows["whole document (embed_doc)"] = table(lambda g: g.scores["embed_doc"])
    for n in used:
        rows[f"{n} alone"] = table(lambda g, n=n: np.nan_to_num(g.components[n]))
    for n in used:
        rest = {k: w for k, w in shipped.items() if k != n}
        if sum(rest.values()) > 0:
            rows[f"without {n}"] = table(lambda g, rest=rest: combine(g.components, rest))
    out: dict[str, Any] = {"components_seen": used, "ablation": rows}
    everything = [g for gs in sets.values() for g in gs]
    if len(everything) >= 4:
        cv_scores, fitted = cross_validated(everything, used)
        rows["learned weights, cross-validated by query"] = table(lambda g: cv_scores[g.query])
        out["weights_all_queries"] = {
            k: round(v, 4) for k, v in learned_weights(everything, used).items()
        }
        out["weights_per_fold_range"] = {
            n: [round(min(w[n] for w in fitted), 4), round(max(w[n] for w in fitted), 4)]
            for n in used
        }
    reranked = [g for g in everything if g.rerank is not None]
    if reranked:
        out.update(rerank_rows(reranked, used, rows, table, shipped))
    losses: dict[str, list[dict[str, Any]]] = {}
    for name, gs in sets.items():
        k = 10
        per = [
            {
                "query": g.query,
                "matcher": round(ndcg_of(g, g.scores["matcher"], k), 3),
                "embed_doc": round(ndcg_of(g, g.scores["embed_doc"], k), 3),
                "duties alone": round(ndcg_of(g, np.nan_to_num(g.components["duties"]), k), 3),
            }
            for g in gs
        ]
        per.sort(key=lambda r: r["matcher"] - r["embed_doc"])
        losses[name] = per
    out["per_query_ndcg@10"] = losses
    return out


# --------------------------------------------------------------------------- measurements


def measure_ferr(
    matcher_ranker: MatcherRanker,
    doc_encoder: Any,
    texts_by_id: dict[str, str],
    *,
    limit: int | None = None,
) -> dict[str, Any]:
    skills, qrels = load_ferr()
    jds = sorted(qrels)[:limit] if limit else sorted(qrels)
    ids_all = sorted({rid for jd in jds for rid in qrels[jd] if rid in texts_by_id})
    matcher_ranker.add_docs(ids_all, [texts_by_id[i] for i in ids_all])
    doc_vecs = dict(
        zip(ids_all, doc_encoder.encode([texts_by_id[i] for i in ids_all]), strict=True)
    )
    per: dict[str, dict[str, list[float]]] = {m: {"ndcg@5": [], "ndcg@10": []} for m in METHODS}
    per["random"] = {"ndcg@5": [], "ndcg@10": []}
    rng = np.random.default_rng(0)
    groups: list[Group] = []
    for jd in jds:
        ids = sorted(r for r in qrels[jd] if r in texts_by_id)
        if len(ids) < 2 or not skills.get(jd):
            continue
        gains = [qrels[jd][i] - 1 for i in ids]
        docs = [texts_by_id[i] for i in ids]
        query = ", ".join(skills[jd])
        vacancy = toy_vacancy(jd, "", skills[jd])
        matcher_scores, results = matcher_ranker.scores(vacancy, ids)
        scores: dict[str, np.ndarray] = {
            "tfidf": tfidf_scores(query, docs),
            "bm25": BM25Index(docs).scores(query),
            "embed_doc": np.array([doc_vecs[i] for i in ids]) @ doc_encoder.encode([query])[0],
            "matcher": matcher_scores,
        }
        rerank = None
        if matcher_ranker.rerank_encoder is not None:
            scores[RERANKED], top, comps = matcher_ranker.reranked(vacancy, ids, results)
            rerank = (top, comps)
        groups.append(Group(f"ferr:{jd}", ids, gains, component_values(results), scores, rerank))
        for method, s in scores.items():
            ranked = [gains[i] for i in order_by(s, ids)]
            for k in (5, 10):
                per.setdefault(method, {"ndcg@5": [], "ndcg@10": []})
                per[method][f"ndcg@{k}"].append(ndcg_at(ranked, gains, k))
        for k in (5, 10):
            vals = [
                ndcg_at([gains[i] for i in rng.permutation(len(ids))], gains, k) for _ in range(200)
            ]
            per["random"][f"ndcg@{k}"].append(float(np.mean(vals)))
    n = len(per["matcher"]["ndcg@5"])
    return {
        "queries": n,
        "judgements": sum(len([r for r in qrels[jd] if r in texts_by_id]) for jd in jds),
        "gain": "relevance score - 1 (0..6), linear",
        "methods": {
            m: {k: round(float(np.mean(v)), 4) for k, v in d.items()} for m, d in per.items()
        },
        "matcher_wins_per_query_ndcg@10": {
            m: int(
                sum(
                    a > b for a, b in zip(per["matcher"]["ndcg@10"], per[m]["ndcg@10"], strict=True)
                )
            )
            for m in ("tfidf", "bm25", "embed_doc")
        },
        "_groups": groups,
    }


def stuffed_text(base: str, duties: Sequence[str]) -> str:
    return "SUMMARY\n" + " ".join(duties) + "\n\n" + base


def measure_pool(
    matcher_ranker: MatcherRanker,
    doc_encoder: Any,
    ids: list[str],
    cats: list[str],
    texts: list[str],
) -> dict[str, Any]:
    matcher_ranker.add_docs(ids, texts)
    doc_matrix = doc_encoder.encode(texts)
    tfidf_fit = _fit_tfidf(texts)
    bm25 = BM25Index(texts)
    per: dict[str, dict[str, list[float]]] = {m: {"ndcg@10": [], "p@10": []} for m in METHODS}
    attack: dict[str, list[int]] = {m: [] for m in METHODS}
    gained: dict[str, list[int]] = {m: [] for m in METHODS}
    by_cat: dict[str, dict[str, float]] = {}
    groups: list[Group] = []
    categories = [c for c in CATEGORY_QUERIES if c in set(cats)]
    for ci, cat in enumerate(categories):
        title, duties = CATEGORY_QUERIES[cat]
        query = title + ". " + " ".join(duties)
        vac = toy_vacancy(cat, title, duties)
        rel = [1.0 if c == cat else 0.0 for c in cats]
        matcher_scores, results = matcher_ranker.scores(vac, ids)
        scores = {
            "tfidf": tfidf_scores(query, texts, tfidf_fit),
            "bm25": bm25.scores(query),
            "embed_doc": doc_matrix @ doc_encoder.encode([query])[0],
            "matcher": matcher_scores,
        }
        rerank = None
        if matcher_ranker.rerank_encoder is not None:
            scores[RERANKED], top, comps = matcher_ranker.reranked(vac, ids, results)
            rerank = (top, comps)
        groups.append(
            Group(f"category:{cat}", list(ids), rel, component_values(results), scores, rerank)
        )
        by_cat[cat] = {}
        for method, s in scores.items():
            per.setdefault(method, {"ndcg@10": [], "p@10": []})
            ranked = [rel[i] for i in order_by(s, ids)]
            per[method]["ndcg@10"].append(ndcg_at(ranked, rel, 10))
            per[method]["p@10"].append(sum(ranked[:10]) / 10)
            by_cat[cat][method] = round(per[method]["ndcg@10"][-1], 3)
        # attack: an off-category resume with this query's duties pasted in joins the pool
        other = categories[(ci + len(categories) // 2) % len(categories)]
        victim = next(i for i, c in enumerate(cats) if c == other)
        fake_id, fake = f"stuffed-{cat}", stuffed_text(texts[victim], duties)
        matcher_ranker.add_docs([fake_id], [fake], progress=False)
        fake_scores = {
            "tfidf": tfidf_scores(query, [fake], tfidf_fit)[0],
            "bm25": BM25Index(texts + [fake]).scores(query)[-1],
            "embed_doc": float(doc_encoder.encode([fake])[0] @ doc_encoder.encode([query])[0]),
            "matcher": float(matcher_ranker.scores(vac, [fake_id])[0][0]),
        }
        bm25_all = BM25Index(texts + [fake]).scores(query)[:-1]
        for method in METHODS:
            base = np.asarray(bm25_all if method == "bm25" else scores[method])
            rank_fake = int(1 + np.sum(base > fake_scores[method]))
            rank_orig = int(1 + np.sum(np.delete(base, victim) > base[victim]))
            attack[method].append(rank_fake)
            gained[method].append(rank_orig - rank_fake)
        log.info("pool: %s done", cat)
    return {
        "resumes": len(ids),
        "queries": len(categories),
        "methods": {
            m: {k: round(float(np.mean(v)), 4) for k, v in d.items()} for m, d in per.items()
        },
        "ndcg@10_by_category": by_cat,
        "stuffing_attack": {
            m: {
                "median_rank": float(np.median(r)),
                "mean_rank": round(float(np.mean(r)), 1),
                "in_top10": int(sum(x <= 10 for x in r)),
                "ranked_first": int(sum(x == 1 for x in r)),
                "median_places_gained": float(np.median(gained[m])),
                "of": len(r),
            }
            for m, r in attack.items()
        },
        "_groups": groups,
    }


def measure_samples(matcher_ranker: MatcherRanker, doc_encoder: Any) -> dict[str, Any]:
    """SEC000821 and the sample CVs: where the cheating CVs land under each method."""
    from matcher import load_cvs, load_vacancy

    vacancy = load_vacancy(SEED)
    m = matcher_ranker.m
    pool = load_cvs(SAMPLES, reference_date=m.prepare_vacancy(vacancy).reference)
    profiles = sorted(pool.profiles, key=lambda p: p.id)
    ids = [p.id for p in profiles]
    texts = [p.text for p in profiles]  # what a baseline reads (hidden text included)
    query = " ".join(vacancy.duties) + " " + vacancy.qualifications
    frame = m.rank(vacancy, profiles, progress=False)
    scores = {
        "tfidf": tfidf_scores(query, texts),
        "bm25": BM25Index(texts).scores(query),
        "embed_doc": doc_encoder.encode(texts) @ doc_encoder.encode([query])[0],
    }
    out: dict[str, Any] = {"pool": len(ids), "vacancy": vacancy.id, "ranks": {}}
    watch = [
        "sec821_keyword_stuffing",
        "sec821_hidden_white_text",
        "sec821_master_qualified",
        "sec821_bachelor_substitution",
    ]
    for method, s in scores.items():
        order = [ids[i] for i in order_by(s, ids)]
        out["ranks"][method] = {w: order.index(w) + 1 for w in watch if w in order}
    matcher_order = frame["candidate_id"].tolist()
    by_score = frame.sort_values(["score", "candidate_id"], ascending=[False, True])
    score_order = by_score["candidate_id"].tolist()
    out["ranks"]["matcher"] = {w: matcher_order.index(w) + 1 for w in watch if w in matcher_order}
    out["ranks"]["matcher_fit_score_only"] = {
        w: score_order.index(w) + 1 for w in watch if w in score_order
    }
    return out


# --------------------------------------------------------------------------- report


def _scope(pool: dict[str, Any]) -> str:
    n = pool.get("per_category", "all")
    return "all resumes" if n == "all" else f"the first {n} of each category by ID"


def _load(results: dict[str, Any]) -> str:
    """The machine's 1-minute load average over the run (the machine is shared)."""
    if "load_start" not in results:
        return ""
    start, end = results["load_start"], results["load_end"]
    return f", load average {start:g} at the start, {end:g} at the end"


def write_report(results: dict[str, Any], out_dir: Path) -> None:
    """Merge ``results`` into ranking_quality.json (sections of earlier runs are kept) and
    rewrite ranking_quality.md from the merged figures."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "ranking_quality.json"
    merged = json.loads(path.read_text()) if path.exists() else {}
    if merged.get("smoke") != results.get("smoke"):
        merged = {}
    merged.update(results)
    results = merged
    path.write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Ranking quality: matcher vs baselines",
        "",
        f"Run {results['date']} on {results['machine']}; "
        f"{results['seconds']:.0f} s{_load(results)}. Produced by `benchmarks/ranking_quality.py`.",
        "",
    ]
    ferr = results.get("ferr")
    if ferr:
        lines += [
            f"## 1. Graded human relevance (FERR: {ferr['queries']} job queries, "
            f"{ferr['judgements']} judgements)",
            "",
            "| method | NDCG@5 | NDCG@10 |",
            "|---|---|---|",
        ]
        for m, v in ferr["methods"].items():
            lines.append(f"| {m} | {v['ndcg@5']:.4f} | {v['ndcg@10']:.4f} |")
        wins = ferr["matcher_wins_per_query_ndcg@10"]
        lines += [
            "",
            "Queries where matcher's NDCG@10 is strictly higher: "
            + ", ".join(f"vs {k} {v}/{ferr['queries']}" for k, v in wins.items()),
            "",
        ]
    pool = results.get("pool")
    if pool:
        lines += [
            f"## 2. Category relevance ({pool['resumes']} resumes: {_scope(pool)}; "
            f"{pool['queries']} vacancy-like queries)",
            "",
            "| method | NDCG@10 | P@10 |",
            "|---|---|---|",
        ]
        for m, v in pool["methods"].items():
            lines.append(f"| {m} | {v['ndcg@10']:.4f} | {v['p@10']:.4f} |")
        lines += [
            "",
            "## 3a. Keyword-stuffing attack in the pool",
            "",
            "An off-category resume with the query's duties pasted in is added to the pool "
            "(one per query). Its rank (1 = top), and how many places the paste gained it over "
            "the same resume unstuffed:",
            "",
            "| method | median rank | mean rank | in top 10 | first | median places gained |",
            "|---|---|---|---|---|---|",
        ]
        for m, v in pool["stuffing_attack"].items():
            lines.append(
                f"| {m} | {v['median_rank']:g} | {v['mean_rank']} | "
                f"{v['in_top10']}/{v['of']} | {v['ranked_first']}/{v['of']} | "
                f"{v.get('median_places_gained', '')} |"
            )
        lines.append("")
    samples = results.get("samples")
    if samples:
        lines += [
            f"## 3b. Sample CVs for {samples['vacancy']} ({samples['pool']} CVs)",
            "",
            "Rank of each CV (1 = top); `matcher` is the final order (eligibility first).",
            "",
        ]
        watch = sorted({w for r in samples["ranks"].values() for w in r})
        lines += ["| method | " + " | ".join(watch) + " |", "|---" * (len(watch) + 1) + "|"]
        for m, r in samples["ranks"].items():
            lines.append(f"| {m} | " + " | ".join(str(r.get(w, "")) for w in watch) + " |")
        lines.append("")
    analysis = results.get("analysis")
    if analysis:
        cols = sorted({c for r in analysis["ablation"].values() for c in r})
        lines += [
            "## 4. Ablation: each component alone, each left out, learned weights",
            "",
            "Component values are those of the matcher run above; `shipped weights` is the "
            "matcher row of sections 1 and 2. `learned weights, cross-validated by query`: each "
            "query is scored with weights learned (pairwise logistic regression, "
            "`matcher.scoring.combiner.learn_weights`) on the other folds' queries of both sets "
            "only (10 folds grouped by query).",
            "",
            "| variant | " + " | ".join(cols) + " |",
            "|---" * (len(cols) + 1) + "|",
        ]
        for name, row in analysis["ablation"].items():
            lines.append(
                f"| {name} | " + " | ".join(f"{row[c]:.4f}" if c in row else "" for c in cols)
                + " |"
            )
        if analysis.get("weights_all_queries"):
            lines += [
                "",
                "Weights learned on all queries (what ScoringConfig ships, rescaled): "
                + ", ".join(f"{k} {v:.3f}" for k, v in analysis["weights_all_queries"].items())
                + "; range over the folds: "
                + ", ".join(
                    f"{k} {lo:.2f}-{hi:.2f}"
                    for k, (lo, hi) in analysis["weights_per_fold_range"].items()
                ),
            ]
        if analysis.get("rerank_weights_all_queries"):
            rr = results.get("rerank", {})
            lines += [
                "",
                f"`{RERANKED}`: the first tier's top {rr.get('k', '')} re-scored by "
                f"{rr.get('model', 'the stronger model')} (title and profile; "
                "`matcher.scoring.rerank`), the rest in the first tier's order. With shipped "
                "weights nothing is learned; its learned weights (on the top-k rows only, same "
                "folds): "
                + ", ".join(
                    f"{k} {v:.3f}" for k, v in analysis["rerank_weights_all_queries"].items()
                )
                + "; range over the folds: "
                + ", ".join(
                    f"{k} {lo:.2f}-{hi:.2f}"
                    for k, (lo, hi) in analysis["rerank_weights_per_fold_range"].items()
                ),
            ]
        lines += ["", "### Where the shipped score loses most to the whole document (NDCG@10)", ""]
        for name, per in analysis["per_query_ndcg@10"].items():
            worse = [r for r in per if r["matcher"] < r["embed_doc"]]
            lines += [
                f"{name}: matcher below embed_doc on {len(worse)} of {len(per)} queries; "
                "the ten largest gaps:",
                "",
                "| query | matcher | embed_doc | duties alone |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {r['query']} | {r['matcher']:.3f} | {r['embed_doc']:.3f} | "
                f"{r['duties alone']:.3f} |"
                for r in per[:10]
            ]
            lines.append("")
    if results.get("notes"):
        lines += ["## Where matcher loses, and why", ""] + [f"- {n}" for n in results["notes"]]
    (out_dir / "ranking_quality.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny subset (seconds)")
    parser.add_argument("--skip-pool", action="store_true", help="skip the 2,484-resume pool")
    parser.add_argument("--skip-ferr", action="store_true", help="skip the FERR judgements")
    parser.add_argument(
        "--pool-per-category",
        type=int,
        default=None,
        help="pool of the first N resumes of each category (default: all 2,484)",
    )
    parser.add_argument(
        "--no-rerank", action="store_true", help="no matcher+rerank row (all-mpnet-base-v2)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    parser.add_argument(
        "--notes-only",
        action="store_true",
        help="measure nothing: rewrite the report from the recorded figures with the current notes",
    )
    args = parser.parse_args(argv)
    notes_path = Path(__file__).with_name("ranking_quality_notes.json")
    if args.notes_only:
        write_report({"smoke": False, "notes": json.loads(notes_path.read_text())}, args.out)
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    from matcher.scoring.encoders import SentenceTransformerEncoder

    t0 = time.perf_counter()
    if args.smoke:
        encoder, doc_encoder, rerank_encoder = ToyEncoder(), ToyEncoder(), ToyEncoder()
    else:
        from matcher.scoring.rerank import rerank_encoder as stronger

        encoder = cached(SentenceTransformerEncoder(), "sentences")
        doc_encoder = cached(DocEmbedder(), "documents")
        rerank_encoder = cached(stronger("mpnet"), "rerank")
    ranker = MatcherRanker(encoder, None if args.no_rerank else rerank_encoder)
    per_category = 1 if args.smoke else args.pool_per_category
    ids, cats, texts = load_resumes(limit=per_category)
    all_ids, _, all_texts = load_resumes() if per_category else (ids, cats, texts)
    texts_by_id = dict(zip(all_ids, all_texts, strict=True))
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "load_start": round(os.getloadavg()[0], 2),
        "smoke": bool(args.smoke),
        "encoder": encoder.model_id,
    }
    if not args.skip_ferr:
        limit = 1 if args.smoke else None
        results["ferr"] = measure_ferr(ranker, doc_encoder, texts_by_id, limit=limit)
        if SAMPLES.exists() and SEED.exists():
            results["samples"] = measure_samples(ranker, doc_encoder)
    if not args.skip_pool:
        results["pool"] = measure_pool(ranker, doc_encoder, ids, cats, texts)
        results["pool"]["per_category"] = per_category or "all"
    ferr_groups = results.get("ferr", {}).pop("_groups", [])
    pool_groups = results.get("pool", {}).pop("_groups", [])
    if ferr_groups or pool_groups:
        results["analysis"] = analyse(ferr_groups, pool_groups)
    if ranker.rerank_encoder is not None:
        results["rerank"] = {
            "model": ranker.rerank_encoder.model_id,
            "k": ranker.m.config.rerank_k,
            "seconds_incl_cached_encoding": round(ranker.rerank_seconds, 1),
        }
    results["seconds"] = time.perf_counter() - t0
    results["load_end"] = round(os.getloadavg()[0], 2)
    if notes_path.exists() and not args.smoke:
        results["notes"] = json.loads(notes_path.read_text())
    write_report(results, args.out)
    print(json.dumps({k: v for k, v in results.items() if k in ("ferr", "pool")}, indent=1)[:3000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

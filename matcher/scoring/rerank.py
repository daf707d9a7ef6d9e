"""A stronger encoder as a re-ranker of the first tier's top k (``ScoringConfig.rerank_model``).

The default encoder (MiniLM) ranks every CV; with ``rerank_model`` set, the ``rerank_k`` best
rows of each vacancy's final order are scored again with the title and profile components
computed by the stronger model, and only their order among themselves changes. Eligibility, every
other component, the rows below the top k and the explanation's arithmetic stay as they are: the
re-scored parts still add up to the re-scored score.

The stronger model reads few texts, so its cost stays bounded: per CV its titles held (the current
or last post and the headline, as the title component reads them) and its profile cut to
:data:`PROFILE_WORDS` words (the sentences the profile component counts, latest position first);
per vacancy its title and the post as one text. Encoding all of a CV's sentences with it would
cost about five times the default encoder's whole encoding of that CV.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from matcher.errors import ConfigError
from matcher.scoring.config import RERANK_MODELS, ScoringConfig
from matcher.scoring.encoders import MPNET_MODEL_ID, Encoder
from matcher.scoring.explanation import build_parts, explained
from matcher.scoring.fit import PreparedCandidate, PreparedVacancy, calibrate
from matcher.types import MatchResult

__all__ = [
    "PROFILE_WORDS",
    "RerankValues",
    "rerank_encoder",
    "profile_text",
    "rerank_values",
    "rescore_result",
    "rescore_values",
]

#: the model id each name of :data:`~matcher.scoring.config.RERANK_MODELS` stands for
_MODEL_IDS: Mapping[str, str] = {"mpnet": MPNET_MODEL_ID}

#: the profile text the re-ranker encodes: the first this many words of the sentences the profile
#: component counts (one input window of the model: the stronger model's cost per CV is bounded)
PROFILE_WORDS = 64

#: the components the re-ranker computes again (the others keep the first tier's values)
RESCORED: tuple[str, ...] = ("title", "profile")


def rerank_encoder(name: str, cache_dir: Any = None) -> Encoder:
    """The encoder ``ScoringConfig.rerank_model`` names (all-mpnet-base-v2 from its PyPI parts,
    SHA-256 verified: :func:`~matcher.scoring.encoders.mpnet_model_path`)."""
    from matcher.scoring.encoders import SentenceTransformerEncoder, mpnet_model_path

    if name not in RERANK_MODELS or name not in _MODEL_IDS:
        raise ConfigError(f"unknown rerank_model {name!r}; valid: {', '.join(RERANK_MODELS)}")
    return SentenceTransformerEncoder(mpnet_model_path(cache_dir), model_id=_MODEL_IDS[name])


def profile_text(candidate: PreparedCandidate, prep: PreparedVacancy) -> str:
    """The CV's profile as one text: the sentences the profile component counts (those of dated
    positions, or every sentence when none is dated), visible and not copied from the notice, in
    the CV's order (latest position first), cut to :data:`PROFILE_WORDS` words."""
    sentences = candidate.sentences
    hidden = candidate.hidden or (False,) * len(sentences)
    in_position = candidate.in_position or (False,) * len(sentences)
    any_position = any(in_position)
    words: list[str] = []
    detector = prep.copy_detector
    for s, pos, hid in zip(sentences, in_position, hidden, strict=False):
        if hid or (any_position and not pos) or not s.strip():
            continue
        if detector.is_copy(s):
            continue
        words.extend(s.split())
        if len(words) >= PROFILE_WORDS:
            break
    return " ".join(words[:PROFILE_WORDS])


def _held_titles(candidate: PreparedCandidate, prep: PreparedVacancy) -> list[str]:
    """The titles the title component compares (a title that copies the notice drops out)."""
    detector = prep.copy_detector
    return [t for t in candidate.title_texts if t and t.strip() and not detector.is_copy(t)]


@dataclass(frozen=True, slots=True)
class RerankValues:
    """The stronger model's title and profile for one pair: cosine, value in [0, 1] (None where
    the component does not apply), and the title held that gave the title value."""

    title_sim: float
    title: float | None
    title_held: str
    profile_sim: float
    profile: float | None


def rerank_texts(prep: PreparedVacancy, candidates: Sequence[PreparedCandidate]) -> list[str]:
    """Every text the re-ranker encodes for these pairs, without duplicates."""
    out: list[str] = [prep.title, prep.profile_query]
    for c in candidates:
        out += _held_titles(c, prep) + [profile_text(c, prep)]
    return list(dict.fromkeys(t for t in out if t and t.strip()))


def rerank_values(
    prep: PreparedVacancy,
    candidates: Sequence[PreparedCandidate],
    encoder: Encoder,
    config: ScoringConfig,
) -> list[RerankValues]:
    """The stronger model's title and profile values of each candidate against ``prep``."""
    texts = rerank_texts(prep, candidates)
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32) if texts else np.zeros((0, 1))
    row = {t: i for i, t in enumerate(texts)}

    def cos(a: str, b: str) -> float:
        if a not in row or b not in row:
            return 0.0
        return float(np.dot(vectors[row[a]], vectors[row[b]]))

    out: list[RerankValues] = []
    for c in candidates:
        title_sim, title_value, held_best = 0.0, None, ""
        if prep.title:
            held = _held_titles(c, prep)
            sims = [cos(prep.title, t) for t in held]
            if sims:
                j = int(np.argmax(sims))
                title_sim, held_best = sims[j], held[j]
            title_value = float(calibrate(title_sim, config.title_floor, config.title_ceiling))
        profile_sim, profile_value = 0.0, None
        if prep.profile_query:
            profile_sim = cos(prep.profile_query, profile_text(c, prep))
            profile_value = float(
                calibrate(profile_sim, config.profile_floor, config.profile_ceiling)
            )
        out.append(RerankValues(title_sim, title_value, held_best, profile_sim, profile_value))
    return out


def rescore_values(
    values: Mapping[str, float | None], new: RerankValues
) -> dict[str, float | None]:
    """The component values with the re-ranker's title and profile in place of the first tier's
    (a component that did not apply still does not)."""
    out = dict(values)
    if out.get("title") is not None:
        out["title"] = new.title if new.title is not None else out["title"]
    if out.get("profile") is not None:
        out["profile"] = new.profile if new.profile is not None else out["profile"]
    return out


def rescore_result(
    result: MatchResult,
    new: RerankValues,
    config: ScoringConfig,
    model_id: str,
    *,
    copied: Sequence[str] = (),
) -> MatchResult:
    """``result`` with the re-ranker's title and profile: new parts that add up to the new score,
    the same checks, eligibility and duty evidence, and the explanation written again
    (``copied``: the CV's sentences that copy the notice, listed in it as the first tier lists
    them)."""
    values: dict[str, float | None] = {
        p.name: (p.value if p.weight > 0 else None) for p in result.parts
    }
    details = {p.name: p.detail for p in result.parts}
    model = model_id.rsplit("/", 1)[-1]
    if values.get("title") is not None:
        details["title"] = (
            f"'{new.title_held}' against the post's title, re-ranked by {model} "
            f"({new.title_sim:.2f})"
            if new.title_held
            else details.get("title", "")
        )
    if values.get("profile") is not None:
        details["profile"] = (
            f"the CV's profile against the post's title and duties, re-ranked by {model} "
            f"({new.profile_sim:.2f})"
        )
    parts, score = build_parts(
        rescore_values(values, new), config.weights(), details, decimals=config.decimals
    )
    return explained(replace(result, score=score, parts=parts), copied=copied)


def is_missing(value: Any) -> bool:
    """Whether a frame cell holds no value (None or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def copied_sentences(candidate: PreparedCandidate, prep: PreparedVacancy) -> list[str]:
    """The CV's sentences that copy the notice (what the explanation lists)."""
    return [s for s in candidate.sentences if s.strip() and prep.copy_detector.is_copy(s)]


def top_rows(ranks: Sequence[int], errors: Sequence[bool], k: int) -> list[int]:
    """Indices of the ``k`` best scored rows (rank 1..k, error rows never), best first."""
    scored = [i for i in range(len(ranks)) if not errors[i]]
    return sorted(scored, key=lambda i: ranks[i])[:k]


def rerank_frame(
    frame: Any,
    vacancies: Sequence[PreparedVacancy],
    candidates: Mapping[str, PreparedCandidate],
    encoder: Encoder,
    config: ScoringConfig,
) -> Any:
    """A ranked pool frame (``vacancy_id``, ``rank``, ``score``, the components, ...) with each
    vacancy's ``config.rerank_k`` best rows re-scored by ``encoder`` and ordered again among
    themselves (:func:`~matcher.scoring.ranking.rank_key`); every other row and column stays."""
    from matcher.scoring.config import COMPONENTS
    from matcher.scoring.ranking import rank_key

    if frame is None or frame.empty:
        return frame
    frame = frame.copy()
    by_id = {pv.vacancy.id: pv for pv in vacancies}
    weights = config.weights()
    has_missing = "missing_data" in frame.columns
    for vacancy_id, index in frame.groupby("vacancy_id", sort=False).groups.items():
        prep = by_id.get(str(vacancy_id))
        if prep is None:
            continue
        rows = list(index)
        ranks = frame.loc[rows, "rank"].tolist()
        errors = [bool(e) for e in frame.loc[rows, "error"].fillna("").tolist()]
        top = [rows[i] for i in top_rows(ranks, errors, config.rerank_k)]
        top = [r for r in top if str(frame.at[r, "candidate_id"]) in candidates]
        if not top:
            continue
        cands = [candidates[str(frame.at[r, "candidate_id"])] for r in top]
        new = rerank_values(prep, cands, encoder, config)
        for r, values in zip(top, new, strict=True):
            old = {
                n: (None if is_missing(v := frame.at[r, n]) else float(v)) for n in COMPONENTS
            }
            parts, score = build_parts(
                rescore_values(old, values), weights, {}, decimals=config.decimals
            )
            frame.at[r, "score"] = score
            for p in parts:
                if p.name in RESCORED and p.weight > 0:
                    frame.at[r, p.name] = p.value
        slots = sorted(frame.loc[top, "rank"].tolist())
        order = sorted(
            top,
            key=lambda r: rank_key(
                frame.at[r, "eligibility"], frame.at[r, "score"], frame.at[r, "candidate_id"],
                config, missing_data=bool(frame.at[r, "missing_data"]) if has_missing else False,
            ),
        )  # fmt: skip
        for r, slot in zip(order, slots, strict=True):
            frame.at[r, "rank"] = slot
    # rows vacancy by vacancy (in the order they come), each in its new rank order
    first = {v: i for i, v in enumerate(dict.fromkeys(frame["vacancy_id"].tolist()))}
    group = np.array([first[v] for v in frame["vacancy_id"].tolist()], dtype=np.int64)
    final = np.lexsort((frame["rank"].to_numpy(dtype=np.int64), group))
    return frame.iloc[final].reset_index(drop=True)

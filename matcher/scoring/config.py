"""One frozen object holding every weight and threshold of scoring.

Change it with :func:`dataclasses.replace`; save and load it with :meth:`ScoringConfig.to_dict` /
:meth:`ScoringConfig.from_dict`. Similarity thresholds depend on the encoder (MiniLM and USE put
related sentences on different scales), so :meth:`ScoringConfig.for_encoder` picks calibrated
values.

    >>> from dataclasses import replace
    >>> cfg = replace(ScoringConfig(), weight_duties=0.6)
    >>> ScoringConfig.from_dict(cfg.to_dict()) == cfg
    True
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matcher.errors import ConfigError

__all__ = ["ScoringConfig", "COMPONENTS", "RERANK_MODELS"]

#: The soft-fit components, in the order they appear in explanations and ranking columns.
COMPONENTS: tuple[str, ...] = (
    "duties",
    "title",
    "profile",
    "competencies",
    "experience",
    "field",
    "education",
    "languages",
)


#: the stronger encoders ``ScoringConfig.rerank_model`` may name (matcher.scoring.rerank)
RERANK_MODELS: tuple[str, ...] = ("mpnet",)


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    """Weights and thresholds of the soft fit, eligibility relevance and stuffing defence.

    Weights are relative: a component that does not apply to a vacancy (no asset language, no
    preferred degree) drops out and the others are rescaled, so the score stays in [0, 1] and the
    explanation's parts still add up to it.
    """

    # weights of the soft-fit components (relative, >= 0, at least one > 0). duties, title,
    # profile and experience share 0.65 in the proportions learned from ranked relevance
    # judgements (benchmarks/ranking_quality.py: FERR and livecareer category relevance, pairwise
    # logistic regression, matcher.scoring.combiner.learn_weights); competencies, field,
    # education and languages never vary in those sets and keep their hand-set 0.35
    weight_duties: float = 0.08
    #: closeness of the post the candidate holds now or held last, or of the CV's headline, to the
    #: post's title (matcher.features.sentences.current_positions)
    weight_title: float = 0.28
    #: closeness of the CV as a whole (its experience as one vector) to the post as one text
    weight_profile: float = 0.26
    weight_competencies: float = 0.15
    weight_experience: float = 0.03
    weight_field: float = 0.10
    weight_education: float = 0.05
    weight_languages: float = 0.05

    # cosine similarity -> [0, 1]: at or below the floor counts 0, at or above the ceiling counts 1
    similarity_floor: float = 0.15
    similarity_ceiling: float = 0.70
    #: the title component's cosine -> [0, 1]: no ceiling below 1, so the closest titles still
    #: differ (at 0.70 most held titles of a related trade all counted 1 and tied at the top)
    title_floor: float = 0.15
    title_ceiling: float = 1.0
    #: the profile component's cosine -> [0, 1] (a whole CV and a whole post sit lower than two
    #: sentences that say the same thing)
    profile_floor: float = 0.0
    profile_ceiling: float = 0.80
    #: a position counts towards an experience minimum when its text is at least this similar to
    #: the required kind of experience (or, for generic "relevant" experience, to the duties)
    relevance_threshold: float = 0.50
    #: a competency with a CV sentence at least this similar is reported as evidenced
    competency_threshold: float = 0.50
    #: similarity factor for sentences outside dated positions (summary, skills lists); 1.0 by
    #: default: 0.9 lowered NDCG@10 on the FERR judgements (0.868 -> 0.860), because it penalises
    #: CVs whose positions the parser could not delimit (see benchmarks/results/ranking_quality.md)
    other_text_factor: float = 1.0
    #: experience beyond the minimum earns the full experience component at this many extra years
    experience_cap_years: float = 5.0
    #: field-of-study relatedness: a degree field counts as related from this value up (0..1)
    field_related_threshold: float = 0.60

    # keyword-stuffing defence
    #: a CV sentence is a copy when rapidfuzz partial_ratio against vacancy text reaches this
    stuffing_partial_ratio: float = 90.0
    #: ... or when this share of its word 4-grams appears in the vacancy text
    stuffing_ngram_share: float = 0.60
    #: sentences shorter than this (in words) are never flagged (titles, "Project management")
    stuffing_min_words: int = 6
    #: share of a copied sentence's similarity that is removed (1.0: copies count for nothing)
    stuffing_discount: float = 1.0

    # eligibility
    #: when the notice restricts nationality but the CV states none, make the check mandatory
    #: (the candidate is then "unknown"); by default it is reported as an open, non-blocking check
    require_stated_nationality: bool = False
    #: a required language the CV does not state a level of is met up to professional fluency
    #: (C1) when the CV is written in it (detected from its text, never assumed)
    infer_language_from_cv: bool = True

    # ranking order (matcher.scoring.ranking)
    #: "supported_first": an unknown verdict that rests on data the CV lacks (no dated positions,
    #: no readable degree) ranks after the other unknowns; "score": unknowns by score alone
    unknown_order: str = "supported_first"

    # re-ranker (matcher.scoring.rerank)
    #: a stronger encoder that scores the title and profile of each vacancy's ``rerank_k`` best
    #: rows again and orders them among themselves ("mpnet": all-mpnet-base-v2); "" ranks with
    #: the default encoder alone
    rerank_model: str = ""
    #: how many of the best rows of each vacancy the re-ranker orders again
    rerank_k: int = 20

    #: component values are rounded to this many decimals, so float noise of batched encoding
    #: never changes a score or a rank
    decimals: int = 6

    def __post_init__(self) -> None:
        problems: list[str] = []
        weights = self.weights()
        for name, value in weights.items():
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                problems.append(f"weight_{name} must be a finite number >= 0, got {value!r}")
        if not problems and sum(weights.values()) <= 0:
            problems.append("at least one weight must be > 0")
        for name in (
            "similarity_floor",
            "similarity_ceiling",
            "title_floor",
            "title_ceiling",
            "profile_floor",
            "profile_ceiling",
            "relevance_threshold",
            "competency_threshold",
        ):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not -1.0 <= value <= 1.0:
                problems.append(f"{name} must be a cosine similarity in [-1, 1], got {value!r}")
        if not problems and self.similarity_ceiling <= self.similarity_floor:
            problems.append("similarity_ceiling must be greater than similarity_floor")
        if not problems and self.title_ceiling <= self.title_floor:
            problems.append("title_ceiling must be greater than title_floor")
        if not problems and self.profile_ceiling <= self.profile_floor:
            problems.append("profile_ceiling must be greater than profile_floor")
        for name in ("other_text_factor", "field_related_threshold", "stuffing_ngram_share"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                problems.append(f"{name} must be in [0, 1], got {value!r}")
        if not isinstance(self.stuffing_discount, (int, float)) or not (
            0.0 <= self.stuffing_discount <= 1.0
        ):
            problems.append(f"stuffing_discount must be in [0, 1], got {self.stuffing_discount!r}")
        if not isinstance(self.stuffing_partial_ratio, (int, float)) or not (
            0.0 < self.stuffing_partial_ratio <= 100.0
        ):
            problems.append("stuffing_partial_ratio must be in (0, 100]")
        cap = self.experience_cap_years
        if not isinstance(cap, (int, float)) or not math.isfinite(cap) or cap <= 0:
            problems.append("experience_cap_years must be > 0")
        if not isinstance(self.stuffing_min_words, int) or self.stuffing_min_words < 1:
            problems.append("stuffing_min_words must be an integer >= 1")
        if not isinstance(self.decimals, int) or not 1 <= self.decimals <= 15:
            problems.append("decimals must be an integer in [1, 15]")
        for name in ("require_stated_nationality", "infer_language_from_cv"):
            if not isinstance(getattr(self, name), bool):
                problems.append(f"{name} must be True or False")
        if self.unknown_order not in ("supported_first", "score"):
            problems.append(
                f"unknown_order must be 'supported_first' or 'score', got {self.unknown_order!r}"
            )
        if self.rerank_model not in ("", *RERANK_MODELS):
            problems.append(
                f"rerank_model must be '' or one of {', '.join(RERANK_MODELS)}, "
                f"got {self.rerank_model!r}"
            )
        if not isinstance(self.rerank_k, int) or self.rerank_k < 1:
            problems.append("rerank_k must be an integer >= 1")
        if problems:
            raise ConfigError("invalid ScoringConfig: " + "; ".join(problems))

    def weights(self) -> dict[str, float]:
        """The raw weight of each component, in :data:`COMPONENTS` order."""
        return {name: getattr(self, f"weight_{name}") for name in COMPONENTS}

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready dict that :meth:`from_dict` turns back into an equal config."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringConfig:
        """Build from a dict; unknown keys raise :class:`ConfigError` listing the valid ones."""
        if not isinstance(data, Mapping):
            raise ConfigError("ScoringConfig.from_dict expects a mapping")
        valid = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(data) - set(valid))
        if unknown:
            raise ConfigError(
                f"unknown ScoringConfig key(s) {unknown}; valid keys: {', '.join(valid)}"
            )
        return cls(**dict(data))

    @classmethod
    def for_encoder(cls, encoder: Any, **overrides: Any) -> ScoringConfig:
        """Defaults calibrated for ``encoder.model_id`` (MiniLM unless the model is known)."""
        model_id = str(getattr(encoder, "model_id", ""))
        base: dict[str, Any] = {}
        if "universal-sentence-encoder" in model_id:
            # USE puts unrelated sentences near 0.0-0.1 and paraphrases near 0.8-0.9
            base = {
                "similarity_floor": 0.10,
                "similarity_ceiling": 0.65,
                "relevance_threshold": 0.40,
                "competency_threshold": 0.45,
            }
        base.update(overrides)
        return cls(**base)

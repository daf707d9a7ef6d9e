"""Soft fit: how well a CV covers a vacancy's duties and competencies, as reusable pieces.

Scoring is split in two so that pool-scale code can encode every distinct text once:

1. :func:`prepare_vacancy` / :func:`prepare_candidate` turn records into the texts to encode
   (``.texts()``), with no model involved;
2. :mod:`matcher.scoring.kernel` compares them as matrices, a chunk of CVs at a time, with
   :func:`calibrate` and :func:`field_fits` from here.

:meth:`matcher.scoring.matcher.Matcher.score_prepared` puts the two together for one pair, given a
``{text: vector}`` mapping, which may come from a cache shared by a whole pool.

Scoring reads only ``profile.blind_text``, position titles / descriptions and degree fields: never
the name, gender, age, photo or nationality.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matcher.features.degrees import degree_rules_for
from matcher.features.fields import FieldFit, field_codes, field_relation
from matcher.features.roles import post_domain
from matcher.features.sentences import scorable_of, text_language
from matcher.scoring.stuffing import CopyDetector
from matcher.types import (
    CandidateProfile,
    ExperienceRequirement,
    RequirementItem,
    Requirements,
    Vacancy,
)

__all__ = [
    "PreparedVacancy",
    "PreparedCandidate",
    "prepare_vacancy",
    "prepare_candidate",
    "calibrate",
    "field_fits",
    "field_fit_value",
    "profile_query",
    "text_language",
]

_GENERIC_DUTY = re.compile(
    r"^\W*(?:perform(?:s|ing)?|carr(?:y|ies|ying) out|undertak(?:e|es|ing))\s+(?:any\s+)?other\s+"
    r"(?:related\s+)?duties",
    re.IGNORECASE,
)
# leading words that say nothing about the field ("Bachelor of Science in ..."): a degree's name
# (the "prefix" rows of resources/degrees.csv) and the words around it
_DEGREE_WORDS = re.compile(
    r"^(?:(?:"
    + "|".join(r.pattern.pattern for r in degree_rules_for("prefix"))
    + r"|degree|diploma|university|of|in|arts?|sciences?)\b\W*)+",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True, eq=False)
class PreparedVacancy:
    """A vacancy reduced to the texts scoring compares, plus its copy detector."""

    vacancy: Vacancy
    requirements: Requirements
    title: str
    duties: tuple[str, ...]
    competencies: tuple[RequirementItem, ...]
    experience: tuple[ExperienceRequirement, ...]
    experience_queries: tuple[tuple[str, ...], ...]
    fields: tuple[str, ...]
    other_items: tuple[RequirementItem, ...]
    copy_detector: CopyDetector
    reference: date
    #: ISCED-F fields of the post's work: of its title and of the degrees it asks for
    domain: tuple[str, ...] = ()
    #: the post in one text (its title, then its duties), compared with the CV as a whole
    profile_query: str = ""

    def texts(self) -> list[str]:
        """Every text of the vacancy side that scoring will look up, without duplicates."""
        out = [self.title] + list(self.duties) + [self.profile_query]
        out += [c.text for c in self.competencies]
        for queries in self.experience_queries:
            out += queries
        out += list(self.fields)
        out += [o.text for o in self.other_items]
        if not self.duties:  # relevance of positions is then judged against the title as written
            out.append(self.vacancy.title)
        return list(dict.fromkeys(t for t in out if t))


@dataclass(frozen=True, slots=True, eq=False)
class PreparedCandidate:
    """A CV reduced to its scorable sentences (blind text, positions first) and degree fields."""

    profile: CandidateProfile
    sentences: tuple[str, ...]
    in_position: tuple[bool, ...]
    sources: tuple[str, ...]
    position_texts: tuple[tuple[str, ...], ...]
    fields: tuple[str, ...]
    #: position titles and the CV's first lines (its headline), compared with the post's title
    title_texts: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    #: True for a sentence drawn invisibly in the source (white or tiny print): never counted
    hidden: tuple[bool, ...] = field(default=())
    #: the CV's main language as guessed by :func:`text_language` (None when unsure)
    language: str | None = None

    def text_groups(self) -> tuple[Sequence[str], ...]:
        """The groups :meth:`texts` is made of (duplicates and empty texts included): a pool adds
        them to one set instead of building a list per CV."""
        return (self.sentences, self.title_texts, *self.position_texts, self.fields)

    def texts(self) -> list[str]:
        """Every text of the CV side that scoring will look up, without duplicates."""
        return list(dict.fromkeys(t for group in self.text_groups() for t in group if t))


_CONTEXT_KIND = re.compile(
    r"\b(?:manag(?:ement|erial) level|managerial|supervis\w*|international|field|"
    r"multilateral|leadership|senior)\b",
    re.IGNORECASE,
)


def _experience_queries(
    req: ExperienceRequirement, duties: Sequence[str], vacancy: Vacancy
) -> tuple[str, ...]:
    """Texts a position is compared with to decide whether it counts for ``req``.

    A domain kind ("project management, security, risk management") is the kind itself, each of
    its parts, the requirement sentence, and the vacancy's own title and duties (the work of the
    post is relevant by definition). A context kind ("management level", "international") is about
    the setting, not the domain: only the kind and its sentence.
    """
    from matcher.scoring.eligibility import is_generic_kind

    queries: list[str] = []
    kind = (req.kind or "").strip()
    generic = not kind or is_generic_kind(kind)
    if not generic:
        queries.append(f"{kind} experience")
        parts = [p.strip() for p in re.split(r",|;|\bor\b|\band\b", kind) if p.strip()]
        if len(parts) > 1:
            queries.extend(f"experience in {p}" for p in parts)
    if req.evidence is not None and req.evidence.text:
        queries.append(req.evidence.text)
    if generic or not _CONTEXT_KIND.search(kind):
        if vacancy.title:
            queries.append(vacancy.title)
        queries.extend(duties)
    return tuple(dict.fromkeys(q for q in queries if q))


def prepare_vacancy(vacancy: Vacancy, *, config: object | None = None) -> PreparedVacancy:
    """The vacancy's scorable texts; no model is called."""
    from matcher.scoring.config import ScoringConfig
    from matcher.scoring.eligibility import is_nationality_item, reference_date

    cfg = config if isinstance(config, ScoringConfig) else ScoringConfig()
    req = vacancy.requirements or Requirements()
    duties = tuple(
        dict.fromkeys(
            d.strip() for d in vacancy.duties if d and d.strip() and not _GENERIC_DUTY.match(d)
        )
    )
    experience = tuple(req.experience) + tuple(req.experience_preferred)
    queries = tuple(_experience_queries(r, duties, vacancy) for r in experience)
    fields: list[str] = []
    for option in tuple(req.education) + tuple(req.education_preferred):
        fields.extend(f.strip() for f in option.fields if f and f.strip())
    other = tuple(o for o in req.other if not is_nationality_item(o))
    copy_sources = list(vacancy.duties) + [vacancy.background, vacancy.qualifications]
    copy_sources += [c.text for c in req.competencies]
    detector = CopyDetector(
        copy_sources,
        partial_ratio=cfg.stuffing_partial_ratio,
        ngram_share=cfg.stuffing_ngram_share,
        min_words=cfg.stuffing_min_words,
    )
    title = _clean_title(vacancy.title)
    return PreparedVacancy(
        vacancy=vacancy,
        requirements=req,
        title=title,
        duties=duties,
        competencies=tuple(req.competencies),
        experience=experience,
        experience_queries=queries,
        fields=tuple(dict.fromkeys(fields)),
        other_items=other,
        copy_detector=detector,
        reference=reference_date(vacancy),
        domain=post_domain(_clean_title(vacancy.title or ""), fields),
        profile_query=profile_query(title, duties),
    )


def profile_query(title: str, duties: Sequence[str]) -> str:
    """The post as one text for the profile component: its title, then its duties, each ending
    as a sentence ("" when it has neither)."""
    parts = [t.strip() for t in [title, *duties] if t and t.strip()]
    return " ".join(p if p[-1] in ".!?;:" else p + "." for p in parts)


_TITLE_NOISE = re.compile(r"\s*\((?:[A-Z]|[A-Z]-?\d|[PGD]\d?|NO[A-D]?|S\d?|[A-Z]{1,3}/\w+)\)\s*$")


def _clean_title(title: str) -> str:
    """The title without a trailing grade marker: "Security Officer (S)" -> "Security Officer"."""
    return _TITLE_NOISE.sub("", (title or "").strip()).strip()


def prepare_candidate(profile: CandidateProfile) -> PreparedCandidate:
    """The CV's scorable sentences: position headers and descriptions first, then the blind text.

    They are made once per profile (by the parser, else on first use: see
    :func:`~matcher.features.sentences.scorable_of`), so ranking a pool again does not split its CVs
    again.
    """
    s = scorable_of(profile)
    return PreparedCandidate(
        profile=profile,
        sentences=s.sentences,
        in_position=s.in_position,
        sources=s.sources,
        position_texts=s.position_texts,
        fields=s.fields,
        title_texts=s.title_texts,
        warnings=s.warnings,
        hidden=s.hidden,
        language=s.language,
    )


# --------------------------------------------------------------------------- numeric pieces


def calibrate(similarity: np.ndarray | float, floor: float, ceiling: float) -> np.ndarray:
    """Cosine similarity mapped linearly onto [0, 1] between ``floor`` and ``ceiling``."""
    return np.clip((np.asarray(similarity, dtype=np.float64) - floor) / (ceiling - floor), 0.0, 1.0)


def field_fits(
    candidate_fields: Sequence[str],
    required_fields: Sequence[str],
    cand_vecs: np.ndarray,
    req_vecs: np.ndarray,
    *,
    floor: float,
    ceiling: float,
    decimals: int = 6,
) -> tuple[FieldFit, ...]:
    """How each degree field relates to the fields a notice names: one :class:`FieldFit` each.

    First the ISCED-F taxonomy (:func:`~matcher.features.fields.field_relation`: "LLB" is law,
    "Diplom Politikwissenschaft" is political science); then, for the check to fall back on, the
    larger of a fuzzy string match (rapidfuzz token-set ratio: "Political Science" vs
    "social/political science") and the calibrated encoder similarity ("International Relations"
    vs "political science"), rounded to ``decimals``.
    """
    from rapidfuzz import fuzz

    if not candidate_fields or not required_fields:
        return ()
    sims = calibrate(cand_vecs @ req_vecs.T, floor, ceiling)
    req_codes = [field_codes(rf) for rf in required_fields]
    out: list[FieldFit] = []
    for i, cf in enumerate(candidate_fields):
        core = _DEGREE_WORDS.sub(" ", cf.lower()).strip()
        best_value, best_rf = 0.0, required_fields[0]
        for j, rf in enumerate(required_fields):
            fuzzy = fuzz.token_set_ratio(core, rf.lower()) / 100.0 if core else 0.0
            value = max(fuzzy, float(sims[i, j]))
            if value > best_value + 1e-12:
                best_value, best_rf = value, rf
        value = round(best_value, decimals)
        codes = field_codes(cf)
        relation: tuple[str, str, str] | None = None
        rel_rf = best_rf
        for j, rf in enumerate(required_fields):
            found = field_relation(codes, req_codes[j])
            if found is not None and (relation is None or _RANK[found[0]] < _RANK[relation[0]]):
                relation, rel_rf = found, rf
        if relation is not None:
            out.append(FieldFit(cf, rel_rf, value, relation[0], relation[1], relation[2], codes))
        else:
            out.append(FieldFit(cf, best_rf, value, cand_codes=codes))
    return tuple(out)


_RANK = {"same": 0, "narrow": 1, "broad": 2}


def field_fit_value(fit: FieldFit) -> float:
    """A degree field's relatedness in [0, 1] for the fit score: 1.0 for the field the notice
    names (by the taxonomy), else the similarity."""
    return 1.0 if fit.relation == "same" else fit.similarity

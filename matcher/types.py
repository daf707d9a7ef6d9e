"""Frozen records that the stages hand each other.

Every stage (features -> scoring -> allocation -> batch/cli) exchanges these small, immutable
records, so a result can be cached, compared and logged without fear of later mutation.
Every extracted fact carries an :class:`Evidence` span so a person can see where it came from.

Mappings inside frozen records are stored as plain dicts by convention and must not be mutated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

#: ISCED 2011 levels used throughout: 3 upper secondary, 4 post-secondary, 5 short-cycle tertiary
#: (associate), 6 bachelor / first-level, 7 master / second-level, 8 doctorate.
ISCED_LABELS: Mapping[int, str] = {
    3: "secondary",
    4: "post-secondary non-tertiary",
    5: "short-cycle tertiary",
    6: "first-level university degree (bachelor's)",
    7: "second-level university degree (master's)",
    8: "doctorate",
}

CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")

Status = Literal["pass", "fail", "unknown"]
Eligibility = Literal["eligible", "unknown", "ineligible"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """An exact span of source text that supports an extracted fact.

    ``start``/``end`` are character offsets into the text named by ``source`` (for a vacancy: the
    field it came from, e.g. ``"qualifications"``; for a CV: ``"text"``, the cleaned CV text).
    """

    text: str
    start: int | None = None
    end: int | None = None
    source: str = ""

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- requirements


@dataclass(frozen=True, slots=True)
class EducationOption:
    """One acceptable educational route; any one option of ``Requirements.education`` suffices.

    ``min_level`` is ISCED (6 first-level, 7 second-level, 8 doctorate, 3 secondary), or None for a
    non-degree route ("significant experience in the practice of criminal law"). ``extra_years`` are
    the additional years of experience this route demands (2 for "first-level + two years in lieu").

    ``route`` says what the option accepts besides a degree of ``min_level``: "degree" (nothing
    else), "experience" (equivalent professional experience in place of a higher degree: "an
    advanced degree ... or equivalent professional experience"; the experience checks apply) or
    "training" (a certified training course or a recognised training school, which a CV must show:
    "Advanced education/certified training course"). For those two, ``min_level`` is the degree
    the notice's other statements still require (None when none does).
    """

    min_level: int | None
    fields: tuple[str, ...] = ()
    related_fields: bool = False
    extra_years: float = 0.0
    evidence: Evidence | None = None
    route: Literal["degree", "experience", "training"] = "degree"


@dataclass(frozen=True, slots=True)
class ExperienceRequirement:
    """A minimum of years; ``min_years_by_level`` overrides it per held degree level ({6: 4})."""

    min_years: float
    min_years_by_level: Mapping[int, float] = field(default_factory=dict)
    kind: str = "relevant professional"
    mandatory: bool = True
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class LanguageRequirement:
    """One language (ISO 639-1) at a CEFR level (None when no level is stated)."""

    language: str
    level: str | None = None
    required: bool = True
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    """``k`` of ``languages`` at ``level``: "fluency in English or French" is k=1 of (en, fr)."""

    k: int
    languages: tuple[str, ...]
    level: str | None = None
    required: bool = True
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class RequirementItem:
    """A qualification item that is not degree, years or language (a competency or a condition)."""

    text: str
    required: bool = True
    category: str = ""
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class RequirementsReview:
    """Who reviewed a notice's requirements (a file edited by a person) and what they changed
    from the extraction; made by :func:`matcher.features.review.load_requirements`."""

    reviewed_by: str
    reviewed_on: str = ""
    source: str = ""
    sha256: str = ""
    changes: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Requirements:
    education: tuple[EducationOption, ...] = ()
    education_preferred: tuple[EducationOption, ...] = ()
    experience: tuple[ExperienceRequirement, ...] = ()
    experience_preferred: tuple[ExperienceRequirement, ...] = ()
    languages: tuple[LanguageRequirement, ...] = ()
    language_choices: tuple[LanguageChoice, ...] = ()
    competencies: tuple[RequirementItem, ...] = ()
    other: tuple[RequirementItem, ...] = ()
    warnings: tuple[str, ...] = ()
    #: set when a person reviewed these requirements (a reviewed file), None when extracted
    review: RequirementsReview | None = None

    def is_empty(self) -> bool:
        return not any(
            (
                self.education,
                self.education_preferred,
                self.experience,
                self.experience_preferred,
                self.languages,
                self.language_choices,
                self.competencies,
                self.other,
            )
        )


# --------------------------------------------------------------------------- vacancies


@dataclass(frozen=True, slots=True)
class Vacancy:
    """A parsed vacancy notice (or one JPO opening).

    ``qualification_blocks`` keeps the sub-blocks of layouts that have them (the OSCE seconded-post
    format: "General Minimum Requirements", "Education", "Experience", "Mandatory", "Desirable" ...)
    in source order; ``qualifications`` is the raw qualifications text, empty when there is none.
    """

    id: str
    title: str = ""
    organisation: str = ""
    department: str = ""
    unit: str = ""
    background: str = ""
    duties: tuple[str, ...] = ()
    qualifications: str = ""
    qualification_blocks: Mapping[str, str] = field(default_factory=dict)
    metadata: Mapping[str, str] = field(default_factory=dict)
    requirements: Requirements | None = None
    source: str = ""
    text: str = ""
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class Degree:
    """A degree as written, with its ISCED level and the mapping-table row that gave it."""

    level: int | None
    title: str
    field: str = ""
    institution: str = ""
    end_year: int | None = None
    matched_rule: str = ""
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class Position:
    """A dated job. ``end`` is None when ongoing; ``date_precision`` says how sure the dates are."""

    title: str
    organisation: str = ""
    start: date | None = None
    end: date | None = None
    ongoing: bool = False
    description: str = ""
    part_time_fraction: float = 1.0
    date_precision: Literal["day", "month", "year"] | None = None
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class LanguageSkill:
    language: str
    level: str | None = None
    native: bool = False
    note: str = ""
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Personal data found in a CV, kept apart from every text that is scored.

    Only ``nationality`` is ever used, and only for a legal eligibility check.
    """

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    date_of_birth: str | None = None
    gender: str | None = None
    nationality: tuple[str, ...] = ()
    other: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScorableText:
    """A CV reduced to what scoring compares: sentences (positions first, then the blind text),
    position texts, degree fields, titles held and headline, made by
    :func:`matcher.features.sentences.scorable_text`."""

    sentences: tuple[str, ...] = ()
    #: per sentence: from a position (True) or the rest of the CV
    in_position: tuple[bool, ...] = ()
    #: per sentence: the position header it belongs to, or "CV text"
    sources: tuple[str, ...] = ()
    #: per position: its header and description sentences
    position_texts: tuple[tuple[str, ...], ...] = ()
    fields: tuple[str, ...] = ()
    #: position titles and the CV's first lines (its headline), compared with the post's title
    title_texts: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: per sentence: drawn invisibly in the source document (white or tiny print), never counted
    hidden: tuple[bool, ...] = ()
    #: the CV's main language, roughly guessed (None when unsure)
    language: str | None = None
    #: per degree of the profile's education, in its order: the field as scoring compares it
    #: (:func:`matcher.features.sentences.scorable_field`; "" when none)
    degree_fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CandidateProfile:
    """A parsed CV.

    ``text`` is the cleaned full text; ``blind_text`` is the same text with personal data redacted,
    and is what scoring reads.
    """

    id: str
    education: tuple[Degree, ...] = ()
    highest_level: int | None = None
    positions: tuple[Position, ...] = ()
    experience_months: int = 0
    languages: tuple[LanguageSkill, ...] = ()
    skills: tuple[str, ...] = ()
    text: str = ""
    blind_text: str = ""
    personal: PersonalData = field(default_factory=PersonalData)
    source: str = ""
    warnings: tuple[str, ...] = ()
    #: text drawn invisibly in the source document (white, hidden or tiny print); it is also in
    #: ``text``, listed here so scoring can discount keyword stuffing
    hidden_text: tuple[str, ...] = ()
    #: the text of the CV's education section(s), degrees or not ("Coursework in ...", "High
    #: School Diploma"): a CV that lists its education and no degree holds none
    education_text: str = ""
    #: made once (see :attr:`cached_scorable`); not an argument, so ``dataclasses.replace`` drops it
    _scorable: ScorableText | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def cached_scorable(self) -> ScorableText | None:
        """The CV's sentences as scoring compares them, when made already (the parser makes them,
        so ranking never splits a parsed CV again; pickles and the profile store keep them).
        :func:`matcher.features.sentences.scorable_of` makes them when not."""
        return getattr(self, "_scorable", None)  # unset in a profile pickled by an older version

    def keep_scorable(self, made: ScorableText) -> ScorableText:
        """Keep ``made`` as this profile's split (the record stays frozen in every other field:
        the split is a cache of what its text says, not a fact of its own)."""
        object.__setattr__(self, "_scorable", made)
        return made


# --------------------------------------------------------------------------- scoring


#: What a check's status rests on: "cv" (what the CV states), "inferred" (what the CV shows
#: without stating it: English from a CV written in English), "missing" (the CV lacks the data:
#: no dated positions, no degree), "declaration" (a condition the application form settles, such
#: as a driving licence: never blocking until answered), "answer" (settled by the candidate's
#: answer on the application form).
CheckBasis = Literal["cv", "inferred", "missing", "declaration", "answer"]


@dataclass(frozen=True, slots=True)
class Check:
    """One hard requirement checked against one CV."""

    requirement: str
    kind: str
    status: Status
    reason: str
    mandatory: bool = True
    vacancy_evidence: Evidence | None = None
    cv_evidence: tuple[Evidence, ...] = ()
    basis: CheckBasis = "cv"


@dataclass(frozen=True, slots=True)
class DutyMatch:
    duty: str
    cv_sentence: str
    similarity: float
    source: str = ""
    discounted: bool = False


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One term of the score: ``contribution`` = ``weight`` * ``value``; parts sum to the score."""

    name: str
    weight: float
    value: float
    contribution: float
    detail: str = ""


@dataclass(frozen=True, slots=True)
class MatchResult:
    candidate_id: str
    vacancy_id: str
    eligibility: Eligibility
    score: float
    checks: tuple[Check, ...] = ()
    duty_matches: tuple[DutyMatch, ...] = ()
    parts: tuple[ScorePart, ...] = ()
    explanation: str = ""
    warnings: tuple[str, ...] = ()

"""matcher: explainable matching of candidates to international-organisation vacancies.

    >>> import matcher
    >>> vacancy = matcher.load_vacancy("data/vacancies/osce-head-strategic-police-matters-unit.txt")
    >>> ranking = matcher.Matcher().rank(vacancy, matcher.load_cvs("data/cvs"))   # doctest: +SKIP

The public surface is ``__all__``. Names resolve lazily (PEP 562) so that ``import matcher`` stays
light: torch, sentence-transformers and pandas load only when a scoring or batch feature is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # records
    "Evidence": "matcher.types",
    "Vacancy": "matcher.types",
    "Requirements": "matcher.types",
    "EducationOption": "matcher.types",
    "ExperienceRequirement": "matcher.types",
    "LanguageRequirement": "matcher.types",
    "LanguageChoice": "matcher.types",
    "RequirementItem": "matcher.types",
    "CandidateProfile": "matcher.types",
    "Degree": "matcher.types",
    "Position": "matcher.types",
    "LanguageSkill": "matcher.types",
    "PersonalData": "matcher.types",
    "Check": "matcher.types",
    "DutyMatch": "matcher.types",
    "ScorePart": "matcher.types",
    "MatchResult": "matcher.types",
    # errors
    "MatcherError": "matcher.errors",
    "InputError": "matcher.errors",
    "EmptyInputError": "matcher.errors",
    "UnsupportedFormatError": "matcher.errors",
    "DocumentError": "matcher.errors",
    "InputTooLargeError": "matcher.errors",
    "ConfigError": "matcher.errors",
    "PreferenceError": "matcher.errors",
    "InfeasibleError": "matcher.errors",
    "AuditError": "matcher.errors",
    "MissingDependencyError": "matcher.errors",
    "ModelError": "matcher.errors",
    "MatcherWarning": "matcher.errors",
    # features
    "repair_text": "matcher.features.text",
    "parse_vacancy": "matcher.features.vacancy",
    "load_vacancy": "matcher.features.vacancy",
    "parse_jpo_openings": "matcher.features.vacancy",
    "load_vacancies": "matcher.features.vacancy",
    "extract_requirements": "matcher.features.requirements.extract",
    "ProgrammeRequirements": "matcher.features.requirements.extract",
    "RequirementsReview": "matcher.types",
    "write_requirements": "matcher.features.review",
    "load_requirements": "matcher.features.review",
    "parse_cv": "matcher.features.cv",
    "load_cvs": "matcher.features.cv",
    "LoadedCVs": "matcher.features.cv",
    "ExperiencePolicy": "matcher.features.dates",
    # scoring
    "Matcher": "matcher.scoring.matcher",
    "ScoringConfig": "matcher.scoring.config",
    "Encoder": "matcher.scoring.encoders",
    "SentenceTransformerEncoder": "matcher.scoring.encoders",
    "MultilingualEncoder": "matcher.scoring.encoders",
    "LearnedCombiner": "matcher.scoring.combiner",
    "EmbeddingCache": "matcher.scoring.cache",
    "ProfileStore": "matcher.features.store",
    "CachedEncoder": "matcher.scoring.cache",
    # allocation
    "allocate": "matcher.allocation",
    "select_and_allocate": "matcher.allocation",
    "Allocation": "matcher.allocation",
    "Balance": "matcher.allocation",
    # trust
    "AuditLog": "matcher.audit",
    "verify_audit_log": "matcher.audit",
    "impact_report": "matcher.fairness",
    "sensitivity_report": "matcher.fairness",
    # report
    "render_report": "matcher.report",
    "write_report": "matcher.report",
    "shortlist_report": "matcher.report",
    # pools
    "rank_pool": "matcher.batch",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'matcher' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # every export with its real type, for type checkers and IDEs
    from matcher.allocation import Allocation as Allocation
    from matcher.allocation import Balance as Balance
    from matcher.allocation import allocate as allocate
    from matcher.allocation import select_and_allocate as select_and_allocate
    from matcher.audit import AuditLog as AuditLog
    from matcher.audit import verify_audit_log as verify_audit_log
    from matcher.batch import rank_pool as rank_pool
    from matcher.errors import AuditError as AuditError
    from matcher.errors import ConfigError as ConfigError
    from matcher.errors import DocumentError as DocumentError
    from matcher.errors import EmptyInputError as EmptyInputError
    from matcher.errors import InfeasibleError as InfeasibleError
    from matcher.errors import InputError as InputError
    from matcher.errors import InputTooLargeError as InputTooLargeError
    from matcher.errors import MatcherError as MatcherError
    from matcher.errors import MatcherWarning as MatcherWarning
    from matcher.errors import MissingDependencyError as MissingDependencyError
    from matcher.errors import ModelError as ModelError
    from matcher.errors import PreferenceError as PreferenceError
    from matcher.errors import UnsupportedFormatError as UnsupportedFormatError
    from matcher.fairness import impact_report as impact_report
    from matcher.fairness import sensitivity_report as sensitivity_report
    from matcher.features.cv import LoadedCVs as LoadedCVs
    from matcher.features.cv import load_cvs as load_cvs
    from matcher.features.cv import parse_cv as parse_cv
    from matcher.features.dates import ExperiencePolicy as ExperiencePolicy
    from matcher.features.requirements.extract import ProgrammeRequirements as ProgrammeRequirements
    from matcher.features.requirements.extract import extract_requirements as extract_requirements
    from matcher.features.review import load_requirements as load_requirements
    from matcher.features.review import write_requirements as write_requirements
    from matcher.features.store import ProfileStore as ProfileStore
    from matcher.features.text import repair_text as repair_text
    from matcher.features.vacancy import load_vacancies as load_vacancies
    from matcher.features.vacancy import load_vacancy as load_vacancy
    from matcher.features.vacancy import parse_jpo_openings as parse_jpo_openings
    from matcher.features.vacancy import parse_vacancy as parse_vacancy
    from matcher.report import render_report as render_report
    from matcher.report import shortlist_report as shortlist_report
    from matcher.report import write_report as write_report
    from matcher.scoring.cache import CachedEncoder as CachedEncoder
    from matcher.scoring.cache import EmbeddingCache as EmbeddingCache
    from matcher.scoring.combiner import LearnedCombiner as LearnedCombiner
    from matcher.scoring.config import ScoringConfig as ScoringConfig
    from matcher.scoring.encoders import Encoder as Encoder
    from matcher.scoring.encoders import MultilingualEncoder as MultilingualEncoder
    from matcher.scoring.encoders import SentenceTransformerEncoder as SentenceTransformerEncoder
    from matcher.scoring.matcher import Matcher as Matcher
    from matcher.types import CandidateProfile as CandidateProfile
    from matcher.types import Check as Check
    from matcher.types import Degree as Degree
    from matcher.types import DutyMatch as DutyMatch
    from matcher.types import EducationOption as EducationOption
    from matcher.types import Evidence as Evidence
    from matcher.types import ExperienceRequirement as ExperienceRequirement
    from matcher.types import LanguageChoice as LanguageChoice
    from matcher.types import LanguageRequirement as LanguageRequirement
    from matcher.types import LanguageSkill as LanguageSkill
    from matcher.types import MatchResult as MatchResult
    from matcher.types import PersonalData as PersonalData
    from matcher.types import Position as Position
    from matcher.types import RequirementItem as RequirementItem
    from matcher.types import Requirements as Requirements
    from matcher.types import RequirementsReview as RequirementsReview
    from matcher.types import ScorePart as ScorePart
    from matcher.types import Vacancy as Vacancy

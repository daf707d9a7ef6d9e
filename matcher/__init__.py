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
    "MatcherWarning": "matcher.errors",
    # features
    "repair_text": "matcher.features.text",
    "parse_vacancy": "matcher.features.vacancy",
    "load_vacancy": "matcher.features.vacancy",
    "parse_jpo_openings": "matcher.features.vacancy",
    "load_vacancies": "matcher.features.vacancy",
    "extract_requirements": "matcher.features.requirements",
    "ProgrammeRequirements": "matcher.features.requirements",
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


if TYPE_CHECKING:  # explicit imports for type checkers and IDEs
    from matcher.errors import *  # noqa: F403
    from matcher.types import *  # noqa: F403

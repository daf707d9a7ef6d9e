"""Requirement extraction: a qualifications text to checkable constraints, each with its evidence.

Notices state eligibility in a few recurring shapes, and every rule here is written for a shape,
never for a file:

* **degrees** -- "Second-level university degree in law or related field" (ISCED 7 with fields),
  substitution routes ("a first-level university degree in combination with two additional years
  of qualifying experience may be accepted in lieu of ...": ISCED 6 with ``extra_years=2``) and
  non-degree routes ("or significant experience in the practice of criminal law": ``min_level``
  None). Options of one statement, and the statements of one "Education:" block, are
  alternatives. When several blocks each state a degree (the OSCE seconded-post layout repeats it
  under "Field of Expertise", "Education:" and "Mandatory:"), every statement must hold, so the
  strictest statement is kept (ties: the later, more specific one) and fields named only elsewhere
  are carried over. Degrees only preferred go to ``education_preferred``.
* **years** -- "Minimum of two years (four years with a relevant first-level degree)" gives
  ``min_years=2, min_years_by_level={6: 4}``, and so do minimums stated once per degree ("6 years
  with second-level degree. 8 years with first-level degree."); several minimums in one
  sentence ("... including at least five years at the management level") each become one
  :class:`ExperienceRequirement` whose ``kind`` is one of :data:`EXPERIENCE_KINDS` or the field
  of work as named ("project management").
* **languages** -- each language with a CEFR level; alternatives ("English or French", "at least two
  of ...") become :class:`LanguageChoice`; "other official OSCE languages" expands to the official
  languages not already named.
* **blocks** -- "Mandatory:" / "Desirable:" and the seconded-post headings; "an asset", "desirable",
  "an advantage", "preferred" mark a single item as not required.
* **other** -- hard conditions (nationality of the duty station, driving licence, physical
  condition, hardship, mobility, age, clearance, a maximum of years) in :data:`OTHER_CATEGORIES`.
* **competencies** -- everything else, kept for soft scoring.

Every evidence span is exact: ``text[e.start:e.end] == e.text``. Bad input never raises: it yields
empty :class:`Requirements` with a warning. All regexes are linear (no nested quantifiers) and
items are short, so 1 MB of noise is handled in well under a second.

    >>> r = extract_requirements("Second-level university degree in law; fluency in English.")
    >>> r.education[0].min_level, r.education[0].fields, r.languages[0].level
    (7, ('law',), 'C1')
"""

from __future__ import annotations

from matcher.features.requirements.experience import (
    EXPERIENCE_KINDS,
    MAX_YEARS,
    implausible_durations,
)
from matcher.features.requirements.extract import (
    MAX_CHARS,
    ProgrammeRequirements,
    extract_requirements,
)
from matcher.features.requirements.languages import UN_OFFICIAL_LANGUAGES
from matcher.features.requirements.other import OTHER_CATEGORIES

__all__ = [
    "extract_requirements",
    "ProgrammeRequirements",
    "EXPERIENCE_KINDS",
    "OTHER_CATEGORIES",
    "UN_OFFICIAL_LANGUAGES",
    "MAX_CHARS",
    "MAX_YEARS",
    "implausible_durations",
]

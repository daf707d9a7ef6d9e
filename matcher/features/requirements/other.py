"""Other hard conditions (nationality of the duty station, driving licence, physical condition,
hardship, mobility, age, clearance, a maximum of years) and the competencies kept for soft scoring.
"""

from __future__ import annotations

import re

__all__ = [
    "OTHER_CATEGORIES",
    "other_categories",
    "COMPETENCY_CUE_RE",
    "NARRATIVE_RE",
    "competency_category",
]

#: Categories of ``Requirements.other``.
OTHER_CATEGORIES: tuple[str, ...] = (
    "nationality",
    "driving licence",
    "hardship",
    "physical condition",
    "mobility",
    "travel",
    "age",
    "clearance",
    "experience limit",
)


_OTHER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (cat, re.compile(p, re.IGNORECASE))
    for cat, p in (
        (
            "nationality",
            r"internationally\s+recruited|nationals?\s+(?:and\s+permanent\s+residents\s+)?"
            r"(?:of|from)\b|\bnot\s+eligible\b|\bineligible\b|\bcitizenship\b|\bnationalit(?:y|ies)\b"
            r"|\bpermanent\s+residen"
            # the right to work in the country: settled by the applicant's papers, like nationality
            r"|\blegally\s+(?:\w+\s+)?(?:to\s+)?work\b|\bright\s+to\s+work\b"
            r"|\bwork\s+(?:rights|permit|authori[sz]ation)\b|\beligible\s+to\s+(?:live\s+and\s+)?work\b",
        ),
        (
            "driving licence",
            r"driv(?:ing|er['’]?s?)\s+licen[cs]e|\bability\s+to\s+drive\b|licen[cs]e\s+to\s+drive",
        ),
        (
            "hardship",
            r"physical\s+hardship|\bextra\s+hours\b|limited\s+infrastructure|difficult\s+terrain"
            r"|\bhardship\b|harsh\s+(?:conditions|environment)|\blengthy\s+hiking\b",
        ),
        (
            "physical condition",
            r"physical(?:ly)?\s+(?:condition|fit|fitness|health)|\bgood\s+health\b"
            r"|medical(?:ly)?\s+(?:fit|clearance)",
        ),
        (
            "mobility",
            r"willing(?:ness)?\s+to\s+(?:serve|be\s+assigned|relocate|be\s+deployed|be\s+posted)"
            r"|\bmobility\b|\brotation\b",
        ),
        (
            "travel",
            r"willing(?:ness)?\s+to\s+travel|\btravel\s+(?:extensively|frequently)|\bable\s+to\s+travel",
        ),
        (
            "age",
            r"\b\d{2}\s+(?:and|to|-)\s+\d{2}\s+years\s+(?:old|of\s+age)|\bage\s+(?:limit|between|of)\b"
            r"|\byears\s+of\s+age\b",
        ),
        (
            "clearance",
            r"security\s+clearance|background\s+(?:screening\s+)?check|vetting"
            r"|criminal\s+(?:record\s+|records\s+|background\s+)?check|\b(?:CRB|DBS)\s+check",
        ),
        (
            "experience limit",
            r"\b(?:maximum|max\.?|no\s+more\s+than|not\s+more\s+than|up\s+to)\s+(?:of\s+)?"
            r"(?:\w+|\d+)(?:\s*\(\d+\))?\s+years?\s+of\s+(?:[\w-]+\s+){0,3}(?:experience|work)",
        ),
    )
)


# --------------------------------------------------------------------------- other & competencies


def other_categories(item_text: str) -> list[str]:
    return [cat for cat, rx in _OTHER_PATTERNS if rx.search(item_text)]


COMPETENCY_CUE_RE = re.compile(
    r"knowledge|experience|skill|abilit|\bable\b|proficien|familiar|understanding|commitment|willing"
    r"|capacity|demonstrat|proven|excellent|\bgood\b|strong|sound|solid|awareness|sensitivity|literacy"
    r"|competen|expertise|background|track\s+record|flexib|integrity|readiness|fluen|command|degree"
    r"|certif|training|capab|aptitude|attention|comfortable|\bmust\b|\bshould\b|required|requires"
    r"|\bneeds?\b|expected|essential|mandatory|necessary|desirable|asset|advantage|preferred|\bplus\b"
    r"|fluency|mastery|expert|specialist|specialization|specialisation|qualified|qualification"
    r"|licen[cs]e|studies|courses?|diploma|graduat",
    re.IGNORECASE,
)


#: background prose ("The Mission is composed of ...") rather than a requirement
NARRATIVE_RE = re.compile(
    r"^(?:the|this|these|it|all|our|we|currently|for\s+more|in\s+line|if\s+applicable|please)\b"
    r"(?!.*\b(?:should|must|required|requires|candidates?|applicants?|incumbent|expected|needs?"
    r"|essential|desirable|asset|advantage|preferred)\b)",
    re.IGNORECASE | re.DOTALL,
)


def competency_category(t: str) -> str:
    low = t.lower()
    if re.search(r"\bknowledge\b|\bunderstanding\b|\bfamiliarity\b|\baware", low):
        return "knowledge"
    if re.search(r"\bexperience\b|\bbackground\b|\btrack record\b", low):
        return "experience"
    if re.search(r"\bskill|\bproficien|\bliteracy\b|\buse of\b", low):
        return "skill"
    if re.search(r"\babilit|\bable to\b|\bcapacity\b|\bwillingness\b|\bcommitment\b", low):
        return "ability"
    return "competency"

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

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from matcher.features.languages import (
    OSCE_OFFICIAL_LANGUAGES,
    cefr_from_words,
    find_languages,
)
from matcher.features.numbers import NUMBER_PATTERN, find_durations, parse_number
from matcher.types import (
    EducationOption,
    Evidence,
    ExperienceRequirement,
    LanguageChoice,
    LanguageRequirement,
    RequirementItem,
    Requirements,
    Vacancy,
)

__all__ = [
    "extract_requirements",
    "ProgrammeRequirements",
    "EXPERIENCE_KINDS",
    "OTHER_CATEGORIES",
    "UN_OFFICIAL_LANGUAGES",
    "MAX_CHARS",
]

log = logging.getLogger(__name__)

#: The fixed kinds of experience minimum: general relevant professional experience, experience at
#: management level, international experience. Any other ``kind`` is the field of work as the notice
#: names it, lower-case ("project management", "police", "criminal justice system, law enforcement
#: and/or public administration"), so that scoring can compare positions with it.
EXPERIENCE_KINDS: tuple[str, ...] = ("relevant professional", "management", "international")

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

UN_OFFICIAL_LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")

#: Longer inputs are not a qualifications section: refused with a warning, without scanning.
MAX_CHARS = 100_000

# --------------------------------------------------------------------------- shared patterns

_PREF = (
    r"\b(?:(?:would|will)\s+be\s+(?:an?\s+)?(?:definite\s+|distinct\s+|strong\s+)?(?:asset|advantage|plus)"
    r"|(?:an?\s+)?(?:definite\s+|distinct\s+|added\s+|strong\s+)?(?:asset|advantage)\b"
    r"|advantageous|desirable|desired|(?:strongly\s+)?preferred"
    r"|an?\s+plus|nice\s+to\s+have|added\s+value|beneficial|optional)"
)
_PREF_RE = re.compile(_PREF, re.IGNORECASE)
_ASSET_LEAD_RE = re.compile(
    r"^\W*(?:desirable|preferred|preferabl[ey]|assets?|advantage|optional|nice to have|ideally)\b",
    re.IGNORECASE,
)

_DEGREE_RE = re.compile(
    r"(?P<l8>\bdoctor(?:ate|al\s+degree)s?\b|\bph\.?\s?d\b\.?)"
    r"|(?P<l7>\badvanced\s*\(\s*second[- ]level\s*\)\s*(?:university\s+|academic\s+)?degree"
    r"|\bsecond[- ]level\s+(?:university\s+|academic\s+)?"
    r"(?:degree|diploma|education|qualification)s?"
    r"|\bsecond[- ]level\s+(?:university|academic)\b"
    r"|\badvanced\s+(?:[a-z-]+\s+)?(?:degree|qualification|education|diploma)s?\b"
    r"|\bmaster(?:['’]?s)?['’]?\s+(?:degree|level|diploma|qualification)s?\b"
    r"|\bmaster(?:['’]?s)?['’]?(?=\s+(?:or|in|and)\b|\s*/)"
    r"|\bpost-?graduate\s+(?:university\s+)?(?:degree|diploma|qualification|education|studies)\b"
    r"|(?<![\w-])graduate\s+degree)"
    r"|(?P<l6>\bfirst[- ]level\s+(?:university\s+|academic\s+)?"
    r"(?:degree|diploma|education|qualification)s?"
    r"|\bfirst[- ]level\s+(?:university|academic)\b"
    r"|\bbachelor(?:['’]?s)?['’]?(?:\s+(?:degree|level|diploma)s?\b)?"
    r"|\bunder-?graduate\s+degree\b"
    r"|\b(?:university|college|academic|tertiary|higher)\s+(?:degree|education|qualification|diploma|studies)s?\b"
    r"|\bdegree\b(?!\s+of\b))"
    r"|(?P<l5>\bassociate(?:['’]?s)?['’]?\s+degree\b|\bassociate['’]s\b)"
    r"|(?P<l3>\b(?:secondary|high)[- ]school(?:\s+(?:diploma|education|certificate|level))?\b"
    r"|\bsecondary\s+(?:education|diploma|level|schooling)\b)",
    re.IGNORECASE,
)
_DEGREE_ACRONYM_RE = re.compile(
    r"(?P<l8>\b(?:PhD|Ph\.D\.?|DPhil)(?!\w))"
    r"|(?P<l7>\b(?:MA|MSc|M\.Sc\.|M\.A\.|MBA|LLM|LL\.M\.|MPA|MPP)(?![\w.]))"
    r"|(?P<l6>\b(?:BA|BSc|B\.Sc\.|B\.A\.|BS|LLB|LL\.B\.|BEng|BBA)(?![\w.]))"
)
_MAX_MENTIONS = 12  # per item; real statements name a handful
_LEVEL_OF_GROUP = {"l8": 8, "l7": 7, "l6": 6, "l5": 5, "l3": 3}

_INLIEU_RE = re.compile(
    r"\bin\s+lieu\s+of\b|\binstead\s+of\b|\bsubstitut\w*|\bin\s+place\s+of\b"
    r"|\b(?:may|will|can|could)\s+(?:also\s+)?be\s+(?:accepted|considered)\b",
    re.IGNORECASE,
)
_NONDEGREE_RE = re.compile(
    r"(?:\bor\s+|,\s*|/\s*)(?:(?:significant|equivalent|extensive|substantial|considerable|comparable"
    r"|relevant|appropriate)\s+){1,2}(?:(?:professional|practical|work|working)\s+)?"
    r"(?:experience|qualifications?|training|certifications?)\b"
    r"|\bor\s+(?:an?\s+)?(?:professional|recognized|recognised|relevant)\s+(?:certification|qualification)s?\b"
    r"|(?:[/,]|\b(?:and/)?or)\s*certified\s+training(?:\s+courses?)?\b"
    r"|\bequivalent\s+(?:professional\s+|practical\s+|work\s+)?(?:experience|qualifications?)\b"
    r"|\bor\s+(?:an?\s+)?graduat\w*\s+(?:of|from)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,6}?"
    r"(?:academy|school|college|institute)\b",
    re.IGNORECASE,
)
_PRE_NONDEGREE_RE = re.compile(
    r"(?P<what>\b(?:training|certification|qualifications?|courses?|diploma|education))\s*(?:and/or|or|/)\s*"
    r"(?:an?\s+)?",
    re.IGNORECASE,
)
_OTHER_DEGREE_RE = re.compile(
    r"\b(?:an)?other\s+(?:relevant|related|appropriate|equivalent)\s+(?:university\s+|academic\s+)?degree$",
    re.IGNORECASE,
)
_EDU_WORDS_RE = re.compile(
    r"\b(?:courses?|training|school|certificat\w*|diploma|academy|studies|graduat\w*|education)\b",
    re.IGNORECASE,
)
_FIELDS_LEAD_RE = re.compile(
    r"\s*(?:\([^()\n]{0,80}\)\s*)?(?:or\s+(?:higher|above|equivalent)\s+)?(?:,\s*)?(?:(?:preferably|ideally|specifically|particularly|"
    r"with\s+(?:a\s+)?(?:specialization|specialisation|major|focus)|majoring)\s+)?"
    r"(?:in|on)\s+(?!lieu\b|combination\b|the\s+last\b|final\b|progress\b|order\b|addition\b)",
    re.IGNORECASE,
)
_FIELDS_STOP_RE = re.compile(
    r"[;:()]|\n[ \t]*\n|\.(?=\s|$)"
    r"|\bor\s+(?:an?\s+)?graduat\w*\b"
    r"|\bor\s+(?:significant|equivalent|extensive|substantial|considerable|comparable|professional"
    r"|relevant\s+experience|an?\s+(?:first|second|advanced|bachelor|master|equivalent|professional))"
    r"|\bin\s+combination\b|\bcombined\s+with\b|\bwith\b|\bfrom\b|\bis\b|\bare\b|\bwould\b|\bwill\b"
    r"|\bshould\b|\bmay\b|\bplus\b|\brequired\b|\be\.g\b|\bi\.e\b|\bat\s+(?:the\s+)?time\b"
    rf"|{_PREF}"
    r"|\band\s+(?:at\s+least|a\s+minimum|minimum|\d|one|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"|\band\s+(?:(?:relevant|professional|extensive|proven|significant)\s+)+(?:work\s+)?experience"
    r"|,\s*equivalent\b|\bequivalent\s+(?:training|experience|professional|qualification)"
    r"|\bas\s+well\s+as\b|\bincluding\b|\bsuch\s+as\b",
    re.IGNORECASE,
)
_FIELD_SPLIT_RE = re.compile(
    r"\s*,\s*(?:and/or\s+|and\s+|or\s+)?|\s+and/or\s+|\s+or\s+|\s*/\s*|\s*&\s*"
)
_SAID_FIELDS_RE = re.compile(r"^(?:the\s+)?(?:said|same|above|aforementioned|these|those)\b", re.I)
_RELATED_RE = re.compile(
    r"\b(?:related|relevant|similar|allied|associated|comparable|equivalent)\b", re.I
)
_NOT_FIELD_RE = re.compile(
    r"\d|\b(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|programme|program|year|years|semester|time|application|graduation|graduate)\b",
    re.I,
)
_NOT_A_FIELD = frozenset(
    "equivalent similar etc other subject subjects field fields discipline disciplines area "
    "areas".split()
)
_ADJECTIVE_RE = re.compile(r"(?:al|ic|ive|ary|ian|ern)$")
_MODIFIER_WORDS = frozenset(
    "public private risk disaster emergency crisis conflict human civil foreign project programme "
    "computer business data".split()
)
_ARTICLE_RE = re.compile(r"^(?:a|an|the|another|other|any|one)\s+", re.I)
#: single words that name a discipline by themselves ("law or political science" is law + ...)
_STANDALONE_FIELDS = frozenset(
    "law economics security finance engineering mathematics statistics journalism communications "
    "communication history sociology psychology philosophy physics chemistry biology medicine "
    "accounting management business politics geography anthropology linguistics education "
    "technology informatics criminology agriculture architecture nursing pharmacy theology "
    "diplomacy media marketing logistics procurement audit auditing demography ecology forestry "
    "energy environment languages literature humanities arts science sciences policing governance "
    "administration translation interpretation ict it computing".split()
)

_BYLEVEL_RE = re.compile(
    r"\s*(?:of\s+[\w-]+(?:\s+[\w-]+){0,3}\s+)?(?:experience\s+)?(?:with|for\s+(?:holders\s+of|candidates\s+with)"
    r"|if\s+holding|holding)\s+(?:a|an|the)?\s*(?:relevant\s+|recognized\s+|recognised\s+)?",
    re.IGNORECASE,
)
_EXPERIENCE_CUE_RE = re.compile(
    r"\bexperience\w*|\bservice\b|\bpractice\b|\bworked\b|\bemployment\b|\bwork(?:ing)?\b"
    r"|\bat\s+(?:the\s+|a\s+)?[\w-]+\s+level\b|\bmanage\w*|\bposition|\broles?\b|\bcapacity\b"
    r"|\bcareer\b|\bfield\s+missions?\b",
    re.IGNORECASE,
)
_AGE_RE = re.compile(r"^\s*(?:old|of\s+age|of\s+old)\b|^\W{0,3}\s*(?:and|to|-)\s*\d", re.IGNORECASE)
_NOT_MINIMUM_RE = re.compile(
    r"\b(?:maximum|max\.?|up\s+to|within|last|past|after|period\s+of|duration\s+of|for\s+(?:a|the)"
    r"|graduat\w+|under|less\s+than|fewer\s+than|\bno|\bnot)\s*(?:of\s+)?$",
    re.IGNORECASE,
)
_ADDITIONAL_RE = re.compile(r"\badditional\b|\bfurther\b|\bextra\b", re.IGNORECASE)

_MANAGEMENT_RE = re.compile(
    r"\bmanagement\s+level|\b(?:managerial|supervisory)\s+(?:experience|role|position|capacity|level"
    r"|functions?|responsibilit\w*)|\bas\s+(?:a\s+)?(?:manager|supervisor|head)\b|\bsupervis(?:ing|ion)\s+(?:of\s+)?(?:staff|teams?|personnel)"
    r"|\bleadership\s+(?:position|role|level)|\b(?:senior|middle|people|staff|team|personnel|general)\s+management\b"
    r"|\bmanagement\s+(?:position|role|capacity|responsibilit\w*|experience)\b|\bexperience\s+in\s+management\b"
    r"|\bat\s+(?:a\s+)?senior\s+level\b"
    r"|\b(?:years?|months?)\s+(?:\([^)]*\)\s*)?(?:of\s+)?(?:in|at)\s+(?:an?\s+|the\s+)?(?:senior\s+)?"
    r"management\b(?!\s+(?:of|systems?|tools?|software))",
    re.IGNORECASE,
)
_FIELD_DOMAIN_MANAGEMENT_RE = re.compile(
    r"\b(?:project|programme|program|risk|financial|finance|emergency|disaster|security|information"
    r"|data|case|cycle|records|knowledge|change|crisis|border|supply\s+chain|event|contract|fleet|asset"
    r"|facilities|property|conflict|environmental|waste|water|public|performance)\s+management\s+experience",
    re.IGNORECASE,
)
_INTERNATIONAL_RE = re.compile(
    r"\binternational(?:ly)?\s+(?:[\w-]+\s+){0,2}experience|\bexperience\s+(?:[\w-]+\s+){0,4}(?:in|with|within)\s+"
    r"(?:an?\s+|the\s+)?(?:international|multilateral|multicultural)|\binternational\s+(?:level|environment"
    r"|organi[sz]ations?|setting|context|field)|\babroad\b|\bmultilateral\b",
    re.IGNORECASE,
)
_EXPERIENCE_IN_RE = re.compile(
    r"\b(?:experience|service)\s+(?:in|with|within|of|on|at|working\s+(?:in|with|on))\s+(?:the\s+|an?\s+)?(?P<what>[\w/-]+(?:\s+[\w/-]+){0,2})",
    re.IGNORECASE,
)
_FIELD_OF_WORK_STOP_RE = re.compile(
    r"[;.(:)\n]|,?\s+(?:including|especially|particularly|preferably|ideally|notably|such\s+as|e\.g)\b"
    r"|,?\s+(?:and/or|and|or)\s+(?:other\s+|an?\s+)?(?:related|relevant|similar|equivalent)\b"
    r"|,?\s+(?:at\s+(?:the\s+|a\s+)?(?:national|international|senior|management)\s+level)"
    r"|,?\s+(?:is|are|would|will|with\s+at\s+least)\b|,?\s+(?:of\s+which|out\s+of\s+which)\b",
    re.IGNORECASE,
)
_OF_WHICH_RE = re.compile(
    rf"\b(?:of\s+which|out\s+of\s+which|including)\s+(?:at\s+least\s+|a\s+minimum\s+of\s+|minimum\s+)?"
    rf"(?P<n>{NUMBER_PATTERN})\b(?!\s*(?:\(\s*\d+\s*\)\s*)?(?:\+\s*)?(?:[\w-]+\s+)?(?:years?|yrs?|months?)\b)",
    re.IGNORECASE,
)
_GENERIC_WHAT_RE = re.compile(
    r"^(?:relevant|related|similar|same|respective|their|his|her|this|that|a|an|the|comparable"
    r"|field|fields|area|areas|position|post|function|functions|relevant\s+field)\b",
    re.IGNORECASE,
)
_EXPERIENCE_MODIFIERS = frozenset(
    "relevant professional diversified progressively progressive responsible work working proven "
    "practical related solid extensive significant substantial demonstrated demonstrable paid "
    "full-time full time post-graduate postgraduate post-qualification qualifying increasingly "
    "hands-on direct previous prior and or of years year months month experience relevant, "
    "professional, diversified, overall total general broad wide combined cumulative recent "
    "industry progressively-responsible the a an with in including minimum least at".split()
)

_OTHER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (cat, re.compile(p, re.IGNORECASE))
    for cat, p in (
        (
            "nationality",
            r"internationally\s+recruited|nationals?\s+(?:and\s+permanent\s+residents\s+)?"
            r"(?:of|from)\b|\bnot\s+eligible\b|\bineligible\b|\bcitizenship\b|\bnationalit(?:y|ies)\b"
            r"|\bpermanent\s+residen",
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
        ("clearance", r"security\s+clearance|background\s+check|vetting"),
        (
            "experience limit",
            r"\b(?:maximum|max\.?|no\s+more\s+than|not\s+more\s+than|up\s+to)\s+(?:of\s+)?"
            r"(?:\w+|\d+)(?:\s*\(\d+\))?\s+years?\s+of\s+(?:[\w-]+\s+){0,3}(?:experience|work)",
        ),
    )
)

_CV_DATE_RANGE_RE = re.compile(
    r"\b(?:19|20)\d\d\s*(?:-|–|—|to)\s*(?:(?:19|20)\d\d|present|current|now|today|date)\b", re.I
)
_CV_CUE_RE = re.compile(
    r"curriculum\s+vitae|\bresume\b|\bdate\s+of\s+birth\b|\bpersonal\s+(?:information|details|data)\b"
    r"|\bmarital\s+status\b|\b(?:work|professional)\s+experience\s*:?\s*\n|\bemployment\s+history\b"
    r"|\breferences\s+(?:available|upon)",
    re.I,
)
_EMAIL_RE = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,40}\b")

# --------------------------------------------------------------------------- segmentation

_HEADER_NAMES: tuple[tuple[str, str, str], ...] = (
    # (regex, kind, name); kind "major" resets the sub-block
    (r"general\s+minimum\s+requirements", "major", "general"),
    (r"field\s+of\s+expertise\s+requirements", "major", "field"),
    (r"level\s+of\s+professional\s+competence\s+requirements", "major", "level"),
    (r"mission\s+specific\s+requirements", "major", "mission"),
    (
        r"(?:preferred|desired|desirable|additional|optional)\s+(?:qualifications|requirements|skills)",
        "major",
        "preferred",
    ),
    (
        r"(?:necessary|required|minimum|basic|essential|key|general)\s+(?:qualifications|requirements)"
        r"(?:\s+and\s+\w+)?|qualifications(?:\s+and\s+(?:experience|skills|competencies))?|requirements",
        "major",
        "qualifications",
    ),
    (r"education(?:al\s+background)?|academic\s+qualifications", "minor", "education"),
    (r"(?:work\s+|professional\s+)?experience", "minor", "experience"),
    (r"languages?(?:\s+skills|\s+requirements?)?", "minor", "languages"),
    (r"mandatory|required", "minor", "mandatory"),
    (r"desirable|optional|assets?|preferred|advantageous", "minor", "desirable"),
    (r"competencies|skills", "minor", "competencies"),
)
_HEADER_ALTS = "|".join(f"(?P<h{i}>{p})" for i, (p, _, _) in enumerate(_HEADER_NAMES))
_OWNLINE_HEADER_RE = re.compile(
    rf"(?im)^[ \t]*(?:[#*•|-]+[ \t]*)?(?:{_HEADER_ALTS})[ \t]*[:|]?[ \t|]*$"
)
_INLINE_HEADER_RE = re.compile(
    r"(?<![\w-])(?P<h>Education|EDUCATION|Experience|EXPERIENCE|Mandatory|MANDATORY|Desirable"
    r"|DESIRABLE|Languages?|LANGUAGES?|Optional|Assets?)[ \t]*:"
    r"|(?P<major>General Minimum Requirements|Field [Oo]f Expertise Requirements"
    r"|Level [Oo]f Professional Competence Requirements|Mission Specific Requirements)\b[ \t:|]*"
)
_QUAL_START_RE = re.compile(
    r"(?im)^[ \t]*(?:general\s+minimum\s+requirements"
    r"|(?:necessary|required|minimum|basic|essential)\s+qualifications"
    r"|qualifications(?:\s+and\s+experience)?[ \t]*:?[ \t]*$|requirements[ \t]*:?[ \t]*$"
    r"|the\s+person\s+we\s+are\s+looking\s+for|(?:candidates?|applicants?)\s+(?:should|must)\s+have)"
)

_CUT_RE = re.compile(
    r"\n[ \t]*\n"
    r"|[;|]"
    r"|(?m:^[ \t]*(?:[-–•·▪◦*●○■□➢►✓]|\d{1,2}[.)](?!\d)|[a-h][)])[ \t]*)"
    r"|[ \t]+[•·▪●■►➢][ \t]*"
    r"|(?<=[a-z),])[ \t]+[-–][ \t]+(?=[A-Z])"
    r"|(?<=[.!?])[ \t]+(?=[A-Z0-9(\"“])"
    r"|\n"
    r"|(?<=[a-z]{3})(?=[A-Z][a-z])"
    r"|(?<=[a-z)\]])(?<!\ba)(?<!\ban)(?<!\bthe)(?<!\bof)(?<!\bin)(?<!\bfrom)(?<!\bat)(?<!\bwith)(?<!\band)"
    r"(?<!\bor)(?<!\bto)(?<!\bfor)(?<!\bby)(?<!\bon)(?<!\bas)(?<!\baccredited)(?<!\brecognized)(?<!\brecognised)"
    r"(?<!\brelevant)(?<!\bany)(?<!\bother)[ \t]+"
    r"(?=(?:Ability|Able|Possession|Excellent|Knowledge|Experience|Diplomatic"
    r"|Demonstrable|Demonstrated|Good|Very\s+good|Proven|Strong|Some|Minimum|Fluency|Fluent|Previous"
    r"|Prior|Significant|Willingness|Digital|University|Advanced|Work\s+experience|Sound|Solid|Thorough"
    r"|In-depth|Familiarity|Understanding|Commitment|Capacity|Regional|Extensive|Graduation"
    r"|Second-level|First-level|Proficiency|Proficient|Outstanding|Sensitivity|Awareness|Flexibility"
    r"|Readiness|Certified|Negotiating|Consistent|Comfortable|Interest)\b)"
)
_ABBREV_END_RE = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|incl|approx|cf|vs|Mr|Ms|Mrs|Dr|No|St|Prof)\.|\b[A-Z]\.)$"
)
_CONTINUE_END_RE = re.compile(
    r"(?:\b(?:or|and|of|in|the|a|an|with|for|to|on|at|by|including|as)|[,(/&])[ \t]*$",
    re.IGNORECASE,
)
_LEADIN_RE = re.compile(
    r":\s*$|\brequirements\s+(?:for|are|include)|\brequires\s+the\s+following\b|\bspecific\s+requirements\b"
    r"|\blooking\s+for\s+should\s+have\b|\bshould\s+have\W*$|\bthe\s+following\W*$",
    re.IGNORECASE,
)
_MAX_ITEM = 1200
_STRIP_CHARS = " \t\r\n-–—•·▪◦*●○■□➢►✓|;,"


@dataclass(slots=True)
class _Item:
    start: int
    end: int
    block: str  # sub-block name or major name
    major: str
    required: bool
    segment: int = 0


def _segments(text: str, lo: int, hi: int) -> list[tuple[int, int, str, str, bool]]:
    """(start, end, minor, major, required) text runs between headers."""
    headers: list[tuple[int, int, str, str]] = []  # start, end, kind, name
    for m in _OWNLINE_HEADER_RE.finditer(text, lo, hi):
        for i, (_, kind, name) in enumerate(_HEADER_NAMES):
            if m.group(f"h{i}") is not None:
                headers.append((m.start(), m.end(), kind, name))
                break
    for m in _INLINE_HEADER_RE.finditer(text, lo, hi):
        if any(s <= m.start() < e for s, e, _, _ in headers):
            continue
        if m.group("major"):
            low = m.group("major").lower()
            major_name = next(
                n
                for key, n in (
                    ("general", "general"),
                    ("field", "field"),
                    ("level", "level"),
                    ("mission", "mission"),
                )
                if low.startswith(key)
            )
            headers.append((m.start(), m.end(), "major", major_name))
            continue
        word = m.group("h").lower()
        if word.startswith("educ"):
            name = "education"
        elif word.startswith("exper"):
            name = "experience"
        elif word.startswith("lang"):
            name = "languages"
        elif word == "mandatory":
            name = "mandatory"
        else:
            name = "desirable"
        if any(s <= m.start() < e for s, e, _, _ in headers):
            continue
        headers.append((m.start(), m.end(), "minor", name))
    headers.sort()
    out: list[tuple[int, int, str, str, bool]] = []
    major, minor = "", ""
    pos = lo
    for s, e, kind, name in headers:
        if s > pos:
            out.append((pos, s, minor, major, major != "preferred" and minor != "desirable"))
        if kind == "major":
            major, minor = name, ""
        else:
            minor = name
        pos = max(pos, e)
    if pos < hi:
        out.append((pos, hi, minor, major, major != "preferred" and minor != "desirable"))
    return out


def _items(text: str, lo: int, hi: int) -> list[_Item]:
    items: list[_Item] = []
    for seg_no, (s, e, minor, major, required) in enumerate(_segments(text, lo, hi)):
        cuts = [s]
        for m in _CUT_RE.finditer(text, s, e):
            tok = m.group(0)
            if tok == "":
                # "conditionPossession": two items glued; "PowerPoint", "eLearning" stay whole
                k = m.start()
                while k > s and text[k - 1].isalpha():
                    k -= 1
                if not text[k : m.start()].islower():
                    continue
            elif tok == "\n":
                before = text[max(cuts[-1], m.start() - 40) : m.start()]
                after = text[m.end() : m.end() + 2]
                if _CONTINUE_END_RE.search(before) or (after[:1].islower()):
                    continue
            elif tok.strip() == "" and text[m.start() - 1 : m.start()] in ".!?":
                if _ABBREV_END_RE.search(text[max(s, m.start() - 8) : m.start()]):
                    continue
            cuts.append(m.start())
            cuts.append(m.end())
        cuts.append(e)
        for a, b in zip(cuts[0::2], cuts[1::2], strict=False):
            while a < b and text[a] in _STRIP_CHARS:
                a += 1
            while b > a and text[b - 1] in _STRIP_CHARS:
                b -= 1
            if b - a < 3 or not any(ch.isalpha() for ch in text[a:b]):
                continue
            while b - a > _MAX_ITEM:  # no real requirement is this long: cut at a space
                cut = text.rfind(" ", a + _MAX_ITEM // 2, a + _MAX_ITEM)
                cut = cut if cut != -1 else a + _MAX_ITEM
                items.append(_Item(a, cut, minor or major, major, required, seg_no))
                a = cut + 1
            items.append(_Item(a, b, minor or major, major, required, seg_no))
    return items


_QUAL_END_RE = re.compile(
    r"(?im)^[ \t]*(?:if\s+you\s+wish\s+to\s+apply|how\s+to\s+apply"
    r"|the\s+osce\s+retains\s+the\s+discretion"
    r"|only\s+(?:those\s+)?(?:candidates|shortlisted\s+applicants)|remuneration\s+package|additional\s+information"
    r"|please\s+apply\s+to\s+your\s+relevant|tasks\s+and\s+responsibilities|duties\s+and\s+responsibilities"
    r"|closing\s+date|deadline\s+for\s+application|you\s+can\s+apply\s+here)"
)


def _qualification_end(text: str, lo: int) -> int:
    """Where application boilerplate starts after the qualifications of a whole notice; else len."""
    m = _QUAL_END_RE.search(text, lo)
    if m and text[lo : m.start()].strip():
        return m.start()
    return len(text)


def _qualification_start(text: str) -> int:
    """Where the qualifications begin when a whole notice (duties first) is passed; else 0."""
    m = _QUAL_START_RE.search(text)
    if m and text[: m.start()].strip():
        return m.start()
    return 0


# --------------------------------------------------------------------------- education


@dataclass(slots=True)
class _Route:
    level: int | None
    start: int
    end: int
    fields: tuple[str, ...] = ()
    related: bool = False
    said: bool = False
    preferred: bool = False
    extra_years: float = 0.0
    fields_end: int = -1
    kind: str = "degree"  # a non-degree route: "experience" or "training" (EducationOption.route)


def _nondegree_kind(phrase: str) -> str:
    """ "or equivalent professional experience" is experience; a course, a certification, a
    school or professional qualifications are training."""
    return "experience" if re.search(r"\bexperience\b", phrase, re.I) else "training"


@dataclass(slots=True)
class _Group:
    routes: list[_Route]
    required: bool
    block: str
    order: int
    segment: int = -1


def _degree_mentions(text: str, s: int, e: int) -> list[tuple[int, int, int]]:
    """(level, start, end) of degree mentions in text[s:e], acronyms included, in order."""
    found = []
    for rx in (_DEGREE_RE, _DEGREE_ACRONYM_RE):
        for m in rx.finditer(text, s, e):
            level = next(_LEVEL_OF_GROUP[g] for g, v in m.groupdict().items() if v is not None)
            found.append((level, m.start(), m.end()))
    found.sort(key=lambda t: (t[1], -t[2]))
    del found[_MAX_MENTIONS:]
    out: list[tuple[int, int, int]] = []
    for f in found:
        if out and f[1] < out[-1][2]:
            continue
        if (
            out
            and text.rfind("(", out[-1][2], f[1]) != -1
            and text.find(")", out[-1][2], f[1]) == -1
            and re.fullmatch(r"\s*\([^()]{0,40}", text[out[-1][2] : f[1]])
        ):
            continue  # "university degree (Bachelors or Masters)": the parenthesis only clarifies
        out.append(f)
    return out


def _split_fields(raw: str) -> tuple[tuple[str, ...], bool, bool]:
    """'law, public or international law or related field' -> (fields, related, said)."""
    raw = raw.strip(" ,")
    if _SAID_FIELDS_RE.match(raw):
        return (), False, True
    related = False
    parts: list[str] = []
    for frag in _FIELD_SPLIT_RE.split(raw):
        frag = _ARTICLE_RE.sub("", frag.strip(" ,.-")).strip()
        frag = re.sub(r"\s+", " ", frag).lower()
        if not frag:
            continue
        if _RELATED_RE.search(frag):
            related = True
            continue
        if frag in _NOT_A_FIELD or _NOT_FIELD_RE.search(frag):
            continue
        if len(frag.split()) > 6:
            continue
        frag = re.sub(r"(?<=\w)\s+(?:discipline|subject|area)s?$", "", frag)
        parts.append(frag)
    # distribute a shared head: "public or international law" -> public law, international law
    out = list(parts)
    for i in range(len(out) - 2, -1, -1):
        word = out[i]
        nxt = out[i + 1]
        if (
            " " not in word
            and " " in nxt
            and word not in _STANDALONE_FIELDS
            and (word in _MODIFIER_WORDS or _ADJECTIVE_RE.search(word))
        ):
            out[i] = f"{word} {nxt.split()[-1]}"
    # keep order, drop duplicates
    fields = tuple(dict.fromkeys(out))
    return fields, related, False


def _parse_fields(text: str, pos: int, end: int) -> tuple[tuple[str, ...], bool, bool, int]:
    """Fields named after a degree mention ending at ``pos``: (fields, related, said, end)."""
    m = _FIELDS_LEAD_RE.match(text, pos, end)
    if not m:
        return (), False, False, pos
    start = m.end()
    limit = min(end, start + 240)
    stop = _FIELDS_STOP_RE.search(text, start, limit)
    fend = stop.start() if stop else limit
    raw = text[start:fend]
    fields, related, said = _split_fields(raw)
    if not fields and related and text.startswith("(", fend):
        # "a relevant field (law, political science)": the parenthesis names the fields
        close = text.find(")", fend, min(end, fend + 200))
        if close != -1:
            fields, _r, _s = _split_fields(text[fend + 1 : close])
            fend = close + 1
    return fields, related, said, fend


def _clause_end(text: str, pos: int, end: int) -> int:
    m = re.compile(r"[;,.](?=\s|$)|\n").search(text, pos, end)
    return m.start() if m else end


def _is_preferred(text: str, start: int, tail_from: int, item: _Item) -> bool:
    if not item.required:
        return True
    tail_end = _clause_end(text, tail_from, item.end)
    if _PREF_RE.search(text, tail_from, tail_end):
        return True
    lead = text[max(item.start, start - 30) : start]
    return bool(
        re.search(
            r"\b(?:preferabl[ey]|ideally|desirabl\w*|preferred)\W*(?:\w+\W+){0,2}$", lead, re.I
        )
    ) or bool(_ASSET_LEAD_RE.match(text, item.start, item.end))


def _education_routes(text: str, item: _Item, exclude: list[tuple[int, int]]) -> list[_Route]:
    """Degree and non-degree routes of one item (an in-lieu item is handled by the caller)."""
    s, e = item.start, item.end
    routes: list[_Route] = []
    for level, ms, me in _degree_mentions(text, s, e):
        if any(a <= ms < b for a, b in exclude):
            continue
        if routes and ms < routes[-1].fields_end:
            continue  # "... law or other relevant degree": part of the fields list
        if _OTHER_DEGREE_RE.search(text, max(s, ms - 30), me):
            if routes:
                routes[-1].related = True
            continue
        fields, related, said, fend = _parse_fields(text, me, e)
        routes.append(_Route(level, ms, me, fields, related, said, fields_end=max(fend, me)))
    if routes:
        first = routes[0].start
        pre = _PRE_NONDEGREE_RE.search(text, s, first)
        if pre and pre.end() == first:
            routes.insert(
                0,
                _Route(
                    None,
                    s,
                    pre.start("what") + len(pre.group("what")),
                    fields_end=pre.start("what") + len(pre.group("what")),
                    kind="training",
                ),
            )
        for m in _NONDEGREE_RE.finditer(text, first, e):
            if any(r.start <= m.start() < r.fields_end for r in routes):
                continue  # inside a fields list ("... or equivalent" is not a route of its own)
            ns = m.start()
            while ns < m.end() and not text[ns].isalpha():
                ns += 1
            if text[ns : ns + 3].lower() == "or ":
                ns += 3
            _f, related, _s, fend = _parse_fields(text, m.end(), e)
            end_ = max(fend, m.end())
            # a non-degree route names no degree fields; "in a relevant field" is kept as the flag
            routes.append(_Route(None, ns, end_, (), related, False, fields_end=end_,
                                 kind=_nondegree_kind(m.group(0))))
        routes.sort(key=lambda r: r.start)
    elif item.block == "education" and _EDU_WORDS_RE.search(text, s, e):
        routes.append(_Route(None, s, e, fields_end=e, kind="training"))
    elif re.search(r"\bgraduat\w*\s+from\b", text[s:e], re.I) and _EDU_WORDS_RE.search(text, s, e):
        routes.append(_Route(None, s, e, fields_end=e, kind="training"))
    # "Bachelor or Master Degree in X": joined mentions share fields; the tail decides preference
    for i in range(len(routes) - 2, -1, -1):
        a, b = routes[i], routes[i + 1]
        gap = text[a.fields_end : b.start]
        joined = _JOIN_RE.fullmatch(gap) if b.level is not None else re.fullmatch(r"\s*/\s*", gap)
        if not a.fields and not a.related and joined:
            a.fields, a.related, a.said = b.fields, b.related, b.said
    for i, r in enumerate(routes):
        j = i
        while j + 1 < len(routes) and _OR_JOIN_RE.fullmatch(
            text[routes[j].fields_end : routes[j + 1].start]
        ):
            j += 1
        r.preferred = _is_preferred(text, r.start, routes[j].fields_end, item)
    return routes


_JOIN_RE = re.compile(r"\s*(?:or|/|and/or|,)?\s*(?:an?\s+)?", re.IGNORECASE)
_OR_JOIN_RE = re.compile(r"\s*(?:or|/|and/or)\s*(?:an?\s+)?", re.IGNORECASE)


def _evidence(text: str, start: int, end: int, source: str) -> Evidence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return Evidence(text[start:end], start, end, source)


def _route_evidence(text: str, r: _Route, source: str) -> Evidence:
    return _evidence(text, r.start, max(r.end, r.fields_end), source)


# --------------------------------------------------------------------------- experience


def _experience_kind(segment: str) -> str:
    if _MANAGEMENT_RE.search(segment) and not _FIELD_DOMAIN_MANAGEMENT_RE.search(segment):
        return "management"
    if _INTERNATIONAL_RE.search(segment):
        return "international"
    m = _EXPERIENCE_IN_RE.search(segment)
    if m:
        what = m.group("what")
        named = re.match(
            r"(?:field|area|domain|sphere)s?\s+of\s+(?!expertise|work\b)\w", what, re.I
        )
        tail = segment[m.start("what") : m.start("what") + 80]
        skills = re.search(r"\b(?:skills?|abilit\w+|competenc\w+)\b", tail, re.I)
        if (named or not _GENERIC_WHAT_RE.match(what)) and not skills:
            phrase = _field_of_work(segment, m.start("what"))
            if phrase:
                return phrase
    # leftover modifiers before "experience": "police experience", "operational experience"
    head = re.split(r"\bexperience\b", segment, maxsplit=1, flags=re.I)
    if len(head) == 2:
        words = re.findall(r"[a-z][\w-]*", re.sub(r"\([^)]*\)", " ", head[0]).lower())
        if words and words[-1] not in _EXPERIENCE_MODIFIERS:
            kept = [words[-1]]
            if len(words) > 1 and words[-2] not in _EXPERIENCE_MODIFIERS:
                kept.insert(0, words[-2])
            return " ".join(kept)
    return "relevant professional"


def _field_of_work(segment: str, start: int) -> str:
    """The field of work as named after "experience in ...", lower-case, without trailing
    "or other related fields" and the like."""
    stop = _FIELD_OF_WORK_STOP_RE.search(segment, start)
    raw = segment[start : stop.start() if stop else len(segment)]
    raw = re.sub(r"^(?:the|an?)\s+", "", raw.strip(" ,;:-"), flags=re.I)
    raw = re.sub(r"\s+", " ", raw).strip(" ,;:-").lower()
    words = raw.split()
    if len(words) > 12:
        raw = " ".join(words[:12])
    return raw


#: Years of experience a notice can plausibly ask for; a value outside is refused, not clamped.
MAX_YEARS = 40.0

# a number before a unit of time, however it is written: negative, huge, with an exponent; linear
# (one character class per part), and the digits are counted, never converted, so a 5,000-digit
# number costs what its length costs
_ANY_DURATION_RE = re.compile(
    r"(?P<neg>(?:-|−|–|\bminus\s+)\s*)?(?<![\w.])(?P<num>\d[\d,.]*(?:[eE][+-]?\d+)?)"
    r"\s*(?:\+\s*)?(?:\([^()\n]{0,60}\)\s*)?(?P<unit>years?|yrs?|months?)\b",
    re.IGNORECASE,
)


_RANGE_BEFORE_RE = re.compile(rf"(?:\d|\)|\b{NUMBER_PATTERN})\s*$", re.IGNORECASE)


def implausible_durations(t: str) -> list[str]:
    """Durations in ``t`` that no notice means: negative, over :data:`MAX_YEARS` years, or not a
    plain number ("2.5e308 years", a 5,000-digit number). Quoted as written."""
    out = []
    for m in _ANY_DURATION_RE.finditer(t):
        raw, unit = m.group("num"), m.group("unit").lower()
        digits = re.sub(r"\D", "", raw.split(".")[0].split(",")[0])
        # "2-3 years" and "two (2) - three (3) years" are ranges, "at least -3 years" is not
        before = t[max(0, m.start() - 30):m.start()]
        bad = bool(m.group("neg")) and not _RANGE_BEFORE_RE.search(before)
        if "e" in raw.lower() or len(digits) > 4:
            bad = True
        elif not bad:
            value = float(digits or 0) / (12.0 if unit.startswith("m") else 1.0)
            bad = value > MAX_YEARS
        if bad:
            out.append(" ".join(t[m.start():m.end()].split())[:60])
    # in words: "fifty-five years"
    out.extend(" ".join(t[d.start:d.end].split())[:60] for d in find_durations(t)
               if d.years > MAX_YEARS and not t[d.start:d.end].strip()[:1].isdigit())
    return out


def _experience(
    text: str, item: _Item, source: str
) -> tuple[list[tuple[ExperienceRequirement, int | None]], list[tuple[int, int]]]:
    """Year minimums of one item, and the spans of degree mentions used for by-level years."""
    s, e = item.start, item.end
    durations = []
    for d in find_durations(text[s:e]):
        ds, de = s + d.start, s + d.end
        if (
            _AGE_RE.match(text, de, min(e, de + 12))
            or _NOT_MINIMUM_RE.search(text, max(s, ds - 25), ds)
            or re.match(
                r"\s*(?:ago|from\s+now|before|prior\s+to)\b", text[de : min(e, de + 16)], re.I
            )
        ):
            continue
        durations.append((d.years, ds, de))
    # "... of which at least two in a managerial position": a sub-minimum without its unit
    for sub in _OF_WHICH_RE.finditer(text, s, e):
        value = parse_number(sub.group("n"))
        if value is not None and durations and durations[0][1] < sub.start():
            durations.append((value, sub.start("n"), sub.end("n")))
    durations.sort(key=lambda d: d[1])
    if not durations:
        return [], []
    if not _EXPERIENCE_CUE_RE.search(text, s, e) and item.block != "experience":
        return [], []
    # [years, start, end, by_level dict, skip spans, paired degree level]
    mains: list[list[Any]] = []
    consumed: list[tuple[int, int]] = []
    for years, ds, de in durations:
        m = _BYLEVEL_RE.match(text, de, e)
        mention = None
        if m:
            mentions = _degree_mentions(text, m.end(), min(e, m.end() + 60))
            if mentions and mentions[0][1] == m.end():
                mention = mentions[0]
        if mains and mention is not None:
            level, ms, me = mention
            mains[-1][3][level] = years
            # the whole parenthetical or phrase is excluded from the main's kind text
            close = text.find(")", me, min(e, me + 80))
            span_end = close + 1 if close != -1 else me
            open_ = text.rfind("(", mains[-1][2], ds)
            span_start = open_ if open_ != -1 else ds
            mains[-1][4].append((span_start, span_end))
            consumed.append((ms, me))
            continue
        paired = None
        if mention is None:
            # "6 years (including 3 years in management) with second-level degree"
            pm = _PAREN_THEN_WITH_RE.match(text, de, e)
            if pm:
                mentions = _degree_mentions(text, pm.end(), min(e, pm.end() + 60))
                if mentions and mentions[0][1] == pm.end():
                    mention = mentions[0]
        if mention is not None:
            paired = mention[0]
            consumed.append((mention[1], mention[2]))
        mains.append([years, ds, de, {}, [], paired, None])
    _pair_leading_degrees(text, s, mains)
    out: list[tuple[ExperienceRequirement, int | None]] = []
    for i, (years, ds, _de, by_level, skips, paired, _lead) in enumerate(mains):
        seg_end = mains[i + 1][1] if i + 1 < len(mains) else e
        if i + 1 < len(mains) and mains[i + 1][6] is not None:
            # "... in economics, or Master's degree and 3 years": this minimum's words end where
            # the next alternative's degree begins
            cut = re.search(r"[\s,;]*(?:\bor\b|\bOR\b)?[\s,;]*$", text[ds:mains[i + 1][6]])
            seg_end = ds + cut.start() if cut else mains[i + 1][6]
        seg = text[ds:seg_end]
        for a, b in sorted(skips, reverse=True):
            seg = seg[: a - ds] + " " + seg[b - ds :]
        ev_end = seg_end
        trail = re.search(
            r"(?:[\s,;]+(?:including|incl\.|of\s+which|with|and|plus|out\s+of\s+which|at\s+least"
            r"|a\s+minimum\s+of|minimum|of))*[\s,;(]*$",
            text[ds:seg_end],
            re.I,
        )
        if trail:
            ev_end = ds + trail.start()
        span = text[ds:ev_end]
        if span.count("(") > span.count(")"):
            # a sub-minimum in parentheses follows: the evidence runs over it to the clause end
            close = text.find(")", ev_end, e)
            if close != -1:
                stop = _SENTENCE_END_RE.search(text, close, e)
                ev_end = stop.start() if stop else e
        elif span.count(")") > span.count("("):
            depth = 0
            for k, ch in enumerate(span):
                depth += (ch == "(") - (ch == ")")
                if depth < 0:
                    ev_end = ds + k
                    break
        mandatory = (
            item.required
            and not _PREF_RE.search(seg)
            and not _ASSET_LEAD_RE.match(text, item.start, item.end)
            and not _PREFERABLY_BEFORE_RE.search(text, max(s, ds - 24), ds)
        )
        req = ExperienceRequirement(
            min_years=float(years),
            min_years_by_level=dict(by_level),
            kind=_experience_kind(seg),
            mandatory=mandatory,
            evidence=_evidence(text, ds, ev_end, source),
        )
        out.append((req, paired))
    return out, consumed


_PREFERABLY_BEFORE_RE = re.compile(
    r"\b(?:preferabl[ey]|ideally|desirabl[ey])\s*(?:at\s+least\s+|a\s+minimum\s+of\s+)?$",
    re.IGNORECASE,
)
_PAREN_THEN_WITH_RE = re.compile(
    r"\s*(?:\([^()]{0,80}\)\s*)?(?:of\s+[\w-]+(?:\s+[\w-]+){0,3}\s+)?(?:experience\s+)?"
    r"(?:with|for\s+(?:holders\s+of|candidates\s+with)|if\s+holding|holding)\s+(?:an?|the)?\s*"
    r"(?:relevant\s+|recognized\s+|recognised\s+)?",
    re.IGNORECASE,
)
_PAIRED_TAIL_RE = re.compile(
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:(?:in|of)\s+[\w ,/-]{1,60}?\s*)?(?:and|with|plus|\+|,)\s+"
    r"(?:at\s+least\s+|a\s+minimum\s+of\s+|minimum\s+(?:of\s+)?)?$",
    re.IGNORECASE,
)


def _pair_leading_degrees(text: str, s: int, mains: list[list[Any]]) -> None:
    """ "Master's degree and two years ..., or Bachelor's degree and four years ...": note the
    degree each minimum is paired with (merged later by :func:`_merge_paired`)."""
    for main in mains:
        if main[5] is not None:
            continue
        lo = max(s, main[1] - 90)
        mentions = _degree_mentions(text, lo, main[1])
        if mentions and _PAIRED_TAIL_RE.fullmatch(text, mentions[-1][2], main[1]):
            main[5] = mentions[-1][0]
            main[6] = mentions[-1][1]


def _merge_paired(
    found: list[tuple[ExperienceRequirement, int | None]],
) -> list[ExperienceRequirement]:
    """Minimums stated once per degree level become one minimum with by-level overrides:
    6 years with a second-level degree and 8 with a first-level one -> 6, {6: 8}."""
    # "a first degree and 7 years of experience in economics OR ... a doctorate and 3 years": an
    # alternative that names no field of its own shares the one field the others name
    specific = {
        mandatory: {r.kind for r, lvl in found if lvl is not None and r.mandatory == mandatory
                    and r.kind != "relevant professional"}
        for mandatory in (True, False)
    }

    def kind_of(req: ExperienceRequirement) -> str:
        kinds = specific[req.mandatory]
        return next(iter(kinds)) if req.kind == "relevant professional" and len(kinds) == 1 \
            else req.kind

    by_kind: dict[tuple[str, bool], list[tuple[ExperienceRequirement, int]]] = {}
    for req, level in found:
        if level is not None:
            by_kind.setdefault((kind_of(req), req.mandatory), []).append((req, level))
    merged: dict[int, ExperienceRequirement | None] = {}
    for pairs in by_kind.values():
        if len({lvl for _, lvl in pairs}) < 2:
            continue
        top, top_level = max(pairs, key=lambda p: p[1])
        by_level = dict(top.min_years_by_level)
        for req, lvl in pairs:
            if lvl != top_level:
                by_level[lvl] = req.min_years
            merged[id(req)] = None
        merged[id(top)] = replace(top, min_years_by_level=by_level, kind=kind_of(top))
    out: list[ExperienceRequirement] = []
    for req, _level in found:
        if id(req) in merged:
            kept = merged[id(req)]
            if kept is not None:
                out.append(kept)
        else:
            out.append(req)
    return out


# --------------------------------------------------------------------------- languages

_LANG_CUE_RE = re.compile(
    r"fluen|knowledge|command|proficien|language|speak|spoken|written|oral|verbal|\bread|mother\s+tongue"
    r"|native|\b[ABC][12]\b|bilingual|communicat|skills|\blevel\b|working",
    re.IGNORECASE,
)
_GROUP_LANG_RE = re.compile(
    r"(?P<pre>(?:(?:at\s+least\s+)?(?:one|two|three|1|2|3)\s+)?(?:(?:of\s+the\s+)?(?:other|another|additional|further|second)\s+)?)"
    r"(?:(?:official\s+)?(?:(?P<osce>OSCE)|(?P<un>UN|United\s+Nations))\s+(?:official\s+)?(?:working\s+)?languages?"
    r"|(?:official\s+)?(?:working\s+)?languages?\s+of\s+the\s+(?:(?P<osce2>OSCE)|(?P<un2>UN|United\s+Nations)))",
    re.IGNORECASE,
)
_LANG_STATEMENT_RE = re.compile(
    r"\b(?:are|is)\s+(?:the\s+)?(?:two\s+|six\s+)?(?:official|working)\s+(?:and\s+working\s+)?languages?\b",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[;]|\.(?=\s|$)")
_MARKER_RE = re.compile(
    rf"(?P<pref>{_PREF})|(?P<req>\b(?:required|requirement|essential|mandatory|must|necessary)\b)",
    re.IGNORECASE,
)
_PROPER_AFTER_RE = re.compile(
    r"\s+(?:Federation|Government|Republic|Chairmanship|Presidency|Embassy|Ministry)\b"
)
_K_RE = re.compile(
    r"\b(?:at\s+least\s+|any\s+)?(?P<k>one|two|three|1|2|3)\s+(?:of\b|other\b|additional\b|more\b|further\b"
    r"|(?:\w+\s+){0,2}languages?\b)",
    re.IGNORECASE,
)
_K_LATER_RE = re.compile(
    r"\b(?:at\s+least\s+|any\s+)?(?P<k>one|two|1|2)\s+of\s+(?:these|those|them|the\s+two|both)\b",
    re.IGNORECASE,
)
_K_WORDS = {"one": 1, "two": 2, "three": 3, "1": 1, "2": 2, "3": 3}
_CONNECTOR_RE = re.compile(
    r"\s*(?:,\s*)?(?:and/or|and|or|as\s+well\s+as|/|,|&)?\s*(?:the\s+)?", re.IGNORECASE
)


@dataclass(slots=True)
class _Run:
    codes: list[str]
    start: int
    end: int
    any_of: bool = False
    group: str = ""  # "osce"/"un" when a group phrase
    other: bool = False
    k: int | None = None


def _language_runs(text: str, s: int, e: int) -> list[_Run]:
    mentions: list[
        tuple[str, int, int, str]
    ] = []  # code, start, end, kind ("name" / "osce" / "un")
    groups = []
    for m in _GROUP_LANG_RE.finditer(text, s, e):
        kind = "osce" if (m.group("osce") or m.group("osce2")) else "un"
        gs = m.start() if m.group("pre") else m.start()
        groups.append((gs, m.end(), kind, m.group("pre") or ""))
    # names listed in parentheses right after a group phrase belong to that group
    group_lists: dict[int, list[str]] = {}
    paren_spans: list[tuple[int, int, int]] = []
    for gi, (_gs, ge, _kind, _pre) in enumerate(groups):
        pm = re.compile(r"\s*(?:\(|:)").match(text, ge, e)
        if pm:
            close = (
                text.find(")", pm.end(), e)
                if text[pm.end() - 1] == "("
                else _clause_end(text, pm.end(), e)
            )
            if close != -1:
                paren_spans.append((pm.end(), close, gi))
    for code, ls, le in find_languages(text[s:e]):
        ls, le = ls + s, le + s
        if _PROPER_AFTER_RE.match(text, le, e):
            continue
        owner = next((gi for a, b, gi in paren_spans if a <= ls < b), None)
        if owner is not None:
            group_lists.setdefault(owner, []).append(code)
            continue
        mentions.append((code, ls, le, "name"))
    for gi, (gs, ge, kind, _pre) in enumerate(groups):
        mentions.append((str(gi), gs, ge, kind))
    mentions.sort(key=lambda t: t[1])
    runs: list[_Run] = []
    for code, ms, me, kind in mentions:
        if kind != "name":
            gi = int(code)
            pre = groups[gi][3].lower()
            listed = group_lists.get(gi)
            if listed:
                codes = listed
            else:
                codes = list(OSCE_OFFICIAL_LANGUAGES if kind == "osce" else UN_OFFICIAL_LANGUAGES)
            km = re.search(r"\b(one|two|three|1|2|3)\b", pre)
            if not km and (
                re.search(r"\b(?:another|second)\b", pre)
                or not re.search(r"languages\b", text[ms : groups[gi][1]], re.I)
            ):
                km = re.match(r"(1)", "1")
            end_ = groups[gi][1]
            for _a, b, g2 in paren_spans:
                if g2 == gi:
                    end_ = max(end_, min(e, b + 1))
            runs.append(
                _Run(
                    list(codes),
                    ms,
                    end_,
                    any_of=True,
                    group=kind,
                    other=bool(re.search(r"other|another|additional|further|second", pre)),
                    k=_K_WORDS[km.group(1)] if km else None,
                )
            )
            continue
        if runs and not runs[-1].group:
            gap = text[runs[-1].end : ms]
            cm = _CONNECTOR_RE.fullmatch(gap)
            if cm and gap.strip(" ,") != "" or (cm and gap.strip() == ","):
                runs[-1].codes.append(code)
                runs[-1].end = me
                if re.search(r"\bor\b|/", gap, re.I):
                    runs[-1].any_of = True
                continue
        runs.append(_Run([code], ms, me))
    return runs


def _languages(
    text: str, item: _Item, source: str, known: set[str]
) -> tuple[list[LanguageRequirement], list[LanguageChoice]]:
    s, e = item.start, item.end
    if _LANG_STATEMENT_RE.search(text, s, e):
        return [], []
    runs = _language_runs(text, s, e)
    if not runs or not _LANG_CUE_RE.search(text, s, e):
        return [], []
    reqs: list[LanguageRequirement] = []
    choices: list[LanguageChoice] = []
    prev_end = s
    prev_level: str | None = None
    for i, run in enumerate(runs):
        nxt = runs[i + 1].start if i + 1 < len(runs) else e
        pre = text[prev_end : run.start]
        post = text[run.end : min(nxt, run.end + 90)]
        level = cefr_from_words(pre) or cefr_from_words(post)
        if level is None and i > 0 and _CONNECTOR_RE.fullmatch(pre):
            level = prev_level
        # the nearest "required"/"an asset" marker after the run, within its sentence, decides
        sentence_end = _SENTENCE_END_RE.search(text, run.end, e)
        marker = _MARKER_RE.search(text, run.end, sentence_end.start() if sentence_end else e)
        lead_pref = _PREF_RE.search(pre[-40:]) and not re.search(r"\b(?:is|are)\b", pre[-40:])
        required = (
            item.required
            and not (marker and marker.lastgroup == "pref")
            and not lead_pref
            and not _ASSET_LEAD_RE.match(text, s, e)
        )
        ev_end = run.end
        lang_word = re.match(r"\s+languages?\b", text[run.end : min(e, run.end + 12)], re.I)
        if lang_word:
            ev_end = run.end + lang_word.end()
        ev = _evidence(text, run.start, ev_end, source)
        # "Professional fluency in English": evidence from the level words when they lead
        lead = re.search(r"[^;,.()]*$", pre)
        if lead and cefr_from_words(lead.group(0)):
            ev = _evidence(text, prev_end + lead.start(), ev_end, source)
        codes = list(dict.fromkeys(run.codes))
        if run.other:
            codes = [c for c in codes if c not in known]
        km = _K_RE.search(pre) if run.k is None else None
        k = run.k or (_K_WORDS[km.group("k").lower()] if km else None)
        if k is None and len(run.codes) > 1:
            # "English and French ... at least one of these languages"
            stop = _SENTENCE_END_RE.search(text, run.end, e)
            later = _K_LATER_RE.search(text, run.end, stop.start() if stop else e)
            if later:
                k = _K_WORDS[later.group("k").lower()]
        if run.group and run.other and k is None:
            for c in codes:
                reqs.append(LanguageRequirement(c, level, required, ev))
        elif len(codes) > 1 and (run.any_of or k is not None or run.group):
            choices.append(LanguageChoice(k or 1, tuple(codes), level, required, ev))
            if not run.group:
                known.update(codes)
        else:
            for c in codes:
                reqs.append(LanguageRequirement(c, level, required, ev))
            known.update(codes)
        prev_end = run.end
        prev_level = level
    return reqs, choices


# --------------------------------------------------------------------------- other & competencies


def _other_categories(item_text: str) -> list[str]:
    return [cat for cat, rx in _OTHER_PATTERNS if rx.search(item_text)]


_COMPETENCY_CUE_RE = re.compile(
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
_NARRATIVE_RE = re.compile(
    r"^(?:the|this|these|it|all|our|we|currently|for\s+more|in\s+line|if\s+applicable|please)\b"
    r"(?!.*\b(?:should|must|required|requires|candidates?|applicants?|incumbent|expected|needs?"
    r"|essential|desirable|asset|advantage|preferred)\b)",
    re.IGNORECASE | re.DOTALL,
)


def _competency_category(t: str) -> str:
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


# --------------------------------------------------------------------------- guards


def _looks_like_cv(text: str) -> bool:
    head = text[:50_000]
    ranges = len(_CV_DATE_RANGE_RE.findall(head))
    cues = len(_CV_CUE_RE.findall(head))
    email = bool(_EMAIL_RE.search(head))
    return (ranges >= 2 and (cues >= 1 or email)) or (cues >= 2 and email) or ranges >= 4


def _looks_like_noise(text: str) -> bool:
    tokens = text[:50_000].split()
    if not tokens:
        return True
    wordlike = sum(1 for t in tokens if t.strip(".,;:()'\"-–•").isalpha() and len(t) <= 30)
    return wordlike / len(tokens) < 0.5


# --------------------------------------------------------------------------- assembly


def _choose_education(
    groups: list[_Group], text: str, source: str
) -> tuple[tuple[EducationOption, ...], tuple[EducationOption, ...]]:
    def options(g: _Group) -> list[EducationOption]:
        return [
            EducationOption(
                r.level, r.fields, r.related, r.extra_years, _route_evidence(text, r, source),
                "degree" if r.level is not None else r.kind,  # type: ignore[arg-type]
            )
            for r in g.routes
        ]

    required = [g for g in groups if any(not r.preferred for r in g.routes)]
    preferred_opts: list[EducationOption] = []
    for g in groups:
        for r in g.routes:
            if r.preferred:
                preferred_opts.append(
                    EducationOption(
                        r.level,
                        r.fields,
                        r.related,
                        r.extra_years,
                        _route_evidence(text, r, source),
                        "degree" if r.level is not None else r.kind,  # type: ignore[arg-type]
                    )
                )
    chosen: list[EducationOption] = []
    if required:

        def bar(g: _Group) -> tuple[int, int]:
            # the degree a statement asks for; its non-degree alternatives ("or equivalent
            # professional experience") are routes beside that degree, not a lower bar
            degrees = [r.level for r in g.routes if not r.preferred and r.level is not None]
            return (min(degrees, default=0), g.order)

        best = max(required, key=bar)
        chosen = [o for o, r in zip(options(best), best.routes, strict=True) if not r.preferred]
        if not any(o.fields for o in chosen):
            donors = [g for g in reversed(required) if g is not best]
            for g in donors:
                donor = next((r for r in g.routes if r.fields and r.level is not None), None)
                if donor:
                    chosen = [
                        replace(
                            o, fields=donor.fields, related_fields=o.related_fields or donor.related
                        )
                        if o.min_level is not None
                        else o
                        for o in chosen
                    ]
                    break
        chosen = _combine_statements(chosen, best, required, text, source)
    return _dedupe_education(chosen), _dedupe_education(preferred_opts)


def _combine_statements(
    chosen: list[EducationOption],
    best: _Group,
    required: list[_Group],
    text: str,
    source: str,
) -> list[EducationOption]:
    """Every required statement holds, so the other statements shape the strictest one's options.

    - A non-degree route of the kept statement ("an advanced degree ... or equivalent professional
      experience") still needs the degree another statement requires without alternative
      ("University education in law ..."): it gets that level and those fields.
    - A statement that names only a training ("Graduation from a recognized police training
      school") is needed on top of a degree: the degree options become "training" routes; beside
      other non-degree options it is one more of them (none of which a CV settles).
    """
    others = [g for g in required if g is not best]
    floors = [
        g for g in others
        if all(r.level is not None for r in g.routes if not r.preferred)
    ]
    floor = max(floors, key=lambda g: (min(r.level or 0 for r in g.routes if not r.preferred),
                                       g.order), default=None)
    out = []
    for o in chosen:
        if o.min_level is None and floor is not None:
            donor = next((r for r in floor.routes if not r.preferred), None)
            if donor is not None and donor.level is not None:
                o = replace(o, min_level=min(r.level or 0 for r in floor.routes
                                             if not r.preferred),
                            fields=o.fields or donor.fields,
                            related_fields=o.related_fields or donor.related)
        out.append(o)
    for g in others:
        routes = [r for r in g.routes if not r.preferred]
        if not routes or any(r.level is not None for r in routes):
            continue
        training = [r for r in routes if r.kind == "training"]
        if not training:
            continue  # "or significant experience" alone: the experience checks judge it
        if any(o.min_level is not None for o in out):
            # the degree's level is in the option; the training's words are the evidence a
            # panel needs to verify it
            ev = _route_evidence(text, training[0], source)
            out = [replace(o, route="training", evidence=ev) if o.min_level is not None else o
                   for o in out]
        else:
            out.extend(
                EducationOption(None, (), r.related, 0.0, _route_evidence(text, r, source),
                                "training")
                for r in training
            )
    return out


def _dedupe_education(opts: list[EducationOption]) -> tuple[EducationOption, ...]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for o in opts:
        # two different trainings both stand; the same one read twice does not
        said = o.evidence.text.lower() if o.min_level is None and o.evidence else ""
        key = (o.min_level, o.fields, o.related_fields, o.extra_years, o.route, said)
        if key not in seen:
            seen.add(key)
            out.append(o)
    return tuple(out)


def _metadata_education(metadata: Mapping[str, str] | None) -> tuple[EducationOption, ...]:
    if not metadata:
        return ()
    value = next(
        (str(v) for k, v in metadata.items() if str(k).strip().lower() == "education level"), ""
    )
    if not value:
        return ()
    mentions = _degree_mentions(value, 0, len(value))
    if not mentions:
        return ()
    level = max(m[0] for m in mentions)
    return (
        EducationOption(
            level, (), False, 0.0, Evidence(value, 0, len(value), "metadata:Education Level")
        ),
    )


def extract_requirements(text: str, *, metadata: Mapping[str, str] | None = None) -> Requirements:
    """Structured requirements of a qualifications text, each item with its exact evidence span.

    ``metadata`` is the notice footer (``{"Education Level": "Master's Degree (...)"}``); it is read
    only when the text states no education, and a warning says so (that option's evidence has
    ``source="metadata:Education Level"`` and offsets into the metadata value). Never raises on bad
    input: empty text, a CV, noise or more than :data:`MAX_CHARS` characters give empty
    requirements with a warning.
    """
    return _extract(text, metadata=metadata, source="qualifications")


def _extract(text: object, *, metadata: Mapping[str, str] | None, source: str) -> Requirements:
    if text is None:
        text = ""
    if not isinstance(text, str):
        return Requirements(warnings=(f"requirements: expected text, got {type(text).__name__}",))
    fallback = _metadata_education(metadata)
    if not text.strip():
        if fallback:
            return Requirements(
                education=fallback,
                warnings=(
                    "qualifications text is empty: education taken from the notice's "
                    "Education Level "
                    f"({fallback[0].evidence.text if fallback[0].evidence else ''})",
                ),
            )
        return Requirements(warnings=("qualifications text is empty: no requirements extracted",))
    if len(text) > MAX_CHARS:
        return Requirements(
            warnings=(
                f"qualifications text is {len(text):,} characters (limit {MAX_CHARS:,}): not read",
            )
        )
    if _looks_like_noise(text):
        return Requirements(
            warnings=("qualifications text does not look like prose: no requirements extracted",)
        )
    if _looks_like_cv(text):
        return Requirements(
            warnings=(
                "text looks like a CV, not a qualifications section: no requirements extracted",
            )
        )
    try:
        req = _extract_checked(text, source)
    except Exception:  # pragma: no cover - the extractor must never take a pipeline down
        log.exception("requirement extraction failed")
        return Requirements(
            warnings=("requirement extraction failed on this text: no requirements extracted",)
        )
    warnings = list(req.warnings)
    if not req.education and not req.education_preferred and fallback:
        req = replace(req, education=fallback)
        warnings.append(
            "no education requirement in the qualifications text: taken from the notice's "
            f"Education Level ({fallback[0].evidence.text if fallback[0].evidence else ''})"
        )
    if req.is_empty():
        warnings.append("no requirements found in the qualifications text")
    return replace(req, warnings=tuple(warnings))


def _extract_checked(text: str, source: str) -> Requirements:
    lo = _qualification_start(text)
    items = _items(text, lo, _qualification_end(text, lo))
    groups: list[_Group] = []
    experience_found: list[tuple[ExperienceRequirement, int | None]] = []
    languages: list[LanguageRequirement] = []
    choices: list[LanguageChoice] = []
    competencies: list[RequirementItem] = []
    other: list[RequirementItem] = []
    known_langs: set[str] = set()
    unread: list[str] = []
    last_other: tuple[str, int] | None = None
    for idx, item in enumerate(items):
        t = text[item.start : item.end]
        if (
            _LEADIN_RE.search(t)
            and len(t) < 200
            and not find_durations(t)
            and not (_degree_mentions(text, item.start, item.end))
        ):
            continue
        used = False
        cats = _other_categories(t)
        if cats and not _degree_mentions(text, item.start, item.end):
            for cat in cats:
                if cat == "nationality" and last_other == ("nationality", idx - 1):
                    # the nationality paragraph runs over several sentences: one item
                    j = max(i for i, o in enumerate(other) if o.category == "nationality")
                    prev = other[j]
                    start = prev.evidence.start if prev.evidence else item.start
                    ev = _evidence(text, start or 0, item.end, source)
                    other[j] = replace(prev, text=ev.text, evidence=ev)
                else:
                    ev = _evidence(text, item.start, item.end, source)
                    required = item.required and not _PREF_RE.search(t)
                    other.append(RequirementItem(ev.text, required, cat, ev))
            last_other = ("nationality" if "nationality" in cats else cats[0], idx)
            continue
        inlieu = _INLIEU_RE.search(t)
        absurd = implausible_durations(t)
        if absurd:
            # "999999 years (four years with ...)" must not become 4: nothing of the item's
            # years is read, and a person is told
            quote = " ".join(t.split())
            unread.append(
                f"implausible value {absurd[0]!r} (years must be 0-{MAX_YEARS:.0f}): no minimum "
                f"read from '{quote[:160]}{'...' if len(quote) > 160 else ''}', for a person "
                "to check"
            )
        exp, consumed = ([], []) if inlieu or absurd else _experience(text, item, source)
        if exp:
            experience_found.extend(exp)
            used = True
        if inlieu:
            routes = _inlieu_routes(text, item, item.start + inlieu.start(), groups)
            if routes:
                used = True
        else:
            routes = _education_routes(text, item, consumed)
            if routes:
                last = groups[-1] if groups else None
                if last is not None and (
                    (item.block == "education" and last.block == "education"
                     and last.segment == item.segment)
                    or (last.order == idx - 1 and re.match(r"\W*or\b", t, re.I))
                ):
                    # statements of one "Education:" block are alternatives of each other, and
                    # so is a statement after "; or" / "OR" with the one before it
                    last.routes.extend(routes)
                    if item.block != "education":
                        last.order = idx  # the next "; or" joins this group too
                else:
                    groups.append(_Group(routes, item.required, item.block, idx, item.segment))
                used = True
        reqs, chs = _languages(text, item, source, known_langs)
        if reqs or chs:
            languages.extend(reqs)
            choices.extend(chs)
            used = True
        if not used:
            if item.required and not absurd and _looks_like_unread_requirement(text, item, t):
                quote = " ".join(t.split())
                unread.append(
                    "requirement not read, for a person to check: "
                    f"'{quote[:160]}{'...' if len(quote) > 160 else ''}'"
                )
            if not _COMPETENCY_CUE_RE.search(t) or len(t.split()) < 3 or _NARRATIVE_RE.match(t):
                continue  # headings, page furniture, prose that states no requirement
            ev = _evidence(text, item.start, item.end, source)
            required = item.required and not _PREF_RE.search(t)
            competencies.append(RequirementItem(ev.text, required, _competency_category(t), ev))
    education, education_preferred = _choose_education(groups, text, source)
    experience = _merge_paired(experience_found)
    return Requirements(
        education=education,
        education_preferred=education_preferred,
        experience=_dedupe(e for e in experience if e.mandatory),
        experience_preferred=_dedupe(e for e in experience if not e.mandatory),
        languages=_merge_languages(languages),
        language_choices=_dedupe(choices),
        competencies=tuple(competencies),
        other=tuple(other),
        warnings=tuple(unread),
    )


_UNREAD_CUE_RE = re.compile(
    r"\b(?:degree|diploma|graduat\w*|certificat\w*|licen[cs]e|qualifications?)\b",
    re.IGNORECASE,
)
_MUST_RE = re.compile(
    r"\b(?:must|required|requirement|mandatory|minimum|at\s+least|necessary|essential)\b", re.I
)


def _looks_like_unread_requirement(text: str, item: _Item, t: str) -> bool:
    """A required statement that names a degree, a diploma, a licence or years but gave no
    requirement: a shape the rules do not know, which a person must read."""
    if len(t.split()) < 3 or _NARRATIVE_RE.match(t) or _LEADIN_RE.search(t):
        return False
    if not (_UNREAD_CUE_RE.search(t) or find_durations(t)):
        return False
    return item.block in ("education", "experience", "mandatory") or bool(_MUST_RE.search(t)) \
        or bool(_degree_mentions(text, item.start, item.end)) or bool(find_durations(t))


def _inlieu_routes(text: str, item: _Item, marker: int, groups: list[_Group]) -> list[_Route]:
    """Routes of a substitution item, attached to the latest degree statement (or a new one)."""
    s, e = item.start, item.end
    routes: list[_Route] = []
    for level, ms, me in _degree_mentions(text, s, marker):
        fields, related, said, fend = _parse_fields(text, me, marker)
        routes.append(_Route(level, ms, me, fields, related, said, fields_end=max(fend, me)))
    for m in _NONDEGREE_RE.finditer(text, s, marker):
        if any(r.start <= m.start() < r.fields_end for r in routes):
            continue
        ns = m.start()
        while ns < m.end() and not text[ns].isalpha():
            ns += 1
        if text[ns : ns + 3].lower() == "or ":
            ns += 3
        routes.append(_Route(None, ns, m.end(), fields_end=m.end(),
                             kind=_nondegree_kind(m.group(0))))
    if not routes:
        return []
    routes.sort(key=lambda r: r.start)
    extra = 0.0
    durations = find_durations(text[s:e])
    if durations:
        pick = next(
            (
                d
                for d in durations
                if _ADDITIONAL_RE.search(
                    text[s + d.start - 12 if d.start >= 12 else s : s + d.end + 12]
                )
            ),
            durations[0],
        )
        extra = pick.years
    target = _inlieu_target(text, marker, e, groups)
    main = next((r for r in target.routes if r.level is not None), None) if target else None
    for r in routes:
        r.extra_years = extra
        r.end = max(r.end, e) if r is routes[-1] else r.end
        if r.said and main is not None:
            r.fields, r.related = main.fields, main.related
        r.preferred = not item.required or (
            target is not None and all(x.preferred for x in target.routes)
        )
    # evidence of the last route runs to the end of the item (the substitution clause)
    if target is not None:
        target.routes.extend(routes)
    else:
        groups.append(_Group(routes, item.required, item.block, len(groups), item.segment))
    return routes


def _inlieu_target(text: str, marker: int, end: int, groups: list[_Group]) -> _Group | None:
    """The degree statement a substitution refers to: the latest required one naming the replaced
    level ("in lieu of the second-level university degree"), else the latest required one."""
    replaced = _degree_mentions(text, marker, end)
    level = replaced[0][0] if replaced else None
    required = [g for g in groups if any(not r.preferred for r in g.routes)]
    for g in reversed(required):
        if level is not None and any(r.level == level and not r.preferred for r in g.routes):
            return g
    if required:
        return required[-1]
    return groups[-1] if groups else None


def _dedupe(values: Iterable[Any]) -> tuple[Any, ...]:
    seen: set[Any] = set()
    out = []
    for v in values:
        key = tuple(
            (k, tuple(sorted(x.items())) if isinstance(x, Mapping) else x)
            for k, x in ((f, getattr(v, f)) for f in v.__slots__ if f != "evidence")
        )
        if key not in seen:
            seen.add(key)
            out.append(v)
    return tuple(out)


def _merge_languages(reqs: list[LanguageRequirement]) -> tuple[LanguageRequirement, ...]:
    """One entry per language: required beats optional, then the higher level wins."""
    from matcher.features.languages import cefr_rank

    best: dict[str, LanguageRequirement] = {}
    for r in reqs:
        cur = best.get(r.language)
        if cur is None or (r.required, cefr_rank(r.level)) > (cur.required, cefr_rank(cur.level)):
            best[r.language] = r
    order = list(dict.fromkeys(r.language for r in reqs))
    return tuple(best[c] for c in order)


# --------------------------------------------------------------------------- programme-wide


@dataclass(frozen=True, slots=True)
class ProgrammeRequirements:
    """Requirements stated once for a whole programme (JPO openings carry none), applied to each.

        >>> prog = ProgrammeRequirements.from_text("Advanced university degree; fluent English.")
        >>> prog.requirements.education[0].min_level
        7

    ``apply`` fills every opening whose requirements are missing or empty (``overwrite=True``: all).
    """

    requirements: Requirements = field(default_factory=Requirements)
    label: str = "programme"

    @classmethod
    def from_text(
        cls, text: str, *, metadata: Mapping[str, str] | None = None, label: str = "programme"
    ) -> ProgrammeRequirements:
        return cls(_extract(text, metadata=metadata, source=label), label)

    def apply(self, openings: Iterable[Vacancy], *, overwrite: bool = False) -> tuple[Vacancy, ...]:
        out = []
        for v in openings:
            if overwrite or v.requirements is None or v.requirements.is_empty():
                note = f"requirements taken from the {self.label}-wide statement"
                out.append(
                    replace(
                        v,
                        requirements=replace(
                            self.requirements, warnings=(*self.requirements.warnings, note)
                        ),
                    )
                )
            else:
                out.append(v)
        return tuple(out)

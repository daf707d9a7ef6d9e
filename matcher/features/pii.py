"""Personal data: found in a CV, kept apart, and redacted from every text that is scored or shown.

This is the one redactor of the package. The parser uses it for ``blind_text`` and for every
scored sentence (position titles and descriptions too, see
:func:`matcher.features.sentences.scorable_text`); the HTML report and the audit log use
:class:`ValueMasker` built from the same rules.

Name, e-mail, phone, address, date of birth, age, gender, marital status, nationality, photo
captions, gendered pronouns and honorifics must never influence a score. :func:`detect_personal`
collects them into :class:`~matcher.types.PersonalData` (nationality is kept for the legal
eligibility check only) and :func:`blind_text` replaces every span with a neutral tag.
:func:`redact` does the same for any fragment of the CV (a position description), given what
was found in the whole text (the name is known there, not in the fragment).

    >>> text = "Anna Petrova\\nE-mail: anna@example.org\\nNationality: Bulgarian\\nShe led a team."
    >>> p, spans = detect_personal(text)
    >>> p.name, p.nationality
    ('Anna Petrova', ('Bulgarian',))
    >>> blind_text(text, spans)
    '[NAME]\\nE-mail: [EMAIL]\\nNationality: [NATIONALITY]\\n[PRONOUN] led a team.'
    >>> redact("- Anna drafted standards as a Bulgarian national (she/her).", p)
    '- [NAME] drafted standards as a [NATIONALITY] [PRONOUN].'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from matcher.features.dates import find_date_ranges
from matcher.features.degrees import degree_rules
from matcher.types import PersonalData

__all__ = [
    "EMAIL",
    "PersonalSpan",
    "detect_personal",
    "blind_text",
    "personal_spans",
    "redact",
    "personal_values",
    "ValueMasker",
    "mask_contacts",
]


@dataclass(frozen=True, slots=True)
class PersonalSpan:
    """A span of personal data: ``kind`` is the tag used in the blind text (NAME, EMAIL ...)."""

    kind: str
    start: int
    end: int


#: an e-mail address (the one pattern: redaction, and the notice reader's "is this a CV?" cue);
#: bounded and anchored at a token start, so a long run of word characters stays linear
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_URL_PERSONAL = re.compile(
    r"(?:https?://)?(?:www\.)?(?:linkedin\.com/in|facebook\.com|twitter\.com|x\.com|instagram\.com)"
    r"/[\w\-./%]+",
    re.IGNORECASE,
)
_URL_HOSTS = re.compile(r"linkedin|facebook|twitter|x\.com|instagram", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+(])(?:\+|00|\()?\d[\d \t().-]{7,22}\d(?![\w])")
# a label at a line start or after a separator ("Born: 1990 | Nationality: X"), then its value up
# to the next separator
_LABEL = (
    r"(?:^|(?<=[|;•·])|(?<=\s[–-]\s)|(?<=\S[ \t]{{3}})|(?<=[a-z][.!?][ \t]))"
    r"[ \t•*-]{{0,4}}(?:\d{{1,2}}\.\s*)?"
    r"(?:{labels})[ \t]*"
    r"(?:\([^)]*\))?[ \t]*(?:[:–-]|(?<=\ble)(?=\s+\d)|(?<=\bam)(?=\s+\d))[ \t]*"
    r"(?P<value>[^\n|;•·]+?)(?=[ \t]+[–|•·][ \t]|[ \t]*[|;•·]|[ \t]{{3,}}|[ \t]*$)"
)


class _Labelled:
    """A labelled field ("Nationality: ..."): the full pattern runs only on a text that holds
    one of its labels as a word (a quick search), so most CVs skip most fields."""

    def __init__(self, labels: str) -> None:
        self.quick = re.compile(rf"\b(?:{labels})", re.IGNORECASE)
        self.full = re.compile(_LABEL.format(labels=labels), re.IGNORECASE | re.MULTILINE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.full.finditer(text) if self.quick.search(text) else iter(())


def _labelled(labels: str) -> _Labelled:
    return _Labelled(labels)


_FIELDS: dict[str, _Labelled | re.Pattern[str]] = {
    "NAME": _labelled(
        r"(?:full\s+)?name|surname|first\s+name|family\s+name|last\s+name|nom(?:\s+et\s+prénom)?"
        r"|prénom|name,?\s+vorname|vorname|nachname|фио|имя|фамилия"
    ),
    "PHONE": _labelled(
        r"phone|telephone|tel\.?|mobile|cell|mob\.?|téléphone|portable|telefon|handy|mobil"
        r"|телефон|тел\.?"
    ),
    "EMAIL": _labelled(r"e-?mail|courriel|e-?mail-adresse|электронная\s+почта|почта"),
    "ADDRESS": _labelled(
        r"(?:home\s+|postal\s+|permanent\s+)?address|adresse|anschrift|wohnort|адрес"
        r"|место\s+жительства|domicile"
    ),
    "DATE_OF_BIRTH": _labelled(
        r"date\s+of\s+birth|d\.?o\.?b\.?|birth\s*date|born|date\s+et\s+lieu\s+de\s+naissance"
        r"|date\s+de\s+naissance|né\(?e?\)?\s+le|geburtsdatum|geboren(?:\s+am)?|дата\s+рождения"
        r"|place\s+and\s+date\s+of\s+birth|geburtsort\s+und\s+-?datum"
    ),
    "AGE": _labelled(r"age|âge|alter|возраст"),
    "GENDER": _labelled(r"gender|sex|sexe|genre|geschlecht|пол"),
    "MARITAL_STATUS": _labelled(
        r"marital\s+status|civil\s+status|family\s+status|situation\s+(?:de\s+famille|familiale)"
        r"|état\s+civil|familienstand|семейное\s+положение"
    ),
    "NATIONALITY": _labelled(
        r"nationality\s+at\s+birth|present\s+nationality|nationality|nationalities|citizenship|nationalité|staatsangehörigkeit|nationalität"
        r"|staatsbürgerschaft|гражданство|национальность"
    ),
    "PHOTO": re.compile(
        r"^[ \t]*(?:(?:\[[ \t]*)?(?:photo|photograph|picture|foto|bild|фото)\b[^\n]{0,40}\]?|"
        r"\[(?:photo|foto|фото)[^\]\n]*\])[ \t]*$",
        re.IGNORECASE | re.MULTILINE,
    ),
}
# Europass writes some labels without a colon ("Sex Female | Date of birth 21/06/1989")
_NO_COLON: dict[str, re.Pattern[str]] = {
    "GENDER": re.compile(
        r"(?:^|(?<=[|;•·]))[ \t]*(?:sex|gender|geschlecht|sexe|пол)[ \t]+(?P<value>male|female|man|"
        r"woman|m|f|männlich|weiblich|masculin|féminin|мужской|женский|non-binary|divers)"
        r"(?=[ \t]*(?:[|;•·]|$))",
        re.IGNORECASE | re.MULTILINE,
    ),
    "DATE_OF_BIRTH": re.compile(
        r"(?:^|(?<=[|;•·]))[ \t]*(?:date\s+of\s+birth|born|geboren|né\(?e?\)?\s+le)[ \t]+"
        r"(?P<value>\d[\d./ -]{5,12}\d)",
        re.IGNORECASE | re.MULTILINE,
    ),
    "NATIONALITY": re.compile(
        # any letter first: "Nationality française", "Citizenship Österreich"
        r"(?:^|(?<=[|;•·]))[ \t]*(?i:nationality|citizenship)[ \t]+(?P<value>[^\W\d_][\w-]+"
        r"(?:[ \t]*(?:,|/|and)[ \t]*[^\W\d_][\w-]+)?)(?=[ \t]*(?:[|;•·]|$))",
        re.MULTILINE,
    ),
}
_AGE_INLINE = re.compile(
    r"\b\d{2}\s*(?:years?\s+old|ans\b|jahre\s+alt|лет\b|года\b)|\baged\s+\d{2}\b", re.IGNORECASE
)
# "Ms Office", "Ms Excel": Microsoft, not an honorific
_MS_PRODUCT = (
    r"(?![ \t]*(?i:Office|Excel|Word|Access|Outlook|Project|PowerPoint|Power[ \t]?Point|Sql|SQL"
    r"|Publisher|Visio|Asp|ASP|Dynamics|Teams|SharePoint|Windows|Exchange|Dos|DOS|Paint"
    r"|Navision|Suite|Server|Azure|Visual|Works|Money|Paint|Project)\b)"
)
_PRONOUN = re.compile(
    r"\b(?:he|she|him|her|his|hers|himself|herself|Mr|Mrs|Mx|Miss|Mme|Mlle|Herr|Frau"
    rf"|Ms\b{_MS_PRODUCT}|Née|née|Né|né)\b\.?",  # "Née le": the French participle says the gender
)
_PRONOUN_CAP = re.compile(r"\b(?:He|She|Him|Her|His|Hers)\b")
# "(she/her)", "(they/them/theirs)": the whole group, so "they" and "she" leave the same tag
_PRONOUN_GROUP = re.compile(
    r"\(\s*(?:she|he|they|ze|xe|er|sie|il|elle)(?:\s*/\s*[^\W\d_]{1,8}){1,2}\s*\)", re.IGNORECASE
)
# "a Dutch national", "Nigerian citizen", "citizen of Kenya", "Polish-born": a nationality said in
# a sentence. The adjective is any capitalised word, not a list, so a nationality no list has is
# caught too; words that open a job title ("Senior national expert") are not nationalities.
_NOT_DEMONYM = (
    r"(?:Senior|Junior|Chief|Head|Seconded|International|National|Local|Associate|Assistant"
    r"|Deputy|Regional|Principal|Lead|Former|Other|All|Some|Many|Several|The|A|An|Non|Third"
    r"|Country|Foreign|Eligible|Qualified|Young|New|First|Second)"
)
_NATIONALITY_PHRASE = re.compile(
    rf"(?<![\w-])(?!{_NOT_DEMONYM}\b)[A-ZÀ-Þ][a-zà-ÿ]+(?:[- ][A-ZÀ-Þ][a-zà-ÿ]+)?"
    r"(?:[ \t]+and[ \t]+[A-ZÀ-Þ][a-zà-ÿ]+)?"
    r"(?:[ \t]+(?:national|citizen|passport[- ]holder|nationality|citizenship)s?"
    # a noun ("a Dutch national, ..."), not an adjective ("Led national campaigns")
    r"(?=[ \t]*(?:[.,;:()]|$)|[ \t]+(?:with|and|who|since|living|residing|holding|based|by|from)\b)"
    r"|-born\b)"
    r"|\b(?:citizen|national|native|passport[ \t]+holder)s?[ \t]+of[ \t]+(?:the[ \t]+)?"
    r"[A-ZÀ-Þ][a-zà-ÿ]+(?:[ \t]+[A-ZÀ-Þ][a-zà-ÿ]+){0,2}",
    re.MULTILINE,
)
# a gender said of oneself in a sentence ("as a woman in policing", "I am a male nurse")
_GENDER_INLINE = re.compile(
    r"\b(?:as\s+a|I\s+am\s+a|being\s+a)\s+(?:woman|man|female|male|mother|father|girl|boy"
    r"|non-binary\s+person|trans\s+(?:woman|man))\b",
    re.IGNORECASE,
)
_MARITAL_INLINE = re.compile(
    r"(?:^|(?<=[|;•·,])|(?<=\s[–-]\s))[ \t]*(?:married|single|divorced|widowed|mari[ée]e?"
    r"|célibataire|verheiratet|ledig|geschieden|женат|замужем|холост|не\s+замужем)"
    r"(?:,?\s+(?:\d|one|two|three|zwei|drei|deux|trois)\s*\w+)?(?=[ \t]*(?:[|;•·,–-]|$))",
    re.IGNORECASE | re.MULTILINE,
)
# academic titles, before a name ("Dr. Anna Petrova") or after it ("Anna Petrova, Prof.")
_ACADEMIC_TITLE = r"Dr|Prof|Mag"
_HONORIFIC = re.compile(rf"^(?:{_ACADEMIC_TITLE}|Mr|Mrs|Ms|Mx|Mme|M|Herr|Frau|Dipl\.-\w+)\.?$")
# an honorific that says the gender, then a name: "Mrs. Anna Petrova", "Herr Müller"
_HONORIFIC_NAME = re.compile(
    rf"\b(?:Mr|Mrs|Ms{_MS_PRODUCT}|Mx|Miss|Mme|Mlle|Herr|Frau)\b\.?[ \t]+"
    r"(?:[A-ZÀ-ÖØ-ÞА-ЯЁΑ-Ω][\w'’-]+)(?:[ \t]+[A-ZÀ-ÖØ-ÞА-ЯЁΑ-Ω][\w'’-]+){0,2}"
)
_NOT_NAME = re.compile(
    r"curriculum|vitae|resume|résumé|lebenslauf|резюме|profile|summary|experience|education"
    r"|contact|objective|skills|officer|manager|assistant|engineer|analyst|adviser|advisor"
    r"|personal|information|cv\b|europass|application|form|history|candidate|specialist"
    r"|consultant|accountant|director|teacher|developer|representative|coordinator|designer"
    r"|company|name|office|suite|microsoft|career|focus|planning|management|services?|customer"
    r"|sales|project|senior|junior|lead|head|chief|associate|member|advocate|scientist|research"
    r"|technician|nurse|chef|driver|clerk|agent|supervisor|administrator|executive|professional"
    r"|technical|tactical|strategic|operations|marketing|finance|financial|business|human"
    r"|resources|general|legal|medical|public|relations|assurance|quality|data|systems?"
    r"|network|software|security|safety|program|programme|team|staff|intern|trainee|student"
    r"|graduate|merchant|buyer|cashier|server|cook|attorney|paralegal|auditor|banker|writer"
    r"|editor|artist|instructor|trainer|therapist|pharmac|physician|doctor|police|officer"
    r"|soldier|pilot|mechanic|electrician|welder|carpenter|plumber|operator|worker|volunteer"
    r"|highlights|accomplishments|qualifications|certifications|references|languages",
    re.IGNORECASE,
)
# "Curriculum Vitae of ...", "CV – ...", "Resume: ...": a title in front of the name
_CV_TITLE = re.compile(
    r"^(?:curriculum\s+vitae|cv|r[ée]sum[ée]|lebenslauf|резюме)\b\s*(?:of|von|de|:|[–—-])?\s*",
    re.IGNORECASE,
)
# ", MSc", ", PhD, MBA": post-nominal letters after the name: a degree abbreviation of the
# degree table (its case-sensitive rows read anywhere in a CV), a short run of capitals, a title
_POSTNOMINAL = (
    "(?:[A-Z]{2,6}|"
    + "|".join(
        r.pattern.pattern
        for r in degree_rules()
        if r.case_sensitive and r.scope == "any" and r.applies in ("cv", "both")
    )
    + rf"|Esq|Dipl\.[-\w]*|Ing|{_ACADEMIC_TITLE})\.?"
)
_POSTNOMINALS = re.compile(rf"(?:\s*,\s*{_POSTNOMINAL}(?:\s+{_POSTNOMINAL})*)+\s*$")
_HEADING_LINE = re.compile(
    r"^(?:summary|skills|highlights|profile|objective|experience|education|qualifications"
    r"|accomplishments|professional\s+summary|career\s+overview|core\s+qualifications)\b",
    re.IGNORECASE,
)
# "Name – Job title", "Name | Title": the name is the first part
_HEADER_SPLIT = re.compile(r"\s+[–—|-]\s+|\s*\|\s*|\s{3,}")


def _is_name_word(w: str) -> bool:
    """A word that can be part of a name in any script.

    Cased scripts (Latin, Greek, Cyrillic): capitalised or all capitals, letters with inner hyphens
    and apostrophes ("Marchetti-Vos", "O'Neill", "ΠΑΠΑΔΟΠΟΥΛΟΥ"), or an initial ("J."). Scripts
    without case (Arabic, Chinese, Hebrew, Devanagari ...): letters only.
    """
    if len(w) == 2 and w[0].isupper() and w[1] == ".":
        return True
    core = w.replace("-", "").replace("'", "").replace("’", "")
    if not core or not all(ch.isalpha() for ch in core) or w[0] in "-'’" or w[-1] in "-'’":
        return False
    if all(ch.lower() == ch.upper() for ch in core):  # no case: Arabic, CJK ...
        return True
    if not w[0].isupper():
        return False
    if core.isupper():
        return len(core) >= 2
    # "Marchetti-Vos", "McDonald", "DeSouza": lower case after the first letter of each part
    return all(part[:1].isupper() or part[:1] in "dl" for part in re.split(r"[-'’]", w) if part)


def _uncased(w: str) -> bool:
    return all(ch.lower() == ch.upper() for ch in w if ch.isalpha())


def _name_candidate(line: str) -> tuple[int, int] | None:
    """(start, end) of a name within a header line, or None.

    Handles "ELENA MARCHETTI-VOS, MSc", "Curriculum Vitae of Elena Marchetti", "Elena Marchetti
    (she/her)", "Elena Marchetti – Policy Officer", and names in scripts without case.
    """
    start, end = 0, len(line)
    m = _CV_TITLE.match(line)
    if m and m.end() < end:
        start = m.end()
    part = line[start:end]
    m = _PRONOUN_GROUP.search(part)
    if m:
        part = part[: m.start()]
    cut = _HEADER_SPLIT.search(part)
    if cut:
        part = part[: cut.start()]
    m = _POSTNOMINALS.search(part)
    if m and m.start() > 0:
        part = part[: m.start()]
    part = part.rstrip(" ,")
    if not part:
        return None
    words = part.replace(",", " ").split()
    lead = 0
    while lead < len(words) - 1 and _HONORIFIC.match(words[lead]):
        lead += 1
    words = words[lead:]
    uncased = bool(words) and all(_uncased(w) for w in words)
    low, high = (1, 4) if uncased else (2, 4)
    if not low <= len(words) <= high or not all(_is_name_word(w) for w in words):
        return None
    if uncased and len(words) == 1 and not 2 <= len(words[0]) <= 6:
        return None  # one word without case: a short CJK name, not a phrase
    if _NOT_NAME.search(part):
        return None
    first = part.find(words[0])
    return start + first, start + len(part)


def _guess_name(text: str) -> tuple[str, int, int] | None:
    """The first short line near the top that holds a name (see :func:`_name_candidate`).

    A line whose words also appear in lower case elsewhere ("HR GENERALIST" when the text says
    "generalist") is a heading or a job title, not a name: redacting it would damage the text.
    """
    pos = 0
    scan = EMAIL.sub(" ", text)  # "ioana.sm@example.ro" does not make "Ioana" an ordinary word
    seen = 0
    heading_seen = False
    for line in text.split("\n", 12)[:12]:
        if line.strip():
            seen += 1
        if seen > 4:  # a name is at the very top
            break
        stripped = line.strip().strip("#*_> \t")  # a Markdown heading: "# Jane Doe"
        start = pos + line.find(stripped) if stripped else pos
        pos += len(line) + 1
        if not stripped or len(stripped) > 120:
            continue
        found = _name_candidate(stripped)
        if _HEADING_LINE.match(stripped):
            heading_seen = True
        if found is None:
            continue
        if heading_seen and _HEADER_SPLIT.search(stripped):
            continue  # "Visual Elements - Image Layout" under "Highlights" is a skill, not a name
        name = stripped[found[0]:found[1]]
        words = name.replace(",", " ").split()
        if any(_used_as_word(w, scan) for w in words if len(w) > 2 and not _uncased(w)):
            continue
        return name, start + found[0], start + found[1]
    return None


def _used_as_word(word: str, text: str) -> bool:
    """``word`` occurs in lower case as an ordinary word (not inside an e-mail address)."""
    low = word.lower().strip(".")
    if low == word:
        return True
    return re.search(rf"(?<![\w@.]){re.escape(low)}(?![\w@])", text) is not None


_REFERENCES = re.compile(
    r"^[ \t#*]*(?:references?|referees?|referenzen|références|рекомендации|recommendations)"
    r"[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_LEAD = re.compile(r"^[ \t]*(?:[•●▪◦‣∙·*\-–—]|\d{1,2}[.)])?[ \t]*")


def _referee_spans(text: str) -> list[PersonalSpan]:
    """Names of referees: a name at the start of a line in the lines after a references heading."""
    spans: list[PersonalSpan] = []
    for m in _REFERENCES.finditer(text):
        pos = m.end() + 1
        for line in text[pos:].split("\n", 16)[:15]:
            lead = _LEAD.match(line)
            body_start = lead.end() if lead else 0
            body = line[body_start:]
            found = _name_candidate(body[:120])
            if found is not None:
                spans.append(PersonalSpan("NAME", pos + body_start + found[0],
                                          pos + body_start + found[1]))
            pos += len(line) + 1
    return spans


def _split_nationality(value: str) -> tuple[str, ...]:
    parts = re.split(r"\s*(?:,|/|;|\band\b|\bund\b|\bet\b|\bи\b|&)\s*", value.strip())
    return tuple(p.strip(" .") for p in parts if p.strip(" .") and len(p) < 40)


def _name_parts(name: str) -> list[str]:
    """The name and each of its parts worth finding alone ("Elena", "Marchetti-Vos", "Li")."""
    parts = [p.strip(".") for p in re.split(r"[\s,]+", name)]
    keep = [
        p for p in parts
        if len(p) > 2 or (len(p) == 2 and (_uncased(p) or (p[0].isupper() and p[1].islower())))
    ]
    return sorted({name, *keep}, key=len, reverse=True)


def _pattern_spans(text: str, name: str | None) -> list[PersonalSpan]:
    """Spans found by rules alone (labels, contact details, pronouns ...) and by the known name."""
    spans: list[PersonalSpan] = []
    for kind, rx in _FIELDS.items():
        for m in rx.finditer(text):
            if kind == "PHOTO":
                spans.append(PersonalSpan(kind, m.start(), m.end()))
                continue
            value = m.group("value").strip()
            if value and not (kind == "NAME" and len(value.split()) > 6):
                spans.append(PersonalSpan(kind, m.start("value"), m.start("value") + len(value)))
    for kind, rx in _NO_COLON.items():
        for m in rx.finditer(text):
            spans.append(PersonalSpan(kind, m.start("value"), m.end("value")))
    if name:
        for part in _name_parts(name):
            for m in re.finditer(rf"(?<![\w-]){re.escape(part)}(?![\w-])", text):
                spans.append(PersonalSpan("NAME", m.start(), m.end()))
    spans.extend(PersonalSpan("EMAIL", s, e) for s, e, _ in _emails(text))
    if _URL_HOSTS.search(text):
        for m in _URL_PERSONAL.finditer(text):
            spans.append(PersonalSpan("URL", m.start(), m.end()))
    spans.extend(PersonalSpan("PHONE", s, e) for s, e, _ in _phones(text))
    spans.extend(_referee_spans(text))
    for rx, kind in (
        (_HONORIFIC_NAME, "NAME"),
        (_AGE_INLINE, "AGE"),
        (_MARITAL_INLINE, "MARITAL_STATUS"),
        (_NATIONALITY_PHRASE, "NATIONALITY"),
        (_GENDER_INLINE, "GENDER"),
        (_PRONOUN_GROUP, "PRONOUN"),
        (_PRONOUN, "PRONOUN"),
        (_PRONOUN_CAP, "PRONOUN"),
    ):
        for m in rx.finditer(text):
            spans.append(PersonalSpan(kind, m.start(), m.end()))
    return spans


def _emails(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in EMAIL.finditer(text)]


def _phones(text: str) -> list[tuple[int, int, str]]:
    """Phone numbers: 9 to 15 digits that are not a date or a range of years."""
    out = []
    for m in _PHONE.finditer(text):
        raw = m.group(0)
        digits = re.sub(r"\D", "", raw)
        if not 9 <= len(digits) <= 15 or re.fullmatch(r"(?:19|20)\d\d(?:\D+(?:19|20)\d\d)*",
                                                       raw.strip()):
            continue
        if re.search(r"\b(?:19|20)\d\d\b.*\b(?:19|20)\d\d\b", raw) or find_date_ranges(raw):
            continue  # dates, not a phone number
        out.append((m.start(), m.end(), raw.strip()))
    return out


def detect_personal(text: str) -> tuple[PersonalData, list[PersonalSpan]]:
    """Personal data found in ``text`` and every span to redact."""
    values: dict[str, str] = {}
    for kind, rx in _FIELDS.items():
        for m in rx.finditer(text):
            if kind == "PHOTO":
                values.setdefault(kind, m.group(0).strip())
                continue
            value = m.group("value").strip()
            if not value or (kind == "NAME" and len(value.split()) > 6):
                continue
            if kind == "NAME" and "NAME" in values and value not in values["NAME"]:
                # "Family name: X   First name: Y" -> "Y X"
                label = m.group(0)[: m.start("value") - m.start()].lower()
                first = "first" in label or "vorname" in label or "prénom" in label
                known = values["NAME"]
                values["NAME"] = f"{value} {known}" if first else f"{known} {value}"
            values.setdefault(kind, value)
    for kind, rx in _NO_COLON.items():
        for m in rx.finditer(text):
            values.setdefault(kind, m.group("value").strip())
    spans: list[PersonalSpan] = []
    name = values.get("NAME")
    if name is None:
        guess = _guess_name(text)
        if guess:
            name = guess[0]
            spans.append(PersonalSpan("NAME", guess[1], guess[2]))
    spans.extend(_pattern_spans(text, name))
    for _s, _e, email in _emails(text)[:1]:
        values.setdefault("EMAIL", email)
    for _s, _e, phone in _phones(text)[:1]:
        values.setdefault("PHONE", phone)
    for m in _MARITAL_INLINE.finditer(text):
        values.setdefault("MARITAL_STATUS", m.group(0).strip())
        break
    other = {
        k.lower(): v
        for k, v in values.items()
        if k in ("AGE", "MARITAL_STATUS", "PHOTO")
    }
    personal = PersonalData(
        name=name,
        email=values.get("EMAIL"),
        phone=values.get("PHONE"),
        address=values.get("ADDRESS"),
        date_of_birth=values.get("DATE_OF_BIRTH"),
        gender=values.get("GENDER"),
        nationality=_split_nationality(values["NATIONALITY"]) if "NATIONALITY" in values else (),
        other=other,
    )
    return personal, _merge(spans)


def personal_spans(text: str, personal: PersonalData | None = None) -> list[PersonalSpan]:
    """Spans to redact in a fragment of a CV, knowing ``personal`` (found in the whole CV).

    The fragment's own labelled fields, contact details, pronouns, honorifics, nationality and
    gender phrases and age are found by rule; the name by what the whole CV said it was.
    """
    name = personal.name if personal is not None else None
    return _merge(_pattern_spans(text, name))


def redact(text: str, personal: PersonalData | None = None) -> str:
    """``text`` (any part of a CV) with its personal data replaced by ``[KIND]`` tags."""
    if not text:
        return text
    return blind_text(text, personal_spans(text, personal))


def _merge(spans: list[PersonalSpan]) -> list[PersonalSpan]:
    """Overlapping spans merged (the earlier, longer one wins its tag)."""
    out: list[PersonalSpan] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if out and s.start < out[-1].end:
            last = out[-1]
            if s.end > last.end:
                out[-1] = PersonalSpan(last.kind, last.start, s.end)
            continue
        out.append(s)
    return out


def blind_text(text: str, spans: list[PersonalSpan]) -> str:
    """``text`` with every personal span replaced by ``[KIND]``."""
    parts: list[str] = []
    pos = 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < pos:
            continue
        parts.append(text[pos:s.start])
        parts.append(f"[{s.kind}]")
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


# --------------------------------------------------------------------------- display masking


def personal_values(personal: PersonalData | None) -> list[str]:
    """Every personal value of a profile worth masking where it is shown: name and its parts,
    e-mail, phone, address, date of birth, gender, nationality and the other fields."""
    if personal is None:
        return []
    get = partial(getattr, personal)
    values = [
        v
        for v in (get(k, None) for k in ("name", "email", "phone", "address", "date_of_birth",
                                          "gender"))
        if isinstance(v, str) and v
    ]
    values += [v for v in get("nationality", ()) or () if isinstance(v, str)]
    values += [v for v in (get("other", None) or {}).values() if isinstance(v, str)]
    name = get("name", None)
    if isinstance(name, str):
        values += [p for p in re.split(r"[\s,]+", name) if len(p) >= 3]
    return sorted({v.strip() for v in values if len(v.strip()) >= 3}, key=len, reverse=True)


def mask_contacts(text: str, mask: str = "[redacted]") -> str:
    """E-mail addresses and phone numbers in ``text`` replaced by ``mask``."""
    spans = sorted(_emails(text) + _phones(text))
    out: list[str] = []
    pos = 0
    for s, e, _ in spans:
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append(mask)
        pos = e
    out.append(text[pos:])
    return "".join(out)


class ValueMasker:
    """Masks known personal values (case-insensitive, whole words) and any e-mail or phone number.

    The HTML report and the audit log build one per candidate from :func:`personal_values`.
    """

    def __init__(self, values: list[str] | tuple[str, ...] = (), mask: str = "[redacted]") -> None:
        self.mask = mask
        kept = sorted({v.strip() for v in values if len(v.strip()) >= 3}, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in kept), re.IGNORECASE)
            if kept
            else None
        )

    def __call__(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(self.mask, text)
        return mask_contacts(text, self.mask)

"""Personal data in a CV: found, kept apart, and redacted from the text that scoring reads.

Name, e-mail, phone, address, date of birth, age, gender, marital status, nationality, photo
captions and gendered pronouns or honorifics must never influence a score. :func:`detect_personal`
collects them into :class:`~matcher.types.PersonalData` (nationality is kept for the legal
eligibility check only) and :func:`blind_text` replaces every span with a neutral tag.

    >>> text = "Anna Petrova\\nE-mail: anna@example.org\\nNationality: Bulgarian\\nShe led a team."
    >>> p, spans = detect_personal(text)
    >>> p.name, p.nationality
    ('Anna Petrova', ('Bulgarian',))
    >>> blind_text(text, spans)
    '[NAME]\\nE-mail: [EMAIL]\\nNationality: [NATIONALITY]\\n[PRONOUN] led a team.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.features.dates import find_date_ranges
from matcher.types import PersonalData

__all__ = ["PersonalSpan", "detect_personal", "blind_text"]


@dataclass(frozen=True, slots=True)
class PersonalSpan:
    """A span of personal data: ``kind`` is the tag used in the blind text (NAME, EMAIL ...)."""

    kind: str
    start: int
    end: int


# bounded and anchored at a token start, so a long run of word characters stays linear
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_URL_PERSONAL = re.compile(
    r"(?:https?://)?(?:www\.)?(?:linkedin\.com/in|facebook\.com|twitter\.com|x\.com|instagram\.com)"
    r"/[\w\-./%]+",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w+(])(?:\+|00|\()?\d[\d\s().-]{7,22}\d(?![\w])")
# a label at a line start or after a separator ("Born: 1990 | Nationality: X"), then its value up
# to the next separator
_LABEL = (
    r"(?:^|(?<=[|;•·])|(?<=\s[–-]\s)|(?<=\S[ \t]{{3}}))[ \t•*-]{{0,4}}(?:\d{{1,2}}\.\s*)?"
    r"(?:{labels})[ \t]*"
    r"(?:\([^)]*\))?[ \t]*(?:[:–-]|(?<=\ble)(?=\s+\d)|(?<=\bam)(?=\s+\d))[ \t]*"
    r"(?P<value>[^\n|;•·]+?)(?=[ \t]+[–|•·][ \t]|[ \t]*[|;•·]|[ \t]{{3,}}|[ \t]*$)"
)


def _labelled(labels: str) -> re.Pattern[str]:
    return re.compile(_LABEL.format(labels=labels), re.IGNORECASE | re.MULTILINE)


_FIELDS: dict[str, re.Pattern[str]] = {
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
    r"\b\d{2}\s*(?:years?\s+old|ans\b|jahre\s+alt|лет\b|года\b)", re.IGNORECASE
)
_PRONOUN = re.compile(
    r"\b(?:he|she|him|her|his|hers|himself|herself|Mr|Mrs|Ms|Miss|Mme|Mlle|Herr|Frau"
    r"|Née|née|Né|né)\b\.?",  # "Née le 02/09/1990": the French participle says the gender
)
_PRONOUN_CAP = re.compile(r"\b(?:He|She|Him|Her|His|Hers)\b")
_MARITAL_INLINE = re.compile(
    r"(?:^|(?<=[|;•·,])|(?<=\s[–-]\s))[ \t]*(?:married|single|divorced|widowed|mari[ée]e?"
    r"|célibataire|verheiratet|ledig|geschieden|женат|замужем|холост|не\s+замужем)"
    r"(?:,?\s+(?:\d|one|two|three|zwei|drei|deux|trois)\s*\w+)?(?=[ \t]*(?:[|;•·,–-]|$))",
    re.IGNORECASE | re.MULTILINE,
)
_NAME_WORD = re.compile(
    r"^[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zà-öø-ÿа-яё'’]+(?:-[A-ZÀ-ÖØ-ÞА-ЯЁa-zà-öø-ÿа-яё][a-zà-öø-ÿа-яё'’]+)*$"
    r"|^[A-ZÀ-ÖØ-ÞА-ЯЁ'’-]{2,}$|^[A-ZА-Я]\.$"
)
_HONORIFIC = re.compile(r"^(?:Dr|Prof|Mr|Mrs|Ms|Mme|M|Herr|Frau|Mag|Dipl\.-\w+)\.?$")
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


def _guess_name(text: str) -> tuple[str, int, int] | None:
    """The first short line of 2-4 capitalised words near the top is taken as the name.

    A line whose words also appear in lower case elsewhere ("HR GENERALIST" when the text says
    "generalist") is a heading or a job title, not a name: redacting it would damage the text.
    """
    pos = 0
    scan = _EMAIL.sub(" ", text)  # "ioana.sm@example.ro" does not make "Ioana" an ordinary word
    seen = 0
    for line in text.split("\n"):
        if line.strip():
            seen += 1
        if seen > 4:  # a name is at the very top
            break
        stripped = line.strip().strip("#*_> \t")  # a Markdown heading: "# Jane Doe"
        start = pos + line.find(stripped) if stripped else pos
        pos += len(line) + 1
        if not stripped:
            continue
        words = stripped.replace(",", " ").split()
        while words and _HONORIFIC.match(words[0]):
            words = words[1:]
        if (
            2 <= len(words) <= 4
            and all(_NAME_WORD.match(w) for w in words)
            and not _NOT_NAME.search(stripped)
            and not any(_used_as_word(w, scan) for w in words if len(w) > 2)
        ):
            return stripped, start, start + len(stripped)
    return None


def _used_as_word(word: str, text: str) -> bool:
    """``word`` occurs in lower case as an ordinary word (not inside an e-mail address)."""
    low = word.lower().strip(".")
    if low == word:
        return True
    return re.search(rf"(?<![\w@.]){re.escape(low)}(?![\w@])", text) is not None


def _split_nationality(value: str) -> tuple[str, ...]:
    parts = re.split(r"\s*(?:,|/|;|\band\b|\bund\b|\bet\b|\bи\b|&)\s*", value.strip())
    return tuple(p.strip(" .") for p in parts if p.strip(" .") and len(p) < 40)


def detect_personal(text: str) -> tuple[PersonalData, list[PersonalSpan]]:
    """Personal data found in ``text`` and every span to redact."""
    spans: list[PersonalSpan] = []
    values: dict[str, str] = {}
    for kind, rx in _FIELDS.items():
        for m in rx.finditer(text):
            if kind == "PHOTO":
                spans.append(PersonalSpan(kind, m.start(), m.end()))
                values.setdefault(kind, m.group(0).strip())
                continue
            value = m.group("value").strip()
            if not value:
                continue
            if kind == "NAME" and len(value.split()) > 6:
                continue
            spans.append(PersonalSpan(kind, m.start("value"), m.start("value") + len(value)))
            if kind == "NAME" and "NAME" in values and value not in values["NAME"]:
                # "Family name: X   First name: Y" -> "Y X"
                label = m.group(0)[: m.start("value") - m.start()].lower()
                first = "first" in label or "vorname" in label or "prénom" in label
                known = values["NAME"]
                values["NAME"] = f"{value} {known}" if first else f"{known} {value}"
            values.setdefault(kind, value)
    for kind, rx in _NO_COLON.items():
        for m in rx.finditer(text):
            spans.append(PersonalSpan(kind, m.start("value"), m.end("value")))
            values.setdefault(kind, m.group("value").strip())
    name = values.get("NAME")
    if name is None:
        guess = _guess_name(text)
        if guess:
            name = guess[0]
            spans.append(PersonalSpan("NAME", guess[1], guess[2]))
    if name:
        # every other mention of the name (or its parts) goes too
        parts = [p for p in re.split(r"[\s,]+", name) if len(p) > 2]
        for part in {name, *parts}:
            for m in re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", text):
                spans.append(PersonalSpan("NAME", m.start(), m.end()))
    for m in _EMAIL.finditer(text):
        spans.append(PersonalSpan("EMAIL", m.start(), m.end()))
        values.setdefault("EMAIL", m.group(0))
    for m in _URL_PERSONAL.finditer(text):
        spans.append(PersonalSpan("URL", m.start(), m.end()))
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 9 <= len(digits) <= 15 and not re.fullmatch(r"(?:19|20)\d\d(?:\D+(?:19|20)\d\d)*",
                                                       m.group(0).strip()):
            if find_date_ranges(m.group(0)) or re.search(r"\b(?:19|20)\d\d\b.*\b(?:19|20)\d\d\b",
                                                         m.group(0)):
                continue  # dates, not a phone number
            spans.append(PersonalSpan("PHONE", m.start(), m.end()))
            values.setdefault("PHONE", m.group(0).strip())
    for m in _AGE_INLINE.finditer(text):
        spans.append(PersonalSpan("AGE", m.start(), m.end()))
    for m in _MARITAL_INLINE.finditer(text):
        spans.append(PersonalSpan("MARITAL_STATUS", m.start(), m.end()))
        values.setdefault("MARITAL_STATUS", m.group(0).strip())
    for m in _PRONOUN.finditer(text):
        spans.append(PersonalSpan("PRONOUN", m.start(), m.end()))
    for m in _PRONOUN_CAP.finditer(text):
        spans.append(PersonalSpan("PRONOUN", m.start(), m.end()))
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

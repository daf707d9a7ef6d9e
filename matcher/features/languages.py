"""Language names (in the languages CVs and notices are written in) to ISO 639-1, and level words
to CEFR. Shared by requirement extraction and CV parsing so both sides speak the same codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from matcher.errors import ConfigError
from matcher.features.tables import alternation, read_table
from matcher.types import CEFR_LEVELS

__all__ = [
    "CEFR_CODE",
    "LANGUAGE_NAMES",
    "OSCE_OFFICIAL_LANGUAGES",
    "language_code",
    "find_languages",
    "cefr_from_words",
    "cefr_rank",
    "language_pattern",
    "LevelPhrase",
    "level_phrases",
    "native_pattern",
    "level_cue_pattern",
    "p11_pattern",
    "p11_level",
]

#: The six official OSCE languages.
OSCE_OFFICIAL_LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "it", "ru", "es")

#: ISO 639-1 code -> names as written in English, French, German, Russian, Spanish, Italian and
#: the language's own name. Lower case; matched on word boundaries.
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "anglais", "englisch", "английский", "inglés", "ingles", "inglese"),
    "fr": ("french", "français", "francais", "französisch", "franzosisch", "французский",
           "francés", "frances", "francese"),
    "de": ("german", "allemand", "deutsch", "немецкий", "alemán", "aleman", "tedesco"),
    "ru": ("russian", "russe", "russisch", "русский", "ruso", "russo"),
    "es": ("spanish", "espagnol", "spanisch", "испанский", "español", "espanol", "spagnolo",
           "castilian"),
    "it": ("italian", "italien", "italienisch", "итальянский", "italiano"),
    "pt": ("portuguese", "portugais", "portugiesisch", "португальский", "portugués", "português",
           "portoghese"),
    "ar": ("arabic", "arabe", "arabisch", "арабский", "árabe", "arabo"),
    "zh": ("chinese", "mandarin", "cantonese", "chinois", "chinesisch", "китайский", "chino",
           "cinese"),
    "uk": ("ukrainian", "ukrainien", "ukrainisch", "украинский", "українська", "ucraniano"),
    "pl": ("polish", "polonais", "polnisch", "польский", "polski"),
    "tr": ("turkish", "turc", "türkisch", "турецкий", "türkçe", "turco"),
    "sr": ("serbian", "serbe", "serbisch", "сербский", "srpski"),
    "hr": ("croatian", "croate", "kroatisch", "хорватский", "hrvatski"),
    "bs": ("bosnian", "bosniaque", "bosnisch", "боснийский", "bosanski"),
    "sq": ("albanian", "albanais", "albanisch", "албанский", "shqip"),
    "mk": ("macedonian", "macédonien", "mazedonisch", "македонский"),
    "ro": ("romanian", "roumain", "rumänisch", "румынский", "română"),
    "bg": ("bulgarian", "bulgare", "bulgarisch", "болгарский"),
    "el": ("greek", "grec", "griechisch", "греческий"),
    "hu": ("hungarian", "hongrois", "ungarisch", "венгерский", "magyar"),
    "cs": ("czech", "tchèque", "tschechisch", "чешский", "čeština"),
    "sk": ("slovak", "slovaque", "slowakisch", "словацкий"),
    "sl": ("slovenian", "slovene", "slovène", "slowenisch", "словенский"),
    "nl": ("dutch", "néerlandais", "niederländisch", "голландский", "нидерландский", "flemish"),
    "sv": ("swedish", "suédois", "schwedisch", "шведский", "svenska"),
    "fi": ("finnish", "finnois", "finnisch", "финский", "suomi"),
    "da": ("danish", "danois", "dänisch", "датский", "dansk"),
    "no": ("norwegian", "norvégien", "norwegisch", "норвежский", "norsk"),
    "ka": ("georgian", "géorgien", "georgisch", "грузинский"),
    "hy": ("armenian", "arménien", "armenisch", "армянский"),
    "az": ("azerbaijani", "azeri", "azerbaïdjanais", "aserbaidschanisch", "азербайджанский"),
    "kk": ("kazakh", "kazakh", "kasachisch", "казахский"),
    "ky": ("kyrgyz", "kirghiz", "kirgisisch", "киргизский", "кыргызский"),
    "uz": ("uzbek", "ouzbek", "usbekisch", "узбекский"),
    "tg": ("tajik", "tadjik", "tadschikisch", "таджикский"),
    "tk": ("turkmen", "turkmène", "turkmenisch", "туркменский"),
    "mn": ("mongolian", "mongol", "mongolisch", "монгольский"),
    "ro_md": (),  # placeholder never matched; Moldovan is Romanian
    "be": ("belarusian", "biélorusse", "belarussisch", "белорусский"),
    "lt": ("lithuanian", "lituanien", "litauisch", "литовский"),
    "lv": ("latvian", "letton", "lettisch", "латышский"),
    "et": ("estonian", "estonien", "estnisch", "эстонский"),
    "ja": ("japanese", "japonais", "japanisch", "японский"),
    "hi": ("hindi",),
    "fa": ("persian", "farsi", "persan", "persisch", "персидский"),
    "he": ("hebrew", "hébreu", "hebräisch", "иврит"),
    "ko": ("korean", "coréen", "koreanisch", "корейский"),
    # languages of South and South-East Asia and Africa that CVs list in English
    "bn": ("bengali", "bangla"),
    "ta": ("tamil",),
    "te": ("telugu",),
    "mr": ("marathi",),
    "gu": ("gujarati",),
    "kn": ("kannada",),
    "ml": ("malayalam",),
    "pa": ("punjabi", "panjabi"),
    "ur": ("urdu",),
    "ne": ("nepali",),
    "si": ("sinhala", "sinhalese"),
    "or": ("odia", "oriya"),
    "vi": ("vietnamese",),
    "tl": ("tagalog", "filipino"),
    "th": ("thai",),
    "id": ("indonesian", "bahasa indonesia"),
    "ms": ("malay", "bahasa melayu"),
    "km": ("khmer",),
    "ps": ("pashto",),
    "ku": ("kurdish",),
    "sw": ("swahili", "kiswahili"),
    "am": ("amharic",),
    "so": ("somali",),
    "yo": ("yoruba",),
    "ig": ("igbo",),
    "ha": ("hausa",),
    "af": ("afrikaans",),
    "ht": ("haitian creole",),
    "ca": ("catalan",),
}
LANGUAGE_NAMES.pop("ro_md")


@lru_cache(maxsize=1)
def _name_to_code() -> dict[str, str]:
    return {name: code for code, names in LANGUAGE_NAMES.items() for name in names}


@lru_cache(maxsize=1)
def language_pattern() -> re.Pattern[str]:
    """One regex matching any known language name (longest first), case-insensitive."""
    names = sorted(_name_to_code(), key=len, reverse=True)
    # Russian adjectives decline (английским, английского): allow a short ending after the stem
    alternatives = [
        re.escape(n[:-2]) + r"\w{0,3}" if re.search("[а-я]", n) else re.escape(n) for n in names
    ]
    # a language name that begins a place name ("Chennai, Tamil Nadu") is not a language
    return re.compile(
        r"(?<![\w-])(" + "|".join(alternatives) + r")(?![\w-])(?!\s+nadu\b)", re.IGNORECASE
    )


def language_code(name: str) -> str | None:
    """ISO 639-1 code for a language name in any supported language, or for a code itself."""
    key = name.strip().lower()
    if key in LANGUAGE_NAMES:
        return key
    code = _name_to_code().get(key)
    if code:
        return code
    if re.search("[а-я]", key):
        for full, c in _name_to_code().items():
            if re.search("[а-я]", full) and key.startswith(full[:-2]):
                return c
    return None


def find_languages(text: str) -> list[tuple[str, int, int]]:
    """Every language name in ``text`` as (code, start, end), in order of appearance."""
    found = []
    for m in language_pattern().finditer(text):
        code = language_code(m.group(1))
        if code:
            found.append((code, m.start(1), m.end(1)))
    return found


#: a CEFR code as written ("B2", not "b2" or "B2B"): CV parsing uses it as it is, notices compile
#: its pattern ignoring case
CEFR_CODE = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(reversed(CEFR_LEVELS)) + r")(?![A-Za-z0-9])")


@dataclass(frozen=True, slots=True)
class LevelPhrase:
    """One row of ``matcher/resources/language_levels.csv``."""

    phrase: str
    language: str
    cefr: str
    native: bool
    cue: bool
    scope: str  # "any", or "p11": an answer in a UN P11 language grid


_LEVELS_TABLE = "language_levels.csv"


@lru_cache(maxsize=1)
def level_phrases() -> tuple[LevelPhrase, ...]:
    """The language-level phrases of the table, in file order."""
    rows = read_table(_LEVELS_TABLE, ("phrase", "language", "cefr", "native", "cue", "scope"))
    out = []
    for n, row in enumerate(rows):
        if row["cefr"] not in CEFR_LEVELS or row["scope"] not in ("any", "p11"):
            raise ConfigError(
                f"{_LEVELS_TABLE}: row {n + 2}: cefr must be one of {', '.join(CEFR_LEVELS)} "
                f"and scope any or p11: {row['cefr']!r}, {row['scope']!r}"
            )
        out.append(LevelPhrase(row["phrase"], row["language"], row["cefr"],
                               row["native"] == "yes", row["cue"] == "yes", row["scope"]))
    return tuple(out)


def _phrases_pattern(rows: Iterable[LevelPhrase]) -> re.Pattern[str]:
    return re.compile(alternation((r.phrase for r in rows), glued=True), re.IGNORECASE)


@lru_cache(maxsize=1)
def native_pattern() -> re.Pattern[str]:
    """Any phrase that names a first language ("mother tongue", "langue maternelle", "L1")."""
    return _phrases_pattern(r for r in level_phrases() if r.native)


@lru_cache(maxsize=1)
def level_cue_pattern() -> re.Pattern[str]:
    """Any phrase that alone says a text is about language skills ("fluent", "bilingual")."""
    return _phrases_pattern(r for r in level_phrases() if r.cue)


@lru_cache(maxsize=1)
def p11_pattern() -> re.Pattern[str]:
    """An answer of a UN P11 language grid ("easily", "not easily"); :func:`p11_level` reads it."""
    return _phrases_pattern(r for r in level_phrases() if r.scope == "p11")


def p11_level(answer: str) -> str:
    """The CEFR level of a P11 grid answer :func:`p11_pattern` matched ("not easily" -> B1)."""
    levels = {r.phrase: r.cefr for r in level_phrases() if r.scope == "p11"}
    return levels[" ".join(answer.lower().split())]


@lru_cache(maxsize=1)
def _level_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """A CEFR code first, then the phrases of each level, highest level first."""
    code = re.compile(CEFR_CODE.pattern, re.IGNORECASE)
    by_level = [
        (_phrases_pattern(r for r in level_phrases() if r.scope == "any" and r.cefr == level),
         level)
        for level in reversed(CEFR_LEVELS)
        if any(r.scope == "any" and r.cefr == level for r in level_phrases())
    ]
    return ((code, ""), *by_level)


def cefr_from_words(text: str) -> str | None:
    """CEFR level for a level phrase ("fluent" -> C1, "working knowledge" -> B2, "B2" -> B2): a
    CEFR code as written, else the highest level a phrase of the table names."""
    for rx, level in _level_patterns():
        m = rx.search(text)
        if m:
            return level or m.group(1).upper()
    return None


#: CEFR levels in order, A1 = 1 ... C2 = 6: the one place the order is written
_CEFR_RANK = {level: k for k, level in enumerate(CEFR_LEVELS, 1)}


def cefr_rank(level: str | None) -> int:
    """A1=1 ... C2=6; 0 when unknown. For comparisons only."""
    return _CEFR_RANK.get((level or "").upper(), 0)

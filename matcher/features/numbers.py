"""Numbers as notices write them: digits, words ("eight", "twenty-five") and both ("six (6)").

Used by requirement extraction to read "Minimum of eight years", "at least 5 years", "3+ years",
"Three to seven years'", "12 months". Every pattern here is linear: no nested quantifiers.
"""

from __future__ import annotations

import re

__all__ = [
    "WORD_NUMBERS",
    "NUMBER_PATTERN",
    "parse_number",
    "DURATION_RE",
    "Duration",
    "find_durations",
]

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}

#: Word -> value for every number word understood (one .. fifty-nine, plus "a"/"an" for "a year").
WORD_NUMBERS: dict[str, int] = dict(_UNITS)
for _t, _v in _TENS.items():
    WORD_NUMBERS[_t] = _v
    for _u, _uv in list(_UNITS.items())[1:10]:
        WORD_NUMBERS[f"{_t}-{_u}"] = _v + _uv
        WORD_NUMBERS[f"{_t} {_u}"] = _v + _uv

_WORDS_ALT = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))

#: One number: digits (with an optional decimal part) or a number word.
NUMBER_PATTERN = rf"(?:\d{{1,3}}(?:[.,]5)?|(?:{_WORDS_ALT}))"


def parse_number(token: str) -> float | None:
    """``"8"`` -> 8.0, ``"eight"`` -> 8.0, ``"2,5"`` -> 2.5, ``"twenty-one"`` -> 21.0, else None."""
    t = token.strip().lower().replace(",", ".")
    if not t:
        return None
    if t in ("a", "an", "one"):
        return 1.0
    try:
        return float(t)
    except ValueError:
        pass
    value = WORD_NUMBERS.get(t) if t in WORD_NUMBERS else WORD_NUMBERS.get(t.replace(" ", "-"))
    return float(value) if value is not None else None


#: A duration: optional quantifier, a number (words, digits, or "six (6)"), an optional range or
#: "+", then years or months. Groups: ``q`` quantifier, ``n`` number, ``n2`` range end, ``unit``.
DURATION_RE = re.compile(
    r"(?P<q>\b(?:a\s+)?minimum\s+(?:of\s+)?|\bat\s+least\s+|\bnot\s+less\s+than\s+"
    r"|\bno\s+less\s+than\s+|\bmore\s+than\s+|\bover\s+|\bmin(?:imum)?\.?\s+)?"
    rf"(?P<n>(?<![\w.]){NUMBER_PATTERN}|\ba|\ban)(?![\w])"
    rf"(?:\s*\(\s*(?:\d{{1,3}}|{NUMBER_PATTERN})\s*\))?"
    r"(?:\s*\+)?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<n2>{NUMBER_PATTERN})(?:\s*\(\s*\d{{1,3}}\s*\))?)?"
    r"(?:\s*\+)?"
    r"\s*(?:\(\s*\d{1,3}\s*\)\s*)?"
    r"(?:(?:additional|more|further|extra|full|consecutive|(?:full|part)[- ]time)\s+)?"
    r"(?P<unit>years?|yrs?|months?)(?![\w])['’]?",
    re.IGNORECASE,
)


class Duration(tuple[float, int, int]):
    """(years, start, end) of one duration mention; years already converted."""

    __slots__ = ()

    @property
    def years(self) -> float:
        return self[0]

    @property
    def start(self) -> int:
        return self[1]

    @property
    def end(self) -> int:
        return self[2]


def find_durations(text: str) -> list[Duration]:
    """Every duration in ``text`` as (years, start, end); "12 months" -> 1.0, "3-7 years" -> 3.0."""
    out: list[Duration] = []
    for m in DURATION_RE.finditer(text):
        value = parse_number(m.group("n"))
        if value is None:
            continue
        if m.group("n").lower() in ("a", "an") and not m.group("q"):
            continue  # "a year" on its own is not a stated minimum
        if m.group("unit").lower().startswith("m"):
            value = round(value / 12.0, 2)
        out.append(Duration((value, m.start(), m.end())))
    return out

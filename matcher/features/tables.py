"""The tables under ``matcher/resources/``: one reader, and the one way a table writes a phrase.

A phrase in a table is plain text, matched as whole words: a space stands for any run of white
space, and a word ending in ``*`` matches any ending ("fluen*" is fluent, fluency, fluently, not
influence). :func:`term_pattern` turns a phrase into that regular expression.

    >>> bool(re.search(term_pattern("mother tongue*"), "Mother  tongues: Russian", re.I))
    True
    >>> bool(re.search(term_pattern("fluen*"), "influence"))
    False
    >>> bool(re.search(term_pattern("bilingual", glued=True), "experienceBilingual", re.I))
    True
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

from matcher.errors import ConfigError

__all__ = ["read_table", "term_pattern", "alternation", "fold", "split_values"]


@cache
def read_table(name: str, columns: tuple[str, ...] = ()) -> tuple[Mapping[str, str], ...]:
    """The rows of ``matcher/resources/<name>`` (a CSV whose ``#`` lines are comments), read once.

    ``columns`` are the columns the caller needs; a table without one of them is a
    :class:`~matcher.errors.ConfigError` naming the file.
    """
    text = resources.files("matcher.resources").joinpath(name).read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines)
    missing = [c for c in columns if c not in (reader.fieldnames or ())]
    if missing:
        raise ConfigError(f"{name}: missing column(s) {', '.join(missing)}")
    return tuple({k: (v or "").strip() for k, v in row.items() if k} for row in reader)


def split_values(cell: str) -> tuple[str, ...]:
    """The ``|``-separated values of one cell, without blanks."""
    return tuple(v.strip() for v in cell.split("|") if v.strip())


#: a word start, or a capital glued to a lower-case letter before it ("experienceBilingual" in text
#: taken from a PDF): the seam the capital shows
_GLUED_START = r"(?:(?<!\w)|(?-i:(?<=[a-z])(?=[A-Z])))"


def term_pattern(term: str, *, glued: bool = False) -> str:
    """The regular expression of a table phrase (see the module docstring); ``glued`` also finds
    it glued to the word before it when it starts with a capital."""
    words = []
    for word in term.split():
        if word.endswith("*"):
            words.append(re.escape(word[:-1]) + r"\w*")
        else:
            words.append(re.escape(word) + r"(?!\w)")
    return (_GLUED_START if glued else r"(?<!\w)") + r"\s+".join(words)


def alternation(terms: Iterable[str], *, glued: bool = False) -> str:
    """One pattern matching any of ``terms`` (longest first, so a longer phrase wins)."""
    ordered = sorted(set(terms), key=lambda t: (-len(t), t))
    return "|".join(term_pattern(t, glued=glued) for t in ordered)


def fold(text: str) -> str:
    """Lower case without accents ("Türkiye" -> "turkiye"), for comparing names."""
    if text.isascii():  # nothing to decompose
        return text.lower()
    norm = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in norm if not unicodedata.combining(ch)).lower()

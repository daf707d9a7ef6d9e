"""Countries, their nationality words and OSCE duty stations (``resources/countries.csv``).

    >>> canonical_country("Czech Republic"), canonical_country("Austrian")
    ('Czechia', 'Austria')
    >>> len(OSCE_PARTICIPATING_STATES)
    57

A nationality the table does not know gives None: a parsing slip must never be read as a country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from matcher.errors import ConfigError
from matcher.features.tables import fold, read_table, split_values

__all__ = [
    "Country",
    "countries",
    "canonical_country",
    "duty_station_country",
    "OSCE_PARTICIPATING_STATES",
]

_TABLE = "countries.csv"


@dataclass(frozen=True, slots=True)
class Country:
    """One row of the country table."""

    name: str
    iso2: str
    participating: bool
    names: tuple[str, ...]
    duty_stations: tuple[str, ...]


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """The country table, in file order (the participating States first)."""
    rows = read_table(_TABLE, ("country", "iso2", "participating", "names", "duty_stations"))
    return tuple(
        Country(r["country"], r["iso2"], r["participating"] == "yes", split_values(r["names"]),
                split_values(r["duty_stations"]))
        for r in rows
    )


#: The 57 OSCE participating States (short English names), in the table's order.
OSCE_PARTICIPATING_STATES: tuple[str, ...] = tuple(c.name for c in countries() if c.participating)


@lru_cache(maxsize=1)
def _by_word() -> dict[str, str]:
    """Every name and nationality word, folded -> the country's name."""
    out: dict[str, str] = {}
    for c in countries():
        for word in (c.name, *c.names):
            key = fold(word).strip()
            if out.setdefault(key, c.name) != c.name:
                raise ConfigError(f"{_TABLE}: {word!r} names both {out[key]} and {c.name}")
    return out


def canonical_country(name: str) -> str | None:
    """A nationality or country as written ("Austrian", "Czech Republic") -> its name in the
    table, or None when the table does not know it."""
    return _by_word().get(fold(name).strip().strip(" ."))


@lru_cache(maxsize=1)
def _places() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Duty stations first, then the participating States' own names, as whole folded words."""
    stations = [(city, c.name) for c in countries() for city in c.duty_stations]
    states = [(fold(c.name), c.name) for c in countries() if c.participating]
    return tuple((re.compile(rf"\b{re.escape(word)}\b"), country)
                 for word, country in (*stations, *states))


def duty_station_country(texts: list[str]) -> str | None:
    """The participating State a notice's post sits in, from the first of ``texts`` (location,
    title, unit ...) that names a duty station or the State itself."""
    for text in texts:
        folded = fold(text or "").strip()
        for rx, country in _places():
            if rx.search(folded):
                return country
    return None

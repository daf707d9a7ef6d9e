"""What a position shows about the work: management level, and the field the work is in.

Both are read from the position itself (its title, employer line and duties), never from the
CV's headings or contact lines, with vocabularies kept as data:

* ``matcher/resources/management.csv``: titles (director, head, chief, manager, supervisor ...)
  and duties (supervising staff, leading a team) that make a position management-level, and
  titles that only look managerial ("assistant to the director", "management trainee");
* ``matcher/resources/isced_f.csv`` (:mod:`matcher.features.fields`): field words and job titles
  ("attorney", "economist", "journalist") that place the work in an ISCED-F field.

    >>> from matcher.types import Position
    >>> management_evidence(Position("Director of Finance", "Acme Corp"))
    'Director'
    >>> management_evidence(Position("Accountant", "", description="Supervised a staff of 6."))
    'Supervised a staff'
    >>> position_codes(Position("Associate Attorney", "Smith & Jones LLP"))
    ('0421',)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from matcher.errors import ConfigError
from matcher.features.fields import field_codes, occupation_codes
from matcher.features.tables import read_table
from matcher.types import Position

__all__ = [
    "MANAGEMENT_FIELD",
    "management_evidence",
    "position_codes",
    "work_codes",
    "post_domain",
    "in_domain",
    "RoleFacts",
    "role_facts",
    "facts_in_domain",
    "duty_sentences",
    "duty_codes",
]

#: ISCED-F 0413 "Management and administration": it says at what level most posts work, not in
#: which domain, so a notice naming it in passing (or a position titled "Programme Manager")
#: places no work in a field -- unless the post's own field of study is management (a notice
#: asking for degrees in business administration or human resources: see :func:`post_domain`)
MANAGEMENT_FIELD = "0413"
_NOT_A_DOMAIN = frozenset({MANAGEMENT_FIELD})

_TABLE = "management.csv"


@dataclass(frozen=True, slots=True)
class _Rules:
    not_title: re.Pattern[str] | None
    title: tuple[re.Pattern[str], ...]
    duty: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    nots: list[str] = []
    titles: list[re.Pattern[str]] = []
    duties: list[re.Pattern[str]] = []
    for n, row in enumerate(read_table(_TABLE, ("kind", "pattern"))):
        kind, pattern = row["kind"], row["pattern"]
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(f"{_TABLE}: row {n + 2}: bad pattern: {exc}") from exc
        if kind == "not":
            nots.append(pattern)
        elif kind == "title":
            titles.append(compiled)
        elif kind == "duty":
            duties.append(compiled)
        else:
            raise ConfigError(f"{_TABLE}: row {n + 2}: kind must be title, duty or not: {kind!r}")
    not_title = re.compile("|".join(f"(?:{p})" for p in nots), re.IGNORECASE) if nots else None
    return _Rules(not_title, tuple(titles), tuple(duties))


@lru_cache(maxsize=65536)
def management_evidence(position: Position) -> str | None:
    """The words that make ``position`` management-level (its title, else a duty that
    supervises staff), or None."""
    rules = _rules()
    title = position.title or ""
    if title and not (rules.not_title is not None and rules.not_title.search(title)):
        for pattern in rules.title:
            m = pattern.search(title)
            if m:
                return m.group(0)
    for text in (title, position.description or ""):
        for pattern in rules.duty:
            m = pattern.search(text)
            if m:
                return m.group(0)
    return None


@lru_cache(maxsize=65536)
def position_codes(position: Position) -> tuple[str, ...]:
    """ISCED-F fields the work of ``position`` is in, from its title: field words ("Legal
    Counsel", "Finance Director") and job titles ("Attorney", "Economist"). Not from the
    employer: an administrative assistant of an army or a law firm does not do military or legal
    work (the encoder still reads the employer line with the duties)."""
    title = (position.title or "").strip()
    if not title:
        return ()
    codes = dict.fromkeys(field_codes(title) + occupation_codes(title))
    specific = [c for c in codes if not any(o != c and o.startswith(c) for o in codes)]
    return tuple(sorted(specific, key=lambda c: (-len(c), c)))


def work_codes(text: str) -> tuple[str, ...]:
    """The fields of work a notice's text names (its title, a kind of experience, a field of
    study), as ISCED-F codes: narrow or detailed ones (a broad field such as "social sciences"
    is too wide to say which work is relevant), without those that name a level of work rather
    than a domain."""
    codes = dict.fromkeys(field_codes(text) + occupation_codes(text))
    return tuple(c for c in codes if c not in _NOT_A_DOMAIN and len(c) >= 3)


def post_domain(title: str, fields: Sequence[str]) -> tuple[str, ...]:
    """The fields of a post's work: what its title names ("Economist", "Chief, Communication
    and Media Relations") and the fields of study it asks for. A post that asks for degrees in
    management or administration ("business administration, human resources") works in
    management itself: management and administration work is then in its field."""
    codes: list[str] = list(work_codes(title or ""))
    for f in fields:
        codes.extend(work_codes(f))
    if any(MANAGEMENT_FIELD in field_codes(f) for f in fields):
        codes.append(MANAGEMENT_FIELD)
    return tuple(dict.fromkeys(codes))


class RoleFacts(NamedTuple):
    """What :func:`in_domain` reads of a position: the fields its title names, how many
    sentences its description has, and the fields named by those sentences that name any. Made
    once per position (:func:`role_facts`), so a pool tests each position against many posts'
    fields without reading its text again; most positions share a few such patterns."""

    title_codes: tuple[str, ...]
    sentences: int
    duty_codes: tuple[tuple[str, ...], ...]
    #: every code of the title and the duties, sorted: a position none of whose codes is in a
    #: domain is not in it, whatever the counts
    all_codes: tuple[str, ...] = ()


@lru_cache(maxsize=1 << 18)
def role_facts(position: Position) -> RoleFacts:
    """:class:`RoleFacts` of ``position``."""
    per_sentence = duty_codes(position)
    naming = tuple(codes for codes in per_sentence if codes)
    # the count matters only beside sentences that name a field: without one, every position
    # with the same title codes has the same facts
    title = position_codes(position)
    every = tuple(sorted({*title, *(c for codes in naming for c in codes)}))
    return RoleFacts(title, len(per_sentence) if naming else 0, naming, every)


def in_domain(position: Position, domain: tuple[str, ...]) -> bool:
    """True when the position's work is in one of the ``domain`` fields (:func:`facts_in_domain`
    of its :func:`role_facts`)."""
    return facts_in_domain(role_facts(position), domain)


@lru_cache(maxsize=1 << 16)
def _named(codes: tuple[str, ...], domain: tuple[str, ...]) -> bool:
    own = [c for c in codes if (c not in _NOT_A_DOMAIN or c in domain) and len(c) >= 3]
    return any(a.startswith(b) for a in own for b in domain)


def facts_in_domain(facts: RoleFacts, domain: tuple[str, ...]) -> bool:
    """:func:`_facts_in_domain`, answered at once for the many positions that name no field
    of ``domain`` at all."""
    if not domain or not _named(facts.all_codes, domain):
        return False
    return _facts_in_domain(facts, domain)


@lru_cache(maxsize=1 << 16)
def _facts_in_domain(facts: RoleFacts, domain: tuple[str, ...]) -> bool:
    """True when a position of these :class:`RoleFacts` works in one of the ``domain`` fields:
    the same ISCED-F detailed field, or one inside a narrow or broad field named ("Police
    Officer" is in 103 Security services), by its title or by its duties. A wider field of the
    position's does not place it inside a narrower one of the domain ("business" is not
    marketing). Memoised by the facts themselves."""
    if _named(facts.title_codes, domain):
        return True
    # the duties say it, as a screener reads a "Consultant" who "led the corporate
    # communications workstream": a fifth of its sentences and at least two (one, for a
    # position of one or two), so a word in passing ("effective communication") is not enough
    hits = sum(_named(codes, domain) for codes in facts.duty_codes)
    if facts.sentences <= 2:
        return hits >= 1
    return hits >= 2 and hits >= 0.2 * facts.sentences


@lru_cache(maxsize=65536)
def duty_codes(position: Position) -> tuple[tuple[str, ...], ...]:
    """The ISCED-F fields each sentence of a position's description names."""
    return tuple(field_codes(s) for s in duty_sentences(position))


# a sentence ends at a stop and a space whatever follows it: the next word's script or case
# (a name in Latin, Chinese or Arabic letters) must not change how many sentences there are
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n+")


def duty_sentences(position: Position) -> tuple[str, ...]:
    """The sentences (bullets, lines) of a position's description."""
    text = position.description or ""
    parts = (p.strip(" \t•*-–·") for p in _SENTENCE_END.split(text))
    return tuple(p for p in parts if len(p.split()) >= 3)

"""A CV as the sentences scoring compares: split once, when the profile is made.

Splitting thousands of CVs into sentences costs more than scoring them against a vacancy once
their vectors are cached, and every ranking call used to split again. A profile now carries its
split (:func:`scorable_of`): the parser makes it, a pickled or stored
profile keeps it, and ``dataclasses.replace`` drops it (the new profile splits its own text on
first use), so it is never stale.

    >>> split_sentences("Led projects. Managed a team;\n\u2022 Drafted reports")
    ['Led projects.', 'Managed a team;', 'Drafted reports']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from matcher.errors import ConfigError
from matcher.features.fields import degree_field_text
from matcher.features.pii import redact
from matcher.features.tables import read_table
from matcher.types import ScorableText

if TYPE_CHECKING:  # pragma: no cover
    from matcher.types import CandidateProfile, Degree, Position

__all__ = [
    "split_sentences", "text_language", "scorable_text", "scorable_of", "is_evidence",
    "scorable_field", "current_positions",
]  # fmt: skip

_BULLET = r"[\u2022\u2023\u25aa\u25cf\u25e6\u2043\u2219\u00b7\u27a2\u2713\u2714\uf0b7\uf0a7*]"
# tried only where a run of whitespace starts: from inside a long run without a newline every
# position would scan the rest of the run again (quadratic on 20,000 spaces)
_LINE_BREAK = re.compile(r"(?<!\s)\s*\n\s*")
_BULLET_SPLIT = re.compile(rf"\s*{_BULLET}\s+|(?:^|\s)[-\u2013]\s+(?=[A-Z\u0400-\u04ff])")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(\[]?[A-Z\u00c0-\u00de\u0400-\u042f0-9])")
_MAY_BULLET = re.compile(rf"{_BULLET}|[-\u2013]")
_MAY_END = re.compile(r"[.!?;]\s")  # _SENTENCE_END can only split after one of these
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _has_letter(text: str) -> bool:
    if text.isascii():  # the common case, at C speed
        return _ASCII_LETTER.search(text) is not None
    return any(ch.isalpha() for ch in text)


_WRAPPED_END = re.compile(r"[^.!?;:]$")


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines: a long line without final punctuation and a next line that starts
    in lower case are one sentence ("... Overseeing the" / "development of project proposals")."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and line[:1].islower()
            and len(out[-1]) >= 40
            and _WRAPPED_END.search(out[-1])
            and not _BULLET_SPLIT.match(line)
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def split_sentences(text: str, *, max_words: int = 120, min_chars: int = 3) -> list[str]:
    """Split a text into sentences and bullets, then cut anything still long into word windows.

    Lines, bullets and sentence ends (``.``, ``!``, ``?``, ``;``) are boundaries (a hard-wrapped
    line that continues in lower case is joined to the previous one). A piece longer
    than ``max_words`` words is cut into consecutive windows of at most ``max_words`` words, so
    every word of the input appears in exactly one piece (nothing dropped, nothing truncated).

        >>> split_sentences("Led projects. Managed a team;\\n• Drafted reports")
        ['Led projects.', 'Managed a team;', 'Drafted reports']
    """
    if not text:
        return []
    if max_words < 1:
        raise ConfigError("max_words must be at least 1")
    out: list[str] = []
    for line in _unwrap(_LINE_BREAK.split(text)):
        # the str checks skip regex calls that could not split (most lines of a CV)
        bullets = _BULLET_SPLIT.split(line) if _MAY_BULLET.search(line) else (line,)
        for bullet in bullets:
            ends = _MAY_END.search(bullet)
            for sentence in _SENTENCE_END.split(bullet) if ends else (bullet,):
                # str.split() and regex \s agree on what whitespace is
                piece = " ".join(sentence.split()).strip(" \t-\u2013\u2022|")
                if len(piece) < min_chars or not _has_letter(piece):
                    continue
                words = piece.split(" ")
                if len(words) <= max_words:
                    out.append(piece)
                else:
                    out.extend(
                        " ".join(words[i : i + max_words]) for i in range(0, len(words), max_words)
                    )
    return out


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


@cache
def _stopwords() -> dict[str, frozenset[str]]:
    """Frequent function words of each language (``matcher/resources/stopwords.csv``), without
    those two languages share ("la", "de", "in"): only a word of one language tells it apart."""
    table = {
        r["language"]: frozenset(r["words"].lower().split())
        for r in read_table("stopwords.csv", ("language", "words"))
    }
    seen = Counter(w for words in table.values() for w in words)
    return {lang: frozenset(w for w in words if seen[w] == 1) for lang, words in table.items()}


_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


def text_language(text: str) -> str | None:
    """The main language a text is written in (en, fr, de, es, it, ru), None if unsure.

    A stop-word profile: the share of each language's function words among the text's words. A
    text in a language is prose in it (function words make up a tenth or more of running text);
    a list of keywords has few of any language's. The winner must reach 3% of the words and have
    half again as many as the runner-up, so a bilingual CV or a keyword list gives None: no
    language is ever assumed. Enough to warn that an English-only encoder cannot compare a Russian
    CV, and to take the language a CV is written in as one its author commands.
    """
    words = _WORDS.findall(text[:20000].lower())
    if len(words) < 20:
        return None
    seen = Counter(words)
    counts = {lang: sum(seen[w] for w in stop) for lang, stop in _stopwords().items()}
    ranked = sorted(counts, key=lambda k: (-counts[k], k))
    best, second = ranked[0], ranked[1] if len(ranked) > 1 else None
    if counts[best] < 0.03 * len(words):
        return None
    if second is not None and counts[best] < 1.5 * counts[second]:
        return None
    return best


_CONTACT = re.compile(
    r"\[(?:EMAIL|PHONE|ADDRESS|URL|DATE_OF_BIRTH)\]|\b(?:e-?mail|phone|tel|mobile|fax|address)\s*:|"
    r"https?://|www\.|@\w",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
_DATE_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|\b(?:present|current|"
    r"now|today|to|since|until|till|from|date|heute|aujourd'hui|настоящее|время|по|с)\b|[\d/.,:()–—-]",
    re.IGNORECASE,
)


def is_evidence(sentence: str) -> bool:
    """Whether a CV sentence can show a duty or a competency: not a section heading ("Skills",
    "Work History"), not a contact line ("E-Mail: [EMAIL]"), not a bare date line ("March 2019
    - present"), not a single word ("Studies"); a placeholder for redacted personal data is no
    word of its own."""
    if _CONTACT.search(sentence):
        return False
    words = _PLACEHOLDER.sub(" ", sentence).split()
    if len(words) < 2 or not _DATE_WORDS.sub(" ", sentence).strip(" |•*"):
        return False
    from matcher.features.cv import is_heading  # the CV parser's heading vocabulary

    return not is_heading(sentence)


def _title_line(sentence: str, headers: set[str], titles: tuple[str, ...]) -> bool:
    """A line that only names a position held: its header, or its title followed by the
    employer or place ("Security Analyst, International Centre ..., Geneva")."""
    key = _norm(sentence)
    if key in headers:
        return True
    for title in titles:
        if key.startswith(title) and (len(key) == len(title) or key[len(title)] in ",|–-(@"):
            return not key.endswith(".")
    return False


def current_positions(positions: Sequence[Position]) -> list[Position]:
    """The posts the candidate holds now or held last: the ongoing ones, else those that ended
    last; the first listed when no position has dates (CVs list the latest post first).

    What the CV says the candidate is now (with its headline) tells an occupation apart better than
    every title ever held: a post left years ago is evidence of experience, read by the duty and
    experience checks, not of what the candidate does."""
    ends = [
        date.max if p.ongoing or (p.start is not None and p.end is None) else p.end
        for p in positions
    ]
    known = [e for e in ends if e is not None]
    if not known:
        return list(positions[:1])
    last = max(known)
    return [p for p, e in zip(positions, ends, strict=True) if e == last]


def _position_header(title: str, organisation: str) -> str:
    if title and organisation:
        return f"{title}, {organisation}"
    return title or organisation


def scorable_field(degree: Degree, profile: CandidateProfile) -> str:
    """A degree's field as scoring compares it with a notice's fields (redacted like every
    scored text): its field, else the degree's own name (:func:`degree_field_text`)."""
    return redact(degree_field_text(degree), profile.personal).strip()


def scorable_text(profile: CandidateProfile) -> ScorableText:
    """The CV's scorable sentences: position headers and descriptions first, then the blind text.

    Every text here is redacted (:func:`matcher.features.pii.redact`), not only the blind text:
    a name, pronoun, honorific, nationality, gender or age inside a position's title or
    description never reaches a score. The profile's positions keep their raw text for the checks
    that read dates, titles and employers."""

    def blind(text: str) -> str:
        return redact(text, profile.personal)

    sentences: list[str] = []
    in_position: list[bool] = []
    sources: list[str] = []
    seen: set[str] = set()

    def add(parts: list[str], from_position: bool, source: str) -> None:
        for part in parts:  # a sentence said twice (normalised) is scored once, where first seen
            key = _norm(part)
            if key in seen:
                continue
            seen.add(key)
            sentences.append(part)
            in_position.append(from_position)
            sources.append(source)

    # a position's header (title, employer) says what the work was, for the relevance of the
    # position; as evidence of a duty it would only repeat a title, so sentences leave it out
    position_texts: list[tuple[str, ...]] = []
    headers: set[str] = set()
    for pos in profile.positions:
        header = blind(_position_header(pos.title, pos.organisation))
        body = split_sentences(blind(pos.description or ""))
        position_texts.append(tuple(([header] if header else []) + body))
        headers.update(_norm(t) for t in (header, blind(pos.title or "")) if t)
        add([s for s in body if is_evidence(s)], True, header or "position")
    warnings: list[str] = []
    if not profile.blind_text and profile.text:
        warnings.append("the CV has no blind text; only its positions were scored")
    blind_lines = split_sentences(profile.blind_text or "")
    titles = tuple(_norm(blind(p.title)) for p in profile.positions if p.title and p.title.strip())
    add([s for s in blind_lines if is_evidence(s) and not _title_line(s, headers, titles)],
        False, "CV text")  # fmt: skip
    # a skills list names what the candidate can do, one item at a time ("Microsoft Office")
    add([blind(k).strip() for k in profile.skills if k and k.strip()], False, "skills")
    hidden_chunks = [_norm(blind(h)) for h in profile.hidden_text if h and h.strip()]
    hidden = tuple(
        bool(hidden_chunks) and any(_norm(s) in chunk for chunk in hidden_chunks) for s in sentences
    )
    headline = [
        s for s, pos, h in zip(sentences, in_position, hidden, strict=True) if not pos and not h
    ][:3]
    held = [blind(p.title) for p in current_positions(profile.positions) if p.title]
    title_texts = tuple(dict.fromkeys(held + headline))
    if any(hidden):
        warnings.append(
            f"hidden text: {sum(hidden)} sentence(s) are invisible in the document and were "
            "not counted"
        )
    degree_fields = tuple(scorable_field(degree, profile) for degree in profile.education)
    return ScorableText(
        sentences=tuple(sentences),
        in_position=tuple(in_position),
        sources=tuple(sources),
        position_texts=tuple(position_texts),
        fields=tuple(dict.fromkeys(f for f in degree_fields if f)),
        title_texts=title_texts,
        warnings=tuple(warnings),
        hidden=hidden,
        language=text_language(profile.blind_text or ""),
        degree_fields=degree_fields,
    )


def scorable_of(profile: CandidateProfile) -> ScorableText:
    """:func:`scorable_text` of ``profile``, made on first use and kept with the profile."""
    made = profile.cached_scorable
    return made if made is not None else profile.keep_scorable(scorable_text(profile))

"""Degree requirements: levels, fields, substitution routes ("in lieu of") and non-degree routes.

Options of one statement, and the statements of one "Education:" block, are alternatives. When
several blocks each state a degree, every statement must hold, so the strictest statement is kept
(ties: the later, more specific one) and fields named only elsewhere are carried over.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from matcher.features.degrees import degree_rules_for
from matcher.features.numbers import find_durations
from matcher.features.requirements.segments import (
    ASSET_LEAD_RE,
    PREF,
    PREF_RE,
    SENTENCE_END_RE,
    Item,
    clause_end,
    exact_evidence,
)
from matcher.types import EducationOption, Evidence

__all__ = [
    "INLIEU_RE",
    "RouteGroup",
    "degree_mentions",
    "education_routes",
    "inlieu_routes",
    "choose_education",
    "metadata_education",
]

def _notice_degree_patterns() -> tuple[tuple[re.Pattern[str], dict[str, int]], ...]:
    """The notice rows of ``resources/degrees.csv`` as two alternations (words ignoring case,
    abbreviations minding it), each with the ISCED level of its groups; between rows matching at
    one place, file order decides."""
    out = []
    for sensitive in (False, True):
        rows = [r for r in degree_rules_for("notice") if r.case_sensitive == sensitive]
        pattern = "|".join(f"(?P<r{i}>{r.pattern.pattern})" for i, r in enumerate(rows))
        levels = {f"r{i}": r.level for i, r in enumerate(rows)}
        out.append((re.compile(pattern, 0 if sensitive else re.IGNORECASE), levels))
    return tuple(out)


_DEGREE_PATTERNS = _notice_degree_patterns()
_MAX_MENTIONS = 12  # per item; real statements name a handful


INLIEU_RE = re.compile(
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
    r"|(?:,\s*|\s+)(?:and/)?or\s+(?:(?:professional|practical|work|working)\s+)?experience\b"
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
    r"\s*(?:\([^()\n]{0,80}\)\s*)?(?:level\s+)?(?:or\s+(?:higher|above|equivalent)\s+)?(?:,\s*)?(?:(?:preferably|ideally|specifically|particularly|"
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
    rf"|{PREF}"
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
#: "related science/technical field": the slash joins the words of one related phrase
_RELATED_SLASH_RE = re.compile(
    r"\b(?:related|relevant|similar|allied|comparable|equivalent)\s+[\w-]+(?:\s*/\s*[\w-]+)+", re.I
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
    "computer business data information".split()
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


_OF_WORD = r"(?:(?!(?:Master|Bachelor|Doctor|Associate|PhD|MBA|Degree)\b)[A-Z][\w-]*|and)"
_OF_FIELD_RE = re.compile(rf"\s+of\s+({_OF_WORD}(?:[ \t]+{_OF_WORD}){{0,3}})(?<!and)")
_GENERIC_OF = frozenset({"arts", "science", "sciences", "philosophy", "arts and science"})
#: a professional qualification asked for by itself ("a professional accountancy qualification")
_QUALIFICATION_RE = re.compile(
    r"\b(?:professional|vocational|technical|legal|accountancy|accounting|teaching|nursing|trade)"
    r"\s+(?:[a-z]+\s+)?qualifications?\b|\b(?:technical|vocational)\s+(?:education|training)\b",
    re.IGNORECASE,
)


_ADDITIONAL_RE = re.compile(r"\badditional\b|\bfurther\b|\bextra\b", re.IGNORECASE)


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
    asset: bool = False  # its sentence calls it an asset, past the clause that names it


def _nondegree_kind(phrase: str) -> str:
    """ "or equivalent professional experience" is experience; a course, a certification, a
    school or professional qualifications are training."""
    return "experience" if re.search(r"\bexperience\b", phrase, re.I) else "training"


def _nondegree_start(text: str, m: re.Match[str]) -> int:
    """Where a non-degree route's words begin: after the punctuation and the "or" that lead in."""
    ns = m.start()
    while ns < m.end() and not text[ns].isalpha():
        ns += 1
    if text[ns : ns + 3].lower() == "or ":
        ns += 3
    return ns


@dataclass(slots=True)
class RouteGroup:
    routes: list[_Route]
    required: bool
    block: str
    order: int
    segment: int = -1


def degree_mentions(text: str, s: int, e: int) -> list[tuple[int, int, int]]:
    """(level, start, end) of degree mentions in text[s:e], acronyms included, in order."""
    found = []
    for rx, levels in _DEGREE_PATTERNS:
        for m in rx.finditer(text, s, e):
            level = levels[m.lastgroup or ""]
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
        if out and _GENERIC_DEGREE_RE.fullmatch(text, f[1], f[2]) and _HEAD_GAP_RE.fullmatch(
            text, out[-1][2], f[1]
        ):
            # "an MBA degree", "a PhD degree": the word degree is the head of the mention before,
            # not a second degree of no stated level
            out[-1] = (out[-1][0], out[-1][1], f[2])
            continue
        out.append(f)
    return out


_GENERIC_DEGREE_RE = re.compile(r"degrees?", re.IGNORECASE)
_HEAD_GAP_RE = re.compile(
    r"[ \t]+(?:(?!(?:or|and|in|of|with|from|to)\b)[\w'’.-]+[ \t]+){0,2}", re.I
)


def _split_fields(raw: str) -> tuple[tuple[str, ...], bool, bool]:
    """'law, public or international law or related field' -> (fields, related, said)."""
    raw = raw.strip(" ,")
    if _SAID_FIELDS_RE.match(raw):
        return (), False, True
    raw = _RELATED_SLASH_RE.sub(lambda m: m.group(0).replace("/", " "), raw)
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
    named: tuple[str, ...] = ()
    of = _OF_FIELD_RE.match(text, pos, end)
    if of:
        # "Bachelor of Fine Arts": the degree's name states its field ("of Science" does not)
        name = " ".join(of.group(1).lower().split())
        named = () if name in _GENERIC_OF else (name,)
        pos = of.end()
    m = _FIELDS_LEAD_RE.match(text, pos, end)
    if not m:
        return named, False, False, pos
    start = m.end()
    limit = min(end, start + 240)
    stop = _FIELDS_STOP_RE.search(text, start, limit)
    fend = stop.start() if stop else limit
    raw = text[start:fend]
    fields, related, said = _split_fields(raw)
    fields = tuple(dict.fromkeys(named + fields))
    if not fields and related and text.startswith("(", fend):
        # "a relevant field (law, political science)": the parenthesis names the fields
        close = text.find(")", fend, min(end, fend + 200))
        if close != -1:
            fields, _r, _s = _split_fields(text[fend + 1 : close])
            fend = close + 1
    return fields, related, said, fend


def _is_preferred(text: str, start: int, tail_from: int, item: Item) -> bool:
    if not item.required:
        return True
    tail_end = clause_end(text, tail_from, item.end)
    if PREF_RE.search(text, tail_from, tail_end):
        return True
    lead = text[max(item.start, start - 30) : start]
    return bool(
        re.search(
            r"\b(?:preferabl[ey]|ideally|desirabl\w*|preferred)\W*(?:\w+\W+){0,2}$", lead, re.I
        )
    ) or bool(ASSET_LEAD_RE.match(text, item.start, item.end))


_EQUIVALENT_LEVEL_RE = re.compile(r"\s+(?:level|standard)\s+(?P<eq>or\s+equivalent)\b", re.I)
_EQUIVALENT_TAIL_RE = re.compile(
    r"\s*,?\s*(?P<eq>or\s+(?:an?\s+)?equivalent)\b(?!\s+(?:[\w-]+\s+){0,2}?(?:degree|experience|training"
    r"|qualification|certification|diploma|education|professional|practical|work)s?\b|\s+in\b)",
    re.I,
)
_ANAPHOR_RE = re.compile(r"\b(?:this|that|the\s+same|said)\s+$", re.IGNORECASE)
#: "returning to your degree": only the bare word refers back ("starting your MBA" does not)
_YOUR_RE = re.compile(r"\byour\s+$", re.IGNORECASE)
#: a degree some posts (not necessarily this one) ask for
_HEDGE_RE = re.compile(
    r"\bmay\s+(?:also\s+)?(?:be\s+)?requir\w*|\b(?:for|in)\s+(?:some|certain|a\s+number\s+of)\s+"
    r"(?:functions|positions|posts|roles|jobs)\b",
    re.IGNORECASE,
)


def _sentence_start(text: str, lo: int, pos: int) -> int:
    cut = max(text.rfind(". ", lo, pos), text.rfind(";", lo, pos), text.rfind("\n", lo, pos))
    return cut + 1 if cut != -1 else lo


def education_routes(text: str, item: Item, exclude: list[tuple[int, int]]) -> list[_Route]:
    """Degree and non-degree routes of one item (an in-lieu item is handled by the caller)."""
    s, e = item.start, item.end
    routes: list[_Route] = []
    for level, ms, me in degree_mentions(text, s, e):
        if any(a <= ms < b for a, b in exclude):
            continue
        if routes and ms < routes[-1].fields_end:
            continue  # "... law or other relevant degree": part of the fields list
        if _ANAPHOR_RE.search(text, max(s, ms - 16), ms) or (
            _YOUR_RE.search(text, max(s, ms - 8), ms) and _GENERIC_DEGREE_RE.fullmatch(text, ms, me)
        ):
            continue  # "completing this degree", "returning to your degree": the one stated
        if routes and re.fullmatch(r"\s*\(\s*", text[routes[-1].fields_end : ms]):
            continue  # "Masters in Business Administration (MBA)": the same degree, abbreviated
        if _HEDGE_RE.search(text, _sentence_start(text, s, ms), clause_end(text, me, e)):
            continue  # "an advanced degree may be required for some functions": not this one
        if _OTHER_DEGREE_RE.search(text, max(s, ms - 30), me):
            if routes:
                routes[-1].related = True
            continue
        fields, related, said, fend = _parse_fields(text, me, e)
        routes.append(_Route(level, ms, me, fields, related, said, fields_end=max(fend, me)))
        eq = _EQUIVALENT_LEVEL_RE.match(text, me, e) or (
            _EQUIVALENT_TAIL_RE.match(text, fend, e) if fields else None
        )
        if eq:
            # "educated to degree level or equivalent", "HNC in civil engineering or equivalent":
            # an equivalent qualification, not only an equivalent degree
            qs = eq.start("eq")
            routes.append(_Route(None, qs, eq.end("eq"), fields_end=eq.end("eq"), kind="training"))
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
            ns = _nondegree_start(text, m)
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
    elif q := _QUALIFICATION_RE.search(text, s, e):
        # "a professional accountancy qualification, either full or part qualified, is
        # advantageous": the apposition does not end the statement
        stop = SENTENCE_END_RE.search(text, q.end(), e)
        qualification = _Route(None, q.start(), q.end(), fields_end=q.end(), kind="training")
        qualification.asset = bool(PREF_RE.search(text, q.end(), stop.start() if stop else e))
        routes.append(qualification)
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
        r.preferred = r.asset or _is_preferred(text, r.start, routes[j].fields_end, item)
    return routes


_JOIN_RE = re.compile(r"\s*(?:or|/|and/or|,)?\s*(?:an?\s+)?", re.IGNORECASE)
_OR_JOIN_RE = re.compile(r"\s*(?:or|/|and/or)\s*(?:an?\s+)?", re.IGNORECASE)


def _route_evidence(text: str, r: _Route, source: str) -> Evidence:
    return exact_evidence(text, r.start, max(r.end, r.fields_end), source)


def choose_education(
    groups: list[RouteGroup], text: str, source: str
) -> tuple[tuple[EducationOption, ...], tuple[EducationOption, ...]]:
    def options(g: RouteGroup) -> list[EducationOption]:
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

        def bar(g: RouteGroup) -> tuple[int, int]:
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
        chosen = _lower_degree_keeps_fields(chosen)
        chosen = _combine_statements(chosen, best, required, text, source)
    return _dedupe_education(chosen), _dedupe_education(preferred_opts)


def _lower_degree_keeps_fields(chosen: list[EducationOption]) -> list[EducationOption]:
    """A lower degree accepted in lieu of the one that names its fields ("a first-level
    university degree in combination with two years of additional qualifying experience may be
    accepted in lieu of the second-level university degree") is accepted in those fields: the
    notice names them once, for the degree it replaces."""
    named = [o for o in chosen if o.fields and o.min_level is not None]
    if not named:
        return chosen
    top = max(named, key=lambda o: o.min_level or 0)
    return [
        replace(o, fields=top.fields, related_fields=o.related_fields or top.related_fields)
        if o.min_level is not None and not o.fields and o.min_level < (top.min_level or 0)
        else o
        for o in chosen
    ]


def _combine_statements(
    chosen: list[EducationOption],
    best: RouteGroup,
    required: list[RouteGroup],
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


def metadata_education(metadata: Mapping[str, str] | None) -> tuple[EducationOption, ...]:
    if not metadata:
        return ()
    value = next(
        (str(v) for k, v in metadata.items() if str(k).strip().lower() == "education level"), ""
    )
    if not value:
        return ()
    mentions = degree_mentions(value, 0, len(value))
    if not mentions:
        return ()
    level = max(m[0] for m in mentions)
    return (
        EducationOption(
            level, (), False, 0.0, Evidence(value, 0, len(value), "metadata:Education Level")
        ),
    )


def inlieu_routes(text: str, item: Item, marker: int, groups: list[RouteGroup]) -> list[_Route]:
    """Routes of a substitution item, attached to the latest degree statement (or a new one)."""
    s, e = item.start, item.end
    routes: list[_Route] = []
    for level, ms, me in degree_mentions(text, s, marker):
        fields, related, said, fend = _parse_fields(text, me, marker)
        routes.append(_Route(level, ms, me, fields, related, said, fields_end=max(fend, me)))
    for m in _NONDEGREE_RE.finditer(text, s, marker):
        if any(r.start <= m.start() < r.fields_end for r in routes):
            continue
        ns = _nondegree_start(text, m)
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
        groups.append(RouteGroup(routes, item.required, item.block, len(groups), item.segment))
    return routes


def _inlieu_target(text: str, marker: int, end: int, groups: list[RouteGroup]) -> RouteGroup | None:
    """The degree statement a substitution refers to: the latest required one naming the replaced
    level ("in lieu of the second-level university degree"), else the latest required one."""
    replaced = degree_mentions(text, marker, end)
    level = replaced[0][0] if replaced else None
    required = [g for g in groups if any(not r.preferred for r in g.routes)]
    for g in reversed(required):
        if level is not None and any(r.level == level and not r.preferred for r in g.routes):
            return g
    if required:
        return required[-1]
    return groups[-1] if groups else None

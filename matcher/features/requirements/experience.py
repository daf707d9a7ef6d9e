"""Years of experience: minimums, by-level minimums ("four years with a first-level degree"), the
kind of each minimum (:data:`EXPERIENCE_KINDS` or the field of work as named), and implausible
values that are refused rather than read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from matcher.features.numbers import NUMBER_PATTERN, find_durations, parse_number
from matcher.features.requirements.education import degree_mentions
from matcher.features.requirements.segments import (
    ASSET_LEAD_RE,
    PREF_RE,
    SENTENCE_END_RE,
    Item,
    exact_evidence,
)
from matcher.types import ExperienceRequirement

__all__ = [
    "EXPERIENCE_KINDS",
    "MAX_YEARS",
    "implausible_durations",
    "experience_minimums",
    "merge_paired",
]

#: The fixed kinds of experience minimum: general relevant professional experience, experience at
#: management level, international experience. Any other ``kind`` is the field of work as the notice
#: names it, lower-case ("project management", "police", "criminal justice system, law enforcement
#: and/or public administration"), so that scoring can compare positions with it.
EXPERIENCE_KINDS: tuple[str, ...] = ("relevant professional", "management", "international")


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


def experience_minimums(
    text: str, item: Item, source: str
) -> tuple[list[tuple[ExperienceRequirement, int | None]], list[tuple[int, int]]]:
    """Year minimums of one item, and the spans of degree mentions used for by-level years."""
    s, e = item.start, item.end
    durations = []
    for d in find_durations(text[s:e]):
        ds, de = s + d.start, s + d.end
        if d.years <= 0:
            continue  # "0-2 years of experience" states no minimum
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
            mentions = degree_mentions(text, m.end(), min(e, m.end() + 60))
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
                mentions = degree_mentions(text, pm.end(), min(e, pm.end() + 60))
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
                stop = SENTENCE_END_RE.search(text, close, e)
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
            and not PREF_RE.search(seg)
            and not ASSET_LEAD_RE.match(text, item.start, item.end)
            and not _PREFERABLY_BEFORE_RE.search(text, max(s, ds - 24), ds)
        )
        req = ExperienceRequirement(
            min_years=float(years),
            min_years_by_level=dict(by_level),
            kind=_experience_kind(seg),
            mandatory=mandatory,
            evidence=exact_evidence(text, ds, ev_end, source),
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
    degree each minimum is paired with (merged later by :func:`merge_paired`)."""
    for main in mains:
        if main[5] is not None:
            continue
        lo = max(s, main[1] - 90)
        mentions = degree_mentions(text, lo, main[1])
        if mentions and _PAIRED_TAIL_RE.fullmatch(text, mentions[-1][2], main[1]):
            main[5] = mentions[-1][0]
            main[6] = mentions[-1][1]


def merge_paired(
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

"""Language requirements: each language with a CEFR level; alternatives ("English or French", "at
least two of ...") become choices; "other official OSCE languages" expands to the official
languages not already named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.features.languages import (
    CEFR_CODE,
    OSCE_OFFICIAL_LANGUAGES,
    cefr_from_words,
    find_languages,
    level_cue_pattern,
)
from matcher.features.requirements.segments import (
    ASSET_LEAD_RE,
    PREF,
    PREF_RE,
    SENTENCE_END_RE,
    Item,
    clause_end,
    exact_evidence,
)
from matcher.types import LanguageChoice, LanguageRequirement

__all__ = [
    "UN_OFFICIAL_LANGUAGES",
    "language_requirements",
    "merge_languages",
]

UN_OFFICIAL_LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")


# --------------------------------------------------------------------------- languages

# an item about language skills: a level phrase that tells so alone ("fluent", "mother tongue"),
# or words of skill and use
_LANG_CUE_RE = re.compile(
    rf"{level_cue_pattern().pattern}|knowledge|command|proficien|language|speak|spoken|written"
    rf"|oral|verbal|\bread|{CEFR_CODE.pattern}|communicat|skills|\blevel\b|working",
    re.IGNORECASE,
)
_GROUP_LANG_RE = re.compile(
    r"(?P<pre>(?:(?:at\s+least\s+)?(?:one|two|three|1|2|3)\s+)?(?:(?:of\s+the\s+)?(?:other|another|additional|further|second)\s+)?)"
    r"(?:(?:official\s+)?(?:(?P<osce>OSCE)|(?P<un>UN|United\s+Nations))\s+(?:official\s+)?(?:working\s+)?languages?"
    r"|(?:official\s+)?(?:working\s+)?languages?\s+of\s+the\s+(?:(?P<osce2>OSCE)|(?P<un2>UN|United\s+Nations)))",
    re.IGNORECASE,
)
_LANG_STATEMENT_RE = re.compile(
    r"\b(?:are|is)\s+(?:the\s+)?(?:two\s+|six\s+)?(?:official|working)\s+(?:and\s+working\s+)?languages?\b",
    re.IGNORECASE,
)


_MARKER_RE = re.compile(
    rf"(?P<pref>{PREF})|(?P<req>\b(?:required|requirement|essential|mandatory|must|necessary)\b)",
    re.IGNORECASE,
)
_PROPER_AFTER_RE = re.compile(
    r"\s+(?:Federation|Government|Republic|Chairmanship|Presidency|Embassy|Ministry)\b"
)
_K_RE = re.compile(
    r"\b(?:at\s+least\s+|any\s+)?(?P<k>one|two|three|1|2|3)\s+(?:of\b|other\b|additional\b|more\b|further\b"
    r"|(?:\w+\s+){0,2}languages?\b)",
    re.IGNORECASE,
)
_K_LATER_RE = re.compile(
    r"\b(?:at\s+least\s+|any\s+)?(?P<k>one|two|1|2)\s+of\s+(?:these|those|them|the\s+two|both)\b",
    re.IGNORECASE,
)
_K_WORDS = {"one": 1, "two": 2, "three": 3, "1": 1, "2": 2, "3": 3}
_CONNECTOR_RE = re.compile(
    r"\s*(?:,\s*)?(?:and/or|and|or|as\s+well\s+as|/|,|&)?\s*(?:the\s+)?", re.IGNORECASE
)


#: "Fluent ... in English and a second language: Hebrew, Russian or Dutch": the level before the
#: first language is the level of the list that follows
_SECOND_LANGUAGE_RE = re.compile(
    r"\s*,?\s*(?:and|plus|as\s+well\s+as)\s+(?:in\s+)?(?:an?\s+|one\s+)?(?:second|another|other|additional)"
    r"\s+(?:[a-z]+\s+)?langu\w*\s*(?:[:(-]|,\s*(?:preferably\s+)?(?:any\s+)?(?:one\s+)?of\s+the\s+following"
    r"\s*:?)\s*",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Run:
    codes: list[str]
    start: int
    end: int
    any_of: bool = False
    group: str = ""  # "osce"/"un" when a group phrase
    other: bool = False
    k: int | None = None


def _language_runs(text: str, s: int, e: int) -> list[_Run]:
    mentions: list[
        tuple[str, int, int, str]
    ] = []  # code, start, end, kind ("name" / "osce" / "un")
    groups = []
    for m in _GROUP_LANG_RE.finditer(text, s, e):
        kind = "osce" if (m.group("osce") or m.group("osce2")) else "un"
        gs = m.start() if m.group("pre") else m.start()
        groups.append((gs, m.end(), kind, m.group("pre") or ""))
    # names listed in parentheses right after a group phrase belong to that group
    group_lists: dict[int, list[str]] = {}
    paren_spans: list[tuple[int, int, int]] = []
    for gi, (_gs, ge, _kind, _pre) in enumerate(groups):
        pm = re.compile(r"\s*(?:\(|:)").match(text, ge, e)
        if pm:
            close = (
                text.find(")", pm.end(), e)
                if text[pm.end() - 1] == "("
                else clause_end(text, pm.end(), e)
            )
            if close != -1:
                paren_spans.append((pm.end(), close, gi))
    for code, ls, le in find_languages(text[s:e]):
        ls, le = ls + s, le + s
        if _PROPER_AFTER_RE.match(text, le, e):
            continue
        owner = next((gi for a, b, gi in paren_spans if a <= ls < b), None)
        if owner is not None:
            group_lists.setdefault(owner, []).append(code)
            continue
        mentions.append((code, ls, le, "name"))
    for gi, (gs, ge, kind, _pre) in enumerate(groups):
        mentions.append((str(gi), gs, ge, kind))
    mentions.sort(key=lambda t: t[1])
    runs: list[_Run] = []
    for code, ms, me, kind in mentions:
        if kind != "name":
            gi = int(code)
            pre = groups[gi][3].lower()
            listed = group_lists.get(gi)
            if listed:
                codes = listed
            else:
                codes = list(OSCE_OFFICIAL_LANGUAGES if kind == "osce" else UN_OFFICIAL_LANGUAGES)
            km = re.search(r"\b(one|two|three|1|2|3)\b", pre)
            if not km and (
                re.search(r"\b(?:another|second)\b", pre)
                or not re.search(r"languages\b", text[ms : groups[gi][1]], re.I)
            ):
                km = re.match(r"(1)", "1")
            end_ = groups[gi][1]
            for _a, b, g2 in paren_spans:
                if g2 == gi:
                    end_ = max(end_, min(e, b + 1))
            runs.append(
                _Run(
                    list(codes),
                    ms,
                    end_,
                    any_of=True,
                    group=kind,
                    other=bool(re.search(r"other|another|additional|further|second", pre)),
                    k=_K_WORDS[km.group(1)] if km else None,
                )
            )
            continue
        if runs and not runs[-1].group:
            gap = text[runs[-1].end : ms]
            cm = _CONNECTOR_RE.fullmatch(gap)
            if cm and gap.strip(" ,") != "" or (cm and gap.strip() == ","):
                runs[-1].codes.append(code)
                runs[-1].end = me
                if re.search(r"\bor\b|/", gap, re.I):
                    runs[-1].any_of = True
                continue
        runs.append(_Run([code], ms, me))
    return runs


def language_requirements(
    text: str, item: Item, source: str, known: set[str]
) -> tuple[list[LanguageRequirement], list[LanguageChoice]]:
    s, e = item.start, item.end
    if _LANG_STATEMENT_RE.search(text, s, e):
        return [], []
    runs = _language_runs(text, s, e)
    if not runs or not _LANG_CUE_RE.search(text, s, e):
        return [], []
    reqs: list[LanguageRequirement] = []
    choices: list[LanguageChoice] = []
    prev_end = s
    prev_level: str | None = None
    for i, run in enumerate(runs):
        nxt = runs[i + 1].start if i + 1 < len(runs) else e
        pre = text[prev_end : run.start]
        post = text[run.end : min(nxt, run.end + 90)]
        level = cefr_from_words(pre) or cefr_from_words(post)
        if level is None and i > 0 and (
            _CONNECTOR_RE.fullmatch(pre) or _SECOND_LANGUAGE_RE.fullmatch(pre)
        ):
            level = prev_level
        # the nearest "required"/"an asset" marker after the run, within its sentence, decides
        sentence_end = SENTENCE_END_RE.search(text, run.end, e)
        marker = _MARKER_RE.search(text, run.end, sentence_end.start() if sentence_end else e)
        lead_pref = PREF_RE.search(pre[-40:]) and not re.search(r"\b(?:is|are)\b", pre[-40:])
        required = (
            item.required
            and not (marker and marker.lastgroup == "pref")
            and not lead_pref
            and not ASSET_LEAD_RE.match(text, s, e)
        )
        ev_end = run.end
        lang_word = re.match(r"\s+languages?\b", text[run.end : min(e, run.end + 12)], re.I)
        if lang_word:
            ev_end = run.end + lang_word.end()
        ev = exact_evidence(text, run.start, ev_end, source)
        # "Professional fluency in English": evidence from the level words when they lead
        lead = re.search(r"[^;,.()]*$", pre)
        if lead and cefr_from_words(lead.group(0)):
            ev = exact_evidence(text, prev_end + lead.start(), ev_end, source)
        codes = list(dict.fromkeys(run.codes))
        if run.other:
            codes = [c for c in codes if c not in known]
        km = _K_RE.search(pre) if run.k is None else None
        k = run.k or (_K_WORDS[km.group("k").lower()] if km else None)
        if k is None and len(run.codes) > 1:
            # "English and French ... at least one of these languages"
            stop = SENTENCE_END_RE.search(text, run.end, e)
            later = _K_LATER_RE.search(text, run.end, stop.start() if stop else e)
            if later:
                k = _K_WORDS[later.group("k").lower()]
        if run.group and run.other and k is None:
            for c in codes:
                reqs.append(LanguageRequirement(c, level, required, ev))
        elif len(codes) > 1 and (run.any_of or k is not None or run.group):
            choices.append(LanguageChoice(k or 1, tuple(codes), level, required, ev))
            if not run.group:
                known.update(codes)
        else:
            for c in codes:
                reqs.append(LanguageRequirement(c, level, required, ev))
            known.update(codes)
        prev_end = run.end
        prev_level = level
    return reqs, choices


def merge_languages(reqs: list[LanguageRequirement]) -> tuple[LanguageRequirement, ...]:
    """One entry per language: required beats optional, then the higher level wins."""
    from matcher.features.languages import cefr_rank

    best: dict[str, LanguageRequirement] = {}
    for r in reqs:
        cur = best.get(r.language)
        if cur is None or (r.required, cefr_rank(r.level)) > (cur.required, cefr_rank(cur.level)):
            best[r.language] = r
    order = list(dict.fromkeys(r.language for r in reqs))
    return tuple(best[c] for c in order)

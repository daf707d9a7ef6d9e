"""Hard eligibility: every requirement of a notice becomes a :class:`~matcher.types.Check`.

A check passes, fails, or stays unknown when the CV does not say enough; a missing fact never passes
silently. The overall verdict is "eligible" only when every mandatory check passes, "ineligible" as
soon as one fails, "unknown" otherwise.

The rules follow how UN-style notices are read by recruiters:

* education options are alternatives; a substitution route ("a first-level degree in combination
  with two additional years of qualifying experience") is accepted, and its extra years are added
  to the experience minimum (unless the notice states the by-degree minimum itself: "two years (four
  years with a first-level degree)");
* each experience minimum counts only the months of positions relevant to the required kind (a
  similarity between the position and the requirement measured with the encoder; the union of
  months, an overlap counted once, open ends at the vacancy's closing date);
* languages by CEFR level, native counting as C2;
* nationality (OSCE participating States, not of the duty station) only when the notice restricts
  it; this is the only place personal data is read, and it never enters a score.

Functions here take similarities already computed (``position_similarity``), so batch code can
encode every distinct text once for a whole pool.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal

from matcher.features.countries import (
    OSCE_PARTICIPATING_STATES,
    canonical_country,
    duty_station_country,
)
from matcher.features.dates import ExperiencePolicy, coverage_total
from matcher.features.fields import FieldFit, degree_name, field_codes, field_name
from matcher.features.languages import cefr_rank
from matcher.features.roles import (
    RoleFacts,
    facts_in_domain,
    management_evidence,
    role_facts,
    work_codes,
)
from matcher.features.sentences import scorable_field, scorable_of
from matcher.features.tables import fold
from matcher.features.text import shorten
from matcher.scoring.declarations import TO_CONFIRM, declaration_check, is_declaration
from matcher.types import (
    ISCED_LABELS,
    CandidateProfile,
    Check,
    CheckBasis,
    Degree,
    EducationOption,
    Eligibility,
    Evidence,
    ExperienceRequirement,
    LanguageChoice,
    LanguageRequirement,
    LanguageSkill,
    Position,
    RequirementItem,
    Status,
    Vacancy,
)

__all__ = [
    "EducationRoute",
    "overall_eligibility",
    "check_words",
    "education_check",
    "education_key",
    "experience_check",
    "language_checks",
    "nationality_check",
    "NationalityFacts",
    "nationality_facts",
    "nationality_verdict",
    "relevant_months",
    "relevant_by_role",
    "role_codes",
    "relevant_positions",
    "GENERIC_EXPERIENCE",
    "required_years",
    "reference_date",
    "is_generic_kind",
    "OSCE_PARTICIPATING_STATES",
    "canonical_country",
]


_GENERIC_KINDS = {
    "",
    "relevant",
    "professional",
    "relevant professional",
    "work",
    "relevant work",
    "professional work",
    "progressively responsible",
    "progressively responsible relevant professional",
    "experience",
    "general",
    "field",
    "field of work",
    "relevant field",
    "related field",
}


def level_label(level: int | None) -> str:
    if level is None:
        return "no degree found"
    return ISCED_LABELS.get(level, f"ISCED level {level}")


def _years(months: float) -> str:
    years = months / 12.0
    return f"{years:.1f} years" if abs(years - round(years)) > 0.05 else _fmt_years(round(years))


def _fmt_years(years: float) -> str:
    return f"{years:g} year" + ("" if years == 1 else "s")


def overall_eligibility(checks: Sequence[Check]) -> Eligibility:
    """eligible when every mandatory check passes, ineligible when one fails, else unknown.

    With no mandatory check at all (no requirements could be read) the answer is "unknown": a
    candidate is never declared eligible on nothing.
    """
    mandatory = [c for c in checks if c.mandatory]
    if any(c.status == "fail" for c in mandatory):
        return "ineligible"
    if mandatory and all(c.status == "pass" for c in mandatory):
        return "eligible"
    return "unknown"


def check_words(checks: Iterable[Check], status: str) -> str:
    """The mandatory checks of ``status`` in words, as a ranking row shows them."""
    return "; ".join(f"{c.kind}: {c.reason}" for c in checks if c.status == status and c.mandatory)


@lru_cache(maxsize=1024)
def is_generic_kind(kind: str) -> bool:
    """True for "relevant professional" experience, judged against the vacancy's own duties."""
    return fold(kind).replace(" experience", "").strip() in _GENERIC_KINDS


# --------------------------------------------------------------------------- reference date

_DATE_FORMATS = (
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%d-%b-%Y",
    "%d %B, %Y",
)
_DATE_IN_TEXT = re.compile(
    r"(?:Closing|Deadline|Application deadline)[^:\n]{0,20}:\s*"
    r"([A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2}[ -][A-Za-z]{3,9},?[ -]\d{4}|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}[./]\d{1,2}[./]\d{4})",
    re.IGNORECASE,
)


def _parse_date(text: str) -> date | None:
    text = text.strip().replace(".", "") if not re.match(r"\d{1,2}\.", text.strip()) else text
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def reference_date(vacancy: Vacancy | None, *, default: date | None = None) -> date:
    """The date up to which ongoing jobs count: the closing date, else ``default``, else today.

    A closing date no notice can mean (01/01/0001, 31/12/9999, years off the issue date) is not
    used: the vacancy's warnings name it."""
    from matcher.features.vacancy import plausible_closing_date

    if vacancy is not None:
        metadata = vacancy.metadata or {}
        issued = next((d for k, v in metadata.items()
                       if ("issue" in k.lower() or "posting" in k.lower())
                       and (d := _parse_date(str(v))) is not None), None)
        for key, value in metadata.items():
            if "clos" in key.lower() or "deadline" in key.lower():
                parsed = _parse_date(str(value))
                if parsed and plausible_closing_date(parsed, issued):
                    return parsed
        m = _DATE_IN_TEXT.search(vacancy.text or "")
        if m:
            parsed = _parse_date(m.group(1))
            if parsed and plausible_closing_date(parsed, issued):
                return parsed
    return default or date.today()


# --------------------------------------------------------------------------- education


@dataclass(frozen=True, slots=True)
class EducationRoute:
    """The education option a candidate qualifies through (None when none could be established)."""

    option: EducationOption | None
    level: int | None
    main: bool  # True for a route with no extra years


def _option_label(option: EducationOption) -> str:
    if option.min_level is None:
        return "non-degree route"
    words = level_label(option.min_level)
    if option.extra_years:
        words += f" + {_fmt_years(option.extra_years)} of additional experience"
    if option.route == "experience":
        words += " with equivalent professional experience"
    elif option.route == "training":
        words += " with the training the notice names"
    return words


def education_route(
    options: Sequence[EducationOption], highest_level: int | None
) -> EducationRoute | None:
    """The best option met by a degree of ``highest_level`` (main routes before substitutions).

    A route is "main" when it asks for no extra years and for the highest degree level any option
    names; a lower degree accepted "in lieu" is a substitution route even when the extractor could
    not attach its extra years to it.
    """
    if highest_level is None:
        return None
    met = [o for o in options if o.min_level is not None and highest_level >= o.min_level]
    if not met:
        return None
    top = max(o.min_level for o in options if o.min_level is not None)
    best = min(met, key=lambda o: (o.extra_years, -(o.min_level or 0)))
    main = best.extra_years == 0 and best.min_level == top
    return EducationRoute(option=best, level=highest_level, main=main)


def _degree_evidence(profile: CandidateProfile) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    for degree in profile.education:
        if degree.level is not None and degree.level == profile.highest_level:
            out.append(degree.evidence or Evidence(degree.title, source="text"))
    return tuple(out[:2])


def _open_first(reason: str) -> str:
    """An open education check's reason leads with what is open ("the field ('MBA') is not
    clearly one of the fields named ...: to verify"), then the level the degree meets: reasons
    start with the finding."""
    head, sep, rest = reason.partition("; but ")
    return f"{rest}; {head}" if sep else reason


def _completed(profile: CandidateProfile) -> list[Degree]:
    """Degrees held (not in progress), highest level first; a profile that states only its
    highest level (no degree records) counts as one degree of that level with no field."""
    held = [
        d for d in profile.education
        if d.level is not None and "in progress" not in d.matched_rule
    ]  # fmt: skip
    if not held and profile.highest_level is not None:
        held = [Degree(profile.highest_level, "")]
    return sorted(held, key=lambda d: -(d.level or 0))


def education_key(profile: CandidateProfile) -> tuple[Any, ...]:
    """Everything :func:`education_check` reads of a profile (pool code memoises on it)."""
    # a split pickled by a version that did not keep the fields has none
    fields: tuple[str, ...] = getattr(scorable_of(profile), "degree_fields", ())
    if len(fields) != len(profile.education):
        fields = tuple(scorable_field(d, profile) for d in profile.education)
    return (
        profile.highest_level,
        bool(profile.education),
        tuple(
            (d.level, "in progress" in d.matched_rule, degree_name(d), field, d.title)
            for d, field in zip(profile.education, fields, strict=True)
        ),
        profile.education_text,
    )


FieldVerdict = Literal["fits", "no", "verify"]


def _field_verdict(
    fit: FieldFit | None, option: EducationOption, threshold: float
) -> tuple[FieldVerdict, str]:
    """Whether a degree's field fits an option that names fields, and the clause that says so.

    The ISCED-F taxonomy first: the same field fits (the same detailed field, or one inside the
    narrow field the notice names: "Sociology" for "social sciences"). A neighbour is not
    enough on its own -- the same narrow field holds economics and psychology, the same broad one
    business and law, and a screener reads neither pair as related -- so for neighbours, as for
    fields the table cannot place, the similarity decides. A field the table places, against
    fields the table places, that neither is one of them nor is similar enough, is "no": a
    screener reading "Finance" against "law, political science" does not need to verify. Only a
    field the table cannot place (or a notice field it cannot) is "to verify".
    """
    if fit is None or not fit.cand_field:
        return "verify", "no field of study could be read to compare with the fields named"
    quoted = f"'{shorten(fit.cand_field, 60)}'"
    if fit.relation == "same":
        named = field_name(fit.cand_code)
        return "fits", f"{quoted} is {named}, named in the notice ({fit.req_field})"
    if fit.similarity >= threshold:
        return "fits", f"in a related field ({quoted} ~ {fit.req_field})"
    if fit.cand_codes and option.fields and all(field_codes(f) for f in option.fields):
        named = ", ".join(option.fields[:5]) + (", ..." if len(option.fields) > 5 else "")
        return "no", (
            f"field {quoted} ({field_name(fit.cand_codes[0])}) is not one of the fields "
            f"named ({named}) nor related to them"
        )
    return "verify", (
        f"the field ({quoted}) is not clearly one of the fields named "
        f"(closest: {fit.req_field}, relatedness {fit.similarity:.2f}): to verify"
    )


#: the years of study a degree level stands for, where a notice accepts "equivalent professional
#: experience" in lieu of a degree without saying how much: a second-level degree is counted as
#: six years, a first-level one as four (so a relevant bachelor's stands in for a master's with
#: two more years, as the notices that do state it say)
DEGREE_AS_YEARS: Mapping[int, float] = {5: 2.0, 6: 4.0, 7: 6.0, 8: 9.0}


def _experience_route(
    options: Sequence[EducationOption], relevant_level: int | None
) -> EducationRoute | None:
    """The "equivalent professional experience" route for a candidate without the degree asked
    for: the route's own extra years when it states them, else the years the missing degree
    stands for (:data:`DEGREE_AS_YEARS`) less those of the relevant degree held."""
    routes = [o for o in options if o.min_level is None and o.route == "experience"]
    levels = [o.min_level for o in options if o.min_level is not None]
    if not routes or not levels:
        return None
    opt = routes[0]
    extra = opt.extra_years
    if not extra:
        held = DEGREE_AS_YEARS.get(relevant_level or 0, 0.0)
        extra = max(DEGREE_AS_YEARS.get(max(levels), 0.0) - held, 0.0)
    return EducationRoute(
        option=replace(opt, extra_years=extra), level=relevant_level, main=False
    )


def education_check(
    options: Sequence[EducationOption],
    profile: CandidateProfile,
    *,
    field_fits: Sequence[FieldFit] | None = None,
    field_threshold: float = 0.6,
) -> tuple[Check, EducationRoute | None]:
    """One check over all education options (alternatives), and the route that passed.

    The degree judged is the one that qualifies the candidate: the highest degree whose field
    fits the route it meets (when the route names fields and ``field_fits`` -- one
    :class:`~matcher.features.fields.FieldFit` per degree field text -- is given), else the
    highest degree. A degree whose field the ISCED-F table places outside the fields named fails;
    one whose field it cannot place leaves the check "unknown" for a person to verify: the level
    alone is never a silent pass. Without a qualifying degree, an "equivalent professional
    experience" route passes with the years the missing degree stands for
    (:data:`DEGREE_AS_YEARS`, counted in the experience check). A CV that lists its education
    and no completed degree holds none (a fail); one that lists no education is missing data.
    The check quotes the degree judged.
    """
    evidence = options[0].evidence if options else None
    requirement = "; or ".join(_option_label(o) for o in options)
    fits = {f.cand_field: f for f in field_fits} if field_fits is not None else None
    chosen: tuple[Degree, EducationRoute, str] | None = None  # degree, route, field clause
    to_verify: tuple[Degree, EducationRoute, str] | None = None
    wrong_field: tuple[Degree, EducationRoute, str] | None = None
    #: the highest degree whose field fits a route naming fields, or that no field was asked of
    relevant_level: int | None = None
    for degree in _completed(profile):
        route_d = education_route(options, degree.level)
        if route_d is None or route_d.option is None:
            continue
        if not route_d.option.fields or fits is None:
            chosen = (degree, route_d, "")
            break
        verdict, clause = _field_verdict(fits.get(scorable_field(degree, profile)),
                                         route_d.option, field_threshold)  # fmt: skip
        if verdict == "fits":
            chosen = (degree, route_d, clause)
            break
        if verdict == "verify" and to_verify is None:
            to_verify = (degree, route_d, clause)
        if verdict == "no" and wrong_field is None:
            wrong_field = (degree, route_d, clause)
    by_experience = None
    if chosen is None:
        named = next((o for o in options if o.fields), None)
        for degree in _completed(profile):
            fit = fits.get(scorable_field(degree, profile)) if fits is not None else None
            if named is None or _field_verdict(fit, named, field_threshold)[0] == "fits":
                relevant_level = degree.level
                break
        by_experience = _experience_route(options, relevant_level)
    if by_experience is not None and by_experience.option is not None:
        sub = by_experience.option
        top = max(o.min_level for o in options if o.min_level is not None)
        held = f"no {level_label(top)}"
        if relevant_level is not None:
            held = f"a {level_label(relevant_level)} in a relevant field"
        reason = (
            f"{held}; accepted with equivalent professional experience in lieu of the degree: "
            f"{_fmt_years(sub.extra_years)} more relevant experience (counted in the "
            "experience check)"
        )
        pick = to_verify or wrong_field
        if pick is not None and relevant_level is None:
            reason += f"; {pick[2]}"
        return (
            Check(requirement, "education", "pass", reason, True, sub.evidence or evidence,
                  _degree_evidence(profile)),
            by_experience,
        )  # fmt: skip
    picked = chosen or to_verify or wrong_field
    if picked is not None:
        degree, route, clause = picked
        opt = route.option
        assert opt is not None
        level = route.level
        degree_ev = (degree.evidence,) if degree.evidence is not None else _degree_evidence(profile)
        held = level_label(level)
        if degree.title or degree.evidence is not None:
            held += f" ('{degree_name(degree)}')"
        if route.main:
            reason = f"holds a {held}, which meets the required {level_label(opt.min_level)}"
        elif opt.extra_years:
            reason = (
                f"holds a {held}, accepted in lieu of a higher degree together "
                f"with {_fmt_years(opt.extra_years)} of additional relevant experience "
                "(counted in the experience check)"
            )
        else:
            reason = (
                f"holds a {held}, accepted in lieu of a higher degree "
                "(the experience check applies the longer minimum of this route)"
            )
        status: Status = "pass" if chosen is not None else "unknown"
        if chosen is None and to_verify is None:
            status = "fail"
        if opt.route == "training" and status == "pass":
            # the notice wants a course or a training school beside the degree: a CV's degree
            # level does not show it
            status = "unknown"
            course = (opt.evidence.text if opt.evidence else "")[:80]
            reason += f"; but the training the notice also requires ('{course}') is to verify"
        elif opt.route == "experience" and not route.main:
            reason = (
                f"holds a {held}, accepted with equivalent professional "
                "experience in lieu of a higher degree (the experience check applies)"
            )
        if clause:
            reason += ("; field: " if chosen is not None else "; but ") + clause
        if status != "pass":
            reason = _open_first(reason)
        return (
            Check(
                requirement, "education", status, reason, True, opt.evidence or evidence, degree_ev
            ),
            route,
        )
    highest = profile.highest_level
    degree_ev = _degree_evidence(profile)
    non_degree = [o for o in options if o.min_level is None]
    levels = [o.min_level for o in options if o.min_level is not None]
    unfinished = [
        d for d in profile.education if d.level is not None and "in progress" in d.matched_rule
    ]
    if highest is None and not unfinished and not _lists_education(profile):
        reason = "no degree could be read from the CV"
        if profile.education:
            reason = "degree level unknown: the CV names a degree whose level could not be read"
        return Check(
            requirement, "education", "unknown", reason, True, evidence, degree_ev, "missing"
        ), None
    if highest is None:
        found = "no university degree"
        if unfinished:
            found += f": '{shorten(unfinished[0].title, 70)}' is not completed"
        else:
            found += " in the education the CV lists"
        held_words = found
    else:
        held_words = f"holds a {level_label(highest)}"
    training = [o for o in non_degree if o.route == "training"]
    if training and _shows_training(profile, training[0]):
        reason = (
            f"{held_words}, below the degree options; the notice also accepts "
            f"'{shorten(training[0].evidence.text if training[0].evidence else '', 90)}', "
            "which the education listed may show: to verify"
        )
        return Check(requirement, "education", "unknown", reason, True, evidence, degree_ev), None
    if non_degree and not training:
        reason = (
            f"{held_words}, below the degree options; the notice also accepts "
            "a non-degree route that cannot be verified from a CV"
        )
        return Check(requirement, "education", "unknown", reason, True, evidence, degree_ev), None
    if levels:
        reason = f"{held_words}; the notice requires at least a {level_label(min(levels))}"
        if training:
            reason += " or an equivalent qualification the CV does not show"
    else:
        course = training[0].evidence.text if training and training[0].evidence else "training"
        reason = f"the CV does not show '{shorten(course, 90)}', which the notice requires"
    return Check(requirement, "education", "fail", reason, True, evidence, degree_ev), None


def _lists_education(profile: CandidateProfile) -> bool:
    """True when the CV has an education section with something in it (a school, coursework):
    a CV that lists its education and names no degree holds none."""
    return len(re.findall(r"\w{3,}", profile.education_text)) >= 3


_ROUTE_WORDS = re.compile(r"\b(?:education(?:al)?|training|qualifications?)\b", re.IGNORECASE)


def _shows_training(profile: CandidateProfile, option: EducationOption) -> bool:
    """Whether the education a CV lists names the field of a non-degree route ("qualifications
    from military or police educational institutions": a police academy, a military school)."""
    # "educational institutions", "training": what kind of route it is, not a field of it
    route_text = _ROUTE_WORDS.sub(" ", option.evidence.text) if option.evidence else ""
    wanted = field_codes(route_text)
    if not wanted or not profile.education_text:
        return False
    held: set[str] = set()
    for line in profile.education_text.splitlines():
        held.update(field_codes(line))
    return any(h.startswith(w) or w.startswith(h) for h in held for w in wanted)


# --------------------------------------------------------------------------- experience


def required_years(req: ExperienceRequirement, route: EducationRoute | None) -> float:
    """Years demanded of this candidate: by-degree minimum, or minimum + the route's extra years."""
    level = route.level if route is not None else None
    by_level = dict(req.min_years_by_level or {})
    extra = route.option.extra_years if route is not None and route.option is not None else 0.0
    base = req.min_years + extra
    if route is not None and route.option is not None and not route.main:
        # "four years with a relevant first-level degree" already includes the substitution years
        route_level = route.option.min_level
        if route_level in by_level:
            return max(by_level[route_level], req.min_years)
        return base
    if level is not None and level in by_level:
        return by_level[level]
    return base


def relevant_months(
    positions: Sequence[Position],
    relevant: Sequence[bool],
    *,
    reference: date,
    policy: ExperiencePolicy | None = None,
) -> tuple[float, int]:
    """Months (union, pro rata) of the relevant dated positions; how many relevant are undated."""
    intervals = []
    undated = 0
    for pos, keep in zip(positions, relevant, strict=True):
        if not keep:
            continue
        if pos.start is None:
            undated += 1
            continue
        end = pos.end
        if end is None and not pos.ongoing:
            end = pos.start
        intervals.append((pos.start, end, pos.part_time_fraction, pos.date_precision))
    return coverage_total(intervals, reference_date=reference, policy=policy), undated


#: experience kinds about the setting of the work, not its field ("international experience")
_CONTEXT_KINDS = re.compile(r"^(?:international|field|operational|multilateral|overseas)\b", re.I)
_MANAGEMENT_KIND = re.compile(r"^(?:management|managerial|supervisory)\b", re.I)


def role_codes(req: ExperienceRequirement, domain: Sequence[str]) -> tuple[str, ...] | None:
    """The fields a position's work must be in to count for ``req`` by what it is
    (:func:`~matcher.features.roles.facts_in_domain`; empty: no position counts so), or None
    for a management minimum (:func:`~matcher.features.roles.management_evidence`)."""
    return _role_codes(req.kind or "", tuple(domain))


@lru_cache(maxsize=4096)
def _role_codes(kind: str, domain: tuple[str, ...]) -> tuple[str, ...] | None:
    kind = kind.strip()
    if _MANAGEMENT_KIND.match(kind):
        return None
    if _CONTEXT_KINDS.match(kind):
        return ()
    return domain if is_generic_kind(kind) else work_codes(kind)


def relevant_by_role(
    req: ExperienceRequirement,
    positions: Sequence[Position],
    domain: Sequence[str] = (),
    *,
    roles: Sequence[RoleFacts] | None = None,
) -> tuple[bool, ...]:
    """Positions that count for ``req`` by what they are, whatever their similarity.

    A management minimum counts management-level positions (title or duties: director, head,
    chief, manager, supervising staff; :func:`~matcher.features.roles.management_evidence`).
    Any other counts positions whose work is in the field asked for
    (:func:`~matcher.features.roles.in_domain`): the fields a named kind names ("legal or
    political work", "police"); for relevant professional experience, ``domain`` -- the fields
    of the post's title and of the degrees it asks for, so a lawyer's years count where the
    notice wants law graduates.

    ``roles``: the positions' :func:`~matcher.features.roles.role_facts`, when the caller holds
    them already (a pool reads each CV's positions once for every post).
    """
    codes = role_codes(req, domain)
    if codes is None:
        return tuple(management_evidence(p) is not None for p in positions)
    if not codes:
        return (False,) * len(positions)
    if roles is None:
        roles = [role_facts(p) for p in positions]
    return tuple(facts_in_domain(f, codes) for f in roles)


#: the experience a notice without a stated minimum is read for: relevant professional work
GENERIC_EXPERIENCE = ExperienceRequirement(0.0, kind="relevant professional")


def relevant_positions(
    req: ExperienceRequirement,
    positions: Sequence[Position],
    position_similarity: Sequence[float],
    *,
    threshold: float,
    domain: Sequence[str] = (),
    roles: Sequence[RoleFacts] | None = None,
) -> tuple[bool, ...]:
    """Which positions count towards ``req``: similar enough to the kind of experience asked
    for (``threshold``), or relevant by what they are (:func:`relevant_by_role`; ``roles`` as
    there)."""
    by_role = relevant_by_role(req, positions, domain, roles=roles)
    return tuple(
        s >= threshold or r for s, r in zip(position_similarity, by_role, strict=True)
    )


def _position_label(pos: Position) -> str:
    label = pos.title or "position"
    if pos.organisation:
        label += f", {pos.organisation}"
    return label


def experience_check(
    req: ExperienceRequirement,
    profile: CandidateProfile,
    route: EducationRoute | None,
    position_similarity: Sequence[float],
    *,
    threshold: float,
    reference: date,
    policy: ExperiencePolicy | None = None,
    relevance_unreliable: str | None = None,
    months_of: Callable[[Sequence[bool]], tuple[float, int]] | None = None,
    domain: Sequence[str] = (),
    roles: Sequence[RoleFacts] | None = None,
) -> tuple[Check, float | None]:
    """Check one experience minimum; returns the check and the relevant months (None if unknown).

    ``position_similarity[i]`` is how close position ``i`` is to the required kind of experience;
    positions at or above ``threshold`` count, and so do those :func:`relevant_by_role` counts
    (``domain``: the ISCED-F fields of the post, see there). ``relevance_unreliable`` (a
    reason) turns a failure that rests on relevance into "unknown": e.g. an English-only model
    reading a Russian CV.
    ``months_of(relevant)``: :func:`relevant_months` of these positions, memoised by pool code (the
    same mask recurs across vacancies); by default computed here. ``roles``: the positions'
    :func:`~matcher.features.roles.role_facts` (:func:`relevant_by_role`).
    """
    if months_of is None:

        def months_of(mask: Sequence[bool]) -> tuple[float, int]:
            return relevant_months(profile.positions, mask, reference=reference, policy=policy)

    need = required_years(req, route)
    kind = "relevant professional" if is_generic_kind(req.kind or "") else req.kind
    requirement = f"{_fmt_years(need)} of {kind} experience"
    if route is not None and route.option is not None and not route.main:
        requirement += " (with the substitution route)"
    ev_vac = req.evidence
    positions = profile.positions
    if not positions:
        reason = "years unknown: no positions could be read from the CV"
        return Check(
            requirement, "experience", "unknown", reason, req.mandatory, ev_vac, (), "missing"
        ), None
    relevant = relevant_positions(
        req, positions, position_similarity, threshold=threshold, domain=domain, roles=roles
    )
    months, undated = months_of(relevant)
    ev_cv = tuple(
        p.evidence or Evidence(_position_label(p), source="text")
        for p, r in zip(positions, relevant, strict=True)
        if r
    )[:4]
    n_relevant = sum(relevant)
    have = months / 12.0
    # reasons lead with the finding ("2.1 years of relevant experience, 4 required"), then where
    # the years come from
    found = f"{_years(months)} of relevant experience"
    where = f"in {n_relevant} of {len(positions)} positions"
    if route is not None and route.option is not None and not route.main:
        route_name = (
            f"a {level_label(route.level)} route" if route.level is not None
            else "the equivalent-experience route"
        )  # fmt: skip
        where += f" ({route_name} needs {need:g})"
    if have + 1e-9 >= need:
        reason = f"{found}, {need:g} required; {where}"
        return (
            Check(requirement, "experience", "pass", reason, req.mandatory, ev_vac, ev_cv),
            months,
        )
    # no dates, but also no relevant position at all: no dates could add relevant years (unless
    # relevance itself cannot be judged)
    all_undated = all(p.start is None for p in positions)
    if all_undated and (n_relevant or relevance_unreliable):
        reason = f"years unknown: none of the {len(positions)} positions has dates"
        return Check(
            requirement, "experience", "unknown", reason, req.mandatory, ev_vac, ev_cv, "missing"
        ), None
    if undated:
        reason = (
            f"years unknown: {found} dated, short of {need:g}, and {undated} relevant "
            f"position(s) without dates; {where}"
        )
        return Check(
            requirement, "experience", "unknown", reason, req.mandatory, ev_vac, ev_cv
        ), None
    short = need - have
    reason = f"{found}, {short:.1f} years short of the {need:g} required; {where}"
    if relevance_unreliable:
        total, _ = months_of((True,) * len(positions))
        if total / 12.0 + 1e-9 >= need:
            reason = (
                f"relevance not judged: {relevance_unreliable}; {_years(total)} of experience "
                f"in all, {need:g} required"
            )
            return (
                Check(requirement, "experience", "unknown", reason, req.mandatory, ev_vac, ev_cv),
                None,
            )
    return Check(requirement, "experience", "fail", reason, req.mandatory, ev_vac, ev_cv), months


# --------------------------------------------------------------------------- languages


def _skill_rank(skill: LanguageSkill) -> int:
    if skill.native:
        return 6
    return cefr_rank(skill.level)


def _find_skill(profile: CandidateProfile, code: str) -> LanguageSkill | None:
    found = [s for s in profile.languages if s.language == code]
    if not found:
        return None
    return max(found, key=_skill_rank)


#: The level a CV shows of the language it is written in: professional fluency. A CV written in
#: fluent English is itself proof of working English, not of a native speaker's (C2).
WRITTEN_LEVEL = "C1"
INFERRED = "inferred from the language the CV is written in"


def language_status(
    profile: CandidateProfile, code: str, level: str | None, *, written_in: str | None = None
) -> tuple[Status, str]:
    """(status, reason) for one language at a CEFR level; the reason starts with the finding.

    ``written_in``: the language the CV is written in, taken as met at :data:`WRITTEN_LEVEL` when
    the CV states no level of its own for it (a stated level, even a lower one, is what counts).
    """
    skill = _find_skill(profile, code)
    need = cefr_rank(level)
    want = f"{code} at {level}" if level else code
    inferred = code == written_in
    if skill is not None and need == 0:
        return "pass", f"{code} listed ({'native' if skill.native else skill.level or 'no level'})"
    if skill is None or (not skill.native and _skill_rank(skill) == 0):
        listed = "" if skill is None else f"; {code} listed without a level"
        if inferred and need <= cefr_rank(WRITTEN_LEVEL):
            meets = f", meets {level}" if level else ""
            return "pass", f"{code} {WRITTEN_LEVEL} {INFERRED}{meets}{listed}"
        if inferred:
            return "unknown", (
                f"{code} {WRITTEN_LEVEL} {INFERRED}, {want} required; to verify" + listed
            )  # fmt: skip
        if skill is None:
            return "unknown", f"{code} not stated in the CV, {want} required"
        return "unknown", f"{code} listed without a level, {want} required"
    have = _skill_rank(skill)
    stated = "native" if skill.native else (skill.level or "no level stated")
    if have >= need:
        return "pass", f"{code} {stated} meets {level}"
    return "fail", f"{code} {stated} is below the required {level}"


def language_checks(
    languages: Sequence[LanguageRequirement],
    choices: Sequence[LanguageChoice],
    profile: CandidateProfile,
    *,
    infer_written: bool = True,
) -> list[Check]:
    """One check per required language and per required choice; assets are scored, not checked.

    With ``infer_written``, the language the CV is written in (``scorable_of(profile).language``,
    detected from its text, never assumed) meets a requirement up to professional fluency.
    """
    written = scorable_of(profile).language if infer_written else None
    checks: list[Check] = []
    for req in languages:
        if not req.required:
            continue
        status, reason = language_status(profile, req.language, req.level, written_in=written)
        skill = _find_skill(profile, req.language)
        ev: tuple[Evidence, ...] = (
            (skill.evidence,) if skill is not None and skill.evidence is not None else ()
        )
        label = f"{req.language}" + (f" at {req.level} or above" if req.level else "")
        basis: CheckBasis = "inferred" if INFERRED in reason else "cv"
        checks.append(Check(label, "language", status, reason, True, req.evidence, ev, basis))
    for choice in choices:
        if not choice.required:
            continue
        results = [
            language_status(profile, code, choice.level, written_in=written)
            for code in choice.languages
        ]
        passed = sum(s == "pass" for s, _ in results)
        unknown = sum(s == "unknown" for s, _ in results)
        label = f"{choice.k} of {', '.join(choice.languages)}" + (
            f" at {choice.level} or above" if choice.level else ""
        )
        choice_status: Status
        if passed >= choice.k:
            choice_status = "pass"
        elif passed + unknown < choice.k:
            choice_status = "fail"
        else:
            choice_status = "unknown"
        reason = f"{passed} of {choice.k} met: " + "; ".join(r for _, r in results)
        ev = tuple(
            s.evidence
            for code in choice.languages
            if (s := _find_skill(profile, code)) is not None and s.evidence is not None
        )
        choice_basis: CheckBasis = "inferred" if any(INFERRED in r for _, r in results) else "cv"
        checks.append(
            Check(label, "language", choice_status, reason, True, choice.evidence, ev, choice_basis)
        )
    return checks


# --------------------------------------------------------------------------- nationality

_PS_RESTRICTION = re.compile(
    r"nationals? of (?:the )?(?:OSCE )?participating States|"
    r"citizens? of (?:an? |the )?(?:OSCE )?participating States",
    re.IGNORECASE,
)
_DUTY_STATION_RESTRICTION = re.compile(
    r"(?:nationals?|citizens?|residents?) of (?:the )?(?:country|state) of (?:the )?duty station"
    r"[^.]{0,80}?(?:not|in)eligible|(?:nationals?|citizens?) of (?:the )?(?:host country|"
    r"country of (?:the )?duty station) (?:are|is|will) not|not open to (?:nationals|citizens) of "
    r"(?:the )?(?:host country|country of (?:the )?duty station)",
    re.IGNORECASE,
)


def _duty_station_country(vacancy: Vacancy) -> str | None:
    texts = [str(v) for k, v in (vacancy.metadata or {}).items() if "locat" in k.lower()]
    texts += [vacancy.title, vacancy.unit, vacancy.department]
    return duty_station_country(texts)


#: nationality rules (and the duty station's country when a rule needs it) of the vacancies seen
#: last, by identity: a pool asks them of the same notice for every pair, and they read the
#: notice's whole text
_RULES_SEEN: dict[
    int, tuple[Vacancy, tuple[Evidence | None, Evidence | None], str | None]
] = {}


def _rules_and_station(
    vacancy: Vacancy,
) -> tuple[tuple[Evidence | None, Evidence | None], str | None]:
    seen = _RULES_SEEN.get(id(vacancy))
    if seen is not None and seen[0] is vacancy:
        return seen[1], seen[2]
    if len(_RULES_SEEN) >= 256:
        _RULES_SEEN.clear()
    rules = _nationality_rules(vacancy)
    station = _duty_station_country(vacancy) if rules[1] is not None else None
    _RULES_SEEN[id(vacancy)] = (vacancy, rules, station)
    return rules, station


def nationality_rules(vacancy: Vacancy) -> tuple[Evidence | None, Evidence | None]:
    """Evidence of a participating-States restriction and of a duty-station exclusion, if any."""
    return _rules_and_station(vacancy)[0]


def _nationality_rules(vacancy: Vacancy) -> tuple[Evidence | None, Evidence | None]:
    texts = [("text", vacancy.text or "")]
    if vacancy.requirements is not None:
        texts += [("requirements", item.text) for item in vacancy.requirements.other]
    ps = ds = None
    for source, text in texts:
        if ps is None and (m := _PS_RESTRICTION.search(text)):
            ps = Evidence(m.group(0), m.start(), m.end(), source)
        if ds is None and (m := _DUTY_STATION_RESTRICTION.search(text)):
            ds = Evidence(m.group(0), m.start(), m.end(), source)
    return ps, ds


def is_nationality_item(item: RequirementItem) -> bool:
    return bool(re.search(r"national|citizen", item.text, re.IGNORECASE))


@dataclass(frozen=True, slots=True)
class NationalityFacts:
    """What the nationality condition reads: the notice's rules and the nationalities a CV
    states (nothing else personal)."""

    #: evidence of a participating-States restriction (None: the notice sets none)
    participating: Evidence | None
    #: evidence of a duty-station exclusion (None: the notice sets none)
    excluded: Evidence | None
    #: the duty station's country, when an exclusion needs it (None: not determined)
    station: str | None
    #: the nationalities the CV states
    stated: tuple[str, ...]
    #: whether a CV that states none is blocked (unknown) rather than left to the form
    require_stated: bool


def nationality_facts(
    vacancy: Vacancy, profile: CandidateProfile, *, require_stated: bool = False
) -> NationalityFacts | None:
    """The :class:`NationalityFacts` of a pair, or None when the notice sets no condition."""
    (ps, ds), station = _rules_and_station(vacancy)
    if ps is None and ds is None:
        return None
    stated = tuple(n for n in profile.personal.nationality if n and n.strip())
    return NationalityFacts(ps, ds, station, stated, require_stated)


def nationality_check(
    vacancy: Vacancy, profile: CandidateProfile, *, require_stated: bool = False
) -> Check | None:
    """The legal nationality condition, or None when the notice sets none.

    Reads ``profile.personal.nationality`` and nothing else personal. A CV that does not state a
    nationality gives "unknown" (blocking only when ``require_stated``): nominations and application
    forms carry nationality, CVs often do not.
    """
    facts = nationality_facts(vacancy, profile, require_stated=require_stated)
    return None if facts is None else nationality_verdict(facts)


@lru_cache(maxsize=4096)
def nationality_verdict(facts: NationalityFacts) -> Check:
    """The nationality check of a pair from its facts alone (see :func:`nationality_check`)."""
    ps, ds, station = facts.participating, facts.excluded, facts.station
    parts = []
    if ps is not None:
        parts.append("a national of an OSCE participating State")
    if ds is not None:
        parts.append(f"not a national of the duty station country ({station or 'unknown'})")
    requirement = "nationality: " + " and ".join(parts)
    evidence = ps or ds
    stated = facts.stated
    require_stated = facts.require_stated
    if not stated:
        if require_stated:
            reason = "no nationality stated in the CV; verify it on the application form"
            return Check(requirement, "nationality", "unknown", reason, True, evidence, ())
        return Check(
            requirement, "nationality", "unknown", TO_CONFIRM, False, evidence, (), "declaration"
        )
    countries = [canonical_country(n) for n in stated]
    cv_ev = (Evidence("nationality stated in the CV", source="personal"),)
    if ps is not None and not any(c in OSCE_PARTICIPATING_STATES for c in countries if c):
        if all(c is not None for c in countries):
            reason = "the stated nationality is not of an OSCE participating State"
            return Check(requirement, "nationality", "fail", reason, True, evidence, cv_ev)
        if require_stated:
            reason = "stated nationality not matched to a country; verify it on the form"
            return Check(requirement, "nationality", "unknown", reason, True, evidence, cv_ev)
        return Check(
            requirement, "nationality", "unknown", TO_CONFIRM, False, evidence, cv_ev,
            "declaration",
        )  # fmt: skip
    if ds is not None:
        if station is None:
            reason = "the duty station's country could not be determined from the notice"
            return Check(requirement, "nationality", "unknown", reason, True, evidence, cv_ev)
        others = [c for c in countries if c and c != station]
        if station in countries and not others:
            reason = f"a national of {station}, the country of the duty station"
            return Check(requirement, "nationality", "fail", reason, True, ds, cv_ev)
    reason = "the stated nationality meets the condition"
    return Check(requirement, "nationality", "pass", reason, True, evidence, cv_ev)


# --------------------------------------------------------------------------- other conditions


def other_check(
    item: RequirementItem, best_sentence: str | None, similarity: float, *, threshold: float
) -> Check:
    """A hard condition that is neither degree, years, language nor nationality (a licence...).

    It passes when a CV sentence states it clearly (similarity at or above ``threshold``); absence
    in a CV is not proof of absence, so otherwise it stays unknown. A declaration (a licence,
    fitness, hardship, age: see :mod:`matcher.scoring.declarations`) is the application form's to
    settle: it is listed as to confirm and never blocks the CV verdict.
    """
    if is_declaration(item):
        return declaration_check(item)
    if best_sentence and similarity >= threshold:
        reason = f"the CV states it (similarity {similarity:.2f})"
        return Check(
            item.text, item.category or "other", "pass", reason, item.required, item.evidence,
            (Evidence(best_sentence, source="text"),),
        )  # fmt: skip
    reason = "not found in the CV; to verify with the candidate"
    return Check(
        item.text, item.category or "other", "unknown", reason, item.required, item.evidence
    )


def requirement_checks_mapping(checks: Sequence[Check]) -> Mapping[str, list[Check]]:
    """Checks grouped by kind (education, experience, language, nationality, ...)."""
    out: dict[str, list[Check]] = {}
    for check in checks:
        out.setdefault(check.kind, []).append(check)
    return out

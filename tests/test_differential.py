"""Differential test: the pool path, ``Matcher.score`` and a plain reference scorer agree.

Hypothesis draws a vacancy (with and without each kind of requirement: degree with and without
fields, substitution route, preferred degree, mandatory and preferred years, required and asset
languages and choices, competencies required or not, other conditions, nationality rules, duties,
title) and a CV, then one variant of the CV per fact, each differing from it in that fact only:
degree level, field of study, months of a position, languages and levels, nationality, copied
(stuffed) and hidden sentences, undated positions, empty sections, the CV's language. All of them
are ranked together as one pool (:func:`matcher.batch.rank_pool`, the memo tables and column
arithmetic of :mod:`matcher.scoring.kernel`), scored one by one (:meth:`Matcher.score`), and
scored by ``tests/reference_scorer.py`` (plain loops over one pair). The three must agree on the
eligibility, every check's status, every component and the score, to the last digit: component
values are rounded to ``ScoringConfig.decimals`` and the score is their weighted sum, so they are
equal as floats, not merely close.

Mutation checks (each was run against the code it names; each makes this file fail):

* drop the CV's language facts (``chunk.language_key(i)``) from the ``"row"`` decision memo key of
  ``_rows`` in ``matcher/scoring/kernel.py``: CVs that differ only in their languages share one
  memo entry, and the pool calls a CV with English below the required level eligible where
  ``Matcher.score`` and the reference say ineligible. (The earlier probe, dropping the field
  fits from that key, no longer changes anything: the key's education facts hold each degree's
  field text, from which the fits follow; key the field memo of ``_field`` without the CV's
  fields instead, and a CV with an unrelated degree gets the related one's fit and verdict.)
* make ``weighted_mean`` (``matcher/scoring/components.py``) divide by the number of rows instead
  of the sum of the weights: the competency component (required competencies weigh 1, others
  0.5) differs from the reference in every pool with both kinds.
* drop the positions relevant by their field (``| by_role``) from ``_generic_relevant`` in
  ``matcher/scoring/kernel.py`` (the pool's whole-chunk form of ``relevant_positions`` for a
  notice without an experience minimum): a police adviser's years no longer count for a police
  post in the pool, and its experience component differs from the reference.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_scorer import reference_score
from toy_encoder import ToyEncoder

import matcher
from matcher.batch import rank_pool
from matcher.scoring.config import COMPONENTS
from matcher.scoring.matcher import result_row
from matcher.types import (
    CandidateProfile,
    Degree,
    EducationOption,
    Evidence,
    ExperienceRequirement,
    LanguageChoice,
    LanguageRequirement,
    LanguageSkill,
    MatchResult,
    PersonalData,
    Position,
    RequirementItem,
    Requirements,
    Vacancy,
)

CLOSING = date(2025, 1, 31)

DUTIES = (
    "Coordinates the preparation of project proposals and budgets for donor funding.",
    "Monitors the implementation of police reform projects and reports on progress.",
    "Organizes training workshops for border police officers on risk analysis.",
    "Drafts analytical reports on the security situation for senior management.",
    "Liaises with government counterparts and international partners.",
)
COMPETENCIES = (
    "Ability to work in a multicultural environment",
    "Excellent drafting and communication skills",
    "Knowledge of project management methodologies",
)
FIELDS = ("political science", "law", "international relations", "public administration")
OTHER_FIELDS = ("marine biology", "dentistry", "general studies", "political science", "law", "")
TITLES = ("Project Officer", "Senior Police Adviser (P4)", "")
POSITION_TITLES = (
    "Project Officer",
    "Police Reform Adviser",
    "Border Police Trainer",
    "Pastry Chef",
    "Warehouse Clerk",
    "",
)
POSITION_TEXTS = (
    "Coordinated project proposals and budgets for donors.",
    "Monitored police reform projects and reported on progress to the mission.",
    "Baked bread and cakes for a busy restaurant.",
    "Organized training workshops for border police on risk analysis.",
    "Managed stock levels and deliveries.",
    "",
)
SUMMARY = (
    "Experienced project manager in security sector reform.",
    "Skilled in drafting analytical reports for senior management.",
    "Keen gardener and amateur photographer.",
    "Works well in multicultural teams.",
)
LANGUAGE_CODES = ("en", "fr", "de", "ru")
LEVELS = (None, "A2", "B1", "B2", "C1", "C2")
NATIONALITIES = ((), ("Austrian",), ("Canadian",), ("Brazilian",), ("Atlantean",),
                 ("Austrian", "German"))  # fmt: skip
FRENCH = (
    "Je suis responsable de la gestion des projets et de la coordination des activités de la "
    "mission dans le domaine de la police et de la sécurité pour les partenaires du pays."
)


# --------------------------------------------------------------------------- vacancies


@dataclass(frozen=True)
class VacancyFacts:
    title: str = "Project Officer"
    duties: tuple[str, ...] = ()
    education: str = "none"  # none | level | fields | substitution
    degree_level: int = 7
    fields: tuple[str, ...] = ()
    preferred_degree: bool = False
    years: float | None = None
    years_kind: str = "relevant professional"
    years_by_level: bool = False
    preferred_years: float | None = None
    language: str = "none"  # none | level | nolevel
    asset_language: bool = False
    choice: str = "none"  # none | required | asset
    competencies: tuple[tuple[str, bool], ...] = ()
    other: bool = False
    nationality: str = "none"  # none | states | station | both


def make_vacancy(f: VacancyFacts, vid: str) -> Vacancy:
    ev = Evidence("as stated in the notice", source="qualifications")
    education: tuple[EducationOption, ...] = ()
    if f.education == "level":
        education = (EducationOption(f.degree_level, evidence=ev),)
    elif f.education == "fields":
        education = (EducationOption(f.degree_level, fields=f.fields, evidence=ev),)
    elif f.education == "substitution":
        education = (
            EducationOption(7, fields=f.fields, evidence=ev),
            EducationOption(6, fields=f.fields, extra_years=2.0, evidence=ev),
        )
    experience: tuple[ExperienceRequirement, ...] = ()
    if f.years is not None:
        by_level = {6: f.years + 2.0} if f.years_by_level else {}
        experience = (ExperienceRequirement(f.years, by_level, kind=f.years_kind, evidence=ev),)
    languages: list[LanguageRequirement] = []
    if f.language != "none":
        level = "C1" if f.language == "level" else None
        languages.append(LanguageRequirement("en", level, evidence=ev))
    if f.asset_language:
        languages.append(LanguageRequirement("ru", "B2", required=False, evidence=ev))
    choices: tuple[LanguageChoice, ...] = ()
    if f.choice != "none":
        choices = (LanguageChoice(1, ("fr", "de"), "B2", required=f.choice == "required"),)
    text = "Vacancy notice."
    if f.nationality in ("states", "both"):
        text += " This post is open to nationals of OSCE participating States only."
    if f.nationality in ("station", "both"):
        text += " Nationals of the country of the duty station are not eligible."
    requirements = Requirements(
        education=education,
        education_preferred=(EducationOption(8, evidence=ev),) if f.preferred_degree else (),
        experience=experience,
        experience_preferred=(
            (ExperienceRequirement(f.preferred_years, kind="project management", mandatory=False),)
            if f.preferred_years is not None
            else ()
        ),
        languages=tuple(languages),
        language_choices=choices,
        competencies=tuple(RequirementItem(t, required=r) for t, r in f.competencies),
        other=(RequirementItem("A valid driving licence", category="licence"),) if f.other else (),
    )
    return Vacancy(
        id=vid,
        title=f.title,
        duties=f.duties,
        qualifications="University degree; experience in project management.",
        metadata={"Closing date": CLOSING.isoformat(), "Location": "Vienna"},
        requirements=requirements,
        text=text,
    )


def memo_only(v: Vacancy) -> Vacancy:
    """The same notice without years or other conditions: every decision of the pool then comes
    from the memo tables keyed by the facts they read."""
    assert v.requirements is not None
    req = dataclasses.replace(v.requirements, experience=(), experience_preferred=(), other=())
    return dataclasses.replace(v, id=f"{v.id}-memo", requirements=req)


vacancy_facts = st.builds(
    VacancyFacts,
    title=st.sampled_from(TITLES),
    duties=st.lists(st.sampled_from(DUTIES), max_size=4, unique=True).map(tuple),
    education=st.sampled_from(("none", "level", "fields", "fields", "substitution")),
    degree_level=st.sampled_from((6, 7)),
    fields=st.lists(st.sampled_from(FIELDS), min_size=1, max_size=2, unique=True).map(tuple),
    preferred_degree=st.booleans(),
    years=st.sampled_from((None, 2.0, 5.0)),
    years_kind=st.sampled_from(("relevant professional", "police reform", "management level")),
    years_by_level=st.booleans(),
    preferred_years=st.sampled_from((None, 3.0)),
    language=st.sampled_from(("none", "level", "nolevel")),
    asset_language=st.booleans(),
    choice=st.sampled_from(("none", "required", "asset")),
    competencies=st.lists(
        st.tuples(st.sampled_from(COMPETENCIES), st.booleans()),
        max_size=3,
        unique_by=lambda c: c[0],
    ).map(tuple),
    other=st.booleans(),
    nationality=st.sampled_from(("none", "states", "station", "both")),
)


# --------------------------------------------------------------------------- CVs


@dataclass(frozen=True)
class Job:
    title: str
    text: str
    start: date | None
    months: int
    ongoing: bool = False


@dataclass(frozen=True)
class CVFacts:
    degrees: tuple[tuple[int | None, str], ...] = ()
    jobs: tuple[Job, ...] = ()
    languages: tuple[tuple[str, str | None, bool], ...] = ()
    nationality: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    copied: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    french: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def make_profile(f: CVFacts, cid: str) -> CandidateProfile:
    degrees = tuple(
        Degree(level, f"Degree in {name}" if name else "University degree", field=name)
        for level, name in f.degrees
    )
    levels = [d.level for d in degrees if d.level is not None]
    positions = []
    for job in f.jobs:
        end = None
        if job.start is not None and not job.ongoing:
            end = job.start + timedelta(days=30 * job.months)
        positions.append(
            Position(
                job.title, "OSCE" if job.title else "", start=job.start, end=end,
                ongoing=job.ongoing and job.start is not None, description=job.text,
                date_precision="month" if job.start is not None else None,
            )
        )  # fmt: skip
    lines = list(f.summary) + list(f.copied) + list(f.hidden)
    if f.french:
        lines.append(FRENCH)
    text = "\n".join(lines)
    return CandidateProfile(
        id=cid,
        education=degrees,
        highest_level=max(levels) if levels else None,
        positions=tuple(positions),
        languages=tuple(LanguageSkill(c, lv, native=n) for c, lv, n in f.languages),
        text=text,
        blind_text=text,
        personal=PersonalData(nationality=f.nationality),
        source=f"{cid}.txt",
        hidden_text=f.hidden,
    )


jobs = st.builds(
    Job,
    title=st.sampled_from(POSITION_TITLES),
    text=st.sampled_from(POSITION_TEXTS),
    start=st.dates(date(2008, 1, 1), date(2024, 6, 1)).map(lambda d: d.replace(day=1)),
    months=st.integers(1, 96),
    ongoing=st.booleans(),
)
skills = st.tuples(st.sampled_from(LANGUAGE_CODES), st.sampled_from(LEVELS), st.booleans())
degree = st.tuples(st.sampled_from((None, 3, 6, 7, 8)), st.sampled_from(OTHER_FIELDS))

cv_facts = st.builds(
    CVFacts,
    degrees=st.lists(degree, min_size=1, max_size=2).map(tuple),
    jobs=st.lists(jobs, min_size=1, max_size=3).map(tuple),
    languages=st.lists(skills, max_size=3, unique_by=lambda s: s[0]).map(tuple),
    nationality=st.sampled_from(NATIONALITIES),
    summary=st.lists(st.sampled_from(SUMMARY), max_size=3, unique=True).map(tuple),
)


@st.composite
def variants(draw: Any, base: CVFacts) -> list[tuple[str, CVFacts]]:
    """The CV and one variant per fact, each differing from it in that fact alone."""
    r = dataclasses.replace
    first_level, first_field = base.degrees[0]
    out = [("base", base)]
    level = draw(st.sampled_from([x for x in (None, 3, 6, 7, 8) if x != first_level]))
    out.append(("level", r(base, degrees=((level, first_field), *base.degrees[1:]))))
    name = draw(st.sampled_from([x for x in (*FIELDS, *OTHER_FIELDS) if x != first_field]))
    out.append(("field", r(base, degrees=((first_level, name), *base.degrees[1:]))))
    job = base.jobs[0]
    months = draw(st.integers(1, 120).filter(lambda m: m != job.months))
    out.append(("months", r(base, jobs=(r(job, months=months, ongoing=False), *base.jobs[1:]))))
    skill = draw(skills)
    langs = [s for s in base.languages if s[0] != skill[0]] + [skill]
    out.append(("language", r(base, languages=tuple(langs))))
    if base.languages:
        out.append(("no language", r(base, languages=base.languages[1:])))
    nat = draw(st.sampled_from([n for n in NATIONALITIES if n != base.nationality]))
    out.append(("nationality", r(base, nationality=nat)))
    duty = draw(st.sampled_from(DUTIES))
    out.append(("stuffed", r(base, copied=(duty,))))
    out.append(("hidden", r(base, hidden=(draw(st.sampled_from(SUMMARY + DUTIES)),))))
    out.append(("undated", r(base, jobs=(r(job, start=None), *base.jobs[1:]))))
    out.append(("all undated", r(base, jobs=tuple(r(j, start=None) for j in base.jobs))))
    out.append(("no positions", r(base, jobs=())))
    out.append(("no education", r(base, degrees=())))
    out.append(("no text", r(base, summary=())))
    out.append(("french", r(base, french=True)))
    return out


# --------------------------------------------------------------------------- comparison


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def assert_results_agree(got: MatchResult, want: MatchResult, label: str) -> None:
    """``Matcher.score`` against the reference: verdict, checks, parts, score, duty evidence."""
    assert got.eligibility == want.eligibility, label
    assert [(c.kind, c.requirement, c.status, c.mandatory) for c in got.checks] == [
        (c.kind, c.requirement, c.status, c.mandatory) for c in want.checks
    ], label
    for g, w in zip(got.checks, want.checks, strict=True):
        if g.kind != "competency":  # the rules' own checks: every word and span the same
            assert g == w, label
    assert [(p.name, p.weight, p.value, p.contribution) for p in got.parts] == [
        (p.name, p.weight, p.value, p.contribution) for p in want.parts
    ], label
    for g, w in zip(got.parts, want.parts, strict=True):
        if g.name in ("field", "education", "languages"):
            assert g.detail == w.detail, label
    assert got.score == want.score, label
    assert got.duty_matches == want.duty_matches, label
    assert set(got.warnings) == set(want.warnings), label


def pool_disagreements(
    pool: pd.DataFrame, results: dict[tuple[str, str], MatchResult], columns: list[str]
) -> list[str]:
    out = []
    for row in pool.to_dict("records"):
        result = results[(row["vacancy_id"], row["candidate_id"])]
        want = result_row(result, source=row["source"])
        for name in columns:
            if not _same(row[name], want[name]):
                out.append(
                    f"{row['vacancy_id']} / {row['candidate_id']}: {name} "
                    f"pool={row[name]!r} expected={want[name]!r}"
                )
    return out


ROW_COLUMNS = [
    "eligibility", "score", *COMPONENTS, "failed_checks", "unknown_checks", "top_evidence",
    "stuffing",
]  # fmt: skip


def check_pool(vacancies: list[Vacancy], cvs: list[tuple[str, CVFacts]]) -> dict[str, Any]:
    """Rank the pool, score every pair alone and by the reference; assert they agree. Returns
    what was seen (verdicts, check statuses) for the callers that assert coverage."""
    encoder = ToyEncoder(dim=48)
    m = matcher.Matcher(encoder=encoder)
    profiles = [make_profile(f, f"cv{k:02d}-{label.replace(' ', '-')}")
                for k, (label, f) in enumerate(cvs)]  # fmt: skip
    pool = rank_pool(m, vacancies, profiles, progress=False)
    assert len(pool) == len(vacancies) * len(profiles)
    assert not pool["error"].astype(bool).any(), pool["error"].tolist()
    scored: dict[tuple[str, str], MatchResult] = {}
    reference: dict[tuple[str, str], MatchResult] = {}
    seen: dict[str, set[Any]] = {"eligibility": set(), "checks": set()}
    for v in vacancies:
        for p in profiles:
            label = f"{v.id} / {p.id}"
            got = m.score(v, p)
            want = reference_score(v, p, encoder, m.config)
            assert_results_agree(got, want, label)
            scored[(v.id, p.id)] = got
            reference[(v.id, p.id)] = want
            seen["eligibility"].add(got.eligibility)
            seen["checks"].update((c.kind, c.status) for c in got.checks)
    every = [c for c in pool.columns if c not in ("vacancy_id", "rank")]
    problems = pool_disagreements(pool, scored, every)
    problems += pool_disagreements(pool, reference, ROW_COLUMNS)
    assert not problems, "\n".join(problems[:20])
    return seen


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), vfacts=vacancy_facts, base=cv_facts)
def test_pool_score_and_reference_agree(data: Any, vfacts: VacancyFacts, base: CVFacts) -> None:
    vacancy = make_vacancy(vfacts, "V")
    cvs = data.draw(variants(base))
    check_pool([vacancy, memo_only(vacancy)], cvs)


# --------------------------------------------------------------------------- a fixed pool


FIXED_VACANCY = VacancyFacts(
    title="Project Officer",
    duties=DUTIES[:3],
    education="fields",
    degree_level=7,
    fields=("political science", "law"),
    years=2.0,
    language="level",
    asset_language=True,
    choice="required",
    competencies=((COMPETENCIES[0], True), (COMPETENCIES[1], False), (COMPETENCIES[2], False)),
    other=True,
    nationality="both",
)
FIXED_CV = CVFacts(
    degrees=((7, "political science"),),
    jobs=(
        Job("Project Officer", POSITION_TEXTS[0], date(2015, 1, 1), 60),
        Job("Pastry Chef", POSITION_TEXTS[2], date(2010, 1, 1), 48),
    ),
    languages=(("en", "C1", False), ("fr", "B2", False), ("ru", "B2", False)),
    nationality=("Canadian",),
    summary=SUMMARY[:2],
)


def test_a_fixed_pool_agrees_and_reaches_every_verdict() -> None:
    """The same comparison on one chosen pool, whose variants are known to change verdicts: a
    degree in an unrelated field (ineligible), in a field the table cannot place (unknown), below
    the level (ineligible), a language below its
    level, a national of the duty station. Keeps the mutation checks above deterministic."""
    r = dataclasses.replace
    cvs = [
        ("base", FIXED_CV),
        ("unrelated field", r(FIXED_CV, degrees=((7, "marine biology"),))),
        ("unplaced field", r(FIXED_CV, degrees=((7, "general studies"),))),
        ("bachelor", r(FIXED_CV, degrees=((6, "political science"),))),
        ("low english", r(FIXED_CV, languages=(("en", "B1", False), ("fr", "B2", False)))),
        ("english, no level", r(FIXED_CV, languages=(("en", None, False), ("de", "C1", False)))),
        ("austrian", r(FIXED_CV, nationality=("Austrian",))),
        ("stuffed", r(FIXED_CV, copied=(DUTIES[1],))),
        ("undated", r(FIXED_CV, jobs=tuple(r(j, start=None) for j in FIXED_CV.jobs))),
        ("french", r(FIXED_CV, french=True)),
    ]
    vacancy = make_vacancy(FIXED_VACANCY, "V")
    seen = check_pool([vacancy, memo_only(vacancy)], cvs)
    assert seen["eligibility"] == {"eligible", "unknown", "ineligible"}
    for status in ("pass", "fail", "unknown"):
        assert ("education", status) in seen["checks"] or status == "fail"
        assert ("language", status) in seen["checks"]
        assert ("nationality", status) in seen["checks"] or status == "unknown"


@pytest.mark.parametrize("chunk_size", [1, 3])
def test_chunking_does_not_change_the_pool(chunk_size: int) -> None:
    """Memo tables live per vacancy across chunks; the rows must not depend on where a chunk
    starts."""
    cvs = [(f"cv{k}", r) for k, r in enumerate([
        FIXED_CV,
        dataclasses.replace(FIXED_CV, degrees=((7, "marine biology"),)),
        dataclasses.replace(FIXED_CV, languages=()),
        dataclasses.replace(FIXED_CV, jobs=()),
    ])]  # fmt: skip
    vacancy = make_vacancy(FIXED_VACANCY, "V")
    m = matcher.Matcher(encoder=ToyEncoder(dim=48))
    profiles = [make_profile(f, label) for label, f in cvs]
    whole = rank_pool(m, [vacancy, memo_only(vacancy)], profiles, progress=False)
    cut = rank_pool(
        m, [vacancy, memo_only(vacancy)], profiles, progress=False, chunk_size=chunk_size
    )
    pd.testing.assert_frame_equal(whole, cut, check_exact=True)

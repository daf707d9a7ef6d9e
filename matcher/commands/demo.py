"""``matcher demo``: the whole pipeline on the shipped sample data, as a short console story.

1. every notice in ``data/vacancies`` parsed, one line each plus its requirements (the JPO brochure
   summarised as its 23 openings);
2. the sample CVs in ``data/cvs`` ranked for SEC000821 with :meth:`matcher.Matcher.rank`: the top
   candidates with eligibility, score and reasons, the count per eligibility, and every CV that
   could not be read with its error;
3. the outputs under ``out/``: the ranking CSV, the HTML shortlist, an audit log (verified), and the
   JPO allocation of ``data/jpo`` (rank-maximal);
4. the list of files written and how to open the report.

The command is glue over the public API (``import matcher``); it decides nothing itself.
Embeddings are kept in the user cache (:class:`matcher.EmbeddingCache`), so a second run
encodes nothing; ``--no-cache`` keeps them in memory only.
"""

from __future__ import annotations

import argparse
import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher.commands.common import write_frame

if TYPE_CHECKING:
    from matcher.types import Requirements, Vacancy

WIDTH = 100  # console lines are cut to this many characters
DEFAULT_VACANCY = "osce-associate-security-project-officer-SEC000821.txt"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the demo on the shipped data",
        description=(
            "Parse the shipped vacancies, rank the sample CVs for one notice, write the ranking, "
            "the HTML shortlist, a verified audit log and the JPO allocation under --out."
        ),
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="data directory holding vacancies/, cvs/ and jpo/ "
        "(default: ./data, else the repository's data/)",
    )
    parser.add_argument(
        "--out", metavar="DIR", default="out", help="output directory (default: out)"
    )
    parser.add_argument(
        "--vacancy",
        metavar="FILE",
        help=f"the notice to rank for (default: DATA/vacancies/{DEFAULT_VACANCY})",
    )
    parser.add_argument("--cvs", metavar="DIR", help="folder of CVs (default: DATA/cvs)")
    parser.add_argument(
        "--top", metavar="N", type=int, default=5, help="candidates shown (default: 5)"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="keep embeddings in memory only (default: the user cache, $MATCHER_CACHE_DIR)",
    )
    parser.set_defaults(func=run)


def find_data_dir(explicit: str | None = None) -> Path:
    """The data directory: the one given, ./data, or the repository's data/ next to the package."""
    from matcher.errors import InputError

    candidates = (
        [Path(explicit)]
        if explicit
        else [
            Path.cwd() / "data",
            Path(__file__).resolve().parents[2] / "data",
        ]
    )
    for path in candidates:
        if (path / "vacancies").is_dir():
            return path
    raise InputError("no data directory with a vacancies/ folder found", path=candidates[0])


# --------------------------------------------------------------------------- text helpers


def _cut(text: str, width: int = WIDTH) -> str:
    """One line of at most ``width`` characters (line breaks folded, spacing kept)."""
    text = re.sub(r"\s*[\r\n\t\f\v]+\s*", " ", str(text)).rstrip()
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _wrap(text: str, *, indent: str, lines: int = 2) -> list[str]:
    """``text`` on at most ``lines`` lines of :data:`WIDTH` characters, cut with an ellipsis."""
    out = textwrap.wrap(" ".join(text.split()), WIDTH - len(indent), break_on_hyphens=False) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _cut(out[-1] + " \u2026", WIDTH - len(indent))
    return [indent + line for line in out]


def _level(level: int | None) -> str:
    """Short degree label from :data:`matcher.types.ISCED_LABELS` ("master", "bachelor" ...)."""
    from matcher.types import ISCED_LABELS

    if level is None:
        return "non-degree"
    label = ISCED_LABELS.get(level, f"ISCED {level}")
    inner = re.search(r"\(([^)]+)\)", label)
    return inner.group(1) if inner else label


def _years(value: float) -> str:
    return f"{value:g}y"


def _fields(fields: tuple[str, ...], related: bool) -> str:
    if not fields:
        return ""
    keep = len(fields) if len(fields) <= 3 else 1
    more = [f"+{len(fields) - keep}"] if len(fields) > keep else []
    if related:
        more.append("or related")
    return f" in {', '.join(fields[:keep])}" + (f" ({', '.join(more)})" if more else "")


def requirements_text(req: Requirements | None, *, kinds: bool = True) -> str:
    """The checkable requirements on one line: degree routes, years, languages, the rest counted.

    ``kinds=False`` leaves out the kind of experience each minimum asks for (a shorter line).
    """
    if req is None or req.is_empty():
        return "requirements: none found"
    bits: list[str] = []
    if req.education:
        routes = []
        for i, opt in enumerate(req.education):
            text = _level(opt.min_level)
            if i == 0 or opt.fields != req.education[0].fields:
                text += _fields(opt.fields, opt.related_fields)
            if opt.extra_years:
                text += f" +{_years(opt.extra_years)}"
            routes.append(text)
        bits.append("degree: " + " | ".join(routes))
    if req.education_preferred:
        bits.append(
            "preferred degree: " + " | ".join(_level(o.min_level) for o in req.education_preferred)
        )
    for label, items in (("years", req.experience), ("years preferred", req.experience_preferred)):
        minima = []
        for exp in items:
            by_level = ", ".join(
                f"{_years(v)} with {_level(k)}" for k, v in sorted(exp.min_years_by_level.items())
            )
            minima.append(
                _years(exp.min_years)
                + (f" ({by_level})" if by_level else "")
                + (f" {_cut(exp.kind, 32)}" if exp.kind and kinds else "")
            )
        if minima:
            bits.append(f"{label}: " + "; ".join(minima))
    langs = _languages_text(req)
    if langs:
        bits.append("languages: " + langs)
    counts = []
    if req.competencies:
        counts.append(f"{len(req.competencies)} competencies")
    if req.other:
        counts.append(f"{len(req.other)} other conditions")
    if counts:
        bits.append(", ".join(counts))
    return " \u00b7 ".join(bits)


def _languages_text(req: Requirements) -> str:
    required: list[str] = []
    assets: dict[str, list[str]] = {}
    for lang in req.languages:
        code = lang.language.upper()
        if lang.required:
            required.append(f"{code} {lang.level}" if lang.level else code)
        else:
            assets.setdefault(lang.level or "", []).append(code)
    for choice in req.language_choices:
        text = f"{choice.k} of {'/'.join(c.upper() for c in choice.languages)}"
        text += f" {choice.level}" if choice.level else ""
        if choice.required:
            required.append(text)
        else:
            assets.setdefault("", []).append(f"({text})")
    parts = list(required)
    for level, codes in assets.items():
        parts.append("asset " + "/".join(codes) + (f" {level}" if level else ""))
    return ", ".join(parts)


# --------------------------------------------------------------------------- 1. vacancies

_INDENT = "    "


def _requirement_lines(req: Requirements | None) -> list[str]:
    """The requirements on two lines at most; the kinds of experience go first when too long."""
    text = requirements_text(req)
    if len(text) > 2 * (WIDTH - len(_INDENT)) - 10:
        text = requirements_text(req, kinds=False)
    return _wrap(text, indent=_INDENT)


def _notice_line(vacancy: Vacancy) -> str:
    facts = [vacancy.department or "no department", f"{len(vacancy.duties)} duties"]
    facts += [
        f"closes {vacancy.metadata[key]}"
        for key in ("Closing Date", "Deadline for application")
        if vacancy.metadata.get(key)
    ][:1]
    return f"{vacancy.id}  [{', '.join(facts)}]  {vacancy.title or '(no title)'}"


def show_vacancies(folder: Path) -> tuple[int, int]:
    """Print the notices of ``folder``; returns (vacancies parsed, files)."""
    import matcher

    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    print(f"1. Vacancies: {len(files)} files in {folder}")
    total = 0
    for path in files:
        try:
            vacancies = matcher.load_vacancies(path)
        except matcher.MatcherError as exc:
            print(f"  {path.name}: could not be parsed: {_cut(str(exc), WIDTH - 30)}")
            continue
        total += len(vacancies)
        if len(vacancies) > 1:
            _show_brochure(path, vacancies)
            continue
        vacancy = vacancies[0]
        print(_cut(f"  {_notice_line(vacancy)}"))
        for line in _requirement_lines(vacancy.requirements):
            print(line)
        if vacancy.warnings:
            for line in _wrap("! " + "; ".join(vacancy.warnings), indent=_INDENT):
                print(line)
    return total, len(files)


def _show_brochure(path: Path, vacancies: tuple[Vacancy, ...]) -> None:
    areas: dict[str, int] = {}
    for v in vacancies:
        areas[v.department or "-"] = areas.get(v.department or "-", 0) + 1
    duties = [len(v.duties) for v in vacancies]
    print(
        _cut(
            f"  JPO brochure, {len(vacancies)} openings ({vacancies[0].id}..{vacancies[-1].id}), "
            f"{min(duties)}-{max(duties)} duties each  [{path.name}]"
        )
    )
    print(_cut(f"{_INDENT}areas: " + ", ".join(f"{a} {n}" for a, n in areas.items())))
    shared = set.intersection(*(set(v.warnings) for v in vacancies))
    reqs = {requirements_text(v.requirements) for v in vacancies}
    line = reqs.pop() if len(reqs) == 1 else "requirements: differ per opening"
    if shared:
        line += " \u00b7 ! " + "; ".join(sorted(shared))
    print(_cut(_INDENT + line))


# --------------------------------------------------------------------------- 2. ranking


def _first_evidence(top_evidence: Any) -> str:
    """The best duty evidence of a ranking row ("0.71 sentence | 0.65 sentence" -> the first)."""
    if not isinstance(top_evidence, str) or not top_evidence.strip():
        return ""
    first = top_evidence.split(" | ")[0]
    score, _, sentence = first.partition(" ")
    return f"best duty evidence {score}: \u201c{sentence}\u201d"


def _show_row(row: Any) -> None:
    """One ranking row: rank, id, eligibility, score, then one line per reason."""
    score = "-" if row.score != row.score else f"{row.score:.3f}"
    flag = "  (copies of the notice discounted)" if row.stuffing else ""
    print(_cut(f"   {row.rank:>3}  {row.candidate_id:<34} {row.eligibility:<11} {score:>5}{flag}"))
    reasons = []
    if row.error:
        reasons.append(f"error: {row.error}")
    if row.failed_checks:
        reasons.append(f"failed: {row.failed_checks}")
    if row.unknown_checks:
        reasons.append(f"unknown: {row.unknown_checks}")
    evidence = _first_evidence(row.top_evidence)
    if evidence:
        reasons.append(evidence)
    for reason in reasons:
        print(_cut(f"{'':8}{reason}"))


def show_ranking(vacancy: Vacancy, ranking: Any, *, top: int, n_files: int) -> None:
    """Print the top of the ranking with reasons, the eligibility counts and the unread CVs."""
    print()
    title = f"{vacancy.id} {vacancy.title}"
    print(_cut(f"2. Ranking for {title}: {len(ranking)} CVs ({n_files} files)"))
    counts = ranking["eligibility"].value_counts()
    order = ("eligible", "unknown", "ineligible", "error")
    print(
        "   "
        + " \u00b7 ".join(
            f"{counts.get(k, 0)} {'could not be read' if k == 'error' else k}" for k in order
        )
    )
    print(f"   {'#':>3}  {'candidate':<34} {'eligibility':<11} {'score':>5}")
    shown = ranking.head(max(top, 0))
    for row in shown.itertuples(index=False):
        _show_row(row)
    # the best of each other class, so that a failed or unknown check is seen at least once
    others = ranking.iloc[len(shown) :]
    firsts = others.groupby("eligibility", sort=False).head(1)
    firsts = firsts[~firsts["eligibility"].isin({*shown["eligibility"], "error"})]
    if len(firsts):
        print("   ...")
        for row in firsts.itertuples(index=False):
            _show_row(row)
    stuffed = ranking[ranking["stuffing"].astype(bool)]
    if len(stuffed):
        text = "copies of the notice's text detected and discounted: " + ", ".join(
            f"{r.candidate_id} (#{r.rank})" for r in stuffed.itertuples()
        )
        for line in _wrap(text, indent="   ", lines=4):
            print(line)
    errors = ranking[ranking["eligibility"] == "error"]
    if len(errors):
        print("   CVs that could not be read (kept in the ranking as errors):")
        for r in errors.itertuples():
            print(_cut(f"     {Path(str(r.source)).name or r.candidate_id}: {r.error}"))
    else:
        print("   every CV file was read")


# --------------------------------------------------------------------------- 3. outputs


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "vacancy"


def _jpo_allocation(jpo: Path, audit: Any) -> Any:
    """The rank-maximal allocation of the sample preferences and fit of ``jpo`` (logged)."""
    import pandas as pd

    import matcher

    def table(name: str, **options: Any) -> pd.DataFrame:
        path = jpo / name
        if not path.is_file():
            raise matcher.InputError(f"the JPO sample needs {name}", path=path)
        return pd.read_csv(path, **options)

    preferences = table("preferences.csv", dtype=str)
    fit = table("fit.csv", index_col=0)
    fit.index = fit.index.astype(str)
    areas_table = table("areas.csv", dtype=str)
    areas = dict(zip(areas_table["opening_id"], areas_table["area"], strict=True))
    allocation = matcher.allocate(preferences, fit, areas=areas, strategy="rank-maximal")
    audit.record_allocation(
        allocation, preferences=preferences, fit=fit, config={"strategy": "rank-maximal"}
    )
    return allocation


def _sample_allocation(data: Path, cv_dir: Path, cvs: Any, ranker: Any, audit: Any) -> Any:
    """The allocation of the sample CVs that state JPO preferences (``jpo_preferences.csv`` in
    the CV folder), their fit to each opening of the brochure scored by ``ranker``; None when
    the folder has no preferences file."""
    import matcher
    from matcher.commands.report import allocate_openings

    prefs = cv_dir / "jpo_preferences.csv"
    brochure = data / "vacancies" / "osce-jpo-2024-2026-secretariat-openings.txt"
    if not prefs.is_file() or not brochure.is_file():
        return None
    import pandas as pd

    openings = tuple(matcher.load_vacancies(brochure))
    wanted = set(pd.read_csv(prefs, dtype=str)["candidate_id"].str.strip())
    profiles = [p for p in cvs.profiles if p.id in wanted]
    allocation = allocate_openings(openings, profiles, str(prefs), strategy="rank-maximal",
                                   matcher=ranker)  # fmt: skip
    audit.record_allocation(allocation, config={"strategy": "rank-maximal"})
    return allocation


def run(args: argparse.Namespace) -> int:
    import matcher

    if args.top < 0:
        raise matcher.ConfigError(f"--top must be 0 or more, not {args.top}")
    data = find_data_dir(getattr(args, "data", None))
    vacancy_path = Path(args.vacancy) if args.vacancy else data / "vacancies" / DEFAULT_VACANCY
    cv_dir = Path(args.cvs) if args.cvs else data / "cvs"
    out = Path(args.out)
    if not cv_dir.is_dir():
        raise matcher.InputError("--cvs must be a folder of CVs", path=cv_dir)

    # 1. what the notices say
    total, n_notices = show_vacancies(data / "vacancies")
    print(f"   {total} vacancies parsed from {n_notices} files.")

    # 2. rank the sample CVs for one notice
    vacancies = matcher.load_vacancies(vacancy_path)
    if len(vacancies) != 1:
        raise matcher.InputError(
            f"--vacancy must be one notice; this file holds {len(vacancies)} openings",
            path=vacancy_path,
        )
    vacancy = vacancies[0]
    cache = matcher.EmbeddingCache(":memory:") if args.no_cache else matcher.EmbeddingCache()
    encoder = matcher.CachedEncoder(matcher.SentenceTransformerEncoder(), cache)
    ranker = matcher.Matcher(encoder=encoder)
    reference = ranker.prepare_vacancy(vacancy).reference  # the day experience is counted to
    cvs = matcher.load_cvs(cv_dir, reference_date=reference)
    n_files = len(cvs.profiles) + len(cvs.failures)
    out.mkdir(parents=True, exist_ok=True)
    audit = matcher.AuditLog(out / "audit.jsonl", actor="matcher demo")
    ranking, results, _ = ranker.rank_detailed(vacancy, cvs, audit=audit)
    show_ranking(vacancy, ranking, top=args.top, n_files=n_files)

    # 3. outputs
    print()
    print(f"3. Outputs in {out}/")
    written: list[tuple[Path, str]] = []
    name = _safe_name(vacancy.id)
    csv_path = out / f"ranking_{name}.csv"
    write_frame(ranking, csv_path)
    written.append((csv_path, f"the ranking, {len(ranking)} rows"))
    print(f"   ranking: {csv_path} ({len(ranking)} rows)")

    # the report shows each candidate's checks and duty evidence: the MatchResults of that pass
    profiles = {p.id: p for p in cvs.profiles}
    report_path = matcher.write_report(
        out / f"shortlist_{name}.html",
        vacancy,
        results,
        ranking=ranking,
        profiles=profiles,
        generated="matcher demo",
    )
    written.append((report_path, "the HTML shortlist, blind (candidates by id)"))
    print(f"   report: {report_path} ({len(results)} candidates, blind review)")

    allocation = _jpo_allocation(data / "jpo", audit)
    alloc_path = out / "allocation.csv"
    write_frame(allocation.to_frame(), alloc_path)
    written.append((alloc_path, "the JPO allocation, one row per candidate"))
    print(
        f"   JPO allocation ({allocation.strategy}, {len(allocation.candidates)} candidates, "
        f"{len(allocation.openings)} openings): {alloc_path}"
    )
    print(f"     {allocation.profile_text()}")
    # who did not get a first choice, and where they went (the first line of the explanation)
    others = [c for c in allocation.candidates if allocation.choice_rank.get(c) != 1]
    for candidate in others[:3]:
        print(_cut(f"     {allocation.explain(candidate).splitlines()[0]}"))
    if len(others) > 3:
        print(
            f"     ... and {len(others) - 3} more not in their 1st choice (see {alloc_path.name})"
        )
    for warning in allocation.warnings:
        print(_cut(f"     note: {warning}"))
    vacant = allocation.vacant
    print(f"     vacant openings: {', '.join(vacant) if vacant else 'none'}")

    # the sample CVs' own preferences (data/cvs/jpo_preferences.csv), fit scored by matcher
    own = _sample_allocation(data, cv_dir, cvs, ranker, audit)
    if own is not None:
        own_path = out / "allocation_sample_cvs.csv"
        write_frame(own.to_frame(), own_path)
        written.append((own_path, "the sample CVs' JPO allocation (their own preferences)"))
        vacant = own.vacant
        print(
            f"   sample CVs' own preferences ({len(own.candidates)} candidates): "
            f"{own.profile_text()}; {len(vacant)} of {len(own.openings)} openings vacant: "
            f"{own_path}"
        )

    check = matcher.verify_audit_log(audit.path)
    written.append((audit.path, "the audit log, hash-chained JSON Lines"))
    head = audit.path.with_name(audit.path.name + ".head")
    if head.exists():
        written.append((head, "its head: record count and last hash"))
    verdict = "verified, chain intact" if check.ok else "VERIFICATION FAILED"
    print(f"   audit log: {audit.path} ({check.runs} runs, {check.n_records} records): {verdict}")
    for problem in check.problems:
        print(_cut(f"     ! {problem}"))

    # 4. where things are
    print()
    print("4. Files written:")
    pad = max(len(str(path)) for path, _ in written)
    for path, what in written:
        print(_cut(f"   {str(path):<{pad}}  {what}"))
    print(f"Open the report in a browser: {report_path.resolve().as_uri()}")
    return 0 if check.ok else 1

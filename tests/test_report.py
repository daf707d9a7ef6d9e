"""The HTML shortlist: structure, escaping of hostile text, blind review, order, charts, errors."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matcher
from matcher.types import (
    CandidateProfile,
    Check,
    DutyMatch,
    EducationOption,
    Evidence,
    ExperienceRequirement,
    LanguageChoice,
    LanguageRequirement,
    MatchResult,
    PersonalData,
    Requirements,
    ScorePart,
    Vacancy,
)

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted" \u202eevil\u202c'

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "source", "wbr"}
SVG_SELF_CLOSING_OK = {"rect", "line", "path", "circle"}
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "a", "header", "nav", "ul", "ol", "li",
    "main", "section", "h1", "h2", "h3", "h4", "p", "div", "span", "strong", "table", "caption",
    "thead", "tbody", "tr", "th", "td", "details", "summary", "figure", "figcaption", "svg",
    "rect", "line", "text", "footer", "pre", "b",
}  # fmt: skip


class _TagChecker(HTMLParser):
    """Collects tags and checks they nest properly (a broken escape would show up here)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID and tag not in SVG_SELF_CLOSING_OK:
            self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _TagChecker:
    checker = _TagChecker()
    checker.feed(page)
    checker.close()
    assert not checker.problems, checker.problems[:5]
    assert not checker.stack, checker.stack
    return checker


def _ev(text: str) -> Evidence:
    return Evidence(text, 0, len(text), "qualifications")


@pytest.fixture(scope="module")
def vacancy() -> Vacancy:
    req = Requirements(
        education=(
            EducationOption(7, ("law",), True, 0.0, _ev("Second-level university degree in law")),
            EducationOption(6, ("law",), True, 2.0, _ev("first-level degree plus two years")),
        ),
        experience=(ExperienceRequirement(6, {6: 8}, "professional", True, _ev("six years")),),
        languages=(LanguageRequirement("en", "C1", True, _ev("Professional fluency in English")),),
        language_choices=(LanguageChoice(1, ("ru", "fr"), "B2", False, _ev("Russian or French")),),
    )
    return Vacancy(
        id="V-1",
        title="Adviser <b>on</b> Trafficking",
        organisation="OSCE",
        duties=("Provide policy advice", "Organise expert meetings"),
        qualifications="Second-level university degree in law ...",
        requirements=req,
        metadata={"Grade": "P4", "Location": "Vienna"},
    )


def _result(
    cid: str, eligibility: str, values: tuple[float, float], *, text: str = ""
) -> MatchResult:
    weights = (0.7, 0.3)
    parts = tuple(
        ScorePart(name, w, v, w * v, f"{name} detail")
        for name, w, v in zip(("duties", "languages"), weights, values, strict=True)
    )
    status = {"eligible": "pass", "unknown": "unknown", "ineligible": "fail"}[eligibility]
    checks = (
        Check("Education: master in law", "education", "pass", "LL.M. meets the master route",
              True, _ev("Second-level university degree in law"), (Evidence("LL.M. 2010"),)),
        Check("Experience: 6 years", "experience", status, f"experience check is {status}",
              True, _ev("six years"), (Evidence(text or "2012-2019 Legal officer"),)),
    )  # fmt: skip
    duties = (
        DutyMatch("Provide policy advice", text or "Advised the ministry on policy", 0.81, "pos 1"),
        DutyMatch("Organise expert meetings", "Organised a conference", 0.64, "position 2", True),
    )
    return MatchResult(
        cid, "V-1", eligibility, sum(p.contribution for p in parts), checks, duties, parts,
        explanation=f"explanation of {cid}",
    )  # fmt: skip


@pytest.fixture(scope="module")
def results() -> list[MatchResult]:
    return [
        _result("cv-b", "eligible", (0.5, 1.0)),
        _result("cv-a", "ineligible", (0.9, 1.0)),
        _result("cv-c", "unknown", (0.95, 1.0)),
        _result("cv-d", "eligible", (0.8, 1.0)),
        _result("cv-e", "eligible", (0.5, 1.0)),  # ties cv-b: id breaks it
    ]


def _candidate_order(page: str) -> list[str]:
    return re.findall(r'<details class="candidate" id="cand-\d+-([^"]+)"', page)


def test_document_structure(vacancy, results):
    page = matcher.render_report(vacancy, results)
    assert page.startswith("<!DOCTYPE html>")
    checker = parse(page)
    tags = [t for t, _ in checker.tags]
    assert set(tags) <= ALLOWED_TAGS, set(tags) - ALLOWED_TAGS
    html_attrs = dict(checker.tags[0][1])
    assert html_attrs.get("lang") == "en"
    assert tags.count("main") == 1 and tags.count("nav") == 1 and tags.count("h1") == 1
    assert "script" not in tags and "link" not in tags
    # nothing fetched at view time: no external reference besides the SVG namespace
    urls = re.findall(r"(?:src|href)=\"([^\"]*)\"", page)
    assert all(u.startswith("#") for u in urls), urls
    assert "@import" not in page and "url(" not in page
    section_ids = [a["id"] for t, a in checker.tags if t == "section"]
    assert section_ids == ["summary", "shortlist", "requirements", "candidates", "method"]
    # every nav link points to a section that exists
    nav_links = re.findall(r'<li><a href="#([a-z]+)">', page)
    assert nav_links == section_ids
    # tables have header cells; every candidate is a keyboard-operable <details>
    assert tags.count("table") == tags.count("thead")
    assert tags.count("details") >= len(results) and tags.count("summary") == tags.count("details")
    assert "@media print" in page


def test_order_follows_eligibility_then_score_then_id(vacancy, results):
    page = matcher.render_report(vacancy, results)
    assert _candidate_order(page) == ["cv-d", "cv-b", "cv-e", "cv-c", "cv-a"]
    # the ranking frame, when given, decides the order
    pd = pytest.importorskip("pandas")
    ranking = pd.DataFrame({"candidate_id": ["cv-a", "cv-e", "cv-b", "cv-c", "cv-d"],
                            "rank": [1, 2, 3, 4, 5]})  # fmt: skip
    page = matcher.render_report(vacancy, results, ranking=ranking)
    assert _candidate_order(page) == ["cv-a", "cv-e", "cv-b", "cv-c", "cv-d"]


def test_badges_and_statuses_have_words_not_only_colour(vacancy, results):
    page = matcher.render_report(vacancy, results)
    # cv-b and cv-e tie: a close call; cv-e is the last eligible, so it leads no one
    assert re.search(r"cv-b</a></th>.*?<td class=\"num\">\+0\.000 close call</td>", page)
    assert re.search(r"cv-e</a></th>.*?<td class=\"num\">\u2013</td>", page)
    text = " ".join(parse(page).text)
    for word in ("Eligible", "Ineligible", "Unknown", "Pass", "Fail"):
        assert word in text


def test_requirements_with_their_evidence(vacancy, results):
    page = matcher.render_report(vacancy, results)
    req = page.split('id="requirements"', 1)[1].split("</section>", 1)[0]
    for evidence in ("Second-level university degree in law", "first-level degree plus two years",
                     "Professional fluency in English", "Russian or French"):  # fmt: skip
        assert evidence in req
    assert "English at C1" in req and "1 of Russian, French at B2" in req
    assert "plus 2 further years of experience" in req
    assert "Desirable" in req and "Mandatory" in req


def test_hostile_text_is_escaped_everywhere(vacancy):
    hostile_vacancy = Vacancy(id=HOSTILE, title=HOSTILE, duties=(HOSTILE,), background=HOSTILE)
    r = _result(HOSTILE, "eligible", (0.5, 0.5), text=HOSTILE)
    r = MatchResult(
        r.candidate_id, r.vacancy_id, r.eligibility, r.score, r.checks, r.duty_matches,
        (ScorePart(HOSTILE, 1.0, r.score, r.score, HOSTILE),), explanation=HOSTILE,
        warnings=(HOSTILE,),
    )  # fmt: skip
    page = matcher.render_report(hostile_vacancy, [r], errors={HOSTILE: HOSTILE})
    checker = parse(page)
    assert "<script" not in page and "<img" not in page
    assert "onerror=alert" in page  # shown as text ...
    assert not any("onerror" in attrs for _, attrs in checker.tags)  # ... never an attribute
    assert "&lt;script&gt;" in page
    assert "\u202e" not in page and "\u202c" not in page  # no right-to-left override spoofing


def test_blind_by_default_personal_data_never_shown(vacancy):
    secret = "Jane Q. Doe-Smith"
    cv_text = (f"{secret}, Austria, jane.doe@example.org, +43 660 1234567, tel. 0660 7654321; "
               "advised the ministry")  # fmt: skip
    r = _result("cv-7", "eligible", (0.5, 0.5), text=cv_text)
    profile = CandidateProfile(
        "cv-7",
        personal=PersonalData(name=secret, email="jane.doe@example.org", phone="0660 7654321",
                              nationality=("Austria",), date_of_birth="1980-01-02"),
    )  # fmt: skip
    page = matcher.render_report(vacancy, [r], profiles={"cv-7": profile})
    for leaked in (secret, "Doe-Smith", "Jane", "jane.doe@example.org", "1234567", "7654321",
                   "Austria"):  # fmt: skip
        assert leaked not in page, leaked
    assert "[redacted]" in page and "advised the ministry" in page
    # without profiles, contact details are still redacted from CV quotes
    page = matcher.render_report(vacancy, [r])
    assert "jane.doe@example.org" not in page and "1234567" not in page
    assert "2012-2019" in matcher.render_report(vacancy, [_result("x", "eligible", (1, 1))])
    # blind=False shows the name next to the id (and says blind review is off)
    page = matcher.render_report(vacancy, [r], profiles={"cv-7": profile}, blind=False)
    assert secret in page and "Blind review is OFF" in page


def test_waterfall_adds_up_to_the_score(vacancy, results):
    page = matcher.render_report(vacancy, results[:1])
    svg = re.search(r'<svg class="waterfall".*?</svg>', page, re.S).group(0)
    bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*class="(\w+)"', svg)
    assert [c for _, _, c in bars] == ["pos", "pos", "total"]
    (x0, w0, _), (x1, w1, _), (xt, wt, _) = [(float(a), float(b), c) for a, b, c in bars]
    assert x1 == pytest.approx(x0 + w0, abs=0.15)  # each bar starts where the previous ended
    assert xt == pytest.approx(x0) and wt == pytest.approx(w0 + w1, abs=0.2)
    assert "The parts sum to" not in page
    broken = MatchResult("cv-x", "V-1", "eligible", 0.9, parts=(ScorePart("duties", 1, 0.5, 0.5),))
    assert "The parts sum to 0.5000, not to the score 0.9000" in matcher.render_report(
        vacancy, [broken]
    )


def test_score_distribution_counts_every_candidate(vacancy, results):
    page = matcher.render_report(vacancy, results)
    svg = re.search(r'<svg class="dist".*?</svg>', page, re.S).group(0)
    assert "3 eligible, 1 unknown, 1 ineligible" in svg
    counts = [int(c) for c in re.findall(r"<title>(\d+) \w+, score", svg)]
    assert sum(counts) == len(results)


def test_errors_are_listed_not_dropped(vacancy, results):
    pd = pytest.importorskip("pandas")
    ranking = pd.DataFrame({
        "candidate_id": [r.candidate_id for r in results] + ["broken-cv"],
        "rank": list(range(1, len(results) + 2)),
        "error": [None] * len(results) + ["broken.pdf: the PDF is encrypted"],
    })  # fmt: skip
    page = matcher.render_report(vacancy, results, ranking=ranking,
                                 errors={"empty.txt": "empty.txt: the file is empty"})  # fmt: skip
    errors = page.split('id="errors"', 1)[1].split("</section>", 1)[0]
    assert "broken-cv" in errors and "the PDF is encrypted" in errors
    assert "empty.txt" in errors
    assert f"<b>{len(results) + 2}</b>CVs received" in page


def test_optional_sections(vacancy, results):
    pd = pytest.importorskip("pandas")
    ranking = pd.DataFrame({"candidate_id": [f"c{i}" for i in range(20)],
                            "score": [i / 20 for i in range(20)],
                            "eligibility": ["eligible"] * 10 + ["ineligible"] * 10})  # fmt: skip
    groups = {f"c{i}": ("a" if i >= 8 else "b") for i in range(20)}  # a mostly ineligible
    impact = matcher.impact_report(ranking, groups, selected="eligible", intersections=False)

    class FakeAllocation:  # the documented surface of matcher.Allocation
        strategy = "rank-maximal"
        profile = {"1st": 2, "2nd": 1, "3rd": 0, "outside": 0, "unplaced": 0}
        total_fit = 2.1

        def to_frame(self):
            return pd.DataFrame({"candidate_id": ["cv-b", "cv-d", "cv-e"],
                                 "opening": ["JPO-01", "JPO-02", "JPO-03"],
                                 "choice_rank": [1, 1, 2]})  # fmt: skip

    page = matcher.render_report(vacancy, results, impact=impact, allocation=FakeAllocation())
    impact_html = page.split('id="impact"', 1)[1].split("</section>", 1)[0]
    assert "Impact ratio" in impact_html and "FLAGGED" in impact_html
    assert "Flagged (impact ratio under 0.8):</strong> selection rate of group = a" in impact_html
    assert "20 candidates; 10 selected; selection rule: eligible" in impact_html
    fair = matcher.impact_report(ranking, {f"c{i}": "ab"[i % 2] for i in range(20)},
                                 selected="eligible", intersections=False)  # fmt: skip
    assert "No group is flagged" in matcher.render_report(vacancy, results, impact=fair)
    alloc = page.split('id="allocation"', 1)[1].split("</section>", 1)[0]
    assert "rank-maximal" in alloc and "JPO-03" in alloc and '<svg class="profile"' in alloc
    # the real Allocation: its explanations and validity certificate are shown
    fit = pd.DataFrame({"JPO-01": [0.9, 0.6, 0.3], "JPO-02": [0.5, 0.4, 0.8]},
                       index=["cv-a", "cv-b", "cv-c"])  # fmt: skip
    real = matcher.allocate(
        {"cv-a": ["JPO-01"], "cv-b": ["JPO-01", "JPO-02"], "cv-c": ["JPO-02"]}, fit
    )
    alloc = matcher.render_report(vacancy, results, allocation=real).split('id="allocation"')[1]
    alloc = alloc.split("</section>", 1)[0]
    assert "cv-b: not placed" in alloc and "the allocation is valid" in alloc
    assert '<th scope="row">unplaced</th><td>1</td>' in alloc
    parse(page)


def test_large_pools_are_cut_and_bad_input_is_refused(vacancy, results):
    page = matcher.render_report(vacancy, results, max_candidates=2)
    assert _candidate_order(page) == ["cv-d", "cv-b"]
    assert "The first 2 of 5 candidates are shown" in page
    assert "3 eligible, 1 unknown, 1 ineligible" in page  # the distribution covers everyone
    pd = pytest.importorskip("pandas")
    with pytest.raises(matcher.ConfigError, match="ranking="):
        matcher.render_report(vacancy, pd.DataFrame({"candidate_id": ["a"]}))
    with pytest.raises(matcher.ConfigError, match="MatchResult"):
        matcher.render_report(vacancy, [{"candidate_id": "a"}])


def test_parts_that_add_nothing_draw_no_bar(vacancy):
    parts = (ScorePart("duties", 1.0, 0.6, 0.6), ScorePart("languages", 0.0, 0.0, 0.0, "n/a"))
    page = matcher.render_report(vacancy, [MatchResult("c", "V-1", "eligible", 0.6, parts=parts)])
    svg = re.search(r'<svg class="waterfall".*?</svg>', page, re.S).group(0)
    assert len(re.findall(r"<rect ", svg)) == 2 and "languages" in svg  # duties + total


def test_write_report(tmp_path, vacancy, results):
    path = matcher.write_report(tmp_path / "out" / "shortlist.html", vacancy, results, title="T")
    assert path.read_text(encoding="utf-8") == matcher.render_report(vacancy, results, title="T")
    assert [p.name for p in path.parent.iterdir()] == ["shortlist.html"]  # no temporary left


def test_deterministic(vacancy, results):
    assert matcher.render_report(vacancy, results) == matcher.render_report(
        vacancy, list(reversed(results))
    )


@settings(max_examples=40, deadline=None)
@given(
    st.text(max_size=200) | st.sampled_from([HOSTILE, "</td></tr></table>", "<!--", "]]>"]),
    st.floats(0, 1),
    st.sampled_from(["eligible", "unknown", "ineligible"]),
)
def test_any_text_stays_text(text, score, eligibility):
    r = MatchResult(
        text or "id", "V", eligibility, score,
        checks=(Check(text, text, "unknown", text, True, Evidence(text), (Evidence(text),)),),
        duty_matches=(DutyMatch(text, text, score, text),),
        parts=(ScorePart(text, 1.0, score, score, text),),
        explanation=text,
    )  # fmt: skip
    page = matcher.render_report(Vacancy(id=text, title=text, duties=(text,)), [r])
    checker = parse(page)
    assert {t for t, _ in checker.tags} <= ALLOWED_TAGS


def test_ids_that_reveal_names_are_flagged(vacancy):
    r = _result("anna_kowalska", "eligible", (0.5, 0.5), text="Anna Kowalska, Anna@x.org")
    r = MatchResult(r.candidate_id, "V-1", "eligible", 0.5,
                    parts=(ScorePart("field", 1.0, 0.5, 0.5, "Anna@x.org +48 600 123 456"),),
                    duty_matches=r.duty_matches)  # fmt: skip
    anna = PersonalData(name="Anna Kowalska")
    profiles = {r.candidate_id: CandidateProfile(r.candidate_id, personal=anna)}
    page = matcher.render_report(vacancy, [r], profiles=profiles)
    assert "Blind review is weakened: the ids of 1 candidate(s) contain their names" in page
    assert "Anna@x.org" not in page and "600 123" not in page  # score-part details too
    neutral = {"cv-1": CandidateProfile("cv-1", personal=PersonalData(name="Anna Kowalska"))}
    page = matcher.render_report(vacancy, [_result("cv-1", "eligible", (1, 1))], profiles=neutral)
    assert "Blind review is weakened" not in page


# --------------------------------------------------------------------------- the CLI, end to end


class _HashEncoder:
    """Bag of hashed words: a fast, deterministic stand-in for the model (CLI plumbing only)."""

    model_id = "test-hash-encoder"
    dim = 512

    def encode(self, texts):
        import zlib

        import numpy as np

        out = np.zeros((len(texts), 512), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w{3,}", text.lower()):
                out[i, zlib.crc32(word.encode()) % 512] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


@pytest.fixture()
def fast_matcher(monkeypatch, tmp_path):
    import matcher.scoring.matcher as scoring

    monkeypatch.setenv("MATCHER_CACHE_DIR", str(tmp_path / "cache"))  # report caches by default
    class FastMatcher(scoring.Matcher):
        def __init__(self, encoder=None, config=None):
            super().__init__(encoder or _HashEncoder(), config)

    monkeypatch.setattr(scoring, "Matcher", FastMatcher)


def test_cli_report_on_the_sample_cvs(tmp_path, data_dir, fast_matcher, capsys):
    from matcher.cli import main

    cvs = sorted((data_dir / "cvs").glob("sec821_*"))
    broken = tmp_path / "upload.docx"
    broken.write_bytes(b"PK\x03\x04 truncated zip")
    groups = tmp_path / "groups.csv"
    groups.write_text("candidate_id,region\n" + "".join(f"{p.stem},r{i % 2}\n"
                                                       for i, p in enumerate(cvs)))  # fmt: skip
    out = tmp_path / "shortlist.html"
    vacancy = data_dir / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"
    argv = ["report", str(vacancy), *map(str, cvs), str(broken), "--out", str(out),
            "--groups", str(groups)]  # fmt: skip
    assert main(argv) == 0
    assert f"{len(cvs)} candidates" in capsys.readouterr().out
    # the same file in a folder too: both kept, under distinct ids
    (tmp_path / "again").mkdir()
    (tmp_path / "again" / cvs[0].name).write_bytes(cvs[0].read_bytes())
    twice = tmp_path / "twice.html"
    assert main(["report", str(vacancy), str(cvs[0]), str(tmp_path / "again"),
                 "--out", str(twice)]) == 0  # fmt: skip
    assert sorted(_candidate_order(twice.read_text(encoding="utf-8"))) == [
        cvs[0].stem,
        f"{cvs[0].stem}-2",
    ]
    page = out.read_text(encoding="utf-8")
    parse(page)
    assert sorted(_candidate_order(page)) == sorted(p.stem for p in cvs)
    errors = page.split('id="errors"', 1)[1].split("</section>", 1)[0]
    assert "upload" in errors
    assert 'id="impact"' in page and "selection rule: eligible" in page
    # blind: no name, e-mail or phone of any sample CV reaches the page
    loaded = matcher.load_cvs(cvs)
    leaked = []
    for profile in loaded.profiles:
        personal = profile.personal
        for value in (personal.name, personal.email, personal.phone, personal.date_of_birth):
            if value and value in page:
                leaked.append((profile.id, value))
    assert not leaked
    assert sum(bool(p.personal.name) for p in loaded.profiles) >= 5  # the check had names to find


def test_cli_report_jpo_opening_with_allocation(tmp_path, data_dir, fast_matcher, capsys):
    from matcher.cli import main

    brochure = data_dir / "vacancies" / "osce-jpo-2024-2026-secretariat-openings.txt"
    cvs = sorted((data_dir / "cvs").glob("jpo_*.*"))
    cvs = [p for p in cvs if p.suffix != ".csv"]
    out = tmp_path / "jpo.html"
    # the brochure holds 23 openings: one must be chosen
    assert main(["report", str(brochure), *map(str, cvs), "--out", str(out)]) == 1
    assert "--opening" in capsys.readouterr().err and not out.exists()
    argv = ["report", str(brochure), *map(str, cvs), "--out", str(out), "--opening", "JPO-06",
            "--preferences", str(data_dir / "cvs" / "jpo_preferences.csv")]  # fmt: skip
    assert main(argv) == 0
    page = out.read_text(encoding="utf-8")
    parse(page)
    alloc = page.split('id="allocation"', 1)[1].split("</section>", 1)[0]
    assert "the allocation is valid" in alloc
    assert "jpo_security_analyst" in alloc and "JPO-06" in page
    assert re.search(r"<th scope=\"row\">1st</th><td>([1-9]\d*)</td>", alloc)  # someone got a 1st


def test_cli_report_sensitivity_and_names_on_request(tmp_path, data_dir, fast_matcher):
    from matcher.cli import main

    cvs = sorted((data_dir / "cvs").glob("sec821_*"))[:5]
    vacancy = data_dir / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"
    out = tmp_path / "s.html"
    log = tmp_path / "audit.jsonl"
    argv = ["report", str(vacancy), *map(str, cvs), "--out", str(out), "--sensitivity",
            "--top-k", "3", "--show-names", "--audit", str(log)]  # fmt: skip
    assert main(argv) == 0
    assert matcher.verify_audit_log(log).ok
    run_id = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])["run_id"]
    assert f"audit run {run_id}" in out.read_text(encoding="utf-8")
    page = out.read_text(encoding="utf-8")
    parse(page)
    section = page.split('id="sensitivity"', 1)[1].split("</section>", 1)[0]
    assert "weight_duties +20%" in section and "weight_duties -20%" in section
    assert re.search(r"\d+ of \d+ moves change who is in the top 3", section)
    names = [p.personal.name for p in matcher.load_cvs(cvs).profiles if p.personal.name]
    assert names and all(name in page for name in names)
    assert "Blind review is OFF" in page
    assert "Lead</th>" in page


def test_matcher_report_scores_once_and_writes_the_page(tmp_path, data_dir):
    """``shortlist_report``: the ranking of ``Matcher.rank``, every CV listed, the file written."""
    from matcher import Matcher, load_vacancy, shortlist_report

    notice = "osce-associate-security-project-officer-SEC000821.txt"
    vacancy = load_vacancy(data_dir / "vacancies" / notice)
    cvs = sorted((data_dir / "cvs").glob("sec821_*"))
    engine = Matcher(encoder=_HashEncoder())
    out = tmp_path / "shortlist.html"
    page = shortlist_report(engine, vacancy, cvs, out=out)
    assert out.read_text(encoding="utf-8") == page
    ranking = engine.rank(vacancy, cvs)
    for cid in ranking["candidate_id"]:
        assert cid in page
    first, last = ranking["candidate_id"].iloc[0], ranking["candidate_id"].iloc[-1]
    assert page.index(first) < page.index(last)

"""Vacancy parsing on the five seed notices, the seconded-post layout and bad input."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matcher
from matcher import (
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MatcherError,
    UnsupportedFormatError,
    Vacancy,
    load_vacancies,
    load_vacancy,
    parse_jpo_openings,
    parse_vacancy,
)
from matcher.features.sections import clean_item, parse_date, split_list, split_run_on

ROOT = Path(__file__).resolve().parents[1]
VACANCIES = ROOT / "data" / "vacancies"
JPO = VACANCIES / "osce-jpo-2024-2026-secretariat-openings.txt"
SEC847 = VACANCIES / "osce-associate-procurement-officer-SEC000847.txt"
SEC821 = VACANCIES / "osce-associate-security-project-officer-SEC000821.txt"
ADVISER_2019 = VACANCIES / "osce-adviser-combating-trafficking-2019.txt"
HEAD_SPMU = VACANCIES / "osce-head-strategic-police-matters-unit.txt"

MOJIBAKE = ("โ", "€™", "๐", "â€", "Ã")
DEBRIS = ("5 Steps to get a job", "Recommended for you", "Tags:", "📚", "⚠", "**", "](#)", "\\(")


@pytest.fixture(scope="module")
def openings() -> tuple[Vacancy, ...]:
    return parse_jpo_openings(JPO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def all_seed_vacancies() -> tuple[Vacancy, ...]:
    return load_vacancies(VACANCIES)


def _strings(vacancy: Vacancy) -> list[tuple[str, str]]:
    """Every string a parsed record holds, with the field it came from."""
    out: list[tuple[str, str]] = []
    for f in dataclasses.fields(vacancy):
        value = getattr(vacancy, f.name)
        if isinstance(value, str):
            out.append((f.name, value))
        elif isinstance(value, tuple):
            out.extend((f.name, v) for v in value if isinstance(v, str))
        elif isinstance(value, dict):
            out.extend((f.name, f"{k}: {v}") for k, v in value.items())
    return out


# --------------------------------------------------------------------------- JPO brochure

JPO_DEPARTMENTS = ["OSG"] * 6 + ["CPC"] * 6 + ["SR/CTHB"] * 2 + ["OCEEA"] * 2 + ["TNTD"] + [
    "DMF"
] * 2 + ["DHR"] + ["OIO"] * 3
JPO_DUTY_COUNTS = [4, 6, 11, 5, 8, 7, 6, 9, 6, 6, 8, 6, 8, 8, 7, 6, 6, 7, 12, 6, 4, 6, 5]


def test_jpo_has_23_openings_with_ids(openings):
    assert [v.id for v in openings] == [f"JPO-{n:02d}" for n in range(1, 24)]
    assert all(v.organisation == "OSCE" for v in openings)


def test_jpo_departments(openings):
    assert [v.department for v in openings] == JPO_DEPARTMENTS
    assert set(JPO_DEPARTMENTS) == {"OSG", "CPC", "SR/CTHB", "OCEEA", "TNTD", "DMF", "DHR", "OIO"}


def test_jpo_duty_count_of_every_opening(openings):
    assert [len(v.duties) for v in openings] == JPO_DUTY_COUNTS


def test_jpo_units_and_titles(openings):
    by_id = {v.id: v for v in openings}
    assert by_id["JPO-01"].unit == "Communications and Media Relations Section"
    assert by_id["JPO-07"].unit == "PSS - Caucasus Desk"  # the PSS desks belong to the CPC
    assert by_id["JPO-07"].title == "Junior Professional Officer – Caucasus Desk"
    assert by_id["JPO-17"].unit == "Strategic Police Matters Unit (SPMU)"
    assert by_id["JPO-20"].unit == "Talent Acquisition"
    assert by_id["JPO-01"].metadata["JPO function"] == "Media relations"
    assert by_id["JPO-07"].metadata["Department"] == "Conflict Prevention Centre (CPC)"


def test_jpo_page_break_duty_is_rejoined(openings):
    duty = openings[12].duties[2]  # Opening 13, duty 3 continues after a page break
    assert duty == (
        "Conducting in-depth research and literature review, including on emerging issues "
        "related to the intersectionality of demand and vulnerabilities that lead to child "
        "trafficking – including age, gender and ethnic/racial background, the nexus between "
        "disabilities and human trafficking"
    )
    # Opening 16 duty 1 and Opening 20 duty 6 break the same way
    assert "from natural and man-made disasters" in openings[15].duties[0]
    assert "ensuring that SOPs are comprehensive" in openings[19].duties[5]


def test_jpo_kosovo_footnote_never_in_a_duty(openings):
    duty = openings[9].duties[2]  # Opening 10 duty 3: the footnote sits inside it
    assert duty == (
        "Contributing to the compilation of briefing materials and background information, as "
        "well as researching different political topics to contribute to Desk's analysis, "
        "including on those developments that affect women and men differently"
    )
    for vacancy in openings:
        for field, text in _strings(vacancy):
            assert "All references to Kosovo" not in text, (vacancy.id, field)
    assert "Kosovo1" not in openings[9].background
    assert "Serbia and Kosovo." in openings[9].background


def test_jpo_sub_bullets_stay_with_their_parent(openings):
    assert openings[0].duties[3] == (
        "Supporting the Online Communications Unit in their day-to-day work:\n"
        "- Assisting with publishing items on the OSCE website and on social media platforms\n"
        "- Assisting with audio/video activities, such as photography or recording video "
        "interviews\n"
        "- Assisting with the production of graphics and infographics."
    )
    investigation = openings[20].duties[1]  # Opening 21, duty 2 has seven sub-bullets
    assert investigation.startswith("Planning, developing, conducting and drafting reports")
    assert investigation.count("\n- ") == 7
    assert openings[20].duties[2].count("\n- ") == 3


def test_jpo_lead_in_inside_first_duty_moves_to_background(openings):
    central_asia = openings[7]
    assert central_asia.duties[0] == "Monitoring and analysing developments in the region"
    assert "following duties and responsibilities:" in central_asia.background


def test_jpo_intro_is_background_and_text_after_duties_is_not_a_duty(openings):
    sitroom = openings[10]
    assert sitroom.background.startswith("Within the CPC's Operations Service (OS)")
    assert "To provide information products" in sitroom.background  # bullets before the list
    economic = openings[14]
    assert all("YDEAS" not in d for d in economic.duties)
    assert "YDEAS" in economic.text
    last = openings[22]
    assert all("Let's work together" not in d for d in last.duties)
    assert "Paolo Bernasconi" not in last.duties[-1]


def test_jpo_no_markdown_debris(openings):
    for vacancy in openings:
        for field, text in _strings(vacancy):
            for junk in ("**", "](#)", "\\(", "[Opening"):
                assert junk not in text, (vacancy.id, field, junk)


def test_parse_vacancy_on_the_brochure_points_to_parse_jpo_openings():
    vacancy = parse_vacancy(JPO.read_text(encoding="utf-8"))
    assert "JPO programme brochure with 23 openings" in vacancy.warnings[0]


# --------------------------------------------------------------------------- 2025 notices

SEC847_METADATA = {
    "Issued by": "OSCE Secretariat",
    "Requisition ID": "SEC000847",
    "Contract Type": "International Secondment",
    "Grade": "S",
    "Job Type": "Seconded",
    "Number of posts": "1",
    "Location": "SEC - OSCE Secretariat, Vienna",
    "Issue Date": "2025-07-23",
    "Closing Date": "2025-08-20",
    "Employee Status": "Fixed Term",
    "Schedule": "Full-time",
    "Education Level": "Master's Degree (Second-level university degree or equivalent)",
    "Target Start Date": "As soon as possible",
}


def test_sec000847_footer_metadata_exact():
    vacancy = load_vacancy(SEC847)
    assert dict(vacancy.metadata) == SEC847_METADATA
    assert vacancy.id == "SEC000847"
    assert vacancy.organisation == "OSCE"
    assert (vacancy.department, vacancy.unit) == ("DMF", "MSS")


def test_sec000821_footer_metadata_exact():
    vacancy = load_vacancy(SEC821)
    expected = dict(SEC847_METADATA)
    expected.update(
        {
            "Requisition ID": "SEC000821",
            "Job Level": "Senior Professional",
            "Issue Date": "2025-07-03",
            "Closing Date": "2025-07-31",
        }
    )
    assert dict(vacancy.metadata) == expected
    assert list(vacancy.metadata)[:6] == [
        "Issued by", "Requisition ID", "Contract Type", "Grade", "Job Level", "Job Type",
    ]


def test_sec000847_run_on_duties_are_split():
    vacancy = load_vacancy(SEC847)
    assert len(vacancy.duties) == 8
    assert vacancy.duties[0].startswith(
        "Assisting in incorporating sustainable procurement objectives throughout"
    )
    assert vacancy.duties[0].endswith("training campaigns in various formats")
    assert vacancy.duties[1] == (
        "Supporting the design, development, testing, implementation, maintenance and "
        "documentation of sustainable procurement data tools, including dashboards and reports. "
        "Conduct rigorous data quality checks"
    )
    assert vacancy.duties[-1] == "Performing other duties as assigned."
    assert all("For more detailed information" not in d for d in vacancy.duties)
    # the supervision paragraph and the lead-in are introduction, not duties
    assert "Under the overall supervision of the Chief" in vacancy.background


def test_sec000847_empty_qualifications_warn():
    vacancy = load_vacancy(SEC847)
    assert vacancy.qualifications == ""
    assert vacancy.qualification_blocks == {}
    assert any("'Necessary Qualifications' is empty" in w for w in vacancy.warnings)
    assert "If you wish to apply" in vacancy.text  # kept aside, not lost
    assert vacancy.title == "Associate Procurement Officer"
    assert any("title taken from the file name" in w for w in vacancy.warnings)


def test_sec000821_duties_debris_and_qualifications():
    vacancy = load_vacancy(SEC821)
    assert vacancy.title == "Associate Security Project Officer (S)"
    assert len(vacancy.duties) == 8
    assert vacancy.duties[0] == (
        "Leading the OSCE-wide implementation of the STS project, ensuring alignment with the "
        "Organization’s security risk management framework and emergency preparedness objectives"
    )
    # "; ensuring" (lower case) continues the duty instead of starting one
    assert vacancy.duties[1].endswith(
        "budgetary forecasts; ensuring effective financial planning and monitoring project "
        "expenditures"
    )
    assert vacancy.qualifications.startswith("Second-level university degree in security studies")
    assert vacancy.qualifications.endswith("while maintaining impartiality and objectivity.")
    assert vacancy.warnings == ()
    assert (vacancy.department, vacancy.unit) == ("OSG", "Security Management Unit")
    for field, text in _strings(vacancy):
        for junk in DEBRIS:
            assert junk not in text, (field, junk)


def test_head_spmu_without_duties_or_qualifications_warns():
    vacancy = load_vacancy(HEAD_SPMU)
    assert vacancy.duties == ()
    assert vacancy.qualifications == ""
    assert any("lists no duties" in w for w in vacancy.warnings)
    assert any("'Necessary Qualifications' is empty" in w for w in vacancy.warnings)
    assert "The Head, Strategic Police Matters Unit leads and oversees" in vacancy.background
    assert (vacancy.department, vacancy.unit) == ("TNTD", "SPMU")
    assert vacancy.id == "osce-head-strategic-police-matters-unit"


# --------------------------------------------------------------------------- 2019 notice


def test_2019_notice_layout():
    vacancy = load_vacancy(ADVISER_2019)
    assert vacancy.title == "Adviser on Combating Trafficking in Human Beings"
    assert vacancy.metadata["Deadline for application"] == "2019-01-21"
    assert len(vacancy.duties) == 11
    assert vacancy.duties[1] == (
        "Developing policy, strategic guidance and advice to the participating States and OSCE "
        "executive structures"
    )
    assert vacancy.qualifications.startswith("• Second-level university degree in law")
    assert "If you wish to apply" not in vacancy.qualifications
    assert vacancy.qualifications.count("•") == 9
    assert vacancy.background.startswith("This position is open for secondment only")
    assert "The selected candidate advises on and proposes strategies" in vacancy.background
    assert (vacancy.department, vacancy.unit) == ("TNTD", "SPMU")
    assert vacancy.warnings == ()


# --------------------------------------------------------------------------- every seed


def test_no_mojibake_or_debris_in_any_parsed_field(all_seed_vacancies):
    assert len(all_seed_vacancies) == 27  # 4 notices + 23 openings
    for vacancy in all_seed_vacancies:
        for field, text in _strings(vacancy):
            for junk in MOJIBAKE + DEBRIS:
                assert junk not in text, (vacancy.id, field, junk)
    sec847 = next(v for v in all_seed_vacancies if v.id == "SEC000847")
    assert "“Prevention of human trafficking for labour exploitation in supply chains”" in (
        sec847.background
    )
    assert "OSCE’s procurement and contracting" in sec847.background


def test_requirements_are_extracted_for_notices():
    vacancy = load_vacancy(SEC821)
    assert vacancy.requirements is not None
    assert vacancy.requirements.education  # "Second-level university degree ..."
    empty = load_vacancy(SEC847)
    # no qualifications text: the footer's Education Level is the only education statement
    assert empty.requirements is not None


# --------------------------------------------------------------------------- seconded-post layout

SECONDED_KEYS = [
    "General Minimum Requirements",
    "Field of Expertise Requirements",
    "Education",
    "Experience",
    "Mandatory",
]


def _io(eval_dir: Path, prefix: str) -> Vacancy:
    folder = eval_dir / "vacancies" / "io_notices"
    path = next(folder.glob(f"{prefix}_*.txt"), None)
    if path is None:
        pytest.skip(f"{prefix} not in the evaluation corpus")
    return load_vacancy(path)


@pytest.mark.parametrize("prefix", ["ion02", "ion04", "ion06", "ion09", "ion14", "ion25", "ion27"])
def test_seconded_blocks_kept_apart(eval_dir, prefix):
    vacancy = _io(eval_dir, prefix)
    assert list(vacancy.qualification_blocks) == SECONDED_KEYS
    blocks = vacancy.qualification_blocks
    assert "physical condition" in blocks["General Minimum Requirements"]
    assert "university degree" in blocks["Education"] or "degree" in blocks["Education"] or (
        "education" in blocks["Education"].lower() or "courses" in blocks["Education"]
    )
    assert "years" in blocks["Experience"]
    for text in blocks.values():
        # the lead-in sentences are headings' furniture, not requirements
        assert "The general minimum requirements for" not in text
        assert "Furthermore, this level of responsibility" not in text
        assert "|" not in text
    assert "General Minimum Requirements" in vacancy.qualifications
    assert vacancy.organisation == "OSCE"


def test_seconded_header_gives_title_and_inline_blocks(eval_dir):
    ion25 = _io(eval_dir, "ion25")
    assert ion25.title == "Adviser, Counter-Terrorism (Skopje; seconded)"
    assert ion25.qualification_blocks["Education"] == (
        "Police administrative courses in relevant field and specialized subject area"
    )
    assert ion25.qualification_blocks["Experience"].startswith("Minimum 10 years of diversified")
    ion06 = _io(eval_dir, "ion06")
    assert ion06.qualification_blocks["Mandatory"].startswith(
        "- Strong management background, particularly in personnel"
    )
    ion02 = _io(eval_dir, "ion02")
    assert ion02.metadata["Date"] == "2025-05-28"


def test_seconded_block_without_own_text_is_left_out(eval_dir):
    ion20 = _io(eval_dir, "ion20")
    assert list(ion20.qualification_blocks) == ["Education", "Experience", "Mandatory"]
    assert ion20.qualification_blocks["Experience"] == (
        "Minimum 6 years of relevant professional experience."
    )


def test_every_eval_notice_parses_without_error(eval_dir):
    folder = eval_dir / "vacancies" / "io_notices"
    files = sorted(folder.glob("*.txt"))
    assert files
    for path in files:
        vacancy = load_vacancy(path)
        assert vacancy.title, path.name
        assert vacancy.qualifications, path.name
        for field, text in _strings(vacancy):
            for junk in MOJIBAKE:
                assert junk not in text, (path.name, field)


# --------------------------------------------------------------------------- helpers


def test_split_run_on_respects_case_and_brackets():
    assert split_run_on("Leading A; Overseeing B; ensuring C; Doing (x; Y) D") == [
        "Leading A",
        "Overseeing B; ensuring C",
        "Doing (x; Y) D",
    ]


def test_split_list_numbered_with_children_and_outro():
    lines = [
        "Intro line:",
        "",
        "1. First duty:",
        "- child one;",
        "- child two.",
        "2. Second duty that stops at a page",
        "",
        "break and continues here;",
        "",
        "After the list comes a paragraph.",
        "- not a child",
    ]
    split = split_list(lines)
    assert split.items == [
        "First duty:\n- child one\n- child two.",
        "Second duty that stops at a page break and continues here",
    ]
    assert split.intro == ["Intro line:"]
    assert split.outro == ["After the list comes a paragraph.", "- not a child"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Jul 23, 2025", "2025-07-23"),
        ("21 Jan 2019", "2019-01-21"),
        ("Thursday, 03 July 2025", "2025-07-03"),
        ("2025-08-20", "2025-08-20"),
        ("20.08.2025", "2025-08-20"),
        ("September 1st, 2024", "2024-09-01"),
    ],
)
def test_parse_date(text, iso):
    parsed = parse_date(text)
    assert parsed is not None and parsed.isoformat() == iso


def test_parse_date_rejects_non_dates():
    assert parse_date("As soon as possible") is None
    assert parse_date("31 Feb 2025") is None


def test_explicit_id_wins_and_inline_heading():
    vacancy = parse_vacancy(
        "Programme Officer\n\nBackground: The unit works on X.\n\nTasks and Responsibilities:\n"
        "The incumbent will perform the following duties:\n• Drafting reports;\n• Organizing "
        "events.\n\nNecessary Qualifications:\n• Degree in law.\n\nAdditional Information\n"
        "Requisition ID: ABC000123 Closing Date: Aug 20, 2025",
        vacancy_id="mine",
    )
    assert vacancy.id == "mine"
    assert vacancy.title == "Programme Officer"
    assert vacancy.background == (
        "The unit works on X.\n\nThe incumbent will perform the following duties:"
    )
    assert vacancy.duties == ("Drafting reports", "Organizing events.")
    assert vacancy.metadata == {"Requisition ID": "ABC000123", "Closing Date": "2025-08-20"}
    assert parse_vacancy(vacancy.text).id == "ABC000123"


# --------------------------------------------------------------------------- bad input


def test_empty_file_names_the_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n ")
    with pytest.raises(EmptyInputError, match="empty.txt"):
        load_vacancy(path)
    with pytest.raises(EmptyInputError):
        parse_vacancy("")


def test_binary_file_is_unsupported(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(UnsupportedFormatError, match="photo.txt"):
        load_vacancy(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_vacancy(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        load_vacancy(tmp_path)


def test_non_utf8_file_is_decoded_and_repaired(tmp_path):
    text = SEC821.read_text(encoding="utf-8")
    clean = parse_vacancy(text)
    path = tmp_path / "cp1252.txt"
    path.write_bytes(clean.text.encode("cp1252", errors="replace"))
    vacancy = load_vacancy(path)
    assert vacancy.duties == clean.duties
    assert "Organization’s security risk" in vacancy.duties[0]
    assert vacancy.metadata["Closing Date"] == "2025-07-31"


def test_not_a_vacancy_gives_warnings(tmp_path):
    path = tmp_path / "recipe.txt"
    path.write_text("Pancakes\n\nMix flour, eggs and milk. Fry in a hot pan.\n", encoding="utf-8")
    vacancy = load_vacancy(path)
    assert vacancy.duties == ()
    assert vacancy.qualifications == ""
    assert any("does not look like a vacancy notice" in w for w in vacancy.warnings)
    assert any("no duties section" in w for w in vacancy.warnings)


def test_too_large_input_is_refused_quickly(tmp_path):
    start = time.perf_counter()
    with pytest.raises(InputTooLargeError):
        parse_vacancy("x" * 10_000_001)
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (matcher.features.vacancy.MAX_BYTES + 1))
    with pytest.raises(InputTooLargeError, match="big.txt"):
        load_vacancy(path)
    assert time.perf_counter() - start < 2


def test_parsing_is_linear_on_a_long_single_line():
    # a pathological 4 MB line: headings, semicolons, unclosed brackets, colons
    line = "Tasks and Responsibilities: " + "Drafting (reports; Organising: events; " * 100_000
    start = time.perf_counter()
    vacancy = parse_vacancy(line)
    assert time.perf_counter() - start < 15
    assert vacancy.duties


def test_errors_are_one_family():
    with pytest.raises(MatcherError):
        parse_vacancy(b"bytes are not text")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- CLI


def test_cli_vacancy_json(capsys):
    from matcher.cli import main

    assert main(["vacancy", str(SEC847), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "SEC000847"
    assert data["metadata"]["Closing Date"] == "2025-08-20"
    assert len(data["duties"]) == 8


def test_cli_vacancy_brochure_prints_every_opening(capsys):
    from matcher.cli import main

    assert main(["vacancy", str(JPO)]) == 0
    out = capsys.readouterr().out
    assert all(f"JPO-{n:02d}:" in out for n in range(1, 24))


def test_cli_vacancy_bad_file_is_an_error_not_a_traceback(tmp_path, capsys):
    from matcher.cli import main

    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    assert main(["vacancy", str(path)]) == 1
    assert "empty.txt" in capsys.readouterr().err


def test_seed_files_are_kept_verbatim():
    import hashlib
    import re

    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    listed = dict(
        (name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M)
    )
    assert len(listed) == 5
    for name, digest in listed.items():
        assert hashlib.sha256((VACANCIES / name).read_bytes()).hexdigest() == digest, name


# --------------------------------------------------------------------------- other layouts

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "vacancies"
OSCE_FIELD_NOTICE = (FIXTURES / "osce_field_layout.txt").read_text(encoding="utf-8")
UN_NOTICE = (FIXTURES / "un_layout.txt").read_text(encoding="utf-8")


def test_osce_field_layout_with_tasks_after_requirements():
    vacancy = parse_vacancy(OSCE_FIELD_NOTICE)
    assert vacancy.id == "SRB000123"
    assert vacancy.title == "Senior Human Rights Officer"
    assert vacancy.metadata["Closing Date"] == "2021-02-02"
    assert vacancy.metadata["Job Field"] == "Human Rights"
    assert vacancy.duties == (
        "Advising the Head of Department on human rights matters",
        "Managing the human rights monitoring programme, including:\n- planning field visits\n"
        "- drafting reports",
        "Performing other related duties as assigned.",
    )
    assert list(vacancy.qualification_blocks) == SECONDED_KEYS[:4] + [
        "Mandatory", "Desirable", "Required Competencies",
    ]
    assert vacancy.qualification_blocks["Desirable"] == "- Working knowledge of Serbian"
    assert "Remuneration" not in vacancy.qualifications
    assert "If you wish to apply" not in vacancy.qualifications
    assert all("EUR 4,400" not in d for d in vacancy.duties)
    assert vacancy.warnings == ()


def test_un_layout_headings_become_blocks():
    vacancy = parse_vacancy(UN_NOTICE)
    assert vacancy.title == "PROGRAMME MANAGEMENT OFFICER, P3"
    assert vacancy.id.startswith("24-Programme Management-UNODC-228877")
    assert vacancy.organisation == "United Nations"
    assert vacancy.department == "UNODC"
    assert vacancy.background.startswith("This position is located in the Organized Crime Branch")
    assert len(vacancy.duties) == 3
    assert list(vacancy.qualification_blocks) == [
        "Competencies", "Education", "Work Experience", "Languages",
    ]
    assert vacancy.qualifications.startswith("Competencies\nPROFESSIONALISM")
    for junk in ("Evaluation of qualified candidates", "DOES NOT CHARGE A FEE", "article 101"):
        assert junk not in vacancy.qualifications


# --------------------------------------------------------------------------- properties



_TOKENS = [
    "Background:", "\n", "\n\n", "Tasks and Responsibilities", "Necessary Qualifications:",
    "1. ", "2) ", "- ", "• ", "  o ", "; ", ", and", "Drafting reports", "organising", " to",
    "(", ")", "Additional Information", "Closing Date: Jul 3, 2025", "Grade: S",
    "Opening 1: OSG - Unit", "Opening 2: CPC - Desk", "Office of Things (OT)",
    "Junior Professional Officer – X (JPO)", "General Minimum Requirements", "Education:",
    "Experience", "Mandatory:", "Desirable:", "The following duties:", "Kosovo1",
    "1 All references to Kosovo shall be understood in context", "**", "[x](#)", "📚 !",
    "OSCEโ€™s", "|", "If you wish to apply", "For more detailed information on the structure",
    "Tags: a", "5 Steps to get a job", "Deadline for application:", "21 Jan 2019", " ",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join))
def test_any_text_gives_a_vacancy_or_a_matcher_error(text):
    try:
        vacancy = parse_vacancy(text)
        openings = parse_jpo_openings(text)
    except MatcherError:
        return
    for record in (vacancy, *openings):
        assert all(d and d == d.strip() for d in record.duties)
        for _field, value in _strings(record):
            assert "โ€™" not in value


def test_clean_item_is_linear_on_separator_runs():
    start = time.perf_counter()
    assert clean_item("a" + " ;" * 50_000 + " b; and").endswith("; b")
    assert time.perf_counter() - start < 1


def test_docx_and_pdf_notices(tmp_path):
    import docx

    clean = parse_vacancy(ADVISER_2019.read_text(encoding="utf-8"))
    document = docx.Document()
    for line in clean.text.split("\n"):
        document.add_paragraph(line)
    docx_path = tmp_path / "adviser.docx"
    document.save(str(docx_path))
    from_docx = load_vacancy(docx_path)
    assert from_docx.duties == clean.duties
    assert from_docx.metadata["Deadline for application"] == "2019-01-21"

    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for line in clean.text.split("\n"):
        safe = line.replace("’", "'").replace("•", "-").encode("latin-1", "replace").decode(
            "latin-1"
        )
        pdf.multi_cell(0, 4, safe or " ", new_x="LMARGIN", new_y="NEXT")
    pdf_path = tmp_path / "adviser.pdf"
    pdf.output(str(pdf_path))
    from_pdf = load_vacancy(pdf_path)
    assert from_pdf.title == clean.title
    assert len(from_pdf.duties) == len(clean.duties)
    assert from_pdf.metadata["Deadline for application"] == "2019-01-21"


def test_corrupt_pdf_is_a_document_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage garbage")
    with pytest.raises(matcher.DocumentError, match="broken.pdf"):
        load_vacancy(path)


def test_hard_wrapped_pdf_text_layout():
    vacancy = parse_vacancy((FIXTURES / "hard_wrapped_layout.txt").read_text(encoding="utf-8"))
    assert vacancy.id == "VNMIKS01234"  # "Vacancy Notice No"
    assert vacancy.title == "Rule of Law Officer"
    assert vacancy.metadata["Deadline"] == "2025-03-15"
    assert vacancy.duties == (
        "Monitor court proceedings and prepare analytical reports on the functioning of the "
        "justice system",
        "Liaise with judicial institutions, bar associations and civil society organisations",
        "Organise training for legal professionals, including:\n"
        "- preparation of training materials\n- identification of trainers",
        "Perform other duties as assigned.",
    )
    assert vacancy.qualifications.count("\n") == 2
    assert "Applications must be submitted" not in vacancy.qualifications
    assert vacancy.department == "DHRC"


def test_inline_footer_of_older_notices():
    from matcher.features.sections import parse_key_values

    assert parse_key_values(
        "Issued by: OSCE Secretariat Vacancy Number: VNSECS123 Grade: P2 Job Field: Political "
        "Affairs Number of posts: 2 Deadline for Applications: 15 March 2025 23:59 CET"
    ) == {
        "Issued by": "OSCE Secretariat",
        "Vacancy Number": "VNSECS123",
        "Grade": "P2",
        "Job Field": "Political Affairs",
        "Number of posts": "2",
        "Deadline for Applications": "15 March 2025 23:59 CET",
    }
    vacancy = parse_vacancy(
        "Background:\nThe post.\nAdditional Information\nIssued by: OSCE Secretariat Vacancy "
        "Number: VNSECS123 Deadline for Applications: 15 March 2025 23:59 CET"
    )
    assert vacancy.id == "VNSECS123"
    assert vacancy.metadata["Deadline for Applications"] == "2025-03-15"


def test_brochure_line_ending_in_an_acronym_does_not_cut_an_opening():
    text = JPO.read_text(encoding="utf-8").replace(
        "2. Drafting initial versions of project proposals;",
        "2. Drafting initial versions of project proposals;\n\n"
        "Economic Governance Unit (EGU)\n\n"
        "3a. kept with duty 2",
        1,
    )
    openings = parse_jpo_openings(text)
    assert [v.department for v in openings] == JPO_DEPARTMENTS
    assert len(openings[14].duties) == 7


def test_a_cv_is_not_taken_for_a_notice(data_dir):
    cvs = sorted(p for p in (data_dir / "cvs").glob("*") if p.suffix in (".txt", ".md", ".docx"))
    if not cvs:
        pytest.skip("no sample CVs")
    for path in cvs:
        vacancy = load_vacancy(path)
        assert any("does not look like a vacancy notice" in w for w in vacancy.warnings), path.name
    for path in (ADVISER_2019, SEC821, SEC847, HEAD_SPMU):
        assert not any("does not look" in w for w in load_vacancy(path).warnings)


def test_benchmark_smoke(capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "vacancy_parsing_benchmark", ROOT / "benchmarks" / "vacancy_parsing.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "| SEC000821 | OSG/Security Management Unit | 8 |" in out
    assert out.count("| JPO-") == 23


def test_footer_lines_without_a_footer_heading_become_metadata():
    vacancy = parse_vacancy(
        "Programme Officer\nBackground:\nThe post is in the unit.\nTasks and Responsibilities:\n"
        "- Drafting reports;\n- Organising events.\nNecessary Qualifications:\n"
        "- Degree in law;\n- Five years of experience.\nClosing Date: Aug 20, 2025\n"
        "Requisition ID: ABC000999\nGrade: P2\n"
    )
    assert vacancy.id == "ABC000999"
    assert vacancy.metadata == {
        "Closing Date": "2025-08-20", "Requisition ID": "ABC000999", "Grade": "P2",
    }
    assert vacancy.qualifications == "- Degree in law;\n- Five years of experience."
    assert vacancy.duties == ("Drafting reports", "Organising events.")


def test_french_headings():
    vacancy = parse_vacancy(
        "Chargé de programme\n\nContexte\nLa Mission de l'OSCE soutient les réformes.\n\n"
        "Tâches et responsabilités :\nLe titulaire exercera les fonctions suivantes :\n"
        "• Rédiger des rapports ;\n• Organiser des formations.\n\nQualifications requises\n"
        "• Diplôme universitaire de deuxième cycle en droit ;\n"
        "• Au moins cinq ans d'expérience professionnelle.\n"
    )
    assert vacancy.title == "Chargé de programme"
    assert vacancy.duties == ("Rédiger des rapports", "Organiser des formations.")
    assert vacancy.qualifications.startswith("• Diplôme universitaire")
    assert vacancy.background.startswith("La Mission de l'OSCE")


def test_parsed_fields_are_never_invented(all_seed_vacancies, openings):
    """Every duty line, the background and the qualifications come from the record's text."""

    def norm(text: str) -> str:
        return " ".join(text.split())

    for vacancy in (*all_seed_vacancies, *openings):
        text = norm(vacancy.text)
        for duty in vacancy.duties:
            for line in duty.split("\n"):
                assert norm(line.removeprefix("- ")).rstrip(".:;") in text, (vacancy.id, line)
        for para in vacancy.background.split("\n\n"):
            assert norm(para) in text, (vacancy.id, para[:60])
        for line in vacancy.qualifications.split("\n"):
            assert norm(line) in text, (vacancy.id, line[:60])


def test_devices_and_pipes_are_refused_without_reading(tmp_path):
    import os

    fifo = tmp_path / "notice.txt"
    os.mkfifo(fifo)
    with pytest.raises(UnsupportedFormatError, match="not a regular file"):
        load_vacancy(fifo)
    if Path("/dev/zero").exists():
        with pytest.raises(UnsupportedFormatError, match="/dev/zero"):
            load_vacancy("/dev/zero")


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("OSCE\nFull-time\nProgramme Officer\n", "Programme Officer"),
        ("Vacancy: Border Security Adviser\n", "Border Security Adviser"),
        ("Organization for Security and Co-operation in Europe (OSCE)\nThursday, 03 July 2025\n"
         "Head of Office\n", "Head of Office"),
    ],
)
def test_title_under_job_board_labels(head, title):
    body = "Background:\nThe post.\nTasks and Responsibilities:\n- A;\n- B."
    vacancy = parse_vacancy(head + body)
    assert vacancy.title == title


def test_unread_mandatory_statement_is_a_warning_on_the_vacancy():
    path = Path(__file__).resolve().parents[1] / "data" / "vacancies"
    text = (path / "osce-associate-security-project-officer-SEC000821.txt").read_text("utf-8")
    assert not matcher.parse_vacancy(text).warnings
    stated = "Valid professional licence as a certified auditor (CPA or ACCA) is required."
    text = text.replace("Digital literacy and proficient use of Microsoft Office.", stated)
    warnings = matcher.parse_vacancy(text).warnings
    assert warnings == (f"requirement not read, for a person to check: '{stated}'",)

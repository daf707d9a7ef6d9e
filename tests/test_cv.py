"""CV parsing against the gold profiles of data/cvs, bad input, load_cvs and the CLI."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

import matcher
from matcher.features.cv import split_sections

ROOT = Path(__file__).resolve().parents[1]
CVS = ROOT / "data" / "cvs"
GOLD = json.loads((ROOT / "tests" / "gold" / "cvs.json").read_text("utf-8"))
REF = date.fromisoformat(GOLD["reference_date"])


@pytest.fixture(scope="module")
def profiles() -> dict[str, matcher.CandidateProfile]:
    loaded = matcher.load_cvs(CVS, reference_date=REF)
    assert not loaded.failures, loaded.failures
    return {Path(p.source).name: p for p in loaded}


def test_samples_cover_formats_and_count():
    names = list(GOLD["cvs"])
    assert len(names) >= 30
    assert {n.rsplit(".", 1)[1] for n in names} == {"txt", "md", "pdf", "docx"}
    on_disk = {
        p.name for p in CVS.iterdir()
        if p.suffix in (".txt", ".md", ".pdf", ".docx") and p.name != "README.md"
    }
    assert on_disk == set(names), "every sample has gold and every gold entry a sample"


@pytest.mark.parametrize("name", list(GOLD["cvs"]))
def test_gold_profile(profiles, name):
    gold = GOLD["cvs"][name]
    p = profiles[name]
    assert p.highest_level == gold["highest_level"], [d.matched_rule for d in p.education]
    assert abs(p.experience_months - gold["experience_months"]) <= gold["tolerance_months"], (
        p.experience_months,
        [(x.start, x.end, x.part_time_fraction) for x in p.positions],
    )
    got = {s.language: ("native" if s.native else s.level) for s in p.languages}
    assert got == gold["languages"]
    if gold.get("experience_unknown"):
        assert p.experience_months == 0
        assert p.positions and all(x.start is None for x in p.positions)
        assert any(w.startswith("experience unknown") for w in p.warnings)
    else:
        assert not any(w.startswith("experience unknown") for w in p.warnings)
    assert bool(p.hidden_text) == bool(gold.get("hidden_text", False))
    if "nationality" in gold:
        assert list(p.personal.nationality) == gold["nationality"]


def test_every_degree_names_its_table_row(profiles):
    rules = {r.id for r in matcher.features.degrees.degree_rules()}
    for p in profiles.values():
        for d in p.education:
            assert d.matched_rule.split(" ")[0] in rules
            assert d.evidence is not None and p.text[d.evidence.start:d.evidence.end] == (
                d.evidence.text
            )


def test_position_evidence_points_into_text(profiles):
    for p in profiles.values():
        for x in p.positions:
            if x.start is not None:
                assert x.evidence.text == p.text[x.evidence.start:x.evidence.end]


def test_hidden_white_text_is_kept_and_reported(profiles):
    p = profiles["sec821_hidden_white_text.pdf"]
    assert any("OSCE-wide implementation of the STS project" in h for h in p.hidden_text)
    assert "OSCE-wide implementation" in p.text
    assert any(w.startswith("hidden text") for w in p.warnings)
    # the visible CV is still read normally
    assert [x.title for x in p.positions] == ["Barista", "Shop Assistant"]
    assert not profiles["sec821_keyword_stuffing.txt"].hidden_text


def test_part_time_counted_pro_rata(profiles):
    p = profiles["sec847_part_time_procurement.docx"]
    fractions = sorted(x.part_time_fraction for x in p.positions)
    assert fractions == [0.6, 1.0, 1.0]
    energy = profiles["jpo_economics_energy.pdf"]
    assert sorted(x.part_time_fraction for x in energy.positions) == [0.5, 1.0]


def test_year_only_dates_flagged_imprecise(profiles):
    p = profiles["spmu_head_police_strong.txt"]
    assert all(x.date_precision == "year" for x in p.positions)
    assert sum("year-only" in w for w in p.warnings) == 3


def test_overlap_counted_once(profiles):
    p = profiles["sec821_overlapping_jobs.txt"]
    naive = matcher.ExperiencePolicy(overlap="sum")
    again = matcher.parse_cv(CVS / "sec821_overlapping_jobs.txt", reference_date=REF,
                             policy=naive)
    assert again.experience_months == 120 > p.experience_months == 89


def test_career_break_is_not_a_job(profiles):
    p = profiles["sec847_gap_single_month.txt"]
    assert not any("break" in x.title.lower() for x in p.positions)
    assert sum(1 for x in p.positions if x.start and x.end and x.start.year == 2021) == 2


def test_europass_grid_takes_lowest_productive_skill(profiles):
    en = next(s for s in profiles["sec821_europass_master.pdf"].languages if s.language == "en")
    assert en.level == "B2" and "lowest productive" in en.note


def test_blind_text_has_no_personal_data(profiles):
    for name, p in profiles.items():
        blind = p.blind_text
        assert blind, name
        for value in (p.personal.email, p.personal.phone, p.personal.date_of_birth):
            if value:
                assert value not in blind, (name, value)
        if p.personal.name:
            for part in p.personal.name.split():
                if len(part) > 2:
                    assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", blind), (name, part)
        for nat in p.personal.nationality:
            assert f"Nationality: {nat}" not in blind
        assert not re.search(r"\b(?:he|she|his|her)\b", blind, re.I), name


def test_personal_data_detected(profiles):
    p = profiles["sec821_bachelor_substitution.docx"].personal
    assert p.name == "Tomasz Wierzbicki-Lund"
    assert p.date_of_birth == "14.02.1991" and p.gender == "Male"
    assert p.email == "t.w.lund@example.net" and p.phone == "+48 601 555 019"
    fr = profiles["sec847_fr_achats_master.pdf"].personal
    assert fr.date_of_birth == "02/09/1990"
    assert fr.other.get("marital_status") == "Célibataire"
    assert "Célibataire" not in profiles["sec847_fr_achats_master.pdf"].blind_text
    p11 = profiles["sec821_p11_military.docx"].personal
    assert p11.name == "Mikkel Halvorsen" and p11.gender == "M"


def test_sections_in_four_languages():
    text = (
        "Опыт работы\nx\nОбразование\nx\nЯзыки\nx\nBerufserfahrung\nx\nAusbildung\nx\n"
        "Sprachkenntnisse\nx\nEXPÉRIENCE PROFESSIONNELLE\nx\nFormation\nx\nLangues\nx\n"
        "## Professional Experience\nx\n16. EDUCATION\nx\nLANGUAGES: English (C1)\n"
    )
    kinds = [s.kind for s in split_sections(text) if s.kind != "header"]
    assert kinds == ["experience", "education", "languages"] * 3 + [
        "experience", "education", "languages"
    ]


def test_parse_text_and_bytes_and_ids():
    text = (CVS / "sec821_bachelor_short.txt").read_text("utf-8")
    a = matcher.parse_cv(text, reference_date=REF)
    b = matcher.parse_cv(text.encode("utf-8"), reference_date=REF)
    c = matcher.parse_cv(CVS / "sec821_bachelor_short.txt", reference_date=REF)
    assert a.id == b.id and a.id.startswith("cv-")
    assert c.id == "sec821_bachelor_short"
    assert a.experience_months == b.experience_months == c.experience_months == 36
    assert matcher.parse_cv(text, candidate_id="X1", reference_date=REF).id == "X1"
    assert a == matcher.parse_cv(text, reference_date=REF)  # deterministic


def test_default_reference_date_is_today():
    p = matcher.parse_cv("EXPERIENCE\nAnalyst, Acme Ltd\nJan 2020 – present\n")
    today = date.today()
    assert p.experience_months == (today.year - 2020) * 12 + today.month
    assert p.positions[0].ongoing and p.positions[0].end is None


# --------------------------------------------------------------------------- bad input


def _image_only_pdf(path: Path) -> None:
    """A 'scanned' CV: one page holding an image, no text layer."""
    fpdf = pytest.importorskip("fpdf")
    from PIL import Image

    img = Image.new("RGB", (200, 100), "white")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(buf, x=10, y=10, w=100)
    pdf.output(str(path))


def _encrypted_pdf(path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(CVS / "jpo_economics_energy.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with path.open("wb") as fh:
        writer.write(fh)


def _zip_bomb_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (110 * 1024 * 1024))


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, tuple[Path, type]]:
    d = tmp_path_factory.mktemp("bad")
    files: dict[str, tuple[Path, type]] = {}
    (d / "empty.txt").write_bytes(b"")
    files["empty"] = (d / "empty.txt", matcher.EmptyInputError)
    (d / "blank.md").write_text("   \n\n  ")
    files["blank"] = (d / "blank.md", matcher.EmptyInputError)
    _image_only_pdf(d / "scanned.pdf")
    files["scanned"] = (d / "scanned.pdf", matcher.DocumentError)
    _encrypted_pdf(d / "locked.pdf")
    files["locked"] = (d / "locked.pdf", matcher.DocumentError)
    good_docx = (CVS / "jpo_comms_media.docx").read_bytes()
    (d / "corrupt.docx").write_bytes(good_docx[: len(good_docx) // 2])
    files["corrupt_docx"] = (d / "corrupt.docx", matcher.DocumentError)
    (d / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    files["corrupt_pdf"] = (d / "corrupt.pdf", matcher.DocumentError)
    with (d / "huge.txt").open("wb") as fh:  # sparse: 50 MB without writing 50 MB
        fh.truncate(50 * 1024 * 1024)
    files["huge"] = (d / "huge.txt", matcher.InputTooLargeError)
    (d / "junk.txt").write_bytes(bytes(range(256)) * 64)
    files["junk_txt"] = (d / "junk.txt", matcher.UnsupportedFormatError)
    (d / "junk.bin").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8)
    files["junk_bin"] = (d / "junk.bin", matcher.UnsupportedFormatError)
    _zip_bomb_docx(d / "bomb.docx")
    files["zip_bomb"] = (d / "bomb.docx", matcher.InputTooLargeError)
    with zipfile.ZipFile(d / "notword.docx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    files["zip_not_docx"] = (d / "notword.docx", matcher.UnsupportedFormatError)
    return files


@pytest.mark.parametrize(
    "kind",
    ["empty", "blank", "scanned", "locked", "corrupt_docx", "corrupt_pdf", "huge", "junk_txt",
     "junk_bin", "zip_bomb", "zip_not_docx"],
)
def test_bad_input_raises_named_error(bad_files, kind):
    path, error = bad_files[kind]
    with pytest.raises(error) as info:
        matcher.parse_cv(path)
    assert isinstance(info.value, matcher.MatcherError)
    assert info.value.path == str(path)
    assert path.name in str(info.value)


def test_error_messages_do_not_quote_the_cv(tmp_path):
    secret = "Jane Secretperson, born 01.01.1990"
    path = tmp_path / "bad.docx"
    path.write_bytes(b"PK\x03\x04" + secret.encode() * 10)
    with pytest.raises(matcher.DocumentError) as info:
        matcher.parse_cv(path)
    assert "Secretperson" not in str(info.value)


def test_missing_file_and_bad_types(tmp_path):
    with pytest.raises(matcher.InputError):
        matcher.parse_cv(tmp_path / "nope.pdf")
    with pytest.raises(matcher.InputError):
        matcher.parse_cv(123)  # type: ignore[arg-type]
    with pytest.raises(matcher.EmptyInputError):
        matcher.parse_cv("   ")


def test_folder_with_bad_files_loads_every_good_one(bad_files, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = ["sec821_master_qualified.txt", "sec821_europass_master.pdf", "jpo_comms_media.docx"]
    for name in good:
        (folder / name).write_bytes((CVS / name).read_bytes())
    for path, _error in bad_files.values():
        if path.name != "huge.txt":
            (folder / path.name).write_bytes(path.read_bytes())
    (folder / "README.md").write_text("# not a CV")
    loaded = matcher.load_cvs(folder, reference_date=REF)
    assert sorted(p.id for p in loaded) == sorted(Path(n).stem for n in good)
    assert len(loaded) == 3
    failed = {Path(f.path).name: f.error for f in loaded.failures}
    expected = {p.name: e.__name__ for p, e in bad_files.values() if p.name != "huge.txt"}
    assert failed == expected
    for f in loaded.failures:
        assert Path(f.path).name in f.message


def test_load_cvs_from_paths_reports_missing(tmp_path):
    loaded = matcher.load_cvs([CVS / "jpo_hr_talent.txt", tmp_path / "missing.txt"],
                              reference_date=REF)
    assert [p.id for p in loaded] == ["jpo_hr_talent"]
    assert loaded.failures[0].error == "InputError"
    assert "not found" in loaded.failures[0].message


# --------------------------------------------------------------------------- CLI


def test_cli_cv_json_hides_personal_data(capsys):
    from matcher.cli import main

    rc = main(["cv", str(CVS / "sec821_bachelor_substitution.docx"), "--json",
               "--reference-date", REF.isoformat()])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert data["highest_level"] == 6 and data["experience_months"] == 82
    assert data["personal"]["name"] is None
    assert "Wierzbicki" not in json.dumps(data)


def test_cli_cv_text_and_error(capsys, tmp_path):
    from matcher.cli import main

    assert main(["cv", str(CVS / "sec821_undated.txt")]) == 0
    out = capsys.readouterr().out
    assert "experience unknown" in out and "ISCED 7" in out
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 10)
    assert main(["cv", str(junk)]) == 1
    assert "junk.txt" in capsys.readouterr().err


# --------------------------------------------------------------------------- benchmark


def _bench():
    import importlib.util

    path = ROOT / "benchmarks" / "cv_parsing.py"
    spec = importlib.util.spec_from_file_location("cv_parsing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_smoke(eval_dir, tmp_path):
    bench = _bench()
    rows = bench.load_rows(eval_dir / "resumes", limit=6)
    assert {r[0] for r in rows} == {"livecareer", "updated"}
    text = bench.run_text(rows)
    assert text["exceptions"] == 0 and text["cvs"] == len(rows)
    pdf = bench.run_pdfs(eval_dir / "resumes", text["_summaries"], limit=1)
    assert pdf["exceptions"] == 0 and pdf["parsed"] == 1
    bench.write_results({"run_date": "x", "machine": "y", "text": text, "pdf": pdf}, tmp_path)
    assert json.loads((tmp_path / "cv_parsing.json").read_text())["text"]["cvs"] == len(rows)
    assert "CVs/s" in (tmp_path / "cv_parsing.md").read_text()


@pytest.mark.slow
def test_benchmark_full_zero_exceptions(eval_dir):
    bench = _bench()
    rows = bench.load_rows(eval_dir / "resumes")
    assert len(rows) == 2484 + 166
    text = bench.run_text(rows)
    assert text["exceptions"] == 0, text["crashes"][:3]
    assert [e["id"] for e in text["matcher_errors"]] == ["12632728"]  # the one empty row
    pdf = bench.run_pdfs(eval_dir / "resumes", text["_summaries"])
    assert pdf["pdfs"] == 72 and pdf["exceptions"] == 0 and not pdf["matcher_errors"]


_HOSTILE = {
    "digits": "1" * 20000,
    "dashes": "- " * 10000,
    "ranges": "2019 - 2020 - " * 700,
    "dotted": "01.2019." * 2500,
    "spaces": "a" + " " * 20000 + "b",
    "labels": "Name: X | Nationality: Y | " * 700,
    "emails": "a." * 10000,
    "cyrillic": "Опыт работы с 2015 по 2018 " * 350,
    "bullets": "• " * 10000,
    "parens": "(" * 20000,
}


@pytest.mark.parametrize("kind", list(_HOSTILE))
def test_hostile_text_stays_fast(kind):
    import time

    start = time.perf_counter()
    profile = matcher.parse_cv(_HOSTILE[kind], reference_date=REF)
    assert time.perf_counter() - start < 10, kind
    assert isinstance(profile, matcher.CandidateProfile)


def test_docx_hidden_and_white_runs_reported(tmp_path):
    import docx
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    document.add_paragraph("EXPERIENCE")
    document.add_paragraph("Barista, Copper Cup Coffee House, 09/2020 - 08/2023")
    para = document.add_paragraph("Friendly team member. ")
    white = para.add_run("Security risk management expert for OSCE field operations.")
    white.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    tiny = document.add_paragraph().add_run("emergency preparedness SOPs")
    tiny.font.size = Pt(1)
    vanish = document.add_paragraph().add_run("project management PRINCE2")
    vanish.font.hidden = True
    path = tmp_path / "stuffed.docx"
    document.save(str(path))
    p = matcher.parse_cv(path, reference_date=REF)
    assert p.hidden_text == (
        "Security risk management expert for OSCE field operations.",
        "emergency preparedness SOPs",
        "project management PRINCE2",
    )
    assert "Security risk management expert" in p.text  # kept, not silently dropped
    assert p.experience_months == 36


def test_blind_text_redacts_every_kind():
    text = (
        "Curriculum Vitae\n"
        "Name: Mira Okonedo-Santos\n"
        "Date of birth: 04.07.1992 | Age: 33 | Gender: Female\n"
        "Marital status: married, two children\n"
        "Nationality: Portuguese\n"
        "Address: Rua das Flores 12, 1200-195 Lisboa\n"
        "Phone: +351 912 555 010 | E-mail: mira.os@example.pt\n"
        "[Photo]\n"
        "PROFILE\nShe is a procurement officer; her team praised her. Mrs Okonedo-Santos, 33 years"
        " old.\n"
        "EXPERIENCE\nProcurement Officer, Lisbon Port Authority, 03/2019 - present\n"
    )
    p = matcher.parse_cv(text, reference_date=REF)
    for secret in ("Mira", "Okonedo", "04.07.1992", "33", "Female", "married", "Portuguese",
                   "Rua das Flores", "912 555", "mira.os@", "Photo", "She ", " her ", "Mrs"):
        assert secret not in p.blind_text, secret
    assert "procurement officer" in p.blind_text
    assert p.personal.nationality == ("Portuguese",)
    assert p.personal.gender == "Female" and p.personal.date_of_birth == "04.07.1992"
    assert p.personal.other["age"] == "33"
    assert p.experience_months == 77


def test_reversed_range_is_reported_not_counted():
    p = matcher.parse_cv("EXPERIENCE\nVolunteer, Fashion Week\n04/2017 to 01/2015\n"
                         "Clerk, Acme Ltd\n01/2010 to 12/2010\n", reference_date=REF)
    assert p.experience_months == 12
    assert any("ends before it starts" in w for w in p.warnings)


def test_docstring_examples_run():
    import doctest

    from matcher.features import cv, dates, degrees, pii

    for module in (cv, dates, degrees, pii):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_load_cvs_in_worker_processes_gives_the_same_profiles_in_the_same_order(tmp_path) -> None:
    """Parallel parsing (spawned processes) changes speed only; a bad file is still reported."""
    import shutil

    folder = tmp_path / "cvs"
    shutil.copytree(ROOT / "data" / "cvs", folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    serial = matcher.load_cvs(folder, reference_date=date(2025, 1, 31))
    parallel = matcher.load_cvs(folder, reference_date=date(2025, 1, 31), workers=2)
    assert parallel.profiles == serial.profiles and len(serial) >= 30
    assert parallel.failures == serial.failures
    assert [f.path.endswith("broken.pdf") for f in serial.failures] == [True]
    with pytest.raises(matcher.MatcherError, match="workers"):
        matcher.load_cvs(folder, workers=0)


# --------------------------------------------------------------------------- PDF layout

REAL_PDFS = ROOT.parent / "shared" / "eval" / "resumes" / "pdf"


def _word_by_word_pdf(lines: list[str]) -> bytes:
    """A page drawn the way the livecareer resume builder draws it: a flipped page matrix and
    every word in its own text block, which pypdf's plain extraction puts one word per line."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    import _hostile as H

    ops = ["0.75 0 0 -0.75 28.5 813.5 cm"]
    y = 20
    for line in lines:
        x = 8.0
        for word in line.split():
            ops.append(f"q BT /F1 19 Tf 1 0 0 -1 0 0 Tm {x:.1f} {-y} Td ({word}) Tj ET Q")
            x += 11.4 * (len(word) + 1)  # Courier: 0.6 em a character
        y += 20
    pdf = H._pdf_from_streams(["\n".join(ops).encode("latin-1")])
    return pdf.replace(b"/BaseFont /Helvetica", b"/BaseFont /Courier  ")  # same length


def test_pdf_drawn_word_by_word_keeps_its_lines_and_titles():
    data = _word_by_word_pdf([
        "Experience",
        "09/2015 to Current",
        "Senior Consultant Company Name , Vienna",
        "Led the change management workstream for a national insurer.",
        "Project Officer , 02/2013 to 08/2015",
        "Acme Ltd - Geneva",
        "Managed procurement for field offices.",
    ])
    p = matcher.parse_cv(data, reference_date=REF)
    assert "Senior Consultant Company Name , Vienna" in p.text
    assert [(x.title, x.organisation) for x in p.positions] == [
        ("Senior Consultant", "Company Name"), ("Project Officer", "Acme Ltd"),
    ]


def test_real_pdf_keeps_its_titles_like_its_text_row():
    """CONSULTANT_31016926: pypdf's plain extraction lost all four titles; the text row of the
    same resume (pdftotext) has them."""
    path = REAL_PDFS / "CONSULTANT_31016926.pdf"
    if not path.exists():
        pytest.skip(f"real PDF resumes not found at {REAL_PDFS}")
    p = matcher.parse_cv(path, reference_date=date(2021, 8, 8))
    titles = [x.title for x in p.positions]
    assert titles[:2] == ["Consultant", "Senior Consultant"]
    assert all(titles) and len(titles) == 4
    assert {x.organisation for x in p.positions} == {"Company Name"}
    assert (p.positions[0].start, p.positions[0].ongoing) == (date(2015, 9, 1), True)


def test_date_range_over_three_lines_takes_the_title_after_it():
    p = matcher.parse_cv(
        "EXPERIENCE\nJanuary 2011\nto\nCurrent\n"
        "Company Name City , State Purchaser / Production Coordinator\n"
        "Responsible for purchasing aircraft parts.\n",
        reference_date=REF,
    )
    assert [(x.title, x.organisation) for x in p.positions] == [
        ("Purchaser / Production Coordinator", "Company Name")
    ]


def test_employer_on_the_line_under_title_and_dates():
    p = matcher.parse_cv(
        "EXPERIENCE\nOffice Coordinator , 05/2010 to 08/2011\nCompany Name – City , State\n"
        "Coordinated the office.\nHead Designer , 06/2015 to 10/2016\nCity , State\n"
        "Designed collections.\n",
        reference_date=REF,
    )
    assert [(x.title, x.organisation) for x in p.positions] == [
        ("Office Coordinator", "Company Name"), ("Head Designer", ""),
    ]


def test_wrapped_prose_above_a_date_is_not_a_title():
    p = matcher.parse_cv(
        "EXPERIENCE\nNurse Scheduler , 01/2009 to 12/2012\nCompany Name , City , State\n"
        "Allocated float nursing personnel to provide adequate\n"
        "coverage to clinics and inpatient areas to meet staffing requirements\n"
        "05/2003 to 08/2008\nStaffing Coordinator Company Name , City , State\n"
        "Kept all absentee calendars.\n",
        reference_date=REF,
    )
    assert [x.title for x in p.positions] == ["Nurse Scheduler", "Staffing Coordinator"]


# --------------------------------------------------------------------------- reference date


def test_reference_date_as_iso_string_everywhere(tmp_path, capsys):
    from matcher.cli import main

    text = "EXPERIENCE\nAnalyst, Acme Ltd, Jan 2019 - present\n"
    as_string = matcher.parse_cv(text, reference_date="2020-12-31")
    assert as_string.experience_months == 24
    assert as_string == matcher.parse_cv(text, reference_date=date(2020, 12, 31))
    (tmp_path / "a.txt").write_text(text)
    loaded = matcher.load_cvs(tmp_path, reference_date="2019-06-30")
    assert [p.experience_months for p in loaded] == [6]
    assert main(["cv", str(tmp_path / "a.txt"), "--as-of", "2019-03-31", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["experience_months"] == 3


@pytest.mark.parametrize("bad", ["31/07/2025", "2025-02-30", "yesterday", ""])
def test_bad_reference_date_names_the_value(bad, tmp_path):
    from matcher.errors import ConfigError, MatcherError

    with pytest.raises(ConfigError, match="reference_date") as info:
        matcher.parse_cv("EXPERIENCE\nAnalyst, Acme, 2019 - 2020", reference_date=bad or " ")
    assert repr(bad or " ") in str(info.value)
    with pytest.raises(MatcherError, match=re.escape(repr(bad or " "))):
        matcher.load_cvs(tmp_path, reference_date=bad or " ")
    with pytest.raises(ConfigError, match="int"):
        matcher.parse_cv("EXPERIENCE\nAnalyst, Acme, 2019 - 2020", reference_date=20250731)

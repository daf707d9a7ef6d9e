"""Hostile input: every parser and CLI command either returns a result or raises a MatcherError,
within a time bound, writing nothing outside its output path.

Property tests (hypothesis, derandomised so CI is reproducible) feed structured garbage built from
real vacancy/CV fragments, Unicode tricks and random bytes; named cases cover the classic attacks:
10 MB single line, deep nesting, zip bombs (honest and lying headers), XML entity bombs, PDFs with
thousands of pages, invisible text, compressed operator floods, page-tree loops, FIFOs. A short
atheris run (when atheris is installed) adds coverage-guided fuzzing. Budget: well under a minute.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matcher
from matcher.errors import MatcherError
from matcher.types import CandidateProfile, Requirements, Vacancy

sys.path.insert(0, str(Path(__file__).parent))
import _hostile as H  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "vacancies"
NOTICE = SEEDS / "osce-associate-procurement-officer-SEC000847.txt"

pytestmark = [
    pytest.mark.filterwarnings("ignore"),
    pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX timers"),
]

#: wall-time bound of one parse of a small input (seconds); generous for a loaded 2-core CI box
SMALL = 10.0
#: wall-time bound of one parse of a maximal input (10 MB line, 5,000-page PDF, zip bomb)
LARGE = 30.0

#: MATCHER_FUZZ_EXAMPLES=500 for a longer, randomised local campaign (CI: 25, derandomised)
_EXAMPLES = int(os.environ.get("MATCHER_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=_EXAMPLES,
    deadline=None,  # the hard bound is time_limit(); hypothesis deadlines only flag slow examples
    derandomize="MATCHER_FUZZ_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PERSONAL = ("Jane Example", "jane@example.org", "+43 1 234 5678")
INVISIBLE = set(H.ZERO_WIDTH + H.BIDI)


class Hang(BaseException):
    """Raised by the timer; a BaseException so no ``except Exception`` in the library eats it."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str = "") -> Iterator[None]:
    def _alarm(signum: int, frame: object) -> None:
        raise Hang(f"{what or 'call'} still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def bounded(fn: Callable[..., Any], *args: Any, seconds: float = SMALL, **kwargs: Any) -> Any:
    """Call ``fn``; return its result or the MatcherError it raised; fail on a hang or any
    other exception. Error messages must not quote personal data from the input."""
    start = time.perf_counter()
    try:
        with time_limit(seconds, getattr(fn, "__name__", "call")):
            result = fn(*args, **kwargs)
    except MatcherError as exc:
        message = str(exc)
        for secret in PERSONAL:
            assert secret not in message, f"error message quotes personal data: {message[:200]}"
        result = exc
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"{fn.__name__} took {elapsed:.1f} s"
    return result


# --------------------------------------------------------------------------- strategies

TRICKS: list[Callable[[str], str]] = [
    lambda t: t,
    H.zero_width_stuffed,
    H.rtl_override,
    H.homoglyph_stuffed,
    lambda t: H.zalgo(t, 12),
    lambda t: t.replace("\n", "\r"),
    lambda t: t.replace("\n", "\u2028"),
    lambda t: "\ufeff" + t,
]


def structured(fragments: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Garbage assembled from real fragments and random text, then disguised by a trick."""
    pieces = st.lists(
        st.one_of(st.sampled_from(fragments), st.text(max_size=40)), min_size=1, max_size=80
    ).map(" ".join)
    return st.builds(lambda trick, text: trick(text), st.sampled_from(TRICKS), pieces)


VACANCY_TEXT = st.one_of(structured(H.VACANCY_FRAGMENTS), st.text(max_size=3000))
CV_TEXT = st.one_of(structured(H.CV_FRAGMENTS), st.text(min_size=1, max_size=3000))


def _valid_pdf() -> bytes:
    return H.pdf_document(
        [
            [
                "Curriculum Vitae",
                "Education",
                "MA International Relations, 2012",
                "Experience",
                "Jan 2019 - present Programme Officer",
            ]
        ]
    )


def _valid_docx() -> bytes:
    return H.docx_paragraphs(
        [
            "Curriculum Vitae",
            "Education",
            "MSc Economics, 2010",
            "Work experience",
            "03/2017 - 06/2020 Analyst",
            "English (C1)",
        ]
    )


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buf = bytearray(data)
    for pos, value in edits:
        buf[pos % len(buf)] = value
    return bytes(buf[:cut] if cut else buf)


DOCUMENT_BYTES = st.one_of(
    st.binary(max_size=4096),
    st.builds(
        _mutate,
        st.sampled_from([_valid_pdf(), _valid_docx()]),
        st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=12),
        st.one_of(st.none(), st.integers(1, 4000)),
    ),
)


def _no_invisible(*fields: str) -> None:
    for value in fields:
        leaked = INVISIBLE & set(value)
        assert not leaked, f"invisible/bidi characters {sorted(map(hex, map(ord, leaked)))}"


# --------------------------------------------------------------------------- text parsers


@FUZZ
@given(VACANCY_TEXT)
def test_parse_vacancy_survives_garbage(text: str) -> None:
    result = bounded(matcher.parse_vacancy, text)
    if isinstance(result, Vacancy):
        _no_invisible(result.title, result.background, result.qualifications, *result.duties)


@FUZZ
@given(VACANCY_TEXT)
def test_extract_requirements_never_raises(text: str) -> None:
    result = bounded(matcher.extract_requirements, text)
    assert isinstance(result, Requirements), f"raised {result!r}"


@FUZZ
@given(CV_TEXT)
def test_parse_cv_text_survives_garbage(text: str) -> None:
    result = bounded(matcher.parse_cv, text, candidate_id="fuzz")
    if isinstance(result, CandidateProfile):
        assert result.experience_months >= 0
        assert result.highest_level in (None, 3, 4, 5, 6, 7, 8)
        assert "jane@example.org" not in result.blind_text


@FUZZ
@given(DOCUMENT_BYTES)
def test_parse_cv_bytes_survives_garbage(data: bytes) -> None:
    result = bounded(matcher.parse_cv, data, candidate_id="fuzz")
    assert isinstance(result, (CandidateProfile, MatcherError))


# --------------------------------------------------------------------------- named attacks


@pytest.fixture(scope="module")
def notice_text() -> str:
    return NOTICE.read_text(encoding="utf-8")


def test_zero_width_stuffing_changes_nothing(notice_text: str) -> None:
    plain = bounded(matcher.parse_vacancy, notice_text)
    stuffed = bounded(matcher.parse_vacancy, H.zero_width_stuffed(notice_text))
    assert isinstance(plain, Vacancy) and isinstance(stuffed, Vacancy)
    assert (stuffed.title, stuffed.duties) == (plain.title, plain.duties)


@pytest.mark.parametrize(
    "trick",
    [H.rtl_override, H.homoglyph_stuffed, lambda t: H.zalgo(t, 60)],
    ids=["rtl", "homo", "zalgo"],
)
def test_unicode_tricks_on_a_real_notice(notice_text: str, trick: Callable[[str], str]) -> None:
    result = bounded(matcher.parse_vacancy, trick(notice_text))
    if isinstance(result, Vacancy):
        _no_invisible(result.title, result.qualifications, *result.duties)
    assert isinstance(bounded(matcher.extract_requirements, trick(notice_text)), Requirements)


def test_ten_megabyte_single_line_vacancy() -> None:
    line = H.single_line(10 * 1024 * 1024)
    assert isinstance(bounded(matcher.parse_vacancy, line, seconds=LARGE), MatcherError | Vacancy)
    assert isinstance(bounded(matcher.extract_requirements, line, seconds=LARGE), Requirements)


def test_ten_megabyte_single_line_cv() -> None:
    line = H.single_line(10 * 1024 * 1024, fragments=H.CV_FRAGMENTS)
    result = bounded(matcher.parse_cv, line, seconds=LARGE)
    assert isinstance(result, (CandidateProfile, MatcherError))


def test_deep_nesting() -> None:
    nested = H.deep_nesting()
    bounded(matcher.parse_vacancy, nested)
    assert isinstance(bounded(matcher.extract_requirements, nested), Requirements)
    bounded(matcher.parse_cv, nested)


HOSTILE_DOCS: dict[str, tuple[Callable[[], bytes], str]] = {
    "docx_zip_bomb": (lambda: H.docx_zip_bomb(120 << 20), ".docx"),
    "docx_lying_sizes": (lambda: H.docx_lying_sizes(100 << 20), ".docx"),
    "docx_billion_laughs": (H.docx_billion_laughs, ".docx"),
    "docx_nested_tables": (H.docx_nested_tables, ".docx"),
    "docx_many_parts": (H.docx_many_parts, ".docx"),
    "docx_zip_version": (H.docx_zip_version, ".docx"),
    "pdf_5000_pages": (lambda: H.pdf_many_pages(5000), ".pdf"),
    "pdf_stream_bomb": (lambda: H.pdf_stream_bomb(100 << 20), ".pdf"),
    "pdf_page_tree_loop": (H.pdf_page_tree_loop, ".pdf"),
    "pdf_operator_flood": (lambda: H.pdf_shared_flood(40, 200_000), ".pdf"),
}


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    out = {}
    for name, (make, suffix) in HOSTILE_DOCS.items():
        path = folder / f"{name}{suffix}"
        path.write_bytes(make())
        out[name] = path
    return out


@pytest.mark.parametrize("name", sorted(HOSTILE_DOCS))
def test_hostile_documents_as_cvs(name: str, hostile_files: dict[str, Path]) -> None:
    path = hostile_files[name]
    bounded(matcher.parse_cv, path, seconds=LARGE)
    bounded(matcher.parse_cv, path.read_bytes(), seconds=LARGE)


@pytest.mark.parametrize("name", sorted(HOSTILE_DOCS))
def test_hostile_documents_as_vacancies(name: str, hostile_files: dict[str, Path]) -> None:
    bounded(matcher.load_vacancy, hostile_files[name], seconds=LARGE)


def test_many_pages_are_capped_and_reported(hostile_files: dict[str, Path]) -> None:
    profile = bounded(matcher.parse_cv, hostile_files["pdf_5000_pages"], seconds=LARGE)
    assert isinstance(profile, CandidateProfile)
    assert any("5000 pages" in w for w in profile.warnings)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_invisible_text_is_flagged(fmt: str) -> None:
    visible = [
        "Curriculum Vitae",
        "Education",
        "BA History, 2015",
        "Experience",
        "2016 - 2020 Teacher",
    ]
    stuffing = ["procurement expert tender evaluation contract management vendor"]
    if fmt == "pdf":
        data = H.pdf_invisible_text(visible, stuffing)
    else:
        data = H.docx_bytes(
            "".join(f"<w:p><w:r><w:t>{v}</w:t></w:r></w:p>" for v in visible)
            + '<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr>'
            f"<w:t>{stuffing[0]}</w:t></w:r></w:p>"
        )
    profile = bounded(matcher.parse_cv, data)
    assert isinstance(profile, CandidateProfile)
    assert any("hidden text" in w for w in profile.warnings)
    assert any("procurement expert" in h for h in profile.hidden_text)


def test_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "cv.txt"
    os.mkfifo(fifo)
    assert isinstance(bounded(matcher.parse_cv, fifo, seconds=2), MatcherError)
    assert isinstance(bounded(matcher.load_vacancy, fifo, seconds=2), MatcherError)


@pytest.mark.parametrize("reader", ["parse_cv", "load_vacancy"])
def test_endless_device_is_refused(reader: str) -> None:
    """/dev/zero reports size 0 and never ends: a reader must not trust stat() alone."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "import matcher\n"
        "from matcher.errors import MatcherError\n"
        "try:\n"
        f"    matcher.{reader}('/dev/zero')\n"
        "except MatcherError:\n"
        "    sys.exit(0)\n"
        "sys.exit(3)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-500:]


# --------------------------------------------------------------------------- CLI


def _listing(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size if p.is_file() else -1)
        for p in sorted(folder.rglob("*"))
    }


def _cli(argv: list[str], seconds: float = LARGE) -> int:
    from matcher.cli import main

    try:
        with time_limit(seconds, "matcher " + " ".join(argv[:1])):
            return main(argv)
    except SystemExit as exc:  # argparse usage errors
        return int(exc.code or 0)


@pytest.mark.parametrize(
    "name",
    [
        "docx_zip_bomb",
        "docx_billion_laughs",
        "pdf_page_tree_loop",
        "binary",
        "empty",
        "zero_width",
        "ten_mb_line",
    ],
)
def test_cli_on_hostile_files_writes_nothing(
    name: str,
    hostile_files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    if name in hostile_files:
        src = work / hostile_files[name].name
        src.write_bytes(hostile_files[name].read_bytes())
    else:
        src = work / f"{name}.txt"
        src.write_bytes(
            {
                "binary": bytes(range(256)) * 64,
                "empty": b"",
                "zero_width": H.zero_width_stuffed(NOTICE.read_text(encoding="utf-8")).encode(),
                "ten_mb_line": H.single_line(10 * 1024 * 1024).encode(),
            }[name]
        )
    monkeypatch.chdir(work)
    before = _listing(tmp_path)
    commands = [["vacancy", src.name], ["vacancy", src.name, "--json"], ["requirements", src.name]]
    if name != "ten_mb_line":  # parse_cv on it is tested directly (keeps the suite short)
        commands.append(["cv", src.name, "--json"])
    for argv in commands:
        code = _cli(argv)
        assert code in (0, 1, 2), (argv, code)
        err = capsys.readouterr().err
        assert "Traceback" not in err
    assert _listing(tmp_path) == before


@settings(max_examples=20, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "vacancy",
                "cv",
                "requirements",
                "audit",
                "verify",
                "impact",
                "--json",
                "--groups",
                "--out",
                "x.csv",
                "-",
                "--",
                "missing.txt",
                "notice.txt",
                "cv.txt",
                "--selected-top",
                "-1",
                "0",
                "3",
                "\x00",
                "é",
                "--help",
            ]
        ),
        max_size=6,
    )
)
def test_cli_argument_garbage(argv: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "notice.txt").write_bytes(NOTICE.read_bytes())
        (work / "cv.txt").write_text("Education\nMA, 2010\nEnglish (C1)\n", encoding="utf-8")
        before = _listing(work)
        cwd = os.getcwd()
        os.chdir(work)
        try:
            with (
                contextlib.redirect_stdout(open(os.devnull, "w")),
                contextlib.redirect_stderr(open(os.devnull, "w")),
            ):
                code = _cli(argv, seconds=SMALL)
        finally:
            os.chdir(cwd)
        assert code in (0, 1, 2)
        after = _listing(work)
        created = set(after) - set(before)
        allowed = {"x.csv"} if "--out" in argv else set()
        assert created <= allowed, created
        assert {k: v for k, v in after.items() if k in before} == before


# --------------------------------------------------------------------------- atheris


def test_atheris_short_run(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    corpus, artifacts = tmp_path / "corpus", tmp_path / "artifacts"
    artifacts.mkdir()
    seeds = {
        "notice.txt": NOTICE.read_bytes(),
        "cv.txt": "\n".join(H.CV_FRAGMENTS[:40]).encode(),
        "cv.pdf": _valid_pdf(),
        "cv.docx": _valid_docx(),
    }
    corpus.mkdir()
    targets = ("vacancy", "requirements", "cv_text", "cv_bytes")  # as in fuzz_atheris.TARGETS
    for index, target in enumerate(targets):
        for name, data in seeds.items():
            if (target == "cv_bytes") == name.endswith((".pdf", ".docx")):
                (corpus / f"{target}-{name}").write_bytes(bytes([index]) + data[:8192])
    script = Path(__file__).with_name("fuzz_atheris.py")
    proc = subprocess.run(
        [
            sys.executable,
            str(script),
            str(corpus),
            "-runs=300",
            "-max_total_time=8",
            "-timeout=60",  # a hang, not a slow input under instrumentation on a loaded CI box
            "-max_len=8192",
            "-rss_limit_mb=3000",
            f"-artifact_prefix={artifacts}/",
        ],
        capture_output=True,
        timeout=240,
        cwd=tmp_path,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    tail = proc.stderr.decode(errors="replace")[-3000:]
    assert proc.returncode == 0, tail
    assert "Done" in tail or "DONE" in tail, tail
    crashes = [p.name for p in artifacts.iterdir() if not p.name.startswith("slow-unit")]
    assert crashes == [], f"atheris found crashes: {crashes}"


def test_pdf_time_budget_stops_a_slow_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages under the content cap but slow to extract: reading stops at the budget, with a
    warning, and what was read is kept."""
    from matcher.features import documents

    # the budget is set from this machine's own speed (a loaded CI box is several times slower),
    # so that a few pages fit in it and the forty pages do not
    start = time.perf_counter()
    documents.read_bytes(H.pdf_shared_flood(1, 8_000), name="one.pdf")
    one_page = time.perf_counter() - start
    budget = max(1.0, round(4 * one_page))
    monkeypatch.setattr(documents, "MAX_PDF_SECONDS", budget)
    data = H.pdf_shared_flood(40, 8_000)
    result = bounded(documents.read_bytes, data, name="slow.pdf", seconds=SMALL + 40 * one_page)
    assert not isinstance(result, MatcherError), result
    assert any(f"stopped after {budget:.0f} s" in w for w in result.warnings), result.warnings
    assert result.text.strip()


TABLES = {
    "binary": bytes(range(256)) * 16,
    "empty": b"",
    "header_only": b"candidate_id,preference_1\n",
    "ragged": b"candidate_id,preference_1,preference_2\na,JPO-01\nb,JPO-02,JPO-03,JPO-04,JPO-05\n",
    "nan_fit": b"candidate_id,JPO-01,JPO-02\na,nan,inf\nb,-1,2\n",
    "duplicates": b"candidate_id,JPO-01\na,0.5\na,0.6\n",
    "formula": b'candidate_id,JPO-01\n"=HYPERLINK(""http://x"")",0.5\n',
    "long_line": b"candidate_id," + b"x" * 2_000_000 + b"\n",
}


@pytest.mark.parametrize("prefs_kind", sorted(TABLES))
def test_cli_allocate_and_impact_on_hostile_tables(
    prefs_kind: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "prefs.csv").write_bytes(TABLES[prefs_kind])
    (work / "fit.csv").write_bytes(TABLES["nan_fit" if prefs_kind != "nan_fit" else "ragged"])
    (work / "groups.csv").write_bytes(TABLES[prefs_kind])
    monkeypatch.chdir(work)
    before = _listing(work)
    runs = [
        ["allocate", "--preferences", "prefs.csv", "--fit", "fit.csv", "--out", "out.csv"],
        ["impact", "prefs.csv", "--groups", "groups.csv", "--selected-top", "1"],
        ["impact", "fit.csv", "--groups", "prefs.csv", "--out", "impact.csv"],
    ]
    for argv in runs:
        code = _cli(argv, seconds=SMALL)
        assert code in (0, 1, 2), (argv, code)
        assert "Traceback" not in capsys.readouterr().err
    created = set(_listing(work)) - set(before)
    assert created <= {"out.csv", "impact.csv"}, created


def test_homoglyph_stuffing_is_the_same_as_a_plain_copy(notice_text: str) -> None:
    """Duties pasted with Cyrillic look-alikes must be seen as the copy they are: same texts for
    the encoder, same language (a 'Russian' CV would make failed checks 'unknown')."""
    from matcher.scoring.fit import prepare_candidate

    vacancy = matcher.parse_vacancy(notice_text)
    weak = (ROOT / "data" / "cvs" / "sec847_procurement_weak.txt").read_text(encoding="utf-8")
    duties = "\n".join(vacancy.duties)
    plain = prepare_candidate(matcher.parse_cv(weak + "\nPROFILE\n" + duties, candidate_id="x"))
    homo = prepare_candidate(
        matcher.parse_cv(weak + "\nPROFILE\n" + H.homoglyph_stuffed(duties), candidate_id="x")
    )
    assert homo.texts() == plain.texts()
    assert homo.language == plain.language == "en"


# --------------------------------------------------------------------------- caches at rest


def _ranked(cache_path: Path | None, cvs: list[CandidateProfile]) -> Any:
    from toy_encoder import ToyEncoder

    from matcher.scoring.cache import CachedEncoder, EmbeddingCache

    encoder: Any = ToyEncoder()
    if cache_path is None:
        return matcher.Matcher(encoder=encoder).rank(matcher.load_vacancy(NOTICE), cvs)
    with EmbeddingCache(cache_path) as cache:
        encoder = CachedEncoder(encoder, cache)
        return matcher.Matcher(encoder=encoder).rank(matcher.load_vacancy(NOTICE), cvs)


@pytest.fixture(scope="module")
def few_cvs() -> list[CandidateProfile]:
    return list(matcher.load_cvs(sorted((ROOT / "data" / "cvs").glob("sec847*.txt"))))


@pytest.mark.parametrize(
    "how",
    ["garbage header", "random middle page", "random file", "truncated", "read-only folder",
     "folder is a file"],
)
def test_a_damaged_embedding_cache_is_reported_once_and_ignored(
    how: str, tmp_path: Path, few_cvs: list[CandidateProfile], caplog: pytest.LogCaptureFixture
) -> None:
    """The run goes on without the cache and ranks exactly as a run without one."""
    import logging

    import pandas as pd

    path = tmp_path / "cache" / "embeddings.sqlite"
    _ranked(path, few_cvs)  # a real cache, filled
    if how == "folder is a file":
        (tmp_path / "file").write_text("not a folder")
        path = tmp_path / "file" / "embeddings.sqlite"
    elif how == "read-only folder":
        for f in path.parent.iterdir():
            if f.name != path.name + ".key":
                f.unlink()
        path.parent.chmod(0o500)
        if os.access(path.parent, os.W_OK):  # root ignores permissions
            pytest.skip("running as root: a read-only folder is writable")
    else:
        H.damage_cache(str(path), how)
    try:
        with caplog.at_level(logging.WARNING, logger="matcher"):
            damaged = _ranked(path, few_cvs)
    finally:
        path.parent.chmod(0o700)
    pd.testing.assert_frame_equal(damaged, _ranked(None, few_cvs))
    said = [r.getMessage() for r in caplog.records if "cannot be used" in r.getMessage()]
    assert len(said) == 1 and str(path) in said[0], said


@pytest.mark.parametrize("how", ["garbage header", "random file", "truncated"])
def test_a_damaged_profile_store_is_reported_once_and_ignored(
    how: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from matcher.features.store import ProfileStore

    files = sorted((ROOT / "data" / "cvs").glob("sec821*.txt"))
    path = tmp_path / "profiles.sqlite"
    with ProfileStore(path) as store:
        fresh = matcher.load_cvs(files, store=store)
    H.damage_cache(str(path), how)
    with caplog.at_level(logging.WARNING, logger="matcher"):
        again = matcher.load_cvs(files, store=ProfileStore(path))
    assert again.profiles == fresh.profiles and not again.failures
    said = [r.getMessage() for r in caplog.records if "cannot be used" in r.getMessage()]
    assert len(said) == 1 and str(path) in said[0], said


def test_every_cache_file_is_private(tmp_path: Path, few_cvs: list[CandidateProfile]) -> None:
    """0600 files (database, -wal, -shm, MAC key) in a 0700 folder, while open and after."""
    import stat

    import numpy as np

    from matcher.features.store import ProfileStore
    from matcher.scoring.cache import EmbeddingCache

    folder = tmp_path / "matcher-cache"
    old = os.umask(0o022)
    try:
        emb = EmbeddingCache(folder / "embeddings.sqlite")
        emb.put_many("m", ["a", "b"], np.eye(2, 4, dtype=np.float32))
        store = ProfileStore(folder / "profiles.sqlite")
        matcher.load_cvs(sorted((ROOT / "data" / "cvs").glob("sec847*.txt")), store=store)
        open_files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
        emb.close()
        store.close()
    finally:
        os.umask(old)
    assert {"embeddings.sqlite-wal", "profiles.sqlite-shm", "profiles.sqlite.key"} <= set(
        open_files
    )
    assert set(open_files.values()) == {0o600}, open_files
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}


def test_an_old_cache_file_is_made_private(tmp_path: Path) -> None:
    """A store written 0644 by an older version is tightened when opened."""
    import stat

    from matcher.features.store import ProfileStore

    path = tmp_path / "profiles.sqlite"
    assert len(ProfileStore(path)) == 0
    path.chmod(0o644)
    store = ProfileStore(path)
    assert len(store) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_retention_deletes_rows_unused_for_that_many_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    from matcher import sqlitedb
    from matcher.scoring.cache import EmbeddingCache

    path = tmp_path / "e.sqlite"
    clock = [1_000_000_000.0]
    monkeypatch.setattr(sqlitedb, "now", lambda: clock[0])
    EmbeddingCache(path).put_many("m", ["old"], np.eye(1, 4, dtype=np.float32))
    clock[0] += 10 * 86_400
    EmbeddingCache(path).put_many("m", ["new"], np.eye(1, 4, dtype=np.float32))
    assert len(EmbeddingCache(path, retention_days=20)) == 2
    assert set(EmbeddingCache(path, retention_days=5).get_many("m", ["old", "new"])) == {"new"}
    monkeypatch.setenv("MATCHER_CACHE_RETENTION_DAYS", "1")
    clock[0] += 2 * 86_400
    assert len(EmbeddingCache(path)) == 0


@pytest.mark.parametrize("which", ["--profiles", "--embeddings", None])
def test_cache_clear_deletes_the_files(
    which: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    from matcher.cli import main
    from matcher.features.store import ProfileStore
    from matcher.scoring.cache import EmbeddingCache

    monkeypatch.setenv("MATCHER_CACHE_DIR", str(tmp_path))
    EmbeddingCache().put_many("m", ["a"], np.eye(1, 4, dtype=np.float32))
    profile = matcher.parse_cv(ROOT / "data" / "cvs" / "sec847_procurement_strong.md")
    ProfileStore().put(b"k", profile)
    assert main(["cache", "clear", *([which] if which else [])]) == 0
    left = {p.name.split(".")[0] for p in tmp_path.iterdir()}
    expected = {"--profiles": {"embeddings"}, "--embeddings": {"profiles"}, None: set()}[which]
    assert left == expected, left


ABSURD_YEARS = {
    "huge": ("Minimum of 999999 years (four years with a relevant first-level degree) of "
             "professional experience.", "999999 years"),
    "overflow": ("Minimum of 2.5e308 years of relevant professional experience.",
                 "2.5e308 years"),
    "digits": (f"Minimum of {'7' * 5000} years of relevant professional experience.", "7777"),
    "negative": ("At least -3 years of relevant professional experience.", "-3 years"),
    "over_forty": ("Minimum of 45 years of relevant professional experience.", "45 years"),
    "words": ("Minimum of fifty-five years of relevant professional experience.", "fifty-five"),
}


@pytest.mark.parametrize("kind", sorted(ABSURD_YEARS))
def test_absurd_years_in_a_notice_are_refused_with_a_warning(kind: str) -> None:
    """Issue 16.5: no silent clamp ("999999 years (four years with ...)" is not 4), no negative
    read as positive, no slow path on huge numbers; the vacancy carries the warning."""
    statement, quoted = ABSURD_YEARS[kind]
    req = bounded(matcher.extract_requirements, statement)
    assert isinstance(req, Requirements)
    assert not req.experience and not req.experience_preferred
    (warning,) = req.warnings
    assert warning.startswith("implausible") and quoted in warning and "0-40" in warning
    vacancy = bounded(matcher.parse_vacancy, f"Title\n\nNecessary Qualifications\n{statement}\n")
    assert any(w.startswith("implausible") for w in vacancy.warnings), vacancy.warnings


def test_plausible_ranges_and_years_still_read() -> None:
    for statement, years in (("Minimum of 2-3 years of experience.", 2.0),
                             ("Two (2) - three (3) years of experience.", 2.0),
                             ("Minimum of forty years of experience.", 40.0),
                             ("At least 18 months of experience.", 1.5)):
        req = matcher.extract_requirements(statement)
        assert [x.min_years for x in req.experience] == [years], statement
        assert not req.warnings, statement


@pytest.mark.parametrize("closing", ["01/01/0001", "31/12/9999", "Aug 20, 2031"])
def test_absurd_closing_date_is_named_and_not_used(closing: str) -> None:
    """Issue 16.5: a closing date far off the issue date (Jul 23, 2025) is kept as written,
    warned about, and never becomes the day experience is counted to."""
    from datetime import date

    from matcher.scoring.eligibility import reference_date

    text = NOTICE.read_text("utf-8")
    assert "Closing Date: Aug 20, 2025" in text
    fine = matcher.parse_vacancy(text)
    assert reference_date(fine) == date(2025, 8, 20)
    assert not [w for w in fine.warnings if "implausible" in w]
    vacancy = bounded(matcher.parse_vacancy, text.replace("Aug 20, 2025", closing))
    (warning,) = [w for w in vacancy.warnings if w.startswith("implausible Closing Date")]
    assert "issued 2025-07-23" in warning
    assert vacancy.metadata["Closing Date"] == closing
    assert reference_date(vacancy, default=date(2025, 8, 1)) == date(2025, 8, 1)


# --------------------------------------------------------------------------- per-file budget


def test_a_line_of_nothing_but_dates_is_linear() -> None:
    """20,000 date ranges on one line took 22 s (every range a position): now a bounded number
    of dated entries is read, with a warning."""
    profile = bounded(matcher.parse_cv, "01/2019 – " * 20000, seconds=LARGE)
    assert any("dated entries" in w for w in profile.warnings)


def test_a_docx_under_every_byte_cap_is_refused_by_its_xml_size(tmp_path: Path) -> None:
    """95 MB of XML in an 8.6 MB file took 137 s and 1.2 GB; one XML part is now capped."""
    from matcher.features.documents import MAX_DOCX_PART

    path = tmp_path / "big.docx"
    path.write_bytes(H.docx_under_caps(MAX_DOCX_PART + (1 << 20)))
    loaded = bounded(matcher.load_cvs, [path], seconds=SMALL)
    assert not loaded.profiles and "MB of XML" in loaded.failures[0].message


@pytest.mark.parametrize("limit", ["time", "memory"])
def test_a_file_past_its_budget_is_a_failure_row_naming_the_limit(
    limit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matcher.features import budget

    if limit == "time":
        monkeypatch.setattr(budget, "MAX_FILE_SECONDS", 0.0)
    else:
        if budget.resident_memory() is None:
            pytest.skip("resident memory cannot be read here")
        monkeypatch.setattr(budget, "MAX_FILE_MEMORY", -1)
        monkeypatch.setattr(budget, "MEMORY_EVERY", 1)
    files = [ROOT / "data" / "cvs" / n for n in ("sec821_master_qualified.txt",
                                                  "sec821_p11_military.docx",
                                                  "sec821_europass_master.pdf")]
    loaded = matcher.load_cvs(files)
    assert not loaded.profiles and len(loaded.failures) == 3
    for failure in loaded.failures:
        assert failure.error == "BudgetExceededError"
        assert f"per-file {limit} limit" in failure.message and failure.path in failure.message
    monkeypatch.undo()
    assert len(matcher.load_cvs(files)) == 3  # the next run gets a fresh budget


# --------------------------------------------------------------------------- folders, ids, output


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_an_aes_encrypted_pdf_without_a_password_is_read(algorithm: str, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = ROOT / "data" / "cvs" / "sec821_europass_master.pdf"
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
    path = tmp_path / "encrypted.pdf"
    with path.open("wb") as f:
        writer.write(f)
    assert matcher.parse_cv(path).text == matcher.parse_cv(plain).text


def test_every_folder_entry_is_a_profile_or_a_failure_row(tmp_path: Path) -> None:
    """A dangling symlink, a symlink loop, a FIFO and a subfolder were dropped without a row."""
    folder = tmp_path / "cvs"
    folder.mkdir()
    (folder / "good.txt").write_text("EXPERIENCE\nAnalyst, Acme Ltd, 2019 - 2020\n")
    (folder / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "sub").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
    (folder / "README.md").write_text("not a CV")  # documented as skipped
    loaded = bounded(matcher.load_cvs, folder, seconds=SMALL)
    failed = {Path(f.path).name: f.message for f in loaded.failures}
    assert [p.id for p in loaded.profiles] == ["good"]
    expected = {"dangling.txt", "loop.txt", "sub"}
    expected |= {"pipe.txt"} if hasattr(os, "mkfifo") else set()
    assert set(failed) == expected, failed
    assert "missing file" in failed["dangling.txt"] and "link loop" in failed["loop.txt"]


def test_ids_of_the_same_stem_carry_their_extension_in_any_order(tmp_path: Path) -> None:
    text = "EXPERIENCE\nAnalyst, Acme Ltd, 2019 - 2020\n"
    (tmp_path / "cand.txt").write_text(text)
    (tmp_path / "cand.md").write_text(text)
    (tmp_path / "other.txt").write_text(text)
    paths = [tmp_path / "cand.txt", tmp_path / "cand.md", tmp_path / "other.txt"]
    forward = [p.id for p in matcher.load_cvs(paths)]
    backward = [p.id for p in matcher.load_cvs(paths[::-1])]
    assert forward == ["cand.txt", "cand.md", "other"] and backward == forward[::-1]
    assert [p.id for p in matcher.load_cvs(tmp_path)] == ["cand.md", "cand.txt", "other"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(codec: str) -> None:
    text = (ROOT / "data" / "cvs" / "sec821_master_qualified.txt").read_text(encoding="utf-8")
    assert matcher.parse_cv(text.encode(codec)).text == matcher.parse_cv(text).text


def test_a_stray_nul_is_removed_not_a_refusal() -> None:
    data = (ROOT / "data" / "cvs" / "sec821_master_qualified.txt").read_bytes()
    profile = matcher.parse_cv(data[:200] + b"\x00" + data[200:])
    assert profile.text == matcher.parse_cv(data).text
    assert any("NUL" in w for w in profile.warnings)
    with pytest.raises(MatcherError):
        matcher.parse_cv(bytes(range(256)) * 40)  # binary stays refused


@pytest.mark.parametrize("where", ["existing folder", "under a file", "bad extension"])
def test_a_bad_out_is_refused_before_any_work(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from matcher.cli import main
    from matcher.commands import rank

    (tmp_path / "afile").write_text("x")
    out = {"existing folder": tmp_path, "under a file": tmp_path / "afile" / "r.csv",
           "bad extension": tmp_path / "r.docx"}[where]

    def never(*_: object) -> None:
        raise AssertionError("the command ran before its --out was checked")

    monkeypatch.setattr(rank, "run", never)
    argv = ["rank", str(NOTICE), str(ROOT / "data" / "cvs"), "--out", str(out)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(out) in err
    assert {"existing folder": "is a folder", "under a file": "it is a file",
            "bad extension": "unsupported output format"}[where] in err

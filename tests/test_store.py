"""The parsed-CV store: exact round trips, hits on re-runs, corrupt rows never returned."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import zlib
from datetime import date
from pathlib import Path

import pytest

import matcher
from matcher.features.store import ProfileStore, profile_from_json, profile_to_json

ROOT = Path(__file__).resolve().parents[1]
CVS = ROOT / "data" / "cvs"
REF = date(2025, 1, 31)


@pytest.fixture(scope="module")
def loaded() -> matcher.LoadedCVs:
    return matcher.load_cvs(CVS, reference_date=REF)


def test_every_sample_profile_survives_the_json_round_trip(loaded) -> None:
    """txt, md, PDF (with hidden text), DOCX, Europass, Russian, French: all fields, all types."""
    kinds = {Path(p.source).suffix for p in loaded}
    assert {".txt", ".md", ".pdf", ".docx"} <= kinds
    for profile in loaded:
        assert profile_from_json(profile_to_json(profile)) == profile, profile.id
    assert any(p.hidden_text for p in loaded) and any(p.personal.nationality for p in loaded)


def test_a_rerun_reads_every_profile_from_the_store(loaded, tmp_path) -> None:
    store = ProfileStore(tmp_path / "profiles.sqlite")
    first = matcher.load_cvs(CVS, reference_date=REF, store=store)
    assert first.profiles == loaded.profiles and store.stats()["writes"] == len(loaded)
    again = matcher.load_cvs(CVS, reference_date=REF, store=ProfileStore(store.path))
    assert again.profiles == loaded.profiles
    reopened = ProfileStore(store.path)
    matcher.load_cvs(CVS, reference_date=REF, store=reopened)
    assert reopened.stats()["hits"] == len(loaded) and reopened.stats()["misses"] == 0
    # another closing date counts other months: never served from the old entries
    other = ProfileStore(store.path)
    matcher.load_cvs(CVS, reference_date=date(2026, 6, 30), store=other)
    assert other.stats()["hits"] == 0
    # parsing in worker processes shares the same file
    parallel = matcher.load_cvs(CVS, reference_date=REF, store=ProfileStore(store.path), workers=2)
    assert parallel.profiles == loaded.profiles


def test_rows_are_json_and_a_corrupt_row_is_parsed_again(loaded, tmp_path) -> None:
    store = ProfileStore(tmp_path / "p.sqlite")
    matcher.load_cvs(CVS, reference_date=REF, store=store)
    raw = sqlite3.connect(store.path)
    data = raw.execute("SELECT data FROM profiles LIMIT 1").fetchone()[0]
    assert isinstance(json.loads(zlib.decompress(data)), dict)  # JSON, never a pickle
    last = "(SELECT MAX(id) FROM profiles)"  # a profile: a file's text is stored before it
    raw.execute(f"UPDATE profiles SET data = ? WHERE id = {last}",
                (zlib.compress(b'{"id": "x"}'),))  # fmt: skip
    raw.commit()
    raw.close()
    check = ProfileStore(store.path)
    again = matcher.load_cvs(CVS, reference_date=REF, store=check)
    assert again.profiles == loaded.profiles  # the tampered row was not used
    assert check.stats()["corrupt"] == 1 and check.stats()["writes"] == 1


# --------------------------------------------------------------------------- extracted texts

DOCUMENTS = sorted(p for p in CVS.iterdir() if p.suffix in (".pdf", ".docx"))


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every document the extractor reads from now on, by name."""
    from matcher.features import documents

    real, reads = documents.read_bytes, []

    def counted(data: bytes, **kwargs: object) -> documents.DocumentText:
        reads.append(str(kwargs.get("name")))
        return real(data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "read_bytes", counted)
    return reads


def test_another_closing_date_parses_again_from_the_stored_text(
    loaded, tmp_path, monkeypatch
) -> None:
    """The profile is per closing date, the text of a PDF or DOCX per file: a second notice
    parses the same files again without reading one PDF or DOCX, and gives what a store-free
    parse at that date gives."""
    assert len(DOCUMENTS) >= 6
    later = date(2026, 6, 30)
    expected = matcher.load_cvs(CVS, reference_date=later).profiles
    reads = _count_reads(monkeypatch)
    first = ProfileStore(tmp_path / "profiles.sqlite")
    matcher.load_cvs(CVS, reference_date=REF, store=first)
    assert first.stats()["text_writes"] == len(DOCUMENTS)
    assert {Path(r).name for r in reads} >= {p.name for p in DOCUMENTS}
    reads.clear()
    second = ProfileStore(first.path)
    again = matcher.load_cvs(CVS, reference_date=later, store=second)
    assert again.profiles == expected
    assert second.stats()["hits"] == 0 and second.stats()["text_hits"] == len(DOCUMENTS)
    assert not {Path(r).suffix for r in reads} & {".pdf", ".docx"}, reads  # plain text only


def test_a_changed_file_is_read_again(tmp_path, monkeypatch) -> None:
    pdfs = [p for p in DOCUMENTS if p.suffix == ".pdf"]
    cv = tmp_path / "cvs" / "candidate.pdf"
    cv.parent.mkdir()
    store = ProfileStore(tmp_path / "profiles.sqlite")
    cv.write_bytes(pdfs[0].read_bytes())
    matcher.load_cvs([cv], reference_date=REF, store=store)
    cv.write_bytes(pdfs[1].read_bytes())  # same name, other bytes
    reads = _count_reads(monkeypatch)
    check = ProfileStore(store.path)
    (profile,) = matcher.load_cvs([cv], reference_date=date(2026, 6, 30), store=check).profiles
    assert reads == [str(cv)] and check.stats()["text_hits"] == 0
    assert profile == matcher.parse_cv(cv, reference_date=date(2026, 6, 30))
    assert profile.text == matcher.parse_cv(pdfs[1], reference_date=REF).text


def test_a_tampered_text_row_is_read_again(tmp_path) -> None:
    """A stored text whose MAC fails is deleted and the file read again: the same profile."""
    store = ProfileStore(tmp_path / "p.sqlite")
    pdf = next(p for p in DOCUMENTS if p.suffix == ".pdf")
    fresh = matcher.parse_cv(pdf, reference_date=REF)
    assert matcher.parse_cv(pdf, reference_date=REF, store=store) == fresh
    key = store.text_key(pdf.read_bytes(), suffix=".pdf")
    raw = sqlite3.connect(store.path)
    stored = json.loads(zlib.decompress(raw.execute(
        "SELECT data FROM profiles WHERE key = ?", (key,)).fetchone()[0]))  # fmt: skip
    assert stored["format"] == "pdf" and stored["text"]  # JSON, never a pickle
    stored["text"] = "Chief Procurement Officer, 30 years."
    raw.execute("UPDATE profiles SET data = ? WHERE key = ?",
                (zlib.compress(json.dumps(stored).encode()), key))  # fmt: skip
    raw.commit()
    raw.close()
    check = ProfileStore(store.path)
    assert matcher.parse_cv(pdf, reference_date=REF, store=check) == fresh
    assert check.stats()["text_corrupt"] == 1 and check.stats()["text_writes"] == 1


def test_a_text_cut_short_by_the_time_budget_is_not_kept(tmp_path, monkeypatch) -> None:
    from matcher.features import documents

    pdf = next(p for p in DOCUMENTS if p.suffix == ".pdf")
    real = documents.read_bytes
    monkeypatch.setattr(documents, "read_bytes",
                        lambda data, **kw: dataclasses.replace(real(data, **kw), complete=False))
    store = ProfileStore(tmp_path / "p.sqlite")
    matcher.parse_cv(pdf, reference_date=REF, store=store)
    assert store.stats()["text_writes"] == 0 and len(store) == 0


@pytest.mark.parametrize("how", ["garbage header", "truncated"])
def test_a_damaged_store_is_reported_once_and_texts_are_read_again(
    how: str, tmp_path, caplog
) -> None:
    import logging
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    import _hostile as H

    path = tmp_path / "profiles.sqlite"
    with ProfileStore(path) as store:
        matcher.load_cvs(DOCUMENTS, reference_date=REF, store=store)
    H.damage_cache(str(path), how)
    later = date(2026, 6, 30)
    with caplog.at_level(logging.WARNING, logger="matcher"):
        again = matcher.load_cvs(DOCUMENTS, reference_date=later, store=ProfileStore(path))
    assert again.profiles == matcher.load_cvs(DOCUMENTS, reference_date=later).profiles
    assert not again.failures
    said = [r.getMessage() for r in caplog.records if "cannot be used" in r.getMessage()]
    assert len(said) == 1 and str(path) in said[0], said

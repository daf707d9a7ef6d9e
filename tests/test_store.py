"""The parsed-CV store: exact round trips, hits on re-runs, corrupt rows never returned."""

from __future__ import annotations

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
    raw.execute("UPDATE profiles SET data = ? WHERE id = 1", (zlib.compress(b'{"id": "x"}'),))
    raw.commit()
    raw.close()
    check = ProfileStore(store.path)
    again = matcher.load_cvs(CVS, reference_date=REF, store=check)
    assert again.profiles == loaded.profiles  # the tampered row was not used
    assert check.stats()["corrupt"] == 1 and check.stats()["writes"] == 1

"""The persistent embedding cache: exact round trips, corruption, concurrency, crashes, size cap."""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from toy_encoder import ToyEncoder

from matcher import EmbeddingCache, sqlitedb
from matcher.errors import ConfigError
from matcher.scoring import cache as cache_mod
from matcher.scoring.cache import CachedEncoder

ROOT = Path(__file__).resolve().parents[1]


def sentences(n: int, tag: str = "") -> list[str]:
    return [f"{tag}Managed procurement of item {i} for the mission in Vienna." for i in range(n)]


@pytest.fixture
def store(tmp_path: Path) -> EmbeddingCache:
    with EmbeddingCache(tmp_path / "emb.sqlite") as c:
        yield c


def test_round_trip_is_bit_exact_and_misses_are_absent(store: EmbeddingCache) -> None:
    enc = ToyEncoder()
    texts = sentences(5)
    vecs = enc.encode(texts)
    store.put_many(enc.model_id, texts, vecs)
    got = store.get_many(enc.model_id, [*texts, "never stored"])
    assert set(got) == set(texts)
    for t, v in zip(texts, vecs, strict=True):
        assert got[t].dtype == np.float32
        assert got[t].tobytes() == v.tobytes()
    assert store.get_many("another-model", texts) == {}
    assert store.count(enc.model_id) == 5 and len(store) == 5


def test_cached_encoder_encodes_only_distinct_misses(store: EmbeddingCache) -> None:
    enc = ToyEncoder()
    cached = CachedEncoder(enc, store)
    assert (cached.model_id, cached.dim) == (enc.model_id, enc.dim)
    first = cached.encode(["b", "a", "b", "c", "a"])
    assert enc.calls == [3]  # three distinct texts, one call
    assert first.shape == (5, enc.dim) and first.dtype == np.float32
    np.testing.assert_array_equal(first[0], first[2])
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-6)
    second = cached.encode(["c", "d", "a"])
    assert enc.calls == [3, 1]  # only "d" is new
    np.testing.assert_array_equal(second[0], first[3])
    # a new process-level object on the same file: warm, encodes nothing, bit-identical
    enc2 = ToyEncoder()
    again = CachedEncoder(enc2, EmbeddingCache(store.path)).encode(["b", "a", "b", "c", "a"])
    assert enc2.calls == []
    assert again.tobytes() == first.tobytes()
    assert cached.encode([]).shape == (0, enc.dim)


def test_corrupt_and_torn_rows_are_never_returned(store: EmbeddingCache) -> None:
    enc = ToyEncoder()
    texts = sentences(3)
    store.put_many(enc.model_id, texts, enc.encode(texts))
    store.close()
    raw = sqlite3.connect(store.path)
    keys = [cache_mod.text_key(t) for t in texts]
    # flip one byte of a vector (bit rot) and cut another short (torn write)
    row = raw.execute("SELECT vec FROM embeddings WHERE key=?", (keys[0],)).fetchone()
    vec0 = bytearray(row[0])
    vec0[7] ^= 0x40
    raw.execute("UPDATE embeddings SET vec=? WHERE key=?", (bytes(vec0), keys[0]))
    raw.execute("UPDATE embeddings SET vec=substr(vec, 1, 100) WHERE key=?", (keys[1],))
    raw.commit()
    raw.close()
    got = store.get_many(enc.model_id, texts)
    assert set(got) == {texts[2]}
    assert store.stats().corrupt == 2
    assert store.count(enc.model_id) == 1  # the bad rows were dropped
    # the wrapper re-encodes exactly the two dropped texts and gets the true vectors back
    enc2 = ToyEncoder()
    out = CachedEncoder(enc2, store).encode(texts)
    assert enc2.calls == [2]
    np.testing.assert_array_equal(out, ToyEncoder().encode(texts))


def test_size_cap_evicts_least_recently_used(tmp_path: Path, monkeypatch) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(sqlitedb, "now", lambda: clock[0])
    enc = ToyEncoder(dim=256)
    c = EmbeddingCache(tmp_path / "small.sqlite", max_bytes=400_000, refresh_after=0)
    keep = sentences(20, "keep ")
    c.put_many(enc.model_id, keep, enc.encode(keep))
    for batch in range(12):
        clock[0] += 10
        c.get_many(enc.model_id, keep)  # keeps the first rows recently used
        clock[0] += 10
        texts = sentences(40, f"batch {batch} ")
        c.put_many(enc.model_id, texts, enc.encode(texts))
    assert c.size_bytes() <= 400_000
    assert c.stats().evicted > 0
    assert len(c) < 20 + 12 * 40
    assert set(c.get_many(enc.model_id, keep)) == set(keep)  # recently used rows survived
    assert c.get_many(enc.model_id, sentences(40, "batch 0 ")) == {}  # the oldest went first
    with pytest.raises(ConfigError):
        EmbeddingCache(tmp_path / "x.sqlite", max_bytes=0)


def test_pickles_by_path_and_reopens(store: EmbeddingCache) -> None:
    enc = ToyEncoder()
    store.put_many(enc.model_id, ["x"], enc.encode(["x"]))
    clone = pickle.loads(pickle.dumps(store))
    assert clone.path == store.path and clone.max_bytes == store.max_bytes
    assert set(clone.get_many(enc.model_id, ["x"])) == {"x"}


def _writer(path: str, worker: int, n: int) -> None:
    enc = ToyEncoder()
    cached = CachedEncoder(enc, EmbeddingCache(path, timeout=120))
    # overlapping texts between workers, written in small batches to interleave transactions
    texts = sentences(n)[worker * n // 4 :] + sentences(n // 4, f"w{worker} ")
    for i in range(0, len(texts), 25):
        cached.encode(texts[i : i + 25])


def test_concurrent_writer_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite")
    ctx = mp.get_context("spawn" if sys.platform == "darwin" else "fork")
    procs = [ctx.Process(target=_writer, args=(path, w, 400)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    expected = sentences(400) + [t for w in range(3) for t in sentences(100, f"w{w} ")]
    c = EmbeddingCache(path)
    got = c.get_many(ToyEncoder().model_id, expected)
    assert len(got) == len(expected) == len(c)
    truth = ToyEncoder().encode(expected)
    for t, v in zip(expected, truth, strict=True):
        assert got[t].tobytes() == v.tobytes()
    assert c.stats().corrupt == 0


def test_crash_mid_write_leaves_a_consistent_store(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite"
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT / "tests")!r})
        from toy_encoder import ToyEncoder
        from matcher.scoring.cache import EmbeddingCache
        enc = ToyEncoder()
        c = EmbeddingCache({str(path)!r})
        i = 0
        while True:
            texts = [f"row {{i}}-{{j}}" for j in range(200)]
            c.put_many(enc.model_id, texts, enc.encode(texts))
            i += 1
            if i == 2:
                print("ready", flush=True)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n_rows = raw.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    raw.close()
    assert n_rows >= 400 and n_rows % 200 == 0  # whole transactions only
    c = EmbeddingCache(path)
    texts = [f"row {i}-{j}" for i in range(n_rows // 200) for j in range(200)]
    got = c.get_many(ToyEncoder().model_id, texts)
    assert len(got) == n_rows and c.stats().corrupt == 0
    np.testing.assert_array_equal(
        np.stack([got[t] for t in texts[-200:]]), ToyEncoder().encode(texts[-200:])
    )


def test_get_into_fills_rows_like_get_many_and_repeats_and_misses(store: EmbeddingCache) -> None:
    enc = ToyEncoder()
    texts = sentences(6)
    store.put_many(enc.model_id, texts[:4], enc.encode(texts[:4]))
    asked = [texts[2], "never stored", texts[0], texts[2], texts[5], texts[3]]
    out = np.full((len(asked), enc.dim), 7.0, dtype=np.float32)
    found = store.get_into(enc.model_id, asked, out)
    assert found.tolist() == [True, False, True, True, False, True]
    by_text = store.get_many(enc.model_id, asked)
    for row, text, hit in zip(out, asked, found, strict=True):
        if hit:
            assert row.tobytes() == by_text[text].tobytes()
    assert (out[~found] == 7.0).all()  # misses are left alone
    with pytest.raises(ValueError):
        store.get_into(enc.model_id, asked, np.zeros((len(asked), enc.dim + 1), np.float32))


def test_reads_larger_than_one_statement(store: EmbeddingCache, monkeypatch) -> None:
    """More keys than SQLite binds in one statement are read in several, none lost."""
    monkeypatch.setattr(sqlitedb, "max_params", lambda conn: 8)
    enc = ToyEncoder()
    texts = sentences(30)
    store.put_many(enc.model_id, texts, enc.encode(texts))
    out = np.zeros((31, enc.dim), np.float32)
    assert store.get_into(enc.model_id, [*texts, "x"], out).sum() == 30
    assert out[:30].tobytes() == enc.encode(texts).tobytes()
    assert len(store.get_many(enc.model_id, texts)) == 30


def test_the_encoder_path_drops_corrupt_rows_and_encodes_them_again(store: EmbeddingCache) -> None:
    enc = ToyEncoder()
    texts = sentences(4)
    store.put_many(enc.model_id, texts, enc.encode(texts))
    store.close()
    raw = sqlite3.connect(store.path)
    keys = [cache_mod.text_key(t) for t in texts]
    raw.execute("UPDATE embeddings SET checksum=zeroblob(8) WHERE key=?", (keys[1],))
    raw.execute("UPDATE embeddings SET dim=dim+1 WHERE key=?", (keys[3],))
    raw.commit()
    raw.close()
    enc2 = ToyEncoder()
    out = CachedEncoder(enc2, store).encode([texts[3], *texts])
    assert enc2.calls == [2]
    assert store.stats().corrupt == 2
    assert out.tobytes() == ToyEncoder().encode([texts[3], *texts]).tobytes()


def test_get_into_fills_arrays_that_are_not_plain_float32_rows(store: EmbeddingCache) -> None:
    enc = ToyEncoder()
    texts = sentences(5)
    vecs = enc.encode(texts)
    store.put_many(enc.model_id, texts, vecs)
    wide = np.zeros((5, 2 * enc.dim), np.float32)[:, ::2]  # strided view
    doubles = np.zeros((5, enc.dim), np.float64)
    for out in (wide, doubles):
        assert store.get_into(enc.model_id, texts[::-1], out).all()
        np.testing.assert_array_equal(out, vecs[::-1])


def test_a_row_resealed_without_the_key_is_rejected(tmp_path) -> None:
    """The row MAC is keyed: a vector changed together with a recomputed unkeyed checksum (what
    an attacker who can write the file but not read its 0600 key can do) is dropped."""
    import hashlib
    import sqlite3

    path = tmp_path / "emb.sqlite"
    cache = EmbeddingCache(path)
    vecs = np.eye(2, 3, dtype=np.float32)
    cache.put_many("toy-model", ["a", "b"], vecs)
    assert set(cache.get_many("toy-model", ["a", "b"])) == {"a", "b"}  # same MAC both ways
    cache.close()
    forged = np.array([0, 0, 1], "<f4").tobytes()
    key = cache_mod.text_key("a")
    h = hashlib.blake2b(digest_size=16)
    h.update(b"toy-model\0" + key + (3).to_bytes(4, "little") + forged)
    with sqlite3.connect(path) as raw:
        raw.execute(
            "UPDATE embeddings SET vec=?, checksum=? WHERE key=?", (forged, h.digest(), key)
        )
    again = EmbeddingCache(path)
    got = again.get_many("toy-model", ["a", "b"])
    assert set(got) == {"b"} and again.stats().corrupt == 1


def test_a_warm_cache_gives_the_dimension_without_asking_the_encoder(store: EmbeddingCache) -> None:
    class Unloaded(ToyEncoder):
        asked = 0

        @property
        def dim(self) -> int:  # a real encoder loads its model to answer this
            Unloaded.asked += 1
            return 48

        @dim.setter
        def dim(self, value: int) -> None:
            pass

    cold = CachedEncoder(Unloaded(), store)
    assert cold.dim == 48 and Unloaded.asked == 1  # nothing stored yet: the encoder answers
    cold.encode(["Draft reports.", "Monitor elections."])
    warm = CachedEncoder(Unloaded(), store)
    asked = Unloaded.asked
    assert warm.dim == 48 and warm.encode(["Draft reports."]).shape == (1, 48)
    assert Unloaded.asked == asked  # read from the stored rows
    assert store.stored_dim("another-model") is None

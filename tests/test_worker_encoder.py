"""`matcher rank` encodes in a worker process: the same vectors as encoding here, and a worker
that dies costs nothing but time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from toy_encoder import ToyEncoder

from matcher.commands.common import WorkerEncoder
from matcher.features.vacancy import load_vacancy
from matcher.scoring.encoders import split_sentences
from matcher.scoring.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]
NOTICE = ROOT / "data" / "vacancies" / "osce-associate-security-project-officer-SEC000821.txt"


def _texts() -> list[str]:
    """A real notice's scored texts and sentences of real CVs."""
    texts = Matcher(encoder=ToyEncoder()).prepare_vacancy(load_vacancy(NOTICE)).texts()
    for path in sorted((ROOT / "data" / "cvs").glob("sec8*.txt"))[:2]:
        texts += split_sentences(path.read_text(encoding="utf-8"))
    return list(dict.fromkeys(t for t in texts if t.strip()))


class PidEncoder(ToyEncoder):
    """Vectors that say which process encoded them."""

    def encode(self, texts, **kw):  # type: ignore[no-untyped-def]
        out = super().encode(texts, **kw)
        out[:, 0] = os.getpid()
        return out


def test_prefetched_and_later_texts_come_back_as_the_encoder_gives_them() -> None:
    texts = _texts()
    assert len(texts) > 30
    worker = WorkerEncoder(ToyEncoder())
    try:
        worker.start()
        worker.prefetch(texts[:20])  # a notice's texts, sent before the CVs are read
        got = worker.encode(texts[10:] + texts[:10] + ["", texts[3]])
    finally:
        worker.close()
    want = ToyEncoder().encode(texts[10:] + texts[:10] + ["", texts[3]])
    assert got.dtype == np.float32 and np.array_equal(got, want)
    assert worker.encode([]).shape == (0, 64)
    assert worker.model_id == "toy-trigram-64" and worker.dim == 64


def test_a_worker_that_dies_is_replaced_by_encoding_here() -> None:
    texts = _texts()[:8]
    worker = WorkerEncoder(PidEncoder())
    try:
        first = worker.encode(texts[:4])
        pid = int(first[0, 0])
        assert pid != os.getpid() and (first[:, 0] == pid).all()  # encoded in the worker
        os.kill(pid, signal.SIGKILL)
        worker.prefetch(texts[4:6])
        again = worker.encode(texts)
    finally:
        worker.close()
    assert np.array_equal(again[:4], first)  # encoded once, kept
    assert (again[4:, 0] == os.getpid()).all()  # the rest encoded here, nothing lost
    assert np.array_equal(again[4:, 1:], ToyEncoder().encode(texts[4:])[:, 1:])


@pytest.mark.model
def test_the_worker_gives_the_same_bytes_as_this_process() -> None:
    """The model in the worker (on one thread: a few texts) and here (on torch's threads): the
    same float32 bytes for a real notice's texts and real CV sentences, so cached vectors and
    fresh ones never differ by process or thread count."""
    import torch

    from matcher.commands.common import FEW_TEXTS
    from matcher.scoring.encoders import SentenceTransformerEncoder

    texts = _texts()
    assert len(texts) < FEW_TEXTS and torch.get_num_threads() > 1
    worker = WorkerEncoder(SentenceTransformerEncoder())
    try:
        worker.prefetch(texts[::2])
        remote = worker.encode(texts)
    finally:
        worker.close()
    here = SentenceTransformerEncoder().encode(texts)
    assert remote.shape == (len(texts), 384)
    for text, a, b in zip(texts, remote, here, strict=True):
        assert np.array_equal(a, b), text


@pytest.mark.model
def test_rank_in_its_own_process_says_only_what_it_wrote(tmp_path) -> None:
    """`matcher rank` as an analyst runs it: the worker it starts and stops leaves nothing
    behind (no leaked-semaphore warning at exit), and the ranking has every CV."""
    cvs = sorted((ROOT / "data" / "cvs").glob("sec821_*"))[:3]
    out = tmp_path / "ranking.csv"
    done = subprocess.run(
        [sys.executable, "-m", "matcher", "rank", str(NOTICE), *map(str, cvs), "--no-cache",
         "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"wrote {len(cvs)} rows to {out}"
    assert sorted(pd.read_csv(out)["candidate_id"]) == sorted(p.stem for p in cvs)

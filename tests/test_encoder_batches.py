"""A text's vector does not depend on the texts encoded with it (the cache relies on it)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from matcher.scoring.encoders import split_sentences

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.model
def test_a_vector_is_the_same_whatever_it_is_encoded_with() -> None:
    """Sentences of real CVs and notices, encoded all at once, in random halves, mixed with
    another notice's duties and one at a time: the same float32 bytes every time."""
    from matcher.scoring.encoders import SentenceTransformerEncoder

    texts: list[str] = []
    for path in sorted((ROOT / "data" / "cvs").glob("sec8*.txt"))[:4]:
        texts += split_sentences(path.read_text(encoding="utf-8"))
    texts += ["Procurement", "x" * 600, " ".join(["budget"] * 400)]  # a one-word and long texts
    texts = list(dict.fromkeys(t for t in texts if t.strip()))
    assert len(texts) > 40
    enc = SentenceTransformerEncoder()
    whole = dict(zip(texts, enc.encode(texts), strict=True))
    rng = random.Random(3)
    other = split_sentences(
        (ROOT / "data" / "vacancies" / "osce-associate-procurement-officer-SEC000847.txt")
        .read_text(encoding="utf-8")
    )
    for _ in range(3):
        part = rng.sample(texts, len(texts) // 2) + other
        for text, vec in zip(part, enc.encode(part), strict=True):
            if text in whole:
                assert np.array_equal(vec, whole[text]), text
    for text in rng.sample(texts, 5):
        assert np.array_equal(enc.encode([text])[0], whole[text]), text


@pytest.mark.model
def test_the_direct_bert_backend_gives_sentence_transformers_bytes() -> None:
    """The default model runs on transformers' BertModel without sentence-transformers; on real
    resume and notice text of every padded width (and texts split into windows) its vectors are
    the same float32 bytes as sentence-transformers' own encode."""
    import pandas as pd

    from matcher.scoring.encoders import (
        DirectBertBackend,
        SentenceTransformerBackend,
        SentenceTransformerEncoder,
    )

    class ThroughSentenceTransformers(SentenceTransformerEncoder):
        def backend(self) -> SentenceTransformerBackend:
            return SentenceTransformerBackend(self.model)

    texts: list[str] = []
    for path in sorted((ROOT / "data" / "vacancies").glob("*.txt"))[:3]:
        texts += split_sentences(path.read_text(encoding="utf-8"))
    resumes = ROOT.parent / "shared" / "eval" / "resumes" / "livecareer_resumes_2484.csv"
    if resumes.exists():
        frame = pd.read_csv(resumes, usecols=["Resume_str"]).dropna().iloc[::250]
        for resume in frame.Resume_str:
            texts += split_sentences(resume)
            texts.append(resume[:3000])  # encoded as several windows
    texts += ["Économie politique — Universität Wien", "Юрист, МГУ", "x" * 600, "Procurement"]
    texts = list(dict.fromkeys(t for t in texts if t.strip()))
    direct = SentenceTransformerEncoder()
    assert isinstance(direct.backend(), DirectBertBackend)
    reference = ThroughSentenceTransformers()
    counts = direct.backend().lengths(texts)
    assert counts == reference.backend().lengths(texts)
    assert max(counts) > 256 and min(counts) < 16  # every width and split windows are covered
    assert direct.encode(texts).tobytes() == reference.encode(texts).tobytes()


def test_only_a_mean_pooled_bert_folder_runs_without_sentence_transformers(tmp_path: Path) -> None:
    """The direct backend takes the packaged MiniLM's folder; a folder that differs in any way
    its forward pass depends on (another architecture, activation or pooling, prompts,
    lower-casing) goes to sentence-transformers."""
    import json
    import shutil

    from matcher.scoring.encoders import default_model_path, direct_bert_config

    source = Path(default_model_path())
    assert direct_bert_config(str(source)) is not None

    def variant(name: str, edit: tuple[str, str, object]) -> str:
        folder = tmp_path / name
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns("*.safetensors"))
        (folder / "model.safetensors").touch()
        file, key, value = edit
        path = folder / file
        data = json.loads(path.read_text(encoding="utf-8"))
        data[key] = value
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(folder)

    assert direct_bert_config(variant("same", ("config.json", "hidden_act", "gelu"))) is not None
    for name, edit in {
        "mpnet": ("config.json", "model_type", "mpnet"),
        "relu": ("config.json", "hidden_act", "relu"),
        "relative": ("config.json", "position_embedding_type", "relative_key"),
        "cls": ("1_Pooling/config.json", "pooling_mode_cls_token", True),
        "lower": ("sentence_bert_config.json", "do_lower_case", True),
        "prompts": ("config_sentence_transformers.json", "prompts", {"query": "q: "}),
    }.items():
        assert direct_bert_config(variant(name, edit)) is None, name


@pytest.mark.model
def test_weights_the_direct_backend_cannot_name_go_to_sentence_transformers(
    tmp_path: Path,
) -> None:
    """A BERT folder whose safetensors names its weights otherwise is read by
    sentence-transformers (with a warning), not refused."""
    import shutil

    from safetensors.torch import load_file, save_file

    from matcher.scoring.encoders import (
        SentenceTransformerBackend,
        SentenceTransformerEncoder,
        default_model_path,
    )

    source = Path(default_model_path())
    folder = tmp_path / "renamed"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("*.safetensors"))
    weights = load_file(str(source / "model.safetensors"))
    save_file({k.replace("encoder.layer.5.", "encoder.last."): v for k, v in weights.items()},
              str(folder / "model.safetensors"))  # fmt: skip
    encoder = SentenceTransformerEncoder(folder)
    assert isinstance(encoder.backend(), SentenceTransformerBackend)
    vectors = encoder.encode(["Drafted procurement plans", "Managed a security project"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)

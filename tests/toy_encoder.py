"""A tiny deterministic encoder for tests that must not load the real model.

Hashed character trigrams -> a fixed-size vector, L2-normalised: similar strings get similar
vectors, it is fast, and it follows the Encoder protocol (``encode``, ``model_id``, ``dim``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


class ToyEncoder:
    def __init__(self, dim: int = 64, model_id: str = "toy-trigram-64") -> None:
        self.dim = dim
        self.model_id = model_id
        self.calls: list[int] = []  # number of texts per encode call

    def encode(self, texts: Sequence[str], **_: object) -> np.ndarray:
        texts = list(texts)
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for j in range(len(padded) - 2):
                h = int.from_bytes(hashlib.md5(padded[j : j + 3].encode()).digest()[:4], "little")
                out[i, h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
            if not norm:
                out[i, 0] = 1.0
        return out

    @property
    def encoded(self) -> int:
        return sum(self.calls)

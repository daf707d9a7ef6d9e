"""Keyword-stuffing defence: find CV sentences that copy the vacancy's own text.

Embedding matchers reward a CV that pastes the notice's duties (openly, or as white text in a PDF):
the copy is the most similar text there is. A sentence is a copy when most of its word 4-grams occur
in the vacancy text, or when rapidfuzz's ``partial_ratio`` finds it (near-)verbatim inside a
sentence of the notice. Copied sentences are discounted in the fit and named in the explanation.

    >>> det = CopyDetector(["Coordinating the preparation of standard operating procedures."])
    >>> det.detect(["Coordinating the preparation of standard operating procedures",
    ...             "Wrote procedures for field offices in 2019"])[0].copied
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher.scoring.encoders import split_sentences

__all__ = ["CopyDetector", "CopyHit"]

_WORD = re.compile(r"\w+", re.UNICODE)
_N = 4


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _grams(words: Sequence[str], n: int = _N) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@dataclass(frozen=True, slots=True)
class CopyHit:
    """Whether one CV sentence copies the vacancy, how strongly, and which vacancy sentence."""

    copied: bool
    ngram_share: float = 0.0
    partial_ratio: float = 0.0
    source: str = ""


_NO_HIT = CopyHit(False)


class CopyDetector:
    """Built once per vacancy from its duties, background and qualifications; cheap per sentence."""

    def __init__(
        self,
        vacancy_texts: Iterable[str],
        *,
        partial_ratio: float = 90.0,
        ngram_share: float = 0.60,
        min_words: int = 6,
    ) -> None:
        self.partial_ratio = float(partial_ratio)
        self.ngram_share = float(ngram_share)
        self.min_words = int(min_words)
        sentences: list[str] = []
        for text in vacancy_texts:
            sentences.extend(s for s in split_sentences(text or "") if len(_words(s)) >= 3)
        self.sentences: tuple[str, ...] = tuple(dict.fromkeys(sentences))
        self._lower = [" ".join(_words(s)) for s in self.sentences]
        self._grams: set[tuple[str, ...]] = set()
        self._vocab: set[str] = set()
        for s in self._lower:
            self._grams |= _grams(s.split(" "))
            self._vocab.update(s.split(" "))

    def _screen(self, words: Sequence[str]) -> tuple[bool | None, float]:
        """(verdict, 4-gram share): True or False when the words decide, None when only the fuzzy
        search can."""
        if len(words) < self.min_words or not self.sentences:
            return False, 0.0
        grams = _grams(words)
        share = (len(grams & self._grams) / len(grams)) if grams else 0.0
        if share >= self.ngram_share:
            return True, share
        if sum(w in self._vocab for w in words) / len(words) < 0.6:
            return False, share  # too little shared wording for partial_ratio to reach the bar
        return None, share

    def detect_one(self, sentence: str) -> CopyHit:
        words = _words(sentence)
        verdict, share = self._screen(words)
        if verdict is False:
            return CopyHit(False, share)
        source, ratio = self._best_source(" ".join(words))
        if verdict is True:
            return CopyHit(True, share, 100.0, source)
        return CopyHit(ratio >= self.partial_ratio, share, ratio, source)

    def is_copy(self, sentence: str) -> bool:
        """``detect_one(sentence).copied``, faster: the fuzzy search stops at the first vacancy
        sentence that reaches the bar instead of ranking them all."""
        from rapidfuzz import fuzz, process

        words = _words(sentence)
        verdict, _ = self._screen(words)
        if verdict is not None:
            return verdict
        hit = process.extractOne(
            " ".join(words), self._lower, scorer=fuzz.partial_ratio, score_cutoff=self.partial_ratio
        )
        return hit is not None

    def _best_source(self, lowered: str) -> tuple[str, float]:
        from rapidfuzz import fuzz, process

        best = process.extractOne(lowered, self._lower, scorer=fuzz.partial_ratio)
        if best is None:
            return "", 0.0
        _, score, index = best
        return self.sentences[index], float(score)

    def detect(self, sentences: Sequence[str]) -> list[CopyHit]:
        """One :class:`CopyHit` per sentence, in order."""
        return [self.detect_one(s) for s in sentences]

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
from itertools import repeat

import numpy as np

from matcher.scoring.encoders import split_sentences

__all__ = ["CopyDetector", "CopyHit", "find_pool_copies", "pool_words", "text_words"]

_WORD = re.compile(r"\w+", re.UNICODE)
_N = 4
_KEY_LIMIT = 2**62  # 4-gram keys over the notices' words must fit an int64


def text_words(text: str) -> list[str]:
    """The lower-cased words of ``text``: each ``\\w+`` run of the text as written, lowered.

    Lowering an ASCII text first gives the same words in one call (ASCII case changes never turn a
    word character into a non-word one); other texts lower word by word, since lowering e.g.
    "İ" yields a combining mark that would split the word.
    """
    if text.isascii():
        return _WORD.findall(text.lower())
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
            sentences.extend(s for s in split_sentences(text or "") if len(text_words(s)) >= 3)
        self.sentences: tuple[str, ...] = tuple(dict.fromkeys(sentences))
        self._lower = [" ".join(text_words(s)) for s in self.sentences]
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
        words = text_words(sentence)
        verdict, share = self._screen(words)
        if verdict is False:
            return CopyHit(False, share)
        source, ratio = self._best_source(" ".join(words))
        if verdict is True:
            return CopyHit(True, share, 100.0, source)
        return CopyHit(ratio >= self.partial_ratio, share, ratio, source)

    def is_copy(self, sentence: str) -> bool:
        """``detect_one(sentence).copied``, faster: the fuzzy search skips the vacancy sentences
        an exact bound rules out and stops at the first that reaches the bar."""
        words = text_words(sentence)
        verdict, _ = self._screen(words)
        if verdict is not None:
            return verdict
        return self._fuzzy([" ".join(words)])[0]

    def _fuzzy(self, lowered: Sequence[str]) -> list[bool]:
        """For each lowered sentence (words joined by spaces): does ``partial_ratio`` reach the bar
        against some vacancy sentence? Exactly ``process.extractOne(..., score_cutoff=bar) is not
        None``, asked only of the vacancy sentences an exact bound cannot rule out.

        The bound: ``partial_ratio(a, b)`` scores the shorter string (length m) against windows w
        of the longer one no longer than m, as ``200 L / (m + |w|)`` with L the longest common
        subsequence of the two. A score of at least c per cent needs ``L <= |w|`` and so
        ``L >= m c / (200 - c)``; and L can only grow from w to the whole string. The LCS of
        every pair comes from one bit-parallel ``cdist`` (well under a microsecond a pair, twenty
        times cheaper than ``partial_ratio``), and about one pair in twenty survives.
        """
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import LCSseq

        if not lowered or not self._lower:
            return [False] * len(lowered)
        lcs = process.cdist(lowered, self._lower, scorer=LCSseq.similarity, dtype=np.int32)
        q_len = np.fromiter(map(len, lowered), np.int64, count=len(lowered))
        s_len = np.fromiter(map(len, self._lower), np.int64, count=len(self._lower))
        shorter = np.minimum(q_len[:, None], s_len[None, :])
        # half a point of slack below the bar keeps float rounding inside rapidfuzz harmless
        c = min(max(self.partial_ratio - 0.5, 0.0), 100.0)
        possible = lcs >= shorter * (c / (200.0 - c)) - 1e-9
        out = [False] * len(lowered)
        for i in np.flatnonzero(possible.any(axis=1)).tolist():
            choices = [self._lower[j] for j in np.flatnonzero(possible[i]).tolist()]
            hit = process.extractOne(
                lowered[i], choices, scorer=fuzz.partial_ratio, score_cutoff=self.partial_ratio
            )
            out[i] = hit is not None
        return out

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


# ASCII letters to lower case, other ASCII characters that \w does not match to spaces: the
# words of an ASCII text are then exactly the pieces ``str.split()`` returns
_ASCII_WORDS_ONLY = str.maketrans(
    {
        c: (c.lower() if c.isupper() else " ")
        for c in map(chr, range(128))
        if c.isupper() or not (c.isalnum() or c == "_")
    }
)


def pool_words(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``text_words`` of many texts: (indices of the texts with words, their word counts, all their
    words in that order).

    The ASCII texts (nearly all) are joined one per line, lowered and split in one pass each, and
    their word counts come from the word starts of the result's bytes: under half the cost of a
    regex call per text. The other texts go through :func:`text_words` one by one.
    """
    plain = [t.isascii() for t in texts]
    ascii_ = [j for j, yes in enumerate(plain) if yes]
    lines = texts if len(ascii_) == len(texts) else [texts[j] for j in ascii_]
    big = "\n".join([*lines, ""]).translate(_ASCII_WORDS_ONLY)
    flat = big.split()
    is_word = np.frombuffer(big.encode("ascii"), dtype=np.uint8) != ord(" ")
    is_word[1:] &= ~is_word[:-1]  # now: where a word starts
    ends = np.cumsum(np.fromiter(map(len, lines), np.int64, len(ascii_)) + 1)
    counts = np.diff(np.searchsorted(np.flatnonzero(is_word), ends), prepend=0).tolist()
    rows = [j for j, c in zip(ascii_, counts, strict=True) if c]
    cnt = [c for c in counts if c]
    for j, yes in enumerate(plain):
        if not yes and (words := text_words(texts[j])):
            rows.append(j)
            cnt.append(len(words))
            flat.extend(words)
    return np.array(rows, dtype=np.int64), np.array(cnt, dtype=np.int64), flat


def find_pool_copies(
    detectors: Sequence[CopyDetector], texts: Sequence[str]
) -> list[frozenset[str]]:
    """For each detector, the texts (those with at least one word) it calls copies: exactly
    ``detector.is_copy(text)``, decided for a whole pool at once.

    Per text, ``is_copy`` looks at its distinct word 4-grams and the share of its words in the
    notice, then runs ``partial_ratio`` only when neither decides. Here every text is tokenised
    once for all vacancies, the word shares of all (text, vacancy) pairs come from one sparse
    product, and the shared 4-grams from one sorted lookup of every text position among the
    notices' 4-grams (keys over the notices' own words, so no text word needs a dictionary of its
    own). Only texts that share a 4-gram count their distinct ones in Python, and only the texts
    whose words leave it open reach :meth:`CopyDetector._fuzzy`, many per call.
    """
    live = [d for d in detectors if d.sentences]
    if not live or not texts:
        return [frozenset() for _ in detectors]
    rows, cnt, flat = pool_words(texts)
    if not len(rows):
        return [frozenset() for _ in detectors]
    first = np.concatenate([[0], np.cumsum(cnt)[:-1]]).tolist()  # of each row's words in flat

    def words_of(i: int) -> list[str]:
        return flat[first[i] : first[i] + int(cnt[i])]

    union = sorted(set().union(*(d._vocab for d in live)))
    vocab = {w: k for k, w in enumerate(union)}
    size = len(union)
    ids = np.fromiter(map(vocab.get, flat, repeat(-1)), np.int64, count=len(flat))
    owner = np.repeat(np.arange(len(rows)), cnt)  # text row of each word

    # words of each text in each notice's vocabulary: (texts x words) @ (words x notices)
    from scipy import sparse

    known = ids >= 0
    bag = sparse.csr_matrix(
        (np.ones(int(known.sum())), (owner[known], ids[known])), shape=(len(rows), size)
    )
    member = np.zeros((size, len(live)))
    for d, det in enumerate(live):
        member[[vocab[w] for w in det._vocab], d] = 1.0
    in_vocab = np.asarray(bag @ member)  # exact small integers

    # distinct 4-grams each text shares with each notice
    shared = np.zeros((len(rows), len(live)), dtype=np.int64)
    if size**_N < _KEY_LIMIT and len(flat) >= _N:
        a = [ids[i : len(ids) - _N + 1 + i] for i in range(_N)]
        ok = owner[: len(ids) - _N + 1] == owner[_N - 1 :]
        for part in a:
            ok &= part >= 0
        key = np.zeros(int(ok.sum()), dtype=np.int64)
        for part in a:
            key = key * size + part[ok]
        gram_owner = owner[: len(ids) - _N + 1][ok]
        det_keys = [
            np.array(
                [((vocab[g[0]] * size + vocab[g[1]]) * size + vocab[g[2]]) * size + vocab[g[3]]
                 for g in det._grams],
                dtype=np.int64,
            )
            for det in live
        ]  # fmt: skip
        all_keys = np.unique(np.concatenate(det_keys))
        if len(all_keys) and len(key):
            at = np.minimum(np.searchsorted(all_keys, key), len(all_keys) - 1)
            hit = all_keys[at] == key
            pairs = np.unique(gram_owner[hit] * len(all_keys) + at[hit])  # distinct per text
            p_row, p_key = np.divmod(pairs, len(all_keys))
            for d, keys in enumerate(det_keys):
                mine = np.isin(all_keys, keys)[p_key]
                shared[:, d] = np.bincount(p_row[mine], minlength=len(rows))
    else:  # too many notice words for exact integer keys: count in Python
        for d, det in enumerate(live):
            shared[:, d] = [len(_grams(words_of(i)) & det._grams) for i in range(len(rows))]
    n_grams = np.ones(len(rows), dtype=np.int64)  # only read where a gram is shared
    for i in np.flatnonzero(shared.any(axis=1)).tolist():
        n_grams[i] = len(_grams(words_of(i)))

    joined: dict[int, str] = {}
    found: dict[int, frozenset[str]] = {}
    for d, det in enumerate(live):
        share = np.where(shared[:, d] > 0, shared[:, d] / n_grams, 0.0)
        long_enough = cnt >= det.min_words
        by_grams = long_enough & (share >= det.ngram_share)
        open_ = long_enough & ~(share >= det.ngram_share) & ~(in_vocab[:, d] / cnt < 0.6)
        hits = rows[by_grams].tolist()
        todo = np.flatnonzero(open_).tolist()
        lowered = [joined.get(i) or joined.setdefault(i, " ".join(words_of(i))) for i in todo]
        hits += [int(rows[i]) for i, yes in zip(todo, det._fuzzy(lowered), strict=True) if yes]
        found[id(det)] = frozenset(texts[j] for j in hits)
    return [found.get(id(d), frozenset()) if d.sentences else frozenset() for d in detectors]

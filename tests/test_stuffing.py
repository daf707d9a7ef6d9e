"""The copy detector: pool-wide and fast paths decide exactly as the plain per-sentence rules."""

from __future__ import annotations

import random
import re

import pytest
from rapidfuzz import fuzz, process

from matcher.scoring import stuffing
from matcher.scoring.kernel import find_copies
from matcher.scoring.stuffing import CopyDetector, pool_words, text_words

NOTICE = [
    "Coordinates the preparation of standard operating procedures for the field offices.",
    "Drafts and reviews budget proposals, financial reports and audit responses in English.",
    "Liaises with host-country authorities, international partners and civil society on "
    "elections, media freedom and the rule of law.",
    "Organises training events on procurement, contract management and tender evaluation.",
]


def _reference_is_copy(det: CopyDetector, sentence: str) -> bool:
    """``is_copy`` as first written: the rules spelt out, fuzzy search over every sentence."""
    words = [w.lower() for w in re.findall(r"\w+", sentence)]
    verdict, _ = det._screen(words)
    if verdict is not None:
        return verdict
    hit = process.extractOne(
        " ".join(words), det._lower, scorer=fuzz.partial_ratio, score_cutoff=det.partial_ratio
    )
    return hit is not None


def _mutations(rng: random.Random, sentence: str, n: int) -> list[str]:
    """Near copies: characters dropped, doubled or swapped, words cut from either end."""
    out = []
    for _ in range(n):
        chars = list(sentence)
        for _ in range(rng.randrange(0, 12)):
            i = rng.randrange(len(chars))
            op = rng.randrange(3)
            if op == 0:
                del chars[i]
            elif op == 1:
                chars.insert(i, chars[i])
            else:
                chars[i] = rng.choice("aeiou xyz")
        words = "".join(chars).split()
        a = rng.randrange(0, 4)
        b = len(words) - rng.randrange(0, 4)
        out.append(" ".join(words[a:b]))
    return out


def _pool(seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    pool = []
    for s in NOTICE:
        pool += _mutations(rng, s, 60)
        words = s.split()
        pool += [" ".join(rng.sample(words, len(words))) for _ in range(10)]  # shuffled wording
    pool += [
        "Managed a team of five and wrote quarterly donor reports for the mission.",
        "",
        "!!! ---",
        "İstanbul office: coordinates the preparation of standard operating procedures",
        "COORDINATES THE PREPARATION OF STANDARD OPERATING PROCEDURES FOR THE FIELD",
        # few distinct 4-grams, mostly the notice's, but most words are not the notice's:
        "coordinates the preparation of standard operating procedures for the field offices "
        + "zzz " * 40,
        "the the the the the the the the",
    ]
    return pool


@pytest.mark.parametrize(
    "text",
    ["Plain ASCII, with Numbers 42 and snake_case", "İstanbul ẞtraße ΣΊΣΥΦΟΣ", "", "a-b c'd"],
)
def test_words_are_the_lowered_word_runs_of_the_text(text: str) -> None:
    assert text_words(text) == [w.lower() for w in re.findall(r"\w+", text)]


@pytest.mark.parametrize("bar", [60.0, 75.0, 85.0, 90.0, 95.0, 100.0])
def test_fuzzy_search_equals_extract_one_over_every_notice_sentence(bar: float) -> None:
    det = CopyDetector(NOTICE, partial_ratio=bar)
    queries = [" ".join(text_words(s)) for s in _pool(1) if text_words(s)]
    got = det._fuzzy(queries)
    want = [
        process.extractOne(q, det._lower, scorer=fuzz.partial_ratio, score_cutoff=bar) is not None
        for q in queries
    ]
    assert got == want
    assert 0 < sum(want) < len(want)  # both answers occur: the comparison is not vacuous


@pytest.mark.parametrize("python_grams", [False, True])
@pytest.mark.parametrize(
    "options",
    [{}, {"ngram_share": 0.3}, {"ngram_share": 0.9, "partial_ratio": 80.0}, {"min_words": 3}],
)
def test_pool_copies_equal_the_per_sentence_rules(options: dict, python_grams, monkeypatch) -> None:
    if python_grams:  # as with notices too rich in words for integer 4-gram keys
        monkeypatch.setattr(stuffing, "_KEY_LIMIT", 0)
    detectors = [
        CopyDetector(NOTICE, **options),
        CopyDetector(NOTICE[2:], **options),
        CopyDetector([], **options),  # no sentences: nothing is a copy
    ]
    pool = _pool()
    found = find_copies(detectors, pool)
    for det, copies in zip(detectors, found, strict=True):
        want = {s for s in pool if text_words(s) and _reference_is_copy(det, s)}
        assert copies == want
        assert all(det.is_copy(s) == (s in want) for s in pool if text_words(s))
    assert found[0] and found[0] != found[1] and not found[2]


def test_a_copy_by_shared_4_grams_is_found_whatever_share_of_words_is_the_notices() -> None:
    """Distinct 4-grams, not word positions, decide the share: a notice phrase followed by one
    foreign word repeated has few distinct 4-grams, most of them the notice's."""
    det = CopyDetector(NOTICE)
    text = "Coordinates the preparation of standard operating procedures for the field offices "
    text += "zzz " * 30
    assert det.is_copy(text)
    assert find_copies([det], [text]) == [frozenset([text])]


def test_pool_words_are_the_words_of_each_text() -> None:
    every_ascii = "".join(map(chr, range(128)))
    texts = _pool(2) + ["x\ny", "Ünïcode İstanbul words", "", "snake_case 42", every_ascii]
    texts += ["a\x1cb\x1fc\x0bd\te", every_ascii[::-1] + "Ü", "CAPS,and-dashes/slashes"]
    rows, counts, flat = pool_words(texts)
    at = 0
    for j, c in zip(rows.tolist(), counts.tolist(), strict=True):
        assert flat[at : at + c] == [w.lower() for w in re.findall(r"\w+", texts[j])]
        at += c
    assert at == len(flat)
    assert sorted(rows.tolist()) == [j for j, t in enumerate(texts) if re.search(r"\w", t)]

"""Coverage-guided fuzzing of the parsers with atheris (libFuzzer).

    python tests/fuzz_atheris.py -runs=100000 -timeout=10        # a longer local campaign
    python tests/fuzz_atheris.py -max_total_time=15              # what tests/test_fuzz.py runs

Any exception other than a MatcherError is a crash; libFuzzer's -timeout catches hangs.
"""

from __future__ import annotations

import logging
import sys
import warnings

import atheris

with atheris.instrument_imports(include=["matcher"]):
    # the package resolves names lazily: import the parsing modules here so they are instrumented
    import matcher
    import matcher.features.cv
    import matcher.features.dates
    import matcher.features.degrees
    import matcher.features.documents
    import matcher.features.pii
    import matcher.features.requirements
    import matcher.features.sections
    import matcher.features.text
    import matcher.features.vacancy  # noqa: F401
    from matcher.errors import MatcherError

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)

#: first byte of an input picks the target (so a seed corpus can aim at one parser)
TARGETS = ("vacancy", "requirements", "cv_text", "cv_bytes")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    payload = data[1:]
    if target == "cv_bytes":
        try:
            matcher.parse_cv(payload, candidate_id="fuzz")
        except MatcherError:
            pass
        return
    text = payload.decode("utf-8", "replace")
    if target == "vacancy":
        try:
            matcher.parse_vacancy(text)
        except MatcherError:
            pass
    elif target == "requirements":
        result = matcher.extract_requirements(text)  # documented never to raise
        assert isinstance(result, matcher.Requirements)
    else:
        if "\n" not in text:
            text = "Curriculum Vitae\n" + text  # keep it text, never a path
        try:
            matcher.parse_cv(text, candidate_id="fuzz")
        except MatcherError:
            pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

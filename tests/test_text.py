"""Text repair and debris removal, on spans taken from the seed notices."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from matcher import repair_text
from matcher.features.debris import (
    is_debris_line,
    remove_footnotes,
    strip_debris,
    strip_markdown,
)
from matcher.features.text import decode_bytes

VACANCIES = Path(__file__).resolve().parents[1] / "data" / "vacancies"


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("OSCE\u0e42\u20ac\u2122s procurement", "OSCE’s procurement"),  # cp874 mojibake
        ("Unit\u0e42\u20ac\u2122s work \u0e42\u20ac\u201c a dash", "Unit’s work – a dash"),
        ("the \u0e42Prevention of trafficking\u0e42 at", "the “Prevention of trafficking” at"),
        ("caf\u00c3\u00a9", "café"),  # ordinary latin-1 mojibake: ftfy
        ("\U0001d401\U0001d428\U0001d425\U0001d41d banner", "Bold banner"),  # NFKC
        ("zero\u200bwidth\u202eand bidi", "zerowidthand bidi"),
        ("a\xa0b\r\nc", "a b\nc"),
    ],
)
def test_repair_text(broken, fixed):
    out = repair_text(broken)
    for junk in ("โ", "€™", "๐", "Ã"):
        assert junk not in out
    if fixed is not None:
        assert out == fixed


def test_repair_text_on_every_seed_leaves_no_mojibake():
    for path in sorted(VACANCIES.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        out = repair_text(raw)
        for junk in ("โ", "€™", "๐", "â€"):
            assert junk not in out, (path.name, junk)
    sec847 = repair_text((VACANCIES / "osce-associate-procurement-officer-SEC000847.txt")
                         .read_text(encoding="utf-8"))
    assert "the “Prevention of human trafficking for labour exploitation in supply chains”" in (
        sec847
    )


def test_repair_text_keeps_real_thai():
    thai = "ภาษาไทย โรงเรียน"
    assert repair_text(thai) == thai


def test_decode_bytes_never_fails():
    assert decode_bytes("Organization’s café".encode("cp1252")) == "Organization’s café"
    assert decode_bytes("\ufeffhello".encode("utf-8")) == "hello"
    assert decode_bytes("hello ’".encode("utf-16")) == "hello ’"
    assert isinstance(decode_bytes(bytes(range(256))), str)


def test_repair_text_many_short_lines_is_fast():
    text = "•\n" * 500_000 + "é\n" * 500_000
    start = time.perf_counter()
    out = repair_text(text)
    assert time.perf_counter() - start < 10
    assert out.count("\n") == 1_000_000


@pytest.mark.parametrize(
    "line",
    [
        "5 Steps to get a job in the United Nations",
        "Recommended for you",
        "Tags: Human Rights Law English language Environment OSCE",
        "  • Added Date: Thursday, 03 July 2025",
        "📚           !               , , , , ,   ! ",
        "⚠    :            !",
        "📚 Discover How to Get a Job in the UN in 2023! Read our NEW Recruitment Guide",
        "|",
    ],
)
def test_debris_lines(line):
    assert is_debris_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Background:",
        "• Minimum of eight years of progressively responsible professional experience;",
        "Tasks and Responsibilities",
        "-",  # a bullet whose text is on the next line
        "---",
        "The OSCE is committed to diversity and inclusion within its workforce.",
    ],
)
def test_not_debris(line):
    assert not is_debris_line(line)


def test_strip_debris_keeps_pictograph_bullets_as_bullets():
    text, dropped = strip_debris("✔ Excellent drafting skills\n5 Steps to get a job in the UN\n"
                                 "Step 1: Register\nStep 2: Apply\n\nBackground:")
    assert text == "- Excellent drafting skills\n\nBackground:"
    assert len(dropped) == 3


def test_strip_markdown():
    assert strip_markdown("- [Opening 11: CPC - The Situation Room \\(SitRoom\\)](#)") == (
        "- Opening 11: CPC - The Situation Room (SitRoom)"
    )
    assert strip_markdown("1. **Developing content:**") == "1. Developing content:"
    assert strip_markdown("implementing its '*Plan to Mainstream*'") == (
        "implementing its 'Plan to Mainstream'"
    )
    assert strip_markdown("see <https://www.osce.org/>.") == "see https://www.osce.org/."
    assert strip_markdown("- a bullet * with a star") == "- a bullet * with a star"


def test_remove_footnotes_needs_its_marker():
    text = (
        "field operations in Serbia and Kosovo1. The Desk follows\n"
        "1 All references to Kosovo, whether to the territory, should be understood in full\n"
        "1 Monitoring developments without a marker stays a list line"
    )
    out, notes = remove_footnotes(text)
    assert notes == (
        "1 All references to Kosovo, whether to the territory, should be understood in full",
    )
    assert "Serbia and Kosovo. The Desk" in out
    assert "1 Monitoring developments" in out
    plain, none = remove_footnotes("1 Monitoring developments in the region and beyond\n")
    assert none == () and plain.startswith("1 Monitoring")


def test_lost_quote_after_a_plural_is_an_apostrophe_unless_a_quote_is_open():
    sec847 = repair_text((VACANCIES / "osce-associate-procurement-officer-SEC000847.txt")
                         .read_text(encoding="utf-8"))
    assert "the executive structures’ CTHB Action Plans" in sec847
    assert "in supply chains” at the Office" in sec847
    assert repair_text("a \u0e42quoted words\u0e42 here") == "a “quoted words” here"

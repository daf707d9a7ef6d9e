"""Date ranges and months of experience (union of intervals, ExperiencePolicy)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matcher
from matcher.features.dates import experience_months, find_date_ranges

REF = date(2025, 7, 31)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("Jan 2019 – present", (2019, 1), None, "month"),
        ("January 2019 to Current", (2019, 1), None, "month"),
        ("2015–2018", (2015, 1), (2018, 12), "year"),
        ("03/2017 – 06/2020", (2017, 3), (2020, 6), "month"),
        ("03.2017 - 06.2020", (2017, 3), (2020, 6), "month"),
        ("since 2020", (2020, 1), None, "year"),
        ("2019 – to date", (2019, 1), None, "year"),
        ("depuis 2019", (2019, 1), None, "year"),
        ("seit 2018", (2018, 1), None, "year"),
        ("сентябрь 2018 – настоящее время", (2018, 9), None, "month"),
        ("мая 2016 г. – н.в.", (2016, 5), None, "month"),
        ("Sept. 2016 - Aug. 2018", (2016, 9), (2018, 8), "month"),
        ("févr. 2014 – juin 2016", (2014, 2), (2016, 6), "month"),
        ("Mai 2015 – heute", (2015, 5), None, "month"),
        ("from 12.05.2015 to 30.06.2018", (2015, 5), (2018, 6), "day"),
        ("2017-03 – 2019-11", (2017, 3), (2019, 11), "month"),
        ("von 2010 bis 2012", (2010, 1), (2012, 12), "year"),
        ("с 2015 по 2018", (2015, 1), (2018, 12), "year"),
        ("From: 08/2012 To: 12/2019", (2012, 8), (2019, 12), "month"),
        ("July 2008\nto\nJanuary 2015", (2008, 7), (2015, 1), "month"),
        ("depuis mars 2019", (2019, 3), None, "month"),
        ("seit 01.2017", (2017, 1), None, "month"),
    ],
)
def test_date_forms(text, start, end, precision):
    ranges = find_date_ranges(text)
    assert len(ranges) == 1, ranges
    r = ranges[0]
    assert (r.start.year, r.start.month) == start
    if end is None:
        assert r.end is None and r.ongoing
    else:
        assert (r.end.year, r.end.month) == end and not r.ongoing
    assert r.precision == precision


def test_from_to_is_not_read_as_since():
    (r,) = find_date_ranges("From September 2022 to August 2023 I worked as an assistant")
    assert r.end == date(2023, 8, 31)


def test_single_month_only_when_asked():
    assert find_date_ranges("Consultant, June 2021") == []
    (r,) = find_date_ranges("Consultant, June 2021", singles=True)
    assert r.single and r.start == date(2021, 6, 1) and r.end == date(2021, 6, 30)


def test_no_dates_in_numbers():
    assert find_date_ranges("Managed 1200 users and a budget of 2500000 EUR") == []
    assert find_date_ranges("Phone +43 660 555 0142") == []


def _iv(s, e, frac=1.0, prec="month"):
    return (s, e, frac, prec)


def test_union_counts_overlap_once():
    ivs = [
        _iv(date(2019, 1, 1), date(2022, 12, 31)),
        _iv(date(2020, 6, 1), date(2023, 5, 31)),
    ]
    assert experience_months(ivs, reference_date=REF) == 53  # Jan 2019 - May 2023
    summed = matcher.ExperiencePolicy(overlap="sum")
    assert experience_months(ivs, reference_date=REF, policy=summed) == 48 + 36


def test_open_end_stops_at_reference_date():
    ivs = [_iv(date(2024, 1, 1), None)]
    assert experience_months(ivs, reference_date=date(2024, 12, 15)) == 12
    assert experience_months(ivs, reference_date=date(2025, 7, 31)) == 19


def test_future_months_not_counted():
    ivs = [_iv(date(2025, 1, 1), date(2026, 12, 31))]
    assert experience_months(ivs, reference_date=REF) == 7


def test_part_time_pro_rata_and_policy():
    ivs = [_iv(date(2020, 1, 1), date(2021, 12, 31), 0.5)]
    assert experience_months(ivs, reference_date=REF) == 12
    full = matcher.ExperiencePolicy(part_time="full")
    assert experience_months(ivs, reference_date=REF, policy=full) == 24
    none = matcher.ExperiencePolicy(part_time="exclude")
    assert experience_months(ivs, reference_date=REF, policy=none) == 0


def test_part_time_overlapping_full_time_counts_once():
    ivs = [
        _iv(date(2020, 1, 1), date(2020, 12, 31), 1.0),
        _iv(date(2020, 1, 1), date(2021, 12, 31), 0.5),
    ]
    assert experience_months(ivs, reference_date=REF) == 12 + 6


def test_year_only_policy():
    ivs = [_iv(date(2015, 1, 1), date(2018, 12, 31), 1.0, "year")]
    assert experience_months(ivs, reference_date=REF) == 48
    with pytest.raises(matcher.ConfigError):
        matcher.ExperiencePolicy(year_only_start_month=12, year_only_end_month=1)
    # mid-year to mid-year: a cautious reading of "2015-2018"
    middle = matcher.ExperiencePolicy(year_only_start_month=7, year_only_end_month=7)
    assert experience_months(ivs, reference_date=REF, policy=middle) == 37


def test_policy_validates_options():
    with pytest.raises(matcher.ConfigError, match="union"):
        matcher.ExperiencePolicy(overlap="max")  # type: ignore[arg-type]
    with pytest.raises(matcher.ConfigError, match="pro_rata"):
        matcher.ExperiencePolicy(part_time="half")  # type: ignore[arg-type]
    with pytest.raises(matcher.ConfigError):
        matcher.ExperiencePolicy(year_only_start_month=13)
    p = matcher.ExperiencePolicy()
    assert dataclasses.replace(p, inclusive_end=False).inclusive_end is False


def test_exclusive_end_policy():
    ivs = [_iv(date(2019, 3, 1), date(2019, 6, 30))]
    assert experience_months(ivs, reference_date=REF) == 4
    excl = matcher.ExperiencePolicy(inclusive_end=False)
    assert experience_months(ivs, reference_date=REF, policy=excl) == 3


_months = st.integers(min_value=2000 * 12, max_value=2025 * 12 + 5)


@st.composite
def _interval(draw):
    a, b = sorted((draw(_months), draw(_months)))
    frac = draw(st.sampled_from([1.0, 1.0, 0.5, 0.25]))
    return (date(a // 12, a % 12 + 1, 1), date(b // 12, b % 12 + 1, 28), frac, "month")


@settings(max_examples=60, deadline=None)
@given(st.lists(_interval(), min_size=0, max_size=6))
def test_union_properties(ivs):
    union = experience_months(ivs, reference_date=REF)
    summed = experience_months(
        ivs, reference_date=REF, policy=matcher.ExperiencePolicy(overlap="sum")
    )
    assert 0 <= union <= summed + 1e-9
    assert union == experience_months(list(reversed(ivs)), reference_date=REF)
    if ivs:
        first = min(i[0] for i in ivs)
        last = max(i[1] for i in ivs)
        span = (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1
        assert union <= span


def test_policy_round_trips_and_rejects_unknown_keys():
    p = matcher.ExperiencePolicy(overlap="sum", part_time="full")
    assert matcher.ExperiencePolicy.from_dict(p.to_dict()) == p
    with pytest.raises(matcher.ConfigError, match="valid"):
        matcher.ExperiencePolicy.from_dict({"overlapping": "union"})


def test_position_months_over_a_subset():
    from matcher.features.dates import position_months

    jobs = [
        matcher.Position(
            "Analyst", start=date(2020, 1, 1), end=date(2020, 12, 31), date_precision="month"
        ),
        matcher.Position(
            "Barista", start=date(2021, 1, 1), end=None, ongoing=True, date_precision="month"
        ),
        matcher.Position("Undated"),
    ]
    assert position_months(jobs[:1], reference_date=REF) == 12
    assert position_months(jobs, reference_date=REF) == 12 + 55


def test_comma_between_month_dates_and_us_day_dates():
    (r,) = find_date_ranges("Field Application Specialist 06/2014 , 06/2016 Company Name")
    assert r.label() == "2014-06..2016-06" and r.text == "06/2014 , 06/2016"
    (r,) = find_date_ranges("Supervisor 02/2011 , Current Company Name")
    assert r.ongoing
    (r,) = find_date_ranges("Aug. 11, 2003 thru May 18, 2007 (8 am - 5 pm)")
    assert r.label() == "2003-08..2007-05"
    assert find_date_ranges("awards in 2015, 2016 and 2017") == []


def test_coverage_total_equals_the_sum_of_month_coverage_under_every_policy() -> None:
    """Pool scoring counts months per stretch, not per month: the same totals, any overlap."""
    import random

    from matcher.features.dates import ExperiencePolicy, coverage_total, month_coverage

    rng = random.Random(7)
    for _ in range(3000):
        intervals = []
        for _ in range(rng.randint(0, 6)):
            start = date(rng.randint(1995, 2026), rng.randint(1, 12), 1)
            end = (
                None
                if rng.random() < 0.2
                else date(rng.randint(1995, 2027), rng.randint(1, 12), 28)
            )
            fraction = rng.choice([1.0, 1.0, 0.5, 0.25, 0.6])
            intervals.append((start, end, fraction, rng.choice(["month", "year", "day", None])))
        policy = ExperiencePolicy(
            overlap=rng.choice(["union", "sum"]),
            part_time=rng.choice(["pro_rata", "full", "exclude"]),
            inclusive_end=rng.random() < 0.5,
            count_future=rng.random() < 0.5,
        )
        ref = date(2025, 3, 1)
        expected = sum(month_coverage(intervals, reference_date=ref, policy=policy).values())
        got = coverage_total(intervals, reference_date=ref, policy=policy)
        assert abs(got - expected) < 1e-9, (intervals, policy)

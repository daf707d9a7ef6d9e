"""Date ranges in CVs and the one place where months of experience are counted.

CVs write dates in many ways ("Jan 2019 – present", "03.2017 - 06.2020", "2015–2018", "depuis 2019",
"seit 2018", "сентябрь 2018 – настоящее время"). :func:`find_date_ranges` turns each into a
:class:`DateRange` with the precision the text allows; :func:`experience_months` counts the union of
the intervals (an overlap is counted once) with the rules of one :class:`ExperiencePolicy`, so a
user who counts differently changes one object, not the parser.

    >>> [r.label() for r in find_date_ranges("Officer, Jan 2019 - present; Analyst 2015-2018")]
    ['2019-01..open', '2015-01..2018-12']
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from matcher.errors import ConfigError
from matcher.types import Position

__all__ = [
    "ExperiencePolicy",
    "DateRange",
    "find_date_ranges",
    "experience_months",
    "position_months",
    "month_coverage",
    "coverage_total",
    "MONTHS",
    "MONTH_NAME",
    "YEAR",
    "as_date",
]

Precision = Literal["day", "month", "year"]

# month names and abbreviations (EN, FR, DE, RU nominative/genitive/short, ES, IT) -> month number
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "januar", "jänner", "январь", "января", "янв",
        "enero", "ene", "gennaio", "gen"),
    2: ("february", "feb", "février", "fevrier", "févr", "fevr", "fév", "fev", "februar", "feber",
        "февраль", "февраля", "фев", "febrero", "febbraio"),
    3: ("march", "mar", "mars", "märz", "marz", "maerz", "март", "марта", "мар", "marzo"),
    4: ("april", "apr", "avril", "avr", "апрель", "апреля", "апр", "abril", "abr", "aprile"),
    5: ("may", "mai", "май", "мая", "mayo", "maggio", "mag"),
    6: ("june", "jun", "juin", "juni", "июнь", "июня", "июн", "junio", "giugno", "giu"),
    7: ("july", "jul", "juillet", "juil", "juli", "июль", "июля", "июл", "julio", "luglio", "lug"),
    8: ("august", "aug", "août", "aout", "август", "августа", "авг", "agosto", "ago"),
    9: ("september", "sept", "sep", "septembre", "сентябрь", "сентября", "сен", "сент",
        "septiembre", "settembre", "set"),
    10: ("october", "oct", "octobre", "oktober", "okt", "октябрь", "октября", "окт", "octubre",
         "ottobre", "ott"),
    11: ("november", "nov", "novembre", "ноябрь", "ноября", "ноя", "noviembre"),
    12: ("december", "dec", "décembre", "decembre", "déc", "dezember", "dez", "декабрь", "декабря",
         "дек", "diciembre", "dic", "dicembre"),
}
MONTHS: dict[str, int] = {w: m for m, words in _MONTH_WORDS.items() for w in words}

#: any month name of :data:`MONTHS`, longest first (a regex alternation)
MONTH_NAME = "|".join(sorted((re.escape(w) for w in MONTHS), key=len, reverse=True))
#: a year a CV or a notice can mean (1950-2049), as a regex without a group
YEAR = r"(?:19[5-9]\d|20[0-4]\d)"

def _point_pattern(p: str) -> str:
    """One point in time; group names carry the prefix ``p`` so two points fit in one regex."""
    return (
        r"(?:"
        rf"(?P<{p}d_dmy>\d{{1,2}})(?P<{p}s_dmy>[./-])(?P<{p}m_dmy>\d{{1,2}})(?P={p}s_dmy)"
        rf"(?P<{p}y_dmy>{YEAR})"
        rf"|(?P<{p}y_ymd>{YEAR})-(?P<{p}m_ymd>0[1-9]|1[0-2])-(?P<{p}d_ymd>\d{{2}})"
        rf"|(?P<{p}m_my>0?[1-9]|1[0-2])\s?[./-]\s?(?P<{p}y_my>{YEAR})"
        rf"|(?P<{p}y_ym>{YEAR})[./-](?P<{p}m_ym>0[1-9]|1[0-2])(?![\d./-])"
        rf"|(?:(?P<{p}d_name>\d{{1,2}})\.?\s+)?(?P<{p}mn>{MONTH_NAME})\.?,?\s*"
        rf"(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?"  # "Aug. 11, 2003"
        rf"(?P<{p}y_name>{YEAR}|['’]\d{{2}})"
        rf"|(?P<{p}y_only>{YEAR})"
        r")"
    )


_OPEN_WORDS = (
    r"present|current(?:ly)?|(?:up\s+)?to\s+date|till\s+date|until\s+now|till\s+now|to\s+present"
    r"|now|ongoing|on-going|today|date"
    r"|aujourd['’]hui|à\s+ce\s+jour|a\s+ce\s+jour|ce\s+jour|présent|present|en\s+cours|actuel(?:lement)?"
    r"|heute|jetzt|laufend|derzeit|aktuell|dato"
    r"|(?:по\s+)?настоящее\s+время|(?:по\s+)?н\.\s?в\.?|наст\.\s*время|сейчас|текущее\s+время"
    r"|presente|actualidad|la\s+fecha|oggi|in\s+corso|attuale"
)
_SEP = (
    r"(?:\s*гг?\.?)?\s*"
    r"(?:-{1,2}|–|—|‒|―|to|till|until|through|thru|à|au|a|bis|по|до|al|hasta|→|>|/)\s*:?\s*"
)
_START_WORDS = (
    r"since|from|depuis|dès|seit|ab|с|со|начиная\s+с|desde|dal|dall['’]|a\s+partir\s+de"
)

_RANGE_RE = re.compile(
    rf"(?<![\w/.-])(?:(?:from|du|von|vom|с|со|de|dal)(?::\s*|\s+))?(?P<start>{_point_pattern('a')})"
    rf"(?:{_SEP}(?:(?P<open>{_OPEN_WORDS})|(?P<end>{_point_pattern('b')})))?"
    r"(?![\w/-])",
    re.IGNORECASE,
)

_SINCE_RE = re.compile(
    rf"(?<![\w])(?:{_START_WORDS})\s+(?P<start>{_point_pattern('')})(?![\w/-])(?!{_SEP}(?:{_OPEN_WORDS}|\d|{MONTH_NAME}))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateRange:
    """One interval written in a CV; ``end`` is None when it runs to the present.

    ``start``/``end`` are the first and last day the text allows for (a year-only end is
    31 December).
    ``single`` marks a lone date ("June 2019") that stands for that one month or year.
    """

    start: date
    end: date | None
    ongoing: bool
    precision: Precision
    text: str
    pos: int
    endpos: int
    single: bool = False

    def label(self) -> str:
        end = "open" if self.end is None else f"{self.end.year}-{self.end.month:02d}"
        return f"{self.start.year}-{self.start.month:02d}..{end}"


def _year(text: str) -> int:
    text = text.strip("'’")
    y = int(text)
    if y < 100:
        y += 2000 if y < 50 else 1900
    return y


def _point(m: re.Match[str], prefix: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) from a match of _POINT whose groups carry ``prefix``."""
    g = m.groupdict()

    def get(name: str) -> str | None:
        return g.get(prefix + name)

    if get("y_dmy"):
        a, b, y = int(get("d_dmy") or 0), int(get("m_dmy") or 0), int(get("y_dmy") or 0)
        sep = get("s_dmy")
        # "/" is ambiguous: US month/day unless the first number cannot be a month
        day, month = (b, a) if sep == "/" and a <= 12 and b > 12 else (a, b)
        if sep == "/" and a <= 12 and b <= 12:
            day, month = b, a  # US order: the common case in English resumes
        if not 1 <= month <= 12:
            day, month = month, day
        if not 1 <= month <= 12:
            return None
        return y, month, day
    if get("y_ymd"):
        return int(get("y_ymd") or 0), int(get("m_ymd") or 0), int(get("d_ymd") or 0)
    if get("y_my"):
        return int(get("y_my") or 0), int(get("m_my") or 0), None
    if get("y_ym"):
        return int(get("y_ym") or 0), int(get("m_ym") or 0), None
    if get("mn"):
        named = MONTHS.get((get("mn") or "").lower().rstrip("."))
        if named is None:
            return None
        return _year(get("y_name") or "0"), named, None
    if get("y_only"):
        return int(get("y_only") or 0), None, None
    return None


def _first_day(p: tuple[int, int | None, int | None]) -> date:
    y, m, _ = p
    return date(y, m or 1, 1)


def _last_day(p: tuple[int, int | None, int | None]) -> date:
    y, m, _ = p
    m = m or 12
    return date(y, m, calendar.monthrange(y, m)[1])


def _precision(*points: tuple[int, int | None, int | None] | None) -> Precision:
    ps = [p for p in points if p is not None]
    if any(p[1] is None for p in ps):
        return "year"
    if all(p[2] for p in ps):
        return "day"
    return "month"


_COMMA_RANGE = re.compile(
    r"(\b\d{1,2}/\d{4}) , (?=\d{1,2}/\d{4}\b|current\b|present\b)", re.IGNORECASE
)


def find_date_ranges(
    text: str, *, singles: bool = False, problems: list[str] | None = None
) -> list[DateRange]:
    """Every date interval in ``text``, in order. Open ends ("present", "since 2020") have end None.

    A range that ends before it starts ("04/2017 to 01/2015") is dropped; when ``problems`` is
    given, a note saying so is appended to it.

    With ``singles=True`` a lone date ("June 2019", "2019") is returned as a one-month (or one-year)
    range marked ``single``; by default lone dates are ignored, as most are not intervals.
    """
    # "06/2014 , 06/2016" (a comma between two month dates, as resume builders write): read the
    # comma as a dash; same length, so offsets still point into the original text
    original = text
    text = _COMMA_RANGE.sub(lambda m: m.group(1) + " - ", text)
    found: list[DateRange] = []
    taken: list[tuple[int, int]] = []
    for m in _SINCE_RE.finditer(text):
        p = _point(m, "")
        if p is None:
            continue
        found.append(
            DateRange(_first_day(p), None, True, _precision(p), original[m.start():m.end()],
                      m.start(), m.end())
        )
        taken.append((m.start(), m.end()))
    for m in _RANGE_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        start = _point(m, "a")
        if start is None:
            continue
        if m.group("open"):
            found.append(
                DateRange(_first_day(start), None, True, _precision(start),
                          original[m.start():m.end()],
                          m.start(), m.end())
            )
            continue
        if m.group("end"):
            end = _point(m, "b")
            if end is None:
                continue
            s, e = _first_day(start), _last_day(end)
            if e < s or (e.year - s.year) > 60:
                if problems is not None:
                    problems.append(
                        f"date range '{' '.join(original[m.start():m.end()].split())}' ends "
                        "before it starts or spans over 60 years: ignored"
                    )
                continue
            found.append(DateRange(s, e, False, _precision(start, end),
                                   original[m.start():m.end()], m.start(), m.end()))
            continue
        if singles:
            if start[1] is None and not _plausible_lone_year(text, m.start(), m.end()):
                continue
            found.append(DateRange(_first_day(start), _last_day(start), False, _precision(start),
                                   original[m.start():m.end()], m.start(), m.end(), single=True))
    found.sort(key=lambda r: r.pos)
    return found


def _plausible_lone_year(text: str, start: int, end: int) -> bool:
    """A lone year counts only when it stands apart (own line, or set off by punctuation)."""
    before = text[max(0, start - 2):start]
    after = text[end:end + 2]
    return ("\n" in before or before.strip() in ("", "(", ",", "|")) and (
        "\n" in after or after.strip() in ("", ")", ",", "|", ":")
    )


def as_date(value: date | str | None, *, what: str = "reference_date") -> date | None:
    """A day given as a :class:`~datetime.date` (a ``datetime`` gives its date) or an ISO string
    ("2025-07-31"); None stays None. Anything else is a :class:`~matcher.errors.ConfigError`
    naming ``what`` and the value."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return date.fromisoformat(text)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ][\d:.+\-Z]+", text):
                return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
        raise ConfigError(f"{what} must be a date or an ISO date YYYY-MM-DD, not {value[:40]!r}")
    raise ConfigError(
        f"{what} must be a date or an ISO date YYYY-MM-DD, not {type(value).__name__}"
    )


# --------------------------------------------------------------------------- counting


@dataclass(frozen=True, slots=True)
class ExperiencePolicy:
    """How months of experience are counted; change it with ``dataclasses.replace``.

    - ``overlap``: "union" counts a month worked in two jobs once (the honest default); "sum" adds
      them up, which is what naive tools do and is kept only for comparison.
    - ``part_time``: "pro_rata" weighs a month by the stated fraction (50 % -> half a month),
      "full" counts part-time months fully, "exclude" drops part-time jobs.
    - ``year_only_start_month`` / ``year_only_end_month``: where a year-only date starts or ends
      ("2015–2018" is Jan 2015 – Dec 2018 by default, and flagged as imprecise).
    - ``inclusive_end``: a job from March to June counts 4 months (both months worked).
    - ``count_future``: months after the reference date are never counted unless this is True.
    """

    overlap: Literal["union", "sum"] = "union"
    part_time: Literal["pro_rata", "full", "exclude"] = "pro_rata"
    year_only_start_month: int = 1
    year_only_end_month: int = 12
    inclusive_end: bool = True
    count_future: bool = False

    def __post_init__(self) -> None:
        if self.overlap not in ("union", "sum"):
            raise ConfigError(f"overlap must be one of 'union', 'sum', not {self.overlap!r}")
        if self.part_time not in ("pro_rata", "full", "exclude"):
            raise ConfigError(
                f"part_time must be one of 'pro_rata', 'full', 'exclude', not {self.part_time!r}"
            )
        for name in ("year_only_start_month", "year_only_end_month"):
            if not 1 <= getattr(self, name) <= 12:
                raise ConfigError(f"{name} must be a month number 1-12")
        if self.year_only_start_month > self.year_only_end_month:
            raise ConfigError("year_only_start_month must not be after year_only_end_month")

    def to_dict(self) -> dict[str, object]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ExperiencePolicy:
        """Build from a dict (e.g. JSON config); unknown keys are an error naming the valid ones."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ConfigError(
                f"unknown ExperiencePolicy option(s) {sorted(unknown)}; valid: "
                f"{sorted(cls.__dataclass_fields__)}"
            )
        return cls(**data)  # type: ignore[arg-type]


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def month_coverage(
    intervals: Iterable[tuple[date, date | None, float, Precision | None]],
    *,
    reference_date: date | None = None,
    policy: ExperiencePolicy | None = None,
) -> dict[int, float]:
    """Month index (year*12 + month-1) -> fraction worked, under ``policy``.

    Each interval is (start, end or None for ongoing, part-time fraction, precision).
    """
    policy = policy or ExperiencePolicy()
    months: dict[int, float] = {}
    for s, e, weight in _month_spans(intervals, reference_date, policy):
        for i in range(s, e + 1):
            if policy.overlap == "sum":
                months[i] = months.get(i, 0.0) + weight
            else:
                months[i] = max(months.get(i, 0.0), weight)
    return months


def coverage_total(
    intervals: Iterable[tuple[date, date | None, float, Precision | None]],
    *,
    reference_date: date | None = None,
    policy: ExperiencePolicy | None = None,
) -> float:
    """``sum(month_coverage(...).values())`` without a dict of months: per stretch between
    interval boundaries rather than per month (pool scoring asks this for every pair)."""
    policy = policy or ExperiencePolicy()
    spans = list(_month_spans(intervals, reference_date, policy))
    if policy.overlap == "sum":
        return float(sum((e - s + 1) * w for s, e, w in spans if e >= s))
    bounds = sorted({s for s, e, _ in spans if e >= s} | {e + 1 for s, e, _ in spans if e >= s})
    total = 0.0
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        top = max((w for s, e, w in spans if s <= lo and hi - 1 <= e), default=0.0)
        total += (hi - lo) * top
    return total


def _month_spans(
    intervals: Iterable[tuple[date, date | None, float, Precision | None]],
    reference_date: date | None,
    policy: ExperiencePolicy,
) -> Iterator[tuple[int, int, float]]:
    """(first month index, last month index, weight) of each interval counted under ``policy``."""
    ref_idx = _month_index(reference_date or date.today())
    for start, end, fraction, precision in intervals:
        if fraction < 1.0 and policy.part_time == "exclude":
            continue
        weight = fraction if policy.part_time == "pro_rata" else 1.0
        weight = min(max(weight, 0.0), 1.0)
        s = _month_index(start)
        e = ref_idx if end is None else _month_index(end)
        if precision == "year":
            s = start.year * 12 + policy.year_only_start_month - 1
            if end is not None and end.month == 12:
                e = end.year * 12 + policy.year_only_end_month - 1
        if not policy.inclusive_end and e > s:
            e -= 1
        if not policy.count_future:
            e = min(e, ref_idx)
        yield s, e, weight


def position_months(
    positions: Iterable[Position],
    *,
    reference_date: date | None = None,
    policy: ExperiencePolicy | None = None,
) -> int:
    """Months of experience over some positions (e.g. only the relevant ones); undated ones are
    skipped, so check ``p.start is None`` first when "unknown" must differ from "none"."""
    return experience_months(
        [(p.start, p.end, p.part_time_fraction, p.date_precision) for p in positions if p.start],
        reference_date=reference_date,
        policy=policy,
    )


def experience_months(
    intervals: Iterable[tuple[date, date | None, float, Precision | None]],
    *,
    reference_date: date | None = None,
    policy: ExperiencePolicy | None = None,
) -> int:
    """Months of experience: the union of the intervals, open ends at ``reference_date``.

    >>> experience_months([(date(2019, 1, 1), date(2019, 12, 31), 1.0, "month"),
    ...                    (date(2019, 7, 1), date(2020, 6, 30), 0.5, "month")],
    ...                   reference_date=date(2025, 1, 1))
    15
    """
    cov = month_coverage(intervals, reference_date=reference_date, policy=policy)
    return int(round(sum(cov.values())))

"""Dates as reporting gives them: to a day, a month, a year, or only as an interval.

A `FuzzyDate` is an inclusive interval `start`..`end` with the precision it was written to.
`FuzzyDate.parse` reads the forms below. Case does not matter, runs of spaces count as one,
month names may be full ("September"), three letters ("Sep", "Sep.") or "Sept."/"Sept", and a
day may carry an ordinal suffix ("3rd"). ISO months and days may have one digit ("2019-9-3").

Absolute forms (precision in brackets):

- `2019-09-03`, `September 3, 2019`, `Sept. 3, 2019`, `3 September 2019`,
  `on September 3, 2019` (day)
- `2019-09`, `February 2021`, `in February 2021` (month)
- `2019`, `in 2016` (year)
- `2021-02-13/2022-06-27`, `2019-09/2019-10`, `2019/2020` (range from the start of the first
  date to the end of the second; each end may be any absolute form above)

Relative forms need `reference=`, the source's publication date. They keep the phrase in
`written`. When the reference is itself uncertain (a month, a range), the phrase is resolved
against its first and its last day and the result spans both readings: a range, unless they
agree ("last year" in a September article). A reading that is impossible ("since May 2019" on
the first day of a 2019 reference) is left out.

- `today`, `yesterday`, `the day before`, `the previous day` (day)
- `a day earlier`, `N days earlier`, `N days ago`, `N days before`, and the same with weeks
  (`two weeks ago`); N is digits, "a"/"an" or a word from one to thirty (day)
- `last week`: Monday to Sunday of the week before the reference's (range)
- `last month` (month), `last year`, `this year` (year)
- `earlier this year`: 1 January to the reference (range)
- `recent months`, `in recent months`: six months before the reference to the reference (range)
- `since 2019`, `since March 2019`, `since` + any other form: from its start to the reference
  (range)
- `April`, `in April`: the April nearest the reference, counted in months; a tie (six months
  either way) goes to the past (month)
- `September 3`, `on September 3`, `3 September`: the nearest such day; a tie goes to the past
  (day)

Dates that do not exist ("2021-02-30", "2019-02-29"), a range that ends before it starts,
a relative form without a reference and unknown phrasing raise `DateError`.
"""

from __future__ import annotations

import calendar
import datetime
import enum
import re
from collections.abc import Callable

import attrs

from claimtrack._numbers import MAX_PHRASE
from claimtrack.errors import DateError, InputTypeError

__all__ = ["FuzzyDate", "Precision"]


class Precision(enum.StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"


_NEEDS_REFERENCE = "relative date needs the source's publication date"


@attrs.frozen(order=False)
class FuzzyDate:
    """A date known to a day, a month or a year, or only as the interval ``start``..``end``.

    Both bounds are inclusive. A DAY covers one day, a MONTH one calendar month, a YEAR one
    calendar year; a RANGE any interval. ``written`` is the phrase as written when the date was
    relative ("last year"), ``None`` otherwise.
    """

    start: datetime.date
    end: datetime.date
    precision: Precision = attrs.field(converter=Precision)
    written: str | None = None

    def __attrs_post_init__(self) -> None:
        for bound in (self.start, self.end):
            if not isinstance(bound, datetime.date) or isinstance(bound, datetime.datetime):
                raise TypeError(f"FuzzyDate bounds are datetime.date, not {type(bound).__name__}")
        if self.end < self.start:
            raise DateError(f"{self.start}/{self.end}", _backwards(self.start, self.end))
        if self.precision != Precision.RANGE and (self.start, self.end) != _span(
            self.start, self.precision
        ):
            raise DateError(
                f"{self.start}/{self.end}",
                f"a {self.precision} date must cover exactly one calendar {self.precision}",
            )

    @classmethod
    def day(cls, d: datetime.date) -> FuzzyDate:
        """The single day ``d``."""
        return cls(d, d, Precision.DAY)

    @classmethod
    def month(cls, year: int, month: int) -> FuzzyDate:
        """The calendar month ``month`` (1-12) of ``year``."""
        first = _ymd(year, month, 1)
        return cls(*_span(first, Precision.MONTH), Precision.MONTH)

    @classmethod
    def year(cls, year: int) -> FuzzyDate:
        """The calendar year ``year``."""
        return cls(*_span(_ymd(year, 1, 1), Precision.YEAR), Precision.YEAR)

    @classmethod
    def between(cls, start: datetime.date, end: datetime.date) -> FuzzyDate:
        """The RANGE from ``start`` to ``end``, both inclusive."""
        return cls(start, end, Precision.RANGE)

    @classmethod
    def parse(cls, text: str, *, reference: FuzzyDate | None = None) -> FuzzyDate:
        """Read ``text`` in one of the forms listed in the module docstring.

        ``reference`` is the source's publication date; relative forms need it.
        Raises :class:`DateError` naming what is wrong.
        """
        if not isinstance(text, str):
            raise InputTypeError.of(
                "FuzzyDate.parse", "a str (use FuzzyDate.day for a datetime.date)", text
            )
        if reference is not None and not isinstance(reference, FuzzyDate):
            raise InputTypeError.of("FuzzyDate.parse", "a FuzzyDate as reference=", reference)
        if len(text) > MAX_PHRASE:
            raise DateError(
                text, f"the phrase is {len(text):,} characters long; at most {MAX_PHRASE} are read"
            )
        phrase = " ".join(text.split())
        try:
            if not phrase:
                raise DateError(text, "the date is empty")
            found, relative = _read(phrase, reference)
        except DateError as error:
            raise DateError(text, error.reason) from None
        return attrs.evolve(found, written=text.strip()) if relative else found

    def iso(self) -> str:
        """ISO 8601: ``2021-02-13``, ``2021-02``, ``2019`` or ``start/end`` for a RANGE.

        A RANGE of whole years prints as ``2019/2020`` and one of whole months as
        ``2019-09/2019-10``. ``FuzzyDate.parse(d.iso())`` gives ``d`` back, without ``written``.
        """
        if self.precision == Precision.DAY:
            return self.start.isoformat()
        if self.precision == Precision.MONTH:
            return self.start.isoformat()[:7]
        if self.precision == Precision.YEAR:
            return self.start.isoformat()[:4]
        for precision, width in ((Precision.YEAR, 4), (Precision.MONTH, 7)):
            first, last = _span(self.start, precision)[0], _span(self.end, precision)[1]
            if (first, last) == (self.start, self.end):
                return f"{self.start.isoformat()[:width]}/{self.end.isoformat()[:width]}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def __str__(self) -> str:
        return self.iso() if self.written is None else f'{self.iso()} ("{self.written}")'

    def overlaps(self, other: FuzzyDate) -> bool:
        """Whether the two intervals share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: FuzzyDate) -> bool:
        """Whether every day of ``other`` lies within this interval."""
        return self.start <= other.start and other.end <= self.end

    def shift(self, days: int) -> FuzzyDate:
        """The interval moved by ``days`` (negative: earlier).

        A DAY stays a DAY; anything else becomes a RANGE (a month moved by three days is no
        longer a calendar month) unless ``days`` is 0. ``written`` is dropped: the phrase no
        longer describes the result.
        """
        if days == 0:
            return attrs.evolve(self, written=None)
        try:
            start, end = _plus(self.start, days), _plus(self.end, days)
        except DateError as error:
            raise DateError(self.iso(), error.reason) from None
        if self.precision == Precision.DAY:
            return FuzzyDate.day(start)
        return FuzzyDate.between(start, end)

    @property
    def midpoint(self) -> datetime.date:
        """The middle day of the interval (the earlier of the two middle days when even)."""
        return self.start + (self.end - self.start) // 2

    def days_to(self, other: FuzzyDate) -> tuple[int, int]:
        """The fewest and most days from a day of this interval to a day of ``other``.

        Signed: positive when ``other`` is later. ``(0, 0)`` only for the same single day.
        """
        return (other.start - self.end).days, (other.end - self.start).days


# --- calendar helpers ----------------------------------------------------------------------

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTHS: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(_MONTH_NAMES, 1)},
    **{name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, 1)},
    "sept": 9,
}
_SMALL = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty",
)  # fmt: skip
_NUMBERS: dict[str, int] = {
    "a": 1,
    "an": 1,
    **{word: n for n, word in enumerate(_SMALL, 1)},
    **{f"twenty-{word}": 20 + n for n, word in enumerate(_SMALL[:9], 1)},
    "thirty": 30,
}
#: Days back from the reference for the fixed relative phrases.
_FIXED: dict[str, int] = {"today": 0, "yesterday": 1, "the day before": 1, "the previous day": 1}


def _ymd(year: int, month: int, day: int) -> datetime.date:
    """``datetime.date(year, month, day)``, or a DateError saying why that day does not exist."""
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if not 1 <= year <= 9999:
        raise DateError(text, f"year {year} is outside the calendar, which runs from 1 to 9999")
    if not 1 <= month <= 12:
        raise DateError(text, f"there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        reason = f"{_MONTH_NAMES[month - 1]} {year} has {last} days"
        if month == 2 and day == 29:
            reason += f"; {year} is not a leap year"
        raise DateError(text, reason)
    return datetime.date(year, month, day)


def _span(d: datetime.date, precision: Precision) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the calendar day, month or year holding ``d``."""
    if precision == Precision.YEAR:
        return d.replace(month=1, day=1), d.replace(month=12, day=31)
    if precision == Precision.MONTH:
        return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])
    return d, d


def _plus(d: datetime.date, days: int) -> datetime.date:
    try:
        return d + datetime.timedelta(days=days)
    except OverflowError:
        raise DateError(
            d.isoformat(),
            f"{days:+d} days from {d} is outside the calendar, which runs from 1 to 9999",
        ) from None


def _add_months(d: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months away, clamped to the end of a shorter month."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    first = _ymd(year, month0 + 1, 1)
    return first.replace(day=min(d.day, _span(first, Precision.MONTH)[1].day))


def _backwards(start: datetime.date, end: datetime.date) -> str:
    return f"the range ends on {end}, before it starts on {start}"


def _month_number(word: str) -> int:
    try:
        return _MONTHS[word.lower().rstrip(".")]
    except KeyError:
        raise DateError(word, f"unknown month name {word!r}") from None


def _count(word: str) -> int:
    if word.isdigit():
        return int(word)
    try:
        return _NUMBERS[word.lower().replace(" ", "-")]
    except KeyError:
        raise DateError(
            word, f"unknown number {word!r}; write digits or a word from one to thirty"
        ) from None


def _unknown(phrase: str) -> DateError:
    return DateError(
        phrase,
        f"unknown date phrase {phrase!r}; write e.g. '2019-09-03', 'September 3, 2019',"
        " 'in April' or 'last year'",
    )


# --- absolute forms ------------------------------------------------------------------------

_Absolute = Callable[[re.Match[str]], FuzzyDate]
_Relative = Callable[[re.Match[str], datetime.date], FuzzyDate]

_PARTS = {
    "{MON}": r"(?P<mon>[a-z]+\.?)",
    "{DAY}": r"(?P<d>\d{1,2})(?:st|nd|rd|th)?",
    "{YEAR}": r"(?P<y>\d{4})",
}


def _compile(pattern: str) -> re.Pattern[str]:
    for part, regex in _PARTS.items():
        pattern = pattern.replace(part, regex)
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


def _written_day(m: re.Match[str]) -> FuzzyDate:
    return FuzzyDate.day(_ymd(int(m["y"]), _month_number(m["mon"]), int(m["d"])))


_ABSOLUTE: tuple[tuple[re.Pattern[str], _Absolute], ...] = tuple(
    (_compile(pattern), rule)
    for pattern, rule in (
        (
            r"{YEAR}-(?P<m>\d{1,2})-(?P<d>\d{1,2})",
            lambda m: FuzzyDate.day(_ymd(int(m["y"]), int(m["m"]), int(m["d"]))),
        ),
        (r"{YEAR}-(?P<m>\d{1,2})", lambda m: FuzzyDate.month(int(m["y"]), int(m["m"]))),
        (r"(?:in )?{YEAR}", lambda m: FuzzyDate.year(int(m["y"]))),
        (r"(?:on )?{MON} {DAY},? {YEAR}", _written_day),
        (r"(?:on )?{DAY} {MON},? {YEAR}", _written_day),
        (
            r"(?:in )?{MON},? {YEAR}",
            lambda m: FuzzyDate.month(int(m["y"]), _month_number(m["mon"])),
        ),
    )
)


def _absolute(phrase: str) -> FuzzyDate | None:
    """The absolute date ``phrase`` names, or None when it is in no absolute form."""
    for pattern, rule in _ABSOLUTE:
        if m := pattern.fullmatch(phrase):
            return rule(m)
    first, slash, last = phrase.partition("/")
    if not slash or "/" in last:
        return None
    ends: list[FuzzyDate] = []
    for side in (first.strip(), last.strip()):
        found = _absolute(side)
        if found is None:
            raise DateError(
                phrase,
                f"each end of a range must be an absolute date such as '2019-09-03', '2019-09'"
                f" or '2019', not {side!r}",
            )
        ends.append(found)
    if ends[1].end < ends[0].start:
        raise DateError(phrase, _backwards(ends[0].start, ends[1].end))
    return FuzzyDate.between(ends[0].start, ends[1].end)


# --- relative forms ------------------------------------------------------------------------


def _nearest_month(m: re.Match[str], ref: datetime.date) -> FuzzyDate:
    month = _month_number(m["mon"])
    here = ref.year * 12 + ref.month - 1
    found = min(
        (i for i in range(here - 11, here + 12) if i % 12 == month - 1 and 1 <= i // 12 <= 9999),
        key=lambda i: (abs(i - here), i > here),
    )
    return FuzzyDate.month(found // 12, month)


def _nearest_day(m: re.Match[str], ref: datetime.date) -> FuzzyDate:
    month, day = _month_number(m["mon"]), int(m["d"])
    most = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    if not 1 <= day <= most:
        at_most = "at most " if month == 2 else ""
        raise DateError(m[0], f"{_MONTH_NAMES[month - 1]} has {at_most}{most} days")
    # Four years either way always holds a 29 February, even across 1900 or 2100.
    found = min(
        (
            datetime.date(year, month, day)
            for year in range(max(1, ref.year - 4), min(9999, ref.year + 4) + 1)
            if day <= calendar.monthrange(year, month)[1]
        ),
        key=lambda d: (abs((d - ref).days), d > ref),
    )
    return FuzzyDate.day(found)


def _days_back(m: re.Match[str], ref: datetime.date) -> FuzzyDate:
    per = 7 if m["unit"].lower() == "week" else 1
    return FuzzyDate.day(_plus(ref, -per * _count(m["n"])))


def _last_week(m: re.Match[str], ref: datetime.date) -> FuzzyDate:
    monday = _plus(ref, -ref.weekday())
    return FuzzyDate.between(_plus(monday, -7), _plus(monday, -1))


def _last_month(m: re.Match[str], ref: datetime.date) -> FuzzyDate:
    before = _add_months(ref, -1)
    return FuzzyDate.month(before.year, before.month)


def _since(m: re.Match[str], ref: datetime.date) -> FuzzyDate:
    since, _ = _read(m["rest"], FuzzyDate.day(ref))
    if ref < since.start:
        raise DateError(m[0], f"{since.iso()} is after the publication date {ref}")
    return FuzzyDate.between(since.start, ref)


_RELATIVE: tuple[tuple[re.Pattern[str], _Relative], ...] = tuple(
    (_compile(pattern), rule)
    for pattern, rule in (
        ("|".join(_FIXED), lambda m, ref: FuzzyDate.day(_plus(ref, -_FIXED[m[0].lower()]))),
        (
            r"(?P<n>\d{1,6}|[a-z]+(?:[- ][a-z]+)?) (?P<unit>day|week)s? (?:earlier|ago|before)",
            _days_back,
        ),
        ("last week", _last_week),
        ("last month", _last_month),
        ("last year", lambda m, ref: FuzzyDate.year(ref.year - 1)),
        ("this year", lambda m, ref: FuzzyDate.year(ref.year)),
        ("earlier this year", lambda m, ref: FuzzyDate.between(ref.replace(month=1, day=1), ref)),
        (
            "(?:in )?recent months",
            lambda m, ref: FuzzyDate.between(_add_months(ref, -6), ref),
        ),
        ("since (?P<rest>.+)", _since),
        ("(?:on )?{MON} {DAY}", _nearest_day),
        ("(?:on )?{DAY} {MON}", _nearest_day),
        ("in {MON}", _nearest_month),
        ("(?P<mon>" + "|".join(_MONTHS) + r")\.?", _nearest_month),
    )
)


def _resolve(rule: _Relative, m: re.Match[str], reference: FuzzyDate) -> FuzzyDate:
    """``rule`` applied to the reference's first and last day; the span of both results.

    A reference day for which the phrase is impossible ("since 2020" on 2019-12-31) is left
    out; when it is impossible for both, that error is raised.
    """
    found: list[FuzzyDate] = []
    errors: list[DateError] = []
    for ref in sorted({reference.start, reference.end}):
        try:
            found.append(rule(m, ref))
        except DateError as error:
            errors.append(error)
    if not found:
        raise errors[0]
    if found[0] == found[-1]:
        return found[0]
    return FuzzyDate.between(min(f.start for f in found), max(f.end for f in found))


def _read(phrase: str, reference: FuzzyDate | None) -> tuple[FuzzyDate, bool]:
    """The date ``phrase`` (whitespace-normalised) names, and whether it was relative."""
    for pattern, rule in _RELATIVE:
        if m := pattern.fullmatch(phrase):
            if reference is None:
                raise DateError(phrase, _NEEDS_REFERENCE)
            return _resolve(rule, m, reference), True
    found = _absolute(phrase)
    if found is None:
        raise _unknown(phrase)
    return found, False

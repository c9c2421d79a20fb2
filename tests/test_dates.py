from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.dates import FuzzyDate, Precision
from claimtrack.errors import DateError

D = dt.date
DAY, MONTH, YEAR, RANGE = Precision.DAY, Precision.MONTH, Precision.YEAR, Precision.RANGE
#: A Tuesday.
REF = FuzzyDate.day(D(2019, 9, 3))


# --- absolute forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2019-09-03", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("2019-09", D(2019, 9, 1), D(2019, 9, 30), MONTH),
        ("2019", D(2019, 1, 1), D(2019, 12, 31), YEAR),
        ("2021-02-13/2022-06-27", D(2021, 2, 13), D(2022, 6, 27), RANGE),
        ("2019-09/2019-10", D(2019, 9, 1), D(2019, 10, 31), RANGE),
        ("2019/2020", D(2019, 1, 1), D(2020, 12, 31), RANGE),
        ("2019 / 2020-03", D(2019, 1, 1), D(2020, 3, 31), RANGE),
        ("2019-09-03/2019-09-03", D(2019, 9, 3), D(2019, 9, 3), RANGE),
        ("September 3, 2019", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("3 September 2019", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("Sept. 3, 2019", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("Sep 3 2019", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("sept 3rd, 2019", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("on September 3, 2019", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("on 3 September 2019", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("February 2021", D(2021, 2, 1), D(2021, 2, 28), MONTH),
        ("in February 2021", D(2021, 2, 1), D(2021, 2, 28), MONTH),
        ("Feb. 2020", D(2020, 2, 1), D(2020, 2, 29), MONTH),
        ("December 2011", D(2011, 12, 1), D(2011, 12, 31), MONTH),
        ("in 2016", D(2016, 1, 1), D(2016, 12, 31), YEAR),
        ("  IN   DECEMBER   2011 ", D(2011, 12, 1), D(2011, 12, 31), MONTH),
        ("2019-9-3", D(2019, 9, 3), D(2019, 9, 3), DAY),
    ],
)
def test_parse_absolute(text: str, start: D, end: D, precision: Precision) -> None:
    assert FuzzyDate(start, end, precision) == FuzzyDate.parse(text)


def test_absolute_forms_ignore_the_reference() -> None:
    assert FuzzyDate.month(2021, 2) == FuzzyDate.parse("February 2021", reference=REF)


@pytest.mark.parametrize(
    ("name", "month"),
    [("January", 1), ("jan", 1), ("Jan.", 1), ("MAY", 5), ("Sept.", 9), ("sept", 9), ("Sep", 9)],
)
def test_month_names(name: str, month: int) -> None:
    assert FuzzyDate.month(2020, month) == FuzzyDate.parse(f"{name} 2020")


# --- relative forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("today", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("yesterday", D(2019, 9, 2), D(2019, 9, 2), DAY),
        ("a day earlier", D(2019, 9, 2), D(2019, 9, 2), DAY),
        ("the day before", D(2019, 9, 2), D(2019, 9, 2), DAY),
        ("the previous day", D(2019, 9, 2), D(2019, 9, 2), DAY),
        ("3 days earlier", D(2019, 8, 31), D(2019, 8, 31), DAY),
        ("three days earlier", D(2019, 8, 31), D(2019, 8, 31), DAY),
        ("10 days ago", D(2019, 8, 24), D(2019, 8, 24), DAY),
        ("ten days ago", D(2019, 8, 24), D(2019, 8, 24), DAY),
        ("twenty-one days ago", D(2019, 8, 13), D(2019, 8, 13), DAY),
        ("twenty one days ago", D(2019, 8, 13), D(2019, 8, 13), DAY),
        ("thirty days ago", D(2019, 8, 4), D(2019, 8, 4), DAY),
        ("two days before", D(2019, 9, 1), D(2019, 9, 1), DAY),
        ("a week ago", D(2019, 8, 27), D(2019, 8, 27), DAY),
        ("2 weeks earlier", D(2019, 8, 20), D(2019, 8, 20), DAY),
        ("last week", D(2019, 8, 26), D(2019, 9, 1), RANGE),
        ("last month", D(2019, 8, 1), D(2019, 8, 31), MONTH),
        ("last year", D(2018, 1, 1), D(2018, 12, 31), YEAR),
        ("this year", D(2019, 1, 1), D(2019, 12, 31), YEAR),
        ("earlier this year", D(2019, 1, 1), D(2019, 9, 3), RANGE),
        ("in recent months", D(2019, 3, 3), D(2019, 9, 3), RANGE),
        ("recent months", D(2019, 3, 3), D(2019, 9, 3), RANGE),
        ("since 2016", D(2016, 1, 1), D(2019, 9, 3), RANGE),
        ("since March 2019", D(2019, 3, 1), D(2019, 9, 3), RANGE),
        ("since last year", D(2018, 1, 1), D(2019, 9, 3), RANGE),
        ("in April", D(2019, 4, 1), D(2019, 4, 30), MONTH),
        ("April", D(2019, 4, 1), D(2019, 4, 30), MONTH),
        ("in Sept.", D(2019, 9, 1), D(2019, 9, 30), MONTH),
        ("in December", D(2019, 12, 1), D(2019, 12, 31), MONTH),
        ("September 3", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("on September 3", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("3 September", D(2019, 9, 3), D(2019, 9, 3), DAY),
        ("September 11", D(2019, 9, 11), D(2019, 9, 11), DAY),
        ("Aug. 30th", D(2019, 8, 30), D(2019, 8, 30), DAY),
        ("  Last   Year ", D(2018, 1, 1), D(2018, 12, 31), YEAR),
    ],
)
def test_parse_relative(text: str, start: D, end: D, precision: Precision) -> None:
    assert FuzzyDate(start, end, precision, text.strip()) == FuzzyDate.parse(text, reference=REF)


def test_last_week_on_a_monday_and_a_sunday() -> None:
    """The previous Monday–Sunday week, whatever day of the week the article is from."""
    monday = FuzzyDate.parse("last week", reference=FuzzyDate.day(D(2019, 9, 2)))
    sunday = FuzzyDate.parse("last week", reference=FuzzyDate.day(D(2019, 9, 8)))
    assert (D(2019, 8, 26), D(2019, 9, 1)) == (monday.start, monday.end)
    assert (D(2019, 8, 26), D(2019, 9, 1)) == (sunday.start, sunday.end)


def test_last_month_and_recent_months_across_year_and_month_ends() -> None:
    jan = FuzzyDate.day(D(2020, 1, 15))
    assert FuzzyDate.month(2019, 12) == attrs.evolve(
        FuzzyDate.parse("last month", reference=jan), written=None
    )
    recent = FuzzyDate.parse("recent months", reference=FuzzyDate.day(D(2019, 8, 31)))
    assert (D(2019, 2, 28), D(2019, 8, 31)) == (recent.start, recent.end)


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("in April", D(2019, 9, 3), "2019-04"),
        ("in December", D(2020, 1, 5), "2019-12"),
        ("in January", D(2019, 12, 20), "2020-01"),
        ("in September", D(2019, 9, 3), "2019-09"),
        ("in March", D(2019, 9, 30), "2019-03"),  # six months either way: the past wins
        ("in March", D(2019, 10, 1), "2020-03"),
        ("September 11", D(2019, 9, 3), "2019-09-11"),
        ("December 31", D(2020, 1, 2), "2019-12-31"),
        ("1 January", D(2019, 12, 30), "2020-01-01"),
        ("February 29", D(2019, 9, 3), "2020-02-29"),
        ("February 29", D(2022, 1, 1), "2020-02-29"),
        ("February 29", D(2022, 9, 1), "2024-02-29"),
        ("February 29", D(1900, 6, 1), "1904-02-29"),
    ],
)
def test_nearest_occurrence(text: str, reference: D, expected: str) -> None:
    assert expected == FuzzyDate.parse(text, reference=FuzzyDate.day(reference)).iso()


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("yesterday", "2019-09-01/2019-09-10", "2019-08-31/2019-09-09"),
        ("yesterday", "2019-09", "2019-08-31/2019-09-29"),
        ("last year", "2019-09/2019-10", "2018"),
        ("last year", "2019-12-30/2020-01-02", "2018/2019"),
        ("last month", "2019-09-20/2019-10-10", "2019-08/2019-09"),
        ("in March", "2019-09-15/2019-10-15", "2019-03/2020-03"),
        ("since 2016", "2019", "2016/2019"),
        ("since May 2019", "2019", "2019-05/2019-12"),  # impossible before May: left out
        ("earlier this year", "2019-09", "2019-01/2019-09"),
        ("this year", "2019-12-30/2020-01-02", "2019/2020"),
    ],
)
def test_range_reference_gives_the_union(text: str, reference: str, expected: str) -> None:
    found = FuzzyDate.parse(text, reference=FuzzyDate.parse(reference))
    assert (expected, text) == (found.iso(), found.written)


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-02-30", "cannot read '2021-02-30' as a date (February 2021 has 28 days)"),
        (
            "2019-02-29",
            "cannot read '2019-02-29' as a date"
            " (February 2019 has 28 days; 2019 is not a leap year)",
        ),
        (
            "February 29, 2100",
            "cannot read 'February 29, 2100' as a date"
            " (February 2100 has 28 days; 2100 is not a leap year)",
        ),
        ("31 April 2019", "cannot read '31 April 2019' as a date (April 2019 has 30 days)"),
        ("2019-09-00", "cannot read '2019-09-00' as a date (September 2019 has 30 days)"),
        ("2019-13", "cannot read '2019-13' as a date (there is no month 13)"),
        (
            "0000",
            "cannot read '0000' as a date"
            " (year 0 is outside the calendar, which runs from 1 to 9999)",
        ),
        (
            "2020/2019",
            "cannot read '2020/2019' as a date"
            " (the range ends on 2019-12-31, before it starts on 2020-01-01)",
        ),
        (
            "2019-09-03/2019-09-02",
            "cannot read '2019-09-03/2019-09-02' as a date"
            " (the range ends on 2019-09-02, before it starts on 2019-09-03)",
        ),
        (
            "2019-02-29/2020",
            "cannot read '2019-02-29/2020' as a date"
            " (February 2019 has 28 days; 2019 is not a leap year)",
        ),
        (
            "yesterday",
            "cannot read 'yesterday' as a date (relative date needs the source's publication date)",
        ),
        (
            "in April",
            "cannot read 'in April' as a date (relative date needs the source's publication date)",
        ),
        (
            "next Tuesday",
            "cannot read 'next Tuesday' as a date (unknown date phrase 'next Tuesday'; write e.g."
            " '2019-09-03', 'September 3, 2019', 'in April' or 'last year')",
        ),
        ("in Aprill 2019", "cannot read 'in Aprill 2019' as a date (unknown month name 'Aprill')"),
        ("", "cannot read '' as a date (the date is empty)"),
        (
            "2019/yesterday",
            "cannot read '2019/yesterday' as a date (each end of a range must be an absolute date"
            " such as '2019-09-03', '2019-09' or '2019', not 'yesterday')",
        ),
    ],
)
def test_error_messages(text: str, message: str) -> None:
    with pytest.raises(DateError) as info:
        FuzzyDate.parse(text)
    assert message == str(info.value)
    assert (text, message) == (
        info.value.text,
        f"cannot read {text!r} as a date ({info.value.reason})",
    )


@pytest.mark.parametrize(
    ("text", "reference", "reason"),
    [
        ("September 31", "2019-09-03", "September has 30 days"),
        ("February 30", "2019-09-03", "February has at most 29 days"),
        (
            "forty days ago",
            "2019-09-03",
            "unknown number 'forty'; write digits or a word from one to thirty",
        ),
        ("in Aprill", "2019-09-03", "unknown month name 'Aprill'"),
        ("since 2020", "2019-09-03", "2020 is after the publication date 2019-09-03"),
        ("last year", "0001-06-01", "year 0 is outside the calendar, which runs from 1 to 9999"),
        (
            "yesterday",
            "0001-01-01",
            "-1 days from 0001-01-01 is outside the calendar, which runs from 1 to 9999",
        ),
        (
            "999999 weeks ago",
            "2019-09-03",
            "-6999993 days from 2019-09-03 is outside the calendar, which runs from 1 to 9999",
        ),
    ],
)
def test_relative_error_reasons(text: str, reference: str, reason: str) -> None:
    with pytest.raises(DateError) as info:
        FuzzyDate.parse(text, reference=FuzzyDate.parse(reference))
    assert (text, reason) == (info.value.text, info.value.reason)


def test_parse_takes_only_str() -> None:
    with pytest.raises(TypeError, match=r"FuzzyDate\.day"):
        FuzzyDate.parse(D(2019, 9, 3))  # type: ignore[arg-type]


def test_constructor_checks_its_invariants() -> None:
    with pytest.raises(DateError, match="ends on 2019-09-02, before it starts on 2019-09-03"):
        FuzzyDate.between(D(2019, 9, 3), D(2019, 9, 2))
    with pytest.raises(DateError, match="a month date must cover exactly one calendar month"):
        FuzzyDate(D(2019, 9, 2), D(2019, 9, 30), MONTH)
    with pytest.raises(DateError, match="a day date must cover exactly one calendar day"):
        FuzzyDate(D(2019, 9, 2), D(2019, 9, 3), DAY)
    with pytest.raises(TypeError, match="not datetime"):
        FuzzyDate.day(dt.datetime(2019, 9, 3, 12, 0))
    with pytest.raises(DateError, match="there is no month 13"):
        FuzzyDate.month(2019, 13)
    assert FuzzyDate.year(2019) == FuzzyDate(D(2019, 1, 1), D(2019, 12, 31), "year")


def test_errors_and_dates_pickle() -> None:
    with pytest.raises(DateError) as info:
        FuzzyDate.parse("2021-02-30")
    error = pickle.loads(pickle.dumps(info.value))
    assert str(info.value) == str(error)
    found = FuzzyDate.parse("last week", reference=REF)
    assert found == pickle.loads(pickle.dumps(found))


# --- methods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        (FuzzyDate.day(D(2021, 2, 13)), "2021-02-13"),
        (FuzzyDate.month(2021, 2), "2021-02"),
        (FuzzyDate.year(2019), "2019"),
        (FuzzyDate.year(800), "0800"),
        (FuzzyDate.between(D(2021, 2, 13), D(2022, 6, 27)), "2021-02-13/2022-06-27"),
        (FuzzyDate.between(D(2019, 9, 1), D(2019, 10, 31)), "2019-09/2019-10"),
        (FuzzyDate.between(D(2019, 1, 1), D(2020, 12, 31)), "2019/2020"),
        (FuzzyDate.between(D(2019, 9, 1), D(2019, 9, 30)), "2019-09/2019-09"),
    ],
)
def test_iso(date: FuzzyDate, iso: str) -> None:
    assert iso == date.iso()
    assert iso == str(date)
    assert date == FuzzyDate.parse(iso)


def test_str_shows_the_written_phrase() -> None:
    assert str(FuzzyDate.parse("last year", reference=REF)) == '2018 ("last year")'


def test_overlaps_and_contains() -> None:
    september = FuzzyDate.month(2019, 9)
    assert september.overlaps(FuzzyDate.between(D(2019, 8, 1), D(2019, 9, 1)))
    assert not september.overlaps(FuzzyDate.month(2019, 10))
    assert september.contains(REF)
    assert september.contains(september)
    assert not REF.contains(september)
    assert FuzzyDate.year(2019).contains(september)


def test_shift() -> None:
    said = FuzzyDate.parse("yesterday", reference=REF)
    assert FuzzyDate.day(D(2019, 9, 4)) == said.shift(2)
    assert FuzzyDate.between(D(2019, 8, 29), D(2019, 9, 27)) == FuzzyDate.month(2019, 9).shift(-3)
    assert FuzzyDate.month(2019, 9) == FuzzyDate.month(2019, 9).shift(0)
    assert FuzzyDate.day(D(2019, 9, 2)) == said.shift(0)
    with pytest.raises(DateError, match="outside the calendar"):
        FuzzyDate.year(9999).shift(1)


def test_midpoint_and_days_to() -> None:
    assert D(2019, 9, 15) == FuzzyDate.month(2019, 9).midpoint
    assert D(2019, 7, 2) == FuzzyDate.year(2019).midpoint
    assert D(2019, 9, 3) == REF.midpoint
    assert REF.days_to(FuzzyDate.month(2019, 9)) == (-2, 27)
    assert FuzzyDate.month(2019, 9).days_to(REF) == (-27, 2)
    assert REF.days_to(REF) == (0, 0)
    assert FuzzyDate.month(2019, 9).days_to(FuzzyDate.month(2019, 9)) == (-29, 29)


# --- properties ----------------------------------------------------------------------------

dates = st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31))
fuzzy_dates = st.one_of(
    dates.map(FuzzyDate.day),
    dates.map(lambda d: FuzzyDate.month(d.year, d.month)),
    dates.map(lambda d: FuzzyDate.year(d.year)),
    st.tuples(dates, dates).map(lambda p: FuzzyDate.between(min(p), max(p))),
    st.tuples(dates, dates).map(
        lambda p: FuzzyDate.between(
            FuzzyDate.month(min(p).year, min(p).month).start,
            FuzzyDate.month(max(p).year, max(p).month).end,
        )
    ),
    st.tuples(dates, dates).map(
        lambda p: FuzzyDate.between(
            FuzzyDate.year(min(p).year).start, max(p).replace(month=12, day=31)
        )
    ),
)


def _well_formed(found: FuzzyDate) -> None:
    """The invariants every FuzzyDate keeps: ordered bounds that match the precision."""
    assert found.start <= found.end
    after = found.end + dt.timedelta(1) if found.end < D(9999, 12, 31) else None
    if found.precision == DAY:
        assert found.start == found.end
    elif found.precision == MONTH:
        assert (found.start.year, found.start.month) == (found.end.year, found.end.month)
        assert found.start.day == 1
        assert after is None or after.day == 1
    elif found.precision == YEAR:
        assert (found.start.month, found.start.day, found.end.month, found.end.day) == (
            1,
            1,
            12,
            31,
        )
        assert found.start.year == found.end.year


@given(fuzzy_dates)
def test_iso_round_trips(date: FuzzyDate) -> None:
    assert date == FuzzyDate.parse(date.iso())
    assert date == FuzzyDate.parse(str(date))
    _well_formed(date)


TOKENS = [
    "2019", "2019-09", "2019-02-29", "/", "-", ",", "in", "on", "since", "last", "this", "year",
    "month", "week", "earlier", "ago", "days", "day", "a", "the", "before", "previous", "today",
    "yesterday", "April", "Sept.", "sept", "February", "29", "3rd", "31", "0", "00", "9999",
    "recent", "months", "twenty", "one", "thirty-one", "  ", "é", "٣",
]  # fmt: skip
phrases = st.one_of(st.text(), st.lists(st.sampled_from(TOKENS), max_size=6).map(" ".join))
references = st.one_of(st.none(), fuzzy_dates)


@given(phrases, references)
def test_arbitrary_text_raises_only_date_error(text: str, reference: FuzzyDate | None) -> None:
    """Whatever the text, parse returns a well-formed date or raises DateError."""
    try:
        found = FuzzyDate.parse(text, reference=reference)
    except DateError as error:
        assert text == error.text
        assert error.reason
    else:
        _well_formed(found)


days_around_now = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))
NUMBER_WORDS = {"a": 1, "one": 1, "seven": 7, "twelve": 12, "twenty": 20, "twenty-five": 25}
MONTH_WORDS = ["January", "Feb", "March", "Apr.", "may", "June", "July", "Aug", "Sept.", "October"]
MONTH_WORDS += ["Nov", "December"]


@given(days_around_now, st.integers(0, 400), st.sampled_from(["days earlier", "days ago"]))
def test_days_back_is_that_day(ref: D, n: int, tail: str) -> None:
    found = FuzzyDate.parse(f"{n} {tail}", reference=FuzzyDate.day(ref))
    assert FuzzyDate(ref - dt.timedelta(n), ref - dt.timedelta(n), DAY, f"{n} {tail}") == found


@given(days_around_now, st.sampled_from(sorted(NUMBER_WORDS)), st.sampled_from(["day", "week"]))
def test_number_words(ref: D, word: str, unit: str) -> None:
    found = FuzzyDate.parse(f"{word} {unit}s ago", reference=FuzzyDate.day(ref))
    per = 7 if unit == "week" else 1
    assert FuzzyDate.day(ref - dt.timedelta(per * NUMBER_WORDS[word])) == found.shift(0)


@given(days_around_now)
def test_fixed_relative_phrases_bracket_their_meaning(ref: D) -> None:
    """Each phrase's bounds hold exactly the days the phrase can mean for that article date."""
    on = FuzzyDate.day(ref)
    yesterday = ref - dt.timedelta(1)
    for text in ("yesterday", "a day earlier", "the day before", "the previous day"):
        assert FuzzyDate.day(yesterday) == FuzzyDate.parse(text, reference=on).shift(0)
    assert on == FuzzyDate.parse("today", reference=on).shift(0)

    week = FuzzyDate.parse("last week", reference=on)
    assert ((week.end - week.start).days + 1, week.start.weekday(), week.precision) == (7, 0, RANGE)
    assert 1 <= (ref - week.end).days <= 7

    month = FuzzyDate.parse("last month", reference=on)
    assert month.precision == MONTH
    assert month.contains(FuzzyDate.day(ref.replace(day=1) - dt.timedelta(1)))

    assert FuzzyDate.year(ref.year - 1) == FuzzyDate.parse("last year", reference=on).shift(0)
    assert FuzzyDate.year(ref.year) == FuzzyDate.parse("this year", reference=on).shift(0)
    assert (D(ref.year, 1, 1), ref) == _bounds(FuzzyDate.parse("earlier this year", reference=on))

    recent = FuzzyDate.parse("in recent months", reference=on)
    assert ref == recent.end
    assert 181 <= (ref - recent.start).days <= 184


@given(days_around_now, st.integers(1800, 2100))
def test_since_year_runs_to_the_reference(ref: D, year: int) -> None:
    on = FuzzyDate.day(ref)
    if year > ref.year:
        with pytest.raises(DateError, match="after the publication date"):
            FuzzyDate.parse(f"since {year}", reference=on)
    else:
        assert (D(year, 1, 1), ref) == _bounds(FuzzyDate.parse(f"since {year}", reference=on))


@given(days_around_now, st.sampled_from(MONTH_WORDS), st.booleans())
def test_month_without_year_is_within_six_months(ref: D, word: str, with_in: bool) -> None:
    found = FuzzyDate.parse(f"in {word}" if with_in else word, reference=FuzzyDate.day(ref))
    months_away = (found.start.year - ref.year) * 12 + found.start.month - ref.month
    assert found.precision == MONTH
    assert FuzzyDate.parse(f"{word} 2000").start.month == found.start.month
    assert -6 <= months_away < 6


@given(days_around_now, st.dates(min_value=D(2000, 1, 1), max_value=D(2000, 12, 31)))
def test_month_day_without_year_is_the_nearest(ref: D, day: D) -> None:
    found = FuzzyDate.parse(day.strftime("%B ") + str(day.day), reference=FuzzyDate.day(ref))
    assert found.precision == DAY
    assert (day.month, day.day) == (found.start.month, found.start.day)
    if (day.month, day.day) != (2, 29):
        assert -183 <= (found.start - ref).days <= 183
        for year in (found.start.year - 1, found.start.year + 1):  # no nearer occurrence
            other = found.start.replace(year=year)
            assert abs((other - ref).days) >= abs((found.start - ref).days)


UNION_PHRASES = [
    "today", "yesterday", "3 days ago", "last week", "last month", "last year", "this year",
    "earlier this year", "recent months", "since 1800", "in April", "December", "September 3",
    "29 February",
]  # fmt: skip


@given(days_around_now, st.integers(0, 120), st.integers(0, 120), st.sampled_from(UNION_PHRASES))
def test_range_reference_contains_every_day_reading(
    start: D, length: int, offset: int, text: str
) -> None:
    """With an uncertain publication date, the result covers the reading for each possible day."""
    end = start + dt.timedelta(length)
    found = FuzzyDate.parse(text, reference=FuzzyDate.between(start, end))
    for ref in (start, end, start + dt.timedelta(min(offset, length))):
        assert found.contains(FuzzyDate.parse(text, reference=FuzzyDate.day(ref)))
    assert text == found.written


def _bounds(found: FuzzyDate) -> tuple[D, D]:
    return found.start, found.end

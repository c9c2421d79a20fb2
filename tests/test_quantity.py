"""Tests for claimtrack.quantity (Estimate, HedgePolicy) and the number helpers in _numbers."""

from __future__ import annotations

import math
import pickle
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack._numbers import parse_number, parse_ordinal
from claimtrack.errors import DayCountError, QuantityError
from claimtrack.quantity import (
    DEFAULT_HEDGE_POLICY,
    Estimate,
    Hedge,
    HedgePolicy,
    format_amount,
    format_interval,
)

A, N, E, M, L, U, R, V = (
    Hedge.APPROXIMATE, Hedge.NEAR, Hedge.EXACT, Hedge.MORE_THAN, Hedge.AT_LEAST, Hedge.UP_TO,
    Hedge.RANGE, Hedge.VAGUE,
)  # fmt: skip

# phrase -> (low, high, value, hedge, additional)
PHRASES: dict[str, tuple[float | None, float | None, float | None, Hedge, bool]] = {
    # the phrases the brief pins
    "an estimated 1 million": (850_000, 1_150_000, 1_000_000, A, False),
    "as many as 2 million": (None, 2_000_000, None, U, False),
    "at least 16": (16, None, None, L, False),
    "more than 400,000": (400_000, None, None, M, False),
    "nearly two million": (1_800_000, 2_000_000, None, N, False),
    "some 1.5 million": (1_275_000, 1_725_000, 1_500_000, A, False),
    "about 100": (85, 115, 100, A, False),
    "hundreds": (200, 999, None, V, False),
    "dozens": (24, 99, None, V, False),
    "tens of thousands": (20_000, 99_999, None, V, False),
    "millions more": (2_000_000, 999_000_000, None, V, True),
    "between 900,000 and 1.8 million": (900_000, 1_800_000, None, R, False),
    "eight": (8, 8, 8, E, False),
    "a dozen": (12, 12, 12, E, False),
    "55": (55, 55, 55, E, False),
    "1.8 million": (1_800_000, 1_800_000, 1_800_000, E, False),
    "2m": (2_000_000, 2_000_000, 2_000_000, E, False),
    # approximate phrases
    "around 100": (85, 115, 100, A, False),
    "roughly 100": (85, 115, 100, A, False),
    "approximately 100": (85, 115, 100, A, False),
    "estimated 100": (85, 115, 100, A, False),
    "approx. 100": (85, 115, 100, A, False),
    "approx.100": (85, 115, 100, A, False),
    "circa 100": (85, 115, 100, A, False),
    "an approximate 100": (85, 115, 100, A, False),
    # near phrases
    "almost 100": (90, 100, None, N, False),
    "close to 100": (90, 100, None, N, False),
    "just under 100": (90, 100, None, N, False),
    "just shy of 100": (90, 100, None, N, False),
    # at_least / more_than (inclusive) / up_to / less_than (inclusive)
    "no fewer than 100": (100, None, None, L, False),
    "no less than 100": (100, None, None, L, False),
    "a minimum of 100": (100, None, None, L, False),
    "over 100": (100, None, None, M, False),
    "upwards of 100": (100, None, None, M, False),
    "in excess of 100": (100, None, None, M, False),
    "just over 100": (100, None, None, M, False),
    "up to 100": (None, 100, None, U, False),
    "as much as 100": (None, 100, None, U, False),
    "at most 100": (None, 100, None, U, False),
    "no more than 100": (None, 100, None, U, False),
    "fewer than 100": (None, 100, None, Hedge.LESS_THAN, False),
    "less than 100": (None, 100, None, Hedge.LESS_THAN, False),
    "under 100": (None, 100, None, Hedge.LESS_THAN, False),
    "below 100": (None, 100, None, Hedge.LESS_THAN, False),
    # ranges
    "from 5 to 10": (5, 10, None, R, False),
    "5 to 10": (5, 10, None, R, False),
    "5-10": (5, 10, None, R, False),
    "5–10": (5, 10, None, R, False),
    "5 – 10": (5, 10, None, R, False),
    "twenty-thirty": (20, 30, None, R, False),
    "between 1 and 2 million": (1_000_000, 2_000_000, None, R, False),
    "1.5–2m": (1_500_000, 2_000_000, None, R, False),
    "from 500 to 2 million": (500, 2_000_000, None, R, False),
    "between one hundred and fifty and two hundred": (150, 200, None, R, False),
    # vague
    "hundreds of thousands": (200_000, 999_999, None, V, False),
    "thousands": (2_000, 9_999, None, V, False),
    "millions": (2_000_000, 999_000_000, None, V, False),
    "tens of millions": (20_000_000, 99_999_999, None, V, False),
    "several": (3, 9, None, V, False),
    "a few": (2, 5, None, V, False),
    "a handful": (2, 9, None, V, False),
    "several hundred": (300, 999, None, V, False),
    "several thousand": (3_000, 9_999, None, V, False),
    # additional amounts
    "200 more": (200, 200, 200, E, True),
    "another 5,000": (5_000, 5_000, 5_000, E, True),
    "dozens more": (24, 99, None, V, True),
    "another 200 more": (200, 200, 200, E, True),
    "about 200 more": (170, 230, 200, A, True),
    # other exact numbers and numbers inside hedges
    "twenty-five": (25, 25, 25, E, False),
    "half a million": (500_000, 500_000, 500_000, E, False),
    "more than a dozen": (12, None, None, M, False),
    "nearly half a million": (450_000, 500_000, None, N, False),
    "400k": (400_000, 400_000, 400_000, E, False),
    "1.5bn": (1_500_000_000, 1_500_000_000, 1_500_000_000, E, False),
    # case, spaces, dashes
    "  About\u00a0100  ": (85, 115, 100, A, False),
    "AS  MANY\u2009AS 2\u202fmillion": (None, 2_000_000, None, U, False),
    "Dozens More": (24, 99, None, V, True),
}


@pytest.mark.parametrize(("text", "expected"), PHRASES.items())
def test_parse_phrase(
    text: str, expected: tuple[float | None, float | None, float | None, Hedge, bool]
) -> None:
    est = Estimate.parse(text)
    assert expected == (est.low, est.high, est.value, est.hedge, est.additional)
    assert text.strip() == est.text


def test_parse_keeps_unit() -> None:
    expected = "people"
    assert expected == Estimate.parse("55", unit="people").unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nearly 2 million", (1_800_000.0, 2_000_000.0)),
        ("some 1.5 million", (1_275_000.0, 1_725_000.0)),
        ("1.1 million", (1_100_000.0, 1_100_000.0)),
        ("about 1", (0.85, 1.15)),
        ("about 0.1", (0.085, 0.115)),
        ("between 0.1 and 0.3 million", (100_000.0, 300_000.0)),
    ],
)
def test_bounds_are_exact_floats(text: str, expected: tuple[float, float]) -> None:
    """0.9 * 2e6 and 1.15 * 1.5e6 are not exact in binary floating point; the bounds must be."""
    est = Estimate.parse(text)
    assert expected == (est.low, est.high)


def test_nearly_two_million_and_some_one_and_a_half_million_do_not_overlap() -> None:
    a, b = Estimate.parse("nearly two million"), Estimate.parse("some 1.5 million")
    assert not a.overlaps(b)
    assert not b.overlaps(a)


def test_as_many_as_overlaps_an_estimate_below_it() -> None:
    a, b = Estimate.parse("as many as 2 million"), Estimate.parse("an estimated 1 million")
    assert a.overlaps(b)
    assert b.overlaps(a)
    assert a.contains(b)
    assert not b.contains(a)


def test_overlaps_and_contains_with_closed_and_open_bounds() -> None:
    five, ten = Estimate.exact(5), Estimate.exact(10)
    at_least_10 = Estimate.parse("at least 10")
    assert True is Estimate.parse("5-10").overlaps(ten)
    assert False is five.overlaps(at_least_10)
    assert True is at_least_10.contains(Estimate.parse("more than 20"))
    assert False is Estimate.parse("more than 20").contains(at_least_10)
    assert True is Estimate(None, 1e12).contains(Estimate(None, 10))
    assert (-math.inf, math.inf) == (Estimate(None, 1).lo, Estimate(1, None).hi)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as many as 2 million", "≤ 2,000,000"),
        ("at least 16", "≥ 16"),
        ("an estimated 1 million", "850,000–1,150,000"),
        ("55", "55"),
        ("approx. 5", "4.25–5.75"),
    ],
)
def test_interval_text(text: str, expected: str) -> None:
    assert expected == Estimate.parse(text).interval_text()


def test_estimate_needs_a_bound() -> None:
    with pytest.raises(ValueError, match="at least one bound"):
        Estimate(None, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "as many as two milion",
            "cannot read 'as many as two milion' as a quantity (unknown word 'milion')",
        ),
        ("many", "cannot read 'many' as a quantity (unknown word 'many')"),
        ("a lot", "cannot read 'a lot' as a quantity (unknown word 'lot')"),
        ("many more", "cannot read 'many more' as a quantity (unknown word 'many')"),
        ("", "cannot read '' as a quantity (no number)"),
        ("about", "cannot read 'about' as a quantity (no number after 'about')"),
        ("another", "cannot read 'another' as a quantity (unknown word 'another')"),
        (
            "between 1 and 2 milion",
            "cannot read 'between 1 and 2 milion' as a quantity (unknown word 'milion')",
        ),
        (
            "between 5 and 2",
            "cannot read 'between 5 and 2' as a quantity (range runs backwards, from 5 down to 2)",
        ),
        ("10-5", "cannot read '10-5' as a quantity (range runs backwards, from 10 down to 5)"),
        ("-5", "cannot read '-5' as a quantity (unexpected '-')"),
        ("about 5-10", "cannot read 'about 5-10' as a quantity (unexpected '-')"),
        ("1,00", "cannot read '1,00' as a quantity (unexpected ',')"),
    ],
)
def test_parse_error_message(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as info:
        Estimate.parse(text)
    assert message == str(info.value)
    assert text == info.value.text


def test_quantity_error_pickles() -> None:
    with pytest.raises(QuantityError) as info:
        Estimate.parse("as many as two milion")
    assert str(info.value) == str(pickle.loads(pickle.dumps(info.value)))


# --- Estimate construction -------------------------------------------------------------------


def test_exact() -> None:
    assert Estimate(55.0, 55.0, 55.0, Hedge.EXACT, "people") == Estimate.exact(55, unit="people")


def test_ints_become_floats() -> None:
    est = Estimate(1, 2)
    assert (float, float) == (type(est.low), type(est.high))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"low": 2, "high": 1},
        {"low": 1, "high": 2, "value": 3},
        {"low": None, "high": 2, "value": 3},
        {"low": 1, "high": None, "value": 0},
        {"low": math.nan, "high": 1},
        {"low": 1, "high": math.inf},
        {"low": 1, "high": 1, "value": math.nan},
    ],
)
def test_estimate_rejects_bad_bounds(kwargs: dict[str, float | None]) -> None:
    with pytest.raises(ValueError):
        Estimate(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"low": "1", "high": 2},
        {"low": True, "high": 2},
        {"low": 1, "high": 2, "additional": 1},
        {"low": 1, "high": 2, "unit": 3},
    ],
)
def test_estimate_rejects_wrong_types(kwargs: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        Estimate(**kwargs)  # type: ignore[arg-type]


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False))
def test_estimate_rejects_low_above_high(a: float, b: float) -> None:
    low, high = max(a, b), min(a, b)
    if low == high:
        return
    with pytest.raises(ValueError):
        Estimate(low, high)


def test_estimate_pickles_and_hashes() -> None:
    est = Estimate.parse("as many as 2 million", unit="people")
    assert est == pickle.loads(pickle.dumps(est))
    assert hash(est) == hash(pickle.loads(pickle.dumps(est)))


# --- HedgePolicy -----------------------------------------------------------------------------


def test_policy_is_tuned_with_evolve() -> None:
    wide = attrs.evolve(DEFAULT_HEDGE_POLICY, approximate=0.2, near=0.05)
    about, nearly = (
        Estimate.parse("about 1,000", policy=wide),
        Estimate.parse("nearly 1,000", policy=wide),
    )
    expected = ((800.0, 1200.0), (950.0, 1000.0))
    assert expected == ((about.low, about.high), (nearly.low, nearly.high))


def test_policy_tables_can_be_extended() -> None:
    policy = attrs.evolve(
        DEFAULT_HEDGE_POLICY,
        phrases={**DEFAULT_HEDGE_POLICY.phrases, "Exactly": Hedge.EXACT},
        vague={**DEFAULT_HEDGE_POLICY.vague, "Scores": (40, None)},
    )
    exactly, scores = (
        Estimate.parse("exactly 7", policy=policy),
        Estimate.parse("scores", policy=policy),
    )
    expected = [(7.0, 7.0, 7.0, Hedge.EXACT), (40.0, None, None, Hedge.VAGUE)]
    assert expected == [(e.low, e.high, e.value, e.hedge) for e in (exactly, scores)]
    with pytest.raises(QuantityError):
        Estimate.parse("exactly 7")


def test_policy_tables_are_read_only() -> None:
    with pytest.raises(TypeError):
        DEFAULT_HEDGE_POLICY.phrases["roughly"] = Hedge.EXACT  # type: ignore[index]


def test_policy_pickles_and_hashes() -> None:
    assert pickle.loads(pickle.dumps(DEFAULT_HEDGE_POLICY)) == DEFAULT_HEDGE_POLICY
    assert hash(HedgePolicy()) == hash(DEFAULT_HEDGE_POLICY)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"approximate": 1.0},
        {"near": -0.1},
        {"vague": {"lots": (10, 5)}},
        {"vague": {"lots": (math.nan, None)}},
        {"phrases": {"between": Hedge.RANGE}},
        {"phrases": {"": Hedge.EXACT}},
    ],
)
def test_policy_rejects_bad_settings(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        HedgePolicy(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("hedge", "expected"),
    [
        (Hedge.EXACT, (200.0, 200.0)),
        (Hedge.APPROXIMATE, (170.0, 230.0)),
        (Hedge.NEAR, (180.0, 200.0)),
        (Hedge.AT_LEAST, (200.0, None)),
        (Hedge.MORE_THAN, (200.0, None)),
        (Hedge.UP_TO, (None, 200.0)),
        (Hedge.LESS_THAN, (None, 200.0)),
    ],
)
def test_policy_interval(hedge: Hedge, expected: tuple[float | None, float | None]) -> None:
    assert expected == DEFAULT_HEDGE_POLICY.interval(hedge, 200.0)


@pytest.mark.parametrize("hedge", [Hedge.RANGE, Hedge.VAGUE])
def test_policy_interval_needs_one_number(hedge: Hedge) -> None:
    with pytest.raises(ValueError):
        DEFAULT_HEDGE_POLICY.interval(hedge, 200.0)


# --- properties ------------------------------------------------------------------------------


@given(st.integers(0, 10**15))
def test_digits_round_trip(n: int) -> None:
    assert Estimate.exact(n) == attrs.evolve(Estimate.parse(str(n)), text=None)
    assert Estimate.exact(n) == attrs.evolve(Estimate.parse(f"{n:,}"), text=None)


@given(st.integers(1, 10**6))
def test_millions_round_trip(n: int) -> None:
    assert Estimate.exact(n * 1_000_000) == attrs.evolve(Estimate.parse(f"{n} million"), text=None)


@given(st.integers(1, 99_999))
def test_decimal_millions_round_trip(k: int) -> None:
    """ "1.8 million" is exactly 1,800,000, not 1,799,999.9999999998."""
    text = f"{Decimal(k) / 10} million"
    assert float(k * 100_000) == Estimate.parse(text).value


@given(st.sampled_from(sorted(DEFAULT_HEDGE_POLICY.phrases)), st.integers(0, 10**10))
def test_hedge_phrase_relates_number_as_the_table_says(phrase: str, k: int) -> None:
    """Multiples of 100 keep every default bound a whole number, so equality is exact."""
    x = k * 100
    est = Estimate.parse(f"{phrase} {x:,}")
    hedge = DEFAULT_HEDGE_POLICY.phrases[phrase]
    assert hedge == est.hedge
    assert est.lo <= est.hi
    expected = {
        Hedge.APPROXIMATE: (k * 85, k * 115, x),
        Hedge.NEAR: (k * 90, x, None),
        Hedge.AT_LEAST: (x, None, None),
        Hedge.MORE_THAN: (x, None, None),
        Hedge.UP_TO: (None, x, None),
        Hedge.LESS_THAN: (None, x, None),
    }[hedge]
    assert expected == (est.low, est.high, est.value)


@given(st.integers(0, 10**9), st.integers(0, 10**9), st.sampled_from(["-", "–", " to ", "and"]))
def test_ranges(a: int, b: int, sep: str) -> None:
    low, high = min(a, b), max(a, b)
    text = f"between {low} and {high}" if sep == "and" else f"{low}{sep}{high}"
    est = Estimate.parse(text)
    assert (low, high, None, Hedge.RANGE) == (est.low, est.high, est.value, est.hedge)


WORDS = [
    *sorted(DEFAULT_HEDGE_POLICY.phrases), *sorted(DEFAULT_HEDGE_POLICY.vague),
    "one", "two", "twenty", "hundred", "thousand", "million", "m", "bn", "k", "a", "an", "and",
    "half", "dozen", "between", "from", "to", "more", "another", "-", "–", ",", ".", "0", "1.5",
    "1,000", "10", "9" * 400,
]  # fmt: skip


@given(st.text() | st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join))
def test_parse_raises_only_quantity_error(text: str) -> None:
    try:
        est = Estimate.parse(text)
    except QuantityError as err:
        assert text == err.text
    else:
        assert est.lo <= est.hi


# --- _numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("55", 55),
        ("1,000", 1_000),
        ("400,000", 400_000),
        ("200,000", 200_000),
        ("1.8 million", 1_800_000),
        ("1 million", 1_000_000),
        ("two million", 2_000_000),
        ("eight", 8),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("a hundred", 100),
        ("2m", 2_000_000),
        ("2M", 2_000_000),
        ("400k", 400_000),
        ("1.5bn", 1_500_000_000),
        ("1.5 billion", 1_500_000_000),
        ("half a million", 500_000),
        ("two and a half million", 2_500_000),
        ("one thousand two hundred and thirty-four", 1_234),
        ("two million five hundred thousand", 2_500_000),
        ("a thousand and one", 1_001),
        ("0.5", 0.5),
        ("Twelve", 12),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert expected == parse_number(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("milion", "unknown word 'milion'"),
        ("two milion", "unknown word 'milion'"),
        ("hundreds", "unknown word 'hundreds'"),
        ("", "no number"),
        ("5 6", "unexpected '6'"),
        ("twenty thirty", "unexpected 'thirty'"),
        ("twenty zero", "unexpected 'zero'"),
        ("million", "expected a number before 'million'"),
        ("dozen", "expected a number before 'dozen'"),
        ("thousand million", "expected a number before 'thousand'"),
        ("two thousand million", "expected a number before 'million'"),
        ("two thousand five million", "unexpected 'million'"),
        ("a", "expected a number after 'a'"),
        ("half", "expected a number after 'half'"),
        ("1-2", "unexpected '-'"),
        ("1,00", "unexpected ','"),
        ("²", "unexpected '²'"),
        ("9" * 400, "number too large"),
    ],
)
def test_parse_number_error(text: str, reason: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_number(text)
    assert (text, reason) == (info.value.text, info.value.reason)


@given(st.integers(0, 10**15))
def test_parse_number_digits(n: int) -> None:
    assert (n, n) == (parse_number(str(n)), parse_number(f"{n:,}"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20th", 20),
        ("1st", 1),
        ("2nd", 2),
        ("3rd", 3),
        ("11th", 11),
        ("12th", 12),
        ("13th", 13),
        ("21st", 21),
        ("112th", 112),
        ("100th", 100),
        ("500th", 500),
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fifth", 5),
        ("eighth", 8),
        ("ninth", 9),
        ("twelfth", 12),
        ("nineteenth", 19),
        ("twentieth", 20),
        ("twenty-first", 21),
        ("Ninety-Ninth", 99),
        ("hundredth", 100),
        ("one hundredth", 100),
        ("five hundredth", 500),
        ("one hundred and first", 101),
        ("thousandth", 1_000),
    ],
)
def test_parse_ordinal(text: str, expected: int) -> None:
    assert expected == parse_ordinal(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("21th", "wrong suffix 'th', expected '21st'"),
        ("0th", "there is no 0th"),
        ("zeroth", "not an ordinal"),
        ("twenty", "not an ordinal"),
        ("20", "not an ordinal"),
        ("", "not an ordinal"),
        ("twentyeth", "not an ordinal"),
        ("twenty-frist", "not an ordinal"),
        ("fourty-first", "unknown word 'fourty'"),
        ("half first", "not an ordinal"),
    ],
)
def test_parse_ordinal_error(text: str, reason: str) -> None:
    with pytest.raises(DayCountError) as info:
        parse_ordinal(text)
    assert (text, reason) == (info.value.text, info.value.reason)


@given(st.integers(1, 10**6))
def test_parse_ordinal_digits(n: int) -> None:
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    assert n == parse_ordinal(f"{n}{suffix}")


@given(st.text())
def test_parse_ordinal_raises_only_day_count_error(text: str) -> None:
    try:
        assert parse_ordinal(text) >= 1
    except DayCountError as err:
        assert text == err.text


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (55.0, 55.0, "55"),
        (16.0, None, "≥ 16"),
        (16.0, float("inf"), "≥ 16"),
        (None, 2e6, "≤ 2,000,000"),
        (float("-inf"), 2e6, "≤ 2,000,000"),
        (850_000.0, 1_150_000.0, "850,000–1,150,000"),
        (2.5, 3.25, "2.5–3.25"),
    ],
)
def test_format_interval(low: float | None, high: float | None, expected: str) -> None:
    """One way to write an interval, for claim tables, reports and reasons alike."""
    assert expected == format_interval(low, high)


def test_format_amount_of_an_int() -> None:
    """Regression: ``format_amount(2)`` raised AttributeError (``int`` has no ``is_integer``
    on Python 3.11)."""
    assert "2" == format_amount(2)
    assert "2,000,000" == format_interval(2_000_000, 2_000_000)

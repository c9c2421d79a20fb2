"""Figures with units: money, durations, percentages and ages read from phrases, converted to the
subject's unit at load time, checked against it; ages compared by arithmetic."""

from __future__ import annotations

import datetime as dt
import functools
import math
import pickle
from pathlib import Path

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import Estimate, QuantityError, UnitError
from claimtrack.units import UNITS, Measure, measured_unit
from tests.conftest import ROOT
from tests.strategies import measured_phrases

UNITS_EXAMPLE = ROOT / "docs" / "examples" / "units"


# --- reading phrases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("$300", 300, 300, "USD"),
        ("about $300", 255, 345, "USD"),
        ("US$1.5 million", 1_500_000, 1_500_000, "USD"),
        ("more than $2m", 2_000_000, None, "USD"),
        ("between $1 and $2 million", 1_000_000, 2_000_000, "USD"),
        ("€20", 20, 20, "EUR"),
        ("£5", 5, 5, "GBP"),
        ("300 dollars", 300, 300, "USD"),
        ("5,000 tenge", 5000, 5000, "KZT"),
        ("USD 300", 300, 300, "USD"),
        ("a few hundred dollars", 200, 500, "USD"),
        ("thousands of dollars", 2000, 9999, "USD"),
        ("five months", 5, 5, "months"),
        ("18 months", 18, 18, "months"),
        ("two-day", 2, 2, "days"),
        ("up to 25 years", None, 25, "years"),
        ("almost 15 years", 13.5, 15, "years"),
        ("several weeks", 3, 9, "weeks"),
        ("a year", 1, 1, "years"),
        ("half a year", 0.5, 0.5, "years"),
        ("a year and a half", 1.5, 1.5, "years"),
        ("about two and a half years", 2.125, 2.875, "years"),
        ("48 hours", 48, 48, "hours"),
        ("about a year", 0.85, 1.15, "years"),
        ("10%", 10, 10, "percent"),
        ("10 %", 10, 10, "percent"),
        ("10-20%", 10, 20, "percent"),
        ("10 per cent", 10, 10, "percent"),
        ("nearly 40 percent", 36, 40, "percent"),
        ("65-year-old", 65, 65, "years of age"),
        ("58 years old", 58, 58, "years of age"),
        ("aged 65", 65, 65, "years of age"),
        ("8 months old", 8, 8, "months of age"),
    ],
)
def test_phrases_with_units(text: str, low: float | None, high: float | None, unit: str) -> None:
    est = Estimate.parse(text)
    assert (low, high, unit) == (est.low, est.high, est.unit)
    assert text == est.text


def test_a_phrase_without_a_unit_has_none() -> None:
    assert Estimate.parse("as many as 2 million").unit is None
    assert "people" == Estimate.parse("55", unit="people").unit  # a count's unit is a label


def test_a_few_hundred_is_a_few_times_a_hundred() -> None:
    """ "a few" is 2-5 and "hundreds" 200-999: "a few hundred" is 200-500."""
    est = Estimate.parse("a few hundred")
    assert (200, 500, "vague") == (est.low, est.high, est.hedge)
    assert (2000, 5000) == (
        Estimate.parse("a few thousand").low,
        Estimate.parse("a few thousand").high,
    )


def test_two_figures_are_refused_with_what_to_do() -> None:
    with pytest.raises(QuantityError, match=r"two figures, 22 and 10: a claim holds one figure"):
        Estimate.parse("22 and 10 years")
    assert 110 == Estimate.parse("a hundred and ten").low  # one number with "and" still reads


@pytest.mark.parametrize("text", ["A$300", "HK$5 million", "¥300"])
def test_other_currencies_are_not_read_as_dollars(text: str) -> None:
    with pytest.raises(QuantityError, match=r"unexpected|unknown word"):
        Estimate.parse(text)


def test_two_units_in_one_phrase_are_refused() -> None:
    with pytest.raises(QuantityError, match=r"more than one unit \(EUR, USD\)"):
        Estimate.parse("between €5 and $6")


# --- converting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("18 months", "years", 1.5),
        ("2 years", "months", 24),
        ("two weeks", "days", 14),
        ("a year", "days", 365.25),
        ("10%", "per cent", 10),
        ("$300", "dollars", 300),
        ("65 years", "years of age", 65),  # a duration read as an age
        ("55", "years", 55),  # a bare figure is in its subject's unit
    ],
)
def test_conversion_to_the_subjects_unit(text: str, unit: str, expected: float) -> None:
    est = Estimate.parse(text, unit=unit)
    assert (expected, expected, unit) == (est.low, est.high, est.unit)
    assert est == Estimate.parse(text).to(unit)
    assert text == est.text  # the words as written are kept


@pytest.mark.parametrize(
    ("text", "unit", "reason"),
    [
        ("$300", "years", "it is money (USD), not a duration (years)"),
        ("€300", "USD", "it is in EUR: an amount in one currency is not converted into another"),
        ("five months", "people", "'people' is a count, not a unit claimtrack measures"),
        ("65-year-old", "years", "it is an age (years of age), not a duration (years)"),
        ("10%", "USD", "it is a percentage (percent), not money (USD)"),
    ],
)
def test_units_that_are_not_commensurable_are_never_converted(
    text: str, unit: str, reason: str
) -> None:
    with pytest.raises(UnitError) as caught:
        Estimate.parse(text, unit=unit)
    assert reason in str(caught.value)
    assert f"cannot read {text!r} in {unit!r}" in str(caught.value)
    assert str(caught.value) == str(pickle.loads(pickle.dumps(caught.value)))


def test_two_counts_are_not_converted_into_each_other() -> None:
    with pytest.raises(UnitError, match="it is a count of people, not facilities"):
        Estimate.exact(5, unit="people").to("facilities")


def test_the_vocabulary_is_declared_and_spellings_agree() -> None:
    assert {"duration", "age", "percent", "money"} == {u.measure.value for u in UNITS.values()}
    assert measured_unit("Years") is measured_unit("year") is UNITS["years"]
    assert measured_unit("people") is None and measured_unit(None) is None
    assert Measure.MONEY is UNITS["usd"].measure


@settings(max_examples=200, deadline=None)
@given(measured_phrases())
def test_a_unit_changes_the_unit_and_nothing_else(case: tuple[str, str, str]) -> None:
    """ "about $300" reads as "about 300", in USD; "nearly 15 years" as "nearly 15", in years."""
    text, bare, unit = case
    est, plain = Estimate.parse(text), Estimate.parse(bare)
    assert unit == est.unit
    assert attrs.evolve(plain, unit=unit, text=text) == est


@settings(max_examples=100, deadline=None)
@given(
    measured_phrases(Measure.DURATION),
    st.sampled_from(["hours", "days", "weeks", "months", "years"]),
)
def test_durations_convert_there_and_back(case: tuple[str, str, str], other: str) -> None:
    text, _, unit = case
    est = Estimate.parse(text)
    back = est.to(other).to(unit)
    for x, y in ((est.low, back.low), (est.high, back.high)):
        assert (x is None) == (y is None)
        assert x is None or y is None or math.isclose(x, y, rel_tol=1e-12)


# --- loading -----------------------------------------------------------------------------------


def _folder(tmp_path: Path, subject_unit: str | None, value: str) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir(exist_ok=True)
    (folder / "entities.yaml").write_text(
        "entities:\n  - {id: daily, name: The Daily, kind: organisation}\n", encoding="utf-8"
    )
    unit = "" if subject_unit is None else f", unit: {subject_unit}"
    (folder / "subjects.yaml").write_text(
        "subjects:\n"
        f"  - {{id: term, label: A prison term, kind: quantity{unit},\n"
        "     description: How long. Not an age.}\n",
        encoding="utf-8",
    )
    (folder / "daily.yaml").write_text(
        "source: {id: daily, title: A story, publisher: daily, published: '2021-04-02'}\n"
        "claims:\n"
        "  - id: daily:term\n"
        "    subject: term\n"
        "    quote: a quote\n"
        "    claimant: daily\n"
        f"    value: {value}\n",
        encoding="utf-8",
    )
    return folder


def _only(claims: claimtrack.ClaimSet) -> Estimate:
    value = claims.claims[0].value
    assert isinstance(value, Estimate)
    return value


def test_a_figure_is_loaded_in_its_subjects_unit(tmp_path: Path) -> None:
    est = _only(claimtrack.load(_folder(tmp_path, "years", "18 months")))
    assert (1.5, 1.5, "years", "18 months") == (est.low, est.high, est.unit, est.text)


def test_a_structured_figure_is_converted_too(tmp_path: Path) -> None:
    est = _only(claimtrack.load(_folder(tmp_path, "years", "{low: 6, high: 18, unit: months}")))
    assert (0.5, 1.5, "years") == (est.low, est.high, est.unit)


@pytest.mark.parametrize(
    ("subject_unit", "value", "message"),
    [
        (
            "years",
            "$300",
            "daily.yaml:7: claims[0].value: cannot read '$300' in 'years', the unit of subject "
            "'term' (it is money (USD), not a duration (years))",
        ),
        (
            "USD",
            "€300",
            "daily.yaml:7: claims[0].value: cannot read '€300' in 'USD', the unit of subject "
            "'term' (it is in EUR: an amount in one currency is not converted into "
            "another without an exchange rate, and none is declared)",
        ),
        (
            None,
            "five months",
            "daily.yaml:7: claims[0].value: 'five months' is in months, but subject 'term' "
            "declares no unit: give it 'unit: months' in subjects.yaml",
        ),
        (
            "people",
            "'10%'",
            "daily.yaml:7: claims[0].value: cannot read '10%' in 'people', the unit of subject "
            "'term' (it is a percentage (percent), and 'people' is a count",
        ),
        (
            "years",
            "{value: 5, unit: people}",
            "daily.yaml:7: claims[0].value: cannot read '5 people' in 'years', the unit of "
            "subject 'term' (it is a count of people, not a duration (years))",
        ),
    ],
)
def test_a_unit_mismatch_is_a_loading_error_with_file_and_line(
    tmp_path: Path, subject_unit: str | None, value: str, message: str
) -> None:
    with pytest.raises(claimtrack.ValidationError) as caught:
        claimtrack.load(_folder(tmp_path, subject_unit, value))
    assert message in str(caught.value)


def test_counts_keep_working_as_before(tmp_path: Path) -> None:
    """A subject in "people" (not a measured unit) takes bare figures and keeps no unit on them;
    a structured figure keeps the count it names."""
    assert _only(claimtrack.load(_folder(tmp_path, "people", "about 300"))).unit is None
    est = _only(claimtrack.load(_folder(tmp_path, "people", "{value: 5, unit: facilities}")))
    assert (5, "facilities") == (est.low, est.unit)


# --- round trips -------------------------------------------------------------------------------


def test_dump_then_load_keeps_units_and_phrases(tmp_path: Path) -> None:
    original = claimtrack.load(UNITS_EXAMPLE)
    claimtrack.dump(original, tmp_path / "out")
    assert original == claimtrack.load(tmp_path / "out")
    written = (tmp_path / "out" / "daily-2019-activist.yaml").read_text(encoding="utf-8")
    assert "value: 18 months" in written and "value: $300" in written


def test_a_structured_figure_in_another_unit_round_trips(tmp_path: Path) -> None:
    original = claimtrack.load(_folder(tmp_path, "years", "{low: 6, high: 18, unit: months}"))
    claimtrack.dump(original, tmp_path / "out")
    assert original == claimtrack.load(tmp_path / "out")


def test_export_then_import_keeps_units(tmp_path: Path) -> None:
    """The CSV's ``unit`` column and phrase read back into the same figures, in the same units."""
    original = claimtrack.load(UNITS_EXAMPLE)
    claimtrack.export(original, tmp_path / "claims.csv", format="csv")
    into = tmp_path / "project"
    into.mkdir()
    for name in ("entities.yaml", "subjects.yaml"):
        (into / name).write_bytes((UNITS_EXAMPLE / name).read_bytes())
    claimtrack.import_csv(tmp_path / "claims.csv", into)
    assert original == claimtrack.load(into)


def test_frames_carry_the_unit(tmp_path: Path) -> None:
    claims = claimtrack.load(UNITS_EXAMPLE)
    frame = claims.to_frame()
    held = frame.set_index("claim").loc["daily-2019-activist:held"]
    assert (1.5, "years", "18 months") == (held["low"], held["unit"], held["text"])
    back = claimtrack.claims_from_frame(
        frame, sources=claims.sources, subjects=claims.subjects, entities=claims.entities
    )
    assert claims == back
    path = tmp_path / "claims.parquet"
    frame.to_parquet(path)
    assert claimtrack.compare(claims).pairs.equals(claimtrack.compare(pd.read_parquet(path)).pairs)


def test_a_frame_made_before_units_were_read_still_compares() -> None:
    frame = claimtrack.load("docs/examples/zhanaozen").to_frame()
    old = frame.drop(columns=["unit"])
    pd.testing.assert_frame_equal(claimtrack.compare(frame).pairs, claimtrack.compare(old).pairs)


def test_hedges_reread_a_phrase_in_its_unit() -> None:
    """ "about 1.5 years" under a wider "about" is re-read in years; "18 months" stays 1.5."""
    claims = claimtrack.load(UNITS_EXAMPLE)
    hedges = attrs.evolve(claimtrack.DEFAULT_HEDGE_POLICY, approximate=0.5)
    rehedged = claims.rehedged(hedges)
    about = rehedged["wire-2022-activist:held"].value
    assert isinstance(about, Estimate) and (0.75, 2.25, "years") == (
        about.low,
        about.high,
        about.unit,
    )
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, hedges=hedges)
    from_set = claimtrack.compare(claims, policy).pairs
    from_frame = claimtrack.compare(claims.to_frame(), policy).pairs
    assert from_set["reason"].tolist() == from_frame["reason"].tolist()


# --- comparing ---------------------------------------------------------------------------------


def _pairs(claims: claimtrack.ClaimSet | pd.DataFrame, subject: str) -> pd.DataFrame:
    pairs = claimtrack.compare(claims).pairs
    return pairs[pairs["subject"] == subject].reset_index(drop=True)


def test_ages_at_two_dates_are_checked_by_arithmetic() -> None:
    ages = _pairs(claimtrack.load(UNITS_EXAMPLE), "activist-age")
    by_rule = dict(zip(ages["rule"], ages["reason"], strict=True))
    assert ["update-age-advances", "differ-age", "differ-age"] == ages["rule"].tolist()
    assert by_rule["update-age-advances"] == (
        "“65-year-old” (65 years of age) as of 2019-05 (daily) and “68” (68 years of age) as of "
        "2022-09 (wire) are 3.3 years apart: consistent, an age advancing with time (both put "
        "the birth between 1953-08 and 1954-05)"
    )
    assert "are 3.3 years apart: inconsistent by 2.6 years" in ages["reason"].iloc[1]


def test_two_ages_in_one_voice_that_cannot_both_hold_are_inconsistent() -> None:
    claims = claimtrack.load(UNITS_EXAMPLE)
    age = claims["wire-2022-activist:age"]
    again = attrs.evolve(
        age, id="wire-2022-activist:age-again", value=Estimate.parse("71", unit="years of age")
    )
    ages = _pairs(attrs.evolve(claims, claims=[*claims, again]), "activist-age")
    row = ages[(ages["claim_a"] == age.id) & (ages["claim_b"] == again.id)].iloc[0]
    assert ("inconsistent", "inconsistent-age") == (row["verdict"], row["rule"])
    assert "less than a month apart: inconsistent by 1.9 years" in row["reason"]


def test_the_same_age_years_apart_is_not_agreement() -> None:
    """65 in 2019 and 65 again in 2024: the generic rules would call it a repeat or agreement."""
    claims = claimtrack.load(UNITS_EXAMPLE)
    first = claims["daily-2019-activist:age"]
    later = attrs.evolve(
        first, id="daily-2019-activist:age-later", as_of=claimtrack.FuzzyDate.parse("2024-05")
    )
    kept = [c for c in claims if c.subject != "activist-age"]
    ages = _pairs(attrs.evolve(claims, claims=[*kept, first, later]), "activist-age")
    assert ["inconsistent-age"] == ages["rule"].tolist()


def test_figures_in_different_units_in_a_frame_are_not_compared() -> None:
    frame = claimtrack.load(UNITS_EXAMPLE).to_frame()
    fine = frame["subject"] == "activist-fine"
    euros = frame["claim"] == "wire-2022-activist:fine"
    frame["unit"] = frame["unit"].where(~euros, "EUR")
    pairs = _pairs(frame[fine], "activist-fine")
    assert ["different-units"] == pairs["rule"].tolist()
    assert (
        "“about 300 dollars” (255–345 EUR) in EUR and daily gives “$300” (300 USD) in USD"
        in (pairs["reason"].iloc[0])
    )


def test_a_pairs_folder_written_before_units_were_read_still_explains(tmp_path: Path) -> None:
    """Its ``_claims/`` has no ``unit`` column: the reasons are written as before."""
    claims = claimtrack.load("docs/examples/zhanaozen")
    folder = tmp_path / "pairs"
    claimtrack.compare(claims, out=folder)
    stored = next((folder / "_claims").glob("*.parquet"))
    pd.read_parquet(stored).drop(columns=["unit"]).to_parquet(stored, index=False)
    pd.testing.assert_frame_equal(claimtrack.compare(claims).pairs, claimtrack.read_pairs(folder))


@functools.cache
def _example() -> claimtrack.ClaimSet:
    return claimtrack.load(UNITS_EXAMPLE)


@settings(max_examples=20, deadline=None)
@given(
    st.integers(0, 100),
    st.integers(1, 30),
    st.dates(dt.date(1990, 1, 1), dt.date(2000, 12, 31)),
    st.integers(0, 300),
)
def test_an_age_advancing_with_time_is_consistent_and_one_too_far_is_not(
    age: int, years: int, first: dt.date, days: int
) -> None:
    """X on a day, X + k on the same day k years later (or up to 300 days after it) is
    consistent; X + k + 2 then never is: the births they imply are more than two months apart."""
    claims = _example()
    base = claims["daily-2019-activist:age"]
    later = (
        first.replace(year=first.year + years)
        if (first.month, first.day) != (2, 29)
        else (first + dt.timedelta(days=1)).replace(year=first.year + years)
    )
    later += dt.timedelta(days=days)

    def at(n: int, when: dt.date, x: int, claimant: str) -> claimtrack.Claim:
        value = Estimate.exact(x, unit="years of age")
        return attrs.evolve(
            base,
            id=f"{base.source}:age{n}",
            claimant=claimant,
            value=value,
            as_of=claimtrack.FuzzyDate.day(when),
        )

    pair = [at(1, first, age, "daily"), at(2, later, age + years, "wire")]
    too_far = at(3, later, age + years + 2, "family")
    ages = _pairs(attrs.evolve(claims, claims=[*pair, too_far]), "activist-age")
    pairs = zip(ages["claim_a"], ages["claim_b"], ages["rule"], strict=True)
    rules = {(a[-1], b[-1]): r for a, b, r in pairs if a.endswith("1")}
    assert {("1", "2"): "update-age-advances", ("1", "3"): "differ-age"} == rules

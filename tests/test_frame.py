"""Claims as a pandas DataFrame and back: typed columns, one row per claim, equal round trips."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings

import claimtrack
from claimtrack import ClaimSet, DayCount, Estimate, FuzzyDate, Hedge, Statement
from claimtrack.frame import COLUMNS
from tests.conftest import MINI
from tests.strategies import claim_sets

CATEGORICAL = [
    "subject",
    "kind",
    "source",
    "publisher",
    "claimant",
    "section",
    "hedge",
    "day_unit",
    "speaker",
    "stance",
    "mode",
    "as_of_precision",
    "stated_precision",
    "date_precision",
    "published_precision",
]
STRINGS = [
    "claim",
    "quote",
    "unit",
    "text",
    "notes",
    "as_of_written",
    "stated_written",
    "date_written",
    "published_written",
]
FLOATS = ["low", "high", "value"]
DATES = [
    f"{name}_{part}"
    for name in ("as_of", "stated", "date", "published")
    for part in ("start", "end")
]
DETAINEES = "rferl-2019-zhanaozen:un-detainees"
SOURCE = "rferl-2019-zhanaozen"


@pytest.fixture(scope="module")
def mini() -> ClaimSet:
    return claimtrack.load(MINI)


@pytest.fixture(scope="module")
def frame(mini: ClaimSet) -> pd.DataFrame:
    return mini.to_frame()


def _from_frame(df: pd.DataFrame, like: ClaimSet) -> ClaimSet:
    return ClaimSet.from_frame(
        df, sources=like.sources, subjects=like.subjects, entities=like.entities
    )


def _row(df: pd.DataFrame, claim_id: str) -> pd.Series[Any]:
    rows = df[df["claim"] == claim_id]
    assert 1 == len(rows)
    return rows.iloc[0]


# --- to_frame ----------------------------------------------------------------------------------


def test_one_row_per_claim_in_claim_order(mini: ClaimSet, frame: pd.DataFrame) -> None:
    assert [c.id for c in mini] == list(frame["claim"])
    assert list(COLUMNS) == list(frame.columns)
    assert list(range(len(mini))) == list(frame.index)


def test_claims_to_frame_is_to_frame(mini: ClaimSet, frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(frame, claimtrack.claims_to_frame(mini))


@pytest.mark.parametrize("column", CATEGORICAL)
def test_id_and_choice_columns_are_categorical(frame: pd.DataFrame, column: str) -> None:
    assert isinstance(frame[column].dtype, pd.CategoricalDtype)


@pytest.mark.parametrize("column", STRINGS)
def test_text_columns_are_strings(frame: pd.DataFrame, column: str) -> None:
    assert isinstance(frame[column].dtype, pd.StringDtype)


@pytest.mark.parametrize("column", FLOATS)
def test_bounds_are_float64(frame: pd.DataFrame, column: str) -> None:
    assert "float64" == str(frame[column].dtype)


@pytest.mark.parametrize("column", DATES)
def test_date_bounds_are_datetime64(frame: pd.DataFrame, column: str) -> None:
    assert pd.api.types.is_datetime64_dtype(frame[column].dtype)


def test_ordinal_is_nullable_int_and_additional_nullable_bool(frame: pd.DataFrame) -> None:
    assert "Int64" == str(frame["ordinal"].dtype)
    assert "boolean" == str(frame["additional"].dtype)


def test_quantity_row(frame: pd.DataFrame) -> None:
    row = _row(frame, DETAINEES)
    assert ("quantity", "xinjiang-detainees", SOURCE, "rferl", "un") == (
        row["kind"],
        row["subject"],
        row["source"],
        row["publisher"],
        row["claimant"],
    )
    assert (850_000.0, 1_150_000.0, 1_000_000.0) == (row["low"], row["high"], row["value"])
    assert ("approximate", "an estimated 1 million", False) == (
        row["hedge"],
        row["text"],
        row["additional"],
    )
    assert pd.isna(row["ordinal"]) and pd.isna(row["speaker"]) and pd.isna(row["date_start"])
    assert () == row["via"]


def test_date_pairs_span_the_fuzzy_date(frame: pd.DataFrame) -> None:
    """A year is its first and last day, with the precision and the phrase as written."""
    row = _row(frame, DETAINEES)
    assert (pd.Timestamp("2018-01-01"), pd.Timestamp("2018-12-31")) == (
        row["as_of_start"],
        row["as_of_end"],
    )
    assert ("year", "last year") == (row["as_of_precision"], row["as_of_written"])
    assert (pd.Timestamp("2019-09-03"), pd.Timestamp("2019-09-03"), "day") == (
        row["published_start"],
        row["published_end"],
        row["published_precision"],
    )
    assert pd.isna(row["published_written"])


def test_day_count_event_and_statement_rows(frame: pd.DataFrame) -> None:
    count = _row(frame, "rferl-2019-zhanaozen:second-day")
    assert (2, "day", "for the second day") == (
        count["ordinal"],
        count["day_unit"],
        count["text"],
    )
    assert math.isnan(count["low"]) and math.isnan(count["high"])
    event = _row(frame, "rferl-2019-zhanaozen:start")
    assert (pd.Timestamp("2019-09-02"), "day", "on September 2", "standfirst") == (
        event["date_start"],
        event["date_precision"],
        event["date_written"],
        event["section"],
    )
    statement = _row(frame, "rferl-2019-zhanaozen:china-vocational")
    assert ("china", "denies", "paraphrase") == (
        statement["speaker"],
        statement["stance"],
        statement["mode"],
    )


def _with_value(claims: ClaimSet, claim_id: str, value: Estimate) -> ClaimSet:
    kept = [attrs.evolve(c, value=value) if c.id == claim_id else c for c in claims]
    return attrs.evolve(claims, claims=kept)


@pytest.mark.parametrize(
    ("phrase", "low", "high"),
    [("at least 16", 16.0, None), ("as many as 2 million", None, 2_000_000.0)],
)
def test_open_bounds_are_nan(
    mini: ClaimSet, phrase: str, low: float | None, high: float | None
) -> None:
    df = _with_value(mini, DETAINEES, Estimate.parse(phrase)).to_frame()
    row = _row(df, DETAINEES)
    assert (low is None, high is None) == (math.isnan(row["low"]), math.isnan(row["high"]))
    assert (low or high) == (row["high"] if low is None else row["low"])
    assert math.isnan(row["value"])


def test_filtered_set_gives_only_its_rows(mini: ClaimSet) -> None:
    df = mini.filter(subject="xinjiang-detainees").to_frame()
    assert [DETAINEES] == list(df["claim"])


def test_empty_claim_set_keeps_columns_and_types(mini: ClaimSet, frame: pd.DataFrame) -> None:
    empty = attrs.evolve(mini, claims=[])
    df = empty.to_frame()
    assert 0 == len(df)
    assert list(frame.dtypes.astype(str)) == list(df.dtypes.astype(str))
    assert empty == _from_frame(df, mini)


# --- from_frame --------------------------------------------------------------------------------


def test_round_trip_of_the_mini_set(mini: ClaimSet, frame: pd.DataFrame) -> None:
    assert mini == _from_frame(frame, mini)


def test_from_frame_is_claims_from_frame(mini: ClaimSet, frame: pd.DataFrame) -> None:
    """Registries may be given as plain iterables as well as mappings and an index."""
    back = claimtrack.claims_from_frame(
        frame,
        sources=list(mini.sources.values()),
        subjects=list(mini.subjects.values()),
        entities=list(mini.entities),
    )
    assert mini == back


@settings(max_examples=50)
@given(claim_sets())
def test_round_trip_of_generated_claim_sets(claims: ClaimSet) -> None:
    assert claims == _from_frame(claims.to_frame(), claims)


def test_round_trip_through_parquet(mini: ClaimSet, frame: pd.DataFrame, tmp_path: Path) -> None:
    """Parquet gives ``via`` back as arrays and dates in another unit: both still read."""
    frame.to_parquet(tmp_path / "claims.parquet")
    assert mini == _from_frame(pd.read_parquet(tmp_path / "claims.parquet"), mini)


def test_edited_frame_gives_edited_claims(mini: ClaimSet, frame: pd.DataFrame) -> None:
    df = frame.copy()
    df["quote"] = df["quote"].str.upper()
    back = _from_frame(df, mini)
    assert [c.quote.upper() for c in mini] == [c.quote for c in back]


# --- frames built by hand ----------------------------------------------------------------------

REQUIRED = {
    "claim": ["x:people", "x:days", "x:start", "x:camps"],
    "subject": [
        "xinjiang-detainees",
        "zhanaozen-protest-days",
        "zhanaozen-protest-start",
        "xinjiang-camps-coercive",
    ],
    "kind": ["quantity", "day_count", "event_date", "statement"],
    "source": [SOURCE] * 4,
    "claimant": ["un", "rferl", "rferl", "china"],
    "quote": ["q one", "q two", "q three", "q four"],
}


def test_minimal_frame_built_by_hand(mini: ClaimSet) -> None:
    """Only the required columns and those of each kind; ``via`` as a comma string."""
    df = pd.DataFrame(
        {
            **REQUIRED,
            "via": ["rferl, un", "", None, "us-state-department"],
            "low": [900_000, None, None, None],
            "high": [1_800_000, None, None, None],
            "hedge": ["range", None, None, None],
            "ordinal": [None, 20, None, None],
            "day_unit": [None, "night", None, None],
            "date_start": [None, None, "2019-09-02", None],
            "speaker": [None, None, None, "china"],
            "stance": [None, None, None, "denies"],
        }
    )
    claims = _from_frame(df, mini)
    assert [
        Estimate(900_000, 1_800_000, None, Hedge.RANGE),
        DayCount(20, "night"),
        FuzzyDate.day(dt.date(2019, 9, 2)),
        Statement("china", "denies", "paraphrase"),
    ] == [c.value for c in claims]
    assert [("rferl", "un"), (), (), ("us-state-department",)] == [c.via for c in claims]
    assert {"body"} == {c.section.value for c in claims}
    assert [None] * 4 == [c.as_of for c in claims]
    assert mini.sources == claims.sources


def test_frame_without_via_column(mini: ClaimSet) -> None:
    df = pd.DataFrame(
        {k: v[3:] for k, v in REQUIRED.items()} | {"speaker": ["china"], "stance": ["asserts"]}
    )
    (claim,) = _from_frame(df, mini)
    assert ((), "asserts") == (claim.via, claim.value.stance)  # type: ignore[union-attr]


def test_frame_with_as_of_strings(mini: ClaimSet) -> None:
    df = pd.DataFrame(
        {k: v[:1] for k, v in REQUIRED.items()}
        | {
            "low": [16],
            "high": [16],
            "as_of_start": ["2019-09-01"],
            "as_of_end": ["2019-09-30"],
            "as_of_precision": ["month"],
        }
    )
    (claim,) = _from_frame(df, mini)
    assert FuzzyDate.month(2019, 9) == claim.as_of
    assert Estimate(16, 16, None, Hedge.EXACT) == claim.value


def test_missing_required_columns_are_named(mini: ClaimSet) -> None:
    df = pd.DataFrame({k: v for k, v in REQUIRED.items() if k not in ("quote", "kind")})
    with pytest.raises(claimtrack.FrameError, match="missing columns kind, quote"):
        _from_frame(df, mini)


def test_unknown_kind_is_an_error(mini: ClaimSet) -> None:
    df = pd.DataFrame({k: v[:1] for k, v in REQUIRED.items()} | {"kind": ["guess"]})
    with pytest.raises(claimtrack.FrameError, match="unknown kind 'guess'"):
        _from_frame(df, mini)


def test_bad_id_in_frame_is_an_error(mini: ClaimSet) -> None:
    df = pd.DataFrame(
        {k: v[3:] for k, v in REQUIRED.items()}
        | {"claim": ["Not An Id"], "speaker": ["china"], "stance": ["denies"]}
    )
    with pytest.raises(claimtrack.FrameError, match="'Not An Id' is not a valid id"):
        _from_frame(df, mini)


@pytest.mark.parametrize(
    ("low", "high", "hedge"),
    [
        (1_000_000, 2_000_000, Hedge.RANGE),
        (16, None, Hedge.AT_LEAST),
        (None, 2_000_000, Hedge.UP_TO),
        (55, 55, Hedge.EXACT),
    ],
)
def test_hedge_left_out_is_inferred_from_the_bounds_as_the_loader_does(
    mini: ClaimSet, low: float | None, high: float | None, hedge: Hedge
) -> None:
    """Without a hedge column a quantity row reads like ``value: {low: ..., high: ...}`` in a
    claim file: range, at_least or up_to, and exact only when low == high. An "exact" estimate
    with an open bound, or with low < high, contradicts itself."""
    df = pd.DataFrame({k: v[:1] for k, v in REQUIRED.items()} | {"low": [low], "high": [high]})
    (claim,) = _from_frame(df, mini)
    assert isinstance(claim.value, Estimate)
    assert (low, high, hedge) == (claim.value.low, claim.value.high, claim.value.hedge)


def test_date_range_without_precision_is_a_range(mini: ClaimSet) -> None:
    """``date_start`` and ``date_end`` without ``date_precision`` give the range between them
    (as "2019-09-01/2019-09-30" does in a claim file), not an error about a one-day date."""
    df = pd.DataFrame(
        {k: v[2:3] for k, v in REQUIRED.items()}
        | {"date_start": ["2019-09-01"], "date_end": ["2019-09-30"]}
    )
    (claim,) = _from_frame(df, mini)
    assert FuzzyDate.between(dt.date(2019, 9, 1), dt.date(2019, 9, 30)) == claim.value


def test_claims_from_a_frame_alone_are_the_claims_with_registries_named_by_id() -> None:
    """A claims frame carries no registries: without them, ``claims_from_frame`` makes sources,
    subjects and entities from the frame, named by their ids, and says so in their texts."""
    from claimtrack.frame import STAND_IN_DESCRIPTION, STAND_IN_TITLE

    claims = claimtrack.load(MINI)
    alone = claimtrack.claims_from_frame(claims.to_frame())
    assert list(claims) == list(alone)
    for source in claims.sources.values():
        made = alone.sources[source.id]
        assert (source.publisher, source.published) == (made.publisher, made.published)
        assert STAND_IN_TITLE == made.title
    for sid in {c.subject for c in claims}:
        assert (sid, STAND_IN_DESCRIPTION) == (
            alone.subject(sid).label,
            alone.subject(sid).description,
        )
        assert claims.subject(sid).kind == alone.subject(sid).kind
    assert all(c.claimant in alone.entities for c in claims)


def test_a_frame_without_publication_dates_cannot_make_sources() -> None:
    frame = claimtrack.load(MINI).to_frame().drop(columns=["published_start", "published_end"])
    with pytest.raises(claimtrack.FrameError, match="published_start"):
        claimtrack.claims_from_frame(frame, where="mini.parquet")

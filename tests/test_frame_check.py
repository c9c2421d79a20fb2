"""Checking a claims frame at the edge: every problem named by row, claim and column, never a
traceback; valid frames (from claim files or the synthetic generator) pass unchanged."""

from __future__ import annotations

import datetime as dt
import math
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import (
    ClaimSet,
    Entity,
    FrameError,
    FrameFileError,
    FrameProblem,
    FuzzyDate,
    Source,
    Subject,
    SubjectKind,
    check_claims_frame,
    read_claims_frame,
)
from claimtrack._synthetic import synthetic_claims
from claimtrack.cli import main
from claimtrack.frame import COLUMNS, KIND_COLUMNS, MAX_ORDINAL, MAX_PROBLEMS
from tests.conftest import MINI
from tests.strategies import claim_sets

DETAINEES = "rferl-2019-zhanaozen:un-detainees"


@pytest.fixture(scope="module")
def mini() -> ClaimSet:
    return claimtrack.load(MINI)


@pytest.fixture(scope="module")
def frame(mini: ClaimSet) -> pd.DataFrame:
    return mini.to_frame()


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return synthetic_claims(3000, seed=3)


def _problems(frame: pd.DataFrame, **kwargs: Any) -> FrameError:
    with pytest.raises(FrameError) as caught:
        check_claims_frame(frame, **kwargs)
    return caught.value


def _row_of(
    frame: pd.DataFrame, kind: str, where: Callable[[pd.DataFrame], Any] | None = None
) -> int:
    mask = frame["kind"] == kind
    if where is not None:
        mask &= where(frame)
    return int(np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))[0])


def _set(frame: pd.DataFrame, row: int, column: str, value: Any) -> pd.DataFrame:
    df = frame.copy()
    dtype = df[column].dtype
    if (
        isinstance(dtype, pd.CategoricalDtype)
        and value is not None
        and value not in dtype.categories
    ):
        df[column] = df[column].cat.add_categories([value])
    df.iloc[row, df.columns.get_loc(column)] = value
    return df


# --- valid frames ------------------------------------------------------------------------------


def test_frame_of_a_claim_set_passes_unchanged(frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(frame, check_claims_frame(frame))


def test_synthetic_frame_passes_unchanged(synthetic: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(synthetic, check_claims_frame(synthetic))


def test_check_is_idempotent(synthetic: pd.DataFrame) -> None:
    once = check_claims_frame(synthetic.iloc[::-1])
    pd.testing.assert_frame_equal(once, check_claims_frame(once))


def test_check_does_not_change_its_argument(frame: pd.DataFrame) -> None:
    df = frame[["claim", "subject", "kind", "source", "claimant", "quote", "low", "high"]]
    df = df[df["kind"] == "quantity"].copy()
    df["low"] = -math.inf
    before = df.copy()
    check_claims_frame(df, published=False)
    pd.testing.assert_frame_equal(before, df)


def test_missing_optional_columns_are_added_empty(frame: pd.DataFrame) -> None:
    df = frame[frame["kind"] == "statement"][
        ["claim", "subject", "kind", "source", "claimant", "quote", "speaker", "stance"]
    ]
    checked = check_claims_frame(df, published=False)
    assert list(COLUMNS) == list(checked.columns)
    assert [str(t) for t in frame.dtypes] == [str(t) for t in checked.dtypes]
    assert checked["low"].isna().all() and checked["as_of_start"].isna().all()


def test_extra_columns_are_kept_after_the_claims_columns(frame: pd.DataFrame) -> None:
    checked = check_claims_frame(frame.assign(reviewer="ann"))
    assert [*COLUMNS, "reviewer"] == list(checked.columns)
    assert {"ann"} == set(checked["reviewer"])


def test_kind_columns_cover_every_kind() -> None:
    assert set(SubjectKind) == set(KIND_COLUMNS)


def test_texts_objects_and_strings_are_read_as_the_canonical_types(frame: pd.DataFrame) -> None:
    """A frame built from plain Python values (object columns, ISO date strings, integer
    bounds) gets the dtypes of ``claims_to_frame``."""
    df = frame.astype(object)
    for column in ("as_of_start", "as_of_end", "published_start", "published_end"):
        df[column] = frame[column].dt.strftime("%Y-%m-%d").astype(object)
    checked = check_claims_frame(df)
    pd.testing.assert_frame_equal(frame, checked, check_categorical=False)
    assert [str(t) for t in frame.dtypes] == [str(t) for t in checked.dtypes]


def test_open_bound_as_infinity_is_read_as_empty(frame: pd.DataFrame) -> None:
    row = int(np.flatnonzero(frame["claim"] == DETAINEES)[0])
    df = _set(_set(frame, row, "low", -math.inf), row, "value", math.nan)
    checked = check_claims_frame(df)
    assert math.isnan(checked["low"].iloc[row])
    assert 1_150_000 == checked["high"].iloc[row]


def test_date_without_end_or_precision_is_a_day_or_a_range(frame: pd.DataFrame) -> None:
    df = frame.copy()
    df["as_of_end"] = pd.NaT
    df["as_of_precision"] = None
    checked = check_claims_frame(df)
    has = checked["as_of_start"].notna()
    assert (checked["as_of_end"][has] == checked["as_of_start"][has]).all()
    assert {"day"} == set(checked["as_of_precision"][has])


# --- the failures of issue 15, class 7 -------------------------------------------------------


def test_frame_without_publication_dates_refused(frame: pd.DataFrame) -> None:
    error = _problems(frame.drop(columns=["published_start"]))
    assert "missing column published_start" in str(error)
    error = _problems(_set(frame, 2, "published_start", None))
    assert ("published_start", 2) in {(p.column, p.row) for p in error.problems}
    unpublished = frame.drop(columns=[c for c in frame.columns if c.startswith("published")])
    check_claims_frame(unpublished, published=False)


def test_frame_missing_column_names_it(frame: pd.DataFrame) -> None:
    error = _problems(frame.drop(columns=["kind", "quote"]))
    assert "claims frame: missing columns kind, quote: every claims frame needs them" == str(error)
    assert (None, None) == (error.problems[0].row, error.problems[0].column)


def test_frame_missing_kind_columns_names_them(frame: pd.DataFrame) -> None:
    error = _problems(frame.drop(columns=["low", "high"]))
    assert (
        "claims frame: missing columns low, high: "
        "the frame has quantity claims, which need them" == str(error)
    )


def test_frame_misspelt_column_is_suggested(frame: pd.DataFrame) -> None:
    error = _problems(frame.rename(columns={"high": "hihg"}))
    assert "did you mean 'hihg' for 'high'?" in str(error)


def test_frame_wrong_dtype_names_column_and_first_bad_row(frame: pd.DataFrame) -> None:
    df = frame.astype({"low": object})
    df.iloc[2, df.columns.get_loc("low")] = "five"
    error = _problems(df)
    (problem,) = error.problems
    assert ("low", None) == (problem.column, problem.row)
    assert "claims frame: low: expected numbers, got str 'five' at row 2" == str(error)


def test_frame_dates_that_cannot_be_read_are_named(frame: pd.DataFrame) -> None:
    df = frame.astype({"as_of_start": object})
    df.iloc[0, df.columns.get_loc("as_of_start")] = "last Tuesday"
    error = _problems(df)
    assert (
        f"claims frame: row 0 (claim {frame['claim'].iloc[0]!r}): as_of_start: cannot read "
        "'last Tuesday' as a date (write it as YYYY-MM-DD)" == str(error.problems[0])
    )


def test_frame_low_above_high_names_row(frame: pd.DataFrame) -> None:
    row = _row_of(frame, "quantity", lambda f: f["high"].notna())
    df = _set(_set(_set(frame, row, "low", 5.0), row, "high", 3.0), row, "value", math.nan)
    error = _problems(df)
    claim = frame["claim"].iloc[row]
    assert f"claims frame: row {row} (claim {claim!r}): low: 5 is above high 3" == str(error)
    assert (row, claim, "low") == (error.problems[0].row, error.problems[0].claim, "low")


def test_frame_duplicate_ids_refused(frame: pd.DataFrame) -> None:
    df = _set(frame, 3, "claim", frame["claim"].iloc[1])
    error = _problems(df)
    assert f"duplicate claim id {frame['claim'].iloc[1]!r} (first at row 1)" == (
        error.problems[0].message
    )
    assert (3, "claim") == (error.problems[0].row, error.problems[0].column)


def test_frame_empty_claim_id_refused(frame: pd.DataFrame) -> None:
    error = _problems(_set(_set(frame, 0, "claim", ""), 1, "claim", None))
    assert [(0, "claim"), (1, "claim")] == [(p.row, p.column) for p in error.problems]
    assert ["'' is not a valid id", "missing"] == [p.message.split(" (")[0] for p in error.problems]


def test_frame_unknown_kind_refused(frame: pd.DataFrame) -> None:
    error = _problems(_set(frame, 0, "kind", "quantities"))
    assert (
        "kind: unknown kind 'quantities' (did you mean 'quantity'?); expected one of quantity, "
        "day_count, event_date, statement" in str(error)
    )


def test_frame_missing_kind_refused(frame: pd.DataFrame) -> None:
    error = _problems(_set(frame, 0, "kind", None))
    assert ("kind", "missing") == (error.problems[0].column, error.problems[0].message)


@pytest.mark.parametrize("column", ["stance", "section", "day_unit", "mode", "as_of_precision"])
def test_frame_unknown_choice_refused(frame: pd.DataFrame, column: str) -> None:
    error = _problems(_set(frame, 0, column, "guesses"))
    assert column == error.problems[0].column
    assert error.problems[0].message.startswith("unknown ")


def test_frame_nan_bound_refused(frame: pd.DataFrame) -> None:
    """NaN is an open bound: a quantity with both bounds open says nothing."""
    row = _row_of(frame, "quantity")
    df = _set(_set(_set(frame, row, "low", math.nan), row, "high", math.nan), row, "value", None)
    error = _problems(df)
    assert "low: a quantity needs at least one bound (low or high); both are empty" in str(error)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("low", math.inf, "low: inf is not a lower bound"),
        ("high", -math.inf, "high: -inf is not an upper bound"),
        ("value", math.inf, "value: inf is not a finite amount"),
    ],
)
def test_frame_infinite_bound_refused(
    frame: pd.DataFrame, column: str, value: float, message: str
) -> None:
    row = _row_of(frame, "quantity")
    assert message in str(_problems(_set(frame, row, column, value)))


def test_frame_value_outside_its_interval_refused(frame: pd.DataFrame) -> None:
    row = int(np.flatnonzero(frame["claim"] == DETAINEES)[0])
    error = _problems(_set(frame, row, "value", 2_000_000.0))
    assert (
        "value: 2,000,000 is outside the claim's interval 850,000–1,150,000 (low to high)"
        in str(error)
    )


@pytest.mark.parametrize(
    ("ordinal", "message"),
    [
        (0, "0 is not a day of a series (day numbers start at 1)"),
        (2.5, "2.5 is not a whole number"),
        (MAX_ORDINAL + 1, "days is more than the calendar holds"),
        (None, "missing"),
    ],
)
def test_frame_bad_day_count_refused(frame: pd.DataFrame, ordinal: Any, message: str) -> None:
    row = _row_of(frame, "day_count")
    df = frame.astype({"ordinal": "float64"}) if isinstance(ordinal, float) else frame
    error = _problems(_set(df, row, "ordinal", ordinal))
    assert "ordinal" == error.problems[0].column
    assert message in error.problems[0].message


def test_frame_day_count_before_the_calendar_refused(frame: pd.DataFrame) -> None:
    row = _row_of(frame, "day_count")
    df = _set(_set(frame, row, "as_of_start", pd.Timestamp("0002-01-01")), row, "as_of_end", None)
    df = _set(df, row, "as_of_precision", "day")
    error = _problems(_set(df, row, "ordinal", 1000))
    assert "puts the start of the series before the calendar's (year 1)" in str(error)


def test_frame_date_ending_before_it_starts_refused(frame: pd.DataFrame) -> None:
    df = _set(frame, 0, "as_of_end", pd.Timestamp("2017-01-01"))
    error = _problems(df)
    assert "as_of_end: the date ends on 2017-01-01, before it starts on 2018-01-01" in str(error)


def test_frame_month_that_is_not_a_calendar_month_refused(frame: pd.DataFrame) -> None:
    df = _set(frame, 0, "as_of_start", pd.Timestamp("2019-09-01"))
    df = _set(_set(df, 0, "as_of_end", pd.Timestamp("2019-09-30")), 0, "as_of_precision", "day")
    assert "as_of_precision: a day date must cover exactly one calendar day" in str(_problems(df))
    df = _set(df, 0, "as_of_precision", "month")
    check_claims_frame(df)
    df = _set(df, 0, "as_of_end", pd.Timestamp("2019-10-01"))
    assert "not 2019-09-01/2019-10-01" in str(_problems(df))


def test_frame_date_parts_without_a_start_refused(frame: pd.DataFrame) -> None:
    error = _problems(_set(frame, 0, "as_of_start", None))
    assert {"as_of_end", "as_of_precision", "as_of_written"} == {p.column for p in error.problems}


def test_frame_date_with_a_time_refused(frame: pd.DataFrame) -> None:
    df = frame.astype({"published_start": "datetime64[ns]"})
    df.iloc[0, df.columns.get_loc("published_start")] = pd.Timestamp("2019-09-03 12:30")
    assert "is not a whole day (it has a time)" in str(_problems(df))


def test_frame_value_of_another_kind_refused(frame: pd.DataFrame) -> None:
    row = _row_of(frame, "statement")
    error = _problems(_set(frame, row, "low", 3.0))
    assert "low: set on a statement claim (only quantity claims have it)" in str(error)


def test_frame_statement_without_stance_refused(frame: pd.DataFrame) -> None:
    row = _row_of(frame, "statement")
    error = _problems(_set(frame, row, "stance", None))
    assert ("stance", "missing") == (error.problems[0].column, error.problems[0].message)


def test_frame_bad_via_refused(frame: pd.DataFrame) -> None:
    df = _set(frame, 0, "via", 42)
    assert "via: expected a list of ids, got 42" in str(_problems(df))
    df = frame.copy()
    df["via"] = [("un", 7)] + [()] * (len(df) - 1)
    assert "via: expected ids, got ('un', 7)" in str(_problems(df))


def test_frame_blank_quote_refused(frame: pd.DataFrame) -> None:
    assert "quote: missing" in str(_problems(_set(frame, 0, "quote", "  ")))


def test_frame_problems_are_capped_and_counted(synthetic: pd.DataFrame) -> None:
    df = synthetic.copy()
    df["quote"] = pd.array([""] * len(df), dtype="string")
    error = _problems(df, where="claims.parquet")
    assert MAX_PROBLEMS == len(error.problems)
    assert len(df) - MAX_PROBLEMS == error.more
    lines = str(error).splitlines()
    assert f"claims.parquet: {len(df)} problems" == lines[0]
    assert f"claims.parquet: and {len(df) - MAX_PROBLEMS} more" == lines[-1]
    assert list(range(MAX_PROBLEMS)) == [p.row for p in error.problems]


def test_frame_problems_are_listed_in_row_order(frame: pd.DataFrame) -> None:
    df = _set(_set(frame, 3, "quote", ""), 1, "section", "footer")
    assert [1, 3] == [p.row for p in _problems(df).problems]


def test_frame_column_names_must_be_distinct_texts(frame: pd.DataFrame) -> None:
    df = pd.concat([frame, frame[["low"]]], axis=1)
    assert "column names must be distinct texts (repeated: low)" in str(_problems(df))


def test_not_a_frame_refused() -> None:
    assert "not a DataFrame" in str(_problems([1, 2, 3]))  # type: ignore[arg-type]


def test_frame_errors_pickle() -> None:
    problem = FrameProblem("x.parquet", 4, "a:b", "low", "5 is above high 3")
    errors = [problem, FrameError("x.parquet", [problem], 3), FrameFileError("x", "not Parquet")]
    for error in errors:
        again = pickle.loads(pickle.dumps(error))
        assert (type(error), str(error)) == (type(again), str(again))
    assert "x.parquet: row 4 (claim 'a:b'): low: 5 is above high 3" == str(problem)
    assert isinstance(errors[1], ValueError) and isinstance(errors[2], OSError)


# --- corruption, at random ---------------------------------------------------------------------


def _corruptions(frame: pd.DataFrame) -> dict[str, Callable[[pd.DataFrame, int], pd.DataFrame]]:
    quantity = np.flatnonzero((frame["kind"] == "quantity").to_numpy())
    ranged = np.flatnonzero(
        ((frame["kind"] == "quantity") & (frame["low"] < frame["high"])).to_numpy()
    )
    counts = np.flatnonzero((frame["kind"] == "day_count").to_numpy())
    dated = np.flatnonzero(frame["published_start"].notna().to_numpy())

    def pick(rows: Any, k: int) -> int:
        return int(rows[k % len(rows)])

    def swap(df: pd.DataFrame, k: int) -> pd.DataFrame:
        row = pick(ranged, k)
        low, high = df["low"].iloc[row], df["high"].iloc[row]
        return _set(_set(_set(df, row, "low", high), row, "high", low), row, "value", None)

    return {
        "drop a column": lambda df, k: df.drop(columns=[("claim", "subject", "kind")[k % 3]]),
        "swap bounds": swap,
        "NaN bounds": lambda df, k: _set(
            _set(_set(df, pick(quantity, k), "low", math.nan), pick(quantity, k), "high", None),
            pick(quantity, k),
            "value",
            None,
        ),
        "inf low": lambda df, k: _set(df, pick(quantity, k), "low", math.inf),
        "duplicate id": lambda df, k: _set(
            df, k % len(df), "claim", df["claim"].iloc[(k + 1) % len(df)]
        ),
        "bad kind": lambda df, k: _set(df, k % len(df), "kind", "guess"),
        "bad stance": lambda df, k: _set(df, k % len(df), "stance", "deny"),
        "zero ordinal": lambda df, k: _set(df, pick(counts, k), "ordinal", 0),
        "bounds as text": lambda df, k: df.astype({"low": str}),
        "backwards date": lambda df, k: _set(
            df,
            pick(dated, k),
            "published_end",
            df["published_start"].iloc[pick(dated, k)] - pd.Timedelta(days=1),
        ),
    }


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_corrupted_frame_raises_frame_error_only(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(["mini", "synthetic"]))
    frame = _FRAMES[base]()
    corruptions = _corruptions(frame)
    name = data.draw(st.sampled_from(sorted(corruptions)))
    k = data.draw(st.integers(0, 10_000))
    corrupted = corruptions[name](frame, k)
    with pytest.raises(FrameError):
        check_claims_frame(corrupted)


_CACHE: dict[str, pd.DataFrame] = {}


def _cached(name: str, make: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
    def get() -> pd.DataFrame:
        if name not in _CACHE:
            _CACHE[name] = make()
        return _CACHE[name]

    return get


_FRAMES = {
    "mini": _cached("mini", lambda: claimtrack.load(MINI).to_frame()),
    "synthetic": _cached("synthetic", lambda: synthetic_claims(500, seed=11)),
}


# --- the synthetic generator gives valid claim data -------------------------------------------


def _registries(frame: pd.DataFrame) -> dict[str, Any]:
    """Sources, subjects and entities for the ids of a synthetic frame."""
    sources = frame.drop_duplicates("source")
    published = {
        s: FuzzyDate.day(d.date())
        for s, d in zip(sources["source"], sources["published_start"], strict=True)
    }
    kinds = frame.drop_duplicates("subject")
    entities = {*frame["claimant"].dropna(), *frame["publisher"].dropna()}
    return {
        "sources": [
            Source(s, f"title of {s}", p, published[s])
            for s, p in zip(sources["source"], sources["publisher"], strict=True)
        ],
        "subjects": [
            Subject(s, s, k, f"subject {s}", varies=v)
            for s, k, v in zip(kinds["subject"], kinds["kind"], kinds["varies"], strict=True)
        ],
        "entities": [Entity(e, e.upper(), "organisation") for e in sorted(entities)],
    }


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 400), st.integers(0, 2**16))
def test_synthetic_frames_are_valid_and_round_trip(n: int, seed: int) -> None:
    frame = synthetic_claims(n, seed=seed)
    pd.testing.assert_frame_equal(frame, check_claims_frame(frame))
    again = claimtrack.claims_from_frame(frame, **_registries(frame)).to_frame()
    pd.testing.assert_frame_equal(frame, again, check_categorical=False)


@pytest.mark.parametrize("n", [1, 2_000, 20_000])
def test_synthetic_frames_of_some_sizes_are_valid(n: int) -> None:
    frame = synthetic_claims(n, seed=n)
    check_claims_frame(frame)
    if n <= 2_000:
        again = claimtrack.claims_from_frame(frame, **_registries(frame)).to_frame()
        pd.testing.assert_frame_equal(frame, again, check_categorical=False)


def test_synthetic_vague_figures_read_back_from_their_text() -> None:
    """A vague figure's text is a phrase of the hedge policy with the figure's interval."""
    frame = synthetic_claims(5_000, seed=1)
    vague = frame[frame["hedge"] == "vague"]
    assert len(vague) > 0
    for text, low, high in zip(vague["text"], vague["low"], vague["high"], strict=True):
        estimate = claimtrack.Estimate.parse(text.removeprefix("another "))
        assert (low, high) == (estimate.low, estimate.high)


# --- Parquet -----------------------------------------------------------------------------------


def test_read_claims_frame_gives_the_frame_back(frame: pd.DataFrame, tmp_path: Path) -> None:
    frame.to_parquet(tmp_path / "claims.parquet")
    back = read_claims_frame(tmp_path / "claims.parquet")
    pd.testing.assert_frame_equal(frame, back, check_categorical=False)


def test_parquet_wrong_schema_one_line_error(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "claims.parquet"
    frame.drop(columns=["subject"]).to_parquet(path)
    with pytest.raises(FrameError) as caught:
        read_claims_frame(path)
    assert f"{path}: missing column subject: every claims frame needs them" == str(caught.value)


def test_parquet_not_parquet_file(tmp_path: Path) -> None:
    path = tmp_path / "claims.parquet"
    path.write_text("claim,subject\na,b\n", encoding="utf-8")
    with pytest.raises(FrameFileError) as caught:
        read_claims_frame(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: cannot read a claims frame from it (")
    assert 1 == len(message.splitlines())


def test_parquet_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FrameFileError, match="no such file or folder"):
        read_claims_frame(tmp_path / "nothing.parquet")


def test_cli_compare_bad_parquet_one_error_line(
    frame: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = _row_of(frame, "quantity", lambda f: f["high"].notna())
    bad = _set(_set(_set(frame, row, "low", 5.0), row, "high", 3.0), row, "value", None)
    bad.to_parquet(tmp_path / "bad.parquet")
    (tmp_path / "junk.parquet").write_bytes(b"PAR1 not really")
    for name in ("bad.parquet", "junk.parquet"):
        assert 1 == main(["compare", str(tmp_path / name)])
        err = capsys.readouterr().err
        lines = [line for line in err.splitlines() if line.startswith("claimtrack: error:")]
        assert 1 == len(lines), err
        assert "Traceback" not in err
        assert str(tmp_path / name) in lines[0]
        if name == "bad.parquet":
            assert lines[0].endswith("low: 5 is above high 3")


def test_cli_compare_good_parquet(
    frame: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame.to_parquet(tmp_path / "claims.parquet")
    assert 0 == main(["compare", str(tmp_path / "claims.parquet"), "--format", "json"])
    assert capsys.readouterr().out.strip().startswith("{")


def test_compare_accepts_a_checked_frame(frame: pd.DataFrame) -> None:
    """What the comparator gets after the check (here: a frame of hand-built rows with the
    optional columns missing) compares without a traceback."""
    df = frame[list(dict.fromkeys(["claim", "subject", "kind", "source", "claimant", "quote"]))]
    df = df.join(frame[["low", "high", "ordinal", "day_unit", "speaker", "stance", "date_start"]])
    df = df.join(frame[["published_start"]])
    result = claimtrack.compare(check_claims_frame(df))
    assert len(result.pairs) == len(claimtrack.compare(frame).pairs)


def test_dates_in_another_unit_are_read(frame: pd.DataFrame) -> None:
    df = frame.astype({"published_start": "datetime64[ns]", "published_end": "datetime64[us]"})
    checked = check_claims_frame(df)
    assert "datetime64[s]" == str(checked["published_start"].dtype)
    assert dt.date(2019, 9, 3) == checked["published_start"].iloc[0].date()


def test_cli_compare_dask_checks_the_schema_without_computing(
    frame: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import dask.dataframe  # noqa: F401  (in the test extra: the engine the CLI reads with)

    path = tmp_path / "claims.parquet"
    frame.drop(columns=["subject"]).astype({"low": str}).to_parquet(path)
    assert 1 == main(["compare", str(path), "--engine", "dask"])
    err = capsys.readouterr().err
    assert [
        f"claimtrack: error: {path}: missing column subject: every claims frame needs them"
    ] == [line for line in err.splitlines() if line.startswith("claimtrack:")]
    (tmp_path / "junk.parquet").write_bytes(b"not parquet at all")
    assert 1 == main(["compare", str(tmp_path / "junk.parquet"), "--engine", "dask"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith(f"claimtrack: error: {tmp_path / 'junk.parquet'}: cannot read")


def test_frame_sorted_ids_with_a_repeat_refused(synthetic: pd.DataFrame) -> None:
    """Sorted ids are checked for repeats without hashing: a repeat still shows."""
    ordered = synthetic.sort_values("claim", ignore_index=True)
    df = _set(ordered, 8, "claim", ordered["claim"].iloc[7])
    error = _problems(df)
    assert (8, f"duplicate claim id {ordered['claim'].iloc[7]!r} (first at row 7)") == (
        error.problems[0].row,
        error.problems[0].message,
    )


def test_frame_subject_of_mixed_kinds_refused(frame: pd.DataFrame) -> None:
    """A subject's claims are of one kind, as in a claim file, except statements about a
    quantity."""
    count = _row_of(frame, "day_count")
    quantity = _row_of(frame, "quantity")
    statement = _row_of(frame, "statement")
    df = _set(frame, count, "subject", frame["subject"].iloc[quantity])
    error = _problems(df)
    first, later = sorted((count, quantity))
    assert (later, "kind") == (error.problems[0].row, error.problems[0].column)
    assert f"whose first claim (row {first}) is a" in error.problems[0].message
    mixed = _set(frame, statement, "subject", frame["subject"].iloc[quantity])
    check_claims_frame(mixed)


@settings(max_examples=30, deadline=None)
@given(claim_sets())
def test_frames_of_generated_claim_sets_pass_unchanged(claims: ClaimSet) -> None:
    frame = claims.to_frame()
    pd.testing.assert_frame_equal(frame, check_claims_frame(frame))

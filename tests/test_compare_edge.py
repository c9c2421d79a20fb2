"""``compare`` checks a claims frame at the edge: a frame that breaks a claim file's invariants is a
:class:`~claimtrack.FrameError` naming row and column, never a ``KeyError`` deep in the kernel or a
silently wrong comparison (issue 15, class 7)."""

from __future__ import annotations

import pandas as pd
import pytest

import claimtrack
from tests.conftest import MINI


def _frame() -> pd.DataFrame:
    return claimtrack.load(MINI).to_frame()


def test_compare_frame_missing_column_is_a_frame_error_not_a_key_error() -> None:
    with pytest.raises(claimtrack.FrameError, match="subject"):
        claimtrack.compare(_frame().drop(columns="subject"))


def test_compare_frame_low_above_high_names_the_row() -> None:
    frame = _frame()
    row = int(frame.index[frame["kind"] == "quantity"][0])
    frame.loc[row, ["low", "high"]] = [10.0, 5.0]
    with pytest.raises(claimtrack.FrameError, match=rf"row {row} .*low"):
        claimtrack.compare(frame)


def test_compare_frame_duplicate_claim_ids_refused() -> None:
    """A duplicated id would pair a claim with itself."""
    frame = _frame()
    frame.loc[1, "claim"] = frame.loc[0, "claim"]
    with pytest.raises(claimtrack.FrameError, match="claim"):
        claimtrack.compare(frame)


def test_compare_dask_frame_missing_column_checked_from_its_metadata() -> None:
    import dask.dataframe as dd  # in the test extra

    lazy = dd.from_pandas(_frame().drop(columns="claimant"), npartitions=1)
    with pytest.raises(claimtrack.FrameError, match="claimant"):
        claimtrack.compare(lazy, engine="dask")  # type: ignore[arg-type]


def test_a_checked_frame_compares_as_its_claim_set() -> None:
    claims = claimtrack.load(MINI)
    expected = claimtrack.compare(claims).pairs
    actual = claimtrack.compare(claims.to_frame()).pairs
    assert expected["verdict"].tolist() == actual["verdict"].tolist()

"""Intervals re-read under a comparison's hedge policy (``ComparePolicy.hedges``).

A claim set is re-read by :meth:`claimtrack.ClaimSet.rehedged` (the claims as compared); a claims
frame by :func:`rehedged_frame`, which reads each distinct phrase once and decides as
:meth:`claimtrack.Estimate.rehedged` does, as far as the frame's columns tell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.errors import QuantityError
from claimtrack.quantity import Estimate, HedgePolicy, hedge_for_bounds


def rehedged_frame(frame: pd.DataFrame, hedges: HedgePolicy) -> pd.DataFrame:
    """``frame`` with the bounds of each quantity read from its phrase (``text``) read again under
    ``hedges``, each distinct phrase once.

    Where the frame has a ``hedge`` column (as :meth:`ClaimSet.to_frame` gives), a row whose
    phrase reads as another hedge, value or "additional" was given with explicit bounds and keeps
    them; without one (a frame of :data:`KERNEL_COLUMNS` only), every quantity with a phrase is
    read again. Raises :class:`QuantityError` naming the claim whose phrase ``hedges`` cannot
    read (unless its bounds are all there is to it).
    """
    quantity = (frame["kind"] == "quantity") & frame["text"].notna()
    rows = np.flatnonzero(quantity.to_numpy(dtype=bool, na_value=False))
    if not len(rows):
        return frame.copy()
    texts = frame["text"].to_numpy(dtype=object)[rows]
    units = _units(frame)[rows]
    text_code = np.asarray(pd.factorize(texts)[0], dtype=np.int64)
    unit_code = np.asarray(pd.factorize(units)[0], dtype=np.int64) + 1  # no unit: 0
    code = np.asarray(pd.factorize(text_code * (int(unit_code.max()) + 1) + unit_code)[0])
    first = np.unique(code, return_index=True)[1]
    uniques = list(zip(texts[first].tolist(), units[first].tolist(), strict=True))
    n = len(uniques)
    low, high, value = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    hedge = np.full(n, None, dtype=object)
    additional = np.zeros(n, dtype=bool)
    in_unit = np.zeros(n, dtype=bool)
    failed: dict[int, QuantityError] = {}
    for k, (text, unit) in enumerate(uniques):
        try:  # a phrase with a unit ("18 months") is converted to the claim's ("years")
            read = Estimate.parse(str(text), unit=unit, policy=hedges)
        except QuantityError as error:
            failed[k] = error
            continue
        low[k] = np.nan if read.low is None else read.low
        high[k] = np.nan if read.high is None else read.high
        value[k] = np.nan if read.value is None else read.value
        hedge[k], additional[k] = read.hedge.value, read.additional
        in_unit[k] = read.unit == unit  # not a phrase in months where the row gives no unit
    take = in_unit[code]
    if "hedge" in frame.columns:
        row_hedge = frame["hedge"].astype(object).to_numpy()[rows]
        row_value = frame["value"].to_numpy(dtype="float64", na_value=np.nan)[rows]
        row_additional = frame["additional"].fillna(False).to_numpy(dtype=bool)[rows]
        same_value = (row_value == value[code]) | (np.isnan(row_value) & np.isnan(value[code]))
        take &= (row_hedge == hedge[code]) & same_value & (row_additional == additional[code])
    if failed:
        _check_unread(frame, rows, np.isin(code, list(failed)), failed, code)
    out = frame.copy()
    at = rows[take]
    for column, bounds in (("low", low), ("high", high)):
        values = out[column].copy()
        values.iloc[at] = bounds[code[take]]
        out[column] = values
    return out


def _units(frame: pd.DataFrame) -> np.ndarray[tuple[int], np.dtype[np.object_]]:
    """Each row's unit (``None`` where it has none, or the frame has no ``unit`` column)."""
    if "unit" not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    units: np.ndarray[tuple[int], np.dtype[np.object_]] = np.array(
        frame["unit"].astype(object).to_numpy(), dtype=object
    )
    units[pd.isna(units)] = None
    return units


def _check_unread(
    frame: pd.DataFrame,
    rows: np.ndarray[tuple[int], np.dtype[np.int64]],
    unread: np.ndarray[tuple[int], np.dtype[np.bool_]],
    failed: dict[int, QuantityError],
    code: np.ndarray[tuple[int], np.dtype[np.int64]],
) -> None:
    """Raise for the first row whose phrase could not be read, unless the frame's ``hedge`` says
    its bounds are all there is to it (rows that cannot be read are few: a loop is fine)."""
    for k in np.flatnonzero(unread).tolist():
        row = int(rows[k])
        if "hedge" in frame.columns:
            low, high = frame["low"].iloc[row], frame["high"].iloc[row]
            bounds = hedge_for_bounds(
                None if pd.isna(low) else low, None if pd.isna(high) else high
            )
            if frame["hedge"].iloc[row] == bounds.value:
                continue
        error = failed[int(code[k])]
        raise error.for_claim(str(frame["claim"].iloc[row]))


def with_bounds_of(frame: pd.DataFrame, claims: ClaimSet) -> pd.DataFrame:
    """``frame`` (of ``claims``, in their order) with the bounds of ``claims`` (the same claims,
    re-hedged)."""
    low = [c.value.low if isinstance(c.value, Estimate) else None for c in claims]
    high = [c.value.high if isinstance(c.value, Estimate) else None for c in claims]
    return frame.assign(
        low=np.array(low, dtype="float64").reshape(-1),
        high=np.array(high, dtype="float64").reshape(-1),
    )

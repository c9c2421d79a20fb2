"""The columns of a claims frame one by one: each coerced to its type, every bad value
collected as a problem naming its row (see :func:`claimtrack.frame.check_claims_frame`)."""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import process

from claimtrack._frame_schema import (
    DATE_FIELDS,
)
from claimtrack._ids import ID_PATTERN
from claimtrack.claim import Attribution, DayUnit, Mode, Section, Stance
from claimtrack.dates import Precision
from claimtrack.errors import FrameError, FrameProblem
from claimtrack.quantity import Hedge, format_amount
from claimtrack.subject import SubjectKind, Varies

_CHOICES: Mapping[str, type[enum.StrEnum]] = {
    "kind": SubjectKind,
    "varies": Varies,
    "section": Section,
    "hedge": Hedge,
    "day_unit": DayUnit,
    "stance": Stance,
    "mode": Mode,
    "attribution": Attribution,
    **{f"{name}_precision": Precision for name in DATE_FIELDS},
}


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and np.isnan(value)


def _opt(value: Any) -> Any:
    return None if _missing(value) else value


_ID_COLUMNS = ("subject", "source", "publisher", "republishes", "claimant", "speaker")
_DATE_BOUNDS = (np.datetime64("0001-01-01", "s"), np.datetime64("9999-12-31", "s"))
MAX_ORDINAL = int((_DATE_BOUNDS[1] - _DATE_BOUNDS[0]) // np.timedelta64(1, "D")) + 1
"""The largest day count a series can reach within the calendar (years 1 to 9999)."""

MAX_PROBLEMS = 20
"""How many problems a :class:`~claimtrack.errors.FrameError` lists; it counts the rest."""

_STRING = pd.StringDtype()
_DAY = np.timedelta64(1, "D")
_SECONDS = 86_400


def _amount(x: float) -> str:
    return format_amount(float(x)) if math.isfinite(x) else str(float(x))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Problems:
    """Problems found so far: whole columns at once, rows as arrays of positions (messages are
    written only for the rows that are listed)."""

    def __init__(self, where: str, n: int) -> None:
        self.where = where
        self.n = n
        self.columns: list[tuple[str | None, str]] = []
        self.rows: list[tuple[npt.NDArray[np.int64], str, Callable[[int], str]]] = []
        self.broken: set[str] = set()

    def column(self, column: str | None, message: str) -> None:
        self.columns.append((column, message))
        if column is not None:
            self.broken.add(column)

    def at(self, mask: npt.NDArray[np.bool_], column: str, message: Callable[[int], str]) -> None:
        rows = np.flatnonzero(mask)
        if rows.size:
            self.rows.append((rows, column, message))

    def ok(self, *columns: str) -> bool:
        return not self.broken.intersection(columns)

    def check(self, claims: pd.Series[Any] | None) -> None:
        """Raise a FrameError listing the first problems in row order, if there are any."""
        total = len(self.columns) + sum(len(rows) for rows, _, _ in self.rows)
        if not total:
            return
        problems = [FrameProblem(self.where, None, None, c, m) for c, m in self.columns]
        problems = problems[:MAX_PROBLEMS]
        room = MAX_PROBLEMS - len(problems)
        if room > 0 and self.rows:
            rows = np.concatenate([r for r, _, _ in self.rows])
            checks = np.repeat(np.arange(len(self.rows)), [len(r) for r, _, _ in self.rows])
            for i in np.lexsort((checks, rows))[:room].tolist():
                row = int(rows[i])
                _, column, message = self.rows[int(checks[i])]
                claim = claims.iloc[row] if claims is not None else None
                name = claim if isinstance(claim, str) and claim.strip() else None
                problems.append(FrameProblem(self.where, row, name, column, message(row)))
        raise FrameError(self.where, problems, total - len(problems))


def _first_bad(series: pd.Series[Any], good: Callable[[Any], bool]) -> str:
    """Where the first value of ``series`` that is not ``good`` (or missing) is, and what it is."""
    for row, value in enumerate(series.to_numpy(dtype=object).tolist()):  # an error path only
        if not (_missing(value) or good(value)):
            return f"{type(value).__name__} {_shown(value)} at row {row}"
    return "no value"  # pragma: no cover - only called when there is one


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _text_values(index: pd.Index[Any]) -> bool:
    return len(index) == 0 or pd.api.types.infer_dtype(index, skipna=True) in ("string", "empty")


def _text(series: pd.Series[Any], column: str, problems: _Problems) -> pd.Series[Any] | None:
    dtype = series.dtype
    if dtype == _STRING:
        return series
    if isinstance(dtype, pd.StringDtype):
        return series.astype(_STRING)
    if isinstance(dtype, pd.CategoricalDtype) and _text_values(dtype.categories):
        return series.astype(_STRING)
    if isinstance(dtype, pd.ArrowDtype) and pd.api.types.is_string_dtype(dtype):
        return series.astype(_STRING)
    if pd.api.types.is_object_dtype(dtype) and pd.api.types.infer_dtype(series, skipna=True) in (
        "string",
        "empty",
    ):
        return series.astype(_STRING)
    if bool(series.isna().all()):
        return pd.Series(pd.array([pd.NA] * len(series), dtype=_STRING), index=series.index)
    problems.column(column, f"expected text, got {_first_bad(series, _is_text)}")
    return None


def _category(series: pd.Series[Any], column: str, problems: _Problems) -> pd.Series[Any] | None:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if _text_values(dtype.categories):
            return series
        problems.column(column, f"expected text, got {_first_bad(series, _is_text)}")
        return None
    text = _text(series, column, problems)
    return None if text is None else text.astype("category")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_)


def _floats(series: pd.Series[Any], column: str, problems: _Problems) -> npt.NDArray[np.float64]:
    dtype = series.dtype
    numbers = ("floating", "integer", "mixed-integer-float", "decimal", "empty")
    if dtype == np.float64:
        return series.to_numpy()
    if pd.api.types.is_bool_dtype(dtype):
        pass
    elif pd.api.types.is_numeric_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    elif (
        pd.api.types.is_object_dtype(dtype)
        and pd.api.types.infer_dtype(series, skipna=True) in numbers
    ):
        return pd.to_numeric(series).to_numpy(dtype=np.float64, na_value=np.nan)
    elif bool(series.isna().all()):
        return np.full(len(series), np.nan)
    problems.column(column, f"expected numbers, got {_first_bad(series, _is_number)}")
    return np.full(len(series), np.nan)


def _booleans(series: pd.Series[Any], column: str, problems: _Problems) -> pd.Series[Any]:
    dtype = series.dtype
    if str(dtype) == "boolean":
        return series
    if pd.api.types.is_bool_dtype(dtype) or (
        pd.api.types.is_object_dtype(dtype)
        and pd.api.types.infer_dtype(series, skipna=True) in ("boolean", "empty")
    ):
        return series.astype("boolean")
    if not bool(series.isna().all()):
        problems.column(column, f"expected true or false, got {_first_bad(series, _is_bool)}")
    return pd.Series(pd.array([pd.NA] * len(series), dtype="boolean"), index=series.index)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool | np.bool_)


def _ordinals(series: pd.Series[Any], column: str, problems: _Problems) -> pd.Series[Any]:
    dtype = series.dtype
    if str(dtype) == "Int64":
        return series
    if pd.api.types.is_integer_dtype(dtype):
        return series.astype("Int64")
    numbers = _floats(series, column, problems)
    whole = np.isnan(numbers) | (np.isfinite(numbers) & (numbers == np.floor(numbers)))
    problems.at(~whole, column, lambda row: f"{_amount(numbers[row])} is not a whole number")
    keep = whole & ~np.isnan(numbers) & (np.abs(numbers) <= MAX_ORDINAL * 2.0)
    values = np.where(keep, numbers, 0).astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(values, ~keep), index=series.index)


def _dates(series: pd.Series[Any], column: str, problems: _Problems) -> npt.NDArray[np.datetime64]:
    dtype = series.dtype
    missing = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[s]")
    if isinstance(dtype, pd.DatetimeTZDtype):
        problems.column(column, f"expected days, got times with a time zone ({dtype})")
        return missing
    if pd.api.types.is_datetime64_dtype(dtype):
        values = series.to_numpy()
    elif pd.api.types.is_object_dtype(dtype) or isinstance(
        dtype, pd.StringDtype | pd.CategoricalDtype
    ):
        read = pd.to_datetime(series.astype(object), errors="coerce", format="ISO8601")
        unread = series.notna().to_numpy() & read.isna().to_numpy()
        texts = series.to_numpy(dtype=object)
        problems.at(
            unread,
            column,
            lambda row: f"cannot read {_shown(texts[row])} as a date (write it as YYYY-MM-DD)",
        )
        values = read.to_numpy()
    elif bool(series.isna().all()):
        return missing
    else:
        problems.column(column, f"expected dates, got {dtype}")
        return missing
    if values.dtype == np.dtype("datetime64[s]"):  # the frame's own type: checked in place
        seconds = values.view(np.int64)
        dated = ~np.isnat(values)
        low, high = (bound.astype(np.int64) for bound in _DATE_BOUNDS)
        timed = dated & (seconds % _SECONDS != 0)
        outside = dated & ((seconds < low) | (seconds > high))
        if not (timed.any() or outside.any()):
            return values
    days = values.astype("datetime64[D]")
    timed = ~np.isnat(values) & (days.astype(values.dtype) != values)
    problems.at(timed, column, lambda row: f"{values[row]} is not a whole day (it has a time)")
    out = days.astype("datetime64[s]")
    outside = ~np.isnat(out) & ((out < _DATE_BOUNDS[0]) | (out > _DATE_BOUNDS[1]))
    problems.at(outside, column, lambda row: f"{days[row]} is outside the calendar (years 1-9999)")
    return np.where(outside, np.datetime64("NaT"), out)


_VIA_TYPES = (tuple, list, np.ndarray, str)


def _via_cells(
    series: pd.Series[Any], problems: _Problems, column: str = "via"
) -> npt.NDArray[np.object_]:
    """``via`` (and each list column) holds tuples, lists or arrays of ids, or comma-separated text, or nothing."""
    if isinstance(series.dtype, pd.ArrowDtype | pd.StringDtype | pd.CategoricalDtype):
        series = series.astype(object)
    if not pd.api.types.is_object_dtype(series.dtype):
        if not bool(series.isna().all()):
            problems.column(column, f"expected lists of ids, got {series.dtype}")
        return np.full(len(series), None, dtype=object)
    cells = series.to_numpy()
    types = pd.Index(_VIA_TYPES, dtype=object).get_indexer(np.frompyfunc(type, 1, 1)(cells))
    sequence = (types >= 0) & (types < 3)
    other = types < 0
    other[other] = ~pd.isna(pd.Series(cells[other])).to_numpy(dtype=bool)
    problems.at(other, column, lambda row: f"expected a list of ids, got {_shown(cells[row])}")
    entries = list(itertools.chain.from_iterable(cells[sequence]))
    if entries and pd.api.types.infer_dtype(entries, skipna=False) != "string":
        rows = np.flatnonzero(sequence)
        lengths = np.frompyfunc(len, 1, 1)(cells[rows]).astype(np.int64)
        good = np.fromiter((isinstance(e, str) for e in entries), dtype=bool, count=len(entries))
        mask = np.zeros(len(cells), dtype=bool)
        mask[np.repeat(rows, lengths)[~good]] = True
        problems.at(mask, column, lambda row: f"expected ids, got {_shown(cells[row])}")
    return cells


def _choices(
    series: pd.Series[Any], column: str, problems: _Problems, rows: npt.NDArray[np.bool_]
) -> None:
    """Values of ``series`` (a categorical) on ``rows`` are members of the column's enum."""
    allowed = [str(member.value) for member in _CHOICES[column]]
    categories = np.asarray(series.cat.categories, dtype=object)
    codes = series.cat.codes.to_numpy()
    unknown = ~np.isin(categories, allowed)
    if not unknown.any():
        return
    name = column.rsplit("_", 1)[-1] if column.endswith("_precision") else column
    name = name.replace("_", " ")

    def message(row: int) -> str:
        value = str(categories[codes[row]])
        close = process.extractOne(value, allowed, score_cutoff=60)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown {name} {_shown(value)}{hint}; expected one of {', '.join(allowed)}"

    problems.at(rows & (codes >= 0) & unknown[np.maximum(codes, 0)], column, message)


_BAD_ID = (
    "is not a valid id (lowercase letters, digits, '.', '_', ':', '-'; "
    "starting with a letter or digit)"
)


def _bad_ids(values: pd.Series[Any]) -> npt.NDArray[np.bool_]:
    """Which of these texts (a pandas string series) are not ids; a missing one is not bad."""
    matched = values.str.fullmatch(ID_PATTERN.pattern.removesuffix(r"\Z"))
    return ~matched.to_numpy(dtype=bool, na_value=True)


def _id_categories(series: pd.Series[Any], column: str, problems: _Problems) -> None:
    categories = series.cat.categories
    codes = series.cat.codes.to_numpy()
    bad = _bad_ids(pd.Series(categories, dtype=_STRING))
    if bad.any():
        names = np.asarray(categories, dtype=object)
        problems.at(
            (codes >= 0) & bad[np.maximum(codes, 0)],
            column,
            lambda row: f"{_shown(names[codes[row]])} {_BAD_ID}",
        )

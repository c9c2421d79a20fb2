"""Claims as a pandas DataFrame, and back.

:func:`claims_to_frame` gives one row per claim with typed columns: ids are categoricals, bounds are
floats (``NaN`` is an open bound on a quantity claim), dates are ``datetime64`` pairs of first and
last possible day. :func:`claims_from_frame` reads the same shape back, so analysts can build or edit
claims in pandas. The comparator works directly on this frame.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import process

from claimtrack._ids import ID_PATTERN
from claimtrack.claim import Claim, ClaimValue, DayCount, DayUnit, Mode, Section, Stance, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate, Precision
from claimtrack.entity import Entity, EntityIndex
from claimtrack.errors import FrameError, FrameFileError, FrameProblem, MissingExtraError
from claimtrack.quantity import Estimate, Hedge, format_amount, format_interval, hedge_for_bounds
from claimtrack.source import Source
from claimtrack.subject import Subject, SubjectKind

DATE_FIELDS = ("as_of", "stated", "date", "published")
"""Date columns come in groups: ``<name>_start``, ``<name>_end``, ``<name>_precision``, ``<name>_written``."""

DATE_PARTS = ("start", "end", "precision", "written")
"""The columns of one date field, as ``<name>_<part>``."""


def date_columns(*names: str) -> tuple[str, ...]:
    """The columns of these date fields: ``as_of_start``, ``as_of_end``, ... in field order."""
    return tuple(f"{name}_{part}" for name in names for part in DATE_PARTS)


CATEGORY_COLUMNS = (
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
    *(f"{name}_precision" for name in DATE_FIELDS),
)
STRING_COLUMNS = ("claim", "quote", "unit", "text", "notes", *(f"{n}_written" for n in DATE_FIELDS))
FLOAT_COLUMNS = ("low", "high", "value")
COLUMNS = (
    "claim",
    "subject",
    "kind",
    "source",
    "publisher",
    "claimant",
    "via",
    "section",
    "quote",
    "low",
    "high",
    "value",
    "hedge",
    "unit",
    "text",
    "additional",
    "ordinal",
    "day_unit",
    "speaker",
    "stance",
    "mode",
    *date_columns(*DATE_FIELDS),
    "notes",
)
"""The columns of a claims frame, in order."""


def _date_cells(value: FuzzyDate | None) -> tuple[Any, Any, Any, Any]:
    if value is None:
        return None, None, None, None
    return value.start, value.end, value.precision.value, value.written


def _row(claim: Claim, publisher: str, published: FuzzyDate) -> list[Any]:
    value = claim.value
    est = value if isinstance(value, Estimate) else None
    count = value if isinstance(value, DayCount) else None
    statement = value if isinstance(value, Statement) else None
    event = value if isinstance(value, FuzzyDate) else None
    text = est.text if est is not None else (count.text if count is not None else None)
    return [
        claim.id,
        claim.subject,
        claim.kind.value,
        claim.source,
        publisher,
        claim.claimant,
        claim.via,
        claim.section.value,
        claim.quote,
        est.low if est else None,
        est.high if est else None,
        est.value if est else None,
        est.hedge.value if est else None,
        est.unit if est else None,
        text,
        est.additional if est else None,
        count.ordinal if count else None,
        count.unit.value if count else None,
        statement.speaker if statement else None,
        statement.stance.value if statement else None,
        statement.mode.value if statement else None,
        *_date_cells(claim.as_of),
        *_date_cells(claim.stated),
        *_date_cells(event),
        *_date_cells(published),
        claim.notes,
    ]


def claims_to_frame(claims: ClaimSet) -> pd.DataFrame:
    """One row per claim of ``claims``, columns :data:`COLUMNS`, typed as described above."""
    rows = [
        _row(c, claims.sources[c.source].publisher, claims.sources[c.source].published)
        for c in claims
    ]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for col in CATEGORY_COLUMNS:
        frame[col] = frame[col].astype("category")
    for col in STRING_COLUMNS:
        frame[col] = frame[col].astype("string")
    for col in FLOAT_COLUMNS:
        frame[col] = frame[col].astype("float64")
    frame["additional"] = frame["additional"].astype("boolean")
    frame["ordinal"] = frame["ordinal"].astype("Int64")
    for name in DATE_FIELDS:
        for part in ("start", "end"):
            col = f"{name}_{part}"
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[s]")
    return frame


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and np.isnan(value)


def _opt(value: Any) -> Any:
    return None if _missing(value) else value


def _date(row: Mapping[str, Any], name: str) -> FuzzyDate | None:
    start = _opt(row.get(f"{name}_start"))
    if start is None:
        return None
    first = _as_date(start)
    last = _as_date(_opt(row.get(f"{name}_end")) or start)
    precision = _opt(row.get(f"{name}_precision"))
    return FuzzyDate(
        first,
        last,
        Precision(precision) if precision is not None else _precision_of(first, last),
        _opt(row.get(f"{name}_written")),
    )


def _precision_of(first: dt.date, last: dt.date) -> Precision:
    """The precision of a date interval given without one: a day, else a range (as the claim-file
    form "2019-09-01/2019-09-30" reads)."""
    return Precision.DAY if first == last else Precision.RANGE


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _number(value: Any) -> float | None:
    value = _opt(value)
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _value(row: Mapping[str, Any]) -> ClaimValue:
    kind = row["kind"]
    if kind == "quantity":
        low, high = _number(row.get("low")), _number(row.get("high"))
        hedge = _opt(row.get("hedge"))
        return Estimate(
            low=low,
            high=high,
            value=_number(row.get("value")),
            hedge=Hedge(hedge) if hedge is not None else hedge_for_bounds(low, high),
            unit=_opt(row.get("unit")),
            text=_opt(row.get("text")),
            additional=bool(_opt(row.get("additional")) or False),
        )
    if kind == "day_count":
        return DayCount(int(row["ordinal"]), row["day_unit"], _opt(row.get("text")))
    if kind == "event_date":
        event = _date(row, "date")
        assert event is not None  # check_claims_frame made sure of date_start
        return event
    assert kind == "statement", kind  # check_claims_frame allows no other kind
    return Statement(row["speaker"], row["stance"], _opt(row.get("mode")) or "paraphrase")


def _via(value: Any) -> tuple[str, ...]:
    if _missing(value) if not isinstance(value, list | tuple | np.ndarray) else False:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(str(v) for v in value)


def claims_from_frame(
    frame: pd.DataFrame,
    *,
    sources: Mapping[str, Source] | Iterable[Source],
    subjects: Mapping[str, Subject] | Iterable[Subject],
    entities: EntityIndex | Iterable[Entity],
) -> ClaimSet:
    """Claims from a frame shaped like :func:`claims_to_frame`'s output.

    Required columns: ``claim``, ``subject``, ``kind``, ``source``, ``claimant``, ``quote`` and the
    columns of the kind (``low``/``high`` for quantities, ``ordinal``/``day_unit`` for day counts,
    ``date_start``/``date_end`` for event dates, ``speaker``/``stance`` for statements). ``via`` may
    be a tuple, a list or a comma-separated string. Publisher and published columns are ignored (they
    come from ``sources``). The frame is checked first with :func:`check_claims_frame`, which raises
    :class:`~claimtrack.errors.FrameError` naming every problem. References are not checked here:
    use :func:`claimtrack.check` for that.
    """
    frame = check_claims_frame(frame, published=False)
    claims = []
    records: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    for row in records:
        claims.append(
            Claim(
                id=row["claim"],
                subject=row["subject"],
                source=row["source"],
                quote=row["quote"],
                claimant=row["claimant"],
                value=_value(row),
                via=_via(row.get("via")),
                as_of=_date(row, "as_of"),
                stated=_date(row, "stated"),
                section=_opt(row.get("section")) or "body",
                notes=_opt(row.get("notes")),
            )
        )
    source_map = sources if isinstance(sources, Mapping) else {s.id: s for s in sources}
    subject_map = subjects if isinstance(subjects, Mapping) else {s.id: s for s in subjects}
    index = entities if isinstance(entities, EntityIndex) else EntityIndex(entities)
    return ClaimSet(claims, source_map, subject_map, index)


# --- checking a frame --------------------------------------------------------------------------

REQUIRED_COLUMNS = ("claim", "subject", "kind", "source", "claimant", "quote")
"""The columns every claims frame needs; :func:`check_claims_frame` adds any other missing one."""

KIND_COLUMNS: Mapping[SubjectKind, tuple[str, ...]] = {
    SubjectKind.QUANTITY: ("low", "high"),
    SubjectKind.DAY_COUNT: ("ordinal", "day_unit"),
    SubjectKind.EVENT_DATE: ("date_start",),
    SubjectKind.STATEMENT: ("speaker", "stance"),
}
"""The columns a frame needs when it holds claims of a kind."""

_KIND_FIELDS: Mapping[SubjectKind, tuple[str, ...]] = {
    SubjectKind.QUANTITY: ("low", "high", "value", "hedge", "unit", "additional", "text"),
    SubjectKind.DAY_COUNT: ("ordinal", "day_unit", "text"),
    SubjectKind.EVENT_DATE: date_columns("date"),
    SubjectKind.STATEMENT: ("speaker", "stance", "mode"),
}
"""The columns that belong to the value of each kind: empty on claims of every other kind."""

_CHOICES: Mapping[str, type[enum.StrEnum]] = {
    "kind": SubjectKind,
    "section": Section,
    "hedge": Hedge,
    "day_unit": DayUnit,
    "stance": Stance,
    "mode": Mode,
    **{f"{name}_precision": Precision for name in DATE_FIELDS},
}
_ID_COLUMNS = ("subject", "source", "publisher", "claimant", "speaker")
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


def _via_cells(series: pd.Series[Any], problems: _Problems) -> npt.NDArray[np.object_]:
    """``via`` holds tuples, lists or arrays of ids, or comma-separated text, or nothing."""
    if isinstance(series.dtype, pd.ArrowDtype | pd.StringDtype | pd.CategoricalDtype):
        series = series.astype(object)
    if not pd.api.types.is_object_dtype(series.dtype):
        if not bool(series.isna().all()):
            problems.column("via", f"expected lists of ids, got {series.dtype}")
        return np.full(len(series), None, dtype=object)
    cells = series.to_numpy()
    types = pd.Index(_VIA_TYPES, dtype=object).get_indexer(np.frompyfunc(type, 1, 1)(cells))
    sequence = (types >= 0) & (types < 3)
    other = types < 0
    other[other] = ~pd.isna(pd.Series(cells[other])).to_numpy(dtype=bool)
    problems.at(other, "via", lambda row: f"expected a list of ids, got {_shown(cells[row])}")
    entries = list(itertools.chain.from_iterable(cells[sequence]))
    if entries and pd.api.types.infer_dtype(entries, skipna=False) != "string":
        rows = np.flatnonzero(sequence)
        lengths = np.frompyfunc(len, 1, 1)(cells[rows]).astype(np.int64)
        good = np.fromiter((isinstance(e, str) for e in entries), dtype=bool, count=len(entries))
        mask = np.zeros(len(cells), dtype=bool)
        mask[np.repeat(rows, lengths)[~good]] = True
        problems.at(mask, "via", lambda row: f"expected ids, got {_shown(cells[row])}")
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


def _missing_columns(frame: pd.DataFrame, needed: Iterable[str], why: str) -> str | None:
    missing = [c for c in needed if c not in frame.columns]
    if not missing:
        return None
    extra = [str(c) for c in frame.columns if c not in COLUMNS]
    hints = []
    for column in missing:
        close = process.extractOne(column, extra, score_cutoff=70) if extra else None
        if close:
            hints.append(f"{close[0]!r} for {column!r}?")
    hint = f" (did you mean {', '.join(hints)})" if hints else ""
    s = "s" if len(missing) > 1 else ""
    return f"missing column{s} {', '.join(missing)}{hint}: {why}"


def _blank(column: str, index: pd.Index[Any]) -> Any:
    """An all-missing column of the canonical type of ``column``: a series for pandas types, an
    array for numpy ones (as the checks hold them)."""
    n = len(index)
    if column in FLOAT_COLUMNS:
        return np.full(n, np.nan)
    if column == "via":
        return np.full(n, None, dtype=object)
    if column.endswith(("_start", "_end")):
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    if column in CATEGORY_COLUMNS:
        values: Any = pd.Categorical([None] * n, categories=pd.Index([], dtype=object))
    elif column in STRING_COLUMNS:
        values = pd.array([pd.NA] * n, dtype=_STRING)
    else:
        values = pd.array([pd.NA] * n, dtype="boolean" if column == "additional" else "Int64")
    return pd.Series(values, index=index)


def check_claims_frame(
    frame: pd.DataFrame, *, where: str = "claims frame", published: bool = True
) -> pd.DataFrame:
    """``frame`` checked as a claims frame and given the types of :func:`claims_to_frame`.

    A claims frame must hold what a claim file could: the columns :data:`REQUIRED_COLUMNS` and
    those of each kind it holds (:data:`KIND_COLUMNS`); every other column of :data:`COLUMNS` that
    is missing is added, empty. Columns not in :data:`COLUMNS` are kept, after those, unchecked.
    Values are checked as :func:`claimtrack.load` checks a claim file's (unique ids, known kinds
    and choices, at least one bound and ``low <= high``, whole day counts, dates that exist and
    end after they start, one kind of claim per subject ...); see "Frames" in ``docs/api.md``.
    The frame returned is normalised: an open bound is ``NaN`` (also given as ``-inf`` low or
    ``inf`` high), a date without an end ends on its start, and a date without a precision is a
    day or a range. Checking a checked frame gives it back unchanged, cheaply. References between
    ids (to sources, subjects and entities) are not checked: a frame carries no registries.

    With ``published`` (the default), every claim needs its publication date
    (``published_start``), as every claim of a claim file has its source's: the comparator places
    claims in time by it. :func:`claims_from_frame`, which takes it from the sources, passes
    ``False``.

    Raises :class:`~claimtrack.errors.FrameError` naming every problem (up to
    :data:`MAX_PROBLEMS`, then how many more): each with ``where``, the row's position and claim
    id, the column and what is wrong.
    """
    if not isinstance(frame, pd.DataFrame):
        raise FrameError(
            where, [FrameProblem(where, None, None, None, f"not a DataFrame: {type(frame)}")]
        )
    n = len(frame)
    problems = _Problems(where, n)
    names = [c for c in frame.columns if not isinstance(c, str)]
    if names or not frame.columns.is_unique:
        repeated = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        what = f"repeated: {', '.join(repeated)}" if repeated else f"not text: {names[:5]!r}"
        problems.column(None, f"column names must be distinct texts ({what})")
        problems.check(None)
    needed = (*REQUIRED_COLUMNS, "published_start") if published else REQUIRED_COLUMNS
    missing = _missing_columns(frame, needed, "every claims frame needs them")
    if missing:
        problems.column(None, missing)
        problems.check(None)
    out: dict[str, Any] = {}
    for column in COLUMNS:
        if column not in frame.columns:
            out[column] = _blank(column, frame.index)
            continue
        series = frame[column]
        if column in CATEGORY_COLUMNS:
            out[column] = _category(series, column, problems)
        elif column in STRING_COLUMNS:
            out[column] = _text(series, column, problems)
        elif column in FLOAT_COLUMNS:
            out[column] = _floats(series, column, problems)
        elif column == "additional":
            out[column] = _booleans(series, column, problems)
        elif column == "ordinal":
            out[column] = _ordinals(series, column, problems)
        elif column == "via":
            out[column] = _via_cells(series, problems)
        else:
            out[column] = _dates(series, column, problems)
        if out[column] is None:
            out[column] = _blank(column, frame.index)
    _check_values(frame, out, problems)
    if published and problems.ok("published_start"):
        problems.at(
            np.isnat(out["published_start"]),
            "published_start",
            lambda _: "missing (every claim has the publication date of its source)",
        )
    problems.check(out["claim"])
    for column in frame.columns:
        if column not in out:
            out[column] = frame[column]
    result = pd.DataFrame(
        {c: v.array if isinstance(v, pd.Series) else v for c, v in out.items()},
        index=frame.index,
        copy=False,
    )
    result.attrs = dict(frame.attrs)
    return result


def _is_set(value: Any) -> npt.NDArray[np.bool_]:
    """Which cells of a normalised column hold something (``additional``: hold true)."""
    if isinstance(value, pd.Series):
        if str(value.dtype) == "boolean":
            return value.fillna(False).to_numpy(dtype=bool)
        return value.notna().to_numpy(dtype=bool)
    return np.asarray(~pd.isna(value), dtype=bool)


def _members(series: pd.Series[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    """The categories of a categorical as texts, and its codes (-1: missing)."""
    categories = np.asarray(series.cat.categories, dtype=object).astype(str)
    return categories, series.cat.codes.to_numpy().astype(np.int64)


def _is(series: pd.Series[Any], value: str) -> npt.NDArray[np.bool_]:
    categories, codes = _members(series)
    chosen = np.asarray(categories == value, dtype=bool)
    if not chosen.any():
        return np.zeros(len(codes), dtype=bool)
    return np.asarray((codes >= 0) & chosen[np.maximum(codes, 0)], dtype=bool)


def _check_values(frame: pd.DataFrame, out: dict[str, Any], problems: _Problems) -> None:
    """Check the values of the normalised columns ``out`` of ``frame``; normalise some of them."""
    n = len(frame)
    everywhere = np.ones(n, dtype=bool)
    for column in _CHOICES:
        if problems.ok(column):
            _choices(out[column], column, problems, everywhere)
    for column in _ID_COLUMNS:
        if problems.ok(column):
            _id_categories(out[column], column, problems)
    for column in ("subject", "source", "claimant", "kind"):
        if problems.ok(column):
            problems.at(out[column].isna().to_numpy(), column, lambda _: "missing")
    if problems.ok("claim"):
        _check_claim_ids(out["claim"], problems)
    if problems.ok("quote"):
        quote = out["quote"]
        blank = quote.isna().to_numpy() | (quote.str.strip().str.len() == 0).to_numpy(
            dtype=bool, na_value=True
        )
        problems.at(blank, "quote", lambda _: "missing (a claim needs the words it stands on)")
    for name in DATE_FIELDS:
        _check_date(name, out, problems)
    if not problems.ok("kind"):
        return
    kinds = {kind: _is(out["kind"], kind.value) for kind in SubjectKind}
    known = np.logical_or.reduce(list(kinds.values()))
    for kind, rows in kinds.items():
        if rows.any():
            why = f"the frame has {kind.value} claims, which need them"
            missing = _missing_columns(frame, KIND_COLUMNS[kind], why)
            if missing:
                problems.column(None, missing)
                problems.broken.update(c for c in KIND_COLUMNS[kind] if c not in frame.columns)
    owners: dict[str, list[SubjectKind]] = {}
    for kind, columns in _KIND_FIELDS.items():
        for column in columns:
            owners.setdefault(column, []).append(kind)
    kind_names, kind_codes = _members(out["kind"])
    for column, owning in owners.items():
        if column in frame.columns and problems.ok(column):
            owned = np.logical_or.reduce([kinds[k] for k in owning])
            only = " or ".join(k.value for k in owning)

            def stray(row: int, only: str = only) -> str:
                return f"set on a {kind_names[kind_codes[row]]} claim (only {only} claims have it)"

            problems.at(known & ~owned & _is_set(out[column]), column, stray)
    if problems.ok("low", "high", "value"):
        _check_quantities(kinds[SubjectKind.QUANTITY], out, problems)
    if problems.ok("ordinal", "day_unit"):
        _check_day_counts(kinds[SubjectKind.DAY_COUNT], out, problems)
    statement = kinds[SubjectKind.STATEMENT]
    for column in ("speaker", "stance"):
        if problems.ok(column):
            problems.at(statement & ~_is_set(out[column]), column, lambda _: "missing")
    event = kinds[SubjectKind.EVENT_DATE]
    if problems.ok("date_start"):
        problems.at(event & ~_is_set(out["date_start"]), "date_start", lambda _: "missing")
    if problems.ok("subject"):
        _check_subject_kinds(out["subject"], kinds, problems)


_CLAIM_KINDS: Mapping[SubjectKind, frozenset[SubjectKind]] = {
    kind: frozenset({kind}) for kind in SubjectKind
} | {SubjectKind.QUANTITY: frozenset({SubjectKind.QUANTITY, SubjectKind.STATEMENT})}
"""The kinds of claims a subject of each kind holds, as in a claim file: its own, and statements
about a quantity ("China denies the figure")."""


def _check_subject_kinds(
    subject: pd.Series[Any], kinds: Mapping[SubjectKind, npt.NDArray[np.bool_]], problems: _Problems
) -> None:
    """The claims of one subject are of kinds a subject of one kind holds."""
    order = list(SubjectKind)
    codes = subject.cat.codes.to_numpy().astype(np.int64)
    bits = np.zeros(len(codes), dtype=np.int64)
    for i, kind in enumerate(order):
        bits[kinds[kind]] = 1 << i
    seen = np.zeros(len(subject.cat.categories), dtype=np.int64)
    rows = (codes >= 0) & (bits > 0)
    np.bitwise_or.at(seen, codes[rows], bits[rows])
    allowed = [sum(1 << order.index(k) for k in held) for held in _CLAIM_KINDS.values()]
    mixed = np.ones(len(seen), dtype=bool)
    for mask in allowed:
        mixed &= (seen & ~mask) != 0
    if not mixed.any():
        return
    bad = rows & mixed[np.maximum(codes, 0)]
    first = np.full(len(seen), len(codes) - 1, dtype=np.int64)
    positions = np.flatnonzero(bad)
    np.minimum.at(first, codes[positions], positions)  # the first row of each mixed subject
    flagged = bad & (bits != bits[first[np.maximum(codes, 0)]])

    def message(row: int) -> str:
        at = int(first[codes[row]])
        kind = next(k.value for k in order if kinds[k][row])
        other = next(k.value for k in order if kinds[k][at])
        return (
            f"a {kind} claim in subject {subject.iloc[row]!r}, whose first claim (row {at}) is a "
            f"{other} claim; a subject's claims are of its kind (and statements about a quantity)"
        )

    problems.at(flagged, "kind", message)


def _increasing(texts: pd.Series[Any]) -> bool:
    """Whether each text (none missing) sorts after the one before: true of most frames built in
    bulk, and much cheaper to find out than whether they are distinct."""
    if len(texts) < 2:
        return True
    if isinstance(texts.dtype, pd.StringDtype) and texts.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pa.chunked_array([pa.array(texts.array)])
        return bool(pc.all(pc.less(values[:-1], values[1:]), skip_nulls=False).as_py())
    objects = texts.to_numpy(dtype=object)
    return bool((objects[:-1] < objects[1:]).all())


def _check_claim_ids(claim: pd.Series[Any], problems: _Problems) -> None:
    missing = claim.isna().to_numpy()
    problems.at(missing, "claim", lambda _: "missing")
    bad = _bad_ids(claim)  # not for missing ids
    problems.at(bad, "claim", lambda row: f"{_shown(claim.iloc[row])} {_BAD_ID}")
    if missing.any() or not _increasing(claim):  # increasing ids are distinct: no hashing
        repeated = claim.duplicated(keep="first").to_numpy() & ~missing
    else:
        repeated = np.zeros(len(claim), dtype=bool)

    def message(row: int) -> str:
        same = (claim == claim.iloc[row]).to_numpy(dtype=bool, na_value=False)
        return f"duplicate claim id {_shown(claim.iloc[row])} (first at row {np.argmax(same)})"

    problems.at(repeated, "claim", message)


def _check_quantities(
    quantity: npt.NDArray[np.bool_], out: dict[str, Any], problems: _Problems
) -> None:
    low, high, value = out["low"], out["high"], out["value"]
    problems.at(
        low == np.inf, "low", lambda _: "inf is not a lower bound (leave an open one empty)"
    )
    problems.at(high == -np.inf, "high", lambda _: "-inf is not an upper bound (leave it empty)")
    problems.at(np.isinf(value), "value", lambda row: f"{value[row]} is not a finite amount")
    low = np.where(low == -np.inf, np.nan, low)  # an open bound given as infinity
    high = np.where(high == np.inf, np.nan, high)
    out["low"], out["high"] = low, high
    finite_low, finite_high = np.isfinite(low), np.isfinite(high)
    problems.at(
        quantity & np.isnan(low) & np.isnan(high),
        "low",
        lambda _: "a quantity needs at least one bound (low or high); both are empty",
    )
    above = quantity & finite_low & finite_high & (low > high)
    problems.at(above, "low", lambda row: f"{_amount(low[row])} is above high {_amount(high[row])}")
    lo = np.where(np.isnan(low), -np.inf, low)
    hi = np.where(np.isnan(high), np.inf, high)
    outside = quantity & ~above & np.isfinite(value) & ((value < lo) | (value > hi))
    problems.at(
        outside,
        "value",
        lambda row: (
            f"{_amount(value[row])} is outside the claim's interval "
            f"{format_interval(_opt(low[row]), _opt(high[row]))} (low to high)"
        ),
    )


def _check_day_counts(
    day_count: npt.NDArray[np.bool_], out: dict[str, Any], problems: _Problems
) -> None:
    ordinal = out["ordinal"].to_numpy(dtype=np.float64, na_value=np.nan)
    problems.at(day_count & np.isnan(ordinal), "ordinal", lambda _: "missing")
    problems.at(
        day_count & (ordinal < 1),
        "ordinal",
        lambda row: f"{_amount(ordinal[row])} is not a day of a series (day numbers start at 1)",
    )
    problems.at(
        day_count & (ordinal > MAX_ORDINAL),
        "ordinal",
        lambda row: (
            f"{_amount(ordinal[row])} days is more than the calendar holds ({MAX_ORDINAL:,})"
        ),
    )
    problems.at(day_count & ~_is_set(out["day_unit"]), "day_unit", lambda _: "missing")
    when = out["as_of_start"]
    for name in ("stated", "published"):
        when = np.where(np.isnat(when), out[f"{name}_start"], when)
    sane = day_count & (ordinal >= 1) & (ordinal <= MAX_ORDINAL) & ~np.isnat(when)
    days = (np.where(sane, when, _DATE_BOUNDS[0]) - _DATE_BOUNDS[0]) // _DAY  # since 1 January 1
    problems.at(
        sane & (np.where(sane, ordinal, 1) - 1 > days),
        "ordinal",
        lambda row: (
            f"day {_amount(ordinal[row])} on {when[row].astype('datetime64[D]')} puts the start "
            "of the series before the calendar's (year 1)"
        ),
    )


def _check_date(name: str, out: dict[str, Any], problems: _Problems) -> None:
    columns = [f"{name}_{part}" for part in DATE_PARTS]
    if not problems.ok(*columns):
        return
    start_column, end_column, precision_column, written_column = columns
    start, end = out[start_column], out[end_column]
    has_start = ~np.isnat(start)
    without = f"set without {start_column}"
    for column in (end_column, precision_column, written_column):
        problems.at(~has_start & _is_set(out[column]), column, lambda _: without)
    backwards = has_start & ~np.isnat(end) & (end < start)
    problems.at(
        backwards,
        end_column,
        lambda row: (
            f"the date ends on {end[row].astype('datetime64[D]')}, "
            f"before it starts on {start[row].astype('datetime64[D]')}"
        ),
    )
    end = np.where(has_start & np.isnat(end), start, end)  # a date without an end is one day
    out[end_column] = end
    precision = out[precision_column]
    day0, day1 = start.view(np.int64) // _SECONDS, end.view(np.int64) // _SECONDS
    dated = has_start & ~backwards
    wrong = np.zeros(len(start), dtype=bool)
    wrong[dated & _is(precision, Precision.DAY.value) & (day0 != day1)] = True
    for p, unit in ((Precision.MONTH, "datetime64[M]"), (Precision.YEAR, "datetime64[Y]")):
        rows = np.flatnonzero(dated & _is(precision, p.value))  # few: computed on those only
        first = start[rows].astype("datetime64[D]")
        period = first.astype(unit)
        last = (period + 1).astype("datetime64[D]") - 1
        wrong[rows] = (period.astype("datetime64[D]") != first) | (
            end[rows].astype("datetime64[D]") != last
        )

    def span(row: int) -> str:
        p = precision.iloc[row]
        return (
            f"a {p} date must cover exactly one calendar {p}, not "
            f"{start[row].astype('datetime64[D]')}/{end[row].astype('datetime64[D]')}"
        )

    problems.at(wrong, precision_column, span)
    unset = has_start & ~_is_set(precision)
    if unset.any():
        filled = np.array(precision.astype(object), dtype=object)
        filled[unset] = np.where(
            day0[unset] == day1[unset], Precision.DAY.value, Precision.RANGE.value
        )
        out[precision_column] = pd.Series(pd.Categorical(filled), index=precision.index)


def read_claims_frame(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The claims frame in the Parquet file (or folder of Parquet files) at ``path``, checked with
    :func:`check_claims_frame` (problems name the file).

    Needs ``pyarrow`` (``claimtrack[parquet]``), else raises
    :class:`~claimtrack.errors.MissingExtraError`. A file that is missing, unreadable or not
    Parquet raises :class:`~claimtrack.errors.FrameFileError`; one whose columns or values are
    not those of a claims frame, :class:`~claimtrack.errors.FrameError`.
    """
    where = str(path)
    frame = _read_parquet(Path(path), where)
    return check_claims_frame(frame, where=where)


def _read_parquet(path: Path, where: str) -> pd.DataFrame:
    try:
        import pyarrow as pa
        import pyarrow.parquet
    except ImportError:
        raise MissingExtraError("reading claims from Parquet", "parquet") from None
    if not path.exists():
        raise FrameFileError(where, "no such file or folder")
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError, TypeError, KeyError, IndexError, pa.ArrowException) as exc:
        raise FrameFileError(where, _reason(exc)) from None
    if not isinstance(frame, pd.DataFrame):  # pragma: no cover - read_parquet gives frames
        raise FrameFileError(where, "not a table")
    return frame


def _reason(exc: BaseException) -> str:
    """The first line of what an exception says, short enough for one line of an error."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    return text if len(text) <= 200 else text[:197] + "..."


def check_claims_schema(frame: pd.DataFrame, *, where: str = "claims frame") -> None:
    """Check only the columns and their types of ``frame``: for a lazy frame's metadata (a Dask
    frame's ``_meta``), whose values are not at hand. Raises what :func:`check_claims_frame`
    raises."""
    check_claims_frame(frame.iloc[:0], where=where)

"""Checking a claims frame at the edge: a frame meets a claim file's invariants (see
:func:`claimtrack.frame.check_claims_frame`), and reading one from Parquet."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import process

from claimtrack._frame_columns import (
    _BAD_ID,
    _CHOICES,
    _DATE_BOUNDS,
    _DAY,
    _ID_COLUMNS,
    _SECONDS,
    _STRING,
    MAX_ORDINAL,
    _amount,
    _bad_ids,
    _booleans,
    _category,
    _choices,
    _dates,
    _floats,
    _id_categories,
    _opt,
    _ordinals,
    _Problems,
    _shown,
    _text,
    _via_cells,
)
from claimtrack._frame_schema import (
    CATEGORY_COLUMNS,
    COLUMNS,
    DATE_FIELDS,
    DATE_PARTS,
    FLOAT_COLUMNS,
    LIST_COLUMNS,
    STRING_COLUMNS,
    date_columns,
)
from claimtrack.dates import Precision
from claimtrack.errors import FrameError, FrameFileError, FrameProblem, MissingExtraError
from claimtrack.quantity import format_interval
from claimtrack.subject import SubjectKind

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
    if column in LIST_COLUMNS:
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
        elif column in LIST_COLUMNS:
            out[column] = _via_cells(series, problems, column)
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

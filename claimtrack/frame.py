"""Claims as a pandas DataFrame, and back.

:func:`claims_to_frame` gives one row per claim with typed columns: ids are categoricals, bounds are
floats (``NaN`` is an open bound on a quantity claim), dates are ``datetime64`` pairs of first and
last possible day. :func:`claims_from_frame` reads the same shape back, so analysts can build or edit
claims in pandas. The comparator works directly on this frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from claimtrack._frame_check import (
    KIND_COLUMNS,
    REQUIRED_COLUMNS,
    check_claims_frame,
    check_claims_schema,
    read_claims_frame,
)
from claimtrack._frame_columns import MAX_ORDINAL, MAX_PROBLEMS, _missing, _opt
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
from claimtrack.claim import Claim, ClaimValue, DayCount, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate, Precision
from claimtrack.entity import Entity, EntityIndex
from claimtrack.quantity import Estimate, Hedge, hedge_for_bounds
from claimtrack.source import Source
from claimtrack.subject import Subject

__all__ = [
    "CATEGORY_COLUMNS",
    "COLUMNS",
    "DATE_FIELDS",
    "DATE_PARTS",
    "FLOAT_COLUMNS",
    "KIND_COLUMNS",
    "LIST_COLUMNS",
    "MAX_ORDINAL",
    "MAX_PROBLEMS",
    "REQUIRED_COLUMNS",
    "STRING_COLUMNS",
    "check_claims_frame",
    "check_claims_schema",
    "claims_from_frame",
    "claims_to_frame",
    "date_columns",
    "read_claims_frame",
]


def _date_cells(value: FuzzyDate | None) -> tuple[Any, Any, Any, Any]:
    if value is None:
        return None, None, None, None
    return value.start, value.end, value.precision.value, value.written


def _row(claim: Claim, source: Source, subject: Subject | None) -> list[Any]:
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
        subject.variation.value if subject is not None else None,
        claim.source,
        source.publisher,
        source.republishes,
        claim.claimant,
        claim.co_claimants,
        claim.via,
        claim.attribution.value if claim.attribution is not None else None,
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
        statement.co_speakers if statement else None,
        statement.stance.value if statement else None,
        statement.mode.value if statement else None,
        *_date_cells(claim.as_of),
        *_date_cells(claim.stated),
        *_date_cells(event),
        *_date_cells(source.published),
        claim.notes,
    ]


def claims_to_frame(claims: ClaimSet) -> pd.DataFrame:
    """One row per claim of ``claims``, columns :data:`COLUMNS`, typed as described above."""
    subjects = claims.subjects
    rows = [_row(c, claims.sources[c.source], subjects.get(c.subject)) for c in claims]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for col in CATEGORY_COLUMNS:
        frame[col] = frame[col].astype("category")
        if not len(frame[col].cat.categories):  # texts, even when none: a Parquet file of an
            # all-missing column with no type of its categories cannot be read back
            frame[col] = frame[col].cat.set_categories(pd.Index([], dtype="str"))
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
    return Statement(
        row["speaker"],
        row["stance"],
        _opt(row.get("mode")) or "paraphrase",
        _via(row.get("co_speakers")),
    )


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
    be a tuple, a list or a comma-separated string, and so may ``co_claimants`` and ``co_speakers``.
    Publisher, republishes and published columns are ignored (they come from ``sources``), and
    so is ``varies`` (the subject's :attr:`~claimtrack.Subject.variation`, from ``subjects``). The frame is checked first with :func:`check_claims_frame`, which raises
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
                co_claimants=_via(row.get("co_claimants")),
                attribution=_opt(row.get("attribution")),
            )
        )
    source_map = sources if isinstance(sources, Mapping) else {s.id: s for s in sources}
    subject_map = subjects if isinstance(subjects, Mapping) else {s.id: s for s in subjects}
    index = entities if isinstance(entities, EntityIndex) else EntityIndex(entities)
    return ClaimSet(claims, source_map, subject_map, index)

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
from claimtrack.entity import Entity, EntityIndex, EntityKind
from claimtrack.errors import FrameError, FrameProblem
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
    "STAND_IN_DESCRIPTION",
    "STAND_IN_TITLE",
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


STAND_IN_TITLE = "(no title: the claims frame names this source by its id)"
"""The title of a source that :func:`claims_from_frame` makes from a claims frame alone."""

STAND_IN_DESCRIPTION = "No label or description: the claims frame names this subject by its id."
"""The description of a subject that :func:`claims_from_frame` makes from a claims frame alone."""


def claims_from_frame(
    frame: pd.DataFrame,
    *,
    sources: Mapping[str, Source] | Iterable[Source] | None = None,
    subjects: Mapping[str, Subject] | Iterable[Subject] | None = None,
    entities: EntityIndex | Iterable[Entity] | None = None,
    where: str = "claims frame",
) -> ClaimSet:
    """Claims from a frame shaped like :func:`claims_to_frame`'s output.

    A claims frame carries every claim's quote, value, dates, claimant, source id, publisher and
    publication date, but not what the registries say: source titles and addresses, subject
    labels and descriptions, entity names. Give them as ``sources``, ``subjects`` and
    ``entities``; each one left out is made from the frame and named by its ids, and says so: a
    source's title is :data:`STAND_IN_TITLE` (its publisher and publication date from the frame's
    ``publisher`` and ``published_*`` columns), a subject's label is its id, its kind that of its
    first claim (as :func:`claimtrack.compare` reads a frame) and its description
    :data:`STAND_IN_DESCRIPTION`, an entity's name is its id. ``where`` names the frame in
    errors (a Parquet file's path).

    Required columns: ``claim``, ``subject``, ``kind``, ``source``, ``claimant``, ``quote`` and the
    columns of the kind (``low``/``high`` for quantities, ``ordinal``/``day_unit`` for day counts,
    ``date_start``/``date_end`` for event dates, ``speaker``/``stance`` for statements). ``via`` may
    be a tuple, a list or a comma-separated string, and so may ``co_claimants`` and ``co_speakers``.
    Publisher, republishes and published columns are ignored (they come from ``sources``), and
    so is ``varies`` (the subject's :attr:`~claimtrack.Subject.variation`, from ``subjects``). The frame is checked first with :func:`check_claims_frame`, which raises
    :class:`~claimtrack.errors.FrameError` naming every problem. References are not checked here:
    use :func:`claimtrack.check` for that.
    """
    frame = check_claims_frame(frame, published=sources is None, where=where)
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
    if sources is None:
        sources = _stand_in_sources(frame, where)
    if subjects is None:
        subjects = _stand_in_subjects(frame)
    if entities is None:
        entities = _stand_in_entities(claims, sources)
    source_map = sources if isinstance(sources, Mapping) else {s.id: s for s in sources}
    subject_map = subjects if isinstance(subjects, Mapping) else {s.id: s for s in subjects}
    index = entities if isinstance(entities, EntityIndex) else EntityIndex(entities)
    return ClaimSet(claims, source_map, subject_map, index)


def _stand_in_sources(frame: pd.DataFrame, where: str) -> list[Source]:
    """One source per source id of ``frame``: its publisher and publication date from the frame
    (a frame without them cannot make sources: :class:`~claimtrack.errors.FrameError`)."""
    needed = ("publisher", "published_start")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        problems = [
            FrameProblem(
                where, None, None, column, "missing: a claims frame without sources needs it"
            )
            for column in missing
        ]
        raise FrameError(where, problems)
    firsts = frame.drop_duplicates("source")
    out = []
    records: list[dict[str, Any]] = firsts.to_dict("records")  # type: ignore[assignment]
    for row in records:
        published = _date(row, "published")
        if published is None or _opt(row.get("publisher")) is None:
            what = "publisher" if _opt(row.get("publisher")) is None else "published_start"
            problem = FrameProblem(where, None, None, what, f"missing for source {row['source']!r}")
            raise FrameError(where, [problem])
        out.append(Source(row["source"], STAND_IN_TITLE, row["publisher"], published))
    return out


def _stand_in_subjects(frame: pd.DataFrame) -> list[Subject]:
    kinds = frame.groupby("subject", observed=True, sort=True)["kind"].first()
    return [
        Subject(str(sid), str(sid), str(kind), STAND_IN_DESCRIPTION) for sid, kind in kinds.items()
    ]


def _stand_in_entities(
    claims: Iterable[Claim], sources: Mapping[str, Source] | Iterable[Source]
) -> list[Entity]:
    """An entity named by its id for every claimant, speaker, intermediary and publisher."""
    ids: set[str] = set()
    for claim in claims:
        ids.update((claim.claimant, *claim.co_claimants, *claim.via))
        if isinstance(claim.value, Statement):
            ids.update((claim.value.speaker, *claim.value.co_speakers))
    values = sources.values() if isinstance(sources, Mapping) else sources
    ids.update(s.publisher for s in values)
    return [Entity(i, i, EntityKind.ORGANISATION) for i in sorted(ids)]

"""The per-claim texts reasons, the subjects table and series checks are written with.

Each text is built once per distinct value (a date, an interval, a phrase), never once per pair:
pairs gather the texts of their two claims.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from claimtrack.compare._arrays import (
    EPOCH,
    Bools,
    Floats,
    Ints,
    Objects,
    _distinct,
    _factor,
    _object_column,
    _objects,
    _per_distinct,
)
from claimtrack.compare._vocabulary import DAY_COUNT, QUANTITY, STANCES, STATEMENT
from claimtrack.quantity import format_interval
from claimtrack.subject import SubjectKind
from claimtrack.units import measured_unit

_BASES = ("as_of", "stated", "published")
_KIND_TEXTS = tuple(k.value.replace("_", " ") for k in SubjectKind)
"""How a reason names a claim's kind ("day count"), in :class:`claimtrack.SubjectKind` order."""


def _basis_texts(frame: pd.DataFrame, basis: str, rows: Ints) -> Objects:
    """The texts of one of the times of the claims ``rows`` of ``frame`` (which all have it):
    the date, month or year as precise as stated, with the words written when they were
    relative, built once per distinct time; in the order of ``rows``."""
    start, end = frame[f"{basis}_start"].iloc[rows], frame[f"{basis}_end"].iloc[rows]
    precision = frame[f"{basis}_precision"].iloc[rows]
    written = frame[f"{basis}_written"].iloc[rows]
    code, first = _distinct(
        start.to_numpy(dtype="datetime64[s]").view(np.int64),
        end.to_numpy(dtype="datetime64[s]").view(np.int64),
        _factor(precision)[0],
        _factor(written)[0],
    )
    one = zip(
        start.iloc[first].dt.strftime("%Y-%m-%d").astype(object).tolist(),
        end.iloc[first].dt.strftime("%Y-%m-%d").astype(object).tolist(),
        precision.iloc[first].astype(object).tolist(),
        _object_column(written.iloc[first]).tolist(),
        strict=True,
    )
    texts: list[str] = []
    for a, b, p, w in one:
        text = a[:4] if p == "year" else a[:7] if p == "month" else a if a == b else f"{a}/{b}"
        if isinstance(w, str):
            text = f"{text} ('{w}')"
        texts.append(f"published {text}" if basis == "published" else text)
    return _per_distinct(texts, code)


def _when_texts(frame: pd.DataFrame, rows: Ints | None = None) -> Objects:
    """Per claim (of ``rows`` of ``frame``, default all): its effective time as text (as-of, else
    stated, else "published ...", else "undated"), built once per distinct date, precision and
    words of the time used."""
    n = len(frame) if rows is None else len(rows)
    used = np.full(n, len(_BASES), dtype=np.int64)  # which time each claim's text is of
    for k in reversed(range(len(_BASES))):  # earlier ones win
        start = frame[f"{_BASES[k]}_start"].to_numpy(dtype="datetime64[s]")
        used[~np.isnat(start if rows is None else start[rows])] = k
    out = np.full(n, "undated", dtype=object)
    for k, basis in enumerate(_BASES):
        at = np.flatnonzero(used == k)
        if len(at):
            out[at] = _basis_texts(frame, basis, at if rows is None else rows[at])
    return out


def _interval_texts(lo: Floats, hi: Floats, kind: Ints) -> list[str]:
    """Per claim, its interval as :func:`claimtrack.format_interval` writes it (empty text for
    claims that are not quantities)."""
    return [
        format_interval(low, high) if k == QUANTITY else ""
        for low, high, k in zip(lo.tolist(), hi.tolist(), kind.tolist(), strict=True)
    ]


def _date_span(d0: float, d1: float) -> str:
    first = str(EPOCH + np.timedelta64(int(d0), "D"))
    last = str(EPOCH + np.timedelta64(int(d1), "D"))
    return first if first == last else f"{first}/{last}"


def _date_spans(d0: Floats, d1: Floats, valid: Bools) -> Objects:
    """:func:`_date_span` where ``valid``, once per distinct span; empty text elsewhere."""
    d0, d1 = np.where(valid, d0, np.nan), np.where(valid, d1, np.nan)
    code, first = _distinct(d0, d1)
    texts = [
        _date_span(a, b) if ok else ""
        for a, b, ok in zip(
            d0[first].tolist(), d1[first].tolist(), valid[first].tolist(), strict=True
        )
    ]
    return _per_distinct(texts, code)


def _value(written: Any, interval: str, unit: Any = None) -> str:
    if isinstance(unit, str) and interval and measured_unit(unit) is not None:
        interval = f"{interval} {unit}"  # "“18 months” (1.5 years)"
    if not isinstance(written, str) or not written:
        return interval
    if written.replace(",", "") == interval.replace(",", ""):
        return f"“{written}”"
    return f"“{written}” ({interval})"


TEXT_COLUMNS = (
    "written",
    "when",
    "interval",
    "value_text",
    "ordinal_text",
    "start_text",
    "date_text",
    "statement_text",
    "kind_text",
)
"""The per-claim texts reasons, the subjects table and series checks are written with."""


SUMMARY_TEXT_COLUMNS = ("written", "when", "interval")
"""The texts the subjects table and series checks need (a part of :data:`TEXT_COLUMNS`)."""


def add_texts(
    df: pd.DataFrame, frame: pd.DataFrame, columns: tuple[str, ...] = TEXT_COLUMNS
) -> pd.DataFrame:
    """``df`` (prepared rows of ``frame``: whole subjects for ``statement_text``) with the text
    ``columns`` (of :data:`TEXT_COLUMNS`) added, each built once per distinct value (index reset).
    """
    df = df.reset_index(drop=True)
    rows = df["row"].to_numpy()
    if len(rows) == len(frame):  # texts in the frame's order, then put in the prepared order
        df["written"] = _objects(_object_column(frame["text"])[rows])
        df["when"] = _objects(_when_texts(frame)[rows])
    else:
        df["written"] = _objects(_object_column(frame["text"].iloc[rows]))
        df["when"] = _objects(_when_texts(frame, rows))
    if "undated" in df.columns:  # no time of its own, and none taken from its page
        when = df["when"].to_numpy(dtype=object).copy()
        when[df["undated"].to_numpy(dtype=bool)] = "undated"
        df["when"] = _objects(when)
    wanted = set(columns)
    _add_texts(df, wanted)
    if "start_text" in wanted:
        day_count = df["kind"].to_numpy() == DAY_COUNT
        start0, start1 = df["start0"].to_numpy(), df["start1"].to_numpy()
        counted = day_count & ~np.isnan(start0) & ~np.isnan(start1)
        df["start_text"] = _objects(_date_spans(start0, start1, counted))
    if "date_text" in wanted:
        dates = ~np.isnan(df["d0"].to_numpy()) & ~np.isnan(df["d1"].to_numpy())
        df["date_text"] = _objects(_date_spans(df["d0"].to_numpy(), df["d1"].to_numpy(), dates))
    if "statement_text" in wanted:
        df["statement_text"] = _objects(_statement_texts(df))
    if "kind_text" in wanted:
        names = np.array([*_KIND_TEXTS, "claim"], dtype=object)  # by code; -1 (unknown) is last
        df["kind_text"] = _objects(names[df["kind"].to_numpy()])
    return df


def _add_texts(df: pd.DataFrame, wanted: set[str]) -> None:
    """Per claim: its interval, and where ``wanted``, its value as written (with the interval when
    it differs; statement texts need it) and its day count, each built once per distinct value."""
    kind = df["kind"].to_numpy()
    quantity = kind == QUANTITY
    lo = np.where(quantity, df["lo"].to_numpy(), np.nan)
    hi = np.where(quantity, df["hi"].to_numpy(), np.nan)
    code, first = _distinct(lo, hi, quantity)
    interval = _per_distinct(_interval_texts(lo[first], hi[first], kind[first]), code)
    df["interval"] = _objects(interval)
    if wanted & {"value_text", "statement_text"}:
        written = df["written"].to_numpy()
        units = df["unit"].to_numpy() if "unit" in df.columns else np.full(len(df), None)
        code, first = _distinct(written, interval, units)
        texts = [
            _value(w, i, u)
            for w, i, u in zip(written[first], interval[first], units[first], strict=True)
        ]
        df["value_text"] = _objects(_per_distinct(texts, code))
    if "ordinal_text" not in wanted:
        return
    ordinal = np.where(kind == DAY_COUNT, df["ordinal"].to_numpy(), np.nan)
    code, first = _distinct(ordinal)
    texts = ["" if np.isnan(x) else str(int(x)) for x in ordinal[first].tolist()]
    df["ordinal_text"] = _objects(_per_distinct(texts, code))


def _statement_texts(df: pd.DataFrame) -> Objects:
    """Per claim, how a statement reason names it: "speaker (per claimant) denies" for statements,
    "claimant gives value" for figures; only in subjects that hold a statement."""
    kind = df["kind"].to_numpy()
    subject = df["subject"].to_numpy()
    new_block = np.r_[True, subject[1:] != subject[:-1]] if len(df) else np.zeros(0, dtype=bool)
    block = np.cumsum(new_block) - 1
    has_statement = np.bincount(block, weights=kind == STATEMENT, minlength=int(new_block.sum()))
    rows = np.flatnonzero(has_statement[block] > 0)
    out = np.full(len(df), "", dtype=object)
    claimant = df["claimant"].to_numpy()[rows].tolist()
    speaker = df["speaker"].to_numpy()[rows].tolist()
    stance = df["stance"].to_numpy()[rows].tolist()
    value = df["value_text"].to_numpy()[rows].tolist()
    texts = []
    for c, s, st, v, k in zip(claimant, speaker, stance, value, kind[rows].tolist(), strict=True):
        if k == STATEMENT:
            who = s if s == c else f"{s} (per {c})"
            texts.append(f"{who} {STANCES[st]}")
        else:
            texts.append(f"{c} gives {v}")
    out[rows] = texts
    return out

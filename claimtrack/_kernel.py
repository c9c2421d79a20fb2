"""The vectorised comparison kernel: prepared claims in, pairs with verdicts out.

Claims are prepared once (:func:`prepare`): numeric intervals, effective times in days, integer
codes for ids, the per-claim texts reasons are made of, sorted so each subject is one contiguous
block. Pairs ``i < j`` inside every block are enumerated as one global sequence
(:class:`PairSequence`), so any range of it can be compared on its own (:func:`compare_range`): that
is how large blocks are processed in chunks, and how the Dask engine spreads a hot subject over
workers. No Python loop runs per pair or per block; rules are masks over arrays, and reasons are
per-claim texts and per-value numbers joined by :class:`Template` (with Arrow's string kernels when
the pairs go to Parquet, see :func:`decide`).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import fuzz, process, utils

from claimtrack.quantity import _fmt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]

QUANTITY, DAY_COUNT, EVENT_DATE, STATEMENT = 0, 1, 2, 3
KIND_CODES = {
    "quantity": QUANTITY,
    "day_count": DAY_COUNT,
    "event_date": EVENT_DATE,
    "statement": STATEMENT,
}
STANCES = ("asserts", "denies", "promises", "demands", "warns")
_EPOCH = np.datetime64("1970-01-01", "D")

PAIR_COLUMNS = (
    "claim_a",
    "claim_b",
    "subject",
    "kind",
    "verdict",
    "rule",
    "reason",
    "overlap",
    "relative_gap",
    "days_apart",
    "same_claimant",
    "same_publisher",
    "same_source",
    "quote_similarity",
)
"""The columns of a pairs frame, in order."""


def _days(values: pd.Series[Any]) -> Floats:
    """datetime64 column as float days since 1970 (NaN when missing)."""
    as_days = values.to_numpy(dtype="datetime64[D]")
    out = (as_days - _EPOCH).astype("float64")
    out[np.isnat(as_days)] = np.nan
    return out


def _first(*arrays: Floats) -> Floats:
    """Element-wise the first non-NaN of ``arrays``."""
    out = arrays[0].copy()
    for other in arrays[1:]:
        missing = np.isnan(out)
        out[missing] = other[missing]
    return out


def _distinct(*columns: Any) -> tuple[Ints, Ints]:
    """Rows of ``columns`` grouped by equal values (missing values equal each other): a group code
    per row, and the first row of each group. Texts are built once per group, not per claim."""
    n = len(columns[0])
    code = np.zeros(n, dtype=np.int64)
    for column in columns:
        values = np.asarray(pd.factorize(column)[0], dtype=np.int64) + 1  # missing -> 0
        code = np.asarray(pd.factorize(code * (int(values.max(initial=0)) + 1) + values)[0])
    groups = int(code.max(initial=-1)) + 1
    first = np.zeros(groups, dtype=np.int64)
    first[code[::-1]] = np.arange(n - 1, -1, -1)
    return code.astype(np.int64), first


def _combined(*codes: Ints) -> Ints:
    """One integer per row, equal exactly where every one of ``codes`` (integers of at least -1,
    such as :func:`_factor` codes) is: arithmetic where the key fits in 62 bits, else
    :func:`_distinct` codes."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1
    for code in codes:
        width = int(code.max(initial=-1)) + 2
        span *= width
        if span >= 2**62:
            return _distinct(*codes)[0]
        key = key * width + (code + 1)
    return key


def _day_ranks(days: Floats) -> tuple[Ints, int]:
    """Days (:func:`_days`) as integers from 0 in the same order, NaN last, and how many values
    they can take (for :func:`_packed_order`)."""
    missing = np.isnan(days)
    if missing.all():
        return np.zeros(len(days), dtype=np.int64), 1
    low, high = np.nanmin(days), np.nanmax(days)
    if high - low >= 2**40 or not (missing | (days == np.floor(days))).all():
        ranks = np.unique(days, return_inverse=True)[1]  # NaN is the largest value
        return np.asarray(ranks, dtype=np.int64).reshape(-1), int(ranks.max()) + 1
    width = int(high - low) + 2
    return np.where(missing, width - 1, days - low).astype(np.int64), width


def _packed_order(columns: Sequence[tuple[Ints, int]]) -> Ints:
    """The stable row order by integer ``columns`` (``(values, width)``: values from 0 to
    ``width - 1``; the first column sorts first), packed into as few 62-bit keys as fit: one
    key, where it fits, is one sort instead of :func:`numpy.lexsort`'s one per column."""
    keys: list[Ints] = []
    span = 2**62
    for values, width in columns:
        if span * width < 2**62:
            keys[-1] = keys[-1] * width + values
            span *= width
        else:
            keys.append(np.asarray(values, dtype=np.int64))
            span = width
    order = np.argsort(keys[-1], kind="stable")
    for key in reversed(keys[:-1]):
        order = order[np.argsort(key[order], kind="stable")]
    return np.asarray(order, dtype=np.int64)


def _per_distinct(texts: list[str], code: Ints) -> Objects:
    """Texts computed for the first row of each group, spread to every row of the group."""
    return np.asarray(np.array(texts, dtype=object)[code], dtype=object)


_BASES = ("as_of", "stated", "published")


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
    out = []
    for low, high, k in zip(lo.tolist(), hi.tolist(), kind.tolist(), strict=True):
        if k != QUANTITY:
            out.append("")
        elif low == -np.inf:
            out.append(f"≤ {_fmt(high)}")
        elif high == np.inf:
            out.append(f"≥ {_fmt(low)}")
        elif low == high:
            out.append(_fmt(low))
        else:
            out.append(f"{_fmt(low)}–{_fmt(high)}")
    return out


def _date_span(d0: float, d1: float) -> str:
    first = str(_EPOCH + np.timedelta64(int(d0), "D"))
    last = str(_EPOCH + np.timedelta64(int(d1), "D"))
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


def _value(written: Any, interval: str) -> str:
    if not isinstance(written, str) or not written:
        return interval
    if written.replace(",", "") == interval.replace(",", ""):
        return f"“{written}”"
    return f"“{written}” ({interval})"


def _column(values: Any) -> Any:
    """An array for a frame column: object arrays as they are (see :func:`_objects`)."""
    return _objects(values) if values.dtype == object else values


def _objects(values: Any) -> pd.Series[Any]:
    """An object column as it is (pandas would otherwise copy every text into a string array)."""
    return pd.Series(values, dtype=object, copy=False)


def _factor(values: pd.Series[Any]) -> tuple[Ints, Objects]:
    """Integer codes of a column (-1 where missing), numbered in the sorted order of its distinct
    values when they are all texts (else as first seen), and those values."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.asarray(values.cat.codes, dtype=np.int64)
        uniques = np.asarray(values.cat.categories.astype(object), dtype=object)
    else:
        found, index = pd.factorize(values)
        codes, uniques = np.asarray(found, dtype=np.int64), np.asarray(index, dtype=object)
    if len(uniques) and pd.api.types.infer_dtype(uniques, skipna=False) == "string":
        if pd.Index(uniques).is_monotonic_increasing:  # categories often are
            return codes, uniques
        order = np.argsort(uniques.astype(str), kind="stable")
        rank = np.empty(len(uniques), dtype=np.int64)
        rank[order] = np.arange(len(uniques))
        codes = np.where(codes < 0, -1, rank[np.maximum(codes, 0)])
        uniques = uniques[order]
    return codes, uniques


def _object_column(values: pd.Series[Any]) -> Objects:
    """A column as an object array, ``None`` where missing."""
    out: Objects = values.astype(object).to_numpy()
    missing = pd.isna(out)
    if missing.any():
        out = out.copy()
        out[missing] = None
    return out


def _values(codes: Ints, uniques: Objects) -> Objects:
    """The values of :func:`_factor` codes as an object array (``None`` where missing)."""
    with_missing = np.empty(len(uniques) + 1, dtype=object)
    with_missing[:-1] = uniques
    return np.asarray(with_missing[codes], dtype=np.object_)


def _lookup(values: pd.Series[Any], table: Mapping[Any, Any], default: Any, dtype: Any) -> Any:
    """``table[value]`` per row (``default`` where absent), looked up once per distinct value."""
    codes, uniques = _factor(values)
    found = np.array([table.get(u, default) for u in uniques] + [default], dtype=dtype)
    return found[codes]


def prepare(
    frame: pd.DataFrame,
    subjects: pd.DataFrame,
    summary_sections: frozenset[str],
    *,
    texts: bool = True,
) -> pd.DataFrame:
    """The claims frame as the kernel needs it, sorted by subject, then time, then claim id.

    ``subjects`` has columns ``subject``, ``subject_kind``, ``label``. Additional amounts
    ("millions more") get the interval of their base figure plus theirs: the base is a claim of the
    same source, subject and claimant that is not additional (the first one, in file order); with no
    base, the amount is "at least" its low bound. ``row`` is each claim's row in ``frame``. With
    ``texts``, the texts reasons are made of are added (:func:`add_texts`); without, only what the
    rules decide on. Text columns are object arrays (not pandas strings), so gathering them per
    pair copies pointers, not characters.
    """
    subject_code, subject_names = _factor(frame["subject"])
    codes = {col: _factor(frame[col]) for col in ("claimant", "speaker", "publisher", "source")}
    listed = subjects["subject"].astype(object).to_numpy()
    if len(listed) == len(subject_names) and bool((listed == subject_names).all()):
        known = np.arange(len(listed))  # the same subjects in the same order (a frame's)
    else:
        known = pd.Index(listed).get_indexer(subject_names)
    per_subject = {}  # per distinct subject; the last entry for rows without a subject
    for col in ("subject_kind", "label"):
        values = _values(known, subjects[col].astype(object).to_numpy())
        per_subject[col] = _values(np.arange(len(values)), values)
    kind = _lookup(frame["kind"], KIND_CODES, -1, np.int64)
    cols: dict[str, Any] = {
        "row": np.arange(len(frame), dtype=np.int64),
        "claim": _object_column(frame["claim"]),
        "subject_code": subject_code,
        "kind": kind,
        "lo": frame["low"].to_numpy(dtype="float64", na_value=np.nan),
        "hi": frame["high"].to_numpy(dtype="float64", na_value=np.nan),
        "additional": frame["additional"].fillna(False).to_numpy(dtype=bool),
        "ordinal": frame["ordinal"].astype("float64").to_numpy(na_value=np.nan),
        "d0": _days(frame["date_start"]),
        "d1": _days(frame["date_end"]),
        "t0": _first(
            _days(frame["as_of_start"]),
            _days(frame["stated_start"]),
            _days(frame["published_start"]),
        ),
        "t1": _first(
            _days(frame["as_of_end"]), _days(frame["stated_end"]), _days(frame["published_end"])
        ),
        "stance": _lookup(frame["stance"], {s: i for i, s in enumerate(STANCES)}, -1, np.int64),
        "summary": _lookup(frame["section"], dict.fromkeys(summary_sections, True), False, bool),
        "quote": _object_column(frame["quote"]),
        **{f"{col}_code": code for col, (code, _) in codes.items()},
    }
    quantity = kind == QUANTITY
    cols["lo"] = np.where(quantity & np.isnan(cols["lo"]), -np.inf, cols["lo"])
    cols["hi"] = np.where(quantity & np.isnan(cols["hi"]), np.inf, cols["hi"])
    cols["base_row"] = np.full(len(frame), -1, dtype=np.int64)
    _combine_additional(cols)
    kind_codes = _lookup(pd.Series(per_subject["subject_kind"]), KIND_CODES, -1, np.int64)
    cols["subject_kind_code"] = kind_codes[subject_code]
    cols["start0"] = cols["t0"] - (cols["ordinal"] - 1)
    cols["start1"] = cols["t1"] - (cols["ordinal"] - 1)
    cols["has_base"] = cols["base_row"] >= 0
    order = _order(cols, frame["claim"], subject_names)
    # copy=False: the columns stay separate arrays (consolidating them would copy every one)
    df = pd.DataFrame({name: _column(values[order]) for name, values in cols.items()}, copy=False)
    # texts named by a code are looked up in order (faster than gathering texts in a new order)
    subject_code = subject_code[order]
    df["subject"] = _objects(_values(subject_code, subject_names))
    for col, values in per_subject.items():
        df[col] = _objects(values[subject_code])
    for col, (code, uniques) in codes.items():
        df[col] = _objects(_values(code[order], uniques))
    df["subject_index"] = _blocks(df["subject_code"].to_numpy())
    if texts:
        df = add_texts(df, frame)
    return df


TEXT_COLUMNS = (
    "written",
    "when",
    "interval",
    "value_text",
    "ordinal_text",
    "start_text",
    "date_text",
    "statement_text",
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
        code, first = _distinct(written, interval)
        texts = [_value(w, i) for w, i in zip(written[first], interval[first], strict=True)]
        df["value_text"] = _objects(_per_distinct(texts, code))
    if "ordinal_text" not in wanted:
        return
    ordinal = np.where(kind == DAY_COUNT, df["ordinal"].to_numpy(), np.nan)
    code, first = _distinct(ordinal)
    texts = ["" if np.isnan(x) else str(int(x)) for x in ordinal[first].tolist()]
    df["ordinal_text"] = _objects(_per_distinct(texts, code))


def _order(cols: Mapping[str, Any], claim: pd.Series[Any], subject_names: Objects) -> Ints:
    """The row order of the prepared frame: by subject, then t0, t1 and claim id (stable)."""
    ids = cols["claim"]
    subjects_are_texts = (
        len(ids) > 0
        and bool((cols["subject_code"] >= 0).all())
        and pd.api.types.infer_dtype(subject_names, skipna=False) == "string"
    )
    if not subjects_are_texts or pd.api.types.infer_dtype(ids, skipna=False) != "string":
        keys = ["subject", "t0", "t1", "claim"]  # missing or mixed ids: as pandas orders them
        table = pd.DataFrame({k: cols[k] for k in keys[1:]})
        table.insert(0, "subject", _values(cols["subject_code"], subject_names))
        return np.asarray(table.sort_values(keys, kind="stable").index, dtype=np.int64)
    claim_rank = np.empty(len(ids), dtype=np.int64)
    by_claim = np.asarray(claim.reset_index(drop=True).argsort(), dtype=np.int64)
    claim_rank[by_claim] = np.arange(len(ids))
    subject = (cols["subject_code"], int(cols["subject_code"].max()) + 1)
    return _packed_order(
        [subject, _day_ranks(cols["t0"]), _day_ranks(cols["t1"]), (claim_rank, len(ids))]
    )


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


def _combine_additional(cols: dict[str, Any]) -> None:
    additional = cols["additional"]
    if not additional.any():
        return
    key = _combined(*(cols[f"{c}_code"] for c in ("source", "subject", "claimant")))
    base_rows = np.flatnonzero(~additional & (cols["kind"] == QUANTITY))
    code, keys = pd.factorize(key[base_rows])  # hashed: no sort
    first = np.zeros(len(keys), dtype=np.int64)  # the first base row per key
    first[code[::-1]] = np.arange(len(code) - 1, -1, -1)
    adds = np.flatnonzero(additional)
    at = np.asarray(pd.Index(keys).get_indexer(pd.Index(key[adds])), dtype=np.int64)
    has_base = at >= 0
    base = base_rows[first[at[has_base]]]
    lo, hi = cols["lo"].copy(), cols["hi"].copy()
    with_base = adds[has_base]
    lo[with_base] += lo[base]
    hi[with_base] += hi[base]
    hi[adds[~has_base]] = np.inf
    cols["lo"], cols["hi"] = lo, hi
    cols["base_row"][with_base] = cols["row"][base]


# -- pair enumeration -------------------------------------------------------------------------


def _blocks(subject: npt.NDArray[Any]) -> Ints:
    """For a subject-sorted column, the number of each row's subject block (0, 0, 1, 2, 2, ...)."""
    if not len(subject):
        return np.zeros(0, dtype=np.int64)
    return np.cumsum(np.r_[True, subject[1:] != subject[:-1]]).astype(np.int64) - 1


def pair_counts(subject: npt.NDArray[Any]) -> Ints:
    """For each row of a subject-sorted frame, how many later rows share its subject."""
    n = len(subject)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, subject[1:] != subject[:-1]])
    ends = np.r_[starts[1:], n]
    block_end = np.repeat(ends, ends - starts)
    return (block_end - np.arange(n) - 1).astype(np.int64)


@attrs.frozen(eq=False)
class PairSequence:
    """The pairs ``i < j`` inside every subject block of a prepared frame, as one global sequence:
    row ``i``'s pairs (with each later row of its block) come before row ``i + 1``'s.

    Any range ``k0 .. k1-1`` of it can be compared on its own (:meth:`indices`).
    """

    counts: Ints
    """Per row, how many later rows share its subject (:func:`pair_counts`)."""
    ends: Ints
    """Per row, where its pairs end in the sequence (the cumulative ``counts``)."""

    @classmethod
    def of(cls, subject: npt.NDArray[Any]) -> PairSequence:
        """The pair sequence of a subject-sorted column (subjects, or their block numbers)."""
        counts = pair_counts(subject)
        return cls(counts, np.cumsum(counts))

    @property
    def total(self) -> int:
        return int(self.ends[-1]) if len(self.ends) else 0

    def ranges(self, max_pairs: int) -> Iterator[tuple[int, int]]:
        """The sequence split into ``[k0, k1)`` ranges of at most ``max_pairs`` pairs."""
        total = self.total
        for k0 in range(0, total, max_pairs):
            yield k0, min(total, k0 + max_pairs)

    def rows(self, k0: int, k1: int) -> tuple[int, int]:
        """The rows ``lo .. hi-1`` that pairs ``k0 .. k1-1`` touch (``0, 0`` for none)."""
        if k1 <= k0:
            return 0, 0
        i0 = int(np.searchsorted(self.ends, k0, side="right"))
        i1 = int(np.searchsorted(self.ends, k1 - 1, side="right"))
        return i0, i1 + int(self.counts[i1]) + 1  # up to the end of i1's block

    def indices(self, k0: int, k1: int) -> tuple[Ints, Ints]:
        """Row indices ``(i, j)`` of pairs ``k0 .. k1-1`` (``i < j``), without a search per pair:
        the range covers rows ``i0 .. i1``, each for a run of consecutive ``j``."""
        if k1 <= k0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ends = self.ends
        i0 = int(np.searchsorted(ends, k0, side="right"))
        i1 = int(np.searchsorted(ends, k1 - 1, side="right"))
        rows = np.arange(i0, i1 + 1, dtype=np.int64)
        starts = ends[i0 : i1 + 1] - self.counts[i0 : i1 + 1]
        first = np.maximum(starts, k0)  # the first pair of each row inside the range
        runs = np.minimum(ends[i0 : i1 + 1], k1) - first
        i = np.repeat(rows, runs)
        # j runs from i + 1 + (first - start) up, by one, within each row's run
        j = np.arange(k0, k1, dtype=np.int64) + np.repeat(rows + 1 - starts, runs)
        return i, j


# -- the rules --------------------------------------------------------------------------------


def _arrow_texts(values: Objects, spec: str = "") -> Any:
    """Values as an Arrow text array, each as ``format(value, spec)`` would write it."""
    import pyarrow as pa

    if not spec:
        try:
            texts = pa.array(values, type=pa.large_string(), from_pandas=False)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            texts = None
        if texts is not None and texts.null_count == 0:
            return texts
    return pa.array([format(v, spec) for v in values.tolist()], type=pa.large_string())


class Pairs:
    """The arrays of one chunk of pairs: each claim column gathered for side a and side b."""

    def __init__(self, claims: pd.DataFrame, i: Ints, j: Ints, policy: Any) -> None:
        self.claims = claims
        self.i = i
        self.j = j
        self.policy = policy
        self._cache: dict[str, Any] = {}
        if len(i):
            self.lo = int(min(i.min(), j.min()))
            self.hi = int(max(i.max(), j.max())) + 1
        else:
            self.lo = self.hi = 0
        # pairs of a PairSequence come row by row (i never decreases): side a is then each row
        # repeated, which np.repeat gathers several times faster than indexing
        self._runs: Ints | None = None
        if len(i) and bool((i[1:] >= i[:-1]).all()):
            self._runs = np.bincount(i - i[0])

    def a(self, column: str) -> Any:
        key = "a:" + column
        if key not in self._cache:
            values = self.claims[column].to_numpy()
            if self._runs is None:
                self._cache[key] = values.take(self.i)
            else:
                first = int(self.i[0])
                self._cache[key] = np.repeat(values[first : first + len(self._runs)], self._runs)
        return self._cache[key]

    def b(self, column: str) -> Any:
        key = "b:" + column
        if key not in self._cache:
            self._cache[key] = self.claims[column].to_numpy().take(self.j)
        return self._cache[key]

    def rows(self, column: str) -> Any:
        """The column for the rows ``lo .. hi-1`` the pairs of this chunk touch."""
        return self.claims[column].to_numpy()[self.lo : self.hi]

    def texts(self, column: str, spec: str = "") -> Any:
        """The column as Arrow texts for the rows ``lo .. hi-1`` (index with ``i - lo``)."""
        key = f"texts:{column}:{spec}"
        if key not in self._cache:
            self._cache[key] = _arrow_texts(self.rows(column), spec)
        return self._cache[key]

    def run_texts(self, run: tuple[tuple[str, str, str], ...]) -> Any:
        """Several columns and the literals between them joined per claim, for rows ``lo .. hi-1``."""
        key = f"run:{run!r}"
        if key not in self._cache:
            if len(run) == 1:
                self._cache[key] = self.texts(run[0][1], run[0][2])
            else:
                import pyarrow as pa
                import pyarrow.compute as pc

                text = pa.large_string()
                pieces: list[Any] = []
                for literal, column, spec in run:
                    if literal:
                        pieces.append(pa.scalar(literal, type=text))
                    pieces.append(self.texts(column, spec))
                self._cache[key] = pc.binary_join_element_wise(*pieces, pa.scalar("", type=text))
        return self._cache[key]

    def _cached(self, key: str, compute: Callable[[], Any]) -> Bools:
        """A mask computed once per chunk (rules ask for the same ones again and again)."""
        if key not in self._cache:
            self._cache[key] = np.asarray(compute(), dtype=bool)
        return np.asarray(self._cache[key], dtype=bool)

    def same(self, column: str) -> Bools:
        return self._cached("same:" + column, lambda: self.a(column) == self.b(column))

    def kinds(self, ka: int, kb: int) -> Bools:
        key = f"kinds:{min(ka, kb)}:{max(ka, kb)}"
        if key not in self._cache:
            a, b = self.a("kind"), self.b("kind")
            self._cache[key] = ((a == ka) & (b == kb)) | ((a == kb) & (b == ka))
        return np.asarray(self._cache[key], dtype=bool)

    # quantities
    @property
    def overlap(self) -> Bools:
        return self._cached(
            "overlap", lambda: (self.a("lo") <= self.b("hi")) & (self.b("lo") <= self.a("hi"))
        )

    @property
    def a_in_b(self) -> Bools:
        return self._cached(
            "a_in_b", lambda: (self.b("lo") <= self.a("lo")) & (self.a("hi") <= self.b("hi"))
        )

    @property
    def b_in_a(self) -> Bools:
        return self._cached(
            "b_in_a", lambda: (self.a("lo") <= self.b("lo")) & (self.b("hi") <= self.a("hi"))
        )

    @property
    def equal(self) -> Bools:
        return self._cached(
            "equal",
            lambda: (
                (self.a("lo") == self.b("lo"))
                & (self.a("hi") == self.b("hi"))
                & (self.a("additional") == self.b("additional"))
            ),
        )

    @property
    def relative_gap(self) -> Floats:
        """How far apart disjoint intervals are, relative to the larger figure (0 if they overlap)."""
        if "gap" not in self._cache:
            with np.errstate(invalid="ignore", divide="ignore"):
                top_lo = np.maximum(self.a("lo"), self.b("lo"))
                gap = top_lo - np.minimum(self.a("hi"), self.b("hi"))
                rel = np.where(gap > 0, gap / np.abs(top_lo), 0.0)
            quantity = self.kinds(QUANTITY, QUANTITY)
            self._cache["gap"] = np.where(quantity, rel, np.nan)
        return np.asarray(self._cache["gap"])

    # time
    @property
    def days_apart(self) -> Floats:
        """Days between the two claims' effective times (0 when their intervals overlap)."""
        if "days" not in self._cache:
            gap = np.maximum(self.b("t0") - self.a("t1"), self.a("t0") - self.b("t1"))
            self._cache["days"] = np.maximum(gap, 0.0)
        return np.asarray(self._cache["days"])

    @property
    def b_later(self) -> Bools:
        return self._cached("b_later", lambda: self.b("t0") > self.a("t1"))

    @property
    def comparable(self) -> Bools:
        if "comparable" not in self._cache:
            kinds = np.array([*KIND_CODES, ""], dtype=object)  # by code; -1 (unknown) is last
            by_code = self.policy.time_tolerance(kinds)
            tolerance = by_code[self.a("subject_kind_code")]
            self._cache["comparable"] = np.asarray(self.days_apart <= tolerance)
        return np.asarray(self._cache["comparable"])

    # day counts
    @property
    def start_gap(self) -> Floats:
        if "start_gap" not in self._cache:
            gap = np.maximum(
                self.b("start0") - self.a("start1"), self.a("start0") - self.b("start1")
            )
            self._cache["start_gap"] = np.maximum(gap, 0.0)
        return np.asarray(self._cache["start_gap"])

    # event dates
    @property
    def dates_overlap(self) -> Bools:
        return self._cached(
            "dates_overlap", lambda: (self.a("d0") <= self.b("d1")) & (self.b("d0") <= self.a("d1"))
        )

    @property
    def dates_nested(self) -> Bools:
        def compute() -> Any:
            a_in = (self.b("d0") <= self.a("d0")) & (self.a("d1") <= self.b("d1"))
            b_in = (self.a("d0") <= self.b("d0")) & (self.b("d1") <= self.a("d1"))
            return a_in | b_in

        return self._cached("dates_nested", compute)

    @property
    def dates_equal(self) -> Bools:
        return self._cached(
            "dates_equal", lambda: (self.a("d0") == self.b("d0")) & (self.a("d1") == self.b("d1"))
        )

    # statements
    @property
    def opposite(self) -> Bools:
        a, b = self.a("stance"), self.b("stance")
        out = np.zeros(len(self.i), dtype=bool)
        for x, y in self.policy.opposite_codes:
            out |= ((a == x) & (b == y)) | ((a == y) & (b == x))
        return out

    # provenance
    @property
    def quote_similarity(self) -> Floats:
        """rapidfuzz ratio (0-100) of the quotes, computed for same-publisher pairs only.

        Each quote is normalised once (``utils.default_process``), not once per pair."""
        if "sim" not in self._cache:
            sim = np.full(len(self.i), np.nan)
            same = self.same("publisher_code")
            if same.any():
                quoted = np.zeros(self.hi - self.lo, dtype=bool)  # rows with a quote compared
                quoted[self.i[same] - self.lo] = True
                quoted[self.j[same] - self.lo] = True
                rows = np.flatnonzero(quoted) + self.lo
                processed = np.full(self.hi - self.lo, None, dtype=object)
                quotes = self.claims["quote"].to_numpy()[rows].tolist()
                processed[rows - self.lo] = [utils.default_process(q) for q in quotes]
                sim[same] = process.cpdist(
                    processed[self.i[same] - self.lo].tolist(),
                    processed[self.j[same] - self.lo].tolist(),
                    scorer=fuzz.ratio,
                    processor=None,
                    workers=1,
                )
            self._cache["sim"] = sim
        return np.asarray(self._cache["sim"])

    @property
    def similar_wording(self) -> Bools:
        return np.asarray(np.nan_to_num(self.quote_similarity) >= self.policy.repeat_similarity)

    @property
    def skip_additional_base(self) -> Bools:
        """An additional amount and the base figure it adds to are one statement, not two."""
        out = np.zeros(len(self.i), dtype=bool)
        either = self.a("has_base") | self.b("has_base")
        if either.any():
            i, j = self.i[either], self.j[either]
            base, row = self.claims["base_row"].to_numpy(), self.claims["row"].to_numpy()
            out[either] = (base[i] == row[j]) | (base[j] == row[i])
        return out


Mask = Callable[[Pairs], Bools]
Explain = Callable[[Pairs, Bools], list[str]]


@attrs.frozen
class Rule:
    """A named condition on pairs, and the verdict and reason it gives where it holds.

    Rules are tried in order; the first that holds for a pair decides it. A rule with verdict
    ``None`` removes the pair (it is not a comparison at all). ``explain`` is any callable giving
    the reasons of the masked pairs; a :class:`Template` builds them without a loop per pair.
    """

    name: str
    verdict: str | None
    when: Mask = attrs.field(repr=False)
    explain: Explain = attrs.field(repr=False)
    description: str = ""


# -- reasons ----------------------------------------------------------------------------------

PairNumber = tuple[Callable[[Pairs], Floats], Callable[[float], str] | None]


Part = tuple[str, str | None, str]  # literal text, then a field name (or None) and its spec
Run = tuple[str, tuple[tuple[str, str, str], ...]]  # side, then (literal, column, spec) items


def _parse(text: str) -> tuple[Part, ...]:
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(text):
        if conversion:
            raise ValueError(
                f"reason template {text!r}: conversions (!{conversion}) are not supported"
            )
        parts.append((literal, name, spec or ""))
    return tuple(parts)


def _plan(template: Template) -> tuple[str | Run | Part, ...]:
    """The template as literal texts, runs of one claim's fields (with the literals between them:
    joined once per claim, then gathered once per pair) and per-pair number fields."""
    plan: list[Any] = []
    for literal, name, spec in template.parts:
        run = plan[-1] if plan and isinstance(plan[-1], list) else None
        if name is not None and name in template.claims:
            side, column = template.claims[name]
            if run is not None and run[0] == side:
                run[1].append((literal, column, spec))
                continue
            if literal:
                plan.append(literal)
            plan.append([side, [("", column, spec)]])
            continue
        if literal:
            plan.append(literal)
        if name is not None:
            plan.append(("", name, spec))
    return tuple((x[0], tuple(x[1])) if isinstance(x, list) else x for x in plan)


@attrs.frozen
class Template:
    """A reason sentence (``str.format`` syntax) whose fields are per-claim texts or per-pair numbers.

    ``claims`` maps a field to ``(side, column)``: the prepared column's text for claim ``a`` or
    ``b``. ``numbers`` maps a field to ``(values, text)``: a per-pair number and how to write it
    (``None``: ``format(value, spec)``), written once per distinct value. Calling a template gives
    the reasons of the masked pairs as a list (like any ``Rule.explain``); :meth:`arrow` builds
    the same texts with Arrow's string kernels, which is what writing to Parquet uses.
    """

    text: str
    claims: Mapping[str, tuple[str, str]] = attrs.field(factory=dict, repr=False)
    numbers: Mapping[str, PairNumber] = attrs.field(factory=dict, repr=False)
    parts: tuple[Part, ...] = attrs.field(
        init=False,
        repr=False,
        default=attrs.Factory(lambda self: _parse(self.text), takes_self=True),
    )
    plan: tuple[str | Run | Part, ...] = attrs.field(
        init=False, repr=False, default=attrs.Factory(_plan, takes_self=True)
    )

    def _numbers(self, p: Pairs, k: Any, name: str, spec: str) -> tuple[list[str], Ints]:
        """The distinct values of a number field as texts, and which one each selected pair has."""
        values, text = self.numbers[name]
        which, uniques = pd.factorize(values(p)[k], use_na_sentinel=False)
        texts = [
            format(u, spec) if text is None else format(text(u), spec) for u in uniques.tolist()
        ]
        return texts, np.asarray(which, dtype=np.int64)

    def __call__(self, p: Pairs, m: Bools) -> list[str]:
        pattern, columns = [], []
        for literal, name, spec in self.parts:
            pattern.append(literal.replace("{", "{{").replace("}", "}}"))
            if name is None:
                continue
            if name in self.claims:
                side, column = self.claims[name]
                columns.append((p.a if side == "a" else p.b)(column)[m].tolist())
                pattern.append("{:" + spec + "}" if spec else "{}")
            else:
                texts, which = self._numbers(p, m, name, spec)
                columns.append(np.array(texts, dtype=object)[which].tolist())
                pattern.append("{}")
        fmt = "".join(pattern).format
        if not columns:
            return [fmt()] * int(m.sum())
        return list(map(fmt, *columns))

    def arrow(self, p: Pairs, k: Ints) -> Any:
        """The reasons of pairs ``k`` (positions in the chunk) as an Arrow ``large_string`` array."""
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.large_string()
        pieces: list[Any] = []
        for item in self.plan:
            if isinstance(item, str):
                pieces.append(pa.scalar(item, type=text))
            elif len(item) == 2:
                side, run = item
                rows = (p.i if side == "a" else p.j)[k] - p.lo
                pieces.append(p.run_texts(run).take(pa.array(rows)))
            else:
                texts, which = self._numbers(p, k, str(item[1]), item[2])
                pieces.append(pa.array(texts, type=text).take(pa.array(which)))
        if all(isinstance(x, pa.Scalar) for x in pieces):
            return pa.array(["".join(x.as_py() for x in pieces)] * len(k), type=text)
        if len(pieces) == 1:
            return pieces[0]
        return pc.binary_join_element_wise(*pieces, pa.scalar("", type=text))


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _days_text(days: float) -> str:
    if days == 0:
        return "at the same time"
    return "1 day apart" if days == 1 else f"{days:,.0f} days apart"


def _count_gap(gap: float) -> str:
    return f"{gap:,.0f}"


def _sides(**fields: str) -> dict[str, tuple[str, str]]:
    """``ca="claimant"`` → ``{"ca": ("a", "claimant"), "cb": ("b", "claimant")}``."""
    return {
        f"{name}{side}": (side, column) for name, column in fields.items() for side in ("a", "b")
    }


def _explain_quantities(template: str) -> Template:
    return Template(
        template,
        _sides(c="claimant", v="value_text", w="when", s="source"),
        {
            "gap": (lambda p: p.relative_gap, _pct),
            "days": (lambda p: p.days_apart, _days_text),
            "sim": (lambda p: p.quote_similarity, None),
        },
    )


def _explain_counts(template: str) -> Template:
    return Template(
        template,
        _sides(c="claimant", n="ordinal_text", w="when", start="start_text"),
        {"gap": (lambda p: p.start_gap, _count_gap)},
    )


def _explain_dates(template: str) -> Template:
    return Template(template, _sides(c="claimant", d="date_text", s="source"))


def _explain_statements(template: str) -> Template:
    return Template(
        template,
        {
            "first": ("a", "statement_text"),
            "second": ("b", "statement_text"),
            "label": ("a", "label"),
            **_sides(s="source"),
        },
    )


def _no_reason(p: Pairs, m: Bools) -> list[str]:
    return [""] * int(m.sum())


def _q(p: Pairs) -> Bools:
    return p.kinds(QUANTITY, QUANTITY)


def _dc(p: Pairs) -> Bools:
    return p.kinds(DAY_COUNT, DAY_COUNT)


def _ev(p: Pairs) -> Bools:
    return p.kinds(EVENT_DATE, EVENT_DATE)


def _st(p: Pairs) -> Bools:
    return p.kinds(STATEMENT, STATEMENT)


def _day_tolerance(p: Pairs) -> Floats:
    return np.asarray(p.policy.day_count_tolerance_days, dtype=np.float64)


RULES: tuple[Rule, ...] = (
    Rule(
        "additional-with-its-base",
        None,
        lambda p: _q(p) & p.skip_additional_base,
        _no_reason,
        "An additional amount is read together with the figure it adds to, not against it.",
    ),
    Rule(
        "repeat-same-claimant-same-value",
        "repeat",
        lambda p: _q(p) & p.same("claimant_code") & p.equal & p.comparable,
        _explain_quantities(
            "{cb} gives the same figure again, {vb}, in {sb}, as in {sa}: one origin, not "
            "corroboration"
        ),
        "The same claimant gives the same interval again at a comparable time.",
    ),
    Rule(
        "repeat-reused-wording",
        "repeat",
        lambda p: _q(p) & p.same("publisher_code") & p.similar_wording & p.overlap,
        _explain_quantities(
            "the same publisher reuses the wording ({sim:.0f}% similar) of {sa} in {sb}: "
            "{va} and {vb} are one origin"
        ),
        "One publisher reuses near-identical wording across articles.",
    ),
    Rule(
        "repeat-summary-restates-body",
        "repeat",
        lambda p: (
            _q(p)
            & p.same("source_code")
            & (p.a("summary") | p.b("summary"))
            & p.same("claimant_code")
            & p.overlap
        ),
        _explain_quantities("{sa} restates its own figure: {va} and {vb} are one claim"),
        "A headline, standfirst, caption or lede restates a figure of the body.",
    ),
    Rule(
        "update-revised-figure",
        "update",
        lambda p: _q(p) & p.same("claimant_code") & p.b_later & ~p.equal,
        _explain_quantities(
            "{cb} gives {va} as of {wa}, then {vb} as of {wb} ({days}): the later figure "
            "supersedes the earlier"
        ),
        "The same claimant gives a different figure at a later time.",
    ),
    Rule(
        "change-over-time",
        "change",
        lambda p: _q(p) & ~p.same("claimant_code") & ~p.comparable & ~p.overlap,
        _explain_quantities(
            "{ca} gives {va} as of {wa}; {cb} gives {vb} as of {wb}, {days}: too far apart in "
            "time to conflict, and a later figure from another claimant is not a revision of the "
            "first — a change over time"
        ),
        "Disjoint values from different claimants too far apart in time to be a conflict.",
    ),
    Rule(
        "inconsistent-within-source",
        "inconsistent",
        lambda p: (
            _q(p) & p.same("source_code") & p.same("claimant_code") & ~p.overlap & p.comparable
        ),
        _explain_quantities(
            "{sa} gives both {va} and {vb} for the same time ({wa}): the intervals do not "
            "overlap ({gap} gap)"
        ),
        "One source gives incompatible values in its own voice for the same time.",
    ),
    Rule(
        "differ",
        "differ",
        lambda p: _q(p) & ~p.overlap & p.comparable,
        _explain_quantities(
            "{ca} gives {va} (as of {wa}); {cb} gives {vb} (as of {wb}): no overlap, a {gap} "
            "gap, {days}"
        ),
        "Disjoint values from different origins at comparable times.",
    ),
    Rule(
        "refine",
        "refine",
        lambda p: _q(p) & p.overlap & (p.a_in_b | p.b_in_a) & ~p.equal,
        _explain_quantities(
            "{va} from {ca} and {vb} from {cb} are compatible and one interval lies inside the "
            "other: the narrower one is more precise ({days})"
        ),
        "Compatible values where one interval lies inside the other.",
    ),
    Rule(
        "agree",
        "agree",
        lambda p: _q(p) & p.overlap,
        _explain_quantities("{va} from {ca} and {vb} from {cb} overlap ({days})"),
        "Overlapping values from different origins.",
    ),
    Rule(
        "repeat-same-count",
        "repeat",
        lambda p: (
            _dc(p)
            & (p.a("ordinal") == p.b("ordinal"))
            & (np.maximum(p.b("t0") - p.a("t1"), p.a("t0") - p.b("t1")) <= 0)
        ),
        _explain_counts("{cb} gives day {nb} again (as of {wb}), as {ca} did: one count"),
        "The same count on the same date, said again.",
    ),
    Rule(
        "update-count-advances",
        "update",
        lambda p: _dc(p) & (p.start_gap <= _day_tolerance(p)),
        _explain_counts(
            "the count advances from {na} (as of {wa}) to {nb} (as of {wb}); both imply the series "
            "began {startb}"
        ),
        "A day count advancing, consistent with the same start.",
    ),
    Rule(
        "inconsistent-count-start",
        "inconsistent",
        lambda p: _dc(p) & p.same("source_code"),
        _explain_counts(
            "day {na} as of {wa} implies a start on {starta}, but day {nb} as of {wb} implies "
            "{startb}: {gap} days apart within one source"
        ),
        "Two counts of one series in one source that imply different start dates.",
    ),
    Rule(
        "differ-count-start",
        "differ",
        _dc,
        _explain_counts(
            "{ca}'s day {na} as of {wa} implies a start on {starta}; {cb}'s day {nb} as of {wb} "
            "implies {startb}: {gap} days apart"
        ),
        "Counts of one series from different origins that imply different start dates.",
    ),
    Rule(
        "repeat-same-date",
        "repeat",
        lambda p: (
            _ev(p)
            & p.dates_equal
            & (
                p.same("claimant_code")
                | p.same("source_code")
                | (p.same("publisher_code") & p.similar_wording)
            )
        ),
        _explain_dates("{cb} gives the date {db} again, as in {sa}: one origin"),
        "The same date from the same claimant, source or reused wording.",
    ),
    Rule(
        "inconsistent-date",
        "inconsistent",
        lambda p: _ev(p) & ~p.dates_overlap & p.same("source_code"),
        _explain_dates("{sa} dates it both {da} and {db}"),
        "One source gives two dates that cannot both hold.",
    ),
    Rule(
        "differ-date",
        "differ",
        lambda p: _ev(p) & ~p.dates_overlap,
        _explain_dates("{ca} dates it {da}; {cb} dates it {db}: the dates cannot both hold"),
        "Two dates that cannot both hold, from different origins.",
    ),
    Rule(
        "refine-date",
        "refine",
        lambda p: _ev(p) & p.dates_nested & ~p.dates_equal,
        _explain_dates(
            "{da} ({ca}) and {db} ({cb}) are compatible: the narrower date is more precise"
        ),
        "Compatible dates where one lies inside the other.",
    ),
    Rule(
        "agree-date",
        "agree",
        _ev,
        _explain_dates("{ca} and {cb} both date it {da}"),
        "The same date from different origins.",
    ),
    Rule(
        "contradict",
        "contradict",
        lambda p: _st(p) & p.opposite,
        _explain_statements("{first} but {second} that {label}"),
        "Opposite stances on one proposition (asserts against denies).",
    ),
    Rule(
        "contradict-denied-figure",
        "contradict",
        lambda p: (
            p.kinds(STATEMENT, QUANTITY)
            & (
                ((p.a("kind") == STATEMENT) & (p.a("stance") == 1))
                | ((p.b("kind") == STATEMENT) & (p.b("stance") == 1))
            )
        ),
        _explain_statements("{first}, but {second}: {label}"),
        "A statement denying the figures of a quantity subject, against such a figure.",
    ),
    Rule(
        "repeat-same-speaker",
        "repeat",
        lambda p: (
            _st(p)
            & p.same("stance")
            & (p.same("speaker_code") | (p.same("publisher_code") & p.similar_wording))
        ),
        _explain_statements("{first} again ({sb}), as in {sa}: one origin that {label}"),
        "The same speaker taking the same stance again, or reused wording.",
    ),
    Rule(
        "repeat-summary-restates-statement",
        "repeat",
        lambda p: (
            _st(p) & p.same("stance") & p.same("source_code") & (p.a("summary") | p.b("summary"))
        ),
        _explain_statements(
            "{sa} restates in a headline, standfirst, caption or lede what its body reports "
            "({first}; {second}): one origin that {label}"
        ),
        "A headline, standfirst, caption or lede restating a statement of its own article.",
    ),
    Rule(
        "agree-stance",
        "agree",
        lambda p: _st(p) & p.same("stance"),
        _explain_statements("{first} and {second} that {label}"),
        "Different speakers taking the same stance.",
    ),
)
"""The comparison rules, in the order they are tried."""

VERDICTS = ("agree", "refine", "differ", "inconsistent", "update", "change", "repeat", "contradict")


def compare_range(
    claims: pd.DataFrame, pairs: PairSequence, k0: int, k1: int, policy: Any
) -> pd.DataFrame:
    """Compare pairs ``k0 .. k1-1`` of the pair sequence of ``claims`` (a prepared frame)."""
    i, j = pairs.indices(k0, k1)
    return compare_indices(claims, i, j, policy)


def compare_indices(claims: pd.DataFrame, i: Ints, j: Ints, policy: Any) -> pd.DataFrame:
    """Compare the pairs of rows ``(i[k], j[k])`` of ``claims``; pairs no rule decides are dropped."""
    return decide(claims, i, j, policy).frame()


def decide_range(
    claims: pd.DataFrame,
    pairs: PairSequence,
    k0: int,
    k1: int,
    policy: Any,
    *,
    reasons: str | None = "python",
) -> Kept:
    """:func:`decide` for pairs ``k0 .. k1-1`` of the pair sequence of ``claims``."""
    i, j = pairs.indices(k0, k1)
    return decide(claims, i, j, policy, reasons=reasons)


def decide(
    claims: pd.DataFrame, i: Ints, j: Ints, policy: Any, *, reasons: str | None = "python"
) -> Kept:
    """The pairs of rows ``(i[k], j[k])`` that a rule decides and ``policy.keep`` keeps.

    ``reasons``: ``"python"`` builds them as Python strings, ready for :meth:`Kept.frame`;
    ``"arrow"`` as an Arrow array (needs ``pyarrow``), ready for :meth:`Kept.table`; ``None``
    not at all (they are written when read, see :mod:`claimtrack.dataset`; the claims need no
    text columns then).
    """
    p = Pairs(claims, i, j, policy)
    rules: tuple[Rule, ...] = tuple(policy.rules)
    rule_of = _decide_rules(p, rules)
    kept_verdicts = {str(v) for v in policy.keep}
    keep_rule = np.array([rule.verdict in kept_verdicts for rule in rules] + [False], dtype=bool)
    keep = keep_rule[rule_of]  # rule_of -1 (undecided) picks the last entry, False
    kept_rule = rule_of[keep]
    texts: Any = None
    if reasons == "arrow":
        texts = _arrow_reasons(p, keep, rule_of, rules)
    elif reasons is not None:
        texts = _reasons(p, keep, rule_of, rules)
    quantity = p.kinds(QUANTITY, QUANTITY)
    dates = p.kinds(EVENT_DATE, EVENT_DATE)
    overlap = np.where(quantity, p.overlap, p.dates_overlap)
    return Kept(
        claims=claims,
        rules=rules,
        i=p.i[keep],
        j=p.j[keep],
        rule=kept_rule,
        reason=texts,
        overlap=overlap[keep],
        overlap_missing=~(quantity | dates)[keep],
        relative_gap=p.relative_gap[keep],
        days_apart=p.days_apart[keep],
        same_claimant=p.same("claimant_code")[keep],
        same_publisher=p.same("publisher_code")[keep],
        same_source=p.same("source_code")[keep],
        quote_similarity=np.round(p.quote_similarity[keep], 1),
    )


def _decide_rules(p: Pairs, rules: tuple[Rule, ...]) -> Ints:
    """Per pair, the first rule that holds (-1: none)."""
    rule_of = np.full(len(p.i), -1, dtype=np.int64)
    undecided = np.ones(len(p.i), dtype=bool)
    for r, rule in enumerate(rules):
        if not undecided.any():
            break
        hit = rule.when(p) & undecided
        rule_of[hit] = r
        undecided &= ~hit
    return rule_of


def explain(claims: pd.DataFrame, i: Ints, j: Ints, rule: Ints, policy: Any) -> Objects:
    """The reasons of pairs of rows ``(i[k], j[k])`` of ``claims`` (prepared with texts) decided
    by rules ``rule[k]`` (positions in ``policy.rules``): the same sentences :func:`decide` writes."""
    p = Pairs(claims, i, j, policy)
    return _reasons(p, np.ones(len(i), dtype=bool), rule, tuple(policy.rules))


def _reasons(p: Pairs, keep: Bools, rule_of: Ints, rules: tuple[Rule, ...]) -> Objects:
    reasons = np.empty(len(rule_of), dtype=object)
    for r, rule in enumerate(rules):
        m = keep & (rule_of == r)
        if m.any():
            reasons[m] = rule.explain(p, m)
    return np.asarray(reasons[keep], dtype=object)


def _arrow_reasons(p: Pairs, keep: Bools, rule_of: Ints, rules: tuple[Rule, ...]) -> Any:
    """The reasons of the kept pairs as one Arrow array: built rule by rule, then put in order."""
    import pyarrow as pa

    kept = np.flatnonzero(keep)
    if not len(kept):
        return pa.array([], type=pa.large_string())
    by_rule = np.argsort(rule_of[kept], kind="stable")
    ordered = rule_of[kept][by_rule]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(ordered)]
    parts = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        rule = rules[int(ordered[start])]
        k = kept[by_rule[start:end]]
        if isinstance(rule.explain, Template):
            parts.append(rule.explain.arrow(p, k))
        else:
            m = np.zeros(len(rule_of), dtype=bool)
            m[k] = True
            parts.append(pa.array(rule.explain(p, m), type=pa.large_string()))
    if len(parts) == 1:
        return parts[0]
    place = np.empty(len(kept), dtype=np.int64)
    place[by_rule] = np.arange(len(kept))
    return pa.chunked_array(parts).take(pa.array(place))  # one copy, in pair order


def pair_schema(reasons: bool = True) -> Any:
    """The Arrow schema of pairs written to Parquet: ids, subjects and names dictionary-encoded,
    only the columns of :data:`_NULLABLE_PAIR_COLUMNS` nullable; without the ``reason`` column
    unless ``reasons``."""
    import pyarrow as pa

    names = pa.dictionary(pa.int32(), pa.large_string())
    flag, number = pa.bool_(), pa.float64()
    types = (names, names, names, names, names, names, pa.large_string(), flag, number, number)
    fields = [
        pa.field(name, type_, nullable=name in _NULLABLE_PAIR_COLUMNS)
        for name, type_ in zip(PAIR_COLUMNS, (*types, flag, flag, flag, number), strict=True)
    ]
    return pa.schema([f for f in fields if reasons or f.name != "reason"])


_NULLABLE_PAIR_COLUMNS = frozenset({"kind", "overlap", "reason"})
"""The pair columns that may be missing (a subject without a kind, an overlap that does not
apply). The others are written as required Parquet columns: no definition level per value,
which makes writing about a sixth cheaper; a missing value in one is an error, not a null."""


def _dictionary(codes: Ints, names: Any) -> Any:
    """An Arrow dictionary array (missing where ``codes`` is -1); ``names`` is an Arrow array or
    texts."""
    import pyarrow as pa

    if not isinstance(names, pa.Array):
        names = _arrow_texts(np.asarray(names, dtype=object))
    if not len(codes) or codes.min() >= 0:  # nothing missing: ids, subjects, verdicts, rules
        return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), names)
    missing = codes < 0
    indices = pa.array(np.where(missing, 0, codes).astype(np.int32), mask=missing)
    return pa.DictionaryArray.from_arrays(indices, names)


@attrs.frozen(eq=False)
class Names:
    """The names pairs are written with, as Arrow arrays made once per prepared frame (or once
    per part of it): the claim id of every row from ``first_row`` on, and the name and kind of
    every subject block. A chunk's dictionaries are slices of these (no copy)."""

    ids: Any
    subjects: Any
    kind: Ints
    kinds: Any
    first_row: int = 0
    """The row of the prepared frame ``ids[0]`` belongs to."""

    @classmethod
    def of(cls, claims: pd.DataFrame, rows: tuple[int, int] | None = None) -> Names:
        """The names of the prepared ``claims``, with ids only for ``rows`` (``lo, hi``: the
        rows the pairs to be written touch, see :meth:`PairSequence.rows`; default all)."""
        block = claims["subject_index"].to_numpy()
        first = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if len(block) else block
        kind, kinds = pd.factorize(claims["subject_kind"].to_numpy()[first])
        lo, hi = (0, len(claims)) if rows is None else rows
        return cls(
            _arrow_texts(claims["claim"].to_numpy()[lo:hi]),
            _arrow_texts(claims["subject"].to_numpy()[first]),
            np.asarray(kind, dtype=np.int64),
            _arrow_texts(np.asarray(kinds, dtype=object)),
            lo,
        )


@attrs.frozen(eq=False)
class Kept:
    """The kept pairs of one chunk: rows ``i`` and ``j`` of the prepared ``claims``, the rule that
    decided each, its reason, and the numbers the decision used. :meth:`frame` gives the pairs
    frame (:data:`PAIR_COLUMNS`), :meth:`table` the same as an Arrow table for Parquet."""

    claims: pd.DataFrame
    rules: tuple[Rule, ...]
    i: Ints
    j: Ints
    rule: Ints
    reason: Any
    overlap: Bools
    overlap_missing: Bools
    relative_gap: Floats
    days_apart: Floats
    same_claimant: Bools
    same_publisher: Bools
    same_source: Bools
    quote_similarity: Floats

    def __len__(self) -> int:
        return len(self.i)

    def _names(self, attribute: str) -> tuple[Ints, Objects]:
        """Codes per kept pair into the distinct rule names or verdicts."""
        codes, names = pd.factorize(
            np.array([getattr(r, attribute) for r in self.rules], dtype=object)
        )
        return np.asarray(codes, dtype=np.int64)[self.rule], np.asarray(names, dtype=object)

    def frame(self) -> pd.DataFrame:
        claim = self.claims["claim"].to_numpy()
        verdicts = np.array([r.verdict for r in self.rules], dtype=object)
        names = np.array([r.name for r in self.rules], dtype=object)
        reason = self.reason
        if not isinstance(reason, np.ndarray):
            reason = np.asarray(reason.to_numpy(zero_copy_only=False), dtype=object)
        return pd.DataFrame(
            {
                "claim_a": _objects(claim[self.i]),
                "claim_b": _objects(claim[self.j]),
                "subject": _objects(self.claims["subject"].to_numpy()[self.i]),
                "kind": _objects(self.claims["subject_kind"].to_numpy()[self.i]),
                "verdict": _objects(verdicts[self.rule]),
                "rule": _objects(names[self.rule]),
                "reason": _objects(reason),
                "overlap": pd.arrays.BooleanArray(self.overlap, self.overlap_missing),
                "relative_gap": self.relative_gap,
                "days_apart": self.days_apart,
                "same_claimant": self.same_claimant,
                "same_publisher": self.same_publisher,
                "same_source": self.same_source,
                "quote_similarity": self.quote_similarity,
            }
        )

    def _span(self) -> tuple[int, int]:
        if not len(self.i):
            return 0, 0
        return int(min(self.i.min(), self.j.min())), int(max(self.i.max(), self.j.max())) + 1

    def table(self, names: Names | None = None) -> Any:
        """The pairs as an Arrow table with :func:`pair_schema` (needs ``pyarrow``); ``names`` are
        :meth:`Names.of` the prepared claims, made here when not given."""
        import pyarrow as pa

        names = Names.of(self.claims) if names is None else names
        lo, hi = self._span()
        if len(self.i) and not names.first_row <= lo <= hi <= names.first_row + len(names.ids):
            raise ValueError(f"names for rows from {names.first_row} lack rows {lo}..{hi - 1}")
        ids = names.ids.slice(lo - names.first_row, hi - lo)
        block = self.claims["subject_index"].to_numpy()[self.i]
        first = int(block.min()) if len(block) else 0
        last = int(block.max()) + 1 if len(block) else 0
        reason = self.reason
        if isinstance(reason, np.ndarray):
            reason = pa.array(reason, type=pa.large_string())
        columns: list[Any] = [
            _dictionary(self.i - lo, ids),
            _dictionary(self.j - lo, ids),
            _dictionary(block - first, names.subjects.slice(first, last - first)),
            _dictionary(names.kind[block], names.kinds),
            _dictionary(*self._names("verdict")),
            _dictionary(*self._names("name")),
            reason,
            pa.array(self.overlap, mask=self.overlap_missing),
            pa.array(self.relative_gap),
            pa.array(self.days_apart),
            pa.array(self.same_claimant),
            pa.array(self.same_publisher),
            pa.array(self.same_source),
            pa.array(self.quote_similarity),
        ]
        if reason is None:
            del columns[PAIR_COLUMNS.index("reason")]
        return pa.Table.from_arrays(columns, schema=pair_schema(reason is not None))

    def verdicts(self) -> Ints:
        """Per kept pair, its verdict's position in :data:`VERDICTS`."""
        codes = np.array(
            [VERDICTS.index(r.verdict) if r.verdict in VERDICTS else -1 for r in self.rules],
            dtype=np.int64,
        )
        return codes[self.rule] if len(self.rule) else np.zeros(0, dtype=np.int64)

    def links(self) -> Links:
        """The repeat and update pairs, as prepared rows: what origins and superseded figures are
        computed from."""
        verdict = self.verdicts()
        update = verdict == _UPDATE
        chosen = update | (verdict == _REPEAT)
        return Links(self.i[chosen], self.j[chosen], update[chosen])

    def tally(self) -> Tally:
        """How many kept pairs per subject and verdict (a block of the subjects' rows)."""
        if not len(self.i):
            return Tally(0, np.zeros((0, len(VERDICTS)), dtype=np.int64))
        subject = self.claims["subject_index"].to_numpy()[self.i]
        first, last = int(subject.min()), int(subject.max()) + 1
        key = (subject - first) * len(VERDICTS) + self.verdicts()
        counts = np.bincount(key, minlength=(last - first) * len(VERDICTS))
        return Tally(first, counts.reshape(last - first, len(VERDICTS)).astype(np.int64))


_REPEAT = VERDICTS.index("repeat")
_UPDATE = VERDICTS.index("update")


@attrs.frozen(eq=False)
class Links:
    """Repeat and update pairs as rows ``a < b`` of a prepared frame (``update``: which are
    updates; the others are repeats)."""

    a: Ints
    b: Ints
    update: Bools

    @classmethod
    def join(cls, parts: Iterable[Links]) -> Links:
        found = list(parts)
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, np.zeros(0, dtype=bool))
        return cls(
            np.concatenate([p.a for p in found]),
            np.concatenate([p.b for p in found]),
            np.concatenate([p.update for p in found]),
        )


@attrs.frozen(eq=False)
class Tally:
    """Kept pairs per subject (rows, from the subject with index ``first``) and verdict (columns,
    in :data:`VERDICTS` order)."""

    first: int
    counts: Ints

    @staticmethod
    def total(parts: Iterable[Tally], subjects: int) -> Ints:
        """The counts of all ``parts`` added up, one row per subject of the prepared frame."""
        out = np.zeros((subjects, len(VERDICTS)), dtype=np.int64)
        for part in parts:
            out[part.first : part.first + len(part.counts)] += part.counts
        return out

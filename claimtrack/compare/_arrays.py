"""Array helpers of the comparison: codes, distinct values, sort keys, object and Arrow columns.

Everything here works on whole columns (numpy, pandas, Arrow): no Python loop per claim or pair.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]

EPOCH = np.datetime64("1970-01-01", "D")
"""Day 0 of the kernel's days (:func:`_days`)."""


def _days(values: pd.Series[Any]) -> Floats:
    """datetime64 column as float days since 1970 (NaN when missing)."""
    as_days = values.to_numpy(dtype="datetime64[D]")
    out = (as_days - EPOCH).astype("float64")
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


def _blocks(subject: npt.NDArray[Any]) -> Ints:
    """For a subject-sorted column, the number of each row's subject block (0, 0, 1, 2, 2, ...)."""
    if not len(subject):
        return np.zeros(0, dtype=np.int64)
    return np.cumsum(np.r_[True, subject[1:] != subject[:-1]]).astype(np.int64) - 1


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

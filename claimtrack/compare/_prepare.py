"""Preparing claims for comparison: the one step from claims (a :class:`ClaimSet` or a claims
frame) to the prepared frame every engine compares and :func:`read_pairs` explains.

Claims are prepared once: numeric intervals (re-read under the policy's hedges), effective times
in days, integer codes for ids, the per-claim texts reasons are made of, sorted so each subject is
one contiguous block.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.compare._ages import unit_columns
from claimtrack.compare._arrays import (
    Ints,
    Objects,
    _blocks,
    _column,
    _combined,
    _day_ranks,
    _days,
    _factor,
    _first,
    _lookup,
    _object_column,
    _objects,
    _packed_order,
    _values,
)
from claimtrack.compare._hedges import rehedged_frame, with_bounds_of
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._provenance import (
    BY_OCCASION,
    hedged,
    origin_sources,
    relay_codes,
    relay_ids,
    subject_variations,
)
from claimtrack.compare._texts import add_texts
from claimtrack.compare._vocabulary import KIND_CODES, QUANTITY, STANCE_CODES
from claimtrack.frame import claims_to_frame
from claimtrack.quantity import HedgePolicy


@attrs.frozen(eq=False)
class Claims:
    """Claims as compared.

    - ``frame``: the claims as a frame, as given (what a pairs folder stores);
    - ``compared``: ``frame`` with intervals re-read under the policy's hedges, and each
      republication's ``republishes`` followed to the end of its chain (the origin's source) and
      ``origin_publisher`` added (see :func:`_with_origins`);
    - ``subjects``: the subjects' kinds, labels and kinds of time (columns ``subject``,
      ``subject_kind``, ``label``, ``varies``), from the claim set when there is one;
    - ``claim_set``: the claim set as compared (re-hedged), ``None`` for a frame.
    """

    frame: pd.DataFrame
    compared: pd.DataFrame
    subjects: pd.DataFrame
    claim_set: ClaimSet | None

    @classmethod
    def of(cls, claims: ClaimSet | pd.DataFrame, hedges: HedgePolicy | None) -> Claims:
        """The claims as compared under ``hedges`` (``None``: intervals as loaded)."""
        if isinstance(claims, ClaimSet):
            frame = claims_to_frame(claims)
            table = subject_table(claims, frame)
            chains = {
                s.id: claims.origin(s.id).id for s in claims.sources.values() if s.republishes
            }
            publishers = {s.id: s.publisher for s in claims.sources.values()}
            if hedges is None:
                return cls(frame, _with_origins(frame, chains, publishers), table, claims)
            rehedged = claims.rehedged(hedges)
            compared = _with_origins(with_bounds_of(frame, rehedged), chains, publishers)
            return cls(frame, compared, table, rehedged)
        compared = claims if hedges is None else rehedged_frame(claims, hedges)
        return cls(claims, _with_origins(compared, None), subject_table(None, claims), None)


def _with_origins(
    frame: pd.DataFrame, chains: dict[str, str] | None, publishers: dict[str, str] | None = None
) -> pd.DataFrame:
    """``frame`` with each republication's ``republishes`` the source at the end of its chain
    (``chains``: each republishing source's origin; default: followed through the frame's rows)
    and ``origin_publisher``, the publisher of that origin (``publishers``: each source's;
    default: the frame's), so that a part of the claims (the Dask engine's partitions) finds the
    same origins."""
    if "republishes" not in frame.columns or not frame["republishes"].notna().any():
        return frame
    origin = origin_sources(frame, chains)
    source = frame["source"].astype(object).to_numpy()
    republished = origin.copy()
    republished[origin == source] = None
    if publishers is None:
        rows = frame[["source", "publisher"]].astype(object).drop_duplicates("source")
        publishers = dict(zip(rows["source"].tolist(), rows["publisher"].tolist(), strict=True))
    codes, uniques = _factor(pd.Series(origin, dtype=object))
    per_origin = np.array([publishers.get(u) for u in uniques.tolist()] + [None], dtype=object)
    return frame.assign(republishes=republished, origin_publisher=per_origin[codes])


@attrs.frozen(eq=False)
class Prepared:
    """Claims ready to compare: ``claims`` as compared, and ``rows``, their prepared frame
    (:func:`prepare_frame` of ``claims.compared``)."""

    claims: Claims
    rows: pd.DataFrame


def prepare(
    claims: ClaimSet | pd.DataFrame | Claims,
    policy: KernelPolicy,
    *,
    subjects: pd.DataFrame | None = None,
    texts: bool = True,
) -> Prepared:
    """The claims prepared for comparison under ``policy``: intervals re-read under its hedges
    (unless given as :class:`Claims`, already re-read), summary sections marked; with ``texts``,
    the texts reasons are made of (see :func:`prepare_frame`). ``subjects`` is the subjects table
    of a claims frame, when known (it is built from the frame otherwise)."""
    given = claims if isinstance(claims, Claims) else Claims.of(claims, policy.hedges)
    if subjects is not None:
        given = attrs.evolve(given, subjects=subjects)
    rows = prepare_frame(
        given.compared,
        given.subjects,
        policy.summary_sections,
        texts=texts,
        undated_sections=policy.undated_sections,
    )
    return Prepared(given, rows)


def subject_table(claims: ClaimSet | None, frame: pd.DataFrame) -> pd.DataFrame:
    """The subjects' kinds, labels and kinds of time (columns ``subject``, ``subject_kind``,
    ``label``, ``varies``): a claim set's, or as a claims frame tells them."""
    if claims is not None:
        rows = [(s.id, s.kind.value, s.label, s.variation.value) for s in claims.subjects.values()]
        return pd.DataFrame(rows, columns=["subject", "subject_kind", "label", "varies"])
    kinds = frame.groupby("subject", observed=True)["kind"].first()
    ids = _texts(kinds.index)
    return pd.DataFrame(
        {
            "subject": ids,
            "subject_kind": _texts(kinds),
            "label": ids,
            "varies": subject_variations(frame, ids),
        }
    )


def _texts(values: pd.Index[Any] | pd.Series[Any]) -> np.ndarray[Any, Any]:
    """``str(value)`` of each value, as an object array (without a call per value where they
    are all texts already)."""
    out = np.asarray(values.astype(object), dtype=object)
    if pd.api.types.infer_dtype(out, skipna=False) != "string":
        out = np.array([str(v) for v in out], dtype=object)
    return out


def prepare_frame(
    frame: pd.DataFrame,
    subjects: pd.DataFrame,
    summary_sections: frozenset[str],
    *,
    texts: bool = True,
    undated_sections: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """The claims frame as the kernel needs it, sorted by subject, then time, then publication,
    then claim id.

    Each claim's time (``t0``, ``t1``, in days) is its ``as_of``, else its ``stated`` time, else its
    source's publication date; ``basis`` says which (:data:`BASES`). A claim in one of
    ``undated_sections`` (material a page embeds: a video's title, a photo's caption) with neither
    ``as_of`` nor ``stated`` is *undated*: it takes no time from its page (``t0``, ``t1`` NaN).

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
    if "varies" in subjects.columns:  # a subjects table of an older pairs folder has none
        varies = _values(known, subjects["varies"].astype(object).to_numpy())
    else:
        varies = subject_variations(frame, subject_names)
    occasion = np.r_[varies == BY_OCCASION, False]  # by subject code; -1 (none) is last
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
        **_times(frame, undated_sections),
        "stance": _lookup(frame["stance"], STANCE_CODES, -1, np.int64),
        "occasion": occasion[subject_code],
        "summary": _lookup(frame["section"], dict.fromkeys(summary_sections, True), False, bool),
        "quote": _object_column(frame["quote"]),
        **{f"{col}_code": code for col, (code, _) in codes.items()},
    }
    quantity = kind == QUANTITY
    cols["lo"] = np.where(quantity & np.isnan(cols["lo"]), -np.inf, cols["lo"])
    cols["hi"] = np.where(quantity & np.isnan(cols["hi"]), np.inf, cols["hi"])
    cols["hedged"] = hedged(frame, cols["stance"])
    cols["origin_code"] = _factor(pd.Series(origin_sources(frame), dtype=object))[0]
    cols["relay_code"] = relay_codes(relay_ids(frame), codes["publisher"][1])
    # a republication is its origin's publisher's report, for revisions in a later report
    publisher = _object_column(frame["publisher"])
    if "origin_publisher" in frame.columns:
        given = _object_column(frame["origin_publisher"])
        publisher = np.where(pd.isna(given), publisher, given)
    cols["origin_publisher_code"] = _factor(pd.Series(publisher, dtype=object))[0]
    cols["base_row"] = np.full(len(frame), -1, dtype=np.int64)
    _combine_additional(cols)
    cols.update(unit_columns(frame, cols))
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


BASES = ("as_of", "stated", "published", "undated")
"""What a claim's time is (the prepared ``basis`` column is a position here)."""
UNDATED = BASES.index("undated")


def _times(frame: pd.DataFrame, undated_sections: frozenset[str]) -> dict[str, Any]:
    """Per claim: its time ``t0 .. t1`` in days, its ``basis`` (a position in :data:`BASES`),
    ``undated``, and ``published``, the day its source was published (NaN: unknown)."""
    times = {b: (_days(frame[f"{b}_start"]), _days(frame[f"{b}_end"])) for b in BASES[:3]}
    basis = np.full(len(frame), UNDATED, dtype=np.int64)
    for k in (2, 1, 0):  # the earlier ones win
        basis[~np.isnan(times[BASES[k]][0])] = k
    embedded = _lookup(frame["section"], dict.fromkeys(undated_sections, True), False, bool)
    undated = (basis == UNDATED) | (embedded & (basis == BASES.index("published")))
    basis[undated] = UNDATED
    t0 = np.where(undated, np.nan, _first(*(times[b][0] for b in BASES[:3])))
    t1 = np.where(undated, np.nan, _first(*(times[b][1] for b in BASES[:3])))
    return {
        "t0": t0,
        "t1": t1,
        "basis": basis,
        "undated": undated,
        "published": times["published"][0],
    }


def _order(cols: Mapping[str, Any], claim: pd.Series[Any], subject_names: Objects) -> Ints:
    """The row order of the prepared frame: by subject, then t0, t1, publication and claim id
    (stable)."""
    ids = cols["claim"]
    subjects_are_texts = (
        len(ids) > 0
        and bool((cols["subject_code"] >= 0).all())
        and pd.api.types.infer_dtype(subject_names, skipna=False) == "string"
    )
    if not subjects_are_texts or pd.api.types.infer_dtype(ids, skipna=False) != "string":
        keys = ["subject", "t0", "t1", "published", "claim"]  # missing or mixed ids: as pandas does
        table = pd.DataFrame({k: cols[k] for k in keys[1:]})
        table.insert(0, "subject", _values(cols["subject_code"], subject_names))
        return np.asarray(table.sort_values(keys, kind="stable").index, dtype=np.int64)
    claim_rank = np.empty(len(ids), dtype=np.int64)
    by_claim = np.asarray(claim.reset_index(drop=True).argsort(), dtype=np.int64)
    claim_rank[by_claim] = np.arange(len(ids))
    subject = (cols["subject_code"], int(cols["subject_code"].max()) + 1)
    return _packed_order(
        [
            subject,
            _day_ranks(cols["t0"]),
            _day_ranks(cols["t1"]),
            _day_ranks(cols["published"]),
            (claim_rank, len(ids)),
        ]
    )


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

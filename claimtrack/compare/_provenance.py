"""Where a claim comes from, and how much it weighs: the per-claim columns the rules and the
summary read for origins (republications, relays), hedges and the kind of time of a subject.

Each is computed once per distinct value (a source, a ``via`` chain, a unit), never once per
claim.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from claimtrack.compare._arrays import (
    Bools,
    Floats,
    Ints,
    Objects,
    _distinct,
    _factor,
    _object_column,
)
from claimtrack.compare._pairs import Pairs
from claimtrack.compare._vocabulary import HEDGED_STANCE_CODES
from claimtrack.subject import SubjectKind, Varies, default_varies

BY_OCCASION = Varies.BY_OCCASION.value


def origin_sources(frame: pd.DataFrame, chains: dict[str, str] | None = None) -> Objects:
    """Per claim, the source its report comes from: its own source, or, for a republication
    (``republishes``), the source at the end of the chain of republications. ``chains`` maps each
    republishing source to the one it republishes (default: read from the frame's own rows); a
    chain that goes round ends where it would repeat itself, at the last source before it."""
    source = _object_column(frame["source"])
    if "republishes" not in frame.columns:
        return source
    republishes = _object_column(frame["republishes"])
    if chains is None:
        given = pd.DataFrame({"s": source, "r": republishes}).dropna().drop_duplicates("s")
        chains = dict(zip(given["s"].tolist(), given["r"].tolist(), strict=True))
    if not chains:
        return source
    codes, uniques = _factor(pd.Series(source, dtype=object))
    ends = {s: _chain_end(str(s), chains) for s in uniques.tolist()}  # once per source
    ended = np.array([ends[s] for s in uniques.tolist()] + [None], dtype=object)
    return np.asarray(ended[codes], dtype=object)


def _chain_end(source: str, chains: dict[str, str]) -> str:
    seen = {source}
    while source in chains and chains[source] not in seen:
        source = chains[source]
        seen.add(source)
    return source


def relay_ids(frame: pd.DataFrame) -> Objects:
    """Per claim, the intermediary its publisher had it from: the last of ``via`` (nearest the
    publisher), ``None`` when it has none."""
    n = len(frame)
    if "via" not in frame.columns or not n:
        return np.full(n, None, dtype=object)
    via = pd.Series(frame["via"].astype(object).to_numpy(), dtype=object)
    codes, uniques = pd.factorize(via.map(_as_key))  # once per distinct chain
    last = np.array([_last(u) for u in uniques.tolist()] + [None], dtype=object)
    return np.asarray(last[np.asarray(codes, dtype=np.int64)], dtype=object)


def _as_key(value: Any) -> Any:
    """A ``via`` cell as a hashable value (a tuple of ids, or a comma-separated text)."""
    if isinstance(value, list | np.ndarray):
        return tuple(str(v) for v in value)
    return value


def _last(value: Any) -> str | None:
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",") if p.strip()]
        return parts[-1] if parts else None
    if isinstance(value, tuple) and value:
        return str(value[-1])
    return None


def relay_codes(relays: Objects, publishers: Objects) -> Ints:
    """Per claim, its relay (:func:`relay_ids`) as a code among ``publishers`` (the distinct
    publishers, whose position is a publisher code); -1 where it has none or it publishes
    nothing compared."""
    found = pd.Index(publishers).get_indexer(pd.Index(relays))
    return np.where(pd.isna(relays), -1, found).astype(np.int64)


def hedged(frame: pd.DataFrame, stance: Ints) -> Bools:
    """Per claim, whether it weighs less than a direct claim: the reporter hedges who says it
    (``attribution`` set) or it is a statement of a hedged stance (fears, believes, suspects)."""
    out = np.isin(stance, np.array(HEDGED_STANCE_CODES, dtype=np.int64))
    if "attribution" in frame.columns:
        out |= frame["attribution"].notna().to_numpy(dtype=bool)
    return np.asarray(out, dtype=bool)


def subject_variations(frame: pd.DataFrame, subjects: Objects) -> Objects:
    """Per subject of ``subjects``, how its value varies in time, from a claims frame: its first
    claim's ``varies``, else the default for the kind and unit of that claim
    (:func:`claimtrack.default_varies`), worked out once per distinct kind and unit."""
    n = len(subjects)
    codes, names = _factor(frame["subject"])
    first = np.full(len(names) + 1, -1, dtype=np.int64)  # the first row of each subject
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    rows = first[np.asarray(pd.Index(names).get_indexer(pd.Index(subjects)), dtype=np.int64)]
    found = rows >= 0

    def column(name: str) -> Objects:
        out = np.full(n, None, dtype=object)
        if name in frame.columns:
            out[found] = _object_column(frame[name].iloc[rows[found]])
        return out

    declared, kind, unit = column("varies"), column("kind"), column("unit")
    which, first_of = _distinct(kind, unit)  # each distinct kind and unit once
    kinds = {k.value for k in SubjectKind}
    defaults = np.array(
        [
            default_varies(SubjectKind(k), u if isinstance(u, str) else None).value
            if k in kinds
            else Varies.OVER_TIME.value
            for k, u in zip(kind[first_of].tolist(), unit[first_of].tolist(), strict=True)
        ],
        dtype=object,
    )
    out = defaults[which] if n else np.zeros(0, dtype=object)
    return np.asarray(np.where(pd.isna(declared), out, declared), dtype=object)


# -- what the rules read of them ---------------------------------------------------------------


_WEIGHS = (
    "",
    " — a hedged claim (the first) against a direct one: the direct claim weighs more",
    " — a hedged claim (the second) against a direct one: the direct claim weighs more",
    " — both claims are hedged: neither is asserted directly",
)


def _weigh(p: Pairs) -> Floats:
    """Per pair, which side is hedged (0 neither, 1 the first, 2 the second, 3 both)."""
    return np.asarray(p.a("hedged") + 2 * p.b("hedged").astype(np.int64), dtype=np.float64)


def _weigh_text(code: float) -> str:
    return _WEIGHS[int(code)]


WEIGH = (_weigh, _weigh_text)
"""The ``{weigh}`` field of a reason: whether a hedged claim stands against a direct one."""


def one_occasion(p: Pairs) -> Bools:
    """The two claims may be about one occasion: the subject does not vary by occasion, or they
    hold within ``occasion_tolerance_days`` of each other, or one is undated."""
    return np.asarray(~p.a("occasion") | p.comparable | p.undated, dtype=bool)


def relayed(p: Pairs) -> Bools:
    """One claim's publisher had it from (``via``, nearest the publisher) the other's publisher."""
    a_relay, b_relay = p.a("relay_code"), p.b("relay_code")
    found = ((a_relay >= 0) & (a_relay == p.b("publisher_code"))) | (
        (b_relay >= 0) & (b_relay == p.a("publisher_code"))
    )
    return np.asarray(found, dtype=bool)


def republished(p: Pairs) -> Bools:
    """Two reports that are one: different sources with one origin (``republishes``)."""
    return ~p.same("source_code") & p.same("origin_code")


__all__ = [
    "BY_OCCASION",
    "WEIGH",
    "hedged",
    "one_occasion",
    "origin_sources",
    "relay_codes",
    "relay_ids",
    "relayed",
    "republished",
    "subject_variations",
]

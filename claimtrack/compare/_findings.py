"""Grouped findings: the notable pairs of a comparison, one finding per pair of lines with one
verdict and reason, and the failed series checks.

A finding is every notable pair of one subject with the same verdict and reason whose two
claims are of the same two lines (``_groups.line_labels``, in either order), all of them pairs
of one origin or all of different origins: ``claim_a`` and ``claim_b`` are its first pair in
claim id order, ``n_a`` and ``n_b`` how many claims stand behind each side, ``n_pairs`` how
many pairs. The same findings come from the pairs (the all-pairs path:
:func:`findings_from_pairs`) and from the decisions of pairs of groups and of lines (the
grouped path: :func:`line_findings`), and expand to the same member pairs
(:func:`expand_findings`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from claimtrack.compare._arrays import Ints, Objects, _distinct, _objects
from claimtrack.compare._groups import ORIGIN_BITS, ORIGIN_MASK
from claimtrack.compare._guard import BYTES_PER_PAIR
from claimtrack.compare._vocabulary import NOTABLE, Verdict
from claimtrack.errors import TooManyPairsError

FINDING_COLUMNS = (
    "verdict",
    "subject",
    "claim_a",
    "claim_b",
    "reason",
    "n_a",
    "n_b",
    "n_pairs",
)
"""The columns of :meth:`Comparison.findings`, in order."""

FINDING_PAIR_COLUMNS = ("verdict", "subject", "claim_a", "claim_b", "reason", "finding")
"""The columns of :meth:`Comparison.finding_pairs`, in order."""

_ORDER = {v.value: i for i, v in enumerate(NOTABLE)}

Members = Callable[[pd.DataFrame], tuple[Objects, Objects, Ints]]
"""The member pairs of some grouped findings: claim ids of sides a and b, and which of the given
findings (a position) each pair belongs to."""


def _series_findings(series: pd.DataFrame) -> pd.DataFrame:
    failed = series[series["consistent"] == False]  # noqa: E712
    return pd.DataFrame(
        {
            "verdict": np.where(
                failed["same_source"].fillna(True).to_numpy(dtype=bool),
                Verdict.INCONSISTENT.value,
                Verdict.DIFFER.value,
            ).astype(object),
            "subject": failed["series"].to_numpy(dtype=object),
            "claim_a": failed["claim"].to_numpy(dtype=object),
            "claim_b": failed["start_claim"].to_numpy(dtype=object),
            "reason": failed["reason"].to_numpy(dtype=object),
            "n_a": np.ones(len(failed), dtype=np.int64),
            "n_b": np.ones(len(failed), dtype=np.int64),
            "n_pairs": np.ones(len(failed), dtype=np.int64),
            "group_a": np.full(len(failed), -1, dtype=np.int64),
            "group_b": np.full(len(failed), -1, dtype=np.int64),
            "tied": np.zeros(len(failed), dtype=bool),
        }
    )


def _sorted(found: pd.DataFrame) -> pd.DataFrame:
    """Most important verdict first, then by subject, claim a and claim b (stable; each text
    ranked once per distinct value, as ``sort_values`` orders them), with object columns."""
    rank = found["verdict"].map(_ORDER).to_numpy(dtype=np.float64, na_value=np.nan)
    keys = [np.nan_to_num(rank, nan=len(_ORDER))]
    for column in ("subject", "claim_a", "claim_b"):
        keys.append(pd.factorize(found[column].to_numpy(dtype=object), sort=True)[0])
    order = np.lexsort(keys[::-1])
    out = found.iloc[order].reset_index(drop=True)
    for column in ("verdict", "subject", "claim_a", "claim_b", "reason"):
        out[column] = _objects(out[column].to_numpy(dtype=object))
    return out


def finished_findings(notable: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Grouped findings of pairs (``notable``: :data:`FINDING_COLUMNS` and ``group_a``,
    ``group_b``, ``tied``) and the failed series checks, in findings order."""
    extra = _series_findings(series)
    parts = [f for f in (notable, extra) if len(f)]
    found = pd.concat(parts, ignore_index=True) if parts else notable
    return _sorted(found)


def findings_from_pairs(
    pairs: pd.DataFrame, groups: pd.Series[Any] | None, series: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Grouped findings of the notable ``pairs`` (a pairs frame), grouping claims by ``groups``
    (claim id to group; ``None``: each claim its own group), and the pairs with the finding each
    belongs to (column ``finding``)."""
    cols = ["verdict", "subject", "claim_a", "claim_b", "reason"]
    found = pd.DataFrame({c: _objects(pairs[c].to_numpy(dtype=object)) for c in cols})
    a, b = found["claim_a"], found["claim_b"]
    if groups is None:
        codes, _ = pd.factorize(pd.concat([a, b], ignore_index=True))
        ga, gb = codes[: len(a)], codes[len(a) :]
        one = np.zeros(len(a), dtype=bool)
    else:
        ka = groups.reindex(a.to_numpy()).to_numpy(dtype=np.int64)
        kb = groups.reindex(b.to_numpy()).to_numpy(dtype=np.int64)
        ga, gb = ka >> ORIGIN_BITS, kb >> ORIGIN_BITS
        one = (ka & ORIGIN_MASK) == (kb & ORIGIN_MASK)
    found = found.assign(group_a=np.minimum(ga, gb), group_b=np.maximum(ga, gb), one=one)
    found = found.sort_values(["claim_a", "claim_b"], kind="stable")
    keys = ["verdict", "subject", "reason", "group_a", "group_b", "one"]
    by = found.groupby(keys, sort=False, dropna=False)
    key = by.ngroup().to_numpy()
    first = found.drop_duplicates(subset=keys).reset_index(drop=True)
    grouped = pd.DataFrame(
        {
            "verdict": _objects(first["verdict"].to_numpy(dtype=object)),
            "subject": _objects(first["subject"].to_numpy(dtype=object)),
            "claim_a": _objects(first["claim_a"].to_numpy(dtype=object)),
            "claim_b": _objects(first["claim_b"].to_numpy(dtype=object)),
            "reason": _objects(first["reason"].to_numpy(dtype=object)),
            "n_a": by["claim_a"].nunique().to_numpy(dtype=np.int64),
            "n_b": by["claim_b"].nunique().to_numpy(dtype=np.int64),
            "n_pairs": by.size().to_numpy(dtype=np.int64),
            "group_a": np.arange(len(first), dtype=np.int64),  # the finding's key
            "group_b": np.arange(len(first), dtype=np.int64),
            "tied": np.zeros(len(first), dtype=bool),
        }
    )
    members = found[cols].assign(finding=key).reset_index(drop=True)
    return finished_findings(grouped, series), members


def line_findings(
    decided: pd.DataFrame, lines: Ints, origins: Ints, groups: int
) -> tuple[pd.DataFrame, Ints]:
    """Findings between lines from notable decisions (``decided``: :data:`FINDING_COLUMNS`
    with their reasons, ``group_a``, ``group_b``; a group of ``groups`` or more is a line,
    ``groups + line``, decided at once for its pairs of different origins), ``lines`` and
    ``origins`` the line and origin of each group; and per decision the key of its finding (-1
    for a pair decided apart, ``group_a`` -1, which is a finding of its own).

    The decisions of one subject with one verdict and reason between the same two lines (in
    either order), all of pairs of one origin or all of different origins, are one finding:
    ``n_pairs`` their sum; ``n_a`` (``n_b``) the claims behind side a (b), per group the most
    any of its decisions has on that side (a group takes part with all its members, or, within
    one tie class, with those before the other's last member, or after its first: the largest
    holds the others); ``claim_a`` and ``claim_b`` the first of their first pairs by claim id.
    The findings' ``group_a`` and ``group_b`` are their key."""
    apart = decided["group_a"].to_numpy(dtype=np.int64) < 0
    part = decided[~apart]
    ga = part["group_a"].to_numpy(dtype=np.int64)
    gb = part["group_b"].to_numpy(dtype=np.int64)
    la, lb = lines[ga], lines[gb]
    one = (ga < groups) & (origins[ga] == origins[gb])
    codes = [
        pd.factorize(part[c].to_numpy(dtype=object))[0] for c in ("verdict", "subject", "reason")
    ]
    key, first = _distinct(*codes, np.minimum(la, lb), np.maximum(la, lb), one)
    count = len(first)
    n_pairs = np.bincount(key, weights=part["n_pairs"].to_numpy(), minlength=count)

    def behind(group: Ints, n: Ints) -> Ints:
        frame = pd.DataFrame({"k": key, "g": group, "n": n})
        per = frame.groupby(["k", "g"], sort=False)["n"].max().groupby(level="k").sum()
        out = np.zeros(count, dtype=np.int64)
        out[per.index.to_numpy(dtype=np.int64)] = per.to_numpy(dtype=np.int64)
        return out

    rank_a = pd.factorize(part["claim_a"].to_numpy(dtype=object), sort=True)[0]
    rank_b = pd.factorize(part["claim_b"].to_numpy(dtype=object), sort=True)[0]
    order = np.lexsort((rank_b, rank_a, key))
    lowest = order[np.r_[True, key[order][1:] != key[order][:-1]]] if len(order) else order
    keys = np.arange(count, dtype=np.int64)
    found = pd.DataFrame(
        {
            "verdict": _objects(part["verdict"].to_numpy(dtype=object)[first]),
            "subject": _objects(part["subject"].to_numpy(dtype=object)[first]),
            "claim_a": _objects(part["claim_a"].to_numpy(dtype=object)[lowest]),
            "claim_b": _objects(part["claim_b"].to_numpy(dtype=object)[lowest]),
            "reason": _objects(part["reason"].to_numpy(dtype=object)[first]),
            "n_a": behind(ga, part["n_a"].to_numpy(dtype=np.int64)),
            "n_b": behind(gb, part["n_b"].to_numpy(dtype=np.int64)),
            "n_pairs": n_pairs.astype(np.int64),
            "group_a": keys,
            "group_b": keys,
            "tied": np.zeros(count, dtype=bool),
        }
    )
    alone = decided[apart][list(found.columns)]
    of = np.full(len(decided), -1, dtype=np.int64)
    of[~apart] = key
    joined = pd.concat([found, alone], ignore_index=True) if len(alone) else found
    return joined, of


def link_findings(pairs: pd.DataFrame, groups: pd.Series[Any]) -> pd.DataFrame | None:
    """The findings of ``pairs`` decided apart (across links between subjects), as grouped
    findings of one pair each (listed by their claims, like a failed series check), or ``None``
    when two of them would be one finding (the same verdict, subject and reason between the same
    two groups): then only the all-pairs path lists them exactly."""
    notable = pairs[pairs["verdict"].isin([v.value for v in NOTABLE]).to_numpy()]
    cols = ["verdict", "subject", "claim_a", "claim_b", "reason"]
    found = pd.DataFrame({c: _objects(notable[c].to_numpy(dtype=object)) for c in cols})
    ka = groups.reindex(found["claim_a"].to_numpy()).to_numpy(dtype=np.int64)
    kb = groups.reindex(found["claim_b"].to_numpy()).to_numpy(dtype=np.int64)
    ga, gb = ka >> ORIGIN_BITS, kb >> ORIGIN_BITS
    keys = found[["verdict", "subject", "reason"]].assign(
        ga=np.minimum(ga, gb),
        gb=np.maximum(ga, gb),
        one=(ka & ORIGIN_MASK) == (kb & ORIGIN_MASK),
    )
    if keys.duplicated().any():
        return None
    ones = np.ones(len(found), dtype=np.int64)
    return found.assign(
        n_a=ones,
        n_b=ones,
        n_pairs=ones,
        group_a=np.full(len(found), -1, dtype=np.int64),
        group_b=np.full(len(found), -1, dtype=np.int64),
        tied=np.zeros(len(found), dtype=bool),
        rule=np.full(len(found), -1, dtype=np.int64),  # the reasons come written
        row_a=np.full(len(found), -1, dtype=np.int64),
        row_b=np.full(len(found), -1, dtype=np.int64),
    )


def public(found: pd.DataFrame) -> pd.DataFrame:
    """Grouped findings with their public columns only (:data:`FINDING_COLUMNS`)."""
    return found[list(FINDING_COLUMNS)]


def selected(found: pd.DataFrame, chosen: Any) -> pd.DataFrame:
    """The findings at positions ``chosen`` (one, several, or ``None``: all)."""
    if chosen is None:
        return found
    positions = [chosen] if isinstance(chosen, int | np.integer) else list(chosen)
    bad = [p for p in positions if not 0 <= int(p) < len(found)]
    if bad:
        raise IndexError(f"no finding {bad[0]}: there are {len(found)} (positions from 0)")
    return found.iloc[[int(p) for p in positions]]


def check_expanding(found: pd.DataFrame, limit: int | None) -> None:
    """Refuse to list more than ``limit`` member pairs of findings."""
    total = int(found["n_pairs"].sum())
    if limit is not None and total > limit:
        raise TooManyPairsError(total, total * BYTES_PER_PAIR, limit)


def expand_findings(
    found: pd.DataFrame, members: Members, limit: int | None, chosen: Any = None
) -> pd.DataFrame:
    """The member pairs of grouped findings (all, or those at positions ``chosen``): one row per
    pair (:data:`FINDING_PAIR_COLUMNS`, ``finding`` its finding's position), in findings order
    (by verdict, subject, claim a, claim b)."""
    positions = np.arange(len(found)) if chosen is None else None
    part = selected(found, chosen)
    if positions is None:
        positions = np.asarray(part.index, dtype=np.int64)
    check_expanding(part, limit)
    pairs = part["group_a"].to_numpy() >= 0
    a, b, which = _members_of(part[pairs], members)
    at = positions[pairs][which]
    checks = part[~pairs]

    def joined(column: str) -> pd.Series[Any]:
        return _objects(
            np.concatenate(
                [part[column].to_numpy(dtype=object)[pairs][which], checks[column].to_numpy()]
            ).astype(object)
        )

    frame = pd.DataFrame(
        {
            "verdict": joined("verdict"),
            "subject": joined("subject"),
            "claim_a": _objects(np.concatenate([a, checks["claim_a"].to_numpy()]).astype(object)),
            "claim_b": _objects(np.concatenate([b, checks["claim_b"].to_numpy()]).astype(object)),
            "reason": joined("reason"),
            "finding": np.concatenate([at, positions[~pairs]]).astype(np.int64),
        }
    )
    return _sorted(frame)


def _members_of(part: pd.DataFrame, members: Members) -> tuple[Objects, Objects, Ints]:
    """``members`` of the findings ``part`` (keyed by ``group_a``), each finding's pairs listed
    once for every time it is chosen."""
    keys = part["group_a"].to_numpy(dtype=np.int64)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    if len(first) == len(keys):
        a, b, which = members(part)
        return a, b, which
    a, b, once = members(part.iloc[first])
    order = np.argsort(inverse, kind="stable")
    counts = np.bincount(inverse, minlength=len(first))
    start = np.cumsum(counts) - counts
    repeat = counts[once]
    pair = np.repeat(np.arange(len(once)), repeat)
    offset = np.arange(len(pair)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return a[pair], b[pair], order[start[once][pair] + offset].astype(np.int64)

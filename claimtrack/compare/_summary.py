"""Summaries of a comparison: the subjects table (origins, consensus, latest figures, counts per
verdict) and the series checks (day counts against the start of their series)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.compare._arrays import (
    _combined,
    _day_ranks,
    _distinct,
    _objects,
    _packed_order,
    _per_distinct,
)
from claimtrack.compare._decide import Links
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._schema import SUBJECT_COLUMNS
from claimtrack.compare._texts import SUMMARY_TEXT_COLUMNS, _date_spans, _interval_texts, add_texts
from claimtrack.compare._vocabulary import DAY_COUNT, QUANTITY, VERDICTS
from claimtrack.subject import SubjectKind


def subject_count(prepared: pd.DataFrame) -> int:
    index = prepared["subject_index"].to_numpy()
    return int(index[-1]) + 1 if len(index) else 0


def origins(n: int, repeats: Links, groups: Any = None) -> np.ndarray[Any, Any]:
    """An origin label per prepared claim (``n`` of them): claims joined by repeat pairs share one
    label, the smallest row among them (an additional amount and its base are joined too), and so
    do claims of one group (``groups``: an integer per claim, -1 for none; see
    :func:`report_groups`).

    Connected components by vectorised label propagation with pointer jumping.
    """
    labels = np.arange(n)
    u, v = repeats.a[~repeats.update], repeats.b[~repeats.update]
    if groups is not None and n:
        grouped = np.flatnonzero(np.asarray(groups) >= 0)
        code = np.asarray(pd.factorize(np.asarray(groups)[grouped])[0], dtype=np.int64)
        lowest = np.full(int(code.max(initial=-1)) + 1, n, dtype=np.int64)
        np.minimum.at(lowest, code, grouped)  # the first claim of each group
        first = lowest[code]
        joined = first != grouped
        u, v = np.r_[u, first[joined]], np.r_[v, grouped[joined]]
    if n == 0 or not len(u):
        return labels
    while True:
        smaller = np.minimum(labels[u], labels[v])
        before = labels.copy()
        np.minimum.at(labels, u, smaller)
        np.minimum.at(labels, v, smaller)
        labels = labels[labels]
        if np.array_equal(labels, before):
            return labels


def report_groups(prepared: pd.DataFrame) -> np.ndarray[Any, Any]:
    """Per prepared claim, its group of one claimant's claims in one report (an int; equal for
    claims of one subject, claimant and report): one origin, however many claims it makes. A
    republication (``republishes``) is the report it republishes; for a subject that varies by
    occasion, claims about different occasions (different times) are different groups."""
    occasion = prepared["occasion"].to_numpy(dtype=bool)
    ranks, _ = _day_ranks(np.where(occasion, prepared["t0"].to_numpy(), 0.0))
    return _combined(
        prepared["subject_index"].to_numpy(),
        prepared["claimant_code"].to_numpy(),
        prepared["origin_code"].to_numpy(),
        np.where(occasion, ranks, -1).astype(np.int64),
    )


def _distinct_per_block(
    block: np.ndarray[Any, Any], codes: np.ndarray[Any, Any], blocks: int
) -> Any:
    """How many distinct non-negative ``codes`` each block has (rows grouped by ``block``)."""
    valid = codes >= 0
    width = int(codes.max(initial=0)) + 1
    keys = np.sort(block[valid] * width + codes[valid])
    distinct = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    return np.bincount(distinct // width, minlength=blocks)


def summarise(
    prepared: pd.DataFrame,
    links: Links,
    verdict_counts: np.ndarray[Any, Any],
    frame: pd.DataFrame | None = None,
    *,
    latest: Any = None,
) -> pd.DataFrame:
    """The per-subject table of a comparison (see :class:`Comparison`), from the prepared claims,
    the repeat and update links between them and the kept pairs per subject and verdict
    (:class:`Tally`). Prepared claims without texts need the ``frame`` they were
    prepared from. ``latest`` is :func:`_latest` of the claims when already computed.

    The consensus interval is where the current figures of the independent origins overlap:
    each origin's claims are intersected, figures superseded by an update (and additional amounts)
    are left out, and what remains is intersected across origins. Hedged figures are left out too
    where the subject has a direct one (the text says how many), and a subject that varies by
    occasion has an interval only where its figures are of one occasion ("per occasion: ..."
    otherwise). Origins are :func:`origins` over the repeat links and :func:`report_groups`.
    """
    n = len(prepared)
    block = prepared["subject_index"].to_numpy()
    blocks = int(block[-1]) + 1 if n else 0
    first = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if n else block
    labels = origins(n, links, report_groups(prepared))
    superseded = np.zeros(n, dtype=bool)
    superseded[links.a[links.update]] = True
    kind = prepared["kind"].to_numpy()
    table = pd.DataFrame(
        {
            "subject": _objects(prepared["subject"].to_numpy()[first]),
            "label": _objects(prepared["label"].to_numpy()[first]),
            "kind": _objects(prepared["subject_kind"].to_numpy()[first]),
            "claims": np.bincount(block, minlength=blocks).astype(np.int64),
            "claimants": _distinct_per_block(block, prepared["claimant_code"].to_numpy(), blocks),
            "origins": _distinct_per_block(block, labels, blocks),
        }
    )
    figure = (kind == QUANTITY) & ~prepared["additional"].to_numpy() & ~superseded
    # hedged figures weigh less: where a subject has a direct figure, only direct ones count
    hedged = prepared["hedged"].to_numpy(dtype=bool)
    has_direct = np.bincount(block[figure & ~hedged], minlength=blocks) > 0
    left_out = figure & hedged & has_direct[block]
    figure &= ~left_out
    # a subject that varies by occasion has a consensus only where its figures are of one
    occasions = _occasions_per_block(prepared, block, blocks, figure)
    one_occasion = ~prepared["occasion"].to_numpy(dtype=bool)[first] | (occasions <= 1)
    # the intersection of every origin's intersection is the intersection of all its figures
    every = range(blocks)
    low = pd.Series(prepared["lo"].to_numpy()[figure]).groupby(block[figure]).max()
    high = pd.Series(prepared["hi"].to_numpy()[figure]).groupby(block[figure]).min()
    lows, highs = low.reindex(every).to_numpy(), high.reindex(every).to_numpy()
    has = (lows <= highs) & one_occasion
    table["consensus_low"] = np.where(has, lows, np.nan)
    table["consensus_high"] = np.where(has, highs, np.nan)
    quantity = np.zeros(blocks, dtype=bool)
    quantity[block[figure]] = True
    texts = _consensus_texts(
        table["consensus_low"].to_numpy(), table["consensus_high"].to_numpy(), quantity
    )
    texts = np.where(
        quantity & ~one_occasion,
        _numbered(occasions, "per occasion: the figures are about {} occasions"),
        texts,
    )
    hedged_out = np.bincount(block[left_out], minlength=blocks)
    alone = quantity & np.isnan(table["consensus_low"].to_numpy()) & one_occasion
    texts = np.where(alone & (table["origins"].to_numpy() == 1), _ONE_ORIGIN, texts)
    table["consensus"] = _objects(
        np.where(
            quantity & (hedged_out > 0),
            texts + _numbered(hedged_out, " (direct claims only; {} hedged left out)"),
            texts,
        )
    )
    if latest is None:
        latest = latest_figures(prepared, block, blocks, frame)
    table["latest"] = _objects(latest)
    for v, verdict in enumerate(VERDICTS):
        table[f"n_{verdict}"] = (
            verdict_counts[:, v].astype(np.int64)
            if len(verdict_counts)
            else np.zeros(blocks, np.int64)
        )
    return table[list(SUBJECT_COLUMNS)]


_ONE_ORIGIN = "none: the figures do not overlap (one origin, inconsistent with itself)"


def _occasions_per_block(
    prepared: pd.DataFrame, block: np.ndarray[Any, Any], blocks: int, figure: Any
) -> Any:
    """Per subject, how many occasions (distinct times) its dated ``figure`` claims are about."""
    t0, t1 = prepared["t0"].to_numpy(), prepared["t1"].to_numpy()
    dated = figure & ~np.isnan(t0)
    when = _distinct(t0[dated], t1[dated])[0]
    return _distinct_per_block(block[dated], when, blocks)


def _numbered(counts: Any, text: str) -> Any:
    """``text`` with each count in it, written once per distinct count (an object array)."""
    counts = np.asarray(counts, dtype=np.int64)
    distinct, code = np.unique(counts, return_inverse=True)
    return np.array([text.format(int(c)) for c in distinct.tolist()], dtype=object)[code]


def _texts_in(prepared: pd.DataFrame) -> list[str]:
    """The summary texts ``prepared`` already has (all of them, or none)."""
    return [c for c in SUMMARY_TEXT_COLUMNS if c in prepared.columns]


def _with_texts(rows: pd.DataFrame, frame: pd.DataFrame | None) -> pd.DataFrame:
    """Prepared ``rows`` with the texts the subjects table and series checks need."""
    if "when" in rows.columns:
        return rows
    if frame is None:
        raise ValueError("prepared claims without texts: pass the frame they were prepared from")
    return add_texts(rows, frame, SUMMARY_TEXT_COLUMNS)


def _dated_ranks(days: np.ndarray[Any, Any]) -> tuple[Any, int]:
    """:func:`_day_ranks`, with missing days first instead of last."""
    ranks, width = _day_ranks(days)
    return np.where(np.isnan(days), 0, ranks + 1), width + 1


def latest_figures(
    prepared: pd.DataFrame, block: np.ndarray[Any, Any], blocks: int, frame: pd.DataFrame | None
) -> Any:
    """Per subject, each claimant's latest figure or count: ``"claimant: value (when)"``, joined
    with ``"; "`` in claimant order; empty where there is none. A direct figure is preferred to a
    later hedged one; a hedged latest figure says so (``"(when, hedged)"``). For a subject that
    varies by occasion it is the figure for the latest occasion, not a revision of the others."""
    out = np.full(blocks, "", dtype=object)
    if not len(prepared):
        return out
    claimant = prepared["claimant_code"].to_numpy()
    # one key per subject and claimant; the last row of a key by (t1, t0, publication, source id)
    # is its latest: on a tie of times the later report, then the larger source id; undated
    # claims come first (any dated figure is later), and an additional amount before its base
    width = int(claimant.max(initial=0)) + 2
    key = block * width + claimant + 1
    source, _ = pd.factorize(prepared["source"].to_numpy(dtype=object), sort=True)
    source = np.asarray(source, dtype=np.int64)
    direct = (~prepared["hedged"].to_numpy(dtype=bool)).astype(np.int64)
    order = _packed_order(
        [
            (key, blocks * width),
            (direct, 2),  # a direct figure is preferred to a later hedged one
            _dated_ranks(prepared["t1"].to_numpy()),
            _dated_ranks(prepared["t0"].to_numpy()),
            ((~prepared["additional"].to_numpy(dtype=bool)).astype(np.int64), 2),
            _dated_ranks(prepared["published"].to_numpy()),
            (source + 1, int(source.max(initial=0)) + 2),
        ]
    )
    ordered = key[order]
    last = order[np.r_[ordered[1:] != ordered[:-1], True]]
    kind = prepared["kind"].to_numpy()[last]
    wanted = (kind == QUANTITY) | (kind == DAY_COUNT)
    last = last[wanted & (claimant[last] >= 0)]
    if not len(last):
        return out
    needed = ["row", "kind", "lo", "hi", "claimant", "undated", "hedged", *_texts_in(prepared)]
    rows = _with_texts(prepared[needed].iloc[last], frame)
    written = rows["written"].to_numpy()
    value = np.where(pd.isna(written), rows["interval"].to_numpy(), written).tolist()
    mark = np.where(rows["hedged"].to_numpy(dtype=bool), ", hedged", "").tolist()
    texts = [
        f"{c}: {'' if v is None else v} ({w}{h})"
        for c, v, w, h in zip(
            rows["claimant"].tolist(), value, rows["when"].tolist(), mark, strict=True
        )
    ]
    keys, joined = _join_blocks(block[last], texts)
    out[keys] = joined
    return out


def _consensus_texts(lo: np.ndarray[Any, Any], hi: np.ndarray[Any, Any], quantity: Any) -> Any:
    """The consensus interval per subject as text ("none: ..." when the figures do not overlap,
    empty for subjects without figures)."""
    quantity = np.asarray(quantity, dtype=bool)
    out = np.full(len(lo), "", dtype=object)
    missing = np.isnan(lo)
    out[quantity & missing] = "none: the independent figures do not overlap"
    some = quantity & ~missing
    code, first = _distinct(lo[some], hi[some])  # each distinct interval written once
    zeros = np.zeros(len(first), dtype=np.int64)
    texts = _interval_texts(lo[some][first], hi[some][first], zeros)
    out[some] = _per_distinct(texts, code)
    return out


def _join_blocks(keys: np.ndarray[Any, Any], texts: list[str]) -> tuple[Any, Any]:
    """``"; "``-joined texts per key, for texts already grouped by key: the keys, and an object
    array of their texts."""
    if not len(keys):
        return keys, np.zeros(0, dtype=object)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    joined = np.array(texts, dtype=object)[starts]  # most keys have one text
    several = np.flatnonzero(ends - starts > 1)
    joined[several] = [
        "; ".join(texts[a:b])
        for a, b in zip(starts[several].tolist(), ends[several].tolist(), strict=True)
    ]
    return keys[starts], joined


def check_series(
    prepared: pd.DataFrame,
    claims: ClaimSet | pd.DataFrame,
    policy: KernelPolicy,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each day count's implied start (``as_of - (ordinal - 1)`` days) against the series start.

    Start claims are event-date claims on a subject whose ``start_of`` is the series. A count is
    consistent when its implied start and the stated start overlap, or are at most
    ``day_count_tolerance_days`` apart (the reason says by how much). A count dated only by its
    report (its time is its source's publication day) whose implied start is later than the stated
    one by at most ``reporting_lag_days`` more is consistent too: a possible reporting lag, said
    with the days. An undated count is dated from the stated start instead (``consistent`` empty).
    One row per (count, start claim); a count with no start claim has one row with
    ``consistent`` empty.
    """
    if isinstance(claims, ClaimSet):
        starts_of = {s.id: s.start_of for s in claims.subjects.values() if s.start_of}
        units = {
            c.id: str(getattr(c.value, "unit", "day"))
            for c in claims
            if c.kind is SubjectKind.DAY_COUNT
        }
    else:
        starts_of, units = {}, {}
    needed = [
        "row",
        "kind",
        "lo",
        "hi",
        "subject",
        "claim",
        "source",
        "ordinal",
        "t0",
        "published",
        "undated",
        "start0",
        "start1",
    ]
    day_counts = prepared[needed + _texts_in(prepared)]
    counts = _with_texts(day_counts[prepared["kind"].to_numpy() == DAY_COUNT], frame)
    kept = ["subject", "claim", "source", "ordinal", "when", "t0", "published", "undated"]
    counts = counts[[*kept, "start0", "start1"]]
    start_claims = prepared["subject"].isin(list(starts_of)).to_numpy()
    starts = prepared[["subject", "claim", "source", "d0", "d1"]][start_claims]
    series_of = starts["subject"].map(starts_of).astype(object)
    starts = starts.assign(series=series_of).drop(columns="subject")
    merged = counts.rename(columns={"subject": "series"}).merge(
        starts.rename(columns={"claim": "start_claim", "source": "start_source"}),
        on="series",
        how="left",
    )
    d0, d1 = merged["d0"].to_numpy(), merged["d1"].to_numpy()
    start0, start1 = merged["start0"].to_numpy(), merged["start1"].to_numpy()
    late = start0 - d1  # > 0: the count implies a later start than the stated one
    gap = pd.Series(np.maximum(np.maximum(d0 - start1, late), 0.0), index=merged.index)
    has_start = merged["start_claim"].notna().to_numpy()
    undated = merged["undated"].to_numpy(dtype=bool)
    tolerance, lag = policy.day_count_tolerance_days, policy.reporting_lag_days
    reported = merged["t0"].to_numpy() == merged["published"].to_numpy()
    lagging = reported & (gap > tolerance) & (late > 0) & (gap <= tolerance + lag)
    consistent = pd.Series((gap <= tolerance) | lagging, index=merged.index)
    consistent = consistent.where(has_start & ~undated)
    unit = merged["claim"].map(units).astype(object).fillna("day")
    implied = _date_spans(start0, start1, ~undated).tolist()
    spans = _date_spans(d0, d1, ~np.isnan(d0))  # once per distinct start
    stated = [s or None for s in spans.tolist()]
    ordinal = merged["ordinal"].to_numpy()
    # the day the count falls on counted from the stated start (the latest day it can start)
    counted = _date_spans(d0 + (ordinal - 1), d1 + (ordinal - 1), has_start).tolist()
    same_source = (merged["source"] == merged["start_source"]).to_numpy()
    reasons = []
    rows = zip(
        unit,
        ordinal.tolist(),
        merged["when"],
        implied,
        stated,
        counted,
        gap.tolist(),
        merged["start_claim"],
        undated.tolist(),
        lagging.tolist(),
        same_source.tolist(),
        strict=True,
    )
    for u, n, when, imp, st, on, g, start, no_date, lags, own in rows:
        name = f"{u} {int(n)}"
        if no_date:
            if st is None:
                reasons.append(f"{name} is undated and no claim states when the series began")
            else:
                reasons.append(
                    f"{name} is undated (no date of its own); counted from the stated start {st} "
                    f"({start}) it falls on {on}"
                )
            continue
        head = f"{name} as of {when} implies the series began {imp}"
        if st is None:
            reasons.append(f"{head}; no claim states when it began")
        elif g == 0:
            reasons.append(f"{head}, consistent with the stated start {st} ({start})")
        elif g <= tolerance:
            reasons.append(
                f"{head}, {_days_off(g)} off the stated start {st} ({start}), within the "
                f"tolerance of {_days_off(tolerance)}"
            )
        elif lags:
            reasons.append(
                f"{head}, {_days_off(g)} after the stated start {st} ({start}): counted from that "
                f"start, {name} fell on {on}, {_days_off(g)} before this report of {when} — a "
                f"possible reporting lag (within {_days_off(lag)})"
            )
        else:
            who = "within one source" if own else "between two sources"
            reasons.append(
                f"{head}, {_days_off(g)} off the stated start {st} ({start}), more than the "
                f"tolerance of {_days_off(tolerance)}: a disagreement {who}"
            )
    frame = pd.DataFrame(
        {
            "series": merged["series"],
            "claim": merged["claim"],
            "ordinal": merged["ordinal"].astype("int64"),
            "unit": unit,
            "as_of": merged["when"],
            "implied_start": [x or None for x in implied],
            "start_claim": merged["start_claim"],
            "stated_start": stated,
            "consistent": consistent.astype("boolean"),
            "days_off": gap.where(has_start & ~undated),
            "same_source": pd.Series(same_source, index=merged.index, dtype="boolean").where(
                has_start
            ),
            "reason": reasons,
        }
    )
    return frame.sort_values(["series", "claim", "start_claim"], kind="stable", ignore_index=True)


def _days_off(days: float) -> str:
    return "1 day" if days == 1 else f"{days:,.0f} days"


SHARED_ORIGIN_COLUMNS = ("subject", "origin", "claim", "claimant", "source", "why")
"""The columns of :meth:`Comparison.origins`."""


def shared_origins(prepared: pd.DataFrame, joins: pd.DataFrame) -> pd.DataFrame:
    """Per subject, the claims that share an origin with another claim, and why: ``origin`` is the
    first claim of the origin (in the prepared order), ``why`` the rules of the repeat and
    combined pairs (``joins``: ``claim_a``, ``claim_b``, ``rule``) that join the claim, and "one
    report of <claimant>" where it shares one claimant's report (see :func:`report_groups`)."""
    n = len(prepared)
    position = pd.Index(prepared["claim"].to_numpy())
    a = np.asarray(position.get_indexer(joins["claim_a"].to_numpy()), dtype=np.int64)
    b = np.asarray(position.get_indexer(joins["claim_b"].to_numpy()), dtype=np.int64)
    found = (a >= 0) & (b >= 0)
    a, b = a[found], b[found]
    groups = report_groups(prepared)
    labels = origins(n, Links(a, b, np.zeros(len(a), dtype=bool)), groups)
    size = np.bincount(labels, minlength=n)
    shared = np.flatnonzero(size[labels] > 1)
    rule = joins["rule"].astype(object).to_numpy()[found]
    rules = pd.DataFrame({"row": np.r_[a, b], "why": np.r_[rule, rule]})
    group = np.asarray(pd.factorize(groups)[0], dtype=np.int64)
    in_report = np.flatnonzero(np.bincount(group, minlength=n)[group] > 1)
    claimant = prepared["claimant"].to_numpy(dtype=object)
    named = pd.Series(claimant[in_report], dtype=object).fillna("?").astype(str)
    report = pd.DataFrame({"row": in_report, "why": ("one report of " + named).to_numpy()})
    reasons = (
        pd.concat([rules, report], ignore_index=True)
        .drop_duplicates()
        .sort_values(["row", "why"], kind="stable")
        .groupby("row")["why"]
        .agg("; ".join)
    )
    claim = prepared["claim"].to_numpy(dtype=object)
    table = pd.DataFrame(
        {  # object columns, whether rows are shared or not (pandas would infer strings)
            "subject": _objects(prepared["subject"].to_numpy(dtype=object)[shared]),
            "origin": _objects(claim[labels[shared]]),
            "claim": _objects(claim[shared]),
            "claimant": _objects(claimant[shared]),
            "source": _objects(prepared["source"].to_numpy(dtype=object)[shared]),
            "why": _objects(reasons.reindex(shared).fillna("").to_numpy(dtype=object)),
        }
    )
    return table.reset_index(drop=True)

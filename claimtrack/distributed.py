"""The Dask engine: the same comparison as the local engine, on a dask.distributed cluster.

``compare(claims, engine="dask", client=...)`` lands here (:func:`compare_dask`). The claims frame
is shuffled by subject, so every subject's claims are in one partition, and each partition runs
the local engine's kernel unchanged (prepare, the global pair sequence, the rules, the per-subject
summary). Hot subjects, whose pairs alone exceed ``policy.max_pairs_per_chunk``, are not left to one
worker: their claims are prepared once, shared with every worker, and their pair sequence is cut
into ranges compared by separate tasks, so every pair is still compared exactly once.

Only small things come back to the client: per-subject summary rows, and with ``out`` nothing of
the pairs at all (each task writes its own part file of the Parquet dataset). Series checks (day
counts against the stated start of their series) cross subjects; they run on the client over the
day-count and event-date claims only.

Needs ``claimtrack[dask]``; importing this module without it raises :class:`MissingExtraError`.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from claimtrack import _kernel
from claimtrack.claimset import ClaimSet
from claimtrack.compare import (
    ComparePolicy,
    Comparison,
    _concat,
    _rehedge,
    _subject_table,
    _write_parquet,
    check_series,
    empty_pairs,
    origins,
    summarise,
)
from claimtrack.errors import MissingExtraError
from claimtrack.frame import claims_to_frame

try:  # dask is only partly typed: use it as Any rather than scatter ignores
    dask: Any = importlib.import_module("dask")
    dd: Any = importlib.import_module("dask.dataframe")
    _distributed: Any = importlib.import_module("dask.distributed")
except ImportError:  # pragma: no cover - exercised without the extra installed
    raise MissingExtraError("the dask engine", "dask") from None
Client = _distributed.Client
LocalCluster = _distributed.LocalCluster
get_client = _distributed.get_client
DaskFrame = Any
"""A ``dask.dataframe.DataFrame``."""

__all__ = ["KERNEL_COLUMNS", "compare_dask", "pairs_dask"]

KERNEL_COLUMNS = (
    "claim",
    "subject",
    "kind",
    "source",
    "publisher",
    "claimant",
    "section",
    "quote",
    "low",
    "high",
    "hedge",
    "text",
    "additional",
    "ordinal",
    "speaker",
    "stance",
    *(
        f"{name}_{part}"
        for name in ("as_of", "stated", "published")
        for part in ("start", "end", "precision", "written")
    ),
    "date_start",
    "date_end",
)
"""The columns of a claims frame the comparison reads; only these travel through the shuffle."""


# -- the work of one task -----------------------------------------------------------------------


def _prepare(frame: pd.DataFrame, subjects: pd.DataFrame, policy: ComparePolicy) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    if policy.hedges is not None:
        frame = _rehedge(frame, policy.hedges)
    return _kernel.prepare(frame, subjects, policy.summary_sections)


def _links(pairs: pd.DataFrame) -> pd.DataFrame:
    """The repeat and update pairs: what the summary needs of the pairs."""
    return pairs.loc[pairs["verdict"].isin(["repeat", "update"]), ["claim_a", "claim_b", "verdict"]]


def _tally(pairs: pd.DataFrame) -> pd.Series[int]:
    return pairs.groupby(["subject", "verdict"]).size()


def _summary(
    prepared: pd.DataFrame, links: list[pd.DataFrame], tallies: list[pd.Series[int]]
) -> pd.DataFrame:
    kept = [t for t in tallies if len(t)]
    counts: pd.Series[int] = (
        pd.concat(kept).groupby(level=[0, 1]).sum() if kept else pd.Series(dtype="int64")
    )
    linked = pd.concat(links, ignore_index=True) if links else _links(empty_pairs())
    labels = origins(prepared, linked[linked["verdict"] == "repeat"])
    superseded = set(linked.loc[linked["verdict"] == "update", "claim_a"])
    return summarise(prepared, labels, counts, superseded)


def _compare_block(
    frame: pd.DataFrame, subjects: pd.DataFrame, policy: ComparePolicy, part: Path | None
) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """One partition of whole subjects: its pairs (or ``None`` when written to ``part``) and its
    summary rows."""
    if not len(frame):
        return (None if part else empty_pairs()), _summary(
            _prepare(frame, subjects, policy), [], []
        )
    prepared = _prepare(frame, subjects, policy)
    counts = _kernel.pair_counts(prepared["subject"].to_numpy())
    chunks = (
        _kernel.compare_range(prepared, counts, k0, k1, policy)
        for k0, k1 in _kernel.pair_ranges(counts, policy.max_pairs_per_chunk)
    )
    if part is None:
        pairs = _concat(list(chunks))
        return pairs, _summary(prepared, [_links(pairs)], [_tally(pairs)])
    links, tally = _write_parquet(chunks, part)
    return None, _summary(prepared, [links], [tally])


def _compare_range(
    prepared: pd.DataFrame,
    counts: _kernel.Ints,
    k0: int,
    k1: int,
    policy: ComparePolicy,
    part: Path | None,
) -> tuple[pd.DataFrame | None, pd.DataFrame, pd.Series[int]]:
    """One range of a hot subject's pairs: the pairs (or ``None`` when written to ``part``), the
    repeat and update links, and the verdict counts."""
    if part is None:
        pairs = _kernel.compare_range(prepared, counts, k0, k1, policy)
        return pairs, _links(pairs), _tally(pairs)
    links, tally = _write_parquet(
        iter([_kernel.compare_range(prepared, counts, k0, k1, policy)]), part
    )
    return None, links, tally


def _summarise_hot(
    prepared: pd.DataFrame, results: list[tuple[Any, pd.DataFrame, pd.Series[int]]]
) -> pd.DataFrame:
    return _summary(prepared, [r[1] for r in results], [r[2] for r in results])


def _block_pairs(
    frame: pd.DataFrame, subjects: pd.DataFrame, policy: ComparePolicy
) -> pd.DataFrame:
    pairs, _summary_rows = _compare_block(frame, subjects, policy, None)
    assert pairs is not None
    return pairs


def _range_pairs(
    prepared: pd.DataFrame, counts: _kernel.Ints, k0: int, k1: int, policy: ComparePolicy
) -> pd.DataFrame:
    return _kernel.compare_range(prepared, counts, k0, k1, policy)


# -- planning on the client ---------------------------------------------------------------------


@contextlib.contextmanager
def _connect(client: Any) -> Iterator[Any]:
    """The client to use: the one given, one connected to an address, the current default one, or
    a new local cluster (closed again afterwards)."""
    if isinstance(client, Client):
        yield client
        return
    if isinstance(client, str):
        with Client(client) as connected:
            yield connected
        return
    if client is not None:
        raise TypeError(
            f"client must be a dask.distributed.Client, an address or None, not {client!r}"
        )
    try:
        yield get_client()
        return
    except ValueError:
        pass
    # a cluster of our own: its scheduler's notes on every shuffle are not the user's business
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)
    workers = max(1, min(os.cpu_count() or 1, 4))
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as started,
    ):
        yield started


def _frames(
    claims: ClaimSet | pd.DataFrame | DaskFrame, partitions: int, client: Any = None
) -> tuple[DaskFrame, pd.DataFrame, ClaimSet | None]:
    """The claims as a Dask frame of the kernel's columns, the subjects table, and the claim set.

    A pandas frame is cut into ``partitions`` pieces; with a client they are scattered to the
    workers rather than embedded in the task graph.
    """
    claim_set = claims if isinstance(claims, ClaimSet) else None
    table: Any = claims_to_frame(claim_set) if claim_set is not None else claims
    if not isinstance(table, pd.DataFrame):
        source = table[list(KERNEL_COLUMNS)]
        kinds = source[["subject", "kind"]].drop_duplicates().compute()
        return source, _subject_table(None, kinds), None
    subjects = _subject_table(claim_set, table)
    frame = table[list(KERNEL_COLUMNS)]
    if client is None:
        return dd.from_pandas(frame, npartitions=partitions), subjects, claim_set
    bounds = np.linspace(0, len(frame), num=max(1, partitions) + 1).astype(int)
    pieces = [frame.iloc[a:b] for a, b in itertools.pairwise(bounds.tolist())]
    scattered = client.scatter(pieces)
    return dd.from_delayed(scattered, meta=frame.iloc[:0]), subjects, claim_set


def _plan(source: DaskFrame, policy: ComparePolicy) -> tuple[list[str], DaskFrame]:
    """The hot subjects (more pairs than one chunk) and the rest of the claims, shuffled by subject."""
    source = source.assign(subject=source["subject"].astype(str))
    sizes = source["subject"].value_counts().compute()
    pairs = sizes * (sizes - 1) // 2
    hot = sorted(str(s) for s in pairs.index[pairs > policy.max_pairs_per_chunk])
    rest = source[~source["subject"].isin(hot)] if hot else source
    return hot, rest.shuffle("subject")


def _series(
    source: DaskFrame, subjects: pd.DataFrame, claims: ClaimSet | None, policy: ComparePolicy
) -> pd.DataFrame:
    """Series checks on the client, over the day-count and event-date claims only."""
    few = source[source["kind"].astype(str).isin(["day_count", "event_date"])].compute()
    prepared = _prepare(few, subjects, policy)
    return check_series(prepared, claims if claims is not None else few, policy)


def compare_dask(
    claims: ClaimSet | pd.DataFrame | DaskFrame,
    policy: ComparePolicy,
    *,
    out: str | os.PathLike[str] | None = None,
    client: Any = None,
) -> Comparison:
    """Compare on a Dask cluster; the result equals :func:`claimtrack.compare` with the local engine.

    ``claims`` is a :class:`ClaimSet`, a claims frame, or a Dask DataFrame of the same columns (for
    inputs bigger than memory: ``dd.read_parquet(...)``). ``client`` is a
    ``dask.distributed.Client``, a scheduler address (``"tcp://10.0.0.5:8786"``), or ``None`` for
    the current default client or else a new local cluster. With ``out``, the pairs are written by
    the workers as a Parquet dataset (a folder of part files) and never pass through the client;
    without it they are gathered in the local engine's order.
    """
    folder = Path(out) if out is not None else None
    if folder is not None:
        if folder.exists() and not folder.is_dir():
            raise ValueError(
                f"{folder}: the dask engine writes a folder of Parquet files; remove the file first"
            )
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*.parquet"):
            old.unlink()
    with _connect(client) as connected:
        workers = max(1, len(connected.scheduler_info().get("workers", {})))
        source, subjects, claim_set = _frames(claims, max(2, 2 * workers), connected)
        hot, rest = _plan(source, policy)
        blocks = rest.to_delayed()
        block_tasks = [
            dask.delayed(_compare_block, pure=False)(
                block,
                subjects,
                policy,
                None if folder is None else folder / f"part-b{n:05d}.parquet",
            )
            for n, block in enumerate(blocks)
        ]
        futures = connected.compute(block_tasks)
        hot_futures: list[Any] = []
        hot_summary = None
        if hot:
            frame = source[source["subject"].astype(str).isin(hot)].compute()
            prepared = _prepare(frame, subjects, policy)
            counts = _kernel.pair_counts(prepared["subject"].to_numpy())
            [shared] = connected.scatter([prepared], broadcast=True)
            hot_futures = [
                connected.submit(
                    _compare_range,
                    shared,
                    counts,
                    k0,
                    k1,
                    policy,
                    None if folder is None else folder / f"part-h{n:05d}.parquet",
                    pure=False,
                )
                for n, (k0, k1) in enumerate(
                    _kernel.pair_ranges(counts, policy.max_pairs_per_chunk)
                )
            ]
            hot_summary = connected.submit(_summarise_hot, shared, hot_futures, pure=False)
        series = _series(source, subjects, claim_set, policy)
        results = connected.gather(futures)
        summaries = [r[1] for r in results]
        if hot_summary is not None:
            summaries.append(hot_summary.result())
        pairs = None
        if folder is None:
            found = [r[0] for r in results] + [r[0] for r in connected.gather(hot_futures)]
            pairs = _in_local_order(_concat([p for p in found if p is not None]))
    table = pd.concat(summaries, ignore_index=True).sort_values("subject", ignore_index=True)
    return Comparison(pairs, table, series, policy, folder, claim_set)


def _in_local_order(pairs: pd.DataFrame) -> pd.DataFrame:
    """Blocks hold whole subjects in the local engine's order; a stable sort by subject restores
    the local order across blocks."""
    order = np.argsort(pairs["subject"].to_numpy().astype(str), kind="stable")
    return pairs.iloc[order].reset_index(drop=True)


def pairs_dask(
    claims: ClaimSet | pd.DataFrame | DaskFrame,
    policy: ComparePolicy,
    *,
    partitions: int = 8,
) -> DaskFrame:
    """The pairs as a lazy Dask DataFrame (no summary): ``map_partitions`` of the local kernel over
    the claims shuffled by subject, and the ranges of hot subjects as further partitions.

    Planning (the subject sizes, the claims of hot subjects) is computed on the current scheduler;
    the pairs are computed when you compute the result, e.g.
    ``pairs_dask(claims, policy)[lambda p: p.verdict == "differ"].to_parquet("differ/")``.
    ``partitions`` is how many partitions a ClaimSet or pandas frame is split into.
    """
    try:
        current = get_client()
    except ValueError:  # no cluster: the frame goes into the graph
        current = None
    source, subjects, _claims = _frames(claims, partitions, current)
    hot, rest = _plan(source, policy)
    meta = empty_pairs()
    blocks = rest.map_partitions(_block_pairs, subjects, policy, meta=meta)
    if not hot:
        return blocks
    frame = source[source["subject"].astype(str).isin(hot)].compute()
    prepared = _prepare(frame, subjects, policy)
    counts = _kernel.pair_counts(prepared["subject"].to_numpy())
    shared = current.scatter(prepared, broadcast=True) if current else dask.delayed(prepared)
    ranges = [
        dask.delayed(_range_pairs)(shared, counts, k0, k1, policy)
        for k0, k1 in _kernel.pair_ranges(counts, policy.max_pairs_per_chunk)
    ]
    return dd.concat([blocks, dd.from_delayed(ranges, meta=meta)])

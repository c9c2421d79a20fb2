"""The Dask engine: the local engine's comparison, spread over a dask.distributed cluster.

``compare(claims, engine="dask", client=...)`` lands in :func:`compare_dask`; :func:`pairs_dask`
gives the pairs alone as a lazy Dask DataFrame. Both give exactly what the local engine gives, in
the same order. How it works:

1. **Plan** (on the client, from the subject column only): claims per subject, so pairs per
   subject. Subjects, in the local engine's order, are cut into runs of about ``pairs_per_task``
   pairs; a *hot* subject (more pairs than that on its own) gets a partition to itself.
2. **Shuffle**: each claim is sent to the partition of its subject (``set_index`` on the planned
   partition number with known divisions), so every subject's claims meet in one partition and
   partitions hold consecutive subjects. The original row order is restored inside each partition
   (the kernel takes "the first base figure in file order" for additional amounts).
3. **Prepare** each partition with the local kernel on a worker. Codes in a prepared frame are
   per frame, which is enough: pairs never leave a subject and a subject never leaves its partition.
4. **Compare**: the global pair sequence of a prepared partition is cut into ranges of at most
   ``pairs_per_task`` pairs, each compared by its own task (:func:`claimtrack.compare._decide.compare_range`).
   A hot subject's prepared block is therefore shipped to several workers, each comparing one range:
   every pair is compared exactly once, and no worker compares all of a hot subject's pairs.
5. **Summarise** per partition on the cluster: origins over the repeat links, consensus, latest
   figures and verdict counts need only the partition's own claims and the small links and tallies
   of its ranges. Series checks (day counts against their series start) run per partition for claim
   frames; for a :class:`ClaimSet` they cross subjects (``start_of``), so the day-count and start
   claims of every partition come back to the client and are checked there.

Pairs come back to the client in partition order, which is the local engine's order; with ``out``
each range task writes its own part file of a Parquet dataset instead, named in the same order, and
no pair passes through the client.

Needs ``claimtrack[dask]``; importing this module without it raises :class:`MissingExtraError`.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import logging
import math
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.compare._decide import Links, Tally, compare_range, decide_for_parquet, decide_range
from claimtrack.compare._derived import derived_ids, without_derived_origins
from claimtrack.compare._folder import CLAIMS, part_name, write_claims, write_parquet
from claimtrack.compare._groups import group_labels
from claimtrack.compare._guard import check_comparing
from claimtrack.compare._hedges import rehedged_frame
from claimtrack.compare._links import LinkOutcome, compare_links, derivations, no_links, write_links
from claimtrack.compare._output import pairs_output
from claimtrack.compare._pairs import PairSequence
from claimtrack.compare._policy import DEFAULT_COMPARE_POLICY, ComparePolicy
from claimtrack.compare._prepare import Claims, prepare, subject_table
from claimtrack.compare._result import Comparison
from claimtrack.compare._schema import (
    KERNEL_COLUMNS,
    as_pairs_frame,
    concat_pairs,
    empty_pairs,
    kernel_columns,
)
from claimtrack.compare._summary import check_series, summarise
from claimtrack.compare._vocabulary import DAY_COUNT, VERDICTS
from claimtrack.errors import MissingExtraError
from claimtrack.frame import check_claims_frame, check_claims_schema

try:  # dask has no type information: use it as Any
    dask: Any = importlib.import_module("dask")
    dd: Any = importlib.import_module("dask.dataframe")
    _distributed: Any = importlib.import_module("dask.distributed")
except ImportError:
    raise MissingExtraError("the dask engine", "dask") from None

DaskFrame = Any
"""A ``dask.dataframe.DataFrame``."""
Delayed = Any
"""A ``dask.delayed`` object (of a policy, a prepared frame ...)."""

__all__ = ["KERNEL_COLUMNS", "compare_dask", "pairs_dask"]

_ROW = "_row"
_GROUP = "_group"
_PART = "_part"
_ROWS_PER_INPUT_PARTITION = 100_000
_MIN_CLAIMS_PER_PARTITION = 20_000
_MAX_CLAIMS_PER_PARTITION = 200_000
_MIN_PAIRS_PER_TASK = 20_000
_TASKS_PER_WORKER = 4


# -- the plan -----------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Plan:
    """Partitions of consecutive subjects (in the local engine's order) and their pair ranges.

    ``bounds[k]`` is the first subject of partition ``k``; ``pairs[k]`` how many pairs its subjects
    make; ``pairs_per_task`` the most pairs one task compares.
    """

    bounds: npt.NDArray[np.str_]
    pairs: npt.NDArray[np.int64]
    pairs_per_task: int

    def ranges(self, k: int) -> list[tuple[int, int]]:
        """The ``[k0, k1)`` pair ranges of partition ``k`` (one, maybe empty, at least)."""
        total = int(self.pairs[k])
        step = self.pairs_per_task
        return [(k0, min(total, k0 + step)) for k0 in range(0, total, step)] or [(0, 0)]


def _plan(
    sizes: pd.Series[int],
    workers: int,
    policy: ComparePolicy,
    pairs_per_task: int | None = None,
) -> _Plan:
    """Cut the subjects (claims per subject in ``sizes``) into partitions.

    Without ``pairs_per_task``, tasks get about a quarter of a worker's share of all pairs, at
    least 20,000 and at most ``policy.max_pairs_per_chunk``. A partition holds consecutive subjects
    worth at most about two tasks of pairs, or of claims (a quarter of a worker's share, at least
    20,000 and at most 200,000); a subject with more pairs than one task is alone in its partition.
    """
    names = np.asarray(sizes.index.to_numpy(), dtype=object).astype(str)
    counts = sizes.to_numpy(dtype=np.int64)
    names, inverse = np.unique(names, return_inverse=True)  # sorted as the kernel sorts subjects
    n = np.bincount(inverse, weights=counts, minlength=len(names)).astype(np.int64)
    names, n = names[n > 0], n[n > 0]
    pairs = n * (n - 1) // 2
    if pairs_per_task is None:
        share = math.ceil(int(pairs.sum()) / (_TASKS_PER_WORKER * max(1, workers)))
        pairs_per_task = min(policy.max_pairs_per_chunk, max(_MIN_PAIRS_PER_TASK, share))
    budget = max(1, int(pairs_per_task))
    share = math.ceil(int(n.sum()) / (_TASKS_PER_WORKER * max(1, workers)))
    claims_per_partition = min(_MAX_CLAIMS_PER_PARTITION, max(_MIN_CLAIMS_PER_PARTITION, share))
    if not len(names):
        return _Plan(np.array([""]), np.zeros(1, dtype=np.int64), budget)
    hot = pairs > budget
    cost = np.maximum(pairs / budget, n / claims_per_partition)
    starts_at = np.floor(np.cumsum(cost) - cost)  # where each subject begins, in tasks of work
    new = np.r_[True, (starts_at[1:] != starts_at[:-1]) | hot[1:] | hot[:-1]]
    first = np.flatnonzero(new)
    return _Plan(names[first], np.add.reduceat(pairs, first).astype(np.int64), budget)


# -- the work of one task -----------------------------------------------------------------------


def _without_units(part: pd.DataFrame) -> pd.DataFrame:
    """A partition of a frame made before units were read, with a ``unit`` column of none."""
    return part.assign(unit=pd.Series(pd.NA, index=part.index, dtype="string"))


def _number_rows(part: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """The row's place in the input: partition number and row number within it."""
    number = int(partition_info["number"]) if partition_info else 0
    rows = (np.int64(number) << np.int64(40)) + np.arange(len(part), dtype=np.int64)
    return part.assign(**{_ROW: rows})


def _assign(part: pd.DataFrame, bounds: npt.NDArray[np.str_]) -> pd.DataFrame:
    """The partition of each claim: the last partition whose first subject is not after it."""
    subject = np.asarray(part["subject"].to_numpy(), dtype=object).astype(str)
    target = np.searchsorted(bounds, subject, side="right") - 1
    return part.assign(**{_PART: np.maximum(target, 0).astype(np.int64)})


def _prepare(
    part: pd.DataFrame, subjects: pd.DataFrame | None, policy: ComparePolicy
) -> pd.DataFrame:
    """A partition of whole subjects as the kernel's prepared frame, rows in input order first."""
    frame = part.sort_values(_ROW, kind="stable").reset_index(drop=True).drop(columns=_ROW)
    table = subject_table(None, frame) if subjects is None else subjects
    rows = prepare(Claims(frame, frame, table, None), policy).rows  # intervals already re-read
    return rows.assign(**{_GROUP: group_labels(rows, frame)})


def _groups(prepared: pd.DataFrame) -> pd.Series[Any]:
    """Per claim id of a partition, its group of interchangeable claims (numbered within it)."""
    ids = pd.Index(prepared["claim"].to_numpy(dtype=object))
    return pd.Series(prepared[_GROUP].to_numpy(dtype=np.int64), index=ids)


def _all_groups(parts: Sequence[pd.Series[Any]]) -> pd.Series[Any]:
    """The groups of every partition, numbered apart (a subject, so a group, is in one)."""
    offsets = np.cumsum([0, *(int(p.to_numpy().max(initial=-1)) + 1 for p in parts)])
    kept = [p + int(offsets[k]) for k, p in enumerate(parts) if len(p)]
    return pd.concat(kept) if kept else pd.Series(dtype=np.int64)


def _compare_range(prepared: pd.DataFrame, k0: int, k1: int, policy: ComparePolicy) -> pd.DataFrame:
    sequence = PairSequence.of(prepared["subject_index"].to_numpy())
    return compare_range(prepared, sequence, k0, k1, policy)


_Side = tuple[Links, Tally]
"""What the summary needs of a range's pairs: repeat and update links, verdicts per subject."""


def _decide_range(
    prepared: pd.DataFrame, k0: int, k1: int, policy: ComparePolicy, reasons: str | None
) -> Any:
    """The kept pairs of a range, reasons built as Arrow text (never as Python strings) or not
    at all."""
    sequence = PairSequence.of(prepared["subject_index"].to_numpy())
    return decide_range(prepared, sequence, k0, k1, policy, reasons=reasons)


def _compare_range_to_arrow(
    prepared: pd.DataFrame, k0: int, k1: int, policy: ComparePolicy
) -> tuple[Any, _Side]:
    """A range's pairs as an Arrow table (cheap to send to the client), and its side."""
    kept = _decide_range(prepared, k0, k1, policy, "arrow")
    return kept.table(), (kept.links(), kept.tally())


def _compare_range_to_parquet(
    prepared: pd.DataFrame, k0: int, k1: int, policy: ComparePolicy, path: str
) -> _Side:
    """Compare a range and write its pairs to one part file, as the local engine writes (without
    reasons: they are written when read)."""
    sequence = PairSequence.of(prepared["subject_index"].to_numpy())
    decided = decide_for_parquet(prepared, sequence, k0, k1, policy)
    links, tallies = write_parquet([decided], Path(path))
    return links, tallies[0] if tallies else Tally(0, np.zeros((0, len(VERDICTS)), np.int64))


def _pairs_frame(table: Any) -> pd.DataFrame:
    """An Arrow table of pairs as the local engine's pairs frame (as ``Comparison.pairs`` reads
    a Parquet file back)."""
    return as_pairs_frame(table.to_pandas())


def _summary(prepared: pd.DataFrame, sides: Sequence[_Side]) -> pd.DataFrame:
    """The subjects table of one partition, from its prepared claims and its ranges' sides."""
    links = Links.join(side[0] for side in sides)
    blocks = prepared["subject_index"].to_numpy()
    tally = Tally.total((side[1] for side in sides), int(blocks.max(initial=-1)) + 1)
    return summarise(prepared, links, tally)


def _series(prepared: pd.DataFrame, policy: ComparePolicy) -> pd.DataFrame:
    """Series checks of a partition of a claims frame (no series starts: each count on its own)."""
    return check_series(prepared, prepared, policy)


def _series_rows(prepared: pd.DataFrame, start_subjects: frozenset[str]) -> pd.DataFrame:
    """The prepared claims a series check reads: day counts, and claims on a series' start."""
    keep = (prepared["kind"] == DAY_COUNT) | prepared["subject"].isin(list(start_subjects))
    return prepared[keep.to_numpy()]


# -- running it ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _connect(client: Any) -> Iterator[Any]:
    """The client to use: the one given, one connected to an address, the current default one, or
    a new local cluster (closed again afterwards)."""
    if isinstance(client, _distributed.Client):
        yield client
        return
    if isinstance(client, str):
        with _distributed.Client(client) as connected:
            yield connected
        return
    if client is not None:
        raise TypeError(
            f"client must be a dask.distributed.Client, an address or None, not {client!r}"
        )
    current = _current_client()
    if current is not None:
        yield current
        return
    workers = max(1, min(os.cpu_count() or 1, 4))
    with (
        _distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        _distributed.Client(cluster) as started,
    ):
        yield started


def _current_client() -> Any:
    try:
        return _distributed.get_client()
    except ValueError:
        return None


@contextlib.contextmanager
def _quiet_shuffles() -> Iterator[None]:
    """Silence the scheduler's warning at the start and end of every shuffle (an in-process
    scheduler, such as a LocalCluster's, logs one per shuffle)."""
    logger = logging.getLogger("distributed.shuffle._scheduler_plugin")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _workers(client: Any) -> int:
    if client is None:
        return os.cpu_count() or 1
    return max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))


@attrs.frozen(eq=False)
class _Graph:
    """The tasks of one comparison, built lazily (nothing runs until computed)."""

    prepared: list[Any]
    plan: _Plan
    policy: Delayed
    """The policy, shared by the tasks."""
    claims: ClaimSet | None
    scattered: list[Any]
    """Futures of the scattered input, held until the graph has run."""
    frame: Any
    """The claims as a pandas or Dask frame."""
    subjects: pd.DataFrame | None
    """The subjects' kinds and labels of a claim set."""


def _graph(
    claims: ClaimSet | pd.DataFrame | DaskFrame,
    policy: ComparePolicy,
    client: Any,
    pairs_per_task: int | None,
    *,
    scatter: bool,
    in_memory: bool = False,
) -> _Graph:
    """Plan the partitions (this computes the claims per subject) and build the prepare tasks.

    With ``scatter``, a pandas frame is scattered to the workers (the futures are held by the
    graph) rather than embedded in the task graph. ``in_memory``: the pairs will be gathered by
    the client, so more than ``policy.max_pairs_in_memory`` are refused once the claims per subject
    are known (before anything else runs).
    """
    claim_set: ClaimSet | None = None
    subjects: pd.DataFrame | None = None
    frame: Any = claims
    compared: Any = claims
    if isinstance(
        claims, pd.DataFrame
    ):  # checked at the edge (compare_dask may be called directly)
        claims = check_claims_frame(claims)
    if isinstance(claims, ClaimSet | pd.DataFrame):  # re-hedged here, once
        given = Claims.of(claims, policy.hedges)
        frame, compared, claim_set = given.frame, given.compared, given.claim_set
        subjects = given.subjects if claim_set is not None else None
    scattered: list[Any] = []
    if isinstance(compared, pd.DataFrame):
        table = compared[kernel_columns(compared.columns)].assign(
            **{_ROW: np.arange(len(frame), dtype=np.int64)}
        )
        pieces = max(1, math.ceil(len(table) / _ROWS_PER_INPUT_PARTITION))
        if not scatter:
            source = dd.from_pandas(table, npartitions=pieces, sort=False)
        else:  # scattered to the workers, not sent through the scheduler inside the graph
            bounds = np.linspace(0, len(table), num=pieces + 1).astype(int).tolist()
            scattered = client.scatter([table.iloc[a:b] for a, b in itertools.pairwise(bounds)])
            source = dd.from_delayed(scattered, meta=table.iloc[:0], verify_meta=False)
    else:  # a Dask frame: re-hedged partition by partition
        if "unit" not in frame.columns:  # a frame made before units were read
            frame = frame.map_partitions(_without_units, meta=_without_units(frame._meta))
        source = frame[kernel_columns(frame.columns)]
        if policy.hedges is not None:
            source = source.map_partitions(rehedged_frame, policy.hedges, meta=source._meta)
        source = source.map_partitions(_number_rows, meta=source._meta.assign(**{_ROW: 0}))
    compute = client.compute if client is not None else dask.compute
    sizes = source["subject"].astype(str).value_counts()
    [sizes] = compute([sizes], sync=True) if client is not None else compute(sizes)
    if in_memory:
        check_comparing(sizes, policy.max_pairs_in_memory)
    plan = _plan(sizes, _workers(client), policy, pairs_per_task)
    last = len(plan.bounds) - 1
    meta = source._meta.assign(**{_PART: np.int64(0)})
    shuffled = source.map_partitions(_assign, plan.bounds, meta=meta).set_index(
        _PART, divisions=[*range(last + 1), last]
    )
    shared_subjects = dask.delayed(subjects, traverse=False)
    shared_policy = dask.delayed(policy, traverse=False)
    prepared = [
        dask.delayed(_prepare, pure=True)(part, shared_subjects, shared_policy)
        for part in shuffled.to_delayed()
    ]
    return _Graph(prepared, plan, shared_policy, claim_set, scattered, frame, subjects)


def _checked(claims: ClaimSet | pd.DataFrame | DaskFrame) -> ClaimSet | pd.DataFrame | DaskFrame:
    """Claims checked at the edge, before a cluster is started: a pandas frame meets a claim
    file's invariants; a Dask frame's columns and types are checked from its metadata (nothing is
    computed)."""
    if isinstance(claims, pd.DataFrame):
        return check_claims_frame(claims)
    if not isinstance(claims, ClaimSet):
        check_claims_schema(claims._meta, where="Dask claims frame")
    return claims


def compare_dask(
    claims: ClaimSet | pd.DataFrame | DaskFrame,
    policy: ComparePolicy = DEFAULT_COMPARE_POLICY,
    *,
    out: str | os.PathLike[str] | None = None,
    client: Any = None,
    pairs_per_task: int | None = None,
) -> Comparison:
    """Compare on a Dask cluster: the same :class:`Comparison` as the local engine, pairs in the
    same order (see the module docstring for how).

    ``claims`` is a :class:`ClaimSet`, a claims frame, or a Dask DataFrame with the same columns
    (for claims bigger than memory: ``dd.read_parquet(...)``; only :data:`KERNEL_COLUMNS` are read).
    ``client`` is a ``dask.distributed.Client``, a scheduler address (``"tcp://10.0.0.5:8786"``),
    or ``None`` for the current default client or else a new local cluster, closed afterwards.

    With ``out``, the workers write the pairs to a folder as the local engine does (see
    :func:`claimtrack.read_pairs`): part files (``part-000000.parquet`` ...) in the local engine's
    order, one per task, with the claims beside them; ``Comparison.pairs`` and
    :func:`claimtrack.read_pairs` read them back with reasons, ``pd.read_parquet`` without. As
    with the local engine, ``out`` is written beside the folder and swapped in whole, and only a
    folder compare wrote is replaced (see ``docs/reliability.md``). On a cluster of several
    machines, ``out`` must be a path every worker can write to (shared storage). ``pairs_per_task`` bounds the pairs one task compares (default:
    chosen from the number of pairs and workers, at most ``policy.max_pairs_per_chunk``).
    """
    claims = _checked(claims)
    if out is None:
        return _compare_dask(claims, policy, None, client, pairs_per_task)
    with pairs_output(out, policy.rules) as folder:
        compared = _compare_dask(claims, policy, folder, client, pairs_per_task)
    return attrs.evolve(compared, pairs_path=Path(out))


def _compare_dask(
    claims: ClaimSet | pd.DataFrame | DaskFrame,
    policy: ComparePolicy,
    folder: Path | None,
    client: Any,
    pairs_per_task: int | None,
) -> Comparison:
    """:func:`compare_dask`, the pairs written to ``folder`` (a temporary folder the caller puts
    in place) or gathered."""
    with _connect(client) as connected, _quiet_shuffles():
        graph = _graph(
            claims, policy, connected, pairs_per_task, scatter=True, in_memory=folder is None
        )
        pairs: list[Any] = []
        sides: list[list[Any]] = []
        written = 0
        for k, prepared in enumerate(graph.prepared):
            sides.append([])
            for k0, k1 in graph.plan.ranges(k):
                if folder is None:
                    found = dask.delayed(_compare_range_to_arrow, pure=True, nout=2)(
                        prepared, k0, k1, graph.policy
                    )
                    pairs.append(found[0])
                    sides[k].append(found[1])
                else:
                    part = str(folder.resolve() / part_name(written))
                    sides[k].append(
                        dask.delayed(_compare_range_to_parquet, pure=False)(
                            prepared, k0, k1, graph.policy, part
                        )
                    )
                    written += 1
        summaries = [
            dask.delayed(_summary, pure=True)(prepared, parts)
            for prepared, parts in zip(graph.prepared, sides, strict=True)
        ]
        if graph.claims is None:
            checks = [dask.delayed(_series, pure=True)(p, graph.policy) for p in graph.prepared]
        else:
            starts = frozenset(s.id for s in graph.claims.subjects.values() if s.start_of)
            checks = [dask.delayed(_series_rows, pure=True)(p, starts) for p in graph.prepared]
        groups = [dask.delayed(_groups, pure=True)(p) for p in graph.prepared]
        futures = connected.compute([pairs, summaries, checks, groups])
        if folder is not None:
            _write_claims(folder, graph)
        found_pairs, found_summaries, found_checks, found_groups = connected.gather(futures)
    linked = _links(graph, policy)
    subjects = linked.apply(pd.concat(found_summaries, ignore_index=True))
    if graph.claims is not None and graph.subjects is not None:
        compared = Claims.of(graph.claims, None).compared  # re-hedged already
        derived = derived_ids(graph.claims)
        subjects = without_derived_origins(subjects, compared, graph.subjects, derived, policy)
    if graph.claims is None:
        series = _concat_series(found_checks)
    else:
        series = check_series(_nonempty_concat(found_checks), graph.claims, policy)
    if folder is not None:
        write_links(folder, linked.pairs)
    return Comparison(
        concat_pairs([*(_pairs_frame(t) for t in found_pairs), linked.pairs])
        if folder is None
        else None,
        subjects,
        series,
        policy,
        folder,
        graph.claims,
        groups=_all_groups(found_groups),
    )


def _links(graph: _Graph, policy: ComparePolicy) -> LinkOutcome:
    """The pairs across the links the claim set's subjects declare, compared here as the local
    engine compares them (a frame declares none)."""
    if graph.claims is None or graph.subjects is None:
        return no_links()
    compared = Claims.of(graph.claims, None).compared  # the claim set is re-hedged already
    return compare_links(
        compared, graph.claims.subjects, graph.subjects, policy, derivations(graph.claims)
    )


def _write_claims(folder: Path, graph: _Graph) -> None:
    """The claims compared, for the reasons written when the pairs are read (a Dask frame is
    written by the workers, one part per partition, in order)."""
    if isinstance(graph.frame, pd.DataFrame):
        write_claims(folder, graph.frame, graph.subjects)
        return
    graph.frame[kernel_columns(graph.frame.columns)].to_parquet(
        str(folder / CLAIMS), write_index=False, name_function=part_name
    )


def _nonempty_concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [f for f in frames if len(f)]
    if not kept:
        return frames[0]
    return pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]


def _concat_series(checks: list[pd.DataFrame]) -> pd.DataFrame:
    series = _nonempty_concat(checks)
    keys = ["series", "claim", "start_claim"]
    return series.sort_values(keys, kind="stable", ignore_index=True)


def pairs_dask(
    claims: ClaimSet | pd.DataFrame | DaskFrame,
    policy: ComparePolicy = DEFAULT_COMPARE_POLICY,
    *,
    pairs_per_task: int | None = None,
) -> DaskFrame:
    """The pairs as a lazy Dask DataFrame, one partition per pair range, in the local engine's
    order; for further work on the cluster, e.g.
    ``pairs_dask(claims)[lambda p: p.verdict == "differ"].to_parquet("differ/")``.

    No subjects table or series checks (use :func:`compare_dask` for those); the pairs across
    declared links between subjects are the last partition. Planning (claims per
    subject) is computed when this is called, on the current scheduler (the default
    ``dask.distributed`` client when there is one); the pairs are computed when the result is. No
    cluster is started: without a client, dask's local scheduler runs it.
    """
    claims = _checked(claims)
    client = _current_client()
    with _quiet_shuffles():
        graph = _graph(claims, policy, client, pairs_per_task, scatter=False)
    ranges = [
        dask.delayed(_compare_range, pure=True)(prepared, k0, k1, graph.policy)
        for k, prepared in enumerate(graph.prepared)
        for k0, k1 in graph.plan.ranges(k)
    ]
    linked = _links(graph, policy).pairs  # the pairs across declared links, last
    if len(linked):
        ranges.append(dask.delayed(linked, traverse=False))
    return dd.from_delayed(ranges, meta=empty_pairs(), verify_meta=False)

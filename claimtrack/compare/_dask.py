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
4. **Decide**, without ``out`` and where the policy allows (``decided_by_groups``): **by
   groups**, as the local engine does. The prepared partitions stay on the workers; the client
   gathers a few columns per claim (:func:`group_rows`), puts the partitions' groups together in
   the local engine's numbering (:class:`Layout`) and cuts each partition's oriented pairs of
   groups into tasks of at most ``pairs_per_task`` pairs of groups (a hot subject's over many
   tasks, on every worker). A task sends back only counts per subject and verdict, the small
   link arrays and its notable decisions (:mod:`claimtrack.compare._grouped_tasks`), never member
   pairs; ``Comparison.pairs`` decides every pair when read, in the client's process (the local
   engine's preparation, under the same memory guard). When a finding across a link between
   subjects would hold several pairs, every pair is decided, as locally.
   **Pair by pair** otherwise (``out``, ``decide_by="pairs"``): the global pair sequence of a
   prepared partition is cut into ranges of at most ``pairs_per_task`` pairs, each compared by
   its own task (:func:`claimtrack.compare._decide.compare_range`). A hot subject's prepared
   block is therefore shipped to several workers, each comparing one range: every pair is
   compared exactly once, and no worker compares all of a hot subject's pairs.
5. **Summarise** per partition on the cluster: origins over the repeat links, consensus, latest
   figures and verdict counts need only the partition's own claims and the small links and tallies
   of its tasks. Series checks (day counts against their series start) run per partition for claim
   frames; for a :class:`ClaimSet` they cross subjects (``start_of``), so the day-count and start
   claims of every partition come back to the client and are checked there.

Decided pair by pair, pairs come back to the client in partition order, which is the local
engine's order; with ``out`` each range task writes its own part file of a Parquet dataset
instead, named in the same order, and no pair passes through the client.

Needs ``claimtrack[dask]``; importing this module without it raises :class:`MissingExtraError`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import itertools
import logging
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.compare._dask_plan import Plan, per_task, plan
from claimtrack.compare._dask_tasks import (
    PART,
    ROW,
    all_groups,
    assign_partitions,
    claim_groups,
    compare_pairs,
    compare_range_to_arrow,
    compare_range_to_parquet,
    concat_series,
    nonempty_concat,
    number_rows,
    pairs_frame,
    partition_series,
    prepare_partition,
    series_rows,
    summarise_ranges,
    via_texts,
    without_units,
)
from claimtrack.compare._derived import derived_ids, without_derived_origins
from claimtrack.compare._findings import link_findings
from claimtrack.compare._folder import CLAIMS, part_name, write_claims
from claimtrack.compare._grouped import GroupedPairs, check_grouped, decided_by_groups
from claimtrack.compare._grouped_tasks import (
    Layout,
    decide_pieces,
    group_rows,
    partition_groups,
    summarise_partition,
)
from claimtrack.compare._guard import check_comparing
from claimtrack.compare._hedges import rehedged_frame
from claimtrack.compare._links import LinkOutcome, compare_links, derivations, no_links, write_links
from claimtrack.compare._output import pairs_output
from claimtrack.compare._policy import DEFAULT_COMPARE_POLICY, ComparePolicy
from claimtrack.compare._prepare import Claims, prepare
from claimtrack.compare._result import Comparison
from claimtrack.compare._schema import (
    KERNEL_COLUMNS,
    concat_pairs,
    empty_pairs,
    kernel_columns,
)
from claimtrack.compare._summary import check_series
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

_ROWS_PER_INPUT_PARTITION = 100_000


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
    """Per partition, the task (or future) of its prepared claims."""
    plan: Plan
    policy: Delayed
    """The policy, shared by the tasks."""
    claims: ClaimSet | None
    scattered: list[Any]
    """Futures of the scattered input, held until the graph has run."""
    frame: Any
    """The claims as a pandas or Dask frame."""
    subjects: pd.DataFrame | None
    """The subjects' kinds and labels of a claim set."""
    sizes: pd.Series[int]
    """Claims per subject."""
    given: Claims | None
    """The claims as compared, when a claim set or a pandas frame was given."""


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
    given: Claims | None = None
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
        table = via_texts(compared[kernel_columns(compared.columns)]).assign(
            **{ROW: np.arange(len(frame), dtype=np.int64)}
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
            frame = frame.map_partitions(without_units, meta=without_units(frame._meta))
        source = frame[kernel_columns(frame.columns)]
        if policy.hedges is not None:
            source = source.map_partitions(rehedged_frame, policy.hedges, meta=source._meta)
        source = source.map_partitions(number_rows, meta=source._meta.assign(**{ROW: 0}))
    compute = client.compute if client is not None else dask.compute
    sizes = source["subject"].astype(str).value_counts()
    [sizes] = compute([sizes], sync=True) if client is not None else compute(sizes)
    if in_memory:
        check_comparing(sizes, policy.max_pairs_in_memory)
    planned = plan(sizes, _workers(client), policy, pairs_per_task)
    last = len(planned.bounds) - 1
    meta = source._meta.assign(**{PART: np.int64(0)})
    shuffled = source.map_partitions(assign_partitions, planned.bounds, meta=meta).set_index(
        PART, divisions=[*range(last + 1), last]
    )
    shared_subjects = dask.delayed(subjects, traverse=False)
    shared_policy = dask.delayed(policy, traverse=False)
    prepared = [
        dask.delayed(prepare_partition, pure=True)(part, shared_subjects, shared_policy)
        for part in shuffled.to_delayed()
    ]
    return _Graph(
        prepared, planned, shared_policy, claim_set, scattered, frame, subjects, sizes, given
    )


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
    same order (see the module docstring for how). Without ``out``, decided by groups where the
    local engine is (``Comparison.decided_by``), the pairs decided when first read.

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
    machines, ``out`` must be a path every worker can write to (shared storage).
    ``pairs_per_task`` bounds the pairs (by groups: the pairs of groups) one task decides
    (default: chosen from their number and the workers, at most ``policy.max_pairs_per_chunk``).
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
        by_groups = folder is None and decided_by_groups(policy)
        in_memory = folder is None and not by_groups
        graph = _graph(claims, policy, connected, pairs_per_task, scatter=True, in_memory=in_memory)
        if by_groups:
            graph = attrs.evolve(graph, prepared=connected.compute(graph.prepared))  # kept there
            grouped = _compare_grouped(connected, graph, policy, pairs_per_task)
            if grouped is not None:
                return grouped
            # a finding across a link holds several pairs: every pair is decided, and gathered
            check_comparing(graph.sizes, policy.max_pairs_in_memory)
        pairs: list[Any] = []
        sides: list[list[Any]] = []
        written = 0
        for k, prepared in enumerate(graph.prepared):
            sides.append([])
            for k0, k1 in graph.plan.ranges(k):
                if folder is None:
                    found = dask.delayed(compare_range_to_arrow, pure=True, nout=2)(
                        prepared, k0, k1, graph.policy
                    )
                    pairs.append(found[0])
                    sides[k].append(found[1])
                else:
                    part = str(folder.resolve() / part_name(written))
                    sides[k].append(
                        dask.delayed(compare_range_to_parquet, pure=False)(
                            prepared, k0, k1, graph.policy, part
                        )
                    )
                    written += 1
        summaries = [
            dask.delayed(summarise_ranges, pure=True)(prepared, parts)
            for prepared, parts in zip(graph.prepared, sides, strict=True)
        ]
        groups = [dask.delayed(claim_groups, pure=True)(p) for p in graph.prepared]
        futures = connected.compute([pairs, summaries, _checks(graph), groups])
        if folder is not None:
            _write_claims(folder, graph)
        found_pairs, found_summaries, found_checks, found_groups = connected.gather(futures)
    linked = _links(graph, policy)
    if folder is not None:
        write_links(folder, linked.pairs)
    return Comparison(
        concat_pairs([*(pairs_frame(t) for t in found_pairs), linked.pairs])
        if folder is None
        else None,
        _subjects(graph, found_summaries, linked, policy),
        _series_of(graph, found_checks, policy),
        policy,
        folder,
        graph.claims,
        groups=all_groups(found_groups),
    )


def _compare_grouped(
    connected: Any, graph: _Graph, policy: ComparePolicy, pairs_per_task: int | None
) -> Comparison | None:
    """The grouped path on the cluster (``graph.prepared``: futures of the prepared partitions),
    or ``None`` when a finding across a link would hold several pairs (as the local engine does,
    every pair is decided then). The pairs of groups of each partition are cut into tasks of at
    most ``pairs_per_task`` (default: as :func:`per_task` chooses) pairs of groups; only the
    columns of the groups, the subjects tables, the series checks and the notable decisions come
    back (see :mod:`claimtrack.compare._grouped_tasks`)."""
    rows = [connected.submit(group_rows, p) for p in graph.prepared]
    linked = _links(graph, policy)  # here, while the workers prepare
    layout = Layout.of(connected.gather(rows))
    across = link_findings(linked.pairs, layout.claim_groups())
    if across is None:
        return None
    check_grouped(layout.groups, graph.sizes, policy.max_pairs_in_memory)
    step = per_task(layout.pair_count(), _workers(connected), policy, pairs_per_task)
    shared = connected.scatter(policy, broadcast=True)
    summaries = []
    for prepared, tasks in zip(graph.prepared, layout.tasks(step), strict=True):
        groups = connected.submit(partition_groups, prepared)
        decided = [connected.submit(decide_pieces, prepared, groups, t, shared) for t in tasks]
        summaries.append(connected.submit(summarise_partition, prepared, groups, decided))
    checks = connected.compute(_checks(graph))
    found, found_checks = connected.gather([summaries, checks])
    notable = layout.notable([f[1] for f in found])
    if len(across):
        notable = pd.concat([notable, across[list(notable.columns)]], ignore_index=True)
    limit = policy.max_pairs_in_memory
    return Comparison(
        None,
        _subjects(graph, [f[0] for f in found], linked, policy),
        _series_of(graph, found_checks, policy),
        policy,
        None,
        graph.claims,
        decided_by="groups",
        groups=layout.claim_groups(),
        grouped=GroupedPairs(
            layout.rows,
            layout.groups,
            notable,
            policy,
            limit,
            extra=linked.pairs,
            lines=layout.lines(),
            full=functools.partial(_prepared_here, graph.given, graph.frame, policy),
        ),
    )


def _prepared_here(given: Claims | None, frame: Any, policy: ComparePolicy) -> pd.DataFrame:
    """The claims prepared in this process, as the local engine prepares them (for every pair of
    a grouped comparison, when asked: a Dask ``frame`` is computed then). Holds nothing of the
    cluster (no future), so the result outlives it."""
    if given is None:
        given = Claims.of(check_claims_frame(frame.compute()), policy.hedges)
    return prepare(given, policy).rows


def _checks(graph: _Graph) -> list[Delayed]:
    """Per partition, its series checks (a claims frame's) or the claims they read (a claim
    set's series cross subjects: checked by :func:`_series_of` on the client)."""
    if graph.claims is None:
        return [dask.delayed(partition_series, pure=True)(p, graph.policy) for p in graph.prepared]
    starts = frozenset(s.id for s in graph.claims.subjects.values() if s.start_of)
    return [dask.delayed(series_rows, pure=True)(p, starts) for p in graph.prepared]


def _series_of(graph: _Graph, checks: list[pd.DataFrame], policy: ComparePolicy) -> pd.DataFrame:
    if graph.claims is None:
        return concat_series(checks)
    return check_series(nonempty_concat(checks), graph.claims, policy)


def _subjects(
    graph: _Graph, tables: list[pd.DataFrame], linked: LinkOutcome, policy: ComparePolicy
) -> pd.DataFrame:
    """The partitions' subjects tables as one, with what the links add and derived figures out
    of the origins."""
    subjects = linked.apply(pd.concat(tables, ignore_index=True))
    if graph.claims is not None and graph.subjects is not None:
        compared = Claims.of(graph.claims, None).compared  # re-hedged already
        derived = derived_ids(graph.claims)
        subjects = without_derived_origins(subjects, compared, graph.subjects, derived, policy)
    return subjects


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
        dask.delayed(compare_pairs, pure=True)(prepared, k0, k1, graph.policy)
        for k, prepared in enumerate(graph.prepared)
        for k0, k1 in graph.plan.ranges(k)
    ]
    linked = _links(graph, policy).pairs  # the pairs across declared links, last
    if len(linked):
        ranges.append(dask.delayed(linked, traverse=False))
    return dd.from_delayed(ranges, meta=empty_pairs(), verify_meta=False)

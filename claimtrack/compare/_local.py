"""The local engine: this process compares (two threads), or forked worker processes do.

In memory, the pairs are decided chunk by chunk and joined. With ``out``, chunks are decided and
written to part files, by worker processes (one part each, see :mod:`claimtrack.compare._forked`)
or by two threads of this process; the claims are written meanwhile, and the summary is made from
the links and tallies the parts send back.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.compare._decide import (
    Decided,
    Links,
    Names,
    Tally,
    decide_for_parquet,
    decide_range,
)
from claimtrack.compare._derived import derived_ids, without_derived_origins
from claimtrack.compare._findings import link_findings
from claimtrack.compare._folder import part_name, require_pyarrow, write_claims, write_parquet
from claimtrack.compare._forked import Forked, can_fork, default_workers, release_free_memory
from claimtrack.compare._grouped import (
    GroupedPairs,
    check_grouped,
    decide_groups,
    decided_by_groups,
)
from claimtrack.compare._groups import (
    Groups,
    claim_keys,
    figure_labels,
    group_labels,
    line_labels,
)
from claimtrack.compare._guard import check_comparing, subject_sizes
from claimtrack.compare._lines import Lines, check_line_labels, decided_by_lines
from claimtrack.compare._links import LinkOutcome, compare_links, derivations, write_links
from claimtrack.compare._output import pairs_output
from claimtrack.compare._pairs import PairSequence
from claimtrack.compare._policy import ComparePolicy
from claimtrack.compare._prepare import Claims, prepare
from claimtrack.compare._result import Comparison
from claimtrack.compare._schema import concat_pairs
from claimtrack.compare._summary import check_series, latest_figures, subject_count, summarise
from claimtrack.subject import Subject


def compare_local(
    claims: ClaimSet | pd.DataFrame,
    policy: ComparePolicy,
    *,
    out: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    subjects: Mapping[str, Subject] | None = None,
) -> Comparison:
    """:func:`claimtrack.compare.compare` with the local engine (arguments checked there)."""
    given = Claims.of(claims, policy.hedges)
    registry = given.claim_set.subjects if given.claim_set is not None else subjects
    by_groups = out is None and decided_by_groups(policy)
    sizes = subject_sizes(given.frame["subject"])
    linked = None
    if out is None:
        linked = compare_links(
            given.compared, registry, given.subjects, policy, derivations(given.claim_set)
        )
        if not by_groups:  # before any work: all pairs would be held
            check_comparing(sizes, policy.max_pairs_in_memory)
    ready = prepare(given, policy, texts=out is None)
    prepared = ready.rows
    compared, claim_set = given.compared, given.claim_set
    compared_claims = compared if claim_set is None else claim_set
    labels = group_labels(prepared, compared) if out is None else None
    lines = line_labels(prepared, compared) if out is None else None
    if by_groups:
        assert labels is not None and lines is not None and linked is not None
        across = link_findings(linked.pairs, _claim_groups(prepared, lines))
        if across is not None:
            grouped = compare_grouped(
                prepared,
                labels,
                policy,
                compared_claims,
                sizes,
                linked.pairs,
                across,
                lines,
                figure_labels(prepared, compared),
            )
            return attrs.evolve(
                grouped, subjects=_derived(linked.apply(grouped.subjects), given, policy)
            )
        # a finding across a link holds several pairs: every pair is decided, and held
        check_comparing(sizes, policy.max_pairs_in_memory)
    sequence = PairSequence.of(prepared["subject_index"].to_numpy())
    if out is None:
        assert lines is not None and linked is not None
        ranges = sequence.ranges(policy.max_pairs_per_chunk)
        kept = [decide_range(prepared, sequence, k0, k1, policy) for k0, k1 in ranges]
        pairs = concat_pairs([k.frame() for k in kept])
        links = Links.join(k.links() for k in kept)
        tally = Tally.total((k.tally() for k in kept), subject_count(prepared))
        pairs = concat_pairs([pairs, linked.pairs])
        found = _finish(prepared, pairs, policy, compared_claims, links, tally, linked=linked)
        return attrs.evolve(
            found,
            subjects=_derived(found.subjects, given, policy),
            groups=_claim_groups(prepared, lines),
        )
    require_pyarrow()
    halves = list(sequence.ranges(max(1, policy.max_pairs_per_chunk // _THREADS)))
    parts = _parts(halves, _pair_workers(workers, len(halves)))
    with pairs_output(out, policy.rules) as folder:
        table, series = _write(folder, given, prepared, sequence, policy, parts, registry)
    return Comparison(None, table, series, policy, Path(out), claim_set)


def _claim_groups(prepared: pd.DataFrame, labels: np.ndarray[Any, Any]) -> pd.Series[Any]:
    """Per claim id, its line and origin (:func:`claim_keys`: what findings are grouped by)."""
    labels = claim_keys(labels, prepared["origin_code"].to_numpy(dtype=np.int64))
    return pd.Series(labels, index=pd.Index(prepared["claim"].to_numpy(dtype=object)))


def _write(
    folder: Path,
    given: Claims,
    prepared: pd.DataFrame,
    sequence: PairSequence,
    policy: ComparePolicy,
    parts: list[list[tuple[int, int]]],
    registry: Mapping[str, Subject] | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write the pairs (by worker processes, one part each, or two threads) and the claims to
    ``folder``; the subjects table and series checks."""
    compared, claim_set = given.compared, given.claim_set
    compared_claims = compared if claim_set is None else claim_set
    # what the summary needs that does not depend on the pairs, before forking: built while the
    # workers run, it would touch (and so copy) pages they share
    block = prepared["subject_index"].to_numpy()
    latest = latest_figures(prepared, block, subject_count(prepared), compared)
    series = check_series(prepared, compared_claims, policy, compared)
    if len(parts) > 1:
        release_free_memory()
    shared = (prepared, sequence, policy)
    with contextlib.ExitStack() as stack:
        # workers are forked first, before this process starts threads of its own
        forked = [
            stack.enter_context(
                Forked(
                    _write_part,
                    (*shared, ranges, folder / part_name(k), 1),
                    name=f"claimtrack-pairs-{k}",
                )
            )
            for k, ranges in enumerate(parts)
            if len(parts) > 1
        ]
        pool = stack.enter_context(
            ThreadPoolExecutor(max_workers=2, thread_name_prefix="claimtrack-write")
        )
        # the claims are written (by Arrow, mostly without the GIL) while pairs are compared
        claims_written = pool.submit(
            write_claims,
            folder,
            given.frame,
            given.subjects if claim_set is not None else None,
        )
        if not forked:  # in this process: two threads compare half-chunks
            path = folder / part_name(0)
            in_threads = pool.submit(_write_part, *shared, parts[0], path, _THREADS)
        written = [f.result() for f in forked] if forked else [in_threads.result()]
        claims_written.result()
        # the workers end while the summary is made (leaving the block waits for them)
        links = Links.join(part_links for part_links, _ in written)
        tally = Tally.total((t for _, tallies in written for t in tallies), len(latest))
        table = summarise(prepared, links, tally, compared, latest=latest)
    linked = compare_links(
        given.compared, registry, given.subjects, policy, derivations(given.claim_set)
    )
    write_links(folder, linked.pairs)
    return _derived(linked.apply(table), given, policy), series


def _derived(table: pd.DataFrame, given: Claims, policy: ComparePolicy) -> pd.DataFrame:
    """The subjects table with derived figures left out of the origins."""
    derived = derived_ids(given.claim_set)
    return without_derived_origins(table, given.compared, given.subjects, derived, policy)


def compare_grouped(
    prepared: pd.DataFrame,
    labels: np.ndarray[Any, Any],
    policy: ComparePolicy,
    claims: ClaimSet | pd.DataFrame,
    sizes: pd.Series[int],
    link_pairs: pd.DataFrame | None = None,
    link_found: pd.DataFrame | None = None,
    lines: np.ndarray[Any, Any] | None = None,
    figures: np.ndarray[Any, Any] | None = None,
) -> Comparison:
    """The comparison decided one pair of groups of interchangeable claims at a time (see
    :mod:`claimtrack.compare._grouped`): refused before the work when it would decide more than
    ``policy.max_pairs_in_memory`` pairs of groups (:func:`check_grouped`). ``link_pairs`` are
    the pairs across links between subjects (decided already), ``link_found`` their findings
    (:func:`link_findings`)."""
    groups = Groups.of(prepared, labels)
    by_lines = None
    if lines is not None and decided_by_lines(policy):
        assert figures is not None
        check_line_labels(prepared, lines, sizes, policy.max_pairs_in_memory)
        by_lines = Lines.of(prepared, lines, figures, groups)
    else:
        check_grouped(groups, sizes, policy.max_pairs_in_memory)
    links, tally, notable = decide_groups(
        prepared, groups, policy, policy.max_pairs_per_chunk, by_lines
    )
    if link_found is not None and len(link_found):
        notable = pd.concat([notable, link_found[list(notable.columns)]], ignore_index=True)
    subjects = summarise(prepared, links, tally)
    series = check_series(prepared, claims, policy)
    line_of = None if lines is None else np.asarray(lines, dtype=np.int64)[groups.first]
    grouped = GroupedPairs(
        prepared,
        groups,
        notable,
        policy,
        policy.max_pairs_in_memory,
        extra=link_pairs,
        lines=line_of,
        by_lines=by_lines,
    )
    return Comparison(
        None,
        subjects,
        series,
        policy,
        None,
        _claim_set(claims),
        decided_by="groups",
        groups=_claim_groups(prepared, labels if lines is None else lines),
        grouped=grouped,
    )


def _pair_workers(requested: int | None, ranges: int) -> int:
    """How many worker processes compare pairs: as asked, or (``None``) one per CPU where
    processes can be forked and there is more than one chunk of pairs per worker."""
    if requested is None:
        return default_workers() if ranges > _THREADS else 1
    if requested > 1 and not can_fork():
        raise ValueError(
            f"workers={requested}: worker processes are forked, which this process cannot do "
            f"({sys.platform}; a daemonic process may not have children); use workers=1"
        )
    return requested


def _parts(ranges: list[tuple[int, int]], workers: int) -> list[list[tuple[int, int]]]:
    """``ranges`` split into at most ``workers`` runs of consecutive ranges, as even as can be."""
    workers = max(1, min(workers, len(ranges)))
    bounds = np.linspace(0, len(ranges), workers + 1).round().astype(int).tolist()
    return [ranges[a:b] for a, b in itertools.pairwise(bounds)]


def _write_part(
    prepared: pd.DataFrame,
    sequence: PairSequence,
    policy: ComparePolicy,
    ranges: list[tuple[int, int]],
    path: Path,
    threads: int,
) -> tuple[Links, list[Tally]]:
    """Decide the pairs of ``ranges`` (consecutive, ``threads`` chunks at a time) and write them
    to ``path``."""
    rows = sequence.rows(ranges[0][0], ranges[-1][1]) if ranges else (0, 0)
    names = Names.of(prepared, rows)  # ids of the rows this part touches
    return write_parquet(
        _decide_in_threads(prepared, sequence, ranges, policy, threads, names), path
    )


_THREADS = 2


def _decide_in_threads(
    prepared: pd.DataFrame,
    sequence: PairSequence,
    ranges: Iterable[tuple[int, int]],
    policy: ComparePolicy,
    threads: int,
    names: Names,
) -> Iterator[Decided]:
    """:func:`decide_for_parquet` of each range, in order, ``threads`` ranges at a time (numpy
    and Arrow release the GIL for much of the work), so at most ``threads`` chunks are held."""
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="claimtrack-compare") as pool:
        pending: deque[Future[Decided]] = deque()
        for k0, k1 in ranges:
            pending.append(
                pool.submit(decide_for_parquet, prepared, sequence, k0, k1, policy, names)
            )
            if len(pending) >= threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _finish(
    prepared: pd.DataFrame,
    pairs: pd.DataFrame | None,
    policy: ComparePolicy,
    claims: ClaimSet | pd.DataFrame,
    links: Links,
    tally: np.ndarray[Any, Any],
    path: Path | None = None,
    frame: pd.DataFrame | None = None,
    *,
    linked: LinkOutcome,
) -> Comparison:
    """The comparison, from the prepared claims, the pairs (``None`` when written to ``path``),
    their links and tallies, the frame prepared (for texts the prepared claims lack) and what
    the declared links between subjects add."""
    subjects = linked.apply(summarise(prepared, links, tally, frame))
    series = check_series(prepared, claims, policy, frame)
    return Comparison(pairs, subjects, series, policy, path, _claim_set(claims))


def _claim_set(claims: ClaimSet | pd.DataFrame) -> ClaimSet | None:
    return claims if isinstance(claims, ClaimSet) else None

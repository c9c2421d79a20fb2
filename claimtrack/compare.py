"""Comparing claims: where sources agree, differ, refine, update, repeat or contradict each other.

:func:`compare` pairs the claims of each subject (never across subjects), decides each pair with the
first :class:`Rule` of :attr:`ComparePolicy.rules` that holds, and explains it in a sentence with the
numbers and dates that decided it. See ``docs/comparing.md`` for the semantics with examples.
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import json
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack import _kernel, _workers, dataset
from claimtrack._kernel import RULES as RULES
from claimtrack._kernel import Rule as Rule
from claimtrack.claimset import ClaimSet
from claimtrack.frame import claims_to_frame
from claimtrack.quantity import Estimate, HedgePolicy
from claimtrack.subject import SubjectKind


class Verdict(enum.StrEnum):
    """The relation between two claims about one subject."""

    AGREE = "agree"
    """Different origins, compatible values (the intervals overlap) at comparable times."""
    REFINE = "refine"
    """Compatible, and one interval lies inside the other: one source is more precise."""
    DIFFER = "differ"
    """Incompatible values (disjoint intervals) at comparable times from different origins."""
    INCONSISTENT = "inconsistent"
    """Incompatible values for the same subject and time within one source, in one voice."""
    UPDATE = "update"
    """A later value supersedes an earlier one: a claimant revising its figure, a count advancing."""
    CHANGE = "change"
    """Disjoint values from different claimants far apart in time: a change over time, not a
    conflict, and not a revision (only a claimant can revise its own figure)."""
    REPEAT = "repeat"
    """The same claim from the same origin again: not independent corroboration."""
    CONTRADICT = "contradict"
    """Opposite stances on one proposition, or a denial against the figure it denies."""


NOTABLE = (
    Verdict.INCONSISTENT,
    Verdict.CONTRADICT,
    Verdict.DIFFER,
    Verdict.UPDATE,
    Verdict.CHANGE,
)
"""The verdicts :meth:`Comparison.findings` reports, in this order of importance."""

_DEFAULT_TOLERANCE = MappingProxyType(
    {
        SubjectKind.QUANTITY: 366,
        SubjectKind.DAY_COUNT: 0,
        SubjectKind.EVENT_DATE: 0,
        SubjectKind.STATEMENT: 100_000,
    }
)


def _tolerances(value: Mapping[SubjectKind | str, int]) -> Mapping[SubjectKind, int]:
    merged = dict(_DEFAULT_TOLERANCE)
    merged.update({SubjectKind(k): int(v) for k, v in value.items()})
    return MappingProxyType(merged)


def _verdicts(value: Any) -> frozenset[Verdict]:
    return frozenset(Verdict(v) for v in value)


@attrs.frozen
class ComparePolicy:
    """Everything that decides a comparison; change it with ``attrs.evolve(policy, ...)``.

    - ``time_tolerance_days``: per subject kind, how many days apart two values may hold and
      still be "at comparable times" (quantities: 366 by default). Values further apart are an
      update (same claimant) or a change over time (different claimants), never a conflict.
    - ``day_count_tolerance_days``: how far the start dates implied by two day counts of one series
      may be apart and still agree (default 1: "the 20th night" may be counted from either side
      of midnight).
    - ``repeat_similarity``: rapidfuzz ratio (0-100) above which two quotes of one publisher are
      the same wording reused (default 85).
    - ``summary_sections``: sections that restate the body (headline, standfirst, caption, lede).
    - ``opposite_stances``: pairs of stances that contradict each other.
    - ``hedges``: when set, quantity claims are re-read from their written phrase under this
      :class:`HedgePolicy` (hedge widths) before comparing; ``None`` keeps the intervals as loaded.
    - ``keep``: the verdicts kept in the pairs (reasons are built only for kept pairs).
    - ``max_pairs_per_chunk``: how many pairs are compared at once (bounds memory: 250,000 keeps a
      million claims under 2 GiB, see docs/performance.md).
    - ``rules``: the ordered rules that decide pairs.
    """

    time_tolerance_days: Mapping[SubjectKind, int] = attrs.field(
        default=_DEFAULT_TOLERANCE, converter=_tolerances
    )
    day_count_tolerance_days: int = 1
    repeat_similarity: float = 85.0
    summary_sections: frozenset[str] = frozenset({"headline", "standfirst", "caption", "lede"})
    opposite_stances: frozenset[tuple[str, str]] = frozenset({("asserts", "denies")})
    hedges: HedgePolicy | None = None
    keep: frozenset[Verdict] = attrs.field(default=frozenset(Verdict), converter=_verdicts)
    max_pairs_per_chunk: int = 250_000
    rules: tuple[Rule, ...] = RULES

    @property
    def opposite_codes(self) -> list[tuple[int, int]]:
        """``opposite_stances`` as the kernel's stance codes."""
        codes = {s: i for i, s in enumerate(_kernel.STANCES)}
        return [(codes[a], codes[b]) for a, b in self.opposite_stances]

    def time_tolerance(self, kinds: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The time tolerance in days for an array of subject kind names."""
        table = {kind.value: days for kind, days in self.time_tolerance_days.items()}
        return pd.Series(kinds).map(table).fillna(0).to_numpy(dtype=np.float64)


DEFAULT_COMPARE_POLICY = ComparePolicy()

SUBJECT_COLUMNS = (
    "subject",
    "label",
    "kind",
    "claims",
    "claimants",
    "origins",
    "consensus_low",
    "consensus_high",
    "consensus",
    "latest",
    *(f"n_{v.value}" for v in Verdict),
)
SERIES_COLUMNS = (
    "series",
    "claim",
    "ordinal",
    "unit",
    "as_of",
    "implied_start",
    "start_claim",
    "stated_start",
    "consistent",
    "days_off",
    "reason",
)


@attrs.frozen(eq=False)
class Comparison:
    """The result of :func:`compare`.

    - ``pairs``: one row per compared pair (see :data:`claimtrack._kernel.PAIR_COLUMNS`).
    - ``subjects``: one row per subject: claims, claimants, independent origins, the consensus
      interval, the latest value per claimant and counts per verdict.
    - ``series``: one row per day-count claim checked against the start of its series.
    - ``pairs_path``: the folder the pairs were written to, when ``compare(out=...)`` (see
      :mod:`claimtrack.dataset`).
    - ``claims``: the :class:`ClaimSet` compared (``None`` when a frame was compared); reports
      take quotes, sources and dates from it.
    """

    pairs_frame: pd.DataFrame | None = attrs.field(repr=False)
    subjects: pd.DataFrame = attrs.field(repr=False)
    series: pd.DataFrame = attrs.field(repr=False)
    policy: ComparePolicy = attrs.field(repr=False)
    pairs_path: Path | None = None
    claims: ClaimSet | None = attrs.field(default=None, repr=False)

    @property
    def pairs(self) -> pd.DataFrame:
        """The pairs (read back from ``pairs_path``, reasons included, when they were written
        there: :func:`claimtrack.read_pairs` reads a part of them)."""
        return self._pairs()

    def _pairs(self, verdicts: Iterable[str] | None = None) -> pd.DataFrame:
        if self.pairs_frame is not None:
            pairs = self.pairs_frame
            if verdicts is None:
                return pairs
            return pairs[pairs["verdict"].isin(list(verdicts)).to_numpy()]
        assert self.pairs_path is not None
        return dataset.read_pairs(self.pairs_path, self.policy, verdicts=verdicts)

    def findings(self) -> pd.DataFrame:
        """The notable pairs and failed series checks, most important first, in a stable order.

        Columns: ``verdict``, ``subject``, ``claim_a``, ``claim_b``, ``reason``. Series checks that
        fail appear with verdict ``inconsistent`` and ``claim_b`` the start claim.
        """
        notable = self._pairs([v.value for v in NOTABLE])
        found = notable[["verdict", "subject", "claim_a", "claim_b", "reason"]]
        failed = self.series[self.series["consistent"] == False]  # noqa: E712
        if len(failed):
            extra = pd.DataFrame(
                {
                    "verdict": "inconsistent",
                    "subject": failed["series"],
                    "claim_a": failed["claim"],
                    "claim_b": failed["start_claim"],
                    "reason": failed["reason"],
                }
            )
            found = pd.concat([found, extra], ignore_index=True)
        order = {v.value: i for i, v in enumerate(NOTABLE)}
        found = found.assign(_rank=found["verdict"].map(order))
        found = found.sort_values(["_rank", "subject", "claim_a", "claim_b"], kind="stable")
        return found.drop(columns="_rank").reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """Pairs, subjects, series checks and findings as plain JSON-ready data."""
        return {
            "pairs": _records(self.pairs),
            "subjects": _records(self.subjects),
            "series": _records(self.series),
            "findings": _records(self.findings()),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, keys in a stable order)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict("records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, float) and not np.isfinite(value):
                value = None if np.isnan(value) else ("inf" if value > 0 else "-inf")
            elif isinstance(value, np.generic):
                value = value.item()
            elif value is pd.NA or value is pd.NaT:
                value = None
            elif isinstance(value, pd.Timestamp):
                value = value.date().isoformat()
            clean[str(key)] = value
        out.append(clean)
    return out


def _subject_table(claims: ClaimSet | None, frame: pd.DataFrame) -> pd.DataFrame:
    if claims is not None:
        rows = [(s.id, s.kind.value, s.label) for s in claims.subjects.values()]
        return pd.DataFrame(rows, columns=["subject", "subject_kind", "label"])
    kinds = frame.groupby("subject", observed=True)["kind"].first()
    ids = _texts(kinds.index)
    return pd.DataFrame({"subject": ids, "subject_kind": _texts(kinds), "label": ids})


def _texts(values: pd.Index[Any] | pd.Series[Any]) -> np.ndarray[Any, Any]:
    """``str(value)`` of each value, as an object array (without a call per value where they
    are all texts already)."""
    out = np.asarray(values.astype(object), dtype=object)
    if pd.api.types.infer_dtype(out, skipna=False) != "string":
        out = np.array([str(v) for v in out], dtype=object)
    return out


def _rehedge(frame: pd.DataFrame, hedges: HedgePolicy) -> pd.DataFrame:
    frame = frame.copy()
    rows = frame.index[(frame["kind"] == "quantity") & frame["text"].notna()]
    for idx in rows:
        est = Estimate.parse(str(frame.at[idx, "text"]), policy=hedges)
        frame.at[idx, "low"] = np.nan if est.low is None else est.low
        frame.at[idx, "high"] = np.nan if est.high is None else est.high
    return frame


def compare(
    claims: ClaimSet | pd.DataFrame,
    policy: ComparePolicy = DEFAULT_COMPARE_POLICY,
    *,
    out: str | os.PathLike[str] | None = None,
    engine: str = "local",
    client: Any = None,
    workers: int | None = None,
) -> Comparison:
    """Compare every pair of claims within each subject.

    ``claims`` is a :class:`ClaimSet` or a frame shaped like :meth:`ClaimSet.to_frame` (so claims
    built in pandas, or read from Parquet, can be compared without building objects). With ``out``,
    pairs are written to that folder (a Parquet dataset, see :mod:`claimtrack.dataset`) chunk by
    chunk instead of being held in memory (needs ``pyarrow``); ``workers`` worker processes decide
    and write them (default: one per CPU, at most 8, on Linux when there are many pairs; ``1``:
    this process alone, with two threads). ``engine="dask"`` runs the same kernel on a Dask
    cluster (see :func:`claimtrack.distributed.compare_dask`).
    """
    if workers is not None:
        only = "workers applies to the local engine writing pairs to a folder (out=...)"
        if engine != "local":
            raise ValueError(f"{only}; a Dask cluster has its own workers")
        if out is None:
            raise ValueError(only)
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be a whole number of at least 1, not {workers!r}")
    if engine == "dask":
        import importlib

        distributed: Any = importlib.import_module("claimtrack.distributed")
        result: Comparison = distributed.compare_dask(claims, policy, out=out, client=client)
        return result
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    frame, subjects = _claims_frame(claims)
    compared = _rehedge(frame, policy.hedges) if policy.hedges is not None else frame
    prepared = _kernel.prepare(compared, subjects, policy.summary_sections, texts=out is None)
    sequence = _kernel.PairSequence.of(prepared["subject_index"].to_numpy())
    if out is None:
        ranges = sequence.ranges(policy.max_pairs_per_chunk)
        kept = [_kernel.decide_range(prepared, sequence, k0, k1, policy) for k0, k1 in ranges]
        pairs = _concat([k.frame() for k in kept])
        links = _kernel.Links.join(k.links() for k in kept)
        tally = _kernel.Tally.total((k.tally() for k in kept), _subject_count(prepared))
        return _finish(prepared, pairs, policy, claims, links, tally)
    dataset.require_pyarrow()
    halves = list(sequence.ranges(max(1, policy.max_pairs_per_chunk // _THREADS)))
    parts = _parts(halves, _pair_workers(workers, len(halves)))
    folder = dataset.output_folder(out)
    # what the summary needs that does not depend on the pairs, before forking: built while the
    # workers run, it would touch (and so copy) pages they share
    block = prepared["subject_index"].to_numpy()
    latest = _latest(prepared, block, _subject_count(prepared), compared)
    series = check_series(prepared, claims, policy, compared)
    if len(parts) > 1:
        _workers.release_free_memory()
    shared = (prepared, sequence, policy)
    with contextlib.ExitStack() as stack:
        # workers are forked first, before this process starts threads of its own
        forked = [
            stack.enter_context(
                _workers.Forked(
                    _write_part,
                    (*shared, ranges, folder / dataset.part_name(k), 1),
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
            dataset.write_claims,
            folder,
            frame,
            subjects if isinstance(claims, ClaimSet) else None,
        )
        if not forked:  # in this process: two threads compare half-chunks
            path = folder / dataset.part_name(0)
            in_threads = pool.submit(_write_part, *shared, parts[0], path, _THREADS)
        written = [f.result() for f in forked] if forked else [in_threads.result()]
        claims_written.result()
        # the workers end while the summary is made (leaving the block waits for them)
        dataset.write_manifest(folder, policy.rules)
        links = _kernel.Links.join(part_links for part_links, _ in written)
        tally = _kernel.Tally.total((t for _, tallies in written for t in tallies), len(latest))
        table = summarise(prepared, links, tally, compared, latest=latest)
    return Comparison(None, table, series, policy, folder, _claim_set(claims))


def _pair_workers(requested: int | None, ranges: int) -> int:
    """How many worker processes compare pairs: as asked, or (``None``) one per CPU where
    processes can be forked and there is more than one chunk of pairs per worker."""
    if requested is None:
        return _workers.default_workers() if ranges > _THREADS else 1
    if requested > 1 and not _workers.can_fork():
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
    sequence: _kernel.PairSequence,
    policy: ComparePolicy,
    ranges: list[tuple[int, int]],
    path: Path,
    threads: int,
) -> tuple[_kernel.Links, list[_kernel.Tally]]:
    """Decide the pairs of ``ranges`` (consecutive, ``threads`` chunks at a time) and write them
    to ``path``."""
    rows = sequence.rows(ranges[0][0], ranges[-1][1]) if ranges else (0, 0)
    names = _kernel.Names.of(prepared, rows)  # ids of the rows this part touches
    return _write_parquet(
        _decide_in_threads(prepared, sequence, ranges, policy, threads, names), path
    )


def _subject_count(prepared: pd.DataFrame) -> int:
    index = prepared["subject_index"].to_numpy()
    return int(index[-1]) + 1 if len(index) else 0


_THREADS = 2


Decided = tuple[Any, _kernel.Links, _kernel.Tally]
"""A chunk of pairs ready to write: its Arrow table, its links and its tally."""


def decide_for_parquet(
    prepared: pd.DataFrame,
    sequence: _kernel.PairSequence,
    k0: int,
    k1: int,
    policy: ComparePolicy,
    names: _kernel.Names | None = None,
) -> Decided:
    """Pairs ``k0 .. k1-1`` decided and made into an Arrow table (without reasons), with the
    links and tally the summary needs."""
    kept = _kernel.decide_range(prepared, sequence, k0, k1, policy, reasons=None)
    return kept.table(names), kept.links(), kept.tally()


def _decide_in_threads(
    prepared: pd.DataFrame,
    sequence: _kernel.PairSequence,
    ranges: Iterable[tuple[int, int]],
    policy: ComparePolicy,
    threads: int,
    names: _kernel.Names,
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


def _claims_frame(claims: ClaimSet | pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims as a frame, and the table of their subjects' kinds and labels."""
    if isinstance(claims, ClaimSet):
        frame = claims_to_frame(claims)
        return frame, _subject_table(claims, frame)
    return claims, _subject_table(None, claims)


def empty_pairs() -> pd.DataFrame:
    """A pairs frame with no rows and the right columns and dtypes."""
    return pd.DataFrame(
        {
            "claim_a": pd.Series(dtype=object),
            "claim_b": pd.Series(dtype=object),
            "subject": pd.Series(dtype=object),
            "kind": pd.Series(dtype=object),
            "verdict": pd.Series(dtype=object),
            "rule": pd.Series(dtype=object),
            "reason": pd.Series(dtype=object),
            "overlap": pd.Series(dtype="boolean"),
            "relative_gap": pd.Series(dtype="float64"),
            "days_apart": pd.Series(dtype="float64"),
            "same_claimant": pd.Series(dtype=bool),
            "same_publisher": pd.Series(dtype=bool),
            "same_source": pd.Series(dtype=bool),
            "quote_similarity": pd.Series(dtype="float64"),
        }
    )


def _concat(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [c for c in chunks if len(c)]
    if not kept:
        return empty_pairs()
    return pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]


_DICTIONARY_COLUMNS = (
    *("claim_a", "claim_b", "subject", "kind", "verdict", "rule"),
    # few distinct values: dictionary pages are about half the size of plain ones, no slower
    *("days_apart", "quote_similarity"),
)
"""Columns written with dictionary encoding. The first six are dictionary arrays, and read back
as categoricals; the two float columns read back as floats."""
_FILTER_COLUMNS = ("subject",)
"""Columns with min/max statistics per row group, so :func:`dataset.read_pairs` skips row groups
by them: subjects (pairs are written in subject order). Not verdicts: nearly every row group
holds every verdict, so their statistics would cost writing time (about 5% of it) and skip
nothing; selecting by verdict filters rows."""


def _write_parquet(
    chunks: Iterable[Decided], path: Path
) -> tuple[_kernel.Links, list[_kernel.Tally]]:
    """Write the pairs of every chunk (:func:`decide_for_parquet`), without reasons, to one
    Parquet file (a row group per chunk); return the repeat and update links and the verdict
    counts per subject of each chunk, which is all the summary needs.

    A chunk is written by a background thread while the next one is compared, so at most two
    chunks are held at once. Ids, subjects, kinds, verdicts and rules are dictionary-encoded (they
    read back as categoricals).
    """
    dataset.require_pyarrow()
    import pyarrow.parquet as pq

    links: list[_kernel.Links] = []
    tallies: list[_kernel.Tally] = []
    writer = pq.ParquetWriter(
        path,
        _kernel.pair_schema(reasons=False),
        compression="snappy",
        use_dictionary=list(_DICTIONARY_COLUMNS),
        write_statistics=list(_FILTER_COLUMNS),
    )
    pending: Future[None] | None = None
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimtrack-parquet") as pool:
            for table, chunk_links, tally in chunks:
                if not len(table):
                    continue
                links.append(chunk_links)
                tallies.append(tally)
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.write_table, table)
                del table
            if pending is not None:
                pending.result()
    finally:
        writer.close()
    return _kernel.Links.join(links), tallies


def origins(n: int, repeats: _kernel.Links) -> np.ndarray[Any, Any]:
    """An origin label per prepared claim (``n`` of them): claims joined by repeat pairs share one
    label, the smallest row among them.

    Connected components by vectorised label propagation with pointer jumping.
    """
    labels = np.arange(n)
    u, v = repeats.a[~repeats.update], repeats.b[~repeats.update]
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


def _finish(
    prepared: pd.DataFrame,
    pairs: pd.DataFrame | None,
    policy: ComparePolicy,
    claims: ClaimSet | pd.DataFrame,
    links: _kernel.Links,
    tally: np.ndarray[Any, Any],
    path: Path | None = None,
    frame: pd.DataFrame | None = None,
) -> Comparison:
    """The comparison, from the prepared claims, the pairs (``None`` when written to ``path``),
    their links and tallies, and the frame prepared (for texts the prepared claims lack)."""
    subjects = summarise(prepared, links, tally, frame)
    series = check_series(prepared, claims, policy, frame)
    return Comparison(pairs, subjects, series, policy, path, _claim_set(claims))


def _claim_set(claims: ClaimSet | pd.DataFrame) -> ClaimSet | None:
    return claims if isinstance(claims, ClaimSet) else None


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
    links: _kernel.Links,
    verdict_counts: np.ndarray[Any, Any],
    frame: pd.DataFrame | None = None,
    *,
    latest: Any = None,
) -> pd.DataFrame:
    """The per-subject table of a comparison (see :class:`Comparison`), from the prepared claims,
    the repeat and update links between them and the kept pairs per subject and verdict
    (:class:`_kernel.Tally`). Prepared claims without texts need the ``frame`` they were
    prepared from. ``latest`` is :func:`_latest` of the claims when already computed.

    The consensus interval is where the current figures of the independent origins overlap:
    each origin's claims are intersected, figures superseded by an update (and additional amounts)
    are left out, and what remains is intersected across origins.
    """
    n = len(prepared)
    block = prepared["subject_index"].to_numpy()
    blocks = int(block[-1]) + 1 if n else 0
    first = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if n else block
    labels = origins(n, links)
    superseded = np.zeros(n, dtype=bool)
    superseded[links.a[links.update]] = True
    kind = prepared["kind"].to_numpy()
    table = pd.DataFrame(
        {
            "subject": _kernel._objects(prepared["subject"].to_numpy()[first]),
            "label": _kernel._objects(prepared["label"].to_numpy()[first]),
            "kind": _kernel._objects(prepared["subject_kind"].to_numpy()[first]),
            "claims": np.bincount(block, minlength=blocks).astype(np.int64),
            "claimants": _distinct_per_block(block, prepared["claimant_code"].to_numpy(), blocks),
            "origins": _distinct_per_block(block, labels, blocks),
        }
    )
    figure = (kind == _kernel.QUANTITY) & ~prepared["additional"].to_numpy() & ~superseded
    # the intersection of every origin's intersection is the intersection of all its figures
    every = range(blocks)
    low = pd.Series(prepared["lo"].to_numpy()[figure]).groupby(block[figure]).max()
    high = pd.Series(prepared["hi"].to_numpy()[figure]).groupby(block[figure]).min()
    lows, highs = low.reindex(every).to_numpy(), high.reindex(every).to_numpy()
    has = lows <= highs
    table["consensus_low"] = np.where(has, lows, np.nan)
    table["consensus_high"] = np.where(has, highs, np.nan)
    quantity = np.zeros(blocks, dtype=bool)
    quantity[block[figure]] = True
    table["consensus"] = _kernel._objects(
        _consensus_texts(
            table["consensus_low"].to_numpy(), table["consensus_high"].to_numpy(), quantity
        )
    )
    if latest is None:
        latest = _latest(prepared, block, blocks, frame)
    table["latest"] = _kernel._objects(latest)
    for v, verdict in enumerate(_kernel.VERDICTS):
        table[f"n_{verdict}"] = (
            verdict_counts[:, v].astype(np.int64)
            if len(verdict_counts)
            else np.zeros(blocks, np.int64)
        )
    return table[list(SUBJECT_COLUMNS)]


def _texts_in(prepared: pd.DataFrame) -> list[str]:
    """The summary texts ``prepared`` already has (all of them, or none)."""
    return [c for c in _kernel.SUMMARY_TEXT_COLUMNS if c in prepared.columns]


def _with_texts(rows: pd.DataFrame, frame: pd.DataFrame | None) -> pd.DataFrame:
    """Prepared ``rows`` with the texts the subjects table and series checks need."""
    if "when" in rows.columns:
        return rows
    if frame is None:
        raise ValueError("prepared claims without texts: pass the frame they were prepared from")
    return _kernel.add_texts(rows, frame, _kernel.SUMMARY_TEXT_COLUMNS)


def _latest(
    prepared: pd.DataFrame, block: np.ndarray[Any, Any], blocks: int, frame: pd.DataFrame | None
) -> Any:
    """Per subject, each claimant's latest figure or count: ``"claimant: value (when)"``, joined
    with ``"; "`` in claimant order; empty where there is none."""
    out = np.full(blocks, "", dtype=object)
    if not len(prepared):
        return out
    claimant = prepared["claimant_code"].to_numpy()
    # one key per subject and claimant; the stable sort keeps ties in row order, which within a
    # subject is (t0, t1, claim) order: the last row of a key is its latest by (t1, t0, claim)
    width = int(claimant.max(initial=0)) + 2
    key = block * width + claimant + 1
    order = _kernel._packed_order(
        [
            (key, blocks * width),
            _kernel._day_ranks(prepared["t1"].to_numpy()),
            _kernel._day_ranks(prepared["t0"].to_numpy()),
        ]
    )
    ordered = key[order]
    last = order[np.r_[ordered[1:] != ordered[:-1], True]]
    kind = prepared["kind"].to_numpy()[last]
    wanted = (kind == _kernel.QUANTITY) | (kind == _kernel.DAY_COUNT)
    last = last[wanted & (claimant[last] >= 0)]
    if not len(last):
        return out
    needed = ["row", "kind", "lo", "hi", "claimant", *_texts_in(prepared)]
    rows = _with_texts(prepared[needed].iloc[last], frame)
    written = rows["written"].to_numpy()
    value = np.where(pd.isna(written), rows["interval"].to_numpy(), written).tolist()
    texts = [
        f"{c}: {'' if v is None else v} ({w})"
        for c, v, w in zip(rows["claimant"].tolist(), value, rows["when"].tolist(), strict=True)
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
    code, first = _kernel._distinct(lo[some], hi[some])  # each distinct interval written once
    zeros = np.zeros(len(first), dtype=np.int64)
    texts = _kernel._interval_texts(lo[some][first], hi[some][first], zeros)
    out[some] = _kernel._per_distinct(texts, code)
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
    policy: ComparePolicy,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each day count's implied start (``as_of - (ordinal - 1)`` days) against the series start.

    Start claims are event-date claims on a subject whose ``start_of`` is the series. A count is
    consistent when its implied start interval and the stated start date overlap (within
    ``day_count_tolerance_days``). One row per (count, start claim); a count with no start claim
    has one row with ``consistent`` empty.
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
    needed = ["row", "kind", "lo", "hi", "subject", "claim", "ordinal", "start0", "start1"]
    day_counts = prepared[needed + _texts_in(prepared)]
    counts = _with_texts(day_counts[prepared["kind"].to_numpy() == _kernel.DAY_COUNT], frame)
    counts = counts[["subject", "claim", "ordinal", "when", "start0", "start1"]]
    start_claims = prepared["subject"].isin(list(starts_of)).to_numpy()
    starts = prepared[["subject", "claim", "d0", "d1"]][start_claims]
    series_of = starts["subject"].map(starts_of).astype(object)
    starts = starts.assign(series=series_of).drop(columns="subject")
    merged = counts.rename(columns={"subject": "series"}).merge(
        starts.rename(columns={"claim": "start_claim"}), on="series", how="left"
    )
    gap = pd.Series(
        np.maximum(
            np.maximum(merged["d0"] - merged["start1"], merged["start0"] - merged["d1"]), 0.0
        ),
        index=merged.index,
    )
    has_start = merged["start_claim"].notna()
    consistent = (gap <= policy.day_count_tolerance_days).where(has_start)
    unit = merged["claim"].map(units).astype(object).fillna("day")
    start0, start1 = merged["start0"].to_numpy(), merged["start1"].to_numpy()
    implied = _kernel._date_spans(start0, start1, np.ones(len(merged), dtype=bool)).tolist()
    d0, d1 = merged["d0"].to_numpy(), merged["d1"].to_numpy()
    spans = _kernel._date_spans(d0, d1, ~np.isnan(d0))  # once per distinct start
    stated = [s or None for s in spans.tolist()]
    reasons = []
    for u, n, when, imp, st, ok, g, start in zip(
        unit,
        merged["ordinal"],
        merged["when"],
        implied,
        stated,
        consistent,
        gap,
        merged["start_claim"],
        strict=True,
    ):
        head = f"{u} {int(n)} as of {when} implies the series began {imp}"
        if st is None:
            reasons.append(f"{head}; no claim states when it began")
        else:
            verb = "consistent with" if ok else f"{g:,.0f} days off"
            reasons.append(f"{head}, {verb} the stated start {st} ({start})")
    frame = pd.DataFrame(
        {
            "series": merged["series"],
            "claim": merged["claim"],
            "ordinal": merged["ordinal"].astype("int64"),
            "unit": unit,
            "as_of": merged["when"],
            "implied_start": implied,
            "start_claim": merged["start_claim"],
            "stated_start": stated,
            "consistent": consistent.astype("boolean"),
            "days_off": gap.where(has_start),
            "reason": reasons,
        }
    )
    return frame.sort_values(["series", "claim", "start_claim"], kind="stable", ignore_index=True)

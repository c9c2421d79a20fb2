"""The grouped path cut into tasks, as the Dask engine runs it (nothing here imports dask).

A partition of whole subjects (the Dask engine's) has its groups of interchangeable claims
(:mod:`claimtrack.compare._groups`, numbered within it in ``GROUP``); its oriented pairs of
groups are cut into :class:`Piece` s, a range of the groups with pairs within or of the pairs of
groups of one subject (:func:`between_pairs`), so that a hot subject's pairs of groups are
spread over several tasks. A task (:func:`decide_pieces`) sends back only what the grouped path
needs of its pairs of groups (:class:`Chunk`: counts per subject and verdict, the small link
arrays, the notable decisions), never member pairs; a partition's summary
(:func:`summarise_partition`) joins them as the local engine does (:func:`combine`).

On the client, :class:`Layout` puts the partitions' groups together (from :func:`group_rows`, a
few columns per claim): partitions hold consecutive subjects in the local engine's order, so
their rows one after the other are the local engine's prepared rows, and their groups, numbered
on, its groups: the grouped findings and their member pairs are the local ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import attrs
import numpy as np
import pandas as pd

from claimtrack.compare._arrays import Ints
from claimtrack.compare._grouped import Chunk, chunks_empty, combine, decide_chunk, group_keys
from claimtrack.compare._groups import Groups, between_pairs, claim_keys, within_pairs
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._summary import subject_count, summarise

GROUP = "_group"
"""The column of a prepared partition with each claim's group (numbered within the partition)."""

ORIGIN = "_origin"
"""The column of a prepared partition with each claim's origin (a source id)."""

LINE = "_line"
"""The column of a prepared partition with each claim's line (numbered within the partition)."""

GROUP_ROW_COLUMNS = (
    "claim",
    "subject",
    "subject_index",
    "t0",
    "t1",
    "published",
    "origin_code",
    GROUP,
    LINE,
    ORIGIN,
)
"""What the client needs of a prepared partition for the groups and the findings' pairs."""


@attrs.frozen
class Piece:
    """Pairs of groups one task decides: groups ``k0 .. k1-1`` of those with pairs within
    (``within``), or pairs ``k0 .. k1-1`` of :meth:`Groups.sequence` (``between``)."""

    kind: Literal["within", "between"]
    k0: int
    k1: int

    @property
    def size(self) -> int:
        return self.k1 - self.k0


def group_rows(prepared: pd.DataFrame) -> pd.DataFrame:
    """The columns of a prepared partition the client needs (:data:`GROUP_ROW_COLUMNS`)."""
    return prepared[list(GROUP_ROW_COLUMNS)].reset_index(drop=True)


def partition_groups(prepared: pd.DataFrame) -> Groups:
    """The groups of a prepared partition."""
    return Groups.of(prepared, prepared[GROUP].to_numpy(dtype=np.int64))


def decide_pieces(
    prepared: pd.DataFrame, groups: Groups, pieces: Sequence[Piece], policy: KernelPolicy
) -> list[Chunk]:
    """The pairs of groups of ``pieces`` decided, each on one member pair."""
    keys = group_keys(groups)
    sequence = groups.sequence()
    chunks = []
    for piece in pieces:
        if piece.kind == "within":
            o = within_pairs(groups, piece.k0, piece.k1)
        else:
            o = between_pairs(groups, piece.k0, piece.k1, sequence)
        if len(o):
            chunks.append(decide_chunk(prepared, groups, o, policy, keys))
    return chunks


def summarise_partition(
    prepared: pd.DataFrame, groups: Groups, decided: Sequence[list[Chunk]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A partition's subjects table and notable decisions, from its tasks' chunks."""
    chunks = [c for part in decided for c in part]
    links, tally, notable = combine(groups, chunks, subject_count(prepared))
    return summarise(prepared, links, tally), notable


@attrs.frozen(eq=False)
class Layout:
    """The groups of all partitions, one after the other: ``rows`` (:data:`GROUP_ROW_COLUMNS`,
    subjects and groups numbered on from partition to partition), their :class:`Groups`, and
    ``offsets``, the first group of each partition (and the number of groups, last)."""

    rows: pd.DataFrame
    groups: Groups
    offsets: Ints

    @classmethod
    def of(cls, parts: Sequence[pd.DataFrame]) -> Layout:
        subjects = np.cumsum([0, *(subject_count(p) for p in parts)])
        counts = [int(p[GROUP].to_numpy().max(initial=-1)) + 1 for p in parts]
        offsets = np.cumsum([0, *counts]).astype(np.int64)
        lines = np.cumsum([0, *(int(p[LINE].to_numpy().max(initial=-1)) + 1 for p in parts)])

        renumbered = [
            p.assign(
                subject_index=p["subject_index"].to_numpy() + subjects[k],
                **{
                    GROUP: p[GROUP].to_numpy(dtype=np.int64) + offsets[k],
                    LINE: p[LINE].to_numpy(dtype=np.int64) + lines[k],
                },
            )
            for k, p in enumerate(parts)
        ]
        kept = [p for p in renumbered if len(p)] or renumbered[:1]
        rows = pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]
        origin = np.asarray(pd.factorize(rows[ORIGIN].to_numpy(dtype=object))[0], dtype=np.int64)
        rows = rows.assign(origin_code=origin)  # one numbering of the origins for all
        return cls(rows, Groups.of(rows, rows[GROUP].to_numpy(dtype=np.int64)), offsets)

    def claim_groups(self) -> pd.Series[int]:
        """Per claim id, its line and origin (what findings are grouped by)."""
        labels = claim_keys(
            self.rows[LINE].to_numpy(dtype=np.int64),
            self.rows["origin_code"].to_numpy(dtype=np.int64),
        )
        return pd.Series(labels, index=pd.Index(self.rows["claim"].to_numpy(dtype=object)))

    def lines(self) -> Ints:
        """Per group, its line."""
        return np.asarray(self.rows[LINE].to_numpy(dtype=np.int64)[self.groups.first])

    def _counts(self) -> tuple[Ints, Ints]:
        """Per partition: its groups with pairs within, and its pairs of groups of one subject."""
        parts = len(self.offsets) - 1
        at = np.searchsorted(self.offsets, np.arange(len(self.groups)), side="right") - 1
        within = np.bincount(at[self.groups.size >= 2], minlength=parts).astype(np.int64)
        before = np.r_[0, self.groups.sequence().ends].astype(np.int64)  # pairs before a group
        return within, before[self.offsets[1:]] - before[self.offsets[:-1]]

    def pair_count(self) -> int:
        """How many oriented pairs of groups (at most) the tasks decide."""
        within, between = self._counts()
        return int(within.sum() + between.sum())

    def tasks(self, per_task: int) -> list[list[list[Piece]]]:
        """Per partition, its tasks, each a list of pieces of at most ``per_task`` pairs of
        groups in all (a small partition is one task; a hot subject is many)."""
        step = max(1, per_task)
        out = []
        for within, between in zip(*self._counts(), strict=True):
            pieces = [
                Piece("within", a, min(int(within), a + step)) for a in range(0, within, step)
            ]
            pieces += [
                Piece("between", a, min(int(between), a + step)) for a in range(0, between, step)
            ]
            tasks: list[list[Piece]] = []
            held = math.inf
            for piece in pieces:
                if held + piece.size > step:
                    tasks.append([])
                    held = 0
                tasks[-1].append(piece)
                held += piece.size
            out.append(tasks)
        return out

    def notable(self, found: Sequence[pd.DataFrame]) -> pd.DataFrame:
        """The partitions' notable decisions (in partition order), their groups numbered on."""
        parts = [
            f.assign(group_a=f["group_a"] + self.offsets[k], group_b=f["group_b"] + self.offsets[k])
            for k, f in enumerate(found)
            if len(f)
        ]
        return pd.concat(parts, ignore_index=True) if parts else chunks_empty()

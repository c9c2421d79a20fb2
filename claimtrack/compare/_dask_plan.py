"""The Dask engine's plan: subjects cut into partitions, and how much work one task does.

Computed on the client from the claims per subject alone (see :mod:`claimtrack.compare._dask`).
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from claimtrack.compare._policy import ComparePolicy

_MIN_CLAIMS_PER_PARTITION = 20_000
_MAX_CLAIMS_PER_PARTITION = 200_000
_MIN_PAIRS_PER_TASK = 20_000
_TASKS_PER_WORKER = 4


def per_task(total: int, workers: int, policy: ComparePolicy, given: int | None = None) -> int:
    """The most pairs (or pairs of groups) one task decides, of ``total``: ``given``, or about a
    quarter of a worker's share, at least 20,000 and at most ``policy.max_pairs_per_chunk``."""
    if given is None:
        share = math.ceil(total / (_TASKS_PER_WORKER * max(1, workers)))
        given = min(policy.max_pairs_per_chunk, max(_MIN_PAIRS_PER_TASK, share))
    return max(1, int(given))


@attrs.frozen(eq=False)
class Plan:
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


def plan(
    sizes: pd.Series[int],
    workers: int,
    policy: ComparePolicy,
    pairs_per_task: int | None = None,
) -> Plan:
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
    budget = per_task(int(pairs.sum()), workers, policy, pairs_per_task)
    share = math.ceil(int(n.sum()) / (_TASKS_PER_WORKER * max(1, workers)))
    claims_per_partition = min(_MAX_CLAIMS_PER_PARTITION, max(_MIN_CLAIMS_PER_PARTITION, share))
    if not len(names):
        return Plan(np.array([""]), np.zeros(1, dtype=np.int64), budget)
    hot = pairs > budget
    cost = np.maximum(pairs / budget, n / claims_per_partition)
    starts_at = np.floor(np.cumsum(cost) - cost)  # where each subject begins, in tasks of work
    new = np.r_[True, (starts_at[1:] != starts_at[:-1]) | hot[1:] | hot[:-1]]
    first = np.flatnonzero(new)
    return Plan(names[first], np.add.reduceat(pairs, first).astype(np.int64), budget)

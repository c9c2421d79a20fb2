"""Memory guards: the pairs a comparison would hold in memory, counted before the work starts.

Comparing without ``out`` holds every pair (with its reason) in memory; reading pairs back from a
folder (``Comparison.pairs``, ``findings()``, reports, :func:`read_pairs`) holds those read. Both
are counted first, from the claims per subject (``n * (n - 1) / 2`` pairs each: arrays, no loop
per pair or per subject) or from the part files, and more than
``ComparePolicy.max_pairs_in_memory`` is refused with a :class:`TooManyPairsError` that says what
to do instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from claimtrack.compare._decide import Links
from claimtrack.compare._summary import origins
from claimtrack.errors import TooManyPairsError

BYTES_PER_PAIR = 800
"""Memory per pair compared in memory, at its peak (the chunks' frames with reasons while they are
joined): the growth of the peak resident set size of ``compare(frame)`` divided by the pairs, for
synthetic claims nearly all in one subject (``claimtrack._synthetic.synthetic_claims(n, hot=n)``):
820 bytes a pair at 499,499 pairs, 798 at 1,998,992 (Linux, Python 3.11, pandas 3.1). Used for the
estimate in the message only: the limit counts pairs."""

BYTES_PER_PAIR_READ = 1_000
"""Memory per pair read back from a folder with its reason (:func:`read_pairs`): the growth of the
resident set size, 997 bytes a pair for the same claims at 499,499 pairs (the texts of the reasons
are made per pair, where a comparison in memory shares more of its columns' objects)."""


COMPACT_LINKS_AT = 1_000_000
"""Links a part of pairs written to a folder gathers before they are compacted (17 bytes each)."""


def compact_links(links: Links) -> Links:
    """``links`` with the same origins and superseded claims (all the summary reads of them) in
    at most one repeat link per claim joined to a smaller one and one update per superseded
    claim: what a folder's summary holds grows with the claims, not with the pairs.

    Repeats become a link from each claim to the smallest claim of its origin (connected
    components over the repeat links); updates, a link from each superseded claim to itself.
    """
    update = links.update
    superseded = np.unique(links.a[update])
    a, b = links.a[~update], links.b[~update]
    if len(a):
        rows, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
        local = Links(inverse[: len(a)], inverse[len(a) :], np.zeros(len(a), dtype=bool))
        labels = origins(len(rows), local)  # the smallest row of each one's origin
        joined = np.flatnonzero(labels != np.arange(len(rows)))
        a, b = rows[labels[joined]], rows[joined]
    return Links(
        np.concatenate([a, superseded]).astype(np.int64),
        np.concatenate([b, superseded]).astype(np.int64),
        np.r_[np.zeros(len(a), dtype=bool), np.ones(len(superseded), dtype=bool)],
    )


def subject_sizes(subject: Any) -> pd.Series[int]:
    """Claims per subject, from a column of subjects (any order)."""
    sizes: pd.Series[int] = pd.Series(np.asarray(subject, dtype=object)).value_counts(sort=False)
    return sizes


def check_comparing(sizes: pd.Series[int], limit: int | None) -> None:
    """Refuse to compare in memory claims whose subjects (claims per subject in ``sizes``, by
    subject) make more than ``limit`` pairs."""
    if limit is None or not len(sizes):
        return
    n = sizes.to_numpy(dtype=np.int64)
    pairs = int((n * (n - 1) // 2).sum())
    if pairs <= limit:
        return
    largest = int(np.argmax(n))
    raise TooManyPairsError(
        pairs, pairs * BYTES_PER_PAIR, limit, str(sizes.index[largest]), int(n[largest])
    )


def check_reading(
    folder: Path,
    parts: Sequence[Path],
    filters: list[tuple[str, str, Any]],
    limit: int | None,
) -> None:
    """Refuse to read more than ``limit`` pairs of the part files ``parts`` of ``folder`` (those
    ``filters`` select) into memory. The part files' footers give the total at once; only when
    that is over the limit are the selected pairs counted, a row group at a time (the verdict and
    subject columns alone)."""
    if limit is None or not parts:
        return
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    total = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
    if total <= limit:
        return
    selected = total
    if filters:
        expression = None
        for column, _, values in filters:
            condition = ds.field(column).isin(values)
            expression = condition if expression is None else expression & condition
        dataset = ds.dataset([str(p) for p in parts], format="parquet")
        selected = int(dataset.count_rows(filter=expression))
    if selected > limit:
        estimate = selected * BYTES_PER_PAIR_READ
        raise TooManyPairsError(selected, estimate, limit, folder=str(folder))

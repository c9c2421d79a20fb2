"""The work of the Dask engine's tasks on the all-pairs path, and of its shuffle: plain
functions of pandas frames, run on the workers (nothing here imports dask; see
:mod:`claimtrack.compare._dask`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from claimtrack.compare._decide import Links, Tally, compare_range, decide_for_parquet, decide_range
from claimtrack.compare._folder import write_parquet
from claimtrack.compare._grouped_tasks import GROUP, LINE, ORIGIN
from claimtrack.compare._groups import (
    claim_keys,
    group_labels,
    line_labels,
)
from claimtrack.compare._pairs import PairSequence
from claimtrack.compare._policy import ComparePolicy
from claimtrack.compare._prepare import Claims, prepare, subject_table
from claimtrack.compare._provenance import origin_sources
from claimtrack.compare._schema import as_pairs_frame
from claimtrack.compare._summary import check_series, summarise
from claimtrack.compare._vocabulary import DAY_COUNT, VERDICTS

ROW = "_row"
"""The column of a claim's place in the input."""
PART = "_part"
"""The column of a claim's partition."""


def without_units(part: pd.DataFrame) -> pd.DataFrame:
    """A partition of a frame made before units were read, with a ``unit`` column of none."""
    return part.assign(unit=pd.Series(pd.NA, index=part.index, dtype="string"))


def via_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each ``via`` chain (a tuple or list of ids) as the text the kernel reads
    alike, its ids joined by commas: dask turns a column of Python objects into strings, which
    made a tuple its ``repr`` (``"('un',)"``) and so lost every claim's relay."""
    if "via" not in frame.columns:
        return frame
    codes, chains = pd.factorize(frame["via"].map(_chain), use_na_sentinel=True)
    texts = np.array([", ".join(c) if isinstance(c, tuple) else c for c in chains] + [None])
    return frame.assign(via=pd.Series(texts[codes], index=frame.index, dtype=object))


def _chain(value: Any) -> Any:
    """A ``via`` cell as a hashable value: a tuple of ids for a sequence of them."""
    if isinstance(value, list | tuple | np.ndarray):
        return tuple(str(v) for v in value)
    return value


def number_rows(part: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """The row's place in the input: partition number and row number within it."""
    number = int(partition_info["number"]) if partition_info else 0
    rows = (np.int64(number) << np.int64(40)) + np.arange(len(part), dtype=np.int64)
    return part.assign(**{ROW: rows})


def assign_partitions(part: pd.DataFrame, bounds: npt.NDArray[np.str_]) -> pd.DataFrame:
    """The partition of each claim: the last partition whose first subject is not after it."""
    subject = np.asarray(part["subject"].to_numpy(), dtype=object).astype(str)
    target = np.searchsorted(bounds, subject, side="right") - 1
    return part.assign(**{PART: np.maximum(target, 0).astype(np.int64)})


def prepare_partition(
    part: pd.DataFrame, subjects: pd.DataFrame | None, policy: ComparePolicy
) -> pd.DataFrame:
    """A partition of whole subjects as the kernel's prepared frame, rows in input order first."""
    frame = part.sort_values(ROW, kind="stable").reset_index(drop=True).drop(columns=ROW)
    table = subject_table(None, frame) if subjects is None else subjects
    rows = prepare(Claims(frame, frame, table, None), policy).rows  # intervals already re-read
    origin = origin_sources(frame)[rows["row"].to_numpy()]
    return rows.assign(
        **{GROUP: group_labels(rows, frame), LINE: line_labels(rows, frame), ORIGIN: origin}
    )


def claim_groups(prepared: pd.DataFrame) -> pd.DataFrame:
    """Per claim id of a partition, its line (numbered within it) and origin (the source id):
    what findings are grouped by (:func:`all_groups` numbers them for all partitions)."""
    ids = pd.Index(prepared["claim"].to_numpy(dtype=object))
    return pd.DataFrame(
        {"line": prepared[LINE].to_numpy(dtype=np.int64), "origin": prepared[ORIGIN].to_numpy()},
        index=ids,
    )


def all_groups(parts: Sequence[pd.DataFrame]) -> pd.Series[Any]:
    """The lines and origins of every partition's claims as :func:`claim_keys`: lines numbered
    apart (a subject, so a line, is in one), origins (source ids) numbered once for all."""
    line_at = np.cumsum([0, *(int(p["line"].to_numpy().max(initial=-1)) + 1 for p in parts)])
    kept = [p.assign(line=p["line"].to_numpy() + line_at[k]) for k, p in enumerate(parts)]
    kept = [p for p in kept if len(p)]
    if not kept:
        return pd.Series(dtype=np.int64)
    every = pd.concat(kept)
    origin = np.asarray(pd.factorize(every["origin"].to_numpy(dtype=object))[0], dtype=np.int64)
    keys = claim_keys(every["line"].to_numpy(dtype=np.int64), origin)
    return pd.Series(keys, index=every.index)


def compare_pairs(prepared: pd.DataFrame, k0: int, k1: int, policy: ComparePolicy) -> pd.DataFrame:
    sequence = PairSequence.of(prepared["subject_index"].to_numpy())
    return compare_range(prepared, sequence, k0, k1, policy)


Side = tuple[Links, Tally]
"""What the summary needs of a range's pairs: repeat and update links, verdicts per subject."""


def decide_pairs(
    prepared: pd.DataFrame, k0: int, k1: int, policy: ComparePolicy, reasons: str | None
) -> Any:
    """The kept pairs of a range, reasons built as Arrow text (never as Python strings) or not
    at all."""
    sequence = PairSequence.of(prepared["subject_index"].to_numpy())
    return decide_range(prepared, sequence, k0, k1, policy, reasons=reasons)


def compare_range_to_arrow(
    prepared: pd.DataFrame, k0: int, k1: int, policy: ComparePolicy
) -> tuple[Any, Side]:
    """A range's pairs as an Arrow table (cheap to send to the client), and its side."""
    kept = decide_pairs(prepared, k0, k1, policy, "arrow")
    return kept.table(), (kept.links(), kept.tally())


def compare_range_to_parquet(
    prepared: pd.DataFrame, k0: int, k1: int, policy: ComparePolicy, path: str
) -> Side:
    """Compare a range and write its pairs to one part file, as the local engine writes (without
    reasons: they are written when read)."""
    sequence = PairSequence.of(prepared["subject_index"].to_numpy())
    decided = decide_for_parquet(prepared, sequence, k0, k1, policy)
    links, tallies = write_parquet([decided], Path(path))
    return links, tallies[0] if tallies else Tally(0, np.zeros((0, len(VERDICTS)), np.int64))


def pairs_frame(table: Any) -> pd.DataFrame:
    """An Arrow table of pairs as the local engine's pairs frame (as ``Comparison.pairs`` reads
    a Parquet file back)."""
    return as_pairs_frame(table.to_pandas())


def summarise_ranges(prepared: pd.DataFrame, sides: Sequence[Side]) -> pd.DataFrame:
    """The subjects table of one partition, from its prepared claims and its ranges' sides."""
    links = Links.join(side[0] for side in sides)
    blocks = prepared["subject_index"].to_numpy()
    tally = Tally.total((side[1] for side in sides), int(blocks.max(initial=-1)) + 1)
    return summarise(prepared, links, tally)


def partition_series(prepared: pd.DataFrame, policy: ComparePolicy) -> pd.DataFrame:
    """Series checks of a partition of a claims frame (no series starts: each count on its own)."""
    return check_series(prepared, prepared, policy)


def series_rows(prepared: pd.DataFrame, start_subjects: frozenset[str]) -> pd.DataFrame:
    """The prepared claims a series check reads: day counts, and claims on a series' start."""
    keep = (prepared["kind"] == DAY_COUNT) | prepared["subject"].isin(list(start_subjects))
    return prepared[keep.to_numpy()]


def nonempty_concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [f for f in frames if len(f)]
    if not kept:
        return frames[0]
    return pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]


def concat_series(checks: list[pd.DataFrame]) -> pd.DataFrame:
    series = nonempty_concat(checks)
    keys = ["series", "claim", "start_claim"]
    return series.sort_values(keys, kind="stable", ignore_index=True)

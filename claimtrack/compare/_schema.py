"""The one schema of what a comparison writes: the pairs, the subjects table, the series checks,
and the claim columns it reads.

Each pair column is declared once (:data:`PAIRS`), with what it holds; the column order, the
pandas dtypes, the Arrow schema of the part files and which columns are dictionary-encoded,
nullable or have statistics are all derived from it.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack.compare._vocabulary import Verdict
from claimtrack.frame import date_columns


@attrs.frozen
class PairColumn:
    """A column of a pairs frame.

    ``holds``: ``"name"`` (ids, subjects, kinds, verdicts, rules: object texts, written as Arrow
    dictionary arrays that read back as categoricals), ``"text"``, ``"flag"`` (``bool``),
    ``"maybe"`` (pandas ``boolean``: a flag that may be missing) or ``"number"`` (``float64``).
    ``nullable``: may be missing (the others are written as required Parquet columns: no
    definition level per value, which makes writing about a sixth cheaper; a missing value in one
    is an error, not a null). ``dictionary``: written with dictionary encoding (names, and numbers
    with few distinct values: dictionary pages are about half the size of plain ones, no slower).
    ``statistics``: written with min/max statistics per row group (see :data:`FILTER_COLUMNS`).
    """

    name: str
    holds: str
    nullable: bool = False
    dictionary: bool = False
    statistics: bool = False
    stored: bool = True
    """Whether the part files hold it (reasons are written when the pairs are read)."""

    @property
    def dtype(self) -> Any:
        """The pandas dtype of the column in a pairs frame."""
        return _DTYPES[self.holds]

    def arrow_type(self) -> Any:
        """The Arrow type of the column in a part file (needs ``pyarrow``)."""
        import pyarrow as pa

        types = {
            "name": pa.dictionary(pa.int32(), pa.large_string()),
            "text": pa.large_string(),
            "flag": pa.bool_(),
            "maybe": pa.bool_(),
            "number": pa.float64(),
        }
        return types[self.holds]


_DTYPES: dict[str, Any] = {
    "name": object,
    "text": object,
    "flag": bool,
    "maybe": "boolean",
    "number": "float64",
}

PAIRS = (
    PairColumn("claim_a", "name", dictionary=True),
    PairColumn("claim_b", "name", dictionary=True),
    # pairs are written in subject order: row groups are skipped by their subjects' statistics
    PairColumn("subject", "name", dictionary=True, statistics=True),
    PairColumn("kind", "name", nullable=True, dictionary=True),  # a subject without a kind
    # not statistics for verdicts: nearly every row group holds every verdict, so they would cost
    # writing time (about 5% of it) and skip nothing; selecting by verdict filters rows
    PairColumn("verdict", "name", dictionary=True),
    PairColumn("rule", "name", dictionary=True),
    PairColumn("reason", "text", nullable=True, stored=False),
    PairColumn("overlap", "maybe", nullable=True),  # an overlap that does not apply
    PairColumn("relative_gap", "number"),
    PairColumn("days_apart", "number", dictionary=True),
    PairColumn("same_claimant", "flag"),
    PairColumn("same_publisher", "flag"),
    PairColumn("same_source", "flag"),
    PairColumn("quote_similarity", "number", dictionary=True),
    # the declared link a pair of claims of two subjects is compared across (missing within one)
    PairColumn("link", "name", nullable=True, dictionary=True),
)
"""The columns of a pairs frame, in order."""

PAIR_COLUMNS = tuple(c.name for c in PAIRS)
"""The names of the columns of a pairs frame, in order."""
STORED_COLUMNS = tuple(c.name for c in PAIRS if c.stored)
"""The pair columns stored in the part files (all but ``reason``)."""
DICTIONARY_COLUMNS = tuple(c.name for c in PAIRS if c.dictionary)
"""Columns written with dictionary encoding. The names are dictionary arrays, and read back as
categoricals; the numbers read back as floats."""
FILTER_COLUMNS = tuple(c.name for c in PAIRS if c.statistics)
"""Columns with min/max statistics per row group, so :func:`read_pairs` skips row groups by them."""
NULLABLE_COLUMNS = frozenset(c.name for c in PAIRS if c.nullable)
"""The pair columns that may be missing."""


def pair_schema(reasons: bool = True) -> Any:
    """The Arrow schema of pairs written to Parquet: names dictionary-encoded, only the columns
    of :data:`NULLABLE_COLUMNS` nullable; without the ``reason`` column unless ``reasons``."""
    import pyarrow as pa

    return pa.schema(
        [
            pa.field(c.name, c.arrow_type(), nullable=c.nullable)
            for c in PAIRS
            if reasons or c.name != "reason"
        ]
    )


def empty_pairs() -> pd.DataFrame:
    """A pairs frame with no rows and the right columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in PAIRS})


def as_pairs_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs read from Arrow or Parquet (names as categoricals, flags that may be missing as
    plain bools or objects) with the dtypes of a pairs frame."""
    converted = {c.name: c.dtype for c in PAIRS if c.holds in ("name", "text", "maybe")}
    frame = frame.astype({name: dtype for name, dtype in converted.items() if name in frame})
    if "link" in frame:  # a pair within one subject has no link: None, as in memory
        link = frame["link"].to_numpy(dtype=object).copy()
        link[np.asarray(pd.isna(link), dtype=bool)] = None
        frame["link"] = pd.Series(link, index=frame.index, dtype=object)
    return frame


def concat_pairs(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    """Chunks of pairs as one pairs frame (the chunk itself when there is one)."""
    kept = [c for c in chunks if len(c)]
    if not kept:
        return empty_pairs()
    return pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]


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
"""The columns of the subjects table of a comparison, in order."""

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
    "same_source",
    "reason",
)
"""The columns of the series checks of a comparison, in order (``same_source``: whether the count
and the claim stating the start come from one source; missing without a stated start)."""

KERNEL_COLUMNS = (
    "claim",
    "subject",
    "kind",
    "varies",
    "source",
    "publisher",
    "republishes",
    "claimant",
    "via",
    "attribution",
    "section",
    "quote",
    "low",
    "high",
    "unit",
    "text",
    "additional",
    "ordinal",
    "day_unit",
    "speaker",
    "stance",
    *date_columns("as_of", "stated", "published"),
    "date_start",
    "date_end",
)
"""The columns of a claims frame the comparison reads."""

OPTIONAL_KERNEL_COLUMNS = frozenset({"varies", "republishes", "via", "attribution", "unit"})
"""Columns of :data:`KERNEL_COLUMNS` a frame may lack (one written before they were read, a
Parquet file of an earlier release): missing, a subject's kind of time follows from its kind and
unit, and no claim republishes, relays or is hedged."""


def kernel_columns(columns: Any) -> list[str]:
    """The columns of :data:`KERNEL_COLUMNS` to read of a frame with ``columns``: all but the
    optional ones it lacks, and the :data:`ADDED_COLUMNS` it has."""
    present = set(columns)
    read = [c for c in KERNEL_COLUMNS if c in present or c not in OPTIONAL_KERNEL_COLUMNS]
    return read + [c for c in ADDED_COLUMNS if c in present]


ADDED_COLUMNS = ("origin_publisher",)
"""Columns the comparison adds to the claims before it prepares them (the publisher of the report
a republication reprints): read with :data:`KERNEL_COLUMNS` where they are."""

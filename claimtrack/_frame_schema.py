"""The columns of a claims frame: names, groups and their order (see :mod:`claimtrack.frame`)."""

from __future__ import annotations

DATE_FIELDS = ("as_of", "stated", "date", "published")
"""Date columns come in groups: ``<name>_start``, ``<name>_end``, ``<name>_precision``, ``<name>_written``."""

DATE_PARTS = ("start", "end", "precision", "written")
"""The columns of one date field, as ``<name>_<part>``."""


def date_columns(*names: str) -> tuple[str, ...]:
    """The columns of these date fields: ``as_of_start``, ``as_of_end``, ... in field order."""
    return tuple(f"{name}_{part}" for name in names for part in DATE_PARTS)


CATEGORY_COLUMNS = (
    "subject",
    "kind",
    "varies",
    "source",
    "publisher",
    "republishes",
    "claimant",
    "attribution",
    "section",
    "hedge",
    "day_unit",
    "speaker",
    "stance",
    "mode",
    *(f"{name}_precision" for name in DATE_FIELDS),
)
STRING_COLUMNS = ("claim", "quote", "unit", "text", "notes", *(f"{n}_written" for n in DATE_FIELDS))
FLOAT_COLUMNS = ("low", "high", "value")
LIST_COLUMNS = ("co_claimants", "via", "co_speakers")
"""Columns whose cells are tuples of entity ids (empty: none)."""
COLUMNS = (
    "claim",
    "subject",
    "kind",
    "varies",
    "source",
    "publisher",
    "republishes",
    "claimant",
    "co_claimants",
    "via",
    "attribution",
    "section",
    "quote",
    "low",
    "high",
    "value",
    "hedge",
    "unit",
    "text",
    "additional",
    "ordinal",
    "day_unit",
    "speaker",
    "co_speakers",
    "stance",
    "mode",
    *date_columns(*DATE_FIELDS),
    "notes",
)
"""The columns of a claims frame, in order."""

"""The CSV export: one row per claim with its provenance, formula cells neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from claimtrack._write import write_atomic
from claimtrack.claimset import ClaimSet
from claimtrack.export._rows import COLUMNS, safe_rows


def csv_text(claims: ClaimSet) -> str:
    """The CSV export as text (a header row, then one row per claim)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(safe_rows(claims))
    return buffer.getvalue()


def write_csv(claims: ClaimSet, path: Path) -> list[Path]:
    return [write_atomic(path, csv_text(claims))]

"""Exports of claims for other tools, and the import of spreadsheets of claims.

One front door: :func:`export` writes a ClaimSet (or a claims folder) in one of
:data:`EXPORT_FORMATS`, each by a private module of this package; :func:`import_csv` reads a CSV
with the columns of the ``csv`` export (:data:`CSV_COLUMNS`) into new claim files of a project.

- ``csv``: one row per claim with its source's provenance, for spreadsheets; cells a spreadsheet
  would run as formulas are neutralised with a leading ``'``.
- ``xlsx``: the same in an Excel workbook (needs ``claimtrack[xlsx]``).
- ``claimreview``: schema.org ``Claim`` items as JSON-LD with an inline context.
- ``prov``: W3C PROV-JSON (needs ``claimtrack[prov]``).
- ``datapackage``: a Frictionless data package, a folder of CSVs with ``datapackage.json``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from claimtrack.claimset import ClaimSet
from claimtrack.errors import ExportError
from claimtrack.export._csv import write_csv
from claimtrack.export._datapackage import write_datapackage
from claimtrack.export._import import import_csv
from claimtrack.export._jsonld import write_jsonld
from claimtrack.export._prov import write_prov
from claimtrack.export._rows import COLUMNS as CSV_COLUMNS
from claimtrack.export._xlsx import write_xlsx
from claimtrack.load import load

__all__ = ["CSV_COLUMNS", "EXPORT_FORMATS", "ExportError", "export", "import_csv"]

_WRITERS: dict[str, Callable[[ClaimSet, Path], list[Path]]] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "claimreview": write_jsonld,
    "prov": write_prov,
    "datapackage": write_datapackage,
}

EXPORT_FORMATS = tuple(_WRITERS)
"""The formats :func:`export` writes."""


def export(
    claims: ClaimSet | str | os.PathLike[str], path: str | os.PathLike[str], *, format: str
) -> list[Path]:
    """Write ``claims`` (a ClaimSet, or a claims folder to load) to ``path`` in ``format`` and
    return the files written. ``datapackage`` writes a folder (``path``) of files; the others one
    file. Files are replaced atomically."""
    if format not in _WRITERS:
        raise ExportError(
            str(path), f"unknown format {format!r}; expected one of {', '.join(EXPORT_FORMATS)}"
        )
    target = Path(path)
    if format == "datapackage":
        if target.exists() and not target.is_dir():
            raise ExportError(str(target), "is a file: a data package is written to a folder")
    elif target.is_dir():
        raise ExportError(str(target), "is a folder: give a file name")
    elif not target.parent.is_dir():
        raise ExportError(str(target), f"cannot write it: no folder {str(target.parent)!r}")
    loaded = claims if isinstance(claims, ClaimSet) else load(claims)
    try:
        return _WRITERS[format](loaded, target)
    except OSError as exc:
        raise ExportError(str(target), f"cannot write it ({exc.strerror or exc})") from None

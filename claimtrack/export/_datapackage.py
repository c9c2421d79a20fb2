"""The Frictionless data package export: ``datapackage.json`` and one CSV per table (claims,
sources, subjects, entities), each with a Table Schema, primary and foreign keys.

Cells are written verbatim (no formula neutralising: a data package is read by data tools, and
its values must be the claims' own); open the ``csv`` export in a spreadsheet instead.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from claimtrack._write import write_atomic
from claimtrack.claimset import ClaimSet
from claimtrack.export._rows import (
    CLAIM_COLUMNS,
    INTEGER_COLUMNS,
    LIST_SEPARATOR,
    NUMBER_COLUMNS,
    SOURCE_COLUMNS,
    claim_row,
    source_row,
)

DESCRIPTOR = "datapackage.json"
SUBJECT_COLUMNS = ("id", "label", "kind", "description", "unit", "start_of")
ENTITY_COLUMNS = ("id", "name", "kind", "aliases")

_DESCRIPTIONS = {
    "claim": "The claim's id",
    "source": "Id of the source (sources.id) the claim is found in",
    "subject": "Id of the subject (subjects.id) the claim is about",
    "kind": "quantity, day_count, event_date or statement",
    "claimant": "Entity id (entities.id) of who asserts it",
    "via": f"Entity ids of the intermediaries, nearest the claimant first, separated by '{LIST_SEPARATOR}'",
    "quote": "The verbatim span of the source's text that carries the claim",
    "text": "The quantity or day count as written",
    "low": "Lowest value of the quantity's interval (empty: open)",
    "high": "Highest value of the quantity's interval (empty: open)",
    "value": "The central value of the quantity, if stated",
    "as_of": "When the value holds (ISO 8601 date, month, year or start/end)",
    "stated": "When the claimant said it (ISO 8601)",
}


def _type(column: str) -> str:
    if column in NUMBER_COLUMNS:
        return "number"
    if column in INTEGER_COLUMNS:
        return "integer"
    if column == "additional":
        return "boolean"
    return "string"


def _schema(
    columns: Sequence[str],
    key: str,
    foreign: Mapping[str, str] = {},
) -> dict[str, Any]:
    fields = []
    for column in columns:
        field: dict[str, Any] = {"name": column, "type": _type(column)}
        if column in _DESCRIPTIONS:
            field["description"] = _DESCRIPTIONS[column]
        if column == key:
            field["constraints"] = {"required": True, "unique": True}
        fields.append(field)
    return {
        "fields": fields,
        "primaryKey": [key],
        "missingValues": [""],
        "foreignKeys": [
            {"fields": [column], "reference": {"resource": table, "fields": ["id"]}}
            for column, table in foreign.items()
        ],
    }


def _csv(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _name(folder: Path) -> str:
    name = re.sub(r"[^a-z0-9._-]+", "-", folder.name.lower()).strip("-._")
    return name or "claims"


def tables(claims: ClaimSet) -> dict[str, tuple[Sequence[str], list[dict[str, str]]]]:
    """The four tables of the package: name -> (columns, rows of text cells)."""
    subjects = [
        {
            "id": s.id,
            "label": s.label,
            "kind": s.kind.value,
            "description": s.description,
            "unit": s.unit or "",
            "start_of": s.start_of or "",
        }
        for s in claims.subjects.values()
    ]
    entities = [
        {
            "id": e.id,
            "name": e.name,
            "kind": e.kind.value,
            "aliases": LIST_SEPARATOR.join(e.aliases),
        }
        for e in claims.entities
    ]
    return {
        "claims": (CLAIM_COLUMNS, [claim_row(c) for c in claims]),
        "sources": (SOURCE_COLUMNS, [source_row(s) for s in claims.sources.values()]),
        "subjects": (SUBJECT_COLUMNS, subjects),
        "entities": (ENTITY_COLUMNS, entities),
    }


_KEYS = {
    "claims": ("claim", {"source": "sources", "subject": "subjects", "claimant": "entities"}),
    "sources": ("id", {"publisher": "entities"}),
    "subjects": ("id", {}),
    "entities": ("id", {}),
}


def descriptor(claims: ClaimSet, name: str = "claims") -> dict[str, Any]:
    """The ``datapackage.json`` of the export."""
    resources = []
    for table, (columns, _rows) in tables(claims).items():
        key, foreign = _KEYS[table]
        resources.append(
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(columns, key, foreign),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": "Claims exported by claimtrack",
        "resources": resources,
    }


def write_datapackage(claims: ClaimSet, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table, (columns, rows) in tables(claims).items():
        written.append(write_atomic(folder / f"{table}.csv", _csv(columns, rows)))
    text = json.dumps(descriptor(claims, _name(folder)), ensure_ascii=False, indent=2) + "\n"
    written.append(write_atomic(folder / DESCRIPTOR, text))
    return written

"""The XLSX export (needs claimtrack[xlsx]): the CSV's columns in one sheet, numbers as numbers."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from claimtrack._write import write_atomic
from claimtrack.claimset import ClaimSet
from claimtrack.errors import MissingExtraError
from claimtrack.export._rows import COLUMNS, INTEGER_COLUMNS, NUMBER_COLUMNS, safe_rows

# Characters XLSX cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): C0 controls but tab and newlines.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(column: str, text: str) -> Any:
    if text == "":
        return None
    if column in NUMBER_COLUMNS:
        return float(text)
    if column in INTEGER_COLUMNS:
        return int(text)
    return _ILLEGAL.sub("\ufffd", text)


def write_xlsx(claims: ClaimSet, path: Path) -> list[Path]:
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped]
    except ImportError:
        raise MissingExtraError("the XLSX export", "xlsx") from None
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "claims"
    sheet.append(list(COLUMNS))
    for row in safe_rows(claims):
        sheet.append([_cell(c, row[c]) for c in COLUMNS])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return [write_atomic(path, buffer.getvalue())]

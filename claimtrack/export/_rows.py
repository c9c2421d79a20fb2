"""Claims as flat rows of text cells, and back: the column set of the CSV, XLSX and data-package
exports, and of ``claimtrack import csv``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from claimtrack.claim import Claim, DayCount, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate
from claimtrack.quantity import Estimate
from claimtrack.source import Source

CLAIM_COLUMNS = (
    "claim",
    "source",
    "subject",
    "kind",
    "claimant",
    "via",
    "quote",
    "section",
    "text",
    "low",
    "high",
    "value",
    "hedge",
    "unit",
    "additional",
    "ordinal",
    "day_unit",
    "date",
    "date_written",
    "speaker",
    "stance",
    "mode",
    "as_of",
    "as_of_written",
    "stated",
    "stated_written",
    "notes",
)
"""The columns of one claim."""

SOURCE_COLUMNS = (
    "id",
    "title",
    "publisher",
    "published",
    "url",
    "authors",
    "language",
    "text_file",
    "text_sha256",
    "notes",
)
"""The columns of one source (prefixed ``source_`` in the one-table exports)."""

COLUMNS = (*CLAIM_COLUMNS, *(f"source_{c}" for c in SOURCE_COLUMNS if c != "id"))
"""The columns of the CSV and XLSX exports: a claim, then its source's provenance."""

NUMBER_COLUMNS = frozenset({"low", "high", "value"})
INTEGER_COLUMNS = frozenset({"ordinal"})
LIST_SEPARATOR = "; "

Row = dict[str, str]


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def _date(value: FuzzyDate | None) -> tuple[str, str]:
    if value is None:
        return "", ""
    return value.iso(), value.written or ""


def claim_row(claim: Claim) -> Row:
    """One claim as text cells ('' for nothing), by :data:`CLAIM_COLUMNS`."""
    row = dict.fromkeys(CLAIM_COLUMNS, "")
    row.update(
        claim=claim.id,
        source=claim.source,
        subject=claim.subject,
        kind=claim.kind.value,
        claimant=claim.claimant,
        via=LIST_SEPARATOR.join(claim.via),
        quote=claim.quote,
        section=claim.section.value,
        notes=claim.notes or "",
    )
    row["as_of"], row["as_of_written"] = _date(claim.as_of)
    row["stated"], row["stated_written"] = _date(claim.stated)
    value = claim.value
    if isinstance(value, Estimate):
        row.update(
            text=value.text or "",
            low=_number(value.low),
            high=_number(value.high),
            value=_number(value.value),
            hedge=value.hedge.value,
            unit=value.unit or "",
            additional="true" if value.additional else "false",
        )
    elif isinstance(value, DayCount):
        row.update(text=value.text or "", ordinal=str(value.ordinal), day_unit=value.unit.value)
    elif isinstance(value, FuzzyDate):
        row["date"], row["date_written"] = _date(value)
    elif isinstance(value, Statement):
        row.update(speaker=value.speaker, stance=value.stance.value, mode=value.mode.value)
    return row


def source_row(source: Source) -> Row:
    """One source as text cells, by :data:`SOURCE_COLUMNS`."""
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published.iso(),
        "url": source.url or "",
        "authors": LIST_SEPARATOR.join(source.authors),
        "language": source.language,
        "text_file": source.text_file or "",
        "text_sha256": source.text_sha256 or "",
        "notes": source.notes or "",
    }


def rows(claims: ClaimSet) -> Iterator[Row]:
    """One row per claim, by :data:`COLUMNS`, in file order."""
    for claim in claims:
        row = claim_row(claim)
        source = source_row(claims.source(claim.source))
        row.update({f"source_{k}": v for k, v in source.items() if k != "id"})
        yield row


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(column: str, cell: str) -> str:
    """A text cell that a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+``, ``-``,
    ``@``, a tab or carriage return first) gets a ``'`` in front; so does one that starts with
    ``'`` itself, so that :func:`restore` gives every cell back. Number cells are left alone."""
    if column in NUMBER_COLUMNS or column in INTEGER_COLUMNS:
        return cell
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def restore(column: str, cell: str) -> str:
    """The cell :func:`neutralise` was given."""
    if column in NUMBER_COLUMNS or column in INTEGER_COLUMNS:
        return cell
    return cell[1:] if cell.startswith("'") else cell


def safe_rows(claims: ClaimSet) -> Iterator[Mapping[str, str]]:
    """:func:`rows`, every cell neutralised."""
    for row in rows(claims):
        yield {k: neutralise(k, v) for k, v in row.items()}

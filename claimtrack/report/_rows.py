"""The report's tables as plain cells, for the renderers that draw them with tabulate (text and
Markdown): which columns each table has and what goes in them. The cells are unescaped text;
each renderer wraps or escapes them for its format. The HTML renderer builds its own cells,
with links.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimtrack.report._lines import ClaimLine, PairLine
from claimtrack.report._model import OVERVIEW_HEADERS, ReportModel

Table = tuple[list[str], list[list[str]]]
"""A table: its column headers and its rows of cells."""


def claim_rows(lines: Sequence[ClaimLine], *, quotes: bool) -> Table:
    """The claims of one subject: value as written, interval, who, as of, source (and, with
    ``quotes``, the claim id and its quote)."""
    headers = ["#", "as written", "interval", "who", "as of", "source"]
    rows = [[c.ref, c.written, c.interval, c.who, c.as_of, c.source_text] for c in lines]
    if quotes:
        _add_quotes(headers, rows, lines)
    return headers, rows


def single_rows(lines: Sequence[ClaimLine], *, quotes: bool) -> Table:
    """The claims of subjects with one claim each: like :func:`claim_rows`, with the subject
    instead of the interval."""
    headers = ["#", "subject", "as written", "who", "as of", "source"]
    rows = [[c.ref, c.claim.subject, c.written, c.who, c.as_of, c.source_text] for c in lines]
    if quotes:
        _add_quotes(headers, rows, lines)
    return headers, rows


def _add_quotes(headers: list[str], rows: list[list[str]], lines: Sequence[ClaimLine]) -> None:
    headers += ["claim", "quote"]
    for row, c in zip(rows, lines, strict=True):
        row += [c.claim.id, f"“{c.claim.quote}”"]


def pair_rows(pairs: Sequence[PairLine]) -> Table:
    """The compared pairs of one subject: verdict, the two claims' numbers, the reason."""
    rows = [[p.verdict, f"{p.a.ref} ↔ {p.b.ref}", p.reason] for p in pairs]
    return ["verdict", "claims", "reason"], rows


def source_rows(model: ReportModel, *, urls: bool) -> Table:
    """The sources of the claims shown: id, publication date, publisher, title (and url)."""
    rows = []
    for s in model.sources:
        publisher = model.claims.entities.get(s.publisher).name
        row = [s.id, s.published.iso(), publisher, s.title]
        rows.append([*row, s.url or ""] if urls else row)
    headers = ["source", "published", "publisher", "title"]
    return ([*headers, "url"] if urls else headers), rows


def overview_rows(model: ReportModel) -> Table:
    """The overview of a report that leaves something out: one row per subject shown in full."""
    return list(OVERVIEW_HEADERS), [row.cells() for row in model.overview]

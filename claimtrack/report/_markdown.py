"""The report as GitHub Markdown: every text goes through :func:`md_escape`, tables by tabulate.

:func:`md_escape` is :func:`claimtrack._safe_text.markdown_text`, the one Markdown escape (also
used by the command line's Markdown tables). Ids are written as code spans (:func:`_code`): an id
is a slug (``[a-z0-9][a-z0-9._:-]*``), so it cannot close the span, and inside one a backslash
escape would show.
"""

from __future__ import annotations

from tabulate import tabulate

from claimtrack._safe_text import markdown_code, markdown_text
from claimtrack.report._cells import kind_text
from claimtrack.report._groups import finding_claims
from claimtrack.report._model import FINDING_TITLES, ReportModel
from claimtrack.report._rows import (
    Table,
    claim_rows,
    overview_rows,
    pair_rows,
    single_rows,
    source_rows,
)

md_escape = markdown_text
"""Text as literal Markdown: ``|`` cannot end a table cell, ``<b>`` is not HTML, ``*`` is a star."""

_code = markdown_code
"""An id as a code span (ids are slugs: no backtick can end the span)."""


def markdown(model: ReportModel) -> str:
    """The report as GitHub Markdown; text from claim files is escaped."""
    e = md_escape
    out: list[str] = ["# Claims report", ""]
    out.append(e(model.headline()))
    if model.selection:
        out += ["", f"Selection: {e(model.selection)}."]
    out += ["", e(model.findings_line()), "", e(model.verdicts_line())]
    out += [line for note in model.notes for line in ("", e(note))]
    for verdict, found in model.findings_by_verdict():
        title = FINDING_TITLES[verdict][1].capitalize()
        out += ["", f"## {e(title)} ({e(verdict.value)})", ""]
        for f in found:
            listed = finding_claims(f, _code)
            status = f"  \n  *status: {e(f.status())}*" if f.status() else ""
            out.append(f"- **{e(f.subject.id)}**: {e(f.reason)}  \n  {listed}{status}")
        if more := model.more_findings_line(verdict):
            out += ["", e(more)]
    if model.compared:
        out += ["", "## Subjects with more than one claim"]
    if model.overview:
        out += ["", _table(overview_rows(model))]
        if more := model.more_subjects_line():
            out += ["", e(more)]
    for part in model.compared:
        out += ["", f"### {e(part.subject.label)} ({_code(part.subject.id)})", ""]
        out.append(e(f"{kind_text(part.subject)}. {part.facts()}."))
        out += ["", f"> {e(part.subject.description)}"]
        if part.latest:
            out += ["", f"Latest per claimant: {e(part.latest)}."]
        if part.shared:
            out += ["", f"One origin: {e(part.shared)}."]
        out += ["", _table(claim_rows(part.claims, quotes=True))]
        if more := part.more_claims_line():
            out += ["", e(more)]
        if part.pairs:
            out += ["", _table(pair_rows(part.pairs))]
        if more := part.more_pairs_line():
            out += ["", e(more)]
        out += [line for check in part.series for line in ("", e(check))]
    if model.single:
        single = _table(single_rows(model.single, quotes=True))
        out += ["", "## Subjects with one claim", "", single]
        if more := model.more_single_line():
            out += ["", e(more)]
        out += [line for check in model.single_series for line in ("", e(check))]
    out += ["", "## Sources", "", _table(source_rows(model, urls=True))]
    return "\n".join(out) + "\n"


def _table(table: Table) -> str:
    """A GitHub table, every cell escaped (a ``|`` in a cell does not end it; the headers are
    claimtrack's own)."""
    headers, rows = table
    return tabulate(
        [[md_escape(cell) for cell in row] for row in rows],
        headers=headers,
        tablefmt="github",
        disable_numparse=True,
    )

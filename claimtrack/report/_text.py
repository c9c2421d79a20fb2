r"""The report as plain text for a terminal: prose wrapped at :data:`WIDTH`, tables by tabulate.

Text is written as it is in the claim files, except that every text goes through
:func:`claimtrack._safe_text.plain_text` before it is wrapped or laid out in a table: control, bidi
and zero-width characters are shown as escapes (``\x1b``, ``\u202e``), so nothing in a claim file
can control the terminal, and tables keep their widths.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from tabulate import tabulate

from claimtrack._safe_text import plain_text
from claimtrack.report._cells import kind_text
from claimtrack.report._groups import finding_claims
from claimtrack.report._lines import ClaimLine
from claimtrack.report._model import FINDING_TITLES, ReportModel
from claimtrack.report._rows import (
    Table,
    claim_rows,
    overview_rows,
    pair_rows,
    single_rows,
    source_rows,
)

WIDTH = 100
"""The width text reports wrap at."""


def text(model: ReportModel) -> str:
    """The report as plain text for a terminal (tables by tabulate, prose wrapped at 100)."""
    out: list[str] = ["Claims report", "=" * len("Claims report"), ""]
    out += _wrap(model.headline())
    if model.selection:
        out += _wrap(f"Selection: {model.selection}.")
    out += _wrap(model.findings_line())
    out += _wrap(model.verdicts_line())
    for note in model.notes:
        out += _wrap(note)
    for verdict, found in model.findings_by_verdict():
        title = FINDING_TITLES[verdict][1].capitalize() + f" ({verdict.value})"
        out += ["", title, "-" * len(title)]
        for f in found:
            out.append("")
            out += _wrap(f"{f.subject.id}: {f.reason}", indent="  ", hang="  ")
            out += _wrap(finding_claims(f), indent="    ", hang="      ")
            if f.status():
                out += _wrap(f"status: {f.status()}", indent="    ", hang="      ")
        if more := model.more_findings_line(verdict):
            out += ["", *_wrap(more, indent="  ", hang="  ")]
    if model.compared:
        out += ["", "", "Subjects with more than one claim", "=" * 33]
    if model.overview:
        out += ["", _table(overview_rows(model), [30, None, None, None, None, 30, None])]
        if more := model.more_subjects_line():
            out += ["", *_wrap(more)]
    for part in model.compared:
        title = plain_text(f"{part.subject.id}: {part.subject.label}")
        out += ["", title, "-" * min(len(title), WIDTH), ""]
        out += _wrap(f"{kind_text(part.subject)}. {part.facts()}.")
        out += _wrap(part.subject.description)
        if part.latest:
            out += _wrap(f"Latest per claimant: {part.latest}.")
        if part.shared:
            out += _wrap(f"One origin: {part.shared}.")
        out += ["", _table(claim_rows(part.claims, quotes=False), [None, 24, 19, 28, 22, 30]), ""]
        out += _quote_list(part.claims)
        if more := part.more_claims_line():
            out += ["", *_wrap(more)]
        if part.pairs:
            out += ["", _table(pair_rows(part.pairs), [None, None, 78])]
        if more := part.more_pairs_line():
            out += ["", *_wrap(more)]
        for check in part.series:
            out += ["", *_wrap(check)]
    if model.single:
        out += ["", "", "Subjects with one claim", "=" * 23, ""]
        out += [_table(single_rows(model.single, quotes=False), [None, 26, 22, 24, 16, 26]), ""]
        out += _quote_list(model.single)
        if more := model.more_single_line():
            out += ["", *_wrap(more)]
        for check in model.single_series:
            out += ["", *_wrap(check)]
    sources = source_rows(model, urls=False)  # addresses go under the table, to be copied whole
    out += ["", "", "Sources", "=" * 7, "", _table(sources, [30, 21, 24, 40])]
    urls = [plain_text(f"{s.id}: {s.url}") for s in model.sources if s.url]
    if urls:
        out += ["", *urls]
    return "\n".join(out) + "\n"


def _wrap(value: str, *, indent: str = "", hang: str | None = None) -> list[str]:
    """``value`` made plain and wrapped at :data:`WIDTH`."""
    return textwrap.wrap(
        plain_text(value),
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if hang is None else hang,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _table(table: Table, widths: Sequence[int | None]) -> str:
    """A tabulate table whose cells are made plain and wrapped at the column ``widths``
    (``None``: unwrapped)."""
    headers, rows = table
    wrapped = [
        [
            plain_text(cell) if width is None else _cell_wrap(plain_text(cell), width)
            for cell, width in zip(row, widths, strict=True)
        ]
        for row in rows
    ]
    return tabulate(wrapped, headers=headers, tablefmt="simple", disable_numparse=True)


def _cell_wrap(cell: str, width: int) -> str:
    return "\n".join(
        textwrap.wrap(cell, width, break_long_words=True, break_on_hyphens=True) or [""]
    )


def _quote_list(lines: Sequence[ClaimLine]) -> list[str]:
    out = []
    for c in lines:
        out += _wrap(f"{c.ref} {c.claim.id}: “{c.claim.quote}”", hang="    ")
    return out

"""How a :class:`~claimtrack.compare.Comparison` shows itself in a notebook: HTML tables of its
findings and of its subjects, every cell escaped by :func:`claimtrack._safe_text.html_table`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from claimtrack._safe_text import html_table

if TYPE_CHECKING:  # the result module imports this one
    from claimtrack.compare._result import Comparison

MAX_ROWS = 50
"""The most rows a table shows before "and N more"."""


def comparison_html(comparison: Comparison, max_rows: int = MAX_ROWS) -> str:
    """The grouped findings (verdict, subject, a pair of their claims, how many pairs, the reason) and the subjects with more than
    one claim (claims, claimants, independent origins, consensus), at most ``max_rows`` rows each."""
    found = comparison.findings()
    n = len(found)
    shown = found.head(max_rows)
    findings = html_table(
        f"{n} finding{'s' if n != 1 else ''}",
        ["verdict", "subject", "claim a", "claim b", "pairs", "reason"],
        _rows(shown, ["verdict", "subject", "claim_a", "claim_b", "n_pairs", "reason"]),
        total=n,
    )
    subjects = comparison.subjects
    compared = subjects[subjects["claims"] > 1]
    top = compared.head(max_rows)
    table = html_table(
        f"{len(compared)} subject{'s' if len(compared) != 1 else ''} with more than one claim",
        ["subject", "kind", "claims", "claimants", "independent origins", "consensus"],
        _rows(top, ["subject", "kind", "claims", "claimants", "origins", "consensus"]),
        total=len(compared),
    )
    return findings + table


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[list[object]]:
    """The cells of ``columns`` of ``frame``, row by row."""
    return [list(row) for row in zip(*(frame[c] for c in columns), strict=True)]

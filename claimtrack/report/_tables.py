"""The command line's plain tables: claims, quote and text checks, comparison findings (tabulate).

``claimtrack list``, ``verify`` and ``compare`` print these; the report's own tables are drawn by
its renderers. They are drawn by :func:`_table`, which puts every cell through the escape of its
format (:func:`~claimtrack._safe_text.plain_text` for the terminal,
:func:`~claimtrack._safe_text.markdown_text` for Markdown) before tabulate lays it out, and never
wraps a Markdown cell into several lines, which would be several rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from tabulate import tabulate

from claimtrack._safe_text import markdown_text, plain_text
from claimtrack.claimset import ClaimSet
from claimtrack.compare import Comparison
from claimtrack.report._cells import interval_text, provenance, value_text
from claimtrack.report._groups import GroupedFindings, claimants_of
from claimtrack.verify import Verification

TABLE_FORMATS = {"text": "simple", "md": "github"}
"""Output format name -> tabulate table format."""

_ESCAPES = {"text": plain_text, "md": markdown_text}


def _table(
    rows: Sequence[Sequence[object]],
    headers: Sequence[str],
    *,
    fmt: str = "text",
    maxcolwidths: Sequence[int | None] | None = None,
) -> str:
    """A tabulate table of ``rows`` in format ``fmt``, every cell escaped for it (the headers
    are claimtrack's own); cells are wrapped at ``maxcolwidths`` in text only (a wrapped Markdown
    cell would be several rows)."""
    escape = _ESCAPES[fmt]
    return tabulate(
        [[escape(str(cell)) for cell in row] for row in rows],
        headers=headers,
        tablefmt=TABLE_FORMATS[fmt],
        disable_numparse=True,
        maxcolwidths=list(maxcolwidths) if maxcolwidths and fmt == "text" else None,
    )


def claims_table(claims: ClaimSet, *, fmt: str = "text") -> str:
    """One row per claim: id, subject, value as written, interval, provenance, as-of, source."""
    rows = []
    for claim in claims:
        source = claims.source(claim.source)
        rows.append(
            [
                claim.id,
                claim.subject,
                value_text(claim),
                interval_text(claim),
                provenance(claim, source.publisher),
                claim.as_of.iso() if claim.as_of else "",
                f"{source.id} ({source.published.iso()})",
            ]
        )
    headers = ["claim", "subject", "as written", "interval", "who", "as of", "source"]
    return _table(rows, headers, fmt=fmt)


def verification_table(result: Verification, *, everything: bool = False) -> str:
    """The text and quote checks (only failing ones unless ``everything``) and a summary line."""
    lines = []
    texts = [t for t in result.texts if everything or not t.ok]
    if texts:
        lines.append(
            _table(
                [
                    [
                        t.source,
                        t.text_file or "",
                        t.status.value,
                        (t.actual_sha256 or "")[:12] + ("…" if t.actual_sha256 else ""),
                    ]
                    for t in texts
                ],
                ["source", "text file", "text", "sha256"],
            )
        )
    quotes = [q for q in result.quotes if everything or not q.ok]
    if quotes:
        lines.append(
            _table(
                [
                    [q.claim, q.status.value, "" if q.offset is None else str(q.offset), q.detail]
                    for q in quotes
                ],
                ["claim", "quote", "offset", "detail"],
            )
        )
    found = sum(q.ok and q.offset is not None for q in result.quotes)
    failing = len(result.problems)
    lines.append(
        f"{found} of {len(result.quotes)} quotes verbatim in {len(result.texts)} source texts; "
        + ("all checks pass" if result.ok else f"{failing} check(s) FAIL")
    )
    return "\n\n".join(lines)


def comparison_text(
    comparison: Comparison,
    *,
    fmt: str = "text",
    everything: bool = False,
    limit: int = 0,
    claims: ClaimSet | pd.DataFrame | None = None,
) -> str:
    """The grouped findings (or, with ``everything``, every pair), the series checks and the
    per-subject summary as tables, each with at most ``limit`` rows (``0``: all) and a line that
    counts the rows left out.

    Findings are grouped as the report groups them (pairs with the same verdict, subject and
    reason, or contradictions between the same two claimants: see :class:`Finding`), one row per
    group with its number of pairs; ``claims`` (default ``comparison.claims``) gives the
    claimants, a claim set or a claims frame.
    """
    if everything:
        pairs = comparison.pairs
        head = _plural(len(pairs), "pair")
        table = pairs.head(limit) if limit else pairs
        rows = [[r.verdict, r.subject, r.claim_a, r.claim_b, r.reason] for r in table.itertuples()]
        headers = ["verdict", "subject", "claim a", "claim b", "reason"]
        widths: list[int | None] = [None, 28, 34, 34, 70]
        left = f"… and {len(pairs) - len(rows):,} more pairs: use --limit 0 to show all"
    else:
        grouped = GroupedFindings.of(
            comparison, claimants_of(comparison.claims if claims is None else claims)
        ).table  # grouped from the grouped findings: no pair is listed
        found = int(grouped["pairs"].sum())
        head = _plural(found, "finding")
        if len(grouped) != found:
            head += f" in {_plural(len(grouped), 'group')}"
        table = grouped.head(limit) if limit else grouped
        rows = [
            [r.verdict, r.subject, r.claim_a, r.claim_b, f"{r.pairs:,}", r.reason]
            for r in table.itertuples()
        ]
        headers = ["verdict", "subject", "claim a", "claim b", "pairs", "reason"]
        widths = [None, 28, 34, 34, None, 70]
        per = grouped.groupby(grouped["verdict"].astype(str), sort=False)["pairs"]
        sizes, sums = per.size(), per.sum()
        if len(sizes) > 1 or len(grouped) != found:
            head += (
                " (" + "; ".join(_verdict_count(v, sizes[v], sums[v]) for v in sizes.index) + ")"
            )
        hidden = int(grouped["pairs"].iloc[len(rows) :].sum())
        left = (
            f"… and {len(grouped) - len(rows):,} more groups ({_plural(hidden, 'finding')}): "
            "use --limit 0 to show all, --subject ID for one subject, or --format json"
        )
    parts = [head + (":" if rows else "")]
    if rows:
        parts.append(_table(rows, headers, fmt=fmt, maxcolwidths=widths))
    if len(rows) < (len(pairs) if everything else len(grouped)):
        parts.append(left)
    series = comparison.series
    if len(series):
        counts = "1 day count" if len(series) == 1 else f"{len(series):,} day counts"
        parts.append(f"{counts} checked against the start of their series:")
        shown = series.head(limit) if limit else series
        parts.append(
            _table(
                [[r.series, r.claim, _check(r.consistent), r.reason] for r in shown.itertuples()],
                ["series", "claim", "start", "reason"],
                fmt=fmt,
                maxcolwidths=[28, 34, None, 70],
            )
        )
        if len(shown) < len(series):
            parts.append(
                f"… and {len(series) - len(shown):,} more day counts (the inconsistent ones are "
                "findings): use --limit 0 to show all"
            )
    subjects = comparison.subjects
    compared = subjects[subjects["claims"] > 1]
    shown = compared.head(limit) if limit else compared
    srows = [
        [r.subject, r.kind, r.claims, r.claimants, r.origins, r.consensus]
        for r in shown.itertuples()
    ]
    parts.append(f"{len(compared):,} subjects with more than one claim:")
    parts.append(
        _table(
            srows,
            ["subject", "kind", "claims", "claimants", "independent origins", "consensus"],
            fmt=fmt,
        )
    )
    if len(shown) < len(compared):
        parts.append(
            f"… and {len(compared) - len(shown):,} more subjects: use --limit 0 to show all, "
            "--subject ID for one subject, or --format json"
        )
    return "\n\n".join(parts)


def _verdict_count(verdict: str, groups: int, pairs: int) -> str:
    """``contradict: 5 groups, 19 pairs``, or ``update: 1`` for one pair per group."""
    if groups == pairs:
        return f"{verdict}: {groups:,}"
    return f"{verdict}: {_plural(int(groups), 'group')}, {_plural(int(pairs), 'pair')}"


def _plural(n: int, one: str) -> str:
    return f"{n:,} {one}{'' if n == 1 else 's'}"


def _check(consistent: object) -> str:
    """A series check's outcome in words; missing when no claim states the start."""
    if consistent is None or pd.isna(consistent):  # type: ignore[call-overload]
        return "not stated"
    return "consistent" if bool(consistent) else "INCONSISTENT"

"""The command line's plain tables: claims, quote and text checks, comparison findings (tabulate).

``claimtrack list``, ``verify`` and ``compare`` print these; the report's own tables are drawn by
its renderers.
"""

from __future__ import annotations

import pandas as pd
from tabulate import tabulate

from claimtrack.claimset import ClaimSet
from claimtrack.compare import Comparison
from claimtrack.report._cells import interval_text, provenance, value_text
from claimtrack.verify import Verification

TABLE_FORMATS = {"text": "simple", "md": "github"}
"""Output format name -> tabulate table format."""


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
    return tabulate(rows, headers=headers, tablefmt=TABLE_FORMATS[fmt], disable_numparse=True)


def verification_table(result: Verification, *, everything: bool = False) -> str:
    """The text and quote checks (only failing ones unless ``everything``) and a summary line."""
    lines = []
    texts = [t for t in result.texts if everything or not t.ok]
    if texts:
        lines.append(
            tabulate(
                [
                    [
                        t.source,
                        t.text_file or "",
                        t.status.value,
                        (t.actual_sha256 or "")[:12] + ("…" if t.actual_sha256 else ""),
                    ]
                    for t in texts
                ],
                headers=["source", "text file", "text", "sha256"],
                tablefmt="simple",
            )
        )
    quotes = [q for q in result.quotes if everything or not q.ok]
    if quotes:
        lines.append(
            tabulate(
                [
                    [q.claim, q.status.value, "" if q.offset is None else str(q.offset), q.detail]
                    for q in quotes
                ],
                headers=["claim", "quote", "offset", "detail"],
                tablefmt="simple",
                disable_numparse=True,
            )
        )
    found = sum(q.ok and q.offset is not None for q in result.quotes)
    failing = len(result.problems)
    lines.append(
        f"{found} of {len(result.quotes)} quotes verbatim in {len(result.texts)} source texts; "
        + ("all checks pass" if result.ok else f"{failing} check(s) FAIL")
    )
    return "\n\n".join(lines)


def comparison_text(comparison: Comparison, *, fmt: str = "text", everything: bool = False) -> str:
    """The findings (or, with ``everything``, every pair) and the per-subject summary as tables."""
    tablefmt = TABLE_FORMATS[fmt]
    pairs = comparison.pairs if everything else comparison.findings()
    title = "pair" if everything else "finding"
    rows = [[r.verdict, r.subject, r.claim_a, r.claim_b, r.reason] for r in pairs.itertuples()]
    parts = [
        f"{len(rows)} {title}{'' if len(rows) == 1 else 's'}" + (":" if rows else ""),
    ]
    if rows:
        parts.append(
            tabulate(
                rows,
                headers=["verdict", "subject", "claim a", "claim b", "reason"],
                tablefmt=tablefmt,
                disable_numparse=True,
                maxcolwidths=[None, 28, 34, 34, 70],
            )
        )
    series = comparison.series
    if len(series):
        counts = "1 day count" if len(series) == 1 else f"{len(series)} day counts"
        parts.append(f"{counts} checked against the start of their series:")
        parts.append(
            tabulate(
                [[r.series, r.claim, _check(r.consistent), r.reason] for r in series.itertuples()],
                headers=["series", "claim", "start", "reason"],
                tablefmt=tablefmt,
                disable_numparse=True,
                maxcolwidths=[28, 34, None, 70],
            )
        )
    subjects = comparison.subjects
    compared = subjects[subjects["claims"] > 1]
    srows = [
        [r.subject, r.kind, r.claims, r.claimants, r.origins, r.consensus]
        for r in compared.itertuples()
    ]
    parts.append(f"{len(compared)} subjects with more than one claim:")
    parts.append(
        tabulate(
            srows,
            headers=["subject", "kind", "claims", "claimants", "independent origins", "consensus"],
            tablefmt=tablefmt,
            disable_numparse=True,
        )
    )
    return "\n\n".join(parts)


def _check(consistent: object) -> str:
    """A series check's outcome in words; missing when no claim states the start."""
    if consistent is None or pd.isna(consistent):  # type: ignore[call-overload]
        return "not stated"
    return "consistent" if bool(consistent) else "INCONSISTENT"

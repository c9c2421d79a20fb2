"""The lines of a report's subject: its claims (:class:`ClaimLine`), the pairs between them
(:class:`PairLine`), its series checks and the claims that share an origin."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import attrs
import pandas as pd

from claimtrack.claim import Claim
from claimtrack.claimset import ClaimSet
from claimtrack.compare import NOTABLE
from claimtrack.dates import FuzzyDate
from claimtrack.report._cells import interval_text, provenance, value_text
from claimtrack.report._select import claim_time
from claimtrack.source import Source


@attrs.frozen
class ClaimLine:
    """One claim as a report shows it: the value, the interval and the way back to the source."""

    claim: Claim
    number: int
    """The claim's number in its table ("#1"); pairs refer to claims by it."""
    source: Source
    written: str
    interval: str
    who: str
    as_of: str
    when: FuzzyDate
    """When the value holds: the as-of date, else the date it was said, else publication."""

    @property
    def ref(self) -> str:
        return f"#{self.number}"

    @property
    def source_text(self) -> str:
        """``source-id, 2019-09-03`` and the section when it is not the body."""
        text = f"{self.source.id}, {self.source.published.iso()}"
        section = self.claim.section.value
        return text if section == "body" else f"{text}, {section}"


@attrs.frozen
class PairLine:
    """One compared pair within a subject."""

    verdict: str
    a: ClaimLine
    b: ClaimLine
    reason: str


def shared_text(shared: pd.DataFrame | None, subject: str, lines: tuple[ClaimLine, ...]) -> str:
    """The claims of ``subject`` that share an origin (:meth:`Comparison.origins`), by their
    numbers in the report: ``"#1 and #2 (one report of rferl)"``, one part per origin; claims of
    other subjects in the origin (joined across a link) by their ids, with their subjects:
    ``"#1 (link-related-one-stance), with a:b (other-subject)"``."""
    if shared is None or not len(shared):
        return ""
    rows = shared[shared["subject"] == subject]
    origins = shared[shared["origin"].isin(rows["origin"]).to_numpy()]
    number = {line.claim.id: line.ref for line in lines}
    parts = []
    for _, group in origins.groupby("origin", sort=False):
        own = group[(group["subject"] == subject).to_numpy()]
        refs = sorted((number[c] for c in own["claim"] if c in number), key=lambda r: int(r[1:]))
        whys = sorted({w for why in own["why"] for w in str(why).split("; ") if w})
        others = [
            f"{c} ({s})"
            for c, s in zip(group["claim"], group["subject"], strict=True)
            if s != subject
        ]
        if refs and len(refs) + len(others) > 1:
            also = f", with {_and(others)}" if others else ""
            parts.append(f"{_and(refs)} ({', '.join(whys)}){also}")
    return "; ".join(parts)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def claim_order(claim: Claim, claims: ClaimSet) -> tuple[datetime.date, datetime.date, str]:
    when = claim_time(claim, claims)
    return when.start, when.end, claim.id


def claim_line(claim: Claim, number: int, claims: ClaimSet) -> ClaimLine:
    source = claims.source(claim.source)
    if claim.as_of is not None:
        as_of = str(claim.as_of)
    elif claim.stated is not None:
        as_of = f"said {claim.stated}"
    else:
        as_of = ""
    return ClaimLine(
        claim=claim,
        number=number,
        source=source,
        written=value_text(claim) + _derived_note(claim),
        interval=interval_text(claim),
        who=provenance(claim, source.publisher),
        as_of=as_of,
        when=claim_time(claim, claims),
    )


def _derived_note(claim: Claim) -> str:
    """ " (derived: the sum of a + b)" for a derived figure, nothing for one as reported."""
    if not claim.derived_from:
        return ""
    return f" (derived: the sum of {' + '.join(claim.derived_from)})"


def within_pairs(subjects: pd.DataFrame) -> dict[str, int]:
    """Per subject id, how many pairs it has within it (not across links): the sum of its
    counts per verdict."""
    counts = [c for c in subjects.columns if str(c).startswith("n_")]
    total = subjects[counts].sum(axis=1).astype("int64")
    return dict(zip(subjects["subject"].astype(str).tolist(), total.tolist(), strict=True))


def pair_lines(
    group: pd.DataFrame | None, lines: Sequence[ClaimLine], limit: int, within: int
) -> tuple[tuple[PairLine, ...], int]:
    """The pairs between ``lines``, notable verdicts first (at most ``limit``), and how many of
    the subject's ``within`` pairs (within it, not across links) are left out."""
    if group is None:
        return (), within
    by_id = {line.claim.id: line for line in lines}
    a = group["claim_a"].astype(str)
    b = group["claim_b"].astype(str)
    among = group[(a.isin(by_id) & b.isin(by_id)).to_numpy()]
    order = {v.value: i for i, v in enumerate(NOTABLE)}
    out = [
        PairLine(str(r.verdict), by_id[str(r.claim_a)], by_id[str(r.claim_b)], str(r.reason))
        for r in among.itertuples()
    ]
    out.sort(key=lambda p: (order.get(p.verdict, len(order)), p.a.number, p.b.number))
    kept = out[:limit] if limit else out
    # pairs across a link to another subject are shown with the findings, not here
    return tuple(kept), within - len(kept)


def series_lines(series: list[dict[Any, Any]], lines: Sequence[ClaimLine]) -> tuple[str, ...]:
    """``Series check of #1: day 2 as of ... implies ...`` for the day counts among ``lines``."""
    refs = {line.claim.id: line.ref for line in lines}
    return tuple(
        f"Series check of {refs[str(r['claim'])]}: {r['reason']}."
        for r in series
        if str(r["claim"]) in refs
    )

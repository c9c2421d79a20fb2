"""What narrows and annotates a report's findings beyond the selection of claims: one source (the
review of a new article), an earlier run (what is new since) and the project's reviews.

:class:`Focus` is read by the model (``_model.model_for`` and ``build``): it narrows the subjects
to those the source has claims about and the findings to those that involve one of its claims,
marks each finding new or not and attaches its reviews, and writes the summary lines that say
what was found against the earlier run and the reviews. Nothing is dropped silently: findings of
the earlier run that are gone and reviews of pairs that are no longer findings are counted and
named there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs
import pandas as pd

from claimtrack._names import close_ids
from claimtrack.claimset import ClaimSet
from claimtrack.errors import ClaimtrackError, UnknownIdError
from claimtrack.review import Review, Reviews, finding_key

_LISTED = 10
"""How many gone findings or stale reviews a summary line names before "and N more"."""


def pair_keys(found: pd.DataFrame) -> list[str]:
    """The key of every row of a findings frame."""
    return [
        finding_key(str(v), str(a), str(b))
        for v, a, b in zip(found["verdict"], found["claim_a"], found["claim_b"], strict=True)
    ]


@attrs.frozen
class Focus:
    """A report's source, earlier run and reviews (each optional)."""

    source: str | None = None
    reviews: Reviews | None = None
    earlier: frozenset[str] | None = None
    earlier_name: str = "the earlier run"

    def subjects(
        self, claims: ClaimSet, subjects: str | Iterable[str] | None
    ) -> str | Iterable[str] | None:
        """``subjects`` narrowed to those the source has claims about, and the subjects linked to
        them (``subjects.yaml`` links), for the pairs across links that involve its claims."""
        if self.source is None:
            return subjects
        if self.source not in claims.sources:
            raise UnknownIdError("source", self.source, close_ids(self.source, claims.sources))
        mine = {c.subject for c in claims if c.source == self.source}
        if not mine:
            raise ClaimtrackError(f"source {self.source!r} has no claims yet: nothing to report")
        if subjects is not None:
            wanted = {subjects} if isinstance(subjects, str) else set(subjects)
            for sid in sorted(wanted):
                if sid not in claims.subjects:
                    raise UnknownIdError("subject", sid, close_ids(sid, claims.subjects))
            if not mine & wanted:
                raise ClaimtrackError(
                    f"source {self.source!r} has no claims about "
                    + ", ".join(repr(s) for s in sorted(wanted))
                    + ": nothing to report"
                )
            mine &= wanted
        # and the subjects linked to them (either way): their link pairs may involve its claims
        links = [
            (subject.id, link.target)
            for subject in claims.subjects.values()
            for link in subject.links
            if link.target in claims.subjects
        ]
        linked = {b for a, b in links if a in mine} | {a for a, b in links if b in mine}
        return sorted(mine | linked)

    def findings(self, found: pd.DataFrame, claims: ClaimSet) -> pd.DataFrame:
        """The rows of ``found`` that involve a claim of the source (all without a source)."""
        if self.source is None:
            return found
        ids = [c.id for c in claims if c.source == self.source]
        keep = found["claim_a"].isin(ids) | found["claim_b"].isin(ids)
        return found[keep.to_numpy()].reset_index(drop=True)

    def marks(
        self, pairs: Sequence[tuple[str, str]], verdict: str
    ) -> tuple[int | None, tuple[Review, ...], int]:
        """How many pairs of a finding of ``pairs`` are not in the earlier run (``None`` without
        one), the reviews of its pairs (each once) and how many of its pairs are reviewed."""
        keys = [finding_key(verdict, a, b) for a, b in pairs]
        new = None if self.earlier is None else sum(k not in self.earlier for k in keys)
        if self.reviews is None:
            return new, (), 0
        latest = self.reviews.latest()
        found = [latest[k] for k in keys if k in latest]
        distinct = tuple({(r.status, r.by, r.why, r.date): r for r in found}.values())
        return new, distinct, len(found)

    def selection(self) -> str:
        if self.source is None:
            return ""
        return (
            f"the subjects source {self.source} has claims about, and the findings that involve "
            "its claims"
        )

    def notes(
        self, found: pd.DataFrame, claims: ClaimSet, new: int, grown: int, total: int
    ) -> tuple[str, ...]:
        """The summary lines: new findings since the earlier run and the earlier ones gone;
        reviews of pairs that are no longer findings."""
        lines = []
        keys = set(pair_keys(found))
        shown = {c.id for c in claims}
        mine = {c.id for c in claims if c.source == self.source} if self.source else shown

        def here(key: str) -> bool:
            _verdict, a, b = key.split(" ")
            return a in shown and b in shown and (a in mine or b in mine)

        if self.earlier is not None:
            gone = sorted(k for k in self.earlier if k not in keys and here(k))
            line = f"New since {self.earlier_name}: {new} of {total} findings."
            if grown:
                line += (
                    f" {grown} other finding{'s have' if grown != 1 else ' has'} new pairs of "
                    "claims."
                )
            if gone:
                line += (
                    f" {len(gone)} finding pair{'s' if len(gone) != 1 else ''} of "
                    f"{self.earlier_name} {'are' if len(gone) != 1 else 'is'} no longer found "
                    f"(the claims are still here): {_listed(gone)}."
                )
            lines.append(line)
        if self.reviews is not None and self.reviews.path is not None:
            stale = [
                r for k, r in sorted(self.reviews.latest().items()) if k not in keys and here(k)
            ]
            if stale:
                named = [f"{r.key} (line {r.line})" for r in stale]
                lines.append(
                    f"Reviews in {self.reviews.path} of pairs that are no longer findings: "
                    f"{_listed(named)}."
                )
        return tuple(lines)


def status_text(
    new: int | None, reviews: Sequence[Review], reviewed: int, pairs: int, has_reviews: bool
) -> str:
    """``new; confirmed by Ann (2026-12-01): why`` — what a report says of a finding's status
    (empty when there is nothing to say)."""
    parts = []
    if new and new == pairs:
        parts.append("new")
    elif new:
        parts.append(f"{new} of {pairs} pairs new")
    if reviews:
        text = "; ".join(r.text() for r in reviews)
        if reviewed < pairs:
            text += f" ({reviewed} of {pairs} pairs reviewed)"
        parts.append(text)
    elif has_reviews:
        parts.append("not reviewed")
    return "; ".join(parts)


def _listed(items: Sequence[str]) -> str:
    text = "; ".join(items[:_LISTED])
    return text + (f"; and {len(items) - _LISTED} more" if len(items) > _LISTED else "")

"""Which claims a report shows: :func:`select` (subjects, and a time since), the one place
selection happens, and the words that say what was selected."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import attrs

from claimtrack.claim import Claim
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate


def select(
    claims: ClaimSet,
    *,
    subjects: str | Iterable[str] | None = None,
    since: FuzzyDate | datetime.date | str | None = None,
) -> ClaimSet:
    """The claims about ``subjects`` whose time ends on or after ``since``.

    A claim's time is its ``as_of`` date, else the date it was ``stated``, else its source's
    publication date (the time the comparator uses). ``since`` is a date, a :class:`FuzzyDate` or
    an absolute date text ("2021", "2021-09", "2021-09-14"); a claim is kept when its time ends on
    or after the first day of ``since``. Drafted claims are kept: the report leaves them out
    afterwards, and counts them, unless ``ComparePolicy.include_drafts``. Unknown subject ids raise
    :class:`~claimtrack.errors.UnknownIdError`; unreadable dates :class:`~claimtrack.errors.DateError`.
    """
    if subjects is not None:
        claims = claims.filter(subject=subjects)
    if since is not None:
        first = since_date(since)
        kept = [c for c in claims if claim_time(c, claims).end >= first]
        claims = attrs.evolve(claims, claims=kept)
    return claims


def since_date(since: FuzzyDate | datetime.date | str) -> datetime.date:
    """The first day of ``since`` (a date, a :class:`FuzzyDate` or an absolute date text)."""
    if isinstance(since, str):
        since = FuzzyDate.parse(since)
    if isinstance(since, FuzzyDate):
        return since.start
    return since


def claim_time(claim: Claim, claims: ClaimSet) -> FuzzyDate:
    """When the claim's value holds: as-of, else stated, else the source's publication date."""
    return claim.as_of or claim.stated or claims.source(claim.source).published


def selection_text(
    subjects: str | Iterable[str] | None, since: FuzzyDate | datetime.date | str | None
) -> str:
    """``subjects a, b; claims dated on or after 2021-01-01``, or empty."""
    parts = []
    if subjects is not None:
        ids = [subjects] if isinstance(subjects, str) else sorted(subjects)
        parts.append("subjects " + ", ".join(ids))
    if since is not None:
        parts.append(f"claims dated on or after {since_date(since).isoformat()}")
    return "; ".join(parts)

"""The texts every table shares: a claim's value as written, its interval, its provenance, and
a subject's kind.

Amounts and intervals are written by :func:`claimtrack.quantity.format_interval` (through
:meth:`Estimate.interval_text`); nothing here formats a number of its own. The texts are plain:
each renderer escapes them for its format.
"""

from __future__ import annotations

from claimtrack.claim import Claim, DayCount, Statement
from claimtrack.dates import FuzzyDate
from claimtrack.quantity import Estimate
from claimtrack.subject import Subject


def value_text(claim: Claim) -> str:
    """The claim's value as written, for people: "as many as 2 million", "a 20th night"."""
    value = claim.value
    if isinstance(value, Estimate):
        return value.text or value.interval_text()
    if isinstance(value, DayCount):
        return str(value)
    if isinstance(value, FuzzyDate):
        return value.written or value.iso()
    if isinstance(value, Statement):
        speakers = " and ".join(value.speakers)
        return f"{speakers} {value.stance.value} ({value.mode.value})"
    raise TypeError(type(value))


def interval_text(claim: Claim) -> str:
    """The value as the comparator reads it: an interval, an ordinal, a date range."""
    value = claim.value
    if isinstance(value, Estimate):
        text = value.interval_text()
        return f"+{text}" if value.additional else text
    if isinstance(value, DayCount):
        return f"{value.unit.value} {value.ordinal}"
    if isinstance(value, FuzzyDate):
        return value.iso()
    return ""


def provenance_chain(claim: Claim, publisher: str) -> list[str]:
    """The entity ids from the claimant through the intermediaries to the publisher, which is
    not repeated when the last intermediary is the publisher."""
    chain = [claim.claimant, *claim.via]
    if chain[-1] != publisher:
        chain.append(publisher)
    return chain


def claimants_text(claim: Claim, names: list[str] | None = None) -> str:
    """Who says it: the claimants joined by "and" ("un and china"), and how the reporter hedges
    the attribution when it does ("un (reported)"). ``names`` are the claimants as shown, one for
    each of :attr:`Claim.claimants` (default: their ids)."""
    who = " and ".join(names if names is not None else claim.claimants)
    return f"{who} ({claim.attribution.value})" if claim.attribution is not None else who


def provenance(claim: Claim, publisher: str) -> str:
    """``claimant ← intermediaries ← publisher``, without repeating the publisher; several
    claimants are joined by "and", a hedged attribution follows them in brackets."""
    chain = provenance_chain(claim, publisher)
    return " ← ".join([claimants_text(claim), *chain[1:]])


def kind_text(subject: Subject) -> str:
    """``Quantity (people)``: the subject's kind, and its unit when it has one."""
    kind = subject.kind.value.replace("_", " ").capitalize()
    return f"{kind} ({subject.unit})" if subject.unit else kind

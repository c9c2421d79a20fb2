"""What a draft is: drafted claims with the rule that made each one and what needs review."""

from __future__ import annotations

import attrs

from claimtrack.claim import DayCount, Section, Statement
from claimtrack.dates import FuzzyDate
from claimtrack.quantity import Estimate
from claimtrack.subject import SubjectKind


@attrs.frozen
class SubjectSuggestion:
    """A subject a drafted claim may be about, with a score from 0 to 1.

    ``new`` marks a proposed subject that is not in ``subjects.yaml`` yet: ``label`` and ``unit``
    are then a first wording of it, to be reviewed before it is added.
    """

    id: str
    score: float
    label: str
    new: bool = False
    unit: str | None = None


@attrs.frozen
class DraftClaim:
    """One drafted claim: a span of the text, what it says, and on whose word.

    ``quote`` is always ``text[start:end]`` of the text it was drafted from. ``value`` is the
    phrase as written for quantities (``"as many as 2 million"``), day counts and event dates,
    and a :class:`~claimtrack.Statement` for statements; ``parsed`` is what claimtrack reads it
    as. ``rule`` names the rule that produced the claim and ``review`` lists what a person must
    check. ``subjects`` are the best existing subjects first (or a proposed new one), and
    ``repeats`` the ids of claims already in the folder that this one repeats.
    """

    id: str
    kind: SubjectKind
    quote: str
    start: int
    end: int
    claimant: str
    value: str | Statement
    parsed: Estimate | DayCount | FuzzyDate | Statement
    rule: str
    section: Section = Section.BODY
    via: tuple[str, ...] = ()
    as_of: FuzzyDate | None = None
    review: tuple[str, ...] = ()
    subjects: tuple[SubjectSuggestion, ...] = ()
    repeats: tuple[str, ...] = ()

    @property
    def subject(self) -> str:
        """The id of the best subject suggestion."""
        return self.subjects[0].id if self.subjects else "new-subject"


@attrs.frozen
class NewEntity:
    """A claimant named in the text that is not in ``entities.yaml``: a proposed entry."""

    id: str
    name: str
    kind: str


@attrs.frozen
class Draft:
    """The first draft of one article's claim file.

    ``text`` is the article as read (UTF-8) and ``text_sha256`` the SHA-256 of its bytes; every
    claim's quote is a slice of ``text``. ``published`` is the date given, or the date suggested
    from the text with its ``published_evidence`` (``None`` when the date was given). ``yaml``
    is the claim file: the normal format plus a ``draft:`` block per claim.
    """

    source_id: str
    title: str
    publisher: str
    published: FuzzyDate
    text: str
    text_file: str | None
    text_sha256: str
    claims: tuple[DraftClaim, ...]
    published_evidence: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    new_entities: tuple[NewEntity, ...] = ()
    notes: tuple[str, ...] = ()
    language: str = "en"
    yaml: str = ""

"""Claims: one thing one source says, with its provenance and a kind-specific value."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from typing import Any

import attrs

from claimtrack._ids import check_id, check_text, str_tuple
from claimtrack._numbers import (
    MAX_ORDINAL,
    check_phrase,
    describe_amount,
    parse_number,
    parse_ordinal,
)
from claimtrack.dates import FuzzyDate
from claimtrack.errors import DayCountError, ParseError
from claimtrack.quantity import Estimate
from claimtrack.subject import SubjectKind


class Section(enum.StrEnum):
    """Where in the document the quote stands. Headlines and ledes often restate the body."""

    HEADLINE = "headline"
    STANDFIRST = "standfirst"
    CAPTION = "caption"
    LEDE = "lede"
    BODY = "body"


class DayUnit(enum.StrEnum):
    """What a day count counts: days of a campaign or nights of a sit-in."""

    DAY = "day"
    NIGHT = "night"


_COUNT = re.compile(
    r"^(?:(?:for|on|after|of|into)\s+)?(?:(?:a|an|the)\s+)?"
    r"(?P<n>.+?)\s+(?P<unit>day|night)(?P<plural>s)?$",
    re.IGNORECASE,
)
_DAY_N = re.compile(r"^(?:on\s+)?(?P<unit>day|night)\s+(?P<n>[0-9][0-9,]*)$", re.IGNORECASE)


@attrs.frozen
class DayCount:
    """The N-th day (or night) of a series, as in "the 500th day of protest" or "a 20th night".

    The claim's subject is the series counted and its ``as_of`` the date the count was reached, so
    the series began ``ordinal - 1`` days before ``as_of``.
    """

    ordinal: int = attrs.field()
    unit: DayUnit = attrs.field(converter=DayUnit)
    text: str | None = None

    @ordinal.validator
    def _check_ordinal(self, _attribute: object, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ORDINAL:
            shown = describe_amount(value) if isinstance(value, int) else repr(value)
            raise ValueError(
                f"ordinal must be a whole number from 1 to {MAX_ORDINAL:,}, got {shown}"
            )

    @classmethod
    def parse(cls, text: str) -> DayCount:
        """Read "a 20th night", "the 500th day", "for the second day", "after 500 days", "1 day"
        or "day 500".

        A cardinal ("500 days", "one day") counts the days so far, so it is read as the same
        ordinal.
        """
        if not isinstance(text, str):
            raise DayCountError(str(text), "expected text")
        check_phrase(text, DayCountError)
        phrase = " ".join(text.split())
        numbered = _DAY_N.match(phrase)
        if numbered is not None:
            day = int(numbered.group("n").replace(",", ""))
            if day < 1:
                raise DayCountError(text, "day numbers start at 1")
            return cls(day, DayUnit(numbered.group("unit").lower()), text)
        match = _COUNT.match(phrase)
        if match is None:
            raise DayCountError(text, "expected a phrase like 'the 500th day' or 'a 20th night'")
        number, unit = match.group("n"), DayUnit(match.group("unit").lower())
        if match.group("plural"):
            try:
                value = parse_number(number)
            except ParseError as exc:
                raise DayCountError(text, exc.reason) from None
            if value != int(value) or value < 1:
                raise DayCountError(text, f"{number!r} is not a whole number of {unit.value}s")
            return cls(int(value), unit, text)
        try:
            return cls(parse_ordinal(number), unit, text)
        except ParseError as exc:
            if _is_one(number):  # "1 day", "one night": a cardinal in the singular
                return cls(1, unit, text)
            raise DayCountError(text, exc.reason) from None

    def __str__(self) -> str:
        return self.text or f"{self.unit.value} {self.ordinal}"


def _is_one(number: str) -> bool:
    try:
        return parse_number(number) == 1
    except ParseError:
        return False


class Stance(enum.StrEnum):
    """What a speaker does with a proposition. ``asserts`` and ``denies`` are opposites.

    ``fears``, ``believes`` and ``suspects`` are the weaker, hedged forms people report ("X fears
    that ...", "Y believes ...", "Z suspects ..."): each is :attr:`hedged`, weighed as weaker than
    a direct assertion. New members are added at the end, so a stance's position never changes.
    """

    ASSERTS = "asserts"
    DENIES = "denies"
    PROMISES = "promises"
    DEMANDS = "demands"
    WARNS = "warns"
    FEARS = "fears"
    BELIEVES = "believes"
    SUSPECTS = "suspects"

    @property
    def hedged(self) -> bool:
        """Whether the speaker holds the proposition only tentatively (fears, believes,
        suspects), rather than asserting, denying, promising, demanding or warning."""
        return self in _HEDGED_STANCES


_HEDGED_STANCES = frozenset({Stance.FEARS, Stance.BELIEVES, Stance.SUSPECTS})


class Attribution(enum.StrEnum):
    """How the reporter hedges who says it, for a claim of any kind: the article does not put the
    claim in the claimant's mouth for certain.

    - ``reported``: "reportedly", "according to reports", "X was reported to have ...";
    - ``said``: "are said to be", "X is said to have ...";
    - ``believed``: "is believed to", "X is thought to be ...".
    """

    REPORTED = "reported"
    SAID = "said"
    BELIEVED = "believed"


class Mode(enum.StrEnum):
    """Whether the article quotes the speaker's words or paraphrases them."""

    DIRECT = "direct"
    PARAPHRASE = "paraphrase"


def _check_others(first: str, what: str) -> Callable[[Any, Any, tuple[str, ...]], None]:
    """attrs validator: the other ids of a list are ids, distinct, and not the first one."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        for other in value:
            check_id(instance, attribute, other)
        primary = getattr(instance, first)
        listed = [primary, *value]
        twice = sorted({x for x in listed if listed.count(x) > 1})
        if twice:
            raise ValueError(f"{what} {', '.join(map(repr, twice))} listed twice")

    return check


@attrs.frozen
class Statement:
    """A speaker's stance on a proposition; the proposition is the claim's subject.

    ``speaker`` may differ from the claim's claimant: when a protester tells a reporter that the
    commissioner promised something, the protester is the claimant and the commissioner the speaker.
    When several speak together ("X and Y denied it"), ``speaker`` is the first and
    ``co_speakers`` the others, in the order written; :attr:`speakers` is all of them.
    """

    speaker: str = attrs.field(validator=check_id)
    stance: Stance = attrs.field(converter=Stance)
    mode: Mode = attrs.field(default=Mode.PARAPHRASE, converter=Mode)
    co_speakers: tuple[str, ...] = attrs.field(
        default=(), converter=str_tuple, validator=_check_others("speaker", "speaker")
    )

    @property
    def speakers(self) -> tuple[str, ...]:
        """Every speaker, the first (``speaker``) first."""
        return (self.speaker, *self.co_speakers)


ClaimValue = Estimate | DayCount | FuzzyDate | Statement
"""The kind-specific value of a claim: a quantity, a day count, an event date or a statement."""

_KINDS: dict[type, SubjectKind] = {
    Estimate: SubjectKind.QUANTITY,
    DayCount: SubjectKind.DAY_COUNT,
    FuzzyDate: SubjectKind.EVENT_DATE,
    Statement: SubjectKind.STATEMENT,
}


def _check_value(_instance: object, _attribute: object, value: ClaimValue) -> None:
    if type(value) not in _KINDS:
        raise TypeError(
            f"value must be an Estimate, DayCount, FuzzyDate or Statement, got {type(value).__name__}"
        )


def _optional_attribution(value: str | None) -> Attribution | None:
    return None if value is None else Attribution(value)


@attrs.frozen
class DraftMark:
    """What marks a claim as a draft not yet reviewed (``claimtrack draft`` writes one per claim).

    ``rule`` made the claim; ``offsets`` are the quote's ``[start, end]`` in the source text;
    ``review`` says what to check; ``subjects`` are the suggested subject ids, best first;
    ``repeats`` the ids of claims it repeats. ``location`` is where the offsets were read
    (``claims/x.yaml:41``), for messages; it takes no part in equality.
    """

    rule: str = attrs.field(validator=check_text)
    offsets: tuple[int, int] | None = None
    review: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    subjects: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    repeats: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    location: str | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Claim:
    """What one source says about one subject, with where it says it and on whose word.

    - ``quote``: the verbatim span of the source's text that carries the claim.
    - ``claimant``: the entity asserting it (the publisher itself when unattributed).
    - ``via``: intermediaries between claimant and publisher, nearest the claimant first.
    - ``as_of``: when the value holds; ``stated``: when it was said. Neither is the publication date.
    - ``draft``: a :class:`DraftMark` while the claim is an unreviewed draft.
    - ``value``: an :class:`Estimate`, :class:`DayCount`, :class:`FuzzyDate` (event date) or
      :class:`Statement`; for day counts the subject is the series, for statements the proposition.
    - ``co_claimants``: when several assert it together ("X and Y said"), the claimants after the
      first (``claimant``), in the order written; :attr:`claimants` is all of them.
    - ``attribution``: how the reporter hedges who says it (an :class:`Attribution`), or None when
      the article attributes it plainly. See :attr:`is_hedged`.
    - ``derived_from``: for a derived figure, the claims whose sum it is (checked at load).
    """

    id: str = attrs.field(validator=check_id)
    subject: str = attrs.field(validator=check_id)
    source: str = attrs.field(validator=check_id)
    quote: str = attrs.field(validator=check_text)
    claimant: str = attrs.field(validator=check_id)
    value: ClaimValue = attrs.field(validator=_check_value)
    via: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    as_of: FuzzyDate | None = None
    stated: FuzzyDate | None = None
    section: Section = attrs.field(default=Section.BODY, converter=Section)
    notes: str | None = None
    co_claimants: tuple[str, ...] = attrs.field(
        default=(), converter=str_tuple, validator=_check_others("claimant", "claimant")
    )
    attribution: Attribution | None = attrs.field(default=None, converter=_optional_attribution)
    draft: DraftMark | None = None
    """Set on a drafted claim not yet reviewed; ``None`` on every reviewed claim."""
    derived_from: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    """The claims a derived figure is the sum of (the 14-year total of a 13-year and a 1-year
    term); empty for a figure as reported. A derived figure is never an origin of its own."""
    location: str | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)
    """Where the claim was read from, ``"claims/foo.yaml:12"`` (the line of its ``id``), set by
    :func:`claimtrack.load`; ``None`` for a claim built in Python. It is not part of what the claim
    says: claims are equal whatever their location, and :func:`claimtrack.dump` does not write it.
    It survives :meth:`ClaimSet.filter`, :meth:`ClaimSet.rehedged` and ``attrs.evolve``, and
    errors about the claim at compare time name it."""

    @property
    def kind(self) -> SubjectKind:
        """The kind of value this claim carries."""
        return _KINDS[type(self.value)]

    @property
    def claimants(self) -> tuple[str, ...]:
        """Every claimant, the first (``claimant``) first."""
        return (self.claimant, *self.co_claimants)

    @property
    def is_hedged(self) -> bool:
        """Whether the claim is weaker than a direct assertion: the reporter hedges its
        attribution (``attribution`` is set), or it is a statement of a hedged stance
        (:attr:`Stance.hedged`: fears, believes, suspects)."""
        if self.attribution is not None:
            return True
        return isinstance(self.value, Statement) and self.value.stance.hedged

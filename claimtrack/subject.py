"""Subjects: the shared vocabulary of what claims are about."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

import attrs

from claimtrack._ids import check_id, check_text
from claimtrack.dates import FuzzyDate
from claimtrack.quantity import Estimate


class SubjectKind(enum.StrEnum):
    """What sort of value the claims about a subject carry."""

    QUANTITY = "quantity"
    """A number of something (people detained, protesters, facilities): claims carry an Estimate."""
    DAY_COUNT = "day_count"
    """The days or nights of one series (a sit-in, a campaign): claims carry a DayCount."""
    EVENT_DATE = "event_date"
    """When something happened (a protest began, a meeting took place): claims carry a FuzzyDate."""
    STATEMENT = "statement"
    """A proposition that speakers assert, deny, promise, demand, warn, fear, believe or suspect: claims carry a Statement."""


class Varies(enum.StrEnum):
    """Which kind of time a subject's value has: how claims about it made at different times
    relate."""

    OVER_TIME = "over_time"
    """One fact, estimated over time (the number of people held at one time, a prison term): a
    later figure from the same claimant revises the earlier one."""
    BY_OCCASION = "by_occasion"
    """A value per occasion (a crowd on a given day, people detained at a given protest): claims
    about different days are about different facts."""


_PER = re.compile(
    r"\b(?:per|a|each|every)\s+(?:day|night|week|month|protest|rally|occasion|event)\b"
)


def default_varies(kind: SubjectKind, unit: str | None) -> Varies:
    """The :class:`Varies` of a subject that does not declare one: ``by_occasion`` for a quantity
    whose unit is a rate per occasion (``people per day``, ``arrests a night``, ``people each
    protest``), ``over_time`` for everything else."""
    if kind is SubjectKind.QUANTITY and unit is not None and _PER.search(unit.lower()):
        return Varies.BY_OCCASION
    return Varies.OVER_TIME


def _optional_varies(value: str | None) -> Varies | None:
    return None if value is None else Varies(value)


class LinkKind(enum.StrEnum):
    """How the claims of one subject relate to those of another (a link declared in
    ``subjects.yaml`` on the first subject, naming the second)."""

    ADDS_TO = "adds_to"
    """An increment ("millions more") over a base figure of the target: the base plus the
    increment is a total, compared with the target's other figures."""
    PART_OF = "part_of"
    """A part of the target's whole (a prison term, of a total term): the parts one source gives
    add up to at most the whole."""
    SUM_OF = "sum_of"
    """The whole of which the target is a part (``part_of`` declared from the whole's side)."""
    LOWER_BOUND_OF = "lower_bound_of"
    """A documented count that is a floor of the target's estimate: consistent unless above the
    estimate's upper bound."""
    NEGATES = "negates"
    """A proposition and its negation: asserting one and asserting the other contradict."""
    FOLLOWS = "follows"
    """Happens (or holds) after the target event: a claim dated before it is out of order."""
    ENDS = "ends"
    """An event that ends the state the target's statements assert ("released from house arrest"
    ends "under house arrest"): the state asserted after the end conflicts with it."""
    PLANNED_AS = "planned_as"
    """A call or plan for an event on a date (``date``) against the target's reported events."""
    RELATED_TO = "related_to"
    """A related proposition of one dispute, on the same side as the target's: asserting one goes
    with asserting the other, denying one with denying the other (denying genocide and denying
    that the camps are coercive are one line of denial). One speaker's stances on the two are read
    together; different speakers' are not compared as if the propositions were one."""
    ABOUT = "about"
    """A proposition about the figures of a quantity subject (the target): asserting it means the
    figure is ``means`` ("no Chinese plants will be built": none of the facilities planned), read
    against each figure the target's claims give."""


QUANTITY_LINKS = frozenset(
    {LinkKind.ADDS_TO, LinkKind.PART_OF, LinkKind.SUM_OF, LinkKind.LOWER_BOUND_OF}
)
"""Links between two quantity subjects of one unit."""


@attrs.frozen
class SubjectLink:
    """A declared link of a subject to ``target`` (see :class:`LinkKind`); ``date`` is the planned
    date of a ``planned_as`` link, ``means`` the figure of the target that asserting the
    proposition means (``about``: "none" is ``Estimate.parse("zero")``), and nothing for the
    others."""

    kind: LinkKind = attrs.field(converter=LinkKind)
    target: str = attrs.field(validator=check_id)
    date: FuzzyDate | None = None
    means: Estimate | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if (self.date is None) == (self.kind is LinkKind.PLANNED_AS):
            raise ValueError(
                "a planned_as link needs the planned date (date)"
                if self.date is None
                else f"only a planned_as link has a date (date), not {self.kind.value}"
            )
        if (self.means is None) == (self.kind is LinkKind.ABOUT):
            raise ValueError(
                "an about link needs the figure asserting the proposition means (means)"
                if self.means is None
                else f"only an about link has a figure (means), not {self.kind.value}"
            )
        if self.means is not None and self.means.additional:
            raise ValueError("means is a figure of the target, not an additional amount")


def _link_tuple(links: Iterable[SubjectLink]) -> tuple[SubjectLink, ...]:
    return tuple(links)


@attrs.frozen
class Subject:
    """One thing claims can be about.

    The ``description`` must say what is *not* the same subject ("people detained in Xinjiang"
    is not "the Kazakh population of Xinjiang"): claims are only ever compared within a subject.
    ``start_of`` is for event-date subjects that date day 1 of a day-count series: it names that
    series' subject, so day counts can be checked against the stated start.

    ``links`` relate its claims to another subject's (``docs/comparing.md``, "Links between
    subjects"): the comparator pairs claims across a declared link, and only there.

    ``varies`` is the subject's kind of time as declared in ``subjects.yaml`` (None when not
    declared); :attr:`variation` is what holds, the declared one or :func:`default_varies`.
    """

    id: str = attrs.field(validator=check_id)
    label: str = attrs.field(validator=check_text)
    kind: SubjectKind = attrs.field(converter=SubjectKind)
    description: str = attrs.field(validator=check_text)
    unit: str | None = None
    start_of: str | None = None
    varies: Varies | None = attrs.field(default=None, converter=_optional_varies)
    links: tuple[SubjectLink, ...] = attrs.field(default=(), converter=_link_tuple)
    """The links declared on this subject, to other subjects (see :class:`LinkKind`)."""

    @property
    def variation(self) -> Varies:
        """How this subject's value varies in time: ``varies``, or the default for its kind and
        unit (:func:`default_varies`) when it declares none."""
        return self.varies if self.varies is not None else default_varies(self.kind, self.unit)

    def __attrs_post_init__(self) -> None:
        if self.start_of is not None and self.kind is not SubjectKind.EVENT_DATE:
            raise ValueError(
                f"start_of is only for event_date subjects; {self.id!r} is {self.kind.value}"
            )
        for link in self.links:
            if link.target == self.id:
                raise ValueError(f"{link.kind.value}: a subject cannot link to itself")

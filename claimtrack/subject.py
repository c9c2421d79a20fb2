"""Subjects: the shared vocabulary of what claims are about."""

from __future__ import annotations

import enum

import attrs

from claimtrack._ids import check_id, check_text


class SubjectKind(enum.StrEnum):
    """What sort of value the claims about a subject carry."""

    QUANTITY = "quantity"
    """A number of something (people detained, protesters, facilities): claims carry an Estimate."""
    DAY_COUNT = "day_count"
    """The days or nights of one series (a sit-in, a campaign): claims carry a DayCount."""
    EVENT_DATE = "event_date"
    """When something happened (a protest began, a meeting took place): claims carry a FuzzyDate."""
    STATEMENT = "statement"
    """A proposition that speakers assert, deny, promise, demand or warn about: claims carry a Statement."""


@attrs.frozen
class Subject:
    """One thing claims can be about.

    The ``description`` must say what is *not* the same subject ("people detained in Xinjiang"
    is not "the Kazakh population of Xinjiang"): claims are only ever compared within a subject.
    ``start_of`` is for event-date subjects that date day 1 of a day-count series: it names that
    series' subject, so day counts can be checked against the stated start.
    """

    id: str = attrs.field(validator=check_id)
    label: str = attrs.field(validator=check_text)
    kind: SubjectKind = attrs.field(converter=SubjectKind)
    description: str = attrs.field(validator=check_text)
    unit: str | None = None
    start_of: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.start_of is not None and self.kind is not SubjectKind.EVENT_DATE:
            raise ValueError(
                f"start_of is only for event_date subjects; {self.id!r} is {self.kind.value}"
            )

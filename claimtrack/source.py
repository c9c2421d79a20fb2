"""Sources: the documents claims are found in."""

from __future__ import annotations

import re

import attrs

from claimtrack._ids import check_id, check_text, str_tuple
from claimtrack.dates import FuzzyDate

_SHA256 = re.compile(r"[0-9a-f]{64}\Z")


def _check_sha256(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and not _SHA256.match(value):
        raise ValueError(f"text_sha256 must be 64 lowercase hex digits, got {value!r}")


@attrs.frozen
class Source:
    """One document (an article, a report, a transcript).

    ``publisher`` is an entity id. ``published`` is a :class:`FuzzyDate`: a day when the date is
    known, a range when it was inferred only approximately (say how in ``notes``). ``text_file``
    names an archived plain-text copy (for quote verification) and ``text_sha256`` fingerprints it.
    ``republishes`` is the id of the source this one republishes (an outlet reprinting another's
    report, or one "with reporting by" another): its claims are another's, so a comparison should
    count them once, as the original's (see :meth:`claimtrack.ClaimSet.origin`).
    """

    id: str = attrs.field(validator=check_id)
    title: str = attrs.field(validator=check_text)
    publisher: str = attrs.field(validator=check_id)
    published: FuzzyDate
    url: str | None = None
    authors: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    language: str = "en"
    text_file: str | None = None
    text_sha256: str | None = attrs.field(default=None, validator=_check_sha256)
    notes: str | None = None
    republishes: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(check_id)
    )

    def __attrs_post_init__(self) -> None:
        if self.republishes == self.id:
            raise ValueError(f"source {self.id!r} cannot republish itself")

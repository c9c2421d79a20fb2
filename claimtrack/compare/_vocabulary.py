"""The comparison's vocabulary: verdicts, stances and subject kinds, and the integer codes the
kernel works with. Every code and name list here is derived from the enums (:class:`Verdict`,
:class:`claimtrack.Stance`, :class:`claimtrack.SubjectKind`); none is written out by hand.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from claimtrack.claim import Stance
from claimtrack.subject import SubjectKind


class Verdict(enum.StrEnum):
    """The relation between two claims about one subject."""

    AGREE = "agree"
    """Different origins, compatible values (the intervals overlap) at comparable times."""
    REFINE = "refine"
    """Compatible, and one interval lies inside the other: one source is more precise."""
    DIFFER = "differ"
    """Incompatible values (disjoint intervals) at comparable times from different origins."""
    INCONSISTENT = "inconsistent"
    """Incompatible values for the same subject and time within one source, in one voice."""
    UPDATE = "update"
    """A later value supersedes an earlier one: a claimant revising its figure, a count advancing."""
    CHANGE = "change"
    """Disjoint values from different claimants far apart in time: a change over time, not a
    conflict, and not a revision (only a claimant can revise its own figure)."""
    REPEAT = "repeat"
    """The same claim from the same origin again: not independent corroboration."""
    CONTRADICT = "contradict"
    """Opposite stances on one proposition, or a denial against the figure it denies."""


NOTABLE = (
    Verdict.INCONSISTENT,
    Verdict.CONTRADICT,
    Verdict.DIFFER,
    Verdict.UPDATE,
    Verdict.CHANGE,
)
"""The verdicts :meth:`Comparison.findings` reports, in this order of importance."""

VERDICTS: tuple[str, ...] = tuple(v.value for v in Verdict)
"""The verdict names, in :class:`Verdict` order (the columns of a tally, the ``n_...`` columns
of the subjects table)."""
VERDICT_CODES: Mapping[str, int] = MappingProxyType({v: i for i, v in enumerate(VERDICTS)})
"""A verdict's position in :data:`VERDICTS`."""
REPEAT = VERDICT_CODES[Verdict.REPEAT]
UPDATE = VERDICT_CODES[Verdict.UPDATE]

STANCES: tuple[str, ...] = tuple(s.value for s in Stance)
"""The stance names, in :class:`claimtrack.Stance` order: a stance's code is its position."""
STANCE_CODES: Mapping[str, int] = MappingProxyType({s: i for i, s in enumerate(STANCES)})
DENIES = STANCE_CODES[Stance.DENIES]

KIND_CODES: Mapping[str, int] = MappingProxyType({k.value: i for i, k in enumerate(SubjectKind)})
"""A subject kind's code: its position in :class:`claimtrack.SubjectKind` (-1: unknown)."""
QUANTITY = KIND_CODES[SubjectKind.QUANTITY]
DAY_COUNT = KIND_CODES[SubjectKind.DAY_COUNT]
EVENT_DATE = KIND_CODES[SubjectKind.EVENT_DATE]
STATEMENT = KIND_CODES[SubjectKind.STATEMENT]

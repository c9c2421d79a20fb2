"""The comparison's vocabulary: verdicts, stances and subject kinds, and the integer codes the
kernel works with. Every code and name list here is derived from the enums (:class:`Verdict`,
:class:`claimtrack.Stance`, :class:`claimtrack.SubjectKind`); none is written out by hand.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from claimtrack.claim import Stance
from claimtrack.subject import SubjectKind


class Verdict(enum.StrEnum):
    """The relation between two claims about one subject."""

    AGREE = "agree"
    """Different origins, compatible values (the intervals overlap) at comparable times (for a
    subject that varies by occasion: on one occasion)."""
    REFINE = "refine"
    """Compatible, and one interval lies inside the other: one source is more precise."""
    DIFFER = "differ"
    """Incompatible values (disjoint intervals) at comparable times from different origins; or a
    promise against a figure outside what it means (an ``about`` link: in tension)."""
    INCONSISTENT = "inconsistent"
    """Incompatible values for the same subject and time within one source, in one voice."""
    UPDATE = "update"
    """A later value supersedes an earlier one: a claimant revising its figure, a count advancing."""
    CHANGE = "change"
    """Disjoint values from different claimants far apart in time: a change over time, not a
    conflict, and not a revision (only a claimant can revise its own figure)."""
    REPEAT = "repeat"
    """The same claim from the same origin again: not independent corroboration; or one
    speaker's consistent stance on two related propositions (a ``related_to`` link)."""
    CONTRADICT = "contradict"
    """Opposite stances on one proposition, or a denial against the figure it denies; across
    links, one speaker on opposite sides of related propositions, or an assertion against a
    figure it excludes."""
    RESPONDS = "responds"
    """One statement answers the other: a promise answering a demand on one proposition, or a
    demand opposing a figure (an ``about`` link)."""
    OTHER = "other"
    """Neither agreement nor conflict can be told: different kinds of statement on one
    proposition (a warning and a demand), or claims no rule compares (an undated value, a
    statement beside a figure), with the reason why."""
    COMBINED = "combined"
    """An additional amount ("millions more") and the figure it adds to: read together as one
    total, not compared against each other."""
    SEPARATE = "separate"
    """Figures for different occasions of a subject that varies by occasion (a crowd on two
    different days): different facts, neither agreement, conflict, revision nor change."""
    SHIFT = "shift"
    """One speaker's stance that changed over time: a proposition asserted, and over a year
    later denied (or its negation asserted) by the same speaker. Not a contradiction between
    two claims: both may be true, each at its time."""


NOTABLE = (
    Verdict.INCONSISTENT,
    Verdict.CONTRADICT,
    Verdict.DIFFER,
    Verdict.UPDATE,
    Verdict.CHANGE,
    Verdict.SHIFT,
)
"""The verdicts :meth:`Comparison.findings` reports, in this order of importance."""

VERDICTS: tuple[str, ...] = tuple(v.value for v in Verdict)
"""The verdict names, in :class:`Verdict` order (the columns of a tally, the ``n_...`` columns
of the subjects table)."""
VERDICT_CODES: Mapping[str, int] = MappingProxyType({v: i for i, v in enumerate(VERDICTS)})
"""A verdict's position in :data:`VERDICTS`."""
REPEAT = VERDICT_CODES[Verdict.REPEAT]
UPDATE = VERDICT_CODES[Verdict.UPDATE]
COMBINED = VERDICT_CODES[Verdict.COMBINED]
NOTABLE_CODES = tuple(VERDICT_CODES[v] for v in NOTABLE)
"""The codes of the :data:`NOTABLE` verdicts."""

STANCES: tuple[str, ...] = tuple(s.value for s in Stance)
"""The stance names, in :class:`claimtrack.Stance` order: a stance's code is its position."""
STANCE_CODES: Mapping[str, int] = MappingProxyType({s: i for i, s in enumerate(STANCES)})
DENIES = STANCE_CODES[Stance.DENIES]
HEDGED_STANCE_CODES: tuple[int, ...] = tuple(STANCE_CODES[s] for s in Stance if s.hedged)
"""The codes of the hedged stances (fears, believes, suspects)."""


@attrs.frozen
class Act:
    """What kind of speech act a stance is, which decides how two stances on one proposition
    relate (:func:`stance_matrix`).

    ``kind``: ``"assertive"`` (says the proposition is or is not so), ``"directive"`` (asks for
    it) or ``"commissive"`` (commits to it); ``positive``: for or against the proposition;
    ``hedged``: a weaker form (believes, suspects, fears), which weighs like an assertion.
    """

    kind: str = attrs.field(
        validator=attrs.validators.in_(("assertive", "directive", "commissive"))
    )
    positive: bool = True
    hedged: bool = False


STANCE_ACTS: Mapping[Stance, Act] = MappingProxyType(
    {
        Stance.ASSERTS: Act("assertive"),
        Stance.DENIES: Act("assertive", positive=False),
        Stance.WARNS: Act("assertive"),  # warning that X is so asserts it (and a consequence)
        Stance.PROMISES: Act("commissive"),
        Stance.DEMANDS: Act("directive"),
        # hedged: weaker than asserting it (the reason names the verb); they agree with an
        # assertion and contradict a denial
        Stance.FEARS: Act("assertive", hedged=True),
        Stance.BELIEVES: Act("assertive", hedged=True),
        Stance.SUSPECTS: Act("assertive", hedged=True),
    }
)
"""Each stance as a speech act: adding a :class:`claimtrack.Stance` is one line here (a hedged
one, "believes", is ``Act("assertive", hedged=True)``); a stance missing here relates to every
other as ``other``, and ``tests/test_stance_matrix.py`` says which line to add."""


def _cell(a: Act | None, b: Act | None) -> Verdict:
    if a is None or b is None:
        return Verdict.OTHER
    if a.kind == b.kind:
        return Verdict.AGREE if a.positive == b.positive else Verdict.CONTRADICT
    if {a.kind, b.kind} == {"directive", "commissive"} and a.positive == b.positive:
        return Verdict.RESPONDS
    return Verdict.OTHER


def stance_matrix(
    acts: Mapping[Stance, Act] = STANCE_ACTS,
) -> Mapping[tuple[Stance, Stance], Verdict]:
    """The verdict of every ordered pair of stances on one proposition, from their speech acts:
    two acts of one kind agree (the same direction) or contradict (opposite ones: asserts and
    denies); a promise answers a demand (``responds``); any other pair is ``other``, a different
    kind of statement. Pairs of one speaker and one stance are repeats before the matrix is read.
    """
    return MappingProxyType(
        {(a, b): _cell(acts.get(a), acts.get(b)) for a in Stance for b in Stance}
    )


DEFAULT_STANCE_MATRIX = stance_matrix()
"""The stance matrix :class:`ComparePolicy` uses by default (see ``docs/comparing.md``)."""

KIND_CODES: Mapping[str, int] = MappingProxyType({k.value: i for i, k in enumerate(SubjectKind)})
"""A subject kind's code: its position in :class:`claimtrack.SubjectKind` (-1: unknown)."""
QUANTITY = KIND_CODES[SubjectKind.QUANTITY]
DAY_COUNT = KIND_CODES[SubjectKind.DAY_COUNT]
EVENT_DATE = KIND_CODES[SubjectKind.EVENT_DATE]
STATEMENT = KIND_CODES[SubjectKind.STATEMENT]

"""The declared comparison rules: named conditions on pairs, each with its verdict and reason.

Rules are tried in order; the first that holds for a pair decides it (see ``docs/comparing.md``).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np

from claimtrack.compare._ages import (
    AGE_ADVANCES,
    AGES_DISAGREE,
    DIFFERENT_UNITS,
    age_advances,
    ages_disagree,
    different_units,
)
from claimtrack.compare._arrays import Bools
from claimtrack.compare._pairs import Pairs
from claimtrack.compare._provenance import one_occasion, relayed, republished
from claimtrack.compare._reasons import (
    _day_count,
    _day_tolerance,
    _explain_any,
    _explain_counts,
    _explain_dates,
    _explain_quantities,
    _explain_statements,
    _sides,
)
from claimtrack.compare._template import Template
from claimtrack.compare._vocabulary import (
    DAY_COUNT,
    DENIES,
    EVENT_DATE,
    QUANTITY,
    STATEMENT,
    VERDICT_CODES,
    Verdict,
)

Mask = Callable[[Pairs], Bools]
Explain = Callable[[Pairs, Bools], list[str]]


@attrs.frozen
class Rule:
    """A named condition on pairs, and the verdict and reason it gives where it holds.

    Rules are tried in order; the first that holds for a pair decides it; :data:`UNDECIDED`,
    last, decides every pair the others leave. A rule with verdict ``None`` removes the pair (none
    of :data:`RULES` does: every pair of claims about a subject gets a verdict). ``explain`` is any callable giving
    the reasons of the masked pairs; a :class:`Template` builds them without a loop per pair.

    ``reads_identity``: whether ``when`` or ``explain`` may read which claims a pair is of (the
    ``claim``, ``row`` or ``base_row`` columns, or ``p.i`` and ``p.j``) rather than only what the
    claims say (their columns, and ``p.skip_additional_base``). A policy whose rules all declare
    ``False`` can be decided one pair of groups of interchangeable claims at a time (see
    ``docs/comparing.md``, "How a comparison scales"); the default, ``True``, has a rule's pairs
    decided one by one.
    """

    name: str
    verdict: Verdict | None = attrs.field(converter=attrs.converters.optional(Verdict))
    when: Mask = attrs.field(repr=False)
    explain: Explain = attrs.field(repr=False)
    description: str = ""
    reads_identity: bool = attrs.field(default=True, kw_only=True)
    reads_reports: bool = attrs.field(default=True, kw_only=True)
    """Whether ``when`` may read of two claims of different origins which reports they are in
    beyond what is the same for every pair of the same two lines (whether they share a
    publisher, a relay or a reprinted report's publisher, and how similar their quotes are),
    and beyond which was published later (``Pairs.b_published_later``) and, for two lines of
    one time with one figure or within one line, which comes first. ``False`` lets a grouped
    comparison decide such pairs one pair of lines at a time (see ``docs/comparing.md``)."""


STANCE_SHIFT_DAYS = 365
"""Opposite stances of one speaker more than this many days apart are a stance that changed
(verdict ``shift``), not a contradiction."""


def _q(p: Pairs) -> Bools:
    """Two figures in one unit (figures in two are left to the rule ``different-units``)."""
    return p.kinds(QUANTITY, QUANTITY) & ~different_units(p)


def _dc(p: Pairs) -> Bools:
    return p.kinds(DAY_COUNT, DAY_COUNT)


def _ev(p: Pairs) -> Bools:
    return p.kinds(EVENT_DATE, EVENT_DATE)


def _st(p: Pairs) -> Bools:
    return p.kinds(STATEMENT, STATEMENT)


def _stance(verdict: Verdict) -> Mask:
    """Statements whose two stances the policy's stance matrix gives ``verdict``."""
    code = VERDICT_CODES[verdict]
    return lambda p: _st(p) & (p.stance_verdict == code)


def _dated(p: Pairs) -> Bools:
    return ~p.undated


def _every(p: Pairs) -> Bools:
    return np.ones(len(p.i), dtype=bool)


UNDECIDED = Rule(
    "undecided",
    Verdict.OTHER,
    _every,
    _explain_any(
        "{ca}'s {ka} ({wa}, {sa}) and {cb}'s {kb} ({wb}, {sb}): no rule compares these "
        "claims (a kind, stance, value or time a rule needs is missing), so neither "
        "agreement nor conflict is found"
    ),
    "The last rule: a pair no other rule decides is kept, and says so.",
    reads_identity=False,
)
"""The last rule: every pair the rules before it leave undecided gets a verdict saying so
(:class:`ComparePolicy` appends it to rules that lack it, so no pair is dropped unexplained)."""


RULES: tuple[Rule, ...] = (
    Rule(
        "additional-with-its-base",
        Verdict.COMBINED,
        lambda p: _q(p) & p.skip_additional_base,
        _explain_quantities(
            "{ca} gives {va} and {vb} in {sa}: one is an amount in addition to the other (its "
            "interval is the total of the two), read together, not compared against each other"
        ),
        "An additional amount is read together with the figure it adds to, not against it.",
    ),
    Rule(
        "separate-occasions",
        Verdict.SEPARATE,
        lambda p: _q(p) & p.a("occasion") & ~p.comparable & _dated(p),
        _explain_quantities(
            "{ca} gives {va} as of {wa}; {cb} gives {vb} as of {wb} ({days}): figures for "
            "different occasions of a subject that varies by occasion, different facts — neither "
            "agreement, conflict nor revision"
        ),
        "Figures for different occasions (further apart than occasion_tolerance_days) of a "
        "subject that varies by occasion.",
    ),
    Rule(
        "repeat-republished",
        Verdict.REPEAT,
        lambda p: _q(p) & republished(p) & p.same("claimant_code") & p.overlap,
        _explain_quantities(
            "{sb} and {sa} are one report (one republishes the other): {cb}'s {vb} and {va} "
            "are one origin, not corroboration"
        ),
        "A republication (republishes:) gives its origin's figure from the same claimant.",
    ),
    Rule(
        "repeat-relayed",
        Verdict.REPEAT,
        lambda p: _q(p) & relayed(p) & p.same("claimant_code") & p.overlap & one_occasion(p),
        _explain_quantities(
            "one of {sa} and {sb} has {cb}'s figure via the other's publisher ({va}; {vb}): "
            "one origin relayed, not corroboration"
        ),
        "A figure relayed via the publisher that reported it first, from the same claimant.",
    ),
    Rule(
        "repeat-same-claimant-same-value",
        Verdict.REPEAT,
        lambda p: _q(p) & p.same("claimant_code") & p.equal & (p.comparable | p.undated),
        _explain_quantities(
            "{cb} gives the same figure again, {vb}, in {sb}, as in {sa}: one origin, not "
            "corroboration"
        ),
        "The same claimant gives the same interval again at a comparable time.",
    ),
    Rule(
        "update-revised-in-later-report",
        Verdict.UPDATE,
        lambda p: (
            _q(p)
            & p.same("claimant_code")
            & p.same("origin_publisher_code")  # a republication: its origin's publisher
            & ~p.same("source_code")
            & ~p.equal
            & p.comparable
            & ~p.b_later
            & p.b_published_later
        ),
        _explain_quantities(
            "{cb} gives {va} as of {wa} in {sa}, then {vb} as of {wb} in {sb}, a later report of "
            "the same publisher (or a republication of one): revised in a later report, the later "
            "figure supersedes the earlier"
        ),
        "One publisher's later report gives a different figure for the same time: a revision.",
    ),
    Rule(
        "inconsistent-age",
        Verdict.INCONSISTENT,
        lambda p: ages_disagree(p) & p.same("source_code") & p.same("claimant_code"),
        AGES_DISAGREE,
        "Two ages in one source's own voice whose arithmetic does not hold (the births differ).",
    ),
    Rule(
        "differ-age",
        Verdict.DIFFER,
        ages_disagree,
        AGES_DISAGREE,
        "Ages from different origins whose arithmetic does not hold (65 in 2019, 70 in 2021).",
    ),
    Rule(
        "repeat-reused-wording",
        Verdict.REPEAT,
        lambda p: _q(p) & p.same("publisher_code") & p.similar_wording & p.overlap,
        _explain_quantities(
            "the same publisher reuses the wording ({sim:.0f}% similar) of {sa} in {sb}: "
            "{va} and {vb} are one origin"
        ),
        "One publisher reuses near-identical wording across articles.",
    ),
    Rule(
        "repeat-summary-restates-body",
        Verdict.REPEAT,
        lambda p: (
            _q(p)
            & p.same("source_code")
            & (p.a("summary") | p.b("summary"))
            & p.same("claimant_code")
            & p.overlap
        ),
        _explain_quantities("{sa} restates its own figure: {va} and {vb} are one claim"),
        "A headline, standfirst, caption or lede restates a figure of the body.",
    ),
    Rule(
        "update-age-advances",
        Verdict.UPDATE,
        age_advances,
        AGE_ADVANCES,
        "An age given again later, advanced as the time between them says (65, then 68).",
    ),
    Rule(
        "update-revised-figure",
        Verdict.UPDATE,
        lambda p: _q(p) & p.same("claimant_code") & p.b_later & ~p.equal,
        _explain_quantities(
            "{cb} gives {va} as of {wa}, then {vb} as of {wb} ({days}): the later figure "
            "supersedes the earlier"
        ),
        "The same claimant gives a different figure at a later time.",
    ),
    Rule(
        "change-over-time",
        Verdict.CHANGE,
        lambda p: _q(p) & ~p.same("claimant_code") & ~p.comparable & ~p.overlap & _dated(p),
        _explain_quantities(
            "{ca} gives {va} as of {wa}; {cb} gives {vb} as of {wb}, {days}: too far apart in "
            "time to conflict, and a later figure from another claimant is not a revision of the "
            "first — a change over time"
        ),
        "Disjoint values from different claimants too far apart in time to be a conflict.",
    ),
    Rule(
        "inconsistent-within-source",
        Verdict.INCONSISTENT,
        lambda p: (
            _q(p) & p.same("source_code") & p.same("claimant_code") & ~p.overlap & p.comparable
        ),
        _explain_quantities(
            "{sa} gives both {va} and {vb} for the same time ({wa}): the intervals do not "
            "overlap ({gap} gap)"
        ),
        "One source gives incompatible values in its own voice for the same time.",
    ),
    Rule(
        "differ",
        Verdict.DIFFER,
        lambda p: _q(p) & ~p.overlap & p.comparable,
        _explain_quantities(
            "{ca} gives {va} (as of {wa}); {cb} gives {vb} (as of {wb}): no overlap, a {gap} "
            "gap, {days}{weigh}"
        ),
        "Disjoint values from different origins at comparable times.",
    ),
    Rule(
        "refine",
        Verdict.REFINE,
        lambda p: _q(p) & p.overlap & (p.a_in_b | p.b_in_a) & ~p.equal,
        _explain_quantities(
            "{va} from {ca} and {vb} from {cb} are compatible and one interval lies inside the "
            "other: the narrower one is more precise ({days})"
        ),
        "Compatible values where one interval lies inside the other.",
    ),
    Rule(
        "agree",
        Verdict.AGREE,
        lambda p: _q(p) & p.overlap,
        _explain_quantities("{va} from {ca} and {vb} from {cb} overlap ({days})"),
        "Overlapping values from different origins.",
    ),
    Rule(
        "undated-values",
        Verdict.OTHER,
        lambda p: _q(p) & p.undated,
        _explain_quantities(
            "{ca} gives {va} ({wa}); {cb} gives {vb} ({wb}): the values do not overlap ({gap} "
            "gap), but an undated claim has no time to compare, so whether this is a change, a "
            "revision or a conflict cannot be told"
        ),
        "Disjoint values where one claim is undated: neither a conflict nor an update is decided.",
    ),
    Rule(
        "repeat-same-count",
        Verdict.REPEAT,
        lambda p: (
            _dc(p)
            & (p.a("ordinal") == p.b("ordinal"))
            & (np.maximum(p.b("t0") - p.a("t1"), p.a("t0") - p.b("t1")) <= 0)
        ),
        _explain_counts("{cb} gives day {nb} again (as of {wb}), as {ca} did: one count"),
        "The same count on the same date, said again.",
    ),
    Rule(
        "update-count-advances",
        Verdict.UPDATE,
        lambda p: _dc(p) & p.same_start,
        _explain_counts(
            "the count advances from {na} (as of {wa}) to {nb} (as of {wb}); both imply the series "
            "began {startb}"
        ),
        "A day count advancing, implying the same start.",
    ),
    Rule(
        "update-count-advances-overlapping-starts",
        Verdict.UPDATE,
        lambda p: _dc(p) & (p.start_gap == 0),
        _explain_counts(
            "the count advances from {na} (as of {wa}, implying a start on {starta}) to {nb} (as "
            "of {wb}, implying {startb}): the implied starts overlap"
        ),
        "A day count advancing, implying overlapping starts.",
    ),
    Rule(
        "update-count-advances-within-tolerance",
        Verdict.UPDATE,
        lambda p: _dc(p) & (p.start_gap <= _day_tolerance(p)),
        _explain_counts(
            "the count advances from {na} (as of {wa}, implying a start on {starta}) to {nb} (as "
            "of {wb}, implying {startb}): the implied starts are {off} apart, within the "
            "tolerance of {tol}"
        ),
        "A day count advancing, implying starts apart by at most day_count_tolerance_days.",
    ),
    Rule(
        "inconsistent-count-start",
        Verdict.INCONSISTENT,
        lambda p: _dc(p) & p.same("source_code") & _dated(p),
        _explain_counts(
            "day {na} as of {wa} implies a start on {starta}, but day {nb} as of {wb} implies "
            "{startb}: {off} apart within one source (more than the tolerance of {tol})"
        ),
        "Two counts of one series in one source that imply different start dates.",
    ),
    Rule(
        "differ-count-start",
        Verdict.DIFFER,
        lambda p: _dc(p) & _dated(p),
        _explain_counts(
            "{ca}'s day {na} as of {wa} implies a start on {starta}; {cb}'s day {nb} as of {wb} "
            "implies {startb}: {off} apart (more than the tolerance of {tol}){weigh}"
        ),
        "Counts of one series from different origins that imply different start dates.",
    ),
    Rule(
        "undated-count",
        Verdict.OTHER,
        _dc,
        _explain_counts(
            "{ca}'s day {na} ({wa}) and {cb}'s day {nb} ({wb}): an undated count implies no "
            "start, so whether the two agree cannot be told (the series checks date it from a "
            "stated start)"
        ),
        "Day counts where one is undated: which start it implies cannot be told.",
    ),
    Rule(
        "repeat-same-date",
        Verdict.REPEAT,
        lambda p: (
            _ev(p)
            & p.dates_equal
            & (
                p.same("claimant_code")
                | p.same("source_code")
                | (p.same("publisher_code") & p.similar_wording)
            )
        ),
        _explain_dates("{cb} gives the date {db} again, as in {sa}: one origin"),
        "The same date from the same claimant, source or reused wording.",
    ),
    Rule(
        "inconsistent-date",
        Verdict.INCONSISTENT,
        lambda p: _ev(p) & ~p.dates_overlap & p.same("source_code"),
        _explain_dates("{sa} dates it both {da} and {db}"),
        "One source gives two dates that cannot both hold.",
    ),
    Rule(
        "differ-date",
        Verdict.DIFFER,
        lambda p: _ev(p) & ~p.dates_overlap,
        _explain_dates("{ca} dates it {da}; {cb} dates it {db}: the dates cannot both hold{weigh}"),
        "Two dates that cannot both hold, from different origins.",
    ),
    Rule(
        "refine-date",
        Verdict.REFINE,
        lambda p: _ev(p) & p.dates_nested & ~p.dates_equal,
        _explain_dates(
            "{da} ({ca}) and {db} ({cb}) are compatible: the narrower date is more precise"
        ),
        "Compatible dates where one lies inside the other.",
    ),
    Rule(
        "agree-date",
        Verdict.AGREE,
        _ev,
        _explain_dates("{ca} and {cb} both date it {da}"),
        "The same date from different origins.",
    ),
    Rule(
        "shift-stance",
        Verdict.SHIFT,
        lambda p: (
            _stance(Verdict.CONTRADICT)(p)
            & p.same("speaker_code")
            & ~np.isnan(p.a("t0"))
            & ~np.isnan(p.b("t0"))
            & (p.days_apart > STANCE_SHIFT_DAYS)
        ),
        Template(
            "{first} that {label} ({wa}), then {second} ({wb}), {days} apart: one speaker's "
            "stance that changed over time, not a contradiction",
            {
                "first": ("a", "statement_text"),
                "second": ("b", "statement_text"),
                "label": ("a", "label"),
                **_sides(w="when"),
            },
            {"days": (lambda p: p.days_apart, _day_count)},
        ),
        "One speaker taking opposite stances on one proposition over a year apart.",
    ),
    Rule(
        "contradict",
        Verdict.CONTRADICT,
        _stance(Verdict.CONTRADICT),
        _explain_statements("{first} but {second} that {label}{weigh}"),
        "Opposite stances on one proposition (asserts against denies; see the stance matrix).",
    ),
    Rule(
        "contradict-denied-figure",
        Verdict.CONTRADICT,
        lambda p: (
            p.kinds(STATEMENT, QUANTITY)
            & (
                ((p.a("kind") == STATEMENT) & (p.a("stance") == DENIES))
                | ((p.b("kind") == STATEMENT) & (p.b("stance") == DENIES))
            )
        ),
        _explain_statements("{first}, but {second}: {label}{weigh}"),
        "A statement denying the figures of a quantity subject, against such a figure.",
    ),
    Rule(
        "repeat-republished-statement",
        Verdict.REPEAT,
        lambda p: (
            _st(p)
            & p.same("stance")
            & p.same("speaker_code")
            & (republished(p) | (relayed(p) & p.same("claimant_code")))
            & one_occasion(p)
        ),
        _explain_statements(
            "{first} ({sb}) as in {sa}, a republication or a relay of it: one origin that {label}"
        ),
        "The same statement in a republication (republishes:) or relayed via its publisher.",
    ),
    Rule(
        "repeat-same-speaker",
        Verdict.REPEAT,
        lambda p: (
            _st(p)
            & p.same("stance")
            & (p.same("speaker_code") | (p.same("publisher_code") & p.similar_wording))
            & one_occasion(p)
        ),
        _explain_statements("{first} again ({sb}), as in {sa}: one origin that {label}"),
        "The same speaker taking the same stance again, or reused wording (on one occasion, "
        "for a subject that varies by occasion).",
    ),
    Rule(
        "repeat-summary-restates-statement",
        Verdict.REPEAT,
        lambda p: (
            _st(p) & p.same("stance") & p.same("source_code") & (p.a("summary") | p.b("summary"))
        ),
        _explain_statements(
            "{sa} restates in a headline, standfirst, caption or lede what its body reports "
            "({first}; {second}): one origin that {label}"
        ),
        "A headline, standfirst, caption or lede restating a statement of its own article.",
    ),
    Rule(
        "agree-stance",
        Verdict.AGREE,
        _stance(Verdict.AGREE),
        _explain_statements("{first} and {second} that {label}"),
        "Stances that agree on one proposition: the same stance from different speakers, or "
        "stances of one kind and direction (a warning and an assertion; see the stance matrix).",
    ),
    Rule(
        "responds",
        Verdict.RESPONDS,
        _stance(Verdict.RESPONDS),
        _explain_statements(
            "{first} and {second} that {label}: one statement answers the other, neither "
            "agreement nor conflict"
        ),
        "A statement answering another on one proposition: a promise to a demand.",
    ),
    Rule(
        "other-stances",
        Verdict.OTHER,
        _stance(Verdict.OTHER),
        _explain_statements(
            "{first} and {second} that {label}: different kinds of statement, neither agreement "
            "nor conflict"
        ),
        "Different kinds of statement on one proposition (a warning and a demand).",
    ),
    Rule(
        "statement-beside-figure",
        Verdict.OTHER,
        lambda p: p.kinds(STATEMENT, QUANTITY),
        _explain_statements(
            "{first}; {second}: a statement beside a figure, neither agreement nor conflict that "
            "{label}"
        ),
        "A statement on a quantity subject that does not deny its figures, beside a figure.",
    ),
    Rule(
        "different-units",
        Verdict.OTHER,
        lambda p: p.kinds(QUANTITY, QUANTITY) & different_units(p),
        DIFFERENT_UNITS,
        "Figures in two different units (a claims frame's): not compared, never converted here.",
    ),
    UNDECIDED,
)
"""The comparison rules, in the order they are tried."""

# every built-in rule reads only what the claims say, never which claims they are
# (tests/test_grouped.py checks each one by renumbering the claims)
RULES = tuple(r if r is UNDECIDED else attrs.evolve(r, reads_identity=False) for r in RULES)
# and of two claims of different origins, nothing of their reports but what every pair of the
# same two lines shares (tests/test_lines.py checks it on the pairs of generated claim sets)
RULES = tuple(attrs.evolve(r, reads_reports=False) for r in RULES)
UNDECIDED = RULES[-1]

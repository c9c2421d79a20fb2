"""The rules of link pairs (claims of two subjects joined by a declared link): what each link
means, as named conditions over the arrays of a :class:`LinkPairs` chunk, with a reason that
shows the arithmetic or the order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from claimtrack.compare._arrays import Bools, Objects
from claimtrack.compare._link_pairs import (
    ADDS_TO,
    ENDS,
    FOLLOWS,
    LOWER_BOUND_OF,
    NEGATES,
    PART_OF,
    PLANNED_AS,
    LinkPairs,
)
from claimtrack.compare._link_statements import STATEMENT_LINK_RULES
from claimtrack.compare._link_texts import (
    _ASSERTS,
    _gap_text,
    _intervals,
    _join,
    _lp,
    _numbers,
    _side,
)
from claimtrack.compare._pairs import Pairs
from claimtrack.compare._rules import STANCE_SHIFT_DAYS, Rule
from claimtrack.compare._texts import _date_spans
from claimtrack.compare._vocabulary import (
    EVENT_DATE,
    QUANTITY,
    STATEMENT,
    VERDICT_CODES,
    Verdict,
)


def _link_name(p: LinkPairs, m: Bools) -> Objects:
    return np.asarray(p.claims["subject"].to_numpy()[p.i[m]], dtype=object)


def _base_text(p: LinkPairs, m: Bools) -> Objects:
    base = p.base_row[m]
    values = p.claims["value_text"].to_numpy()
    out = np.full(len(base), "", dtype=object)
    out[base >= 0] = values[base[base >= 0]] + " plus "
    return out


def _explain_total(ending: str, bound: str) -> Any:
    """The reason of an increment against a figure of the total: the arithmetic, then ``ending``
    and the figure; ``bound`` is the part of the total that decided (``lo``, ``hi`` or ``all``)."""

    def explain(q: Pairs, m: Bools) -> list[str]:
        p = _lp(q)
        base = p.base_row[m] >= 0
        if bound == "all":
            total = _intervals(p.total_lo[m], p.total_hi[m])
        else:
            total = _numbers((p.total_lo if bound == "lo" else p.total_hi)[m])
        lead = {"lo": "at least ", "hi": "at most ", "all": ""}[bound]
        alone = np.where(base, "", ", an increment on a base not given here,")
        return _join(
            _side(p, m, "a", "claimant"),
            ": ",
            _base_text(p, m),
            _side(p, m, "a", "value_text"),
            alone,
            f" makes a total of {lead}",
            total,
            f"{ending} ",
            _side(p, m, "b", "claimant"),
            "'s ",
            _side(p, m, "b", "value_text"),
            " (",
            _side(p, m, "a", "when"),
            "; ",
            _side(p, m, "b", "when"),
            ")",
        )

    return explain


def _explain_sum(ending: str) -> Any:
    def explain(q: Pairs, m: Bools) -> list[str]:
        p = _lp(q)
        return _join(
            _side(p, m, "a", "source"),
            " gives every part of ",
            _side(p, m, "b", "label"),
            ": ",
            p.parts_text[m],
            " = ",
            _intervals(p.sum_lo[m], p.sum_hi[m]),
            f", {ending} ",
            _side(p, m, "b", "claimant"),
            "'s ",
            _side(p, m, "b", "value_text"),
        )

    return explain


def _explain_part(middle: str, ending: str = "") -> Any:
    def explain(q: Pairs, m: Bools) -> list[str]:
        p = _lp(q)
        return _join(
            _side(p, m, "a", "claimant"),
            "'s ",
            _side(p, m, "a", "value_text"),
            " (",
            _side(p, m, "a", "label"),
            f") {middle} ",
            _side(p, m, "b", "label"),
            f"{ending} ",
            _side(p, m, "b", "claimant"),
            "'s ",
            _side(p, m, "b", "value_text"),
        )

    return explain


def _explain_negation(ending: str) -> Any:
    def explain(q: Pairs, m: Bools) -> list[str]:
        p = _lp(q)
        return _join(
            _side(p, m, "a", "statement_text"),
            " that ",
            _side(p, m, "a", "label"),
            " (",
            _side(p, m, "a", "when"),
            "); ",
            _side(p, m, "b", "statement_text"),
            " that ",
            _side(p, m, "b", "label"),
            " (",
            _side(p, m, "b", "when"),
            "), which negates it",
            ending,
        )

    return explain


def _explain_shift(q: Pairs, m: Bools) -> list[str]:
    p = _lp(q)
    return _join(
        _explain_negation("")(p, m),
        ": ",
        _gap_text(p.days_apart[m]),
        " apart, one speaker's stance that changed over time, not a contradiction",
    )


def _explain_order(middle: str, ending: str, gap: bool = False) -> Any:
    def explain(q: Pairs, m: Bools) -> list[str]:
        p = _lp(q)
        days = np.nan_to_num(np.maximum(p.start("a")[m] - p.end("b")[m], 0.0))
        return _join(
            _side(p, m, "a", "claimant"),
            ": ",
            _side(p, m, "a", "label"),
            " as of ",
            p.time_text("a")[m],
            middle,
            _gap_text(days) if gap else "",
            ending,
            " ",
            _side(p, m, "b", "label"),
            " (",
            p.time_text("b")[m],
            ", ",
            _side(p, m, "b", "claimant"),
            ")",
        )

    return explain


def _explain_end(middle: str) -> Any:
    def explain(q: Pairs, m: Bools) -> list[str]:
        p = _lp(q)
        return _join(
            _side(p, m, "b", "statement_text"),
            " that ",
            _side(p, m, "b", "label"),
            " as of ",
            p.time_text("b")[m],
            f"; {middle} ",
            _side(p, m, "a", "label"),
            " (",
            p.time_text("a")[m],
            ", ",
            _side(p, m, "a", "claimant"),
            ")",
        )

    return explain


def _explain_plan(middle: str) -> Any:
    def explain(q: Pairs, m: Bools) -> list[str]:
        p = _lp(q)
        valid = ~np.isnan(p.plan0[m])
        return _join(
            _side(p, m, "a", "statement_text"),
            " that ",
            _side(p, m, "a", "label"),
            " (the date called for: ",
            _date_spans(p.plan0[m], p.plan1[m], valid),
            "); ",
            _side(p, m, "b", "claimant"),
            " dates ",
            _side(p, m, "b", "label"),
            " ",
            p.time_text("b")[m],
            f": {middle}",
        )

    return explain


def _quantities(p: LinkPairs, code: int) -> Bools:
    return p.is_(code) & p.kinds(QUANTITY, QUANTITY)


def _adds(q: Pairs) -> Bools:
    return _quantities(_lp(q), ADDS_TO)


def _parts(q: Pairs) -> Bools:
    return _quantities(_lp(q), PART_OF)


def _floors(q: Pairs) -> Bools:
    return _quantities(_lp(q), LOWER_BOUND_OF)


def _negations(q: Pairs) -> Bools:
    p = _lp(q)
    return p.is_(NEGATES) & p.kinds(STATEMENT, STATEMENT)


def _matrix(q: Pairs, verdict: Verdict) -> Bools:
    return np.asarray(_negations(q) & (q.stance_verdict == VERDICT_CODES[verdict]), dtype=bool)


def _shift(q: Pairs) -> Bools:
    dated = ~np.isnan(q.a("t0")) & ~np.isnan(q.b("t0"))
    far = np.asarray(q.days_apart > STANCE_SHIFT_DAYS, dtype=bool)
    return np.asarray(_matrix(q, Verdict.AGREE) & q.same("speaker_code") & dated & far, bool)


def _timed(q: Pairs, code: int) -> Bools:
    p = _lp(q)
    known = ~np.isnan(p.start("a")) & ~np.isnan(p.end("b"))
    if code == PLANNED_AS:
        known = ~np.isnan(p.plan0) & ~np.isnan(p.end("b"))
    return p.is_(code) & known


def _asserted(q: Pairs) -> Bools:
    stance = q.b("stance")
    return np.asarray((q.b("kind") == STATEMENT) & _ASSERTS[stance], dtype=bool)


def _every(q: Pairs) -> Bools:
    return np.ones(len(q.i), dtype=bool)


def _explain_derived(q: Pairs, m: Bools) -> list[str]:
    p = _lp(q)
    return _join(
        _side(p, m, "a", "claimant"),
        "'s ",
        _side(p, m, "a", "value_text"),
        " (",
        _side(p, m, "a", "label"),
        ") and ",
        _side(p, m, "b", "claimant"),
        "'s ",
        _side(p, m, "b", "value_text"),
        " (",
        _side(p, m, "b", "label"),
        "): one is derived from the other, read together, not as corroboration",
    )


def _explain_undecided(q: Pairs, m: Bools) -> list[str]:
    p = _lp(q)
    return _join(
        _side(p, m, "a", "claimant"),
        "'s claim about ",
        _side(p, m, "a", "label"),
        " and ",
        _side(p, m, "b", "claimant"),
        "'s about ",
        _side(p, m, "b", "label"),
        ": the link cannot compare them (a value, stance or date it needs is missing)",
    )


LINK_RULES: tuple[Rule, ...] = (
    Rule(
        "link-derived-from-it",
        Verdict.COMBINED,
        lambda q: _lp(q).derived_from_other,
        _explain_derived,
        "A derived figure and a claim it is derived from: read together, not as corroboration.",
    ),
    Rule(
        "link-adds-to-base",
        Verdict.COMBINED,
        lambda q: _adds(q) & (q.j == _lp(q).base_row),
        _explain_total(", read together with its base figure, not against it:", "all"),
        "An increment and the base figure it adds to: one total, read together.",
    ),
    Rule(
        "link-adds-to-above",
        Verdict.DIFFER,
        lambda q: _adds(q) & (_lp(q).total_lo > q.b("hi")),
        _explain_total(", more than", "lo"),
        "The total an increment implies (its base plus it) is above another figure of the total.",
    ),
    Rule(
        "link-adds-to-below",
        Verdict.DIFFER,
        lambda q: _adds(q) & (_lp(q).total_hi < q.b("lo")),
        _explain_total(", less than", "hi"),
        "The total an increment implies is below another figure of the total.",
    ),
    Rule(
        "link-adds-to-agree",
        Verdict.AGREE,
        _adds,
        _explain_total(", compatible with", "all"),
        "The total an increment implies overlaps another figure of the total.",
    ),
    Rule(
        "link-parts-exceed-whole",
        Verdict.DIFFER,
        lambda q: _parts(q) & _lp(q).complete & (_lp(q).sum_lo > q.b("hi")),
        _explain_sum("more than"),
        "The parts one source gives add up to more than a figure of the whole.",
    ),
    Rule(
        "link-parts-short-of-whole",
        Verdict.DIFFER,
        lambda q: _parts(q) & _lp(q).complete & (_lp(q).sum_hi < q.b("lo")),
        _explain_sum("less than"),
        "The parts one source gives add up to less than a figure of the whole.",
    ),
    Rule(
        "link-parts-add-up",
        Verdict.AGREE,
        lambda q: _parts(q) & _lp(q).complete,
        _explain_sum("compatible with"),
        "The parts one source gives add up to a figure of the whole.",
    ),
    Rule(
        "link-part-exceeds-whole",
        Verdict.DIFFER,
        lambda q: _parts(q) & (q.a("lo") > q.b("hi")),
        _explain_part("is a part of", ", but more than"),
        "A part larger than a figure of its whole.",
    ),
    Rule(
        "link-part-within-whole",
        Verdict.AGREE,
        _parts,
        _explain_part("is a part of", " (its source does not give every part), and no more than"),
        "A part no larger than a figure of its whole (its source does not give every part).",
    ),
    Rule(
        "link-floor-above-estimate",
        Verdict.DIFFER,
        lambda q: _floors(q) & (q.a("lo") > q.b("hi")),
        _explain_part("is a floor of", ", but above the upper bound of"),
        "A documented count above the upper bound of the estimate it is a floor of.",
    ),
    Rule(
        "link-floor-within-estimate",
        Verdict.AGREE,
        _floors,
        _explain_part(
            "is a floor of", ": a count below an estimate is no conflict, consistent with"
        ),
        "A documented count no higher than the estimate it is a floor of.",
    ),
    Rule(
        "link-negates-stance-shift",
        Verdict.SHIFT,
        _shift,
        _explain_shift,
        "One speaker asserting a proposition and, over a year apart, its negation: a stance "
        "that changed over time.",
    ),
    Rule(
        "link-negates-contradict",
        Verdict.CONTRADICT,
        lambda q: _matrix(q, Verdict.AGREE),
        _explain_negation(": the two cannot both hold"),
        "Asserting a proposition against asserting its negation.",
    ),
    Rule(
        "link-negates-agree",
        Verdict.AGREE,
        lambda q: _matrix(q, Verdict.CONTRADICT),
        _explain_negation(": denying one asserts the other, the same position"),
        "Asserting a proposition and denying its negation.",
    ),
    Rule(
        "link-negates-other",
        Verdict.OTHER,
        _negations,
        _explain_negation(": different kinds of statement, neither agreement nor conflict"),
        "Different kinds of statement on a proposition and its negation.",
    ),
    Rule(
        "link-follows-out-of-order",
        Verdict.DIFFER,
        lambda q: _timed(q, FOLLOWS) & (_lp(q).end("a") < _lp(q).start("b")),
        _explain_order(", before", ", which it follows:"),
        "A claim dated before the event it follows.",
    ),
    Rule(
        "link-follows-in-order",
        Verdict.AGREE,
        lambda q: _timed(q, FOLLOWS) & (_lp(q).start("a") >= _lp(q).end("b")),
        _explain_order(", ", " after (in order)", gap=True),
        "A claim dated on or after the end of the event it follows.",
    ),
    Rule(
        "link-follows-overlap",
        Verdict.OTHER,
        lambda q: _timed(q, FOLLOWS),
        _explain_order(", overlapping the dates of", ": the order cannot be told from the dates;"),
        "A claim whose time overlaps the event it follows: the order cannot be told.",
    ),
    Rule(
        "link-ends-after",
        Verdict.CONTRADICT,
        lambda q: _timed(q, ENDS) & _asserted(q) & (q.b("t0") > q.a("d1")),
        _explain_end("after"),
        "A state asserted after the event that ended it.",
    ),
    Rule(
        "link-ends-before",
        Verdict.AGREE,
        lambda q: _timed(q, ENDS) & _asserted(q) & (q.b("t1") < q.a("d0")),
        _explain_end("in order, before"),
        "A state asserted before the event that ended it.",
    ),
    Rule(
        "link-ends-other",
        Verdict.OTHER,
        lambda q: _lp(q).is_(ENDS),
        _explain_end("the order cannot be told (or the state is not asserted) against"),
        "A statement of a state and the event that ends it whose order cannot be told.",
    ),
    Rule(
        "link-planned-held",
        Verdict.AGREE,
        lambda q: (
            _timed(q, PLANNED_AS)
            & (_lp(q).plan0 <= q.b("d1"))
            & (q.b("d0") <= _lp(q).plan1)
            & (q.b("kind") == EVENT_DATE)
        ),
        _explain_plan("the events reported include the date called for"),
        "A call or plan for a date, and events reported on dates that include it.",
    ),
    Rule(
        "link-planned-other-dates",
        Verdict.OTHER,
        lambda q: _timed(q, PLANNED_AS) & (q.b("kind") == EVENT_DATE),
        _explain_plan("not the date called for; a call is not a report, so no conflict"),
        "A call or plan for a date, and events reported on other dates.",
    ),
    *STATEMENT_LINK_RULES,
    Rule(
        "link-undecided",
        Verdict.OTHER,
        _every,
        _explain_undecided,
        "The last link rule: a link pair no other rule decides, with the reason why.",
    ),
)
"""The rules of link pairs, in the order they are tried (``docs/comparing.md`` lists them)."""

"""The link rules of propositions read with other subjects' claims: ``related_to`` (one speaker's
stances on two related propositions of one dispute) and ``about`` (a proposition against the
figures of the quantity subject it is about).

``related_to`` declares that two propositions are on the same side of one dispute (denying
genocide and denying that the camps are coercive are one line of denial). Read across it, one
speaker's stances (a speaker in common, co-speakers included) follow the stance matrix as within
one subject: the same direction is one consistent stance (``repeat``: one origin, not
corroboration; on one occasion, where a subject varies by occasion), opposite directions are a
``shift`` over a year apart, else a ``contradict``.
Different speakers' stances are never read as if the two propositions were one: ``other``, with
a reason that says which side each is on.

``about`` declares the figure of the target that asserting the proposition means (``means``:
"no Chinese plants will be built" means none of the facilities planned). An assertion against a
figure outside it ``contradict``\\s it, within it ``agree``\\s; a denial contradicts a figure
within it and agrees with one outside it; a promise of it against a figure outside it is in
tension with the figure (``differ``: the promise commits to what the figure goes against, not a
report that it is false); a demand for it against such a figure opposes it (``responds``: a
demand answers a plan, it reports nothing).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from claimtrack.compare._arrays import Bools
from claimtrack.compare._link_pairs import ABOUT, RELATED_TO
from claimtrack.compare._link_texts import (
    _ASSERTS,
    _DEMANDS,
    _DENIES,
    _PROMISES,
    _gap_text,
    _intervals,
    _join,
    _lp,
    _side,
)
from claimtrack.compare._pairs import Pairs
from claimtrack.compare._rules import STANCE_SHIFT_DAYS, Rule
from claimtrack.compare._vocabulary import QUANTITY, STATEMENT, VERDICT_CODES, Verdict

# -- related_to ---------------------------------------------------------------------------------


def _related(q: Pairs) -> Bools:
    return np.asarray(_lp(q).is_(RELATED_TO) & q.kinds(STATEMENT, STATEMENT), dtype=bool)


def _cell(q: Pairs, verdict: Verdict) -> Bools:
    """Related statements whose stances the stance matrix gives ``verdict``."""
    return np.asarray(_related(q) & (q.stance_verdict == VERDICT_CODES[verdict]), dtype=bool)


def _one_speaker(q: Pairs) -> Bools:
    return np.asarray(_lp(q).shared_speaker, dtype=bool)


def _one_occasion(q: Pairs) -> Bools:
    """The two claims may be about one occasion: neither subject varies by occasion, or they
    hold within ``occasion_tolerance_days`` of each other, or one is undated."""
    by_occasion = q.a("occasion") | q.b("occasion")
    near = q.days_apart <= float(q.policy.occasion_tolerance_days)
    return np.asarray(~by_occasion | near | q.undated, dtype=bool)


def _far_apart(q: Pairs) -> Bools:
    dated = ~np.isnan(q.a("t0")) & ~np.isnan(q.b("t0"))
    return np.asarray(dated & (q.days_apart > STANCE_SHIFT_DAYS), dtype=bool)


def _both(q: Pairs, m: Bools) -> list[str]:
    """ "china denies that A (2019-09-03); china denies that B (2022-06-01)"."""
    return _join(
        _side(q, m, "a", "statement_text"),
        " that ",
        _side(q, m, "a", "label"),
        " (",
        _side(q, m, "a", "when"),
        "); ",
        _side(q, m, "b", "statement_text"),
        " that ",
        _side(q, m, "b", "label"),
        " (",
        _side(q, m, "b", "when"),
        ")",
    )


def _explain_related(middle: str, ending: str, gap: bool = False) -> Any:
    """Both stances, then ``middle``, the speaker they share in brackets (none for different
    speakers), ``ending``; with ``gap``, the time between them first."""

    def explain(q: Pairs, m: Bools) -> list[str]:
        p = _lp(q)
        speaker = p.speaker_text[m]
        named = np.where(speaker == "", "", " (" + speaker.astype(object) + ")")
        return _join(
            _both(q, m),
            ": ",
            _gap_text(p.days_apart[m]) + " apart, " if gap else "",
            middle,
            named,
            ending,
        )

    return explain


RELATED_RULES: tuple[Rule, ...] = (
    Rule(
        "link-related-one-stance",
        Verdict.REPEAT,
        lambda q: _cell(q, Verdict.AGREE) & _one_speaker(q) & _one_occasion(q),
        _explain_related(
            "related propositions of one dispute, one speaker",
            " taking one consistent stance on both: one origin, not independent corroboration",
        ),
        "One speaker's stances in one direction on two related propositions of one dispute: "
        "one consistent stance.",
    ),
    Rule(
        "link-related-other-occasions",
        Verdict.OTHER,
        lambda q: _cell(q, Verdict.AGREE) & _one_speaker(q),
        _explain_related(
            "related propositions of one dispute that vary by occasion, one speaker",
            " taking stances in one direction on different occasions: two statements, neither "
            "agreement nor conflict",
        ),
        "One speaker's stances in one direction on related propositions, on different "
        "occasions of a subject that varies by occasion.",
    ),
    Rule(
        "link-related-stance-shift",
        Verdict.SHIFT,
        lambda q: _cell(q, Verdict.CONTRADICT) & _one_speaker(q) & _far_apart(q),
        _explain_related(
            "related propositions on one side of a dispute, one speaker",
            " who changed sides over time, not a contradiction",
            gap=True,
        ),
        "One speaker on opposite sides of one dispute (related propositions) over a year apart.",
    ),
    Rule(
        "link-related-contradict",
        Verdict.CONTRADICT,
        lambda q: _cell(q, Verdict.CONTRADICT) & _one_speaker(q),
        _explain_related(
            "related propositions on one side of a dispute, and one speaker",
            " takes opposite sides: the two stances cannot both be held",
        ),
        "One speaker asserting one of two related propositions and denying the other.",
    ),
    Rule(
        "link-related-same-speaker-other",
        Verdict.OTHER,
        lambda q: _related(q) & _one_speaker(q),
        _explain_related(
            "related propositions of one dispute, one speaker",
            " making different kinds of statement on them, neither agreement nor conflict",
        ),
        "One speaker's different kinds of statement (a promise and a warning) on related "
        "propositions.",
    ),
    Rule(
        "link-related-same-side",
        Verdict.OTHER,
        lambda q: _cell(q, Verdict.AGREE),
        _explain_related(
            "different speakers on the same side of one dispute, but on different propositions",
            ": neither corroborates the other's",
        ),
        "Different speakers on the same side of one dispute, on two related propositions: not "
        "corroboration.",
    ),
    Rule(
        "link-related-opposite-sides",
        Verdict.OTHER,
        lambda q: _cell(q, Verdict.CONTRADICT),
        _explain_related(
            "different speakers on opposite sides of one dispute, but on different propositions",
            ": neither contradicts the other's",
        ),
        "Different speakers on opposite sides of one dispute, on two related propositions: not "
        "a contradiction.",
    ),
    Rule(
        "link-related-other",
        Verdict.OTHER,
        _related,
        _explain_related(
            "different speakers and different kinds of statement on related propositions",
            ", neither agreement nor conflict",
        ),
        "Different speakers' different kinds of statement on related propositions.",
    ),
)
"""The rules of ``related_to`` pairs, in the order they are tried."""


# -- about --------------------------------------------------------------------------------------


def _about(q: Pairs) -> Bools:
    p = _lp(q)
    known = ~np.isnan(p.means_lo) & ~np.isnan(p.means_hi)
    return np.asarray(p.is_(ABOUT) & q.kinds(STATEMENT, QUANTITY) & known, dtype=bool)


def _act(q: Pairs, acts: Any) -> Bools:
    return np.asarray(_about(q) & acts[q.a("stance")], dtype=bool)


def _outside(q: Pairs) -> Bools:
    return np.asarray(~_lp(q).means_overlap, dtype=bool)


def _explain_about(middle: str, ending: str) -> Any:
    """ "turymov promises that P (when), which means none (0) of Q, ``middle`` rferl gives “55”
    (when)``ending``"."""

    def explain(q: Pairs, m: Bools) -> list[str]:
        p = _lp(q)
        return _join(
            _side(q, m, "a", "statement_text"),
            " that ",
            _side(q, m, "a", "label"),
            " (",
            _side(q, m, "a", "when"),
            "), which means ",
            p.means_text[m],
            " (",
            _intervals(p.means_lo[m], p.means_hi[m]),
            ") of ",
            _side(q, m, "b", "label"),
            f", {middle} ",
            _side(q, m, "b", "claimant"),
            " gives ",
            _side(q, m, "b", "value_text"),
            " (",
            _side(q, m, "b", "when"),
            ")",
            ending,
        )

    return explain


ABOUT_RULES: tuple[Rule, ...] = (
    Rule(
        "link-about-asserted-against-figure",
        Verdict.CONTRADICT,
        lambda q: _act(q, _ASSERTS) & _outside(q),
        _explain_about("but", ": the two cannot both hold"),
        "Asserting a proposition that means a figure outside another claim's figure.",
    ),
    Rule(
        "link-about-asserted-with-figure",
        Verdict.AGREE,
        lambda q: _act(q, _ASSERTS),
        _explain_about("and", ", within it: compatible"),
        "Asserting a proposition that means a figure compatible with another claim's figure.",
    ),
    Rule(
        "link-about-denied-figure",
        Verdict.CONTRADICT,
        lambda q: _act(q, _DENIES) & _lp(q).means_within,
        _explain_about("but", ", the figure the proposition means: the denial is of it"),
        "Denying a proposition whose figure another claim gives.",
    ),
    Rule(
        "link-about-denied-other-figure",
        Verdict.AGREE,
        lambda q: _act(q, _DENIES) & _outside(q),
        _explain_about("and", ", another figure: consistent with the denial"),
        "Denying a proposition, and another claim's figure outside the one it means.",
    ),
    Rule(
        "link-about-promise-against-figure",
        Verdict.DIFFER,
        lambda q: _act(q, _PROMISES) & _outside(q),
        _explain_about(
            "while",
            ": the promise commits against the figure reported, in tension with it (a "
            "promise is not a report that the figure is false)",
        ),
        "A promise of a proposition against a figure outside what it means: in tension.",
    ),
    Rule(
        "link-about-demand-against-figure",
        Verdict.RESPONDS,
        lambda q: _act(q, _DEMANDS) & _outside(q),
        _explain_about(
            "against what",
            ": the demand opposes the figure reported, an answer to it, neither agreement nor "
            "conflict (a demand reports nothing)",
        ),
        "A demand for a proposition against a figure outside what it means: opposing it.",
    ),
    Rule(
        "link-about-denied-overlap",
        Verdict.OTHER,
        lambda q: _act(q, _DENIES),
        _explain_about(
            "and",
            ", partly within it: whether the denial is of this figure cannot be told, neither "
            "agreement nor conflict",
        ),
        "Denying a proposition, and a figure partly within what it means.",
    ),
    Rule(
        "link-about-promise-or-demand-met",
        Verdict.OTHER,
        lambda q: _act(q, _PROMISES | _DEMANDS),
        _explain_about(
            "and",
            ", within it: what is promised or demanded is what the figure reports, neither "
            "agreement nor conflict",
        ),
        "A promise or demand of a proposition, and a figure compatible with what it means.",
    ),
    Rule(
        "link-about-other",
        Verdict.OTHER,
        _about,
        _explain_about("and", ": a stance the link cannot read against a figure"),
        "Any other stance on a proposition, against a figure of what it is about.",
    ),
)
"""The rules of ``about`` pairs, in the order they are tried."""

STATEMENT_LINK_RULES: tuple[Rule, ...] = (*RELATED_RULES, *ABOUT_RULES)
"""The rules of this module, in the order they are tried (before ``link-undecided``)."""

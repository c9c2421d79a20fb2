"""Pairs of lines decided once (see :mod:`claimtrack.compare._lines`): where a pair of lines
can be decided on one pair of claims, per orientation for lines of one time, and which pairs of
lines are refined into pairs of groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from claimtrack.compare._arrays import Bools, Ints, _objects
from claimtrack.compare._decide import Tally, _decide_rules, tally_of
from claimtrack.compare._groups import Groups
from claimtrack.compare._lines import (
    LineDecisions,
    Lines,
    _within_shared,
    reads_reports,
    verdict_codes,
)
from claimtrack.compare._pairs import Pairs
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._vocabulary import COMBINED, NOTABLE_CODES, REPEAT, UPDATE, VERDICT_CODES

_NOTABLE_CODES = np.array(NOTABLE_CODES, dtype=np.int64)


def _decide(
    prepared: pd.DataFrame, i: Ints, j: Ints, policy: KernelPolicy, later: bool | None = None
) -> Ints:
    """The rule deciding each pair ``i``, ``j``; with ``later``, as if claim b's report were
    (or were not) published after claim a's, whatever their dates."""
    rules = tuple(policy.rules)
    if not len(i):
        return np.zeros(0, dtype=np.int64)
    pairs = Pairs(prepared, i, j, policy)
    if later is not None:
        pairs.force("b_published_later", np.full(len(i), later, dtype=bool))
    return np.asarray(_decide_rules(pairs, rules), dtype=np.int64)


def held(decided: LineDecisions, policy: KernelPolicy) -> LineDecisions:
    """The decisions that matter once counted: notable, repeat, combined and update ones."""
    verdict = verdict_codes(tuple(policy.rules))[decided.rule]
    keep = _is_notable(decided.rule, policy) | np.isin(verdict, [REPEAT, COMBINED, UPDATE])
    return decided.where(keep)


def _is_notable(rule: Ints, policy: KernelPolicy) -> Bools:
    verdict = np.array(
        [-1 if r.verdict is None else VERDICT_CODES[r.verdict] for r in policy.rules] + [-1],
        dtype=np.int64,
    )
    return np.isin(verdict[rule], _NOTABLE_CODES)


def decide_line_chunk(
    prepared: pd.DataFrame, lines: Lines, a: Ints, b: Ints, policy: KernelPolicy
) -> tuple[LineDecisions, Ints, Ints]:
    """Pairs of lines ``a[k] <= b[k]`` decided where they can be: the decisions (a pair of
    lines of one time with two figures gives one per orientation its claims' pairs have), and
    the pairs of lines to refine (decided by pairs of groups)."""
    rules = tuple(policy.rules)
    report_reason = np.array([reads_reports(r) for r in rules] + [True], dtype=bool)
    verdict = verdict_codes(rules)
    size = lines.groups.size
    within = a == b
    tie = lines.groups.tie
    untied = ~within & (tie[a] != tie[b])
    same_figure = lines.figure[a] == lines.figure[b]
    origin = lines.origin
    low, runner = lines.low, lines.runner
    single_a, single_b = runner[a] < 0, runner[b] < 0
    o_low_a, o_low_b = origin[low[a]], origin[low[b]]
    # the first pair by claim id of two claims of different origins
    x = np.where(single_b & (o_low_a == o_low_b), runner[a], low[a])
    y = np.where(~single_b & (o_low_b == origin[np.maximum(x, 0)]), runner[b], low[b])
    y = np.where(within, runner[a], y)
    x = np.where(within, low[a], x)
    shared = np.zeros(len(a), dtype=np.int64)
    shared[~within] = lines.shared_pairs(a[~within], b[~within])
    count = size[a] * size[b] - shared
    if within.any():
        own = lines.groups.size[a[within]]
        count[within] = own * (own - 1) // 2 - _within_shared(lines, a[within])
    # who takes part: all but the members of the other side's one origin
    excluded_a = np.where(single_b & ~within, o_low_b, -1)
    excluded_b = np.where(single_a & ~within, o_low_a, -1)
    n_a = size[a] - np.where(excluded_a >= 0, lines.class_count(a, excluded_a), 0)
    n_b = size[b] - np.where(excluded_b >= 0, lines.class_count(b, excluded_b), 0)
    excluded_a = np.where(n_a < size[a], excluded_a, -1)
    excluded_b = np.where(n_b < size[b], excluded_b, -1)
    live = (count > 0) & (x >= 0) & (y >= 0)
    two_figures = ~within & ~untied & ~same_figure & live  # one time: each orientation apart
    small = size[a] * size[b] <= SMALL_BLOCK
    refine = two_figures & (shared > 0) & small
    searched = two_figures & (shared > 0) & ~small
    free = live & ~two_figures
    # between lines of different times side a's rows all come first; within a line, or
    # between two lines of one time and one figure, the pair is decided both ways round
    first, second = np.minimum(x, y), np.maximum(x, y)
    i = np.where(untied, x, first)[free]
    j = np.where(untied, y, second)[free]
    rule1 = np.full(len(a), -1, dtype=np.int64)
    rule1[free], agree = _decided_either_way(prepared, i, j, policy, ~untied[free])
    ok = np.zeros(len(a), dtype=bool)
    ok[free] = agree
    notable = _is_notable(rule1, policy)
    ok &= ~(untied & notable & report_reason[rule1])
    ok &= untied | ~notable
    refine |= free & ~ok
    accepted = free & ok
    decided = [
        LineDecisions(
            a[accepted],
            b[accepted],
            rule1[accepted],
            count[accepted],
            x[accepted],
            y[accepted],
            n_a[accepted],
            n_b[accepted],
            excluded_a[accepted],
            excluded_b[accepted],
            untied[accepted],
        )
    ]
    timed = two_figures & ~refine & ~searched
    if timed.any() or searched.any():
        found, wrong = _one_time_two_figures(prepared, lines, a[timed], b[timed], policy)
        if searched.any():
            more, more_wrong = _one_time_searched(prepared, lines, a[searched], b[searched], policy)
            found = LineDecisions.join([found, more])
            wrong = np.concatenate([wrong, more_wrong])
        # a link, a reason that names the reports, or a rule that reads which was published
        # later: the whole pair of lines is refined, both orientations
        bad = wrong | np.isin(verdict[found.rule], [REPEAT, COMBINED, UPDATE])
        bad |= _is_notable(found.rule, policy) & report_reason[found.rule]
        kept = ~np.isin(found.a * len(lines.low) + found.b, _blocks(found, bad, lines))
        decided.append(found.where(kept))
        lost = found.where(~kept)
        refine_a = np.concatenate([a[refine], np.minimum(lost.a, lost.b)])
        refine_b = np.concatenate([b[refine], np.maximum(lost.a, lost.b)])
        pairs = np.unique(np.stack([refine_a, refine_b]), axis=1)
        return LineDecisions.join(decided), pairs[0], pairs[1]
    return LineDecisions.join(decided), a[refine], b[refine]


def _blocks(found: LineDecisions, mask: Bools, lines: Lines) -> Ints:
    """The keys (``a * lines + b`` both ways round) of the pairs of lines of ``found[mask]``."""
    a, b = found.a[mask], found.b[mask]
    count = len(lines.low)
    return np.concatenate([a * count + b, b * count + a])


def _decided_either_way(
    prepared: pd.DataFrame, i: Ints, j: Ints, policy: KernelPolicy, both: Bools
) -> tuple[Ints, Bools]:
    """The rule of pairs ``i``, ``j``, and whether it holds whichever of the two was published
    later and (where ``both``) the other way round too."""
    rule = _decide(prepared, i, j, policy)
    agree = np.ones(len(i), dtype=bool)
    forced: tuple[bool | None, ...] = (True, False)
    for later in forced:
        agree &= _decide(prepared, i, j, policy, later) == rule
    if both.any():
        ib, jb = j[both], i[both]
        for later in (None, *forced):
            agree[both] &= _decide(prepared, ib, jb, policy, later) == rule[both]
    return rule, agree


def _one_time_two_figures(
    prepared: pd.DataFrame, lines: Lines, a: Ints, b: Ints, policy: KernelPolicy
) -> tuple[LineDecisions, Bools]:
    """Pairs of lines of one time with two figures and no claims of one origin, decided per
    orientation (row order: publication, then claim id): for each orientation that some pair
    has, its count, first pair by claim id, and the claims taking part (side a: those with a
    claim of the other line after them; side b: with one before them). Also which of the
    decisions do not hold whichever of the two was published later (to be refined)."""
    parts, wrong = [], []
    for one, other in ((a, b), (b, a)):
        forward = lines.groups.before(one, other)
        has = forward > 0
        o, t = one[has], other[has]
        last_t = lines.groups.last[t]
        n_o = _rows_before(lines, o, last_t)
        first_o = lines.groups.first[o]
        n_t = lines.groups.size[t] - _rows_before(lines, t, first_o + 1)
        x = lines.prefix_low[lines.groups.start[o] + n_o - 1]
        after = _rows_before(lines, t, x + 1)
        y = lines.suffix_low[lines.groups.start[t] + after]
        rule, agree = _decided_either_way(prepared, x, y, policy, np.zeros(len(x), dtype=bool))
        z = np.full(len(o), -1, dtype=np.int64)
        parts.append(
            LineDecisions(
                o, t, rule, forward[has], x, y, n_o, n_t, z, z, np.zeros(len(o), dtype=bool)
            )
        )
        wrong.append(~agree)
    return LineDecisions.join(parts), np.concatenate(wrong)


SMALL_BLOCK = 4_096
"""Two lines of one time with two figures and claims of one origin between them whose claims
make at most this many pairs are decided by pairs of groups; larger ones are searched, a pair
of lines at a time (:func:`_one_time_searched`)."""


def _one_time_searched(
    prepared: pd.DataFrame, lines: Lines, a: Ints, b: Ints, policy: KernelPolicy
) -> tuple[LineDecisions, Bools]:
    """As :func:`_one_time_two_figures`, for pairs of lines with claims of one origin between
    them (a report that gives both figures): per orientation, only the pairs of claims of
    different origins count, and a claim takes part if it has such a partner. One pair of
    lines at a time (large lines of one time with two figures are few), each in
    ``O(n log n)`` of its claims."""
    n = len(lines.label)
    origin, rank = lines.origin, lines.rank
    fields: dict[str, list[int]] = {k: [] for k in ("a", "b", "count", "x", "y", "n_a", "n_b")}
    for la, lb in zip(a.tolist(), b.tolist(), strict=True):
        for one, other in ((la, lb), (lb, la)):
            ro, rt = lines.groups.rows_of(one), lines.groups.rows_of(other)  # rows ascending
            oo, ot = origin[ro], origin[rt]
            by_origin = np.lexsort((rt, ot))
            keys = ot[by_origin] * (n + 1) + rt[by_origin]
            after = len(rt) - np.searchsorted(rt, ro, side="right")
            same = np.searchsorted(keys, oo * (n + 1) + n, side="right") - np.searchsorted(
                keys, oo * (n + 1) + ro, side="right"
            )
            partners = after - same
            total = int(partners.sum())
            if not total:
                continue
            by_o = np.lexsort((ro, oo))
            keys_o = oo[by_o] * (n + 1) + ro[by_o]
            before = np.searchsorted(ro, rt, side="left")
            same_before = np.searchsorted(keys_o, ot * (n + 1) + rt, side="left") - np.searchsorted(
                keys_o, ot * (n + 1), side="left"
            )
            taking = ro[partners > 0]
            x = int(taking[np.argmin(rank[taking])])
            mine = (rt > x) & (ot != origin[x])
            y = int(rt[mine][np.argmin(rank[rt[mine]])])
            fields["a"].append(one)
            fields["b"].append(other)
            fields["count"].append(total)
            fields["x"].append(x)
            fields["y"].append(y)
            fields["n_a"].append(int((partners > 0).sum()))
            fields["n_b"].append(int(((before - same_before) > 0).sum()))
    arrays = {k: np.asarray(v, dtype=np.int64) for k, v in fields.items()}
    rule, agree = _decided_either_way(
        prepared, arrays["x"], arrays["y"], policy, np.zeros(len(arrays["x"]), dtype=bool)
    )
    z = np.full(len(rule), -1, dtype=np.int64)
    found = LineDecisions(
        arrays["a"],
        arrays["b"],
        rule,
        arrays["count"],
        arrays["x"],
        arrays["y"],
        arrays["n_a"],
        arrays["n_b"],
        z,
        z,
        np.zeros(len(rule), dtype=bool),
    )
    return found, ~agree


def _rows_before(lines: Lines, line: Ints, row: Ints) -> Ints:
    """How many members of each ``line`` lie before ``row``."""
    n = len(lines.label)
    keys = lines.member_keys
    at = np.searchsorted(keys, line * (n + 1) + row, side="left")
    return np.asarray(at - lines.groups.start[line], dtype=np.int64)


def line_tally(lines: Lines, decided: LineDecisions, policy: KernelPolicy) -> Tally:
    """Pairs per subject and verdict of line decisions (kept verdicts only)."""
    rules = tuple(policy.rules)
    kept_rule = np.array([r.verdict in policy.keep for r in rules] + [False], dtype=bool)
    verdict = verdict_codes(rules)[decided.rule]
    keep = kept_rule[decided.rule]
    return tally_of(
        lines.groups.subject[decided.a],
        np.maximum(verdict, 0),
        np.where(keep, decided.count, 0),
    )


def line_notable(
    prepared: pd.DataFrame,
    groups: Groups,
    lines: Lines,
    decided: LineDecisions,
    policy: KernelPolicy,
) -> pd.DataFrame:
    """The notable line decisions as notable decisions (the columns of
    :func:`claimtrack.compare._grouped.chunks_empty`), their groups numbered after the groups
    (``len(groups) + line``), their reasons left to be written."""
    notable = _is_notable(decided.rule, policy)
    rules = tuple(policy.rules)
    verdicts = np.array(
        [None if r.verdict is None else r.verdict.value for r in rules], dtype=object
    )
    kept_rule = np.array([r.verdict in policy.keep for r in rules] + [False], dtype=bool)
    notable &= kept_rule[decided.rule]
    claim = prepared["claim"].to_numpy()
    rule = decided.rule[notable]
    x, y = decided.x[notable], decided.y[notable]
    offset = len(groups)
    return pd.DataFrame(
        {
            "verdict": _objects(verdicts[rule]),
            "subject": _objects(prepared["subject"].to_numpy()[x]),
            "claim_a": _objects(claim[x]),
            "claim_b": _objects(claim[y]),
            "reason": _objects(np.full(len(rule), None, dtype=object)),
            "n_a": decided.n_a[notable],
            "n_b": decided.n_b[notable],
            "n_pairs": decided.count[notable],
            "group_a": decided.a[notable] + offset,
            "group_b": decided.b[notable] + offset,
            "tied": np.zeros(len(rule), dtype=bool),
            "rule": rule,
            "row_a": x,
            "row_b": y,
        }
    )

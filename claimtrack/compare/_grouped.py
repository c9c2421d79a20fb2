"""The grouped path: a comparison decided one pair of groups of interchangeable claims at a time.

Every oriented pair of groups (:mod:`claimtrack.compare._groups`) is decided once, on one member
pair, with the policy's rules; its verdict counts for every member pair behind it. From those
decisions come, without enumerating the member pairs: the counts per subject and verdict, the
repeat and update links the subjects table needs (as links between rows, one per member at
most), and the grouped findings (:mod:`claimtrack.compare._findings`). Every pair stays
available: :meth:`GroupedPairs.pairs` decides them all, pair by pair, when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack.compare._arrays import Bools, Ints, Objects, _objects
from claimtrack.compare._decide import (
    Links,
    Tally,
    _decide_rules,
    decide,
    decide_range,
    explain,
    tally_of,
)
from claimtrack.compare._findings import expand_findings, finished_findings, line_findings
from claimtrack.compare._groups import (
    Groups,
    Oriented,
    group_pair_count,
    group_pairs,
    member_pairs,
    oriented,
)
from claimtrack.compare._guard import check_comparing, subject_sizes
from claimtrack.compare._line_decide import decide_line_chunk, held, line_notable, line_tally
from claimtrack.compare._line_links import GroupLinks, line_links
from claimtrack.compare._lines import (
    LineDecisions,
    Lines,
    group_pairs_of,
    line_pairs,
    one_origin_group_pairs,
    verdict_codes,
)
from claimtrack.compare._pairs import Pairs, PairSequence
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._rules import Rule
from claimtrack.compare._schema import concat_pairs
from claimtrack.compare._summary import origins, subject_count
from claimtrack.compare._vocabulary import (
    COMBINED,
    NOTABLE_CODES,
    REPEAT,
    UPDATE,
)


def identity_rules(rules: Iterable[Rule]) -> list[str]:
    """The names of the rules that may read a claim's id or row (``Rule.reads_identity``): a
    policy with any is decided pair by pair."""
    return [r.name for r in rules if r.reads_identity]


def decided_by_groups(policy: KernelPolicy) -> bool:
    """Whether a comparison without ``out`` is decided by groups under ``policy``
    (``ComparePolicy.decide_by``; refused when asked for rules that read identity)."""
    how = getattr(policy, "decide_by", "auto")
    reading = identity_rules(policy.rules)
    if how == "groups" and reading:
        raise ValueError(
            f"decide_by='groups': rule {reading[0]!r} may read which claims a pair is of "
            "(Rule.reads_identity), so its pairs must be decided one by one; use "
            "decide_by='auto' or 'pairs', or declare the rule with reads_identity=False"
        )
    return how != "pairs" and not reading


def check_grouped(groups: Groups, sizes: pd.Series[int], limit: int | None) -> None:
    """Refuse a grouped comparison that would decide more than ``limit`` pairs of groups and
    whose claims make more than ``limit`` pairs (``sizes``: claims per subject): the error says
    how many pairs, and what to do instead."""
    if limit is not None and group_pair_count(groups) > limit:
        check_comparing(sizes, limit)


_NOTABLE_CODES = np.array(NOTABLE_CODES, dtype=np.int64)


@attrs.frozen(eq=False)
class Chunk:
    """What one chunk of oriented pairs of groups gives: tally, links, notable decisions (all a
    task of the Dask engine sends back: nothing per member pair)."""

    tally: Tally
    cross: tuple[Ints, Ints]
    joined: Ints
    tied_links: Ints
    superseded: Ints
    notable: pd.DataFrame


def _representatives(groups: Groups, o: Oriented) -> tuple[Ints, Ints]:
    """A member pair of each oriented pair of groups (their first members; within a group, its
    first two)."""
    within = o.a == o.b
    return groups.first[o.a], np.where(within, groups.second[o.b], groups.first[o.b])


def group_keys(groups: Groups) -> Ints:
    """Per member (in :attr:`Groups.members` order), its group and row as one sorted key."""
    n = len(groups.label)
    return np.asarray(groups.label[groups.members] * (n + 1) + groups.members, dtype=np.int64)


def _sides(groups: Groups, o: Oriented, keys: Ints) -> tuple[Ints, Ints, Ints, Ints]:
    """Per oriented pair of groups: the first member pair in claim order (rows), and how many
    members of each side take part (of one tie class, those before the other's last member and
    after its first)."""
    n = len(groups.label)
    a, b = o.a, o.b
    within = a == b
    row_a, row_b = groups.first[a].copy(), groups.first[b].copy()
    n_a, n_b = groups.size[a].copy(), groups.size[b].copy()
    row_b[within] = groups.second[b[within]]
    n_a[within] -= 1
    n_b[within] -= 1
    tied = o.tied & ~within
    if tied.any():
        ta, tb = a[tied], b[tied]
        before_last = np.searchsorted(keys, ta * (n + 1) + groups.last[tb], side="left")
        n_a[tied] = before_last - groups.start[ta]
        after_first = np.searchsorted(keys, tb * (n + 1) + groups.first[ta], side="right")
        n_b[tied] = groups.size[tb] - (after_first - groups.start[tb])
        row_b[tied] = groups.members[after_first]
    return row_a, row_b, n_a, n_b


def decide_chunk(
    prepared: pd.DataFrame,
    groups: Groups,
    o: Oriented,
    policy: KernelPolicy,
    keys: Ints,
    *,
    reasons: bool = True,
) -> Chunk:
    """The oriented pairs of groups ``o`` decided, each on one member pair (``keys``:
    :func:`group_keys`); the notable decisions' reasons written now, or (``reasons`` false,
    where the prepared claims stay at hand) when findings are read."""
    rules = tuple(policy.rules)
    i, j = _representatives(groups, o)
    rule_of = _decide_rules(Pairs(prepared, i, j, policy), rules)
    kept_rule = np.array([r.verdict in policy.keep for r in rules] + [False], dtype=bool)
    keep = kept_rule[rule_of]
    verdict = verdict_codes(rules)[rule_of]
    tally = tally_of(groups.subject[o.a], np.maximum(verdict, 0), np.where(keep, o.count, 0))
    link = keep & ((verdict == REPEAT) | (verdict == COMBINED))
    update = keep & (verdict == UPDATE)
    within = o.a == o.b
    cross = link & ~within & ~o.tied
    joined = np.concatenate([o.a[cross], o.b[cross], o.a[link & within]])
    tied = link & o.tied & ~within  # members of one tie class: those in a pair of this order
    at, rows = groups.expand(o.a[tied])
    left = rows < groups.last[o.b[tied]][at]
    bt, other = groups.expand(o.b[tied])
    right = other > groups.first[o.a[tied]][bt]
    tied_links = np.stack(
        [
            np.concatenate([groups.first[o.a[tied]][at[left]], groups.first[o.a[tied]][bt[right]]]),
            np.concatenate([rows[left], other[right]]),
        ]
    )
    _, every = groups.expand(o.a[update & ~o.tied])  # superseded: every member
    at, own = groups.expand(o.a[update & within])  # all but the last
    own = own[own != groups.last[o.a[update & within]][at]]
    late = update & o.tied & ~within
    at, before = groups.expand(o.a[late])  # those before the other group's last
    before = before[before < groups.last[o.b[late]][at]]
    superseded = np.unique(np.concatenate([every, own, before]))
    notable = keep & np.isin(verdict, _NOTABLE_CODES)
    return Chunk(
        tally,
        (o.a[cross], o.b[cross]),
        np.unique(joined),
        tied_links.astype(np.int64),
        superseded.astype(np.int64),
        _notable(prepared, groups, o, notable, rule_of, policy, keys, reasons),
    )


def _notable(
    prepared: pd.DataFrame,
    groups: Groups,
    o: Oriented,
    notable: Bools,
    rule_of: Ints,
    policy: KernelPolicy,
    keys: Ints,
    reasons: bool,
) -> pd.DataFrame:
    """The notable decisions of a chunk, one grouped finding each (see :func:`finished_findings`),
    with their reasons, or ``None`` for each (written when read: :data:`LAZY_COLUMNS`)."""
    chosen = Oriented(o.a[notable], o.b[notable], o.count[notable], o.tied[notable])
    row_a, row_b, n_a, n_b = _sides(groups, chosen, keys)
    rules = tuple(policy.rules)
    verdicts = np.array(
        [None if r.verdict is None else r.verdict.value for r in rules], dtype=object
    )
    rule = rule_of[notable]
    claim = prepared["claim"].to_numpy()
    return pd.DataFrame(
        {
            "verdict": _objects(verdicts[rule]),
            "subject": _objects(prepared["subject"].to_numpy()[row_a]),
            "claim_a": _objects(claim[row_a]),
            "claim_b": _objects(claim[row_b]),
            "reason": _objects(
                explain(prepared, row_a, row_b, rule, policy)
                if reasons
                else np.full(len(rule), None, dtype=object)
            ),
            "n_a": n_a,
            "n_b": n_b,
            "n_pairs": chosen.count,
            "group_a": chosen.a,
            "group_b": chosen.b,
            "tied": chosen.tied,
            "rule": rule,
            "row_a": row_a,
            "row_b": row_b,
        }
    )


@attrs.frozen(eq=False)
class GroupedPairs:
    """A comparison decided by pairs of groups: the prepared claims, their :class:`Groups`, and
    the notable decisions (one grouped finding each). :meth:`pairs` decides every member pair
    when asked, as the all-pairs path does."""

    prepared: pd.DataFrame
    groups: Groups
    notable: pd.DataFrame
    policy: KernelPolicy
    limit: int | None
    extra: pd.DataFrame | None = attrs.field(default=None, repr=False)
    """Pairs decided apart, after the pairs of the subjects (those across links between
    subjects), as the all-pairs path appends them."""
    lines: Ints | None = attrs.field(default=None, repr=False)
    """The line of each group (:func:`claimtrack.compare._groups.line_labels`: findings are
    the decisions between two lines); ``None``: each group its own line."""
    by_lines: Lines | None = attrs.field(default=None, repr=False)
    """The lines, where pairs of lines were decided at once (their notable decisions' groups
    are ``len(groups) + line``)."""
    full: Callable[[], pd.DataFrame] | None = attrs.field(default=None, repr=False)
    """The prepared claims (with texts) every pair is decided on, made when :meth:`pairs` is
    first read (``None``: ``prepared`` itself; the Dask engine's ``prepared`` holds only the
    columns the groups and the findings' pairs read)."""
    _cache: dict[str, pd.DataFrame] = attrs.field(factory=dict, repr=False)
    _keys: dict[str, Ints] = attrs.field(factory=dict, repr=False)

    def pairs(self) -> pd.DataFrame:
        """Every pair, decided now (refused above ``limit``: ``max_pairs_in_memory``)."""
        if "pairs" not in self._cache:
            check_comparing(subject_sizes(self.prepared["subject"]), self.limit)
            prepared = self._decided_on()
            sequence = PairSequence.of(prepared["subject_index"].to_numpy())
            step = getattr(self.policy, "max_pairs_per_chunk", 250_000)
            kept = [
                decide_range(prepared, sequence, k0, k1, self.policy)
                for k0, k1 in sequence.ranges(step)
            ]
            decided = [k.frame() for k in kept]
            if self.extra is not None and len(self.extra):
                decided.append(self.extra)
            self._cache["pairs"] = concat_pairs(decided)
        return self._cache["pairs"]

    def _decided_on(self) -> pd.DataFrame:
        """The prepared claims pairs are decided on (``full``, made once, or ``prepared``)."""
        if self.full is None:
            return self.prepared
        if "full" not in self._cache:
            self._cache["full"] = self.full()
        return self._cache["full"]

    def pairs_among(self, claims: Objects) -> pd.DataFrame:
        """The pairs between ``claims`` (ids) only, as :meth:`pairs` lists them (in its
        order): every pair of two of them in one subject, decided now without deciding the
        others, and the pairs decided apart (across links) between two of them. Refused above
        ``limit`` pairs, counted from the claims per subject before any is decided."""
        if "pairs" in self._cache:
            return among_claims(self._cache["pairs"], claims)
        prepared = self._decided_on()
        at = pd.Index(prepared["claim"].to_numpy(dtype=object)).get_indexer(pd.Index(claims))
        rows = np.unique(at[at >= 0]).astype(np.int64)
        subject = prepared["subject_index"].to_numpy()[rows]
        check_comparing(subject_sizes(prepared["subject"].to_numpy()[rows]), self.limit)
        sequence = PairSequence.of(subject)  # the rows are sorted, so their subjects are blocks
        step = getattr(self.policy, "max_pairs_per_chunk", 250_000)
        decided = []
        for k0, k1 in sequence.ranges(step):
            i, j = sequence.indices(k0, k1)
            decided.append(decide(prepared, rows[i], rows[j], self.policy).frame())
        if self.extra is not None and len(self.extra):
            decided.append(among_claims(self.extra, prepared["claim"].to_numpy()[rows]))
        return concat_pairs(decided)

    def findings(self, series: pd.DataFrame) -> pd.DataFrame:
        if "findings" not in self._cache:
            notable = self.notable.assign(reason=self._reasons())
            written = notable.drop(columns=list(LAZY_COLUMNS))
            n = len(self.groups)
            lines = np.arange(n) if self.lines is None else self.lines
            origins = self.prepared["origin_code"].to_numpy(dtype=np.int64)[self.groups.first]
            if self.by_lines is not None:
                count = len(self.by_lines.low)
                lines = np.concatenate([lines, np.arange(count, dtype=np.int64)])
                origins = np.concatenate([origins, np.full(count, -1, dtype=np.int64)])
            found, self._keys["findings"] = line_findings(written, lines, origins, n)
            self._cache["findings"] = finished_findings(found, series)
        return self._cache["findings"]

    def _reasons(self) -> pd.Series[Any]:
        """The reason of each notable decision: those decided by groups written now (a chunk
        at a time: comparing decides verdicts, not sentences), the others as they came."""
        reasons = self.notable["reason"].to_numpy(dtype=object).copy()
        rule = self.notable["rule"].to_numpy(dtype=np.int64)
        row_a = self.notable["row_a"].to_numpy(dtype=np.int64)
        row_b = self.notable["row_b"].to_numpy(dtype=np.int64)
        lazy = np.flatnonzero(pd.isna(reasons) & (rule >= 0))
        step = max(1, getattr(self.policy, "max_pairs_per_chunk", 250_000))
        for start in range(0, len(lazy), step):
            at = lazy[start : start + step]
            reasons[at] = explain(self.prepared, row_a[at], row_b[at], rule[at], self.policy)
        return _objects(reasons)

    def finding_pairs(self, series: pd.DataFrame, chosen: Any = None) -> pd.DataFrame:
        return expand_findings(self.findings(series), self._members, self.limit, chosen)

    def _members(self, found: pd.DataFrame) -> tuple[Objects, Objects, Ints]:
        """The member pairs (rows) of grouped findings (read after :meth:`findings`), and which
        of them (a position) each is of: the member pairs of their decisions."""
        keys = self._keys["findings"]
        at = pd.Index(found["group_a"].to_numpy(dtype=np.int64)).get_indexer(keys)
        ga = self.notable["group_a"].to_numpy(dtype=np.int64)
        gb = self.notable["group_b"].to_numpy(dtype=np.int64)
        whole = ga >= len(self.groups)  # pairs of lines decided at once
        hit = np.flatnonzero((at >= 0) & ~whole)
        i, j, which = member_pairs(
            self.groups, ga[hit], gb[hit], self.notable["tied"].to_numpy(dtype=bool)[hit]
        )
        of = [at[hit][which]]
        rows_a, rows_b = [i], [j]
        if self.by_lines is not None:
            line_hit = np.flatnonzero((at >= 0) & whole)
            offset = len(self.groups)
            lines = self.by_lines
            la, lb = ga[line_hit] - offset, gb[line_hit] - offset
            tie = lines.groups.tie  # lines of one time: the pairs of this orientation only
            li, lj, lw = member_pairs(lines.groups, la, lb, tie[la] == tie[lb])
            other = lines.origin[li] != lines.origin[lj]  # pairs of one origin: decided apart
            rows_a.append(li[other])
            rows_b.append(lj[other])
            of.append(at[line_hit][lw[other]])
        claim = self.prepared["claim"].to_numpy()
        return (
            claim[np.concatenate(rows_a)],
            claim[np.concatenate(rows_b)],
            np.concatenate(of).astype(np.int64),
        )


def among_claims(pairs: pd.DataFrame, claims: Objects) -> pd.DataFrame:
    """The rows of ``pairs`` whose two claims are both among ``claims``."""
    wanted = pd.Index(claims)
    both = wanted.get_indexer(pd.Index(pairs["claim_a"].to_numpy(dtype=object))) >= 0
    both &= wanted.get_indexer(pd.Index(pairs["claim_b"].to_numpy(dtype=object))) >= 0
    kept: pd.DataFrame = pairs[both].reset_index(drop=True)
    return kept


LAZY_COLUMNS = ("rule", "row_a", "row_b")
"""Columns of the notable decisions from which a reason left out (``None``, by the local
engine) is written when findings are read: the rule (its position in the policy's rules; -1
for pairs decided apart, whose reasons come written) and the member pair it is written for."""


def decide_groups(
    prepared: pd.DataFrame,
    groups: Groups,
    policy: KernelPolicy,
    max_pairs: int,
    lines: Lines | None = None,
) -> tuple[Links, Ints, pd.DataFrame]:
    """Every oriented pair of groups decided: the links the subjects table needs (between rows),
    the counts per subject and verdict (as :meth:`Tally.total` gives), and the notable
    decisions. With ``lines``, pairs of lines are decided at once where they can be
    (:mod:`claimtrack.compare._lines`), the rest by pairs of groups."""
    keys = group_keys(groups)
    if lines is None:
        chunks = [
            decide_chunk(prepared, groups, o, policy, keys, reasons=False)
            for o in group_pairs(groups, max_pairs)
            if len(o)
        ]
        return combine(groups, chunks, subject_count(prepared))
    decided, refined, counted = [], [], []
    for a, b in line_pairs(lines, max_pairs):
        found, ra, rb = decide_line_chunk(prepared, lines, a, b, policy)
        counted.append(line_tally(lines, found, policy))
        decided.append(held(found, policy))
        refined.append((ra, rb))
    by_line = LineDecisions.join(decided)
    chunks = [
        decide_chunk(prepared, groups, o, policy, keys, reasons=False)
        for o in _refined_group_pairs(groups, lines, refined, max_pairs)
        if len(o)
    ]
    links, tally, notable = combine(
        groups,
        chunks,
        subject_count(prepared),
        line_links(groups, lines, by_line, policy),
        counted,
    )
    found_lines = line_notable(prepared, groups, lines, by_line, policy)
    parts = [f for f in (notable, found_lines) if len(f)]
    joined = pd.concat(parts, ignore_index=True) if parts else notable
    return links, tally, joined


def _refined_group_pairs(
    groups: Groups, lines: Lines, refined: list[tuple[Ints, Ints]], max_pairs: int
) -> Iterator[Oriented]:
    """The pairs of groups decided one pair of groups at a time: every pair between two
    refined lines, and the pairs of one origin between any other two (or within one), in
    chunks of about ``max_pairs``."""
    ra = np.concatenate([r[0] for r in refined]) if refined else np.zeros(0, dtype=np.int64)
    rb = np.concatenate([r[1] for r in refined]) if refined else np.zeros(0, dtype=np.int64)
    count = np.bincount(lines.line, minlength=len(lines.low)).astype(np.int64)
    per_block = np.where(ra == rb, count[ra] * (count[ra] + 1) // 2, count[ra] * count[rb])
    ends = np.cumsum(per_block)
    start = 0
    step = max(1, max_pairs)
    while start < len(ra):
        base = int(ends[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, base + step, "right")))
        g, h = group_pairs_of(groups, lines, ra[start:stop], rb[start:stop])
        yield oriented(groups, g, h)
        start = stop
    g, h = one_origin_group_pairs(groups, lines)
    la, lb = lines.line[g], lines.line[h]
    n_lines = len(lines.low)
    block = np.minimum(la, lb) * n_lines + np.maximum(la, lb)
    refined_keys = np.unique(np.minimum(ra, rb) * n_lines + np.maximum(ra, rb))
    outside = ~np.isin(block, refined_keys)
    g, h = g[outside], h[outside]
    for s in range(0, len(g), step):
        yield oriented(groups, g[s : s + step], h[s : s + step])


def combine(
    groups: Groups,
    chunks: Iterable[Chunk],
    subjects: int,
    extra: GroupLinks | None = None,
    extra_tally: Iterable[Tally] = (),
) -> tuple[Links, Ints, pd.DataFrame]:
    """The decisions of ``chunks`` (of one prepared frame with ``subjects`` subjects, in any
    order) joined: links between rows, counts per subject and verdict, notable decisions;
    ``extra``: links between groups, ``extra_tally``: counts, of decisions made otherwise."""
    chunks = list(chunks)
    tallies = [c.tally for c in chunks] + list(extra_tally)
    tally = Tally.total(tallies, subjects)
    notable = [c.notable for c in chunks if len(c.notable)]
    found = pd.concat(notable, ignore_index=True) if notable else chunks_empty()
    return _row_links(groups, chunks, extra), tally, found


def chunks_empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "verdict": pd.Series(dtype=object),
            "subject": pd.Series(dtype=object),
            "claim_a": pd.Series(dtype=object),
            "claim_b": pd.Series(dtype=object),
            "reason": pd.Series(dtype=object),
            "n_a": pd.Series(dtype=np.int64),
            "n_b": pd.Series(dtype=np.int64),
            "n_pairs": pd.Series(dtype=np.int64),
            "group_a": pd.Series(dtype=np.int64),
            "group_b": pd.Series(dtype=np.int64),
            "tied": pd.Series(dtype=bool),
            "rule": pd.Series(dtype=np.int64),
            "row_a": pd.Series(dtype=np.int64),
            "row_b": pd.Series(dtype=np.int64),
        }
    )


def _row_links(groups: Groups, chunks: list[Chunk], extra: GroupLinks | None = None) -> Links:
    """The repeat and update links of the decisions as links between rows, at most a few per
    member: each member of a joined group to the first row of its groups' origin, the members
    joined by pairs of one tie class to their first, and each superseded row to itself."""
    empty = np.zeros(0, dtype=np.int64)
    more = [] if extra is None else [extra]
    a = np.concatenate([c.cross[0] for c in chunks] + [e.u for e in more] + [empty])
    b = np.concatenate([c.cross[1] for c in chunks] + [e.v for e in more] + [empty])
    label = origins(len(groups), Links(a, b, np.zeros(len(a), dtype=bool)))
    joined = np.zeros(len(groups), dtype=bool)
    for c in chunks:
        joined[c.joined] = True
    for e in more:
        joined[e.joined] = True
    members = np.flatnonzero(joined[groups.label])  # rows of joined groups
    root = groups.first[label[groups.label[members]]]
    tied = np.concatenate([c.tied_links for c in chunks], axis=1) if chunks else np.zeros((2, 0))
    late = [groups.expand(e.superseded)[1] for e in more]
    superseded = np.unique(np.concatenate([c.superseded for c in chunks] + late + [empty]))
    u = np.concatenate([root, tied[0], superseded]).astype(np.int64)
    v = np.concatenate([members, tied[1], superseded]).astype(np.int64)
    flag = np.r_[np.zeros(len(root) + tied.shape[1], dtype=bool), np.ones(len(superseded), bool)]
    return Links(u, v, flag)

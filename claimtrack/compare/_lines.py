"""Lines: one claim told again, report after report, decided one pair of lines at a time.

A *line* (:func:`claimtrack.compare._groups.line_labels`) is the claims of one subject that say
the same thing in the same words from the same publisher, at one time: everything a group's key
reads but which report each is in (its source, what that republishes, its section and
publication). A wire service's figure repeated in a thousand articles is one line of a thousand
claims and a thousand groups. Every group lies in one line.

For two claims of different *origins* (:func:`claimtrack.compare._provenance.origin_sources`:
their reports are not one report reprinted), the built-in rules read of their reports only what
is the same for every pair of claims of the same two lines: whether they share a publisher, a
relay or the publisher of a reprinted report (the line's key holds those), and how similar the
quotes are (so does it). Two exceptions are handled here: which of the two was published later
(``update-revised-in-later-report``) and which comes first (for lines of one time). So a pair of
lines is decided once, on a pair of claims of different origins, for every such pair between
them:

- lines of different times: side a is the earlier for every pair; the pair is decided on up to
  three pairs of claims (the first by claim id, and the ones whose publications are furthest
  apart either way) and accepted when all three have one rule;
- two lines of one time with one figure (they differ in publisher or wording only), and the
  pairs within a line: accepted when the pair decided both ways round has one rule that is not
  a notable verdict (no finding needs its sides);
- anything else, a notable rule whose reason names the reports (its sources, or quote
  similarity), two lines of one time with different figures: *refined*, every pair of groups
  between them decided as the grouped path does (:mod:`claimtrack.compare._grouped`).

Pairs of claims of one origin (one report, or reprints of one) are decided by pairs of groups,
always. Only a policy whose rules all declare ``Rule.reads_reports`` false is decided by lines.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import numpy as np
import pandas as pd

from claimtrack.compare._arrays import Bools, Ints
from claimtrack.compare._groups import Groups
from claimtrack.compare._guard import check_comparing
from claimtrack.compare._pairs import PairSequence
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._rules import Rule
from claimtrack.compare._template import Template
from claimtrack.compare._vocabulary import VERDICT_CODES

REPORT_FIELDS = frozenset({"source", "claim", "row"})
"""Columns of a reason template that name which report (or claim) a pair is of."""

REPORT_NUMBERS = frozenset({"sim"})
"""Number fields of a reason template read from the reports (the quotes' similarity)."""


def reads_reports(rule: Rule) -> bool:
    """Whether ``rule``'s reason may name which reports a pair is of: a :class:`Template` that
    uses a source (or claim) field or the quotes' similarity; any other ``explain``, to be safe."""
    explain = rule.explain
    if not isinstance(explain, Template):
        return True
    for _, name, _ in explain.parts:
        if name is None:
            continue
        if name in explain.claims and explain.claims[name][1] in REPORT_FIELDS:
            return True
        if name in REPORT_NUMBERS:
            return True
    return False


def decided_by_lines(policy: KernelPolicy) -> bool:
    """Whether a grouped comparison under ``policy`` may decide pairs of lines: every rule
    declares ``reads_reports`` false."""
    return all(not getattr(r, "reads_reports", True) for r in policy.rules)


@attrs.frozen(eq=False)
class Lines:
    """The lines of a prepared frame, with what deciding pairs of them reads.

    Per row: ``label`` (its line), ``origin`` (code), ``rank`` (claim id order). ``groups``:
    the lines as :class:`Groups` (members, sizes, subjects, time classes). Per line: ``low``
    (its first member by claim id), ``runner`` (its first member by claim id of another origin
    than ``low``'s, -1 for a line of one origin), ``origins`` (how many), ``other`` (with two
    origins, the one that is not ``low``'s), ``figure`` (lines equal but in publisher, relay and
    wording share it), ``member_keys``, ``prefix_low`` and ``suffix_low`` (per member of
    ``groups``: see :func:`_scans`). Per group:
    ``line``. Classes (a line's members of one origin): sorted keys ``class_key`` (line * n +
    origin) and their ``class_size``; ``shared_key`` (sorted ``a * lines + b``, ``a < b``) and
    ``shared`` (the pairs of one origin between two lines)."""

    label: Ints
    origin: Ints
    rank: Ints
    groups: Groups
    low: Ints
    runner: Ints
    origins: Ints
    other: Ints
    figure: Ints
    member_keys: Ints
    prefix_low: Ints
    suffix_low: Ints
    line: Ints
    class_key: Ints
    class_size: Ints
    shared_key: Ints
    shared: Ints

    @classmethod
    def of(cls, prepared: pd.DataFrame, label: Ints, figure_rows: Ints, groups: Groups) -> Lines:
        n = len(label)
        origin = prepared["origin_code"].to_numpy(dtype=np.int64)
        claim = prepared["claim"].to_numpy(dtype=object)
        rank = np.asarray(pd.factorize(claim, sort=True)[0], dtype=np.int64)
        lines = Groups.of(prepared, label)
        count = len(lines)
        width = int(origin.max(initial=0)) + 1
        low = np.full(count, -1, dtype=np.int64)
        by_rank = np.lexsort((rank, label))  # per line, members by claim id
        starts = lines.start
        low = by_rank[starts] if n else low
        # the first member of another origin than low's, by claim id
        other_origin = origin[by_rank] != origin[low][label[by_rank]]
        cand = np.flatnonzero(other_origin)
        runner = np.full(count, -1, dtype=np.int64)
        if len(cand):
            first_of = np.r_[True, label[by_rank][cand][1:] != label[by_rank][cand][:-1]]
            runner[label[by_rank][cand][first_of]] = by_rank[cand][first_of]
        keys = label * width + origin
        class_key, class_size = np.unique(keys, return_counts=True)
        class_line = class_key // width
        origins = np.bincount(class_line, minlength=count).astype(np.int64)
        other = np.full(count, -1, dtype=np.int64)
        two = np.flatnonzero(origins == 2)
        if len(two):
            first_class = np.searchsorted(class_line, two)
            o1, o2 = class_key[first_class] % width, class_key[first_class + 1] % width
            mine = origin[low[two]]
            other[two] = np.where(o1 == mine, o2, o1)
        shared_key, shared = _shared(lines, label, origin, width, class_key, class_size)
        figure = figure_rows[lines.first] if n else np.zeros(0, dtype=np.int64)
        return cls(
            label,
            origin,
            rank,
            lines,
            low.astype(np.int64),
            runner,
            origins,
            other,
            figure.astype(np.int64),
            *_scans(lines, label, rank),
            label[groups.first] if len(groups) else np.zeros(0, dtype=np.int64),
            class_key.astype(np.int64),
            class_size.astype(np.int64),
            shared_key,
            shared,
        )

    def class_count(self, line: Ints, origin: Ints) -> Ints:
        """How many members of each ``line`` have ``origin`` (0 where none)."""
        width = int(self.origin.max(initial=0)) + 1
        key = line * width + origin
        at = np.searchsorted(self.class_key, key)
        at = np.minimum(at, max(len(self.class_key) - 1, 0))
        if not len(self.class_key):
            return np.zeros(len(line), dtype=np.int64)
        found = self.class_key[at] == key
        return np.where(found, self.class_size[at], 0).astype(np.int64)

    def shared_pairs(self, a: Ints, b: Ints) -> Ints:
        """Pairs of claims of one origin between lines ``a[k] < b[k]``."""
        if not len(self.shared_key):
            return np.zeros(len(a), dtype=np.int64)
        key = a * len(self.low) + b
        at = np.minimum(np.searchsorted(self.shared_key, key), len(self.shared_key) - 1)
        return np.where(self.shared_key[at] == key, self.shared[at], 0).astype(np.int64)


def _scans(lines: Groups, label: Ints, rank: Ints) -> tuple[Ints, Ints, Ints]:
    """Per member of the lines (rows sorted by line, then row): its line and row as one sorted
    key, and the member with the lowest claim id among the line's members up to it
    (``prefix_low``) and from it on (``suffix_low``)."""
    n = len(label)
    members = lines.members
    keys = label[members] * (n + 1) + members
    if not n:
        return keys, members, members
    seg = label[members]
    big = n + 1
    r = rank[members]
    by_rank = np.empty(n, dtype=np.int64)
    by_rank[rank] = np.arange(n)
    last = int(seg.max())
    forward = np.minimum.accumulate((last - seg) * big + r) - (last - seg) * big
    backward = (np.minimum.accumulate((seg * big + r)[::-1]) - (seg * big)[::-1])[::-1]
    return keys.astype(np.int64), by_rank[forward], by_rank[backward]


def _shared(
    lines: Groups, label: Ints, origin: Ints, width: int, class_key: Ints, class_size: Ints
) -> tuple[Ints, Ints]:
    """Per pair of lines of one subject with claims of one origin, how many pairs of claims of
    one origin lie between them (sorted keys ``a * lines + b``, ``a < b``)."""
    count = len(lines)
    if not len(class_key):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    line = class_key // width
    subject = lines.subject[line]
    bucket = np.asarray(
        pd.factorize(subject * width + class_key % width)[0], dtype=np.int64
    )  # classes of one origin in one subject
    order = np.argsort(bucket, kind="stable")
    size = np.bincount(bucket)
    pairs = size * (size - 1) // 2
    if not int(pairs.sum()):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    sequence = PairSequence.of(bucket[order])
    i, j = sequence.indices(0, sequence.total)
    ca, cb = order[i], order[j]
    la, lb = line[ca], line[cb]
    lo, hi = np.minimum(la, lb), np.maximum(la, lb)
    key = lo * count + hi
    product = class_size[ca] * class_size[cb]
    keys, inverse = np.unique(key, return_inverse=True)
    return keys.astype(np.int64), np.bincount(inverse, weights=product).astype(np.int64)


@attrs.frozen(eq=False)
class LineDecisions:
    """Pairs of lines decided once: lines ``a``, ``b`` (``a == b``: the pairs within a line),
    the ``rule`` (a position in the policy's rules), how many pairs of claims (``count``), the
    first pair by claim id (rows ``x``, ``y``; for pairs of different times) and how many claims
    take part on each side (``n_a``, ``n_b``), and ``excluded_a`` (``excluded_b``): the origin of
    the members of side a (b) that take no part, -1 for none."""

    a: Ints
    b: Ints
    rule: Ints
    count: Ints
    x: Ints
    y: Ints
    n_a: Ints
    n_b: Ints
    excluded_a: Ints
    excluded_b: Ints
    untied: Bools

    @classmethod
    def empty(cls) -> LineDecisions:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, z, z, z, z, z, z, z, z, np.zeros(0, dtype=bool))

    def where(self, mask: Bools) -> LineDecisions:
        fields = [f.name for f in attrs.fields(type(self))]
        return type(self)(*(getattr(self, f)[mask] for f in fields))

    @classmethod
    def join(cls, parts: list[LineDecisions]) -> LineDecisions:
        if not parts:
            return cls.empty()
        fields = [f.name for f in attrs.fields(cls)]
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in fields))


def verdict_codes(rules: tuple[Rule, ...]) -> Ints:
    """Per rule (and -1 after the last: none), its verdict's code (-1 for none)."""
    return np.array(
        [-1 if r.verdict is None else VERDICT_CODES[r.verdict] for r in rules] + [-1],
        dtype=np.int64,
    )


def line_pairs(lines: Lines, max_pairs: int) -> Iterator[tuple[Ints, Ints]]:
    """Pairs of lines of one subject (``a < b``), then each line with itself, in chunks."""
    sequence = lines.groups.sequence()
    for k0, k1 in sequence.ranges(max(1, max_pairs)):
        yield sequence.indices(k0, k1)
    own = np.flatnonzero(lines.groups.size >= 2)
    for s in range(0, len(own), max(1, max_pairs)):
        yield own[s : s + max_pairs], own[s : s + max_pairs]


def check_line_labels(
    prepared: pd.DataFrame, label: Ints, sizes: pd.Series[int], limit: int | None
) -> None:
    """Refuse, before the lines are built, a comparison by lines (``label``: each prepared
    row's line) that would decide more than ``limit`` pairs of lines (and pairs of lines of one
    origin) and whose claims make more than ``limit`` pairs: the error says how many pairs,
    and what to do instead."""
    if limit is None or not len(label):
        return
    subject = prepared["subject_index"].to_numpy(dtype=np.int64)
    origin = prepared["origin_code"].to_numpy(dtype=np.int64)
    per_line = np.bincount(label)
    line_subject = np.zeros(len(per_line), dtype=np.int64)
    line_subject[label] = subject
    per_subject = np.bincount(line_subject).astype(np.int64)
    count = int((per_subject * (per_subject - 1) // 2).sum()) + int((per_line >= 2).sum())
    shared = pd.DataFrame({"s": subject, "o": origin, "l": label}).drop_duplicates()
    k = shared.groupby(["s", "o"], sort=False).size().to_numpy(dtype=np.int64)
    count += int((k * (k - 1) // 2).sum())
    if count > limit:
        check_comparing(sizes, limit)


def line_pair_count(lines: Lines) -> int:
    """How many pairs of lines (and lines with pairs within) :func:`line_pairs` gives."""
    return lines.groups.sequence().total + int((lines.groups.size >= 2).sum())


def _within_shared(lines: Lines, line: Ints) -> Ints:
    """Pairs of claims of one origin within each of ``line``."""
    width = int(lines.origin.max(initial=0)) + 1
    class_line = lines.class_key // width
    pairs = lines.class_size * (lines.class_size - 1) // 2
    per_line = np.bincount(class_line, weights=pairs, minlength=len(lines.low))
    return per_line[line].astype(np.int64)


def group_pairs_of(groups: Groups, lines: Lines, a: Ints, b: Ints) -> tuple[Ints, Ints]:
    """Every pair of groups between lines ``a[k]`` and ``b[k]`` (``a == b``: within a line,
    each group with itself and with every later one), as pairs ``g <= h``."""
    by_line = np.argsort(lines.line, kind="stable")
    count = np.bincount(lines.line, minlength=len(lines.low))
    start = np.cumsum(count) - count
    na, nb = count[a], count[b]
    total = na * nb
    which = np.repeat(np.arange(len(a)), total)
    place = np.arange(len(which)) - np.repeat(np.cumsum(total) - total, total)
    width = nb[which]
    g = by_line[start[a][which] + place // width]
    h = by_line[start[b][which] + place % width]
    keep = (a != b)[which] | (g <= h)
    g, h = g[keep], h[keep]
    return np.minimum(g, h), np.maximum(g, h)


def one_origin_group_pairs(groups: Groups, lines: Lines) -> tuple[Ints, Ints]:
    """Every pair of groups of one subject and one origin (``g <= h``; a group with itself
    where it has two members or more): the pairs of claims of one report, or reprints of one."""
    origin = lines.origin[groups.first]
    bucket = np.asarray(pd.factorize(groups.subject * (int(origin.max(initial=0)) + 1) + origin)[0])
    order = np.argsort(bucket, kind="stable").astype(np.int64)
    sequence = PairSequence.of(bucket[order])
    i, j = sequence.indices(0, sequence.total)
    g, h = order[i], order[j]
    own = np.flatnonzero(groups.size >= 2)
    g = np.concatenate([np.minimum(g, h), own])
    h = np.concatenate([np.maximum(order[i], order[j]), own])
    return g, h

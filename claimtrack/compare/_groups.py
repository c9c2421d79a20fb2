"""Interchangeable claims: groups of claims a rule cannot tell apart, and the pairs of groups.

Two claims of one subject that are equal in every column a comparison reads (everything but their
id: values, times, claimant, source, publisher, quote, section, texts...) and that are not the
base of an additional amount are *interchangeable*: every pair between a member of group ``A``
and a member of group ``B`` gets the verdict, rule and reason of any other such pair of the same
orientation (which claim is side a), for any rule that reads only columns of the claims
(``Rule.reads_identity`` false). So a subject's pairs can be decided one pair of groups at a
time: :class:`Groups` numbers the groups, :func:`group_pairs` lists the pairs of groups with how
many member pairs stand behind each orientation.

Orientation: pairs are ``i < j`` in prepared row order (subject, time, publication, claim id).
Members of one group share their times, so all of them lie in one *tie class* (the rows of a
subject with one time and publication day, in claim id order). Groups of different tie classes
have every member of the earlier one first; groups of one tie class may interleave, and their
member pairs are counted per orientation from the members' rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack._frame_schema import date_columns
from claimtrack.compare._arrays import Bools, Ints, _distinct
from claimtrack.compare._pairs import PairSequence
from claimtrack.compare._prepare import BASES
from claimtrack.compare._schema import ADDED_COLUMNS, KERNEL_COLUMNS

ORIGIN_BITS = 31
"""A claim's key for findings (:func:`claim_keys`): its line, shifted by this many bits, and its
origin in the bits below."""
ORIGIN_MASK = (1 << ORIGIN_BITS) - 1


def claim_keys(lines: Ints, origins: Ints) -> Ints:
    """Per claim, its line and origin as one integer (findings are the pairs between two
    lines, all of one origin or all of two)."""
    origin = origins.astype(np.int64) & ORIGIN_MASK
    return np.asarray((lines.astype(np.int64) << ORIGIN_BITS) | origin)


IDENTITY_COLUMNS = frozenset({"claim"})
"""The claims frame columns that name a claim rather than describe it: not part of a group's key."""


def group_labels(prepared: pd.DataFrame, frame: pd.DataFrame) -> Ints:
    """A group number per prepared row: rows with equal :data:`KERNEL_COLUMNS` (but the id) of
    ``frame`` (the claims as compared) in one subject, numbered in the order of their first row.

    A claim that is the base of an additional amount is a group of its own, and additional
    amounts are grouped by their base (their intervals are totals with it)."""
    return _labels(prepared, frame, IDENTITY_COLUMNS, [])


LINE_FREE_COLUMNS = frozenset({"source", "republishes", "section", *date_columns("published")})
"""The columns that tell the reports of one *line* apart (a claim told again, article after
article): which report it is in, what that report republishes, the section it is in and the
report's publication. Not part of a line's key; a claim dated by its publication keeps that date
in its key (its time), and one left undated by its section keeps that (its time is none)."""


def line_labels(
    prepared: pd.DataFrame, frame: pd.DataFrame, free: frozenset[str] = frozenset()
) -> Ints:
    """A line number per prepared row: rows of one subject equal in every column a group's key
    reads but :data:`LINE_FREE_COLUMNS`, and with one time (``t0``, ``t1`` and its basis; the
    publication where that is the time), numbered in the order of their first row. Every group
    of :func:`group_labels` lies in one line (findings are the pairs between two lines)."""
    if not len(prepared):
        return np.zeros(0, dtype=np.int64)
    rows = prepared["row"].to_numpy()
    basis = prepared["basis"].to_numpy(dtype=np.int64)
    dated_by_publication = basis == BASES.index("published")
    time = [
        _codes(pd.Series(prepared["t0"].to_numpy())),
        _codes(pd.Series(prepared["t1"].to_numpy())),
        basis,
    ]
    for column in date_columns("published"):
        if column in frame.columns:
            time.append(np.where(dated_by_publication, _codes(frame[column])[rows], -1))
    return _labels(prepared, frame, IDENTITY_COLUMNS | LINE_FREE_COLUMNS | free, time)


FIGURE_FREE_COLUMNS = frozenset({"publisher", "origin_publisher", "via", "quote"})
"""The columns that tell apart lines of one *figure* (one claimant's claim at one time, told by
several publishers or in several wordings)."""


def figure_labels(prepared: pd.DataFrame, frame: pd.DataFrame) -> Ints:
    """A figure number per prepared row: as :func:`line_labels`, but for
    :data:`FIGURE_FREE_COLUMNS` too (every line lies in one figure)."""
    return line_labels(prepared, frame, FIGURE_FREE_COLUMNS)


def _labels(
    prepared: pd.DataFrame, frame: pd.DataFrame, free: frozenset[str], extra: list[Ints]
) -> Ints:
    """Labels of rows equal in the described columns of ``frame`` but ``free``, and in
    ``extra`` codes (per prepared row), within one subject; bases of additional amounts apart."""
    rows = prepared["row"].to_numpy()
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    described = (*KERNEL_COLUMNS, *ADDED_COLUMNS)  # what is added is computed from them, too
    columns = [c for c in described if c not in free and c in frame.columns]
    codes = [prepared["subject_index"].to_numpy()]
    codes += [_codes(frame[c])[rows] for c in columns]  # each column coded in frame order
    codes += [np.asarray(code, dtype=np.int64) for code in extra]
    base = prepared["base_row"].to_numpy()
    link = np.full(len(rows), -1, dtype=np.int64)
    if (base >= 0).any():
        link[base >= 0] = base[base >= 0]  # additional amounts: by their base's row
        is_base = np.isin(rows, base[base >= 0])
        link[is_base] = rows[is_base]  # a base: on its own
    codes.append(link)
    return _packed(codes)


def _packed(codes: list[Ints]) -> Ints:
    """One code per row, equal exactly where all ``codes`` (integers of at least -1) are,
    numbered as first seen: the codes packed into one integer, renumbered densely only when the
    next would not fit in 62 bits."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1
    for code in codes:
        width = int(code.max(initial=-1)) + 2
        if span * width >= 2**62:
            key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
            span = int(key.max(initial=0)) + 1
        key = key * width + (code + 1)
        span *= width
    return np.asarray(pd.factorize(key)[0], dtype=np.int64)


def _codes(column: pd.Series[Any]) -> Ints:
    """Integer codes of a column, equal where its values are (-1 for every missing value):
    a categorical's own codes, else :func:`pandas.factorize`."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return np.asarray(column.cat.codes.to_numpy(), dtype=np.int64)
    try:
        return np.asarray(pd.factorize(column)[0], dtype=np.int64)
    except TypeError:  # lists (several claimants, a via chain; arrays when read from Parquet)
        values = column.to_numpy(dtype=object)
        hashable = [v if v is None or isinstance(v, str) else _hashable(v) for v in values]
        return np.asarray(pd.factorize(pd.Series(hashable, dtype=object))[0], dtype=np.int64)


def _hashable(value: Any) -> Any:
    """A list or array value as a tuple (of tuples), so that it can be a group key's part."""
    if isinstance(value, np.ndarray | list | tuple):
        return tuple(_hashable(v) for v in value)
    return value


@attrs.frozen(eq=False)
class Groups:
    """The groups of interchangeable claims of a prepared frame.

    ``label``: per row, its group; per group: ``size``, ``first`` and ``second`` row (``-1``
    without a second), ``subject`` (block), ``tie`` (tie class); ``members``: rows sorted by
    group, then row (group ``g``'s are ``members[start[g] : start[g] + size[g]]``); ``last``: per
    group, its last row."""

    label: Ints
    size: Ints
    first: Ints
    second: Ints
    last: Ints
    subject: Ints
    tie: Ints
    members: Ints
    start: Ints

    @classmethod
    def of(cls, prepared: pd.DataFrame, label: Ints) -> Groups:
        n = len(label)
        count = int(label.max(initial=-1)) + 1
        members = np.argsort(label, kind="stable").astype(np.int64)  # rows ascending per group
        size = np.bincount(label, minlength=count).astype(np.int64)
        start = (np.cumsum(size) - size).astype(np.int64)
        second = np.full(count, -1, dtype=np.int64)
        two = size >= 2
        second[two] = members[start[two] + 1]
        first = members[start] if n else np.zeros(0, dtype=np.int64)
        last = members[start + size - 1] if n else np.zeros(0, dtype=np.int64)
        tie = _distinct(
            prepared["subject_index"].to_numpy(),
            prepared["t0"].to_numpy(),
            prepared["t1"].to_numpy(),
            prepared["published"].to_numpy(),
        )[0]
        subject = prepared["subject_index"].to_numpy()
        return cls(
            label,
            size,
            first.astype(np.int64),
            second,
            last.astype(np.int64),
            subject[first].astype(np.int64) if n else np.zeros(0, dtype=np.int64),
            tie[first].astype(np.int64) if n else np.zeros(0, dtype=np.int64),
            members,
            start,
        )

    def __len__(self) -> int:
        return len(self.size)

    def sequence(self) -> PairSequence:
        """The pairs ``A < B`` of groups of one subject (groups are in subject order)."""
        return PairSequence.of(self.subject)

    def rows_of(self, group: int) -> Ints:
        s = int(self.start[group])
        return self.members[s : s + int(self.size[group])]

    def expand(self, groups: Ints) -> tuple[Ints, Ints]:
        """The members of each of ``groups``: which of them (a position) and the member's row,
        group after group, rows ascending."""
        size = self.size[groups]
        which = np.repeat(np.arange(len(groups)), size)
        offsets = np.arange(len(which)) - np.repeat(np.cumsum(size) - size, size)
        return which, self.members[np.repeat(self.start[groups], size) + offsets]

    def before(self, a: Ints, b: Ints) -> Ints:
        """For pairs of groups ``a[k]``, ``b[k]`` of one tie class: how many member pairs have
        the member of ``a[k]`` first: a search per member of the smaller group among the other's
        members (members of ``a`` with members of ``b`` after them, or members of ``b`` with
        members of ``a`` before them), a bounded number of members at a time."""
        out = np.zeros(len(a), dtype=np.int64)
        n = len(self.label)
        keys = self.label[self.members] * (n + 1) + self.members  # sorted: by group, then row
        flip = self.size[b] < self.size[a]
        small, large = np.where(flip, b, a), np.where(flip, a, b)
        ends = np.cumsum(self.size[small])
        start = 0
        while start < len(a):
            base = int(ends[start - 1]) if start else 0
            stop = max(start + 1, int(np.searchsorted(ends, base + _MEMBERS_AT_ONCE, "right")))
            pair, rows = self.expand(small[start:stop])
            other = large[start:stop][pair]
            at = np.searchsorted(keys, other * (n + 1) + rows, side="right") - self.start[other]
            # members of the large group after (a small) or before (b small) each member
            counted = np.where(flip[start:stop][pair], at, self.size[other] - at)
            out[start:stop] = np.bincount(pair, weights=counted, minlength=stop - start)
            start = stop
        return out


_MEMBERS_AT_ONCE = 4_000_000
"""How many members :meth:`Groups.before` searches at once (bounds its memory)."""


@attrs.frozen(eq=False)
class Oriented:
    """Pairs of groups, each in one orientation: every member pair with a member of ``a[k]``
    first and one of ``b[k]`` second (``a[k] == b[k]``: the pairs within one group), ``count[k]``
    of them; ``tied``: whether the two groups share a tie class (so only some of their members'
    pairs have this orientation)."""

    a: Ints
    b: Ints
    count: Ints
    tied: np.ndarray[tuple[int], np.dtype[np.bool_]]

    def __len__(self) -> int:
        return len(self.a)


def group_pair_count(groups: Groups) -> int:
    """How many pairs of groups (and groups with pairs within) :func:`group_pairs` gives at
    most: counted from the groups per subject, before any is made."""
    per_subject = np.bincount(groups.subject) if len(groups) else np.zeros(0, dtype=np.int64)
    tied = np.bincount(groups.tie) if len(groups) else np.zeros(0, dtype=np.int64)
    within = within_count(groups)
    return (
        int((per_subject * (per_subject - 1) // 2).sum() + (tied * (tied - 1) // 2).sum()) + within
    )


def group_pairs(groups: Groups, max_pairs: int) -> Iterator[Oriented]:
    """The oriented pairs of groups, in chunks of at most about ``max_pairs`` pairs of groups:
    first each group with pairs within, then each pair of groups of one subject in one or both
    orientations."""
    within = within_pairs(groups, 0, within_count(groups))
    if len(within):
        yield within
    sequence = groups.sequence()
    for k0, k1 in sequence.ranges(max(1, max_pairs)):
        yield between_pairs(groups, k0, k1, sequence)


def within_count(groups: Groups) -> int:
    """How many groups have pairs within (two members or more)."""
    return int((groups.size >= 2).sum())


def within_pairs(groups: Groups, w0: int, w1: int) -> Oriented:
    """The pairs within groups ``w0 .. w1-1`` of those with pairs within (in group order)."""
    within = np.flatnonzero(groups.size >= 2)[w0:w1]
    size = groups.size[within]
    return Oriented(within, within, size * (size - 1) // 2, np.ones(len(within), dtype=bool))


def between_pairs(
    groups: Groups, k0: int, k1: int, sequence: PairSequence | None = None
) -> Oriented:
    """Pairs ``k0 .. k1-1`` of ``sequence`` (:meth:`Groups.sequence`: two groups of one
    subject), each in the orientations its member pairs have: any range is decided on its own
    (how the Dask engine spreads a hot subject over tasks)."""
    a, b = (groups.sequence() if sequence is None else sequence).indices(k0, k1)
    return oriented(groups, a, b)


def oriented(groups: Groups, g: Ints, h: Ints) -> Oriented:
    """Pairs of groups ``g[k] <= h[k]`` in the orientations their member pairs have."""
    within = g == h
    a, b = g[~within], h[~within]
    tied = groups.tie[a] == groups.tie[b]
    total = groups.size[a] * groups.size[b]
    forward = total.copy()
    forward[tied] = groups.before(a[tied], b[tied])
    backward = total - forward
    ab, ba = forward > 0, backward > 0
    own = g[within]
    own = own[groups.size[own] >= 2]
    size = groups.size[own]
    return Oriented(
        np.concatenate([own, a[ab], b[ba]]),
        np.concatenate([own, b[ab], a[ba]]),
        np.concatenate([size * (size - 1) // 2, forward[ab], backward[ba]]),
        np.concatenate([np.ones(len(own), dtype=bool), tied[ab], tied[ba]]),
    )


def member_pairs(groups: Groups, a: Ints, b: Ints, tied: Bools) -> tuple[Ints, Ints, Ints]:
    """The member pairs (rows ``i < j``) of each oriented pair of groups ``a[k]`` then ``b[k]``
    (``a[k] == b[k]``: within the group; ``tied[k]``: of one tie class, so only the pairs in
    this order), and which ``k`` each is of: every member of ``a[k]`` with every one of
    ``b[k]``, without a loop per pair of groups."""
    count = groups.size[a] * groups.size[b]
    which = np.repeat(np.arange(len(a)), count)
    place = np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count)
    width = groups.size[b][which]
    i = groups.members[groups.start[a][which] + place // width]
    j = groups.members[groups.start[b][which] + place % width]
    keep = ~((a == b) | tied)[which] | (i < j)
    return i[keep], j[keep], which[keep]

"""The repeat, combined and update links of pairs of lines decided once, as links between
groups (what the subjects table's origins and latest figures need)."""

from __future__ import annotations

import attrs
import numpy as np

from claimtrack.compare._arrays import Bools, Ints
from claimtrack.compare._groups import Groups
from claimtrack.compare._lines import LineDecisions, Lines, verdict_codes
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._vocabulary import COMBINED, REPEAT, UPDATE


@attrs.frozen(eq=False)
class GroupLinks:
    """Links of line decisions between groups: edges ``u``, ``v`` (groups of one origin once
    joined), ``joined`` (groups all of whose members are joined), ``superseded`` (groups)."""

    u: Ints
    v: Ints
    joined: Ints
    superseded: Ints


def line_links(
    groups: Groups, lines: Lines, decided: LineDecisions, policy: KernelPolicy
) -> GroupLinks:
    """The repeat (and combined) and update links of line decisions, between groups.

    The pairs between two lines of different origins join every claim that takes part into one
    origin (each takes part with every claim of the other line but those of its own origin),
    but where both lines hold claims of exactly the same two origins: then the claims of one
    origin in one line join those of the other origin in the other, two origins. A line's pairs
    within join all of it (two origins or more: every claim has a partner of another origin)."""
    rules = tuple(policy.rules)
    kept_rule = np.array([r.verdict in policy.keep for r in rules] + [False], dtype=bool)
    verdict = verdict_codes(rules)[decided.rule]
    keep = kept_rule[decided.rule]
    link = keep & ((verdict == REPEAT) | (verdict == COMBINED))
    update = keep & (verdict == UPDATE)
    by_line = np.argsort(lines.line, kind="stable").astype(np.int64)
    per_line = np.bincount(lines.line, minlength=len(lines.low))
    start = np.cumsum(per_line) - per_line
    g_origin = lines.origin[groups.first]
    first_group = np.where(per_line > 0, by_line[np.minimum(start, max(len(by_line) - 1, 0))], -1)

    def members(line: Ints, skip: Ints) -> tuple[Ints, Ints]:
        """Groups of each ``line`` (which one, group), but those of origin ``skip`` (-1)."""
        n = per_line[line]
        which = np.repeat(np.arange(len(line)), n)
        offset = np.arange(len(which)) - np.repeat(np.cumsum(n) - n, n)
        g = by_line[start[line][which] + offset]
        keep_g = g_origin[g] != skip[which]
        return which[keep_g], g[keep_g]

    a, b = decided.a[link], decided.b[link]
    ex_a, ex_b = decided.excluded_a[link], decided.excluded_b[link]
    two = (
        (a != b)
        & (lines.origins[a] == 2)
        & (lines.origins[b] == 2)
        & _same_two_origins(lines, a, b)
    )
    whole = ~two & (ex_a < 0) & (ex_b < 0)
    full = np.unique(
        np.concatenate([a[whole], b[whole], b[~two & (ex_a >= 0)], a[~two & (ex_b >= 0)]])
    )
    u_parts, v_parts, joined_parts = [], [], []
    which, g = members(full, np.full(len(full), -1, dtype=np.int64))
    u_parts.append(first_group[full][which])
    v_parts.append(g)
    joined_parts.append(g)
    cross = whole & (a != b)
    u_parts.append(first_group[a[cross]])
    v_parts.append(first_group[b[cross]])
    for side, hub, ex in ((a, b, ex_a), (b, a, ex_b)):
        part = ~two & (ex >= 0)
        # each line but one origin joined once (to its first other group), then to the hub
        pairs = np.unique(np.stack([side[part], ex[part]]), axis=1)
        which, g = members(pairs[0], pairs[1])
        local = np.full(pairs.shape[1], -1, dtype=np.int64)
        local[which[::-1]] = g[::-1]
        u_parts.append(local[which])
        v_parts.append(g)
        joined_parts.append(g)
        at = _positions(pairs, side[part], ex[part])
        u_parts.append(local[at])
        v_parts.append(first_group[hub[part]])
    if two.any():
        ta, tb = a[two], b[two]
        o1 = lines.origin[lines.low[ta]]
        o2 = lines.other[ta]
        for oa, ob in ((o1, o2), (o2, o1)):
            wa, ga = members(ta, ob)  # a's groups of origin oa (not ob)
            wb, gb = members(tb, oa)  # b's groups of origin ob (not oa)
            hub = np.full(len(ta), -1, dtype=np.int64)
            hub[wb[::-1]] = gb[::-1]
            u_parts += [hub[wa], hub[wb]]
            v_parts += [ga, gb]
            joined_parts += [ga, gb]
    up = np.unique(np.stack([decided.a[update], decided.excluded_a[update]]), axis=1)
    _, sup = members(up[0], up[1])  # each line (but one origin) once
    empty = np.zeros(0, dtype=np.int64)
    u = np.concatenate(u_parts) if u_parts else empty
    v = np.concatenate(v_parts) if v_parts else empty
    ok = (u >= 0) & (v >= 0)
    return GroupLinks(
        u[ok].astype(np.int64),
        v[ok].astype(np.int64),
        np.unique(np.concatenate(joined_parts)).astype(np.int64) if joined_parts else empty,
        np.unique(sup).astype(np.int64),
    )


def _positions(unique: Ints, line: Ints, origin: Ints) -> Ints:
    """Where each ``(line, origin)`` is among the sorted distinct columns ``unique``."""
    width = int(max(origin.max(initial=0), unique[1].max(initial=0))) + 2
    keys = unique[0] * width + (unique[1] + 1)
    return np.asarray(np.searchsorted(keys, line * width + (origin + 1)), dtype=np.int64)


def _same_two_origins(lines: Lines, a: Ints, b: Ints) -> Bools:
    """Whether lines ``a[k]`` and ``b[k]`` (two origins each) hold the same two."""
    oa1, oa2 = lines.origin[lines.low[a]], lines.other[a]
    ob1, ob2 = lines.origin[lines.low[b]], lines.other[b]
    return np.asarray(((oa1 == ob1) & (oa2 == ob2)) | ((oa1 == ob2) & (oa2 == ob1)), dtype=bool)

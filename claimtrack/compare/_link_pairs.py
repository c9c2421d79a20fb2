"""A chunk of link pairs: claims of two subjects joined by a declared link, as arrays.

:class:`LinkPairs` has the arrays of :class:`Pairs` and, per pair, its link, the implied total of
an increment (``adds_to``), the sum of the parts one source gives (``part_of``), the planned date
(``planned_as``) and the times events are ordered by; the link rules (``_link_rules``) read them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from claimtrack.compare._arrays import Bools, Floats, Ints, Objects
from claimtrack.compare._pairs import ChunkPolicy, Pairs
from claimtrack.compare._vocabulary import EVENT_DATE, QUANTITY
from claimtrack.subject import QUANTITY_LINKS, LinkKind

_KINDS = list(LinkKind)
"""A link's code is its position in :class:`LinkKind`."""
ADDS_TO, PART_OF, LOWER_BOUND_OF, NEGATES, FOLLOWS, ENDS, PLANNED_AS, RELATED_TO, ABOUT = (
    _KINDS.index(k)
    for k in (
        LinkKind.ADDS_TO,
        LinkKind.PART_OF,
        LinkKind.LOWER_BOUND_OF,
        LinkKind.NEGATES,
        LinkKind.FOLLOWS,
        LinkKind.ENDS,
        LinkKind.PLANNED_AS,
        LinkKind.RELATED_TO,
        LinkKind.ABOUT,
    )
)
_QUANTITY_CODES = np.array([k in QUANTITY_LINKS for k in _KINDS], dtype=bool)


class LinkPairs(Pairs):
    """A chunk of link pairs: side a in the linking subject, side b in the linked one."""

    def __init__(
        self,
        claims: pd.DataFrame,
        i: Ints,
        j: Ints,
        policy: ChunkPolicy,
        edge: Ints,
        link: Ints,
        plan0: Floats,
        plan1: Floats,
        *,
        means: tuple[Floats, Floats, Objects] | None = None,
        co_speakers: pd.Series[Any] | None = None,
    ) -> None:
        super().__init__(claims, i, j, policy)
        self.edge = edge
        self.link = link
        self.plan0, self.plan1 = plan0, plan1
        n = len(i)
        if means is None:
            means = (np.full(n, np.nan), np.full(n, np.nan), np.full(n, "", dtype=object))
        self.means_lo: Floats = means[0]
        self.means_hi: Floats = means[1]
        self.means_text: Objects = means[2]
        """Per ``about`` pair, the figure asserting the proposition means (NaN for the others)."""
        self.shared_speaker, self.speaker_text = _shared_speakers(claims, i, j, co_speakers)
        """Per pair, whether the two claims have a speaker in common (``speaker`` or a
        co-speaker), and the first one they share ("" where none)."""
        self.link_quantities: Bools = _QUANTITY_CODES[link] if len(link) else np.zeros(0, bool)
        self.base_row = self._base_rows()
        self.total_lo, self.total_hi, self.total_counted = self._totals()
        self.sum_lo, self.sum_hi, self.complete, self.parts_text = self._sums()
        self.derived_from_other: Bools = np.zeros(len(i), dtype=bool)
        """Per pair: one claim is a figure derived from the other (set by the caller)."""

    @property
    def means_overlap(self) -> Bools:
        """Per ``about`` pair, whether side b's figure overlaps the figure side a's proposition
        means."""
        return np.asarray(
            (self.means_lo <= self.b("hi")) & (self.b("lo") <= self.means_hi), dtype=bool
        )

    @property
    def means_within(self) -> Bools:
        """Per ``about`` pair, whether side b's figure lies within the figure the proposition
        means (then denying the proposition denies the figure)."""
        return np.asarray(
            (self.means_lo <= self.b("lo")) & (self.b("hi") <= self.means_hi), dtype=bool
        )

    def mark_derived(self, derived: set[tuple[str, str]]) -> None:
        """Mark the pairs of a derived figure and a claim it is derived from (``(derived,
        source)`` ids)."""
        if not derived:
            return
        ids = self.claims["claim"].to_numpy(dtype=object)
        a, b = ids[self.i], ids[self.j]
        keys = pd.Index([f"{d}\x1f{s}" for d, s in derived])
        ab = pd.Index(pd.Series(a, dtype=object) + "\x1f" + pd.Series(b, dtype=object))
        ba = pd.Index(pd.Series(b, dtype=object) + "\x1f" + pd.Series(a, dtype=object))
        self.derived_from_other = np.asarray(ab.isin(keys) | ba.isin(keys), dtype=bool)

    def is_(self, code: int) -> Bools:
        return np.asarray(self.link == code, dtype=bool)

    def _base_rows(self) -> Ints:
        """Per ``adds_to`` pair, the base figure of the increment: a figure of the linked subject
        from the increment's source and claimant that is not itself additional (the first in
        the prepared order); -1 where there is none, and for the other links."""
        out = np.full(len(self.i), -1, dtype=np.int64)
        adds = self.is_(ADDS_TO)
        if not adds.any():
            return out
        c = self.claims
        figure = (c["kind"].to_numpy() == QUANTITY) & ~c["additional"].to_numpy()
        rows = np.flatnonzero(figure)
        keys = pd.MultiIndex.from_arrays(
            [c[col].to_numpy()[rows] for col in ("subject_index", "source_code", "claimant_code")]
        )
        first = ~keys.duplicated(keep="first")
        index = keys[first]
        wanted = pd.MultiIndex.from_arrays(
            [
                c["subject_index"].to_numpy()[self.j[adds]],
                c["source_code"].to_numpy()[self.i[adds]],
                c["claimant_code"].to_numpy()[self.i[adds]],
            ]
        )
        at = index.get_indexer(wanted)
        out[adds] = np.where(at >= 0, rows[first][np.maximum(at, 0)], -1)
        return out

    def _totals(self) -> tuple[Floats, Floats, Bools]:
        """Per ``adds_to`` pair, the total the increment implies: its base plus the increment
        (with no base, at least the increment)."""
        lo, hi = np.full(len(self.i), np.nan), np.full(len(self.i), np.nan)
        adds = self.is_(ADDS_TO)
        base = self.base_row
        has = adds & (base >= 0)
        c_lo, c_hi = self.claims["lo"].to_numpy(), self.claims["hi"].to_numpy()
        a_lo, a_hi = self.a("lo"), self.a("hi")
        lo[adds] = a_lo[adds]
        hi[adds] = np.inf
        lo[has] = a_lo[has] + c_lo[base[has]]
        hi[has] = a_hi[has] + c_hi[base[has]]
        return lo, hi, adds & ~np.isnan(lo)

    def _sums(self) -> tuple[Floats, Floats, Bools, Objects]:
        """Per ``part_of`` pair, the sum of the parts of the whole that side a's source gives
        (each part subject's first figure there), whether it gives every part, and the sum as
        written ("13 years (prison) + 1 year (camp)")."""
        n = len(self.i)
        lo, hi = np.full(n, np.nan), np.full(n, np.nan)
        complete = np.zeros(n, dtype=bool)
        texts = np.full(n, "", dtype=object)
        parts = self.is_(PART_OF)
        if not parts.any():
            return lo, hi, complete, texts
        c = self.claims
        whole = c["subject_index"].to_numpy()[self.j[parts]]
        # the part subjects of each whole, and each part claim's first figure per source
        table = pd.DataFrame(
            {
                "whole": whole,
                "part": c["subject_index"].to_numpy()[self.i[parts]],
                "row": self.i[parts],
                "source": c["source_code"].to_numpy()[self.i[parts]],
            }
        )
        needed = table.drop_duplicates(["whole", "part"]).groupby("whole")["part"].size()
        firsts = table.sort_values("row", kind="stable").drop_duplicates(
            ["whole", "source", "part"]
        )
        rows = firsts["row"].to_numpy()
        value = c["value_text"].to_numpy()[rows] if "value_text" in c else c["claim"].to_numpy()
        label = c["label"].to_numpy()[rows]
        firsts = firsts.assign(
            lo=c["lo"].to_numpy()[rows],
            hi=c["hi"].to_numpy()[rows],
            text=pd.Series(value, dtype=object).to_numpy() + " (" + label + ")",
        )
        grouped = firsts.groupby(["whole", "source"], sort=False)
        sums = grouped.agg(
            lo=("lo", "sum"), hi=("hi", "sum"), count=("part", "size"), text=("text", " + ".join)
        )
        at = sums.index.get_indexer(
            pd.MultiIndex.from_arrays([whole, c["source_code"].to_numpy()[self.i[parts]]])
        )
        lo[parts] = sums["lo"].to_numpy()[at]
        hi[parts] = sums["hi"].to_numpy()[at]
        texts[parts] = sums["text"].to_numpy()[at]
        complete[parts] = sums["count"].to_numpy()[at] == needed.reindex(whole).to_numpy()
        return lo, hi, complete, texts

    @property
    def link_overlap(self) -> Bools:
        """Whether the compared intervals overlap, for quantity links: the implied total or the
        sum of the parts where the link has one, else side a's figure."""
        lo = np.where(~np.isnan(self.total_lo), self.total_lo, self.a("lo"))
        hi = np.where(~np.isnan(self.total_hi), self.total_hi, self.a("hi"))
        lo = np.where(self.complete, self.sum_lo, lo)
        hi = np.where(self.complete, self.sum_hi, hi)
        return np.asarray((lo <= self.b("hi")) & (self.b("lo") <= hi), dtype=bool)

    @property
    def link_gap(self) -> Floats:
        return np.where(self.link_quantities, self.relative_gap, np.nan)

    # times events are ordered by: an event's date, any other claim's time
    def start(self, side: str) -> Floats:
        get = self.a if side == "a" else self.b
        return np.asarray(np.where(get("kind") == EVENT_DATE, get("d0"), get("t0")))

    def end(self, side: str) -> Floats:
        get = self.a if side == "a" else self.b
        return np.asarray(np.where(get("kind") == EVENT_DATE, get("d1"), get("t1")))

    def time_text(self, side: str) -> Objects:
        get = self.a if side == "a" else self.b
        return np.asarray(np.where(get("kind") == EVENT_DATE, get("date_text"), get("when")))


def _speaker_rows(claims: pd.DataFrame, co_speakers: pd.Series[Any] | None) -> tuple[Ints, Objects]:
    """The (claim row, speaker id) rows of ``claims``: each claim's ``speaker``, then its
    ``co_speakers`` (tuples, lists or comma-separated texts, aligned with ``claims``), sorted by
    claim row with the ``speaker`` first."""
    n = len(claims)
    main = pd.Series(claims["speaker"].to_numpy(dtype=object), index=np.arange(n), dtype=object)
    parts = [main]
    if co_speakers is not None:
        co = pd.Series(co_speakers.to_numpy(dtype=object), index=np.arange(n), dtype=object)
        # tuples and lists explode into ids; a comma-separated text then splits into them
        ids = co.explode().dropna()
        parts.append(ids.astype(str).str.split(",").explode().str.strip())
    table = pd.concat(parts)
    table = table[table.notna().to_numpy() & (table.astype(str) != "").to_numpy()]
    order = np.argsort(np.asarray(table.index, dtype=np.int64), kind="stable")
    return (
        np.asarray(table.index, dtype=np.int64)[order],
        np.asarray(table.to_numpy(dtype=object)[order], dtype=object),
    )


def _shared_speakers(
    claims: pd.DataFrame, i: Ints, j: Ints, co_speakers: pd.Series[Any] | None
) -> tuple[Bools, Objects]:
    """Per pair, whether the claims at rows ``i`` and ``j`` share a speaker (``speaker`` or a
    co-speaker), and the first one they share (in side a's order): array arithmetic over the
    (claim, speaker) rows, no loop per pair."""
    n = len(i)
    owner, names = _speaker_rows(claims, co_speakers)
    codes, uniques = pd.factorize(pd.Series(names, dtype=object))
    codes = np.asarray(codes, dtype=np.int64)
    counts = np.bincount(owner, minlength=len(claims)).astype(np.int64)
    offsets = np.cumsum(counts) - counts
    width = max(len(uniques), 1)
    per = counts[i]
    pair = np.repeat(np.arange(n, dtype=np.int64), per)
    at = np.repeat(offsets[i], per) + (
        np.arange(int(per.sum()), dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
    )
    hit = np.isin(j[pair] * width + codes[at], owner * width + codes)
    first = np.full(n, len(names), dtype=np.int64)
    np.minimum.at(first, pair[hit], at[hit])
    shared = first < len(names)
    text = np.full(n, "", dtype=object)
    text[shared] = names[first[shared]]
    return np.asarray(shared, dtype=bool), text

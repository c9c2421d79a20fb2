"""Pairs of claims: the pair sequence of a prepared frame, and the arrays of one chunk of it.

Pairs ``i < j`` inside every subject block are enumerated as one global sequence
(:class:`PairSequence`), so any range of it can be compared on its own: that is how large blocks
are processed in chunks, and how the Dask engine spreads a hot subject over workers. A chunk's
:class:`Pairs` gathers each claim column for side a and side b, and computes the masks rules
share once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import fuzz, process, utils

from claimtrack.compare._arrays import Bools, Floats, Ints, _arrow_texts
from claimtrack.compare._vocabulary import KIND_CODES, QUANTITY


class ChunkPolicy(Protocol):
    """What the pairs of a chunk (and the rules' masks) read from a policy
    (:class:`claimtrack.compare.ComparePolicy` has it all)."""

    @property
    def repeat_similarity(self) -> float: ...

    @property
    def day_count_tolerance_days(self) -> int: ...

    @property
    def stance_codes(self) -> npt.NDArray[np.int64]: ...

    @property
    def reporting_lag_days(self) -> int: ...

    @property
    def occasion_tolerance_days(self) -> int: ...

    def time_tolerance(self, kinds: npt.NDArray[Any]) -> npt.NDArray[np.float64]: ...


def pair_counts(subject: npt.NDArray[Any]) -> Ints:
    """For each row of a subject-sorted frame, how many later rows share its subject."""
    n = len(subject)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, subject[1:] != subject[:-1]])
    ends = np.r_[starts[1:], n]
    block_end = np.repeat(ends, ends - starts)
    return (block_end - np.arange(n) - 1).astype(np.int64)


@attrs.frozen(eq=False)
class PairSequence:
    """The pairs ``i < j`` inside every subject block of a prepared frame, as one global sequence:
    row ``i``'s pairs (with each later row of its block) come before row ``i + 1``'s.

    Any range ``k0 .. k1-1`` of it can be compared on its own (:meth:`indices`).
    """

    counts: Ints
    """Per row, how many later rows share its subject (:func:`pair_counts`)."""
    ends: Ints
    """Per row, where its pairs end in the sequence (the cumulative ``counts``)."""

    @classmethod
    def of(cls, subject: npt.NDArray[Any]) -> PairSequence:
        """The pair sequence of a subject-sorted column (subjects, or their block numbers)."""
        counts = pair_counts(subject)
        return cls(counts, np.cumsum(counts))

    @property
    def total(self) -> int:
        return int(self.ends[-1]) if len(self.ends) else 0

    def ranges(self, max_pairs: int) -> Iterator[tuple[int, int]]:
        """The sequence split into ``[k0, k1)`` ranges of at most ``max_pairs`` pairs."""
        total = self.total
        for k0 in range(0, total, max_pairs):
            yield k0, min(total, k0 + max_pairs)

    def rows(self, k0: int, k1: int) -> tuple[int, int]:
        """The rows ``lo .. hi-1`` that pairs ``k0 .. k1-1`` touch (``0, 0`` for none)."""
        if k1 <= k0:
            return 0, 0
        i0 = int(np.searchsorted(self.ends, k0, side="right"))
        i1 = int(np.searchsorted(self.ends, k1 - 1, side="right"))
        return i0, i1 + int(self.counts[i1]) + 1  # up to the end of i1's block

    def indices(self, k0: int, k1: int) -> tuple[Ints, Ints]:
        """Row indices ``(i, j)`` of pairs ``k0 .. k1-1`` (``i < j``), without a search per pair:
        the range covers rows ``i0 .. i1``, each for a run of consecutive ``j``."""
        if k1 <= k0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ends = self.ends
        i0 = int(np.searchsorted(ends, k0, side="right"))
        i1 = int(np.searchsorted(ends, k1 - 1, side="right"))
        rows = np.arange(i0, i1 + 1, dtype=np.int64)
        starts = ends[i0 : i1 + 1] - self.counts[i0 : i1 + 1]
        first = np.maximum(starts, k0)  # the first pair of each row inside the range
        runs = np.minimum(ends[i0 : i1 + 1], k1) - first
        i = np.repeat(rows, runs)
        # j runs from i + 1 + (first - start) up, by one, within each row's run
        j = np.arange(k0, k1, dtype=np.int64) + np.repeat(rows + 1 - starts, runs)
        return i, j


class Pairs:
    """The arrays of one chunk of pairs: each claim column gathered for side a and side b."""

    def __init__(self, claims: pd.DataFrame, i: Ints, j: Ints, policy: ChunkPolicy) -> None:
        self.claims = claims
        self.i = i
        self.j = j
        self.policy = policy
        self._cache: dict[str, Any] = {}
        if len(i):
            self.lo = int(min(i.min(), j.min()))
            self.hi = int(max(i.max(), j.max())) + 1
        else:
            self.lo = self.hi = 0
        # pairs of a PairSequence come row by row (i never decreases): side a is then each row
        # repeated, which np.repeat gathers several times faster than indexing
        self._runs: Ints | None = None
        if len(i) and bool((i[1:] >= i[:-1]).all()):
            self._runs = np.bincount(i - i[0])

    def a(self, column: str) -> Any:
        key = "a:" + column
        if key not in self._cache:
            values = self.claims[column].to_numpy()
            if self._runs is None:
                self._cache[key] = values.take(self.i)
            else:
                first = int(self.i[0])
                self._cache[key] = np.repeat(values[first : first + len(self._runs)], self._runs)
        return self._cache[key]

    def b(self, column: str) -> Any:
        key = "b:" + column
        if key not in self._cache:
            self._cache[key] = self.claims[column].to_numpy().take(self.j)
        return self._cache[key]

    def rows(self, column: str) -> Any:
        """The column for the rows ``lo .. hi-1`` the pairs of this chunk touch."""
        return self.claims[column].to_numpy()[self.lo : self.hi]

    def texts(self, column: str, spec: str = "") -> Any:
        """The column as Arrow texts for the rows ``lo .. hi-1`` (index with ``i - lo``)."""
        key = f"texts:{column}:{spec}"
        if key not in self._cache:
            self._cache[key] = _arrow_texts(self.rows(column), spec)
        return self._cache[key]

    def run_texts(self, run: tuple[tuple[str, str, str], ...]) -> Any:
        """Several columns and the literals between them joined per claim, for rows ``lo .. hi-1``."""
        key = f"run:{run!r}"
        if key not in self._cache:
            if len(run) == 1:
                self._cache[key] = self.texts(run[0][1], run[0][2])
            else:
                import pyarrow as pa
                import pyarrow.compute as pc

                text = pa.large_string()
                pieces: list[Any] = []
                for literal, column, spec in run:
                    if literal:
                        pieces.append(pa.scalar(literal, type=text))
                    pieces.append(self.texts(column, spec))
                self._cache[key] = pc.binary_join_element_wise(*pieces, pa.scalar("", type=text))
        return self._cache[key]

    def force(self, name: str, values: Bools) -> None:
        """Take ``values`` for the cached pair column ``name`` (``b_published_later``): how a
        pair would be decided were that so."""
        self._cache[name] = values

    def _cached(self, key: str, compute: Callable[[], Any]) -> Bools:
        """A mask computed once per chunk (rules ask for the same ones again and again)."""
        if key not in self._cache:
            self._cache[key] = np.asarray(compute(), dtype=bool)
        return np.asarray(self._cache[key], dtype=bool)

    def same(self, column: str) -> Bools:
        return self._cached("same:" + column, lambda: self.a(column) == self.b(column))

    def kinds(self, ka: int, kb: int) -> Bools:
        key = f"kinds:{min(ka, kb)}:{max(ka, kb)}"
        if key not in self._cache:
            a, b = self.a("kind"), self.b("kind")
            self._cache[key] = ((a == ka) & (b == kb)) | ((a == kb) & (b == ka))
        return np.asarray(self._cache[key], dtype=bool)

    # quantities
    @property
    def overlap(self) -> Bools:
        return self._cached(
            "overlap", lambda: (self.a("lo") <= self.b("hi")) & (self.b("lo") <= self.a("hi"))
        )

    @property
    def a_in_b(self) -> Bools:
        return self._cached(
            "a_in_b", lambda: (self.b("lo") <= self.a("lo")) & (self.a("hi") <= self.b("hi"))
        )

    @property
    def b_in_a(self) -> Bools:
        return self._cached(
            "b_in_a", lambda: (self.a("lo") <= self.b("lo")) & (self.b("hi") <= self.a("hi"))
        )

    @property
    def equal(self) -> Bools:
        return self._cached(
            "equal",
            lambda: (
                (self.a("lo") == self.b("lo"))
                & (self.a("hi") == self.b("hi"))
                & (self.a("additional") == self.b("additional"))
            ),
        )

    @property
    def relative_gap(self) -> Floats:
        """How far apart disjoint intervals are, relative to the larger figure (0 if they overlap)."""
        if "gap" not in self._cache:
            with np.errstate(invalid="ignore", divide="ignore"):
                top_lo = np.maximum(self.a("lo"), self.b("lo"))
                gap = top_lo - np.minimum(self.a("hi"), self.b("hi"))
                rel = np.where(gap > 0, gap / np.abs(top_lo), 0.0)
            quantity = self.kinds(QUANTITY, QUANTITY)
            self._cache["gap"] = np.where(quantity, rel, np.nan)
        return np.asarray(self._cache["gap"])

    # time
    @property
    def days_apart(self) -> Floats:
        """Days between the two claims' effective times (0 when their intervals overlap)."""
        if "days" not in self._cache:
            gap = np.maximum(self.b("t0") - self.a("t1"), self.a("t0") - self.b("t1"))
            self._cache["days"] = np.maximum(gap, 0.0)
        return np.asarray(self._cache["days"])

    @property
    def b_later(self) -> Bools:
        return self._cached("b_later", lambda: self.b("t0") > self.a("t1"))

    @property
    def comparable(self) -> Bools:
        if "comparable" not in self._cache:
            kinds = np.array([*KIND_CODES, ""], dtype=object)  # by code; -1 (unknown) is last
            by_code = self.policy.time_tolerance(kinds)
            tolerance = by_code[self.a("subject_kind_code")]
            # a subject that varies by occasion: within the occasion tolerance, one occasion
            occasion = float(self.policy.occasion_tolerance_days)
            tolerance = np.where(self.a("occasion"), occasion, tolerance)
            self._cache["comparable"] = np.asarray(self.days_apart <= tolerance)
        return np.asarray(self._cache["comparable"])

    # day counts
    @property
    def start_gap(self) -> Floats:
        if "start_gap" not in self._cache:
            gap = np.maximum(
                self.b("start0") - self.a("start1"), self.a("start0") - self.b("start1")
            )
            self._cache["start_gap"] = np.maximum(gap, 0.0)
        return np.asarray(self._cache["start_gap"])

    @property
    def same_start(self) -> Bools:
        """The two counts imply the same start (the same day, or the same span of days)."""
        return self._cached(
            "same_start",
            lambda: (self.a("start0") == self.b("start0")) & (self.a("start1") == self.b("start1")),
        )

    # event dates
    @property
    def dates_overlap(self) -> Bools:
        return self._cached(
            "dates_overlap", lambda: (self.a("d0") <= self.b("d1")) & (self.b("d0") <= self.a("d1"))
        )

    @property
    def dates_nested(self) -> Bools:
        def compute() -> Any:
            a_in = (self.b("d0") <= self.a("d0")) & (self.a("d1") <= self.b("d1"))
            b_in = (self.a("d0") <= self.b("d0")) & (self.b("d1") <= self.a("d1"))
            return a_in | b_in

        return self._cached("dates_nested", compute)

    @property
    def dates_equal(self) -> Bools:
        return self._cached(
            "dates_equal", lambda: (self.a("d0") == self.b("d0")) & (self.a("d1") == self.b("d1"))
        )

    # statements
    @property
    def stance_verdict(self) -> Ints:
        """Per pair, the verdict code the policy's stance matrix gives its two stances (-1 where
        either stance is unknown)."""
        if "stance_verdict" not in self._cache:
            table = self.policy.stance_codes
            self._cache["stance_verdict"] = table[self.a("stance"), self.b("stance")]
        return np.asarray(self._cache["stance_verdict"])

    @property
    def undated(self) -> Bools:
        """Either claim is undated: no time of its own, in a section that embeds other material
        (``ComparePolicy.undated_sections``), so it takes no date from its page."""
        return self._cached("undated", lambda: self.a("undated") | self.b("undated"))

    @property
    def b_published_later(self) -> Bools:
        """Claim b's report was published after claim a's."""
        return self._cached("b_published_later", lambda: self.b("published") > self.a("published"))

    # provenance
    @property
    def quote_similarity(self) -> Floats:
        """rapidfuzz ratio (0-100) of the quotes, computed for same-publisher pairs only.

        Each quote is normalised once (``utils.default_process``), not once per pair."""
        if "sim" not in self._cache:
            sim = np.full(len(self.i), np.nan)
            same = self.same("publisher_code")
            if same.any():
                quoted = np.zeros(self.hi - self.lo, dtype=bool)  # rows with a quote compared
                quoted[self.i[same] - self.lo] = True
                quoted[self.j[same] - self.lo] = True
                rows = np.flatnonzero(quoted) + self.lo
                processed = np.full(self.hi - self.lo, None, dtype=object)
                quotes = self.claims["quote"].to_numpy()[rows].tolist()
                processed[rows - self.lo] = [utils.default_process(q) for q in quotes]
                sim[same] = process.cpdist(
                    processed[self.i[same] - self.lo].tolist(),
                    processed[self.j[same] - self.lo].tolist(),
                    scorer=fuzz.ratio,
                    processor=None,
                    workers=1,
                )
            self._cache["sim"] = sim
        return np.asarray(self._cache["sim"])

    @property
    def similar_wording(self) -> Bools:
        return np.asarray(np.nan_to_num(self.quote_similarity) >= self.policy.repeat_similarity)

    @property
    def skip_additional_base(self) -> Bools:
        """An additional amount and the base figure it adds to are one statement, not two."""
        out = np.zeros(len(self.i), dtype=bool)
        either = self.a("has_base") | self.b("has_base")
        if either.any():
            i, j = self.i[either], self.j[either]
            base, row = self.claims["base_row"].to_numpy(), self.claims["row"].to_numpy()
            out[either] = (base[i] == row[j]) | (base[j] == row[i])
        return out

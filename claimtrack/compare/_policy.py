"""The comparison policy: everything that decides a comparison, and what the kernel reads of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Protocol

import attrs
import numpy as np
import pandas as pd

from claimtrack.compare._pairs import ChunkPolicy
from claimtrack.compare._rules import RULES, Rule
from claimtrack.compare._vocabulary import STANCE_CODES, Verdict
from claimtrack.quantity import HedgePolicy
from claimtrack.subject import SubjectKind


class KernelPolicy(ChunkPolicy, Protocol):
    """What preparing, deciding and explaining pairs read from a policy (:class:`ComparePolicy`
    has it all; a stand-in needs only this)."""

    @property
    def rules(self) -> tuple[Rule, ...]: ...

    @property
    def keep(self) -> frozenset[Verdict]: ...

    @property
    def summary_sections(self) -> frozenset[str]: ...

    @property
    def hedges(self) -> HedgePolicy | None: ...


_DEFAULT_TOLERANCE = MappingProxyType(
    {
        SubjectKind.QUANTITY: 366,
        SubjectKind.DAY_COUNT: 0,
        SubjectKind.EVENT_DATE: 0,
        SubjectKind.STATEMENT: 100_000,
    }
)


def _tolerances(value: Mapping[SubjectKind | str, int]) -> Mapping[SubjectKind, int]:
    merged = dict(_DEFAULT_TOLERANCE)
    merged.update({SubjectKind(k): int(v) for k, v in value.items()})
    return MappingProxyType(merged)


def _verdicts(value: Iterable[Verdict | str]) -> frozenset[Verdict]:
    return frozenset(Verdict(v) for v in value)


@attrs.frozen
class ComparePolicy:
    """Everything that decides a comparison; change it with ``attrs.evolve(policy, ...)``.

    - ``time_tolerance_days``: per subject kind, how many days apart two values may hold and
      still be "at comparable times" (quantities: 366 by default). Values further apart are an
      update (same claimant) or a change over time (different claimants), never a conflict.
    - ``day_count_tolerance_days``: how far the start dates implied by two day counts of one series
      may be apart and still agree (default 1: "the 20th night" may be counted from either side
      of midnight).
    - ``repeat_similarity``: rapidfuzz ratio (0-100) above which two quotes of one publisher are
      the same wording reused (default 85).
    - ``summary_sections``: sections that restate the body (headline, standfirst, caption, lede).
    - ``opposite_stances``: pairs of stances that contradict each other.
    - ``hedges``: when set, quantity claims read from their written phrase are read again under
      this :class:`HedgePolicy` (hedge widths) before comparing (:meth:`ClaimSet.rehedged`; bounds
      given explicitly are kept); ``None`` keeps the intervals as loaded.
    - ``keep``: the verdicts kept in the pairs (reasons are built only for kept pairs).
    - ``max_pairs_per_chunk``: how many pairs are compared at once (bounds memory: 250,000 keeps a
      million claims under 2 GiB, see docs/performance.md).
    - ``rules``: the ordered rules that decide pairs.
    """

    time_tolerance_days: Mapping[SubjectKind, int] = attrs.field(
        default=_DEFAULT_TOLERANCE, converter=_tolerances
    )
    day_count_tolerance_days: int = 1
    repeat_similarity: float = 85.0
    summary_sections: frozenset[str] = frozenset({"headline", "standfirst", "caption", "lede"})
    opposite_stances: frozenset[tuple[str, str]] = frozenset({("asserts", "denies")})
    hedges: HedgePolicy | None = None
    keep: frozenset[Verdict] = attrs.field(default=frozenset(Verdict), converter=_verdicts)
    max_pairs_per_chunk: int = 250_000
    rules: tuple[Rule, ...] = RULES
    max_pairs_in_memory: int | None = 4_000_000
    """The most pairs held in memory: compared without ``out``, or read back from a folder
    (``Comparison.pairs``, ``findings()``, reports); more is refused before the work starts with a
    :class:`~claimtrack.TooManyPairsError`. 4,000,000 pairs are about 3 GiB; ``None``: no limit.
    See docs/reliability.md, "Memory guards"."""

    @property
    def opposite_codes(self) -> list[tuple[int, int]]:
        """``opposite_stances`` as the kernel's stance codes."""
        return [(STANCE_CODES[a], STANCE_CODES[b]) for a, b in self.opposite_stances]

    def time_tolerance(self, kinds: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The time tolerance in days for an array of subject kind names."""
        table = {kind.value: days for kind, days in self.time_tolerance_days.items()}
        return pd.Series(kinds).map(table).fillna(0).to_numpy(dtype=np.float64)


DEFAULT_COMPARE_POLICY = ComparePolicy()

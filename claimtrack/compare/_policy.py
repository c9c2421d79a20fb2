"""The comparison policy: everything that decides a comparison, and what the kernel reads of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Protocol

import attrs
import numpy as np
import pandas as pd

from claimtrack.claim import Stance
from claimtrack.compare._pairs import ChunkPolicy
from claimtrack.compare._rules import RULES, UNDECIDED, Rule
from claimtrack.compare._vocabulary import (
    DEFAULT_STANCE_MATRIX,
    STANCE_CODES,
    STANCES,
    VERDICT_CODES,
    Verdict,
)
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

    @property
    def undated_sections(self) -> frozenset[str]: ...


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


STANCE_VERDICTS = frozenset({Verdict.AGREE, Verdict.CONTRADICT, Verdict.RESPONDS, Verdict.OTHER})
"""The verdicts a cell of the stance matrix may hold (each has its rule in :data:`RULES`)."""


def _stance_matrix(
    value: Mapping[tuple[Stance | str, Stance | str], Verdict | str],
) -> Mapping[tuple[Stance, Stance], Verdict]:
    """A stance matrix made symmetric (a cell given for ``(a, b)`` holds for ``(b, a)``), checked
    to have a cell for every pair of :class:`claimtrack.Stance` members and only stance verdicts."""
    cells: dict[tuple[Stance, Stance], Verdict] = {}
    for (a, b), verdict in value.items():
        pair, cell = (Stance(a), Stance(b)), Verdict(verdict)
        if cell not in STANCE_VERDICTS:
            allowed = ", ".join(sorted(STANCE_VERDICTS))
            raise ValueError(f"stances[{a}, {b}]: {cell.value!r} is not one of {allowed}")
        for key in (pair, pair[::-1]):
            if cells.get(key, cell) is not cell:
                raise ValueError(f"stances: {a} and {b} have two verdicts, {cells[key]} and {cell}")
            cells[key] = cell
    missing = [f"({a}, {b})" for a in Stance for b in Stance if (a, b) not in cells]
    if missing:
        raise ValueError(f"stances: no verdict for {', '.join(missing)}")
    return MappingProxyType(cells)


def _with_undecided(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """``rules`` ending with :data:`UNDECIDED` (appended when missing): no pair goes undecided."""
    given = tuple(rules)
    return given if given and given[-1] is UNDECIDED else (*given, UNDECIDED)


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
    - ``hedges``: when set, quantity claims read from their written phrase are read again under
      this :class:`HedgePolicy` (hedge widths) before comparing (:meth:`ClaimSet.rehedged`; bounds
      given explicitly are kept); ``None`` keeps the intervals as loaded.
    - ``keep``: the verdicts kept in the pairs (reasons are built only for kept pairs).
    - ``max_pairs_per_chunk``: how many pairs are compared at once (bounds memory: 250,000 keeps a
      million claims under 2 GiB, see docs/performance.md).
    - ``rules``: the ordered rules that decide pairs.
    - ``stances``: the stance matrix, the verdict of two statements on one proposition for every
      pair of stances (agree, contradict, responds or other); it must cover every
      :class:`claimtrack.Stance`. Default :data:`DEFAULT_STANCE_MATRIX`, derived from each stance's
      speech act.
    - ``undated_sections``: sections that embed other material (a video's title, a photo's
      caption): a claim there with neither ``as_of`` nor ``stated`` is *undated*, it does not take
      its page's publication date (default: caption).
    - ``occasion_tolerance_days``: for a subject that varies by occasion
      (:attr:`claimtrack.Subject.variation` ``by_occasion``: a crowd on a given day), how many
      days apart two claims may hold and still be about one occasion (default 0: the same day).
      It takes the place of ``time_tolerance_days`` there: claims further apart are about
      different occasions, different facts (``separate`` figures; statements are not repeats).
    - ``reporting_lag_days``: how many days after the day it counts a day count dated only by its
      report (as of the publication date) may be reported and be read as a reporting lag rather
      than a wrong count (default 7: a weekly outlet).
    - ``include_drafts``: whether drafted claims not yet reviewed (those with a ``draft:``
      block, :attr:`Claim.draft`) are compared. Default ``False``: they are left out, and the
      result says how many (:attr:`Comparison.drafts_left_out`); reports say it too. Accepting a
      drafted claim is deleting its ``draft:`` block after review.
    """

    time_tolerance_days: Mapping[SubjectKind, int] = attrs.field(
        default=_DEFAULT_TOLERANCE, converter=_tolerances
    )
    day_count_tolerance_days: int = 1
    repeat_similarity: float = 85.0
    summary_sections: frozenset[str] = frozenset({"headline", "standfirst", "caption", "lede"})
    hedges: HedgePolicy | None = None
    keep: frozenset[Verdict] = attrs.field(default=frozenset(Verdict), converter=_verdicts)
    max_pairs_per_chunk: int = 250_000
    rules: tuple[Rule, ...] = attrs.field(default=RULES, converter=_with_undecided)
    stances: Mapping[tuple[Stance, Stance], Verdict] = attrs.field(
        default=DEFAULT_STANCE_MATRIX, converter=_stance_matrix
    )
    undated_sections: frozenset[str] = frozenset({"caption"})
    reporting_lag_days: int = 7
    include_drafts: bool = False
    occasion_tolerance_days: int = 0
    decide_by: str = attrs.field(
        default="auto", validator=attrs.validators.in_(("auto", "groups", "pairs"))
    )
    """How a comparison without ``out`` is decided: ``"groups"``, one pair of groups of
    interchangeable claims at a time (findings, subjects and series without enumerating every
    pair; every pair is decided when ``Comparison.pairs`` is read); ``"pairs"``, pair by pair;
    ``"auto"`` (default), by groups when every rule declares it reads no claim identity
    (``Rule.reads_identity``), else by pairs. ``out=...`` always decides and writes every pair.
    See docs/comparing.md, "How a comparison scales"."""
    max_pairs_in_memory: int | None = 4_000_000
    """The most pairs held in memory: compared without ``out``, or read back from a folder
    (``Comparison.pairs``, ``findings()``, reports); more is refused before the work starts with a
    :class:`~claimtrack.TooManyPairsError`. 4,000,000 pairs are about 3 GiB; ``None``: no limit.
    See docs/reliability.md, "Memory guards"."""

    @property
    def stance_codes(self) -> np.ndarray[Any, Any]:
        """``stances`` as the kernel's table: the verdict code of stance codes ``[a, b]``, with a
        last row and column (stance code -1: unknown) of -1."""
        n = len(STANCES)
        table = np.full((n + 1, n + 1), -1, dtype=np.int64)
        for (a, b), verdict in self.stances.items():
            table[STANCE_CODES[a], STANCE_CODES[b]] = VERDICT_CODES[verdict]
        return table

    def time_tolerance(self, kinds: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The time tolerance in days for an array of subject kind names."""
        table = {kind.value: days for kind, days in self.time_tolerance_days.items()}
        return pd.Series(kinds).map(table).fillna(0).to_numpy(dtype=np.float64)


DEFAULT_COMPARE_POLICY = ComparePolicy()

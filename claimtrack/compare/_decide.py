"""Deciding pairs: the first rule that holds, the pairs kept, their links and tallies.

:func:`decide` runs the rules over one chunk of pairs (masks over arrays, no loop per pair) and
gives the :class:`Kept` pairs: as a pairs frame, as an Arrow table for Parquet, and as the
:class:`Links` and :class:`Tally` the summary needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack.compare._arrays import (
    Bools,
    Floats,
    Ints,
    Objects,
    _arrow_texts,
    _dictionary,
    _objects,
)
from claimtrack.compare._pairs import Pairs, PairSequence
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._rules import Rule
from claimtrack.compare._schema import PAIR_COLUMNS, pair_schema
from claimtrack.compare._template import Template
from claimtrack.compare._vocabulary import (
    COMBINED,
    EVENT_DATE,
    QUANTITY,
    REPEAT,
    UPDATE,
    VERDICT_CODES,
    VERDICTS,
)


def compare_range(
    claims: pd.DataFrame, pairs: PairSequence, k0: int, k1: int, policy: KernelPolicy
) -> pd.DataFrame:
    """Compare pairs ``k0 .. k1-1`` of the pair sequence of ``claims`` (a prepared frame)."""
    i, j = pairs.indices(k0, k1)
    return compare_indices(claims, i, j, policy)


def compare_indices(claims: pd.DataFrame, i: Ints, j: Ints, policy: KernelPolicy) -> pd.DataFrame:
    """Compare the pairs of rows ``(i[k], j[k])`` of ``claims``: the policy's last rule decides any
    pair the others leave (only a rule with verdict ``None``, or ``policy.keep``, drops pairs)."""
    return decide(claims, i, j, policy).frame()


def decide_range(
    claims: pd.DataFrame,
    pairs: PairSequence,
    k0: int,
    k1: int,
    policy: KernelPolicy,
    *,
    reasons: str | None = "python",
) -> Kept:
    """:func:`decide` for pairs ``k0 .. k1-1`` of the pair sequence of ``claims``."""
    i, j = pairs.indices(k0, k1)
    return decide(claims, i, j, policy, reasons=reasons)


def decide(
    claims: pd.DataFrame, i: Ints, j: Ints, policy: KernelPolicy, *, reasons: str | None = "python"
) -> Kept:
    """The pairs of rows ``(i[k], j[k])`` that a rule decides and ``policy.keep`` keeps.

    ``reasons``: ``"python"`` builds them as Python strings, ready for :meth:`Kept.frame`;
    ``"arrow"`` as an Arrow array (needs ``pyarrow``), ready for :meth:`Kept.table`; ``None``
    not at all (they are written when read, see :func:`claimtrack.compare.read_pairs`; the claims need no
    text columns then).
    """
    p = Pairs(claims, i, j, policy)
    rules: tuple[Rule, ...] = tuple(policy.rules)
    rule_of = _decide_rules(p, rules)
    keep_rule = np.array([rule.verdict in policy.keep for rule in rules] + [False], dtype=bool)
    keep = keep_rule[rule_of]  # rule_of -1 (undecided) picks the last entry, False
    kept_rule = rule_of[keep]
    texts: Any = None
    if reasons == "arrow":
        texts = _arrow_reasons(p, keep, rule_of, rules)
    elif reasons is not None:
        texts = _reasons(p, keep, rule_of, rules)
    quantity = p.kinds(QUANTITY, QUANTITY)
    dates = p.kinds(EVENT_DATE, EVENT_DATE)
    overlap = np.where(quantity, p.overlap, p.dates_overlap)
    return Kept(
        claims=claims,
        rules=rules,
        i=p.i[keep],
        j=p.j[keep],
        rule=kept_rule,
        reason=texts,
        overlap=overlap[keep],
        overlap_missing=~(quantity | dates)[keep],
        relative_gap=p.relative_gap[keep],
        days_apart=p.days_apart[keep],
        same_claimant=p.same("claimant_code")[keep],
        same_publisher=p.same("publisher_code")[keep],
        same_source=p.same("source_code")[keep],
        quote_similarity=np.round(p.quote_similarity[keep], 1),
    )


def _decide_rules(p: Pairs, rules: tuple[Rule, ...]) -> Ints:
    """Per pair, the first rule that holds (-1: none)."""
    rule_of = np.full(len(p.i), -1, dtype=np.int64)
    undecided = np.ones(len(p.i), dtype=bool)
    for r, rule in enumerate(rules):
        if not undecided.any():
            break
        hit = rule.when(p) & undecided
        rule_of[hit] = r
        undecided &= ~hit
    return rule_of


def explain(claims: pd.DataFrame, i: Ints, j: Ints, rule: Ints, policy: KernelPolicy) -> Objects:
    """The reasons of pairs of rows ``(i[k], j[k])`` of ``claims`` (prepared with texts) decided
    by rules ``rule[k]`` (positions in ``policy.rules``): the same sentences :func:`decide` writes."""
    p = Pairs(claims, i, j, policy)
    return _reasons(p, np.ones(len(i), dtype=bool), rule, tuple(policy.rules))


def _reasons(p: Pairs, keep: Bools, rule_of: Ints, rules: tuple[Rule, ...]) -> Objects:
    reasons = np.empty(len(rule_of), dtype=object)
    for r, rule in enumerate(rules):
        m = keep & (rule_of == r)
        if m.any():
            reasons[m] = rule.explain(p, m)
    return np.asarray(reasons[keep], dtype=object)


def _arrow_reasons(p: Pairs, keep: Bools, rule_of: Ints, rules: tuple[Rule, ...]) -> Any:
    """The reasons of the kept pairs as one Arrow array: built rule by rule, then put in order."""
    import pyarrow as pa

    kept = np.flatnonzero(keep)
    if not len(kept):
        return pa.array([], type=pa.large_string())
    by_rule = np.argsort(rule_of[kept], kind="stable")
    ordered = rule_of[kept][by_rule]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(ordered)]
    parts = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        rule = rules[int(ordered[start])]
        k = kept[by_rule[start:end]]
        if isinstance(rule.explain, Template):
            parts.append(rule.explain.arrow(p, k))
        else:
            m = np.zeros(len(rule_of), dtype=bool)
            m[k] = True
            parts.append(pa.array(rule.explain(p, m), type=pa.large_string()))
    if len(parts) == 1:
        return parts[0]
    place = np.empty(len(kept), dtype=np.int64)
    place[by_rule] = np.arange(len(kept))
    return pa.chunked_array(parts).take(pa.array(place))  # one copy, in pair order


@attrs.frozen(eq=False)
class Names:
    """The names pairs are written with, as Arrow arrays made once per prepared frame (or once
    per part of it): the claim id of every row from ``first_row`` on, and the name and kind of
    every subject block. A chunk's dictionaries are slices of these (no copy)."""

    ids: Any
    subjects: Any
    kind: Ints
    kinds: Any
    first_row: int = 0
    """The row of the prepared frame ``ids[0]`` belongs to."""

    @classmethod
    def of(cls, claims: pd.DataFrame, rows: tuple[int, int] | None = None) -> Names:
        """The names of the prepared ``claims``, with ids only for ``rows`` (``lo, hi``: the
        rows the pairs to be written touch, see :meth:`PairSequence.rows`; default all)."""
        block = claims["subject_index"].to_numpy()
        first = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if len(block) else block
        kind, kinds = pd.factorize(claims["subject_kind"].to_numpy()[first])
        lo, hi = (0, len(claims)) if rows is None else rows
        return cls(
            _arrow_texts(claims["claim"].to_numpy()[lo:hi]),
            _arrow_texts(claims["subject"].to_numpy()[first]),
            np.asarray(kind, dtype=np.int64),
            _arrow_texts(np.asarray(kinds, dtype=object)),
            lo,
        )


def _verdict_names(rules: tuple[Rule, ...]) -> list[str | None]:
    """The verdict of each rule as text (``None``: the rule removes its pairs)."""
    return [None if r.verdict is None else r.verdict.value for r in rules]


@attrs.frozen(eq=False)
class Kept:
    """The kept pairs of one chunk: rows ``i`` and ``j`` of the prepared ``claims``, the rule that
    decided each, its reason, and the numbers the decision used. :meth:`frame` gives the pairs
    frame (:data:`PAIR_COLUMNS`), :meth:`table` the same as an Arrow table for Parquet."""

    claims: pd.DataFrame
    rules: tuple[Rule, ...]
    i: Ints
    j: Ints
    rule: Ints
    reason: Any
    overlap: Bools
    overlap_missing: Bools
    relative_gap: Floats
    days_apart: Floats
    same_claimant: Bools
    same_publisher: Bools
    same_source: Bools
    quote_similarity: Floats

    def __len__(self) -> int:
        return len(self.i)

    def _names(self, per_rule: list[str | None]) -> tuple[Ints, Objects]:
        """Codes per kept pair into the distinct names of ``per_rule`` (a name per rule: rule
        names or verdicts)."""
        codes, names = pd.factorize(np.array(per_rule, dtype=object))
        return np.asarray(codes, dtype=np.int64)[self.rule], np.asarray(names, dtype=object)

    def frame(self) -> pd.DataFrame:
        claim = self.claims["claim"].to_numpy()
        verdicts = np.array(_verdict_names(self.rules), dtype=object)
        names = np.array([r.name for r in self.rules], dtype=object)
        reason = self.reason
        if not isinstance(reason, np.ndarray):
            reason = np.asarray(reason.to_numpy(zero_copy_only=False), dtype=object)
        return pd.DataFrame(
            {
                "claim_a": _objects(claim[self.i]),
                "claim_b": _objects(claim[self.j]),
                "subject": _objects(self.claims["subject"].to_numpy()[self.i]),
                "kind": _objects(self.claims["subject_kind"].to_numpy()[self.i]),
                "verdict": _objects(verdicts[self.rule]),
                "rule": _objects(names[self.rule]),
                "reason": _objects(reason),
                "overlap": pd.arrays.BooleanArray(self.overlap, self.overlap_missing),
                "relative_gap": self.relative_gap,
                "days_apart": self.days_apart,
                "same_claimant": self.same_claimant,
                "same_publisher": self.same_publisher,
                "same_source": self.same_source,
                "quote_similarity": self.quote_similarity,
                "link": np.full(len(self.i), None, dtype=object),
            }
        )

    def _span(self) -> tuple[int, int]:
        if not len(self.i):
            return 0, 0
        return int(min(self.i.min(), self.j.min())), int(max(self.i.max(), self.j.max())) + 1

    def table(self, names: Names | None = None) -> Any:
        """The pairs as an Arrow table with :func:`pair_schema` (needs ``pyarrow``); ``names`` are
        :meth:`Names.of` the prepared claims, made here when not given."""
        import pyarrow as pa

        names = Names.of(self.claims) if names is None else names
        lo, hi = self._span()
        if len(self.i) and not names.first_row <= lo <= hi <= names.first_row + len(names.ids):
            raise ValueError(f"names for rows from {names.first_row} lack rows {lo}..{hi - 1}")
        ids = names.ids.slice(lo - names.first_row, hi - lo)
        block = self.claims["subject_index"].to_numpy()[self.i]
        first = int(block.min()) if len(block) else 0
        last = int(block.max()) + 1 if len(block) else 0
        reason = self.reason
        if isinstance(reason, np.ndarray):
            reason = pa.array(reason, type=pa.large_string())
        columns: list[Any] = [
            _dictionary(self.i - lo, ids),
            _dictionary(self.j - lo, ids),
            _dictionary(block - first, names.subjects.slice(first, last - first)),
            _dictionary(names.kind[block], names.kinds),
            _dictionary(*self._names(_verdict_names(self.rules))),
            _dictionary(*self._names([r.name for r in self.rules])),
            reason,
            pa.array(self.overlap, mask=self.overlap_missing),
            pa.array(self.relative_gap),
            pa.array(self.days_apart),
            pa.array(self.same_claimant),
            pa.array(self.same_publisher),
            pa.array(self.same_source),
            pa.array(self.quote_similarity),
            pa.nulls(len(self.i), pa.dictionary(pa.int32(), pa.large_string())),
        ]
        if reason is None:
            del columns[PAIR_COLUMNS.index("reason")]
        return pa.Table.from_arrays(columns, schema=pair_schema(reason is not None))

    def verdicts(self) -> Ints:
        """Per kept pair, its verdict's position in :data:`VERDICTS`."""
        codes = np.array(
            [-1 if r.verdict is None else VERDICT_CODES[r.verdict] for r in self.rules],
            dtype=np.int64,
        )
        return codes[self.rule] if len(self.rule) else np.zeros(0, dtype=np.int64)

    def links(self) -> Links:
        """The repeat, combined and update pairs, as prepared rows: what origins (an additional
        amount and its base are one origin, as repeats are) and superseded figures are computed
        from."""
        verdict = self.verdicts()
        update = verdict == UPDATE
        chosen = update | (verdict == REPEAT) | (verdict == COMBINED)
        return Links(self.i[chosen], self.j[chosen], update[chosen])

    def tally(self) -> Tally:
        """How many kept pairs per subject and verdict (a block of the subjects' rows)."""
        if not len(self.i):
            return Tally(0, np.zeros((0, len(VERDICTS)), dtype=np.int64))
        subject = self.claims["subject_index"].to_numpy()[self.i]
        first, last = int(subject.min()), int(subject.max()) + 1
        key = (subject - first) * len(VERDICTS) + self.verdicts()
        counts = np.bincount(key, minlength=(last - first) * len(VERDICTS))
        return Tally(first, counts.reshape(last - first, len(VERDICTS)).astype(np.int64))


@attrs.frozen(eq=False)
class Links:
    """Repeat, combined and update pairs as rows ``a < b`` of a prepared frame (``update``: which
    are updates; the others join their claims into one origin)."""

    a: Ints
    b: Ints
    update: Bools

    @classmethod
    def join(cls, parts: Iterable[Links]) -> Links:
        found = list(parts)
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, np.zeros(0, dtype=bool))
        return cls(
            np.concatenate([p.a for p in found]),
            np.concatenate([p.b for p in found]),
            np.concatenate([p.update for p in found]),
        )


@attrs.frozen(eq=False)
class Tally:
    """Kept pairs per subject (rows, from the subject with index ``first``) and verdict (columns,
    in :data:`VERDICTS` order)."""

    first: int
    counts: Ints

    @staticmethod
    def total(parts: Iterable[Tally], subjects: int) -> Ints:
        """The counts of all ``parts`` added up, one row per subject of the prepared frame."""
        out = np.zeros((subjects, len(VERDICTS)), dtype=np.int64)
        for part in parts:
            out[part.first : part.first + len(part.counts)] += part.counts
        return out


Decided = tuple[Any, Links, Tally]
"""A chunk of pairs ready to write: its Arrow table, its links and its tally."""


def decide_for_parquet(
    prepared: pd.DataFrame,
    sequence: PairSequence,
    k0: int,
    k1: int,
    policy: KernelPolicy,
    names: Names | None = None,
) -> Decided:
    """Pairs ``k0 .. k1-1`` decided and made into an Arrow table (without reasons), with the
    links and tally the summary needs."""
    kept = decide_range(prepared, sequence, k0, k1, policy, reasons=None)
    return kept.table(names), kept.links(), kept.tally()


def tally_of(subject: Ints, verdict: Ints, weights: Ints) -> Tally:
    """Pairs per subject and verdict, over the subjects from the first to the last given."""
    if not len(subject):
        return Tally(0, np.zeros((0, len(VERDICTS)), dtype=np.int64))
    first = int(subject.min())
    span = int(subject.max()) - first + 1
    counts = np.bincount(
        (subject - first) * len(VERDICTS) + verdict,
        weights=weights,
        minlength=span * len(VERDICTS),
    )
    return Tally(first, counts.astype(np.int64).reshape(span, len(VERDICTS)))

"""Comparing claims across declared links between subjects (``adds_to``, ``part_of`` /
``sum_of``, ``lower_bound_of``, ``negates``, ``follows``, ``ends``, ``planned_as``,
``related_to``, ``about``).

Claims are only ever paired within a subject, except across a link declared in
``subjects.yaml``: then every claim of the linking subject is paired with every claim of the
linked one, and :data:`LINK_RULES` decide each pair, with a reason that names the link and shows
the arithmetic. Link pairs have the columns of any pair (:data:`PAIR_COLUMNS`), their ``link``
naming the link (``"xinjiang-internment-additional adds_to xinjiang-detainees"``), side a in the
linking subject (a ``sum_of`` is read as its parts' ``part_of``), and count in the subjects table
under side a's subject.

Both engines call :func:`compare_links` on the same claims, so their link pairs are the same:
the claims of linked subjects are prepared here on their own (they are few: pairs are never
enumerated across all subjects) and the pairs enumerated with array arithmetic, no loop per pair.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.compare._arrays import Floats, Ints, _objects
from claimtrack.compare._decide import Kept, _decide_rules, _reasons, decide_range
from claimtrack.compare._link_pairs import LinkPairs
from claimtrack.compare._link_rules import LINK_RULES
from claimtrack.compare._pairs import PairSequence
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._prepare import prepare_frame
from claimtrack.compare._schema import as_pairs_frame, empty_pairs
from claimtrack.compare._summary import _consensus_texts
from claimtrack.compare._vocabulary import QUANTITY
from claimtrack.subject import LinkKind, Subject

_EPOCH = datetime.date(1970, 1, 1)


@attrs.frozen(eq=False)
class Edges:
    """The declared links as arrays, one per link (a ``sum_of`` as its parts' ``part_of``)."""

    subject: Any
    """The linking subject's id (side a of its pairs)."""
    kind: Ints
    """The link's position in :class:`LinkKind`."""
    target: Any
    """The linked subject's id (side b)."""
    name: Any
    """How the pairs' ``link`` column names it."""
    d0: Floats
    d1: Floats
    """The planned date of a ``planned_as`` link, in days (NaN for the others)."""
    m0: Floats
    m1: Floats
    means: Any
    """The figure an ``about`` link's proposition means: its bounds (open: ∓inf; NaN for the
    other links) and its text ("" for the others)."""

    @classmethod
    def of(cls, subjects: Mapping[str, Subject]) -> Edges:
        rows: list[tuple[str, int, str, float, float, float, float, str]] = []
        kinds = list(LinkKind)
        for subject in subjects.values():
            for link in subject.links:
                d0 = d1 = m0 = m1 = np.nan
                text = ""
                if link.date is not None:
                    d0 = float(_days(link.date.start))
                    d1 = float(_days(link.date.end))
                if link.means is not None:
                    low, high = link.means.low, link.means.high
                    m0 = -np.inf if low is None else float(low)
                    m1 = np.inf if high is None else float(high)
                    text = link.means.text or link.means.interval_text()
                if link.kind is LinkKind.SUM_OF:  # the whole's parts, from their side
                    part = kinds.index(LinkKind.PART_OF)
                    rows.append((link.target, part, subject.id, d0, d1, m0, m1, text))
                else:
                    kind = kinds.index(link.kind)
                    rows.append((subject.id, kind, link.target, d0, d1, m0, m1, text))
        rows = sorted(set(rows), key=lambda r: (r[0], r[1], r[2]))
        return cls(
            np.array([r[0] for r in rows], dtype=object),
            np.array([r[1] for r in rows], dtype=np.int64),
            np.array([r[2] for r in rows], dtype=object),
            np.array([f"{r[0]} {kinds[r[1]].value} {r[2]}" for r in rows], dtype=object),
            np.array([r[3] for r in rows], dtype=np.float64),
            np.array([r[4] for r in rows], dtype=np.float64),
            np.array([r[5] for r in rows], dtype=np.float64),
            np.array([r[6] for r in rows], dtype=np.float64),
            np.array([r[7] for r in rows], dtype=object),
        )

    def __len__(self) -> int:
        return len(self.kind)

    @property
    def subjects(self) -> set[str]:
        return {*self.subject.tolist(), *self.target.tolist()}


def _days(d: datetime.date) -> int:
    return (d - _EPOCH).days


@attrs.frozen(eq=False)
class LinkOutcome:
    """What links add to a comparison: the link pairs (a pairs frame with its ``link`` column)
    and the consensus of the subjects increments add to. The subjects table's ``n_<verdict>``
    counts stay those of the pairs within each subject (n claims, n·(n−1)/2 pairs)."""

    pairs: pd.DataFrame
    consensus: pd.DataFrame
    """Per subject that an ``adds_to`` link points to (index): ``low``, ``high`` of the consensus
    with the implied totals in it and the base figures out of it."""

    def apply(self, table: pd.DataFrame) -> pd.DataFrame:
        """The subjects table of a comparison with the consensus of the subjects increments add
        to."""
        if not len(self.consensus):
            return table
        table = table.copy()
        where = pd.Index(table["subject"].astype(object)).get_indexer(self.consensus.index)
        ok = where >= 0
        low = table["consensus_low"].to_numpy(dtype=np.float64).copy()
        high = table["consensus_high"].to_numpy(dtype=np.float64).copy()
        lo = self.consensus["low"].to_numpy()[ok]
        hi = self.consensus["high"].to_numpy()[ok]
        has = lo <= hi
        low[where[ok]] = np.where(has, lo, np.nan)
        high[where[ok]] = np.where(has, hi, np.nan)
        table["consensus_low"], table["consensus_high"] = low, high
        quantity = np.zeros(len(table), dtype=bool)
        quantity[where[ok]] = True
        texts = table["consensus"].to_numpy(dtype=object).copy()
        texts[where[ok]] = _consensus_texts(low, high, quantity)[where[ok]]
        table["consensus"] = _objects(texts)
        return table


def no_links() -> LinkOutcome:
    return LinkOutcome(empty_pairs(), pd.DataFrame({"low": [], "high": []}))


def compare_links(
    frame: pd.DataFrame,
    subjects: Mapping[str, Subject] | None,
    table: pd.DataFrame,
    policy: KernelPolicy,
    derived: set[tuple[str, str]] | None = None,
) -> LinkOutcome:
    """The link pairs of the claims ``frame`` (a claims frame, as compared) under the links the
    ``subjects`` declare (``None``: a frame without registries, which declares none); ``table``
    is the subjects table the preparation reads (``subject``, ``subject_kind``, ``label``);
    ``derived`` the ``(derived figure, claim it is derived from)`` ids, whose pairs are read
    together, not as corroboration."""
    edges = Edges.of(subjects or {})
    if not len(edges):
        return no_links()
    wanted = sorted(edges.subjects)
    linked = np.asarray(frame["subject"].isin(wanted).to_numpy(), dtype=bool)
    if not linked.any():
        return no_links()
    claims = frame[linked].reset_index(drop=True)
    for column in claims.columns:  # codes of the few claims linked, not of all claims
        if isinstance(claims[column].dtype, pd.CategoricalDtype):
            claims[column] = claims[column].cat.remove_unused_categories()
    table = table[table["subject"].astype(object).isin(wanted).to_numpy()].reset_index(drop=True)
    prepared = prepare_frame(
        claims,
        table,
        policy.summary_sections,
        undated_sections=policy.undated_sections,
    )
    co_speakers = None
    if "co_speakers" in claims.columns:  # each prepared row's co-speakers
        co_speakers = claims["co_speakers"].iloc[prepared["row"].to_numpy()]
    p = _link_pairs(prepared, edges, policy, co_speakers)
    p.mark_derived(derived or set())
    rule_of = _decide_rules(p, LINK_RULES)
    kept = np.ones(len(p.i), dtype=bool)
    reasons = _reasons(p, kept, rule_of, LINK_RULES)
    decided = Kept(
        claims=prepared,
        rules=LINK_RULES,
        i=p.i,
        j=p.j,
        rule=rule_of,
        reason=reasons,
        overlap=p.link_overlap,
        overlap_missing=~p.link_quantities,
        relative_gap=p.link_gap,
        days_apart=p.days_apart,
        same_claimant=p.same("claimant_code"),
        same_publisher=p.same("publisher_code"),
        same_source=p.same("source_code"),
        quote_similarity=np.round(p.quote_similarity, 1),
    )
    pairs = decided.frame()
    pairs["link"] = _objects(edges.name[p.edge])
    kept_verdicts = {str(v) for v in policy.keep}
    pairs = pairs[pairs["verdict"].isin(kept_verdicts).to_numpy()].reset_index(drop=True)
    return LinkOutcome(pairs, _consensus(prepared, p, policy))


def _link_pairs(
    prepared: pd.DataFrame,
    edges: Edges,
    policy: KernelPolicy,
    co_speakers: pd.Series[Any] | None = None,
) -> LinkPairs:
    """Every pair of a claim of a linking subject (side a) and a claim of the subject it links
    to (side b), link by link, as one chunk (``co_speakers``: each claim's, in ``prepared``'s
    order)."""
    block = prepared["subject_index"].to_numpy()
    n = len(block)
    starts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if n else block
    sizes = np.diff(np.r_[starts, n]).astype(np.int64)
    names = pd.Index(prepared["subject"].to_numpy()[starts])
    a, b = names.get_indexer(edges.subject), names.get_indexer(edges.target)
    present = np.flatnonzero((a >= 0) & (b >= 0))
    a, b = a[present], b[present]
    counts = sizes[a] * sizes[b]
    edge = np.repeat(present, counts)
    within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    width = np.repeat(sizes[b], counts)
    i = np.repeat(starts[a], counts) + within // np.maximum(width, 1)
    j = np.repeat(starts[b], counts) + within % np.maximum(width, 1)
    return LinkPairs(
        prepared,
        i,
        j,
        policy,
        edge,
        edges.kind[edge],
        edges.d0[edge],
        edges.d1[edge],
        means=(edges.m0[edge], edges.m1[edge], edges.means[edge]),
        co_speakers=co_speakers,
    )


def _consensus(prepared: pd.DataFrame, p: LinkPairs, policy: KernelPolicy) -> pd.DataFrame:
    """The consensus of each subject an increment adds to: the current figures of its origins
    without the base figures increments add to, intersected with the implied totals."""
    adds = p.link == list(LinkKind).index(LinkKind.ADDS_TO)
    if not adds.any():
        return pd.DataFrame({"low": [], "high": []})
    # the linked subjects' own pairs, for the figures later ones supersede
    sequence = PairSequence.of(prepared["subject_index"].to_numpy())
    within = decide_range(prepared, sequence, 0, sequence.total, policy, reasons=None)
    links = within.links()
    superseded = np.zeros(len(prepared), dtype=bool)
    superseded[links.a[links.update]] = True
    targets = np.unique(p.j[adds])
    target_subjects = set(prepared["subject"].to_numpy()[targets].tolist())
    subject = prepared["subject"].to_numpy()
    in_target = pd.Series(subject, dtype=object).isin(target_subjects).to_numpy(dtype=bool)
    base = np.zeros(len(prepared), dtype=bool)
    base[p.base_row[adds & (p.base_row >= 0)]] = True
    figure = (
        in_target
        & (prepared["kind"].to_numpy() == QUANTITY)
        & ~prepared["additional"].to_numpy()
        & ~superseded
        & ~base
    )
    totals = adds & p.total_counted
    lo = np.r_[prepared["lo"].to_numpy()[figure], p.total_lo[totals]]
    hi = np.r_[prepared["hi"].to_numpy()[figure], p.total_hi[totals]]
    key = np.r_[subject[figure], subject[p.j[totals]]]
    # each increment's total once per subject (not once per pair)
    frame = pd.DataFrame({"subject": key, "lo": lo, "hi": hi}).drop_duplicates()
    grouped = frame.groupby("subject", sort=True)
    return pd.DataFrame({"low": grouped["lo"].max(), "high": grouped["hi"].min()})


LINKS_FILE = "_links.parquet"
"""The link pairs of a comparison written to a folder, with their reasons (they are few, and
their reasons need claims of two subjects)."""


def write_links(folder: Path, pairs: pd.DataFrame) -> None:
    """The link pairs beside the part files (nothing when there are none)."""
    if len(pairs):
        pairs.reset_index(drop=True).to_parquet(folder / LINKS_FILE, index=False)


def read_links(
    folder: Path, verdicts: list[str] | None, subjects: list[str] | None, reasons: bool
) -> pd.DataFrame | None:
    """The link pairs written to ``folder``, those of ``verdicts`` and ``subjects`` when given
    (``None`` when it holds none)."""
    path = folder / LINKS_FILE
    if not path.is_file():
        return None
    pairs = as_pairs_frame(pd.read_parquet(path))
    keep = np.ones(len(pairs), dtype=bool)
    if verdicts is not None:
        keep &= pairs["verdict"].isin(verdicts).to_numpy()
    if subjects is not None:
        keep &= pairs["subject"].isin(subjects).to_numpy()
    pairs = pairs[keep].reset_index(drop=True)
    return pairs if reasons else pairs.drop(columns="reason")


def derivations(claims: ClaimSet | None) -> set[tuple[str, str]]:
    """The ``(derived figure, claim it is derived from)`` ids of a claim set."""
    if claims is None:
        return set()
    return {(c.id, source) for c in claims if c.derived_from for source in c.derived_from}

"""Findings grouped, vectorised: pairs that say the same thing are one finding.

:func:`finding_groups` numbers the rows of :meth:`Comparison.findings` by the finding they belong
to, with one pandas ``groupby`` over keys built as arrays (no Python loop per pair), and
:func:`group_table` gives one row per group with its pair count. The report model and the command
line's ``compare`` table both group this way; :func:`claimtrack.report.group_findings` builds the
:class:`~claimtrack.report.Finding` objects of the groups a report shows.

Two pairs are one finding when they are contradictions between the same two claimants on one
subject (China's denial repeated in three articles against the UN's statement), or when they have
the same verdict, subject and reason sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from claimtrack._safe_text import html_table
from claimtrack.claimset import ClaimSet
from claimtrack.compare import Comparison, Verdict
from claimtrack.report._focus import Focus, status_text
from claimtrack.review import Review
from claimtrack.subject import Subject


@attrs.frozen
class Finding:
    """A notable relation for the summary, with its reason sentence and the pairs that show it.

    Pairs that say the same thing are one finding: contradictions between the same two claimants
    on one proposition (China's denial repeated in three articles against the UN's statement),
    and other pairs whose reason sentences are identical. ``pairs`` lists every pair of claim ids
    (or, for a failed series check, the count and the start claim); ``reason`` is the first one's.
    A finding of more than :data:`PAIRS_LISTED` pairs lists examples only: the first pair of each
    group of interchangeable claims behind it, and ``total`` says how many pairs it holds.
    """

    verdict: Verdict
    subject: Subject
    pairs: tuple[tuple[str, str], ...]
    reason: str
    new: int | None = None
    """How many of its pairs are not among the findings of the earlier run (``None``: no run);
    the finding is new when all are."""
    reviews: tuple[Review, ...] = ()
    """The reviews of its pairs, each once."""
    reviewed: int = 0
    """How many of its pairs are reviewed."""
    has_reviews: bool = False
    """Whether the report reads reviews (so that a finding without one is "not reviewed")."""
    total: int | None = None
    """How many pairs the finding holds when ``pairs`` lists examples only (``None``: every
    pair is listed)."""

    @property
    def n_pairs(self) -> int:
        """How many pairs the finding holds."""
        return len(self.pairs) if self.total is None else self.total

    def status(self) -> str:
        """``new; confirmed by Ann (2026-12-01): why``, or empty."""
        return status_text(self.new, self.reviews, self.reviewed, self.n_pairs, self.has_reviews)

    def _repr_html_(self) -> str:
        """The finding as an HTML table for notebooks: one row per pair."""
        caption = f"{self.verdict.value}: {self.subject.id}: {self.reason}"
        rows: list[list[object]] = [[a, b] for a, b in self.pairs]
        if self.status():
            caption += f" (status: {self.status()})"
        return html_table(caption, ["claim a", "claim b"], rows)

    @property
    def claim_a(self) -> str:
        return self.pairs[0][0]

    @property
    def claim_b(self) -> str:
        return self.pairs[0][1]


PAIRS_LISTED = 1_000
"""The most pairs a report lists for one finding; a larger finding lists examples (see
:class:`Finding`), so a report never lists millions of pairs of one finding."""

EXAMPLES = 10
"""How many example pairs a finding of more than :data:`PAIRS_LISTED` pairs lists."""

GROUP_COLUMNS = ("verdict", "subject", "claim_a", "claim_b", "reason", "pairs")
"""The columns of :func:`group_table`: the first pair's verdict, subject, claims and reason, and
how many pairs the finding holds."""


def claimants_of(claims: ClaimSet | pd.DataFrame | None) -> pd.Series[Any]:
    """Each claim's claimant, by claim id (from a claim set or a claims frame; empty for
    ``None``: contradictions are then grouped by reason, like every other verdict)."""
    if claims is None:
        return pd.Series([], dtype=object)
    if isinstance(claims, ClaimSet):
        return pd.Series({c.id: c.claimant for c in claims}, dtype=object)
    frame = claims.drop_duplicates("claim")
    return pd.Series(
        frame["claimant"].astype(str).to_numpy(), index=frame["claim"].astype(str).to_numpy()
    )


def finding_groups(found: pd.DataFrame, claimants: pd.Series[Any]) -> npt.NDArray[np.int64]:
    """The group number of each row of ``found`` (the columns of :meth:`Comparison.findings`),
    groups numbered in the order of their first row.

    Every key column is factorized to integer codes first (categoricals give theirs for free),
    so the ``groupby`` runs over integers, never over a million reason strings.
    """
    if not len(found):
        return np.zeros(0, dtype=np.int64)
    verdict, verdicts = _codes(found["verdict"])
    is_contradict = np.r_[[str(v) == Verdict.CONTRADICT.value for v in verdicts], False]
    per_claim, _names = pd.factorize(claimants.to_numpy(dtype=object))
    claimant_code = pd.Series(per_claim, index=claimants.index.astype(str), dtype=np.int64)
    a = _claimant_codes(found["claim_a"], claimant_code)
    b = _claimant_codes(found["claim_b"], claimant_code)
    by = is_contradict[verdict] & (a >= 0) & (b >= 0)
    reason = _codes(found["reason"])[0]
    keys = pd.DataFrame(
        {
            "verdict": verdict,
            "subject": _codes(found["subject"])[0],
            "by": by,
            "one": np.where(by, np.minimum(a, b), reason),
            "two": np.where(by, np.maximum(a, b), -1),
        }
    )
    groups = keys.groupby(list(keys.columns), sort=False).ngroup()
    return np.asarray(groups.to_numpy(), dtype=np.int64)


def _codes(column: pd.Series[Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
    """Integer codes of a column and the values they stand for (-1: a missing value)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.cat.codes.to_numpy(), dtype=np.int64)
        return codes, np.asarray(column.cat.categories, dtype=object)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def _claimant_codes(column: pd.Series[Any], claimant_code: pd.Series[Any]) -> npt.NDArray[np.int64]:
    """The claimant code of each claim id in ``column`` (-1: a claim of unknown claimant)."""
    codes, ids = _codes(column)
    per_id = claimant_code.reindex(ids.astype(str)).fillna(-1).to_numpy(dtype=np.int64)
    return np.where(codes >= 0, per_id[np.maximum(codes, 0)], -1)


def group_table(
    found: pd.DataFrame, groups: npt.NDArray[np.int64], pairs: npt.NDArray[np.int64] | None = None
) -> pd.DataFrame:
    """One row per group of ``found`` (columns :data:`GROUP_COLUMNS`, with the dtypes of
    ``found``), in group order; ``pairs``: how many pairs each row of ``found`` stands for
    (a grouped finding's ``n_pairs``; by default one each)."""
    if not len(found):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in GROUP_COLUMNS})
    firsts = np.unique(groups, return_index=True)[1]
    counts = np.bincount(groups, weights=pairs).astype(np.int64)
    table = found.iloc[firsts][list(GROUP_COLUMNS[:-1])].reset_index(drop=True)
    table["pairs"] = counts
    return table


@attrs.frozen(eq=False)
class GroupedFindings:
    """The findings of a comparison (:meth:`Comparison.findings`, one row per grouped finding)
    grouped as a report shows them, without listing their pairs: ``groups`` numbers each row by
    its report finding, ``table`` has one row per report finding (:func:`group_table`)."""

    comparison: Comparison
    rows: pd.DataFrame
    groups: npt.NDArray[np.int64]
    table: pd.DataFrame

    @classmethod
    def of(cls, comparison: Comparison, claimants: pd.Series[Any]) -> GroupedFindings:
        rows = comparison.findings()
        groups = finding_groups(rows, claimants)
        table = group_table(rows, groups, rows["n_pairs"].to_numpy(dtype=np.int64))
        return cls(comparison, rows, groups, table)

    def pairs_of(self, wanted: npt.NDArray[np.int64]) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
        """The pairs of the report findings numbered in ``wanted`` (rows as
        :meth:`Comparison.finding_pairs` gives them) and the report finding of each."""
        positions = np.flatnonzero(np.isin(self.groups, wanted))
        pairs = self.comparison.finding_pairs(positions.tolist())
        return pairs, self.groups[pairs["finding"].to_numpy(dtype=np.int64)]

    def report_findings(
        self, wanted: npt.NDArray[np.int64], claims: ClaimSet
    ) -> tuple[Finding, ...]:
        """The :class:`Finding` of each report finding numbered in ``wanted``, in that order:
        with its pairs when it holds at most :data:`PAIRS_LISTED`, else with examples (the
        first pair of each of its grouped findings, at most :data:`EXAMPLES`) and its total."""
        totals = self.table["pairs"].to_numpy(dtype=np.int64)
        small = wanted[totals[wanted] <= PAIRS_LISTED]
        pairs, groups = self.pairs_of(small)
        made = findings_of(pairs, groups, self.table, small, claims)
        listed = dict(zip(small.tolist(), made, strict=True))
        out = []
        for number, rows in zip(wanted.tolist(), rows_of(self.groups, wanted), strict=True):
            if number in listed:
                out.append(listed[number])
                continue
            first = self.table.iloc[number]
            shown = self.rows.iloc[rows[:EXAMPLES]]
            examples = tuple(
                (str(a), str(b)) for a, b in zip(shown["claim_a"], shown["claim_b"], strict=True)
            )
            verdict, subject = Verdict(str(first["verdict"])), claims.subject(str(first["subject"]))
            out.append(
                Finding(verdict, subject, examples, str(first["reason"]), total=int(totals[number]))
            )
        return tuple(out)

    def pairs_per_subject(self) -> pd.Series[Any]:
        """How many finding pairs each subject has (by subject id)."""
        subject = self.rows["subject"].astype(str)
        by = self.rows["n_pairs"].groupby(subject.to_numpy(), sort=False).sum()
        return by.sort_values(ascending=False, kind="stable")


def rows_of(groups: npt.NDArray[np.int64], wanted: npt.NDArray[np.int64]) -> list[list[int]]:
    """The row positions of each group in ``wanted`` (in row order), one list per group."""
    keep = np.isin(groups, wanted)
    positions = np.flatnonzero(keep)
    chosen = groups[keep]
    order = np.argsort(chosen, kind="stable")
    sorted_groups = chosen[order]
    cuts = np.searchsorted(sorted_groups, wanted)
    ends = np.searchsorted(sorted_groups, wanted, side="right")
    return [positions[order[s:e]].tolist() for s, e in zip(cuts, ends, strict=True)]


def group_findings(
    found: pd.DataFrame, claims: ClaimSet, focus: Focus | None = None, *, limit: int = 0
) -> tuple[Finding, ...]:
    """The rows of :meth:`Comparison.finding_pairs` as :class:`Finding` s, pairs that say the
    same thing grouped (see :class:`Finding`), in the order of their first pair, marked new and
    reviewed by ``focus``; with ``limit``, only the first ``limit`` findings of each verdict
    (grouping is one pandas ``groupby``; only the findings returned are built)."""
    groups = finding_groups(found, claimants_of(claims))
    table = group_table(found, groups)
    wanted = first_per_verdict(table, limit)
    return findings_of(found, groups, table, wanted, claims, focus)


def first_per_verdict(table: pd.DataFrame, limit: int) -> npt.NDArray[np.int64]:
    """The numbers of the groups shown: every one, or the first ``limit`` of each verdict."""
    if not limit:
        return np.arange(len(table), dtype=np.int64)
    rank = table.groupby("verdict", sort=False, observed=True).cumcount().to_numpy()
    return np.flatnonzero(rank < limit).astype(np.int64)


def findings_of(
    found: pd.DataFrame,
    groups: npt.NDArray[np.int64],
    table: pd.DataFrame,
    wanted: npt.NDArray[np.int64],
    claims: ClaimSet,
    focus: Focus | None = None,
) -> tuple[Finding, ...]:
    """The :class:`Finding` of each group numbered in ``wanted`` (only their rows are read),
    marked new and reviewed by ``focus``."""
    a = found["claim_a"].to_numpy()
    b = found["claim_b"].to_numpy()
    out = []
    for number, rows in zip(wanted.tolist(), rows_of(groups, wanted), strict=True):
        first = table.iloc[number]
        pairs = tuple((str(a[i]), str(b[i])) for i in rows)
        verdict = str(first["verdict"])
        finding = Finding(
            Verdict(verdict), claims.subject(str(first["subject"])), pairs, str(first["reason"])
        )
        if focus is not None:
            new, reviews, reviewed = focus.marks(pairs, verdict)
            has = focus.reviews is not None
            finding = attrs.evolve(
                finding, new=new, reviews=reviews, reviewed=reviewed, has_reviews=has
            )
        out.append(finding)
    return tuple(out)


def finding_sides(f: Finding) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The two sets of claims of a grouped finding when its pairs are every claim of one side
    against every claim of the other (so it can be shown as ``a, b ↔ c, d``); else ``None``."""
    first = f.pairs[0][0]
    side: dict[str, int] = {first: 0}
    for a, b in f.pairs:  # claims on the side of the first claim, and the others
        if a in side:
            side.setdefault(b, 1 - side[a])
        elif b in side:
            side.setdefault(a, 1 - side[b])
        else:
            return None
    left = tuple(c for c, s in side.items() if s == 0)
    right = tuple(c for c, s in side.items() if s == 1)
    expected = {frozenset((a, b)) for a in left for b in right}
    if {frozenset(pair) for pair in f.pairs} != expected or len(expected) != len(f.pairs):
        return None
    return left, right


def finding_claims(f: Finding, link: Callable[[str], str] = str) -> str:
    """``claims: a ↔ b``, ``6 pairs: a, b, c ↔ d, e`` or ``3 pairs: a ↔ b; c ↔ d; e ↔ f``."""
    if f.total is not None:  # examples of a large finding
        shown = "; ".join(f"{link(a)} ↔ {link(b)}" for a, b in f.pairs)
        return f"{f.total:,} pairs, for example: {shown}"
    n = len(f.pairs)
    if n == 1:
        return f"claims: {link(f.claim_a)} ↔ {link(f.claim_b)}"
    sides = finding_sides(f)
    if sides is not None:
        left, right = sides
        return f"{n} pairs: {', '.join(map(link, left))} ↔ {', '.join(map(link, right))}"
    return f"{n} pairs: " + "; ".join(f"{link(a)} ↔ {link(b)}" for a, b in f.pairs)

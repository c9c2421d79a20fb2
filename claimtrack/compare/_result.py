"""The result of a comparison: pairs, subjects, series checks, findings."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.compare._findings import expand_findings, findings_from_pairs, public
from claimtrack.compare._folder import folder_groups, read_pairs
from claimtrack.compare._grouped import GroupedPairs, among_claims
from claimtrack.compare._policy import ComparePolicy
from claimtrack.compare._prepare import prepare
from claimtrack.compare._summary import shared_origins
from claimtrack.compare._vocabulary import NOTABLE, Verdict


@attrs.frozen(eq=False)
class Comparison:
    """The result of :func:`compare`.

    - ``pairs``: one row per compared pair (see :data:`PAIR_COLUMNS`).
    - ``subjects``: one row per subject: claims, claimants, independent origins, the consensus
      interval, the latest value per claimant and counts per verdict.
    - ``series``: one row per day-count claim checked against the start of its series.
    - ``pairs_path``: the folder the pairs were written to, when ``compare(out=...)`` (see
      ``docs/comparing.md``).
    - ``decided_by``: ``"groups"`` when decided one pair of groups of interchangeable claims at
      a time (``pairs`` are then decided when first read), ``"pairs"`` when pair by pair.
    - ``claims``: the :class:`ClaimSet` as compared, re-hedged under ``policy.hedges`` when set
      (``None`` when a frame was compared); reports take quotes, sources, dates and intervals from
      it.
    - ``drafts_left_out``: how many drafted claims not yet reviewed were left out of the
      comparison (``ComparePolicy.include_drafts`` is ``False`` by default); see
      :meth:`drafts_note`.
    """

    pairs_frame: pd.DataFrame | None = attrs.field(repr=False)
    subjects: pd.DataFrame = attrs.field(repr=False)
    series: pd.DataFrame = attrs.field(repr=False)
    policy: ComparePolicy = attrs.field(repr=False)
    pairs_path: Path | None = None
    claims: ClaimSet | None = attrs.field(default=None, repr=False)
    drafts_left_out: int = 0
    decided_by: str = "pairs"
    """How the comparison was decided: ``"groups"`` (one pair of groups of interchangeable claims
    at a time; :attr:`pairs` decides every pair when asked) or ``"pairs"`` (pair by pair)."""
    groups: pd.Series[Any] | None = attrs.field(default=None, repr=False)
    """Per claim id, its group of interchangeable claims (what findings are grouped by); for pairs
    written to a folder, found from the claims stored there when findings are asked for."""
    grouped: GroupedPairs | None = attrs.field(default=None, repr=False)

    def drafts_note(self) -> str:
        """What was left out, for a reader: ``""`` when no drafted claim was."""
        left_out = self.drafts_left_out
        if not left_out:
            return ""
        what = "1 drafted claim is" if left_out == 1 else f"{left_out:,} drafted claims are"
        return (
            f"{what} left out (not yet reviewed): accept a claim by deleting its draft block "
            "after review, or include drafts with --include-drafts "
            "(ComparePolicy(include_drafts=True) in Python)."
        )

    @property
    def pairs(self) -> pd.DataFrame:
        """The pairs (read back from ``pairs_path``, reasons included, when they were written
        there: :func:`claimtrack.read_pairs` reads a part of them)."""
        return self._pairs()

    def _pairs(self, verdicts: Iterable[str] | None = None) -> pd.DataFrame:
        if self.pairs_frame is not None or self.grouped is not None:
            pairs = self.pairs_frame if self.grouped is None else self.grouped.pairs()
            assert pairs is not None
            if verdicts is None:
                return pairs
            return pairs[pairs["verdict"].isin(list(verdicts)).to_numpy()]
        assert self.pairs_path is not None
        return read_pairs(self.pairs_path, self.policy, verdicts=verdicts)

    def pairs_among(self, claims: Iterable[str]) -> pd.DataFrame:
        """The pairs between the given claims only (both claims among them), as :attr:`pairs`
        lists them and in its order. A comparison decided by groups decides just these pairs, so
        a few claims of a large subject cost a few pairs, not the subject's. More than
        ``policy.max_pairs_in_memory`` pairs are refused (:class:`~claimtrack.TooManyPairsError`)."""
        wanted = pd.Index(pd.unique(np.asarray(list(claims), dtype=object)))
        if self.grouped is not None:
            return self.grouped.pairs_among(wanted.to_numpy(dtype=object))
        return among_claims(self._pairs(), wanted.to_numpy(dtype=object))

    def verdict_counts(self) -> pd.Series[int]:
        """How many pairs have each verdict (every :class:`Verdict`, in its order, by value):
        the pairs within subjects (the ``n_*`` columns of :attr:`subjects`) and those across
        links between subjects, counted without listing the pairs when decided by groups."""
        names = [v.value for v in Verdict]
        if self.grouped is None:
            counts = self._pairs()["verdict"].astype(str).value_counts()
            return pd.Series([int(counts.get(v, 0)) for v in names], index=names, dtype=np.int64)
        within = [int(self.subjects[f"n_{v}"].sum()) for v in names]
        extra = self.grouped.extra
        across = (
            extra["verdict"].astype(str).value_counts()
            if extra is not None and len(extra)
            else pd.Series(dtype=np.int64)
        )
        totals = [w + int(across.get(v, 0)) for w, v in zip(within, names, strict=True)]
        return pd.Series(totals, index=names, dtype=np.int64)

    def findings(self) -> pd.DataFrame:
        """The notable pairs, grouped, and the failed series checks: most important first, in a
        stable order (verdict, then subject, ``claim_a``, ``claim_b``).

        One row per *finding*: the notable pairs of one subject with one verdict and reason
        between two lines (claims equal in every column a rule reads but their id and which
        report they are in; in either order), all pairs of one origin or all of different
        origins (see ``docs/comparing.md``, "How a comparison scales"). Columns:
        ``verdict``, ``subject``, ``claim_a`` and ``claim_b`` (the finding's first pair by claim
        id), ``reason``, ``n_a`` and ``n_b`` (how many claims stand behind each side) and
        ``n_pairs`` (how many pairs). :meth:`finding_pairs` lists the pairs of each. Series checks
        that fail are findings of one pair, with ``claim_b`` the start claim: ``inconsistent``
        when the count and the stated start come from one source, ``differ`` when they come from
        two (a disagreement between sources, not one source contradicting itself).
        """
        return public(self._findings()[0])

    def finding_pairs(self, finding: int | Iterable[int] | None = None) -> pd.DataFrame:
        """The pairs of the findings at positions ``finding`` of :meth:`findings` (one, several,
        or ``None``: all), one row per pair: ``verdict``, ``subject``, ``claim_a``, ``claim_b``,
        ``reason`` and ``finding`` (its position), in the order of :meth:`findings`'s columns.
        More than ``policy.max_pairs_in_memory`` pairs are refused
        (:class:`~claimtrack.TooManyPairsError`)."""
        found, members = self._findings()
        if self.grouped is not None:
            return self.grouped.finding_pairs(self.series, finding)
        assert members is not None

        def of(part: pd.DataFrame) -> tuple[Any, Any, Any]:
            at = pd.Index(part["group_a"].to_numpy()).get_indexer(members["finding"].to_numpy())
            hit = at >= 0
            claims = members["claim_a"].to_numpy()[hit], members["claim_b"].to_numpy()[hit]
            return claims[0], claims[1], at[hit]

        return expand_findings(found, of, self.policy.max_pairs_in_memory, finding)

    def _findings(self) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """The grouped findings with the columns the pairs are listed from, and (all-pairs path)
        the notable pairs with their finding's key."""
        if self.grouped is not None:
            return self.grouped.findings(self.series), None
        notable = self._pairs([v.value for v in NOTABLE])
        groups = self.groups
        if groups is None and self.pairs_path is not None and len(notable):
            groups = folder_groups(self.pairs_path, notable["subject"], self.policy)
        return findings_from_pairs(notable, groups, self.series)

    def _repr_html_(self) -> str:
        """HTML tables of the findings and the compared subjects, for notebooks."""
        from claimtrack.compare._display import comparison_html

        return comparison_html(self)

    def origins(self, subjects: Iterable[str] | None = None) -> pd.DataFrame:
        """Per subject, the claims that share an origin with another claim, and why (columns
        ``subject``, ``origin``: the origin's first claim, ``claim``, ``claimant``, ``source``,
        ``why``: the rules of the repeat and combined pairs that join it, and "one report of X"
        where it is one of a claimant's claims in one report; see "Independent origins" in
        ``docs/comparing.md``). ``subjects``: the rows of the origins of those subjects' claims
        only (claims of linked subjects in them included), from the pairs of those subjects and
        the subjects linked to them. Needs the claim set (a comparison of a frame
        has none)."""
        if self.claims is None:
            raise ValueError("origins() needs the claim set compared; a frame was compared")
        policy = attrs.evolve(self.policy, hedges=None)  # the claims are re-hedged already
        prepared = prepare(self.claims, policy, texts=False).rows
        joining = [Verdict.REPEAT.value, Verdict.COMBINED.value]
        if subjects is None:
            joins = self._pairs(joining)
            return shared_origins(prepared, joins[["claim_a", "claim_b", "rule"]])
        chosen = self._linked(prepared, set(subjects))
        in_chosen = prepared["subject"].astype(str).isin(chosen).to_numpy()
        joins = self.pairs_among(prepared["claim"].to_numpy(dtype=object)[in_chosen])
        joins = joins[joins["verdict"].isin(joining).to_numpy()]
        table = shared_origins(prepared, joins[["claim_a", "claim_b", "rule"]])
        mine = table["subject"].astype(str).isin(set(subjects)).to_numpy()
        kept = table["origin"].isin(table["origin"][mine]).to_numpy()  # and who shares them
        return table[kept].reset_index(drop=True)

    def _linked(self, prepared: pd.DataFrame, subjects: set[str]) -> set[str]:
        """``subjects`` and every subject joined to one of them by pairs across links."""
        across = self.grouped.extra if self.grouped is not None else None
        if across is None and self.grouped is None and "link" in self._pairs().columns:
            pairs = self._pairs()
            across = pairs[pairs["link"].notna().to_numpy()]
        if across is None or not len(across):
            return subjects
        subject_of = pd.Series(
            prepared["subject"].astype(str).to_numpy(), index=prepared["claim"].to_numpy()
        )
        a = subject_of.reindex(across["claim_a"].to_numpy()).to_numpy(dtype=object)
        b = subject_of.reindex(across["claim_b"].to_numpy()).to_numpy(dtype=object)
        pairs = pd.DataFrame({"a": a, "b": b}).drop_duplicates()  # one per two linked subjects
        edges = list(zip(pairs["a"].tolist(), pairs["b"].tolist(), strict=True))
        found = set(subjects)
        while True:
            more = {y for x, y in edges if x in found} | {x for x, y in edges if y in found}
            if more <= found:
                return found
            found |= more

    def to_dict(self) -> dict[str, Any]:
        """Pairs, subjects, series checks, findings (grouped, :meth:`findings`) and the pairs of the
        findings (:meth:`finding_pairs`) as plain JSON-ready data."""
        return {
            "pairs": _records(self.pairs),
            "subjects": _records(self.subjects),
            "series": _records(self.series),
            "findings": _records(self.findings()),
            "finding_pairs": _records(self.finding_pairs()),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, keys in a stable order)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict("records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, float) and not np.isfinite(value):
                value = None if np.isnan(value) else ("inf" if value > 0 else "-inf")
            elif isinstance(value, np.generic):
                value = value.item()
            elif value is pd.NA or value is pd.NaT:
                value = None
            elif isinstance(value, pd.Timestamp):
                value = value.date().isoformat()
            clean[str(key)] = value
        out.append(clean)
    return out

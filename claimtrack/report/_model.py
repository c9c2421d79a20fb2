"""The report model: what a report shows, whatever the format, built once from a comparison.

:func:`model_for` selects the claims to show (:func:`select`, the one place selection happens),
compares them again when the comparison does not cover exactly those claims, and gathers the
claims with their provenance, the pairs, the grouped findings and the sources into a
:class:`ReportModel`. Renderers read the model; nothing here writes a format.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

import attrs
import pandas as pd

from claimtrack.claim import Claim
from claimtrack.claimset import ClaimSet
from claimtrack.compare import ComparePolicy, Comparison, Verdict, compare
from claimtrack.dates import FuzzyDate
from claimtrack.report._focus import Focus
from claimtrack.report._groups import (
    Finding,
    GroupedFindings,
    claimants_of,
    finding_groups,
    findings_of,
    first_per_verdict,
    group_table,
)
from claimtrack.report._lines import (
    ClaimLine,
    PairLine,
    claim_line,
    claim_order,
    pair_lines,
    series_lines,
    shared_text,
    within_pairs,
)
from claimtrack.report._select import select, selection_text
from claimtrack.source import Source
from claimtrack.subject import Subject, SubjectKind

FINDING_TITLES = {
    Verdict.INCONSISTENT: ("internal inconsistency", "internal inconsistencies"),
    Verdict.CONTRADICT: ("contradiction", "contradictions"),
    Verdict.DIFFER: ("conflict", "conflicts"),
    Verdict.UPDATE: ("update", "updates"),
    Verdict.CHANGE: ("change over time", "changes over time"),
    Verdict.SHIFT: ("change of stance", "changes of stance"),
}
"""What each notable verdict is called in a report (singular, plural), in order of importance."""

FIGURES = 10
"""The most timeline figures an HTML report that leaves subjects out draws (each takes matplotlib
about a second)."""


@attrs.frozen
class SubjectPart:
    """One subject: its claims, the verdicts between them and what the comparison concluded."""

    subject: Subject
    claims: tuple[ClaimLine, ...]
    pairs: tuple[PairLine, ...]
    series: tuple[str, ...]
    claimants: int
    origins: int
    consensus: str
    consensus_low: float | None
    consensus_high: float | None
    latest: str
    shared: str = ""
    """Which claims share an origin, and why: ``"#1 and #2 (one report of rferl)"``, joined with
    ``"; "``; empty when every claim is an origin of its own."""
    total_claims: int = -1
    """How many claims the subject has (``claims`` holds the first ``limit`` of them)."""
    more_pairs: int = 0
    """How many of the subject's compared pairs are not in ``pairs`` (the ``limit``)."""
    figure: bool = True
    """Whether the HTML page draws its timeline (in a report that leaves subjects out, only the
    :data:`FIGURES` subjects with the most finding pairs have one)."""

    @property
    def anchor(self) -> str:
        return f"s-{self.subject.id}"

    @property
    def more_claims(self) -> int:
        """How many of the subject's claims are not in ``claims`` (the ``limit``)."""
        return max(0, self.total_claims - len(self.claims))

    def more_claims_line(self) -> str:
        """``… and 9,950 more claims of this subject: use --subject X --limit 0 to show all.``"""
        return _more(self.more_claims, "claim", "of this subject", self.subject.id)

    def more_pairs_line(self) -> str:
        """``… and 120 more compared pairs of this subject: use ... to show all.``"""
        return _more(self.more_pairs, "compared pair", "of this subject", self.subject.id)

    def facts(self) -> str:
        """``3 claims from 2 claimants, 2 independent origins; consensus 850,000–1,150,000``."""
        n = max(len(self.claims), self.total_claims)
        text = (
            f"{_plural(n, 'claim')} from {_plural(self.claimants, 'claimant')}, "
            f"{_plural(self.origins, 'independent origin')}"
        )
        if self.subject.kind is SubjectKind.QUANTITY and n > 1:
            text += f"; consensus: {self.consensus or 'none'}"
        return text


@attrs.frozen
class SubjectRow:
    """One subject in the overview of a report that leaves something out."""

    subject: Subject
    claims: int
    claimants: int
    origins: int
    consensus: str
    findings: int
    """How many finding pairs are about the subject."""

    def cells(self) -> list[str]:
        return [
            self.subject.id,
            self.subject.kind.value,
            f"{self.claims:,}",
            f"{self.claimants:,}",
            f"{self.origins:,}",
            self.consensus,
            f"{self.findings:,}",
        ]


OVERVIEW_HEADERS = [
    "subject",
    "kind",
    "claims",
    "claimants",
    "independent origins",
    "consensus",
    "finding pairs",
]
"""The columns of the overview (:meth:`SubjectRow.cells`)."""


@attrs.frozen
class ReportModel:
    """Everything a report shows, independent of the output format."""

    claims: ClaimSet
    sources: tuple[Source, ...]
    findings: tuple[Finding, ...]
    compared: tuple[SubjectPart, ...]
    """Subjects with more than one claim, by id."""
    single: tuple[ClaimLine, ...]
    """The claims of subjects with one claim, by subject id."""
    single_series: tuple[str, ...]
    """Series checks of the day counts among ``single``."""
    verdict_counts: tuple[tuple[Verdict, int], ...]
    selection: str
    """What was selected (``--subject``, ``--since``, ``--source``), or empty."""
    notes: tuple[str, ...] = ()
    """What the summary says of the earlier run and the reviews (see ``_focus``)."""
    drafts_note: str = ""
    """How many drafted claims of the selection were left out (not yet reviewed), and how to
    include them; empty when none was."""
    finding_totals: tuple[tuple[Verdict, int, int], ...] = ()
    """Per notable verdict: how many findings and pairs there are (``findings`` holds the first
    ``limit`` findings of each verdict)."""
    overview: tuple[SubjectRow, ...] = ()
    """When the report leaves something out: one row per subject shown in full."""
    more_subjects: int = 0
    """Subjects with more than one claim not shown in full (the ``limit``)."""
    more_single: int = 0
    """Claims of subjects with one claim not in ``single`` (the ``limit``)."""
    limit: int = 0
    """The most findings per verdict, subjects, claims and pairs per subject shown (0: all)."""

    def headline(self) -> str:
        """``14 claims from 4 sources about 6 subjects, by 8 claimants. 4 subjects ...``"""
        claimants = len({c.claimant for c in self.claims})
        n_subjects = len({c.subject for c in self.claims})
        n = len(self.compared)
        return (
            f"{_plural(len(self.claims), 'claim')} from {_plural(len(self.sources), 'source')} "
            f"about {_plural(n_subjects, 'subject')}, by {_plural(claimants, 'claimant')}. "
            f"{_plural(n, 'subject')} with more than one claim {'is' if n == 1 else 'are'} "
            "compared." + (f" {self.drafts_note}" if self.drafts_note else "")
        )

    def findings_line(self) -> str:
        """``Findings: 1 internal inconsistency, 5 contradictions (19 pairs), 1 update.``"""
        counts = Counter({v: n for v, n, _pairs in self.finding_totals})
        pairs = Counter({v: 0 for v in FINDING_TITLES})
        pairs.update({v: n for v, _n, n in self.finding_totals})
        parts = [
            _plural(counts[v], *FINDING_TITLES[v])
            + (f" ({pairs[v]:,} pairs)" if pairs[v] != counts[v] else "")
            for v in FINDING_TITLES
            if counts.get(v, 0)
        ]
        if not parts:
            return (
                "Findings: none (no internal inconsistencies, contradictions, conflicts, updates "
                "or changes over time)."
            )
        return "Findings: " + ", ".join(parts) + "."

    def verdicts_line(self) -> str:
        """``Verdicts of the 13 compared pairs: 1 agree, 3 refine, ...``."""
        total = sum(n for _v, n in self.verdict_counts)
        counts = ", ".join(f"{n:,} {v.value}" for v, n in self.verdict_counts if n)
        if not total:
            return "No pairs compared."
        return f"Verdicts of the {_plural(total, 'compared pair')}: {counts}."

    def findings_by_verdict(self) -> list[tuple[Verdict, list[Finding]]]:
        """The findings grouped by verdict, most important verdict first."""
        groups = [(v, [f for f in self.findings if f.verdict is v]) for v in FINDING_TITLES]
        return [(v, found) for v, found in groups if found]

    def finding_count(self, verdict: Verdict) -> int:
        """How many findings of ``verdict`` there are, shown or not."""
        return sum(n for v, n, _pairs in self.finding_totals if v is verdict)

    def more_findings_line(self, verdict: Verdict) -> str:
        """``… and 120 more conflicts (3,400 pairs): use ...`` when findings of ``verdict`` are
        left out, else empty."""
        shown = [f for f in self.findings if f.verdict is verdict]
        more = self.finding_count(verdict) - len(shown)
        if more <= 0:
            return ""
        pairs = sum(p for v, _n, p in self.finding_totals if v is verdict)
        pairs -= sum(f.n_pairs for f in shown)
        what = _plural(more, *FINDING_TITLES[verdict])
        return (
            f"… and {more:,} more {what.split(' ', 1)[1]} ({_plural(pairs, 'pair')}): "
            "use --subject ID --limit 0 to show all of a subject's."
        )

    def more_subjects_line(self) -> str:
        """``… and 1,450 more subjects with more than one claim: use --subject ID ...``."""
        if not self.more_subjects:
            return ""
        return (
            f"… and {self.more_subjects:,} more subjects with more than one claim, not shown "
            "in full: use --subject ID to show one (or --limit 0 to show all)."
        )

    def more_single_line(self) -> str:
        """``… and 4,000 more subjects with one claim: use ...``."""
        if not self.more_single:
            return ""
        return (
            f"… and {self.more_single:,} more subjects with one claim: use --subject ID to "
            "show one (or --limit 0 to show all)."
        )


def model_for(
    comparison: Comparison | None,
    claims: ClaimSet,
    subjects: str | Iterable[str] | None,
    since: FuzzyDate | datetime.date | str | None,
    policy: ComparePolicy,
    focus: Focus | None = None,
    limit: int = 0,
) -> ReportModel:
    """The model of the claims :func:`select` keeps (selected here, and only here), compared
    under ``policy``.

    ``comparison`` is reused when it covers exactly the selected claims (the same claims per
    subject), so verdicts, origins and consensus always describe the claims shown; without one,
    the selected claims are compared. Claims are shown as compared: re-read under
    ``policy.hedges`` when it has hedges (the claims of ``comparison.claims`` already are), so a
    claim line and a pair line give one interval.
    """
    if policy.hedges is not None and (comparison is None or claims is not comparison.claims):
        claims = claims.rehedged(policy.hedges)
    selection = selection_text(subjects, since)
    if focus is not None:
        subjects = focus.subjects(claims, subjects)
    selected = select(claims, subjects=subjects, since=since)
    left_out = 0
    if not policy.include_drafts:  # drafts are shown only when asked for, and never silently
        reviewed = selected.filter(drafts=False)
        left_out, selected = len(selected) - len(reviewed), reviewed
    if comparison is None or not _covers(comparison, selected):
        comparison = compare(selected, policy)
    if focus is not None and focus.selection():
        selection = "; ".join(p for p in (focus.selection(), selection) if p)
    model = build(comparison, selected, selection=selection, focus=focus, limit=limit)
    note = attrs.evolve(comparison, drafts_left_out=left_out).drafts_note()
    return attrs.evolve(model, drafts_note=note)


def _covers(comparison: Comparison, claims: ClaimSet) -> bool:
    counts = Counter(c.subject for c in claims)
    table = comparison.subjects
    compared = {str(s): int(n) for s, n in zip(table["subject"], table["claims"], strict=True)}
    return compared == dict(counts)


def build(
    comparison: Comparison,
    claims: ClaimSet,
    *,
    selection: str = "",
    focus: Focus | None = None,
    limit: int = 0,
) -> ReportModel:
    """Gather what a report shows from a comparison and the claims it compared (its findings
    narrowed and marked by ``focus``): with ``limit``, at most ``limit`` findings of each
    verdict, subjects shown in full (those with the most finding pairs, then the most claims),
    claims and pairs of each subject and claims of subjects with one claim, and counts of what
    is left out."""
    by_subject: dict[str, list[Claim]] = {}
    for claim in claims:
        by_subject.setdefault(claim.subject, []).append(claim)
    notes: tuple[str, ...] = ()
    if focus is None:  # grouped findings: only the pairs of the findings shown are listed
        grouped = GroupedFindings.of(comparison, claimants_of(claims))
        group_rows = grouped.table
        chosen = first_per_verdict(group_rows, limit)
        findings = grouped.report_findings(chosen, claims)
        finding_pairs = grouped.pairs_per_subject()
    else:  # a focus narrows and marks the findings pair by pair
        found = focus.findings(comparison.finding_pairs(), claims)
        groups = finding_groups(found, claimants_of(claims))
        group_rows = group_table(found, groups)
        chosen = first_per_verdict(group_rows, limit)
        findings = findings_of(found, groups, group_rows, chosen, claims, focus)
        new = sum(f.new == len(f.pairs) for f in findings)
        grown = sum(0 < (f.new or 0) < len(f.pairs) for f in findings)
        notes = focus.notes(found, claims, new, grown, len(findings))
        finding_pairs = found["subject"].astype(str).value_counts()
    several = [sid for sid in sorted(by_subject) if len(by_subject[sid]) > 1]
    ranked = _ranked_subjects(several, by_subject, finding_pairs, limit)
    shown = set(ranked)
    cut_subjects = len(shown) < len(several)
    figures = set(ranked[:FIGURES]) if cut_subjects else shown
    table = {str(r["subject"]): r for r in comparison.subjects.to_dict("records")}
    ordered_of = {
        sid: sorted(by_subject[sid], key=lambda c: claim_order(c, claims)) for sid in ranked
    }
    listed = [
        c.id for sid in ranked for c in (ordered_of[sid][:limit] if limit else ordered_of[sid])
    ]
    pairs = comparison.pairs_among(listed)  # the pairs shown: between the claims listed
    shared = comparison.origins(shown) if comparison.claims is not None else None
    pairs_by_subject = {str(s): g for s, g in pairs.groupby("subject", sort=True, observed=True)}
    within = within_pairs(comparison.subjects)
    series = comparison.series.to_dict("records")
    compared, single = [], []
    for sid in sorted(by_subject):
        if len(by_subject[sid]) == 1:
            single.append(by_subject[sid][0])
            continue
        if sid not in shown:
            continue
        subject = claims.subject(sid)
        ordered = ordered_of[sid]
        kept = ordered[:limit] if limit else ordered
        lines = tuple(claim_line(c, i, claims) for i, c in enumerate(kept, start=1))
        row = table[sid]
        shown_pairs, more_pairs = pair_lines(
            pairs_by_subject.get(sid), lines, limit, within.get(sid, 0)
        )
        compared.append(
            SubjectPart(
                subject=subject,
                claims=lines,
                pairs=shown_pairs,
                series=series_lines(series, lines),
                claimants=int(row["claimants"]),
                origins=int(row["origins"]),
                consensus=str(row["consensus"]),
                consensus_low=_float(row["consensus_low"]),
                consensus_high=_float(row["consensus_high"]),
                latest=str(row["latest"]),
                shared=shared_text(shared, sid, lines),
                total_claims=len(ordered),
                more_pairs=more_pairs,
                figure=sid in figures,
            )
        )
    more_single = max(0, len(single) - limit) if limit else 0
    single_numbered = tuple(
        claim_line(c, i, claims) for i, c in enumerate(single[: limit or None], start=1)
    )
    counts = comparison.verdict_counts()
    verdict_counts = tuple((v, int(counts.get(v.value, 0))) for v in Verdict)
    cut = (
        cut_subjects
        or more_single
        or any(p.more_claims or p.more_pairs for p in compared)
        or len(findings) < len(group_rows)
    )
    shown_claims = [line.claim for part in compared for line in part.claims]
    shown_claims += [line.claim for line in single_numbered]
    source_ids = {c.source for c in (shown_claims if cut else claims)}
    sources = tuple(claims.sources[s] for s in sorted(source_ids))
    overview = tuple(_overview_row(p, finding_pairs) for p in compared) if cut else ()
    return ReportModel(
        claims=claims,
        sources=sources,
        findings=findings,
        compared=tuple(compared),
        single=single_numbered,
        single_series=series_lines(series, single_numbered),
        verdict_counts=verdict_counts,
        selection=selection,
        notes=notes,
        finding_totals=_finding_totals(group_rows),
        overview=overview,
        more_subjects=len(several) - len(shown),
        more_single=more_single,
        limit=limit,
    )


def _ranked_subjects(
    several: list[str],
    by_subject: dict[str, list[Claim]],
    finding_pairs: pd.Series[Any],
    limit: int,
) -> list[str]:
    """The subjects with more than one claim shown in full, most finding pairs first, then most
    claims, then by id: all of them, or the first ``limit``."""
    ranked = sorted(
        several, key=lambda sid: (-int(finding_pairs.get(sid, 0)), -len(by_subject[sid]), sid)
    )
    return ranked[:limit] if limit else ranked


def _finding_totals(group_rows: pd.DataFrame) -> tuple[tuple[Verdict, int, int], ...]:
    by_verdict = group_rows.groupby(group_rows["verdict"].astype(str), sort=False)["pairs"]
    sizes, sums = by_verdict.size(), by_verdict.sum()
    return tuple(
        (v, int(sizes[v.value]), int(sums[v.value])) for v in FINDING_TITLES if v.value in sizes
    )


def _overview_row(part: SubjectPart, finding_pairs: pd.Series[Any]) -> SubjectRow:
    return SubjectRow(
        subject=part.subject,
        claims=part.total_claims,
        claimants=part.claimants,
        origins=part.origins,
        consensus=part.consensus,
        findings=int(finding_pairs.get(part.subject.id, 0)),
    )


def _more(n: int, one: str, where: str, subject: str) -> str:
    if n <= 0:
        return ""
    return (
        f"… and {n:,} more {one if n == 1 else one + 's'} {where}: use --subject {subject} "
        "--limit 0 to show all."
    )


def _float(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return None if math.isinf(number) else number


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"

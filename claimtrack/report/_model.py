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
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
import pandas as pd

from claimtrack._safe_text import html_table
from claimtrack.claim import Claim
from claimtrack.claimset import ClaimSet
from claimtrack.compare import NOTABLE, ComparePolicy, Comparison, Verdict, compare
from claimtrack.dates import FuzzyDate
from claimtrack.report._cells import interval_text, provenance, value_text
from claimtrack.report._focus import Focus, status_text
from claimtrack.review import Review, finding_group
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


@attrs.frozen
class ClaimLine:
    """One claim as a report shows it: the value, the interval and the way back to the source."""

    claim: Claim
    number: int
    """The claim's number in its table ("#1"); pairs refer to claims by it."""
    source: Source
    written: str
    interval: str
    who: str
    as_of: str
    when: FuzzyDate
    """When the value holds: the as-of date, else the date it was said, else publication."""

    @property
    def ref(self) -> str:
        return f"#{self.number}"

    @property
    def source_text(self) -> str:
        """``source-id, 2019-09-03`` and the section when it is not the body."""
        text = f"{self.source.id}, {self.source.published.iso()}"
        section = self.claim.section.value
        return text if section == "body" else f"{text}, {section}"


@attrs.frozen
class PairLine:
    """One compared pair within a subject."""

    verdict: str
    a: ClaimLine
    b: ClaimLine
    reason: str


@attrs.frozen
class Finding:
    """A notable relation for the summary, with its reason sentence and the pairs that show it.

    Pairs that say the same thing are one finding: contradictions between the same two claimants
    on one proposition (China's denial repeated in three articles against the UN's statement),
    and other pairs whose reason sentences are identical. ``pairs`` lists every pair of claim ids
    (or, for a failed series check, the count and the start claim); ``reason`` is the first one's.
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

    def status(self) -> str:
        """``new; confirmed by Ann (2026-12-01): why``, or empty."""
        return status_text(self.new, self.reviews, self.reviewed, len(self.pairs), self.has_reviews)

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

    @property
    def anchor(self) -> str:
        return f"s-{self.subject.id}"

    def facts(self) -> str:
        """``3 claims from 2 claimants, 2 independent origins; consensus 850,000–1,150,000``."""
        n = len(self.claims)
        text = (
            f"{_plural(n, 'claim')} from {_plural(self.claimants, 'claimant')}, "
            f"{_plural(self.origins, 'independent origin')}"
        )
        if self.subject.kind is SubjectKind.QUANTITY and n > 1:
            text += f"; consensus: {self.consensus or 'none'}"
        return text


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
        counts = Counter(f.verdict for f in self.findings)
        pairs = Counter({v: 0 for v in FINDING_TITLES})
        for f in self.findings:
            pairs[f.verdict] += len(f.pairs)
        parts = [
            _plural(counts[v], *FINDING_TITLES[v])
            + (f" ({pairs[v]} pairs)" if pairs[v] != counts[v] else "")
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
        counts = ", ".join(f"{n} {v.value}" for v, n in self.verdict_counts if n)
        if not total:
            return "No pairs compared."
        return f"Verdicts of the {_plural(total, 'compared pair')}: {counts}."

    def findings_by_verdict(self) -> list[tuple[Verdict, list[Finding]]]:
        """The findings grouped by verdict, most important verdict first."""
        groups = [(v, [f for f in self.findings if f.verdict is v]) for v in FINDING_TITLES]
        return [(v, found) for v, found in groups if found]


def select(
    claims: ClaimSet,
    *,
    subjects: str | Iterable[str] | None = None,
    since: FuzzyDate | datetime.date | str | None = None,
) -> ClaimSet:
    """The claims about ``subjects`` whose time ends on or after ``since``.

    A claim's time is its ``as_of`` date, else the date it was ``stated``, else its source's
    publication date (the time the comparator uses). ``since`` is a date, a :class:`FuzzyDate` or
    an absolute date text ("2021", "2021-09", "2021-09-14"); a claim is kept when its time ends on
    or after the first day of ``since``. Drafted claims are kept: the report leaves them out
    afterwards, and counts them, unless ``ComparePolicy.include_drafts``. Unknown subject ids raise
    :class:`~claimtrack.errors.UnknownIdError`; unreadable dates :class:`~claimtrack.errors.DateError`.
    """
    if subjects is not None:
        claims = claims.filter(subject=subjects)
    if since is not None:
        first = since_date(since)
        kept = [c for c in claims if claim_time(c, claims).end >= first]
        claims = attrs.evolve(claims, claims=kept)
    return claims


def since_date(since: FuzzyDate | datetime.date | str) -> datetime.date:
    """The first day of ``since`` (a date, a :class:`FuzzyDate` or an absolute date text)."""
    if isinstance(since, str):
        since = FuzzyDate.parse(since)
    if isinstance(since, FuzzyDate):
        return since.start
    return since


def claim_time(claim: Claim, claims: ClaimSet) -> FuzzyDate:
    """When the claim's value holds: as-of, else stated, else the source's publication date."""
    return claim.as_of or claim.stated or claims.source(claim.source).published


def model_for(
    comparison: Comparison | None,
    claims: ClaimSet,
    subjects: str | Iterable[str] | None,
    since: FuzzyDate | datetime.date | str | None,
    policy: ComparePolicy,
    focus: Focus | None = None,
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
    selection = _selection_text(subjects, since)
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
    model = build(comparison, selected, selection=selection, focus=focus)
    note = attrs.evolve(comparison, drafts_left_out=left_out).drafts_note()
    return attrs.evolve(model, drafts_note=note)


def _covers(comparison: Comparison, claims: ClaimSet) -> bool:
    counts = Counter(c.subject for c in claims)
    table = comparison.subjects
    compared = {str(s): int(n) for s, n in zip(table["subject"], table["claims"], strict=True)}
    return compared == dict(counts)


def _selection_text(
    subjects: str | Iterable[str] | None, since: FuzzyDate | datetime.date | str | None
) -> str:
    parts = []
    if subjects is not None:
        ids = [subjects] if isinstance(subjects, str) else sorted(subjects)
        parts.append("subjects " + ", ".join(ids))
    if since is not None:
        parts.append(f"claims dated on or after {since_date(since).isoformat()}")
    return "; ".join(parts)


def build(
    comparison: Comparison, claims: ClaimSet, *, selection: str = "", focus: Focus | None = None
) -> ReportModel:
    """Gather what a report shows from a comparison and the claims it compared (its findings
    narrowed and marked by ``focus``)."""
    by_subject: dict[str, list[Claim]] = {}
    for claim in claims:
        by_subject.setdefault(claim.subject, []).append(claim)
    table = {str(r["subject"]): r for r in comparison.subjects.to_dict("records")}
    pairs = comparison.pairs
    shared = comparison.origins() if comparison.claims is not None else None
    pairs_by_subject = {str(s): g for s, g in pairs.groupby("subject", sort=True)}
    series = comparison.series.to_dict("records")
    compared, single = [], []
    for sid in sorted(by_subject):
        subject = claims.subject(sid)
        ordered = sorted(by_subject[sid], key=lambda c: _claim_order(c, claims))
        lines = tuple(_claim_line(c, i, claims) for i, c in enumerate(ordered, start=1))
        if len(lines) == 1:
            single.append(lines[0])
            continue
        row = table[sid]
        compared.append(
            SubjectPart(
                subject=subject,
                claims=lines,
                pairs=_pair_lines(pairs_by_subject.get(sid), lines),
                series=_series_lines(series, lines),
                claimants=int(row["claimants"]),
                origins=int(row["origins"]),
                consensus=str(row["consensus"]),
                consensus_low=_float(row["consensus_low"]),
                consensus_high=_float(row["consensus_high"]),
                latest=str(row["latest"]),
                shared=_shared_text(shared, sid, lines),
            )
        )
    single_numbered = tuple(attrs.evolve(line, number=i) for i, line in enumerate(single, start=1))
    found = comparison.finding_pairs()
    notes: tuple[str, ...] = ()
    if focus is not None:
        found = focus.findings(found, claims)
    findings = group_findings(found, claims, focus)
    if focus is not None:
        new = sum(f.new == len(f.pairs) for f in findings)
        grown = sum(0 < (f.new or 0) < len(f.pairs) for f in findings)
        notes = focus.notes(found, claims, new, grown, len(findings))
    counts = pairs["verdict"].value_counts()
    verdict_counts = tuple((v, int(counts.get(v.value, 0))) for v in Verdict)
    source_ids = {c.source for c in claims}
    sources = tuple(claims.sources[s] for s in sorted(source_ids))
    return ReportModel(
        claims=claims,
        sources=sources,
        findings=findings,
        compared=tuple(compared),
        single=single_numbered,
        single_series=_series_lines(series, single_numbered),
        verdict_counts=verdict_counts,
        selection=selection,
        notes=notes,
    )


def _shared_text(shared: pd.DataFrame | None, subject: str, lines: tuple[ClaimLine, ...]) -> str:
    """The claims of ``subject`` that share an origin (:meth:`Comparison.origins`), by their
    numbers in the report: ``"#1 and #2 (one report of rferl)"``, one part per origin."""
    if shared is None or not len(shared):
        return ""
    rows = shared[shared["subject"] == subject]
    number = {line.claim.id: line.ref for line in lines}
    parts = []
    for _, group in rows.groupby("origin", sort=False):
        refs = sorted((number[c] for c in group["claim"] if c in number), key=lambda r: int(r[1:]))
        whys = sorted({w for why in group["why"] for w in str(why).split("; ") if w})
        if len(refs) > 1:
            parts.append(f"{_and(refs)} ({', '.join(whys)})")
    return "; ".join(parts)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _claim_order(claim: Claim, claims: ClaimSet) -> tuple[datetime.date, datetime.date, str]:
    when = claim_time(claim, claims)
    return when.start, when.end, claim.id


def _claim_line(claim: Claim, number: int, claims: ClaimSet) -> ClaimLine:
    source = claims.source(claim.source)
    if claim.as_of is not None:
        as_of = str(claim.as_of)
    elif claim.stated is not None:
        as_of = f"said {claim.stated}"
    else:
        as_of = ""
    return ClaimLine(
        claim=claim,
        number=number,
        source=source,
        written=value_text(claim) + _derived_note(claim),
        interval=interval_text(claim),
        who=provenance(claim, source.publisher),
        as_of=as_of,
        when=claim_time(claim, claims),
    )


def _derived_note(claim: Claim) -> str:
    """ " (derived: the sum of a + b)" for a derived figure, nothing for one as reported."""
    if not claim.derived_from:
        return ""
    return f" (derived: the sum of {' + '.join(claim.derived_from)})"


def _pair_lines(group: pd.DataFrame | None, lines: Sequence[ClaimLine]) -> tuple[PairLine, ...]:
    if group is None:
        return ()
    by_id = {line.claim.id: line for line in lines}
    out = [
        PairLine(str(r.verdict), by_id[str(r.claim_a)], by_id[str(r.claim_b)], str(r.reason))
        for r in group.itertuples()
        if str(r.claim_a) in by_id and str(r.claim_b) in by_id
    ]
    order = {v.value: i for i, v in enumerate(NOTABLE)}
    out.sort(key=lambda p: (order.get(p.verdict, len(order)), p.a.number, p.b.number))
    return tuple(out)


def _series_lines(series: list[dict[Any, Any]], lines: Sequence[ClaimLine]) -> tuple[str, ...]:
    """``Series check of #1: day 2 as of ... implies ...`` for the day counts among ``lines``."""
    refs = {line.claim.id: line.ref for line in lines}
    return tuple(
        f"Series check of {refs[str(r['claim'])]}: {r['reason']}."
        for r in series
        if str(r["claim"]) in refs
    )


def _float(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return None if math.isinf(number) else number


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def group_findings(
    found: pd.DataFrame, claims: ClaimSet, focus: Focus | None = None
) -> tuple[Finding, ...]:
    """The rows of :meth:`Comparison.finding_pairs` as :class:`Finding` s, pairs that say the same
    thing grouped (see :class:`Finding`), in the order of their first pair; marked new and
    reviewed by ``focus``."""
    groups: dict[tuple[str, ...], list[dict[Any, Any]]] = {}
    for r in found.to_dict("records"):
        key = finding_group(
            str(r["verdict"]),
            str(r["subject"]),
            str(r["claim_a"]),
            str(r["claim_b"]),
            str(r["reason"]),
            claims,
        )
        groups.setdefault(key, []).append(r)
    out = []
    for rows in groups.values():
        verdict = str(rows[0]["verdict"])
        pairs = tuple((str(r["claim_a"]), str(r["claim_b"])) for r in rows)
        finding = Finding(
            Verdict(verdict), claims.subject(str(rows[0]["subject"])), pairs, str(rows[0]["reason"])
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
    n = len(f.pairs)
    if n == 1:
        return f"claims: {link(f.claim_a)} ↔ {link(f.claim_b)}"
    sides = finding_sides(f)
    if sides is not None:
        left, right = sides
        return f"{n} pairs: {', '.join(map(link, left))} ↔ {', '.join(map(link, right))}"
    return f"{n} pairs: " + "; ".join(f"{link(a)} ↔ {link(b)}" for a, b in f.pairs)

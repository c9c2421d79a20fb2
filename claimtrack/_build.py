"""Sources and claims: each source block and claim of the claim files built into the model, with
its references, dates and value checked."""

from __future__ import annotations

import math
from typing import Any

from claimtrack import _spec
from claimtrack._date_checks import after_publication
from claimtrack._names import suggest
from claimtrack._reader import Reader
from claimtrack._scan import SUBJECTS_FILE
from claimtrack._yaml import Document
from claimtrack._yaml import Path as NodePath
from claimtrack.claim import Claim, ClaimValue, DayCount, DraftMark, Statement
from claimtrack.dates import FuzzyDate
from claimtrack.entity import EntityIndex
from claimtrack.errors import DateError, UnitError
from claimtrack.quantity import Estimate, format_interval, hedge_for_bounds
from claimtrack.source import Source
from claimtrack.subject import Subject, SubjectKind
from claimtrack.units import measured_unit


def _listed(where: NodePath, value: object) -> list[tuple[NodePath, object]]:
    """The references of a raw ``claimant:`` or ``speaker:``: one id, or a list of them."""
    if isinstance(value, list):
        return [((*where, i), v) for i, v in enumerate(value)]
    return [(where, value)]


class ClaimBuilder(Reader):
    """Builds the sources and claims of the source files, recording their problems."""

    def _build(
        self,
        loaded: list[
            tuple[Document, _spec.SourceSpec | None, list[_spec.ClaimSpec | dict[str, Any] | None]]
        ],
        index: EntityIndex,
        subjects: dict[str, Subject],
    ) -> tuple[dict[str, Source], list[Claim]]:
        sources: dict[str, Source] = {}
        source_places: dict[str, str] = {}
        claims: list[Claim] = []
        claim_places: dict[str, str] = {}
        source_docs: dict[str, Document] = {}
        derived: list[tuple[Document, NodePath, _spec.ClaimSpec]] = []
        for doc, source_spec, claim_specs in loaded:
            source = None if source_spec is None else self._source(doc, source_spec, index)
            if source_spec is not None:
                source_docs.setdefault(source_spec.id, doc)
            if source is not None:
                if source.id in sources:
                    self.problems.append(
                        doc.error(
                            ("source", "id"),
                            f"duplicate source id {source.id!r} (also in {source_places[source.id]})",
                        )
                    )
                else:
                    sources[source.id] = source
                    source_places[source.id] = f"{doc.name}:{doc.line(('source', 'id'))}"
            for i, item in enumerate(claim_specs):
                where: NodePath = ("claims", i)
                if item is None:
                    continue
                if isinstance(item, dict):
                    self._raw_references(doc, where, item, index, subjects)
                    continue
                claim = self._claim(doc, where, item, source, index, subjects)
                if item.id in claim_places:
                    self.problems.append(
                        doc.error(
                            (*where, "id"),
                            f"duplicate claim id {item.id!r} (first at {claim_places[item.id]})",
                        )
                    )
                    continue
                claim_places[item.id] = f"{doc.name}:{doc.line((*where, 'id'))}"
                if claim is not None:
                    claims.append(claim)
                    if item.derived_from:
                        derived.append((doc, where, item))
        self._republications(sources, source_docs)
        self._derivations(derived, claims, set(claim_places))
        return sources, claims

    def _derivations(
        self,
        derived: list[tuple[Document, NodePath, _spec.ClaimSpec]],
        claims: list[Claim],
        named: set[str],
    ) -> None:
        """Each derived figure names claims of the set (none twice, not itself), all figures,
        and its interval holds their sum."""
        by_id = {c.id: c for c in claims}
        for doc, where, spec in derived:
            claim = by_id.get(spec.id)
            if claim is None:
                continue
            place: NodePath = (*where, "derived_from")
            parts: list[Estimate] = []
            for k, ref in enumerate(spec.derived_from):
                if ref == spec.id or ref in spec.derived_from[:k]:
                    what = "itself" if ref == spec.id else f"{ref!r} twice"
                    self.problems.append(doc.error((*place, k), f"a figure derived from {what}"))
                    continue
                if ref not in named:
                    if self.one_file:
                        self._warn(
                            doc,
                            (*place, k),
                            f"claim {ref!r} is not in this file, and no other file was read: "
                            "validate the folder to check it",
                        )
                    else:
                        self.problems.append(
                            doc.error((*place, k), f"unknown claim {ref!r}{suggest(ref, named)}")
                        )
                    continue
                part = by_id.get(ref)
                if part is not None and not isinstance(part.value, Estimate):
                    self.problems.append(
                        doc.error((*place, k), f"claim {ref!r} is not a figure (a quantity)")
                    )
                elif part is not None and isinstance(part.value, Estimate):
                    parts.append(part.value)
            if not isinstance(claim.value, Estimate):
                self.problems.append(
                    doc.error(place, "only a figure (a quantity) can be derived from others")
                )
            elif len(parts) == len(spec.derived_from):
                problem = sum_problem(claim.value, parts)
                if problem is not None:
                    self.problems.append(doc.error(place, problem))

    def _republications(self, sources: dict[str, Source], docs: dict[str, Document]) -> None:
        """Each ``republishes`` names a source of the claim set, and no chain of them is a
        cycle (a source whose own block is broken is not reported again). When one file is read,
        a source of another file cannot be checked: that is a warning."""
        where: NodePath = ("source", "republishes")
        for source in sources.values():
            target = source.republishes
            if target is None:
                continue
            doc = docs[source.id]
            if target not in docs and self.one_file:
                self._warn(
                    doc,
                    where,
                    f"source {target!r} is not in this file, and no other file was read: "
                    "validate the folder to check it",
                )
                continue
            if target not in docs:
                self.problems.append(
                    doc.error(where, f"unknown source {target!r}{suggest(target, docs)}")
                )
                continue
            chain = [source.id]
            while target is not None and target in sources and target not in chain:
                chain.append(target)
                target = sources[target].republishes
            if target == source.id:
                shown = " -> ".join(map(repr, [*chain, source.id]))
                self.problems.append(
                    doc.error(where, f"republications go round in a cycle: {shown}")
                )

    def _ids(
        self, doc: Document, where: NodePath, spec: _spec.Ids, index: EntityIndex, what: str
    ) -> tuple[str, ...]:
        """One id or a list of them, each a known entity and none listed twice."""
        if isinstance(spec, str):
            self._entity_ref(doc, where, spec, index)
            return (spec,)
        for i, ref in enumerate(spec):
            self._entity_ref(doc, (*where, i), ref, index)
            if ref in spec[:i]:
                self.problems.append(doc.error((*where, i), f"{what} {ref!r} listed twice"))
        return tuple(spec)

    def _raw_references(
        self,
        doc: Document,
        where: NodePath,
        item: dict[str, Any],
        index: EntityIndex,
        subjects: dict[str, Subject],
    ) -> None:
        """The references of a claim whose shape is wrong elsewhere: still worth reporting."""
        subject = item.get("subject")
        if isinstance(subject, str) and not self._known_subject(subject, subjects):
            self.problems.append(
                doc.error(
                    (*where, "subject"),
                    f"unknown subject {subject!r}{suggest(subject, subjects, SUBJECTS_FILE)}",
                )
            )
        refs = _listed((*where, "claimant"), item.get("claimant"))
        via = item.get("via")
        if isinstance(via, list):
            refs += [((*where, "via", i), v) for i, v in enumerate(via)]
        statement = item.get("statement")
        if isinstance(statement, dict):
            refs += _listed((*where, "statement", "speaker"), statement.get("speaker"))
        for path, ref in refs:
            if isinstance(ref, str):
                self._entity_ref(doc, path, ref, index)

    def _source(self, doc: Document, spec: _spec.SourceSpec, index: EntityIndex) -> Source | None:
        where: NodePath = ("source",)
        ok = self._check_id(doc, (*where, "id"), spec.id)
        self._entity_ref(doc, (*where, "publisher"), spec.publisher, index)
        published = self._date(doc, (*where, "published"), spec.published, None)
        if published is not None and published.written is not None:
            self.problems.append(
                doc.error(
                    (*where, "published"), "the publication date must be absolute, not relative"
                )
            )
            published = None
        if spec.republishes is not None:
            ok &= self._check_id(doc, (*where, "republishes"), spec.republishes)
            if spec.republishes == spec.id:
                self.problems.append(
                    doc.error(
                        (*where, "republishes"),
                        "a source cannot republish itself; name the source it reprints",
                    )
                )
                ok = False
        if not ok or published is None:
            return None
        return self._make(
            doc,
            where,
            lambda: Source(
                spec.id,
                spec.title,
                spec.publisher,
                published,
                spec.url,
                spec.authors,
                spec.language,
                spec.text_file,
                spec.text_sha256,
                spec.notes,
                spec.republishes,
            ),
        )

    def _claim(
        self,
        doc: Document,
        where: NodePath,
        spec: _spec.ClaimSpec,
        source: Source | None,
        index: EntityIndex,
        subjects: dict[str, Subject],
    ) -> Claim | None:
        """The claim, or None after recording its problems (or when its source is invalid:
        its problems are still checked, relative dates excepted)."""
        before = len(self.problems)
        self._check_id(doc, (*where, "id"), spec.id)
        subject = subjects.get(spec.subject)
        if not self._known_subject(spec.subject, subjects) and self._check_id(
            doc, (*where, "subject"), spec.subject
        ):
            self.problems.append(
                doc.error(
                    (*where, "subject"),
                    f"unknown subject {spec.subject!r}"
                    f"{suggest(spec.subject, subjects, SUBJECTS_FILE)}",
                )
            )
        claimants = self._ids(doc, (*where, "claimant"), spec.claimant, index, "claimant")
        for i, ref in enumerate(spec.via):
            self._entity_ref(doc, (*where, "via", i), ref, index)
        if not spec.quote.strip():
            self.problems.append(doc.error((*where, "quote"), "the quote is empty"))
        published = source.published if source is not None else None
        as_of = self._date(doc, (*where, "as_of"), spec.as_of, published)
        stated = self._date(doc, (*where, "stated"), spec.stated, published)
        for name, when in (("as_of", as_of), ("stated", stated)):
            late = None if when is None or published is None else after_publication(when, published)
            if late is not None:
                self._warn(doc, (*where, name), late)
        value = self._value(doc, where, spec, published, index, subject)
        if isinstance(value, DayCount) and as_of is not None:
            try:  # the series start the count implies must be a date
                as_of.shift(-(value.ordinal - 1))
            except DateError:
                self.problems.append(
                    doc.error(
                        (*where, "count"),
                        f"day {value.ordinal:,} as of {as_of.iso()} would start the series "
                        "before year 1",
                    )
                )
        draft = self._draft(doc, (*where, "draft"), spec)
        if len(self.problems) > before or value is None or source is None:
            return None
        source_id = source.id
        return self._make(
            doc,
            where,
            lambda: Claim(
                id=spec.id,
                subject=spec.subject,
                source=source_id,
                quote=spec.quote,
                claimant=claimants[0],
                value=value,
                via=spec.via,
                as_of=as_of,
                stated=stated,
                section=spec.section,
                notes=spec.notes,
                co_claimants=claimants[1:],
                attribution=spec.attribution,
                draft=draft,
                derived_from=spec.derived_from,
                location=f"{doc.name}:{doc.line((*where, 'id'))}",
            ),
        )

    def _draft(self, doc: Document, where: NodePath, spec: _spec.ClaimSpec) -> DraftMark | None:
        """A draft block's mark; its offsets must span exactly the quote's length."""
        block = spec.draft
        if block is None:
            return None
        offsets = None
        if block.offsets is not None:
            if len(block.offsets) != 2 or not 0 <= block.offsets[0] <= block.offsets[1]:
                self.problems.append(
                    doc.error(
                        (*where, "offsets"),
                        f"expected [start, end] with 0 <= start <= end, got {block.offsets}",
                    )
                )
                return None
            start, end = block.offsets
            if end - start != len(spec.quote):
                self.problems.append(
                    doc.error(
                        (*where, "offsets"),
                        f"[{start}, {end}] spans {end - start} characters; the quote has "
                        f"{len(spec.quote)}",
                    )
                )
                return None
            offsets = (start, end)
        line = doc.line((*where, "offsets"))
        return DraftMark(
            block.rule,
            offsets,
            block.review,
            [s.id for s in block.subjects],
            block.repeats,
            location=doc.name if line is None else f"{doc.name}:{line}",
        )

    def _value(
        self,
        doc: Document,
        where: NodePath,
        spec: _spec.ClaimSpec,
        published: FuzzyDate | None,
        index: EntityIndex,
        subject: Subject | None,
    ) -> ClaimValue | None:
        given = [
            name
            for name in ("value", "count", "date", "statement")
            if getattr(spec, name) is not None
        ]
        if len(given) != 1:
            found = f"found {' and '.join(given)}" if given else "found none"
            self.problems.append(
                doc.error(
                    where, f"a claim needs exactly one of value, count, date, statement ({found})"
                )
            )
            return None
        key = given[0]
        at = (*where, key)
        value: ClaimValue | None
        if key == "value":
            value = self._estimate(doc, at, spec.value)
            if value is not None and subject is not None:
                value = self._in_unit(doc, at, value, subject)
        elif key == "count":
            count = spec.count
            value = self._make(
                doc,
                at,
                lambda: (
                    DayCount.parse(count)
                    if isinstance(count, str)
                    else DayCount(count.ordinal, count.unit, count.text)  # type: ignore[union-attr]
                ),
            )
        elif key == "date":
            value = self._date(doc, at, spec.date, published)
        else:
            statement = spec.statement
            assert statement is not None
            before = len(self.problems)
            speakers = self._ids(doc, (*at, "speaker"), statement.speaker, index, "speaker")
            if len(self.problems) > before:  # reported at the speaker: not again at the statement
                return None
            value = self._make(
                doc,
                at,
                lambda: Statement(speakers[0], statement.stance, statement.mode, speakers[1:]),
            )
        if value is not None and subject is not None:
            self._check_kind(doc, at, value, subject)
        return value

    def _estimate(
        self, doc: Document, where: NodePath, spec: _spec.ValueSpec | None
    ) -> Estimate | None:
        if isinstance(spec, str):
            return self._make(doc, where, lambda: Estimate.parse(spec, policy=self.policy))
        if isinstance(spec, int | float):
            return self._make(doc, where, lambda: Estimate.exact(spec))
        assert isinstance(spec, _spec.EstimateSpec)
        low, high, value = spec.low, spec.high, spec.value
        if low is None and high is None:
            if value is None:
                self.problems.append(doc.error(where, "give low, high or value"))
                return None
            low = high = value
        hedge = spec.hedge if spec.hedge is not None else hedge_for_bounds(low, high)
        if low is not None and high is not None and low > high:
            self.problems.append(
                doc.error((*where, "low"), f"low ({low:,}) is above high ({high:,})")
            )
            return None
        return self._make(
            doc,
            where,
            lambda: Estimate(
                low=low,
                high=high,
                value=value,
                hedge=hedge,
                unit=spec.unit,
                text=spec.text,
                additional=spec.additional,
            ),
        )

    def _in_unit(
        self, doc: Document, where: NodePath, value: Estimate, subject: Subject
    ) -> Estimate | None:
        """The figure in its subject's unit: converted where the units are commensurable (18
        months for a subject in years), a unit mismatch a problem. Figures of subjects that count
        ("people") and carry no measured unit are as written."""
        unit = subject.unit
        if measured_unit(value.unit) is None and measured_unit(unit) is None:
            return value
        if unit is None:
            self.problems.append(
                doc.error(
                    where,
                    f"{value.text or value.interval_text()!r} is in {value.unit}, but subject "
                    f"{subject.id!r} declares no unit: give it 'unit: {value.unit}' in "
                    "subjects.yaml",
                )
            )
            return None
        try:
            return value.to(unit)
        except UnitError as err:
            self.problems.append(
                doc.error(
                    where,
                    f"cannot read {err.text!r} in {unit!r}, the unit of subject {subject.id!r} "
                    f"({err.reason})",
                )
            )
            return None

    def _check_kind(
        self, doc: Document, where: NodePath, value: ClaimValue, subject: Subject
    ) -> None:
        kinds = {
            Estimate: "value",
            DayCount: "count",
            FuzzyDate: "date",
            Statement: "statement",
        }
        expected = {
            SubjectKind.QUANTITY: ("value", "statement"),
            SubjectKind.DAY_COUNT: ("count",),
            SubjectKind.EVENT_DATE: ("date",),
            SubjectKind.STATEMENT: ("statement",),
        }[subject.kind]
        key = kinds[type(value)]
        if key not in expected:
            self.problems.append(
                doc.error(
                    where,
                    (
                        f"subject {subject.id!r} is of kind {subject.kind.value}: its claims use "
                        + " or ".join(f"'{k}:'" for k in expected)
                        + f", not '{key}:'"
                    ),
                )
            )


def sum_problem(total: Estimate, parts: list[Estimate]) -> str | None:
    """Why ``total`` cannot be the sum of ``parts`` (``None``: their summed interval and its own
    overlap; an open bound is open in the sum)."""
    low = sum(-math.inf if p.low is None else p.low for p in parts)
    high = sum(math.inf if p.high is None else p.high for p in parts)
    own_low = -math.inf if total.low is None else total.low
    own_high = math.inf if total.high is None else total.high
    if own_low <= high and low <= own_high:
        return None
    return (
        f"{total.text or total.interval_text()} ({total.interval_text()}) is not the sum of the "
        f"claims it is derived from: {format_interval(low, high)}"
    )

"""The registries: ``entities.yaml`` into an entity index (ids and spellings that tell entities
apart), ``subjects.yaml`` into subjects."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import attrs

from claimtrack import _spec
from claimtrack._names import look_alike, mixed_scripts, suggest
from claimtrack._reader import Reader
from claimtrack._scan import ENTITIES_FILE
from claimtrack._yaml import Document
from claimtrack._yaml import Path as NodePath
from claimtrack.dates import FuzzyDate
from claimtrack.entity import Entity, EntityIndex, name_key
from claimtrack.errors import ClaimFileError, ClaimtrackError
from claimtrack.quantity import Estimate
from claimtrack.subject import QUANTITY_LINKS, LinkKind, Subject, SubjectKind, SubjectLink


class RegistryReader(Reader):
    """Builds the entities and subjects of the registries, recording their problems."""

    def _entities(
        self, read: tuple[Document, _spec.EntitiesFile] | None
    ) -> list[tuple[NodePath, Entity]]:
        if read is None:
            return []
        doc, spec = read
        out: list[tuple[NodePath, Entity]] = []
        for i, item in enumerate(spec.entities):
            entity = self._make(
                doc, ("entities", i), partial(Entity, item.id, item.name, item.kind, item.aliases)
            )
            if entity is not None:
                out.append((("entities", i), entity))
            else:
                self.broken_entities.add(item.id)
        self._lookalikes(doc, "entity", spec.entities, ("id", "name"))
        return out

    def _index(
        self,
        entities: list[tuple[NodePath, Entity]],
        read: tuple[Document, _spec.EntitiesFile] | None,
    ) -> EntityIndex:
        """The index of the entities whose ids and names are their own; an entity whose id or
        spelling another already has is reported at its line and left out (references to it
        are not reported again)."""
        seen: dict[str, NodePath] = {}
        owners: dict[str, tuple[str, str, NodePath]] = {}  # key -> (entity id, spelling, where)
        unique = []
        for where, entity in entities:
            if entity.id in seen and read is not None:
                first = read[0].line(seen[entity.id])
                self.problems.append(
                    read[0].error(
                        (*where, "id"), f"duplicate entity id {entity.id!r} (first at line {first})"
                    )
                )
                continue
            seen[entity.id] = where
            spellings: list[tuple[NodePath, str]] = [
                ((*where, "id"), entity.id),
                ((*where, "name"), entity.name),
                *(((*where, "aliases", j), alias) for j, alias in enumerate(entity.aliases)),
            ]
            keys: dict[str, tuple[str, str, NodePath]] = {}
            clash = False
            for path, spelling in spellings:
                key = name_key(spelling)
                owner = owners.get(key)
                if owner is not None and owner[0] != entity.id and read is not None:
                    other_id, other, other_where = owner
                    self.problems.append(
                        read[0].error(
                            path,
                            f"{spelling!r} is spelled like {other!r} of entity {other_id!r} "
                            f"(line {read[0].line(other_where)}){mixed_scripts(spelling)}; "
                            "names must tell entities apart",
                        )
                    )
                    clash = True
                    break
                keys.setdefault(key, (entity.id, spelling, path))
            if clash:
                self.broken_entities.add(entity.id)
                continue
            owners.update(keys)
            unique.append(entity)
        try:
            return EntityIndex(unique)
        except (ClaimtrackError, ValueError) as exc:
            name = read[0].name if read is not None else ENTITIES_FILE
            self.problems.append(ClaimFileError(name, None, "entities", str(exc)))
            self.entities_ok = False
            return EntityIndex([])

    def _subjects(self, read: tuple[Document, _spec.SubjectsFile] | None) -> dict[str, Subject]:
        if read is None:
            return {}
        doc, spec = read
        out: dict[str, Subject] = {}
        for i, item in enumerate(spec.subjects):
            where: NodePath = ("subjects", i)
            if item.id in out:
                self.problems.append(doc.error((*where, "id"), f"duplicate subject id {item.id!r}"))
                continue
            if item.kind is SubjectKind.QUANTITY and not item.unit:
                self.problems.append(doc.error(where, "a quantity subject needs a unit"))
            subject = self._make(
                doc,
                where,
                partial(
                    Subject,
                    item.id,
                    item.label,
                    item.kind,
                    item.description,
                    item.unit,
                    item.start_of,
                    item.varies,
                    self._links(doc, where, item),
                ),
            )
            if subject is not None:
                out[subject.id] = subject
        for i, item in enumerate(spec.subjects):
            target = out.get(item.start_of) if item.start_of else None
            if item.start_of and (target is None or target.kind is not SubjectKind.DAY_COUNT):
                what = "unknown subject" if target is None else "not a day_count subject"
                self.problems.append(
                    doc.error(
                        ("subjects", i, "start_of"),
                        f"{what} {item.start_of!r}{suggest(item.start_of, out)}",
                    )
                )
        self._lookalikes(doc, "subject", spec.subjects, ("id", "label"))
        self._check_links(doc, spec, out)
        return out

    def _lookalikes(
        self, doc: Document, what: str, items: Sequence[Any], fields: tuple[str, str]
    ) -> None:
        """A warning at each subject (or entity) whose id or label (name) looks like an earlier
        one's (the same words but for order and a letter or two): one added again under a new
        id. Names spelled alike under folding are errors already (see :meth:`_index`)."""
        key = "subjects" if what == "subject" else "entities"
        seen: set[int] = set()
        for field in fields:
            for j, i in look_alike([getattr(item, field) for item in items]):
                if j in seen or items[i].id == items[j].id:
                    continue
                a, b = getattr(items[i], field), getattr(items[j], field)
                if what == "entity" and name_key(a) == name_key(b):
                    continue  # spelled alike: an error of _index, not a warning
                seen.add(j)
                self._warn(
                    doc,
                    (key, j, field),
                    f"{getattr(items[j], field)!r} looks like the {field} of {what} "
                    f"{items[i].id!r} (line {doc.line((key, i))}): if it is the same "
                    f"{what}, use the id {items[i].id!r} and remove this one",
                )

    def _links(
        self, doc: Document, where: NodePath, item: _spec.SubjectSpec
    ) -> tuple[SubjectLink, ...]:
        """The links ``item`` declares, in :class:`LinkKind` order (a ``planned_as`` date that
        cannot be read is reported at its line, and that link left out)."""
        out: list[SubjectLink] = []
        for kind in LinkKind:
            value = getattr(item, kind.value)
            if value is None:
                continue
            if isinstance(value, _spec.PlannedSpec):
                on = self._make(doc, (*where, kind.value, "date"), partial(_date, value.date))
                if on is not None:
                    out.append(SubjectLink(kind, value.subject, on))
                continue
            if isinstance(value, _spec.AboutSpec):
                means = self._make(doc, (*where, kind.value, "means"), partial(_means, value.means))
                if means is not None:
                    out.append(SubjectLink(kind, value.subject, means=means))
                continue
            for target in value if isinstance(value, list) else [value]:
                out.append(SubjectLink(kind, target))
        return tuple(out)

    def _check_links(
        self, doc: Document, spec: _spec.SubjectsFile, subjects: dict[str, Subject]
    ) -> None:
        """Each link's target is a known subject of a kind (and unit) the link can join, and
        the parts and wholes (``part_of``, ``sum_of``) form no cycle."""
        wholes: dict[str, set[str]] = {}  # part -> the wholes it is declared a part of
        checked: set[str] = set()
        for i, item in enumerate(spec.subjects):
            subject = subjects.get(item.id)
            if subject is None or item.id in checked:  # broken, or a duplicate id
                continue
            checked.add(item.id)
            for link in subject.links:
                place = _link_place(i, item, link)
                target = subjects.get(link.target)
                if target is None:
                    self.problems.append(
                        doc.error(
                            place,
                            f"unknown subject {link.target!r}{suggest(link.target, subjects)}",
                        )
                    )
                    continue
                problem = link_problem(subject, link.kind, target)
                if problem is None and link.kind is LinkKind.RELATED_TO and target.id in checked:
                    back = SubjectLink(LinkKind.RELATED_TO, subject.id)
                    if back in target.links:  # a symmetric link, declared on both subjects
                        problem = (
                            f"{target.id!r} declares related_to {subject.id!r} already (a "
                            "related_to link is declared once, on either subject)"
                        )
                if problem is not None:
                    self.problems.append(doc.error(place, problem))
                    continue
                if link.kind is LinkKind.PART_OF:
                    wholes.setdefault(subject.id, set()).add(target.id)
                elif link.kind is LinkKind.SUM_OF:
                    wholes.setdefault(target.id, set()).add(subject.id)
        reported: set[frozenset[str]] = set()
        for i, item in enumerate(spec.subjects):
            cycle = _cycle(item.id, wholes)
            if cycle is not None and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                key = "part_of" if item.part_of is not None else "sum_of"
                path = ("subjects", i, key) if getattr(item, key) is not None else ("subjects", i)
                self.problems.append(
                    doc.error(
                        path,
                        "parts and wholes form a cycle: "
                        + " is part of ".join(cycle)
                        + " (a part cannot contain its whole)",
                    )
                )

    # -- sources and claims ------------------------------------------------------------------


def _date(value: str | int) -> FuzzyDate:
    return FuzzyDate.parse(str(value))


NONE_WORDS = frozenset({"none", "nothing"})
"""What ``means:`` of an ``about`` link may say for zero (besides ``zero`` and ``0``)."""


def _means(value: str | float) -> Estimate:
    """The figure an ``about`` link's proposition means: ``none`` (zero), or a phrase read like a
    claim's value ("at least 100"); an additional amount ("dozens more") is refused."""
    text = (f"{value:g}" if isinstance(value, float) else str(value)).strip()
    estimate = Estimate.parse("zero") if text.lower() in NONE_WORDS else Estimate.parse(text)
    if estimate.additional:
        raise ValueError(f"{text!r} is an additional amount; means is a figure of the subject")
    return attrs.evolve(estimate, text=text)


def _link_place(i: int, item: _spec.SubjectSpec, link: SubjectLink) -> NodePath:
    """Where in ``subjects.yaml`` a link is written (a ``sum_of`` target: its item)."""
    if link.kind is LinkKind.SUM_OF and item.sum_of is not None:
        return ("subjects", i, "sum_of", item.sum_of.index(link.target))
    if link.kind in (LinkKind.PLANNED_AS, LinkKind.ABOUT):
        return ("subjects", i, link.kind.value, "subject")
    return ("subjects", i, link.kind.value)


def link_problem(subject: Subject, kind: LinkKind, target: Subject) -> str | None:
    """Why ``subject`` cannot be linked to ``target`` by ``kind`` (``None``: it can)."""
    if kind in QUANTITY_LINKS:
        if subject.kind is not SubjectKind.QUANTITY or target.kind is not SubjectKind.QUANTITY:
            return (
                f"links two quantity subjects; {subject.id!r} is {subject.kind.value} and "
                f"{target.id!r} is {target.kind.value}"
            )
        if subject.unit != target.unit:
            return (
                f"the units differ: {subject.id!r} counts {subject.unit!r}, {target.id!r} "
                f"counts {target.unit!r} (a link adds or bounds figures of one unit)"
            )
        return None
    wanted = {
        LinkKind.NEGATES: (SubjectKind.STATEMENT, SubjectKind.STATEMENT),
        LinkKind.FOLLOWS: (None, SubjectKind.EVENT_DATE),
        LinkKind.ENDS: (SubjectKind.EVENT_DATE, SubjectKind.STATEMENT),
        LinkKind.PLANNED_AS: (SubjectKind.STATEMENT, SubjectKind.EVENT_DATE),
        LinkKind.RELATED_TO: (SubjectKind.STATEMENT, SubjectKind.STATEMENT),
        LinkKind.ABOUT: (SubjectKind.STATEMENT, SubjectKind.QUANTITY),
    }[kind]
    for side, need in zip((subject, target), wanted, strict=True):
        if need is not None and side.kind is not need:
            return f"{side.id!r} is {side.kind.value}, not {need.value}"
    return None


def _cycle(start: str, wholes: dict[str, set[str]]) -> list[str] | None:
    """A cycle of parts and wholes through ``start`` (``start`` first and last), if any."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for whole in sorted(wholes.get(node, ())):
            if whole == start:
                return [*path, start]
            if whole not in seen:
                seen.add(whole)
                stack.append((whole, [*path, whole]))
    return None

"""The loader's shared state and reading steps: a file into a YAML document, a document into the
spec's classes, ids, dates and entity references checked, every problem recorded with its place."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import attrs

from claimtrack import _spec
from claimtrack._date_checks import written_elsewhere
from claimtrack._ids import ID_PATTERN
from claimtrack._names import suggest
from claimtrack._read import ReadRefused, read_bounded
from claimtrack._scan import ENTITIES_FILE
from claimtrack._yaml import Document, format_path, read_document
from claimtrack._yaml import Path as NodePath
from claimtrack.dates import FuzzyDate
from claimtrack.entity import EntityIndex, name_key
from claimtrack.errors import ClaimFileError, ClaimFileWarning, ClaimtrackError, ParseError
from claimtrack.quantity import HedgePolicy
from claimtrack.subject import Subject

_T = TypeVar("_T")


@attrs.define
class Reader:
    policy: HedgePolicy
    max_bytes: int
    problems: list[ClaimFileError] = attrs.Factory(list)

    entities_ok: bool = True
    """Whether the entity registry was read: if not, references to entities are not checked
    (each would fail only because the registry did)."""
    subjects_ok: bool = True
    broken_entities: set[str] = attrs.Factory(set)
    """Ids of entities whose definition has a problem: references to them are not reported."""
    one_file: bool = False
    """Whether one claim file is read (not a folder): references to other files' sources cannot
    be checked."""
    warnings: list[ClaimFileWarning] = attrs.Factory(list)
    """What is possible but suspect (see :mod:`claimtrack._date_checks`)."""

    def _warn(self, doc: Document, where: NodePath, message: str) -> None:
        self.warnings.append(
            ClaimFileWarning(doc.name, doc.line(where), format_path(where), message)
        )

    # -- reading -----------------------------------------------------------------------------

    def _document(self, path: Path) -> Document | None:
        name = str(path)
        try:
            raw = read_bounded(path, self.max_bytes)
        except ReadRefused as exc:
            self.problems.append(ClaimFileError(name, None, "", exc.reason))
            return None
        try:
            doc = read_document(name, raw, self.max_bytes)
        except ClaimFileError as exc:
            self.problems.append(exc)
            return None
        self.problems.extend(doc.problems)
        if doc.refused:
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(doc.error((), "expected a mapping at the top of the file"))
            return None
        return doc

    def _structure(self, doc: Document, where: NodePath, data: Any, shape: type[_T]) -> _T | None:
        try:
            return _spec.CONVERTER.structure(data, shape)
        except Exception as exc:  # cattrs groups every problem of the value
            for sub_path, message in _spec.walk_errors(exc):
                self.problems.append(doc.error((*where, *sub_path), message))
            return None

    def _read(self, path: Path, shape: type[_T]) -> tuple[Document, _T] | None:
        doc = self._document(path)
        if doc is None:
            return None
        spec = self._structure(doc, (), doc.data, shape)
        return None if spec is None else (doc, spec)

    def _registry(
        self, path: Path, shape: type[_T], what: str, refused: set[Path]
    ) -> tuple[Document, _T] | None:
        if path in refused:
            return None
        if not os.path.lexists(path):
            self.problems.append(
                ClaimFileError(str(path), None, "", f"missing: the {what} registry is required")
            )
            return None
        return self._read(path, shape)

    # -- registries --------------------------------------------------------------------------

    # -- checks --------------------------------------------------------------------------------

    def _known_subject(self, subject: str, subjects: dict[str, Subject]) -> bool:
        """Whether ``subject`` is known, or cannot be checked (no subjects registry)."""
        return subject in subjects or not self.subjects_ok

    def _make(self, doc: Document, where: NodePath, build: Callable[[], _T]) -> _T | None:
        try:
            return build()
        except (ParseError, ValueError, TypeError) as exc:
            self.problems.append(doc.error(where, str(exc)))
            return None

    def _check_id(self, doc: Document, where: NodePath, value: str) -> bool:
        if ID_PATTERN.match(value):
            return True
        self.problems.append(
            doc.error(
                where,
                (
                    f"{value!r} is not a valid id (lowercase letters, digits, '.', '_', ':', '-'; "
                    "starting with a letter or digit)"
                ),
            )
        )
        return False

    def _entity_ref(self, doc: Document, where: NodePath, ref: str, index: EntityIndex) -> None:
        """Record a problem unless ``ref`` is the id of a known entity (or of one whose own
        definition is broken, or there is no registry: that problem is reported already)."""
        if ref in index or ref in self.broken_entities or not self.entities_ok:
            return
        try:
            entity = index.resolve(ref)
        except (ClaimtrackError, LookupError):
            ids = [e.id for e in index]
            close = suggest(ref, ids, ENTITIES_FILE)
            self.problems.append(doc.error(where, f"unknown entity {ref!r}{close}"))
            return
        if name_key(ref) in {name_key(name) for name in entity.names}:
            message = f"{ref!r} is a name of entity {entity.id!r}: write the id {entity.id!r}"
        else:
            message = f"unknown entity {ref!r} (did you mean {entity.id!r}?)"
        self.problems.append(doc.error(where, message))

    def _date(
        self,
        doc: Document,
        where: NodePath,
        spec: _spec.DateSpec | None,
        reference: FuzzyDate | None,
    ) -> FuzzyDate | None:
        if spec is None:
            return None
        written: str | None = None
        text: str | int
        at = where
        if isinstance(spec, _spec.ExplicitDate):
            text, written = spec.date, spec.written
            where = (*where, "date")
        else:
            text = spec
        try:
            if isinstance(text, int):
                if not 1000 <= text <= 9999:
                    raise ValueError(f"{text} is not a year; write dates as text like '2019-09-03'")
                text = str(text)
            value = FuzzyDate.parse(text, reference=reference)
            if written is not None:
                value = attrs.evolve(value, written=written)
                elsewhere = written_elsewhere(value, reference)
                if elsewhere is not None:
                    self._warn(doc, (*at, "written"), elsewhere)
            return value
        except (ParseError, ValueError) as exc:
            self.problems.append(doc.error(where, str(exc)))
            return None

"""The two registries of a claims folder, read on their own.

``claimtrack.load`` reads a whole folder and wants at least one source file; a new project has
none yet, and searching its registries must work all the same. Problems are reported as
:class:`ClaimFileError` (file and field; run ``claimtrack validate`` for the line numbers once the
project has a source).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import yaml

from claimtrack import _spec
from claimtrack._read import ReadRefused, read_bounded
from claimtrack.dates import FuzzyDate
from claimtrack.entity import Entity, EntityIndex
from claimtrack.errors import AmbiguousNameError, ClaimFileError, ValidationError
from claimtrack.subject import LinkKind, Subject, SubjectLink

ENTITIES = "entities.yaml"
SUBJECTS = "subjects.yaml"
MAX_BYTES = 10 * 1024 * 1024

# the keys the claim-file spec allows (one definition of the format: _spec)
_ENTITY_KEYS = tuple(f.name for f in attrs.fields(_spec.EntitySpec))
_SUBJECT_KEYS = tuple(f.name for f in attrs.fields(_spec.SubjectSpec))


def is_project(folder: Path) -> bool:
    """Whether ``folder`` holds both registries."""
    return (folder / ENTITIES).is_file() and (folder / SUBJECTS).is_file()


def read_yaml(path: Path) -> Any:
    """A small UTF-8 YAML file as plain data; a one-line :class:`ClaimFileError` otherwise."""
    where = str(path)
    try:  # bounded: a FIFO or a device is refused, never read
        raw = read_bounded(path, MAX_BYTES)
    except ReadRefused as exc:
        reason = "no such file" if exc.kind == "missing" else exc.reason
        raise ClaimFileError(where, None, "", reason) from None
    if b"\0" in raw:
        raise ClaimFileError(where, None, "", "not a text file (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClaimFileError(
            where, None, "", f"not UTF-8 text (byte at offset {exc.start})"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ClaimFileError(where, line, "", "malformed YAML") from None


def _items(
    path: Path, key: str, problems: list[ClaimFileError]
) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = read_yaml(path)
    except ClaimFileError as exc:
        problems.append(exc)
        return []
    if not isinstance(data, dict) or set(data) != {key} or not isinstance(data[key], list):
        problems.append(ClaimFileError(str(path), None, key, f"expected '{key}:' and a list"))
        return []
    items = []
    for i, item in enumerate(data[key]):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            problems.append(ClaimFileError(str(path), None, where, "expected a mapping"))
        else:
            items.append((where, item))
    return items


def _build(path: Path, where: str, cls: Any, keys: tuple[str, ...], item: dict[str, Any]) -> Any:
    unknown = sorted(str(k) for k in item if k not in keys)
    if unknown:
        raise ClaimFileError(str(path), None, where, f"unknown key {unknown[0]!r}")
    try:
        return cls(**item)
    except (TypeError, ValueError) as exc:
        raise ClaimFileError(str(path), None, where, str(exc)) from None


def _subject(**item: Any) -> Subject:
    """A subject from its item, its link keys (``adds_to: ...``) made into its links."""
    links = []
    for kind in LinkKind:
        value = item.pop(kind.value, None)
        if value is None:
            continue
        if kind is LinkKind.PLANNED_AS:
            if not isinstance(value, dict) or set(value) != {"subject", "date"}:
                raise ValueError("planned_as: expected {subject: ..., date: ...}")
            links.append(SubjectLink(kind, value["subject"], FuzzyDate.parse(str(value["date"]))))
            continue
        for target in value if isinstance(value, list) else [value]:
            links.append(SubjectLink(kind, target))
    return Subject(**item, links=links)


def read_registries(folder: Path) -> tuple[EntityIndex, dict[str, Subject]]:
    """The entities and subjects of the claims folder ``folder``; ValidationError on problems."""
    problems: list[ClaimFileError] = []
    entities: list[Entity] = []
    subjects: dict[str, Subject] = {}
    for where, item in _items(folder / ENTITIES, "entities", problems):
        try:
            entities.append(_build(folder / ENTITIES, where, Entity, _ENTITY_KEYS, item))
        except ClaimFileError as exc:
            problems.append(exc)
    for where, item in _items(folder / SUBJECTS, "subjects", problems):
        try:
            subject = _build(folder / SUBJECTS, where, _subject, _SUBJECT_KEYS, item)
        except ClaimFileError as exc:
            problems.append(exc)
            continue
        if subject.id in subjects:
            problems.append(
                ClaimFileError(str(folder / SUBJECTS), None, where, f"duplicate id {subject.id!r}")
            )
        subjects[subject.id] = subject
    index = None
    try:
        index = EntityIndex(entities)
    except (ValueError, AmbiguousNameError) as exc:
        problems.append(ClaimFileError(str(folder / ENTITIES), None, "entities", str(exc)))
    if problems or index is None:
        raise ValidationError(problems)
    return index, subjects

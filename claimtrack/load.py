"""Loading claim files: YAML in, a ClaimSet or every problem (with file and line) out.

The steps live in private modules: :mod:`claimtrack._scan` finds the claim files of a folder,
:mod:`claimtrack._reader` reads one into the spec's classes, :mod:`claimtrack._registries` builds
the entities and subjects, :mod:`claimtrack._build` the sources and claims, and
:mod:`claimtrack._names` suggests the ids a misspelling was meant to be.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from claimtrack import _spec
from claimtrack._build import ClaimBuilder
from claimtrack._registries import RegistryReader
from claimtrack._scan import (
    CLAIM_SUFFIXES,
    ENTITIES_FILE,
    PROJECT_FILES,
    REGISTRIES,
    SUBJECTS_FILE,
    claim_files,
    inside,
    scan,
)
from claimtrack._yaml import MAX_BYTES, Document
from claimtrack.claimset import ClaimSet
from claimtrack.entity import EntityIndex
from claimtrack.errors import ClaimFileError, ClaimFileWarning, InputTypeError, ValidationError
from claimtrack.quantity import DEFAULT_HEDGE_POLICY, HedgePolicy
from claimtrack.subject import Subject

__all__ = [
    "CLAIM_SUFFIXES",
    "ENTITIES_FILE",
    "REGISTRIES",
    "SUBJECTS_FILE",
    "Registries",
    "claim_files",
    "load",
    "load_registries",
    "validate",
]


@attrs.frozen
class Registries:
    """The two registries of a claims folder: its entities and its subjects by id."""

    entities: EntityIndex
    subjects: Mapping[str, Subject]


def load_registries(
    folder: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_BYTES,
    warnings: list[ClaimFileWarning] | None = None,
) -> Registries:
    """The ``entities.yaml`` and ``subjects.yaml`` of the claims folder ``folder`` (or of a claim
    file's folder), read and checked as :func:`load` reads them, without any claim file: a new
    project has none yet. Raises :class:`ValidationError` with every problem, each as
    ``file:line: field: what is wrong``; warnings (a subject that looks like another) are
    appended to ``warnings`` when it is a list."""
    root = Path(os.fsdecode(folder))
    if root.is_file():
        root = root.parent
    loader = _Loader(DEFAULT_HEDGE_POLICY, max_bytes)
    paths = [root / name for name in REGISTRIES]
    entities = loader._registry(paths[0], _spec.EntitiesFile, "entities", set())
    subjects = loader._registry(paths[1], _spec.SubjectsFile, "subjects", set())
    index = loader._index(loader._entities(entities), entities)
    subject_map = loader._subjects(subjects)
    if warnings is not None:
        warnings.extend(sorted(loader.warnings, key=lambda w: (w.path, w.line or 0)))
    if loader.problems:
        raise ValidationError(sorted(loader.problems, key=lambda e: (e.path, e.line or 0)))
    return Registries(index, MappingProxyType(subject_map))


def load(
    path: str | os.PathLike[str],
    *,
    policy: HedgePolicy = DEFAULT_HEDGE_POLICY,
    max_bytes: int = MAX_BYTES,
    warnings: list[ClaimFileWarning] | None = None,
) -> ClaimSet:
    """Load a folder of claim files (or one file) into a :class:`ClaimSet`.

    A folder holds ``entities.yaml``, ``subjects.yaml`` and one file per source; when ``path`` is a
    single source file, the registries are read from its folder. Quantity phrases are read under
    ``policy``. Raises :class:`ValidationError` listing every problem found, each as
    ``file:line: field: what is wrong``. When ``warnings`` is a list, the
    :class:`~claimtrack.errors.ClaimFileWarning` of the files (suspect dates) are appended to it,
    in file and line order; they never stop the load.
    """
    claims, problems = _run(path, policy, max_bytes, warnings)
    if problems:
        raise ValidationError(problems)
    assert claims is not None
    return claims


def validate(
    path: str | os.PathLike[str],
    *,
    policy: HedgePolicy = DEFAULT_HEDGE_POLICY,
    max_bytes: int = MAX_BYTES,
    warnings: list[ClaimFileWarning] | None = None,
) -> list[ClaimFileError]:
    """Every problem in the claim files at ``path``, in file and line order (empty when valid).

    When ``warnings`` is a list, the warnings found are appended to it, as :func:`load` does.
    """
    return _run(path, policy, max_bytes, warnings)[1]


def _run(
    path: str | os.PathLike[str],
    policy: HedgePolicy,
    max_bytes: int,
    warnings: list[ClaimFileWarning] | None,
) -> tuple[ClaimSet | None, list[ClaimFileError]]:
    if warnings is not None and not isinstance(warnings, list):
        raise InputTypeError.of("load", "a list to collect warnings in (warnings=)", warnings)
    loader = _Loader(policy, max_bytes)
    claims, problems = loader.run(path)
    if warnings is not None:
        warnings.extend(sorted(loader.warnings, key=lambda w: (w.path, w.line or 0)))
    return claims, problems


class _Loader(RegistryReader, ClaimBuilder):
    """Reads a folder (or one file) of claim files into a ClaimSet, recording every problem."""

    def run(self, where: str | os.PathLike[str]) -> tuple[ClaimSet | None, list[ClaimFileError]]:
        if not isinstance(where, str | os.PathLike):
            raise InputTypeError.of("load", "a path (str or os.PathLike)", where)
        if os.fspath(where) in ("", b""):
            return None, [
                ClaimFileError("''", None, "", "empty path: name a claims folder or a claim file")
            ]
        root = Path(os.fsdecode(where))
        if "\x00" in str(root):
            return None, [
                ClaimFileError(repr(str(root)), None, "", "not a valid path (a NUL byte)")
            ]
        if not root.exists():
            return None, [ClaimFileError(str(root), None, "", "no such file or folder")]
        if root.is_dir():
            files, scan_problems = scan(root)
            if any(p.path == str(root) for p in scan_problems):  # the folder itself is unreadable
                return None, scan_problems
            self.problems.extend(scan_problems)
            folder = root
        else:
            files, folder = [root], root.parent
            self.one_file = True
        registry_paths = [folder / name for name in REGISTRIES]
        for path in registry_paths:  # one claim file: its folder's registries, by the same rule
            if not root.is_dir() and path.is_symlink() and not inside(path, folder):
                self.problems.append(
                    ClaimFileError(
                        str(path),
                        None,
                        "",
                        f"symbolic link to {path.resolve()}, outside {folder}: not followed "
                        "(claim files must be inside the folder)",
                    )
                )
        refused = {p for p in registry_paths if str(p) in {e.path for e in self.problems}}
        sources_files = [f for f in files if f.name not in PROJECT_FILES or f.parent != folder]
        entities = self._registry(registry_paths[0], _spec.EntitiesFile, "entities", refused)
        subjects = self._registry(registry_paths[1], _spec.SubjectsFile, "subjects", refused)
        self.entities_ok, self.subjects_ok = entities is not None, subjects is not None
        if not sources_files and root.is_dir():
            self.problems.append(ClaimFileError(str(root), None, "", "no claim files found"))
        entity_list = self._entities(entities)
        index = self._index(entity_list, entities)
        subject_map = self._subjects(subjects)
        loaded = [read for read in map(self._read_source, sources_files) if read is not None]
        sources, claims = self._build(loaded, index, subject_map)
        problems = sorted(self.problems, key=lambda e: (e.path, e.line or 0))
        if problems:
            return None, problems
        return ClaimSet(claims, sources, subject_map, index), []

    # -- reading -----------------------------------------------------------------------------

    def _read_source(
        self, path: Path
    ) -> (
        tuple[Document, _spec.SourceSpec | None, list[_spec.ClaimSpec | dict[str, Any] | None]]
        | None
    ):
        """A source file, structured block by block and claim by claim, so one bad claim does
        not hide the problems of the others."""
        doc = self._document(path)
        if doc is None:
            return None
        data: dict[str, Any] = doc.data
        for key in data:
            if key not in ("source", "claims"):
                self.problems.append(
                    doc.error(
                        (key,), f"unknown key {key!r}; a claim file has 'source:' and 'claims:'"
                    )
                )
        if "source" not in data:
            self.problems.append(doc.error((), "missing 'source:' (the document's metadata)"))
            return None
        source = self._structure(doc, ("source",), data["source"], _spec.SourceSpec)
        items = data.get("claims", [])
        if not isinstance(items, list):
            self.problems.append(
                doc.error(("claims",), f"expected a list, got {type(items).__name__}")
            )
            items = []
        claims: list[_spec.ClaimSpec | dict[str, Any] | None] = []
        before = len(self.problems)
        for i, item in enumerate(items):
            if len(self.problems) - before >= _spec.MAX_ITEM_ERRORS:
                self.problems.append(
                    doc.error(
                        ("claims", i),
                        f"more than {_spec.MAX_ITEM_ERRORS} problems in this file; "
                        f"the other {len(items) - i:,} claims are not checked",
                    )
                )
                claims = [None] * len(claims)  # the file has failed: no claim of it is built
                break
            spec = self._structure(doc, ("claims", i), item, _spec.ClaimSpec)
            # a claim that failed to structure is kept raw, so its references are still checked
            claims.append(spec if spec is not None else (item if isinstance(item, dict) else None))
        return doc, source, claims

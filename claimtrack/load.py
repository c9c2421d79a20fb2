"""Loading claim files: YAML in, a ClaimSet or every problem (with file and line) out."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import attrs
from rapidfuzz import process

from claimtrack import _spec
from claimtrack._ids import ID_PATTERN
from claimtrack._read import ReadRefused, read_bounded
from claimtrack._yaml import MAX_BYTES, Document, read_document
from claimtrack._yaml import Path as NodePath
from claimtrack.claim import Claim, ClaimValue, DayCount, DraftMark, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate
from claimtrack.entity import Entity, EntityIndex, name_key
from claimtrack.errors import (
    ClaimFileError,
    ClaimtrackError,
    DateError,
    InputTypeError,
    ParseError,
    ValidationError,
)
from claimtrack.quantity import DEFAULT_HEDGE_POLICY, Estimate, HedgePolicy, hedge_for_bounds
from claimtrack.source import Source
from claimtrack.subject import Subject, SubjectKind

ENTITIES_FILE = "entities.yaml"
SUBJECTS_FILE = "subjects.yaml"
REGISTRIES = (ENTITIES_FILE, SUBJECTS_FILE)

_T = TypeVar("_T")


def claim_files(path: str | os.PathLike[str]) -> list[Path]:
    """The claim files at ``path``: the file itself, or every claim file below a folder.

    See :func:`_scan` for the rules; the problems it finds are reported by :func:`validate`.
    """
    root = Path(path)
    if root.is_dir():
        return _scan(root)[0]
    return [root]


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


CLAIM_SUFFIXES = (".yaml", ".yml")
"""The suffixes of claim files, in any case (``.YAML`` too)."""


def _scan(root: Path) -> tuple[list[Path], list[ClaimFileError]]:
    """Every claim file below the folder ``root``, and the problems met on the way.

    Claim files end in ``.yaml`` or ``.yml`` in any case; other files are not claim files. A
    symbolic link is followed when it leads inside ``root``; one leading outside is refused
    loudly, as is a broken one, a folder that cannot be read, and (when read) a claim file that
    is not a regular file. A file or folder reached twice (through a link) is read once.
    """
    problems: list[ClaimFileError] = []
    files: list[Path] = []
    real_root = root.resolve()
    seen_dirs = {real_root}
    seen_files: set[Path] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                ClaimFileError(str(folder), None, "", f"cannot read folder: {exc.strerror or exc}")
            )
            continue
        for entry in entries:
            path = Path(entry.path)
            is_claim = path.suffix.lower() in CLAIM_SUFFIXES
            try:
                real = path.resolve(strict=True)
                is_dir = entry.is_dir()
            except (OSError, RuntimeError):  # a broken link, or a loop of links
                if entry.is_symlink():
                    problems.append(
                        ClaimFileError(str(path), None, "", "broken symbolic link: not followed")
                    )
                continue
            if entry.is_symlink() and not real.is_relative_to(real_root) and (is_claim or is_dir):
                problems.append(
                    ClaimFileError(
                        str(path),
                        None,
                        "",
                        f"symbolic link to {real}, outside {root}: not followed "
                        "(claim files must be inside the folder)",
                    )
                )
                continue
            if is_dir:
                if real not in seen_dirs:
                    seen_dirs.add(real)
                    stack.append(path)
            elif is_claim and real not in seen_files:
                seen_files.add(real)
                files.append(path)
    return sorted(files), problems


def load(
    path: str | os.PathLike[str],
    *,
    policy: HedgePolicy = DEFAULT_HEDGE_POLICY,
    max_bytes: int = MAX_BYTES,
) -> ClaimSet:
    """Load a folder of claim files (or one file) into a :class:`ClaimSet`.

    A folder holds ``entities.yaml``, ``subjects.yaml`` and one file per source; when ``path`` is a
    single source file, the registries are read from its folder. Quantity phrases are read under
    ``policy``. Raises :class:`ValidationError` listing every problem found, each as
    ``file:line: field: what is wrong``.
    """
    claims, problems = _Loader(policy, max_bytes).run(path)
    if problems:
        raise ValidationError(problems)
    assert claims is not None
    return claims


def validate(
    path: str | os.PathLike[str],
    *,
    policy: HedgePolicy = DEFAULT_HEDGE_POLICY,
    max_bytes: int = MAX_BYTES,
) -> list[ClaimFileError]:
    """Every problem in the claim files at ``path``, in file and line order (empty when valid)."""
    return _Loader(policy, max_bytes).run(path)[1]


def _mixed_scripts(text: str) -> str:
    """ ", which mixes scripts: 'і' (U+0456, CYRILLIC ...) among Latin letters" or ""."""
    for word in text.split():
        letters = [c for c in word if c.isalpha()]
        scripts = {_script(c) for c in letters}
        if len(scripts) > 1 and "LATIN" in scripts:
            odd = next(c for c in letters if _script(c) != "LATIN")
            name = unicodedata.name(odd, "?")
            return f", which mixes scripts: {odd!r} (U+{ord(odd):04X} {name}) among Latin letters"
    return ""


def _script(char: str) -> str:
    return "LATIN" if char.isascii() else unicodedata.name(char, "?").split()[0]


def _suggest(key: str, known: Any) -> str:
    matches = process.extract(key, list(known), limit=2, score_cutoff=70)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(repr(m[0]) for m in matches) + "?)"


@attrs.define
class _Loader:
    policy: HedgePolicy
    max_bytes: int
    problems: list[ClaimFileError] = attrs.Factory(list)

    entities_ok: bool = True
    """Whether the entity registry was read: if not, references to entities are not checked
    (each would fail only because the registry did)."""
    subjects_ok: bool = True
    broken_entities: set[str] = attrs.Factory(set)
    """Ids of entities whose definition has a problem: references to them are not reported."""

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
            files, scan_problems = _scan(root)
            if any(p.path == str(root) for p in scan_problems):  # the folder itself is unreadable
                return None, scan_problems
            self.problems.extend(scan_problems)
            folder = root
        else:
            files, folder = [root], root.parent
        registry_paths = [folder / name for name in REGISTRIES]
        for path in registry_paths:  # one claim file: its folder's registries, by the same rule
            if not root.is_dir() and path.is_symlink() and not _inside(path, folder):
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
        sources_files = [f for f in files if f.name not in REGISTRIES or f.parent != folder]
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
                            f"(line {read[0].line(other_where)}){_mixed_scripts(spelling)}; "
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
                        f"{what} {item.start_of!r}{_suggest(item.start_of, out)}",
                    )
                )
        return out

    # -- sources and claims ------------------------------------------------------------------

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
            self.problems.append(doc.error(where, f"unknown entity {ref!r}{_suggest(ref, ids)}"))
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
            return value
        except (ParseError, ValueError) as exc:
            self.problems.append(doc.error(where, str(exc)))
            return None

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
        for doc, source_spec, claim_specs in loaded:
            source = None if source_spec is None else self._source(doc, source_spec, index)
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
        return sources, claims

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
                    (*where, "subject"), f"unknown subject {subject!r}{_suggest(subject, subjects)}"
                )
            )
        refs: list[tuple[NodePath, object]] = [((*where, "claimant"), item.get("claimant"))]
        via = item.get("via")
        if isinstance(via, list):
            refs += [((*where, "via", i), v) for i, v in enumerate(via)]
        statement = item.get("statement")
        if isinstance(statement, dict):
            refs.append(((*where, "statement", "speaker"), statement.get("speaker")))
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
                    f"unknown subject {spec.subject!r}{_suggest(spec.subject, subjects)}",
                )
            )
        for field, ref in [("claimant", spec.claimant)] + [
            (("via", i), v) for i, v in enumerate(spec.via)
        ]:
            path = (*where, *((field,) if isinstance(field, str) else field))
            self._entity_ref(doc, path, ref, index)
        if not spec.quote.strip():
            self.problems.append(doc.error((*where, "quote"), "the quote is empty"))
        published = source.published if source is not None else None
        as_of = self._date(doc, (*where, "as_of"), spec.as_of, published)
        stated = self._date(doc, (*where, "stated"), spec.stated, published)
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
                claimant=spec.claimant,
                value=value,
                via=spec.via,
                as_of=as_of,
                stated=stated,
                section=spec.section,
                notes=spec.notes,
                draft=draft,
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
        return DraftMark(
            block.rule, offsets, block.review, [s.id for s in block.subjects], block.repeats
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
            self._entity_ref(doc, (*at, "speaker"), statement.speaker, index)
            value = self._make(
                doc, at, lambda: Statement(statement.speaker, statement.stance, statement.mode)
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

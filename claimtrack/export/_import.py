"""``claimtrack import csv``: rows of a spreadsheet (the CSV export's columns) in, claim files out.

Every row is checked the way a claim file is (ids, references to the project's registries,
values, dates); each broken row gives one :class:`ClaimFileError` with its line number in the
CSV. Nothing is written unless every row is good.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

import attrs
from rapidfuzz import process

from claimtrack._read import ReadRefused, read_bounded
from claimtrack._registry_files import ENTITIES, SUBJECTS, is_project
from claimtrack.claim import Claim, ClaimValue, DayCount, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate
from claimtrack.dump import dump
from claimtrack.entity import EntityIndex
from claimtrack.errors import (
    ClaimFileError,
    ClaimtrackError,
    ParseError,
    ProjectError,
    ValidationError,
)
from claimtrack.export._rows import COLUMNS, LIST_SEPARATOR, restore
from claimtrack.load import load, load_registries, validate
from claimtrack.quantity import Estimate
from claimtrack.source import Source
from claimtrack.subject import Subject, SubjectKind

MAX_CSV_BYTES = 64 * 1024 * 1024
"""The largest CSV file imported (64 MiB: rows repeat their source's cells)."""

REQUIRED = ("claim", "source", "subject", "kind", "claimant", "quote")
REQUIRED_SOURCE = ("source_title", "source_publisher", "source_published")


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(column, message)
        self.column = column
        self.message = message


def _read(path: Path) -> str:
    where = str(path)
    try:  # bounded: a FIFO or a device is refused, never read
        raw = read_bounded(path, MAX_CSV_BYTES)
    except ReadRefused as exc:
        reason = "no such file" if exc.kind == "missing" else exc.reason
        raise ClaimFileError(where, None, "", reason) from None
    if b"\0" in raw:
        raise ClaimFileError(where, None, "", "not a text file (it contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClaimFileError(
            where, None, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def _suggest(key: str, known: list[str]) -> str:
    close = [m[0] for m in process.extract(key, known, limit=2, score_cutoff=70)]
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def _entity(entities: EntityIndex, column: str, ref: str) -> str:
    if ref not in entities:
        close = entities.suggest(ref)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise _RowError(column, f"unknown entity {ref!r}{hint}")
    return ref


def _date(cells: dict[str, str], column: str, reference: FuzzyDate | None) -> FuzzyDate | None:
    text, written = cells.get(column, ""), cells.get(f"{column}_written", "")
    if not text:
        if written:
            return _parse_date(f"{column}_written", written, reference)
        return None
    date = _parse_date(column, text, reference)
    return attrs.evolve(date, written=written or date.written)


def _parse_date(column: str, text: str, reference: FuzzyDate | None) -> FuzzyDate:
    try:
        return FuzzyDate.parse(text, reference=reference)
    except ParseError as exc:
        raise _RowError(column, str(exc)) from None


def _number(cells: dict[str, str], column: str) -> float | None:
    text = cells.get(column, "").strip()
    if not text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise _RowError(column, f"expected a number, got {text!r}") from None


def _value(
    cells: dict[str, str],
    kind: SubjectKind,
    subject: Subject,
    published: FuzzyDate,
    entities: EntityIndex,
) -> ClaimValue:
    text = cells.get("text", "") or None
    if kind is SubjectKind.QUANTITY:
        low, high = _number(cells, "low"), _number(cells, "high")
        unit = cells.get("unit", "").strip() or None
        if low is None and high is None:
            if text is None:
                raise _RowError("text", "a quantity needs its phrase (text) or low and high")
            try:
                return Estimate.parse(text, unit=unit)
            except ParseError as exc:
                raise _RowError("text", str(exc)) from None
        additional = cells.get("additional", "").strip().lower()
        if additional not in ("", "true", "false"):
            raise _RowError("additional", f"expected true or false, got {additional!r}")
        return Estimate(
            low=low,
            high=high,
            value=_number(cells, "value"),
            hedge=cells.get("hedge", "").strip() or "exact",
            unit=unit,
            text=text,
            additional=additional == "true",
        )
    if kind is SubjectKind.DAY_COUNT:
        ordinal = cells.get("ordinal", "").strip()
        if not ordinal:
            if text is None:
                raise _RowError("text", "a day count needs its phrase (text) or ordinal")
            try:
                return DayCount.parse(text)
            except ParseError as exc:
                raise _RowError("text", str(exc)) from None
        if not ordinal.isdigit():
            raise _RowError("ordinal", f"expected a whole number, got {ordinal!r}")
        return DayCount(int(ordinal), cells.get("day_unit", "").strip() or "day", text)
    if kind is SubjectKind.EVENT_DATE:
        date = _date(cells, "date", published)
        if date is None:
            raise _RowError("date", "an event-date claim needs its date")
        return date
    speaker = _entity(entities, "speaker", cells.get("speaker", "").strip())
    return Statement(
        speaker, cells.get("stance", "").strip(), cells.get("mode", "").strip() or "paraphrase"
    )


def _source(cells: dict[str, str], entities: EntityIndex) -> Source:
    try:
        published = FuzzyDate.parse(cells["source_published"])
    except ParseError as exc:
        raise _RowError("source_published", str(exc)) from None
    authors = cells.get("source_authors", "")
    text_file = cells.get("source_text_file", "")
    if text_file and (text_file.startswith(".") or any(c in text_file for c in "/\\:")):
        raise _RowError("source_text_file", f"{text_file!r} is not a plain file name")
    return Source(
        id=cells["source"].strip(),
        title=cells["source_title"],
        publisher=_entity(entities, "source_publisher", cells["source_publisher"].strip()),
        published=published,
        url=cells.get("source_url") or None,
        authors=[a.strip() for a in authors.split(LIST_SEPARATOR.strip()) if a.strip()],
        language=cells.get("source_language", "").strip() or "en",
        text_file=cells.get("source_text_file") or None,
        text_sha256=cells.get("source_text_sha256", "").strip() or None,
        notes=cells.get("source_notes") or None,
    )


def _claim(
    cells: dict[str, str], source: Source, subjects: dict[str, Subject], entities: EntityIndex
) -> Claim:
    subject_id = cells["subject"].strip()
    if subject_id not in subjects:
        raise _RowError(
            "subject", f"unknown subject {subject_id!r}{_suggest(subject_id, list(subjects))}"
        )
    subject = subjects[subject_id]
    kind_text = cells["kind"].strip()
    try:
        kind = SubjectKind(kind_text)
    except ValueError:
        expected = ", ".join(k.value for k in SubjectKind)
        raise _RowError("kind", f"unknown kind {kind_text!r}; expected one of {expected}") from None
    if kind is not subject.kind:
        raise _RowError(
            "kind", f"subject {subject_id!r} is of kind {subject.kind.value}, not {kind.value}"
        )
    claimant = _entity(entities, "claimant", cells["claimant"].strip())
    via = [v.strip() for v in cells.get("via", "").split(LIST_SEPARATOR.strip()) if v.strip()]
    for v in via:
        _entity(entities, "via", v)
    return Claim(
        id=cells["claim"].strip(),
        subject=subject_id,
        source=source.id,
        quote=cells["quote"],
        claimant=claimant,
        value=_value(cells, kind, subject, source.published, entities),
        via=via,
        as_of=_date(cells, "as_of", source.published),
        stated=_date(cells, "stated", source.published),
        section=cells.get("section", "").strip() or "body",
        notes=cells.get("notes") or None,
    )


# Model validators name the attribute first ("id must be a lowercase id ..."): its column.
_ATTRIBUTE_COLUMNS = {
    "id": "claim",
    "quote": "quote",
    "title": "source_title",
    "text_sha256": "source_text_sha256",
    "ordinal": "ordinal",
    "low": "low",
    "high": "high",
    "value": "value",
}


def _column_of(message: str) -> str:
    return _ATTRIBUTE_COLUMNS.get(message.split(" ", 1)[0], "")


def read_csv(
    path: str | os.PathLike[str], entities: EntityIndex, subjects: dict[str, Subject]
) -> ClaimSet:
    """The claims of a CSV file (the columns of the CSV export), checked against the registries.

    Raises :class:`ValidationError` with one :class:`ClaimFileError` per broken row (its line in
    the file, the column, what is wrong).
    """
    where = Path(path)
    try:
        text = _read(where)
    except ClaimFileError as exc:
        raise ValidationError([exc]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[ClaimFileError] = []
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError([ClaimFileError(str(where), None, "", "file is empty")]) from None
    except csv.Error as exc:
        raise ValidationError(
            [ClaimFileError(str(where), 1, "", f"malformed CSV: {exc}")]
        ) from None
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in (*REQUIRED, *REQUIRED_SOURCE) if c not in header]
    if unknown:
        problems.append(
            ClaimFileError(
                str(where), 1, unknown[0], f"unknown column{_suggest(unknown[0], list(COLUMNS))}"
            )
        )
    if missing:
        problems.append(ClaimFileError(str(where), 1, "", "missing columns: " + ", ".join(missing)))
    if len(set(header)) != len(header):
        problems.append(ClaimFileError(str(where), 1, "", "a column is named twice"))
    if problems:
        raise ValidationError(problems)
    claims: dict[str, tuple[int, Claim]] = {}
    sources: dict[str, tuple[int, Source]] = {}
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            cells_list = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(ClaimFileError(str(where), start, "", f"malformed CSV: {exc}"))
            break
        line = start
        if not any(c.strip() for c in cells_list):
            continue
        if len(cells_list) != len(header):
            problems.append(
                ClaimFileError(
                    str(where),
                    line,
                    "",
                    f"the row has {len(cells_list)} cells, the header {len(header)}",
                )
            )
            continue
        cells = {h: restore(h, c) for h, c in zip(header, cells_list, strict=True)}
        try:
            for column in (*REQUIRED, *REQUIRED_SOURCE):
                if not cells[column].strip():
                    raise _RowError(column, "empty")
            source = _source(cells, entities)
            if source.id in sources and sources[source.id][1] != source:
                raise _RowError(
                    "source",
                    f"source {source.id!r} is described differently at line {sources[source.id][0]}",
                )
            claim = _claim(cells, source, subjects, entities)
            if claim.id in claims:
                raise _RowError(
                    "claim",
                    f"duplicate claim id {claim.id!r} (first at line {claims[claim.id][0]})",
                )
        except _RowError as exc:
            problems.append(ClaimFileError(str(where), line, exc.column, exc.message))
            continue
        except (TypeError, ValueError) as exc:
            problems.append(ClaimFileError(str(where), line, _column_of(str(exc)), str(exc)))
            continue
        sources.setdefault(source.id, (line, source))
        claims[claim.id] = (line, claim)
    if problems:
        raise ValidationError(problems)
    if not claims:
        raise ValidationError([ClaimFileError(str(where), None, "", "no claims: only a header")])
    return ClaimSet(
        claims=[c for _line, c in claims.values()],
        sources={sid: s for sid, (_line, s) in sources.items()},
        subjects=subjects,
        entities=entities,
    )


def _source_files(root: Path) -> list[Path]:
    """The source files of a project: every YAML file below it but the registries and hidden
    folders."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if (
            path.suffix in (".yaml", ".yml")
            and path.is_file()
            and not any(part.startswith(".") for part in relative.parts)
            and relative.as_posix() not in (ENTITIES, SUBJECTS)
        ):
            found.append(path)
    return found


def import_csv(csv_path: str | os.PathLike[str], into: str | os.PathLike[str]) -> list[Path]:
    """Add the claims of a CSV file to the claims project ``into``, one new claim file per source;
    return the files written. Sources and claims must be new to the project."""
    root = Path(into)
    if not root.is_dir() or not is_project(root):
        raise ProjectError(str(root), "is not a claims project (run 'claimtrack init' to make one)")
    registries = load_registries(root)
    entities, subjects = registries.entities, dict(registries.subjects)
    claims = read_csv(csv_path, entities, subjects)
    if _source_files(root):
        existing = load(root)
        for source_id in claims.sources:
            if source_id in existing.sources:
                raise ProjectError(
                    str(csv_path),
                    f"source {source_id!r} is already in {root}: import new sources only",
                )
        for claim in claims:
            if claim.id in existing:
                raise ProjectError(str(csv_path), f"claim {claim.id!r} is already in {root}")
    try:
        scratch = Path(tempfile.mkdtemp(dir=root, prefix=".import-"))
    except OSError as exc:
        raise ProjectError(str(root), f"cannot write it ({exc.strerror or exc})") from None
    try:
        written = [p for p in dump(claims, scratch) if p.name not in (ENTITIES, SUBJECTS)]
        problems = validate(scratch)
        if problems:  # pragma: no cover - dump writes what load reads
            raise ValidationError(problems)
        targets = [root / p.name for p in written]
        taken = [t for t in targets if t.exists()]
        if taken:
            raise ProjectError(str(taken[0]), "already exists: import new sources only")
        for path, target in zip(written, targets, strict=True):
            os.replace(path, target)
        return targets
    except OSError as exc:
        raise ClaimtrackError(
            f"{root}: cannot write the imported claims ({exc.strerror or exc})"
        ) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

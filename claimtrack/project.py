"""A claims project of your own: start one, add a source to it, search its registries.

:func:`init_project` lays out a folder that every command works on (``entities.yaml``,
``subjects.yaml``, ``texts/``, a README); :func:`new_source` archives an article's text in
``texts/`` and writes a source skeleton ready for claims; :func:`search_entities` and
:func:`search_subjects` find the ids to write in them, whatever the spelling.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

import attrs
import yaml
from anyascii import anyascii
from rapidfuzz import fuzz

from claimtrack._read import NotText, ReadRefused, plain_text, read_bounded
from claimtrack._registry_files import ENTITIES, SUBJECTS, is_project
from claimtrack._write import write_atomic
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate
from claimtrack.entity import Entity, EntityIndex, name_key
from claimtrack.errors import DateError, ProjectError, ValidationError
from claimtrack.load import load_registries, validate
from claimtrack.source import Source
from claimtrack.subject import Subject

TEXTS = "texts"
"""The folder of a project that holds the archived texts of its sources."""

MAX_TEXT_BYTES = 10 * 1024 * 1024
"""The largest source text :func:`new_source` archives (10 MiB)."""


# --- init --------------------------------------------------------------------------------------

_README = """\
# {name}: a claims project

Claims from news reporting, in claimtrack's claim-file format (docs/claim-files.md).

- `entities.yaml`: the people, organisations, places and groups the claims name.
- `subjects.yaml`: what the claims are about (one subject per thing that can be counted or said).
- `texts/`: the archived plain text of every source; quotes are checked against these.
- `<source-id>.yaml`: one file per article, its `source:` block and its `claims:`.
- `reviews.yaml` (made by `claimtrack review`): findings confirmed or dismissed, by whom and why.

Next:

    claimtrack new-source article.txt --project {name} --url URL --publisher ID
    claimtrack entities {name} --search NAME
    claimtrack subjects {name} --search WORDS
    claimtrack validate {name}
    claimtrack verify {name} --texts {name}/texts        # --fix: quote marks, white space
    claimtrack report {name} --source SOURCE-ID          # the review of one article
    claimtrack compare {name} --save last-run.json       # then: report --since-run last-run.json
    claimtrack review {name} VERDICT CLAIM-A CLAIM-B --confirm --by NAME --why TEXT
"""

_EMPTY = {
    ENTITIES: "# The entities claims name: id, name, kind (person, organisation, place, group), "
    "aliases.\nentities: []\n",
    SUBJECTS: "# What claims are about: id, label, kind (quantity, day_count, event_date, "
    "statement), description, unit.\nsubjects: []\n",
}


def init_project(
    folder: str | os.PathLike[str], *, seed_from: str | os.PathLike[str] | None = None
) -> list[Path]:
    """Make ``folder`` a new claims project and return the files written.

    The registries are empty, or copied from the claims folder ``seed_from`` (which must hold
    valid ones). A folder that does not exist is created; a non-empty one is refused, and one that
    already is a project is left as it is (nothing is written, the list is empty).
    """
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise ProjectError(str(root), "is a file, not a folder")
    if root.is_dir() and is_project(root):
        if seed_from is not None:
            raise ProjectError(
                str(root), "is already a claims project: its registries are not overwritten"
            )
        return []
    if root.is_dir() and any(root.iterdir()):
        raise ProjectError(
            str(root), "is not empty and not a claims project (no entities.yaml and subjects.yaml)"
        )
    contents = dict(_EMPTY)
    if seed_from is not None:
        contents = _seed(Path(seed_from))
    try:
        (root / TEXTS).mkdir(parents=True, exist_ok=True)
        written = [write_atomic(root / name, text) for name, text in contents.items()]
        written.append(write_atomic(root / "README.md", _README.format(name=root.name or ".")))
        written.append(write_atomic(root / TEXTS / ".gitkeep", b""))
    except OSError as exc:
        raise ProjectError(str(root), f"cannot write it ({exc.strerror or exc})") from None
    return written


def _seed(source: Path) -> dict[str, str]:
    if not source.is_dir() or not is_project(source):
        raise ProjectError(
            str(source), "is not a claims folder (no entities.yaml and subjects.yaml)"
        )
    load_registries(source)  # refuse to copy registries that do not load
    return {name: (source / name).read_text(encoding="utf-8") for name in (ENTITIES, SUBJECTS)}


# --- new-source --------------------------------------------------------------------------------


@attrs.frozen
class NewSource:
    """What :func:`new_source` wrote: the skeleton claim file, the archived text, and the hints
    it took from the text (``title_hint``, ``published_hint``: None when given or not found)."""

    path: Path
    text_path: Path
    source: Source
    title_hint: str | None = None
    published_hint: str | None = None


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})\b"
)
_DATELINE_LINES = 30
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
    ]
)


def read_text(path: str | os.PathLike[str]) -> str:
    """A source text: plain UTF-8 (no NUL or other control bytes, not blank), a regular file of at
    most :data:`MAX_TEXT_BYTES` (read with bounds: a FIFO or a device is refused, never read)."""
    where = str(path)
    if Path(path).is_dir():
        raise ProjectError(where, "is a folder, not a text file")
    try:
        raw = read_bounded(path, MAX_TEXT_BYTES)
    except ReadRefused as exc:
        if exc.kind == "missing":
            raise ProjectError(where, "no such file") from None
        if exc.kind == "too_large":
            raise ProjectError(where, f"{exc.reason}: source texts are at most 10 MiB") from None
        raise ProjectError(where, exc.reason) from None
    try:
        return plain_text(raw)
    except NotText as exc:
        raise ProjectError(where, exc.reason) from None


def default_source_id(publisher: str, title: str, published: FuzzyDate | None = None) -> str:
    """``<publisher>-<year>-<first title words>``: ``rferl-2019-hundreds-call-kazakh-president``."""
    words = re.split(r"[^a-z0-9]+", anyascii(title).lower())
    kept = [w for w in words if w and w not in _STOPWORDS][:5]
    parts = [publisher, *([str(published.start.year)] if published else []), *kept]
    return "-".join(parts)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:300]
    return ""


def _dateline(text: str) -> tuple[FuzzyDate, str, int] | None:
    for number, line in enumerate(text.splitlines()[:_DATELINE_LINES], start=1):
        for match in _DATELINE.finditer(line):
            try:
                return FuzzyDate.parse(match.group(1)), match.group(1), number
            except DateError:
                continue
    return None


def _scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def new_source(
    text: str | os.PathLike[str],
    *,
    project: str | os.PathLike[str] = ".",
    publisher: str,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    source_id: str | None = None,
) -> NewSource:
    """Archive the article ``text`` in the project's ``texts/`` and write a source skeleton.

    Without ``title``, the text's first non-empty line is used, and without ``published`` a date
    found in its first lines (a dateline); both are marked as hints in YAML comments. The id
    defaults to :func:`default_source_id`. The skeleton has ``claims: []`` and loads as it is.
    Raises :class:`ProjectError` (an unknown publisher: "add it to entities.yaml"; a text that is
    binary, not UTF-8, holds control characters or is over :data:`MAX_TEXT_BYTES`; an id that is
    not a slug; a file that exists), or :class:`ValidationError` for broken registries.
    """
    root = Path(project)
    if not root.is_dir() or not is_project(root):
        raise ProjectError(str(root), "is not a claims project (run 'claimtrack init' to make one)")
    body = read_text(text)
    entities = load_registries(root).entities
    if publisher not in entities:
        close = entities.suggest(publisher)
        hint = f" (did you mean {' or '.join(repr(s) for s in close)}?)" if close else ""
        raise ProjectError(
            str(root / ENTITIES),
            f"unknown publisher {publisher!r}{hint}: add it to entities.yaml first",
        )
    title_hint = published_hint = None
    if title is None:
        title = title_hint = _first_line(body)
    if published is not None:
        try:
            date = FuzzyDate.parse(published)
        except DateError as exc:
            raise ProjectError("--published", str(exc)) from None
    else:
        found = _dateline(body)
        if found is None:
            raise ProjectError(
                str(text), "no date found in its first lines: give the published date"
            )
        date, written, line = found
        published_hint = f"from the dateline {written!r} (line {line})"
    sid = source_id if source_id is not None else default_source_id(publisher, title, date)
    text_name = sid.replace(":", "_") + ".txt"
    raw = body.encode("utf-8")
    try:
        source = Source(
            id=sid,
            title=title,
            publisher=publisher,
            published=date,
            url=url,
            text_file=text_name,
            text_sha256=hashlib.sha256(raw).hexdigest(),
        )
    except (TypeError, ValueError) as exc:
        raise ProjectError(f"source {sid!r}", str(exc)) from None
    path = root / (sid.replace(":", "_") + ".yaml")
    text_path = root / TEXTS / text_name
    if path.exists():
        raise ProjectError(str(path), "already exists: give another --id")
    if text_path.exists() and text_path.read_bytes() != raw:
        raise ProjectError(str(text_path), "already exists with another text: give another --id")
    (root / TEXTS).mkdir(exist_ok=True)
    write_atomic(text_path, raw)
    write_atomic(path, _skeleton(source, date.iso(), title_hint, published_hint))
    problems = validate(path)
    if problems:  # pragma: no cover - a skeleton that does not load is a bug
        path.unlink()
        raise ValidationError(problems)
    return NewSource(path, text_path, source, title_hint, published_hint)


def _skeleton(source: Source, published: str, title_hint: str | None, date_hint: str | None) -> str:
    def hint(text: str | None) -> str:
        return f"  # hint: {text}; check it" if text else ""

    lines = [
        "# Written by 'claimtrack new-source'. Replace 'claims: []' with the claims of the text;",
        "# the format is described in docs/claim-files.md.",
        "source:",
        f"  id: {_scalar(source.id)}",
        f"  title: {_scalar(source.title)}{hint('the first line of the text' if title_hint else None)}",
        f"  publisher: {_scalar(source.publisher)}",
        f'  published: "{published}"{hint(date_hint)}',
        f"  url: {_scalar(source.url) if source.url else 'null'}",
        f"  text_file: {_scalar(source.text_file or '')}",
        f"  text_sha256: {source.text_sha256}",
        "claims: []",
        "# claims:",
        f"#   - id: {source.id}:a-short-slug",
        "#     subject: SUBJECT-ID      # claimtrack subjects . --search WORDS",
        f"#     quote: a verbatim span of {TEXTS}/{source.text_file}",
        "#     claimant: ENTITY-ID      # claimtrack entities . --search NAME",
        f'#     as_of: "{published}"',
        "#     value: about 100",
    ]
    return "\n".join(lines) + "\n"


# --- search ------------------------------------------------------------------------------------


@attrs.frozen
class EntityMatch:
    """An entity found by :func:`search_entities`: ``score`` 0-100 (None when listing all) and
    the spelling (id, name or alias) that matched best."""

    entity: Entity
    score: float | None
    matched: str


@attrs.frozen
class SubjectMatch:
    """A subject found by :func:`search_subjects`: ``score`` 0-100 (None when listing all) and
    the field (``id``, ``label`` or ``description``) that matched best."""

    subject: Subject
    score: float | None
    matched: str


SEARCH_CUTOFF = 60.0
"""The lowest score (0-100) a search result has."""


def _registries(
    claims_or_dir: ClaimSet | str | os.PathLike[str],
) -> tuple[EntityIndex, dict[str, Subject]]:
    if isinstance(claims_or_dir, ClaimSet):
        return claims_or_dir.entities, dict(claims_or_dir.subjects)
    root = Path(claims_or_dir)
    if root.is_file():
        root = root.parent
    if not is_project(root):
        raise ProjectError(str(root), "is not a claims folder (no entities.yaml and subjects.yaml)")
    registries = load_registries(root)
    return registries.entities, dict(registries.subjects)


def _fold(text: str) -> str:
    return " ".join(re.split(r"[^a-z0-9]+", anyascii(text).lower())).strip()


def _ranked(
    scored: Iterable[tuple[float, str, object, str]], limit: int | None
) -> list[tuple[float, object, str]]:
    kept = sorted((s for s in scored if s[0] >= SEARCH_CUTOFF), key=lambda s: (-s[0], s[1]))
    return [(score, item, matched) for score, _id, item, matched in kept[:limit]]


def search_entities(
    claims_or_dir: ClaimSet | str | os.PathLike[str],
    name: str | None = None,
    *,
    limit: int | None = 10,
) -> list[EntityMatch]:
    """The entities whose id, name or an alias is like ``name``, best first.

    Spellings are compared under :func:`claimtrack.name_key` (transliterated with anyascii and
    folded), so "Tokaev" finds "Tokayev" and "Toqaev". Without ``name``, every entity in id order.
    """
    entities, _ = _registries(claims_or_dir)
    if name is None or not name.strip():
        return [EntityMatch(e, None, e.name) for e in entities]
    key = name_key(name)
    scored = []
    for entity in entities:
        best, matched = 0.0, entity.name
        for spelling in (entity.id, *entity.names):
            score = float(fuzz.WRatio(key, name_key(spelling)))
            if score > best:
                best, matched = score, spelling
        scored.append((round(best, 1), entity.id, entity, matched))
    return [EntityMatch(e, s, m) for s, e, m in _ranked(scored, limit)]  # type: ignore[arg-type]


def search_subjects(
    claims_or_dir: ClaimSet | str | os.PathLike[str],
    words: str | None = None,
    *,
    limit: int | None = 10,
) -> list[SubjectMatch]:
    """The subjects whose id, label or description holds ``words`` (or words like them), best
    first. A match in the description counts a little less than one in the id or label. Without
    ``words``, every subject in id order."""
    _, subjects = _registries(claims_or_dir)
    if words is None or not words.strip():
        return [SubjectMatch(subjects[i], None, "id") for i in sorted(subjects)]
    query = _fold(words)
    scored = []
    for subject in subjects.values():
        fields = {
            "id": fuzz.token_set_ratio(query, _fold(subject.id)),
            "label": fuzz.token_set_ratio(query, _fold(subject.label)),
            "description": 0.9 * fuzz.token_set_ratio(query, _fold(subject.description)),
        }
        matched = max(fields, key=lambda f: fields[f])
        scored.append((round(float(fields[matched]), 1), subject.id, subject, matched))
    return [SubjectMatch(s, score, m) for score, s, m in _ranked(scored, limit)]  # type: ignore[arg-type]

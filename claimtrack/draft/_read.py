"""Reading what a draft starts from: the article's bytes, and the claims folder it goes into."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from claimtrack._read import NotText, ReadRefused, plain_text, read_bounded
from claimtrack.claimset import ClaimSet
from claimtrack.errors import ClaimtrackError, DraftError
from claimtrack.load import claim_files, load

_REGISTRIES = ("entities.yaml", "subjects.yaml")

#: Largest article drafted, in bytes (news pages are a few tens of kilobytes).
MAX_BYTES = 1024 * 1024


def read_article(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """The text of an article's bytes and their SHA-256, or a one-line :class:`DraftError`."""
    if len(data) > max_bytes:
        raise DraftError(name, f"too large to draft ({len(data):,} bytes; at most {max_bytes:,})")
    try:
        text = plain_text(data)
    except NotText as exc:
        raise DraftError(name, exc.reason) from None
    return text, hashlib.sha256(data).hexdigest()


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of the article at ``path``: a regular file of at most ``max_bytes`` (read with
    bounds: a FIFO or a device is refused, never read), or a one-line :class:`DraftError`."""
    if path.is_dir():
        raise DraftError(str(path), "is a folder: draft it with an output folder (out=...)")
    try:
        return read_bounded(path, max_bytes)
    except ReadRefused as exc:
        if exc.kind == "too_large":
            size = path.stat().st_size
            raise DraftError(
                str(path), f"too large to draft ({size:,} bytes; at most {max_bytes:,})"
            ) from None
        raise DraftError(str(path), exc.reason) from None


def read_folder(into: str | os.PathLike[str]) -> tuple[ClaimSet, list[str]]:
    """The claims folder ``into``: its claims, or (when it has none, or its claim files do not
    load) its two registries alone, with a note saying so."""
    folder = Path(into)
    if not (folder / "entities.yaml").is_file() or not (folder / "subjects.yaml").is_file():
        raise DraftError(
            str(folder), "not a claims folder (it needs entities.yaml and subjects.yaml)"
        )
    has_claims = any(p.name not in _REGISTRIES for p in claim_files(folder))
    notes = []
    if has_claims:
        try:
            return load(folder), []
        except ClaimtrackError as exc:
            lines = str(exc).splitlines()
            reason = lines[1] if len(lines) > 1 else lines[0]
            notes.append(f"existing claims not read ({reason}): no links to them")
    return _registries(folder), notes


def _registries(folder: Path) -> ClaimSet:
    """The registries of ``folder`` loaded (and so validated) by :func:`claimtrack.load`, beside
    a source file without claims that names the first entity as its publisher."""
    with tempfile.TemporaryDirectory() as scratch:
        for name in _REGISTRIES:
            shutil.copyfile(folder / name, Path(scratch, name))
        try:
            entities = yaml.safe_load((folder / "entities.yaml").read_text(encoding="utf-8"))
            first = entities["entities"][0]["id"]
        except (OSError, yaml.YAMLError, KeyError, IndexError, TypeError):
            first = "x"
        Path(scratch, "placeholder.yaml").write_text(
            f'source: {{id: placeholder, title: placeholder, publisher: "{first}", '
            'published: "2000"}\nclaims: []\n',
            encoding="utf-8",
        )
        try:
            claims = load(scratch)
        except ClaimtrackError as exc:
            detail = str(exc).replace(scratch, str(folder))
            raise DraftError(str(folder), f"its registries do not load: {detail}") from None
    return ClaimSet((), {}, claims.subjects, claims.entities)

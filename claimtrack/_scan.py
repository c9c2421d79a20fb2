"""Finding claim files: the files below a folder, by suffix, following only the symbolic links that
stay inside it (see :func:`scan`)."""

from __future__ import annotations

import os
from pathlib import Path

from claimtrack.errors import ClaimFileError

ENTITIES_FILE = "entities.yaml"
SUBJECTS_FILE = "subjects.yaml"
REGISTRIES = (ENTITIES_FILE, SUBJECTS_FILE)
REVIEWS_FILE = "reviews.yaml"
"""The reviews of findings of a project (:mod:`claimtrack.review`): not a claim file."""
PROJECT_FILES = (*REGISTRIES, REVIEWS_FILE)
"""The files of a claims folder that are not claim files."""


def claim_files(path: str | os.PathLike[str]) -> list[Path]:
    """The claim files at ``path``: the file itself, or every claim file below a folder.

    See :func:`scan` for the rules; the problems it finds are reported by :func:`claimtrack.validate`.
    """
    root = Path(path)
    if root.is_dir():
        return scan(root)[0]
    return [root]


def inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


CLAIM_SUFFIXES = (".yaml", ".yml")
"""The suffixes of claim files, in any case (``.YAML`` too)."""


def scan(root: Path) -> tuple[list[Path], list[ClaimFileError]]:
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

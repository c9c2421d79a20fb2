"""The names of a claims project's registries, and whether a folder has them.

The registries are read by :func:`claimtrack.load_registries` (entities and subjects, checked as
:func:`claimtrack.load` checks them, every problem at its line), which works on a new project
that has no claim file yet.
"""

from __future__ import annotations

from pathlib import Path

from claimtrack._scan import ENTITIES_FILE, SUBJECTS_FILE

ENTITIES = ENTITIES_FILE
SUBJECTS = SUBJECTS_FILE


def is_project(folder: Path) -> bool:
    """Whether ``folder`` holds both registries."""
    return (folder / ENTITIES).is_file() and (folder / SUBJECTS).is_file()

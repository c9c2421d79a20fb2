"""Shared fixtures and helpers for the test suite."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, settings

import claimtrack

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CLAIMS = ROOT / "claims"
MINI = TESTS / "data" / "mini"
STAND_INS = ROOT / "docs" / "examples" / "texts"
"""Stand-in article texts, made up around the quotes of ``tests/data/mini`` and the tutorial's
example (each quote at the offset it has in the archived article). The archived articles stay
outside the project: tests never read them (``.ci/run`` verifies ``claims/`` against them)."""

BUNDLED_SOURCES = (
    "asianews-2022-almaty-500th-day",
    "blog-2019-kazakhstan-chinese-influence",
    "rferl-2019-zhanaozen-china-visit",
    "rferl-2021-almaty-consulate-tent",
    "rferl-2021-azimova-meeting",
)
"""The sources of the claim files that come with claimtrack in ``claims/``. Tests that pin verdicts
and counts of the bundled data read only their claims, so a user's file added to ``claims/`` (as
the tutorial has users do) changes nothing those tests check. A new bundled source goes here, and
the docs' quoted output is regenerated (docs/contributing.md)."""


def load_bundled(folder: Path = CLAIMS) -> claimtrack.ClaimSet:
    """The claims of ``folder`` from the bundled sources only (with all its registries)."""
    return claimtrack.load(folder).filter(source=BUNDLED_SOURCES)


def unlinked(claims: claimtrack.ClaimSet) -> claimtrack.ClaimSet:
    """``claims`` with the links between subjects left out of its subjects (claims whose subjects
    are linked are decided pair by pair; these, by groups)."""
    subjects = {k: attrs.evolve(s, links=()) for k, s in claims.subjects.items()}
    return attrs.evolve(claims, subjects=subjects)


def copy_bundled(folder: Path, target: Path) -> Path:
    """A claims folder at ``target`` with ``folder``'s registries and the bundled sources' files
    only, for commands that read a folder."""
    target.mkdir(parents=True)
    for name in ("entities.yaml", "subjects.yaml", *(f"{s}.yaml" for s in BUNDLED_SOURCES)):
        shutil.copyfile(folder / name, target / name)
    return target


@pytest.fixture(scope="session")
def bundled_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``claims/`` with the bundled sources' files only (see :func:`copy_bundled`)."""
    return copy_bundled(CLAIMS, tmp_path_factory.mktemp("bundled") / "claims")


settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def update_golden() -> bool:
    """Golden files are rewritten (not compared) when UPDATE_GOLDEN=1 is set."""
    return os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden(path: Path, actual: str) -> None:
    """Compare ``actual`` with the golden file at ``path`` (or write it under UPDATE_GOLDEN=1)."""
    if update_golden():
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    assert path.read_text(encoding="utf-8") == actual


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run from the project root, so relative paths in messages are stable."""
    monkeypatch.chdir(ROOT)

"""Shared fixtures and helpers for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CLAIMS = ROOT / "claims"
MINI = TESTS / "data" / "mini"
STAND_INS = ROOT / "docs" / "examples" / "texts"
"""Stand-in article texts, made up around the quotes of ``tests/data/mini`` and the tutorial's
example (each quote at the offset it has in the archived article). The archived articles stay
outside the project: tests never read them (``.ci/run`` verifies ``claims/`` against them)."""

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

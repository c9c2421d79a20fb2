"""Fuzzing the loader: whatever bytes a claim file holds, ``load`` and ``validate`` return a
result or raise a ClaimtrackError, and the CLI prints one line per problem and exits 1 — never a
traceback, never another exception, never unbounded time or memory."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack._safe_text import plain_text
from claimtrack.cli import main
from claimtrack.errors import ClaimFileError, ClaimtrackError
from tests.strategies import hostile_files

MINI = Path(__file__).resolve().parent / "data" / "mini"
BROKEN = Path(__file__).resolve().parent / "broken"
SOURCE = (MINI / "rferl-2019-zhanaozen.yaml").read_text(encoding="utf-8")
ENTITIES = (MINI / "entities.yaml").read_text(encoding="utf-8")


def _folder(root: Path, source: bytes, entities: bytes | None = None) -> Path:
    folder = root / "claims"
    folder.mkdir()
    shutil.copy(MINI / "subjects.yaml", folder / "subjects.yaml")
    (folder / "entities.yaml").write_bytes(
        ENTITIES.encode("utf-8") if entities is None else entities
    )
    (folder / "article.yaml").write_bytes(source)
    return folder


def _check_library(folder: Path) -> list[ClaimFileError]:
    problems = claimtrack.validate(folder)
    assert all(isinstance(p, ClaimFileError) for p in problems)
    assert all("\n" not in str(p) for p in problems), problems
    try:
        claimtrack.load(folder)
    except ClaimtrackError as error:
        assert problems, f"load raised {error!r} but validate found nothing"
    else:
        assert not problems
    return problems


def _check_cli(folder: Path, problems: list[ClaimFileError]) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = main(["validate", str(folder)], stdout=out, stderr=err)
    printed = out.getvalue() + err.getvalue()
    assert "Traceback" not in printed
    if not problems:
        assert 0 == status and printed.startswith("ok: ")
        return
    assert 1 == status
    lines = out.getvalue().splitlines()
    # printed made plain: a control or bidi character in a file name or key is shown as an escape
    assert [plain_text(str(p), newline="\\n") for p in problems] == lines[:-1]
    n = len(problems)
    assert f"{n} problem{'s' if n != 1 else ''} found" == lines[-1]
    out, err = io.StringIO(), io.StringIO()
    assert 1 == main(["list", str(folder)], stdout=out, stderr=err)
    errors = err.getvalue().splitlines()
    assert errors[-1].startswith("claimtrack: error: ")
    assert "Traceback" not in err.getvalue()
    assert len(errors) == (1 if n == 1 else n + 1)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_files(SOURCE))
def test_hostile_source_file_is_a_result_or_a_claimtrack_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = _folder(Path(root), raw)
        _check_cli(folder, _check_library(folder))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_files(ENTITIES))
def test_hostile_registry_is_a_result_or_a_claimtrack_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = _folder(Path(root), SOURCE.encode("utf-8"), entities=raw)
        _check_cli(folder, _check_library(folder))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_are_a_result_or_a_claimtrack_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = _folder(Path(root), raw)
        _check_library(folder)


BROKEN_FILES = sorted(
    p for p in BROKEN.glob("*.yaml") if p.name not in ("entities.yaml", "subjects.yaml")
)


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_cli_prints_one_line_per_problem_of_each_broken_file(path: Path) -> None:
    """``claimtrack validate`` on each broken file: one line per problem, exit 1, no traceback."""
    problems = claimtrack.validate(path)
    assert problems
    out, err = io.StringIO(), io.StringIO()
    assert 1 == main(["validate", str(path)], stdout=out, stderr=err)
    assert "" == err.getvalue()
    assert [str(p) for p in problems] == out.getvalue().splitlines()[:-1]

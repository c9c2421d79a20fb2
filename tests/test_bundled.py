"""The bundled claims that tests pin verdicts and counts of: a user's claim files added to
``claims/``, as the tutorial has users do, change nothing those tests read."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

import claimtrack
from claimtrack.cli import main
from tests import regenerate_docs
from tests.conftest import CLAIMS, TESTS, copy_bundled, load_bundled

USER = TESTS / "data" / "user"
"""Two claim files as a user would add them: one about a subject of their own (appended to a
copy of ``claims/subjects.yaml`` from ``subjects.yaml`` here), one from a new source about
``xinjiang-detainees``, which the bundled sources already make claims about."""


@pytest.fixture(scope="module")
def with_users_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of ``claims/`` with the user's files added."""
    folder = tmp_path_factory.mktemp("user") / "claims"
    shutil.copytree(CLAIMS, folder)
    for path in sorted(USER.glob("user-*.yaml")):
        shutil.copyfile(path, folder / path.name)
    with (folder / "subjects.yaml").open("a", encoding="utf-8") as subjects:
        subjects.write((USER / "subjects.yaml").read_text(encoding="utf-8"))
    return folder


def cli(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert 0 == main(list(argv), stdout=out, stderr=err), err.getvalue()
    return out.getvalue()


def test_the_users_files_are_loaded_and_compared(with_users_files: Path) -> None:
    """The guard is not empty: the user's claims are in the folder and change its comparison."""
    claims = claimtrack.load(with_users_files)
    assert len(claimtrack.load(CLAIMS)) + 2 == len(claims)
    assert "almaty-bazaar-2024-stalls-closed" in claims.subjects
    pairs = claimtrack.compare(claims).pairs
    assert "user-2024-detainee-estimate:un-1-8-million" in {*pairs["claim_a"], *pairs["claim_b"]}


def test_the_bundled_claims_are_the_same(with_users_files: Path) -> None:
    assert list(load_bundled()) == list(load_bundled(with_users_files))


def test_the_comparison_and_report_of_the_bundled_claims_are_the_same(
    with_users_files: Path,
) -> None:
    expected = claimtrack.compare(load_bundled())
    actual = claimtrack.compare(load_bundled(with_users_files))
    pd.testing.assert_frame_equal(expected.pairs, actual.pairs)
    pd.testing.assert_frame_equal(expected.subjects, actual.subjects)
    pd.testing.assert_frame_equal(expected.series, actual.series)
    assert claimtrack.report(expected) == claimtrack.report(actual)


def test_commands_on_the_bundled_folder_print_the_same(
    bundled_folder: Path, with_users_files: Path, tmp_path: Path
) -> None:
    """What the CLI tests and the docs' quoted output read: the bundled sources' files only."""
    copied = copy_bundled(with_users_files, tmp_path / "claims")
    assert sorted(p.name for p in bundled_folder.iterdir()) == sorted(
        p.name for p in copied.iterdir()
    )
    for argv in (["report"], ["compare", "--format", "json"], ["list"]):
        assert cli(*argv, str(bundled_folder)) == cli(*argv, str(copied)), argv
    for page in regenerate_docs.pages():
        text = page.read_text(encoding="utf-8")
        assert text == regenerate_docs.regenerate(text, copied), page.name

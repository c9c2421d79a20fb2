"""docs/your-own-project.md walks a project from ``init`` to an export: its commands run in page
order (as ``tests/test_docs.py`` runs them) and do what the page says they do."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

from claimtrack.cli import main
from tests.conftest import ROOT
from tests.test_docs import EXIT, _scratch_project, _steps

PAGE = ROOT / "docs" / "your-own-project.md"
SOURCE = "rferl-2019-protest-zhanaozen-goes-third-day"
FILE = f"my-claims/{SOURCE}.yaml"


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, int, str]]:
    """``(command line, exit status, output)`` of every command of the page, in order, run in a
    scratch folder; the written file's text is recorded as a ``write`` step."""
    import os

    folder = _scratch_project(tmp_path_factory.mktemp("walk"))
    here = Path.cwd()
    os.chdir(folder)
    done: list[tuple[str, int, str]] = []
    try:
        for step in _steps(PAGE):
            if isinstance(step, tuple):
                Path(step[0]).write_text(step[1], encoding="utf-8")
                done.append((f"write {step[0]}", 0, step[1]))
                continue
            for line in step.splitlines():
                if not line.startswith("claimtrack "):
                    continue
                line = EXIT.sub("", line)
                out, err = io.StringIO(), io.StringIO()
                status = main(shlex.split(line, comments=True)[1:], stdout=out, stderr=err)
                done.append((line, status, out.getvalue() + err.getvalue()))
        done.append(("fixed file", 0, Path(FILE).read_text(encoding="utf-8")))
        done.append(("review file", 0, Path("my-claims/reviews.yaml").read_text(encoding="utf-8")))
        done.append(("review report", 0, Path("my-claims-review.md").read_text(encoding="utf-8")))
    finally:
        os.chdir(here)
    return done


def _output(walk: list[tuple[str, int, str]], start: str) -> str:
    return next(out for line, _status, out in walk if line.startswith(start))


def test_the_walk_goes_from_init_to_an_export_in_order(walk: list[tuple[str, int, str]]) -> None:
    lines = [line for line, _s, _o in walk]
    wanted = [
        "claimtrack init",
        "claimtrack new-source",
        f"write {FILE}",
        "claimtrack validate",
        "claimtrack verify my-claims --texts my-claims/texts --fix",
        "claimtrack report my-claims --source",
        "claimtrack review",
        "claimtrack report my-claims --since-run",
        "claimtrack export my-claims",
    ]
    at = -1
    for w in wanted:  # each after the one before
        at = next(i for i, line in enumerate(lines) if i > at and line.startswith(w))


def test_verify_shows_the_lines_the_page_quotes(walk: list[tuple[str, int, str]]) -> None:
    quoted = re.search(
        r"each character that differs:\n\n```text\n(.*?)```", PAGE.read_text("utf-8"), re.S
    )
    assert quoted is not None
    out = _output(walk, "claimtrack verify my-claims --texts my-claims/texts")
    for line in quoted.group(1).splitlines():
        assert line in out.splitlines()


def test_the_fix_changes_only_the_quote(walk: list[tuple[str, int, str]]) -> None:
    written = _output(walk, f"write {FILE}")
    fixed = _output(walk, "fixed file")
    expected = written.replace("“vocational education centers”", '"vocational education centers"')
    assert expected == fixed != written
    assert "verified again: all checks pass" in _output(
        walk, "claimtrack verify my-claims --texts my-claims/texts --fix"
    )


def test_the_source_report_review_and_since_run(walk: list[tuple[str, int, str]]) -> None:
    source = " ".join(_output(walk, "claimtrack report my-claims --source").split())
    assert "Findings: 1 contradiction." in source
    assert "china denies but un asserts" in source
    review = _output(walk, "review report")
    assert (
        "*status: confirmed by Ann Reporter (2026-12-01): the UN and China speak of the same camps*"
        in review
    )
    since = " ".join(_output(walk, "claimtrack report my-claims --since-run").split())
    assert (
        "New since my-claims-run.json: 1 of 2 findings. 1 other finding has new pairs of claims."
    ) in since
    assert "status: new; not reviewed" in since  # the update of the day count
    assert "status: 1 of 2 pairs new; confirmed by Ann Reporter (2026-12-01)" in since
    assert (
        f"    claims: [{SOURCE}:china-vocational, {SOURCE}:un-camps]\n    status: confirmed\n"
    ) in _output(walk, "review file")

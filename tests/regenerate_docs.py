"""Rewrite the command output the docs quote from the real output.

    .venv/bin/python -m tests.regenerate_docs

A ```text from="claimtrack ..."``` block in docs/*.md or README.md quotes lines of that command's
output: runs of lines, with ``…`` for the lines left out between them. ``claims`` in the command
stands for the bundled claims only (``tests.conftest.BUNDLED_SOURCES``), so the claim files a user
adds to ``claims/`` change nothing here. ``tests/test_report.py`` checks that every quoted line is
in the output; after a change to the bundled claims or to the report, this puts in each run the
lines of the new output where it matches best, and says which pages it changed. Review the diff:
a run whose lines are no longer anywhere near the output must be edited by hand.
"""

from __future__ import annotations

import difflib
import io
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from claimtrack.cli import main
from tests.conftest import CLAIMS, ROOT, copy_bundled

SHOWN = re.compile(r'^```text from="([^"]+)"\n(.*?)^```', re.MULTILINE | re.DOTALL)
ELLIPSIS = "…"
LEAST_LIKE = 0.6
"""A run placed where its lines are on average less alike than this is not placed at all."""


def pages() -> list[Path]:
    return [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]


def output(command: str, bundled: Path) -> list[str]:
    """The lines ``command`` prints, with ``claims`` read as the ``bundled`` folder."""
    argv = [str(bundled) if arg == "claims" else arg for arg in shlex.split(command)[1:]]
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, stdout=out, stderr=err)
    if status != 0:
        raise AssertionError(f"`{command}` exited with {status}: {err.getvalue()}")
    return out.getvalue().splitlines()


def runs(block: str) -> Iterator[list[str]]:
    """The runs of quoted lines of a block, between the ``…`` lines."""
    run: list[str] = []
    for line in block.splitlines():
        if line.strip() == ELLIPSIS:
            yield run
            run = []
        else:
            run.append(line)
    yield run


def place(run: list[str], lines: list[str]) -> list[str]:
    """The lines of ``lines`` that best match ``run`` (as many, in one piece)."""
    if not run or not lines:
        return run

    def likeness(i: int) -> float:
        window = lines[i : i + len(run)]
        ratios = [
            difflib.SequenceMatcher(None, a, b).ratio() for a, b in zip(run, window, strict=False)
        ]
        return sum(ratios) / len(run)

    best = max(range(max(1, len(lines) - len(run) + 1)), key=likeness)
    if likeness(best) < LEAST_LIKE:
        raise SystemExit(f"cannot place these quoted lines, edit them by hand: {run!r}")
    return lines[best : best + len(run)]


def regenerate(text: str, bundled: Path) -> str:
    """``text`` with each quoted block's runs replaced by the real output's lines."""

    def block(m: re.Match[str]) -> str:
        lines = output(m.group(1), bundled)
        new = ["\n".join(place(run, lines)) for run in runs(m.group(2).rstrip("\n"))]
        return f'```text from="{m.group(1)}"\n' + f"\n{ELLIPSIS}\n".join(new) + "\n```"

    return SHOWN.sub(block, text)


def run_main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        bundled = copy_bundled(CLAIMS, Path(tmp) / "claims")
        for page in pages():
            text = page.read_text(encoding="utf-8")
            new = regenerate(text, bundled)
            if new != text:
                page.write_text(new, encoding="utf-8")
                print(f"rewrote {page.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main())

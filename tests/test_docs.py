"""The docs are tested: every ```python block runs, every `claimtrack ...` line in a ```sh block
runs through the CLI with the exit status it is documented with (0 unless the line ends with
``# exit N``), after the files that ```yaml write=PATH blocks before it show have been written."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

from claimtrack.cli import main
from tests.conftest import ROOT

DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXIT = re.compile(r"\s+#\s*exit\s+(\d+)\s*$")


def blocks(path: Path, language: str) -> list[str]:
    return [
        m.group(2)
        for m in FENCE.finditer(path.read_text(encoding="utf-8"))
        if m.group(1) == language
    ]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_python_blocks_run(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All python blocks of one page run in order, in one namespace, from the project root."""
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem}"}
    monkeypatch.setenv("CLAIMTRACK_DOCS_TMP", str(tmp_path))
    for n, code in enumerate(blocks(path, "python")):
        try:
            exec(compile(code, f"{path.name}[python block {n}]", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message is the point
            raise AssertionError(f"{path.name} python block {n} failed: {exc!r}\n{code}") from exc


def _scratch_project(tmp_path: Path) -> Path:
    """A folder where the project's files are (as links, with nothing beside it, as in a fresh
    clone) and what commands write is not."""
    project = tmp_path / "project"
    project.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in {".git", ".venv"}:
            (project / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return project


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_claimtrack_commands_run(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commands run where the project's files are, writing their outputs (``--out pairs``,
    ``-o report.html``) to a scratch folder, not into the project."""
    monkeypatch.chdir(_scratch_project(tmp_path))
    for block in _steps(path):
        if isinstance(block, tuple):  # a file the page has the reader write, before what follows
            Path(block[0]).write_text(block[1], encoding="utf-8")
            continue
        for line in block.splitlines():
            line = line.strip().removeprefix("$ ")
            if not line.startswith("claimtrack "):
                continue
            expected = 0
            if m := EXIT.search(line):
                expected, line = int(m.group(1)), line[: m.start()]
            argv = shlex.split(line, comments=True)[1:]
            out, err = io.StringIO(), io.StringIO()
            status = main(argv, stdout=out, stderr=err)
            assert expected == status, f"{path.name}: {line}\n{out.getvalue()}{err.getvalue()}"


WRITE = re.compile(r"^```yaml write=(\S+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _steps(path: Path) -> list[str | tuple[str, str]]:
    """In page order: the ```sh blocks, and the ```yaml write=PATH blocks as ``(PATH, text)``:
    the file as the reader writes it by hand (the claims added to a skeleton), written into the
    scratch folder before the commands after it run."""
    text = path.read_text(encoding="utf-8")
    found: list[tuple[int, str | tuple[str, str]]] = [
        (m.start(), m.group(2)) for m in FENCE.finditer(text) if m.group(1) == "sh"
    ]
    found += [(m.start(), (m.group(1), m.group(2))) for m in WRITE.finditer(text)]
    return [step for _start, step in sorted(found, key=lambda f: f[0])]


FILE_FENCE = re.compile(r"^```yaml file=(\S+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_file_blocks_match_the_files_they_show(path: Path) -> None:
    """A ```yaml file=PATH block shows that file exactly, so the page cannot drift from it."""
    for m in FILE_FENCE.finditer(path.read_text(encoding="utf-8")):
        shown, actual = m.group(2), (ROOT / m.group(1)).read_text(encoding="utf-8")
        assert actual == shown, f"{path.name}: the block for {m.group(1)} differs from the file"


def test_api_reference_names_every_public_name() -> None:
    import claimtrack

    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [name for name in claimtrack.__all__ if f"`{name}" not in api]
    assert [] == missing, f"docs/api.md does not describe: {missing}"


BROKEN_LINE = re.compile(r"^(tests/broken/[\w.-]+\.yaml)(:\d+)?: .*$", re.MULTILINE)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_quoted_error_lines_are_the_real_ones(path: Path) -> None:
    """Error lines quoted from tests/broken/ stand in that file's golden .expected file."""
    for m in BROKEN_LINE.finditer(path.read_text(encoding="utf-8")):
        golden = (ROOT / m.group(1)).with_suffix(".expected").read_text(encoding="utf-8")
        assert m.group(0) in golden.splitlines(), f"{path.name}: stale error line {m.group(0)!r}"


LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_links_to_other_pages_lead_somewhere(path: Path) -> None:
    """Every relative link (``[reports](reports.md)``) names a file that exists."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    targets = [m.group(1) for m in LINK.finditer(text) if "://" not in m.group(1)]
    missing = [t for t in targets if not (path.parent / t).exists()]
    assert [] == missing

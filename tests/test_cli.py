"""The ``claimtrack`` command, run through ``main(argv)`` without a subprocess (but one)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import claimtrack
from claimtrack.cli import main
from tests.conftest import MINI, ROOT, STAND_INS, load_bundled

PROG = "claimtrack"
MINI_ARG = str(MINI.relative_to(ROOT))
BAD_VALUES = "tests/broken/bad-values.yaml"


def run(argv: Sequence[str]) -> tuple[int, str, str]:
    """``(exit status, stdout, stderr)`` of ``claimtrack ARGV``."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


# --- validate ----------------------------------------------------------------------------------


def test_validate_valid_folder() -> None:
    assert (0, "ok: 4 claims from 1 sources, 4 subjects, 5 entities\n", "") == run(
        ["validate", MINI_ARG]
    )


def test_validate_one_file_of_a_folder() -> None:
    status, out, _err = run(["validate", f"{MINI_ARG}/rferl-2019-zhanaozen.yaml"])
    assert (0, "ok: 4 claims") == (status, out[:12])


def test_validate_broken_file_prints_every_problem() -> None:
    expected = (ROOT / "tests/broken/bad-values.expected").read_text(encoding="utf-8")
    status, out, err = run(["validate", BAD_VALUES])
    assert 1 == status
    assert expected + "7 problems found\n" == out
    assert "" == err


def test_validate_unknown_path() -> None:
    assert (1, "nowhere: no such file or folder\n1 problem found\n", "") == run(
        ["validate", "nowhere"]
    )


# --- list --------------------------------------------------------------------------------------


def test_list_text_table() -> None:
    status, out, err = run(["list", MINI_ARG])
    assert (0, "") == (status, err)
    lines = out.splitlines()
    assert ["claim", "subject", "as", "written", "interval", "who", "as", "of", "source"] == lines[
        0
    ].split()
    assert set(lines[1]) == {"-", " "}
    assert 2 + 4 == len(lines)
    detainees = next(line for line in lines if "un-detainees" in line)
    for cell in ("an estimated 1 million", "850,000–1,150,000", "un ← rferl", "2018"):
        assert cell in detainees


def test_list_markdown_table() -> None:
    status, out, _err = run(["list", MINI_ARG, "--format", "md"])
    lines = out.splitlines()
    assert 0 == status
    assert all(line.startswith("|") and line.endswith("|") for line in lines)
    assert lines[0].replace(" ", "") == "|claim|subject|aswritten|interval|who|asof|source|"
    assert set(lines[1]) <= {"|", "-", ":"}
    assert 2 + 4 == len(lines)


def test_list_subject_filter() -> None:
    status, out, _err = run(["list", MINI_ARG, "--subject", "zhanaozen-protest-days"])
    rows = out.splitlines()[2:]
    assert (0, 1) == (status, len(rows))
    assert "rferl-2019-zhanaozen:second-day" in rows[0]
    assert "day 2" in rows[0]


def test_list_subject_filter_repeated() -> None:
    argv = [
        "list",
        MINI_ARG,
        "--subject",
        "xinjiang-detainees",
        "--subject",
        "xinjiang-camps-coercive",
    ]
    status, out, _err = run(argv)
    assert (0, 2) == (status, len(out.splitlines()[2:]))


def test_list_unknown_subject_is_one_error_line() -> None:
    status, out, err = run(["list", MINI_ARG, "--subject", "xinjiang-detainee"])
    assert (1, "") == (status, out)
    assert [
        f"{PROG}: error: unknown subject 'xinjiang-detainee' (did you mean 'xinjiang-detainees'?)"
    ] == err.splitlines()


def test_list_unknown_path_is_one_error_line() -> None:
    """A path that does not exist is one line on stderr, not the problem plus a summary."""
    status, out, err = run(["list", "nowhere"])
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines()), err
    assert err.startswith(f"{PROG}: error: ")
    assert "nowhere: no such file or folder" in err
    assert "Traceback" not in err


def test_list_broken_file_lists_problems_on_stderr() -> None:
    status, out, err = run(["list", BAD_VALUES])
    assert (1, "") == (status, out)
    lines = err.splitlines()
    assert f"{PROG}: error: 7 problem(s) in claim files" == lines[-1]
    assert lines[0].startswith(f"{BAD_VALUES}:11: claims[0].value.low:")
    assert "Traceback" not in err


# --- verify ------------------------------------------------------------------------------------


def test_verify_fails_on_the_normalised_quote() -> None:
    status, out, err = run(["verify", MINI_ARG, "--texts", str(STAND_INS)])
    assert (1, "") == (status, err)
    assert "rferl-2019-zhanaozen:china-vocational" in out
    assert "normalised" in out and "1801" in out and "U+201C" in out
    assert "un-detainees" not in out
    assert "\n3 of 4 quotes verbatim in 1 source texts; 1 check(s) FAIL\n" in out
    assert "--fix' to write the text's characters into the claim files" in out


def test_verify_all_lists_every_check() -> None:
    status, out, _err = run(["verify", MINI_ARG, "--texts", str(STAND_INS), "--all"])
    assert 1 == status
    assert "unfingerprinted" in out
    for claim, offset in [("un-detainees", 1537), ("second-day", 263), ("start", 92)]:
        line = next(x for x in out.splitlines() if f"rferl-2019-zhanaozen:{claim} " in x)
        assert ["found", str(offset)] == line.split()[1:]


def test_verify_missing_texts_folder(tmp_path: Path) -> None:
    status, out, _err = run(["verify", MINI_ARG, "--texts", str(tmp_path)])
    assert 1 == status
    assert "missing" in out
    assert out.endswith("0 of 4 quotes verbatim in 1 source texts; 1 check(s) FAIL\n")


# --- usage -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], f"{PROG}: error: the following arguments are required: COMMAND"),
        (["bogus"], f"{PROG}: error: argument COMMAND: invalid choice: 'bogus'"),
        (["list"], f"{PROG} list: error: the following arguments are required: PATH"),
        (
            ["verify", "claims"],
            f"{PROG} verify: error: the following arguments are required: --texts",
        ),
        (["list", "claims", "--format", "html"], f"{PROG} list: error: argument --format"),
        (["validate", "claims", "--frobnicate"], f"{PROG}: error: unrecognized arguments"),
        (
            ["compare", "claims", "--out", "x", "--workers", "0"],
            f"{PROG} compare: error: argument --workers: expected a whole number of at least 1",
        ),
        (
            ["compare", "claims", "--workers", "2"],
            f"{PROG} compare: error: --workers goes with --out and --engine local",
        ),
    ],
    ids=[
        "no-command",
        "unknown-command",
        "no-path",
        "no-texts",
        "bad-format",
        "unknown-option",
        "zero-workers",
        "workers-without-out",
    ],
)
def test_usage_errors_exit_2_with_one_line(argv: list[str], message: str) -> None:
    status, out, err = run(argv)
    assert (2, "") == (status, out)
    assert 1 == len(err.splitlines()), err
    assert err.startswith(message)


@pytest.mark.parametrize("argv", [["--help"], ["list", "--help"], ["verify", "-h"]])
def test_help_exits_0(argv: list[str]) -> None:
    status, _out, err = run(argv)
    assert (0, "") == (status, err)


@pytest.mark.parametrize("argv", [["--help"], ["list", "--help"]])
def test_help_goes_to_the_given_stdout(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """``main(argv, stdout=...)`` writes everything it prints there, help included (argparse
    prints help to ``sys.stdout`` unless told otherwise)."""
    _status, out, _err = run(argv)
    assert out.startswith(f"usage: {PROG}")
    assert "" == capsys.readouterr().out


def test_help_names_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--help"])
    out = capsys.readouterr().out
    for command in ("validate", "list", "verify"):
        assert command in out


def test_version_through_python_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert (0, "") == (done.returncode, done.stderr)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"{PROG} {version['version']}\n" == done.stdout


def test_compare_a_claims_frame_saved_as_parquet(bundled_folder: Path, tmp_path: Path) -> None:
    """Large inputs come as a claims frame in Parquet; the comparison is the same."""
    claims = load_bundled()
    claims.to_frame().to_parquet(tmp_path / "claims.parquet")
    status, from_parquet, err = run(
        ["compare", str(tmp_path / "claims.parquet"), "--format", "json"]
    )
    assert (0, "") == (status, err)
    status, from_files, _err = run(["compare", str(bundled_folder), "--format", "json"])
    assert 0 == status

    def verdicts(text: str) -> list[tuple[str, str, str]]:  # reasons name subjects by id
        # a frame declares no links between subjects: its pairs are those within subjects
        pairs = [p for p in json.loads(text)["pairs"] if p["link"] is None]
        return [(p["claim_a"], p["claim_b"], p["verdict"]) for p in pairs]

    assert verdicts(from_files) == verdicts(from_parquet)
    status, out, err = run(
        ["compare", str(tmp_path), "--subject", "kazakhs-in-xinjiang"]  # a folder of Parquet files
    )
    assert (0, "") == (status, err)
    assert out.startswith("1 finding:\n")


def test_compare_writes_pairs_with_worker_processes(bundled_folder: Path, tmp_path: Path) -> None:
    folder = str(bundled_folder)
    status, out, err = run(
        ["compare", folder, "--out", str(tmp_path / "pairs"), "--workers", "2", "--format", "md"]
    )
    assert (0, "") == (status, err)
    assert "inconsistent" in out
    assert 148 == len(claimtrack.read_pairs(tmp_path / "pairs"))


# --- streams -----------------------------------------------------------------------------------

EXAMPLE = "docs/examples/zhanaozen"
EVERY_COMMAND = [
    ["validate", MINI_ARG],
    ["list", MINI_ARG],
    ["verify", EXAMPLE, "--texts", str(STAND_INS.relative_to(ROOT))],
    ["compare", MINI_ARG],
    ["report", MINI_ARG],
    ["--help"],
]
CANNOT_WRITE = f"{PROG}: error: cannot write to standard output: "


def python_m(
    argv: Sequence[str], *, closed_stdout: bool = False, **options: Any
) -> subprocess.CompletedProcess[str]:
    """``python -m claimtrack ARGV`` in a process of its own, stderr captured; with
    ``closed_stdout``, started with file descriptor 1 closed (``sh -c '... >&-'``)."""
    command = [sys.executable, "-m", "claimtrack", *argv]
    if closed_stdout:
        command = ["sh", "-c", 'exec "$0" "$@" >&-', *command]
    return subprocess.run(
        command,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
        **options,
    )


@pytest.mark.parametrize("argv", EVERY_COMMAND, ids=lambda argv: argv[0])
def test_stdout_on_a_full_disk_is_one_error_line(argv: list[str]) -> None:
    """Was an OSError traceback (No space left on device)."""
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = python_m(argv, stdout=full)
    assert (1, [f"{CANNOT_WRITE}No space left on device"]) == (
        done.returncode,
        done.stderr.splitlines(),
    )


@pytest.mark.parametrize("argv", EVERY_COMMAND, ids=lambda argv: argv[0])
def test_closed_stdout_is_one_error_line(argv: list[str]) -> None:
    """Was an AttributeError traceback ('NoneType' object has no attribute 'write'): a process
    started with file descriptor 1 closed has ``sys.stdout = None``."""
    done = python_m(argv, closed_stdout=True)
    assert (1, [f"{CANNOT_WRITE}it is closed"]) == (done.returncode, done.stderr.splitlines())


def test_closed_stdout_is_no_error_when_nothing_is_printed(tmp_path: Path) -> None:
    argv = ["report", MINI_ARG, "-o", str(tmp_path / "report.html")]
    done = python_m(argv, closed_stdout=True)
    assert (0, "") == (done.returncode, done.stderr)
    assert (tmp_path / "report.html").exists()


@pytest.mark.parametrize("argv", [["list", MINI_ARG], ["report", MINI_ARG]], ids=["list", "report"])
def test_ascii_stdout_gets_backslash_escapes(argv: list[str]) -> None:
    """Was a UnicodeEncodeError traceback under PYTHONIOENCODING=ascii (or a non-UTF-8 locale):
    characters the encoding cannot hold are written as Python escapes, nothing is lost."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = python_m(argv, stdout=subprocess.PIPE, env=env)
    assert (0, "") == (done.returncode, done.stderr)
    _status, out, _err = run(argv)
    assert "\\u" in done.stdout
    assert out.encode("ascii", "backslashreplace").decode("ascii") == done.stdout


def test_closed_pipe_ends_quietly() -> None:
    """``claimtrack report claims | head -1``: the reader going away is not an error."""
    argv = [sys.executable, "-m", "claimtrack", "report", MINI_ARG]
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        err = process.stderr.read()
    assert (0, "") == (process.returncode, err)


def test_validate_reads_each_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (issue 20): ``claimtrack validate`` parsed every file twice (validate, then load
    for the summary line)."""
    import claimtrack._reader as reader

    read: list[str] = []
    real = reader.read_document

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        read.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(reader, "read_document", counting)
    out, err = io.StringIO(), io.StringIO()
    assert 0 == main(["validate", MINI_ARG], stdout=out, stderr=err)
    assert out.getvalue().startswith("ok: ")
    assert sorted(set(read)) == sorted(read)  # no file twice


def test_report_output_file_is_written_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: ``report -o FILE`` wrote the file in place, so a failure half-way left half a
    report where the old one was."""
    target = tmp_path / "report.html"
    target.write_text("the old report", encoding="utf-8")
    real = os.fsync

    def failing(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing)
    out, err = io.StringIO(), io.StringIO()
    assert 1 == main(["report", MINI_ARG, "-o", str(target)], stdout=out, stderr=err)
    monkeypatch.setattr(os, "fsync", real)
    assert "the old report" == target.read_text(encoding="utf-8")
    assert ["report.html"] == sorted(p.name for p in tmp_path.iterdir())
    assert 1 == len(err.getvalue().splitlines())

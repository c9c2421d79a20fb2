"""``compare(..., out=folder)``: it replaces only a folder it wrote, whole or not at all, one run at
a time, and every path it cannot write to is a one-line error (see docs/reliability.md)."""

from __future__ import annotations

import errno
import io
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

import claimtrack
from claimtrack import PairsFolderError, compare, read_pairs
from claimtrack._synthetic import synthetic_claims
from claimtrack.cli import main

FORK = multiprocessing.get_context("fork")


@cache
def claims() -> pd.DataFrame:
    return synthetic_claims(60, hot=15, cap=5, seed=7)  # 148 pairs


@cache
def expected() -> pd.DataFrame:
    return compare(claims()).pairs


def run(argv: Sequence[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def siblings(folder: Path) -> list[str]:
    """What is beside ``folder`` in its parent, other than it (temporary folders, the lock)."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


def manifest(folder: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((folder / "_comparison.json").read_text())
    return found


def test_the_manifest_lists_every_file_written(tmp_path: Path) -> None:
    folder = tmp_path / "pairs"
    compare(claimtrack.load("claims"), out=folder)
    written = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "_comparison.json"
    )
    expected = ["_claims/part-000000.parquet", "_links.parquet", "_subjects.parquet"]
    assert [*expected, "part-000000.parquet"] == written  # _links: the pairs across links
    assert written == manifest(folder)["files"]
    assert [".pairs.lock"] == siblings(folder)  # nothing else left beside it


def test_writing_again_replaces_the_parts_of_an_earlier_run(tmp_path: Path) -> None:
    """Regression: a part of an earlier run with more parts was left behind; it is a listed file
    of that run, so it is replaced, and the folder then holds one run's parts only."""
    folder = tmp_path / "pairs"
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=10)
    compare(claims(), policy, out=folder, workers=3)
    assert 3 == len(list(folder.glob("part-*.parquet")))
    compare(claims(), out=folder, workers=1)
    assert ["part-000000.parquet"] == [p.name for p in folder.glob("part-*.parquet")]
    pd.testing.assert_frame_equal(expected(), read_pairs(folder))


@pytest.mark.parametrize(
    "foreign", ["_claims/my-own.yaml", "part-000042.parquet", "notes/readme.txt", ".hidden"]
)
def test_a_folder_holding_files_compare_did_not_write_is_refused_and_kept(
    tmp_path: Path, foreign: str
) -> None:
    """Regression: compare deleted ``_claims/my-own.yaml`` and ``part-000042.parquet``."""
    folder = tmp_path / "pairs"
    compare(claims(), out=folder)
    before = manifest(folder)
    (folder / foreign).parent.mkdir(exist_ok=True)
    (folder / foreign).write_text("mine")
    with pytest.raises(PairsFolderError, match="holds files compare did not write") as caught:
        compare(claims(), out=folder)
    assert foreign.split("/")[0] in str(caught.value) and str(folder) in str(caught.value)
    assert "mine" == (folder / foreign).read_text()
    assert before == manifest(folder)  # the earlier comparison untouched


def test_a_folder_compare_did_not_write_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "part-000000.parquet").write_text("not pairs")
    with pytest.raises(PairsFolderError, match="compare did not write it"):
        compare(claims(), out=folder)
    assert ["part-000000.parquet"] == [p.name for p in folder.iterdir()]


def test_an_empty_folder_is_written_into(tmp_path: Path) -> None:
    (tmp_path / "pairs").mkdir()
    compare(claims(), out=tmp_path / "pairs")
    pd.testing.assert_frame_equal(expected(), read_pairs(tmp_path / "pairs"))


def test_a_folder_of_an_earlier_release_is_read_but_not_replaced(tmp_path: Path) -> None:
    """Manifests listed no files before: such a folder still reads, and is not replaced (which of
    its files compare wrote cannot be told)."""
    folder = tmp_path / "pairs"
    compare(claims(), out=folder)
    old = {k: v for k, v in manifest(folder).items() if k != "files"}
    (folder / "_comparison.json").write_text(json.dumps(old))
    pd.testing.assert_frame_equal(expected(), read_pairs(folder))
    with pytest.raises(PairsFolderError, match="compare did not write it"):
        compare(claims(), out=folder)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("remove", r"files its manifest lists are missing \(part-000001.parquet\)"),
        ("add", r"does not list.*\(part-000042.parquet\)"),
        ("add claims", r"does not list.*\(_claims/extra.parquet\)"),
    ],
)
def test_read_pairs_checks_the_files_against_the_manifest(
    tmp_path: Path, change: str, message: str
) -> None:
    folder = tmp_path / "pairs"
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=10)
    compare(claims(), policy, out=folder, workers=2)
    if change == "remove":
        (folder / "part-000001.parquet").unlink()
    elif change == "add":
        (folder / "part-000042.parquet").write_bytes((folder / "part-000000.parquet").read_bytes())
    else:
        (folder / "_claims" / "extra.parquet").write_bytes(b"")
    with pytest.raises(PairsFolderError, match=message):
        read_pairs(folder)


# -- whole or not at all ------------------------------------------------------------------------


def _no_space(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("where", ["claims", "pairs in a worker", "pairs in threads", "manifest"])
def test_a_full_disk_leaves_the_earlier_comparison_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import pyarrow.parquet as pq

    from claimtrack.compare import _output

    folder = tmp_path / "pairs"
    curated = claimtrack.load("claims")
    compare(curated, out=folder)
    before = read_pairs(folder)
    if where == "claims":
        monkeypatch.setattr(pd.DataFrame, "to_parquet", _no_space)
    elif where == "manifest":
        monkeypatch.setattr(_output, "write_manifest", _no_space)
    else:  # forked workers inherit the patch
        monkeypatch.setattr(pq.ParquetWriter, "write_table", _no_space)
    workers = 2 if where == "pairs in a worker" else 1
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=10)
    with pytest.raises(PairsFolderError, match="No space left on device") as caught:
        compare(claims(), policy, out=folder, workers=workers)
    assert "nothing was written" in str(caught.value)
    monkeypatch.undo()
    pd.testing.assert_frame_equal(before, read_pairs(folder))
    assert [".pairs.lock"] == siblings(folder)


def _slow_policy(seconds: float) -> claimtrack.ComparePolicy:
    """The default policy, its first rule taking ``seconds`` per chunk (1 pair a chunk)."""
    rules = claimtrack.DEFAULT_COMPARE_POLICY.rules
    first = rules[0]

    def when(p: Any) -> Any:
        time.sleep(seconds)
        return first.when(p)

    return attrs.evolve(
        claimtrack.DEFAULT_COMPARE_POLICY,
        rules=(attrs.evolve(first, when=when), *rules[1:]),
        max_pairs_per_chunk=2,
    )


def _compare_into(folder: str, seconds: float, started: Any = None) -> None:
    if started is not None:
        started.wait()
    try:
        compare(claims(), _slow_policy(seconds), out=folder, workers=1)
    except PairsFolderError as error:
        os._exit(3 if "another compare is writing" in str(error) else 4)
    os._exit(0)


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def _writing(folder: Path) -> bool:
    return any(".tmp-" in name for name in siblings(folder))


@pytest.fixture
def slow_run(tmp_path: Path) -> Iterator[tuple[Path, Any]]:
    """A run into ``tmp_path / "pairs"`` (over an earlier one) under way in another process."""
    folder = tmp_path / "pairs"
    compare(claims(), out=folder)
    process = FORK.Process(target=_compare_into, args=(str(folder), 0.05))
    process.start()
    try:
        _wait_for(lambda: _writing(folder))
        yield folder, process
    finally:
        if process.is_alive():
            process.kill()
        process.join()


def test_a_second_run_into_the_folder_fails_at_once(slow_run: tuple[Path, Any]) -> None:
    folder, process = slow_run
    started = time.monotonic()
    with pytest.raises(PairsFolderError, match="another compare is writing to this folder"):
        compare(claims(), out=folder)
    assert time.monotonic() - started < 5
    status, _out, err = run(["compare", "claims", "--out", str(folder)])
    assert 1 == status and 1 == len(err.splitlines()) and "another compare is writing" in err
    process.join(120)
    assert 0 == process.exitcode  # the first run finished, and its output is whole
    pd.testing.assert_frame_equal(expected(), read_pairs(folder))


def test_a_run_killed_midway_leaves_the_earlier_comparison_whole(
    slow_run: tuple[Path, Any],
) -> None:
    folder, process = slow_run
    os.kill(process.pid, signal.SIGKILL)
    process.join()
    pd.testing.assert_frame_equal(expected(), read_pairs(folder))
    assert _writing(folder)  # its temporary folder is left, under another name
    compare(claims(), out=folder)  # the next run removes it
    assert [".pairs.lock"] == siblings(folder)


def test_two_runs_racing_into_one_folder_never_corrupt_it(tmp_path: Path) -> None:
    """Regression: two runs at once corrupted the folder (3 of 4 trials) or lost one's output
    silently. Now one may fail at once, saying so; the folder always holds one whole run."""
    for trial in range(4):
        folder = tmp_path / str(trial) / "pairs"
        started = FORK.Event()
        runs = [
            FORK.Process(target=_compare_into, args=(str(folder), 0.002, started)) for _ in range(2)
        ]
        for process in runs:
            process.start()
        started.set()
        for process in runs:
            process.join(120)
        codes = sorted(p.exitcode for p in runs)
        assert codes in ([0, 0], [0, 3]), codes  # 3: refused, "another compare is writing"
        pd.testing.assert_frame_equal(expected(), read_pairs(folder))
        assert [".pairs.lock"] == siblings(folder)


# -- paths that cannot be a folder of pairs -----------------------------------------------------


def _under_a_file(tmp_path: Path) -> str:
    (tmp_path / "file.txt").write_text("x")
    return str(tmp_path / "file.txt" / "pairs")


def _a_file(tmp_path: Path) -> str:
    (tmp_path / "pairs.parquet").write_text("x")
    return str(tmp_path / "pairs.parquet")


def _a_link(tmp_path: Path) -> str:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    return str(tmp_path / "link")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (lambda _: "/dev/null", "this is a character device"),
        (_a_file, "this is a file; remove it or choose another path"),
        (_under_a_file, "file.txt is a file, not a folder"),
        (_a_link, "is a symbolic link"),
        (lambda _: "", "the path is empty"),
    ],
    ids=["dev-null", "a-file", "under-a-file", "a-symlink", "empty"],
)
def test_a_path_that_cannot_be_a_folder_is_one_line_and_nothing_is_written(
    tmp_path: Path, path: Callable[[Path], str], message: str
) -> None:
    out = path(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    status, stdout, err = run(["compare", "claims", "--out", out])
    assert (1, "") == (status, stdout)
    assert 1 == len(err.splitlines()) and err.startswith("claimtrack: error: ")
    assert message in err
    assert before == sorted(p.name for p in tmp_path.iterdir())  # no lock, no temporary folder
    if out == "/dev/null":
        assert Path("/dev/null").is_char_device()


def test_a_read_only_parent_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(``os.open`` is faked: the tests may run as root, for whom nothing is read-only.)"""
    real = os.open

    def read_only(path: Any, *args: Any, **kwargs: Any) -> int:
        if Path(path).parent == tmp_path and args and args[0] & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    status, _out, err = run(["compare", "claims", "--out", str(tmp_path / "pairs")])
    assert 1 == status and 1 == len(err.splitlines())
    assert f"cannot write in its folder {tmp_path}: Permission denied" in err
    assert [] == list(tmp_path.iterdir())


def test_a_full_disk_is_one_line_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pd.DataFrame, "to_parquet", _no_space)
    status, _out, err = run(["compare", "claims", "--out", str(tmp_path / "pairs")])
    assert 1 == status and 1 == len(err.splitlines())
    assert "cannot write the pairs: No space left on device" in err
    assert [".pairs.lock"] == sorted(p.name for p in tmp_path.iterdir())


# -- the Dask engine follows the same rules -----------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    import dask.distributed as distributed

    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0"
    ) as connected:
        yield connected


def test_the_dask_engine_owns_only_what_it_wrote(tmp_path: Path, client: Any) -> None:
    folder = tmp_path / "pairs"
    compare(claims(), out=folder, workers=1)
    compare(claims(), engine="dask", client=client, out=folder)
    assert set(manifest(folder)["files"]) >= {"part-000000.parquet", "_claims/part-000000.parquet"}
    pd.testing.assert_frame_equal(expected(), read_pairs(folder))
    (folder / "part-000042.parquet").write_text("mine")
    with pytest.raises(PairsFolderError, match=r"did not write \(part-000042.parquet\)"):
        compare(claims(), engine="dask", client=client, out=folder)
    assert "mine" == (folder / "part-000042.parquet").read_text()
    with pytest.raises(PairsFolderError, match="character device"):
        compare(claims(), engine="dask", client=client, out="/dev/null")
    assert [".pairs.lock"] == siblings(folder)

"""Memory guards: more pairs than ``ComparePolicy.max_pairs_in_memory`` held in memory (compared
without ``out``, or read back from a folder) are refused before the work starts, with a message
that says what to do instead."""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

import claimtrack
from claimtrack import TooManyPairsError, compare, read_pairs
from claimtrack._synthetic import synthetic_claims
from claimtrack.cli import main
from claimtrack.compare import NOTABLE
from tests.conftest import MINI

DEFAULT = claimtrack.DEFAULT_COMPARE_POLICY


def limited(pairs: int | None) -> claimtrack.ComparePolicy:
    return attrs.evolve(DEFAULT, max_pairs_in_memory=pairs)


@cache
def claims() -> pd.DataFrame:
    return synthetic_claims(60, hot=15, cap=5, seed=7)  # 148 pairs, 105 in the hot subject


def run(argv: Sequence[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_comparing_more_pairs_than_the_limit_in_memory_is_refused_with_what_to_do() -> None:
    with pytest.raises(TooManyPairsError) as caught:
        compare(claims(), limited(100))
    error = caught.value
    hot = claims()["subject"].astype(str).value_counts().index[0]
    assert (148, 148 * 800, 100, hot, 15, None) == (
        error.pairs,
        error.estimated_bytes,
        error.limit,
        error.largest_subject,
        error.largest_claims,
        error.folder,
    )
    assert isinstance(error, MemoryError)
    assert str(error) == (
        "comparing these claims in memory would make 148 pairs (about 0 MiB), more than the "
        "limit of 100 pairs (ComparePolicy.max_pairs_in_memory, --max-pairs); the largest "
        f"subject, {hot}, has 15 claims. Write the pairs to a folder with out=... (claimtrack "
        "compare --out DIR), compare a part (--subject ID), or raise the limit"
    )


def test_the_limit_is_the_pairs_and_can_be_raised_or_lifted() -> None:
    assert 148 == len(compare(claims(), limited(148)).pairs)
    assert 148 == len(compare(claims(), limited(None)).pairs)


def test_a_hundred_thousand_claims_in_one_subject_are_refused_at_once() -> None:
    """Regression: ``claimtrack report`` on 100,000 claims about one subject was killed by the
    OOM killer at about 24 GB. Now the pairs are counted (from the claims per subject) first."""
    frame = synthetic_claims(100_000, hot=100_000, cap=5, seed=7)
    started = time.monotonic()
    with pytest.raises(TooManyPairsError, match=r"4,999,950,000 pairs \(about 3\.6 TiB\)"):
        compare(frame)
    assert time.monotonic() - started < 10  # about 0.1 s


def test_pairs_written_to_a_folder_are_not_limited_but_reading_them_all_back_is(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "pairs"
    written = compare(claims(), limited(20), out=folder)
    with pytest.raises(TooManyPairsError) as caught:
        written.pairs  # noqa: B018
    assert (148, str(folder)) == (caught.value.pairs, caught.value.folder)
    assert "read_pairs(folder, verdicts=[...], subjects=[...])" in str(caught.value)
    with pytest.raises(TooManyPairsError, match="reading these pairs into memory would hold 148"):
        read_pairs(folder, limited(100))
    assert 148 == len(read_pairs(folder))  # the default limit
    assert 148 == len(read_pairs(folder, limited(148)))
    per_subject = read_pairs(folder, limited(None), reasons=False)["subject"].value_counts()
    some = list(per_subject.index[per_subject <= 5][:3])
    assert 0 < len(read_pairs(folder, limited(20), subjects=some)) <= 20


def test_findings_are_counted_before_they_are_read(tmp_path: Path) -> None:
    """Findings read only the notable pairs: limited by how many those are, not all pairs."""
    in_memory = compare(claims())
    notable = int(in_memory.pairs["verdict"].isin([v.value for v in NOTABLE]).sum())
    assert 0 < notable < 148
    written = compare(claims(), limited(notable), out=tmp_path / "pairs")
    pd.testing.assert_frame_equal(in_memory.findings(), written.findings())
    fewer = compare(claims(), limited(notable - 1), out=tmp_path / "pairs")
    with pytest.raises(TooManyPairsError, match=f"would hold {notable} pairs"):
        fewer.findings()


@pytest.fixture
def crowded(tmp_path: Path) -> Iterator[Path]:
    """A claims folder: the mini set, plus 200 claims about one subject (20,100 pairs with the mini set's claim)."""
    folder = tmp_path / "claims"
    shutil.copytree(MINI, folder)
    lines = [
        "source:",
        "  id: crowd",
        "  title: Many figures",
        "  publisher: rferl",
        '  published: "2019-09-03"',
        "claims:",
    ]
    for k in range(200):
        lines += [
            f"  - id: crowd:c{k}",
            "    subject: xinjiang-detainees",
            f"    quote: about {k + 1},000 people",
            "    claimant: un",
            f"    value: about {k + 1},000",
        ]
    (folder / "crowd.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    yield folder


@pytest.mark.parametrize("command", ["report", "compare"])
def test_the_command_line_says_so_in_one_line(crowded: Path, command: str) -> None:
    status, out, err = run([command, str(crowded), "--max-pairs", "10000"])
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines())
    assert err.startswith(
        "claimtrack: error: comparing these claims in memory would make 20,100 pairs "
    )
    assert "the largest subject, xinjiang-detainees, has 201 claims" in err
    assert 0 == run([command, str(crowded), "--max-pairs", "20100"])[0]


def test_compare_out_reads_back_only_what_the_limit_allows(crowded: Path, tmp_path: Path) -> None:
    """``compare --out`` is not limited by the pairs it writes, only by the findings it prints."""
    out = str(tmp_path / "pairs")
    assert 0 == run(["compare", str(crowded), "--out", out, "--max-pairs", "20099"])[0]
    status, _out, err = run(
        ["compare", str(crowded), "--out", out, "--max-pairs", "20099", "--all"]
    )
    assert 1 == status and "reading these pairs into memory would hold 20,100 pairs" in err


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    import dask.distributed as distributed

    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0"
    ) as connected:
        yield connected


def test_the_dask_engine_gathering_pairs_is_limited_too(client: Any, tmp_path: Path) -> None:
    with pytest.raises(TooManyPairsError, match="would make 148 pairs"):
        compare(claims(), limited(100), engine="dask", client=client)
    written = compare(claims(), limited(100), engine="dask", client=client, out=tmp_path / "p")
    assert 148 == len(read_pairs(written.pairs_path or "", limited(None)))


def test_compacted_links_keep_the_origins_and_the_superseded_claims() -> None:
    """What a folder's summary holds of the repeat and update pairs grows with the claims."""
    from claimtrack.compare._decide import Links
    from claimtrack.compare._guard import compact_links
    from claimtrack.compare._summary import origins

    rng = np.random.default_rng(3)
    n, m = 300, 2_000
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    links = Links(np.minimum(a, b), np.maximum(a, b), rng.random(m) < 0.3)
    small = compact_links(links)
    assert origins(n, links).tolist() == origins(n, small).tolist()
    assert set(links.a[links.update].tolist()) == set(small.a[small.update].tolist())
    assert len(small.a) < 2 * n < m


@pytest.mark.parametrize("workers", [1, 2])
def test_compacting_links_never_changes_the_subjects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    from claimtrack.compare import _guard

    frame = synthetic_claims(3000, hot=400, cap=200, seed=7)  # ~90,000 pairs
    policy = attrs.evolve(DEFAULT, max_pairs_per_chunk=2_000)
    in_memory = compare(frame, policy)
    monkeypatch.setattr(_guard, "COMPACT_LINKS_AT", 10)  # forked workers inherit it
    written = compare(frame, policy, out=tmp_path / "pairs", workers=workers)
    pd.testing.assert_frame_equal(in_memory.subjects, written.subjects)

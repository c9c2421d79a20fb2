"""The comparator at scale: chunking and Parquet output never change the pairs."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pyarrow  # noqa: F401  (out= needs it; the test extra installs it)
import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack
from claimtrack import Comparison, compare
from claimtrack._synthetic import pair_count, subject_sizes, synthetic_claims
from claimtrack.compare import PAIR_COLUMNS

SMALL = (60, 15)  # 148 pairs, 105 of them in the hot subject: small enough for 1 pair per chunk
LARGE = (3000, 400)  # ~90k pairs, 80k in the hot subject


@cache
def claims(n: int, hot: int) -> pd.DataFrame:
    return synthetic_claims(n, hot=hot, cap=5 if n < 100 else 200, seed=7)


@cache
def one_chunk(n: int, hot: int) -> Comparison:
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=10**9)
    return compare(claims(n, hot), policy)


def assert_same(expected: Comparison, actual: Comparison) -> None:
    pd.testing.assert_frame_equal(
        expected.pairs.reset_index(drop=True), actual.pairs.reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(expected.subjects, actual.subjects)
    pd.testing.assert_frame_equal(expected.series, actual.series)


def test_the_generated_set_has_a_hot_subject_and_every_kind_of_verdict() -> None:
    sizes = subject_sizes(*LARGE[:1], hot=LARGE[1], seed=7)
    assert 400 == sizes[0] and 3000 == sizes.sum()
    assert pair_count(sizes) >= 400 * 399 // 2
    verdicts = set(one_chunk(*LARGE).pairs["verdict"])
    assert {"agree", "refine", "differ", "update", "change", "repeat", "contradict"} <= verdicts


@pytest.mark.parametrize(("n", "hot", "chunk"), [(*SMALL, 1), (*SMALL, 7), (*LARGE, 1000)])
def test_chunk_size_never_changes_pairs_or_subjects(n: int, hot: int, chunk: int) -> None:
    """A hot subject split over many chunks gives the pairs of one chunk, in the same order."""
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=chunk)
    assert_same(one_chunk(n, hot), compare(claims(n, hot), policy))


@pytest.mark.parametrize("chunk", [1, 7, 10_000, 10**9])
def test_parquet_output_reads_back_as_the_pairs_in_memory(tmp_path: Path, chunk: int) -> None:
    n, hot = SMALL if chunk < 100 else LARGE
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=chunk)
    path = tmp_path / "pairs"
    written = compare(claims(n, hot), policy, out=path)
    assert written.pairs_frame is None and path == written.pairs_path
    raw = pd.read_parquet(path)  # any Parquet reader: every column but the reasons
    assert [c for c in PAIR_COLUMNS if c != "reason"] == list(raw.columns)
    assert isinstance(raw["claim_a"].dtype, pd.CategoricalDtype)  # ids dictionary-encoded
    assert_same(one_chunk(n, hot), written)  # reasons written when read
    import pyarrow.parquet as pq

    schema = pq.read_schema(path / "part-000000.parquet")
    nullable = {"kind", "overlap", "link"}  # link: missing for a pair within one subject
    assert nullable == {f.name for f in schema if f.nullable}  # the rest required


def test_read_pairs_selects_verdicts_and_subjects_with_the_same_reasons(tmp_path: Path) -> None:
    expected = one_chunk(*LARGE).pairs
    compare(claims(*LARGE), out=tmp_path / "pairs")
    some = sorted(set(expected["subject"]))[1:40:3]
    wanted = expected[
        expected["subject"].isin(some) & expected["verdict"].isin(["differ", "agree"])
    ]
    found = claimtrack.read_pairs(tmp_path / "pairs", verdicts=["differ", "agree"], subjects=some)
    assert len(wanted) > 20
    pd.testing.assert_frame_equal(wanted.reset_index(drop=True), found)
    bare = claimtrack.read_pairs(tmp_path / "pairs", reasons=False)
    pd.testing.assert_frame_equal(expected.drop(columns="reason"), bare)


def test_read_pairs_needs_the_rules_that_decided(tmp_path: Path) -> None:
    policy = claimtrack.DEFAULT_COMPARE_POLICY
    renamed = attrs.evolve(
        policy, rules=tuple(attrs.evolve(r, name=f"my-{r.name}") for r in policy.rules)
    )
    compare(claims(*SMALL), renamed, out=tmp_path / "pairs")
    with pytest.raises(ValueError, match="pass the policy they were compared with"):
        claimtrack.read_pairs(tmp_path / "pairs")
    assert len(claimtrack.read_pairs(tmp_path / "pairs", renamed))


def test_out_is_a_folder_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "pairs.parquet").write_bytes(b"")
    with pytest.raises(ValueError, match="folder"):
        compare(claims(*SMALL), out=tmp_path / "pairs.parquet")
    with pytest.raises(ValueError, match="not a folder of pairs"):
        claimtrack.read_pairs(tmp_path)


def test_parquet_output_with_kept_verdicts_only(tmp_path: Path) -> None:
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, keep={"differ", "contradict"})
    in_memory = compare(claims(*LARGE), policy)
    written = compare(claims(*LARGE), policy, out=tmp_path / "pairs")
    assert {"differ", "contradict"} == set(written.pairs["verdict"])
    assert_same(in_memory, written)


def test_a_rule_with_a_plain_explain_function_works_in_memory_and_in_parquet(
    tmp_path: Path,
) -> None:
    """Rules may explain with any callable; only built-in templates take the Arrow fast path."""
    rules = claimtrack.DEFAULT_COMPARE_POLICY.rules
    first = rules[1]  # repeat-same-claimant-same-value
    plain = attrs.evolve(
        first,
        explain=lambda p, m: [
            f"{{same}} {a} {b}" for a, b in zip(p.a("claim")[m], p.b("claim")[m], strict=True)
        ],
    )
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, rules=(rules[0], plain, *rules[2:]))
    in_memory = compare(claims(*LARGE), policy)
    written = compare(claims(*LARGE), policy, out=tmp_path / "pairs")
    assert_same(in_memory, written)
    repeats = in_memory.pairs[in_memory.pairs["rule"] == first.name]
    assert len(repeats) and repeats["reason"].str.startswith("{same} ").all()


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_worker_processes_write_the_same_pairs_in_order(tmp_path: Path, workers: int) -> None:
    """Each worker writes a part; read together they are the pairs of one process, in order."""
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=5_000)
    written = compare(claims(*LARGE), policy, out=tmp_path / "pairs", workers=workers)
    parts = sorted(p.name for p in (tmp_path / "pairs").glob("part-*.parquet"))
    assert [f"part-{k:06d}.parquet" for k in range(workers)] == parts
    assert_same(one_chunk(*LARGE), written)


def test_more_workers_than_chunks_write_one_part_per_chunk(tmp_path: Path) -> None:
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=10**9)
    written = compare(claims(*SMALL), policy, out=tmp_path / "pairs", workers=4)
    assert ["part-000000.parquet"] == [p.name for p in (tmp_path / "pairs").glob("part-*")]
    assert_same(one_chunk(*SMALL), written)


def _failing_rule(when: Any) -> claimtrack.ComparePolicy:
    rules = claimtrack.DEFAULT_COMPARE_POLICY.rules
    failing = attrs.evolve(rules[0], when=when)
    return attrs.evolve(
        claimtrack.DEFAULT_COMPARE_POLICY, rules=(failing, *rules[1:]), max_pairs_per_chunk=50
    )


def _raise(p: Any) -> Any:
    raise ZeroDivisionError(f"rule failed on {len(p.i)} pairs")


def test_an_error_in_a_worker_is_raised_by_compare(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError, match="rule failed on 25 pairs"):
        compare(claims(*SMALL), _failing_rule(_raise), out=tmp_path / "pairs", workers=2)


def test_a_worker_that_dies_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(claimtrack.WorkerError, match=r"claimtrack-pairs-\d exited with code 3"):
        compare(
            claims(*SMALL), _failing_rule(lambda p: os._exit(3)), out=tmp_path / "pairs", workers=2
        )


def _big_result(n: int) -> dict[str, Any]:
    return {"rows": np.arange(n), "name": "x" * n}


@pytest.mark.parametrize("where", ["file", "full file", "no temporary folder"])
def test_a_worker_result_of_megabytes_arrives_whole(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results go through a temporary file, or the pipe where there is no file or no room."""
    from claimtrack.compare import _forked

    def fails(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    if where == "full file":
        monkeypatch.setattr(_forked.os, "pwrite", fails)  # the forked worker inherits it
    elif where == "no temporary folder":
        monkeypatch.setattr(_forked.tempfile, "TemporaryFile", fails)
    with _forked.Forked(_big_result, (3_000_000,), name="claimtrack-test") as worker:
        got = worker.result()
    assert 3_000_000 == len(got["name"])
    np.testing.assert_array_equal(np.arange(3_000_000), got["rows"])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 2}, "writing pairs to a folder"),
        ({"workers": 0, "out": "x"}, "at least 1, not 0"),
        ({"workers": 1.5, "out": "x"}, "whole number"),
        ({"workers": 2, "out": "x", "engine": "dask"}, "Dask cluster has its own workers"),
    ],
)
def test_workers_must_be_a_count_and_go_with_out(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compare(claims(*SMALL), **options)


@given(
    sizes=st.lists(st.integers(1, 12), min_size=1, max_size=12),
    cut=st.integers(1, 80),
)
def test_the_pair_sequence_cut_anywhere_enumerates_every_pair_once_in_order(
    sizes: list[int], cut: int
) -> None:
    """Ranges of the pair sequence, joined, are every (i, j) with i < j in one block, in order,
    and each range's rows cover the rows its pairs touch."""
    from claimtrack.compare._pairs import PairSequence

    blocks = np.repeat(np.arange(len(sizes)), sizes)
    expected = [
        (i, j)
        for i in range(len(blocks))
        for j in range(i + 1, len(blocks))
        if blocks[i] == blocks[j]
    ]
    sequence = PairSequence.of(blocks)
    found: list[tuple[int, int]] = []
    for k0, k1 in sequence.ranges(cut):
        i, j = sequence.indices(k0, k1)
        assert k1 - k0 == len(i) == len(j)
        lo, hi = sequence.rows(k0, k1)  # the rows a part's names must cover
        assert lo == i.min() and j.max() < hi <= len(blocks)
        found += zip(i.tolist(), j.tolist(), strict=True)
    assert expected == found


def _compare_in(folder: str) -> int:
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=5_000)
    return len(compare(claims(*LARGE), policy, out=folder).pairs)


def test_a_daemonic_process_compares_in_threads(tmp_path: Path) -> None:
    """A multiprocessing.Pool worker may not fork workers of its own: it uses threads."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert len(one_chunk(*LARGE).pairs) == pool.apply(_compare_in, (str(tmp_path / "p"),))
    assert ["part-000000.parquet"] == [p.name for p in (tmp_path / "p").glob("part-*")]


@given(
    columns=st.lists(
        st.tuples(st.integers(1, 2**40), st.integers(0, 2**31 - 1)), min_size=1, max_size=5
    ),
    n=st.integers(0, 40),
)
def test_packed_order_is_the_stable_lexicographic_order(
    columns: list[tuple[int, int]], n: int
) -> None:
    """Packing sort columns into as few integer keys as fit orders rows as numpy.lexsort does."""
    from claimtrack.compare._arrays import _packed_order

    values = [
        (np.random.default_rng(seed).integers(0, min(width, 3 + seed % 7), n), width)
        for width, seed in columns
    ]
    expected = np.lexsort([v for v, _ in reversed(values)]) if n else np.zeros(0, np.int64)
    assert expected.tolist() == _packed_order(values).tolist()


@given(st.lists(st.one_of(st.none(), st.integers(-800_000, 3_000_000), st.floats(-1e6, 1e6))))
def test_day_ranks_keep_the_order_of_days_with_missing_last(days: list[float | None]) -> None:
    from claimtrack.compare._arrays import _day_ranks

    values = np.array([np.nan if d is None else d for d in days], dtype=np.float64)
    ranks, width = _day_ranks(values)
    assert ((0 <= ranks) & (ranks < width)).all()
    assert np.argsort(values, kind="stable").tolist() == np.argsort(ranks, kind="stable").tolist()

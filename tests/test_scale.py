"""The comparator at scale: chunking and Parquet output never change the pairs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import attrs
import pandas as pd
import pyarrow  # noqa: F401  (out= needs it; the test extra installs it)
import pytest

import claimtrack
from claimtrack import Comparison, compare
from claimtrack._synthetic import pair_count, subject_sizes, synthetic_claims

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
    assert [c for c in claimtrack._kernel.PAIR_COLUMNS if c != "reason"] == list(raw.columns)
    assert isinstance(raw["claim_a"].dtype, pd.CategoricalDtype)  # ids dictionary-encoded
    assert_same(one_chunk(n, hot), written)  # reasons written when read


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

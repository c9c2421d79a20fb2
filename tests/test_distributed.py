"""The Dask engine gives exactly the local engine's pairs, verdicts, subjects and series checks.

A real ``dask.distributed.LocalCluster`` with two worker processes, shared by the module.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pandas as pd
import pytest

import claimtrack
from claimtrack._synthetic import pair_count, subject_sizes, synthetic_claims
from claimtrack.cli import main

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

from claimtrack.distributed import pairs_dask  # noqa: E402

HOT = 1_000
"""Claims of the hot subject in the generated set: 499,500 pairs, ten chunks of 50,000."""
SMALL_CHUNKS = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_per_chunk=50_000)


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def curated() -> claimtrack.ClaimSet:
    return claimtrack.load("claims")


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    """50,000 claims: a hot subject of 1,000 claims and many small subjects."""
    return synthetic_claims(50_000, hot=HOT, cap=4, seed=7)


@pytest.fixture(scope="module")
def generated_local(generated: pd.DataFrame) -> claimtrack.Comparison:
    return claimtrack.compare(generated, SMALL_CHUNKS)


def assert_same(local: claimtrack.Comparison, other: claimtrack.Comparison) -> None:
    pd.testing.assert_frame_equal(local.pairs, other.pairs)
    pd.testing.assert_frame_equal(local.subjects, other.subjects)
    pd.testing.assert_frame_equal(local.series, other.series)


def sorted_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    return pairs.sort_values(["claim_a", "claim_b"], ignore_index=True)


def test_curated_claims_give_the_local_result(client: object, curated: claimtrack.ClaimSet) -> None:
    local = claimtrack.compare(curated)
    on_dask = claimtrack.compare(curated, engine="dask", client=client)
    assert_same(local, on_dask)
    assert 99 == len(on_dask.pairs)
    assert on_dask.claims is curated
    assert claimtrack.report(local) == claimtrack.report(on_dask)


def test_generated_claims_with_a_hot_subject(
    client: object, generated: pd.DataFrame, generated_local: claimtrack.Comparison
) -> None:
    """The hot subject's pairs are compared in ranges by separate tasks, each pair once."""
    assert pair_count(subject_sizes(50_000, hot=HOT, cap=4, seed=7)) > 500_000
    with distributed.get_task_stream(client) as stream:
        on_dask = claimtrack.compare(generated, SMALL_CHUNKS, engine="dask", client=client)
    assert_same(generated_local, on_dask)
    ranges = [t for t in stream.data if "_compare_range" in str(t["key"])]
    workers = {t["worker"] for t in ranges}
    assert len(ranges) >= 10
    assert 2 == len(workers)
    assert not on_dask.pairs.duplicated(["claim_a", "claim_b"]).any()


def test_pairs_written_by_the_workers(
    client: object, generated: pd.DataFrame, generated_local: claimtrack.Comparison, tmp_path: Path
) -> None:
    folder = tmp_path / "pairs"
    on_dask = claimtrack.compare(generated, SMALL_CHUNKS, engine="dask", client=client, out=folder)
    assert folder == on_dask.pairs_path
    assert on_dask.pairs_frame is None
    assert len(list(folder.glob("part-*.parquet"))) > 10
    pd.testing.assert_frame_equal(sorted_pairs(generated_local.pairs), sorted_pairs(on_dask.pairs))
    pd.testing.assert_frame_equal(generated_local.subjects, on_dask.subjects)
    again = claimtrack.compare(generated, SMALL_CHUNKS, engine="dask", client=client, out=folder)
    assert len(generated_local.pairs) == len(again.pairs)  # old parts are replaced


def test_pairs_as_a_lazy_dask_frame(
    client: object, generated: pd.DataFrame, generated_local: claimtrack.Comparison
) -> None:
    lazy = pairs_dask(generated, SMALL_CHUNKS)
    assert isinstance(lazy, dd.DataFrame)
    differ = lazy[lazy["verdict"] == "differ"].compute()
    expected = generated_local.pairs[generated_local.pairs["verdict"] == "differ"]
    pd.testing.assert_frame_equal(sorted_pairs(expected), sorted_pairs(differ))
    pd.testing.assert_frame_equal(sorted_pairs(generated_local.pairs), sorted_pairs(lazy.compute()))


def test_a_dask_frame_from_parquet(
    client: object, curated: claimtrack.ClaimSet, tmp_path: Path
) -> None:
    """Inputs bigger than memory come from Parquet through ``dd.read_parquet``."""
    frame = curated.to_frame().drop(columns=["via"])
    frame.to_parquet(tmp_path / "claims.parquet")
    local = claimtrack.compare(curated.to_frame())
    on_dask = claimtrack.compare(
        dd.read_parquet(tmp_path / "claims.parquet"), engine="dask", client=client
    )
    pd.testing.assert_frame_equal(local.pairs, on_dask.pairs)
    pd.testing.assert_frame_equal(local.subjects, on_dask.subjects)


def test_a_scheduler_address_and_the_default_client(
    client: object, curated: claimtrack.ClaimSet
) -> None:
    local = claimtrack.compare(curated)
    address = client.scheduler.address  # type: ignore[attr-defined]
    assert_same(local, claimtrack.compare(curated, engine="dask", client=address))
    assert_same(local, claimtrack.compare(curated, engine="dask"))  # the current client


def test_the_cli_runs_on_a_scheduler(client: object, tmp_path: Path) -> None:
    address = client.scheduler.address  # type: ignore[attr-defined]
    out, err = io.StringIO(), io.StringIO()
    argv = ["compare", "claims", "--engine", "dask", "--scheduler", address]
    argv += ["--out", str(tmp_path / "pairs"), "--format", "json"]
    assert 0 == main(argv, stdout=out, stderr=err), err.getvalue()
    assert 99 == len(pd.read_parquet(tmp_path / "pairs"))
    assert '"verdict": "inconsistent"' in out.getvalue()


def test_a_bad_client_is_a_clear_error(curated: claimtrack.ClaimSet) -> None:
    with pytest.raises(TypeError, match=r"client must be a dask\.distributed\.Client"):
        claimtrack.compare(curated, engine="dask", client=42)


def test_without_dask_the_engine_says_what_to_install(
    curated: claimtrack.ClaimSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.delitem(sys.modules, "claimtrack.distributed")
    with pytest.raises(claimtrack.MissingExtraError) as info:
        claimtrack.compare(curated, engine="dask")
    assert "pip install 'claimtrack[dask]'" in str(info.value)
    assert 99 == len(claimtrack.compare(curated).pairs)  # the local engine needs no dask

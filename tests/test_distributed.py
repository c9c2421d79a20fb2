"""The Dask engine gives exactly the local engine's pairs (in the same order), verdicts, subjects
and series checks.

A real ``dask.distributed.LocalCluster`` with two worker processes, shared by the module.
"""

from __future__ import annotations

import importlib
import io
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import dask.dataframe as dd  # the test extra installs dask: these tests must run, not skip
import dask.distributed as distributed
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack._synthetic import pair_count, subject_sizes, synthetic_claims
from claimtrack.cli import main
from claimtrack.distributed import KERNEL_COLUMNS, compare_dask, pairs_dask
from tests.conftest import load_bundled, unlinked
from tests.strategies import hot_claim_sets

HOT = 1_000
"""Claims of the hot subject in the generated set: 499,500 of its ~540,000 pairs."""
PAIRS_PER_TASK = 50_000
"""The hot subject's pairs take ten tasks."""
BY_PAIRS = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, decide_by="pairs")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def curated() -> claimtrack.ClaimSet:
    return load_bundled()


@pytest.fixture(scope="module")
def curated_local(curated: claimtrack.ClaimSet) -> claimtrack.Comparison:
    return claimtrack.compare(curated)


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    """50,000 claims: a hot subject of 1,000 claims and many subjects of at most 4."""
    return synthetic_claims(50_000, hot=HOT, cap=4, seed=7)


@pytest.fixture(scope="module")
def generated_local(generated: pd.DataFrame) -> claimtrack.Comparison:
    return claimtrack.compare(generated)


def assert_same(local: claimtrack.Comparison, other: claimtrack.Comparison) -> None:
    pd.testing.assert_frame_equal(local.pairs, other.pairs)
    pd.testing.assert_frame_equal(local.subjects, other.subjects)
    pd.testing.assert_frame_equal(local.series, other.series)
    pd.testing.assert_frame_equal(local.findings(), other.findings())


def assert_same_grouped(local: claimtrack.Comparison, other: claimtrack.Comparison) -> None:
    """Both decided by groups, with the same answers: subjects, series, findings, the pairs of
    the findings and (decided on request) every pair."""
    assert ("groups", "groups") == (local.decided_by, other.decided_by)
    pd.testing.assert_frame_equal(local.subjects, other.subjects)
    pd.testing.assert_frame_equal(local.series, other.series)
    pd.testing.assert_frame_equal(local.findings(), other.findings())
    pd.testing.assert_frame_equal(local.finding_pairs(), other.finding_pairs())
    # what a report reads, before every pair is (the pairs among some claims, verdict counts)
    every = local.pairs
    chosen = sorted(set(every["claim_a"].astype(str)) | set(every["claim_b"].astype(str)))[::3]
    pd.testing.assert_frame_equal(local.pairs_among(chosen), other.pairs_among(chosen))
    assert local.verdict_counts().to_dict() == other.verdict_counts().to_dict()
    if local.claims is not None and other.claims is not None:
        assert claimtrack.report(local, limit=5) == claimtrack.report(other, limit=5)
    pd.testing.assert_frame_equal(local.pairs, other.pairs)


def test_occasions_republications_and_hedges_give_the_local_result(client: Any) -> None:
    """Figures for different days, a republication, a relay-free reprint of a revision and hedged
    figures (``tests/data/unseen``), as a claim set, a frame and a frame without the optional
    columns (the republication then unknown on both engines alike)."""
    claims = claimtrack.load(Path(__file__).parent / "data" / "unseen")
    assert_same(claimtrack.compare(claims), compare_dask(claims, client=client))
    frame = claims.to_frame()
    assert_same(claimtrack.compare(frame), compare_dask(frame, client=client))
    bare = frame.drop(columns=["varies", "republishes", "attribution"])
    assert_same(claimtrack.compare(bare), compare_dask(bare, client=client))


def test_relayed_claims_keep_their_via_chain_on_the_workers(client: Any) -> None:
    """Regression: dask turned the ``via`` tuples of a claim set's frame into their ``repr``, so
    the workers saw no relay and one pair of ``tests/data/report`` got another rule."""
    claims = claimtrack.load(Path(__file__).parent / "data" / "report")
    assert_same(
        claimtrack.compare(claims, BY_PAIRS),
        claimtrack.compare(claims, BY_PAIRS, engine="dask", client=client),
    )
    on_dask = claimtrack.compare(claims, engine="dask", client=client)
    assert_same_grouped(claimtrack.compare(claims), on_dask)


def test_workers_import_this_claimtrack(client: Any) -> None:
    """The workers are separate processes that import the same claimtrack as the tests."""
    found = client.run(lambda: importlib.import_module("claimtrack").__file__)
    assert 2 == len(found)
    assert {claimtrack.__file__} == set(found.values())


def test_curated_claims_give_the_local_result(
    client: Any, curated: claimtrack.ClaimSet, curated_local: claimtrack.Comparison
) -> None:
    on_dask = claimtrack.compare(curated, engine="dask", client=client)
    assert_same(curated_local, on_dask)
    assert 148 == len(on_dask.pairs)  # 104 within subjects, 44 across their declared links
    assert 44 == int(on_dask.pairs["link"].notna().sum())
    assert len(on_dask.series)
    assert on_dask.claims is curated
    assert claimtrack.report(curated_local) == claimtrack.report(on_dask)


def thrice(claims: claimtrack.ClaimSet) -> claimtrack.ClaimSet:
    """Every claim said three times (new ids): groups of three interchangeable claims."""
    again = [attrs.evolve(c, id=f"{c.id}-{k}") for k in range(2) for c in claims]
    return attrs.evolve(claims, claims=[*claims, *again])


def test_repeated_claims_are_decided_by_groups_as_locally(
    client: Any, curated: claimtrack.ClaimSet
) -> None:
    """Every curated claim said three times, links between subjects included: both engines
    decide by groups, with the same findings and the same pairs behind them."""
    claims = thrice(unlinked(curated))
    local = claimtrack.compare(claims)
    on_dask = claimtrack.compare(claims, engine="dask", client=client)
    assert ("groups", "groups") == (local.decided_by, on_dask.decided_by)
    assert_same_grouped(local, on_dask)
    assert len(local.findings()) < len(local.finding_pairs())
    with_links = claimtrack.compare(curated, engine="dask", client=client)
    assert "groups" == with_links.decided_by
    assert_same_grouped(claimtrack.compare(curated), with_links)


def test_a_finding_across_a_link_of_several_pairs_is_decided_pair_by_pair(client: Any) -> None:
    """Interchangeable claims on both sides of a link make one finding of several pairs, which
    only the all-pairs path lists exactly: both engines decide pair by pair then."""
    claims = thrice(claimtrack.load(Path(__file__).parent / "data" / "links"))
    local = claimtrack.compare(claims)
    on_dask = claimtrack.compare(claims, engine="dask", client=client)
    assert ("pairs", "pairs") == (local.decided_by, on_dask.decided_by)
    assert_same(local, on_dask)


def test_every_pair_of_a_grouped_comparison_on_request_within_the_limit(
    client: Any, curated: claimtrack.ClaimSet
) -> None:
    """``pairs`` of a grouped Dask comparison are decided when read, refused above the limit
    before any work (the comparison itself is not: it decides fewer pairs of groups)."""
    claims = thrice(unlinked(curated))
    sizes = pd.Series([c.subject for c in claims]).value_counts()
    pairs = int((sizes * (sizes - 1) // 2).sum())
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, max_pairs_in_memory=pairs - 1)
    on_dask = claimtrack.compare(claims, policy, engine="dask", client=client)
    assert "groups" == on_dask.decided_by
    pd.testing.assert_frame_equal(claimtrack.compare(claims, policy).findings(), on_dask.findings())
    with pytest.raises(claimtrack.TooManyPairsError, match=f"would make {pairs:,} pairs"):
        on_dask.pairs  # noqa: B018


DERIVED = """source:
  id: example-derived
  title: A derived total
  publisher: example-news
  published: "2019-09-10"
claims:
  - id: example-derived:term-14
    subject: term-total
    quote: 13 years in prison
    claimant: example-news
    value: {value: 14, text: "14 years"}
    derived_from: [example-2019:prison, example-2019:camp]
"""


def test_links_between_subjects_give_the_local_result(client: Any, tmp_path: Path) -> None:
    """Link pairs (one link of each kind), the consensus they change and the origins without a
    derived figure are the local ones, in memory and written to a folder."""
    folder = tmp_path / "claims"
    shutil.copytree("tests/data/links", folder)
    (folder / "derived.yaml").write_text(DERIVED, encoding="utf-8")
    claims = claimtrack.load(folder)
    local = claimtrack.compare(claims)
    assert_same(local, claimtrack.compare(claims, engine="dask", client=client))
    written = compare_dask(claims, out=tmp_path / "pairs", client=client)
    pd.testing.assert_frame_equal(local.pairs, written.pairs, check_dtype=False)
    pd.testing.assert_frame_equal(local.subjects, written.subjects)
    assert 1 == int(local.subjects.set_index("subject").loc["term-total", "origins"])


def test_related_and_about_links_give_the_local_result(client: Any, tmp_path: Path) -> None:
    claims = claimtrack.load("tests/data/related")
    local = claimtrack.compare(claims)
    assert_same(local, claimtrack.compare(claims, engine="dask", client=client))
    written = compare_dask(claims, out=tmp_path / "pairs", client=client)
    pd.testing.assert_frame_equal(local.pairs, written.pairs, check_dtype=False)


def test_generated_claims_with_a_hot_subject_pair_by_pair(
    client: Any, generated: pd.DataFrame, generated_local: claimtrack.Comparison
) -> None:
    """Decided pair by pair, the hot subject's pairs are compared in ranges by tasks on both
    workers, each pair once, and the result is the local one, in the local order."""
    assert 499_500 < pair_count(subject_sizes(50_000, hot=HOT, cap=4, seed=7)) < 600_000
    with distributed.get_task_stream(client) as stream:
        on_dask = compare_dask(generated, BY_PAIRS, client=client, pairs_per_task=PAIRS_PER_TASK)
    assert "pairs" == on_dask.decided_by
    assert_same(generated_local, on_dask)
    ranges = [t for t in stream.data if "compare_range" in str(t["key"])]
    assert len(ranges) >= 499_500 // PAIRS_PER_TASK + 1
    assert 2 == len({t["worker"] for t in ranges})
    assert len(set(on_dask.pairs["verdict"])) == len(claimtrack.Verdict)


def test_a_hot_subject_is_decided_by_groups_over_both_workers(
    client: Any, generated: pd.DataFrame, generated_local: claimtrack.Comparison
) -> None:
    """By groups (the default), the hot subject's pairs of groups (about 499,500: its claims
    are nearly all different) are decided by many tasks on both workers, and no task decides
    member pairs; the answers, and every pair on request, are the local ones."""
    with distributed.get_task_stream(client) as stream:
        on_dask = compare_dask(generated, client=client, pairs_per_task=PAIRS_PER_TASK)
    assert ("groups", "groups") == (generated_local.decided_by, on_dask.decided_by)
    decided = [t for t in stream.data if "decide_pieces" in str(t["key"])]
    assert len(decided) >= 499_500 // PAIRS_PER_TASK
    assert 2 == len({t["worker"] for t in decided})
    assert not [t for t in stream.data if "compare_range" in str(t["key"])]
    assert_same_grouped(generated_local, on_dask)


@pytest.fixture(scope="module")
def news() -> pd.DataFrame:
    """News-shaped claims (a hot subject of 400 claims repeating lines), each said twice."""
    frame = synthetic_claims(4_000, news=True, seed=11)
    again = frame.assign(claim=frame["claim"].astype(str) + "-again")
    together = pd.concat([frame, again], ignore_index=True)
    return together.sample(frac=1.0, random_state=3).reset_index(drop=True)


def test_news_coverage_gets_the_local_grouped_answers(client: Any, news: pd.DataFrame) -> None:
    """A hot subject's pairs of groups over several tasks, repeats collapsed into groups: the
    same findings (and their pairs), subjects, series, groups and pairs as the local engine."""
    local = claimtrack.compare(news)
    with distributed.get_task_stream(client) as stream:
        on_dask = compare_dask(news, client=client, pairs_per_task=20_000)
    assert len([t for t in stream.data if "decide_pieces" in str(t["key"])]) > 2
    assert_same_grouped(local, on_dask)
    assert len(local.findings()) < len(local.finding_pairs())
    assert_same_keys(local.groups, on_dask.groups)


def assert_same_keys(local: Any, other: Any) -> None:
    """The same claims in one line, and of one origin (numbered per partition on the cluster,
    in the claims' order locally)."""
    assert local is not None and other is not None
    other = other.reindex(local.index)
    for part in (lambda k: k >> 31, lambda k: k & (2**31 - 1)):
        same = (pd.factorize(part(k.to_numpy()))[0] for k in (local, other))
        np.testing.assert_array_equal(*same)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(hot_claim_sets(), st.integers(1, 40))
def test_generated_claim_sets_get_the_local_grouped_answers(
    client: Any, claims: claimtrack.ClaimSet, pairs_per_task: int
) -> None:
    """Hot subjects whose pairs of groups are cut into tasks of a few at a time (groups of one
    time and day interleaving across the cuts): the local engine's answers."""
    reviewed = claims.filter(drafts=False)
    on_dask = compare_dask(reviewed, client=client, pairs_per_task=pairs_per_task)
    assert_same_grouped(claimtrack.compare(reviewed), on_dask)


def test_pairs_written_by_the_workers(
    client: Any, generated: pd.DataFrame, generated_local: claimtrack.Comparison, tmp_path: Path
) -> None:
    """With ``out`` the pairs are part files, named in the local order, read back as one frame."""
    folder = tmp_path / "pairs"
    on_dask = compare_dask(generated, out=folder, client=client, pairs_per_task=PAIRS_PER_TASK)
    assert folder == on_dask.pairs_path
    assert "pairs" == on_dask.decided_by  # with out, every pair is decided and written
    assert on_dask.pairs_frame is None
    assert len(list(folder.glob("part-*.parquet"))) > 10
    pd.testing.assert_frame_equal(generated_local.pairs, on_dask.pairs)
    pd.testing.assert_frame_equal(generated_local.subjects, on_dask.subjects)
    pd.testing.assert_frame_equal(generated_local.series, on_dask.series)


def test_writing_again_replaces_the_parts(
    client: Any, curated: claimtrack.ClaimSet, tmp_path: Path
) -> None:
    folder = tmp_path / "pairs.parquet"
    claimtrack.compare(curated, out=folder)  # the local engine's part is replaced
    (folder.parent / "keep.txt").write_text("not ours")
    for _ in range(2):
        on_dask = claimtrack.compare(curated, engine="dask", client=client, out=folder)
        assert 148 == len(on_dask.pairs)
    assert (folder.parent / "keep.txt").exists()


@pytest.mark.filterwarnings("ignore:Sending large graph")
def test_pairs_as_a_lazy_dask_frame(
    client: Any, generated: pd.DataFrame, generated_local: claimtrack.Comparison
) -> None:
    lazy = pairs_dask(generated, pairs_per_task=PAIRS_PER_TASK)
    assert isinstance(lazy, dd.DataFrame)
    assert lazy.npartitions > 10
    differ = lazy[lazy["verdict"] == "differ"].compute().reset_index(drop=True)
    # dask reads object columns as strings: a missing link is <NA> there, None in memory
    differ["link"] = differ["link"].astype(object).where(differ["link"].notna(), None)
    local = generated_local.pairs
    expected = local[local["verdict"] == "differ"].reset_index(drop=True)
    pd.testing.assert_frame_equal(expected, differ, check_dtype=False)


def test_a_dask_frame_from_parquet(
    client: Any, curated: claimtrack.ClaimSet, tmp_path: Path
) -> None:
    """Claims bigger than memory come from Parquet through ``dd.read_parquet``; the order of the
    rows across its partitions is the file order (the first base of an additional amount)."""
    frame = curated.to_frame()
    dd.from_pandas(frame.drop(columns=["via"]), npartitions=3).to_parquet(tmp_path / "claims")
    claims = dd.read_parquet(tmp_path / "claims")
    assert 3 == claims.npartitions
    on_dask = compare_dask(claims, client=client)
    assert_same(claimtrack.compare(frame), on_dask)
    assert on_dask.claims is None


def test_only_the_kernel_columns_are_needed(client: Any, curated: claimtrack.ClaimSet) -> None:
    frame = curated.to_frame()
    on_dask = compare_dask(frame[list(KERNEL_COLUMNS)], client=client)
    assert_same(claimtrack.compare(frame), on_dask)


def test_units_and_ages_give_the_local_result(client: Any) -> None:
    """Figures converted at load time, ages checked by arithmetic: the same on the workers, from
    a claim set and from a Dask frame of the kernel's columns."""
    claims = claimtrack.load("docs/examples/units")
    local = claimtrack.compare(claims)
    assert "update-age-advances" in set(local.pairs["rule"])
    assert_same(local, claimtrack.compare(claims, engine="dask", client=client))
    frame = claims.to_frame()[list(KERNEL_COLUMNS)]
    assert_same(
        claimtrack.compare(frame), compare_dask(dd.from_pandas(frame, npartitions=2), client=client)
    )


def test_a_dask_frame_made_before_units_were_read(
    client: Any, curated: claimtrack.ClaimSet
) -> None:
    """A Dask frame of the kernel columns as they were, without ``unit``, still compares."""
    frame = curated.to_frame()
    old = dd.from_pandas(frame[list(KERNEL_COLUMNS)].drop(columns=["unit"]), npartitions=2)
    assert_same(claimtrack.compare(frame), compare_dask(old, client=client))


def test_a_policy_travels_to_the_workers(client: Any, curated: claimtrack.ClaimSet) -> None:
    """Hedge widths re-read the quantities on the workers; ``keep`` filters there."""
    policy = attrs.evolve(
        claimtrack.DEFAULT_COMPARE_POLICY,
        hedges=claimtrack.HedgePolicy(approximate=0.5, near=0.5),
        keep=["inconsistent", "refine"],
    )
    local = claimtrack.compare(curated, policy)
    on_dask = claimtrack.compare(curated, policy, engine="dask", client=client)
    assert_same(local, on_dask)
    assert {"refine"} == set(on_dask.pairs["verdict"])  # wide hedges: no longer inconsistent
    as_loaded = claimtrack.compare(curated, attrs.evolve(policy, hedges=None))
    assert {"inconsistent", "refine"} == set(as_loaded.pairs["verdict"])


def test_no_claims(client: Any, curated: claimtrack.ClaimSet) -> None:
    empty = curated.to_frame().iloc[:0]
    on_dask = compare_dask(empty, client=client)
    assert_same(claimtrack.compare(empty), on_dask)


def test_a_scheduler_address_and_the_default_client(
    client: Any, curated: claimtrack.ClaimSet, curated_local: claimtrack.Comparison
) -> None:
    assert_same(
        curated_local, claimtrack.compare(curated, engine="dask", client=client.scheduler.address)
    )
    assert_same(curated_local, claimtrack.compare(curated, engine="dask"))  # the current client


def test_the_cli_runs_on_a_scheduler(client: Any, bundled_folder: Path, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    folder = str(bundled_folder)
    argv = ["compare", folder, "--engine", "dask", "--scheduler", client.scheduler.address]
    argv += ["--out", str(tmp_path / "pairs"), "--format", "json"]
    assert 0 == main(argv, stdout=out, stderr=err), err.getvalue()
    assert 104 == len(pd.read_parquet(tmp_path / "pairs"))  # the parts: link pairs are apart
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
    assert 148 == len(claimtrack.compare(curated).pairs)  # the local engine needs no dask

"""The grouped path (``ComparePolicy.decide_by="groups"``) gives exactly the answers of the
all-pairs path: the subjects table, the series checks, the grouped findings, their member pairs
and every pair; and each built-in rule declares truthfully that it reads no claim identity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import TooManyPairsError, compare
from claimtrack._synthetic import synthetic_claims
from claimtrack.compare import NOTABLE, Rule, Verdict
from claimtrack.compare._grouped import GroupedPairs
from tests.conftest import load_bundled, unlinked
from tests.strategies import claim_sets, hot_claim_sets

DEFAULT = claimtrack.DEFAULT_COMPARE_POLICY
BY_PAIRS = attrs.evolve(DEFAULT, decide_by="pairs")


def pair_findings(result: claimtrack.Comparison) -> pd.DataFrame:
    """The findings one per pair, as ``findings()`` gave them before they were grouped: the
    notable pairs and the failed series checks, by verdict, subject, claim a and claim b."""
    pairs = result.pairs
    notable = pairs[pairs["verdict"].isin([v.value for v in NOTABLE])]
    cols = ["verdict", "subject", "claim_a", "claim_b", "reason"]
    found = notable[cols].astype(object)
    failed = result.series[result.series["consistent"] == False]  # noqa: E712
    extra = pd.DataFrame(
        {
            "verdict": np.where(
                failed["same_source"].fillna(True).to_numpy(dtype=bool),
                Verdict.INCONSISTENT.value,
                Verdict.DIFFER.value,
            ),
            "subject": failed["series"],
            "claim_a": failed["claim"],
            "claim_b": failed["start_claim"],
            "reason": failed["reason"],
        }
    ).astype(object)
    found = pd.concat([f for f in (found, extra) if len(f)] or [found], ignore_index=True)
    order = {v.value: i for i, v in enumerate(NOTABLE)}
    found = found.assign(_rank=found["verdict"].map(order))
    found = found.sort_values(["_rank", "subject", "claim_a", "claim_b"], kind="stable")
    return found.drop(columns="_rank").reset_index(drop=True)


def assert_same_answers(
    claims: Any, policy: claimtrack.ComparePolicy = DEFAULT
) -> tuple[claimtrack.Comparison, claimtrack.Comparison]:
    grouped = compare(claims, attrs.evolve(policy, decide_by="groups"))
    paired = compare(claims, attrs.evolve(policy, decide_by="pairs"))
    assert ("groups", "pairs") == (grouped.decided_by, paired.decided_by)
    pd.testing.assert_frame_equal(paired.subjects, grouped.subjects)
    pd.testing.assert_frame_equal(paired.series, grouped.series)
    pd.testing.assert_frame_equal(paired.findings(), grouped.findings())
    members = grouped.finding_pairs()
    pd.testing.assert_frame_equal(paired.finding_pairs(), members)
    pd.testing.assert_frame_equal(pair_findings(paired), members.drop(columns="finding"))
    found = grouped.findings()
    assert int(found["n_pairs"].sum()) == len(members)
    counts = members.groupby("finding").agg(
        n_a=("claim_a", "nunique"), n_b=("claim_b", "nunique"), n_pairs=("claim_a", "size")
    )
    assert found[["n_a", "n_b", "n_pairs"]].to_numpy().tolist() == counts.to_numpy().tolist()
    firsts = members.drop_duplicates("finding")  # each finding's first pair leads its rows
    assert found["claim_a"].tolist() == firsts["claim_a"].tolist()
    assert found["claim_b"].tolist() == firsts["claim_b"].tolist()
    assert_same_parts(grouped, paired)  # before grouped.pairs is read (and kept)
    pd.testing.assert_frame_equal(paired.pairs, grouped.pairs)
    return grouped, paired


def assert_same_parts(grouped: claimtrack.Comparison, paired: claimtrack.Comparison) -> None:
    """What a report reads without listing every pair: the pairs among some claims, the counts
    per verdict and some subjects' shared origins are those of the pairs, on both paths."""
    every = paired.pairs
    ids = sorted(set(every["claim_a"].astype(str)) | set(every["claim_b"].astype(str)))
    chosen = ids[::2]
    wanted = pd.Index(chosen)
    both = wanted.get_indexer(every["claim_a"]) >= 0
    both &= wanted.get_indexer(every["claim_b"]) >= 0
    expected = every[both].reset_index(drop=True)
    counts = every["verdict"].astype(str).value_counts()
    by_verdict = {v.value: int(counts.get(v.value, 0)) for v in Verdict}
    subjects = sorted(grouped.subjects["subject"].astype(str))[::2]
    for result in (grouped, paired):
        pd.testing.assert_frame_equal(result.pairs_among(chosen), expected)
        assert result.verdict_counts().to_dict() == by_verdict
        if result.claims is not None:
            some = result.origins(subjects)
            full = paired.origins()
            mine = full["subject"].astype(str).isin(subjects)
            kept = full[full["origin"].isin(full["origin"][mine])].reset_index(drop=True)
            pd.testing.assert_frame_equal(some, kept)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(hot_claim_sets())
def test_hot_subjects_get_the_same_answers_by_groups_and_by_pairs(claims: Any) -> None:
    assert_same_answers(claims)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_sets())
def test_any_claim_set_gets_the_same_answers_by_groups_and_by_pairs(claims: Any) -> None:
    assert_same_answers(claims)


def test_the_bundled_claims_get_the_same_answers_by_groups_and_by_pairs() -> None:
    assert_same_answers(unlinked(load_bundled()))
    assert "groups" == compare(unlinked(load_bundled())).decided_by  # the default, where exact
    linked = load_bundled()  # with its links between subjects: link pairs and findings too
    grouped, _paired = assert_same_answers(linked)
    assert len(grouped.pairs["link"].dropna())  # the pairs across links are there


@pytest.mark.parametrize(
    "folder",
    [
        "tests/data/unseen",
        "tests/data/report",
        "tests/data/links",
        "tests/data/related",
        "docs/examples/units",
        "docs/examples/zhanaozen",
    ],
)
def test_other_claim_folders_get_the_same_answers_by_groups_and_by_pairs(folder: str) -> None:
    """Republications, relays, occasions, hedges, units and ages decided by groups as by pairs."""
    claims = claimtrack.load(Path(__file__).parent.parent / folder)
    assert_same_answers(claims)
    assert_same_answers(claims.to_frame())


def repeated(frame: pd.DataFrame, times: int, seed: int) -> pd.DataFrame:
    """``frame`` with each claim said ``times`` times (new ids), in a shuffled file order."""
    copies = [frame.assign(claim=frame["claim"].astype(str) + f"-{k}") for k in range(times)]
    together = pd.concat(copies, ignore_index=True)
    return together.sample(frac=1.0, random_state=seed).reset_index(drop=True)


@pytest.mark.parametrize("times", [1, 3])
def test_a_generated_frame_with_a_hot_subject_gets_the_same_answers(times: int) -> None:
    frame = repeated(synthetic_claims(200, hot=40, cap=5, seed=3), times, seed=times)
    grouped, _ = assert_same_answers(frame)
    if times > 1:  # repeats are grouped: fewer findings than pairs behind them
        assert len(grouped.findings()) < len(grouped.finding_pairs())


def test_finding_pairs_lists_one_finding_or_several() -> None:
    frame = repeated(synthetic_claims(200, hot=40, cap=5, seed=3), 3, seed=1)
    result = compare(frame)
    found = result.findings()
    assert ["verdict", "subject", "claim_a", "claim_b", "reason", "n_a", "n_b", "n_pairs"] == list(
        found.columns
    )
    biggest = int(found["n_pairs"].idxmax())
    one = result.finding_pairs(biggest)
    assert int(found["n_pairs"][biggest]) == len(one) > 1
    assert {biggest} == set(one["finding"])
    assert {found["reason"][biggest]} == set(one["reason"])
    both = result.finding_pairs([0, biggest])
    assert {0, biggest} == set(both["finding"])
    with pytest.raises(IndexError, match=f"no finding {len(found)}"):
        result.finding_pairs(len(found))


def _renumbered(frame: pd.DataFrame) -> pd.DataFrame:
    """The same claims under other ids (in the same id order) and in another file order (subjects
    reversed: the claims of one subject keep their order, and so every additional amount its
    base): only which claims they are changes, not what they say."""
    renamed = frame.assign(claim="x-" + frame["claim"].astype(str))
    rank = renamed["subject"].astype(str).rank(method="dense", ascending=False)
    return renamed.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True)


@pytest.mark.parametrize("rule", claimtrack.RULES, ids=lambda r: r.name)
def test_each_built_in_rule_reads_no_claim_identity_as_it_declares(rule: Rule) -> None:
    """A rule declaring ``reads_identity=False`` decides and explains the same pairs of
    renumbered claims the same way."""
    assert not rule.reads_identity
    frame = pd.concat(
        [unlinked(load_bundled()).to_frame(), synthetic_claims(120, hot=30, cap=5, seed=5)],
        ignore_index=True,
    )
    alone = attrs.evolve(BY_PAIRS, rules=(rule,))
    expected = compare(frame, alone).pairs
    actual = compare(_renumbered(frame), alone).pairs
    for side in ("claim_a", "claim_b"):
        actual[side] = actual[side].str.removeprefix("x-")
    keys = ["claim_a", "claim_b"]
    expected = expected.sort_values(keys, ignore_index=True)
    actual = actual.sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(expected, actual)


def test_a_rule_that_may_read_identity_is_decided_pair_by_pair() -> None:
    mine = Rule(
        "mine", "agree", lambda p: p.a("claim") < p.b("claim"), lambda p, m: ["x"] * m.sum()
    )
    assert mine.reads_identity  # the default: a rule of one's own is not trusted to group
    policy = attrs.evolve(DEFAULT, rules=(mine, *claimtrack.RULES))
    assert "pairs" == compare(unlinked(load_bundled()), policy).decided_by
    with pytest.raises(ValueError, match="decide_by='groups': rule 'mine' may read which claims"):
        compare(unlinked(load_bundled()), attrs.evolve(policy, decide_by="groups"))
    declared = attrs.evolve(mine, reads_identity=False)
    again = attrs.evolve(policy, rules=(declared, *claimtrack.RULES))
    assert "groups" == compare(unlinked(load_bundled()), again).decided_by
    with pytest.raises(ValueError, match="decide_by"):
        attrs.evolve(DEFAULT, decide_by="sometimes")


def test_out_always_writes_every_pair_and_groups_findings_alike(tmp_path: Any) -> None:
    """Pairs written to a folder: findings grouped by the claims stored there, as in memory."""
    written = compare(unlinked(load_bundled()), out=tmp_path / "pairs")
    assert "pairs" == written.decided_by
    pd.testing.assert_frame_equal(compare(unlinked(load_bundled())).findings(), written.findings())
    frame = repeated(synthetic_claims(200, hot=40, cap=5, seed=3), 3, seed=4)
    in_memory = compare(frame)
    on_disk = compare(frame, out=tmp_path / "hot")
    assert len(in_memory.findings()) < len(in_memory.finding_pairs())
    pd.testing.assert_frame_equal(in_memory.findings(), on_disk.findings())
    pd.testing.assert_frame_equal(in_memory.finding_pairs(), on_disk.finding_pairs())


def test_every_pair_is_decided_on_request_within_the_limit() -> None:
    frame = repeated(synthetic_claims(60, hot=15, cap=5, seed=7), 4, seed=2)
    pairs = int(frame["subject"].value_counts().pipe(lambda n: n * (n - 1) // 2).sum())
    result = compare(frame, attrs.evolve(DEFAULT, max_pairs_in_memory=pairs - 1))
    assert "groups" == result.decided_by  # fewer pairs of groups than the limit
    assert len(result.findings())
    with pytest.raises(TooManyPairsError, match=f"would make {pairs:,} pairs"):
        result.pairs  # noqa: B018
    notable = int(result.findings()["n_pairs"].sum())
    few = compare(frame, attrs.evolve(DEFAULT, max_pairs_in_memory=notable - 1))
    with pytest.raises(TooManyPairsError, match=f"would make {notable:,} pairs"):
        few.finding_pairs()


def test_a_report_counts_every_pair_behind_a_grouped_finding() -> None:
    """The report shows the pairs of each finding (``finding_pairs``), not one per group: with
    every bundled claim said twice, its findings line counts the pairs of the grouped findings."""
    claims = unlinked(load_bundled())
    doubled = [*claims, *(attrs.evolve(c, id=c.id + "-again") for c in claims)]
    twice = attrs.evolve(claims, claims=doubled)
    result = compare(twice)
    found = result.findings()
    assert len(found) < int(found["n_pairs"].sum())
    contradictions = int(found["n_pairs"][found["verdict"] == "contradict"].sum())
    line = next(x for x in claimtrack.report(result).splitlines() if x.startswith("Findings:"))
    assert f"({contradictions} pairs)" in line


def test_a_report_lists_no_pair_it_does_not_show(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (issue 20): ``report`` decided every pair of the comparison (``pairs``) and
    listed every pair of every finding, so a report cost more than the comparison at 100,000
    claims. It now reads the grouped findings, the pairs of the findings it shows and the pairs
    among the claims it lists, and says the same."""
    frame = repeated(synthetic_claims(400, hot=80, cap=5, seed=5), 2, seed=2)
    claims = claimtrack.claims_from_frame(frame)
    expected = claimtrack.report(compare(claims, BY_PAIRS), claims, limit=5)
    result = compare(claims)
    assert "groups" == result.decided_by

    def refused(self: Any) -> Any:
        raise AssertionError("every pair was decided")

    monkeypatch.setattr(GroupedPairs, "pairs", refused)
    assert claimtrack.report(result, claims, limit=5) == expected


def _drops_overlaps(p: Any) -> Any:
    return p.kinds(0, 0) & p.overlap & ~p.same("claimant_code")


DROP_OVERLAPS = Rule(
    "drop-overlaps",
    None,
    _drops_overlaps,
    lambda p, m: [""] * int(m.sum()),
    "Removes overlapping figures of different claimants.",
    reads_identity=False,
)


@st.composite
def policies(draw: st.DrawFn) -> claimtrack.ComparePolicy:
    """Policies that change which pairs are kept, removed and how times compare."""
    keep = draw(st.sets(st.sampled_from(list(Verdict)), min_size=1))
    rules = claimtrack.RULES
    if draw(st.booleans()):
        rules = (DROP_OVERLAPS, *rules)
    return attrs.evolve(
        DEFAULT,
        keep=keep,
        rules=rules,
        time_tolerance_days={"quantity": draw(st.sampled_from([0, 30, 366]))},
        repeat_similarity=draw(st.sampled_from([50.0, 85.0, 100.0])),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(hot_claim_sets(), policies())
def test_any_policy_gets_the_same_answers_by_groups_and_by_pairs(
    claims: Any, policy: claimtrack.ComparePolicy
) -> None:
    """Kept verdicts, rules that remove pairs, tolerances: the grouped path follows them all."""
    assert_same_answers(claims, policy)

"""Lines: a claim told again in report after report is decided one pair of lines at a time, with
exactly the answers of the all-pairs path, and a subject of tens of thousands of reports of a
few lines is compared without enumerating its pairs."""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd
import pytest

import claimtrack
from claimtrack import compare
from claimtrack._synthetic import synthetic_claims
from claimtrack.compare import Rule
from claimtrack.compare._rules import RULES
from tests.test_grouped import DEFAULT, assert_same_answers


def reported_again(frame: pd.DataFrame, times: int, seed: int) -> pd.DataFrame:
    """Each claim of ``frame`` told again in ``times`` reports of its publisher, published a
    day after each other (new claim and source ids), in a shuffled file order."""
    copies = []
    for k in range(times):
        copies.append(
            frame.assign(
                claim=frame["claim"].astype(str) + f"-{k}",
                source=frame["source"].astype(str) + f"-r{k}",
                published_start=frame["published_start"] + pd.Timedelta(days=k),
                published_end=frame["published_end"] + pd.Timedelta(days=k),
            )
        )
    together = pd.concat(copies, ignore_index=True)
    return together.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def dated(frame: pd.DataFrame) -> pd.DataFrame:
    """The claims of ``frame`` with an as-of date (their time is not their publication's)."""
    return frame[frame["as_of_start"].notna().to_numpy()].reset_index(drop=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_news_shaped_claim_set_gets_the_same_answers_by_lines_and_by_pairs(seed: int) -> None:
    """Lines of one publisher in a few wordings, hot subjects: by lines as by pairs."""
    assert_same_answers(synthetic_claims(1_500, news=True, seed=seed))


def test_two_figures_of_one_date_in_many_reports_list_their_pairs_per_orientation() -> None:
    """Regression: the pairs of a finding between two lines of one time listed both
    orientations' pairs for each (twice as many as the finding counts)."""
    frame = dated(synthetic_claims(400, seed=5))
    over_time = (frame["kind"].astype(str) == "quantity") & (
        frame["varies"].astype(str) != "by_occasion"
    )
    one = frame[over_time.to_numpy()].iloc[[0, 0]].reset_index(drop=True)
    high = float(one["high"].iloc[0])
    two = one.assign(
        claim=["fig-a", "fig-b"],
        claimant=pd.Series(["who-a", "who-b"], dtype=object).to_numpy(),
        low=[float(one["low"].iloc[0]), 3 * high + 10],
        high=[high, 3 * high + 10],
        value=[one["value"].iloc[0], 3 * high + 10],
    )
    grouped, _ = assert_same_answers(reported_again(two, 40, seed=3))
    found = grouped.findings()
    assert len(grouped.finding_pairs()) == int(found["n_pairs"].sum()) == 40 * 40


@pytest.mark.parametrize("times", [2, 7])
def test_claims_reported_again_get_the_same_answers_by_lines_and_by_pairs(times: int) -> None:
    """The same claims in several reports each (dated and undated by their own as-of): a line
    per claim, its pairs within and with the others' lines decided once."""
    frame = synthetic_claims(120, hot=30, cap=5, seed=times)
    assert_same_answers(reported_again(frame, times, seed=times))
    assert_same_answers(reported_again(dated(frame), times, seed=times + 1))


def test_reprints_and_relays_of_one_line_get_the_same_answers() -> None:
    """Reports that reprint others (``republishes``) and relays (``via``) of one line: the
    pairs of one origin are decided apart from the line's, with the same answers."""
    frame = reported_again(dated(synthetic_claims(80, hot=20, cap=4, seed=11)), 4, seed=5)
    sources = frame["source"].astype(str).to_numpy()
    first = (
        pd.Series(sources).groupby(frame["claim"].str.rsplit("-", n=1).str[0]).transform("first")
    )
    reprint = np.arange(len(frame)) % 3 == 0
    republishes = np.where(reprint & (first.to_numpy() != sources), first.to_numpy(), None)
    frame = frame.assign(
        republishes=pd.Series(republishes, dtype=object),
        via=[("pub-relay",) if k % 5 == 0 else () for k in range(len(frame))],
    )
    assert_same_answers(frame)


def test_a_figure_in_twenty_thousand_reports_is_compared_without_its_pairs() -> None:
    """Two claimants' disjoint figures for one date, both in each of 10,000 reports of one
    publisher: 200 million pairs of claims, three pairs of lines. The comparison is not refused
    (the limit of pairs in memory is 4 million), counts every pair, and finds the 100 million
    differences: within each report, and between reports either way round."""
    frame = dated(synthetic_claims(400, seed=5))
    over_time = (frame["kind"].astype(str) == "quantity") & (
        frame["varies"].astype(str) != "by_occasion"
    )
    one = frame[over_time.to_numpy()].iloc[[0, 0]].reset_index(drop=True)
    low, high = float(one["low"].iloc[0]), float(one["high"].iloc[0])
    two = one.assign(
        claim=["fig-a", "fig-b"],
        claimant=pd.Series(["who-a", "who-b"], dtype=object).to_numpy(),
        low=[low, 3 * high + 10],
        high=[high, 3 * high + 10],
        value=[one["value"].iloc[0], 3 * high + 10],
    )
    times = 10_000
    many = reported_again(two, times, seed=1)
    result = compare(many)
    assert "groups" == result.decided_by
    n = 2 * times
    counts = result.verdict_counts()
    assert int(counts.sum()) == n * (n - 1) // 2
    assert int(counts["repeat"]) == 2 * (times * (times - 1) // 2)  # each line's pairs within
    assert int(counts["differ"]) == times * times
    found = result.findings()
    # every report gives both figures (a pair of one origin each), and each figure stands
    # against the other's in every other report, either way round in publication order
    assert ["differ"] * 3 == found["verdict"].tolist()
    sides = sorted(map(tuple, found[["n_a", "n_b", "n_pairs"]].to_numpy().tolist()))
    half = times * (times - 1) // 2
    assert [(times - 1, times - 1, half)] * 2 + [(times, times, times)] == sides
    assert int(found["n_pairs"].sum()) == times * times
    assert "fig-a-0" == found["claim_a"].min()
    assert int(result.subjects["origins"].iloc[0]) == 2  # each line one origin, repeated


def test_a_rule_that_may_read_reports_is_decided_by_groups_with_the_same_answers() -> None:
    """A rule that does not declare ``reads_reports=False`` keeps pairs of lines apart: they are
    decided by pairs of groups, and the answers are those of the pairs."""
    rules = tuple(r if r.name != "differ" else attrs.evolve(r, reads_reports=True) for r in RULES)
    assert any(r.reads_reports for r in rules)
    policy = attrs.evolve(DEFAULT, rules=rules)
    frame = reported_again(dated(synthetic_claims(60, hot=15, cap=4, seed=4)), 3, seed=2)
    grouped, _ = assert_same_answers(frame, policy)
    assert grouped.grouped is not None and grouped.grouped.by_lines is None
    assert compare(frame).grouped.by_lines is not None  # type: ignore[union-attr]


def test_every_built_in_rule_declares_it_reads_no_reports() -> None:
    assert all(isinstance(r, Rule) and not r.reads_reports for r in RULES)
    from claimtrack.compare._rules import UNDECIDED

    assert claimtrack.DEFAULT_COMPARE_POLICY.rules[-1] is UNDECIDED

"""The synthetic claim sets of the benchmarks are valid claims: they round-trip through the
public model like any claim file; ``news=True`` adds uncapped hot subjects with repetition."""

from __future__ import annotations

import pandas as pd
import pytest

import claimtrack
from claimtrack._synthetic import pair_count, subject_sizes, synthetic_claims


@pytest.mark.parametrize("news", [False, True])
def test_generated_claims_round_trip_through_the_model(news: bool) -> None:
    frame = synthetic_claims(3000, seed=5, news=news)
    claims = claimtrack.claims_from_frame(frame)
    assert 3000 == len(claims)
    back = claims.to_frame()
    pd.testing.assert_series_equal(frame["low"], back["low"], check_names=False)
    assert list(frame["claim"]) == list(back["claim"])


def test_news_sets_have_an_uncapped_hot_subject_of_a_tenth_of_the_claims() -> None:
    frame = synthetic_claims(20_000, seed=1, news=True)
    sizes = frame["subject"].value_counts()
    assert sizes.iloc[0] >= 2_000
    assert sizes.iloc[1] > 200  # uncapped: the old cap was 200
    one = synthetic_claims(5_000, seed=1, news=True, hot=5_000)
    assert 1 == one["subject"].nunique()


def test_news_sets_repeat_a_few_lines_across_one_publishers_articles() -> None:
    """A claimant's figure repeated article after article: few (claimant, figure, time) groups,
    each from one publisher, told in a few wordings."""
    frame = synthetic_claims(20_000, seed=2, news=True)
    hot = frame[frame["subject"] == frame["subject"].value_counts().index[0]]
    keys = ["claimant", "low", "high", "as_of_start"]
    groups = hot.groupby(keys, observed=True, dropna=False)
    assert groups.ngroups < len(hot) / 5
    biggest = hot.set_index(keys).loc[groups.size().idxmax()]
    assert len(biggest) >= 100
    assert 1 == biggest["publisher"].nunique()
    assert biggest["source"].nunique() > 20
    assert biggest["quote"].nunique() <= 4
    assert (hot["as_of_start"].isna() | (hot["as_of_start"] <= hot["published_start"])).all()


def test_the_default_sets_are_unchanged_for_the_all_pairs_benchmark() -> None:
    """``news`` is an option: without it the frame, and so the benchmark's pair count, is what it
    always was."""
    assert 2_950_944 == pair_count(subject_sizes(100_000, seed=0))  # docs/performance.md
    frame = synthetic_claims(100_000, seed=0)
    assert 2_950_944 == pair_count(frame["subject"].value_counts().to_numpy())

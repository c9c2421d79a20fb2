"""Verdicts on articles nobody here curated the rules on: ``tests/data/unseen`` holds three
invented reports modelled on real reporting (two publishers; detentions and crowds on different
days; a same-publisher revision; a republication "with reporting by" the first publisher; a
second-hand, hedged figure; a hedged fear against a denial). Each pin is what a careful analyst
reading the three reports would conclude."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

import claimtrack

UNSEEN = Path(__file__).parent / "data" / "unseen"
FIRST = "rferl-2022-01-05-almaty-rally"
LATER = "rferl-2022-01-07-almaty-rally"
REPRINT = "eurasianet-2022-01-08-almaty-rally"


@cache
def result() -> claimtrack.Comparison:
    return claimtrack.compare(claimtrack.load(UNSEEN))


def pair(a: str, b: str) -> pd.Series:
    pairs = result().pairs
    hit = pairs[
        ((pairs["claim_a"] == a) & (pairs["claim_b"] == b))
        | ((pairs["claim_a"] == b) & (pairs["claim_b"] == a))
    ]
    assert 1 == len(hit), (a, b)
    return hit.iloc[0]


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        # the police revise January 4 from eight to 12 in RFE/RL's later report, and the reprint
        # carries the revision: the later figure, not a conflict between two outlets
        (f"{FIRST}:police-detained-eight", f"{LATER}:police-detained-12", "update"),
        (f"{FIRST}:police-detained-eight", f"{REPRINT}:police-detained-12", "update"),
        # the reprint is RFE/RL's report again: one origin, not corroboration
        (f"{LATER}:police-detained-12", f"{REPRINT}:police-detained-12", "repeat"),
        # January 4 and January 6 are different rallies: neither a revision nor a conflict
        (f"{FIRST}:police-detained-eight", f"{LATER}:police-detained-30", "separate"),
        (f"{LATER}:police-detained-12", f"{REPRINT}:bureau-at-least-50", "separate"),
        (f"{FIRST}:organisers-about-200", f"{LATER}:organisers-hundreds", "separate"),
        # the same day, two claimants: a real disagreement, with the second-hand figure hedged
        (f"{LATER}:police-detained-30", f"{REPRINT}:bureau-at-least-50", "differ"),
        # a fear of beatings against a denial: a contradiction, the hedged side named
        (f"{LATER}:bureau-fears-beatings", f"{LATER}:police-deny-beatings", "contradict"),
        # a police warning that the rallies are illegal agrees with the city's assertion
        (f"{FIRST}:akimat-unsanctioned", f"{REPRINT}:police-warn-illegal", "agree"),
    ],
)
def test_the_verdicts_a_careful_analyst_expects(a: str, b: str, verdict: str) -> None:
    assert verdict == pair(a, b)["verdict"]


def test_the_revision_and_the_republication_say_what_they_are() -> None:
    revised = pair(f"{FIRST}:police-detained-eight", f"{REPRINT}:police-detained-12")
    assert "update-revised-in-later-report" == revised["rule"]
    assert "revised in a later report" in revised["reason"]
    reprint = pair(f"{LATER}:police-detained-12", f"{REPRINT}:police-detained-12")
    assert "repeat-republished" == reprint["rule"]


def test_hedged_claims_are_named_as_the_weaker_side() -> None:
    differ = pair(f"{LATER}:police-detained-30", f"{REPRINT}:bureau-at-least-50")["reason"]
    assert differ.endswith(
        "a hedged claim (the second) against a direct one: the direct claim weighs more"
    )
    fear = pair(f"{LATER}:bureau-fears-beatings", f"{LATER}:police-deny-beatings")["reason"]
    assert "fears" in fear and "a hedged claim (the first) against a direct one" in fear


def test_the_subjects_table_counts_origins_and_occasions() -> None:
    subjects = result().subjects.set_index("subject")
    detained = subjects.loc["almaty-2022-rally-detained"]
    # eight (first report); 12 in the later report and its reprint; 30; the bureau's 50
    assert (5, 4) == (detained["claims"], detained["origins"])
    assert detained["consensus"].startswith("per occasion: the figures are about 2 occasions")
    assert "(direct claims only; 1 hedged left out)" in detained["consensus"]
    assert "almaty-police: 30 (2022-01-06 ('on Thursday'))" in detained["latest"]
    assert 0 == detained["n_change"] + detained["n_inconsistent"]
    shared = result().origins()
    together = shared[shared["subject"] == "almaty-2022-rally-detained"]
    assert {f"{LATER}:police-detained-12", f"{REPRINT}:police-detained-12"} == set(
        together["claim"]
    )


def test_every_pair_has_a_verdict() -> None:
    subjects = result().subjects
    counted = subjects[[f"n_{v.value}" for v in claimtrack.Verdict]].sum(axis=1)
    assert (subjects["claims"] * (subjects["claims"] - 1) // 2).tolist() == counted.tolist()

"""The comparator: verdicts pinned on the curated claims, and the laws comparisons obey."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import (
    Claim,
    ClaimSet,
    ComparePolicy,
    Comparison,
    Entity,
    EntityIndex,
    Estimate,
    FuzzyDate,
    Source,
    Subject,
    Verdict,
    compare,
)
from tests.conftest import CLAIMS, load_bundled
from tests.strategies import interval_estimates

BLOG = "blog-2019-kazakhstan-chinese-influence"
ZHANAOZEN = "rferl-2019-zhanaozen-china-visit"
TENT = "rferl-2021-almaty-consulate-tent"
AZIMOVA = "rferl-2021-azimova-meeting"
ASIANEWS = "asianews-2022-almaty-500th-day"


@cache
def curated() -> Comparison:
    return compare(load_bundled())


def verdict(a: str, b: str) -> str:
    """The verdict between two curated claims, whichever order the comparator put them in."""
    pairs = curated().pairs
    hit = pairs[
        ((pairs["claim_a"] == a) & (pairs["claim_b"] == b))
        | ((pairs["claim_a"] == b) & (pairs["claim_b"] == a))
    ]
    assert 1 == len(hit), f"expected one pair for {a} / {b}, found {len(hit)}"
    return str(hit["verdict"].iloc[0])


# -- the curated data set ---------------------------------------------------------------------


def test_one_article_giving_1_5_and_nearly_2_million_kazakhs_is_inconsistent() -> None:
    a = f"{BLOG}:kazakhs-in-xinjiang-1-5-million"
    b = f"{BLOG}:kazakhs-in-xinjiang-2-million"
    assert "inconsistent" == verdict(a, b)
    row = curated().pairs.query("verdict == 'inconsistent' and subject == 'kazakhs-in-xinjiang'")
    reason = row["reason"].iloc[0]
    assert "some 1.5 million" in reason and "nearly two million" in reason
    assert "1,275,000–1,725,000" in reason and "1,800,000–2,000,000" in reason
    subject = curated().subjects.set_index("subject").loc["kazakhs-in-xinjiang"]
    # one claimant in one article: one origin, inconsistent with itself (not two origins)
    assert 1 == subject["origins"]
    assert (
        "none: the figures do not overlap (one origin, inconsistent with itself)"
        == subject["consensus"]
    )


def test_500th_day_implies_a_february_2021_start_consistent_with_the_stated_start() -> None:
    series = curated().series
    rows = series[series["series"] == "almaty-consulate-campaign"]
    assert 3 == len(rows)
    assert {"2021-02-13"} == set(rows["implied_start"])
    assert {f"{ASIANEWS}:campaign-began-feb-2021"} == set(rows["start_claim"])
    assert rows["consistent"].all()
    assert (
        "implies the series began 2021-02-13, consistent with the stated start 2021-02-01/2021-02-28"
        in (rows["reason"].iloc[0])
    )


def test_state_department_figure_in_two_rferl_articles_is_a_repeat_not_corroboration() -> None:
    a = f"{TENT}:us-detainees-2-million"
    b = f"{AZIMOVA}:us-detainees-2-million"
    assert "repeat" == verdict(a, b)
    detainees = curated().subjects.set_index("subject").loc["xinjiang-detainees"]
    assert (3, 2) == (detainees["claims"], detainees["origins"])


def test_china_denial_contradicts_the_un_and_former_detainees() -> None:
    china = [
        f"{ZHANAOZEN}:china-vocational-centers",
        f"{TENT}:china-denies-internment",
        f"{AZIMOVA}:china-denies-internment",
    ]
    for denial in china:
        assert "contradict" == verdict(f"{ZHANAOZEN}:un-camps-coercive", denial)
        assert "contradict" == verdict(f"{TENT}:fled-political-indoctrination", denial)
        assert "contradict" == verdict(f"{BLOG}:torture-stories", denial)
    assert "repeat" == verdict(china[1], china[2])


def test_un_estimate_lies_within_the_state_department_ceiling() -> None:
    """'as many as 2 million' has no lower bound, so it overlaps 'an estimated 1 million'."""
    assert "refine" == verdict(
        f"{ZHANAOZEN}:un-detainees-1-million", f"{TENT}:us-detainees-2-million"
    )
    # the consensus takes in the UN's implied total (1 million plus "millions more", at least
    # 2,850,000) and leaves its base out: it and "as many as 2 million" do not overlap
    detainees = curated().subjects.set_index("subject").loc["xinjiang-detainees"]
    assert "none: the independent figures do not overlap" == detainees["consensus"]


def test_crowds_on_two_days_are_separate_figures_not_an_update() -> None:
    """The Zhanaozen turnout varies by occasion (a crowd on a given day): "about 100" on
    September 2 and "hundreds" on September 3 are two days' crowds, not a revision (it was an
    ``update`` before subjects declared ``varies``)."""
    pairs = curated().pairs
    turnout = pairs[(pairs["subject"] == "zhanaozen-2019-protest-turnout")]
    assert {"separate", "repeat"} == set(turnout["verdict"])
    separate = turnout[turnout["verdict"] == "separate"]["reason"].iloc[0]
    assert "different occasions" in separate and "supersedes" not in separate
    subject = curated().subjects.set_index("subject").loc["zhanaozen-2019-protest-turnout"]
    assert "per occasion: the figures are about 2 occasions" == subject["consensus"]


def test_claims_of_different_subjects_are_never_paired() -> None:
    claims = load_bundled()
    pairs = curated().pairs
    subject_a = pairs["claim_a"].map(lambda c: claims[c].subject)
    subject_b = pairs["claim_b"].map(lambda c: claims[c].subject)
    within = pairs["link"].isna().to_numpy()
    assert (subject_a == pairs["subject"]).all()
    assert (subject_b == pairs["subject"])[within].all()
    # ... except across a link its subject declares (tests/test_links.py)
    declared = {
        (s.id, link.target) if link.kind != "sum_of" else (link.target, s.id)
        for s in claims.subjects.values()
        for link in s.links
    }
    assert set(zip(subject_a[~within], subject_b[~within], strict=True)) <= declared


def test_every_pair_has_a_reason_and_findings_are_notable_and_ordered() -> None:
    result = curated()
    assert result.pairs["reason"].str.len().gt(20).all()
    findings = result.findings()
    order = ["inconsistent", "contradict", "differ", "update", "change", "shift"]
    assert list(findings["verdict"]) == sorted(findings["verdict"], key=order.index)
    assert findings.equals(compare(load_bundled()).findings())


def test_json_holds_pairs_with_the_documented_keys() -> None:
    data = json.loads(curated().to_json())
    assert {"pairs", "subjects", "series", "findings", "finding_pairs"} == set(data)
    assert len(curated().finding_pairs()) == len(data["finding_pairs"])
    assert len(curated().pairs) == len(data["pairs"])
    assert {"claim_a", "claim_b", "subject", "verdict", "reason"} <= set(data["pairs"][0])


def test_parquet_output_holds_the_same_pairs(tmp_path: object) -> None:
    path = tmp_path / "pairs.parquet"  # type: ignore[operator]
    written = compare(load_bundled(), out=path)
    assert path == written.pairs_path
    pd.testing.assert_frame_equal(
        curated().pairs.reset_index(drop=True),
        written.pairs.reset_index(drop=True),
        check_dtype=False,
    )
    pd.testing.assert_frame_equal(curated().subjects, written.subjects)


def test_keep_limits_the_pairs_kept() -> None:
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, keep={"inconsistent"})
    pairs = compare(load_bundled(), policy).pairs
    assert {"inconsistent"} == set(pairs["verdict"])


def test_hedge_widths_are_part_of_the_policy() -> None:
    """With wider 'nearly', 1.5 million and nearly two million overlap: no inconsistency."""
    hedges = attrs.evolve(claimtrack.DEFAULT_HEDGE_POLICY, near=0.2)
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, hedges=hedges)
    claims = load_bundled().filter(subject="kazakhs-in-xinjiang")
    assert ["agree"] == list(compare(claims, policy).pairs["verdict"])


def test_frame_input_gives_the_same_pairs_as_a_claimset_except_subject_labels() -> None:
    claims = load_bundled().filter(subject=["xinjiang-detainees", "kazakhs-in-xinjiang"])
    from_set = compare(claims).pairs
    from_frame = compare(claims.to_frame()).pairs
    pd.testing.assert_frame_equal(from_set, from_frame)


def test_rehedged_comparison_claims_match_pair_intervals() -> None:
    """Regression: with wider hedges, the pairs showed "some 1.5 million" as 750,000–2,250,000
    while the comparison's claims (which reports show) still held 1,275,000–1,725,000."""
    wide = attrs.evolve(claimtrack.DEFAULT_HEDGE_POLICY, approximate=0.5)
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, hedges=wide)
    loaded = claimtrack.load(CLAIMS)
    compared = compare(loaded, policy)
    claim = f"{BLOG}:kazakhs-in-xinjiang-1-5-million"
    assert compared.claims is not None
    assert "750,000–2,250,000" == compared.claims[claim].value.interval_text()
    assert "1,275,000–1,725,000" == loaded[claim].value.interval_text()  # the loaded set unchanged
    pairs = compared.pairs
    reasons = pairs[(pairs["claim_a"] == claim) | (pairs["claim_b"] == claim)]["reason"]
    assert len(reasons) and all("(750,000–2,250,000)" in r for r in reasons)
    from_frame = compare(loaded.to_frame(), policy).pairs  # the frame route reads the same bounds
    figures = pairs["kind"] == "quantity"  # (statement reasons name subjects by label or by id)
    figures &= pairs["link"].isna()  # a frame declares no links between subjects
    assert pairs[figures]["reason"].tolist() == from_frame[figures]["reason"].tolist()


def test_rehedging_keeps_explicit_bounds_and_names_the_claim_it_cannot_read() -> None:
    """Bounds given with the value (a text that reads as another hedge) are kept; a phrase the
    policy cannot read is an error naming the claim, from a claim set and from a frame."""
    wide = attrs.evolve(claimtrack.DEFAULT_HEDGE_POLICY, approximate=0.5)
    given = Estimate(1_200_000, 1_800_000, text="some 1.5 million")
    assert given is given.rehedged(wide)
    read = Estimate.parse("some 1.5 million")
    assert (750_000, 2_250_000) == (read.rehedged(wide).low, read.rehedged(wide).high)
    loaded = claimtrack.load(CLAIMS)
    claim = f"{BLOG}:kazakhs-in-xinjiang-1-5-million"
    unread = Estimate(1_275_000, 1_725_000, 1_500_000, "approximate", text="zillions")
    claims = attrs.evolve(
        loaded,
        claims=[attrs.evolve(c, value=unread) if c.id == claim else c for c in loaded],
    )
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, hedges=wide)
    kept = attrs.evolve(
        loaded, claims=[attrs.evolve(c, value=given) if c.id == claim else c for c in loaded]
    )
    compared = compare(kept, policy)
    assert compared.claims is not None and given == compared.claims[claim].value
    from_frame = compare(kept.to_frame(), policy).pairs
    figures = (compared.pairs["kind"] == "quantity") & compared.pairs["link"].isna()
    assert compared.pairs[figures]["reason"].tolist() == from_frame[figures]["reason"].tolist()
    # a loaded claim is named with its file and line; a frame's row has neither
    place = re.escape(str(CLAIMS / f"{BLOG}.yaml")) + r":\d+: "
    for subject, where in ((claims, place), (claims.to_frame(), "")):
        with pytest.raises(claimtrack.QuantityError, match=f"^{where}claim '{claim}': cannot read"):
            compare(subject, policy)


# -- laws ---------------------------------------------------------------------------------------

ENTITIES = EntityIndex([Entity(f"e{i}", f"Entity number {i}", "organisation") for i in range(6)])
SUBJECTS = {
    f"s{i}": Subject(f"s{i}", f"Subject {i}", "quantity", f"Quantity {i}, not any other.", "people")
    for i in range(3)
}
DAY = dt.date(2020, 6, 1)


def make_set(values: list[tuple[str, Estimate, int]], subject: str = "s0") -> list[Claim]:
    """One claim per value, each from its own claimant, source and publisher, all as of DAY."""
    return [
        Claim(
            id=f"{subject}-c{n}",
            subject=subject,
            source=f"src{n % 6}",
            quote=f"quote {n} {subject}",
            claimant=f"e{n % 6}",
            value=est,
            as_of=FuzzyDate.day(DAY + dt.timedelta(days=shift)),
        )
        for n, (_, est, shift) in enumerate(values)
    ]


def claim_set(claims: list[Claim]) -> ClaimSet:
    sources = {
        f"src{n}": Source(f"src{n}", f"Article {n}", f"e{n}", FuzzyDate.day(DAY)) for n in range(6)
    }
    return ClaimSet(claims, sources, SUBJECTS, ENTITIES)


def verdicts(result: Comparison) -> dict[frozenset[str], str]:
    return {
        frozenset((a, b)): v
        for a, b, v in zip(
            result.pairs["claim_a"], result.pairs["claim_b"], result.pairs["verdict"], strict=True
        )
    }


@settings(max_examples=40)
@given(interval_estimates(), interval_estimates())
def test_refine_agree_differ_follow_from_the_intervals(x: Estimate, y: Estimate) -> None:
    claims = make_set([("a", x, 0), ("b", y, 0)])[:2]
    claims[1] = attrs.evolve(claims[1], claimant="e1", source="src1")
    (result,) = compare(claim_set(claims)).pairs["verdict"]
    if not x.overlaps(y):
        assert "differ" == result
    elif (x.contains(y) or y.contains(x)) and (x.lo, x.hi) != (y.lo, y.hi):
        assert "refine" == result
    else:
        assert "agree" == result


@settings(max_examples=40)
@given(st.lists(interval_estimates(), min_size=2, max_size=7), st.randoms(use_true_random=False))
def test_verdicts_do_not_depend_on_input_order(values: list[Estimate], rnd: object) -> None:
    claims = make_set([("x", v, i % 3 * 200) for i, v in enumerate(values)])
    shuffled = list(claims)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert verdicts(compare(claim_set(claims))) == verdicts(compare(claim_set(shuffled)))


@settings(max_examples=40)
@given(interval_estimates(), interval_estimates())
def test_symmetric_verdicts_do_not_depend_on_which_claim_is_first(x: Estimate, y: Estimate) -> None:
    """Renaming the claims so the other one sorts first changes nothing (same time, so ids decide)."""
    forward = make_set([("a", x, 0), ("b", y, 0)])
    backward = [attrs.evolve(forward[0], id="z-last"), forward[1]]
    (v1,) = compare(claim_set(forward)).pairs["verdict"]
    (v2,) = compare(claim_set(backward)).pairs["verdict"]
    assert v1 == v2


@settings(max_examples=40)
@given(
    st.lists(interval_estimates(), min_size=2, max_size=5),
    st.lists(interval_estimates(), min_size=1, max_size=6),
)
def test_adding_unrelated_subjects_never_changes_a_subjects_verdicts(
    mine: list[Estimate], others: list[Estimate]
) -> None:
    base = make_set([("m", v, i * 100) for i, v in enumerate(mine)], "s0")
    noise = make_set([("o", v, i * 50) for i, v in enumerate(others)], "s1")
    alone = compare(claim_set(base)).pairs
    together = compare(claim_set(base + noise)).pairs
    pd.testing.assert_frame_equal(
        alone.reset_index(drop=True),
        together[together["subject"] == "s0"].reset_index(drop=True),
    )


@settings(max_examples=40)
@given(st.lists(interval_estimates(), min_size=1, max_size=8))
def test_origins_count_collapses_only_repeats(values: list[Estimate]) -> None:
    """Every claim is repeated by the same claimant in a second article of the same publisher:
    the number of independent origins is at most the number of distinct figures."""
    claims = make_set([("a", v, 0) for v in values])
    copies = [
        attrs.evolve(c, id=c.id + "-again", source=f"src{(int(c.source[3:]) + 1) % 6}")
        for c in claims
    ]
    result = compare(claim_set(claims + copies))
    row = result.subjects.set_index("subject").loc["s0"]
    assert row["origins"] <= len(claims)
    assert row["n_repeat"] >= len(claims)


def test_time_far_apart_is_a_change_or_an_update_not_a_conflict() -> None:
    low, high = Estimate(10, 20, hedge="range"), Estimate(100, 200, hedge="range")
    claims = make_set([("a", low, 0), ("b", high, 2000)])
    assert ["change"] == list(compare(claim_set(claims)).pairs["verdict"])
    same_claimant = [claims[0], attrs.evolve(claims[1], claimant=claims[0].claimant)]
    assert ["update"] == list(compare(claim_set(same_claimant)).pairs["verdict"])
    near = make_set([("a", low, 0), ("b", high, 30)])
    assert ["differ"] == list(compare(claim_set(near)).pairs["verdict"])


def test_additional_amount_is_added_to_its_base_figure() -> None:
    """'millions more' adds to the figure its claimant gave in the same article: the two are
    read as one total (``combined``), not compared against each other."""
    base = Estimate.parse("an estimated 1 million")
    more = Estimate.parse("millions more")
    rival = Estimate.parse("as many as 2 million")
    claims = make_set([("a", base, 0), ("b", more, 0), ("c", rival, 0)])
    claims[1] = attrs.evolve(claims[1], claimant=claims[0].claimant, source=claims[0].source)
    found = verdicts(compare(claim_set(claims)))
    assert "combined" == found[frozenset({claims[0].id, claims[1].id})]
    assert "differ" == found[frozenset({claims[1].id, claims[2].id})]


@pytest.mark.parametrize("verdict_name", [v.value for v in Verdict])
def test_every_verdict_is_documented(verdict_name: str) -> None:
    docs = (CLAIMS.parent / "docs" / "comparing.md").read_text(encoding="utf-8")
    assert f"`{verdict_name}`" in docs


def test_policy_is_frozen_and_evolves() -> None:
    policy = ComparePolicy()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.repeat_similarity = 50  # type: ignore[misc]
    assert 50 == attrs.evolve(policy, repeat_similarity=50).repeat_similarity
    tighter = attrs.evolve(policy, time_tolerance_days={"quantity": 30})
    assert 30 == tighter.time_tolerance_days[claimtrack.SubjectKind.QUANTITY]

"""Links between subjects: declared in ``subjects.yaml``, checked at load, and compared across
(``claimtrack/compare/_links.py``); the constructed folder ``tests/data/links`` has one link of
each kind, and the bundled claims are curated with the links their articles support."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import Comparison, LinkKind, SubjectLink, compare
from claimtrack.compare import PAIR_COLUMNS
from tests.conftest import CLAIMS, TESTS

LINKS = TESTS / "data" / "links"
BLOG = "blog-2019-kazakhstan-chinese-influence"
ZHANAOZEN = "rferl-2019-zhanaozen-china-visit"
TENT = "rferl-2021-almaty-consulate-tent"
AZIMOVA = "rferl-2021-azimova-meeting"
ASIANEWS = "asianews-2022-almaty-500th-day"


@cache
def constructed() -> Comparison:
    return compare(claimtrack.load(LINKS))


@cache
def bundled() -> Comparison:
    return compare(claimtrack.load(CLAIMS))


def link_pair(result: Comparison, a: str, b: str) -> pd.Series:
    pairs = result.pairs
    hit = pairs[(pairs["claim_a"] == a) & (pairs["claim_b"] == b) & pairs["link"].notna()]
    assert 1 == len(hit), f"expected one link pair {a} / {b}, found {len(hit)}"
    return hit.iloc[0]


# -- loading ------------------------------------------------------------------------------------


def test_links_load_into_the_subjects() -> None:
    subjects = claimtrack.load(LINKS).subjects
    assert (SubjectLink(LinkKind.ADDS_TO, "detainees"),) == subjects["detainees-more"].links
    assert [LinkKind.SUM_OF, LinkKind.SUM_OF] == [k.kind for k in subjects["term-total"].links]
    (planned,) = subjects["call-for-protests"].links
    assert planned.date is not None and "2019-09-04" == planned.date.iso()


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    for name in ("entities.yaml", "subjects.yaml", "example-2019.yaml"):
        shutil.copy(LINKS / name, tmp_path / name)
    subjects = tmp_path / "subjects.yaml"
    text = subjects.read_text(encoding="utf-8")
    assert old in text
    subjects.write_text(text.replace(old, new), encoding="utf-8")
    return [str(p).removeprefix(f"{tmp_path}/") for p in claimtrack.validate(tmp_path)]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "adds_to: detainees\n",
            "adds_to: detainee\n",
            "subjects.yaml:12: subjects[1].adds_to: unknown subject 'detainee' (did you mean "
            "'detainees'?)",
        ),
        (
            "lower_bound_of: detainees",
            "lower_bound_of: term-camp",
            "subjects.yaml:18: subjects[2].lower_bound_of: the units differ: 'detainees-witnessed' "
            "counts 'people', 'term-camp' counts 'years' (a link adds or bounds figures of one unit)",
        ),
        (
            "negates: government-works-for-release",
            "negates: detainees",
            "subjects.yaml:43: subjects[7].negates: 'detainees' is quantity, not statement",
        ),
        (
            "sum_of: [term-prison, term-camp]",
            "sum_of: [term-prison, term-camp]\n    part_of: term-prison",
            "subjects.yaml:25: subjects[3].part_of: parts and wholes form a cycle: term-total is "
            "part of term-prison is part of term-total (a part cannot contain its whole)",
        ),
        (
            "follows: campaign-start",
            "follows: campaign-ongoing-for-months",
            "subjects.yaml:58: subjects[11]: follows: a subject cannot link to itself",
        ),
        (
            'date: "2019-09-04"}',
            'date: "Septober 4"}',
            "subjects.yaml:66: subjects[12].planned_as.date: cannot read 'Septober 4' as a date "
            "(relative date needs the source's publication date)",
        ),
    ],
    ids=["unknown", "units", "kinds", "cycle", "itself", "date"],
)
def test_a_bad_link_is_an_error_at_its_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert expected in _broken(tmp_path, old, new)


def test_links_are_written_back(tmp_path: Path) -> None:
    claims = claimtrack.load(LINKS)
    claimtrack.dump(claims, tmp_path / "out")
    again = claimtrack.load(tmp_path / "out")
    assert {s.id: s.links for s in claims.subjects.values()} == {
        s.id: s.links for s in again.subjects.values()
    }


# -- each link, on constructed claims -----------------------------------------------------------


def test_an_increment_makes_a_total_that_conflicts_with_a_lower_ceiling() -> None:
    result = constructed()
    base = link_pair(result, "example-2019:un-millions-more", "example-2019:un-million")
    assert ("combined", "link-adds-to-base") == (base["verdict"], base["rule"])
    us = link_pair(result, "example-2019:un-millions-more", "example-2022:us-2-million")
    assert ("differ", "detainees-more adds_to detainees") == (us["verdict"], us["link"])
    assert us["reason"].startswith(
        "un: “an estimated 1 million” (850,000–1,150,000) plus “millions more” (≥ 2,000,000) "
        "makes a total of at least 2,850,000, more than us-state-department's "
        "“as many as 2 million” (≤ 2,000,000)"
    )
    assert us["subject"] == "detainees-more" and us["kind"] == "quantity"
    assert not bool(us["overlap"])


def test_the_consensus_of_a_total_takes_the_implied_total_and_leaves_the_base_out() -> None:
    subjects = constructed().subjects.set_index("subject")
    # without the link: the base (850,000-1,150,000) within "as many as 2 million"
    assert "none: the independent figures do not overlap" == subjects.loc["detainees", "consensus"]
    alone = compare(claimtrack.load(LINKS).to_frame()).subjects.set_index("subject")
    assert "850,000–1,150,000" == alone.loc["detainees", "consensus"]


def test_a_count_below_an_estimate_is_a_consistent_floor() -> None:
    pair = link_pair(constructed(), "example-2019:witnessed", "example-2022:us-2-million")
    assert ("agree", "link-floor-within-estimate") == (pair["verdict"], pair["rule"])
    assert "is a floor of" in pair["reason"] and "no conflict" in pair["reason"]


def test_parts_that_add_up_are_checked_against_the_whole() -> None:
    pair = link_pair(constructed(), "example-2019:prison", "example-2022:almost-15")
    assert ("agree", "link-parts-add-up") == (pair["verdict"], pair["rule"])
    assert "= 14, compatible with rferl's “almost 15 years” (13.5–15 years)" in pair["reason"]
    assert "term-prison part_of term-total" == pair["link"]


def test_asserting_a_proposition_and_its_negation_contradict() -> None:
    pair = link_pair(constructed(), "example-2022:not-intervening", "example-2022:patient-work")
    assert ("contradict", "link-negates-contradict") == (pair["verdict"], pair["rule"])


def test_one_speakers_stance_that_changes_over_years_is_a_shift() -> None:
    pair = link_pair(constructed(), "example-2022:not-intervening", "example-2019:lobbying")
    assert ("shift", "link-negates-stance-shift") == (pair["verdict"], pair["rule"])
    assert "1,021 days (about 34 months) apart" in pair["reason"]
    assert "not a contradiction" in pair["reason"]


def test_a_state_asserted_after_the_event_that_ended_it_contradicts_it() -> None:
    before = link_pair(constructed(), "example-2022:released", "example-2019:house-arrest")
    after = link_pair(constructed(), "example-2022:released", "example-2022:still-under-arrest")
    assert ("agree", "link-ends-before") == (before["verdict"], before["rule"])
    assert ("contradict", "link-ends-after") == (after["verdict"], after["rule"])


def test_an_event_order_and_a_planned_date() -> None:
    months = link_pair(constructed(), "example-2022:for-many-months", "example-2022:campaign-began")
    assert ("agree", "link-follows-in-order") == (months["verdict"], months["rule"])
    assert "198 days (about 7 months) after" in months["reason"]
    call = link_pair(constructed(), "example-2019:call", "example-2022:protests-sep-4")
    assert ("agree", "link-planned-held") == (call["verdict"], call["rule"])


def test_links_pair_only_the_linked_subjects_and_keep_the_pair_columns() -> None:
    pairs = constructed().pairs
    assert list(PAIR_COLUMNS) == list(pairs.columns)
    within = pairs[pairs["link"].isna()]
    claims = claimtrack.load(LINKS)
    assert all(
        claims[a].subject == claims[b].subject
        for a, b in zip(within["claim_a"], within["claim_b"], strict=True)
    )
    assert 12 == int(pairs["link"].notna().sum())
    assert 17 == len(claims) and len(pairs) < 17 * 16 // 2


def test_a_stance_reversed_by_one_speaker_within_a_subject_is_a_shift() -> None:
    claims = claimtrack.load(LINKS)
    lobbying = claims["example-2019:lobbying"]
    denial = claimtrack.Claim(
        "example-2022:government-denies",
        "government-works-for-release",
        "example-2022",
        "the government denies it presses for releases",
        "rferl",
        value=claimtrack.Statement("kazakh-government", "denies", "paraphrase"),
    )
    both = attrs.evolve(claims, claims=[lobbying, denial])
    pair = compare(both).pairs.iloc[0]
    assert ("shift", "shift-stance") == (pair["verdict"], pair["rule"])
    assert "days apart: one speaker's stance that changed over time" in pair["reason"]


def test_link_pairs_are_written_to_a_folder_and_read_back(tmp_path: Path) -> None:
    written = compare(claimtrack.load(LINKS), out=tmp_path / "pairs")
    assert (tmp_path / "pairs" / "_links.parquet").is_file()
    pd.testing.assert_frame_equal(
        constructed().pairs.reset_index(drop=True),
        written.pairs.reset_index(drop=True),
        check_dtype=False,
    )
    pd.testing.assert_frame_equal(constructed().subjects, written.subjects)
    differ = claimtrack.read_pairs(tmp_path / "pairs", verdicts=["differ"])
    assert ["detainees-more adds_to detainees"] == differ["link"].tolist()


# -- the bundled claims -------------------------------------------------------------------------


def test_the_uns_implied_total_conflicts_with_the_state_departments_ceiling() -> None:
    for us in (f"{TENT}:us-detainees-2-million", f"{AZIMOVA}:us-detainees-2-million"):
        pair = link_pair(bundled(), f"{ZHANAOZEN}:un-millions-more", us)
        assert "differ" == pair["verdict"]
        assert (
            "“an estimated 1 million” (850,000–1,150,000) plus “millions more” (≥ 2,000,000) "
            "makes a total of at least 2,850,000, more than us-state-department's "
            "“as many as 2 million” (≤ 2,000,000)"
        ) in pair["reason"]
    findings = bundled().findings()
    assert 2 == int((findings["subject"] == "xinjiang-internment-additional").sum())


def test_the_foreign_ministry_contradicts_does_not_intervene() -> None:
    pair = link_pair(
        bundled(),
        f"{ASIANEWS}:standfirst-government-not-intervening",
        f"{ASIANEWS}:mfa-diplomats-patient-work",
    )
    assert ("contradict", "link-negates-contradict") == (pair["verdict"], pair["rule"])


def test_the_governments_lobbying_in_2019_and_not_intervening_in_2022_is_a_shift() -> None:
    pair = link_pair(
        bundled(),
        f"{ASIANEWS}:standfirst-government-not-intervening",
        f"{BLOG}:government-lobbying-beijing",
    )
    assert ("shift", "link-negates-stance-shift") == (pair["verdict"], pair["rule"])


def test_for_many_months_against_the_campaign_start() -> None:
    pair = link_pair(
        bundled(), f"{TENT}:rallying-many-months", f"{ASIANEWS}:campaign-began-feb-2021"
    )
    assert "agree" == pair["verdict"]
    assert (
        "as of 2021-09-14/2021-09-15, 198 days (about 7 months) after (in order)" in pair["reason"]
    )


def test_the_call_for_protests_on_september_4_against_the_reported_spread() -> None:
    for reported in ("headline-protests", "lede-protests-last-week"):
        pair = link_pair(bundled(), f"{ZHANAOZEN}:call-protests-sep-4", f"{BLOG}:{reported}")
        assert ("agree", "link-planned-held") == (pair["verdict"], pair["rule"])
        assert "(the date called for: 2019-09-04)" in pair["reason"]
        assert "2019-09-02/2019-09-29" in pair["reason"]


def test_september_20_then_october_1_then_october_4_in_nur_sultan() -> None:
    start = link_pair(
        bundled(), f"{AZIMOVA}:october-1-protest", f"{AZIMOVA}:protests-started-sep-20"
    )
    meeting = link_pair(bundled(), f"{AZIMOVA}:meeting-oct-4", f"{AZIMOVA}:october-1-protest")
    assert ("agree", "agree") == (start["verdict"], meeting["verdict"])
    assert "11 days after (in order)" in start["reason"]
    assert "3 days after (in order)" in meeting["reason"]


def test_thousands_witnessed_is_a_floor_of_the_detainee_estimates() -> None:
    pairs = bundled().pairs
    floors = pairs[
        pairs["link"] == "xinjiang-indoctrination-witnessed lower_bound_of xinjiang-detainees"
    ]
    assert 3 == len(floors) and {"agree"} == set(floors["verdict"])


def test_a_frame_given_its_subjects_is_compared_across_their_links() -> None:
    claims = claimtrack.load(LINKS)
    from_frame = compare(claims.to_frame(), subjects=claims.subjects)
    decided = ["claim_a", "claim_b", "verdict", "rule", "link"]  # reasons name subjects by id
    pd.testing.assert_frame_equal(constructed().pairs[decided], from_frame.pairs[decided])
    assert constructed().subjects["consensus"].tolist() == from_frame.subjects["consensus"].tolist()
    with pytest.raises(ValueError, match="a ClaimSet has its own subjects"):
        compare(claims, subjects=claims.subjects)
    with pytest.raises(ValueError, match="applies to the local engine"):
        compare(claims.to_frame(), engine="dask", subjects=claims.subjects)


# -- derived figures ----------------------------------------------------------------------------

DERIVED = """source:
  id: example-derived
  title: A constructed note with a derived figure
  publisher: example-news
  published: "2019-09-10"
claims:
  - id: example-derived:term-14
    subject: term-total
    quote: 13 years in prison
    claimant: example-news
    value: {value: VALUE, text: "VALUE years"}
    derived_from: [example-2019:prison, SECOND]
"""


def _with_derived(tmp_path: Path, value: str = "14", second: str = "example-2019:camp") -> Path:
    folder = tmp_path / "claims"
    shutil.copytree(LINKS, folder)
    text = DERIVED.replace("VALUE", value).replace("SECOND", second)
    (folder / "example-derived.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_derived_figure_loads_and_is_written_back(tmp_path: Path) -> None:
    claims = claimtrack.load(_with_derived(tmp_path))
    derived = claims["example-derived:term-14"]
    assert ("example-2019:prison", "example-2019:camp") == derived.derived_from
    claimtrack.dump(claims, tmp_path / "out")
    assert derived == claimtrack.load(tmp_path / "out")["example-derived:term-14"]


@pytest.mark.parametrize(
    ("value", "second", "expected"),
    [
        (
            "14",
            "example-2019:cam",
            "example-derived.yaml:12: claims[0].derived_from[1]: unknown claim "
            "'example-2019:cam' (did you mean 'example-2019:camp'",
        ),
        (
            "20",
            "example-2019:camp",
            "example-derived.yaml:12: claims[0].derived_from: 20 years (20) is not the sum of "
            "the claims it is derived from: 14",
        ),
        (
            "14",
            "example-2019:lobbying",
            "example-derived.yaml:12: claims[0].derived_from[1]: claim 'example-2019:lobbying' "
            "is not a figure (a quantity)",
        ),
    ],
    ids=["unknown", "arithmetic", "statement"],
)
def test_a_bad_derivation_is_an_error_at_its_line(
    tmp_path: Path, value: str, second: str, expected: str
) -> None:
    folder = _with_derived(tmp_path, value, second)
    problems = [str(p).removeprefix(f"{folder}/") for p in claimtrack.validate(folder)]
    assert any(p.startswith(expected) for p in problems), problems


def test_a_derived_figure_is_no_origin_and_no_corroboration(tmp_path: Path) -> None:
    claims = claimtrack.load(_with_derived(tmp_path))
    result = compare(claims)
    term = result.subjects.set_index("subject").loc["term-total"]
    assert (2, 1) == (term["claims"], term["origins"])  # "almost 15 years" is the one origin
    part = link_pair(result, "example-2019:prison", "example-derived:term-14")
    assert ("combined", "link-derived-from-it") == (part["verdict"], part["rule"])
    assert "one is derived from the other" in part["reason"]
    text = claimtrack.report(result, claims, format="md")  # a table row per claim, unwrapped
    assert "(derived: the sum of example-2019:prison + example-2019:camp)" in text


@settings(max_examples=25, deadline=None)
@given(
    floor=st.integers(0, 3_000_000),
    low=st.integers(0, 3_000_000),
    width=st.integers(0, 3_000_000),
)
def test_a_floor_conflicts_with_an_estimate_exactly_when_above_its_upper_bound(
    floor: int, low: int, width: int
) -> None:
    """``lower_bound_of``: a count is consistent with an estimate unless it is above the
    estimate's upper bound, whatever the numbers."""
    claims = claimtrack.load(LINKS)
    values = {
        "example-2019:witnessed": claimtrack.Estimate(floor, floor),
        "example-2022:us-2-million": claimtrack.Estimate(low, low + width),
    }
    changed = attrs.evolve(
        claims, claims=[attrs.evolve(c, value=values.get(c.id, c.value)) for c in claims]
    )
    pair = link_pair(compare(changed), "example-2019:witnessed", "example-2022:us-2-million")
    assert ("differ" if floor > low + width else "agree") == pair["verdict"]

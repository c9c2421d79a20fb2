"""Links of propositions to other subjects: ``related_to`` (one speaker's stances on two related
propositions of one dispute) and ``about`` (a proposition against the figures of a quantity
subject). The constructed folder ``tests/data/related`` has one of each; the tiny claim sets
built here have one pair per verdict each."""

from __future__ import annotations

import datetime as dt
import shutil
from functools import cache
from pathlib import Path

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import (
    Claim,
    ClaimSet,
    Comparison,
    Entity,
    EntityIndex,
    Estimate,
    FuzzyDate,
    LinkKind,
    Source,
    Stance,
    Statement,
    Subject,
    SubjectLink,
    compare,
)
from tests.conftest import TESTS
from tests.strategies import interval_estimates
from tests.test_grouped import assert_same_answers

RELATED = TESTS / "data" / "related"


@cache
def constructed() -> Comparison:
    return compare(claimtrack.load(RELATED))


def link_pair(result: Comparison, a: str, b: str) -> pd.Series:
    pairs = result.pairs
    hit = pairs[(pairs["claim_a"] == a) & (pairs["claim_b"] == b) & pairs["link"].notna()]
    assert 1 == len(hit), f"expected one link pair {a} / {b}, found {len(hit)}"
    return hit.iloc[0]


ENTITIES = EntityIndex(
    [Entity(e, f"Entity {e}", "organisation") for e in ("pub", "gov", "ngo", "press", "dev")]
)


def subjects(*links: SubjectLink) -> dict[str, Subject]:
    """``p`` and ``r``, two propositions, ``q`` a quantity; the links declared on ``p``."""
    return {
        "p": Subject("p", "P holds", "statement", "P, not R.", links=links),
        "r": Subject("r", "R holds", "statement", "R, not P."),
        "q": Subject("q", "Plants planned", "quantity", "Plants.", "plants"),
    }


def said(
    id: str,
    subject: str,
    speaker: str,
    stance: str,
    year: int = 2019,
    co: tuple[str, ...] = (),
) -> Claim:
    return Claim(
        id,
        subject,
        f"src{year}",
        f"quote of {id}",
        speaker,
        Statement(speaker, Stance(stance), co_speakers=co),
        stated=FuzzyDate.day(dt.date(year, 9, 3)),
    )


def figure(id: str, value: str, claimant: str = "press", year: int = 2019) -> Claim:
    return Claim(
        id,
        "q",
        f"src{year}",
        f"quote of {id}",
        claimant,
        Estimate.parse(value),
        as_of=FuzzyDate.day(dt.date(year, 9, 3)),
    )


def claim_set(claims: list[Claim], *links: SubjectLink) -> ClaimSet:
    sources = {
        f"src{y}": Source(f"src{y}", f"Article {y}", "pub", FuzzyDate.day(dt.date(y, 9, 4)))
        for y in (2019, 2020, 2022)
    }
    return ClaimSet(claims, sources, subjects(*links), ENTITIES)


RELATED_TO_R = SubjectLink(LinkKind.RELATED_TO, "r")
NONE_OF_Q = SubjectLink(LinkKind.ABOUT, "q", means=Estimate.parse("zero"))


def one_pair(claims: list[Claim], link: SubjectLink) -> pd.Series:
    """The one link pair of ``claims`` (side a in ``p``), with the grouped and the all-pairs
    path giving the same answers."""
    cs = claim_set(claims, link)
    _grouped, paired = assert_same_answers(cs)
    pairs = paired.pairs[paired.pairs["link"].notna()]
    assert 1 == len(pairs)
    return pairs.iloc[0]


# -- loading ------------------------------------------------------------------------------------


def test_related_and_about_links_load_into_the_subjects() -> None:
    loaded = claimtrack.load(RELATED).subjects
    assert (SubjectLink(LinkKind.RELATED_TO, "camps-coercive"),) == loaded["genocide"].links
    (about,) = loaded["no-plants"].links
    assert (LinkKind.ABOUT, "plants") == (about.kind, about.target)
    assert about.means is not None and (0, 0, "none") == (
        about.means.low,
        about.means.high,
        about.means.text,
    )


def test_related_and_about_links_are_written_back(tmp_path: Path) -> None:
    claims = claimtrack.load(RELATED)
    claimtrack.dump(claims, tmp_path / "out")
    again = claimtrack.load(tmp_path / "out")
    assert {s.id: s.links for s in claims.subjects.values()} == {
        s.id: s.links for s in again.subjects.values()
    }


def test_an_about_link_needs_its_figure_and_only_it_has_one() -> None:
    with pytest.raises(ValueError, match="needs the figure"):
        SubjectLink(LinkKind.ABOUT, "q")
    with pytest.raises(ValueError, match="only an about link"):
        SubjectLink(LinkKind.RELATED_TO, "q", means=Estimate.parse("zero"))


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    for name in ("entities.yaml", "subjects.yaml", "example-2019.yaml"):
        shutil.copy(RELATED / name, tmp_path / name)
    path = tmp_path / "subjects.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return [str(p).removeprefix(f"{tmp_path}/") for p in claimtrack.validate(tmp_path)]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "related_to: camps-coercive",
            "related_to: camps-coercve",
            "subjects.yaml:11: subjects[1].related_to: unknown subject 'camps-coercve' (did you "
            "mean 'camps-coercive'?)",
        ),
        (
            "related_to: camps-coercive",
            "related_to: plants",
            "subjects.yaml:11: subjects[1].related_to: 'plants' is quantity, not statement",
        ),
        (
            "related_to: camps-coercive",
            "related_to: genocide",
            "subjects.yaml:8: subjects[1]: related_to: a subject cannot link to itself",
        ),
        (
            "description: The camps are internment camps",
            "related_to: genocide\n    description: The camps are internment camps",
            "subjects.yaml:12: subjects[1].related_to: 'camps-coercive' declares related_to "
            "'genocide' already (a related_to link is declared once, on either subject)",
        ),
        (
            "about: {subject: plants, means: none}",
            "about: {subject: plant, means: none}",
            "subjects.yaml:23: subjects[3].about.subject: unknown subject 'plant' (did you mean "
            "'plants'?)",
        ),
        (
            "about: {subject: plants, means: none}",
            "about: {subject: genocide, means: none}",
            "subjects.yaml:23: subjects[3].about.subject: 'genocide' is statement, not quantity",
        ),
        (
            "about: {subject: plants, means: none}",
            "about: {subject: plants, means: hardly any}",
            "subjects.yaml:23: subjects[3].about.means: cannot read 'hardly any' as a quantity",
        ),
        (
            "about: {subject: plants, means: none}",
            "about: {subject: plants, means: dozens more}",
            "subjects.yaml:23: subjects[3].about.means: 'dozens more' is an additional amount",
        ),
        (
            "about: {subject: plants, means: none}",
            "about: {subject: plants, means: no}",  # YAML reads a bare no as false
            "subjects.yaml:23: subjects[3].about.means: expected a figure (a quantity phrase or a "
            "number), got a boolean (false)",
        ),
        (
            "about: {subject: plants, means: none}",
            "about: {subject: plants}",
            "subjects.yaml:23: subjects[3].about.means: missing (this key is required)",
        ),
    ],
    ids=[
        "unknown",
        "kinds",
        "itself",
        "both-sides",
        "about-unknown",
        "about-kind",
        "means",
        "more",
        "yaml-no",
        "no-means",
    ],
)
def test_a_bad_related_or_about_link_is_an_error_at_its_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    problems = _broken(tmp_path, old, new)
    assert any(p.startswith(expected) for p in problems), problems


# -- related_to: the constructed folder ---------------------------------------------------------


def test_one_speakers_denials_of_related_propositions_are_one_consistent_stance() -> None:
    row = link_pair(
        constructed(), "example-2022:government-denies-genocide", "example-2019:government-schools"
    )
    assert ("repeat", "link-related-one-stance") == (row["verdict"], row["rule"])
    assert "genocide related_to camps-coercive" == row["link"]
    reason = row["reason"]
    assert "government denies that The government is committing genocide" in reason
    assert "government denies that The region's camps hold people" in reason
    assert "2022-06-27" in reason and "2019-09-03" in reason
    assert "one speaker (government) taking one consistent stance on both" in reason


def test_a_consistent_stance_across_a_link_is_one_origin() -> None:
    shared = constructed().origins()
    denials = {"example-2022:government-denies-genocide", "example-2019:government-schools"}
    rows = shared[shared["claim"].isin(denials)]
    assert denials == set(rows["claim"]) and 1 == rows["origin"].nunique()
    assert rows["why"].str.contains("link-related-one-stance").all()


def test_one_speaker_changing_sides_over_years_is_a_shift() -> None:
    row = link_pair(
        constructed(), "example-2022:official-genocide", "example-2019:official-schools"
    )
    assert ("shift", "link-related-stance-shift") == (row["verdict"], row["rule"])
    assert "1,028 days (about 34 months) apart" in row["reason"]
    assert "one speaker (official) who changed sides over time" in row["reason"]


@pytest.mark.parametrize(
    ("a", "b", "rule", "words"),
    [
        (
            "example-2022:critics-genocide",
            "example-2019:witnesses-held",
            "link-related-same-side",
            "different speakers on the same side of one dispute, but on different propositions: "
            "neither corroborates the other's",
        ),
        (
            "example-2022:critics-genocide",
            "example-2019:government-schools",
            "link-related-opposite-sides",
            "different speakers on opposite sides of one dispute, but on different propositions: "
            "neither contradicts the other's",
        ),
    ],
)
def test_different_speakers_on_related_propositions_are_neither_corroboration_nor_conflict(
    a: str, b: str, rule: str, words: str
) -> None:
    row = link_pair(constructed(), a, b)
    assert ("other", rule) == (row["verdict"], row["rule"])
    assert words in row["reason"]


# -- related_to: one pair each --------------------------------------------------------------------


def test_one_speaker_on_opposite_sides_within_a_year_contradicts() -> None:
    row = one_pair(
        [said("a", "p", "gov", "asserts"), said("b", "r", "gov", "denies")], RELATED_TO_R
    )
    assert ("contradict", "link-related-contradict") == (row["verdict"], row["rule"])
    assert "one speaker (gov) takes opposite sides" in row["reason"]


def test_opposite_sides_more_than_a_year_apart_are_a_shift_not_a_contradiction() -> None:
    claims = [said("a", "p", "gov", "asserts", 2019), said("b", "r", "gov", "denies", 2020)]
    row = one_pair(claims, RELATED_TO_R)  # 366 days apart
    assert ("shift", "link-related-stance-shift") == (row["verdict"], row["rule"])
    assert "366 days (about 12 months) apart" in row["reason"]


def test_a_co_speaker_is_the_same_speaker_across_a_link() -> None:
    claims = [said("a", "p", "ngo", "denies", co=("gov",)), said("b", "r", "gov", "denies")]
    row = one_pair(claims, RELATED_TO_R)
    assert ("repeat", "link-related-one-stance") == (row["verdict"], row["rule"])
    assert "one speaker (gov)" in row["reason"]


def test_one_speakers_stances_at_two_occasions_are_not_one_origin() -> None:
    """Demands at two protests are two origins within a subject that varies by occasion; so
    they are across a link: one speaker's stances in one direction, on two occasions."""
    claims = [said("a", "p", "gov", "demands", 2019), said("b", "r", "gov", "demands", 2020)]
    cs = claim_set(claims, RELATED_TO_R)
    by_occasion = attrs.evolve(cs.subjects["r"], varies="by_occasion")
    cs = attrs.evolve(cs, subjects={**cs.subjects, "r": by_occasion})
    _grouped, paired = assert_same_answers(cs)
    row = paired.pairs.iloc[0]
    assert ("other", "link-related-other-occasions") == (row["verdict"], row["rule"])
    assert 0 == len(paired.origins())
    same_day = [said("a", "p", "gov", "demands", 2019), said("b", "r", "gov", "demands", 2019)]
    cs = attrs.evolve(claim_set(same_day, RELATED_TO_R), subjects=cs.subjects)
    assert "link-related-one-stance" == compare(cs).pairs.iloc[0]["rule"]


def test_one_speakers_different_kinds_of_statement_on_related_propositions() -> None:
    row = one_pair(
        [said("a", "p", "gov", "promises"), said("b", "r", "gov", "warns")], RELATED_TO_R
    )
    assert ("other", "link-related-same-speaker-other") == (row["verdict"], row["rule"])
    assert "making different kinds of statement" in row["reason"]


def test_different_speakers_different_kinds_of_statement_on_related_propositions() -> None:
    row = one_pair(
        [said("a", "p", "ngo", "demands"), said("b", "r", "gov", "asserts")], RELATED_TO_R
    )
    assert ("other", "link-related-other") == (row["verdict"], row["rule"])


@pytest.mark.parametrize(("stance_a", "stance_b"), [("asserts", "asserts"), ("denies", "asserts")])
def test_related_to_pairs_only_across_the_link(stance_a: str, stance_b: str) -> None:
    """Claims of unlinked propositions are never paired; the within-subject pairs keep their
    verdicts."""
    claims = [said("a", "p", "gov", stance_a), said("b", "r", "ngo", stance_b)]
    assert 0 == len(compare(claim_set(claims)).pairs)
    assert 1 == len(compare(claim_set(claims, RELATED_TO_R)).pairs)


# -- about: the constructed folder -------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "verdict", "rule", "words"),
    [
        (
            "example-2019:governor-promise",
            "differ",
            "link-about-promise-against-figure",
            "governor promises that No plants will be built with foreign money (published "
            "2019-09-03), which means none (0) of Plants planned with foreign money, while "
            "example-news gives “55” (published 2019-09-03): the promise commits against the "
            "figure reported, in tension with it",
        ),
        (
            "example-2019:protesters-demand",
            "responds",
            "link-about-demand-against-figure",
            "protesters demands that No plants will be built with foreign money (published "
            "2019-09-03), which means none (0) of Plants planned with foreign money, against what "
            "example-news gives “55” (published 2019-09-03): the demand opposes the figure "
            "reported",
        ),
        (
            "example-2019:ministry-none",
            "contradict",
            "link-about-asserted-against-figure",
            "ministry asserts that No plants will be built with foreign money (published "
            "2019-09-03), which means none (0) of Plants planned with foreign money, but "
            "example-news gives “55” (published 2019-09-03): the two cannot both hold",
        ),
        (
            "example-2019:investor-will-build",
            "agree",
            "link-about-denied-other-figure",
            "investor denies that No plants will be built",
        ),
    ],
)
def test_a_proposition_about_a_figure_against_the_figure(
    a: str, verdict: str, rule: str, words: str
) -> None:
    row = link_pair(constructed(), a, "example-2019:plan-55")
    assert (verdict, rule, "no-plants about plants") == (row["verdict"], row["rule"], row["link"])
    assert words in row["reason"]


# -- about: one pair each -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stance", "value", "verdict", "rule"),
    [
        ("asserts", "55", "contradict", "link-about-asserted-against-figure"),
        ("believes", "55", "contradict", "link-about-asserted-against-figure"),
        ("asserts", "zero", "agree", "link-about-asserted-with-figure"),
        ("asserts", "up to 10", "agree", "link-about-asserted-with-figure"),
        ("denies", "zero", "contradict", "link-about-denied-figure"),
        ("denies", "55", "agree", "link-about-denied-other-figure"),
        ("denies", "up to 10", "other", "link-about-denied-overlap"),  # cannot be told
        ("promises", "55", "differ", "link-about-promise-against-figure"),
        ("promises", "zero", "other", "link-about-promise-or-demand-met"),
        ("demands", "55", "responds", "link-about-demand-against-figure"),
        ("demands", "zero", "other", "link-about-promise-or-demand-met"),
        ("warns", "55", "contradict", "link-about-asserted-against-figure"),
    ],
)
def test_each_stance_about_a_figure(stance: str, value: str, verdict: str, rule: str) -> None:
    row = one_pair([said("a", "p", "dev", stance), figure("b", value)], NONE_OF_Q)
    assert (verdict, rule) == (row["verdict"], row["rule"])
    assert "which means zero (0) of Plants planned" in row["reason"]


def test_an_about_link_means_any_figure_not_only_none() -> None:
    """ "More than 1,000 were detained": asserting it against a figure of 800 contradicts it,
    against 'about 1,500' agrees."""
    more = SubjectLink(LinkKind.ABOUT, "q", means=Estimate.parse("more than 1,000"))
    row = one_pair([said("a", "p", "ngo", "asserts"), figure("b", "800")], more)
    assert "contradict" == row["verdict"]
    assert "which means more than 1,000 (≥ 1,000) of Plants planned" in row["reason"]
    assert (
        "agree"
        == one_pair([said("a", "p", "ngo", "asserts"), figure("b", "1,500")], more)["verdict"]
    )


def test_the_related_folder_gets_the_same_answers_by_groups_and_by_pairs() -> None:
    assert_same_answers(claimtrack.load(RELATED))


def test_a_frame_given_its_subjects_compares_across_related_and_about_links() -> None:
    claims = claimtrack.load(RELATED)
    frame = compare(claims.to_frame(), subjects=claims.subjects).pairs
    expected = constructed().pairs
    keys = ["claim_a", "claim_b", "verdict", "rule"]  # a frame's reasons name subjects by id
    linked = expected[expected["link"].notna()][keys].reset_index(drop=True)
    pd.testing.assert_frame_equal(linked, frame[frame["link"].notna()][keys].reset_index(drop=True))


def test_a_claim_set_without_about_figures_leaves_the_statements_alone() -> None:
    """A statement subject ``about`` a quantity subject with no claims makes no pairs."""
    result = compare(claim_set([said("a", "p", "gov", "asserts")], NONE_OF_Q))
    assert 0 == len(result.pairs)


def test_dumping_an_about_link_made_in_python_writes_a_phrase(tmp_path: Path) -> None:
    link = SubjectLink(LinkKind.ABOUT, "q", means=Estimate(1, None, hedge="at_least"))
    claims = attrs.evolve(claim_set([said("a", "p", "gov", "asserts")], link))
    claimtrack.dump(claims, tmp_path / "out")
    (again,) = claimtrack.load(tmp_path / "out").subjects["p"].links
    assert again.means is not None and (1, None) == (again.means.low, again.means.high)


def test_related_and_about_link_pairs_are_written_to_a_folder_and_read_back(
    tmp_path: Path,
) -> None:
    written = compare(claimtrack.load(RELATED), out=tmp_path / "pairs")
    pd.testing.assert_frame_equal(constructed().pairs, written.pairs, check_dtype=False)


# -- laws ---------------------------------------------------------------------------------------

SPEAKERS = ("gov", "ngo", "dev")


@st.composite
def related_claims(draw: st.DrawFn) -> list[Claim]:
    """A few statements on ``p`` and ``r`` by a few speakers (some with a co-speaker), in 2019,
    2020 or 2022."""
    out = []
    for n in range(draw(st.integers(1, 6))):
        speaker = draw(st.sampled_from(SPEAKERS))
        co = draw(st.sampled_from([(), *((s,) for s in SPEAKERS if s != speaker)]))
        out.append(
            said(
                f"c{n}",
                draw(st.sampled_from(["p", "r"])),
                speaker,
                draw(st.sampled_from(list(Stance))).value,
                draw(st.sampled_from([2019, 2020, 2022])),
                co,
            )
        )
    return out


def _verdicts(result: Comparison) -> dict[frozenset[str], tuple[str, str]]:
    linked = result.pairs[result.pairs["link"].notna()]
    return {
        frozenset((a, b)): (v, r)
        for a, b, v, r in linked[["claim_a", "claim_b", "verdict", "rule"]].itertuples(index=False)
    }


@settings(max_examples=25, deadline=None)
@given(related_claims())
def test_a_related_to_link_reads_the_same_declared_on_either_subject(claims: list[Claim]) -> None:
    """``p related_to r`` and ``r related_to p`` give each pair the same verdict and rule, and the
    grouped and the all-pairs path agree."""
    forward = claim_set(claims, RELATED_TO_R)
    grouped, _ = assert_same_answers(forward)
    backward = attrs.evolve(
        forward,
        subjects={
            "p": attrs.evolve(forward.subjects["p"], links=()),
            "r": attrs.evolve(
                forward.subjects["r"], links=(SubjectLink(LinkKind.RELATED_TO, "p"),)
            ),
            "q": forward.subjects["q"],
        },
    )
    assert _verdicts(grouped) == _verdicts(compare(backward))
    n_p = sum(c.subject == "p" for c in claims)
    assert n_p * (len(claims) - n_p) == len(_verdicts(grouped))  # every pair across, once


@settings(max_examples=60, deadline=None)
@given(interval_estimates(100), interval_estimates(100), st.sampled_from(["asserts", "denies"]))
def test_an_assertion_or_denial_about_a_figure_follows_the_overlap(
    means: Estimate, value: Estimate, stance: str
) -> None:
    """Asserting: contradict exactly when the figure is outside what the proposition means;
    denying: contradict when it is within, agree when it is outside."""
    link = SubjectLink(LinkKind.ABOUT, "q", means=means)
    claims = [said("a", "p", "dev", stance), attrs.evolve(figure("b", "1"), value=value)]
    row = compare(claim_set(claims, link)).pairs.iloc[0]
    inf = float("inf")
    m0, m1 = (-inf if means.low is None else means.low), (inf if means.high is None else means.high)
    v0, v1 = (-inf if value.low is None else value.low), (inf if value.high is None else value.high)
    outside = v1 < m0 or m1 < v0
    within = m0 <= v0 and v1 <= m1
    if stance == "asserts":
        assert ("contradict" if outside else "agree") == row["verdict"]
    elif outside:
        assert "agree" == row["verdict"]
    else:
        assert ("contradict" if within else "other") == row["verdict"]

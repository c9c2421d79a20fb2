"""Time semantics (subjects that vary by occasion), independent origins (one report, a
republication, a relay) and hedged claims weighed weaker, on constructed claims; and compare-time
errors naming the claim's file and line."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import attrs
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import (
    Claim,
    ClaimSet,
    Entity,
    EntityIndex,
    Estimate,
    FuzzyDate,
    Source,
    Statement,
    Subject,
    compare,
)
from tests.strategies import claim_sets

ENTITIES = EntityIndex(
    [
        Entity(e, f"Entity {e}", "organisation")
        for e in ("police", "ngo", "rferl", "afp", "pub", "un")
    ]
)
SEPT = dt.date(2022, 9, 1)


def day(n: int) -> FuzzyDate:
    return FuzzyDate.day(SEPT.replace(day=n))


def source(sid: str, publisher: str, published: int, republishes: str | None = None) -> Source:
    return Source(sid, f"Article {sid}", publisher, day(published), republishes=republishes)


CROWD = Subject("crowd", "Protesters on a day", "quantity", "Protesters, per day.", "people")
CROWD_BY_DAY = attrs.evolve(CROWD, varies="by_occasion")
DEMAND = Subject("free", "Free them", "statement", "Free the detainees.", varies="by_occasion")


def figure(cid: str, src: str, claimant: str, phrase: str, on: int, **extra: object) -> Claim:
    quote = f"{claimant.upper() * 6} {phrase}"  # one claimant's quotes alike, others' not
    return Claim(cid, "crowd", src, quote, claimant, Estimate.parse(phrase), as_of=day(on), **extra)  # type: ignore[arg-type]


def claim_set(claims: list[Claim], sources: list[Source], *subjects: Subject) -> ClaimSet:
    return ClaimSet(
        claims, {s.id: s for s in sources}, {s.id: s for s in subjects or (CROWD_BY_DAY,)}, ENTITIES
    )


def verdicts(result: claimtrack.Comparison) -> dict[frozenset[str], str]:
    pairs = result.pairs
    return {
        frozenset((a, b)): v
        for a, b, v in zip(pairs["claim_a"], pairs["claim_b"], pairs["verdict"], strict=True)
    }


# -- time semantics -------------------------------------------------------------------------------


def test_figures_for_different_days_of_a_by_occasion_subject_are_separate() -> None:
    """Three detained on one day and dozens weeks later are two days' figures: not "the later
    figure supersedes the earlier", and two claimants' figures for different days do not differ."""
    sources = [source("a", "pub", 20)]
    claims = [
        figure("three", "a", "police", "three", 2),
        figure("dozens", "a", "police", "dozens", 19),
        figure("ngo", "a", "ngo", "about 300", 19),
    ]
    by_day = compare(claim_set(claims, sources))
    found = verdicts(by_day)
    assert "separate" == found[frozenset({"three", "dozens"})]
    assert "separate" == found[frozenset({"three", "ngo"})]
    assert "differ" == found[frozenset({"dozens", "ngo"})]  # one day: a real disagreement
    reason = by_day.pairs[by_day.pairs["verdict"] == "separate"]["reason"].iloc[0]
    assert "different occasions" in reason and "supersedes" not in reason
    row = by_day.subjects.iloc[0]
    assert "per occasion: the figures are about 2 occasions" == row["consensus"]
    assert 0 == row["n_update"] + row["n_change"]
    over_time = compare(claim_set(claims, sources, CROWD))
    assert "update" == verdicts(over_time)[frozenset({"three", "dozens"})]


def test_the_occasion_tolerance_decides_what_one_occasion_is() -> None:
    claims = [figure("x", "a", "police", "about 100", 2), figure("y", "b", "ngo", "about 110", 3)]
    sources = [source("a", "pub", 4), source("b", "afp", 4)]
    one_day = compare(claim_set(claims, sources))
    assert ["separate"] == one_day.pairs["verdict"].tolist()
    lenient = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, occasion_tolerance_days=1)
    assert ["agree"] == compare(claim_set(claims, sources), lenient).pairs["verdict"].tolist()


def test_a_frame_without_the_varies_column_takes_the_default_from_kind_and_unit() -> None:
    per_day = attrs.evolve(CROWD, unit="people per day")
    claims = [figure("x", "a", "police", "about 100", 2), figure("y", "a", "police", "500", 9)]
    frame = claim_set(claims, [source("a", "pub", 10)], per_day).to_frame()
    assert {"by_occasion"} == set(frame["varies"].astype(str))
    assert ["separate"] == compare(frame).pairs["verdict"].tolist()
    # without the column, a frame's claims tell the default by their unit
    frame = frame.drop(columns="varies").assign(unit="people per day")
    assert ["separate"] == compare(frame).pairs["verdict"].tolist()
    frame = claim_set(claims, [source("a", "pub", 10)], CROWD).to_frame()
    assert ["update"] == compare(frame.drop(columns="varies")).pairs["verdict"].tolist()


# -- origins --------------------------------------------------------------------------------------


def test_one_claimant_in_one_report_is_one_origin() -> None:
    claims = [figure("x", "a", "police", "about 100", 2), figure("y", "a", "police", "120", 2)]
    result = compare(claim_set(claims, [source("a", "pub", 3)], CROWD))
    assert 1 == result.subjects["origins"].iloc[0]
    shared = result.origins()
    assert ["x", "y"] == sorted(shared["claim"])
    assert {"one report of police"} == set(shared["why"])


def test_a_republication_counts_once_with_what_it_republishes() -> None:
    sources = [source("a", "rferl", 3), source("b", "pub", 4, republishes="a")]
    claims = [
        figure("orig", "a", "police", "about 100", 2),
        figure("reprint", "b", "police", "about 100", 2),
        figure("ngo", "a", "ngo", "about 120", 2),
    ]
    result = compare(claim_set(claims, sources, CROWD))
    assert "repeat" == verdicts(result)[frozenset({"orig", "reprint"})]
    pairs = result.pairs
    rule = pairs[(pairs["claim_a"] == "orig") & (pairs["claim_b"] == "reprint")]["rule"]
    assert ["repeat-republished"] == rule.tolist()
    assert 2 == result.subjects["origins"].iloc[0]


def test_a_chain_of_republications_through_a_source_without_claims_is_followed() -> None:
    sources = [
        source("a", "rferl", 3),
        source("b", "afp", 4, republishes="a"),
        source("c", "pub", 5, republishes="b"),
    ]
    claims = [figure("orig", "a", "police", "90", 2), figure("far", "c", "police", "about 90", 2)]
    result = compare(claim_set(claims, sources, CROWD))
    assert ["repeat-republished"] == result.pairs["rule"].tolist()
    assert 1 == result.subjects["origins"].iloc[0]


def test_a_claim_relayed_via_an_outlet_is_one_origin_with_its_report() -> None:
    sources = [source("a", "afp", 3), source("b", "pub", 4)]
    claims = [
        figure("afp", "a", "police", "about 100", 2),
        figure("relayed", "b", "police", "about 100", 2, via=("afp",)),
    ]
    result = compare(claim_set(claims, sources, CROWD))
    assert ["repeat-relayed"] == result.pairs["rule"].tolist()
    assert 1 == result.subjects["origins"].iloc[0]


def test_a_statement_relayed_via_the_outlet_that_reported_it_is_one_origin() -> None:
    subject = Subject("p", "P", "statement", "P is so.")
    claims = [
        Claim("own", "p", "a", "AFP: police deny it", "police", Statement("police", "denies")),
        Claim(
            "relay",
            "p",
            "b",
            "police denied it, AFP reported",
            "police",
            Statement("police", "denies"),
            via=("afp",),
        ),
    ]
    result = compare(claim_set(claims, [source("a", "afp", 3), source("b", "pub", 9)], subject))
    assert ["repeat-republished-statement"] == result.pairs["rule"].tolist()
    assert 1 == result.subjects["origins"].iloc[0]


def test_demands_at_different_protests_are_not_one_origin() -> None:
    demands = [
        Claim(f"d{n}", "free", f"s{n}", "free them", "ngo", Statement("ngo", "demands"))
        for n in range(4)
    ]
    sources = [source(f"s{n}", "pub", 3 + 7 * n) for n in range(4)]
    result = compare(claim_set(demands, sources, DEMAND))
    assert {"agree"} == set(result.pairs["verdict"])
    assert 4 == result.subjects["origins"].iloc[0]
    over_time = compare(claim_set(demands, sources, attrs.evolve(DEMAND, varies="over_time")))
    assert {"repeat"} == set(over_time.pairs["verdict"])
    assert 1 == over_time.subjects["origins"].iloc[0]


def test_seven_claims_with_agreeing_pairs_are_not_one_origin() -> None:
    """The bundled relatives' demand: seven claims from four protests, agreeing across them."""
    result = compare(claimtrack.load(Path(__file__).parent.parent / "claims"))
    row = result.subjects.set_index("subject").loc["china-release-detained-relatives"]
    assert 7 == row["claims"] and row["n_agree"] > 0
    assert 3 == row["origins"]  # the tent story, the Azimova meeting, the 500th day


# -- hedged claims ----------------------------------------------------------------------------------


def test_a_hedged_figure_against_a_direct_one_says_so_and_leaves_the_consensus() -> None:
    sources = [source("a", "pub", 3)]
    claims = [
        figure("direct", "a", "police", "about 1,000", 2),
        figure("hedged", "a", "ngo", "about 5,000", 2, attribution="reported"),
        figure("hedged2", "a", "rferl", "about 1,050", 2, attribution="said"),
    ]
    result = compare(claim_set(claims, sources, CROWD))
    found = result.pairs.set_index(["claim_a", "claim_b"])["reason"]
    assert found["direct", "hedged"].endswith(
        " — a hedged claim (the second) against a direct one: the direct claim weighs more"
    )
    assert found["hedged", "hedged2"].endswith(
        " — both claims are hedged: neither is asserted directly"
    )
    row = result.subjects.iloc[0]
    assert "(direct claims only; 2 hedged left out)" in row["consensus"]
    assert (850.0, 1150.0) == (row["consensus_low"], row["consensus_high"])
    assert "rferl: about 1,050 (2022-09-02, hedged)" in row["latest"]


def test_a_claimants_direct_figure_is_its_latest_over_a_later_hedged_one() -> None:
    claims = [
        figure("direct", "a", "police", "about 1,000", 2),
        figure("later", "a", "police", "about 3,000", 9, attribution="reported"),
    ]
    result = compare(claim_set(claims, [source("a", "pub", 10)], CROWD))
    assert "police: about 1,000 (2022-09-02)" == result.subjects["latest"].iloc[0]


def test_a_hedged_stance_against_a_denial_is_a_weaker_contradiction() -> None:
    subject = Subject("p", "P", "statement", "P is so.")
    claims = [
        Claim("fear", "p", "a", "fears", "ngo", Statement("ngo", "fears")),
        Claim("deny", "p", "a", "denies", "police", Statement("police", "denies")),
    ]
    result = compare(claim_set(claims, [source("a", "pub", 3)], subject))
    reason = result.pairs["reason"].iloc[0]
    assert "contradict" == result.pairs["verdict"].iloc[0]
    assert "a hedged claim (the" in reason and "direct claim weighs more" in reason


# -- compare-time errors name the file --------------------------------------------------------------

CLAIM_FILE = """\
source:
  id: s1
  title: A report
  publisher: pub
  published: "2022-09-03"
claims:
  - id: s1:crowd
    subject: crowd
    quote: "somewhere between 900,000 and 1.8 million"
    claimant: police
    value: {low: 900000, high: 1800000, text: "somewhere between 900,000 and 1.8 million"}
"""


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "s1.yaml").write_text(CLAIM_FILE, encoding="utf-8")
    (tmp_path / "subjects.yaml").write_text(
        "subjects:\n  - id: crowd\n    label: Crowd\n    kind: quantity\n"
        "    description: People at the rally.\n    unit: people\n",
        encoding="utf-8",
    )
    (tmp_path / "entities.yaml").write_text(
        "entities:\n  - {id: police, name: Police, kind: organisation}\n"
        "  - {id: pub, name: Publisher, kind: organisation}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_a_loaded_claim_knows_its_file_and_line_and_dump_does_not_write_it(tmp_path: Path) -> None:
    claims = claimtrack.load(_folder(tmp_path))
    claim = claims["s1:crowd"]
    assert f"{tmp_path / 's1.yaml'}:7" == claim.location
    assert claim.location == claims.filter(subject="crowd")["s1:crowd"].location
    rehedged = claims.rehedged(claimtrack.DEFAULT_HEDGE_POLICY)["s1:crowd"]
    assert claim.location == rehedged.location
    out = tmp_path / "out"
    claimtrack.dump(claims, out)
    assert "location" not in (out / "s1.yaml").read_text(encoding="utf-8")
    assert attrs.evolve(claim, location=None) == claim  # not part of what the claim says


def test_an_unreadable_text_at_compare_time_names_the_file_line_and_claim(tmp_path: Path) -> None:
    claims = claimtrack.load(_folder(tmp_path))
    unread = Estimate(1_275_000, 1_725_000, 1_500_000, "approximate", text="zillions")
    broken = attrs.evolve(claims, claims=[attrs.evolve(c, value=unread) for c in claims]).rehedged
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, hedges=claimtrack.DEFAULT_HEDGE_POLICY)
    with pytest.raises(claimtrack.QuantityError) as raised:
        broken(claimtrack.DEFAULT_HEDGE_POLICY)
    assert str(raised.value).startswith(f"{tmp_path / 's1.yaml'}:7: claim 's1:crowd': ")
    again = pickle.loads(pickle.dumps(raised.value))
    assert str(raised.value) == str(again)
    built = attrs.evolve(claims["s1:crowd"], value=unread, location=None)
    with pytest.raises(claimtrack.QuantityError, match=r"^claim 's1:crowd': cannot read"):
        compare(attrs.evolve(claims, claims=[built]), policy)


def test_the_varies_column_is_in_the_frame() -> None:
    frame = claim_set([figure("x", "a", "police", "9", 2)], [source("a", "pub", 3)]).to_frame()
    assert ["by_occasion"] == frame["varies"].astype(str).tolist()
    assert isinstance(frame["varies"].dtype, pd.CategoricalDtype)


def test_a_frame_with_empty_category_columns_reads_back_from_parquet(tmp_path: Path) -> None:
    """Regression: a column of ``to_frame()`` with no value at all (no claim republishes or is
    hedged) was written to Parquet with categories of no type, which cannot be read back; the
    comparison reads those columns now."""
    frame = claim_set([figure("x", "a", "police", "9", 2)], [source("a", "pub", 3)]).to_frame()
    assert frame["republishes"].isna().all() and frame["attribution"].isna().all()
    frame.to_parquet(tmp_path / "claims.parquet")
    again = pd.read_parquet(tmp_path / "claims.parquet")
    assert isinstance(again["republishes"].dtype, pd.CategoricalDtype)
    assert 1 == compare(again).subjects["claims"].iloc[0]


def test_a_reprint_that_a_relay_names_joins_origins() -> None:
    """Regression (found by the law below): a claim relayed ``via`` a publisher that then
    reprints another source is of that source's origin, so adding the reprint joins two origins;
    the law held that origins stay as they were, which is only true when no relay names it."""
    sources = [source("a", "rferl", 3), source("b", "afp", 21)]
    claims = [
        figure("first", "a", "police", "about 100", 2),
        figure("relayed", "b", "police", "about 110", 20, via=("un",)),
    ]
    before = compare(claim_set(claims, sources, CROWD))
    reprint = source("r", "un", 4, republishes="a")
    copy = figure("reprinted", "r", "police", "about 100", 2)
    after = compare(claim_set([*claims, copy], [*sources, reprint], CROWD))
    assert [2] == before.subjects["origins"].tolist()  # a later figure: an update, two origins
    assert [1] == after.subjects["origins"].tolist()
    assert "repeat" == verdicts(after)[frozenset({"relayed", "reprinted"})]


@settings(max_examples=40, deadline=None)
@given(claim_sets(), st.data())
def test_reprinting_a_source_adds_no_origin(claims: ClaimSet, data: st.DataObject) -> None:
    """A law of origins: a republication of a source, each of its claims reprinted, leaves every
    subject's number of independent origins as it was (and origins never outnumber claims) —
    unless a claim had its figure ``via`` the reprint's publisher: the relay then resolves to the
    reprint, so to the source it reprints, and origins can only join (never more of them)."""
    original = data.draw(st.sampled_from(sorted(claims.sources)))
    assume("reprint-of-one" not in claims.sources)
    first = claims.sources[original]
    reprint = attrs.evolve(first, id="reprint-of-one", republishes=first.id, publisher="un")
    copies = [
        attrs.evolve(c, id=f"reprint-of-one:{c.id.split(':')[-1]}", source=reprint.id)
        for c in claims
        if c.source == original
    ]
    before = compare(claims).subjects.set_index("subject")["origins"]
    reprinted = attrs.evolve(
        claims, claims=[*claims, *copies], sources={**claims.sources, reprint.id: reprint}
    )
    after = compare(reprinted).subjects.set_index("subject")
    assert (after["origins"] <= after["claims"]).all()
    kept = after["origins"].reindex(before.index)
    assert (kept <= before).all()
    if not any(reprint.publisher in c.via for c in claims):
        assert before.to_dict() == kept.to_dict()

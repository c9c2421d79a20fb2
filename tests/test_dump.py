"""Writing claim files back: load -> dump -> load gives equal objects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import claimtrack
from claimtrack import (
    Claim,
    ClaimSet,
    DayCount,
    Entity,
    EntityIndex,
    Estimate,
    FuzzyDate,
    Hedge,
    Source,
    Statement,
    Subject,
)
from tests.conftest import MINI

ENTITIES = [
    Entity("rferl", "Radio Free Europe/Radio Liberty", "organisation", ("RFE/RL",)),
    Entity("un", "United Nations", "organisation"),
    Entity("china", "Chinese government", "organisation", ("Beijing",)),
]
SUBJECTS = {
    s.id: s
    for s in [
        Subject("people", "People detained", "quantity", "How many. Not a population.", "people"),
        Subject("days", "Days of a protest", "day_count", "Days of one protest. Not nights."),
        Subject("start", "Start of the protest", "event_date", "When it began.", None, "days"),
        Subject("camps", "Camps are coercive", "statement", "The proposition. Not a number."),
    ]
}
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")
days = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))


@st.composite
def fuzzy_dates(draw: st.DrawFn) -> FuzzyDate:
    kind = draw(st.sampled_from(["day", "month", "year", "range"]))
    d = draw(days)
    if kind == "day":
        value = FuzzyDate.day(d)
    elif kind == "month":
        value = FuzzyDate.month(d.year, d.month)
    elif kind == "year":
        value = FuzzyDate.year(d.year)
    else:
        value = FuzzyDate.between(d, d + dt.timedelta(days=draw(st.integers(1, 900))))
    written = draw(st.none() | st.sampled_from(["last year", "a day earlier", "in April"]))
    return value if written is None else FuzzyDate(value.start, value.end, value.precision, written)


numbers = st.integers(0, 10**9) | st.floats(0, 1e9, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def estimates(draw: st.DrawFn) -> Estimate:
    if draw(st.booleans()):
        phrase = draw(
            st.sampled_from(
                [
                    "an estimated 1 million",
                    "as many as 2 million",
                    "at least 16",
                    "more than 400,000",
                    "nearly two million",
                    "some 1.5 million",
                    "about 100",
                    "hundreds",
                    "dozens",
                    "tens of thousands",
                    "millions more",
                    "between 900,000 and 1.8 million",
                    "eight",
                    "a dozen",
                    "55",
                    "1.8 million",
                    "2m",
                ]
            )
        )
        return Estimate.parse(phrase)
    a, b = sorted([draw(numbers), draw(numbers)])
    low = draw(st.none() | st.just(a))
    high = draw(st.just(b) if low is None else st.none() | st.just(b))
    return Estimate(
        low=low,
        high=high,
        value=None,
        hedge=draw(st.sampled_from(list(Hedge))),
        unit=draw(st.none() | st.just("people")),
        text=draw(st.none() | text),
        additional=draw(st.booleans()),
    )


@st.composite
def claims(draw: st.DrawFn, source: str, n: int) -> Claim:
    kind = draw(st.sampled_from(["people", "days", "start", "camps"]))
    value: object
    if kind == "people":
        value = draw(estimates())
    elif kind == "days":
        value = DayCount(
            draw(st.integers(1, 2000)),
            draw(st.sampled_from(["day", "night"])),
            draw(st.none() | st.sampled_from(["a 20th night", "the 500th day"])),
        )
    elif kind == "start":
        value = draw(fuzzy_dates())
    else:
        value = Statement(
            draw(st.sampled_from(["un", "china"])),
            draw(st.sampled_from(["asserts", "denies", "promises", "demands", "warns"])),
            draw(st.sampled_from(["direct", "paraphrase"])),
        )
    return Claim(
        id=f"{source}:c{n}",
        subject=kind,
        source=source,
        quote=draw(text),
        claimant=draw(st.sampled_from(["rferl", "un", "china"])),
        value=value,  # type: ignore[arg-type]
        via=draw(st.lists(st.sampled_from(["rferl", "un"]), max_size=2)),
        as_of=draw(st.none() | fuzzy_dates()),
        stated=draw(st.none() | fuzzy_dates()),
        section=draw(st.sampled_from(["headline", "standfirst", "caption", "lede", "body"])),
        notes=draw(st.none() | text),
    )


@st.composite
def claim_sets(draw: st.DrawFn) -> ClaimSet:
    source_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    sources = {}
    all_claims: list[Claim] = []
    for sid in source_ids:
        sources[sid] = Source(
            id=sid,
            title=draw(text),
            publisher="rferl",
            published=draw(fuzzy_dates().filter(lambda d: d.written is None)),
            url=draw(st.none() | st.just("https://example.org/a")),
            authors=draw(st.lists(text, max_size=2)),
            language=draw(st.sampled_from(["en", "kk"])),
            text_file=draw(st.none() | st.just("a.txt")),
            text_sha256=draw(st.none() | st.just("ab" * 32)),
            notes=draw(st.none() | text),
        )
        for n in range(draw(st.integers(0, 4))):
            all_claims.append(draw(claims(sid, n)))
    return ClaimSet(all_claims, sources, SUBJECTS, EntityIndex(ENTITIES))


@given(claim_sets())
def test_dump_then_load_gives_equal_claims(tmp_path_factory: object, claimset: ClaimSet) -> None:
    folder = tmp_path_factory.mktemp("dump")  # type: ignore[attr-defined]
    claimtrack.dump(claimset, folder)
    assert claimset == claimtrack.load(folder)


def test_round_trip_of_the_mini_set_keeps_phrases(tmp_path: Path) -> None:
    """Phrases stay phrases in the written file: nothing is expanded or lost."""
    original = claimtrack.load(MINI)
    claimtrack.dump(original, tmp_path)
    assert original == claimtrack.load(tmp_path)
    written = (tmp_path / "rferl-2019-zhanaozen.yaml").read_text(encoding="utf-8")
    assert "value: an estimated 1 million" in written
    assert "count: for the second day" in written
    assert "“vocational education centers”" in written

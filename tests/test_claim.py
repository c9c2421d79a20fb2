"""Claims, day counts, statements, subjects and sources: parsing and the invariants they keep."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack
from claimtrack import (
    Claim,
    DayCount,
    DayCountError,
    DayUnit,
    Estimate,
    FuzzyDate,
    Mode,
    Section,
    Source,
    Stance,
    Statement,
    Subject,
    SubjectKind,
)
from tests.strategies import day_count_phrases, ordinal_words

PUBLISHED = FuzzyDate.day(dt.date(2019, 9, 3))


def _claim(**changes: object) -> Claim:
    fields: dict[str, object] = {
        "id": "rferl-2019:un-detainees",
        "subject": "xinjiang-detainees",
        "source": "rferl-2019",
        "quote": "an estimated 1 million ethnic Uyghurs",
        "claimant": "un",
        "value": Estimate.parse("an estimated 1 million"),
    }
    return Claim(**{**fields, **changes})  # type: ignore[arg-type]


# --- DayCount.parse ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ordinal", "unit"),
    [
        ("a 20th night", 20, "night"),
        ("the 500th day", 500, "day"),
        ("for the second day", 2, "day"),
        ("after 500 days", 500, "day"),
        ("500 days", 500, "day"),
        ("2 nights", 2, "night"),
        ("1,000 days", 1000, "day"),
        ("one hundred days", 100, "day"),
        ("on the 21st day", 21, "day"),
        ("into the twenty-first day", 21, "day"),
        ("the hundredth day", 100, "day"),
        ("an eighth night", 8, "night"),
        ("fifth night", 5, "night"),
        ("the 1st day", 1, "day"),
        ("the 111th day", 111, "day"),
        ("A 20th Night", 20, "night"),
        ("  the third\u00a0 night\n", 3, "night"),
        ("1 day", 1, "day"),
        ("one night", 1, "night"),
        ("after one day", 1, "day"),
        ("day 500", 500, "day"),
        ("Day 1,000", 1000, "day"),
        ("on night 3", 3, "night"),
    ],
)
def test_day_count_phrases(text: str, ordinal: int, unit: str) -> None:
    assert DayCount(ordinal, DayUnit(unit), text) == DayCount.parse(text)


def test_day_count_keeps_the_phrase_as_written() -> None:
    count = DayCount.parse("for the second day")
    assert "for the second day" == str(count)
    assert "night 20" == str(DayCount(20, "night"))


def test_ordinal_with_thousands_separator() -> None:
    """News writes "the 1,000th day", as it writes "1,000 days"."""
    assert DayCount(1000, DayUnit.DAY, "the 1,000th day") == DayCount.parse("the 1,000th day")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("500", "expected a phrase like 'the 500th day' or 'a 20th night'"),
        ("a 20th week", "expected a phrase like 'the 500th day' or 'a 20th night'"),
        ("the 20th night of protest", "expected a phrase like 'the 500th day' or 'a 20th night'"),
        ("", "expected a phrase like 'the 500th day' or 'a 20th night'"),
        ("the day", "not an ordinal"),
        ("a twentyth night", "not an ordinal"),
        ("the 21th day", "wrong suffix 'th', expected '21st'"),
        ("the 12nd day", "wrong suffix 'nd', expected '12th'"),
        ("the 0th day", "there is no 0th"),
        ("0 days", "'0' is not a whole number of days"),
        ("1.5 nights", "'1.5' is not a whole number of nights"),
        ("many days", "unknown word 'many'"),
        ("2 day", "not an ordinal"),
        ("day 0", "day numbers start at 1"),
    ],
)
def test_day_count_errors(text: str, reason: str) -> None:
    with pytest.raises(DayCountError) as info:
        DayCount.parse(text)
    assert (text, reason) == (info.value.text, info.value.reason)
    assert f"cannot read {text!r} as a day count ({reason})" == str(info.value)


def test_day_count_of_a_number_is_an_error() -> None:
    with pytest.raises(DayCountError, match="expected text"):
        DayCount.parse(500)  # type: ignore[arg-type]


@pytest.mark.parametrize("ordinal", [0, -1, True, 2.0, "3"])
def test_day_count_ordinal_is_a_whole_number_of_at_least_one(ordinal: object) -> None:
    with pytest.raises(ValueError, match="ordinal must be a whole number"):
        DayCount(ordinal, DayUnit.DAY)  # type: ignore[arg-type]


def test_day_count_unit_is_day_or_night() -> None:
    assert DayUnit.NIGHT == DayCount(3, "night").unit
    with pytest.raises(ValueError, match="'week'"):
        DayCount(3, "week")


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "first"), (21, "twenty-first"), (40, "fortieth"), (105, "one hundred fifth")],
)
def test_ordinal_words_helper(n: int, words: str) -> None:
    assert words == ordinal_words(n)


@given(day_count_phrases())
def test_generated_ordinal_phrases(case: tuple[str, int, str]) -> None:
    text, n, unit = case
    assert DayCount(n, DayUnit(unit), text) == DayCount.parse(text)


@given(st.integers(1, 10**6), st.sampled_from(["day", "night"]))
def test_generated_cardinal_phrases_count_the_same(n: int, unit: str) -> None:
    """ "after N days" is read as the N-th day."""
    text = f"after {n} {unit}s"
    assert DayCount(n, DayUnit(unit), text) == DayCount.parse(text)


# --- Claim -------------------------------------------------------------------------------------


def test_a_valid_claim_has_defaults() -> None:
    claim = _claim()
    assert ((), None, None, Section.BODY, None) == (
        claim.via,
        claim.as_of,
        claim.stated,
        claim.section,
        claim.notes,
    )


@pytest.mark.parametrize("field", ["id", "subject", "source", "claimant"])
@pytest.mark.parametrize("bad", ["", "Bad Id", "-leading-dash", "UPPER", "über", "a b", None])
def test_ids_are_lowercase_slugs(field: str, bad: object) -> None:
    with pytest.raises(ValueError, match=f"{field} must be a lowercase id"):
        _claim(**{field: bad})


@pytest.mark.parametrize("good", ["a", "0", "rferl-2019-09-03:un.detainees_2"])
def test_good_ids(good: str) -> None:
    assert good == _claim(id=good).id


@pytest.mark.parametrize("quote", ["", "   ", "\n\t"])
def test_empty_quote_is_an_error(quote: str) -> None:
    with pytest.raises(ValueError, match="quote must be non-empty text"):
        _claim(quote=quote)


def test_via_given_as_a_string_is_an_error() -> None:
    """A lone string would otherwise become a tuple of its letters."""
    with pytest.raises(TypeError, match="expected a list of ids, got the string 'rferl'"):
        _claim(via="rferl")


def test_via_as_a_list_becomes_a_tuple() -> None:
    assert ("azattyq", "rferl") == _claim(via=["azattyq", "rferl"]).via


@pytest.mark.parametrize("value", [1_000_000, "an estimated 1 million", None, dt.date(2019, 9, 3)])
def test_value_must_be_one_of_the_four_kinds(value: object) -> None:
    with pytest.raises(TypeError, match="value must be an Estimate, DayCount, FuzzyDate"):
        _claim(value=value)


def test_section_from_text() -> None:
    assert Section.HEADLINE == _claim(section="headline").section
    with pytest.raises(ValueError, match="'headlne'"):
        _claim(section="headlne")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (Estimate.parse("as many as 2 million"), SubjectKind.QUANTITY),
        (DayCount.parse("a 20th night"), SubjectKind.DAY_COUNT),
        (FuzzyDate.parse("on September 2", reference=PUBLISHED), SubjectKind.EVENT_DATE),
        (Statement("china", "denies"), SubjectKind.STATEMENT),
    ],
)
def test_claim_kind_follows_its_value(value: object, kind: SubjectKind) -> None:
    assert kind == _claim(value=value).kind


def test_claims_are_frozen_and_comparable() -> None:
    claim = _claim()
    assert _claim() == claim
    assert hash(_claim()) == hash(claim)
    with pytest.raises(AttributeError):
        claim.quote = "other"  # type: ignore[misc]


# --- Statement ---------------------------------------------------------------------------------


def test_statement_defaults_to_paraphrase() -> None:
    assert Statement("china", Stance.DENIES, Mode.PARAPHRASE) == Statement("china", "denies")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"speaker": "China"}, "speaker must be a lowercase id"),
        ({"stance": "deny"}, "'deny'"),
        ({"mode": "quoted"}, "'quoted'"),
    ],
)
def test_statement_errors(changes: dict[str, str], message: str) -> None:
    fields = {"speaker": "china", "stance": "denies", "mode": "direct"} | changes
    with pytest.raises(ValueError, match=message):
        Statement(**fields)


# --- Subject -----------------------------------------------------------------------------------


def test_start_of_for_an_event_date_subject() -> None:
    subject = Subject(
        "protest-start", "Start", "event_date", "When it began. Not the strike.", None, "days"
    )
    assert ("days", SubjectKind.EVENT_DATE) == (subject.start_of, subject.kind)


@pytest.mark.parametrize("kind", ["quantity", "day_count", "statement"])
def test_start_of_is_only_for_event_date_subjects(kind: str) -> None:
    with pytest.raises(
        ValueError, match=f"start_of is only for event_date subjects; 'x' is {kind}"
    ):
        Subject("x", "Label", kind, "Description. Not another.", "people", "days")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "X"}, "id must be a lowercase id"),
        ({"label": " "}, "label must be non-empty text"),
        ({"description": ""}, "description must be non-empty text"),
        ({"kind": "count"}, "'count'"),
    ],
)
def test_subject_errors(changes: dict[str, str], message: str) -> None:
    fields = {"id": "x", "label": "L", "kind": "quantity", "description": "D"} | changes
    with pytest.raises(ValueError, match=message):
        Subject(**fields)


# --- Source ------------------------------------------------------------------------------------


def _source(**changes: object) -> Source:
    fields: dict[str, object] = {
        "id": "rferl-2019",
        "title": "Hundreds Call On Kazakh President To Scrap China Visit",
        "publisher": "rferl",
        "published": PUBLISHED,
    }
    return Source(**{**fields, **changes})  # type: ignore[arg-type]


def test_source_defaults() -> None:
    source = _source()
    assert (None, (), "en", None, None, None) == (
        source.url,
        source.authors,
        source.language,
        source.text_file,
        source.text_sha256,
        source.notes,
    )


@pytest.mark.parametrize("digest", [None, "0" * 64, "3f1c" + "ab" * 30])
def test_source_sha256_is_64_lowercase_hex_digits(digest: str | None) -> None:
    assert digest == _source(text_sha256=digest).text_sha256


@pytest.mark.parametrize(
    "digest", ["", "3f1c", "A" * 64, "0" * 63, "0" * 65, "g" * 64, " " + "0" * 63, "0" * 64 + "\n"]
)
def test_source_sha256_errors(digest: str) -> None:
    with pytest.raises(ValueError, match="text_sha256 must be 64 lowercase hex digits"):
        _source(text_sha256=digest)


def test_source_authors_as_a_string_is_an_error() -> None:
    with pytest.raises(TypeError, match="got the string"):
        _source(authors="Vladimir Rozanskij")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "RFERL"}, "id must be a lowercase id"),
        ({"publisher": "RFE/RL"}, "publisher must be a lowercase id"),
        ({"title": ""}, "title must be non-empty text"),
    ],
)
def test_source_errors(changes: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _source(**changes)


# -- issue 16: hedged stances, hedged attribution, several claimants, time semantics, reprints


def test_new_stances_come_after_the_old_so_positions_stay() -> None:
    from claimtrack import Stance

    assert ["asserts", "denies", "promises", "demands", "warns"] == [s.value for s in Stance][:5]
    assert {"fears", "believes", "suspects"} == {s.value for s in Stance if s.hedged}


def _claim(**changes: object) -> claimtrack.Claim:
    fields: dict[str, object] = {
        "id": "s:c",
        "subject": "camps",
        "source": "s",
        "quote": "q",
        "claimant": "un",
        "value": claimtrack.Statement("china", "asserts"),
    }
    return claimtrack.Claim(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_claim_is_hedged_by_its_attribution_or_its_stance() -> None:
    assert not _claim().is_hedged
    assert _claim(attribution="reported").is_hedged
    assert _claim(value=claimtrack.Statement("china", "suspects")).is_hedged
    assert claimtrack.Attribution.BELIEVED is _claim(attribution="believed").attribution


def test_claimants_lists_the_first_then_the_others() -> None:
    claim = _claim(co_claimants=["china", "rferl"])
    assert ("un", "china", "rferl") == claim.claimants


@pytest.mark.parametrize("others", [("un",), ("china", "china"), ("Not An Id",)])
def test_co_claimants_are_distinct_ids(others: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        _claim(co_claimants=others)


def test_co_speakers_are_distinct_from_the_speaker() -> None:
    with pytest.raises(ValueError, match="listed twice"):
        claimtrack.Statement("china", "denies", co_speakers=("china",))
    assert ("china", "un") == claimtrack.Statement("china", "denies", co_speakers=("un",)).speakers


@pytest.mark.parametrize(
    ("kind", "unit", "expected"),
    [
        ("quantity", "people", "over_time"),
        ("quantity", "people per day", "by_occasion"),
        ("quantity", "Arrests a night", "by_occasion"),
        ("quantity", "people each protest", "by_occasion"),
        ("quantity", "days in a year", "over_time"),
        ("day_count", "days", "over_time"),
        ("event_date", None, "over_time"),
        ("statement", None, "over_time"),
    ],
)
def test_default_varies_by_kind_and_unit(kind: str, unit: str | None, expected: str) -> None:
    assert expected == claimtrack.default_varies(claimtrack.SubjectKind(kind), unit)


def test_declared_varies_wins_over_the_default() -> None:
    subject = claimtrack.Subject(
        "c", "Crowd", "quantity", "On one day.", "people", None, "by_occasion"
    )
    assert claimtrack.Varies.BY_OCCASION is subject.variation


def test_a_source_cannot_republish_itself() -> None:
    with pytest.raises(ValueError, match="republish itself"):
        claimtrack.Source("a", "T", "rferl", claimtrack.FuzzyDate.parse("2019"), republishes="a")

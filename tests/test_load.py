"""Loading claim files: the valid example set, and every kind of broken file (golden files)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import claimtrack
from claimtrack import (
    ClaimFileError,
    DayCount,
    Estimate,
    FuzzyDate,
    Hedge,
    Statement,
    ValidationError,
)
from tests.conftest import MINI, TESTS, check_golden

BROKEN = TESTS / "broken"
BROKEN_FILES = sorted(
    p for p in BROKEN.glob("*.yaml") if p.name not in ("entities.yaml", "subjects.yaml")
)


def test_mini_loads_every_kind_of_claim() -> None:
    claims = claimtrack.load(MINI)
    assert 4 == len(claims)
    detainees = claims["rferl-2019-zhanaozen:un-detainees"]
    assert isinstance(detainees.value, Estimate)
    assert (850_000, 1_150_000, Hedge.APPROXIMATE) == (
        detainees.value.low,
        detainees.value.high,
        detainees.value.hedge,
    )
    assert detainees.as_of is not None
    assert ("2018", "last year") == (detainees.as_of.iso(), detainees.as_of.written)
    day = claims["rferl-2019-zhanaozen:second-day"]
    assert DayCount(2, "day", "for the second day") == day.value
    assert day.as_of is not None
    assert "2019-09-03" == day.as_of.iso()
    start = claims["rferl-2019-zhanaozen:start"].value
    assert isinstance(start, FuzzyDate)
    assert ("2019-09-02", "on September 2") == (start.iso(), start.written)
    statement = claims["rferl-2019-zhanaozen:china-vocational"].value
    assert Statement("china", "denies", "paraphrase") == statement


def test_single_file_reads_registries_from_its_folder() -> None:
    claims = claimtrack.load(MINI / "rferl-2019-zhanaozen.yaml")
    assert 4 == len(claims)
    assert "xinjiang-detainees" in claims.subjects


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_broken_file_gives_expected_errors(path: Path) -> None:
    """Each broken file gives exactly the lines in its .expected golden file."""
    problems = claimtrack.validate(path.relative_to(BROKEN.parent.parent))
    actual = "".join(f"{p}\n" for p in problems)
    assert actual, f"{path.name} should have problems"
    check_golden(path.with_suffix(".expected"), actual)


def test_load_raises_validation_error_with_every_problem() -> None:
    with pytest.raises(ValidationError) as info:
        claimtrack.load(Path("tests/broken/bad-values.yaml"))
    assert 7 == len(info.value.errors)
    assert str(info.value).startswith("7 problems in claim files\n")


def test_huge_file_is_refused(tmp_path: Path) -> None:
    for name in ("entities.yaml", "subjects.yaml"):
        (tmp_path / name).write_bytes((MINI / name).read_bytes())
    big = tmp_path / "big.yaml"
    big.write_text("source:\n  notes: " + "x" * 5000 + "\n")
    problems = claimtrack.validate(big, max_bytes=1000)
    assert [f"{big}: file is 5,018 bytes, over the 1,000-byte limit"] == [str(p) for p in problems]


def test_missing_path_is_one_clear_problem() -> None:
    assert ["nowhere: no such file or folder"] == [str(p) for p in claimtrack.validate("nowhere")]


def test_missing_registries_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes((MINI / "rferl-2019-zhanaozen.yaml").read_bytes())
    messages = [str(p) for p in claimtrack.validate(tmp_path)]
    assert f"{tmp_path / 'entities.yaml'}: missing: the entities registry is required" in messages
    assert f"{tmp_path / 'subjects.yaml'}: missing: the subjects registry is required" in messages


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    for name in ("entities.yaml", "subjects.yaml", "rferl-2019-zhanaozen.yaml"):
        (tmp_path / name).write_bytes((MINI / name).read_bytes())
    (tmp_path / "copy.yaml").write_bytes((MINI / "rferl-2019-zhanaozen.yaml").read_bytes())
    messages = [str(p) for p in claimtrack.validate(tmp_path)]
    assert any("duplicate source id 'rferl-2019-zhanaozen'" in m for m in messages)


@pytest.mark.parametrize(
    "error",
    [
        ClaimFileError("a.yaml", 3, "claims[0].value", "bad"),
        ValidationError([ClaimFileError("a.yaml", None, "", "file is empty")]),
        claimtrack.QuantityError("as many as two milion", "unknown word 'milion'"),
        claimtrack.DateError("2021-02-30", "February 2021 has 28 days"),
        claimtrack.DayCountError("a twentyth night", "not an ordinal"),
        claimtrack.UnknownIdError("entity", "tokaev", ["tokayev"]),
        claimtrack.AmbiguousNameError("Azimov", ["azimova", "azimov"]),
        claimtrack.MissingExtraError("the dask engine", "dask"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(error) is type(copy)
    assert str(error) == str(copy)
    assert isinstance(copy, claimtrack.ClaimtrackError)


def test_error_message_names_file_line_and_field() -> None:
    error = ClaimFileError("claims/rferl-2019.yaml", 41, "claims[3].value", "cannot read it")
    assert "claims/rferl-2019.yaml:41: claims[3].value: cannot read it" == str(error)


# -- issue 16: several claimants, hedged stances and attribution, time semantics, republications


def _folder(tmp_path: Path, files: dict[str, str], subjects: str = "") -> Path:
    """A claims folder with the mini registries (plus ``subjects``) and these source files."""
    (tmp_path / "entities.yaml").write_bytes((MINI / "entities.yaml").read_bytes())
    registry = (MINI / "subjects.yaml").read_text(encoding="utf-8")
    (tmp_path / "subjects.yaml").write_text(registry + subjects, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _source(
    sid: str, claims: str = "claims: []\n", extra: str = "", published: str = "2019-09-03"
) -> str:
    return (
        f'source:\n  id: {sid}\n  title: T\n  publisher: rferl\n  published: "{published}"\n'
        f"{extra}{claims}"
    )


CO_CLAIMANTS = """claims:
  - id: s:two
    subject: xinjiang-detainees
    quote: the UN and the State Department said as many as 2 million
    claimant: [un, us-state-department]
    attribution: said
    value: as many as 2 million
  - id: s:fear
    subject: xinjiang-camps-coercive
    quote: China and the UN fear it
    claimant: rferl
    statement: {speaker: [china, un], stance: fears}
"""


def test_several_claimants_and_speakers_keep_the_first_as_primary(tmp_path: Path) -> None:
    claims = claimtrack.load(_folder(tmp_path, {"s.yaml": _source("s", CO_CLAIMANTS)}))
    two = claims["s:two"]
    assert ("un", ("us-state-department",)) == (two.claimant, two.co_claimants)
    assert ("un", "us-state-department") == two.claimants
    assert claimtrack.Attribution.SAID is two.attribution
    fear = claims["s:fear"].value
    assert Statement("china", "fears", "paraphrase", ("un",)) == fear
    assert ("china", "un") == fear.speakers
    assert ["s:two"] == [c.id for c in claims.filter(claimant="us-state-department")]


def test_hedged_stance_and_hedged_attribution_are_hedged(tmp_path: Path) -> None:
    claims = claimtrack.load(_folder(tmp_path, {"s.yaml": _source("s", CO_CLAIMANTS)}))
    assert claims["s:two"].is_hedged  # attribution: said
    assert claims["s:fear"].is_hedged  # stance: fears
    assert not claimtrack.load(MINI)["rferl-2019-zhanaozen:china-vocational"].is_hedged


def test_claims_frame_carries_co_claimants_attribution_and_co_speakers(tmp_path: Path) -> None:
    claims = claimtrack.load(_folder(tmp_path, {"s.yaml": _source("s", CO_CLAIMANTS)}))
    frame = claims.to_frame().set_index("claim")
    assert ("us-state-department",) == frame.loc["s:two", "co_claimants"]
    assert "said" == frame.loc["s:two", "attribution"]
    assert ("un",) == frame.loc["s:fear", "co_speakers"]
    again = claimtrack.ClaimSet.from_frame(
        claims.to_frame(),
        sources=claims.sources,
        subjects=claims.subjects,
        entities=claims.entities,
    )
    assert claims == again


VARIES = """  - id: crowd
    label: Protesters on one day
    kind: quantity
    unit: people
    varies: by_occasion
    description: How many protested on one day. NOT detainees.
  - id: arrests-a-day
    label: Arrests a day
    kind: quantity
    unit: people a day
    description: Arrests on one day. NOT the total.
"""


def test_subjects_declare_how_they_vary_with_a_default_by_kind_and_unit(tmp_path: Path) -> None:
    claims = claimtrack.load(_folder(tmp_path, {"s.yaml": _source("s")}, VARIES))
    assert claimtrack.Varies.BY_OCCASION is claims.subject("crowd").varies
    assert claimtrack.Varies.BY_OCCASION is claims.subject("arrests-a-day").variation
    assert claims.subject("arrests-a-day").varies is None  # not declared: the default
    assert claimtrack.Varies.OVER_TIME is claims.subject("xinjiang-detainees").variation
    assert claimtrack.Varies.OVER_TIME is claims.subject("zhanaozen-protest-days").variation


def test_unknown_varies_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"s.yaml": _source("s")}, VARIES.replace("by_occasion", "occasion"))
    (problem,) = claimtrack.validate(folder)
    assert "subjects[4].varies" == problem.field
    assert "unknown varies 'occasion' (did you mean 'by_occasion'?)" in problem.message


def test_republication_names_its_origin(tmp_path: Path) -> None:
    files = {
        "a.yaml": _source("a"),
        "b.yaml": _source("b", extra="  republishes: a\n"),
        "c.yaml": _source("c", extra="  republishes: b\n"),
    }
    claims = claimtrack.load(_folder(tmp_path, files))
    assert "a" == claims.source("b").republishes
    assert ["a", "a", "a"] == [claims.origin(s).id for s in ("a", "b", "c")]


def test_republication_cycle_is_an_error_at_each_source_in_it(tmp_path: Path) -> None:
    files = {
        "a.yaml": _source("a", extra="  republishes: b\n"),
        "b.yaml": _source("b", extra="  republishes: a\n"),
        "c.yaml": _source("c", extra="  republishes: a\n"),  # leads into the cycle: not in it
    }
    folder = _folder(tmp_path, files)
    messages = [str(p) for p in claimtrack.validate(folder)]
    assert [
        f"{folder / 'a.yaml'}:6: source.republishes: republications go round in a cycle: "
        "'a' -> 'b' -> 'a'",
        f"{folder / 'b.yaml'}:6: source.republishes: republications go round in a cycle: "
        "'b' -> 'a' -> 'b'",
    ] == messages


def test_republishes_column_in_the_claims_frame(tmp_path: Path) -> None:
    claim = CO_CLAIMANTS.split("  - id: s:fear")[0]
    files = {"a.yaml": _source("a"), "s.yaml": _source("s", claim, "  republishes: a\n")}
    frame = claimtrack.load(_folder(tmp_path, files)).to_frame()
    assert ["a"] == list(frame["republishes"].astype(str))


def test_a_speaker_listed_twice_is_one_problem(tmp_path: Path) -> None:
    """It was reported twice: at the speaker, and again when the statement was built."""
    claim = CO_CLAIMANTS.replace("speaker: [china, un]", "speaker: [china, china]")
    folder = _folder(tmp_path, {"s.yaml": _source("s", claim)})
    assert [
        f"{folder / 's.yaml'}:17: claims[1].statement.speaker[1]: speaker 'china' listed twice"
    ] == [str(p) for p in claimtrack.validate(folder)]


def test_unknown_attribution_in_a_frame_is_a_frame_error() -> None:
    frame = claimtrack.load(MINI).to_frame()
    frame["attribution"] = ["reportedly", None, None, None]
    with pytest.raises(claimtrack.FrameError, match="unknown attribution 'reportedly'"):
        claimtrack.check_claims_frame(frame)


def test_claimant_list_in_a_claim_with_other_problems_is_still_checked(tmp_path: Path) -> None:
    claim = CO_CLAIMANTS.replace("[un, us-state-department]", "[un, us-state-dept]").replace(
        "value: as many as 2 million", "value: as many as 2 million\n    extra: 1"
    )
    messages = [
        str(p) for p in claimtrack.validate(_folder(tmp_path, {"s.yaml": _source("s", claim)}))
    ]
    assert any("claims[0].claimant[1]: unknown entity 'us-state-dept'" in m for m in messages)


def test_unknown_republished_source_is_an_error_in_a_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"b.yaml": _source("b", extra="  republishes: a\n")})
    assert [f"{folder / 'b.yaml'}:6: source.republishes: unknown source 'a'"] == [
        str(p) for p in claimtrack.validate(folder)
    ]


def test_republished_source_of_another_file_is_a_warning_when_one_file_is_read(
    tmp_path: Path,
) -> None:
    """Validating one file of a valid folder failed: the republished source is in another file."""
    files = {"a.yaml": _source("a"), "b.yaml": _source("b", extra="  republishes: a\n")}
    folder = _folder(tmp_path, files)
    assert [] == claimtrack.validate(folder)
    warnings: list[claimtrack.ClaimFileWarning] = []
    claims = claimtrack.load(folder / "b.yaml", warnings=warnings)
    assert "b" == claims.origin("b").id  # the chain leaves the claim set
    assert [
        f"{folder / 'b.yaml'}:6: warning: source.republishes: source 'a' is not in this file, "
        "and no other file was read: validate the folder to check it"
    ] == [str(w) for w in warnings]


def test_bundled_turnout_subjects_vary_by_occasion() -> None:
    """A crowd on one day and people detained at one protest are facts of their occasion, and so
    is the relatives' demand made anew at each protest."""
    from tests.conftest import CLAIMS

    subjects = claimtrack.load(CLAIMS).subjects
    occasional = sorted(
        s.id for s in subjects.values() if s.variation is claimtrack.Varies.BY_OCCASION
    )
    assert [
        "almaty-consulate-protest-turnout",
        "china-release-detained-relatives",
        "nur-sultan-2021-protest-detainees",
        "zhanaozen-2019-protest-turnout",
    ] == occasional

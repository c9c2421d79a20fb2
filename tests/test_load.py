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

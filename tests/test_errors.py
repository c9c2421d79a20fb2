"""Every error claimtrack exports pickles (worker processes send them back) and keeps its message."""

from __future__ import annotations

import pickle

import pytest

import claimtrack
from claimtrack.errors import ClaimFileError

EXAMPLES: dict[type[claimtrack.ClaimtrackError], claimtrack.ClaimtrackError] = {
    claimtrack.ClaimtrackError: claimtrack.ClaimtrackError("something went wrong"),
    claimtrack.ParseError: claimtrack.ParseError("zwei", "not a number"),
    claimtrack.QuantityError: claimtrack.QuantityError(
        "as many as two milion", "unknown word 'milion'"
    ),
    claimtrack.UnitError: claimtrack.UnitError(
        "€300", "it is in EUR: an amount in one currency is not converted into another", "USD"
    ),
    claimtrack.DateError: claimtrack.DateError("2021-02-30", "February 2021 has 28 days"),
    claimtrack.DayCountError: claimtrack.DayCountError("a twentyth night", "not an ordinal"),
    claimtrack.ClaimFileError: ClaimFileError("a.yaml", 3, "claims[0].value", "not a quantity"),
    claimtrack.ClaimFileWarning: claimtrack.ClaimFileWarning(
        "a.yaml", 11, "claims[0].as_of", "after the source was published"
    ),
    claimtrack.ValidationError: claimtrack.ValidationError(
        [ClaimFileError("a.yaml", None, "", "file is empty")]
    ),
    claimtrack.UnknownIdError: claimtrack.UnknownIdError("entity", "tokaev", ["tokayev"]),
    claimtrack.AmbiguousNameError: claimtrack.AmbiguousNameError("Azimov", ["azimova", "azimov"]),
    claimtrack.MissingExtraError: claimtrack.MissingExtraError("the dask engine", "dask"),
    claimtrack.PairsFolderError: claimtrack.PairsFolderError(
        "pairs", "not a folder of pairs written by compare(..., out=...)"
    ),
    claimtrack.WorkerError: claimtrack.WorkerError("claimtrack-pairs-1", -9),
    claimtrack.FrameProblem: claimtrack.FrameProblem("claims frame", 41, "x", "low", "5 > 3"),
    claimtrack.FrameError: claimtrack.FrameError(
        "claims.parquet",
        [claimtrack.FrameProblem("claims.parquet", None, None, "hihg", "unknown column")],
        more=2,
    ),
    claimtrack.FrameFileError: claimtrack.FrameFileError("claims.parquet", "not Parquet"),
    claimtrack.TextCheckError: claimtrack.TextCheckError("texts", "no such folder"),
    claimtrack.DumpError: claimtrack.DumpError("claims/x_y.yaml", "written twice"),
    claimtrack.PathError: claimtrack.PathError("claims/x.yaml", "unreadable"),
    claimtrack.ProjectError: claimtrack.ProjectError("my-claims", "not empty"),
    claimtrack.DraftError: claimtrack.DraftError("article.txt", "is empty"),
    claimtrack.ExportError: claimtrack.ExportError("out.csv", "a folder"),
    claimtrack.InputTypeError: claimtrack.InputTypeError("Estimate.parse", "a text", "NoneType"),
    claimtrack.TooManyPairsError: claimtrack.TooManyPairsError(
        4_999_500, 3_999_600_000, 4_000_000, "xinjiang-detainees", 3_162
    ),
}

EXPORTED = sorted(
    (
        value
        for value in (getattr(claimtrack, name) for name in claimtrack.__all__)
        if isinstance(value, type) and issubclass(value, claimtrack.ClaimtrackError)
    ),
    key=lambda cls: cls.__name__,
)


def test_every_exported_error_has_an_example() -> None:
    assert [c.__name__ for c in EXPORTED] == sorted(c.__name__ for c in EXAMPLES)


@pytest.mark.parametrize("cls", EXPORTED, ids=lambda c: c.__name__)
def test_errors_pickle_with_their_fields_and_message(cls: type[claimtrack.ClaimtrackError]) -> None:
    error = EXAMPLES[cls]
    copy = pickle.loads(pickle.dumps(error))
    assert type(error) is type(copy)
    assert str(error) == str(copy)
    assert repr(vars(error)) == repr(vars(copy))  # the structured fields survive too


def test_a_pairs_folder_error_says_where_and_what() -> None:
    error = claimtrack.PairsFolderError("out/pairs", "this is a file")
    assert ("out/pairs", "this is a file") == (error.path, error.problem)
    assert "out/pairs: this is a file" == str(error)

"""Date sanity in validate (issue 16, item 9): suspect dates are warnings with file and line,
collected by ``claimtrack.load``/``claimtrack.validate`` and printed by ``claimtrack validate``."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest

import claimtrack
from claimtrack import ClaimFileWarning
from claimtrack.cli import main
from tests.conftest import MINI

OCTOBER = """source:
  id: october
  title: Protests
  publisher: rferl
  published: "2021-10-01/2021-10-03"
claims:
  - id: october:crowd
    subject: xinjiang-detainees
    quote: thousands
    claimant: un
    as_of: {date: "2021-11-15", written: "The October 1 protests"}
    value: thousands
"""


def _folder(tmp_path: Path, text: str) -> Path:
    for name in ("entities.yaml", "subjects.yaml"):
        (tmp_path / name).write_bytes((MINI / name).read_bytes())
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _claim(as_of: str, published: str = "2019-09-03", key: str = "as_of") -> str:
    return OCTOBER.replace('"2021-10-01/2021-10-03"', f'"{published}"').replace(
        'as_of: {date: "2021-11-15", written: "The October 1 protests"}', f"{key}: {as_of}"
    )


def test_issue_16_october_1_protests_dated_november_15_warns_twice(tmp_path: Path) -> None:
    """``as_of: {date: "2021-11-15", written: "The October 1 protests"}`` in a source published
    2021-10-01/03 passed silently: the date is after publication, and the words name October 1."""
    folder = _folder(tmp_path, OCTOBER)
    warnings: list[ClaimFileWarning] = []
    assert [] == claimtrack.validate(folder, warnings=warnings)
    path = str(folder / "x.yaml")
    assert [
        f"{path}:11: warning: claims[0].as_of.written: the words 'The October 1 protests' name "
        "2021-10-01 ('October 1'), not 2021-11-15: check the date",
        f"{path}:11: warning: claims[0].as_of: 2021-11-15 is after the source was published "
        "(2021-10-01/2021-10-03); a report tells what held by then (check the date, or say in "
        "notes why it is later)",
    ] == [str(w) for w in warnings]
    assert (path, 11, "claims[0].as_of") == (warnings[1].path, warnings[1].line, warnings[1].field)


def test_issue_16_warnings_never_stop_a_load(tmp_path: Path) -> None:
    warnings: list[ClaimFileWarning] = []
    claims = claimtrack.load(_folder(tmp_path, OCTOBER), warnings=warnings)
    assert 1 == len(claims)
    assert 2 == len(warnings)
    assert 1 == len(claimtrack.load(tmp_path))  # without a list, warnings are not collected


def test_issue_16_validate_prints_warnings_and_strict_fails_on_them(tmp_path: Path) -> None:
    folder = str(_folder(tmp_path, OCTOBER))
    out = io.StringIO()
    assert 0 == main(["validate", folder], stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{folder}/x.yaml:11: warning: claims[0].as_of.written: ")
    assert lines[-1].endswith(", 2 warnings")
    out = io.StringIO()
    assert 1 == main(["validate", "--strict", folder], stdout=out, stderr=io.StringIO())
    assert "2 warnings found (--strict: warnings are errors)" == out.getvalue().splitlines()[-1]


@pytest.mark.parametrize(
    ("as_of", "published"),
    [
        ('{date: "2019-09-02", written: a day earlier}', "2019-09-03"),  # relative: not checked
        ('{date: "2018", written: last year}', "2019-09-03"),
        ('{date: "2019-03", written: in March}', "2019-09-03"),
        ('{date: "2020-10-01", written: "the October 1 protests"}', "2021-10-02"),  # a year before
        ('{date: "2019-09-03", written: "on September 3, 2019"}', "2019-09-03"),
        ('{date: "2019-09", written: "the figure may rise"}', "2019-09-03"),  # "may" is no month
        ('"2019-09-03"', "2019-09-01/2019-09-03"),  # on the last day of the range
    ],
)
def test_dates_that_agree_with_their_words_and_the_publication_give_no_warning(
    tmp_path: Path, as_of: str, published: str
) -> None:
    warnings: list[ClaimFileWarning] = []
    claimtrack.validate(_folder(tmp_path, _claim(as_of, published)), warnings=warnings)
    assert [] == [str(w) for w in warnings]


def test_stated_after_publication_warns(tmp_path: Path) -> None:
    warnings: list[ClaimFileWarning] = []
    claimtrack.validate(_folder(tmp_path, _claim('"2019-09-04"', key="stated")), warnings=warnings)
    assert ["claims[0].stated"] == [w.field for w in warnings]


def test_written_words_of_an_event_date_are_checked(tmp_path: Path) -> None:
    text = _claim('{date: "2019-09-02", written: "on September 2"}').replace(
        "subject: xinjiang-detainees", "subject: zhanaozen-protest-start"
    )
    text = text.replace("value: thousands", 'date: {date: "2019-08-02", written: on September 2}')
    text = text.replace('    as_of: {date: "2019-09-02", written: "on September 2"}\n', "")
    warnings: list[ClaimFileWarning] = []
    assert [] == claimtrack.validate(_folder(tmp_path, text), warnings=warnings)
    assert ["claims[0].date.written"] == [w.field for w in warnings]


def test_bundled_mini_claims_have_no_warnings() -> None:
    warnings: list[ClaimFileWarning] = []
    claimtrack.load(MINI, warnings=warnings)
    assert [] == warnings


def test_warnings_must_be_a_list() -> None:
    with pytest.raises(claimtrack.InputTypeError):
        claimtrack.validate(MINI, warnings=())  # type: ignore[arg-type]


def test_claim_file_warning_pickles_and_is_a_claimtrack_error() -> None:
    warning = ClaimFileWarning("a.yaml", 3, "claims[0].as_of", "suspect")
    copy = pickle.loads(pickle.dumps(warning))
    assert str(warning) == str(copy) == "a.yaml:3: warning: claims[0].as_of: suspect"
    assert isinstance(copy, claimtrack.ClaimtrackError)
    assert isinstance(copy, UserWarning)

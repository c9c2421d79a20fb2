"""Correcting quotes that differ from their texts only in white space or quote marks
(``claimtrack verify --fix``, :func:`claimtrack.quote_fixes`, :func:`claimtrack.write_fixes`)."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack.cli import main
from tests.conftest import TESTS

QUOTEFIX = TESTS / "data" / "quotefix"
FILE = "rferl-2019-zhanaozen.yaml"
SOURCE_TEXT = (QUOTEFIX / "texts" / "rferl-2019-zhanaozen.txt").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the fixture: three quotes that differ from the text only in an apostrophe, a
    double space, a no-break space and curly quotes (in single-quoted, double-quoted and folded
    scalars), and one that is not in the text at all."""
    folder = tmp_path / "quotefix"
    shutil.copytree(QUOTEFIX, folder)
    return folder


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_verify_shows_the_exact_characters_without_changing_the_file(project: Path) -> None:
    before = (project / FILE).read_bytes()
    status, out, err = run("verify", str(project), "--texts", str(project / "texts"))
    assert (1, "") == (status, err)
    assert "3 quotes differ from the text only in white space or quote marks" in out
    assert '    quote: "Protesters started gathering in Zhanaozen\\xa0on September 2."' in out
    assert '    text:  "Protesters started gathering in Zhanaozen on September 2."' in out
    assert (
        '    at 41: the text has " " (U+0020 SPACE) where the quote has "\\xa0" '
        "(U+00A0 NO-BREAK SPACE)"
    ) in out
    assert '"  " (2 × U+0020 SPACE)' in out
    assert "U+2019 RIGHT SINGLE QUOTATION MARK" in out
    assert "--fix' to write the text's characters into the claim files" in out
    assert before == (project / FILE).read_bytes()


def test_verify_fix_writes_only_the_quotes(project: Path) -> None:
    before = (project / FILE).read_text(encoding="utf-8")
    status, out, _err = run("verify", str(project), "--texts", str(project / "texts"), "--fix")
    assert 1 == status  # the quote that is not in the text still fails
    assert "corrected 3 quotes in" in out
    assert "not corrected: rferl-2019-zhanaozen:un-detainees: not in the text" in out
    assert "verified again: 1 check(s) FAIL" in out
    after = (project / FILE).read_text(encoding="utf-8")
    expected = (
        before.replace(
            "'rallied in Kazakhstan''s volatile  southwestern",
            "'rallied in Kazakhstan’s volatile southwestern",
        )
        .replace("Zhanaozen\\u00a0on September 2.", "Zhanaozen on September 2.")
        .replace(
            ">-\n      China says that the facilities are\n      “vocational education centers”",
            '"China says that the facilities are \\"vocational education centers\\""',
        )
    )
    assert expected == after
    claims = claimtrack.load(project)
    checks = {q.claim: q.status for q in claimtrack.verify(claims, project / "texts").quotes}
    assert {
        "rferl-2019-zhanaozen:second-day": claimtrack.QuoteStatus.FOUND,
        "rferl-2019-zhanaozen:start": claimtrack.QuoteStatus.FOUND,
        "rferl-2019-zhanaozen:china-vocational": claimtrack.QuoteStatus.FOUND,
        "rferl-2019-zhanaozen:un-detainees": claimtrack.QuoteStatus.NOT_FOUND,
    } == checks


def test_verify_fix_keeps_the_files_mode(project: Path) -> None:
    os.chmod(project / FILE, 0o644)
    run("verify", str(project), "--texts", str(project / "texts"), "--fix")
    assert 0o644 == (project / FILE).stat().st_mode & 0o777


def test_nothing_is_corrected_against_a_changed_text(project: Path) -> None:
    """A text that is not the one curated (its SHA-256 differs) is no authority for a quote."""
    path = project / FILE
    digest = "ab" * 32
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  text_file: rferl-2019-zhanaozen.txt\n",
            f"  text_file: rferl-2019-zhanaozen.txt\n  text_sha256: {digest}\n",
        ),
        encoding="utf-8",
    )
    before = path.read_bytes()
    status, out, _err = run("verify", str(project), "--texts", str(project / "texts"), "--fix")
    assert 1 == status
    assert "the source's text is changed: not corrected against it" in out
    assert before == path.read_bytes()


def test_write_fixes_refuses_a_file_changed_since_the_check(project: Path) -> None:
    claims = claimtrack.load(project)
    fixes, _refused = claimtrack.quote_fixes(project, claimtrack.verify(claims, project / "texts"))
    path = project / FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("Zhanaozen\\u00a0on", "Zhanaozen\\u00a0 on"),
        encoding="utf-8",
    )
    with pytest.raises(claimtrack.ClaimFileError, match="changed since it was checked"):
        claimtrack.write_fixes(fixes)


# --- a fix changes only the quote's bytes -------------------------------------------------------

WORDS = st.lists(
    st.sampled_from(["ab", "cd", "e", "’s", "“q”", "'t", '"r"']), min_size=1, max_size=6
)
SPACES = st.sampled_from([" ", "  ", "\u00a0", "\t", "\u2009", " \n "])
FOLD = {
    "’": ["'", "’", "‘"],
    "“": ['"', "“", "„"],
    "”": ['"', "”"],
    "'": ["'", "’"],
    '"': ['"', "”"],
}

REGISTRIES = ("entities.yaml", "subjects.yaml")


@st.composite
def quote_and_text(draw: st.DrawFn) -> tuple[str, str]:
    """A span of a text, and a quote of it with other white space and quote marks."""
    words = draw(WORDS)
    text = " ".join(words)
    quote = ""
    for i, word in enumerate(words):
        if i:
            quote += draw(SPACES)
        quote += "".join(draw(st.sampled_from(FOLD[c])) if c in FOLD else c for c in word)
    return quote, text


def _plain(quote: str) -> bool:
    try:
        return "\n" not in quote and quote == quote.strip() and yaml.safe_load(quote) == quote
    except yaml.YAMLError:
        return False


def _scalar(style: str, quote: str) -> str:
    if style == "plain" and _plain(quote):
        return quote
    if style in ("double", "plain"):
        return json.dumps(quote)
    if style == "single":
        return "'" + quote.replace("'", "''").replace("\n", "\n\n") + "'"
    return ">-\n      " + quote.replace("\n", " ") + "\n"


HEAD = """\
# a comment that stays
source:
  id: s-2019
  title: "A title"   # and another
  publisher: rferl
  published: "2019-09-03"
  text_file: s.txt
claims:
  - id: s-2019:c
    subject: xinjiang-camps-coercive
    quote: """
TAIL = """
    claimant: china    # who
    statement: {speaker: china, stance: denies}
"""


@settings(max_examples=60, deadline=None)
@given(quote_and_text(), st.sampled_from(["plain", "double", "single", "folded"]))
def test_a_fix_changes_only_the_quotes_bytes(
    tmp_path_factory: pytest.TempPathFactory, pair: tuple[str, str], style: str
) -> None:
    quote, text = pair
    folder = tmp_path_factory.mktemp("prop")
    for name in REGISTRIES:
        shutil.copy(QUOTEFIX / name, folder / name)
    (folder / "texts").mkdir()
    (folder / "texts" / "s.txt").write_text(f"Before. {text} After.", encoding="utf-8")
    scalar = _scalar(style, quote)
    tail = TAIL.removeprefix("\n") if scalar.endswith("\n") else TAIL
    original = HEAD + scalar + tail
    (folder / "s-2019.yaml").write_text(original, encoding="utf-8", newline="")
    claims = claimtrack.load(folder)
    written = claims["s-2019:c"].quote
    fixes, refused = claimtrack.quote_fixes(folder, claimtrack.verify(claims, folder / "texts"))
    assert [] == refused
    claimtrack.write_fixes(fixes)
    fixed = (folder / "s-2019.yaml").read_text(encoding="utf-8")
    if written == text:
        assert [] == fixes and original == fixed
        return
    assert fixed.startswith(HEAD) and fixed.endswith(tail)
    assert text == claimtrack.load(folder)["s-2019:c"].quote


def test_quotes_not_in_the_files_as_verified_are_refused_not_dropped(
    project: Path, tmp_path: Path
) -> None:
    """Every failing quote gets a fix or a reason: a quote edited since it was verified is not
    overwritten, and a quote not found in the files given is named."""
    result = claimtrack.verify(claimtrack.load(project), project / "texts")
    path = project / FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("Zhanaozen\\u00a0on", "Zhanaozen\\u00a0in"),
        encoding="utf-8",
    )
    fixes, refused = claimtrack.quote_fixes(project, result)
    assert 2 == len(fixes)
    assert [f"{path}:20 does not have the quote that was verified"] == [
        r.reason for r in refused if r.claim == "rferl-2019-zhanaozen:start"
    ]
    (tmp_path / "empty").mkdir()
    _fixes, refused = claimtrack.quote_fixes(tmp_path / "empty", result)
    assert 4 == len(refused) and all("correct it by hand" in r.reason for r in refused)

"""Quote verification: every quote verbatim in its source's archived text, each text unchanged."""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack
from claimtrack import (
    ClaimSet,
    QuoteCheck,
    QuoteStatus,
    TextCheck,
    TextStatus,
    Verification,
    find_quote,
)
from tests.conftest import MINI, STAND_INS

verify_module = importlib.import_module("claimtrack.verify")

SEED = "rferl-2019-zhanaozen.txt"
SOURCE = "rferl-2019-zhanaozen"
VOCATIONAL = "rferl-2019-zhanaozen:china-vocational"
SEED_OFFSETS = {
    "rferl-2019-zhanaozen:un-detainees": 1537,
    "rferl-2019-zhanaozen:second-day": 263,
    "rferl-2019-zhanaozen:start": 92,
}


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    """A copy of the stand-in text of the mini set's source."""
    folder = tmp_path / "texts"
    folder.mkdir()
    shutil.copy(STAND_INS / SEED, folder / SEED)
    return folder


@pytest.fixture(scope="module")
def mini() -> ClaimSet:
    return claimtrack.load(MINI)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _with_source(claims: ClaimSet, **changes: Any) -> ClaimSet:
    source = attrs.evolve(claims.source(SOURCE), **changes)
    return attrs.evolve(claims, sources={SOURCE: source})


# --- find_quote --------------------------------------------------------------------------------


def test_found_at_its_exact_offset() -> None:
    text = "Protesters gathered. About 1 million people were held, UN experts said."
    assert (QuoteStatus.FOUND, 21, "") == find_quote("About 1 million people", text)


def test_found_at_the_first_of_several_offsets() -> None:
    assert (QuoteStatus.FOUND, 4, "") == find_quote("abc", "xyz abc abc")


def test_not_found() -> None:
    status, offset, detail = find_quote("two million", "about 1 million people")
    assert (QuoteStatus.NOT_FOUND, None) == (status, offset)
    assert "not in the text" in detail


@pytest.mark.parametrize(
    ("quote", "text", "offset", "detail"),
    [
        (
            "Kazakhstan's volatile town",
            "rallied in Kazakhstan’s volatile town",
            11,
            "quote has \"'\" (U+0027) where the text has '’' (U+2019)",
        ),
        (
            "are “vocational education centers”",
            'They are "vocational education centers" aimed',
            5,
            "quote has '“' (U+201C) where the text has '\"' (U+0022)",
        ),
        (
            "as many as 2 million",
            "held as many as 2\u00a0million people",
            5,
            "quote has ' ' (U+0020) where the text has '\\xa0' (U+00A0)",
        ),
        (
            "1.8 million people",
            "some 1.8\u2009million people",
            5,
            "quote has ' ' (U+0020) where the text has '\\u2009' (U+2009)",
        ),
        (
            "facilities are internment camps",
            "the facilities are\ninternment camps.",
            4,
            "quote has ' ' (U+0020) where the text has '\\n' (U+000A)",
        ),
        (
            "a\u00a0quote",
            "it is a quote here",
            6,
            "quote has '\\xa0' (U+00A0) where the text has ' ' (U+0020)",
        ),
    ],
    ids=["apostrophe", "double-quotes", "nbsp", "thin-space", "line-break", "nbsp-in-quote"],
)
def test_normalised_reports_offset_and_the_differing_character(
    quote: str, text: str, offset: int, detail: str
) -> None:
    assert (QuoteStatus.NORMALISED, offset, detail) == find_quote(quote, text)


def test_quote_with_surrounding_space_is_found_where_its_words_start() -> None:
    status, offset, _detail = find_quote("  people were held\n", "Many\npeople were held.")
    assert (QuoteStatus.NORMALISED, 5) == (status, offset)


def test_white_space_only_difference_is_described_as_white_space() -> None:
    """A run of two spaces in the text against one in the quote: no character of the quote is
    different, so the detail must not blame one (it blamed 'b' against the text's second space)."""
    status, offset, detail = find_quote("a b", "x a  b y")
    assert (QuoteStatus.NORMALISED, 2) == (status, offset)
    assert "the quote differs from the text in white space" == detail


def test_seed_quote_is_normalised_with_the_curly_quote_named() -> None:
    text = (STAND_INS / SEED).read_text(encoding="utf-8")
    quote = "China says that the facilities are “vocational education centers”"
    status, offset, detail = find_quote(quote, text)
    assert (QuoteStatus.NORMALISED, 1801) == (status, offset)
    assert "U+201C" in detail and "U+0022" in detail
    assert text[1801:].startswith('China says that the facilities are "vocational')


# --- hypothesis --------------------------------------------------------------------------------

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
TEXTS = st.text(st.sampled_from(list("ab c.,\n\t\u00a0\u2009’'\"“”")), min_size=1, max_size=80)


def _fold(text: str) -> str:
    return " ".join(text.split()).translate(_FOLD)


@given(TEXTS, st.data())
def test_any_substring_is_found_at_its_first_offset(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assert (QuoteStatus.FOUND, text.find(quote), "") == find_quote(quote, text)


@given(TEXTS, st.data())
def test_substring_with_folded_white_space_is_found_where_it_starts(
    text: str, data: st.DataObject
) -> None:
    """Each run of white space of a substring made one plain space: found (verbatim or after
    normalising) at an offset where the substring's non-space characters start, no later than
    the substring's own."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    original = text[start:end]
    if not original.strip():
        return
    quote = re.sub(r"\s+", " ", original)
    status, offset, _detail = find_quote(quote, text)
    assert status in (QuoteStatus.FOUND, QuoteStatus.NORMALISED)
    assert offset is not None
    if status is QuoteStatus.NORMALISED:
        assert not text[offset].isspace()
        assert _fold(text[offset:]).startswith(_fold(quote))
        assert offset <= start + len(original) - len(original.lstrip())


# --- verify ------------------------------------------------------------------------------------


def test_mini_against_its_seed_text(mini: ClaimSet, texts: Path) -> None:
    """The mini set's one statement quote has curly quotes where the text has straight ones."""
    result = claimtrack.verify(mini, texts)
    assert isinstance(result, Verification)
    assert (
        TextCheck(SOURCE, SEED, TextStatus.UNFINGERPRINTED, None, _sha256(texts / SEED)),
    ) == result.texts
    statuses = {q.claim: (q.status, q.offset) for q in result.quotes}
    assert {
        **{claim: (QuoteStatus.FOUND, offset) for claim, offset in SEED_OFFSETS.items()},
        VOCATIONAL: (QuoteStatus.NORMALISED, 1801),
    } == statuses
    assert not result.ok
    (problem,) = result.problems
    assert isinstance(problem, QuoteCheck)
    assert VOCATIONAL == problem.claim
    assert "U+201C" in problem.detail


def test_verify_accepts_a_path_as_text(mini: ClaimSet, texts: Path) -> None:
    assert claimtrack.verify(mini, texts) == claimtrack.verify(mini, str(texts))


def test_fingerprinted_text_is_ok(mini: ClaimSet, texts: Path) -> None:
    digest = _sha256(texts / SEED)
    result = claimtrack.verify(_with_source(mini, text_sha256=digest), texts)
    assert (TextCheck(SOURCE, SEED, TextStatus.OK, digest, digest),) == result.texts
    assert result.texts[0].ok


def test_all_checks_pass_once_the_quote_is_verbatim(mini: ClaimSet, texts: Path) -> None:
    fixed_claims = [
        attrs.evolve(c, quote=c.quote.replace("“", '"').replace("”", '"'))
        if c.id == VOCATIONAL
        else c
        for c in mini
    ]
    claims = attrs.evolve(
        _with_source(mini, text_sha256=_sha256(texts / SEED)), claims=fixed_claims
    )
    result = claimtrack.verify(claims, texts)
    assert result.ok
    assert [] == result.problems
    assert {QuoteStatus.FOUND} == {q.status for q in result.quotes}


def test_changed_text_fails_but_quotes_are_still_checked(mini: ClaimSet, texts: Path) -> None:
    original = _sha256(texts / SEED)
    path = texts / SEED
    path.write_text(path.read_text(encoding="utf-8") + "\nCorrection appended.\n", "utf-8")
    result = claimtrack.verify(_with_source(mini, text_sha256=original), texts)
    (text,) = result.texts
    assert (TextStatus.CHANGED, original, _sha256(path)) == (
        text.status,
        text.expected_sha256,
        text.actual_sha256,
    )
    assert not text.ok
    assert text == result.problems[0]
    assert QuoteStatus.FOUND == result.quotes[0].status


def test_missing_text_file(mini: ClaimSet, tmp_path: Path) -> None:
    result = claimtrack.verify(mini, tmp_path)
    assert (TextCheck(SOURCE, SEED, TextStatus.MISSING),) == result.texts
    assert {QuoteStatus.NO_TEXT} == {q.status for q in result.quotes}
    assert all(q.ok and q.offset is None for q in result.quotes)
    assert not result.ok
    assert list(result.texts) == result.problems


def test_source_without_text_file(mini: ClaimSet, texts: Path) -> None:
    """Nothing to check against is not a failure: the source simply is not archived."""
    result = claimtrack.verify(_with_source(mini, text_file=None), texts)
    assert (TextCheck(SOURCE, None, TextStatus.NOT_ARCHIVED),) == result.texts
    assert {QuoteStatus.NO_TEXT} == {q.status for q in result.quotes}
    assert result.ok


def test_binary_text_is_not_text_rather_than_decoded_with_replacement(
    mini: ClaimSet, tmp_path: Path
) -> None:
    """Bytes that are not UTF-8 were decoded with replacement characters and the quotes passed."""
    (tmp_path / SEED).write_bytes(b"\xff\xfe an estimated 1 million ethnic Uyghurs \xe9")
    result = claimtrack.verify(mini, tmp_path)
    (text,) = result.texts
    assert (TextStatus.NOT_TEXT, False) == (text.status, text.ok)
    assert "UTF-16 (little-endian, with a byte-order mark) text: save it as UTF-8" == text.detail
    assert {QuoteStatus.NO_TEXT} == {q.status for q in result.quotes}
    assert not result.ok


def test_quote_check_ok_by_status() -> None:
    ok = {s: QuoteCheck("a:b", "a", s).ok for s in QuoteStatus}
    assert {
        QuoteStatus.FOUND: True,
        QuoteStatus.NORMALISED: False,
        QuoteStatus.NOT_FOUND: False,
        QuoteStatus.NO_TEXT: True,
        QuoteStatus.DRAFT_OFFSETS: False,
        QuoteStatus.DRAFT_TEXT_CHANGED: False,
    } == ok


def test_text_check_ok_by_status() -> None:
    ok = {s: TextCheck("a", "a.txt", s).ok for s in TextStatus}
    assert {
        TextStatus.OK: True,
        TextStatus.UNFINGERPRINTED: True,
        TextStatus.CHANGED: False,
        TextStatus.MISSING: False,
        TextStatus.NOT_ARCHIVED: True,
        TextStatus.OUTSIDE: False,
        TextStatus.NOT_A_FILE: False,
        TextStatus.TOO_LARGE: False,
        TextStatus.NOT_TEXT: False,
        TextStatus.UNREADABLE: False,
    } == ok


# --- hostile texts: verify reads only regular files inside its folder, bounded -----------------


@pytest.mark.parametrize(
    "text_file",
    ["../../../../etc/passwd", "/etc/passwd", "link-out.txt", "sub/../../outside.txt"],
    ids=["dot-dot", "absolute", "symlink", "sub-dot-dot"],
)
def test_text_file_outside_the_texts_folder_is_refused(
    mini: ClaimSet, texts: Path, text_file: str
) -> None:
    """``text_file: ../../../../etc/passwd`` was read and reported "found ... all checks pass"."""
    (texts.parent / "outside.txt").write_text("an estimated 1 million")
    (texts / "sub").mkdir()
    (texts / "link-out.txt").symlink_to(texts.parent / "outside.txt")
    result = claimtrack.verify(_with_source(mini, text_file=text_file), texts)
    (text,) = result.texts
    assert (TextStatus.OUTSIDE, False) == (text.status, text.ok)
    assert f"leads outside the texts folder {texts}: not read" == text.detail
    assert {QuoteStatus.NO_TEXT} == {q.status for q in result.quotes}
    assert not result.ok


def test_symlink_inside_the_texts_folder_is_followed(mini: ClaimSet, texts: Path) -> None:
    (texts / "alias.txt").symlink_to(texts / SEED)
    result = claimtrack.verify(_with_source(mini, text_file="alias.txt"), texts)
    assert TextStatus.UNFINGERPRINTED == result.texts[0].status


def test_fifo_is_not_a_file_and_does_not_hang(mini: ClaimSet, texts: Path) -> None:
    os.mkfifo(texts / "pipe.txt")
    result: list[Verification] = []
    worker = threading.Thread(
        target=lambda: result.append(
            claimtrack.verify(_with_source(mini, text_file="pipe.txt"), texts)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "verify blocked on a FIFO"
    (text,) = result[0].texts
    assert (TextStatus.NOT_A_FILE, "not a regular file (a FIFO)") == (text.status, text.detail)


def test_device_is_not_read(mini: ClaimSet) -> None:
    """``/dev/zero`` was read without bound."""
    result = claimtrack.verify(_with_source(mini, text_file="zero"), "/dev")
    (text,) = result.texts
    assert (TextStatus.NOT_A_FILE, "not a regular file (a device)") == (text.status, text.detail)


def test_folder_is_not_a_file_rather_than_missing(mini: ClaimSet, texts: Path) -> None:
    """A directory was reported as "missing"."""
    (texts / "folder.txt").mkdir()
    result = claimtrack.verify(_with_source(mini, text_file="folder.txt"), texts)
    (text,) = result.texts
    assert (TextStatus.NOT_A_FILE, "not a regular file (a folder)") == (text.status, text.detail)


def test_text_over_the_limit_is_too_large(
    mini: ClaimSet, texts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_module, "MAX_TEXT_BYTES", 1000)
    (text,) = claimtrack.verify(mini, texts).texts
    assert TextStatus.TOO_LARGE == text.status
    assert "over the 1,000-byte limit" in text.detail


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b"abc\x00def", "not a text file (a NUL byte at offset 3)"),
        ("an estimated".encode("utf-16-le"), "UTF-16 (little-endian) text: save it as UTF-8"),
        (b"caf\xe9 an estimated", "not UTF-8 text (byte 0xe9 at offset 3)"),
    ],
    ids=["binary", "utf-16", "latin-1"],
)
def test_text_that_is_not_utf8_is_not_text(
    mini: ClaimSet, tmp_path: Path, raw: bytes, detail: str
) -> None:
    (tmp_path / SEED).write_bytes(raw)
    (text,) = claimtrack.verify(mini, tmp_path).texts
    assert (TextStatus.NOT_TEXT, detail) == (text.status, text.detail)
    assert hashlib.sha256(raw).hexdigest() == text.actual_sha256


def test_texts_folder_that_is_not_a_folder_is_an_error(mini: ClaimSet, tmp_path: Path) -> None:
    with pytest.raises(claimtrack.TextCheckError, match="no such folder"):
        claimtrack.verify(mini, tmp_path / "nowhere")


def test_absent_quotes_in_a_large_text_cost_linear_time(mini: ClaimSet, tmp_path: Path) -> None:
    """A 20 MB text with ten absent quotes took 24 s and 1.1 GB per quote: the text was
    normalised again, character by character, for every quote. Now once per text."""
    words = ["protest", "in", "almaty", "as", "many", "as", "two", "million\n", "people,"]
    text = " ".join(words[i % len(words)] for i in range(600_000))  # about 4 MB
    (tmp_path / SEED).write_text(text, encoding="utf-8")
    claims = attrs.evolve(
        mini, claims=[attrs.evolve(c, quote=f"absent quote {i}") for i, c in enumerate(mini)] * 1
    )
    started = time.perf_counter()
    result = claimtrack.verify(claims, tmp_path)
    assert time.perf_counter() - started < 10
    assert {QuoteStatus.NOT_FOUND} == {q.status for q in result.quotes}


@given(st.text(st.sampled_from(list("ab \n\t\u00a0’'")), min_size=1, max_size=300), st.data())
def test_normalised_offsets_map_back_in_long_texts(text: str, data: st.DataObject) -> None:
    """The offset index over long texts (every 1,024th run of white space) maps back exactly
    as the character-by-character mapping did."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 40)))
    quote = re.sub(r"\s+", " ", text[start:end]).replace("'", "’")
    if not quote.strip():
        return
    stride = verify_module._Text._STRIDE
    verify_module._Text._STRIDE = 3  # many index marks, even in a short text
    try:
        status, offset, _detail = find_quote(quote, text)
    finally:
        verify_module._Text._STRIDE = stride
    assert status in (QuoteStatus.FOUND, QuoteStatus.NORMALISED)
    assert offset is not None
    assert _fold(text[offset:]).startswith(_fold(quote))


@pytest.mark.parametrize("text_file", ["a\x00b.txt", "loop.txt"], ids=["nul", "loop"])
def test_unresolvable_text_file_is_refused_not_a_traceback(
    mini: ClaimSet, texts: Path, text_file: str
) -> None:
    (texts / "loop.txt").symlink_to(texts / "loop.txt")
    result = claimtrack.verify(_with_source(mini, text_file=text_file), texts)
    assert TextStatus.OUTSIDE == result.texts[0].status

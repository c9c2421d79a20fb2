"""Hostile, broken or unusual claim files: refused with one clear line each, never a traceback,
never gigabytes of memory, never a hang. Golden messages for the simple cases are in
tests/broken/; these tests cover what needs a built folder, a special file or a measurement."""

from __future__ import annotations

import os
import pickle
import shutil
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

import claimtrack
from claimtrack import DayCount, Estimate, FuzzyDate
from claimtrack._read import read_bounded
from claimtrack._yaml import MAX_DEPTH, MAX_PROBLEMS, read_document
from claimtrack.errors import ClaimFileError, ClaimtrackError, InputTypeError

MINI = Path(__file__).resolve().parent / "data" / "mini"
SOURCE = "rferl-2019-zhanaozen.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the mini claims folder."""
    out = tmp_path / "claims"
    shutil.copytree(MINI, out)
    return out


def _messages(path: Path | str) -> list[str]:
    return [str(p) for p in claimtrack.validate(path)]


# --- resources ---------------------------------------------------------------------------------

BILLION_LAUGHS = (
    b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    b"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    b"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    b"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


def test_anchor_bomb_is_refused_without_expanding(folder: Path) -> None:
    """Nine lines of aliases expand to 9^9 strings (gigabytes) if constructed: refused from the
    parser's events, in well under a second and a few megabytes."""
    bomb = folder / "bomb.yaml"
    bomb.write_bytes(BILLION_LAUGHS)
    tracemalloc.start()
    started = time.perf_counter()
    messages = _messages(bomb)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 5
    assert peak < 20 * 2**20
    assert f"{bomb}:1: a: anchors and aliases are not allowed in claim files" in messages[0]
    assert all("anchors and aliases are not allowed" in m for m in messages)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 998, 100_000])
def test_deep_nesting_is_one_error_not_a_recursion_error(depth: int) -> None:
    for opening, closing in (b"[", b"]"), (b"{a: ", b"}"):
        raw = b"source: " + opening * depth + closing * depth + b"\n"
        with pytest.raises(ClaimFileError) as info:
            read_document("deep.yaml", raw)
        message = str(info.value)
        assert message.startswith("deep.yaml:1: ") and "\n" not in message
        # libyaml stops by itself at 1,000 levels
        assert f"nested more than {MAX_DEPTH} levels deep" in message or "nesting" in message


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1
    doc = read_document("ok.yaml", b"a: " + b"[" * depth + b"]" * depth)
    assert not doc.problems


def test_size_is_checked_by_stat_before_reading(folder: Path) -> None:
    """A 3 GB sparse file was read whole (13 s, 3.26 GB) before the size check."""
    big = folder / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(3 * 2**30)
    tracemalloc.start()
    started = time.perf_counter()
    messages = _messages(big)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f"{big}: file is 3,221,225,472 bytes, over the 10,485,760-byte limit"] == messages
    assert elapsed < 2 and peak < 4 * 2**20


def test_at_most_the_limit_plus_one_byte_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 100)
    assert b"x" * 100 == read_bounded(path, 100)
    with pytest.raises(Exception, match="over the 99-byte limit"):
        read_bounded(path, 99)


def test_fifo_is_refused_without_blocking(folder: Path) -> None:
    fifo = folder / "pipe.yaml"
    os.mkfifo(fifo)
    result: list[list[str]] = []
    worker = threading.Thread(target=lambda: result.append(_messages(folder)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "validate blocked on a FIFO"
    assert [f"{fifo}: not a regular file (a FIFO)"] == result[0]


def test_device_and_folder_named_as_claim_files_are_refused(folder: Path) -> None:
    (folder / "dir.yaml").mkdir()
    (folder / "dir.yaml" / "inner.yml").write_bytes((folder / SOURCE).read_bytes())
    messages = _messages(folder / "dir.yaml" / "inner.yml")
    assert any("missing: the entities registry" in m for m in messages)  # read as a folder's file
    messages = _messages("/dev/zero")
    assert "/dev/zero: not a regular file (a device)" in messages


# --- files and folders -------------------------------------------------------------------------


def test_upper_case_suffix_is_a_claim_file(folder: Path) -> None:
    """``*.YAML`` files were skipped silently ("ok: 1 claims" with 4 files present)."""
    (folder / SOURCE).rename(folder / "ARTICLE.YAML")
    assert 4 == len(claimtrack.load(folder))


def test_symlinked_subfolder_inside_is_followed_once(folder: Path) -> None:
    (folder / "real").mkdir()
    (folder / SOURCE).rename(folder / "real" / SOURCE)
    (folder / "link").symlink_to(folder / "real", target_is_directory=True)
    assert 4 == len(claimtrack.load(folder))


def test_symlink_leading_outside_the_folder_is_refused_loudly(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "other.yaml").write_text("source: {}\n")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    messages = _messages(folder)
    assert [
        f"{folder / 'elsewhere'}: symbolic link to {outside}, outside {folder}: not followed "
        "(claim files must be inside the folder)",
        f"{folder / 'passwd.yaml'}: symbolic link to /etc/passwd, outside {folder}: not followed "
        "(claim files must be inside the folder)",
    ] == messages


def test_broken_symlink_is_reported(folder: Path) -> None:
    (folder / "gone.yaml").symlink_to(folder / "nothing.yaml")
    assert [f"{folder / 'gone.yaml'}: broken symbolic link: not followed"] == _messages(folder)


def test_unreadable_subfolder_is_reported(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable subfolder was skipped silently (simulated: the tests may run as root)."""
    (folder / "private").mkdir()
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert [f"{folder / 'private'}: cannot read folder: Permission denied"] == _messages(folder)


def test_unreadable_claims_folder_is_one_problem_not_a_traceback(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def scandir(path: str) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", scandir)
    assert [f"{folder}: cannot read folder: Permission denied"] == _messages(folder)


def test_unreadable_file_is_reported(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def fake_open(path: str, flags: int, *args: int) -> int:
        if str(path).endswith(SOURCE):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", fake_open)
    assert [f"{folder / SOURCE}: cannot read: Permission denied"] == _messages(folder)


def test_empty_path_is_refused_not_the_current_folder() -> None:
    """``claimtrack validate ''`` silently validated the current folder."""
    assert ["'': empty path: name a claims folder or a claim file"] == _messages("")


def test_load_of_a_non_path_is_a_claimtrack_error() -> None:
    with pytest.raises(InputTypeError, match="load takes a path"):
        claimtrack.load(None)  # type: ignore[arg-type]


# --- messages ----------------------------------------------------------------------------------


def test_confusable_entity_name_is_reported_at_its_line_without_cascading(folder: Path) -> None:
    """A Cyrillic і in "United Nations" made the index fail: the problem had no line and every
    valid reference then failed with "unknown entity"."""
    with open(folder / "entities.yaml", "a", encoding="utf-8") as f:
        f.write("  - id: un-2\n    name: Un\u0456ted Nations\n    kind: organisation\n")
    lines = (folder / "entities.yaml").read_text(encoding="utf-8").splitlines()
    line = len(lines) - 1
    assert [
        f"{folder / 'entities.yaml'}:{line}: entities[5].name: 'Un\u0456ted Nations' is spelled "
        "like 'United Nations' of entity 'un' (line 10), which mixes scripts: '\u0456' (U+0456 "
        "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I) among Latin letters; names must tell "
        "entities apart"
    ] == _messages(folder)


def test_broken_entity_registry_does_not_make_every_reference_unknown(folder: Path) -> None:
    (folder / "entities.yaml").write_text("entities: !!seq []\n")
    messages = _messages(folder)
    assert 1 == len(messages)
    assert "tags are not allowed" in messages[0]


def test_broken_entity_is_reported_once_not_at_each_reference(folder: Path) -> None:
    text = (folder / "entities.yaml").read_text(encoding="utf-8")
    text = text.replace("name: United Nations", "name: '---'")
    (folder / "entities.yaml").write_text(text, encoding="utf-8")
    messages = _messages(folder)
    assert 1 == len(messages), messages
    assert "entity name '---' has no letters or digits" in messages[0]


@pytest.mark.parametrize(
    ("encoding", "what"),
    [
        ("utf-16", "UTF-16 (little-endian, with a byte-order mark)"),
        ("utf-16-be", "UTF-16 (big-endian)"),
        ("utf-32", "UTF-32 (little-endian, with a byte-order mark)"),
        ("utf-32-be", "UTF-32 (big-endian)"),
    ],
)
def test_wide_encodings_are_named_not_called_binary(encoding: str, what: str) -> None:
    """UTF-16 was reported as "contains NUL bytes"."""
    with pytest.raises(ClaimFileError) as info:
        read_document("a.yaml", "source:\n  id: a\n".encode(encoding))
    assert f"a.yaml: the file is {what} text: save it as UTF-8" == str(info.value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Estimate.parse(None), "Estimate.parse takes a phrase (str), not NoneType"),
        (lambda: Estimate.parse(55), "Estimate.parse takes a phrase (str), not int"),
        (
            lambda: FuzzyDate.parse(5),
            "FuzzyDate.parse takes a str (use FuzzyDate.day for a datetime.date), not int",
        ),
        (
            lambda: FuzzyDate.parse("last year", reference="2019"),
            "FuzzyDate.parse takes a FuzzyDate as reference=, not str",
        ),
        (lambda: Estimate(None, "5"), "Estimate takes numbers or None as bounds, not str"),
    ],
    ids=["estimate-none", "estimate-int", "date-int", "date-reference", "estimate-bound"],
)
def test_parse_entry_points_raise_a_claimtrack_type_error(call: object, message: str) -> None:
    """``Estimate.parse(None)`` and ``FuzzyDate.parse(5)`` raised a bare TypeError."""
    with pytest.raises(InputTypeError) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, TypeError) and isinstance(info.value, ClaimtrackError)
    assert message == str(info.value)
    copy = pickle.loads(pickle.dumps(info.value))
    assert str(copy) == message


def test_day_count_of_a_number_is_a_claimtrack_error() -> None:
    with pytest.raises(ClaimtrackError):
        DayCount.parse(None)  # type: ignore[arg-type]


# --- numbers -----------------------------------------------------------------------------------


def _claim_file(folder: Path, value: str) -> Path:
    """The mini source file with its first claim's value replaced by ``value``."""
    text = (folder / SOURCE).read_text(encoding="utf-8")
    text = text.replace("value: an estimated 1 million", f"value: {value}", 1)
    assert f"value: {value}" in text
    (folder / SOURCE).write_text(text, encoding="utf-8")
    return folder / SOURCE


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9" * 400, "claims[0].value: a 400-digit number is too large"),
        ("{low: 1.0e+400}", "claims[0].value.low: expected a number, got inf is not a finite"),
        (
            "{low: 1, high: 2.0e+15}",
            "value.high: expected a number, got 2,000,000,000,000,000 is too large",
        ),
        (
            "{low: -1.0e+16, high: 2}",
            "value.low: expected a number, got -10,000,000,000,000,000 is too large",
        ),
        ("'" + "9" * 100 + "'", "number too large"),
        ("'as many as 2000 trillion'", "number too large"),
    ],
    ids=[
        "int-400-digits",
        "float-inf",
        "high-2e15",
        "low-minus-1e16",
        "phrase-400-digits",
        "phrase",
    ],
)
def test_huge_amounts_are_one_error_not_an_overflow(folder: Path, value: str, reason: str) -> None:
    """An integer of 400 digits raised OverflowError."""
    path = _claim_file(folder, value)
    (message,) = _messages(path)
    assert reason in message
    assert message.startswith(f"{path}:")


def test_amount_with_more_digits_than_python_reads_is_one_error(folder: Path) -> None:
    path = _claim_file(folder, "9" * 5000)
    (message,) = _messages(path)
    assert "(5,000 characters) as a number" in message


@pytest.mark.parametrize(
    "count",
    ["{ordinal: 100000000000000000000000000000, unit: day}", "the 1000001st day", "day 9999999"],
    ids=["structured-1e29", "ordinal", "day-n"],
)
def test_huge_day_count_is_refused_at_load(folder: Path, count: str) -> None:
    """An ordinal of 10^29 validated, then crashed compare."""
    text = (folder / SOURCE).read_text(encoding="utf-8")
    text = text.replace("count: for the second day", f"count: {count}")
    (folder / SOURCE).write_text(text, encoding="utf-8")
    (message,) = _messages(folder)
    assert "1,000,000" in message


@pytest.mark.parametrize("n", [8_000, 100, 9])
def test_dashed_number_phrase_is_read_in_linear_time(n: int) -> None:
    """A phrase of 8,000 dashed numbers took 9 s (every split was tried)."""
    started = time.perf_counter()
    with pytest.raises(claimtrack.QuantityError):
        Estimate.parse("-".join(["1"] * n))
    with pytest.raises(claimtrack.QuantityError):
        Estimate.parse(" to ".join(["1"] * n))
    assert time.perf_counter() - started < 0.5


def test_long_phrases_are_refused_with_their_length() -> None:
    text = "about " + "1" * 300
    with pytest.raises(claimtrack.QuantityError) as info:
        Estimate.parse(text)
    assert "the phrase is 306 characters long; at most 200 are read" in str(info.value)
    assert len(str(info.value)) < 200
    with pytest.raises(claimtrack.DateError, match="at most 200"):
        FuzzyDate.parse("since " * 1000 + "2019", reference=FuzzyDate.year(2020))
    with pytest.raises(claimtrack.DayCountError, match="at most 200"):
        DayCount.parse("the " + "very " * 100 + "first day")


def test_hedged_amount_over_the_bound_is_a_quantity_error() -> None:
    """ "about 999 trillion" reads as up to 1.15e15: a QuantityError, not a ValueError."""
    with pytest.raises(claimtrack.QuantityError, match="number too large"):
        Estimate.parse("about 999 trillion")


def test_day_count_starting_before_year_one_is_refused(folder: Path) -> None:
    text = (folder / SOURCE).read_text(encoding="utf-8")
    text = text.replace("count: for the second day", "count: the 1000000th day")
    (folder / SOURCE).write_text(text, encoding="utf-8")
    (message,) = _messages(folder)
    assert message.endswith(
        "claims[1].count: day 1,000,000 as of 2019-09-03 would start the series before year 1"
    )


# --- many problems: bounded time and memory ----------------------------------------------------


def test_a_million_bad_claims_are_not_all_listed(folder: Path) -> None:
    """Every bad item of a huge list was reported: 2,000,000 problems, 1.7 GB."""
    text = (folder / SOURCE).read_text(encoding="utf-8")
    text = text[: text.index("claims:")] + "claims:\n" + "- 1\n" * 200_000
    (folder / SOURCE).write_text(text, encoding="utf-8")
    messages = _messages(folder)
    assert 101 == len(messages)
    assert messages[-1].endswith(
        "claims[100]: more than 100 problems in this file; the other 199,900 claims are not checked"
    )


def test_a_registry_of_bad_items_is_not_all_listed(folder: Path) -> None:
    (folder / "entities.yaml").write_text("entities:\n" + "- 1\n" * 50_000)
    messages = _messages(folder)
    assert 101 == len(messages)
    assert "more than 100 items with problems; the rest are not checked" in messages[-1]


def test_many_duplicate_keys_stop_the_file(tmp_path: Path) -> None:
    raw = b"source:\n" + b"  a: 1\n" * 10_000
    doc = read_document("dup.yaml", raw)
    assert doc.refused
    assert MAX_PROBLEMS + 1 == len(doc.problems)
    assert (
        "dup.yaml:103: more than 100 duplicate or non-text keys; the rest of the file is not read"
        == str(doc.problems[0])
    )


def test_complex_key_with_nesting_is_one_refusal() -> None:
    doc = read_document("k.yaml", b"? [[a], [b]]\n: 1\nx: 2\n")
    assert [
        "k.yaml:1: complex keys ('? [a, b]' or '{a: 1}: ...') are not allowed; keys are text"
    ] == [str(p) for p in doc.problems]


def test_name_key_of_a_non_string_is_a_claimtrack_error() -> None:
    with pytest.raises(InputTypeError, match="name_key takes a name"):
        claimtrack.name_key(None)  # type: ignore[arg-type]
    with pytest.raises(InputTypeError):
        claimtrack.EntityIndex([]).resolve(5)  # type: ignore[arg-type]


def test_path_with_a_nul_byte_is_a_problem_not_a_value_error() -> None:
    assert ["'a\\x00b': not a valid path (a NUL byte)"] == _messages("a\x00b")


def test_empty_paths_are_refused_by_dump_and_verify(tmp_path: Path) -> None:
    claims = claimtrack.load(MINI)
    with pytest.raises(claimtrack.DumpError, match="empty path"):
        claimtrack.dump(claims, "")
    with pytest.raises(claimtrack.TextCheckError, match="empty path"):
        claimtrack.verify(claims, "")


def test_registry_linked_from_outside_is_refused_for_one_file_too(
    folder: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared-entities.yaml"
    (folder / "entities.yaml").rename(shared)
    (folder / "entities.yaml").symlink_to(shared)
    message = (
        f"{folder / 'entities.yaml'}: symbolic link to {shared}, outside {folder}: not followed "
        "(claim files must be inside the folder)"
    )
    assert [message] == _messages(folder)
    assert [message] == _messages(folder / SOURCE)

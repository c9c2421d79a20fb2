"""`claimtrack draft`: a thin skin over claimtrack.draft, tested through main(argv)."""

from __future__ import annotations

import io
from pathlib import Path

import yaml

from claimtrack.cli import main

DATA = Path(__file__).resolve().parent / "data" / "draft"
CLAIMS = str(DATA / "claims")
ARTICLES = DATA / "articles"
STRIKE = str(ARTICLES / "harbour-strike.txt")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_the_draft_goes_to_standard_output() -> None:
    status, out, err = run("draft", STRIKE, "--into", CLAIMS)
    assert (0, "") == (status, err)
    assert "harbour-strike.txt" == yaml.safe_load(out)["source"]["text_file"]


def test_output_writes_a_file_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "draft.yaml"
    status, out, _ = run(
        "draft", STRIKE, "--into", CLAIMS, "-o", str(target), "--published", "2024-03-14",
        "--publisher", "veldan-daily", "--url", "https://example.org/strike",
    )  # fmt: skip
    assert 0 == status
    assert out.startswith("wrote ") and str(target) in out
    source = yaml.safe_load(target.read_text(encoding="utf-8"))["source"]
    assert ("2024-03-14", "veldan-daily") == (source["published"], source["publisher"])
    assert "https://example.org/strike" == source["url"]


def test_a_folder_is_drafted_into_out(tmp_path: Path) -> None:
    status, out, _ = run("draft", str(ARTICLES), "--into", CLAIMS, "--out", str(tmp_path / "d"))
    assert 0 == status
    assert f"wrote 2 draft(s) to {tmp_path / 'd'}\n" == out
    assert ["council-vote.yaml", "harbour-strike.yaml"] == sorted(
        p.name for p in (tmp_path / "d").iterdir()
    )


def test_a_folder_without_out_is_a_usage_error() -> None:
    status, _, err = run("draft", str(ARTICLES), "--into", CLAIMS)
    assert 2 == status
    assert "is a folder: give --out DIR" in err


def test_out_for_one_article_is_a_usage_error(tmp_path: Path) -> None:
    status, _, err = run("draft", STRIKE, "--into", CLAIMS, "--out", str(tmp_path))
    assert 2 == status and "--out is for a folder" in err


def test_into_is_required() -> None:
    status, _, err = run("draft", STRIKE)
    assert 2 == status and "--into" in err


def test_a_binary_file_is_one_line_on_stderr(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    status, out, err = run("draft", str(binary), "--into", CLAIMS)
    assert (1, "") == (status, out)
    assert f"claimtrack: error: {binary}: not a text file (it contains NUL bytes)\n" == err


def test_a_missing_file_is_one_line_on_stderr(tmp_path: Path) -> None:
    status, _, err = run("draft", str(tmp_path / "nope.txt"), "--into", CLAIMS)
    assert 1 == status
    assert 1 == len(err.splitlines()) and "cannot read: No such file" in err

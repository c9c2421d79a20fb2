"""`verify` re-slices every drafted quote from its text by the offsets its draft block records."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml

import claimtrack
from claimtrack.cli import main
from claimtrack.draft import draft
from claimtrack.verify import QuoteStatus

DATA = Path(__file__).resolve().parent / "data" / "draft"
ARTICLE = "harbour-strike.txt"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A claims folder with the strike article's draft (the claims with existing subjects) and a
    texts folder beside it with the article as drafted."""
    target = tmp_path / "claims"
    shutil.copytree(DATA / "claims", target)
    (tmp_path / "texts").mkdir()
    shutil.copy(DATA / "articles" / ARTICLE, tmp_path / "texts" / ARTICLE)
    result = draft(DATA / "articles" / ARTICLE, into=target)
    known = {c.id for c in result.claims if not c.subjects[0].new}
    data = yaml.safe_load(result.yaml)
    data["claims"] = [c for c in data["claims"] if c["id"] in known]
    (target / "strike.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def edit_claims(folder: Path, change: object) -> None:
    path = folder / "strike.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def line_of_offsets(folder: Path, claim_index: int) -> int:
    lines = (folder / "strike.yaml").read_text(encoding="utf-8").splitlines()
    at = [n for n, line in enumerate(lines, start=1) if line.strip().startswith("offsets:")]
    return at[claim_index]


def test_drafted_quotes_at_their_offsets_verify(folder: Path) -> None:
    result = claimtrack.verify(claimtrack.load(folder), folder.parent / "texts")
    assert result.ok
    assert all(q.status is QuoteStatus.FOUND for q in result.quotes)


def test_offsets_that_no_longer_slice_the_quote_fail_with_file_and_line(folder: Path) -> None:
    def shift(data: dict[str, list[dict[str, dict[str, list[int]]]]]) -> None:
        start, end = data["claims"][1]["draft"]["offsets"]
        data["claims"][1]["draft"]["offsets"] = [start + 2, end + 2]

    edit_claims(folder, shift)
    claims = claimtrack.load(folder)
    result = claimtrack.verify(claims, folder.parent / "texts")
    assert not result.ok
    [problem] = result.problems
    assert problem.status is QuoteStatus.DRAFT_OFFSETS
    claim = claims[problem.claim]
    assert claim.draft is not None and claim.draft.offsets is not None
    start, end = claim.draft.offsets
    where = f"{folder / 'strike.yaml'}:{line_of_offsets(folder, 1)}: "
    assert problem.detail.startswith(f"{where}draft.offsets [{start}, {end}] slice ")
    assert f"not the quote; the quote is at offset {start - 2}" in problem.detail


def test_offsets_past_the_end_of_the_text_fail(folder: Path) -> None:
    def past(data: dict[str, list[dict[str, dict[str, list[int]]]]]) -> None:
        start, end = data["claims"][0]["draft"]["offsets"]
        data["claims"][0]["draft"]["offsets"] = [start + 100_000, end + 100_000]

    edit_claims(folder, past)
    [problem] = claimtrack.verify(claimtrack.load(folder), folder.parent / "texts").problems
    assert problem.status is QuoteStatus.DRAFT_OFFSETS
    assert "run past the text's end" in problem.detail


def test_a_text_changed_since_drafting_fails_every_drafted_quote(folder: Path) -> None:
    text = folder.parent / "texts" / ARTICLE
    text.write_text("Breaking: " + text.read_text(encoding="utf-8"), encoding="utf-8")
    claims = claimtrack.load(folder)
    result = claimtrack.verify(claims, folder.parent / "texts")
    assert ["changed"] == [t.status.value for t in result.texts]
    assert len(claims) == len(result.quotes)
    for check in result.quotes:
        assert check.status is QuoteStatus.DRAFT_TEXT_CHANGED
        assert "the text changed since this quote was drafted" in check.detail
        assert "not the quote; the quote is at offset" in check.detail
        assert str(folder / "strike.yaml") + ":" in check.detail


def test_a_text_changed_after_the_quotes_still_fails_them(folder: Path) -> None:
    text = folder.parent / "texts" / ARTICLE
    text.write_text(text.read_text(encoding="utf-8") + "\nAn added line.\n", encoding="utf-8")
    result = claimtrack.verify(claimtrack.load(folder), folder.parent / "texts")
    assert all(q.status is QuoteStatus.DRAFT_TEXT_CHANGED for q in result.quotes)
    assert all("still slice the quote" in q.detail for q in result.quotes)


def test_an_accepted_claim_is_verified_as_any_reviewed_claim(folder: Path) -> None:
    """Once its draft block is deleted, a claim's quote is found wherever it is in the text."""
    text = folder.parent / "texts" / ARTICLE
    shifted = "Breaking: " + text.read_text(encoding="utf-8")
    text.write_text(shifted, encoding="utf-8")

    def accept(data: dict[str, object]) -> None:
        for claim in data["claims"]:  # type: ignore[attr-defined]
            del claim["draft"]
        data["source"]["text_sha256"] = None  # type: ignore[index]

    edit_claims(folder, accept)
    result = claimtrack.verify(claimtrack.load(folder), folder.parent / "texts")
    assert result.ok


def test_cli_verify_names_the_draft_block(folder: Path) -> None:
    def shift(data: dict[str, list[dict[str, dict[str, list[int]]]]]) -> None:
        start, end = data["claims"][0]["draft"]["offsets"]
        data["claims"][0]["draft"]["offsets"] = [start + 1, end + 1]

    edit_claims(folder, shift)
    out, err = io.StringIO(), io.StringIO()
    status = main(["verify", str(folder), "--texts", str(folder.parent / "texts")], stdout=out)
    assert 1 == status, err.getvalue()
    assert "draft_offsets" in out.getvalue()
    assert f"strike.yaml:{line_of_offsets(folder, 0)}: draft.offsets" in out.getvalue()

"""Loading draft claim files: the draft: block is an optional claim field, checked on load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import claimtrack
from claimtrack.draft import draft

DATA = Path(__file__).resolve().parent / "data" / "draft"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A claims folder holding the draft of the strike article, less the claims that need a new
    subject or entity (a reviewer adds those first)."""
    target = tmp_path / "claims"
    shutil.copytree(DATA / "claims", target)
    result = draft(DATA / "articles" / "harbour-strike.txt", into=target)
    known = {c.id for c in result.claims if not c.subjects[0].new}
    data = yaml.safe_load(result.yaml)
    data["claims"] = [c for c in data["claims"] if c["id"] in known]
    (target / "strike.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def test_a_draft_file_loads_with_its_draft_marks(folder: Path) -> None:
    claims = claimtrack.load(folder)
    assert len(claims) > 5
    for claim in claims:
        assert claim.draft is not None and claim.draft.rule
        assert claim.draft.offsets is not None
        start, end = claim.draft.offsets
        assert end - start == len(claim.quote)
    assert claimtrack.verify(claims, DATA / "articles").ok


def test_offsets_that_do_not_span_the_quote_are_an_error(folder: Path) -> None:
    path = folder / "strike.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["claims"][0]["draft"]["offsets"] = [0, 3]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    problems = [str(p) for p in claimtrack.validate(folder)]
    assert 1 == len(problems)
    assert "claims[0].draft.offsets: [0, 3] spans 3 characters; the quote has" in problems[0]


def test_reviewed_claims_have_no_draft_mark() -> None:
    claims = claimtrack.load(Path(__file__).resolve().parent / "data" / "mini")
    assert all(claim.draft is None for claim in claims)

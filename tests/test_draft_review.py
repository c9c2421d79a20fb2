"""Drafted claims in comparisons and reports: left out unless asked for, never silently, and
accepted by deleting their draft block."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import attrs
import pytest
import yaml

import claimtrack
from claimtrack.cli import main
from claimtrack.draft import draft
from claimtrack.report import FORMATS

DATA = Path(__file__).resolve().parent / "data" / "draft"
WITH_DRAFTS = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, include_drafts=True)


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


def accept(folder: Path, subject: str) -> int:
    """Accept the drafted claims about ``subject`` as a reviewer does: delete their draft block."""
    path = folder / "strike.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    accepted = 0
    for claim in data["claims"]:
        if claim["subject"] == subject:
            del claim["draft"]
            accepted += 1
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return accepted


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_compare_leaves_drafts_out_and_counts_them(folder: Path) -> None:
    claims = claimtrack.load(folder)
    result = claimtrack.compare(claims)
    assert len(claims) == result.drafts_left_out
    assert 0 == len(result.pairs)
    assert result.claims is not None and 0 == len(result.claims)
    assert result.drafts_note().startswith(f"{len(claims)} drafted claims are left out")
    assert "--include-drafts" in result.drafts_note()


def test_include_drafts_compares_them(folder: Path) -> None:
    claims = claimtrack.load(folder)
    result = claimtrack.compare(claims, WITH_DRAFTS)
    assert 0 == result.drafts_left_out
    assert "" == result.drafts_note()
    assert len(result.pairs) > 0
    assert result.claims is not None and len(claims) == len(result.claims)


def test_reviewed_claims_are_compared_as_before() -> None:
    claims = claimtrack.load(Path(__file__).resolve().parent / "data" / "mini")
    left_out = claimtrack.compare(claims)
    included = claimtrack.compare(claims, WITH_DRAFTS)
    assert 0 == left_out.drafts_left_out
    assert included.pairs.equals(left_out.pairs)


def test_accepting_a_claim_is_deleting_its_draft_block(folder: Path) -> None:
    before = claimtrack.load(folder)
    accepted = accept(folder, "veldan-strike-days")
    assert accepted >= 2
    after = claimtrack.load(folder)
    assert accepted == len(after.filter(drafts=False))
    assert all(c.draft is None for c in after.filter(subject="veldan-strike-days"))
    result = claimtrack.compare(after)
    assert len(before) - accepted == result.drafts_left_out
    assert {"veldan-strike-days"} == set(result.pairs["subject"].astype(str))


def test_filter_by_draft_mark(folder: Path) -> None:
    accept(folder, "veldan-strike-days")
    claims = claimtrack.load(folder)
    drafts, reviewed = claims.filter(drafts=True), claims.filter(drafts=False)
    assert len(claims) == len(drafts) + len(reviewed)
    assert all(c.draft is not None for c in drafts)
    assert all(c.draft is None for c in reviewed)


def test_the_report_says_how_many_drafts_it_leaves_out(folder: Path) -> None:
    accept(folder, "veldan-strike-days")
    claims = claimtrack.load(folder)
    left_out = len(claims.filter(drafts=True))
    for fmt in FORMATS:
        text = claimtrack.report(claims, format=fmt)
        assert f"{left_out} drafted claims are left out" in " ".join(text.split()), fmt
    included = claimtrack.report(claims, policy=WITH_DRAFTS)
    assert "drafted claim" not in included
    assert f"{len(claims)} claims from 1 source" in " ".join(included.split())


def test_a_report_of_a_comparison_leaves_out_what_it_left_out(folder: Path) -> None:
    accept(folder, "veldan-strike-days")
    claims = claimtrack.load(folder)
    text = " ".join(claimtrack.report(claimtrack.compare(claims), claims).split())
    assert f"{len(claims.filter(drafts=True))} drafted claims are left out" in text
    assert f"{len(claims.filter(drafts=False))} claims from 1 source" in text


def test_cli_compare_says_how_many_drafts_it_leaves_out(folder: Path) -> None:
    n = len(claimtrack.load(folder))
    status, out, err = run("compare", str(folder))
    assert 0 == status
    assert f"{n} drafted claims are left out" in out
    assert "--include-drafts" in out
    status, out, err = run("compare", str(folder), "--format", "json")
    assert 0 == status
    json.loads(out)  # standard output stays JSON; the note goes to standard error
    assert f"claimtrack: {n} drafted claims are left out" in err
    status, out, err = run("compare", str(folder), "--include-drafts", "--all")
    assert 0 == status
    assert "drafted claim" not in out + err
    assert "veldan-strike-days" in out


def test_cli_report_says_how_many_drafts_it_leaves_out(folder: Path) -> None:
    n = len(claimtrack.load(folder))
    status, out, _err = run("report", str(folder))
    assert 0 == status
    assert f"{n} drafted claims are left out" in " ".join(out.split())
    status, out, _err = run("report", str(folder), "--include-drafts")
    assert 0 == status
    assert "drafted claim" not in out
    assert f"{n} claims from 1 source" in " ".join(out.split())


def test_dump_keeps_draft_marks(folder: Path, tmp_path: Path) -> None:
    """Regression: dump wrote drafted claims without their draft block, accepting them unseen."""
    accept(folder, "veldan-strike-days")
    claims = claimtrack.load(folder)
    claimtrack.dump(claims, tmp_path / "dumped")
    again = claimtrack.load(tmp_path / "dumped")
    assert again == claims
    assert len(claims.filter(drafts=True)) == len(again.filter(drafts=True)) > 0
    assert claimtrack.compare(again).drafts_left_out == claimtrack.compare(claims).drafts_left_out

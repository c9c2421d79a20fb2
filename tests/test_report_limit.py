"""Reports and ``compare`` tables readable at any size: grouped findings, a limit with a count of
what is left out, and claims frames as input to ``report`` as to ``compare``."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack._synthetic import synthetic_claims
from claimtrack.cli import main
from claimtrack.frame import STAND_IN_DESCRIPTION, STAND_IN_TITLE, claims_from_frame
from claimtrack.report import DEFAULT_LIMIT, Finding, comparison_text, group_findings
from tests.conftest import load_bundled, unlinked


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@cache
def generated(n: int = 400, seed: int = 3) -> claimtrack.ClaimSet:
    return claims_from_frame(synthetic_claims(n, seed=seed, hot=60))


def looped_findings(found: pd.DataFrame, claims: claimtrack.ClaimSet) -> list[Finding]:
    """The grouping as it was written before it was vectorised: one dict entry per key."""
    groups: dict[tuple[str, ...], list[dict[Any, Any]]] = {}
    for r in found.to_dict("records"):
        verdict, subject = str(r["verdict"]), str(r["subject"])
        a, b = str(r["claim_a"]), str(r["claim_b"])
        if verdict == "contradict" and a in claims and b in claims:
            who = sorted((claims[a].claimant, claims[b].claimant))
            key: tuple[str, ...] = (verdict, subject, "claimants", *who)
        else:
            key = (verdict, subject, "reason", str(r["reason"]))
        groups.setdefault(key, []).append(r)
    return [
        Finding(
            claimtrack.Verdict(str(rows[0]["verdict"])),
            claims.subject(str(rows[0]["subject"])),
            tuple((str(r["claim_a"]), str(r["claim_b"])) for r in rows),
            str(rows[0]["reason"]),
        )
        for rows in groups.values()
    ]


def test_grouping_is_vectorised_without_changing_a_finding_on_the_bundled_claims() -> None:
    claims = load_bundled()
    found = claimtrack.compare(claims).findings()
    assert looped_findings(found, claims) == list(group_findings(found, claims))


@settings(max_examples=8, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=40, max_value=300))
def test_grouping_is_vectorised_without_changing_a_finding_on_generated_sets(
    seed: int, n: int
) -> None:
    claims = claims_from_frame(synthetic_claims(n, seed=seed, hot=n // 5))
    found = claimtrack.compare(claims).findings()
    assert looped_findings(found, claims) == list(group_findings(found, claims))


def test_group_findings_with_a_limit_keeps_the_first_of_each_verdict() -> None:
    claims = generated()
    found = claimtrack.compare(claims).findings()
    every = group_findings(found, claims)
    first = group_findings(found, claims, limit=2)
    for verdict in {f.verdict for f in every}:
        assert [f for f in every if f.verdict is verdict][:2] == [
            f for f in first if f.verdict is verdict
        ]


def test_a_report_under_the_limit_leaves_nothing_out() -> None:
    """The bundled claims are far under the default limit: the report is the whole report (its
    goldens are unchanged), with no overview and no count of anything left out."""
    claims = load_bundled()
    text = claimtrack.report(claims)
    assert text == claimtrack.report(claims, limit=0)
    assert "… and" not in text


def test_a_large_report_counts_what_it_leaves_out_and_says_how_to_see_it() -> None:
    claims = generated()
    hot = max(claims.subjects, key=lambda s: len(claims.filter(subject=s)))
    hot_claims = len(claims.filter(subject=hot))
    text = claimtrack.report(claims, limit=5)
    assert f"… and {hot_claims - 5:,} more claims of this subject: use --subject {hot} " in text
    assert "more subjects with more than one claim, not shown in full" in text
    assert "finding pairs" in text  # the overview table leads
    assert text.index("finding pairs") < text.index(f"{hot}: {hot}")
    full = claimtrack.report(claims, subjects=hot, limit=0)
    assert "… and" not in full
    assert full.count(f"#{hot_claims} ") >= 1  # every claim of the subject is shown


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_format_counts_what_it_leaves_out(fmt: str) -> None:
    text = claimtrack.report(generated(), format=fmt, limit=5)
    assert "more claims of this subject: use --subject" in text
    assert "more subjects with more than one claim" in text


def test_the_findings_line_counts_every_finding_when_some_are_left_out() -> None:
    claims = generated()
    line = claimtrack.report(claims, limit=0).split("Findings: ", 1)[1].split(".", 1)[0]
    assert line == claimtrack.report(claims, limit=1).split("Findings: ", 1)[1].split(".", 1)[0]


@pytest.mark.parametrize("limit", [-1, 1.5, True, "3"])
def test_a_limit_that_is_not_a_whole_number_is_refused(limit: Any) -> None:
    with pytest.raises(ValueError, match="limit must be a whole number of at least 0"):
        claimtrack.report(load_bundled(), limit=limit)


def test_default_limit() -> None:
    assert 50 == DEFAULT_LIMIT


# --- the command line --------------------------------------------------------------------------


def test_report_of_a_claims_frame_saved_as_parquet(tmp_path: Path) -> None:
    """Regression: ``report FRAME.parquet`` failed with "not a text file (it contains NUL
    bytes)" where ``compare`` accepted the same file. Sources, subjects and claimants are named
    by id, and the report says so."""
    path = tmp_path / "claims.parquet"
    load_bundled().to_frame().to_parquet(path)
    status, out, err = run(
        ["report", str(path), "--subject", "kazakhs-in-xinjiang", "--format", "md"]
    )
    assert (0, "") == (status, err)
    assert STAND_IN_DESCRIPTION in out and STAND_IN_TITLE in out
    assert "Findings: 1 internal inconsistency." in out.replace("\\", "")


def test_report_of_a_broken_parquet_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "claims.parquet"
    path.write_bytes(b"PAR1\x00\x00not parquet")
    status, _out, err = run(["report", str(path)])
    assert 1 == status
    assert err.startswith(f"claimtrack: error: {path}: ")
    assert "Traceback" not in err


def test_report_of_a_frame_without_publication_dates_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "claims.parquet"
    frame = load_bundled().to_frame()
    frame.drop(columns=["published_start", "published_end"]).to_parquet(path)
    status, _out, err = run(["report", str(path)])
    assert 1 == status
    assert str(path) in err and "published_start" in err


def test_compare_prints_groups_of_findings_with_a_limit(tmp_path: Path) -> None:
    path = tmp_path / "claims.parquet"
    synthetic_claims(400, seed=3, hot=60).to_parquet(path)
    status, out, err = run(["compare", str(path), "--limit", "3"])
    assert (0, "") == (status, err)
    head = out.split("\n", 1)[0]
    assert " findings in " in head and " groups (" in head
    assert "… and " in out and "more groups (" in out and "use --limit 0 to show all" in out
    status, every, _err = run(["compare", str(path), "--limit", "0"])
    assert 0 == status and "… and" not in every


def test_compare_table_of_a_frame_groups_contradictions_by_claimant() -> None:
    """Claimants come from the frame when a frame was compared: the same groups as for the
    claim set (reasons may differ: a frame names subjects by id)."""
    claims = unlinked(load_bundled())  # a frame declares no links between subjects
    frame = claims.to_frame()
    from_frame = comparison_text(claimtrack.compare(frame), claims=frame)
    from_set = comparison_text(claimtrack.compare(claims))
    assert from_set.split("\n", 1)[0] == from_frame.split("\n", 1)[0]
    assert from_set.startswith("20 findings in 6 groups (")


def test_limit_must_be_a_whole_number_on_the_command_line() -> None:
    status, _out, err = run(["report", "claims", "--limit", "-2"])
    assert 2 == status
    assert "--limit: expected a whole number of at least 0, got '-2'" in err


def test_compare_all_prints_every_pair_unless_limited() -> None:
    status, out, _err = run(["compare", "claims", "--all"])
    assert 0 == status
    assert out.startswith("148 pairs:") and "… and" not in out.split("day counts")[0]
    status, out, _err = run(["compare", "claims", "--all", "--limit", "5"])
    assert 0 == status
    assert "… and 143 more pairs: use --limit 0 to show all" in out


def reposted(copies: int) -> pd.DataFrame:
    """Two figures of one subject from two claimants, each reposted ``copies`` times (new ids):
    one grouped finding of ``copies ** 2`` pairs."""
    frame = synthetic_claims(200, hot=40, cap=5, seed=3)
    hot = frame[frame["subject"] == frame["subject"].value_counts().index[0]]
    two = hot[hot["kind"] == "quantity"].head(2)
    copies_of = [two.assign(claim=two["claim"].astype(str) + f"-{k}") for k in range(copies)]
    return pd.concat(copies_of, ignore_index=True)


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_a_finding_of_millions_of_pairs_lists_examples(fmt: str) -> None:
    """Regression (issue 20): a report listed every pair of each finding it showed, so one
    grouped finding of 4.4 million pairs (2,100 reposts of one figure against 2,100 of another,
    compared in a tenth of a second) made ``report`` refuse with ``TooManyPairsError``. A finding
    of more than ``PAIRS_LISTED`` pairs now lists examples and its total."""
    frame = reposted(2_100)
    result = claimtrack.compare(frame)
    found = result.findings()
    assert 1 == len(found) and 2_100**2 == int(found["n_pairs"][0])
    out = claimtrack.report(result, claims_from_frame(frame), format=fmt)
    assert "4,410,000 pairs, for example:" in out
    assert f"{found['claim_a'][0]}" in out and f"{found['claim_b'][0]}" in out

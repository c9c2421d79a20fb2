"""Reviewing a project: the report of one source, what is new since an earlier run, and reviews
of findings (``reviews.yaml``, ``claimtrack review``) shown in every report format."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack.cli import main
from claimtrack.report import group_findings
from tests.conftest import CLAIMS, MINI, copy_bundled

AZIMOVA = "rferl-2021-azimova-meeting"
DENIES = f"{AZIMOVA}:china-denies-internment"
FLED = f"{AZIMOVA}:fled-political-indoctrination"
UN = "rferl-2019-zhanaozen-china-visit:un-camps-coercive"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_bundled(CLAIMS, tmp_path / "claims")


# --- report --source --------------------------------------------------------------------------


def test_report_source_shows_only_the_findings_that_involve_it(project: Path) -> None:
    claims = claimtrack.load(project)
    mine = {c.id for c in claims if c.source == AZIMOVA}
    text = claimtrack.report(claims, source=AZIMOVA, format="md")
    assert f"the subjects source {AZIMOVA} has claims about" in text.replace("\\", "")
    everything = claimtrack.compare(claims).findings()
    involving = everything[everything["claim_a"].isin(mine) | everything["claim_b"].isin(mine)]
    assert len(involving) and len(involving) < len(everything)
    findings_part = text.split("## Subjects with")[0]
    for a, b in zip(involving["claim_a"], involving["claim_b"], strict=True):
        assert f"`{a}`" in findings_part and f"`{b}`" in findings_part
    others = everything[~everything.index.isin(involving.index)]
    assert not any(
        f"`{a}` ↔ `{b}`" in findings_part
        for a, b in zip(others["claim_a"], others["claim_b"], strict=True)
    )
    subjects = {c.subject for c in claims if c.source == AZIMOVA}
    assert all(s in text for s in subjects)


def test_report_source_of_an_unknown_source_suggests_the_close_one(project: Path) -> None:
    status, _out, err = run("report", str(project), "--source", "rferl-2021-azimova-meting")
    assert 1 == status
    assert (
        "claimtrack: error: unknown source 'rferl-2021-azimova-meting' "
        "(did you mean 'rferl-2021-azimova-meeting'?)\n"
    ) == err


def test_report_source_with_subjects_it_has_no_claims_about_says_so(project: Path) -> None:
    status, _out, err = run(
        "report", str(project), "--source", AZIMOVA, "--subject", "kazakhs-in-xinjiang"
    )
    assert (
        1,
        f"claimtrack: error: source '{AZIMOVA}' has no claims about 'kazakhs-in-xinjiang': "
        "nothing to report\n",
    ) == (status, err)
    status, _out, err = run(
        "report", str(project), "--source", AZIMOVA, "--subject", "xinjiang-detainee"
    )
    assert 1 == status and "unknown subject 'xinjiang-detainee' (did you mean" in err


# --- --since-run --------------------------------------------------------------------------------


def test_report_since_run_marks_what_is_new(project: Path, tmp_path: Path) -> None:
    """The run saved before an article was added: its findings are the ones not new."""
    kept = tmp_path / "azimova.yaml"
    shutil.move(project / f"{AZIMOVA}.yaml", kept)
    run_file = tmp_path / "run.json"
    assert 0 == run("compare", str(project), "--save", str(run_file))[0]
    shutil.move(kept, project / f"{AZIMOVA}.yaml")
    status, out, err = run("report", str(project), "--since-run", str(run_file))
    assert (0, "") == (status, err)
    earlier = claimtrack.earlier_findings(run_file)
    found = claimtrack.compare(claimtrack.load(project)).findings()
    keys = [claimtrack.finding_key(*r) for r in found[["verdict", "claim_a", "claim_b"]].to_numpy()]
    assert earlier < set(keys)
    assert f"New since {run_file}: " in out.replace("\n", " ")
    flat = " ".join(out.split())
    assert re.search(r"status: \d+ of \d+ pairs new", flat)  # a finding the article joined
    assert re.search(r"New since \S+: \d+ of \d+ findings\. \d+ other findings? ha", flat)


def test_since_run_names_the_earlier_findings_that_are_gone(project: Path) -> None:
    """An earlier finding whose claims are still here but which is no longer a finding is named;
    one still found is not, nor one whose claims are gone."""
    claims = claimtrack.load(project)
    found = claimtrack.finding_key("contradict", UN, DENIES)
    absent = claimtrack.finding_key("differ", UN, FLED)
    text = claimtrack.report(claims, since_run=frozenset([found, absent, "agree x y"]))
    line = " ".join(text.split())
    assert (
        f"1 finding pair of the earlier run is no longer found (the claims are still here): "
        f"{absent}."
    ) in line


@pytest.mark.parametrize(
    "content, message",
    [
        ("{", "run.json:1: not JSON (Expecting property name enclosed in double quotes, column 2)"),
        ("[]", "run.json: not a saved comparison (no 'findings' list)"),
        (
            '{"findings": [{"verdict": "agree", "claim_a": "a b", "claim_b": "c"}]}',
            "run.json: findings[0]: expected a 'verdict' and the claim ids 'claim_a' and 'claim_b'",
        ),
        (
            '{"findings": [{"verdict": "agree"}]}',
            "run.json: findings[0]: expected a 'verdict' and the claim ids 'claim_a' and 'claim_b'",
        ),
    ],
)
def test_a_broken_run_file_is_reported_with_its_place(
    project: Path, tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "run.json").write_text(content, encoding="utf-8")
    status, _out, err = run("report", str(project), "--since-run", str(tmp_path / "run.json"))
    assert 1 == status
    assert err.startswith(f"claimtrack: error: {tmp_path}/{message}")


# --- reviews ------------------------------------------------------------------------------------


def _review(project: Path, *extra: str) -> tuple[int, str, str]:
    return run(
        "review",
        str(project),
        "contradict",
        DENIES,
        FLED,
        "--dismiss",
        "--by",
        "Ann Reporter",
        "--why",
        "the denial answers <another> accusation",
        "--date",
        "2026-12-01",
        *extra,
    )


def test_review_records_every_pair_of_the_finding(project: Path) -> None:
    status, out, err = _review(project)
    assert (0, "") == (status, err)
    assert (
        f"recorded dismissed for 6 pairs of the contradict finding in {project}/reviews.yaml\n"
        == out
    )
    reviews = claimtrack.load_reviews(project)
    assert 6 == len(reviews)
    assert {claimtrack.ReviewStatus.DISMISSED} == {r.status for r in reviews.reviews}
    assert claimtrack.finding_key("contradict", FLED, DENIES) in reviews.latest()
    assert 0 == run("validate", str(project))[0]  # reviews.yaml is not a claim file


def test_a_later_review_is_appended_and_stands(project: Path) -> None:
    _review(project)
    path = project / "reviews.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("reviews:\n", "reviews:  # ours\n"),
        encoding="utf-8",
    )
    before = path.read_text(encoding="utf-8")
    status, _out, _err = run(
        "review",
        str(project),
        "contradict",
        DENIES,
        FLED,
        "--confirm",
        "--by",
        "Bo",
        "--why",
        "checked again",
    )
    assert 0 == status
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing that was there changes
    latest = claimtrack.load_reviews(project).latest()
    assert "confirmed" == latest[claimtrack.finding_key("contradict", DENIES, FLED)].status.value


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_reports_show_the_status_of_reviewed_findings(project: Path, fmt: str) -> None:
    _review(project)
    status, out, err = run("report", str(project), "--format", fmt)
    assert (0, "") == (status, err)
    flat = " ".join(out.split())
    if fmt == "html":
        assert (
            '<span class="claims status"><strong>status:</strong> dismissed by Ann Reporter (2026-12-01): the denial '
            "answers &lt;another&gt; accusation</span>"
        ) in flat
    elif fmt == "md":
        assert (
            "*status: dismissed by Ann Reporter (2026-12-01): the denial answers &lt;another&gt; accusation*"
            in flat
        )
    else:
        assert (
            "status: dismissed by Ann Reporter (2026-12-01): the denial answers <another> accusation"
            in flat
        )
    assert "not reviewed" in flat


def test_review_of_a_finding_that_is_not_there_is_refused(project: Path) -> None:
    status, _out, err = run(
        "review", str(project), "agree", DENIES, FLED, "--confirm", "--by", "A", "--why", "b"
    )
    assert 1 == status
    assert f"no agree finding between '{DENIES}' and '{FLED}'" in err
    assert not (project / "reviews.yaml").exists()


def test_review_file_problems_are_reported_at_their_lines(project: Path) -> None:
    (project / "reviews.yaml").write_text(
        "reviews:\n"
        "  - verdict: contradicts\n"
        f"    claims: [{DENIES}]\n"
        "    status: maybe\n"
        "    by: ''\n"
        "    why: x\n"
        "    when: yesterday\n",
        encoding="utf-8",
    )
    status, out, _err = run("validate", str(project))
    assert 1 == status
    path = project / "reviews.yaml"
    lines = out.splitlines()
    assert (
        f"{path}:2: reviews[0].verdict: 'contradicts' is not a verdict (one of agree, " in lines[0]
    )
    assert (
        f"{path}:3: reviews[0].claims: expected the ids of the finding's two claims: [a, b]"
        in lines
    )
    assert f"{path}:4: reviews[0].status: 'maybe' is not 'confirmed' or 'dismissed'" in lines
    assert f"{path}:5: reviews[0].by: expected a non-empty text" in lines
    assert any(line.startswith(f"{path}:7: reviews[0].when: unknown key 'when'") for line in lines)
    assert "5 problems found" == lines[-1]


def test_a_saved_run_is_the_comparisons_json(project: Path, tmp_path: Path) -> None:
    assert 0 == run("compare", str(project), "--save", str(tmp_path / "run.json"))[0]
    saved = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert claimtrack.compare(claimtrack.load(project)).to_dict() == saved


# --- the review file round-trips any text -------------------------------------------------------

UN_ASSERTS = """\
  - id: rferl-2019-zhanaozen:un-camps
    subject: xinjiang-camps-coercive
    quote: were being held in camps
    claimant: un
    statement: {speaker: un, stance: asserts}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini set with the UN asserting what China denies: one contradiction."""
    folder = tmp_path_factory.mktemp("small") / "p"
    shutil.copytree(MINI, folder)
    with (folder / "rferl-2019-zhanaozen.yaml").open("a", encoding="utf-8") as out:
        out.write(UN_ASSERTS)
    return folder


TEXTS = st.text(min_size=1, max_size=40).filter(lambda t: t.strip() != "")


@settings(max_examples=40, deadline=None)
@given(by=TEXTS, why=TEXTS)
def test_a_review_reads_back_as_written(small: Path, by: str, why: str) -> None:
    """Whatever the reviewer's name and reason hold (quotes, colons, line breaks, control and bidi
    characters), the file reads back with exactly those texts, and earlier reviews stay."""
    path = small / "reviews.yaml"
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    claims = claimtrack.load(small)
    written = claimtrack.review_finding(
        small,
        "contradict",
        "rferl-2019-zhanaozen:un-camps",
        "rferl-2019-zhanaozen:china-vocational",
        status="dismissed",
        by=by,
        why=why,
        claims=claims,
    )
    assert path.read_text(encoding="utf-8").startswith(before)
    last = claimtrack.load_reviews(small).reviews[-1]
    assert (by.strip(), why.strip(), None) == (last.by, last.why, last.date)
    assert written[-1].key == last.key


def test_since_its_own_run_nothing_is_new_and_nothing_is_gone(
    project: Path, tmp_path: Path
) -> None:
    run_file = tmp_path / "run.json"
    assert 0 == run("compare", str(project), "--save", str(run_file))[0]
    claims = claimtrack.load(project)
    n = len(group_findings(claimtrack.compare(claims).findings(), claims))
    text = " ".join(claimtrack.report(claims, since_run=run_file).split())
    assert f"New since {run_file}: 0 of {n} findings." in text
    assert "status: new" not in text and "pairs new" not in text and "no longer found" not in text

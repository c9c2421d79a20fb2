"""Comparison reports: golden files per format, escaping, selection, figures and the CLI command."""

from __future__ import annotations

import ast
import datetime
import importlib
import io
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest

import claimtrack
from claimtrack._cli_base import Progress
from claimtrack.cli import main
from claimtrack.report import (
    FORMATS,
    Finding,
    finding_claims,
    finding_sides,
    group_findings,
    md_escape,
    report,
    select,
)
from tests import regenerate_docs
from tests.conftest import MINI, ROOT, TESTS, check_golden

DATA = TESTS / "data" / "report"
DATA_ARG = str(DATA.relative_to(ROOT))
GOLDEN = TESTS / "golden"
SVG = re.compile(r'<svg class="timeline".*?</svg>', re.DOTALL)
QUANTITY_SUBJECTS_COMPARED = ["kazakhs-in-xinjiang", "xinjiang-detainees", "zhanaozen-protest-size"]


def run(argv: Sequence[str]) -> tuple[int, str, str]:
    """``(exit status, stdout, stderr)`` of ``claimtrack ARGV``."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def without_figures(page: str) -> str:
    """The page with each inline SVG figure reduced to a stub: figures are checked on their own,
    since their paths depend on the matplotlib version."""
    return SVG.sub('<svg class="timeline">…</svg>', page)


@pytest.fixture(scope="module")
def claims() -> claimtrack.ClaimSet:
    return claimtrack.load(DATA)


@pytest.fixture(scope="module")
def comparison(claims: claimtrack.ClaimSet) -> claimtrack.Comparison:
    return claimtrack.compare(claims)


# --- golden files ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_golden_text_and_markdown(
    fmt: str, claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    suffix = {"text": "txt", "md": "md"}[fmt]
    check_golden(GOLDEN / f"report.{suffix}", report(comparison, claims, format=fmt))


def test_golden_html(claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison) -> None:
    page = report(comparison, claims, format="html")
    assert 5 == len(SVG.findall(page))  # a timeline per quantity subject with several claims
    check_golden(GOLDEN / "report.html", without_figures(page))


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_claims_give_byte_identical_reports(fmt: str) -> None:
    """Loaded and compared twice, figures included."""
    first, second = (
        report(claimtrack.compare(c), c, format=fmt)
        for c in (claimtrack.load(DATA), claimtrack.load(DATA))
    )
    assert first == second


def test_every_verdict_appears_in_the_fixture(comparison: claimtrack.Comparison) -> None:
    assert {v.value for v in claimtrack.Verdict} == set(comparison.pairs["verdict"])


# --- content -----------------------------------------------------------------------------------


def test_summary_names_the_findings_with_their_reasons(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    text = report(comparison, claims)
    summary = text[: text.index("Subjects with more than one claim")]
    assert (
        "24 claims from 4 sources about 10 subjects, by 9 claimants. 8 subjects with more than "
        "one claim are compared." in " ".join(summary.split())
    )
    assert (
        "Findings: 1 internal inconsistency, 1 contradiction (2 pairs), 2 conflicts, 1 update, "
        "2 changes over time, 1 change of stance." in " ".join(summary.split())
    )
    for finding in group_findings(comparison.finding_pairs(), claims):
        assert finding.reason in " ".join(summary.split())


def test_every_claim_row_leads_to_its_source_date_and_quote(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    """In Markdown each claim is one table row with its source, the source's date and quote."""
    page = report(comparison, claims, format="md")
    for claim in claims:
        source = claims.source(claim.source)
        row = next(line for line in page.splitlines() if md_escape(claim.id) + " " in line)
        for cell in (source.id, source.published.iso(), md_escape(claim.quote)):
            assert cell in row, (claim.id, cell)


def test_subject_shows_origins_and_consensus(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    text = report(comparison, claims)
    assert (
        "Quantity (people). 3 claims from 2 claimants, 2 independent origins; consensus: "
        "850,000–1,150,000." in text
    )


def test_series_check_of_a_single_day_count_is_shown(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    text = " ".join(report(comparison, claims).split())
    assert (
        "Series check of #1: day 2 as of 2019-09-03 ('September 3') implies the series began"
        in text
    )


def test_unknown_format_is_an_error(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        report(comparison, claims, format="pdf")


# --- escaping ----------------------------------------------------------------------------------

HOSTILE = """\
source:
  id: hostile-2023
  title: '"><img src=x onerror=alert(1)> Title'
  publisher: fixture-press
  published: "2023-01-05"
  url: "javascript:alert(1)"
  notes: <b>bold</b> & <i>italic</i>
claims:
  - id: hostile-2023:script
    subject: xinjiang-detainees
    quote: "<script>alert('x')</script> said 5 | 6 *people* [link](http://x) `code`"
    claimant: un
    as_of: "2022"
    value: about 3 million
  - id: hostile-2023:attribute
    subject: xinjiang-camps-coercive
    quote: '" onmouseover="alert(1)'
    claimant: un
    statement: {speaker: un, stance: asserts}
"""


@pytest.fixture
def hostile(tmp_path: Path) -> claimtrack.ClaimSet:
    """The report fixture plus a source whose texts try to break out of HTML and Markdown."""
    folder = tmp_path / "claims"
    shutil.copytree(DATA, folder)
    (folder / "hostile-2023.yaml").write_text(HOSTILE, encoding="utf-8")
    return claimtrack.load(folder)


def test_html_escapes_every_text_from_claim_files(hostile: claimtrack.ClaimSet) -> None:
    page = report(claimtrack.compare(hostile), hostile, format="html")
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>bold" not in page
    assert 'onmouseover="' not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; Title" in page
    assert "&quot; onmouseover=&quot;alert(1)" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;italic&lt;/i&gt;" in page


def test_html_loads_nothing(hostile: claimtrack.ClaimSet) -> None:
    """No scripts, stylesheets, fonts or images to fetch, and a policy that forbids them."""
    page = report(claimtrack.compare(hostile), hostile, format="html")
    assert not re.search(r"<(script|link|iframe|object|embed|img)\b", page)
    assert not re.search(r"<[a-z][^>]*\s(src|srcset|background)=", page)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page)
    assert "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page


def test_markdown_escapes_pipes_and_markup(hostile: claimtrack.ClaimSet) -> None:
    page = report(claimtrack.compare(hostile), hostile, format="md")
    row = next(line for line in page.splitlines() if "| hostile-2023:script" in line)
    assert "5 \\| 6 \\*people\\* \\[link\\](http://x) \\`code\\`" in row
    assert "&lt;script&gt;" in row and "<script" not in page
    header = next(line for line in page.splitlines() if line.startswith("| #") and "quote" in line)
    unescaped = re.compile(r"(?<!\\)\|")
    assert len(unescaped.findall(header)) == len(unescaped.findall(row))


def test_pairs_that_say_the_same_thing_are_one_finding(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    """China's denial, repeated in a second source, against one assertion: one contradiction
    shown with both pairs, as two claims on one side against one on the other."""
    findings = group_findings(comparison.finding_pairs(), claims)
    contradictions = [f for f in findings if f.verdict is claimtrack.Verdict.CONTRADICT]
    assert 1 == len(contradictions)
    (found,) = contradictions
    assert 2 == len(found.pairs)
    assert (
        ("rferl-2019-zhanaozen:china-vocational", "fixture-2022-digest:china-denies-camps"),
        ("rferl-2021-almaty:fled-political-indoctrination",),
    ) == finding_sides(found)
    text = " ".join(report(comparison).split())
    assert (
        "2 pairs: rferl-2019-zhanaozen:china-vocational, fixture-2022-digest:china-denies-camps "
        "↔ rferl-2021-almaty:fled-political-indoctrination" in text
    )
    # every pair of the comparison's findings is in exactly one finding
    shown = sorted(pair for f in findings for pair in f.pairs)
    found = comparison.finding_pairs()
    assert sorted(zip(found["claim_a"], found["claim_b"], strict=True)) == shown


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ((("a", "b"),), "claims: a ↔ b"),
        ((("a", "c"), ("b", "c")), "2 pairs: a, b ↔ c"),
        ((("a", "c"), ("c", "b"), ("a", "d"), ("b", "d")), "4 pairs: a, b ↔ c, d"),
        ((("a", "b"), ("c", "d")), "2 pairs: a ↔ b; c ↔ d"),  # not one side against the other
        ((("a", "c"), ("b", "c"), ("a", "d")), "3 pairs: a ↔ c; b ↔ c; a ↔ d"),  # b ↔ d missing
    ],
)
def test_grouped_pairs_are_shown_as_two_sides_only_when_that_is_exact(
    claims: claimtrack.ClaimSet, pairs: tuple[tuple[str, str], ...], expected: str
) -> None:
    finding = Finding(
        claimtrack.Verdict.CONTRADICT, claims.subject("xinjiang-camps-coercive"), pairs, "r"
    )
    assert expected == finding_claims(finding)


def test_text_keeps_the_quote_as_written(hostile: claimtrack.ClaimSet) -> None:
    text = " ".join(report(claimtrack.compare(hostile), hostile).split())
    assert "“<script>alert('x')</script> said 5 | 6 *people* [link](http://x) `code`”" in text


# --- selection ---------------------------------------------------------------------------------


def test_select_since_keeps_claims_whose_time_ends_on_or_after(
    claims: claimtrack.ClaimSet,
) -> None:
    """As-of, else the date said, else publication: the 2018 UN figure and the 2019 claims go,
    the 2021 claims and the undated 2021 statement stay."""
    kept = select(claims, since="2021-09-15")
    assert {
        "rferl-2021-almaty:us-detainees-2-million",
        "rferl-2021-almaty:fled-political-indoctrination",
        "fixture-2022-digest:us-detainees-2-million",
        "fixture-2022-digest:china-denies-camps",
        "fixture-2022-digest:tokayev-denies-raising-detentions",  # said 2022-05-30
    } == {c.id for c in kept}
    assert [c.id for c in kept] == [c.id for c in select(claims, since=datetime.date(2021, 9, 15))]
    assert 5 == len(select(claims, since=claimtrack.FuzzyDate.parse("2021")))


def test_select_subjects(claims: claimtrack.ClaimSet) -> None:
    kept = select(claims, subjects=["kazakhs-in-xinjiang", "xinjiang-camps-coercive"])
    assert {"kazakhs-in-xinjiang", "xinjiang-camps-coercive"} == {c.subject for c in kept}
    assert 6 == len(kept)


def test_select_unknown_subject(claims: claimtrack.ClaimSet) -> None:
    with pytest.raises(claimtrack.UnknownIdError):
        select(claims, subjects="xinjiang-detainee")


def test_narrowed_report_compares_the_selected_claims_again(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    """Verdicts and consensus describe the claims shown, not the claims left out."""
    narrowed = report(comparison, claims, since="2021")
    selected = select(claims, since="2021")
    assert report(claimtrack.compare(selected), claims, since="2021") == narrowed
    assert "Selection: claims dated on or after 2021-01-01." in narrowed
    assert "consensus: ≤ 2,000,000." in narrowed
    assert "un-detainees" not in narrowed


# --- figures -----------------------------------------------------------------------------------


def test_html_has_a_timeline_per_compared_quantity_subject(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    page = report(comparison, claims, format="html")
    for sid in QUANTITY_SUBJECTS_COMPARED:
        section = page[page.index(f'<section id="s-{sid}"') :]
        section = section[: section.index("</section>")]
        assert 1 == section.count('<svg class="timeline" role="img"'), sid
        assert 'width="' not in section.split("<svg", 1)[1].split(">", 1)[0]
        assert "viewBox" in section
    assert "The shaded band is the consensus, 850,000–1,150,000." in page
    assert "No band: the independent figures do not overlap." in page


def test_figures_are_deterministic_svg(claims: claimtrack.ClaimSet) -> None:
    """No date, no creator, the same element ids every time."""
    pages = [report(claimtrack.compare(claims), claims, format="html") for _ in range(2)]
    assert SVG.findall(pages[0]) == SVG.findall(pages[1])
    assert "<dc:date>" not in pages[0] and "Matplotlib v" not in pages[0]


def test_without_matplotlib_the_page_says_how_to_get_figures(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    page = report(comparison, claims, format="html")
    assert "<svg" not in page
    assert 5 == page.count("pip install &#x27;claimtrack[plot]&#x27;")
    assert "<table>" in page


# --- the command -------------------------------------------------------------------------------


def test_cli_report_text_is_the_library_report(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    assert (0, report(comparison, claims), "") == run(["report", DATA_ARG])


def test_cli_report_markdown_through_python_m_equivalent(
    claims: claimtrack.ClaimSet, comparison: claimtrack.Comparison
) -> None:
    assert (0, report(comparison, claims, format="md"), "") == run(
        ["report", DATA_ARG, "--format", "md"]
    )


def test_cli_report_html_to_a_file_takes_the_format_from_the_suffix(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert (0, "", "") == run(["report", DATA_ARG, "-o", str(target)])
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_report_subject_and_since(tmp_path: Path) -> None:
    status, out, err = run(
        [
            "report",
            DATA_ARG,
            "--subject",
            "xinjiang-detainees",
            "--subject",
            "zhanaozen-protest-size",
            "--since",
            "2019-09-03",
        ]
    )
    assert (0, "") == (status, err)
    flat = " ".join(out.split())
    assert (
        "Selection: subjects xinjiang-detainees, zhanaozen-protest-size; claims dated on or "
        "after 2019-09-03." in flat
    )
    assert "un-detainees" not in out and "turnout-sep-2" not in out
    assert "lede-turnout-sep-3" in out


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (
            ["--since", "someday"],
            2,
            "claimtrack report: error: argument --since: cannot read 'someday' as a date",
        ),
        (["--since", "last year"], 2, "claimtrack report: error: argument --since: cannot read"),
        (["--format", "pdf"], 2, "claimtrack report: error: argument --format: invalid choice"),
        (["--subject", "nowhere"], 1, "claimtrack: error: unknown subject 'nowhere'"),
        (["-o", "no/such/folder/report.md"], 1, "claimtrack: error: cannot write no/such/folder"),
    ],
    ids=["bad-date", "relative-date", "bad-format", "unknown-subject", "unwritable"],
)
def test_cli_report_errors_are_one_line(argv: list[str], status: int, message: str) -> None:
    actual_status, out, err = run(["report", DATA_ARG, *argv])
    assert (status, "") == (actual_status, out)
    assert 1 == len(err.splitlines()), err
    assert err.startswith(message), err


def test_cli_report_of_a_missing_folder_is_one_line() -> None:
    assert (1, "", "claimtrack: error: nowhere: no such file or folder\n") == run(
        ["report", "nowhere"]
    )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_after_the_delay() -> None:
    err = _Terminal()
    with Progress(err, delay=0) as progress:
        progress.step("loading claims")
        progress.step("comparing")
    assert "claimtrack: loading claims…\nclaimtrack: comparing…\n" == err.getvalue()


def test_progress_is_quiet_for_quick_runs_and_pipes() -> None:
    quick, pipe = _Terminal(), io.StringIO()
    with Progress(quick, delay=60) as progress:
        progress.step("comparing")
    with Progress(pipe, delay=0) as progress:
        progress.step("comparing")
    assert ("", "") == (quick.getvalue(), pipe.getvalue())


# --- the docs show real output -----------------------------------------------------------------


def test_docs_show_real_report_lines(bundled_folder: Path) -> None:
    """Each ```text from="claimtrack ..." block in docs/*.md and README.md holds lines of that
    command's real output (``…`` stands for lines left out), ``claims`` being the bundled claims:
    a user's file in claims/ changes nothing, a change to the bundled ones needs
    ``python -m tests.regenerate_docs``."""
    shown = 0
    for page in regenerate_docs.pages():
        for m in regenerate_docs.SHOWN.finditer(page.read_text(encoding="utf-8")):
            lines = regenerate_docs.output(m.group(1), bundled_folder)
            for line in m.group(2).splitlines():
                if line.strip() not in ("", "…"):
                    assert line in lines, (
                        f"{page.name}: not in `{m.group(1)}`: {line!r}; "
                        "run `.venv/bin/python -m tests.regenerate_docs` and review the diff"
                    )
                    shown += 1
    assert shown > 10


def test_readme_starts_with_the_report() -> None:
    """The README's first command ends in ``claimtrack report claims``; the test command stays."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (
        "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/claimtrack report claims\n"
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && "
        ".venv/bin/python -m pytest -q\n"
    ) in readme


def test_a_comparison_of_a_frame_needs_the_claims(claims: claimtrack.ClaimSet) -> None:
    from_frame = claimtrack.compare(claims.to_frame())
    assert from_frame.claims is None
    with pytest.raises(ValueError, match="pass the ClaimSet"):
        report(from_frame)
    text = report(from_frame, claims)
    assert text.startswith("Claims report")
    assert "24 claims from 4 sources about 10 subjects" in text


# --- the package's shape -----------------------------------------------------------------------

REPORT = ROOT / "claimtrack" / "report"
LAYERS = (
    {"_cells", "_focus", "_select"},
    {"_groups", "_lines"},
    {"_model"},
    {"_rows", "_timeline", "_tables"},
    {"_text", "_markdown", "_html"},
    {"_render"},
    {"__init__"},
)
"""The modules of ``claimtrack/report/``, each layer importing only from the layers before it."""


def _report_imports(path: Path) -> set[str]:
    """The modules of ``claimtrack.report`` that the Python file at ``path`` imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "claimtrack.report":
                found |= {a.name if a.name.startswith("_") else "__init__" for a in node.names}
            elif node.module.startswith("claimtrack.report."):
                found.add(node.module.removeprefix("claimtrack.report."))
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("claimtrack.report.")
                for a in node.names
                if a.name.startswith("claimtrack.report.")
            }
    return found


def test_report_modules_import_one_way() -> None:
    """Model, then renderers, then ``report()``, then the front door: no module imports a module
    of its own layer or a later one, so no renderer imports another or the front door."""
    assert {p.stem for p in REPORT.glob("*.py")} == set().union(*LAYERS)
    for i, layer in enumerate(LAYERS):
        allowed = set().union(*LAYERS[:i])
        for name in sorted(layer):
            assert set() == _report_imports(REPORT / f"{name}.py") - allowed, name


def test_outside_code_imports_the_report_front_door_only() -> None:
    outside = [
        p
        for folder in ("claimtrack", "tests", "benchmarks")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if REPORT not in p.parents
    ]
    for path in outside:
        assert _report_imports(path) <= {"__init__"}, path


def test_reports_show_every_claimant_and_a_hedged_attribution() -> None:
    """Issue 16: "X and Y said" and the reporter's "reportedly" are recorded, and shown: every
    claimant of a claim, and how the attribution is hedged, in the claim tables of each format."""
    claims = claimtrack.load(MINI)
    first = next(iter(claims))
    others = [e.id for e in claims.entities if e.id != first.claimant][:1]
    hedged = attrs.evolve(
        first, co_claimants=tuple(others), attribution=claimtrack.Attribution.REPORTED
    )
    claims = attrs.evolve(claims, claims=[hedged, *(c for c in claims if c.id != first.id)])
    who = f"{first.claimant} and {others[0]} (reported)"
    comparison = claimtrack.compare(claims)
    assert who in claimtrack.report(comparison)
    assert who in claimtrack.report(comparison, format="md")
    assert "(reported)" in claimtrack.report(comparison, format="html")


def test_the_report_command_selects_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: the command line selected the claims, then report() selected them again;
    ``report(claims, subjects=...)`` selects once and compares the selection once."""
    model = importlib.import_module("claimtrack.report._model")  # the package, not the function
    calls: list[object] = []
    real = model.select

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(kwargs)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(model, "select", counting)
    out, err = io.StringIO(), io.StringIO()
    argv = ["report", str(MINI), "--subject", "xinjiang-detainees"]
    assert 0 == main(argv, stdout=out, stderr=err)
    assert 1 == len(calls)
    claims = claimtrack.load(MINI)
    by_claims = claimtrack.report(claims, subjects="xinjiang-detainees")
    assert by_claims == out.getvalue()

"""What notebooks show: ``Comparison._repr_html_`` and a report finding's ``_repr_html_``, every
cell escaped once (markup, control and bidi characters shown, never rendered)."""

from __future__ import annotations

import attrs

import claimtrack
from claimtrack.report import group_findings
from tests.conftest import MINI, load_bundled


def _hostile() -> claimtrack.Comparison:
    """The mini claims with a second UN figure whose words hold markup and a bidi override."""
    claims = claimtrack.load(MINI)
    un = claims["rferl-2019-zhanaozen:un-detainees"]
    other = attrs.evolve(
        un,
        id="rferl-2019-zhanaozen:other",
        claimant="rferl",
        value=attrs.evolve(
            claimtrack.Estimate.parse("at least 5 million"), text="<b>5\u202e million</b>"
        ),
    )
    return claimtrack.compare(attrs.evolve(claims, claims=[*claims, other]))


def test_a_comparison_shows_its_findings_and_subjects_as_tables() -> None:
    result = claimtrack.compare(load_bundled())
    html = result._repr_html_()
    n = len(result.findings())
    assert html.startswith(f"<table><caption>{n} findings</caption>")
    assert 2 == html.count("<table>")
    assert "<th>independent origins</th>" in html
    first = result.findings().iloc[0]
    assert f"<td>{first['claim_a']}</td><td>{first['claim_b']}</td>" in html


def test_a_comparison_escapes_every_cell_once() -> None:
    html = _hostile()._repr_html_()
    assert "<b>" not in html and "\u202e" not in html
    assert "&lt;b&gt;5\\u202e million&lt;/b&gt;" in html
    assert "&amp;lt;" not in html  # escaped once, not twice


def test_a_long_comparison_stops_at_50_rows() -> None:
    result = claimtrack.compare(load_bundled())
    found = len(result.findings())
    assert found < 50  # the bundled data: every finding shown
    assert "more</td></tr>" not in result._repr_html_().split("</table>")[0]


def test_a_report_finding_shows_its_pairs() -> None:
    result = _hostile()
    claims = result.claims
    assert claims is not None
    finding = group_findings(result.findings(), claims)[0]
    html = finding._repr_html_()
    assert html.startswith(f"<table><caption>{finding.verdict.value}: xinjiang-detainees: ")
    assert (
        "<td>rferl-2019-zhanaozen:other</td>" in html
        or "<td>rferl-2019-zhanaozen:un-detainees</td>" in html
    )
    assert "\u202e" not in html and "<b>" not in html


def test_a_claim_sets_table_shows_bidi_characters_as_escapes() -> None:
    """Regression: the claim table escaped markup but wrote a bidi override raw."""
    claims = claimtrack.load(MINI)
    first = claims.claims[0]
    hostile = attrs.evolve(first, value=attrs.evolve(first.value, text="1\u202e million"))
    html = attrs.evolve(claims, claims=[hostile])._repr_html_()
    assert "\u202e" not in html and "1\\u202e million" in html

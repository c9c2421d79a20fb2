"""ClaimSet._repr_html_: the HTML table notebooks show."""

from __future__ import annotations

from pathlib import Path

import attrs

import claimtrack

MINI = Path(__file__).resolve().parent / "data" / "mini"


def test_html_has_one_row_per_claim_with_its_provenance() -> None:
    claims = claimtrack.load(MINI)
    html = claims._repr_html_()
    assert html.startswith("<table><caption>4 claims from 1 source</caption>")
    assert 4 == html.count("<tr><td>")
    assert (
        "<td>an estimated 1 million</td><td>un</td><td>rferl-2019-zhanaozen</td><td>2018</td>"
        in html
    )
    assert "<td>china denies</td>" in html


def test_html_escapes_every_cell() -> None:
    claims = claimtrack.load(MINI)
    first = claims.claims[0]
    hostile = attrs.evolve(first, value=attrs.evolve(first.value, text="<script>alert(1)</script>"))
    html = attrs.evolve(claims, claims=[hostile])._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_stops_at_50_rows_and_says_how_many_more() -> None:
    claims = claimtrack.load(MINI)
    first = claims.claims[0]
    many = [attrs.evolve(first, id=f"{first.source}:n{i}") for i in range(60)]
    html = attrs.evolve(claims, claims=many)._repr_html_()
    assert 50 == html.count("<tr><td>")
    assert '<tr><td colspan="6">and 10 more</td></tr>' in html
    assert "60 claims from 1 source" in html

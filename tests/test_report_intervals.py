"""One interval route: a report's claim lines and pair lines give the same interval for a claim,
whatever hedge widths the comparison used (issue 14)."""

from __future__ import annotations

import attrs
import pytest

import claimtrack
from tests.conftest import load_bundled

WIDE = attrs.evolve(
    claimtrack.DEFAULT_COMPARE_POLICY,
    hedges=attrs.evolve(claimtrack.DEFAULT_HEDGE_POLICY, approximate=0.5),
)


@pytest.mark.parametrize("given", ["comparison's claims", "claims passed again"])
def test_rehedged_report_claim_table_matches_its_pair_lines(given: str) -> None:
    """Regression: with approximate=0.5 the claim table showed "some 1.5 million
    1,275,000–1,725,000" (the file's interval) while the pair line under it read
    (750,000–2,250,000)."""
    claims = load_bundled().filter(subject="kazakhs-in-xinjiang")
    comparison = claimtrack.compare(claims, WIDE)
    text = claimtrack.report(comparison, None if given == "comparison's claims" else claims)
    assert "750,000–2,250,000" in text
    assert "1,275,000–1,725,000" not in text

"""Laws of claimtrack draft over any text: quotes are spans of it, and the file reads back."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.draft import DraftError, draft

CLAIMS = Path(__file__).resolve().parent / "data" / "draft" / "claims"

WORDS = [
    "Dolgova", "said", "denies", "that", "the", "union", "according", "to", "Port", "Authority",
    "about", "1,500", "as", "many", "as", "2,000", "workers", "on", "March", "2", "a", "day",
    "earlier", "for", "the", "12th", "day", "last", "week", "“", "”", '"', "'s", ",", ".", "!",
    "?", "--", "\n", "\n\n", "Breaking News", "0:00", "U.S.", "dozens", "of", "Monday", "é",
    "\u2009", "\u2028", "\u0085", "\t", "\r\n", "\ufeff", "$", "Mr.", "told", "Coast", "Radio",
]  # fmt: skip

texts = st.lists(st.sampled_from(WORDS) | st.text(max_size=4), min_size=1, max_size=60).map(
    " ".join
)


@given(texts)
def test_every_quote_is_a_span_of_the_text(text: str) -> None:
    try:
        result = draft(text.encode("utf-8", "surrogatepass"), into=CLAIMS, published="2024-03-14")
    except DraftError:
        return  # binary, control characters, only white space: refused in one line
    for claim in result.claims:
        assert claim.quote == result.text[claim.start : claim.end]
        assert claim.quote.strip() == claim.quote and claim.quote


@given(texts)
def test_the_claim_file_reads_back_with_the_same_quotes(text: str) -> None:
    try:
        result = draft(text.encode("utf-8", "surrogatepass"), into=CLAIMS, published="2024-03-14")
    except DraftError:
        return
    data = yaml.safe_load(result.yaml)
    assert [c.quote for c in result.claims] == [c["quote"] for c in data["claims"] or []]
    assert [[c.start, c.end] for c in result.claims] == [
        c["draft"]["offsets"] for c in data["claims"] or []
    ]

"""Checking that every quote is verbatim in the archived text of its source.

Claim files keep short quotes; the full texts stay outside the project, in a folder where each
source's ``text_file`` names its copy. :func:`verify` finds each quote in that copy character for
character. A quote found only after folding white space (no-break and thin spaces, line breaks)
and quote characters (’ ‘ “ ” against ' ") is reported as ``normalised``, with the offset where it
stands, so the claim file can be corrected: it still fails, because quotes must be verbatim.
"""

from __future__ import annotations

import enum
import hashlib
import os
import re
from pathlib import Path

import attrs

from claimtrack.claimset import ClaimSet


class QuoteStatus(enum.StrEnum):
    """The outcome of looking for one quote."""

    FOUND = "found"
    """Character for character at ``offset``."""
    NORMALISED = "normalised"
    """Only after folding white space and quote characters; the quote is not verbatim."""
    NOT_FOUND = "not_found"
    """Not in the text at all."""
    NO_TEXT = "no_text"
    """The source has no archived text to check against (no ``text_file``, or it is missing)."""


class TextStatus(enum.StrEnum):
    """The outcome of checking one source's archived text."""

    OK = "ok"
    """Present, and its SHA-256 matches ``text_sha256``."""
    UNFINGERPRINTED = "unfingerprinted"
    """Present, but the source records no ``text_sha256`` to compare with."""
    CHANGED = "changed"
    """Present, but it is not the text the claims were curated from (the SHA-256 differs)."""
    MISSING = "missing"
    """``text_file`` is named but not found in the texts folder."""
    NOT_ARCHIVED = "not_archived"
    """The source names no ``text_file``."""


_FAILING_QUOTES = {QuoteStatus.NORMALISED, QuoteStatus.NOT_FOUND}
_FAILING_TEXTS = {TextStatus.CHANGED, TextStatus.MISSING}


@attrs.frozen
class QuoteCheck:
    """Where one claim's quote was found in its source's text, if anywhere."""

    claim: str
    source: str
    status: QuoteStatus
    offset: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True unless the quote is missing or not verbatim."""
        return self.status not in _FAILING_QUOTES


@attrs.frozen
class TextCheck:
    """The archived text of one source: present, and unchanged since curation?"""

    source: str
    text_file: str | None
    status: TextStatus
    expected_sha256: str | None = None
    actual_sha256: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the text is missing or changed."""
        return self.status not in _FAILING_TEXTS


@attrs.frozen
class Verification:
    """The result of :func:`verify`: one check per source text and one per claim."""

    texts: tuple[TextCheck, ...]
    quotes: tuple[QuoteCheck, ...]

    @property
    def ok(self) -> bool:
        """True when every text is present and unchanged and every quote is verbatim."""
        return all(t.ok for t in self.texts) and all(q.ok for q in self.quotes)

    @property
    def problems(self) -> list[TextCheck | QuoteCheck]:
        """The failing checks, texts first."""
        return [t for t in self.texts if not t.ok] + [q for q in self.quotes if not q.ok]


_FOLD = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'}
)
_SPACE = re.compile(r"\s+")


def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` with white space runs as one space and quotes folded, and each char's origin."""
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for match in _SPACE.finditer(text):
        for i in range(pos, match.start()):
            out.append(text[i])
            origin.append(i)
        out.append(" ")
        origin.append(match.start())
        pos = match.end()
    for i in range(pos, len(text)):
        out.append(text[i])
        origin.append(i)
    return "".join(out).translate(_FOLD), origin


def _describe_difference(quote: str, found: str) -> str:
    """Name the first character that differs; when white space runs differ in length, compare
    with them folded, so one extra space does not shift everything after it."""
    quote = quote.strip()
    if len(quote) != len(found):
        quote, found = _SPACE.sub(" ", quote), _SPACE.sub(" ", found)
    for a, b in zip(quote, found, strict=False):
        if a != b:
            return f"quote has {a!r} (U+{ord(a):04X}) where the text has {b!r} (U+{ord(b):04X})"
    return "the quote differs from the text in white space"


def find_quote(quote: str, text: str) -> tuple[QuoteStatus, int | None, str]:
    """Look for ``quote`` in ``text``: ``(status, offset in text, detail)``."""
    offset = text.find(quote)
    if offset >= 0:
        return QuoteStatus.FOUND, offset, ""
    norm_text, origin = _normalise(text)
    norm_quote, _ = _normalise(quote.strip())
    at = norm_text.find(norm_quote)
    if at < 0:
        return QuoteStatus.NOT_FOUND, None, "not in the text, even after normalising"
    start = origin[at]
    end = origin[at + len(norm_quote) - 1] + 1
    return QuoteStatus.NORMALISED, start, _describe_difference(quote, text[start:end])


def _read_text(path: Path) -> tuple[str | None, str | None]:
    try:
        raw = path.read_bytes()
    except OSError:
        return None, None
    return raw.decode("utf-8", errors="replace"), hashlib.sha256(raw).hexdigest()


def verify(claims: ClaimSet, texts: str | os.PathLike[str]) -> Verification:
    """Check every quote of ``claims`` against the archived texts in folder ``texts``.

    Each source's ``text_file`` is looked up in ``texts``; its SHA-256 is compared with the
    source's ``text_sha256`` when that is recorded.
    """
    folder = Path(texts)
    text_checks: list[TextCheck] = []
    contents: dict[str, str] = {}
    for source in claims.sources.values():
        if source.text_file is None:
            text_checks.append(TextCheck(source.id, None, TextStatus.NOT_ARCHIVED))
            continue
        content, digest = _read_text(folder / source.text_file)
        if content is None:
            text_checks.append(TextCheck(source.id, source.text_file, TextStatus.MISSING))
            continue
        contents[source.id] = content
        if source.text_sha256 is None:
            status = TextStatus.UNFINGERPRINTED
        else:
            status = TextStatus.OK if digest == source.text_sha256 else TextStatus.CHANGED
        text_checks.append(
            TextCheck(source.id, source.text_file, status, source.text_sha256, digest)
        )
    quote_checks = []
    for claim in claims:
        content = contents.get(claim.source)
        if content is None:
            quote_checks.append(QuoteCheck(claim.id, claim.source, QuoteStatus.NO_TEXT))
            continue
        found, offset, detail = find_quote(claim.quote, content)
        quote_checks.append(QuoteCheck(claim.id, claim.source, found, offset, detail))
    return Verification(tuple(text_checks), tuple(quote_checks))

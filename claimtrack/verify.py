"""Checking that every quote is verbatim in the archived text of its source.

Claim files keep short quotes; the full texts stay outside the project, in a folder where each
source's ``text_file`` names its copy. :func:`verify` finds each quote in that copy character for
character. A quote found only after folding white space (no-break and thin spaces, line breaks)
and quote characters (’ ‘ “ ” against ' ") is reported as ``normalised``, with the offset where it
stands, so the claim file can be corrected: it still fails, because quotes must be verbatim.

Only files inside the texts folder are read: a ``text_file`` that is absolute, climbs out with
``..`` or is a symbolic link leading out is refused (``outside``). Only regular files of at most
:data:`MAX_TEXT_BYTES` are read, never a FIFO, a device or a folder (``not_a_file``,
``too_large``), and a text must be UTF-8 (``not_text``). Each text is normalised once, and every
search is a plain substring search, so a quote that is absent costs time linear in the text.

A drafted claim (a ``draft:`` block with ``offsets``, as ``claimtrack draft`` writes it) is also
re-sliced from its text by those offsets: offsets that no longer slice the quote fail as
``draft_offsets``, and every drafted quote of a text whose SHA-256 is not the one it was drafted
from fails as ``draft_text_changed``; both name the file and line of the draft block.
"""

from __future__ import annotations

import bisect
import enum
import hashlib
import os
import re
from pathlib import Path

import attrs

from claimtrack._read import ReadRefused, read_bounded
from claimtrack._yaml import wide_encoding
from claimtrack.claim import DraftMark
from claimtrack.claimset import ClaimSet
from claimtrack.errors import TextCheckError

MAX_TEXT_BYTES = 64 * 1024 * 1024
"""The largest archived text read (64 MiB); larger ones are reported ``too_large``."""


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
    DRAFT_OFFSETS = "draft_offsets"
    """A drafted quote (a ``draft:`` block with ``offsets``) that its offsets no longer slice
    from the text: the claim file or the text was edited after drafting."""
    DRAFT_TEXT_CHANGED = "draft_text_changed"
    """A drafted quote whose text changed since it was drafted (its SHA-256 differs from the
    source's ``text_sha256``): its offsets refer to another text."""


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
    OUTSIDE = "outside"
    """``text_file`` leads outside the texts folder (absolute, ``..``, or a link): not read."""
    NOT_A_FILE = "not_a_file"
    """``text_file`` is a folder, a FIFO, a device or a socket: not read."""
    TOO_LARGE = "too_large"
    """The text is larger than :data:`MAX_TEXT_BYTES`: not read."""
    NOT_TEXT = "not_text"
    """The file is not UTF-8 text (binary, UTF-16, another encoding)."""
    UNREADABLE = "unreadable"
    """The file exists but cannot be read (permissions, an I/O error)."""


_FAILING_QUOTES = {
    QuoteStatus.NORMALISED,
    QuoteStatus.NOT_FOUND,
    QuoteStatus.DRAFT_OFFSETS,
    QuoteStatus.DRAFT_TEXT_CHANGED,
}
_FAILING_TEXTS = {
    TextStatus.CHANGED,
    TextStatus.MISSING,
    TextStatus.OUTSIDE,
    TextStatus.NOT_A_FILE,
    TextStatus.TOO_LARGE,
    TextStatus.NOT_TEXT,
    TextStatus.UNREADABLE,
}


@attrs.frozen
class QuoteCheck:
    """Where one claim's quote was found in its source's text, if anywhere."""

    claim: str
    source: str
    status: QuoteStatus
    offset: int | None = None
    detail: str = ""
    found: str | None = None
    """For a ``normalised`` quote, the text's own characters where it stands (what
    ``claimtrack verify --fix`` writes into the claim file)."""

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
    detail: str = ""
    """Why the text was not read, when it was not ("not UTF-8 text (byte 0xff at offset 0)")."""

    @property
    def ok(self) -> bool:
        """True unless the text is missing, changed, or could not be read."""
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


def _normalise(text: str) -> str:
    """``text`` with white space runs as one space and quotes folded (offsets map back through
    :meth:`_Text.origin`)."""
    return _SPACE.sub(" ", text).translate(_FOLD)


def folded(quote: str) -> str:
    """``quote`` as it is compared when it is not verbatim: stripped, every run of white space as
    one space, and the quote marks folded (a ``normalised`` quote's folded form is its text's)."""
    return _normalise(quote.strip())


class _Text:
    """An archived text, normalised once for every quote looked up in it."""

    _STRIDE = 1024

    def __init__(self, text: str) -> None:
        self.text = text
        self._norm: str | None = None
        self._marks: tuple[list[int], list[int], list[int]] | None = None

    @property
    def norm(self) -> str:
        if self._norm is None:
            self._norm = _normalise(self.text)
        return self._norm

    def origin(self, pos: int) -> int:
        """The offset in the text of the character at ``pos`` in the normalised text."""
        if self._marks is None:  # every STRIDE-th run of white space: where it starts, both ways
            norm_at, orig_at, removed_at = [0], [0], [0]
            removed = 0
            for n, match in enumerate(_SPACE.finditer(self.text)):
                if n % self._STRIDE == 0:
                    norm_at.append(match.start() - removed)
                    orig_at.append(match.start())
                    removed_at.append(removed)
                removed += match.end() - match.start() - 1
            self._marks = norm_at, orig_at, removed_at
        norm_at, orig_at, removed_at = self._marks
        i = bisect.bisect_right(norm_at, pos) - 1
        removed = removed_at[i]
        for match in _SPACE.finditer(self.text, orig_at[i]):
            at = match.start() - removed
            if pos <= at:
                return pos + removed
            removed += match.end() - match.start() - 1
        return pos + removed

    def find(self, quote: str) -> tuple[QuoteStatus, int | None, str]:
        return self.locate(quote)[:3]

    def locate(self, quote: str) -> tuple[QuoteStatus, int | None, str, str | None]:
        """:meth:`find`, and the text's own characters where a normalised quote stands."""
        offset = self.text.find(quote)
        if offset >= 0:
            return QuoteStatus.FOUND, offset, "", None
        norm_quote = _normalise(quote.strip())
        at = self.norm.find(norm_quote) if norm_quote else -1
        if at < 0:
            return QuoteStatus.NOT_FOUND, None, "not in the text, even after normalising", None
        start = self.origin(at)
        end = self.origin(at + len(norm_quote) - 1) + 1
        found = self.text[start:end]
        return QuoteStatus.NORMALISED, start, _describe_difference(quote, found), found


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
    return _Text(text).find(quote)


def _inside(folder: Path, text_file: str) -> Path | None:
    """The real path of ``text_file`` in ``folder``, or None when it leads outside."""
    if os.path.isabs(text_file):
        return None
    try:
        real = (folder / text_file).resolve()
        inside = real.is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL in the name
        return None
    return real if inside else None


_REFUSED = {
    "missing": TextStatus.MISSING,
    "not_a_file": TextStatus.NOT_A_FILE,
    "too_large": TextStatus.TOO_LARGE,
    "unreadable": TextStatus.UNREADABLE,
}


def _check_text(
    folder: Path, source_id: str, text_file: str, expected: str | None
) -> TextCheck | tuple[str, str]:
    """The failed check of one source's text, or the text and its SHA-256 when it can be
    checked."""
    real = _inside(folder, text_file)
    if real is None:
        return TextCheck(
            source_id,
            text_file,
            TextStatus.OUTSIDE,
            expected,
            detail=f"leads outside the texts folder {folder}: not read",
        )
    try:
        raw = read_bounded(real, MAX_TEXT_BYTES)
    except ReadRefused as exc:
        detail = "" if exc.kind == "missing" else exc.reason
        return TextCheck(source_id, text_file, _REFUSED[exc.kind], expected, detail=detail)
    digest = hashlib.sha256(raw).hexdigest()
    wide = wide_encoding(raw)
    nul = raw.find(b"\x00")
    problem = None
    if wide is not None:
        problem = f"{wide} text: save it as UTF-8"
    elif nul >= 0:
        problem = f"not a text file (a NUL byte at offset {nul})"
    else:
        try:
            return raw.decode("utf-8"), digest
        except UnicodeDecodeError as exc:
            problem = f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
    return TextCheck(source_id, text_file, TextStatus.NOT_TEXT, expected, digest, problem)


def verify(claims: ClaimSet, texts: str | os.PathLike[str]) -> Verification:
    """Check every quote of ``claims`` against the archived texts in folder ``texts``.

    Each source's ``text_file`` is looked up in ``texts``; its SHA-256 is compared with the
    source's ``text_sha256`` when that is recorded. Raises
    :class:`~claimtrack.errors.TextCheckError` when ``texts`` is not a folder.
    """
    if os.fspath(texts) == "":
        raise TextCheckError("''", "empty path: name the folder of archived texts")
    folder = Path(texts)
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "no such folder"
        raise TextCheckError(str(folder), f"{what}: --texts names the folder of archived texts")
    text_checks: list[TextCheck] = []
    contents: dict[str, _Text] = {}
    for source in claims.sources.values():
        if source.text_file is None:
            text_checks.append(TextCheck(source.id, None, TextStatus.NOT_ARCHIVED))
            continue
        found = _check_text(folder, source.id, source.text_file, source.text_sha256)
        if isinstance(found, TextCheck):
            text_checks.append(found)
            continue
        content, digest = found
        contents[source.id] = _Text(content)
        if source.text_sha256 is None:
            status = TextStatus.UNFINGERPRINTED
        else:
            status = TextStatus.OK if digest == source.text_sha256 else TextStatus.CHANGED
        text_checks.append(
            TextCheck(source.id, source.text_file, status, source.text_sha256, digest)
        )
    changed = {t.source for t in text_checks if t.status is TextStatus.CHANGED}
    quote_checks = []
    for claim in claims:
        text = contents.get(claim.source)
        if text is None:
            quote_checks.append(QuoteCheck(claim.id, claim.source, QuoteStatus.NO_TEXT))
            continue
        status_, offset, detail, span = text.locate(claim.quote)
        check = QuoteCheck(claim.id, claim.source, status_, offset, detail, span)
        if claim.draft is not None and claim.draft.offsets is not None:
            check = _check_draft(
                check, claim.draft, claim.quote, text.text, claim.source in changed
            )
        quote_checks.append(check)
    return Verification(tuple(text_checks), tuple(quote_checks))


def _check_draft(
    check: QuoteCheck, draft: DraftMark, quote: str, text: str, text_changed: bool
) -> QuoteCheck:
    """A drafted quote re-sliced from its text by its recorded offsets: the check of
    :func:`verify` when the offsets still slice the quote from the text it was drafted from,
    else a failing check that says where the draft block is and what it slices now."""
    assert draft.offsets is not None
    start, end = draft.offsets
    sliced = text[start:end]
    if sliced == quote and not text_changed:
        return check
    where = f"{draft.location}: " if draft.location else ""
    found = (
        f"the quote is at offset {check.offset}"
        if check.status is QuoteStatus.FOUND
        else "the quote is not verbatim in the text"
    )
    if sliced == quote:
        now = f"draft.offsets [{start}, {end}] still slice the quote"
    elif end > len(text):
        now = f"draft.offsets [{start}, {end}] run past the text's end ({len(text):,} characters)"
    else:
        now = f"draft.offsets [{start}, {end}] slice {_excerpt(sliced)}, not the quote; {found}"
    if text_changed:
        return attrs.evolve(
            check,
            status=QuoteStatus.DRAFT_TEXT_CHANGED,
            detail=f"{where}the text changed since this quote was drafted (its SHA-256 differs "
            f"from text_sha256); {now}: review the claim against the text and draft it again",
        )
    return attrs.evolve(
        check,
        status=QuoteStatus.DRAFT_OFFSETS,
        detail=f"{where}{now}: correct the offsets or draft the claim again",
    )


def _excerpt(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")

r"""Correcting quotes that differ from their source's text only in white space or quote marks.

:func:`claimtrack.verify` reports a quote as ``normalised`` when it is found in the archived text
only after folding (see :mod:`claimtrack.verify`): every run of white space as one space (no-break,
thin and other Unicode spaces, tabs, line breaks, double spaces) and the quote marks ’ ‘ ʼ as ``'``
and “ ” „ « » as ``"``. Nothing else is folded: not dashes (a hyphen and an en dash are different
characters in a quote, and a minus sign is not a hyphen), not letters, not zero-width characters.
Such a quote's characters can be taken from the text without changing what it says.

:func:`quote_fixes` lists those corrections, each with the exact characters of the quote and of
the text (:func:`shown`: invisible characters as escapes, as a double-quoted YAML string writes
them), and :func:`write_fixes` writes them into the claim files. Only the quote's YAML scalar is
rewritten, in place: every other byte of the file (comments, order, layout, line endings, a
byte-order mark) stays as it was, and each file is replaced atomically. A quote not found even
after folding is never "fixed", nor one whose text is not the one the claims were curated from.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import yaml

from claimtrack._read import ReadRefused, read_bounded
from claimtrack._safe_text import UNSAFE, escape_of
from claimtrack._scan import claim_files
from claimtrack._write import write_atomic
from claimtrack._yaml import MAX_BYTES, read_document
from claimtrack.errors import ClaimFileError
from claimtrack.verify import QuoteStatus, TextStatus, Verification, folded

_BOM = "\ufeff"
_FIXABLE_TEXTS = {TextStatus.OK, TextStatus.UNFINGERPRINTED}


@attrs.frozen
class QuoteFix:
    """One quote to correct: where it is written and the text's characters to write instead."""

    claim: str
    path: Path
    line: int
    quote: str
    """The quote as the claim file has it."""
    text: str
    """The same span as the archived text has it, character for character."""

    def differences(self) -> list[str]:
        """What differs, character by character: ``at 18: the text has " " (U+0020 SPACE)
        where the quote has "\\xa0" (U+00A0 NO-BREAK SPACE)``."""
        return differences(self.quote, self.text)


@attrs.frozen
class Refusal:
    """A failing quote that is not corrected, and why."""

    claim: str
    reason: str


def shown(value: str) -> str:
    r"""``value`` as a double-quoted YAML string, every character that is not visible as itself
    written as its escape: a no-break space as ``\xa0``, a tab as ``\t``, a line feed as
    ``\n``. Curly quotes are visible and stay as they are."""
    out = []
    for char in value:
        if char in '\\"':
            out.append("\\" + char)
        elif char != " " and (char.isspace() or UNSAFE.match(char)):
            out.append(escape_of(char))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}"


def differences(quote: str, text: str) -> list[str]:
    """The characters in which ``quote`` and ``text`` differ, each at its offset in ``text``,
    aligned by white space runs (one extra space does not shift everything after it)."""
    out: list[str] = []
    qi = ti = 0
    while qi < len(quote) or ti < len(text):
        q = quote[qi] if qi < len(quote) else ""
        t = text[ti] if ti < len(text) else ""
        if q.isspace() or t.isspace():
            qj, tj = qi, ti
            while qj < len(quote) and quote[qj].isspace():
                qj += 1
            while tj < len(text) and text[tj].isspace():
                tj += 1
            if quote[qi:qj] != text[ti:tj]:
                out.append(
                    f"at {ti}: the text has {_described(text[ti:tj])} where the quote has "
                    f"{_described(quote[qi:qj])}"
                )
            qi, ti = qj, tj
            continue
        if q != t:
            out.append(f"at {ti}: the text has {_described(t)} where the quote has {_described(q)}")
        qi, ti = qi + 1, ti + 1
    return out


def _described(run: str) -> str:
    """``"’" (U+2019 RIGHT SINGLE QUOTATION MARK)``; ``"  " (2 spaces)``; ``"" (nothing)``."""
    if not run:
        return '"" (nothing)'
    if len(run) == 1:
        return f"{shown(run)} ({_name(run)})"
    if len(set(run)) == 1:
        return f"{shown(run)} ({len(run)} × {_name(run[0])})"
    return shown(run)


def quote_fixes(
    path: str | os.PathLike[str], verification: Verification
) -> tuple[list[QuoteFix], list[Refusal]]:
    """The corrections of the ``normalised`` quotes of :func:`~claimtrack.verify` 's
    ``verification`` of the claims at ``path``, and the failing quotes that are not corrected.

    A quote is corrected when it differs from its text only in white space and quote marks, and
    the text is the one the claims were curated from (its SHA-256 matches, or none is recorded).
    """
    texts = {t.source: t for t in verification.texts}
    wanted: dict[str, str] = {}
    refused: list[Refusal] = []
    for check in verification.quotes:
        if check.status is QuoteStatus.NOT_FOUND:
            refused.append(
                Refusal(
                    check.claim,
                    "not in the text even after folding white space and quote "
                    "marks: correct it by hand",
                )
            )
        elif check.status is QuoteStatus.NORMALISED:
            text = texts[check.source]
            if text.status not in _FIXABLE_TEXTS:
                refused.append(
                    Refusal(
                        check.claim,
                        f"the source's text is {text.status.value}: not corrected against it",
                    )
                )
            elif (
                check.found is None
            ):  # pragma: no cover - verify sets it for every normalised quote
                refused.append(Refusal(check.claim, "the text's characters are not known"))
            else:
                wanted[check.claim] = check.found
    fixes = []
    located = set()
    if wanted:
        for file in claim_files(path):
            for claim, (line, quote) in _quotes(file, set(wanted)).items():
                located.add(claim)
                if folded(quote) != folded(wanted[claim]):  # another file with the same claim id
                    refused.append(
                        Refusal(claim, f"{file}:{line} does not have the quote that was verified")
                    )
                    continue
                fixes.append(QuoteFix(claim, file, line, quote, wanted[claim]))
    refused += [
        Refusal(claim, f"its quote is not in a claim file at {path}: correct it by hand")
        for claim in wanted
        if claim not in located
    ]
    return fixes, refused


def _quotes(file: Path, ids: set[str]) -> dict[str, tuple[int, str]]:
    """The line and the quote of each claim of ``ids`` that ``file`` holds."""
    try:
        text = _read(file)
    except ClaimFileError:
        return {}
    out = {}
    for claim, span in _spans(text).items():
        if claim in ids:
            out[claim] = (span.line, span.value)
    return out


def _read(file: Path) -> str:
    try:  # bounded, as load reads it: a FIFO or a device is refused, never read
        raw = read_bounded(file, MAX_BYTES)
    except ReadRefused as exc:
        raise ClaimFileError(str(file), None, "", exc.reason) from None
    read_document(str(file), raw)  # refuses what claim files may not hold, with its line
    return raw.decode("utf-8")


@attrs.frozen
class _Span:
    start: int
    end: int
    value: str
    style: str | None
    line: int


def _spans(text: str) -> dict[str, _Span]:
    """The ``quote`` scalar of every claim of the claim file ``text``, by claim id, with its place
    in ``text`` (character offsets, as PyYAML's pure-Python parser counts them)."""
    body = text.removeprefix(_BOM)
    shift = len(text) - len(body)
    events = iter(yaml.parse(body, Loader=yaml.SafeLoader))
    found: dict[str, _Span] = {}
    claims: dict[str | int, Any] = {}
    _walk(events, (), claims)
    for item in claims.values():
        if isinstance(item, dict) and isinstance(item.get("id"), _Span):
            quote = item.get("quote")
            if isinstance(quote, _Span):
                found[item["id"].value] = attrs.evolve(
                    quote, start=quote.start + shift, end=quote.end + shift
                )
    return found


def _walk(events: Iterator[Any], path: tuple[str | int, ...], claims: dict[str | int, Any]) -> None:
    """Record in ``claims`` (by index) the ``id`` and ``quote`` scalars of each item of the
    top-level ``claims`` list."""
    for event in events:
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            _collection(events, event, path, claims)
            return


def _collection(
    events: Iterator[Any], start: Any, path: tuple[str | int, ...], claims: dict[str | int, Any]
) -> None:
    mapping = isinstance(start, yaml.MappingStartEvent)
    index = 0
    key: str | None = None
    for event in events:
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            return
        if mapping and key is None:
            key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
            if isinstance(event, yaml.CollectionStartEvent):
                _collection(events, event, (*path, "?"), claims)
            continue
        here: tuple[str | int, ...] = (*path, key if mapping and key is not None else index)
        if isinstance(event, yaml.CollectionStartEvent):
            _collection(events, event, here, claims)
        elif isinstance(event, yaml.ScalarEvent) and len(here) == 3 and here[0] == "claims":
            item = claims.setdefault(here[1], {})
            item[here[2]] = _span(event)
        key = None
        index += 1


def _span(event: Any) -> _Span:
    start, end = event.start_mark, event.end_mark
    return _Span(start.index, end.index, event.value, event.style, start.line + 1)


def _replacement(span: _Span, original: str, new: str) -> str:
    """The scalar to write for ``new`` where ``original`` (the scalar's text) stands: the same
    style when it can hold ``new`` as written, else a double-quoted string."""
    plain_ok = all(c == " " or not (c.isspace() or UNSAFE.match(c)) for c in new)
    if span.style == "'" and plain_ok and "\n" not in original:
        return "'" + new.replace("'", "''") + "'"
    if span.style is None and plain_ok and "\n" not in original:
        return new
    scalar = shown(new)
    if span.style in ("|", ">"):  # a block scalar's text ends with its line breaks: keep them
        content = original.rstrip()
        return scalar + original[len(content) :]
    return scalar


def fixed_text(text: str, fixes: Iterable[QuoteFix]) -> str:
    """``text`` (a claim file) with the quotes of ``fixes`` replaced, and nothing else changed.

    Each quote is written in its own style when that style can hold the new characters as they are
    and the file then reads back with exactly that quote; else as a double-quoted string with
    escapes. Raises :class:`~claimtrack.errors.ClaimFileError` when neither reads back right.
    """
    spans = _spans(text)
    wanted = {f.claim: f for f in fixes}
    out = text
    for claim in sorted(wanted, key=lambda c: spans[c].start, reverse=True):
        span, fix = spans[claim], wanted[claim]
        original = out[span.start : span.end]
        for candidate in (_replacement(span, original, fix.text), shown(fix.text)):
            edited = out[: span.start] + candidate + out[span.end :]
            if _reads_back(edited, claim, fix.text):
                out = edited
                break
        else:
            raise ClaimFileError(
                str(fix.path), span.line, "quote", "cannot write the corrected quote in place"
            )
    return out


def _reads_back(text: str, claim: str, quote: str) -> bool:
    """Whether ``text`` holds ``quote`` as the claim's quote, and as text (a plain scalar that
    YAML would read as a number, a boolean or null does not)."""
    try:
        spans = _spans(text)
    except yaml.YAMLError:
        return False
    span = spans.get(claim)
    if span is None or span.value != quote:
        return False
    if span.style is None:  # plain: it must read as this very text, not a number or a date
        try:
            return bool(yaml.safe_load(quote) == quote)
        except yaml.YAMLError:
            return False
    return True


def write_fixes(fixes: Iterable[QuoteFix]) -> list[Path]:
    """Write ``fixes`` into their claim files (each file once, atomically, its mode kept) and
    return the files written. Raises :class:`~claimtrack.errors.ClaimFileError` when a file no
    longer holds the quote it had (it changed since :func:`quote_fixes`)."""
    by_file: dict[Path, list[QuoteFix]] = {}
    for fix in fixes:
        by_file.setdefault(fix.path, []).append(fix)
    written = []
    for file, file_fixes in by_file.items():
        text = _read(file)
        spans = _spans(text)
        for fix in file_fixes:
            if fix.claim not in spans or spans[fix.claim].value != fix.quote:
                raise ClaimFileError(
                    str(file), fix.line, "quote", f"changed since it was checked: {fix.claim!r}"
                )
        new = fixed_text(text, file_fixes)
        if new == text:
            continue
        mode = file.stat().st_mode
        write_atomic(file, new.encode("utf-8"))
        os.chmod(file, mode & 0o7777)
        written.append(file)
    return written

r"""Text from claim files made safe for each output claimtrack writes, one escape per output.

Quotes, labels, units, names, titles and file names come from users' files, and claim files
may spell any character as an escape (``"\x1b[2J"``). No such text can control a terminal,
reverse a quote, break a Markdown table or inject markup:

- :data:`UNSAFE` is the one list of characters never written raw to any output: the control
  characters (C0, DEL, C1), the format characters (bidi controls such as U+202E, which can make a
  quote read backwards; zero-width spaces and joiners; the soft hyphen; the byte-order mark;
  tags), the line and paragraph separators and lone surrogates (Unicode categories Cc, Cf, Zl,
  Zp and Cs), and the noncharacters (U+FFFE), which HTML forbids.
- Each is shown as the escape that would write it in a claim file (and in Python):
  ``\x1b``, ``\x9b``, ``\u202e``, ``\U000e0041``. A tab is a space; a line feed is a space in
  a sentence or a cell (or kept, or shown, where the writer says).
- :func:`plain_text` for terminals and figures, :func:`markdown_text` for Markdown,
  :func:`html_text` for HTML and :func:`json_text` for JSON documents apply that rule and then
  their format's own escape.

``docs/reliability.md`` ("Output safety") says what each output escapes and which tests hold it.
"""

from __future__ import annotations

import html
import re
from typing import Literal

from claimtrack._ids import ID_PATTERN

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)

UNSAFE = re.compile(
    "["
    "\x00-\x1f\x7f-\x9f"  # Cc: C0, DEL, C1
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"  # Cf
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"  # Cf
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"  # Cf
    "\U000e0001\U000e0020-\U000e007f"  # Cf: tags
    "\u2028\u2029"  # Zl, Zp
    "\ud800-\udfff"  # Cs: lone surrogates
    f"{_NONCHARACTERS}"  # U+FDD0..U+FDEF, U+FFFE, U+FFFF, ...: invalid in HTML
    "]"
)
"""The characters never written raw: Unicode categories Cc, Cf, Zl, Zp and Cs, and the
noncharacters (U+FDD0–U+FDEF and the last two code points of each plane)."""


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escape_of(char: str) -> str:
    r"""The escape that writes ``char`` in a double-quoted claim file string (and in Python):
    ``\t``, ``\n``, ``\r``, else ``\xNN``, ``\uNNNN`` or ``\UNNNNNNNN``."""
    if char in _NAMED:
        return _NAMED[char]
    n = ord(char)
    if n <= 0xFF:
        return f"\\x{n:02x}"
    if n <= 0xFFFF:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def _show(match: re.Match[str]) -> str:
    return escape_of(match.group())


_AS_SPACE = {"\t": " ", "\n": " "}


def _visible(value: str, kept: dict[str, str]) -> str:
    """``value`` with each character of :data:`UNSAFE` replaced by ``kept[char]`` or its escape."""
    return UNSAFE.sub(lambda m: kept.get(m.group()) or _show(m), value)


def plain_text(value: str, *, newline: Literal[" ", "\n", "\\n"] = " ") -> str:
    r"""``value`` safe to print on a terminal or draw in a figure: no character in it controls
    anything, and none is invisible.

    Each character of :data:`UNSAFE` is shown as its escape (ESC ``[2J`` is printed as
    ``\x1b[2J``, U+202E as ``\u202e``); a tab is a space. A line feed becomes ``newline``: a
    space (the default: in a sentence or a table cell, whose lines the writer makes), ``"\n"``
    (kept, where the text's lines are its own, as in a multi-line error) or ``"\\n"`` (shown, in
    a file name).
    """
    return _visible(value, {"\t": " ", "\n": newline})


_MD_SPECIAL = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "~": "\\~",
        "$": "\\$",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
    }
)

_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
"""An underscore that could open or close emphasis: one not inside a word (``day_count`` is
literal as it is in GitHub Markdown; ``_x_`` is not)."""

_MD_LEADING = re.compile(r"\A(?:(#{1,6}|[-+=]+)|(\d{1,9})([.)]))(?=\s|\Z)")
"""A block marker at the start of a line: a heading (``# ``), a list item (``- ``, ``+ ``,
``1. ``, ``1) ``), a setext underline or a thematic break (``===``, ``---``)."""


def _leading(match: re.Match[str]) -> str:
    marker, digits, dot = match.groups()
    return f"\\{marker}" if marker else f"{digits}\\{dot}"


def markdown_text(value: str) -> str:
    r"""``value`` as literal GitHub Markdown text, in a table cell or on a line of its own.

    A ``|`` cannot end a table cell (``\|``) and a line feed cannot end a row (it is a space);
    ``<b>`` and ``&amp;`` are shown, not rendered (``&lt;b&gt;``, ``&amp;amp;``); backslashes,
    backticks, ``*``, ``[``, ``]``, ``~`` and ``$`` (GitHub's maths) are backslash-escaped, and so
    is ``_`` unless it is inside a word (``day_count`` stays readable); a leading ``# ``, ``- ``,
    ``+ ``, ``1. `` or ``===`` is not a heading or a list (``#1`` and ``-5`` need no escape).
    Leading white space is dropped (it could make a code block). Control characters are shown as
    by :func:`plain_text`.
    """
    text = _visible(value, _AS_SPACE).lstrip()
    text = _MD_UNDERSCORE.sub(r"\\_", text.translate(_MD_SPECIAL))
    return _MD_LEADING.sub(_leading, text, count=1)


def markdown_code(identifier: str) -> str:
    """An id as a Markdown code span: ids are slugs (``[a-z0-9][a-z0-9._:-]*``), which contain
    no backtick, ``|`` or line feed to end the span, the cell or the row; anything else is
    written as :func:`markdown_text` instead of a code span."""
    if ID_PATTERN.match(identifier):
        return f"`{identifier}`"
    return markdown_text(identifier)


_HTML_KEPT = {"\t": "\t", "\n": "\n"}


def html_text(value: object) -> str:
    """``str(value)`` as HTML text or attribute value: ``<script>`` and ``"><img onerror=...>``
    stay text (quotes are escaped too), and control, bidi and zero-width characters are shown as
    their escapes, as by :func:`plain_text` (tabs and line feeds are kept: they are white space in
    HTML)."""
    return html.escape(_visible(str(value), _HTML_KEPT), quote=True)


def _json_escape(match: re.Match[str]) -> str:
    r"""A ``\u`` escape (a surrogate pair beyond U+FFFF, as JSON spells it)."""
    n = ord(match.group())
    if n > 0xFFFF:
        n -= 0x10000
        return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"
    return f"\\u{n:04x}"


def json_text(document: str) -> str:
    r"""A JSON document (``json.dumps(..., ensure_ascii=False)``) with every character of
    :data:`UNSAFE` that it holds raw written as a ``\u`` escape: the same JSON, safe on a
    terminal. Line feeds are kept (they are the layout; inside strings ``json`` escapes them)."""
    return UNSAFE.sub(lambda m: "\n" if m.group() == "\n" else _json_escape(m), document)


def html_table(
    caption: str,
    headers: list[str],
    rows: list[list[object]],
    *,
    total: int | None = None,
) -> str:
    """An HTML table for notebooks (``_repr_html_``): the caption, the headers and every cell
    through :func:`html_text`; when ``total`` is more than the rows given, a last row says how
    many more there are ("and 10 more")."""
    head = "".join(f"<th>{html_text(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html_text(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    more = (total or 0) - len(rows)
    if more > 0:
        body += f'<tr><td colspan="{len(headers)}">and {more:,} more</td></tr>'
    return (
        f"<table><caption>{html_text(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )

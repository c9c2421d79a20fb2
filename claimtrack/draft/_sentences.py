"""Sentences of a line of the article, as spans of the text.

The splitter is nupunkt (a Punkt model shipped inside the package: no download), with one repair:
a piece that starts with a closing quote mark and punctuation, or with a lowercase letter, is
the rest of the sentence before it (nupunkt splits ``"Free our relatives!", "Close the camps!"``
after the first exclamation mark).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from claimtrack.errors import MissingExtraError

_CONTINUES = re.compile(r"""^(?:["'”’»]\s*[,;:)\-–—]|["'”’»]?\s*[a-z,;:)])""")

_split: Callable[[str], list[tuple[int, int]]] | None = None


def _splitter() -> Callable[[str], list[tuple[int, int]]]:
    global _split
    if _split is None:
        try:
            import nupunkt
        except ImportError:
            raise MissingExtraError("drafting claim files", "draft") from None
        _split = nupunkt.sent_spans
    return _split


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]``, each trimmed of white space, as spans of ``text``."""
    piece = text[start:end]
    spans: list[tuple[int, int]] = []
    for a, b in _splitter()(piece):
        while a < b and piece[a].isspace():
            a += 1
        while b > a and piece[b - 1].isspace():
            b -= 1
        if a == b:
            continue
        if spans and _CONTINUES.match(piece[a:b]):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    out = []
    for a, b in spans:
        out += _cut(piece, a, b)
    return [(start + a, start + b) for a, b in out]


#: Longest sentence kept whole; longer runs (a page without punctuation) are cut at spaces, so
#: that no rule ever works on more than this many characters at once.
MAX_SENTENCE = 1_500


def _cut(text: str, a: int, b: int) -> list[tuple[int, int]]:
    spans = []
    while b - a > MAX_SENTENCE:
        cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        if cut < 0:
            cut = a + MAX_SENTENCE
        spans.append((a, cut))
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if a < b:
        spans.append((a, b))
    return spans

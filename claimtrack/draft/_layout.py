"""The layout of a page of text: which lines are the article (headline, standfirst, caption,
lede, body) and which are page furniture, with the evidence of the page's date and byline.

The rules are structural and read the lexicon: lines the lexicon names as furniture; lines made
mostly of dates and times; short lines without final punctuation in title case (player titles,
menu entries, list items); a line repeated at once (a caption under a photo, shown twice); and
everything after an end line ("See also", "Leave a Reply", an author card) once the body has
begun.
"""

from __future__ import annotations

import enum
import re

import attrs

from claimtrack.claim import Section
from claimtrack.draft._lexicon import Lexicon


class LineKind(enum.Enum):
    ARTICLE = "article"
    CHROME = "chrome"
    STAMP = "stamp"  # a date line of the page itself
    BYLINE = "byline"
    DUPLICATE = "duplicate"


@attrs.frozen
class Block:
    """A line of the article: its span in the text (trimmed, without a dateline) and section."""

    start: int
    end: int
    section: Section


@attrs.frozen
class Layout:
    blocks: tuple[Block, ...]
    title: str | None
    stamps: tuple[tuple[str, str], ...]  # (kind: published/updated/timestamp, the line)
    authors: tuple[str, ...]
    dateline_outlet: str | None
    chrome: tuple[tuple[int, int], ...]
    dateline: str | None = None


_DATEISH = re.compile(
    r"\d{1,4}(?:[/.:-]\d{1,4}){1,2}|\d+|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|"
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:am|pm|gmt|utc)\b|[,./:;|()-]",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_FINAL = re.compile(r"""[.!?…]["'”’»)]*\s*$|[:;]\s*$""")


_ASCII_DIGIT = re.compile(r"[0-9]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _has_digit(line: str) -> bool:
    if line.isascii():  # the common case, without a loop over the characters
        return _ASCII_DIGIT.search(line) is not None
    return any(c.isdigit() for c in line)


def _letters(text: str) -> int:
    if text.isascii():
        return len(_ASCII_LETTER.findall(text))
    return sum(c.isalpha() for c in text)


def _mostly_dates(line: str) -> bool:
    if not _has_digit(line):
        return False
    rest = _DATEISH.sub("", line)
    printing = len("".join(line.split()))  # the characters that are not white space
    return _letters(rest) <= 0.3 * printing


def _title_like(line: str) -> bool:
    """A short line without final punctuation, mostly in title case (or very short)."""
    if _FINAL.search(line):
        return False
    words = _WORD.findall(line)
    if len(words) > 20:
        return False
    if len(words) <= 4:
        return True
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.6 * len(words)


def _paragraph_like(line: str) -> bool:
    return len(_WORD.findall(line)) >= 12 and bool(_FINAL.search(line))


def _lines(text: str) -> list[tuple[int, int]]:
    """Each non-blank line's span, trimmed of white space and bullets."""
    spans = []
    for m in re.finditer(r"[^\n\r\u2028\u2029\x85]+", text):
        start, end = m.start(), m.end()
        while start < end and (text[start].isspace() or text[start] in "•·▪◦"):
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def lay_out(text: str, lex: Lexicon) -> Layout:
    spans = _lines(text)
    kinds: list[LineKind] = []
    stamps: list[tuple[str, str]] = []
    authors: list[str] = []
    body_started = False
    ended = False
    previous: str | None = None
    for start, end in spans:
        line = text[start:end]
        kind = LineKind.ARTICLE
        if ended or lex.is_chrome(line):
            kind = LineKind.CHROME
        elif any(p.search(line) for p in lex.published_patterns) and _has_date(line):
            kind = LineKind.STAMP
            stamps.append(("published", line))
        elif any(p.search(line) for p in lex.updated_patterns) and _has_date(line):
            kind = LineKind.STAMP
            stamps.append(("updated", line))
        elif _mostly_dates(line):
            kind = LineKind.STAMP if not body_started else LineKind.CHROME
            if not body_started:
                stamps.append(("timestamp", line))
        elif byline := _byline(line, lex):
            kind = LineKind.BYLINE
            authors.append(byline)
        elif previous is not None and line == previous:
            kind = LineKind.DUPLICATE
        if body_started and kind is not LineKind.ARTICLE and lex.ends_article(line):
            ended = True
        if kind is LineKind.ARTICLE and _paragraph_like(line):
            body_started = True
        kinds.append(kind)
        previous = line
    # Player titles and list entries: title-like lines in the body next to furniture.
    first_article = next((i for i, k in enumerate(kinds) if k is LineKind.ARTICLE), None)
    seen_paragraph = False
    for i, (start, end) in enumerate(spans):
        if kinds[i] is not LineKind.ARTICLE or i == first_article:
            continue
        line = text[start:end]
        near_chrome = (i + 1 < len(kinds) and kinds[i + 1] is LineKind.CHROME) or (
            i > 0 and kinds[i - 1] is LineKind.CHROME
        )
        if _title_like(line) and (near_chrome or seen_paragraph):
            kinds[i] = LineKind.CHROME
        elif _paragraph_like(line):
            seen_paragraph = True
    return _sections(text, spans, kinds, stamps, authors, lex)


def _has_date(line: str) -> bool:
    return _has_digit(line)


def _byline(line: str, lex: Lexicon) -> str | None:
    for pattern in lex.byline_patterns:
        m = pattern.match(line)
        if m is not None:
            return str(m.group("name"))
    return None


def _sections(
    text: str,
    spans: list[tuple[int, int]],
    kinds: list[LineKind],
    stamps: list[tuple[str, str]],
    authors: list[str],
    lex: Lexicon,
) -> Layout:
    article = [i for i, k in enumerate(kinds) if k is LineKind.ARTICLE]
    chrome = tuple(spans[i] for i, k in enumerate(kinds) if k is not LineKind.ARTICLE)
    blocks: list[Block] = []
    title: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    if not article:
        return Layout((), None, tuple(stamps), tuple(authors), None, chrome)
    rest = article
    first = text[slice(*spans[article[0]])]
    if _title_like(first) or not _paragraph_like(first):
        title = first
        blocks.append(Block(*spans[article[0]], Section.HEADLINE))
        rest = article[1:]
    # The lede: the first line with a dateline among the first four, else the first paragraph.
    lede_at: int | None = None
    dateline_end = 0
    for n, i in enumerate(rest[:4]):
        line = text[slice(*spans[i])]
        for pattern in lex.dateline_patterns:
            m = pattern.match(line)
            if m is not None and len(_WORD.findall(line[m.end() :])) >= 5:
                lede_at, dateline_end = n, m.end()
                outlet = m.groupdict().get("outlet")
                dateline = line[: m.end()].strip()
                break
        if lede_at is not None:
            break
    if lede_at is None:
        lede_at = next(
            (n for n, i in enumerate(rest) if _paragraph_like(text[slice(*spans[i])])), 0
        )
    duplicated = {spans[i] for i, k in enumerate(kinds) if k is LineKind.DUPLICATE}
    for n, i in enumerate(rest):
        start, end = spans[i]
        if n < lede_at:
            line = text[start:end]
            repeated = i + 1 < len(spans) and text[slice(*spans[i + 1])] == line
            caption = repeated or any(p.search(line) for p in lex.caption_patterns)
            blocks.append(Block(start, end, Section.CAPTION if caption else Section.STANDFIRST))
        elif n == lede_at:
            blocks.append(Block(start + dateline_end, end, Section.LEDE))
        else:
            blocks.append(Block(start, end, Section.BODY))
    del duplicated
    return Layout(tuple(blocks), title, tuple(stamps), tuple(authors), outlet, chrome, dateline)

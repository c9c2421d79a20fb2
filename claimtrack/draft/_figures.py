"""Figures in a sentence: quantities, day counts and dates, as spans of the text.

Candidates are found by regular expressions over digits, number words, vague amounts and the
hedge policy's phrases; :meth:`Estimate.parse`, :meth:`DayCount.parse` and
:meth:`FuzzyDate.parse` then decide what each one is. A candidate they cannot read is dropped.
"""

from __future__ import annotations

import datetime
import functools
import re

import attrs

from claimtrack.claim import DayCount
from claimtrack.dates import FuzzyDate
from claimtrack.draft._lexicon import Lexicon
from claimtrack.errors import ParseError
from claimtrack.quantity import Estimate, Hedge, HedgePolicy

_UNITS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_SCALE = r"(?:hundred|thousand|million|billion|trillion)"
_WORDNUM = rf"(?:(?:a|one)\s+dozen|(?:{_UNITS})(?:[- ](?:{_UNITS}))?(?:\s+{_SCALE})*|a\s+{_SCALE})"
_DIGITS = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:\s*(?:{_SCALE}|m|bn|k)\b)?"
_NUMBER = rf"(?:{_DIGITS}|{_WORDNUM})"
_ORDINAL_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    "thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    "thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth|thousandth"
)
_ORDINAL = rf"(?:\d{{1,3}}(?:,\d{{3}})*(?:st|nd|rd|th)|(?:(?:{_UNITS})[- ])?(?:{_ORDINAL_WORDS}))"
_DAYCOUNT = re.compile(
    rf"(?<![\w-])(?:(?:for|on|after|of|into)\s+)?(?:(?:a|an|the|its|their)\s+)?"
    rf"(?:(?P<ord>{_ORDINAL})\s+(?:day|night)|(?P<card>{_NUMBER})\s+(?:day|night)s?)(?![\w-])",
    re.IGNORECASE,
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MON = rf"(?:{_MONTHS})\.?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE_FORMS = (
    rf"(?:on\s+)?{_MON}\s+{_DAY}(?:,?\s+{_YEAR})?",
    rf"(?:on\s+)?{_DAY}\s+{_MON}(?:,?\s+{_YEAR})?",
    rf"(?:in\s+|since\s+)?{_MON},?\s+{_YEAR}",
    rf"(?:in|since)\s+{_YEAR}",
    rf"(?:in|since)\s+(?:{_MONTHS})",
    r"last\s+(?:week|month|year)",
    r"(?:earlier\s+)?this\s+year",
    r"(?:in\s+)?recent\s+months",
    r"yesterday|today|the\s+day\s+before|the\s+previous\s+day",
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})\s+(?:day|week)s?\s+"
    r"(?:earlier|ago|before)",
    _YEAR,
)
_DATE = re.compile(r"(?<![\w-])(?:" + "|".join(_DATE_FORMS) + r")(?![\w-])", re.IGNORECASE)
_YEAR_ONLY = re.compile(_YEAR)
_MONTH_ONLY = re.compile(rf"^(?:in|since)\s+(?:{_MONTHS})$", re.IGNORECASE)
_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP"}
_FUTURE = re.compile(r"\b(?:will|shall|is to|are to|plans? to|scheduled|due to)\b", re.IGNORECASE)
#: Nouns of a hyphenated amount ("a two-day visit", "her 58-year-old husband").
_COMPOUND = r"(?:day|night|week|month|year|hour|minute|mile|kilometre|kilometer|member|strong)"
_WORD_AFTER = re.compile(r"[\s-]*([^\W\d_][\w'’-]*|\$)")


@attrs.frozen
class Found:
    """A figure found in the text: its span, the phrase as written and what it reads as."""

    start: int
    end: int
    phrase: str
    value: Estimate | DayCount
    unit: str | None = None


@attrs.frozen
class FoundDate:
    """A date found in the text: its span, the phrase as written and the date it names."""

    start: int
    end: int
    phrase: str
    value: FuzzyDate
    restated: str = ""
    """The phrase in English when it was written in another language ("в этом году": "this
    year"), for the rules that read English words."""


_PATTERNS: dict[int, tuple[HedgePolicy, re.Pattern[str]]] = {}


def _quantity_pattern(policy: HedgePolicy) -> re.Pattern[str]:
    """The candidate pattern of ``policy``'s hedges and vague amounts (kept per policy object:
    hashing a policy hashes its tables)."""
    known = _PATTERNS.get(id(policy))
    if known is not None and known[0] is policy:
        return known[1]
    pattern = _build_quantity_pattern(policy)
    _PATTERNS[id(policy)] = (policy, pattern)
    return pattern


def _build_quantity_pattern(policy: HedgePolicy) -> re.Pattern[str]:
    def alternatives(words: list[str]) -> str:
        ordered = sorted(words, key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)

    hedges = alternatives([*policy.phrases, "another"])
    vague = alternatives(list(policy.vague))
    core = (
        rf"(?:between\s+{_NUMBER}\s+and\s+{_NUMBER}|from\s+{_NUMBER}\s+to\s+{_NUMBER}|"
        rf"{_NUMBER}\s*(?:-|–|to)\s*{_NUMBER}|{_NUMBER}|(?:{vague}))"
    )
    return re.compile(
        rf"(?<![\w.,-])(?:(?:{hedges})\s+)?(?P<currency>[$€£]\s?)?{core}(?:\s+more)?"
        rf"(?!\w|-(?!{_COMPOUND}\b))",
        re.IGNORECASE,
    )


def dates(text: str, start: int, end: int, reference: FuzzyDate | None) -> list[FoundDate]:
    """The dates in ``text[start:end]`` that :meth:`FuzzyDate.parse` reads (against
    ``reference``, the publication date)."""
    found: list[FoundDate] = []
    for m in _DATE.finditer(text, start, end):
        if len(found) >= MAX_PER_SENTENCE:
            break
        phrase = m.group(0)
        if _MONTH_ONLY.match(phrase) and phrase.split()[-1][0].islower():
            continue  # "in may" is not a month
        value = parse_date(phrase, reference)
        if value is None:
            continue
        found.append(FoundDate(m.start(), m.end(), phrase, value))
    return found


@functools.cache
def _weekday_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:on\s+)?({'|'.join(names)})(?!\w)", re.IGNORECASE)


def weekdays(
    text: str, start: int, end: int, reference: FuzzyDate | None, lex: Lexicon
) -> list[FoundDate]:
    """Weekday names ("on Monday"): the latest such day up to the publication date, or the
    next one after it when the clause speaks of the future ("will meet on Monday")."""
    if reference is None or not lex.weekdays:
        return []
    found = []
    for m in _weekday_pattern(lex.weekdays).finditer(text[start:end]):
        if not m.group(1)[0].isupper():
            continue
        weekday = lex.weekdays.index(m.group(1).lower())
        ahead = _FUTURE.search(text, max(0, start + m.start() - 60), start + m.start())
        days = set()
        for ref in {reference.start, reference.end}:
            if ahead:  # "will resume talks on Monday": the next Monday
                days.add(ref + datetime.timedelta(days=(weekday - ref.weekday() - 1) % 7 + 1))
            else:
                days.add(ref - datetime.timedelta(days=(ref.weekday() - weekday) % 7))
        first, last = min(days), max(days)
        value = FuzzyDate.day(first) if first == last else FuzzyDate.between(first, last)
        value = attrs.evolve(value, written=m.group(0))
        found.append(FoundDate(start + m.start(), start + m.end(), m.group(0), value))
    return found


def day_counts(text: str, start: int, end: int) -> list[Found]:
    """Day counts ("a 20th night", "for the second day", "after 500 days")."""
    found: list[Found] = []
    for m in _DAYCOUNT.finditer(text, start, end):
        if len(found) >= MAX_PER_SENTENCE:
            break
        phrase = m.group(0)
        count = _parse_count(phrase)
        if count is None:
            continue
        found.append(Found(m.start(), m.end(), phrase, count, count.unit.value + "s"))
    return found


def quantities(
    text: str,
    start: int,
    end: int,
    policy: HedgePolicy,
    lex: Lexicon,
    taken: list[tuple[int, int]],
) -> list[Found]:
    """Quantities :meth:`Estimate.parse` reads, outside the spans already ``taken`` (dates,
    day counts); a candidate it cannot read is tried without its hedge."""
    found: list[Found] = []
    for m in _quantity_pattern(policy).finditer(text, start, end):
        if len(found) >= MAX_PER_SENTENCE:
            break
        a, b = m.start(), m.end()
        if any(a < y and x < b for x, y in taken):
            continue
        phrase = text[a:b]
        unit = _CURRENCIES.get((m.group("currency") or "").strip())
        if unit is not None:  # "more than $4 million": the amount, in dollars
            phrase = phrase[: m.start("currency") - a] + phrase[m.end("currency") - a :]
        after = _WORD_AFTER.match(text, b, end)
        next_word = after.group(1).lower() if after else ""
        value = _parse(phrase, policy)
        if value is None:
            continue
        if next_word in lex.not_a_figure_after and value.hedge is Hedge.EXACT:
            continue  # "one of the protesters"; but "dozens of protesters" is an amount
        if _YEAR_ONLY.fullmatch(phrase) and not (next_word and next_word in lex.units):
            continue  # a year, not an amount
        found.append(Found(a, b, phrase, value, unit or unit_after(text, b, end, lex)))
    return found


#: Most figures (and most dates) read in one sentence: a sentence of news has a handful; a
#: longer run of numbers is a table or a list, not prose, and is not drafted past this.
MAX_PER_SENTENCE = 40


#: The parsers are pure functions of the phrase (and the reference date or the policy), and
#: news repeats its phrases ("on Monday", "about 1,000", "last year"): each is read once per
#: process, up to this many.
_CACHE_SIZE = 50_000


@functools.lru_cache(maxsize=_CACHE_SIZE)
def parse_date(phrase: str, reference: FuzzyDate | None) -> FuzzyDate | None:
    """:meth:`FuzzyDate.parse`, or None for a phrase it cannot read."""
    try:
        return FuzzyDate.parse(phrase, reference=reference)
    except ParseError:
        return None


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _parse_count(phrase: str) -> DayCount | None:
    try:
        return DayCount.parse(phrase)
    except ParseError:
        return None


_ESTIMATES: dict[tuple[int, str], tuple[HedgePolicy, Estimate | None]] = {}


def parse_estimate(phrase: str, policy: HedgePolicy) -> Estimate | None:
    """:meth:`Estimate.parse` under ``policy``, or None (kept per policy object: hashing a
    policy hashes its tables)."""
    key = (id(policy), phrase)
    known = _ESTIMATES.get(key)
    if known is not None and known[0] is policy:
        return known[1]
    try:
        value: Estimate | None = Estimate.parse(phrase, policy=policy)
    except ParseError:
        value = None
    if len(_ESTIMATES) >= _CACHE_SIZE:
        _ESTIMATES.clear()
    _ESTIMATES[key] = (policy, value)
    return value


def _parse(phrase: str, policy: HedgePolicy) -> Estimate | None:
    return parse_estimate(phrase, policy)


def unit_after(text: str, at: int, end: int, lex: Lexicon) -> str | None:
    """The unit of the first of the next four words the lexicon knows ("1 million ethnic
    Uyghurs": people; "a 58-year-old": years)."""
    pos = at
    for _ in range(4):
        m = _WORD_AFTER.match(text, pos, end)
        if m is None:
            return None
        unit = lex.units.get(m.group(1).lower())
        if unit is not None:
            return unit
        pos = m.end()
    return None

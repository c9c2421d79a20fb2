"""Figures in a sentence of a language the English hedge grammar does not read (Russian, Kazakh).

The lexicon (``figures: lexicon``) gives the words: hedge phrases by :class:`Hedge`, vague
amounts, number words and scale words, month names, date and day-count patterns, relative
dates. Each phrase found is restated in the words of claimtrack's own grammar ("около 1,5 млн"
as "about 1.5 million", "2 сентября" as "September 2", "в прошлом году" as "last year") and
read by :meth:`Estimate.parse` and :meth:`FuzzyDate.parse` under the same policy and the same
publication date as an English phrase, so an interval or a date means the same whatever the
language. The phrase as written is kept (``Estimate.text``, ``FuzzyDate.written``); the claim
file gives such values in the structured form, which loads without re-reading the phrase.
"""

from __future__ import annotations

import re

import attrs

from claimtrack.claim import DayCount, DayUnit
from claimtrack.dates import FuzzyDate
from claimtrack.draft._figures import (
    MAX_PER_SENTENCE,
    Found,
    FoundDate,
    parse_date,
    parse_estimate,
    unit_after,
)
from claimtrack.draft._lexicon import Lexicon
from claimtrack.quantity import Hedge, HedgePolicy

_MONTHS_EN = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_GROUP_SPACE = re.compile(r"[ \u00a0\u202f]")
_YEAR = re.compile(r"(?:1[6-9]|20)\d\d")


def _alternatives(words: object) -> str:
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) or "(?!)"


_COMPILED: dict[tuple[int, str], tuple[Lexicon, re.Pattern[str]]] = {}


def _compiled(lex: Lexicon, what: str) -> re.Pattern[str]:
    """The pattern ``what`` of ``lex``, compiled once per lexicon object."""
    known = _COMPILED.get((id(lex), what))
    if known is not None and known[0] is lex:
        return known[1]
    pattern = _quantity_pattern(lex) if what == "quantity" else _relative_pattern(lex)
    _COMPILED[id(lex), what] = (lex, pattern)
    return pattern


def _quantity_pattern(lex: Lexicon) -> re.Pattern[str]:
    hedges = _alternatives(lex.hedge_phrases)
    numbers = rf"{_DIGITS}|{_alternatives(lex.number_words)}"
    scales = _alternatives(lex.scale_words)
    after = ""
    if lex.hedge_phrases_after:  # "500-ден астам": a case ending, then the hedge
        after = rf"(?:-?[^\W\d_]{{0,4}}\s+(?P<after>{_alternatives(lex.hedge_phrases_after)}))?"
    return re.compile(
        rf"(?<![\w.,-])(?:(?P<hedge>{hedges})\s+)?"
        rf"(?:(?P<vague>{_alternatives(lex.vague_amounts)})"
        rf"|(?P<number>{numbers})(?:\s*(?P<scale>{scales})(?=\W|$))?)"
        rf"{after}(?!\w|-\w|[.,]\d)",
        re.IGNORECASE,
    )


def _relative_pattern(lex: Lexicon) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alternatives(lex.relative_dates)})(?![\w-])", re.IGNORECASE)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _english_hedge(hedge: str, policy: HedgePolicy) -> str | None:
    """A phrase of ``policy`` that states ``hedge`` (the shortest, for a stable restatement)."""
    phrases = sorted((p for p, h in policy.phrases.items() if h == Hedge(hedge)), key=len)
    return phrases[0] if phrases else None


def _number(text: str, lex: Lexicon) -> str:
    word = lex.number_words.get(_norm(text))
    if word is not None:
        return word
    return _GROUP_SPACE.sub("", text).replace(",", ".")


def restate(m: re.Match[str], lex: Lexicon, policy: HedgePolicy) -> str | None:
    """The quantity phrase ``m`` in the words of claimtrack's grammar, or None."""
    words = []
    groups = m.groupdict()
    if groups.get("hedge") and groups.get("after"):
        return None  # two hedges: not a phrase the grammar reads
    written = groups.get("hedge") or groups.get("after")
    if written:
        table = lex.hedge_phrases if groups.get("hedge") else lex.hedge_phrases_after
        hedge = _english_hedge(table[_norm(written)], policy)
        if hedge is None:
            return None
        words.append(hedge)
    if m.group("vague"):
        words.append(lex.vague_amounts[_norm(m.group("vague"))])
    else:
        words.append(_number(m.group("number"), lex))
        if m.group("scale"):
            words.append(lex.scale_words[_norm(m.group("scale"))])
    return " ".join(words)


def quantities(
    text: str,
    start: int,
    end: int,
    policy: HedgePolicy,
    lex: Lexicon,
    taken: list[tuple[int, int]],
) -> list[Found]:
    """Quantities outside the spans already ``taken`` (dates, day counts), read by
    :meth:`Estimate.parse` once restated; a phrase it cannot read is left out."""
    found: list[Found] = []
    for m in _compiled(lex, "quantity").finditer(text, start, end):
        if len(found) >= MAX_PER_SENTENCE:
            break
        a, b = m.start(), m.end()
        if any(a < y and x < b for x, y in taken):
            continue
        phrase = text[a:b]
        english = restate(m, lex, policy)
        if english is None:
            continue
        read = parse_estimate(english, policy)
        if read is None:
            continue
        value = attrs.evolve(read, text=phrase)
        unit = unit_after(text, b, end, lex)
        following = text[b:end].split()
        next_word = following[0].lower().strip(".,;:") if following else ""
        if next_word in lex.not_a_figure_after and value.hedge is Hedge.EXACT:
            continue  # "один из протестующих": one of them, not an amount
        if _YEAR.fullmatch(phrase) and unit is None:
            continue  # a year, not an amount
        found.append(Found(a, b, phrase, value, unit))
    return found


def _date(m: re.Match[str], lex: Lexicon) -> str | None:
    """A date match in the words of claimtrack's date grammar: "September 2, 2019"."""
    groups = m.groupdict()
    month_word, day, year = groups.get("month"), groups.get("day"), groups.get("year")
    month = lex.months.get(_norm(month_word)) if month_word else None
    if month is None:
        return f"in {year}" if year else None
    if day is None:
        return f"in {_MONTHS_EN[month]} {year}" if year else None
    return f"{_MONTHS_EN[month]} {int(day)}, {year}" if year else f"on {_MONTHS_EN[month]} {day}"


def dates(
    text: str, start: int, end: int, reference: FuzzyDate | None, lex: Lexicon
) -> list[FoundDate]:
    """The dates of ``text[start:end]``: the lexicon's date patterns and relative dates, read
    against ``reference`` (the publication date) as their English restatement is."""
    candidates: list[tuple[int, int, str]] = []
    for pattern in (*lex.date_patterns, *lex.year_patterns):
        for m in pattern.finditer(text, start, end):
            english = _date(m, lex)
            if english is not None:
                candidates.append((m.start(), m.end(), english))
    if lex.relative_dates:
        for m in _compiled(lex, "relative").finditer(text, start, end):
            candidates.append((m.start(), m.end(), lex.relative_dates[_norm(m.group(0))]))
    found: list[FoundDate] = []
    for a, b, english in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
        if found and a < found[-1].end:
            continue  # the longer date at the same place wins; overlaps are one date
        if len(found) >= MAX_PER_SENTENCE:
            break
        value = parse_date(english, reference)
        if value is None:
            continue
        phrase = text[a:b]
        found.append(FoundDate(a, b, phrase, attrs.evolve(value, written=phrase), english))
    return found


def day_counts(text: str, start: int, end: int, lex: Lexicon) -> list[Found]:
    """Day counts ("на 20-й день", "500-ші күн", "второй день"): an ordinal, in digits or in
    the lexicon's ordinal words, and a day unit of the lexicon."""
    found: list[Found] = []
    for pattern in lex.day_count_patterns:
        for m in pattern.finditer(text, start, end):
            if len(found) >= MAX_PER_SENTENCE:
                break
            groups = m.groupdict()
            digits, word, unit_word = groups.get("ord"), groups.get("word"), groups.get("unit")
            ordinal = int(digits) if digits else lex.ordinal_words.get(_norm(word or ""))
            unit = lex.day_units.get(_norm(unit_word or ""))
            if ordinal is None or unit is None or ordinal < 1:
                continue
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            phrase = m.group(0)
            try:
                value = DayCount(ordinal, DayUnit(unit), phrase)
            except (ValueError, TypeError):
                continue
            found.append(Found(m.start(), m.end(), phrase, value, unit + "s"))
    return sorted(found, key=lambda f: f.start)

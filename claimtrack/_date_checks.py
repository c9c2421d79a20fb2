"""Date sanity: dates of a claim that are possible but suspect, reported as warnings.

- a date (``as_of``, ``stated``) that starts after the source's publication range ends: a report
  cannot say what held after it was published (unless it is a forecast: hence a warning);
- an explicit date whose ``written`` words name another date: in ``{date: "2021-11-15", written:
  "The October 1 protests"}`` the words say October 1.
"""

from __future__ import annotations

import re

from claimtrack.dates import FuzzyDate
from claimtrack.errors import ParseError

MAX_WORDS = 60
"""Words of a ``written`` phrase searched for dates (the rest are not)."""

_LONGEST = 4
"""The most words a date phrase inside ``written`` is read from ("on September 3, 2019")."""

_MONTH = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?", re.IGNORECASE
)
_YEAR = re.compile(r"\d{4}")
_EDGES = " \t,.;:!?()[]\"'“”‘’"


def after_publication(value: FuzzyDate, published: FuzzyDate) -> str | None:
    """What is wrong with ``value`` starting after ``published`` ends, or None."""
    if value.start <= published.end:
        return None
    return (
        f"{value.iso()} is after the source was published ({published.iso()}); "
        "a report tells what held by then (check the date, or say in notes why it is later)"
    )


def named_dates(written: str, published: FuzzyDate | None) -> list[tuple[str, FuzzyDate]]:
    """The date phrases inside ``written`` (each naming a month or a year, the longest at each
    place), read as :meth:`FuzzyDate.parse` reads them against ``published``."""
    words = written.split()[:MAX_WORDS]
    found: list[tuple[str, FuzzyDate]] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + n]).strip(_EDGES)
            if not _names_month_or_year(phrase):
                continue
            try:
                found.append((phrase, FuzzyDate.parse(phrase, reference=published)))
            except ParseError:
                continue
            i += n
            break
        else:
            i += 1
    return found


def _names_month_or_year(phrase: str) -> bool:
    """Whether ``phrase`` has a four-digit number or a month name (``May`` only capitalised: the
    verb "may" is no month)."""
    if _YEAR.search(phrase):
        return True
    return any(
        _MONTH.fullmatch(word.strip(_EDGES)) and (word[:1].isupper() or word.lower() != "may")
        for word in phrase.split()
    )


def written_elsewhere(value: FuzzyDate, published: FuzzyDate | None) -> str | None:
    """What is wrong when ``value.written`` names a date ``value`` does not overlap, or None.

    A phrase without a year ("October 1") is read as the nearest such date to the publication; it
    also passes when it names the same day or month in another year (the date nearest ``value``).
    """
    if value.written is None:
        return None
    for phrase, named in named_dates(value.written, published):
        if named.overlaps(value):
            continue
        if named.written is not None:  # relative: the same day or month in another year?
            try:
                if FuzzyDate.parse(phrase, reference=value).overlaps(value):
                    continue
            except ParseError:  # pragma: no cover - it was read against the publication
                pass
        return (
            f"the words {value.written!r} name {named.iso()} ({phrase!r}), "
            f"not {value.iso()}: check the date"
        )
    return None

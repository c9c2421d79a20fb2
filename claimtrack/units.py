"""Units of measure: money, durations, percentages and ages, read from quantity phrases.

A subject's ``unit`` is free text. The units in :data:`UNITS`, a small declared vocabulary, are
*measured*: claimtrack knows their dimension and converts between the commensurable ones with
`pint <https://pint.readthedocs.io>`_ (18 months are 1.5 years). Every other unit ("people",
"facilities") is a count and works as before: a figure is just a number of them.

| Measure | Declared units (and their other spellings) | In phrases |
|---|---|---|
| duration | hours, days, weeks, months, years | "48 hours", "five months", "18 months", "two-day", "up to 25 years", "a year and a half" |
| age | years of age, months of age | "65-year-old", "65 years old", "aged 65" |
| percent | percent (%, per cent) | "10%", "10 percent", "between 10 and 20 per cent" |
| money | USD, EUR, GBP, CNY, KZT, RUB, each also by name | "$300", "US$1.5 million", "€20", "£5", "300 dollars", "5,000 tenge" |

"$" is read as U.S. dollars, as English-language news writes them. Each currency is its own
dimension: an amount in euros is never converted to dollars (no exchange rate is declared), so
it cannot be compared in dollars. An age advances one unit per unit of time, and is a number of
whole units completed (65 means at least 65 and under 66 years): ``docs/comparing.md`` says how
two ages given at different dates are checked. A duration can be read as an age ("65 years"
for a subject in years of age); an age is not a duration.

pint's registry is slow to build (a quarter of a second): it is built once, the first time a
conversion is asked for, and conversion factors are kept per pair of units.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from claimtrack._numbers import MAX_AMOUNT, normalize
from claimtrack.errors import QuantityError, UnitError

if TYPE_CHECKING:  # the registry is built on first use: importing claimtrack does not import pint
    import pint

__all__ = ["UNITS", "Measure", "Unit", "measured_unit"]


class Measure(enum.StrEnum):
    """What a measured unit measures."""

    DURATION = "duration"
    AGE = "age"
    PERCENT = "percent"
    MONEY = "money"


@attrs.frozen
class Unit:
    """A measured unit: its declared ``name`` (as written in ``subjects.yaml``), pint's name for
    it, what it measures, and the other spellings a subject or a phrase may use."""

    name: str
    pint: str
    measure: Measure
    spellings: tuple[str, ...] = ()

    def describe(self) -> str:
        """How a message names it: "a duration (months)", "money (USD)"."""
        what = {
            Measure.DURATION: "a duration",
            Measure.AGE: "an age",
            Measure.PERCENT: "a percentage",
            Measure.MONEY: "money",
        }[self.measure]
        return f"{what} ({self.name})"


_CURRENCIES = (
    ("USD", ("us dollars", "u.s. dollars", "dollars", "dollar")),
    ("EUR", ("euros", "euro")),
    ("GBP", ("pounds sterling",)),
    ("CNY", ("yuan", "renminbi")),
    ("KZT", ("tenge",)),
    ("RUB", ("rubles", "roubles", "ruble", "rouble")),
)
_DECLARED = (
    Unit("hours", "hour", Measure.DURATION, ("hour",)),
    Unit("days", "day", Measure.DURATION, ("day",)),
    Unit("weeks", "week", Measure.DURATION, ("week",)),
    Unit("months", "month", Measure.DURATION, ("month",)),
    Unit("years", "year", Measure.DURATION, ("year",)),
    Unit("years of age", "year", Measure.AGE, ("year of age", "years old")),
    Unit("months of age", "month", Measure.AGE, ("month of age", "months old")),
    Unit("percent", "percent", Measure.PERCENT, ("%", "per cent")),
    *(Unit(code, code, Measure.MONEY, spellings) for code, spellings in _CURRENCIES),
)

UNITS: Mapping[str, Unit] = MappingProxyType(
    {normalize(s): u for u in _DECLARED for s in (u.name, *u.spellings)}
)
"""The declared vocabulary: each spelling of a measured unit (lower-cased) -> its :class:`Unit`."""


def measured_unit(unit: str | None) -> Unit | None:
    """The measured unit ``unit`` names ("years", "USD", "per cent"; any case), else ``None``
    (a count such as "people", or no unit)."""
    return None if unit is None else UNITS.get(normalize(unit))


@functools.cache
def _registry() -> pint.UnitRegistry[float]:
    import pint

    registry: pint.UnitRegistry[float] = pint.UnitRegistry()
    for code, _ in _CURRENCIES:  # one dimension per currency: never converted into another
        registry.define(f"{code} = [currency_{code}]")
    return registry


def commensurable(a: Unit, b: Unit) -> bool:
    """Whether amounts in ``a`` can be converted to ``b`` (pint's dimensions agree; an age is not a
    duration, though a duration can be read as an age)."""
    if a.measure is not b.measure and (a.measure, b.measure) != (Measure.DURATION, Measure.AGE):
        return False
    registry = _registry()
    return bool(registry.Unit(a.pint).is_compatible_with(registry.Unit(b.pint)))


@functools.cache
def factor(a: Unit, b: Unit) -> float:
    """How many ``b`` one ``a`` is (12 for years to months); ``a`` and ``b`` are commensurable."""
    registry = _registry()
    return float(registry.Quantity(1, a.pint).to(b.pint).magnitude)


def convert(x: float, a: Unit, b: Unit) -> float:
    """``x`` in ``a`` as an amount in ``b`` (18 months -> 1.5 years)."""
    if a.pint == b.pint:
        return x
    f = factor(a, b)
    inverse = factor(b, a)
    # dividing by a whole factor is exact where multiplying by its inverse is not (7 / 12)
    return x / inverse if inverse.is_integer() else x * f


Bounds = tuple[float | None, float | None, float | None]
"""The low, high and central value of an estimate (``None``: open, or no central value)."""


def in_unit(text: str, bounds: Bounds, written: Unit, unit: str | None) -> tuple[Bounds, str]:
    """``bounds`` of the phrase ``text``, written in ``written``, in ``unit`` (``None``: as
    written), and the unit they are in.

    Raises :class:`~claimtrack.errors.UnitError` when they cannot be: ``unit`` is a count, or
    measures something else, or is another currency (no exchange rate is declared).
    """
    if unit is None:
        return bounds, written.name
    goal = measured_unit(unit)
    if goal is None:
        raise UnitError(
            text,
            f"it is {written.describe()}, and {unit!r} is a count, not a unit claimtrack "
            "measures or converts",
            unit,
        )
    if not commensurable(written, goal):
        if written.measure is goal.measure is Measure.MONEY:
            reason = (
                f"it is in {written.name}: an amount in one currency is not converted into "
                "another without an exchange rate, and none is declared"
            )
        else:
            reason = f"it is {written.describe()}, not {goal.describe()}"
        raise UnitError(text, reason, unit)
    low, high, value = (None if x is None else convert(x, written, goal) for x in bounds)
    if any(x is not None and not abs(x) <= MAX_AMOUNT for x in (low, high, value)):
        raise QuantityError(text, f"number too large in {unit}")
    return (low, high, value), unit


def days_per(unit: str | None) -> float | None:
    """The length in days of one ``unit`` of age ("years of age": 365.25), else ``None`` (not an
    age)."""
    found = measured_unit(unit)
    if found is None or found.measure is not Measure.AGE:
        return None
    return float(_registry().Quantity(1, found.pint).to("day").magnitude)


# --- units in phrases ---------------------------------------------------------------------------

_SYMBOLS: Mapping[str, str] = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP"}
# not after a letter: "A$300", "HK$5" are other dollars, and are not read
_SYMBOL = re.compile(r"(?<![^\W\d_])(us\$|\$|€|£)\s?(?=[0-9]|[^\W\d_])")
_PERCENT = re.compile(r"(?<=[0-9])\s?%")
_AGE_PREFIX = re.compile(r"(?:aged|age) (.+)")
_AGE_SUFFIX = re.compile(r"(.+?)[ -](years?|months?)[ -]old")
_AND_A_HALF = re.compile(r"(.+?)[ -]((?:hour|day|week|month|year)s?) and a half")
_SUFFIXES = sorted(
    (s for s, u in UNITS.items() if s != "%" and not s.endswith(" old")), key=len, reverse=True
)
_CODES = [u.name.lower() for u in _DECLARED if u.measure is Measure.MONEY]


def split_unit(s: str) -> tuple[str, Unit | None]:
    """A normalised quantity phrase as its amount (the phrase without its unit) and the measured
    unit it is written in, if any: "about $300" -> ("about 300", USD), "five-month" -> ("five",
    months), "65-year-old" -> ("65", years of age), "a year" -> ("1", years), "a year and a half"
    -> ("1 and a half", years).

    Raises :class:`ValueError` (its message the reason) for a phrase with two different units
    ("$5 and €6").
    """
    found: list[Unit] = []
    age = _AGE_PREFIX.fullmatch(s) or _AGE_SUFFIX.fullmatch(s)
    if age is not None:
        word = age.group(2) if age.re is _AGE_SUFFIX else "years"
        found.append(UNITS["months of age" if word.startswith("month") else "years of age"])
        s = age.group(1).strip()
    symbols = {_SYMBOLS[m] for m in _SYMBOL.findall(s)}
    if symbols:
        found.extend(UNITS[normalize(code)] for code in sorted(symbols))
        s = _SYMBOL.sub("", s)
    if _PERCENT.search(s):
        found.append(UNITS["%"])
        s = _PERCENT.sub("", s)
    if half := _AND_A_HALF.fullmatch(s):  # "a year and a half": one and a half years
        s = f"{_one(half.group(1))} and a half {half.group(2)}"
    for code in _CODES:  # "USD 300"
        if s.startswith(code + " "):
            found.append(UNITS[code])
            s = s[len(code) :].strip()
    for spelling in _SUFFIXES:
        if s.endswith((f" {spelling}", f"-{spelling}")):
            found.append(UNITS[spelling])
            s = s[: -len(spelling) - 1].strip().removesuffix(" of")  # "hundreds of dollars"
            break
    units = {u.name: u for u in found}
    if len(units) > 1:
        raise ValueError(f"more than one unit ({', '.join(units)}): a figure has one")
    if not units:
        return s, None
    return _one(s), next(iter(units.values()))


def _one(amount: str) -> str:
    """The amount of a unit written as a word: "a" (year) is 1, "half a" (year) is 0.5."""
    for words, number in (("half a", "0.5"), ("half an", "0.5"), ("a", "1"), ("an", "1")):
        if amount == words:
            return number
        if amount.endswith(" " + words) and not amount.endswith(" half " + words):
            return amount[: -len(words)] + number
    return amount

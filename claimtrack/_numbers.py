"""Numbers and ordinals as news writes them ("1.8 million", "two million", "400k", "20th").

Private helpers for :mod:`claimtrack.quantity` and the day-count parser. Everything is driven by
the word tables below; a word not in them is an error, never a guess. Arithmetic is done in
:class:`~decimal.Decimal` so "1.8 million" is exactly ``1800000.0``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from claimtrack.errors import DayCountError, QuantityError

MAX_AMOUNT = 1e15
"""The largest amount claimtrack reads (a thousand trillion): anything larger is a typo."""
MAX_ORDINAL = 1_000_000
"""The largest day count (the millionth day is some 2,700 years in)."""
MAX_PHRASE = 200
"""The longest phrase (quantity, date, day count) read; news phrases are a few words."""


def check_phrase(text: str, error: type[QuantityError] | type[DayCountError]) -> None:
    """Refuse a phrase longer than :data:`MAX_PHRASE`, so no parser works on megabytes."""
    if len(text) > MAX_PHRASE:
        raise error(
            text, f"the phrase is {len(text):,} characters long; at most {MAX_PHRASE} are read"
        )


def describe_amount(x: float) -> str:
    """A short form of a (possibly enormous) amount for messages: "1e+29", "a 400-digit number"."""
    if isinstance(x, int) and x.bit_length() > 64:
        return f"a {len(str(abs(x)))}-digit number"
    if abs(x) >= 1e18:
        return f"{x:.3g}"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def check_amount(x: float) -> str | None:
    """Why ``x`` is not an amount claimtrack reads (not finite, or beyond :data:`MAX_AMOUNT`),
    else None."""
    try:
        if math.isfinite(x) and abs(x) <= MAX_AMOUNT:
            return None
    except OverflowError:  # an int too large for a float
        pass
    if isinstance(x, float) and not math.isfinite(x):
        return f"{x!r} is not a finite number"
    return f"{describe_amount(x)} is too large; amounts are at most {MAX_AMOUNT:,.0f}"


UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
TEENS: dict[str, int] = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
#: Multipliers that apply to the group of words before them and may be followed by more words.
SMALL_MULTIPLIERS: dict[str, int] = {"hundred": 100, "dozen": 12}
#: Scale words and their abbreviations ("2m", "400k", "1.5bn"); they close a group.
SCALES: dict[str, int] = {
    "thousand": 10**3, "k": 10**3,
    "million": 10**6, "m": 10**6, "mn": 10**6,
    "billion": 10**9, "bn": 10**9, "b": 10**9,
    "trillion": 10**12, "tn": 10**12,
}  # fmt: skip
#: Ordinal words whose cardinal is not simply the word without "th".
_IRREGULAR_ORDINALS: dict[str, str] = {
    "first": "one", "second": "two", "third": "three", "fifth": "five",
    "eighth": "eight", "ninth": "nine", "twelfth": "twelve",
}  # fmt: skip
#: Ordinal word -> the cardinal word it stands for ("twentieth" -> "twenty").
ORDINALS: dict[str, str] = {
    **_IRREGULAR_ORDINALS,
    **{w[:-1] + "ieth": w for w in TENS},
    **{
        w + "th": w
        for w in [*UNITS, *TEENS, "hundred", "thousand", "million"]
        if w != "zero" and w not in _IRREGULAR_ORDINALS.values()
    },
}
_VALUES: dict[str, int] = {**UNITS, **TEENS, **TENS}
_WORDS = {*_VALUES, *SMALL_MULTIPLIERS, *SCALES, "a", "an", "and", "half"}

_TOKEN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|[^\W\d_]+|\S")
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_ORDINAL_DIGITS = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(st|nd|rd|th)")


def normalize(text: str) -> str:
    """Lower-case ``text``, make every kind of space one space and strip it."""
    return _SPACES.sub(" ", text).strip().lower()


def tokens(text: str) -> list[str]:
    """Split normalised ``text`` into numerals, words and single other characters.

    A hyphen between two letters joins words ("twenty-five") and is dropped.
    """
    return _TOKEN.findall(re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", normalize(text)))


def _is_numeral(token: str) -> bool:
    return token[0] in "0123456789"


def _parse_tokens(text: str, toks: list[str]) -> Decimal:
    """The value of ``toks``: groups of values below a thousand, each closed by a scale word."""

    def fail(reason: str) -> QuantityError:
        return QuantityError(text, reason)

    total = Decimal(0)
    group: Decimal | None = None  # the amount before the next scale word
    last = ""  # kind of the previous token
    last_scale: int | None = None
    i = 0
    while i < len(toks):
        tok = toks[i]
        if _is_numeral(tok) or tok in _VALUES:
            kind = "ten" if tok in TENS else "unit" if tok in UNITS else "value"
            v = Decimal(tok.replace(",", "")) if _is_numeral(tok) else Decimal(_VALUES[tok])
            if group is None:
                group = v
            elif (last == "ten" and tok in UNITS and tok != "zero") or last in ("hundred", "and"):
                group += v
            else:
                raise fail(f"unexpected {tok!r}")
            last = kind
        elif tok in ("a", "an"):
            if group is not None and last != "half":
                raise fail(f"unexpected {tok!r}")
            group = group if last == "half" else Decimal(1)
            last = "a"
        elif tok == "half":
            if group is not None:
                raise fail(f"unexpected {tok!r}")
            group, last = Decimal("0.5"), "half"
        elif tok == "and":
            if toks[i + 1 : i + 3] == ["a", "half"] and last in ("unit", "ten", "value"):
                assert group is not None
                group += Decimal("0.5")
                i += 2
                last = "value"
            elif last in ("hundred", "scale"):
                last = "and"
            else:
                raise fail(f"unexpected {tok!r}")
        elif tok in SMALL_MULTIPLIERS:
            if group is None or last in ("hundred", "and"):
                raise fail(f"expected a number before {tok!r}")
            group *= SMALL_MULTIPLIERS[tok]
            last = "hundred"
        elif tok in SCALES:
            scale = SCALES[tok]
            if group is None or last in ("and", "half"):
                raise fail(f"expected a number before {tok!r}")
            if last_scale is not None and scale >= last_scale:
                raise fail(f"unexpected {tok!r}")
            total += group * scale
            group, last, last_scale = None, "scale", scale
        else:
            raise fail(f"unexpected {tok!r}")
        i += 1
    if last in ("a", "half", "and"):
        raise fail(f"expected a number after {toks[-1]!r}")
    return total + (group or 0)


def parse_number(text: str) -> float:
    """Read a number as news writes it: "1,000", "1.8 million", "twenty-five", "a dozen", "2m".

    Raises :class:`~claimtrack.errors.QuantityError` naming the first unknown word, or the token
    that does not fit where it stands.
    """
    toks = tokens(text)
    if not toks:
        raise QuantityError(text, "no number")
    for tok in toks:
        if not (_is_numeral(tok) or tok in _WORDS):
            reason = f"unknown word {tok!r}" if tok[0].isalpha() else f"unexpected {tok!r}"
            raise QuantityError(text, reason)
    exact = _parse_tokens(text, toks)
    if abs(exact) > Decimal(MAX_AMOUNT):
        raise QuantityError(text, "number too large")
    return float(exact)


_TWO = re.compile(r"(.+) and (.+)")


def two_figures(text: str) -> str | None:
    """Why a phrase that does not read is two figures ("22 and 10"), if it is, else ``None``."""
    m = _TWO.fullmatch(normalize(text))
    if m is None:
        return None
    try:
        a, b = parse_number(m.group(1)), parse_number(m.group(2))
    except QuantityError:
        return None
    return (
        f"two figures, {describe_amount(a)} and {describe_amount(b)}: a claim holds one figure; "
        "write a claim for each"
    )


def split_scale(text: str) -> tuple[float, int] | None:
    """``(mantissa, scale)`` when ``text`` is a number followed by one scale word, else ``None``.

    Used to read "1-2 million" as 1,000,000 to 2,000,000.
    """
    toks = tokens(text)
    if len(toks) < 2 or toks[-1] not in SCALES or any(t in SCALES for t in toks[:-1]):
        return None
    try:
        mantissa = parse_number(" ".join(toks[:-1]))
    except QuantityError:
        return None
    return mantissa, SCALES[toks[-1]]


def has_scale(text: str) -> bool:
    """Whether ``text`` contains a scale word ("thousand", "m", "bn"...)."""
    return any(t in SCALES for t in tokens(text))


def parse_ordinal(text: str) -> int:
    """Read an ordinal: "20th", "1st", "second", "twenty-first", "hundredth", "500th".

    Digit ordinals must carry the right suffix ("21st", not "21th"). Raises
    :class:`~claimtrack.errors.DayCountError` when ``text`` is not an ordinal.
    """
    s = normalize(text)
    if m := _ORDINAL_DIGITS.fullmatch(s):
        n = int(m.group(1).replace(",", ""))
        suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        if m.group(2) != suffix:
            raise DayCountError(text, f"wrong suffix {m.group(2)!r}, expected '{n}{suffix}'")
        if n == 0:
            raise DayCountError(text, "there is no 0th")
        if n > MAX_ORDINAL:
            raise DayCountError(text, f"day counts go up to {MAX_ORDINAL:,}")
        return n
    toks = tokens(s)
    if not toks or toks[-1] not in ORDINALS:
        raise DayCountError(text, "not an ordinal")
    cardinal = [*toks[:-1], ORDINALS[toks[-1]]]
    if len(cardinal) == 1 and cardinal[0] in ("hundred", "thousand", "million"):
        cardinal.insert(0, "one")
    try:
        value = parse_number(" ".join(cardinal))
    except QuantityError as err:  # name unknown words; other faults may involve the cardinal
        reason = err.reason if err.reason.startswith("unknown") else "not an ordinal"
        raise DayCountError(text, reason) from None
    if not value.is_integer() or value < 1:
        raise DayCountError(text, "not a whole number")
    return int(value)

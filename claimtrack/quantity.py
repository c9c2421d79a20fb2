"""Hedged quantities ("as many as 2 million", "nearly two million", "dozens") as intervals.

News rarely gives a bare number. :meth:`Estimate.parse` reads a quantity phrase into an
:class:`Estimate`, a closed interval ``[low, high]`` (a missing bound is open) with the hedge it
was read from; :class:`HedgePolicy` says how wide each hedge is. Phrases are matched
case-insensitively, with any kind of space, and en dashes read as hyphens. Anything not in the
tables raises :class:`~claimtrack.errors.QuantityError` naming the word it could not read.

## Hedge policy (defaults)

*X* is the number in the phrase; *a* = ``HedgePolicy.approximate`` (0.15), *n* =
``HedgePolicy.near`` (0.10). "open" means no bound on that side.

| Hedge | Phrases | Interval | Central value |
|---|---|---|---|
| `exact` | a bare number: "55", "1.8 million", "two million", "a dozen", "2m" | [X, X] | X |
| `approximate` | about, around, roughly, approximately, some | [X(1−a), X(1+a)] | X |
| `approximate` | an estimated, estimated, approx., circa, an approximate | [X(1−a), X(1+a)] | X |
| `near` | nearly, almost, close to, just under, just shy of | [X(1−n), X] | none |
| `at_least` | at least, no fewer than, no less than, a minimum of | [X, open] | none |
| `more_than` | more than, over, upwards of, in excess of, just over | [X, open] | none |
| `up_to` | as many as, up to, as much as, at most, no more than | [open, X] | none |
| `less_than` | fewer than, less than, under, below | [open, X] | none |
| `range` | between A and B, from A to B, A to B, A-B, A–B | [A, B] | none |
| `vague` | the whole phrase is the amount, see below | from the table | none |

Strict comparatives are read as inclusive: "more than 400,000" is [400,000, open] and "fewer
than 50" is [open, 50]. Reporters use them loosely, and an inclusive bound never makes two
figures disagree on a technicality.

In a range whose first number has no scale word and is smaller than the second number's
mantissa, the second number's scale applies to both: "between 1 and 2 million" is [1,000,000,
2,000,000], while "between 900,000 and 1.8 million" is [900,000, 1,800,000].

| Vague phrase | Interval |
|---|---|
| a few | [2, 5] |
| a few hundred | [200, 500] |
| a few thousand | [2,000, 5,000] |
| a handful | [2, 9] |
| several | [3, 9] |
| dozens | [24, 99] |
| hundreds | [200, 999] |
| several hundred | [300, 999] |
| thousands | [2,000, 9,999] |
| several thousand | [3,000, 9,999] |
| tens of thousands | [20,000, 99,999] |
| hundreds of thousands | [200,000, 999,999] |
| millions | [2,000,000, 999,000,000] |
| tens of millions | [20,000,000, 99,999,999] |

An amount in addition to another figure, with a trailing "more" ("millions more", "200 more")
or a leading "another" ("another 5,000"), keeps its interval and hedge and sets
``Estimate.additional``.

A phrase may carry a unit of measure ("$300", "18 months", "10%", "65-year-old"): it is read as
the amount without it, in that unit (:mod:`claimtrack.units`), and converted to the unit asked for
(``Estimate.parse("18 months", unit="years")`` is 1.5 years) or refused when the two do not
measure the same thing.

Tune the policy with :func:`attrs.evolve`, e.g. ``attrs.evolve(DEFAULT_HEDGE_POLICY,
approximate=0.2)``, and pass it as ``Estimate.parse(text, policy=...)``. Bounds are computed in
decimal arithmetic, so "nearly two million" is exactly [1,800,000, 2,000,000].
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from claimtrack._numbers import (
    MAX_AMOUNT,
    check_amount,
    check_phrase,
    has_scale,
    normalize,
    parse_number,
    split_scale,
    two_figures,
)
from claimtrack.errors import InputTypeError, QuantityError, UnitError
from claimtrack.units import in_unit, measured_unit, split_unit

__all__ = ["DEFAULT_HEDGE_POLICY", "Estimate", "Hedge", "HedgePolicy"]

_K = TypeVar("_K")
_V = TypeVar("_V")


class Hedge(enum.StrEnum):
    """How a phrase qualifies its number; see the table in the module docstring."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    NEAR = "near"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    UP_TO = "up_to"
    LESS_THAN = "less_than"
    RANGE = "range"
    VAGUE = "vague"


class _FrozenMap(Mapping[_K, _V]):
    """A read-only, hashable, picklable mapping for the tables of a frozen policy."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[_K, _V]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: _K) -> _V:
        return self._items[key]

    def __iter__(self) -> Iterator[_K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)


_PHRASES: dict[Hedge, tuple[str, ...]] = {
    Hedge.APPROXIMATE: (
        "about", "around", "roughly", "approximately", "some", "an estimated", "estimated",
        "approx.", "circa", "an approximate",
    ),
    Hedge.NEAR: ("nearly", "almost", "close to", "just under", "just shy of"),
    Hedge.AT_LEAST: ("at least", "no fewer than", "no less than", "a minimum of"),
    Hedge.MORE_THAN: ("more than", "over", "upwards of", "in excess of", "just over"),
    Hedge.UP_TO: ("as many as", "up to", "as much as", "at most", "no more than"),
    Hedge.LESS_THAN: ("fewer than", "less than", "under", "below"),
}  # fmt: skip
_VAGUE: dict[str, tuple[float, float | None]] = {
    "a few": (2, 5),
    "a few hundred": (200, 500),
    "a few thousand": (2_000, 5_000),
    "a handful": (2, 9),
    "several": (3, 9),
    "dozens": (24, 99),
    "hundreds": (200, 999),
    "several hundred": (300, 999),
    "thousands": (2_000, 9_999),
    "several thousand": (3_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 999_000_000),
    "tens of millions": (20_000_000, 99_999_999),
}
_PREFIX_HEDGES = frozenset(Hedge) - {Hedge.RANGE, Hedge.VAGUE}
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


def _norm(text: str) -> str:
    return normalize(text).translate(_DASHES)


def _vague_table(
    table: Mapping[str, tuple[float, float | None]],
) -> Mapping[str, tuple[float, float | None]]:
    return _FrozenMap(
        {_norm(k): (float(lo), None if hi is None else float(hi)) for k, (lo, hi) in table.items()}
    )


def _phrase_table(table: Mapping[str, Hedge]) -> Mapping[str, Hedge]:
    return _FrozenMap({_norm(k): v for k, v in table.items()})


def _check_fraction(_: Any, attribute: attrs.Attribute[float], x: float) -> None:
    if not 0 <= x < 1:
        raise ValueError(f"HedgePolicy.{attribute.name} must be in [0, 1), not {x!r}")


def _check_vague(_: Any, __: Any, table: Mapping[str, tuple[float, float | None]]) -> None:
    for phrase, (lo, hi) in table.items():
        if not phrase or not math.isfinite(lo) or (hi is not None and not lo <= hi < math.inf):
            raise ValueError(f"HedgePolicy.vague[{phrase!r}]: bad interval ({lo!r}, {hi!r})")


def _check_phrases(_: Any, __: Any, table: Mapping[str, Hedge]) -> None:
    for phrase, hedge in table.items():
        if not phrase or hedge not in _PREFIX_HEDGES:
            raise ValueError(f"HedgePolicy.phrases[{phrase!r}]: cannot be a prefix for {hedge!r}")


def _decimal(x: float) -> Decimal:
    return Decimal(repr(float(x)))


@attrs.frozen
class HedgePolicy:
    """How wide each hedge is; tune it with ``attrs.evolve(DEFAULT_HEDGE_POLICY, ...)``."""

    approximate: float = attrs.field(default=0.15, validator=_check_fraction)
    """Relative half-width *a* of "about X" and the other approximate phrases: [X(1−a), X(1+a)]."""

    near: float = attrs.field(default=0.10, validator=_check_fraction)
    """Relative width *n* below X of "nearly X" and the other near phrases: [X(1−n), X]."""

    vague: Mapping[str, tuple[float, float | None]] = attrs.field(
        factory=lambda: _VAGUE, converter=_vague_table, validator=_check_vague
    )
    """Whole phrases that are an amount ("dozens") -> (low, high); a high of ``None`` is open."""

    phrases: Mapping[str, Hedge] = attrs.field(
        factory=lambda: {p: h for h, ps in _PHRASES.items() for p in ps},
        converter=_phrase_table,
        validator=_check_phrases,
    )
    """Hedge phrases before a number ("as many as") -> the :class:`Hedge` they express."""

    def interval(self, hedge: Hedge, x: float) -> tuple[float | None, float | None]:
        """The ``(low, high)`` bounds of ``x`` qualified by ``hedge``; ``None`` is open.

        Raises :class:`ValueError` for ``RANGE`` and ``VAGUE``, which do not hedge one number.
        """
        d = _decimal(x)
        if hedge is Hedge.EXACT:
            return x, x
        if hedge is Hedge.APPROXIMATE:
            w = abs(d) * _decimal(self.approximate)
            return float(d - w), float(d + w)
        if hedge is Hedge.NEAR:
            return float(d - abs(d) * _decimal(self.near)), x
        if hedge in (Hedge.AT_LEAST, Hedge.MORE_THAN):
            return x, None
        if hedge in (Hedge.UP_TO, Hedge.LESS_THAN):
            return None, x
        raise ValueError(f"{hedge!r} does not qualify a single number")


DEFAULT_HEDGE_POLICY = HedgePolicy()


def hedge_for_bounds(low: float | None, high: float | None) -> Hedge:
    """The hedge a structured quantity implies when none is written: equal bounds are exact,
    two bounds a range, a lower bound alone "at least", an upper bound alone "up to"."""
    if low is not None and high is not None:
        return Hedge.EXACT if low == high else Hedge.RANGE
    return Hedge.AT_LEAST if low is not None else Hedge.UP_TO


def _opt_float(x: float | None) -> float | None:
    if x is None:
        return None
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise InputTypeError.of("Estimate", "numbers or None as bounds", x)
    problem = check_amount(x)
    if problem is not None:
        raise ValueError(problem)
    return float(x)


def _check_finite(_: Any, attribute: attrs.Attribute[float | None], x: float | None) -> None:
    if x is not None and not (math.isfinite(x) and abs(x) <= MAX_AMOUNT):
        raise ValueError(f"Estimate.{attribute.name}: {check_amount(x)}")


_optional_str = attrs.validators.optional(attrs.validators.instance_of(str))


def format_amount(x: float) -> str:
    """An amount for people: ``2000000.0`` -> "2,000,000", ``2.5`` -> "2.5" (at most six
    decimals)."""
    x = float(x)
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.6f}".rstrip("0").rstrip(".")


def format_interval(low: float | None, high: float | None) -> str:
    """An interval for people: "55", "≥ 16", "≤ 2,000,000", "850,000–1,150,000".

    A bound that is ``None`` or infinite is open. This is the one way claimtrack writes an
    interval: claim tables, reports and the comparator's reasons all call it.
    """
    open_low = low is None or low == -math.inf
    open_high = high is None or high == math.inf
    if open_low and open_high:
        return "any amount"
    if open_low:
        assert high is not None
        return f"≤ {format_amount(high)}"
    if open_high:
        assert low is not None
        return f"≥ {format_amount(low)}"
    assert low is not None and high is not None
    if low == high:
        return format_amount(low)
    return f"{format_amount(low)}–{format_amount(high)}"


@attrs.frozen
class Estimate:
    """A quantity as reported: the closed interval ``[low, high]`` it allows, and how it was hedged.

    A bound of ``None`` is open. ``value`` is the central value when the phrase gives one (exact
    and approximate hedges). ``additional`` marks an amount in addition to another figure
    ("millions more", "another 5,000").
    """

    low: float | None = attrs.field(converter=_opt_float, validator=_check_finite)
    """Inclusive lower bound; ``None`` means no lower bound."""
    high: float | None = attrs.field(converter=_opt_float, validator=_check_finite)
    """Inclusive upper bound; ``None`` means no upper bound."""
    value: float | None = attrs.field(default=None, converter=_opt_float, validator=_check_finite)
    """The central value when the phrase gives one, else ``None``."""
    hedge: Hedge = attrs.field(default=Hedge.EXACT, converter=Hedge)
    """The hedge the phrase was read from."""
    unit: str | None = attrs.field(default=None, validator=_optional_str)
    """What is counted ("people", "USD"), if known."""
    text: str | None = attrs.field(default=None, validator=_optional_str)
    """The phrase as written, e.g. "as many as 2 million"."""
    additional: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    """Whether the amount is in addition to another figure ("millions more")."""

    @high.validator
    def _check_order(self, _: Any, high: float | None) -> None:
        if self.low is None and high is None:
            raise ValueError("an estimate needs at least one bound (low or high)")
        if self.low is not None and high is not None and self.low > high:
            raise ValueError(f"Estimate low {self.low!r} is above high {high!r}")

    @value.validator
    def _check_value(self, _: Any, value: float | None) -> None:
        if value is not None and not self.lo <= value <= self.hi:
            raise ValueError(f"Estimate value {value!r} is outside [{self.low!r}, {self.high!r}]")

    @classmethod
    def parse(
        cls, text: str, *, unit: str | None = None, policy: HedgePolicy = DEFAULT_HEDGE_POLICY
    ) -> Estimate:
        """Read a quantity phrase; see the module docstring for the tables.

        ``unit``: the unit the estimate is in. A phrase without a unit is taken to be in it; a
        phrase with one ("18 months") is converted to it (see :meth:`to`); without ``unit``, the
        estimate is in the phrase's unit, or has none.

        Raises :class:`~claimtrack.errors.QuantityError` naming ``text`` and the unknown word (or
        saying the phrase is over :data:`~claimtrack._numbers.MAX_PHRASE` characters, or its
        number over 10^15, or that it holds two figures or two units),
        :class:`~claimtrack.errors.UnitError` when its unit cannot be converted to ``unit``, and
        :class:`~claimtrack.errors.InputTypeError` when ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise InputTypeError.of("Estimate.parse", "a phrase (str)", text)
        check_phrase(text, QuantityError)
        s = _norm(text)
        additional = False
        if s.startswith("another "):
            s, additional = s.removeprefix("another "), True
        if s.endswith(" more"):
            s, additional = s.removesuffix(" more"), True
        try:
            s, written = split_unit(s)
        except ValueError as err:
            raise QuantityError(text, str(err)) from None
        try:
            low, high, value, hedge = _read(s, policy)
        except QuantityError as err:
            raise QuantityError(text, two_figures(s) or err.reason) from None
        if written is not None:
            (low, high, value), unit = in_unit(text, (low, high, value), written, unit)
        return cls(low, high, value, hedge, unit, text.strip(), additional)

    def to(self, unit: str) -> Estimate:
        """This estimate in ``unit``: converted when both are measured units
        (:mod:`claimtrack.units`: ``Estimate.parse("18 months").to("years")`` is 1.5 years), the
        same bounds when it has no unit (a bare figure is taken to be in ``unit``) or is in
        ``unit`` already (in another spelling: "per cent", "percent").

        Raises :class:`~claimtrack.errors.UnitError` when it cannot be: units of different
        dimensions (money and a duration), two currencies (no exchange rate is declared), a
        count and a measured unit, or two different counts ("people", "facilities").
        """
        if self.unit is None or self.unit == unit:
            return attrs.evolve(self, unit=unit)
        written = measured_unit(self.unit)
        shown = self.text if self.text is not None else f"{self.interval_text()} {self.unit}"
        if written is None:
            goal = measured_unit(unit)
            what = unit if goal is None else goal.describe()
            raise UnitError(shown, f"it is a count of {self.unit}, not {what}", unit)
        bounds, unit = in_unit(shown, (self.low, self.high, self.value), written, unit)
        return attrs.evolve(self, low=bounds[0], high=bounds[1], value=bounds[2], unit=unit)

    def rehedged(self, policy: HedgePolicy, read: Estimate | None = None) -> Estimate:
        """This estimate with its phrase read again under ``policy`` (other hedge widths).

        An estimate read from its phrase (its ``text`` reads as the same hedge, value and
        "additional") gets the bounds ``policy`` gives that phrase. An estimate without a text,
        or given with explicit bounds (a text that reads as another hedge or value describes it,
        it does not state it), is returned as it is. ``read`` is ``Estimate.parse(text,
        policy=policy)`` when already known.

        Raises :class:`~claimtrack.errors.QuantityError` for a text ``policy`` cannot read,
        unless the bounds are all there is to the estimate (its hedge is what they imply).
        """
        if self.text is None:
            return self
        if read is None:
            try:
                read = Estimate.parse(self.text, unit=self.unit, policy=policy)
            except QuantityError:
                if self.hedge is hedge_for_bounds(self.low, self.high):
                    return self
                raise
        if (read.hedge, read.value, read.additional) != (self.hedge, self.value, self.additional):
            return self
        if (read.low, read.high) == (self.low, self.high):
            return self
        return attrs.evolve(self, low=read.low, high=read.high)

    @classmethod
    def exact(cls, x: float, *, unit: str | None = None) -> Estimate:
        """The exact amount ``x``."""
        return cls(x, x, x, Hedge.EXACT, unit)

    @property
    def lo(self) -> float:
        """The lower bound, ``-inf`` when open."""
        return -math.inf if self.low is None else self.low

    @property
    def hi(self) -> float:
        """The upper bound, ``+inf`` when open."""
        return math.inf if self.high is None else self.high

    def overlaps(self, other: Estimate) -> bool:
        """Whether the two closed intervals share at least one number."""
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, other: Estimate) -> bool:
        """Whether ``other``'s interval lies inside this one."""
        return self.lo <= other.lo and other.hi <= self.hi

    def interval_text(self) -> str:
        """The interval for people: "55", "≥ 16", "≤ 2,000,000", "850,000–1,150,000"
        (:func:`format_interval`)."""
        return format_interval(self.low, self.high)


_Read = tuple[float | None, float | None, float | None, Hedge]


def _read(s: str, policy: HedgePolicy) -> _Read:
    """``(low, high, value, hedge)`` of the normalised phrase ``s``."""
    if s in policy.vague:
        lo, hi = policy.vague[s]
        return lo, hi, None, Hedge.VAGUE
    for phrase in sorted(policy.phrases, key=len, reverse=True):
        rest = _after(s, phrase)
        if rest is not None:
            if not rest:
                raise QuantityError(s, f"no number after {phrase!r}")
            x = parse_number(rest)
            hedge = policy.phrases[phrase]
            low, high = policy.interval(hedge, x)
            if not all(
                math.isfinite(v) and abs(v) <= MAX_AMOUNT for v in (low, high) if v is not None
            ):
                raise QuantityError(s, "number too large")
            return low, high, x if hedge in (Hedge.EXACT, Hedge.APPROXIMATE) else None, hedge
    for prefix, sep in (("between ", " and "), ("from ", " to ")):
        if s.startswith(prefix):
            return _read_range(s, s.removeprefix(prefix), sep)
    try:
        x = parse_number(s)
    except QuantityError as err:
        try:
            return _read_range(s, s, " to ", "-")
        except QuantityError as range_err:
            raise range_err if range_err.reason.startswith("range") else err from None
    return x, x, x, Hedge.EXACT


def _after(s: str, phrase: str) -> str | None:
    """What follows ``phrase`` at the start of ``s`` as a whole word, else ``None``."""
    if not s.startswith(phrase):
        return None
    rest = s[len(phrase) :]
    if rest and phrase[-1].isalnum() and not rest[0].isspace():
        return None
    return rest.strip()


def _read_range(s: str, body: str, *seps: str) -> _Read:
    """Split ``body`` at each occurrence of a separator; the first split that reads wins."""
    errors: list[QuantityError] = []
    for sep in seps:
        # Two numbers hold at most a few hyphens ("twenty-five-thirty"): more is not a range,
        # and trying every split would take quadratic time.
        if body.count(sep) > _MAX_SPLITS:
            errors.append(QuantityError(s, f"too many {sep.strip()!r} for a range"))
            continue
        start = body.find(sep, 1)
        while start != -1:
            a, b = body[:start].strip(), body[start + len(sep) :].strip()
            try:
                low, high = _range_bounds(s, a, b)
            except QuantityError as err:
                errors.append(err)
            else:
                return low, high, None, Hedge.RANGE
            start = body.find(sep, start + 1)
    errors.sort(key=lambda e: not e.reason.startswith("unknown"))  # stable: unknown words first
    raise errors[0] if errors else QuantityError(s, "expected a range")


_MAX_SPLITS = 8


def _range_bounds(s: str, a_text: str, b_text: str) -> tuple[float, float]:
    a, b = parse_number(a_text), parse_number(b_text)
    scaled = split_scale(b_text)
    if scaled is not None and not has_scale(a_text) and a < scaled[0]:
        a = float(_decimal(a) * scaled[1])
    if a > b:
        raise QuantityError(
            s, f"range runs backwards, from {format_amount(a)} down to {format_amount(b)}"
        )
    return a, b

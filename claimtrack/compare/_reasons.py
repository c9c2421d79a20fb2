"""The reason sentences of the comparison rules: templates over the two claims' texts and the
numbers of a pair (see :mod:`claimtrack.compare._template`), one builder per kind of claim."""

from __future__ import annotations

import numpy as np

from claimtrack.compare._arrays import Floats
from claimtrack.compare._pairs import Pairs
from claimtrack.compare._provenance import WEIGH
from claimtrack.compare._template import Template


def _day_tolerance(p: Pairs) -> Floats:
    return np.asarray(p.policy.day_count_tolerance_days, dtype=np.float64)


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _days_text(days: float) -> str:
    if days == 0:
        return "at the same time"
    return "1 day apart" if days == 1 else f"{days:,.0f} days apart"


def _count_gap(gap: float) -> str:
    return f"{gap:,.0f}"


def _day_count(days: float) -> str:
    return "1 day" if days == 1 else f"{days:,.0f} days"


def _sides(**fields: str) -> dict[str, tuple[str, str]]:
    """``ca="claimant"`` → ``{"ca": ("a", "claimant"), "cb": ("b", "claimant")}``."""
    return {
        f"{name}{side}": (side, column) for name, column in fields.items() for side in ("a", "b")
    }


def _explain_quantities(template: str) -> Template:
    return Template(
        template,
        _sides(c="claimant", v="value_text", w="when", s="source"),
        {
            "gap": (lambda p: p.relative_gap, _pct),
            "days": (lambda p: p.days_apart, _days_text),
            "sim": (lambda p: p.quote_similarity, None),
            "weigh": WEIGH,
        },
    )


def _explain_counts(template: str) -> Template:
    return Template(
        template,
        _sides(c="claimant", n="ordinal_text", w="when", start="start_text"),
        {
            "gap": (lambda p: p.start_gap, _count_gap),
            "off": (lambda p: p.start_gap, _day_count),
            "tol": (lambda p: np.full(len(p.i), _day_tolerance(p)), _day_count),
            "weigh": WEIGH,
        },
    )


def _explain_dates(template: str) -> Template:
    return Template(template, _sides(c="claimant", d="date_text", s="source"), {"weigh": WEIGH})


def _explain_any(template: str) -> Template:
    return Template(template, _sides(c="claimant", w="when", k="kind_text", s="source"))


def _explain_statements(template: str) -> Template:
    return Template(
        template,
        {
            "first": ("a", "statement_text"),
            "second": ("b", "statement_text"),
            "label": ("a", "label"),
            **_sides(s="source"),
        },
        {"weigh": WEIGH},
    )

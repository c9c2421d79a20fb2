"""Units in the comparison: the prepared columns of each claim's unit, and the masks and reasons
of the rules on units (:data:`claimtrack.compare.RULES` holds the rules).

Figures loaded from claim files are in their subject's unit already (converted at load time:
:meth:`claimtrack.Estimate.to`); the kernel converts nothing. It keeps figures in two different
units apart (a claims frame may hold them), and checks ages given at different times by
arithmetic: an age of *X* whole units (years, months) at time *t* puts the birth after
*t* − (*X* + 1) units and at the latest *t* − *X* units; two ages are consistent when the
births they imply can be the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from claimtrack.compare._arrays import EPOCH, Bools, Floats, _factor, _values
from claimtrack.compare._pairs import Pairs
from claimtrack.compare._template import Template
from claimtrack.compare._vocabulary import QUANTITY
from claimtrack.units import days_per, measured_unit

_YEAR = 365.25


def unit_columns(frame: pd.DataFrame, cols: dict[str, Any]) -> dict[str, Any]:
    """Per claim: ``unit`` (its unit as the frame gives it, ``None`` for none), ``unit_code``
    (equal for the spellings of one measured unit, -1 for none), ``age_days`` (the length of one
    unit of age in days, NaN when not an age) and ``birth0`` .. ``birth1``, the days (whole) the
    age puts the birth between (NaN when not an age or undated). Each unit is looked up once."""
    n = len(frame)
    if "unit" in frame.columns:
        code, names = _factor(frame["unit"])
    else:  # a frame made before units were read
        code, names = np.full(n, -1, dtype=np.int64), np.zeros(0, dtype=object)
    found = [measured_unit(str(name)) for name in names.tolist()]
    key = [None if u is None else u.name for u in found]  # counts ("people") are not compared
    same, _ = pd.factorize(pd.Series(key, dtype=object))
    unit_code = np.append(np.asarray(same, dtype=np.int64), -1)[code]
    age = np.array([days_per(str(name)) or np.nan for name in names.tolist()] + [np.nan])[code]
    age = np.where(cols["kind"] == QUANTITY, age, np.nan)
    with np.errstate(invalid="ignore"):  # open bounds: a birth as early or late as may be
        # in whole days, widened by less than one (a year is 365.25 days): few distinct values
        birth0 = np.floor(cols["t0"] - (cols["hi"] + 1) * age)
        birth1 = np.ceil(cols["t1"] - cols["lo"] * age)
    return {
        "unit": _values(code, names),
        "unit_code": unit_code,
        "age_days": age,
        "birth0": birth0,
        "birth1": birth1,
    }


def different_units(p: Pairs) -> Bools:
    """Two claims in different measured units (a claims frame's: a claim file's figures are in
    their subject's unit)."""
    a, b = p.a("unit_code"), p.b("unit_code")
    return np.asarray((a >= 0) & (b >= 0) & (a != b))


def _ages(p: Pairs) -> Bools:
    dated = ~np.isnan(p.a("birth0")) & ~np.isnan(p.b("birth0"))
    additional = p.a("additional") | p.b("additional")  # "two years more" is not an age
    return np.asarray(dated & (p.a("age_days") == p.b("age_days")) & ~additional)


def birth_gap(p: Pairs) -> Floats:
    """Days between the births two ages imply (0 or less: they can be the same birth)."""
    return np.asarray(
        np.maximum(p.a("birth0"), p.b("birth0")) - np.minimum(p.a("birth1"), p.b("birth1"))
    )


def ages_disagree(p: Pairs) -> Bools:
    """Two ages of one subject that cannot both hold: the births they imply do not meet."""
    return np.asarray(_ages(p) & (birth_gap(p) >= 0))


def age_advances(p: Pairs) -> Bools:
    """Two different ages at different times that imply a birth they can share."""
    return np.asarray(_ages(p) & (birth_gap(p) < 0) & ~p.equal & (p.days_apart > 0))


def _in_years(days: Floats) -> Floats:
    """Days as years to one decimal: few distinct values, each written once."""
    return np.asarray(np.round(days / _YEAR, 1))


def _years(years: float) -> str:
    if years == 0:
        return "less than a month"
    return "1 year" if years == 1 else f"{years:,.1f} years"


def _in_months(days: Floats) -> Floats:
    """Days as months since 1970 (whole, NaN and infinite kept): few distinct values."""
    finite = np.isfinite(days)
    months = (EPOCH + np.where(finite, days, 0).astype("timedelta64[D]")).astype("datetime64[M]")
    return np.where(finite, months.astype(np.int64).astype(np.float64), days)


def _month(month: float) -> str:
    if not np.isfinite(month):  # an open bound ("at least 60")
        return "no earliest date" if month < 0 else "no latest date"
    return str(np.datetime64(int(month), "M"))


def _apart(p: Pairs) -> Floats:
    return _in_years(np.abs((p.b("t0") + p.b("t1")) - (p.a("t0") + p.a("t1"))) / 2)


_SIDES = {
    "ca": ("a", "claimant"),
    "cb": ("b", "claimant"),
    "va": ("a", "value_text"),
    "vb": ("b", "value_text"),
    "wa": ("a", "when"),
    "wb": ("b", "when"),
}
_BIRTHS = {
    "apart": (_apart, _years),
    "born0": (lambda p: _in_months(np.maximum(p.a("birth0"), p.b("birth0"))), _month),
    "born1": (lambda p: _in_months(np.minimum(p.a("birth1"), p.b("birth1"))), _month),
    "from_a": (lambda p: _in_months(p.a("birth0")), _month),
    "to_a": (lambda p: _in_months(p.a("birth1")), _month),
    "from_b": (lambda p: _in_months(p.b("birth0")), _month),
    "to_b": (lambda p: _in_months(p.b("birth1")), _month),
    "gap": (lambda p: _in_years(birth_gap(p)), _years),
}

DIFFERENT_UNITS = Template(
    "{ca} gives {va} in {ua} and {cb} gives {vb} in {ub}: figures in different units are not "
    "compared (claim files convert each figure to its subject's unit; amounts in two "
    "currencies would need an exchange rate, which is not assumed)",
    {**_SIDES, "ua": ("a", "unit"), "ub": ("b", "unit")},
)
AGES_DISAGREE = Template(
    "{va} as of {wa} ({ca}) and {vb} as of {wb} ({cb}) are {apart} apart: inconsistent by "
    "{gap} (the first puts the birth between {from_a} and {to_a}, the second between {from_b} "
    "and {to_b})",
    _SIDES,
    _BIRTHS,
)
AGE_ADVANCES = Template(
    "{va} as of {wa} ({ca}) and {vb} as of {wb} ({cb}) are {apart} apart: consistent, an age "
    "advancing with time (both put the birth between {born0} and {born1})",
    _SIDES,
    _BIRTHS,
)

"""What the link rules share (``_link_rules``, ``_link_statements``): the link pairs of a chunk,
per-pair texts built once per distinct value, and the speech acts of stances as arrays by stance
code."""

from __future__ import annotations

from typing import Any

import numpy as np

from claimtrack.claim import Stance
from claimtrack.compare._arrays import Bools, Floats, Objects, _distinct, _per_distinct
from claimtrack.compare._link_pairs import LinkPairs
from claimtrack.compare._pairs import Pairs
from claimtrack.compare._texts import _interval_texts
from claimtrack.compare._vocabulary import QUANTITY, STANCE_ACTS, STANCES


def _acts(kind: str, positive: bool) -> Any:
    """Per stance code, whether it is a speech act of ``kind`` for (``positive``) or against the
    proposition; the last entry, for -1 (no stance), is False."""
    return np.array(
        [
            (act := STANCE_ACTS.get(Stance(name))) is not None
            and act.kind == kind
            and act.positive == positive
            for name in STANCES
        ]
        + [False],
        dtype=bool,
    )


_ASSERTS = _acts("assertive", True)
"""Per stance code: an assertion for the proposition (asserts, warns, believes ...)."""
_DENIES = _acts("assertive", False)
"""Per stance code: an assertion against it (denies)."""
_PROMISES = _acts("commissive", True)
"""Per stance code: a commitment to it (promises)."""
_DEMANDS = _acts("directive", True)
"""Per stance code: a call for it (demands)."""


def _lp(p: Pairs) -> LinkPairs:
    assert isinstance(p, LinkPairs)
    return p


def _intervals(lo: Floats, hi: Floats) -> Objects:
    """Intervals as :func:`claimtrack.format_interval` writes them, once per distinct one."""
    code, first = _distinct(lo, hi)
    zeros = np.zeros(len(first), dtype=np.int64) + QUANTITY
    return _per_distinct(_interval_texts(lo[first], hi[first], zeros), code)


def _numbers(values: Floats) -> Objects:
    code, first = _distinct(values)
    return _per_distinct([f"{v:,.0f}" for v in values[first].tolist()], code)


def _gap_text(days: Floats) -> Objects:
    """ "198 days (about 6 months)"; "1 day"; "the same day"."""
    code, first = _distinct(days)
    texts = []
    for d in days[first].tolist():
        if d == 0:
            texts.append("the same day")
        elif d == 1:
            texts.append("1 day")
        elif d >= 60:
            texts.append(f"{d:,.0f} days (about {d / 30.44:.0f} months)")
        else:
            texts.append(f"{d:,.0f} days")
    return _per_distinct(texts, code)


def _join(*parts: Any) -> list[str]:
    """Texts and per-pair text arrays joined element-wise (numpy adds the object arrays)."""
    out: Any = ""
    for part in parts:
        out = out + (np.asarray(part, dtype=object) if isinstance(part, list) else part)
    return [str(x) for x in np.asarray(out, dtype=object).tolist()]


def _side(p: Pairs, m: Bools, side: str, column: str) -> Objects:
    return np.asarray((p.a if side == "a" else p.b)(column)[m], dtype=object)

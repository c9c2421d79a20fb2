"""Reason templates: a sentence whose fields are per-claim texts or per-pair numbers.

A :class:`Template` writes the reasons of many pairs without a Python loop per pair: each claim's
fields are joined once per claim, then gathered once per pair (with Arrow's string kernels when the
pairs go to Parquet).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from claimtrack.compare._arrays import Bools, Floats, Ints
from claimtrack.compare._pairs import Pairs

PairNumber = tuple[Callable[[Pairs], Floats], Callable[[float], str] | None]


Part = tuple[str, str | None, str]  # literal text, then a field name (or None) and its spec
Run = tuple[str, tuple[tuple[str, str, str], ...]]  # side, then (literal, column, spec) items


def _parse(text: str) -> tuple[Part, ...]:
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(text):
        if conversion:
            raise ValueError(
                f"reason template {text!r}: conversions (!{conversion}) are not supported"
            )
        parts.append((literal, name, spec or ""))
    return tuple(parts)


def _plan(template: Template) -> tuple[str | Run | Part, ...]:
    """The template as literal texts, runs of one claim's fields (with the literals between them:
    joined once per claim, then gathered once per pair) and per-pair number fields."""
    plan: list[Any] = []
    for literal, name, spec in template.parts:
        run = plan[-1] if plan and isinstance(plan[-1], list) else None
        if name is not None and name in template.claims:
            side, column = template.claims[name]
            if run is not None and run[0] == side:
                run[1].append((literal, column, spec))
                continue
            if literal:
                plan.append(literal)
            plan.append([side, [("", column, spec)]])
            continue
        if literal:
            plan.append(literal)
        if name is not None:
            plan.append(("", name, spec))
    return tuple((x[0], tuple(x[1])) if isinstance(x, list) else x for x in plan)


@attrs.frozen
class Template:
    """A reason sentence (``str.format`` syntax) whose fields are per-claim texts or per-pair numbers.

    ``claims`` maps a field to ``(side, column)``: the prepared column's text for claim ``a`` or
    ``b``. ``numbers`` maps a field to ``(values, text)``: a per-pair number and how to write it
    (``None``: ``format(value, spec)``), written once per distinct value. Calling a template gives
    the reasons of the masked pairs as a list (like any ``Rule.explain``); :meth:`arrow` builds
    the same texts with Arrow's string kernels, which is what writing to Parquet uses.
    """

    text: str
    claims: Mapping[str, tuple[str, str]] = attrs.field(factory=dict, repr=False)
    numbers: Mapping[str, PairNumber] = attrs.field(factory=dict, repr=False)
    parts: tuple[Part, ...] = attrs.field(
        init=False,
        repr=False,
        default=attrs.Factory(lambda self: _parse(self.text), takes_self=True),
    )
    plan: tuple[str | Run | Part, ...] = attrs.field(
        init=False, repr=False, default=attrs.Factory(_plan, takes_self=True)
    )

    def _numbers(self, p: Pairs, k: Any, name: str, spec: str) -> tuple[list[str], Ints]:
        """The distinct values of a number field as texts, and which one each selected pair has."""
        values, text = self.numbers[name]
        which, uniques = pd.factorize(values(p)[k], use_na_sentinel=False)
        texts = [
            format(u, spec) if text is None else format(text(u), spec) for u in uniques.tolist()
        ]
        return texts, np.asarray(which, dtype=np.int64)

    def __call__(self, p: Pairs, m: Bools) -> list[str]:
        pattern, columns = [], []
        for literal, name, spec in self.parts:
            pattern.append(literal.replace("{", "{{").replace("}", "}}"))
            if name is None:
                continue
            if name in self.claims:
                side, column = self.claims[name]
                columns.append((p.a if side == "a" else p.b)(column)[m].tolist())
                pattern.append("{:" + spec + "}" if spec else "{}")
            else:
                texts, which = self._numbers(p, m, name, spec)
                columns.append(np.array(texts, dtype=object)[which].tolist())
                pattern.append("{}")
        fmt = "".join(pattern).format
        if not columns:
            return [fmt()] * int(m.sum())
        return list(map(fmt, *columns))

    def arrow(self, p: Pairs, k: Ints) -> Any:
        """The reasons of pairs ``k`` (positions in the chunk) as an Arrow ``large_string`` array."""
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.large_string()
        pieces: list[Any] = []
        for item in self.plan:
            if isinstance(item, str):
                pieces.append(pa.scalar(item, type=text))
            elif len(item) == 2:
                side, run = item
                rows = (p.i if side == "a" else p.j)[k] - p.lo
                pieces.append(p.run_texts(run).take(pa.array(rows)))
            else:
                texts, which = self._numbers(p, k, str(item[1]), item[2])
                pieces.append(pa.array(texts, type=text).take(pa.array(which)))
        if all(isinstance(x, pa.Scalar) for x in pieces):
            return pa.array(["".join(x.as_py() for x in pieces)] * len(k), type=text)
        if len(pieces) == 1:
            return pieces[0]
        return pc.binary_join_element_wise(*pieces, pa.scalar("", type=text))

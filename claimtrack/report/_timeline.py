r"""The timeline figure of a quantity subject (matplotlib, SVG): each claim's interval over the
days it holds, coloured by claimant, with the consensus as a band.

Figures need ``claimtrack[plot]``; :func:`timeline_svg` is ``None`` without matplotlib. The same
claims always give the same bytes (no dates, a fixed hash salt). Texts from claim files (the unit)
are made plain (:func:`claimtrack._safe_text.plain_text`) and drawn as they are, never as
mathtext or TeX (``$\frac{$`` is a unit like any other); dates from year 1 to 9999 fit on the
axis.
"""

from __future__ import annotations

import datetime
import importlib
import io
import itertools
import warnings
from collections.abc import Sequence
from typing import Any

import attrs

from claimtrack._safe_text import plain_text
from claimtrack.quantity import Estimate
from claimtrack.report._lines import ClaimLine
from claimtrack.report._model import SubjectPart

PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#b8860b")
"""Claimant colours (Okabe-Ito, safe for colour blindness), assigned in claimant id order; past
the eighth claimant, the seventh and later share :data:`OTHERS`."""

OTHERS = "#6e7781"
"""The colour of the claimants past the palette's, labelled "N other claimants"."""


_DATE_RANGE = (datetime.datetime(1, 1, 1), datetime.datetime(9999, 12, 31, 23, 59))
"""The first and last moment matplotlib's date axis can show."""


def bars_of(part: SubjectPart) -> list[tuple[ClaimLine, Estimate]]:
    """The claims drawn as bars, with their estimates: not the additional amounts."""
    out = []
    for line in part.claims:
        value = line.claim.value
        if isinstance(value, Estimate) and not value.additional:
            out.append((line, value))
    return out


def _compact(x: float) -> str:
    """A value axis tick label: "1.5M", "850k" (the figure's own short form; texts use
    :func:`claimtrack.quantity.format_amount`)."""
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= scale:
            return f"{x / scale:.4g}{suffix}"
    return f"{x:.4g}"


def timeline_svg(part: SubjectPart) -> str | None:
    """The subject's timeline as an SVG file's text, or ``None`` without matplotlib.

    Bars span each claim's interval (y) over the days its time covers (x), coloured by
    claimant; open bounds fade out towards the axis edge and end in an arrow; the consensus
    interval is a grey band. The output is byte-identical for the same claims.
    """
    try:
        # Imported by name so that typing is the same with and without matplotlib installed.
        matplotlib: Any = importlib.import_module("matplotlib")
        mdates: Any = importlib.import_module("matplotlib.dates")
        agg: Any = importlib.import_module("matplotlib.backends.backend_agg")
        figure: Any = importlib.import_module("matplotlib.figure")
        patches: Any = importlib.import_module("matplotlib.patches")
        ticker: Any = importlib.import_module("matplotlib.ticker")
    except ImportError:
        return None
    bars = bars_of(part)
    if not bars:
        return None
    axis = _Axis.for_bars([e for _l, e in bars])
    starts = [float(mdates.date2num(line.when.start)) for line, _e in bars]
    ends = [float(mdates.date2num(line.when.end)) + 1.0 for line, _e in bars]  # the whole last day
    span = max(max(ends) - min(starts), 30.0)
    first, last = (float(mdates.date2num(d)) for d in _DATE_RANGE)
    left = max(min(starts) - 0.06 * span, first)
    right = min(max(ends) + 0.06 * span, last)
    min_width = 0.022 * (right - left)
    claimants = sorted({line.claim.claimant for line, _e in bars})
    others: list[str] = []
    if len(claimants) > len(PALETTE):  # one colour for the claimants past the palette's
        claimants, others = claimants[: len(PALETTE) - 1], claimants[len(PALETTE) - 1 :]
    colour = {c: PALETTE[i] for i, c in enumerate(claimants)} | {c: OTHERS for c in others}

    rc = {
        "svg.fonttype": "none",
        "svg.hashsalt": f"claimtrack-{part.subject.id}",
        "font.family": ["sans-serif"],
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "text.usetex": False,
        "text.parse_math": False,
    }
    with matplotlib.rc_context(rc):
        fig = figure.Figure(figsize=(5.6, 3.4), layout="constrained")
        agg.FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if part.consensus_low is not None and part.consensus_high is not None:
            ax.axhspan(part.consensus_low, part.consensus_high, color="#8c959f", alpha=0.25, lw=0)
        for (line, est), (x, width, k) in zip(bars, _slots(starts, ends, min_width), strict=True):
            _draw_bar(ax, patches.Rectangle, x, width, est, colour[line.claim.claimant], axis)
            above = est.high is not None  # open-ended bars are labelled below their bound
            ax.annotate(
                line.ref,
                (x + width / 2, est.high if est.high is not None else est.lo),
                xytext=(0, (3 + 11 * k) if above else (-3 - 11 * k)),
                textcoords="offset points",
                ha="center",
                va="bottom" if above else "top",
                fontsize=9,
                color="#1b1f24",
            )
        ax.set_xlim(left, right)
        if axis.log:
            ax.set_yscale("log")
            ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_ylim(axis.bottom, axis.top)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _pos: _compact(y)))
        unit = plain_text(part.subject.unit or "value")
        ax.set_ylabel(unit + (" (log scale)" if axis.log else ""), usetex=False, parse_math=False)
        ax.grid(axis="y", color="#d0d7de", lw=0.6)
        ax.set_axisbelow(True)
        handles = [patches.Patch(color=colour[c], label=c) for c in claimants]
        if others:
            handles.append(patches.Patch(color=OTHERS, label=f"{len(others)} other claimants"))
        if part.consensus_low is not None:
            handles.append(patches.Patch(color="#8c959f", alpha=0.25, label="consensus"))
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 3 if max(len(c) for c in claimants) <= 14 else 2),
            frameon=False,
        )
        buffer = io.StringIO()
        with warnings.catch_warnings():  # text stays text in the SVG: the reader's fonts draw it
            warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
            fig.savefig(
                buffer,
                format="svg",
                metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
            )
    return buffer.getvalue()


def _slots(
    starts: list[float], ends: list[float], min_width: float
) -> list[tuple[float, float, int]]:
    """Where each bar goes (left edge, width, label row): claims holding over the same days
    stand side by side instead of hiding each other; labels of bars too narrow for them are
    stacked in rows."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, key in enumerate(zip(starts, ends, strict=True)):
        groups.setdefault(key, []).append(i)
    slots = [(0.0, 0.0, 0)] * len(starts)
    for (x0, x1), members in groups.items():
        total = max(x1 - x0, min_width * len(members))
        width = total / len(members)
        left = (x0 + x1) / 2 - total / 2
        for k, i in enumerate(members):
            slots[i] = (left + k * width, width, k if width < 2 * min_width else 0)
    return slots


def _draw_bar(
    ax: Any, rectangle: Any, x: float, width: float, est: Estimate, colour: str, axis: _Axis
) -> None:
    """One claim: a solid bar for a closed interval, a fade and an arrow towards an open end."""
    if est.low is not None and est.high is not None:
        if axis.flat(est.low, est.high):
            ax.plot([x, x + width], [est.low, est.low], color=colour, lw=2.5)
            ax.plot([x + width / 2], [est.low], marker="D", ms=5, color=colour)
            return
        height = est.high - est.low
        ax.add_patch(rectangle((x, est.low), width, height, facecolor=colour, alpha=0.55, lw=0))
        ax.add_patch(rectangle((x, est.low), width, height, fill=False, edgecolor=colour, lw=1.2))
        return
    if est.low is not None:  # open upwards: fade from the low bound to the top edge
        start, end, marker = est.low, axis.top, "^"
    else:  # open downwards: fade from the high bound to the bottom edge
        assert est.high is not None
        start, end, marker = est.high, axis.bottom, "v"
    edges = axis.steps(start, end, 8)
    for i, (y0, y1) in enumerate(itertools.pairwise(edges)):
        ax.add_patch(
            rectangle(
                (x, min(y0, y1)),
                width,
                abs(y1 - y0),
                facecolor=colour,
                alpha=0.55 * (1 - i / 8),
                lw=0,
            )
        )
    ax.plot([x, x + width], [start, start], color=colour, lw=2)
    ax.plot([x + width / 2], [end], marker=marker, ms=6, color=colour, clip_on=False)


@attrs.frozen
class _Axis:
    """The value axis: linear from zero, or logarithmic when the figures span orders of magnitude."""

    bottom: float
    top: float
    log: bool

    @classmethod
    def for_bars(cls, bars: Sequence[Estimate]) -> _Axis:
        finite = [x for e in bars for x in (e.low, e.high) if x is not None]
        low, high = min(finite), max(finite)
        open_top = any(e.high is None for e in bars)
        if low > 0 and high / low > 30:
            return cls(low / 3, high * (6 if open_top else 3), log=True)
        top = high * (1.4 if open_top else 1.15) if high > 0 else 1.0
        return cls(min(0.0, low * 1.15), top, log=False)

    def flat(self, low: float, high: float) -> bool:
        """Whether ``low..high`` is too thin to draw as a bar."""
        if self.log:
            return high / low < 1.02
        return high - low <= (self.top - self.bottom) * 0.004

    def steps(self, start: float, end: float, n: int) -> list[float]:
        """``n + 1`` edges from ``start`` to ``end``, evenly spaced on this axis."""
        if self.log:
            ratio = end / start
            return [start * ratio ** (i / n) for i in range(n + 1)]
        return [start + (end - start) * i / n for i in range(n + 1)]

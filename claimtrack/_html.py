"""The HTML report: one self-contained page, and its timeline figures (matplotlib, inline SVG).

The page loads nothing: styles are inline, there are no scripts, fonts or images to fetch, and a
Content-Security-Policy forbids any. Every piece of text that comes from a claim file goes through
:func:`esc`. Figures need ``claimtrack[plot]``; without matplotlib the page says how to get them.
"""

from __future__ import annotations

import datetime
import html
import importlib
import io
import itertools
import re
from collections.abc import Sequence
from typing import Any

import attrs

from claimtrack.quantity import Estimate
from claimtrack.reporting import (
    FINDING_TITLES,
    ClaimLine,
    Finding,
    PairLine,
    ReportModel,
    SubjectPart,
    finding_claims,
)
from claimtrack.subject import SubjectKind

PLOT_HINT = "pip install 'claimtrack[plot]'"

PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#b8860b")
"""Claimant colours (Okabe-Ito, safe for colour blindness), assigned in claimant id order."""

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)

CSS = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de;
  --soft: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; overflow-wrap: break-word; }
h1 { font-size: 1.8rem; margin: .5rem 0; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-top: .4rem;
  border-top: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
a { color: var(--accent); }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.lead { font-size: 1.1rem; }
.muted, figcaption, .description { color: var(--muted); }
.counts { display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 1rem; padding: .1rem .7rem;
  background: var(--soft); }
.counts li.zero { opacity: .6; }
nav ol { columns: 20rem; column-gap: 3rem; padding-left: 1.8rem; }
nav li { break-inside: avoid; }
.findings { padding-left: 1.2rem; }
.findings li { margin: .5rem 0; }
.findings .claims { display: block; font-size: .9rem; color: var(--muted); }
.v { display: inline-block; border-radius: .3rem; padding: 0 .4rem; font-size: .85rem;
  font-weight: 600; white-space: nowrap; border: 1px solid currentColor; }
.v-inconsistent { color: #a40e26; background: #ffebe9; }
.v-contradict { color: #8250df; background: #fbefff; }
.v-differ { color: #bc4c00; background: #fff1e5; }
.v-update { color: #0969da; background: #ddf4ff; }
.v-change { color: #4d2d00; background: #fff8c5; }
.v-agree, .v-refine { color: #1a7f37; background: #dafbe1; }
.v-repeat { color: #57606a; background: #f6f8fa; }
.table { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
.num, .ref { white-space: nowrap; }
q { font-style: italic; }
tr:target { background: #fff8c5; }
figure { margin: 1rem 0; }
svg.timeline { display: block; width: 100%; height: auto; max-width: 40rem; }
svg.timeline * { stroke-linejoin: round; stroke-linecap: butt; }
.nofig { border-left: 4px solid var(--line); padding: .3rem .8rem; background: var(--soft); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media (max-width: 700px) {
  body { padding: .6rem; font-size: 15px; }
  table, thead, tbody, tr, th, td { display: block; width: 100%; }
  thead { position: absolute; left: -9999px; }
  tr { border: 1px solid var(--line); border-radius: .4rem; margin: 0 0 .7rem;
    padding: .2rem .3rem; }
  td { border: 0; padding: .15rem .3rem; }
  td::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  td:empty { display: none; }
  nav ol { columns: 1; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .table { overflow: visible; }
  tr, figure, .findings li { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  tr:target { background: none; }
}
"""


def esc(value: object) -> str:
    """Text for HTML: ``<script>`` and ``"><img onerror=...>`` stay text (quotes escaped too)."""
    return html.escape(str(value), quote=True)


def render(model: ReportModel) -> str:
    """The whole page."""
    body = [
        _header(model),
        _nav(model),
        "<main>",
        _findings(model),
        *(_subject(model, part) for part in model.compared),
        _single(model),
        _sources(model),
        "</main>",
        "<footer>Made with claimtrack. Every number links to its claim; every claim names its "
        "source, the source's date and the verbatim quote.</footer>",
    ]
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="claimtrack">\n'
        "<title>Claims report</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
    )
    return head + "\n".join(part for part in body if part) + "\n</body>\n</html>\n"


# -- sections -----------------------------------------------------------------------------------


_ZERO = ' class="zero"'


def _header(model: ReportModel) -> str:
    counts = {v: 0 for v in FINDING_TITLES}
    for f in model.findings:
        counts[f.verdict] += 1
    badges = "".join(
        f"<li{'' if n else _ZERO}>"
        f'<span class="v v-{v.value}">{esc(v.value)}</span> {n} '
        f"{esc(FINDING_TITLES[v][0 if n == 1 else 1])}</li>"
        for v, n in counts.items()
    )
    out = [
        "<header>",
        "<h1>Claims report</h1>",
        f'<p class="lead">{esc(model.headline())}</p>',
    ]
    if model.selection:
        out.append(f"<p>Selection: {esc(model.selection)}.</p>")
    out += [
        f'<ul class="counts" aria-label="findings">{badges}</ul>',
        f'<p class="muted">{esc(model.verdicts_line())}</p>',
        "</header>",
    ]
    return "\n".join(out)


def _nav(model: ReportModel) -> str:
    items = ['<li><a href="#findings">Findings</a></li>']
    items += [
        f'<li><a href="#{esc(p.anchor)}">{esc(p.subject.label)}</a></li>' for p in model.compared
    ]
    if model.single:
        items.append('<li><a href="#single">Subjects with one claim</a></li>')
    items.append('<li><a href="#sources">Sources</a></li>')
    return '<nav aria-label="Contents">\n<h2>Contents</h2>\n<ol>' + "".join(items) + "</ol>\n</nav>"


def _findings(model: ReportModel) -> str:
    out = ['<section id="findings">', "<h2>Findings</h2>", f"<p>{esc(model.findings_line())}</p>"]
    for verdict, found in model.findings_by_verdict():
        title = FINDING_TITLES[verdict][1].capitalize()
        out.append(
            f'<h3>{esc(title)} <span class="v v-{verdict.value}">{verdict.value}</span></h3>'
        )
        out.append('<ul class="findings">')
        out += [_finding(f) for f in found]
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def _finding(f: Finding) -> str:
    subject = f'<a href="#s-{esc(f.subject.id)}">{esc(f.subject.label)}</a>'
    claims = finding_claims(f, _claim_link)
    return f'<li>{subject}: {esc(f.reason)} <span class="claims">{claims}</span></li>'


def _claim_link(claim_id: str) -> str:
    return f'<a href="#c-{esc(claim_id)}"><code>{esc(claim_id)}</code></a>'


def _subject(model: ReportModel, part: SubjectPart) -> str:
    subject = part.subject
    out = [
        f'<section id="{esc(part.anchor)}" class="subject">',
        f"<h2>{esc(subject.label)} <code>{esc(subject.id)}</code></h2>",
        f"<p><strong>{esc(_kind(subject.kind, subject.unit))}.</strong> {esc(part.facts())}.</p>",
        f'<p class="description">{esc(subject.description)}</p>',
    ]
    if part.latest:
        out.append(f"<p>Latest per claimant: {esc(part.latest)}.</p>")
    if subject.kind is SubjectKind.QUANTITY and (figure := _figure(part)):
        out.append(figure)
    out.append(_claims_table(model, part.claims))
    if part.pairs:
        out.append(_pairs_table(part.pairs))
    out += [f"<p>{esc(check)}</p>" for check in part.series]
    out.append("</section>")
    return "\n".join(out)


def _single(model: ReportModel) -> str:
    if not model.single:
        return ""
    return "\n".join(
        [
            '<section id="single">',
            "<h2>Subjects with one claim</h2>",
            _claims_table(model, model.single, subject_column=True),
            *(f"<p>{esc(check)}</p>" for check in model.single_series),
            "</section>",
        ]
    )


def _sources(model: ReportModel) -> str:
    rows = []
    for s in model.sources:
        publisher = model.claims.entities.get(s.publisher)
        url = _link(s.url) if s.url else ""
        rows.append(
            [
                ("source", f'<code id="src-{esc(s.id)}">{esc(s.id)}</code>'),
                ("published", esc(s.published.iso())),
                ("publisher", esc(publisher.name)),
                ("title", esc(s.title)),
                ("url", url),
                ("notes", esc(s.notes or "")),
            ]
        )
    return "\n".join(['<section id="sources">', "<h2>Sources</h2>", _table(rows), "</section>"])


def _link(url: str) -> str:
    """A link for http(s) addresses only; anything else (``javascript:``) stays text."""
    if re.match(r"https?://", url, re.IGNORECASE):
        return f'<a href="{esc(url)}" rel="noreferrer noopener">{esc(url)}</a>'
    return esc(url)


def _kind(kind: SubjectKind, unit: str | None) -> str:
    text = kind.value.replace("_", " ").capitalize()
    return f"{text} ({unit})" if unit else text


# -- tables -------------------------------------------------------------------------------------


Cells = list[tuple[str, str]]
"""A row: (column label, cell HTML)."""


def _table(rows: Sequence[Cells], *, row_ids: Sequence[str] | None = None) -> str:
    if not rows:
        return ""
    head = "".join(f'<th scope="col">{esc(label)}</th>' for label, _cell in rows[0])
    body = []
    for i, row in enumerate(rows):
        row_id = f' id="{esc(row_ids[i])}"' if row_ids else ""
        cells = "".join(f'<td data-label="{esc(label)}">{cell}</td>' for label, cell in row)
        body.append(f"<tr{row_id}>{cells}</tr>")
    return (
        f'<div class="table"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody>\n</table></div>"
    )


def _claims_table(
    model: ReportModel, lines: Sequence[ClaimLine], *, subject_column: bool = False
) -> str:
    rows = []
    for c in lines:
        row: Cells = [("claim", f'<span class="ref">{esc(c.ref)}</span>')]
        if subject_column:
            subject = model.claims.subject(c.claim.subject)
            row.append(("subject", f"{esc(subject.label)} <code>{esc(subject.id)}</code>"))
        row += [
            ("as written", esc(c.written)),
            ("interval", f'<span class="num">{esc(c.interval)}</span>' if c.interval else ""),
            ("who", _who(model, c)),
            ("as of", esc(c.as_of)),
            ("source", _source_cell(c)),
            ("quote", f"<q>{esc(c.claim.quote)}</q>"),
            ("id", f"<code>{esc(c.claim.id)}</code>"),
        ]
        rows.append(row)
    return _table(rows, row_ids=[f"c-{c.claim.id}" for c in lines])


def _who(model: ReportModel, c: ClaimLine) -> str:
    chain = [c.claim.claimant, *c.claim.via]
    if chain[-1] != c.source.publisher:
        chain.append(c.source.publisher)
    names = []
    for entity_id in chain:
        title = (
            model.claims.entities.get(entity_id).name if entity_id in model.claims.entities else ""
        )
        names.append(
            f'<abbr title="{esc(title)}">{esc(entity_id)}</abbr>' if title else esc(entity_id)
        )
    return " ← ".join(names)


def _source_cell(c: ClaimLine) -> str:
    section = c.claim.section.value
    extra = "" if section == "body" else f", {esc(section)}"
    return (
        f'<a href="#src-{esc(c.source.id)}">{esc(c.source.id)}</a>, '
        f"{esc(c.source.published.iso())}{extra}"
    )


def _pairs_table(pairs: Sequence[PairLine]) -> str:
    rows: list[Cells] = [
        [
            ("verdict", f'<span class="v v-{esc(p.verdict)}">{esc(p.verdict)}</span>'),
            (
                "claims",
                f'<span class="ref"><a href="#c-{esc(p.a.claim.id)}">{esc(p.a.ref)}</a> ↔ '
                f'<a href="#c-{esc(p.b.claim.id)}">{esc(p.b.ref)}</a></span>',
            ),
            ("reason", esc(p.reason)),
        ]
        for p in pairs
    ]
    return _table(rows)


# -- figures ------------------------------------------------------------------------------------


def _figure(part: SubjectPart) -> str:
    if not _bars(part):  # additional amounts only: nothing to draw
        return ""
    svg = timeline_svg(part)
    if svg is None:
        return (
            '<p class="nofig">The timeline figure needs matplotlib: '
            f"<code>{esc(PLOT_HINT)}</code>, then run the report again.</p>"
        )
    caption = (
        "Each bar is one claim's interval (numbered as in the table) at the date it holds, "
        "coloured by claimant. A fading bar with an arrow is an open bound: “as many as” has no "
        "lower bound, “more than” no upper bound."
    )
    if part.consensus_low is not None and part.consensus_high is not None:
        caption += f" The shaded band is the consensus, {part.consensus}."
    else:
        caption += " No band: the independent figures do not overlap."
    return f"<figure>\n{svg}\n<figcaption>{esc(caption)}</figcaption>\n</figure>"


def _bars(part: SubjectPart) -> list[tuple[ClaimLine, Estimate]]:
    out = []
    for line in part.claims:
        value = line.claim.value
        if isinstance(value, Estimate) and not value.additional:
            out.append((line, value))
    return out


def _compact(x: float) -> str:
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= scale:
            return f"{x / scale:.4g}{suffix}"
    return f"{x:.4g}"


def timeline_svg(part: SubjectPart) -> str | None:
    """The subject's timeline as inline SVG, or ``None`` without matplotlib.

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
    bars = _bars(part)
    if not bars:
        return None
    axis = _Axis.for_bars([e for _l, e in bars])
    starts = [mdates.date2num(line.when.start) for line, _e in bars]
    ends = [mdates.date2num(line.when.end + datetime.timedelta(days=1)) for line, _e in bars]
    span = max(max(ends) - min(starts), 30.0)
    left, right = min(starts) - 0.06 * span, max(ends) + 0.06 * span
    min_width = 0.022 * (right - left)
    claimants = sorted({line.claim.claimant for line, _e in bars})
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(claimants)}

    rc = {
        "svg.fonttype": "none",
        "svg.hashsalt": f"claimtrack-{part.subject.id}",
        "font.family": ["sans-serif"],
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
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
        ax.set_ylabel((part.subject.unit or "value") + (" (log scale)" if axis.log else ""))
        ax.grid(axis="y", color="#d0d7de", lw=0.6)
        ax.set_axisbelow(True)
        handles = [patches.Patch(color=colour[c], label=c) for c in claimants]
        if part.consensus_low is not None:
            handles.append(patches.Patch(color="#8c959f", alpha=0.25, label="consensus"))
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 3 if max(len(c) for c in claimants) <= 14 else 2),
            frameon=False,
        )
        buffer = io.StringIO()
        fig.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return _inline(buffer.getvalue(), part)


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


def _inline(svg: str, part: SubjectPart) -> str:
    """Matplotlib's SVG file as an element for the page: no prolog, no fixed size, labelled."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*" ', r"<svg \1", svg, count=1)
    svg = re.sub(r"<defs>\s*<style[^<]*</style>\s*</defs>\s*", "", svg, count=1)
    label = f"Timeline of the claims about {part.subject.label}"
    return svg.replace(
        "<svg ", f'<svg class="timeline" role="img" aria-label="{esc(label)}" ', 1
    ).rstrip()

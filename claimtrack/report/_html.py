"""The HTML report: one self-contained page over the report model.

The page loads nothing: styles are inline, there are no scripts, fonts or images to fetch, and a
Content-Security-Policy forbids any. Every piece of text written into the page goes through
:func:`esc`, the one HTML escape (:func:`claimtrack._safe_text.html_text`: markup stays text, and
control, bidi and zero-width characters are shown as escapes); addresses are links only when they
are plain ``http`` or ``https`` URLs. The timeline figures come from :mod:`._timeline` as SVG,
whose texts are made plain before matplotlib draws and escapes them; a figure that cannot be
drawn is a note saying why, never a failed report. Without matplotlib the page says how to get
the figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimtrack._safe_text import UNSAFE, html_text
from claimtrack.report._cells import claimants_text, kind_text, provenance_chain
from claimtrack.report._groups import Finding, finding_claims
from claimtrack.report._lines import ClaimLine, PairLine
from claimtrack.report._model import (
    FIGURES,
    FINDING_TITLES,
    OVERVIEW_HEADERS,
    ReportModel,
    SubjectPart,
)
from claimtrack.report._timeline import bars_of, timeline_svg
from claimtrack.subject import SubjectKind

PLOT_HINT = "pip install 'claimtrack[plot]'"

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


esc = html_text
"""Text for HTML: ``<script>`` and ``"><img onerror=...>`` stay text (quotes escaped too)."""


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
    counts = {v: model.finding_count(v) for v in FINDING_TITLES}
    badges = "".join(
        f"<li{'' if n else _ZERO}>"
        f'<span class="v v-{esc(v.value)}">{esc(v.value)}</span> {n} '
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
        *(f'<p class="note">{esc(note)}</p>' for note in model.notes),
        "</header>",
    ]
    return "\n".join(out)


def _nav(model: ReportModel) -> str:
    items = ['<li><a href="#findings">Findings</a></li>']
    if model.overview:
        items.append('<li><a href="#overview">Subjects shown</a></li>')
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
            f'<h3>{esc(title)} <span class="v v-{esc(verdict.value)}">{esc(verdict.value)}</span></h3>'
        )
        out.append('<ul class="findings">')
        out += [_finding(f) for f in found]
        out.append("</ul>")
        if more := model.more_findings_line(verdict):
            out.append(_more(more))
    out.append("</section>")
    if model.overview:
        out += [_overview(model)]
    return "\n".join(out)


def _more(line: str) -> str:
    return f'<p class="muted more">{esc(line)}</p>'


def _overview(model: ReportModel) -> str:
    """The subjects shown in full, one row each, when the report leaves something out."""
    rows: list[Cells] = []
    for row in model.overview:
        cells = row.cells()
        anchor = f'<a href="#s-{esc(row.subject.id)}"><code>{esc(cells[0])}</code></a>'
        rows.append(
            [(OVERVIEW_HEADERS[0], anchor)]
            + [(h, esc(c)) for h, c in zip(OVERVIEW_HEADERS[1:], cells[1:], strict=True)]
        )
    out = ['<section id="overview">', "<h2>Subjects shown</h2>", _table(rows)]
    if more := model.more_subjects_line():
        out.append(_more(more))
    out.append("</section>")
    return "\n".join(out)


def _finding(f: Finding) -> str:
    subject = f'<a href="#s-{esc(f.subject.id)}">{esc(f.subject.label)}</a>'
    claims = finding_claims(f, _claim_link)
    status = f.status()
    if status:  # the claims' look (a line of its own), so the page's styles stay as they are
        status = f'<span class="claims status"><strong>status:</strong> {esc(status)}</span>'

    return f'<li>{subject}: {esc(f.reason)} <span class="claims">{claims}</span>{status}</li>'


def _claim_link(claim_id: str) -> str:
    return f'<a href="#c-{esc(claim_id)}"><code>{esc(claim_id)}</code></a>'


def _subject(model: ReportModel, part: SubjectPart) -> str:
    subject = part.subject
    out = [
        f'<section id="{esc(part.anchor)}" class="subject">',
        f"<h2>{esc(subject.label)} <code>{esc(subject.id)}</code></h2>",
        f"<p><strong>{esc(kind_text(subject))}.</strong> {esc(part.facts())}.</p>",
        f'<p class="description">{esc(subject.description)}</p>',
    ]
    if part.latest:
        out.append(f"<p>Latest per claimant: {esc(part.latest)}.</p>")
    if part.shared:
        out.append(f'<p class="origins">One origin: {esc(part.shared)}.</p>')
    if subject.kind is SubjectKind.QUANTITY and not part.figure:
        out.append(
            f'<p class="nofig">No figure: this report draws the {FIGURES} figures of the subjects '
            f"with the most findings; <code>--subject {esc(subject.id)}</code> draws this one.</p>"
        )
    elif subject.kind is SubjectKind.QUANTITY and (figure := _figure(part)):
        out.append(figure)
    out.append(_claims_table(model, part.claims))
    if more := part.more_claims_line():
        out.append(_more(more))
    if part.pairs:
        out.append(_pairs_table(part.pairs))
    if more := part.more_pairs_line():
        out.append(_more(more))
    out += [f"<p>{esc(check)}</p>" for check in part.series]
    out.append("</section>")
    return "\n".join(out)


def _single(model: ReportModel) -> str:
    if not model.single:
        return ""
    out = [
        '<section id="single">',
        "<h2>Subjects with one claim</h2>",
        _claims_table(model, model.single, subject_column=True),
    ]
    if more := model.more_single_line():
        out.append(_more(more))
    out += [f"<p>{esc(check)}</p>" for check in model.single_series]
    out.append("</section>")
    return "\n".join(out)


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


_WEB_ADDRESS = re.compile(r"https?://\S+\Z", re.IGNORECASE)


def _link(url: str) -> str:
    """A link for http(s) addresses only; anything else (``javascript:``, an address with spaces
    or control characters in it) stays text."""
    if _WEB_ADDRESS.match(url) and not UNSAFE.search(url):
        return f'<a href="{esc(url)}" rel="noreferrer noopener">{esc(url)}</a>'
    return esc(url)


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
    """The provenance chain, each entity's name in a tooltip."""

    def name(entity_id: str) -> str:
        title = (
            model.claims.entities.get(entity_id).name if entity_id in model.claims.entities else ""
        )
        return f'<abbr title="{esc(title)}">{esc(entity_id)}</abbr>' if title else esc(entity_id)

    chain = provenance_chain(c.claim, c.source.publisher)
    who = [name(entity_id) for entity_id in c.claim.claimants]
    return " ← ".join([claimants_text(c.claim, who), *(name(e) for e in chain[1:])])


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
    if not bars_of(part):  # additional amounts only: nothing to draw
        return ""
    try:
        svg = timeline_svg(part)
        inline = None if svg is None else _inline(svg, part)
    except Exception as exc:  # matplotlib's own errors: a figure never costs the report
        return f'<p class="nofig">Figure unavailable: {esc(_reason(exc))}</p>'
    if inline is None:
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
    return f"<figure>\n{inline}\n<figcaption>{esc(caption)}</figcaption>\n</figure>"


def _reason(exc: Exception) -> str:
    """Why a figure failed, in one short line: the error's type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    message = lines[0][:200] if lines else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _inline(svg: str, part: SubjectPart) -> str:
    """Matplotlib's SVG file as an element for the page: no prolog, no fixed size, labelled."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*" ', r"<svg \1", svg, count=1)
    svg = re.sub(r"<defs>\s*<style[^<]*</style>\s*</defs>\s*", "", svg, count=1)
    label = f"Timeline of the claims about {part.subject.label}"
    return svg.replace(
        "<svg ", f'<svg class="timeline" role="img" aria-label="{esc(label)}" ', 1
    ).rstrip()

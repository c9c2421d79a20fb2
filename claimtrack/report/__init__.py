"""Comparison reports: the findings first, then every subject's claims with their provenance.

:func:`report` renders a :class:`~claimtrack.compare.Comparison` of a :class:`ClaimSet` as plain
text, GitHub Markdown or one self-contained HTML page (see ``docs/reports.md``). It needs the claims
as well as the comparison, because the comparison holds ids and verdicts while the report shows
where every number comes from: the value as written, the quote, who said it through whom, the
source and its date. The same claims always give byte-identical output.

This front door exports what the rest of claimtrack, its tests and its docs use, and nothing
else of this package is touched from outside it:

- :func:`report`, :data:`FORMATS` and :data:`DEFAULT_LIMIT`; :func:`select`, the claims a report
  shows;
- the command line's plain tables: :func:`claims_table`, :func:`verification_table`,
  :func:`comparison_text`;
- how findings are grouped and shown, for tests: :class:`Finding`, :func:`group_findings`,
  :func:`finding_sides`, :func:`finding_claims`; and :func:`md_escape`.

Behind it, dependencies point one way, from the model to the renderers to this door:

- ``_cells``: the texts every table shares (value as written, interval, provenance, kind);
- ``_focus``: what narrows and marks the findings beyond the selection: one source, an earlier
  run (what is new) and the project's reviews;
- ``_groups``: findings grouped with one pandas ``groupby`` (no loop per pair);
- ``_model``: the report model (:class:`ReportModel` and its parts), selection (the one place
  it happens) and building the model from a comparison and its claims;
- ``_rows``: the text and Markdown tables as plain cells;
- ``_text``, ``_markdown``, ``_html``: one renderer per format over the model; ``_timeline``: the
  HTML page's matplotlib figures;
- ``_render``: :func:`report`, the model rendered in the chosen format;
- ``_tables``: the command line's tables (``list``, ``verify``, ``compare``).

Escaping: every text written goes through the one escape of its output, all built on one list
of unsafe characters in ``claimtrack._safe_text`` (control, bidi and zero-width characters,
shown as escapes such as ``\\x1b`` and ``\\u202e``): ``plain_text`` for the text report, the
command line's text tables and the figures' texts, :func:`md_escape` for Markdown (reports and
``--format md`` tables), ``_html.esc`` for HTML. Ids in Markdown are code spans (ids are slugs).
``docs/reliability.md`` ("Output safety") says what each escapes.
"""

from claimtrack.report._groups import Finding, finding_claims, finding_sides, group_findings
from claimtrack.report._markdown import md_escape
from claimtrack.report._render import DEFAULT_LIMIT, FORMATS, report
from claimtrack.report._select import select
from claimtrack.report._tables import claims_table, comparison_text, verification_table

__all__ = [
    "DEFAULT_LIMIT",
    "FORMATS",
    "Finding",
    "claims_table",
    "comparison_text",
    "finding_claims",
    "finding_sides",
    "group_findings",
    "md_escape",
    "report",
    "select",
    "verification_table",
]

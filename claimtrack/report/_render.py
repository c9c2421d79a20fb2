""":func:`report`: the model of the selected claims, rendered in one of :data:`FORMATS`."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable

from claimtrack.claimset import ClaimSet
from claimtrack.compare import DEFAULT_COMPARE_POLICY, ComparePolicy, Comparison
from claimtrack.dates import FuzzyDate
from claimtrack.report import _html, _markdown, _text
from claimtrack.report._focus import Focus
from claimtrack.report._model import ReportModel, model_for
from claimtrack.review import Reviews, earlier_findings

FORMATS = ("text", "md", "html")
"""The formats :func:`report` writes."""

DEFAULT_LIMIT = 50
"""The most findings of each verdict, subjects shown in full, and claims and pairs of each
subject a report shows unless told otherwise (``report(..., limit=0)``: all)."""

_RENDERERS: dict[str, Callable[[ReportModel], str]] = {
    "text": _text.text,
    "md": _markdown.markdown,
    "html": _html.render,
}


def report(
    comparison: Comparison | ClaimSet,
    claims: ClaimSet | None = None,
    *,
    format: str = "text",
    subjects: str | Iterable[str] | None = None,
    since: FuzzyDate | datetime.date | str | None = None,
    policy: ComparePolicy = DEFAULT_COMPARE_POLICY,
    source: str | None = None,
    since_run: str | os.PathLike[str] | frozenset[str] | None = None,
    reviews: Reviews | None = None,
    limit: int = DEFAULT_LIMIT,
) -> str:
    """The comparison report of ``claims`` as ``format`` ``"text"``, ``"md"`` or ``"html"``.

    ``comparison`` is ``compare(claims)`` (with any policy); ``claims`` defaults to the claim set
    it compared (``comparison.claims``) and is needed when a frame was compared. Or pass the
    claims alone, ``report(claims, subjects=..., policy=...)``: the claims :func:`select` keeps
    are compared under ``policy`` (selected once, compared once). ``subjects`` and ``since``
    narrow the report as :func:`select` does; when that leaves claims the comparison did not cover
    exactly, the selected claims are compared again under ``comparison.policy``, so verdicts,
    origins and consensus always describe the claims shown. HTML timeline figures need
    ``claimtrack[plot]`` (matplotlib); without it the page says how to get them.

    ``source`` narrows the report to the findings that involve a claim of that source, and to the
    subjects it has claims about (the review of a new article). ``since_run`` is an earlier run
    (the path of a saved comparison, ``claimtrack compare --save``, or the keys of
    :func:`~claimtrack.review.earlier_findings`): findings not in it are marked new, and the
    summary names its findings that are gone. ``reviews`` (:func:`~claimtrack.load_reviews`)
    give each finding its status, confirmed or dismissed, by whom and why.

    ``limit`` keeps a report of any size readable: at most ``limit`` findings of each verdict,
    subjects shown in full (those with the most finding pairs, then the most claims), claims and
    compared pairs of each subject, and claims of subjects with one claim (default
    :data:`DEFAULT_LIMIT`; ``0``: everything). Whatever is left out is counted where it would have
    been ("… and 9,950 more claims of this subject: use --subject s1 --limit 0 to show all"), and
    a report that leaves something out leads with an overview of the subjects it shows.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}: use one of {', '.join(FORMATS)}")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"limit must be a whole number of at least 0 (0: all), not {limit!r}")
    focus = _focus(source, since_run, reviews)
    if isinstance(comparison, ClaimSet):
        if claims is not None:
            raise ValueError("report(claims) takes the claims once: not report(claims, claims)")
        model = model_for(None, comparison, subjects, since, policy, focus, limit)
        return _RENDERERS[format](model)
    if claims is None:
        claims = comparison.claims
    if claims is None:
        raise ValueError(
            "report() needs the claims: this comparison was made from a frame, "
            "so pass the ClaimSet as report(comparison, claims)"
        )
    model = model_for(comparison, claims, subjects, since, comparison.policy, focus, limit)
    return _RENDERERS[format](model)


def _focus(
    source: str | None,
    since_run: str | os.PathLike[str] | frozenset[str] | None,
    reviews: Reviews | None,
) -> Focus | None:
    if source is None and since_run is None and reviews is None:
        return None
    earlier, name = None, "the earlier run"
    if isinstance(since_run, frozenset):
        earlier = since_run
    elif since_run is not None:
        earlier, name = earlier_findings(since_run), os.fspath(since_run)
    return Focus(source, reviews, earlier, name)

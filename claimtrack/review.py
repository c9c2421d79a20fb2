"""Reviews of findings, and earlier runs to compare with: what a reviewer confirmed or dismissed,
and what is new since the last comparison.

A finding is known by its verdict and the ids of its two claims (:func:`finding_key`): that key
stays the same from run to run while the claims do. A project records reviews in
``reviews.yaml`` (:data:`REVIEWS_FILE`, beside ``subjects.yaml``), one item per pair of claims::

    reviews:
      - verdict: contradict
        claims: [rferl-2019-zhanaozen:un-detainees, blog-2019-x:china-denies]
        status: confirmed          # or dismissed
        by: Ann Reporter
        why: The two statements are about the same camps.
        date: "2026-12-01"         # optional

:func:`load_reviews` reads and checks it (every problem with its file and line);
:func:`review_finding` records a review of a finding (every pair of it, as a report groups them)
by appending to the file, atomically, without touching what is there. A review recorded later for
the same pair replaces an earlier one in reports; the file keeps both.

An earlier run is the JSON of a comparison (``claimtrack compare PATH --save RUN.json``, or
``Comparison.to_json()``); :func:`earlier_findings` reads the keys of its findings.
"""

from __future__ import annotations

import datetime
import enum
import json
import os
from pathlib import Path
from typing import Any

import attrs

from claimtrack._ids import ID_PATTERN
from claimtrack._quote_fix import shown
from claimtrack._read import ReadRefused, read_bounded
from claimtrack._scan import REVIEWS_FILE
from claimtrack._write import write_atomic
from claimtrack._yaml import Document, read_document
from claimtrack.claimset import ClaimSet
from claimtrack.compare import Comparison, Verdict, compare
from claimtrack.errors import ClaimFileError, ClaimtrackError, ValidationError
from claimtrack.load import load

__all__ = [
    "REVIEWS_FILE",
    "Review",
    "ReviewStatus",
    "Reviews",
    "earlier_findings",
    "finding_group",
    "finding_key",
    "load_reviews",
    "review_finding",
]

MAX_RUN_BYTES = 1024 * 1024 * 1024
"""The largest earlier run read (1 GiB of JSON)."""


class ReviewStatus(enum.StrEnum):
    """What a reviewer concluded about a finding."""

    CONFIRMED = "confirmed"
    """The finding holds: the sources do say what the reason says."""
    DISMISSED = "dismissed"
    """The finding does not hold (the claims are about different things, a misreading...)."""


def finding_key(verdict: str, claim_a: str, claim_b: str) -> str:
    """``contradict a b``: a finding's verdict and its claims' ids, in id order, so that the key
    does not depend on which claim a comparison put first."""
    first, second = sorted((claim_a, claim_b))
    return f"{verdict} {first} {second}"


@attrs.frozen
class Review:
    """One reviewed pair of a finding."""

    verdict: str
    claims: tuple[str, str]
    status: ReviewStatus
    by: str
    why: str
    date: datetime.date | None = None
    line: int | None = None
    """Where it is in the review file."""

    @property
    def key(self) -> str:
        return finding_key(self.verdict, *self.claims)

    def text(self) -> str:
        """``confirmed by Ann Reporter (2026-12-01): why``."""
        when = f" ({self.date.isoformat()})" if self.date else ""
        return f"{self.status.value} by {self.by}{when}: {self.why}"


@attrs.frozen
class Reviews:
    """The reviews of a project (``path`` is the file read; ``None`` when there is none)."""

    path: str | None = None
    reviews: tuple[Review, ...] = ()

    def __len__(self) -> int:
        return len(self.reviews)

    def latest(self) -> dict[str, Review]:
        """The review that stands for each key: the last one recorded."""
        return {review.key: review for review in self.reviews}


_KEYS = ("verdict", "claims", "status", "by", "why", "date")


def _reviews_path(project: str | os.PathLike[str]) -> Path:
    root = Path(project)
    return root / REVIEWS_FILE if root.is_dir() or not root.suffix else root.parent / REVIEWS_FILE


def load_reviews(project: str | os.PathLike[str]) -> Reviews:
    """The reviews in ``reviews.yaml`` of the claims folder ``project`` (or of a claim file's
    folder); none when it has no such file. Raises :class:`~claimtrack.errors.ValidationError`
    with every problem of the file, each at its line."""
    path = _reviews_path(project)
    if not path.exists():
        return Reviews()
    try:
        raw = read_bounded(path, 10 * 1024 * 1024)
    except ReadRefused as exc:
        raise ValidationError([ClaimFileError(str(path), None, "", exc.reason)]) from None
    doc = read_document(str(path), raw)
    if doc.problems:
        raise ValidationError(doc.problems)
    problems: list[ClaimFileError] = []
    data = doc.data
    if not isinstance(data, dict) or set(data) != {"reviews"}:
        problems.append(doc.error((), "expected 'reviews:' and a list of reviews"))
        raise ValidationError(problems)
    items = data["reviews"] if data["reviews"] is not None else []
    if not isinstance(items, list):
        raise ValidationError([doc.error(("reviews",), "expected a list of reviews")])
    reviews = []
    for i, item in enumerate(items):
        review = _review(doc, i, item, problems)
        if review is not None:
            reviews.append(review)
    if problems:
        raise ValidationError(problems)
    return Reviews(str(path), tuple(reviews))


_VERDICTS = [v.value for v in Verdict]


def _review(doc: Document, i: int, item: Any, problems: list[ClaimFileError]) -> Review | None:
    where: tuple[str | int, ...] = ("reviews", i)
    if not isinstance(item, dict):
        problems.append(doc.error(where, "expected a mapping (verdict, claims, status, by, why)"))
        return None
    before = len(problems)
    for key in item:
        if key not in _KEYS:
            problems.append(
                doc.error((*where, key), f"unknown key {key!r}; a review has {', '.join(_KEYS)}")
            )
    for key in ("verdict", "claims", "status", "by", "why"):
        if key not in item:
            problems.append(doc.error(where, f"missing {key!r}"))
    verdict, claims, status = item.get("verdict"), item.get("claims"), item.get("status")
    if "verdict" in item and verdict not in _VERDICTS:
        problems.append(
            doc.error(
                (*where, "verdict"),
                f"{verdict!r} is not a verdict (one of {', '.join(_VERDICTS)})",
            )
        )
    if "claims" in item and not (
        isinstance(claims, list)
        and len(claims) == 2
        and all(isinstance(c, str) and ID_PATTERN.match(c) for c in claims)
        and claims[0] != claims[1]
    ):
        problems.append(
            doc.error((*where, "claims"), "expected the ids of the finding's two claims: [a, b]")
        )
    if "status" in item and status not in [s.value for s in ReviewStatus]:
        problems.append(
            doc.error((*where, "status"), f"{status!r} is not 'confirmed' or 'dismissed'")
        )
    for key in ("by", "why"):
        value = item.get(key)
        if key in item and (not isinstance(value, str) or not value.strip()):
            problems.append(doc.error((*where, key), "expected a non-empty text"))
    date = None
    if item.get("date") is not None:
        try:
            date = datetime.date.fromisoformat(str(item["date"]))
        except ValueError:
            problems.append(
                doc.error((*where, "date"), f"{item['date']!r} is not a date like '2026-12-01'")
            )
    if len(problems) > before:
        return None
    a, b = claims  # type: ignore[misc]
    return Review(
        str(verdict),
        (str(a), str(b)),
        ReviewStatus(str(status)),
        str(item["by"]).strip(),
        str(item["why"]).strip(),
        date,
        doc.line(where),
    )


def earlier_findings(run: str | os.PathLike[str]) -> frozenset[str]:
    """The keys (:func:`finding_key`) of the findings of an earlier run: the JSON of a
    comparison (``claimtrack compare PATH --save RUN.json``, ``Comparison.to_json()``). Raises
    :class:`~claimtrack.errors.ClaimFileError` saying where the file is not such JSON."""
    where = str(run)
    try:
        raw = read_bounded(run, MAX_RUN_BYTES)
    except ReadRefused as exc:
        reason = "no such file" if exc.kind == "missing" else exc.reason
        raise ClaimFileError(where, None, "", reason) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ClaimFileError(
            where, None, "", f"not UTF-8 text (byte at offset {exc.start})"
        ) from None
    except json.JSONDecodeError as exc:
        raise ClaimFileError(
            where, exc.lineno, "", f"not JSON ({exc.msg}, column {exc.colno})"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ClaimFileError(
            where,
            None,
            "",
            "not a saved comparison (no 'findings' list): save one with "
            "'claimtrack compare PATH --save RUN.json'",
        )
    # a run saved since findings are grouped lists every pair of its findings apart
    listed = "finding_pairs" if isinstance(data.get("finding_pairs"), list) else "findings"
    keys = []
    for i, row in enumerate(data[listed]):
        fields = [row.get(k) if isinstance(row, dict) else None for k in _RUN_FIELDS]
        verdict, a, b = (f if isinstance(f, str) else "" for f in fields)
        if not (verdict in _VERDICTS and ID_PATTERN.match(a) and ID_PATTERN.match(b)):
            raise ClaimFileError(
                where,
                None,
                f"{listed}[{i}]",
                "expected a 'verdict' and the claim ids 'claim_a' and 'claim_b'",
            )
        keys.append(finding_key(verdict, a, b))
    return frozenset(keys)


_RUN_FIELDS = ("verdict", "claim_a", "claim_b")


def finding_group(
    verdict: str, subject: str, claim_a: str, claim_b: str, reason: str, claims: ClaimSet
) -> tuple[str, ...]:
    """What makes pairs one finding in a report: contradictions between the same two claimants
    on one subject (China's denial repeated in three articles against the UN's statement), and
    other pairs of one verdict and subject whose reason sentences are identical."""
    if verdict == Verdict.CONTRADICT and claim_a in claims and claim_b in claims:
        who = sorted((claims[claim_a].claimant, claims[claim_b].claimant))
        return (verdict, subject, "claimants", *who)
    return (verdict, subject, "reason", reason)


def finding_pairs(comparison: Comparison, verdict: str, claim_a: str, claim_b: str) -> list[str]:
    """The keys of every pair of the report's finding (pairs grouped as
    :func:`claimtrack.report.group_findings` groups them) that holds the pair ``claim_a``,
    ``claim_b`` with ``verdict``; empty when there is no such finding."""
    found = comparison.finding_pairs()
    claims = comparison.claims
    wanted = finding_key(verdict, claim_a, claim_b)
    keys = [
        finding_key(str(v), str(a), str(b))
        for v, a, b in zip(found["verdict"], found["claim_a"], found["claim_b"], strict=True)
    ]
    if wanted not in keys:
        return []
    assert claims is not None
    groups = [
        finding_group(
            str(r["verdict"]),
            str(r["subject"]),
            str(r["claim_a"]),
            str(r["claim_b"]),
            str(r["reason"]),
            claims,
        )
        for r in found.to_dict("records")
    ]
    group = groups[keys.index(wanted)]
    return [k for k, g in zip(keys, groups, strict=True) if g == group]


def review_finding(
    project: str | os.PathLike[str],
    verdict: str,
    claim_a: str,
    claim_b: str,
    *,
    status: ReviewStatus | str,
    by: str,
    why: str,
    date: datetime.date | None = None,
    claims: ClaimSet | None = None,
) -> list[Review]:
    """Record in the project's ``reviews.yaml`` that the finding holding the pair ``claim_a``,
    ``claim_b`` with ``verdict`` is confirmed or dismissed, by whom and why; every pair of that
    finding gets a review. Returns the reviews written.

    The claims (``claims``, else those loaded from ``project``) are compared, and a finding that
    they do not have is refused, as are an empty ``by`` or ``why``. The file is appended to (its
    comments and reviews kept) and replaced atomically; it is created when missing."""
    path = _reviews_path(project)
    status = ReviewStatus(status)
    if not by.strip() or not why.strip():
        raise ClaimtrackError("a review needs who made it (by) and why")
    existing = load_reviews(project)  # a broken file is reported, never appended to
    if claims is None:
        claims = load(path.parent)
    keys = finding_pairs(compare(claims), verdict, claim_a, claim_b)
    if not keys:
        raise ClaimtrackError(
            f"no {verdict} finding between {claim_a!r} and {claim_b!r} in {path.parent} "
            "(claimtrack compare lists the findings)"
        )
    reviews = [
        Review(v, (a, b), status, by.strip(), why.strip(), date)
        for v, a, b in (key.split(" ") for key in keys)
    ]
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    head = (
        old
        if old.strip()
        else "# Reviews of findings (claimtrack review); see docs/your-own-project.md.\nreviews:\n"
    )
    if head.rstrip().endswith("reviews: []"):
        head = head.rstrip()[: -len("[]")].rstrip() + "\n"
    text = head + ("" if head.endswith("\n") else "\n") + "".join(map(_item, reviews))
    written = _check_appended(path, text, len(existing) + len(reviews))
    write_atomic(path, written)
    return reviews


def _item(review: Review) -> str:
    """One review as a block-list item; texts as double-quoted strings, any character that is
    not visible as itself (a line break, a control or bidi character) as its escape."""
    scalar = shown
    lines = [
        f"  - verdict: {review.verdict}",
        f"    claims: [{review.claims[0]}, {review.claims[1]}]",
        f"    status: {review.status.value}",
        f"    by: {scalar(review.by)}",
        f"    why: {scalar(review.why)}",
    ]
    if review.date is not None:
        lines.append(f'    date: "{review.date.isoformat()}"')
    return "\n".join(lines) + "\n"


def _check_appended(path: Path, text: str, expected: int) -> str:
    """``text`` when it reads as ``expected`` reviews; else the file's layout cannot be appended
    to (``reviews: []`` with a comment after it, a flow list) and that is said."""
    try:
        doc = read_document(str(path), text.encode("utf-8"))
        items = doc.data.get("reviews") if isinstance(doc.data, dict) else None
    except ClaimFileError:
        items = None
    if not isinstance(items, list) or len(items) != expected:
        raise ClaimFileError(
            str(path),
            None,
            "reviews",
            "cannot append to it: write 'reviews:' as a block list, one '- verdict: ...' per item",
        )
    return text

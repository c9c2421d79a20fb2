"""The ``claimtrack`` command's parts for reviewing a project: correcting quotes
(``verify --fix``) and recording reviews of findings (``review``)."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any, TextIO

from claimtrack._cli_base import PROG, Progress, formatter
from claimtrack._quote_fix import quote_fixes, shown, write_fixes
from claimtrack._safe_text import plain_text
from claimtrack._write import write_atomic
from claimtrack.compare import Comparison
from claimtrack.errors import ClaimFileError, ClaimtrackError, ValidationError
from claimtrack.load import load
from claimtrack.review import REVIEWS_FILE, ReviewStatus, load_reviews, review_finding
from claimtrack.verify import QuoteStatus, Verification, verify


def fix_quotes(args: argparse.Namespace, result: Verification, out: TextIO) -> int:
    """After ``claimtrack verify``'s table: the quotes that differ from their texts only in white
    space or quote marks, with their exact characters; with ``--fix``, those characters written
    into the claim files and the quotes verified again. Returns the exit status."""
    if not any(q.status is QuoteStatus.NORMALISED for q in result.quotes):
        if args.fix:
            print(
                "\nnothing to correct: no quote differs only in white space or quote marks",
                file=out,
            )
        return 0 if result.ok else 1
    fixes, refused = quote_fixes(args.path, result)
    n = len(fixes)
    print(
        f"\n{n} quote{'s differ' if n != 1 else ' differs'} from the text only in white space or "
        "quote marks (the text's characters, invisible ones as escapes):",
        file=out,
    )
    for fix in fixes:
        print(plain_text(f"  {fix.path}:{fix.line}: {fix.claim}"), file=out)
        print(plain_text(f"    quote: {shown(fix.quote)}"), file=out)
        print(plain_text(f"    text:  {shown(fix.text)}"), file=out)
        for difference in fix.differences():
            print(plain_text(f"    {difference}"), file=out)
    if refused and args.fix:
        for refusal in refused:
            print(plain_text(f"not corrected: {refusal.claim}: {refusal.reason}"), file=out)
    if not args.fix:
        print(
            f"run '{PROG} verify {args.path} --texts {args.texts} --fix' to write the text's "
            "characters into the claim files",
            file=out,
        )
        return 1
    written = write_fixes(fixes)
    print(
        f"corrected {n} quote{'s' if n != 1 else ''} in "
        + (", ".join(str(p) for p in written) or "no file"),
        file=out,
    )
    again = verify(load(args.path), args.texts)
    failing = len(again.problems)
    print(
        "verified again: " + ("all checks pass" if again.ok else f"{failing} check(s) FAIL"),
        file=out,
    )
    return 0 if again.ok else 1


def add_verify_options(parser: argparse.ArgumentParser) -> None:
    """``verify --fix``."""
    parser.add_argument(
        "--fix",
        action="store_true",
        help="write the text's characters into the claim files where a quote differs from it "
        "only in white space or quote marks (nothing else in the files changes), e.g. "
        "claimtrack verify claims --texts DIR --fix",
    )


def add_compare_options(parser: argparse.ArgumentParser) -> None:
    """``compare --save``."""
    parser.add_argument(
        "--save",
        metavar="RUN",
        help="also write the comparison as JSON to RUN, for a later 'claimtrack report "
        "--since-run RUN', e.g. --save last.json",
    )


def save_run(args: argparse.Namespace, result: Comparison) -> None:
    """With ``compare --save RUN``: the comparison's JSON written to RUN, atomically."""
    if not args.save:
        return
    try:
        write_atomic(args.save, result.to_json())
    except OSError as exc:
        raise ClaimtrackError(f"cannot write {args.save}: {exc.strerror or exc}") from None


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """``report``'s options for the review of a source and of what is new."""
    parser.add_argument(
        "--source",
        metavar="ID",
        help="only the findings that involve a claim of this source, and the subjects it has "
        "claims about (the review of a new article), e.g. --source rferl-2019-zhanaozen",
    )
    parser.add_argument(
        "--since-run",
        metavar="RUN",
        help="mark the findings that are not in this earlier run (saved with 'claimtrack compare "
        "PATH --save RUN.json') as new, and name its findings that are gone, e.g. "
        "--since-run last.json",
    )


def report_options(args: argparse.Namespace) -> dict[str, Any]:
    """``report()``'s keywords from ``report``'s options; the project's reviews.yaml when PATH
    has one."""
    reviews = load_reviews(args.path)
    return {
        "source": args.source,
        "since_run": args.since_run,
        "reviews": reviews if reviews.path is not None else None,
    }


def add_review_command(commands: Any) -> None:
    """``claimtrack review``."""
    p = commands.add_parser(
        "review",
        help="record that a finding is confirmed or dismissed, by whom and why",
        description="Record in PATH/reviews.yaml that the finding with VERDICT between CLAIM_A "
        "and CLAIM_B (as 'claimtrack compare' or a report lists it) is confirmed or dismissed, "
        "with who reviewed it and why. Every pair of the finding, as a report groups them, is "
        "recorded; reports then show the status. The file is appended to and replaced atomically.",
        epilog="example:\n  claimtrack review my-claims contradict A B --dismiss --by 'Ann' "
        "--why 'different camps'",
        formatter_class=formatter,
    )
    p.add_argument("path", metavar="PATH", help="a claims folder, e.g. my-claims")
    p.add_argument("verdict", metavar="VERDICT", help="the finding's verdict, e.g. contradict")
    p.add_argument("claim_a", metavar="CLAIM_A", help="the id of one claim of the finding")
    p.add_argument("claim_b", metavar="CLAIM_B", help="the id of the other claim")
    status = p.add_mutually_exclusive_group(required=True)
    status.add_argument(
        "--confirm",
        dest="status",
        action="store_const",
        const=ReviewStatus.CONFIRMED,
        help="the finding holds, e.g. --confirm",
    )
    status.add_argument(
        "--dismiss",
        dest="status",
        action="store_const",
        const=ReviewStatus.DISMISSED,
        help="the finding does not hold, e.g. --dismiss",
    )
    p.add_argument("--by", required=True, metavar="NAME", help="who reviewed it, e.g. --by 'Ann'")
    p.add_argument(
        "--why", required=True, metavar="TEXT", help="why, e.g. --why 'the same figure twice'"
    )
    p.add_argument(
        "--date",
        type=datetime.date.fromisoformat,
        metavar="DATE",
        help="when it was reviewed (default: today), e.g. --date 2026-12-01",
    )


def _cmd_review(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
    progress.step("comparing")
    reviews = review_finding(
        args.path,
        args.verdict,
        args.claim_a,
        args.claim_b,
        status=args.status,
        by=args.by,
        why=args.why,
        date=args.date or datetime.date.today(),
    )
    n = len(reviews)
    print(
        plain_text(
            f"recorded {args.status.value} for {n} pair{'s' if n != 1 else ''} of the "
            f"{args.verdict} finding in {Path(args.path) / REVIEWS_FILE}"
        ),
        file=out,
    )
    return 0


REVIEW_COMMANDS = {"review": _cmd_review}


def review_problems(path: str) -> list[ClaimFileError]:
    """The problems of the reviews.yaml of the claims folder ``path``, each at its line."""
    try:
        load_reviews(path)
    except ValidationError as exc:
        return list(exc.errors)
    return []

"""The ``claimtrack`` command's parts for reviewing a project: correcting quotes
(``verify --fix``) and recording reviews of findings (``review``)."""

from __future__ import annotations

import argparse
from typing import TextIO

from claimtrack._cli_base import PROG
from claimtrack._quote_fix import quote_fixes, shown, write_fixes
from claimtrack._safe_text import plain_text
from claimtrack.load import load
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

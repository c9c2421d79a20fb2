"""The ``claimtrack`` command: a thin skin over the library.

Each sub-command calls one public function. Exit codes: 0 all well, 1 problems found in the data
(invalid files, failing quotes) or a library error, 2 a usage error. Errors are one line on stderr
(``claimtrack: error: ...``), never a traceback. Runs that take more than two seconds say what they
are doing on stderr ("claimtrack: comparing…"), when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO, cast

import attrs
import pandas as pd

from claimtrack import _cli_review
from claimtrack._cli_base import (
    CLAIMS_PATH_HELP,
    PATH_HELP,
    PROG,
    Progress,
    UsageError,
    claims_at,
    claims_or_frame,
    date_option,
    formatter,
    isatty,
    positive_int,
    whole_number,
)
from claimtrack._cli_projects import PROJECT_COMMANDS, add_project_commands
from claimtrack._safe_text import json_text, plain_text
from claimtrack._write import write_atomic
from claimtrack.claimset import ClaimSet
from claimtrack.compare import DEFAULT_COMPARE_POLICY, ComparePolicy, compare
from claimtrack.errors import (
    ClaimFileError,
    ClaimFileWarning,
    ClaimtrackError,
    ValidationError,
)
from claimtrack.load import load
from claimtrack.report import (
    DEFAULT_LIMIT,
    FORMATS,
    claims_table,
    comparison_text,
    report,
    verification_table,
)
from claimtrack.verify import verify


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: error: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command (also used to check docs/cli.md)."""
    parser = _Parser(
        prog=PROG,
        description="Track what sources say about contested facts, and compare them.",
        epilog="Run 'claimtrack COMMAND --help' for a command's options and examples.",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    p = commands.add_parser(
        "validate",
        help="check claim files and list every problem",
        description="Check the claim files at PATH and print every problem as "
        "file:line: field: what is wrong, and every warning (a suspect date) as "
        "file:line: warning: field: what is suspect.",
        epilog="example:\n  claimtrack validate claims\n  claimtrack validate claims/my-article.yaml"
        "\n  claimtrack validate --strict claims",
        formatter_class=formatter,
    )
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (suspect dates, printed as 'file:line: warning: ...') as errors: "
        "exit status 1 when there is any",
    )

    p = commands.add_parser(
        "list",
        help="print a table of the claims",
        description="Load the claim files at PATH and print one row per claim.",
        epilog="example:\n  claimtrack list claims --subject xinjiang-detainees --format md",
        formatter_class=formatter,
    )
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument(
        "--format",
        choices=("text", "md"),
        default="text",
        help="text: a plain table for the terminal (default); md: a GitHub Markdown table, "
        "e.g. --format md",
    )
    p.add_argument(
        "--subject",
        action="append",
        metavar="ID",
        help="only claims about this subject (repeat for several), e.g. --subject kazakhs-in-xinjiang",
    )

    p = commands.add_parser(
        "verify",
        help="check every quote against the archived source texts",
        description="Find every claim's quote, character for character, in the archived text of "
        "its source (the source's text_file inside DIR) and check each text's SHA-256.",
        epilog="example:\n  claimtrack verify claims --texts ../shared/seeds",
        formatter_class=formatter,
    )
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument(
        "--texts",
        required=True,
        metavar="DIR",
        help="the folder holding the archived texts named by each source's text_file, "
        "e.g. --texts ../shared/seeds",
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="list every check, not only the failing ones, e.g. claimtrack verify claims --texts DIR --all",
    )
    _cli_review.add_verify_options(p)
    p = commands.add_parser(
        "compare",
        help="compare the claims of each subject and print the findings or every pair",
        description="Compare every pair of claims within each subject and say where sources "
        "agree, refine, differ, update, repeat or contradict each other, with the reason.",
        epilog="examples:\n  claimtrack compare claims\n  claimtrack compare claims --format json"
        " > comparison.json\n  claimtrack compare claims --out pairs\n"
        "  claimtrack compare claims --engine dask --scheduler tcp://10.0.0.5:8786 --out pairs",
        formatter_class=formatter,
    )
    p.add_argument("path", metavar="PATH", help=CLAIMS_PATH_HELP)
    p.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="text: findings and pair tables for the terminal (default); md: the same as "
        "Markdown; json: pairs, subjects, series checks and findings as JSON, e.g. --format json",
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="list every pair, not only the findings (text and md), e.g. claimtrack compare claims --all",
    )
    _add_subject_option(p)
    _add_limit_option(
        p,
        f"default {DEFAULT_LIMIT}; with --all, every pair",
        "groups of findings (or pairs, with --all), series checks and subjects (text and md)",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        help="write the pairs to this folder (Parquet part files, read them with "
        "claimtrack.read_pairs) instead of holding them in memory, e.g. --out pairs",
    )
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: this process (default); dask: a Dask cluster (needs claimtrack[dask]), "
        "e.g. --engine dask",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the scheduler to connect to, e.g. tcp://10.0.0.5:8786 "
        "(default: start a local cluster)",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        metavar="N",
        help="with --out and the local engine: worker processes that compare pairs (default: "
        "one per CPU, at most 8, on Linux; 1: this process only), e.g. --workers 4",
    )
    _cli_review.add_compare_options(p)
    _add_max_pairs_option(p)

    p = commands.add_parser(
        "report",
        help="write a comparison report with provenance (text, Markdown or one HTML page)",
        description="Compare the claims at PATH and write a report: a summary with the findings\n"
        "(conflicts, contradictions, internal inconsistencies, updates, changes over time), then\n"
        "every subject's claims with their source, date and quote, the verdicts between them,\n"
        "the independent origins and the consensus. HTML pages are self-contained and carry a\n"
        "timeline figure per quantity subject (needs claimtrack[plot]).",
        epilog="examples:\n  claimtrack report claims\n"
        "  claimtrack report claims --format html -o report.html\n"
        "  claimtrack report claims --format md --subject xinjiang-detainees --since 2020",
        formatter_class=formatter,
    )
    p.add_argument("path", metavar="PATH", help=CLAIMS_PATH_HELP)
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="text: for the terminal; md: GitHub Markdown; html: one self-contained page "
        "(default: from the -o file's suffix, .html or .md, else text), e.g. --format html",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE instead of standard output, e.g. -o report.html",
    )
    _add_subject_option(p)
    p.add_argument(
        "--since",
        metavar="DATE",
        type=date_option,
        help="only claims whose as-of date (else the date said, else the publication date) "
        "ends on or after DATE: a year, a month or a day, e.g. --since 2021-09",
    )
    _add_limit_option(
        p,
        f"default {DEFAULT_LIMIT}",
        "findings of each verdict, subjects shown in full, and claims and pairs of each subject",
    )
    _add_max_pairs_option(p)
    _cli_review.add_report_options(p)
    add_project_commands(commands)
    _cli_review.add_review_command(commands)
    return parser


def _add_limit_option(parser: argparse.ArgumentParser, default: str, what: str) -> None:
    parser.add_argument(
        "--limit",
        type=whole_number,
        metavar="N",
        help=f"show at most N {what}, and count what is left out ({default}; 0: all), "
        "e.g. --limit 0",
    )


def _add_max_pairs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include-drafts",
        action="store_true",
        help="also compare drafted claims not yet reviewed (those with a draft: block, as "
        "claimtrack draft writes them); without it they are left out and counted",
    )
    parser.add_argument(
        "--max-pairs",
        type=positive_int,
        metavar="N",
        help="the most pairs held in memory, compared or read back (default: "
        f"{DEFAULT_COMPARE_POLICY.max_pairs_in_memory:,}, about 3 GiB); more is refused before "
        "the work starts, e.g. --max-pairs 20000000",
    )


def _policy(args: argparse.Namespace) -> ComparePolicy:
    """The default comparison policy, with ``--max-pairs`` and ``--include-drafts`` when given."""
    policy = attrs.evolve(DEFAULT_COMPARE_POLICY, include_drafts=args.include_drafts)
    if args.max_pairs is None:
        return policy
    return attrs.evolve(policy, max_pairs_in_memory=args.max_pairs)


def _add_subject_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--subject",
        action="append",
        metavar="ID",
        help="only this subject (repeat for several), e.g. --subject xinjiang-detainees",
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("claimtrack")
    except PackageNotFoundError:
        return "unknown"


def _cmd_validate(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
    progress.step("validating claim files")
    warnings: list[ClaimFileWarning] = []
    claims: ClaimSet | None = None
    try:  # the files are read once: problems, or the claims they hold
        claims = load(args.path, warnings=warnings)
        problems: list[ClaimFileError] = []
    except ValidationError as exc:
        problems = list(exc.errors)
    problems += _cli_review.review_problems(args.path)
    found: list[ClaimFileError | ClaimFileWarning] = [*problems, *warnings]
    for problem in sorted(found, key=lambda p: (p.path, p.line or 0)):
        print(_line(problem), file=out)
    w = len(warnings)
    also = f", {w} warning{'s' if w != 1 else ''}" if w else ""
    if problems:
        n = len(problems)
        print(f"{n} problem{'s' if n != 1 else ''} found{also}", file=out)
        return 1
    if warnings and args.strict:
        print(f"{w} warning{'s' if w != 1 else ''} found (--strict: warnings are errors)", file=out)
        return 1
    assert claims is not None
    print(
        f"ok: {len(claims)} claims from {len(claims.sources)} sources, "
        f"{len(claims.subjects)} subjects, {len(claims.entities)} entities{also}",
        file=out,
    )
    return 0


def _cmd_list(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
    progress.step("loading claims")
    claims = load(args.path)
    if args.subject:
        claims = claims.filter(subject=args.subject)
    print(claims_table(claims, fmt=args.format), file=out)
    return 0


def _cmd_verify(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
    progress.step("loading claims")
    claims = load(args.path)
    progress.step("verifying quotes")
    result = verify(claims, args.texts)
    print(verification_table(result, everything=args.all), file=out)
    return _cli_review.fix_quotes(args, result, out)


def _cmd_compare(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
    if args.scheduler and args.engine != "dask":
        raise UsageError(f"{PROG} compare: error: --scheduler goes with --engine dask")
    if args.workers is not None and (args.out is None or args.engine != "local"):
        raise UsageError(f"{PROG} compare: error: --workers goes with --out and --engine local")
    progress.step("loading claims")
    claims: Any = claims_or_frame(args.path, args.engine)
    if args.subject:
        if isinstance(claims, ClaimSet):
            claims = claims.filter(subject=args.subject)
        else:
            claims = claims[claims["subject"].astype(str).isin(args.subject)]
    progress.step("comparing")
    result = compare(
        claims,
        _policy(args),
        out=args.out,
        engine=args.engine,
        client=args.scheduler,
        workers=args.workers,
    )
    _cli_review.save_run(args, result)
    if args.format == "json":
        print(json_text(result.to_json()), file=out)
        if result.drafts_left_out:  # standard output stays JSON
            print(f"{PROG}: {result.drafts_note()}", file=progress.err)
    else:
        limit = args.limit if args.limit is not None else (0 if args.all else DEFAULT_LIMIT)
        table = comparison_text(
            result,
            fmt=args.format,
            everything=args.all,
            limit=limit,
            claims=claims if isinstance(claims, ClaimSet | pd.DataFrame) else None,
        )
        print(table, file=out)
        if result.drafts_left_out:
            print(result.drafts_note(), file=out)
    return 0


_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}


def _cmd_report(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower() if args.output else ""
        fmt = _SUFFIX_FORMATS.get(suffix, "text")
    progress.step("loading claims")
    claims = claims_at(args.path)
    progress.step("comparing and rendering the report")
    kw = {"policy": _policy(args), **_cli_review.report_options(args)}
    text = report(
        claims,
        format=fmt,
        subjects=args.subject,
        since=args.since,
        limit=DEFAULT_LIMIT if args.limit is None else args.limit,
        **kw,
    )
    if args.output is None:
        out.write(text)
        return 0
    try:
        write_atomic(args.output, text)  # the old report or the new one, never half of one
    except OSError as exc:
        raise ClaimtrackError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return 0


def _line(problem: object) -> str:
    """One problem as one line for the terminal: file names and values from claim files are
    made plain (a line feed in a file name is shown as ``\\n``, never a new line)."""
    return plain_text(str(problem), newline="\\n")


def _lines(error: object) -> str:
    """An error message for the terminal, made plain; its own lines are kept."""
    return plain_text(str(error), newline="\n")


_COMMANDS = {
    "validate": _cmd_validate,
    "list": _cmd_list,
    "verify": _cmd_verify,
    "compare": _cmd_compare,
    "report": _cmd_report,
    **PROJECT_COMMANDS,
    **_cli_review.REVIEW_COMMANDS,
}


class _OutputError(Exception):
    """The command's output could not be written; the message says why."""

    def __init__(self, reason: str, *, broken_pipe: bool = False) -> None:
        super().__init__(f"cannot write to standard output: {reason}")
        self.broken_pipe = broken_pipe


class _Stream:
    """One of the command's streams, writing through to ``stream`` (``None`` when the process
    was started with it closed).

    On standard output a failed write or flush is an :class:`_OutputError` saying why, never a
    traceback; characters the stream's encoding cannot hold (``PYTHONIOENCODING=ascii``, a
    non-UTF-8 locale) are written as backslash escapes (``\\u201c``), as Python writes them to
    standard error. On standard error (``quiet``) a failed write is dropped: there is nowhere
    left to say it.
    """

    def __init__(self, stream: TextIO | None, *, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet

    def _fail(self, exc: BaseException) -> None:
        if self.quiet:
            return
        if isinstance(exc, BrokenPipeError):
            raise _OutputError("the pipe is closed", broken_pipe=True) from None
        if isinstance(exc, OSError):
            raise _OutputError(exc.strerror or str(exc)) from None
        raise _OutputError("it is closed") from None

    def write(self, text: str) -> int:
        try:
            if self.stream is None:
                raise ValueError("closed")
            try:
                return self.stream.write(text)
            except UnicodeEncodeError:
                encoding = getattr(self.stream, "encoding", None) or "ascii"
                return self.stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        except (OSError, ValueError) as exc:  # ValueError: written after being closed
            self._fail(exc)
            return 0

    def flush(self) -> None:
        try:
            if self.stream is not None:
                self.stream.flush()
        except (OSError, ValueError) as exc:
            self._fail(exc)

    def isatty(self) -> bool:
        return self.stream is not None and isatty(self.stream)

    def discard(self) -> None:
        """After a failed write to the process's own standard output, point its file descriptor
        at ``os.devnull``, so that Python's flush at exit has nothing left to fail on (the
        Python docs' advice for a broken pipe)."""
        if self.stream is None or self.stream not in (sys.stdout, sys.__stdout__):
            return
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self.stream.fileno())
            finally:
                os.close(devnull)
        except (OSError, ValueError, io.UnsupportedOperation):
            pass


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    Output that cannot be written (a full disk, a closed standard output) is one line on
    standard error and exit status 1; a closed pipe (``claimtrack report claims | head``) ends
    the command quietly with status 0.
    """
    out = _Stream(sys.stdout if stdout is None else stdout)
    err = _Stream(sys.stderr if stderr is None else stderr, quiet=True)
    try:
        status = _run(argv, cast(TextIO, out), cast(TextIO, err))
        out.flush()
    except _OutputError as exc:
        out.discard()
        if exc.broken_pipe:
            return 0
        print(f"{PROG}: error: {exc}", file=err)
        return 1
    return status


def _run(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
    """:func:`main` with its streams checked."""
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(out):  # --help and --version print to the given stdout
            args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except UsageError as exc:
        print(_lines(exc), file=err)
        return 2
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    try:
        with Progress(err) as progress:
            return _COMMANDS[args.command](args, out, progress)
    except UsageError as exc:
        print(_lines(exc), file=err)
        return 2
    except ValidationError as exc:
        if len(exc.errors) == 1:
            print(f"{PROG}: error: {_line(exc.errors[0])}", file=err)
            return 1
        for problem in exc.errors:
            print(_line(problem), file=err)
        print(f"{PROG}: error: {len(exc.errors)} problem(s) in claim files", file=err)
        return 1
    except ClaimtrackError as exc:
        print(f"{PROG}: error: {_lines(exc)}", file=err)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return 130
    except BrokenPipeError:
        return 0

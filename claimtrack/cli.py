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
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO, cast

from claimtrack.claimset import ClaimSet
from claimtrack.compare import compare
from claimtrack.dates import FuzzyDate
from claimtrack.errors import ClaimtrackError, DateError, MissingExtraError, ValidationError
from claimtrack.load import load, validate
from claimtrack.report import (
    FORMATS,
    claims_table,
    comparison_text,
    report,
    select,
    verification_table,
)
from claimtrack.verify import verify

PROG = "claimtrack"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: error: {message}")


_PATH_HELP = "a claims folder or one claim file, e.g. claims"


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command (also used to check docs/cli.md)."""
    parser = _Parser(
        prog=PROG,
        description="Track what sources say about contested facts, and compare them.",
        epilog="Run 'claimtrack COMMAND --help' for a command's options and examples.",
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    p = commands.add_parser(
        "validate",
        help="check claim files and list every problem",
        description="Check the claim files at PATH and print every problem as "
        "file:line: field: what is wrong.",
        epilog="example:\n  claimtrack validate claims\n  claimtrack validate claims/my-article.yaml",
        formatter_class=_formatter,
    )
    p.add_argument("path", metavar="PATH", help=_PATH_HELP)

    p = commands.add_parser(
        "list",
        help="print a table of the claims",
        description="Load the claim files at PATH and print one row per claim.",
        epilog="example:\n  claimtrack list claims --subject xinjiang-detainees --format md",
        formatter_class=_formatter,
    )
    p.add_argument("path", metavar="PATH", help=_PATH_HELP)
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
        formatter_class=_formatter,
    )
    p.add_argument("path", metavar="PATH", help=_PATH_HELP)
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
    p = commands.add_parser(
        "compare",
        help="compare the claims of each subject and print the findings or every pair",
        description="Compare every pair of claims within each subject and say where sources "
        "agree, refine, differ, update, repeat or contradict each other, with the reason.",
        epilog="examples:\n  claimtrack compare claims\n  claimtrack compare claims --format json"
        " > comparison.json\n  claimtrack compare claims --out pairs\n"
        "  claimtrack compare claims --engine dask --scheduler tcp://10.0.0.5:8786 --out pairs",
        formatter_class=_formatter,
    )
    p.add_argument(
        "path",
        metavar="PATH",
        help="a claims folder or one claim file, or a claims frame saved as Parquet "
        "(claims.to_frame().to_parquet(...)) for large inputs, e.g. claims",
    )
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
        type=_positive_int,
        metavar="N",
        help="with --out and the local engine: worker processes that compare pairs (default: "
        "one per CPU, at most 8, on Linux; 1: this process only), e.g. --workers 4",
    )

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
        formatter_class=_formatter,
    )
    p.add_argument("path", metavar="PATH", help=_PATH_HELP)
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
        type=_date,
        help="only claims whose as-of date (else the date said, else the publication date) "
        "ends on or after DATE: a year, a month or a day, e.g. --since 2021-09",
    )
    _add_project_commands(commands)
    p = commands.add_parser(
        "draft",
        help="write a first draft of an article's claim file, for review",
        description="Draft the claim file of the plain-text article TEXT for the claims folder\n"
        "CLAIMS_DIR: figures, dates and attributed statements, each quote a span of the text,\n"
        "each claim with a draft block (the rule that made it, what to review, the best\n"
        "subjects). With a FOLDER, draft every *.txt file in it into --out.",
        epilog="examples:\n  claimtrack draft article.txt --into claims -o draft.yaml\n"
        "  claimtrack draft article.txt --into claims --published 2019-09-03 --publisher rferl\n"
        "  claimtrack draft articles/ --into claims --out drafts/",
        formatter_class=_formatter,
    )
    p.add_argument("text", metavar="TEXT", help="a UTF-8 plain-text article, or a folder of them")
    p.add_argument(
        "--into",
        required=True,
        metavar="CLAIMS_DIR",
        help="the claims folder the draft is for (its entities.yaml and subjects.yaml are used), "
        "e.g. --into claims",
    )
    p.add_argument(
        "--published",
        metavar="DATE",
        help="the publication date, absolute (suggested from the page when not given), "
        "e.g. --published 2019-09-03",
    )
    p.add_argument(
        "--publisher",
        metavar="ID",
        help="the publisher's entity id (suggested from the page when not given), "
        "e.g. --publisher rferl",
    )
    p.add_argument("--url", metavar="URL", help="where the article was published, e.g. --url URL")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the draft to FILE instead of standard output, e.g. -o draft.yaml",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        help="with a FOLDER of articles: the folder the drafts are written to, one NAME.yaml "
        "per NAME.txt, e.g. --out drafts",
    )
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="with a FOLDER: draft in N processes (default 1), e.g. --workers 2",
    )
    return parser


def _add_project_commands(commands: Any) -> None:
    """The commands of a claims project of one's own: init, new-source, subjects, entities,
    export, import."""
    p = commands.add_parser(
        "init",
        help="start a claims project: registries, a texts/ folder and a README",
        description="Make DIR a new claims project: entities.yaml and subjects.yaml (empty, or "
        "copied from another claims folder), a texts/ folder for the archived articles and a "
        "README. A non-empty DIR is refused; one that already is a project is left as it is.",
        epilog="examples:\n  claimtrack init my-claims\n  claimtrack init my-claims --from claims",
        formatter_class=_formatter,
    )
    p.add_argument("dir", metavar="DIR", help="the folder to make a project of, e.g. my-claims")
    p.add_argument(
        "--from",
        dest="seed_from",
        metavar="CLAIMS_DIR",
        help="copy entities.yaml and subjects.yaml from this claims folder, e.g. --from claims",
    )

    p = commands.add_parser(
        "new-source",
        help="archive an article's text and write a source skeleton to add claims to",
        description="Copy the plain text TEXT into the project's texts/ folder and write "
        "DIR/<id>.yaml with the source block filled in (text_file, text_sha256) and claims: []. "
        "Without --title the text's first line is used, without --published a date in its "
        "first lines; both are marked as hints to check.",
        epilog="example:\n  claimtrack new-source article.txt --project my-claims "
        "--url https://example.org/a --publisher rferl --published 2019-09-04",
        formatter_class=_formatter,
    )
    p.add_argument("text", metavar="TEXT", help="the article as a UTF-8 plain-text file")
    p.add_argument(
        "--project",
        default=".",
        metavar="DIR",
        help="the claims project (default: .), e.g. --project my-claims",
    )
    p.add_argument(
        "--url", metavar="URL", help="where it was published, e.g. --url https://example.org/a"
    )
    p.add_argument("--title", metavar="TITLE", help="the headline (default: the text's first line)")
    p.add_argument(
        "--publisher",
        required=True,
        metavar="ID",
        help="entity id of the publisher, in entities.yaml, e.g. --publisher rferl",
    )
    p.add_argument(
        "--published",
        metavar="DATE",
        help="the publication date (default: a date in the text's first lines), e.g. --published 2019-09-04",
    )
    p.add_argument(
        "--id",
        dest="source_id",
        metavar="ID",
        help="the source id (default: publisher, year and title words), e.g. --id rferl-2019-third-day",
    )

    for name, what, flag, meta, example in (
        ("subjects", "subjects", "--search", "WORDS", "detained people"),
        ("entities", "entities", "--search", "NAME", "Tokaev"),
    ):
        p = commands.add_parser(
            name,
            help=f"list or search the {what} of a claims folder",
            description=f"Print the {what} of DIR, or with --search those like {meta}, best first, "
            "with a score from 0 to 100 (spellings are transliterated and folded: Tokaev finds "
            "Tokayev and Toqaev).",
            epilog=f"examples:\n  claimtrack {name} claims\n  claimtrack {name} claims --search "
            f"'{example}'",
            formatter_class=_formatter,
        )
        p.add_argument("dir", metavar="DIR", help="a claims folder, e.g. claims")
        p.add_argument(
            flag, metavar=meta, help=f"only those like {meta}, e.g. --search '{example}'"
        )
        p.add_argument(
            "--limit",
            type=_positive_int,
            default=10,
            metavar="N",
            help="with --search: at most N results (default 10), e.g. --limit 3",
        )

    from claimtrack.export import EXPORT_FORMATS

    p = commands.add_parser(
        "export",
        help="write the claims as CSV, XLSX, schema.org JSON-LD, PROV-JSON or a data package",
        description="Write the claims at PATH, with their provenance, for other tools: csv (one "
        "row per claim, for spreadsheets), xlsx (needs claimtrack[xlsx]), claimreview (schema.org "
        "Claim JSON-LD), prov (W3C PROV-JSON, needs claimtrack[prov]) or datapackage (a "
        "Frictionless data package: a folder).",
        epilog="examples:\n  claimtrack export claims --format csv -o claims.csv\n"
        "  claimtrack export claims --format datapackage -o claims-package",
        formatter_class=_formatter,
    )
    p.add_argument("path", metavar="PATH", help=_PATH_HELP)
    p.add_argument(
        "--format", required=True, choices=EXPORT_FORMATS, help="the format, e.g. --format csv"
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the file to write (a folder for datapackage), e.g. -o claims.csv",
    )

    p = commands.add_parser(
        "import",
        help="turn a CSV of claims (the csv export's columns) into claim files of a project",
        description="Read FILE, a CSV with the columns of 'claimtrack export --format csv', check "
        "every row against the project's registries and write one claim file per source into "
        "DIR. A broken row is reported with its line number; nothing is written then.",
        epilog="example:\n  claimtrack import csv new-claims.csv --into my-claims",
        formatter_class=_formatter,
    )
    p.add_argument("format", metavar="FORMAT", choices=("csv",), help="csv (the only one)")
    p.add_argument("file", metavar="FILE", help="the CSV file, e.g. new-claims.csv")
    p.add_argument(
        "--into", required=True, metavar="DIR", help="the claims project, e.g. --into my-claims"
    )


def _add_subject_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--subject",
        action="append",
        metavar="ID",
        help="only this subject (repeat for several), e.g. --subject xinjiang-detainees",
    )


def _date(text: str) -> FuzzyDate:
    try:
        return FuzzyDate.parse(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("claimtrack")
    except PackageNotFoundError:
        return "unknown"


class _Progress:
    """Step messages on stderr ("claimtrack: comparing…") for slow runs.

    Only when stderr is a terminal, and only once the run has taken ``delay`` seconds: the step
    under way then is printed, and every later step as it starts. Quick runs and tests stay quiet.
    """

    def __init__(self, err: TextIO, delay: float = 2.0) -> None:
        self.err = err
        self.delay = delay
        self.enabled = _isatty(err)
        self.started = time.monotonic()
        self.current: str | None = None
        self.printed: str | None = None
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        if self.enabled:
            self.timer = threading.Timer(delay, self._show)
            self.timer.daemon = True
            self.timer.start()

    def step(self, message: str) -> None:
        with self.lock:
            self.current = message
        if self.enabled and time.monotonic() - self.started >= self.delay:
            self._show()

    def _show(self) -> None:
        with self.lock:
            if self.current is not None and self.current != self.printed:
                print(f"{PROG}: {self.current}…", file=self.err, flush=True)
                self.printed = self.current

    def __enter__(self) -> _Progress:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            self.current = None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _cmd_validate(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    progress.step("validating claim files")
    problems = validate(args.path)
    for problem in problems:
        print(problem, file=out)
    if problems:
        n = len(problems)
        print(f"{n} problem{'s' if n != 1 else ''} found", file=out)
        return 1
    claims = load(args.path)
    print(
        f"ok: {len(claims)} claims from {len(claims.sources)} sources, "
        f"{len(claims.subjects)} subjects, {len(claims.entities)} entities",
        file=out,
    )
    return 0


def _cmd_list(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    progress.step("loading claims")
    claims = load(args.path)
    if args.subject:
        claims = claims.filter(subject=args.subject)
    print(claims_table(claims, fmt=args.format), file=out)
    return 0


def _cmd_verify(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    progress.step("loading claims")
    claims = load(args.path)
    progress.step("verifying quotes")
    result = verify(claims, args.texts)
    print(verification_table(result, everything=args.all), file=out)
    return 0 if result.ok else 1


def _cmd_compare(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    if args.scheduler and args.engine != "dask":
        raise _UsageError(f"{PROG} compare: error: --scheduler goes with --engine dask")
    if args.workers is not None and (args.out is None or args.engine != "local"):
        raise _UsageError(f"{PROG} compare: error: --workers goes with --out and --engine local")
    progress.step("loading claims")
    claims: Any = _claims_or_frame(args.path, args.engine)
    if args.subject:
        if isinstance(claims, ClaimSet):
            claims = claims.filter(subject=args.subject)
        else:
            claims = claims[claims["subject"].astype(str).isin(args.subject)]
    progress.step("comparing")
    result = compare(
        claims,
        out=args.out,
        engine=args.engine,
        client=args.scheduler,
        workers=args.workers,
    )
    if args.format == "json":
        print(result.to_json(), file=out)
    else:
        print(comparison_text(result, fmt=args.format, everything=args.all), file=out)
    return 0


def _is_parquet(path: Path) -> bool:
    """A Parquet file, or a folder of Parquet files without claim files."""
    if path.is_dir():
        return any(path.glob("*.parquet")) and not any(path.glob("*.yaml"))
    return path.suffix == ".parquet"


def _claims_or_frame(path: str, engine: str) -> Any:
    """Claim files load as a ClaimSet; a Parquet claims frame (``claims.to_frame().to_parquet(...)``)
    is read and checked (:func:`claimtrack.read_claims_frame`), or read lazily with Dask for the
    dask engine, its columns and their types checked from its metadata."""
    where = Path(path)
    if not _is_parquet(where):
        return load(path)
    if engine == "dask":
        try:
            import dask.dataframe as dd
        except ImportError:
            raise MissingExtraError("the dask engine", "dask") from None
        from claimtrack.errors import FrameFileError
        from claimtrack.frame import check_claims_schema

        if not where.exists():
            raise FrameFileError(path, "no such file or folder")
        try:
            lazy = dd.read_parquet(where)
        except Exception as exc:  # pyarrow's and dask's own errors: the file is not Parquet
            raise FrameFileError(path, str(exc).strip().splitlines()[0][:200]) from None
        check_claims_schema(lazy._meta, where=path)
        return lazy
    from claimtrack.frame import read_claims_frame

    return read_claims_frame(where)


_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}


def _cmd_report(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower() if args.output else ""
        fmt = _SUFFIX_FORMATS.get(suffix, "text")
    progress.step("loading claims")
    claims = select(load(args.path), subjects=args.subject, since=args.since)
    progress.step("comparing")
    comparison = compare(claims)
    progress.step("rendering the report")
    text = report(comparison, claims, format=fmt, subjects=args.subject, since=args.since)
    if args.output is None:
        out.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ClaimtrackError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return 0


def _cmd_init(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    from claimtrack.project import init_project

    written = init_project(args.dir, seed_from=args.seed_from)
    if not written:
        print(f"{args.dir} is already a claims project: nothing changed", file=out)
        return 0
    print(f"created the claims project {args.dir}:", file=out)
    for path in written:
        print(f"  {path}", file=out)
    print(
        f"next: claimtrack new-source ARTICLE.txt --project {args.dir} --url URL --publisher ID",
        file=out,
    )
    return 0


def _cmd_new_source(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    from claimtrack.project import new_source

    made = new_source(
        args.text,
        project=args.project,
        url=args.url,
        publisher=args.publisher,
        title=args.title,
        published=args.published,
        source_id=args.source_id,
    )
    print(f"wrote {made.path} (source {made.source.id}) and {made.text_path}", file=out)
    if made.title_hint:
        print(f"title from the text's first line, check it: {made.title_hint}", file=out)
    if made.published_hint:
        print(f"published {made.source.published.iso()} {made.published_hint}, check it", file=out)
    return 0


def _cmd_subjects(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    from tabulate import tabulate

    from claimtrack.project import search_subjects

    found = search_subjects(args.dir, args.search, limit=args.limit)
    rows = [
        [
            m.score if m.score is not None else "",
            m.subject.id,
            m.subject.kind.value,
            m.subject.label,
        ]
        for m in found
    ]
    print(tabulate(rows, headers=["score", "id", "kind", "label"], tablefmt="simple"), file=out)
    return 0


def _cmd_entities(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    from tabulate import tabulate

    from claimtrack.project import search_entities

    found = search_entities(args.dir, args.search, limit=args.limit)
    rows = [
        [
            m.score if m.score is not None else "",
            m.entity.id,
            m.entity.kind.value,
            m.entity.name,
            ", ".join(m.entity.aliases),
        ]
        for m in found
    ]
    headers = ["score", "id", "kind", "name", "aliases"]
    print(tabulate(rows, headers=headers, tablefmt="simple"), file=out)
    return 0


def _cmd_export(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    from claimtrack.export import export

    progress.step("loading claims")
    claims = load(args.path)
    progress.step("exporting")
    written = export(claims, args.output, format=args.format)
    print(f"wrote {len(claims)} claims to " + ", ".join(str(p) for p in written), file=out)
    return 0


def _cmd_import(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    from claimtrack.export import import_csv

    written = import_csv(args.file, args.into)
    print("wrote " + ", ".join(str(p) for p in written), file=out)
    return 0


def _cmd_draft(args: argparse.Namespace, out: TextIO, progress: _Progress) -> int:
    from claimtrack.draft import draft, draft_folder

    if Path(args.text).is_dir():
        if args.out is None:
            raise _UsageError(f"{PROG} draft: error: {args.text} is a folder: give --out DIR")
        if args.output or args.published or args.url:
            raise _UsageError(
                f"{PROG} draft: error: -o, --published and --url are for one article, not a folder"
            )
        progress.step("drafting")
        written = draft_folder(
            args.text,
            into=args.into,
            out=args.out,
            publisher=args.publisher,
            workers=args.workers,
        )
        print(f"wrote {len(written)} draft(s) to {args.out}", file=out)
        return 0
    if args.out is not None:
        raise _UsageError(f"{PROG} draft: error: --out is for a folder of articles; use -o FILE")
    progress.step("drafting")
    result = draft(
        args.text,
        into=args.into,
        published=args.published,
        publisher=args.publisher,
        url=args.url,
        out=args.output,
    )
    if args.output is None:
        out.write(result.yaml)
    else:
        print(f"wrote {len(result.claims)} draft claim(s) to {args.output}", file=out)
    return 0


_COMMANDS = {
    "validate": _cmd_validate,
    "list": _cmd_list,
    "verify": _cmd_verify,
    "compare": _cmd_compare,
    "report": _cmd_report,
    "init": _cmd_init,
    "new-source": _cmd_new_source,
    "subjects": _cmd_subjects,
    "entities": _cmd_entities,
    "export": _cmd_export,
    "import": _cmd_import,
    "draft": _cmd_draft,
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
        return self.stream is not None and _isatty(self.stream)

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
    except _UsageError as exc:
        print(exc, file=err)
        return 2
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    try:
        with _Progress(err) as progress:
            return _COMMANDS[args.command](args, out, progress)
    except _UsageError as exc:
        print(exc, file=err)
        return 2
    except ValidationError as exc:
        if len(exc.errors) == 1:
            print(f"{PROG}: error: {exc.errors[0]}", file=err)
            return 1
        for problem in exc.errors:
            print(problem, file=err)
        print(f"{PROG}: error: {len(exc.errors)} problem(s) in claim files", file=err)
        return 1
    except ClaimtrackError as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return 130
    except BrokenPipeError:
        return 0

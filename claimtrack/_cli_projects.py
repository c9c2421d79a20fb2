"""The ``claimtrack`` commands of a claims project of one's own (init, new-source, subjects,
entities, export, import) and of drafting (draft): their options and their one library call each."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from claimtrack._cli_base import PATH_HELP, PROG, Progress, UsageError, formatter, positive_int
from claimtrack._safe_text import plain_text
from claimtrack.draft import LANGUAGES
from claimtrack.load import load


def add_project_commands(commands: Any) -> None:
    """The commands of a claims project of one's own: init, new-source, subjects, entities,
    export, import."""
    p = commands.add_parser(
        "init",
        help="start a claims project: registries, a texts/ folder and a README",
        description="Make DIR a new claims project: entities.yaml and subjects.yaml (empty, or "
        "copied from another claims folder), a texts/ folder for the archived articles and a "
        "README. A non-empty DIR is refused; one that already is a project is left as it is.",
        epilog="examples:\n  claimtrack init my-claims\n  claimtrack init my-claims --from claims",
        formatter_class=formatter,
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
        formatter_class=formatter,
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
            formatter_class=formatter,
        )
        p.add_argument("dir", metavar="DIR", help="a claims folder, e.g. claims")
        p.add_argument(
            flag, metavar=meta, help=f"only those like {meta}, e.g. --search '{example}'"
        )
        p.add_argument(
            "--limit",
            type=positive_int,
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
        formatter_class=formatter,
    )
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
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
        formatter_class=formatter,
    )
    p.add_argument("format", metavar="FORMAT", choices=("csv",), help="csv (the only one)")
    p.add_argument("file", metavar="FILE", help="the CSV file, e.g. new-claims.csv")
    p.add_argument(
        "--into", required=True, metavar="DIR", help="the claims project, e.g. --into my-claims"
    )
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
        formatter_class=formatter,
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
        "--lang",
        choices=("auto", *LANGUAGES),
        default="auto",
        help="the language of the articles, whose lexicon the rules read: auto (default) "
        "detects each article's from its script and stopwords, e.g. --lang ru",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        metavar="N",
        help="with a FOLDER: draft in N processes (default: one per CPU, at most 8, for 16 "
        "articles or more; 1: this process only), e.g. --workers 2",
    )


def _cmd_init(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
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


def _cmd_new_source(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
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
        hint = plain_text(made.title_hint)
        print(f"title from the text's first line, check it: {hint}", file=out)
    if made.published_hint:
        hint = plain_text(made.published_hint)
        print(f"published {made.source.published.iso()} {hint}, check it", file=out)
    return 0


def _print_table(rows: Sequence[Sequence[object]], headers: list[str], out: TextIO) -> None:
    """A search's results as a plain terminal table, every cell made plain text."""
    from tabulate import tabulate

    cells = [[plain_text(str(cell)) for cell in row] for row in rows]
    print(tabulate(cells, headers=headers, tablefmt="simple"), file=out)


def _cmd_subjects(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:

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
    _print_table(rows, ["score", "id", "kind", "label"], out)
    return 0


def _cmd_entities(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:

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
    _print_table(rows, headers, out)
    return 0


def _cmd_export(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
    from claimtrack.export import export

    progress.step("loading claims")
    claims = load(args.path)
    progress.step("exporting")
    written = export(claims, args.output, format=args.format)
    print(f"wrote {len(claims)} claims to " + ", ".join(str(p) for p in written), file=out)
    return 0


def _cmd_import(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
    from claimtrack.export import import_csv

    written = import_csv(args.file, args.into)
    print("wrote " + ", ".join(str(p) for p in written), file=out)
    return 0


def _cmd_draft(args: argparse.Namespace, out: TextIO, progress: Progress) -> int:
    from claimtrack.draft import draft, draft_folder

    if Path(args.text).is_dir():
        if args.out is None:
            raise UsageError(f"{PROG} draft: error: {args.text} is a folder: give --out DIR")
        if args.output or args.published or args.url:
            raise UsageError(
                f"{PROG} draft: error: -o, --published and --url are for one article, not a folder"
            )
        progress.step("drafting")
        written = draft_folder(
            args.text,
            into=args.into,
            out=args.out,
            publisher=args.publisher,
            language=None if args.lang == "auto" else args.lang,
            workers=args.workers,
        )
        print(f"wrote {len(written)} draft(s) to {args.out}", file=out)
        return 0
    if args.out is not None:
        raise UsageError(f"{PROG} draft: error: --out is for a folder of articles; use -o FILE")
    progress.step("drafting")
    result = draft(
        args.text,
        into=args.into,
        published=args.published,
        publisher=args.publisher,
        url=args.url,
        out=args.output,
        language=None if args.lang == "auto" else args.lang,
    )
    if args.output is None:
        out.write(result.yaml)
    else:
        print(f"wrote {len(result.claims)} draft claim(s) to {args.output}", file=out)
    return 0


PROJECT_COMMANDS = {
    "init": _cmd_init,
    "new-source": _cmd_new_source,
    "subjects": _cmd_subjects,
    "entities": _cmd_entities,
    "export": _cmd_export,
    "import": _cmd_import,
    "draft": _cmd_draft,
}

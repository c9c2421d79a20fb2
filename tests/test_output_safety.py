"""Output safety: no text from a claim file controls the terminal, breaks a table, injects markup
or crashes a renderer (``claimtrack/_safe_text.py``; ``docs/reliability.md``, "Output safety").

Claim files spell hostile characters as YAML escapes (``"\\e[2J"``), as a user's file may; the
folders are built by :func:`folder` and read by the real loader.
"""

from __future__ import annotations

import html
import io
import json
import re
import sys
import tempfile
import types
import unicodedata
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack._ids import ID_PATTERN
from claimtrack._safe_text import (
    UNSAFE,
    html_text,
    json_text,
    markdown_code,
    markdown_text,
    plain_text,
)
from claimtrack.cli import main
from claimtrack.report import report
from tests.strategies import TERMINAL_SEQUENCES, hostile_texts

# --- building claim folders --------------------------------------------------------------------


def yaml_str(text: str) -> str:
    """``text`` as a double-quoted YAML scalar: every character outside printable ASCII escaped."""
    out = []
    for char in text:
        n = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= n < 0x7F:
            out.append(char)
        elif n <= 0xFF:
            out.append(f"\\x{n:02x}")
        elif n <= 0xFFFF:
            out.append(f"\\u{n:04x}")
        else:
            out.append(f"\\U{n:08x}")
    return '"' + "".join(out) + '"'


def folder(
    where: Path,
    *,
    quote: str = "They said about 3 million",
    label: str = "People counted",
    unit: str = "people",
    description: str = "People counted in one place. Not any other count.",
    name: str = "Alice Example",
    title: str = "A report",
    notes: str = "notes",
    url: str = "https://example.org/a",
    written: str = "last year",
    proposition: str = "the camps hold people",
    values: Sequence[tuple[str, str]] = (("2022", "about 3 million"), ("2023", "about 5 million")),
) -> Path:
    """A claims folder with one quantity subject (claims dated and valued as ``values``, so it
    has a figure and pairs), one statement subject with a contradiction and one single claim;
    every text given is in it: quotes, labels, the unit, a claimant's name, the source's title,
    notes and address, the words that dated a claim."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "entities.yaml").write_text(
        "entities:\n"
        "  - {id: press, name: The Press, kind: organisation}\n"
        f"  - {{id: alice, name: {yaml_str(name)}, kind: person}}\n"
        "  - {id: bob, name: Bob, kind: person}\n",
        encoding="utf-8",
    )
    (where / "subjects.yaml").write_text(
        "subjects:\n"
        f"  - {{id: people, label: {yaml_str(label)}, kind: quantity, unit: {yaml_str(unit)},\n"
        f"     description: {yaml_str(description)}}}\n"
        f"  - {{id: camps, label: {yaml_str(proposition)}, kind: statement,\n"
        f"     description: {yaml_str(description)}}}\n"
        "  - {id: lonely, label: One claim, kind: quantity, unit: days,\n"
        "     description: A count with one claim. Not the others.}\n",
        encoding="utf-8",
    )
    claims = []
    for i, (as_of, value) in enumerate(values):
        who = "alice" if i % 2 == 0 else "bob"
        claims.append(
            f"  - id: press-2023:people-{i}\n    subject: people\n    quote: {yaml_str(quote)}\n"
            f"    claimant: {who}\n"
            f"    as_of: {{date: {yaml_str(as_of)}, written: {yaml_str(written)}}}\n"
            f"    value: {yaml_str(value)}\n"
        )
    for who, stance in (("alice", "asserts"), ("bob", "denies")):
        claims.append(
            f"  - id: press-2023:camps-{who}\n    subject: camps\n    quote: {yaml_str(quote)}\n"
            f"    claimant: {who}\n    statement: {{speaker: {who}, stance: {stance}}}\n"
        )
    claims.append(
        f"  - id: press-2023:lonely\n    subject: lonely\n    quote: {yaml_str(quote)}\n"
        "    claimant: alice\n    value: 12\n"
    )
    (where / "press-2023.yaml").write_text(
        "source:\n  id: press-2023\n"
        f"  title: {yaml_str(title)}\n  publisher: press\n  published: '2023-01-05'\n"
        f"  url: {yaml_str(url)}\n  notes: {yaml_str(notes)}\n"
        "claims:\n" + "".join(claims),
        encoding="utf-8",
    )
    return where


def run(argv: Sequence[str]) -> tuple[int, str, str]:
    """``(exit status, stdout, stderr)`` of ``claimtrack ARGV``."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def raw_controls(text: str) -> list[str]:
    """The characters of :data:`UNSAFE` in ``text`` other than line feeds."""
    return [c for c in UNSAFE.findall(text) if c != "\n"]


TERMINAL_COMMANDS = (
    ["report"],
    ["report", "--format", "md"],
    ["list"],
    ["list", "--format", "md"],
    ["compare"],
    ["compare", "--all"],
    ["compare", "--format", "md", "--all"],
    ["compare", "--format", "json"],
)

# --- the terminal ------------------------------------------------------------------------------


@pytest.mark.parametrize("sequence", TERMINAL_SEQUENCES.values(), ids=TERMINAL_SEQUENCES.keys())
def test_escape_sequences_in_quotes_do_not_reach_the_terminal(
    sequence: str, tmp_path: Path
) -> None:
    """Every command that prints claim file text, in every format, shows the sequence's
    characters as escapes; the same holds for labels, units, names, titles and dating words."""
    path = str(
        folder(
            tmp_path / "claims",
            quote=f"said {sequence} about 3 million",
            label=f"People {sequence}",
            unit=f"people {sequence}",
            name=f"Alice {sequence}",
            title=f"Title {sequence}",
            written=f"last {sequence}",
            proposition=f"camps {sequence}",
            url=f"https://example.org/{sequence}",
        )
    )
    shown = plain_text(sequence)
    for command in TERMINAL_COMMANDS:
        status, out, err = run([command[0], path, *command[1:]])
        assert 0 == status, (command, err)
        assert [] == raw_controls(out + err), command
    status, out, _err = run(["report", path])
    assert shown in out


def test_verify_shows_text_file_names_and_details_plainly(tmp_path: Path) -> None:
    path = folder(tmp_path / "claims")
    source = path / "press-2023.yaml"
    text_file = yaml_str("a\x1b[2Jb.txt")
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("  notes:", f"  text_file: {text_file}\n  notes:"), "utf-8")
    (tmp_path / "texts").mkdir()
    status, out, err = run(["verify", str(path), "--texts", str(tmp_path / "texts"), "--all"])
    assert 1 == status
    assert [] == raw_controls(out + err)
    assert "a\\x1b[2Jb.txt" in out


@pytest.mark.parametrize(
    "name", ["bad\x1b]0;pwned\x07.yaml", "bad\u202elmth.yaml", "two\nlines.yaml"]
)
def test_file_names_in_error_messages_do_not_reach_the_terminal(name: str, tmp_path: Path) -> None:
    """A broken claim file whose name holds controls: ``validate`` (stdout), ``report`` and
    ``list`` (stderr) print it with escapes, each problem on one line."""
    path = folder(tmp_path / "claims")
    (path / name).write_text("source: [\n", encoding="utf-8")
    status, out, _err = run(["validate", str(path)])
    assert 1 == status
    assert [] == raw_controls(out)
    assert 2 == len(out.splitlines())  # the problem, and "1 problem found"
    assert plain_text(name, newline="\\n") in out
    for command in ("report", "list"):
        status, _out, err = run([command, str(path)])
        assert 1 == status
        assert [] == raw_controls(err)
        assert 1 == len(err.splitlines()), err


def test_invisible_characters_in_a_key_are_shown_in_validate_lines(tmp_path: Path) -> None:
    """A raw zero-width no-break space in a key (``s\ufeffource:``) is an unknown key; the
    problem line shows it as ``\ufeff`` instead of printing what looks like ``source``."""
    path = folder(tmp_path / "claims")
    source = path / "press-2023.yaml"
    source.write_text("s\ufeff" + source.read_text(encoding="utf-8")[1:], encoding="utf-8")
    status, out, _err = run(["validate", str(path)])
    assert 1 == status
    assert [] == raw_controls(out)
    assert "s\\ufeffource" in out


def test_usage_errors_show_arguments_plainly() -> None:
    status, _out, err = run(["report", "claims", "--format", "\x1b[2J"])
    assert 2 == status
    assert [] == raw_controls(err)
    assert "\\x1b[2J" in err


def test_json_output_escapes_every_unsafe_character(tmp_path: Path) -> None:
    """``compare --format json`` keeps the data and writes C1, bidi and zero-width characters as
    ``\\u`` escapes (json escapes C0 itself)."""
    path = folder(tmp_path / "claims", proposition="camps \x9b2J \u202eabc \u200b")
    status, out, _err = run(["compare", str(path), "--format", "json"])
    assert 0 == status
    assert [] == raw_controls(out)
    assert "\\u009b2J \\u202eabc \\u200b" in out
    compared = claimtrack.compare(claimtrack.load(path))
    assert json.loads(compared.to_json()) == json.loads(out)


# --- Markdown ----------------------------------------------------------------------------------

_CELL_END = re.compile(r"(?<!\\)\|")


def table_lines(page: str) -> list[list[str]]:
    """The Markdown tables of ``page``, each as its lines."""
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*page.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def assert_tables_keep_their_columns(page: str) -> None:
    tables = table_lines(page)
    assert tables
    for table in tables:
        columns = len(_CELL_END.findall(table[0]))
        assert [columns] * len(table) == [len(_CELL_END.findall(line)) for line in table], table


def test_pipe_in_reason_keeps_markdown_table_columns(tmp_path: Path) -> None:
    """A contradiction's reason holds the proposition (the statement subject's label); a ``|``
    and a line feed in it stay in their cell of ``compare --format md``, and so do they in every
    table of ``list --format md`` and ``report --format md``."""
    path = str(
        folder(
            tmp_path / "claims",
            proposition="camps | hold\npeople | x",
            quote="a | b\nc",
            title="t | u",
            name="A | B",
        )
    )
    status, out, _err = run(["compare", path, "--format", "md"])
    assert 0 == status
    assert "camps \\| hold people \\| x" in out
    assert_tables_keep_their_columns(out)
    for argv in (["list", path, "--format", "md"], ["report", path, "--format", "md"]):
        status, out, _err = run(argv)
        assert 0 == status
        assert_tables_keep_their_columns(out)


def test_long_reasons_are_not_wrapped_into_extra_markdown_rows() -> None:
    """``compare --format md`` has one row per group of findings: text tables wrap long cells,
    Markdown tables cannot (each wrapped line would be a row)."""
    status, out, _err = run(["compare", "claims", "--format", "md"])
    assert 0 == status
    first = out.split(":", 1)[0]  # "22 findings in 7 groups"
    groups = int(first.split(" in ")[1].split()[0]) if " in " in first else int(first.split()[0])
    assert groups + 2 == len(table_lines(out)[0])
    assert_tables_keep_their_columns(out)


def test_underscores_inside_words_stay_readable_in_markdown() -> None:
    status, out, _err = run(["compare", "claims", "--format", "md"])
    assert 0 == status
    assert "| day_count " in out and "day\\_count" not in out
    assert "\\_emphasis\\_ snake_case" == markdown_text("_emphasis_ snake_case")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", "a \\| b"),
        ("<b>bold</b> &amp;", "&lt;b&gt;bold&lt;/b&gt; &amp;amp;"),
        ("back\\slash `code`", "back\\\\slash \\`code\\`"),
        (
            "*star* [link](http://x) ~~gone~~ $x$",
            "\\*star\\* \\[link\\](http://x) \\~\\~gone\\~\\~ \\$x\\$",
        ),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("1. item", "1\\. item"),
        ("    code block", "code block"),
        ("===", "\\==="),
        ("#1 and -5 and 1.5", "#1 and -5 and 1.5"),
        ("line\nbreak\ttab", "line break tab"),
        ("esc \x1b[2J", "esc \\\\x1b\\[2J"),
        ("rtl \u202eabc", "rtl \\\\u202eabc"),
    ],
)
def test_markdown_escape(text: str, expected: str) -> None:
    assert expected == markdown_text(text)


@given(st.from_regex(ID_PATTERN).filter(ID_PATTERN.match))
def test_ids_are_safe_in_markdown_code_spans(identifier: str) -> None:
    """Every id a claim file may hold (the model's own pattern) is a slug: no backtick, pipe or
    line feed can end the code span, the cell or the row."""
    code = markdown_code(identifier)
    assert f"`{identifier}`" == code
    assert not re.search(r"[`|\s\\<>&]", code[1:-1])


def test_a_text_that_is_not_a_slug_is_never_a_code_span() -> None:
    assert "a\\` \\| b" == markdown_code("a` | b")


# --- HTML --------------------------------------------------------------------------------------

SVG = re.compile(r"<svg class=\"timeline\".*?</svg>", re.DOTALL)


class _Structure(HTMLParser):
    """The page's start and end tags with their attribute names, and the text in each element
    named in ``watch``."""

    def __init__(self, watch: Sequence[str] = ()) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.texts: dict[str, list[str]] = {tag: [] for tag in watch}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(f"<{tag} {' '.join(sorted(name for name, _ in attrs))}>")
        if tag in self.texts:
            self.texts[tag].append("")
        if tag not in {"meta", "br"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(f"</{tag}>")
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for tag in self.stack:
            if self.texts.get(tag):
                self.texts[tag][-1] += data


def structure(page: str, watch: Sequence[str] = ()) -> _Structure:
    parser = _Structure(watch)
    parser.feed(SVG.sub("<svg></svg>", page))
    parser.close()
    assert [] == parser.stack
    return parser


def shown(text: str) -> str:
    """What a reader sees of ``text`` in the page."""
    return html.unescape(html_text(text))


def html_page(path: Path) -> str:
    claims = claimtrack.load(path)
    return report(claimtrack.compare(claims), claims, format="html")


HOSTILE_HTML = (
    '"><script>alert(1)</script><img src=x onerror=alert(1)> </td></tr></table> '
    "\x1b[2J \x00 \x9b \u202eevil\u202c \u2066x\u2069 \u200b"
)


def test_html_keeps_its_structure_and_every_text_in_its_element(tmp_path: Path) -> None:
    """The page of hostile texts has exactly the tags of the page of plain ones (figures aside),
    the quote is the text of its ``<q>``, the label of its ``<h2>``, the title of its cell."""
    plain = html_page(folder(tmp_path / "plain"))
    hostile = html_page(
        folder(
            tmp_path / "hostile",
            quote=f"q {HOSTILE_HTML}",
            label=f"l {HOSTILE_HTML}",
            title=f"t {HOSTILE_HTML}",
            name=f"n {HOSTILE_HTML}",
            notes=f"o {HOSTILE_HTML}",
            unit=f"u {HOSTILE_HTML}",
            written=f"w {HOSTILE_HTML}",
            proposition=f"p {HOSTILE_HTML}",
        )
    )
    assert structure(plain).tags == structure(hostile).tags
    assert [] == raw_controls(hostile.replace("\t", ""))
    found = structure(hostile, watch=("q", "h2", "td", "title")).texts
    assert shown(f"q {HOSTILE_HTML}") in found["q"]
    assert shown(f"l {HOSTILE_HTML}") + " people" in found["h2"]
    assert shown(f"t {HOSTILE_HTML}") in found["td"]
    assert ["Claims report"] == found["title"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://example.org/\x1b[2J",
        "https://example.org/ javascript:alert(1)",
        "//evil.example",
    ],
)
def test_only_plain_http_addresses_become_links(url: str, tmp_path: Path) -> None:
    page = html_page(folder(tmp_path / "claims", url=url))
    assert not re.search(r'href="(?!#)', page)
    assert shown(url) in structure(page, watch=("td",)).texts["td"]


def test_a_web_address_is_a_link(tmp_path: Path) -> None:
    page = html_page(folder(tmp_path / "claims", url="HTTPS://example.org/a?b=1&c=2"))
    assert 'href="HTTPS://example.org/a?b=1&amp;c=2"' in page


def test_bidi_controls_do_not_reach_html_or_markdown(tmp_path: Path) -> None:
    path = folder(tmp_path / "claims", quote="said \u202e0001 nillim\u202c", label="\u2067x\u2069")
    claims = claimtrack.load(path)
    comparison = claimtrack.compare(claims)
    for fmt, escape in (("md", markdown_text), ("html", html_text)):
        page = report(comparison, claims, format=fmt)
        assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]", page), fmt
        assert escape("\u202e0001 nillim\u202c") in page, fmt


# --- figures -----------------------------------------------------------------------------------


def test_mathtext_unit_does_not_crash_html_report(tmp_path: Path) -> None:
    page = html_page(folder(tmp_path / "claims", unit="$\\frac{$"))
    assert 1 == len(SVG.findall(page))
    assert "$\\frac{$" in SVG.findall(page)[0]  # drawn as written


def test_as_of_9999_12_31_does_not_crash_html_report(tmp_path: Path) -> None:
    values = (("9999-12-31", "about 3 million"), ("2022", "about 5 million"))
    page = html_page(folder(tmp_path / "claims", values=values))
    assert 1 == len(SVG.findall(page))


@pytest.mark.parametrize(
    "values",
    [
        (("0001-01-01", "about 3 million"), ("2022", "about 5 million")),
        (("0001-01-01", "about 3 million"), ("9999-12-31", "about 5 million")),
        (("9999-12-31", "about 3 million"), ("9999-12-31", "about 5 million")),
        (("9999", "about 3 million"), ("0001", "about 5 million")),
        (("2022-05-01", "3"), ("2022-05-01", "3")),  # one day, one value
        (("2022", "1000000000000000"), ("2023", "0.000001")),
        (("2022", "0.000001"), ("2023", "0.000002")),
        (("2022", "1000000000000000"), ("2023", "999999999999999")),
        (("2022", "more than 100"), ("2023", "as many as 2 million")),  # open bounds only
        (("2022", "more than 0"), ("2023", "as many as 0")),
        (("2022", "more than 1000000000000000"), ("2023", "fewer than 0.000001")),
        (("2022", "0"), ("2023", "0")),
    ],
    ids=lambda values: " and ".join(f"{v}@{d}" for d, v in values),
)
def test_extreme_dates_and_values_render_a_figure(
    values: tuple[tuple[str, str], ...], tmp_path: Path
) -> None:
    page = html_page(folder(tmp_path / "claims", values=values))
    assert 1 == len(SVG.findall(page)), re.findall(r'<p class="nofig">.*?</p>', page)


def test_a_failing_figure_is_a_note_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the figure broke\nsecond line")

    monkeypatch.setitem(sys.modules, "matplotlib.figure", types.SimpleNamespace(Figure=broken))
    page = html_page(folder(tmp_path / "claims"))
    assert "<svg" not in page
    assert '<p class="nofig">Figure unavailable: RuntimeError: the figure broke</p>' in page
    assert "<table>" in page


# --- any text, every format --------------------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    quote=hostile_texts,
    label=hostile_texts,
    unit=hostile_texts,
    name=hostile_texts.map("Name {}".format),  # an entity's name needs a letter
    title=hostile_texts,
    written=hostile_texts,
    description=hostile_texts,
    notes=hostile_texts,
)
def test_any_text_is_safe_in_every_format(**texts: str) -> None:
    """Texts of control, bidi and markup characters in quotes, labels, units, claimant names,
    source titles and notes, descriptions and dating words: the terminal gets no raw control
    character, Markdown tables keep their columns, the HTML page keeps its structure, and nothing
    raises."""
    with tempfile.TemporaryDirectory() as tmp:
        path = folder(Path(tmp) / "claims", proposition=texts["label"], **texts)
        claims = claimtrack.load(path)
        comparison = claimtrack.compare(claims)
        text = report(comparison, claims, format="text")
        assert [] == raw_controls(text)
        markdown = report(comparison, claims, format="md")
        assert [] == raw_controls(markdown)
        assert_tables_keep_their_columns(markdown)
        page = report(comparison, claims, format="html")
        assert [] == raw_controls(page.replace("\t", ""))
        reference = html_page(folder(Path(tmp) / "plain"))
        assert structure(reference).tags == structure(page).tags
        for argv in (
            ["list", str(path), "--format", "md"],
            ["compare", str(path), "--format", "md"],
        ):
            status, out, _err = run(argv)
            assert 0 == status
            assert [] == raw_controls(out)
            assert_tables_keep_their_columns(out)


# --- the escapes themselves --------------------------------------------------------------------


def test_unsafe_is_every_control_format_and_separator_character() -> None:
    """:data:`UNSAFE` holds exactly the characters of categories Cc, Cf, Zl, Zp and Cs (in this
    Python's Unicode), and unassigned ones: the noncharacters, and perhaps a future Cf."""
    for n in range(sys.maxunicode + 1):
        char = chr(n)
        category = unicodedata.category(char)
        assert bool(UNSAFE.match(char)) == (category in {"Cc", "Cf", "Zl", "Zp", "Cs"}) or (
            category == "Cn"
        ), f"U+{n:04X} {category}"


@given(st.text())
def test_plain_text_leaves_nothing_unsafe_and_is_stable(text: str) -> None:
    once = plain_text(text)
    assert not UNSAFE.search(once)
    assert once == plain_text(once)
    assert text == once or UNSAFE.search(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x9b", "\\x9b"),
        ("\x7f", "\\x7f"),
        ("a\tb", "a b"),
        ("a\rb", "a\\rb"),
        ("\u202e", "\\u202e"),
        ("\U000e0041", "\\U000e0041"),
        ("\ud800", "\\ud800"),
        ("plain “text” — café", "plain “text” — café"),
    ],
)
def test_plain_text_shows_each_escape(text: str, expected: str) -> None:
    assert expected == plain_text(text)


def test_plain_text_line_feeds() -> None:
    assert ("a b", "a\nb", "a\\nb") == tuple(
        plain_text("a\nb", newline=n) for n in (" ", "\n", "\\n")
    )


@given(st.text())
def test_json_text_is_the_same_json(text: str) -> None:
    document = json.dumps({"k": text, "l": [text]}, ensure_ascii=False, indent=2)
    safe = json_text(document)
    assert [] == raw_controls(safe)
    assert json.loads(document) == json.loads(safe)


@given(st.text())
def test_html_text_leaves_no_markup_and_nothing_unsafe(text: str) -> None:
    escaped = html_text(text)
    assert not re.search(r"[<>\"']", escaped)
    assert [] == raw_controls(escaped.replace("\t", ""))


@pytest.mark.parametrize("sequence", TERMINAL_SEQUENCES.values(), ids=TERMINAL_SEQUENCES.keys())
def test_escape_sequences_in_registries_do_not_reach_the_terminal_from_searches(
    sequence: str, tmp_path: Path
) -> None:
    """Regression: ``claimtrack subjects`` and ``claimtrack entities`` printed labels and names
    raw (they came after the escaping of the other commands)."""
    where = folder(tmp_path / "c", label=f"People {sequence} counted", name=f"Alice {sequence}")
    for argv in (["subjects", str(where)], ["entities", str(where), "--search", "Alice"]):
        status, out, _ = run(argv)
        assert 0 == status
        assert [] == raw_controls(out), argv

"""docs/cli.md cannot drift from the parser: every command and every option of
``build_parser()`` is described there, with an example, and nothing else is."""

from __future__ import annotations

import argparse
import re

import pytest

from claimtrack.cli import build_parser
from tests.conftest import ROOT

CLI_MD = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
HEADING = re.compile(r"^## (.+)$", re.MULTILINE)
FENCE = re.compile(r"^```\w*\n(.*?)^```", re.MULTILINE | re.DOTALL)
OPTION = re.compile(r"(?<![\w-])(--?[a-z][\w-]*)")


def commands() -> dict[str, argparse.ArgumentParser]:
    """The sub-command parsers of ``build_parser()``, by name."""
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("build_parser() has no sub-commands")


def options(parser: argparse.ArgumentParser) -> list[str]:
    """Every option string but ``-h``/``--help`` (described once, under Global options)."""
    return [
        flag
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
        for flag in action.option_strings
    ]


def sections() -> dict[str, str]:
    """The text under each ``## heading`` of docs/cli.md."""
    parts = HEADING.split(CLI_MD)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def examples(section: str, command: str) -> list[list[str]]:
    """The example command lines of a section (in any fenced block), split into words."""
    prefix = f"claimtrack {command}".strip()
    return [
        line.split("#")[0].split()
        for block in FENCE.findall(section)
        for line in block.splitlines()
        if line.startswith(prefix + " ") or line == prefix
    ]


COMMANDS = commands()


def test_every_command_has_a_section() -> None:
    headings = set(sections())
    missing = [name for name in COMMANDS if f"claimtrack {name}" not in headings]
    assert [] == missing, f"docs/cli.md has no '## claimtrack COMMAND' section for {missing}"


def test_every_section_is_a_real_command() -> None:
    stale = [
        heading
        for heading in sections()
        if heading.startswith("claimtrack ") and heading.split()[1] not in COMMANDS
    ]
    assert [] == stale


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_option_is_described_with_an_example(command: str) -> None:
    section = sections()[f"claimtrack {command}"]
    lines = examples(section, command)
    assert lines, f"no example of claimtrack {command}"
    for flag in options(COMMANDS[command]):
        assert f"`{flag}" in section, f"claimtrack {command}: {flag} is not described"
        assert any(flag in words for words in lines), (
            f"claimtrack {command}: no example uses {flag}"
        )


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_option_is_described_that_does_not_exist(command: str) -> None:
    section = sections()[f"claimtrack {command}"]
    known = {*options(COMMANDS[command]), "-h", "--help"}
    prose = FENCE.sub("", section)
    documented = {flag for flag in OPTION.findall(" ".join(re.findall(r"`([^`]+)`", prose)))}
    assert set() == documented - known


def test_global_options_are_described_with_an_example() -> None:
    section = sections()["Global options"]
    for flag in [*options(build_parser()), "--help"]:
        assert f"`{flag}`" in section
        assert any(flag in words for words in examples(section, ""))


def test_every_positional_is_named() -> None:
    for command, parser in COMMANDS.items():
        for action in parser._actions:
            if not action.option_strings:
                assert f"`{action.metavar}`" in CLI_MD, (command, action.metavar)

"""Reading YAML safely into plain data while remembering the line of every key and item.

PyYAML's safe loader is used with its implicit timestamp resolution removed: dates stay strings
and are read by :mod:`claimtrack.dates`, so "2021-02-30" is reported as a date that does not exist
instead of a traceback. Duplicate keys, which PyYAML would silently overwrite, are reported.
"""

from __future__ import annotations

from typing import Any

import yaml

from claimtrack.errors import ClaimFileError

Path = tuple[str | int, ...]

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader without implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

MAX_BYTES = 10 * 1024 * 1024
"""The largest claim file read (10 MiB); larger files are refused with a clear error."""


def format_path(path: Path) -> str:
    """``("claims", 3, "value")`` as ``claims[3].value``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class Document:
    """A YAML file read into plain data, with the line of each path in it."""

    def __init__(
        self, name: str, data: Any, lines: dict[Path, int], problems: list[ClaimFileError]
    ) -> None:
        self.name = name
        self.data = data
        self.lines = lines
        self.problems = problems
        """Problems found while reading (duplicate keys, keys that are not text)."""

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def error(self, path: Path, message: str) -> ClaimFileError:
        """A :class:`ClaimFileError` at ``path`` in this document."""
        return ClaimFileError(self.name, self.line(path), format_path(path), message)


def read_document(name: str, raw: bytes, max_bytes: int = MAX_BYTES) -> Document:
    """Parse ``raw`` (the bytes of file ``name``).

    A file that cannot be parsed at all raises a ClaimFileError; lesser problems (a duplicate key)
    are kept in ``Document.problems`` and the rest of the file is still read.
    """
    if len(raw) > max_bytes:
        raise ClaimFileError(
            name, None, "", f"file is {len(raw):,} bytes, over the {max_bytes:,}-byte limit"
        )
    if b"\x00" in raw[:8192]:
        raise ClaimFileError(name, None, "", "not a text file (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClaimFileError(
            name, None, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise ClaimFileError(name, line, "", f"malformed YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise ClaimFileError(name, None, "", f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        raise ClaimFileError(name, None, "", "file is empty")
    lines: dict[Path, int] = {}
    problems: list[ClaimFileError] = []
    data = _convert(node, (), lines, loader, name, problems)
    return Document(name, data, lines, problems)


def _convert(
    node: yaml.Node,
    path: Path,
    lines: dict[Path, int],
    loader: Any,
    name: str,
    problems: list[ClaimFileError],
) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                problems.append(
                    ClaimFileError(name, line, format_path(path), f"key {key!r} is not text")
                )
                continue
            if key in out:
                problems.append(
                    ClaimFileError(name, line, format_path((*path, key)), "duplicate key")
                )
                continue
            lines[(*path, key)] = line
            out[key] = _convert(value_node, (*path, key), lines, loader, name, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, i), lines, loader, name, problems)
            for i, item in enumerate(node.value)
        ]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problems.append(
            ClaimFileError(name, node.start_mark.line + 1, format_path(path), f"bad value: {exc}")
        )
        return None

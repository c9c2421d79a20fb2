"""Reading YAML safely into plain data while remembering the line of every key and item.

Claim files need only plain scalars, sequences and mappings, so that is all this reader accepts.
It composes the document itself from the parser's events, before anything is constructed, and
refuses, each at its line:

- anchors and aliases (``&a``, ``*a``): nothing is ever expanded, so a few hundred bytes cannot
  become gigabytes;
- explicit tags (``!!str``, ``!!timestamp``, ``!!python/object``, ``!local``, ``!``);
- merge keys (``<<:``) and complex keys (``? [a, b]``);
- nesting deeper than :data:`MAX_DEPTH` levels.

Implicit timestamp resolution is removed: dates stay strings and are read by
:mod:`claimtrack.dates`, so "2021-02-30" is reported as a date that does not exist. Duplicate keys,
which PyYAML would silently overwrite, are reported. Before parsing, the bytes must be UTF-8
text: UTF-16 and UTF-32 files, NUL bytes and control characters are reported with their line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from claimtrack.errors import ClaimFileError

Path = tuple[str | int, ...]

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader without implicit timestamps (its parser and resolver are used)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

MAX_BYTES = 10 * 1024 * 1024
"""The largest claim file read (10 MiB); larger files are refused with a clear error."""

MAX_DEPTH = 50
"""The deepest nesting of lists and mappings accepted (a claim file needs about five)."""

MAX_PROBLEMS = 100
"""Problems of YAML features (anchors, tags...) listed per file before reading stops."""

_NO_ANCHORS = "anchors and aliases are not allowed in claim files"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MERGE = "tag:yaml.org,2002:merge"
# The characters YAML refuses in a stream (PyYAML's Reader.NON_PRINTABLE).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


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
        self,
        name: str,
        data: Any,
        lines: dict[Path, int],
        problems: list[ClaimFileError],
        refused: bool = False,
    ) -> None:
        self.name = name
        self.data = data
        self.lines = lines
        self.problems = problems
        """Problems found while reading (duplicate keys, keys that are not text, refused YAML
        features)."""
        self.refused = refused
        """True when the file uses a YAML feature claim files do not allow: its content is not
        checked further, so the refusal is not followed by errors that only it caused."""

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


def _line_of(raw: bytes | str, offset: int) -> int:
    newline: Any = b"\n" if isinstance(raw, bytes) else "\n"
    return raw.count(newline, 0, offset) + 1


def wide_encoding(raw: bytes) -> str | None:
    """ "UTF-16 (little-endian, with a byte-order mark)" and the like, or None."""
    boms = (
        (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, with a byte-order mark)"),
        (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, with a byte-order mark)"),
        (b"\xff\xfe", "UTF-16 (little-endian, with a byte-order mark)"),
        (b"\xfe\xff", "UTF-16 (big-endian, with a byte-order mark)"),
    )
    for bom, what in boms:
        if raw.startswith(bom):
            return what
    head = raw[:4]
    if len(head) == 4 and head[0] and not any(head[1:]):
        return "UTF-32 (little-endian)"
    if len(head) == 4 and head[3] and not any(head[:3]):
        return "UTF-32 (big-endian)"
    if len(head) >= 2 and head[0] and not head[1]:
        return "UTF-16 (little-endian)"
    if len(head) >= 2 and head[1] and not head[0]:
        return "UTF-16 (big-endian)"
    return None


def decode(name: str, raw: bytes) -> str:
    """``raw`` as text, or a one-line ClaimFileError saying what it is instead (UTF-16, binary,
    another encoding) and where."""
    wide = wide_encoding(raw)
    if wide is not None:
        raise ClaimFileError(name, None, "", f"the file is {wide} text: save it as UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ClaimFileError(
            name,
            _line_of(raw, nul),
            "",
            f"not a text file (it contains a NUL byte at offset {nul})",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClaimFileError(
            name,
            _line_of(raw, exc.start),
            "",
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}): save it as UTF-8",
        ) from None
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        char = bad.group()
        raise ClaimFileError(
            name,
            _line_of(text, bad.start()),
            "",
            f"control character U+{ord(char):04X} is not allowed in claim files; "
            f'write it as an escape in a double-quoted string ("\\x{ord(char):02x}")',
        )
    return text


def read_document(name: str, raw: bytes, max_bytes: int = MAX_BYTES) -> Document:
    """Parse ``raw`` (the bytes of file ``name``).

    A file that cannot be parsed at all raises a ClaimFileError; lesser problems (a duplicate key,
    an anchor) are kept in ``Document.problems`` and the rest of the file is still read.
    """
    if len(raw) > max_bytes:
        raise ClaimFileError(
            name, None, "", f"file is {len(raw):,} bytes, over the {max_bytes:,}-byte limit"
        )
    text = decode(name, raw)
    loader = _Loader(text)
    composer = _Composer(name, loader)
    try:
        data = composer.document()
    except _Stop:
        data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise ClaimFileError(name, line, "", f"malformed YAML: {_one_line(problem)}") from None
    except yaml.YAMLError as exc:
        raise ClaimFileError(name, None, "", f"malformed YAML: {_one_line(str(exc))}") from None
    finally:
        loader.dispose()
    if composer.empty:
        raise ClaimFileError(name, None, "", "file is empty")
    refused = bool(composer.refusals)
    problems = composer.refusals + composer.problems
    return Document(name, None if refused else data, composer.lines, problems, refused)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Stop(Exception):
    """Too many problems in one file: reading stops."""


class _Composer:
    """Plain data from the parser's events, refusing what claim files do not need."""

    def __init__(self, name: str, loader: Any) -> None:
        self.name = name
        self.loader = loader
        self.lines: dict[Path, int] = {}
        self.problems: list[ClaimFileError] = []
        self.refusals: list[ClaimFileError] = []
        self.empty = False

    def refuse(self, event: Any, path: Path, message: str) -> None:
        if len(self.refusals) >= MAX_PROBLEMS:
            self.refusals.append(
                ClaimFileError(
                    self.name,
                    event.start_mark.line + 1,
                    "",
                    f"more than {MAX_PROBLEMS} such problems; the rest of the file is not read",
                )
            )
            raise _Stop
        self.refusals.append(
            ClaimFileError(self.name, event.start_mark.line + 1, format_path(path), message)
        )

    def document(self) -> Any:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            self.empty = True
            return None
        loader.get_event()  # document start
        data = self.node((), 0)
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise ClaimFileError(
                self.name,
                event.start_mark.line + 1,
                "",
                "a second YAML document ('---'): a claim file holds one document",
            )
        return data

    def check_features(self, event: Any, path: Path) -> None:
        if event.anchor is not None:
            self.refuse(event, path, f"{_NO_ANCHORS} (found the anchor &{event.anchor})")
        if event.tag is not None:
            self.refuse(
                event,
                path,
                f"tags are not allowed in claim files (found {_tag(event.tag)}); "
                "write a plain value",
            )

    def node(self, path: Path, depth: int) -> Any:
        loader = self.loader
        event = loader.get_event()
        self.lines.setdefault(path, event.start_mark.line + 1)
        if isinstance(event, yaml.AliasEvent):
            self.refuse(event, path, f"{_NO_ANCHORS} (found the alias *{event.anchor})")
            return None
        self.check_features(event, path)
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, path)
        if depth >= MAX_DEPTH:
            raise ClaimFileError(
                self.name,
                event.start_mark.line + 1,
                "",
                f"lists and mappings nested more than {MAX_DEPTH} levels deep; "
                "claim files need only a few",
            )
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not loader.check_event(yaml.SequenceEndEvent):
                items.append(self.node((*path, len(items)), depth + 1))
            loader.get_event()
            return items
        out: dict[str, Any] = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.peek_event()
            line = key_event.start_mark.line + 1
            key = self.key(path, depth)
            value_path = (*path, key) if isinstance(key, str) and key not in out else (*path, "?")
            if isinstance(key, str) and key not in out:
                self.lines[value_path] = line
            value = self.node(value_path, depth + 1)
            if key is _NOT_A_KEY:
                continue
            if len(self.problems) >= MAX_PROBLEMS:
                self.refusals.append(
                    ClaimFileError(
                        self.name,
                        line,
                        "",
                        f"more than {MAX_PROBLEMS} duplicate or non-text keys; "
                        "the rest of the file is not read",
                    )
                )
                raise _Stop
            if not isinstance(key, str):
                self.problems.append(
                    ClaimFileError(self.name, line, format_path(path), f"key {key!r} is not text")
                )
            elif key in out:
                self.problems.append(
                    ClaimFileError(self.name, line, format_path((*path, key)), "duplicate key")
                )
            else:
                out[key] = value
        loader.get_event()
        return out

    def key(self, path: Path, depth: int) -> Any:
        """The next key of a mapping: plain text, or a refusal (complex key, merge key)."""
        loader = self.loader
        event = loader.peek_event()
        if isinstance(event, yaml.CollectionStartEvent):
            self.refuse(
                event,
                path,
                "complex keys ('? [a, b]' or '{a: 1}: ...') are not allowed; keys are text",
            )
            self.node((*path, "?"), depth + 1)
            return _NOT_A_KEY
        event = loader.get_event()
        if isinstance(event, yaml.AliasEvent):
            self.refuse(event, path, f"{_NO_ANCHORS} (found the alias *{event.anchor})")
            return _NOT_A_KEY
        self.check_features(event, path)
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _MERGE and event.tag is None:
            self.refuse(event, path, "merge keys ('<<') are not allowed in claim files")
            return _NOT_A_KEY
        return self.scalar(event, path)

    def scalar(self, event: Any, path: Path) -> Any:
        loader = self.loader
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS or tag == "tag:yaml.org,2002:str":
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return loader.yaml_constructors[tag](loader, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            shown = event.value if len(event.value) <= 40 else event.value[:40] + "…"
            self.refuse(
                event, path, f"cannot read {shown!r} ({len(event.value):,} characters) as a number"
            )
            return None


_NOT_A_KEY = object()


def _tag(tag: str) -> str:
    if tag.startswith("tag:yaml.org,2002:"):
        return "!!" + tag.removeprefix("tag:yaml.org,2002:")
    return tag if tag.startswith("!") else f"!<{tag}>"

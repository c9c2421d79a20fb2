"""Reading a file's bytes with bounds: regular files only, never more than a limit, never blocking.

The size is checked by ``stat`` before anything is read, and at most ``limit + 1`` bytes are read
(a file that grows while it is read is still refused). A FIFO, a device, a socket or a folder is
refused before it is opened, and the file is opened non-blocking and checked again, so a FIFO
swapped in at the last moment does not hang the caller.
"""

from __future__ import annotations

import os
import stat


class ReadRefused(Exception):
    """Why a file was not read: ``reason`` is a phrase such as "not a regular file (a FIFO)"."""

    def __init__(self, reason: str, kind: str = "unreadable") -> None:
        super().__init__(reason, kind)
        self.reason = reason
        self.kind = kind
        """``missing``, ``unreadable``, ``not_a_file`` or ``too_large``."""


def _what(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _check(st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise ReadRefused(f"not a regular file ({_what(st.st_mode)})", "not_a_file")
    if st.st_size > limit:
        raise ReadRefused(
            f"file is {st.st_size:,} bytes, over the {limit:,}-byte limit", "too_large"
        )


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`ReadRefused` for anything else: missing, unreadable, not a regular file, or
    larger than ``limit``.
    """
    try:
        _check(os.stat(path), limit)
    except FileNotFoundError as exc:
        raise ReadRefused(f"cannot read: {exc.strerror or exc}", "missing") from None
    except OSError as exc:
        raise ReadRefused(f"cannot read: {exc.strerror or exc}") from None
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadRefused(f"cannot read: {exc.strerror or exc}") from None
    try:
        _check(os.fstat(fd), limit)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise ReadRefused(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise ReadRefused(
            f"file is over the {limit:,}-byte limit (it grew while read)", "too_large"
        )
    return raw


class NotText(ValueError):
    """Why bytes are not plain text: ``reason`` is a phrase such as "not UTF-8 text (byte 0xe9 at
    offset 6)"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def plain_text(data: bytes) -> str:
    """``data`` as plain UTF-8 text (an article, a source's archived text): not empty nor blank,
    no NUL byte, no control character but tab, line breaks and form feed. Raises
    :class:`NotText` naming the first problem and where it is."""
    if not data:
        raise NotText("the file is empty")
    if b"\x00" in data:
        raise NotText("not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotText(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    for offset, c in enumerate(text):
        if (c < " " and c not in _TEXT_CONTROLS) or "\x7f" <= c <= "\x9f":
            raise NotText(f"control character U+{ord(c):04X} at offset {offset}: not plain text")
    if not text.strip():
        raise NotText("the file holds only white space")
    return text

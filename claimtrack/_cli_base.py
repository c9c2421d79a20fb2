"""What the ``claimtrack`` command's modules share: the program name, usage errors, the help
format, option types and the progress messages of slow runs."""

from __future__ import annotations

import argparse
import threading
import time
from types import TracebackType
from typing import TextIO

from claimtrack.dates import FuzzyDate
from claimtrack.errors import DateError

PROG = "claimtrack"
PATH_HELP = "a claims folder or one claim file, e.g. claims"
CLAIMS_PATH_HELP = (
    "a claims folder or one claim file, or a claims frame saved as Parquet "
    "(claims.to_frame().to_parquet(...)) for large inputs, e.g. claims"
)


class UsageError(Exception):
    pass


def formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return number


def whole_number(text: str) -> int:
    """An argparse type: a whole number of at least 0."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 0, got {text!r}")
    return number


def date_option(text: str) -> FuzzyDate:
    try:
        return FuzzyDate.parse(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class Progress:
    """Step messages on stderr ("claimtrack: comparing…") for slow runs.

    Only when stderr is a terminal, and only once the run has taken ``delay`` seconds: the step
    under way then is printed, and every later step as it starts. Quick runs and tests stay quiet.
    """

    def __init__(self, err: TextIO, delay: float = 2.0) -> None:
        self.err = err
        self.delay = delay
        self.enabled = isatty(err)
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

    def __enter__(self) -> Progress:
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


def isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

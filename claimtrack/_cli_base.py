"""What the ``claimtrack`` command's modules share: the program name, usage errors, the help
format, option types and the progress messages of slow runs."""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate
from claimtrack.errors import DateError, MissingExtraError
from claimtrack.load import load

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


def _is_parquet(path: Path) -> bool:
    """A Parquet file, or a folder of Parquet files without claim files."""
    if path.is_dir():
        return any(path.glob("*.parquet")) and not any(path.glob("*.yaml"))
    return path.suffix == ".parquet"


def claims_or_frame(path: str, engine: str) -> Any:
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


def claims_at(path: str) -> ClaimSet:
    """The claims at ``path`` as a ClaimSet: claim files loaded, or a Parquet claims frame read
    and checked and made into claims (:func:`claimtrack.claims_from_frame`: sources, subjects and
    claimants named by their ids, as a frame carries no registries)."""
    if not _is_parquet(Path(path)):
        return load(path)
    from claimtrack.frame import claims_from_frame, read_claims_frame

    return claims_from_frame(read_claims_frame(path), where=path)

"""Running parts of a comparison in worker processes forked from this one.

Deciding pairs is many numpy operations on chunk-sized arrays with Python in between; two threads
share one interpreter lock, so they scale only about 1.5x. Forked processes scale with the cores
and share the prepared claims with this process (pages are copied only when written, and the
workers only read them). Each worker writes its own part file and sends back what the summary
needs (links and tallies: tens of megabytes at millions of claims) through an unnamed temporary
file; a pipe, 64 KiB at a time, took a third of a second for that on a busy machine.

Workers are forked, so they are used only where ``fork`` is safe and cheap: on Linux. A worker
runs claimtrack's own code (numpy, pandas, Arrow) and ends with ``os._exit``; it takes no lock
another thread of this process may hold, so forking while other threads run (a notebook's, a
Dask client's) is safe for it, and the warning Python 3.12+ gives for that is not shown.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import pickle
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from typing import IO, Any, Generic, TypeVar

from claimtrack.errors import WorkerError

__all__ = ["MAX_WORKERS", "Forked", "can_fork", "default_workers"]

MAX_WORKERS = 8
"""The most worker processes :func:`default_workers` chooses (each holds a chunk of pairs)."""

T = TypeVar("T")


def can_fork() -> bool:
    """Whether worker processes can be forked here: on Linux, from a process that may have
    children (a daemonic one, such as a ``multiprocessing.Pool`` worker, may not)."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def cpu_count() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers() -> int:
    """As many workers as CPUs (at most :data:`MAX_WORKERS`) where they can be forked, else 1."""
    return max(1, min(cpu_count(), MAX_WORKERS)) if can_fork() else 1


def _run(send: Any, out: int, function: Callable[..., Any], args: Sequence[Any]) -> None:
    """In the worker: call ``function(*args)``; write ``("ok", result)`` or ``("error", error)``
    pickled to the file ``out`` and send its length, or, without a file (``out`` -1) or room in
    it, send the pickle itself."""
    try:
        message: tuple[str, Any] = ("ok", function(*args))
    except BaseException as error:  # every failure goes back to the parent
        message = ("error", error)
    try:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # the error (or result) could not be pickled
        data = pickle.dumps(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    try:
        send.send(len(data) if out >= 0 and _write(out, data) else data)
    finally:
        send.close()


def _write(fd: int, data: bytes) -> bool:
    """Whether all of ``data`` could be written to the file ``fd`` from its start."""
    view = memoryview(data)
    written = 0
    try:
        while written < len(view):
            written += os.pwrite(fd, view[written:], written)
    except OSError:  # no room
        return False
    return True


def release_free_memory() -> None:
    """Give memory this process has freed back to the system (glibc's ``malloc_trim``), before
    forking: pages freed but kept would otherwise stay mapped in every worker, and be copied
    when this process reuses them while the workers run. Nothing happens without glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def _read(fd: int, size: int) -> bytes:
    """The first ``size`` bytes of the file ``fd``."""
    parts = []
    done = 0
    while done < size:
        part = os.pread(fd, size - done, done)
        if not part:
            raise EOFError(f"a worker's result ends after {done} of {size} bytes")
        parts.append(part)
        done += len(part)
    return b"".join(parts)


class Forked(Generic[T]):
    """``function(*args)`` running in a forked worker process; :meth:`result` waits for it.

    Use as a context manager, or call :meth:`stop` when done: it waits for the worker to end,
    and terminates one still running (the parent failed meanwhile).
    """

    def __init__(self, function: Callable[..., T], args: Sequence[Any], name: str) -> None:
        context = multiprocessing.get_context("fork")
        self._sent = False
        self._receive, send = context.Pipe(duplex=False)
        # the worker inherits the file; result() or stop() closes it
        self._result: IO[bytes] | None
        try:
            self._result = tempfile.TemporaryFile(prefix="claimtrack-")  # noqa: SIM115
        except OSError:  # no writable temporary folder: the result comes through the pipe
            self._result = None
        out = -1 if self._result is None else self._result.fileno()
        self._process = context.Process(
            target=_run, args=(send, out, function, args), name=name, daemon=True
        )
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a multi-threaded process: see the module docstring
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            self._process.start()
        send.close()

    def result(self) -> T:
        """The function's result, or its exception raised again here."""
        try:
            sent = self._receive.recv()
            self._sent = True
        except EOFError:
            self._process.join()
            raise WorkerError(self._process.name, self._process.exitcode) from None
        finally:
            self._receive.close()
        # not joined here: the worker ends (unmapping its memory takes a while) while this
        # process goes on; stop() joins it
        if isinstance(sent, bytes):
            data = sent
        else:
            assert self._result is not None  # a length is sent only when there is a file
            with self._result:
                data = _read(self._result.fileno(), sent)
        status, value = pickle.loads(data)
        if status == "error":
            raise value
        result: T = value
        return result

    def stop(self) -> None:
        """Wait for the worker to end; terminate it first if it has not sent its result."""
        if not self._sent and self._process.is_alive():
            self._process.terminate()
        self._process.join()
        if self._result is not None:
            self._result.close()

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

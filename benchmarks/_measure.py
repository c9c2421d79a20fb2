"""What the benchmarks share: sizes as text, the peak memory of a process tree, the machine.

``compare_scale.py`` and ``hot_subjects.py`` import this module (they run as scripts, so this
folder is on ``sys.path``). Each measurement runs in a fresh Python process that prints one line,
``RESULT {json}``; :func:`run_child` starts it and reads that line back.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import threading
from typing import Any

MARK = "RESULT "
"""The start of the line a measuring process prints its result on."""

GIB = 2**30


def parse_size(text: str) -> int:
    """``10k`` → 10_000, ``1M`` → 1_000_000, ``2.5M`` → 2_500_000, ``5000`` → 5000."""
    text = text.strip()
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale != 1 else text
    return int(float(number.replace("_", "")) * scale)


def size_text(n: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if n >= scale and n % (scale // 10) == 0:
            return f"{n / scale:g}{unit}"
    return str(n)


class TreeMemory:
    """Samples the summed PSS of this process and all its descendants: on entry and exit, and
    (``sampling``) every ``interval`` seconds in a background thread."""

    def __init__(self, interval: float = 0.05, *, sampling: bool = True) -> None:
        import psutil  # type: ignore[import-untyped,unused-ignore]

        self._root = psutil.Process()
        self._interval = interval
        self._sampling = sampling
        self._stop = threading.Event()
        self.peak = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        import psutil  # type: ignore[import-untyped,unused-ignore]

        total = 0
        for proc in [self._root, *self._root.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += proc.memory_full_info().pss
        self.peak = max(self.peak, total)
        return total

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sample()

    def __enter__(self) -> TreeMemory:
        self.sample()
        if self._sampling:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._sampling:
            self._stop.set()
            self._thread.join()
        self.sample()


def max_rss() -> int:
    """Peak RSS of this process in bytes (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def run_child(command: list[str], what: str) -> dict[str, Any]:
    """Run a measuring process and return the result it printed; ``what`` names it in the
    error raised when it prints none (it crashed, or was killed)."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            result: dict[str, Any] = json.loads(line[len(MARK) :])
            return result
    raise RuntimeError(f"{what} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")


def spread(walls: list[float]) -> str:
    """``4.2 (4.2–4.9)``: the best of several wall times and their range."""
    if len(walls) == 1:
        return f"{walls[0]:.2f}"
    return f"{min(walls):.2f} ({min(walls):.2f}–{max(walls):.2f})"


def machine() -> str:
    import duckdb
    import numpy
    import pandas
    import pyarrow

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {numpy.__version__}, pandas {pandas.__version__}, "
        f"pyarrow {pyarrow.__version__}, duckdb {duckdb.__version__}; load average {load}"
    )

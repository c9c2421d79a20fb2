"""Writing a pairs folder safely: what ``compare(..., out=folder)`` owns, replaces and locks.

- **Only what it wrote.** ``folder`` may be new, empty, or a folder ``compare`` wrote: one whose
  manifest (``_comparison.json``) lists every file in it. Anything else (a folder of other files,
  one with files the manifest does not list, such as a ``my-own.yaml`` or a ``part-000042.parquet``
  of your own) is refused with a :class:`PairsFolderError` naming them: the folder is replaced
  whole, and nothing is deleted that compare did not write.
- **Whole or not at all.** The new folder is written beside it, as ``.NAME.tmp-PID-RANDOM`` in
  the same parent (worker processes write their parts there), every file flushed to disk
  (``fsync``), then swapped in: one ``renameat2(RENAME_EXCHANGE)`` on Linux, else the old folder is
  renamed aside and the new one renamed in. The old folder is removed after. A crash or a failure
  leaves the previous output whole under its name (a full disk, a killed process: at worst a
  hidden ``.NAME.tmp-...`` or ``.NAME.old-...`` sibling, removed by the next run into ``folder``).
- **One run at a time.** ``.NAME.lock`` beside the folder is locked (``flock``, not waiting) from
  the checks to the swap; a second run into the same folder fails at once. The lock file is left
  in place: removing it would let a third run lock a new file while the second holds the old one.
- **Errors, not tracebacks.** A path that cannot be a folder (a file, ``/dev/null``, a path under
  a file, a symbolic link) is refused before anything is written, and an ``OSError`` while
  writing (a read-only parent, a full disk) becomes a :class:`PairsFolderError`.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from claimtrack.compare._folder import listed_files, write_manifest
from claimtrack.compare._rules import Rule
from claimtrack.errors import ClaimtrackError, PairsFolderError

if sys.platform != "win32":
    import fcntl


@contextlib.contextmanager
def pairs_output(out: str | os.PathLike[str], rules: Iterable[Rule]) -> Iterator[Path]:
    """The temporary folder to write a comparison's files into; when the block ends without an
    error, the manifest is written (listing every file) and the folder replaces ``out``."""
    shown, target = _target(out)
    with _as_folder_errors(shown), _locked(shown, target):
        _check_owned(shown, target)
        _remove_leftovers(target)
        temporary = _sibling(target, "tmp")
        os.mkdir(temporary)
        try:
            yield temporary
            write_manifest(temporary, rules)
            _sync(temporary)
            _swap(temporary, target)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)


def _target(out: str | os.PathLike[str]) -> tuple[str, Path]:
    """``out`` as shown in messages and as an absolute path, checked to be able to be a folder
    (its parent folders are made)."""
    shown = os.fspath(out)
    if not shown or "\0" in shown:
        problem = "is empty" if not shown else "holds a NUL byte"
        raise PairsFolderError(repr(shown), f"the path {problem}: give the folder to write to")
    target = Path(os.path.abspath(shown))
    if not target.name:
        raise PairsFolderError(shown, "is the root folder: give a folder to write the pairs to")
    if target.is_symlink():
        raise PairsFolderError(
            shown,
            "is a symbolic link; compare replaces the folder whole and would replace the link: "
            f"give the folder it leads to ({os.path.realpath(target)})",
        )
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:
        mode = None  # a path under a file: found when its parent is made
    if mode is not None and not stat.S_ISDIR(mode):
        raise PairsFolderError(
            shown,
            f"pairs are written to a folder (a Parquet dataset), and this is {_kind(mode)}; "
            "remove it or choose another path",
        )
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        above = next(
            (p for p in [parent, *parent.parents] if p.exists() and not p.is_dir()), parent
        )
        raise PairsFolderError(
            shown, f"cannot make its folder: {above} is a file, not a folder"
        ) from None
    except OSError as exc:
        raise PairsFolderError(shown, f"cannot make its folder {parent}: {_reason(exc)}") from None
    return shown, target


def _kind(mode: int) -> str:
    kinds = [
        (stat.S_ISREG, "a file"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a folder")


def _reason(exc: OSError) -> str:
    """What went wrong, in one line."""
    text = exc.strerror or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0][:200]


@contextlib.contextmanager
def _as_folder_errors(shown: str) -> Iterator[None]:
    """An ``OSError`` (not one of claimtrack's own) as a :class:`PairsFolderError`."""
    try:
        yield
    except ClaimtrackError:
        raise
    except OSError as exc:
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        raise PairsFolderError(
            shown,
            f"cannot write the pairs: {_reason(exc)}{where}; nothing was written "
            "(an earlier comparison there is unchanged)",
        ) from None


@contextlib.contextmanager
def _locked(shown: str, target: Path) -> Iterator[None]:
    """Hold the lock of ``target`` (``.NAME.lock`` beside it), or fail at once."""
    lock = target.parent / f".{target.name}.lock"
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(lock, flags, 0o666)
    except OSError as exc:
        raise PairsFolderError(
            shown, f"cannot write in its folder {target.parent}: {_reason(exc)}"
        ) from None
    try:
        if sys.platform != "win32":
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise PairsFolderError(
                    shown,
                    f"another compare is writing to this folder (it holds {lock}); wait for it "
                    "to finish, or write to another folder",
                ) from None
        yield
    finally:
        os.close(fd)  # forked workers still running keep the lock until they end


def _entries(folder: Path) -> tuple[set[str], set[str]]:
    """The files and the folders below ``folder``, as relative POSIX paths (links are files)."""
    files: set[str] = set()
    folders: set[str] = set()
    for root, dirs, names in os.walk(folder, onerror=_raise):
        base = Path(root).relative_to(folder)
        for d in list(dirs):
            if (Path(root) / d).is_symlink():
                dirs.remove(d)
                names.append(d)
            else:
                folders.add((base / d).as_posix())
        files.update((base / n).as_posix() for n in names)
    return files, folders


def _raise(error: OSError) -> None:
    raise error


def _check_owned(shown: str, target: Path) -> None:
    """Refuse to replace ``target`` unless it is empty or every file in it is one its manifest
    lists (compare wrote it)."""
    if not target.exists():
        return
    files, folders = _entries(target)
    if not files and not folders:
        return
    listed = listed_files(target)
    if listed is None:
        raise PairsFolderError(
            shown,
            "the folder is not empty and compare did not write it (no _comparison.json listing "
            "its files); compare replaces a folder whole, so it writes only into a new or empty "
            "folder or one it wrote: choose another folder, or empty this one",
        )
    owned = set(listed)
    owned_folders = {p.as_posix() for f in owned for p in Path(f).parents if p.name}
    foreign = sorted((files - owned) | (folders - owned_folders))
    if foreign:
        more = f" and {len(foreign) - 10} more" if len(foreign) > 10 else ""
        raise PairsFolderError(
            shown,
            f"the folder holds files compare did not write ({', '.join(foreign[:10])}{more}); "
            "compare replaces the folder whole and would delete them: move them out, or "
            "choose another folder",
        )


def _leftover(target: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target.name)}\.(tmp|old)-\d+-[0-9a-f]{{8}}")


def _sibling(target: Path, what: str) -> Path:
    """A new hidden name beside ``target``: ``.NAME.tmp-PID-RANDOM``."""
    return target.parent / f".{target.name}.{what}-{os.getpid()}-{secrets.token_hex(4)}"


def _remove_leftovers(target: Path) -> None:
    """Temporary and set-aside folders of runs into ``target`` that were killed (under the lock,
    no other run is writing one)."""
    pattern = _leftover(target)
    for entry in target.parent.iterdir():
        if pattern.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _sync(folder: Path) -> None:
    """Flush every file and folder below ``folder`` (and it) to disk."""
    for root, _, names in os.walk(folder):
        for name in names:
            _fsync(Path(root) / name)
        _fsync(Path(root))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(new: Path, target: Path) -> None:
    """Put the folder ``new`` in place of ``target``; the old folder (if any) is removed after."""
    if not os.path.lexists(target):
        os.rename(new, target)
    elif _exchange(new, target):
        shutil.rmtree(new)  # it holds the old folder now
    else:
        aside = _sibling(target, "old")
        os.rename(target, aside)
        try:
            os.rename(new, target)
        except OSError:
            os.rename(aside, target)  # the old folder back under its name
            raise
        shutil.rmtree(aside)
    with contextlib.suppress(OSError):  # not every system can open a folder to flush it
        _fsync(target.parent)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one step (Linux ``renameat2``); whether it was done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the system or the file system cannot: rename aside instead
    raise OSError(code, os.strerror(code), str(b))

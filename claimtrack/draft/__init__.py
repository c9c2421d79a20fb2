"""Drafting claim files: a rules-first first draft of an article's claims, for review.

:func:`draft` reads one article (a plain-text file, or its bytes) and writes the first draft of
its claim file in the normal format, plus a ``draft:`` block per claim naming the rule that made
it, what needs review, the best-matching subjects and the claims it repeats. Quotes are never
typed: each is a slice of the text as read, with its offsets, and the text's SHA-256 is recorded.
:func:`draft_folder` drafts every ``*.txt`` file of a folder into an output folder, reading the
claims folder once.

The rules read a lexicon per language (``claimtrack/draft/lexicons/en.yaml``, ``ru.yaml``,
``kk.yaml``; :data:`LANGUAGES`): page furniture, reporting cues and their stances, hedge adverbs,
units, and for Russian and Kazakh the number words, hedges, months and day-count patterns their
figures are read by (``_figures_lexicon``). :func:`detect_language` tells an article's language
by its script and stopwords when none is given. Sentences are split by nupunkt (the
``claimtrack[draft]`` extra).
"""

from __future__ import annotations

import collections
import concurrent.futures
import multiprocessing
import os
from pathlib import Path

import attrs

from claimtrack._write import write_atomic
from claimtrack.draft._drafter import Drafter
from claimtrack.draft._lexicon import LANGUAGES, Lexicon, lexicon
from claimtrack.draft._lexicon import detect as detect_language
from claimtrack.draft._model import Draft, DraftClaim, NewEntity, SubjectSuggestion
from claimtrack.draft._read import MAX_BYTES, read_article, read_file, read_folder
from claimtrack.errors import DraftError
from claimtrack.quantity import DEFAULT_HEDGE_POLICY, HedgePolicy

__all__ = [
    "LANGUAGES",
    "MAX_BYTES",
    "Draft",
    "DraftClaim",
    "DraftError",
    "NewEntity",
    "SubjectSuggestion",
    "detect_language",
    "draft",
    "draft_folder",
]


def _lexicon(language: str) -> Lexicon:
    try:
        return lexicon(language)
    except (LookupError, ValueError):
        known = ", ".join(LANGUAGES)
        raise DraftError(
            "language", f"no drafting lexicon for {language!r} (there are: {known})"
        ) from None


class _Drafters:
    """The drafters of one claims folder, one per language, the folder read once."""

    def __init__(self, into: str | os.PathLike[str], language: str | None, policy: HedgePolicy):
        if language is not None:
            _lexicon(language)  # an unknown language is an error before any text is read
        self.claims, self.notes = read_folder(into)
        self.language = language
        self.policy = policy
        self.by_language: dict[str, Drafter] = {}

    def drafter(self, text: str) -> Drafter:
        """The drafter of ``text``'s language: the one given, else the one detected."""
        language = self.language or detect_language(text)
        found = self.by_language.get(language)
        if found is None:
            found = Drafter(self.claims, _lexicon(language), self.policy, self.notes)
            self.by_language[language] = found
        return found


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)  # a reader sees the old draft or the new one, never half
    except OSError as exc:
        raise DraftError(str(path), f"cannot write it ({exc.strerror or exc})") from None


def draft(
    article: str | os.PathLike[str] | bytes,
    *,
    into: str | os.PathLike[str],
    published: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    out: str | os.PathLike[str] | None = None,
    language: str | None = None,
    policy: HedgePolicy = DEFAULT_HEDGE_POLICY,
    max_bytes: int = MAX_BYTES,
) -> Draft:
    """Draft the claim file of one article.

    ``article`` is the path of a UTF-8 plain-text file (its name is recorded as the source's
    ``text_file``) or the bytes of one. ``into`` is the claims folder the draft is for: its
    ``entities.yaml`` resolves claimants, its ``subjects.yaml`` is ranked for subjects, and its
    claims are linked when repeated. ``published`` (an absolute date such as ``"2019-09-03"``)
    and ``publisher`` (an entity id) are suggested from the page when not given. The claim file
    is ``Draft.yaml``; with ``out`` it is also written there. ``language`` (``"en"``, ``"ru"``,
    ``"kk"``: a lexicon of :data:`LANGUAGES`) is detected from the text when not given (script
    and stopwords); the draft records it as the source's ``language``.

    Raises :class:`DraftError` (one line: what, and why) for a text that is binary, empty, too
    large or holds control characters, and for an unusable ``into``.
    """
    if isinstance(article, bytes):
        data, name, text_file = article, "<bytes>", None
    else:
        path = Path(article)
        if path.is_dir():
            raise DraftError(str(path), "is a folder: use draft_folder(folder, into=..., out=...)")
        data, name, text_file = read_file(path, max_bytes), str(path), path.name
    drafters = _Drafters(into, language, policy)
    text, sha256 = read_article(data, name, max_bytes)
    result = drafters.drafter(text).draft(
        text, sha256, text_file=text_file, published=published, publisher=publisher, url=url
    )
    if out is not None:
        _write(Path(out), result.yaml)
    return result


def draft_folder(
    folder: str | os.PathLike[str],
    *,
    into: str | os.PathLike[str],
    out: str | os.PathLike[str],
    publisher: str | None = None,
    language: str | None = None,
    policy: HedgePolicy = DEFAULT_HEDGE_POLICY,
    max_bytes: int = MAX_BYTES,
    workers: int | None = None,
) -> list[Path]:
    """Draft every ``*.txt`` file of ``folder`` (sorted by name) into ``out``, one
    ``<name>.yaml`` per article, and return the paths written. The claims folder is read once;
    each article's language is ``language``, or detected from its text when that is ``None``;
    ``workers`` processes draft in parallel (default: one per CPU, at most 8, on systems that
    fork, for a folder of at least 16 articles; each file is drafted the same way whatever their
    number), each reading ahead and writing its drafts in background threads while it drafts.
    A file that cannot be drafted stops the run with its :class:`DraftError`."""
    root = Path(folder)
    if not root.is_dir():
        raise DraftError(str(root), "not a folder")
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise DraftError("workers", f"expected a whole number of at least 1, got {workers!r}")
    paths = sorted(root.glob("*.txt"))
    job = _Job(Path(out), publisher, max_bytes)
    drafters = _Drafters(into, language, policy)  # once, here: its errors are the caller's
    if workers is None:
        workers = min(8, os.cpu_count() or 1) if len(paths) >= 16 else 1
    if workers == 1 or len(paths) < 2 * workers or not _can_fork():
        return job.many(drafters, paths)
    size = max(1, min(64, len(paths) // (workers * 4)))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    global _worker
    _worker = (job, drafters)  # forked workers inherit the claims folder, read once
    fork = multiprocessing.get_context("fork")
    try:  # an executor, not a Pool: a worker that dies (killed, out of memory) breaks it, never
        # leaves the caller waiting for the chunk it held
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=fork) as pool:
            return [path for written in pool.map(_draft_chunk, chunks) for path in written]
    except concurrent.futures.process.BrokenProcessPool:
        raise DraftError(
            str(root),
            "a drafting worker process ended before sending its drafts (killed, or out of "
            "memory?): draft with fewer workers (workers=1 drafts in this process)",
        ) from None
    finally:
        _worker = None


class _Disk:
    """The disk work of drafting a folder, in two background threads while the articles are
    drafted: the next articles are read ahead (``ahead`` of them) and the drafts are written
    (as :func:`_write` writes one: atomically, synced; at most ``pending`` wait), so the waits
    on the disk overlap the drafting. The first error stops the run."""

    def __init__(self, paths: list[Path], max_bytes: int, ahead: int = 8, pending: int = 64):
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self.paths, self.max_bytes, self.ahead = paths, max_bytes, ahead
        self.reads: collections.deque[concurrent.futures.Future[bytes]] = collections.deque()
        self.next_read = 0
        self.waiting: collections.deque[concurrent.futures.Future[None]] = collections.deque()
        self.pending = pending

    def read(self) -> bytes:
        """The bytes of the next article of ``paths`` (in order)."""
        while self.next_read < len(self.paths) and len(self.reads) <= self.ahead:
            path = self.paths[self.next_read]
            self.reads.append(self.pool.submit(read_file, path, self.max_bytes))
            self.next_read += 1
        return self.reads.popleft().result()

    def write(self, path: Path, text: str) -> None:
        self.waiting.append(self.pool.submit(_write, path, text))
        while len(self.waiting) > self.pending or (self.waiting and self.waiting[0].done()):
            self.waiting.popleft().result()

    def close(self) -> None:
        """Wait for every file; raise the first error."""
        try:
            while self.waiting:
                self.waiting.popleft().result()
        finally:
            self.abort()

    def abort(self) -> None:
        """Stop: files not begun are not read or written, files begun are finished."""
        for read in self.reads:
            read.cancel()
        for write in self.waiting:
            write.cancel()
        self.pool.shutdown(wait=True)


@attrs.frozen
class _Job:
    out: Path
    publisher: str | None
    max_bytes: int

    def many(self, drafters: _Drafters, paths: list[Path]) -> list[Path]:
        """Draft ``paths`` in order, reading ahead and writing each draft in the background."""
        disk, written = _Disk(paths, self.max_bytes), []
        try:
            for path in paths:
                text, sha256 = read_article(disk.read(), str(path), self.max_bytes)
                result = drafters.drafter(text).draft(
                    text,
                    sha256,
                    text_file=path.name,
                    published=None,
                    publisher=self.publisher,
                    url=None,
                )
                target = self.out / (path.stem + ".yaml")
                disk.write(target, result.yaml)
                written.append(target)
        except BaseException:
            disk.abort()  # the error of this article, not of a file written before it
            raise
        disk.close()
        return written


_worker: tuple[_Job, _Drafters] | None = None


def _draft_chunk(paths: list[Path]) -> list[Path]:
    assert _worker is not None
    job, drafters = _worker
    return job.many(drafters, paths)


def _can_fork() -> bool:
    """Whether this process may start worker processes (not inside a daemonic one)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )

"""The errors claimtrack raises.

Every error derives from :class:`ClaimtrackError` and from the builtin it resembles, carries its
facts as attributes, builds its message in ``__str__`` and pickles (the constructor arguments are
kept in ``args``).
"""

from __future__ import annotations

from collections.abc import Sequence


class ClaimtrackError(Exception):
    """Base class of every error claimtrack raises on purpose."""


class PathError(ClaimtrackError):
    """Base of the errors about one file or folder: ``path: reason``.

    ``path`` is the file or folder at fault, ``reason`` what is wrong with it (and, where it
    helps, what would be right).
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _with_place(
    args: tuple[str, ...], claim: str | None, location: str | None
) -> tuple[str | None, ...]:
    """A phrase error's arguments, with the claim and its location where known (so it pickles
    back with them, and without them when there are none)."""
    if claim is None and location is None:
        return args
    return (*args, claim) if location is None else (*args, claim, location)


class ParseError(ClaimtrackError, ValueError):
    """A phrase that cannot be read as the value it should be.

    ``text`` is the phrase as written, ``reason`` what is wrong with it, ``claim`` the id of the
    claim whose phrase it is, when known, and ``location`` where that claim was read from
    (``"claims/foo.yaml:12"``; ``None`` for a claim built in Python).
    """

    what = "a value"

    def __init__(
        self, text: str, reason: str, claim: str | None = None, location: str | None = None
    ) -> None:
        super().__init__(*_with_place((text, reason), claim, location))
        self.text = text
        self.reason = reason
        self.claim = claim
        self.location = location

    def __str__(self) -> str:
        where = "" if self.claim is None else f"claim {self.claim!r}: "
        if self.location is not None:
            where = f"{self.location}: {where}"
        text = self.text
        if len(text) > 100:  # a pasted page is not repeated in the message
            text = f"{text[:60]}…"
        return f"{where}cannot read {text!r} as {self.what} ({self.reason})"

    def for_claim(self, claim: str, location: str | None = None) -> ParseError:
        """The same error, naming the claim whose phrase it is (and where it was read from)."""
        return type(self)(self.text, self.reason, claim, location)


class QuantityError(ParseError):
    """A quantity phrase ("as many as two milion") that the hedge parser cannot read."""

    what = "a quantity"


class UnitError(QuantityError):
    """A quantity whose unit is not the one it is read in: money in another currency, a duration
    for a subject in dollars, a unit for a count. ``unit`` is the unit it was to be read in."""

    def __init__(
        self,
        text: str,
        reason: str,
        unit: str,
        claim: str | None = None,
        location: str | None = None,
    ) -> None:
        super().__init__(text, reason, claim, location)
        self.args = _with_place((text, reason, unit), claim, location)
        self.unit = unit

    def __str__(self) -> str:
        where = "" if self.claim is None else f"claim {self.claim!r}: "
        if self.location is not None:
            where = f"{self.location}: {where}"
        return f"{where}cannot read {self.text!r} in {self.unit!r} ({self.reason})"

    def for_claim(self, claim: str, location: str | None = None) -> UnitError:
        return UnitError(self.text, self.reason, self.unit, claim, location)


class DateError(ParseError):
    """A date or date phrase that cannot be read, or a date that does not exist."""

    what = "a date"


class DayCountError(ParseError):
    """A day-count phrase ("a 20th night") that cannot be read."""

    what = "a day count"


class _AtPlace(ClaimtrackError):
    """What a claim file's error and warning share: the file, the line, the field, the message."""

    def __init__(self, path: str, line: int | None, field: str, message: str) -> None:
        super().__init__(path, line, field, message)
        self.path = path
        self.line = line
        self.field = field
        self.message = message


class ClaimFileError(_AtPlace, ValueError):
    """One problem at one place in one claim file: ``path:line: field: message``."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ClaimFileWarning(_AtPlace, UserWarning):
    """Something possible but suspect at one place in one claim file (a date after the source's
    publication, words that name another date than the one given): ``path:line: warning: field:
    message``. Warnings never stop a load; ``claimtrack validate --strict`` fails on them."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: warning: {what}"


class ValidationError(ClaimtrackError, ValueError):
    """Every problem found while loading claim files, reported at once.

    ``errors`` holds the :class:`ClaimFileError` instances in file and line order.
    """

    def __init__(self, errors: Sequence[ClaimFileError]) -> None:
        super().__init__(tuple(errors))
        self.errors: tuple[ClaimFileError, ...] = tuple(errors)

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} in claim files"
        return "\n".join([head, *(str(e) for e in self.errors)])


class UnknownIdError(ClaimtrackError, KeyError):
    """A lookup by id or name that found nothing; ``suggestions`` are close known ids."""

    def __init__(self, kind: str, key: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(kind, key, tuple(suggestions))
        self.kind = kind
        self.key = key
        self.suggestions: tuple[str, ...] = tuple(suggestions)

    def __str__(self) -> str:
        msg = f"unknown {self.kind} {self.key!r}"
        if self.suggestions:
            msg += " (did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?)"
        return msg


class AmbiguousNameError(ClaimtrackError, LookupError):
    """A name that matches more than one entity equally well."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        super().__init__(name, tuple(candidates))
        self.name = name
        self.candidates: tuple[str, ...] = tuple(candidates)

    def __str__(self) -> str:
        return f"{self.name!r} could be any of: " + ", ".join(self.candidates)


class MissingExtraError(ClaimtrackError, ImportError):
    """An optional feature whose packages are not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(feature, extra)
        self.feature = feature
        self.extra = extra

    def __str__(self) -> str:
        return (
            f"{self.feature} needs the optional packages of claimtrack[{self.extra}]: "
            f"pip install 'claimtrack[{self.extra}]'"
        )


class TextCheckError(PathError, OSError):
    """Archived source texts that cannot be checked as asked: ``verify(claims, texts)`` where
    ``texts`` is not a folder."""


class PairsFolderError(ClaimtrackError, ValueError):
    """A folder of pairs (``compare(..., out=...)``) that cannot be written or read as asked.

    ``path`` is the folder (or the file in it) at fault, ``problem`` what is wrong and what would
    be right.
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class WorkerError(ClaimtrackError, RuntimeError):
    """A worker process of a comparison ended without its result: killed, or out of memory.

    ``worker`` is the process's name, ``exitcode`` how it ended (negative: the signal that ended
    it).
    """

    def __init__(self, worker: str, exitcode: int | None) -> None:
        super().__init__(worker, exitcode)
        self.worker = worker
        self.exitcode = exitcode

    def __str__(self) -> str:
        how = (
            f"was killed by signal {-self.exitcode}"
            if self.exitcode is not None and self.exitcode < 0
            else f"exited with code {self.exitcode}"
        )
        return (
            f"worker process {self.worker} {how} before sending its pairs (out of memory? "
            "try a smaller max_pairs_per_chunk, or fewer workers)"
        )


class FrameProblem(ClaimtrackError, ValueError):
    """One problem at one place in a claims frame: ``where: row 41 (claim 'x'): low: message``.

    ``row`` is the row's position (``frame.iloc[row]``), ``None`` for a problem with a whole
    column; ``claim`` the row's claim id when it has one; ``column`` the column at fault, ``None``
    for a problem with the frame as a whole. Raised inside a :class:`FrameError`.
    """

    def __init__(
        self, where: str, row: int | None, claim: str | None, column: str | None, message: str
    ) -> None:
        super().__init__(where, row, claim, column, message)
        self.where = where
        self.row = row
        self.claim = claim
        self.column = column
        self.message = message

    def __str__(self) -> str:
        parts = [self.where]
        if self.row is not None:
            parts.append(
                f"row {self.row}"
                if self.claim is None
                else f"row {self.row} (claim {self.claim!r})"
            )
        if self.column is not None:
            parts.append(self.column)
        return ": ".join([*parts, self.message])


class FrameError(ClaimtrackError, ValueError):
    """Every problem found while checking a claims frame, reported at once.

    ``where`` names the frame (a Parquet file's path, or "claims frame"); ``problems`` holds the
    first :class:`FrameProblem` instances in row order (problems with whole columns first);
    ``more`` counts the problems found beyond them.
    """

    def __init__(self, where: str, problems: Sequence[FrameProblem], more: int = 0) -> None:
        super().__init__(where, tuple(problems), more)
        self.where = where
        self.problems: tuple[FrameProblem, ...] = tuple(problems)
        self.more = more

    def __str__(self) -> str:
        total = len(self.problems) + self.more
        if total == 1 and self.problems:
            return str(self.problems[0])
        lines = [f"{self.where}: {total} problems", *(str(p) for p in self.problems)]
        if self.more:
            lines.append(f"{self.where}: and {self.more} more")
        return "\n".join(lines)


class FrameFileError(PathError, OSError):
    """A file that cannot be read as a claims frame: missing, unreadable or not Parquet."""

    def __str__(self) -> str:
        return f"{self.path}: cannot read a claims frame from it ({self.reason})"


class InputTypeError(ClaimtrackError, TypeError):
    """A public entry point given a value of the wrong type (``Estimate.parse(None)``).

    ``function`` is the entry point, ``expected`` what it takes, ``got`` the type it was given.
    """

    def __init__(self, function: str, expected: str, got: str) -> None:
        super().__init__(function, expected, got)
        self.function = function
        self.expected = expected
        self.got = got

    @classmethod
    def of(cls, function: str, expected: str, value: object) -> InputTypeError:
        """The error for ``value``, naming its type."""
        return cls(function, expected, type(value).__name__)

    def __str__(self) -> str:
        return f"{self.function} takes {self.expected}, not {self.got}"


class DumpError(PathError, OSError):
    """Claim files that :func:`~claimtrack.dump` cannot write as asked; nothing is half-written.

    ``path`` is the file or folder concerned, ``reason`` what is wrong.
    """


class ProjectError(PathError, ValueError):
    """A project folder or a source text that cannot be used as asked (``claimtrack init``,
    ``claimtrack new-source``): ``path: reason``."""


class ExportError(PathError, ValueError):
    """An export that cannot be written as asked: ``path: reason``."""


class DraftError(PathError, ValueError):
    """A text that cannot be drafted: not text, empty, too large, or with control characters;
    or an option of the draft that cannot be used (``path`` then names the option)."""


def _bytes(n: int) -> str:
    """``n`` bytes for a person: "3.7 GiB", "512 MiB", "4.5 TiB"."""
    if n >= 2**40:
        return f"{n / 2**40:,.1f} TiB"
    return f"{n / 2**30:,.1f} GiB" if n >= 2**30 else f"{n / 2**20:,.0f} MiB"


class TooManyPairsError(ClaimtrackError, MemoryError):
    """More pairs than ``ComparePolicy.max_pairs_in_memory`` would be held in memory; refused
    before the work starts.

    ``pairs`` is how many would be held, ``estimated_bytes`` the memory they would take, ``limit``
    the policy's limit (pairs). Comparing in memory: ``largest_subject`` is the subject with the
    most claims, ``largest_claims`` how many. Reading pairs back from a folder (``Comparison.pairs``,
    ``findings()``, reports, :func:`~claimtrack.read_pairs`): ``folder`` is the folder, and
    ``largest_subject`` is ``None``.
    """

    def __init__(
        self,
        pairs: int,
        estimated_bytes: int,
        limit: int,
        largest_subject: str | None = None,
        largest_claims: int = 0,
        folder: str | None = None,
    ) -> None:
        super().__init__(pairs, estimated_bytes, limit, largest_subject, largest_claims, folder)
        self.pairs = pairs
        self.estimated_bytes = estimated_bytes
        self.limit = limit
        self.largest_subject = largest_subject
        self.largest_claims = largest_claims
        self.folder = folder

    def __reduce__(self) -> tuple[type[TooManyPairsError], tuple[object, ...]]:
        # rebuilt by its constructor: MemoryError's own __new__ refuses subclasses when a pickler
        # (tblib's, installed by dask.distributed) calls it directly
        return type(self), self.args

    def __str__(self) -> str:
        over = (
            f"{self.pairs:,} pairs (about {_bytes(self.estimated_bytes)}), more than the limit of "
            f"{self.limit:,} pairs (ComparePolicy.max_pairs_in_memory, --max-pairs)"
        )
        if self.folder is not None:
            return (
                f"{self.folder}: reading these pairs into memory would hold {over}. Read a part "
                "with read_pairs(folder, verdicts=[...], subjects=[...]) (claimtrack report "
                "--subject ID), or raise the limit"
            )
        largest = (
            f"; the largest subject, {self.largest_subject}, has {self.largest_claims:,} claims"
            if self.largest_subject is not None
            else ""
        )
        return (
            f"comparing these claims in memory would make {over}{largest}. Write the pairs to a "
            "folder with out=... (claimtrack compare --out DIR), compare a part (--subject ID), "
            "or raise the limit"
        )

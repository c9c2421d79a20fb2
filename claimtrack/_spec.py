"""The shape of claim files, and the one cattrs converter that reads and writes it.

These classes mirror the YAML exactly (phrases are still strings, ids are still unchecked):
:mod:`claimtrack.load` turns them into the domain model, :mod:`claimtrack.dump` turns the model
back into them. The converter is strict: unknown keys are errors, a string is never silently a
number, a YAML boolean (unquoted ``no``) is never silently text.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from rapidfuzz import process

from claimtrack._numbers import check_amount
from claimtrack._yaml import Path
from claimtrack.claim import Attribution, DayUnit, Mode, Section, Stance
from claimtrack.entity import EntityKind
from claimtrack.quantity import Hedge
from claimtrack.subject import SubjectKind, Varies


@attrs.define
class ExplicitDate:
    """``{date: "2019-09-02", written: "a day earlier"}``: a resolved date and the words written."""

    date: str | int
    written: str | None = None


DateSpec = str | int | ExplicitDate


@attrs.define
class EstimateSpec:
    """A quantity written structurally: ``{low: 900000, high: 1800000, text: ...}``."""

    low: int | float | None = None
    high: int | float | None = None
    value: int | float | None = None
    hedge: Hedge | None = None
    unit: str | None = None
    text: str | None = None
    additional: bool = False


ValueSpec = str | int | float | EstimateSpec


@attrs.define
class CountSpec:
    """A day count written structurally: ``{ordinal: 20, unit: night}``."""

    ordinal: int
    unit: DayUnit
    text: str | None = None


Ids = str | list[str]
"""One entity id, or a list of them (``claimant: [un, us-state-department]``)."""


@attrs.define
class StatementSpec:
    """``{speaker: china, stance: denies, mode: paraphrase}``; ``speaker: [a, b]`` for several."""

    speaker: Ids
    stance: Stance
    mode: Mode = Mode.PARAPHRASE


@attrs.define
class DraftSubjectSpec:
    """``{id: xinjiang-detainees, score: 0.82}`` in a draft block's ``subjects:`` list (the
    score is optional: ``claimtrack.dump`` writes the ids a draft mark keeps)."""

    id: str
    score: float | None = None
    new: bool = False
    label: str | None = None
    unit: str | None = None


@attrs.define
class DraftSpec:
    """A drafted claim's ``draft:`` block, as ``claimtrack draft`` writes it."""

    rule: str
    offsets: list[int] | None = None
    review: list[str] = attrs.Factory(list)
    subjects: list[DraftSubjectSpec] = attrs.Factory(list)
    repeats: list[str] = attrs.Factory(list)


@attrs.define
class ClaimSpec:
    """One item of a source file's ``claims:`` list."""

    id: str
    subject: str
    quote: str
    claimant: Ids
    via: list[str] = attrs.Factory(list)
    attribution: Attribution | None = None
    as_of: DateSpec | None = None
    stated: DateSpec | None = None
    section: Section = Section.BODY
    value: ValueSpec | None = None
    count: str | CountSpec | None = None
    date: DateSpec | None = None
    statement: StatementSpec | None = None
    notes: str | None = None
    draft: DraftSpec | None = None
    derived_from: list[str] = attrs.Factory(list)


@attrs.define
class SourceSpec:
    """A source file's ``source:`` block."""

    id: str
    title: str
    publisher: str
    published: DateSpec
    url: str | None = None
    authors: list[str] = attrs.Factory(list)
    language: str = "en"
    text_file: str | None = None
    text_sha256: str | None = None
    republishes: str | None = None
    notes: str | None = None


@attrs.define
class SourceFile:
    """A claim file: one source and the claims found in it."""

    source: SourceSpec
    claims: list[ClaimSpec] = attrs.Factory(list)


@attrs.define
class EntitySpec:
    """One item of ``entities.yaml``."""

    id: str
    name: str
    kind: EntityKind
    aliases: list[str] = attrs.Factory(list)


@attrs.define
class EntitiesFile:
    """``entities.yaml``: the shared registry of entities."""

    entities: list[EntitySpec]


@attrs.define
class PlannedSpec:
    """``planned_as: {subject: kazakhstan-2019-anti-china-protests, date: "2019-09-04"}``: the
    events a call or plan is for, and the date it names."""

    subject: str
    date: str | int


@attrs.define
class AboutSpec:
    """``about: {subject: kazakhstan-china-funded-facilities, means: none}``: the quantity subject
    a proposition is about, and the figure of it that asserting the proposition means (a phrase
    read like a claim's value; ``none`` is zero)."""

    subject: str
    means: str | int | float


@attrs.define
class SubjectSpec:
    """One item of ``subjects.yaml``; the keys after ``varies`` are its links to other subjects
    (:class:`claimtrack.subject.LinkKind`)."""

    id: str
    label: str
    kind: SubjectKind
    description: str
    unit: str | None = None
    start_of: str | None = None
    varies: Varies | None = None
    adds_to: str | None = None
    part_of: str | None = None
    sum_of: list[str] | None = None
    lower_bound_of: str | None = None
    negates: str | None = None
    follows: str | None = None
    ends: str | None = None
    planned_as: PlannedSpec | None = None
    related_to: str | None = None
    about: AboutSpec | None = None


@attrs.define
class SubjectsFile:
    """``subjects.yaml``: the shared vocabulary of subjects."""

    subjects: list[SubjectSpec]


_ENUMS = (Hedge, DayUnit, Mode, Section, Stance, Attribution, EntityKind, SubjectKind, Varies)

MAX_ITEM_ERRORS = 100
"""Items of one list whose problems are reported before the rest of the list is skipped."""


class SpecError(ValueError):
    """A value of the wrong type or outside its choices; the converter reports it at its path."""


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else type(value).__name__


def _structure_str(value: object, _type: object) -> str:
    if isinstance(value, str):
        return value
    hint = ""
    if isinstance(value, bool):
        hint = "; YAML reads unquoted yes/no/on/off/true/false as booleans: put the text in quotes"
    elif isinstance(value, int | float):
        hint = "; put it in quotes if it is text"
    raise SpecError(f"expected text, got {_describe(value)}{hint}")


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    hint = "; write the number without quotes" if isinstance(value, str) else ""
    raise SpecError(f"expected a whole number, got {_describe(value)}{hint}")


def _structure_number(value: object, _type: object) -> int | float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        problem = check_amount(value)
        if problem is not None:
            raise SpecError(f"expected a number, got {problem}")
        return value
    hint = "; write the number without quotes" if isinstance(value, str) else ""
    raise SpecError(f"expected a number, got {_describe(value)}{hint}")


def _structure_bool(value: object, _type: object) -> bool:
    if isinstance(value, bool):
        return value
    raise SpecError(f"expected true or false, got {_describe(value)}")


def _enum_hook(enum_type: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    choices = [str(member.value) for member in enum_type]
    name = enum_type.__name__.lower()

    def structure(value: object, _type: object) -> enum.Enum:
        if not isinstance(value, str):
            raise SpecError(f"expected one of {', '.join(choices)}; got {_describe(value)}")
        try:
            return enum_type(value)
        except ValueError:
            close = process.extractOne(value, choices, score_cutoff=60)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SpecError(
                f"unknown {name} {value!r}{hint}; expected one of {', '.join(choices)}"
            ) from None

    return structure


def _list_hook(converter: cattrs.Converter) -> Callable[[object, Any], list[Any]]:
    def structure(value: object, type_: Any) -> list[Any]:
        if not isinstance(value, list):
            raise SpecError(f"expected a list, got {_describe(value)}")
        return _structure_items(value, type_)

    def _structure_items(value: list[Any], type_: Any) -> list[Any]:
        (item_type,) = type_.__args__
        out: list[Any] = []
        errors: list[Exception] = []
        for i, item in enumerate(value):
            if len(errors) >= MAX_ITEM_ERRORS:  # a list of a million bad items is not listed
                stop = SpecError(
                    f"more than {MAX_ITEM_ERRORS} items with problems; the rest are not checked"
                )
                stop.__notes__ = [
                    IterableValidationNote(f"Structuring {type_} @ index {i}", i, item_type)
                ]
                errors.append(stop)
                break
            try:
                out.append(converter.structure(item, item_type))
            except Exception as exc:  # every item's problem is reported
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring {type_} @ index {i}", i, item_type),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {type_!r}", errors, type_)
        return out

    return structure


def _union_hook(
    converter: cattrs.Converter, scalars: tuple[type, ...], spec: type | None, what: str
) -> Callable[[object, object], Any]:
    def structure(value: object, _type: object) -> Any:
        if isinstance(value, bool):
            raise SpecError(f"expected {what}, got {_describe(value)}")
        if isinstance(value, scalars):
            return value
        if spec is not None and isinstance(value, dict):
            return converter.structure(value, spec)
        raise SpecError(f"expected {what}, got {_describe(value)}")

    return structure


def _ids_hook(converter: cattrs.Converter) -> Callable[[object, object], Any]:
    def structure(value: object, _type: object) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            if not value:
                raise SpecError("expected an entity id or a list of them, got an empty list")
            return converter.structure(value, list[str])
        raise SpecError(f"expected an entity id or a list of them, got {_describe(value)}")

    return structure


def _mapping_guard(converter: cattrs.Converter, cls: type) -> Callable[[object, object], Any]:
    inner: Callable[[Any, Any], Any] = converter.gen_structure_attrs_fromdict(cls)

    def structure(value: object, type_: object) -> Any:
        if not isinstance(value, dict):
            raise SpecError(f"expected a mapping of keys to values, got {_describe(value)}")
        return inner(value, type_)

    return structure


def make_converter() -> cattrs.Converter:
    """The strict converter for claim files."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_number)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int | float, _structure_number)
    converter.register_structure_hook(
        int | float | None, lambda v, t: None if v is None else _structure_number(v, t)
    )
    for enum_type in _ENUMS:
        converter.register_structure_hook(enum_type, _enum_hook(enum_type))
    converter.register_structure_hook_func(
        lambda t: getattr(t, "__origin__", None) is list, _list_hook(converter)
    )
    date_hook = _union_hook(converter, (str, int), ExplicitDate, "a date (text) or {date, written}")
    converter.register_structure_hook(DateSpec, date_hook)
    converter.register_structure_hook(DateSpec | None, date_hook)
    value_hook = _union_hook(
        converter, (str, int, float), EstimateSpec, "a quantity phrase, a number or {low, high}"
    )
    converter.register_structure_hook(ValueSpec | None, value_hook)
    count_hook = _union_hook(converter, (str,), CountSpec, "a phrase or {ordinal, unit}")
    converter.register_structure_hook(str | CountSpec | None, count_hook)
    converter.register_structure_hook(
        str | int, _union_hook(converter, (str, int), None, "a date (text)")
    )
    converter.register_structure_hook(
        str | int | float,
        _union_hook(converter, (str, int, float), None, "a figure (a quantity phrase or a number)"),
    )
    converter.register_structure_hook(Ids, _ids_hook(converter))
    for cls in (
        ExplicitDate,
        EstimateSpec,
        CountSpec,
        StatementSpec,
        ClaimSpec,
        SourceSpec,
        SourceFile,
        EntitySpec,
        EntitiesFile,
        PlannedSpec,
        SubjectSpec,
        SubjectsFile,
    ):
        converter.register_structure_hook(cls, _mapping_guard(converter, cls))
    for enum_type in _ENUMS:
        converter.register_unstructure_hook(enum_type, lambda e: e.value)
    return converter


CONVERTER = make_converter()


def walk_errors(exc: BaseException, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Flatten a cattrs validation error into ``(path, message)`` pairs, in document order."""
    if isinstance(exc, ForbiddenExtraKeysError):
        fields = [a.name for a in attrs.fields(exc.cl)]
        for key in sorted(exc.extra_fields):
            close = process.extractOne(key, fields, score_cutoff=70)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            yield (*path, key), f"unknown key {key!r}{hint}; expected one of: {', '.join(fields)}"
        return
    if isinstance(exc, ClassValidationError):  # cattrs says which attribute each came from
        by_attribute, others = exc.group_exceptions()
        for sub, attribute in by_attribute:
            yield from walk_errors(sub, (*path, attribute.name))
        for sub in others:
            yield from walk_errors(sub, path)
        return
    if isinstance(exc, IterableValidationError):  # ... and which item
        by_item, others = exc.group_exceptions()
        for sub, item in by_item:
            yield from walk_errors(sub, (*path, item.index))
        for sub in others:
            yield from walk_errors(sub, path)
        return
    if isinstance(exc, BaseExceptionGroup):
        for part in exc.exceptions:
            yield from walk_errors(part, path)
        return
    if isinstance(exc, KeyError):
        yield path, "missing (this key is required)"
        return
    yield path, str(exc)

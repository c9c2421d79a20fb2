"""Validation shared by every model class that carries an id."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._:-]*\Z")


def check_id(_instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """attrs validator: ``value`` is a lowercase slug (``[a-z0-9][a-z0-9._:-]*``)."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValueError(
            f"{attribute.name} must be a lowercase id like 'rferl-2019' "
            f"(letters a-z, digits, '.', '_', ':', '-'), got {value!r}"
        )


def str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    """attrs converter: any iterable of strings as a tuple (a lone string is an error)."""
    if isinstance(values, str):
        raise TypeError(f"expected a list of ids, got the string {values!r}")
    return tuple(values)


def check_text(_instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """attrs validator: ``value`` is a string with something other than white space in it."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} must be non-empty text, got {value!r}")

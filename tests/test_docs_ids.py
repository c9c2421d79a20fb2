"""One set of ids across the tutorial, the format reference and the bundled data: every subject
and entity id that the YAML examples of ``docs/tutorial.md`` and ``docs/claim-files.md`` use or
define is one of the bundled ``claims/`` (or of a made-up example project in ``docs/examples/``
that the page loads), and a subject they define has that subject's kind (so an example can be
copied into ``claims/`` as it is)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import claimtrack
from tests.conftest import CLAIMS, ROOT

PAGES = [ROOT / "docs" / "tutorial.md", ROOT / "docs" / "claim-files.md"]
FENCE = re.compile(r"^```yaml[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
SUBJECT_KEYS = {"subject", "start_of"}
ENTITY_KEYS = {"claimant", "via", "speaker", "publisher"}
BUNDLED = claimtrack.load_registries(CLAIMS)
EXAMPLES = [
    claimtrack.load_registries(folder)
    for folder in sorted((ROOT / "docs" / "examples").iterdir())
    if (folder / "subjects.yaml").is_file()
]
SUBJECTS = {k: v for r in (*EXAMPLES, BUNDLED) for k, v in r.subjects.items()}
"""The bundled subjects, and those of the docs' own example projects."""


def _known(kind: str, value: str) -> bool:
    if kind == "subject":
        return value in SUBJECTS
    return any(value in r.entities for r in (*EXAMPLES, BUNDLED))


def _ids(data: Any, key: str | None = None) -> Iterator[tuple[str, str]]:
    """``("subject" | "entity", id)`` for every id the YAML ``data`` uses or defines."""
    if isinstance(data, dict):
        if key in ("subjects", "entities") and "id" in data:
            yield key.removesuffix("s"), str(data["id"])
        for k, v in data.items():
            yield from _ids(v, key if k == "id" else k)
    elif isinstance(data, list):
        for item in data:
            yield from _ids(item, key)
    elif isinstance(data, str) and key in SUBJECT_KEYS:
        yield "subject", data
    elif isinstance(data, str) and key in ENTITY_KEYS:
        yield "entity", data


def _blocks(page: Path) -> list[tuple[int, Any]]:
    text = page.read_text(encoding="utf-8")
    return [
        (text[: m.start()].count("\n") + 1, yaml.safe_load(m.group(1)))
        for m in FENCE.finditer(text)
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_docs_yaml_examples_use_the_bundled_ids(page: Path) -> None:
    unknown = [
        (line, kind, value)
        for line, data in _blocks(page)
        for kind, value in _ids(data)
        if not _known(kind, value)
    ]
    assert [] == unknown, f"{page.name}: ids that claims/ does not have"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_subjects_the_docs_define_have_the_bundled_kinds(page: Path) -> None:
    defined = [
        (item["id"], item["kind"])
        for _line, data in _blocks(page)
        if isinstance(data, dict) and isinstance(data.get("subjects"), list)
        for item in data["subjects"]
    ]
    assert defined, f"{page.name} defines no subjects"
    assert [(sid, SUBJECTS[sid].kind.value) for sid, _kind in defined] == defined


def test_the_ids_are_found_in_every_kind_of_block() -> None:
    """The check is not empty: it sees the ids of registries, claims, statements and chains."""
    seen = {value for page in PAGES for _line, data in _blocks(page) for _k, value in _ids(data)}
    assert {"xinjiang-detainees", "zhanaozen-2019-protest", "azattyk", "tokayev", "rferl"} <= seen

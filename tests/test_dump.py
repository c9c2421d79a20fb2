"""Writing claim files back: load -> dump -> load gives equal objects."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

import claimtrack
from claimtrack import (
    Claim,
    ClaimSet,
    EntityIndex,
    Estimate,
    FuzzyDate,
    Source,
    Statement,
)
from tests.conftest import MINI
from tests.strategies import ENTITIES, SUBJECTS, claim_sets


@settings(max_examples=60, deadline=None)
@given(claim_sets())
def test_dump_then_load_gives_equal_claims(tmp_path_factory: object, claimset: ClaimSet) -> None:
    folder = tmp_path_factory.mktemp("dump")  # type: ignore[attr-defined]
    claimtrack.dump(claimset, folder)
    assert claimset == claimtrack.load(folder)


def test_round_trip_of_the_mini_set_keeps_phrases(tmp_path: Path) -> None:
    """Phrases stay phrases in the written file: nothing is expanded or lost."""
    original = claimtrack.load(MINI)
    claimtrack.dump(original, tmp_path)
    assert original == claimtrack.load(tmp_path)
    written = (tmp_path / "rferl-2019-zhanaozen.yaml").read_text(encoding="utf-8")
    assert "value: an estimated 1 million" in written
    assert "count: for the second day" in written
    assert "“vocational education centers”" in written


# --- regressions: dump lost data ---------------------------------------------------------------

SOURCE = "rferl-2019-zhanaozen"


def _mini_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    for name in ("entities.yaml", "subjects.yaml", f"{SOURCE}.yaml"):
        (folder / name).write_bytes((MINI / name).read_bytes())
    return folder


def _edited(folder: Path, old: str, new: str) -> Path:
    path = folder / f"{SOURCE}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _round_trip(folder: Path, tmp_path: Path) -> tuple[ClaimSet, ClaimSet]:
    original = claimtrack.load(folder)
    out = tmp_path / "out"
    claimtrack.dump(original, out)
    return original, claimtrack.load(out)


def test_unit_of_a_structured_value_survives_a_round_trip(tmp_path: Path) -> None:
    """``{value: 55, unit: facilities, text: "55"}`` was written as the phrase "55": unit lost."""
    folder = _edited(
        _mini_folder(tmp_path),
        "value: an estimated 1 million",
        'value: {value: 55, unit: facilities, text: "55"}',
    )
    original, reloaded = _round_trip(folder, tmp_path)
    assert original == reloaded
    value = reloaded[f"{SOURCE}:un-detainees"].value
    assert isinstance(value, Estimate) and "facilities" == value.unit


@pytest.mark.parametrize(
    "char", ["\x85", "\u2028", "\u2029", "\r", "\t", "\xa0", "\ufeff"], ids=repr
)
def test_line_break_characters_survive_a_round_trip(tmp_path: Path, char: str) -> None:
    """U+0085 (NEL) came back as a space: it was written raw in a single-quoted string."""
    notes = json.dumps(f"a{char}b {char}\n")  # escaped, as a YAML double-quoted string
    folder = _edited(
        _mini_folder(tmp_path), "claimant: un\n", f"claimant: un\n    notes: {notes}\n"
    )
    original, reloaded = _round_trip(folder, tmp_path)
    assert f"a{char}b {char}\n" == reloaded[f"{SOURCE}:un-detainees"].notes
    assert original == reloaded


def test_source_named_like_a_registry_is_refused_before_writing(tmp_path: Path) -> None:
    """A source with id ``entities`` overwrote the entity registry."""
    claims = claimtrack.load(MINI)
    source = attrs.evolve(claims.source(SOURCE), id="entities")
    moved = [attrs.evolve(c, source="entities") for c in claims]
    clash = attrs.evolve(claims, claims=moved, sources={"entities": source})
    out = tmp_path / "out"
    with pytest.raises(claimtrack.DumpError) as info:
        claimtrack.dump(clash, out)
    assert (
        f"{out / 'entities.yaml'}: source 'entities' would be written over the registry "
        "entities.yaml; give the source another id"
    ) == str(info.value)
    assert not out.exists()


def test_sources_whose_file_names_collide_are_refused_before_writing(tmp_path: Path) -> None:
    """Sources ``x:y`` and ``x_y`` were both written to ``x_y.yaml``: one was lost."""
    claims = claimtrack.load(MINI)
    a = attrs.evolve(claims.source(SOURCE), id="x:y")
    b = attrs.evolve(claims.source(SOURCE), id="x_y")
    clash = attrs.evolve(claims, claims=[], sources={"x:y": a, "x_y": b})
    out = _mini_folder(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(claimtrack.DumpError, match="'x:y' and 'x_y' would both be written to"):
        claimtrack.dump(clash, out)
    assert before == {p.name: p.read_bytes() for p in out.iterdir()}


def test_read_only_file_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file raised PermissionError after the registries were already rewritten.
    (``os.access`` is faked: the tests may run as root, for whom nothing is read-only.)"""
    out = _mini_folder(tmp_path)
    claims = claimtrack.load(out)
    claims = attrs.evolve(claims, entities=claimtrack.EntityIndex(list(claims.entities)[:-1]))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_access = os.access
    target = out / f"{SOURCE}.yaml"
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == target else real_access(p, mode)
    )
    with pytest.raises(claimtrack.DumpError) as info:
        claimtrack.dump(claims, out)
    assert f"{target}: the file is read-only; dump does not replace it" == str(info.value)
    assert before == {p.name: p.read_bytes() for p in out.iterdir()}


def test_failure_while_writing_leaves_every_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails midway (disk full) is a DumpError naming the file; no file changed,
    no temporary file left."""
    out = _mini_folder(tmp_path)
    claims = claimtrack.load(out)
    smaller = attrs.evolve(claims, claims=list(claims)[:1])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(claimtrack.DumpError) as info:
        claimtrack.dump(smaller, out)
    assert f"{out / (SOURCE + '.yaml')}: cannot write: No space left on device" == str(info.value)
    assert before == {p.name: p.read_bytes() for p in out.iterdir()}


def test_stale_claim_files_are_refused_not_left_to_break_the_reload(tmp_path: Path) -> None:
    """Other claim files in the folder made the reload fail with "duplicate source id"."""
    out = _mini_folder(tmp_path)
    (out / "old-copy.yaml").write_bytes((MINI / f"{SOURCE}.yaml").read_bytes())
    claims = claimtrack.load(MINI)
    with pytest.raises(
        claimtrack.DumpError, match=r"holds claim files dump would not replace \(old-copy.yaml\)"
    ):
        claimtrack.dump(claims, out)


def test_dump_replaces_its_own_files_and_keeps_others(tmp_path: Path) -> None:
    out = _mini_folder(tmp_path)
    (out / "README.md").write_text("notes\n")
    claims = claimtrack.load(out)
    written = claimtrack.dump(claims, out)
    assert {"entities.yaml", "subjects.yaml", f"{SOURCE}.yaml"} == {p.name for p in written}
    assert "notes\n" == (out / "README.md").read_text()
    assert claims == claimtrack.load(out)
    assert [] == [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


_KILL_SCRIPT = """
import sys, claimtrack
claims = claimtrack.load(sys.argv[1])
print("ready", flush=True)
while True:
    claimtrack.dump(claims, sys.argv[2])
"""


def test_kill_during_dump_leaves_every_file_whole(tmp_path: Path) -> None:
    """A real ``kill -9`` mid-dump left a 10 MB claim file at 0 bytes."""
    source = _mini_folder(tmp_path)
    text = (source / f"{SOURCE}.yaml").read_text(encoding="utf-8")
    padded = text.replace("claimant: un\n", "claimant: un\n    notes: " + "x" * 2_000_000 + "\n", 1)
    (source / f"{SOURCE}.yaml").write_text(padded, encoding="utf-8")
    out = tmp_path / "out"
    claims = claimtrack.load(source)
    claimtrack.dump(claims, out)
    for delay in (0.3, 0.7):
        proc = subprocess.Popen(
            [sys.executable, "-c", _KILL_SCRIPT, str(source), str(out)],
            stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None and b"ready" in proc.stdout.readline()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert claims == claimtrack.load(out)


def test_several_claimants_are_written_as_the_list_they_were_read_from(tmp_path: Path) -> None:
    """``claimant: [un, china]`` comes back a list; one claimant stays a plain id."""
    claims = ClaimSet(
        [
            Claim("s:a", "people", "s", "q", "un", Estimate.exact(5), co_claimants=("china",)),
            Claim("s:b", "camps", "s", "q", "un", Statement("china", "fears", co_speakers=("un",))),
        ],
        {"s": Source("s", "T", "rferl", FuzzyDate.parse("2019"), republishes=None)},
        SUBJECTS,
        EntityIndex(ENTITIES),
    )
    claimtrack.dump(claims, tmp_path / "out")
    written = (tmp_path / "out" / "s.yaml").read_text(encoding="utf-8")
    assert "  claimant:\n  - un\n  - china\n" in written
    assert "  claimant: un\n" in written
    assert "    speaker:\n    - china\n    - un\n" in written
    assert claims == claimtrack.load(tmp_path / "out")

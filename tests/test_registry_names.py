"""Ids in the registries: ``validate`` warns when a new subject looks like an existing one, and an
unknown id's error names the close ids, or says which registry to add it to when none is close."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import claimtrack
from claimtrack.cli import main
from tests.conftest import CLAIMS, MINI

AGAIN = """\
  - id: {id}
    label: {label}
    kind: quantity
    unit: people
    description: Added again, under another spelling.
"""


def _project(tmp_path: Path, *subjects: tuple[str, str]) -> Path:
    folder = tmp_path / "p"
    shutil.copytree(MINI, folder)
    with (folder / "subjects.yaml").open("a", encoding="utf-8") as out:
        for sid, label in subjects:
            out.write(AGAIN.format(id=sid, label=label))
    return folder


def _warnings(folder: Path) -> list[str]:
    found: list[claimtrack.ClaimFileWarning] = []
    claimtrack.load(folder, warnings=found)
    return [str(w) for w in found]


@pytest.mark.parametrize(
    "sid, label, field, like",
    [
        ("xinjiang-detainee", "Camp detainees", "id", "xinjiang-detainees"),
        ("detainees-xinjiang", "Camp detainees", "id", "xinjiang-detainees"),
        ("zhanaozen-protest-dayz", "Another count", "id", "zhanaozen-protest-days"),
        ("camp-detainees", "People detained in Xinjiang camp", "label", "xinjiang-detainees"),
    ],
)
def test_a_subject_that_looks_like_an_earlier_one_is_a_warning(
    tmp_path: Path, sid: str, label: str, field: str, like: str
) -> None:
    folder = _project(tmp_path, (sid, label))
    line = len((MINI / "subjects.yaml").read_text(encoding="utf-8").splitlines()) + 1
    value = sid if field == "id" else label
    assert [
        f"{folder}/subjects.yaml:{line + (field == 'label')}: warning: subjects[4].{field}: "
        f"{value!r} looks like the "
        f"{field} of subject {like!r} (line "
    ] == [w[: w.index("(line ") + 6] for w in _warnings(folder)]


@pytest.mark.parametrize(
    "sid, label",
    [
        ("xinjiang-detainees-2018", "Detainees in Xinjiang in 2018"),  # a word more
        ("zhanaozen-protest-turnout", "Turnout of the Zhanaozen protest"),
        ("uzbeks-in-xinjiang", "Uzbeks in Xinjiang"),
    ],
)
def test_a_subject_with_other_words_is_not_a_warning(tmp_path: Path, sid: str, label: str) -> None:
    assert [] == _warnings(_project(tmp_path, (sid, label)))


def test_the_bundled_registries_have_no_look_alike_subjects() -> None:
    assert [] == [w for w in _warnings(CLAIMS) if "looks like" in w]


def test_validate_prints_the_warning_and_strict_fails(tmp_path: Path) -> None:
    folder = _project(tmp_path, ("xinjiang-detainee", "Camp detainees"))
    out = io.StringIO()
    assert 1 == main(["validate", "--strict", str(folder)], stdout=out, stderr=io.StringIO())
    assert "use the id 'xinjiang-detainees' and remove this one" in out.getvalue()


def _claim_file(folder: Path, subject: str, claimant: str) -> None:
    path = folder / "rferl-2019-zhanaozen.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("subject: xinjiang-camps-coercive", f"subject: {subject}")
    path.write_text(text.replace("claimant: china\n", f"claimant: {claimant}\n"), encoding="utf-8")


def test_unknown_ids_with_nothing_close_say_where_to_add_them(tmp_path: Path) -> None:
    """Regression: an unknown id was answered with unrelated ids ('tokayev-speech' with
    'tokayev-should-cancel-china-visit'); now nothing close means: add it to the registry."""
    folder = tmp_path / "p"
    shutil.copytree(MINI, folder)
    _claim_file(folder, "tokayev-speech", "beijing-government")
    problems = [p.message for p in claimtrack.validate(folder)]
    assert [
        "unknown subject 'tokayev-speech': add it to subjects.yaml",
        "unknown entity 'beijing-government': add it to entities.yaml",
    ] == problems


def test_unknown_ids_with_a_close_one_name_it(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(MINI, folder)
    _claim_file(folder, "xinjiang-camp-coercive", "us-state-dept")
    assert [
        "unknown subject 'xinjiang-camp-coercive' (did you mean 'xinjiang-camps-coercive'?)",
        "unknown entity 'us-state-dept' (did you mean 'us-state-department'?)",
    ] == [p.message for p in claimtrack.validate(folder)]


def test_load_registries_reads_a_project_without_claim_files(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    claimtrack.init_project(folder, seed_from=MINI)
    registries = claimtrack.load_registries(folder)
    assert "tokayev" in registries.entities
    assert sorted(claimtrack.load(MINI).subjects) == sorted(registries.subjects)
    with pytest.raises(claimtrack.ValidationError, match="no claim files found"):
        claimtrack.load(folder)


def test_load_registries_reports_problems_at_their_lines(tmp_path: Path) -> None:
    """Regression: the project's registry reader said only the file and the field of a problem
    (``subjects[1]: unknown key``); it now reads the registries as ``load`` does."""
    folder = tmp_path / "p"
    shutil.copytree(MINI, folder)
    with (folder / "subjects.yaml").open("a", encoding="utf-8") as out:
        out.write("  - id: extra\n    label: Extra\n    kind: quantity\n    colour: red\n")
        # (and no description)
    with pytest.raises(claimtrack.ValidationError) as caught:
        claimtrack.load_registries(folder)
    assert [
        f"{folder}/subjects.yaml:23: subjects[4].description: missing (this key is required)",
        f"{folder}/subjects.yaml:26: subjects[4].colour: unknown key 'colour'; expected one of: "
        "id, label, kind, description, unit, start_of, varies, adds_to, part_of, sum_of, "
        "lower_bound_of, negates, follows, ends, planned_as, related_to, about",
    ] == [str(e) for e in caught.value.errors]


def test_an_entity_that_looks_like_an_earlier_one_is_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(MINI, folder)
    with (folder / "entities.yaml").open("a", encoding="utf-8") as out:
        out.write(
            "  - id: us-state-departments\n    name: State Department\n    kind: organisation\n"
        )
    lines = len((MINI / "entities.yaml").read_text(encoding="utf-8").splitlines())
    assert [
        f"{folder}/entities.yaml:{lines + 1}: warning: entities[5].id: 'us-state-departments' looks "
        "like the id of entity 'us-state-department' (line 6): if it is the same entity, use the "
        "id 'us-state-department' and remove this one"
    ] == _warnings(folder)


def test_the_bundled_registries_have_no_look_alike_entities() -> None:
    assert [] == [w for w in _warnings(CLAIMS) if "looks like the" in w and "entit" in w]

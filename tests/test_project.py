"""claimtrack.project: init, new-source and the registry searches, through the library and the
CLI, with hostile inputs."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack
from claimtrack.cli import main
from claimtrack.project import (
    MAX_TEXT_BYTES,
    ProjectError,
    default_source_id,
    init_project,
    new_source,
    read_text,
    search_entities,
    search_subjects,
)

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini"
ARTICLE = HERE / "data" / "project" / "article.txt"

CLAIM = """\
  - id: {sid}:about-150
    subject: xinjiang-detainees
    quote: an estimated 1 million Uyghurs
    claimant: un
    as_of: last year
    value: an estimated 1 million
"""


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    init_project(folder, seed_from=MINI)
    return folder


def add_claims(path: Path, claims: str) -> None:
    text = path.read_text(encoding="utf-8").replace("claims: []\n", "claims:\n" + claims, 1)
    path.write_text(text, encoding="utf-8")


# --- init --------------------------------------------------------------------------------------


def test_init_lays_out_an_empty_project(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    written = init_project(folder)
    assert {"entities.yaml", "subjects.yaml", "README.md", ".gitkeep"} == {p.name for p in written}
    assert (folder / "texts").is_dir()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "claimtrack new-source" in readme and "texts/" in readme


def test_commands_on_an_empty_project_end_in_one_line_not_a_traceback(tmp_path: Path) -> None:
    """An empty project has no source file yet: validate and report say so in one line."""
    init_project(tmp_path / "new")
    for command in ("validate", "report", "list", "compare"):
        status, out, err = run(command, tmp_path / "new")
        assert 1 == status
        assert "Traceback" not in err
        assert "no claim files found" in out + err


def test_init_with_from_copies_the_registries(project: Path) -> None:
    for name in ("entities.yaml", "subjects.yaml"):
        assert (MINI / name).read_bytes() == (project / name).read_bytes()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(ProjectError, match="is not empty and not a claims project"):
        init_project(tmp_path)
    status, _out, err = run("init", tmp_path)
    assert 1 == status and "not empty" in err


def test_init_leaves_an_existing_project_as_it_is(project: Path) -> None:
    before = (project / "entities.yaml").read_bytes()
    assert [] == init_project(project)
    status, out, _err = run("init", project)
    assert 0 == status and "already a claims project" in out
    with pytest.raises(ProjectError, match="already a claims project"):
        init_project(project, seed_from=MINI)
    assert before == (project / "entities.yaml").read_bytes()


def test_init_from_a_folder_with_broken_registries_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "entities.yaml").write_text("entities:\n  - id: Bad Id\n", encoding="utf-8")
    (broken / "subjects.yaml").write_text("subjects: []\n", encoding="utf-8")
    with pytest.raises(claimtrack.ValidationError):
        init_project(tmp_path / "new", seed_from=broken)
    assert not (tmp_path / "new" / "entities.yaml").exists()


# --- new-source --------------------------------------------------------------------------------


def test_new_source_archives_the_text_and_writes_a_skeleton_that_loads(project: Path) -> None:
    made = new_source(ARTICLE, project=project, url="https://example.org/a", publisher="rferl")
    assert "rferl-2019-protest-zhanaozen-goes-third-day" == made.source.id
    assert ARTICLE.read_bytes() == made.text_path.read_bytes()
    assert hashlib.sha256(ARTICLE.read_bytes()).hexdigest() == made.source.text_sha256
    claims = claimtrack.load(project)
    assert 0 == len(claims)
    assert made.source == claims.source(made.source.id)
    text = made.path.read_text(encoding="utf-8")
    assert "# hint: the first line of the text; check it" in text
    assert "# hint: from the dateline 'September 4, 2019' (line 3); check it" in text


def test_a_skeleton_with_a_claim_loads_and_its_quote_verifies(project: Path) -> None:
    made = new_source(
        ARTICLE,
        project=project,
        url=None,
        publisher="rferl",
        published="2019-09-04",
        source_id="s1",
    )
    assert made.published_hint is None
    add_claims(made.path, CLAIM.format(sid="s1"))
    claims = claimtrack.load(project)
    assert ["s1:about-150"] == [c.id for c in claims]
    assert claimtrack.verify(claims, project / "texts").ok


def test_new_source_through_the_cli(project: Path) -> None:
    status, out, err = run(
        "new-source", ARTICLE, "--project", project, "--publisher", "rferl",
        "--url", "https://example.org/a", "--title", "Third day", "--id", "rferl-third-day",
    )  # fmt: skip
    assert (0, "") == (status, err)
    assert "rferl-third-day.yaml" in out
    assert "Third day" == claimtrack.load(project).source("rferl-third-day").title
    assert (0, 0) == run("validate", project)[0:1] * 2


def test_an_unknown_publisher_says_to_add_it_to_entities_yaml(project: Path) -> None:
    with pytest.raises(
        ProjectError,
        match=r"unknown publisher 'rfe' \(did you mean 'rferl'\?\): add it to entities.yaml",
    ):
        new_source(ARTICLE, project=project, url=None, publisher="rfe")


@pytest.mark.parametrize("bad", ["../evil", "a/b", "Bad Id", "", ".hidden"])
def test_ids_with_paths_or_capitals_are_refused(project: Path, bad: str) -> None:
    with pytest.raises(ProjectError, match="id"):
        new_source(ARTICLE, project=project, url=None, publisher="rferl", source_id=bad)
    assert [] == list(project.parent.glob("*.yaml"))
    assert [".gitkeep"] == [p.name for p in (project / "texts").iterdir()]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Title\n\x00\x01binary", "not a text file"),
        (b"Title \xe9t\xe9\n", "not UTF-8 text (byte 0xe9 at offset 6)"),
        (b"Title\n\x1b[31m red", "control character U+001B"),
        (b"  \n\n", "the file holds only white space"),
    ],
)
def test_hostile_texts_are_one_line_errors(
    project: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    text = tmp_path / "t.txt"
    text.write_bytes(content)
    with pytest.raises(ProjectError, match=re.escape(message)):
        new_source(text, project=project, url=None, publisher="rferl", published="2019")
    status, _out, err = run(
        "new-source", text, "--project", project, "--publisher", "rferl", "--published", "2019"
    )
    assert 1 == status and 1 == len(err.splitlines()) and message in err


def test_a_huge_text_is_refused_without_reading_it(project: Path, tmp_path: Path) -> None:
    text = tmp_path / "huge.txt"
    with text.open("wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)  # sparse: nothing is written to disk
    with pytest.raises(ProjectError, match="source texts are at most 10 MiB"):
        new_source(text, project=project, url=None, publisher="rferl", published="2019")


def test_a_text_without_a_date_needs_published(project: Path, tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("A headline\n\nNo date here.\n", encoding="utf-8")
    with pytest.raises(ProjectError, match="no date found"):
        new_source(text, project=project, url=None, publisher="rferl")


def test_new_source_does_not_overwrite(project: Path) -> None:
    new_source(ARTICLE, project=project, url=None, publisher="rferl", source_id="s1")
    with pytest.raises(ProjectError, match="already exists"):
        new_source(ARTICLE, project=project, url=None, publisher="rferl", source_id="s1")


def test_new_source_needs_a_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="not a claims project"):
        new_source(ARTICLE, project=tmp_path, url=None, publisher="rferl")


def test_default_source_id() -> None:
    assert "rferl-2019-hundreds-call-kazakh-president-scrap" == default_source_id(
        "rferl",
        "Hundreds Call On Kazakh President To Scrap China Visit",
        claimtrack.FuzzyDate.parse("2019-09-03"),
    )
    assert "azattyq-zhanaozen" == default_source_id("azattyq", "Жанаозен")[:17]


# --- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Tokaev", "Toqaev", "Tokayev", "Kasym-Zhomart Tokaev", "tokayev"])
def test_entity_search_is_transliteration_aware(project: Path, name: str) -> None:
    found = search_entities(project, name)
    assert "tokayev" == found[0].entity.id
    assert found[0].score is not None and found[0].score >= 90


def test_entity_search_without_a_name_lists_every_entity(project: Path) -> None:
    found = search_entities(project)
    assert sorted(e.id for e in claimtrack.load(MINI).entities) == [m.entity.id for m in found]
    assert {None} == {m.score for m in found}


def test_subject_search_ranks_label_and_description(project: Path) -> None:
    assert "xinjiang-detainees" == search_subjects(project, "detained people")[0].subject.id
    assert "zhanaozen-protest-start" == search_subjects(project, "protest start")[0].subject.id
    assert [] == search_subjects(project, "qwxz")
    assert 4 == len(search_subjects(project))


def test_search_works_on_a_claim_set_and_limits() -> None:
    claims = claimtrack.load(MINI)
    assert 1 == len(search_entities(claims, "UN", limit=1))


def test_search_through_the_cli(project: Path) -> None:
    status, out, _err = run("entities", project, "--search", "Toqaev", "--limit", "1")
    assert 0 == status
    assert "tokayev" in out and "Kassym-Jomart Tokayev" in out and "score" in out
    status, out, _err = run("subjects", project, "--search", "detained")
    assert 0 == status and out.splitlines()[2].split()[1] == "xinjiang-detainees"
    status, _out, err = run("subjects", project.parent / "nowhere")
    assert 1 == status and "not a claims folder" in err


def test_errors_pickle() -> None:
    error = ProjectError("a/b", "went wrong")
    again = pickle.loads(pickle.dumps(error))
    assert (str(error), again.path, again.reason) == (str(again), "a/b", "went wrong")


def test_files_are_written_atomically_without_leftovers(project: Path) -> None:
    new_source(ARTICLE, project=project, url=None, publisher="rferl", source_id="s1")
    leftovers = [p for p in project.rglob("*") if p.name.endswith(".tmp")]
    assert [] == leftovers
    assert os.access(project / "s1.yaml", os.R_OK)


@given(title=st.text(min_size=1, max_size=80), year=st.integers(1900, 2100))
def test_default_source_ids_are_always_valid_ids(title: str, year: int) -> None:
    """Whatever the headline (any script, punctuation, nothing but symbols), the default id is a
    slug the model accepts."""
    sid = default_source_id("rferl", title, claimtrack.FuzzyDate.year(year))
    source = claimtrack.Source(
        id=sid, title="t", publisher="rferl", published=claimtrack.FuzzyDate.year(year)
    )
    assert source.id.startswith(f"rferl-{year}")


def test_search_of_empty_registries_finds_nothing(tmp_path: Path) -> None:
    init_project(tmp_path / "new")
    assert [] == search_entities(tmp_path / "new", "Tokaev")
    assert [] == search_subjects(tmp_path / "new")
    status, out, _err = run("entities", tmp_path / "new")
    assert 0 == status and "score" in out


def test_new_source_refuses_a_fifo_or_a_device_without_reading_it(tmp_path: Path) -> None:
    """Regression: ``new-source`` read its text with ``read_bytes``, so a FIFO hung and
    ``/dev/zero`` was read without bound; the text is now read with bounds, like claim files."""
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(ProjectError, match="not a regular file"):
            read_text(path)


def test_registries_and_csv_are_read_with_bounds_a_fifo_is_refused(tmp_path: Path) -> None:
    """Regression: the project's registry reader and ``import csv`` read their files with
    ``read_bytes``, so a FIFO named like a registry or a CSV hung them."""
    folder = tmp_path / "p"
    init_project(folder)
    (folder / "subjects.yaml").unlink()
    os.mkfifo(folder / "subjects.yaml")
    with pytest.raises(claimtrack.ClaimtrackError):  # refused in one line, never read
        search_subjects(folder, "anything")
    other = tmp_path / "q"
    init_project(other)
    fifo = tmp_path / "claims.csv"
    os.mkfifo(fifo)
    with pytest.raises(claimtrack.ClaimtrackError, match="not a regular file"):
        claimtrack.import_csv(fifo, other)

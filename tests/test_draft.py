"""claimtrack draft: a first draft of an article's claim file, with quotes that cannot be wrong.

The articles and registries are made up for these tests (``tests/data/draft``): a harbour strike
in the fictional port of Veldan, with the page furniture news sites wrap around an article.
"""

from __future__ import annotations

import importlib
import os
import pickle
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest
import yaml

import claimtrack
from claimtrack import DayCount, Estimate, FuzzyDate, Section, Stance, Statement, SubjectKind
from claimtrack.draft import Draft, DraftClaim, DraftError, draft, draft_folder

DATA = Path(__file__).resolve().parent / "data" / "draft"
CLAIMS = DATA / "claims"
ARTICLES = DATA / "articles"
STRIKE = ARTICLES / "harbour-strike.txt"


@pytest.fixture(scope="module")
def strike() -> Draft:
    return draft(STRIKE, into=CLAIMS)


def by_value(result: Draft, value: str) -> DraftClaim:
    found = [c for c in result.claims if c.value == value]
    assert found, f"no claim with value {value!r}: {[c.value for c in result.claims]}"
    return found[0]


def statements(result: Draft) -> list[DraftClaim]:
    return [c for c in result.claims if c.kind is SubjectKind.STATEMENT]


def test_every_quote_is_the_text_at_its_offsets(strike: Draft) -> None:
    assert strike.claims
    for claim in strike.claims:
        assert claim.quote == strike.text[claim.start : claim.end]


def test_the_text_is_fingerprinted_as_read(strike: Draft) -> None:
    import hashlib

    assert hashlib.sha256(STRIKE.read_bytes()).hexdigest() == strike.text_sha256
    assert "harbour-strike.txt" == strike.text_file


def test_page_furniture_is_left_out(strike: Draft) -> None:
    quotes = " ".join(c.quote for c in strike.claims)
    for chrome in [
        "Skip to main content",
        "Breaking News",
        "please wait",
        "No media source",
        "0:00",
        "Dockers Walk Out Again",  # a player's title
        "Ferry timetable",  # a "See also" entry
        "12/03/2024",
        "Send to a friend",
        "Subscribe",
        "All rights reserved",
    ]:
        assert chrome not in quotes


def test_headline_caption_and_lede_are_told_apart(strike: Draft) -> None:
    sections = {c.quote: c.section for c in strike.claims}
    assert Section.HEADLINE == sections["Veldan Dockers Stay Out For A 12th Day"]
    assert "Veldan Dockers Stay Out For A 12th Day" == strike.title
    lede = [c for c in strike.claims if c.section is Section.LEDE]
    assert lede and all(not c.quote.startswith("VELDAN") for c in lede), "dateline kept"


def test_figures_are_read_by_the_hedge_grammar(strike: Draft) -> None:
    most = by_value(strike, "As many as 2,000")
    assert (None, 2000) == (most.parsed.low, most.parsed.high)  # type: ignore[union-attr]
    about = by_value(strike, "about 1,500")
    assert isinstance(about.parsed, Estimate)
    assert (1275, 1725) == (about.parsed.low, about.parsed.high)
    detained = by_value(strike, "at least 16")
    assert SubjectKind.QUANTITY is detained.kind
    count = by_value(strike, "for the 12th day")
    assert DayCount(12, "day", "for the 12th day") == count.parsed


def test_dates_are_resolved_against_the_publication_date(strike: Draft) -> None:
    assert FuzzyDate.parse("2024-03-14") == strike.published
    began = by_value(strike, "on March 2")
    assert SubjectKind.EVENT_DATE is began.kind
    assert "2024-03-02" == began.parsed.iso()  # type: ignore[union-attr]
    earlier = by_value(strike, "A day earlier")
    assert "2024-03-13" == earlier.parsed.iso()  # type: ignore[union-attr]
    assert "A day earlier" == earlier.parsed.written  # type: ignore[union-attr]
    assert any("relative to another date" in note for note in earlier.review)
    last_week = by_value(strike, "last week")
    assert "2024-03-04/2024-03-10" == last_week.parsed.iso()  # type: ignore[union-attr]


def test_a_weekday_is_the_next_one_when_the_clause_speaks_of_the_future(strike: Draft) -> None:
    monday = by_value(strike, "on Monday")
    assert "2024-03-18" == monday.parsed.iso()  # type: ignore[union-attr]  # published Thu 14


def test_a_figure_is_dated_by_the_date_in_its_clause(strike: Draft) -> None:
    most = by_value(strike, "As many as 2,000")
    assert most.as_of is not None and "2024-03-13" == most.as_of.iso()
    assert "on March 13" == most.as_of.written


def test_publication_date_is_suggested_with_its_evidence(strike: Draft) -> None:
    assert strike.published_evidence is not None
    assert "Published 14 March 2024" in strike.published_evidence


def test_a_given_publication_date_is_used_as_given() -> None:
    result = draft(STRIKE, into=CLAIMS, published="2024-03-15", publisher="coast-radio")
    assert FuzzyDate.parse("2024-03-15") == result.published
    assert result.published_evidence is None
    assert "coast-radio" == result.publisher


def test_according_to_names_the_claimant(strike: Draft) -> None:
    assert "dockers-union" == by_value(strike, "As many as 2,000").claimant


def test_inverted_said_names_the_claimant_after_the_quote(strike: Draft) -> None:
    """ "A day earlier, about 1,500 workers had gathered at the gate, the union said.\""""
    assert "dockers-union" == by_value(strike, "about 1,500").claimant


def test_the_outlet_is_the_claimant_when_nobody_is_named(strike: Draft) -> None:
    began = by_value(strike, "on March 2")
    assert "veldan-daily" == began.claimant == strike.publisher


def test_a_denial_is_a_denial(strike: Draft) -> None:
    denial = [c for c in statements(strike) if c.claimant == "port-authority"]
    assert [Statement("port-authority", Stance.DENIES, "paraphrase")] == [c.value for c in denial]
    assert "veldan-wages-cut" == denial[0].subject


def test_clauses_joined_by_but_are_attributed_apart(strike: Draft) -> None:
    dockers = [c for c in statements(strike) if c.claimant == "striking-dockers"]
    assert dockers and dockers[0].quote.startswith("dockers say")
    assert any("resolved by the article's words" in note for note in dockers[0].review)


def test_told_another_medium_is_a_relay(strike: Draft) -> None:
    told = [c for c in statements(strike) if c.claimant == "marat-seitkali"]
    assert told and ("coast-radio",) == told[0].via
    assert "veldan-talks-resume" == told[0].subject


def test_a_title_before_a_known_name_is_not_part_of_it(strike: Draft) -> None:
    """ "Transport Minister Irina Dolgova warned ..." is Irina Dolgova."""
    warned = [c for c in statements(strike) if c.value.stance is Stance.WARNS]  # type: ignore[union-attr]
    assert ["irina-dolgova"] == [c.claimant for c in warned if "Dolgova" in c.quote]


def test_a_hedged_cue_keeps_the_nearest_stance_and_says_so(strike: Draft) -> None:
    fear = [c for c in statements(strike) if "fear" in c.quote]
    assert fear and Stance.WARNS is fear[0].value.stance  # type: ignore[union-attr]
    assert any("hedged cue 'fear'" in note for note in fear[0].review)


def test_unknown_names_are_proposed_as_new_entities(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Port News\n\nAyan Kemelbekov, a crane driver, said the strike would go on for weeks.\n",
        encoding="utf-8",
    )
    result = draft(article, into=CLAIMS, publisher="veldan-daily", published="2024-03-14")
    claim = statements(result)[0]
    assert "ayan-kemelbekov" == claim.claimant
    assert ["ayan-kemelbekov"] == [e.id for e in result.new_entities]
    assert any("not in entities.yaml" in note for note in claim.review)


def test_subjects_are_ranked_with_scores(strike: Draft) -> None:
    most = by_value(strike, "As many as 2,000")
    assert "veldan-strikers" == most.subjects[0].id
    scores = [s.score for s in most.subjects]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1
    assert len(most.subjects) <= 3


def test_a_new_subject_is_proposed_when_none_fits(strike: Draft) -> None:
    detained = by_value(strike, "at least 16")
    assert detained.subjects[0].new
    assert detained.subjects[0].id.startswith("new-")
    assert "people" == detained.subjects[0].unit


def test_every_claim_is_marked_as_a_draft_with_its_rule(strike: Draft) -> None:
    rules = {c.rule for c in strike.claims}
    assert {"figure.quantity", "figure.day-count", "figure.event-date", "cue.denies"} <= rules
    assert all(c.rule for c in strike.claims)


def test_the_claim_file_is_yaml_in_the_normal_format_with_draft_blocks(strike: Draft) -> None:
    data = yaml.safe_load(strike.yaml)
    assert {"source", "claims"} == set(data)
    assert strike.text_sha256 == data["source"]["text_sha256"]
    assert len(strike.claims) == len(data["claims"])
    for claim, item in zip(strike.claims, data["claims"], strict=True):
        assert claim.quote == item["quote"]
        assert [claim.start, claim.end] == item["draft"]["offsets"]
        assert claim.rule == item["draft"]["rule"]
        assert 1 == sum(key in item for key in ("value", "count", "date", "statement"))


def test_the_claim_file_reads_back_once_its_draft_blocks_are_removed(
    strike: Draft, tmp_path: Path
) -> None:
    """Strip the draft blocks and the file loads with the registries; new subjects and
    entities are the only things a reviewer must add."""
    folder = tmp_path / "claims"
    shutil.copytree(CLAIMS, folder)
    data = yaml.safe_load(strike.yaml)
    known = {c.subject for c in strike.claims if not c.subjects[0].new}
    data["claims"] = [c for c in data["claims"] if c["subject"] in known]
    for item in data["claims"]:
        del item["draft"]
    (folder / "harbour-strike.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    loaded = claimtrack.load(folder)
    assert len(data["claims"]) == len(loaded)
    result = claimtrack.verify(loaded, ARTICLES)
    assert result.ok, result.problems


def test_a_claim_already_in_the_folder_is_linked(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    shutil.copytree(CLAIMS, folder)
    first = draft(STRIKE, into=folder)
    data = yaml.safe_load(first.yaml)
    data["claims"] = [c for c in data["claims"] if c["claimant"] == "port-authority"]
    data["claims"][0]["subject"] = "veldan-wages-cut"
    del data["claims"][0]["draft"]
    (folder / "earlier.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    again = draft(STRIKE, into=folder)
    denial = next(c for c in statements(again) if c.claimant == "port-authority")
    assert (data["claims"][0]["id"],) == denial.repeats
    assert "veldan-wages-cut" == denial.subjects[0].id


def test_out_writes_the_claim_file(tmp_path: Path) -> None:
    out = tmp_path / "drafts" / "strike.yaml"
    result = draft(STRIKE, into=CLAIMS, out=out)
    assert result.yaml == out.read_text(encoding="utf-8")


def test_bytes_are_drafted_as_they_are() -> None:
    result = draft(STRIKE.read_bytes(), into=CLAIMS)
    assert result.text_file is None
    assert draft(STRIKE, into=CLAIMS).claims == result.claims


def test_a_folder_is_drafted_into_an_output_folder(tmp_path: Path) -> None:
    written = draft_folder(ARTICLES, into=CLAIMS, out=tmp_path / "drafts")
    assert ["council-vote.yaml", "harbour-strike.yaml"] == [p.name for p in written]
    council = yaml.safe_load(written[0].read_text(encoding="utf-8"))
    assert "council-vote.txt" == council["source"]["text_file"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n\t\n", "the file holds only white space"),
        (b"PK\x03\x04\x00\x00binary", "not a text file (it contains NUL bytes)"),
        (b"caf\xe9 au lait", "not UTF-8 text (byte 0xe9 at offset 3)"),
        (b"ring the bell\x07 twice", "control character U+0007 at offset 13: not plain text"),
        (b"x" * 100, "too large to draft (100 bytes; at most 64)"),
    ],
)
def test_hostile_inputs_give_a_one_line_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(DraftError) as info:
        draft(path, into=CLAIMS, max_bytes=64)
    assert f"{path}: {reason}" == str(info.value)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, claimtrack.ClaimtrackError)


def test_errors_pickle() -> None:
    error = DraftError("a.txt", "the file is empty")
    again = pickle.loads(pickle.dumps(error))
    assert (error.path, error.reason, str(error)) == (again.path, again.reason, str(again))


def test_a_folder_that_is_no_claims_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DraftError, match="not a claims folder"):
        draft(STRIKE, into=tmp_path)


def test_an_unknown_publisher_is_an_error() -> None:
    with pytest.raises(DraftError, match=r"unknown entity 'veldan-dayly' \(did you mean"):
        draft(STRIKE, into=CLAIMS, publisher="veldan-dayly")


def test_a_relative_publication_date_is_an_error() -> None:
    with pytest.raises(DraftError, match="published"):
        draft(STRIKE, into=CLAIMS, published="last week")


def test_no_lexicon_for_a_language_is_an_error() -> None:
    with pytest.raises(DraftError, match="no drafting lexicon for 'xx'"):
        draft(STRIKE, into=CLAIMS, language="xx")


def test_workers_draft_a_folder_as_one_process_does(tmp_path: Path) -> None:
    for n in range(6):
        shutil.copy(STRIKE, tmp_path / f"strike-{n}.txt")
        shutil.copy(ARTICLES / "council-vote.txt", tmp_path / f"council-{n}.txt")
    one = draft_folder(tmp_path, into=CLAIMS, out=tmp_path / "one")
    two = draft_folder(tmp_path, into=CLAIMS, out=tmp_path / "two", workers=2)
    assert [p.name for p in one] == [p.name for p in two]
    for a, b in zip(one, two, strict=True):
        assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")


def test_a_bad_file_stops_the_workers_with_its_error(tmp_path: Path) -> None:
    for n in range(6):
        shutil.copy(STRIKE, tmp_path / f"strike-{n}.txt")
    (tmp_path / "strike-3.txt").write_bytes(b"\x00binary")
    with pytest.raises(DraftError, match="not a text file"):
        draft_folder(tmp_path, into=CLAIMS, out=tmp_path / "out", workers=2)


def _killed(chunk: Any) -> Any:
    """A drafting worker killed while it drafts (as the kernel's OOM killer does)."""
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_killed_worker_stops_the_run_with_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: drafting used a ``multiprocessing.Pool``, which waits for ever for the chunk
    of a worker that was killed (seen under memory pressure: the run hung). A killed worker now
    ends the run with a :class:`DraftError` that says what happened."""
    for n in range(6):
        shutil.copy(STRIKE, tmp_path / f"strike-{n}.txt")
    drafting = importlib.import_module("claimtrack.draft")  # the package, not the function
    monkeypatch.setattr(drafting, "_draft_chunk", _killed)
    with pytest.raises(DraftError, match="worker process ended before sending its drafts"):
        draft_folder(tmp_path, into=CLAIMS, out=tmp_path / "out", workers=2)


def test_an_unusable_claims_folder_stops_the_workers_before_they_start(tmp_path: Path) -> None:
    """Regression: each worker read the claims folder in its initializer, so an error there
    was raised in every worker the pool kept restarting, not to the caller."""
    for n in range(6):
        shutil.copy(STRIKE, tmp_path / f"strike-{n}.txt")
    with pytest.raises(DraftError):
        draft_folder(tmp_path, into=tmp_path / "nowhere", out=tmp_path / "out", workers=2)


def test_a_draft_that_cannot_be_written_stops_the_run(tmp_path: Path) -> None:
    for n in range(20):
        shutil.copy(STRIKE, tmp_path / f"strike-{n:02d}.txt")
    (tmp_path / "out").write_text("a file, not a folder", encoding="utf-8")
    for workers in (1, 2):
        with pytest.raises(DraftError, match="cannot write it"):
            draft_folder(tmp_path, into=CLAIMS, out=tmp_path / "out", workers=workers)


def test_the_default_drafts_a_large_folder_in_processes_as_one_does(tmp_path: Path) -> None:
    for n in range(20):
        shutil.copy(STRIKE if n % 2 else ARTICLES / "council-vote.txt", tmp_path / f"{n:02d}.txt")
    default = draft_folder(tmp_path, into=CLAIMS, out=tmp_path / "default")
    one = draft_folder(tmp_path, into=CLAIMS, out=tmp_path / "one", workers=1)
    assert [p.read_text(encoding="utf-8") for p in default] == [
        p.read_text(encoding="utf-8") for p in one
    ]


def test_a_dated_dateline_dates_the_page_and_is_left_out_of_quotes() -> None:
    page = (
        b"Dockers Return\n\nVELDAN, Sept. 3, 2019 (Coast Radio) - Hundreds of dockers went back "
        b"to work on Tuesday, the union said.\n"
    )
    result = draft(page, into=CLAIMS)
    assert "2019-09-03" == result.published.iso()
    assert 'the dateline "VELDAN, Sept. 3, 2019 (Coast Radio) -"' == result.published_evidence
    assert "coast-radio" == result.publisher
    hundreds = by_value(result, "Hundreds")
    assert hundreds.quote.startswith("Hundreds of dockers")
    assert "dockers-union" == hundreds.claimant  # "..., the union said."
    assert "2019-09-03" == by_value(result, "on Tuesday").parsed.iso()  # type: ignore[union-attr]


def test_a_participle_cue_leaves_the_main_verb_to_the_outlet() -> None:
    """ "Police clear a camp of dockers demanding higher pay": the outlet reports the clearing,
    the dockers demand."""
    page = b"Harbour Cleared\n\nPolice cleared a camp set up by dockers demanding higher pay.\n"
    result = draft(page, into=CLAIMS, published="2024-03-14", publisher="veldan-daily")
    stances = sorted((c.claimant, c.value.stance.value) for c in statements(result))  # type: ignore[union-attr]
    assert [("striking-dockers", "demands"), ("veldan-daily", "asserts")] == stances


def test_a_page_without_punctuation_is_cut_into_sentences_of_bounded_length() -> None:
    """A run of text with no sentence end (a table, a dump) is cut at spaces, so no quote is
    longer than the longest sentence kept whole, and every quote is still a span."""
    text = ("Irina Dolgova said about 5 people came and " * 400).encode()
    result = draft(text, into=CLAIMS, published="2024-03-14")
    assert result.claims
    assert max(len(c.quote) for c in result.claims) <= 1_500
    assert all(c.quote == result.text[c.start : c.end] for c in result.claims)


def test_draft_refuses_a_fifo_without_reading_it(tmp_path: Path) -> None:
    """Regression: the drafter read an article with ``read_bytes``, so a FIFO hung."""
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    with pytest.raises(claimtrack.DraftError, match="not a regular file"):
        claimtrack.draft(fifo, into="tests/data/mini")

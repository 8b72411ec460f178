"""Ingest end to end: idempotence, one bad paper among good ones, interrupted runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FAKE_ID
from pdfgen import (
    compression_bomb_pdf,
    marker,
    one_column_pdf,
    repeated_page_pdf,
    two_column_pdf,
)

from synth.core.settings import ParseSettings, Settings
from synth.core.types import AddStatus
from synth.corpus.ingest import Ingestor
from synth.corpus.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(Settings().db_path)


def test_adding_the_same_pdf_twice_stores_it_once(store: Store, tmp_path: Path) -> None:
    pdf = one_column_pdf(tmp_path / "study.pdf")
    ingest = Ingestor(store, Settings())
    first = list(ingest.add_paths([pdf]))
    again = list(ingest.add_paths([pdf]))
    assert [o.status for o in first + again] == [AddStatus.ADDED, AddStatus.UNCHANGED]
    assert len(store.summaries()) == 1
    passages = store.passages(store.require("study.pdf"))
    assert [p.page_start for p in passages if marker(3) in p.text] == [3]


def test_bad_files_fail_alone(store: Store, tmp_path: Path) -> None:
    good = one_column_pdf(tmp_path / "good.pdf")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf at all")
    outcomes = list(
        Ingestor(store, Settings()).add_paths([empty, good, fake, tmp_path / "gone.pdf"])
    )
    assert [o.failed for o in outcomes] == [True, False, True, True]
    assert all(o.error and o.error.hint for o in outcomes if o.failed)
    assert [s.paper.paper_id for s in store.summaries()] == ["good.pdf"]


def test_edited_file_updates_and_a_namesake_conflicts(store: Store, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("First version of the note.")
    ingest = Ingestor(store, Settings())
    list(ingest.add_paths([note]))
    note.write_text("Second version of the note.")
    assert next(iter(ingest.add_paths([note]))).status is AddStatus.UPDATED
    other = tmp_path / "other" / "note.txt"
    other.parent.mkdir()
    other.write_text("A different note with the same name.")
    clash = next(iter(ingest.add_paths([other])))
    assert clash.failed and clash.error and "already names another paper" in clash.error.message
    assert "Second version" in store.passages(store.require("note.txt"))[0].text


class InterruptOnSecond:
    """A progress sink that presses Ctrl-C when the second paper starts parsing."""

    def __init__(self) -> None:
        self.started: list[str] = []

    def update(self, task: str, done: float, total: float | None) -> None:
        if task not in self.started:
            self.started.append(task)
        if len(self.started) == 2:
            raise KeyboardInterrupt


def test_interrupted_run_keeps_finished_papers_and_resumes(store: Store, tmp_path: Path) -> None:
    pdfs = [one_column_pdf(tmp_path / "one.pdf"), two_column_pdf(tmp_path / "two.pdf")]
    with pytest.raises(KeyboardInterrupt):
        list(Ingestor(store, Settings(), InterruptOnSecond()).add_paths(pdfs))
    assert [s.paper.paper_id for s in store.summaries()] == ["one.pdf"]
    statuses = [o.status for o in Ingestor(store, Settings()).add_paths(pdfs)]
    assert statuses == [AddStatus.UNCHANGED, AddStatus.ADDED]


def test_jsonl_corpus_reports_bad_lines_and_keeps_the_rest(store: Store) -> None:
    corpus = Path(__file__).resolve().parents[1] / "fixtures" / "scifact_corpus.jsonl"
    outcomes = list(Ingestor(store, Settings()).add_paths([corpus], "jsonl"))
    assert sum(not o.failed for o in outcomes) == 3
    assert [o.ref.rsplit(":", 1)[1] for o in outcomes if o.failed] == ["4", "5", "6"]
    assert {s.paper.paper_id for s in store.summaries()} == {"101", "102", "note-7"}
    again = list(Ingestor(store, Settings()).add_paths([corpus], "jsonl"))
    assert [o.status for o in again if not o.failed] == [AddStatus.UNCHANGED] * 3


def test_fetch_skips_stored_papers_unless_refreshed(
    store: Store, fake_mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(fake_mirror))
    ingest = Ingestor(store, Settings())
    first = list(ingest.fetch_arxiv([FAKE_ID, "2101.00002", "not-an-id"]))
    assert [o.status for o in first] == [AddStatus.ADDED, AddStatus.ADDED, None]
    (fake_mirror / "atom" / f"{FAKE_ID}.xml").unlink()  # a skipped paper asks nothing
    assert next(iter(ingest.fetch_arxiv([FAKE_ID]))).status is AddStatus.UNCHANGED
    refreshed = next(iter(ingest.fetch_arxiv(["2101.00002"], refresh=True)))
    assert refreshed.status is AddStatus.UNCHANGED  # same content: nothing rewritten


def test_files_over_budget_or_not_regular_fail_alone_and_the_batch_goes_on(
    store: Store, tmp_path: Path
) -> None:
    pipe = tmp_path / "pipe.pdf"
    os.mkfifo(pipe)
    folder = tmp_path / "papers"
    folder.mkdir()
    paths = [
        pipe,
        folder,
        compression_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=4),
        repeated_page_pdf(tmp_path / "tree.pdf", times=50),
        one_column_pdf(tmp_path / "good.pdf"),
    ]
    settings = Settings(parse=ParseSettings(max_pages=20, max_decompressed_mb=1))
    outcomes = list(Ingestor(store, settings).add_paths(paths))
    errors = [str(o.error) for o in outcomes[:-1]]
    assert "pipe.pdf: not a regular file (a named pipe)" in errors[0]
    assert "papers: is a directory" in errors[1]  # not "unknown file type"
    assert "bomb.pdf: its compressed streams inflate to more than 1 MB" in errors[2]
    assert "tree.pdf: 50 pages is over the limit of 20" in errors[3]
    assert outcomes[-1].status is AddStatus.ADDED
    assert [s.paper.paper_id for s in store.summaries()] == ["good.pdf"]


def test_a_file_is_stored_under_the_name_given(store: Store, tmp_path: Path) -> None:
    ingest = Ingestor(store, Settings())
    for folder, text in (("a", "# Notes A\n\nFirst notes."), ("b", "# Notes B\n\nOther notes.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.md").write_text(text, encoding="utf-8")
    first = list(ingest.add_paths([tmp_path / "a" / "notes.md"]))
    clash = list(ingest.add_paths([tmp_path / "b" / "notes.md"]))
    named = list(ingest.add_paths([tmp_path / "b" / "notes.md"], paper_id="notes-b.md"))
    assert first[0].status is AddStatus.ADDED and clash[0].failed
    assert named[0].status is AddStatus.ADDED and named[0].paper is not None
    assert named[0].paper.paper_id == "notes-b.md"
    assert sorted(s.paper.paper_id for s in store.summaries()) == ["notes-b.md", "notes.md"]
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text('{"id": "x", "abstract": "Some text."}\n', encoding="utf-8")
    (refused,) = ingest.add_paths([jsonl], paper_id="c")
    assert refused.failed and "each named by its id field" in str(refused.error)

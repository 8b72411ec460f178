"""Ingest end to end: idempotence, one bad paper among good ones, interrupted runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FAKE_ID
from pdfgen import marker, one_column_pdf, two_column_pdf

from synth.core.settings import Settings
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

"""The SQLite store: one transaction per paper, replace/conflict rules, FTS kept in step."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from synth.errors import SynthError
from synth.parsing.structure import sentences_page
from synth.store import AddStatus, Store
from synth.types import Paper, Passage, SourceKind


def _paper(uid: str, paper_id: str, path: str = "/a.txt", arxiv_id: str | None = None) -> Paper:
    return Paper(
        id=uid, paper_id=paper_id, source=SourceKind.TEXT, title="T", path=path, arxiv_id=arxiv_id
    )


def _passage(paper_id: str, text: str, start: int = 0) -> Passage:
    return Passage(
        paper_id=paper_id,
        page_start=1,
        page_end=1,
        section="S",
        char_start=start,
        char_end=start + len(text),
        text=text,
    )


def _fts(store: Store, word: str) -> int:
    return int(
        store._conn.execute(
            "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (word,)
        ).fetchone()[0]
    )


def test_add_get_find_remove(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        paper = _paper("p_1", "2005.13013", arxiv_id="2005.13013")
        page = sentences_page(["Zebras are fast."])
        assert (
            store.add(paper, [page], [_passage("2005.13013", "Zebras are fast.")], False)
            is AddStatus.ADDED
        )
        assert store.add(paper, [page], [], False) is AddStatus.UNCHANGED
        assert store.find("2005.13013") == store.find("p_1") == store.find("2005.13013v2") == paper
        assert store.pages(paper) == [(1, "Zebras are fast.")]
        assert _fts(store, "zebra") == 1  # porter stemming
        store.remove(paper)
        assert store.find("2005.13013") is None and _fts(store, "zebra") == 0
        assert store.count_passages() == 0


def test_replace_and_conflict(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store.add(_paper("p_1", "a.txt"), [], [_passage("a.txt", "Old text.")], False)
        with pytest.raises(SynthError, match="already names another paper") as caught:
            store.add(_paper("p_2", "a.txt", path="/elsewhere/a.txt"), [], [], False)
        assert "synth corpus remove a.txt" in (caught.value.hint or "")
        assert (
            store.add(_paper("p_3", "a.txt"), [], [_passage("a.txt", "New text.")], True)
            is AddStatus.UPDATED
        )
        assert store.get("p_1") is None and _fts(store, "old") == 0 and _fts(store, "new") == 1


def test_a_failure_mid_paper_leaves_nothing_of_it(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store.add(_paper("p_1", "kept.txt"), [], [_passage("kept.txt", "Kept.")], False)
        twice = _passage("b.txt", "Same passage twice.")
        with pytest.raises(sqlite3.IntegrityError):
            store.add(_paper("p_2", "b.txt"), [sentences_page(["x"])], [twice, twice], False)
        assert store.get("p_2") is None
        assert [s.paper.paper_id for s in store.summaries()] == ["kept.txt"]
        assert store._conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
        assert _fts(store, "same") == 0 and _fts(store, "kept") == 1


def test_state_survives_reopening_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    with Store(path) as store:
        store.add(_paper("p_1", "a.txt"), [], [_passage("a.txt", "Durable.")], False)
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(path) as store:
        assert store.require("a.txt").id == "p_1"
        with pytest.raises(SynthError, match="no such paper") as caught:
            store.require("b.txt")
        assert "synth corpus list" in (caught.value.hint or "")


def test_a_corrupt_database_is_reported_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SynthError, match="cannot open the corpus database") as caught:
        Store(path)
    assert "move the file aside" in (caught.value.hint or "")
    assert path.read_bytes() == b"this is not a database" * 100


def test_find_by_arxiv_id_needs_a_unique_match(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store.add(_paper("p_1", "2005.13013v1", arxiv_id="2005.13013"), [], [], False)
        assert store.find("arXiv:2005.13013v2") == store.get("p_1")
        store.add(_paper("p_2", "2005.13013", arxiv_id="2005.13013"), [], [], False)
        assert store.find("2005.13013v2") is None  # two versions stored: ask by paper_id
        assert store.find("not an id") is None

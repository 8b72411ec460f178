"""A store synth may not write: opened read-only (SQLite ``mode=ro``), it serves every read
and refuses every write with one "read-only" line whose remedy keeps the database.

The tests that take write permission away are skipped for a user file permissions do not
bind (root); run them as another user, or as root without CAP_DAC_OVERRIDE:
``setpriv --bounding-set=-dac_override,-dac_read_search .venv/bin/pytest ...``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import permissions_bind

from synth.core.errors import NotFound, StoreFailure
from synth.core.types import Paper, Passage, SourceKind
from synth.corpus.parsing.structure import sentences_page
from synth.corpus.store import Store, store_failure


def _stored(path: Path) -> Paper:
    paper = Paper(id="p_1", paper_id="a.txt", source=SourceKind.TEXT, title="T", path="/a.txt")
    text = "Zebras are fast."
    passage = Passage(paper_id="a.txt", page_start=1, page_end=1, section="S", char_start=0,
                      char_end=len(text), text=text)  # fmt: skip
    with Store(path) as store:
        store.add(paper, [sentences_page([text])], [passage], False)
    return paper


def _refuses_writes(store: Store, paper: Paper) -> None:
    writes = (
        lambda: store.add(paper.model_copy(update={"id": "p_2", "paper_id": "b"}), [], [], False),
        lambda: store.remove(paper),
        lambda: store.put_vectors("m", [1], np.zeros((1, 4), np.float32)),
    )
    for write in writes:
        with pytest.raises(StoreFailure) as caught:
            write()
        assert caught.value.message.startswith(f"read-only: {store.path}")
        hint = caught.value.hint or ""
        assert "writable" in hint and "aside" not in hint and "rename" not in hint


def test_a_store_opened_read_only_reads_and_refuses_every_write(tmp_path: Path) -> None:
    path = tmp_path / "synth.db"
    paper = _stored(path)
    before = path.read_bytes()
    with Store(path, read_only=True) as store:
        assert store.read_only
        assert [s.paper.paper_id for s in store.summaries()] == ["a.txt"]
        assert [p.text for p in store.passages(paper)] == ["Zebras are fast."]
        assert store.bm25("zebra", 5)
        _refuses_writes(store, paper)
    assert path.read_bytes() == before


def test_a_missing_database_is_not_created_by_a_read_only_open(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no corpus yet"):
        Store(tmp_path / "home" / "synth.db", read_only=True)
    assert not (tmp_path / "home").exists()


def test_the_read_only_failure_never_says_to_move_the_database_aside(tmp_path: Path) -> None:
    path = tmp_path / "synth.db"
    failure = store_failure(path, sqlite3.OperationalError("attempt to write a readonly database"))
    assert failure is not None and failure.message.startswith(f"read-only: {path}")
    assert "aside" not in str(failure) and "creates a new one" not in str(failure)


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A database with no write permission on it or on its folder (given back afterwards)."""
    if not permissions_bind(tmp_path):
        pytest.skip("file permissions do not bind this user (root): see the module docstring")
    home = tmp_path / "home"
    _stored(home / "synth.db")
    for path in (home / "synth.db", home):
        path.chmod(0o555)
    yield home / "synth.db"
    home.chmod(0o755)
    (home / "synth.db").chmod(0o644)


def test_a_database_synth_may_not_write_opens_read_only(locked: Path) -> None:
    assert not locked.with_name("synth.db-shm").exists()  # WAL, and no journal to lean on
    with Store(locked) as store:
        assert store.read_only
        paper = store.require("a.txt")
        assert store.pages(paper) == [(1, "Zebras are fast.")]
        _refuses_writes(store, paper)


def test_no_database_can_be_created_in_a_folder_synth_may_not_write(locked: Path) -> None:
    with pytest.raises(StoreFailure, match=r"^read-only: "):
        Store(locked.parent / "other.db")

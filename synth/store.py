"""The corpus store: one SQLite database (WAL mode) under ``SYNTH_HOME`` holding papers,
their page texts and passages, with an FTS5 index over passages for BM25.

A paper, its pages and its passages are written in one transaction: an interrupted ingest
leaves either the whole paper or none of it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from synth.errors import SynthError
from synth.parsing.structure import PageText
from synth.sources.arxiv_ids import parse_arxiv_id
from synth.types import Paper, Passage

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (
    id TEXT PRIMARY KEY,
    paper_id TEXT NOT NULL UNIQUE,
    arxiv_id TEXT,
    record TEXT NOT NULL,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS papers_arxiv ON papers(arxiv_id);
CREATE TABLE IF NOT EXISTS pages (
    paper TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (paper, number)
);
CREATE TABLE IF NOT EXISTS passages (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    paper TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    record TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_paper ON passages(paper);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
"""


class AddStatus(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PaperSummary:
    paper: Paper
    passages: int
    added_at: str


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise SynthError(
                    f"{path} was written by a newer synth (schema {version})",
                    "upgrade synth, or point SYNTH_HOME at another folder",
                )
            self._conn.executescript(_SCHEMA)  # idempotent: every statement is IF NOT EXISTS
            self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise SynthError(
                f"{path}: cannot open the corpus database ({exc})",
                "move the file aside (synth creates a new one) or point SYNTH_HOME elsewhere",
            ) from exc
        except OSError as exc:
            raise SynthError(
                f"{path.parent}: cannot create the synth home ({exc.strerror})",
                "set SYNTH_HOME to a writable folder",
            ) from exc

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:  # Ctrl-C included: roll back, then let it propagate
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _paper(self, where: str, *args: object) -> Paper | None:
        row = self._conn.execute(f"SELECT record FROM papers WHERE {where}", args).fetchone()
        return Paper.model_validate_json(row[0]) if row else None

    def get(self, uid: str) -> Paper | None:
        """The paper with content id ``uid``."""
        return self._paper("id = ?", uid)

    def by_paper_id(self, paper_id: str) -> Paper | None:
        return self._paper("paper_id = ?", paper_id)

    def find(self, ref: str) -> Paper | None:
        """The paper a user means by ``ref``: its paper_id, its content id, or its arXiv id
        (with or without version) when exactly one stored paper has it."""
        found = self.by_paper_id(ref) or self.get(ref)
        if found:
            return found
        try:
            base = parse_arxiv_id(ref).base
        except SynthError:
            return None
        rows = self._conn.execute(
            "SELECT record FROM papers WHERE arxiv_id = ?", (base,)
        ).fetchall()
        if len(rows) == 1:
            return Paper.model_validate_json(rows[0][0])
        return None

    def require(self, ref: str) -> Paper:
        paper = self.find(ref)
        if paper is None:
            raise SynthError(
                f"{ref}: no such paper in the corpus", "list the papers with: synth corpus list"
            )
        return paper

    def add(
        self, paper: Paper, pages: list[PageText], passages: list[Passage], replace: bool
    ) -> AddStatus:
        """Store a paper with its pages and passages in one transaction.

        The same content (same ``paper.id``) is stored once. A different paper under a
        ``paper_id`` that is taken replaces it when ``replace`` is true (a new version of
        the same file or arXiv id); otherwise it is refused.
        """
        with self._transaction() as conn:
            if conn.execute("SELECT 1 FROM papers WHERE id = ?", (paper.id,)).fetchone():
                return AddStatus.UNCHANGED
            taken = self.by_paper_id(paper.paper_id)
            if taken and not replace:
                raise SynthError(
                    f"{paper.paper_id}: that id already names another paper "
                    f"({taken.path or taken.url or taken.id})",
                    "rename the file, or first remove the stored one: "
                    f"synth corpus remove {paper.paper_id}",
                )
            if taken:
                conn.execute("DELETE FROM papers WHERE id = ?", (taken.id,))
            conn.execute(
                "INSERT INTO papers(id, paper_id, arxiv_id, record) VALUES (?, ?, ?, ?)",
                (paper.id, paper.paper_id, paper.arxiv_id, paper.model_dump_json()),
            )
            conn.executemany(
                "INSERT INTO pages(paper, number, text) VALUES (?, ?, ?)",
                [(paper.id, page.number, page.text) for page in pages],
            )
            conn.executemany(
                "INSERT INTO passages(id, paper, record, text) VALUES (?, ?, ?, ?)",
                [(p.id, paper.id, p.model_dump_json(), p.text) for p in passages],
            )
        return AddStatus.UPDATED if taken else AddStatus.ADDED

    def remove(self, paper: Paper) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM papers WHERE id = ?", (paper.id,))

    def summaries(self) -> list[PaperSummary]:
        rows = self._conn.execute(
            "SELECT p.record, p.added_at, (SELECT count(*) FROM passages s WHERE s.paper = p.id) "
            "FROM papers p ORDER BY p.added_at, p.paper_id"
        ).fetchall()
        return [PaperSummary(Paper.model_validate_json(r), n, at) for r, at, n in rows]

    def pages(self, paper: Paper) -> list[tuple[int, str]]:
        return list(
            self._conn.execute(
                "SELECT number, text FROM pages WHERE paper = ? ORDER BY number", (paper.id,)
            )
        )

    def passages(self, paper: Paper) -> list[Passage]:
        rows = self._conn.execute(
            "SELECT record FROM passages WHERE paper = ? ORDER BY rowid", (paper.id,)
        )
        return [Passage.model_validate_json(r) for (r,) in rows]

    def count_passages(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM passages").fetchone()[0])

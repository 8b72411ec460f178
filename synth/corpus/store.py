"""The corpus store: one SQLite database (WAL mode) under ``SYNTH_HOME`` holding papers,
their page texts and passages, with an FTS5 index over passages for BM25.

A paper, its pages and its passages are written in one transaction: an interrupted ingest
leaves either the whole paper or none of it.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt

from synth.core.arxiv_ids import parse_arxiv_id
from synth.core.errors import NotFound, StoreFailure, SynthError
from synth.core.types import AddStatus, PageText, Paper, Passage

SCHEMA_VERSION = 2  # 2: embeddings
BUSY_SECONDS = 30.0  # how long a command waits for another one's write to finish
# A set of keys goes to SQLite as one JSON array, read back with json_each: one variable
# however many keys, so no query meets SQLite's limit on variables (999 in older builds).
IN_KEYS = "IN (SELECT value FROM json_each(?))"

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
-- One vector per (model, passage). ``seq`` only grows (AUTOINCREMENT), so it names a vector
-- for good: the FAISS index uses it as its id and can tell added rows from removed ones.
CREATE TABLE IF NOT EXISTS embeddings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    passage INTEGER NOT NULL REFERENCES passages(rowid) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BLOB NOT NULL,
    UNIQUE (model, passage)
);
CREATE INDEX IF NOT EXISTS embeddings_passage ON embeddings(passage);
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
"""


@dataclass(frozen=True)
class Found:
    """A passage as retrieval hands it on: its row key, the record and its paper's title."""

    key: int
    passage: Passage
    title: str


@dataclass(frozen=True)
class Vectors:
    """Stored embeddings: ``seqs[i]`` names row ``matrix[i]`` of passage ``keys[i]``."""

    seqs: npt.NDArray[np.int64]
    keys: npt.NDArray[np.int64]
    matrix: npt.NDArray[np.float32]


_WORD = re.compile(r"\w+", re.UNICODE)


def _int_list(keys: list[int]) -> str:
    """Integer keys (numpy's too) as the JSON array :data:`IN_KEYS` reads."""
    return json.dumps([int(key) for key in keys])


def fts_query(text: str) -> str:
    """An FTS5 query matching any word of ``text``, each quoted so no character in a claim
    can be read as FTS5 syntax; BM25 then weighs the words by rarity."""
    words = dict.fromkeys(w.lower() for w in _WORD.findall(text) if len(w) > 1 or w.isdigit())
    return " OR ".join(f'"{w}"' for w in words)


def store_failure(path: Path, exc: sqlite3.Error) -> StoreFailure | None:
    """The failure ``exc`` means for the whole database, or None for an ordinary error.

    Args:
        path: The database file.
        exc: What sqlite3 raised.

    Returns:
        A :class:`StoreFailure` with its remedy, or None.
    """
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return StoreFailure(
            f"{path}: the corpus database is damaged ({exc}); synth will not write into it",
            "restore it from a backup, or rename it and add the papers again "
            "(synth then starts a new one)",
        )
    if "disk is full" in text or "disk i/o error" in text:
        return StoreFailure(f"disk full ({path.parent}: {exc})", "run again after freeing space")
    if "readonly" in text or "read-only" in text:
        return read_only_failure(path, f"synth cannot write to it ({exc})")
    if "database is locked" in text:
        return StoreFailure(
            f"{path}: another process kept the corpus database locked for over "
            f"{BUSY_SECONDS:.0f} s ({exc})",
            "run again when the other synth command has finished",
        )
    return None


def read_only_failure(path: Path, why: str = "synth cannot write to it") -> StoreFailure:
    """The one line for a write into a database synth may not write: the remedy keeps it
    (it is healthy; only a damaged one is to be replaced).

    Args:
        path: The database file.
        why: What could not be done.

    Returns:
        The :class:`StoreFailure` to raise.
    """
    return StoreFailure(
        f"read-only: {path}: {why}",
        f"make {path.parent} and the database in it writable, or copy that folder to a "
        "writable place and set SYNTH_HOME to the copy (commands that only read work as it is)",
    )


def _summary_filter(source: str | None, search: str) -> tuple[str, list[str]]:
    """The WHERE clause (with its arguments) of a paper listing: its source, and each
    search word in the title or paper_id (LIKE, case-insensitive for ASCII)."""
    clauses, args = [], []
    if source is not None:
        clauses.append("json_extract(p.record, '$.source') = ?")
        args.append(source)
    for word in search.split():
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"
        clauses.append("(p.paper_id LIKE ? ESCAPE '\\' OR "
                       "json_extract(p.record, '$.title') LIKE ? ESCAPE '\\')")  # fmt: skip
        args += [pattern, pattern]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


def _writable(path: Path) -> bool:
    """Whether synth may write the existing database ``path``: the file, and its folder,
    where SQLite keeps the write-ahead log beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


class _Guarded:
    """A sqlite3 connection whose database-level failures become :class:`StoreFailure`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path

    def _run(self, method: str, *args: Any) -> Any:
        try:
            return getattr(self._conn, method)(*args)
        except sqlite3.Error as exc:
            self._fail(exc)

    def _fail(self, exc: sqlite3.Error) -> NoReturn:
        failure = store_failure(self._path, exc)
        if failure is None:
            raise exc
        raise failure from exc

    def use_wal(self, wait: float = BUSY_SECONDS) -> None:
        """Write-ahead logging (the file keeps the mode once set). While another process
        creates the same database, SQLite answers the switch "locked" at once rather than
        waiting (waiting there could deadlock), so it is tried again for ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while True:
            try:
                if self._conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self._conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.Error as exc:
                if "locked" not in str(exc).lower() or time.monotonic() >= deadline:
                    self._fail(exc)
                time.sleep(0.05)

    def execute(self, sql: str, args: Any = ()) -> sqlite3.Cursor:
        cursor: sqlite3.Cursor = self._run("execute", sql, args)
        return cursor

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        cursor: sqlite3.Cursor = self._run("executemany", sql, rows)
        return cursor

    def executescript(self, script: str) -> sqlite3.Cursor:
        cursor: sqlite3.Cursor = self._run("executescript", script)
        return cursor

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    def close(self) -> None:
        self._conn.close()


@dataclass(frozen=True)
class PaperSummary:
    paper: Paper
    passages: int
    added_at: str


class Store:
    """The corpus database at ``path``, created when missing.

    A database synth may not write (the file, or the folder it is in, is not writable) is
    opened read-only, as it is when ``read_only`` is given: every read works, and every
    write fails with one "read-only" line (:func:`read_only_failure`). A read-only open
    never creates anything; a missing database is then :class:`NotFound`.
    """

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only or (path.exists() and not _writable(path))
        conn = self._open_read_only() if self.read_only else self._open()
        self._conn = _Guarded(conn, path)
        if not self.read_only:
            self._conn.use_wal()
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SynthError(
                f"{path} was written by a newer synth (schema {version})",
                "upgrade synth, or point SYNTH_HOME at another folder",
            )
        if version < SCHEMA_VERSION and self.read_only:
            raise read_only_failure(path, f"its schema ({version}) must be brought up to date")
        if version < SCHEMA_VERSION:  # a new (or older) database: nothing written otherwise
            self._create_schema()

    def _create_schema(self) -> None:
        """Every table, index and trigger, and the schema version, in one transaction: a
        process killed half way leaves no half-made schema for a reader to trip on. Every
        statement is IF NOT EXISTS, so two processes creating one database both succeed.
        (sqlite3's ``executescript`` commits before it runs, so the script holds its own
        BEGIN and COMMIT.)"""
        script = f"BEGIN IMMEDIATE;\n{_SCHEMA}PRAGMA user_version={SCHEMA_VERSION};\nCOMMIT;"
        try:
            self._conn.executescript(script)
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def _open(self) -> sqlite3.Connection:
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
        except (OSError, sqlite3.Error) as exc:
            if path.parent.is_dir() and not os.access(path.parent, os.W_OK):
                raise read_only_failure(path, "synth cannot create the database there") from exc
            raise SynthError(
                f"{path}: cannot create or open the synth home ({exc})",
                "set SYNTH_HOME to a writable folder",
            ) from exc

    def _open_read_only(self) -> sqlite3.Connection:
        """A ``mode=ro`` connection. In a folder synth may not write, SQLite cannot make the
        shared-memory file a WAL reader needs; the database is then read as immutable, which
        is exact as long as no write-ahead log holds writes not yet in the file."""
        path = self.path
        if not path.exists():
            raise NotFound(f"{path}: no corpus yet", "add papers first: synth add FILE, "
                           "or synth fetch ID")  # fmt: skip
        uri = f"{path.absolute().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        try:
            conn.execute("PRAGMA user_version").fetchone()
            return conn
        except sqlite3.Error as exc:
            conn.close()
            if "readonly" not in str(exc):
                failure = store_failure(path, exc)
                if failure is None:
                    raise
                raise failure from exc
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise read_only_failure(path, f"its last writes are still in {wal.name}, which "
                                    "SQLite cannot read without writing")  # fmt: skip
        return sqlite3.connect(f"{uri}&immutable=1", uri=True, isolation_level=None)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[_Guarded]:
        if self.read_only:
            raise read_only_failure(self.path)
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:  # Ctrl-C included: roll back, then let it propagate
            if self._conn.in_transaction:  # SQLite has rolled back already when the disk is full
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
            try:
                parse_arxiv_id(ref)
                hint = f"fetch it first (synth fetch {ref}), or see what is stored: "
            except SynthError:
                hint = "see what is stored (or add the file: synth add FILE): "
            raise NotFound(f"{ref}: no such paper in the corpus", hint + "synth corpus list")
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

    def summaries(
        self, limit: int | None = None, source: str | None = None, search: str = ""
    ) -> list[PaperSummary]:
        """Stored papers with their passage counts, oldest first, filtered in SQL.

        Args:
            limit: At most this many (None: all).
            source: Only papers from this source (``arxiv``, ``pdf``, ``text``, ``jsonl``).
            search: Words that must each appear in the title or the paper_id (any case).

        Returns:
            A :class:`PaperSummary` per paper.
        """
        where, args = _summary_filter(source, search)
        rows = self._conn.execute(
            "SELECT p.record, p.added_at, (SELECT count(*) FROM passages s WHERE s.paper = p.id) "
            f"FROM papers p{where} ORDER BY p.added_at, p.paper_id LIMIT ?",
            (*args, -1 if limit is None else limit),
        ).fetchall()
        return [PaperSummary(Paper.model_validate_json(r), n, at) for r, at, n in rows]

    def count_papers(self, source: str | None = None, search: str = "") -> int:
        """How many papers :meth:`summaries` would list with no limit (each row is read, not
        only an index: a damaged table fails here as it would in a listing)."""
        where, args = _summary_filter(source, search)
        sql = f"SELECT count(p.record) FROM papers p{where}"
        return int(self._conn.execute(sql, args).fetchone()[0])

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

    def _paper_filter(self, papers: list[Paper] | None, column: str) -> tuple[str, list[str]]:
        if papers is None:
            return "", []
        return f" AND {column} {IN_KEYS}", [json.dumps([p.id for p in papers])]

    def unembedded(
        self, model: str, limit: int, papers: list[Paper] | None = None
    ) -> list[tuple[int, str]]:
        """Up to ``limit`` passages (key, text) with no vector for ``model`` yet (only
        those of ``papers`` when given)."""
        where, args = self._paper_filter(papers, "p.paper")
        return list(
            self._conn.execute(
                "SELECT p.rowid, p.text FROM passages p WHERE NOT EXISTS "
                "(SELECT 1 FROM embeddings e WHERE e.passage = p.rowid AND e.model = ?)"
                f"{where} ORDER BY p.rowid LIMIT ?",
                [model, *args, limit],
            )
        )

    def count_unembedded(self, model: str, papers: list[Paper] | None = None) -> int:
        where, args = self._paper_filter(papers, "p.paper")
        return int(
            self._conn.execute(
                "SELECT count(*) FROM passages p WHERE NOT EXISTS "
                f"(SELECT 1 FROM embeddings e WHERE e.passage = p.rowid AND e.model = ?){where}",
                [model, *args],
            ).fetchone()[0]
        )

    def put_vectors(self, model: str, keys: list[int], matrix: npt.NDArray[np.float32]) -> None:
        """Store one vector per passage key, all in one transaction."""
        rows = np.ascontiguousarray(matrix, dtype=np.float32)
        with self._transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings(passage, model, vector) VALUES (?, ?, ?)",
                [(key, model, rows[i].tobytes()) for i, key in enumerate(keys)],
            )

    def vectors(self, model: str, after_seq: int = 0, papers: list[Paper] | None = None) -> Vectors:
        """The stored vectors of ``model`` with ``seq > after_seq``, optionally only those
        of the given papers, in ``seq`` order."""
        where, args = self._paper_filter(papers, "p.paper")
        rows = self._conn.execute(
            "SELECT e.seq, e.passage, e.vector FROM embeddings e "
            "JOIN passages p ON p.rowid = e.passage "
            f"WHERE e.model = ? AND e.seq > ?{where} ORDER BY e.seq",
            [model, after_seq, *args],
        ).fetchall()
        if not rows:
            return Vectors(
                np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 0), np.float32)
            )
        matrix = np.stack([np.frombuffer(r[2], dtype=np.float32) for r in rows])
        return Vectors(
            np.array([r[0] for r in rows], np.int64), np.array([r[1] for r in rows], np.int64),
            matrix,
        )  # fmt: skip

    def vector_stats(self, model: str, upto_seq: int) -> tuple[int, int]:
        """(count, sum of seq) of ``model``'s vectors with ``seq <= upto_seq``: an index
        built up to that seq is still valid exactly when these match what it holds."""
        count, total = self._conn.execute(
            "SELECT count(*), coalesce(sum(seq), 0) FROM embeddings WHERE model = ? AND seq <= ?",
            (model, upto_seq),
        ).fetchone()
        return int(count), int(total)

    def seq_keys(self, seqs: list[int]) -> dict[int, int]:
        """Passage key of each vector ``seq`` (seqs that no longer exist are left out)."""
        if not seqs:
            return {}
        rows = self._conn.execute(
            f"SELECT seq, passage FROM embeddings WHERE seq {IN_KEYS}", [_int_list(seqs)]
        )
        return {int(seq): int(key) for seq, key in rows}

    def bm25(self, text: str, k: int, papers: list[Paper] | None = None) -> list[tuple[int, float]]:
        """The ``k`` best passages for ``text`` by BM25, as (key, score), higher is better."""
        query = fts_query(text)
        if not query:
            return []
        where, args = self._paper_filter(papers, "p.paper")
        rows = self._conn.execute(
            "SELECT f.rowid, bm25(passages_fts) AS score FROM passages_fts f "
            "JOIN passages p ON p.rowid = f.rowid "
            f"WHERE passages_fts MATCH ?{where} ORDER BY score LIMIT ?",
            [query, *args, k],
        )
        return [(int(key), -float(score)) for key, score in rows]  # FTS5 bm25 is negative

    def passage_ids(self, keys: list[int]) -> dict[int, str]:
        """The content id of each passage key (keys that no longer exist are left out)."""
        if not keys:
            return {}
        sql = f"SELECT rowid, id FROM passages WHERE rowid {IN_KEYS}"
        rows = self._conn.execute(sql, [_int_list(keys)])
        return {int(key): str(ident) for key, ident in rows}

    def found(self, keys: list[int]) -> dict[int, Found]:
        """The passages with these keys, with their papers' titles."""
        if not keys:
            return {}
        rows = self._conn.execute(
            "SELECT s.rowid, s.record, json_extract(p.record, '$.title') FROM passages s "
            f"JOIN papers p ON p.id = s.paper WHERE s.rowid {IN_KEYS}",
            [_int_list(keys)],
        )
        return {
            int(key): Found(int(key), Passage.model_validate_json(record), title or "")
            for key, record, title in rows
        }

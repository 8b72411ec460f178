"""The SQLite store: one transaction per paper, replace/conflict rules, FTS kept in step."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from synth.core.errors import StoreFailure, SynthError
from synth.core.types import AddStatus, Paper, Passage, SourceKind
from synth.corpus.parsing.structure import sentences_page
from synth.corpus.store import Store, _Guarded, fts_query


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


def test_a_schema_that_fails_half_way_is_rolled_back_whole(tmp_path: Path) -> None:
    # A table left by something else makes a later schema statement fail (its index names a
    # column it lacks): the tables made before that statement must not stay behind, as
    # they would if each statement committed alone (a kill there left "papers" without
    # "passages" for a reader to trip on).
    path = tmp_path / "db.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE passages (x)")
    conn.close()
    with pytest.raises(sqlite3.OperationalError, match="paper"):
        Store(path)
    with sqlite3.connect(path) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master")]
        assert names == ["passages"]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


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
    with pytest.raises(StoreFailure, match="the corpus database is damaged") as caught:
        Store(path)
    assert "rename it" in (caught.value.hint or "")
    assert path.read_bytes() == b"this is not a database" * 100


def test_find_by_arxiv_id_needs_a_unique_match(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store.add(_paper("p_1", "2005.13013v1", arxiv_id="2005.13013"), [], [], False)
        assert store.find("arXiv:2005.13013v2") == store.get("p_1")
        store.add(_paper("p_2", "2005.13013", arxiv_id="2005.13013"), [], [], False)
        assert store.find("2005.13013v2") is None  # two versions stored: ask by paper_id
        assert store.find("not an id") is None


# --- embeddings, BM25 and the lookups retrieval uses ---------------------------------------

_MODEL = "test-model"


def _paper_with(store: Store, uid: str, paper_id: str, texts: list[str], title: str = "T") -> Paper:
    paper = Paper(id=uid, paper_id=paper_id, source=SourceKind.TEXT, title=title, path="/" + uid)
    passages = [_passage(paper_id, text, start=10 * i) for i, text in enumerate(texts)]
    store.add(paper, [], passages, False)
    return paper


def _unit_rows(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _embed_all(store: Store, model: str = _MODEL, seed: int = 0) -> tuple[list[int], np.ndarray]:
    keys = [key for key, _ in store.unembedded(model, 10_000)]
    matrix = _unit_rows(len(keys), seed=seed)
    store.put_vectors(model, keys, matrix)
    return keys, matrix


def test_vectors_round_trip_in_seq_order(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        _paper_with(store, "p_1", "a.txt", ["One.", "Two.", "Three."])
        keys, matrix = _embed_all(store)
        got = store.vectors(_MODEL)
        assert got.matrix.dtype == np.float32 and got.matrix.shape == (3, 8)
        assert got.keys.tolist() == keys
        assert np.array_equal(got.matrix, matrix)  # bit for bit
        assert got.seqs.tolist() == sorted(got.seqs.tolist())
        later = store.vectors(_MODEL, after_seq=int(got.seqs[0]))
        assert later.keys.tolist() == keys[1:]
        assert np.array_equal(later.matrix, matrix[1:])
        empty = store.vectors(_MODEL, after_seq=int(got.seqs[-1]))
        assert len(empty.seqs) == len(empty.keys) == 0 and empty.matrix.shape[0] == 0
        assert len(store.vectors("another-model").seqs) == 0


def test_unembedded_shrinks_as_vectors_are_stored(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        _paper_with(store, "p_1", "a.txt", ["Alpha.", "Beta.", "Gamma.", "Delta."])
        assert store.count_unembedded(_MODEL) == 4
        first = store.unembedded(_MODEL, 2)
        assert [text for _, text in first] == ["Alpha.", "Beta."]
        store.put_vectors(_MODEL, [key for key, _ in first], _unit_rows(2))
        assert store.count_unembedded(_MODEL) == 2
        assert [text for _, text in store.unembedded(_MODEL, 10)] == ["Gamma.", "Delta."]
        assert store.count_unembedded("another-model") == 4  # vectors are per model
        _embed_all(store)
        assert store.count_unembedded(_MODEL) == 0 and store.unembedded(_MODEL, 10) == []


def test_removing_a_paper_removes_its_vectors(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        gone = _paper_with(store, "p_1", "a.txt", ["Gone one.", "Gone two."])
        kept = _paper_with(store, "p_2", "b.txt", ["Kept."])
        _embed_all(store)
        assert len(store.vectors(_MODEL).seqs) == 3
        store.remove(gone)
        left = store.vectors(_MODEL)
        assert len(left.seqs) == 1
        assert store.found(left.keys.tolist())[int(left.keys[0])].passage.text == "Kept."
        assert store._conn.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 1
        assert store.vectors(_MODEL, papers=[kept]).keys.tolist() == left.keys.tolist()


def test_vector_stats_count_and_sum_seqs_up_to_a_bound(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        assert store.vector_stats(_MODEL, 10**9) == (0, 0)
        first = _paper_with(store, "p_1", "a.txt", ["One.", "Two."])
        _embed_all(store)
        _paper_with(store, "p_2", "b.txt", ["Three."])
        _embed_all(store, seed=1)
        seqs = store.vectors(_MODEL).seqs.tolist()
        assert store.vector_stats(_MODEL, seqs[-1]) == (3, sum(seqs))
        assert store.vector_stats(_MODEL, seqs[1]) == (2, seqs[0] + seqs[1])
        assert store.vector_stats("another-model", seqs[-1]) == (0, 0)
        store.remove(first)
        assert store.vector_stats(_MODEL, seqs[-1]) == (1, seqs[-1])


def test_seq_is_never_reused_after_a_removal(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        paper = _paper_with(store, "p_1", "a.txt", ["One.", "Two."])
        _embed_all(store)
        before = store.vectors(_MODEL).seqs.tolist()
        store.remove(paper)
        _paper_with(store, "p_1", "a.txt", ["One.", "Two."])  # the very same paper again
        _embed_all(store)
        after = store.vectors(_MODEL).seqs.tolist()
        assert len(after) == 2 and min(after) > max(before)
        assert store.seq_keys(before) == {}  # the old seqs name nothing any more
        assert store.seq_keys(after) == dict(
            zip(after, store.vectors(_MODEL).keys.tolist(), strict=True)
        )
        assert store.seq_keys([]) == {}


def test_replacing_a_vector_gives_it_a_new_seq(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        _paper_with(store, "p_1", "a.txt", ["One."])
        keys, _ = _embed_all(store)
        old = store.vectors(_MODEL).seqs.tolist()
        store.put_vectors(_MODEL, keys, _unit_rows(1, seed=5))
        new = store.vectors(_MODEL)
        assert len(new.seqs) == 1 and int(new.seqs[0]) > old[0]
        assert np.array_equal(new.matrix, _unit_rows(1, seed=5))
        assert store.vector_stats(_MODEL, old[0]) == (0, 0)  # an index holding old[0] is stale


def test_vectors_filtered_by_papers(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        a = _paper_with(store, "p_1", "a.txt", ["A one.", "A two."])
        b = _paper_with(store, "p_2", "b.txt", ["B one."])
        c = _paper_with(store, "p_3", "c.txt", ["C one.", "C two.", "C three."])
        _embed_all(store)
        found = store.found(store.vectors(_MODEL, papers=[a, c]).keys.tolist())
        assert sorted(f.passage.paper_id for f in found.values()) == ["a.txt"] * 2 + ["c.txt"] * 3
        only_b = store.vectors(_MODEL, papers=[b])
        assert [store.found([k])[k].passage.text for k in only_b.keys.tolist()] == ["B one."]
        assert len(store.vectors(_MODEL, papers=[]).seqs) == 0
        everything = store.vectors(_MODEL)
        assert len(store.vectors(_MODEL, after_seq=int(everything.seqs[2]), papers=[a]).seqs) == 0


def test_bm25_ranks_the_rare_word_first(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        _paper_with(
            store, "p_1", "a.txt",
            [
                "Sleep improves memory in adults.",
                "Sleep improves mood in adults.",
                "Sleep and the hippocampus: consolidation in adults.",
                "Sleep improves reading in adults.",
            ],
        )  # fmt: skip
        hits = store.bm25("does sleep consolidation help adults", 10)
        assert hits, "BM25 found nothing"
        top = store.found([hits[0][0]])[hits[0][0]]
        assert "consolidation" in top.passage.text
        scores = [score for _, score in hits]
        assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
        assert len(store.bm25("sleep", 2)) == 2  # k caps the answer
        assert store.bm25("consolidations", 10) == store.bm25("consolidating", 10) != []  # stemmed


def test_bm25_respects_the_paper_filter(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        a = _paper_with(store, "p_1", "a.txt", ["Coffee raises alertness."])
        b = _paper_with(store, "p_2", "b.txt", ["Coffee lowers sleep quality.", "Coffee."])
        everywhere = store.bm25("coffee", 10)
        assert len(everywhere) == 3
        in_b = store.bm25("coffee", 10, papers=[b])
        assert {store.found([k])[k].passage.paper_id for k, _ in in_b} == {"b.txt"}
        assert len(in_b) == 2
        assert [store.found([k])[k].passage.paper_id for k, _ in store.bm25("coffee", 10, [a])] == [
            "a.txt"
        ]
        assert store.bm25("coffee", 10, papers=[]) == []


@pytest.mark.parametrize("query", ["", "   ", "?! -- ...", "a I"])
def test_bm25_of_a_query_without_words_is_empty(tmp_path: Path, query: str) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        _paper_with(store, "p_1", "a.txt", ["A passage with words in it."])
        assert fts_query(query) == ""
        assert store.bm25(query, 10) == []


@pytest.mark.parametrize(
    "claim",
    [
        'The "gain" was 3.5 points',
        "transfer* learning helps",
        "NEAR(sleep memory, 2) holds",
        "sleep AND memory OR NOT coffee",
        "sleep - memory -coffee",
        "text: sleep improves memory",
        "col:val ^sleep {memory coffee} (unbalanced",
        'sleep" OR "x',
        "+ * : ^ ( ) { } [ ] \" ' - NEAR AND OR NOT",
    ],
)
def test_fts_syntax_in_a_claim_cannot_break_the_query(tmp_path: Path, claim: str) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        _paper_with(store, "p_1", "a.txt", ["Sleep improves memory.", "Coffee does not."])
        query = fts_query(claim)
        words = query.split(" OR ") if query else []
        assert all(w.startswith('"') and w.endswith('"') and w.count('"') == 2 for w in words)
        hits = store.bm25(claim, 10)  # no sqlite3.OperationalError
        assert all(score > 0 for _, score in hits)


def test_fts_query_lowercases_and_dedups() -> None:
    assert fts_query("Sleep sleep SLEEP memory 7 a") == '"sleep" OR "memory" OR "7"'


def test_passage_ids_maps_keys_to_content_ids_and_skips_unknown_keys(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        passage = _passage("a.txt", "Kept.")
        store.add(_paper("p_1", "a.txt"), [], [passage], False)
        ((key, _),) = store.bm25("kept", 1)
        assert store.passage_ids([key, 999]) == {key: passage.id}
        assert store.passage_ids([]) == {}


def test_key_sets_pass_a_low_limit_on_a_statements_variables(tmp_path: Path) -> None:
    # The retrieval tie-break asks for every passage of the papers a search names, and a
    # search may name many papers: key sets go as one value, so SQLite's limit on a
    # statement's variables (999 in older builds; 3 here) is never met.
    with Store(tmp_path / "db.sqlite") as store:
        papers = [_paper_with(store, f"p_{i}", f"{i}.txt", [f"Word {i} kept."]) for i in range(8)]
        keys, _ = _embed_all(store)
        store._conn._conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 3)  # inside the guard
        unknown = list(range(max(keys) + 1, max(keys) + 20))
        assert set(store.passage_ids([*unknown, *keys])) == set(keys)
        assert set(store.found([*unknown, *np.array(keys)])) == set(keys)  # numpy keys too
        seqs = store.vectors(_MODEL).seqs
        assert sorted(store.seq_keys([*seqs, 10_000])) == sorted(int(q) for q in seqs)
        assert len(store.vectors(_MODEL, papers=papers).keys) == 8
        assert len(store.bm25("kept", 20, papers=papers)) == 8
        assert store.count_unembedded(_MODEL, papers) == 0
        assert store.unembedded("other", 20, papers[:5]) != []


def test_found_returns_passages_with_their_titles(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        _paper_with(store, "p_1", "a.txt", ["First.", "Second."], title="Paper A")
        _paper_with(store, "p_2", "b.txt", ["Third."], title="")
        keys = [key for key, _ in store.unembedded(_MODEL, 10)]
        found = store.found(keys)
        assert set(found) == set(keys)
        assert [found[k].title for k in keys] == ["Paper A", "Paper A", ""]
        assert [found[k].passage.text for k in keys] == ["First.", "Second.", "Third."]
        assert all(found[k].key == k for k in keys)
        assert store.found([]) == {}
        assert store.found([max(keys) + 100]) == {}


def test_a_database_damaged_inside_fails_at_open_or_first_use_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    with Store(path) as store:
        for i in range(40):
            store.add(_paper(f"p_{i}", f"{i}.txt"), [], [], False)
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # the second page: a b-tree page turned to noise
    path.write_bytes(bytes(data))
    with pytest.raises(StoreFailure, match="damaged"), Store(path) as store:
        store.summaries()


def test_a_full_disk_is_a_store_failure(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store._conn.execute("PRAGMA max_page_count=8")  # the database cannot grow: "full"
        with pytest.raises(StoreFailure, match="disk full"):
            for i in range(200):
                store.add(_paper(f"p_{i}", f"{i}.txt", path="/" + "x" * 2000), [], [], False)


def test_summaries_filter_by_source_and_words_and_limit_in_sql(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for n, (title, source) in enumerate(
            [("Vitamin D and bones", SourceKind.JSONL), ("Coffee 100% pure", SourceKind.JSONL),
             ("vitamin C trials", SourceKind.PDF)]
        ):  # fmt: skip
            paper = Paper(id=f"u{n}", paper_id=f"doc_{n}", source=source, title=title)
            store.add(paper, [], [], replace=False)
        titles = lambda **kw: [s.paper.title for s in store.summaries(**kw)]  # noqa: E731
        assert titles(search="VITAMIN") == ["Vitamin D and bones", "vitamin C trials"]
        assert titles(search="vitamin bones") == ["Vitamin D and bones"]
        assert titles(source="pdf") == ["vitamin C trials"]
        assert titles(search="100%") == ["Coffee 100% pure"]  # % and _ are literal
        assert titles(search="doc_1") == ["Coffee 100% pure"]  # paper ids are searched
        assert titles(search="d_") == []  # "d " would match an unescaped _
        assert len(store.summaries(limit=2)) == 2 and store.summaries(limit=0) == []
        assert store.count_papers() == 3 and store.count_papers("jsonl", "vitamin") == 1


@pytest.mark.parametrize(
    ("ref", "hint"),
    [("2005.13013", "synth fetch 2005.13013"), ("nope", "synth corpus list")],
)
def test_a_missing_paper_suggests_fetch_only_for_an_arxiv_id(
    tmp_path: Path, ref: str, hint: str
) -> None:
    with Store(tmp_path / "s.db") as store, pytest.raises(SynthError) as caught:
        store.require(ref)
    assert hint in caught.value.hint
    assert ("synth fetch" in caught.value.hint) == (ref == "2005.13013")


def test_opening_while_another_process_creates_the_database_waits_for_it(tmp_path: Path) -> None:
    # another writer holds the new database's write lock (rollback journal, as before any
    # switch to WAL): SQLite answers the WAL switch "locked" at once, so the store retries
    path = tmp_path / "db.sqlite"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE early (x)")
    with pytest.raises(sqlite3.OperationalError, match="locked"):  # what a bare switch meets
        sqlite3.connect(path, timeout=5).execute("PRAGMA journal_mode=WAL")
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    with Store(path) as store:
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.summaries() == []
    release.join()
    other.close()


def test_a_lock_held_past_the_wait_is_one_line_with_a_remedy(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("CREATE TABLE early (x)")
    conn = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    with pytest.raises(
        StoreFailure, match="another process kept the corpus database locked"
    ) as err:
        _Guarded(conn, path).use_wal(wait=0.3)  # the WAL switch alone, with a short wait
    assert "run again" in (err.value.hint or "")
    conn.close()
    other.execute("ROLLBACK")
    other.close()

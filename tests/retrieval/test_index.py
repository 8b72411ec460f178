"""The FAISS index derived from stored vectors: built once, grown in place, rebuilt when the
database no longer matches it (removals, a damaged file, a lost manifest), exact or HNSW."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from synth.core.settings import IndexSettings, Settings
from synth.core.types import Paper, Passage, SourceKind
from synth.corpus.store import Store
from synth.retrieval.embed import normalise
from synth.retrieval.index import DenseIndex

MODEL = "fake-model"
DIM = 16


def _add_paper(store: Store, name: str, n: int) -> Paper:
    """A paper of ``n`` short passages (no vectors yet)."""
    paper = Paper(id=f"p_{name}", paper_id=name, source=SourceKind.TEXT, title=name.upper())
    passages = [
        Passage(
            paper_id=name, page_start=1, page_end=1, section="S",
            char_start=8 * i, char_end=8 * i + 7, text=f"{name} passage {i}.",
        )
        for i in range(n)
    ]  # fmt: skip
    store.add(paper, [], passages, False)
    return paper


def _random_unit(n: int, dim: int, seed: int) -> np.ndarray:
    return normalise(np.random.default_rng(seed).normal(size=(n, dim)))


def _embed(store: Store, seed: int, dim: int = DIM) -> np.ndarray:
    """Give every passage without a vector a random unit vector; the matrix stored."""
    keys = [key for key, _ in store.unembedded(MODEL, 10**9)]
    matrix = _random_unit(len(keys), dim, seed)
    store.put_vectors(MODEL, keys, matrix)
    return matrix


@pytest.fixture
def settings(synth_home: Path) -> Settings:
    found = Settings()
    assert found.home == synth_home
    return found


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store(settings.db_path) as opened:
        yield opened


def _index(settings: Settings, **update: int) -> DenseIndex:
    return DenseIndex(settings.index_dir, MODEL, settings.index.model_copy(update=update))


def test_first_sync_builds_an_exact_index(settings: Settings, store: Store) -> None:
    _add_paper(store, "a", 5)
    _embed(store, seed=1)
    index = _index(settings)
    assert index.size == 0 and index.kind is None and index.search(_random_unit(1, DIM, 0), 3) == []
    index.sync(store)
    assert index.rebuilt_because == "no index yet"
    assert index.kind == "flat" and index.size == 5
    assert index.path.exists() and index.manifest_path.exists()
    assert index.path.parent == settings.index_dir
    manifest = json.loads(index.manifest_path.read_text())
    assert manifest["count"] == 5 and manifest["kind"] == "flat" and manifest["dim"] == DIM
    index.sync(store)  # nothing new: nothing done
    assert index.rebuilt_because is None and index.size == 5


def test_search_returns_seqs_and_cosines_best_first(settings: Settings, store: Store) -> None:
    _add_paper(store, "a", 20)
    _embed(store, seed=2)
    index = _index(settings)
    index.sync(store)
    stored = store.vectors(MODEL)
    for row in (0, 7, 19):
        hits = index.search(stored.matrix[row], 5)
        assert len(hits) == 5
        assert hits[0][0] == int(stored.seqs[row])
        assert hits[0][1] == pytest.approx(1.0, abs=1e-5)  # a unit vector against itself
        cosines = [c for _, c in hits]
        assert cosines == sorted(cosines, reverse=True)
        expected = stored.matrix @ stored.matrix[row]  # cosines, the vectors being unit
        by_seq = dict(zip(stored.seqs.tolist(), expected.tolist(), strict=True))
        assert all(c == pytest.approx(by_seq[seq], abs=1e-5) for seq, c in hits)
    assert len(index.search(stored.matrix[0], 100)) == 20  # k past the size: every vector once


def test_search_refuses_a_query_of_another_dimension(settings: Settings, store: Store) -> None:
    from synth.core.errors import SynthError

    _add_paper(store, "a", 3)
    _embed(store, seed=3)
    index = _index(settings)
    index.sync(store)
    with pytest.raises(SynthError, match="dimensions"):
        index.search(_random_unit(1, DIM + 1, 0)[0], 3)


def test_new_papers_are_added_in_place(settings: Settings, store: Store) -> None:
    _add_paper(store, "a", 4)
    _embed(store, seed=4)
    index = _index(settings)
    index.sync(store)
    _add_paper(store, "b", 3)
    added = _embed(store, seed=5)
    index.sync(store)
    assert index.rebuilt_because is None  # incremental
    assert index.size == 7 and index.kind == "flat"
    stored = store.vectors(MODEL)
    assert index.search(added[1], 1)[0][0] == int(stored.seqs[5])
    # The grown index was saved: a fresh object loads it as it is.
    fresh = _index(settings)
    fresh.sync(store)
    assert fresh.rebuilt_because is None and fresh.size == 7
    assert fresh.search(added[2], 1)[0][0] == int(stored.seqs[6])


def test_removing_a_paper_rebuilds(settings: Settings, store: Store) -> None:
    a = _add_paper(store, "a", 4)
    _add_paper(store, "b", 3)
    _embed(store, seed=6)
    index = _index(settings)
    index.sync(store)
    store.remove(a)
    index.sync(store)
    assert index.rebuilt_because and "removed" in index.rebuilt_because
    assert index.size == 3
    left = store.vectors(MODEL)
    seqs = {seq for seq, _ in index.search(left.matrix[0], 10)}
    assert seqs == set(left.seqs.tolist())  # nothing of the removed paper is found
    fresh = _index(settings)  # and the rebuilt index was saved
    fresh.sync(store)
    assert fresh.rebuilt_because is None and fresh.size == 3


def test_a_removal_and_an_addition_together_still_rebuild(settings: Settings, store: Store) -> None:
    a = _add_paper(store, "a", 3)
    _embed(store, seed=7)
    index = _index(settings)
    index.sync(store)
    store.remove(a)
    _add_paper(store, "b", 3)  # the same count of vectors, under new seqs
    _embed(store, seed=8)
    index.sync(store)
    assert index.rebuilt_because is not None
    assert {s for s, _ in index.search(store.vectors(MODEL).matrix[0], 10)} == set(
        store.vectors(MODEL).seqs.tolist()
    )


def test_removing_every_paper_leaves_an_empty_index(settings: Settings, store: Store) -> None:
    a = _add_paper(store, "a", 3)
    _embed(store, seed=9)
    index = _index(settings)
    index.sync(store)
    store.remove(a)
    index.sync(store)
    assert index.rebuilt_because is not None and index.size == 0
    assert index.search(_random_unit(1, DIM, 0)[0], 5) == []
    _add_paper(store, "b", 2)
    matrix = _embed(store, seed=10)
    for fresh in (index, _index(settings)):  # the same object, or one reading the disk
        fresh.sync(store)
        assert fresh.size == 2
        assert fresh.search(matrix[1], 1)[0][0] == int(store.vectors(MODEL).seqs[1])


def test_a_corrupt_index_file_is_rebuilt(settings: Settings, store: Store) -> None:
    _add_paper(store, "a", 6)
    matrix = _embed(store, seed=11)
    _index(settings).sync(store)
    path = _index(settings).path
    path.write_bytes(b"\x00garbage, not a faiss index\xff" * 7)
    index = _index(settings)
    index.sync(store)
    assert index.rebuilt_because and "unreadable" in index.rebuilt_because
    assert index.size == 6
    assert index.search(matrix[3], 1)[0][0] == int(store.vectors(MODEL).seqs[3])
    assert path.read_bytes()[:8] != b"\x00garbag"  # rewritten


def test_a_truncated_index_file_is_rebuilt(settings: Settings, store: Store) -> None:
    _add_paper(store, "a", 6)
    matrix = _embed(store, seed=12)
    _index(settings).sync(store)
    path = _index(settings).path
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    index = _index(settings)
    index.sync(store)
    assert index.rebuilt_because is not None and index.size == 6
    assert index.search(matrix[0], 1)[0][0] == int(store.vectors(MODEL).seqs[0])


def test_a_missing_manifest_means_a_rebuild(settings: Settings, store: Store) -> None:
    _add_paper(store, "a", 5)
    matrix = _embed(store, seed=13)
    _index(settings).sync(store)
    _index(settings).manifest_path.unlink()
    index = _index(settings)
    index.sync(store)
    assert index.rebuilt_because == "its manifest is missing"
    assert index.size == 5 and index.manifest_path.exists()
    assert index.search(matrix[4], 1)[0][0] == int(store.vectors(MODEL).seqs[4])


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"model": "fake-model"}', "null"])
def test_an_unreadable_manifest_means_a_rebuild(
    settings: Settings, store: Store, text: str
) -> None:
    _add_paper(store, "a", 5)
    matrix = _embed(store, seed=14)
    _index(settings).sync(store)
    _index(settings).manifest_path.write_text(text)
    index = _index(settings)
    index.sync(store)
    assert index.rebuilt_because is not None and index.size == 5
    assert index.search(matrix[2], 1)[0][0] == int(store.vectors(MODEL).seqs[2])


def test_a_manifest_that_lies_about_the_count_means_a_rebuild(
    settings: Settings, store: Store
) -> None:
    _add_paper(store, "a", 5)
    _embed(store, seed=15)
    _index(settings).sync(store)
    manifest_path = _index(settings).manifest_path
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "count": 4}))
    index = _index(settings)
    index.sync(store)
    assert index.rebuilt_because == "the index file does not match its manifest"
    assert index.size == 5


def test_another_models_index_is_its_own_file(settings: Settings, store: Store) -> None:
    _add_paper(store, "a", 3)
    _embed(store, seed=16)
    ours = _index(settings)
    ours.sync(store)
    theirs = DenseIndex(settings.index_dir, "other-model", settings.index)
    assert theirs.path != ours.path
    theirs.sync(store)  # no vectors for that model
    assert theirs.size == 0 and theirs.search(_random_unit(1, DIM, 0)[0], 3) == []


def test_growing_past_exact_max_switches_to_hnsw(settings: Settings, store: Store) -> None:
    _add_paper(store, "a", 5)
    _embed(store, seed=17)
    index = _index(settings, exact_max=8)
    index.sync(store)
    assert index.kind == "flat"
    _add_paper(store, "b", 3)  # 8 in all: still exact
    _embed(store, seed=18)
    index.sync(store)
    assert index.rebuilt_because is None and index.kind == "flat" and index.size == 8
    _add_paper(store, "c", 4)  # 12: past exact_max
    added = _embed(store, seed=19)
    index.sync(store)
    assert index.rebuilt_because and "grew past 8" in index.rebuilt_because
    assert index.kind == "hnsw" and index.size == 12
    assert index.search(added[0], 1)[0] == (
        int(store.vectors(MODEL).seqs[8]),
        pytest.approx(1.0, abs=1e-5),
    )
    fresh = _index(settings, exact_max=8)
    fresh.sync(store)
    assert fresh.rebuilt_because is None and fresh.kind == "hnsw"


def _clustered(n: int, dim: int, centres: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    middles = normalise(rng.normal(size=(centres, dim)))
    points = middles[rng.integers(0, centres, n)] + 0.15 * rng.normal(size=(n, dim))
    return normalise(points), middles


def test_hnsw_recall_against_exact_search(settings: Settings, store: Store) -> None:
    n, dim, queries, k = 5_000, 64, 200, 10
    _add_paper(store, "many", n)
    points, middles = _clustered(n, dim, 50, seed=20)
    keys = [key for key, _ in store.unembedded(MODEL, n)]
    store.put_vectors(MODEL, keys, points)

    exact = DenseIndex(settings.index_dir / "exact", MODEL, IndexSettings(exact_max=10**9))
    approx = DenseIndex(settings.index_dir / "hnsw", MODEL, IndexSettings(exact_max=0))
    exact.sync(store)
    approx.sync(store)
    assert exact.kind == "flat" and approx.kind == "hnsw"
    assert exact.size == approx.size == n

    rng = np.random.default_rng(21)
    near = middles[rng.integers(0, len(middles), queries)] + 0.15 * rng.normal(size=(queries, dim))
    found = 0
    for query in normalise(near):
        truth = {seq for seq, _ in exact.search(query, k)}
        assert len(truth) == k
        found += len(truth & {seq for seq, _ in approx.search(query, k)})
    recall = found / (queries * k)
    print(f"HNSW recall@{k} against exact search: {recall:.4f}")
    assert recall >= 0.95


def test_a_changed_ef_search_applies_to_a_loaded_index(settings: Settings, store: Store) -> None:
    import faiss

    _add_paper(store, "a", 20)
    _embed(store, seed=22)
    _index(settings, exact_max=0, hnsw_ef_search=16).sync(store)
    index = _index(settings, exact_max=0, hnsw_ef_search=256)
    index.sync(store)
    assert index.rebuilt_because is None and index.kind == "hnsw"
    assert faiss.downcast_index(index._index.index).hnsw.efSearch == 256

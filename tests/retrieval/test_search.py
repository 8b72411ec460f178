"""Hybrid retrieval end to end over a small hand-written corpus, with a deterministic
bag-of-words embedder and rerankers written here (no models, no mocks)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fakes import HashingEmbedder

from synth.core.errors import SynthError
from synth.core.settings import ChunkSettings, Settings
from synth.core.types import Paper, SourceKind, content_id
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.parsing.structure import sentences_page
from synth.corpus.store import Store
from synth.retrieval.search import Hit, Reranker, Retriever


class ReversedReranker(Reranker):
    """Scores the candidates so that their order is reversed: the last is the best."""

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        self.seen.append(list(texts))
        return [float(i) for i in range(len(texts))]


class KeywordReranker(Reranker):
    """One point per occurrence of the keyword."""

    def __init__(self, keyword: str) -> None:
        self.keyword = keyword

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        return [float(t.lower().count(self.keyword)) for t in texts]


CORPUS = {
    "sleep.txt": (
        "Sleep and Memory in Later Life",
        [
            "A short nap after lunch improves memory recall in older adults.",
            "Students who slept eight hours remembered more word pairs the next morning.",
        ],
    ),
    "coffee.txt": (
        "Evening Coffee",
        [
            "Coffee in the evening delays sleep onset by forty minutes.",
            "Caffeine raises alertness for several hours.",
        ],
    ),
    "walking.txt": (
        "Walking and Mood",
        [
            "Daily walks improve mood in older adults.",
            "Running three times a week lowers resting heart rate.",
        ],
    ),
    "mice.txt": (
        "A Rodent Study",
        [
            "Zolpidemine was given to caged rodents kept under bright light for two weeks "
            "while a technician logged their weight, fur condition and food intake."
        ],
    ),
}


def _add(store: Store, paper_id: str, title: str, sentences: list[str]) -> Paper:
    paper = Paper(
        id=content_id("p", paper_id, *sentences), paper_id=paper_id, source=SourceKind.TEXT,
        title=title, path=f"/corpus/{paper_id}",
    )  # fmt: skip
    page = sentences_page(sentences)
    passages = chunk_page(page, paper_id, ChunkSettings(max_sentences=1))
    assert [p.text for p in passages] == sentences  # one passage per sentence
    store.add(paper, [page], passages, False)
    return paper


def _settings(**retrieve: int | None) -> Settings:
    settings = Settings()
    return settings.model_copy(update={"retrieve": settings.retrieve.model_copy(update=retrieve)})


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(Settings().db_path) as opened:
        yield opened


@pytest.fixture
def papers(store: Store) -> dict[str, Paper]:
    return {pid: _add(store, pid, title, texts) for pid, (title, texts) in CORPUS.items()}


def _texts(hits: list[Hit]) -> list[str]:
    return [h.found.passage.text for h in hits]


def test_the_relevant_passage_comes_first(store: Store, papers: dict[str, Paper]) -> None:
    retriever = Retriever(store, HashingEmbedder(), _settings(top_k=3))
    hits = retriever.search("Does coffee in the evening delay sleep onset?")
    assert len(hits) == 3
    assert hits[0].found.passage.text.startswith("Coffee in the evening delays sleep onset")
    assert hits[0].found.title == "Evening Coffee"
    assert hits[0].found.passage.paper_id == "coffee.txt"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)

    hits = retriever.search("a nap after lunch improves memory recall")
    assert hits[0].found.passage.text.startswith("A short nap after lunch")
    assert hits[0].found.title == "Sleep and Memory in Later Life"


def test_search_prepares_on_first_use_and_caps_at_top_k(
    store: Store, papers: dict[str, Paper]
) -> None:
    embedder = HashingEmbedder()
    retriever = Retriever(store, embedder, _settings(top_k=2))
    assert retriever.index.size == 0
    hits = retriever.search("older adults")
    assert len(hits) == 2 and retriever.index.size == 7
    assert {h.found.passage.paper_id for h in hits} == {"sleep.txt", "walking.txt"}


def test_top_k_is_read_from_the_environment(
    store: Store, papers: dict[str, Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTH_RETRIEVE_TOP_K", "4")
    settings = Settings()
    assert settings.retrieve.top_k == 4
    assert len(Retriever(store, HashingEmbedder(), settings).search("sleep")) == 4


def test_restriction_to_papers(store: Store, papers: dict[str, Paper]) -> None:
    retriever = Retriever(store, HashingEmbedder(), _settings(top_k=10, max_papers=None))
    claim = "older adults sleep and improve memory and mood"
    everywhere = retriever.search(claim)
    assert {h.found.passage.paper_id for h in everywhere} == set(CORPUS)
    only = retriever.search(claim, papers=[papers["coffee.txt"], papers["mice.txt"]])
    assert {h.found.passage.paper_id for h in only} == {"coffee.txt", "mice.txt"}
    assert len(only) == 3  # every passage of those papers, none of the others
    walking = retriever.search("sleep onset coffee", papers=[papers["walking.txt"]])
    assert {h.found.passage.paper_id for h in walking} == {"walking.txt"}
    assert all(h.dense is not None for h in walking)  # the restricted dense side is exact
    by_text = {h.found.passage.text: h for h in retriever.search("sleep onset coffee")}
    for hit in walking:
        assert hit.dense == pytest.approx(by_text[hit.found.passage.text].dense, abs=1e-5)


def test_an_empty_corpus_is_refused(store: Store) -> None:
    retriever = Retriever(store, HashingEmbedder(), _settings())
    with pytest.raises(SynthError, match="corpus is empty") as caught:
        retriever.prepare()
    assert "synth add" in (caught.value.hint or "")
    with pytest.raises(SynthError, match="corpus is empty"):
        retriever.search("anything at all")


def test_passages_are_embedded_once(store: Store, papers: dict[str, Paper]) -> None:
    embedder = HashingEmbedder()
    progress: list[tuple[str, float, float | None]] = []

    class Sink:
        def update(self, task: str, done: float, total: float | None) -> None:
            progress.append((task, done, total))

    Retriever(store, embedder, _settings(), progress=Sink()).prepare()
    assert embedder.calls == 1 and len(embedder.encoded) == 7
    assert progress == [("embedding passages", 7, 7)]
    assert store.count_unembedded(embedder.name) == 0

    again = Retriever(store, embedder, _settings())  # a new run over the same store
    again.prepare()
    assert embedder.calls == 1  # nothing left to embed
    assert again.index.rebuilt_because is None and again.index.size == 7

    _add(store, "new.txt", "New", ["Green tea lowers blood pressure slightly."])
    embedder.encoded.clear()
    again.prepare()
    assert embedder.encoded == ["Green tea lowers blood pressure slightly."]
    assert again.index.rebuilt_because is None and again.index.size == 8

    embedder.encoded.clear()
    hits = again.search("green tea blood pressure")
    assert embedder.encoded == ["green tea blood pressure"]  # only the query
    assert hits[0].found.passage.paper_id == "new.txt"


def test_another_embedder_gets_its_own_vectors(store: Store, papers: dict[str, Paper]) -> None:
    first, second = HashingEmbedder("hash-a"), HashingEmbedder("hash-b", dim=32)
    Retriever(store, first, _settings()).prepare()
    retriever = Retriever(store, second, _settings())
    retriever.prepare()
    assert len(second.encoded) == 7 and retriever.index.size == 7
    assert retriever.search("caffeine alertness")[0].found.passage.text.startswith("Caffeine")


def test_a_passage_only_bm25_finds_still_comes_through(
    store: Store, papers: dict[str, Paper]
) -> None:
    """The rare word is one among many in a long passage, so the bag-of-words vector
    barely points at it; BM25 weighs it by rarity and fusion keeps it."""
    claim = "Zolpidemine improves memory recall in older adults"
    embedder = HashingEmbedder()
    retriever = Retriever(store, embedder, _settings(dense_k=2, sparse_k=10, top_k=3))
    retriever.prepare()
    rare_text = CORPUS["mice.txt"][1][0]
    dense_seqs = retriever.index.search(embedder.encode([claim])[0], 2)
    dense_texts = {
        store.found([k])[k].passage.text
        for k in store.seq_keys([s for s, _ in dense_seqs]).values()
    }
    assert rare_text not in dense_texts  # the dense side alone misses it

    hits = retriever.search(claim)
    by_text = {h.found.passage.text: h for h in hits}
    assert rare_text in by_text
    hit = by_text[rare_text]
    assert hit.dense is None and hit.sparse is not None and hit.sparse > 0
    assert hit.found.key in [key for key, _ in store.bm25(claim, 10)]


def test_dense_and_sparse_are_set_by_the_side_that_found_it(
    store: Store, papers: dict[str, Paper]
) -> None:
    embedder = HashingEmbedder()
    retriever = Retriever(store, embedder, _settings(dense_k=10, sparse_k=10, top_k=10))
    claim = "caffeine raises alertness"
    hits = {h.found.passage.text: h for h in retriever.search(claim)}
    both = hits["Caffeine raises alertness for several hours."]
    assert both.sparse is not None and both.sparse > 0
    query = embedder.encode([claim])[0]
    expected = float(embedder.encode([both.found.passage.text])[0] @ query)
    assert both.dense == pytest.approx(expected, abs=1e-5) and both.dense > 0.5
    dense_only = hits["Daily walks improve mood in older adults."]  # shares no word
    assert dense_only.sparse is None and dense_only.dense is not None
    assert next(iter(hits)) == both.found.passage.text  # found by both: fused first


def test_a_reranker_reorders_and_cuts_to_top_k(store: Store, papers: dict[str, Paper]) -> None:
    claim = "older adults sleep memory coffee mood"
    pool = Retriever(store, HashingEmbedder(), _settings(top_k=6)).search(claim)
    assert len(pool) == 6
    reranker = ReversedReranker()
    hits = Retriever(store, HashingEmbedder(), _settings(top_k=2), reranker).search(claim)
    assert reranker.seen == [_texts(pool)]  # it saw top_k * 3 fused candidates, in order
    assert _texts(hits) == _texts(pool)[::-1][:2]
    assert [h.score for h in hits] == [5.0, 4.0]  # the reranker's scores
    assert [(h.dense, h.sparse) for h in hits] == [(h.dense, h.sparse) for h in pool[::-1][:2]]

    keyword = Retriever(store, HashingEmbedder(), _settings(top_k=1), KeywordReranker("coffee"))
    (best,) = keyword.search(claim)
    assert best.found.passage.text.startswith("Coffee in the evening")
    assert best.score == 1.0


def test_whole_corpus_evidence_comes_from_the_best_papers(
    store: Store, papers: dict[str, Paper]
) -> None:
    claim = "older adults sleep and improve memory and mood"
    ranked = Retriever(store, HashingEmbedder(), _settings(top_k=10, max_papers=None))
    best = ranked.search(claim)[0].found.passage.paper_id
    limited = Retriever(store, HashingEmbedder(), _settings(top_k=10, max_papers=1))
    assert {h.found.passage.paper_id for h in limited.search(claim)} == {best}


def test_the_same_papers_give_the_same_evidence_whatever_the_store_history(
    tmp_path: Path,
) -> None:
    # Two papers state one sentence word for word, so its two passages tie on both sides.
    # Stored (numbered) and embedded in opposite orders, two stores must still rank them
    # alike: ties go by passage id, not by the order a store happened to take them in.
    shared = "Melatonin shortens the time taken to fall asleep."
    texts = {
        "a.txt": [shared, "Light at night delays melatonin release."],
        "b.txt": [shared, "Naps after lunch help recall."],
    }
    found = []
    for order in (["a.txt", "b.txt"], ["b.txt", "a.txt"]):
        settings = Settings(home=tmp_path / order[0])
        settings = settings.model_copy(
            update={"retrieve": settings.retrieve.model_copy(update={"max_papers": None})}
        )
        with Store(settings.db_path) as store:
            papers = [_add(store, pid, "Sleep", texts[pid]) for pid in order]
            retriever = Retriever(store, HashingEmbedder(), settings)
            named = retriever.search(shared, papers)  # embeds in the order named
            whole = retriever.search(shared)
            found.append([[h.found.passage.id for h in hits] for hits in (named, whole)])
    assert found[0] == found[1]
    assert len(found[0][0]) == 4

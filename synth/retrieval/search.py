"""Hybrid retrieval: BM25 (SQLite FTS5) and dense (FAISS) candidates fused by reciprocal
rank, optionally re-ranked by a cross-encoder, restricted to given papers on request.
Searching the whole corpus, the evidence comes from the ``max_papers`` best-ranked papers.

Passages are embedded on first use and their vectors kept in the database, so each passage
is embedded once; :meth:`Retriever.prepare` embeds what is new and syncs the index."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from synth.core.errors import SynthError
from synth.core.models import load_error, resolve_model
from synth.core.progress import NoProgress, ProgressSink
from synth.core.settings import Settings
from synth.core.types import Paper
from synth.corpus.store import Found, Store
from synth.retrieval.embed import Embedder
from synth.retrieval.fusion import first_groups, rank, reciprocal_rank_fusion, top_k
from synth.retrieval.index import DenseIndex

EMBED_BATCH = 512  # passages embedded and stored per transaction
SCORE_DECIMALS = 5  # retrieval scores closer than this tie (and go by passage id)


@dataclass(frozen=True)
class Hit:
    found: Found
    score: float  # the fused (or re-ranked) score
    dense: float | None  # cosine, when the dense side found it
    sparse: float | None  # BM25, when the sparse side found it


class Reranker(ABC):
    @abstractmethod
    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        """A relevance score per text; higher is more relevant."""


class CrossEncoderReranker(Reranker):
    """A sentence-transformers cross-encoder (e.g. an MS MARCO one), by folder or hub id."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._model: Any = None

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        if self._model is None:
            from sentence_transformers import CrossEncoder

            try:
                self._model = CrossEncoder(resolve_model(self.name))
            except (OSError, ValueError) as exc:
                raise load_error(self.name, exc) from exc
        return [float(s) for s in self._model.predict([(query, t) for t in texts])]


class Retriever:
    def __init__(
        self, store: Store, embedder: Embedder, settings: Settings,
        reranker: Reranker | None = None, progress: ProgressSink | None = None,
    ) -> None:  # fmt: skip
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.reranker = reranker
        self.progress = progress or NoProgress()
        self.index = DenseIndex(settings.index_dir, embedder.name, settings.index)
        self._ready = False

    def prepare(self) -> None:
        """Embed passages that have no vector yet, then bring the index up to date."""
        if self.store.count_passages() == 0:
            raise SynthError(
                "the corpus is empty",
                "add papers first: synth fetch 2005.13013, or synth add paper.pdf",
            )
        self.embed_pending()
        self.index.sync(self.store)
        self._ready = True

    def embed_pending(self, papers: list[Paper] | None = None) -> None:
        """Embed and store every passage (of ``papers``, when given) that has no vector for
        this embedder yet."""
        pending = self.store.count_unembedded(self.embedder.name, papers)
        done = 0
        while batch := self.store.unembedded(self.embedder.name, EMBED_BATCH, papers):
            keys, texts = zip(*batch, strict=True)
            self.store.put_vectors(self.embedder.name, list(keys), self.embedder.encode(texts))
            done += len(batch)
            self.progress.update("embedding passages", done, pending)

    def _dense(self, query: np.ndarray, papers: list[Paper] | None) -> list[tuple[int, float]]:
        """(key, cosine) of the index's ``dense_k`` nearest passages, or of every passage of
        ``papers`` (few: searched exactly, cut to ``dense_k`` once ranked)."""
        if papers is None:
            hits = self.index.search(query, self.settings.retrieve.dense_k)
            keys = self.store.seq_keys([seq for seq, _ in hits])
            return [(keys[seq], s) for seq, s in hits if seq in keys]
        vectors = self.store.vectors(self.embedder.name, papers=papers)  # small: exact search
        sims = vectors.matrix @ query if len(vectors.keys) else []
        return [(int(key), float(sim)) for key, sim in zip(vectors.keys, sims, strict=True)]

    def search(self, claim: str, papers: list[Paper] | None = None) -> list[Hit]:
        """The best ``top_k`` passages for ``claim`` (within ``papers`` when given: only
        their passages are embedded, and the whole-corpus index is not needed)."""
        if papers is not None:
            self.embed_pending(papers)
        elif not self._ready:
            self.prepare()
        cfg = self.settings.retrieve
        scored = self._dense(self.embedder.encode([claim])[0], papers)
        bm25 = self.store.bm25(claim, cfg.sparse_k, papers)
        # Equal scores (a passage stored twice; vectors of one text differ in the 7th place
        # with the batch they were embedded in) go by passage id, not by the order the store
        # happened to embed or number them in: the same papers give the same evidence.
        ids = self.store.passage_ids([key for key, _ in (*scored, *bm25)])
        by_dense, by_bm25 = (rank(hits, lambda key: ids.get(key, ""), SCORE_DECIMALS)
                             for hits in (scored, bm25))  # fmt: skip
        by_dense = by_dense[: cfg.dense_k]
        kept_dense = set(by_dense)
        dense = {key: score for key, score in scored if key in kept_dense}
        sparse = dict(bm25)
        fused = reciprocal_rank_fusion([by_dense, by_bm25], k=cfg.rrf_k)
        size = cfg.top_k * 3 if self.reranker else cfg.top_k
        limit = cfg.max_papers if papers is None else None  # named papers are all kept
        pool = fused[: size * 5 if limit else size]
        found = self.store.found([key for key, _ in pool])
        keys = [key for key, _ in pool if key in found]
        kept = set(first_groups(keys, lambda k: found[k].passage.paper_id, limit, size))
        hits = [
            Hit(found[key], score, dense.get(key), sparse.get(key))
            for key, score in pool
            if key in kept
        ]
        if self.reranker and hits:
            scores = self.reranker.scores(claim, [h.found.passage.text for h in hits])
            hits = [
                Hit(hits[i].found, scores[i], hits[i].dense, hits[i].sparse)
                for i in top_k(scores, cfg.top_k)
            ]
        return hits

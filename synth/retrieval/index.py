"""The FAISS index over stored passage vectors, kept under ``SYNTH_HOME/index``.

The database is the source of truth: it holds every vector. The index is derived from it
and carries a manifest saying which vectors it holds (their count and the sum of their
ever-growing ``seq`` ids up to the highest one). On each use :meth:`DenseIndex.sync`
compares that with the database: new vectors are added in place; a removed paper, a
missing, unreadable or mismatched file means a rebuild from the stored vectors. Up to
``exact_max`` vectors the index is exact (inner product on unit vectors = cosine); above,
HNSW."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from synth.core.errors import SynthError
from synth.core.settings import IndexSettings
from synth.core.types import content_id
from synth.corpus.store import Store
from synth.retrieval.embed import Matrix

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Manifest:
    model: str
    kind: str  # "flat" or "hnsw"
    dim: int
    count: int
    max_seq: int
    seq_sum: int
    version: int = MANIFEST_VERSION


def build_faiss(kind: str, dim: int, settings: IndexSettings) -> Any:
    """An empty id-mapped index of the given kind, for unit vectors (inner product)."""
    import faiss

    inner: Any
    if kind == "flat":
        inner = faiss.IndexFlatIP(dim)
    else:
        inner = faiss.IndexHNSWFlat(dim, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = settings.hnsw_ef_construction
        inner.hnsw.efSearch = settings.hnsw_ef_search
    return faiss.IndexIDMap2(inner)


class DenseIndex:
    def __init__(self, folder: Path, model: str, settings: IndexSettings) -> None:
        slug = content_id("ix", model)
        self.path = folder / f"{slug}.faiss"
        self.manifest_path = folder / f"{slug}.json"
        self.model = model
        self.settings = settings
        self.rebuilt_because: str | None = None  # why the last sync rebuilt, for the user
        self._index: Any = None
        self._manifest: Manifest | None = None

    def _kind(self, count: int) -> str:
        return "flat" if count <= self.settings.exact_max else "hnsw"

    def _load(self) -> str | None:
        """Read the index from disk; the reason it cannot be used, or None."""
        import faiss

        if not self.path.exists() or not self.manifest_path.exists():
            return "no index yet" if not self.path.exists() else "its manifest is missing"
        try:
            manifest = Manifest(**json.loads(self.manifest_path.read_text(encoding="utf-8")))
            index: Any = faiss.read_index(str(self.path))
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            return f"the index file is unreadable ({type(exc).__name__})"
        if manifest.version != MANIFEST_VERSION or manifest.model != self.model:
            return "it was built by another version or model"
        if index.ntotal != manifest.count:
            return "the index file does not match its manifest"
        if manifest.kind != self._kind(manifest.count):
            return "the exact/approximate threshold (SYNTH_INDEX_EXACT_MAX) changed"
        if manifest.kind == "hnsw":  # efSearch is saved in the file; the setting wins
            inner: Any = faiss.downcast_index(index.index)
            inner.hnsw.efSearch = self.settings.hnsw_ef_search
        self._index, self._manifest = index, manifest
        return None

    def _save(self, manifest: Manifest) -> None:
        """Write index then manifest, each via a temporary file and an atomic rename."""
        import faiss

        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".faiss.tmp")
        faiss.write_index(self._index, str(tmp))
        os.replace(tmp, self.path)
        tmp_manifest = self.manifest_path.with_suffix(".json.tmp")
        tmp_manifest.write_text(json.dumps(manifest.__dict__), encoding="utf-8")
        os.replace(tmp_manifest, self.manifest_path)
        self._manifest = manifest

    def _rebuild(self, store: Store, reason: str) -> None:
        vectors = store.vectors(self.model)
        count = len(vectors.seqs)
        dim = vectors.matrix.shape[1] if count else 0
        self._index = build_faiss(self._kind(count), dim, self.settings) if count else None
        if count:
            self._index.add_with_ids(vectors.matrix, vectors.seqs)
        self.rebuilt_because = reason
        max_seq = int(vectors.seqs.max()) if count else 0
        manifest = Manifest(
            self.model, self._kind(count), dim, count, max_seq, int(vectors.seqs.sum())
        )
        if count:
            self._save(manifest)
        else:  # nothing to index: drop stale files so they are not loaded again
            self.path.unlink(missing_ok=True)
            self.manifest_path.unlink(missing_ok=True)
            self._manifest = manifest

    def sync(self, store: Store) -> None:
        """Bring the index in line with the stored vectors (add new ones, or rebuild)."""
        self.rebuilt_because = None
        reason = self._load() if self._index is None else None
        manifest = self._manifest
        if reason is None and manifest is not None:
            if store.vector_stats(self.model, manifest.max_seq) != (
                manifest.count, manifest.seq_sum,
            ):  # fmt: skip
                reason = "papers were removed or replaced since it was built"
            else:
                new = store.vectors(self.model, after_seq=manifest.max_seq)
                total = manifest.count + len(new.seqs)
                if not len(new.seqs):
                    return
                if self._kind(total) != manifest.kind:
                    reason = f"the corpus grew past {self.settings.exact_max} passages"
                else:
                    self._index.add_with_ids(new.matrix, new.seqs)
                    self._save(
                        Manifest(
                            self.model,
                            manifest.kind,
                            manifest.dim,
                            total,
                            int(new.seqs.max()),
                            manifest.seq_sum + int(new.seqs.sum()),
                        )
                    )
                    return
        self._rebuild(store, reason or "no index yet")

    @property
    def size(self) -> int:
        return self._manifest.count if self._manifest else 0

    @property
    def kind(self) -> str | None:
        return self._manifest.kind if self._manifest else None

    def search(self, query: Matrix, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest stored vectors to one query as (seq, cosine), best first."""
        if self._index is None or self.size == 0:
            return []
        if query.shape[-1] != self._manifest.dim:  # type: ignore[union-attr]
            raise SynthError(
                f"the query has {query.shape[-1]} dimensions, the index {self._manifest.dim}",  # type: ignore[union-attr]
                "embed queries with the model the corpus was embedded with",
            )
        scores, ids = self._index.search(np.ascontiguousarray(query.reshape(1, -1)), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

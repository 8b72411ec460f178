"""Keeping a home in order: the search index built ahead of time, and the caches synth
fills (downloaded arXiv PDFs, the SNLI archive, the Hugging Face hub's model downloads),
listed with their size and cleared on request (the hub cache only when named: other
programs share it). Also the checks of the names and filters the corpus calls take."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from synth.core.arxiv_ids import parse_arxiv_id
from synth.core.errors import BadInput, SynthError
from synth.core.types import SourceKind

if TYPE_CHECKING:
    from synth.core.progress import ProgressSink
    from synth.core.settings import Settings
    from synth.corpus.store import Store
    from synth.retrieval.embed import Embedder

CACHES = ("pdf", "snli", "hub")
CLEARABLE = (*CACHES, "all")  # all: pdf and snli, never the shared hub cache


@dataclass(frozen=True)
class Cache:
    """One cache folder: its name, where it is, and what it holds (0 when missing)."""

    name: str
    path: Path
    bytes: int
    files: int


def hub_cache() -> Path:
    """The Hugging Face hub cache (``HF_HUB_CACHE``, else under ``HF_HOME``)."""
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def folders(settings: Settings) -> dict[str, Path]:
    """Each cache's folder by name."""
    return {
        "pdf": settings.pdf_cache,
        "snli": settings.snli_cache,
        "hub": hub_cache(),
    }


def measure(name: str, path: Path) -> Cache:
    """What the folder ``path`` holds: its files and their bytes (links not followed)."""
    size = files = 0
    for root, _, names in os.walk(path):
        for file in names:
            info = Path(root, file).lstat()
            size, files = size + info.st_size, files + 1
    return Cache(name, path, size, files)


def list_caches(settings: Settings) -> list[Cache]:
    """Every cache with its size.

    Args:
        settings: Where synth keeps its state.

    Returns:
        One :class:`Cache` per name of :data:`CACHES`, in that order.
    """
    return [measure(name, path) for name, path in folders(settings).items()]


def clear_caches(settings: Settings, which: str) -> list[Cache]:
    """Delete the named cache's folder (``all``: the PDF and SNLI caches).

    Args:
        settings: Where synth keeps its state.
        which: ``pdf``, ``snli``, ``hub`` or ``all``.

    Returns:
        The caches cleared, as they were before.

    Raises:
        BadInput: ``which`` names no cache.
    """
    if which not in CLEARABLE:
        raise BadInput(f"unknown cache {which!r}", f"use one of: {', '.join(CLEARABLE)}")
    chosen = ("pdf", "snli") if which == "all" else (which,)
    found = folders(settings)
    cleared = []
    for name in chosen:
        cache = measure(name, found[name])
        shutil.rmtree(cache.path, ignore_errors=True)
        cleared.append(cache)
    return cleared


@dataclass(frozen=True)
class IndexSummary:
    """What :meth:`Session.index` did: passages in the corpus, those it embedded now, the
    embedding model, the index file, and why the index was rebuilt (None: it was not)."""

    passages: int
    embedded: int
    model: str
    path: Path
    rebuilt_because: str | None


def check_name(paper_id: str, files: int) -> None:
    """Refuse a ``paper_id`` for other than one file, an empty one, or one shaped like an
    arXiv id."""

    if files != 1:
        raise BadInput(f"--id names one paper, and {files} files were given",
                       "add the files one at a time, each with its --id")  # fmt: skip
    if not paper_id.strip() or paper_id != paper_id.strip():
        raise BadInput(f"--id {paper_id!r}: empty, or spaces around it", "e.g. --id notes-2024.md")
    try:
        parse_arxiv_id(paper_id)
    except SynthError:
        return
    raise BadInput(f"--id {paper_id}: that is an arXiv id, which fetched papers are stored under",
                   "choose another name, e.g. --id my-notes.md")  # fmt: skip


def check_listing(limit: int | None, source: str | None) -> None:
    """Refuse a negative ``limit`` or a ``source`` that is not a :class:`SourceKind`."""
    if limit is not None and limit < 0:
        raise BadInput(f"limit {limit}: must be 0 or more", "e.g. --limit 20")
    kinds = [k.value for k in SourceKind]
    if source is not None and source not in kinds:
        raise BadInput(f"unknown source {source!r}", f"use one of: {', '.join(kinds)}")


def build_index(
    store: Store, settings: Settings, progress: ProgressSink, embedder: Embedder | None = None
) -> IndexSummary:
    """Embed the passages that have no vector yet, then bring the FAISS index up to date.

    Args:
        store: The corpus.
        settings: The embedding model and index settings.
        progress: Where embedding progress goes.
        embedder: The embedder; default sentence-transformers ``settings.embed.model``.

    Returns:
        An :class:`IndexSummary`.

    Raises:
        SynthError: the corpus is empty, or the embedding model cannot be loaded.
    """
    from synth.retrieval.embed import SentenceTransformerEmbedder
    from synth.retrieval.search import Retriever

    if embedder is None:
        embedder = SentenceTransformerEmbedder(settings.embed.model, settings.embed.batch_size)
    pending = store.count_unembedded(embedder.name)
    retriever = Retriever(store, embedder, settings, None, progress)
    retriever.prepare()
    index = retriever.index
    return IndexSummary(store.count_passages(), pending, embedder.name, index.path,
                        index.rebuilt_because)  # fmt: skip

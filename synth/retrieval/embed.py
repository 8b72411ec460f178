"""Sentence embeddings behind one small interface. The adapter loads any
sentence-transformers model (the packaged all-MiniLM-L6-v2 by default) lazily."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from synth.core.models import load_error, quiet_transformers, resolve_model

Matrix = npt.NDArray[np.float32]


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors. ``name`` keys the stored vectors."""

    name: str

    @abstractmethod
    def encode(self, texts: Sequence[str]) -> Matrix:
        """An (n, d) float32 array, one unit-length row per text."""


def normalise(matrix: npt.ArrayLike) -> Matrix:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    out: Matrix = (m / np.where(norms == 0, 1.0, norms)).astype(np.float32)
    return out


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, name: str, batch_size: int = 64) -> None:
        self.name = name
        self.reference = resolve_model(name)
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            quiet_transformers()
            try:
                self._model = SentenceTransformer(self.reference)
            except (OSError, ValueError) as exc:
                raise load_error(self.name, exc) from exc
        return self._model

    def encode(self, texts: Sequence[str]) -> Matrix:
        model = self._load()
        if not texts:
            return np.zeros((0, model.get_embedding_dimension()), dtype=np.float32)
        vectors = model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return normalise(vectors)

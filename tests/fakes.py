"""Deterministic stand-ins for the model adapters (written for tests, no mocks), and a
helper that stores a one-page paper of given sentences."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from synth.core.settings import Settings
from synth.core.types import Paper, SourceKind, content_id
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.parsing.structure import sentences_page
from synth.corpus.store import Store
from synth.retrieval.embed import Embedder, Matrix, normalise
from synth.verify.calibration import FloatArray
from synth.verify.nli import NLIScorer


class HashingEmbedder(Embedder):
    """Each lower-cased word hashed into one of 64 dimensions, the counts normalised:
    texts that share words are close. Counts its calls and the texts it embedded."""

    def __init__(self, name: str = "hashing-64", dim: int = 64) -> None:
        self.name = name
        self.dim = dim
        self.calls = 0
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> Matrix:
        self.calls += 1
        self.encoded.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.sha256(word.encode("utf-8")).digest()
                out[row, int.from_bytes(digest[:8], "big") % self.dim] += 1.0
        return normalise(out)


class PhraseScorer(NLIScorer):
    """(entailment, neutral, contradiction) chosen by the first rule that matches; neutral
    when none does. A rule "premise phrase" matches on the premise alone, a rule
    "premise phrase|claim phrase" needs both."""

    def __init__(self, rules: dict[str, tuple[float, float, float]]) -> None:
        self.name = "phrase-scorer"
        self.rules = rules
        self.pairs: list[tuple[str, str]] = []

    def score(self, pairs: Sequence[tuple[str, str]]) -> FloatArray:
        self.pairs.extend(pairs)
        rows = []
        for premise, claim in pairs:
            probs = next(
                (p for k, p in self.rules.items() if self._matches(k, premise, claim)),
                (0.05, 0.9, 0.05),
            )
            rows.append(probs)
        return np.array(rows, dtype=np.float64).reshape(len(pairs), 3)

    @staticmethod
    def _matches(rule: str, premise: str, claim: str) -> bool:
        in_premise, _, in_claim = rule.partition("|")
        return in_premise in premise and in_claim in claim


class Recorder:
    """A progress sink that keeps every update."""

    def __init__(self) -> None:
        self.updates: list[tuple[str, float, float | None]] = []

    def update(self, task: str, done: float, total: float | None) -> None:
        self.updates.append((task, done, total))


def add_paper(store: Store, key: str, title: str, sentences: list[str]) -> None:
    """Store a one-page paper ``key`` whose passages are ``sentences``."""
    page = sentences_page(sentences)
    paper = Paper(
        id=content_id("p", key), paper_id=key, source=SourceKind.JSONL, title=title, pages=1
    )
    store.add(paper, [page], chunk_page(page, key, Settings().chunk), replace=False)

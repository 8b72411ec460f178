"""Grouping claims into themes as plain functions on plain arrays: average-linkage
clustering on cosine similarity, ordering by relevance to a question, and naming each
theme by its most distinctive words (TF-IDF of a theme's texts against the others).
Deterministic: no randomness; ties go to the lower index (or the word first in order)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from synth.core.text import content_words

MIN_SIMILARITY = 0.35  # average cosine below which two groups stay apart
TITLE_WORDS = 3


def cluster(
    vectors: npt.ArrayLike, max_groups: int, min_similarity: float = MIN_SIMILARITY
) -> list[list[int]]:
    """Agglomerative clustering of unit-length rows with average linkage: the two groups
    with the highest mean pairwise cosine merge while it is at least ``min_similarity``,
    and always while there are more than ``max_groups``. Groups are lists of row indices,
    ascending, ordered by their first row."""
    m = np.asarray(vectors, dtype=np.float64)
    n = m.shape[0]
    if n == 0:
        return []
    sims = m @ m.T
    members: list[list[int]] = [[i] for i in range(n)]
    active = np.ones(n, dtype=bool)
    while active.sum() > 1:
        masked = np.where(np.outer(active, active), sims, -np.inf)
        np.fill_diagonal(masked, -np.inf)
        flat = int(np.argmax(masked))  # the first maximum: ties go to the lowest pair
        i, j = divmod(flat, n)
        i, j = min(i, j), max(i, j)
        if masked[i, j] < min_similarity and active.sum() <= max(1, max_groups):
            break
        ni, nj = len(members[i]), len(members[j])
        merged = (ni * sims[i] + nj * sims[j]) / (ni + nj)  # Lance-Williams, average linkage
        sims[i], sims[:, i] = merged, merged
        members[i] = sorted(members[i] + members[j])
        active[j] = False
    return [members[i] for i in range(n) if active[i]]


def relevance(vectors: npt.ArrayLike, query: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Cosine of each unit-length row with the unit-length ``query``."""
    return np.asarray(vectors, dtype=np.float64) @ np.asarray(query, dtype=np.float64)


def order_groups(
    vectors: npt.ArrayLike, groups: Sequence[Sequence[int]], query: npt.ArrayLike
) -> list[list[int]]:
    """Groups by their members' mean similarity to ``query``, most relevant first, each
    group's members most relevant first (ties: the earlier group, the lower index)."""
    scores = relevance(vectors, query)
    inner = [sorted(g, key=lambda i: (-scores[i], i)) for g in groups]
    means = [float(np.mean(scores[list(g)])) if len(g) else -math.inf for g in groups]
    order = sorted(range(len(groups)), key=lambda k: (-means[k], k))
    return [inner[k] for k in order]


def _surface(word: str, forms: Counter[str]) -> str:
    """The form ``word`` is most often written in; on a tie not the sentence-initial
    "Title" form ("peer" over "Peer", while "SQuAD" stays)."""
    return max((f for f in forms if f.lower() == word), key=lambda f: (forms[f], not f.istitle()))


def title_words(groups: Sequence[Sequence[str]], words: int = TITLE_WORDS) -> list[list[str]]:
    """Each group's ``words`` most distinctive words by TF-IDF, each group of texts one
    document: tf is a word's share of the group's words, idf = ln((1 + G) / (1 + df)) + 1.
    A word is given as it is most often written in the group (so "SQuAD" keeps its case)."""
    counts = [Counter(w.lower() for t in texts for w in content_words(t)) for texts in groups]
    df = Counter(word for c in counts for word in c)
    out: list[list[str]] = []
    for texts, count in zip(groups, counts, strict=True):
        total = sum(count.values()) or 1
        idf = {w: math.log((1 + len(groups)) / (1 + df[w])) + 1 for w in count}
        best = sorted(count, key=lambda w: (-count[w] / total * idf[w], w))[:words]
        forms = Counter(w for t in texts for w in content_words(t))
        out.append([_surface(w, forms) for w in best])
    return out


def theme_titles(groups: Sequence[Sequence[str]], words: int = TITLE_WORDS) -> list[str]:
    """A short title per group of texts: its distinctive words, comma-separated
    ("Theme 2" when it has none)."""
    titles = []
    for number, chosen in enumerate(title_words(groups, words), start=1):
        text = ", ".join(chosen)
        titles.append(text[:1].upper() + text[1:] if text else f"Theme {number}")
    return titles

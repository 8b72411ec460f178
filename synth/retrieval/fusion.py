"""Ranking math as plain functions on plain values: top-k, reciprocal rank fusion,
and keeping the items of the best groups. Nothing here touches a model, an index or a database."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

K = TypeVar("K", bound=Hashable)


def top_k(scores: npt.ArrayLike, k: int) -> list[int]:
    """Indices of the ``k`` highest scores, best first; ties keep the lower index first."""
    values = np.asarray(scores, dtype=np.float64).ravel()
    if k <= 0 or values.size == 0:
        return []
    return [int(i) for i in np.argsort(-values, kind="stable")[:k]]


def rank(
    scored: Iterable[tuple[K, float]], tiebreak: Callable[[K], str] | None = None,
    decimals: int | None = None,
) -> list[K]:  # fmt: skip
    """Ids ordered by descending score.

    Args:
        scored: (id, score) pairs.
        tiebreak: Orders tied ids (ascending); without it ties keep their order of
            appearance.
        decimals: Scores equal when rounded to this many places tie (None: only equal
            scores tie).

    Returns:
        The ids, best first.
    """
    items = list(scored)

    def key(i: int) -> tuple[float, str, int]:
        ident, score = items[i]
        value = round(score, decimals) if decimals is not None else score
        return -value, tiebreak(ident) if tiebreak else "", i

    return [items[i][0] for i in sorted(range(len(items)), key=key)]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[K]], k: int = 60) -> list[tuple[K, float]]:
    """Fuse ranked lists (Cormack et al. 2009): score(d) = sum over lists of 1 / (k + rank),
    ranks starting at 1. Best first; ties go to the id that first appears earlier."""
    scores: dict[K, float] = {}
    first_seen: dict[K, tuple[int, int]] = {}
    for list_no, ranking in enumerate(rankings):
        for position, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + position)
            first_seen.setdefault(item, (position, list_no))
    return sorted(scores.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))


def first_groups(
    ranked: Iterable[K], group_of: Callable[[K], Hashable], groups: int | None, limit: int
) -> list[K]:
    """The first ``limit`` items, in order, that belong to the first ``groups`` distinct
    groups to appear (``None``: any group). Used to keep the passages of the best papers."""
    seen: list[Hashable] = []
    kept: list[K] = []
    for item in ranked:
        group = group_of(item)
        if group not in seen:
            if groups is not None and len(seen) >= groups:
                continue
            seen.append(group)
        kept.append(item)
        if len(kept) == limit:
            break
    return kept

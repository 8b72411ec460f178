"""Length-bucketed batches: the one batcher of the verifier's training and the experiments'.

Examples are cut into pools of ``POOL_BATCHES`` batches, sorted by length within a pool and
cut into batches, so a batch pads to similar lengths; the batches are then shuffled, so the
order of lengths seen in training stays random. Pure (indices in, indices out): no torch.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

POOL_BATCHES = 50


def bucket_batches(
    lengths: Sequence[int], batch_size: int, rng: random.Random, shuffle: bool = True
) -> list[list[int]]:
    """Index batches of similar lengths in a random order, every index exactly once.

    Args:
        lengths: The length of each example (tokens, characters: only the order matters).
        batch_size: Examples per batch (the last batch of a pool may hold fewer).
        rng: The random source; the same seed gives the same batches.
        shuffle: Shuffle the examples before pooling them; False keeps the given order
            (for examples already in a random order: the pools are then consecutive runs).

    Returns:
        Lists of indices into ``lengths``.
    """
    order = list(range(len(lengths)))
    if shuffle:
        rng.shuffle(order)
    batches: list[list[int]] = []
    pool = batch_size * POOL_BATCHES
    for begin in range(0, len(order), pool):
        chunk = sorted(order[begin : begin + pool], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches

"""The one length-bucketed batcher, on hand-made lengths: every index once, batches of similar
lengths, the same batches for the same seed, and the given order kept when asked."""

from __future__ import annotations

import random

from synth.verify.batching import POOL_BATCHES, bucket_batches


def test_every_index_once_in_batches_of_at_most_the_size() -> None:
    lengths = [random.Random(1).randint(1, 500) for _ in range(1000)]
    batches = bucket_batches(lengths, 8, random.Random(0))
    assert sorted(i for b in batches for i in b) == list(range(1000))
    assert all(1 <= len(b) <= 8 for b in batches)
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches)
    assert spread / len(batches) < 30  # sorted pools: batches pad little


def test_a_pool_is_sorted_by_length_then_cut() -> None:
    lengths = [5, 1, 4, 2, 3, 6]  # one pool (fewer than POOL_BATCHES batches)
    batches = bucket_batches(lengths, 2, random.Random(0), shuffle=False)
    assert sorted(batches) == [[0, 5], [1, 3], [4, 2]]  # lengths (5, 6), (1, 2), (3, 4)


def test_the_same_seed_gives_the_same_batches() -> None:
    lengths = list(range(100))
    assert bucket_batches(lengths, 4, random.Random(3)) == bucket_batches(
        lengths, 4, random.Random(3)
    )
    assert bucket_batches(lengths, 4, random.Random(3)) != bucket_batches(
        lengths, 4, random.Random(4)
    )


def test_without_shuffling_pools_are_runs_of_the_given_order() -> None:
    size = 2
    pool = size * POOL_BATCHES
    lengths = [0] * pool + [1] * pool  # equal lengths: sorting keeps each pool's order
    batches = bucket_batches(lengths, size, random.Random(0), shuffle=False)
    assert sorted(batches) == [[i, i + 1] for i in range(0, 2 * pool, 2)]
    shuffled = bucket_batches(lengths, size, random.Random(0))
    assert sorted(shuffled) != sorted(batches)  # shuffled first: other pairs


def test_ties_keep_the_given_order_and_a_short_last_batch() -> None:
    batches = bucket_batches([3, 3, 3, 3, 3], 2, random.Random(0), shuffle=False)
    assert sorted(batches) == [[0, 1], [2, 3], [4]]


def test_no_examples_no_batches() -> None:
    assert bucket_batches([], 4, random.Random(0)) == []

"""The fuzz harness's random source and its byte-level mutations, for any kind of file
(tests/fuzzing.py draws mutants; tests/fuzz_pdf.py adds the PDF-structure ones)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


class Rng(random.Random):
    """A seeded random source that also notes the choices that shape a mutant (the
    depth, the shape, the encoding), so a failure names them."""

    def __init__(self, seed: str) -> None:
        super().__init__(seed)
        self.notes: list[str] = []

    def pick(self, name: str, options: Sequence[T]) -> T:
        """One of ``options`` at random, noted under ``name``."""
        value = self.choice(options)
        shown = repr(value)
        self.notes.append(f"{name}={shown if len(shown) <= 24 else shown[:21] + '...'}")
        return value


Mutation = Callable[[Rng, bytes, bytes], bytes]  # (rng, seed, another seed) -> mutant


# Byte-level mutations, for any kind of file


def _span(rng: Rng, data: bytes) -> tuple[int, int]:
    start = rng.randrange(max(len(data), 1))
    return start, min(len(data), start + rng.choice((1, 8, 64, 512, 4096)))


def flip(rng: Rng, data: bytes, _: bytes) -> bytes:
    """1 to 32 bytes set to random values."""
    out = bytearray(data)
    for _time in range(rng.randint(1, 32)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def flip_tail(rng: Rng, data: bytes, _: bytes) -> bytes:
    """Random bytes in the last 256 (a PDF's cross-reference table and trailer)."""
    out = bytearray(data)
    for _time in range(rng.randint(1, 8)):
        out[len(out) - 1 - rng.randrange(min(256, len(out)))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: Rng, data: bytes, _: bytes) -> bytes:
    """The file cut at a random byte."""
    return data[: rng.randrange(len(data))]


def duplicate(rng: Rng, data: bytes, _: bytes) -> bytes:
    """A chunk copied to a random place, 1 to 64 times."""
    start, end = _span(rng, data)
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[start:end] * rng.choice((1, 2, 64)) + data[at:]


def delete(rng: Rng, data: bytes, _: bytes) -> bytes:
    """A chunk cut out."""
    start, end = _span(rng, data)
    return data[:start] + data[end:]


def splice(rng: Rng, data: bytes, other: bytes) -> bytes:
    """The head of one seed joined to the tail of another."""
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]


_EXTREMES = (b"0", b"-1", b"-2147483649", b"2147483648", b"99999999999999999999", b"1e308")


def numbers(rng: Rng, data: bytes, _: bytes) -> bytes:
    """Some of the integers in the file replaced by extreme ones (object numbers, counts,
    offsets, sizes)."""
    found = list(re.finditer(rb"(?<![\d.])\d{1,9}(?![\d.])", data))
    if not found:
        return flip(rng, data, b"")
    out = bytearray(data)
    for match in sorted(rng.sample(found, min(len(found), rng.randint(1, 6))),
                        key=lambda m: -m.start()):  # fmt: skip
        out[match.start() : match.end()] = rng.choice(_EXTREMES)
    return bytes(out)

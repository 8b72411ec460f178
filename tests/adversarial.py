"""Adversarial strings for timing checks of text parsers: long runs of one kind of
character (letters, digits, whitespace, hyphens, dots, quotes, brackets) and short units
repeated, each ending in a character that makes a match fail at the very end, the shape
that makes a backtracking regex super-linear. One place, so that regex timing tests and a
fuzz harness draw on the same inputs."""

from __future__ import annotations

import time
from collections.abc import Callable

MEGABYTE = 1_000_000
BOUND_S = 20.0  # generous: a linear pass over 1 MB takes a second or two even on 2 busy
# cores (seen: 4.2 s for text and JSONL together at load 5), a quadratic one minutes to hours

# (name, unit repeated, tail that spoils a match at the end)
_SHAPES: tuple[tuple[str, str, str], ...] = (
    ("letters", "a", "!"),
    ("capitals", "A", "1"),
    ("digits", "1", "a"),
    ("spaces", " ", "a"),
    ("tabs-and-spaces", " \t", "\n"),
    ("hyphens", "-", "a"),
    ("letter-hyphen", "a-", "-"),
    ("digit-hyphen", "1-", "x"),
    ("dots", ".", "a"),
    ("dot-space", ". ", "a"),
    ("sentences", "Ab. ", "a"),
    ("abbreviations", "e.g. A ", "a"),
    ("digit-dot", "1.", "x"),
    ("digit-comma", "1,", "x"),
    ("thousands", "1,000", ",1"),
    ("opening-brackets", "(", "1"),
    ("closing-brackets", ")", "."),
    ("quotes", '"', "'"),
    ("apostrophes", "'", "a"),
    ("curly-quotes", "“", "x"),
    ("guillemets", "«", "x"),
    ("hashes", "#", " a"),
    ("heading", "# a ", "b"),
    ("slashes", " / ", "x"),
    ("plus-minus", "1 ± ", "x"),
    ("percents", "1%", "x"),
    ("table-mentions", "Table ", "x"),
    ("et-al", "et ", "x"),
    ("word-space", "word ", "."),
)

SHAPES = tuple(name for name, _, _ in _SHAPES)


def adversarial(name: str, size: int = MEGABYTE) -> str:
    """The adversarial string ``name`` (one of :data:`SHAPES`), about ``size`` characters.

    Args:
        name: The shape: "letters", "digits", "dot-space", ...
        size: Its length in characters, about.

    Returns:
        The unit repeated to ``size`` characters, then the spoiling tail.
    """
    unit, tail = next((u, t) for n, u, t in _SHAPES if n == name)
    return unit * (size // len(unit)) + tail


def seconds(run: Callable[[str], object], text: str) -> float:
    """Wall-clock seconds that ``run(text)`` takes.

    Args:
        run: The function under test.
        text: Its input.

    Returns:
        The seconds taken.
    """
    start = time.perf_counter()
    run(text)
    return time.perf_counter() - start

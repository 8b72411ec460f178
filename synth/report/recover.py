"""Recovering a truncated claim: find the full sentence it was cut from, in the report's own
prose or in the cited papers. Only a word-for-word match counts (the fragment's words in
order, its last word possibly cut), so a recovered claim is never a guess."""

from __future__ import annotations

import re
from collections.abc import Iterable

from synth.corpus.parsing.chunk import split_sentences

_WORD = re.compile(r"\w+(?:[.,]\d+)*")
MIN_FRAGMENT_WORDS = 5  # shorter fragments match too easily to be trusted


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text.replace("--", " ").replace("—", " "))]


def _continues(fragment: list[str], sentence: list[str]) -> bool:
    """The fragment's words occur in the sentence in order, the last one as a prefix."""
    *whole, last = fragment
    n = len(whole)
    return any(
        sentence[i : i + n] == whole and sentence[i + n].startswith(last)
        for i in range(len(sentence) - n)
    )


def recover(fragment: str, sources: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """``(sentence, origin)``: the first sentence of ``sources`` (``(origin, text)`` pairs,
    searched in order) that the fragment was cut from; None when there is none."""
    words = _words(fragment)
    if len(words) < MIN_FRAGMENT_WORDS:
        return None
    for origin, text in sources:
        for start, end in split_sentences(text):
            sentence = re.sub(r"\s+", " ", text[start:end]).strip()
            ended = sentence.endswith((".", "!", "?"))  # a truncated source is no recovery
            if (
                ended
                and len(sentence) > len(fragment.strip())
                and _continues(words, _words(sentence))
            ):
                return sentence, origin
    return None

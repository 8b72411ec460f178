"""Recovering a truncated claim: find the full sentence it was cut from, in the report's own
prose or in the cited papers. Only a word-for-word match counts (the fragment's words in
order, its last word possibly cut), so a recovered claim is never a guess."""

from __future__ import annotations

import re
from collections.abc import Iterable

from synth.corpus.parsing.chunk import split_sentences

_WORD = re.compile(r"\w+(?:[.,]\d+)*")
MIN_FRAGMENT_WORDS = 5  # shorter fragments match too easily to be trusted


def _spans(text: str) -> list[tuple[str, int]]:
    """The words of ``text``, case-folded, each with its start offset."""
    spaced = text.replace("--", "  ").replace("—", " ")  # same length: offsets hold
    return [(m.group(0).casefold(), m.start()) for m in _WORD.finditer(spaced)]


def _words(text: str) -> list[str]:
    return [w for w, _ in _spans(text)]


def _match_at(fragment: list[str], sentence: list[str]) -> int | None:
    """Where the fragment's words occur in the sentence in order (the last one as a
    prefix): the index of its first word, or None."""
    *whole, last = fragment
    n = len(whole)
    for i in range(len(sentence) - n):
        if sentence[i : i + n] == whole and sentence[i + n].startswith(last):
            return i
    return None


def recover(fragment: str, sources: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """``(sentence, origin)``: the first sentence of ``sources`` (``(origin, text)`` pairs,
    searched in order) that the fragment was cut from; None when there is none."""
    words = _words(fragment)
    if len(words) < MIN_FRAGMENT_WORDS:
        return None
    for origin, text in sources:
        for start, end in split_sentences(text):
            sentence = re.sub(r"\s+", " ", text[start:end]).strip()
            if not sentence.endswith((".", "!", "?")):  # a truncated source is no recovery
                continue
            spans = _spans(sentence)
            at = _match_at(words, [w for w, _ in spans])
            # a claim taken from inside a sentence (a list item after "We find: •") starts
            # where the fragment does
            found = sentence if at is None else sentence[spans[at][1] :]
            if at is not None and len(found) > len(fragment.strip()):
                return found, origin
    return None

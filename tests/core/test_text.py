"""The topic words of a text."""

from __future__ import annotations

from synth.core.text import content_words


def test_content_words_drop_stop_words_and_short_words_and_keep_case() -> None:
    # "we", "show", "that", "is", "on" are stop words; "of" is short; "SQuAD" keeps its case
    text = "We show that SQuAD-based intermediate training is best on XTREME, of 9 tasks."
    assert content_words(text) == ["SQuAD-based", "intermediate", "training", "best", "XTREME",
                                   "tasks"]  # fmt: skip

"""Recovering truncated claims: only a word-for-word continuation counts."""

from __future__ import annotations

from synth.report.recover import recover

PROSE = (
    "We compare encoders. Using the best model for each task gives a 5.4 point gain over "
    "XLM-R Large on XTREME. Retrieval tasks gain the most"
)


def test_recovers_from_the_first_source_that_continues_the_fragment() -> None:
    fragment = "Using the best model for each task gives a 5.4 point gain over XLM-R Large on XTR"
    found = recover(fragment, [("report", PROSE), ("paper", "Using the best model wins.")])
    assert found == (
        "Using the best model for each task gives a 5.4 point gain over XLM-R Large on XTREME.",
        "report",
    )


def test_punctuation_and_dashes_do_not_matter_but_words_do() -> None:
    source = [("2005.13013", "Intermediate-task training---fine-tuning first---often helps a lot.")]
    assert recover("Intermediate-task training — fine-tuning first — often hel", source) == (
        "Intermediate-task training---fine-tuning first---often helps a lot.",
        "2005.13013",
    )
    assert recover("Intermediate-task training usually fine-tuning first", source) is None


def test_no_recovery_from_short_fragments_or_truncated_sources() -> None:
    assert recover("Retrieval tasks gain", [("report", PROSE)]) is None  # too short
    assert recover("Retrieval tasks gain the most of all the", [("report", PROSE)]) is None
    assert recover("We compare encoders and more words here", [("report", PROSE)]) is None

"""The model card: every source a recipe may name has its description and terms (a build
with context or negated pairs once failed at its very end, writing the card)."""

from __future__ import annotations

import pytest

from synth.verify.card import render_card, source_terms
from synth.verify.datasets import DATASETS
from synth.verify.recipe import CONTEXT_SOURCES, IN_DOMAIN, MADE

SOURCES = ("snli", *IN_DOMAIN, *CONTEXT_SOURCES, *MADE, *DATASETS)


@pytest.mark.parametrize("source", SOURCES)
def test_every_source_a_recipe_may_name_has_terms(source: str) -> None:
    what, terms = source_terms(source)
    assert what and terms and terms != "unknown"


def test_a_context_source_is_its_set_against_whole_paragraphs() -> None:
    assert source_terms("scifact-context")[0].endswith("claims against whole paragraphs")
    assert source_terms("scifact-context")[1] == source_terms("scifact")[1]


def test_an_unknown_source_is_named_not_fatal() -> None:
    assert source_terms("mystery") == ("`mystery`", "unknown")


def test_a_card_for_a_recipe_with_every_kind_of_source() -> None:
    trained = {"claims": {"negated": 10, "scifact-context": 5, "citint-context": 5, "mnli": 3}}
    card = render_card({"name": "m", "pairs": {"trained": trained},
                        "recipe": {"name": "r", "stages": [{"name": "claims",
                                                            "learning_rate": 1e-4}]}})  # fmt: skip
    assert "claims against whole paragraphs" in card and "reversed" in card
    assert "`r`: claims (AdamW 0.0001, 1 pass)" in card

from __future__ import annotations

from pathlib import Path

import pytest

from experiments.features import IGNORE, encode_pairs, encode_qa, encode_tags
from experiments.tasks import PairExample, QAExample, TagExample


@pytest.fixture(scope="module")
def tokenizer(tiny_encoder: Path):  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_encoder)


def test_pairs_are_joined_and_truncated(tokenizer) -> None:  # type: ignore[no-untyped-def]
    long = " ".join(["table"] * 100)
    feats = encode_pairs(
        tokenizer, [PairExample("a dog", "the table", 2), PairExample(long, "x", 0)], 16
    )
    assert feats[0].label == 2
    assert feats[0].input_ids[0] == tokenizer.cls_token_id
    assert feats[0].input_ids.count(tokenizer.sep_token_id) == 2
    assert feats[1].length == 16


def test_tags_label_first_subword_only(tokenizer) -> None:  # type: ignore[no-untyped-def]
    words = ("The", "committeeship", "slept")
    [feat] = encode_tags(tokenizer, [TagExample(words, (1, 2, 3))], 64)
    labelled = [label for label in feat.token_labels if label != IGNORE]
    assert labelled == [1, 2, 3]
    assert [w for w in feat.word_ids if w >= 0] == [0, 1, 2]
    assert feat.word_count == 3
    assert feat.token_labels[0] == IGNORE  # [CLS]


def test_truncated_words_still_counted(tokenizer) -> None:  # type: ignore[no-untyped-def]
    words = tuple(["dog"] * 40)
    [feat] = encode_tags(tokenizer, [TagExample(words, (0,) * 40)], 10)
    assert feat.word_count == 40
    assert 0 < sum(w >= 0 for w in feat.word_ids) < 40


def test_qa_windows_find_the_answer_span(tokenizer) -> None:  # type: ignore[no-untyped-def]
    context = "The small dog was sleeping under the kitchen table. " * 6 + "The lake was cold."
    start = context.index("lake was cold")
    example = QAExample("q1", "What was cold?", context, (("lake", start),))
    feats = encode_qa(tokenizer, [example], 40, 10)
    assert len(feats) > 1  # the context needs several windows
    holding = [f for f in feats if f.span != (0, 0)]
    assert holding
    for feat in holding:
        first, last = feat.offsets[feat.span[0]], feat.offsets[feat.span[1]]
        assert first is not None and last is not None
        assert context[first[0] : last[1]] == "lake"
    assert all(f.example == 0 for f in feats)
    # question tokens carry no context offsets
    assert feats[0].offsets[1] is None

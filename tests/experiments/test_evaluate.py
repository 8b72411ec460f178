"""Scoring from hand-made logits: the span and tag decoding, and each task's metric."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.evaluate import decode_qa, decode_tags, score_examples, score_retrieval
from experiments.features import Feature
from experiments.records import LanguageScore
from experiments.tasks import PairExample, QAExample, RetrievalSet, TagExample, get_task


def _qa_logits(size: int, start: int, end: int) -> np.ndarray:
    logits = np.zeros((size, 2), dtype=np.float32)
    logits[start, 0] = 5
    logits[end, 1] = 5
    return logits


def test_decode_qa_takes_the_best_window_and_cuts_the_context() -> None:
    context = "Paris is the capital of France."
    offsets = (None, None, (0, 5), (6, 8), (9, 12), (13, 20), (21, 23), (24, 30), None)
    window = Feature((0,) * 9, example=0, offsets=offsets)
    weak = _qa_logits(9, 4, 5) / 5  # "the capital", weaker
    strong = _qa_logits(9, 7, 7)  # "France"
    example = QAExample("q", "Which country?", context, (("France", 24),))
    assert decode_qa([window, window], [weak, strong], [example]) == ["France"]


def test_decode_qa_never_answers_outside_the_context() -> None:
    offsets = (None, (0, 5), None)
    logits = np.array([[9, 0], [1, 1], [0, 9]], dtype=np.float32)  # best span is [CLS]..[SEP]
    example = QAExample("q", "?", "Paris", (("Paris", 0),))
    assert decode_qa([Feature((0, 0, 0), offsets=offsets)], [logits], [example]) == ["Paris"]


def test_decode_tags_reads_first_subwords_and_misses_truncated_words() -> None:
    feat = Feature((0,) * 5, word_ids=(-1, 0, -1, 1, -1), word_count=3)
    logits = np.array([[9, 0], [0, 9], [9, 0], [9, 0], [0, 9]], dtype=np.float32)
    assert decode_tags([feat], [logits]) == [[1, 0, -1]]


def test_pair_accuracy() -> None:
    task = get_task("xnli")
    examples = [PairExample("a", "b", 0), PairExample("a", "b", 2)]
    logits = [np.array([3.0, 0, 0]), np.array([3.0, 0, 0])]
    result = score_examples(task, examples, [Feature(())] * 2, logits, task.labels)
    assert result == LanguageScore(score=50.0)


def test_ner_span_f1_counts_truncated_words_as_missed() -> None:
    task = get_task("panx")
    # gold: B-PER I-PER O B-LOC ; predicted: B-PER I-PER O <cut off>
    example = TagExample(("Ada", "Lovelace", "in", "London"), (1, 2, 0, 5))
    feat = Feature((0,) * 5, word_ids=(-1, 0, 1, 2, -1), word_count=4)
    logits = np.zeros((5, 7), dtype=np.float32)
    for token, label in ((1, 1), (2, 2), (3, 0)):
        logits[token, label] = 1
    result = score_examples(task, [example], [feat], [logits], task.labels)
    assert result.score == pytest.approx(100 * 2 * (1 * 0.5) / 1.5)  # P=1, R=1/2


def test_tatoeba_accuracy_and_bucc_f1() -> None:
    eye = np.eye(3, dtype=np.float32)
    tatoeba = RetrievalSet(("a", "b", "c"), ("A", "B", "C"), ((0, 0), (1, 1), (2, 2)))
    shuffled = eye[:, [0, 2, 1]]
    assert score_retrieval(get_task("tatoeba"), tatoeba, eye, shuffled).score == pytest.approx(
        100 / 3
    )
    bucc = RetrievalSet(("a", "b", "c"), ("A", "B", "C"), ((0, 0), (1, 1), (2, 2)))
    assert score_retrieval(get_task("bucc"), bucc, eye, eye).score == pytest.approx(100.0)
    # a mined pair outside the gold that scores like the gold ones costs precision
    partial = RetrievalSet(("a", "b", "c"), ("A", "B", "C"), ((0, 0), (1, 1)))
    assert score_retrieval(get_task("bucc"), partial, eye, eye).score == pytest.approx(80.0)

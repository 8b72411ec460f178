"""From model outputs to XTREME's scores (pure: numpy arrays in, numbers out).

Every function returns a :class:`~experiments.records.LanguageScore` on a 0-100 scale: the
task's metric, and for QA the exact match beside its F1, for BUCC the threshold it chose.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from experiments import metrics
from experiments.features import Feature
from experiments.records import LanguageScore
from experiments.tasks import (
    ChoiceExample,
    Example,
    Metric,
    PairExample,
    QAExample,
    RetrievalSet,
    TagExample,
    Task,
)

MAX_ANSWER_TOKENS = 30
TOP_SPANS = 20


def decode_qa(
    features: Sequence[Feature], logits: Sequence[np.ndarray], examples: Sequence[QAExample]
) -> list[str]:
    """The best span over all windows of each example (start <= end, at most 30 tokens,
    inside the context), as text cut from the context by character offsets."""
    best: list[tuple[float, str]] = [(-np.inf, "")] * len(examples)
    for feature, scores in zip(features, logits, strict=True):
        start, end = scores[:, 0], scores[:, 1]
        starts = np.argsort(start)[::-1][:TOP_SPANS]
        ends = np.argsort(end)[::-1][:TOP_SPANS]
        context = examples[feature.example].context
        for s in starts:
            for e in ends:
                if e < s or e - s + 1 > MAX_ANSWER_TOKENS:
                    continue
                first, last = feature.offsets[s], feature.offsets[e]
                if first is None or last is None:
                    continue
                value = float(start[s] + end[e])
                if value > best[feature.example][0]:
                    best[feature.example] = (value, context[first[0] : last[1]])
    return [text for _, text in best]


def decode_tags(features: Sequence[Feature], logits: Sequence[np.ndarray]) -> list[list[int]]:
    """A label per word from its first sub-word; words lost to truncation get -1 (wrong)."""
    predictions = []
    for feature, scores in zip(features, logits, strict=True):
        words = [-1] * feature.word_count
        for token, word in enumerate(feature.word_ids):
            if word >= 0:
                words[word] = int(scores[token].argmax())
        predictions.append(words)
    return predictions


def score_examples(
    task: Task, examples: Sequence[Example], features: Sequence[Feature],
    logits: Sequence[np.ndarray], labels: Sequence[str],
) -> LanguageScore:  # fmt: skip
    """The task's metric on one language's examples."""
    if task.metric is Metric.QA_F1:
        qa = [e for e in examples if isinstance(e, QAExample)]
        answers = decode_qa(features, logits, qa)
        scores = metrics.qa_scores(answers, [[a for a, _ in e.answers] for e in qa])
        return LanguageScore(score=scores["f1"], exact_match=scores["exact_match"])
    if task.metric in (Metric.TOKEN_F1, Metric.SPAN_F1):
        tagged = [e for e in examples if isinstance(e, TagExample)]
        pred = [[labels[i] if i >= 0 else "" for i in row] for row in decode_tags(features, logits)]
        gold = [[labels[i] for i in e.labels] for e in tagged]
        if task.metric is Metric.SPAN_F1:
            return LanguageScore(score=metrics.span_f1(pred, gold))
        return LanguageScore(score=metrics.token_f1(pred, gold))
    gold_labels = [e.label for e in examples if isinstance(e, PairExample | ChoiceExample)]
    return LanguageScore(score=metrics.accuracy([int(s.argmax()) for s in logits], gold_labels))


def score_retrieval(
    task: Task, split: RetrievalSet, source: np.ndarray, english: np.ndarray
) -> LanguageScore:
    """Tatoeba: nearest-neighbour accuracy (source -> English); BUCC: F1 of margin-mined
    pairs at the threshold that is best on the gold pairs (the BUCC dev protocol)."""
    similarity = source @ english.T
    if task.metric is Metric.ACCURACY:
        return LanguageScore(score=metrics.retrieval_accuracy(similarity))
    scored = metrics.mine_pairs(similarity)
    f1, threshold = metrics.best_threshold_f1(scored, set(split.gold))
    return LanguageScore(score=f1, threshold=threshold)

"""XTREME's metrics as pure functions, every score on a 0-100 scale.

- ``accuracy``: classification and choice tasks, and POS as ``token_f1`` (micro-averaged over
  words, which equals word accuracy).
- ``qa_scores``: SQuAD v1.1 F1 and exact match, each the best over an example's gold answers.
  Answers are normalised the SQuAD v1.1 way for every language (lower case, ASCII punctuation
  and the English articles a/an/the removed, whitespace collapsed), as XTREME scores XQuAD,
  MLQA and TyDiQA alike; MLQA's own script also strips Unicode punctuation and per-language
  articles, so its published numbers can differ slightly.
- ``span_f1``: entity-level F1 over IOB2 chunks, as seqeval's default (non-strict) mode
  forms them: a chunk starts at ``B-X``, or at ``I-X`` after ``O`` or after another type.
- ``retrieval_accuracy``: Tatoeba, source row i's translation is English column i.
- ``mine_pairs`` and ``best_threshold_f1``: BUCC mining with the ratio margin of Artetxe and
  Schwenk (2019) on forward candidates, scored at the threshold that maximises F1 on the gold
  pairs (XTREME's protocol: the threshold is optimised on the scored set itself).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from synth.core.errors import SynthError

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def _check_sizes(name: str, predicted: int, gold: int) -> None:
    if predicted != gold:
        raise SynthError(
            f"{name}: {predicted} predictions for {gold} gold items",
            "predict exactly one value per gold item, in the same order",
        )
    if gold == 0:
        raise SynthError(f"{name}: nothing to score", "give at least one example")


def accuracy(pred: Sequence[int], gold: Sequence[int]) -> float:
    """The share of predictions equal to the gold label, x100."""
    _check_sizes("accuracy", len(pred), len(gold))
    return 100.0 * sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)


def normalize_answer(text: str) -> str:
    """SQuAD v1.1 normalisation: lower case, no punctuation, no articles, single spaces."""
    text = _ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION))
    return " ".join(text.split())


def _f1(prediction: str, gold: str) -> float:
    pred_tokens, gold_tokens = normalize_answer(prediction).split(), normalize_answer(gold).split()
    same = sum((Counter(pred_tokens) & Counter(gold_tokens)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred_tokens), same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def qa_scores(predictions: Sequence[str], golds: Sequence[Sequence[str]]) -> dict[str, float]:
    """SQuAD v1.1 ``f1`` and ``exact_match`` (x100): per question the best over its gold
    answers, then the mean over questions. ``predictions[i]`` answers ``golds[i]``."""
    _check_sizes("qa_scores", len(predictions), len(golds))
    f1 = exact = 0.0
    for index, (prediction, answers) in enumerate(zip(predictions, golds, strict=True)):
        if not answers:
            raise SynthError(
                f"qa_scores: question {index} has no gold answer",
                "SQuAD v1.1 scoring needs at least one answer per question",
            )
        f1 += max(_f1(prediction, a) for a in answers)
        exact += max(float(normalize_answer(prediction) == normalize_answer(a)) for a in answers)
    return {"f1": 100.0 * f1 / len(golds), "exact_match": 100.0 * exact / len(golds)}


def token_f1(pred_tags: Sequence[Sequence[str]], gold_tags: Sequence[Sequence[str]]) -> float:
    """Micro-averaged F1 over words for POS: every word has one tag, so it is word accuracy."""
    _check_sizes("token_f1", len(pred_tags), len(gold_tags))
    right = total = 0
    for index, (pred, gold) in enumerate(zip(pred_tags, gold_tags, strict=True)):
        if len(pred) != len(gold):
            raise SynthError(
                f"token_f1: sentence {index} has {len(pred)} predicted tags for {len(gold)} words",
                "predict one tag per word (an empty string for a word that was cut off)",
            )
        right += sum(p == g for p, g in zip(pred, gold, strict=True))
        total += len(gold)
    if total == 0:
        raise SynthError("token_f1: no words to score", "give sentences with words")
    return 100.0 * right / total


def chunks(tags: Sequence[str]) -> set[tuple[str, int, int]]:
    """IOB2 entities as (type, first word, last word), seqeval's default rules. A tag that is
    neither ``B-X`` nor ``I-X`` (``O``, an empty string) is outside every entity."""
    found: set[tuple[str, int, int]] = set()
    kind, start = "", -1
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        inside = prefix in ("B", "I") and bool(name)
        if kind and (not inside or prefix == "B" or name != kind):
            found.add((kind, start, i - 1))
            kind = ""
        if inside and not kind:
            kind, start = name, i
    return found


def span_f1(pred: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> float:
    """Entity-level F1 (x100) over all sentences: an entity counts when its type and both
    boundaries match; 0 when there is no entity on either side."""
    _check_sizes("span_f1", len(pred), len(gold))
    predicted: set[tuple[int, str, int, int]] = set()
    expected: set[tuple[int, str, int, int]] = set()
    for index, (p, g) in enumerate(zip(pred, gold, strict=True)):
        predicted.update((index, *c) for c in chunks(p))
        expected.update((index, *c) for c in chunks(g))
    hits = len(predicted & expected)
    if hits == 0:
        return 0.0
    return 100.0 * 2 * hits / (len(predicted) + len(expected))


def retrieval_accuracy(similarity: npt.NDArray[np.floating]) -> float:
    """Tatoeba: the share of source rows whose most similar English column is their own
    translation (column i for row i), x100."""
    rows, cols = similarity.shape
    if rows == 0 or rows > cols:
        raise SynthError(
            f"retrieval_accuracy: a {rows}x{cols} similarity matrix",
            "give one row per source sentence and its translation at the same column",
        )
    return 100.0 * float(np.mean(similarity.argmax(axis=1) == np.arange(rows)))


def mine_pairs(similarity: npt.NDArray[np.floating], k: int = 4) -> list[tuple[int, int, float]]:
    """Forward mining: for each source row, of its ``k`` nearest English columns the one with
    the best ratio margin ``cos(x, y) / (knn(x) / 2 + knn(y) / 2)``, where knn is the mean
    cosine of a sentence's ``k`` nearest neighbours on the other side."""
    rows, cols = similarity.shape
    if rows == 0 or cols == 0 or k < 1:
        raise SynthError(
            f"mine_pairs: a {rows}x{cols} similarity matrix with k={k}",
            "give sentences on both sides and k >= 1",
        )
    k_row, k_col = min(k, cols), min(k, rows)
    candidates = np.argpartition(similarity, cols - k_row, axis=1)[:, cols - k_row :]
    cosine = np.take_along_axis(similarity, candidates, axis=1).astype(np.float64)
    source_knn = cosine.mean(axis=1)
    nearest_sources = np.partition(similarity, rows - k_col, axis=0)[rows - k_col :]
    english_knn = nearest_sources.mean(axis=0, dtype=np.float64)
    margin = cosine / ((source_knn[:, None] + english_knn[candidates]) / 2)
    best = margin.argmax(axis=1)
    chosen = candidates[np.arange(rows), best]
    return [(i, int(chosen[i]), float(margin[i, best[i]])) for i in range(rows)]


def best_threshold_f1(
    scored: Sequence[tuple[int, int, float]], gold: set[tuple[int, int]]
) -> tuple[float, float]:
    """The best F1 (x100) of keeping the pairs scored above some threshold, and that
    threshold: halfway to the next lower score, as XTREME places it (0.0 when no pair is
    right). Pairs with equal scores are kept or dropped together."""
    if not gold:
        raise SynthError("best_threshold_f1: no gold pairs", "give the gold pairs of the set")
    if not scored:
        return 0.0, 0.0
    scores = np.array([s for _, _, s in scored], dtype=np.float64)
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order]
    hits = np.cumsum([(scored[i][0], scored[i][1]) in gold for i in order])
    kept = np.arange(1, len(ranked) + 1)
    f1 = 2 * hits / (kept + len(gold))
    group_end = np.append(ranked[:-1] != ranked[1:], True)
    f1 = np.where(group_end, f1, -1.0)
    at = int(f1.argmax())
    if hits[at] == 0:
        return 0.0, 0.0
    threshold = (ranked[at] + ranked[at + 1]) / 2 if at + 1 < len(ranked) else ranked[at]
    return 100.0 * float(f1[at]), float(threshold)

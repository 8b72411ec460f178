"""Examples -> token ids for each task kind (plain lists; tensors are made per batch).

Classification and choice inputs are truncated to ``max_length``. Tagging labels the first
sub-word of each word and ignores the rest (-100), as XTREME does; words cut off by truncation
are kept in ``word_count`` so evaluation scores them as missed. QA contexts are split into
overlapping windows (``stride`` shared tokens); each window remembers its example and the
character offsets of its context tokens so a predicted span maps back to text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from experiments.tasks import ChoiceExample, PairExample, QAExample, TagExample

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerFast

IGNORE = -100


@dataclass(frozen=True, slots=True)
class Feature:
    """One model input. ``label``: class / choice index, or -1 when unlabelled.
    ``token_labels``: per token (TAG), ``span``: (start, end) token (QA, (0, 0) when the
    answer is not in this window). ``choices``: one id list per choice (CHOICE)."""

    input_ids: tuple[int, ...] | tuple[tuple[int, ...], ...]
    label: int = -1
    token_labels: tuple[int, ...] = ()
    word_ids: tuple[int, ...] = ()  # TAG: the word each token starts, -1 otherwise
    word_count: int = 0
    span: tuple[int, int] = (0, 0)
    example: int = 0  # QA: index of the example this window belongs to
    offsets: tuple[tuple[int, int] | None, ...] = ()  # QA: context characters per token

    @property
    def length(self) -> int:
        first = self.input_ids[0] if self.input_ids else ()
        if isinstance(first, tuple):
            return max(len(c) for c in self.input_ids if isinstance(c, tuple))
        return len(self.input_ids)


def encode_pairs(
    tokenizer: PreTrainedTokenizerFast, examples: Sequence[PairExample], max_length: int
) -> list[Feature]:
    if not examples:
        return []
    first = [e.text_a for e in examples]
    second = [e.text_b for e in examples] if any(e.text_b for e in examples) else None
    ids = tokenizer(first, second, truncation=True, max_length=max_length)["input_ids"]
    return [Feature(tuple(i), e.label) for i, e in zip(ids, examples, strict=True)]


def encode_choices(
    tokenizer: PreTrainedTokenizerFast, examples: Sequence[ChoiceExample], max_length: int
) -> list[Feature]:
    features = []
    for example in examples:
        contexts = [example.context] * len(example.choices)
        ids = tokenizer(contexts, list(example.choices), truncation=True, max_length=max_length)
        features.append(Feature(tuple(tuple(i) for i in ids["input_ids"]), example.label))
    return features


def encode_tags(
    tokenizer: PreTrainedTokenizerFast, examples: Sequence[TagExample], max_length: int
) -> list[Feature]:
    if not examples:
        return []
    encoded = tokenizer(
        [list(e.words) for e in examples], is_split_into_words=True, truncation=True,
        max_length=max_length,
    )  # fmt: skip
    features = []
    for row, example in enumerate(examples):
        labels, starts, previous = [], [], None
        for word in encoded.word_ids(row):
            first = word is not None and word != previous
            labels.append(example.labels[word] if first and word is not None else IGNORE)
            starts.append(word if first and word is not None else -1)
            previous = word
        features.append(
            Feature(
                tuple(encoded["input_ids"][row]), token_labels=tuple(labels),
                word_ids=tuple(starts), word_count=len(example.words),
            )
        )  # fmt: skip
    return features


def encode_qa(
    tokenizer: PreTrainedTokenizerFast, examples: Sequence[QAExample], max_length: int,
    stride: int,
) -> list[Feature]:  # fmt: skip
    """Windows over each context; the answer's token span where a window holds it whole."""
    if not examples:
        return []
    budget = max(1, max_length // 4)  # question tokens; the rest of the window is context
    questions = [_first_tokens(tokenizer, e.question.strip(), budget) for e in examples]
    encoded = tokenizer(
        questions, [e.context for e in examples], truncation="only_second",
        max_length=max_length, stride=max(0, min(stride, (max_length - budget - 4) // 2)),
        return_overflowing_tokens=True, return_offsets_mapping=True,
    )  # fmt: skip
    features = []
    for window, example_index in enumerate(encoded["overflow_to_sample_mapping"]):
        sequence = encoded.sequence_ids(window)
        offsets = tuple(
            (int(o[0]), int(o[1])) if s == 1 else None
            for o, s in zip(encoded["offset_mapping"][window], sequence, strict=True)
        )
        example = examples[example_index]
        features.append(
            Feature(
                tuple(encoded["input_ids"][window]),
                span=_answer_span(offsets, example.answers[0]) if example.answers else (0, 0),
                example=example_index, offsets=offsets,
            )
        )  # fmt: skip
    return features


def _first_tokens(tokenizer: PreTrainedTokenizerFast, text: str, limit: int) -> str:
    """``text`` cut after its first ``limit`` tokens (long questions leave room for context)."""
    offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    spans = offsets["offset_mapping"]
    return text if len(spans) <= limit else text[: spans[limit - 1][1]]


def _answer_span(
    offsets: Sequence[tuple[int, int] | None], answer: tuple[str, int]
) -> tuple[int, int]:
    text, start_char = answer
    end_char = start_char + len(text)
    context = [(i, o) for i, o in enumerate(offsets) if o is not None]
    if not context or context[0][1][0] > start_char or context[-1][1][1] < end_char:
        return (0, 0)
    start = next(i for i, (_, stop) in context if stop > start_char)
    end = next(i for i, (begin, _) in reversed(context) if begin < end_char)
    return (start, end) if start <= end else (0, 0)

"""The online path: the paper's data from the Hugging Face hub through ``datasets``.

XTREME's target tasks come from ``google/xtreme`` (its parquet configs: ``XNLI``,
``PAWS-X.<l>``, ``udpos.<Language>``, ``PAN-X.<l>``, ``XQuAD.<l>``, ``MLQA.<l>.<l>``,
``tydiqa``, ``bucc18.<l>``, ``tatoeba.<iso3>``), evaluated on the splits XTREME scores (test;
XQuAD and Tatoeba have only validation; TyDiQA-GoldP's gold dev is its validation split).
English training sets: GLUE (``nyu-mll/glue``) MNLI, QQP and SST-2, ``rajpurkar/squad``,
``facebook/anli`` rounds 1-3 with MNLI and ``stanfordnlp/snli`` for ANLI+, ``Rowan/hellaswag``,
``allenai/cosmos_qa``, ``tau/commonsense_qa``, and XTREME's own English splits. CCGbank is not
on the hub (LDC licence).

The row -> example converters are pure functions; ``_load`` is the only network call.
``datasets`` is imported there, lazily.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from experiments.data import DataSource, Split
from experiments.data.local import TATOEBA_CODES
from experiments.tasks import (
    LANGUAGES,
    NER_TAGS,
    NLI_LABELS,
    UPOS,
    ChoiceExample,
    Example,
    Kind,
    PairExample,
    QAExample,
    RetrievalSet,
    TagExample,
    Task,
)
from synth.core.errors import SynthError

Row = Mapping[str, Any]
XTREME, GLUE = "google/xtreme", "nyu-mll/glue"
LOCAL_HINT = "set SYNTH_EXPERIMENTS_DATA_DIR to a local copy of the data (the XTREME pack)"

# TyDiQA-GoldP ids start with the language's name in lower case ("english-...").
BUCC_STAND_IN = (
    "BUCC from the hub holds only the gold pairs (no unpaired sentences), "
    "so mining is easier than in BUCC itself"
)


def _label(value: Any, labels: Sequence[str]) -> int:
    """A ClassLabel index, or a label name looked up in ``labels``."""
    return labels.index(value) if isinstance(value, str) else int(value)


def nli_row(row: Row) -> PairExample | None:
    """MNLI / SNLI / ANLI (premise, hypothesis, label 0-2); None for SNLI's -1 (no gold)."""
    label = int(row["label"])
    return PairExample(row["premise"], row["hypothesis"], label) if 0 <= label < 3 else None


def xnli_row(row: Row, language: str) -> PairExample | None:
    """XTREME's XNLI (language, sentence1, sentence2, gold_label); None for other languages."""
    if row["language"] != language:
        return None
    return PairExample(row["sentence1"], row["sentence2"], NLI_LABELS.index(row["gold_label"]))


def pair_row(row: Row, first: str, second: str | None) -> PairExample:
    """One text or a pair with a 0/1 label (QQP, SST-2, PAWS-X, whose label is a string)."""
    return PairExample(row[first], row[second] if second else "", int(row["label"]))


def tag_row(row: Row, column: str, labels: Sequence[str]) -> TagExample:
    """XTREME's PAN-X (``ner_tags``) and UD-POS (``pos_tags``) rows: tokens with ClassLabels."""
    return TagExample(tuple(row["tokens"]), tuple(_label(t, labels) for t in row[column]))


def qa_row(row: Row) -> QAExample:
    """SQuAD-style rows: id, question, context, answers {text: [...], answer_start: [...]}."""
    answers = row["answers"]
    spans = tuple(zip(answers["text"], map(int, answers["answer_start"]), strict=True))
    return QAExample(str(row["id"]), row["question"], row["context"], spans)


def tydiqa_row(row: Row, language: str) -> QAExample | None:
    """XTREME's TyDiQA-GoldP rows of one language (all languages share one config)."""
    return qa_row(row) if str(row["id"]).split("-", 1)[0] == LANGUAGES[language].lower() else None


def hellaswag_row(row: Row) -> ChoiceExample | None:
    """HellaSwag as jiant feeds it: ``ctx_a`` against ``ctx_b`` + each ending; None when
    unlabelled (the test split)."""
    if str(row["label"]) == "":
        return None
    endings = tuple(f"{row['ctx_b']} {e}".strip() for e in row["endings"])
    return ChoiceExample(row["ctx_a"], endings, int(row["label"]))


def cosmos_row(row: Row) -> ChoiceExample:
    """CosmosQA: the passage against question + each of answer0-3."""
    answers = tuple(f"{row['question']} {row[f'answer{i}']}" for i in range(4))
    return ChoiceExample(row["context"], answers, int(row["label"]))


def commonsense_row(row: Row) -> ChoiceExample | None:
    """CommonsenseQA: the question against its five choices, ``answerKey`` a choice label;
    None when unlabelled (the test split)."""
    keys, texts = list(row["choices"]["label"]), tuple(row["choices"]["text"])
    if row["answerKey"] not in keys:
        return None
    return ChoiceExample(row["question"], texts, keys.index(row["answerKey"]))


def retrieval_set(rows: Iterable[Row]) -> RetrievalSet:
    """Tatoeba / BUCC rows (source_sentence, target_sentence): row i's pair is (i, i)."""
    pairs = [(r["source_sentence"].strip(), r["target_sentence"].strip()) for r in rows]
    return RetrievalSet(
        tuple(s for s, _ in pairs),
        tuple(e for _, e in pairs),
        tuple((i, i) for i in range(len(pairs))),
    )


@dataclass(frozen=True)
class HubSplit:
    """One split of one hub dataset and how its rows become examples."""

    path: str
    config: str | None
    split: str
    convert: Callable[[Row], Example | None]

    def __str__(self) -> str:
        return " ".join(p for p in (self.path, self.config, self.split) if p)


_MNLI = HubSplit(GLUE, "mnli", "train", nli_row)
_SQUAD = HubSplit("rajpurkar/squad", None, "train", qa_row)
_QQP = partial(pair_row, first="question1", second="question2")
_PAWSX = partial(pair_row, first="sentence1", second="sentence2")
_UDPOS = partial(tag_row, column="pos_tags", labels=UPOS)
_PANX = partial(tag_row, column="ner_tags", labels=NER_TAGS)
# Task -> the English training splits, concatenated.
TRAIN: dict[str, tuple[HubSplit, ...]] = {
    "anli+": (
        *(HubSplit("facebook/anli", None, f"train_r{r}", nli_row) for r in (1, 2, 3)),
        _MNLI,
        HubSplit("stanfordnlp/snli", None, "train", nli_row),
    ),
    "mnli": (_MNLI,),
    "qqp": (HubSplit(GLUE, "qqp", "train", _QQP),),
    "sst-2": (HubSplit(GLUE, "sst2", "train", partial(pair_row, first="sentence", second=None)),),
    "squad": (_SQUAD,),
    "hellaswag": (HubSplit("Rowan/hellaswag", None, "train", hellaswag_row),),
    "cosmosqa": (HubSplit("allenai/cosmos_qa", None, "train", cosmos_row),),
    "commonsenseqa": (HubSplit("tau/commonsense_qa", None, "train", commonsense_row),),
    "xnli": (_MNLI,),
    "pawsx": (HubSplit(XTREME, "PAWS-X.en", "train", _PAWSX),),
    "udpos": (HubSplit(XTREME, "udpos.English", "train", _UDPOS),),
    "panx": (HubSplit(XTREME, "PAN-X.en", "train", _PANX),),
    "xquad": (_SQUAD,),
    "mlqa": (_SQUAD,),
    "tydiqa": (HubSplit(XTREME, "tydiqa", "train", partial(tydiqa_row, language="en")),),
}


def evaluation_split(task: Task, language: str) -> HubSplit:
    """The ``google/xtreme`` split XTREME scores a fine-tuned ``task`` on in ``language``."""
    if task.name == "xnli":
        return HubSplit(XTREME, "XNLI", "test", partial(xnli_row, language=language))
    if task.name == "tydiqa":
        return HubSplit(XTREME, "tydiqa", "validation", partial(tydiqa_row, language=language))
    if task.name == "xquad":
        return HubSplit(XTREME, f"XQuAD.{language}", "validation", qa_row)
    if task.name == "mlqa":
        return HubSplit(XTREME, f"MLQA.{language}.{language}", "test", qa_row)
    if task.name == "pawsx":
        return HubSplit(XTREME, f"PAWS-X.{language}", "test", _PAWSX)
    if task.name == "udpos":
        return HubSplit(XTREME, f"udpos.{LANGUAGES[language]}", "test", _UDPOS)
    return HubSplit(XTREME, f"PAN-X.{language}", "test", _PANX)


def retrieval_split(task: Task, language: str) -> tuple[str, str]:
    """The ``google/xtreme`` (config, split) of a retrieval task in ``language``."""
    if task.name == "tatoeba":
        return f"tatoeba.{TATOEBA_CODES[language]}", "validation"
    return f"bucc18.{language}", "test"


def _load(path: str, config: str | None, split: str) -> list[dict[str, Any]]:
    """The split's rows, downloaded (or read from ``datasets``' cache)."""
    name = " ".join(p for p in (path, config, split) if p)
    try:
        import datasets  # type: ignore[import-untyped]
    except ImportError as exc:
        raise SynthError(
            f"cannot load {name}: the Hugging Face `datasets` package is not installed",
            f"pip install datasets, or {LOCAL_HINT}",
        ) from exc
    try:
        dataset: Any = datasets.load_dataset(path, config, split=split)
        rows: list[dict[str, Any]] = dataset.to_list()
    except Exception as exc:  # network, hub and format errors all mean: no data from the hub
        raise SynthError(
            f"could not load {name} from the Hugging Face hub ({type(exc).__name__}: {exc})",
            LOCAL_HINT,
        ) from exc
    return rows


def convert_rows(source: HubSplit, rows: Iterable[Row]) -> list[Example]:
    """The examples of ``rows``, without the rows the converter drops (unlabelled, other
    language)."""
    return [e for e in map(source.convert, rows) if e is not None]


def _examples(source: HubSplit) -> list[Example]:
    return convert_rows(source, _load(source.path, source.config, source.split))


class HubData(DataSource):
    """XTREME and the intermediate tasks from the Hugging Face hub (needs the network the
    first time; ``datasets`` caches what it downloads)."""

    def evaluation_data(self, task: Task, language: str) -> Split:
        if task.kind is Kind.RETRIEVE:
            config, split = retrieval_split(task, language)
            stand_in = BUCC_STAND_IN if task.name == "bucc" else ""
            rows = _load(XTREME, config, split)
            return Split(retrieval_set(rows), f"hub: {XTREME} {config} {split}", stand_in)
        source = evaluation_split(task, language)
        return Split(_examples(source), f"hub: {source}")

    def training_data(self, task: Task) -> Split:
        if task.name not in TRAIN:
            raise SynthError(
                f"{task.title} is not on the Hugging Face hub ({task.english_train})",
                "put it in a local data folder as ccg/train.tsv (word<TAB>tag lines) and set "
                "SYNTH_EXPERIMENTS_DATA_DIR to that folder",
            )
        sources = TRAIN[task.name]
        examples = [e for source in sources for e in _examples(source)]
        return Split(examples, "hub: " + " + ".join(map(str, sources)))

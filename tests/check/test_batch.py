"""Checking a JSONL file of claims: one row per line, each with a stable id, and a claims
file in a legacy encoding read with a note rather than refused."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import HashingEmbedder, PhraseScorer, add_paper

from synth.check.batch import check_jsonl
from synth.check.checker import Checker
from synth.core.errors import BadInput
from synth.core.settings import Settings
from synth.corpus.store import Store
from synth.retrieval.search import Retriever

SENTENCE = "Café breaks improve recall by 4 points."


@pytest.fixture
def checker() -> Iterator[Checker]:
    settings = Settings()
    with Store(settings.db_path) as store:
        add_paper(store, "cafe", "Breaks and memory", [SENTENCE])
        retriever = Retriever(store, HashingEmbedder(), settings)
        yield Checker(store, retriever, PhraseScorer({"improve recall": (0.9, 0.05, 0.05)}),
                      settings)  # fmt: skip


def _rows(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_line_without_an_id_is_named_by_its_line_number(checker: Checker, tmp_path: Path) -> None:
    source, out = tmp_path / "claims.jsonl", tmp_path / "verdicts.jsonl"
    source.write_text(
        json.dumps({"id": "a", "claim": SENTENCE}) + "\n\n"
        + json.dumps({"claim": SENTENCE}) + "\n"
        + json.dumps({"id": None, "claim": ""}) + "\n"
        + "not json\n",
        encoding="utf-8",
    )  # fmt: skip
    assert check_jsonl(checker, source, out) == (4, 2)
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["a", "line 3", "line 4", "line 5"]
    assert rows[1]["label"] == "SUPPORTED" and [r.get("line") for r in rows[2:]] == [4, 5]


def test_a_claims_file_in_latin_1_is_read_with_a_note(
    checker: Checker, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source, out = tmp_path / "claims.jsonl", tmp_path / "verdicts.jsonl"
    line = json.dumps({"id": "é", "claim": SENTENCE}, ensure_ascii=False) + "\n"
    source.write_bytes(line.encode("latin-1"))
    with caplog.at_level(logging.WARNING, logger="synth"):
        assert check_jsonl(checker, source, out) == (1, 0)
    (row,) = _rows(out)
    assert row["id"] == "é" and row["claim"] == SENTENCE and row["label"] == "SUPPORTED"
    assert f"{source} is not UTF-8: read as Windows-1252" in caplog.text


def test_a_binary_claims_file_is_refused(checker: Checker, tmp_path: Path) -> None:
    source = tmp_path / "claims.jsonl"
    source.write_bytes(b'{"claim": "x"}\x00\x01\x02')
    with pytest.raises(BadInput, match="binary"):
        check_jsonl(checker, source, tmp_path / "out.jsonl")


def test_a_hostile_line_is_an_error_row_and_the_batch_goes_on(
    checker: Checker, tmp_path: Path
) -> None:
    source, out = tmp_path / "claims.jsonl", tmp_path / "verdicts.jsonl"
    source.write_text(
        "[" * 10_000 + "]" * 10_000 + "\n"
        + '{"id": "s", "claim": "Caf\\ud800 breaks improve recall"}\n'
        + json.dumps({"id": "ok", "claim": SENTENCE}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    assert check_jsonl(checker, source, out) == (3, 2)
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["line 1", "line 2", "ok"]  # no id taken from a bad line
    assert "nested too deeply" in str(rows[0]["error"])
    assert "surrogate" in str(rows[1]["error"]) and rows[2]["label"] == "SUPPORTED"

"""The CLI as a user meets it: commands, JSON output, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import FAKE_ID, FIXTURES
from pdfgen import marker, one_column_pdf
from schemas import SCHEMAS
from typer.testing import CliRunner

from synth.cli import app

runner = CliRunner()


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, synth.cli; "
        "print([m for m in ('pypdf', 'arxiv', 'requests', 'pydantic_settings', "
        "'synth.corpus.store') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_fetch_with_the_recorded_mirror(
    arxiv_mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(arxiv_mirror))
    result = runner.invoke(app, ["fetch", "2005.13013", "https://arxiv.org/abs/2010.11934"])
    assert result.exit_code == 0, result.output
    assert "✓ added 2005.13013: English Intermediate-Task Training" in result.output
    shown = json.loads(runner.invoke(app, ["corpus", "show", "2005.13013", "--json"]).output)
    assert shown["authors"][0] == "Jason Phang"
    assert shown["full_text"] is False
    assert any("5.4 point improvement" in p["text"] for p in shown["passages"])
    assert all(p["page_start"] == 1 and p["section"] == "Abstract" for p in shown["passages"])


def test_fetch_exit_code_is_one_only_when_nothing_was_added(
    arxiv_mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(arxiv_mirror))
    failed = runner.invoke(app, ["fetch", "2205.08497v1", "12.34"])
    assert failed.exit_code == 1
    assert "✗ 2205.08497v1: not in the offline mirror" in failed.output
    assert "✗ '12.34' is not an arXiv id" in failed.output
    partial = runner.invoke(app, ["fetch", "2205.08497v1", "2003.11080"])
    assert partial.exit_code == 0 and "1 added, 1 failed" in partial.output


def test_missing_mirror_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(tmp_path / "nope"))
    result = runner.invoke(app, ["fetch", "2005.13013"])
    assert result.exit_code == 1
    assert result.output.count("error:") == 1 and "SYNTH_ARXIV_MIRROR" in result.output


def test_add_list_show_remove(tmp_path: Path) -> None:
    pdf = one_column_pdf(tmp_path / "five.pdf")
    added = runner.invoke(app, ["add", str(pdf)])
    assert added.exit_code == 0 and "✓ added five.pdf" in added.output
    listing = json.loads(runner.invoke(app, ["corpus", "list", "--json"]).output)
    assert [(p["paper_id"], p["pages"]) for p in listing] == [("five.pdf", 5)]
    shown = json.loads(runner.invoke(app, ["corpus", "show", "five.pdf", "--json"]).output)
    for data in (*listing, shown):
        jsonschema.validate(data, SCHEMAS["paper"])
    for page in range(1, 5):
        assert [p["page_start"] for p in shown["passages"] if marker(page) in p["text"]] == [page]
    table = runner.invoke(app, ["corpus", "show", "five.pdf"])
    assert "Transfer Study" in table.output and "passage(s)" in table.output
    assert runner.invoke(app, ["corpus", "remove", "five.pdf"]).exit_code == 0
    missing = runner.invoke(app, ["corpus", "show", "five.pdf"])
    assert missing.exit_code == 1 and "five.pdf: no such paper in the corpus" in missing.output


def test_add_with_only_bad_files_exits_one(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["add", str(empty), str(tmp_path / "missing.pdf")])
    assert result.exit_code == 1
    assert (
        "empty.pdf: the file is empty" in result.output
        and "missing.pdf: no such file" in result.output
    )


def test_add_jsonl_and_bad_format(tmp_path: Path) -> None:
    corpus = FIXTURES / "scifact_corpus.jsonl"
    result = runner.invoke(app, ["add", "--format", "jsonl", str(corpus)])
    assert result.exit_code == 0 and "3 added, 3 failed" in result.output
    bad = runner.invoke(app, ["add", "--format", "docx", str(corpus)])
    assert bad.exit_code == 1 and "unknown format 'docx'" in bad.output


def test_fetch_from_a_mirror_with_pdfs(fake_mirror: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(fake_mirror))
    result = runner.invoke(app, ["fetch", FAKE_ID])
    assert result.exit_code == 0 and "passages" in result.output
    shown = json.loads(runner.invoke(app, ["corpus", "show", FAKE_ID, "--json"]).output)
    assert shown["full_text"] is True and shown["pages"] == 5


def test_bad_setting_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTH_CHUNK_MAX_SENTENCES", "zero")
    result = runner.invoke(app, ["corpus", "list"])
    assert result.exit_code == 1 and "bad setting: chunk.max_sentences" in result.output


def test_info_and_version(synth_home: Path) -> None:
    assert str(synth_home) in runner.invoke(app, ["info"]).output
    assert runner.invoke(app, ["--version"]).output.startswith("synth ")


def test_a_damaged_database_is_one_line_and_nothing_is_written(
    synth_home: Path, tmp_path: Path
) -> None:
    notes = []
    for i in range(30):
        notes.append(tmp_path / f"n{i}.md")
        notes[-1].write_text(f"# Note {i}\n\nSome text to add, number {i}.\n", encoding="utf-8")
    assert runner.invoke(app, ["add", *map(str, notes[:-1])]).exit_code == 0
    db = synth_home / "synth.db"
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page inside turned to noise: "malformed"
    db.write_bytes(bytes(data))
    for args in (["corpus", "list"], ["info"], ["add", str(notes[-1])]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert result.output.count("error:") == 1 and "damaged" in result.output, args
        assert "Traceback" not in result.output and "added" not in result.output
    assert db.read_bytes() == bytes(data)

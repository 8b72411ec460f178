"""The CLI as a user meets it: commands, JSON output, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import FAKE_ID, FIXTURES, permissions_bind
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


def test_a_file_stored_without_text_is_not_reported_as_added(tmp_path: Path) -> None:
    heading = tmp_path / "heading.md"  # stored, but no passage comes out of it
    heading.write_text("# Only a heading\n", encoding="utf-8")
    alone = runner.invoke(app, ["add", str(heading)])
    assert alone.exit_code == 1, alone.output  # nothing usable was added
    assert "added" not in alone.output
    assert "heading.md: Only a heading — stored, but no text found" in alone.output
    assert "1 item(s): 1 stored without text" in alone.output
    note = tmp_path / "note.md"
    note.write_text("# A note\n\nSome text that holds a sentence or two.\n", encoding="utf-8")
    heading.write_text("# Only another heading\n", encoding="utf-8")
    mixed = runner.invoke(app, ["add", str(note), str(heading)])
    assert mixed.exit_code == 0, mixed.output
    assert "✓ added note.md" in mixed.output and "✓ updated heading.md" not in mixed.output
    assert "1 added, 1 stored without text" in mixed.output


def test_a_folder_without_a_suffix_is_not_an_unknown_file_type(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "note.md").write_text("# A note\n\nSome text to add.\n", encoding="utf-8")
    result = runner.invoke(app, ["add", str(folder)])
    assert "unknown file type" not in result.output
    assert "directory" in result.output or "✓ added note.md" in result.output


def test_an_empty_synth_home_is_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTH_HOME", "")
    monkeypatch.chdir(tmp_path)
    note = tmp_path / "note.md"
    note.write_text("# A note\n\nSome text to add.\n", encoding="utf-8")
    for args in (["info"], ["corpus", "list"], ["add", str(note)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert result.output.count("error:") == 1 and "SYNTH_HOME is set but empty" in (
            result.output
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]


def test_info_does_not_create_a_missing_home(synth_home: Path) -> None:
    for args in (["info"], ["corpus", "list", "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert "does not exist yet" in runner.invoke(app, ["info"]).output
    assert not synth_home.exists()


def test_a_read_only_home_serves_reading_commands_and_says_read_only_to_writes(
    synth_home: Path, tmp_path: Path
) -> None:
    if not permissions_bind(tmp_path):
        pytest.skip("file permissions do not bind this user (root): run as another user")
    notes = []
    for name in ("a", "b"):
        notes.append(tmp_path / f"{name}.md")
        notes[-1].write_text(f"# Note {name}\n\nSome text to add, note {name}.\n", "utf-8")
    assert runner.invoke(app, ["add", str(notes[0])]).exit_code == 0
    db = synth_home / "synth.db"
    before = db.read_bytes()
    locked = [db, *(p for p in synth_home.rglob("*") if p.is_dir()), synth_home]
    for path in locked:
        path.chmod(0o555)
    try:
        for args in (["corpus", "list"], ["corpus", "show", "a.md"], ["info"],
                     ["models", "list"]):  # fmt: skip
            result = runner.invoke(app, args)
            assert result.exit_code == 0, (args, result.output)
            assert "error" not in result.output, args
        assert "a.md" in runner.invoke(app, ["corpus", "list"]).output
        for args in (["add", str(notes[1])], ["corpus", "remove", "a.md"]):
            result = runner.invoke(app, args)
            assert result.exit_code == 1, args
            assert f"error: read-only: {db}" in result.output, args
            assert "aside" not in result.output and "creates a new one" not in result.output
    finally:
        for path in locked:
            path.chmod(0o755)
    assert db.read_bytes() == before


def _shape(data: dict[str, object], keys: dict[str, type | tuple[type, ...]]) -> None:
    """``data`` has exactly ``keys``, each of its type."""
    assert set(data) == set(keys), sorted(data)
    for key, kind in keys.items():
        assert isinstance(data[key], kind), (key, data[key])


TEXT_OR_NONE = (str, type(None))
INGEST_ITEM: dict[str, type | tuple[type, ...]] = {
    "ref": str, "status": str, "paper_id": TEXT_OR_NONE, "title": TEXT_OR_NONE, "passages": int,
    "note": TEXT_OR_NONE, "error": TEXT_OR_NONE,
}  # fmt: skip


def test_fetch_and_add_json_keep_the_exit_codes(
    arxiv_mirror: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(arxiv_mirror))
    partial = runner.invoke(app, ["fetch", "2003.11080", "12.34", "--json"])
    assert partial.exit_code == 0, partial.output
    data = json.loads(partial.stdout)
    _shape(data, {"schema": str, "total": int, "counts": dict, "items": list})
    assert data["schema"] == "synth.ingest/1" and data["total"] == 2
    assert data["counts"] == {"added": 1, "failed": 1}
    for item in data["items"]:
        _shape(item, INGEST_ITEM)
    assert data["items"][0]["paper_id"] == "2003.11080" and data["items"][0]["passages"] > 0
    assert "not an arXiv id" in data["items"][1]["error"]
    failed = runner.invoke(app, ["fetch", "12.34", "--json"])
    assert failed.exit_code == 1 and json.loads(failed.stdout)["counts"] == {"failed": 1}
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nSome text to check.", encoding="utf-8")
    added = runner.invoke(app, ["add", str(notes), "--json"])
    assert added.exit_code == 0
    assert json.loads(added.stdout)["items"][0]["status"] == "added"
    again = json.loads(runner.invoke(app, ["add", str(notes), "--json"]).stdout)
    assert again["counts"] == {"unchanged": 1}


def test_add_with_an_id_stores_two_files_of_one_name(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.md").write_text(f"# Notes {folder}\n\nText {folder}.")
    assert runner.invoke(app, ["add", str(tmp_path / "a" / "notes.md")]).exit_code == 0
    named = runner.invoke(app, ["add", str(tmp_path / "b" / "notes.md"), "--id", "notes-b.md"])
    assert named.exit_code == 0 and "✓ added notes-b.md" in named.output
    both = runner.invoke(app, ["add", str(tmp_path / "a" / "notes.md"),
                               str(tmp_path / "b" / "notes.md"), "--id", "x"])  # fmt: skip
    assert both.exit_code == 1 and "--id names one paper, and 2 files were given" in both.output
    arxiv = runner.invoke(app, ["add", str(tmp_path / "a" / "notes.md"), "--id", "2005.13013"])
    assert arxiv.exit_code == 1 and "that is an arXiv id" in arxiv.output


def test_corpus_list_limits_filters_and_counts() -> None:
    assert runner.invoke(app, ["add", str(FIXTURES / "scifact" / "corpus.jsonl")]).exit_code == 0
    every = json.loads(runner.invoke(app, ["corpus", "list", "--json"]).stdout)
    limited = runner.invoke(app, ["corpus", "list", "--limit", "2"])
    assert limited.exit_code == 0 and f"2 of {len(every)} paper(s)" in limited.output
    word = every[0]["title"].split()[0]
    found = json.loads(runner.invoke(app, ["corpus", "list", "--search", word, "--json"]).stdout)
    assert found and all(word.lower() in p["title"].lower() for p in found)
    pdfs = runner.invoke(app, ["corpus", "list", "--source", "pdf", "--json"])
    assert json.loads(pdfs.stdout) == []
    bad = runner.invoke(app, ["corpus", "list", "--source", "web"])
    assert bad.exit_code == 1 and "unknown source 'web'" in bad.output


@pytest.mark.parametrize(("ref", "hint"), [("2005.13013", "synth fetch 2005.13013"),
                                           ("nope", "synth corpus list")])  # fmt: skip
def test_corpus_show_of_a_missing_paper(ref: str, hint: str) -> None:
    result = runner.invoke(app, ["corpus", "show", ref])
    assert result.exit_code == 1 and hint in result.output
    assert ("synth fetch" in result.output) == (ref == "2005.13013")


def test_info_json_and_the_verifier_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = json.loads(runner.invoke(app, ["info", "--json"]).stdout)
    _shape(data, {"schema": str, "home": str, "database": str, "exists": bool, "papers": int,
                  "passages": int, "pdf_cache": str, "arxiv": (str, type(None)),
                  "verifier": (str, type(None)), "verifier_model": str})  # fmt: skip
    assert data["schema"] == "synth.info/1" and data["papers"] == 0
    monkeypatch.setenv("SYNTH_VERIFY_MODEL", str(tmp_path / "no-model"))
    missing = runner.invoke(app, ["info"])
    assert "no-model: not found (build it: synth models build" in missing.output

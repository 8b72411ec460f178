"""Quiet, verbose and progress for logs: ``-q`` prints results and errors only, ``-v`` adds
debug lines, and progress outside a terminal is a few lines, never one per record."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES
from typer.testing import CliRunner

from synth.cli import app
from synth.cli.common import clip, plural

runner = CliRunner()


def test_quiet_and_verbose_together_is_a_usage_error() -> None:
    result = runner.invoke(app, ["-q", "-v", "config", "show"])
    assert result.exit_code == 2
    assert "cannot be used with -v/--verbose" in result.output


def test_verbose_prints_debug_lines_and_the_default_does_not() -> None:
    verbose = runner.invoke(app, ["-v", "config", "show"])
    assert verbose.exit_code == 0 and "debug: settings: home" in verbose.stderr
    plain = runner.invoke(app, ["config", "show"])
    assert plain.exit_code == 0 and "debug:" not in plain.stderr


def test_quiet_prints_the_count_and_the_failures_only() -> None:
    corpus = FIXTURES / "scifact_corpus.jsonl"
    result = runner.invoke(app, ["-q", "add", "--format", "jsonl", str(corpus)])
    assert result.exit_code == 0
    assert "✓" not in result.output and "3 added, 3 failed" in result.stdout
    assert result.stderr.count("✗") == 3


def test_progress_in_a_log_is_never_a_line_per_record(tmp_path: Path) -> None:
    corpus = tmp_path / "many.jsonl"
    rows = [{"doc_id": n, "title": f"Paper {n}", "abstract": [f"Finding {n} holds in mice."]}
            for n in range(400)]  # fmt: skip
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = runner.invoke(app, ["add", "--format", "jsonl", str(corpus)])  # stderr: no tty
    assert result.exit_code == 0, result.output
    assert "400 added" in result.stdout
    assert len(result.stderr.splitlines()) <= 12


def test_one_passage_and_a_cut_title(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# " + "A very long title " * 8 + "\n\nMice slept longer after warm baths.\n")
    result = runner.invoke(app, ["add", str(note)])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "✓ added" in line)
    assert "… (1 passage)" in line


def test_clip_and_plural() -> None:
    assert clip("short") == "short"
    assert clip("x" * 81) == "x" * 79 + "…" and len(clip("y" * 200)) == 80
    assert clip("a few words here", 10) == "a few wor…" and clip("ab cd efgh", 4) == "ab…"
    assert (plural(1, "passage"), plural(0, "passage"), plural(2, "paper")) == (
        "1 passage",
        "0 passages",
        "2 papers",
    )

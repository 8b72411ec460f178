"""Help that reads at 80 columns: values named with words, no option name cut short."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner

from synth.cli import app

runner = CliRunner()


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for info in group.registered_commands:
        yield (*prefix, info.name or info.callback.__name__.replace("_", "-"))  # type: ignore[union-attr]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None and sub.name is not None
        yield from _commands(sub.typer_instance, (*prefix, sub.name))


MINE = {"fetch", "add", "info", "index", "check", "audit", "report", "reproduce", "corpus",
        "cache", "eval", "experiments", "models"}  # fmt: skip


@pytest.mark.parametrize("command", [c for c in _commands(app) if c[0] in MINE], ids=" ".join)
def test_help_names_values_with_words(command: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert not re.search(r"<(bool|str|int|float|path|list\[\w+\])", result.output, re.I)
    assert "…" not in result.output  # no option name or word cut short


def test_words_for_arguments_and_options() -> None:
    fetch = runner.invoke(app, ["fetch", "--help"], env={"COLUMNS": "80"}).output
    assert "{ID}..." in fetch and "--refresh  " in fetch
    listing = runner.invoke(app, ["corpus", "list", "--help"], env={"COLUMNS": "80"}).output
    assert re.search(r"--limit +N", listing) and re.search(r"--search +WORDS", listing)
    add = runner.invoke(app, ["add", "--help"], env={"COLUMNS": "80"}).output
    assert re.search(r"--id +NAME", add) and "{PATH}..." in add


def test_list_tasks_fits_80_columns() -> None:
    result = runner.invoke(app, ["experiments", "list-tasks"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.output.splitlines()) <= 80
    assert "…" not in result.output and "[offline stand-in]" in result.output
    assert "SQuAD v1.1 train [TyDiQA-GoldP English train (3,696 questions)]" in result.output

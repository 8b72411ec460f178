"""State damaged on disk, through the real CLI: a database overwritten, cut short or
replaced by noise; the FAISS index and its manifest garbled, cut, emptied or gone; a
verifier's model card garbled or empty. A damaged database is one line on every command
(and is left byte for byte); a damaged index is rebuilt from the stored vectors and the
verdict is the one an intact index gives; a damaged card is one line in ``synth models
list`` and in ``synth check``. Never a traceback."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fuzz_targets import CliRun, integrity_problem, run_cli, synth_env

pytestmark = pytest.mark.slow  # a synth run per damage and command


def _no_traceback(run: CliRun) -> None:
    assert run.code is not None, "synth hung"
    assert "Traceback" not in run.stderr and "unexpected error" not in run.stderr, run.stderr[
        -3000:
    ]


def _one_line(run: CliRun) -> str:
    _no_traceback(run)
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert run.code == 1 and len(lines) == 1, (run.code, run.stderr[-2000:], run.stdout[-500:])
    return lines[0]


def _overwrite_pages(data: bytes) -> bytes:
    out = bytearray(data)
    for page in range(2, len(data) // 4096, 3):  # every third page after the first
        out[page * 4096 : (page + 1) * 4096] = random.Random(page).randbytes(4096)
    return bytes(out)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "pages-overwritten": _overwrite_pages,
    "cut-in-half": lambda data: data[: len(data) // 2],
    "noise": lambda data: random.Random(0).randbytes(len(data)),
    "header-only": lambda data: data[:100],
}


@pytest.fixture(scope="module")
def stored_home(corpus: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("stored") / "home"
    run = run_cli(["add", *map(str, corpus.files)], synth_env(home), 300)
    assert run.code == 0, run.stderr[-2000:]
    assert integrity_problem(home / "synth.db") is None
    assert not list(home.glob("synth.db-*")), "a clean exit leaves no WAL behind"
    return home


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_database_is_one_line_on_every_command_and_is_left_as_it_was(
    stored_home: Path, corpus: Any, tmp_path: Path, damage: str
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "synth.db"
    db.write_bytes(DAMAGE[damage]((stored_home / "synth.db").read_bytes()))
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    env = synth_env(home)
    commands = (["corpus", "list"], ["corpus", "list", "--json"], ["info"],
                ["corpus", "show", "paper0.pdf"], ["corpus", "remove", "paper0.pdf"],
                ["add", str(corpus.files[0])], ["add", str(corpus.files[-1])])  # fmt: skip
    for args in commands:
        run = run_cli(args, env, 120)
        if damage == "pages-overwritten" and run.code == 0 and args[0] != "add":
            _no_traceback(run)  # a read that never touches a damaged page may succeed
            continue
        line = _one_line(run)
        assert "damaged" in line or "not a database" in line, (args, line)
        assert "added" not in run.stdout, (args, run.stdout)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def _check(home: Path, settings: dict[str, str]) -> CliRun:
    return run_cli(["check", "Morning coffee changed recall by 7 percent.", "--json"],
                   synth_env(home, **settings), 300)  # fmt: skip


INDEX_DAMAGE: dict[str, Callable[[Path, Path], None]] = {
    "index-noise": lambda index, _: index.write_bytes(random.Random(1).randbytes(4096)),
    "index-empty": lambda index, _: index.write_bytes(b""),
    "manifest-garbled": lambda _, manifest: manifest.write_text("{not json"),
    "manifest-lies": lambda _, manifest: manifest.write_text(
        json.dumps({**json.loads(manifest.read_text()), "count": 3, "seq_sum": -1})
    ),
    "manifest-gone": lambda _, manifest: manifest.unlink(),
}


def test_a_damaged_index_is_rebuilt_and_gives_the_same_verdict(
    corpus: Any, model_settings: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    assert run_cli(["add", *map(str, corpus.files)], synth_env(home), 300).code == 0
    first = _check(home, model_settings)
    assert first.code == 0, first.stderr[-2000:]
    verdict = json.loads(first.stdout)
    for name, damage in INDEX_DAMAGE.items():
        (index,) = (home / "index").glob("*.faiss")
        damage(index, index.with_suffix(".json"))
        again = _check(home, model_settings)
        _no_traceback(again)
        assert again.code == 0, (name, again.stderr[-2000:])
        assert json.loads(again.stdout) == verdict, name
        notes = [line for line in again.stderr.splitlines() if line.strip()]
        assert all(line.startswith("note:") for line in notes), (name, notes)
    assert integrity_problem(home / "synth.db") is None


CARDS = {"garbled": '{"base": ', "empty": "", "a-list": "[1, 2, 3]", "binary": "\x00\xff"}


@pytest.mark.parametrize("card", sorted(CARDS))
def test_a_damaged_model_card_is_one_line_in_models_list(tmp_path: Path, card: str) -> None:
    home = tmp_path / "home"
    folder = home / "models" / "synth-nli-broken"
    folder.mkdir(parents=True)
    (folder / "synth-model.json").write_text(CARDS[card], encoding="latin-1")
    run = run_cli(["models", "list"], synth_env(home), 120)
    _no_traceback(run)
    errors = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "synth-nli-broken" in errors[0], run.stderr[-2000:]
    assert "synth-nli-minilm" in run.stdout  # the shipped verifier is still listed


def test_a_damaged_card_of_the_verifier_in_use_is_one_line_in_check(
    corpus: Any, tmp_path: Path
) -> None:
    """A built verifier under SYNTH_HOME/models takes the shipped one's place; its card
    garbled, ``synth check`` says so in one line (it loads no model for that)."""
    home = tmp_path / "home"
    assert run_cli(["add", str(corpus.files[-1])], synth_env(home), 120).code == 0
    folder = home / "models" / "synth-nli-minilm"
    folder.mkdir(parents=True)
    (folder / "synth-model.json").write_text(CARDS["garbled"])
    line = _one_line(run_cli(["check", "Coffee changed recall."], synth_env(home), 300))
    assert "synth-model.json" in line or "synth-nli-minilm" in line, line

"""kill -9 at random moments (seeded) during ``synth add``, ``synth fetch``, the first
``synth check`` (which embeds every passage and builds the index) and ``synth check
--batch``: afterwards the database passes its integrity check, every paper in it is whole
(exactly what an uninterrupted run stores for it), no finished-looking output file is
left half-written, and running the same command again ends with what an uninterrupted run
gives."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fuzz_targets import integrity_problem, run_cli, store_contents, synth_command, synth_env

pytestmark = pytest.mark.slow  # each case runs synth two or three times

KILLS = 8  # kill -9s during `synth add` (the run had 20; benchmarks/fuzz.py is for more)


def kill_after(args: Sequence[str], env: dict[str, str], delay_s: float) -> bool:
    """``synth ARGS`` sent SIGKILL after ``delay_s`` (its own process only, as ``kill -9
    PID`` does; what it started is reaped afterwards).

    Returns:
        Whether it was killed (False: it had finished by then).
    """
    with subprocess.Popen([*synth_command(), *args], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          start_new_session=True) as proc:  # fmt: skip
        try:
            proc.wait(timeout=delay_s)
            killed = False
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # a parse worker left running
    return killed


def _whole_papers_only(db: Path, reference: dict[str, object]) -> None:
    assert integrity_problem(db) is None
    for paper_id, stored in store_contents(db).items():
        assert stored == reference[paper_id], f"{paper_id} is stored differently (half-stored?)"


@pytest.mark.parametrize("kill", range(KILLS))
def test_kill_9_during_add_keeps_whole_papers_and_a_rerun_stores_the_rest(
    corpus: Any, tmp_path: Path, kill: int
) -> None:
    files, reference, seconds = corpus.files, corpus.contents, corpus.seconds
    home = tmp_path / "home"
    env = synth_env(home)
    delay = random.Random(kill).uniform(0.2, seconds)
    kill_after(["add", *map(str, files)], env, delay)
    _whole_papers_only(home / "synth.db", reference)
    again = run_cli(["add", *map(str, files)], env, 300)
    assert again.code == 0, again.stderr[-2000:]
    assert store_contents(home / "synth.db") == reference
    assert integrity_problem(home / "synth.db") is None


def test_kill_9_during_fetch_keeps_whole_papers_and_a_rerun_fetches_the_rest(
    fake_mirror: Path, tmp_path: Path
) -> None:
    ids = ["2101.00001", "2101.00002"]  # the fake mirror's papers (tests/conftest.py)
    reference_home = tmp_path / "reference"
    settings = {"arxiv_mirror": str(fake_mirror), "arxiv_delay_seconds": "0"}
    done = run_cli(["fetch", *ids], synth_env(reference_home, **settings), 120)
    assert done.code == 0, done.stderr
    reference = store_contents(reference_home / "synth.db")
    assert set(reference) == set(ids)
    for kill in range(3):
        home = tmp_path / f"home-{kill}"
        env = synth_env(home, **settings)
        kill_after(["fetch", *ids], env, random.Random(kill).uniform(0.2, done.seconds))
        _whole_papers_only(home / "synth.db", reference)
        assert not [p for p in (home / "cache").rglob("*") if p.is_file() and ".tmp" in p.name]
        again = run_cli(["fetch", *ids], env, 120)
        assert again.code == 0, again.stderr
        assert store_contents(home / "synth.db") == reference


def _verdicts(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_kill_9_during_check_batch_leaves_no_half_file_and_a_rerun_writes_it_whole(
    corpus: Any, claims_file: Path, model_settings: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    env = synth_env(home, **model_settings)
    files = corpus.files
    assert run_cli(["add", *map(str, files[-1:])], env, 120).code == 0
    reference = tmp_path / "reference.jsonl"
    done = run_cli(["check", "--batch", str(claims_file), "--out", str(reference)], env, 300)
    assert done.code == 0, done.stderr[-2000:]
    out = tmp_path / "verdicts.jsonl"
    for kill in range(2):
        delay = random.Random(kill).uniform(0.5 * done.seconds, done.seconds)
        kill_after(["check", "--batch", str(claims_file), "--out", str(out)], env, delay)
        if out.exists():  # killed after the rename (while the interpreter shut down)
            assert _verdicts(out) == _verdicts(reference), "a killed batch left half a file"
        again = run_cli(["check", "--batch", str(claims_file), "--out", str(out)], env, 300)
        assert again.code == 0, again.stderr[-2000:]
        assert _verdicts(out) == _verdicts(reference)
        out.unlink()
    assert integrity_problem(home / "synth.db") is None


def test_kill_9_during_the_first_check_leaves_a_store_the_next_check_uses(
    corpus: Any, model_settings: dict[str, str], tmp_path: Path
) -> None:
    """The first check embeds every passage and builds the index; a kill there leaves
    the vectors written so far and maybe no index: the next check finishes the job and
    gives the uninterrupted verdict."""
    files = corpus.files
    claim = ["check", "Morning coffee changed recall by 7 percent.", "--json"]
    reference_home = tmp_path / "reference"
    env = synth_env(reference_home, **model_settings)
    assert run_cli(["add", *map(str, files)], env, 300).code == 0
    done = run_cli(claim, env, 300)
    assert done.code == 0, done.stderr[-2000:]
    for kill in range(2):
        home = tmp_path / f"home-{kill}"
        env = synth_env(home, **model_settings)
        assert run_cli(["add", *map(str, files)], env, 300).code == 0
        kill_after(claim, env, random.Random(kill).uniform(0.6 * done.seconds, done.seconds))
        assert integrity_problem(home / "synth.db") is None
        again = run_cli(claim, env, 300)
        assert again.code == 0, again.stderr[-2000:]
        assert json.loads(again.stdout) == json.loads(done.stdout)

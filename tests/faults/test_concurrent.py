"""Two ``synth add`` processes writing into one home at the same time, with files of
their own and files they share: both finish (waiting on SQLite's lock, never failing on
it), the database passes its integrity check, and it holds exactly what one run of all
the files stores."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from fuzz_targets import integrity_problem, store_contents, synth_command, synth_env

pytestmark = pytest.mark.slow  # two whole ingests at once


def _together(commands: list[list[str]], env: dict[str, str]) -> list[tuple[int, str]]:
    """Start every command at once; each one's exit code and stderr."""
    procs = [
        subprocess.Popen([*synth_command(), *args], env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for args in commands
    ]  # fmt: skip
    return [(proc.wait(timeout=300), proc.communicate()[1]) for proc in procs]


@pytest.mark.parametrize("shared", [False, True], ids=["apart", "shared-files"])
def test_two_writers_on_one_home_store_what_one_run_stores(
    corpus: Any, tmp_path: Path, shared: bool
) -> None:
    files = [str(f) for f in corpus.files]
    first, second = files[0::2], files[1::2]
    if shared:  # both add the JSONL corpus and the first PDF
        first, second = [*first, files[-1]], [*second, files[0]]
    home = tmp_path / "home"
    results = _together([["add", *first], ["add", *second]], synth_env(home))
    for code, stderr in results:
        assert code == 0, stderr[-2000:]
        assert "Traceback" not in stderr and "locked" not in stderr, stderr[-2000:]
    assert integrity_problem(home / "synth.db") is None
    assert store_contents(home / "synth.db") == corpus.contents


def test_a_reader_during_a_write_sees_whole_papers(corpus: Any, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = synth_env(home)
    files = [str(f) for f in corpus.files]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True}
    writer = subprocess.Popen([*synth_command(), "add", *files], env=env, **quiet)
    readers = 0
    while writer.poll() is None:
        listed = subprocess.run([*synth_command(), "corpus", "list", "--json"], env=env,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert listed.returncode == 0 and not listed.stderr.strip(), listed.stderr[-2000:]
        readers += 1
    assert writer.wait() == 0, writer.communicate()[1][-2000:]
    assert readers and store_contents(home / "synth.db") == corpus.contents

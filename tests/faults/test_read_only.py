"""A home synth may not write, made real for root by running synth without
CAP_DAC_OVERRIDE (``setpriv --bounding-set=-dac_override,-dac_read_search``; skipped,
saying why, where that does not take): the commands that only read work as usual, the
ones that write fail in one "read-only" line whose remedy keeps the database, and the
database is left byte for byte. Then the homes that are not there: an empty SYNTH_HOME
writes nothing into the working folder, and ``synth info`` creates no home."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fuzz_targets import CliRun, run_cli, synth_command, synth_env

pytestmark = pytest.mark.slow  # a dozen synth runs

_DROP = ["--bounding-set=-dac_override,-dac_read_search"]


def _as_unprivileged(args: list[str], env: dict[str, str]) -> CliRun:
    setpriv = shutil.which("setpriv")
    assert setpriv
    wrapped = subprocess.run([setpriv, *_DROP, *synth_command(), *args], env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    return CliRun(wrapped.returncode, wrapped.stdout, wrapped.stderr, 0.0)


@pytest.fixture
def read_only_home(corpus: Any, tmp_path: Path) -> Path:
    """A home holding the fault corpus, its folder and files without write permission."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("read-only home: no setpriv here to run synth without CAP_DAC_OVERRIDE")
    probe = tmp_path / "probe"
    probe.write_text("")
    probe.chmod(0o444)
    tried = subprocess.run([setpriv, *_DROP, "sh", "-c", f"echo x >> {probe}"],
                           capture_output=True)  # fmt: skip
    if tried.returncode == 0:
        pytest.skip("read-only home: file permissions do not bind here even without "
                    "CAP_DAC_OVERRIDE (run as another user)")  # fmt: skip
    home = tmp_path / "home"
    run = run_cli(["add", *map(str, corpus.files)], synth_env(home), 300)
    assert run.code == 0, run.stderr[-2000:]
    for path in [home, *home.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return home


def _digest(home: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in home.glob("synth.db*")}


def _one_line(run: CliRun) -> str:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert run.code == 1 and len(lines) == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "unexpected error" not in run.stderr
    return lines[0]


def test_reading_commands_work_in_a_read_only_home(read_only_home: Path) -> None:
    env = synth_env(read_only_home)
    before = _digest(read_only_home)
    for args in (["corpus", "list"], ["corpus", "list", "--json"], ["info"],
                 ["corpus", "show", "paper0.pdf"]):  # fmt: skip
        run = _as_unprivileged(args, env)
        assert run.code == 0 and not run.stderr.strip(), (args, run.stderr[-2000:])
    assert "paper0.pdf" in _as_unprivileged(["corpus", "list"], env).stdout
    assert _digest(read_only_home) == before


def test_writing_commands_fail_in_one_read_only_line_and_keep_the_database(
    read_only_home: Path, corpus: Any, tmp_path: Path
) -> None:
    env = synth_env(read_only_home)
    before = _digest(read_only_home)
    new = tmp_path / "new.md"
    new.write_text("# New\n\nA new note says the gain was 4 points on the probe.\n")
    os.chmod(tmp_path, 0o755)
    for args in (["add", str(new)], ["corpus", "remove", "paper0.pdf"]):
        line = _one_line(_as_unprivileged(args, env))
        assert "read-only" in line, line
        assert "move the file aside" not in line and "rename it" not in line, line
    assert _digest(read_only_home) == before


def test_an_empty_synth_home_writes_nothing_into_the_working_folder(tmp_path: Path) -> None:
    env = synth_env(tmp_path / "unused")
    env["SYNTH_HOME"] = ""
    for args in (["info"], ["corpus", "list"]):
        run = subprocess.run([*synth_command(), *args], env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
        assert "Traceback" not in run.stderr, run.stderr[-2000:]
        assert run.returncode == 1 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_info_does_not_create_a_home(tmp_path: Path) -> None:
    home = tmp_path / "not-yet"
    run = run_cli(["info"], synth_env(home), 120)
    assert run.code == 0, run.stderr[-2000:]
    assert not home.exists()

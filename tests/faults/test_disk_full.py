"""A disk that fills up during ``synth add``: SYNTH_HOME on a 1 MB tmpfs the test mounts
(skipped, saying why, where it cannot: that needs root and CAP_SYS_ADMIN). The ingest
stops at the first failure with one line (how many papers were stored, what to do) and a
non-zero exit; the database passes its integrity check and holds whole papers only; once
there is room again, the same command stores the rest, and the store is what one
uninterrupted run makes."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_targets import integrity_problem, run_cli, store_contents, synth_env

pytestmark = pytest.mark.slow  # ingests until the disk is full, then again

SIZE = "1m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs mounted for this test (the test is skipped where mounting fails)."""
    mount = shutil.which("mount")
    point = tmp_path / "disk"
    point.mkdir()
    if mount is None:
        pytest.skip("disk full: no mount command here, so no small file system to fill")
    tried = subprocess.run([mount, "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(point)],
                           capture_output=True, text=True)  # fmt: skip
    if tried.returncode != 0:
        pytest.skip(f"disk full: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): "
                    f"{tried.stderr.strip()}")  # fmt: skip
    try:
        yield point
    finally:
        with contextlib.suppress(OSError):
            subprocess.run(["umount", "-l", str(point)], check=False)


def _records(count: int) -> str:
    text = "Study {n} found that morning coffee changed recall by {n} percent in adults. " * 8
    return "".join(
        json.dumps({"id": f"doc-{n}", "title": f"Abstract {n}", "abstract": text.format(n=n)})
        + "\n"
        for n in range(count)
    )


def test_a_full_disk_stops_the_ingest_in_one_line_and_a_rerun_with_room_finishes(
    small_disk: Path, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(_records(800))  # about 3 MB stored: three times the disk
    reference_home = tmp_path / "reference"
    assert run_cli(["add", str(corpus)], synth_env(reference_home), 300).code == 0
    reference = store_contents(reference_home / "synth.db")

    home = small_disk / "home"
    env = synth_env(home)
    full = run_cli(["add", str(corpus)], env, 300)
    lines = [line for line in full.stderr.splitlines() if line.strip()]
    assert full.code not in (0, None), full.stdout[-2000:]
    assert len(lines) == 1 and "disk full" in lines[0], full.stderr[-3000:]
    assert "Traceback" not in full.stderr and "unexpected error" not in full.stderr
    assert integrity_problem(home / "synth.db") is None
    stored = store_contents(home / "synth.db")
    assert 0 < len(stored) < len(reference)
    assert all(reference[paper_id] == paper for paper_id, paper in stored.items())
    said = re.search(r"(\d+) papers? stored", lines[0])
    assert said and int(said.group(1)) == len(stored), lines[0]

    grown = subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)],
                           capture_output=True, text=True)  # fmt: skip
    if grown.returncode != 0:
        pytest.skip(f"cannot grow the tmpfs to finish the run: {grown.stderr.strip()}")
    again = run_cli(["add", str(corpus)], env, 300)
    assert again.code == 0, again.stderr[-2000:]
    assert store_contents(home / "synth.db") == reference
    assert integrity_problem(home / "synth.db") is None


def test_a_disk_too_full_to_create_the_database_is_one_line(small_disk: Path) -> None:
    filler = small_disk / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as handle:
        handle.write(b"\0" * (2 * 1024 * 1024))  # fills the 1 MB disk to the last block
    home = small_disk / "home"
    run = run_cli(["add", str(filler)], synth_env(home), 120)
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert run.code not in (0, None) and len(lines) == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "unexpected error" not in run.stderr

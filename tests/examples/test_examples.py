"""The example script runs as a user runs it: a fresh home, the offline mirror, no network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FAKE_ID, REPO

REPORT = f"""# A tiny synthesis

Research question: Does intermediate training help transfer?

## Claims

- Intermediate training gives a gain of 3.5 points [1].

## References

[1] A Made-Up Study of Transfer for Testing. arXiv:{FAKE_ID}
"""


def test_the_example_checks_audits_and_tabulates(
    tiny_models: Path, fake_mirror: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    env = {**os.environ, "SYNTH_HOME": str(tmp_path / "home"),
           "SYNTH_ARXIV_MIRROR": str(fake_mirror)}  # fmt: skip
    claim = "Intermediate training gives a gain of 3.5 points."
    out = subprocess.run(
        [sys.executable, str(REPO / "examples" / "check_and_audit.py"), str(report), FAKE_ID,
         claim],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(FAKE_ID)
    assert any(line.endswith(claim) and line.split()[0] in LABELS for line in lines)
    assert any("Intermediate training gives a gain" in line for line in lines[2:])
    assert "paper" in out.stdout and "quote" in out.stdout  # the table's header


LABELS = {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"}

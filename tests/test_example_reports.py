"""The example reports committed in reports/ are what the current code writes.

``make example-reports`` rewrites them; this test runs the same three commands (the offline
arXiv mirror, a fresh SYNTH_HOME: the shipped verifier and an empty store) and compares what
must not drift: each claim with its verdict and the papers behind it, the references and
the paper ids they resolved to, the model and the settings hash. Confidences, evidence
text and timestamps are left out: they are not what a reader of the examples checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from typer.testing import CliRunner

from synth.cli import app

pytestmark = pytest.mark.slow  # each example loads the real models and papers

SEED = "{seed}"  # stands for ../shared/seed/seed-report.txt, wherever the shared data is
EXAMPLES = {  # the folder in reports/: the command that writes it (as in the Makefile)
    "how-does-scaling-pretrained-model-size-compare-to-english": [
        "report", "--from", "corpus/demo-report.txt",
    ],
    "audit-demo-report": ["audit", "corpus/demo-report.txt"],
    "audit-seed-report": ["audit", SEED],
}  # fmt: skip


def essentials(report: dict[str, Any]) -> dict[str, Any]:
    """What of a report.json the examples stand for: ids, verdicts and the settings hash."""
    return {
        "kind": report["kind"],
        "title": report["title"],
        "model": report["model"],
        "settings_hash": report["settings_hash"],
        "references": [(r["ref"], r["paper_id"], r["resolved"]) for r in report["references"]],
        "claims": [
            {
                "text": claim["checked_text"],
                "label": claim["label"],
                "papers": sorted((p["paper_id"], p["label"]) for p in claim["papers"]),
            }
            for claim in report["claims"]
        ],
    }


@pytest.mark.parametrize("folder", list(EXAMPLES))
def test_committed_example_report_is_what_the_code_writes(
    folder: str,
    shared_data: Path,
    arxiv_mirror: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = shared_data.parent / "seed" / "seed-report.txt"
    if folder == "audit-seed-report" and not seed.is_file():
        pytest.skip(f"the seed report is not at {seed}")
    monkeypatch.chdir(REPO)  # the commands name the demo report by its path in the repo
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(arxiv_mirror))
    args = [str(seed) if arg == SEED else arg for arg in EXAMPLES[folder]]
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [*args, "--out-dir", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == [folder]  # the same folder name as committed
    written = json.loads((out / folder / "report.json").read_text(encoding="utf-8"))
    committed = json.loads((REPO / "reports" / folder / "report.json").read_text("utf-8"))
    assert essentials(committed) == essentials(written), (
        f"reports/{folder}/ is stale: run `make example-reports` and commit reports/"
    )

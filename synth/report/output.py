"""Writing a report's three files into ``<root>/<slug>/``: report.md, report.json and a
self-contained report.html. Each file is written beside its final name and then renamed,
so an interrupted write leaves the previous report whole."""

from __future__ import annotations

import json
from pathlib import Path

from synth.core.errors import SynthError
from synth.core.files import write_atomic
from synth.core.serialize import report_json
from synth.core.types import Report
from synth.report.render import render_html, render_markdown


def write_report(report: Report, folder: Path) -> dict[str, Path]:
    """Write report.md, report.json and report.html into ``folder``; their paths by kind."""
    files = {
        "md": (folder / "report.md", render_markdown(report)),
        "json": (folder / "report.json", json.dumps(report_json(report), indent=2,
                                                   ensure_ascii=False) + "\n"),
        "html": (folder / "report.html", render_html(report)),
    }  # fmt: skip
    try:
        for path, text in files.values():
            write_atomic(path, text)
    except OSError as exc:
        raise SynthError(
            f"cannot write the report to {folder} ({exc.strerror})",
            "choose another folder with --out-dir",
        ) from exc
    return {kind: path for kind, (path, _) in files.items()}

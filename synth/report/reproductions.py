"""Reproductions filed by claim, so an audit shows an experiment's result beside the claim.

``synth reproduce`` saves its result as ``SYNTH_HOME/reproductions/<key>.json``; the key
hashes the claim's text with case and spacing folded, so the same sentence in a report finds
it again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from synth.core.files import write_json
from synth.core.types import ExperimentCheck, content_id


def claim_key(text: str) -> str:
    return content_id("repro", " ".join(text.lower().split()))


def reproduction_path(home: Path, claim: str) -> Path:
    return home / "reproductions" / f"{claim_key(claim)}.json"


def save_reproduction(home: Path, claim: str, payload: dict[str, Any]) -> Path:
    """File ``payload`` (a reproduction as JSON) under ``claim``; the newest one wins."""
    path = reproduction_path(home, claim)
    write_json(path, payload)
    return path


def find_reproduction(home: Path, *texts: str) -> ExperimentCheck | None:
    """The reproduction filed under the first of ``texts`` that has one (an unreadable file
    counts as none: an audit never fails on it)."""
    for text in texts:
        path = reproduction_path(home, text)
        if not text or not path.is_file():
            continue
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            measured = payload["measured"]
            return ExperimentCheck(
                verdict=payload["verdict"], delta=measured["delta"], ci_low=measured["ci_low"],
                ci_high=measured["ci_high"], seeds=tuple(measured["seeds"]),
                preset=payload["preset"], model=payload["model"],
                explanation=payload.get("explanation", ""), path=str(path),
            )  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None

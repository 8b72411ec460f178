"""Writing files so that an interruption never leaves one half-written: the text goes beside
the final name first and is then renamed over it (a rename is atomic on one file system)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_atomic(path: Path, text: str, partial_suffix: str = ".partial") -> None:
    """Write ``text`` to ``path`` (its folder created), whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + partial_suffix)
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def write_json(path: Path, payload: Any) -> None:
    """``payload`` as indented UTF-8 JSON, written atomically."""
    write_atomic(path, json.dumps(payload, indent=2, ensure_ascii=False))

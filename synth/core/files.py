"""Writing files so that an interruption never leaves one half-written: the text goes beside
the final name first and is then renamed over it (a rename is atomic on one file system)."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

MAX_SLUG = 60  # characters of a folder name made from a title


def write_atomic(path: Path, text: str, partial_suffix: str = ".partial") -> None:
    """Write ``text`` to ``path`` (its folder created), whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + partial_suffix)
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def write_json(path: Path, payload: Any) -> None:
    """``payload`` as indented UTF-8 JSON, written atomically."""
    write_atomic(path, json.dumps(payload, indent=2, ensure_ascii=False))


def slugify(text: str) -> str:
    """A folder name from a title: lower-case ASCII words joined by '-', at most MAX_SLUG
    characters, cut at a word boundary ("report" when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > MAX_SLUG:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or (words[0][:MAX_SLUG] if words else "report")

"""Writing files so that an interruption never leaves one half-written: the text goes beside
the final name first and is then renamed over it (a rename is atomic on one file system).
Reading a text file a user wrote, in whatever encoding it is in."""

from __future__ import annotations

import codecs
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth.core.errors import BadInput

MAX_SLUG = 60  # characters of a folder name made from a title
BINARY_SHARE = 0.05  # more control characters than this in a file's head: not text
_SAMPLE = 65536  # bytes of a file's head looked at for control characters
_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])


@dataclass(frozen=True)
class Decoded:
    """A text file's text and the encoding it was read in."""

    text: str
    encoding: str  # "UTF-8", "UTF-16", or a legacy one: "Windows-1252", "Latin-1"

    @property
    def legacy(self) -> bool:
        """Read in a legacy 8-bit encoding: accented letters may be the wrong ones."""
        return not self.encoding.startswith("UTF")

    def note(self, name: object) -> str:
        """The line that tells the user a legacy encoding was assumed for ``name``."""
        return (
            f"{name} is not UTF-8: read as {self.encoding}; if accented letters look wrong, "
            "save it as UTF-8"
        )


def decode_text(data: bytes) -> Decoded | None:
    """The text of a file a user wrote: UTF-8 (a BOM dropped), UTF-16 with a BOM, else
    Windows-1252 or Latin-1. None when the bytes are not text: a NUL byte outside UTF-16,
    or more than :data:`BINARY_SHARE` control characters (other than tab, line breaks,
    form feed and escape) in the first 64 KiB.

    Args:
        data: The file's bytes.

    Returns:
        The :class:`Decoded` text, or None for binary data.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "UTF-16")
        except UnicodeDecodeError:
            return None
    head = data[:_SAMPLE]
    if b"\x00" in data or len(head.translate(None, _CONTROLS)) < len(head) * (1 - BINARY_SHARE):
        return None
    for codec, name in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return Decoded(data.decode(codec), name)
        except UnicodeDecodeError:
            continue
    return Decoded(data.decode("latin-1"), "Latin-1")  # five bytes Windows-1252 leaves out


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


def require_unicode(record: Any) -> None:
    """Refuse parsed JSON whose text cannot be stored or written as UTF-8: JSON may escape a
    lone surrogate (``"\\ud800"``), which no UTF-8 text holds.

    Args:
        record: What ``json.loads`` returned for one line.

    Raises:
        BadInput: it holds an unpaired surrogate.
    """
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadInput(
            "the line holds an unpaired surrogate escape (\\ud800-\\udfff)",
            "fix or remove that line: it is not valid Unicode text",
        ) from exc


def json_lines(text: str) -> list[str]:
    """The lines of a JSONL text, split at line breaks only (``\\n``, ``\\r\\n``, ``\\r``): a
    JSON string may hold U+2028 or U+0085 raw, which :meth:`str.splitlines` would also cut.

    Args:
        text: The file's text.

    Returns:
        Its lines, without their line breaks.
    """
    return re.split(r"\r\n|\r|\n", text)

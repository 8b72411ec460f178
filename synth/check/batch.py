"""Checking a JSONL file of claims: one verdict per line, written as it is made.

A bad line (not JSON, no claim, papers that are not a list of ids, a claim synth refuses)
becomes an error line naming its line number, and the batch goes on. Every row has an id:
the line's own, else ``"line N"`` (N its line number in the file, blank lines counted). A
file that is not UTF-8 is read in a legacy encoding, with a note. The output is written to
``OUT.partial`` and renamed at the end, so an interrupted batch never leaves a file that
looks finished."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synth.check.checker import Checker
from synth.core.errors import BadInput, SynthError
from synth.core.files import decode_text, json_lines, require_unicode
from synth.core.serialize import verdict_json

log = logging.getLogger("synth")


def _read_lines(source: Path) -> list[str]:
    """The lines of a claims file (a note when it is not UTF-8), or BadInput."""
    try:
        decoded = decode_text(source.read_bytes())
    except OSError as exc:
        raise BadInput(f"{source}: cannot read ({exc})", "give a JSONL file of claims") from exc
    if decoded is None:
        raise BadInput(f"{source} is a binary file, not JSONL", "give a JSONL file of claims")
    if decoded.legacy:
        log.warning(decoded.note(source))
    return json_lines(decoded.text)


def check_jsonl(
    checker: Checker, source: Path, out: Path, papers: Sequence[str] = ()
) -> tuple[int, int]:
    """Check every line of ``source`` and write a verdict (or an error) per line to ``out``.

    Args:
        checker: The checker.
        source: JSONL of ``{"id", "claim"[, "papers"]}``.
        out: The JSONL of verdicts.
        papers: Papers for lines that name none (empty: the whole corpus).

    Returns:
        ``(lines checked, lines that failed)``.

    Raises:
        BadInput: ``source`` cannot be read, or is not text.
    """
    lines = _read_lines(source)
    failed = done = 0
    tmp = out.with_name(out.name + ".partial")
    with tmp.open("w", encoding="utf-8") as sink:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            key: Any = f"line {number}"
            try:
                record = json.loads(line)
                require_unicode(record)
                if isinstance(record, dict) and record.get("id") is not None:
                    key = record["id"]
                if not isinstance(record, dict) or not isinstance(record.get("claim"), str):
                    raise BadInput("no claim", 'write {"id": ..., "claim": "..."} per line')
                refs = record.get("papers") or list(papers)
                if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
                    raise BadInput('"papers" is not a list of ids', 'write "papers": ["ID"]')
                row = verdict_json(checker.check(record["claim"], refs), id=key)
            except (SynthError, ValueError) as exc:  # ValueError: json's own (and its limits)
                failed += 1
                row = {"id": key, "line": number, "error": str(exc)}
            except RecursionError:
                failed += 1
                row = {"id": key, "line": number, "error": "the line is nested too deeply to read"}
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            done += 1
    tmp.replace(out)
    return done, failed

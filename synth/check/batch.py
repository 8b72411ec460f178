"""Checking a JSONL file of claims: one verdict per line, written as it is made.

A bad line (not JSON, no claim, papers that are not a list of ids, a claim synth refuses)
becomes an error line naming its line number, and the batch goes on. The output is written
to ``OUT.partial`` and renamed at the end, so an interrupted batch never leaves a file that
looks finished."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synth.check.checker import Checker
from synth.core.errors import BadInput, SynthError
from synth.core.serialize import verdict_json


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
        BadInput: ``source`` cannot be read as UTF-8 text.
    """
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{source}: cannot read ({exc})", "give a UTF-8 JSONL file") from exc
    failed = done = 0
    tmp = out.with_name(out.name + ".partial")
    with tmp.open("w", encoding="utf-8") as sink:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record: Any = None
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not isinstance(record.get("claim"), str):
                    raise BadInput("no claim", 'write {"id": ..., "claim": "..."} per line')
                refs = record.get("papers") or list(papers)
                if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
                    raise BadInput('"papers" is not a list of ids', 'write "papers": ["ID"]')
                row = verdict_json(checker.check(record["claim"], refs), id=record.get("id"))
            except (SynthError, json.JSONDecodeError) as exc:
                failed += 1
                key = record.get("id") if isinstance(record, dict) else None
                row = {"id": key, "line": number, "error": str(exc)}
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            done += 1
    tmp.replace(out)
    return done, failed

"""Fuzzing synth with hostile inputs of every kind it reads (not part of the test run;
tests/fuzz/ runs a small seeded corpus of the same inputs on every test run).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/fuzz.py --pdfs 2000 --texts 300 \\
        --reports 300 --jsonl 300 --claims 300 --seed 14 --out out/fuzz

The mutants come from tests/fuzzing.py, the runners from tests/fuzz_targets.py. PDFs go to
``synth add`` in subprocesses, ``--batch`` files a run (a run that goes wrong is run again
file by file, so each outcome belongs to one file); the other kinds go to the library in a
worker process; ``--regex-size`` times every text parser on every adversarial string.
``--out`` gets results.jsonl (one line per input, as it comes), summary.json, summary.md (a
table per kind, every distinct failure, the most common clean errors) and failures/ (each
failing input, to reproduce it: ``synth add failures/pdf-00017.pdf``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from adversarial import BOUND_S, SHAPES  # noqa: E402
from fuzz_targets import (  # noqa: E402
    BUDGET_S,
    CLEAN,
    FAILURES,
    OUTCOMES,
    SLACK_S,
    Result,
    Sandbox,
    add_batch,
    parsers,
)
from fuzzing import Mutant, mutant, seeds  # noqa: E402

# ---------------------------------------------------------------------------------------
# A run


def _draw(kind: str, count: int, seed: int, scratch: Path) -> Iterator[Mutant]:
    """``count`` distinct mutants of ``kind`` (a mutant equal to an earlier one is
    skipped: the same bytes would be stored once)."""
    pool, seen, index = seeds(kind, scratch), set[bytes](), 0
    while len(seen) < count and index < 20 * count:
        candidate = mutant(kind, index, seed, pool)
        index += 1
        if candidate.data not in seen:
            seen.add(candidate.data)
            yield candidate


def _by_cli(
    mutants: Sequence[Mutant], batch: int, scratch: Path
) -> Iterator[tuple[Mutant, Result]]:
    """PDF mutants through ``synth add``, ``batch`` files a run."""
    for start in range(0, len(mutants), batch):
        group = mutants[start : start + batch]
        folder = Path(tempfile.mkdtemp(prefix="batch-", dir=scratch))
        files = [folder / m.name for m in group]
        for path, m in zip(files, group, strict=True):
            path.write_bytes(m.data)
        for m, judged in zip(group, add_batch(files, folder), strict=True):
            yield m, Result(m.kind, m.index, m.mutation, m.name, *judged)


def _in_worker(sandbox: Sandbox, mutants: Sequence[Mutant]) -> Iterator[tuple[Mutant, Result]]:
    """Mutants through the library in the worker: PDFs, text and JSONL corpora ingested
    (their kind is the format), reports parsed, claims checked."""
    for m in mutants:
        if m.kind in ("pdf", "text", "jsonl"):
            answer = sandbox.run("ingest", m.name, m.data, m.kind)
        else:
            answer = sandbox.run(m.kind, m.name, m.data)
        yield m, Result(m.kind, m.index, m.mutation, m.name, *answer)


def fuzz(
    counts: dict[str, int], seed: int, scratch: Path, *, pdf_cli: bool = True, batch: int = 10,
    regex_size: int = 0, log: Callable[[Result], None] | None = None, keep: Path | None = None,
) -> list[Result]:  # fmt: skip
    """Feed ``counts[kind]`` mutants of each kind to synth and sort what happened.

    Args:
        counts: Mutants per kind (pdf, text, report, jsonl, claims).
        seed: The run's seed.
        scratch: A folder for files and homes.
        pdf_cli: PDFs through ``synth add`` in subprocesses (else the library's ingest).
        batch: PDFs per ``synth add`` run.
        regex_size: Time every parser on every adversarial string of this many characters
            (0: not at all).
        log: Called with each result as it comes.
        keep: A folder to write each failing input to, as it was.

    Returns:
        One result per input.
    """
    results: list[Result] = []
    sandbox = Sandbox(SLACK_S + BUDGET_S)
    try:
        for kind, count in counts.items():
            mutants = list(_draw(kind, count, seed, scratch / kind))
            if kind == "pdf" and pdf_cli:
                found = _by_cli(mutants, batch, scratch)
            else:
                found = _in_worker(sandbox, mutants)
            for m, result in found:
                results.append(result)
                if log:
                    log(result)
                if keep and result.outcome in FAILURES:
                    keep.mkdir(parents=True, exist_ok=True)
                    (keep / m.name).write_bytes(m.data)
        if regex_size:
            pairs = [(p, s) for p in sorted(parsers()) for s in SHAPES]
            for number, (parser, shape) in enumerate(pairs):
                answer = sandbox.run("regex", parser, shape, regex_size, BOUND_S)
                results.append(Result("regex", number, f"{parser} {shape}", parser, *answer))
                if log:
                    log(results[-1])
    finally:
        sandbox.close()
    return results


def _pattern(detail: str) -> str:
    """``detail`` with file paths and numbers left out: failures of one kind read alike."""
    return re.sub(r"\S+\.(pdf|md|txt|jsonl)\S*|\d+", "#", detail)


def summary(results: Sequence[Result]) -> dict[str, Any]:
    """Per kind: inputs tried and the count of each outcome; every failure; the distinct
    failures (kind, outcome, detail without numbers) with how often each came."""
    kinds: dict[str, dict[str, int]] = {}
    for r in results:
        row = kinds.setdefault(r.kind, {"tried": 0, **dict.fromkeys(OUTCOMES, 0)})
        row["tried"] += 1
        row[r.outcome] += 1
    failures = [asdict(r) for r in results if r.outcome in FAILURES]
    distinct: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in results:
        if r.outcome in FAILURES:
            key = (r.kind, r.outcome, _pattern(r.detail))
            entry = distinct.setdefault(key, {"kind": r.kind, "outcome": r.outcome, "count": 0,
                                              "example": asdict(r)})  # fmt: skip
            entry["count"] += 1
    clean: dict[tuple[str, str], int] = {}
    for r in results:
        if r.outcome == CLEAN:
            said = (r.kind, _pattern(r.detail)[:160])
            clean[said] = clean.get(said, 0) + 1
    common = sorted(clean.items(), key=lambda item: -item[1])[:40]
    common_errors = [{"kind": k, "error": e, "count": n} for (k, e), n in common]
    return {"kinds": kinds, "distinct_failures": list(distinct.values()), "failures": failures,
            "common_clean_errors": common_errors}  # fmt: skip


def markdown(facts: dict[str, Any]) -> str:
    """The summary as Markdown: one table row per kind, then every distinct failure."""
    head = "| kind | inputs tried | " + " | ".join(OUTCOMES) + " |"
    lines = [head, "|---" * (len(OUTCOMES) + 2) + "|"]
    for kind, row in facts["kinds"].items():
        lines.append(f"| {kind} | {row['tried']:,} | "
                     + " | ".join(f"{row[o]:,}" for o in OUTCOMES) + " |")  # fmt: skip
    lines += ["", f"## Distinct failures ({len(facts['distinct_failures'])})", ""]
    for entry in facts["distinct_failures"]:
        ex = entry["example"]
        lines.append(f"- **{entry['kind']} / {entry['outcome']}** ×{entry['count']}: "
                     f"`{ex['name']}` ({ex['mutation']}): {ex['detail']}")  # fmt: skip
    lines += ["", "## Most common clean errors", ""]
    lines += [f"- {c['kind']} ×{c['count']}: {c['error']}" for c in facts["common_clean_errors"]]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for kind, default in (("pdfs", 200), ("texts", 100), ("reports", 100), ("jsonl", 100),
                          ("claims", 100)):  # fmt: skip
        parser.add_argument(f"--{kind}", type=int, default=default, help=f"{kind} mutants")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, default=REPO / "out" / "fuzz")
    parser.add_argument("--batch", type=int, default=10, help="PDFs per synth add run")
    parser.add_argument("--regex-size", type=int, default=1_000_000,
                        help="adversarial strings' length (0: no regex timing)")  # fmt: skip
    parser.add_argument("--library", action="store_true", help="PDFs through the library")
    args = parser.parse_args(argv)
    counts = {"pdf": args.pdfs, "text": args.texts, "report": args.reports, "jsonl": args.jsonl,
              "claims": args.claims}  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="synth-fuzz-") as tmp, \
            (args.out / "results.jsonl").open("w", encoding="utf-8") as log_file:  # fmt: skip

        def log(result: Result) -> None:
            log_file.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
            log_file.flush()
            if result.outcome in FAILURES:
                print(f"{result.outcome}: {result.name} ({result.mutation}): {result.detail}",
                      flush=True)  # fmt: skip

        results = fuzz(counts, args.seed, Path(tmp), pdf_cli=not args.library, batch=args.batch,
                       regex_size=args.regex_size, log=log, keep=args.out / "failures")  # fmt: skip
    facts = {"seed": args.seed, "seconds": round(time.monotonic() - start),
             "budget_s": BUDGET_S, "limit_s": BUDGET_S + SLACK_S, **summary(results)}  # fmt: skip
    (args.out / "summary.json").write_text(json.dumps(facts, indent=2, ensure_ascii=False))
    (args.out / "summary.md").write_text(markdown(facts), encoding="utf-8")
    print(markdown(facts))
    return facts


if __name__ == "__main__":
    main()

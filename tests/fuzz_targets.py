"""Feeding hostile inputs to synth and sorting what happened, for the fuzz harness
(benchmarks/fuzz.py), the fast fuzz tests (tests/fuzz/) and the fault tests (tests/faults/).

PDFs go to the real CLI, ``synth add``, in a subprocess with its own SYNTH_HOME, killed
(with everything it started) at a wall-clock limit somewhat above synth's own per-file
budget. Text and Markdown files and JSONL corpora go through the library's ingest, reports
through the report parser, claims through ``check --batch``'s reader and writer (with the
deterministic fake models of tests/fakes.py), and every text parser is timed on the
adversarial strings of tests/adversarial.py; each of these in a worker process that is
killed at the limit.

Each input ends as one of: stored (accepted), a clean error (one line, a non-zero exit, no
traceback), an unclean error (several lines, a wrong exit code, or silence), a traceback
(or "unexpected error"), a hang (killed at the limit, or a parser over its time bound), or
an integrity failure (``PRAGMA integrity_check`` or the FTS index check fails, a paper is
stored without all its pages, or what is stored or written disagrees with what was
reported).
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

STORED, CLEAN, UNCLEAN = "stored", "clean error", "unclean error"
TRACEBACK, HANG, INTEGRITY = "traceback", "hang", "integrity failure"
OUTCOMES = (STORED, CLEAN, UNCLEAN, TRACEBACK, HANG, INTEGRITY)
FAILURES = (UNCLEAN, TRACEBACK, HANG, INTEGRITY)
_RANK = {outcome: rank for rank, outcome in enumerate(OUTCOMES)}  # later: worse
BUDGET_S = 15.0  # synth's own per-file parse budget in these runs (SYNTH_PARSE_TIMEOUT_SECONDS)
SLACK_S = 20.0  # the limit: the budget, plus this for starting synth and storing the paper
MEMORY_MB = 4096  # the in-process workers' address space
_LINE_END = re.compile(r"\r\n|\r|\n")  # the line ends of JSON Lines (and a lone CR)


@dataclass(frozen=True)
class Result:
    """What happened to one input."""

    kind: str
    index: int
    mutation: str
    name: str
    outcome: str
    detail: str
    seconds: float


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def worst(*judged: tuple[str, str]) -> tuple[str, str]:
    """The worst of several ``(outcome, detail)`` pairs."""
    return max(judged, key=lambda pair: _RANK[pair[0]])


# ---------------------------------------------------------------------------------------
# The store after a run


def integrity_problem(db: Path) -> str | None:
    """What is wrong with the database at ``db`` (None: nothing, or no database): SQLite's
    integrity check, the FTS index's own check, a paper stored without all its pages.

    Args:
        db: The synth.db file.

    Returns:
        One line naming the problem, or None.
    """
    if not db.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(db, timeout=30)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            if rows != [("ok",)]:
                return one_line(f"integrity_check: {rows[:3]}")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "passages_fts" in tables:
                conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
            if {"papers", "pages"} <= tables:
                half = conn.execute(
                    "SELECT paper_id FROM papers p WHERE json_extract(record, '$.pages') != "
                    "(SELECT count(*) FROM pages WHERE paper = p.id)"
                ).fetchall()
                if half:
                    return one_line(f"stored without all its pages: {[r[0] for r in half[:3]]}")
    except sqlite3.Error as exc:
        return one_line(f"{type(exc).__name__}: {exc}")
    return None


def stored_names(db: Path) -> set[str]:
    """The paper_ids stored in the database at ``db`` (empty when there is none)."""
    return set(store_contents(db))


Contents = dict[str, tuple[str, tuple[tuple[str, str], ...]]]


def store_contents(db: Path) -> Contents:
    """What the store at ``db`` holds, to compare two stores: each paper_id with its
    content id and its passages (id and text), in order.

    Args:
        db: The synth.db file.

    Returns:
        ``{paper_id: (id, ((passage id, text), ...))}``; empty when there is no database.
    """
    if not db.exists():
        return {}
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'papers'").fetchall():
            return {}  # created, but killed before its tables were
        rows = conn.execute(
            "SELECT p.paper_id, p.id, s.id, s.text FROM papers p "
            "LEFT JOIN passages s ON s.paper = p.id ORDER BY p.paper_id, s.rowid"
        ).fetchall()
    found: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for paper_id, key, passage, text in rows:
        entry = found.setdefault(paper_id, (key, []))
        if passage is not None:
            entry[1].append((passage, text))
    return {paper_id: (key, tuple(passages)) for paper_id, (key, passages) in found.items()}


def expected_lines(text: str) -> int:
    """The records a JSON Lines text holds: its non-blank lines, cut at line breaks only (a
    U+2028, U+2029 or U+0085 inside a JSON string belongs to that string).

    Args:
        text: The file's text.

    Returns:
        The count.
    """
    return sum(1 for line in _LINE_END.split(text) if line.strip())


# ---------------------------------------------------------------------------------------
# In-process targets, run in a worker process (see Sandbox)


def _judge_ingest(outcomes: Sequence[Any], db: Path, expected: int) -> tuple[str, str]:
    """The outcome of a library ingest: its outcomes against the store."""
    from synth.core.types import AddStatus

    messages = [str(o.error) for o in outcomes if o.error is not None]
    bug = next((m for m in messages if "unexpected error" in m), None)
    if bug:
        return TRACEBACK, one_line(bug)
    problem = integrity_problem(db)
    if problem:
        return INTEGRITY, problem
    if len(outcomes) != expected:
        first = one_line(messages[0]) if messages else ""
        return INTEGRITY, f"{len(outcomes)} outcomes for {expected} records; first error: {first}"
    added = {o.paper.paper_id for o in outcomes if o.status in (AddStatus.ADDED, AddStatus.UPDATED)}
    missing = added - stored_names(db)
    if missing:
        return INTEGRITY, f"reported stored, not in the store: {sorted(missing)[:3]}"
    if any("\n" in m for m in messages):
        return UNCLEAN, "an error of several lines: " + one_line(messages[0])
    usable = [o for o in outcomes if o.status in (AddStatus.ADDED, AddStatus.UPDATED)
              and o.passages]  # fmt: skip
    if usable:
        return STORED, f"{len(usable)} stored, {len(messages)} errors"
    if added:  # the CLI says "stored, but no text found" and exits 1
        return CLEAN, f"stored without text (0 passages): {sorted(added)[0]}"
    if not messages:
        return UNCLEAN, "nothing stored and no error"
    return CLEAN, one_line(messages[0])


def ingest(name: str, data: bytes, fmt: str) -> tuple[str, str]:
    """``data`` written as ``name`` and added through the library into a fresh home.

    Args:
        name: The file name.
        data: Its bytes.
        fmt: ``synth add --format``: auto, pdf, text or jsonl.

    Returns:
        The outcome and a one-line detail.
    """
    from synth.core.settings import Settings
    from synth.corpus.ingest import Ingestor
    from synth.corpus.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        settings = Settings(home=Path(tmp) / "home", parse={"timeout_seconds": BUDGET_S})
        with Store(settings.db_path) as store:
            outcomes = list(Ingestor(store, settings).add_paths([path], fmt))
        try:
            expected = expected_lines(data.decode("utf-8-sig")) if fmt == "jsonl" else 1
        except UnicodeDecodeError:
            expected = 1  # one error for the whole file
        return _judge_ingest(outcomes, settings.db_path, expected)


def report(name: str, data: bytes) -> tuple[str, str]:
    """``data`` read and parsed as a report to audit (no model, no store)."""
    from synth.core.settings import ReportSettings
    from synth.report.parse import parse_report, read_report

    limits = ReportSettings()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        parsed = parse_report(read_report(path, limits.max_report_mb).text, limits.max_claims)
    return STORED, f"{len(parsed.claims)} claims, {len(parsed.references)} references"


_CHECKER: Any = None


def _checker() -> Any:
    """A checker on a store of one paper, with the fake embedder and NLI scorer (made
    once per worker)."""
    global _CHECKER
    if _CHECKER is None:
        home = Path(tempfile.mkdtemp(prefix="fuzz-checker-"))
        from fakes import HashingEmbedder, PhraseScorer, add_paper

        from synth.check.checker import Checker
        from synth.core.settings import Settings
        from synth.corpus.store import Store
        from synth.retrieval.search import Retriever

        settings = Settings(home=home)
        store = Store(settings.db_path)
        add_paper(store, "cafe", "Breaks and memory", ["Café breaks improve recall by 4 points."])
        scorer = PhraseScorer({"improve recall": (0.9, 0.05, 0.05)})
        _CHECKER = Checker(store, Retriever(store, HashingEmbedder(), settings), scorer, settings)
    return _CHECKER


def claims(name: str, data: bytes) -> tuple[str, str]:
    """``data`` checked as ``synth check --batch IN --out OUT`` does, with fake models."""
    from synth.check.batch import check_jsonl
    from synth.core.files import decode_text

    checker = _checker()
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / name, Path(tmp) / "verdicts.jsonl"
        source.write_bytes(data)
        done, failed = check_jsonl(checker, source, out)
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
        left = [p.name for p in Path(tmp).iterdir() if p.name.endswith(".partial")]
    decoded = decode_text(data)
    expected = expected_lines(decoded.text) if decoded else 0
    if left or len(rows) != done or done != expected:
        return INTEGRITY, f"{len(rows)} rows, {done} reported, {expected} lines, left: {left}"
    nameless = [r for r in rows if r.get("id") is None]
    if nameless:
        return INTEGRITY, f"a row without an id: {one_line(json.dumps(nameless[0]))}"
    errors = [str(r["error"]) for r in rows if "error" in r]
    if any("\n" in e for e in errors):
        return UNCLEAN, "an error of several lines: " + one_line(errors[0])
    if done > failed:
        return STORED, f"{done - failed} verdicts, {failed} errors"
    return CLEAN, one_line(errors[0]) if errors else "no claim in the file"


def parsers() -> dict[str, Callable[[str], object]]:
    """Every pure function that reads untrusted text, by name."""
    from synth.check.claims import detect_language, normalise_claim
    from synth.core.arxiv_ids import parse_arxiv_id
    from synth.core.errors import SynthError
    from synth.core.files import decode_text
    from synth.corpus.parsing import chunk, clean, structure
    from synth.corpus.parsing.cells import is_numeric, value_parts
    from synth.corpus.store import fts_query
    from synth.report.extract import score_sentence
    from synth.report.parse import complete_part, parse_report
    from synth.report.references import arxiv_target
    from synth.verify import numeric
    from synth.verify.quote import states_verbatim

    def quietly(parse: Callable[[str], object]) -> Callable[[str], object]:
        def run(text: str) -> object:
            with contextlib.suppress(SynthError):  # refusing is fine; only time is measured
                return parse(text)
            return None

        return run

    parsers: dict[str, Callable[[str], object]] = {
        "normalise_line": clean.normalise_line, "line_key": clean.line_key,
        "venue_line": clean.venue_line, "margin_junk": clean.margin_junk,
        "hyphenated_words": lambda t: clean.hyphenated_words([t, t]),
        "join_lines": lambda t: clean.join_lines([t, t[: len(t) // 2], t], set()),
        "split_sentences": chunk.split_sentences,
        "structure_pages": lambda t: structure.structure_pages([t.split("\n"), [t]]),
        "heading": lambda t: structure.heading(t, False), "numeric_line": structure.numeric_line,
        "parse_report": lambda t: parse_report(t, 200), "complete_part": complete_part,
        "extract_quantities": numeric.extract_quantities,
        "check_numbers": lambda t: numeric.check_numbers(t[:1000], [t]),
        "subject_words": numeric.subject_words, "normalise_claim": normalise_claim,
        "detect_language": detect_language, "fts_query": fts_query,
        "decode_text": lambda t: decode_text(t.encode("utf-8")), "score_sentence": score_sentence,
        "is_numeric": is_numeric, "value_parts": value_parts, "arxiv_id": parse_arxiv_id,
        "arxiv_target": arxiv_target, "states_verbatim": lambda t: states_verbatim(t[:1000], t),
    }  # fmt: skip
    return {name: quietly(parse) for name, parse in parsers.items()}


def regex(parser: str, shape: str, size: int, bound_s: float) -> tuple[str, str]:
    """``parser`` timed on the adversarial string ``shape`` of ``size`` characters, and on
    one eighth of it: over ``bound_s`` and growing faster than linearly is a hang."""
    from adversarial import adversarial, seconds

    parse = parsers()[parser]
    small = seconds(parse, adversarial(shape, size // 8))
    took = seconds(parse, adversarial(shape, size))
    detail = f"{parser} on {size:,} chars of {shape}: {took:.2f} s ({size // 8:,}: {small:.2f} s)"
    if took > bound_s and (took > 10 * bound_s or took > 20 * max(small, 0.01)):
        return HANG, detail
    return STORED, detail


TARGETS: dict[str, Callable[..., tuple[str, str]]] = {
    "ingest": ingest, "report": report, "claims": claims, "regex": regex,
}  # fmt: skip


def _serve(conn: Connection) -> None:
    """The worker's loop: run each target asked for and answer (outcome, detail)."""
    import resource
    import warnings

    from synth.core.errors import SynthError

    with contextlib.suppress(ValueError, OSError):
        limit = MEMORY_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    warnings.simplefilter("ignore")
    logging.getLogger("synth").disabled = True  # its notes (a legacy encoding read) are fine
    while True:
        try:
            target, args = conn.recv()
        except EOFError:
            return
        try:
            answer = TARGETS[target](*args)
        except SynthError as exc:
            answer = (UNCLEAN if "\n" in str(exc) else CLEAN), one_line(str(exc))
        except BaseException as exc:  # a bug: RecursionError, MemoryError, anything
            tail = traceback.format_exception(exc)[-1]
            answer = TRACEBACK, one_line(f"{tail} (at {_where(exc)})")
        conn.send(answer)


def _where(exc: BaseException) -> str:
    """The innermost frame of ``exc`` inside synth (else the innermost of all)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/synth/" in f.filename] or frames
    return f"{Path(ours[-1].filename).name}:{ours[-1].lineno} {ours[-1].name}" if ours else "?"


class Sandbox:
    """A worker process (forked from a clean forkserver) that runs one target at a time;
    killed and replaced when it does not answer within ``limit_s`` or dies."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        methods = multiprocessing.get_all_start_methods()
        self._context: Any = multiprocessing.get_context(
            "forkserver" if "forkserver" in methods else "spawn"
        )
        self._start()

    def _start(self) -> None:
        self._conn, child = self._context.Pipe()
        self._worker = self._context.Process(target=_serve, args=(child,), daemon=True)
        self._worker.start()
        child.close()

    def _restart(self) -> int | None:
        self._worker.kill()
        self._worker.join()
        code: int | None = self._worker.exitcode
        self._conn.close()
        self._start()
        return code

    def run(self, target: str, *args: object) -> tuple[str, str, float]:
        """``TARGETS[target](*args)`` in the worker.

        Returns:
            The outcome, a one-line detail and the seconds taken.
        """
        start = time.monotonic()
        self._conn.send((target, args))
        try:
            if self._conn.poll(self.limit_s):
                outcome, detail = self._conn.recv()
                return outcome, detail, time.monotonic() - start
        except EOFError:
            code = self._restart()
            how = signal.Signals(-code).name if code and code < 0 else f"exit code {code}"
            return TRACEBACK, f"the worker died ({how})", time.monotonic() - start
        self._restart()
        return HANG, f"no answer within {self.limit_s:g} s", time.monotonic() - start

    def close(self) -> None:
        self._conn.close()
        self._worker.join(timeout=10)
        if self._worker.is_alive():
            self._worker.kill()
            self._worker.join()


# ---------------------------------------------------------------------------------------
# The CLI, in a subprocess


@dataclass(frozen=True)
class CliRun:
    """One ``synth`` run: exit code (None: killed at the limit), its output, its seconds."""

    code: int | None
    stdout: str
    stderr: str
    seconds: float


def synth_command() -> list[str]:
    """How to start the ``synth`` CLI of this interpreter's environment."""
    script = Path(sys.executable).with_name("synth")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from synth.cli import app; app()"]


def synth_env(home: Path, **settings: str) -> dict[str, str]:
    """The environment of a ``synth`` run in ``home``: no SYNTH_* setting of the caller's,
    one thread, the fuzz budget, and ``settings`` (names without the SYNTH_ prefix)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNTH_")}
    env.update(SYNTH_HOME=str(home), OMP_NUM_THREADS="1", HOME=str(home.parent),
               SYNTH_PARSE_TIMEOUT_SECONDS=f"{BUDGET_S:g}")  # fmt: skip
    env.update({f"SYNTH_{key.upper()}": value for key, value in settings.items()})
    return env


def run_cli(args: Sequence[str], env: dict[str, str], limit_s: float) -> CliRun:
    """``synth ARGS`` in its own process group, killed (with every process it started) at
    ``limit_s``.

    Args:
        args: The arguments after ``synth``.
        env: Its environment (see :func:`synth_env`).
        limit_s: The wall-clock limit.

    Returns:
        The run.
    """
    start = time.monotonic()
    with subprocess.Popen([*synth_command(), *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
                          start_new_session=True) as proc:  # fmt: skip
        try:
            out, err = proc.communicate(timeout=limit_s)
            code: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            code = None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the run and anything it left behind
        if code is None:
            out, err = proc.communicate()
    text = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    return CliRun(code, *text, time.monotonic() - start)


def judge_add(run: CliRun, names: Sequence[str], home: Path) -> list[tuple[str, str]]:
    """Each file's outcome in one ``synth add`` run of the files ``names``: a file is
    stored, or failed with its own one-line error; the exit code is 1 only when nothing
    was stored; nothing else is printed on stderr.

    Args:
        run: The run.
        names: The files' names (each its paper_id), in the order given.
        home: Its SYNTH_HOME.

    Returns:
        ``(outcome, detail)`` for each of ``names``.
    """
    if run.code is None:
        return [(HANG, f"killed at {run.seconds:.0f} s")] * len(names)
    # "note:" lines inform (a legacy encoding read, an index rebuilt); they are not errors
    errors = [line for line in run.stderr.splitlines()
              if line.strip() and not line.startswith("note:")]  # fmt: skip
    said = next((line for line in errors if "Traceback" in line or "unexpected error" in line),
                None)  # fmt: skip
    if said is not None:
        last = errors[-1] if "Traceback" in said else said
        return [(TRACEBACK, one_line(last))] * len(names)
    problem = integrity_problem(home / "synth.db")
    if problem:
        return [(INTEGRITY, problem)] * len(names)
    stored = stored_names(home / "synth.db")
    judged: list[tuple[str, str]] = []
    for name in names:
        own = [line for line in errors if f"{name}:" in line or f"{name} " in line]
        if name in stored and not own:
            judged.append((STORED, ""))
        elif name in stored:  # stored with 0 passages: one "!" line, an exit code of 1
            clean = len(own) == 1 and own[0].lstrip().startswith("!")
            judged.append((CLEAN, one_line(own[0])) if clean else (UNCLEAN, one_line(own[0])))
        elif len(own) == 1 and own[0].lstrip().startswith(("✗", "error:")):
            judged.append((CLEAN, one_line(own[0])))
        else:
            judged.append((UNCLEAN, f"{len(own)} lines name it: {one_line(' | '.join(own))}"))
    strays = [e for e in errors if not any(f"{n}:" in e or f"{n} " in e for n in names)]
    if strays:
        judged = [(UNCLEAN, f"stray stderr: {one_line(strays[0])}")] * len(names)
    usable = sum(outcome == STORED for outcome, _ in judged)
    if (run.code != 0) != (not usable):
        judged = [worst(j, (UNCLEAN, f"exit code {run.code} with {usable} stored with text"))
                  for j in judged]  # fmt: skip
    return judged


def add_batch(files: Sequence[Path], scratch: Path) -> list[tuple[str, str, float]]:
    """``synth add FILES`` in a fresh home; when the run goes wrong (a hang, a traceback,
    any unclean line), each file is added again alone, so each outcome is its own.

    Args:
        files: The files.
        scratch: A folder for the homes.

    Returns:
        ``(outcome, detail, seconds)`` for each file.
    """
    home = Path(tempfile.mkdtemp(prefix="home-", dir=scratch))
    limit = SLACK_S + (BUDGET_S + 5) * len(files)
    run = run_cli(["add", *map(str, files)], synth_env(home), limit)
    judged = judge_add(run, [f.name for f in files], home)
    if len(files) == 1 or all(outcome in (STORED, CLEAN) for outcome, _ in judged):
        share = run.seconds / len(files)
        return [(outcome, detail, share) for outcome, detail in judged]
    return [result for path in files for result in add_batch([path], scratch)]

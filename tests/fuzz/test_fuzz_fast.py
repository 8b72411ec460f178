"""The fast part of the fuzz suite, on every test run: a small seeded corpus of the inputs
benchmarks/fuzz.py throws at synth by the thousand (tests/fuzzing.py makes them), fed
through the library in a worker process, a few of each kind through the real CLI, every
hostile PDF shape once, and every text parser timed on every adversarial string. No input
may end in a traceback, a hang or a damaged store; a failure names the input, the
mutation that made it and what went wrong."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from adversarial import SHAPES
from fuzz_targets import CLEAN, FAILURES, STORED, Result, Sandbox, add_batch, parsers
from fuzzing import BUILT, KINDS, RANDOM_SEEDS, Mutant, mutant, seeds

from benchmarks.fuzz import fuzz, markdown, summary

SEED = 14
COUNTS = {"pdf": 40, "text": 40, "report": 20, "jsonl": 20, "claims": 20}
REGEX_SIZE = 32_000  # half the line that took synth two minutes: a quadratic pass takes seconds
REGEX_BOUND_S = 2.0


def _listing(results: Sequence[Result]) -> str:
    return "\n".join(f"{r.name} ({r.mutation}): {r.outcome}: {r.detail}" for r in results)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[Result]:
    return fuzz(COUNTS, SEED, tmp_path_factory.mktemp("fuzz"), pdf_cli=False)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    worker = Sandbox(60)
    yield worker
    worker.close()


@pytest.mark.parametrize("kind", list(COUNTS))
def test_no_mutant_ends_in_a_traceback_a_hang_or_a_damaged_store(
    results: list[Result], kind: str
) -> None:
    mine = [r for r in results if r.kind == kind]
    assert len(mine) == COUNTS[kind]
    assert not [r for r in mine if r.outcome in FAILURES], _listing(
        [r for r in mine if r.outcome in FAILURES]
    )


def test_the_corpus_holds_inputs_synth_stores_and_inputs_it_refuses(results: list[Result]) -> None:
    for kind in ("pdf", "text", "jsonl", "claims"):
        outcomes = {r.outcome for r in results if r.kind == kind}
        assert {STORED, CLEAN} <= outcomes, kind


def test_the_summary_counts_every_input_once(results: list[Result]) -> None:
    facts = summary(results)
    for kind, count in COUNTS.items():
        row = facts["kinds"][kind]
        assert row["tried"] == count == sum(v for k, v in row.items() if k != "tried")
    table = markdown(facts)
    assert "| pdf | 40 |" in table and "## Distinct failures" in table


def _first(kind: str, count: int, pool: dict[str, bytes]) -> list[Mutant]:
    return [mutant(kind, index, SEED, pool) for index in range(count)]


def test_the_cli_stores_or_refuses_each_file_in_one_line(tmp_path: Path) -> None:
    """One real ``synth add`` run of 8 PDF, 3 text and 3 JSONL mutants; a run that goes
    wrong is run again file by file, so each outcome below is that file's own."""
    picked = [
        *_first("pdf", 8, seeds("pdf", tmp_path / "pdf")),
        *_first("text", 3, seeds("text", tmp_path)),
        *_first("jsonl", 3, seeds("jsonl", tmp_path)),
    ]
    folder = tmp_path / "in"
    folder.mkdir()
    files = [folder / m.name for m in picked]
    for path, m in zip(files, picked, strict=True):
        path.write_bytes(m.data)
    found = [
        Result(m.kind, m.index, m.mutation, m.name, *judged)
        for m, judged in zip(picked, add_batch(files, tmp_path), strict=True)
    ]
    pdfs = [r for r in found if r.kind == "pdf"]
    assert not [r for r in found if r.outcome in FAILURES], _listing(found)
    assert {r.outcome for r in pdfs} == {STORED, CLEAN}, _listing(pdfs)


def _hostile_pdfs(pool: dict[str, bytes]) -> dict[str, Mutant]:
    """The first mutant of each hand-built PDF shape (deep nesting, repeated pages, the
    bombs, adversarial text, unknown encryption, a lying /Count)."""
    found: dict[str, Mutant] = {}
    index = 0
    while len(found) < len(BUILT) - 1:  # "lines" is a JSONL mutation
        candidate = mutant("pdf", index, SEED, pool)
        if candidate.mutation.split()[0] in BUILT:
            found.setdefault(candidate.mutation.split()[0], candidate)
        index += 1
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Mutant]:
    return _hostile_pdfs(seeds("pdf", tmp_path_factory.mktemp("seeds")))


@pytest.mark.parametrize("shape", sorted(BUILT - {"lines"}))
def test_each_hostile_pdf_shape_is_stored_or_refused_within_its_budget(
    hostile: dict[str, Mutant], sandbox: Sandbox, shape: str
) -> None:
    pdf = hostile[shape]
    outcome, detail, _ = sandbox.run("ingest", pdf.name, pdf.data, "pdf")
    assert outcome in (STORED, CLEAN), f"{pdf.mutation}: {outcome}: {detail}"


@pytest.mark.parametrize("parser", sorted(parsers()))
def test_no_text_parser_is_slower_than_linear_on_adversarial_strings(
    sandbox: Sandbox, parser: str
) -> None:
    slow = []
    for shape in SHAPES:
        outcome, detail, _ = sandbox.run("regex", parser, shape, REGEX_SIZE, REGEX_BOUND_S)
        if outcome != STORED:
            slow.append(f"{outcome}: {detail}")
    assert not slow, "\n".join(slow)


def test_a_mutant_is_a_pure_function_of_seed_kind_and_index(tmp_path: Path) -> None:
    for kind in KINDS:
        pool = seeds(kind, tmp_path / kind)
        again = seeds(kind, tmp_path / f"{kind}-again")
        assert {k: v for k, v in pool.items() if k not in RANDOM_SEEDS} == {
            k: v for k, v in again.items() if k not in RANDOM_SEEDS
        }
        first = _first(kind, 6, pool)
        assert first == _first(kind, 6, pool)
        other = [mutant(kind, index, SEED + 1, pool) for index in range(6)]
        assert [m.data for m in first] != [m.data for m in other]

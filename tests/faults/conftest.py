"""What the fault tests share: a small corpus of files to add (six generated PDFs of eight
pages, a Markdown file, a JSONL corpus of 40 abstracts), the store an uninterrupted
``synth add`` makes of it, and a claims file for ``synth check --batch``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from fuzz_targets import Contents, integrity_problem, run_cli, store_contents, synth_env
from pdfgen import one_column_pdf

CLAIMS = (
    "Intermediate training improves transfer by 3.5 points.",
    "Warm baths bring sleep onset 12 minutes earlier.",
    "Morning coffee lowers recall scores.",
)


@dataclass(frozen=True)
class Corpus:
    """Files to add, and what an uninterrupted ``synth add`` of them stores."""

    files: tuple[Path, ...]
    contents: Contents
    seconds: float


def _pages(count: int, paper: int) -> list[tuple[str | None, list[str]]]:
    text = (
        "Page {n} of paper {p} reports that intermediate training on an English task "
        "improves transfer by {n}.{p} points, measured over three seeds. The gain is "
        "largest for retrieval tasks and smallest for tagging, where the baseline is high."
    )
    return [(f"{n} Section {n}", [text.format(n=n, p=paper)] * 3) for n in range(1, count + 1)]


def _write_corpus(folder: Path) -> tuple[Path, ...]:
    """Six PDFs, a Markdown file and a JSONL corpus, written under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = [one_column_pdf(folder / f"paper{i}.pdf", _pages(8, i), title=f"Paper {i}")
            for i in range(6)]  # fmt: skip
    notes = folder / "notes.md"
    notes.write_text("# Notes\n\nWarm baths bring sleep onset earlier. The gain is 12 minutes.\n")
    records = [
        {"id": f"doc-{n}", "title": f"Abstract {n}",
         "abstract": f"Study {n} found that morning coffee changed recall by {n} percent."}
        for n in range(40)
    ]  # fmt: skip
    jsonl = folder / "corpus.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records))
    return (*pdfs, notes, jsonl)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("fault-corpus")
    files = _write_corpus(root / "files")
    home = root / "reference"
    run = run_cli(["add", *map(str, files)], synth_env(home), 300)
    assert run.code == 0, run.stderr[-2000:]
    assert integrity_problem(home / "synth.db") is None
    contents = store_contents(home / "synth.db")
    assert len(contents) == 6 + 1 + 40
    return Corpus(files, contents, run.seconds)


@pytest.fixture
def claims_file(tmp_path: Path) -> Path:
    """Thirty claims (the three of :data:`CLAIMS`, ten times, each with its own id)."""
    path = tmp_path / "claims.jsonl"
    lines = [json.dumps({"id": f"c{n}", "claim": CLAIMS[n % 3]}) for n in range(30)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def model_settings(tiny_model: Path) -> dict[str, str]:
    """The tiny random model as embedder and verifier of a subprocess (settings for
    :func:`fuzz_targets.synth_env`)."""
    return {"embed_model": str(tiny_model), "verify_model": str(tiny_model)}

"""The per-file budget: PDFs are read in a worker process that is stopped when it goes over
its time or memory budget (then replaced for the next file), and whose failures come back
as one line each."""

from __future__ import annotations

import functools
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pdfgen import PAGE_TEXT, compression_bomb_pdf, one_column_pdf, repeated_page_pdf, text_page_pdf

from synth.core.errors import SynthError
from synth.core.settings import ParseSettings, Settings
from synth.corpus.parsing.budget import run_budgeted
from synth.corpus.parsing.pdf import read_pdf


def _read_error(path: Path, settings: ParseSettings) -> SynthError:
    with pytest.raises(SynthError) as caught:
        read_pdf(path.name, path.read_bytes(), limits=settings)
    return caught.value


def _reads(tmp_path: Path, settings: ParseSettings | None = None) -> bool:
    page = text_page_pdf(tmp_path / "page.pdf")
    return PAGE_TEXT in read_pdf("page.pdf", page.read_bytes(), limits=settings).pages[0].text


def test_a_file_over_its_time_is_stopped_and_the_next_one_is_read(tmp_path: Path) -> None:
    slow = repeated_page_pdf(tmp_path / "slow.pdf", times=100_000)  # 100,000 pages to read
    settings = ParseSettings(max_pages=200_000, timeout_seconds=1)
    start = time.monotonic()
    error = _read_error(slow, settings)
    assert time.monotonic() - start < 10
    assert "slow.pdf: reading it took longer than the 1 s time budget" in error.message
    assert "SYNTH_PARSE_TIMEOUT_SECONDS" in (error.hint or "")
    assert _reads(tmp_path, settings)


@pytest.mark.parametrize(
    ("memory_mb", "bomb"), [(1, False), (120, True)]
)  # too little for the worker to start; too little for a page of 96 MB
def test_a_file_over_its_memory_is_one_line_naming_the_setting(
    tmp_path: Path, memory_mb: int, bomb: bool
) -> None:
    path = (
        compression_bomb_pdf(tmp_path / "big.pdf", inflated_mb=96)
        if bomb
        else text_page_pdf(tmp_path / "big.pdf")
    )
    error = _read_error(path, ParseSettings(max_memory_mb=memory_mb, max_decompressed_mb=1024))
    assert f"big.pdf: reading it needs more than the {memory_mb} MB memory budget" in str(error)
    assert "SYNTH_PARSE_MAX_MEMORY_MB" in (error.hint or "")
    assert _reads(tmp_path)


def test_progress_comes_back_page_by_page(tmp_path: Path) -> None:
    pdf = one_column_pdf(tmp_path / "study.pdf")
    seen: list[tuple[int, int]] = []
    read_pdf("study.pdf", pdf.read_bytes(), lambda done, total: seen.append((done, total)))
    assert seen == [(n, 5) for n in range(1, 6)]


def test_an_interrupt_stops_the_worker_mid_file(tmp_path: Path) -> None:
    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    pdf = one_column_pdf(tmp_path / "study.pdf")
    with pytest.raises(KeyboardInterrupt):
        read_pdf("study.pdf", pdf.read_bytes(), interrupt)
    assert _reads(tmp_path)


def test_a_bug_in_the_worker_is_reported_as_one() -> None:
    work = functools.partial(divmod, 1)  # divmod(1, progress): a TypeError, not a SynthError
    with pytest.raises(RuntimeError, match=r"TypeError: .* \(in the worker reading x\.pdf\)"):
        run_budgeted("x.pdf", work, ParseSettings())


def test_the_budget_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in [("TIMEOUT_SECONDS", "7"), ("MAX_MEMORY_MB", "512"),
                        ("MAX_PAGES", "30"), ("MAX_DECOMPRESSED_MB", "64")]:  # fmt: skip
        monkeypatch.setenv(f"SYNTH_PARSE_{name}", value)
    parse = Settings().parse
    assert (parse.timeout_seconds, parse.max_memory_mb) == (7, 512)
    assert (parse.max_pages, parse.max_decompressed_mb) == (30, 64)


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """The worker is no fork or spawn of the caller: it never imports the caller's script."""
    page = text_page_pdf(tmp_path / "page.pdf")
    script = tmp_path / "script.py"
    script.write_text(
        "from pathlib import Path\n"
        "from synth.corpus.parsing.pdf import read_pdf\n"
        f"print(read_pdf('page.pdf', Path({str(page)!r}).read_bytes()).pages[0].text)\n"
    )
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert run.stdout == PAGE_TEXT + "\n"

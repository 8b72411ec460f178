"""PDF parsing on generated PDFs: page anchors, layout clean-up, and every unreadable kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfgen import (
    HEADER,
    LEFT,
    RIGHT,
    encrypted_pdf,
    marker,
    one_column_pdf,
    scanned_pdf,
    two_column_pdf,
)

from synth.core.errors import SynthError
from synth.core.settings import ChunkSettings
from synth.core.types import BlockKind
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.parsing.pdf import read_pdf


@pytest.fixture
def five_pages(tmp_path: Path) -> Path:
    return one_column_pdf(tmp_path / "study.pdf")


def test_five_page_pdf_passages_carry_their_page(five_pages: Path) -> None:
    parsed = read_pdf("study.pdf", five_pages.read_bytes())
    assert [p.number for p in parsed.pages] == [1, 2, 3, 4, 5]
    passages = [p for page in parsed.pages for p in chunk_page(page, "study.pdf", ChunkSettings())]
    for number in range(1, 5):
        holding = [p for p in passages if marker(number) in p.text]
        assert len(holding) == 1, number
        assert holding[0].page_start == holding[0].page_end == number
    texts = {page.number: page.text for page in parsed.pages}
    for passage in passages:
        assert texts[passage.page_start][passage.char_start : passage.char_end] == passage.text
        assert passage.text in passage.context


def test_references_are_kept_out_of_passages(five_pages: Path) -> None:
    parsed = read_pdf("study.pdf", five_pages.read_bytes())
    last = parsed.pages[-1]
    assert "invented reference" in last.text  # stored with the page ...
    assert {b.kind for b in last.blocks} == {BlockKind.HEADING, BlockKind.REFERENCES}
    assert chunk_page(last, "study.pdf", ChunkSettings()) == []  # ... but never evidence


def test_sections_headers_and_page_numbers(five_pages: Path) -> None:
    parsed = read_pdf("study.pdf", five_pages.read_bytes())
    for page in parsed.pages:
        assert HEADER not in page.text
        assert not page.text.rstrip().endswith(str(page.number))
    sections = {b.section for page in parsed.pages for b in page.blocks if b.kind is BlockKind.BODY}
    assert {"Abstract", "1 Introduction", "2 Method", "3 Results"} <= sections
    assert parsed.title == "Transfer Study"
    assert parsed.authors == ("Ada Lovelace", "Alan Turing")


def test_two_columns_read_left_then_right_with_hyphenation_mended(tmp_path: Path) -> None:
    parsed = read_pdf("cols.pdf", two_column_pdf(tmp_path / "cols.pdf").read_bytes())
    text = parsed.pages[0].text
    assert text.startswith("Columns Are Read Left Then Right")
    left_end = text.index("largest for retrieval.")
    right_start = text.index("The right column starts")
    assert left_end < right_start
    assert "observed transfer to every language" in text
    assert text.index("Scaling the encoder") < text.index("Both effects add up")
    assert all(part.split()[0] in text for part in LEFT + RIGHT)


def _error(name: str, data: bytes) -> SynthError:
    with pytest.raises(SynthError) as caught:
        read_pdf(name, data)
    return caught.value


def test_empty_file() -> None:
    error = _error("empty.pdf", b"")
    assert "empty.pdf" in error.message and "empty" in error.message and error.hint


def test_not_a_pdf() -> None:
    error = _error("notes.pdf", b"Just some notes, saved with the wrong name.\n")
    assert "notes.pdf: not a PDF" in error.message and error.hint


def test_truncated_pdf(five_pages: Path) -> None:
    data = five_pages.read_bytes()
    error = _error("cut.pdf", data[: len(data) // 2])
    assert "cut.pdf" in error.message and "truncated" in error.message
    assert "download it again" in (error.hint or "")


def test_encrypted_pdf_with_a_password_is_refused(five_pages: Path, tmp_path: Path) -> None:
    locked = encrypted_pdf(five_pages, tmp_path / "locked.pdf", user_password="s3cret")
    error = _error("locked.pdf", locked.read_bytes())
    assert "locked.pdf" in error.message and "encrypted" in error.message
    assert "qpdf --decrypt" in (error.hint or "")


def test_owner_locked_pdf_opens_without_a_password(five_pages: Path, tmp_path: Path) -> None:
    locked = encrypted_pdf(five_pages, tmp_path / "owner.pdf", user_password="")
    parsed = read_pdf("owner.pdf", locked.read_bytes())
    assert marker(3) in parsed.pages[2].text


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    error = _error("scan.pdf", scanned_pdf(tmp_path / "scan.pdf").read_bytes())
    assert "scan.pdf" in error.message and "no text layer" in error.message
    assert "OCR" in (error.hint or "")


def test_garbage_after_header_is_reported_as_unreadable() -> None:
    error = _error("junk.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n")
    assert "junk.pdf" in error.message and error.hint

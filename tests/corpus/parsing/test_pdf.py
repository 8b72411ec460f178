"""PDF parsing on generated PDFs: page anchors, layout clean-up (one rule at a time on a
two-column conference paper), and every unreadable kind."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from pdfgen import (
    APPENDIX,
    CONF_ABSTRACT,
    CONF_REFERENCE,
    CONF_TITLE,
    CROSSING,
    FOOTNOTE,
    HEADER,
    LEFT,
    RIGHT,
    SIDEWAYS,
    TABLE_ROWS,
    VENUE,
    compression_bomb_pdf,
    conference_pdf,
    encrypted_pdf,
    marker,
    missing_pages_pdf,
    one_column_pdf,
    repeated_page_pdf,
    scanned_pdf,
    sideways_pdf,
    two_column_pdf,
    unknown_encryption_pdf,
)

from synth.core.errors import SynthError
from synth.core.settings import ChunkSettings, ParseSettings
from synth.core.types import BlockKind, Passage
from synth.corpus.parsing.cells import is_table_section
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.parsing.pdf import PdfText, inflated_size, read_pdf
from synth.corpus.parsing.structure import FRONT_MATTER


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


def _error(name: str, data: bytes, limits: ParseSettings | None = None) -> SynthError:
    with pytest.raises(SynthError) as caught:
        read_pdf(name, data, limits=limits)
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
    assert "junk.pdf: cannot read this PDF, it is damaged" in error.message and error.hint


def test_a_page_tree_listing_one_page_100000_times_is_stopped_by_the_page_cap(
    tmp_path: Path,
) -> None:
    """Before, it was read for minutes, then stored with 100,000 pages and no passage."""
    start = time.monotonic()
    error = _error("tree.pdf", repeated_page_pdf(tmp_path / "tree.pdf").read_bytes())
    assert time.monotonic() - start < 10
    assert "tree.pdf: 100,000 pages is over the limit of 2,000" in error.message
    assert "SYNTH_PARSE_MAX_PAGES" in (error.hint or "")


def test_a_compression_bomb_is_stopped_by_the_inflated_size_cap(tmp_path: Path) -> None:
    bomb = compression_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=8).read_bytes()
    assert len(bomb) < 20_000
    error = _error("bomb.pdf", bomb, ParseSettings(max_decompressed_mb=1))
    assert "bomb.pdf: its compressed streams inflate to more than 1 MB" in error.message
    assert "SYNTH_PARSE_MAX_DECOMPRESSED_MB" in (error.hint or "")
    assert "hand-written page" in read_pdf("bomb.pdf", bomb).pages[0].text  # under the default


def test_inflated_size_counts_zlib_streams_and_stops_past_the_limit(tmp_path: Path) -> None:
    mb = 1024 * 1024
    bomb = compression_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=8).read_bytes()
    assert 8 * mb < inflated_size(bomb, 100 * mb) < 9 * mb
    assert mb < inflated_size(bomb, mb) <= 2 * mb  # counting stopped soon after the limit
    assert inflated_size(b"%PDF-1.7\nstream\nnot zlib\nendstream\n", mb) == 0


def test_an_unknown_encryption_is_refused_as_encrypted(tmp_path: Path) -> None:
    error = _error("v99.pdf", unknown_encryption_pdf(tmp_path / "v99.pdf").read_bytes())
    assert "v99.pdf: the PDF is encrypted" in error.message and "decrypt" in (error.hint or "")


def test_a_page_the_tree_counts_but_lacks_is_damage(tmp_path: Path) -> None:
    error = _error("gap.pdf", missing_pages_pdf(tmp_path / "gap.pdf").read_bytes())
    assert "gap.pdf: cannot read this PDF, it is damaged (PdfiumError" in error.message


def test_mutated_pdfs_give_pages_or_one_line_errors_and_print_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Bytes overwritten, cut out or repeated: never a traceback, never a library warning."""
    data = one_column_pdf(tmp_path / "study.pdf").read_bytes()
    rng = random.Random(14)
    for _ in range(12):
        at, size = rng.randrange(len(data)), rng.randrange(1, 400)
        mutant = rng.choice([
            data[:at] + rng.randbytes(size) + data[at + size :],
            data[:at] + data[at + size :],
            data[:at] + data[at : at + size] * 50 + data[at:],
        ])  # fmt: skip
        try:
            read_pdf("mutant.pdf", mutant)
        except SynthError as exc:
            assert str(exc).startswith("mutant.pdf: ") and "\n" not in str(exc)
    assert capfd.readouterr().err == ""


@pytest.fixture(scope="module")
def conference(tmp_path_factory: pytest.TempPathFactory) -> PdfText:
    path = conference_pdf(tmp_path_factory.mktemp("conf") / "conf.pdf")
    return read_pdf("conf.pdf", path.read_bytes())


def _all_text(parsed: PdfText) -> str:
    return "\n\n".join(page.text for page in parsed.pages)


def _body_passages(parsed: PdfText) -> list[Passage]:
    """The passages of the running text (tables come as passages of their own, "Table N")."""
    return [p for page in parsed.pages for p in chunk_page(page, "conf.pdf", ChunkSettings())
            if not is_table_section(p.section)]  # fmt: skip


def test_venue_line_is_not_the_title_and_is_dropped(conference: PdfText) -> None:
    assert conference.title == " ".join(CONF_TITLE)
    assert VENUE not in _all_text(conference)
    assert "Proceedings of the 99th" not in _all_text(conference)


def test_sideways_arxiv_stamp_and_page_numbers_are_dropped(conference: PdfText) -> None:
    assert "arXiv:2101" not in _all_text(conference)
    assert not any(page.text.rstrip().endswith(str(page.number)) for page in conference.pages)


def test_sentence_across_the_columns_and_past_a_footnote_is_whole(conference: PdfText) -> None:
    passages = _body_passages(conference)
    (crossing,) = [p for p in passages if CROSSING in p.text]
    assert crossing.section == "1 Introduction"
    assert FOOTNOTE not in crossing.context
    (note,) = [p for p in passages if p.text in FOOTNOTE]  # a paragraph of its own
    assert note.context == FOOTNOTE
    page = conference.pages[0].text
    assert page.index(CROSSING) < page.index("After the crossing sentence") < page.index(FOOTNOTE)


def test_abstract_and_sections(conference: PdfText) -> None:
    sections = [p.section for p in _body_passages(conference)]
    assert sections[0] == FRONT_MATTER
    assert set(sections) == {
        FRONT_MATTER, "Abstract", "1 Introduction", "2 Method", "3 Results", "A Appendix Details"
    }  # fmt: skip
    (abstract,) = [p for p in _body_passages(conference) if p.section == "Abstract"]
    assert abstract.text == CONF_ABSTRACT


def test_table_lines_are_no_headings_and_no_evidence(conference: PdfText) -> None:
    headings = [
        page.text[b.start : b.end]
        for page in conference.pages
        for b in page.blocks
        if b.kind is BlockKind.HEADING
    ]
    assert headings == ["Abstract", "1 Introduction", "2 Method", "3 Results", "References",
                        "A Appendix Details"]  # fmt: skip
    evidence = " ".join(p.text for p in _body_passages(conference))
    assert not any(cell in evidence for row in TABLE_ROWS[2:] for cell in row[1:])  # "80.1" ...


def test_captions_are_kept_as_paragraphs_figure_labels_are_not(conference: PdfText) -> None:
    blocks = [page.text[b.start : b.end] for page in conference.pages for b in page.blocks]
    assert "Table 1: Accuracy of the systems on the probe tasks." in blocks
    assert "Figure 1: Accuracy grows with the number of epochs." in blocks
    assert "Epochs" not in _all_text(conference)


def test_references_are_out_of_the_evidence_the_appendix_is_in(conference: PdfText) -> None:
    page = conference.pages[1]
    assert page.text.count(CONF_REFERENCE) == 6
    refs = [b for b in page.blocks if b.kind is BlockKind.REFERENCES]
    assert len(refs) == 6 and all(page.text[b.start : b.end] == CONF_REFERENCE for b in refs)
    passages = _body_passages(conference)
    assert not any("made-up paper about columns" in p.text for p in passages)
    assert [p.text for p in passages if p.section == "A Appendix Details"] == [APPENDIX]


def test_review_line_numbers_change_nothing(conference: PdfText, tmp_path: Path) -> None:
    numbered = conference_pdf(tmp_path / "review.pdf", line_numbers=True)
    parsed = read_pdf("review.pdf", numbered.read_bytes())
    assert [p.text for p in parsed.pages] == [p.text for p in conference.pages]


def test_without_venue_or_stamp_the_pages_are_the_same(conference: PdfText, tmp_path: Path) -> None:
    plain = conference_pdf(tmp_path / "plain.pdf", venue=False, stamp=False)
    parsed = read_pdf("plain.pdf", plain.read_bytes())
    assert [p.text for p in parsed.pages] == [p.text for p in conference.pages]


def test_a_page_set_sideways_is_read_turned(tmp_path: Path) -> None:
    parsed = read_pdf("turned.pdf", sideways_pdf(tmp_path / "turned.pdf").read_bytes())
    assert parsed.pages[0].text == " ".join(SIDEWAYS)

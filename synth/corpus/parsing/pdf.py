"""PDF bytes -> structured pages, through PDFium (pypdfium2): each glyph with its box,
font size and weight, read here; everything after that is pure (layout, roles, clean,
structure). Each unreadable case gets its own message."""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from synth.core.errors import SynthError
from synth.core.types import PageText
from synth.corpus.parsing.clean import normalise_line, running_lines
from synth.corpus.parsing.layout import (
    Glyph,
    arrange_page,
    body_size,
    bold_font,
    drop_line_numbers,
    find_title,
    make_lines,
)
from synth.corpus.parsing.structure import structure_pages
from synth.corpus.parsing.table_text import add_table_blocks

_EOF_WINDOW = 4096  # the spec puts %%EOF in the last 1024 bytes; tolerate trailing junk
_QUARTER = math.pi / 2
_HYPHEN = 2


@dataclass(frozen=True)
class PdfText:
    """A parsed PDF: its structured pages, its title and its authors (from the metadata)."""

    pages: list[PageText]
    title: str
    authors: tuple[str, ...]


@dataclass(frozen=True)
class RawPage:
    """A page's upright glyphs, in points with ``top`` growing downwards."""

    width: float
    height: float
    glyphs: list[Glyph]


def _check_bytes(name: str, data: bytes) -> None:
    if not data:
        raise SynthError(f"{name}: the file is empty (0 bytes)", "download or export it again")
    if b"%PDF-" not in data[:1024]:
        raise SynthError(
            f"{name}: not a PDF (it starts with {data[:12]!r})",
            "check what the file is; plain text can be added as .txt or .md",
        )
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise SynthError(
            f"{name}: the PDF is truncated (no end-of-file marker)",
            "the copy is incomplete: download it again",
        )


def _unreadable(name: str, reason: object) -> SynthError:
    return SynthError(
        f"{name}: cannot read this PDF ({reason})",
        "download it again, or repair it (qpdf in.pdf out.pdf) and add the repaired copy",
    )


def _open(name: str, data: bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise SynthError(
                f"{name}: the PDF is encrypted with a password",
                "add a decrypted copy (for example: qpdf --decrypt --password=PW in.pdf out.pdf)",
            ) from exc
        raise _unreadable(name, exc) from exc
    if len(document) == 0:
        raise _unreadable(name, "no pages")
    return document


def _page_glyphs(page: Any) -> RawPage:
    """The page's glyphs, turned so that most of its text is upright; glyphs at another
    angle (the arXiv stamp in the margin, rotated labels) are left out."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    textpage = page.get_textpage()
    handle = textpage.raw
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    fonts: dict[int | None, tuple[float, bool, int]] = {}
    chars: list[tuple[str, tuple[float, float, float, float], tuple[float, bool, int]]] = []
    for i in range(pdfium_c.FPDFText_CountChars(handle)):
        code = pdfium_c.FPDFText_GetUnicode(handle, i)
        if code == _HYPHEN:  # PDFium's mark for a hyphen that ends a line
            code = ord("-")
        if pdfium_c.FPDFText_IsGenerated(handle, i) or code < 32 or code in (0xFFFE, 0xFFFF):
            continue
        text_object = pdfium_c.FPDFText_GetTextObject(handle, i)
        key = ctypes.addressof(text_object.contents) if text_object else None
        font = fonts.get(key)
        if font is None:
            pdfium_c.FPDFText_GetFontInfo(handle, i, name, len(name), flags)
            weight = pdfium_c.FPDFText_GetFontWeight(handle, i)
            pdfium_c.FPDFText_GetMatrix(handle, i, matrix)  # fonts set at 1pt, then scaled
            scale = math.hypot(matrix.c, matrix.d) or 1.0
            angle = pdfium_c.FPDFText_GetCharAngle(handle, i)  # PDFium counts clockwise
            font = fonts[key] = (
                pdfium_c.FPDFText_GetFontSize(handle, i) * scale,
                bold_font(name.value.decode("latin-1"), weight),
                -round(angle / _QUARTER) % 4,
            )
        pdfium_c.FPDFText_GetLooseCharBox(handle, i, rect)
        box = (rect.left, rect.right, rect.top, rect.bottom)
        glued = chars and (chars[-1][1] == box or "\ud800" <= chars[-1][0][-1] <= "\udbff")
        if glued:  # a ligature ("ff") as letters in one box, or the second half of a pair
            chars[-1] = (chars[-1][0] + chr(code), chars[-1][1], font)
        else:
            chars.append((chr(code), box, font))
    textpage.close()
    turns = Counter(font[2] for _, _, font in chars)
    upright = turns.most_common(1)[0][0] if turns else 0
    glyphs = []
    for text, (left, right, top, bottom), (size, bold, quarter) in chars:
        if quarter != upright or not size:
            continue
        x0, x1, y0, y1 = _turn(left, right, top, bottom, upright, width, height)
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        glyphs.append(Glyph(text, x0, x1, y0, y1, size, bold))
    if upright % 2:
        width, height = height, width
    return RawPage(width, height, glyphs)


def _turn(
    left: float, right: float, top: float, bottom: float, quarter: int, width: float, height: float
) -> tuple[float, float, float, float]:
    """A PDF box (y up) as ``x0, x1, top, bottom`` (y down) after turning the page by
    ``quarter`` quarter turns clockwise, so that text drawn turned ``quarter`` quarter turns
    anticlockwise reads upright."""
    if quarter == 1:
        return bottom, top, left, right
    if quarter == 2:
        return width - right, width - left, bottom, top
    if quarter == 3:
        return height - top, height - bottom, width - right, width - left
    return left, right, height - top, height - bottom


def extract_pages(
    name: str, data: bytes, on_page: Callable[[int, int], None] | None = None
) -> tuple[list[RawPage], dict[str, str]]:
    """Every page's glyphs and the document's metadata (Title, Author, ...).

    Args:
        name: The file's name, for messages.
        data: The PDF's bytes.
        on_page: Called with ``(done, total)`` after each page.

    Returns:
        The pages and the metadata.

    Raises:
        SynthError: the bytes are not a readable PDF.
    """
    _check_bytes(name, data)
    document = _open(name, data)
    try:
        pages = []
        total = len(document)
        for i in range(total):
            page = document[i]
            pages.append(_page_glyphs(page))
            page.close()
            if on_page:
                on_page(i + 1, total)
        meta = {k: str(v) for k, v in document.get_metadata_dict().items()}
    finally:
        document.close()
    return pages, meta


def read_pdf(name: str, data: bytes, on_page: Callable[[int, int], None] | None = None) -> PdfText:
    """Parse PDF bytes into cleaned, structured pages: glyphs to lines, line numbers and
    running lines out, columns read in order, then paragraphs and sections. The title is
    the largest type at the top of page 1 (else the metadata title, else its first line).

    Args:
        name: The file's name, for messages.
        data: The PDF's bytes.
        on_page: Called with ``(done, total)`` after each page is read.

    Returns:
        The pages, the title and the authors (from the metadata).

    Raises:
        SynthError: empty, not a PDF, truncated, encrypted, unreadable, or no text layer.
    """
    raw, meta = extract_pages(name, data, on_page)
    if not any(g.text.strip() for page in raw for g in page.glyphs):
        raise SynthError(
            f"{name}: the PDF has no text layer (a scanned document?)",
            "run OCR first (for example: ocrmypdf in.pdf out.pdf) and add the OCR'd copy",
        )
    lines = [drop_line_numbers(make_lines(page.glyphs)) for page in raw]
    running = running_lines(lines, [page.height for page in raw])
    lines = [
        [line for i, line in enumerate(page) if i not in drop]
        for page, drop in zip(lines, running, strict=True)
    ]
    body = body_size((line.size, len(line.text)) for page in lines for line in page)
    arranged = [
        arrange_page(page, layout.width, layout.height, body, first=number == 0)
        for number, (page, layout) in enumerate(zip(lines, raw, strict=True))
    ]
    author = normalise_line(meta.get("Author", ""))
    authors = tuple(a.strip() for a in author.replace(" and ", ",").split(",") if a.strip())
    title = (
        find_title(lines[0], raw[0].height, body)
        or normalise_line(meta.get("Title", ""))
        or next((line.text for line in arranged[0] if line.text), "")
    )
    return PdfText(add_table_blocks(structure_pages(arranged), data), title, authors)

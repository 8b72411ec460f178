"""PDF bytes -> structured pages, through PDFium (pypdfium2): each glyph with its box,
font size and weight, read here; everything after that is pure (layout, roles, clean,
structure). Each unreadable case gets its own message, and so does each way a file can go
over its budget: PDFs are read in a worker process (:mod:`synth.corpus.parsing.budget`)
with a time and memory budget, a page cap and a cap on what its streams inflate to."""

from __future__ import annotations

import ctypes
import functools
import math
import re
import struct
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from synth.core.errors import SynthError
from synth.core.settings import ParseSettings
from synth.core.types import PageText
from synth.corpus.parsing.budget import run_budgeted
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
_MB = 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")
_INFLATE_IN = 1 << 16  # compressed bytes fed to zlib at a time
_INFLATE_OUT = 1 << 20  # inflated bytes asked of zlib at a time (then counted and dropped)


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
        f"{name}: cannot read this PDF, it is damaged ({reason})",
        "download it again, or repair it (qpdf in.pdf out.pdf) and add the repaired copy",
    )


def _open(name: str, data: bytes, max_pages: int) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise SynthError(
                f"{name}: the PDF is encrypted with a password",
                "add a decrypted copy (for example: qpdf --decrypt --password=PW in.pdf out.pdf)",
            ) from exc
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise SynthError(
                f"{name}: the PDF is encrypted in a way PDFium cannot read",
                "add a decrypted copy (for example: qpdf --decrypt in.pdf out.pdf)",
            ) from exc
        raise _unreadable(name, exc) from exc
    pages = len(document)
    if pages == 0:
        document.close()
        raise _unreadable(name, "no pages")
    if pages > max_pages:
        document.close()
        raise SynthError(
            f"{name}: {pages:,} pages is over the limit of {max_pages:,}",
            "split the PDF, or raise SYNTH_PARSE_MAX_PAGES if it is genuine",
        )
    return document


def _inflated(data: bytes, start: int, budget: int) -> int:
    """Bytes the zlib stream at ``start`` inflates to, counted up to just over ``budget``
    (0 for data that is not zlib)."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        for at in range(start, len(data), _INFLATE_IN):
            pending = data[at : at + _INFLATE_IN]
            while True:
                out = inflater.decompress(pending, _INFLATE_OUT)
                size += len(out)
                if size > budget or inflater.eof:
                    return size
                pending = inflater.unconsumed_tail
                if not pending and len(out) < _INFLATE_OUT:
                    break
    except zlib.error:
        pass
    return size


def inflated_size(data: bytes, limit: int) -> int:
    """What the PDF's Flate (zlib) streams inflate to, in bytes, counted until past
    ``limit``: the size a compression bomb hides. Streams are found by their keyword, not
    parsed; one that is not zlib (an image, an encrypted stream) counts nothing. Memory
    stays small whatever the total: the inflated bytes are counted and dropped.

    Args:
        data: The PDF's bytes.
        limit: Stop counting once the total is over this.

    Returns:
        The total, or a number over ``limit`` once it is reached.
    """
    total = 0
    for match in _STREAM.finditer(data):
        total += _inflated(data, match.end(), limit - total)
        if total > limit:
            break
    return total


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
    name: str,
    data: bytes,
    on_page: Callable[[int, int], None] | None = None,
    max_pages: int = ParseSettings().max_pages,
) -> tuple[list[RawPage], dict[str, str]]:
    """Every page's glyphs and the document's metadata (Title, Author, ...).

    Args:
        name: The file's name, for messages.
        data: The PDF's bytes.
        on_page: Called with ``(done, total)`` after each page.
        max_pages: Refuse a PDF with more pages.

    Returns:
        The pages and the metadata.

    Raises:
        SynthError: the bytes are not a readable PDF, or it has too many pages.
    """
    _check_bytes(name, data)
    document = _open(name, data, max_pages)
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


def _damage_kinds() -> tuple[type[BaseException], ...]:
    """The errors a damaged or hostile PDF raises inside the PDF libraries."""
    import pypdfium2 as pdfium
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    return (
        pdfium.PdfiumError,
        PSException,  # pdfminer: PSEOF, PDFSyntaxError, PDFEncryptionError and their kin
        PdfminerException,  # pdfplumber's wrapper of them
        RecursionError,  # a page tree or an object that refers to itself, nested deeply
        NotImplementedError,
        ValueError,
        KeyError,
        IndexError,
        OverflowError,
        EOFError,
        zlib.error,
        struct.error,
    )


def parse_pdf(
    name: str,
    data: bytes,
    on_page: Callable[[int, int], None] | None = None,
    limits: ParseSettings | None = None,
) -> PdfText:
    """:func:`read_pdf` in this process, under no time or memory budget (the worker runs
    this): the checks, the page cap, the inflated-size cap, then the parse, with the PDF
    libraries' errors on a damaged file turned into one-line messages.

    Args:
        name: The file's name, for messages.
        data: The PDF's bytes.
        on_page: Called with ``(done, total)`` after each page is read.
        limits: The page and inflated-size caps (default: the default settings).

    Returns:
        The parsed PDF.

    Raises:
        SynthError: unreadable, damaged, encrypted, no text layer, or over a cap.
    """
    limits = limits or ParseSettings()
    cap = int(limits.max_decompressed_mb * _MB)
    if inflated_size(data, cap) > cap:
        raise SynthError(
            f"{name}: its compressed streams inflate to more than"
            f" {limits.max_decompressed_mb:g} MB (a compression bomb?)",
            "raise SYNTH_PARSE_MAX_DECOMPRESSED_MB if the PDF is genuine",
        )
    try:
        return _parse(name, data, on_page, limits.max_pages)
    except SynthError:
        raise
    except _damage_kinds() as exc:
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        kind = type(exc).__name__
        raise _unreadable(name, f"{kind}: {reason}" if reason else kind) from exc


def read_pdf(
    name: str,
    data: bytes,
    on_page: Callable[[int, int], None] | None = None,
    limits: ParseSettings | None = None,
) -> PdfText:
    """Parse PDF bytes into cleaned, structured pages, in a worker process under the
    time and memory budget of ``limits``: glyphs to lines, line numbers and running lines
    out, columns read in order, then paragraphs and sections. The title is the largest
    type at the top of page 1 (else the metadata title, else its first line).

    Args:
        name: The file's name, for messages.
        data: The PDF's bytes.
        on_page: Called with ``(done, total)`` after each page is read.
        limits: The budget and caps (default: the default settings).

    Returns:
        The pages, the title and the authors (from the metadata).

    Raises:
        SynthError: empty, not a PDF, truncated, encrypted, damaged, no text layer, or
            over its time, memory, page or inflated-size budget.
    """
    limits = limits or ParseSettings()
    _check_bytes(name, data)  # the common refusals without starting a worker
    work = functools.partial(parse_pdf, name, data, limits=limits)
    return run_budgeted(name, work, limits, on_page)


def _parse(
    name: str, data: bytes, on_page: Callable[[int, int], None] | None, max_pages: int
) -> PdfText:
    raw, meta = extract_pages(name, data, on_page, max_pages)
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

"""PDF bytes -> structured pages, through pypdf. Each unreadable case gets its own message."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from synth.core.errors import SynthError
from synth.core.types import PageText
from synth.corpus.parsing.clean import normalise_line, strip_running_lines
from synth.corpus.parsing.layout import reading_order
from synth.corpus.parsing.structure import structure_pages

_EOF_WINDOW = 4096  # the spec puts %%EOF in the last 1024 bytes; tolerate trailing junk


@dataclass(frozen=True)
class PdfText:
    pages: list[PageText]
    title: str
    authors: tuple[str, ...]


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


def _extract(page: object) -> str:
    """Layout-mode text (keeps columns apart); plain mode if layout mode fails."""
    try:
        return str(page.extract_text(extraction_mode="layout"))  # type: ignore[attr-defined]
    except Exception:  # pypdf raises many types on odd content streams
        try:
            return str(page.extract_text())  # type: ignore[attr-defined]
        except Exception:
            return ""


def read_pdf(name: str, data: bytes, on_page: Callable[[int, int], None] | None = None) -> PdfText:
    """Parse PDF bytes into cleaned, structured pages. ``name`` is used in messages."""
    import pypdf
    from pypdf.errors import PdfReadError

    _check_bytes(name, data)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SynthError(
                f"{name}: the PDF is encrypted with a password",
                "add a decrypted copy (for example: qpdf --decrypt --password=PW in.pdf out.pdf)",
            )
        total = len(reader.pages)
        raw = []
        for i, page in enumerate(reader.pages):
            raw.append(_extract(page))
            if on_page:
                on_page(i + 1, total)
        meta = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SynthError(
            f"{name}: pypdf cannot read this PDF ({exc})",
            "download it again, or repair it (qpdf in.pdf out.pdf) and add the repaired copy",
        ) from exc
    if not any(text.strip() for text in raw):
        raise SynthError(
            f"{name}: the PDF has no text layer (a scanned document?)",
            "run OCR first (for example: ocrmypdf in.pdf out.pdf) and add the OCR'd copy",
        )
    lines = strip_running_lines(
        [[normalise_line(line) for line in reading_order(text)] for text in raw]
    )
    title = normalise_line(str(meta.title or "")) if meta else ""
    author = normalise_line(str(meta.author or "")) if meta else ""
    authors = tuple(a.strip() for a in author.replace(" and ", ",").split(",") if a.strip())
    if not title:
        title = next((line for line in lines[0] if line), "") if lines else ""
    return PdfText(structure_pages(lines), title, authors)

"""Papers from local files: PDFs, plain text / Markdown, and JSONL corpora of abstracts."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from synth.core.errors import SynthError
from synth.core.files import decode_text, json_lines, require_unicode
from synth.core.settings import ParseSettings
from synth.core.types import Paper, SourceKind, content_id
from synth.corpus.parsing.chunk import split_sentences
from synth.corpus.parsing.clean import normalise_line
from synth.corpus.parsing.pdf import read_pdf
from synth.corpus.parsing.structure import sentences_page, structure_pages
from synth.corpus.sources import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
PDF_SUFFIXES = {".pdf"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FORMATS = ("auto", "pdf", "text", "jsonl")


def detect_format(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    raise SynthError(
        f"{path}: unknown file type {suffix or '(no suffix)'!r}",
        "add PDFs, .txt/.md files or .jsonl corpora, or name the format with --format",
    )


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _regular(path: Path, mode: int) -> None:
    """Refuse anything but a regular file: a directory, a pipe that never ends, a device
    such as /dev/zero that reads until memory runs out."""
    if stat.S_ISDIR(mode):
        raise SynthError(f"{path}: is a directory", f"add the files in it: synth add {path}/*.pdf")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a file")
        raise SynthError(
            f"{path}: not a regular file ({kind})", "save what it holds as a file and add that"
        )


def read_bytes(path: Path, settings: ParseSettings) -> bytes:
    """The bytes of a local file: a regular file, no larger than ``max_file_mb``.

    Args:
        path: The file.
        settings: The size limit.

    Returns:
        Its bytes.

    Raises:
        SynthError: missing, not a regular file, too large, or unreadable.
    """
    limit = int(settings.max_file_mb * 1024 * 1024)
    try:  # opened without blocking (a named pipe would wait for a writer), then checked
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise SynthError(f"{path}: no such file", "check the path") from None
    except OSError as exc:
        with contextlib.suppress(OSError):  # a socket; a directory, where opening one fails
            _regular(path, os.stat(path).st_mode)
        raise SynthError(
            f"{path}: cannot read it ({exc.strerror})", "check its permissions"
        ) from exc
    try:
        info = os.fstat(fd)
        _regular(path, info.st_mode)
    except SynthError:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        try:  # never more than the limit, even from a file that grows while it is read
            data = handle.read(limit + 1) if info.st_size <= limit else b""
        except OSError as exc:
            raise SynthError(
                f"{path}: cannot read it ({exc.strerror})", "check its permissions"
            ) from exc
    size = max(info.st_size, len(data))
    if size > limit:
        raise SynthError(
            f"{path}: {size / (1024 * 1024):.0f} MB is over the {settings.max_file_mb:g} MB limit",
            "split the file, or raise SYNTH_PARSE_MAX_FILE_MB",
        )
    return data


def file_paper_id(path: Path, data: bytes) -> str:
    """The content id of a local file: the SHA-256 of its bytes (the same PDF fetched from
    arXiv gets the same id, so it is stored once)."""
    kind = "pdf" if data.startswith(b"%PDF-") else "text"
    return content_id("p", kind, hashlib.sha256(data).hexdigest())


def load_pdf(
    path: Path,
    data: bytes,
    on_page: Callable[[int, int], None] | None = None,
    limits: ParseSettings | None = None,
    paper_id: str | None = None,
) -> Document:
    """A local PDF, read under the budget of ``limits`` (see :func:`read_pdf`).

    Args:
        path: Where it was read from (its name is the paper_id unless ``paper_id``).
        data: Its bytes.
        on_page: Called with ``(done, total)`` after each page is read.
        limits: The parse budget and caps (default: the default settings).
        paper_id: The name to store it under instead of the file name.

    Returns:
        The paper and its pages.
    """
    parsed = read_pdf(path.name, data, on_page, limits)
    sha = hashlib.sha256(data).hexdigest()
    paper = Paper(
        id=file_paper_id(path, data),
        paper_id=paper_id or path.name,
        source=SourceKind.PDF,
        title=parsed.title or path.stem,
        authors=parsed.authors,
        path=str(path.resolve()),
        pdf_sha256=sha,
        pages=len(parsed.pages),
    )
    return Document(paper, parsed.pages)


def load_text(path: Path, data: bytes, paper_id: str | None = None) -> Document:
    """A .txt/.md file: form feeds separate pages, blank lines paragraphs, '#' headings.

    Args:
        path: Where it was read from (its name is the paper_id unless ``paper_id``).
        data: Its bytes.
        paper_id: The name to store it under instead of the file name.

    Returns:
        The paper and its pages.
    """
    decoded = decode_text(data)
    if decoded is None:
        raise SynthError(f"{path}: looks binary, not text", "add PDFs as .pdf; text must be UTF-8")
    if decoded.legacy:
        logging.getLogger(__name__).warning(decoded.note(path))
    text = decoded.text
    pages = [[normalise_line(line) for line in page.splitlines()] for page in text.split("\f")]
    if not any(line for page in pages for line in page):
        raise SynthError(f"{path}: the file holds no text", "check that it is the right file")
    title = next((line.lstrip("# ") for line in pages[0] if line), path.stem)
    structured = structure_pages(pages)
    paper = Paper(
        id=file_paper_id(path, data),
        paper_id=paper_id or path.name,
        source=SourceKind.TEXT,
        title=title,
        path=str(path.resolve()),
        pages=len(structured),
    )
    return Document(paper, structured)


def _record_document(record: dict[str, Any], path: Path) -> Document:
    key = next(
        (record[k] for k in ("doc_id", "id", "paper_id") if record.get(k) not in (None, "")), None
    )
    if key is None:
        raise SynthError(
            "the record has no doc_id or id", 'give every line an id: {"id": ..., ...}'
        )
    body = next((record[k] for k in ("abstract", "text", "body") if record.get(k)), None)
    if isinstance(body, str):
        flat = " ".join(body.split())
        sentences = [flat[s:e] for s, e in split_sentences(flat)]
    elif isinstance(body, list) and all(isinstance(s, str) for s in body):
        sentences = [" ".join(s.split()) for s in body if s.strip()]
    else:
        raise SynthError(
            f"record {key}: no abstract or text",
            'give it "abstract" (a string or a list of sentences)',
        )
    title = " ".join(str(record.get("title") or "").split())
    page = sentences_page(sentences)
    authors = record.get("authors") or ()
    paper = Paper(
        id=content_id("p", "jsonl", title, page.text),
        paper_id=str(key),
        source=SourceKind.JSONL,
        title=title,
        authors=tuple(str(a) for a in authors) if isinstance(authors, list) else (),
        year=record["year"] if isinstance(record.get("year"), int) else None,
        abstract=page.text,
        path=str(path.resolve()),
        pages=1,
    )
    return Document(paper, [page])


def read_jsonl(path: Path, data: bytes) -> Iterator[tuple[int, Document | SynthError]]:
    """Each line of a JSONL corpus as a document, or as the error that line has.
    Understands SciFact's corpus format (doc_id, title, abstract as a list of sentences)
    and plain records with id/title/abstract|text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SynthError(f"{path}: not UTF-8 text", "a JSONL corpus must be UTF-8") from exc
    seen: dict[str, int] = {}
    for number, line in enumerate(json_lines(text), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise SynthError("the line is not a JSON object", "write one object per line")
            require_unicode(record)
            document = _record_document(record, path)
        except json.JSONDecodeError as exc:
            yield (
                number,
                SynthError(f"{path}:{number}: not JSON ({exc.msg})", "fix or remove that line"),
            )
            continue
        except RecursionError:
            yield number, SynthError(f"{path}:{number}: the record is nested too deeply to read",
                                     "fix or remove that line")  # fmt: skip
            continue
        except ValueError as exc:  # json's own limits, e.g. a number of more than 4,300 digits
            yield number, SynthError(f"{path}:{number}: cannot read the line ({exc})",
                                     "fix or remove that line")  # fmt: skip
            continue
        except SynthError as exc:
            yield number, SynthError(f"{path}:{number}: {exc.message}", exc.hint)
            continue
        first = seen.setdefault(document.paper.paper_id, number)
        if first != number:
            yield (
                number,
                SynthError(
                    f"{path}:{number}: id {document.paper.paper_id} repeats line {first}",
                    "give every record its own id",
                ),
            )
            continue
        yield number, document

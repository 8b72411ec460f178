"""Small PDFs generated for the tests with reportlab: one- and two-column layouts, running
headers, page numbers, a references section, and the broken kinds synth must refuse.
All text here is written for these tests."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = letter
HEADER = "Synth Test Paper: Transfer Across Languages"


def marker(page: int) -> str:
    """A sentence that appears on exactly one page, so tests can check page anchors."""
    return f"The marker sentence for page {page} reports a gain of {page}.5 points on the probe."


def _body(page: int) -> list[str]:
    return [
        f"This page discusses experiment number {page} in some detail. " + marker(page),
        f"Models for experiment {page} were trained with three random seeds, and the mean is "
        f"reported in table {page}. Results vary little between seeds, so the gains are stable.",
    ]


PAGES_5: list[tuple[str | None, list[str]]] = [
    ("Abstract", ["We study how intermediate training transfers to new languages. " + marker(1)]),
    ("1 Introduction", _body(2)),
    ("2 Method", _body(3)),
    ("3 Results", _body(4)),
    ("References", [
        "[1] A. Author and B. Writer. A made-up paper about transfer. In Proceedings of a "
        "Conference, 2020. The marker sentence for page 5 reports a gain of 5.5 points.",
        "[2] C. Scholar. Another invented reference for the tests. Journal of Tests, 2021.",
    ]),
]  # fmt: skip


def one_column_pdf(
    path: Path, pages: list[tuple[str | None, list[str]]] = PAGES_5, title: str = "Transfer Study"
) -> Path:
    """Each page: a running header, an optional heading, wrapped paragraphs, a page number."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    pdf.setTitle(title)
    pdf.setAuthor("Ada Lovelace, Alan Turing")
    for number, (heading, paragraphs) in enumerate(pages, start=1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, HEIGHT - 40, HEADER)
        y = HEIGHT - 80
        if number == 1:
            pdf.setFont("Helvetica-Bold", 14)
            pdf.drawString(72, y, title)
            y -= 30
        if heading:
            pdf.setFont("Helvetica-Bold", 11)
            pdf.drawString(72, y, heading)
            y -= 20
        pdf.setFont("Helvetica", 10)
        for paragraph in paragraphs:
            for line in textwrap.wrap(paragraph, 90):
                pdf.drawString(72, y, line)
                y -= 13
            y -= 13
        pdf.drawString(WIDTH / 2, 40, str(number))
        pdf.showPage()
    pdf.save()
    return path


LEFT = [
    "Intermediate training helps when the",
    "target task is small. We observed trans-",
    "fer to every language we tried, and the",
    "gains were largest for retrieval.",
]
RIGHT = [
    "The right column starts a new topic.",
    "Scaling the encoder also helps, but the",
    "cost grows with the number of layers.",
    "Both effects add up in our runs.",
]


def two_column_pdf(path: Path) -> Path:
    """A full-width title, then two columns drawn line by line *interleaved* (left line 1,
    right line 1, ...), the order that defeats plain stream-order extraction."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(150, HEIGHT - 60, "Columns Are Read Left Then Right")
    pdf.setFont("Helvetica", 10)
    for i, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
        y = HEIGHT - 100 - 13 * i
        pdf.drawString(72, y, left)
        pdf.drawString(320, y, right)
    pdf.drawString(WIDTH / 2, 40, "1")
    pdf.showPage()
    pdf.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """Only shapes, no text layer: what a scan without OCR looks like to a parser."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    for i in range(20):
        pdf.rect(72, HEIGHT - 100 - 20 * i, 400, 10, fill=1)
    pdf.showPage()
    pdf.save()
    return path


def encrypted_pdf(source: Path, path: Path, user_password: str) -> Path:
    """``source`` encrypted; an empty user password opens without asking (owner lock only)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password, owner_password="owner-secret", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path

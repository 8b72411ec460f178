"""Small PDFs generated for the tests with reportlab: one- and two-column layouts, running
headers, page numbers, a references section, and the broken kinds synth must refuse; and,
written by hand, hostile ones (a repeated page tree, a compression bomb).
All text here is written for these tests."""

from __future__ import annotations

import io
import textwrap
import zlib
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


# A two-column conference paper with the furniture of real ones (a venue line, the arXiv
# stamp, review line numbers, a footnote, a table, a figure, references, an appendix).
CONF_TITLE = ("Synthetic Columns Keep Their", "Reading Order in Tests")
VENUE = "Proceedings of the 99th Annual Meeting of the Society for Tests, pages 1-3"
STAMP = "arXiv:2101.00001v1 [cs.CL] 1 Jan 2021"
CONF_ABSTRACT = (
    "We describe a made-up study of reading order. Columns must be read left then right. "
    "The abstract ends here after three sentences."
)
CROSSING = (
    "This sentence starts near the bottom of the left column and it carries on at the top "
    "of the right column without a break."
)
FOOTNOTE = "1 The footnote says where the code lives and it is not body text."
TABLE_ROWS = [
    ("System", "XNLI", "PAWS", "NER"),
    ("langs.", "15", "7", "33"),
    ("Baseline", "80.1", "86.5", "62.8"),
    ("Ours", "82.3", "88.0", "64.1"),
]
CONF_REFERENCE = (
    "Ada Example. 2020. A made-up paper about columns. In Proceedings of the Conference on "
    "Tests, pages 1-10."
)
APPENDIX = "The appendix gives more details about the runs. It is ordinary body text."
_LEFT_X, _RIGHT_X, _COLUMN = 54.0, 318.0, 240.0


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


class _Column:
    """Writes wrapped text down one column."""

    def __init__(self, pdf: canvas.Canvas, x: float, top: float):
        self.pdf, self.x, self.y = pdf, x, top

    def heading(self, text: str) -> None:
        self.y -= 8
        self.pdf.setFont("Times-Bold", 12)
        self.pdf.drawString(self.x, self.y, text)
        self.y -= 18

    def paragraph(self, text: str, font: str = "Times-Roman", size: float = 10) -> None:
        self.pdf.setFont(font, size)
        for i, line in enumerate(_wrap(text, font, size, _COLUMN - 12)):
            self.pdf.drawString(self.x + (10 if i == 0 else 0), self.y, line)
            self.y -= size + 2


def _ruler(pdf: canvas.Canvas, page: int) -> None:
    """A review copy's line numbers: every 12 points down both margins, counting on."""
    pdf.setFont("Helvetica", 7)
    for i in range(55):
        y = HEIGHT - 70 - 12 * i
        pdf.drawString(_LEFT_X - 30, y, f"{100 * (page - 1) + i:03d}")
        pdf.drawString(_RIGHT_X + _COLUMN + 14, y, f"{100 * (page - 1) + 50 + i:03d}")


def conference_pdf(
    path: Path,
    *,
    venue: bool = True,
    stamp: bool = True,
    line_numbers: bool = False,
) -> Path:
    """Page 1: the venue line at the top, a two-line title in large bold type, authors,
    an Abstract, an introduction whose sentence :data:`CROSSING` runs from the left column
    into the right one past a footnote, a table (caption above, a bold "langs." row) and a
    figure (labels, caption below). Page 2: results, References in smaller type with a
    hanging indent, and an appendix after them. Page numbers, the arXiv stamp set sideways
    in the margin, and (``line_numbers``) a review copy's numbers down both margins."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    if line_numbers:
        _ruler(pdf, 1)
    if venue:
        pdf.setFont("Times-Roman", 8)
        pdf.drawCentredString(WIDTH / 2, HEIGHT - 30, VENUE)
    pdf.setFont("Times-Bold", 15)
    for i, line in enumerate(CONF_TITLE):
        pdf.drawCentredString(WIDTH / 2, HEIGHT - 80 - 18 * i, line)
    pdf.setFont("Times-Roman", 11)
    pdf.drawCentredString(WIDTH / 2, HEIGHT - 130, "Ada Example and Bea Sample")
    pdf.drawCentredString(WIDTH / 2, HEIGHT - 144, "Example University")
    if stamp:
        pdf.saveState()
        pdf.translate(30, 250)
        pdf.rotate(90)
        pdf.setFont("Times-Roman", 20)
        pdf.drawString(0, 0, STAMP)
        pdf.restoreState()
    left = _Column(pdf, _LEFT_X, HEIGHT - 190)
    left.heading("Abstract")
    left.paragraph(CONF_ABSTRACT)
    left.heading("1 Introduction")
    intro = " ".join(
        f"Paragraph sentence {n} of the introduction is plain body text for the tests."
        for n in range(1, 25)
    )
    left.paragraph(intro)
    crossing = _wrap(CROSSING, "Times-Roman", 10, _COLUMN - 12)
    for line in crossing[:2]:
        pdf.setFont("Times-Roman", 10)
        pdf.drawString(left.x, left.y, line)
        left.y -= 12
    pdf.setFont("Times-Roman", 8)
    pdf.line(_LEFT_X, 92, _LEFT_X + 80, 92)
    pdf.drawString(_LEFT_X, 80, FOOTNOTE)
    right = _Column(pdf, _RIGHT_X, HEIGHT - 190)
    for line in crossing[2:]:
        pdf.setFont("Times-Roman", 10)
        pdf.drawString(right.x, right.y, line)
        right.y -= 12
    right.paragraph("After the crossing sentence the column goes on with a new paragraph.")
    right.y -= 10
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(right.x, right.y, "Table 1: Accuracy of the systems on the probe tasks.")
    right.y -= 16
    for row in TABLE_ROWS:
        pdf.setFont("Times-Bold" if row[0] in ("System", "langs.") else "Times-Roman", 10)
        for i, cell in enumerate(row):
            pdf.drawString(right.x + 10 + 60 * i, right.y, cell)
        right.y -= 13
    right.y -= 10
    right.heading("2 Method")
    right.paragraph("The method section is short. It has two sentences of body text.")
    pdf.setFont("Helvetica", 7)
    pdf.rect(right.x + 20, right.y - 90, 180, 80)
    for label, dx, dy in (("Accuracy", -15, 40), ("0.5", -10, 5), ("1.0", -10, 75)):
        pdf.drawString(right.x + 20 + dx, right.y - 90 + dy, label)
    pdf.drawString(right.x + 100, right.y - 100, "Epochs")
    right.y -= 118
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(right.x, right.y, "Figure 1: Accuracy grows with the number of epochs.")
    pdf.setFont("Times-Roman", 9)
    pdf.drawCentredString(WIDTH / 2, 40, "1")
    pdf.showPage()
    if line_numbers:
        _ruler(pdf, 2)
    left = _Column(pdf, _LEFT_X, HEIGHT - 80)
    left.heading("3 Results")
    left.paragraph("The results section reports the gains. The gain is 2.2 points on XNLI.")
    left.heading("References")
    for _ in range(6):
        pdf.setFont("Times-Roman", 9)
        for i, line in enumerate(_wrap(CONF_REFERENCE, "Times-Roman", 9, _COLUMN - 12)):
            pdf.drawString(left.x + (0 if i == 0 else 10), left.y, line)
            left.y -= 11
        left.y -= 3
    right = _Column(pdf, _RIGHT_X, HEIGHT - 80)
    right.heading("A Appendix Details")
    right.paragraph(APPENDIX)
    pdf.setFont("Times-Roman", 9)
    pdf.drawCentredString(WIDTH / 2, 40, "2")
    pdf.showPage()
    pdf.save()
    return path


# Tables drawn the way LaTeX's booktabs sets them: rules, spanning headers under short rules,
# a sideways row-group label, a label row, empty cells and rows of differences.
PLAIN_TABLE = [
    ("Model", "Params", "XNLI", "PAWS-X"),
    ("Baseline", "270M", "80.1", "86.5"),
    ("Large", "550M", "82.4", ""),
    ("Ours", "580M", "84.0", "88.9"),
]
PLAIN_CAPTION = "Table 1: Accuracy of the plain models. The empty cell was not run."
GROUPED_CAPTION = "Table 2: Gains from intermediate training, relative to the baseline."
GROUPED_HEADER = [
    ("", "XNLI", "PAWS-X", "XQuAD", "MLQA"),
    ("Metric", "acc.", "acc.", "F1 / EM", "F1 / EM"),
]
GROUPED_BODY = [
    ("XLM-R", "80.1", "86.5", "76.1 / 60.0", "70.1 / 51.5"),
    ("ANLI", "- 0.8", "+ 0.4", "- 0.6 / - 0.1", "- 0.6 / - 0.8"),
    ("HellaSwag", "- 0.3", "+ 0.8", "- 0.3 / + 0.1", "+ 20.4 / + 0.2"),
    ("Other models", None, None, None, None),
    ("mBERT", "65.4", "81.9", "64.5 / 49.4", "-"),
]
_TABLE_X = (90.0, 210.0, 280.0, 360.0, 450.0)  # column centres (the first: its left edge)


def _table_row(pdf: canvas.Canvas, y: float, cells: tuple[str | None, ...], font: str) -> None:
    pdf.setFont(font, 9)
    for i, cell in enumerate(cells):
        if cell:
            if i == 0:
                pdf.drawString(_TABLE_X[0], y, cell)
            else:
                pdf.drawCentredString(_TABLE_X[i], y, cell)


def _rule(pdf: canvas.Canvas, y: float, x0: float = 80.0, x1: float = 500.0) -> None:
    pdf.setLineWidth(0.5)
    pdf.line(x0, y, x1, y)


def _paragraph(pdf: canvas.Canvas, y: float, text: str) -> float:
    pdf.setFont("Times-Roman", 10)
    for line in textwrap.wrap(text, 95):
        pdf.drawString(72, y, line)
        y -= 13
    return y - 10


def tables_pdf(path: Path) -> Path:
    """Page 1: body text, then :data:`PLAIN_TABLE` (ruled, one empty cell) with its caption
    below it, then body text. Page 2: a caption above :data:`GROUPED_HEADER` and
    :data:`GROUPED_BODY`: spanning headers ("Classification", "Question answering") over
    short rules, a sideways "No MLM" label beside the rows of differences, a label row
    ("Other models") and a dash for a missing result. Page 3: body text only."""
    body = (
        "This page reports the plain results in the table below. The models differ in size "
        "and in the data they saw during training, and the gains are reported in points."
    )
    pdf = canvas.Canvas(str(path), pagesize=letter)
    y = _paragraph(pdf, HEIGHT - 80, body)
    _rule(pdf, y)
    y -= 12
    for i, row in enumerate(PLAIN_TABLE):
        _table_row(pdf, y, row, "Times-Bold" if i == 0 else "Times-Roman")
        y -= 12
        if i == 0:
            _rule(pdf, y + 8)
            y -= 2
    _rule(pdf, y + 8)
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(72, y - 8, PLAIN_CAPTION)
    _paragraph(pdf, y - 40, body)
    pdf.showPage()
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(72, HEIGHT - 80, GROUPED_CAPTION)
    y = HEIGHT - 92
    _rule(pdf, y)
    y -= 12
    pdf.setFont("Times-Bold", 9)
    pdf.drawCentredString((_TABLE_X[1] + _TABLE_X[2]) / 2, y, "Classification")
    pdf.drawCentredString((_TABLE_X[3] + _TABLE_X[4]) / 2, y, "Question answering")
    _rule(pdf, y - 3, _TABLE_X[1] - 25, _TABLE_X[2] + 25)
    _rule(pdf, y - 3, _TABLE_X[3] - 35, _TABLE_X[4] + 35)
    y -= 14
    for row in GROUPED_HEADER:
        _table_row(pdf, y, row, "Times-Bold")
        y -= 12
    _rule(pdf, y + 8)
    y -= 2
    tops = []
    for i, row in enumerate(GROUPED_BODY):
        if i in (1, 3):
            _rule(pdf, y + 8)
            y -= 2
        tops.append(y)
        _table_row(pdf, y, row, "Times-Italic" if row[1] is None else "Times-Roman")
        y -= 12
    _rule(pdf, y + 8)
    pdf.saveState()
    pdf.translate(80, (tops[1] + tops[2]) / 2 - 14)
    pdf.rotate(90)
    pdf.setFont("Times-Bold", 8)
    pdf.drawString(0, 0, "No MLM")
    pdf.restoreState()
    _paragraph(pdf, y - 30, body)
    pdf.showPage()
    _paragraph(pdf, HEIGHT - 80, body + " No table is on this page, though Table 1 is cited.")
    pdf.showPage()
    pdf.save()
    return path


SIDEWAYS = [
    "This page is set sideways, as a wide table in an appendix often is.",
    "Its lines must still come out in their order and read left to right.",
    "A third line closes the paragraph on the turned page.",
]


def sideways_pdf(path: Path) -> Path:
    """One page whose text is all turned a quarter turn (reading upwards), with a short
    upright line in the margin that must not be read into it."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(40, 40, "upright margin note")
    pdf.saveState()
    pdf.translate(200, 150)
    pdf.rotate(90)
    pdf.setFont("Times-Roman", 11)
    for i, line in enumerate(SIDEWAYS):
        pdf.drawString(0, -14 * i, line)
    pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return path


# Hand-written PDFs: the hostile shapes no PDF library writes (a page tree listing one page
# many times, a compression bomb, an unknown encryption), with a real text page each.
PAGE_TEXT = "A hand-written page says that the gain was 2.5 points on the probe."
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from object bodies numbered 1, 2, ... (object 1 the catalog), with an xref
    table and a trailer (plus ``trailer``'s extra entries)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def _stream(content: bytes, compress: bool = False) -> bytes:
    data = zlib.compress(content, 9) if compress else content
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), flate, data)


def _text_page(kids: bytes, count: int, content: bytes, trailer: bytes = b"") -> bytes:
    """Catalog, page tree (``kids``, ``count``), one page (object 3) showing ``content``."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            content,
            _FONT,
        ],
        trailer,
    )


_SHOW = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % PAGE_TEXT.encode()


def text_page_pdf(path: Path) -> Path:
    """One page of :data:`PAGE_TEXT`, written by hand."""
    path.write_bytes(_text_page(b"3 0 R", 1, _stream(_SHOW)))
    return path


def repeated_page_pdf(path: Path, times: int = 100_000) -> Path:
    """A page tree whose one /Kids array lists the same page ``times`` times."""
    path.write_bytes(_text_page(b" ".join([b"3 0 R"] * times), times, _stream(_SHOW)))
    return path


def compression_bomb_pdf(path: Path, inflated_mb: int = 8) -> Path:
    """One page whose content stream is a line of text then ``inflated_mb`` MB of spaces,
    Flate-compressed to about a thousandth of that."""
    content = _SHOW + b" " * (inflated_mb * 1024 * 1024)
    path.write_bytes(_text_page(b"3 0 R", 1, _stream(content, compress=True)))
    return path


def unknown_encryption_pdf(path: Path) -> Path:
    """A page behind an /Encrypt dictionary of a version no reader knows (V 99)."""
    encrypt = b" /Encrypt << /Filter /Standard /V 99 /R 99 /O (x) /U (x) /P -4 >>"
    path.write_bytes(_text_page(b"3 0 R", 1, _stream(_SHOW), encrypt))
    return path


def missing_pages_pdf(path: Path) -> Path:
    """A page tree that counts three pages but holds one."""
    path.write_bytes(_text_page(b"3 0 R", 3, _stream(_SHOW)))
    return path

"""PDF-structure mutations for the fuzz harness (lying /Length and /Count values, deep
nesting, repeated page trees, compression and object-stream bombs, adversarial text,
encryption) and the seed PDFs they start from; tests/fuzzing.py draws the mutants."""

from __future__ import annotations

import functools
import re
import zlib
from pathlib import Path

import pdfgen
from adversarial import SHAPES, adversarial
from fuzz_bytes import (
    Mutation,
    Rng,
    delete,
    duplicate,
    flip,
    flip_tail,
    numbers,
    splice,
    truncate,
)

# PDF mutations


def length(rng: Rng, data: bytes, _: bytes) -> bytes:
    """Every /Length (or a random one) set to a lie: zero, negative, huge, off by some."""
    found = list(re.finditer(rb"/Length (\d+)", data))
    if not found:
        return numbers(rng, data, b"")
    chosen = found if rng.random() < 0.3 else [rng.choice(found)]
    out = bytearray(data)
    for match in sorted(chosen, key=lambda m: -m.start()):
        size = int(match.group(1))
        lie = rng.choice((0, -5, size * 1000, 2**31, 10**15, size + rng.randint(-50, 50)))
        out[match.start(1) : match.end(1)] = str(lie).encode()
    return bytes(out)


_KEYWORDS = (b"endobj", b"endstream", b"stream", b"xref", b"trailer", b"startxref", b" obj",
             b"/Root", b"/Pages", b"/Kids", b"/Type", b"%%EOF", b">>", b"<<", b"R")  # fmt: skip


def keyword(rng: Rng, data: bytes, _: bytes) -> bytes:
    """A structural keyword deleted, doubled or swapped for another, everywhere it occurs
    or once."""
    word, other = rng.pick("word", _KEYWORDS), rng.pick("to", (b"", *_KEYWORDS))
    if rng.random() < 0.5:
        return data.replace(word, other)
    at = data.find(word, rng.randrange(max(len(data), 1)))
    return data if at < 0 else data[:at] + other + data[at + len(word) :]


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
         b" /Resources << /Font << /F1 5 0 R >>%s >>%s >>")  # fmt: skip
_SHOW = b"BT /F1 12 Tf 72 720 Td (A hand-written page says the gain was 2.5 points.) Tj ET"


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(content), extra, content)


def _pdf(content: bytes, *, kids: bytes = b"3 0 R", count: int = 1, resources: bytes = b"",
         page: bytes = b"", more: tuple[bytes, ...] = (), trailer: bytes = b"",
         flate: bool = False) -> bytes:  # fmt: skip
    """Catalog (1), page tree (2), one page (3) showing ``content`` (4, already
    Flate-compressed when ``flate``) in Helvetica (5), then ``more`` objects (6, 7, ...)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        _PAGE % (resources, page),
        _stream(content, b" /Filter /FlateDecode" if flate else b""),
        _FONT,
        *more,
    ]
    return pdfgen.raw_pdf(objects, trailer)


def _escape(text: str) -> bytes:
    raw = text.encode("latin-1", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def deep(rng: Rng, _: bytes, __: bytes) -> bytes:
    """Nesting 1,000 to 100,000 deep: arrays or dictionaries in the page, arrays in a
    content stream operand, saved graphics states, or a form that draws itself."""
    depth = rng.pick("depth", (1_000, 10_000, 100_000))
    where = rng.pick("in", ("array", "dict", "operand", "q", "self-form", "tree-cycle"))
    if where == "array":
        return _pdf(_SHOW, page=b" /Junk " + b"[" * depth + b"]" * depth)
    if where == "dict":
        return _pdf(_SHOW, page=b" /Junk " + b"<< /A " * depth + b">> " * depth)
    if where == "operand":
        return _pdf(b"BT /F1 12 Tf 72 720 Td " + b"[" * depth + b"(x)" + b"]" * depth + b" TJ ET")
    if where == "q":
        return _pdf(b"q " * depth + _SHOW + b" Q" * depth)
    if where == "self-form":  # /X draws form 6, which draws itself
        form = _stream(b"/X Do " + _SHOW, b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
                       b" /Resources << /XObject << /X 6 0 R >> >>")  # fmt: skip
        return _pdf(b"/X Do " + _SHOW, resources=b" /XObject << /X 6 0 R >>", more=(form,))
    return _pdf(_SHOW, kids=b"3 0 R 2 0 R", count=depth)  # the tree lists itself


def repeated(rng: Rng, _: bytes, __: bytes) -> bytes:
    """A page tree listing one page thousands of times, flat or through nested trees that
    each list the next one ten times (10^6 pages from a few hundred bytes)."""
    if rng.random() < 0.5:
        times = rng.pick("times", (2_500, 20_000, 100_000))
        return _pdf(_SHOW, kids=b" ".join([b"3 0 R"] * times), count=times)
    levels = rng.pick("levels", (3, 6))
    nodes = [b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([b"%d 0 R" % (7 + i)] * 10),
             10 ** (levels - i)) for i in range(levels - 1)]  # fmt: skip
    nodes.append(b"<< /Type /Pages /Kids [%s] /Count 10 >>" % b" ".join([b"3 0 R"] * 10))
    top = b"<< /Type /Pages /Kids [7 0 R] /Count %d >>" % 10**levels
    return _pdf(_SHOW, kids=b"6 0 R 3 0 R", count=10**levels + 1, more=(top, *nodes))


_MB = 1024 * 1024


@functools.cache
def _deflate(head: bytes, spaces_mb: int) -> bytes:
    """``head`` then ``spaces_mb`` MB of spaces, Flate-compressed: one megabyte is
    compressed once after a full flush (so it refers to nothing before it) and repeated,
    with the checksum of the whole; a gigabyte takes a fraction of a second."""

    def raw(data: bytes) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)

    block = b" " * _MB
    checksum = zlib.adler32(head)
    for _ in range(spaces_mb):
        checksum = zlib.adler32(block, checksum)
    last = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the final, empty block
    return b"\x78\xda" + raw(head) + raw(block) * spaces_mb + last + checksum.to_bytes(4, "big")


def bomb(rng: Rng, _: bytes, __: bytes) -> bytes:
    """A content stream that inflates to 16 MB, 128 MB or 1.1 GB of spaces."""
    inflated = rng.pick("mb", (16, 128, 1100))
    return _pdf(_deflate(_SHOW, inflated), flate=True)


def objstm(rng: Rng, _: bytes, __: bytes) -> bytes:
    """The catalog and page tree inside a compressed object stream (read through a
    cross-reference stream) that inflates to hundreds of MB, or declares millions of
    objects."""
    catalog, pages = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    )
    header = b"1 0 2 %d " % (len(catalog) + 1)
    declared = rng.pick("n", (2, 1_000_000, 2**31 - 1))
    packed = _deflate(header + catalog + b" " + pages, rng.pick("mb", (0, 64, 512)))
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    bodies = {
        3: _PAGE % (b"", b""),
        4: _stream(_SHOW),
        5: _FONT,
        6: b"<< /Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode >>\nstream\n%s\n"
        b"endstream" % (declared, len(header), len(packed), packed),
    }
    for number, body in bodies.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[7] = len(out)
    rows = [b"\x00\x00\x00\x00\x00\xff\xff", b"\x02" + (6).to_bytes(4, "big") + b"\x00\x00",
            b"\x02" + (6).to_bytes(4, "big") + b"\x00\x01"]  # fmt: skip
    rows += [b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in range(3, 8)]
    xref = b"".join(rows)
    out += b"7 0 obj\n%s\nendobj\n" % _stream(xref, b" /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R")
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[7]
    return bytes(out)


def text(rng: Rng, _: bytes, __: bytes) -> bytes:
    """A page showing an adversarial run of 4 KB to 256 KB (one string, or many lines)."""
    shown = adversarial(rng.pick("shape", SHAPES), rng.pick("size", (4_000, 64_000, 256_000)))
    if rng.random() < 0.5:
        return _pdf(b"BT /F1 10 Tf 72 720 Td (" + _escape(shown) + b") Tj ET")
    lines = [shown[i : i + 90] for i in range(0, len(shown), 90)]
    body = b" T* ".join(b"(" + _escape(line) + b") Tj" for line in lines)
    return _pdf(b"BT /F1 10 Tf 12 TL 72 720 Td " + body + b" ET")


def encrypt(rng: Rng, _: bytes, __: bytes) -> bytes:
    """An /Encrypt dictionary with a random (mostly unknown) version, revision and filter."""
    version, revision = rng.pick("V", (0, 1, 2, 4, 5, 99, -1)), rng.pick("R", (2, 3, 4, 6, 99))
    filt = rng.choice((b"/Standard", b"/Adobe.PubSec", b"/Nonsense"))
    encrypt_dict = b"<< /Filter %s /V %d /R %d /O (x) /U (x) /P -4 /Length %d >>" % (
        filt, version, revision, rng.choice((40, 128, 256, 7)))  # fmt: skip
    return _pdf(_SHOW, trailer=b"/Encrypt " + encrypt_dict + b" /ID [(a) (b)] ")


def count(rng: Rng, _: bytes, __: bytes) -> bytes:
    """A page tree whose /Count lies: zero, negative, huge."""
    return _pdf(_SHOW, count=rng.pick("count", (0, -1, 3, 2**31, 10**12)))


# name -> (mutation, weight); the structural ones (:data:`BUILT`) ignore the seeds
PDF_MUTATIONS: dict[str, tuple[Mutation, float]] = {
    "flip": (flip, 3), "flip-tail": (flip_tail, 2), "truncate": (truncate, 2),
    "duplicate": (duplicate, 2), "delete": (delete, 2), "splice": (splice, 2),
    "numbers": (numbers, 2), "length": (length, 2), "keyword": (keyword, 1.5),
    "deep-nesting": (deep, 1), "repeated-pages": (repeated, 0.5), "bomb": (bomb, 0.4),
    "objstm-bomb": (objstm, 0.6), "long-text": (text, 1), "encrypt": (encrypt, 0.5),
    "count": (count, 0.5),
}  # fmt: skip


def pdf_seeds(folder: Path) -> dict[str, bytes]:
    """The seed PDFs: every generated layout of tests/pdfgen.py (reportlab's invariant
    mode: the same bytes on every run), its hand-written hostile ones, and an owner-locked
    copy (AES salts are random: :data:`RANDOM_SEEDS`, the one seed that differs by run).

    Args:
        folder: Where to write them.

    Returns:
        Each seed's name and bytes.
    """
    from reportlab import rl_config  # type: ignore[import-untyped]

    rl_config.invariant = 1
    folder.mkdir(parents=True, exist_ok=True)
    one = pdfgen.one_column_pdf(folder / "one-column.pdf")
    made = [one, pdfgen.repeated_page_pdf(folder / "repeated.pdf", times=3000),
            pdfgen.compression_bomb_pdf(folder / "bomb.pdf", inflated_mb=8)]  # fmt: skip
    made += [make(folder / name) for name, make in (
        ("two-column.pdf", pdfgen.two_column_pdf), ("conf.pdf", pdfgen.conference_pdf),
        ("tables.pdf", pdfgen.tables_pdf), ("sideways.pdf", pdfgen.sideways_pdf),
        ("scanned.pdf", pdfgen.scanned_pdf), ("text-page.pdf", pdfgen.text_page_pdf),
        ("missing.pdf", pdfgen.missing_pages_pdf), ("v99.pdf", pdfgen.unknown_encryption_pdf),
    )]  # fmt: skip
    made.append(pdfgen.encrypted_pdf(one, folder / "owner-locked.pdf", ""))
    return {path.name: path.read_bytes() for path in made}

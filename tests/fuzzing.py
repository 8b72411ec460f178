"""Hostile inputs for every kind of file synth reads, made by mutating seeds the tests
generate: PDFs (byte flips, cuts, duplicated and deleted chunks, splices, lying /Length and
/Count values, deep nesting, repeated page trees, compression and object-stream bombs,
adversarial text), text and Markdown files, reports, JSONL corpora and JSONL claims.

Each mutant is a pure function of ``(seed, kind, index)``: the same triple gives the same
bytes (but for mutants of the owner-locked seed PDF, whose encryption salts are random), so
a failure found by a long run is reproduced by asking for that one mutant. The
fuzz harness (benchmarks/fuzz.py) and the fast fuzz tests (tests/fuzz/) draw on this one
place; the targets that feed the mutants to synth are in tests/fuzz_targets.py.
"""

from __future__ import annotations

import functools
import json
import random
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pdfgen
from adversarial import SHAPES, adversarial

REPO = Path(__file__).resolve().parents[1]
KINDS = ("pdf", "text", "report", "jsonl", "claims")
T = TypeVar("T")
RANDOM_SEEDS = {"owner-locked.pdf"}  # encrypted: new bytes on each run (the harness keeps failures)
SUFFIX = {"pdf": ".pdf", "text": ".md", "report": ".txt", "jsonl": ".jsonl", "claims": ".jsonl"}


class Rng(random.Random):
    """A seeded random source that also notes the choices that shape a mutant (the
    depth, the shape, the encoding), so a failure names them."""

    def __init__(self, seed: str) -> None:
        super().__init__(seed)
        self.notes: list[str] = []

    def pick(self, name: str, options: Sequence[T]) -> T:
        """One of ``options`` at random, noted under ``name``."""
        value = self.choice(options)
        shown = repr(value)
        self.notes.append(f"{name}={shown if len(shown) <= 24 else shown[:21] + '...'}")
        return value


Mutation = Callable[[Rng, bytes, bytes], bytes]  # (rng, seed, another seed) -> mutant


@dataclass(frozen=True)
class Mutant:
    """One hostile input: its kind, the mutation that made it, a file name and its bytes."""

    kind: str
    index: int
    mutation: str
    name: str
    data: bytes


# Byte-level mutations, for any kind of file


def _span(rng: Rng, data: bytes) -> tuple[int, int]:
    start = rng.randrange(max(len(data), 1))
    return start, min(len(data), start + rng.choice((1, 8, 64, 512, 4096)))


def flip(rng: Rng, data: bytes, _: bytes) -> bytes:
    """1 to 32 bytes set to random values."""
    out = bytearray(data)
    for _time in range(rng.randint(1, 32)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def flip_tail(rng: Rng, data: bytes, _: bytes) -> bytes:
    """Random bytes in the last 256 (a PDF's cross-reference table and trailer)."""
    out = bytearray(data)
    for _time in range(rng.randint(1, 8)):
        out[len(out) - 1 - rng.randrange(min(256, len(out)))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: Rng, data: bytes, _: bytes) -> bytes:
    """The file cut at a random byte."""
    return data[: rng.randrange(len(data))]


def duplicate(rng: Rng, data: bytes, _: bytes) -> bytes:
    """A chunk copied to a random place, 1 to 64 times."""
    start, end = _span(rng, data)
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[start:end] * rng.choice((1, 2, 64)) + data[at:]


def delete(rng: Rng, data: bytes, _: bytes) -> bytes:
    """A chunk cut out."""
    start, end = _span(rng, data)
    return data[:start] + data[end:]


def splice(rng: Rng, data: bytes, other: bytes) -> bytes:
    """The head of one seed joined to the tail of another."""
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]


_EXTREMES = (b"0", b"-1", b"-2147483649", b"2147483648", b"99999999999999999999", b"1e308")


def numbers(rng: Rng, data: bytes, _: bytes) -> bytes:
    """Some of the integers in the file replaced by extreme ones (object numbers, counts,
    offsets, sizes)."""
    found = list(re.finditer(rb"(?<![\d.])\d{1,9}(?![\d.])", data))
    if not found:
        return flip(rng, data, b"")
    out = bytearray(data)
    for match in sorted(rng.sample(found, min(len(found), rng.randint(1, 6))),
                        key=lambda m: -m.start()):  # fmt: skip
        out[match.start() : match.end()] = rng.choice(_EXTREMES)
    return bytes(out)


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


# Text, Markdown and reports


_NASTY = ("\x00", "\ufeff", "\u202e", "\u0301" * 200, "\U0001f600", "\x0c", "\r", "\u2028",
          "\u00ad", "ﬁ", "\u200b", "\x85", "\x1e", "\\", "\t" * 500, "ǅ", "İ", "\U000e0001",
          "\ud800", "\udfff")  # fmt: skip


def _edit_text(rng: Rng, text: str) -> str:
    lines = text.split("\n")
    at = rng.randrange(len(lines) + 1)
    choice = rng.pick(
        "edit", ("adversarial", "nasty", "one-line", "cr", "headings", "pages", "empty")
    )
    if choice == "adversarial":
        run = adversarial(rng.pick("shape", SHAPES), rng.pick("size", (1_000, 64_000, 256_000)))
        lines.insert(at, run)
    elif choice == "nasty":
        lines.insert(at, "".join(rng.choice(_NASTY) for _ in range(rng.randint(1, 40))))
    elif choice == "one-line":
        return " ".join(lines)
    elif choice == "cr":
        return rng.choice(("\r", "\r\n", "\u2028", "\x85")).join(lines)
    elif choice == "headings":
        lines = ["#" * rng.choice((1, 7, 10_000)) + " " + line for line in lines]
    elif choice == "pages":
        lines.insert(at, "\f" * rng.choice((1, 1_000)))
    else:
        return rng.pick("text", ("", " ", "\n" * 1000, "#", "\f", "# Title only"))
    return "\n".join(lines)


def _encode(rng: Rng, text: str) -> bytes:
    encoding = rng.pick("encoding", ("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                           "latin-1", "cp1252", "surrogates"))  # fmt: skip
    if encoding == "surrogates":
        return text.encode("utf-8", "surrogatepass")
    return text.encode(encoding, "replace" if encoding not in ("utf-16", "utf-16-le") else
                       "surrogatepass")  # fmt: skip


def edit(rng: Rng, data: bytes, _: bytes) -> bytes:
    """The text decoded, edited (an adversarial run or odd characters inserted, line ends
    changed, headings or form feeds piled up, emptied) and encoded again in a random
    encoding (lone surrogates written as they are)."""
    return _encode(rng, _edit_text(rng, data.decode("utf-8", "surrogateescape")))


_CLAIM_ROW = re.compile(r"^[^\t\n]+\t[^\t\n]*\t[^\t\n]*$", re.M)
_ODD_CELLS = ("nan", "1e309", "-1", "", "0x10", "½", "✓✓", "×", "TRUE", "∞", "1,5", "0.3.1")


def table(rng: Rng, data: bytes, _: bytes) -> bytes:
    """A report's claim table broken: rows repeated up to 5,000 times, cells added, marks
    and confidences replaced with odd values, the References or Claims heading renamed."""
    text_ = data.decode("utf-8", "replace")
    rows = _CLAIM_ROW.findall(text_)
    choice = rng.pick("table", ("repeat", "cells", "odd", "headings", "refs"))
    if choice == "repeat" and rows:
        text_ = text_.replace(rows[-1], "\n".join([rows[-1]] * rng.choice((300, 5_000))))
    elif choice == "cells" and rows:
        text_ = text_.replace(rows[0], rows[0] + "\t" * rng.choice((1, 1_000)) + "x")
    elif choice == "odd" and rows:
        for row in rng.sample(rows, min(len(rows), 3)):
            claim, *_ = row.split("\t")
            cells = (rng.choice(_ODD_CELLS), rng.choice(_ODD_CELLS))
            text_ = text_.replace(row, "\t".join((claim, *cells)))
    elif choice == "headings":
        marks = "#" * rng.pick("hashes", (1, 6, 300))
        text_ = re.sub(r"## (References|\d+ Extracted Claims)",
                       lambda m: marks + " " + m.group(1)[::-1], text_)  # fmt: skip
    else:
        heads = ("- <http://arxiv.org/abs/", "[1] arXiv:", "- https://arxiv.org/pdf/")
        ids = ("2005.13013v99", "9999.99999", "hep-th/" + "9" * 300, "(((", "")
        refs = [rng.choice(heads) + rng.choice(ids) + rng.choice((">", "", ")" * 100))
                for _ in range(rng.pick("refs", (5, 2_000)))]  # fmt: skip
        text_ += "\n## References\n\n" + "\n".join(refs) + "\n"
    return text_.encode("utf-8")


TEXT_MUTATIONS: dict[str, tuple[Mutation, float]] = {
    "flip": (flip, 2), "truncate": (truncate, 1), "duplicate": (duplicate, 1),
    "delete": (delete, 1), "splice": (splice, 1), "edit": (edit, 4),
}  # fmt: skip
REPORT_MUTATIONS: dict[str, tuple[Mutation, float]] = {**TEXT_MUTATIONS, "table": (table, 3)}


def text_seeds() -> dict[str, bytes]:
    """Markdown and text seeds: the generated paper's text as Markdown, and the README."""
    paper = "\n\n".join(
        (f"# {heading}\n\n" if heading else "") + "\n\n".join(paragraphs)
        for heading, paragraphs in pdfgen.PAGES_5
    )
    return {"paper.md": paper.encode(), "README.md": (REPO / "README.md").read_bytes()}


def report_seeds() -> dict[str, bytes]:
    """The demo and full-text reports, and the seed report when ../shared holds it."""
    paths = [REPO / "corpus" / "demo-report.txt", REPO / "corpus" / "fulltext-report.txt",
             REPO.parent / "shared" / "seed" / "seed-report.txt"]  # fmt: skip
    return {path.name: path.read_bytes() for path in paths if path.is_file()}


# JSONL: corpora of abstracts, and claims for `synth check --batch`


def _deep_line(rng: Rng) -> str:
    depth = rng.pick("depth", (1_000, 10_000, 100_000))
    return "[" * depth + "]" * depth


_ODD_VALUES: tuple[object, ...] = (None, "", " ", [], {}, 1.5, True, -1, [1, [2]], {"a": "b"},
                                   "x" * 20_000, ["a", 3], ["\u2028"], "\x00")  # fmt: skip
_RAW_ODD = ("NaN", "Infinity", "-Infinity", "1" * 5_000, "1e99999", '"\\ud800"', '"\\udfff x"',
            '"a\u2028b"', '"a\x85b"', '"\\u0000"')  # fmt: skip


def _field_line(rng: Rng, record: dict[str, object]) -> str:
    """``record`` with one field dropped, or given an odd value (written as JSON, or as raw
    text JSON allows but Python may choke on: NaN, a 5,000-digit number, a lone surrogate
    escape, a raw line separator)."""
    key = rng.choice(sorted(record))
    if rng.random() < 0.2:
        return json.dumps({k: v for k, v in record.items() if k != key})
    if rng.random() < 0.5:
        return json.dumps({**record, key: rng.pick(key, _ODD_VALUES)}, ensure_ascii=False)
    marker = "\x01MARK\x01"
    return json.dumps({**record, key: marker}).replace(json.dumps(marker), rng.pick(key, _RAW_ODD))


def _broken_line(rng: Rng, line: str) -> str:
    choice = rng.pick("broken", ("cut", "tail", "quotes", "array", "scalar", "long"))
    if choice == "cut":
        return line[: rng.randrange(len(line))]
    if choice == "tail":
        return line + rng.choice(("}", ",", " x", "\x00"))
    if choice == "quotes":
        return line.replace('"', "'")
    if choice == "array":
        return "[" + line + "]"
    if choice == "scalar":
        return rng.choice(("null", "true", "1", '"a string"', "{}"))
    shape = rng.choice(SHAPES)
    return json.dumps(
        {"id": "long", "abstract": adversarial(shape, rng.choice((64_000, 1_000_000)))}
    )


def _lines_mutation(make_record: Callable[[Rng, int], dict[str, object]]) -> Mutation:
    """A mutation of a JSONL file: its lines made by ``make_record``, then 1 to 3 of them
    replaced by hostile ones (deep nesting, odd fields, broken JSON, repeated ids), and at
    times the whole file re-encoded or given odd line ends."""

    def mutate(rng: Rng, data: bytes, _: bytes) -> bytes:
        records = [make_record(rng, n) for n in range(rng.randint(1, 30))]
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        lines += data.decode("utf-8").splitlines()[: rng.randint(0, 6)]
        for _time in range(rng.randint(1, 3)):
            at = rng.randrange(len(lines))
            how = rng.pick("line", ("deep", "field", "field", "broken", "repeat", "blank"))
            if how == "deep":
                lines[at] = _deep_line(rng)
            elif how == "field":
                lines[at] = _field_line(rng, records[at % len(records)])
            elif how == "broken":
                lines[at] = _broken_line(rng, lines[at] or "{}")
            elif how == "repeat":
                lines.insert(at, lines[rng.randrange(len(lines))])
            else:
                lines.insert(at, rng.choice(("", "  ", "\t")))
        end = rng.pick("end", ("\n", "\n", "\n", "\r\n", "\r"))
        joined = end.join(lines) + rng.choice((end, ""))
        return (
            _encode(rng, joined) if rng.random() < 0.2 else joined.encode("utf-8", "surrogatepass")
        )

    return mutate


def _abstract_record(rng: Rng, n: int) -> dict[str, object]:
    sentences = [s for _, paragraphs in pdfgen.PAGES_5 for s in paragraphs]
    body: object = rng.choice(sentences)
    if rng.random() < 0.5:
        body = rng.sample(sentences, rng.randint(1, 3))
    return {"id": f"doc-{n}", "title": f"Paper {n}", "abstract": body,
            "authors": ["Ada Example"], "year": 2020}  # fmt: skip


CLAIMS = (
    "Café breaks improve recall by 4 points.",
    "Warm baths bring sleep onset 12 minutes earlier.",
    "Intermediate training gives a 5.4 point improvement on XTREME.",
)


def _claim_record(rng: Rng, n: int) -> dict[str, object]:
    record: dict[str, object] = {"id": f"c{n}", "claim": rng.choice(CLAIMS)}
    if rng.random() < 0.3:
        record["papers"] = rng.choice((["cafe"], ["cafe", "nowhere"], []))
    return record


_BYTES: dict[str, tuple[Mutation, float]] = {"flip": (flip, 1), "truncate": (truncate, 1),
                                             "splice": (splice, 1)}  # fmt: skip
JSONL_MUTATIONS = {"lines": (_lines_mutation(_abstract_record), 6.0), **_BYTES}
CLAIMS_MUTATIONS = {"lines": (_lines_mutation(_claim_record), 6.0), **_BYTES}


def jsonl_seeds() -> dict[str, bytes]:
    """The SciFact fixture corpus (six abstracts, SciFact's own format)."""
    path = REPO / "tests" / "fixtures" / "scifact" / "corpus.jsonl"
    return {path.name: path.read_bytes()}


def claims_seeds() -> dict[str, bytes]:
    """A few claims about the fixture paper the fuzz checker stores."""
    lines = [json.dumps({"id": f"c{n}", "claim": claim}) for n, claim in enumerate(CLAIMS)]
    return {"claims.jsonl": "\n".join(lines).encode()}


# Drawing mutants


BUILT = {"deep-nesting", "repeated-pages", "bomb", "objstm-bomb", "long-text", "encrypt", "count",
         "lines"}  # fmt: skip
MUTATIONS = {"pdf": PDF_MUTATIONS, "text": TEXT_MUTATIONS, "report": REPORT_MUTATIONS,
             "jsonl": JSONL_MUTATIONS, "claims": CLAIMS_MUTATIONS}  # fmt: skip


def seeds(kind: str, folder: Path) -> dict[str, bytes]:
    """The seeds of ``kind`` (PDFs are written under ``folder``).

    Args:
        kind: One of :data:`KINDS`.
        folder: A scratch folder for generated seed files.

    Returns:
        Each seed's name and bytes.
    """
    if kind == "pdf":
        return pdf_seeds(folder / "seeds")
    return {"text": text_seeds, "report": report_seeds, "jsonl": jsonl_seeds,
            "claims": claims_seeds}[kind]()  # fmt: skip


def mutant(kind: str, index: int, seed: int, pool: dict[str, bytes]) -> Mutant:
    """Mutant number ``index`` of ``kind`` in the run seeded ``seed``: the same arguments
    give the same bytes.

    Args:
        kind: One of :data:`KINDS`.
        index: Its number in the run.
        seed: The run's seed.
        pool: The seeds of ``kind`` (see :func:`seeds`).

    Returns:
        The mutant.
    """
    rng = Rng(f"{seed}:{kind}:{index}")
    table_ = MUTATIONS[kind]
    names = sorted(table_)
    name = rng.choices(names, weights=[table_[n][1] for n in names])[0]
    first, second = rng.choice(sorted(pool)), rng.choice(sorted(pool))
    data = table_[name][0](rng, pool[first], pool[second])
    label = (
        name if name in BUILT else f"{name}:{first}" + (f"+{second}" if name == "splice" else "")
    )
    label = " ".join((label, *rng.notes))
    return Mutant(kind, index, label, f"{kind}-{index:05d}{SUFFIX[kind]}", data)

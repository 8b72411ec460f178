"""Local files: text/Markdown and JSONL corpora (PDFs are covered in tests/corpus/parsing)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from adversarial import BOUND_S, SHAPES, adversarial, seconds

from synth.core.errors import SynthError
from synth.core.settings import ParseSettings
from synth.core.types import SourceKind
from synth.corpus.sources import Document
from synth.corpus.sources.local import detect_format, load_text, read_bytes, read_jsonl

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_markdown_pages_sections_and_paragraphs(tmp_path: Path) -> None:
    text = (
        "# My Notes\n\n## Results\n\nGains were 2 points.\nThey held up.\n\fPage two starts here."
    )
    doc = load_text(tmp_path / "notes.md", text.encode())
    assert doc.paper.paper_id == "notes.md" and doc.paper.source is SourceKind.TEXT
    assert doc.paper.title == "My Notes" and doc.paper.pages == 2
    first = doc.pages[0]
    body = [b for b in first.blocks if b.kind == "body"]
    assert first.text[body[0].start : body[0].end] == "Gains were 2 points. They held up."
    assert body[0].section == "Results"
    assert doc.pages[1].text == "Page two starts here."


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x00\x01\x02binary", "looks binary"),
        (b"\n \n", "holds no text"),
    ],
)
def test_unreadable_text_files(tmp_path: Path, data: bytes, words: str) -> None:
    with pytest.raises(SynthError) as caught:
        load_text(tmp_path / "bad.txt", data)
    assert "bad.txt" in caught.value.message and words in caught.value.message and caught.value.hint


def test_a_latin_1_text_file_is_read_with_a_note(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    doc = load_text(tmp_path / "notes.txt", "Caf\u00e9 results held up.".encode("latin-1"))
    assert doc.pages[0].text == "Café results held up."
    assert "notes.txt is not UTF-8: read as Windows-1252" in caplog.text


def test_scifact_format_and_plain_records() -> None:
    path = FIXTURES / "scifact_corpus.jsonl"
    items = dict(read_jsonl(path, path.read_bytes()))
    docs = {n: d for n, d in items.items() if not isinstance(d, SynthError)}
    errors = {n: e for n, e in items.items() if isinstance(e, SynthError)}
    assert sorted(d.paper.paper_id for d in docs.values()) == ["101", "102", "note-7"]
    warm = docs[1]
    assert warm.paper.title == "Warm baths and sleep onset"
    spans = warm.pages[0].blocks[0].sentences
    assert spans is not None and len(spans) == 3  # SciFact's own sentence split is kept
    assert (
        warm.pages[0].text[spans[1][0] : spans[1][1]]
        == "Sleep onset came 12 minutes earlier on average."
    )
    assert docs[3].pages[0].blocks[0].sentences == ((0, 35), (36, 72))
    assert sorted(errors) == [4, 5, 6]
    assert "not JSON" in errors[4].message and ":4:" in errors[4].message
    assert "no abstract" in errors[5].message
    assert "repeats line 1" in errors[6].message


def test_format_detection_and_limits(tmp_path: Path) -> None:
    assert detect_format(Path("a.PDF"), "auto") == "pdf"
    assert detect_format(Path("a.jsonl"), "auto") == "jsonl"
    assert detect_format(Path("a.bin"), "text") == "text"
    with pytest.raises(SynthError, match="unknown file type"):
        detect_format(Path("a.docx"), "auto")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (2 * 1024 * 1024))
    with pytest.raises(SynthError, match="over the 1 MB limit") as caught:
        read_bytes(big, ParseSettings(max_file_mb=1))
    assert "SYNTH_PARSE_MAX_FILE_MB" in (caught.value.hint or "")
    with pytest.raises(SynthError, match="no such file"):
        read_bytes(tmp_path / "missing.pdf", ParseSettings())


def test_a_deeply_nested_or_surrogate_line_is_one_error_and_the_rest_are_read() -> None:
    good = '{"id": "%s", "title": "T", "abstract": "Fine text here."}'
    data = "\n".join([
        good % "a", "[" * 10_000 + "]" * 10_000,
        '{"id": "b", "title": "T", "abstract": "bad \\ud800 text"}', good % "c",
    ]).encode()  # fmt: skip
    rows = list(read_jsonl(Path("x.jsonl"), data))
    assert [n for n, d in rows if isinstance(d, Document)] == [1, 4]
    errors = {n: str(d) for n, d in rows if isinstance(d, SynthError)}
    assert "x.jsonl:2: the record is nested too deeply" in errors[2]
    assert "x.jsonl:3: the line holds an unpaired surrogate" in errors[3]


def test_json_s_own_limits_and_line_separators_inside_strings() -> None:
    # a number past Python's 4,300-digit limit is one error, not the end of the file; a raw
    # U+2028 or U+0085 inside a string is valid JSON and does not cut its line in two
    lines = [
        '{"id": "a", "title": "T", "abstract": "Fine text here.", "n": ' + "9" * 5000 + "}",
        '{"id": "b", "title": "T", "abstract": "Two\u2028lines\u0085in one."}',
        '{"id": "c", "title": "T", "abstract": "Fine text here."}',
    ]
    rows = list(read_jsonl(Path("x.jsonl"), "\n".join(lines).encode()))
    assert [n for n, d in rows if isinstance(d, Document)] == [2, 3]
    (error,) = [str(d) for n, d in rows if isinstance(d, SynthError)]
    assert error.startswith("x.jsonl:1: cannot read the line (")


@pytest.mark.parametrize("shape", SHAPES)
def test_text_and_jsonl_take_linear_time_on_1_mb_adversarial_text(shape: str) -> None:
    text = adversarial(shape)
    lines = "\n".join(text[i : i + 70] for i in range(0, len(text), 70))
    data = f"# {text}\n\n{text}\n\n{lines}".encode()
    record = json.dumps({"id": "a", "abstract": text}).encode()

    def read(_: str) -> None:
        with contextlib.suppress(SynthError):  # spaces only hold no text: refused, quickly
            load_text(Path("w.txt"), data)
        list(read_jsonl(Path("w.jsonl"), record))

    assert seconds(read, text) < BOUND_S


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    """A named pipe would block for ever, /dev/zero read until memory runs out."""
    pipe = tmp_path / "pipe.pdf"
    os.mkfifo(pipe)
    for path, words in [
        (pipe, "not a regular file (a named pipe)"),
        (Path("/dev/zero"), "not a regular file (a character device)"),
        (tmp_path, "is a directory"),
    ]:
        with pytest.raises(SynthError) as caught:
            read_bytes(path, ParseSettings())
        assert f"{path}: {words}" in caught.value.message and caught.value.hint

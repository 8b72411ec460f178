"""Property tests of the text parsers on text hypothesis makes up (derandomized, so CI
sees the same examples every run): none of them raises anything but a SynthError, and
what each promises holds for any input: sentence spans in order and inside the text,
passage offsets that index the page text, a report parser that always gives a parsed
report, one outcome per JSONL line, FTS5 queries SQLite accepts."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("hypothesis", reason="hypothesis is in the test extra (pip install -e .[test])")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synth.check.claims import validate_claim
from synth.core.arxiv_ids import parse_arxiv_id
from synth.core.errors import SynthError
from synth.core.files import decode_text
from synth.core.settings import ChunkSettings
from synth.corpus.parsing.chunk import chunk_page, split_sentences
from synth.corpus.parsing.clean import hyphenated_words, join_lines, normalise_line
from synth.corpus.parsing.structure import sentences_page
from synth.corpus.sources.local import load_text, read_jsonl
from synth.corpus.store import fts_query
from synth.report.parse import parse_report
from synth.verify.numeric import check_numbers, extract_quantities

EXAMPLES = settings(
    max_examples=150, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)  # fmt: skip

# Text that looks like what synth reads: words, numbers, punctuation, Markdown, tabs,
# form feeds, odd spaces and hyphens, ligatures, accents, emoji, and any other character.
_PIECES = st.sampled_from([
    "The", "gain", "was", "2.5", "points", "e.g.", "et al.", "Fig. 3", "(p < 0.05)", "±",
    "5.4%", "1,000", "-", "‐", "ﬁ", "trans-", "fer", ". ", "? ", "\n", "\n\n", "\t", "\f",
    "# ", "## References", "- ", "1. ", "|", "✓", "×", "0.81", "\u00a0", "\u200b", "\u2028",
    "é", "İ", "ß", "日本", "😀", "\x00", '"', "'", "[1]", "arXiv:2005.13013v2", "Table 2",
])  # fmt: skip
TEXT = st.one_of(
    st.lists(_PIECES | st.text(max_size=8), max_size=60).map(" ".join),
    st.lists(_PIECES, max_size=80).map("".join),
    st.text(max_size=300),
)
REPORT_LINES = st.lists(
    st.one_of(
        TEXT,
        st.just("## 3 Extracted Claims"),
        st.just("## References"),
        st.just("Claim\tVerified\tConfidence"),
        st.lists(TEXT, min_size=1, max_size=5).map("\t".join),
        st.just("- <http://arxiv.org/abs/2005.13013v2>"),
    ),
    max_size=30,
).map("\n".join)


@EXAMPLES
@given(TEXT)
def test_sentence_spans_are_in_order_inside_the_text_and_trimmed(text: str) -> None:
    end = 0
    for start, stop in split_sentences(text):
        assert end <= start < stop <= len(text)
        assert text[start:stop] == text[start:stop].strip()
        end = stop


@EXAMPLES
@given(st.lists(TEXT.map(lambda t: " ".join(t.split())).filter(bool), min_size=1, max_size=8))
def test_every_passage_is_the_page_text_at_its_offsets(sentences: list[str]) -> None:
    page = sentences_page(sentences)
    for passage in chunk_page(page, "paper", ChunkSettings()):
        assert page.text[passage.char_start : passage.char_end] == passage.text


@EXAMPLES
@given(TEXT)
def test_a_text_file_is_read_or_refused_in_one_line_and_its_passages_index_its_pages(
    text: str,
) -> None:
    try:
        document = load_text(Path("notes.md"), text.encode("utf-8", "surrogatepass"))
    except SynthError as exc:
        assert "\n" not in str(exc)
        return
    for page in document.pages:
        for passage in chunk_page(page, "notes.md", ChunkSettings()):
            assert page.text[passage.char_start : passage.char_end] == passage.text


@EXAMPLES
@given(TEXT)
def test_line_cleaning_never_fails_and_leaves_no_line_breaks(text: str) -> None:
    line = normalise_line(text)
    assert "\n" not in line and line == line.strip()
    assert isinstance(hyphenated_words(text.split("\n")), set)
    assert isinstance(join_lines(text.split("\n"), set()), str)


@EXAMPLES
@given(REPORT_LINES, st.integers(min_value=1, max_value=5))
def test_any_text_parses_as_a_report_with_at_most_max_claims(text: str, most: int) -> None:
    parsed = parse_report(text, most)
    assert len(parsed.claims) <= most
    assert all(claim.text for claim in parsed.claims)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_RECORDS = st.fixed_dictionaries(
    {"id": _JSON, "abstract": _JSON}, optional={"title": _JSON, "authors": _JSON, "year": _JSON}
)


@EXAMPLES
@given(st.lists(_RECORDS | _JSON, min_size=1, max_size=8))
def test_a_jsonl_corpus_gives_one_document_or_one_error_per_line(values: list[object]) -> None:
    lines = [json.dumps(value) for value in values]  # ASCII: no line separator inside a line
    found = list(read_jsonl(Path("corpus.jsonl"), "\n".join(lines).encode()))
    assert [number for number, _ in found] == list(range(1, len(lines) + 1))
    for _, item in found:
        assert not isinstance(item, SynthError) or "\n" not in str(item)


@EXAMPLES
@given(TEXT, st.lists(TEXT, max_size=3))
def test_the_numeric_check_takes_any_claim_and_evidence(claim: str, evidence: list[str]) -> None:
    check_numbers(claim, evidence)
    for quantity in extract_quantities(claim):
        assert quantity is not None


@EXAMPLES
@given(TEXT)
def test_user_input_is_accepted_or_refused_with_a_synth_error(text: str) -> None:
    for parse in (validate_claim, parse_arxiv_id):
        try:
            parse(text)
        except SynthError as exc:
            assert "\n" not in exc.message


@EXAMPLES
@given(st.binary(max_size=300))
def test_any_bytes_decode_as_text_or_are_called_binary(data: bytes) -> None:
    decoded = decode_text(data)
    assert decoded is None or isinstance(decoded.text, str)


@EXAMPLES
@given(TEXT)
def test_every_claim_becomes_an_fts5_query_sqlite_accepts(text: str) -> None:
    query = fts_query(text)
    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61')")
        conn.execute("INSERT INTO t VALUES ('the gain was 2.5 points')")
        if query:
            conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()

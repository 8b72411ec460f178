"""The eight real papers in the shared data (skipped where it is absent), parsed and
measured as the parse-quality report does: the known title, first sentences of the
abstract and introduction, and sentences that cross a column or a footnote come out
whole; no table row is a heading and no reference entry is evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.parse_quality import KNOWN, raw_pages
from synth.core.settings import ChunkSettings
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.parsing.pdf import read_pdf
from synth.corpus.parsing.quality import Quality, measure

PAPERS = {
    "2005.13013v1.pdf": "arxiv/pdf",
    "2010.11934v1.pdf": "arxiv/pdf",
    "2203.00130v1.pdf": "pdfs",
    "2302.07302v1.pdf": "pdfs",
    "arxiv2019exploring.pdf": "pdfs",
    "arxiv2020fixmatch.pdf": "pdfs",
    "arxiv2020wt5.pdf": "pdfs",
    "papermage.pdf": "pdfs",
}


def _measured(path: Path) -> Quality:
    """Speed is not asserted here (a shared machine makes it noise): benchmarks/parse_quality.py
    measures it."""
    data = path.read_bytes()
    parsed = read_pdf(path.name, data)
    passages = [p for page in parsed.pages for p in chunk_page(page, path.name, ChunkSettings())]
    pages = [(page.number, page.text) for page in parsed.pages]
    return measure(parsed.title, pages, passages, raw_pages(data), KNOWN[path.name])


@pytest.mark.parametrize("name", sorted(PAPERS))
def test_real_paper(shared_data: Path, name: str) -> None:
    path = shared_data / PAPERS[name] / name
    if not path.is_file():
        pytest.skip(f"{path} is not in the shared data")
    quality = _measured(path)
    assert quality.title_ok, quality.title
    assert quality.abstract and quality.abstract_ok
    assert quality.introduction_ok is not False
    assert quality.probes_found == quality.probes
    assert quality.references
    assert quality.reference_leaks == 0
    assert quality.numeric_headings == 0, quality.sections
    assert quality.prose_recall > 0.85

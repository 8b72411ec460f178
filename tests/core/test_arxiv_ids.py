"""Parsing what users type for an arXiv paper: ids, prefixes, abs and pdf URLs."""

from __future__ import annotations

import pytest

from synth.core.arxiv_ids import ArxivId, parse_arxiv_id
from synth.core.errors import SynthError


@pytest.mark.parametrize(
    ("text", "base", "version"),
    [
        ("2005.13013", "2005.13013", None),
        ("2005.13013v2", "2005.13013", "v2"),
        ("2005.13013v12", "2005.13013", "v12"),
        ("0704.0001", "0704.0001", None),
        ("1412.6980v9", "1412.6980", "v9"),
        ("1501.00001", "1501.00001", None),
        ("https://arxiv.org/abs/2005.13013?context=cs", "2005.13013", None),
        ("https://arxiv.org/abs/2005.13013v2#S3", "2005.13013", "v2"),
        ("  2005.13013  ", "2005.13013", None),
        ("arXiv:2005.13013", "2005.13013", None),
        ("arXiv:2005.13013v3", "2005.13013", "v3"),
        ("ARXIV:2005.13013", "2005.13013", None),
        ("https://arxiv.org/abs/2005.13013", "2005.13013", None),
        ("http://arxiv.org/abs/2005.13013v2", "2005.13013", "v2"),
        ("https://arxiv.org/abs/2005.13013/", "2005.13013", None),
        ("https://www.arxiv.org/abs/2005.13013", "2005.13013", None),
        ("https://export.arxiv.org/abs/2005.13013", "2005.13013", None),
        ("arxiv.org/abs/2005.13013", "2005.13013", None),
        ("https://arxiv.org/pdf/2005.13013", "2005.13013", None),
        ("https://arxiv.org/pdf/2005.13013v2", "2005.13013", "v2"),
        ("https://arxiv.org/pdf/2005.13013v2.pdf", "2005.13013", "v2"),
        ("http://arxiv.org/pdf/2005.13013.pdf", "2005.13013", None),
        ("hep-th/9901001", "hep-th/9901001", None),
        ("hep-th/9901001v1", "hep-th/9901001", "v1"),
        ("math.AG/0601001", "math.AG/0601001", None),
        ("arXiv:hep-th/9901001", "hep-th/9901001", None),
        ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001", "v2"),
        ("https://arxiv.org/pdf/cond-mat/0102536.pdf", "cond-mat/0102536", None),
    ],
)
def test_valid_ids(text: str, base: str, version: str | None) -> None:
    assert parse_arxiv_id(text) == ArxivId(base, version)


@pytest.mark.parametrize(
    ("text", "query"),
    [("2005.13013", "2005.13013"), ("2005.13013v2", "2005.13013v2"),
     ("hep-th/9901001v1", "hep-th/9901001v1")],
)  # fmt: skip
def test_query_keeps_the_version(text: str, query: str) -> None:
    assert parse_arxiv_id(text).query == query


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "not an id",
        "arXiv:",
        "20051.13013",
        "2005.123456",
        "2005.13013v",
        "2005.13013v2x",
        "2005.13013.pdf",
        "v2",
        "hep-th/990100",
        "hep-th/99010011",
        "HEP-TH/9901001",
        "https://example.org/abs/2005.13013",
        "https://arxiv.org/list/2005.13013",
        "https://arxiv.org/abs/",
        "doi:10.1000/xyz123",
        "2005.1301",  # 4 digits after the dot only before 2015
        "1234.5678",  # month 34
        "2013.12345",  # month 13
        "0612.1234",  # new-style ids start in 2007
    ],
)
def test_malformed_ids_raise_with_a_hint(text: str) -> None:
    with pytest.raises(SynthError) as info:
        parse_arxiv_id(text)
    assert repr(text) in info.value.message
    assert info.value.hint
    assert info.value.hint in str(info.value)

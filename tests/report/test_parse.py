"""Reading synthesis reports: the seed's machine-written format, Markdown tables and lists,
plain prose, truncation, and input that is not a report at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth.core.errors import SynthError
from synth.report.parse import DraftClaim, complete_part, mark_truncation, parse_report, read_report

SEED_LIKE = """
# Model Scale Versus Intermediate Training

Some Author

## Abstract

The best intermediate model gives a 5.4 point gain over the base model on XTREME.

## 1 Introduction

Research question: Does intermediate training help
zero-shot transfer?.

## 5 Extracted Claims

Claim\tVerified\tConfidence
The best intermediate model gives a 5.4 point gain over the base model on XTRE\t✓\t0.27
Larger encoders help more on retrieval tasks than on tagging tasks in every lang\t✓\t0.31
Multi-task training is best.\t×\t0.11
Model size is all that matters for transfer to low-resource languages, say mo\tmaybe\t1.7

## References

- <http://arxiv.org/abs/2005.13013v2>
- <http://arxiv.org/abs/1911.02116v2>
"""


def test_seed_format_title_question_claims_marks_references() -> None:
    report = parse_report(SEED_LIKE, max_claims=100)
    assert report.title == "Model Scale Versus Intermediate Training"
    assert report.question == "Does intermediate training help zero-shot transfer?"
    assert [c.report_mark for c in report.claims] == [True, True, False, None]
    assert [c.report_confidence for c in report.claims] == [0.27, 0.31, 0.11, None]  # 1.7: no
    assert [c.truncated for c in report.claims] == [True, True, False, True]
    assert [r.ref for r in report.references] == [
        "http://arxiv.org/abs/2005.13013v2",
        "http://arxiv.org/abs/1911.02116v2",
    ]
    assert "5.4 point gain over the base model on XTREME." in report.context
    assert "Verified" not in report.context  # the claims table is not prose to recover from


def test_the_real_seed_report(shared_data: Path) -> None:
    seed = shared_data.parent / "seed" / "seed-report.txt"
    if not seed.is_file():
        pytest.skip(f"no seed report at {seed}")
    report = parse_report(read_report(seed, max_mb=5).text, max_claims=200)
    assert len(report.claims) == 14 and len(report.references) == 3
    assert sum(c.truncated for c in report.claims) == 10  # cut at 120 characters
    assert report.claims[-1].report_mark is False
    assert report.question.endswith("XTREME-R scores?")


def test_markdown_table_with_escaped_pipes_and_citations() -> None:
    text = """# Notes
## Key findings
| Finding | Status | Confidence |
|---|:---:|---|
| Gains reach 5.4 points \\| on average [1]. | verified | 80% |
| Retrieval improves most [2, 3]. | unverified | 0.4 |

## References
[1] Phang et al. 2020. arXiv:2005.13013
2. https://doi.org/10.18653/v1/2020.aacl-main.56
3. Someone, a blog post
"""
    report = parse_report(text, max_claims=10)
    first, second = report.claims
    assert first.text == "Gains reach 5.4 points | on average [1]."
    assert (first.report_mark, first.report_confidence, first.cites) == (True, 0.8, ("1",))
    assert (second.report_mark, second.cites) == (False, ("2", "3"))
    assert [(r.label, r.ref) for r in report.references] == [
        ("1", "Phang et al. 2020. arXiv:2005.13013"),
        ("2", "https://doi.org/10.18653/v1/2020.aacl-main.56"),
        ("3", "Someone, a blog post"),
    ]


def test_list_claims_with_trailing_marks() -> None:
    text = "# R\n## Claims\n- Scaling helps retrieval. ✓ (0.6)\n- Nothing else matters ✗\n"
    claims = parse_report(text, max_claims=10).claims
    assert [(c.text, c.report_mark, c.report_confidence) for c in claims] == [
        ("Scaling helps retrieval.", True, 0.6),
        ("Nothing else matters", False, None),
    ]


def test_plain_prose_takes_the_sentences_that_cite() -> None:
    text = (
        "A study of transfer\n\nIntermediate training raises XTREME scores by 5.4 points "
        "(arXiv:2005.13013). Many people find this interesting today. Larger models also "
        "transfer better across languages [1].\n\nReferences\n"
    )
    report = parse_report(text, max_claims=10)
    assert report.title == "A study of transfer"
    assert [c.text for c in report.claims] == [
        "Intermediate training raises XTREME scores by 5.4 points (arXiv:2005.13013).",
        "Larger models also transfer better across languages [1].",
    ]
    assert [r.ref for r in report.references] == ["arXiv:2005.13013"]  # found inline


def test_no_claims_and_too_many_claims() -> None:
    assert parse_report("# Title only\n", max_claims=5).claims == ()
    many = "# R\n## Claims\n" + "".join(f"- Claim number {i} holds.\n" for i in range(8))
    report = parse_report(many, max_claims=5)
    assert len(report.claims) == 5 and "only the first 5" in report.problems[0].message


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Gains are large…", "Fine."], [True, False]),
        (["Gains are large for the", "Fine."], [True, False]),  # dangling word
        (["A complete claim", "Another one"], [False, False]),  # a style without stops
        (["Cut one here", "Fine.", "Also fine.", "Good."], [True, False, False, False]),
    ],
)
def test_truncation_rules(texts: list[str], expected: list[bool]) -> None:
    claims = mark_truncation([DraftClaim(text=t) for t in texts])
    assert [c.truncated for c in claims] == expected


def test_complete_part_drops_the_cut_word_and_dangling_words() -> None:
    assert complete_part("XNLI does not see benefits from intermediate") == (
        "XNLI does not see benefits"
    )
    assert complete_part("gains of 8.2, 7.5, and 7.0 point") == "gains of 8.2, 7.5, and 7.0"
    assert complete_part("gains of 8.2 points...") == "gains of 8.2 points"


def test_read_report_refuses_binary_pdf_huge_and_missing(tmp_path: Path) -> None:
    binary = tmp_path / "model.bin"
    binary.write_bytes(b"\x00\x01\x02 weights")
    pdf = tmp_path / "paper.txt"
    pdf.write_bytes(b"%PDF-1.7 ...")
    controls = tmp_path / "controls.txt"  # no NUL, but mostly control characters
    controls.write_bytes(bytes(range(1, 9)) * 40 + b"caf\xe9")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as sink:  # 50 MB, sparse: nothing of it is read
        sink.seek(50 * 1024 * 1024)
        sink.write(b"x")
    cases = {binary: "binary", pdf: "is a PDF", controls: "binary", huge: "50.0 MB",
             tmp_path / "nope.txt": "no such file", tmp_path: "directory"}  # fmt: skip
    for path, message in cases.items():
        with pytest.raises(SynthError) as caught:
            read_report(path, max_mb=5)
        assert message in caught.value.message, path
        assert caught.value.hint


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("# Café – “quoted”\n".encode("cp1252"), "# Café – “quoted”\n", "Windows-1252"),
        (b"# caf\xe9 \x81\n", "# café \x81\n", "Latin-1"),  # 0x81: no Windows-1252 letter
        ("\ufeff# Café\n".encode("utf-8"), "# Café\n", "UTF-8"),
        ("# Café\n".encode("utf-16"), "# Café\n", "UTF-16"),  # NUL bytes, and a BOM
    ],
)
def test_a_report_in_another_encoding_is_read_not_called_binary(
    tmp_path: Path, data: bytes, text: str, encoding: str
) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    decoded = read_report(path, max_mb=5)
    assert (decoded.text, decoded.encoding) == (text, encoding)
    assert decoded.legacy is (encoding in ("Windows-1252", "Latin-1"))


def test_a_table_row_shorter_than_its_header_keeps_what_it_has() -> None:
    text = (
        "## Extracted Claims\n\nClaim\tVerified\tConfidence\nA claim about gains in accuracy\t✓\n"
    )
    (claim,) = parse_report(text, 200).claims
    assert (claim.text, claim.report_mark, claim.report_confidence) == (
        "A claim about gains in accuracy", True, None,
    )  # fmt: skip

"""Parse quality of real PDFs, measured through the ingest path users get (not a test).

    .venv/bin/python benchmarks/parse_quality.py ../shared/data/pdfs/*.pdf [--sections]

Each PDF is added to a fresh synth home with ``synth.open(...).add``; the stored title,
page texts and passages are then measured with :mod:`synth.corpus.parsing.quality` and
printed as one Markdown row per paper: pages, passages per page, sections found, whether
the title, an Abstract section and a References heading were found, whether known first
sentences of the abstract and introduction (and a few other known sentences, "probes")
lie whole in one passage, passages that read like bibliography entries, section titles
that are mostly numbers (table rows), the share of page text inside passages, the share
of the raw text layer's words (pypdf, plain mode) that the stored pages keep, and the
parse speed in pages per second. Known facts exist for the eight PDFs of ``../shared``.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import synth
from synth.corpus.parsing.quality import Expected, Quality, measure

KNOWN: dict[str, Expected] = {
    "2005.13013v1.pdf": Expected(
        "English Intermediate-Task Training Improves Zero-Shot Cross-Lingual Transfer Too",
        "Intermediate-task training has been shown to substantially improve pretrained model "
        "performance on many language understanding tasks, at least in monolingual English "
        "settings.",
        "Zero-shot cross-lingual transfer involves training a language-encoding model on task "
        "data in one language, and evaluating the tuned model on the same task in other "
        "languages.",
        (
            "Transformer models such as mBERT (Devlin et al., 2019a), XLM (Conneau and Lample, "
            "2019) and XLM-R (Conneau et al., 2019) that have been pretrained with a masked "
            "language modeling (MLM) objective on large corpora of multilingual data have shown "
            "remarkably strong results on zero-shot cross-lingual transfer, and show promise as "
            "a way of facilitating the construction of massively multilingual language "
            "technologies.",
        ),
    ),
    "2010.11934v1.pdf": Expected(
        "mT5: A massively multilingual pre-trained text-to-text transformer",
        "The recent “Text-to-Text Transfer Transformer” (T5) leveraged a unified text-to-text "
        "format and scale to attain state-of-the-art results on a wide variety of "
        "English-language NLP tasks.",
        "Current natural language processing (NLP) pipelines often make use of transfer "
        "learning, where a model is pre-trained on a data-rich task before being fine-tuned on "
        "a downstream task of interest (Ruder et al., 2019).",
        (
            "Unfortunately, many of these language models were pre-trained solely on "
            "English-language text.",
        ),
    ),
    "2203.00130v1.pdf": Expected(
        "Paper Plain: Making Medical Research Papers Approachable to Healthcare Consumers "
        "with Natural Language Processing",
        "When seeking information not covered in patient-friendly documents, like medical "
        "pamphlets, healthcare consumers may turn to the research literature.",
        "A strong public health system depends on the timely dissemination of medical findings "
        "to those who need them.",
    ),
    "2302.07302v1.pdf": Expected(
        "CiteSee: Augmenting Citations in Scientific Papers with Persistent and Personalized "
        "Historical Context",
        "When reading a scholarly article, inline citations help researchers contextualize "
        "the current article and discover relevant prior work.",
        "Science builds on the past work of others.",
    ),
    "arxiv2019exploring.pdf": Expected(
        "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer",
        "Transfer learning, where a model is first pre-trained on a data-rich task before being "
        "fine-tuned on a downstream task, has emerged as a powerful technique in natural "
        "language processing (NLP).",
        "Training a machine learning model to perform natural language processing (NLP) tasks "
        "often requires that the model can process text in a way that is amenable to "
        "downstream learning.",
        (
            "To facilitate future work on transfer learning for NLP, we release our dataset, "
            "pre-trained models, and code.",
        ),
    ),
    "arxiv2020fixmatch.pdf": Expected(
        "FixMatch: Simplifying Semi-Supervised Learning with Consistency and Confidence",
        "Semi-supervised learning (SSL) provides an effective means of leveraging unlabeled "
        "data to improve a model’s performance.",
        "Deep neural networks have become the de facto model for computer vision applications.",
        ("This idea was introduced decades ago [27, 40].",),
    ),
    "arxiv2020wt5.pdf": Expected(
        "WT5?! Training Text-to-Text Models to Explain their Predictions",
        "Neural networks have recently achieved human-level performance on various challenging "
        "natural language processing (NLP) tasks, but it is notoriously difficult to "
        "understand why a neural network produced a particular prediction.",
        "Neural networks excel in a wide variety of practical settings, from computer vision "
        "to speech recognition to natural language processing (NLP) and beyond.",
        (
            "In Raffel et al. (2019), this framework was used to pre-train Transformer (Vaswani "
            "et al., 2017) models on a large collection of unlabeled text drawn from the Common "
            "Crawl web scrape.",
            "It also makes evaluation potentially simpler by computing the overlap between the "
            "predicted and annotated spans.",
        ),
    ),
    "papermage.pdf": Expected(
        "PaperMage: A Unified Toolkit for Processing, Representing, and Manipulating "
        "Visually-Rich Scientific Documents",
        "Despite growing interest in applying natural language processing (NLP) and computer "
        "vision (CV) models to the scholarly domain, scientific documents remain challenging "
        "to work with.",
        "Research papers and textbooks are central to the scientific enterprise, and there is "
        "increasing interest in developing new tools for extracting knowledge from these "
        "visually-rich documents.",
        (
            "Converting this data to usable text for NLP requires error-prone operations like "
            "inferring token boundaries, whitespacing, and reading order using visual positioning.",
            "For example, analyzing a scientific paper requires access to its visuospatial layout "
            "(e.g., pages, blocks, lines), logical structure (e.g., title, abstract, figures, "
            "tables, footnotes, sections), semantic units (e.g., paragraphs, sentences, tokens), "
            "and more (e.g., citations, terms).",
        ),
    ),
}


def raw_pages(data: bytes) -> list[str]:
    """The PDF's text layer in pypdf's plain mode, one text per page: the yardstick for
    how many words the parse kept (pypdf is not what synth parses with).

    Args:
        data: The PDF's bytes.

    Returns:
        One text per page.
    """
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def parse(pdf: Path, home: Path) -> tuple[Quality, float]:
    """Add ``pdf`` to a fresh home and measure what was stored.

    Args:
        pdf: The PDF.
        home: A synth home that does not exist yet.

    Returns:
        The figures and the seconds ``add`` took.
    """
    with synth.open(home=home) as session:
        start = time.perf_counter()
        (outcome,) = session.add([pdf])
        seconds = time.perf_counter() - start
        if outcome.failed or outcome.paper is None:
            raise SystemExit(f"{pdf}: {outcome.error}")
        paper = outcome.paper
        quality = measure(
            paper.title,
            session.store.pages(paper),
            session.passages(paper.id),
            raw_pages(pdf.read_bytes()),
            KNOWN.get(pdf.name),
        )
    return quality, seconds


def _mark(flag: bool | None) -> str:
    return "–" if flag is None else ("yes" if flag else "**no**")


HEADER = (
    "| paper | pages | passages/page | sections | title | abstract | abstract 1st | "
    "intro 1st | probes | refs | ref. leaks | numeric headings | in passages | words kept "
    "| prose kept | pages/s |"
)


def row(name: str, q: Quality, seconds: float) -> str:
    """One Markdown table row for a paper.

    Args:
        name: The PDF's file name.
        q: Its figures.
        seconds: The seconds its parse took.

    Returns:
        The row.
    """
    cells = [
        name, str(q.pages), f"{q.per_page:.1f}", str(len(q.sections)), _mark(q.title_ok),
        _mark(q.abstract), _mark(q.abstract_ok), _mark(q.introduction_ok),
        f"{q.probes_found}/{q.probes}" if q.probes else "–", _mark(q.references),
        str(q.reference_leaks), str(q.numeric_headings), f"{q.coverage:.0%}",
        f"{q.recall:.1%}", f"{q.prose_recall:.1%}", f"{q.pages / seconds:.1f}",
    ]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("--sections", action="store_true", help="list each paper's sections")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    results = []
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, pdf in enumerate(args.pdfs):
            quality, seconds = parse(pdf, Path(tmp) / f"home{i}")
            results.append((pdf.name, quality, seconds))
            print(row(pdf.name, quality, seconds), flush=True)
    pages = sum(q.pages for _, q, _ in results)
    seconds = sum(s for _, _, s in results)
    print(
        f"\n{len(results)} papers, {pages} pages in {seconds:.1f} s: {pages / seconds:.1f} pages/s"
    )
    for name, quality, _ in results if args.sections else ():
        print(f"\n{name}: title {quality.title!r}")
        for section in quality.sections:
            print(f"  - {section}")
    if args.json:
        args.json.write_text(
            json.dumps([{"pdf": n, "seconds": s, **asdict(q)} for n, q, s in results], indent=1)
        )


if __name__ == "__main__":
    main()

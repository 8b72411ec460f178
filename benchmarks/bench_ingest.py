"""Ingest throughput and peak memory on generated PDFs (not part of the test run).

    .venv/bin/python benchmarks/bench_ingest.py --papers 20 --pages 10

Generates ``--papers`` one-column PDFs of ``--pages`` pages each (reportlab, text written
here), then times ``synth add`` through the library into a fresh SYNTH_HOME: PDF parsing
(PDFium glyphs, layout, cleaning, tables), chunking and the SQLite writes. Reports
pages/s, passages/s and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pdfgen import one_column_pdf

from synth.core.settings import Settings
from synth.corpus.ingest import Ingestor
from synth.corpus.store import Store


def _pages(count: int) -> list[tuple[str | None, list[str]]]:
    text = (
        "Page {n} reports that intermediate training on an English task improves transfer "
        "by {n}.{n} points, measured over three seeds. The gain is largest for retrieval "
        "tasks and smallest for part-of-speech tagging, where the baseline is already high."
    )
    return [(f"{n} Section {n}", [text.format(n=n)] * 3) for n in range(1, count + 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=20)
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pdfs = [
            one_column_pdf(root / f"paper{i}.pdf", _pages(args.pages), title=f"Paper {i}")
            for i in range(args.papers)
        ]
        settings = Settings(home=root / "home")
        with Store(settings.db_path) as store:
            start = time.perf_counter()
            outcomes = list(Ingestor(store, settings).add_paths(pdfs))
            seconds = time.perf_counter() - start
        failed = [o for o in outcomes if o.failed]
        passages = sum(o.passages for o in outcomes)
        pages = args.papers * args.pages
        print(
            json.dumps(
                {
                    "papers": args.papers,
                    "pages": pages,
                    "passages": passages,
                    "failed": len(failed),
                    "seconds": round(seconds, 2),
                    "pages_per_s": round(pages / seconds, 1),
                    "passages_per_s": round(passages / seconds, 1),
                    "peak_rss_mb": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()

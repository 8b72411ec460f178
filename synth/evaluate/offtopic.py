"""``synth eval offtopic``: claims of one field checked against papers of another.

Evidence that is not about a claim's subject must leave the claim NOT_ENOUGH_INFO: a health
claim checked against NLP papers is neither supported nor refuted by them. The claims are
checked exactly as ``synth check`` checks them (the whole corpus, the default settings),
and the share judged NOT_ENOUGH_INFO is reported with the verdicts that were not."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from synth.check.checker import Checker
from synth.core.errors import SourceUnavailable, SynthError
from synth.core.progress import NoProgress, ProgressSink
from synth.core.settings import Settings
from synth.core.types import Label, content_id
from synth.corpus.ingest import Ingestor
from synth.evaluate.scifact import eval_checker
from synth.verify.datasets import jsonl_rows

SHOWN = 10  # decisive verdicts listed in the result


@contextmanager
def papers_checker(
    settings: Settings, papers: Sequence[str], progress: ProgressSink | None = None,
    **adapters: Any,
) -> Iterator[Checker]:  # fmt: skip
    """A checker over a store of its own, ``SYNTH_HOME/eval/<hash of the ids>``, holding
    only the arXiv ``papers`` (fetched once; a second run reuses them), with ``synth
    check``'s settings and the settings' own verifier; ``adapters`` (scorer, embedder,
    reranker) replace the configured ones."""

    def load(ingestor: Ingestor) -> None:
        failed = [o for o in ingestor.fetch_arxiv(list(papers)) if o.error is not None]
        if failed:
            raise SourceUnavailable(f"could not fetch {failed[0].ref}: {failed[0].error}",
                                    "set SYNTH_ARXIV_MIRROR for offline use")  # fmt: skip

    key = content_id("offtopic", *sorted(papers))
    with eval_checker(settings, key, load, progress, **adapters) as checker:
        yield checker


def read_claim_texts(path: Path) -> list[str]:
    """The distinct claims of a SciFact-format JSONL file or of a CSV with a ``claim``
    column (HealthVer), in file order."""
    if path.suffix.lower() == ".csv":
        try:
            reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
            rows = [row.get("claim") or "" for row in reader]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise SynthError(f"{path}: cannot read the claims ({exc})", "give a CSV") from exc
        if reader.fieldnames is None or "claim" not in reader.fieldnames:
            raise SynthError(f"{path}: no claim column", "give a CSV with a claim column")
    else:
        rows = [str(row.get("claim") or "") for _, row in jsonl_rows(path)]
    claims = list(dict.fromkeys(" ".join(r.split()) for r in rows if r.strip()))
    if not claims:
        raise SynthError(f"{path}: no claims", 'give rows with a "claim"')
    return claims


def evaluate_offtopic(
    checker: Checker, claims: Sequence[str], progress: ProgressSink | None = None
) -> dict[str, Any]:
    """Check every claim against the whole corpus; the share judged NOT_ENOUGH_INFO and
    the first decisive verdicts (claim, label, confidence, paper and quote)."""
    progress = progress or NoProgress()
    counts = dict.fromkeys((label.value for label in Label), 0)
    decisive: list[dict[str, Any]] = []
    started = time.monotonic()
    refused: dict[str, str] = {}
    for done, claim in enumerate(claims, start=1):
        reason = checker.refusal(claim)
        if reason is not None:  # not checked at all: left out of the share
            refused[claim] = reason
            progress.update("checking off-topic claims", done, len(claims))
            continue
        verdict = checker.check(claim)
        counts[verdict.label.value] += 1
        if verdict.label is not Label.NOT_ENOUGH_INFO and len(decisive) < SHOWN:
            best = verdict.evidence[0] if verdict.evidence else None
            decisive.append({
                "claim": claim, "label": verdict.label.value,
                "confidence": round(verdict.confidence, 4),
                "paper_id": best.passage.paper_id if best else None,
                "quote": best.quote if best else None,
            })  # fmt: skip
        progress.update("checking off-topic claims", done, len(claims))
    checked = len(claims) - len(refused)
    return {
        "claims": checked,
        "labels": counts,
        "not_enough_info_share": counts[Label.NOT_ENOUGH_INFO.value] / checked if checked else None,
        "refused": refused,  # claim -> why synth check refused it
        "decisive": decisive,
        "seconds": round(time.monotonic() - started, 1),
        "model": checker.scorer.name,
        "settings_hash": checker.settings_hash,
    }

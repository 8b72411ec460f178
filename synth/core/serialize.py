"""The JSON shapes synth writes, built from the records: one function per shape, each
with a ``schema`` field naming the shape and its version. ``docs/schemas/`` holds the
documented JSON Schema of each; a test checks real output against it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synth.core.types import (
    Citation,
    Paper,
    Passage,
    Report,
    ReportClaim,
    SynthesisSentence,
    Verdict,
)

VERDICT_SCHEMA = "synth.verdict/1"
REPORT_SCHEMA = "synth.report/1"
PAPER_SCHEMA = "synth.paper/1"


def verdict_json(verdict: Verdict, **extra: Any) -> dict[str, Any]:
    """The one JSON shape of a verdict (``synth check --json``, each ``--batch`` line, and
    each claim of a report's JSON).

    Args:
        verdict: The verdict.
        **extra: Keys to put first (a batch line's ``id``).

    Returns:
        A JSON-ready dict with ``schema`` = :data:`VERDICT_SCHEMA`.
    """
    return {
        **extra,
        "schema": VERDICT_SCHEMA,
        "claim": verdict.claim.text,
        "label": verdict.label.value,
        "confidence": round(verdict.confidence, 4),
        "conflict": verdict.conflict,
        "papers": [
            {"paper_id": p.paper_id, "label": p.label.value, "confidence": round(p.confidence, 4)}
            for p in verdict.papers
        ],
        "evidence": [
            {
                "paper_id": e.passage.paper_id,
                "page": e.passage.page_start,
                "passage_id": e.passage.id,
                "text": e.passage.text,
                "quote": e.quote,
                "entailment": round(e.entailment, 4),
                "contradiction": round(e.contradiction, 4),
                "neutral": round(e.neutral, 4),
                "retrieval_score": round(e.retrieval_score, 6),
            }
            for e in verdict.evidence
        ],
        "numeric": verdict.numeric.model_dump(mode="json") if verdict.numeric else None,
        "model": verdict.model,
        "settings_hash": verdict.settings_hash,
    }


def claim_json(claim: ReportClaim) -> dict[str, Any]:
    verdict = verdict_json(claim.verdict)
    for key in ("schema", "model", "settings_hash"):  # the report carries them once
        verdict.pop(key)
    return {
        "text": claim.text,
        "truncated": claim.truncated,
        "recovered_text": claim.recovered_text,
        "recovered_from": claim.recovered_from or None,
        "checked_text": verdict.pop("claim"),
        "report_mark": claim.report_mark,
        "report_confidence": claim.report_confidence,
        "agreement": claim.agreement,
        "experiment": claim.experiment.model_dump(mode="json") if claim.experiment else None,
        "notes": list(claim.notes),
        **verdict,
    }


def _citation(c: Citation) -> dict[str, Any]:
    return c.model_dump(mode="json")


def _sentence(s: SynthesisSentence) -> dict[str, Any]:
    return {
        "text": s.text,
        "label": s.label.value,
        "confidence": round(s.confidence, 4),
        "citations": [_citation(c) for c in s.citations],
    }


def report_json(report: Report) -> dict[str, Any]:
    synthesis = report.synthesis
    return {
        "schema": REPORT_SCHEMA,
        "kind": report.kind.value,
        "source": report.source,
        "title": report.title,
        "question": report.question,
        "claims": [claim_json(c) for c in report.claims],
        "references": [
            {
                "ref": r.ref,
                "paper_id": r.paper_id,
                "resolved": r.resolved,
                "why": r.why or None,
                "title": r.title or None,
                "url": r.url,
                "version": r.version,
                "full_text": r.full_text,
                "note": r.note or None,
            }
            for r in report.references
        ],
        "synthesis": None
        if synthesis is None
        else {
            "generator": synthesis.generator,
            "answer": [_sentence(s) for s in synthesis.answer],
            "themes": [
                {"title": t.title, "sentences": [_sentence(s) for s in t.sentences]}
                for t in synthesis.themes
            ],
            "conflicts": [
                {
                    "claim": c.claim,
                    "supporting": _citation(c.supporting),
                    "refuting": _citation(c.refuting),
                }
                for c in synthesis.conflicts
            ],
        },
        "problems": [p.model_dump(mode="json") for p in report.problems],
        "model": report.model,
        "settings_hash": report.settings_hash,
    }


def paper_json(
    paper: Paper, passages: int | None = None, shown: Sequence[Passage] | None = None
) -> dict[str, Any]:
    """The one JSON shape of a stored paper (``synth corpus list --json`` per paper,
    ``synth corpus show --json``).

    Args:
        paper: The paper.
        passages: Its passage count, when listed.
        shown: Its passages, when shown whole.

    Returns:
        A JSON-ready dict with ``schema`` = :data:`PAPER_SCHEMA` and the paper's fields.
    """
    data: dict[str, Any] = {"schema": PAPER_SCHEMA, **paper.model_dump(mode="json")}
    if passages is not None:
        data["passages"] = passages
    if shown is not None:
        data["passages"] = [p.model_dump(mode="json") for p in shown]
    return data

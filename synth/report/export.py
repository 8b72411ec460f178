"""The JSON shape of a report (``report.json``, ``synth audit --json``, ``synth report
--json``): one object whose claims carry the same verdict fields as ``synth check --json``."""

from __future__ import annotations

from typing import Any

from synth.check.checker import verdict_json
from synth.core.types import Citation, Report, ReportClaim, SynthesisSentence


def claim_json(claim: ReportClaim) -> dict[str, Any]:
    verdict = verdict_json(claim.verdict)
    for key in ("model", "settings_hash"):
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
        "problems": list(report.problems),
        "model": report.model,
        "settings_hash": report.settings_hash,
    }

"""The JSON shapes synth writes, built from the records: one function per shape, each
with a ``schema`` field naming the shape and its version. ``docs/schemas/`` holds the
documented JSON Schema of each; a test checks real output against it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from synth.core.errors import SynthError
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
                "verbatim": e.verbatim,
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


INGEST_SCHEMA = "synth.ingest/1"
INFO_SCHEMA = "synth.info/1"
MODELS_SCHEMA = "synth.models/1"
TASKS_SCHEMA = "synth.tasks/1"
CACHES_SCHEMA = "synth.caches/1"


def ingest_json(
    outcomes: Sequence[tuple[str, str, Paper | None, int, SynthError | None]],
) -> dict[str, Any]:
    """The one JSON shape of ``synth fetch --json`` and ``synth add --json``.

    Args:
        outcomes: Per thing asked for: what the user named, how it is counted (``added``,
            ``updated``, ``unchanged``, ``failed`` or ``stored without text``), the stored
            paper, its passage count, and the error of a failed one.

    Returns:
        ``schema`` = :data:`INGEST_SCHEMA`, ``total``, ``counts`` (per status) and
        ``items`` (``ref``, ``status``, ``paper_id``, ``title``, ``passages``, ``note``,
        ``error``; the paper's fields are null when it failed).
    """
    items = [
        {
            "ref": ref,
            "status": status,
            "paper_id": paper.paper_id if paper else None,
            "title": paper.title if paper else None,
            "passages": passages,
            "note": (paper.note or None) if paper else None,
            "error": str(error) if error else None,
        }
        for ref, status, paper, passages, error in outcomes
    ]
    counts: dict[str, int] = {}
    for _, status, *_rest in outcomes:
        counts[status] = counts.get(status, 0) + 1
    return {"schema": INGEST_SCHEMA, "total": len(items), "counts": counts, "items": items}


def info_json(facts: dict[str, Any]) -> dict[str, Any]:
    """The JSON shape of ``synth info --json``: ``schema`` = :data:`INFO_SCHEMA` and the
    facts of :meth:`synth.api.Session.info`, unchanged."""
    return {"schema": INFO_SCHEMA, **facts}


def model_json(
    folder: Path, where: str, metadata: dict[str, Any] | None, problem: str | None
) -> dict[str, Any]:
    """One verifier of ``synth models list --json``.

    Args:
        folder: The model folder.
        where: ``built`` or ``shipped``.
        metadata: Its synth-model.json (None when it could not be read).
        problem: Why it could not be read.

    Returns:
        ``name``, ``where``, ``folder``, ``base`` (the model it was trained from),
        ``held_out`` (per split: its figures, e.g. ``accuracy`` and ``pairs``) and
        ``problem``.
    """
    held = (metadata or {}).get("held_out")
    return {
        "name": folder.name,
        "where": where,
        "folder": str(folder),
        "base": (metadata or {}).get("base"),
        "held_out": held if isinstance(held, dict) else {},
        "problem": problem,
    }


class _Task(Protocol):
    """What :func:`tasks_json` reads of an experiment task (experiments.tasks.Task)."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def role(self) -> Enum: ...
    @property
    def kind(self) -> Enum: ...
    @property
    def metric(self) -> Enum: ...
    @property
    def english_train(self) -> str: ...
    @property
    def offline_train(self) -> str: ...
    @property
    def languages(self) -> tuple[str, ...]: ...
    @property
    def offline_languages(self) -> tuple[str, ...]: ...


def tasks_json(tasks: Iterable[_Task]) -> dict[str, Any]:
    """The JSON shape of ``synth experiments list-tasks --json``.

    Returns:
        ``schema`` = :data:`TASKS_SCHEMA` and ``tasks``: per task ``name``, ``title``,
        ``role``, ``kind``, ``metric``, ``english_train``, ``offline_train`` (null when
        there is no stand-in), ``languages`` and ``offline_languages``.
    """
    return {
        "schema": TASKS_SCHEMA,
        "tasks": [
            {
                "name": t.name,
                "title": t.title,
                "role": t.role.value,
                "kind": t.kind.value,
                "metric": t.metric.value,
                "english_train": t.english_train or None,
                "offline_train": t.offline_train or None,
                "languages": list(t.languages),
                "offline_languages": list(t.offline_languages),
            }
            for t in tasks
        ],
    }


def caches_json(caches: Iterable[tuple[str, Path, int, int]], cleared: bool) -> dict[str, Any]:
    """The JSON shape of ``synth cache list --json`` and ``synth cache clear --json``.

    Args:
        caches: Per cache: its name (``pdf``, ``snli``, ``hub``), folder, size in bytes and
            number of files (before clearing, for ``clear``).
        cleared: Whether these caches were just cleared.

    Returns:
        ``schema`` = :data:`CACHES_SCHEMA`, ``cleared`` and ``caches`` (``name``, ``path``,
        ``bytes``, ``files``).
    """
    return {
        "schema": CACHES_SCHEMA,
        "cleared": cleared,
        "caches": [
            {"name": name, "path": str(path), "bytes": size, "files": files}
            for name, path, size, files in caches
        ],
    }

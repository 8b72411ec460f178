"""Audits and syntheses as a session runs them: read the report, resolve its references
(fetching from arXiv when needed), check, and assemble the :class:`Report` record."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from synth.core.errors import BadInput, NotFound, SynthError
from synth.core.types import Problem, ProblemKind, Report, ReportKind

if TYPE_CHECKING:
    from synth.api.session import Session
    from synth.report.parse import ParsedReport
    from synth.report.synthesis import Generator


def read(session: Session, path: Path) -> ParsedReport:
    """The parsed report at ``path``, within the report settings' size and claim limits.

    Returns:
        Its claims, references, question and problems.
    """
    from synth.report.parse import parse_report, read_report

    limits = session.settings.report
    return parse_report(read_report(path, limits.max_report_mb), limits.max_claims)


def audit(session: Session, path: Path) -> Report:
    """The audit of the report at ``path``, for :meth:`Session.audit`.

    Returns:
        The audit :class:`Report`.
    """
    from synth.report.audit import Auditor
    from synth.report.references import resolve_references
    from synth.report.reproductions import find_reproduction

    settings = session.settings
    try:
        parsed = read(session, path)
    except SynthError as exc:
        if not path.is_file():
            raise NotFound(exc.message, exc.hint) from exc
        return Report(
            kind=ReportKind.AUDIT, source=str(path), title=path.name, question="",
            problems=(Problem(kind=ProblemKind.REPORT, message=str(exc)),),
            model=settings.verify.model,
            settings_hash=settings.retrieval_hash(),
        )  # fmt: skip
    refs = [r.ref for r in parsed.references]
    references = resolve_references(refs, session.store, session.fetch)
    checker = session._prepared(any(r.resolved for r in references))
    experiments = functools.partial(find_reproduction, settings.home)
    auditor = Auditor(session.store, checker, session.progress, experiments)
    return auditor.audit(parsed, str(path), references)


def synthesize(
    session: Session, question: str | None, refs: list[str], from_report: Path | None,
    generator: Generator | None,
) -> Report:  # fmt: skip
    """The verified synthesis of ``refs``, for :meth:`Session.synthesize`.

    Returns:
        The synthesis :class:`Report`.
    """
    from synth.report.references import resolve_references
    from synth.report.synthesis import Synthesizer

    problems: list[Problem] = []
    source = "synth report " + " ".join(refs)
    if from_report is not None:
        parsed = read(session, from_report)
        question = question or parsed.question
        refs = [r.ref for r in parsed.references] + refs
        problems, source = list(parsed.problems), str(from_report)
    if not question:
        raise BadInput("no research question", 'give --question "..." (or --from REPORT)')
    if not refs:
        raise BadInput("no papers to synthesise", "give --paper ID (repeatable) or --from REPORT")
    store = session.store
    references = resolve_references(list(dict.fromkeys(refs)), store, session.fetch)
    papers = [store.by_paper_id(r.paper_id) for r in references if r.paper_id]
    chosen = list({p.paper_id: p for p in papers if p is not None}.values())
    checker = session._prepared(bool(chosen))
    synthesizer = Synthesizer(checker, checker.retriever.embedder, session.settings,
                              generator, session.progress)  # fmt: skip
    result = synthesizer.synthesize(question, chosen)
    missing = [r for r in references if not r.resolved]
    if missing:
        problems.append(Problem(kind=ProblemKind.REFERENCE, message=f"{len(missing)} of "
                                f"{len(references)} papers could not be resolved (see "
                                "References)"))  # fmt: skip
    return Report(
        kind=ReportKind.SYNTHESIS, source=source, title=question, question=question,
        claims=tuple(result.claims), references=tuple(references), synthesis=result.synthesis,
        problems=tuple(problems + result.problems), model=checker.scorer.name,
        settings_hash=checker.settings_hash,
    )  # fmt: skip

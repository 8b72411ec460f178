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
        Its claims, references, question and problems (the first: that it was read in a
        legacy encoding, when it was not UTF-8).
    """
    from synth.report.parse import parse_report, read_report

    limits = session.settings.report
    decoded = read_report(path, limits.max_report_mb)
    parsed = parse_report(decoded.text, limits.max_claims)
    if not decoded.legacy:
        return parsed
    note = Problem(kind=ProblemKind.REPORT, message=decoded.note(path))
    return parsed.model_copy(update={"problems": (note, *parsed.problems)})


def _unchecked(session: Session, path: Path, title: str, question: str,
               problems: tuple[Problem, ...]) -> Report:  # fmt: skip
    """An audit that checked nothing (no model is loaded for it), saying why first."""
    settings = session.settings
    return Report(kind=ReportKind.AUDIT, source=str(path), title=title, question=question,
                  problems=problems, model=settings.verify.model,
                  settings_hash=settings.retrieval_hash())  # fmt: skip


def audit(session: Session, path: Path) -> Report:
    """The audit of the report at ``path``, for :meth:`Session.audit`. A report that
    cannot be read, or holds no claim, is answered before any paper is fetched or any
    model loaded.

    Returns:
        The audit :class:`Report`.
    """
    from synth.report.audit import Auditor, no_claims
    from synth.report.references import resolve_references
    from synth.report.reproductions import find_reproduction

    try:
        parsed = read(session, path)
    except SynthError as exc:
        if not path.is_file():
            raise NotFound(exc.message, exc.hint) from exc
        problem = Problem(kind=ProblemKind.REPORT, message=str(exc))
        return _unchecked(session, path, path.name, "", (problem,))
    if not parsed.claims:
        problem = Problem(kind=ProblemKind.REPORT, message=no_claims(str(path)))
        return _unchecked(session, path, parsed.title or path.name, parsed.question,
                          (problem, *parsed.problems))  # fmt: skip
    refs = [r.ref for r in parsed.references]
    references = resolve_references(refs, session.store, session.fetch)
    checker = session._prepared(any(r.resolved for r in references))
    experiments = functools.partial(find_reproduction, session.settings.home)
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

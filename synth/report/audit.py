"""Auditing a synthesis report: every claim re-checked against the papers it cites, beside
the report's own marks. Truncated claims are recovered where their full sentence can be
found, and otherwise checked on their complete part and marked partial."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from synth.check.checker import Checker
from synth.core.errors import SynthError
from synth.core.progress import NoProgress, ProgressSink
from synth.core.types import (
    Claim,
    ExperimentCheck,
    Problem,
    ProblemKind,
    Reference,
    Report,
    ReportClaim,
    ReportKind,
    Verdict,
)
from synth.corpus.store import Store
from synth.report.parse import DraftClaim, DraftReference, ParsedReport, complete_part
from synth.report.recover import recover


def no_claims(source: str) -> str:
    """The problem of a report in which no claim was found.

    Args:
        source: The report (its path).

    Returns:
        One line naming it and what synth looks for.
    """
    return (
        f"no claims found in {source}: synth looks for a section headed Claims or Findings "
        "(a table or a list), else for sentences that cite a reference"
    )


def _cited(
    claim: DraftClaim, drafts: Sequence[DraftReference], references: Sequence[Reference]
) -> list[str]:
    """The resolved papers a claim cites by label ("[1]") or id; all of them when it cites none."""
    labels = {d.ref: d.label for d in drafts}
    resolved = [(r, r.paper_id) for r in references if r.resolved and r.paper_id]
    chosen = [
        pid
        for r, pid in resolved
        if any(c == labels.get(r.ref) or c in r.ref or c == pid for c in claim.cites)
    ]
    return list(dict.fromkeys(chosen or [pid for _, pid in resolved]))


def _basis(papers: Sequence[str], references: Sequence[Reference]) -> tuple[str, ...]:
    """Notes on what a claim's verdict rests on: each cited paper stored without its full
    text (its PDF was missing or unreadable), named with its version."""
    return tuple(
        f"{r.cited_as}: checked against the abstract only"
        + (f" ({r.note.removeprefix('abstract only: ')})" if r.note else "")
        for r in references
        if r.paper_id in papers and r.full_text is False
    )


class Auditor:
    def __init__(
        self, store: Store, checker: Checker, progress: ProgressSink | None = None,
        experiments: Callable[..., ExperimentCheck | None] | None = None,
    ) -> None:  # fmt: skip
        """``experiments(text, ...)``: the reproduction filed under one of a claim's texts."""
        self.store = store
        self.checker = checker
        self.progress = progress or NoProgress()
        self.experiments = experiments
        self._pages: dict[str, list[str]] = {}  # page texts per paper, read once per audit

    def audit(self, parsed: ParsedReport, source: str, references: Sequence[Reference]) -> Report:
        """The audit of ``parsed``, whose references were resolved to ``references``."""
        problems = list(parsed.problems)
        self._pages = {}
        missing = [r for r in references if not r.resolved]
        if not parsed.claims:
            problems.append(Problem(kind=ProblemKind.REPORT, message=no_claims(source)))
        if not references:
            problems.append(Problem(kind=ProblemKind.REFERENCE, message="the report lists no "
                                    "references: its claims could not be checked"))  # fmt: skip
        elif len(missing) == len(references):
            message = (
                "none of the references could be resolved: no claim was checked against a paper"
            )
            problems.append(Problem(kind=ProblemKind.REFERENCE, message=message))
        elif missing:
            problems.append(Problem(
                kind=ProblemKind.REFERENCE,
                message=f"{len(missing)} of {len(references)} references could not be resolved "
                "(see References); claims were checked against the others",
            ))  # fmt: skip
        claims = []
        for number, draft in enumerate(parsed.claims, start=1):
            self.progress.update("audit", number - 1, len(parsed.claims))
            papers = _cited(draft, parsed.references, references)
            claim, problem = self._audit_claim(draft, parsed.context, papers)
            claims.append(claim.model_copy(update={"notes": _basis(papers, references)}))
            if problem:
                problems.append(Problem(kind=ProblemKind.CLAIM, message=f"claim {number}: "
                                        f"{problem}", claim=draft.text))  # fmt: skip
        partial = sum(c.partial for c in claims)
        if partial:
            problems.append(Problem(
                kind=ProblemKind.CLAIM,
                message=f"{partial} truncated claim(s) could not be recovered and were checked "
                "on their complete part only",
            ))  # fmt: skip
        return Report(
            kind=ReportKind.AUDIT, source=source, title=parsed.title, question=parsed.question,
            claims=tuple(claims), references=tuple(references), problems=tuple(problems),
            model=self.checker.scorer.name, settings_hash=self.checker.settings_hash,
        )  # fmt: skip

    def _audit_claim(
        self, draft: DraftClaim, context: str, papers: list[str]
    ) -> tuple[ReportClaim, str]:
        recovered = None
        if draft.truncated:
            recovered = recover(draft.text, self._recovery_sources(context, papers))
        text = recovered[0] if recovered else (
            complete_part(draft.text) if draft.truncated else draft.text
        )  # fmt: skip
        verdict, problem = self._verdict(text or draft.text, papers)
        return ReportClaim(
            text=draft.text, truncated=draft.truncated,
            recovered_text=recovered[0] if recovered else None,
            recovered_from=recovered[1] if recovered else "",
            report_mark=draft.report_mark, report_confidence=draft.report_confidence,
            verdict=verdict,
            experiment=self.experiments(draft.text, text) if self.experiments else None,
        ), problem  # fmt: skip

    def _recovery_sources(self, context: str, papers: list[str]) -> Iterator[tuple[str, str]]:
        """The report's own prose first, then the cited papers page by page (read lazily)."""
        yield "report", context
        for paper_id in papers:
            if paper_id not in self._pages:
                paper = self.store.by_paper_id(paper_id)
                pages = self.store.pages(paper) if paper is not None else []
                self._pages[paper_id] = [text for _, text in pages]
            for text in self._pages[paper_id]:
                yield paper_id, text

    def _verdict(self, text: str, papers: list[str]) -> tuple[Verdict, str]:
        """The verdict, or (when the claim cannot be checked) NOT_ENOUGH_INFO with no
        evidence and the reason."""
        if papers:
            try:
                return self.checker.check(text, papers), ""
            except SynthError as exc:
                problem = str(exc)
        else:
            problem = ""
        unchecked = self.checker.judge(Claim(text=text, papers=tuple(papers)), [])
        return unchecked, problem

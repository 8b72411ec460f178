"""Writing a verified synthesis: every sentence is a claim synth checked against the papers
and found SUPPORTED, cited with the evidence that supports it.

For each paper its key claims are extracted (:mod:`synth.report.extract`) and checked
against that paper; the supported ones are grouped into themes (:mod:`synth.report.themes`)
ordered by relevance to the question. The answer takes each theme's sentence closest to
the question. Each supported claim is then checked against the other papers: a paper that
refutes it makes a conflict. An optional :class:`Generator` may add sentences per theme;
they are checked like any claim and kept only when supported. Nothing unverified is
written. A paper that fails is skipped and named in ``problems``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from synth.check.checker import Checker
from synth.core.errors import SynthError
from synth.core.progress import NoProgress, ProgressSink
from synth.core.settings import Settings
from synth.core.types import (
    Citation,
    Conflict,
    Evidence,
    Label,
    Paper,
    Problem,
    ProblemKind,
    ReportClaim,
    Synthesis,
    SynthesisSentence,
    Theme,
    Verdict,
)
from synth.report.extract import KeyClaim, key_claims
from synth.report.themes import cluster, order_groups, theme_titles
from synth.retrieval.embed import Embedder

MAX_CITATIONS = 3  # evidence passages cited per sentence
TASK = "synthesis"


class Generator(ABC):
    """Writes extra sentences for one theme from its verified claims (e.g. an LLM). Each
    sentence is checked against the theme's papers and kept only when supported."""

    name: str

    @abstractmethod
    def write(self, question: str, theme: str, claims: Sequence[str]) -> list[str]:
        """Sentences to add to ``theme``, drawn from ``claims``."""


@dataclass(frozen=True)
class SynthesisResult:
    """Every checked claim (supported or not), the written synthesis, and what went wrong
    (papers skipped, claims that could not be checked)."""

    claims: list[ReportClaim]
    synthesis: Synthesis
    problems: list[Problem]


@dataclass(frozen=True)
class _Finding:
    claim: KeyClaim
    sentence: SynthesisSentence


def cite(evidence: Evidence) -> Citation:
    p = evidence.passage
    return Citation(paper_id=p.paper_id, page=p.page_start, passage_id=p.id, quote=evidence.quote)


def citations(
    verdict: Verdict, papers: Collection[str], threshold: float, limit: int = MAX_CITATIONS
) -> tuple[Citation, ...]:
    """The evidence (one per passage) from ``papers`` whose entailment reaches
    ``threshold``, most entailing first; at least the most entailing one."""
    rows = sorted((e for e in verdict.evidence if e.passage.paper_id in papers),
                  key=lambda e: -e.entailment)  # fmt: skip
    kept = [e for e in rows if e.entailment >= threshold] or rows[:1]
    return tuple(cite(e) for e in kept[:limit])


def _sentence(verdict: Verdict, cited: tuple[Citation, ...]) -> SynthesisSentence:
    return SynthesisSentence(text=verdict.claim.text, citations=cited, label=verdict.label,
                             confidence=verdict.confidence)  # fmt: skip


def refuting_evidence(verdict: Verdict, paper_id: str, threshold: float) -> Evidence:
    """The most contradicting evidence of a paper with a verdict (so with evidence); when
    none reaches ``threshold`` (the paper refutes by its numbers) its most entailing one,
    which states the other values."""
    rows = [e for e in verdict.evidence if e.passage.paper_id == paper_id]
    contra = max(rows, key=lambda e: e.contradiction)
    return contra if contra.contradiction >= threshold else max(rows, key=lambda e: e.entailment)


class Synthesizer:
    def __init__(
        self, checker: Checker, embedder: Embedder, settings: Settings,
        generator: Generator | None = None, progress: ProgressSink | None = None,
    ) -> None:  # fmt: skip
        self.checker = checker
        self.embedder = embedder
        self.settings = settings
        self.generator = generator
        self.progress = progress or NoProgress()
        self._done = 0.0

    def _step(self, total: float) -> None:
        self._done += 1
        self.progress.update(TASK, self._done, total)

    def _sure(self, confidence: float) -> bool:
        return confidence >= self.settings.report.min_confidence

    def _supported(self, verdict: Verdict) -> bool:
        return verdict.label is Label.SUPPORTED and self._sure(verdict.confidence)

    def synthesize(self, question: str, papers: Sequence[Paper]) -> SynthesisResult:
        """Extract, verify, group, answer, find conflicts and (optionally) generate."""
        self._done = 0.0
        problems: list[Problem] = []
        claims: list[ReportClaim] = []
        findings: list[_Finding] = []
        self.progress.update(TASK, 0, len(papers))
        for paper in papers:
            checked, found = self._paper(paper, problems)
            claims += checked
            findings += found
            self._step(len(papers))
        themes = self._themes(question, findings)
        total = len(papers) + len(findings) + (len(themes) if self.generator else 0)
        conflicts = self._conflicts(findings, papers, total)
        answer = tuple(theme.sentences[0] for theme in themes)
        if self.generator is not None:
            generator = self.generator
            themes = [
                self._generate(generator, question, t, findings, problems, total) for t in themes
            ]
        synthesis = Synthesis(
            answer=answer, themes=tuple(themes), conflicts=tuple(conflicts),
            generator=self.generator.name if self.generator else "template",
        )  # fmt: skip
        return SynthesisResult(claims, synthesis, problems)

    def _paper(
        self, paper: Paper, problems: list[Problem]
    ) -> tuple[list[ReportClaim], list[_Finding]]:
        """The paper's key claims, each checked against the paper; the supported ones."""
        passages = self.checker.store.passages(paper)
        if not passages:
            problems.append(Problem(kind=ProblemKind.PAPER,
                                    message=f"{paper.paper_id}: the paper has no passages; "
                                    "it was skipped"))  # fmt: skip
            return [], []
        extracted = key_claims(paper, passages, self.settings.report.claims_per_paper)
        if not extracted:
            problems.append(Problem(kind=ProblemKind.PAPER,
                                    message=f"{paper.paper_id}: no finding sentences found; "
                                    "it was skipped"))  # fmt: skip
        checked: list[ReportClaim] = []
        found: list[_Finding] = []
        for claim in extracted:
            try:
                verdict = self.checker.check(claim.text, [paper.paper_id])
            except SynthError as exc:
                problems.append(Problem(kind=ProblemKind.CLAIM, claim=claim.text,
                                        message=f"{paper.paper_id}: claim not checked "
                                        f"({exc.message}): {claim.text}"))  # fmt: skip
                continue
            checked.append(ReportClaim(text=claim.text, verdict=verdict))
            if self._supported(verdict):
                cited = citations(verdict, {paper.paper_id}, self.settings.verify.threshold)
                found.append(_Finding(claim, _sentence(verdict, cited)))
        return checked, found

    def _themes(self, question: str, findings: Sequence[_Finding]) -> list[Theme]:
        """Supported sentences grouped by meaning, most relevant to the question first."""
        if not findings:
            return []
        vectors = self.embedder.encode([question, *(f.claim.sentence for f in findings)])
        groups = cluster(vectors[1:], self.settings.report.max_themes)
        ordered = order_groups(vectors[1:], groups, vectors[0])
        titles = theme_titles([[findings[i].claim.sentence for i in g] for g in ordered])
        return [
            Theme(title=title, sentences=tuple(findings[i].sentence for i in group))
            for title, group in zip(titles, ordered, strict=True)
        ]

    def _conflicts(
        self, findings: Sequence[_Finding], papers: Sequence[Paper], total: float
    ) -> list[Conflict]:
        """Supported claims that another paper refutes (as surely as a synthesis needs),
        both sides quoted."""
        threshold = self.settings.verify.threshold
        conflicts: list[Conflict] = []
        seen: set[frozenset[str]] = set()  # two papers' passages contradict once, not twice
        for finding in findings:
            own = finding.claim.passage.paper_id
            others = [p.paper_id for p in papers if p.paper_id != own]
            self._step(total)
            if not others:
                continue
            verdict = self.checker.check(finding.sentence.text, others)
            supporting = finding.sentence.citations[0]
            for paper in verdict.papers:
                if paper.label is not Label.REFUTED or not self._sure(paper.confidence):
                    continue
                evidence = refuting_evidence(verdict, paper.paper_id, threshold)
                pair = frozenset({supporting.passage_id, evidence.passage.id})
                if pair not in seen:
                    seen.add(pair)
                    conflicts.append(Conflict(claim=finding.sentence.text, supporting=supporting,
                                              refuting=cite(evidence)))  # fmt: skip
        return conflicts

    def _generate(
        self, generator: Generator, question: str, theme: Theme, findings: Sequence[_Finding],
        problems: list[Problem], total: float,
    ) -> Theme:  # fmt: skip
        """The theme with the generator's sentences that its papers support."""
        texts = {s.text for s in theme.sentences}
        papers = list(dict.fromkeys(f.claim.passage.paper_id for f in findings
                                    if f.sentence.text in texts))  # fmt: skip
        added: list[SynthesisSentence] = []
        try:
            written = generator.write(question, theme.title, [s.text for s in theme.sentences])
        except SynthError as exc:
            message = f"generator {generator.name} failed on {theme.title!r}: {exc}"
            problems.append(Problem(kind=ProblemKind.GENERATOR, message=message))
            written = []
        for text in written:
            if text in texts:
                continue
            try:
                verdict = self.checker.check(text, papers)
            except SynthError as exc:
                message = f"generated sentence not checked ({exc.message}): {text}"
                problems.append(Problem(kind=ProblemKind.GENERATOR, claim=text, message=message))
                continue
            if self._supported(verdict):
                cited = citations(verdict, set(papers), self.settings.verify.threshold)
                added.append(_sentence(verdict, cited))
        self._step(total)
        return theme.model_copy(update={"sentences": theme.sentences + tuple(added)})

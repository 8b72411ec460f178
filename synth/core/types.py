"""The records each pipeline stage produces: Paper -> Passage -> Claim -> Evidence -> Verdict
-> Report. All are frozen; ids are content hashes, so the same content always gets the same id.

Every record that reaches a user carries ``paper_id``: the id the user knows the paper by
(its arXiv id, the ``doc_id`` of its JSONL record, or its file name).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


def content_id(prefix: str, *parts: object) -> str:
    """A short, stable id derived from content: ``prefix_`` + 16 hex digits of SHA-256."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Parsed pages: what a source hands to chunking and the store keeps as page text.


class BlockKind(StrEnum):
    BODY = "body"
    HEADING = "heading"
    REFERENCES = "references"
    TABLE = "table"


@dataclass(frozen=True)
class Block:
    """A paragraph (or heading) at ``page.text[start:end]``. ``sentences`` holds given
    sentence spans (absolute offsets) when the source already split them."""

    start: int
    end: int
    section: str
    kind: BlockKind = BlockKind.BODY
    sentences: tuple[tuple[int, int], ...] | None = None


@dataclass(frozen=True)
class PageText:
    number: int
    text: str
    blocks: tuple[Block, ...]


class AddStatus(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class SourceKind(StrEnum):
    ARXIV = "arxiv"
    PDF = "pdf"
    TEXT = "text"
    JSONL = "jsonl"


class Paper(Record):
    """A stored paper. ``id`` hashes its content (the PDF's bytes, or its text)."""

    id: str
    paper_id: str
    source: SourceKind
    title: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    abstract: str = ""
    arxiv_id: str | None = None
    arxiv_version: str | None = None
    path: str | None = None
    url: str | None = None
    pdf_sha256: str | None = None
    full_text: bool = True
    note: str = ""
    pages: int = 0


class Passage(Record):
    """A span of 1-3 sentences of one page: ``page_text[char_start:char_end] == text``.

    Passages never cross a page today, so ``page_start == page_end``; the range is kept so
    that a quote can always say where it sits. ``context`` is the paragraph around it.
    """

    id: str = ""
    paper_id: str
    page_start: int
    page_end: int
    section: str
    char_start: int
    char_end: int
    text: str
    context: str = ""

    @model_validator(mode="before")
    @classmethod
    def _fill_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id"):
            data = dict(data)
            data["id"] = content_id(
                "s", data["paper_id"], data["page_start"], data["char_start"], data["text"]
            )
        return data


class Label(StrEnum):
    SUPPORTED = "SUPPORTED"
    REFUTED = "REFUTED"
    NOT_ENOUGH_INFO = "NOT_ENOUGH_INFO"


class Claim(Record):
    """A claim to check, with the papers it cites (``paper_id``s); none means the corpus."""

    id: str = ""
    text: str
    papers: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _fill_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id"):
            data = dict(data)
            data["id"] = content_id("c", data["text"], *data.get("papers", ()))
        return data


class Evidence(Record):
    """One passage scored against one claim. Each sentence of the passage is scored; the
    passage takes the scores of its most decisive sentence, the quote at
    ``passage.text[quote_start:quote_end]``."""

    claim_id: str
    passage: Passage
    retrieval_score: float
    entailment: float
    contradiction: float
    neutral: float
    quote_start: int = 0
    quote_end: int = 0
    relevance: float | None = None  # cosine of claim and passage, when retrieval computed it
    verbatim: bool = False  # the quote states the claim word for word (synth.verify.quote)

    @property
    def quote(self) -> str:
        return self.passage.text[self.quote_start : self.quote_end] or self.passage.text


class NumericStatus(StrEnum):
    NO_NUMBERS = "no_numbers"  # the claim states no quantity
    CONSISTENT = "consistent"  # every quantity of the claim is in the evidence
    MISSING = "missing"  # some quantity is nowhere in the evidence
    CONTRADICTED = "contradicted"  # the evidence gives another value in the same unit


class NumericCheck(Record):
    """The claim's quantities compared with its best evidence (surface texts)."""

    status: NumericStatus
    claim_quantities: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    conflicting: tuple[str, ...] = ()


class PaperVerdict(Record):
    """What one paper's evidence says about a claim. ``probabilities`` are the verdict
    head's P(SUPPORTED), P(REFUTED), P(NOT_ENOUGH_INFO) when a head made the verdict."""

    paper_id: str
    title: str = ""
    label: Label
    confidence: float
    probabilities: tuple[float, float, float] | None = None


class Verdict(Record):
    """A claim's label with its calibrated confidence, the per-paper labels it was built
    from, the evidence (best first), the numeric-consistency result, and what made it."""

    claim: Claim
    label: Label
    confidence: float
    conflict: bool = False  # some papers support the claim and others refute it
    papers: tuple[PaperVerdict, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    numeric: NumericCheck | None = None
    model: str
    settings_hash: str = ""


class Reference(Record):
    """A reference as a report gives it, and whether synth could fetch the paper."""

    ref: str  # as written: an arXiv id or URL, a DOI, any text
    paper_id: str | None = None  # the stored paper it resolved to
    resolved: bool = False
    why: str = ""  # why it did not resolve (empty when it did)
    title: str = ""
    url: str | None = None
    version: str | None = None  # the arXiv version stored ("v1"), which the report cited if any
    full_text: bool | None = None  # False: only the abstract is stored (``note`` says why)
    note: str = ""

    @property
    def cited_as(self) -> str:
        """The paper as quotes name it: its id with the arXiv version ("2005.13013 v2")."""
        name = self.paper_id or self.ref
        return (
            f"{name} {self.version}" if self.version and not name.endswith(self.version) else name
        )


class Reproduced(StrEnum):
    """The verdict on a re-run experiment's claimed effect (``synth reproduce``)."""

    REPRODUCED = "REPRODUCED"
    NOT_REPRODUCED = "NOT_REPRODUCED"
    INCONCLUSIVE = "INCONCLUSIVE"


def interval(low: float, high: float) -> str:
    """A 95% confidence interval as reports print it: ``95% CI +0.50 to +3.50``."""
    return f"95% CI {low:+.2f} to {high:+.2f}"


class ExperimentCheck(Record):
    """A re-run of the experiment behind a claim (``synth reproduce``), filed under the claim:
    the verdict on the claimed effect and the measured paired delta, in metric points."""

    verdict: Reproduced
    delta: float
    ci_low: float
    ci_high: float
    seeds: tuple[int, ...]
    preset: str
    model: str
    explanation: str = ""
    path: str = ""  # the reproduction's JSON


class ReportClaim(Record):
    """One claim of a report beside synth's verdict on it.

    ``text`` is the claim as written; when it was cut short (``truncated``) synth tries
    to recover the full sentence (``recovered_text``, found in ``recovered_from``: "report"
    or a paper_id). The verdict is on ``verdict.claim.text``: the recovered sentence, or
    the partial text without its cut-off last word."""

    text: str
    truncated: bool = False
    recovered_text: str | None = None
    recovered_from: str = ""
    report_mark: bool | None = None  # the report's own "verified" mark, if it has one
    report_confidence: float | None = None
    verdict: Verdict
    experiment: ExperimentCheck | None = None
    notes: tuple[str, ...] = ()  # what the verdict rests on: "2005.13013 v2: abstract only ..."

    @property
    def partial(self) -> bool:
        """Truncated and not recovered: the verdict is on a fragment."""
        return self.truncated and self.recovered_text is None

    @property
    def agreement(self) -> bool | None:
        """Whether synth agrees with the report's mark: a verified mark agrees with
        SUPPORTED, an unverified one with anything else (None: the report has no mark)."""
        if self.report_mark is None:
            return None
        return self.report_mark == (self.verdict.label is Label.SUPPORTED)


class Citation(Record):
    """Where a sentence of a synthesis comes from: a verified quote with paper and page."""

    paper_id: str
    page: int
    passage_id: str
    quote: str


class SynthesisSentence(Record):
    """A sentence of a synthesis and the verified evidence behind it."""

    text: str
    citations: tuple[Citation, ...]
    label: Label
    confidence: float


class Theme(Record):
    title: str
    sentences: tuple[SynthesisSentence, ...]


class Conflict(Record):
    """A claim one paper supports and another refutes, both sides quoted."""

    claim: str
    supporting: Citation
    refuting: Citation


class Synthesis(Record):
    """The written answer: an overview, then theme by theme, then conflicts."""

    answer: tuple[SynthesisSentence, ...] = ()
    themes: tuple[Theme, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    generator: str = "template"


class ReportKind(StrEnum):
    AUDIT = "audit"  # an existing report, re-verified
    SYNTHESIS = "synthesis"  # a report synth wrote


class ProblemKind(StrEnum):
    REPORT = "report"  # the report as a whole: unreadable, no claims, too many claims
    REFERENCE = "reference"  # references that could not be resolved
    CLAIM = "claim"  # one claim could not be checked (or only in part)
    PAPER = "paper"  # one paper was skipped
    GENERATOR = "generator"  # the generator failed, or one of its sentences was not checked


class Problem(Record):
    """Something a report could not check: its kind, what went wrong, and the claim (or
    generated sentence) it concerns, if one."""

    kind: ProblemKind
    message: str
    claim: str | None = None

    def __str__(self) -> str:
        return self.message


class Report(Record):
    """A verified report: its claims with verdicts, its references, what could not be
    checked (``problems``), and for a synthesis the written answer."""

    kind: ReportKind
    source: str  # the audited file, or the command that wrote it
    title: str
    question: str
    claims: tuple[ReportClaim, ...] = ()
    references: tuple[Reference, ...] = ()
    synthesis: Synthesis | None = None
    problems: tuple[Problem, ...] = ()
    model: str
    settings_hash: str

    def cited_as(self, paper_id: str) -> str:
        """How quotes name a paper: as its reference does (with the arXiv version)."""
        return next((r.cited_as for r in self.references if r.paper_id == paper_id), paper_id)

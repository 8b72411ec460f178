"""The records each pipeline stage produces: Paper -> Passage -> Claim -> Evidence -> Verdict
-> Report. All are frozen; ids are content hashes, so the same content always gets the same id.

Every record that reaches a user carries ``paper_id``: the id the user knows the paper by
(its arXiv id, the ``doc_id`` of its JSONL record, or its file name).
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


def content_id(prefix: str, *parts: object) -> str:
    """A short, stable id derived from content: ``prefix_`` + 16 hex digits of SHA-256."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
    """What one paper's evidence says about a claim."""

    paper_id: str
    title: str = ""
    label: Label
    confidence: float


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


class Report(Record):
    source: str
    question: str
    verdicts: tuple[Verdict, ...] = ()
    model: str
    settings_hash: str

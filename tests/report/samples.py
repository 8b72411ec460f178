"""A verified report built by hand, for tests of rendering and export (the passages are
invented; the paper ids are real arXiv ids so the output looks like a real report).

``sample_report()`` is an audit with five claims: SUPPORTED with a quoted sub-span, REFUTED
by a wrong number, NOT_ENOUGH_INFO, truncated and partial, truncated and recovered.
``sample_report(kind=ReportKind.SYNTHESIS)`` adds a written answer, a theme and a conflict.
``sample_report(hostile=True)`` puts script and Markdown injection into the untrusted text.
Any other keyword replaces that field of the report (``claims=()``, ``problems=()``...).
"""

from __future__ import annotations

from typing import Any

from synth.core.types import (
    Citation,
    Claim,
    Conflict,
    Evidence,
    Label,
    NumericCheck,
    NumericStatus,
    PaperVerdict,
    Passage,
    Problem,
    ProblemKind,
    Reference,
    Report,
    ReportClaim,
    ReportKind,
    Synthesis,
    SynthesisSentence,
    Theme,
    Verdict,
)

SCRIPT = "<script>window.__pwned = 1</script>"
MD_INJECTION = "[x](javascript:alert(1)) | pipes |"
PHANG = "2005.13013"
XLMR = "1911.02116"
MODEL = "synth-nli-minilm"
SETTINGS_HASH = "3f9a1c2b7d4e5f60"
GAIN = "we improve XLM-R Large by 5.4 points on average across the XTREME benchmark."
REFUTING = "Intermediate training does not help the structured prediction tasks of XTREME."


def _passage(paper_id: str, page: int, section: str, text: str) -> Passage:
    return Passage(
        paper_id=paper_id, page_start=page, page_end=page, section=section,
        char_start=0, char_end=len(text), text=text,
    )  # fmt: skip


def _evidence(
    claim: Claim, passage: Passage, quote: str, scores: tuple[float, float, float]
) -> Evidence:
    """``scores`` is (entailment, neutral, contradiction); the quote must be in the text."""
    start = passage.text.index(quote)
    entail, neutral, contradict = scores
    return Evidence(
        claim_id=claim.id, passage=passage, retrieval_score=0.71, entailment=entail,
        neutral=neutral, contradiction=contradict, quote_start=start,
        quote_end=start + len(quote),
    )  # fmt: skip


def _verdict(
    claim: Claim,
    label: Label,
    confidence: float,
    evidence: tuple[Evidence, ...],
    numeric: NumericCheck | None = None,
) -> Verdict:
    papers = tuple(dict.fromkeys(e.passage.paper_id for e in evidence))
    return Verdict(
        claim=claim, label=label, confidence=confidence,
        papers=tuple(PaperVerdict(paper_id=p, label=label, confidence=confidence) for p in papers),
        evidence=evidence, numeric=numeric or NumericCheck(status=NumericStatus.NO_NUMBERS),
        model=MODEL, settings_hash=SETTINGS_HASH,
    )  # fmt: skip


def _passages(hostile: bool) -> dict[str, Passage]:
    abstract = _passage(
        PHANG, 1, "Abstract",
        ("Before the gain. " + SCRIPT + " " if hostile else "")
        + "Intermediate-task training helps pretrained encoders on many English tasks. "
        + "Using English intermediate tasks, " + GAIN
        + " The gains are largest on the sentence retrieval tasks BUCC and Tatoeba.",
    )  # fmt: skip
    results = _passage(
        PHANG, 6, "Results",
        "SQuAD and MNLI are the most helpful intermediate tasks. " + REFUTING,
    )  # fmt: skip
    data = _passage(
        XLMR, 2, "Introduction",
        "XLM-R is trained on 2.5 TB of filtered CommonCrawl text in 100 languages. "
        "It outperforms multilingual BERT on cross-lingual classification.",
    )  # fmt: skip
    return {"abstract": abstract, "results": results, "data": data}


def _claims(passages: dict[str, Passage], hostile: bool) -> tuple[ReportClaim, ...]:
    extra = f" {SCRIPT} {MD_INJECTION}" if hostile else ""
    abstract, results, data = passages["abstract"], passages["results"], passages["data"]
    retrieval = "The gains are largest on the sentence retrieval tasks BUCC and Tatoeba."
    good = Claim(text="English intermediate-task training improves XLM-R Large by 5.4 points "
                 "on XTREME." + extra, papers=(PHANG,))  # fmt: skip
    wrong = Claim(text="English intermediate-task training improves XLM-R Large by 8.2 points "
                  "on XTREME.", papers=(PHANG,))  # fmt: skip
    unknown = Claim(text="Intermediate-task training also helps speech recognition in "
                    "low-resource languages.", papers=(XLMR, PHANG))  # fmt: skip
    fragment = Claim(text="The gains are largest on the sentence retrieval tasks", papers=(PHANG,))
    recovered = Claim(text=retrieval, papers=(PHANG,))
    return (
        ReportClaim(
            text=good.text, report_mark=True, report_confidence=0.95,
            verdict=_verdict(
                good, Label.SUPPORTED, 0.91,
                (_evidence(good, abstract, GAIN, (0.94, 0.04, 0.02)),
                 _evidence(good, results, "SQuAD and MNLI", (0.12, 0.85, 0.03))),
                NumericCheck(status=NumericStatus.CONSISTENT, claim_quantities=("5.4 points",),
                             matched=("5.4 points",)),
            ),
        ),
        ReportClaim(
            text=wrong.text, report_mark=True, report_confidence=0.9,
            verdict=_verdict(
                wrong, Label.REFUTED, 0.84,
                (_evidence(wrong, abstract, GAIN, (0.61, 0.09, 0.3)),),
                NumericCheck(status=NumericStatus.CONTRADICTED, claim_quantities=("8.2 points",),
                             missing=("8.2 points",), conflicting=("5.4 points",)),
            ),
        ),
        ReportClaim(
            text=unknown.text, report_mark=False, report_confidence=0.4,
            verdict=_verdict(
                unknown, Label.NOT_ENOUGH_INFO, 0.66,
                (_evidence(unknown, data, "100 languages", (0.08, 0.88, 0.04)),),
            ),
        ),
        ReportClaim(
            text="The gains are largest on the sentence retrieval tasks BU", truncated=True,
            verdict=_verdict(
                fragment, Label.SUPPORTED, 0.58,
                (_evidence(fragment, abstract, retrieval, (0.81, 0.15, 0.04)),),
            ),
        ),
        ReportClaim(
            text="The gains are largest on the sentence retrieval tasks BUCC and Tato",
            truncated=True, recovered_text=retrieval, recovered_from=PHANG, report_mark=True,
            verdict=_verdict(
                recovered, Label.SUPPORTED, 0.88,
                (_evidence(recovered, abstract, retrieval, (0.9, 0.08, 0.02)),),
            ),
        ),
    )  # fmt: skip


def _cite(passage: Passage, quote: str) -> Citation:
    return Citation(
        paper_id=passage.paper_id, page=passage.page_start, passage_id=passage.id, quote=quote
    )


def _synthesis(
    passages: dict[str, Passage], claims: tuple[ReportClaim, ...], hostile: bool
) -> Synthesis:
    good, _, _, _, recovered = claims

    def sentence(text: str, claim: ReportClaim) -> SynthesisSentence:
        v = claim.verdict
        e = v.evidence[0]
        return SynthesisSentence(
            text=text, citations=(_cite(e.passage, e.quote),), label=v.label,
            confidence=v.confidence,
        )  # fmt: skip

    answer = sentence(
        "Yes: English intermediate-task training improves XLM-R Large by 5.4 points on XTREME."
        + (f" {SCRIPT} {MD_INJECTION}" if hostile else ""),
        good,
    )
    return Synthesis(
        answer=(answer,),
        themes=(
            Theme(title="Where the gains come from", sentences=(
                sentence("The gains are largest on sentence retrieval (BUCC, Tatoeba).",
                         recovered),
            )),
        ),
        conflicts=(
            Conflict(
                claim="Intermediate training helps every XTREME task.",
                supporting=_cite(passages["abstract"], GAIN),
                refuting=_cite(passages["results"], REFUTING),
            ),
        ),
    )  # fmt: skip


def sample_report(
    *, kind: ReportKind = ReportKind.AUDIT, hostile: bool = False, **overrides: Any
) -> Report:
    """A realistic verified report (see the module docstring for the variants)."""
    passages = _passages(hostile)
    claims = _claims(passages, hostile)
    synthesis = None
    if kind is ReportKind.SYNTHESIS:
        synthesis = _synthesis(passages, claims, hostile)
        claims = tuple(
            c.model_copy(update={"report_mark": None, "report_confidence": None}) for c in claims
        )
    references = (
        Reference(ref=f"arXiv:{PHANG}", paper_id=PHANG, resolved=True,
                  title="English intermediate-task training improves zero-shot cross-lingual "
                  "transfer too", url=f"https://arxiv.org/abs/{PHANG}"),
        Reference(ref=f"https://arxiv.org/abs/{XLMR}", paper_id=XLMR, resolved=True,
                  title="Unsupervised cross-lingual representation learning at scale",
                  url=f"https://arxiv.org/abs/{XLMR}"),
        Reference(ref="Smith et al. (2021), Speech transfer" + (f" {SCRIPT}" if hostile else ""),
                  why="no arXiv id, DOI or URL to fetch",
                  url="javascript:alert(1)" if hostile else None),
    )  # fmt: skip
    fields: dict[str, Any] = {
        "kind": kind,
        "source": "reports/xtreme-notes.md" if kind is ReportKind.AUDIT else "synth report",
        "title": "Does English intermediate-task training help cross-lingual transfer?",
        "question": "Does intermediate-task training in English improve zero-shot "
        "cross-lingual transfer of XLM-R?",
        "claims": claims,
        "references": references,
        "synthesis": synthesis,
        "problems": (
            Problem(
                kind=ProblemKind.REFERENCE,
                message="Smith et al. (2021), Speech transfer: not resolved, its claims were "
                "checked against the other papers only",
            ),
        ),
        "model": MODEL,
        "settings_hash": SETTINGS_HASH,
    }
    return Report(**{**fields, **overrides})

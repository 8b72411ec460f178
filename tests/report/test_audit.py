"""Auditing a parsed report with deterministic fakes for the models: verdicts beside the
report's marks, truncated claims recovered or left partial, cited papers, and claims that
cannot be checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fakes import HashingEmbedder, PhraseScorer, add_paper

from synth.check.checker import Checker
from synth.core.settings import Settings
from synth.core.types import (
    ExperimentCheck,
    Label,
    NumericStatus,
    Problem,
    ProblemKind,
    Reference,
    Report,
)
from synth.corpus.store import Store
from synth.report.audit import Auditor, no_claims
from synth.report.parse import parse_report
from synth.retrieval.search import Retriever

PAPERS = {
    "phang": ("Intermediate training", [
        "Intermediate training gives XLM-R Large a 5.4 point gain on XTREME.",
        "Retrieval tasks such as Tatoeba and BUCC gain the most from intermediate training.",
    ]),
    "scale": ("Scaling encoders", [
        "Larger encoders transfer better to languages with little training data.",
    ]),
}  # fmt: skip
RULES = {
    "5.4 point gain|gain on XTREME": (0.9, 0.05, 0.05),
    "gain the most|Tatoeba": (0.85, 0.1, 0.05),
    "Larger encoders|Larger encoders": (0.8, 0.1, 0.1),
}
CUT = 70  # the report's generator cut long claims at this many characters
CLAIMS = [
    ("Intermediate training gives XLM-R Large a 5.4 point gain on XTREME.", "✓", "0.9"),
    ("Intermediate training gives XLM-R Large an 8.2 point gain on XTREME.", "✓", "0.8"),
    ("Birds sing earlier in cities with street lights at night.", "×", "0.2"),
    ("Retrieval tasks such as Tatoeba and BUCC gain the most from intermediate training on "
     "English.", "✓", "0.5"),
    ("Larger encoders transfer better to languages with little training data, as shown.",
     "✓", "0.4"),
    ("Intermediate training gives XLM-R Large a 5.4 point gain in every single language.",
     "✓", "0.4"),
]  # fmt: skip
REPORT = (
    "# Audit me\n\n## Abstract\n\nRetrieval tasks such as Tatoeba and BUCC gain the most "
    "from intermediate training on English.\n\n## Claims\n\nClaim\tVerified\tConfidence\n"
    + "".join(f"{text[:CUT]}\t{mark}\t{conf}\n" for text, mark, conf in CLAIMS)
)


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(Settings().db_path) as s:
        for key, (title, sentences) in PAPERS.items():
            add_paper(s, key, title, sentences)
        yield s


def _audit(
    store: Store, text: str, refs: list[Reference] | None = None,
    experiments: Callable[..., ExperimentCheck | None] | None = None,
) -> Report:  # fmt: skip
    settings = Settings()
    checker = Checker(store, Retriever(store, HashingEmbedder(), settings), PhraseScorer(RULES),
                      settings)  # fmt: skip
    parsed = parse_report(text, max_claims=50)
    if refs is None:
        refs = [Reference(ref=f"[{k}]", paper_id=k, resolved=True) for k in PAPERS]
    return Auditor(store, checker, experiments=experiments).audit(parsed, "report.txt", refs)


def test_verdicts_beside_the_report_marks(store: Store) -> None:
    report = _audit(store, REPORT)
    labels = [c.verdict.label for c in report.claims]
    assert labels[:3] == [Label.SUPPORTED, Label.REFUTED, Label.NOT_ENOUGH_INFO]
    assert [c.agreement for c in report.claims[:3]] == [True, False, True]
    numeric = report.claims[1].verdict.numeric
    assert numeric is not None and numeric.status is NumericStatus.CONTRADICTED
    assert report.claims[0].verdict.evidence[0].passage.paper_id == "phang"
    assert (report.model, report.source, report.title) == (
        "phrase-scorer",
        "report.txt",
        "Audit me",
    )


def test_truncated_claims_recovered_from_the_report_or_a_paper_or_left_partial(
    store: Store,
) -> None:
    from_report, from_paper, partial = _audit(store, REPORT).claims[3:]
    assert from_report.truncated and from_report.recovered_from == "report"
    assert from_report.recovered_text == (
        "Retrieval tasks such as Tatoeba and BUCC gain the most from intermediate training on "
        "English."
    )
    assert from_report.verdict.claim.text == from_report.recovered_text
    assert from_paper.recovered_from == "scale" and from_paper.recovered_text == (
        "Larger encoders transfer better to languages with little training data."
    )
    assert from_paper.verdict.label is Label.SUPPORTED
    assert partial.partial and partial.recovered_text is None
    assert partial.verdict.claim.text == (
        "Intermediate training gives XLM-R Large a 5.4 point gain in every"
    )


def test_problems_say_what_was_partial(store: Store) -> None:
    report = _audit(store, REPORT)
    assert report.problems == (
        Problem(
            kind=ProblemKind.CLAIM,
            message="1 truncated claim(s) could not be recovered and were checked on their "
            "complete part only",
        ),
    )


def test_a_claim_is_checked_against_the_papers_it_cites(store: Store) -> None:
    text = (
        "# R\n## Claims\n- Larger encoders transfer better to low-resource languages [2].\n"
        "## References\n1. Phang notes\n2. Scale notes\n"
    )
    refs = [Reference(ref="Phang notes", paper_id="phang", resolved=True),
            Reference(ref="Scale notes", paper_id="scale", resolved=True)]  # fmt: skip
    (claim,) = _audit(store, text, refs).claims
    assert {p.paper_id for p in claim.verdict.papers} == {"scale"}


def test_unresolved_references_and_uncheckable_claims_are_reported(store: Store) -> None:
    refs = [
        Reference(ref="[phang]", paper_id="phang", resolved=True),
        Reference(ref="10.1/x", why="DOI 10.1/x is not an arXiv paper"),
    ]
    text = "# R\n## Claims\n- L'entraînement intermédiaire améliore les résultats de 5,4 points.\n"
    report = _audit(store, text, refs)
    (claim,) = report.claims
    assert claim.verdict.label is Label.NOT_ENOUGH_INFO and not claim.verdict.evidence
    messages = [p.message for p in report.problems]
    assert any("1 of 2 references could not be resolved" in m for m in messages)
    (french,) = [p for p in report.problems if p.kind is ProblemKind.CLAIM]
    assert french.message.startswith("claim 1: the claim looks like French")
    assert french.claim == claim.text


def test_no_resolved_reference_means_nothing_is_checked(store: Store) -> None:
    refs = [Reference(ref="x", why="not an arXiv id")]
    report = _audit(store, REPORT, refs)
    assert all(not c.verdict.papers for c in report.claims)
    assert any("none of the references could be resolved" in p.message for p in report.problems)
    assert "no references" in _audit(store, REPORT, []).problems[0].message


def test_a_report_without_claims(store: Store) -> None:
    report = _audit(store, "# Only a title\n\nShort text.\n")
    assert report.claims == ()
    assert Problem(kind=ProblemKind.REPORT, message=no_claims("report.txt")) in report.problems


def test_a_claim_checked_against_an_abstract_only_says_so_with_the_version(store: Store) -> None:
    note = "abstract only: the offline mirror has no PDF for 2005.13013v2"
    refs = [
        Reference(ref="[phang]", paper_id="phang", resolved=True, version="v2",
                  full_text=False, note=note),
        Reference(ref="[scale]", paper_id="scale", resolved=True, version="v1", full_text=True),
    ]  # fmt: skip
    report = _audit(store, REPORT, refs)
    assert report.claims[0].notes == (
        "phang v2: checked against the abstract only (the offline mirror has no PDF for "
        "2005.13013v2)",
    )
    assert report.cited_as("phang") == "phang v2" and report.cited_as("other") == "other"
    assert Reference(ref="x", paper_id="2005.13013v1", version="v1").cited_as == "2005.13013v1"

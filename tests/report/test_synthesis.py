"""A verified synthesis end to end over hand-written papers, with the deterministic
bag-of-words embedder and phrase-rule NLI scorer: supported claims become cited sentences
grouped into themes, an unsupported one is only listed, one paper refutes another (a
conflict), a generator's unsupported sentence is dropped, and a broken paper is skipped."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from fakes import HashingEmbedder, PhraseScorer, Recorder

from synth.check.checker import Checker
from synth.core.settings import Settings
from synth.core.types import Label, PageText, Paper, ProblemKind, SourceKind, content_id
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.parsing.structure import sentences_page, structure_pages
from synth.corpus.store import Store
from synth.report.synthesis import Generator, SynthesisResult, Synthesizer
from synth.retrieval.search import Retriever

QUESTION = "Does peer tutoring help reading?"
TUTOR = [
    [
        "Abstract",
        "We study peer tutoring in rural schools. We find that weekly peer tutoring raises "
        "reading scores by 12 points.",
        "",
        "1 Introduction",
        "Reading gaps in rural schools have been widely reported.",
    ],
    [
        "4 Results",
        "Our peer tutoring programme reduced reading absences by 8%. Did pupils enjoy it?",
        "",
        "5 Conclusion",
        "We think peer tutoring also improves pupil confidence in class.",
    ],
]
SLEEP = [
    "We show that a short afternoon nap improves memory recall in older adults.",
    "A long afternoon nap reduces night sleep quality in older adults.",
]
COUNTER = ["In a large trial, peer tutoring did not raise reading scores."]
RULES = {  # "premise phrase|claim phrase": (entailment, neutral, contradiction)
    "did not raise reading scores|raises reading scores": (0.05, 0.15, 0.8),
    "raises reading scores by 12 points|did not raise": (0.05, 0.15, 0.8),
    "raises reading scores by 12 points|raises reading scores": (0.9, 0.05, 0.05),
    "did not raise reading scores|did not raise": (0.85, 0.1, 0.05),
    "reduced reading absences by 8%|reduced reading absences": (0.8, 0.1, 0.1),
    "nap improves memory recall|nap improves memory recall": (0.9, 0.05, 0.05),
    "nap reduces night sleep|nap reduces night sleep": (0.75, 0.15, 0.1),
}
TUTOR_CLAIM = (
    "Quill et al. (2021) find that weekly peer tutoring raises reading scores by 12 points."
)
ABSENCE_CLAIM = "The peer tutoring programme of Quill et al. (2021) reduced reading absences by 8%."
COUNTER_CLAIM = "In a large trial, peer tutoring did not raise reading scores."
NAP_CLAIM = (
    "Crane and Vale (2022) show that a short afternoon nap improves memory recall in older adults."
)
# attributed, so not word for word its paper's sentence, which would support it
UNSUPPORTED = "Quill et al. (2021) think peer tutoring also improves pupil confidence in class."


def add(
    store: Store, key: str, pages: list[PageText], title: str,
    authors: tuple[str, ...] = (), year: int | None = None,
) -> Paper:  # fmt: skip
    paper = Paper(id=content_id("p", key), paper_id=key, source=SourceKind.TEXT, title=title,
                  authors=authors, year=year, pages=len(pages))  # fmt: skip
    passages = [p for page in pages for p in chunk_page(page, key, Settings().chunk)]
    store.add(paper, pages, passages, replace=False)
    return paper


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(Settings().db_path) as s:
        yield s


@pytest.fixture
def papers(store: Store) -> list[Paper]:
    return [
        add(store, "tutor", structure_pages(TUTOR), "Peer tutoring in rural schools",
            ("Mara Quill", "Ben Osei", "Lin Hart"), 2021),
        add(store, "sleep", [sentences_page(SLEEP)], "Naps and memory",
            ("Ada Crane", "Tom Vale"), 2022),
        add(store, "counter", [sentences_page(COUNTER)], "A tutoring trial"),
    ]  # fmt: skip


class ListGenerator(Generator):
    """Proposes fixed sentences for the theme that mentions tutoring; records its calls."""

    def __init__(self, sentences: list[str]) -> None:
        self.name = "list-generator"
        self.sentences = sentences
        self.calls: list[tuple[str, str, list[str]]] = []

    def write(self, question: str, theme: str, claims: Sequence[str]) -> list[str]:
        self.calls.append((question, theme, list(claims)))
        return self.sentences if "tutoring" in theme.lower() else []


def synthesizer(
    store: Store, generator: Generator | None = None, progress: Recorder | None = None
) -> Synthesizer:
    settings = Settings()
    embedder = HashingEmbedder()
    checker = Checker(store, Retriever(store, embedder, settings), PhraseScorer(RULES), settings)
    return Synthesizer(checker, embedder, settings, generator, progress)


def test_every_key_claim_is_checked_and_listed(store: Store, papers: list[Paper]) -> None:
    result = synthesizer(store).synthesize(QUESTION, papers)
    labels = {c.text: c.verdict.label for c in result.claims}
    assert labels == {
        TUTOR_CLAIM: Label.SUPPORTED,
        ABSENCE_CLAIM: Label.SUPPORTED,
        UNSUPPORTED: Label.NOT_ENOUGH_INFO,
        NAP_CLAIM: Label.SUPPORTED,
        "A long afternoon nap reduces night sleep quality in older adults.": Label.SUPPORTED,
        COUNTER_CLAIM: Label.SUPPORTED,
    }
    claim = result.claims[0]
    assert claim.report_mark is None and claim.report_confidence is None and not claim.truncated
    assert claim.verdict.claim.papers == ("tutor",)  # checked against its own paper
    assert result.problems == []


def test_themes_hold_only_supported_sentences_with_their_evidence(
    store: Store, papers: list[Paper]
) -> None:
    synthesis = synthesizer(store).synthesize(QUESTION, papers).synthesis
    assert synthesis.generator == "template"
    written = [s.text for t in synthesis.themes for s in t.sentences]
    assert UNSUPPORTED not in written
    assert sorted(written) == sorted(
        [TUTOR_CLAIM, ABSENCE_CLAIM, COUNTER_CLAIM, NAP_CLAIM,
         "A long afternoon nap reduces night sleep quality in older adults."]
    )  # fmt: skip
    first, second = synthesis.themes  # tutoring first: it is what the question asks
    assert "tutoring" in first.title.lower() and "nap" in second.title.lower()
    assert {s.text for s in second.sentences} == {
        NAP_CLAIM,
        "A long afternoon nap reduces night sleep quality in older adults.",
    }
    for sentence in (s for t in synthesis.themes for s in t.sentences):
        assert sentence.label is Label.SUPPORTED and sentence.confidence >= 0.5
        assert sentence.citations
    absence = next(s for s in first.sentences if s.text == ABSENCE_CLAIM)
    (citation,) = absence.citations
    assert citation.paper_id == "tutor" and citation.page == 2
    assert citation.quote == "Our peer tutoring programme reduced reading absences by 8%."


def test_the_answer_is_one_verified_sentence_per_theme(store: Store, papers: list[Paper]) -> None:
    synthesis = synthesizer(store).synthesize(QUESTION, papers).synthesis
    assert len(synthesis.answer) == len(synthesis.themes)
    for sentence, theme in zip(synthesis.answer, synthesis.themes, strict=True):
        assert sentence == theme.sentences[0]


def test_a_claim_another_paper_refutes_is_a_conflict(store: Store, papers: list[Paper]) -> None:
    conflicts = synthesizer(store).synthesize(QUESTION, papers).synthesis.conflicts
    (conflict,) = conflicts  # each paper refutes the other: one disagreement, told once
    assert conflict.claim == TUTOR_CLAIM
    assert conflict.supporting.paper_id == "tutor"
    assert "12 points" in conflict.supporting.quote
    assert conflict.refuting.paper_id == "counter"
    assert conflict.refuting.quote == COUNTER[0]


def test_a_generated_sentence_is_kept_only_when_supported(
    store: Store, papers: list[Paper]
) -> None:
    supported = "Weekly peer tutoring raises reading scores by 12 points."
    invented = "Peer tutoring doubles graduation rates in rural schools."
    generator = ListGenerator([supported, invented])
    synthesis = synthesizer(store, generator).synthesize(QUESTION, papers).synthesis
    assert synthesis.generator == "list-generator"
    tutoring = synthesis.themes[0]
    written = [s.text for t in synthesis.themes for s in t.sentences]
    assert tutoring.sentences[-1].text == supported
    assert invented not in written
    assert {c.paper_id for c in tutoring.sentences[-1].citations} == {"tutor"}
    assert supported not in [s.text for s in synthesis.answer]
    question, title, claims = generator.calls[0]
    assert question == QUESTION and title == tutoring.title
    assert TUTOR_CLAIM in claims and UNSUPPORTED not in claims
    assert len(generator.calls) == len(synthesis.themes)


def test_a_paper_without_passages_is_skipped_and_named(store: Store, papers: list[Paper]) -> None:
    empty = add(store, "empty", [], "Nothing inside")
    result = synthesizer(store).synthesize(QUESTION, [empty, *papers])
    assert [(p.kind, p.message) for p in result.problems] == [
        (ProblemKind.PAPER, "empty: the paper has no passages; it was skipped")
    ]
    assert len(result.synthesis.themes) == 2


def test_no_papers_gives_an_empty_synthesis(store: Store, papers: list[Paper]) -> None:
    result = synthesizer(store).synthesize(QUESTION, [])
    assert result == SynthesisResult([], result.synthesis, [])
    assert result.synthesis.answer == () and result.synthesis.themes == ()


def test_progress_is_reported_to_the_end(store: Store, papers: list[Paper]) -> None:
    progress = Recorder()
    synthesizer(store, ListGenerator([]), progress).synthesize(QUESTION, papers)
    assert {task for task, _, _ in progress.updates} == {"synthesis"}
    _, done, total = progress.updates[-1]
    assert done == total == 3 + 5 + 2  # papers, conflict checks, generated themes


def test_the_same_input_gives_the_same_synthesis(store: Store, papers: list[Paper]) -> None:
    first = synthesizer(store).synthesize(QUESTION, papers)
    second = synthesizer(store).synthesize(QUESTION, papers)
    assert first.synthesis == second.synthesis


def test_a_claim_that_cannot_be_checked_is_named_and_the_rest_go_on(
    store: Store, papers: list[Paper]
) -> None:
    french = "Le tutorat entre pairs est plus utile que les cours du soir et il est très bon."
    other = add(store, "francais", [sentences_page([french])], "Tutorat")
    result = synthesizer(store).synthesize(QUESTION, [other, *papers])
    (problem,) = result.problems
    assert problem.message.startswith("francais: claim not checked (")
    assert problem.kind is ProblemKind.CLAIM and problem.claim == french
    assert french not in [c.text for c in result.claims]
    assert len(result.synthesis.themes) == 2

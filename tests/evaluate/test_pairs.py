"""The paired-evidence runner (HealthVer): evidence texts cut as ``synth add`` cuts an
abstract, and pairs judged by fakes whose every verdict is known, so each figure is checked
against arithmetic done by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes import HashingEmbedder, PhraseScorer, Recorder

from synth.check.checker import Checker
from synth.core.errors import SynthError
from synth.core.settings import ChunkSettings, Settings
from synth.core.types import Claim, Label, Paper, SourceKind, content_id
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.parsing.structure import sentences_page
from synth.corpus.store import Store
from synth.evaluate.pairs import EVIDENCE_ID, evaluate_pairs, evidence_hits
from synth.retrieval.search import Retriever
from synth.verify.datasets import Pair

SENTENCES = [
    "Masks filter droplets.", "Cloth masks leak at the sides.", "Fit matters more than fabric.",
    "Surgical masks did best.",
]  # fmt: skip
EVIDENCE = " ".join(SENTENCES)
RULES = {
    "Warm baths shorten": (0.9, 0.05, 0.05),
    "Afternoon coffee lowered|Afternoon coffee improves": (0.1, 0.1, 0.8),
    "Dimmed screens showed no delay": (0.7, 0.2, 0.1),
    "Surgical masks did best|Surgical masks": (0.85, 0.1, 0.05),
}
# Pair.label: 0 Supports, 1 Neutral, 2 Refutes
PAIRS = [
    # two sentences, the second entails: SUPPORTED at 0.9, right
    Pair("We asked 40 volunteers. Warm baths shorten sleep onset.",
         "Warm baths help people fall asleep.", 0),
    # REFUTED at 0.8, right
    Pair("Afternoon coffee lowered recall.", "Afternoon coffee improves recall.", 2),
    # no rule: neutral, NOT_ENOUGH_INFO at 1 - 0.05 = 0.95, right
    Pair("Quiet music had no measurable effect.", "Music speeds up reading.", 1),
    # SUPPORTED at 0.7 where the gold label is Refutes: wrong
    Pair("Dimmed screens showed no delay.", "Dimmed screens delay sleep onset.", 2),
]  # fmt: skip


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(Settings().db_path) as s:
        yield s


def checker(store: Store, settings: Settings | None = None) -> Checker:
    settings = settings or Settings()
    return Checker(store, Retriever(store, HashingEmbedder(), settings), PhraseScorer(RULES),
                   settings)  # fmt: skip


def test_evidence_is_cut_into_passages_as_an_abstract_is(store: Store) -> None:
    hits = evidence_hits(checker(store), EVIDENCE, "Masks and droplets")
    # at most three sentences a passage (the default chunking)
    assert [h.found.passage.text for h in hits] == [
        "Masks filter droplets. Cloth masks leak at the sides. Fit matters more than fabric.",
        "Surgical masks did best.",
    ]
    assert [h.found.key for h in hits] == [0, 1]
    assert {h.found.passage.paper_id for h in hits} == {EVIDENCE_ID}
    assert {h.found.title for h in hits} == {"Masks and droplets"}
    assert all(h.score == 0.0 and h.dense is None and h.sparse is None for h in hits)
    assert all(h.found.passage.context == EVIDENCE for h in hits)


def test_evidence_follows_the_checkers_chunking(store: Store) -> None:
    settings = Settings().model_copy(update={"chunk": ChunkSettings(max_sentences=1)})
    hits = evidence_hits(checker(store, settings), EVIDENCE)
    assert [h.found.passage.text for h in hits] == SENTENCES
    assert {h.found.title for h in hits} == {""}


def test_a_text_without_a_sentence_end_is_one_passage_and_no_text_none(store: Store) -> None:
    (hit,) = evidence_hits(checker(store), "masks filter droplets")
    assert hit.found.passage.text == "masks filter droplets"
    assert evidence_hits(checker(store), "") == []


def test_judging_evidence_equals_checking_it_stored_as_a_paper(store: Store) -> None:
    page = sentences_page(SENTENCES)  # as synth add stores a JSONL abstract
    paper = Paper(id=content_id("p", "masks"), paper_id="masks", source=SourceKind.JSONL,
                  title="Masks and droplets", pages=1)  # fmt: skip
    store.add(paper, [page], chunk_page(page, "masks", Settings().chunk), replace=False)
    check = checker(store)
    claim = "Surgical masks work best."
    stored = check.check(claim, ["masks"])
    judged = check.judge(Claim(text=claim), evidence_hits(check, EVIDENCE, "Masks and droplets"))
    assert [e.passage.text for e in judged.evidence] == [e.passage.text for e in stored.evidence]
    assert (judged.label, judged.confidence) == (stored.label, stored.confidence)
    assert judged.label is Label.SUPPORTED and judged.confidence == 0.85
    assert judged.evidence[0].quote == stored.evidence[0].quote == "Surgical masks did best."


def test_the_figures_of_four_pairs(store: Store) -> None:
    check = checker(store)
    sink = Recorder()
    result = evaluate_pairs(check, PAIRS, sink)
    assert result["pairs"] == 4
    assert result["gold"] == {"SUPPORTED": 1, "REFUTED": 2, "NOT_ENOUGH_INFO": 1}
    assert result["predicted"] == {"SUPPORTED": 2, "REFUTED": 1, "NOT_ENOUGH_INFO": 1}
    assert result["accuracy"] == 0.75
    # SUPPORTED P 1/2 R 1 -> 2/3; REFUTED P 1 R 1/2 -> 2/3; NOT_ENOUGH_INFO 1
    assert result["per_class_f1"] == pytest.approx(
        {"SUPPORTED": 2 / 3, "REFUTED": 2 / 3, "NOT_ENOUGH_INFO": 1.0}
    )
    assert result["macro_f1"] == pytest.approx(7 / 9)
    # one verdict a bin: |0.9 - 1| + |0.8 - 1| + |0.95 - 1| + |0.7 - 0|, over 4
    assert result["ece"] == pytest.approx(1.05 / 4)
    assert result["auroc"] == 1.0  # the one wrong verdict (0.7) is the least confident
    assert result["model"] == "phrase-scorer"
    assert result["settings_hash"] == check.settings_hash
    assert sink.updates == [("judging pairs", n, 4) for n in range(1, 5)]
    # each sentence of the evidence scored on its own, no title before it
    scorer = check.scorer
    assert isinstance(scorer, PhraseScorer)
    assert [premise for premise, _ in scorer.pairs] == [
        "We asked 40 volunteers.", "Warm baths shorten sleep onset.",
        "Afternoon coffee lowered recall.", "Quiet music had no measurable effect.",
        "Dimmed screens showed no delay.",
    ]  # fmt: skip


def test_all_right_leaves_auroc_undefined(store: Store) -> None:
    result = evaluate_pairs(checker(store), PAIRS[:3])
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    assert result["auroc"] is None


def test_no_pairs_is_a_synth_error(store: Store) -> None:
    with pytest.raises(SynthError, match="0 gold and 0 predicted"):
        evaluate_pairs(checker(store), [])

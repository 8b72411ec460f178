"""Checking a claim end to end with deterministic fakes for the models: retrieval, NLI
aggregation, the numeric gate and the JSON shape."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from fakes import HashingEmbedder, PhraseScorer, add_paper
from schemas import SCHEMAS

from synth.check.checker import Checker, configured_checker
from synth.core.errors import SynthError
from synth.core.serialize import verdict_json
from synth.core.settings import Settings
from synth.core.types import Label, NumericStatus
from synth.corpus.store import Store
from synth.retrieval.search import Retriever
from synth.verify.head import Head
from synth.verify.nli import HFNLIScorer

PAPERS = {
    "phang": (
        "Intermediate training for cross-lingual transfer",
        [
            "Intermediate-task training on SQuAD improves XLM-R Large by 5.4 points on XTREME.",
            "Gains are largest on Tatoeba and BUCC retrieval.",
            "We used 9 English intermediate tasks.",
        ],
    ),
    "other": (
        "Scaling multilingual encoders",
        [
            "Larger encoders transfer better to low-resource languages.",
            "Intermediate-task training on SQuAD does not help XLM-R Large on XTREME.",
        ],
    ),
    "birds": ("Birdsong at dawn", ["Robins sing earlier in cities with street lights."]),
}
RULES = {
    "improves XLM-R Large by 5.4": (0.9, 0.05, 0.05),
    "does not help XLM-R": (0.1, 0.1, 0.8),
}


@pytest.fixture
def store() -> Iterator[Store]:
    settings = Settings()
    with Store(settings.db_path) as s:
        for key, (title, sentences) in PAPERS.items():
            # one sentence per passage, so each paper's sentences are scored apart
            for i, sentence in enumerate(sentences):
                add_paper(s, f"{key}" if i == 0 else f"{key}-{i}", title, [sentence])
        yield s


def checker(store: Store, rules: dict[str, tuple[float, float, float]] = RULES) -> Checker:
    settings = Settings()
    retriever = Retriever(store, HashingEmbedder(), settings)
    return Checker(store, retriever, PhraseScorer(rules), settings)


def test_supported_with_matching_numbers(store: Store) -> None:
    verdict = checker(store).check(
        "Intermediate training on SQuAD improves XLM-R Large by 5.4 points", ["phang"]
    )
    assert verdict.label is Label.SUPPORTED
    assert verdict.confidence == pytest.approx(0.9)
    assert verdict.numeric is not None and verdict.numeric.status is NumericStatus.CONSISTENT
    assert verdict.papers[0].paper_id == "phang"
    assert "5.4 points" in verdict.evidence[0].passage.text  # strongest evidence first


def test_a_wrong_number_refutes_what_the_text_would_support(store: Store) -> None:
    verdict = checker(store).check(
        "Intermediate training on SQuAD improves XLM-R Large by 8.2 points", ["phang"]
    )
    assert verdict.label is Label.REFUTED
    assert verdict.numeric is not None
    assert verdict.numeric.status is NumericStatus.CONTRADICTED
    assert verdict.numeric.conflicting == ("5.4 points",)


def test_a_number_the_evidence_lacks_is_not_supported(store: Store) -> None:
    rules = {"Gains are largest on Tatoeba": (0.95, 0.03, 0.02)}
    verdict = checker(store, rules).check("Gains on Tatoeba reach 12%", ["phang-1"])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert verdict.numeric is not None and verdict.numeric.missing == ("12%",)


def test_papers_that_disagree_are_a_conflict(store: Store) -> None:
    verdict = checker(store).check(
        "Intermediate-task training on SQuAD improves XLM-R Large on XTREME by 5.4 points"
    )
    labels = {p.paper_id: p.label for p in verdict.papers}
    assert labels["phang"] is Label.SUPPORTED and labels["other-1"] is Label.REFUTED
    assert verdict.conflict
    assert verdict.label is Label.SUPPORTED  # 0.9 beats 0.8


def test_nothing_relevant_is_not_enough_info(store: Store) -> None:
    verdict = checker(store, {}).check("Robins sing earlier under street lights")
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert all(p.label is Label.NOT_ENOUGH_INFO for p in verdict.papers)


def test_premise_carries_the_title(store: Store) -> None:
    check = checker(store)
    check.check("Robins sing at dawn", ["birds"])
    scorer = check.scorer
    assert isinstance(scorer, PhraseScorer)
    assert (
        scorer.pairs[0][0] == "Birdsong at dawn. Robins sing earlier in cities with street lights."
    )


def test_each_sentence_is_scored_and_the_deciding_one_quoted(tmp_path: Path) -> None:
    settings = Settings()
    with Store(settings.db_path) as s:
        add_paper(s, "multi", "Three sentences", [
            "Robins sing at dawn.", "Owls hunt at night.", "Sparrows nest in towns.",
        ])  # fmt: skip
        check = checker(s, {"Owls hunt": (0.8, 0.1, 0.1)})
        verdict = check.check("Owls are nocturnal hunters", ["multi"])
    (evidence,) = verdict.evidence
    assert evidence.quote == "Owls hunt at night." and evidence.entailment == 0.8
    assert len(check.scorer.pairs) == 3  # type: ignore[attr-defined]


def test_unknown_paper_says_how_to_add_it(store: Store) -> None:
    with pytest.raises(SynthError, match="no such paper") as err:
        checker(store).check("Anything at all", ["2901.99999"])
    assert "synth fetch 2901.99999" in str(err.value)


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        ("   ", "empty"),
        ("x" * 1001, "characters"),
        ("Le modèle est plus rapide que les autres et il est très bon", "French"),
    ],
)
def test_bad_claims_are_refused(store: Store, claim: str, message: str) -> None:
    with pytest.raises(SynthError, match=message):
        checker(store).check(claim)


def test_verdict_json_has_the_documented_shape(store: Store) -> None:
    verdict = checker(store).check("XLM-R Large gains 5.4 points on XTREME", ["phang"])
    data = json.loads(json.dumps(verdict_json(verdict, id="c1")))
    jsonschema.validate(data, SCHEMAS["verdict"])
    assert data["schema"] == "synth.verdict/1" and data["id"] == "c1"
    first = data["evidence"][0]
    assert first["quote"] in first["text"]
    assert data["model"] == "phrase-scorer"


# A head reading the strongest sentence's entailment and contradiction log-odds.
HEAD = Head(("entail", "contradict"), ((2.0, 0.0, 0.0), (0.0, 2.0, 0.0), (0.0, 0.0, 1.0)))


def test_a_verdict_head_decides_with_calibrated_probabilities(store: Store) -> None:
    settings = Settings()
    retriever = Retriever(store, HashingEmbedder(), settings)
    check = Checker(store, retriever, PhraseScorer(RULES), settings, HEAD)
    verdict = check.check(
        "Intermediate training on SQuAD improves XLM-R Large by 5.4 points", ["phang"]
    )
    paper = verdict.papers[0]
    assert verdict.label is Label.SUPPORTED and paper.probabilities is not None
    # entail 0.9 -> logit 2.197, contra 0.05 -> logit -2.944: softmax(4.394, -5.889, 1)
    z = np.array([2 * math.log(9), 2 * math.log(0.05 / 0.95), 1.0])
    expected = np.exp(z) / np.exp(z).sum()
    assert paper.probabilities == pytest.approx(tuple(expected), abs=1e-4)
    assert verdict.confidence == pytest.approx(expected[0], abs=1e-4)


def test_a_head_only_scores_whole_passages_when_it_reads_them(scifact_store: Store) -> None:
    settings = Settings()
    scorer = PhraseScorer(RULES)
    retriever = Retriever(scifact_store, HashingEmbedder(), settings)
    with_passages = Head(("passage_entail",), ((1.0, 0.0), (0.0, 0.0), (0.0, 0.0)))
    seen = []
    for head in (HEAD, with_passages):
        scorer.pairs.clear()
        Checker(scifact_store, retriever, scorer, settings, head).check("Coffee lowers recall",
                                                                        ["202"])  # fmt: skip
        seen.append(len(scorer.pairs))
    assert seen[0] > 1 and seen[1] == seen[0] + 1  # paper 202: one passage of sentences


def test_a_one_sentence_passage_is_scored_once(store: Store) -> None:
    # whole, the passage is the same premise as its sentence: scored once, used twice
    settings = Settings()
    scorer = PhraseScorer(RULES)
    with_passages = Head(("passage_entail",), ((1.0, 0.0), (0.0, 0.0), (0.0, 0.0)))
    Checker(store, Retriever(store, HashingEmbedder(), settings), scorer, settings,
            with_passages).check("improves XLM-R Large by 5.4 points", ["phang"])  # fmt: skip
    assert len(scorer.pairs) == 1


def test_calibration_features_are_computed_as_the_head_will_compute_them(
    scifact_store: Store,
) -> None:
    # a head is fitted before it exists: the checker computes the features it will read
    settings = Settings()
    scorer = PhraseScorer(RULES)
    retriever = Retriever(scifact_store, HashingEmbedder(), settings)
    seen = []
    for features in ((), ("passage_entail",)):
        scorer.pairs.clear()
        Checker(scifact_store, retriever, scorer, settings, features=features).check(
            "Coffee lowers recall", ["202"]
        )
        seen.append(len(scorer.pairs))
    assert seen[1] == seen[0] + 1


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_the_configured_verifier_computes_in_the_set_precision(
    tiny_model: Path, tmp_path: Path, precision: str
) -> None:
    settings = Settings.model_validate(
        {"home": tmp_path / "home", "verify": {"model": str(tiny_model), "precision": precision}}
    )
    with Store(tmp_path / "db.sqlite") as store:
        checker = configured_checker(store, settings, embedder=HashingEmbedder())
        assert isinstance(checker.scorer, HFNLIScorer)
        assert checker.scorer.precision == precision

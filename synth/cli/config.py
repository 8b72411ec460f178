"""The config file: ``synth config show`` and ``synth config set``."""

from __future__ import annotations

import json

import typer

from synth.cli.common import app, console, handles_errors, load_settings, options
from synth.cli.words import Worded, WordedGroup

config_app = typer.Typer(
    cls=WordedGroup,
    help="Show the effective settings, or set one in the config file.",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")


@config_app.command("show", cls=Worded)
@handles_errors
def show(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Show every setting's effective value and where it came from: an override
    (--config), the environment (SYNTH_*), the config file, or the default.

    Example: synth config show --json
    """
    from rich.markup import escape

    from synth.core.settings import origins

    path, found = origins(load_settings(), options().overrides())
    if as_json:
        payload = {
            "config_file": str(path),
            "exists": path.is_file(),
            "settings": [
                {"key": o.key, "value": o.value, "source": o.source, "where": o.where}
                for o in found
            ],
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    out = console()
    out.print(f"config file: {escape(str(path))}" + ("" if path.is_file() else " (none yet)"),
              soft_wrap=True)  # fmt: skip
    width = max(len(o.key) for o in found)
    for o in found:
        value = "unset" if o.value is None else json.dumps(o.value, ensure_ascii=False)
        source = o.source if o.where is None or o.source == "file" else f"{o.source} {o.where}"
        out.print(f"{o.key:<{width}}  {escape(value)}  [dim]({escape(source)})[/dim]",
                  soft_wrap=True)  # fmt: skip


@config_app.command("set", cls=Worded)
@handles_errors
def set_(
    key: str = typer.Argument(..., metavar="KEY", help="A setting: verify.threshold, home..."),
    value: str = typer.Argument(..., metavar="VALUE", help="Its value, checked against its type."),
) -> None:
    """Set one key in the config file (SYNTH_HOME/synth.toml, or --config), keeping the
    others; the value is checked first, and the file is written whole or not at all.

    Example: synth config set verify.threshold 0.5
    """
    from synth.core.config_file import set_value
    from synth.core.settings import find_config, setting_fields

    path, _ = find_config(options().overrides())  # a named file that is not there is made
    written = set_value(path, key, value, setting_fields())
    shown = json.dumps(str(written) if not isinstance(written, int | float) else written)
    console().print(f"{key} = {shown} in {path}", soft_wrap=True, markup=False)

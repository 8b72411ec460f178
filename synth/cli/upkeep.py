"""Keeping a home in order: ``synth index`` (embed and index the corpus ahead of the
first check) and ``synth cache list|clear`` (downloaded PDFs, SNLI, the Hugging Face hub)."""

from __future__ import annotations

import json

import typer

from synth.cli.common import app, console, handles_errors, session
from synth.cli.words import Worded, WordedGroup

cache_app = typer.Typer(
    cls=WordedGroup, help="List and clear the download caches.", no_args_is_help=True
)
app.add_typer(cache_app, name="cache")


@app.command(cls=Worded)
@handles_errors
def index() -> None:
    """Embed the corpus and build the search index ahead of the first check.

    Embeds every passage that has no vector yet (a large corpus takes minutes; progress on
    stderr), then brings the index up to date.

    Example: synth add corpus.jsonl && synth index
    """
    with session() as s:
        done = s.index()
    rebuilt = f"; rebuilt: {done.rebuilt_because}" if done.rebuilt_because else ""
    console().print(
        f"{done.passages} passages indexed ({done.embedded} embedded now) with {done.model} "
        f"-> {done.path}{rebuilt}",
        soft_wrap=True,
    )


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return ""  # pragma: no cover  (the loop always returns)


@cache_app.command("list", cls=Worded)
@handles_errors
def cache_list(
    as_json: bool = typer.Option(False, "--json", help="Print JSON (synth.caches/1)."),
) -> None:
    """Show each cache with its folder and size. Example: synth cache list"""
    from synth.core.serialize import caches_json

    with session() as s:
        caches = s.caches()
    if as_json:
        rows = [(c.name, c.path, c.bytes, c.files) for c in caches]
        typer.echo(json.dumps(caches_json(rows, cleared=False), indent=2))
        return
    out = console()
    for c in caches:
        out.print(f"{c.name:<5} {_size(c.bytes):>9} {c.files:>6} files  {c.path}", soft_wrap=True)


@cache_app.command("clear", cls=Worded)
@handles_errors
def cache_clear(
    which: str = typer.Argument(
        "all", metavar="CACHE", help="pdf, snli, hub, or all (pdf and snli; never hub)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (synth.caches/1)."),
) -> None:
    """Delete a cache; what it held is downloaded again when needed. The Hugging Face hub
    cache, shared with other programs, is cleared only when named.

    Example: synth cache clear pdf
    """
    from synth.core.serialize import caches_json

    with session() as s:
        cleared = s.clear_cache(which)
    if as_json:
        rows = [(c.name, c.path, c.bytes, c.files) for c in cleared]
        typer.echo(json.dumps(caches_json(rows, cleared=True), indent=2))
        return
    for c in cleared:
        console().print(f"cleared {c.name}: {_size(c.bytes)} in {c.files} files ({c.path})",
                        soft_wrap=True)  # fmt: skip

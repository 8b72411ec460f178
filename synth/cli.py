"""The ``synth`` command line: a thin layer over the library.

Heavy modules are imported inside the commands, so ``synth --help`` stays instant.
Every :class:`~synth.errors.SynthError` is printed on one line with its hint, exit code 1.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from synth.ingest import Outcome, ProgressSink
    from synth.settings import Settings
    from synth.store import Store
    from synth.types import Paper

app = typer.Typer(
    help="Check what scientific writing claims against the papers it cites.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
corpus_app = typer.Typer(help="List, show and remove stored papers.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

F = TypeVar("F", bound=Callable[..., Any])


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def handles_errors(command: F) -> F:
    """Print a SynthError as one line (message — hint) and exit 1; Ctrl-C exits 130."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from synth.errors import SynthError

        try:
            return command(*args, **kwargs)
        except SynthError as exc:
            _console(stderr=True).print(f"[red]error:[/red] {exc}", markup=True, soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            _console(stderr=True).print(
                "[yellow]interrupted:[/yellow] papers finished so far are stored; "
                "run the same command again to continue",
                soft_wrap=True,
            )
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _settings() -> Settings:
    from pydantic import ValidationError

    from synth.errors import SynthError
    from synth.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SynthError(
            f"bad setting {'.'.join(str(p) for p in first['loc'])}: {first['msg']}",
            "fix the SYNTH_* environment variable",
        ) from exc


@contextmanager
def _store(settings: Settings) -> Iterator[Store]:
    from synth.store import Store

    store = Store(settings.db_path)
    try:
        yield store
    finally:
        store.close()


def _version(value: bool) -> None:
    if value:
        from synth import __version__

        typer.echo(f"synth {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Check what scientific writing claims against the papers it cites."""


def _report(run: Callable[[ProgressSink], Iterable[Outcome]]) -> None:
    """Run an ingest with progress bars on stderr and print one line per outcome (only
    the first 20 of each kind, then counts); exit 1 when nothing could be added."""
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TaskID, TextColumn

    from synth.store import AddStatus

    out, err = _console(), _console(stderr=True)
    marks = {
        AddStatus.ADDED: "[green]✓ added[/green]",
        AddStatus.UPDATED: "[green]✓ updated[/green]",
        AddStatus.UNCHANGED: "[dim]= already stored[/dim]",
    }
    counts: dict[str, int] = {}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), console=err, transient=True
    ) as bars:
        tasks: dict[str, TaskID] = {}

        class Sink:
            def update(self, task: str, done: float, total: float | None) -> None:
                if task not in tasks:
                    tasks[task] = bars.add_task(task, total=total)
                bars.update(tasks[task], completed=done, total=total)

        for outcome in run(Sink()):
            key = outcome.status.value if outcome.status else "failed"
            counts[key] = counts.get(key, 0) + 1
            if outcome.error is not None:
                err.print(f"[red]✗[/red] {escape(str(outcome.error))}", soft_wrap=True)
            elif outcome.status and outcome.paper and counts[key] <= 20:
                paper = outcome.paper
                size = f" ({outcome.passages} passages)" if outcome.passages else ""
                note = f" [yellow]{escape(paper.note)}[/yellow]" if paper.note else ""
                out.print(
                    f"{marks[outcome.status]} {escape(paper.paper_id)}: "
                    f"{escape(paper.title[:80])}{size}{note}",
                    soft_wrap=True,
                )
    total = sum(counts.values())
    out.print(
        f"{total} item(s): " + (", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "none")
    )
    if total and counts.get("failed", 0) == total:
        raise typer.Exit(1)


@app.command()
@handles_errors
def fetch(
    ids: list[str] = typer.Argument(
        ..., help="arXiv ids (2005.13013, 2005.13013v1) or arxiv.org URLs."
    ),
    refresh: bool = typer.Option(
        False, "--refresh", help="Fetch papers that are already stored again."
    ),
) -> None:
    """Fetch papers from arXiv (or the offline mirror in SYNTH_ARXIV_MIRROR) and store them.

    Example: synth fetch 2005.13013 https://arxiv.org/abs/2010.11934v3
    """
    from synth.ingest import Ingestor

    settings = _settings()
    with _store(settings) as store:
        _report(lambda sink: Ingestor(store, settings, sink).fetch_arxiv(ids, refresh))


@app.command()
@handles_errors
def add(
    paths: list[Path] = typer.Argument(..., help="PDFs, .txt/.md files, or .jsonl corpora."),
    fmt: str = typer.Option("auto", "--format", "-f", help="auto, pdf, text or jsonl."),
) -> None:
    """Add local papers: PDFs, text/Markdown files, or a JSONL corpus of abstracts.

    Example: synth add paper.pdf notes/*.pdf; synth add --format jsonl corpus.jsonl
    """
    from synth.errors import SynthError
    from synth.ingest import Ingestor
    from synth.sources.local import FORMATS

    if fmt not in FORMATS:
        raise SynthError(f"unknown format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    settings = _settings()
    with _store(settings) as store:
        _report(lambda sink: Ingestor(store, settings, sink).add_paths(paths, fmt))


def _paper_json(paper: Paper, passages: int | None = None) -> dict[str, Any]:
    data = paper.model_dump(mode="json")
    if passages is not None:
        data["passages"] = passages
    return data


@corpus_app.command("list")
@handles_errors
def corpus_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the stored papers. Example: synth corpus list --json"""
    from rich.table import Table

    settings = _settings()
    with _store(settings) as store:
        summaries = store.summaries()
    if as_json:
        typer.echo(json.dumps([_paper_json(s.paper, s.passages) for s in summaries], indent=2))
        return
    table = Table("paper_id", "title", "source", "year", "pages", "passages", "text")
    for s in summaries:
        p = s.paper
        table.add_row(
            p.paper_id,
            p.title[:60],
            p.source.value,
            str(p.year or ""),
            str(p.pages),
            str(s.passages),
            "full" if p.full_text else "abstract only",
        )
    console = _console()
    console.print(table)
    console.print(f"{len(summaries)} paper(s) in {settings.db_path}")


@corpus_app.command("show")
@handles_errors
def corpus_show(
    ref: str = typer.Argument(..., help="A paper_id, content id, or arXiv id."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the paper and all its passages as JSON."
    ),
    limit: int = typer.Option(20, "--limit", help="Passages to show in the table (0: all)."),
) -> None:
    """Show a paper and its passages with page and offsets.

    Example: synth corpus show 2005.13013 --json
    """
    from rich.markup import escape
    from rich.table import Table

    settings = _settings()
    with _store(settings) as store:
        paper = store.require(ref)
        passages = store.passages(paper)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "paper": _paper_json(paper),
                    "passages": [p.model_dump(mode="json") for p in passages],
                },
                indent=2,
            )
        )
        return
    console = _console()
    console.print(f"[bold]{escape(paper.title)}[/bold]")
    console.print(
        f"paper_id {escape(paper.paper_id)} · id {paper.id} · {paper.source.value}"
        + (f" · {paper.year}" if paper.year else "")
    )
    if paper.authors:
        console.print(escape(", ".join(paper.authors)))
    if paper.url or paper.path:
        console.print(escape(paper.url or paper.path or ""))
    if paper.note:
        console.print(f"[yellow]{escape(paper.note)}[/yellow]")
    table = Table("page", "section", "offsets", "text")
    shown = passages if limit <= 0 else passages[:limit]
    for p in shown:
        table.add_row(str(p.page_start), p.section[:24], f"{p.char_start}-{p.char_end}", p.text)
    console.print(table)
    console.print(f"{len(shown)} of {len(passages)} passage(s)")


@corpus_app.command("remove")
@handles_errors
def corpus_remove(
    ref: str = typer.Argument(..., help="A paper_id, content id, or arXiv id."),
) -> None:
    """Remove a paper with its pages and passages. Example: synth corpus remove paper.pdf"""
    settings = _settings()
    with _store(settings) as store:
        paper = store.require(ref)
        store.remove(paper)
    _console().print(f"removed {paper.paper_id}")


@app.command()
@handles_errors
def info() -> None:
    """Show where synth keeps its state and what the corpus holds."""
    settings = _settings()
    with _store(settings) as store:
        papers, passages = len(store.summaries()), store.count_passages()
    console = _console()
    console.print(f"home       {settings.home}")
    console.print(f"database   {settings.db_path}  ({papers} papers, {passages} passages)")
    console.print(f"pdf cache  {settings.pdf_cache}")
    console.print(
        f"arXiv      {settings.arxiv.mirror or 'live API (set SYNTH_ARXIV_MIRROR for a mirror)'}"
    )

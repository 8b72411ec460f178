"""What every command shares: the Typer apps, settings and store helpers, error printing,
and the progress/outcome report of an ingest."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from synth.api import Session
    from synth.core.progress import ProgressSink
    from synth.core.settings import Settings
    from synth.corpus.ingest import Outcome

app = typer.Typer(
    help="Check what scientific writing claims against the papers it cites.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
corpus_app = typer.Typer(help="List, show and remove stored papers.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

F = TypeVar("F", bound=Callable[..., Any])


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def handles_errors(command: F) -> F:
    """Print a SynthError as one line (message — hint) and exit 1; Ctrl-C exits 130."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from synth.core.errors import SynthError

        try:
            return command(*args, **kwargs)
        except SynthError as exc:
            from rich.markup import escape

            console(stderr=True).print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            console(stderr=True).print(
                "[yellow]interrupted:[/yellow] what was finished (papers, run phases) is kept; "
                "run the same command again to continue",
                soft_wrap=True,
            )
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def load_settings() -> Settings:
    """The settings from the ``SYNTH_*`` environment (a bad value is a one-line error)."""
    from synth.api import open as open_session

    return open_session().settings


@contextmanager
def session() -> Iterator[Session]:
    """A library session with progress bars on stderr and its notes (an index rebuilt...)
    printed as one yellow line each; closed at the end."""
    from synth.api import Session

    settings = load_settings()
    with progress_sink() as sink, Session(settings, progress=sink) as opened:
        yield opened


class _Notes(logging.Handler):
    """synth's warnings as ``note:`` lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        console(stderr=True).print(f"[yellow]note:[/yellow] {record.getMessage()}", soft_wrap=True)


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
    logger = logging.getLogger("synth")
    if not any(isinstance(h, _Notes) for h in logger.handlers):
        logger.addHandler(_Notes())
        logger.propagate = False


@contextmanager
def progress_sink() -> Iterator[ProgressSink]:
    """Progress bars on stderr, one per task name, gone when the work ends."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console(stderr=True),
        transient=True,
    ) as bars:
        tasks: dict[str, TaskID] = {}

        class Sink:
            def update(self, task: str, done: float, total: float | None) -> None:
                if task not in tasks:
                    tasks[task] = bars.add_task(task, total=total)
                bars.update(tasks[task], completed=done, total=total)

        yield Sink()


@contextmanager
def _stops_at_store_failure(counts: dict[str, int]) -> Iterator[None]:
    """A database failure (disk full, damaged, read-only) ends an ingest in one line that
    says how many papers were stored before it."""
    from synth.core.errors import StoreFailure

    try:
        yield
    except StoreFailure as exc:
        stored = sum(n for key, n in counts.items() if key != "failed")
        raise StoreFailure(f"{exc.message}: {stored} papers stored", exc.hint) from exc


def report_outcomes(run: Callable[[Session], Iterable[Outcome]]) -> None:
    """Run an ingest in a session (progress bars on stderr) and print one line per outcome
    (only the first 20 of each kind, then counts); exit 1 when nothing could be added."""
    from rich.markup import escape

    from synth.core.types import AddStatus

    out, err = console(), console(stderr=True)
    marks = {
        AddStatus.ADDED: "[green]✓ added[/green]",
        AddStatus.UPDATED: "[green]✓ updated[/green]",
        AddStatus.UNCHANGED: "[dim]= already stored[/dim]",
    }
    counts: dict[str, int] = {}
    with session() as opened, _stops_at_store_failure(counts):
        for outcome in run(opened):
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

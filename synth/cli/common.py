"""What every command shares: the Typer apps, settings and store helpers, error printing,
and the progress/outcome report of an ingest."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from synth.cli.words import WordedGroup

if TYPE_CHECKING:
    from rich.console import Console

    from synth.api import Session
    from synth.core.progress import ProgressSink
    from synth.core.settings import Settings
    from synth.corpus.ingest import Outcome

app = typer.Typer(
    cls=WordedGroup,
    help="Check what scientific writing claims against the papers it cites.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)
corpus_app = typer.Typer(
    cls=WordedGroup, help="List, show and remove stored papers.", no_args_is_help=True
)
app.add_typer(corpus_app, name="corpus")

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("synth")
TITLE_WIDTH = 80


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


@dataclass(frozen=True)
class Options:
    """The global options given before the command.

    Attributes:
        quiet: ``-q``: only results and errors.
        verbose: ``-v``: debug lines too.
        config: ``--config``: the config file instead of ``SYNTH_HOME/synth.toml``.
    """

    quiet: bool = False
    verbose: bool = False
    config: Path | None = None

    def overrides(self) -> dict[str, Any]:
        """The settings these options override (the config file, when named)."""
        return {"config": self.config} if self.config else {}


_OPTIONS: ContextVar[Options | None] = ContextVar("synth_cli_options", default=None)


def options() -> Options:
    """The global options of the running command (the defaults outside one)."""
    return _OPTIONS.get() or Options()


def load_settings() -> Settings:
    """The settings from ``--config``, the ``SYNTH_*`` environment and the config file
    (a bad value is a one-line error)."""
    from synth.api import open as open_session

    settings = open_session(**options().overrides()).settings
    log.debug("settings: home %s, hash %s", settings.home, settings.retrieval_hash())
    return settings


@contextmanager
def session() -> Iterator[Session]:
    """A library session with progress bars on stderr and its notes (an index rebuilt...)
    printed as one yellow line each; closed at the end."""
    from synth.api import Session

    settings = load_settings()
    with progress_sink() as sink, Session(settings, progress=sink) as opened:
        yield opened


class _Notes(logging.Handler):
    """synth's log as lines on stderr: warnings as ``note:``, phases of long work plain,
    debug lines (``-v``) dim."""

    def emit(self, record: logging.LogRecord) -> None:
        from rich.markup import escape

        message = escape(record.getMessage())
        if record.levelno >= logging.ERROR:
            line = f"[red]error:[/red] {message}"
        elif record.levelno >= logging.WARNING:
            line = f"[yellow]note:[/yellow] {message}"
        elif record.levelno >= logging.INFO:
            line = message  # a phase of long work ("training: ...")
        else:
            line = f"[dim]debug: {message}[/dim]"
        console(stderr=True).print(line, soft_wrap=True)


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
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only results and errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print debug lines too."),
    config: Path | None = typer.Option(
        None,
        "--config",
        metavar="PATH",
        help="The config file (default: SYNTH_CONFIG, else SYNTH_HOME/synth.toml).",
    ),
) -> None:
    """Check what scientific writing claims against the papers it cites."""
    if quiet and verbose:
        raise typer.BadParameter("cannot be used with -v/--verbose", param_hint="'-q/--quiet'")
    _OPTIONS.set(Options(quiet=quiet, verbose=verbose, config=config))
    if not any(isinstance(h, _Notes) for h in log.handlers):
        log.addHandler(_Notes())
        log.propagate = False
    log.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO)


@contextmanager
def progress_sink() -> Iterator[ProgressSink]:
    """Where long work reports progress: nothing under ``-q``; on a terminal, bars with
    rate and time left, gone when the work ends; in a log (stderr not a terminal), a few
    lines per long task (start, every 10% or 30 s, end) and never a line per record."""
    from synth.core.progress import NoProgress, ProgressLog

    err = console(stderr=True)
    if options().quiet:
        yield NoProgress()
    elif not err.is_terminal:
        lines = ProgressLog(lambda line: err.print(line, markup=False, soft_wrap=True))
        try:
            yield lines
        finally:
            lines.close()
    else:
        with _bars(err) as sink:
            yield sink


@contextmanager
def _bars(err: Console) -> Iterator[ProgressSink]:
    """Progress bars on ``err``, one per task name: done of total, rate, elapsed, left."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    from synth.core.progress import rate

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(rate(task.speed) if task.speed else "", style="progress.data.speed")

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=20),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bars:
        tasks: dict[str, TaskID] = {}

        class Sink:
            def update(self, task: str, done: float, total: float | None) -> None:
                if task not in tasks:
                    tasks[task] = bars.add_task(task, total=total)
                bars.update(tasks[task], completed=done, total=total)

        yield Sink()


def clip(text: str, width: int = TITLE_WIDTH) -> str:
    """``text`` cut to ``width`` characters, an ellipsis marking the cut.

    Args:
        text: A title or other one-line text.
        width: The most characters shown, the ellipsis included.

    Returns:
        The text, whole when it fits.
    """
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def plural(count: int, noun: str) -> str:
    """``1 passage``, ``2 passages``.

    Args:
        count: How many.
        noun: The singular noun (plural with an ``s``).

    Returns:
        The count and the noun.
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"


NO_TEXT = "stored without text"


def _kind(outcome: Outcome) -> str:
    """How an outcome is counted: failed, stored without text, or its status."""
    from synth.core.types import AddStatus

    if outcome.status is None:
        return "failed"
    if outcome.status is not AddStatus.UNCHANGED and outcome.passages == 0:
        return NO_TEXT  # stored, but nothing in it can be checked: not a success
    return outcome.status.value


def report_outcomes(run: Callable[[Session], Iterable[Outcome]]) -> None:
    """Run an ingest in a session (progress bars on stderr) and print one line per outcome
    (only the first 20 of each success, then counts; every failure, and every paper stored
    with no text to check); exit 1 when nothing usable was added."""
    from rich.markup import escape

    from synth.core.types import AddStatus

    out, err = console(), console(stderr=True)
    marks = {
        AddStatus.ADDED: "[green]✓ added[/green]",
        AddStatus.UPDATED: "[green]✓ updated[/green]",
        AddStatus.UNCHANGED: "[dim]= already stored[/dim]",
    }
    counts: dict[str, int] = {}
    quiet = options().quiet  # the counts and the failures still print
    with session() as opened:
        outcomes = list(run(opened))
    for outcome in outcomes:
        key = _kind(outcome)
        counts[key] = counts.get(key, 0) + 1
        paper = outcome.paper
        if outcome.error is not None:
            err.print(f"[red]✗[/red] {escape(str(outcome.error))}", soft_wrap=True)
        elif key == NO_TEXT and paper:
            err.print(
                f"[yellow]![/yellow] {escape(paper.paper_id)}: {escape(clip(paper.title))} — "
                "stored, but no text found (a scanned PDF? only headings?): no claim can be "
                "checked against it",
                soft_wrap=True,
            )
        elif outcome.status and paper and counts[key] <= 20 and not quiet:
            size = f" ({plural(outcome.passages, 'passage')})" if outcome.passages else ""
            note = f" [yellow]{escape(paper.note)}[/yellow]" if paper.note else ""
            out.print(
                f"{marks[outcome.status]} {escape(paper.paper_id)}: "
                f"{escape(clip(paper.title))}{size}{note}",
                soft_wrap=True,
            )
    total = sum(counts.values())
    out.print(
        f"{total} item(s): " + (", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "none")
    )
    if total and counts.get("failed", 0) + counts.get(NO_TEXT, 0) == total:
        raise typer.Exit(1)

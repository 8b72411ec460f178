"""Reports: ``synth audit`` (re-verify an existing synthesis report) and ``synth report``
(write a verified synthesis). Both write reports/<slug>/report.{md,json,html}."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from synth.cli.common import app, console, handles_errors, session
from synth.cli.words import Worded

if TYPE_CHECKING:
    from synth.core.types import Report

_OUT_DIR = typer.Option(Path("reports"), "--out-dir", help="Reports go to OUT_DIR/<slug>/.")
_SLUG = typer.Option(
    None, metavar="NAME", help="The report's folder name (default: from its title)."
)
_JSON = typer.Option(False, "--json", help="Also print the report's JSON to stdout.")


def _finish(report: Report, folder: Path, as_json: bool) -> None:
    """Write the three files, show the outcome, and exit 1 when nothing could be checked."""
    from synth.api import Session
    from synth.core.serialize import report_json

    paths = Session.write_report(report, folder)
    if as_json:
        typer.echo(json.dumps(report_json(report), indent=2, ensure_ascii=False))
    show_report(report, stderr=as_json)
    console(stderr=as_json).print(
        f"report written to {paths['html'].parent}/ (report.md, report.json, report.html)",
        soft_wrap=True,
    )
    checked = any(c.verdict.papers for c in report.claims)
    if not checked:
        raise typer.Exit(1)


def show_report(report: Report, stderr: bool = False) -> None:
    """A table of the claims (report mark beside synth's verdict), then references and
    problems."""
    from rich.markup import escape
    from rich.table import Table

    from synth.cli.check import LABEL_COLOURS

    out = console(stderr=stderr)
    table = Table("#", "claim", "report", "synth", "conf.", "agree", title=escape(report.title))
    marks = {True: "✓", False: "×", None: "-"}
    for number, claim in enumerate(report.claims, start=1):
        label = claim.verdict.label.value
        tag = " [dim](recovered)[/dim]" if claim.recovered_text else ""
        tag = " [magenta](partial)[/magenta]" if claim.partial else tag
        shown = claim.recovered_text or claim.text
        conf = "" if claim.report_confidence is None else f" {claim.report_confidence:.2f}"
        table.add_row(
            str(number), escape(shown[:90] + ("…" if len(shown) > 90 else "")) + tag,
            marks[claim.report_mark] + conf, f"[{LABEL_COLOURS[label]}]{label}[/]",
            f"{claim.verdict.confidence:.2f}", marks[claim.agreement],
        )  # fmt: skip
    if report.claims:
        out.print(table)
    for ref in report.references:
        state = f"[green]✓[/green] {escape(ref.paper_id or '')}" if ref.resolved else "[red]✗[/red]"
        why = f" — {escape(ref.why)}" if ref.why else ""
        out.print(f"{state} {escape(ref.ref)}{why}", soft_wrap=True)
    for problem in report.problems:
        out.print(f"[yellow]![/yellow] {escape(problem.message)}", soft_wrap=True)


@app.command(cls=Worded)
@handles_errors
def audit(
    path: Path = typer.Argument(..., help="A synthesis report: text or Markdown."),
    out_dir: Path = _OUT_DIR,
    slug: str | None = _SLUG,
    as_json: bool = _JSON,
) -> None:
    """Re-verify every claim of a synthesis report against the papers it cites.

    Example: synth audit report.txt
    """
    from synth.core.files import slugify

    with session() as s:
        report = s.audit(path)
    if report.problems and not report.claims:
        message = report.problems[0].message
        console(stderr=True).print(f"[red]error:[/red] {message}", soft_wrap=True)
    _finish(report, out_dir / (slug or f"audit-{slugify(path.stem)}"), as_json)


@app.command("report", cls=Worded)
@handles_errors
def report_command(
    question: str | None = typer.Option(None, "--question", "-q", help="The research question."),
    paper: list[str] = typer.Option(
        [],
        "--paper",
        "-p",
        metavar="ID",
        help="A paper to synthesise: arXiv id/URL or stored paper (repeatable).",
    ),
    from_report: Path | None = typer.Option(
        None, "--from", help="Take the question and references from an existing report."
    ),
    generator: str | None = typer.Option(
        None,
        "--generator",
        metavar="NAME",
        help="A built-in generator adding checked sentences: openai "
        "(an OpenAI-compatible endpoint, SYNTH_REPORT_LLM_URL/_MODEL); default none.",
    ),
    out_dir: Path = _OUT_DIR,
    slug: str | None = _SLUG,
    as_json: bool = _JSON,
) -> None:
    """Write a verified synthesis of papers, every sentence cited with checked evidence.

    Key claims of each paper are checked against it and grouped by theme.
    Example: synth report -q "Does model scale beat intermediate training?" -p 2005.13013
    """
    from synth.core.files import slugify

    with session() as s:
        report = s.synthesize(question, paper, from_report=from_report, generator=generator)
    _finish(report, out_dir / (slug or slugify(report.title)), as_json)

"""Reports: ``synth audit`` (re-verify an existing synthesis report) and ``synth report``
(write a verified synthesis). Both write reports/<slug>/report.{md,json,html}."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from synth.cli.common import app, console, handles_errors, load_settings, open_store, progress_sink

if TYPE_CHECKING:
    from synth.core.settings import Settings
    from synth.core.types import Report
    from synth.report.parse import ParsedReport

_OUT_DIR = typer.Option(Path("reports"), "--out-dir", help="Reports go to OUT_DIR/<slug>/.")
_SLUG = typer.Option(None, help="The report's folder name (default: from its title).")
_JSON = typer.Option(False, "--json", help="Also print the report's JSON to stdout.")


def _read(path: Path, settings: Settings) -> ParsedReport:
    from synth.report.parse import parse_report, read_report

    return parse_report(
        read_report(path, settings.report.max_report_mb), settings.report.max_claims
    )


def _unreadable(source: str, title: str, problem: str, settings: Settings) -> Report:
    """The report of an input synth could not read: nothing checked, and why."""
    from synth.core.types import Report, ReportKind

    return Report(
        kind=ReportKind.AUDIT, source=source, title=title, question="", problems=(problem,),
        model=settings.verify.model, settings_hash=settings.retrieval_hash(),
    )  # fmt: skip


def _finish(report: Report, folder: Path, as_json: bool) -> None:
    """Write the three files, show the outcome, and exit 1 when nothing could be checked."""
    from synth.report.export import report_json
    from synth.report.output import write_report

    paths = write_report(report, folder)
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
        out.print(f"[yellow]![/yellow] {escape(problem)}", soft_wrap=True)


@app.command()
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
    from synth.cli.check import prepared_checker
    from synth.core.errors import SynthError
    from synth.corpus.ingest import Ingestor
    from synth.report.audit import Auditor
    from synth.report.output import slugify
    from synth.report.references import resolve_references
    from synth.report.reproductions import find_reproduction

    settings = load_settings()
    folder = out_dir / (slug or f"audit-{slugify(path.stem)}")
    try:
        parsed = _read(path, settings)
    except SynthError as exc:
        if not path.is_file():
            raise
        console(stderr=True).print(f"[red]error:[/red] {exc}", soft_wrap=True)
        _finish(_unreadable(str(path), path.name, str(exc), settings), folder, as_json)
        return
    with open_store(settings) as store, progress_sink() as sink:
        references = resolve_references(
            [r.ref for r in parsed.references], store, Ingestor(store, settings, sink).fetch_arxiv
        )
        checker = prepared_checker(store, settings, sink, any(r.resolved for r in references))
        experiments = functools.partial(find_reproduction, settings.home)
        report = Auditor(store, checker, sink, experiments).audit(parsed, str(path), references)
    _finish(report, folder, as_json)


@app.command("report")
@handles_errors
def report_command(
    question: str | None = typer.Option(None, "--question", "-q", help="The research question."),
    paper: list[str] = typer.Option(
        [],
        "--paper",
        "-p",
        help="A paper to synthesise: arXiv id/URL or stored paper (repeatable).",
    ),
    from_report: Path | None = typer.Option(
        None, "--from", help="Take the question and references from an existing report."
    ),
    out_dir: Path = _OUT_DIR,
    slug: str | None = _SLUG,
    as_json: bool = _JSON,
) -> None:
    """Write a verified synthesis of papers, every sentence cited with checked evidence.

    Key claims of each paper are checked against it and grouped by theme.
    Example: synth report -q "Does model scale beat intermediate training?" -p 2005.13013
    """
    from synth.cli.check import prepared_checker
    from synth.core.errors import SynthError
    from synth.core.types import Report, ReportKind
    from synth.corpus.ingest import Ingestor
    from synth.report.output import slugify
    from synth.report.references import resolve_references
    from synth.report.synthesis import Synthesizer

    settings = load_settings()
    refs, problems, source = list(paper), [], "synth report " + " ".join(paper)
    if from_report is not None:
        parsed = _read(from_report, settings)
        question = question or parsed.question
        refs = [r.ref for r in parsed.references] + refs
        problems, source = list(parsed.problems), str(from_report)
    if not question:
        raise SynthError("no research question", 'give --question "..." (or --from REPORT)')
    if not refs:
        raise SynthError("no papers to synthesise", "give --paper ID (repeatable) or --from REPORT")
    with open_store(settings) as store, progress_sink() as sink:
        fetch = Ingestor(store, settings, sink).fetch_arxiv
        references = resolve_references(list(dict.fromkeys(refs)), store, fetch)
        papers = [store.by_paper_id(r.paper_id) for r in references if r.paper_id]
        chosen = list({p.paper_id: p for p in papers if p is not None}.values())
        checker = prepared_checker(store, settings, sink, bool(chosen))
        embedder = checker.retriever.embedder
        result = Synthesizer(checker, embedder, settings, progress=sink).synthesize(
            question, chosen
        )
    missing = [r for r in references if not r.resolved]
    if missing:
        problems.append(f"{len(missing)} of {len(references)} papers could not be resolved "
                        "(see References)")  # fmt: skip
    report = Report(
        kind=ReportKind.SYNTHESIS, source=source, title=question, question=question,
        claims=tuple(result.claims), references=tuple(references), synthesis=result.synthesis,
        problems=tuple(problems + result.problems), model=checker.scorer.name,
        settings_hash=checker.settings_hash,
    )  # fmt: skip
    _finish(report, out_dir / (slug or slugify(question)), as_json)

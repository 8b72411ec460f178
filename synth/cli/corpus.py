"""Putting papers in the corpus and looking at them: fetch, add, corpus list/show/remove, info."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from synth.cli.common import (
    app,
    console,
    corpus_app,
    handles_errors,
    report_outcomes,
    session,
)


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
    report_outcomes(lambda s: s.fetch(ids, refresh))


@app.command()
@handles_errors
def add(
    paths: list[Path] = typer.Argument(..., help="PDFs, .txt/.md files, or .jsonl corpora."),
    fmt: str = typer.Option("auto", "--format", "-f", help="auto, pdf, text or jsonl."),
) -> None:
    """Add local papers: PDFs, text/Markdown files, or a JSONL corpus of abstracts.

    Example: synth add paper.pdf notes/*.pdf; synth add --format jsonl corpus.jsonl
    """
    report_outcomes(lambda s: s.add(paths, fmt))


@corpus_app.command("list")
@handles_errors
def corpus_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the stored papers. Example: synth corpus list --json"""
    from rich.table import Table

    from synth.core.serialize import paper_json

    with session() as s:
        summaries = s.papers()
        where = s.settings.db_path
    if as_json:
        typer.echo(json.dumps([paper_json(r.paper, r.passages) for r in summaries], indent=2))
        return
    table = Table("paper_id", "title", "source", "year", "pages", "passages", "text")
    for row in summaries:
        p = row.paper
        table.add_row(
            p.paper_id,
            p.title[:60],
            p.source.value,
            str(p.year or ""),
            str(p.pages),
            str(row.passages),
            "full" if p.full_text else "abstract only",
        )
    out = console()
    out.print(table)
    out.print(f"{len(summaries)} paper(s) in {where}")


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

    from synth.core.serialize import paper_json

    with session() as s:
        paper = s.paper(ref)
        passages = s.passages(ref)
    if as_json:
        typer.echo(json.dumps(paper_json(paper, shown=passages), indent=2))
        return
    out = console()
    out.print(f"[bold]{escape(paper.title)}[/bold]")
    out.print(
        f"paper_id {escape(paper.paper_id)} · id {paper.id} · {paper.source.value}"
        + (f" · {paper.year}" if paper.year else "")
    )
    if paper.authors:
        out.print(escape(", ".join(paper.authors)))
    if paper.url or paper.path:
        out.print(escape(paper.url or paper.path or ""))
    if paper.note:
        out.print(f"[yellow]{escape(paper.note)}[/yellow]")
    table = Table("page", "section", "offsets", "text")
    shown = passages if limit <= 0 else passages[:limit]
    for p in shown:
        table.add_row(str(p.page_start), p.section[:24], f"{p.char_start}-{p.char_end}", p.text)
    out.print(table)
    out.print(f"{len(shown)} of {len(passages)} passage(s)")


@corpus_app.command("remove")
@handles_errors
def corpus_remove(
    ref: str = typer.Argument(..., help="A paper_id, content id, or arXiv id."),
) -> None:
    """Remove a paper with its pages and passages. Example: synth corpus remove paper.pdf"""
    with session() as s:
        paper = s.remove(ref)
    console().print(f"removed {paper.paper_id}")


@app.command()
@handles_errors
def info() -> None:
    """Show where synth keeps its state and what the corpus holds."""
    with session() as s:
        facts = s.info()
    out = console()
    out.print(f"home       {facts['home']}")
    out.print(
        f"database   {facts['database']}  ({facts['papers']} papers, {facts['passages']} passages)"
    )
    out.print(f"pdf cache  {facts['pdf_cache']}")
    out.print(f"arXiv      {facts['arxiv'] or 'live API (set SYNTH_ARXIV_MIRROR for a mirror)'}")
    out.print(f"verifier   {facts['verifier'] or 'not found (see synth models list)'}")

"""Putting papers in the corpus and looking at them: fetch, add, corpus list/show/remove, info.
Importing it also registers ``synth index`` and ``synth cache`` (:mod:`synth.cli.upkeep`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from synth.cli import upkeep  # noqa: F401  (registers index and cache)
from synth.cli.common import (
    NO_TEXT,
    _kind,
    app,
    console,
    corpus_app,
    handles_errors,
    report_outcomes,
    session,
)
from synth.cli.words import Worded

if TYPE_CHECKING:
    from synth.api import Session
    from synth.corpus.ingest import Outcome

_JSON = typer.Option(False, "--json", help="Print the outcome as JSON (synth.ingest/1).")


def _ingest(run: Callable[[Session], list[Outcome]], as_json: bool) -> None:
    """Run an ingest and report it: lines from report_outcomes, or one JSON document with
    the same exit code (1 when nothing usable was added)."""
    if not as_json:
        report_outcomes(run)
        return
    from synth.core.serialize import ingest_json

    with session() as opened:
        outcomes = run(opened)
    data = ingest_json([(o.ref, _kind(o), o.paper, o.passages, o.error) for o in outcomes])
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    counts = data["counts"]
    if data["total"] and counts.get("failed", 0) + counts.get(NO_TEXT, 0) == data["total"]:
        raise typer.Exit(1)


@app.command(cls=Worded)
@handles_errors
def fetch(
    ids: list[str] = typer.Argument(
        ..., metavar="ID", help="arXiv ids (2005.13013, 2005.13013v1) or arxiv.org URLs."
    ),
    refresh: bool = typer.Option(
        False, "--refresh", help="Fetch papers that are already stored again."
    ),
    as_json: bool = _JSON,
) -> None:
    """Fetch papers from arXiv (or the offline mirror in SYNTH_ARXIV_MIRROR) and store them.

    Example: synth fetch 2005.13013 https://arxiv.org/abs/2010.11934v3
    """
    _ingest(lambda s: s.fetch(ids, refresh), as_json)


@app.command(cls=Worded)
@handles_errors
def add(
    paths: list[Path] = typer.Argument(
        ..., metavar="PATH", help="PDFs, .txt/.md files, or .jsonl corpora."
    ),
    fmt: str = typer.Option(
        "auto", "--format", "-f", metavar="FORMAT", help="auto, pdf, text or jsonl."
    ),
    paper_id: str | None = typer.Option(
        None,
        "--id",
        metavar="NAME",
        help="Store the one file given under this name, not "
        "its file name (two notes.md can then both be stored).",
    ),
    as_json: bool = _JSON,
) -> None:
    """Add local papers: PDFs, text/Markdown files, or a JSONL corpus of abstracts.

    Example: synth add paper.pdf notes/*.pdf; synth add --id lab-notes.md notes.md
    """
    _ingest(lambda s: s.add(paths, fmt, paper_id), as_json)


@corpus_app.command("list", cls=Worded)
@handles_errors
def corpus_list(
    limit: int | None = typer.Option(None, "--limit", min=0, help="List at most N papers."),
    source: str | None = typer.Option(
        None, "--source", metavar="SOURCE", help="Only papers from arxiv, pdf, text or jsonl."
    ),
    search: str = typer.Option(
        "", "--search", metavar="WORDS", help="Only papers whose title or id holds every word."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print a JSON list of papers (synth.paper/1 each)."
    ),
) -> None:
    """List the stored papers (oldest first), filtered by source and words.

    Example: synth corpus list --source jsonl --search "vitamin d" --limit 20
    """
    from rich.table import Table

    from synth.core.serialize import paper_json

    with session() as s:
        summaries = s.papers(limit, source, search)
        total = s.count_papers(source, search) if limit is not None else len(summaries)
        where = s.settings.db_path
    if as_json:
        typer.echo(json.dumps([paper_json(r.paper, r.passages) for r in summaries], indent=2))
        return
    table = Table("paper_id", "title", "source", "year", "pages", "passages", "text")
    for row in summaries:
        p = row.paper
        table.add_row(
            p.paper_id,
            p.title if len(p.title) <= 60 else p.title[:59] + "…",
            p.source.value,
            str(p.year or ""),
            str(p.pages),
            str(row.passages),
            "full" if p.full_text else "abstract only",
        )
    out = console()
    out.print(table)
    shown = f"{len(summaries)} of {total}" if total != len(summaries) else str(total)
    out.print(f"{shown} paper(s) in {where}", soft_wrap=True)


@corpus_app.command("show", cls=Worded)
@handles_errors
def corpus_show(
    ref: str = typer.Argument(..., metavar="ID", help="A paper_id, content id, or arXiv id."),
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


@corpus_app.command("remove", cls=Worded)
@handles_errors
def corpus_remove(
    ref: str = typer.Argument(..., metavar="ID", help="A paper_id, content id, or arXiv id."),
) -> None:
    """Remove a paper with its pages and passages. Example: synth corpus remove paper.pdf"""
    with session() as s:
        paper = s.remove(ref)
    console().print(f"removed {paper.paper_id}")


@app.command(cls=Worded)
@handles_errors
def info(
    as_json: bool = typer.Option(False, "--json", help="Print the facts as JSON (synth.info/1)."),
) -> None:
    """Show where synth keeps its state, what the corpus holds and which verifier checks."""
    from synth.core.serialize import info_json

    with session() as s:
        facts = s.info()
    if as_json:
        typer.echo(json.dumps(info_json(facts), indent=2))
        return
    out = console()
    home = facts["home"] + ("" if Path(facts["home"]).is_dir() else "  (does not exist yet)")
    out.print(f"home       {home}", soft_wrap=True)
    held = f"{facts['papers']} papers, {facts['passages']} passages"
    where = f"{facts['database']}  ({held if facts['exists'] else 'none yet'})"
    out.print(f"database   {where}", soft_wrap=True)
    out.print(f"pdf cache  {facts['pdf_cache']}")
    out.print(f"arXiv      {facts['arxiv'] or 'live API (set SYNTH_ARXIV_MIRROR for a mirror)'}")
    model = facts["verifier_model"]
    verifier = (
        f"{model} ({facts['verifier']})"
        if facts["verifier"]
        else f"{model}: not found (build it: synth models build; see synth models list)"
    )
    out.print(f"verifier   {verifier}", soft_wrap=True)

"""Checking claims: ``synth check`` (one claim, or a JSONL batch) and ``synth eval``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from synth.cli.common import app, console, handles_errors, session
from synth.cli.words import Worded, WordedGroup

if TYPE_CHECKING:
    from synth.core.types import Verdict

eval_app = typer.Typer(
    cls=WordedGroup, help="Benchmark the verifier on labelled claims.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")

LABEL_COLOURS = {"SUPPORTED": "green", "REFUTED": "red", "NOT_ENOUGH_INFO": "yellow"}


def show_verdict(verdict: Verdict, quotes: int = 3) -> None:
    """A Rich panel: the verdict, its confidence, and the best quotes with paper and page."""
    from rich.markup import escape
    from rich.panel import Panel

    colour = LABEL_COLOURS[verdict.label.value]
    lines = [
        f"[bold {colour}]{verdict.label.value}[/bold {colour}]  confidence {verdict.confidence:.2f}"
        + ("  [magenta](papers disagree)[/magenta]" if verdict.conflict else ""),
    ]
    if verdict.numeric is not None and verdict.numeric.status.value != "no_numbers":
        n = verdict.numeric
        lines.append(
            f"numbers: {n.status.value}"
            + (f" (missing {', '.join(n.missing)})" if n.missing else "")
            + (f"; evidence says {', '.join(n.conflicting)}" if n.conflicting else "")
        )
    for p in verdict.papers:
        lines.append(f"  {escape(p.paper_id)}: {p.label.value} ({p.confidence:.2f})")
    for e in verdict.evidence[:quotes]:
        lines.append(
            f"\n[dim]{escape(e.passage.paper_id)}, p. {e.passage.page_start} · "
            f"entail {e.entailment:.2f} · contradict {e.contradiction:.2f}[/dim]\n"
            f"“{escape(e.quote)}”"
        )
    console().print(Panel("\n".join(lines), title=escape(verdict.claim.text), expand=False))


@app.command(cls=Worded)
@handles_errors
def check(
    claim: str | None = typer.Argument(None, metavar="CLAIM", help="The claim to check."),
    paper: list[str] = typer.Option(
        [], "--paper", "-p", metavar="ID", help="Check against this paper only (repeatable)."
    ),
    batch: Path | None = typer.Option(
        None, help='A JSONL file of {"id", "claim"[, "papers"]} to check.'
    ),
    out: Path | None = typer.Option(None, help="Where --batch writes one verdict per line."),
    as_json: bool = typer.Option(False, "--json", help="Print the verdict as JSON."),
) -> None:
    """Check a claim against its sources (or the whole corpus).

    Example: synth check "XLM-R Large gains 5.4 points on XTREME" --paper 2005.13013
    """
    from synth.core.errors import BadInput
    from synth.core.serialize import verdict_json

    if (claim is None) == (batch is None):
        raise BadInput("give one claim or --batch FILE", 'e.g. synth check "..." --paper ID')
    if batch is not None and out is None:
        raise BadInput("--batch needs --out", "e.g. --batch claims.jsonl --out verdicts.jsonl")
    with session() as s:
        if batch is not None and out is not None:
            result = s.check_file(batch, out, paper)
            console(stderr=True).print(f"{result.done} claim(s) -> {out} ({result.failed} failed)")
            if result.done and result.failed == result.done:
                raise typer.Exit(1)
            return
        verdict = s.check(claim or "", paper)
    if as_json:
        typer.echo(json.dumps(verdict_json(verdict), indent=2, ensure_ascii=False))
    else:
        show_verdict(verdict)


@eval_app.command("scifact", cls=Worded)
@handles_errors
def eval_scifact(
    claims: Path = typer.Option(..., help="SciFact-format claims (JSONL)."),
    corpus: Path = typer.Option(..., help="SciFact-format corpus of abstracts (JSONL)."),
    split: str = typer.Option(
        "all",
        metavar="SPLIT",
        help="all, or the train/calib/test part of training claims (see models build).",
    ),
    seed: int = typer.Option(0, help="The split's seed (models build uses --seed, 0)."),
    limit: int = typer.Option(0, min=0, help="Check only the first N claims (0: all)."),
    max_papers: int | None = typer.Option(
        None,
        min=1,
        help="Open retrieval: papers the evidence may come from "
        "(default: SYNTH_RETRIEVE_MAX_PAPERS, as synth check).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    out: Path | None = typer.Option(None, help="Also write the figures to this JSON file."),
) -> None:
    """Benchmark on SciFact-format claims (SciFact, Citation-Integrity): abstract-level
    label-only P/R/F1 (open and oracle retrieval), 3-class accuracy and macro-F1,
    calibration error and AUROC of the confidence.

    Example: synth eval scifact --claims claims_dev.jsonl --corpus corpus.jsonl
    """
    with session() as s:
        result = s.evaluate("scifact", claims=claims, corpus=corpus, split=split, seed=seed,
                            limit=limit, max_papers=max_papers)  # fmt: skip
    _emit(result, as_json, out, show_eval)


def _emit(
    result: dict[str, Any], as_json: bool, out: Path | None, show: Callable[[dict[str, Any]], None]
) -> None:
    """Write the figures to ``out`` when asked, then print them as JSON or as a table."""
    if out is not None:
        out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        show(result)


def show_eval(result: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table("retrieval", "label-only P", "R", "F1", "3-class acc", "macro-F1", "ECE", "AUROC")
    for name in ("open", "oracle"):
        r = result[name]
        prf = r["abstract_label_only"]
        table.add_row(
            name,
            *(f"{100 * prf[k]:.1f}" for k in ("precision", "recall", "f1")),
            f"{100 * r['accuracy']:.1f}",
            f"{100 * r['macro_f1']:.1f}",
            f"{r['ece']:.3f}",
            f"{r['auroc']:.3f}" if r["auroc"] is not None else "-",
        )
    out = console()
    out.print(table)
    out.print(
        f"{result['claims']} claims ({counts(result['gold'])}) · model {result['model']} · "
        f"settings {result['settings_hash']} · {result['seconds']} s",
        soft_wrap=True,
    )


def counts(tally: dict[str, int]) -> str:
    """Counts by label as words: ``SUPPORTED 12, REFUTED 3``, not a Python dict."""
    return ", ".join(f"{label} {n}" for label, n in tally.items())


@eval_app.command("healthver", cls=Worded)
@handles_errors
def eval_healthver(
    pairs: Path = typer.Option(..., help="HealthVer CSV (id, evidence, claim, label)."),
    limit: int = typer.Option(0, min=0, help="Judge only the first N pairs (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    out: Path | None = typer.Option(None, help="Also write the figures to this JSON file."),
) -> None:
    """Benchmark on claims paired with their evidence (HealthVer): each claim judged
    against its evidence as synth check judges a paper; 3-class accuracy and macro-F1.

    Example: synth eval healthver --pairs healthver_test.csv
    """
    with session() as s:
        result = s.evaluate("healthver", pairs=pairs, limit=limit)
    _emit(result, as_json, out, show_pairs)


def show_pairs(result: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table("pairs", "3-class acc", "macro-F1", "F1 S / R / NEI", "ECE", "AUROC")
    f1 = result["per_class_f1"]
    table.add_row(
        str(result["pairs"]), f"{100 * result['accuracy']:.1f}", f"{100 * result['macro_f1']:.1f}",
        " / ".join(f"{100 * f1[c]:.1f}" for c in ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")),
        f"{result['ece']:.3f}", f"{result['auroc']:.3f}" if result["auroc"] is not None else "-",
    )  # fmt: skip
    console().print(table)


@eval_app.command("offtopic", cls=Worded)
@handles_errors
def eval_offtopic(
    claims: list[Path] = typer.Option(
        ..., help="Claims of another field: SciFact-format JSONL or a CSV with a claim column."
    ),
    paper: list[str] = typer.Option(
        ..., metavar="ID", help="arXiv ids of the papers to check them against."
    ),
    limit: int = typer.Option(0, min=0, help="Check the first N claims of each file (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    out: Path | None = typer.Option(None, help="Also write the figures to this JSON file."),
) -> None:
    """Check claims of one field against papers of another (with synth check's defaults):
    every verdict should be NOT_ENOUGH_INFO. Reports the share that is.

    Example: synth eval offtopic --claims healthver_test.csv --paper 2005.13013
    """
    with session() as s:
        result = s.evaluate("offtopic", claims=claims, papers=paper, limit=limit)
    _emit(result, as_json, out, show_offtopic)


def show_offtopic(result: dict[str, Any]) -> None:
    out = console()
    share = result["not_enough_info_share"]
    out.print(
        f"{result['claims']} claims against {len(result['papers'])} papers: "
        + (f"{100 * share:.1f}% NOT_ENOUGH_INFO ({counts(result['labels'])})" if share is not None
           else "none could be checked")
        + (f"; {len(result['refused'])} refused" if result["refused"] else "")
    )  # fmt: skip
    for row in result["decisive"]:
        out.print(f"  {row['label']} {row['confidence']:.2f} {row['claim']} <- {row['paper_id']}",
                  soft_wrap=True)  # fmt: skip

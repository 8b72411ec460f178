"""A verified report as Markdown and as one self-contained HTML file.

Claim, paper and reference text is untrusted: the HTML template escapes everything
(Jinja2 autoescape), links only to http(s) URLs, and forbids scripts with a Content
Security Policy; the Markdown escapes every character that could start markup.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from synth.core.types import (
    Citation,
    Evidence,
    ExperimentCheck,
    Label,
    NumericCheck,
    NumericStatus,
    Reference,
    Report,
    ReportClaim,
    ReportKind,
    SynthesisSentence,
    interval,
)

if TYPE_CHECKING:
    from jinja2 import Template

QUOTES_IN_MARKDOWN = 3
CHART_WIDTH = 600

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_MD_BLOCK_START = re.compile(r"^([-+=]|\d{1,9}[.)](?=\s|$))")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: whitespace (newlines too) collapsed to single spaces,
    markup characters backslash-escaped, and a leading list/heading marker neutralised."""
    flat = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], flat)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL with no whitespace or control characters."""
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def split_quote(evidence: Evidence) -> tuple[str, str, str]:
    """The passage as (before, quote, after); the whole passage is the quote when the quoted
    span is empty or out of range."""
    text = evidence.passage.text
    start, end = evidence.quote_start, evidence.quote_end
    if not 0 <= start < end <= len(text):
        return "", text, ""
    return text[:start], text[start:end], text[end:]


def numeric_summary(numeric: NumericCheck | None) -> str:
    """The numeric check in words ("contradicted; evidence says 5.4 points"), or "" when
    the claim states no number."""
    if numeric is None or numeric.status is NumericStatus.NO_NUMBERS:
        return ""
    return (
        numeric.status.value
        + (f" ({', '.join(numeric.matched)})" if numeric.status is NumericStatus.CONSISTENT else "")
        + (f" (missing {', '.join(numeric.missing)})" if numeric.missing else "")
        + (f"; evidence says {', '.join(numeric.conflicting)}" if numeric.conflicting else "")
    )


def cite(citation: Citation) -> str:
    return f"[{citation.paper_id}, p. {citation.page}]"


def mark_text(claim: ReportClaim) -> str:
    """The report's own mark in words, with its confidence ("" when it has none)."""
    if claim.report_mark is None:
        return ""
    conf = "" if claim.report_confidence is None else f" ({claim.report_confidence:.2f})"
    return ("verified" if claim.report_mark else "not verified") + conf


def tags(claim: ReportClaim) -> list[str]:
    """The claim's tags: truncated, then partial or recovered; conflict when papers disagree."""
    out = ["truncated", "partial" if claim.partial else "recovered"] if claim.truncated else []
    return [*out, "conflict"] if claim.verdict.conflict else out


def label_counts(report: Report) -> list[tuple[str, int]]:
    counts = Counter(c.verdict.label for c in report.claims)
    return [(label.value, counts[label]) for label in Label]


def experiment_summary(check: ExperimentCheck) -> str:
    """One line on a claim's reproduction: verdict, paired delta with its CI, what ran."""
    seeds = ", ".join(map(str, check.seeds))
    return (
        f"{check.verdict} by synth reproduce (preset {check.preset}, seeds {seeds}): delta "
        f"{check.delta:+.2f} points, {interval(check.ci_low, check.ci_high)}; "
        f"model {check.model}"
    )


def agreement_counts(report: Report) -> list[tuple[str, int]]:
    counts = Counter(c.agreement for c in report.claims)
    return [("agrees", counts[True]), ("disagrees", counts[False]), ("unmarked", counts[None])]


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar of the summary chart, in SVG user units."""

    name: str
    count: int
    x: float
    width: float


def bar(counts: list[tuple[str, int]], width: float = CHART_WIDTH) -> list[Segment]:
    """The non-empty counts as consecutive segments filling ``width``."""
    total = sum(n for _, n in counts)
    segments: list[Segment] = []
    x = 0.0
    for name, n in counts:
        if n:
            w = width * n / total
            segments.append(Segment(name, n, round(x, 2), round(w, 2)))
            x += w
    return segments


@cache
def _template() -> Template:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("synth.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2")


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no scripts)."""
    audit = report.kind is ReportKind.AUDIT
    return _template().render(
        report=report,
        audit=audit,
        labels=label_counts(report),
        agreements=agreement_counts(report),
        verdict_bar=bar(label_counts(report)),
        agreement_bar=bar(agreement_counts(report)) if audit else [],
        chart_width=CHART_WIDTH,
        split_quote=split_quote,
        safe_url=safe_url,
        numeric_summary=numeric_summary,
        experiment_summary=experiment_summary,
        cite=cite,
        mark_text=mark_text,
        tags=tags,
        cited_as=report.cited_as,
    )


def _md_sentences(sentences: tuple[SynthesisSentence, ...]) -> str:
    return " ".join(
        escape_markdown(s.text) + "".join(" " + _md_cite(c) for c in s.citations) for s in sentences
    )


def _md_cite(citation: Citation) -> str:
    return f"[{escape_markdown(citation.paper_id)}, p. {citation.page}]"


def _md_quote(quote: str, citation: str) -> list[str]:
    return [f"> {escape_markdown(quote)}", ">", f"> — {citation}", ""]


def _md_claim(number: int, claim: ReportClaim, cited_as: Callable[[str], str]) -> list[str]:
    v = claim.verdict
    lines = [
        f"### {number}. {v.label.value} (confidence {v.confidence:.2f})",
        "",
        escape_markdown(claim.text),
        "",
    ]
    facts: list[str] = []
    if mark_text(claim):
        agree = "agrees" if claim.agreement else "disagrees"
        facts.append(f"Report's mark: {mark_text(claim)}; synth {agree}")
    if claim.recovered_text is not None:
        source = f" from {escape_markdown(claim.recovered_from)}" if claim.recovered_from else ""
        facts.append(f"Truncated, recovered{source}: {escape_markdown(claim.recovered_text)}")
    elif claim.partial:
        facts.append(f"Truncated, partial: checked {escape_markdown(v.claim.text)}")
    if v.conflict:
        facts.append("The papers disagree")
    if claim.experiment is not None:
        facts.append(f"Experiment: {escape_markdown(experiment_summary(claim.experiment))}")
    if numeric_summary(v.numeric):
        facts.append(f"Numbers: {escape_markdown(numeric_summary(v.numeric))}")
    facts += [f"Note: {escape_markdown(note)}" for note in claim.notes]
    lines += [f"- {fact}" for fact in facts] + ([""] if facts else [])
    for e in v.evidence[:QUOTES_IN_MARKDOWN]:
        where = f"{escape_markdown(cited_as(e.passage.paper_id))}, p. {e.passage.page_start}"
        lines += _md_quote(e.quote, where)
    if not v.evidence:
        lines += ["No evidence found.", ""]
    return lines


def render_markdown(report: Report) -> str:
    """The report as Markdown; all text from the report and the papers is escaped."""
    lines = [
        f"# {escape_markdown(report.title)}",
        "",
        f"**Question:** {escape_markdown(report.question)}",
        "",
        f"- Kind: {report.kind.value}",
        f"- Source: {escape_markdown(report.source)}",
        f"- Model: {escape_markdown(report.model)}",
        f"- Settings: {escape_markdown(report.settings_hash)}",
        "",
    ]
    if report.problems:
        lines += ["## Could not be checked", ""]
        lines += [f"- {escape_markdown(p.message)}" for p in report.problems] + [""]
    lines += ["## Summary", ""]
    lines += [f"- {name}: {n}" for name, n in label_counts(report)]
    if report.kind is ReportKind.AUDIT:
        agree = dict(agreement_counts(report))
        lines.append(
            f"- Agreement with the report's marks: {agree['agrees']} agree, "
            f"{agree['disagrees']} disagree, {agree['unmarked']} unmarked"
        )
    lines.append("")
    synthesis = report.synthesis
    if synthesis is not None:
        if synthesis.answer:
            lines += ["## Answer", "", _md_sentences(synthesis.answer), ""]
        for theme in synthesis.themes:
            lines += [f"## {escape_markdown(theme.title)}", "", _md_sentences(theme.sentences), ""]
        if synthesis.conflicts:
            lines += ["## Conflicts", ""]
        for conflict in synthesis.conflicts:
            lines += [f"**{escape_markdown(conflict.claim)}**", "", "Supporting:", ""]
            lines += _md_quote(conflict.supporting.quote, _md_cite(conflict.supporting))
            lines += ["Refuting:", ""]
            lines += _md_quote(conflict.refuting.quote, _md_cite(conflict.refuting))
    lines += ["## Claims", ""]
    for number, claim in enumerate(report.claims, start=1):
        lines += _md_claim(number, claim, report.cited_as)
    if not report.claims:
        lines += ["No claims were checked.", ""]
    lines += ["## References", ""]
    for ref in report.references:
        lines.append(f"- {_md_reference(ref)}")
    if not report.references:
        lines.append("No references.")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_reference(ref: Reference) -> str:
    link = safe_url(ref.url) or safe_url(ref.ref)
    text = escape_markdown(ref.ref)
    line = f"[{text}](<{link.replace('<', '%3C').replace('>', '%3E')}>)" if link else text
    if ref.resolved:
        title = f" ({escape_markdown(ref.title)})" if ref.title else ""
        return f"{line}: resolved to {escape_markdown(ref.paper_id or '')}{title}"
    return f"{line}: not resolved ({escape_markdown(ref.why or 'no reason given')})"

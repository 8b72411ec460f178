"""The Markdown and HTML renderings of a report: every claim and section is there, and
untrusted text (claims, passages, references) cannot inject markup or links."""

from __future__ import annotations

import re
from html import unescape

import pytest
from report.samples import GAIN, MD_INJECTION, SCRIPT, sample_report

from synth.core.types import ReportKind
from synth.report.render import escape_markdown, render_html, render_markdown, safe_url


def _text(html: str) -> str:
    """The page's text, tags dropped and entities decoded (for "is it shown" checks)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_html_shows_every_claim_with_badge_and_confidence() -> None:
    report = sample_report()
    html = render_html(report)
    assert html.count('class="claim"') == len(report.claims) == 5
    for label, n in (("SUPPORTED", 3), ("REFUTED", 1), ("NOT_ENOUGH_INFO", 1)):
        assert html.count(f'class="badge {label}"') == n
        assert f'data-label="{label}">{n}<' in html  # the summary count
    for claim in report.claims:
        assert claim.text in _text(html)
        assert f"confidence {claim.verdict.confidence:.2f}" in html
    assert 'id="summary-chart"' in html and "<svg" in html


def test_html_header_and_audit_agreement() -> None:
    report = sample_report()
    html = render_html(report)
    for value in (report.title, report.question, report.source, report.model):
        assert value in _text(html)
    assert report.settings_hash in html and ">audit<" in html
    assert 'data-agreement="agrees">3<' in html  # marks True/True/False/None/True
    assert 'data-agreement="disagrees">1<' in html
    assert 'data-agreement="unmarked">1<' in html
    assert "report: verified (0.90)" in html and 'class="agreement disagrees"' in html


def test_html_tags_numbers_and_recovered_text() -> None:
    html = render_html(sample_report())
    assert html.count('class="tag truncated"') == 2
    assert html.count('class="tag partial"') == 1 and html.count('class="tag recovered"') == 1
    assert "Recovered from 2005.13013: The gains are largest" in html
    assert "checked as: The gains are largest on the sentence retrieval tasks</p>" in html
    assert 'class="numeric contradicted"' in html
    assert "contradicted (missing 8.2 points); evidence says 5.4 points" in html
    assert "Numbers: consistent (5.4 points)</p>" in html


def test_quoted_span_is_marked_inside_its_passage() -> None:
    html = render_html(sample_report())
    assert '<details class="evidence">' in html and "<summary>Evidence (2 passages)" in html
    marked = re.findall(r"<blockquote>(.*?)<mark>(.*?)</mark>(.*?)</blockquote>", html, re.S)
    before = "Intermediate-task training helps pretrained encoders on many English tasks. "
    after = " The gains are largest on the sentence retrieval tasks BUCC and Tatoeba."
    assert (before + "Using English intermediate tasks, ", GAIN, after) in marked
    assert "2005.13013</span>, p. 1 · Abstract" in html


def test_hostile_text_is_escaped_in_html() -> None:
    html = render_html(sample_report(kind=ReportKind.SYNTHESIS, hostile=True))
    assert "<script" not in html.lower()
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    # the script sits before the quoted span: escaped on its own, outside the <mark>
    assert re.search(r"&lt;/script&gt; Intermediate-task training .*?<mark>we improve", html)
    assert "javascript:alert(1)" in html  # shown as text...
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript", html, re.I)  # ...never linked
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["https://arxiv.org/abs/2005.13013", "https://arxiv.org/abs/1911.02116"]
    assert "Content-Security-Policy" in html


def test_html_is_self_contained() -> None:
    html = render_html(sample_report(kind=ReportKind.SYNTHESIS))
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {
        "http://www.w3.org/2000/svg",  # the SVG namespace, never fetched
        "https://arxiv.org/abs/2005.13013",
        "https://arxiv.org/abs/1911.02116",
    }
    assert not re.search(r"<(link|img|iframe|object|embed)\b|@import|url\(", html)


def test_html_synthesis_sections() -> None:
    report = sample_report(kind=ReportKind.SYNTHESIS)
    html = render_html(report)
    assert 'id="synthesis"' in html and ">synthesis<" in html
    assert "Where the gains come from" in html
    assert "[2005.13013, p. 1]</span>" in html and "[2005.13013, p. 6]</span>" in html
    assert html.count('class="conflict"') == 1
    assert 'class="supporting"' in html and 'class="refuting"' in html
    assert "does not help the structured prediction tasks" in html
    assert 'id="agreement-counts"' not in html  # synth wrote it: no marks to agree with


def test_html_references_and_problems() -> None:
    report = sample_report()
    html = render_html(report)
    assert 'id="problems"' in html and report.problems[0].message in _text(html)
    assert html.count('class="reference resolved"') == 2
    assert html.count('class="reference unresolved"') == 1
    assert "not resolved: no arXiv id, DOI or URL to fetch" in html
    assert 'href="https://arxiv.org/abs/2005.13013"' in html


def test_claim_without_evidence_and_evidence_without_span() -> None:
    report = sample_report()
    first, second, *rest = report.claims
    bare = first.model_copy(update={"verdict": first.verdict.model_copy(update={"evidence": ()})})
    evidence = second.verdict.evidence[0].model_copy(update={"quote_start": 0, "quote_end": 0})
    conflicted = second.verdict.model_copy(update={"evidence": (evidence,), "conflict": True})
    whole = second.model_copy(update={"verdict": conflicted})
    report = report.model_copy(update={"claims": (bare, whole, *rest)})
    html = render_html(report)
    assert 'class="no-evidence muted">No evidence found.' in html
    assert f"<blockquote><mark>{evidence.passage.text}</mark></blockquote>" in html
    assert 'class="tag conflict"' in html
    markdown = render_markdown(report)
    assert "No evidence found." in markdown and "- The papers disagree" in markdown
    assert f"> {evidence.passage.text}\n" in markdown


def test_empty_report_renders() -> None:
    report = sample_report(claims=(), references=(), problems=())
    html = render_html(report)
    assert 'id="no-claims"' in html and "No claims were checked." in html
    assert 'id="problems"' not in html and 'class="claim"' not in html
    markdown = render_markdown(report)
    assert "No claims were checked." in markdown and "Could not be checked" not in markdown
    assert "- SUPPORTED: 0" in markdown


def test_markdown_sections_and_claims() -> None:
    report = sample_report()
    markdown = render_markdown(report)
    assert markdown.startswith(f"# {report.title}\n")
    assert "## Could not be checked" in markdown and "## References" in markdown
    assert "- SUPPORTED: 3\n- REFUTED: 1\n- NOT_ENOUGH_INFO: 1" in markdown
    assert "3 agree, 1 disagree, 1 unmarked" in markdown
    assert markdown.count("\n### ") == len(report.claims)
    assert "### 2. REFUTED (confidence 0.84)" in markdown
    assert "- Report's mark: verified (0.90); synth disagrees" in markdown
    assert "- Numbers: contradicted (missing 8.2 points); evidence says 5.4 points" in markdown
    assert "- Truncated, partial: checked The gains are largest" in markdown
    assert "- Truncated, recovered from 2005.13013: The gains are largest" in markdown
    assert f"> {GAIN}\n>\n> — 2005.13013, p. 1" in markdown
    assert "[arXiv:2005.13013](<https://arxiv.org/abs/2005.13013>): resolved" in markdown
    assert "not resolved (no arXiv id, DOI or URL to fetch)" in markdown


def test_markdown_synthesis() -> None:
    markdown = render_markdown(sample_report(kind=ReportKind.SYNTHESIS))
    assert "## Answer\n\nYes: English intermediate-task training" in markdown
    assert "on XTREME. [2005.13013, p. 1]" in markdown
    assert "## Where the gains come from" in markdown and "## Conflicts" in markdown
    assert "— [2005.13013, p. 6]" in markdown
    assert "Agreement with the report's marks" not in markdown


def test_markdown_escapes_injection() -> None:
    markdown = render_markdown(sample_report(kind=ReportKind.SYNTHESIS, hostile=True))
    assert SCRIPT not in markdown and MD_INJECTION not in markdown
    assert r"\<script\>window.\_\_pwned = 1\</script\>" in markdown
    assert r"\[x\](javascript:alert(1)) \| pipes \|" in markdown
    assert not re.search(r"(?<!\\)\]\(<?javascript", markdown)  # no link to it anywhere


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain 5.4 points", "plain 5.4 points"),
        ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
        ("<b>&amp;</b>", r"\<b\>\&amp;\</b\>"),
        ("a | b", r"a \| b"),
        ("# heading", r"\# heading"),
        ("- item", r"\- item"),
        ("1. item", r"1\. item"),
        ("2005.13013 says", "2005.13013 says"),
        ("*bold* _it_ `code` ~x~ \\", r"\*bold\* \_it\_ \`code\` \~x\~ \\"),
        ("line one\n\n    line two\n===", r"line one line two ==="),
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://arxiv.org/abs/2005.13013", True),
        ("http://example.org/a?b=c", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/x", False),
        ("https:///no-host", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, safe: bool) -> None:
    assert safe_url(url) == (url if safe else None)

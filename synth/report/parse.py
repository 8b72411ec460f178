"""Reading a synthesis report: its title, research question, claims (with the report's own
"verified" marks and confidences) and references. Pure functions over the report's text.

Two shapes are understood: the machine-written format of ``seed-report.txt`` (a claims
section holding a tab-separated table ``Claim / Verified / Confidence``, references as
arXiv URLs) and plain Markdown or text (a claims section as a Markdown table or a list;
without one, the body's sentences that cite something are the claims).
"""

from __future__ import annotations

import re
from pathlib import Path

from synth.core.errors import SynthError
from synth.core.files import Decoded, decode_text
from synth.core.types import Problem, ProblemKind, Record
from synth.corpus.parsing.chunk import split_sentences

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_CLAIMS_HEADING = re.compile(r"\b(claims?|findings?)\b", re.I)
_REFERENCES_HEADING = re.compile(
    r"\b(references|bibliography|sources|works cited|citations)\b", re.I
)
_QUESTION = re.compile(r"research question\s*[:：]\s*(.+?\?)", re.I | re.S)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(.*)$")
_LABEL = re.compile(r"^\s*\[(\w[\w.:-]*)\]\s*")  # "[1] ..." or "[phang2020] ..."
_CITE_MARK = re.compile(r"\[(\w[\w.:-]*(?:\s*[,;]\s*\w[\w.:-]*)*)\]")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
_ELLIPSIS = re.compile(r"(\.\.\.|…)$")
_TRUE_MARKS = {"✓", "✔", "☑", "yes", "y", "true", "verified", "supported", "ok"}
_FALSE_MARKS = {"×", "✗", "✘", "x", "no", "n", "false", "unverified", "not verified",
                "unsupported", "refuted"}  # fmt: skip
_DANGLING = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "by", "with", "from",
             "at", "as", "that", "than", "is", "are", "was", "were", "be"}  # fmt: skip
_CUT_NUMBER = re.compile(r"\d\.$")
CUTOFF_SLACK = 3  # claims within this many characters of the longest share its cut-off
MIN_WORDS = 6  # a body sentence shorter than this is not taken as a claim


class DraftClaim(Record):
    """A claim as the report states it, before synth checks it."""

    text: str
    truncated: bool = False
    report_mark: bool | None = None
    report_confidence: float | None = None
    cites: tuple[str, ...] = ()  # labels of the references it cites ("1", "phang2020")
    line: int = 0


class DraftReference(Record):
    ref: str
    label: str = ""  # "1" for "[1] ..." or "1. ..."


class ParsedReport(Record):
    title: str
    question: str
    claims: tuple[DraftClaim, ...]
    references: tuple[DraftReference, ...]
    context: str  # the report's prose outside its claims and references: used to recover
    problems: tuple[Problem, ...] = ()


def read_report(path: Path, max_mb: float) -> Decoded:
    """The report's text (UTF-8, UTF-16, or a legacy encoding: see
    :func:`~synth.core.files.decode_text`), or a SynthError saying why it cannot be
    audited."""
    try:
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise SynthError(
                f"{path} is {size / 1024 / 1024:.1f} MB; synth audits reports up to {max_mb:g} MB",
                "audit the report's claims section alone, or raise SYNTH_REPORT_MAX_REPORT_MB",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SynthError(
            f"{path}: no such file", "give the path of a text or Markdown report"
        ) from None
    except IsADirectoryError:
        raise SynthError(f"{path} is a directory", "give the path of one report file") from None
    except OSError as exc:
        raise SynthError(f"{path}: cannot read ({exc.strerror})", "check the path") from exc
    if data.startswith(b"%PDF"):
        raise SynthError(
            f"{path} is a PDF, not a text report",
            "export the report as text or Markdown; to use a PDF paper as evidence: synth add",
        )
    decoded = decode_text(data)
    if decoded is None:
        raise SynthError(
            f"{path} is a binary file, not a text report",
            "give the report as UTF-8 text or Markdown",
        )
    return decoded


def parse_report(text: str, max_claims: int) -> ParsedReport:
    """Find the title, question, claims and references of a report."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    sections = _sections(lines)
    title = next((h for _, h, _ in sections if h), "") or _first_line(lines)
    refs: list[DraftReference] = []
    claims: list[DraftClaim] = []
    prose: list[str] = []
    for _, heading, body in sections:
        if _REFERENCES_HEADING.search(heading):
            refs.extend(_references(body))
        elif _CLAIMS_HEADING.search(heading) and (found := _listed_claims(body)):
            claims.extend(found)
        else:
            prose.extend(line for _, line in body)
    context = "\n".join(prose)
    if not claims:
        claims = _cited_sentences(sections)
    refs = _dedupe(refs + _inline_references(context, refs))
    problems = []
    if len(claims) > max_claims:
        problems.append(Problem(
            kind=ProblemKind.REPORT,
            message=f"the report has {len(claims)} claims; only the first {max_claims} were "
            "checked (raise SYNTH_REPORT_MAX_CLAIMS to check more)",
        ))  # fmt: skip
        claims = claims[:max_claims]
    question = _QUESTION.search(text)
    return ParsedReport(
        title=title.strip(),
        question=re.sub(r"\s+", " ", question.group(1)).strip() if question else title.strip(),
        claims=tuple(mark_truncation(claims)),
        references=tuple(refs),
        context=context,
        problems=tuple(problems),
    )


Section = tuple[int, str, list[tuple[int, str]]]  # (level, heading, [(line number, line)])


def _sections(lines: list[str]) -> list[Section]:
    sections: list[Section] = [(0, "", [])]
    for number, line in enumerate(lines, start=1):
        heading = _HEADING.match(line)
        if heading:
            sections.append((len(heading.group(1)), heading.group(2), []))
        else:
            sections[-1][2].append((number, line))
    return sections


def _first_line(lines: list[str]) -> str:
    return next((line.strip() for line in lines if line.strip()), "")


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    inner = line.strip().strip("|")
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


def _is_table_row(line: str) -> bool:
    return "\t" in line or line.lstrip().startswith("|")


def _cell(cells: list[str], column: int | None) -> str | None:
    """A table row's cell in ``column``, or None (no such column; a short row lacks it)."""
    return cells[column] if column is not None and column < len(cells) else None


def _listed_claims(body: list[tuple[int, str]]) -> list[DraftClaim]:
    """Claims of a table (tab-separated or Markdown, with a header row) or a list."""
    rows = [(n, line) for n, line in body if line.strip()]
    table = [(n, _cells(line)) for n, line in rows if _is_table_row(line)]
    table = [(n, cells) for n, cells in table if not all(re.fullmatch(r":?-+:?", c) for c in cells)]
    if table:
        header = [c.lower() for c in table[0][1]]
        claim_col = next((i for i, h in enumerate(header) if "claim" in h or "finding" in h), 0)
        mark_col = _column(header, ("verified", "supported", "status", "verdict", "mark"))
        conf_col = _column(header, ("confidence", "score", "probability"))
        return [
            DraftClaim(
                text=cells[claim_col],
                report_mark=_mark(mark) if (mark := _cell(cells, mark_col)) is not None else None,
                report_confidence=(
                    _confidence(conf) if (conf := _cell(cells, conf_col)) is not None else None
                ),
                cites=_cites(cells[claim_col]),
                line=n,
            )
            for n, cells in table[1:]
            if len(cells) > claim_col and cells[claim_col]
        ]
    items = [(n, m.group(1).strip()) for n, line in rows if (m := _LIST_ITEM.match(line))]
    return [_list_claim(n, item) for n, item in items if item]


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(header) if any(name in h for name in names)), None)


_TRAILING_MARK = re.compile(r"\s*[—–(-]?\s*(✓|✔|×|✗|✘)\s*(?:\(?\s*(\d*\.?\d+%?)\s*\)?)?\s*\)?\s*$")


def _list_claim(line: int, item: str) -> DraftClaim:
    """A list item, with an optional trailing mark and confidence: "... ✓ (0.27)"."""
    found = _TRAILING_MARK.search(item)
    text = item[: found.start()].strip() if found else item
    return DraftClaim(
        text=text,
        report_mark=_mark(found.group(1)) if found else None,
        report_confidence=_confidence(found.group(2) or "") if found else None,
        cites=_cites(text),
        line=line,
    )


def _mark(cell: str) -> bool | None:
    value = cell.strip().lower()
    if value in _TRUE_MARKS:
        return True
    if value in _FALSE_MARKS:
        return False
    return None


def _confidence(cell: str) -> float | None:
    value = cell.strip()
    try:
        number = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        return None
    return number if 0 <= number <= 1 else None


def _cites(text: str) -> tuple[str, ...]:
    return tuple(
        label.strip()
        for group in _CITE_MARK.findall(text)
        for label in re.split(r"[,;]", group)
        if label.strip()
    )


def _references(body: list[tuple[int, str]]) -> list[DraftReference]:
    refs = []
    for _, line in body:
        item = _LIST_ITEM.match(line)
        text = (item.group(1) if item else line).strip()
        number = re.match(r"^\s*(\d+)[.)]\s", line)
        label = _LABEL.match(text)
        if label:
            text = text[label.end() :]
        text = text.strip().strip("<>").strip()
        if text:
            name = label.group(1) if label else number.group(1) if number else ""
            refs.append(DraftReference(ref=text, label=name))
    return refs


_INLINE = re.compile(
    r"(?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/[\w./-]+?(?=[\s)>\]]|\.?$)"
    r"|\barxiv:\s?\d{4}\.\d{4,5}(?:v\d+)?\b"
    r"|\b10\.\d{4,9}/[^\s\])>]+",
    re.I | re.M,
)


def _inline_references(context: str, listed: list[DraftReference]) -> list[DraftReference]:
    """arXiv ids, arXiv URLs and DOIs cited in the prose but missing from the list."""
    known = " ".join(r.ref for r in listed)
    found = [m.group(0).rstrip(".,;") for m in _INLINE.finditer(context)]
    return [DraftReference(ref=ref) for ref in found if ref not in known]


def _dedupe(refs: list[DraftReference]) -> list[DraftReference]:
    seen: set[str] = set()
    kept = []
    for ref in refs:
        if ref.ref not in seen:
            seen.add(ref.ref)
            kept.append(ref)
    return kept


def _cited_sentences(sections: list[Section]) -> list[DraftClaim]:
    """Without a claims section: the body's sentences that cite a reference, or, when none
    does, every sentence of at least MIN_WORDS words."""
    sentences: list[DraftClaim] = []
    for _, heading, body in sections:
        if _REFERENCES_HEADING.search(heading):
            continue
        for paragraph in _paragraphs(body):
            number, text = paragraph
            for start, end in split_sentences(text):
                sentence = text[start:end]
                if len(sentence.split()) >= MIN_WORDS:
                    sentences.append(DraftClaim(text=sentence, cites=_cites(sentence), line=number))
    cited = [s for s in sentences if s.cites or _INLINE.search(s.text)]
    return cited or sentences


def _paragraphs(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0
    for number, line in [*body, (0, "")]:
        if line.strip() and not _is_table_row(line):
            first = first or number
            current.append(_LIST_ITEM.sub(r"\1", line).strip())
        elif current:
            paragraphs.append((first, " ".join(current)))
            current, first = [], 0
    return paragraphs


def mark_truncation(claims: list[DraftClaim]) -> list[DraftClaim]:
    """Flag claims that were cut short: they end in an ellipsis, or they lack final
    punctuation and end in a dangling word, or sit at a length cut-off that several claims
    share, or stand out among claims that mostly end with a full stop."""
    lengths = [len(c.text) for c in claims]
    cutoff = max(lengths, default=0)
    at_cutoff = sum(n >= cutoff - CUTOFF_SLACK for n in lengths)
    ended = sum(bool(_TERMINAL.search(c.text.rstrip())) for c in claims)
    flagged = []
    for claim in claims:
        text = claim.text.rstrip()
        words = text.split()
        at_the_cut = at_cutoff >= 2 and len(text) >= cutoff - CUTOFF_SLACK
        cut = (
            bool(_ELLIPSIS.search(text))
            # "... an average improvement of 6." at the cut: a number cut after its point
            or (at_the_cut and bool(_CUT_NUMBER.search(text)))
            or (
                not _TERMINAL.search(text)
                and (
                    at_the_cut
                    or (bool(words) and words[-1].lower() in _DANGLING)
                    or ended >= 2 * (len(claims) - ended)  # the others mostly end properly
                )
            )
        )
        flagged.append(claim.model_copy(update={"truncated": cut}) if cut else claim)
    return flagged


def complete_part(fragment: str) -> str:
    """The part of a truncated claim that can be checked: without its ellipsis, its
    possibly cut last word and the words left dangling ("... benefits from intermediate"
    -> "... benefits")."""
    text = fragment.rstrip()
    words = _ELLIPSIS.sub("", text).split()
    if not _ELLIPSIS.search(text):
        words = words[:-1]  # the last word may be cut
    while words and (words[-1].lower().strip(",;:") in _DANGLING or words[-1] in {",", ";"}):
        words.pop()
    return " ".join(words).rstrip(",;:")

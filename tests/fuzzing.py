"""Hostile inputs for every kind of file synth reads, made by mutating seeds the tests
generate: PDFs (byte flips, cuts, duplicated and deleted chunks, splices, lying /Length and
/Count values, deep nesting, repeated page trees, compression and object-stream bombs,
adversarial text), text and Markdown files, reports, JSONL corpora and JSONL claims.

Each mutant is a pure function of ``(seed, kind, index)``: the same triple gives the same
bytes (but for mutants of the owner-locked seed PDF, whose encryption salts are random), so
a failure found by a long run is reproduced by asking for that one mutant. The
fuzz harness (benchmarks/fuzz.py) and the fast fuzz tests (tests/fuzz/) draw on this one
place; the targets that feed the mutants to synth are in tests/fuzz_targets.py. The
byte-level mutations live in tests/fuzz_bytes.py, the PDF-structure ones and the seed PDFs
in tests/fuzz_pdf.py; the text, report and JSONL ones here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfgen
from adversarial import SHAPES, adversarial
from fuzz_bytes import Mutation, Rng, delete, duplicate, flip, splice, truncate
from fuzz_pdf import PDF_MUTATIONS, pdf_seeds

REPO = Path(__file__).resolve().parents[1]
KINDS = ("pdf", "text", "report", "jsonl", "claims")
RANDOM_SEEDS = {"owner-locked.pdf"}  # encrypted: new bytes on each run (the harness keeps failures)
SUFFIX = {"pdf": ".pdf", "text": ".md", "report": ".txt", "jsonl": ".jsonl", "claims": ".jsonl"}


@dataclass(frozen=True)
class Mutant:
    """One hostile input: its kind, the mutation that made it, a file name and its bytes."""

    kind: str
    index: int
    mutation: str
    name: str
    data: bytes


# Text, Markdown and reports


_NASTY = ("\x00", "\ufeff", "\u202e", "\u0301" * 200, "\U0001f600", "\x0c", "\r", "\u2028",
          "\u00ad", "ﬁ", "\u200b", "\x85", "\x1e", "\\", "\t" * 500, "ǅ", "İ", "\U000e0001",
          "\ud800", "\udfff")  # fmt: skip


def _edit_text(rng: Rng, text: str) -> str:
    lines = text.split("\n")
    at = rng.randrange(len(lines) + 1)
    choice = rng.pick(
        "edit", ("adversarial", "nasty", "one-line", "cr", "headings", "pages", "empty")
    )
    if choice == "adversarial":
        run = adversarial(rng.pick("shape", SHAPES), rng.pick("size", (1_000, 64_000, 256_000)))
        lines.insert(at, run)
    elif choice == "nasty":
        lines.insert(at, "".join(rng.choice(_NASTY) for _ in range(rng.randint(1, 40))))
    elif choice == "one-line":
        return " ".join(lines)
    elif choice == "cr":
        return rng.choice(("\r", "\r\n", "\u2028", "\x85")).join(lines)
    elif choice == "headings":
        lines = ["#" * rng.choice((1, 7, 10_000)) + " " + line for line in lines]
    elif choice == "pages":
        lines.insert(at, "\f" * rng.choice((1, 1_000)))
    else:
        return rng.pick("text", ("", " ", "\n" * 1000, "#", "\f", "# Title only"))
    return "\n".join(lines)


def _encode(rng: Rng, text: str) -> bytes:
    encoding = rng.pick("encoding", ("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                           "latin-1", "cp1252", "surrogates"))  # fmt: skip
    if encoding == "surrogates":
        return text.encode("utf-8", "surrogatepass")
    return text.encode(encoding, "replace" if encoding not in ("utf-16", "utf-16-le") else
                       "surrogatepass")  # fmt: skip


def edit(rng: Rng, data: bytes, _: bytes) -> bytes:
    """The text decoded, edited (an adversarial run or odd characters inserted, line ends
    changed, headings or form feeds piled up, emptied) and encoded again in a random
    encoding (lone surrogates written as they are)."""
    return _encode(rng, _edit_text(rng, data.decode("utf-8", "surrogateescape")))


_CLAIM_ROW = re.compile(r"^[^\t\n]+\t[^\t\n]*\t[^\t\n]*$", re.M)
_ODD_CELLS = ("nan", "1e309", "-1", "", "0x10", "½", "✓✓", "×", "TRUE", "∞", "1,5", "0.3.1")


def table(rng: Rng, data: bytes, _: bytes) -> bytes:
    """A report's claim table broken: rows repeated up to 5,000 times, cells added, marks
    and confidences replaced with odd values, the References or Claims heading renamed."""
    text_ = data.decode("utf-8", "replace")
    rows = _CLAIM_ROW.findall(text_)
    choice = rng.pick("table", ("repeat", "cells", "odd", "headings", "refs"))
    if choice == "repeat" and rows:
        text_ = text_.replace(rows[-1], "\n".join([rows[-1]] * rng.choice((300, 5_000))))
    elif choice == "cells" and rows:
        text_ = text_.replace(rows[0], rows[0] + "\t" * rng.choice((1, 1_000)) + "x")
    elif choice == "odd" and rows:
        for row in rng.sample(rows, min(len(rows), 3)):
            claim, *_ = row.split("\t")
            cells = (rng.choice(_ODD_CELLS), rng.choice(_ODD_CELLS))
            text_ = text_.replace(row, "\t".join((claim, *cells)))
    elif choice == "headings":
        marks = "#" * rng.pick("hashes", (1, 6, 300))
        text_ = re.sub(r"## (References|\d+ Extracted Claims)",
                       lambda m: marks + " " + m.group(1)[::-1], text_)  # fmt: skip
    else:
        heads = ("- <http://arxiv.org/abs/", "[1] arXiv:", "- https://arxiv.org/pdf/")
        ids = ("2005.13013v99", "9999.99999", "hep-th/" + "9" * 300, "(((", "")
        refs = [rng.choice(heads) + rng.choice(ids) + rng.choice((">", "", ")" * 100))
                for _ in range(rng.pick("refs", (5, 2_000)))]  # fmt: skip
        text_ += "\n## References\n\n" + "\n".join(refs) + "\n"
    return text_.encode("utf-8")


TEXT_MUTATIONS: dict[str, tuple[Mutation, float]] = {
    "flip": (flip, 2), "truncate": (truncate, 1), "duplicate": (duplicate, 1),
    "delete": (delete, 1), "splice": (splice, 1), "edit": (edit, 4),
}  # fmt: skip
REPORT_MUTATIONS: dict[str, tuple[Mutation, float]] = {**TEXT_MUTATIONS, "table": (table, 3)}


def text_seeds() -> dict[str, bytes]:
    """Markdown and text seeds: the generated paper's text as Markdown, and the README."""
    paper = "\n\n".join(
        (f"# {heading}\n\n" if heading else "") + "\n\n".join(paragraphs)
        for heading, paragraphs in pdfgen.PAGES_5
    )
    return {"paper.md": paper.encode(), "README.md": (REPO / "README.md").read_bytes()}


def report_seeds() -> dict[str, bytes]:
    """The demo and full-text reports, and the seed report when ../shared holds it."""
    paths = [REPO / "corpus" / "demo-report.txt", REPO / "corpus" / "fulltext-report.txt",
             REPO.parent / "shared" / "seed" / "seed-report.txt"]  # fmt: skip
    return {path.name: path.read_bytes() for path in paths if path.is_file()}


# JSONL: corpora of abstracts, and claims for `synth check --batch`


def _deep_line(rng: Rng) -> str:
    depth = rng.pick("depth", (1_000, 10_000, 100_000))
    return "[" * depth + "]" * depth


_ODD_VALUES: tuple[object, ...] = (None, "", " ", [], {}, 1.5, True, -1, [1, [2]], {"a": "b"},
                                   "x" * 20_000, ["a", 3], ["\u2028"], "\x00")  # fmt: skip
_RAW_ODD = ("NaN", "Infinity", "-Infinity", "1" * 5_000, "1e99999", '"\\ud800"', '"\\udfff x"',
            '"a\u2028b"', '"a\x85b"', '"\\u0000"')  # fmt: skip


def _field_line(rng: Rng, record: dict[str, object]) -> str:
    """``record`` with one field dropped, or given an odd value (written as JSON, or as raw
    text JSON allows but Python may choke on: NaN, a 5,000-digit number, a lone surrogate
    escape, a raw line separator)."""
    key = rng.choice(sorted(record))
    if rng.random() < 0.2:
        return json.dumps({k: v for k, v in record.items() if k != key})
    if rng.random() < 0.5:
        return json.dumps({**record, key: rng.pick(key, _ODD_VALUES)}, ensure_ascii=False)
    marker = "\x01MARK\x01"
    return json.dumps({**record, key: marker}).replace(json.dumps(marker), rng.pick(key, _RAW_ODD))


def _broken_line(rng: Rng, line: str) -> str:
    choice = rng.pick("broken", ("cut", "tail", "quotes", "array", "scalar", "long"))
    if choice == "cut":
        return line[: rng.randrange(len(line))]
    if choice == "tail":
        return line + rng.choice(("}", ",", " x", "\x00"))
    if choice == "quotes":
        return line.replace('"', "'")
    if choice == "array":
        return "[" + line + "]"
    if choice == "scalar":
        return rng.choice(("null", "true", "1", '"a string"', "{}"))
    shape = rng.choice(SHAPES)
    return json.dumps(
        {"id": "long", "abstract": adversarial(shape, rng.choice((64_000, 1_000_000)))}
    )


def _lines_mutation(make_record: Callable[[Rng, int], dict[str, object]]) -> Mutation:
    """A mutation of a JSONL file: its lines made by ``make_record``, then 1 to 3 of them
    replaced by hostile ones (deep nesting, odd fields, broken JSON, repeated ids), and at
    times the whole file re-encoded or given odd line ends."""

    def mutate(rng: Rng, data: bytes, _: bytes) -> bytes:
        records = [make_record(rng, n) for n in range(rng.randint(1, 30))]
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        lines += data.decode("utf-8").splitlines()[: rng.randint(0, 6)]
        for _time in range(rng.randint(1, 3)):
            at = rng.randrange(len(lines))
            how = rng.pick("line", ("deep", "field", "field", "broken", "repeat", "blank"))
            if how == "deep":
                lines[at] = _deep_line(rng)
            elif how == "field":
                lines[at] = _field_line(rng, records[at % len(records)])
            elif how == "broken":
                lines[at] = _broken_line(rng, lines[at] or "{}")
            elif how == "repeat":
                lines.insert(at, lines[rng.randrange(len(lines))])
            else:
                lines.insert(at, rng.choice(("", "  ", "\t")))
        end = rng.pick("end", ("\n", "\n", "\n", "\r\n", "\r"))
        joined = end.join(lines) + rng.choice((end, ""))
        return (
            _encode(rng, joined) if rng.random() < 0.2 else joined.encode("utf-8", "surrogatepass")
        )

    return mutate


def _abstract_record(rng: Rng, n: int) -> dict[str, object]:
    sentences = [s for _, paragraphs in pdfgen.PAGES_5 for s in paragraphs]
    body: object = rng.choice(sentences)
    if rng.random() < 0.5:
        body = rng.sample(sentences, rng.randint(1, 3))
    return {"id": f"doc-{n}", "title": f"Paper {n}", "abstract": body,
            "authors": ["Ada Example"], "year": 2020}  # fmt: skip


CLAIMS = (
    "Café breaks improve recall by 4 points.",
    "Warm baths bring sleep onset 12 minutes earlier.",
    "Intermediate training gives a 5.4 point improvement on XTREME.",
)


def _claim_record(rng: Rng, n: int) -> dict[str, object]:
    record: dict[str, object] = {"id": f"c{n}", "claim": rng.choice(CLAIMS)}
    if rng.random() < 0.3:
        record["papers"] = rng.choice((["cafe"], ["cafe", "nowhere"], []))
    return record


_BYTES: dict[str, tuple[Mutation, float]] = {"flip": (flip, 1), "truncate": (truncate, 1),
                                             "splice": (splice, 1)}  # fmt: skip
JSONL_MUTATIONS = {"lines": (_lines_mutation(_abstract_record), 6.0), **_BYTES}
CLAIMS_MUTATIONS = {"lines": (_lines_mutation(_claim_record), 6.0), **_BYTES}


def jsonl_seeds() -> dict[str, bytes]:
    """The SciFact fixture corpus (six abstracts, SciFact's own format)."""
    path = REPO / "tests" / "fixtures" / "scifact" / "corpus.jsonl"
    return {path.name: path.read_bytes()}


def claims_seeds() -> dict[str, bytes]:
    """A few claims about the fixture paper the fuzz checker stores."""
    lines = [json.dumps({"id": f"c{n}", "claim": claim}) for n, claim in enumerate(CLAIMS)]
    return {"claims.jsonl": "\n".join(lines).encode()}


# Drawing mutants


BUILT = {"deep-nesting", "repeated-pages", "bomb", "objstm-bomb", "long-text", "encrypt", "count",
         "lines"}  # fmt: skip
MUTATIONS = {"pdf": PDF_MUTATIONS, "text": TEXT_MUTATIONS, "report": REPORT_MUTATIONS,
             "jsonl": JSONL_MUTATIONS, "claims": CLAIMS_MUTATIONS}  # fmt: skip


def seeds(kind: str, folder: Path) -> dict[str, bytes]:
    """The seeds of ``kind`` (PDFs are written under ``folder``).

    Args:
        kind: One of :data:`KINDS`.
        folder: A scratch folder for generated seed files.

    Returns:
        Each seed's name and bytes.
    """
    if kind == "pdf":
        return pdf_seeds(folder / "seeds")
    return {"text": text_seeds, "report": report_seeds, "jsonl": jsonl_seeds,
            "claims": claims_seeds}[kind]()  # fmt: skip


def mutant(kind: str, index: int, seed: int, pool: dict[str, bytes]) -> Mutant:
    """Mutant number ``index`` of ``kind`` in the run seeded ``seed``: the same arguments
    give the same bytes.

    Args:
        kind: One of :data:`KINDS`.
        index: Its number in the run.
        seed: The run's seed.
        pool: The seeds of ``kind`` (see :func:`seeds`).

    Returns:
        The mutant.
    """
    rng = Rng(f"{seed}:{kind}:{index}")
    table_ = MUTATIONS[kind]
    names = sorted(table_)
    name = rng.choices(names, weights=[table_[n][1] for n in names])[0]
    first, second = rng.choice(sorted(pool)), rng.choice(sorted(pool))
    data = table_[name][0](rng, pool[first], pool[second])
    label = (
        name if name in BUILT else f"{name}:{first}" + (f"+{second}" if name == "splice" else "")
    )
    label = " ".join((label, *rng.notes))
    return Mutant(kind, index, label, f"{kind}-{index:05d}{SUFFIX[kind]}", data)

"""Rebuilt tables as text: each cell stated as one sentence that reads on its own ("Table
2, No MLM, HellaSwag, Target tasks BUCC (F1): +20.4 (relative to XLM-R 71.5)."), each row
appended to its page as a table block, so chunking makes passages with page offsets."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from synth.core.types import Block, BlockKind, PageText
from synth.corpus.parsing.cells import DASHES, PLAIN, is_numeric, table_section, value_parts
from synth.corpus.parsing.tables import MENTION, Table, find_tables, table_size
from synth.corpus.parsing.words import read_layouts

logger = logging.getLogger(__name__)
SEPARATOR = "\n\n"  # between the page text and each appended row, as between paragraphs


def _column_name(path: Sequence[str]) -> str:
    """ "Target tasks BUCC (F1)" from the path ("Target tasks", "BUCC", "F1")."""
    if len(path) < 2:
        return "".join(path)
    last = path[-1] if path[-1].startswith("(") else f"({path[-1]})"
    return f"{' '.join(path[:-1])} {last}"


def _one_sentence(text: str) -> str:
    """``text`` without the end marks that would split it into sentences ("Avg. Acc" ->
    "Avg Acc"), so that each cell stays one sentence for the verifier."""
    from synth.corpus.parsing.chunk import split_sentences

    for _, end in reversed(split_sentences(text)[:-1]):
        cut = max(text.rfind(mark, 0, end) for mark in ".!?")
        text = text[:cut] + text[cut + 1 :]
    return text


def _with_unit(header: Sequence[str], value: str) -> str:
    """A plain number under a header in percent ("mT5 (%)") written with its "%"."""
    percent = any(h in ("%", "(%)") or h.endswith("(%)") for h in header)
    return f"{value}%" if percent and PLAIN.fullmatch(value) else value


def _cell_values(header: tuple[str, ...], value: str, base: str) -> list[tuple[str, str, str]]:
    """(column name, value, baseline value) of a cell; a cell of paired numbers under a paired
    header ("76.1/60.0" under "F1/EM") gives one per pair, leaving dashes out."""
    names, values, bases = (
        value_parts(header[-1]) if header else [],
        value_parts(value),
        value_parts(base),
    )
    if 2 <= len(names) == len(values) and all(is_numeric(v) or v in DASHES for v in values):
        bases = bases if len(bases) == len(names) else [""] * len(names)
        pairs = zip(names, values, bases, strict=True)
        return [(_column_name((*header[:-1], n)), v, b) for n, v, b in pairs if v not in DASHES]
    return [(_column_name(header), _with_unit(header, value), _with_unit(header, base))]


def row_sentences(table: Table) -> list[list[str]]:
    """Each data row's cells as sentences that read on their own: "Table 2, No MLM,
    HellaSwag, Target tasks BUCC (F1): +20.4 (relative to XLM-R 71.5)."

    Args:
        table: A table from :func:`find_tables`.

    Returns:
        One list per data row: a sentence per cell that is not a dash.
    """
    out = []
    for row in table.rows:
        base = table.rows[row.baseline] if row.baseline is not None else None
        refs = {c.header: c.text for c in base.cells} if base is not None else {}
        lead = ", ".join(p for p in (table_section(table.number), *row.groups, row.label) if p)
        sentences = []
        for cell in (c for c in row.cells if c.text not in DASHES):
            for name, v, b in _cell_values(cell.header, cell.text, refs.get(cell.header, "")):
                text = f"{lead}, {name}: {v}" if name else f"{lead}: {v}"
                if base is not None and is_numeric(b):
                    text += f" (relative to {base.label} {b})"
                text = _one_sentence(text)
                sentences.append(text if text.endswith((".", "!", "?")) else text + ".")
        out.append(sentences)
    return out


def append_tables(page: PageText, tables: Sequence[Table]) -> PageText:
    """The page with each table row appended as a :attr:`BlockKind.TABLE` block (section
    "Table N") whose given sentences are the row's cells; the page's own text stays.

    Args:
        page: A parsed page.
        tables: The tables found on it.

    Returns:
        The page with the rows appended (``page`` itself when no row has a cell).
    """
    text, blocks = page.text, list(page.blocks)
    for table in tables:
        for sentences in (s for s in row_sentences(table) if s):
            start = len(text) + len(SEPARATOR) if text else 0
            spans, at = [], start
            for sentence in sentences:
                spans.append((at, at + len(sentence)))
                at += len(sentence) + 1
            row = " ".join(sentences)
            text = f"{text}{SEPARATOR}{row}" if text else row
            section = table_section(table.number)
            blocks.append(Block(start, start + len(row), section, BlockKind.TABLE, tuple(spans)))
    return page if len(blocks) == len(page.blocks) else PageText(page.number, text, tuple(blocks))


def add_table_blocks(pages: list[PageText], data: bytes) -> list[PageText]:
    """The pages with the rows of their captioned tables appended as TABLE blocks.

    Only pages whose text mentions a table are read again (by pdfplumber, under a time
    budget); a page that cannot be read, or a table that cannot be rebuilt, adds nothing.

    Args:
        pages: Pages parsed from ``data`` (numbered from 1).
        data: The PDF's bytes.

    Returns:
        The pages, those with tables extended; a table number found on several pages is
        kept where it is fullest.
    """
    wanted = [p.number for p in pages if MENTION.search(p.text)]
    best: dict[str, tuple[int, Table]] = {}
    for layout in read_layouts(data, wanted) if wanted else []:
        try:
            tables = find_tables(layout)
        except Exception:  # an optional extra: a page it trips on keeps its text, adds no rows
            logger.warning("page %d: tables skipped", layout.number, exc_info=True)
            continue
        for table in tables:
            if table.number not in best or table_size(table) > table_size(best[table.number][1]):
                best[table.number] = (layout.number, table)
    by_page: dict[int, list[Table]] = {}
    for number, table in best.values():
        by_page.setdefault(number, []).append(table)
    return [append_tables(p, by_page.get(p.number, [])) for p in pages]

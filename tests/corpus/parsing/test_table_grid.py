"""A table's grid from hand-placed words: its columns, each line's cells, what rows hold."""

from __future__ import annotations

from synth.corpus.parsing.table_grid import (
    GridCell,
    column_cuts,
    column_extents,
    grid,
    is_data,
    label_columns,
)
from synth.corpus.parsing.words import Segment, TextLine, Word, text_lines


def _line(top: float, *cells: tuple[str, float, float]) -> list[Word]:
    return [Word(text, x0, x1, top, top + 8) for text, x0, x1 in cells]


# Three columns: labels at x 10-40, XNLI at 100-125, PAWS at 200-230; a spanning header
# ("Target tasks", 100-230) above the two number columns.
WORDS = [
    *_line(0, ("Target", 100, 130), ("tasks", 133, 230)),
    *_line(12, ("Model", 10, 40), ("XNLI", 100, 125), ("PAWS", 200, 230)),
    *_line(24, ("BERT", 10, 35), ("65.4", 100, 120), ("81.9", 200, 220)),
    *_line(36, ("XLM-R", 10, 38), ("79.2", 100, 120), ("89.0", 200, 220)),
]


def _lines() -> list[TextLine]:
    return text_lines(WORDS)


def test_columns_are_cut_in_the_gaps_no_line_crosses_but_the_spanning_header() -> None:
    cuts = column_cuts(_lines())
    # one cut in each gap: 40-100 and 125-200 (the header crossing the second is one line)
    assert len(cuts) == 2
    assert 40 < cuts[0] < 100 and 125 < cuts[1] < 200


def test_each_line_has_its_cells_by_column_and_a_header_spans() -> None:
    rows = grid(_lines(), column_cuts(_lines()))
    assert [(c.first, c.last, c.text) for c in rows[0].cells] == [(1, 2, "Target tasks")]
    assert [(c.first, c.text) for c in rows[2].cells] == [(0, "BERT"), (1, "65.4"), (2, "81.9")]
    assert [is_data(r) for r in rows] == [False, False, True, True]
    assert label_columns(rows[2:], 3) == 1  # words in the first column, numbers after
    assert column_extents(rows, 3) == [(10, 40), (100, 125), (200, 230)]


def test_numbers_run_together_on_a_line_of_numbers_are_split_by_column() -> None:
    # "65.4 81.9" read as one segment across the gap: on a line of numbers each of its
    # words goes to its own column; on a line of words it would stay one spanning cell
    numbers = (Word("65.4", 100, 120, 48, 56), Word("81.9", 200, 220, 48, 56))
    line = TextLine((Segment("12", 10, 20, (Word("12", 10, 20, 48, 56),)),
                     Segment("65.4 81.9", 100, 220, numbers)), 48, 56)  # fmt: skip
    cells = grid([line], column_cuts(_lines()))[0].cells
    assert cells == [GridCell(0, 0, "12", 10, 20), GridCell(1, 1, "65.4", 100, 120),
                     GridCell(2, 2, "81.9", 200, 220)]  # fmt: skip

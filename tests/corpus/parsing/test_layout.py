"""Page geometry on hand-made glyphs and lines: rows, gaps, line numbers, the gutter,
bands, running lines, block roles (footnotes, captions, tables, figure labels), the title."""

from __future__ import annotations

import pytest

from synth.corpus.parsing.clean import running_lines
from synth.corpus.parsing.layout import (
    Glyph,
    Line,
    arrange_page,
    body_size,
    bold_font,
    drop_line_numbers,
    find_gutter,
    find_title,
    line_gap,
    make_lines,
    split_columns,
)
from synth.corpus.parsing.structure import LineKind

WIDTH, HEIGHT = 612.0, 792.0
LEFT, RIGHT = 72.0, 320.0  # where the two columns start
PITCH = 12.0  # baseline to baseline in a paragraph


def glyphs(text: str, x: float, top: float, size: float = 10.0, bold: bool = False) -> list[Glyph]:
    """Glyphs of ``text`` set from ``x``: each character half a size wide, a space as a gap
    of 0.3 sizes (PDFs seldom draw spaces)."""
    out = []
    for char in text:
        if char == " ":
            x += 0.3 * size
            continue
        out.append(Glyph(char, x, x + 0.5 * size, top, top + size, size, bold))
        x += 0.5 * size
    return out


def line(text: str, x0: float, top: float, size: float = 10.0, bold: bool = False) -> Line:
    return Line(text, x0, x0 + 0.45 * size * len(text), top, top + size, size, bold)


def column(texts: list[str], x0: float, top: float, size: float = 10.0) -> list[Line]:
    return [line(t, x0, top + PITCH * i, size) for i, t in enumerate(texts)]


PROSE = [f"Body line {n} says something plain about it" for n in range(1, 9)]


def test_glyphs_become_words_and_lines() -> None:
    page = glyphs("Deep models win", 72, 100) + glyphs("Second line here", 72, 112)
    lines = make_lines(page)
    assert [ln.text for ln in lines] == ["Deep models win", "Second line here"]
    assert lines[0].x0 == 72 and lines[0].size == 10.0 and not lines[0].bold


def test_a_wide_gap_cuts_a_row_in_two() -> None:
    row = glyphs("left column text", LEFT, 100) + glyphs("right column text", RIGHT, 101)
    assert [ln.text for ln in make_lines(row)] == ["left column text", "right column text"]


def test_a_glyph_drawn_twice_counts_once_and_bold_needs_most_letters() -> None:
    once = glyphs("Bold", 72, 100, bold=True)
    (made,) = make_lines(once + once)
    assert made.text == "Bold" and made.bold
    (mixed,) = make_lines(glyphs("Run-in", 72, 100, bold=True) + glyphs("text", 106, 100))
    assert not mixed.bold


def test_bold_fonts() -> None:
    assert bold_font("ABCDEF+Times-Bold", 400)
    assert bold_font("NimbusRomNo9L-Medi", -1)
    assert bold_font("CMBX12", 0)
    assert bold_font("Arial", 700)
    assert not bold_font("NimbusRomNo9L-Regu", 400)
    assert not bold_font("CMR10", -1)


def _numbered(start: int, count: int, x: float, step: int = 1) -> list[Line]:
    return [line(f"{start + step * i:03d}", x, 100 + PITCH * i, 7) for i in range(count)]


def test_review_line_numbers_are_dropped() -> None:
    body = column(PROSE, LEFT, 100)
    page = body + _numbered(0, 12, 40) + _numbered(50, 12, 560)
    assert drop_line_numbers(page) == body


@pytest.mark.parametrize(
    "numbers",
    [_numbered(10, 12, 40, step=7), _numbered(0, 5, 40)],
    ids=["a table column", "too few"],
)
def test_other_numbers_stay(numbers: list[Line]) -> None:
    page = column(PROSE, LEFT, 100) + numbers
    assert drop_line_numbers(page) == page


def test_gutter_between_two_columns_and_none_for_one() -> None:
    two = column(PROSE, LEFT, 100) + column(PROSE, RIGHT, 100)
    gutter = find_gutter(two, WIDTH)
    assert gutter is not None and max(ln.x1 for ln in two[:8]) <= gutter <= RIGHT
    one = column([p + " and more words that run on and on" for p in PROSE], LEFT, 100)
    assert find_gutter(one, WIDTH) is None
    assert find_gutter([], WIDTH) is None


def test_bands_read_left_then_right_and_full_width_lines_separate_them() -> None:
    title = line("A Title Across Both Columns Of The Page", 150, 60, 15)
    top_left, top_right = column(PROSE[:4], LEFT, 100), column(PROSE[4:], RIGHT, 100)
    caption = line("Figure 1: a caption as wide as the page runs across the gutter", 72, 160)
    low_left, low_right = column(PROSE[:3], LEFT, 190), column(PROSE[3:6], RIGHT, 190)
    page = [*top_right, *low_left, caption, title, *top_left, *low_right]
    gutter = find_gutter(page, WIDTH)
    runs = split_columns(page, gutter)
    assert [[ln.text for ln in run] for run in runs] == [
        [title.text],
        PROSE[:4],
        PROSE[4:],
        [caption.text],
        PROSE[:3],
        PROSE[3:6],
    ]


def test_a_row_cut_at_a_wide_space_is_joined_and_table_cells_are_counted() -> None:
    cut = [line("on the tasks.", LEFT, 100), line("Using", LEFT + 70, 100)]
    row = [line("XLM-R", LEFT, 120), line("80.1", LEFT + 100, 120), line("75.7", LEFT + 160, 120)]
    (joined, *cells) = split_columns(cut + row, None)[0]
    assert joined.text == "on the tasks. Using" and joined.cells == 1
    assert [(c.text, c.cells) for c in cells] == [("XLM-R", 3), ("80.1", 3), ("75.7", 3)]


def _page(n: int) -> list[Line]:
    return [
        line(f"Sample et al. Running Header {n}", LEFT, 30, 8),
        *column([f"Page {n} body {'abcdefgh'[n]} line {i}" for i in range(6)], LEFT, 100),
        line(f"{n + 2} tasks were used in part {'abcdefgh'[n]}.", LEFT, 740),
        line(str(n), 300, 760, 9),
    ]


def test_running_headers_and_page_numbers_go_body_lines_at_the_edges_stay() -> None:
    pages = [_page(n) for n in range(1, 5)]
    drops = running_lines(pages, [HEIGHT] * 4)
    assert drops == [{0, 8}] * 4  # the header and the page number, not the "N tasks" line


def test_a_header_in_another_place_or_on_one_page_only_stays() -> None:
    pages = [_page(n) for n in range(1, 5)]
    moved = [[ln if i else line(ln.text, LEFT, 30 + 10 * n, 8) for i, ln in enumerate(p)]
             for n, p in enumerate(pages)]  # fmt: skip
    assert all(0 not in drop for drop in running_lines(moved, [HEIGHT] * 4))
    assert running_lines([_page(1)], [HEIGHT]) == [{8}]  # one page: only its number goes


def test_line_gap_and_body_size() -> None:
    assert line_gap([column(PROSE, LEFT, 100)]) == pytest.approx(PITCH - 10)
    assert line_gap([]) == 0.0
    assert body_size([(10.9, 500), (12.0, 40), (9.0, 120)]) == 11.0
    assert body_size([]) == 10.0


def _kinds(lines: list[Line], first: bool = False) -> list[tuple[LineKind, str]]:
    return [(t.kind, t.text) for t in arrange_page(lines, WIDTH, HEIGHT, 10.0, first)]


def test_footnote_and_caption_move_after_the_body_text() -> None:
    left = column(PROSE[:4], LEFT, 100)
    note = line("1 The code is on the web for everyone to use.", LEFT, 700, 8)
    caption = line("Table 1: Results of the runs.", RIGHT, 100, 9)
    right = column(PROSE[4:], RIGHT, 130)
    kinds = _kinds([*left, note, caption, *right])
    assert kinds == [
        *[(LineKind.BODY, t) for t in PROSE],
        (LineKind.FLOAT, caption.text),
        (LineKind.FLOAT, note.text),
    ]


def test_tables_and_figure_labels_are_left_out_headings_are_marked() -> None:
    heading = line("3 Results", LEFT, 80, 12, bold=True)
    table = [
        line("langs.", LEFT, 200, bold=True), line("15", LEFT + 60, 200),
        line("7", LEFT + 100, 200), line("33 40 11", LEFT + 140, 200),
        line("XLM-R", LEFT, 212, bold=True), line("80.1", LEFT + 60, 212),
        line("75.7", LEFT + 100, 212), line("62.8 70.1", LEFT + 140, 212),
    ]  # fmt: skip
    labels = [line("Accuracy", LEFT + 20, 300, 7), line("0.5", LEFT, 320, 7)]
    caption = line("Figure 2: Accuracy by epoch.", LEFT, 360, 9)
    kinds = _kinds([heading, *column(PROSE[:3], LEFT, 100), *table, *labels, caption])
    assert kinds == [
        (LineKind.HEADING, "3 Results"),
        *[(LineKind.BODY, t) for t in PROSE[:3]],
        (LineKind.FLOAT, caption.text),
    ]


def test_small_type_under_a_heading_stays_in_the_flow() -> None:
    refs = column([f"Ada Example. 20{n}. A made-up paper number {n}." for n in range(10, 14)],
                  LEFT, 130, 8)  # fmt: skip
    page = [*column(PROSE[:2], LEFT, 80), line("References", LEFT, 110, 12, True), *refs]
    assert [k for k, _ in _kinds(page)] == [LineKind.BODY] * 2 + [LineKind.HEADING] + [
        LineKind.BODY
    ] * 4


def test_indentation_opens_paragraphs() -> None:
    lines = column(PROSE[:4], LEFT, 100)
    lines[2] = line(PROSE[2], LEFT + 12, 124)
    starts = [t.starts for t in arrange_page(lines, WIDTH, HEIGHT, 10.0, False)]
    assert starts == [False, False, True, False]


def test_title_is_the_largest_type_at_the_top_of_page_one() -> None:
    venue = line("Proceedings of the 99th Meeting of Tests, pages 1-9", 150, 30, 16)
    title = [line("Synthetic Columns Keep", 180, 80, 15), line("Their Order", 220, 98, 15)]
    authors = line("Ada Example", 250, 130, 11)
    lines = [venue, *title, authors, *column(PROSE, LEFT, 200)]
    assert find_title(lines, HEIGHT, 10.0) == "Synthetic Columns Keep Their Order"
    assert find_title(column(PROSE, LEFT, 200), HEIGHT, 10.0) == ""
    assert find_title([], HEIGHT, 10.0) == ""

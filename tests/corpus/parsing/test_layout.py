"""Reading order on hand-made character grids that imitate pypdf's layout-mode output."""

from __future__ import annotations

from synth.corpus.parsing.layout import find_gutter, reading_order

LEFT = [
    "Intermediate training on a data-rich",
    "task before the target task often",
    "helps, but the gain varies a lot",
    "between target tasks and seeds.",
    "We measure it on eight tasks and",
    "report the mean over five runs.",
]
RIGHT = [
    "The right column starts a new",
    "paragraph about the results that",
    "we obtained with the larger model",
    "and with the smaller one as well.",
    "Both show the same trend overall",
    "across the tasks we have tried.",
]
COLUMN = 46  # where the right column starts in the grid


def two_columns(left: list[str], right: list[str], indent: int = 4) -> list[str]:
    """Grid lines with ``left`` and ``right`` side by side, as layout mode prints them."""
    rows = []
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        rows.append((" " * indent + a).ljust(COLUMN) + b)
    return rows


def grid(rows: list[str]) -> str:
    return "\n".join(rows) + "\n"


def test_two_column_page_reads_left_column_then_right() -> None:
    rows = two_columns(LEFT, RIGHT)
    gutter = find_gutter(rows)
    assert gutter is not None
    assert 4 + max(map(len, LEFT)) <= gutter < COLUMN
    assert reading_order(grid(rows)) == LEFT + RIGHT


def test_ragged_columns_and_a_short_last_left_line() -> None:
    left = [*LEFT[:-1], "end."]  # the last line of a paragraph is short
    right = [*RIGHT, "One more right line."]  # the right column runs one line longer
    assert reading_order(grid(two_columns(left, right))) == left + right


def test_blank_line_inside_the_columns_stays_with_each_column() -> None:
    rows = [*two_columns(LEFT[:3], RIGHT[:3]), "", *two_columns(LEFT[3:], RIGHT[3:])]
    out = reading_order(grid(rows))
    assert [line for line in out if line] == LEFT + RIGHT
    assert out.index(LEFT[-1]) < out.index(RIGHT[0])


def test_one_column_page_keeps_its_order() -> None:
    lines = [
        "A one-column page has ordinary prose lines that run across the whole",
        "width of the page, with single spaces between the words and nothing",
        "that looks like a gutter in the middle of it at all.",
        "",
        "A second paragraph follows after a blank line, and it is also set in",
        "one column so its lines must come out exactly in the order given.",
    ]
    page = grid(["   " + line for line in lines])
    assert find_gutter(page.splitlines()) is None
    assert reading_order(page) == lines


def test_whitespace_is_collapsed_and_blank_lines_kept() -> None:
    page = "  Some   words  here\n\n   and    more words\n"
    assert reading_order(page) == ["Some words here", "", "and more words"]


def test_title_first_columns_then_footer_after_many_blank_lines() -> None:
    title = "A Made-Up Study of Intermediate Training for Transfer"
    authors = "Ada Example and Bea Sample"
    rows = [
        title.center(COLUMN * 2).rstrip(),
        authors.center(COLUMN * 2).rstrip(),
        "",
        *two_columns(LEFT, RIGHT),
        *[""] * 12,
        "7".center(COLUMN * 2).rstrip(),
    ]
    out = [line for line in reading_order(grid(rows)) if line]
    assert out == [title, authors, *LEFT, *RIGHT, "7"]


def test_footer_on_the_left_side_is_not_read_as_the_left_column_end() -> None:
    rows = [*two_columns(LEFT, RIGHT), *[""] * 8, "    Preprint. Under review."]
    out = [line for line in reading_order(grid(rows)) if line]
    assert out == [*LEFT, *RIGHT, "Preprint. Under review."]


def test_full_width_line_between_column_blocks_ends_the_first_block() -> None:
    caption = "Table 1: Results on all eight target tasks, averaged over five runs each."
    rows = [*two_columns(LEFT[:3], RIGHT[:3]), caption, *two_columns(LEFT[3:], RIGHT[3:])]
    out = [line for line in reading_order(grid(rows)) if line]
    assert out == [*LEFT[:3], *RIGHT[:3], caption, *LEFT[3:], *RIGHT[3:]]


def test_short_table_in_one_column_page_is_not_split() -> None:
    lines = [
        "We compare three ways of training the model before the target task.",
        "Each number is the mean accuracy over five random restarts, and the",
        "best result in each row is the one that we discuss in the text that",
        "follows the table below, where the differences are described again.",
        "",
        "Model        Accuracy      F1",
        "Baseline     81.2          79.0",
        "Ours         84.6          82.3",
        "",
        "The gain holds on every task that we tried, though it is small on a",
        "few of them, and we return to the reasons for that in Section 5.",
        "The remaining tasks show the same ordering of the three methods.",
    ]
    page = grid(lines)
    assert find_gutter(page.splitlines()) is None
    assert reading_order(page) == [" ".join(line.split()) for line in lines]


def test_too_few_lines_are_never_split() -> None:
    rows = two_columns(LEFT[:3], RIGHT[:3])
    assert find_gutter(rows) is None
    assert reading_order(grid(rows)) == [" ".join(row.split()) for row in rows]


def test_empty_page() -> None:
    assert find_gutter([]) is None
    assert reading_order("") == []

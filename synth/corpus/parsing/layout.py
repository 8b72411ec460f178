"""Reading order for pages extracted in pypdf's layout mode.

Layout mode prints a page as a character grid, so a two-column page comes out with both
columns side by side on each line. :func:`reading_order` finds the gutter (a band of
spaces that splits most lines in two) and emits the left column before the right one.
Lines that cross the gutter (titles, full-width figures) and large vertical gaps end a
column block, so a footer is not read as the end of the left column.
"""

from __future__ import annotations

GUTTER_WIDTH = 3  # spaces a gutter must be wide at the chosen position
MIN_SPLIT_SHARE = 0.4  # share of text lines that must be split by the gutter
MIN_SPLIT_LINES = 4
BLOCK_GAP = 3  # this many blank lines in a row end a column block


def _split_at(line: str, x: int) -> bool:
    """True when ``line`` has text on both sides of a gutter centred on ``x``."""
    half = GUTTER_WIDTH // 2
    return (
        line[x - half : x + half + 1].strip() == ""
        and line[: x - half].strip() != ""
        and line[x + half + 1 :].strip() != ""
    )


def find_gutter(lines: list[str]) -> int | None:
    """The column index of a two-column gutter, or None for a one-column page."""
    body = [line for line in lines if line.strip()]
    if len(body) < MIN_SPLIT_LINES:
        return None
    width = max(len(line) for line in body)
    counts = {
        x: sum(_split_at(line, x) for line in body)
        for x in range(width * 3 // 10, width * 7 // 10 + 1)
    }
    if not counts:
        return None
    best = max(counts.values())
    if best < max(MIN_SPLIT_LINES, MIN_SPLIT_SHARE * len(body)):
        return None
    # The middle of the widest run of best positions tolerates ragged column edges.
    xs = [x for x, n in counts.items() if n == best]
    runs: list[list[int]] = []
    for x in xs:
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    widest = max(runs, key=len)
    return widest[len(widest) // 2]


def reading_order(page_text: str) -> list[str]:
    """The page's lines in reading order, whitespace-collapsed; blank lines kept as ''."""
    lines = [line.rstrip() for line in page_text.splitlines()]
    gutter = find_gutter(lines)
    if gutter is None:
        return [" ".join(line.split()) for line in lines]
    half = GUTTER_WIDTH // 2
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []

    def flush() -> None:
        out.extend(left)
        out.extend(right)
        left.clear()
        right.clear()

    blanks = 0
    for line in lines:
        if not line.strip():
            blanks += 1
            if blanks == BLOCK_GAP:
                flush()
            left.append("")
            right.append("")
            continue
        blanks = 0
        if line[gutter - half : gutter + half + 1].strip() == "":
            left_part, right_part = line[:gutter].strip(), line[gutter:].strip()
            if left_part:
                left.append(" ".join(left_part.split()))
            if right_part:
                right.append(" ".join(right_part.split()))
        else:  # crosses the gutter: full-width text ends the column block
            flush()
            out.append(" ".join(line.split()))
    flush()
    return out
